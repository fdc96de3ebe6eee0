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
import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from generator.data.loading import bad_character, read_limited
from generator.data.reference import recipient
from generator.errors import DataError, Finding, Location

MAX_CSV_BYTES = 20_000_000
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
        return list(self._by_pot.get(pot, ()))

    @functools.cached_property
    def _by_pot(self) -> dict[str, list[Outcome]]:
        """The rows of each pot, in file order (the letters ask for them per recipient and pot)."""
        found: dict[str, list[Outcome]] = {}
        for row in self.rows:
            found.setdefault(row.pot, []).append(row)
        return found

    @property
    def label(self) -> str:
        return f"{self.file.name} ({'EXEMPELDATA, inte verkliga utfall' if self.example else 'utfall'})"


def load_outcomes(file: Path) -> Outcomes:
    """Return the outcome rows of ``file``; DataError listing every bad row (file and line) otherwise."""
    file = Path(file)
    raw = read_limited(file, MAX_CSV_BYTES, "utfallsfilen")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _error(
            [Finding(Location(file, 1), f"inte UTF-8-text (byte {exc.start}); spara filen som UTF-8")]
        ) from None
    lines = text.splitlines()
    comments = [l for l in lines if l.lstrip().startswith("#")]
    body = [
        (number, line)
        for number, line in enumerate(lines, start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not body:
        raise _error([Finding(Location(file, 1), "ingen rubrikrad (pott;kod;kvalificerad;antal;tackningsgrad)")])
    header_line, header_text = body[0]
    delimiter = ";" if header_text.count(";") >= header_text.count(",") else ","
    try:
        header = [h.strip().lower() for h in next(csv.reader([header_text], delimiter=delimiter))]
    except csv.Error as exc:
        raise _error(
            [Finding(Location(file, header_line), f"inte en utfallsfil: rubrikraden kan inte läsas som CSV ({exc})")]
        ) from None
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h not in COLUMNS + OPTIONAL]
    if missing or unknown:
        # The header is not ours: say what is expected without repeating the line (it may be any file).
        problem = (
            (f"kolumn(er) saknas: {', '.join(missing)}" if missing else "")
            + ("; " if missing and unknown else "")
            + (f"{len(unknown)} okänd(a) kolumn(er)" if unknown else "")
        )
        raise _error(
            [
                Finding(
                    Location(file, header_line),
                    f"inte en utfallsfil: {problem} (väntade rubrikraden {';'.join(COLUMNS + OPTIONAL)})",
                )
            ]
        )
    if len(set(header)) != len(header):
        raise _error([Finding(Location(file, header_line), "en kolumn står två gånger i rubrikraden")])
    findings: list[Finding] = []
    rows: list[Outcome] = []
    seen: dict[tuple[str, str], int] = {}
    for number, line in body[1:]:
        try:
            cells = next(csv.reader([line], delimiter=delimiter))
        except csv.Error as exc:
            findings.append(Finding(Location(file, number), f"raden kan inte läsas som CSV ({exc})"))
            continue
        if len(cells) != len(header):
            findings.append(
                Finding(
                    Location(file, number),
                    f"{len(cells)} fält, rubrikraden har {len(header)}",
                    hint="varje rad behöver ett värde (möjligen tomt) för varje kolumn i rubrikraden",
                )
            )
            continue
        odd = next((bad_character(c) for c in cells if bad_character(c)), None)
        if odd:
            findings.append(Finding(Location(file, number), f"raden innehåller {odd}"))
            continue
        row = dict(zip(header, (c.strip() for c in cells)))
        where = Location(file, number)
        pot, code = row.get("pott", ""), row.get("kod", "")
        try:
            kind = recipient(code)[0]
        except KeyError:
            findings.append(
                Finding(where, f"okänd kod {_short(code)} (en kommun 0180, ett landsting 0001 eller ett län 01)")
            )
            continue
        if not pot:
            findings.append(Finding(where, "potten (pott) är tom"))
            continue
        answer = row.get("kvalificerad", "").lower()
        if answer not in YES | NO:
            findings.append(Finding(where, f"kvalificerad ska vara ja eller nej, inte {_short(row['kvalificerad'])}"))
            continue
        count = None
        if row.get("antal"):
            text = row["antal"].replace(" ", "").replace("\u00a0", "")
            if text.startswith("-"):
                findings.append(Finding(where, f"ett antal kan inte vara negativt: {row['antal'][:24]}"))
                continue
            if not re.fullmatch(r"[0-9]{1,12}", text):
                findings.append(Finding(where, f"antal ska vara ett heltal, inte {_short(row['antal'])}"))
                continue
            count = int(text)
        coverage = None
        if row.get("tackningsgrad"):
            percent = row["tackningsgrad"].replace(",", ".").rstrip("%").strip()
            coverage = Decimal(percent) if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{1,6})?", percent) else None
            if coverage is None or not 0 <= coverage <= 100:
                findings.append(
                    Finding(where, f"tackningsgrad ska vara en procentsats 0–100, inte {_short(row['tackningsgrad'])}")
                )
                continue
        if (pot, code) in seen:
            findings.append(
                Finding(where, f"{code} står två gånger för {pot} (första gången på rad {seen[(pot, code)]})")
            )
            continue
        seen[(pot, code)] = number
        rows.append(Outcome(pot, code, kind, answer in YES, count, coverage, number))
    if findings:
        raise _error(findings)
    example = "exempel" in file.name.lower() or any("exempel" in c.lower() for c in comments)
    return Outcomes(file, example, tuple(rows))


def _short(value: str, limit: int = 24) -> str:
    """Return ``value`` quoted, cut to ``limit`` characters: a message repeats a cell, not a file."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _error(findings: list[Finding]) -> DataError:
    first = findings[0]
    count = len(findings)
    return DataError(f"{first.location.file}: {count} fel" if count > 1 else str(first), findings)
