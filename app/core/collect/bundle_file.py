"""The progress bundle on disk: a .zip holding `manifest.json` and `statements.jsonl`.

    statements.jsonl   one xAPI statement per line, exactly as the learning record stores it
                       (the `payload` column): the lines themselves are usable xAPI
    manifest.json      {"format": "civic-ai-academy/progress-bundle", "format_version": 1,
                        "bundle_id", "created", "installation": {"id", "name"}, "everything",
                        "learners": [{"id", "name", "locale", "staff_number"}],
                        "counts": {"statements", "learners"}, "statements_sha256", "manifest_sha256"}

`statements_sha256` is the SHA-256 of statements.jsonl's bytes; `manifest_sha256` that of the
manifest's own canonical JSON without that key, so an edited learner name is caught as surely as an
edited statement. (A checksum catches damage and careless edits, not forgery: that needs a signature.)
Reading checks everything before anything is imported and raises `BundleRefused` with the reason.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from app.core.atomic import replacing
from app.core.collect.xapi_check import DuplicateKey, strict_json_loads
from app.core.i18n import _, ngettext

FORMAT = "civic-ai-academy/progress-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
STATEMENTS = "statements.jsonl"
ZIP_MAGIC = b"PK\x03\x04"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024  # a learner list, even for thousands of learners, is far smaller
MAX_STATEMENTS_BYTES = 4 * 1024 * 1024 * 1024  # refuses a zip bomb before it fills the memory


class BundleRefused(Exception):
    """The file cannot be imported as a whole; `reason` says why, in words a trainer can act on."""

    def __init__(self, path: Path, reason: str):
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class BundleLearner:
    id: str
    name: str
    locale: str
    staff_number: str | None


@dataclass(frozen=True)
class Bundle:
    path: Path
    bundle_id: str
    created: str
    installation_id: str
    installation_name: str | None
    learners: tuple[BundleLearner, ...]
    lines: list[str]  # statements.jsonl, one statement's JSON per entry (line n is lines[n - 1])
    sha256: str  # of statements.jsonl
    raw: bytes = b""  # the file as read: what collected progress keeps of it (collect/payloads.py)


def canonical(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def manifest_digest(manifest: dict[str, Any]) -> str:
    return hashlib.sha256(canonical({k: v for k, v in manifest.items() if k != "manifest_sha256"})).hexdigest()


def write_bundle(path: Path, manifest: dict[str, Any], payloads: Iterable[str], on_line=None) -> dict[str, Any]:
    """Write the bundle atomically: a crash or a full stick leaves no file, or the old one. `manifest`
    holds everything but the counts and checksums, which are filled in here; returns the full manifest."""
    digest = hashlib.sha256()
    count = 0
    with replacing(path, suffix=".part") as temporary:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            with archive.open(STATEMENTS, "w", force_zip64=True) as out:
                for payload in payloads:
                    line = payload.encode("utf-8") + b"\n"
                    digest.update(line)
                    out.write(line)
                    count += 1
                    if on_line is not None:
                        on_line(count)
            manifest = {**manifest, "format": FORMAT, "format_version": FORMAT_VERSION,
                        "counts": {"statements": count, "learners": len(manifest["learners"])},
                        "statements_sha256": digest.hexdigest()}
            manifest["manifest_sha256"] = manifest_digest(manifest)
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    return manifest


def read_bundle(path: Path) -> Bundle:
    """Open and check a bundle completely; raise BundleRefused naming what is wrong."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(4)
            raw = head + f.read() if head == ZIP_MAGIC else b""  # read once: it is kept, and unzipped from memory
    except OSError as err:
        raise BundleRefused(path, _("cannot be read ({error}).").format(error=err.strerror or err)) from err
    if not head:
        raise BundleRefused(path, _("is empty: it is not a progress bundle."))
    if head != ZIP_MAGIC:
        raise BundleRefused(path, _("is not a progress bundle (a bundle is the .zip file that \"Export my "
                                    "progress\" writes)."))
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            for member in (MANIFEST, STATEMENTS):
                if member not in names:
                    raise BundleRefused(path, _("is not a progress bundle: it holds no {member}.").format(
                        member=member))
            if archive.getinfo(MANIFEST).file_size > MAX_MANIFEST_BYTES:
                raise BundleRefused(path, _("is not a progress bundle: its manifest is implausibly large."))
            if archive.getinfo(STATEMENTS).file_size > MAX_STATEMENTS_BYTES:
                raise BundleRefused(path, _("holds more than 4 GB of statements; export in smaller parts."))
            manifest_bytes = archive.read(MANIFEST)  # zipfile checks each member's CRC-32 as it reads
            statements_bytes = archive.read(STATEMENTS)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError) as err:
        raise BundleRefused(path, _("is damaged or truncated ({error}); export it again on the learner's "
                                    "machine.").format(error=err)) from err
    manifest = _manifest(path, manifest_bytes)
    sha256 = hashlib.sha256(statements_bytes).hexdigest()
    if sha256 != manifest["statements_sha256"]:
        raise BundleRefused(path, _("has been altered or damaged: its statements do not match the checksum in its "
                                    "manifest."))
    try:
        text = statements_bytes.decode("utf-8")
    except UnicodeDecodeError as err:
        line = statements_bytes[:err.start].count(b"\n") + 1
        raise BundleRefused(path, _("{member} line {line} is not UTF-8 text.").format(member=STATEMENTS,
                                                                                       line=line)) from err
    lines = split_lines(text)
    if len(lines) != manifest["counts"]["statements"]:
        expected = manifest["counts"]["statements"]
        raise BundleRefused(path, ngettext("its manifest announces {expected} statement but it holds {found}.",
                                           "its manifest announces {expected} statements but it holds {found}.",
                                           expected).format(expected=expected, found=len(lines)))
    return Bundle(path, manifest["bundle_id"], manifest["created"], manifest["installation"]["id"],
                  manifest["installation"].get("name"), _learners(path, manifest["learners"]), lines, sha256, raw)


