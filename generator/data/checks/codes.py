"""Codes as written, and published tables on their own rule's grain.

A county or municipality code is text (``"01"``, ``"0180"``): written without quotes, ``01`` is the number 1
to a YAML 1.2 reader (an editor, the JSON Schema), so every code key of a table must be quoted. A published
table states what was paid; a rule that rounds to a ``step`` (half millions in 2010) cannot have produced an
amount off that step, so such an amount is a typo in the transcription or a rule that does not round: an
error either way, since the figure is money that would be paid and printed.
"""

from __future__ import annotations

import re

from generator.data.checks.context import CheckContext
from generator.data.loading import PathKey, dotted
from generator.data.model import CountyAgreements, Distribution
from generator.data.reference import recipient
from generator.formatting import kronor


def check_codes(context: CheckContext) -> None:
    """Report a code key written without quotes, and a published amount that is not a multiple of its step."""
    for model, path in context.nodes:
        if isinstance(model, Distribution):
            for name in ("published", "table"):
                for code in getattr(model, name) or {}:
                    _quoted(context, path + (name, code))
            if model.step == 0:
                context.error(
                    path + ("step",), "steget är 0 kronor: inget belopp kan avrundas till det", "ta bort step:"
                )
            if model.step and model.published:
                for code, amount in model.published.items():
                    if amount % model.step:
                        _off_step(context, path + ("published", code), code, amount, model.step)
        if isinstance(model, CountyAgreements):
            for code in model.counties:
                _quoted(context, path + ("counties", code))


#: A code as written: two digits for a county (01), four for a municipality (0180) or a county council (0001).
_CODE = re.compile(r"[0-9]{2}|[0-9]{4}")


def _quoted(context: CheckContext, path: PathKey) -> None:
    mark = context.source.unquoted_keys.get(path)
    if mark is None:
        if not _CODE.fullmatch(str(path[-1])):
            context.error(
                path,
                f"{str(path[-1])[:20]!r} är ingen kod: två siffror för ett län, fyra för en kommun eller ett "
                "landsting, utan mellanslag",
                'skriv koden som i reference/, inom citattecken: "01", "0180"',
            )
        return
    code = str(path[-1])
    location = context.source.locate(path)
    location = type(location)(location.file, *mark)
    context.report.error(
        location,
        f"koden {code} står utan citattecken: en YAML-läsare (redigeraren, JSON-schemat) läser den som talet "
        f"{int(code)}, och en kod är texten som den skrivs",
        dotted(path),
        f'skriv "{code}": med citattecken'
        if len(code) in (2, 4)
        else 'skriv koden med citattecken och med sina inledande nollor: "01" för ett län, "0180" för en kommun',
    )


def _off_step(context: CheckContext, path: PathKey, code: str, amount: int, step: int) -> None:
    try:
        name = f"{recipient(code)[1]} ({code})"
    except KeyError:
        name = code
    lower = amount - amount % step
    context.error(
        path,
        f"det publicerade beloppet för {name}, {kronor(amount)}, är ingen jämn multipel av regelns steg "
        f"{kronor(step)} (närmast {kronor(lower)} eller {kronor(lower + step)}): tabellen och regeln den "
        "publicerades efter säger emot varandra",
        "skriv beloppet som källan har det; avrundar regeln inte, ta bort step:",
    )
