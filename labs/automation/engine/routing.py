"""Routing citizen requests to departments, with a human review queue for the unsure ones.

The learner trains the shared text classifier (labs/chatbot/engine/classifier.py, the chatbot's
engine) on part of the "citizen-requests" dataset, routes the rest, and sets a confidence threshold:
requests at or above it go straight to the suggested department, the others to a person who checks
them. Everything the screens and the checks show is re-derived here from the learner's split and
threshold: accuracy of what is routed automatically and overall, the review workload (share and
requests a day), per threshold and per language.

No Qt. `RoutingWork` is the routing part of the automation lab's workspace (snapshot: to_dict()).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from app.core.i18n import N_, _, locale_info
from app.core.problems import InvalidInput, Problem
from app.core.tasks import TaskState
from labs.framework import Feedback, Task

DATASET = "citizen-requests"
SEED = 42
DEFAULT_TEST_SHARE = 0.3
TEST_SHARES = (0.2, 0.25, 0.3, 0.35, 0.4)
DEFAULT_THRESHOLD = 0.5
SWEEP = tuple(round(i * 0.05, 2) for i in range(21))  # 0.00, 0.05, ... 1.00

DEPARTMENT_TITLES = {
    "roads": N_("Roads and transport"),
    "waste": N_("Waste and sanitation"),
    "welfare": N_("Welfare"),
    "tax": N_("Tax"),
    "registry": N_("Civil registration"),
    "parks": N_("Environment and parks"),
    "housing": N_("Housing and building"),
}

# The threshold task: what "safe enough to route without a person" means here.
TARGET_AUTO_ACCURACY = 0.95
TARGET_AUTO_SHARE = 0.70


def department_title(code: str) -> str:
    return _(DEPARTMENT_TITLES[code]) if code in DEPARTMENT_TITLES else code


def language_name(code: str) -> str:
    """The language's own name ("한국어") from the shipped locales, else the code."""
    info = locale_info(code)
    return info.name if info.code == code else code


def percent(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}%}"


# ------------------------------------------------------------------------------------- results

@dataclass(frozen=True)
class ThresholdStats:
    threshold: float
    auto_count: int  # test requests routed without review
    review_count: int  # test requests sent to the review queue
    auto_share: float
    auto_accuracy: float | None  # of those routed automatically (None when none is)
    accuracy: float  # the model's first choice, over every test request
    end_to_end: float  # if reviewers route every queued request right
    review_share: float
    reviews_per_day: float


@dataclass(frozen=True)
class LanguageStats:
    language: str
    train_count: int
    test_count: int
    accuracy: float
    auto_share: float
    auto_accuracy: float | None


@dataclass(frozen=True)
class QueuedRequest:
    request_id: str
    language: str
    text: str
    suggested: str
    confidence: float
    second: str | None
    department: str  # where the records say it belongs


