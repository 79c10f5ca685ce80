"""The learner's work in the chatbot lab, and how it is saved and rebuilt.

ChatWorkspace holds the bot being edited (bot.py), where it came from (a starter, an empty bot or an
imported file), the trained model, the test-chat transcript, the latest held-out evaluation, the
answers to the lab's questions and the bots exported so far.

The model and the evaluation are NOT in the snapshot: the snapshot records the training fingerprint
they were made for, and `open_workspace` rebuilds them (same seed, same numbers) when the bot still
has those examples. Training and evaluating are seeded, so a resumed lab shows the same answers.
No Qt here: the panel calls the `*_job()` functions through the host, off the GUI thread, and hands
their results back with `set_model` / `set_evaluation` on the GUI thread.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from app.core.i18n import N_, _, current_locale
from app.core.tasks import TaskState
from labs.chatbot.engine.bot import (OUT_OF_SCOPE_ID, Bot, BotFileError, Handoff, Intent, Link,
                                     bot_from_dict, bot_to_dict, clean_lines, empty_bot, intent_id_problem,
                                     link_target_problem, load_bot, save_bot, suggest_intent_id, trainable_problems)
from labs.chatbot.engine.classifier import IntentModel, Prediction, train_intents
from labs.chatbot.engine.evaluation import Evaluation, IntentScore, held_out_evaluation
from labs.chatbot.engine.starters import default_starter, load_starter

SNAPSHOT_VERSION = 1
SEED = 0
FOLDS = 5
DEFAULT_THRESHOLD = 0.5
MAX_TURNS = 200  # the test chat keeps the latest questions
MIN_OVERLAP = 2  # a pair confused fewer times than this is noise, not an overlap to fix

# What a reply is: an intent's answer, the hand-off (unsure) or the fallback (out of scope).
ANSWER, HANDOFF, FALLBACK = "answer", "handoff", "fallback"
STARTER, EMPTY, IMPORTED = "starter", "empty", "imported"


@dataclass(frozen=True)
class Question:
    """A question the lab asks about the evaluation; the panel shows an answer field for each."""

    id: str
    prompt: str  # N_()-marked
    kind: str  # "intent" (one of the bot's intents) or "percent"


QUESTIONS = (
    Question("lowest_recall", N_("At your threshold, which intent has the lowest recall in the held-out "
                                 "evaluation (the intent whose questions the bot answers right least often)?"),
             "intent"),
    Question("handoff_share", N_("At your threshold, what share of the in-scope questions does the bot hand over "
                                 "to a person? (a percentage)"), "percent"),
)


class EditProblem(ValueError):
    """An edit the bot cannot take (a bad id, a malformed link); str() is the translated reason."""


def normalise(text: str) -> str:
    """As the classifier compares texts: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class Origin:
    """Where the bot came from, to tell the learner's own work from what was given."""

    kind: str  # STARTER, EMPTY or IMPORTED
    id: str = ""  # the starter's id or the imported file's name
    intents: tuple[str, ...] = ()  # the intent ids it started with
    handoff: tuple[str, str] = ("", "")  # its hand-off message and contact

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "intents": list(self.intents), "handoff": list(self.handoff)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Origin:
        handoff = list(data.get("handoff", ["", ""])) + ["", ""]
        return cls(str(data.get("kind", EMPTY)), str(data.get("id", "")), tuple(str(i) for i in data.get(
            "intents", ())), (str(handoff[0]), str(handoff[1])))

    @classmethod
    def of(cls, kind: str, bot: Bot, source_id: str = "") -> Origin:
        return cls(kind, source_id, bot.intent_ids, (bot.handoff.message, bot.handoff.contact))


