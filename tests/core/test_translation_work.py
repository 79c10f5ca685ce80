"""The translation workspace's core: entries, coverage, setting translations, .po export and import."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from app.core.accounts.roles import LEARNER, TRAINER, NotAllowed, Principal
from app.core.course.loader import load_course, translation_coverage
from app.core.course.translation_work import add_language, open_workspace
from app.core.problems import InvalidInput
from tests.conftest import COURSE

TRAINER_LEE = Principal("Lee", TRAINER, "l2", "a2")
LEARNER_KIM = Principal("Kim", LEARNER, "l1", "a1")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A copy of ai-foundations translated into Arabic only; Korean is then added empty."""
    folder = tmp_path / "ai-foundations"
    shutil.copytree(COURSE, folder)
    manifest = folder / "course.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "translations: [ko, es, fr, ar, ru, vi, id, km, uz]", "translations: [ar]"), encoding="utf-8")
    for po in (folder / "translations").glob("*.po"):
        if po.stem != "ar":
            po.unlink()
    add_language(TRAINER_LEE, folder, "ko")
    return folder


def first(work, kind: str):
    return next(e for e in work.entries if e.kind == kind)


def test_a_new_language_starts_empty_and_the_course_still_loads(course):
    assert "translations: [ar, ko]" in (course / "course.yaml").read_text(encoding="utf-8")
    work = open_workspace(TRAINER_LEE, course, "ko")
    assert work.coverage().done == 0 and work.coverage().total > 100
    assert {g.kind for g in work.groups} == {"course", "lesson", "quiz"}
    assert load_course(course, "ko").locale == "ko"  # the empty catalog is valid
    shown = first(work, "lesson").shown()
    assert shown.untranslated and shown == first(work, "lesson").source  # the reader's fallback marker


def test_entries_are_the_units_of_course_pot(course):
    work = open_workspace(TRAINER_LEE, course, "ar")
    done, total, review = translation_coverage(course)["ar"]
    assert (work.coverage().done, work.coverage().total, work.coverage().review) == (done, total, review)
    assert sum(work.coverage(g.context).total for g in work.groups) == total


def test_setting_a_translation_raises_coverage_and_is_written(course):
    work = open_workspace(TRAINER_LEE, course, "ko")
    lesson = work.groups[1]
    heading = next(e for e in work.entries_of(lesson.context) if e.source.startswith("# "))
    before = work.coverage(lesson.context).done
    work.set_translation(TRAINER_LEE, heading.key, "# 인공지능이란 무엇인가\n", needs_review=True)
    assert work.coverage(lesson.context).done == before + 1
    assert work.coverage().review == 1
    again = open_workspace(TRAINER_LEE, course, "ko")  # read back from translations/ko.po
    assert again.entry(heading.key).translation == "# 인공지능이란 무엇인가"
    assert again.entry(heading.key).needs_review
    text = (course / "translations" / "ko.po").read_text(encoding="utf-8")
    assert "#. needs-review" in text and "Plural-Forms: nplurals=1; plural=0;" in text
    translated, untranslated = again.lesson_preview(lesson.context)
    assert "# 인공지능이란 무엇인가" in translated and untranslated  # other blocks stay marked

    again.set_translation(TRAINER_LEE, heading.key, "# 인공지능이란 무엇인가", needs_review=False)  # reviewed
    assert "#. needs-review" not in (course / "translations" / "ko.po").read_text(encoding="utf-8")
    again.set_translation(TRAINER_LEE, heading.key, "", needs_review=False)  # cleared
    assert open_workspace(TRAINER_LEE, course, "ko").coverage().done == 0
    assert load_course(course, "ko").title.untranslated


def test_a_translation_that_breaks_the_markdown_is_refused(course):
    work = open_workspace(TRAINER_LEE, course, "ko")
    heading = next(e for e in work.entries if e.kind == "lesson" and e.source.startswith("# "))
    with pytest.raises(InvalidInput, match="Markdown structure"):
        work.set_translation(TRAINER_LEE, heading.key, "제목이 아닌 문단", needs_review=False)
    assert work.entry(heading.key).translation == ""


def test_a_learner_reaches_none_of_it(course, tmp_path):
    with pytest.raises(NotAllowed):
        open_workspace(LEARNER_KIM, course, "ko")
    with pytest.raises(NotAllowed):
        add_language(LEARNER_KIM, course, "fr")
    work = open_workspace(TRAINER_LEE, course, "ko")
    entry = work.entries[0]
    for attempt in (lambda: work.set_translation(LEARNER_KIM, entry.key, "x", False),
                    lambda: work.export_po(LEARNER_KIM, tmp_path / "out.po"),
                    lambda: work.import_po(LEARNER_KIM, tmp_path / "out.po")):
        with pytest.raises(NotAllowed):
            attempt()
    assert not (tmp_path / "out.po").exists()


