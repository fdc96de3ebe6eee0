"""Population by municipality and age, read from SCB's own CSV export.

The file a user downloads from Statistikdatabasen ("Folkmängden efter region,
ålder och år", table BE0101N1, exported as CSV) is read as it is: a title
line, a header ``"region","ålder",["kön",]"2011"…``, then one row per region
and age (``"0114 Upplands Väsby","65 år",1234``). Single years (``65 år``,
``100+ år``) and age classes (``65-69 år``, ``80+ år``) are accepted; rows for
the whole country or a county, and ``totalt ålder`` rows, are skipped (a
total is checked against its ages); rows per sex are added up. Comma,
semicolon or tab separated, UTF-8 (with or without BOM) or Latin-1.

Population "at the start of 2012" is SCB's figure for the year 2011 (31
December). The keys it yields: ``befolkning`` (all ages), ``befolkning_65``,
``befolkning_75``, ``befolkning_80`` (that age and older).

A file whose title or name says EXEMPEL is example data: everything computed
from it is marked as such.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.data.loading import bad_character, read_limited
from generator.data.reference import counties, municipalities
from generator.errors import DataError, Finding, Location

MAX_CSV_BYTES = 20_000_000  # SCB's export by single year, sex and several years is a few MB

#: Age thresholds of the population keys: key name → lowest age counted.
AGE_KEYS = {"befolkning": 0, "befolkning_65": 65, "befolkning_75": 75, "befolkning_80": 80}
_AGE = re.compile(r"^(\d{1,3})\s*(?:(\+)|[-–]\s*(\d{1,3}))?\s*år$")
_REGION = re.compile(r"^(\d{2}|\d{4})(?:\s+(.*))?$")


@dataclass(frozen=True)
class Population:
    """Population keys per municipality for one year, and where they came from."""

    file: Path
    year: int
    title: str
    example: bool
    by_municipality: dict[str, dict[str, int]] = field(repr=False)

    def municipality(self, code: str, key: str) -> int:
        return self.by_municipality[code][key]

    def county(self, county: str, key: str) -> int:
        """Return ``key`` summed over the municipalities of ``county``."""
        return sum(v[key] for code, v in self.by_municipality.items() if municipalities()[code].county == county)

    @property
    def label(self) -> str:
        kind = "EXEMPELDATA, inte officiell statistik" if self.example else "SCB"
        return f"{self.file.name} (folkmängd {self.year}-12-31; {kind})"


def _short(value: str, limit: int = 30) -> str:
    """Return ``value`` quoted, cut to ``limit`` characters: a message repeats a cell, not a file."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _fail(file: Path, line: int, message: str) -> DataError:
    finding = Finding(Location(file, line), message)
    return DataError(str(finding), [finding])


