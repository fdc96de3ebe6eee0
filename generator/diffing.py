"""What a change of the data changes: figures, totals, recipients' payouts, documents; and whether a document is stale.

``generator diff A B`` compares two versions of an agreement: two files, or
one file at a git revision (``agreements/2012.yaml@HEAD~1``). A version at a
revision is read with ``git show``, with the key and outcome files it names
at the same revision, into a temporary folder, and validated like any file.
``generator check FILE…`` reads a document's provenance (the files and
content hashes it was made from) and compares it with the files as they are.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .errors import DataError, Finding, GeneratorError, Location
from .formatting import datum, kronor
from .model import Agreement
from .prose import figure_context, render_prose, section_parts_sum, table_rows_sum, walk_sections
from .provenance import MANIFEST, blob_id, display, parse_content, parse_line
from .reference import recipient
from .validate import Validated, load_agreement


# --------------------------------------------------------------------------- reading versions

def _git(*args: str, cwd: Path | None = None) -> bytes:
    try:
        return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True).stdout
    except FileNotFoundError:
        raise GeneratorError("git är inte installerat; jämför två filer i stället för en fil vid en version") from None
    except subprocess.CalledProcessError as exc:
        raise GeneratorError(f"git {' '.join(args)}: {exc.stderr.decode(errors='replace').strip()}") from None


@contextmanager
def version(spec: str) -> Iterator[tuple[Validated, str]]:
    """Yield the validated agreement named by ``spec`` (a path, or ``path@revision``) and its label.

    ``path@utfärdat`` (or ``@issued``) is the version of the agreement its most
    recently issued document was made from; ``path@utfärdat:<document>`` that of one document
    (see generator.issuing).
    """
    if "@" in spec and not Path(spec).exists() and spec.rsplit("@", 1)[1].split(":")[0] in ISSUED_WORDS:
        with issued_version_of(spec) as found:
            yield found
        return
    if "@" not in spec or Path(spec).exists():
        yield load_agreement(Path(spec), sums_as_warnings=True), spec
        return
    path_text, revision = spec.rsplit("@", 1)
    if not _REVISION.fullmatch(revision) or ".." in revision or revision.startswith("-"):
        raise _bad(spec, f"{revision!r} är ingen git-version (en commit, gren, tagg, HEAD eller HEAD~1)")
    path = Path(path_text).resolve()
    if not path.parent.is_dir():
        raise _bad(spec, f"mappen för {path_text!r} finns inte")
    root = Path(_git("rev-parse", "--show-toplevel", cwd=path.parent).decode().strip()).resolve()
    if not path.is_relative_to(root):
        raise _bad(spec, f"{path_text!r} ligger inte i git-förrådet")
    relative = path.relative_to(root)
    try:  # --end-of-options: the revision can never be read as an option
        commit = _git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}", cwd=root).decode().strip()
    except GeneratorError:
        raise _bad(spec, f"{revision!r} är ingen commit i förrådet") from None
    if not re.fullmatch(r"[0-9a-f]{40,64}", commit):
        raise _bad(spec, f"{revision!r} är ingen commit i förrådet")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_git("show", f"{commit}:{relative.as_posix()}", cwd=root))
        _materialise_data(target, root, Path(tmp), commit)
        try:
            validated = load_agreement(target, sums_as_warnings=True)
        except DataError as exc:
            raise DataError(f"{spec}: den här versionen är inte giltig ({len(exc.findings)} fel)", exc.findings) from None
        yield validated, spec


def _published_files(node) -> list[str]:
    """Return the files named by ``published_from:`` anywhere in an agreement's data."""
    if isinstance(node, dict):
        own = node.get("published_from")
        found = [own["file"]] if isinstance(own, dict) and isinstance(own.get("file"), str) else []
        return found + [f for value in node.values() for f in _published_files(value)]
    if isinstance(node, list):
        return [f for value in node for f in _published_files(value)]
    return []


ISSUED_WORDS = {"utfärdat", "utfardat", "issued"}


