"""A municipality's utlåtande (decision draft) on an agreement, modelled on seed 001 (Stockholm 2013).

What every municipality's utlåtande says alike (the history of the
agreements, the list of what municipalities can take part in, with amounts
and conditions) comes from the agreement (``municipal_statement:`` and its
sections). What only the municipality can write comes from its own small
file, ``<folder>/<code>.yaml`` next to the agreement (``kommuner/2013/0180.yaml``):

.. code-block:: yaml

    kommun: "0180"
    dnr: 327-1866/2012
    series: RV                      # "Utlåtande 2013: RV"
    rapporteur: {title: borgarrådet, name: Joakim Larsson}
    decision_points: [De nämnder som … uppmanas att börja detta arbete.]
    preparation: |                  # Beredning
      Ärendet har remitterats till stadsledningskontoret. …
    views: |                        # Mina synpunkter
      …
    recommending_body: Borgarrådsberedningen
    place: Stockholm
    chair: Sten Nordin
    signatories: [Joakim Larsson, Ulrika Gunnarsson]
    statement:                      # the quoted tjänsteutlåtande
      office: stadsledningskontoret
      date: 2013-02-25
      prepared_by: Detta ärende har beretts av stadsledningskontorets förnyelseavdelning.
      assessment: |
        …

Every key but ``kommun`` may be left out: the utlåtande is then a draft
with a visible blank where the part belongs, and ``generator validate``
names what is missing. A municipality without a file gets such a draft too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from generator.data.model import OPTIONAL, PARTS, Agreement, MunicipalFile
from generator.data.prose_figures import walk_sections
from generator.data.reference import municipalities
from generator.errors import DataError, Finding, Location


@dataclass
class ListedItem:
    """One thing municipalities can take part in, with the prose that states its amount and condition."""

    id: str
    amount: int
    text: str  # prose of the agreement (a section's text for a payout, a pot's offer)


@dataclass
class Estimate:
    """The municipality's own estimated share of one listed item, by the item's key and the data at hand."""

    label: str
    amount: int  # the whole pot or payout
    estimate: int
    steps: tuple[str, ...]


@dataclass
class Statement:
    """One municipality's utlåtande: its own parts (or blanks), the agreement's items and, where data exist,
    estimates."""

    code: str
    name: str
    county: str
    own: MunicipalFile
    file: Path | None
    items: list[ListedItem] = field(default_factory=list)
    estimates: list[Estimate] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return self.own.missing()


def listed_items(agreement: Agreement) -> list[ListedItem]:
    """Return, in document order, what the municipalities can take part in: payout sections and pots open to them."""
    config = agreement.municipal_statement
    omit = set(config.omit) if config else set()
    out: list[ListedItem] = []
    for section in walk_sections(agreement.sections):
        if section.id in omit:
            continue
        if section.payouts and section.text:
            out.append(ListedItem(section.id, sum(p.amount for p in section.payouts), section.text))
        for pot in section.pots:
            if {"kommun", "lan"} & set(pot.eligible):
                out.append(ListedItem(pot.id, pot.amount, pot.offer))
    return out


def folder(agreement: Agreement, agreement_file: Path) -> Path:
    assert agreement.municipal_statement is not None
    return Path(os.path.normpath(Path(agreement_file).parent / agreement.municipal_statement.folder))


def load_files(
    agreement: Agreement, agreement_file: Path
) -> tuple[dict[str, tuple[MunicipalFile, Path]], list[Finding]]:
    """Return the municipalities' own files by code, and the findings (errors and warnings) about them."""
    from generator.data.loading import load_yaml
    from generator.data.schema_errors import schema_findings  # the agreement's validator reports schema errors

    files: dict[str, tuple[MunicipalFile, Path]] = {}
    findings: list[Finding] = []
    where = folder(agreement, agreement_file)
    if not where.is_dir():
        findings.append(
            Finding(
                Location(Path(agreement_file)),
                f"ingen mapp {where} för kommunernas egna filer",
                "municipal_statement.folder",
                "warning",
                "skapa den och lägg till en fil <kod>.yaml per kommun (se docs/REFERENCE.md)",
            )
        )
        return files, findings
    for path in sorted(where.glob("*.yaml")):
        data, source = load_yaml(path)
        try:
            own = MunicipalFile.model_validate(data)
        except ValidationError as exc:
            from generator.errors import Report

            report = Report()
            schema_findings(data, source, exc, report, "kommun")
            findings.extend(report.findings)
            continue
        if own.kommun not in municipalities():
            findings.append(Finding(source.locate(("kommun",)), f"{own.kommun} är ingen kommunkod", "kommun"))
            continue
        if path.stem != own.kommun:
            findings.append(
                Finding(
                    source.locate(("kommun",)),
                    f"filen heter {path.name} men gäller {own.kommun}",
                    "kommun",
                    "error",
                    f"döp den till {own.kommun}.yaml",
                )
            )
            continue
        if own.missing():
            findings.append(
                Finding(
                    Location(path, 1),
                    f"{municipalities()[own.kommun].short}: utlåtandet kommer att visa "
                    f"tomrum för {', '.join(own.missing())}",
                    "",
                    "warning",
                )
            )
        from generator.data.checks.style import check_style_of
        from generator.errors import Report

        style = Report()
        check_style_of(own, (), own.accepted_wordings, source, style)
        findings.extend(style.findings)
        files[own.kommun] = (own, path)
    without = len(municipalities()) - len(files)
    if without:
        findings.append(
            Finding(
                Location(where),
                f"{without} kommuner har ingen fil här: deras utlåtande är ett "
                f"utkast med tomrum för {', '.join(v for k, v in PARTS.items() if k not in OPTIONAL)}",
                "",
                "warning",
                "lägg till <kod>.yaml för varje kommun som skriver sitt utlåtande",
            )
        )
    return files, findings


