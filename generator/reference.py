"""Reference data the agreements refer to: distribution keys, counties and municipalities.

The lists of the 21 counties (län) and 290 municipalities (kommuner) live in
``reference/`` at the top of the repository, with their source and licence in
its README. Codes are strings: ``"01"``, ``"0180"``.
"""
from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import DataError, Finding, Location

REFERENCE = Path(__file__).resolve().parent.parent / "reference"

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
class Municipality:
    code: str
    name: str
    short: str
    county: str


def _rows(name: str, columns: list[str]) -> list[dict[str, str]]:
    path = REFERENCE / name
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            finding = Finding(Location(path, 1), f"missing column(s) {', '.join(missing)}")
            raise DataError(str(finding), [finding])
        return list(reader)


@lru_cache(maxsize=1)
def counties() -> dict[str, County]:
    """Return the 21 counties by their two-digit code, in code order."""
    rows = _rows("counties.csv", ["county_code", "county_name", "county_name_short"])
    return {r["county_code"]: County(r["county_code"], r["county_name"], r["county_name_short"]) for r in rows}


@lru_cache(maxsize=1)
def municipalities() -> dict[str, Municipality]:
    """Return the 290 municipalities by their four-digit code, in code order."""
    rows = _rows("municipalities.csv", ["municipality_code", "municipality_name", "municipality_name_short", "county_code"])
    result = {}
    for line, r in enumerate(rows, start=2):
        if r["county_code"] not in counties():
            finding = Finding(Location(REFERENCE / "municipalities.csv", line),
                              f"municipality {r['municipality_code']} names an unknown county {r['county_code']!r}")
            raise DataError(str(finding), [finding])
        result[r["municipality_code"]] = Municipality(r["municipality_code"], r["municipality_name"],
                                                      r["municipality_name_short"], r["county_code"])
    return result


def municipality_counts() -> dict[str, int]:
    """Return the number of municipalities in each county (the key ``antal_kommuner``)."""
    counted = Counter(m.county for m in municipalities().values())
    return {code: counted[code] for code in counties()}
