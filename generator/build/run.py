"""What to build for an agreement, and writing it safely.

:func:`plan` lists the documents an agreement yields (one per decision, one
for SKL's genomförandeplan); :func:`build` renders each through its
template and writers, entirely in memory, and only then writes the files,
each atomically (a temporary file in the same folder, then ``os.replace``),
so a failure never leaves a truncated or half-updated document behind.
"""
from __future__ import annotations

import collections
import dataclasses
import functools
import gc
import hashlib
import os
import re
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from generator.money.distribute import PAYERS, YearAllocation
from generator.documents.model import Document
from generator.documents.county_letters import county_letters, recipient_letters
from generator.errors import Finding, GeneratorError, Location, RenderError
from generator.data.circulars import ValidatedCircular, circular_context
from generator.data.model import Agreement, Circular, CountyFill, Decision
from generator.data.municipal import statements
from generator.data.prose_figures import figure_context
from generator.cache.digest import Unknown, content_digest, digest
from generator.build.provenance import MANIFEST, Manifest, Sources, generator_id, output_bytes, template_files, write_atomic
from generator.data.reference import REFERENCE, council_of, counties, municipalities
from generator.documents.templating import TEMPLATES, ProseView, View, render_document, render_template


# The writers (python-docx, reportlab, Typst, openpyxl) are imported when a document is rendered, not before:
# a build that finds nothing changed, and `generator --help`, never load them.

def render_docx(document: Document, reference: Path | None = None) -> bytes:
    from generator.writers.docx import render_docx as render

    return render(document, reference)


def render_pdf_typst(document: Document) -> bytes:
    from generator.writers.typst import render_pdf

    return render_pdf(document)


def render_pdf_reportlab(document: Document) -> bytes:
    from generator.writers.pdf_reportlab import render_pdf

    return render_pdf(document)


def payouts_csv(allocation: YearAllocation) -> bytes:
    from generator.writers.payout_tables import payouts_csv as make

    return make(allocation)


def payouts_xlsx(allocation: YearAllocation) -> bytes:
    from generator.writers.payout_tables import payouts_xlsx as make

    return make(allocation)


PDF_ENGINES: dict[str, Callable[[Document], bytes]] = {"typst": render_pdf_typst, "reportlab": render_pdf_reportlab}
DEFAULT_PDF_ENGINE = "typst"  # tagged PDF/A-2a and PDF/UA-1; reportlab writes untagged PDF
WRITERS: dict[str, Callable[[Document], bytes]] = {"docx": render_docx, "pdf": PDF_ENGINES[DEFAULT_PDF_ENGINE]}

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
    codes: tuple[str, ...] = ()  # the recipients (municipality, council, county codes) the document is for
    inputs: tuple[Path, ...] = ()  # input files of its own (a municipality's file for its utlåtande)


LETTERS_FOLDER = "lansbrev"
COUNTY_AGREEMENTS_FOLDER = "lansoverenskommelser"
MUNICIPALITY_FOLDER = "kommunbrev"
COUNCIL_FOLDER = "landstingsbrev"
STATEMENT_FOLDER = "utlatanden"
#: Folders of documents computed from the key and outcome data (their data files are inputs).
DATA_FOLDERS = (LETTERS_FOLDER, MUNICIPALITY_FOLDER, COUNCIL_FOLDER, COUNTY_AGREEMENTS_FOLDER)
#: Folders of the municipalities' and county councils' own documents (``build --no-municipal`` leaves them out).
MUNICIPAL_FOLDERS = (MUNICIPALITY_FOLDER, COUNCIL_FOLDER, STATEMENT_FOLDER)