def estimates(items: list[ListedItem], allocation, code: str) -> list[Estimate]:
    """Return the municipality's amount of each listed item the agreement's data distribute (its share by the key).

    It is an estimate: computed on the key and outcome data at hand (possibly
    examples), before the real outcomes are known.
    """
    if allocation is None:
        return []
    by_id = {item.id: item for item in allocation.items}
    out = []
    for listed in items:
        item = by_id.get(listed.id)
        if item is None:
            continue
        lines = [line for line in item.lines if line.code == code]
        out.append(
            Estimate(
                item.label,
                item.amount,
                sum(line.amount for line in lines),
                lines[0].steps if lines else ("inte kvalificerad enligt underlaget",),
            )
        )
    return out


def statement(
    agreement: Agreement, code: str, files: dict[str, tuple[MunicipalFile, Path]], allocation=None
) -> Statement:
    """Return the utlåtande of municipality ``code``: its own file's parts, or blanks."""
    m = municipalities()[code]
    own, path = files.get(code, (MunicipalFile(kommun=code), None))
    items = listed_items(agreement)
    return Statement(code, m.name, m.county, own, path, items, estimates(items, allocation, code))


def statements(
    agreement: Agreement, files: dict[str, tuple[MunicipalFile, Path]], code: str | None = None, allocation=None
) -> list[Statement]:
    """Return the utlåtanden to build: every municipality with a file, or the one ``code`` (a draft if it has none)."""
    if code is not None:
        return [statement(agreement, code, files, allocation)] if code in municipalities() else []
    return [statement(agreement, c, files, allocation) for c in sorted(files)]


def check(agreement: Agreement, agreement_file: Path) -> tuple[dict[str, tuple[MunicipalFile, Path]], list[Finding]]:
    """Return the municipal files and findings; raise DataError if any file is invalid."""
    files, findings = load_files(agreement, agreement_file)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise DataError(str(errors[0]) if len(errors) == 1 else f"{len(errors)} fel i kommunernas filer", findings)
    return files, findings
