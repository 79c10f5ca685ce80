"""Evaluation of a bot (labs/chatbot/engine/evaluation.py): the numbers are computed from exactly the
rows they claim (checked on hand-made predictions), held-out rows come from models that never saw
them, and the suggestions name the intents and counts that need work."""

from __future__ import annotations

import json

import pytest

from app.core.tasks import Cancelled, TaskState
from labs.chatbot.engine import evaluation as evaluation_module
from labs.chatbot.engine.classifier import OUT_OF_SCOPE, Prediction, TrainingDataError
from labs.chatbot.engine.evaluation import SWEEP, evaluate, evaluation_json, held_out_evaluation


class FixedModel:
    """Answers each text with the prediction given for it (what `evaluate` needs of a model)."""

    def __init__(self, answers: dict[str, tuple[str, float]], suggested_threshold: float = 0.5):
        self.answers = answers
        self.suggested_threshold = suggested_threshold

    def predict(self, texts):
        return [Prediction(self.answers[t][0], self.answers[t][1], ((self.answers[t][0], self.answers[t][1]),))
                for t in texts]


def rows_for(spec: list[tuple[str, str, float, int]]) -> tuple[FixedModel, list[str], list[str]]:
    """spec: (true, predicted, confidence, how many such rows)."""
    answers, texts, labels = {}, [], []
    for true, predicted, confidence, count in spec:
        for i in range(count):
            text = f"{true} asked, {predicted} said, {confidence} #{i}"
            answers[text] = (predicted, confidence)
            texts.append(text)
            labels.append(true)
    return FixedModel(answers), texts, labels


# 12 passport_renew rows: 8 right and sure, 1 right but unsure, 3 went to passport_new.
# 10 passport_new rows: 8 right, 2 went to passport_renew. 5 tax rows right. 4 oos rows: 2 declined
# by the oos label, 1 by low confidence, 1 answered as tax with confidence.
SPEC = [("passport_renew", "passport_renew", 0.9, 8), ("passport_renew", "passport_renew", 0.3, 1),
        ("passport_renew", "passport_new", 0.8, 3),
        ("passport_new", "passport_new", 0.9, 8), ("passport_new", "passport_renew", 0.7, 2),
        ("tax", "tax", 0.95, 5),
        (OUT_OF_SCOPE, OUT_OF_SCOPE, 0.9, 2), (OUT_OF_SCOPE, "tax", 0.2, 1), (OUT_OF_SCOPE, "tax", 0.85, 1)]


@pytest.fixture
def scored():
    model, texts, labels = rows_for(SPEC)
    return evaluate(model, texts, labels, threshold=0.5)


def test_headline_numbers_count_declines_as_wrong(scored):
    in_scope = 12 + 10 + 5
    assert scored.threshold == 0.5
    assert scored.in_scope_accuracy == pytest.approx((8 + 8 + 5) / in_scope)  # the unsure right one is lost
    assert scored.unsure_share == pytest.approx(1 / in_scope)
    assert scored.oos_recall == pytest.approx(3 / 4)
    assert len(scored.rows) == 31
    unsure = [r for r in scored.rows if r.confidence == 0.3]
    assert unsure[0].predicted == "passport_renew" and unsure[0].decided is None


def test_per_intent_precision_recall_and_macro_f1(scored):
    renew, new, tax = scored.per_intent["passport_renew"], scored.per_intent["passport_new"], scored.per_intent["tax"]
    assert OUT_OF_SCOPE not in scored.per_intent
    assert (renew.support, new.support, tax.support) == (12, 10, 5)
    assert renew.recall == pytest.approx(8 / 12) and renew.precision == pytest.approx(8 / 10)
    assert new.recall == pytest.approx(8 / 10) and new.precision == pytest.approx(8 / 11)
    assert tax.recall == 1.0 and tax.precision == pytest.approx(5 / 6)  # one out-of-scope question answered as tax
    f1 = [2 * s.precision * s.recall / (s.precision + s.recall) for s in (renew, new, tax)]
    assert scored.macro_f1 == pytest.approx(sum(f1) / 3)


