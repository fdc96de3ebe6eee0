"""Prose: every figure reference in the text resolves, and no figure of the data is typed out as a literal."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from decimal import Decimal

from jinja2 import TemplateError, UndefinedError

from generator.data.checks.context import CheckContext
from generator.data.loading import dotted
from generator.data.model import Decision
from generator.data.prose_figures import figure_context, render_prose, syntax_message
from generator.data.schema_errors import undefined_name


def check_prose(context: CheckContext) -> None:
    """Report a text that refers to a name that does not exist, or that cannot be rendered."""
    try:
        figures = figure_context(context.agreement)
    except Exception as exc:  # numbering limits and the like
        context.error((), f"dokumentet kan inte numreras: {exc}")
        return
    known = sorted(k for k in figures if isinstance(k, str))
    for model, where, text in context.texts():
        local = {**figures, "decision": model} if isinstance(model, Decision) else figures
        try:
            render_prose(text, local)
        except UndefinedError as exc:
            missing = undefined_name(exc)
            close = difflib.get_close_matches(missing, known, n=1)
            hint = (
                f"menade du {close[0]!r}?"
                if close
                else "ange det under figures: eller dates:, eller använd ett id som finns"
            )
            context.report.error(
                context.source.locate_in_text(where, text, missing),
                f"texten hänvisar till {missing!r}, som inte finns",
                dotted(where),
                hint,
            )
        except TemplateError as exc:
            context.report.error(
                context.source.locate_error(where, exc),
                f"texten har en felaktig hänvisning: {syntax_message(exc)}",
                dotted(where),
                "en hänvisning skrivs {{ id | miljoner }}",
            )
        except (TypeError, ValueError) as exc:
            context.error(where, f"ett värde i texten kan inte skrivas ut: {exc}")


def check_literal_figures(context: CheckContext) -> None:
    """Warn where prose types an amount or a date that is a figure of the data: it would go stale."""
    try:
        figures = figure_context(context.agreement)
    except Exception:  # reported by check_prose
        return
    amounts: dict[int, list[str]] = {}
    dates: dict[dt.date, list[str]] = {}
    for name, value in figures.items():
        if isinstance(value, bool) or not isinstance(name, str) or name in {"year"}:
            continue
        if isinstance(value, int):
            amounts.setdefault(value, []).append(name)
        elif isinstance(value, dt.date):
            dates.setdefault(value, []).append(name)
    for section_id, ref in figures.get("sec", {}).items():
        if getattr(ref, "total", None):
            amounts.setdefault(ref.total, []).append(f"sec.{section_id}.total")
    for _, where, text in context.texts():
        for literal, amount, when in literal_figures(text):
            if amount is not None:
                names = amounts.get(amount, [])
            else:
                names = dates.get(when, []) if when is not None else []  # literal_figures gives an amount or a date
            if not names:
                continue
            use = (
                f"{{{{ {names[0]} | {'kronor' if 'kronor' in literal else 'miljoner'} }}}}"
                if amount is not None
                else f"{{{{ {names[0]} | datum }}}}"
            )
            context.report.warning(
                context.source.locate_in_text(where, text, literal),
                f"texten skriver {literal!r}, som är värdet {names[0]!r}: det skulle inte följa med en ändring av data",
                dotted(where),
                f"skriv {use} i stället",
            )


_WORDS = {w: n for n, w in enumerate("en två tre fyra fem sex sju åtta nio tio elva tolv".split(), start=1)}
_MONTHS = "januari februari mars april maj juni juli augusti september oktober november december".split()
_LITERAL = re.compile(
    r"(?P<grouped>\d{1,3}(?:[ \u00a0]\d{3})+)[ \u00a0]*(?:kronor|kr\b)"
    r"|(?P<millions>\d+(?:,\d+)?|"
    + "|".join(_WORDS)
    + r")[ \u00a0]+(?:miljoner|miljon|milj\.)[ \u00a0]*(?:kronor|kr\b)"
    r"|den (?P<day>\d{1,2}) (?P<month>" + "|".join(_MONTHS) + r") (?P<year>\d{4})"
)


def literal_figures(text: str) -> Iterator[tuple[str, int | None, dt.date | None]]:
    """Yield (literal, amount in kronor or None, date or None) for each amount or date typed in ``text``.

    Figure references (``{{ … }}``) are skipped: only what is typed counts.
    """
    plain = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", lambda m: " " * len(m.group(0)), text, flags=re.S)
    for match in _LITERAL.finditer(plain):
        literal = match.group(0)
        if match.group("grouped"):
            yield literal, int(re.sub(r"\D", "", match.group("grouped"))), None
        elif match.group("millions"):
            figure = match.group("millions")
            number = Decimal(_WORDS[figure]) if figure in _WORDS else Decimal(figure.replace(",", "."))
            amount = number * 1_000_000
            if amount == amount.to_integral_value():
                yield literal, int(amount), None
        else:
            try:
                yield (
                    literal,
                    None,
                    dt.date(int(match.group("year")), _MONTHS.index(match.group("month")) + 1, int(match.group("day"))),
                )
            except ValueError:
                continue
