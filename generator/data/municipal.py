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

import difflib
import functools
import os
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.data.loading import PathKey, SourceMap, contained_path, dotted, project_root
from generator.data.model import OPTIONAL, PARTS, Agreement, MunicipalFile, Prose, walk_models
from generator.data.prose_figures import TemplateError, figure_context, render_prose, syntax_message, walk_sections
from generator.data.reference import body_name, municipalities
from generator.errors import DataError, Finding, Location


@dataclass
class ListedItem:
    """One thing municipalities can take part in, with the prose that states its amount and condition."""

    id: str
    amount: int
    text: str  # prose of the agreement (a section's text for a payout, a pot's offer)

    @property
    def lead(self) -> str:
        """Return the item's own text: its prose without a list that follows it."""
        return " ".join(line.strip() for line in self.text.strip().splitlines() if not line.strip().startswith("- "))

    @property
    def subitems(self) -> list[str]:
        """Return the list under the item ("- Svenska Palliativregistret, 7 miljoner kronor."), if its prose has one."""
        return [line.strip()[2:] for line in self.text.strip().splitlines() if line.strip().startswith("- ")]


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


def _contained_folder(agreement: Agreement, agreement_file: Path, source: SourceMap | None) -> Finding | None:
    """Return an error if ``municipal_statement.folder`` leaves the project folder (``..``, a link, absolute)."""
    assert agreement.municipal_statement is not None
    try:
        contained_path(Path(agreement_file), agreement.municipal_statement.folder)
    except ValueError as exc:
        return Finding(
            source.locate(("municipal_statement", "folder")) if source else Location(Path(agreement_file)),
            f"avvisas: {exc}",
            "municipal_statement.folder",
            "error",
            "kommunernas filer måste ligga i projektmappen, angivna relativt överenskommelsen",
        )
    return None


def _has_prose(hint: Any) -> bool:
    return hint is Prose or any(_has_prose(arg) for arg in typing.get_args(hint))


@functools.cache
def _prose_names(model: type[BaseModel]) -> tuple[str, ...]:
    """Return the names of ``model``'s fields that hold prose (``Prose``, ``Prose | None``, ``list[Prose]``)."""
    hints = typing.get_type_hints(model, include_extras=True)
    return tuple(name for name in model.model_fields if _has_prose(hints.get(name)))


def own_texts(own: MunicipalFile) -> Iterator[tuple[PathKey, str]]:
    """Yield (path, text) of every prose text of a municipality's own file (decision points, beredning …)."""
    for model, path in walk_models(own):
        for name in _prose_names(type(model)):
            value = getattr(model, name)
            texts = value if isinstance(value, list) else [value]
            for index, text in enumerate(texts):
                if isinstance(text, str):
                    yield path + (name,) + ((index,) if isinstance(value, list) else ()), text


def prose_findings(own: MunicipalFile, source: SourceMap, figures: dict[str, Any]) -> list[Finding]:
    """Return an error for each prose text of ``own`` that is more than references to the agreement's figures
    (a number written out, a loop …) or refers to a name the agreement does not have: as the agreement's."""
    from jinja2 import UndefinedError

    from generator.data.schema_errors import undefined_name

    found: list[Finding] = []
    for path, text in own_texts(own):
        try:
            render_prose(text, figures)
        except UndefinedError as exc:
            missing = undefined_name(exc)
            close = difflib.get_close_matches(missing, sorted(k for k in figures if isinstance(k, str)), n=1)
            found.append(
                Finding(
                    source.locate_in_text(path, text, missing),
                    f"texten hänvisar till {missing!r}, som inte finns i överenskommelsen",
                    dotted(path),
                    "error",
                    f"menade du {close[0]!r}?" if close else "en hänvisning namnger ett belopp eller datum i data",
                )
            )
        except TemplateError as exc:
            found.append(
                Finding(
                    source.locate_error(path, exc),
                    f"texten har en felaktig hänvisning: {syntax_message(exc)}",
                    dotted(path),
                    "error",
                    "en hänvisning skrivs {{ id | miljoner }}",
                )
            )
        except (TypeError, ValueError) as exc:
            found.append(
                Finding(source.locate(path), f"ett värde i texten kan inte skrivas ut: {exc}", dotted(path), "error")
            )
    return found


def unquoted_code(data: Any, source: SourceMap) -> Finding | None:
    """Return an error if the file's ``kommun:`` code is written without quotes (``kommun: 0180``)."""
    if not isinstance(data, dict) or "kommun" not in data:
        return None
    value = data["kommun"]
    if ("kommun",) not in source.unquoted_values and not (isinstance(value, int) and not isinstance(value, bool)):
        return None
    written = str(value)
    return Finding(
        source.locate(("kommun",)),
        f"kommunkoden {written} står utan citattecken: en YAML-läsare (redigeraren, JSON-schemat) läser den som "
        f"talet {int(written)}, och koden är texten som den skrivs",
        "kommun",
        "error",
        f'skriv kommun: "{written}"'
        if len(written) == 4
        else 'skriv koden med citattecken och fyra siffror: kommun: "0180"',
    )


def load_files(
    agreement: Agreement, agreement_file: Path, source: SourceMap | None = None
) -> tuple[dict[str, tuple[MunicipalFile, Path]], list[Finding]]:
    """Return the municipalities' own files by code, and the findings (errors and warnings) about them."""
    from generator.data.loading import load_yaml
    from generator.data.schema_errors import schema_findings  # the agreement's validator reports schema errors

    files: dict[str, tuple[MunicipalFile, Path]] = {}
    findings: list[Finding] = []
    outside = _contained_folder(agreement, agreement_file, source)
    if outside is not None:
        return files, [outside]
    where = folder(agreement, agreement_file)
    root = project_root(Path(agreement_file))
    figures = figure_context(agreement)
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
        data, source = load_yaml(path, root)  # a link out of the project is refused
        unquoted = unquoted_code(data, source)
        if unquoted is not None:
            findings.append(unquoted)
            continue
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
        prose = prose_findings(own, source, figures)
        if prose:
            findings.extend(prose)
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
    return Statement(code, body_name(code), m.county, own, path, items, estimates(items, allocation, code))


def statements(
    agreement: Agreement, files: dict[str, tuple[MunicipalFile, Path]], code: str | None = None, allocation=None
) -> list[Statement]:
    """Return the utlåtanden to build: every municipality with a file, or the one ``code`` (a draft if it has none)."""
    if code is not None:
        return [statement(agreement, code, files, allocation)] if code in municipalities() else []
    return [statement(agreement, c, files, allocation) for c in sorted(files)]


def check(
    agreement: Agreement, agreement_file: Path, source: SourceMap | None = None
) -> tuple[dict[str, tuple[MunicipalFile, Path]], list[Finding]]:
    """Return the municipal files and findings (located in the agreement's ``source``, if given); raise DataError
    if any file is invalid."""
    files, findings = load_files(agreement, agreement_file, source)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise DataError(str(errors[0]) if len(errors) == 1 else f"{len(errors)} fel i kommunernas filer", findings)
    return files, findings
