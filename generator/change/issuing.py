"""Issued documents: the record that a document was sent or signed, and from what.

``generator issue 2011 regeringsbeslut`` writes, for each matching document
of the agreement, a record in ``issued/<year>/<document>.yaml`` beside the
document exactly as it was issued, ``issued/<year>/<document>.xml`` (its
document model as markup, see :func:`generator.documents.model.document_markup`),
and a copy of every input file it was made from under
``issued/inputs/<blob id>`` (content-addressed, so a file shared by many
documents is kept once). The folder lives in the repository beside
``agreements/``, so the record is committed and travels with the data.

Why a snapshot and not only a git commit: a document is often issued from a
working tree with uncommitted changes, and a commit can later be rebased or
squashed away; the blob ids say which version, the snapshot guarantees it
can be read back. The git commit (and whether the tree was clean) is
recorded too, for the reader. The document markup makes the comparison
independent of later template or generator changes: a redline marks what
changed in the text, against what was actually sent.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.build.plan import Job, plan
from generator.build.provenance import Sources, blob_id, display, generator_id
from generator.build.render import render_job
from generator.build.skipping import data_files, job_sources
from generator.data.validate import Validated
from generator.documents.model import Document, document_markup, parse_document
from generator.documents.templating import TEMPLATES
from generator.errors import DataError, Finding, GeneratorError, Location

ISSUED = Path("issued")
INPUTS = "inputs"


def record_error(path: Path, message: str, field_name: str | None = None) -> DataError:
    """Return the error (exit status 2) for a damaged issued record: it names the record's file (and field)."""
    return record_error_at(Location(Path(path)), message, field_name)


def record_error_at(where: Location, message: str, field_name: str | None = None) -> DataError:
    finding = Finding(where, message, path=field_name or "")
    return DataError(str(finding), [finding])


