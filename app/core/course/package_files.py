"""Which files make up a course package, and the path and size rules a shared package must keep.

A package is shared between Windows, macOS and Linux PCs on USB sticks, so beyond the zip limits of
source.py its paths must be installable everywhere: not too long, no characters or names Windows
refuses, no two names that differ only in case (one would overwrite the other on Windows and macOS).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from app.core.course import markdown
from app.core.course.model import Course
from app.core.course.source import MANIFEST, MAX_ENTRIES, MAX_FILE_BYTES, MAX_TOTAL_BYTES, PackageSource
from app.core.i18n import _
from app.core.problems import Problem

CONTENT_FOLDERS = ("lessons", "quizzes", "images", "translations")
MAX_PATH_CHARS = 160  # package-relative; leaves room under Windows' 260 for a deep data folder
MAX_NAME_CHARS = 100
_JUNK_NAMES = {"thumbs.db", "desktop.ini", "__macosx"}
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*\\\x00-\x1f]')
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


@dataclass(frozen=True)
class PackageFile:
    path: str  # package-relative, with '/'
    size: int
    sha256: str


def is_course_file(relative: str) -> bool:
    """course.yaml or a file under lessons/, quizzes/, images/ or translations/; never OS or editor junk."""
    if relative == MANIFEST:
        return True
    parts = relative.split("/")
    if len(parts) < 2 or parts[0] not in CONTENT_FOLDERS:
        return False
    return not any(p.startswith(".") or p.casefold() in _JUNK_NAMES or p.endswith("~") for p in parts)


def folder_files(folder: Path) -> list[str]:
    """The course files in a package folder, sorted. Symbolic links are left out: they may point anywhere."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(root, d))]
        for name in files:
            full = os.path.join(root, name)
            if os.path.islink(full):
                continue
            relative = Path(full).relative_to(folder).as_posix()
            if is_course_file(relative):
                found.append(relative)
    return sorted(found)


def path_problems(paths: list[str]) -> list[Problem]:
    """Paths that some PC could not hold: too long, forbidden on Windows, or equal but for case."""
    problems = []
    seen: dict[str, str] = {}
    for path in paths:
        if len(path) > MAX_PATH_CHARS:
            problems.append(Problem(path, 0, _("The path is {n} characters long; a package path may have at most "
                                               "{max}. Use shorter folder or file names.")
                                    .format(n=len(path), max=MAX_PATH_CHARS)))
        for part in path.split("/"):
            if len(part) > MAX_NAME_CHARS:
                problems.append(Problem(path, 0, _("The name '{name}' is longer than {max} characters.")
                                        .format(name=part[:40] + "…", max=MAX_NAME_CHARS)))
            elif _WINDOWS_FORBIDDEN.search(part):
                problems.append(Problem(path, 0, _("The name '{name}' contains a character Windows does not allow "
                                                   "in file names (< > : \" | ? * \\ or a control character).")
                                        .format(name=part)))
            elif part.split(".", 1)[0].casefold() in _WINDOWS_RESERVED:
                problems.append(Problem(path, 0, _("'{name}' is a name Windows reserves for a device; rename it.")
                                        .format(name=part)))
            elif part.endswith((".", " ")):
                problems.append(Problem(path, 0, _("The name '{name}' ends with a dot or a space, which Windows "
                                                   "drops; rename it.").format(name=part)))
        folded = path.casefold()
        if folded in seen:
            problems.append(Problem(path, 0, _("'{path}' and '{other}' differ only in upper and lower case; on "
                                               "Windows and macOS one would overwrite the other. Rename one.")
                                    .format(path=path, other=seen[folded])))
        else:
            seen[folded] = path
    return problems


def size_problems(files: list[PackageFile], label: str) -> list[Problem]:
    problems = [Problem(f.path, 0, _("The file is larger than {mb} MB; a course file may be at most {mb} MB.")
                        .format(mb=MAX_FILE_BYTES >> 20)) for f in files if f.size > MAX_FILE_BYTES]
    if len(files) > MAX_ENTRIES:
        problems.append(Problem(label, 0, _("The course has {n} files; a package may hold at most {max}.")
                                .format(n=len(files), max=MAX_ENTRIES)))
    total = sum(f.size for f in files)
    if total > MAX_TOTAL_BYTES:
        problems.append(Problem(label, 0, _("The course's files add up to {mb} MB; a package may be at most {max} MB.")
                                .format(mb=total >> 20, max=MAX_TOTAL_BYTES >> 20)))
    return problems


def referenced_files(course: Course, source: PackageSource) -> set[str]:
    """The files a loaded course uses: its lessons and quizzes, their images, its translation catalogs."""
    used = {MANIFEST, *(f"translations/{code}.po" for code in course.translations)}
    for item in course.items:
        if item.kind == "lab":
            continue
        used.add(item.target)
        if item.kind == "lesson" and source.exists(item.target):
            used.update(markdown.image_paths(source.read_text(item.target, []) or "", item.target))
    return used


def outside_content_problems(course: Course, source: PackageSource) -> list[Problem]:
    """A used file outside the content folders would not travel with the package: say so now."""
    return [Problem(path, 0, _("The course uses this file, but only course.yaml and the folders lessons/, quizzes/, "
                               "images/ and translations/ are shared. Move the file into one of them."))
            for path in sorted(referenced_files(course, source)) if not is_course_file(path)]


def read_file(source: PackageSource, path: str) -> tuple[bytes, PackageFile]:
    """The bytes of one package file (read bounded, so an oversized file shows as MAX_FILE_BYTES + 1)."""
    data = source.read_bytes(path)
    return data, PackageFile(path, len(data), hashlib.sha256(data).hexdigest())