def plan(agreement: Agreement, allocation: YearAllocation | None = None, recipient: str | None = None,
         municipal: dict | None = None) -> list[Job]:
    """Return the documents an agreement yields, in a stable order.

    With an ``allocation`` and ``county_letters:`` in the data, one payout
    letter per county is added, under ``lansbrev/``, one per municipality
    (Region Gotland once) under ``kommunbrev/`` and one per county council
    under ``landstingsbrev/``. An agreement with ``municipal_statement:``
    yields an utlåtande (``utlatanden/``) for each municipality that has its own
    file in ``municipal`` (code → (file, path)). With ``recipient`` (a
    municipality, county council or county code) only the documents for that
    recipient, an utlåtande with blanks included if the municipality has no file.
    """
    jobs = list(_plan_once(agreement, allocation))
    if agreement.municipal_statement is not None:
        for st in statements(agreement, municipal or {}, recipient if recipient in municipalities() else None, allocation):
            name = f"{STATEMENT_FOLDER}/" + safe_name(f"utlatande_{st.code}_{municipalities()[st.code].short}").lower()
            jobs.append(Job(name, "utlatande.xml.j2", f"Utlåtande {agreement.year} – {st.name}",
                            extra={"st": st, "alloc": allocation.note if allocation is not None else None}, codes=(st.code,), inputs=(st.file,) if st.file else ()))
    if recipient is None:
        return jobs
    return [job for job in jobs if recipient in job.codes]


def _plan(agreement: Agreement, allocation: YearAllocation | None) -> list[Job]:
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
                            extra={"letter": letter, "alloc": allocation.note, "payers": PAYERS}, codes=(letter.county.code,)))
        for rl in recipient_letters(allocation):
            folder = MUNICIPALITY_FOLDER if rl.kind == "kommun" else COUNCIL_FOLDER
            name = f"{folder}/" + safe_name(f"{folder}_{rl.code}_{rl.name}").lower()
            jobs.append(Job(name, "mottagarbrev.xml.j2", f"{agreement.county_letters.title} – {rl.name}",
                            extra={"letter": rl, "alloc": allocation.note, "payers": PAYERS}, codes=rl.codes))
    if allocation is not None and agreement.county_agreements is not None:
        jobs.extend(county_agreement_jobs(agreement, allocation))
    return jobs


#: The last plans made, with the agreement and allocation they were made of: the build and its check for
#: clashing outputs plan the same agreement, and the letters to 290 municipalities are computed once.
_PLANS: dict[tuple[int, int], tuple[Agreement, YearAllocation | None, list[Job]]] = {}


def _plan_once(agreement: Agreement, allocation: YearAllocation | None) -> list[Job]:
    known = _PLANS.get((id(agreement), id(allocation)))
    if known is not None and known[0] is agreement and known[1] is allocation:
        return known[2]
    if len(_PLANS) >= 16:
        _PLANS.clear()
    jobs = _plan(agreement, allocation)
    _PLANS[(id(agreement), id(allocation))] = (agreement, allocation, jobs)
    return jobs


def county_agreement_jobs(agreement: Agreement, allocation: YearAllocation) -> list[Job]:
    """Return SKL's letter with the distribution (Bilaga 2) and one agreement per county (Bilaga 1)."""
    ca = agreement.county_agreements
    item = next(i for i in allocation.items if i.id == ca.payout)  # checked by validate
    amounts = {line.code: line.amount for line in item.lines}
    rows = [(county, amounts.get(code, 0)) for code, county in counties().items()]
    jobs = [Job(safe_name(f"skl_brev_{ca.payout}"), "skl_brev_fordelning.xml.j2", ca.letter.title,
                extra={"ca": ca, "item": item, "rows": rows})]
    for code, county in counties().items():
        members = [m for m in municipalities().values() if m.county == code]
        name = f"{COUNTY_AGREEMENTS_FOLDER}/" + safe_name(f"overenskommelse_{code}_{county.name}").lower()
        jobs.append(Job(name, "lansoverenskommelse.xml.j2", f"Överenskommelse – {county.name}",
                        extra={"ca": ca, "item": item, "county": county, "council": council_of(code),
                               "members": members, "amount": amounts.get(code, 0),
                               "fill": ca.counties.get(code) or CountyFill()}, codes=(code,)))
    return jobs


