"""The public wording of schema errors: pydantic's findings turned into Swedish messages at file:line:col with the
field path, hints for an unknown key or a value left empty by ``generator new``; used by every kind of data file."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from generator.data.loading import PathKey, SourceMap, dotted
from generator.errors import Report
from generator.formatting import kronor


def data_path(data: Any, loc: tuple) -> PathKey:
    """Return the part of a pydantic ``loc`` that indexes into the data (drops union tags)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and part not in node and path and loc[-1] == part:
            path.append(part)  # a missing or unknown key: name it
    return tuple(path)


def describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return f"sanningsvärdet {str(value).lower()}"
    if isinstance(value, float):
        return f"decimaltalet {value!r}"
    if isinstance(value, str):  # cut: a message repeats a value, not a file
        return f"texten {value if len(value) <= 60 else value[:60] + '…'!r}"
    if isinstance(value, dict):
        return "en samling nycklar"
    if isinstance(value, list):
        return "en lista"
    if value is None:
        return "ingenting (null)"
    if isinstance(value, dt.date):
        return f"datumet {value.isoformat()}"
    return repr(value)


#: What an empty (null) value should have been, by pydantic's error type.
EMPTY_KINDS = {"int_type": "ett belopp i hela kronor", "date_type": "ett datum ÅÅÅÅ-MM-DD", "string_type": "en text"}


EMPTY_HINT = (
    "generator new lämnar varje belopp och datum i ett nytt år tomt, för att fyllas i; "
    "ta bort kommentarsraden från generator new överst när allt är ifyllt"
)


def schema_message(error: ErrorDetails) -> tuple[str, str]:
    kind = error["type"]
    value = error.get("input")
    loc = error["loc"]
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "missing":
        return f"nyckeln {name!r} saknas men krävs", ""
    if value is None and kind in EMPTY_KINDS:
        return (f"inte ifyllt (null): {EMPTY_KINDS[kind]}", EMPTY_HINT)
    if kind == "extra_forbidden":
        return f"okänd nyckel {name!r}", "kontrollera stavningen; nycklarna står i docs/REFERENCE.md"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        if isinstance(value, str) and re.fullmatch(r"[-+]?(?:\.[0-9A-Za-z]+|[0-9][0-9A-Za-z_:.+-]*)", value):
            return (
                f"väntade ett heltal som 66_000_000, fann texten {value!r}, som inte läses som ett",
                "skriv bara siffror, gärna i grupper om tre med _ (1_000_000); en inledande nolla eller +, "
                "0x, 0b, en exponent (1e6) eller ett kolon (1:00) avvisas så att inget belopp läses på annat sätt "
                "än det skrivits",
            )
        return (
            f"väntade ett belopp i hela kronor (ett heltal som 66_000_000), fann {describe_value(value)}",
            "skriv belopp i kronor utan mellanslag eller enhet: 7 500 000 kronor skrivs 7_500_000",
        )
    if kind in {"greater_than_equal", "greater_than"}:
        limit = error.get("ctx", {}).get("ge", error.get("ctx", {}).get("gt"))
        if limit == 0:
            return f"får inte vara negativt, fann {value!r}", ""
        return f"måste vara minst {limit}, fann {value!r}", ""
    if kind in {"less_than_equal", "less_than"}:
        limit = error.get("ctx", {}).get("le", error.get("ctx", {}).get("lt"))
        shown = kronor(limit) if isinstance(limit, int) and limit >= 1_000_000 else limit
        return (
            f"får vara högst {shown}, fann {value!r}",
            "kontrollera antalet siffror" if isinstance(limit, int) and limit >= 1_000_000 else "",
        )
    if kind in {"date_type", "date_parsing", "date_from_datetime_parsing"}:
        return (
            f"väntade ett datum skrivet ÅÅÅÅ-MM-DD, fann {describe_value(value)}",
            "skriv datum utan citattecken, t.ex. 2012-02-09; en tidpunkt kan i stället ange en nyckel under dates:",
        )
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        return f"{describe_value(value)} har inte den form som krävs ({pattern})", ""
    if kind in {"string_type"}:
        return f"väntade text, fann {describe_value(value)}", ""
    if kind in {"list_type"}:
        return f"väntade en lista, fann {describe_value(value)}", ""
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"väntade en samling nycklar, fann {describe_value(value)}", ""
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        expected = re.sub(r"(?<=') or (?=')", " eller ", expected)  # pydantic's "'a', 'b' or 'c'" in Swedish
        return f"väntade något av {expected}, fann {describe_value(value)}", ""
    if kind == "bool_type":
        return f"väntade true eller false, fann {describe_value(value)}", (
            "yes/no/on/off är text här; skriv true eller false" if isinstance(value, str) else ""
        )
    if kind == "too_short":
        least = error.get("ctx", {}).get("min_length", 1)
        found = error.get("ctx", {}).get("actual_length")
        if least == 1:
            return "kräver minst en post", ""
        return (
            f"kräver minst {least} poster, fann {found if found is not None else 'färre'}",
            "en överenskommelse har två parter, var och en med sin undertecknare"
            if loc and loc[0] == "parties"
            else "",
        )
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"])), ""
    return f"{error['msg']} (fann {describe_value(value)})", ""