class RoutingResult:
    """A trained router and its predictions on the test part; numbers at any threshold."""

    def __init__(self, model: Any, test: pd.DataFrame, train_counts: dict[str, int], train_seconds: float,
                 requests_per_day: float, test_share: float, days: int = 0):
        self.model = model
        self.test = test  # request_id, language, text, department, suggested, confidence, second
        self.train_counts = train_counts  # language -> training requests
        self.train_seconds = train_seconds
        self.requests_per_day = requests_per_day
        self.test_share = test_share
        self.days = days  # days the requests of the file came in: the test part is a sample of them
        self._right = (test["suggested"] == test["department"]).to_numpy()
        self._confidence = test["confidence"].to_numpy()

    @property
    def train_count(self) -> int:
        return sum(self.train_counts.values())

    @property
    def test_count(self) -> int:
        return len(self.test)

    def _auto(self, threshold: float) -> np.ndarray:
        # The shared engine's own rule (IntentModel.decide): confident enough and not out of scope.
        return (self._confidence >= threshold) & (self.test["suggested"].to_numpy() != "oos")

    def stats(self, threshold: float) -> ThresholdStats:
        auto = self._auto(threshold)
        n = len(auto)
        auto_count = int(auto.sum())
        review_share = 1 - auto_count / n
        return ThresholdStats(
            threshold=threshold, auto_count=auto_count, review_count=n - auto_count, auto_share=auto_count / n,
            auto_accuracy=float(self._right[auto].mean()) if auto_count else None,
            accuracy=float(self._right.mean()), end_to_end=float((self._right & auto).sum() + (~auto).sum()) / n,
            review_share=review_share, reviews_per_day=review_share * self.requests_per_day)

    def sweep(self) -> list[ThresholdStats]:
        return [self.stats(t) for t in SWEEP]

    def by_language(self, threshold: float) -> list[LanguageStats]:
        auto = self._auto(threshold)
        rows = []
        languages = self.test["language"].to_numpy()
        for language in sorted(set(languages), key=lambda code: -self.train_counts.get(code, 0)):
            mine = languages == language
            mine_auto = mine & auto
            rows.append(LanguageStats(
                language=language, train_count=self.train_counts.get(language, 0), test_count=int(mine.sum()),
                accuracy=float(self._right[mine].mean()), auto_share=float(mine_auto.sum() / mine.sum()),
                auto_accuracy=float(self._right[mine_auto].mean()) if mine_auto.any() else None))
        return rows

    def worst_language(self) -> LanguageStats:
        """The language whose test requests the model routes right least often (ties: fewer examples)."""
        return min(self.by_language(0.0), key=lambda s: (s.accuracy, s.train_count))

    def review_queue(self, threshold: float) -> list[QueuedRequest]:
        queued = self.test[~self._auto(threshold)].sort_values("confidence", kind="stable")
        return [QueuedRequest(r.request_id, r.language, r.text, r.suggested, float(r.confidence),
                              r.second if isinstance(r.second, str) else None, r.department)
                for r in queued.itertuples(index=False)]

    def route(self, text: str, threshold: float) -> tuple[Any, str | None]:
        """A typed request: (the engine's Prediction, the department it goes to or None for review)."""
        prediction = self.model.predict_one(text)
        return prediction, self.model.decide(prediction, threshold)


def load_requests() -> pd.DataFrame:
    from labs.datasets.catalog import load_dataset

    return load_dataset(DATASET)


