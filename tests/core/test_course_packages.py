"""Course packages (format v1): loading, refusing broken packages whole with `file:line: message`,
zips from untrusted USB sticks, translations, the .pot template, and `main.py course check` (no Qt)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.core.course import markdown, translation  # noqa: E402
from app.core.course.loader import load_course, translation_coverage, translation_units  # noqa: E402
from app.core.course.quiz import QUESTION_TYPES  # noqa: E402
from app.core.problems import InvalidInput, Problem  # noqa: E402

COURSE = ROOT / "courses" / "ai-foundations"


# ------------------------------------------------------------------------------------------- helpers

MANIFEST = """\
format: 1
id: mini
version: 1.0.0
title: Mini course
summary: A tiny course.
source_language: en
translations: []
licence: CC-BY-4.0
authors:
  - name: Tester
estimated_minutes: 10
modules:
  - id: first-module
    title: Module one
    items:
      - lesson: lessons/a.md
        id: lesson-a
        title: Lesson A
      - quiz: quizzes/q.quiz.yaml
        id: quiz-q
        title: Quiz Q
"""

LESSON = """\
# Heading

First paragraph.

Second paragraph.

![A picture](../images/p.svg)
"""

GOOD_QUESTION = """\
  - id: good
    type: true_false
    prompt: Is this true?
    answer: true
"""

QUIZ = "questions:\n" + GOOD_QUESTION

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n'

MINIMAL = {"course.yaml": MANIFEST, "lessons/a.md": LESSON, "quizzes/q.quiz.yaml": QUIZ, "images/p.svg": SVG}


def write_package(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write a package folder from {relative path: text or bytes}; None leaves a file out."""
    root.mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        if content is None:
            continue
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the `occurrence`-th line containing `needle`."""
    hits = [n for n, line in enumerate(text.split("\n"), 1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} not found {occurrence} time(s)"
    return hits[occurrence - 1]


def refused(location: Path, **kwargs) -> list[Problem]:
    """The problems of a package that must be refused: InvalidInput, and no other exception."""
    with pytest.raises(InvalidInput) as caught:
        load_course(location, **kwargs)
    problems = caught.value.problems
    assert problems, "InvalidInput without any problem"
    assert all(isinstance(p, Problem) for p in problems)
    return problems


def the_problem(problems: list[Problem], file: str, line: int, *fragments: str) -> Problem:
    """Exactly one problem in `file` at `line` whose message holds every fragment."""
    found = [p for p in problems if p.file == file and p.line == line and all(f in p.message for f in fragments)]
    assert len(found) == 1, f"expected one problem {file}:{line} {fragments}, got:\n" + "\n".join(map(str, problems))
    return found[0]


@pytest.fixture
def package(tmp_path: Path):
    """package(**changes) -> the minimal valid package with some files replaced (None removes one)."""
    count = 0

    def build(changes: dict[str, str | bytes | None] | None = None, base: dict | None = None) -> Path:
        nonlocal count
        count += 1
        files = dict(MINIMAL if base is None else base)
        files.update(changes or {})
        return write_package(tmp_path / f"pkg{count}", files)
    return build


def make_zip(path: Path, entries: dict[str, str | bytes], compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return path


def zip_folder_flat(folder: Path, target: Path) -> Path:
    """The files at the top of the zip (as a trainer zips the *contents* of the folder)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
    return target


def zip_folder_nested(folder: Path, target_stem: Path) -> Path:
    """One top folder in the zip, with its directory entries (as zipping the folder itself gives)."""
    return Path(shutil.make_archive(str(target_stem), "zip", root_dir=folder.parent, base_dir=folder.name))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


# ----------------------------------------------------------------------------------- bundled course

def _check_bundled(course) -> None:
    assert course.id == "ai-foundations"
    assert len(course.lessons) >= 6
    questions = [q for quiz in course.quizzes.values() for q in quiz.questions]
    assert len(questions) >= 15
    assert {q.type for q in questions} == set(QUESTION_TYPES)
    lesson_items = {i.id for i in course.items if i.kind == "lesson"}
    quiz_items = {i.id for i in course.items if i.kind == "quiz"}
    assert set(course.lessons) == lesson_items
    assert set(course.quizzes) == quiz_items
    assert all(lesson.markdown.strip() for lesson in course.lessons.values())


def test_bundled_course_loads_from_its_folder():
    course = load_course(COURSE)
    _check_bundled(course)
    assert course.locale == course.source_language == "en"
    assert course.key == "ai-foundations@1.0.0"


def test_bundled_course_loads_from_a_zip_with_files_at_the_top(tmp_path):
    archive = zip_folder_flat(COURSE, tmp_path / "ai-foundations.zip")
    with zipfile.ZipFile(archive) as zf:
        assert "course.yaml" in zf.namelist()
    _check_bundled(load_course(archive))


