"""Whether a document is stale: ``generator check FILE…`` reads a document's provenance (the files and content
hashes it was made from) and compares it with the files as they are; ``check --issued`` compares each issued
document with what the data makes of it now."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.app import load_agreement
from generator.build.provenance import blob_id, parse_content, parse_line
from generator.change.data_diff import compare, pots_of, value_text
from generator.change.versions import git
from generator.data.validate import Validated
from generator.errors import DataError, GeneratorError

# --------------------------------------------------------------------------- check


@dataclass
class Check:
    file: Path
    current: bool
    generator: str | None
    changed: list[str]  # "path: what" lines
    details: list[str] = field(default_factory=list)


def provenance_of(file: Path) -> str:
    """Return the provenance line recorded in a generated DOCX or PDF ('' if none).

    The file is read within bounds (size, parts, inflated size); a damaged or hostile one is refused with a
    :class:`DataError`, never a traceback.
    """
    from generator.build.guards import read_document, refuse, zip_part

    file = Path(file)
    suffix = file.suffix.lower()
    if suffix not in {".docx", ".pdf"}:
        raise refuse(file, "bara .docx- och .pdf-dokument bär sitt ursprung")
    data = read_document(file)
    if suffix == ".docx":
        import xml.etree.ElementTree as ET

        from generator.writers.docx import PROVENANCE_PROPERTY
        from generator.writers.ooxml_zip import CUSTOM_PART

        part = zip_part(data, CUSTOM_PART, file)
        if part is None:
            return ""
        if b"<!DOCTYPE" in part or b"<!ENTITY" in part:
            raise refuse(file, "dokumentets egenskaper deklarerar entiteter; avvisas")
        try:
            root = ET.fromstring(part)
        except ET.ParseError as exc:
            raise refuse(file, f"dokumentets egna egenskaper är skadade ({exc})") from None
        ns = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
        found = {p.get("name", ""): "".join(p.itertext()) for p in root.iter(f"{ns}property")}
        return found.get(PROVENANCE_PROPERTY, "")
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise refuse(file, "inte en PDF-fil (den börjar inte med %PDF-)")
    from io import BytesIO

    from pypdf import PdfReader

    try:
        reader = PdfReader(BytesIO(data))
        # Both engines write it into the XMP packet, in the generator's namespace (generator.writers.pdf_metadata)
        catalog: Any = reader.trailer["/Root"].get_object()
        metadata = catalog.get("/Metadata")
        if metadata is not None:
            from generator.writers.pdf_metadata import read_provenance

            packet = metadata.get_object().get_data()[:2_000_000]
            try:
                provenance = read_provenance(packet)
            except ValueError:
                raise refuse(file, "dokumentets XMP-metadata deklarerar entiteter; avvisas") from None
            if provenance:
                return provenance
        info: dict[Any, Any] = reader.metadata or {}  # DocumentInformation: a dict
        # Documents made before: Typst wrote it as the last keyword (Info /Keywords), reportlab in /Creator
        for field_name in ("/Keywords", "/Creator"):
            value = str(info.get(field_name, ""))[:100_000]
            start = value.find("generator ")
            if start >= 0 and parse_line(value[start:])[1]:
                return value[start:]
        return ""
    except RecursionError:
        raise refuse(file, "PDF-filen är för djupt nästlad för att läsas") from None
    except GeneratorError:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise refuse(file, f"PDF-filen kan inte läsas ({type(exc).__name__})") from None


def check_document(file: Path) -> Check:
    """Return whether ``file`` still matches the files it was made from, and what changed since."""
    from generator.build.guards import refuse
    from generator.build.provenance import generator_id

    line = provenance_of(file)
    generator, sources = parse_line(line)
    if not sources:
        raise refuse(
            file, "inget ursprung i dess metadata (inte gjort av generatorn, eller gjort innan den började ange det)"
        )
    changed, details = [], []
    agreements: list[tuple[Path, str]] = []  # changed agreement files, with the blob id the document names
    from generator.cache.store import PACKAGE

    # Only the project's files and the generator's own (templates, reference lists) are read: a document's
    # metadata can name any path, and check must not be a way to probe files elsewhere.
    allowed = [Path.cwd().resolve(), PACKAGE.parent / "templates", PACKAGE.parent / "reference", PACKAGE]
    for path, ident in sources:
        current = Path(path)
        resolved = (Path.cwd() / current).resolve()
        if not any(resolved.is_relative_to(root) for root in allowed):
            changed.append(f"{path}: utanför projektmappen, inte kontrollerad")
            continue
        if not current.is_file():
            changed.append(f"{path}: finns inte längre")
            continue
        data = current.read_bytes()
        if blob_id(data) == ident:
            continue
        changed.append(f"{path}: har ändrats")
        details.extend(_cause_lines(current, ident, data))
        if current.suffix == ".yaml":
            agreements.append((current, ident))
    recorded = parse_content(line)
    if changed and recorded and all(c.endswith(": har ändrats") for c in changed):
        # A build leaves a document whose inputs changed but whose content did not as it is, naming the inputs
        # it was made from: render it from the data as they are now and compare the content.
        now = _content_now(file, sources)
        if now == recorded:
            details.append(
                "indata har ändrats men dokumentets innehåll är detsamma ("
                + ", ".join(c.removesuffix(": har ändrats") for c in changed)
                + ")"
            )
            changed, agreements = [], []
        elif now is not None:
            details.append("dokumentets innehåll är ett annat med data som de är nu")
    for current, ident in agreements:
        details.extend(_what_changed(current, ident, file))
    if generator != generator_id():
        details.append(f"skapat med generator {generator}, nu {generator_id()}")
    details.extend(_issued_as(dict(sources), recorded, file))
    return Check(file, not changed, generator, changed, details)


def _cause_lines(current: Path, ident: str, now: bytes) -> list[str]:
    """Return the values changed in the input ``current`` since the version ``ident`` (read from git), each as
    file:line: where: old → new; nothing when git no longer has that version."""
    from generator.change.causes import csv_changes, yaml_bytes_changes

    if current.suffix not in {".yaml", ".csv"}:
        return []
    try:
        old = git("cat-file", "-p", ident, cwd=current.resolve().parent)
    except GeneratorError:
        return []
    changes = (yaml_bytes_changes if current.suffix == ".yaml" else csv_changes)(old, now, str(current))
    return [f"  {c.text()}" for c in changes[:50]] + (
        [f"  … och {len(changes) - 50} ändrade värden till"] if len(changes) > 50 else []
    )


def _content_now(file: Path, sources: list[tuple[str, str]]) -> str | None:
    """Return the content digest of the document ``file`` as the data make it now; None if they no longer make
    it or cannot be read (the document is then reported as stale)."""
    from generator.cache.digest import content_digest

    document = _document_now(file, sources)
    return content_digest(document) if document is not None else None


def _document_now(file: Path, sources: list[tuple[str, str]]):
    """Return the document model of ``file`` as the data make it now; None if they no longer make it."""
    from generator.build.plan import circular_name, plan
    from generator.build.render import render_circular, render_job
    from generator.change.docdiff import document_name
    from generator.data.circulars import is_circular, load_circular
    from generator.data.validate import discover

    name = document_name(file)
    year = next((part for part in reversed(Path(file).parent.parts) if re.fullmatch(r"\d{4}", part)), None)
    if name is None or year is None:
        return None
    for path, _ in sources:
        source = Path(path)
        if source.suffix != ".yaml" or not source.is_file():
            continue
        try:
            if is_circular(source):
                agreements = [
                    (load_agreement(f).agreement, f) for f in discover((source.parent,)) if not is_circular(f)
                ]
                validated = load_circular(source, agreements)
                if str(validated.circular.year) == year and circular_name(validated.circular) == name:
                    return render_circular(validated)
                continue
            current = load_agreement(source)
        except GeneratorError:
            continue
        if str(current.agreement.year) != year:
            continue
        for job in plan(current.agreement, current.allocation, municipal=current.municipal):
            if job.name == name:
                return render_job(current.agreement, job)
    return None


def _issued_as(sources: dict[str, str], content: str | None, file: Path) -> list[str]:
    """Return what the issue record of this document says: which record it is (this document's own only), whether
    this file is the issued version, and, when the data now give it another text, the changed sentences."""
    from generator.cache.digest import content_digest
    from generator.change.docdiff import document_lines, document_name, text_changes
    from generator.change.issuing import ISSUED, record_for

    name = document_name(file)
    year = next((part for part in reversed(Path(file).parent.parts) if re.fullmatch(r"\d{4}", part)), None)
    if name is None or year is None:
        return []
    record = record_for(ISSUED, int(year), name)  # a damaged record is an error naming it, never skipped
    if record is None:
        return []
    issued = record.issued_document()
    this = record.sources == sources or (content is not None and content_digest(issued) == content)
    out = [
        f"utfärdad version: {record.year}/{record.document}, utfärdad {record.issued.isoformat()} ({record.path})"
        + ("" if this else "; den här filen är inte den utfärdade versionen")
    ]
    now = _document_now(file, list(sources.items()))
    if now is None or now == issued:
        return out
    (a, _), (b, headings) = document_lines(issued), document_lines(now)
    changes = text_changes(a, b, headings)
    out.append(
        f"data ger nu en annan text än den utfärdade ({len(changes)} {'ändring' if len(changes) == 1 else 'ändringar'};"
        f" generator build skriver ett utkast i output/{record.year}/andringar/):"
    )
    for change in changes:
        if change.old is not None and change.new is not None:
            out.extend([f"  före:  {change.old}", f"  efter: {change.new}"])
        elif change.old is not None:
            out.append(f"  utgår: {change.old}")
        else:
            out.append(f"  nytt:  {change.new}")
    return out


@dataclass
class IssuedCheck:
    record: Any
    changes: int  # tracked changes a redline would have; 0: the document reads as issued
    figures: list[str] = field(default_factory=list)
    missing: bool = False  # the data no longer makes this document
    diff: Any = None  # data_diff.Diff from the issued version to now (when the text changed)
    addressee: str = ""  # a decision's addressee (who receives an ändringsbeslut)


def check_issued(folder: Path, validated: list[Validated]) -> list[IssuedCheck]:
    """Return, for every issued document of the ``validated`` agreements, whether its text changed since issuing."""
    from generator.build.plan import plan
    from generator.build.render import render_job
    from generator.change.causes import record_changes
    from generator.change.issuing import issued_version, records_of_agreement
    from generator.change.redline import redline

    out = []
    for current in validated:
        versions: dict = {}
        diffs: dict = {}
        jobs = {job.name: job for job in plan(current.agreement, current.allocation, municipal=current.municipal)}
        for record in records_of_agreement(folder, current.file):
            record.verify()  # the text as issued and every input copy: a damaged record is an error, never a baseline
            job = jobs.get(record.document)
            if job is None:
                out.append(IssuedCheck(record, 0, missing=True))
                continue
            _, count = redline(record.issued_document(), render_job(current.agreement, job), "", "2000-01-01")
            figures = []
            if count:
                snapshot = tuple(sorted({**record.data, **record.sources}.items()))
                if snapshot not in versions:
                    versions[snapshot] = issued_version(record)
                    diffs[snapshot] = compare(versions[snapshot], current, "utfärdad", "nu", documents=False)
                    diffs[snapshot].inputs = record_changes(record)  # the issued copies against the files now
                    diffs[snapshot].pots = pots_of(diffs[snapshot].inputs, current.agreement)
                diff = diffs[snapshot]
                figures = [f"{c.name}: {value_text(c.old)} → {value_text(c.new)}" for c in diff.figures + diff.totals]
                addressee = job.decision.addressee.name if job.decision is not None else ""
                out.append(IssuedCheck(record, count, figures, diff=diff, addressee=addressee))
                continue
            out.append(IssuedCheck(record, count, figures))
    return out


def _what_changed(current: Path, old_blob: str, document: Path | None = None) -> list[str]:
    """Return what changed in ``document`` (its sentences and rows) since the version of ``current`` with ``old_blob``.

    Without a document name that the agreement yields, the changed figures of the agreement are listed instead.
    """
    from generator.change.docdiff import changes_text, document_name

    try:
        old_text = git("cat-file", "-p", old_blob, cwd=current.resolve().parent)
    except GeneratorError:
        return [f"  (den version av {current} som dokumentet gjordes av finns inte i git; jämför med generator diff)"]
    # the old version is read beside the current file, so the files it names relative to itself are found
    with tempfile.NamedTemporaryFile(
        "wb", dir=current.resolve().parent, prefix=f".{current.stem}.", suffix=".yaml"
    ) as handle:
        handle.write(old_text)
        handle.flush()
        try:
            old = load_agreement(Path(handle.name), sums_as_warnings=True)
            new = load_agreement(current, sums_as_warnings=True)
        except DataError:
            return ["  (den gamla eller nya versionen kan inte valideras)"]
        name = document_name(document) if document is not None else None
        diff = compare(old, new, "dokumentets version", str(current), documents={name} if name else False)
    ours = [d for d in diff.document_changes if d.name == name]
    if ours:
        if ours[0].status == "oförändrat":
            return [f"  dokumentets text ändras inte av ändringarna i {current} (det kan byggas om med samma innehåll)"]
        return [
            f"  i dokumentet ({len(ours[0].changes)} {'ändring' if len(ours[0].changes) == 1 else 'ändringar'}):"
        ] + changes_text([d for d in ours], indent="  ")[1:]
    return [f"  {c.name}: {value_text(c.old)} → {value_text(c.new)}" for c in diff.figures + diff.totals]
