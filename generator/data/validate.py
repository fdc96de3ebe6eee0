"""Everything that can be wrong with an agreement file, found in one run.

:func:`load_agreement` turns a file into a validated :class:`Agreement` or
raises :class:`DataError` carrying every finding: schema errors with file,
line, column and field path; sums that do not add up, with both figures and
the difference; dates out of order; references that do not resolve;
duplicated ids; figure references in prose that name nothing. The checks
after the schema are :mod:`generator.data.checks`, one module per family,
run by :func:`check_agreement` in the order of their one list.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from generator.errors import DataError, Finding, Report
from generator.formatting import kronor
from generator.data.checks import CHECKS
from generator.data.checks.context import CheckContext, signed as _signed  # _signed: _county_agreements' name for it
from generator.data.loading import SourceMap, dotted, load_yaml
from generator.data.model import Agreement, Payout
from generator.data.prose_figures import walk_sections
from generator.data.schema_errors import EMPTY_HINT, describe_value, empty_findings, hint_once, schema_findings


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
        report.error(source.locate(()), f"väntade en samling nycklar överst i filen, fann {found}",
                     hint="en överenskommelsefil börjar med nycklar som id:, year:, title:")
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


def load_agreement(file: Path, strict: bool = False, sums_as_warnings: bool = False) -> Validated:
    """Return the validated agreement in ``file``; raise :class:`DataError` with all findings if it is not valid.

    A file validated before, with every input it read unchanged, is taken from the private per-user cache
    (:mod:`generator.cache.validated`): the same result, findings and all.
    """
    from generator.cache.validated import cached

    return cached("validated", _load_agreement, Path(file), (strict, sums_as_warnings),
                  lambda result: isinstance(result, Validated))


def _checked(file: Path, sums_as_warnings: bool = False) -> tuple[SourceMap, Agreement | None, Report]:
    """Return the source map, agreement and findings of ``file`` on its own (:func:`check_agreement`)."""
    data, source = load_yaml(file)
    return (source, *check_agreement(data, source, sums_as_warnings))


def _valid_check(result: Any) -> bool:
    """Return True for a :func:`_checked` result that found no error: only those are kept."""
    return (isinstance(result, tuple) and len(result) == 3 and isinstance(result[0], SourceMap)
            and isinstance(result[1], Agreement) and isinstance(result[2], Report) and not result[2].errors)


def _load_agreement(file: Path, strict: bool = False, sums_as_warnings: bool = False) -> Validated:
    """:func:`load_agreement` without its cache (the file's own checks may come from theirs)."""
    from generator.cache.validated import cached

    source, agreement, report = cached("checked", _checked, Path(file), (sums_as_warnings,), _valid_check)
    failing = report.findings if strict else report.errors
    if agreement is None or failing:
        count = len(failing)
        raise DataError(f"{source.file}: {count} fel", report.findings)
    validated = Validated(agreement, source, report.warnings)
    if agreement.county_letters is not None and agreement.data is None and not _without_files(agreement):
        where = source.locate(("county_letters",))
        finding = Finding(where, "länsbrev kräver nyckel- och utfallsdata som beloppen räknas fram ur: "
                          "inga anges under data:, så inget brev skulle skrivas", "county_letters",
                          hint="ange befolknings- och utfallsfilerna under data:, eller ta bort county_letters:")
        raise DataError(str(finding), [finding])
    if agreement.data is not None or _without_files(agreement):
        from generator.money.distribute import allocate  # the data files are checked with the agreement

        validated.allocation = allocate(agreement, source.file, source)
        validated.warnings = validated.warnings + validated.allocation.warnings
        if strict and validated.allocation.warnings:
            raise DataError(f"{source.file}: {len(validated.allocation.warnings)} fel", validated.allocation.warnings)
    if agreement.county_agreements is not None:
        errors, warnings = _county_agreements(agreement, validated.allocation, source)
        if errors or (strict and warnings):
            raise DataError(f"{source.file}: {len(errors + warnings)} fel", errors + warnings)
        validated.warnings = validated.warnings + warnings
    if agreement.county_letters is not None and not (validated.allocation and validated.allocation.items):
        finding = Finding(source.locate(("county_letters",)), "ingen utbetalning eller pott i överenskommelsen fördelas på "
                          "länen, så inget länsbrev skulle skrivas", "county_letters",
                          hint="ge posten en distribution:, eller ta bort county_letters:")
        raise DataError(str(finding), [finding])
    if agreement.municipal_statement is not None:
        from generator.data.municipal import check as check_municipal  # the municipalities' own files of the utlåtande

        validated.municipal, findings = check_municipal(agreement, source.file)
        validated.warnings = validated.warnings + findings
        if strict and findings:
            raise DataError(f"{len(findings)} varningar om kommunernas filer (--strict)", findings)
    return validated


def _county_agreements(agreement: Agreement, allocation: Any, source: SourceMap) -> tuple[list[Finding], list[Finding]]:
    """Check the county agreements against the distribution they print: (errors, warnings).

    A county's budget belongs to the county that receives the payout: the
    budgets of its parts are compared with its amount.
    """
    from generator.data.reference import counties

    ca = agreement.county_agreements
    errors: list[Finding] = []
    warnings: list[Finding] = []
    item = next((i for i in (allocation.items if allocation else []) if i.id == ca.payout), None)
    if item is None or item.distribution.level != "lan":
        errors.append(Finding(source.locate(("county_agreements", "utbetalning")),
                              f"{ca.payout!r} är ingen utbetalning som fördelas på länen (level lan)",
                              "county_agreements.payout", "ange en utbetalning med en distribution: med level lan"))
        return errors, warnings
    amounts = {line.code: line.amount for line in item.lines}
    for code, fill in ca.counties.items():
        path = ("county_agreements", "counties", code)
        if code not in counties():
            errors.append(Finding(source.locate(path), f"{code!r} är ingen länskod", dotted(path),
                                  "county codes are two digits: 01 Stockholms län … 25 Norrbottens län"))
            continue
        budgets = [(i, part) for i, part in enumerate(fill.parts) if part.budget is not None]
        if not budgets:
            continue
        budgeted = 0
        for _, part in budgets:
            t = part.budget
            has_ie = any(r.income is not None or r.cost is not None for r in t.rows)
            cost = (t.total_cost if t.total_cost is not None else sum(r.cost or 0 for r in t.rows)) if has_ie else \
                (t.total if t.total is not None else sum(r.amount or 0 for r in t.rows))
            budgeted += cost
        name = counties()[code].name
        if budgeted != amounts.get(code, 0):
            areas = ", ".join(part.area or name for _, part in budgets)
            warnings.append(Finding(
                source.locate(path + ("parts", budgets[0][0], "budget")),
                f"budgetarna för {name} ({areas}) blir tillsammans {kronor(budgeted)}, men länet får "
                f"{kronor(amounts.get(code, 0))} av {ca.payout} (skillnad {_signed(budgeted - amounts.get(code, 0))})",
                dotted(path + ("parts", budgets[0][0], "budget")), "warning",
                "en budget för en del av ett län täcker en del av dess belopp; resten har ingen budget i data"))
    return errors, warnings


def _without_files(agreement: Agreement) -> bool:
    """Return True if ``agreement`` distributes something and needs no key or outcome file to do it.

    A payout shared by a published table, a fixed table or the number of municipalities per county
    (from the reference lists) is computed without ``data:``; a pot or a population key needs files.
    """
    items = [item for section in walk_sections(agreement.sections) for item in [*section.payouts, *section.pots]
             if item.distribution is not None]
    return bool(items) and all(
        isinstance(item, Payout) and item.distribution.split is None
        and item.distribution.key in {None, "antal_kommuner"} for item in items)


def discover(paths: Iterable[Path]) -> list[Path]:
    """Return the agreement files named by ``paths`` (files, or folders searched for *.yaml), sorted."""
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.yaml") if p.is_file()))
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
