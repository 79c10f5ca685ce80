"""How well a classifier answers: accuracy, per-intent precision and recall, confusions, out-of-scope
recall, the effect of the threshold, and specific suggestions of what to change.

    evaluation = held_out_evaluation(texts, labels, folds=5, state=state)  # small bots: cross-validated
    evaluation = evaluate(model, test_texts, test_labels)                   # a separate test set
    evaluation_json(evaluation)                                             # fractions, for --json

A row counts as answered right only when the bot acts on its true intent (IntentModel.decide): an
in-scope question it declines or hands off counts as wrong, and an out-of-scope question counts as
declined when the bot predicts OUT_OF_SCOPE or is less confident than the threshold.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from app.core.i18n import _, ngettext
from app.core.tasks import TaskState
from labs.chatbot.engine.classifier import (OUT_OF_SCOPE, IntentModel, Prediction, TrainingDataError, _Stage,
                                            check_examples, fold_of_each_example, train_intents)

SWEEP = tuple(round(0.05 * i, 2) for i in range(21))  # thresholds 0.00, 0.05, ... 1.00
LOW_OOS_RECALL = 0.7  # below this, suggest out-of-scope examples or a higher threshold
HIGH_UNSURE_SHARE = 0.2  # above this, suggest examples for the intents it hesitates on, or a lower threshold
FEW_EXAMPLES = 5  # an intent with fewer examples than this gets a suggestion to add some
OVERLAP_MIN = 3  # examples confused both ways before two intents are called overlapping
PER_KIND = 3  # suggestions of each kind (overlaps, examples to add, too few examples)


@dataclass(frozen=True)
class IntentScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Confusion:
    true: str
    predicted: str
    count: int
    examples: tuple[str, ...]  # up to 3 texts


@dataclass(frozen=True)
class ThresholdPoint:
    threshold: float
    in_scope_accuracy: float
    oos_recall: float | None
    unsure_share: float


@dataclass(frozen=True)
class RowResult:
    text: str
    true: str
    predicted: str
    confidence: float
    decided: str | None


@dataclass
class Evaluation:
    threshold: float
    in_scope_accuracy: float  # in-scope rows answered with the right intent (unsure / oos count as wrong)
    macro_f1: float  # over in-scope intents
    oos_recall: float | None  # share of out-of-scope rows declined (None when there are none)
    unsure_share: float  # share of in-scope rows the bot declined / handed off
    per_intent: dict[str, IntentScore]
    confusions: list[Confusion]  # most frequent first
    overlaps: list[tuple[str, str, int]]  # intent pairs confused with each other (both ways summed), most first
    suggestions: list[str]  # translated, specific
    sweep: list[ThresholdPoint]  # thresholds 0.00, 0.05, ... 1.00
    rows: list[RowResult]


def _decide(prediction: Prediction, threshold: float) -> str | None:
    # IntentModel.decide, for rows predicted by several fold models
    if prediction.label == OUT_OF_SCOPE or prediction.confidence < threshold:
        return None
    return prediction.label


def _rows(texts: Sequence[str], labels: Sequence[str], predictions: Sequence[Prediction],
          threshold: float) -> list[RowResult]:
    return [RowResult(str(text), str(label), p.label, float(p.confidence), _decide(p, threshold))
            for text, label, p in zip(texts, labels, predictions)]


def _point(rows: list[RowResult], threshold: float) -> ThresholdPoint:
    in_scope = [r for r in rows if r.true != OUT_OF_SCOPE]
    oos = [r for r in rows if r.true == OUT_OF_SCOPE]

    def decided(row):
        return _decide(Prediction(row.predicted, row.confidence, ()), threshold)

    answers = [decided(r) for r in in_scope]
    return ThresholdPoint(threshold,
                          sum(a == r.true for a, r in zip(answers, in_scope)) / len(in_scope) if in_scope else 0.0,
                          sum(decided(r) is None for r in oos) / len(oos) if oos else None,
                          sum(a is None for a in answers) / len(in_scope) if in_scope else 0.0)


def _per_intent(rows: list[RowResult]) -> dict[str, IntentScore]:
    intents = sorted({r.true for r in rows if r.true != OUT_OF_SCOPE})
    support = Counter(r.true for r in rows)
    said = Counter(r.decided for r in rows if r.decided is not None)
    hits = Counter(r.true for r in rows if r.decided == r.true)
    scores = {}
    for intent in intents:
        precision = hits[intent] / said[intent] if said[intent] else 0.0
        recall = hits[intent] / support[intent] if support[intent] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[intent] = IntentScore(precision, recall, f1, support[intent])
    return scores


def _confusions(rows: list[RowResult]) -> list[Confusion]:
    """Which label the classifier preferred (whatever the threshold) when it was not the true one."""
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        if r.predicted != r.true:
            grouped[(r.true, r.predicted)].append(r.text)
    ordered = sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0]))
    return [Confusion(true, predicted, len(texts), tuple(texts[:3])) for (true, predicted), texts in ordered]


def _overlaps(confusions: list[Confusion]) -> list[tuple[str, str, int]]:
    pairs: Counter = Counter()
    for c in confusions:
        if OUT_OF_SCOPE not in (c.true, c.predicted):
            pairs[tuple(sorted((c.true, c.predicted)))] += c.count
    return [(a, b, n) for (a, b), n in sorted(pairs.items(), key=lambda item: (-item[1], item[0]))]


def _percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def _suggestions(rows: list[RowResult], per_intent: dict[str, IntentScore], confusions: list[Confusion],
                 overlaps: list[tuple[str, str, int]], point: ThresholdPoint, threshold: float,
                 held_out: bool) -> list[str]:
    """What to change, most useful first: overlapping intents, intents whose examples go elsewhere,
    intents with too few examples, then out-of-scope recall and hand-offs. At most PER_KIND of each."""
    overlapping, merge, add, few, general = set(), [], [], [], []
    for first, second, count in overlaps:
        both_ways = any(c.true == first and c.predicted == second for c in confusions) and any(
            c.true == second and c.predicted == first for c in confusions)
        if count >= OVERLAP_MIN and both_ways and len(merge) < PER_KIND:
            overlapping.add((first, second))
            merge.append(ngettext(
                "'{a}' and '{b}' overlap ({n} example confused): make their examples more distinct or merge them.",
                "'{a}' and '{b}' overlap ({n} examples confused): make their examples more distinct or merge them.",
                count).format(a=first, b=second, n=count))
    for c in confusions:
        if (len(add) >= PER_KIND or OUT_OF_SCOPE in (c.true, c.predicted)
                or tuple(sorted((c.true, c.predicted))) in overlapping):
            continue
        total = per_intent[c.true].support
        if c.count >= 2 or c.count / max(total, 1) >= 0.2:
            add.append((ngettext("Add examples to '{intent}': {n} of its {total} held-out examples went to '{other}'.",
                                 "Add examples to '{intent}': {n} of its {total} held-out examples went to '{other}'.",
                                 c.count) if held_out else
                        ngettext("Add examples to '{intent}': {n} of its {total} test examples went to '{other}'.",
                                 "Add examples to '{intent}': {n} of its {total} test examples went to '{other}'.",
                                 c.count)).format(intent=c.true, n=c.count, total=total, other=c.predicted))
    if held_out:  # in a test set, few rows of an intent says nothing about its training examples
        for intent, score in sorted(per_intent.items(), key=lambda item: (item[1].support, item[0])):
            if score.support < FEW_EXAMPLES and len(few) < PER_KIND:
                few.append(ngettext(
                    "'{intent}' has only {n} example: add more, each a different way a person might ask.",
                    "'{intent}' has only {n} examples: add more, each a different way a person might ask.",
                    score.support).format(intent=intent, n=score.support))
    if point.oos_recall is None:
        general.append(_("Add out-of-scope examples (questions the bot should decline, labelled '{oos}'), so "
                         "that the evaluation can measure how often it declines them.").format(oos=OUT_OF_SCOPE))
    elif point.oos_recall < LOW_OOS_RECALL:
        answered = [r for r in rows if r.true == OUT_OF_SCOPE and r.decided is not None]
        example = max(answered, key=lambda r: r.confidence).text if answered else ""
        general.append(_("The bot declined only {share} of the out-of-scope questions: add out-of-scope examples "
                         "like \u201c{example}\u201d, or raise the threshold above {threshold}.").format(
            share=_percent(point.oos_recall), example=example, threshold=f"{threshold:.2f}"))
    if point.unsure_share > HIGH_UNSURE_SHARE:
        unsure = Counter(r.true for r in rows if r.true != OUT_OF_SCOPE and r.decided is None)
        hesitant = ", ".join(f"'{intent}'" for intent, _n in unsure.most_common(3))
        general.append(_("The bot hands {share} of the in-scope questions to a person: add examples to {intents}, "
                         "or lower the threshold below {threshold}.").format(
            share=_percent(point.unsure_share), intents=hesitant, threshold=f"{threshold:.2f}"))
    return merge + add + few + general


def _evaluation(rows: list[RowResult], threshold: float, held_out: bool) -> Evaluation:
    point = _point(rows, threshold)
    per_intent = _per_intent(rows)
    confusions = _confusions(rows)
    overlaps = _overlaps(confusions)
    macro_f1 = float(np.mean([s.f1 for s in per_intent.values()])) if per_intent else 0.0
    return Evaluation(threshold=threshold, in_scope_accuracy=point.in_scope_accuracy, macro_f1=macro_f1,
                      oos_recall=point.oos_recall, unsure_share=point.unsure_share, per_intent=per_intent,
                      confusions=confusions, overlaps=overlaps,
                      suggestions=_suggestions(rows, per_intent, confusions, overlaps, point, threshold, held_out),
                      sweep=[_point(rows, t) for t in SWEEP], rows=rows)


def evaluate(model: IntentModel, texts: Sequence[str], labels: Sequence[str],
             threshold: float | None = None) -> Evaluation:
    """The model on a test set (labels may include OUT_OF_SCOPE). threshold None: the model's suggestion."""
    texts, labels = list(texts), [str(label) for label in labels]
    threshold = model.suggested_threshold if threshold is None else float(threshold)
    return _evaluation(_rows(texts, labels, model.predict(texts), threshold), threshold, held_out=False)


