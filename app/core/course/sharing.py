"""Share a course between offline PCs as a .zip package: export one, and import one in two steps.

    export_course(Path("my-course"), Path("my-course.zip"))
    plan = plan_import(Path("my-course.zip"), user_courses_dir(data))  # reads only; raises InvalidInput
    show(plan)                                                           # what it holds, what it replaces
    apply_import(plan)                                                   # installs it, or leaves all as it was

Every imported package is treated as coming from an unknown source: the zip limits of source.py,
everything `course check` finds, and the path and size rules of package_files.py. Installing never
half-writes: the course is extracted into a staging folder beside the installed courses, checked
there, then swapped in with two renames; a failure puts the old course back.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.core.atomic import replacing
from app.core.course.catalogue import find_packages
from app.core.course.loader import load_course, read_manifest
from app.core.course.model import Course
from app.core.course.package_files import (
    PackageFile, folder_files, is_course_file, outside_content_problems, path_problems, read_file, size_problems)
from app.core.course.source import MAX_FILE_BYTES, MAX_TOTAL_BYTES, PackageSource, ZipSource
from app.core.i18n import _, ngettext
from app.core.problems import InvalidInput, Problem
from app.core.resources import bundled_courses_dir
from app.core.tasks import TaskState

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # every entry gets the same date, so the same course gives the same bytes
STAGING = ".staging"  # beside the installed courses: same disk, so the swap is a rename; the catalogue skips it
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
# What reading a damaged or exotic zip entry may raise (NotImplementedError is a RuntimeError).
_READ_ERRORS = (OSError, zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, ValueError)


# ------------------------------------------------------------------------------------------ export

@dataclass(frozen=True)
class Exported:
    path: Path
    course_id: str
    version: str
    files: int
    total_bytes: int


def export_course(folder: Path, out: Path, known_labs=None, state: TaskState | None = None) -> Exported:
    """Write the course in `folder` to `out` as a .zip, atomically; refuse a course `course check` refuses.

    The zip holds one folder named after the course id, its files in sorted order with a fixed date.
    The written zip is loaded back before it replaces `out`, so an export always imports.
    """
    state = state or TaskState()
    folder, out = Path(folder), Path(out)
    if not folder.is_dir():
        raise InvalidInput([Problem(str(folder), 0, _("Export takes a course folder (the one holding course.yaml)."))])
    if not out.parent.is_dir():
        raise InvalidInput([Problem(str(out), 0, _("The folder {folder} does not exist.").format(folder=out.parent))])
    if out.resolve().is_relative_to(folder.resolve()):
        raise InvalidInput([Problem(str(out), 0, _("Write the package outside the course folder."))])
    course = load_course(folder, known_labs=known_labs)
    source = PackageSource.open(folder)
    names = folder_files(folder)
    problems = outside_content_problems(course, source) + path_problems(names)
    files = []
    for index, name in enumerate(names):
        state.raise_if_cancelled()
        state.set_progress(index, 2 * len(names))
        try:
            files.append((name, *read_file(source, name)))
        except OSError as err:
            problems.append(Problem(name, 0, _("The file cannot be read ({err}).").format(err=err.strerror or err)))
    problems += size_problems([f for _name, _data, f in files], str(folder))
    if problems:
        raise InvalidInput(problems)
    try:
        with replacing(out, suffix=".zip.part") as temporary:
            with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
                for index, (name, data, _file) in enumerate(files):
                    state.raise_if_cancelled()
                    state.set_progress(len(names) + index, 2 * len(names))
                    entry = zipfile.ZipInfo(f"{course.id}/{name}", ZIP_DATE)
                    entry.external_attr = 0o644 << 16
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(entry, data)
            load_course(temporary, known_labs=known_labs)  # what we ship must load, or `out` stays as it was
    except OSError as err:
        raise InvalidInput([Problem(str(out), 0, _("The package could not be written ({err}); nothing was "
                                                   "changed.").format(err=err.strerror or err))]) from err
    state.set_progress(1, 1)
    return Exported(out, course.id, course.version, len(files), sum(f.size for _n, _d, f in files))


# ------------------------------------------------------------------------------------------ the plan

@dataclass(frozen=True)
class Installed:
    """A course with the package's id already on this machine."""

    location: Path
    version: str
    title: str  # in its source language
    package_is: str  # the package's version relative to this one: "newer", "older", "same" or "unknown"