def _value_at(data: Any, path: PathKey) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def hint_once(report: Report, hint: str) -> None:
    """Keep ``hint`` on the first finding that has it: a list of values to fill in need not repeat it."""
    import dataclasses

    seen = False
    for index, finding in enumerate(report.findings):
        if finding.hint == hint:
            if seen:
                report.findings[index] = dataclasses.replace(finding, hint="")
            seen = True


def empty_findings(data: Any, kind_name: str, source: SourceMap, report: Report, prefix: PathKey = ()) -> None:
    """Report every amount or date written as null in a file ``generator new`` started, unless already reported.

    Elsewhere an optional amount or date may be null on purpose (a date the source leaves blank).
    """
    from generator.data.file_kinds import FILE_KINDS, figure_paths
    from generator.data.newyear import started_by_new

    if not started_by_new(source.file):
        return
    from generator.data.newyear import IDENTIFIER_KEYS, identifier_paths

    kind = next(k for k in FILE_KINDS if k.name == kind_name)
    reported = {(f.path, f.location.line) for f in report.findings}
    for path in identifier_paths(data):  # a dnr or number `generator new` left empty
        path = prefix + path
        if (dotted(path), source.locate(path).line) not in reported:
            what = "ett diarienummer" if path[-1] == "dnr" else f"ett {IDENTIFIER_KEYS[str(path[-1])]}"
            report.error(source.locate(path), f"inte ifyllt (null): {what}", dotted(path), EMPTY_HINT)
            reported.add((dotted(path), source.locate(path).line))
    for path, text in _texts(data):  # an identifier in a text that `generator new` left as a visible blank
        path = prefix + path
        for match in TEXT_BLANK.finditer(text):
            location = source.locate_in_text(path, text, match.group(0))
            if (dotted(path), location.line) not in reported:
                report.error(location, f"inte ifyllt: {match.group(1)} (ett tomrum i texten)", dotted(path), EMPTY_HINT)
                reported.add((dotted(path), location.line))
    for path, what, value in figure_paths(data, kind):
        path = prefix + path
        if value is None and (dotted(path), source.locate(path).line) not in reported:
            report.error(
                source.locate(path),
                f"inte ifyllt (null): {EMPTY_KINDS['int_type' if what == 'amount' else 'date_type']}",
                dotted(path),
                EMPTY_HINT,
            )


#: A blank typed in a text, as ``generator new`` leaves an identifier it cannot know: ``[propositionsnummer] ____``.
TEXT_BLANK = re.compile(r"\[([^\[\]{}]{1,40})\][ \u00a0]_{5,}")


def _texts(data: Any, path: PathKey = ()) -> list[tuple[PathKey, str]]:
    if isinstance(data, dict):
        return [t for k, v in data.items() for t in _texts(v, path + (k,))]
    if isinstance(data, list):
        return [t for i, v in enumerate(data) for t in _texts(v, path + (i,))]
    return [(path, data)] if isinstance(data, str) else []


def unknown_key_hint(data: Any, path: PathKey, kind_name: str = "overenskommelse") -> str:
    """Return the hint for an unknown key at ``path``: the key meant, if close, and where the keys are described."""
    from generator.data.file_kinds import FILE_KINDS, model_at

    kind = next(k for k in FILE_KINDS if k.name == kind_name)
    found = model_at(kind, data, tuple(path[:-1]))
    if found is None:
        return "kontrollera stavningen; nycklarna står i docs/REFERENCE.md"
    model, keys = found
    close = difflib.get_close_matches(str(path[-1]), keys, n=1)
    where = f"nycklarna i {model} står i docs/REFERENCE.md#{model.lower()}"
    return (f"menade du {close[0]!r}? " if close else "kontrollera stavningen; ") + where


def schema_findings(
    data: Any, source: SourceMap, exc: ValidationError, report: Report, kind_name: str = "overenskommelse"
) -> None:
    seen: set[tuple] = set()
    for error in exc.errors(include_url=False):
        path = data_path(data, error["loc"])
        if error.get("input") is None and isinstance(_value_at(data, path), str):
            continue  # a deadline naming an empty date under dates:: that date is reported itself
        message, hint = schema_message(error)
        if error["type"] == "extra_forbidden":
            hint = unknown_key_hint(data, path, kind_name)
        key = (path, message)
        if key in seen:  # a union reports one error per member: keep the first
            continue
        seen.add(key)
        report.error(source.locate(path), message, dotted(path), hint)


def undefined_name(exc: Exception) -> str:
    """Return the name a Jinja UndefinedError complains about."""
    found = re.search(r"has no attribute '(\w+)'", str(exc)) or re.search(r"'(\w+)' is undefined", str(exc))
    return found.group(1) if found else str(exc)