@contextmanager
def issued_version_of(spec: str) -> Iterator[tuple[Validated, str]]:
    """Yield the issued version named by ``path@utfärdat[:document]`` and its label."""
    from .issuing import ISSUED, records_of_agreement

    path_text, tail = spec.rsplit("@", 1)
    document = tail.split(":", 1)[1] if ":" in tail else None
    found = [r for r in records_of_agreement(ISSUED, Path(path_text))
             if document is None or r.document == document or r.document.rsplit("/", 1)[-1] == document]
    if not found:
        raise GeneratorError(f"{spec}: inget dokument gjort av {path_text} står som utfärdat i {ISSUED}/"
                             + (f" under namnet {document}" if document else "") + " (generator issue records one)")
    record = max(found, key=lambda r: (r.issued, r.document))
    with tempfile.TemporaryDirectory() as tmp:
        target = record.restore(Path(tmp))
        try:
            validated = load_agreement(target, sums_as_warnings=True)
        except DataError as exc:
            raise DataError(f"{spec}: den utfärdade versionen är inte giltig nu ({len(exc.findings)} fel)", exc.findings) from None
        yield validated, f"{path_text}@utfärdat {record.issued.isoformat()} ({record.document})"


#: A git revision as a user types it: names, hashes, ~ ^ and @{…} suffixes; never something that starts
#: with "-" (an option) or holds a space, colon or "..".
_REVISION = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./~^{}@+-]{0,199}")


def _bad(spec: str, message: str) -> DataError:
    finding = Finding(Location(Path(spec.rsplit("@", 1)[0] or ".")), f"{message} (i {spec!r})",
                      hint="skriv FIL@VERSION, t.ex. agreements/2012.yaml@HEAD~1")
    return DataError(str(finding), [finding])


def _materialise_data(target: Path, root: Path, tmp: Path, revision: str) -> None:
    """Copy the data files the agreement at ``target`` names, at ``revision`` (or as they are now), beside it."""
    from .loading import load_yaml

    try:
        data, _ = load_yaml(target)
    except DataError:
        return  # reported when the version is validated
    files = data.get("data") if isinstance(data, dict) else None
    population = files.get("population") if isinstance(files, dict) else None
    names = [files.get("outcomes"), population.get("file") if isinstance(population, dict) else None] \
        if isinstance(files, dict) else []
    names += _published_files(data)  # another agreement's published table (2012 takes 2010's)
    for name in filter(None, names):
        if not isinstance(name, str) or Path(name).is_absolute():
            continue  # refused when the agreement is validated
        wanted = (target.parent / name).resolve()
        if not wanted.is_relative_to(tmp.resolve()):
            continue  # leaves the copy of the repository: refused when validated
        relative = wanted.relative_to(tmp.resolve())
        wanted.parent.mkdir(parents=True, exist_ok=True)
        try:
            wanted.write_bytes(_git("show", f"{revision}:{relative.as_posix()}", cwd=root))
        except GeneratorError:
            current = root / relative
            if current.is_file():
                wanted.write_bytes(current.read_bytes())


# --------------------------------------------------------------------------- comparing

@dataclass
class Change:
    name: str
    label: str
    old: Any
    new: Any
    recipients: list[str] = field(default_factory=list)  # who receives a changed fixed payout

    @property
    def difference(self) -> int | None:
        if isinstance(self.old, int) and isinstance(self.new, int):
            return self.new - self.old
        return None


@dataclass
class RecipientChange:
    code: str
    name: str
    old: int
    new: int

    @property
    def difference(self) -> int:
        return self.new - self.old


@dataclass
class Diff:
    a: str
    b: str
    figures: list[Change] = field(default_factory=list)
    totals: list[Change] = field(default_factory=list)
    recipients: list[RecipientChange] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # stated totals that no longer match their parts
    document_changes: list[Any] = field(default_factory=list)  # docdiff.DocumentChange, per document

    @property
    def changed(self) -> bool:
        return bool(self.figures or self.totals or self.recipients
                    or any(d.status != "oförändrat" for d in self.document_changes))

    def to_json(self) -> str:
        def encode(value: Any) -> Any:
            return value.isoformat() if isinstance(value, dt.date) else value

        payload = {
            "a": self.a, "b": self.b,
            "figures": [{**asdict(c), "old": encode(c.old), "new": encode(c.new), "difference": c.difference}
                        for c in self.figures],
            "totals": [{**asdict(c), "difference": c.difference} for c in self.totals],
            "recipients": [{**asdict(r), "difference": r.difference} for r in self.recipients],
            "documents": self.documents,
            "warnings": self.warnings,
            "document_changes": [{"name": d.name, "title": d.title, "status": d.status,
                                  "changes": [asdict(c) for c in d.changes]} for d in self.document_changes],
        }
        return json.dumps(payload, ensure_ascii=False, indent=1)


