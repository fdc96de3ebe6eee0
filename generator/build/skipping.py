"""What a build may leave as it is, at three levels, and what it must render.

1. A file whose inputs are unchanged (the key of its input files, :func:`manifest_key`, is the one recorded) is
   skipped without rendering anything.
2. A document whose template would be given the same data (its context digest, :class:`Contexts`) is left as it
   is: only its manifest entry learns the new key.
3. A document whose model has the same content (:func:`file_content`, decided once it is rendered, before the
   writers) is not written again.

:func:`pending_agreement` and :func:`pending_circular` sort an agreement's or a circular's documents into the
skipped and those to render (:class:`Pending`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.formats import DEFAULT_PDF_ENGINE, payouts_csv, payouts_xlsx
from generator.build.plan import DATA_FOLDERS, MUNICIPAL_FOLDERS, Job, circular_name, plan
from generator.build.provenance import Manifest, Sources, generator_id, template_files
from generator.build.write import BuildResult
from generator.cache.digest import Unknown, digest
from generator.data.circulars import ValidatedCircular
from generator.data.model import Agreement
from generator.data.reference import REFERENCE
from generator.money.distribute import YearAllocation


def data_files(allocation: YearAllocation | None) -> list[Path]:
    """Return the key and outcome data files an allocation was computed from."""
    if allocation is None:
        return []
    return [d.file for d in (allocation.population, allocation.outcomes) if d is not None] + list(allocation.files)


def reference_files() -> list[Path]:
    """Return the reference lists (counties, county councils, municipalities)."""
    return sorted(REFERENCE.glob("*.csv"))


def job_sources(
    agreement_file: Path | None, job: Job, templates: Path, data_files: list[Path], reference_doc: Path | None = None
) -> Sources:
    """Return the input files of one document: its agreement, the data it uses, its templates, the reference .docx."""
    files = [agreement_file] if agreement_file else []
    files += template_files(job.template, templates)
    if job.name.split("/")[0] in DATA_FOLDERS or "item" in job.extra:
        files += data_files + reference_files()
    files += list(job.inputs)
    if reference_doc is not None:
        files.append(reference_doc)
    return Sources.of(files)


class Contexts:
    """The digests of what the templates of one agreement's documents are given (see generator.cache.digest).

    A document's context digest covers the generator, its templates, the reference lists, the reference
    .docx, its own input files, the agreement (as validated, so a comment or a reordered key changes
    nothing) and the job's data (a letter's amounts, computations and names; the allocation only as
    :class:`generator.money.distribute.DataNote`). The key and outcome files are not in it: what of them a
    document shows is in its job's data. Equal digests: the template would be given the same data.
    """

    def __init__(self, agreement: Agreement, templates: Path, reference_doc: Path | None, pdf_engine: str):
        self.agreement, self.templates = agreement, templates
        self.memo: dict = {}
        self.common = [
            generator_id(),
            pdf_engine,
            Sources.of(reference_files() + ([reference_doc] if reference_doc else [])).files,
        ]
        self.salt = digest(self.common)  # what the writers make of a document model depends on these too
        self._agreement: str | None = None
        self._templates: dict[str, tuple] = {}

    def _of_agreement(self) -> str:
        if self._agreement is None:
            self._agreement = digest(self.agreement, self.memo)
        return self._agreement

    def of(self, job: Job) -> str | None:
        """Return the context digest of ``job``, or None if its data holds a value without a canonical digest."""
        if job.template not in self._templates:
            self._templates[job.template] = Sources.of(template_files(job.template, self.templates)).files
        try:
            return digest(
                [
                    self.common,
                    self._templates[job.template],
                    Sources.of(list(job.inputs)).files,
                    self._of_agreement(),
                    job.name,
                    job.template,
                    job.title,
                    job.decision,
                    sorted(job.extra.items()),
                ],
                self.memo,
            )
        except Unknown:
            return None

    def of_tables(self, allocation: YearAllocation) -> str | None:
        """Return the digest of what the payout tables show: the agreement's year, title and total, every item
        with its lines, and the data files' labels (:func:`generator.writers.payout_tables.payouts_xlsx`)."""
        a = allocation.agreement
        try:
            return digest(
                [
                    self.common,
                    "utbetalningar",
                    a.year,
                    a.title,
                    a.total,
                    allocation.items,
                    [d.label if d is not None else None for d in (allocation.population, allocation.outcomes)],
                    allocation.example,
                ],
                self.memo,
            )
        except Unknown:
            return None


def file_content(content: str, salt: str, path: Path) -> str:
    """Return the digest recorded for one file of a document: its content, the writers' configuration, the format."""
    return hashlib.sha256(f"{content}{salt}{path.suffix}".encode()).hexdigest()


def file_context(context: str | None, path: Path) -> str | None:
    """Return the context digest of one file of a document (its format is part of it)."""
    return None if context is None else hashlib.sha256(f"{context}{path.suffix}".encode()).hexdigest()


def manifest_key(sources: Sources, path: Path, pdf_engine: str) -> str:
    """Return the manifest key of ``path``: a PDF made by another engine than the default is another file."""
    if path.suffix == ".pdf" and pdf_engine != DEFAULT_PDF_ENGINE:
        return f"{sources.key}+{pdf_engine}"
    return sources.key


