"""Cross-references: prose refers to an appendix, a table or a section by id, and its number is computed.

A number typed by hand ("se bilaga 3", "tabell bilaga 4", "avsnitt 2.5") goes wrong when the order changes,
and the sources show it: the 2012 plan's "se bilaga 3" named an appendix of another document while the plan's
own Bil 3 is Vårdföretagarna's. Where the agreement has that kind of thing to refer to by id (appendices,
appendix tables, numbered sections), a typed reference in a text that is rendered (prose, a table row's label)
is a warning naming what to write instead: ``{{ bil.<id> }}``, ``{{ tab.<id> }}``, ``{{ sec.<id>.number }}``,
or, for another document's appendix, an entry under ``cited_appendices:``. A cited appendix whose id is also
one of the agreement's own is an error.
"""

from __future__ import annotations

import re

from jinja2 import TemplateError

from generator.data.checks.context import CheckContext
from generator.data.checks.style import TextLocator
from generator.data.loading import dotted
from generator.data.model import PROSE_FIELD_NAMES, Row
from generator.data.numbering import appendix_numbers, section_numbers, table_numbers
from generator.data.prose_figures import figure_context, render_prose, walk_appendices, walk_sections

_TYPED = re.compile(
    r"\b(?P<kind>[Bb]ilag(?:a|an|orna)|[Bb]il\.?|[Tt]abell(?:en)?(?: bilaga)?|[Aa]vsnitt(?:et)?)"
    r"[ \u00a0]+(?P<number>\d+(?:\.\d+)*(?:\.[a-z]\b)?)"
)


def _plain(text: str) -> str:
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)


def check_cross_references(context: CheckContext) -> None:
    """Warn about a reference typed by hand where an id exists; check the references of table row labels."""
    agreement = context.agreement
    try:
        appendices = appendix_numbers(agreement.appendices)
        sections = section_numbers(agreement.sections)
    except ValueError:  # reported by the prose check (numbering limits)
        return
    own = set(appendices)
    for cited in agreement.cited_appendices:
        if cited in own:
            context.error(
                ("cited_appendices", cited),
                f"{cited!r} är både en egen bilaga och en bilaga i ett annat dokument",
                "ge den citerade bilagan ett annat id",
            )
    by_number = {number: f"{{{{ bil.{i} }}}}" for i, number in appendices.items()}
    titles = {
        number: a.title for a in walk_appendices(agreement.appendices) for i, number in appendices.items() if a.id == i
    }
    tables: dict[str, str] = {}
    for appendix in walk_appendices(agreement.appendices):
        for index, number in table_numbers(appendix, appendices[appendix.id]).items():
            table = appendix.blocks[index].table  # type: ignore[union-attr]
            tables[number] = (
                f"{{{{ tab.{table.id} }}}}" if table.id else f"{{{{ tab.<id> }}}} (ge tabell {number} ett id)"
            )
    numbered = {number: f"{{{{ sec.{i}.number }}}}" for i, number in sections.items()}
    section_ids = {s.id for s in walk_sections(agreement.sections)}
    figures = None
    locator = TextLocator(context.source.file)
    for model, path in context.nodes:
        rendered = [(name, value) for name, value in _texts(model)]
        for name, value in rendered:
            where = path + name
            if isinstance(model, Row) and "{" in value:
                if figures is None:
                    figures = figure_context(agreement)
                try:
                    render_prose(value, figures)
                except (TemplateError, TypeError, ValueError) as exc:
                    context.error(where, f"etiketten har en felaktig hänvisning: {exc}")
            for match in _TYPED.finditer(_plain(value)):
                kind, number = match.group("kind").lower(), match.group("number")
                if kind.startswith("avsnitt"):
                    known, what = numbered, "avsnitt"
                    if not section_ids:
                        continue
                elif kind.startswith("tabell"):
                    known, what = tables, "tabell"
                    if not tables:
                        continue
                else:
                    known, what = by_number, "bilaga"
                    if not by_number:
                        continue
                if kind == "tabell bilaga":  # "se tabell bilaga 4": the table of an appendix
                    known, what = by_number, "bilaga"
                if number in known:
                    now = f" ({what} {number} är nu {titles[number]!r})" if what == "bilaga" else ""
                    hint = f"skriv {known[number]}{now}, så räknas numret fram"
                else:
                    hint = (
                        f"det finns ingen {what} {number} här; en bilaga i ett annat dokument anges under "
                        "cited_appendices: och skrivs {{ bil.<id> }}"
                    )
                context.report.warning(
                    locator.at(context.source, where, value, match.start(), match.group(0)),
                    f"texten skriver hänvisningen {match.group(0)!r} för hand: numret följer inte med "
                    "när ordningen ändras",
                    dotted(where),
                    hint,
                )


def _texts(model) -> list[tuple[tuple[str | int, ...], str]]:
    """Return ((field,) or (field, index), text) of the rendered texts of ``model``: prose, and a row's label."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name in PROSE_FIELD_NAMES or (isinstance(model, Row) and name == "label"):
            if isinstance(value, str):
                out.append(((name,), value))
            elif isinstance(value, list):
                out.extend(((name, i), v) for i, v in enumerate(value) if isinstance(v, str))
    return out
