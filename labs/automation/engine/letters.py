"""Letters instead of paper: decision letters filled from application records by sandboxed templates.

Each applicant (letter_records.py) gets the decision letter in their own language: the learner's
template for that language if they edited it, else the shipped one (labs/automation/templates/
decision.<code>.j2), else English with a note at the top. Templates run in the strict sandbox of
template_sandbox.py; dates and amounts are written by Babel in the letter's language.

The letter text is Markdown; every line break the author types is kept (an address block stays an
address block). Printing to PDF is Qt's job (labs/printing.py, called by the Letters tab); this
module stays Qt-free and only records what a batch produced.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date

from app.core.i18n import N_, _, ngettext
from app.core.tasks import TaskState
from labs.automation.engine.letter_records import FIELDS, letter_records
from labs.automation.engine.routing import PartWrong, language_name
from labs.automation.engine.template_sandbox import (quoted_code, 
    CompiledLetter,
    TemplateProblem,
    TemplateProblemError,
    check_template,
)
from labs.framework import Feedback, Task

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FALLBACK = "en"
APPLICANT = "applicant"  # language_mode: each applicant's own language
# Printed at the top of a letter written in English because the applicant's language has no template.
FALLBACK_NOTE = "*(This letter is in English because it is not yet available in your language.)*"
DATE_STYLES = ("short", "medium", "long", "full")


@cache
def template_languages() -> tuple[str, ...]:
    """The languages with a shipped template, English first."""
    codes = sorted(p.name.split(".")[1] for p in TEMPLATES.glob("decision.*.j2"))
    return tuple(sorted(codes, key=lambda c: c != FALLBACK))


@cache
def default_template(locale: str) -> str:
    return (TEMPLATES / f"decision.{locale}.j2").read_text(encoding="utf-8")


def with_line_breaks(markdown: str) -> str:
    """Markdown where each typed line break stays a line break (two trailing spaces = a hard break)."""
    return "\n".join(line.rstrip() + "  " if line.strip() else "" for line in markdown.split("\n"))


def templates_digest(templates: dict[str, str], mode: str) -> str:
    """Names one set of templates and language choice, so a batch knows whether it is out of date."""
    data = json.dumps({"templates": templates, "mode": mode}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Letter:
    application_id: str
    applicant_name: str
    requested: str  # the applicant's language
    locale: str  # the language the letter is written in
    text: str  # Markdown with line breaks kept

    @property
    def fallback(self) -> bool:
        """Written in English because the applicant's language has no template."""
        return self.locale == FALLBACK and self.requested not in template_languages()

    @property
    def file_name(self) -> str:
        return f"{self.application_id}-{self.locale}.pdf"


@dataclass(frozen=True)
class LetterProblem:
    application_id: str
    applicant_name: str
    locale: str
    problem: TemplateProblem

    def message(self) -> str:
        return _("{language} template, letter to {name} ({number}): {problem}").format(
            language=language_name(self.locale), name=self.applicant_name, number=self.application_id,
            problem=self.problem.message)