@dataclass(frozen=True)
class Turn:
    """One question in the test chat and the bot's reply."""

    question: str
    label: str  # the most likely label (may be OUT_OF_SCOPE_ID)
    confidence: float
    kind: str  # ANSWER, HANDOFF or FALLBACK
    reply: str
    threshold: float
    intent_title: str = ""  # for ANSWER and HANDOFF: the intent it chose / thought of
    links: tuple[Link, ...] = ()
    ranking: tuple[tuple[str, float], ...] = ()

    @property
    def decided(self) -> str | None:
        return self.label if self.kind == ANSWER else None

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "label": self.label, "confidence": round(self.confidence, 4),
                "kind": self.kind, "reply": self.reply, "threshold": self.threshold,
                "intent_title": self.intent_title,
                "links": [{"kind": k.kind, "title": k.title, "target": k.target} for k in self.links],
                "ranking": [[label, round(p, 4)] for label, p in self.ranking]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Turn:
        return cls(str(data["question"]), str(data["label"]), float(data["confidence"]), str(data["kind"]),
                   str(data["reply"]), float(data.get("threshold", DEFAULT_THRESHOLD)),
                   str(data.get("intent_title", "")),
                   tuple(Link(str(k["kind"]), str(k["title"]), str(k["target"])) for k in data.get("links", ())),
                   tuple((str(label), float(p)) for label, p in data.get("ranking", ())))


@dataclass(frozen=True)
class OverlapFocus:
    """The pair of intents the learner's first evaluation confused most, as it was then: the
    overlap task asks to make this pair distinct (the app records it; the learner cannot type it)."""

    first: str
    second: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"first": self.first, "second": self.second, "count": self.count}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OverlapFocus:
        return cls(str(data["first"]), str(data["second"]), int(data["count"]))


@dataclass(frozen=True)
class ThresholdView:
    """The held-out numbers at one threshold, recomputed from the evaluation's rows: moving the
    slider does not need a new cross-validation."""

    threshold: float
    in_scope_accuracy: float
    oos_recall: float | None
    unsure_share: float
    per_intent: dict[str, IntentScore]
    in_scope_rows: int
    oos_rows: int

    def lowest_recall(self) -> list[str]:
        """The intents with the lowest recall (several when tied), in id order."""
        if not self.per_intent:
            return []
        low = min(score.recall for score in self.per_intent.values())
        return sorted(intent for intent, score in self.per_intent.items() if score.recall <= low + 1e-9)


def threshold_view(evaluation: Evaluation, threshold: float) -> ThresholdView:
    """The evaluation's numbers had the bot used `threshold`: a row is answered with its predicted
    intent when that is not out-of-scope and its confidence reaches the threshold (IntentModel.decide)."""
    decided = [None if row.predicted == OUT_OF_SCOPE_ID or row.confidence < threshold else row.predicted
               for row in evaluation.rows]
    in_scope = [(row, d) for row, d in zip(evaluation.rows, decided) if row.true != OUT_OF_SCOPE_ID]
    oos = [d for row, d in zip(evaluation.rows, decided) if row.true == OUT_OF_SCOPE_ID]
    intents = sorted({row.true for row, _d in in_scope})
    per_intent = {}
    for intent in intents:
        support = sum(1 for row, _d in in_scope if row.true == intent)
        hits = sum(1 for row, d in in_scope if row.true == intent and d == intent)
        said = sum(1 for d in decided if d == intent)
        precision = hits / said if said else 0.0
        recall = hits / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[intent] = IntentScore(precision, recall, f1, support)
    right = sum(1 for row, d in in_scope if d == row.true)
    unsure = sum(1 for _row, d in in_scope if d is None)
    return ThresholdView(threshold, right / len(in_scope) if in_scope else 0.0,
                         sum(1 for d in oos if d is None) / len(oos) if oos else None,
                         unsure / len(in_scope) if in_scope else 0.0, per_intent, len(in_scope), len(oos))


# --- seeded work, cached: the same examples always give the same model and the same evaluation ---------

_CACHE_SIZE = 6
_MODELS: OrderedDict[str, IntentModel] = OrderedDict()
_EVALUATIONS: OrderedDict[tuple[str, float], Evaluation] = OrderedDict()
_CACHE_LOCK = threading.Lock()  # training and evaluating may run at once on the task runner's threads


