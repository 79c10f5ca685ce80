"""The shared text classifier: intents learnt from example utterances, offline, with a calibrated confidence.

One engine for the chatbot lab and the automation lab's request routing:

    model = train_intents(texts, labels, state=state, seed=0)   # labels may include OUT_OF_SCOPE
    prediction = model.predict_one("how do I renew my passport")
    intent = model.decide(prediction, model.suggested_threshold)  # None: hand off / decline

How it works (each choice measured on CLINC150, Banking77 and small multilingual bots; see
app/bench_chatbot.py):

- Features: TF-IDF (sublinear tf) of words and word pairs, plus character n-grams inside each word
  (3-5 characters; 1-3 for Hangul and Han/kana, where one character is a syllable). Character
  n-grams let "발급받고 싶어요" and "발급하려면" share "발급", and classify Khmer, which has no
  spaces between words. Texts are NFKC-normalised and case-folded; punctuation becomes a space.
  Character n-grams are computed once per distinct word and summed by a sparse product, which is
  several times faster than scikit-learn's char_wb analyser on 18,000 utterances.
- Scores: one linear SVM per label (one-vs-rest). With many labels (CLINC's 151) each label's SVM
  trains only on the examples whose nearest label centroids include it (the "shortlist"): the
  same accuracy as training on every example, in about a third of the time. At prediction a label
  off the text's shortlist gets a low score.
- Confidence (_Calibration): a softmax over the SVM scores plus a "none of these" column (the
  out-of-scope label, or an added one for bots without out-of-scope examples), its temperature
  and the "none" score fitted on held-out scores: examples scored by a model that did not see
  them (5 folds for small bots, one 20 % split from LARGE examples on). The absolute SVM score
  matters: a question far from every intent scores low everywhere, so "none" wins the
  probability, which is what makes "I don't know" a threshold. Then Platt scaling of the top
  probability, so that 0.8 means right 8 times in 10 on held-out questions. Tiny bots (a few
  dozen held-out scores) are pulled towards a prior measured on larger sets.
- suggested_threshold: from the same held-out predictions, 0.5 (more likely right than wrong) or
  higher while that costs at most 2 points of held-out in-scope accuracy. Never from test data.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import sparse
from scipy.optimize import minimize
from scipy.special import logsumexp
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from app.core.i18n import _, ngettext
from app.core.problems import InvalidInput, Problem
from app.core.tasks import TaskState

OUT_OF_SCOPE = "oos"  # the label of out-of-scope examples, in training and in testing

# Tuning, measured (app/bench_chatbot.py); change one only with the benchmark and the tests run again.
SVM_C = 1.5
SVM_TOLERANCE = 1e-2  # 1e-4 (the default) costs 30 % more time for the same predictions
SHORTLIST = 15  # labels per example the per-label SVMs train on, when there are more than 2x this
LARGE = 2000  # from this many examples one held-out split (20 %) calibrates; below it, 5 folds
HELD_OUT_FOLDS = 5
LOW_SCORE = -2.0  # the SVM score of a label that is not on a text's shortlist (margins sit near +-1)
OUT_OF_SCOPE_SHARE = 0.25  # calibration's weight of "asked about an intent the bot lacks" examples
MIN_THRESHOLD = 0.5  # the suggested threshold: at least "more likely right than wrong"...
ACCURACY_TOLERANCE = 0.02  # ...and higher while it costs at most 2 points of held-out in-scope accuracy
# Calibration's prior, where held-out data is scarce (measured: 5 on CLINC150 and Banking77, 8-10 on
# the starter bots; a virtual "none" column at -0.5 on the starters without out-of-scope examples).
PRIOR_TEMPERATURE = 8.0
PRIOR_NONE_SCORE = -0.5
PRIOR_SCORE_SPREAD = 0.5
CALIBRATION_PRIOR = 20.0  # as many held-out examples' worth of pull towards the prior


@dataclass(frozen=True)
class Prediction:
    label: str  # the most likely label; may be OUT_OF_SCOPE
    confidence: float  # calibrated probability (0..1) that `label` is right
    ranking: tuple[tuple[str, float], ...]  # the top 3 (label, probability), best first


class TrainingDataError(InvalidInput):
    """Examples a classifier cannot learn from; str() is the translated explanation."""

    def __init__(self, message: str, row: int = 0):
        super().__init__([Problem(_("training examples"), row, message)])
        self.message = message

    def __str__(self) -> str:
        return self.message


# --- text to features -------------------------------------------------------------------------

class _Separators(dict):
    """str.translate table, filled lazily: punctuation, symbols, separators and controls become a
    space (zero-width joiners stay: they change how Arabic and Indic words are written); Arabic
    diacritics and the tatweel go, and alef variants become the bare alef (people type them freely)."""

    def __missing__(self, code: int):
        char = chr(code)
        category = unicodedata.category(char)
        if code in (0x200C, 0x200D):
            value = char
        elif 0x064B <= code <= 0x065F or code in (0x0670, 0x0640):
            value = None
        elif code in (0x0622, 0x0623, 0x0625, 0x0671):
            value = "\u0627"
        elif category[0] in "PSZC":
            value = " "
        else:
            value = char
        self[code] = value
        return value


_SEPARATORS = _Separators()


def normalise(text: str) -> str:
    """As the classifier reads a text: NFKC, case-folded, punctuation as spaces, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().translate(_SEPARATORS).split())