def test_export_translate_in_babel_and_import_round_trip(course, tmp_path):
    work = open_workspace(TRAINER_LEE, course, "ko")
    exported = tmp_path / "ai-foundations-ko.po"
    work.export_po(TRAINER_LEE, exported)
    catalog = read_po(io.BytesIO(exported.read_bytes()))
    assert len([m for m in catalog if m.id]) == work.coverage().total  # every entry, for the translator
    quiz_keys = [e.key for e in work.entries if e.kind == "quiz"][:3]
    for message in catalog:
        if (message.context, message.id) in quiz_keys:
            message.string = f"번역 {quiz_keys.index((message.context, message.id))}"
    catalog.get(quiz_keys[0][1], context=quiz_keys[0][0]).flags.add("fuzzy")  # Poedit's "needs work"
    returned = io.BytesIO()
    write_po(returned, catalog)
    exported.write_bytes(returned.getvalue())

    report = work.import_po(TRAINER_LEE, exported)
    assert (report.added, report.changed, report.problems) == (3, 0, [])
    assert work.entry(quiz_keys[1]).translation == "번역 1"
    assert work.entry(quiz_keys[0]).needs_review  # fuzzy becomes the review mark, never a fuzzy flag
    on_disk = (course / "translations" / "ko.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in on_disk
    assert load_course(course, "ko").quizzes  # the course still passes its own check
    assert work.import_po(TRAINER_LEE, exported).written is False  # nothing new the second time


def test_foreign_entries_are_refused_with_their_line_and_the_rest_imports(course, tmp_path):
    work = open_workspace(TRAINER_LEE, course, "ko")
    entry = first(work, "quiz")
    po = tmp_path / "back.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: ko\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
                  f'msgctxt "{entry.context}"\nmsgid "{entry.source}"\nmsgstr "맞음"\n\n'
                  'msgctxt "lessons/other-course.md"\nmsgid "Not ours"\nmsgstr "우리 것 아님"\n', encoding="utf-8")
    report = work.import_po(TRAINER_LEE, po)
    assert report.added == 1
    assert [(p.line, "not in the course" in p.message) for p in report.problems] == [(11, True)]  # the msgid line
    assert open_workspace(TRAINER_LEE, course, "ko").entry(entry.key).translation == "맞음"


def test_a_file_for_another_course_is_refused_whole(course, tmp_path):
    po = tmp_path / "other.po"
    po.write_text('msgid ""\nmsgstr "Language: ko\\n"\n\nmsgctxt "course.yaml"\nmsgid "Another course"\n'
                  'msgstr "다른 과정"\n', encoding="utf-8")
    before = (course / "translations" / "ko.po").read_bytes()
    with pytest.raises(InvalidInput, match="another course"):
        open_workspace(TRAINER_LEE, course, "ko").import_po(TRAINER_LEE, po)
    assert (course / "translations" / "ko.po").read_bytes() == before


@pytest.mark.parametrize("header, line, words", [
    ('"Language: ar\\n"', 3, "not 'ko'"),
    ('"Language: ko\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', 4, "Plural-Forms"),
])
def test_a_wrong_language_or_plural_rule_is_refused(course, tmp_path, header, line, words):
    entry = first(open_workspace(TRAINER_LEE, course, "ko"), "quiz")
    po = tmp_path / "wrong.po"
    po.write_text(f'msgid ""\nmsgstr ""\n{header}\n\nmsgctxt "{entry.context}"\nmsgid "{entry.source}"\n'
                  'msgstr "번역"\n', encoding="utf-8")
    before = (course / "translations" / "ko.po").read_bytes()
    with pytest.raises(InvalidInput) as refused:
        open_workspace(TRAINER_LEE, course, "ko").import_po(TRAINER_LEE, po)
    assert [(p.file, p.line) for p in refused.value.problems] == [("wrong.po", line)]
    assert words in refused.value.problems[0].message
    assert (course / "translations" / "ko.po").read_bytes() == before


def test_arabic_with_the_agreed_formula_in_other_spacing_is_accepted(course, tmp_path):
    work = open_workspace(TRAINER_LEE, course, "ar")
    po = tmp_path / "ar.po"
    work.export_po(TRAINER_LEE, po)
    text = po.read_text(encoding="utf-8").replace("nplurals=6; plural=(", "nplurals=6;plural=(  ")
    po.write_text(text, encoding="utf-8")
    assert work.import_po(TRAINER_LEE, po).problems == []


@pytest.mark.parametrize("body, line", [
    ('msgid ""\nmsgstr ""\n"Language: ko\\n"\n\nmsgid "Unclosed\nmsgstr "x"\n', 5),
    ('msgid ""\nmsgstr ""\n\nmsgid "A"\nmsgstr "x"\ngarbage here\n', 6),
])
def test_a_broken_po_is_refused_with_its_line_and_nothing_is_written(course, tmp_path, body, line):
    po = tmp_path / "broken.po"
    po.write_text(body, encoding="utf-8")
    before = (course / "translations" / "ko.po").read_bytes()
    with pytest.raises(InvalidInput) as refused:
        open_workspace(TRAINER_LEE, course, "ko").import_po(TRAINER_LEE, po)
    assert refused.value.problems[0].line == line and "cannot be read" in refused.value.problems[0].message
    assert (course / "translations" / "ko.po").read_bytes() == before


def test_a_crash_while_writing_leaves_the_old_catalog(course, monkeypatch):
    work = open_workspace(TRAINER_LEE, course, "ko")
    entry = first(work, "quiz")
    path = course / "translations" / "ko.po"
    before = path.read_bytes()

    def crash(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_text", crash)
    with pytest.raises(OSError):
        work.set_translation(TRAINER_LEE, entry.key, "번역", needs_review=False)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temporary left behind
    assert work.entry(entry.key).translation == ""  # memory agrees with the disk
