"""`python main.py chatbot evaluate --train FILE --test FILE [--threshold T] [--json]`: train the lab's
classifier on one file of (utterance, intent) pairs and evaluate it on another.

app/cli.py wires the command; the work is here so it stays Qt-free and testable:

    try:
        summary = evaluate_files(train, test, threshold)    # JSON-able dict (fractions, seconds)
    except PairsFileError as err:                          # str(err) names the file, the line and the fix
        print(err, file=sys.stderr); return 1
    print(json.dumps(summary)) or print(summary_text(summary))

Files it reads (FORMATS_HELP says the same for --help):
- CSV with a header row naming a `text` column and an `intent` column (or `category`, as Banking77
  has, or `label`); comma, semicolon, tab or vertical bar; UTF-8, Korean CP949 or Windows-1252;
- JSON: a list of [text, intent] pairs (CLINC150's style) or of {"text": ..., "intent": ...}
  objects; for a file holding several named lists (CLINC150's data_full.json) name the lists
  after '#': data_full.json#train,val,oos_train,oos_val;
- a bot file (.bot.json) exported by the chatbot lab: its examples and out-of-scope examples.
Rows whose intent is `oos` are out of scope, in training and in testing.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
import time
from pathlib import Path
from typing import Any

from app.core.formatting import number
from app.core.i18n import _, ngettext
from app.core.tasks import TaskState

# The classifier (scikit-learn) is imported inside the functions that train: app/cli.py imports this
# module to build --help, and every headless command must start quickly.

MAX_FILE_BYTES = 100 * 1024**2
MAX_PROBLEMS = 10  # rows listed when a file has many bad rows (the count stays exact)
TEXT_COLUMNS = ("text",)
INTENT_COLUMNS = ("intent", "category", "label")
REPLY_SAMPLES = 50  # predict_one calls timed for the reply latency

FORMATS_HELP = ("CSV with a header row naming a 'text' column and an 'intent' (or 'category', or 'label') column; "
                "or JSON: a list of [text, intent] pairs (CLINC150 style) or of {\"text\", \"intent\"} objects; "
                "for a JSON file of several named lists, choose them after '#', e.g. "
                "data_full.json#train,val,oos_train,oos_val; or a .bot.json file exported by the chatbot lab. "
                "Rows whose intent is 'oos' are out of scope.")


class PairsFileError(Exception):
    """A file of examples that cannot be used; str() is the translated message naming file and line."""


def _split_selection(spec: str | Path) -> tuple[Path, list[str]]:
    text = str(spec)
    if "#" in text and not Path(text).exists():
        path, _hash, names = text.rpartition("#")
        return Path(path), [n.strip() for n in names.split(",") if n.strip()]
    return Path(text), []


def read_pairs(spec: str | Path) -> tuple[list[str], list[str]]:
    """(texts, intents) from a CSV, JSON or bot file; raises PairsFileError."""
    path, lists = _split_selection(spec)
    if not path.exists():
        raise PairsFileError(_("There is no file at {path}.").format(path=path))
    if path.is_dir():
        raise PairsFileError(_("{path} is a folder; choose a file inside it.").format(path=path))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise PairsFileError(_("{file} is {size} MB; files of examples may have up to {limit} MB.").format(
            file=path.name, size=f"{size / 1024**2:.0f}", limit=MAX_FILE_BYTES // 1024**2))
    if size == 0:
        raise PairsFileError(_("{file} is empty.").format(file=path.name))
    if path.suffix.lower() == ".json":
        texts, labels = _read_json(path, lists)
    else:
        if lists:
            raise PairsFileError(_("{file}: only a JSON file has named lists to choose after '#'.").format(
                file=path.name))
        texts, labels = _read_csv(path)
    if not texts:
        raise PairsFileError(_("{file} has no examples: it needs one row per example.").format(file=path.name))
    return texts, labels


def _decode(path: Path) -> str:
    from labs.data_analysis.engine.reading import UnreadableFile, detect_encoding

    with open(path, "rb") as f:
        head = f.read(64 * 1024)
    try:
        encoding = detect_encoding(path, head, TaskState())
    except UnreadableFile as err:
        raise PairsFileError(str(err)) from None
    with open(path, encoding=encoding, newline="") as f:
        return f.read()


def _read_csv(path: Path) -> tuple[list[str], list[str]]:
    from labs.data_analysis.engine.reading import guess_delimiter

    content = _decode(path)
    delimiter = guess_delimiter(content[:64 * 1024], len(content) <= 64 * 1024)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise PairsFileError(_("{file} is empty.").format(file=path.name)) from None
    except csv.Error as err:
        raise PairsFileError(_("{file}, line {line}: {reason}").format(file=path.name, line=1, reason=err)) from None
    names = [name.strip().lstrip("\ufeff").casefold() for name in header]
    text_at = next((names.index(c) for c in TEXT_COLUMNS if c in names), None)
    intent_at = next((names.index(c) for c in INTENT_COLUMNS if c in names), None)
    if text_at is None or intent_at is None:
        missing = "text" if text_at is None else "intent"
        raise PairsFileError(_("{file}, line 1: the header has no '{missing}' column. It needs a 'text' column "
                               "and an 'intent' (or 'category') column; it has: {columns}.").format(
            file=path.name, missing=missing, columns=", ".join(h.strip() for h in header) or "-"))
    texts, labels, problems, bad = [], [], [], 0
    line = reader.line_num
    try:
        for record in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # blank line
            problem = None
            if len(record) <= max(text_at, intent_at):
                problem = _("line {line} has {n} fields; the header has {expected}.").format(
                    line=start, n=len(record), expected=len(header))
            elif not record[text_at].strip():
                problem = _("line {line}: the text is empty.").format(line=start)
            elif not record[intent_at].strip():
                problem = _("line {line}: the intent is empty.").format(line=start)
            if problem:
                bad += 1
                if len(problems) < MAX_PROBLEMS:
                    problems.append(problem)
                continue
            texts.append(record[text_at].strip())
            labels.append(record[intent_at].strip())
    except csv.Error as err:
        raise PairsFileError(_("{file}, line {line}: {reason}").format(file=path.name, line=line + 1,
                                                                      reason=err)) from None
    if problems:
        more = bad - len(problems)
        lines = [f"{path.name}, {p}" for p in problems]
        if more:
            lines.append(ngettext("{file}: and {n} more row like these.", "{file}: and {n} more rows like these.",
                                  more).format(file=path.name, n=more))
        raise PairsFileError("\n".join(lines))
    return texts, labels


def _read_json(path: Path, lists: list[str]) -> tuple[list[str], list[str]]:
    try:
        data = json.loads(_decode(path))
    except json.JSONDecodeError as err:
        raise PairsFileError(_("{file} is not valid JSON: line {line}, column {column}: {reason}.").format(
            file=path.name, line=err.lineno, column=err.colno, reason=err.msg)) from None
    if isinstance(data, dict) and data.get("format") == "civic-ai-academy/bot":
        from labs.chatbot.engine.bot import BotFileError, load_bot

        try:
            return load_bot(path).training_pairs()
        except BotFileError as err:
            raise PairsFileError(str(err)) from None
    if isinstance(data, dict):
        if not lists:
            raise PairsFileError(_("{file} holds several lists ({names}); choose the ones to use after '#', "
                                   "e.g. {file}#{first}.").format(file=path.name, names=", ".join(map(str, data)),
                                                                  first=next(iter(data), "train")))
        unknown = [name for name in lists if name not in data]
        if unknown:
            raise PairsFileError(_("{file} has no list named {names}; it has: {known}.").format(
                file=path.name, names=", ".join(unknown), known=", ".join(map(str, data))))
        items = [(f"{name}[{i}]", item) for name in lists for i, item in enumerate(data[name])]
    elif isinstance(data, list):
        items = [(f"[{i}]", item) for i, item in enumerate(data)]
    else:
        raise PairsFileError(_("{file} must hold a list of [text, intent] pairs.").format(file=path.name))
    texts, labels = [], []
    for where, item in items:
        if isinstance(item, dict):
            text, intent = item.get("text"), next((item[c] for c in INTENT_COLUMNS if c in item), None)
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            text, intent = item
        else:
            raise PairsFileError(_("{file}, {where}: each example must be a pair [text, intent].").format(
                file=path.name, where=where))
        if not isinstance(text, str) or not text.strip():
            raise PairsFileError(_("{file}, {where}: the text is empty or not a string.").format(
                file=path.name, where=where))
        if not isinstance(intent, str) or not intent.strip():
            raise PairsFileError(_("{file}, {where}: the intent is empty or not a string.").format(
                file=path.name, where=where))
        texts.append(text.strip())
        labels.append(intent.strip())
    return texts, labels


def evaluate_files(train: str | Path, test: str | Path, threshold: float | None = None,
                   state: TaskState | None = None) -> dict[str, Any]:
    """Train on one file, evaluate on the other: evaluation_json plus train_seconds, sizes and a reply time."""
    from labs.chatbot.engine.classifier import OUT_OF_SCOPE, TrainingDataError, train_intents
    from labs.chatbot.engine.evaluation import evaluate, evaluation_json

    state = state or TaskState()
    train_texts, train_labels = read_pairs(train)
    test_texts, test_labels = read_pairs(test)
    start = time.perf_counter()
    try:
        model = train_intents(train_texts, train_labels, state=state, seed=0)
    except TrainingDataError as err:
        raise PairsFileError(_("{file}: {problem}").format(file=_split_selection(train)[0].name, problem=err)) from None
    train_seconds = time.perf_counter() - start
    evaluation = evaluate(model, test_texts, test_labels, threshold)
    answering_all = evaluate(model, test_texts, test_labels, 0.0)
    replies = []
    for text in test_texts[:REPLY_SAMPLES]:
        begin = time.perf_counter()
        model.predict_one(text)
        replies.append(time.perf_counter() - begin)
    known = set(model.labels)
    summary = {
        "train_file": str(train), "test_file": str(test),
        "n_train": len(train_texts), "n_test": len(test_texts),
        "intents": sum(label != OUT_OF_SCOPE for label in model.labels),
        "train_seconds": round(train_seconds, 3),
        "suggested_threshold": model.suggested_threshold,
        "in_scope_accuracy_answering_all": round(answering_all.in_scope_accuracy, 4),
        "reply_ms_median": round(1000 * statistics.median(replies), 2),
        "unknown_test_intents": sorted({label for label in test_labels if label not in known}),
    }
    summary.update(evaluation_json(evaluation))
    return summary


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def summary_text(summary: dict[str, Any]) -> str:
    """The same summary for a person reading a terminal."""
    lines = [
        _("Trained on {n} examples of {k} intents in {seconds} s; tested on {m} examples.").format(
            n=number(summary["n_train"]), k=summary["intents"], seconds=f"{summary['train_seconds']:.2f}",
            m=number(summary["n_test"])),
        _("Threshold {threshold} (the training data suggests {suggested}).").format(
            threshold=f"{summary['threshold']:.2f}", suggested=f"{summary['suggested_threshold']:.2f}"),
        _("In-scope accuracy: {accuracy} ({all} if the bot answered every question).").format(
            accuracy=_percent(summary["in_scope_accuracy"]), all=_percent(summary["in_scope_accuracy_answering_all"])),
        _("Macro F1 over the intents: {f1}").format(f1=_percent(summary["macro_f1"])),
        (_("Out-of-scope recall: {recall} of the out-of-scope questions declined.").format(
            recall=_percent(summary["oos_recall"])) if summary["oos_recall"] is not None else
         _("Out-of-scope recall: the test file has no out-of-scope rows (intent 'oos').")),
        _("Handed to a person: {share} of the in-scope questions.").format(share=_percent(summary["unsure_share"])),
        _("One reply takes {ms} ms.").format(ms=summary["reply_ms_median"]),
    ]
    if summary["unknown_test_intents"]:
        lines.append(_("The test file has intents the training file does not: {intents}. Their rows count as "
                       "wrong.").format(intents=", ".join(summary["unknown_test_intents"][:10])))
    weakest = sorted(summary["per_intent"].items(), key=lambda item: (item[1]["f1"], item[0]))[:5]
    if weakest:
        lines.append(_("Weakest intents (F1): {intents}").format(intents=", ".join(
            f"{intent} {_percent(score['f1'])}" for intent, score in weakest)))
    lines += ["- " + suggestion for suggestion in summary["suggestions"]]
    return "\n".join(lines)
