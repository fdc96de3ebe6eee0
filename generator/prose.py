"""Figures referred to from prose, and the sandbox that renders them.

Prose in the data never retypes a figure. It names it in a Jinja expression,
and the names available are built here from the validated agreement:

* every payout, earmark and pot id, and every key of ``figures:`` — its amount
  in kronor (an int): ``{{ ul_kommuner | milj }}`` → ``66 milj. kr``;
* every key of ``dates:`` — a date: ``{{ godkannande | datum }}``;
* ``total`` — the agreement's stated total; ``year`` — its year;
* ``sec.<section id>`` — ``.number`` ("2.5"), ``.title``, ``.total``
  (stated, else the sum of its parts), ``.letters`` ("a–f");
* ``bil.<appendix id>`` — prints as ``bilaga 5``; ``.number`` ("5", "1.a"),
  ``.label`` ("Bil 5"), ``.title``;
* ``punkt.<payout id>`` — the payout's letter within its section ("e");
* ``pott.<pot id>`` — the pot itself, for its rule figures:
  ``{{ pott.lakemedel.distribution.minimum.count | tal_ord }}`` → ``fem``;
* ``utbet.<payout id>`` — the payout itself (``.distribution.base`` …);
* every share id of a pot's distribution — its amount;
* ``tab.<table id>`` — ``.total`` (stated, else the sum of its rows) of a
  budget table in an appendix.

Filters are those of :mod:`generator.formatting` (``kronor``, ``miljoner``,
``miljoner_ord``, ``milj``, ``datum``, ``isodatum``, ``procent`` …).
The environment is sandboxed and undefined names are errors.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Iterator

from jinja2 import StrictUndefined, TemplateError, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from . import formatting
from .model import Agreement, Appendix, Section, Table
from .numbering import appendix_numbers, payout_letters, section_numbers


@dataclass(frozen=True)
class SectionRef:
    number: str
    title: str
    total: int
    letters: str

    def __str__(self) -> str:
        return self.number


@dataclass(frozen=True)
class AppendixRef:
    number: str
    title: str

    @property
    def label(self) -> str:
        return f"Bil {self.number}"

    def __str__(self) -> str:
        return f"bilaga {self.number}"


@dataclass(frozen=True)
class TableRef:
    total: int


def table_rows_sum(table: Table, amounts: dict[str, int]) -> int:
    """Return the sum of a table's rows and groups (each group at its stated total if any).

    ``amounts`` gives the amount of a row that refers to a payout (``ref:``); for an
    income/cost table the sum is that of its costs.
    """
    def row_amount(row) -> int:
        return amounts.get(row.ref, 0) if row.ref else (row.amount or 0)

    if any(row.cost is not None or row.income is not None for row in table.rows):
        return sum(row.cost or 0 for row in table.rows)
    total = sum(row_amount(row) for row in table.rows)
    for group in table.groups:
        total += group.total if group.total is not None else sum(row_amount(row) for row in group.rows)
    return total


class _Namespace(dict):
    """A dict whose keys read as attributes, so ``sec.id.number`` works in Jinja."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _strict_filter(function):
    """Wrap a formatting function so an undefined name fails as undefined, not as a type error."""

    @functools.wraps(function)
    def wrapper(value, *args, **kwargs):
        for item in (value, *args):
            if isinstance(item, Undefined):
                item._fail_with_undefined_error()
        return function(value, *args, **kwargs)

    return wrapper


#: The formatting functions as Jinja filters.
JINJA_FILTERS = {name: _strict_filter(f) for name, f in formatting.FILTERS.items()}


def make_environment(loader=None, autoescape: bool = False) -> ImmutableSandboxedEnvironment:
    """Return a sandboxed Jinja environment: undefined names are errors, the Swedish filters are loaded.

    Prose uses it as is; document templates pass their loader and ``autoescape=True``.
    """
    env = ImmutableSandboxedEnvironment(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(JINJA_FILTERS)
    return env


_ENV = make_environment()


def walk_sections(sections: list[Section]) -> Iterator[Section]:
    """Yield every section, depth first, in document order."""
    for section in sections:
        yield section
        yield from walk_sections(section.sections)


def walk_appendices(appendices: list[Appendix]) -> Iterator[Appendix]:
    """Yield every appendix, depth first, in document order."""
    for appendix in appendices:
        yield appendix
        yield from walk_appendices(appendix.appendices)


def section_parts_sum(section: Section) -> int:
    """Return the sum of a section's payouts, pots and subsections (each at its stated total if any)."""
    total = sum(p.amount for p in section.payouts) + sum(p.amount for p in section.pots)
    for sub in section.sections:
        total += sub.total if sub.total is not None else section_parts_sum(sub)
    return total


def figure_context(agreement: Agreement) -> dict[str, Any]:
    """Return every name prose may refer to, for one agreement."""
    context: dict[str, Any] = {"total": agreement.total, "year": agreement.year}
    context.update(agreement.figures)
    context.update(agreement.dates)
    numbers = section_numbers(agreement.sections)
    sec = _Namespace()
    punkt = _Namespace()
    pott = _Namespace()
    utbet = _Namespace()
    for section in walk_sections(agreement.sections):
        letters = payout_letters(section)
        for payout in section.payouts:
            context[payout.id] = payout.amount
            utbet[payout.id] = payout
            for earmark in payout.earmarks:
                context[earmark.id] = earmark.amount
            punkt[payout.id] = letters[payout.id]
        for pot in section.pots:
            context[pot.id] = pot.amount
            pott[pot.id] = pot
            for share in pot.distribution.shares if pot.distribution else []:
                if share.id:
                    context[share.id] = share.amount
        total = section.total if section.total is not None else section_parts_sum(section)
        span = formatting.bokstavsintervall(len(section.payouts)) if section.payouts else ""
        sec[section.id] = SectionRef(numbers[section.id], section.title, total, span)
    bil = _Namespace()
    for appendix_id, number in appendix_numbers(agreement.appendices).items():
        appendix = next(a for a in walk_appendices(agreement.appendices) if a.id == appendix_id)
        bil[appendix_id] = AppendixRef(number, appendix.title)
    tab = _Namespace()
    for appendix in walk_appendices(agreement.appendices):
        for block in appendix.blocks:
            table = getattr(block, "table", None)
            if table is not None and table.id:
                stated = table.total if table.total is not None else table.total_cost
                tab[table.id] = TableRef(stated if stated is not None else table_rows_sum(table, context))
    context["tab"] = tab
    context["sec"] = sec
    context["bil"] = bil
    context["punkt"] = punkt
    context["pott"] = pott
    context["utbet"] = utbet
    return context


def render_prose(text: str, context: dict[str, Any]) -> str:
    """Return ``text`` with its figure references filled in; raise :class:`jinja2.TemplateError`."""
    if "{" not in text:
        return text
    return _ENV.from_string(text).render(context)


__all__ = ["TemplateError", "figure_context", "render_prose", "make_environment", "walk_sections", "walk_appendices"]