def _labels(agreement: Agreement) -> dict[str, str]:
    labels = {"total": "överenskommelsens angivna total", "summa": "summan av alla utbetalningar och potter"}
    for section in walk_sections(agreement.sections):
        labels[f"sec.{section.id}.total"] = f"summa för {section.title}"
        for payout in section.payouts:
            labels[payout.id] = payout.label
            for earmark in payout.earmarks:
                labels[earmark.id] = earmark.label
        for pot in section.pots:
            labels[pot.id] = pot.title
    for name, (label, _) in _tables(agreement).items():
        labels[name] = label
    return labels


def _tables(agreement: Agreement) -> dict[str, tuple[str, Any]]:
    """Return every budget table by its name (``tab.<id>.total``, else by appendix), with a label, and the table."""
    from .numbering import appendix_numbers
    from .prose import walk_appendices

    numbers = appendix_numbers(agreement.appendices)
    out: dict[str, tuple[str, Any]] = {}
    for appendix in walk_appendices(agreement.appendices):
        tables = [block.table for block in appendix.blocks if getattr(block, "table", None) is not None]
        for index, table in enumerate(tables, 1):
            name = f"tab.{table.id}.total" if table.id else f"bil.{appendix.id}.tabell{index}.summa"
            title = f"tabellen {table.title!r}" if table.title else f"tabell {index}"
            out[name] = (f"summa i {title} i Bil {numbers[appendix.id]} {appendix.title}", table)
            out[name.rsplit(".", 1)[0] + ".intakter"] = (f"intäkter i {title} i Bil {numbers[appendix.id]} {appendix.title}",
                                                         table)
    return out


def _payout_recipients(agreement: Agreement) -> dict[str, list[str]]:
    """Return who receives each fixed payout and earmark: the organisation it is for, and whom it is paid to."""
    names = {o.id: o.short or o.name for o in agreement.organisations}
    full = {o.id: o.name for o in agreement.organisations}
    out: dict[str, list[str]] = {}
    for section in walk_sections(agreement.sections):
        for payout in section.payouts:
            if payout.beneficiary and payout.beneficiary != payout.recipient:
                who = [f"{full[payout.beneficiary]} (utbetalas till {names[payout.recipient]})"]
            else:
                who = [full.get(payout.recipient, payout.recipient)]
            if payout.distribution is not None:
                who = [f"{who[0]}, fördelat på län (se mottagarna nedan)"]
            out[payout.id] = who
            for earmark in payout.earmarks:
                out[earmark.id] = who
    return out


def figures_of(agreement: Agreement) -> dict[str, Any]:
    """Return every amount and date of an agreement by the name prose uses for it (sections' totals too)."""
    context = figure_context(agreement)
    out = {k: v for k, v in context.items()
           if isinstance(k, str) and k != "year" and not isinstance(v, bool) and isinstance(v, (int, dt.date))}
    sections = list(walk_sections(agreement.sections))
    for section in sections:  # computed from the parts, so a changed part shows even before the stated total
        out[f"sec.{section.id}.total"] = section_parts_sum(section)
    for name, (_, table) in _tables(agreement).items():  # computed from the rows, payouts they refer to included
        if name.endswith(".intakter"):
            continue
        out[name] = table_rows_sum(table, context)
        if any(row.income is not None or row.cost is not None for row in table.rows):
            out[name.rsplit(".", 1)[0] + ".intakter"] = sum(
                context.get(row.ref, 0) if row.ref else (row.income or 0)
                for row in table.rows if row.income is not None or row.ref)
    out["summa"] = sum(p.amount for s in sections for p in s.payouts) + sum(p.amount for s in sections for p in s.pots)
    return out