def _decode(file: Path, raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _fail(file, 1, "filen är varken UTF-8- eller Latin-1-text")  # pragma: no cover (cp1252 decodes almost all)


def _age_class(text: str) -> tuple[int, int | None] | None:
    """Return (lowest, highest or None for "and older") of an age label; None for a total."""
    label = text.strip().lower()
    if label.startswith("totalt") or label in {"total", "samtliga"}:
        return None
    match = _AGE.match(label)
    if not match:
        raise ValueError(
            f'{_short(text)} är ingen ålder (väntade t.ex. "65 år", "65-69 år", "100+ år" eller "totalt ålder")'
        )
    low = int(match[1])
    high = None if match[2] else int(match[3]) if match[3] else low
    if high is not None and high < low:
        raise ValueError(f"åldersklassen {_short(text)} slutar innan den börjar")
    return low, high


def load_population(file: Path, year: int) -> Population:
    """Return the population keys of ``year`` from an SCB CSV export; DataError naming file and line if it is wrong."""
    file = Path(file)
    raw = read_limited(file, MAX_CSV_BYTES, "befolkningsfilen")
    lines = _decode(file, raw).splitlines()
    header_at = None
    for index, line in enumerate(lines):
        if line.strip().strip('"').lower().startswith("region"):
            header_at = index
            break
    if header_at is None:
        raise _fail(
            file,
            1,
            'ingen rubrikrad som börjar med "region" (exportera "Folkmängden efter region, ålder och år" '
            "från Statistikdatabasen som CSV)",
        )
    title = next((l.strip().strip('"').strip() for l in lines[:header_at] if l.strip()), "")
    if len(lines[header_at]) > 2_000:  # csv.Sniffer is quadratic in the line; SCB headers are a few hundred characters
        raise _fail(file, header_at + 1, "rubrikraden är för lång för en export från SCB")
    odd = next(
        ((number, bad_character(line)) for number, line in enumerate(lines, start=1) if bad_character(line)), None
    )
    if odd:
        raise _fail(file, odd[0], f"raden innehåller {odd[1]}")
    try:
        dialect = csv.Sniffer().sniff(lines[header_at], delimiters=",;\t")
        rows = list(csv.reader(io.StringIO("\n".join(lines[header_at:])), dialect))
    except csv.Error as exc:
        raise _fail(
            file,
            header_at + 1,
            f"kan inte läsas som en CSV-export från SCB (komma-, semikolon- eller tabbavgränsad): {exc}",
        ) from None
    header = [h.strip().lower() for h in rows[0]]
    if len(header) < 3 or header[1] not in {"ålder", "alder"}:
        raise _fail(
            file, header_at + 1, f"väntade kolumnerna region, ålder, [kön,] och år; fann {len(header)} andra kolumn(er)"
        )
    year_columns = [i for i, h in enumerate(header) if re.search(rf"\b{year}\b", h)]
    if len(year_columns) != 1:
        years = [h.strip() for h in rows[0][2:] if re.fullmatch(r"\s*\d{4}\s*", h)][:20]
        raise _fail(file, header_at + 1, f"ingen kolumn för året {year} (filen har {', '.join(years) or 'inga'})")
    column = year_columns[0]
    example = "exempel" in title.lower() or "exempel" in file.name.lower()

    ages: dict[str, dict[tuple, int]] = {}
    totals: dict[str, tuple[int, int]] = {}
    seen: set[tuple] = set()
    for offset, row in enumerate(rows[1:], start=header_at + 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= column:
            raise _fail(file, offset, f"raden har {len(row)} kolumner, rubrikraden {len(rows[0])}")
        region = _REGION.match(row[0].strip())
        if not region:
            raise _fail(
                file, offset, f'{_short(row[0])} är ingen region (väntade en kod och ett namn, "0114 Upplands Väsby")'
            )
        code = region[1]
        if len(code) == 2:  # the country (00) or a county: not needed, the keys are summed from municipalities
            if code != "00" and code not in counties():
                raise _fail(file, offset, f"okänd länskod {code!r}")
            continue
        if code not in municipalities():
            raise _fail(file, offset, f"okänd kommunkod {code!r} ({_short(row[0].strip())})")
        rest = tuple(cell.strip().lower() for cell in row[2:column])  # kön, if the export has it
        try:
            age = _age_class(row[1])
        except ValueError as exc:
            raise _fail(file, offset, str(exc)) from None
        marker = (code, row[1].strip().lower(), rest)
        if marker in seen:
            raise _fail(file, offset, f"{_short(row[0].strip())}, {_short(row[1].strip())} står två gånger")
        seen.add(marker)
        value_text = row[column].strip().replace(" ", "").replace("\u00a0", "")
        if not re.fullmatch(r"[0-9]{1,9}", value_text):
            raise _fail(
                file,
                offset,
                f"{_short(row[0].strip())}, {_short(row[1].strip())}: {_short(row[column])} är inget antal personer "
                '(SCB skriver ".." där en uppgift saknas)',
            )
        value = int(value_text)
        if age is None:
            previous = totals.get(code, (0, offset))[0]
            totals[code] = (previous + value, offset)
        else:
            ages.setdefault(code, {})
            ages[code][age] = ages[code].get(age, 0) + value
    missing = [code for code in municipalities() if code not in ages]
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        raise _fail(file, header_at + 1, f"{len(missing)} av de 290 kommunerna saknar åldrar för {year}: {shown}")

    by_municipality: dict[str, dict[str, int]] = {}
    for code, classes in ages.items():
        keys = {}
        for key, threshold in AGE_KEYS.items():
            counted = 0
            for (low, high), value in classes.items():
                if low >= threshold:
                    counted += value
                elif high is None or high >= threshold:
                    raise _fail(
                        file,
                        header_at + 1,
                        f"åldersklassen {low}-{high if high is not None else ''} år "
                        f"går över {threshold} år (för {code}); exportera ettårsklasser eller klasser som "
                        f"börjar vid {', '.join(str(t) for t in AGE_KEYS.values() if t)}",
                    )
            keys[key] = counted
        if code in totals and totals[code][0] != keys["befolkning"]:
            raise _fail(
                file,
                totals[code][1],
                f"{code}: totalen {totals[code][0]} är inte summan av åldrarna {keys['befolkning']}",
            )
        by_municipality[code] = keys
    ordered = {code: by_municipality[code] for code in municipalities()}
    return Population(file, year, title, example, ordered)