def output_conflicts(entries: list[tuple[Agreement, YearAllocation | None, Path]]) -> list[Finding]:
    """Return an error for each output path that two agreement files of one year would both write.

    Without it, the later file would silently overwrite the first's documents.
    """
    owners: dict[str, Path] = {}
    clashes: dict[tuple[Path, Path], list[str]] = {}
    for agreement, allocation, file in entries:
        names = [job.name for job in plan(agreement, allocation)]
        if allocation is not None and allocation.items:
            names.append("utbetalningar")
        for name in names:
            key = f"{agreement.year}/{name}"
            first = owners.setdefault(key, file)
            if first != file:
                clashes.setdefault((file, first), []).append(key)
    findings = []
    for (file, first), keys in clashes.items():
        shown = ", ".join(f"{k}.*" for k in keys[:3]) + (f" och {len(keys) - 3} till" if len(keys) > 3 else "")
        findings.append(Finding(Location(file), f"skriver {len(keys)} av samma filer som {first} ({shown}): "
                                "den senare skulle skriva över den förstas dokument",
                                hint="två överenskommelser samma år behöver olika dokument; ge bara en av dem "
                                     "beslut, brev, länsbrev eller länsöverenskommelser"))
    return findings


@dataclass
class Written:
    path: Path
    size: int
    seconds: float
    status: str  # "skriven" (written) | "oförändrad" (unchanged)


@dataclass
class BuildResult:
    agreement: Agreement | None
    written: list[Written] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # unchanged inputs: not rendered
    same: list[Path] = field(default_factory=list)  # changed inputs, the same content: left as they are


def render_job(agreement: Agreement, job: Job, templates: Path = TEMPLATES) -> Document:
    """Return the document model of one job."""
    extra = {"decision": job.decision} if job.decision is not None else {}
    extra.update(job.extra)
    return render_document(job.template, agreement, extra, templates)


def _writers(formats: list[str], reference_doc: Path | None,
             pdf_engine: str = DEFAULT_PDF_ENGINE) -> dict[str, Callable[[Document], bytes]]:
    if pdf_engine not in PDF_ENGINES:
        raise GeneratorError(f"okänd PDF-motor {pdf_engine!r}; välj bland {', '.join(PDF_ENGINES)}")
    for fmt in formats:
        if fmt not in WRITERS:
            raise GeneratorError(f"okänt format {fmt!r}; välj bland {', '.join(WRITERS)}")
    if not formats:
        raise GeneratorError("inget format angivet; välj bland " + ", ".join(WRITERS))
    writers = dict(WRITERS)
    if pdf_engine != DEFAULT_PDF_ENGINE:
        writers["pdf"] = PDF_ENGINES[pdf_engine]
    if reference_doc is not None:
        writers["docx"] = functools.partial(render_docx, reference=reference_doc)
    return writers


def _render(document: Document, name: str, folder: Path, formats: list[str], writers: dict,
            started: float, sources: Sources | None = None, content: str | None = None
            ) -> list[tuple[Path, bytes, float]]:
    if sources is not None:
        line = sources.line(content)
        document = dataclasses.replace(document, meta=dataclasses.replace(document.meta, source=line))
    rendered = []
    for fmt in formats:
        try:
            data = writers[fmt](document)
        except GeneratorError:
            raise
        except Exception as exc:  # a writer bug must still name the document
            raise RenderError(f"writing {name}.{fmt} failed: {type(exc).__name__}: {exc}") from exc
        rendered.append((folder / f"{name}.{fmt}", data, time.perf_counter() - started))
        started = time.perf_counter()
    return rendered