@dataclass(frozen=True)
class IssueRecord:
    """One issued document: which, when, by whom, from which inputs, and its text as issued."""

    folder: Path  # the issued/ folder
    year: int
    document: str  # the job name, e.g. regeringsbeslut_II-7_2011-06-16_utbetalning or lansbrev/lansbrev_01_…
    agreement: str  # the agreement file, as recorded (relative to the project folder)
    issued: dt.date
    by: str
    sources: dict[str, str]  # input file → git blob id
    commit: str | None = None
    clean: bool | None = None
    data: dict[str, str] = field(default_factory=dict)  # further files the agreement reads (keys, outcomes, tables)
    text: str = ""  # the git blob id of the text as issued (the .xml): verified whenever it is read

    @property
    def path(self) -> Path:
        return self.folder / str(self.year) / f"{self.document}.yaml"

    @property
    def markup_path(self) -> Path:
        return self.folder / str(self.year) / f"{self.document}.xml"

    def markup(self) -> bytes:
        """Return the text as issued (the .xml), verified against the hash the record names."""
        try:
            data = self.markup_path.read_bytes()
        except FileNotFoundError:
            raise record_error(self.markup_path, "texten som den utfärdades saknas (filen är borttagen)") from None
        if blob_id(data) != self.text:
            raise record_error(
                self.markup_path,
                f"texten som den utfärdades stämmer inte med kontrollsumman i {self.path} "
                "(filen är ändrad, avkortad eller utbytt); hämta den ur git (git checkout -- issued/)",
            )
        return data

    def issued_document(self) -> Document:
        """Return the document model as it was issued (its text verified first)."""
        return parse_document(self.markup().decode("utf-8"))

    def snapshot(self, name: str, ident: str) -> bytes:
        """Return the issued copy of the input ``name`` (blob ``ident``), verified against its blob id."""
        path = self.folder / INPUTS / ident
        try:
            data = path.read_bytes() if path.is_file() else None
        except OSError:
            data = None
        if data is None:
            raise record_error(
                path, f"den utfärdade versionen av {name}, som {self.path} anger, saknas (filen är borttagen)"
            )
        if blob_id(data) != ident:
            raise record_error(
                path,
                f"den utfärdade versionen av {name} stämmer inte med sitt blob-id i {self.path} (filen är ändrad, "
                "avkortad eller utbytt); hämta den ur git (git checkout -- issued/)",
            )
        return data

    def verify(self) -> None:
        """Check the text as issued and every input copy against their recorded hashes (:func:`record_error`)."""
        self.markup()
        for name, ident in {**self.data, **self.sources}.items():
            self.snapshot(name, ident)

    def files(self) -> list[Path]:
        """Return the files of this record (the record, the markup): inputs of a redline."""
        return [self.path, self.markup_path]

    def restore(self, target: Path) -> Path:
        """Write the issued version's inputs under ``target`` at their recorded paths; return the agreement's copy."""
        for name, ident in {**self.data, **self.sources}.items():
            content = self.snapshot(name, ident)
            relative = Path(name)
            if relative.is_absolute() or ".." in relative.parts:  # recorded outside the project: keep its name
                relative = Path("_outside") / relative.name
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(content)
        agreement = Path(self.agreement)
        if agreement.is_absolute() or ".." in agreement.parts:
            agreement = Path("_outside") / agreement.name
        return target / agreement

    def to_yaml(self) -> str:
        data = {
            "document": self.document,
            "year": self.year,
            "agreement": self.agreement,
            "issued": self.issued.isoformat(),
            "by": self.by,
            "git": {"commit": self.commit, "clean": self.clean},
            "sources": dict(sorted(self.sources.items())),
            "text": self.text,
        }
        if self.data:
            data["data"] = dict(sorted(self.data.items()))
        head = (
            "# Utfärdat dokument (generator issue): den version av dokumentet som skickades eller undertecknades.\n"
            f"# Dess text som den utfärdades: {self.markup_path.name}; dess indata: {INPUTS}/<blob-id>.\n"
        )
        return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _git_state(cwd: Path, files: list[str]) -> tuple[str | None, bool | None]:
    """Return HEAD and whether ``files`` (the inputs) are as committed there; (None, None) outside git."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, check=True, text=True
        ).stdout.strip()
        top = Path(
            subprocess.run(
                ["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True, check=True, text=True
            ).stdout.strip()
        ).resolve()
        inside = [str(Path(f).resolve()) for f in files if Path(f).resolve().is_relative_to(top)]
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", *inside], cwd=cwd, capture_output=True, check=True, text=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None, None
    return commit, not status.strip()


def matching_jobs(jobs: list[Job], names: tuple[str, ...]) -> list[Job]:
    """Return the jobs named by ``names``: a document's name, or its beginning (``regeringsbeslut``, ``lansbrev``)."""
    chosen: list[Job] = []
    for name in names:
        name = name.removesuffix(".docx").removesuffix(".pdf")
        found = [j for j in jobs if j.name == name] or [
            j for j in jobs if j.name.startswith(name) or j.name.rsplit("/", 1)[-1].startswith(name)
        ]
        if not found:
            raise GeneratorError(
                f"inget dokument {name!r}; överenskommelsens dokument är: " + ", ".join(j.name for j in jobs)
            )
        chosen.extend(j for j in found if j not in chosen)
    return chosen


