"""Ids: every id is unique in the agreement and none shadows a name of the prose."""

from __future__ import annotations

from generator.data.checks.context import CheckContext
from generator.data.loading import PathKey
from generator.data.model import Share

#: Names that prose uses for namespaces and built-ins; no id may shadow them.
RESERVED_NAMES = {"sec", "bil", "punkt", "pott", "utbet", "tab", "total", "year", "decision", "a", "v"}


def check_ids(context: CheckContext) -> None:
    """Report an id used twice, or one that is a reserved name; shares' ids are claimed after all others."""
    seen: dict[str, PathKey] = {}

    def claim(identifier: str, path: PathKey) -> None:
        if identifier in RESERVED_NAMES:
            context.error(
                path,
                f"id:t {identifier!r} är ett reserverat namn i texten",
                f"choose another id; reserved: {', '.join(sorted(RESERVED_NAMES))}",
            )
        elif identifier in seen:
            first = context.at(seen[identifier])
            context.error(
                path,
                f"id:t {identifier!r} används två gånger (första gången på rad {first.line})",
                "varje id måste vara unikt i överenskommelsen: texten hänvisar till det med namn",
            )
        else:
            seen[identifier] = path

    for model, path in context.nodes:
        identifier = getattr(model, "id", None)
        if isinstance(identifier, str) and not isinstance(model, Share):
            claim(identifier, path + ("id",))
    for model, path in context.nodes:
        if isinstance(model, Share) and model.id:
            claim(model.id, path + ("id",))
    for name in ("figures", "dates"):
        for key in getattr(context.agreement, name):
            claim(key, (name, key))