@dataclass
class LetterWork:
    templates: dict[str, str] = field(default_factory=dict)  # the learner's edits, by language
    language_mode: str = APPLICANT  # APPLICANT, or one language code for every letter
    batches: list[dict[str, Any]] = field(default_factory=list)  # what each PDF batch produced
    editing: str = FALLBACK  # the template shown in the editor
    preview: int = 0  # the record shown in the preview

    def __post_init__(self) -> None:
        self._compiled: dict[tuple[str, str], CompiledLetter] = {}

    @classmethod
    def fresh(cls) -> LetterWork:
        return cls()

    @classmethod
    def from_dict(cls, data: dict | None, state: TaskState | None = None) -> LetterWork:
        data = data or {}
        languages = template_languages()
        mode = str(data.get("language_mode", APPLICANT))
        editing = str(data.get("editing", FALLBACK))
        return cls(templates={str(k): str(v) for k, v in dict(data.get("templates", {})).items() if k in languages},
                   language_mode=mode if mode == APPLICANT or mode in languages else APPLICANT,
                   batches=[dict(b) for b in data.get("batches", [])],
                   editing=editing if editing in languages else FALLBACK,
                   preview=max(0, int(data.get("preview", 0))))

    def to_dict(self) -> dict:
        return {"templates": dict(self.templates), "language_mode": self.language_mode,
                "batches": [dict(b) for b in self.batches], "editing": self.editing, "preview": self.preview}

    # --- templates
    def template(self, locale: str) -> str:
        return self.templates.get(locale, default_template(locale))

    def edited(self, locale: str) -> bool:
        return locale in self.templates

    def set_template(self, locale: str, source: str) -> None:
        if source == default_template(locale):
            self.templates.pop(locale, None)
        else:
            self.templates[locale] = source

    def reset_template(self, locale: str) -> None:
        self.templates.pop(locale, None)

    def set_language_mode(self, mode: str) -> None:
        self.language_mode = mode

    def digest(self) -> str:
        return templates_digest(self.templates, self.language_mode)

    def problems(self, locale: str, records: list[dict] | None = None) -> list[TemplateProblem]:
        """What is wrong with the template of `locale`: the static check, else the first failing record
        (every record is tried: any applicant may get any template, English as the fallback)."""
        source = self.template(locale)
        static = check_template(source, FIELDS, locale)
        if static:
            return static
        compiled = self._compile(locale)
        for record in records if records is not None else letter_records():
            try:
                compiled.render(record)
            except TemplateProblemError as error:
                return [error.problem]
        return []

    def _compile(self, locale: str) -> CompiledLetter:
        key = (locale, self.template(locale))
        if key not in self._compiled:
            if len(self._compiled) > 40:
                self._compiled.clear()
            self._compiled[key] = CompiledLetter(key[1], locale, FIELDS)
        return self._compiled[key]

    # --- letters
    def letter_locale(self, record: dict) -> str:
        if self.language_mode != APPLICANT:
            return self.language_mode
        return record["language"] if record["language"] in template_languages() else FALLBACK

    def render(self, record: dict, locale: str | None = None) -> Letter:
        """One applicant's letter; raises TemplateProblemError (with the line) when the template fails."""
        locale = locale or self.letter_locale(record)
        text = self._compile(locale).render({**record, "language": locale})
        if locale == FALLBACK and record["language"] not in template_languages():  # no template in theirs
            text = FALLBACK_NOTE + "\n\n" + text
        return Letter(record["application_id"], record["applicant_name"], record["language"], locale,
                      with_line_breaks(text))

    def render_all(self, records: list[dict] | None = None) -> tuple[list[Letter], list[LetterProblem]]:
        letters, problems = [], []
        for record in records if records is not None else letter_records():
            locale = self.letter_locale(record)
            try:
                letters.append(self.render(record, locale))
            except TemplateProblemError as error:
                problems.append(LetterProblem(record["application_id"], record["applicant_name"], locale,
                                              error.problem))
        return letters, problems

    def note_batch(self, letters: list[Letter], combined: bool) -> dict:
        """Record what a finished PDF batch produced (the tab calls this on the GUI thread)."""
        languages: dict[str, int] = {}
        for letter in letters:
            languages[letter.locale] = languages.get(letter.locale, 0) + 1
        batch = {"letters": len(letters), "records": len(letter_records()), "mode": self.language_mode,
                 "languages": languages, "fallbacks": sum(1 for letter in letters if letter.fallback),
                 "combined": combined, "digest": self.digest()}
        self.batches.append(batch)
        return batch

    def summary(self) -> dict:
        key = self.digest()
        if key not in _SUMMARIES:  # cheap after the first call: the screens ask after every change
            letters, problems = self.render_all()
            _SUMMARIES.clear()
            _SUMMARIES[key] = {"letters": len(letters), "errors": len(problems),
                               "records": len(letters) + len(problems)}
        return dict(_SUMMARIES[key])

    def code(self) -> str:
        return letters_script(self.templates, self.language_mode)


_SUMMARIES: dict[str, dict] = {}