@dataclass(frozen=True)
class ImportPlan:
    """What a package holds and what installing it would change; nothing has been written yet."""

    package: Path
    course_id: str
    title: str  # in the source language
    version: str
    source_language: str
    languages: tuple[str, ...]  # the source language, then the translations
    lessons: int
    quizzes: int
    questions: int
    images: int  # image files, language versions included
    labs: int
    files: tuple[PackageFile, ...]  # what will be installed
    skipped: tuple[str, ...]  # files in the zip that are not course content; not installed
    courses_dir: Path
    target: Path  # the folder the course will be installed as
    installed: Installed | None  # the course with this id the app shows from the user's folder now
    bundled: Installed | None  # the app's own course with this id: not replaced, but shown no more
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    also_removed: tuple[Path, ...] = ()  # further copies with this id in the user's folder
    bundled_dir: Path | None = field(default=None, repr=False)

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def unchanged(self) -> bool:
        return self.installed is not None and self.installed.package_is == "same" and not (
            self.added or self.changed or self.removed)

    @property
    def warnings(self) -> list[str]:
        """What a trainer should read before saying yes, in the current UI language."""
        said = []
        installed = self.installed
        if installed and installed.package_is == "older":
            said.append(_("This package holds version {new}, older than the installed version {old}; importing it "
                          "goes back to the older version.").format(new=self.version, old=installed.version))
        if installed and installed.package_is == "same":
            said.append(_("Version {version} is already installed, with the same files; importing changes nothing.")
                        .format(version=self.version) if self.unchanged else
                        _("Version {version} is already installed, with different files. Learners' results are "
                          "kept per version, so the author should raise the version number.")
                        .format(version=self.version))
        if installed and installed.title != self.title:
            said.append(_("The installed course with the id '{id}' is called '{old}', this package '{new}': they may "
                          "be different courses. Importing replaces the installed one.")
                        .format(id=self.course_id, old=installed.title, new=self.title))
        if self.bundled and self.bundled.package_is == "older":
            said.append(_("The app comes with version {bundled} of this course; this older version will be shown "
                          "instead of it.").format(bundled=self.bundled.version))
        if self.skipped:
            said.append(ngettext("{n} file in the package is not course content and will not be installed: {files}",
                                 "{n} files in the package are not course content and will not be installed: {files}",
                                 len(self.skipped)).format(n=len(self.skipped), files=", ".join(self.skipped[:5])
                                                                                     + (", …" if len(self.skipped) > 5
                                                                                        else "")))
        return said

    def as_dict(self) -> dict:
        def about(course: Installed | None) -> dict | None:
            return None if course is None else {"location": str(course.location), "version": course.version,
                                                "title": course.title, "package_is": course.package_is}

        return {"package": str(self.package), "id": self.course_id, "title": self.title, "version": self.version,
                "source_language": self.source_language, "languages": list(self.languages),
                "lessons": self.lessons, "quizzes": self.quizzes, "questions": self.questions,
                "images": self.images, "labs": self.labs, "files": len(self.files), "total_bytes": self.total_bytes,
                "skipped": list(self.skipped), "target": str(self.target), "installed": about(self.installed),
                "bundled": about(self.bundled), "added": list(self.added), "changed": list(self.changed),
                "removed": list(self.removed), "also_removed": [str(p) for p in self.also_removed],
                "unchanged": self.unchanged, "warnings": self.warnings}


def plan_import(package: Path, courses_dir: Path, bundled_dir: Path | None = None, known_labs=None,
                state: TaskState | None = None) -> ImportPlan:
    """Check `package` as `course check` does, plus the sharing limits, and say what installing it would do.

    Reads only. Raises InvalidInput listing every problem when the package is refused.
    """
    state = state or TaskState()
    package, courses_dir = Path(package), Path(courses_dir)
    bundled_dir = Path(bundled_dir) if bundled_dir is not None else bundled_courses_dir()
    _refuse_bundled_folder(courses_dir, bundled_dir)
    if not (package.is_file() and zipfile.is_zipfile(package)):
        PackageSource.open(package)  # its message for a missing file or a folder
        raise InvalidInput([Problem(package.name, 0, _("Import takes a .zip course package; export a course folder "
                                                       "first with 'course export'."))])
    source = ZipSource(package)  # refuses escaping paths, too many entries, too much data, zip bombs
    try:
        problems: list[Problem] = []
        course: Course | None = None
        try:
            course = load_course(package, known_labs=known_labs)
        except InvalidInput as err:
            problems += err.problems
        names = source.names()
        wanted = [n for n in names if is_course_file(n)]
        problems += path_problems(wanted)
        if course is not None:
            problems += outside_content_problems(course, source)
        files = _read_all(source, wanted, problems, state)
        problems += size_problems(files, package.name)
        if problems or course is None:
            raise InvalidInput(problems)
    finally:
        source.close()
    installed, also = _installed_copies(course.id, courses_dir)
    bundled = _installed_copies(course.id, bundled_dir)[0] if bundled_dir.is_dir() else None
    plan = ImportPlan(
        package=package, course_id=course.id, title=str(course.title), version=course.version,
        source_language=course.source_language, languages=(course.source_language, *course.translations),
        lessons=len(course.lessons), quizzes=len(course.quizzes),
        questions=sum(len(q.questions) for q in course.quizzes.values()),
        images=sum(1 for f in files if f.path.startswith("images/")),
        labs=sum(1 for i in course.items if i.kind == "lab"), files=tuple(files),
        skipped=tuple(n for n in names if not is_course_file(n)), courses_dir=courses_dir,
        target=_target_folder(course.id, courses_dir, installed), installed=_compare(installed, course.version),
        bundled=_compare(bundled, course.version), also_removed=tuple(also), bundled_dir=bundled_dir)
    if installed is not None:
        plan = replace(plan, **_differences(files, installed))
    return plan


