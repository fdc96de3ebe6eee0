"""Outcome data for the performance-based pots: who qualified, and their counts.

One CSV per year, semicolon or comma separated, UTF-8, ``#`` lines are
comments. Columns: ``pott`` (a pot id of the agreement), ``kod`` (a
municipality ``0180``, a county council ``0001`` or a county ``01``),
``kvalificerad`` (``ja``/``nej``), ``antal`` (registrations or places, when
the pot is shared by them) and ``tackningsgrad`` (a percentage, for
information). A recipient not listed for a pot did not qualify.

Every problem is reported with file and line: an unknown pot or code, a
code of the wrong kind for the pot, a recipient listed twice, a negative or
non-whole count, a coverage outside 0–100.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import DataError, Finding, Location
from .reference import recipient

COLUMNS = ("pott", "kod", "kvalificerad")
OPTIONAL = ("antal", "tackningsgrad")
YES, NO = {"ja", "j", "yes", "x", "1"}, {"nej", "n", "no", "", "0"}


@dataclass(frozen=True)
class Outcome:
    """One row: a recipient's result for one pot."""

    pot: str
    code: str
    kind: str
    qualified: bool
    count: int | None
    coverage: Decimal | None
    line: int


@dataclass(frozen=True)
class Outcomes:
    file: Path
    example: bool
    rows: tuple[Outcome, ...]

    def for_pot(self, pot: str) -> list[Outcome]:
        return [row for row in self.rows if row.pot == pot]

    @property
    def label(self) -> str:
        return f"{self.file.name} ({'EXEMPELDATA, inte verkliga utfall' if self.example else 'utfall'})"


def load_outcomes(file: Path) -> Outcomes:
    """Return the outcome rows of ``file``; DataError listing every bad row (file and line) otherwise."""
    file = Path(file)
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise _error([Finding(Location(file, 1), f"cannot read the outcome file: {exc.strerror or exc}")]) from None
    except UnicodeDecodeError as exc:
        raise _error([Finding(Location(file, 1), f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")]) from None
    lines = text.splitlines()
    comments = [l for l in lines if l.lstrip().startswith("#")]
    body = [(number, line) for number, line in enumerate(lines, start=1) if line.strip() and not line.lstrip().startswith("#")]
    if not body:
        raise _error([Finding(Location(file, 1), "no header row (pott;kod;kvalificerad;antal;tackningsgrad)")])
    header_line, header_text = body[0]
    delimiter = ";" if header_text.count(";") >= header_text.count(",") else ","
    header = [h.strip().lower() for h in next(csv.reader([header_text], delimiter=delimiter))]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h not in COLUMNS + OPTIONAL]
    if missing or unknown:
        problem = (f"missing column(s) {', '.join(missing)}" if missing else "") + \
                  ("; " if missing and unknown else "") + (f"unknown column(s) {', '.join(unknown)}" if unknown else "")
        raise _error([Finding(Location(file, header_line), f"{problem} (expected {';'.join(COLUMNS + OPTIONAL)})")])
    findings: list[Finding] = []
    rows: list[Outcome] = []
    seen: dict[tuple[str, str], int] = {}
    for number, line in body[1:]:
        cells = next(csv.reader([line], delimiter=delimiter))
        if len(cells) > len(header):
            findings.append(Finding(Location(file, number), f"{len(cells)} fields, the header has {len(header)}"))
            continue
        row = dict(zip(header, (c.strip() for c in cells)))
        where = Location(file, number)
        pot, code = row.get("pott", ""), row.get("kod", "")
        try:
            kind = recipient(code)[0]
        except KeyError:
            findings.append(Finding(where, f"unknown code {code!r} (a municipality 0180, a county council 0001 or a county 01)"))
            continue
        if not pot:
            findings.append(Finding(where, "the pot (pott) is empty"))
            continue
        answer = row.get("kvalificerad", "").lower()
        if answer not in YES | NO:
            findings.append(Finding(where, f"kvalificerad must be ja or nej, not {row['kvalificerad']!r}"))
            continue
        count = None
        if row.get("antal"):
            text = row["antal"].replace(" ", "").replace("\u00a0", "")
            if text.startswith("-"):
                findings.append(Finding(where, f"a count cannot be negative: {row['antal']}"))
                continue
            if not text.isdigit():
                findings.append(Finding(where, f"antal must be a whole number, not {row['antal']!r}"))
                continue
            count = int(text)
        coverage = None
        if row.get("tackningsgrad"):
            try:
                coverage = Decimal(row["tackningsgrad"].replace(",", ".").rstrip("%").strip())
            except InvalidOperation:
                coverage = None
            if coverage is None or not 0 <= coverage <= 100:
                findings.append(Finding(where, f"tackningsgrad must be a percentage 0–100, not {row['tackningsgrad']!r}"))
                continue
        if (pot, code) in seen:
            findings.append(Finding(where, f"{code} is listed twice for {pot} (first on line {seen[(pot, code)]})"))
            continue
        seen[(pot, code)] = number
        rows.append(Outcome(pot, code, kind, answer in YES, count, coverage, number))
    if findings:
        raise _error(findings)
    example = "exempel" in file.name.lower() or any("exempel" in c.lower() for c in comments)
    return Outcomes(file, example, tuple(rows))


def _error(findings: list[Finding]) -> DataError:
    first = findings[0]
    count = len(findings)
    return DataError(f"{first.location.file}: {count} problem{'s' if count != 1 else ''}" if count > 1 else str(first),
                     findings)