def _write_all(rendered: list[tuple], result: "BuildResult", keys: dict[Path, tuple] | None = None,
               manifest: Manifest | None = None) -> "BuildResult":
    """Write the rendered files, keeping the manifest true to the files at every moment.

    ``rendered`` holds (path, bytes, seconds[, content digest]); bytes None: the document's content is the
    same as the file's, which is left as it is (as are the files in ``result.same``), and only its manifest
    entry learns the new inputs key. Nothing is written until everything rendered. The manifest is written
    first with the new entries marked ``replacing`` (naming the hash of the file each replaces), then each
    file is replaced atomically, then the manifest is written without the marks. A build killed anywhere
    leaves every file old or new and a manifest that describes either (:meth:`Manifest.load` settles the marks).
    """
    replacing: dict[str, str | None] = {}
    recorded: set[Path] = set()  # recorded in the manifest before they were written
    kept = [path for path, data, *_ in rendered if data is None]
    result.same.extend(kept)
    rendered = [file for file in rendered if file[1] is not None]
    if manifest is not None:
        for path in result.same:
            if keys and path in keys:
                manifest.keep(path, keys[path][0], keys[path][2])
        for path, data, _, *content in rendered:
            old = output_bytes(path)
            if old == data:
                continue
            if keys and path in keys:
                manifest.record(path, keys[path][0], data, keys[path][1], keys[path][2], *content)
                recorded.add(path)
                replacing[manifest.name(path)] = hashlib.sha256(old).hexdigest() if old is not None else None
            else:
                manifest.forget(manifest.name(path))
        if replacing:
            write_atomic(manifest.folder / MANIFEST, manifest.to_bytes(replacing))
    # each file is staged beside its place (written and synced to disk) and renamed over it (write_atomic); a few
    # at once, in threads, so that the disk syncs overlap: a build killed at any moment leaves at most
    # WRITTEN_AT_ONCE temporary files (the next build removes them), never hundreds. The manifest on disk names
    # both hashes of each file being replaced, so the order they land in does not matter; the report keeps it.
    pending: collections.deque = collections.deque()
    with ThreadPoolExecutor(WRITTEN_AT_ONCE) as writer:
        for file in rendered:
            pending.append((file, writer.submit(write_atomic, file[0], file[1])))
            if len(pending) >= WRITTEN_AT_ONCE:
                _settle(*pending.popleft(), result, keys, manifest, recorded)
        while pending:
            _settle(*pending.popleft(), result, keys, manifest, recorded)
    if manifest is not None and (rendered or result.same):  # an agreement with nothing to write leaves it as it is
        write_atomic(manifest.folder / MANIFEST, manifest.to_bytes())
    return result


#: How many files :func:`_write_all` writes at once.
WRITTEN_AT_ONCE = 4


def _settle(file: tuple, future, result: "BuildResult", keys: dict | None, manifest: Manifest | None,
            recorded: set[Path]) -> None:
    """Wait for one file's write; report it and record it in the manifest (when it has a key and is not yet)."""
    path, data, seconds, *content = file
    changed = future.result()
    result.written.append(Written(path, len(data), seconds, "skriven" if changed else "oförändrad"))
    if manifest is not None and keys and path in keys and path not in recorded:
        manifest.record(path, keys[path][0], data, keys[path][1], keys[path][2], *content)


def job_sources(agreement_file: Path | None, job: Job, templates: Path, data_files: list[Path],
                reference_doc: Path | None = None) -> Sources:
    """Return the input files of one document: its agreement, the data it uses, its templates, the reference .docx."""
    files = [agreement_file] if agreement_file else []
    files += template_files(job.template, templates)
    if job.name.split("/")[0] in DATA_FOLDERS or "item" in job.extra:
        files += data_files + reference_files()
    files += list(job.inputs)
    if reference_doc is not None:
        files.append(reference_doc)
    return Sources.of(files)


class _Contexts:
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
        self.common = [generator_id(), pdf_engine, Sources.of(reference_files() + ([reference_doc] if reference_doc
                                                                                    else [])).files]
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
            return digest([self.common, self._templates[job.template], Sources.of(list(job.inputs)).files,
                           self._of_agreement(), job.name, job.template, job.title, job.decision,
                           sorted(job.extra.items())], self.memo)
        except Unknown:
            return None

    def of_tables(self, allocation: YearAllocation) -> str | None:
        """Return the digest of what the payout tables show: the agreement's year, title and total, every item
        with its lines, and the data files' labels (:func:`generator.writers.payout_tables.payouts_xlsx`)."""
        a = allocation.agreement
        try:
            return digest([self.common, "utbetalningar", a.year, a.title, a.total, allocation.items,
                           [d.label if d is not None else None for d in (allocation.population, allocation.outcomes)],
                           allocation.example], self.memo)
        except Unknown:
            return None


