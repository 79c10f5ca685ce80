"""Saving, creating and duplicating courses, atomically: the whole package is written to a folder
beside the course, fsynced, checked by the loader, and only then swapped in. A crash at any point
leaves the old course or the new one (files.recover tidies up on the next open), never half of one.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Collection
from pathlib import Path

from app.core.accounts.roles import TRAINER, Principal, require
from app.core.authoring import commands
from app.core.authoring.document import CourseDocument, unique_id
from app.core.authoring.files import DRAFT_MARKER, read_folder
from app.core.banks.to_quiz import slug
from app.core.course.loader import FORMAT_VERSION, load_course
from app.core.course.source import MANIFEST, PackageSource, ZipSource
from app.core.i18n import _
from app.core.problems import InvalidInput, Problem

_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def _version_key(version: str) -> tuple[int, ...]:
    match = _VERSION.match(version or "")
    return tuple(int(part) for part in match.groups()) if match else (0, 0, 0)


def version_to_save(document: CourseDocument) -> str:
    """A published course saves as a new minor version (learners' records keep the one they took);
    a draft keeps its version, and so does a version the trainer raised by hand."""
    version = str(document.manifest.get("version", ""))
    if not document.published or _version_key(version) > _version_key(document.loaded_version):
        return version
    return commands.next_minor(document.loaded_version)


def save_course(principal: Principal, document: CourseDocument, known_labs: Collection[str] | None = None) -> str:
    """Write the document over its folder, whole or not at all; returns the version saved.
    Raises InvalidInput (nothing written) when the course has problems."""
    require(principal, TRAINER)
    version = version_to_save(document)
    if version != document.manifest.get("version"):
        document.manifest["version"] = version  # not an undo step: saving made it
    problems = document.problems(known_labs)
    if problems:
        raise InvalidInput(problems)
    write_package(document.folder, document.package_files(), known_labs, draft=not document.published)
    return version


def write_package(folder: Path, files: dict[str, bytes], known_labs: Collection[str] | None = None,
                  draft: bool = False) -> None:
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = folder.parent / f".{folder.name}.saving-{secrets.token_hex(4)}"
    try:
        temporary.mkdir()
        for relative, data in files.items():
            _write_file(temporary / relative, data)
        if draft:
            _write_file(temporary / DRAFT_MARKER, b"")
        load_course(temporary, known_labs=known_labs)  # what is on disk, read back as `course check` would
        _swap(temporary, folder)
    except OSError as err:
        raise InvalidInput([Problem(folder.name, 0, _("The course could not be saved: {error}. Nothing was "
                                                      "changed.").format(error=err.strerror or err))]) from err
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _swap(new: Path, folder: Path) -> None:
    """Two renames: a folder cannot replace a non-empty one in one step on every OS."""
    if not folder.exists():
        os.rename(new, folder)
        return
    previous = folder.parent / f".{folder.name}.old-{secrets.token_hex(4)}"
    os.rename(folder, previous)
    try:
        os.rename(new, folder)
    except OSError:
        os.rename(previous, folder)
        raise
    shutil.rmtree(previous, ignore_errors=True)


def _new_folder(courses_dir: Path, base: str) -> tuple[str, Path]:
    taken = {p.name for p in Path(courses_dir).iterdir()} if Path(courses_dir).is_dir() else set()
    course_id = unique_id(base, taken)
    return course_id, Path(courses_dir) / course_id


def create_course(principal: Principal, courses_dir: Path, title: str, source_language: str = "en",
                  known_labs: Collection[str] | None = None) -> Path:
    """A new draft course with one module and one lesson, in the user's courses folder."""
    require(principal, TRAINER)
    course_id, folder = _new_folder(courses_dir, slug(title) or "course")
    manifest = {"format": FORMAT_VERSION, "id": course_id, "version": "1.0.0", "title": title,
                "summary": title, "source_language": source_language, "translations": [],
                "licence": "CC-BY-4.0", "authors": [{"name": principal.name}], "estimated_minutes": 10,
                "modules": []}
    document = CourseDocument(principal, folder, manifest, {})
    document.published = False
    add_module = commands.AddModule(_("Module 1"))
    document.apply(add_module)
    document.apply(commands.AddItem(add_module.module_id, "lesson", _("Introduction")))
    document.manifest["modules"][0]["items"][0]["minutes"] = 10
    save_course(principal, document, known_labs)
    return folder


def duplicate_course(principal: Principal, source: Path, courses_dir: Path,
                     known_labs: Collection[str] | None = None) -> Path:
    """A copy of a course (folder or .zip, bundled or not) under a new id, as draft version 1.0.0."""
    require(principal, TRAINER)
    source = Path(source)
    files = read_folder(source) if source.is_dir() else _zip_files(source)
    document = CourseDocument.from_files(principal, source, files)
    course_id, folder = _new_folder(courses_dir, f"{document.manifest.get('id') or 'course'}-copy")
    document.folder, document.published = folder, False
    document.manifest.update(id=course_id, version="1.0.0",
                             title=_("{title} (copy)").format(title=document.manifest.get("title", "")))
    save_course(principal, document, known_labs)
    return folder


def _zip_files(path: Path) -> dict[str, bytes]:
    package = PackageSource.open(path)
    if not isinstance(package, ZipSource):
        raise InvalidInput([Problem(path.name, 0, _("This is neither a course folder nor a .zip file."))])
    try:
        if not package.exists(MANIFEST):
            raise InvalidInput([Problem(MANIFEST, 0, _("The package has no course.yaml manifest at its top level."))])
        return {name: package.read_bytes(name) for name in package.names()}
    finally:
        package.close()


def publish_course(principal: Principal, folder: Path) -> None:
    """Mark a draft as given to learners: from now on each save is a new version."""
    require(principal, TRAINER)
    (Path(folder) / DRAFT_MARKER).unlink(missing_ok=True)
