"""A course package held in memory while it is edited, readable by the course loader as it is."""

from __future__ import annotations

from pathlib import Path

from app.core.course.package_files import folder_files
from app.core.course.source import MANIFEST, MAX_ENTRIES, MAX_FILE_BYTES, PackageSource, normalise
from app.core.i18n import _
from app.core.problems import InvalidInput, Problem

DRAFT_MARKER = ".draft"  # beside course.yaml: a course no learner has been given yet; not exported


def read_folder(folder: Path) -> dict[str, bytes]:
    """Every package file of a course folder (as export sees them), by package path."""
    if not (folder / MANIFEST).is_file():
        raise InvalidInput([Problem(MANIFEST, 0, _("The package has no course.yaml manifest at its top level."))])
    paths = folder_files(folder)
    if len(paths) > MAX_ENTRIES:
        raise InvalidInput([Problem(folder.name, 0, _("The course has {n} files; a package may hold at most {max}.")
                                    .format(n=len(paths), max=MAX_ENTRIES))])
    files: dict[str, bytes] = {}
    for relative in paths:
        try:
            data = (folder / relative).read_bytes()
        except OSError as err:
            raise InvalidInput([Problem(relative, 0, _("The file cannot be read: {error}").format(
                error=err.strerror or err))]) from err
        if len(data) > MAX_FILE_BYTES:
            raise InvalidInput([Problem(relative, 0, _("The file is larger than {mb} MB.").format(
                mb=MAX_FILE_BYTES >> 20))])
        files[relative] = data
    return files


class MemorySource(PackageSource):
    """The editor's files as a package source, so validation is the loader's own, with no disk writes."""

    def __init__(self, files: dict[str, bytes], location: Path):
        super().__init__(location)
        self._files = files

    def exists(self, relative: str) -> bool:
        norm = normalise(relative)
        return norm is not None and norm in self._files

    def read_bytes(self, relative: str) -> bytes:
        norm = normalise(relative)
        if norm is None or norm not in self._files:
            raise FileNotFoundError(relative)
        return self._files[norm]


def _leftovers(folder: Path, kind: str) -> list[Path]:
    return sorted(folder.parent.glob(f".{folder.name}.{kind}-*")) if folder.parent.is_dir() else []


def recover(folder: Path) -> None:
    """Finish or undo a save that a crash interrupted: the previous course comes back whole when the
    new one never took its place; half-written temporary folders are removed."""
    import shutil

    folder = Path(folder)
    previous = _leftovers(folder, "old")
    if not folder.exists() and previous:
        previous[-1].rename(folder)
        previous = previous[:-1]
    for stale in (*previous, *_leftovers(folder, "saving")):
        shutil.rmtree(stale, ignore_errors=True)
