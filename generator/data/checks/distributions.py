"""Distributions: each rule is given the keys it uses and no other, and a published table is not combined."""

from __future__ import annotations

from generator.data.checks.context import CheckContext
from generator.data.model import Distribution

_COMMON = {
    "rule",
    "level",
    "note",
    "confirm",
    "shares",
    "split",
    "minimum",
    "published",
    "published_from",
    "remainder_note",
}
#: The keys each rule uses.
_ALLOWED = {
    "fixed_table": _COMMON | {"table"},
    "floor_then_key": _COMMON | {"key", "floor", "step"},
    "base_then_key": _COMMON | {"key", "base", "step"},
    "proportional": _COMMON | {"key", "step"},
}


def check_distributions(context: CheckContext) -> None:
    """Refuse keys that the distribution's rule does not use: they would be silently ignored."""
    for model, path in context.nodes:
        if not isinstance(model, Distribution):
            continue
        given = model.model_fields_set
        for name in sorted(given - _ALLOWED[model.rule]):
            users = [rule for rule, keys in _ALLOWED.items() if name in keys and name not in _COMMON]
            context.error(
                path + (name,),
                f"{name!r} används inte av regeln {model.rule}"
                + (f" (den hör till {', '.join(users)})" if users else ""),
                f"ta bort den, eller välj den regel den hör till; {model.rule} använder "
                f"{', '.join(sorted(_ALLOWED[model.rule] - {'rule'}))}",
            )
        published = model.published is not None or model.published_from is not None
        if model.published is not None and model.published_from is not None:
            context.error(
                path + ("published_from",), "ange den publicerade tabellen en gång: published eller published_from"
            )
        if model.remainder_note is not None and not published:
            context.error(
                path + ("remainder_note",),
                "en remainder_note hör till en publicerad tabell som lämnar en del "
                "av potten ofördelad; den här fördelningen har ingen",
            )
        if published and (model.shares or model.split is not None):
            context.error(
                path + ("published" if model.published is not None else "published_from",),
                "en publicerad tabell ger det slutliga beloppet per mottagare; den kan inte kombineras med "
                "shares eller split",
            )
        if published and model.rule == "fixed_table" and model.table is not None:
            context.error(
                path + ("table",),
                "en fixed_table med en publicerad tabell behöver ingen table: den publicerade betalas ut",
            )
