"""Read the files of a course package from a folder or a .zip, safely.

A zip from a USB stick is untrusted: we refuse entries that escape the package, too many entries,
too much inflated data, or an entry that inflates suspiciously (a "zip bomb"), before reading
anything. Reads are bounded too, so a lying header cannot make us inflate gigabytes.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from app.core.i18n import _
from app.core.problems import InvalidInput, Problem

MAX_ENTRIES = 2000
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100  # inflated size / compressed size, for entries above 1 MB inflated
MANIFEST = "course.yaml"


def normalise(relative: str) -> str | None:
    """'lessons/../images/a.png' -> 'images/a.png'; None when the path leaves the package."""
    if not relative or "\\" in relative or relative.startswith("/") or PurePosixPath(relative).is_absolute():
        return None
    if len(relative) > 1 and relative[1] == ":":  # C:/...
        return None
    norm = posixpath.normpath(relative)
    if norm == ".." or norm.startswith("../") or norm == ".":
        return None
    return norm


def _os_metadata(name: str) -> bool:
    """Files that zip tools add beside the content: macOS's __MACOSX/ and ._*, .DS_Store, Thumbs.db."""
    base = name.rsplit("/", 1)[-1]
    return name.startswith("__MACOSX/") or base.startswith("._") or base in (".DS_Store", "Thumbs.db")


class PackageSource:
    """The files of one package; paths are package-relative with '/'."""

    def __init__(self, location: Path):
        self.location = location
        self.label = location.name

    @staticmethod
    def open(location: Path) -> "PackageSource":
        location = Path(location)
        if location.is_dir():
            return FolderSource(location)
        if location.is_file() and zipfile.is_zipfile(location):
            return ZipSource(location)
        if location.is_file():
            raise InvalidInput([Problem(location.name, 0, _("This is neither a course folder nor a .zip file."))])
        raise InvalidInput([Problem(str(location), 0, _("There is no file or folder here."))])

    def exists(self, relative: str) -> bool:
        raise NotImplementedError

    def read_bytes(self, relative: str) -> bytes:
        raise NotImplementedError

    def read_text(self, relative: str, problems: list[Problem]) -> str | None:
        """The file as text, or None with a Problem when it is missing, too big or not UTF-8."""
        if not self.exists(relative):
            problems.append(Problem(relative, 0, _("The file is missing from the package.")))
            return None
        try:
            data = self.read_bytes(relative)
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, OSError) as err:
            problems.append(Problem(relative, 0, _("The file cannot be read; it is damaged in the .zip ({err}). "
                                                   "Export the package again.").format(err=err)))
            return None
        if len(data) > MAX_FILE_BYTES:
            problems.append(Problem(relative, 0, _("The file is larger than {mb} MB.").format(mb=MAX_FILE_BYTES >> 20)))
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            problems.append(Problem(relative, line, _("The file is not UTF-8 text (byte {pos}). Save it as UTF-8 "
                                                      "in your editor (\"Save as\", encoding UTF-8).")
                                    .format(pos=err.start)))
            return None
        if "\x00" in text:
            problems.append(Problem(relative, text[: text.index("\x00")].count("\n") + 1,
                                    _("The file contains a NUL character; it is not a text file.")))
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n")


class FolderSource(PackageSource):
    def _path(self, relative: str) -> Path | None:
        norm = normalise(relative)
        if norm is None:
            return None
        path = (self.location / norm).resolve()
        root = self.location.resolve()
        return path if path == root or root in path.parents else None  # a symlink may still escape

    def exists(self, relative: str) -> bool:
        path = self._path(relative)
        return bool(path and path.is_file())

    def read_bytes(self, relative: str) -> bytes:
        path = self._path(relative)
        if path is None:
            raise FileNotFoundError(relative)
        with open(path, "rb") as f:
            return f.read(MAX_FILE_BYTES + 1)


class ZipSource(PackageSource):
    """A zip whose files sit at the top or inside one top-level folder (as zipping a folder does)."""

    def __init__(self, location: Path):
        super().__init__(location)
        problems: list[Problem] = []
        try:
            self._zip = zipfile.ZipFile(location)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError) as err:
            raise InvalidInput([Problem(location.name, 0, _("The .zip file is damaged: {err}").format(err=err))]) \
                from err
        if len(infos) > MAX_ENTRIES:
            self._zip.close()
            raise InvalidInput([Problem(location.name, 0, _("The .zip holds {n} entries; a course may hold at most "
                                                            "{max}.").format(n=len(infos), max=MAX_ENTRIES))])
        total = 0
        for info in infos:
            name = info.filename
            if normalise(name.rstrip("/")) is None:
                problems.append(Problem(location.name, 0, _("The entry '{name}' points outside the package; "
                                                            "a course may only contain relative paths.")
                                        .format(name=name)))
            total += info.file_size
            if info.file_size > (1 << 20) and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                problems.append(Problem(location.name, 0, _("The entry '{name}' inflates {ratio}x; this looks like a "
                                                            "zip bomb and is refused.")
                                        .format(name=name, ratio=info.file_size // max(info.compress_size, 1))))
        if total > MAX_TOTAL_BYTES:
            problems.append(Problem(location.name, 0, _("The .zip inflates to {mb} MB; a course may be at most {max} MB.")
                                    .format(mb=total >> 20, max=MAX_TOTAL_BYTES >> 20)))
        if problems:
            self._zip.close()
            raise InvalidInput(problems)
        files = {i.filename: i for i in infos if not i.is_dir() and not _os_metadata(i.filename)}
        self._prefix = ""
        if MANIFEST not in files:
            tops = {n.split("/", 1)[0] for n in files}
            if len(tops) == 1 and f"{next(iter(tops))}/{MANIFEST}" in files:
                self._prefix = next(iter(tops)) + "/"
        self._files = {n[len(self._prefix):]: i for n, i in files.items() if n.startswith(self._prefix)}

    def names(self) -> list[str]:
        """Every file of the package (OS metadata left out), package-relative, sorted."""
        return sorted(self._files)

    def exists(self, relative: str) -> bool:
        norm = normalise(relative)
        return norm is not None and norm in self._files

    def read_bytes(self, relative: str) -> bytes:
        norm = normalise(relative)
        if norm is None or norm not in self._files:
            raise FileNotFoundError(relative)
        with self._zip.open(self._files[norm]) as f:
            data = f.read(MAX_FILE_BYTES + 1)  # bounded: never trust the declared size
        return data

    def close(self) -> None:
        self._zip.close()
