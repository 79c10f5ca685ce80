"""The runnable scikit-learn script that does what the learner's bot does: learn the intents from
their examples, answer a question (or hand it to a person, or fall back), and, once the learner has
evaluated the bot, measure it on held-out examples.

It mirrors labs/chatbot/engine/classifier.py in plain scikit-learn: the same text normalisation, TF-IDF
of words and word pairs plus in-word character n-grams, one linear SVM, and a softmax over its scores
with the temperature and offsets the lab's model fitted on held-out examples (copied into the script
as numbers). The classifier has refinements the script leaves out (the weight of unseen character
n-grams, shortlists for very many intents); a test checks that both still agree on nearly every
question.
"""

from __future__ import annotations

from typing import Any

from app.core.i18n import _
from labs.chatbot.engine.bot import OUT_OF_SCOPE_ID, Bot

# The recipe, as in classifier.py (kept here so the script reads as plain scikit-learn).
SVM_C = 1.5
SVM_TOLERANCE = 0.01
SEED = 0
FOLDS = 5
# Used until the bot is trained: a softmax temperature and no correction of the top probability.
DEFAULT_CALIBRATION = (5.0, 0.0, 1.0, 0.0)


def calibration_of(model: Any) -> tuple[float, float, float, float]:
    """(temperature, out-of-scope offset, top-label slope, top-label intercept) the model fitted on
    held-out examples; the defaults when the model does not say (another classifier version)."""
    calibration = getattr(model, "_calibration", None)  # read only; the classifier owns it
    try:
        slope, intercept = calibration.top_label
        return (float(calibration.temperature), float(calibration.none_offset), float(slope), float(intercept))
    except (AttributeError, TypeError, ValueError):
        return DEFAULT_CALIBRATION


def _comment(text: str) -> str:
    return "# " + " ".join(text.split())


def _examples_block(bot: Bot) -> list[str]:
    lines = ["examples = {"]
    for intent in bot.intents:
        if not intent.examples:
            continue
        lines.append(f"    {intent.id!r}: [")
        lines += [f"        {text!r}," for text in intent.examples]
        lines.append("    ],")
    if bot.out_of_scope:
        lines.append(f"    {OUT_OF_SCOPE_ID!r}: [  " + _comment(_("out of scope: questions the bot must not answer")))
        lines += [f"        {text!r}," for text in bot.out_of_scope]
        lines.append("    ],")
    lines.append("}")
    return lines


def _answers_block(bot: Bot) -> list[str]:
    lines = ["answers = {"]
    for intent in bot.intents:
        if intent.examples and intent.answers:
            lines.append(f"    {intent.id!r}: {list(intent.answers)!r},")
    lines.append("}")
    return lines


_FEATURES = '''
def normalise(text):
    """As the lab reads a text: NFKC, lower case, punctuation as spaces, Arabic vowel marks dropped."""
    kept = []
    for ch in unicodedata.normalize("NFKC", text).casefold():
        if ch in "\\u200c\\u200d":  # zero-width (non-)joiners change how a word is written: keep them
            kept.append(ch)
        elif "\\u064b" <= ch <= "\\u065f" or ch in "\\u0670\\u0640":
            continue
        elif ch in "\\u0622\\u0623\\u0625\\u0671":
            kept.append("\\u0627")
        elif unicodedata.category(ch)[0] in "PSZC":
            kept.append(" ")
        else:
            kept.append(ch)
    return "".join(kept).split()


def words_and_pairs(text):
    words = normalise(text)
    return words + [a + " " + b for a, b in zip(words, words[1:])]


def letter_groups(text):
    """Character n-grams inside each word: 1-3 for Korean, Chinese and Japanese (one character is a
    syllable), 3-5 otherwise. They match "발급받고" with "발급하려면", and Khmer without spaces."""
    grams = []
    for word in normalise(text):
        dense = "\\uac00" <= word[0] <= "\\ud7a3" or "\\u3040" <= word[0] <= "\\u9fff"
        low, high = (1, 3) if dense else (3, 5)
        padded = " " + word + " "
        for n in range(low, min(high, len(padded)) + 1):
            grams += [padded[i:i + n] for i in range(len(padded) - n + 1) if padded[i:i + n] != " "]
    return grams or [" "]


def train(texts, labels):
    grams = [TfidfVectorizer(analyzer=words_and_pairs, sublinear_tf=True),
             TfidfVectorizer(analyzer=letter_groups, sublinear_tf=True)]
    x = sparse.hstack([g.fit_transform(texts) for g in grams]).tocsr() / np.sqrt(2)
    return grams, LinearSVC(C=SVM_C, tol=SVM_TOLERANCE, random_state=SEED, max_iter=2000).fit(x, labels)


def confidences(grams, model, texts):
    """How sure the model is of each intent (0 to 1): a softmax over the SVM scores, with the
    temperature and offsets the lab fitted on examples held out while training."""
    x = sparse.hstack([g.transform(texts) for g in grams]).tocsr() / np.sqrt(2)
    scores = np.atleast_2d(model.decision_function(x))
    if len(model.classes_) == 2:
        scores = np.column_stack([-scores[:, 0], scores[:, 0]])
    classes = list(model.classes_)
    if "oos" in classes:
        none = classes.index("oos")
    else:  # no out-of-scope examples: a column for "none of these" with a score of 0
        scores, none = np.column_stack([scores, np.zeros(len(scores))]), len(classes)
    logits = TEMPERATURE * scores
    logits[:, none] += NONE_OFFSET
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = (p / p.sum(axis=1, keepdims=True))[:, :len(classes)]
    best = p.argmax(axis=1)
    top = np.clip(p.max(axis=1), 1e-6, 1 - 1e-6)
    calibrated = 1 / (1 + np.exp(-(TOP_SLOPE * np.log(top / (1 - top)) + TOP_INTERCEPT)))
    return [str(classes[b]) for b in best], calibrated
'''.strip("\n")