@dataclass
class Pending:
    """One agreement's or circular's part of a build: what was skipped, what to render, and the manifest keys.

    ``todo`` holds (job, sources, the content digest recorded for each of its files); ``tables`` the payout
    tables, (path, the function that makes it, allocation).
    """

    agreement: Agreement | None  # None: a circular
    folder: Path
    result: BuildResult
    todo: list[tuple[Job, Sources | None, dict[Path, str | None]]] = field(default_factory=list)
    tables: list[tuple[Path, Callable[[YearAllocation], bytes], YearAllocation]] = field(default_factory=list)
    keys: dict[Path, tuple[str, Sources, str | None]] = field(default_factory=dict)  # inputs key, sources, context
    manifest: Manifest | None = None  # with the agreement's source file: the build's manifest
    salt: str = ""  # the digest of the writers' configuration (Contexts.salt)


def pending_agreement(
    agreement: Agreement,
    allocation: YearAllocation | None,
    source_file: Path | None,
    municipal: dict | None,
    out: Path,
    formats: list[str],
    templates: Path,
    reference_doc: Path | None,
    force: bool,
    pdf_engine: str,
    recipient: str | None,
    municipal_documents: bool,
    manifest: Manifest | None,
    held: frozenset[tuple[int, str]] = frozenset(),
) -> Pending:
    """Return an agreement's part of a build: its documents and payout tables sorted into skipped and to render.

    Without a ``source_file`` nothing is recorded and everything is rendered (no manifest is kept). The
    documents in ``held``, (year, name), are issued records: neither rendered nor reported (generator.change
    keeps them as issued).
    """
    item = Pending(agreement, out / str(agreement.year), BuildResult(agreement))
    recorded = item.manifest = manifest if source_file is not None else None
    data = data_files(allocation)
    known: dict[tuple, Sources] = {}  # the same template and data give the same inputs: hash them once
    contexts = Contexts(agreement, templates, reference_doc, pdf_engine)
    item.salt = contexts.salt
    for job in plan(agreement, allocation, recipient, municipal):
        if not municipal_documents and job.name.split("/")[0] in MUNICIPAL_FOLDERS:
            continue
        if (agreement.year, job.name) in held:
            continue
        sources, contents = None, {}
        if recorded is not None:
            kind = (job.template, job.name.split("/")[0] in DATA_FOLDERS, job.inputs)
            if kind not in known:
                known[kind] = job_sources(source_file, job, templates, data, reference_doc)
            sources = known[kind]
            paths = [item.folder / f"{job.name}.{fmt}" for fmt in formats]
            if not force and all(recorded.current(p, manifest_key(sources, p, pdf_engine)) for p in paths):
                item.result.skipped.extend(paths)
                continue
            context = contexts.of(job)
            item.keys.update(
                {p: (manifest_key(sources, p, pdf_engine), sources, file_context(context, p)) for p in paths}
            )
            if not force and all(recorded.same_context(p, file_context(context, p)) for p in paths):
                item.result.same.extend(paths)  # the template would be given the same data: the same document
                continue
            contents = {p: None if force else recorded.content(p) for p in paths}
        item.todo.append((job, sources, contents))
    if allocation is not None and allocation.items and recipient is None:
        sources = (
            Sources.of(([source_file] if source_file else []) + data + reference_files())
            if recorded is not None
            else None
        )
        context = contexts.of_tables(allocation) if recorded is not None else None
        for suffix, make in (("csv", payouts_csv), ("xlsx", payouts_xlsx)):
            path = item.folder / f"utbetalningar.{suffix}"
            if recorded is not None and sources is not None:  # both or neither
                if not force and recorded.current(path, sources.key):
                    item.result.skipped.append(path)
                    continue
                item.keys[path] = (sources.key, sources, file_context(context, path))
                if not force and recorded.same_context(path, file_context(context, path)):
                    item.result.same.append(path)
                    continue
            item.tables.append((path, make, allocation))
    return item


def pending_circular(
    validated: ValidatedCircular,
    out: Path,
    formats: list[str],
    templates: Path,
    reference_doc: Path | None,
    force: bool,
    pdf_engine: str,
    manifest: Manifest,
) -> Pending:
    """Return a circular's part of a build: skipped when its inputs are unchanged, else one document to render."""
    circular = validated.circular
    folder = out / str(circular.year)
    name = circular_name(circular)
    files = [validated.file, *validated.agreement_files, *template_files("cirkular.xml.j2", templates)]
    sources = Sources.of(files + ([reference_doc] if reference_doc else []))
    paths = [folder / f"{name}.{fmt}" for fmt in formats]
    item = Pending(None, folder, BuildResult(None), manifest=manifest)
    if not force and all(manifest.current(p, manifest_key(sources, p, pdf_engine)) for p in paths):
        item.result.skipped.extend(paths)
        return item
    item.salt = digest(
        [generator_id(), pdf_engine, Sources.of(reference_files() + ([reference_doc] if reference_doc else [])).files]
    )
    contents = {p: None if force else manifest.content(p) for p in paths}
    item.todo.append((Job(name, "cirkular.xml.j2", name, extra={"validated": validated}), sources, contents))
    item.keys = {p: (manifest_key(sources, p, pdf_engine), sources, None) for p in paths}
    return item