def test_confusions_and_overlaps_point_at_the_intents_that_share_examples(scored):
    first = scored.confusions[0]
    assert (first.true, first.predicted, first.count) == ("passport_renew", "passport_new", 3)
    assert len(first.examples) == 3 and all("passport_renew asked" in text for text in first.examples)
    assert [c.count for c in scored.confusions] == sorted((c.count for c in scored.confusions), reverse=True)
    assert scored.overlaps[0] == ("passport_new", "passport_renew", 5)  # both ways summed
    assert all(OUT_OF_SCOPE not in pair[:2] for pair in scored.overlaps)


def test_suggestions_are_specific():
    model, texts, labels = rows_for([("passport_renew", "passport_renew", 0.9, 9),
                                     ("passport_renew", "passport_new", 0.9, 3),
                                     ("passport_new", "passport_new", 0.9, 10),
                                     ("tax", "tax", 0.9, 6), ("tax", "local_tax", 0.9, 4),
                                     ("local_tax", "tax", 0.9, 3), ("local_tax", "local_tax", 0.9, 6),
                                     ("fees", "fees", 0.9, 3),
                                     (OUT_OF_SCOPE, "tax", 0.9, 3), (OUT_OF_SCOPE, OUT_OF_SCOPE, 0.9, 1)])
    result = evaluate(model, texts, labels, threshold=0.5)
    assert "'local_tax' and 'tax' overlap (7 examples confused): make their examples more distinct or merge them." \
        in result.suggestions
    assert "Add examples to 'passport_renew': 3 of its 12 test examples went to 'passport_new'." in result.suggestions
    assert not any("Add examples to 'tax'" in s for s in result.suggestions)  # said once, as an overlap
    low_recall = [s for s in result.suggestions if "out-of-scope questions" in s]
    assert low_recall and "25%" in low_recall[0] and "raise the threshold above 0.50" in low_recall[0]
    assert "tax asked" not in low_recall[0] and "oos asked, tax said" in low_recall[0]  # quotes one it answered


def test_held_out_wording_and_missing_out_of_scope_examples(monkeypatch):
    model, texts, labels = rows_for([("a_intent", "a_intent", 0.9, 9), ("a_intent", "b_intent", 0.9, 3),
                                     ("b_intent", "b_intent", 0.9, 4)])
    monkeypatch.setattr(evaluation_module, "train_intents", lambda t, l, state, seed: model)
    result = held_out_evaluation(texts, labels, folds=4)
    assert "Add examples to 'a_intent': 3 of its 12 held-out examples went to 'b_intent'." in result.suggestions
    assert "'b_intent' has only 4 examples: add more, each a different way a person might ask." in result.suggestions
    assert any("Add out-of-scope examples" in s for s in result.suggestions)
    assert result.oos_recall is None


def test_many_hand_offs_suggest_examples_or_a_lower_threshold():
    model, texts, labels = rows_for([("a_intent", "a_intent", 0.3, 6), ("a_intent", "a_intent", 0.9, 4),
                                     ("b_intent", "b_intent", 0.9, 10)])
    result = evaluate(model, texts, labels, threshold=0.5)
    assert result.unsure_share == pytest.approx(0.3)
    assert any("hands 30% of the in-scope questions to a person" in s and "'a_intent'" in s and "below 0.50" in s
               for s in result.suggestions)


def test_the_sweep_replays_every_threshold_from_the_same_rows(scored):
    assert [p.threshold for p in scored.sweep] == list(SWEEP) and SWEEP[0] == 0.0 and SWEEP[-1] == 1.0
    at_half = next(p for p in scored.sweep if p.threshold == 0.5)
    assert (at_half.in_scope_accuracy, at_half.oos_recall, at_half.unsure_share) == pytest.approx(
        (scored.in_scope_accuracy, scored.oos_recall, scored.unsure_share))
    assert scored.sweep[0].oos_recall == pytest.approx(2 / 4)  # only the oos label declines at 0
    recalls = [p.oos_recall for p in scored.sweep]
    unsure = [p.unsure_share for p in scored.sweep]
    assert recalls == sorted(recalls) and unsure == sorted(unsure)
    assert scored.sweep[-1].in_scope_accuracy == 0.0  # nothing is 100 % sure here