def test_bundled_course_loads_from_a_zip_of_its_folder(tmp_path):
    archive = zip_folder_nested(COURSE, tmp_path / "ai-foundations")
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
    assert "ai-foundations/course.yaml" in names and "course.yaml" not in names
    course = load_course(archive)
    _check_bundled(course)
    assert course.location == str(archive)


def test_readme_manifest_example_is_valid(tmp_path):
    readme = (ROOT / "courses" / "README.md").read_text(encoding="utf-8")
    example = re.findall(r"```yaml\n(.*?)```", readme, re.S)[0]
    assert example.startswith("format: 1")
    from app.core.course.loader import read_manifest
    from app.core.course.source import PackageSource

    write_package(tmp_path / "readme", {"course.yaml": example})
    problems: list[Problem] = []
    manifest = read_manifest(PackageSource.open(tmp_path / "readme"), problems)
    assert problems == []
    assert [i.id for m in manifest.modules for i in m.items] == ["why-ai-intro", "why-ai-check", "bikes-lab"]
    quiz_item = manifest.modules[0].items[1]
    assert (quiz_item.rules.pass_percent, quiz_item.rules.max_attempts) == (80, 0)


def test_readme_quiz_example_is_valid():
    from app.core.course.quiz import parse_quiz

    readme = (ROOT / "courses" / "README.md").read_text(encoding="utf-8")
    example = next(b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if b.startswith("questions:"))
    problems: list[Problem] = []
    quiz = parse_quiz(example, "README.md", problems, lambda s: s)
    assert [str(p) for p in problems] == []
    assert {q.type for q in quiz.questions} == set(QUESTION_TYPES)


# ------------------------------------------------------------------------------ a valid mini package

def test_minimal_package_loads(package):
    course = load_course(package())
    assert (course.id, course.version, course.title, course.estimated_minutes) == ("mini", "1.0.0", "Mini course", 10)
    assert [m.id for m in course.modules] == ["first-module"]
    assert [(i.id, i.kind, i.target) for i in course.items] == [
        ("lesson-a", "lesson", "lessons/a.md"), ("quiz-q", "quiz", "quizzes/q.quiz.yaml")]
    assert course.lessons["lesson-a"].markdown == LESSON
    assert course.quizzes["quiz-q"].questions[0].id == "good"
    assert course.item("quiz-q").rules.pass_percent == 70  # the default rule
    assert course.next_item("lesson-a").id == "quiz-q" and course.next_item("quiz-q") is None


def test_minimal_package_tolerates_bom_and_crlf(package):
    lesson = ("\ufeff" + LESSON).replace("\n", "\r\n").encode("utf-8")
    course = load_course(package({"lessons/a.md": lesson, "course.yaml": MANIFEST.replace("\n", "\r\n")}))
    assert course.lessons["lesson-a"].markdown == LESSON


# -------------------------------------------------------------------------------- broken: manifest

def test_bad_yaml_in_manifest_names_the_line(package):
    manifest = MANIFEST.replace("title: Mini course", "title: Mini: a course")
    problems = refused(package({"course.yaml": manifest}))
    assert len(problems) == 1
    the_problem(problems, "course.yaml", line_of(manifest, "title: Mini: a course"), "not valid YAML",
                "quote text that contains ': '")


def test_bad_yaml_in_a_quiz_names_the_quiz_and_line(package):
    quiz = QUIZ + "  - id: second\n    type: true_false\n    prompt: Is: it\n    answer: true\n"
    problems = refused(package({"quizzes/q.quiz.yaml": quiz}))
    assert len(problems) == 1
    the_problem(problems, "quizzes/q.quiz.yaml", line_of(quiz, "prompt: Is: it"), "not valid YAML")


def test_missing_lesson_file_is_named(package):
    problems = refused(package({"lessons/a.md": None}))
    assert len(problems) == 1
    # Reported where the fix is made: the manifest line that names the file.
    manifest_lines = package_manifest_lines(package)
    line = next(n for n, text in enumerate(manifest_lines, start=1) if "lessons/a.md" in text)
    problem = the_problem(problems, "course.yaml", line, "lessons/a.md", "not in the package")
    assert str(problem).startswith(f"course.yaml:{line}: ")


def package_manifest_lines(package) -> list[str]:
    return (package({}) / "course.yaml").read_text(encoding="utf-8").split("\n")


def test_missing_manifest(package):
    problems = refused(package({"course.yaml": None}))
    the_problem(problems, "course.yaml", 0, "no course.yaml manifest at its top level")