def issue(
    validated: Validated,
    names: tuple[str, ...],
    folder: Path = ISSUED,
    date: dt.date | None = None,
    by: str = "",
    templates: Path = TEMPLATES,
) -> list[IssueRecord]:
    """Record the named documents of an agreement as issued today (or on ``date``); return the records written."""
    agreement = validated.agreement
    jobs = matching_jobs(plan(agreement, validated.allocation, municipal=validated.municipal), names)
    records = []
    for job in jobs:
        sources = job_sources(validated.file, job, templates, data_files(validated.allocation))
        # every file the agreement reads, so that the issued version can be loaded again, not only this document's
        data = {
            name: ident
            for name, ident in Sources.of(data_files(validated.allocation)).files
            if name not in dict(sources.files)
        }
        commit, clean = _git_state(validated.file.resolve().parent, [name for name, _ in sources.files] + list(data))
        record = IssueRecord(
            folder,
            agreement.year,
            job.name,
            display(validated.file),
            date or dt.date.today(),
            by,
            dict(sources.files),
            commit,
            clean,
            data,
        )
        document = render_job(agreement, job, templates)
        own = _document_date(document)
        if date is not None and own is not None and date < own:
            raise DataError(
                f"--date {date.isoformat()}: utfärdandet kan inte vara före dokumentets eget datum "
                f"({own.isoformat()}, {job.name}); ange dagen det skickades eller undertecknades"
            )
        markup = document_markup(document).encode("utf-8")
        record = dataclasses.replace(record, text=blob_id(markup))
        for name, ident in [*sources.files, *data.items()]:
            snapshot = folder / INPUTS / ident
            if not snapshot.exists():
                content = Path(name).read_bytes()
                if blob_id(content) != ident:  # changed between reading and copying
                    raise GeneratorError(f"{name} ändrades medan det utfärdades; kör kommandot igen")
                _write(snapshot, content)
        _write(record.markup_path, markup)
        _write(record.path, record.to_yaml().encode("utf-8"))
        records.append(record)
    return records


def _document_date(document: Document) -> dt.date | None:
    """Return the document's own date (its properties' date), or None."""
    try:
        return dt.date.fromisoformat(document.meta.date) if document.meta.date else None
    except ValueError:
        return None


def _write(path: Path, data: bytes) -> None:
    from generator.build.provenance import write_atomic

    write_atomic(path, data)


def load_record(path: Path, folder: Path = ISSUED) -> IssueRecord:
    """Return the record in ``path`` (``issued/<year>/<document>.yaml``); a damaged one is an error (exit
    status 2) naming the file and the field."""
    from generator.data.loading import load_yaml

    try:
        data, where = load_yaml(path)  # bounded: a record is a file a user could edit (aliases, size, depth)
    except DataError as exc:
        raise DataError(f"{path}: ingen läsbar uppgift om utfärdande", exc.findings) from None
    except OSError as exc:
        raise record_error(path, f"uppgiften om utfärdande kan inte läsas ({exc.strerror or exc})") from None
    if not isinstance(data, dict):
        raise record_error(path, "ingen uppgift om utfärdande (filen är inte en YAML-mappning)")

    def bad(name: str, message: str) -> DataError:
        try:
            location = where.locate((name,)) if name in data else Location(Path(path))
        except Exception:  # noqa: BLE001 - the source map cannot place it: the file is named all the same
            location = Location(Path(path))
        return record_error_at(location, message, name)

    def text(name: str) -> str:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            raise bad(name, "saknas eller är inte en text")
        return value

    def files(name: str) -> dict[str, str]:
        value = data.get(name) or {}
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and re.fullmatch(r"[0-9a-f]{40}", v) for k, v in value.items()
        ):
            raise bad(name, "ska vara indatafiler med sina blob-id (40 hexadecimala tecken)")
        return dict(value)

    document = text("document")
    parts = Path(document).parts
    if ".." in parts or Path(document).is_absolute() or "\\" in document or not parts:
        raise bad("document", f"{document!r} är inget dokumentnamn (det får inte innehålla '..' eller börja med /)")
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2200:
        raise bad("year", f"{year!r} är inget årtal")
    issued = data.get("issued")
    if not isinstance(issued, dt.date) or isinstance(issued, dt.datetime):
        try:
            issued = dt.date.fromisoformat(str(issued))
        except ValueError:
            raise bad("issued", f"{issued!r} är inget datum (ÅÅÅÅ-MM-DD)") from None
    git = data.get("git") or {}
    if not isinstance(git, dict):
        raise bad("git", "ska vara en mappning med commit och clean")
    markup = data.get("text")
    if not isinstance(markup, str) or not re.fullmatch(r"[0-9a-f]{40}", markup):
        raise bad("text", "kontrollsumman för texten som den utfärdades saknas eller är felaktig; utfärda igen")
    record = IssueRecord(
        folder,
        year,
        document,
        text("agreement"),
        issued,
        str(data.get("by") or ""),
        files("sources"),
        str(git["commit"]) if git.get("commit") else None,
        git.get("clean") if isinstance(git.get("clean"), bool) else None,
        files("data"),
        markup,
    )
    if Path(record.path) != Path(path):  # a record moved or copied under another name: not this document's
        raise bad("document", f"uppgiften gäller {year}/{document}, inte {path}")
    return record