def split_requests(frame: pd.DataFrame, test_share: float, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A random split with the same share of each language in both parts (stratified), seeded."""
    from sklearn.model_selection import train_test_split

    train, test = train_test_split(frame, test_size=test_share, random_state=seed, stratify=frame["language"])
    return train, test


def train_routing(test_share: float, state: TaskState, seed: int = SEED) -> RoutingResult:
    """Train the shared classifier on the training part and route the test part (off the GUI thread)."""
    if test_share not in TEST_SHARES:
        raise InvalidInput([Problem(DATASET, 0, _("The test part must be one of {shares}.").format(
            shares=", ".join(f"{s:.0%}" for s in TEST_SHARES)))])
    key = (test_share, seed)
    if key in _CACHE:
        return _CACHE[key]
    from labs.chatbot.engine.classifier import train_intents

    state.set_progress(0, 4, _("Reading the requests"))
    frame = load_requests()
    train, test = split_requests(frame, test_share, seed)
    state.raise_if_cancelled()
    state.set_progress(1, 4, _("Training the router"))
    started = time.perf_counter()
    model = train_intents(train["text"].tolist(), train["department"].tolist(), state=state, seed=seed)
    seconds = time.perf_counter() - started
    state.raise_if_cancelled()
    state.set_progress(3, 4, _("Routing the test requests"))
    predictions = model.predict(test["text"].tolist())
    test = test[["request_id", "language", "text", "department"]].reset_index(drop=True).assign(
        suggested=[p.label for p in predictions], confidence=[p.confidence for p in predictions],
        second=[p.ranking[1][0] if len(p.ranking) > 1 else None for p in predictions])
    days = int(frame["received_date"].nunique())
    result = RoutingResult(model, test, train["language"].value_counts().to_dict(), seconds, len(frame) / days,
                           test_share, days)
    while len(_CACHE) >= 4:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = result  # the data never changes and training is seeded: the same split gives the same router
    state.set_progress(4, 4)
    return result


_CACHE: dict[tuple[float, int], RoutingResult] = {}


# ------------------------------------------------------------------------------------- the work

@dataclass
class RoutingWork:
    test_share: float = DEFAULT_TEST_SHARE
    threshold: float = DEFAULT_THRESHOLD
    answers: dict[str, str] = field(default_factory=dict)  # "reviews_per_day", "worst_language"
    result: RoutingResult | None = None  # not in the snapshot: retrained on open

    @classmethod
    def fresh(cls) -> RoutingWork:
        return cls()

    @classmethod
    def from_dict(cls, data: dict | None, state: TaskState) -> RoutingWork:
        data = data or {}
        work = cls(test_share=float(data.get("test_share", DEFAULT_TEST_SHARE)),
                   threshold=_clamp(float(data.get("threshold", DEFAULT_THRESHOLD))),
                   answers={str(k): str(v) for k, v in dict(data.get("answers", {})).items()})
        if work.test_share not in TEST_SHARES:
            work.test_share = DEFAULT_TEST_SHARE
        if data.get("trained"):
            work.result = train_routing(work.test_share, state)
        return work

    def to_dict(self) -> dict:
        return {"test_share": self.test_share, "threshold": self.threshold, "trained": self.trained,
                "answers": dict(self.answers)}

    @property
    def trained(self) -> bool:
        return self.result is not None

    # Changes the tab makes (on the GUI thread).
    def set_test_share(self, share: float) -> None:
        if share != self.test_share:
            self.test_share = share
            self.result = None  # a new split needs a new training

    def set_threshold(self, threshold: float) -> None:
        self.threshold = _clamp(threshold)

    def apply(self, result: RoutingResult) -> None:
        self.result = result
        self.test_share = result.test_share

    def set_answer(self, key: str, value: str) -> None:
        if value.strip():
            self.answers[key] = value.strip()
        else:
            self.answers.pop(key, None)

    def stats(self) -> ThresholdStats | None:
        return self.result.stats(self.threshold) if self.result else None

    def summary(self) -> dict | None:
        stats = self.stats()
        if stats is None:
            return None
        return {"threshold": self.threshold, "auto_share": stats.auto_share, "auto_accuracy": stats.auto_accuracy,
                "review_share": stats.review_share, "accuracy": stats.accuracy,
                "requests_per_day": self.result.requests_per_day, "reviews_per_day": stats.reviews_per_day}

    def code(self) -> str:
        return routing_script(self.test_share, self.threshold)


def _clamp(threshold: float) -> float:
    return round(min(max(threshold, 0.0), 1.0), 2)


def routing_script(test_share: float, threshold: float) -> str:
    from labs.datasets.catalog import dataset_path

    return f'''# Routing citizen requests: train on part of them, route the rest, send the unsure ones to a person.
# (A plain scikit-learn version of the lab's router, labs/chatbot/engine/classifier.py: numbers can
# differ a little from the lab's, the steps are the same.)
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

requests = pd.read_csv({str(dataset_path(DATASET))!r}, parse_dates=["received_date"])
train, test = train_test_split(requests, test_size={test_share!r}, random_state={SEED},
                               stratify=requests["language"])  # the same share of each language in both parts

# Words, and pieces of 2 to 5 letters: these also match Korean word endings and
# languages written without spaces between words.
words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)
pieces = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
train_text, test_text = train["text"].str.casefold(), test["text"].str.casefold()
x_train = sparse.hstack([words.fit_transform(train_text), pieces.fit_transform(train_text)]).tocsr()
x_test = sparse.hstack([words.transform(test_text), pieces.transform(test_text)]).tocsr()
model = LogisticRegression(C=10, max_iter=1000).fit(x_train, train["department"])

probabilities = model.predict_proba(x_test)
test = test.assign(suggested=model.classes_[probabilities.argmax(axis=1)], confidence=probabilities.max(axis=1))
test["right"] = test["suggested"] == test["department"]

threshold = {threshold!r}  # at or above: routed automatically; below: the human review queue
auto = test["confidence"] >= threshold
requests_per_day = len(requests) / requests["received_date"].nunique()
print(f"Routed automatically: {{auto.mean():.0%}}, of which right: {{test.loc[auto, 'right'].mean():.1%}}")
print(f"Right overall (first choice): {{test['right'].mean():.1%}}")
print(f"Review queue: {{(~auto).mean():.0%}} of requests, about {{(~auto).mean() * requests_per_day:.0f}} a day")

for t in [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]:  # the trade-off: accuracy of automatic routing vs review work
    a = test["confidence"] >= t
    print(f"{{t:.1f}}: {{a.mean():.0%}} routed automatically, {{test.loc[a, 'right'].mean():.1%}} right")

by_language = test.groupby("language").agg(requests=("right", "size"), right=("right", "mean"))
by_language["training_requests"] = train["language"].value_counts()
print(by_language.sort_values("right"))
review_queue = test.loc[~auto, ["request_id", "text", "suggested", "confidence"]].sort_values("confidence")
print(review_queue.head(20))
'''


# ------------------------------------------------------------------------------------- tasks

def _number(text: str) -> float | None:
    cleaned = text.strip().replace(",", ".").replace("\u066b", ".").rstrip("%").strip()
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _routing(workspace: Any) -> RoutingWork:
    return workspace.routing


def check_threshold(workspace: Any) -> Feedback:
    work = _routing(workspace)
    if work.result is None:
        return Feedback(False, _("Train the router first (Routing tab, \"Train the router\")."))
    stats = work.result.stats(work.threshold)
    t = f"{work.threshold:.2f}"
    if stats.auto_share < TARGET_AUTO_SHARE:
        return Feedback(False, _("At a threshold of {t} only {share} of the requests are routed automatically; the "
                                 "task asks for at least {target}. Lower the threshold.").format(
            t=t, share=percent(stats.auto_share, 1), target=percent(TARGET_AUTO_SHARE)))
    if stats.auto_accuracy is None or stats.auto_accuracy < TARGET_AUTO_ACCURACY:
        return Feedback(False, _("At a threshold of {t}, {accuracy} of the requests routed automatically reach the "
                                 "right department; the task asks for at least {target}. Raise the threshold so "
                                 "that the unsure ones go to a person.").format(
            t=t, accuracy=percent(stats.auto_accuracy, 1), target=percent(TARGET_AUTO_ACCURACY)))
    expected = stats.reviews_per_day
    answer = _number(work.answers.get("reviews_per_day", ""))
    if answer is None:
        return Feedback(False, _("Your threshold works. Now answer the question: about how many requests a day go to "
                                 "the human review queue?"))
    if abs(answer - expected) <= max(1.0, 0.05 * expected):
        return Feedback(True, _("Right: at {t}, {share} of the requests are routed automatically and {accuracy} of "
                                "those are right; about {count} requests a day wait for a person.").format(
            t=t, share=percent(stats.auto_share), accuracy=percent(stats.auto_accuracy), count=f"{expected:.0f}"))
    if abs(answer - stats.review_share * 100) <= 1.0:
        return Feedback(False, _("You answered {answer}: that is the share of requests sent to review, in percent. "
                                 "The question asks for requests a day: the city receives about {per_day} requests a "
                                 "day.").format(answer=f"{answer:g}", per_day=f"{work.result.requests_per_day:.0f}"))
    if abs(answer - stats.review_count) <= 0.5:
        return Feedback(False, _("You answered {answer}: that is the number of test requests in the queue, and the "
                                 "test part is a sample of {days} days of requests. The question asks for one day "
                                 "of all requests: {share} of about {per_day} a day.").format(
            answer=f"{answer:g}", days=work.result.days, share=percent(stats.review_share),
            per_day=f"{work.result.requests_per_day:.0f}"))
    return Feedback(False, _("You answered {answer}. At your threshold {share} of the requests go to review, and the "
                             "city receives about {per_day} requests a day.").format(
        answer=f"{answer:g}", share=percent(stats.review_share), per_day=f"{work.result.requests_per_day:.0f}"))


def check_worst_language(workspace: Any) -> Feedback:
    work = _routing(workspace)
    if work.result is None:
        return Feedback(False, _("Train the router first (Routing tab, \"Train the router\")."))
    worst = work.result.worst_language()
    languages = {s.language: s for s in work.result.by_language(0.0)}
    answer = work.answers.get("worst_language", "")
    if not answer:
        return Feedback(False, _("Choose the language that is routed worst, under \"By language\"."))
    if answer not in languages:
        return Feedback(False, _("No test request is in '{answer}'.").format(answer=answer))
    chosen = languages[answer]
    most = max(languages.values(), key=lambda s: s.train_count)
    if chosen.accuracy > worst.accuracy + 1e-9:
        return Feedback(False, _("{chosen}: {accuracy} of its test requests reach the right department. {worst} does "
                                 "worse: {worst_accuracy}. Look at the \"Right\" column of the table by "
                                 "language.").format(
            chosen=language_name(answer), accuracy=percent(chosen.accuracy), worst=language_name(worst.language),
            worst_accuracy=percent(worst.accuracy)))
    return Feedback(True, _("Right: {worst} is routed worst ({accuracy} right). The router learned from only {count} "
                            "requests in it, against {most_count} in {most}. Collect more examples in that language, "
                            "or send its requests to review until it has them.").format(
        worst=language_name(worst.language), accuracy=percent(worst.accuracy), count=worst.train_count,
        most_count=most.train_count, most=language_name(most.language)))


ROUTING_TASKS: tuple[Task, ...] = (
    Task("routing_threshold", N_("Route automatically only when the router is sure"),
         N_("In the Routing tab, train the router on the training part of the requests. Then set the confidence "
            "threshold so that the requests routed automatically reach the right department at least 95% of the "
            "time, while at least 70% are still routed without a person. Then answer: about how many requests a "
            "day go to the human review queue?"),
         check_threshold,
         N_("Move the threshold and watch \"Routed automatically\" and \"Right, of those\". Requests a day: the "
            "share sent to review times the requests the city receives in a day.")),
    Task("routing_languages", N_("Which language is routed worst?"),
         N_("Under \"By language\", compare how often the router is right for each language. Which language does "
            "it route worst, and what do you notice about the number of training requests in it?"),
         check_worst_language,
         N_("Sort by the \"Right\" column; then look at \"Training requests\" for that language.")),
)


class PartWrong(NamedTuple):
    """A plausible mistake in this part: the lab's reference with `fragment` in place of this part."""

    name: str
    task_id: str
    fragment: dict


# Measured with the shipped engine and data (re-derive with `python -m labs.automation.engine.routing`);
# the lab's self-test proves they still hold.
# At 0.9: 87.0% routed automatically, 96.8% of those right; 13.0% to review = 7.0 of 53.6 requests a day
# (117 of the 900 test requests). Indonesian is routed worst.
ROUTING_REFERENCE: dict = {"test_share": 0.3, "threshold": 0.9, "trained": True,
                           "answers": {"reviews_per_day": "7", "worst_language": "id"}}


def _wrong(**changes: Any) -> dict:
    fragment = {**ROUTING_REFERENCE, "answers": dict(ROUTING_REFERENCE["answers"])}
    for key, value in changes.items():
        if key in ("reviews_per_day", "worst_language"):
            fragment["answers"][key] = value
        else:
            fragment[key] = value
    return fragment


ROUTING_WRONG: tuple[PartWrong, ...] = (
    PartWrong("never trained", "routing_threshold", _wrong(trained=False)),
    PartWrong("threshold 0: everything routed, too many mistakes", "routing_threshold", _wrong(threshold=0.0)),
    PartWrong("threshold 1: nothing routed automatically", "routing_threshold", _wrong(threshold=1.0)),
    PartWrong("answers the review share in percent, not requests a day", "routing_threshold",
              _wrong(reviews_per_day="13")),
    PartWrong("answers the test requests in the queue, not requests a day", "routing_threshold",
              _wrong(reviews_per_day="117")),
    PartWrong("threshold 0.6: more routed, but under 95% right", "routing_threshold", _wrong(threshold=0.6)),
    PartWrong("names the language with the most requests", "routing_languages", _wrong(worst_language="ko")),
    PartWrong("no language chosen", "routing_languages", _wrong(worst_language="")),
)


def reference_answers(test_share: float = DEFAULT_TEST_SHARE, threshold: float | None = None) -> dict:
    """The numbers the reference must answer with the shipped engine (for maintainers)."""
    result = train_routing(test_share, TaskState())
    threshold = ROUTING_REFERENCE["threshold"] if threshold is None else threshold
    stats = result.stats(threshold)
    return {"threshold": threshold, "auto_share": stats.auto_share, "auto_accuracy": stats.auto_accuracy,
            "reviews_per_day": round(stats.reviews_per_day), "review_share_percent": stats.review_share * 100,
            "worst_language": result.worst_language().language,
            "sweep": [(s.threshold, round(s.auto_share, 3), s.auto_accuracy and round(s.auto_accuracy, 3))
                      for s in result.sweep()]}


if __name__ == "__main__":
    import json

    print(json.dumps(reference_answers(), indent=1))