def _read_all(source: ZipSource, names: list[str], problems: list[Problem], state: TaskState) -> list[PackageFile]:
    files, total = [], 0
    for index, name in enumerate(names):
        state.raise_if_cancelled()
        state.set_progress(index, len(names), _("Checking the package…"))
        try:
            _data, about = read_file(source, name)
        except _READ_ERRORS as err:
            problems.append(Problem(name, 0, _("The file cannot be read; it is damaged in the .zip ({err}). "
                                               "Export the package again.").format(err=err)))
            continue
        files.append(about)
        total += about.size
        if total > MAX_TOTAL_BYTES:  # headers may lie about sizes: stop inflating; size_problems says why
            break
    return files


def _refuse_bundled_folder(courses_dir: Path, bundled_dir: Path) -> None:
    mine, theirs = courses_dir.resolve(), bundled_dir.resolve()
    if mine == theirs or mine.is_relative_to(theirs):
        raise InvalidInput([Problem(str(courses_dir), 0, _("This is the app's own course folder, which is read-only; "
                                                           "courses are imported into the data folder."))])


def _installed_copies(course_id: str, folder: Path) -> tuple[Installed | None, list[Path]]:
    """The package with this id the catalogue would show from `folder` (the last one), and any others."""
    found = []
    for location in find_packages([folder]):
        try:
            source = PackageSource.open(location)
        except InvalidInput:
            continue
        try:
            manifest = read_manifest(source, [])
        finally:
            if isinstance(source, ZipSource):
                source.close()
        if manifest is not None and manifest.id == course_id:
            found.append(Installed(location, manifest.version, manifest.title, "unknown"))
    if not found:
        return None, []
    return found[-1], [c.location for c in found[:-1]]


def _compare(installed: Installed | None, version: str) -> Installed | None:
    if installed is None:
        return None
    if installed.version == version:
        relation = "same"
    else:
        new, old = _VERSION.match(version), _VERSION.match(installed.version)
        if new and old:
            relation = "newer" if tuple(map(int, new.groups())) > tuple(map(int, old.groups())) else "older"
        else:
            relation = "unknown"
    return replace(installed, package_is=relation)


def _target_folder(course_id: str, courses_dir: Path, installed: Installed | None) -> Path:
    """The installed folder when there is one; else a folder named after the id that holds nothing else."""
    if installed is not None and installed.location.is_dir():
        return installed.location
    candidate, n = courses_dir / course_id, 2
    while candidate.exists() or candidate.is_symlink():  # someone else's folder, or a broken course: keep it
        candidate, n = courses_dir / f"{course_id}-{n}", n + 1
    return candidate


def _differences(files: list[PackageFile], installed: Installed) -> dict[str, tuple[str, ...]]:
    try:
        source = PackageSource.open(installed.location)
    except InvalidInput:
        return {}
    try:
        names = [n for n in source.names() if is_course_file(n)] if isinstance(source, ZipSource) else \
            folder_files(installed.location)
        old = {}
        for name in names:
            try:
                old[name] = read_file(source, name)[1].sha256
            except _READ_ERRORS:
                old[name] = ""  # unreadable now: replacing it is a change
    finally:
        if isinstance(source, ZipSource):
            source.close()
    new = {f.path: f.sha256 for f in files}
    return {"added": tuple(sorted(new.keys() - old.keys())), "removed": tuple(sorted(old.keys() - new.keys())),
            "changed": tuple(sorted(p for p in new.keys() & old.keys() if new[p] != old[p]))}


# ------------------------------------------------------------------------------------------ apply

