"""Everything that can be wrong with an agreement file, found in one run.

:func:`check_file` turns a file into a validated :class:`Agreement` and every
finding about it (:func:`generator.app.load_agreement` raises :class:`DataError`
carrying them, with what the distribution finds): schema errors with file,
line, column and field path; sums that do not add up, with both figures and
the difference; dates out of order; references that do not resolve;
duplicated ids; figure references in prose that name nothing. The checks
after the schema are :mod:`generator.data.checks`, one module per family,
run by :func:`check_agreement` in the order of their one list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.data.checks import CHECKS
from generator.data.checks.context import CheckContext  # _signed: _county_agreements' name for it
from generator.data.loading import SourceMap, load_yaml
from generator.data.model import Agreement
from generator.data.prose_figures import walk_sections
from generator.data.schema_errors import EMPTY_HINT, describe_value, empty_findings, hint_once, schema_findings
from generator.errors import Report


@dataclass
class Validated:
    """A validated agreement, where it came from, and its warnings."""

    agreement: Agreement
    source: SourceMap
    warnings: list = field(default_factory=list)
    allocation: Any = None  # distribute.YearAllocation, when the agreement names its key and outcome data
    municipal: dict = field(default_factory=dict)  # code → (municipal.MunicipalFile, path), for the utlåtanden

    @property
    def file(self) -> Path:
        return self.source.file


# --------------------------------------------------------------------------- entry points


def check_agreement(data: Any, source: SourceMap, sums_as_warnings: bool = False) -> tuple[Agreement | None, Report]:
    """Return the agreement (or None if the schema failed) and every finding about it.

    ``sums_as_warnings`` reports stated totals that do not match their parts as
    warnings (``generator diff`` compares a version whose total is not updated yet).
    """
    report = Report()
    if not isinstance(data, dict):
        found = "text" if isinstance(data, str) else describe_value(data)  # text: perhaps a file that is not ours
        report.error(
            source.locate(()),
            f"väntade en samling nycklar överst i filen, fann {found}",
            hint="en överenskommelsefil börjar med nycklar som id:, year:, title:",
        )
        return None, report
    try:
        agreement = Agreement.model_validate(data)
    except ValidationError as exc:
        schema_findings(data, source, exc, report)
        empty_findings(data, "overenskommelse", source, report)
        hint_once(report, EMPTY_HINT)
        return None, report
    empty_findings(data, "overenskommelse", source, report)
    hint_once(report, EMPTY_HINT)
    context = CheckContext(agreement, source, report, sums_as_warnings)
    for check in CHECKS:  # one family of checks each, in order (generator.data.checks)
        check(context)
    return agreement, report


def check_file(file: Path, sums_as_warnings: bool = False) -> tuple[SourceMap, Agreement | None, Report]:
    """Return the source map, agreement and findings of ``file`` on its own (:func:`check_agreement`); raise
    :class:`DataError` if it cannot be read as YAML.

    :func:`generator.app.load_agreement` adds what needs the data files (the distribution and the checks against
    it), and :mod:`generator.cache.validated` keeps this result between runs.
    """
    data, source = load_yaml(file)
    return (source, *check_agreement(data, source, sums_as_warnings))


def discover(paths: Iterable[Path]) -> list[Path]:
    """Return the agreement files named by ``paths`` (files, or folders searched for *.yaml), sorted."""
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.yaml") if p.is_file()))
            # a linked folder is not searched (its files could lie anywhere): named, so that it is reported
            files.extend(sorted(p for p in path.rglob("*") if p.is_symlink() and p.is_dir()))
        else:
            files.append(path)
    return files


def summary(validated: Validated) -> dict[str, Any]:
    """Return the figures a clean run reports for one agreement."""
    a = validated.agreement
    payouts = [p for s in walk_sections(a.sections) for p in s.payouts]
    pots = [p for s in walk_sections(a.sections) for p in s.pots]
    payouts_total = sum(p.amount for p in payouts)
    pots_total = sum(p.amount for p in pots)
    return {
        "file": str(validated.file),
        "id": a.id,
        "year": a.year,
        "title": a.title,
        "total": a.total,
        "payouts": len(payouts),
        "payouts_total": payouts_total,
        "pots": len(pots),
        "pots_total": pots_total,
        "sum_ok": payouts_total + pots_total == a.total,
        "warnings": len(validated.warnings),
    }