def test_duplicate_item_ids_point_at_the_second_and_mention_the_first(package):
    manifest = MANIFEST.replace("id: quiz-q", "id: lesson-a")
    problems = refused(package({"course.yaml": manifest}))
    assert len(problems) == 1
    first, second = line_of(manifest, "id: lesson-a"), line_of(manifest, "id: lesson-a", 2)
    the_problem(problems, "course.yaml", second, "'lesson-a' is already used", f"line {first}", "unique")


def test_module_and_item_ids_share_one_namespace(package):
    manifest = MANIFEST.replace("id: quiz-q", "id: first-module")
    problems = refused(package({"course.yaml": manifest}))
    the_problem(problems, "course.yaml", line_of(manifest, "id: first-module", 2),
                f"already used on line {line_of(manifest, 'id: first-module')}")


def test_duplicate_question_ids(package):
    quiz = QUIZ + GOOD_QUESTION
    problems = refused(package({"quizzes/q.quiz.yaml": quiz}))
    assert len(problems) == 1
    first, second = line_of(quiz, "id: good"), line_of(quiz, "id: good", 2)
    the_problem(problems, "quizzes/q.quiz.yaml", second, "'good' is already used", f"line {first}")


def test_manifest_path_escaping_the_package(package, tmp_path):
    (tmp_path / "x.md").write_text("# Outside\n", encoding="utf-8")  # exists, so only the rule can refuse it
    manifest = MANIFEST.replace("lesson: lessons/a.md", "lesson: lessons/../../x.md")
    problems = refused(package({"course.yaml": manifest}))
    assert len(problems) == 1
    the_problem(problems, "course.yaml", line_of(manifest, "lessons/../../x.md"), "leads outside the package",
                "use a path inside it")


@pytest.mark.parametrize("path", ["/etc/passwd", "C:/course/a.md", "lessons\\a.md", ".."])
def test_manifest_absolute_or_windows_paths_are_refused(package, path):
    manifest = MANIFEST.replace("lesson: lessons/a.md", f"lesson: '{path}'")
    problems = refused(package({"course.yaml": manifest}))
    the_problem(problems, "course.yaml", line_of(manifest, "lesson: '"), "leads outside the package")


def test_unknown_manifest_field(package):
    manifest = MANIFEST.replace("licence:", "colour: blue\nlicence:")
    problems = refused(package({"course.yaml": manifest}))
    assert len(problems) == 1
    the_problem(problems, "course.yaml", line_of(manifest, "colour: blue"), "Unknown field 'colour'",
                "Allowed here:", "licence")


def test_unknown_item_field(package):
    manifest = MANIFEST.replace("        title: Lesson A", "        title: Lesson A\n        pass_percent: 50")
    problems = refused(package({"course.yaml": manifest}))
    the_problem(problems, "course.yaml", line_of(manifest, "pass_percent: 50"), "Unknown field 'pass_percent'")


def test_wrong_type_estimated_minutes(package):
    manifest = MANIFEST.replace("estimated_minutes: 10", "estimated_minutes: many")
    problems = refused(package({"course.yaml": manifest}))
    assert len(problems) == 1
    the_problem(problems, "course.yaml", line_of(manifest, "estimated_minutes: many"),
                "'estimated_minutes' should be a whole number", "'many'")


def test_out_of_range_pass_percent(package):
    manifest = MANIFEST.replace("modules:", "quiz_rules:\n  pass_percent: 150\nmodules:")
    problems = refused(package({"course.yaml": manifest}))
    the_problem(problems, "course.yaml", line_of(manifest, "pass_percent: 150"), "between 0 and 100", "150")


def test_missing_required_field(package):
    manifest = MANIFEST.replace("title: Mini course\n", "")
    problems = refused(package({"course.yaml": manifest}))
    assert len(problems) == 1
    the_problem(problems, "course.yaml", 1, "needs a 'title' field")


def test_missing_item_title_points_at_the_item(package):
    manifest = MANIFEST.replace("        title: Quiz Q\n", "")
    problems = refused(package({"course.yaml": manifest}))
    the_problem(problems, "course.yaml", line_of(manifest, "- quiz: quizzes/q.quiz.yaml"), "needs a 'title' field")


def test_newer_format_is_refused_with_advice(package):
    manifest = MANIFEST.replace("format: 1", "format: 2")
    problems = refused(package({"course.yaml": manifest}))
    the_problem(problems, "course.yaml", 1, "course format 2", "Update the app")


# ---------------------------------------------------------------------------------- broken: lessons

@pytest.mark.parametrize("encoding, text, bad_line", [
    ("cp949", "# Heading\n\nline two\n\n한국어 문단\n", 5),
    ("latin-1", "# Heading\n\ncafé au lait\n", 3),
])
def test_non_utf8_lesson_names_the_line_of_the_bad_byte(package, encoding, text, bad_line):
    problems = refused(package({"lessons/a.md": text.encode(encoding)}))
    assert len(problems) == 1
    the_problem(problems, "lessons/a.md", bad_line, "not UTF-8", "Save it as UTF-8")