def records(folder: Path = ISSUED, year: int | None = None) -> list[IssueRecord]:
    """Return every issue record under ``folder`` (of ``year``), sorted by document."""
    if not folder.is_dir():
        return []
    years = [folder / str(year)] if year is not None else sorted(p for p in folder.iterdir() if p.name.isdigit())
    found = [load_record(p, folder) for y in years if y.is_dir() for p in sorted(y.rglob("*.yaml"))]
    return sorted(found, key=lambda r: (r.year, r.document))


def record_for(folder: Path, year: int, document: str) -> IssueRecord | None:
    path = folder / str(year) / f"{document}.yaml"
    return load_record(path, folder) if path.is_file() else None


def records_of_agreement(folder: Path, agreement_file: Path) -> list[IssueRecord]:
    """Return the records of documents made from ``agreement_file``."""
    wanted = display(agreement_file)
    return [r for r in records(folder) if r.agreement == wanted]


def issued_sources_key(record: IssueRecord, sources: Sources, extra: str) -> str:
    """Return the input key of a redline or amending decision: the record, the document's inputs, the options."""
    import hashlib

    digest = hashlib.sha256(f"{sources.key}\0{generator_id()}\0{extra}".encode())
    for path in record.files():
        digest.update(b"\0" + blob_id(path.read_bytes()).encode())
    return digest.hexdigest()


# ----------------------------------------------------------------------- after issuing: redlines and amending decisions

CHANGES_FOLDER = "andringar"


@dataclass(frozen=True)
class RedlineOptions:
    """Who and when the tracked changes are attributed to.

    ``author`` None: the document's own author (the department, SKL).
    ``date`` None: ``SOURCE_DATE_EPOCH`` if set, else the day of the change: the day the newest of the inputs
    that differ from the issued ones was last modified (never the clock, so a rebuild gives the same bytes).
    """

    author: str | None = None
    date: dt.date | None = None

    def configured_date(self) -> dt.date | None:
        """Return the date given (option, else ``SOURCE_DATE_EPOCH``), or None."""
        import os

        if self.date is not None:
            return self.date
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        return None

    def date_for(self, record: IssueRecord, sources: Sources | None = None) -> dt.date:
        """Return the date of the tracked changes against ``record``: the configured date, else the day of the
        change (:func:`change_day`)."""
        return self.configured_date() or change_day(record, sources)


def change_day(record: IssueRecord, sources: Sources | None) -> dt.date:
    """Return the day the inputs changed since ``record`` was issued: the newest modification day (UTC) of the
    input files whose blob id is not the issued one; the day it was issued if none can be told."""
    issued = {**record.data, **record.sources}
    days = []
    for name, ident in sources.files if sources is not None else ():
        if issued.get(name) != ident:
            try:
                days.append(dt.datetime.fromtimestamp(Path(name).stat().st_mtime, dt.UTC).date())
            except OSError:
                continue
    return max([record.issued, *days])