def _content(content: str, salt: str, path: Path) -> str:
    """Return the digest recorded for one file of a document: its content, the writers' configuration, the format."""
    return hashlib.sha256(f"{content}{salt}{path.suffix}".encode()).hexdigest()


def _context(context: str | None, path: Path) -> str | None:
    """Return the context digest of one file of a document (its format is part of it)."""
    return None if context is None else hashlib.sha256(f"{context}{path.suffix}".encode()).hexdigest()


def _key(sources: Sources, path: Path, pdf_engine: str) -> str:
    """Return the manifest key of ``path``: a PDF made by another engine than the default is another file."""
    if path.suffix == ".pdf" and pdf_engine != DEFAULT_PDF_ENGINE:
        return f"{sources.key}+{pdf_engine}"
    return sources.key


def build(agreement: Agreement, out: Path, formats: list[str], templates: Path = TEMPLATES,
          reference_doc: Path | None = None, allocation: YearAllocation | None = None,
          source_file: Path | None = None, force: bool = False, pdf_engine: str = DEFAULT_PDF_ENGINE,
          recipient: str | None = None, municipal: dict | None = None, jobs: int = 1) -> BuildResult:
    """Render every document of ``agreement`` in ``formats`` and write them under ``out/<year>/``.

    With ``recipient`` (a code), only that recipient's documents (its letter, its utlåtande) are
    rendered, for a quick look; the payout tables are not.

    ``reference_doc`` is a .docx whose styles, fonts and page setup the DOCX files take.
    With an ``allocation`` the county letters and the payout tables
    (``utbetalningar.csv`` and ``.xlsx``) are written too. With the
    agreement's ``source_file``, each document records its inputs (metadata
    and ``out/manifest.json``) and is skipped when they have not changed,
    unless ``force``. ``jobs`` > 1 renders in that many processes (see :func:`build_all`).
    """
    return build_all([(agreement, allocation, source_file, municipal)], out, formats, templates, reference_doc,
                     force, pdf_engine, recipient, jobs)[0]


@dataclass
class _Pending:
    """One agreement's part of a build: what was skipped, what to render, and the manifest keys."""

    agreement: Agreement | None  # None: a circular
    folder: Path
    result: BuildResult
    todo: list[tuple[Job, Sources | None, dict[Path, str | None]]] = field(default_factory=list)
    tables: list[tuple[Path, Callable[[YearAllocation], bytes], YearAllocation]] = field(default_factory=list)
    keys: dict[Path, tuple[str, Sources, str | None]] = field(default_factory=dict)  # inputs key, sources, context
    manifest: Manifest | None = None  # with the agreement's source file: the build's manifest
    salt: str = ""  # the digest of the writers' configuration (generator.build.run._Contexts)


