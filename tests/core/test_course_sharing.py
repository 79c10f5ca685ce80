"""Sharing a course between offline PCs (app/core/course/sharing.py): export to a .zip, a plan that says
what a package holds and replaces before anything is written, and an install that either completes or
leaves the old course as it was. Packages are untrusted: `course check` problems, zip limits, path rules."""

from __future__ import annotations

import dataclasses
import errno
import os
import zipfile
from pathlib import Path

import pytest

from app.core.course import sharing
from app.core.course.catalogue import load_catalogue
from app.core.course.loader import load_course
from app.core.course.sharing import (
    STAGING, ImportPlan, apply_import, export_course, plan_import, recover_interrupted_imports)
from app.core.problems import InvalidInput, Problem
from app.core.tasks import Cancelled, TaskState
from tests.conftest import COURSE

MANIFEST = """\
format: 1
id: {id}
version: {version}
title: {title}
summary: A tiny course.
source_language: en
translations: [{translations}]
licence: CC-BY-4.0
authors:
  - name: Tester
estimated_minutes: 10
modules:
  - id: first-module
    title: Module one
    items:
      - lesson: {lesson}
        id: lesson-a
        title: Lesson A
      - quiz: quizzes/q.quiz.yaml
        id: quiz-q
        title: Quiz Q
      - lab: data_analysis/open-data
        id: bikes
        title: Bikes
"""

LESSON = "# Heading\n\nFirst paragraph.\n\n![A picture](../images/p.svg)\n"
QUIZ = """\
questions:
  - id: good
    type: true_false
    prompt: Is this true?
    answer: true
  - id: pick
    type: single
    prompt: Pick one.
    choices:
      - text: Right
        correct: true
      - text: Wrong
"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n'
KO_PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: ko\\n"

msgctxt "course.yaml"
msgid "Lesson A"
msgstr "수업 A"
"""


def course_files(version="1.0.0", title="Mini course", course_id="mini", lesson="lessons/a.md",
                 translations=("ko",), **extra: str | bytes | None) -> dict[str, str | bytes | None]:
    files: dict[str, str | bytes | None] = {
        "course.yaml": MANIFEST.format(id=course_id, version=version, title=title, lesson=lesson,
                                       translations=", ".join(translations)),
        lesson: LESSON, "quizzes/q.quiz.yaml": QUIZ, "images/p.svg": SVG, "images/ko/p.svg": SVG}
    if translations:
        files["translations/ko.po"] = KO_PO
    files.update(extra)
    return {k: v for k, v in files.items() if v is not None}


def write_folder(root: Path, files: dict[str, str | bytes]) -> Path:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def make_zip(path: Path, entries: dict[str, str | bytes], compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return path


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes: to prove what was (not) written."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def refused(call, *args, **kwargs) -> list[Problem]:
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)
    assert caught.value.problems and all(isinstance(p, Problem) for p in caught.value.problems)
    return caught.value.problems


def one(problems: list[Problem], file: str, *fragments: str) -> Problem:
    found = [p for p in problems if p.file == file and all(f in p.message for f in fragments)]
    assert len(found) == 1, f"expected one problem in {file} with {fragments}, got:\n" + "\n".join(map(str, problems))
    return found[0]


def same_course(a, b) -> bool:
    """Two loads of a course are identical but for where they were loaded from."""
    return dataclasses.replace(a, location="") == dataclasses.replace(b, location="")


@pytest.fixture
def places(tmp_path: Path):
    """(user courses folder, an empty stand-in for the bundled folder): imports never touch the real one."""
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    return tmp_path / "data" / "courses", bundled


def plan(package: Path, places, **kwargs) -> ImportPlan:
    courses, bundled = places
    return plan_import(package, courses, bundled_dir=bundled, **kwargs)


