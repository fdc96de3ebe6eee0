"""One error base class; every error carries where it happened and what to do.

The command line catches :class:`GeneratorError` (and only it) and prints it;
nothing else reaches the user as a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A place in a source file: 1-based line and column."""

    file: Path
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = str(self.file)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


#: How a finding's severity is printed: ``fil:rad:kolumn: fel: fält: …``.
SEVERITY = {"error": "fel", "warning": "varning"}


@dataclass(frozen=True)
class Finding:
    """One problem found in the data: an error, or a warning that ``--strict`` makes an error."""

    location: Location
    message: str
    path: str = ""
    severity: str = "error"  # "error" | "warning"
    hint: str = ""

    def __str__(self) -> str:
        where = str(self.location)
        what = f"{self.path}: " if self.path else ""
        text = f"{where}: {SEVERITY.get(self.severity, self.severity)}: {what}{self.message}"
        if self.hint:
            text += f"\n    tips: {self.hint}"
        return text


class GeneratorError(Exception):
    """Base class of every error the generator reports to a user."""

    exit_code = 1

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings: list[Finding] = findings or []


class DataError(GeneratorError):
    """The input data is unreadable or invalid; carries every finding at once."""

    exit_code = 2


class RenderError(GeneratorError):
    """A template or writer failed while producing a document."""

    exit_code = 3


@dataclass
class Report:
    """Findings collected over one validation run."""

    findings: list[Finding] = field(default_factory=list)

    def error(self, location: Location, message: str, path: str = "", hint: str = "") -> None:
        self.findings.append(Finding(location, message, path, "error", hint))

    def warning(self, location: Location, message: str, path: str = "", hint: str = "") -> None:
        self.findings.append(Finding(location, message, path, "warning", hint))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


def collapse(findings: list[Finding]) -> list[Finding]:
    """Return ``findings`` with repeats merged: one finding per message, saying how often and where it recurs.

    The same problem found once per county must be reported once, not 21 times.
    """
    groups: dict[tuple, list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.severity, finding.path, finding.message, finding.hint), []).append(finding)
    out = []
    for same in groups.values():
        first = same[0]
        if len(same) == 1:
            out.append(first)
            continue
        others = sorted({str(f.location) for f in same[1:]} - {str(first.location)})
        where = f"; även på {', '.join(others[:5])}{' …' if len(others) > 5 else ''}" if others else ""
        out.append(
            Finding(
                first.location, f"{first.message} ({len(same)} gånger{where})", first.path, first.severity, first.hint
            )
        )
    return out
