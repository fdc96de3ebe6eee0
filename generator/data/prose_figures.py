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
* ``bil.<id of cited_appendices:>`` — another document's appendix: prints as
  ``bilaga 3 till överenskommelsen``;
* ``tab.<table id>`` — prints as ``tabell 5`` (the number of its caption);
  ``.number``; ``.total`` (stated, else the sum of its rows) of a budget table
  in an appendix.

Filters are those of :mod:`generator.formatting` (``kronor``, ``miljoner``,
``miljoner_ord``, ``milj``, ``datum``, ``isodatum``, ``procent`` …).
The environment is sandboxed and undefined names are errors.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, Undefined, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from generator import formatting
from generator.data.blanks import tomt
from generator.data.model import Agreement, Appendix, Section, Table
from generator.data.numbering import appendix_numbers, payout_letters, section_numbers, table_numbers


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
    of: str = ""  # another document's appendix (cited_appendices:): "överenskommelsen"

    @property
    def label(self) -> str:
        return f"Bil {self.number}"

    def __str__(self) -> str:
        return f"bilaga {self.number}" + (f" till {self.of}" if self.of else "")


@dataclass(frozen=True)
class TableRef:
    total: int
    number: str = ""  # "5", "8.2": as the table's caption numbers it (generator.data.numbering.table_numbers)

    def __str__(self) -> str:
        return f"tabell {self.number}"


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


#: What a blank printed by a filter is called: the kind of value the filter formats.
_BLANK_NAMES = {
    **dict.fromkeys(("datum", "datum_utan_den", "dag_manad", "isodatum"), "datum"),
    **dict.fromkeys(("belopp", "kronor", "miljoner", "miljoner_ord", "milj"), "belopp"),
}


def _strict_filter(function):
    """Wrap a formatting function so an undefined name fails as undefined, not as a type error."""

    @functools.wraps(function)
    def wrapper(value, *args, **kwargs):
        if value is None:  # a field the source leaves empty (a decision's date): a visible blank, listed by validate
            return tomt(_BLANK_NAMES.get(function.__name__, "uppgift"))
        for item in (value, *args):
            if isinstance(item, Undefined):
                item._fail_with_undefined_error()
        return function(value, *args, **kwargs)

    return wrapper


#: The formatting functions as Jinja filters.
JINJA_FILTERS = {name: _strict_filter(f) for name, f in formatting.FILTERS.items()}


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, its verdict on an attribute remembered per type and name.

    Jinja decides from the object's type and the attribute's name alone (a name starting with ``_``, a
    function's or frame's internals, a method that changes a list, dict, set or deque); a letter asks the
    same few hundred questions thousands of times.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = ImmutableSandboxedEnvironment.is_safe_attribute(self, obj, attr, value)
        return verdict