def issued_version(record: IssueRecord) -> Validated:
    """Return the agreement as it was when ``record``'s document was issued (from the snapshot)."""
    import tempfile

    from generator.app import load_agreement
    from generator.errors import DataError

    with tempfile.TemporaryDirectory() as tmp:
        agreement = record.restore(Path(tmp))
        try:
            return load_agreement(agreement, sums_as_warnings=True)
        except DataError as exc:
            raise DataError(
                f"{record.path}: den utfärdade versionen av {record.agreement} är inte giltig nu",
                relocated(exc.findings, Path(tmp), record),
            ) from None


def relocated(findings: list[Finding], tmp: Path, record: IssueRecord) -> list[Finding]:
    """Return ``findings`` about the issued copies restored under ``tmp`` as findings about the issued version:
    never the name of a temporary folder."""
    out = []
    for finding in findings:
        where = finding.location
        try:
            relative = Path(where.file).resolve().relative_to(tmp.resolve())
        except ValueError:
            out.append(finding)
            continue
        file = Path(f"{relative.as_posix()} (utfärdad version, {record.path})")
        out.append(dataclasses.replace(finding, location=dataclasses.replace(where, file=file)))
    return out


def changes_name(document: str, what: str) -> str:
    """Return the output name (under OUT/<year>/) of a redline (``andringsmarkerad``) or amending decision."""
    return f"{CHANGES_FOLDER}/{document}.{what}"


def held_documents(folder: Path, validated: list[Validated]) -> set[tuple[int, str]]:
    """Return (year, document) of every issued document of ``validated``: a build leaves their files in
    ``output/`` as issued (:func:`build_issued` restores them and writes a new text as a draft)."""
    if not folder.is_dir():
        return set()
    held = set()
    for current in validated:
        for record in records_of_agreement(folder, current.file):
            held.add((record.year, record.document))
    return held


