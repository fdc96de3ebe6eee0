"""What to build for an agreement, and writing it safely.

:func:`plan` lists the documents an agreement yields (one per decision, one
for SKL's genomförandeplan); :func:`build` renders each through its
template and writers, entirely in memory, and only then writes the files,
each atomically (a temporary file in the same folder, then ``os.replace``),
so a failure never leaves a truncated or half-updated document behind.
"""
from __future__ import annotations

import functools
import os
import re
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .distribute import YearAllocation
from .document import Document
from .letters import county_letters
from .errors import GeneratorError, RenderError
from .model import Agreement, Decision
from .payouts import payouts_csv, payouts_xlsx
from .templating import TEMPLATES, render_document
from .writers.docx import render_docx
from .writers.pdf import render_pdf

WRITERS: dict[str, Callable[[Document], bytes]] = {"docx": render_docx, "pdf": render_pdf}

DECISION_TEMPLATES = {
    "utbetalning": "regeringsbeslut_utbetalning.xml.j2",
    "godkannande": "regeringsbeslut_godkannande.xml.j2",
}


def safe_name(text: str) -> str:
    """Return ``text`` as a file-system-safe name: ASCII letters, digits, - and _ only."""
    text = text.replace("å", "a").replace("ä", "a").replace("ö", "o").replace("Å", "A").replace("Ä", "A").replace("Ö", "O")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-._")
    return text[:80] or "dokument"


@dataclass(frozen=True)
class Job:
    """One document to build: its output name, template and extra context."""

    name: str
    template: str
    title: str
    decision: Decision | None = None
    extra: dict = field(default_factory=dict, compare=False)


LETTERS_FOLDER = "lansbrev"


def plan(agreement: Agreement, allocation: YearAllocation | None = None) -> list[Job]:
    """Return the documents an agreement yields, in a stable order.

    With an ``allocation`` and ``county_letters:`` in the data, one payout
    letter per county is added, under ``lansbrev/``.
    """
    jobs: list[Job] = []
    for decision in agreement.decisions:
        name = safe_name(f"regeringsbeslut_{decision.number}_{decision.date.isoformat()}_{decision.kind}")
        jobs.append(Job(name, DECISION_TEMPLATES[decision.kind], f"Regeringsbeslut {decision.number}", decision))
    if agreement.letter is not None:
        jobs.append(Job("genomforandeplan", "genomforandeplan.xml.j2", agreement.letter.title))
    if allocation is not None and agreement.county_letters is not None:
        for letter in county_letters(allocation):
            name = f"{LETTERS_FOLDER}/" + safe_name(f"lansbrev_{letter.county.code}_{letter.county.name}").lower()
            jobs.append(Job(name, "lansbrev.xml.j2", f"{agreement.county_letters.title} – {letter.county.name}",
                            extra={"letter": letter, "alloc": allocation}))
    return jobs


@dataclass
class Written:
    path: Path
    size: int
    seconds: float
    status: str  # "skriven" (written) | "oförändrad" (unchanged)


@dataclass
class BuildResult:
    agreement: Agreement
    written: list[Written] = field(default_factory=list)


def render_job(agreement: Agreement, job: Job, templates: Path = TEMPLATES) -> Document:
    """Return the document model of one job."""
    extra = {"decision": job.decision} if job.decision is not None else {}
    extra.update(job.extra)
    return render_document(job.template, agreement, extra, templates)


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; return False (and write nothing) if it is already identical."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        return False
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def build(agreement: Agreement, out: Path, formats: list[str], templates: Path = TEMPLATES,
          reference_doc: Path | None = None, allocation: YearAllocation | None = None) -> BuildResult:
    """Render every document of ``agreement`` in ``formats`` and write them under ``out/<year>/``.

    ``reference_doc`` is a .docx whose styles, fonts and page setup the DOCX files take.
    With an ``allocation`` the county letters and the payout tables
    (``utbetalningar.csv`` and ``.xlsx``) are written too.
    """
    for fmt in formats:
        if fmt not in WRITERS:
            raise GeneratorError(f"unknown format {fmt!r}; choose from {', '.join(WRITERS)}")
    if not formats:
        raise GeneratorError("no output format given; choose from " + ", ".join(WRITERS))
    writers = dict(WRITERS)
    if reference_doc is not None:
        writers["docx"] = functools.partial(render_docx, reference=reference_doc)
    rendered: list[tuple[Path, bytes, float]] = []
    folder = out / str(agreement.year)
    for job in plan(agreement, allocation):
        started = time.perf_counter()
        document = render_job(agreement, job, templates)
        for fmt in formats:
            try:
                data = writers[fmt](document)
            except GeneratorError:
                raise
            except Exception as exc:  # a writer bug must still name the document
                raise RenderError(f"writing {job.name}.{fmt} failed: {type(exc).__name__}: {exc}") from exc
            rendered.append((folder / f"{job.name}.{fmt}", data, time.perf_counter() - started))
            started = time.perf_counter()
    if allocation is not None and allocation.items:
        for suffix, make in (("csv", payouts_csv), ("xlsx", payouts_xlsx)):
            started = time.perf_counter()
            rendered.append((folder / f"utbetalningar.{suffix}", make(allocation), time.perf_counter() - started))
    result = BuildResult(agreement)
    for path, data, seconds in rendered:  # nothing is written until everything rendered
        changed = write_atomic(path, data)
        result.written.append(Written(path, len(data), seconds, "skriven" if changed else "oförändrad"))
    return result
