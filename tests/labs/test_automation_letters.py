"""Letters from templates: the sandbox stops every escape and explains it with its line, the shipped
letters render for every applicant in ten languages, the work survives a snapshot, the tasks give
specific feedback, and the script the learner sees runs."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date
from types import SimpleNamespace

import pytest

from labs.automation.engine import letters as letters_module
from labs.automation.engine.letter_records import AMOUNTS, FIELDS, letter_records, make_record
from labs.automation.engine.letters import (APPLICANT, FALLBACK_NOTE, LETTER_REFERENCE, LETTER_TASKS, LETTER_WRONG,
                                            LetterWork, default_template, template_languages, with_line_breaks)
from labs.automation.engine.template_sandbox import (FAILED, MISSING, REFUSED, SYNTAX, TOO_BIG, CompiledLetter,
                                                     TemplateProblemError, check_template)
from tests.conftest import ROOT

RECORD = {"applicant_name": "Kim Minjun", "address": "1 Haneul-ro", "application_id": "BP-2024-00001",
          "registered_date": date(2024, 3, 1), "decided_on": date(2024, 3, 5), "appeal_deadline": date(2024, 6, 3),
          "decision": "approved", "benefit_tier": "standard", "amount": 2_000_000, "child_birth_order": 1,
          "language": "en"}
TEN = ("en", "ko", "es", "fr", "ar", "ru", "vi", "id", "km", "uz")


def render(source: str, locale: str = "en", record: dict | None = None) -> str:
    record = record or RECORD
    return CompiledLetter(source, locale, record).render(record)


def stopped(source: str, locale: str = "en"):
    with pytest.raises(TemplateProblemError) as caught:
        render(source, locale)
    return caught.value.problem


def _check(task_id: str, work: LetterWork):
    task = next(t for t in LETTER_TASKS if t.id == task_id)
    return task.check(SimpleNamespace(letters=work))


# ------------------------------------------------------------------------------------ the sandbox

def test_fields_and_filters_render_in_the_letters_language():
    text = render("{{ applicant_name }}, {{ decided_on | date }}, {{ amount | money }}, {{ amount | number }}")
    assert text == "Kim Minjun, March 5, 2024, ₩2,000,000, 2,000,000"
    assert render("{{ decided_on | date }} {{ amount | money }}", "ko") == "2024년 3월 5일 ₩2,000,000"
    assert render("{{ decided_on | date('short') }}", "fr") == "05/03/2024"
    assert render("{{ decided_on | date }}", "ar") == "5 مارس 2024"
    loop = "{% for c in application_id[:2] %}{{ loop.index }}={{ c }} {% endfor %}{{ applicant_name | upper }}"
    assert render(loop) == "1=B 2=P KIM MINJUN"
    assert render('{% if decision == "approved" %}yes{% else %}no{% endif %}') == "yes"


@pytest.mark.parametrize("payload, kind, words", [
    ("{{ ''.__class__.__mro__ }}", REFUSED, "'__class__' of a piece of text"),
    ("{{ cycler.__init__.__globals__ }}", MISSING, "'cycler', which it was not given"),
    ("{{ lipsum.__globals__ }}", MISSING, "'lipsum', which it was not given"),
    ("{{ self._TemplateReference__context }}", MISSING, "'self', which it was not given"),
    ("{% include '/etc/passwd' %}", REFUSED, "open another file ('/etc/passwd')"),
    ("{% import 'x.j2' as x %}", REFUSED, "cannot read files"),
    ("{% extends 'base.j2' %}", REFUSED, "cannot read files"),
    ("{{ record.items() }}", MISSING, "'record', which it was not given"),
    ("{{ applicant_name.upper() }}", REFUSED, "tried to call 'upper'"),
    ("{{ applicant_name['__class__'] }}", REFUSED, "'__class__' of 'applicant_name'"),
    ("{{ decided_on.year }}", REFUSED, "'year' of 'decided_on'"),
    ("{{ range(10) }}", MISSING, "'range'"),
    ("{{ dict(a=1) }}", MISSING, "'dict'"),
    ("{{ applicant_name | attr('__class__') }}", MISSING, "no filter called 'attr'"),
    ("{{ applicant_name | format('%s') }}", MISSING, "no filter called 'format'"),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", REFUSED, "macros are not available"),
    ("{{ aplicant_name }}", MISSING, "Did you mean 'applicant_name'?"),
    ("{{ loop.index }}", MISSING, "only inside"),
])
def test_escapes_are_stopped_and_explained_with_their_line(payload, kind, words):
    problem = stopped("Dear {{ applicant_name }},\n\nline three\n" + payload)
    assert problem.kind == kind
    assert problem.line == 4 and problem.message.startswith("Line 4: ")
    assert words in problem.message
    assert "Traceback" not in problem.message


def test_refused_things_are_found_in_branches_no_record_takes():
    problem = stopped('{% if decision == "never" %}\n{{ applicant_name.__class__ }}\n{% endif %}')
    assert problem.kind == REFUSED and problem.line == 2


def test_the_sandbox_refuses_at_run_time_too():
    """Even past the static check (called directly), the environment itself refuses attributes and calls."""
    compiled = CompiledLetter("{{ x }}", "en", ["x"])
    from labs.automation.engine.template_sandbox import _Refused

    with pytest.raises(_Refused, match="__class__"):
        compiled.environment.getattr("text", "__class__")
    with pytest.raises(_Refused, match="__globals__"):
        compiled.environment.getitem({}, "__globals__")
    with pytest.raises(_Refused, match="call"):
        compiled.environment.call(None, print, "x")
    assert compiled.environment.getitem({"a": 1}, "a") == 1
    assert not compiled.environment.globals  # no range, lipsum, cycler, joiner, namespace, dict


@pytest.mark.parametrize("payload, words", [
    ("{{ 'a' * 100000 }}", "longer than 2,000"),
    ("{{ 9 ** 9 ** 9 }}", "power too large"),
    ("{{ '%0999999d' % 1 }}", "% to format text"),
    (("{{ applicant_name | replace('K', 'KKKKKKKKKKKKKKKKKKKKKKKK') | replace('K', 'KKKKKKKKKKKKKKKKKKKKKKKK') "
      "| replace('K', 'KKKKKKKKKKKKKKKKKKKKKKKK') }}"), "longer than 2,000"),
    (("{% for a in applicant_name %}{% for b in applicant_name %}{% for c in applicant_name %}x"
      "{% endfor %}{% endfor %}{% endfor %}"), "two deep"),
    (("{% for a in applicant_name * 150 %}{% for b in applicant_name * 150 %}{{ a }}{{ b }}"
      "{% endfor %}{% endfor %}"), "longer than 50,000"),
    (("{% for a in applicant_name * 150 %}{% for b in applicant_name * 150 %}xxxxxxxxxx"
      "{% endfor %}{% endfor %}"), "longer than 50,000"),
])
def test_bombs_stop_quickly_with_a_message(payload, words):
    started = time.process_time()
    problem = stopped(payload)
    assert time.process_time() - started < 3
    assert problem.kind in (TOO_BIG, REFUSED) and words in problem.message


def test_a_loop_that_writes_nothing_still_ends():
    started = time.process_time()
    assert render("{% for a in applicant_name * 100 %}{% for b in applicant_name * 100 %}{% endfor %}"
                  "{% endfor %}done") == "done"
    assert time.process_time() - started < 3


def test_syntax_errors_and_bad_values_name_their_line():
    problem = stopped("Dear {{ applicant_name }},\n\n{% if decision == 'approved' %}\nYes.\n")
    assert problem.kind == SYNTAX and problem.line == 4 and "endif" in problem.message
    problem = stopped("one\ntwo {{ applicant_name }\n")
    assert problem.kind == SYNTAX and problem.line == 2
    problem = stopped("one\n{{ decision | money }}")
    assert problem.kind == FAILED and problem.line == 2 and "needs a number" in problem.message
    problem = stopped("one\n\n{{ decided_on | date('weird') }}")
    assert problem.line == 3 and "short, medium, long and full" in problem.message
    assert check_template("{{ applicant_name }}", FIELDS) == []


# ------------------------------------------------------------------------------------ records and templates

def test_records_are_deterministic_and_cover_every_language():
    first, second = letter_records(), letter_records()
    assert first == second and first is not second
    assert len(first) == 44 and len({r["application_id"] for r in first}) == 44
    assert {r["language"] for r in first} == set(TEN)
    assert {r["decision"] for r in first} == {"approved", "partial", "declined"}
    for record in first:
        assert set(record) == set(FIELDS)
        assert record["amount"] == AMOUNTS[record["benefit_tier"]]
        assert (record["appeal_deadline"] - record["decided_on"]).days == 90
        assert 7 <= (record["decided_on"] - record["registered_date"]).days <= 20
    korean = next(r for r in first if r["language"] == "ko")
    assert "시" in korean["address"] or "군" in korean["address"]  # a Korean letter gets a Hangul address
    row = {"application_id": "BP-2024-99999", "registered_date": "2024-05-01", "region": "islands",
           "child_birth_order": 2, "preferred_language": "zh", "past_decision": "declined", "benefit_tier": "none"}
    made = make_record(row)
    assert made["amount"] == 0 and made["address"].endswith("Seom County\u2069") and made["applicant_name"]
    assert made["address"].startswith("\u2068")  # isolated: a Latin address keeps its order in an Arabic letter


def test_every_shipped_template_writes_every_letter():
    assert template_languages() == ("en", "ar", "es", "fr", "id", "km", "ko", "ru", "uz", "vi")
    work = LetterWork.fresh()
    for locale in template_languages():
        assert work.problems(locale) == [], locale
        source = default_template(locale)
        assert "{{ applicant_name }}" in source and "{{ application_id }}" in source and "amount | money" in source
    letters, problems = work.render_all()
    assert problems == [] and len(letters) == 44
    for record, letter in zip(letter_records(), letters):
        assert letter.locale == record["language"] and not letter.fallback
        assert record["applicant_name"] in letter.text and record["application_id"] in letter.text
        assert "{{" not in letter.text and "{%" not in letter.text
    korean = next(letter for letter in letters if letter.locale == "ko")
    assert "님" in korean.text and "년" in korean.text
    arabic = next(letter for letter in letters if letter.locale == "ar")
    assert "مكتب دعم المواليد" in arabic.text


@pytest.mark.parametrize("decision, words", [("approved", "**approved**"), ("partial", "**partly approved**"),
                                             ("declined", "**cannot approve**")])
def test_the_english_letter_follows_the_decision(decision, words):
    work = LetterWork.fresh()
    record = {**letter_records()[0], "decision": decision, "benefit_tier": "priority", "language": "en"}
    text = work.render(record, "en").text
    assert words in text
    assert ("priority support" in text) == (decision == "approved")


def test_an_applicant_without_a_template_gets_english_with_a_note():
    work = LetterWork.fresh()
    record = {**letter_records()[0], "language": "zh"}
    letter = work.render(record)
    assert letter.locale == "en" and letter.fallback and letter.text.startswith(FALLBACK_NOTE)
    assert letter.file_name == f"{record['application_id']}-en.pdf"
    chosen = work.render(letter_records()[0], "ar")  # a language chosen on purpose is no fallback
    assert not chosen.fallback and FALLBACK_NOTE not in chosen.text


def test_line_breaks_are_kept():
    assert with_line_breaks("a\nb\n\nc") == "a  \nb  \n\nc  "


# ------------------------------------------------------------------------------------ the work

def test_the_work_round_trips():
    work = LetterWork.fresh()
    assert work.template("en") == default_template("en") and not work.edited("en")
    before = work.digest()
    work.set_template("en", "Hello {{ applicant_name }}")
    assert work.edited("en") and work.digest() != before
    work.set_language_mode("ko")
    work.editing, work.preview = "ko", 3
    data = work.to_dict()
    again = LetterWork.from_dict(data)
    assert again.to_dict() == data and again.template("en") == "Hello {{ applicant_name }}"
    work.set_template("en", default_template("en"))  # typing the shipped text back is no edit
    assert not work.edited("en")
    junk = LetterWork.from_dict({"templates": {"xx": "?"}, "language_mode": "xx", "editing": "yy"})
    assert junk.templates == {} and junk.language_mode == APPLICANT and junk.editing == "en"
    assert LetterWork.from_dict(None).to_dict() == LetterWork.fresh().to_dict()


def test_summary_counts_letters_and_failures():
    work = LetterWork.fresh()
    assert work.summary() == {"letters": 44, "errors": 0, "records": 44}
    work.set_template("ko", "{{ nope }}")
    assert work.summary() == {"letters": 36, "errors": 8, "records": 44}
    _letters, problems = work.render_all()
    assert "'nope'" in problems[0].message() and "한국어" in problems[0].message()


def test_a_batch_is_recorded_with_its_languages():
    work = LetterWork.fresh()
    letters, _problems = work.render_all()
    batch = work.note_batch(letters, combined=True)
    assert batch["letters"] == batch["records"] == 44 and batch["digest"] == work.digest()
    assert sum(batch["languages"].values()) == 44 and batch["languages"]["ko"] == 8 and batch["fallbacks"] == 0
    assert work.to_dict()["batches"] == [batch]


def test_the_script_writes_the_same_letters(tmp_path):
    work = LetterWork.fresh()
    work.set_template("en", default_template("en").replace("Yours sincerely,", "With best wishes,"))
    script = work.code()
    compile(script, "letters.py", "exec")
    path = tmp_path / "letters.py"
    path.write_text(script, encoding="utf-8")
    done = subprocess.run([sys.executable, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, check=False)
    assert done.returncode == 0, done.stderr
    written = sorted((tmp_path / "letters").glob("*.md"))
    assert len(written) == 44
    english = next(p for p in written if p.name.endswith("-en.md")).read_text(encoding="utf-8")
    assert "With best wishes," in english
    korean = next(p for p in written if p.name.endswith("-ko.md")).read_text(encoding="utf-8")
    record = next(r for r in letter_records() if r["language"] == "ko")
    assert record["applicant_name"] in korean and "₩" in korean


# ------------------------------------------------------------------------------------ the tasks

def test_the_reference_passes_and_every_wrong_attempt_fails():
    reference = LetterWork.from_dict(LETTER_REFERENCE)
    for task in LETTER_TASKS:
        feedback = task.check(SimpleNamespace(letters=reference))
        assert feedback.passed, (task.id, feedback.message)
    assert {w.task_id for w in LETTER_WRONG} == {t.id for t in LETTER_TASKS}
    messages = {}
    for name, task_id, fragment in LETTER_WRONG:
        feedback = _check(task_id, LetterWork.from_dict(fragment))
        assert not feedback.passed, name
        messages[name] = feedback.message
    assert "the way the computer stores it" in messages["deadline printed as the stored ISO date"]
    assert "Line " in messages["misspelt field appeal_dead_line"]
    assert "Did you mean 'appeal_deadline'" in messages["misspelt field appeal_dead_line"]
    assert "(approved) does not" in messages["deadline only in refusal letters"]
    assert "'__class__'" in messages["template reaches for __class__"]
    assert "in English, but 40 of the 44" in messages["batch written in English for everyone"]
    assert "after your last batch" in messages["template changed after the batch"]


def test_the_deadline_check_requires_the_name_and_number():
    work = LetterWork.fresh()
    work.set_template("en", "Dear applicant, ask by {{ appeal_deadline | date }}. {{ application_id }}")
    feedback = _check("letters_deadline", work)
    assert not feedback.passed and "applicant_name" in feedback.message
    work.set_template("en", "{{ applicant_name }} {{ application_id }}: {{ appeal_deadline | date('short') }}")
    assert _check("letters_deadline", work).passed  # any style of the date filter will do


def test_the_reference_template_is_the_shipped_one_plus_the_deadline():
    reference = LETTER_REFERENCE["templates"]["en"]
    assert reference.count("{{ appeal_deadline | date }}") == 1
    assert letters_module._DEADLINE_SENTENCE in default_template("en")
