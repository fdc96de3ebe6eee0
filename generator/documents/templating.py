"""Rendering Swedish templates into the document model.

Templates in ``templates/`` are sandboxed Jinja templates that emit the
markup of :mod:`generator.documents.model` (autoescaped, so text from the data can
never break it). They receive the validated agreement and a view of what is
computed from it (numbers, letters, figures) and decide content and order;
they know nothing of DOCX or PDF.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from generator.data import prose_figures as prose
from generator.data.blanks import tomt
from generator.data.model import Agreement
from generator.data.numbering import appendix_numbers, payout_letters, section_numbers, table_captions
from generator.data.prose_figures import figure_context, render_prose, syntax_message, walk_appendices, walk_sections
from generator.documents.decision_tables import attachment_title, distribution_table
from generator.documents.model import Document, parse_document
from generator.errors import RenderError

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

_BULLET = re.compile(r"^\s*[-•]\s+")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+")
_LETTERED = re.compile(r"^\s*[a-z][.)]\s+")
_HEADING = re.compile(r"^###\s+")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


_GROUP_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
#: A space between a number and its unit or a day and its month, typed in prose ("70 procent", "15 oktober").
_UNIT_SPACE = re.compile(
    r"(?<=\d) (?=(?:procent|kronor|kr|miljoner|miljon|milj\.|miljarder|procents|dagar|januari|februari|mars"
    r"|april|maj|juni|juli|augusti|september|oktober|november|december)\b)"
)


def group_numbers(text: str) -> str:
    """Return ``text`` with the spaces inside numbers typed as ``8 000`` or ``10 000`` made no-break spaces.

    So is a space between a number and its unit or a day and its month (``70 procent``, ``15 oktober``).

    Only a space between a digit and a group of exactly three digits counts,
    so phone numbers (``08-452 70 00``) and postcodes (``118 82``) are untouched.
    """
    return _UNIT_SPACE.sub("\u00a0", _GROUP_SPACE.sub("\u00a0", text))


def inline_markup(text: str) -> Markup:
    """Return escaped inline markup for one stretch of prose (``**bold**``, ``*italic*``)."""
    escaped = str(escape(text))
    escaped = _BOLD.sub(r"<b>\1</b>", escaped)
    escaped = _ITALIC.sub(r"<i>\1</i>", escaped)
    return Markup(escaped)


def prose_markup(text: str, style: str = "body") -> Markup:
    """Return document markup for rendered prose: paragraphs, lists and run-in headings."""
    out: list[str] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.rstrip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if _HEADING.match(lines[0]):
            out.append(f'<heading level="3">{inline_markup(_HEADING.sub("", lines[0]))}</heading>')
            lines = lines[1:]
            if not lines:
                continue
        for pattern, kind in ((_BULLET, "bullet"), (_NUMBERED, "number"), (_LETTERED, "letter")):
            if pattern.match(lines[0]):
                items: list[str] = []
                lead: list[str] = []
                for line in lines:
                    if pattern.match(line):
                        items.append(pattern.sub("", line))
                    elif items:
                        items[-1] += " " + line.strip()
                    else:
                        lead.append(line)
                body = "".join(f"<item>{inline_markup(item)}</item>" for item in items)
                out.append(f'<list kind="{kind}">{body}</list>')
                break
        else:
            joined = " ".join(line.strip() for line in lines)
            out.append(f'<p style="{style}">{inline_markup(joined)}</p>')
    return Markup("".join(out))


class ProseView:
    """Prose with figure references filled in, from one set of names (a circular's introduction uses this alone)."""

    figures: dict[str, Any]

    def __init__(self, figures: dict[str, Any]):
        self.figures = figures

    def prose(self, text: str | None, style: str = "body", decision: Any = None) -> Markup:
        """Return document markup for a prose field, its figure references filled in.

        A decision's own texts may also refer to ``decision`` (its number, appropriation …).
        """
        if not text:
            return Markup("")
        context = {**self.figures, "decision": decision} if decision is not None else self.figures
        return prose_markup(group_numbers(render_prose(text, context)), style)

    def label(self, text: str) -> str:
        """Return a label (a table row's) with its references filled in: "SveDem (se {{ bil.bil_svedem }})"."""
        return render_prose(text, self.figures)

    def inline(self, text: str | None) -> Markup:
        """Return inline markup for a one-line prose field (no paragraphs)."""
        if not text:
            return Markup("")
        return inline_markup(group_numbers(re.sub(r"[ \t\r\n]+", " ", render_prose(text, self.figures)).strip(" ")))


@dataclass
class View(ProseView):
    """What templates may ask about an agreement beyond its fields."""

    agreement: Agreement
    figures: dict[str, Any]

    def number(self, section_id: str) -> str:
        return self._numbers[section_id]

    def letter(self, payout_id: str) -> str:
        return self._letters[payout_id]

    def appendix_number(self, appendix_id: str) -> str:
        return self._appendix_numbers[appendix_id]

    def appendix(self, appendix_id: str):
        return self._appendices[appendix_id]

    def table_caption(self, appendix_id: str, index: int) -> str:
        """Return the caption of the table that is block ``index`` of an appendix (generator.data.numbering)."""
        return self._table_captions[appendix_id][index]

    def table_total(self, table) -> int:
        """Return a table's total: stated, else the sum of its rows and groups (a grouped table's grand total)."""
        return table.total if table.total is not None else prose.table_rows_sum(table, self.figures)

    def table_decimals(self, table) -> int:
        """Return the decimals of a table's amount column: the most any of its amounts needs in its unit."""
        from generator.formatting import belopp_enhet

        amounts = [self.figures[r.ref] if r.ref else r.amount for r in table.rows]
        amounts += [r.income for r in table.rows] + [r.cost for r in table.rows]
        for group in table.groups:
            amounts += [self.figures[r.ref] if r.ref else r.amount for r in group.rows] + [group.total]
        amounts += [table.total, table.total_income, table.total_cost, table.funding, table.margin]
        amounts.append(self.table_total(table))
        return max((len(belopp_enhet(a, table.unit).partition(",")[2]) for a in amounts if a is not None), default=0)

    def organisation(self, organisation_id: str):
        return self._organisations[organisation_id]

    def __post_init__(self) -> None:
        a = self.agreement
        self._numbers = section_numbers(a.sections)
        self._letters = {}
        for section in walk_sections(a.sections):
            self._letters.update(payout_letters(section))
        self._appendix_numbers = appendix_numbers(a.appendices)
        self._appendices = {x.id: x for x in walk_appendices(a.appendices)}
        self._table_captions = {
            x.id: table_captions(x, self._appendix_numbers[x.id], a.year) for x in self._appendices.values()
        }
        self._organisations = {o.id: o for o in a.organisations}


@functools.lru_cache(maxsize=8)
def make_environment(templates: Path = TEMPLATES) -> ImmutableSandboxedEnvironment:
    """Return the sandboxed environment that loads document templates (autoescaped).

    One per folder and process, so each template is compiled once (Jinja's
    loader still notices a template changed on disk). A build also keeps the
    compiled templates between processes (:mod:`generator.cache.compiled_templates`).
    """
    env = prose.make_environment(FileSystemLoader(str(templates)), autoescape=True)
    env.globals["tomt"] = tomt  # the visible blank of an unknown field: {{ decision.dnr or tomt("diarienummer") }}
    env.globals["bilaga_tabell"] = distribution_table  # a decision's key or distribution bilaga
    env.globals["bilaga_titel"] = attachment_title
    return env


def render_document(
    template: str, agreement: Agreement, extra: dict[str, Any] | None = None, templates: Path = TEMPLATES
) -> Document:
    """Return the document that ``template`` makes of ``agreement``."""
    return render_template(template, {"a": agreement, "v": view_of(agreement), **(extra or {})}, templates)


#: The last views made, with their agreement: every document of an agreement (331 of 2012) is given the same
#: view, computed once. Agreements are immutable (frozen models), and templates cannot change a view (sandbox).
_VIEWS: dict[int, tuple[Agreement, View]] = {}


def view_of(agreement: Agreement) -> View:
    """Return the view of ``agreement`` that templates are given (its figures, numbers, letters, captions)."""
    known = _VIEWS.get(id(agreement))
    if known is not None and known[0] is agreement:
        return known[1]
    if len(_VIEWS) >= 16:
        _VIEWS.clear()
    view = View(agreement, figure_context(agreement))
    _VIEWS[id(agreement)] = (agreement, view)
    return view


def render_template(template: str, context: dict[str, Any], templates: Path = TEMPLATES) -> Document:
    """Return the document that ``template`` makes with ``context``."""
    env = make_environment(templates)
    try:
        markup = env.get_template(template).render(context)
    except TemplateError as exc:
        lineno = getattr(exc, "lineno", None)  # a syntax error's; not every TemplateError has one
        where = f" (rad {lineno})" if lineno else ""
        raise RenderError(f"mallen {template}{where}: {syntax_message(exc)}") from None
    return parse_document(markup)