def build_all(entries: list[tuple[Agreement, YearAllocation | None, Path | None, dict | None]], out: Path,
              formats: list[str], templates: Path = TEMPLATES, reference_doc: Path | None = None, force: bool = False,
              pdf_engine: str = DEFAULT_PDF_ENGINE, recipient: str | None = None, jobs: int = 1,
              municipal_documents: bool = True, circulars: list[ValidatedCircular] = ()) -> list[BuildResult]:
    """Build several agreements (agreement, allocation, source file, municipal files) as :func:`build` does each,
    then ``circulars`` as :func:`build_circular` does (their results follow the agreements').

    Without ``municipal_documents``, the municipalities' and county councils' own documents (:data:`MUNICIPAL_FOLDERS`)
    are neither rendered nor reported; their files and manifest entries stay as they are.

    The documents of all of them are rendered first, with ``jobs`` > 1 in a pool of that many
    processes; then, in the given order, each agreement's files are written and recorded in the
    manifest. The bytes, the order of the files and the messages are the same for any ``jobs``.
    """
    writers = _writers(formats, reference_doc, pdf_engine)
    manifest = Manifest.load(out) if circulars or any(entry[2] for entry in entries) else None
    pending: list[_Pending] = []
    for agreement, allocation, source_file, municipal in entries:
        item = _Pending(agreement, out / str(agreement.year), BuildResult(agreement))
        recorded = item.manifest = manifest if source_file is not None else None
        data_files = _data_files(allocation)
        known: dict[tuple, Sources] = {}  # the same template and data give the same inputs: hash them once
        contexts = _Contexts(agreement, templates, reference_doc, pdf_engine)
        item.salt = contexts.salt
        for job in plan(agreement, allocation, recipient, municipal):
            if not municipal_documents and job.name.split("/")[0] in MUNICIPAL_FOLDERS:
                continue
            sources, contents = None, {}
            if recorded is not None:
                kind = (job.template, job.name.split("/")[0] in DATA_FOLDERS, job.inputs)
                if kind not in known:
                    known[kind] = job_sources(source_file, job, templates, data_files, reference_doc)
                sources = known[kind]
                paths = [item.folder / f"{job.name}.{fmt}" for fmt in formats]
                if not force and all(recorded.current(p, _key(sources, p, pdf_engine)) for p in paths):
                    item.result.skipped.extend(paths)
                    continue
                context = contexts.of(job)
                item.keys.update({p: (_key(sources, p, pdf_engine), sources, _context(context, p)) for p in paths})
                if not force and all(recorded.same_context(p, _context(context, p)) for p in paths):
                    item.result.same.extend(paths)  # the template would be given the same data: the same document
                    continue
                contents = {p: None if force else recorded.content(p) for p in paths}
            item.todo.append((job, sources, contents))
        if allocation is not None and allocation.items and recipient is None:
            sources = Sources.of(([source_file] if source_file else []) + data_files + reference_files()) \
                if recorded is not None else None
            context = contexts.of_tables(allocation) if recorded is not None else None
            for suffix, make in (("csv", payouts_csv), ("xlsx", payouts_xlsx)):
                path = item.folder / f"utbetalningar.{suffix}"
                if sources is not None:
                    if not force and recorded.current(path, sources.key):
                        item.result.skipped.append(path)
                        continue
                    item.keys[path] = (sources.key, sources, _context(context, path))
                    if not force and recorded.same_context(path, _context(context, path)):
                        item.result.same.append(path)
                        continue
                item.tables.append((path, make, allocation))
        pending.append(item)
    pending += [_circular_pending(c, out, formats, templates, reference_doc, force, pdf_engine, manifest)
                for c in circulars]
    tasks = [task for item in pending
             for task in [(item.agreement, job, sources, item.folder, contents, item.salt)
                          for job, sources, contents in item.todo]
             + item.tables]
    rendered = iter(_render_tasks(tasks, formats, writers, templates, jobs))
    results = []
    for item in pending:
        files: list[tuple[Path, bytes, float]] = []
        for _ in range(len(item.todo) + len(item.tables)):
            files.extend(next(rendered))
        results.append((item, files))
    # nothing is written until everything rendered
    return [_write_all(files, item.result, item.keys, item.manifest) for item, files in results]


