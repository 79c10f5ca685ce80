"""The course editor's core: commands with undo, validation equal to `course check`, atomic saves,
create and duplicate, versions, and a learner refused at every entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.accounts.roles import LEARNER, TRAINER, NotAllowed, Principal
from app.core.authoring import commands as c
from app.core.authoring import saving
from app.core.authoring.document import CourseDocument
from app.core.authoring.questions import TYPES, template
from app.core.course.loader import load_course
from app.core.problems import InvalidInput
from labs.registry import lab_ids
from tests.conftest import COURSE, ROOT

TRAINER_P = Principal("Park Trainer", TRAINER, None)
LEARNER_P = Principal("Kim Learner", LEARNER, "learner-1")
LABS = lab_ids()


@pytest.fixture
def courses(tmp_path) -> Path:
    return tmp_path / "courses"


@pytest.fixture
def folder(courses) -> Path:
    return saving.create_course(TRAINER_P, courses, "Road safety data", known_labs=LABS)


@pytest.fixture
def doc(folder) -> CourseDocument:
    return CourseDocument.open(TRAINER_P, folder)


def course_check(path: Path) -> dict:
    run = subprocess.run([sys.executable, "main.py", "course", "check", str(path), "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    return json.loads(run.stdout)


def test_created_course_is_valid_draft(folder):
    course = load_course(folder, known_labs=LABS)
    assert course.id == "road-safety-data" and course.version == "1.0.0"
    assert [i.kind for i in course.items] == ["lesson"]
    assert not CourseDocument.open(TRAINER_P, folder).published


def test_commands_undo_and_redo_exactly(doc):
    module_id = doc.modules[0]["id"]
    before = (doc.manifest_text(), dict(doc.files))
    steps = [c.SetMetadata("title", "New title"), c.AddModule("Second module"),
             c.AddItem(module_id, "quiz", "Check"), c.AddItem(module_id, "lab", "Lab", lab=LABS[0])]
    for step in steps:
        doc.apply(step)
    lesson_id = doc.modules[0]["items"][0]["id"]
    edit = c.EditLesson(lesson_id, "# Changed\n\nText.\n")
    doc.apply(edit)
    move = c.MoveItem(lesson_id, steps[1].module_id, 0)
    doc.apply(move)
    after = (doc.manifest_text(), dict(doc.files))
    assert doc.modules[1]["items"][0]["id"] == lesson_id and doc.manifest["title"] == "New title"
    for step in reversed([*steps, edit, move]):
        doc.undo(step)
    assert (doc.manifest_text(), dict(doc.files)) == before
    for step in [*steps, edit, move]:
        doc.redo(step)
    assert (doc.manifest_text(), dict(doc.files)) == after
    assert doc.problems(LABS) == []


def test_reorder_and_remove(doc):
    first = doc.modules[0]["id"]
    add = c.AddModule("Second")
    doc.apply(add)
    doc.apply(c.MoveModule(add.module_id, 0))
    assert [m["id"] for m in doc.modules] == [add.module_id, first]
    lesson = doc.modules[1]["items"][0]
    doc.apply(c.RemoveModule(first))
    assert lesson["lesson"] not in doc.files and [m["id"] for m in doc.modules] == [add.module_id]


def test_every_question_type_with_feedback_is_valid(doc):
    module_id = doc.modules[0]["id"]
    quiz = c.AddItem(module_id, "quiz", "All types")
    doc.apply(quiz)
    for kind in TYPES:
        doc.apply(c.AddQuestion(quiz.item_id, template(kind, kind.replace("_", "-"))))
    assert doc.problems(LABS) == []
    loaded = doc.load(known_labs=LABS).quizzes[quiz.item_id]
    assert sorted(q.type for q in loaded.questions) == sorted(["single", *TYPES])
    question = c.quiz_questions(doc, quiz.item_id)[1]
    question["choices"][1]["feedback"] = "Think again."
    doc.apply(c.EditQuestion(quiz.item_id, 1, question))
    assert c.quiz_questions(doc, quiz.item_id)[1]["choices"][1]["feedback"] == "Think again."
    doc.apply(c.RemoveQuestion(quiz.item_id, 0))
    assert len(c.quiz_questions(doc, quiz.item_id)) == len(TYPES)


def test_problems_are_the_same_as_course_check(doc, tmp_path):
    module_id = doc.modules[0]["id"]
    quiz = c.AddItem(module_id, "quiz", "Broken")
    doc.apply(quiz)
    doc.apply(c.SetQuizText(quiz.item_id, "questions:\n  - id: a\n    type: single\n    prompt: Which?\n"
                                          "    choices:\n      - text: One\n"))
    doc.apply(c.AddItem(module_id, "lab", "No such lab", lab="nowhere/lab"))
    doc.apply(c.SetMetadata("version", "one"))
    mine = doc.problems(LABS)
    assert mine
    # the same document written by hand to a folder, checked by the real command
    copy = tmp_path / "by-hand"
    for relative, data in doc.package_files().items():
        (copy / relative).parent.mkdir(parents=True, exist_ok=True)
        (copy / relative).write_bytes(data)
    checked = course_check(copy)
    assert not checked["valid"]
    assert [(p.file, p.line, p.message) for p in mine] == [(p["file"], p["line"], p["message"])
                                                          for p in checked["problems"]]
    assert any(p.file.startswith("quizzes/") and p.line > 0 for p in mine)


def test_add_image_copies_it_under_a_safe_name(doc, tmp_path):
    image = tmp_path / "Seoul Map (final).PNG"
    image.write_bytes((COURSE / "images" / "rules-vs-learning.svg").read_bytes())
    add = c.AddImage(image)
    doc.apply(add)
    assert add.path == "images/seoul-map-final.png" and add.reference == "../images/seoul-map-final.png"
    assert doc.files[add.path] == image.read_bytes()
    text = tmp_path / "notes.txt"
    text.write_text("x")
    with pytest.raises(InvalidInput, match="PNG, JPEG, SVG or GIF"):
        doc.apply(c.AddImage(text))


def test_save_is_atomic_when_writing_fails(doc, folder, monkeypatch):
    original = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    lesson_id = doc.modules[0]["items"][0]["id"]
    doc.apply(c.EditLesson(lesson_id, "# New text\n"))
    doc.apply(c.AddItem(doc.modules[0]["id"], "quiz", "Quiz"))
    written = []
    real = saving._write_file

    def failing(path, data):
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        written.append(path)
        real(path, data)

    monkeypatch.setattr(saving, "_write_file", failing)
    with pytest.raises(InvalidInput, match="No space left"):
        saving.save_course(TRAINER_P, doc, LABS)
    assert {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == original
    assert sorted(p.name for p in folder.parent.iterdir()) == [folder.name]  # no temporary folder left


def test_interrupted_swap_is_recovered(doc, folder):
    # a crash between the two renames: the course folder is gone, its previous version is beside it
    previous = folder.parent / f".{folder.name}.old-dead"
    folder.rename(previous)
    (folder.parent / f".{folder.name}.saving-dead").mkdir()
    CourseDocument.open(TRAINER_P, folder)
    assert load_course(folder, known_labs=LABS).id == "road-safety-data"
    assert sorted(p.name for p in folder.parent.iterdir()) == [folder.name]


def test_invalid_course_is_not_saved(doc, folder):
    before = (folder / "course.yaml").read_text()
    doc.apply(c.SetMetadata("licence", ""))
    with pytest.raises(InvalidInput) as err:
        saving.save_course(TRAINER_P, doc, LABS)
    assert any("licence" in p.message for p in err.value.problems)
    assert (folder / "course.yaml").read_text() == before


def test_duplicate_bundled_course_gets_new_id_and_version(courses):
    copy = saving.duplicate_course(TRAINER_P, COURSE, courses, LABS)
    course = load_course(copy, known_labs=LABS)
    original = load_course(COURSE, known_labs=LABS)
    assert course.id == "ai-foundations-copy" and course.version == "1.0.0"
    assert len(course.items) == len(original.items) and course.translations == original.translations
    assert saving.duplicate_course(TRAINER_P, COURSE, courses, LABS).name == "ai-foundations-copy-2"
    with pytest.raises(InvalidInput, match="duplicate it"):
        CourseDocument.open(TRAINER_P, COURSE)


def test_saving_a_published_course_bumps_the_minor_version_once(doc, folder):
    saving.publish_course(TRAINER_P, folder)
    doc = CourseDocument.open(TRAINER_P, folder)
    edit = c.SetMetadata("summary", "Changed")
    doc.apply(edit)
    assert saving.save_course(TRAINER_P, doc, LABS) == "1.1.0"
    doc.undo(edit)  # undo does not take the version back below what was published
    assert saving.save_course(TRAINER_P, doc, LABS) == "1.1.0"
    assert load_course(folder).version == "1.1.0"
    doc.apply(c.SetMetadata("version", "2.0.0"))
    assert saving.save_course(TRAINER_P, doc, LABS) == "2.0.0"


def test_draft_keeps_its_version(doc):
    doc.apply(c.SetMetadata("summary", "Changed"))
    assert saving.save_course(TRAINER_P, doc, LABS) == "1.0.0"


def test_new_version_keeps_learners_records(folder, data_dir):
    from app.core.learning import Learning
    from app.core.record.statements import Ext
    from app.core.record.store import LearningRecord
    from app.core.storage.database import open_database

    saving.publish_course(TRAINER_P, folder)
    database = open_database(data_dir)
    try:
        record = LearningRecord(database)
        learning = Learning(record, record.add_learner("Kim", "en"))
        old = load_course(folder, "en")
        learning.complete_lesson(old, old.items[0])
        doc = CourseDocument.open(TRAINER_P, folder)
        doc.apply(c.AddItem(doc.modules[0]["id"], "lesson", "More"))
        assert saving.save_course(TRAINER_P, doc, LABS) == "1.1.0"
        new = load_course(folder, "en")
        assert new.version == "1.1.0"
        statements = record.statements(learning.learner.id, new.id)
        assert statements and {s.extension(Ext.COURSE_VERSION) for s in statements} == {"1.0.0"}
        assert learning.progress(new).lessons_done == {old.items[0].id}
    finally:
        database.dispose()


def test_learner_is_refused_everywhere(doc, folder, courses):
    with pytest.raises(NotAllowed):
        CourseDocument.open(LEARNER_P, folder)
    with pytest.raises(NotAllowed):
        saving.create_course(LEARNER_P, courses, "Mine")
    with pytest.raises(NotAllowed):
        saving.duplicate_course(LEARNER_P, COURSE, courses)
    with pytest.raises(NotAllowed):
        saving.save_course(LEARNER_P, doc)
    with pytest.raises(NotAllowed):
        saving.publish_course(LEARNER_P, folder)
    doc.principal = LEARNER_P  # even a document handed over cannot be changed by a learner
    with pytest.raises(NotAllowed):
        doc.apply(c.SetMetadata("title", "Hacked"))