def letters_script(edited: dict[str, str], mode: str) -> str:
    lines = [
        "# Letters from application records: a sandboxed Jinja2 template per language; dates and amounts",
        "# written the way each language writes them (Babel). The app adds stricter rules (no attribute",
        "# access at all, size limits) and prints each letter to PDF with Qt.",
        "from pathlib import Path",
        "",
        "from babel.dates import format_date",
        "from babel.numbers import format_currency, format_decimal",
        "from jinja2 import StrictUndefined",
        "from jinja2.sandbox import ImmutableSandboxedEnvironment",
        "",
        "from labs.automation.engine.letter_records import letter_records  # names and addresses are invented",
        "",
        f"shipped = Path({str(TEMPLATES)!r})",
        "templates = {path.name.split('.')[1]: path.read_text(encoding='utf-8')",
        "             for path in shipped.glob('decision.*.j2')}",
    ]
    for code, source in sorted(edited.items()):
        lines.append(f"templates[{code!r}] = {source!r}  # your version")
    lines += [
        f"language_mode = {mode!r}  # 'applicant': each applicant's own language",
        "",
        "",
        "def environment(locale):",
        "    # No loader (no file can be included), no globals, and a misspelt field is an error.",
        "    env = ImmutableSandboxedEnvironment(loader=None, undefined=StrictUndefined, trim_blocks=True,",
        "                                        lstrip_blocks=True)",
        "    env.globals.clear()",
        "    env.filters['date'] = lambda value, style='long': format_date(value, style, locale=locale)",
        "    env.filters['money'] = lambda value: format_currency(value, 'KRW', locale=locale)",
        "    env.filters['number'] = lambda value: format_decimal(value, locale=locale)",
        "    return env",
        "",
        "",
        "out = Path('letters')",
        "out.mkdir(exist_ok=True)",
        "for record in letter_records():",
        "    wanted = record['language'] if language_mode == 'applicant' else language_mode",
        f"    locale = wanted if wanted in templates else {FALLBACK!r}  # English when there is no template",
        "    text = environment(locale).from_string(templates[locale]).render(**{**record, 'language': locale})",
        "    (out / f\"{record['application_id']}-{locale}.md\").write_text(text, encoding='utf-8')",
        "print(f'{len(list(out.glob(\"*.md\")))} letters in {out.resolve()}')",
    ]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------- tasks

def _letters(workspace: Any) -> LetterWork:
    return workspace.letters


def _date_forms(value: Any, locale: str) -> dict[str, str]:
    return {style: format_date(value, style, locale=locale) for style in DATE_STYLES}


def check_deadline(workspace: Any) -> Feedback:
    work = _letters(workspace)
    records = letter_records()
    problems = work.problems(FALLBACK, records)
    if problems:
        return Feedback(False, _("Your English template does not work yet. {problem}").format(
            problem=problems[0].message))
    letters = [work.render(record, FALLBACK) for record in records]
    shown, raw, missing = 0, None, None
    for record, letter in zip(records, letters):
        for name, value in (("applicant_name", record["applicant_name"]), ("application_id", record["application_id"])):
            if value not in letter.text:
                return Feedback(False, _("The English letter to {name} does not show {field}: every letter must name "
                                         "the applicant and the application number.").format(
                    name=record["applicant_name"], field=name))
        forms = _date_forms(record["appeal_deadline"], FALLBACK)
        if any(form in letter.text for form in forms.values()):
            shown += 1
        else:
            missing = missing or record
            if record["appeal_deadline"].isoformat() in letter.text:
                raw = raw or record
    if shown == len(letters):
        example = records[0]
        return Feedback(True, _("Every English letter now gives the last day to ask for a review, for example "
                                "{date} for {name}.").format(date=_date_forms(example["appeal_deadline"], "en")["long"],
                                                             name=example["applicant_name"]))
    if raw is not None:
        return Feedback(False, _("The letter to {name} shows the deadline as {raw}, the way the computer stores it. "
                                 "Write it with the date filter, {example}, so that it reads {date}.").format(
            name=raw["applicant_name"], raw=raw["appeal_deadline"].isoformat(),
            example=quoted_code("{{ appeal_deadline | date }}"),
            date=_date_forms(raw["appeal_deadline"], "en")["long"]))
    if shown:
        return Feedback(False, ngettext(
            "Only {shown} English letter shows the appeal deadline; the letter to {name} ({decision}) does not. "
            "Every applicant may ask for a review, whatever the decision: put the deadline outside the {if}.",
            "Only {shown} English letters show the appeal deadline; the letter to {name} ({decision}) does not. "
            "Every applicant may ask for a review, whatever the decision: put the deadline outside the {if}.",
            shown).format(shown=shown, name=missing["applicant_name"], decision=missing["decision"],
                          **{"if": quoted_code("{% if %}")}))
    return Feedback(False, _("No English letter shows the appeal deadline yet: for {name} it is {date}. Add "
                             "{example} to the sentence about asking for a review.").format(
        name=missing["applicant_name"], date=_date_forms(missing["appeal_deadline"], "en")["long"],
        example=quoted_code("{{ appeal_deadline | date }}")))


