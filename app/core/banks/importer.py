"""A bank file imported: read in whatever encoding it was saved in, parsed, and turned into quiz
questions of the course format, with every problem found (file, line, what is wrong)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.i18n import _
from app.core.problems import Problem

BANK_FORMATS = ("gift", "aiken")
MAX_BYTES = 20 * 1024 * 1024  # far more than any question bank; a bigger file is the wrong file


@dataclass(frozen=True)
class BankImport:
    file: str
    encoding: str  # how the file was read: utf-8, cp949, cp1252...
    questions: tuple[dict[str, Any], ...]  # questions of the course format, ready for a *.quiz.yaml
    problems: tuple[Problem, ...]

    @property
    def by_type(self) -> dict[str, int]:
        return dict(Counter(q["type"] for q in self.questions))


def import_text(text: str, bank_format: str, file: str, encoding: str = "utf-8") -> BankImport:
    from app.core.banks.to_quiz import quiz_questions

    if bank_format == "gift":
        from app.core.banks.gift import parse_gift as parse
    elif bank_format == "aiken":
        from app.core.banks.aiken import parse_aiken as parse
    else:
        raise ValueError(f"unknown bank format {bank_format!r}")
    bank, problems = parse(text, file)
    questions = quiz_questions(bank, file, problems)
    return BankImport(file, encoding, tuple(questions), tuple(sorted(problems, key=lambda p: p.line)))


def import_file(path: Path, bank_format: str) -> BankImport:
    try:
        if path.stat().st_size > MAX_BYTES:
            return _unreadable(path, _("The file is larger than {mb} MB; a question bank is much smaller. Is it the "
                                       "right file?").format(mb=MAX_BYTES // (1024 * 1024)))
        data = path.read_bytes()
    except FileNotFoundError:
        return _unreadable(path, _("There is no file here."))
    except IsADirectoryError:
        return _unreadable(path, _("This is a folder; give the question bank file."))
    except OSError as err:
        return _unreadable(path, _("The file cannot be read: {error}").format(error=err.strerror or err))
    text, encoding = decode(data)
    return import_text(text, bank_format, str(path), encoding)


def decode(data: bytes) -> tuple[str, str]:
    """Text from a file saved by any usual editor: UTF-8 (with or without a byte-order mark), UTF-16 with
    one, Korean Windows' CP949, or Western Windows' Windows-1252 (which decodes any bytes but five)."""
    for mark, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(mark):
            try:
                return data.decode(codec), codec.replace("-sig", "")
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        korean = data.decode("cp949")
        if _looks_korean(korean):
            return korean, "cp949"
    except UnicodeDecodeError:
        pass
    return data.decode("cp1252", errors="replace"), "cp1252"


def _looks_korean(text: str) -> bool:
    """Western text with accents decodes as CP949 now and then, into rare syllables; Korean text uses
    the 2,350 common ones (those EUC-KR has). Most of the non-ASCII letters must be those."""
    wide = [c for c in text if ord(c) > 0x7F]
    common = sum(1 for c in wide if "\uac00" <= c <= "\ud7a3" and _in_euc_kr(c))
    return bool(wide) and common >= 0.8 * len(wide)


def _in_euc_kr(char: str) -> bool:
    try:
        char.encode("euc_kr")
        return True
    except UnicodeEncodeError:
        return False


def _unreadable(path: Path, message: str) -> BankImport:
    return BankImport(str(path), "", (), (Problem(str(path), 0, message),))