def installed_course(places, tmp_path: Path, **manifest) -> Path:
    """Install a mini course through export and import, as a trainer would; returns its folder."""
    source = write_folder(tmp_path / f"installed-src-{manifest.get('version', '1.0.0')}", course_files(**manifest))
    archive = export_course(source, tmp_path / "installed.zip").path
    return apply_import(plan(archive, places))


# ------------------------------------------------------------------------------------------ export

def test_export_is_deterministic_and_holds_only_course_files(tmp_path):
    junk = {".DS_Store": b"\0", "lessons/.DS_Store": b"\0", "images/Thumbs.db": b"\0", "images/desktop.ini": "x",
            "lessons/.a.md.swp": b"\0", "lessons/a.md~": "old", "notes.txt": "to do", "drafts/b.md": "# B\n",
            "__MACOSX/lessons/._a.md": b"\0", "lessons/._a.md": b"\0", "course.yaml.bak": "x"}
    folder = write_folder(tmp_path / "mini", {**course_files(), **junk})
    first = export_course(folder, tmp_path / "one.zip")
    os.utime(folder / "lessons" / "a.md", (0, 1_000_000))  # a newer date on disk changes nothing in the zip
    second = export_course(folder, tmp_path / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(first.path) as zf:
        names = zf.namelist()
        assert zf.testzip() is None
    assert names == sorted(f"mini/{n}" for n in course_files())
    assert (first.course_id, first.version, first.files) == ("mini", "1.0.0", len(course_files()))
    assert first.total_bytes == sum(len(str(v).encode()) for v in course_files().values())
    assert second.path == tmp_path / "two.zip"
    assert not list(tmp_path.glob(".*part"))


def test_export_refuses_a_broken_course_and_keeps_the_old_zip(tmp_path):
    folder = write_folder(tmp_path / "mini", course_files(**{"quizzes/q.quiz.yaml": "questions:\n  - id: [\n"}))
    out = tmp_path / "mini.zip"
    out.write_bytes(b"the previous export")
    problems = refused(export_course, folder, out)
    assert any(p.file == "quizzes/q.quiz.yaml" and p.line >= 2 for p in problems), problems
    assert out.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini", "mini.zip"]  # no temporary left


def test_export_refuses_a_file_the_course_uses_outside_the_content_folders(tmp_path):
    folder = write_folder(tmp_path / "mini", course_files(lesson="text/a.md"))
    problems = refused(export_course, folder, tmp_path / "mini.zip")
    one(problems, "text/a.md", "only course.yaml and the folders lessons/, quizzes/, images/ and translations/")
    assert not (tmp_path / "mini.zip").exists()


def test_export_refuses_names_windows_cannot_hold(tmp_path):
    folder = write_folder(tmp_path / "mini", course_files(**{"images/CON.svg": SVG, "images/a?.svg": SVG}))
    problems = refused(export_course, folder, tmp_path / "mini.zip")
    one(problems, "images/CON.svg", "reserves for a device")
    one(problems, "images/a?.svg", "character Windows does not allow")


def test_export_needs_a_folder_and_a_place_to_write(tmp_path):
    folder = write_folder(tmp_path / "mini", course_files())
    one(refused(export_course, tmp_path / "nowhere", tmp_path / "x.zip"), str(tmp_path / "nowhere"), "course folder")
    one(refused(export_course, folder, tmp_path / "no" / "x.zip"), str(tmp_path / "no" / "x.zip"), "does not exist")
    one(refused(export_course, folder, folder / "images" / "x.zip"), str(folder / "images" / "x.zip"), "outside")


# ------------------------------------------------------------------------------------------ round trip

def test_round_trip_of_the_bundled_course_loads_identically(tmp_path, places):
    exported = export_course(COURSE, tmp_path / "ai.zip")
    the_plan = plan(exported.path, places)
    original = load_course(COURSE)
    assert (the_plan.course_id, the_plan.version, the_plan.title) == (original.id, original.version, original.title)
    assert the_plan.languages == (original.source_language, *original.translations)
    assert (the_plan.lessons, the_plan.quizzes, the_plan.labs) == (len(original.lessons), len(original.quizzes), 0)
    assert the_plan.questions == sum(len(q.questions) for q in original.quizzes.values())
    assert the_plan.images == len(list((COURSE / "images").rglob("*.svg")))
    assert the_plan.total_bytes == exported.total_bytes and len(the_plan.files) == exported.files
    folder = apply_import(the_plan)
    assert folder == places[0] / "ai-foundations"
    for locale in (None, "ko", "ar"):
        assert same_course(load_course(folder, locale), load_course(COURSE, locale)), locale
    assert tree(folder) == tree(COURSE)
    assert not (places[0] / STAGING).exists()


def test_the_plan_writes_nothing(tmp_path, places):
    archive = export_course(write_folder(tmp_path / "mini", course_files()), tmp_path / "mini.zip").path
    before = tree(tmp_path)
    the_plan = plan(archive, places)
    assert tree(tmp_path) == before and not places[0].exists()
    assert the_plan.installed is None and the_plan.bundled is None
    assert the_plan.target == places[0] / "mini"
    assert (the_plan.lessons, the_plan.quizzes, the_plan.questions, the_plan.images, the_plan.labs) == (1, 1, 2, 2, 1)
    assert the_plan.languages == ("en", "ko") and the_plan.warnings == []
    facts = the_plan.as_dict()
    assert facts["files"] == 6 and facts["installed"] is None and facts["added"] == []


def test_imported_course_appears_in_the_catalogue_over_the_bundled_one(tmp_path, places):
    courses, bundled = places
    write_folder(bundled / "mini", course_files(version="1.0.0"))
    archive = export_course(write_folder(tmp_path / "v2", course_files(version="2.0.0")), tmp_path / "v2.zip").path
    the_plan = plan(archive, places)
    assert the_plan.bundled.version == "1.0.0" and the_plan.bundled.package_is == "newer"
    apply_import(the_plan)
    assert tree(bundled / "mini") == tree(write_folder(tmp_path / "v1", course_files(version="1.0.0")))
    catalogue = load_catalogue([bundled, courses], "ko")
    assert [c.key for c in catalogue.courses] == ["mini@2.0.0"]
    assert catalogue.courses[0].items[0].title == "수업 A"


def test_an_import_never_writes_into_the_bundled_folder(tmp_path, places):
    _courses, bundled = places
    archive = export_course(write_folder(tmp_path / "mini", course_files()), tmp_path / "mini.zip").path
    one(refused(plan_import, archive, bundled, bundled_dir=bundled), str(bundled), "read-only")
    one(refused(plan_import, archive, bundled / "sub", bundled_dir=bundled), str(bundled / "sub"), "read-only")
    the_plan = plan(archive, places)
    with pytest.raises(InvalidInput):
        apply_import(dataclasses.replace(the_plan, courses_dir=bundled, target=bundled / "mini"))
    assert tree(bundled) == {}


def test_files_that_are_not_course_content_are_listed_and_left_out(tmp_path, places):
    entries = {f"mini/{k}": v for k, v in course_files().items()}
    entries.update({"mini/README.txt": "read me", "mini/tools/run.exe": b"MZ", "mini/images/.hidden": "x"})
    archive = make_zip(tmp_path / "mini.zip", entries)
    the_plan = plan(archive, places)
    assert the_plan.skipped == ("README.txt", "images/.hidden", "tools/run.exe")
    assert any("3 files in the package are not course content" in w for w in the_plan.warnings)
    folder = apply_import(the_plan)
    assert sorted(tree(folder)) == sorted(course_files())


# ------------------------------------------------------------------------------------------ untrusted packages

def test_a_zip_with_an_escaping_path_is_refused(tmp_path, places):
    archive = make_zip(tmp_path / "evil.zip", {**course_files(), "../evil.txt": "x"})
    one(refused(plan, archive, places), "evil.zip", "'../evil.txt' points outside the package")
    assert not places[0].exists() and not (tmp_path.parent / "evil.txt").exists()


def test_a_too_large_entry_is_refused(tmp_path, places):
    big = os.urandom((20 << 20) + 1)  # random: it does not compress, so it is no zip bomb, only too large
    archive = make_zip(tmp_path / "big.zip", {**course_files(), "images/photo.png": big}, zipfile.ZIP_STORED)
    one(refused(plan, archive, places), "images/photo.png", "larger than 20 MB")
    assert not places[0].exists()


def test_a_broken_course_yaml_is_refused_with_its_line(tmp_path, places):
    files = course_files()
    files["course.yaml"] = files["course.yaml"].replace("title: Mini course", "title: [Mini course")
    problems = refused(plan, make_zip(tmp_path / "broken.zip", files), places)
    assert [p.file for p in problems] == ["course.yaml"] and problems[0].line > 0, problems


def test_everything_course_check_finds_is_reported_in_one_pass(tmp_path, places):
    files = course_files(**{"images/p.svg": None, "images/AUX.svg": SVG})
    files["quizzes/q.quiz.yaml"] = files["quizzes/q.quiz.yaml"].replace("type: true_false", "type: essay")
    problems = refused(plan, make_zip(tmp_path / "bad.zip", files), places, known_labs={"chatbot/starter"})
    one(problems, "lessons/a.md", "image '../images/p.svg'")
    one(problems, "quizzes/q.quiz.yaml", "essay")
    one(problems, "course.yaml", "no lab 'data_analysis/open-data'")
    one(problems, "images/AUX.svg", "reserves for a device")


def test_names_equal_but_for_case_are_refused(tmp_path, places):
    archive = make_zip(tmp_path / "case.zip", {**course_files(), "images/P.svg": SVG})
    one(refused(plan, archive, places), "images/p.svg", "differ only in upper and lower case")


def test_a_damaged_entry_is_refused(tmp_path, places):
    archive = make_zip(tmp_path / "damaged.zip", {**course_files(), "images/big.svg": SVG * 2000})
    data = bytearray(archive.read_bytes())
    at = data.index(b"images/big.svg") + len("images/big.svg") + 50  # inside the compressed data
    data[at:at + 40] = b"\xff" * 40
    archive.write_bytes(bytes(data))
    one(refused(plan, archive, places), "images/big.svg", "damaged")


def test_not_a_zip(tmp_path, places):
    (tmp_path / "notes.zip").write_text("not a zip")
    one(refused(plan, tmp_path / "notes.zip", places), "notes.zip", "neither a course folder nor a .zip")
    folder = write_folder(tmp_path / "mini", course_files())
    one(refused(plan, folder, places), "mini", "Import takes a .zip")


# ------------------------------------------------------------------------------------------ what it replaces

def test_a_different_course_with_the_same_id(tmp_path, places):
    old = installed_course(places, tmp_path)
    other = write_folder(tmp_path / "other", course_files(title="Road safety", lesson="lessons/b.md",
                                                          translations=(), **{"images/ko/p.svg": None}))
    the_plan = plan(export_course(other, tmp_path / "other.zip").path, places)
    assert the_plan.installed.location == old and the_plan.installed.title == "Mini course"
    assert the_plan.target == old
    assert the_plan.added == ("lessons/b.md",)
    assert the_plan.removed == ("images/ko/p.svg", "lessons/a.md", "translations/ko.po")
    assert the_plan.changed == ("course.yaml",)
    assert any("'Mini course'" in w and "'Road safety'" in w and "different courses" in w for w in the_plan.warnings)
    assert apply_import(the_plan) == old
    assert sorted(tree(old)) == ["course.yaml", "images/p.svg", "lessons/b.md", "quizzes/q.quiz.yaml"]
    assert load_course(old).title == "Road safety"


@pytest.mark.parametrize("installed, package, relation, warned", [
    ("1.2.0", "1.0.0", "older", "older than the installed version 1.2.0"),
    ("1.2.0", "1.10.0", "newer", None),  # numbers, not text: 10 > 2
    ("1.0.0", "1.0.0", "same", "changes nothing"),
])
def test_versions_are_compared(tmp_path, places, installed, package, relation, warned):
    installed_course(places, tmp_path, version=installed)
    source = write_folder(tmp_path / "new", course_files(version=package))
    the_plan = plan(export_course(source, tmp_path / "new.zip").path, places)
    assert the_plan.installed.version == installed and the_plan.installed.package_is == relation
    assert the_plan.changed == (() if relation == "same" else ("course.yaml",))
    assert the_plan.unchanged == (relation == "same")
    if warned:
        assert any(warned in w for w in the_plan.warnings), the_plan.warnings
    else:
        assert the_plan.warnings == []
    apply_import(the_plan)
    assert load_course(places[0] / "mini").version == package


def test_same_version_with_other_files_warns(tmp_path, places):
    installed_course(places, tmp_path)
    source = write_folder(tmp_path / "edited", course_files(**{"lessons/a.md": LESSON + "\nMore.\n"}))
    the_plan = plan(export_course(source, tmp_path / "edited.zip").path, places)
    assert the_plan.changed == ("lessons/a.md",) and not the_plan.unchanged
    assert any("with different files" in w and "raise the version" in w for w in the_plan.warnings)


def test_an_installed_zip_is_replaced_and_a_foreign_folder_is_kept(tmp_path, places):
    courses, _bundled = places
    courses.mkdir(parents=True)
    old_zip = export_course(write_folder(tmp_path / "v1", course_files()), courses / "mini-old.zip").path
    foreign = write_folder(courses / "mini", course_files(course_id="someone-else"))
    source = write_folder(tmp_path / "v2", course_files(version="2.0.0"))
    the_plan = plan(export_course(source, tmp_path / "v2.zip").path, places)
    assert the_plan.installed.location == old_zip and the_plan.installed.package_is == "newer"
    assert the_plan.target == courses / "mini-2"
    folder = apply_import(the_plan)
    assert folder == courses / "mini-2" and not old_zip.exists()
    assert load_course(foreign).id == "someone-else"
    assert sorted(p.name for p in courses.iterdir()) == ["mini", "mini-2"]


# ------------------------------------------------------------------------------------------ failures mid-apply

@pytest.fixture
def upgrade(tmp_path, places):
    """(plan of version 2.0.0, the installed 1.0.0 folder, its files): to break the install midway."""
    old = installed_course(places, tmp_path)
    source = write_folder(tmp_path / "v2", course_files(version="2.0.0", **{"lessons/b.md": "# B\n"}))
    return plan(export_course(source, tmp_path / "v2.zip").path, places), old, tree(old)


def assert_untouched(old: Path, files: dict[str, bytes]) -> None:
    assert tree(old) == files
    assert load_course(old).version == "1.0.0"
    assert not (old.parent / STAGING).exists()
    assert sorted(p.name for p in old.parent.iterdir()) == [old.name]


def test_a_failed_swap_leaves_the_old_course(upgrade, monkeypatch):
    the_plan, old, files = upgrade
    real_replace = os.replace

    def failing(src, dst):
        if Path(dst) == old and Path(src).name.startswith("import-"):
            raise OSError(errno.EACCES, "Permission denied")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    one(refused(apply_import, the_plan), str(old), "could not be installed", "as they were")
    assert_untouched(old, files)


def test_a_full_disk_during_extraction_leaves_the_old_course(upgrade, monkeypatch):
    the_plan, old, files = upgrade
    real_write = sharing._write_file
    written = []

    def filling(path, data):
        if len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(path)
        real_write(path, data)

    monkeypatch.setattr(sharing, "_write_file", filling)
    one(refused(apply_import, the_plan), str(old), "No space left on device")
    assert_untouched(old, files)


def test_a_package_changed_after_the_plan_is_not_installed(upgrade, tmp_path):
    the_plan, old, files = upgrade
    source = write_folder(tmp_path / "v2b", course_files(version="2.0.0", **{"lessons/b.md": "# Changed\n"}))
    export_course(source, the_plan.package)
    one(refused(apply_import, the_plan), "v2.zip", "changed since it was checked")
    assert_untouched(old, files)


def test_cancel_before_the_swap_leaves_the_old_course(upgrade):
    the_plan, old, files = upgrade
    state = TaskState()
    state.set_progress = lambda done, total=1.0, message="": state.request_cancel() if done >= 2 else None
    with pytest.raises(Cancelled):
        apply_import(the_plan, state=state)
    assert_untouched(old, files)


def test_an_extracted_course_that_fails_its_check_is_not_installed(upgrade):
    the_plan, old, files = upgrade
    problems = refused(apply_import, the_plan, known_labs={"chatbot/starter"})
    one(problems, "course.yaml", "no lab 'data_analysis/open-data'")
    assert_untouched(old, files)


def test_a_crash_between_the_renames_is_recovered(upgrade):
    """Power lost after the old course was moved aside, before the new one was moved in."""
    the_plan, old, files = upgrade
    staging = old.parent / STAGING
    staging.mkdir()
    os.replace(old, staging / f"old-{old.name}")
    write_folder(staging / "import-x1", {"course.yaml": "half"})
    write_folder(staging / "discard-x2", {"mini.zip": "old copy"})
    recover_interrupted_imports(old.parent)
    assert_untouched(old, files)
    apply_import(the_plan)  # and an import after a crash recovers first
    assert load_course(old).version == "2.0.0"


def test_recovery_after_the_swap_keeps_the_new_course(upgrade):
    the_plan, old, _files = upgrade
    apply_import(the_plan)
    new = tree(old)
    staging = old.parent / STAGING
    write_folder(staging / f"old-{old.name}", {"course.yaml": "the old one, not yet deleted"})
    recover_interrupted_imports(old.parent)
    assert tree(old) == new and not staging.exists()


def test_the_app_start_puts_back_a_course_a_crash_moved_aside(tmp_path, data_dir):
    from app.core.paths import user_courses_dir
    from app.core.services import start_services

    courses = user_courses_dir(data_dir)
    folder = installed_course((courses, tmp_path / "no-bundled"), tmp_path)
    (courses / STAGING).mkdir()
    os.replace(folder, courses / STAGING / f"old-{folder.name}")
    services = start_services(data_dir, "en", TaskState())
    try:
        assert services.catalogue.course("mini").version == "1.0.0"
    finally:
        services.close()
    assert sorted(p.name for p in courses.iterdir()) == ["mini"]


def test_the_plan_in_words_keeps_paths_left_to_right_in_arabic(tmp_path, places):
    from app.core.course.import_report import plan_lines
    from app.core.i18n import set_locale

    installed_course(places, tmp_path)
    source = write_folder(tmp_path / "v2", course_files(version="2.0.0", **{"lessons/b.md": "# B\n"}))
    the_plan = plan(export_course(source, tmp_path / "v2.zip").path, places)
    english = plan_lines(the_plan)
    assert "Contains: 1 lesson, 1 quiz (2 questions), 2 images, 1 lab; 7 files, 1 KB" in english
    assert "  + lessons/b.md" in english and "  ~ course.yaml" in english
    set_locale("ar")
    arabic = plan_lines(the_plan)
    assert "  + \u2068lessons/b.md\u2069" in arabic
    assert any(f"\u2068{places[0] / 'mini'}\u2069" in line for line in arabic)