def test_threshold_none_uses_the_models_suggestion():
    model, texts, labels = rows_for(SPEC)
    model.suggested_threshold = 0.75
    assert evaluate(model, texts, labels).threshold == 0.75


def test_held_out_rows_come_from_models_that_did_not_see_them(monkeypatch):
    seen_by_model = []
    real_train = evaluation_module.train_intents

    def recording(texts, labels, state, seed):
        model = real_train(texts, labels, state=state, seed=seed)
        seen = set(texts)
        seen_by_model.append(seen)
        original_predict = model.predict

        def predict(questions):
            assert not set(questions) & seen, "a model was asked about an example it trained on"
            return original_predict(questions)

        model.predict = predict
        return model

    monkeypatch.setattr(evaluation_module, "train_intents", recording)
    texts = [f"pay {w} tax" for w in "car house land income shop boat".split()] + \
            [f"renew {w} passport" for w in "my our child old lost red".split()] + \
            [f"weather {w}" for w in "today tomorrow monday rain snow wind".split()]
    labels = ["tax"] * 6 + ["passport"] * 6 + [OUT_OF_SCOPE] * 6
    result = held_out_evaluation(texts, labels, folds=3, seed=0)
    assert len(seen_by_model) == 3
    assert [r.text for r in result.rows] == texts and [r.true for r in result.rows] == labels
    assert all(len(seen) == 12 for seen in seen_by_model)  # two thirds of each label
    assert result.in_scope_accuracy > 0.8 and result.oos_recall is not None


def test_held_out_threshold_defaults_to_the_median_of_the_fold_models(monkeypatch):
    thresholds = iter([0.4, 0.9, 0.6])

    class Suggesting:
        def __init__(self):
            self.suggested_threshold = next(thresholds)

        def predict(self, texts):
            return [Prediction("tax", 0.7, (("tax", 0.7),)) for _ in texts]

    monkeypatch.setattr(evaluation_module, "train_intents", lambda t, l, state, seed: Suggesting())
    result = held_out_evaluation(["a", "b", "c", "d", "e", "f"], ["tax", "tax", "tax", "fee", "fee", "fee"], folds=3)
    assert result.threshold == 0.6
    assert result.per_intent["tax"].recall == 1.0 and result.per_intent["fee"].recall == 0.0


def test_held_out_evaluation_refuses_too_few_examples_and_honours_cancel():
    with pytest.raises(TrainingDataError, match="at least 2 intents"):
        held_out_evaluation(["a", "b"], ["tax", "tax"])
    with pytest.raises(TrainingDataError, match="give each intent at least 5 examples"):
        held_out_evaluation(["pay tax", "renew passport"], ["tax", "passport"], folds=5)
    texts = [f"pay {i} tax" for i in range(10)] + [f"renew {i} passport" for i in range(10)]
    labels = ["tax"] * 10 + ["passport"] * 10
    progress = []
    held_out_evaluation(texts, labels, state=TaskState(lambda p, m: progress.append(p)))
    assert progress == sorted(progress) and progress[-1] == pytest.approx(1.0)
    state = TaskState(lambda p, m: state.request_cancel() if p > 0.3 else None)
    with pytest.raises(Cancelled):
        held_out_evaluation(texts, labels, state=state)


def test_evaluation_json_is_plain_fractions(scored):
    data = evaluation_json(scored)
    json.dumps(data)
    assert data["in_scope_accuracy"] == round(scored.in_scope_accuracy, 4)
    assert data["oos_recall"] == 0.75 and data["threshold"] == 0.5
    assert (data["n_rows"], data["n_in_scope"], data["n_out_of_scope"]) == (31, 27, 4)
    assert set(data["per_intent"]) == {"passport_renew", "passport_new", "tax"}
    assert data["per_intent"]["passport_renew"]["support"] == 12
    assert data["overlaps"][0] == {"intents": ["passport_new", "passport_renew"], "count": 5}
    assert len(data["sweep"]) == 21
    for key in ("in_scope_accuracy", "macro_f1", "unsure_share"):
        assert 0.0 <= data[key] <= 1.0