def make_environment(loader=None, autoescape: bool = False) -> ImmutableSandboxedEnvironment:
    """Return a sandboxed Jinja environment: undefined names are errors, the Swedish filters are loaded.

    Prose uses it as is; document templates pass their loader and ``autoescape=True``.
    """
    env = _Sandbox(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(JINJA_FILTERS)
    return env


def _miljoner_ord_strict(amount: int) -> str:
    """``miljoner_ord`` for prose: one to twelve whole millions in words, anything else refused (not reworded)."""
    if (
        isinstance(amount, bool)
        or not isinstance(amount, int)
        or amount % formatting.MILLION
        or not 1 <= amount // formatting.MILLION <= 12
    ):
        raise ValueError(
            f"miljoner_ord skriver en till tolv hela miljoner med ord; {amount!r} ligger utanför: använd miljoner"
        )
    return formatting.miljoner_ord(amount)


class _ProseEnvironment(_Sandbox):
    """The sandbox for prose: beyond Jinja's own rules, no attribute that is a method or pydantic's machinery."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if callable(value) or attr.startswith("model_"):
            return False
        return super().is_safe_attribute(obj, attr, value)


def _prose_environment() -> ImmutableSandboxedEnvironment:
    env = _ProseEnvironment(undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(JINJA_FILTERS)
    env.filters["miljoner_ord"] = _strict_filter(_miljoner_ord_strict)
    return env


_ENV = _prose_environment()

#: What prose may contain. Prose in the data is data, not a program: it refers to named figures, through
#: the Swedish filters, optionally under a condition on a named figure. Loops, arithmetic, calls, indexing,
#: literals, macros, assignments and the other statements are refused when an agreement is validated, and
#: again before any prose is rendered.
PROSE_FILTERS = frozenset(formatting.FILTERS) | {"capitalize"}
MAX_PROSE_CHARS = 100_000


class ProseNotAllowed(TemplateError):
    """A prose text uses a construct that prose may not use (on line ``lineno`` of the text, in ``needle``)."""

    lineno: int | None = None
    needle: str | None = None
    literal: bool = False  # a number written out


#: Jinja's names of the tokens a reference is written with, as the writer of the text sees them.
_TOKENS = {
    "end of print statement": "}}",
    "end of statement block": "%}",
    "end of template": "slutet av texten",
    "begin of print statement": "{{",
    "begin of statement block": "{%",
    "name": "ett namn",
    "end of comment": "#}",
    "integer": "ett tal",
    "float": "ett tal",
    "string": "en text",
}
#: Jinja's syntax messages (jinja2.lexer, jinja2.parser) in Swedish, most specific first.
_SYNTAX = [
    (
        re.compile(r"unexpected end of template, expected (?:token )?'?([^'.]+)'?\.?", re.I),
        lambda m: f"texten tar slut mitt i en hänvisning: {_token(m[1])} saknas",
    ),
    (
        re.compile(
            r"unexpected end of template\. Jinja was looking for the following tags: (.*?)\. "
            r"The innermost block that needs to be closed is '(\w+)'\.",
            re.I | re.S,
        ),
        lambda m: f"blocket {{% {m[2]} %}} avslutas aldrig",
    ),
    (re.compile(r"unexpected end of template\.?", re.I), lambda m: "texten tar slut mitt i en hänvisning"),
    (
        re.compile(r"expected token '([^']+)', got '([^']*)'"),
        lambda m: f"väntade {_token(m[1])} men fann {_TOKENS.get(m[2], repr(m[2]))}",
    ),
    (re.compile(r"unexpected char '(.+)' at \d+"), lambda m: f"tecknet {m[1]!r} hör inte hemma i en hänvisning"),
    (re.compile(r"Encountered unknown tag '([^']+)'"), lambda m: f"okänd tagg {{% {m[1]} %}}"),
    (re.compile(r"unexpected '([^']+)'"), lambda m: f"oväntat {_token(m[1])!r} (en hänvisning skrivs {{{{ … }}}})"),
    (re.compile(r"expected name or number"), lambda m: "ett namn eller tal saknas"),
    (re.compile(r"tag name expected"), lambda m: "en tagg saknar namn efter {%"),
    (
        re.compile(r"Missing end of comment tag|unclosed comment", re.I),
        lambda m: "en kommentar {# avslutas aldrig med #}",
    ),
]


def _token(name: str) -> str:
    return _TOKENS.get(name, name)


def syntax_message(exc: TemplateError) -> str:
    """Return ``exc``'s message in Swedish: Jinja's own syntax messages translated, ours as they are."""
    text = exc.message or str(exc)
    if isinstance(exc, ProseNotAllowed) or not isinstance(exc, TemplateSyntaxError):
        return text
    for pattern, swedish in _SYNTAX:
        match = pattern.search(text)
        if match:
            return swedish(match)
    return f"texten kan inte tolkas ({text})"


def _describe_node(node: nodes.Node) -> str:
    names = {
        "For": "en slinga ({% for %})",
        "Macro": "ett makro",
        "CallBlock": "ett anropsblock",
        "Call": "ett funktionsanrop",
        "Assign": "en tilldelning ({% set %})",
        "AssignBlock": "en tilldelning ({% set %})",
        "Getitem": "indexering ([…])",
        "Const": "ett skrivet värde",
        "Include": "en inkludering",
        "Import": "en import",
        "FromImport": "en import",
        "Extends": "mallarv",
        "Block": "ett block",
        "Slice": "utsnitt ([a:b])",
        "Concat": "sammanfogning av text (~)",
        "CondExpr": "ett if … else i raden",
        "FilterBlock": "ett filterblock",
        "With": "ett with-block",
        "List": "en lista",
        "Tuple": "en tupel",
        "Dict": "en samling nycklar",
    }
    kind = type(node).__name__
    if isinstance(node, (nodes.BinExpr, nodes.UnaryExpr)) and not isinstance(node, nodes.Not):
        return f"räkning eller en operator ({getattr(node, 'operator', kind)})"
    if isinstance(node, nodes.Compare):
        return "en jämförelse"
    return names.get(kind, f"{kind}")


#: Text that reads as a number: ``"5"``, ``"-5 000"``, ``"1e6"``, ``"0x10"`` (a number written as a string).
_NUMERIC_TEXT = re.compile(
    r"^\s*[-+\u2212]?(?:\d[\d_ \u00a0]*(?:[.,]\d+)?(?:[eE][-+]?\d+)?|\.\d+|0[xXoObB][0-9a-fA-F_]+|inf|nan)\s*$",
    re.I,
)


def _number_literal(node: nodes.Node) -> Any:
    """Return the number ``node`` writes out (a literal, a negated or signed literal, digits in quotes), else None."""
    negated = False
    while isinstance(node, (nodes.Neg, nodes.Pos, nodes.Filter)) and node.node is not None:
        negated ^= isinstance(node, nodes.Neg)  # {{ -5_000_000 | kronor }}, {{ "5" | int }}, {{ 1e6 | kronor }}
        node = node.node
    if isinstance(node, nodes.Const) and not isinstance(node.value, bool):
        value = node.value
        if isinstance(value, (int, float, complex)):
            return -value if negated else value
        if isinstance(value, str) and _NUMERIC_TEXT.match(value):
            return value
    return None


def _literal_refused(value: Any) -> ProseNotAllowed:
    shown = repr(value) if isinstance(value, str) else str(value)
    refused = ProseNotAllowed(
        f"texten får inte använda ett skrivet värde, talet {shown}: text hänvisar till belopp, antal och datum "
        "med namn, så att de följer data; lägg talet i data med ett namn (under figures:) och skriv "
        "{{ namn | kronor }}"
    )
    refused.literal = True
    return refused


def _check_reference(node: nodes.Node, path: list[str]) -> None:
    """A reference is a name, a dotted name (sec.x.number), or either through filters with literal arguments."""
    if isinstance(node, nodes.Name):
        return
    literal = _number_literal(node)
    if literal is not None:
        raise _literal_refused(literal)
    if isinstance(node, nodes.Add):  # a sum of named figures, (a + b) | miljoner: bounded, and names only
        for side in (node.left, node.right):
            if not isinstance(side, (nodes.Name, nodes.Getattr, nodes.Add)):
                raise ProseNotAllowed(f"bara namngivna belopp kan adderas, inte {_describe_node(side)}")
            _check_reference(side, path)
        return
    if isinstance(node, nodes.Getattr):
        if node.attr.startswith("_") or node.attr.startswith("model_"):
            raise ProseNotAllowed(f"attributet {node.attr!r} är inget värde")
        if not isinstance(node.node, (nodes.Name, nodes.Getattr)):
            raise ProseNotAllowed("ett attribut får bara följa ett namn (sec.id.number)")
        _check_reference(node.node, path)
        return
    if isinstance(node, nodes.Filter):
        if node.name not in PROSE_FILTERS:
            raise ProseNotAllowed(
                f"filtret {node.name!r} är inte ett av textens filter ({', '.join(sorted(PROSE_FILTERS))})"
            )
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            raise ProseNotAllowed("ett filters argument måste vara enkla värden")
        for arg in [*node.args, *(k.value for k in node.kwargs)]:
            literal = _number_literal(arg)
            if literal is not None:
                raise _literal_refused(literal)
            if not (
                isinstance(arg, nodes.Const)
                and isinstance(arg.value, (str, int, bool))
                and not (isinstance(arg.value, str) and len(arg.value) > 20)
            ) and not isinstance(arg, (nodes.Name, nodes.Getattr)):
                raise ProseNotAllowed(
                    f"ett filters argument måste vara ett namn eller ett kort enkelt värde, inte {_describe_node(arg)}"
                )
            if isinstance(arg, (nodes.Name, nodes.Getattr)):
                _check_reference(arg, path)
        if node.node is None:
            raise ProseNotAllowed("ett filter behöver ett värde att skriva ut")
        _check_reference(node.node, path)
        return
    raise ProseNotAllowed(f"texten får inte använda {_describe_node(node)}")


def _check_body(body: list[nodes.Node], path: list[str]) -> None:
    for node in body:
        try:
            _check_node(node, path)
        except ProseNotAllowed as exc:
            if exc.lineno is None:
                exc.lineno = node.lineno
            raise


def _check_node(node: nodes.Node, path: list[str]) -> None:
    if isinstance(node, nodes.Output):
        for child in node.nodes:
            if isinstance(child, nodes.TemplateData):
                continue
            try:
                _check_reference(child, path)
            except ProseNotAllowed as exc:
                if exc.lineno is None:
                    exc.lineno = child.lineno
                raise
    elif isinstance(node, nodes.If):
        test = node.test.node if isinstance(node.test, nodes.Not) else node.test
        literal = _number_literal(test)
        if literal is not None:
            raise _literal_refused(literal)
        if not isinstance(test, (nodes.Name, nodes.Getattr)):
            raise ProseNotAllowed(f"ett villkor får bara ange ett värde ({{% if name %}}), inte {_describe_node(test)}")
        _check_reference(test, path)
        _check_body(node.body, path)
        for elif_ in node.elif_:
            _check_body([elif_], path)
        _check_body(node.else_, path)
    else:
        raise ProseNotAllowed(f"texten får inte använda {_describe_node(node)}")


@functools.lru_cache(maxsize=4096)
def check_prose(text: str) -> None:
    """Raise :class:`ProseNotAllowed` (a TemplateError) if ``text`` is more than references to figures."""
    if len(text) > MAX_PROSE_CHARS:
        raise ProseNotAllowed(f"texten är längre än {MAX_PROSE_CHARS} tecken")
    try:
        tree = _ENV.parse(text)
    except RecursionError:
        raise ProseNotAllowed("texten är för djupt nästlad") from None
    try:
        _check_body(tree.body, [])
    except ProseNotAllowed as exc:
        _place(exc, tree, text)
        raise


#: A figure reference or statement as written: ``{{ … }}``, ``{% … %}``.
_REFERENCE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def _place(exc: ProseNotAllowed, tree: nodes.Template, text: str) -> None:
    """Give a refusal the reference written on its line (``exc.needle``), so that it can be located at the file's
    line and column: for a number written out, the first reference on the line with a digit in it."""
    lines = text.splitlines()
    line = exc.lineno if isinstance(exc.lineno, int) and 0 < exc.lineno <= len(lines) else None
    if line is not None:
        found = [m.group(0) for m in _REFERENCE.finditer(lines[line - 1])]
        with_digit = [f for f in found if re.search(r"[0-9]", f)] if exc.literal else []
        if with_digit or found:
            exc.needle = (with_digit or found)[0]


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
    for cited_id, cited in agreement.cited_appendices.items():
        bil.setdefault(cited_id, AppendixRef(cited.number, cited.title or "", cited.document))
    appendix_number = appendix_numbers(agreement.appendices)
    tab = _Namespace()
    for appendix in walk_appendices(agreement.appendices):
        labels = table_numbers(appendix, appendix_number[appendix.id])
        for index, block in enumerate(appendix.blocks):
            table = getattr(block, "table", None)
            if table is not None and table.id:
                stated = table.total if table.total is not None else table.total_cost
                total = stated if stated is not None else table_rows_sum(table, context)
                tab[table.id] = TableRef(total, labels[index])
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
    return _compiled(text).render(context)


@functools.lru_cache(maxsize=4096)
def _compiled(text: str):
    """Return ``text`` checked and compiled once per process (a build renders the same prose for every letter)."""
    check_prose(text)
    return _ENV.template_class.from_code(_ENV, _ENV.compile(text), _ENV.make_globals(None), None)


__all__ = [
    "TemplateError",
    "ProseNotAllowed",
    "syntax_message",
    "check_prose",
    "figure_context",
    "render_prose",
    "make_environment",
    "walk_sections",
    "walk_appendices",
]
