"""Reference data the agreements refer to: distribution keys, counties and municipalities.

The lists of the 21 counties (län) and 290 municipalities (kommuner) live in
``reference/`` at the top of the repository, with their source and licence in
its README. Codes are strings: ``"01"``, ``"0180"``.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from generator.data.loading import bad_character, read_data
from generator.errors import DataError, Finding, Location

REFERENCE = Path(__file__).resolve().parents[2] / "reference"

#: Distribution keys a pot may name, with what they measure. Population keys
#: come from SCB; outcome keys (registrations, places) from the registers.
DISTRIBUTION_KEYS: dict[str, str] = {
    "befolkning": "folkmängd (SCB)",
    "befolkning_65": "folkbokförda personer 65 år och äldre (SCB)",
    "befolkning_75": "folkbokförda personer 75 år och äldre (SCB)",
    "befolkning_80": "folkbokförda personer 80 år och äldre (SCB)",
    "antal_kommuner": "antal kommuner i länet",
    "registreringar": "antal registreringar i kvalitetsregistret (utfall)",
    "platser_sabo": "antal platser i särskilt boende för äldre (utfall)",
    "dodsfall": "antal dödsfall (utfall)",
}


@dataclass(frozen=True)
class County:
    code: str
    name: str
    short: str


@dataclass(frozen=True)
class Council:
    """A county council (landsting/region); its code is ``00`` + the county code, as in Kolada."""

    code: str
    name: str
    county: str
    same_body_as: str | None = None  # a municipality that is the same organisation (Gotland: 0980)
    body_name: str | None = None  # that organisation's name ("Region Gotland")


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    short: str
    county: str


#: The largest reference list (municipalities.csv) is about 12 kB.
MAX_REFERENCE_BYTES = 1_000_000
#: What a code of each kind looks like: digits only, no spaces (a code is compared as written).
_CODES = {
    "county_code": (r"[0-9]{2}", "två siffror"),
    "municipality_code": (r"[0-9]{4}", "fyra siffror"),
    "council_code": (r"00[0-9]{2}", "00 och länets två siffror"),
}
#: Columns that must not be empty.
_NAMES = {"county_name", "county_name_short", "municipality_name", "municipality_name_short", "council_name"}


def _refuse(path: Path, line: int, message: str, hint: str = "") -> DataError:
    finding = Finding(Location(path, line), message, hint=hint)
    return DataError(str(finding), [finding])


def _rows(name: str, columns: list[str], key: str | None = None) -> list[tuple[int, dict[str, str]]]:
    """Return (line, row) of each row of the reference list ``name``, checked: a regular file in the project,
    UTF-8, every row with as many fields as the header, codes as digits, names not empty, no row twice and no
    ``key`` code twice. Raises :class:`DataError` at the file and line of the first problem."""
    path = REFERENCE / name
    raw = read_data(path, MAX_REFERENCE_BYTES, "referensfilen", REFERENCE.parent)
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise _refuse(path, raw[: exc.start].count(b"\n") + 1, "referensfilen är inte UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header:
            raise _refuse(path, 1, "referensfilen är tom: den ska börja med en rubrikrad")
        missing = [c for c in columns if c not in header]
        if missing:
            raise _refuse(path, 1, f"kolumn(er) saknas: {', '.join(missing)}")
        twice = sorted({c for c in header if header.count(c) > 1})
        if twice:
            raise _refuse(path, 1, f"kolumnen {twice[0]!r} står två gånger i rubrikraden")
        rows: list[tuple[int, dict[str, str]]] = []
        seen_rows: dict[tuple[str, ...], int] = {}
        seen_codes: dict[str, int] = {}
        for record in reader:
            line = reader.line_num
            if not record:
                continue  # an empty line
            if len(record) != len(header):
                raise _refuse(
                    path,
                    line,
                    f"raden har {len(record)} fält, rubrikraden har {len(header)}",
                    "ett fält för mycket eller för lite (ett kommatecken för mycket i ett namn?)",
                )
            for cell in record:
                problem = bad_character(cell)
                if problem:
                    raise _refuse(path, line, f"raden innehåller {problem}")
            row = dict(zip(header, record, strict=True))
            for column, (pattern, form) in _CODES.items():
                if column in row and not re.fullmatch(pattern, row[column]):
                    raise _refuse(path, line, f"{column} {row[column][:20]!r} är ingen kod: {form}, utan mellanslag")
            for column in _NAMES & set(row):
                if not row[column].strip():
                    raise _refuse(path, line, f"{column} är tom")
            if tuple(record) in seen_rows:
                raise _refuse(path, line, f"raden står två gånger (första gången på rad {seen_rows[tuple(record)]})")
            seen_rows[tuple(record)] = line
            if key is not None:
                if row[key] in seen_codes:
                    raise _refuse(
                        path,
                        line,
                        f"koden {row[key]} står två gånger (första gången på rad {seen_codes[row[key]]}): "
                        "en kod får bara namnge en mottagare",
                    )
                seen_codes[row[key]] = line
            rows.append((line, row))
    except csv.Error as exc:
        raise _refuse(path, reader.line_num or 1, f"referensfilen kan inte läsas som CSV: {exc}") from None
    return rows


@lru_cache(maxsize=1)
def counties() -> dict[str, County]:
    """Return the 21 counties by their two-digit code, in code order."""
    rows = _rows("counties.csv", ["county_code", "county_name", "county_name_short"], "county_code")
    return {r["county_code"]: County(r["county_code"], r["county_name"], r["county_name_short"]) for _, r in rows}


@lru_cache(maxsize=1)
def municipalities() -> dict[str, Municipality]:
    """Return the 290 municipalities by their four-digit code, in code order."""
    rows = _rows(
        "municipalities.csv",
        ["municipality_code", "municipality_name", "municipality_name_short", "county_code"],
        "municipality_code",
    )
    result = {}
    for line, r in rows:
        if r["municipality_code"][:2] != r["county_code"]:
            raise _refuse(
                REFERENCE / "municipalities.csv",
                line,
                f"kommunkoden {r['municipality_code']} hör till län {r['municipality_code'][:2]}, men raden anger "
                f"län {r['county_code']}",
                "en kommunkods två första siffror är länets kod",
            )
        if r["county_code"] not in counties():
            finding = Finding(
                Location(REFERENCE / "municipalities.csv", line),
                f"kommunen {r['municipality_code']} anger ett okänt län {r['county_code']!r}",
            )
            raise DataError(str(finding), [finding])
        result[r["municipality_code"]] = Municipality(
            r["municipality_code"], r["municipality_name"], r["municipality_name_short"], r["county_code"]
        )
    return result


@lru_cache(maxsize=1)
def councils() -> dict[str, Council]:
    """Return the 21 county councils by their code (``0001`` … ``0025``), in code order."""
    rows = _rows("county_councils.csv", ["county_code", "council_code", "council_name"], "council_code")
    result = {}
    for line, r in rows:
        if r["county_code"] not in counties() or r["council_code"] != "00" + r["county_code"]:
            finding = Finding(
                Location(REFERENCE / "county_councils.csv", line),
                f"landstinget {r['council_code']!r} stämmer inte med en länskod ({r['county_code']!r})",
            )
            raise DataError(str(finding), [finding])
        same = r.get("same_body_as") or None
        if same is not None and (same not in municipalities() or municipalities()[same].county != r["county_code"]):
            finding = Finding(
                Location(REFERENCE / "county_councils.csv", line),
                f"landstinget {r['council_code']}: same_body_as {same!r} är ingen kommun i dess län",
            )
            raise DataError(str(finding), [finding])
        result[r["council_code"]] = Council(
            r["council_code"], r["council_name"], r["county_code"], same, (r.get("body_name") or None) if same else None
        )
    if set(c.county for c in result.values()) != set(counties()):
        finding = Finding(Location(REFERENCE / "county_councils.csv", 1), "inte varje län har sitt landsting")
        raise DataError(str(finding), [finding])
    return result


def council_of(county: str) -> Council:
    """Return the county council of ``county`` (``01`` → Stockholms läns landsting)."""
    return councils()["00" + county]


def one_body(county: str) -> Council | None:
    """Return the council of ``county`` if it and the county's municipality are one organisation (Gotland), else None.

    Such a county has one recipient: the council's ``body_name`` receives the county's joint money, the
    council's and the municipality's shares, in one payment.
    """
    council = council_of(county)
    return council if council.same_body_as else None


RecipientKind = str  # "kommun" | "landsting" | "lan"


def recipient(code: str) -> tuple[RecipientKind, str, str]:
    """Return (kind, name, county code) of a recipient code: ``0180`` kommun, ``0001`` landsting, ``01`` län.

    Raises KeyError for a code that is none of them.
    """
    if code in municipalities():
        m = municipalities()[code]
        return "kommun", m.short, m.county
    if code in councils():
        c = councils()[code]
        return "landsting", c.name, c.county
    if code in counties():
        return "lan", counties()[code].name, code
    raise KeyError(code)


def municipality_counts() -> dict[str, int]:
    """Return the number of municipalities in each county (the key ``antal_kommuner``)."""
    counted = Counter(m.county for m in municipalities().values())
    return {code: counted[code] for code in counties()}


@lru_cache(maxsize=1)
def _body_names() -> dict[str, str]:
    """Return the names organisations use for themselves where SCB's list names them otherwise (body_names.csv)."""
    if not (REFERENCE / "body_names.csv").is_file():
        return {}
    names = {}
    for line, r in _rows("body_names.csv", ["code", "body_name"], "code"):
        if r["code"] not in municipalities() and r["code"] not in councils():
            raise _refuse(
                REFERENCE / "body_names.csv", line, f"koden {r['code'][:20]!r} är ingen kommun eller landsting"
            )
        if not r["body_name"].strip():
            raise _refuse(REFERENCE / "body_names.csv", line, "body_name är tom")
        names[r["code"]] = r["body_name"]
    return names


def body_name(code: str) -> str:
    """Return the name a municipality or county council writes itself with: "Stockholms stad" for 0180, "Region
    Gotland" for 0980 (body_names.csv), else its name in the reference list ("Upplands Väsby kommun",
    "Stockholms läns landsting")."""
    if code in _body_names():
        return _body_names()[code]
    council = councils().get(code)
    if council is not None:
        return council.body_name or council.name
    municipality = municipalities().get(code)
    return municipality.name if municipality is not None else code


def check_lists() -> None:
    """Read and check every reference list once (counties, municipalities, county councils, body names); raise
    :class:`DataError` at the file and line of the first problem."""
    councils()
    _body_names()