def _dense_script(char: str) -> bool:
    """Hangul, Han and kana: one character is a syllable or a word, so shorter n-grams carry meaning."""
    code = ord(char)
    return (0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3040 <= code <= 0x30FF
            or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF)


def char_grams(word: str) -> list[str]:
    """Character n-grams of one word padded with spaces (so a word's start and end are marked)."""
    low, high = (1, 3) if _dense_script(word[0]) else (3, 5)
    padded = f" {word} "
    length = len(padded)
    if length <= low:
        return [padded]
    return [padded[i:i + n] for n in range(low, min(high, length) + 1) for i in range(length - n + 1)
            if padded[i:i + n] != " "]


def _word_grams(words: list[str]) -> list[str]:
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def _counts(rows: list[list[int]], n_columns: int) -> sparse.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(row) for row in rows], out=indptr[1:])
    indices = np.fromiter((i for row in rows for i in row), dtype=np.int32, count=int(indptr[-1]))
    matrix = sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), n_columns))
    matrix.sum_duplicates()
    return matrix


def _unit_rows(matrix: sparse.csr_matrix, unseen: np.ndarray | None = None) -> sparse.csr_matrix:
    """Each row divided by its L2 norm (empty rows stay empty), where `unseen` adds the squared weight
    of the row's features the vocabulary does not have (sklearn's normalize, minus its per-call
    validation, which costs more than the arithmetic for one question)."""
    row_of_entry = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    squares = np.bincount(row_of_entry, weights=matrix.data ** 2, minlength=matrix.shape[0])
    if unseen is not None:
        squares = squares + unseen
    matrix.data /= np.sqrt(squares)[row_of_entry]
    return matrix


def _unseen_weight(rows: list[list[str]], idf: float) -> np.ndarray:
    """Per row, the squared TF-IDF weight of features not in the vocabulary (idf of a term seen nowhere)."""
    weights = np.zeros(len(rows))
    for i, row in enumerate(rows):
        if row:
            counts = np.fromiter(Counter(row).values(), dtype=np.float64)
            weights[i] = np.sum(((1.0 + np.log(counts)) * idf) ** 2)
    return weights