def apply_import(plan: ImportPlan, known_labs=None, state: TaskState | None = None) -> Path:
    """Install the planned package; returns the course folder. On any failure the old course stays as it was.

    Raises InvalidInput (the package changed since the plan, fails its check once extracted, or the
    disk refused a write); Cancelled when cancelled before the swap.
    """
    state = state or TaskState()
    courses_dir = plan.courses_dir
    _refuse_bundled_folder(courses_dir, plan.bundled_dir or bundled_courses_dir())
    staging = courses_dir / STAGING
    try:
        recover_interrupted_imports(courses_dir)
        staging.mkdir(parents=True, exist_ok=True)
        if shutil.disk_usage(staging).free < plan.total_bytes + (10 << 20):
            needed = (plan.total_bytes >> 20) + 1
            raise InvalidInput([Problem(str(courses_dir), 0, _("There is not enough free disk space: the course "
                                                               "needs {mb} MB.").format(mb=needed))])
        work = Path(tempfile.mkdtemp(dir=staging, prefix="import-"))
        try:
            work.chmod(0o755)  # mkdtemp makes it private; an installed course is readable like any other folder
            _extract(plan, work, state)
            course = load_course(work, known_labs=known_labs)  # check what was written, not only what was read
            if course.id != plan.course_id or course.version != plan.version:
                raise _changed(plan)
            state.raise_if_cancelled()
            _swap(work, plan.target, staging)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    except OSError as err:
        raise InvalidInput([Problem(str(plan.target), 0, _("The course could not be installed ({err}); the courses "
                                                           "on this PC are as they were.")
                                    .format(err=err.strerror or err))]) from err
    finally:
        _remove_if_empty(staging)
    # Installed. Older copies with this id go now; one that cannot be moved (a file held open on
    # Windows) is left where it is rather than failing an install that has happened.
    for old in {*plan.also_removed, *([plan.installed.location] if plan.installed else [])} - {plan.target}:
        try:
            _discard(old, staging)
        except OSError:
            pass
    _remove_if_empty(staging)
    state.set_progress(1, 1)
    return plan.target


def _changed(plan: ImportPlan) -> InvalidInput:
    return InvalidInput([Problem(plan.package.name, 0, _("The package changed since it was checked; check it "
                                                         "again before installing."))])


def _extract(plan: ImportPlan, work: Path, state: TaskState) -> None:
    try:
        source = ZipSource(plan.package)
    except InvalidInput:
        raise _changed(plan) from None
    try:
        for index, expected in enumerate(plan.files):
            state.raise_if_cancelled()
            state.set_progress(index, len(plan.files), _("Installing the course…"))
            try:
                data, found = read_file(source, expected.path)
            except _READ_ERRORS:
                raise _changed(plan) from None
            if found != expected or found.size > MAX_FILE_BYTES:
                raise _changed(plan)
            _write_file(work / expected.path, data)
    finally:
        source.close()


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as f:  # x: a path seen twice (it cannot be) would fail, not overwrite
        f.write(data)
        f.flush()
        os.fsync(f.fileno())  # on disk before the rename makes it the course


def _swap(work: Path, target: Path, staging: Path) -> None:
    """Two renames on one disk: the old course aside (named so recovery can put it back), the new one in."""
    parked = staging / f"old-{target.name}"
    if target.exists() or target.is_symlink():
        _remove(parked)
        os.replace(target, parked)
    try:
        os.replace(work, target)
    except BaseException:
        if parked.exists() or parked.is_symlink():
            os.replace(parked, target)
        raise
    _remove(parked)


def _discard(location: Path, staging: Path) -> None:
    """Remove an older copy: renamed into staging first, so the catalogue never sees it half deleted."""
    if not (location.exists() or location.is_symlink()):
        return
    staging.mkdir(exist_ok=True)
    aside = Path(tempfile.mkdtemp(dir=staging, prefix="discard-"))
    os.replace(location, aside / location.name)
    _remove(aside / location.name)
    _remove(aside)


def _remove(path: Path) -> None:
    """Delete a file, a link (never what it points to) or a folder; what cannot be deleted now is left."""
    if path.is_symlink() or path.is_file():
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass  # held open (Windows): recover_interrupted_imports tries again next time
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty (another import is running) or already gone


def recover_interrupted_imports(courses_dir: Path) -> None:
    """After a crash mid-import: put back an old course moved aside but not yet replaced; clear the rest.

    Safe to call at every start-up: with no staging folder it does nothing, and what it cannot move
    or delete now (a file held open) it leaves for the next time, without raising.
    """
    staging = Path(courses_dir) / STAGING
    if not staging.is_dir():
        return
    try:
        entries = sorted(staging.iterdir())
    except OSError:
        return
    for entry in entries:
        original = Path(courses_dir) / entry.name[len("old-"):]
        try:
            if entry.name.startswith("old-") and not (original.exists() or original.is_symlink()):
                os.replace(entry, original)
            else:
                _remove(entry)
        except OSError:
            continue
    _remove_if_empty(staging)