_EXPRESSION = re.compile(r"\{\{\s*(.*?)\s*\}\}", re.S)


def prose_figures(agreement: Agreement) -> dict[str, str]:
    """Return every figure expression of the agreement's prose that is computed (not one name), as it renders."""
    from .validate import _prose_fields, _walk_models

    context = figure_context(agreement)
    plain = {name for name, value in context.items() if isinstance(name, str) and isinstance(value, (int, dt.date))}
    out: dict[str, str] = {}
    for model, _ in _walk_models(agreement):
        for _, value in _prose_fields(model):
            for text in value if isinstance(value, list) else [value]:
                for expression in _EXPRESSION.findall(text if isinstance(text, str) else ""):
                    subject = expression.split("|", 1)[0].strip()
                    if subject in plain or expression in out:
                        continue
                    try:
                        out[expression] = render_prose("{{ " + expression + " }}", context)
                    except Exception:  # noqa: BLE001 - a reference this version lacks: not a change of figure
                        continue
    return out


def _per_recipient(validated: Validated) -> dict[str, int]:
    totals: dict[str, int] = {}
    if validated.allocation is not None:
        for line in validated.allocation.lines:
            totals[line.code] = totals.get(line.code, 0) + line.amount
    return totals


def compare(a: Validated, b: Validated, label_a: str, label_b: str, output: Path | None = None,
            documents: bool | set[str] = True) -> Diff:
    """Return what changes from ``a`` to ``b``; ``output`` is the folder whose documents may be affected.

    ``documents`` compares the text of every document of both versions (or of the named ones).
    """
    diff = Diff(label_a, label_b)
    known = {w.message for w in a.warnings}
    diff.warnings = [f"{label_b}: {w.message}" for w in b.warnings if "blir tillsammans" in w.message and w.message not in known]
    old, new = figures_of(a.agreement), figures_of(b.agreement)
    labels = {**_labels(a.agreement), **_labels(b.agreement)}
    receivers = {**_payout_recipients(a.agreement), **_payout_recipients(b.agreement)}
    is_total = lambda n: n in {"total", "summa"} or n.startswith(("sec.", "tab.", "bil."))  # noqa: E731
    for name in sorted(set(old) | set(new), key=lambda n: (is_total(n), n)):
        if old.get(name) != new.get(name):
            change = Change(name, labels.get(name, name), old.get(name), new.get(name), receivers.get(name, []))
            (diff.totals if is_total(name) else diff.figures).append(change)
    old_prose, new_prose = prose_figures(a.agreement), prose_figures(b.agreement)
    for expression in sorted(set(old_prose) & set(new_prose)):
        if old_prose[expression] != new_prose[expression]:
            diff.totals.append(Change("{{ " + expression + " }}", "uträknat i texten", old_prose[expression],
                                      new_prose[expression]))
    before, after = _per_recipient(a), _per_recipient(b)
    for code in set(before) | set(after):
        if before.get(code, 0) != after.get(code, 0):
            diff.recipients.append(RecipientChange(code, recipient(code)[1], before.get(code, 0), after.get(code, 0)))
    diff.recipients.sort(key=lambda r: (-abs(r.difference), r.code))
    if documents:
        from .docdiff import compare_documents

        diff.document_changes = compare_documents(a, b, documents if isinstance(documents, set) else None)
    if output is not None and diff.changed:
        diff.documents = affected_documents(output, b.file)
    return diff


def affected_documents(output: Path, source: Path) -> list[str]:
    """Return the documents in ``output`` whose manifest entry names ``source`` as an input."""
    from .provenance import Manifest

    entries = Manifest.load(output).entries  # a damaged manifest reads as empty
    wanted = display(source)
    return sorted(name for name, entry in entries.items()
                  if isinstance(entry.get("sources"), dict) and wanted in entry["sources"])