class _Features:
    """TF-IDF of words and word pairs (one block) and of in-word character n-grams (another block);
    each block L2-normalised, then both weighted equally."""

    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        tokens = [normalise(t).split() for t in texts]
        self.terms: dict[str, int] = {}
        term_rows = [[self.terms.setdefault(g, len(self.terms)) for g in _word_grams(words)] for words in tokens]
        self.chars: dict[str, int] = {}
        self.words: dict[str, int] = {}  # distinct words -> row of self.word_chars
        word_rows, word_char_rows = [], []
        for words in tokens:
            row = []
            for word in words:
                index = self.words.get(word)
                if index is None:
                    index = self.words[word] = len(self.words)
                    word_char_rows.append([self.chars.setdefault(g, len(self.chars)) for g in char_grams(word)])
                row.append(index)
            word_rows.append(row)
        self.word_chars = _counts(word_char_rows, len(self.chars))
        term_counts = _counts(term_rows, len(self.terms))
        char_counts = (_counts(word_rows, len(self.words)) @ self.word_chars).tocsr()
        n = len(tokens)
        self.idf = [np.log((1 + n) / (1 + np.bincount(m.indices, minlength=m.shape[1]))) + 1
                    for m in (term_counts, char_counts)]
        self.unseen_idf = float(np.log(1 + n) + 1)  # smooth idf of a term in no example
        return self._weigh(term_counts, char_counts)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Features of new texts. Character n-grams the vocabulary lacks still count in their block's
        norm (as n-grams seen nowhere): otherwise a question sharing a few trigrams with the examples
        and nothing else would look, once normalised, as close to them as a paraphrase does, and
        get a confident answer. (Counting unseen words in the word block too was measured: it
        catches a little more out-of-scope but costs 0.35 points of CLINC150 accuracy.)"""
        tokens = [normalise(t).split() for t in texts]
        term_rows = [[self.terms[g] for g in _word_grams(words) if g in self.terms] for words in tokens]
        known = [[self.words[w] for w in words if w in self.words] for words in tokens]
        new_word_grams = [[g for w in words if w not in self.words for g in char_grams(w)] for words in tokens]
        unknown = [[self.chars[g] for g in row if g in self.chars] for row in new_word_grams]
        unseen_chars = _unseen_weight([[g for g in row if g not in self.chars] for row in new_word_grams],
                                      self.unseen_idf)
        char_counts = _counts(known, len(self.words)) @ self.word_chars + _counts(unknown, len(self.chars))
        return self._weigh(_counts(term_rows, len(self.terms)), char_counts.tocsr(), unseen=[None, unseen_chars])

    def _weigh(self, *blocks: sparse.csr_matrix, unseen: list[np.ndarray | None] | None = None) -> sparse.csr_matrix:
        weighted = []
        for index, (counts, idf) in enumerate(zip(blocks, self.idf)):
            counts = counts.astype(np.float64)
            counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
            weighted.append(_unit_rows(counts, unseen[index] if unseen else None))
        combined = sparse.hstack(weighted, format="csr")
        combined.data /= np.sqrt(len(blocks))
        return combined

    @property
    def n_features(self) -> int:
        return len(self.terms) + len(self.chars)


# --- scores: one linear SVM per label ----------------------------------------------------------

class _LabelScores:
    """One-vs-rest linear SVMs over the features; optionally each trained on its shortlist only."""

    def __init__(self, x: sparse.csr_matrix, y: np.ndarray, n_labels: int, *, seed: int, stage: "_Stage"):
        n, d = x.shape
        self.shortlist = SHORTLIST if n_labels > 2 * SHORTLIST else None
        present = np.bincount(y, minlength=n_labels) > 0
        self.centroids = None
        candidates = None
        if self.shortlist:
            self.centroids = self._centroids(x, y, n_labels)
            candidates = self._shortlists(x)
            candidates[np.arange(n), y] = True
        self.bias = np.full(n_labels, LOW_SCORE, dtype=np.float32)  # a label absent from x never wins
        if candidates is None:
            # Few labels: one liblinear call trains every one-vs-rest SVM (the same problems as the
            # loop below, without scikit-learn's per-call overhead, which dominates on small bots).
            svm = LinearSVC(C=SVM_C, tol=SVM_TOLERANCE, random_state=seed, max_iter=2000).fit(x, y)
            coef, intercept = svm.coef_, svm.intercept_
            if len(svm.classes_) == 2:
                coef, intercept = np.vstack([-coef[0], coef[0]]), np.array([-intercept[0], intercept[0]])
            weights = np.zeros((n_labels, d))
            weights[svm.classes_] = coef
            self.bias[svm.classes_] = intercept
            self.weights = sparse.csr_matrix(weights.T, dtype=np.float32)
            stage.set_progress(1.0)
            return
        # Many labels: a label's SVM trains on its shortlist, so most features never occur in its
        # examples and keep a zero weight (87 % on CLINC150): the weights are kept sparse.
        features, labels, values = [], [], []
        for label in range(n_labels):
            stage.raise_if_cancelled()
            if present[label]:
                rows = np.flatnonzero(candidates[:, label])
                target = (y[rows] == label).astype(np.int8)
                if target.min() == 1:  # only this label's examples: nothing to tell apart
                    self.bias[label] = 1.0
                else:
                    svm = LinearSVC(C=SVM_C, tol=SVM_TOLERANCE, random_state=seed, max_iter=2000)
                    svm.fit(x[rows], target)
                    used = np.flatnonzero(svm.coef_[0])
                    features.append(used)
                    labels.append(np.full(len(used), label))
                    values.append(svm.coef_[0][used])
                    self.bias[label] = svm.intercept_[0]
            stage.set_progress(label + 1, n_labels)
        self.weights = sparse.csr_matrix(  # features x labels, for x @ weights
            (np.concatenate(values or [np.zeros(0)]).astype(np.float32),
             (np.concatenate(features or [np.zeros(0, int)]), np.concatenate(labels or [np.zeros(0, int)]))),
            shape=(d, n_labels))

    @staticmethod
    def _centroids(x: sparse.csr_matrix, y: np.ndarray, n_labels: int) -> sparse.csr_matrix:
        membership = sparse.csr_matrix((np.ones(len(y)), (y, np.arange(len(y)))), shape=(n_labels, len(y)))
        # features x labels, row-compressed: a product with a csc matrix would convert it every call
        return normalize(membership @ x).T.tocsr().astype(np.float32)

    def _shortlists(self, x: sparse.csr_matrix) -> np.ndarray:
        similarity = (x.astype(np.float32) @ self.centroids).toarray()
        best = np.argpartition(-similarity, self.shortlist, axis=1)[:, :self.shortlist]
        chosen = np.zeros(similarity.shape, dtype=bool)
        np.put_along_axis(chosen, best, True, axis=1)
        return chosen

    def scores(self, x: sparse.csr_matrix) -> np.ndarray:
        x = x.astype(np.float32)
        scores = (x @ self.weights).toarray() + self.bias
        if self.shortlist:
            scores = np.where(self._shortlists(x), scores, np.minimum(scores, LOW_SCORE))
        return scores.astype(np.float64)


# --- calibration and the threshold --------------------------------------------------------------

def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _with_none(scores: np.ndarray, oos: int | None) -> tuple[np.ndarray, int]:
    """The scores and the column that means "none of the intents": the out-of-scope label's, or an
    added column of zeros (whose logit is then only the fitted offset)."""
    if oos is not None:
        return scores, oos
    return np.column_stack([scores, np.zeros(len(scores))]), scores.shape[1]


def _softmax(temperature: float, none_score: float, scores: np.ndarray, none: int) -> np.ndarray:
    """softmax(temperature * scores), the "none" column's score raised by `none_score`."""
    logits = scores * temperature
    logits[:, none] += temperature * none_score
    return np.exp(logits - logsumexp(logits, axis=1, keepdims=True))