def _cached(cache: OrderedDict, key: Any) -> Any:
    with _CACHE_LOCK:
        return cache.get(key)


def _remember(cache: OrderedDict, key: Any, value: Any) -> Any:
    with _CACHE_LOCK:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)
    return value


def train_bot(bot: Bot, state: TaskState) -> IntentModel:
    """Train the classifier on the bot's examples (seeded; cached by the examples' fingerprint)."""
    problems = trainable_problems(bot)
    if problems:
        raise EditProblem(problems[0])
    key = bot.training_fingerprint()
    cached = _cached(_MODELS, key)
    if cached is not None:
        return cached
    texts, labels = bot.training_pairs()
    state.set_progress(0, 1, _("Training the bot"))
    model = train_intents(texts, labels, state=state, seed=SEED)
    return _remember(_MODELS, key, model)


def evaluate_bot(bot: Bot, threshold: float, state: TaskState) -> Evaluation:
    """Held-out (cross-validated, seeded) evaluation of the bot's examples at `threshold`."""
    problems = trainable_problems(bot)
    if problems:
        raise EditProblem(problems[0])
    key = (bot.training_fingerprint(), round(threshold, 4))
    cached = _cached(_EVALUATIONS, key)
    if cached is not None:
        return cached
    texts, labels = bot.training_pairs()
    state.set_progress(0, 1, _("Evaluating the bot"))
    evaluation = held_out_evaluation(texts, labels, folds=FOLDS, threshold=threshold, state=state, seed=SEED)
    return _remember(_EVALUATIONS, key, evaluation)


