"""The application: every agreement and circular named, loaded, validated, distributed and cross-checked.

One library function (:func:`load_all`, and :func:`load_year` for a year's files) that the command line, its
watch, a server and the tests call, so that each sees the same results and the same findings:

1. each agreement file's own checks (:func:`generator.data.validate.check_file`: the schema, sums, dates,
   references, prose), taken from the per-user cache while the file and what they read are unchanged
   (:mod:`generator.cache.validated`);
2. its distribution (:func:`generator.money.distribute.allocate`), computed from the key and outcome files as
   they are, and the checks against it (:mod:`generator.money.cross_checks`);
3. the municipalities' own files of an utlåtande (:func:`generator.data.municipal.check`);
4. the circulars last, against the agreements.

Here the cached variants are chosen: the packages below (data, money) hold no cache.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from generator.cache import validated as cached_checks
from generator.data.circulars import ValidatedCircular, is_circular, load_circular
from generator.data.municipal import check as check_municipal
from generator.data.reference import check_lists
from generator.data.validate import Validated, check_file, discover
from generator.errors import DataError, Finding, GeneratorError
from generator.money.cross_checks import county_agreements, without_files
from generator.money.distribute import allocate

DEFAULT_AGREEMENTS = Path("agreements")


class NoAgreementFiles(GeneratorError):
    """The paths named hold no agreement file (``*.yaml``)."""

    exit_code = 2


class Loaded(NamedTuple):
    """What :func:`load_all` found: the valid agreements, the errors (one per invalid file), the circulars."""

    agreements: list[Validated]
    errors: list[DataError]
    circulars: list[ValidatedCircular]


def load_agreement(file: Path, strict: bool = False, sums_as_warnings: bool = False, cached: bool = True) -> Validated:
    """Return the validated agreement in ``file``, its distribution and its municipalities' files; raise
    :class:`DataError` with all findings if it is not valid (``strict``: if it has warnings).

    ``sums_as_warnings`` reports stated totals that do not match their parts as warnings (``generator diff``
    compares a version whose total is not updated yet). ``cached``: the file's own checks may be taken from the
    per-user cache (:mod:`generator.cache.validated`); the distribution is always computed.
    """
    check = cached_checks.check_file if cached else check_file
    check_lists()  # the reference lists, read and checked once per process: a damaged list stops every file
    source, agreement, report = check(Path(file), sums_as_warnings)
    failing = report.findings if strict else report.errors
    if agreement is None or failing:
        raise DataError(f"{source.file}: {len(failing)} fel", report.findings)
    validated = Validated(agreement, source, report.warnings)
    if agreement.county_letters is not None and agreement.data is None and not without_files(agreement):
        where = source.locate(("county_letters",))
        finding = Finding(
            where,
            "länsbrev kräver nyckel- och utfallsdata som beloppen räknas fram ur: "
            "inga anges under data:, så inget brev skulle skrivas",
            "county_letters",
            hint="ange befolknings- och utfallsfilerna under data:, eller ta bort county_letters:",
        )
        raise DataError(str(finding), [finding])
    if agreement.data is not None or without_files(agreement):
        validated.allocation = allocate(agreement, source.file, source)  # the data files are checked with it
        validated.warnings = validated.warnings + validated.allocation.warnings
        if strict and validated.allocation.warnings:
            raise DataError(f"{source.file}: {len(validated.allocation.warnings)} fel", validated.allocation.warnings)
    if agreement.county_agreements is not None:
        errors, warnings = county_agreements(agreement, validated.allocation, source)
        if errors or (strict and warnings):
            raise DataError(f"{source.file}: {len(errors + warnings)} fel", errors + warnings)
        validated.warnings = validated.warnings + warnings
    if agreement.county_letters is not None and not (validated.allocation and validated.allocation.items):
        finding = Finding(
            source.locate(("county_letters",)),
            "ingen utbetalning eller pott i överenskommelsen fördelas på länen, så inget länsbrev skulle skrivas",
            "county_letters",
            hint="ge posten en distribution:, eller ta bort county_letters:",
        )
        raise DataError(str(finding), [finding])
    if agreement.municipal_statement is not None:
        validated.municipal, findings = check_municipal(agreement, source.file, source)
        validated.warnings = validated.warnings + findings
        if strict and findings:
            raise DataError(f"{len(findings)} varningar om kommunernas filer (--strict)", findings)
    return validated


def load_all(paths: Iterable[Path] = (DEFAULT_AGREEMENTS,), strict: bool = False, cached: bool = True) -> Loaded:
    """Return every agreement and circular named by ``paths`` (files, or folders searched for ``*.yaml``),
    validated; circulars last, against the agreements (those next to a circular are read if not named).

    An invalid file is one of the errors, and the others are loaded all the same; raise
    :class:`NoAgreementFiles` if ``paths`` name no file.
    """
    paths = tuple(paths)
    files = discover(paths)
    if not files:
        raise NoAgreementFiles(f"inga överenskommelsefiler (*.yaml) i {', '.join(map(str, paths))}")
    good: list[Validated] = []
    bad: list[DataError] = []
    circulars: list[ValidatedCircular] = []
    circular_files = [f for f in files if is_circular(f)]
    for file in files:
        if file in circular_files:
            continue
        try:
            good.append(load_agreement(file, strict=strict, cached=cached))
        except DataError as exc:
            bad.append(exc)
    good, clashes = _without_duplicate_ids(good)
    bad.extend(clashes)
    for file in circular_files:
        agreements = [(v.agreement, v.file) for v in good]
        loaded = {v.file.resolve() for v in good}
        for sibling in discover((file.parent,)):  # the agreements next to it, if they were not named
            if sibling.resolve() not in loaded and not is_circular(sibling):
                try:
                    agreements.append((load_agreement(sibling, cached=cached).agreement, sibling))
                except DataError:
                    pass  # reported when that file itself is validated
        try:
            circulars.append(load_circular(file, agreements, strict=strict))
        except DataError as exc:
            bad.append(exc)
    return Loaded(good, bad, circulars)


def _without_duplicate_ids(loaded: list[Validated]) -> tuple[list[Validated], list[DataError]]:
    """Return the agreements whose id is the only one of its year, and an error for each file that shares one.

    Two files of one year with one id would write the same documents and make every reference to the id
    (a circular's part, ``published_from``) ambiguous: both are refused, each naming the other.
    """
    by_key: dict[tuple[int, str], list[Validated]] = {}
    for v in loaded:
        by_key.setdefault((v.agreement.year, v.agreement.id), []).append(v)
    errors = []
    for (year, agreement_id), group in by_key.items():
        if len(group) < 2:
            continue
        for v in group:
            others = ", ".join(str(o.file) for o in group if o is not v)
            message = f"id {agreement_id!r} ({year}) finns också i {others}: två filer av ett år kan inte ha samma id"
            finding = Finding(v.source.locate(("id",)), message, "id", hint="ge den ena överenskommelsen ett annat id")
            errors.append(DataError(f"{v.file}: samma id som {others}", [finding]))
    clashing = {id(v) for (_, _), group in by_key.items() if len(group) > 1 for v in group}
    return [v for v in loaded if id(v) not in clashing], errors


def year_files(year: str, folder: Path = DEFAULT_AGREEMENTS) -> list[Path]:
    """Return the agreement and circular files of ``year`` in ``folder``: named for it (2012.yaml) or in a
    folder named for it (2014/…)."""
    return [f for f in discover((folder,)) if f.stem.startswith(year) or f.parent.name == year]


def load_year(year: int | str, strict: bool = False, folder: Path = DEFAULT_AGREEMENTS) -> Loaded:
    """Return :func:`load_all` of the files of ``year`` in ``folder`` (:func:`year_files`)."""
    files = year_files(str(year), folder)
    if not files:
        raise NoAgreementFiles(f"ingen överenskommelse för året {year} i {folder}/")
    return load_all(files, strict)