def _fit_softmax(scores: np.ndarray, target: np.ndarray, weight: np.ndarray, none: int,
                 prior_score: float) -> tuple[float, float]:
    """Temperature and "none" score minimising the weighted held-out log loss, pulled towards
    PRIOR_TEMPERATURE and `prior_score` as strongly as CALIBRATION_PRIOR examples would pull: a
    bot of 4 intents x 6 examples has 24 held-out scores, all right, which alone would send the
    temperature to infinity and every answer to a confidence of 1."""
    rows = np.arange(len(target))
    is_none = (target == none).astype(float)
    pull = CALIBRATION_PRIOR / len(target)
    weight = weight / weight.sum()

    def loss(params):
        temperature, none_score = params
        probabilities = _softmax(temperature, none_score, scores, none)
        shifted = scores[rows, target] + none_score * is_none
        value = -np.sum(weight * np.log(np.maximum(probabilities[rows, target], 1e-300)))
        expected = np.sum(probabilities * scores, axis=1) + none_score * probabilities[:, none]
        grad_t = np.sum(weight * (expected - shifted))
        grad_m = temperature * np.sum(weight * (probabilities[:, none] - is_none))
        log_ratio = np.log(temperature / PRIOR_TEMPERATURE)
        value += pull * (log_ratio ** 2 + ((none_score - prior_score) / PRIOR_SCORE_SPREAD) ** 2)
        grad_t += pull * 2 * log_ratio / temperature
        grad_m += pull * 2 * (none_score - prior_score) / PRIOR_SCORE_SPREAD ** 2
        return value, np.array([grad_t, grad_m])

    fitted = minimize(loss, np.array([PRIOR_TEMPERATURE, prior_score]), jac=True, method="L-BFGS-B",
                      bounds=[(0.05, 100.0), (-5.0, 5.0)])
    return float(fitted.x[0]), float(fitted.x[1])