def held_out_evaluation(texts: Sequence[str], labels: Sequence[str], *, folds: int = 5,
                        threshold: float | None = None, state: TaskState | None = None,
                        seed: int = 0) -> Evaluation:
    """Cross-validated: every example is predicted by a model that did not see it (for small bots).
    threshold None: the median of the fold models' suggested thresholds."""
    texts, labels = list(texts), [str(label) for label in labels]
    check_examples(texts, labels)
    state = state or TaskState()
    folds = max(2, int(folds))
    fold = fold_of_each_example(np.asarray(labels, dtype=object), folds, seed)
    stage = _Stage(state, 0.0, 1.0, _("Evaluating on held-out examples"))
    predictions: list[Prediction | None] = [None] * len(texts)
    suggested = []
    for index in range(folds):
        held = np.flatnonzero(fold == index)
        train = np.flatnonzero(fold != index)
        if not len(held):
            continue
        train_labels = [labels[i] for i in train]
        if len({label for label in train_labels if label != OUT_OF_SCOPE}) < 2:
            raise TrainingDataError(_("Too few examples to evaluate on held-out examples: give each intent "
                                      "at least {n} examples.").format(n=folds))
        model = train_intents([texts[i] for i in train], train_labels,
                              state=_FoldState(stage.part(index, folds)), seed=seed)
        suggested.append(model.suggested_threshold)
        for i, prediction in zip(held, model.predict([texts[i] for i in held])):
            predictions[i] = prediction
    threshold = float(statistics.median(suggested)) if threshold is None else float(threshold)
    stage.set_progress(1.0)
    return _evaluation(_rows(texts, labels, predictions, threshold), threshold, held_out=True)