class ChatWorkspace:
    def __init__(self, bot: Bot, origin: Origin):
        self.bot = bot
        self.origin = origin
        self.model: IntentModel | None = None
        self.model_fingerprint: str | None = None  # the training fingerprint `model` learned from
        self.evaluation: Evaluation | None = None
        self.evaluation_fingerprint: str | None = None
        self.overlap_focus: OverlapFocus | None = None
        self.transcript: list[Turn] = []
        self.answers: dict[str, str] = {}
        self.exports: list[str] = []  # fingerprints of the bots exported, oldest first

    # --- state the panel and the checks read ------------------------------------------------------------

    @property
    def threshold(self) -> float:
        """The threshold in use: the bot's own, else the one the trained model suggests."""
        if self.bot.threshold is not None:
            return self.bot.threshold
        if self.model is not None:
            return round(self.model.suggested_threshold, 2)
        return DEFAULT_THRESHOLD

    @property
    def model_is_current(self) -> bool:
        return self.model is not None and self.model_fingerprint == self.bot.training_fingerprint()

    @property
    def evaluation_is_current(self) -> bool:
        return self.evaluation is not None and self.evaluation_fingerprint == self.bot.training_fingerprint()

    def current_view(self) -> ThresholdView | None:
        """The held-out numbers at the current threshold, or None before an up-to-date evaluation."""
        if not self.evaluation_is_current:
            return None
        return threshold_view(self.evaluation, self.threshold)

    def new_intents(self) -> list[Intent]:
        """Intents the learner added (not in the bot they started from)."""
        return [intent for intent in self.bot.intents if intent.id not in self.origin.intents]

    @property
    def exported_current(self) -> bool:
        return self.bot.fingerprint() in self.exports

    # --- starting over ---------------------------------------------------------------------------------

    def start(self, bot: Bot, origin: Origin) -> None:
        """Replace the whole work with another bot (a starter, an empty one or an imported file)."""
        self.__init__(bot, origin)

    def start_from_starter(self, starter_id: str, folder: Path | None = None) -> None:
        self.start(*starting_bot(starter_id, folder))

    def start_empty(self, language: str) -> None:
        bot = empty_bot(language)
        self.start(bot, Origin.of(EMPTY, bot))

    def import_bot(self, path: str | Path) -> None:
        """Replace the bot with a .bot.json file; BotFileError (nothing changed) if it is malformed."""
        bot = load_bot(path)
        self.start(bot, Origin.of(IMPORTED, bot, Path(path).name))

    # --- editing (on the GUI thread) -------------------------------------------------------------------

    def set_name(self, name: str) -> None:
        self.bot = replace(self.bot, name=" ".join(name.split()))

    def set_language(self, language: str) -> None:
        self.bot = replace(self.bot, language=language)

    def set_fallback(self, text: str) -> None:
        self.bot = replace(self.bot, fallback=text.strip())

    def set_handoff(self, message: str, contact: str) -> None:
        self.bot = replace(self.bot, handoff=Handoff(message.strip(), contact.strip()))

    def set_out_of_scope(self, lines: list[str] | tuple[str, ...]) -> None:
        self.bot = replace(self.bot, out_of_scope=clean_lines(lines))

    def set_threshold(self, threshold: float | None) -> None:
        if threshold is not None and not 0 <= threshold <= 1:
            raise EditProblem(_("The threshold is a number from 0 to 1."))
        self.bot = replace(self.bot, threshold=None if threshold is None else round(float(threshold), 2))

    def add_intent(self, title: str, intent_id: str = "") -> Intent:
        title = " ".join(title.split())
        if not title:
            raise EditProblem(_("Give the new intent a title, for example \"Renew a passport\"."))
        intent_id = intent_id.strip() or suggest_intent_id(title, self.bot.intent_ids)
        problem = intent_id_problem(intent_id, self.bot.intent_ids)
        if problem:
            raise EditProblem(problem)
        intent = Intent(intent_id, title)
        self.bot = self.bot.with_intent(intent)
        return intent

    def _intent(self, intent_id: str) -> Intent:
        intent = self.bot.intent(intent_id)
        if intent is None:
            raise EditProblem(_("The bot has no intent \"{id}\".").format(id=intent_id))
        return intent

    def rename_intent(self, intent_id: str, new_id: str, title: str) -> None:
        intent = self._intent(intent_id)
        title = " ".join(title.split())
        if not title:
            raise EditProblem(_("An intent needs a title."))
        new_id = new_id.strip()
        if new_id != intent_id:
            problem = intent_id_problem(new_id, [i for i in self.bot.intent_ids if i != intent_id])
            if problem:
                raise EditProblem(problem)
        renamed = replace(intent, id=new_id, title=title)
        self.bot = replace(self.bot, intents=tuple(renamed if i.id == intent_id else i for i in self.bot.intents))

    def delete_intent(self, intent_id: str) -> None:
        self._intent(intent_id)
        self.bot = replace(self.bot, intents=tuple(i for i in self.bot.intents if i.id != intent_id))

    def set_examples(self, intent_id: str, lines: list[str] | tuple[str, ...]) -> None:
        self.bot = self.bot.with_intent(replace(self._intent(intent_id), examples=clean_lines(lines)))

    def set_answers(self, intent_id: str, answers: list[str] | tuple[str, ...]) -> None:
        kept = tuple(text.strip() for text in answers if text.strip())
        self.bot = self.bot.with_intent(replace(self._intent(intent_id), answers=kept))

    def set_links(self, intent_id: str, links: list[Link] | tuple[Link, ...]) -> None:
        cleaned = []
        for link in links:
            link = Link(link.kind, " ".join(link.title.split()), link.target.strip())
            problem = link_target_problem(link.kind, link.target)
            if problem:
                raise EditProblem(problem)
            if not link.title:
                raise EditProblem(_("A link needs a title, for example \"Passport application form\"."))
            cleaned.append(link)
        self.bot = self.bot.with_intent(replace(self._intent(intent_id), links=tuple(cleaned)))

    # --- training, chatting, evaluating ------------------------------------------------------------------

    def training_job(self) -> Callable[[TaskState], tuple[IntentModel, str]]:
        """A function for the task runner; reads only what it captured now. EditProblem if the bot
        cannot be trained yet."""
        problems = trainable_problems(self.bot)
        if problems:
            raise EditProblem(problems[0])
        bot = self.bot
        return lambda state: (train_bot(bot, state), bot.training_fingerprint())

    def set_model(self, trained: tuple[IntentModel, str]) -> None:
        self.model, self.model_fingerprint = trained

    def ask(self, question: str) -> Turn:
        """The bot's reply to a test-chat question, added to the transcript (GUI thread: one predict
        takes milliseconds)."""
        question = " ".join(question.split())
        if not question:
            raise EditProblem(_("Type a question first."))
        if self.model is None:
            raise EditProblem(_("Train the bot first: it learns from your intents' examples."))
        turn = self.reply(self.model.predict_one(question), question)
        self.transcript.append(turn)
        del self.transcript[:-MAX_TURNS]
        return turn

    def reply(self, prediction: Prediction, question: str) -> Turn:
        """What the bot says for `prediction`: an answer (variants in turn), the hand-off or the fallback."""
        threshold = self.threshold
        intent = self.bot.intent(prediction.label)
        title = intent.title if intent else ""
        if prediction.label == OUT_OF_SCOPE_ID or intent is None:
            return Turn(question, prediction.label, prediction.confidence, FALLBACK, self.bot.fallback, threshold,
                        ranking=prediction.ranking)
        if prediction.confidence < threshold or not intent.answers:
            handoff = self.bot.handoff
            text = "\n".join(part for part in (handoff.message, handoff.contact) if part)
            return Turn(question, prediction.label, prediction.confidence, HANDOFF, text, threshold, title,
                        ranking=prediction.ranking)
        given = sum(1 for turn in self.transcript if turn.kind == ANSWER and turn.label == intent.id)
        answer = intent.answers[given % len(intent.answers)]  # the variants in turn
        return Turn(question, prediction.label, prediction.confidence, ANSWER, answer, threshold, title,
                    intent.links, prediction.ranking)

    def clear_transcript(self) -> None:
        self.transcript = []

    def evaluation_job(self) -> Callable[[TaskState], tuple[Evaluation, str]]:
        problems = trainable_problems(self.bot)
        if problems:
            raise EditProblem(problems[0])
        bot, threshold = self.bot, self.threshold
        return lambda state: (evaluate_bot(bot, threshold, state), bot.training_fingerprint())

    def set_evaluation(self, evaluated: tuple[Evaluation, str]) -> None:
        self.evaluation, self.evaluation_fingerprint = evaluated
        if self.overlap_focus is None and self.evaluation_is_current:
            self.overlap_focus = focus_of(self.evaluation, self.bot)

    def set_answer(self, question_id: str, answer: str) -> None:
        self.answers[question_id] = answer.strip()

    # --- export -------------------------------------------------------------------------------------------

    def export(self, path: str | Path) -> Path:
        """Save the bot as one .bot.json file (atomically). BotFileError if it is not complete."""
        written = save_bot(self.bot, path)
        fingerprint = self.bot.fingerprint()
        if fingerprint in self.exports:
            self.exports.remove(fingerprint)
        self.exports.append(fingerprint)
        del self.exports[:-20]
        return written

    # --- what is saved and shown -----------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        return {"version": SNAPSHOT_VERSION, "bot": bot_to_dict(self.bot), "origin": self.origin.to_dict(),
                "trained": self.model_fingerprint if self.model is not None else None,
                "evaluated": ({"fingerprint": self.evaluation_fingerprint, "threshold": self.evaluation.threshold}
                              if self.evaluation is not None else None),
                "overlap_focus": self.overlap_focus.to_dict() if self.overlap_focus else None,
                "transcript": [turn.to_dict() for turn in self.transcript],
                "answers": dict(self.answers), "exports": list(self.exports)}

    def code(self) -> str:
        from labs.chatbot.engine.script import DEFAULT_CALIBRATION, calibration_of, script

        question = self.transcript[-1].question if self.transcript else ""
        calibration = calibration_of(self.model) if self.model is not None else DEFAULT_CALIBRATION
        return script(self.bot, self.threshold, question, evaluated=self.evaluation is not None,
                      calibration=calibration)