def default_jobs() -> int:
    """The number of processes a build renders in by default: the processors this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


#: How much rendering a document costs, roughly, against a letter to a municipality (2): the pool hands out the
#: largest first, so that no process is left alone at the end with a large document (the plan: 35 pages).
_WEIGHTS = {"genomforandeplan.xml.j2": 40, "lansbrev.xml.j2": 5, "lansoverenskommelse.xml.j2": 4,
            "skl_brev_fordelning.xml.j2": 4, "utlatande.xml.j2": 4, "cirkular.xml.j2": 8}
_TABLE_WEIGHTS = {".xlsx": 6, ".csv": 1}  # the payout tables (the .xlsx imports openpyxl; the .csv is a millisecond)

#: The documents the pool's workers render; a forked worker inherits it, so nothing is pickled but the bytes.
_TASKS: list = []

#: The build's Typst processes (:mod:`generator.writers.typst_service`), started by its first pool.
_SERVICE: list = []


def _render_one(task, formats: list[str], writers: dict, templates: Path) -> list[tuple[Path, bytes | None, float]]:
    """Render a document (agreement, job, sources, folder, recorded contents) or a payout table (path, function,
    allocation). A document whose content digest equals the one recorded for each of its files is not given to
    the writers: its files come back as (path, None, seconds), to be left as they are."""
    started = time.perf_counter()
    if len(task) == 3:
        path, make, allocation = task
        return [(path, make(allocation), time.perf_counter() - started)]
    agreement, job, sources, folder, contents, salt = task
    if agreement is None:  # a circular
        document = render_circular(job.extra["validated"], templates)
    else:
        document = render_job(agreement, job, templates)
    if sources is None:
        return _render(document, job.name, folder, formats, writers, started)
    content = content_digest(document)
    if contents and all(recorded == _content(content, salt, path) for path, recorded in contents.items()):
        return [(path, None, time.perf_counter() - started) for path in contents]
    return [(path, data, seconds, _content(content, salt, path))
            for path, data, seconds in _render(document, job.name, folder, formats, writers, started, sources, content)]


def _render_in_worker(index: int):
    try:
        return index, _render_one(*_TASKS[index])
    except BaseException:  # the parent renders it again and reports the error as a build in one process does
        return index, None


def _weight(task) -> int:
    return _TABLE_WEIGHTS.get(task[0].suffix, 6) if len(task) == 3 else _WEIGHTS.get(task[1].template, 2)


def _render_tasks(tasks: list, formats: list[str], writers: dict, templates: Path, jobs: int) -> list:
    """Return each task's rendered files, in the tasks' order; in ``jobs`` forked processes when that pays.

    The workers take the tasks largest first, one at a time, and compile their PDFs in the build's Typst
    processes (:func:`_with_service`), so that they stay small and never need replacing.
    """
    import multiprocessing
    import sys

    _keep_compiled(templates)
    workers = min(jobs, len(tasks))
    typst = sys.modules.get("generator.writers.typst")
    if (workers < 2 or len(tasks) < 4 or "fork" not in multiprocessing.get_all_start_methods()
            or (typst is not None and typst._compiler.cache_info().currsize)):
        # Typst runs threads once it has compiled: a process forked after that could hang, so render here
        return [_render_one(task, formats, writers, templates) for task in tasks]
    if writers.get("pdf") is render_pdf_typst and not _SERVICE:
        from generator.writers.typst_service import Service

        _SERVICE.append(Service())
    served = _with_service(writers)
    _TASKS[:] = [(task, formats, served, templates) for task in tasks]
    _warm(writers, tasks, templates)
    order = sorted(range(len(tasks)), key=lambda i: -_weight(tasks[i]))
    done: list = [None] * len(tasks)
    # what the workers inherit is left out of their garbage collector's passes, which would otherwise walk it
    # (and copy the pages they touch) again and again; the parent takes it back after the pool
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for index, files in pool.imap_unordered(_render_in_worker, order, chunksize=1):
                done[index] = files
    finally:
        gc.unfreeze()
        _TASKS.clear()
    return [files if files is not None else _render_one(task, formats, writers, templates)
            for task, files in zip(tasks, done)]


def _with_service(writers: dict) -> dict:
    """Return ``writers`` with Typst run in the build's Typst processes once they are started."""
    if _SERVICE and writers.get("pdf") is render_pdf_typst:
        return {**writers, "pdf": _SERVICE[0].render_pdf}
    return writers


