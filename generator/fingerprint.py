"""Digests of what a document is made of: the data its template is given, and the document model it yields.

A document's bytes depend on its content only. A rebuild decides, per document, without
rendering it when it can:

- :func:`digest` of the template's context (the agreement, the letter's own data, …): equal to
  the one recorded for the existing file, the document is the same and is not rendered at all;
- :func:`content_digest` of the rendered document model (everything but its provenance): equal to
  the one recorded, the writers are not run and the file is left as it is.

The digest is canonical: dataclasses and pydantic models by their fields, sets sorted, and the
same value gives the same digest in every process (no ``hash()``, no object ids). A value of a
kind it does not know raises :class:`Unknown`, and the caller then renders the document.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
from decimal import Decimal
from pathlib import PurePath


class Unknown(TypeError):
    """A value the digest cannot describe canonically: the document is rendered to decide."""


def digest(value, memo: dict | None = None) -> str:
    """Return the hex SHA-256 of ``value``'s canonical form (``memo``: digests of objects already seen, by id)."""
    return _digest(value, {} if memo is None else memo).hex()


_PLAIN = (bool, int, float, str, bytes, Decimal, dt.date, enum.Enum)


def _part(value, memo: dict) -> bytes:
    """Return ``value``'s canonical encoding: a plain value itself (typed, length-prefixed), else its digest."""
    kind = type(value)
    if kind is str:  # the most common, first
        data = value.encode("utf-8", "surrogatepass")
        return b"s%d:" % len(data) + data
    if kind is int:
        return b"i%d" % value
    if value is None or isinstance(value, _PLAIN):
        text = f"{type(value).__name__}:{value!r}".encode("utf-8", "surrogatepass")
        return b"%d:" % len(text) + text
    if isinstance(value, PurePath):
        text = f"path:{value.as_posix()}".encode("utf-8", "surrogatepass")
        return b"%d:" % len(text) + text
    return b"#" + _digest(value, memo)


def _digest(value, memo: dict) -> bytes:
    if value is None or isinstance(value, (*_PLAIN, PurePath)):
        return hashlib.sha256(_part(value, memo)).digest()
    key = id(value)
    found = memo.get(key)
    if found is not None and found[0] is value:  # the value is kept, so its id is not reused meanwhile
        return found[1]
    kind = type(value)
    if isinstance(value, (list, tuple)):
        parts = [f"{kind.__name__}[{len(value)}]".encode()] + [_part(item, memo) for item in value]
    elif isinstance(value, (set, frozenset)):
        parts = [f"set[{len(value)}]".encode()] + sorted(_part(item, memo) for item in value)
    elif isinstance(value, dict):
        parts = [f"dict[{len(value)}]".encode()] + sorted(_part(k, memo) + _part(v, memo) for k, v in value.items())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = [f"{kind.__module__}.{kind.__qualname__}".encode()]
        parts += [f.name.encode() + b"=" + _part(getattr(value, f.name), memo) for f in dataclasses.fields(value)]
    elif hasattr(kind, "model_fields") and hasattr(value, "__pydantic_fields_set__"):
        parts = [f"{kind.__module__}.{kind.__qualname__}".encode()]
        parts += [name.encode() + b"=" + _part(getattr(value, name), memo) for name in kind.model_fields]
        extra = getattr(value, "__pydantic_extra__", None)
        if extra:
            parts.append(b"extra=" + _part(extra, memo))
    else:
        raise Unknown(f"no canonical digest of {kind.__module__}.{kind.__qualname__}")
    result = hashlib.sha256(b"\0".join(parts)).digest()
    memo[key] = (value, result)
    return result


def content_digest(document) -> str:
    """Return the digest of a document model without its provenance (``meta.source``): its content."""
    meta = dataclasses.replace(document.meta, source="")
    return digest(dataclasses.replace(document, meta=meta))