def focus_of(evaluation: Evaluation, bot: Bot) -> OverlapFocus | None:
    """The most-confused pair of in-scope intents of an evaluation, if it is confused often enough."""
    for first, second, count in evaluation.overlaps:
        if OUT_OF_SCOPE_ID in (first, second) or bot.intent(first) is None or bot.intent(second) is None:
            continue
        if count >= MIN_OVERLAP:
            return OverlapFocus(first, second, int(count))
        return None
    return None


def pair_count(evaluation: Evaluation, first: str, second: str) -> int:
    """How many held-out examples of either intent went to the other (both ways)."""
    for a, b, count in evaluation.overlaps:
        if {a, b} == {first, second}:
            return int(count)
    return 0


def starting_bot(starter_id: str | None, folder: Path | None = None, locale: str = "") -> tuple[Bot, Origin]:
    """The bot a fresh lab starts from: `starter_id`, else the starter in the display language (else
    English), else an empty bot."""
    if starter_id is None:
        starter = default_starter(locale or current_locale(), folder)
        if starter is None:
            bot = empty_bot(locale or current_locale())
            return bot, Origin.of(EMPTY, bot)
        starter_id = starter.id
    bot = load_starter(starter_id, folder)
    return bot, Origin.of(STARTER, bot, starter_id)