def _keep_compiled(templates: Path) -> None:
    """Keep the templates' compiled code between builds (Jinja's bytecode cache, :mod:`generator.cache.compiled_templates`)."""
    from generator.cache.compiled_templates import keep_compiled
    from generator.documents.templating import make_environment

    keep_compiled(make_environment(templates))


def _warm(writers: dict, tasks: list, templates: Path) -> None:
    """Before forking: build the styled DOCX, import the writers and compile the templates, so workers share them.

    openpyxl is left to the worker that writes a payout table (83 ms that would otherwise wait in line)."""
    if "docx" in writers:
        from generator.writers.docx import prepare

        prepare(getattr(writers["docx"], "keywords", {}).get("reference"))
    if "pdf" in writers and writers["pdf"] is not render_pdf_typst:
        from generator.writers import pdf_reportlab  # noqa: F401
    from generator.documents.templating import make_environment

    environment = make_environment(templates)
    for name in sorted({task[1].template for task in tasks if len(task) != 3}):
        environment.get_template(name)


def _data_files(allocation: YearAllocation | None) -> list[Path]:
    if allocation is None:
        return []
    return [d.file for d in (allocation.population, allocation.outcomes) if d is not None] + list(allocation.files)


def reference_files() -> list[Path]:
    return sorted(REFERENCE.glob("*.csv"))


def circular_name(circular: Circular) -> str:
    return safe_name(f"cirkular_{circular.number.replace(':', '-')}")


def render_circular(validated: ValidatedCircular, templates: Path = TEMPLATES) -> Document:
    """Return the document model of a circular."""
    views = {a.id: View(a, figure_context(a)) for a in validated.agreements.values()}
    context = {"c": validated.circular, "views": views, "parts": validated.parts(),
               "own": ProseView(circular_context(validated.circular))}
    return render_template("cirkular.xml.j2", context, templates)


def build_circular(validated: ValidatedCircular, out: Path, formats: list[str], templates: Path = TEMPLATES,
                   reference_doc: Path | None = None, force: bool = False,
                   pdf_engine: str = DEFAULT_PDF_ENGINE) -> BuildResult:
    """Render a circular in ``formats`` and write it under ``out/<year>/cirkular_<nn-nn>.*``."""
    writers = _with_service(_writers(formats, reference_doc, pdf_engine))
    item = _circular_pending(validated, out, formats, templates, reference_doc, force, pdf_engine, Manifest.load(out))
    if not item.todo:
        return item.result
    (job, sources, contents), = item.todo
    _keep_compiled(templates)
    rendered = _render_one((None, job, sources, item.folder, contents, item.salt), formats, writers, templates)
    return _write_all(rendered, item.result, item.keys, item.manifest)


def _circular_pending(validated: ValidatedCircular, out: Path, formats: list[str], templates: Path,
                      reference_doc: Path | None, force: bool, pdf_engine: str, manifest: Manifest) -> _Pending:
    """Return a circular's part of a build: skipped when its inputs are unchanged, else one document to render."""
    circular = validated.circular
    folder = out / str(circular.year)
    name = circular_name(circular)
    files = [validated.file, *validated.agreement_files, *template_files("cirkular.xml.j2", templates)]
    sources = Sources.of(files + ([reference_doc] if reference_doc else []))
    paths = [folder / f"{name}.{fmt}" for fmt in formats]
    item = _Pending(None, folder, BuildResult(None), manifest=manifest)
    if not force and all(manifest.current(p, _key(sources, p, pdf_engine)) for p in paths):
        item.result.skipped.extend(paths)
        return item
    item.salt = digest([generator_id(), pdf_engine, Sources.of(reference_files() + ([reference_doc] if reference_doc
                                                                                  else [])).files])
    contents = {p: None if force else manifest.content(p) for p in paths}
    item.todo.append((Job(name, "cirkular.xml.j2", name, extra={"validated": validated}), sources, contents))
    item.keys = {p: (_key(sources, p, pdf_engine), sources, None) for p in paths}
    return item