def split_lines(text: str) -> list[str]:
    """statements.jsonl's lines (line n is item n - 1), without the empty one after the last newline."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _manifest(path: Path, raw: bytes) -> dict[str, Any]:
    def wrong(what: str) -> BundleRefused:
        return BundleRefused(path, _("{member}: {problem}; it was not made by this app's \"Export my progress\", "
                                     "or it was changed.").format(member=MANIFEST, problem=what))

    try:
        manifest = strict_json_loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise wrong(_("not UTF-8 text")) from None
    except DuplicateKey as err:
        raise wrong(str(err)) from None
    except json.JSONDecodeError as err:
        raise wrong(_("not valid JSON at line {line} ({error})").format(line=err.lineno, error=err.msg)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise wrong(_("not a progress bundle manifest"))
    version = manifest.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise BundleRefused(path, _("was written by a newer version of the app (bundle format {version}); update "
                                    "this app to import it.").format(version=version))
    if version != FORMAT_VERSION:
        raise wrong(_("unknown format version {version}").format(version=json.dumps(version)))
    if manifest.get("manifest_sha256") != manifest_digest(manifest):
        raise BundleRefused(path, _("has been altered or damaged: its manifest does not match its own "
                                    "checksum."))
    checks = {"bundle_id": str, "created": str, "statements_sha256": str, "installation": dict, "learners": list,
              "counts": dict}
    for key, kind in checks.items():
        if not isinstance(manifest.get(key), kind):
            raise wrong(_("'{key}' is missing or of the wrong type").format(key=key))
    if not isinstance(manifest["installation"].get("id"), str) or not manifest["installation"]["id"]:
        raise wrong(_("'{key}' is missing or of the wrong type").format(key="installation.id"))
    count = manifest["counts"].get("statements")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise wrong(_("'{key}' is missing or of the wrong type").format(key="counts.statements"))
    return manifest


def _learners(path: Path, entries: list[Any]) -> tuple[BundleLearner, ...]:
    learners = []
    for n, entry in enumerate(entries, 1):
        fields = entry if isinstance(entry, dict) else {}
        staff = fields.get("staff_number")
        if not all(isinstance(fields.get(k), str) and fields.get(k) for k in ("id", "name")) or not (
                isinstance(fields.get("locale"), str) and (staff is None or isinstance(staff, str))):
            raise BundleRefused(path, _("{member}: learner {n} needs an id, a name and a locale.").format(
                member=MANIFEST, n=n))
        learners.append(BundleLearner(fields["id"], fields["name"], fields["locale"], staff))
    return tuple(learners)
