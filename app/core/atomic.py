"""Writing a file so that a crash, a full disk or a failed write leaves the old file or the new one,
never half of one: write beside it under a temporary name, flush it to disk, then rename it over."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def replacing(path: str | os.PathLike, suffix: str = ".part") -> Iterator[Path]:
    """Yield a temporary path in `path`'s folder; when the block ends without error it replaces `path`,
    otherwise it is removed.

        with replacing(target) as temporary:
            image.save(str(temporary))
    """
    path = Path(path)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=suffix)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb+") as written:  # rb+: Windows only flushes handles open for writing
            os.fsync(written.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_text(path: str | os.PathLike, text: str) -> None:
    """`text` as UTF-8 with \\n line ends, atomically."""
    with replacing(path, suffix=".tmp") as temporary:
        temporary.write_text(text, encoding="utf-8", newline="\n")
