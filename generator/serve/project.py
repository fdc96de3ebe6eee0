"""The project as the server shows it: each agreement's findings and documents, rebuilt when the data changes.

:meth:`Project.refresh` validates the chosen years' files (:func:`generator.app.load_all`) and builds the valid
ones' documents as DOCX, PDF and HTML into the output folder with ``generator build`` in a process of its own
(the build's pool forks, which the server's threads forbid; what did not change is skipped). What a
refresh found is one immutable :class:`Snapshot`; pages read the latest, and its ``version`` tells open pages
that something changed. A file that fails validation keeps its last good documents, marked out of date, never
shown as current.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import DataError, Finding, GeneratorError, collapse

AGREEMENTS = Path("agreements")
OUTPUT = Path("output")
FORMATS = ["docx", "pdf", "html"]

#: The kinds of documents, by the start of their output name, in the order the start page lists them.
KINDS = [
    ("regeringsbeslut", "Regeringsbeslut"),
    ("genomforandeplan", "Genomförandeplan"),
    ("cirkular", "Cirkulär"),
    ("skl_brev", "SKL:s brev"),
    ("lansoverenskommelser/", "Länsöverenskommelser"),
    ("lansbrev/", "Brev till länen"),
    ("kommunbrev/", "Brev till kommunerna"),
    ("landstingsbrev/", "Brev till landstingen"),
    ("utlatanden/", "Utlåtanden"),
]


def kind_of(name: str) -> str:
    """Return the kind of the document named ``name`` (``lansbrev/lansbrev_01_…``), in Swedish."""
    for prefix, label in KINDS:
        if name.startswith(prefix):
            return label
    return "Övriga dokument"


@dataclass(frozen=True)
class Shown:
    """A finding as a page shows it: severity, where (file:line[:column]) and the text of that line."""

    severity: str  # "fel" | "varning"
    where: str
    message: str
    line_text: str = ""
    hint: str = ""


@dataclass(frozen=True)
class DocumentInfo:
    """One document of an agreement: its output name (no suffix), title, kind, recipients and status."""

    year: int
    name: str
    title: str
    kind: str
    codes: tuple[str, ...]
    status: str  # "aktuellt" | "inaktuellt" | "saknas"
    formats: tuple[str, ...]  # the formats on disk
    draft: bool = False
    issued: str = ""  # "" | "utfärdat" | "ändrat sedan utfärdandet" | "görs inte längre"
    #: an issued document whose data now give another text: the new version (a draft, not issued) and the
    #: change-marked copy that build writes under andringar/, as (label, path under the year's folder) pairs
    changed_files: tuple[tuple[str, str], ...] = ()


@dataclass
class AgreementInfo:
    """One agreement or circular file: its title and total, its findings and its documents."""

    file: str
    year: int | None
    title: str
    total: int | None
    findings: list[Shown] = field(default_factory=list)
    documents: list[DocumentInfo] = field(default_factory=list)
    failed: bool = False  # the file is invalid now: its documents are those of its last valid version
    validated: object = None  # generator.data.validate.Validated (None: never valid while the server ran)


@dataclass
class Snapshot:
    """What one refresh found: every agreement, the findings of the build, and when."""

    version: int
    agreements: list[AgreementInfo]
    build_findings: list[Shown] = field(default_factory=list)  # a build that failed as a whole (a template)
    built_at: float = 0.0
    building: bool = False

    @property
    def ok(self) -> bool:
        return not self.build_findings and not any(a.failed for a in self.agreements)

    def years(self) -> list[int]:
        return sorted({a.year for a in self.agreements if a.year is not None})

    def document(self, year: int, name: str) -> tuple[AgreementInfo, DocumentInfo] | None:
        for agreement in self.agreements:
            for doc in agreement.documents:
                if doc.year == year and doc.name == name:
                    return agreement, doc
        return None


def line_text(file: Path, line: int | None) -> str:
    """Return line ``line`` of ``file`` (stripped; '' if it cannot be read or is outside the project)."""
    if line is None or line < 1:
        return ""
    try:
        path = Path(file).resolve()
        if not path.is_relative_to(Path.cwd().resolve()) or not path.is_file():
            return ""
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, 1):
                if number == line:
                    return text.rstrip("\n").strip()[:300]
    except OSError:
        return ""
    return ""


def shown(finding: Finding) -> Shown:
    from generator.build.provenance import display

    location = finding.location
    where = display(location.file)
    if location.line is not None:
        where += f":{location.line}" + (f":{location.column}" if location.column is not None else "")
    message = f"{finding.path}: {finding.message}" if finding.path else finding.message
    severity = "varning" if finding.severity == "warning" else "fel"
    return Shown(severity, where, message, line_text(location.file, location.line), finding.hint)


def error_findings(error: GeneratorError) -> list[Shown]:
    """Return an error's findings as shown, or its message if it has none."""
    if error.findings:
        return [shown(f) for f in collapse(error.findings)]
    return [Shown("fel", "", str(error))]


