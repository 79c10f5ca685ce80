"""Where collected statements' payloads live: the files that brought them (migration 0008).

A collected statement row holds what queries read (ids, verb, course, time, the report columns) and points
at its full xAPI statement as (`payload_file`, `line`): line `line` (1-based) of one row of
collected_payloads. That row is a bundle's .zip exactly as it came off the stick ("bundle": its
statements.jsonl holds the lines), or an xAPI file's statements as zlib-compressed JSON lines
("jsonl-zlib"). Keeping the payloads as the files carried them, compressed, makes an import write a
tenth of the bytes, and keeps the evidence of what each office sent.

    refs = [(file, line), ...]
    texts = payload_texts(conn, refs)          # same order; each file opened once
    for learner_key, payload in payload_stream(conn, rows_with_refs): ...

Payload rows are keyed by the SHA-256 of their lines, so the same file imported twice is stored once.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from typing import Iterable, Iterator, Sequence

from sqlalchemy import Connection, select

from app.core.collect.bundle_file import STATEMENTS, split_lines
from app.core.collect.rows import PayloadFile
from app.core.storage.schema import collected_payloads

BUNDLE = "bundle"
JSONL_ZLIB = "jsonl-zlib"
WINDOW = 50_000  # statements resolved at a time by payload_stream: bounded memory, each file opened once per window


def jsonl_file(lines: Sequence[str]) -> PayloadFile:
    """Statements' JSON (one per line, none holding a newline) as stored for JSONL_ZLIB: UTF-8, zlib-compressed,
    keyed by the SHA-256 of the lines as a bundle's statements.jsonl would hold them."""
    raw = "".join(line + "\n" for line in lines).encode("utf-8")
    return PayloadFile(JSONL_ZLIB, zlib.compress(raw, 6), hashlib.sha256(raw).hexdigest())


def decode_lines(kind: str, data: bytes) -> list[str]:
    """The statements' lines of a stored file (line n is item n - 1)."""
    if kind == BUNDLE:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            raw = archive.read(STATEMENTS)
    elif kind == JSONL_ZLIB:
        raw = zlib.decompress(data)
    else:
        raise ValueError(f"unknown collected payload format {kind!r}")
    return split_lines(raw.decode("utf-8"))


def payload_texts(conn: Connection, refs: Sequence[tuple[int, int]]) -> list[str]:
    """The payload of each (payload file, line), in the order given; each file is read and opened once."""
    wanted: dict[int, list[int]] = {}
    for position, (file, _line) in enumerate(refs):
        wanted.setdefault(file, []).append(position)
    out: list[str] = [""] * len(refs)
    table = collected_payloads
    for file, positions in wanted.items():
        kind, data = conn.execute(select(table.c.format, table.c.data).where(table.c.id == file)).one()
        lines = decode_lines(kind, data)
        for position in positions:
            out[position] = lines[refs[position][1] - 1]
    return out


def payload_stream(conn: Connection, rows: Iterable[tuple]) -> Iterator[tuple[tuple, str]]:
    """(row, payload) for rows ending in (payload file, line), in the rows' order, WINDOW rows at a time."""
    window: list[tuple] = []
    for row in rows:
        window.append(row)
        if len(window) == WINDOW:
            yield from zip(window, payload_texts(conn, [r[-2:] for r in window]))
            window = []
    if window:
        yield from zip(window, payload_texts(conn, [r[-2:] for r in window]))