def script(bot: Bot, threshold: float, question: str = "", *, evaluated: bool = False,
           calibration: tuple[float, float, float, float] = DEFAULT_CALIBRATION) -> str:
    """The script for the bot as it is now. `question` is the learner's latest test-chat question
    (a sample one when empty); `evaluated` adds the held-out evaluation; `calibration` comes from
    the trained model (calibration_of)."""
    temperature, offset, slope, intercept = calibration
    lines = [_comment(_("What your chatbot does, as scikit-learn code. Run it with Python.")),
             _comment(_("Bot: {name}").format(name=bot.name)),
             "import unicodedata", "", "import numpy as np", "from scipy import sparse",
             "from sklearn.feature_extraction.text import TfidfVectorizer", "from sklearn.svm import LinearSVC",
             "", _comment(_("1. Your intents and the examples the bot learns from")), *_examples_block(bot),
             *_answers_block(bot),
             f"fallback = {bot.fallback!r}",
             f"handoff = {' '.join(p for p in (bot.handoff.message, bot.handoff.contact) if p)!r}",
             f"threshold = {threshold!r}  " + _comment(_("below this confidence, hand over to a person")),
             "texts = [text for lines in examples.values() for text in lines]",
             "labels = np.array([intent for intent, lines in examples.items() for _text in lines])", ""]
    if len([intent for intent in bot.intents if intent.examples]) < 2:
        lines += [_comment(_("Next: give at least two intents some examples, then train the bot.")),
                  "print(len(texts), 'examples')"]
        return "\n".join(lines) + "\n"
    lines += [
        _comment(_("2. Train: TF-IDF of words and of letter groups inside words, and a linear model (SVM) over "
                   "them")),
        f"SVM_C, SVM_TOLERANCE, SEED = {SVM_C!r}, {SVM_TOLERANCE!r}, {SEED}",
        _comment(_("Fitted by the lab on examples held out while training (they turn scores into confidences)")),
        f"TEMPERATURE, NONE_OFFSET = {round(temperature, 4)!r}, {round(offset, 4)!r}",
        f"TOP_SLOPE, TOP_INTERCEPT = {round(slope, 4)!r}, {round(intercept, 4)!r}",
        "", "", _FEATURES, "", "",
        "grams, model = train(texts, labels)",
        "",
        _comment(_("3. Answer a question: the most likely intent and its confidence; out of scope gets the "
                   "fallback, too unsure goes to a person")),
        "def reply(question):",
        "    [intent], [confidence] = confidences(grams, model, [question])",
        f"    if intent == {OUT_OF_SCOPE_ID!r}:",
        "        return intent, float(confidence), fallback",
        "    if confidence < threshold or intent not in answers:",
        "        return intent, float(confidence), handoff",
        "    return intent, float(confidence), answers[intent][0]",
        "",
        "",
        f"print(reply({(question or _('How do I renew my passport?'))!r}))",
    ]
    if evaluated:
        lines += [
            "",
            _comment(_("4. Held-out evaluation: each example is answered by a model trained without it")),
            "from sklearn.model_selection import StratifiedKFold",
            "",
            f"folds = max(2, min({FOLDS}, min(np.unique(labels, return_counts=True)[1])))",
            "decided = np.empty(len(texts), dtype=object)",
            ("for train_rows, test_rows in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(texts, "
             "labels):"),
            "    fold_grams, fold_model = train([texts[i] for i in train_rows], labels[train_rows])",
            "    best, sure = confidences(fold_grams, fold_model, [texts[i] for i in test_rows])",
            (f"    decided[test_rows] = [None if b == {OUT_OF_SCOPE_ID!r} or c < threshold else b for b, c in "
             "zip(best, sure)]"),
            f"in_scope = labels != {OUT_OF_SCOPE_ID!r}",
            "print('in-scope accuracy', np.mean(decided[in_scope] == labels[in_scope]))",
            "print('handed to a person', np.mean([d is None for d in decided[in_scope]]))",
            "if (~in_scope).any():",
            "    print('out-of-scope recall', np.mean([d is None for d in decided[~in_scope]]))",
        ]
    return "\n".join(lines) + "\n"