class Project:
    """The chosen years of the project in the working directory, and their latest :class:`Snapshot`."""

    def __init__(self, years: tuple[str, ...] = (), out: Path = OUTPUT, jobs: int | None = None):
        self.years = years
        self.out = out
        self.jobs = jobs
        self.root = Path.cwd().resolve()
        self._lock = threading.Lock()
        self._last_good: dict[str, object] = {}  # file → its last valid Validated
        self.snapshot = Snapshot(0, [], building=True)

    def files(self) -> list[Path]:
        from generator.app import year_files
        from generator.data.validate import discover

        if not self.years:
            return discover((AGREEMENTS,))
        return [f for year in self.years for f in year_files(year, AGREEMENTS)]

    def refresh(self) -> Snapshot:
        """Validate and build again; return (and keep) the new snapshot. One refresh runs at a time."""
        with self._lock:
            self.snapshot = Snapshot(
                self.snapshot.version,
                self.snapshot.agreements,
                self.snapshot.build_findings,
                self.snapshot.built_at,
                building=True,
            )
            try:
                snapshot = self._refresh(self.snapshot.version + 1)
            except GeneratorError as exc:
                snapshot = Snapshot(
                    self.snapshot.version + 1,
                    [_stale(a) for a in self.snapshot.agreements],
                    error_findings(exc),
                    time.time(),
                )
            self.snapshot = snapshot
            return snapshot

    def _refresh(self, version: int) -> Snapshot:
        from generator.app import load_all
        from generator.build.guards import output_folder
        from generator.build.plan import output_conflicts

        files = self.files()
        if not files:
            raise GeneratorError(f"inga överenskommelsefiler i {AGREEMENTS}/ för {', '.join(self.years) or 'något år'}")
        good, bad, circulars = load_all(files, strict=False)
        conflicts = output_conflicts([(r.agreement, r.allocation, r.file) for r in good])
        if conflicts:
            raise DataError("överenskommelsefiler samma år skulle skriva över varandras dokument", conflicts)
        failed: dict[str, list[Shown]] = {}
        for error in bad:
            files_named = {f.location.file for f in error.findings} or {Path("?")}
            for file in files_named:
                failed.setdefault(_display(file), []).extend(
                    s for s in error_findings(error) if s.where.split(":")[0] == _display(file) or not error.findings
                )
        out = output_folder(self.out, create=True)
        build_findings = self._build([v.file for v in good] + [c.file for c in circulars], out)
        agreements: list[AgreementInfo] = []
        issued = _issued_states(good)
        for each in good:
            self._last_good[_display(each.file)] = each
        for file in files:
            key = _display(file)
            validated = next((v for v in good if _display(v.file) == key), None)
            circular = next((c for c in circulars if _display(c.file) == key), None)
            if circular is not None:
                agreements.append(_circular_info(circular, out))
            elif validated is not None:
                info = _agreement_info(validated, out, issued, failed=False)
                info.findings = [shown(w) for w in collapse(validated.warnings)]
                agreements.append(info)
            else:
                last = self._last_good.get(key)
                info = (
                    _agreement_info(last, out, issued, failed=True)
                    if last is not None
                    else AgreementInfo(key, _year_of(file), key, None, failed=True)
                )
                info.failed = True
                info.findings = failed.get(key, []) or [Shown("fel", key, "filen kunde inte läsas")]
                agreements.append(info)
        if build_findings:
            agreements = [_stale(a) for a in agreements]
        return Snapshot(version, agreements, build_findings, time.time())

    def _build(self, files: list[Path], out: Path) -> list[Shown]:
        """Build ``files`` as ``generator build`` does, in a process of its own; return its errors (none: built).

        The build renders in a pool of forked processes, which a process with the server's threads must not fork:
        the command runs it, with the build's own skipping, lock and atomic writes, and its messages.
        """
        import subprocess
        import sys

        if not files:
            return []
        command = [sys.executable, "-m", "generator", "build", *(str(f) for f in files)]
        command += ["--format", ",".join(FORMATS), "--out", str(out)]
        if self.jobs:
            command += ["--jobs", str(self.jobs)]
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace")
        if done.returncode == 0:
            return []
        lines = [line.rstrip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        return [Shown("fel", "", line) for line in lines[-20:]] or [
            Shown("fel", "", f"bygget avslutades med {done.returncode}")
        ]


def _display(path: Path) -> str:
    from generator.build.provenance import display

    return display(path)


def _year_of(file: Path) -> int | None:
    for part in (file.stem[:4], file.parent.name):
        if part.isdigit() and len(part) == 4:
            return int(part)
    return None


def _stale(agreement: AgreementInfo) -> AgreementInfo:
    docs = [DocumentInfo(**{**d.__dict__, "status": "inaktuellt"}) for d in agreement.documents]
    return AgreementInfo(
        agreement.file,
        agreement.year,
        agreement.title,
        agreement.total,
        agreement.findings,
        docs,
        True,
        agreement.validated,
    )


def _is_draft(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return b'<p class="utkast"' in handle.read(16_384)
    except OSError:
        return False


def _document(year: int, name: str, title: str, codes: tuple[str, ...], out: Path, failed: bool, issued: dict):
    base = out / str(year) / name
    formats = tuple(f for f in FORMATS if base.with_name(base.name + "." + f).is_file())
    status = "saknas" if not formats else ("inaktuellt" if failed else "aktuellt")
    draft = "html" in formats and _is_draft(base.with_name(base.name + ".html"))
    state = issued.get((year, name), "")
    changed: tuple[tuple[str, str], ...] = ()
    if state and state != "utfärdat":
        changed = tuple(
            (f"{label} {fmt.upper()}", f"andringar/{name}.{suffix}.{fmt}")
            for suffix, label in (("utkast", "Ny version (utkast)"), ("andringsmarkerad", "Ändringsmarkerad"))
            for fmt in FORMATS
            if (out / str(year) / "andringar" / f"{name}.{suffix}.{fmt}").is_file()
        )
    return DocumentInfo(year, name, title, kind_of(name), codes, status, formats, draft, state, changed)


def _agreement_info(validated, out: Path, issued: dict, failed: bool) -> AgreementInfo:
    from generator.build.plan import plan

    a = validated.agreement
    docs = [
        _document(a.year, job.name, job.title, job.codes, out, failed, issued)
        for job in plan(a, validated.allocation, municipal=validated.municipal)
    ]
    return AgreementInfo(_display(validated.file), a.year, a.title, a.total, [], docs, failed, validated)


def _circular_info(circular, out: Path) -> AgreementInfo:
    from generator.build.plan import circular_name

    c = circular.circular
    doc = _document(c.year, circular_name(c), f"Cirkulär {c.number}", (), out, False, {})
    info = AgreementInfo(_display(circular.file), c.year, f"Cirkulär {c.number}", None, [], [doc], False, None)
    info.findings = [shown(w) for w in collapse(circular.warnings)]
    return info


def _issued_states(good: list) -> dict[tuple[int, str], str]:
    """Return the issue state of each issued document ((year, name) → state), as ``check --issued`` finds it."""
    from generator.serve.changes import issued_checks

    return {(c.year, c.document): c.state for c in issued_checks(good)}