def _fit_top_label(confidence: np.ndarray, right: np.ndarray, weight: np.ndarray) -> tuple[float, float]:
    """Platt scaling of the top probability: P(top label right) = sigmoid(a * logit(top) + b). The
    softmax fits the whole distribution; people read the top number, which on held-out data claimed
    a few points more than the accuracy. Pulled towards the identity like the softmax's parameters."""
    z = _logit(confidence)
    y = right.astype(float)
    pull = CALIBRATION_PRIOR / len(y)
    weight = weight / weight.sum()

    def loss(params):
        a, b = params
        p = np.clip(1 / (1 + np.exp(-(a * z + b))), 1e-9, 1 - 1e-9)
        value = -np.sum(weight * (y * np.log(p) + (1 - y) * np.log(1 - p))) + pull * ((a - 1) ** 2 + b ** 2)
        grad = np.array([np.sum(weight * (p - y) * z) + 2 * pull * (a - 1), np.sum(weight * (p - y)) + 2 * pull * b])
        return value, grad

    fitted = minimize(loss, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B", bounds=[(0.05, 20.0), (-20.0, 20.0)])
    return float(fitted.x[0]), float(fitted.x[1])


@dataclass(frozen=True)
class _Calibration:
    """From SVM scores to probabilities, fitted on held-out scores.

    1. A softmax with one temperature over the labels plus "none of them", whose offset is fitted
       too. With out-of-scope examples, "none" is the out-of-scope label. Without them it is an
       added column that no label can lose to, fitted on the held-out examples plus each of them
       again with its own intent's score removed, labelled "none" (weight OUT_OF_SCOPE_SHARE):
       what the bot sees when asked about a topic it was not taught. This is what lets a bot
       without out-of-scope examples still say "I don't know".
    2. Platt scaling of the top label's probability, so that the confidence shown means P(right).
    The other labels share the rest in the softmax's proportions: each row sums to 1."""

    temperature: float
    none_score: float
    top_label: tuple[float, float]
    oos: int | None

    @classmethod
    def fit(cls, scores: np.ndarray, truth: np.ndarray, oos: int | None) -> "_Calibration":
        if oos is None:
            extended, none = _with_none(np.vstack([scores, _unknown_topic(scores, truth)]), oos)
            target = np.concatenate([truth, np.full(len(truth), none)])
            weight = np.concatenate([np.ones(len(truth)), np.full(len(truth), OUT_OF_SCOPE_SHARE)])
            prior = PRIOR_NONE_SCORE
        else:  # real out-of-scope examples say it better (and near misses would make the label lose to oos)
            extended, none, target, weight, prior = scores, oos, truth, np.ones(len(truth)), 0.0
        temperature, none_score = _fit_softmax(extended, target, weight, none, prior)
        labels = _softmax(temperature, none_score, extended, none)[:, :scores.shape[1]]
        top_label = _fit_top_label(labels.max(axis=1), labels.argmax(axis=1) == target, weight)
        return cls(temperature, none_score, top_label, oos)

    def probabilities(self, scores: np.ndarray) -> np.ndarray:
        extended, none = _with_none(scores, self.oos)
        probabilities = _softmax(self.temperature, self.none_score, extended, none)[:, :scores.shape[1]]
        rows = np.arange(len(probabilities))
        best = probabilities.argmax(axis=1)
        top = probabilities[rows, best]
        a, b = self.top_label
        calibrated = 1 / (1 + np.exp(-(a * _logit(top) + b)))
        others = probabilities.sum(axis=1) - top
        probabilities *= np.where(others > 0, (1 - calibrated) / np.maximum(others, 1e-300), 0.0)[:, None]
        probabilities[rows, best] = calibrated
        # the label shown first stays the most likely one, and each row sums to 1
        if probabilities.shape[1] > 1:
            runner_up = np.partition(probabilities, -2, axis=1)[:, -2]
            probabilities[rows, best] = np.maximum(calibrated, runner_up)
        return probabilities / probabilities.sum(axis=1, keepdims=True)


def _unknown_topic(scores: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Held-out scores with each example's own intent removed: a question on a topic the bot lacks."""
    unknown = scores.copy()
    unknown[np.arange(len(truth)), truth] = LOW_SCORE
    return unknown


def _suggest_threshold(probabilities: np.ndarray, truth: np.ndarray, oos: int | None) -> float:
    """The bot answers when it is more likely right than wrong (0.5), and declines more if that
    costs little: up to the highest threshold (0.00..0.95) at which it still answers right all but
    ACCURACY_TOLERANCE of the held-out in-scope questions it would answer right with no threshold.
    (Weighing declined out-of-scope questions against lost answers was tried: with 40 held-out
    out-of-scope examples, as CLINC150 gives, it swung from 0.46 to 0.83 with the weights.)"""
    in_scope = truth != oos if oos is not None else np.ones(len(truth), dtype=bool)
    label = probabilities.argmax(axis=1)
    confidence = probabilities.max(axis=1)
    right = (label == truth) & in_scope
    floor = right[in_scope].mean() - ACCURACY_TOLERANCE
    best = MIN_THRESHOLD
    for threshold in np.round(np.arange(MIN_THRESHOLD, 0.951, 0.01), 2):
        if (right & (confidence >= threshold))[in_scope].mean() >= floor - 1e-12:
            best = float(threshold)
    return best


# --- progress in stages -------------------------------------------------------------------------

class _Stage:
    """A share [start, end] of a TaskState's progress bar, with the same cancel button."""

    def __init__(self, state: TaskState, start: float, end: float, message: str = ""):
        self.state, self.start, self.end, self.message = state, start, end, message

    def set_progress(self, done: float, total: float = 1.0) -> None:
        share = 0.0 if total <= 0 else min(1.0, done / total)
        self.state.set_progress(self.start + (self.end - self.start) * share, 1.0, self.message)

    def raise_if_cancelled(self) -> None:
        self.state.raise_if_cancelled()

    def part(self, index: int, count: int) -> "_Stage":
        width = (self.end - self.start) / count
        return _Stage(self.state, self.start + index * width, self.start + (index + 1) * width, self.message)


# --- the model ----------------------------------------------------------------------------------

class IntentModel:
    """A trained classifier. Immutable after training; safe to use from any thread."""

    def __init__(self, labels: tuple[str, ...], features: _Features, scores: _LabelScores,
                 calibration: _Calibration, suggested_threshold: float, held_out_accuracy: float):
        self.labels: tuple[str, ...] = labels  # sorted; includes OUT_OF_SCOPE if trained with it
        self.suggested_threshold: float = suggested_threshold
        self.held_out_accuracy: float = held_out_accuracy  # in-scope, answering everything (threshold 0)
        self._features = features
        self._scores = scores
        self._calibration = calibration

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """rows x labels: the calibrated probability of each label (columns in `labels` order)."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, len(self.labels)))
        return self._calibration.probabilities(self._scores.scores(self._features.transform(texts)))

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        probabilities = self.probabilities(texts)
        top = np.argsort(-probabilities, axis=1, kind="stable")[:, :3]
        predictions = []
        for row, best in zip(probabilities, top):
            ranking = tuple((self.labels[i], float(row[i])) for i in best)
            predictions.append(Prediction(ranking[0][0], ranking[0][1], ranking))
        return predictions

    def predict_one(self, text: str) -> Prediction:
        return self.predict([text])[0]

    def decide(self, prediction: Prediction, threshold: float) -> str | None:
        """The in-scope label to act on, or None when unsure (confidence < threshold) or out of scope."""
        if prediction.label == OUT_OF_SCOPE or prediction.confidence < threshold:
            return None
        return prediction.label


def check_examples(texts: Sequence[str], labels: Sequence[str]) -> None:
    """Raise TrainingDataError (translated, naming the row) when these examples cannot train a model."""
    if len(texts) != len(labels):
        raise TrainingDataError(_("There are {texts} examples but {labels} labels: give one label per example.")
                                .format(texts=len(texts), labels=len(labels)))
    for row, (text, label) in enumerate(zip(texts, labels), start=1):
        if not isinstance(label, str) or not label.strip():
            raise TrainingDataError(_("Example {row} has no intent.").format(row=row), row)
        if not isinstance(text, str) or not text.strip():
            raise TrainingDataError(_("Example {row} (intent '{intent}') is empty.").format(row=row, intent=label),
                                    row)
    intents = sorted({label for label in labels if label != OUT_OF_SCOPE})
    if len(intents) < 2:
        raise TrainingDataError(ngettext(
            "A classifier needs examples of at least 2 intents; these examples have {n} ({intents}).",
            "A classifier needs examples of at least 2 intents; these examples have {n} ({intents}).",
            len(intents)).format(n=len(intents), intents=", ".join(intents) or "-"))


def fold_of_each_example(labels: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """Stratified, seeded fold numbers: each label's examples are spread evenly over the folds."""
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(labels), dtype=np.int64)
    offset = 0
    for label in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == label))
        fold[rows] = (np.arange(len(rows)) + offset) % folds  # rotating start: folds stay even in size
        offset += len(rows)
    return fold