def build_issued(
    validated: Validated,
    out: Path,
    formats: list[str],
    folder: Path = ISSUED,
    options: RedlineOptions = RedlineOptions(),
    templates: Path = TEMPLATES,
    force: bool = False,
    pdf_engine: str | None = None,
):
    """Keep every issued document of ``validated`` as issued, and write what a changed one needs; return a
    :class:`generator.build.run.BuildResult`.

    The issued file ``OUT/<year>/<document>.docx|pdf`` is never replaced (the build leaves it, see
    :func:`held_documents`); if it is missing it is written again from the text as issued. When the data give
    the document another text: ``OUT/<year>/andringar/<document>.utkast.docx|pdf``, the new version marked as a
    draft (:mod:`generator.change.drafts`), ``….andringsmarkerad.docx|pdf``, the new version with every change
    as a tracked change, and for a decision whose figures changed a draft ändringsbeslut,
    ``….andringsbeslut.docx|pdf``. They are removed again when the data is back as issued.
    """
    import time

    from generator.build.formats import DEFAULT_PDF_ENGINE, choose_writers
    from generator.build.provenance import MANIFEST, Manifest, write_atomic
    from generator.build.render import render_files
    from generator.build.write import BuildResult, Written
    from generator.cache.digest import content_digest
    from generator.change.amending import amending_decision
    from generator.change.drafts import draft_of
    from generator.change.redline import redline
    from generator.writers.docx import render_docx

    result = BuildResult(validated.agreement)
    mine = records_of_agreement(folder, validated.file)
    if not mine:
        return result
    # the ändringsbeslut: the writers of every document (the chosen PDF engine)
    writers = choose_writers(formats, None, pdf_engine) if pdf_engine else choose_writers(formats, None)
    # the redline: writers that show tracked changes (both PDF engines mark them; Typst's PDF is tagged)
    redline_writers = {**writers, "docx": render_docx}
    pdf_engine = pdf_engine or DEFAULT_PDF_ENGINE  # named in the key: a redline made by another engine is rebuilt
    manifest = Manifest.load(out)
    jobs = {job.name: job for job in plan(validated.agreement, validated.allocation, municipal=validated.municipal)}
    year_folder = out / str(validated.agreement.year)
    old_versions: dict[tuple, Validated] = {}
    for record in mine:
        record.verify()  # the text as issued and every input copy, against their recorded hashes
        issued_paths = [year_folder / f"{record.document}.{fmt}" for fmt in formats]
        if any(not p.exists() for p in issued_paths):  # the issued file is the record: written again as issued
            started = time.perf_counter()
            issued_sources = Sources(tuple(sorted(record.sources.items())))
            old = record.issued_document()
            for path, data, seconds in render_files(
                old, record.document, year_folder, formats, writers, started, issued_sources, content_digest(old)
            ):
                if not path.exists():
                    path.parent.mkdir(parents=True, exist_ok=True)
                    write_atomic(path, data)
                    result.written.append(Written(path, len(data), seconds, "återställd"))
                    manifest.record(path, issued_sources.key, data, issued_sources, None, content_digest(old))
        job = jobs.get(record.document)
        if job is None:
            continue  # the document is no longer made from the data (reported by check --issued)
        sources = job_sources(validated.file, job, templates, data_files(validated.allocation))
        day = options.date_for(record, sources)
        author_date = f"{options.author}|{day.isoformat()}|{options.configured_date()}|{pdf_engine}"
        key = issued_sources_key(record, sources, author_date)
        all_sources = Sources(
            tuple(sorted(set(sources.files) | {(display(p), blob_id(p.read_bytes())) for p in record.files()}))
        )
        outputs = {
            what: [year_folder / f"{changes_name(record.document, what)}.{fmt}" for fmt in formats]
            for what in ("utkast", "andringsmarkerad", "andringsbeslut")
        }
        paths = [p for group in outputs.values() for p in group]
        if (
            not force
            and all(manifest.current(p, key) for p in paths if manifest.name(p) in manifest.entries)
            and any(manifest.name(p) in manifest.entries for p in paths)
        ):
            result.skipped.extend(p for p in paths if p.exists())
            continue
        started = time.perf_counter()
        new = render_job(validated.agreement, job, templates)
        old = record.issued_document()
        marked, count = redline(
            old,
            new,
            options.author or new.meta.author or "generator",
            day.isoformat(),
            note=f"Ändringsmarkerad mot utfärdad version {record.issued.isoformat()}",
        )
        documents = {}
        if count:
            decision = job.decision is not None
            documents["utkast"] = draft_of(new, record.issued, options.configured_date() if decision else day, decision)
            documents["andringsmarkerad"] = marked
            if job.decision is not None:
                snapshot = (record.agreement, tuple(sorted({**record.data, **record.sources}.items())))
                if snapshot not in old_versions:
                    old_versions[snapshot] = issued_version(record)
                before = old_versions[snapshot]
                issued_decision = next((d for d in before.agreement.decisions if d.id == job.decision.id), job.decision)
                amendment = amending_decision(issued_decision, before, validated, options.configured_date())
                if amendment is not None:
                    documents["andringsbeslut"] = amendment
        rendered = []
        for what, document in documents.items():
            name = changes_name(record.document, what)
            chosen = redline_writers if what == "andringsmarkerad" else writers
            rendered.extend(render_files(document, name, year_folder, formats, chosen, started, all_sources))
            started = time.perf_counter()
        made = {path for path, _, _ in rendered}
        for path, data, seconds in rendered:
            path.parent.mkdir(parents=True, exist_ok=True)
            changed = write_atomic(path, data)
            result.written.append(Written(path, len(data), seconds, "skriven" if changed else "oförändrad"))
            manifest.record(path, key, data, all_sources)
        for path in paths:  # back as issued (or no figure of a decision changed): no redline, no amendment
            if path not in made:
                if path.exists():
                    path.unlink()
                    result.written.append(Written(path, 0, 0.0, "borttagen"))
                manifest.forget(manifest.name(path))
    write_atomic(out / MANIFEST, manifest.to_bytes())
    return result
