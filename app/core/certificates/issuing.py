"""Issue certificates for a list of completions: for each, the signed credential (JSON, batch.py) and the
printable certificate (PDF, drawn by a printer the caller passes in: app/ui/certificate_pdf.py's
`write_certificate`, which needs Qt, so the core only calls it).

    issuable(completions) -> (the ones that can be issued, [(completion, [reasons])])
    issue_certificates(principal, signer, completions, folder, state, print_pdf=...) -> IssueRun

Completions that cannot be issued (an empty name, a date that is not one) are set aside with their
reasons instead of stopping the batch. The rest are signed and written a few at a time, each PDF beside
its credential (same name, .pdf), so a cancel stops within a moment and leaves whole files only; the
IssueRun given in (`run=`) holds what was written so far even when the task is cancelled or fails.
Every credential written is recorded in issued_credentials with one issue time for the whole run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.core.accounts.roles import TRAINER, Principal, require
from app.core.certificates.batch import IssuedFile, issue_batch
from app.core.certificates.credential import Completion, completion_problems
from app.core.certificates.issuer import Signer
from app.core.certificates.sheet import CertificateSheet, certificate_sheet
from app.core.formatting import number
from app.core.i18n import _
from app.core.record.statements import now
from app.core.tasks import TaskState

CHUNK = 20  # credentials signed (and recorded) in one go, between two looks at the cancel button

PdfPrinter = Callable[[Path, CertificateSheet], object]


@dataclass
class IssueRun:
    """What a run wrote (filled as it goes) and what it set aside."""

    folder: Path
    credentials: list[IssuedFile] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    skipped: list[tuple[Completion, list[str]]] = field(default_factory=list)


def issuable(completions: Sequence[Completion]) -> tuple[list[Completion], list[tuple[Completion, list[str]]]]:
    good, skipped = [], []
    for completion in completions:
        problems = completion_problems(completion)
        if problems:
            skipped.append((completion, problems))
        else:
            good.append(completion)
    return good, skipped


def pdf_path(issued: IssuedFile) -> Path:
    return issued.path.with_suffix(".pdf")


def issue_certificates(principal: Principal, signer: Signer, completions: Sequence[Completion], folder: Path,
                       state: TaskState, *, print_pdf: PdfPrinter, database=None, clock: Callable = now,
                       run: IssueRun | None = None, chunk: int = CHUNK) -> IssueRun:
    require(principal, TRAINER)
    good, skipped = issuable(completions)
    run = run if run is not None else IssueRun(Path(folder))
    run.folder = Path(folder)
    run.skipped = skipped
    moment = clock()
    total = len(good)
    for start in range(0, total, max(1, chunk)):
        state.raise_if_cancelled()
        # Signing takes a millisecond each: a chunk runs to its end, so every file it writes is recorded.
        files = issue_batch(principal, signer, good[start:start + chunk], folder, TaskState(), database=database,
                            clock=lambda: moment)
        run.credentials.extend(files)
        for issued in files:
            state.raise_if_cancelled()
            state.set_progress(len(run.pdfs), total, _("Certificate {n} of {total}: {name}").format(
                n=number(len(run.pdfs) + 1), total=number(total), name=issued.completion.learner_name))
            path = pdf_path(issued)
            print_pdf(path, certificate_sheet(issued.credential, issued.path.name))
            run.pdfs.append(path)
    state.set_progress(total, total)
    return run