class _FoldState(TaskState):
    """A TaskState that reports into a share of the caller's progress bar and shares its cancel."""

    def __init__(self, stage: _Stage):
        super().__init__()
        self._stage = stage

    def set_progress(self, done: float, total: float = 1.0, message: str = "") -> None:
        super().set_progress(done, total, message)
        self._stage.set_progress(self.progress)

    @property
    def cancel_requested(self) -> bool:
        return self._stage.state.cancel_requested

    def raise_if_cancelled(self) -> None:
        self._stage.raise_if_cancelled()


def evaluation_json(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as plain JSON data (fractions 0..1; rows summarised as counts)."""
    def fraction(value):
        return None if value is None else round(float(value), 4)

    return {
        "threshold": fraction(evaluation.threshold),
        "in_scope_accuracy": fraction(evaluation.in_scope_accuracy),
        "macro_f1": fraction(evaluation.macro_f1),
        "oos_recall": fraction(evaluation.oos_recall),
        "unsure_share": fraction(evaluation.unsure_share),
        "n_rows": len(evaluation.rows),
        "n_in_scope": sum(r.true != OUT_OF_SCOPE for r in evaluation.rows),
        "n_out_of_scope": sum(r.true == OUT_OF_SCOPE for r in evaluation.rows),
        "per_intent": {intent: {"precision": fraction(s.precision), "recall": fraction(s.recall),
                                "f1": fraction(s.f1), "support": s.support}
                       for intent, s in evaluation.per_intent.items()},
        "confusions": [{"true": c.true, "predicted": c.predicted, "count": c.count, "examples": list(c.examples)}
                       for c in evaluation.confusions[:20]],
        "overlaps": [{"intents": [a, b], "count": n} for a, b, n in evaluation.overlaps[:20]],
        "suggestions": list(evaluation.suggestions),
        "sweep": [{"threshold": p.threshold, "in_scope_accuracy": fraction(p.in_scope_accuracy),
                   "oos_recall": fraction(p.oos_recall), "unsure_share": fraction(p.unsure_share)}
                  for p in evaluation.sweep],
    }