def _value(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return datum(value)
    return kronor(value)


def _signed(amount: int) -> str:
    return ("+" if amount > 0 else "−") + kronor(abs(amount))


def diff_text(diff: Diff) -> str:
    """Return the diff as plain Swedish text."""
    out = [f"Jämförelse: {diff.a} → {diff.b}"]
    out.extend(f"OBS: {w}" for w in diff.warnings)
    if not diff.changed:
        out.append("Inga belopp, datum, utbetalningar eller dokumenttexter skiljer sig.")
        return "\n".join(out)
    for title, changes in (("Ändrade belopp och datum", diff.figures), ("Summor som ändras med dem", diff.totals)):
        if changes:
            out.append(f"\n{title}:")
            for c in changes:
                delta = f" ({_signed(c.difference)})" if c.difference is not None else ""
                out.append(f"  {c.name}: {c.label}: {_value(c.old)} → {_value(c.new)}{delta}")
                out.extend(f"    mottagare: {who}" for who in c.recipients)
    if diff.recipients:
        out.append(f"\nMottagare vars utbetalning ändras ({len(diff.recipients)}, störst först):")
        for r in diff.recipients:
            out.append(f"  {r.code} {r.name}: {kronor(r.old)} → {kronor(r.new)} ({_signed(r.difference)})")
    if diff.document_changes:
        from .docdiff import changes_text

        changed = sum(1 for d in diff.document_changes if d.status != "oförändrat")
        out.append(f"\nDokument ({changed} av {len(diff.document_changes)} ändras):")
        out.extend(changes_text(diff.document_changes))
    out.append("\nByggda dokument i output/ som görs av filen:" if diff.documents
               else "\nByggda dokument: inga (kör generator build)")
    out.extend(f"  {name}" for name in diff.documents)
    return "\n".join(out)


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
    from .safety import read_document, refuse, zip_part

    file = Path(file)
    suffix = file.suffix.lower()
    if suffix not in {".docx", ".pdf"}:
        raise refuse(file, "bara .docx- och .pdf-dokument bär sitt ursprung")
    data = read_document(file)
    if suffix == ".docx":
        import xml.etree.ElementTree as ET

        from .writers.docx import PROVENANCE_PROPERTY
        from .writers.package import CUSTOM_PART

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
        info = PdfReader(BytesIO(data)).metadata or {}
        # Typst writes it as the last keyword (Info /Keywords and XMP pdf:Keywords); reportlab in /Creator
        for field_name in ("/Keywords", "/Creator"):
            value = str(info.get(field_name, ""))[:100_000]
            start = value.find("generator ")
            if start >= 0 and parse_line(value[start:])[1]:
                return value[start:]
        return ""
    except RecursionError:
        raise refuse(file, "PDF-filen är för djupt nästlad för att läsas") from None
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise refuse(file, f"PDF-filen kan inte läsas ({type(exc).__name__})") from None


def check_document(file: Path) -> Check:
    """Return whether ``file`` still matches the files it was made from, and what changed since."""
    from .provenance import generator_id

    from .safety import refuse

    line = provenance_of(file)
    generator, sources = parse_line(line)
    if not sources:
        raise refuse(file, "inget ursprung i dess metadata (inte gjort av generatorn, eller gjort innan den började ange det)")
    changed, details = [], []
    agreements: list[tuple[Path, str]] = []  # changed agreement files, with the blob id the document names
    from .provenance import PACKAGE

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
        if current.suffix == ".yaml":
            agreements.append((current, ident))
    recorded = parse_content(line)
    if changed and recorded and all(c.endswith(": har ändrats") for c in changed):
        # A build leaves a document whose inputs changed but whose content did not as it is, naming the inputs
        # it was made from: render it from the data as they are now and compare the content.
        now = _content_now(file, sources)
        if now == recorded:
            details.append("indata har ändrats men dokumentets innehåll är detsamma ("
                           + ", ".join(c.removesuffix(": har ändrats") for c in changed) + ")")
            changed, agreements = [], []
        elif now is not None:
            details.append("dokumentets innehåll är ett annat med data som de är nu")
    for current, ident in agreements:
        details.extend(_what_changed(current, ident, file))
    if generator != generator_id():
        details.append(f"skapat med generator {generator}, nu {generator_id()}")
    details.extend(_issued_as(dict(sources), recorded, file))
    return Check(file, not changed, generator, changed, details)


def _content_now(file: Path, sources: list[tuple[str, str]]) -> str | None:
    """Return the content digest of the document ``file`` as the data make it now; None if they no longer make
    it or cannot be read (the document is then reported as stale)."""
    from .build import circular_name, plan, render_circular, render_job
    from .circulars import is_circular, load_circular
    from .docdiff import document_name
    from .fingerprint import content_digest
    from .validate import discover

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
                agreements = [(load_agreement(f).agreement, f) for f in discover((source.parent,)) if not is_circular(f)]
                validated = load_circular(source, agreements)
                if str(validated.circular.year) == year and circular_name(validated.circular) == name:
                    return content_digest(render_circular(validated))
                continue
            current = load_agreement(source)
        except GeneratorError:
            continue
        if str(current.agreement.year) != year:
            continue
        for job in plan(current.agreement, current.allocation, municipal=current.municipal):
            if job.name == name:
                return content_digest(render_job(current.agreement, job))
    return None


def _issued_as(sources: dict[str, str], content: str | None, file: Path) -> list[str]:
    """Return a line for each issue record of this document: made from exactly these inputs, or whose text as
    issued has this content ("the issued version"). A build leaves a document whose inputs changed but whose
    content did not untouched, with the inputs it was first made from, so a later issue names other inputs."""
    from .docdiff import document_name
    from .fingerprint import content_digest
    from .issuing import ISSUED, records

    try:
        found = records(ISSUED)
    except GeneratorError:
        return []
    name = document_name(file)

    def same(record) -> bool:
        if record.sources == sources:
            return True
        if content is None or record.document != name:
            return False
        try:
            return content_digest(record.issued_document()) == content
        except GeneratorError:
            return False

    return [f"utfärdad version: {r.year}/{r.document}, utfärdad {r.issued.isoformat()} ({r.path})"
            for r in found if same(r)]


@dataclass
class IssuedCheck:
    record: Any
    changes: int  # tracked changes a redline would have; 0: the document reads as issued
    figures: list[str] = field(default_factory=list)
    missing: bool = False  # the data no longer makes this document


def check_issued(folder: Path, validated: list[Validated]) -> list[IssuedCheck]:
    """Return, for every issued document of the ``validated`` agreements, whether its text changed since issuing."""
    from .build import plan, render_job
    from .issuing import issued_version, records_of_agreement
    from .redline import redline

    out = []
    for current in validated:
        versions: dict = {}
        jobs = {job.name: job for job in plan(current.agreement, current.allocation, municipal=current.municipal)}
        for record in records_of_agreement(folder, current.file):
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
                diff = compare(versions[snapshot], current, "utfärdad", "nu", documents=False)
                figures = [f"{c.name}: {_value(c.old)} → {_value(c.new)}" for c in diff.figures + diff.totals]
            out.append(IssuedCheck(record, count, figures))
    return out


def _what_changed(current: Path, old_blob: str, document: Path | None = None) -> list[str]:
    """Return what changed in ``document`` (its sentences and rows) since the version of ``current`` with ``old_blob``.

    Without a document name that the agreement yields, the changed figures of the agreement are listed instead.
    """
    from .docdiff import changes_text, document_name

    try:
        old_text = _git("cat-file", "-p", old_blob, cwd=current.resolve().parent)
    except GeneratorError:
        return [f"  (den version av {current} som dokumentet gjordes av finns inte i git; jämför med generator diff)"]
    # the old version is read beside the current file, so the files it names relative to itself are found
    with tempfile.NamedTemporaryFile("wb", dir=current.resolve().parent, prefix=f".{current.stem}.", suffix=".yaml") as handle:
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
        return [f"  i dokumentet ({len(ours[0].changes)} {'ändring' if len(ours[0].changes) == 1 else 'ändringar'}):"] \
            + changes_text([d for d in ours], indent="  ")[1:]
    return [f"  {c.name}: {_value(c.old)} → {_value(c.new)}" for c in diff.figures + diff.totals]