def test_nul_byte_lesson_is_not_text(package):
    problems = refused(package({"lessons/a.md": b"# Heading\n\nfine\nbad \x00 byte\n"}))
    the_problem(problems, "lessons/a.md", 4, "NUL character")


@pytest.mark.parametrize("image, fragment", [
    ("![A chart](../images/none.png)", "is missing (looked for images/none.png)"),
    ("![](../images/p.svg)", "has no alt text; write what it shows"),
    ("![A chart](http://example.com/chart.png)", "copy the image into images/"),
    ("![A chart](../../outside.png)", "leads outside the package"),
])
def test_lesson_image_problems(package, image, fragment):
    lesson = f"# Heading\n\nSome text.\n\n{image}\n"
    problems = refused(package({"lessons/a.md": lesson}))
    assert len(problems) == 1
    the_problem(problems, "lessons/a.md", line_of(lesson, image), fragment)


def test_lesson_image_problem_line_inside_a_long_paragraph(package):
    lesson = "# Heading\n\nSome text here\nand more text\n![](../images/p.svg)\n"
    problems = refused(package({"lessons/a.md": lesson}))
    the_problem(problems, "lessons/a.md", 5, "no alt text")


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="needs symlinks")
def test_symlink_leaving_the_package_is_not_followed(package, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n", encoding="utf-8")
    root = package({"lessons/a.md": None})
    (root / "lessons").mkdir(exist_ok=True)
    os.symlink(secret, root / "lessons" / "a.md")
    problems = refused(root)
    the_problem(problems, "course.yaml", next(n for n, t in enumerate(package_manifest_lines(package), 1) if "lessons/a.md" in t), "not in the package")


# ------------------------------------------------------------------------------------ broken: quizzes

def _broken_quiz(package, question: str) -> tuple[str, list[Problem]]:
    quiz = QUIZ + textwrap.indent(textwrap.dedent(question).strip("\n"), "  ") + "\n"
    problems = refused(package({"quizzes/q.quiz.yaml": quiz}))
    assert len(problems) == 1, "\n".join(map(str, problems))
    return quiz, problems


@pytest.mark.parametrize("choices, found", [
    ("- text: a\n- text: b", 0),
    ("- {text: a, correct: true}\n- {text: b, correct: true}", 2),
])
def test_single_choice_needs_exactly_one_correct(package, choices, found):
    question = "- id: pick\n  type: single\n  prompt: Pick one.\n  choices:\n" + textwrap.indent(choices, "    ")
    quiz, problems = _broken_quiz(package, question)
    the_problem(problems, "quizzes/q.quiz.yaml", line_of(quiz, "choices:"), "exactly one choice with 'correct: true'",
                f"(found {found})")


def test_multiple_choice_weights_must_add_up_to_100(package):
    quiz, problems = _broken_quiz(package, """
    - id: many
      type: multiple
      prompt: Choose.
      choices:
        - {text: a, weight: 50}
        - {text: b, weight: 40}
        - {text: c, weight: -100}
    """)
    the_problem(problems, "quizzes/q.quiz.yaml", line_of(quiz, "choices:"), "add up to 90 %",
                "should add up to 100 %")


def test_matching_needs_two_pairs(package):
    quiz, problems = _broken_quiz(package, """
    - id: match
      type: matching
      prompt: Match.
      pairs:
        - {left: a, right: b}
    """)
    the_problem(problems, "quizzes/q.quiz.yaml", line_of(quiz, "pairs:"), "at least two pairs")


def test_matching_right_texts_must_differ(package):
    quiz, problems = _broken_quiz(package, """
    - id: match
      type: matching
      prompt: Match.
      pairs:
        - {left: a, right: same}
        - {left: b, right: same}
    """)
    the_problem(problems, "quizzes/q.quiz.yaml", line_of(quiz, "pairs:"), "same right-hand text")


def test_unknown_question_type(package):
    quiz, problems = _broken_quiz(package, """
    - id: essay
      type: essay
      prompt: Write.
    """)
    the_problem(problems, "quizzes/q.quiz.yaml", line_of(quiz, "type: essay"), "Unknown question type 'essay'",
                "single, multiple, true_false, short, numerical, matching")


def test_numerical_min_above_max(package):
    quiz, problems = _broken_quiz(package, """
    - id: num
      type: numerical
      prompt: How many?
      answers:
        - {value: 2}
        - {min: 5, max: 3, weight: 50}
    """)
    the_problem(problems, "quizzes/q.quiz.yaml", line_of(quiz, "min: 5"), "'min' (5", "greater than 'max'")


def test_short_answer_needs_a_full_marks_answer(package):
    quiz, problems = _broken_quiz(package, """
    - id: word
      type: short
      prompt: Say it.
      answers:
        - {text: almost, weight: 50}
    """)
    the_problem(problems, "quizzes/q.quiz.yaml", line_of(quiz, "answers:"), "No answer is worth 100 %")


def test_quiz_whose_only_question_is_broken_reports_only_that(package):
    quiz = "questions:\n  - id: s\n    type: single\n    prompt: P\n    choices:\n      - text: a\n      - text: b\n"
    problems = refused(package({"quizzes/q.quiz.yaml": quiz}))
    assert [p.message for p in problems if "no questions" in p.message] == []


# ---------------------------------------------------------------------------------------- broken: zip

def test_zip_entry_escaping_the_package(tmp_path):
    archive = make_zip(tmp_path / "evil.zip", {**MINIMAL, "../evil.txt": "x"})
    problems = refused(archive)
    assert len(problems) == 1
    the_problem(problems, "evil.zip", 0, "'../evil.txt' points outside the package")
    assert not (tmp_path.parent / "evil.txt").exists()


@pytest.mark.parametrize("name", ["/etc/evil.txt", "lessons/../../evil.txt"])
def test_zip_absolute_and_dotdot_entries(tmp_path, name):
    archive = make_zip(tmp_path / "evil.zip", {**MINIMAL, name: "x"})
    the_problem(refused(archive), "evil.zip", 0, f"'{name}' points outside the package")


def test_zip_bomb_entry_ratio(tmp_path):
    archive = make_zip(tmp_path / "bomb.zip", {**MINIMAL, "images/big.bin": b"\0" * (20 << 20)})
    assert archive.stat().st_size < 200_000  # 20 MB of zeros compresses about 1000x
    problems = refused(archive)
    assert len(problems) == 1
    the_problem(problems, "bomb.zip", 0, "'images/big.bin' inflates", "zip bomb")


def test_zip_total_inflated_size(tmp_path):
    archive = tmp_path / "huge.zip"
    megabyte = b"\0" * (1 << 20)  # entries of exactly 1 MiB escape the ratio rule, not the total
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in MINIMAL.items():
            zf.writestr(name, content)
        for n in range(201):
            zf.writestr(f"images/pad{n}.bin", megabyte)
    problems = refused(archive)
    assert len(problems) == 1
    the_problem(problems, "huge.zip", 0, "inflates to 201 MB", "at most 200 MB")


def test_zip_with_too_many_entries(tmp_path):
    entries = {**MINIMAL, **{f"images/{n}.txt": "" for n in range(2001)}}
    problems = refused(make_zip(tmp_path / "many.zip", entries, zipfile.ZIP_STORED))
    assert len(problems) == 1
    the_problem(problems, "many.zip", 0, f"holds {len(entries)} entries", "at most 2000")


def test_zip_at_the_entry_limit_loads(tmp_path):
    entries = {**MINIMAL, **{f"images/{n}.txt": "" for n in range(2000 - len(MINIMAL))}}
    assert len(entries) == 2000
    assert load_course(make_zip(tmp_path / "full.zip", entries, zipfile.ZIP_STORED)).id == "mini"


def test_a_file_that_is_neither_folder_nor_zip(tmp_path):
    notes = tmp_path / "notes.zip"
    notes.write_text("I am not a zip.\n", encoding="utf-8")
    problems = refused(notes)
    assert problems == [Problem("notes.zip", 0, "This is neither a course folder nor a .zip file.")]


def test_a_path_that_does_not_exist(tmp_path):
    problems = refused(tmp_path / "nothing")
    the_problem(problems, str(tmp_path / "nothing"), 0, "no file or folder here")


def _damaged_deflate(path: Path) -> Path:
    make_zip(path, {**MINIMAL, "lessons/a.md": LESSON * 40})
    data = bytearray(path.read_bytes())
    start = data.find(b"lessons/a.md") + len(b"lessons/a.md") + 20  # inside the deflated data
    for i in range(start, start + 30):
        data[i] ^= 0x55
    path.write_bytes(bytes(data))
    return path


def _damaged_crc(path: Path) -> Path:
    make_zip(path, MINIMAL, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    data[data.find(b"First paragraph.")] = ord("X")
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("damage", [_damaged_deflate, _damaged_crc], ids=["deflate", "crc"])
def test_damaged_zip_entry_is_refused_as_a_problem(tmp_path, damage):
    archive = damage(tmp_path / "damaged.zip")
    problems = refused(archive)
    assert any(p.file in ("damaged.zip", "lessons/a.md") for p in problems)


def test_zip_of_a_folder_made_on_macos_loads(tmp_path):
    entries = {f"mini/{k}": v for k, v in MINIMAL.items()}
    entries.update({f"__MACOSX/mini/._{k.rsplit('/', 1)[-1]}": b"\0\5\26\7" for k in MINIMAL})
    assert load_course(make_zip(tmp_path / "mini.zip", entries)).id == "mini"


# ------------------------------------------------------------------------------------ refused whole

def test_every_problem_in_every_file_is_reported_at_once(package):
    manifest = MANIFEST.replace("estimated_minutes: 10", "estimated_minutes: many")
    lesson = LESSON.replace("![A picture](../images/p.svg)", "![](../images/gone.png)")
    quiz = QUIZ + "  - id: pick\n    type: single\n    prompt: P\n    choices:\n      - text: a\n      - text: b\n"
    problems = refused(package({"course.yaml": manifest, "lessons/a.md": lesson, "quizzes/q.quiz.yaml": quiz}))
    assert len(problems) >= 3
    assert len({p.file for p in problems}) >= 3
    the_problem(problems, "course.yaml", line_of(manifest, "estimated_minutes"), "whole number")
    image_line = line_of(lesson, "gone.png")
    the_problem(problems, "lessons/a.md", image_line, "missing")
    the_problem(problems, "lessons/a.md", image_line, "no alt text")
    the_problem(problems, "quizzes/q.quiz.yaml", line_of(quiz, "choices:"), "correct: true")
    assert problems == sorted(problems)  # stable order: by file, then line


# ----------------------------------------------------------------------------------------------- CLI

def test_cli_check_valid_course():
    result = run_cli("course", "check", str(COURSE))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout and "ai-foundations 1.0.0" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_check_broken_package_lists_file_line_message(package):
    manifest = MANIFEST.replace("estimated_minutes: 10", "estimated_minutes: many")
    lesson = LESSON.replace("![A picture]", "![]")
    root = package({"course.yaml": manifest, "lessons/a.md": lesson})
    result = run_cli("course", "check", str(root))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert all(re.match(r"^[\w./-]+:\d+: \S", line) for line in lines), lines
    assert f"course.yaml:{line_of(manifest, 'estimated_minutes')}: 'estimated_minutes' should be a whole number" \
        in result.stdout
    assert f"lessons/a.md:{line_of(lesson, '![]')}: The image '../images/p.svg' has no alt text" in result.stdout
    assert "refused, 2 problem(s)" in result.stderr


def test_cli_check_missing_path_is_usage_error(tmp_path):
    result = run_cli("course", "check", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "no file or folder" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("args", [("course", "check"), ("course", "frobnicate", "x"), ("course",)])
def test_cli_bad_usage(args):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_check_json_valid_and_invalid(package):
    ok = run_cli("course", "check", "--json", str(COURSE))
    assert ok.returncode == 0
    data = json.loads(ok.stdout)
    assert data["valid"] is True and data["id"] == "ai-foundations"
    assert data["lessons"] >= 6 and data["questions"] >= 15
    broken = run_cli("course", "check", "--json", str(package({"lessons/a.md": None})))
    assert broken.returncode == 1
    data = json.loads(broken.stdout)
    assert data["valid"] is False
    assert len(data["problems"]) == 1
    problem = data["problems"][0]
    assert problem["file"] == "course.yaml" and problem["line"] > 0
    assert "lessons/a.md" in problem["message"] and "not in the package" in problem["message"]


def test_cli_check_damaged_zip_has_no_traceback(tmp_path):
    result = run_cli("course", "check", str(_damaged_crc(tmp_path / "damaged.zip")))
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1


def test_cli_pot_writes_a_readable_template(tmp_path):
    from babel.messages.pofile import read_po

    out = tmp_path / "course.pot"
    result = run_cli("course", "pot", str(COURSE), "--out", str(out))
    assert result.returncode == 0, result.stderr
    catalog = read_po(io.StringIO(out.read_text(encoding="utf-8")))
    contexts = {m.context for m in catalog if m.id}
    assert "course.yaml" in contexts
    assert {f"lessons/{p.name}" for p in (COURSE / "lessons").glob("*.md")} <= contexts


# ------------------------------------------------------------------------------------- translations

KO_MANIFEST = MANIFEST.replace("translations: []", "translations: [ko]")

KO_PO = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

msgctxt "course.yaml"
msgid "Mini course"
msgstr "미니 과정"

msgctxt "course.yaml"
msgid "Lesson A"
msgstr ""

msgctxt "lessons/a.md"
msgid "# Heading"
msgstr "# 제목"

msgctxt "lessons/a.md"
msgid "First paragraph."
msgstr "첫 문단."

#. needs-review
msgctxt "quizzes/q.quiz.yaml"
msgid "Is this true?"
msgstr "이것이 참입니까?"
'''


@pytest.fixture
def korean(package):
    """translated(po_text=KO_PO) -> a package with translations: [ko] and that catalog."""
    def build(po: str | None = KO_PO) -> Path:
        return package({"course.yaml": KO_MANIFEST, "translations/ko.po": po})
    return build


def test_translation_is_shown_where_present(korean):
    course = load_course(korean(), locale="ko")
    assert course.locale == "ko"
    assert course.title == "미니 과정" and course.title.untranslated is False
    lesson = course.lessons["lesson-a"].markdown
    assert lesson.startswith("# 제목\n\n첫 문단.\n")
    assert course.quizzes["quiz-q"].questions[0].prompt == "이것이 참입니까?"


def test_empty_translation_falls_back_to_source_and_is_marked(korean):
    course = load_course(korean(), locale="ko")
    item = course.item("lesson-a")
    assert item.title == "Lesson A" and item.title.untranslated is True  # msgstr ""
    assert course.modules[0].title == "Module one" and course.modules[0].title.untranslated is True  # no entry
    lesson = course.lessons["lesson-a"]
    lines = lesson.markdown.split("\n")
    assert lesson.untranslated_starts  # non-empty
    assert [lines[n] for n in lesson.untranslated_starts] == ["Second paragraph.", "![A picture](../images/p.svg)"]


def test_source_language_is_shown_without_untranslated_marks(korean):
    for locale in (None, "en", "uz"):
        course = load_course(korean(), locale=locale)
        assert course.locale == "en"
        assert course.title == "Mini course" and course.title.untranslated is False
        assert all(not i.title.untranslated for i in course.items)
        assert course.lessons["lesson-a"].markdown == LESSON
        assert course.lessons["lesson-a"].untranslated_starts == ()


def test_fuzzy_entry_is_reported(korean):
    po = KO_PO.replace('msgctxt "lessons/a.md"\nmsgid "First', '#, fuzzy\nmsgctxt "lessons/a.md"\nmsgid "First')
    problems = refused(korean(po), locale="ko")
    assert len(problems) == 1
    the_problem(problems, "translations/ko.po", line_of(po, 'msgid "First paragraph."'), "fuzzy",
                "#. needs-review")


@pytest.mark.parametrize("translated", ["제목", "## 제목", "- 제목"])
def test_translation_changing_markdown_structure_is_reported(korean, translated):
    assert not markdown.same_structure("# Heading", translated)
    po = KO_PO.replace('msgstr "# 제목"', f'msgstr "{translated}"')
    problems = refused(korean(po))  # checked whatever the display language
    assert len(problems) == 1
    the_problem(problems, "translations/ko.po", line_of(po, 'msgid "# Heading"'), "changes the Markdown structure")


def test_same_structure_accepts_faithful_translations():
    assert markdown.same_structure("# Heading", "# 제목")
    assert markdown.same_structure("- a\n- b", "- 가\n- 나\n- 다")
    assert markdown.same_structure("| a | b |\n|---|---|\n| 1 | 2 |", "| 가 | 나 |\n|---|---|\n| 1 | 2 |")
    assert not markdown.same_structure("| a | b |\n|---|---|\n| 1 | 2 |", "| 가 |\n|---|\n| 1 |")


BROKEN_PO = KO_PO + '\nmsgid "x"\nthis is not a keyword\n'


def test_catalog_that_does_not_parse_is_reported_with_its_file(korean):
    problems = refused(korean(BROKEN_PO), locale="ko")
    assert len(problems) == 1
    assert problems[0].file == "translations/ko.po"
    assert "cannot be read" in problems[0].message and "Poedit" in problems[0].message


def test_catalog_that_does_not_parse_names_the_bad_line(korean):
    problems = refused(korean(BROKEN_PO), locale="ko")
    the_problem(problems, "translations/ko.po", line_of(BROKEN_PO, "this is not a keyword"), "cannot be read")


def test_missing_catalog_is_reported(korean):
    problems = refused(korean(None))
    the_problem(problems, "translations/ko.po", 0, "missing from the package")


def test_catalog_with_an_unterminated_string_is_reported(korean):
    po = KO_PO.replace('msgstr "첫 문단."', 'msgstr "첫 문단.')
    problems = refused(korean(po), locale="ko")
    the_problem(problems, "translations/ko.po", line_of(po, 'msgstr "첫 문단.'), "cannot be read")


def test_translation_coverage_counts(korean):
    root = korean()
    _manifest, units = translation_units(root)
    total = len({(ctx, text) for ctx, text, _line in units})
    assert total == 10  # 5 manifest texts, 4 lesson blocks, 1 quiz prompt
    assert translation_coverage(root) == {"ko": (4, total, 1)}


def test_translation_coverage_of_the_bundled_course_is_consistent():
    course = load_course(COURSE)
    _manifest, units = translation_units(COURSE)
    total = len({(ctx, text) for ctx, text, _line in units})
    coverage = translation_coverage(COURSE)
    assert set(coverage) == set(course.translations)
    for done, all_units, review in coverage.values():
        assert all_units == total
        assert 0 <= done <= total and 0 <= review <= total


def test_bundled_course_loads_in_each_of_its_translations():
    course = load_course(COURSE)
    for code in course.translations:
        shown = load_course(COURSE, locale=code)
        assert shown.locale == code
        assert [i.id for i in shown.items] == [i.id for i in course.items]
        assert set(shown.lessons) == set(course.lessons)


def _pot_of(location: Path):
    from babel.messages.pofile import read_po

    manifest, units = translation_units(location)
    pot = translation.write_template(units, manifest.id, manifest.version, manifest.source_language)
    return read_po(io.StringIO(pot)), units


@pytest.mark.parametrize("which", ["mini", "bundled"])
def test_pot_has_one_entry_per_lesson_block_with_the_file_as_context(package, which):
    location = package() if which == "mini" else COURSE
    catalog, _units = _pot_of(location)
    messages = [m for m in catalog if m.id]
    for message in messages:
        assert message.string == ""
        assert {path for path, _line in message.locations} == {message.context}
    course = load_course(location)
    for item in (i for i in course.items if i.kind == "lesson"):
        text = (location / item.target).read_text(encoding="utf-8")
        blocks = [b.text for b in markdown.split_blocks(text) if b.translatable]
        in_pot = [m.id for m in messages if m.context == item.target]
        assert sorted(in_pot) == sorted(set(blocks)), item.target
        lines = {m.id: m.locations[0][1] for m in messages if m.context == item.target}
        for block in markdown.split_blocks(text):
            if block.translatable and block.text in lines:
                assert lines[block.text] <= block.start + 1
    assert any(m.context.endswith(".quiz.yaml") for m in messages)
    assert any(m.context == "course.yaml" and m.id == course.title for m in messages)


def test_pot_of_the_mini_package_exactly(package):
    catalog, _units = _pot_of(package())
    lesson = [(m.id, m.locations[0][1]) for m in catalog if m.context == "lessons/a.md"]
    assert lesson == [("# Heading", 1), ("First paragraph.", 3), ("Second paragraph.", 5),
                      ("![A picture](../images/p.svg)", 7)]
    assert [m.id for m in catalog if m.context == "quizzes/q.quiz.yaml"] == ["Is this true?"]


def test_pot_refuses_a_broken_package(package):
    with pytest.raises(InvalidInput):
        translation_units(package({"lessons/a.md": None}))


# -------------------------------------------------------------------------------- apply_translation

MIXED = """\
# Title

- one
- two

  continued

| x | y |
|---|---|
| 1 | 2 |

::: tip
Inside the tip.

Second paragraph in the tip.
:::

```python
print("code is not translated")
```

> a quote
> on two lines

1. first
2. second

Setext title
============

Last paragraph without a final newline"""


def test_apply_translation_identity_round_trip():
    samples = {"mixed": MIXED, "minimal": LESSON}
    samples.update({p.name: p.read_text(encoding="utf-8") for p in sorted((COURSE / "lessons").glob("*.md"))})
    for name, text in samples.items():
        out, untranslated, count = markdown.apply_translation(text, lambda block: block)
        assert out == text, name
        assert untranslated == []
        assert count == sum(1 for b in markdown.split_blocks(text) if b.translatable) > 0


def test_apply_translation_without_translations_marks_every_block():
    out, untranslated, count = markdown.apply_translation(MIXED, lambda block: None)
    assert out == MIXED
    lines = MIXED.split("\n")
    assert len(untranslated) == count
    assert [lines[n] for n in untranslated] == [
        "# Title", "- one", "| x | y |", "Inside the tip.", "Second paragraph in the tip.", "> a quote",
        "1. first", "Setext title", "Last paragraph without a final newline"]


def test_apply_translation_keeps_untranslated_starts_right_when_lines_change():
    def translate(block: str) -> str | None:
        if block == "# Title":
            return "# 제목\n\n추가된 문단."  # one block becomes three lines
        return None

    out, untranslated, _count = markdown.apply_translation(MIXED, translate)
    lines = out.split("\n")
    assert lines[:3] == ["# 제목", "", "추가된 문단."]
    assert [lines[n] for n in untranslated][:2] == ["- one", "| x | y |"]
    assert "```python" in out and 'print("code is not translated")' in out