def check_batch(workspace: Any) -> Feedback:
    work = _letters(workspace)
    if not work.batches:
        return Feedback(False, _("Generate the letters as PDF files: \"Generate PDF letters…\" in the Letters tab."))
    batch = work.batches[-1]
    if batch.get("digest") != work.digest():
        return Feedback(False, _("You changed a template or the letters' language after your last batch. Generate the "
                                 "letters again, so that the files match what you see."))
    records = letter_records()
    if batch.get("mode") != APPLICANT:
        others = sum(1 for r in records if r["language"] != batch.get("mode"))
        return Feedback(False, _("Your last batch wrote every letter in {language}, but {count} of the {total} "
                                 "applicants asked for another language. Choose \"Each applicant's language\" and "
                                 "generate again.").format(language=language_name(str(batch.get("mode"))),
                                                           count=others, total=len(records)))
    if batch.get("letters", 0) < len(records):
        return Feedback(False, _("Your last batch wrote {count} of the {total} letters.").format(
            count=batch.get("letters", 0), total=len(records)))
    languages = batch.get("languages", {})
    return Feedback(True, ngettext("{count} letters written, in {languages} language, each in the applicant's own.",
                                   "{count} letters written, in {languages} languages, each in the applicant's own.",
                                   len(languages)).format(count=batch["letters"], languages=len(languages)))


LETTER_TASKS: tuple[Task, ...] = (
    Task("letters_deadline", N_("Tell every applicant the last day to ask for a review"),
         N_("In the Letters tab, the English letter says a review may be asked \"within 90 days\". Make it concrete: "
            "add the date itself, the field appeal_deadline written with the date filter, to the English template. "
            "Every letter must still name the applicant and the application number."),
         check_deadline,
         N_("Write {{ appeal_deadline | date }} in the sentence about asking for a review, outside any {% if %}, "
            "and look at the preview of a few applicants.")),
    Task("letters_batch", N_("Send each applicant the letter in their language"),
         N_("Generate this week's decision letters as PDF files, each in the applicant's own language."),
         check_batch,
         N_("Choose \"Each applicant's language\", then \"Generate PDF letters…\" and a folder.")),
)

_DEADLINE_SENTENCE = "you may ask us to review it within 90 days of the date of this letter."


def _english_with(sentence: str) -> str:
    text = default_template(FALLBACK)
    assert _DEADLINE_SENTENCE in text, "the English template's review sentence changed: update letters.py"
    return text.replace(_DEADLINE_SENTENCE, sentence)


def _fragment(templates: dict[str, str], mode: str = APPLICANT, batch_mode: str | None = None,
              batch: bool = True, batch_templates: dict[str, str] | None = None) -> dict:
    """A letters fragment whose last batch was made from `batch_templates` (default: the same ones)."""
    batch_mode = batch_mode or mode
    made_with = templates if batch_templates is None else batch_templates
    records = letter_records()
    languages: dict[str, int] = {}
    for record in records:
        locale = record["language"] if batch_mode == APPLICANT else batch_mode
        languages[locale] = languages.get(locale, 0) + 1
    batches = [{"letters": len(records), "records": len(records), "mode": batch_mode, "languages": languages,
                "fallbacks": 0, "combined": True, "digest": templates_digest(made_with, batch_mode)}] if batch else []
    return {"templates": templates, "language_mode": mode, "batches": batches, "editing": FALLBACK, "preview": 0}


_GOOD = {"en": _english_with("you may ask us to review it until {{ appeal_deadline | date }}, 90 days after the "
                             "date of this letter.")}
LETTER_REFERENCE: dict = _fragment(_GOOD)

LETTER_WRONG: tuple[PartWrong, ...] = (
    PartWrong("the shipped template, deadline not added", "letters_deadline", _fragment({})),
    PartWrong("deadline printed as the stored ISO date", "letters_deadline", _fragment({"en": _english_with(
        "you may ask us to review it until {{ appeal_deadline }}.")})),
    PartWrong("misspelt field appeal_dead_line", "letters_deadline", _fragment({"en": _english_with(
        "you may ask us to review it until {{ appeal_dead_line | date }}.")})),
    PartWrong("deadline only in refusal letters", "letters_deadline", _fragment({"en": _english_with(
        "you may ask us to review it within 90 days{% if decision == 'declined' %}, until "
        "{{ appeal_deadline | date }}{% endif %}.")})),
    PartWrong("template reaches for __class__", "letters_deadline", _fragment({"en": _english_with(
        "you may ask us to review it until {{ appeal_deadline.__class__ }}.")})),
    PartWrong("no PDF batch made", "letters_batch", _fragment(_GOOD, batch=False)),
    PartWrong("batch written in English for everyone", "letters_batch", _fragment(_GOOD, mode=FALLBACK)),
    PartWrong("template changed after the batch", "letters_batch", _fragment(_GOOD, batch_templates={})),
)