def _readable(read: Callable[[], Any], otherwise: Any) -> Any:
    """`read()`, or `otherwise` when that part of a saved snapshot is missing or damaged."""
    try:
        return read()
    except (KeyError, TypeError, ValueError, AttributeError):
        return otherwise


def open_workspace(snapshot: dict[str, Any] | None, state: TaskState, files: Path | None = None, *,
                   starters: Path | None = None) -> ChatWorkspace:
    """Rebuild the workspace a snapshot describes (None: a fresh start from the default starter).
    The model and the evaluation are rebuilt when the snapshot's bot still has the examples they
    were made from (seeded: the same numbers). `files` is unused: the bot lives in the snapshot."""
    if not snapshot:
        return ChatWorkspace(*starting_bot(None, starters))
    state.set_progress(0, 1, _("Opening your work"))
    try:
        bot = bot_from_dict(snapshot["bot"], _("your saved work"), strict=False)
    except (KeyError, BotFileError) as error:
        raise BotFileError(_("Your saved chatbot work cannot be read: {reason}").format(reason=error)) from None
    # The bot is the work; the rest is history around it: a damaged part is dropped, not fatal.
    workspace = ChatWorkspace(bot, _readable(lambda: Origin.from_dict(snapshot["origin"]), Origin.of(EMPTY, bot)))
    saved_turns = _readable(lambda: list(snapshot["transcript"])[-MAX_TURNS:], [])
    workspace.answers = _readable(lambda: {str(k): str(v) for k, v in snapshot["answers"].items()}, {})
    workspace.exports = _readable(lambda: [str(f) for f in snapshot["exports"]], [])
    workspace.overlap_focus = _readable(lambda: OverlapFocus.from_dict(snapshot["overlap_focus"]), None)
    current = bot.training_fingerprint()
    trainable = not trainable_problems(bot)
    if trainable and snapshot.get("trained") == current:
        state.raise_if_cancelled()
        workspace.set_model((train_bot(bot, state), current))
    for saved in saved_turns:  # as shown then; a hand-written reference may list questions only: ask them
        if isinstance(saved, dict) and "kind" in saved:
            turn = _readable(lambda saved=saved: Turn.from_dict(saved), None)
            if turn is not None:
                workspace.transcript.append(turn)
        elif isinstance(saved, dict) and workspace.model is not None and str(saved.get("question", "")).strip():
            workspace.ask(str(saved["question"]))
    evaluated = snapshot.get("evaluated") or {}
    if trainable and isinstance(evaluated, dict) and evaluated.get("fingerprint") == current:
        state.raise_if_cancelled()
        threshold = _readable(lambda: float(evaluated["threshold"]), workspace.threshold)
        workspace.set_evaluation((evaluate_bot(bot, threshold, state), current))
    state.set_progress(1, 1)
    return workspace