def train_intents(texts: Sequence[str], labels: Sequence[str], *, state: TaskState | None = None,
                  seed: int = 0) -> IntentModel:
    """Train offline on (utterance, label) pairs (label OUT_OF_SCOPE for out-of-scope examples).
    Raises TrainingDataError (an InvalidInput) with a clear message when the examples cannot train."""
    texts, labels = list(texts), list(labels)
    check_examples(texts, labels)
    state = state or TaskState()
    stage = _Stage(state, 0.0, 1.0, _("Training the classifier"))
    names, truth = np.unique(np.asarray(labels, dtype=object).astype(str), return_inverse=True)
    label_names = tuple(str(name) for name in names)
    oos = label_names.index(OUT_OF_SCOPE) if OUT_OF_SCOPE in label_names else None

    features = _Features()
    x = features.fit_transform(texts)
    stage.raise_if_cancelled()
    stage.set_progress(0.05)

    # Held-out scores: each example scored by a model that did not see it (one fold of five when the
    # set is large, all five otherwise). The features' vocabulary includes held-out words; a model
    # that never saw a word gives it no weight, so that is the same as an unknown word.
    folds = fold_of_each_example(truth, HELD_OUT_FOLDS, seed)
    rounds = [0] if len(texts) >= LARGE else range(HELD_OUT_FOLDS)
    held_out_stage = _Stage(state, 0.05, 0.5, stage.message)
    held_rows, held_scores = [], []
    for index, fold in enumerate(rounds):
        train = folds != fold
        if len(np.unique(truth[train])) < 2:
            continue
        scorer = _LabelScores(x[train], truth[train], len(label_names), seed=seed,
                              stage=held_out_stage.part(index, len(rounds)))
        held_rows.append(np.flatnonzero(~train))
        held_scores.append(scorer.scores(x[~train]))
    held = np.concatenate(held_rows)
    held_scores = np.vstack(held_scores)
    calibration = _Calibration.fit(held_scores, truth[held], oos)
    held_probabilities = calibration.probabilities(held_scores)
    threshold = _suggest_threshold(held_probabilities, truth[held], oos)
    in_scope = truth[held] != oos if oos is not None else np.ones(len(held), dtype=bool)
    held_accuracy = float((held_probabilities.argmax(axis=1) == truth[held])[in_scope].mean())

    scorer = _LabelScores(x, truth, len(label_names), seed=seed, stage=_Stage(state, 0.5, 1.0, stage.message))
    stage.set_progress(1.0)
    return IntentModel(label_names, features, scorer, calibration, threshold, held_accuracy)
