"""Digests of what a document is made of: the data its template is given, and the document model it yields.

A document's bytes depend on its content only. A rebuild decides, per document, without
rendering it when it can:

- :func:`digest` of the template's context (the agreement, the letter's own data, …): equal to
  the one recorded for the existing file, the document is the same and is not rendered at all;
- :func:`content_digest` of the rendered document model (everything but its provenance): equal to
  the one recorded, the writers are not run and the file is left as it is.

The digest is canonical: dataclasses and pydantic models by their class and fields, sets and dicts
sorted by their items' encodings, and the same value gives the same digest in every process (no
``hash()``, no object ids, no set or dict order). A value of a kind it does not know raises
:class:`Unknown`, and the caller then renders the document.

How: the value is written once, depth first, as one string of bytes in which every value is
self-delimiting (a type tag, then a length or a terminator, or a fixed count of encoded items), so
that two different values never give the same bytes; the bytes are hashed once. The encoder of each
class (a dataclass's field names, a pydantic model's) is made once per process. With a ``memo``, the
bytes of each object encoded are kept by its id (with the object, so that the id is not reused), and an
object met again (an agreement's item in several letters) is not walked again: the digest is the same
with or without it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import operator
from collections.abc import Callable
from decimal import Decimal
from pathlib import PurePath
from typing import Any


class Unknown(TypeError):
    """A value the digest cannot describe canonically: the document is rendered to decide."""


def digest(value, memo: dict | None = None) -> str:
    """Return the hex SHA-256 of ``value``'s canonical encoding.

    ``memo``: the encodings of the objects already met, by id (give the same dict to several calls whose
    values share objects that do not change meanwhile).
    """
    out: list[bytes] = []
    _encode(value, out, memo)
    return hashlib.sha256(b"".join(out)).hexdigest()


def content_digest(document) -> str:
    """Return the digest of a document model without its provenance (``meta.source``): its content."""
    meta = dataclasses.replace(document.meta, source="")
    return digest(dataclasses.replace(document, meta=meta))


# --------------------------------------------------------------------------- the encoding
#
# N                       None            T / F                   True / False
# i<digits>;              an int          s<n>:<n bytes>          a str (UTF-8, lone surrogates kept)
# b<n>:<n bytes>          bytes           f<repr>;                a float
# d<str>;                 a Decimal       D<iso>; / t<iso>;       a date / a datetime
# p<n>:<path>             a path          e<name><value>          an Enum member (class, its value)
# x<name><value>          a subclass of str, int, float, bytes, Decimal or date: its class, the base value
# l<k>: / u<k>: items     a list / tuple  L<name><k>: items       a subclass of list or tuple
# S<k>: sorted items      a set           M<k>: sorted key+value  a dict (any mapping subclass of dict)
# C<name> values          a dataclass     P<name> values N|extra  a pydantic model
#
# <name> is s-encoded ("module.qualname", a dataclass's and model's with its field names); <k> a count.

_Encoder = Callable[[object, list, "dict | None"], None]
_ENCODERS: dict[type, _Encoder] = {}


def _text(text: str) -> bytes:
    data = text.encode("utf-8", "surrogatepass")
    return b"s%d:%s" % (len(data), data)


def _encode(value, out: list, memo: dict | None) -> None:
    kind = type(value)
    if kind is str:
        data = value.encode("utf-8", "surrogatepass")
        out.append(b"s%d:" % len(data))
        out.append(data)
    elif kind is int:
        out.append(b"i%d;" % value)
    elif value is None:
        out.append(b"N")
    else:
        (_ENCODERS.get(kind) or _encoder(kind))(value, out, memo)


def _encode_items(items, out: list, memo: dict | None) -> None:
    """Encode each of ``items`` in order (the common kinds inline: this is the innermost loop)."""
    append = out.append
    for item in items:
        kind = type(item)
        if kind is str:
            data = item.encode("utf-8", "surrogatepass")
            append(b"s%d:" % len(data))
            append(data)
        elif kind is int:
            append(b"i%d;" % item)
        elif item is None:
            append(b"N")
        elif kind is tuple or kind is list:
            append(b"%s%d:" % (b"u" if kind is tuple else b"l", len(item)))
            _encode_items(item, out, memo)
        elif kind is bool:
            append(b"T" if item else b"F")
        else:
            (_ENCODERS.get(kind) or _encoder(kind))(item, out, memo)


def _sorted(items, memo: dict | None) -> list[bytes]:
    """Return each of ``items`` encoded on its own, sorted: the order of a set."""
    parts = []
    for item in items:
        out: list[bytes] = []
        _encode(item, out, memo)
        parts.append(b"".join(out))
    parts.sort()
    return parts


def _sorted_pairs(mapping: dict, memo: dict | None) -> list[bytes]:
    """Return each key of ``mapping`` encoded with its value, sorted: the order of a dict."""
    parts = []
    for key, value in mapping.items():
        out: list[bytes] = []
        _encode(key, out, memo)
        _encode(value, out, memo)
        parts.append(b"".join(out))
    parts.sort()
    return parts


def _memoised(encode: _Encoder) -> _Encoder:
    """Return ``encode`` keeping, in a given memo, the bytes of each object it meets a second time.

    The memo holds every object met (by id, with the object, so that its id is not reused meanwhile), and the
    bytes only of those met again: an object shared by several values (an item of several letters) is walked
    twice at most, and the bytes of the others are not kept.
    """

    def encode_once(value, out: list, memo: dict | None) -> None:
        if memo is None:
            encode(value, out, memo)
            return
        found = memo.get(id(value))
        if found is None or found[0] is not value:
            memo[id(value)] = (value, None)
            encode(value, out, memo)
        elif found[1] is not None:
            out.append(found[1])
        else:
            start = len(out)
            encode(value, out, memo)
            chunk = b"".join(out[start:])
            del out[start:]
            out.append(chunk)
            memo[id(value)] = (value, chunk)

    return encode_once


#: The encodings of the plain kinds, by the base classes' own methods (a subclass may override its own). Each
#: takes a value of its key's class, which a dict's type cannot say: hence ``Any``.
_PLAIN: dict[type, Callable[[Any], bytes]] = {
    str: lambda value: _text(str.__str__(value)),
    int: lambda value: b"i%d;" % int.__index__(value),
    bool: lambda value: b"T" if value else b"F",
    float: lambda value: b"f%s;" % float.__repr__(value).encode(),
    Decimal: lambda value: b"d%s;" % Decimal.__str__(value).encode(),
    dt.datetime: lambda value: b"t%s;" % dt.datetime.isoformat(value).encode(),
    dt.date: lambda value: b"D%s;" % dt.date.isoformat(value).encode(),
    bytes: lambda value: b"b%d:%s" % (len(value), value),
}


def _name(kind: type, fields: tuple[str, ...] | None = None) -> bytes:
    # The generator's own classes by their name alone, not their module's: moving a class to another module
    # changes no document's content digest.
    module = "generator" if kind.__module__.split(".")[0] == "generator" else kind.__module__
    name = f"{module}.{kind.__qualname__}"
    return _text(name if fields is None else f"{name}({','.join(fields)})")


def _encoder(kind: type) -> _Encoder:
    """Return (and keep) the encoder of the values of class ``kind``; raise :class:`Unknown` if it has none."""
    encoder = _make_encoder(kind)
    _ENCODERS[kind] = encoder
    return encoder


def _make_encoder(kind: type) -> _Encoder:
    own = _PLAIN.get(kind)
    if own is not None:
        return lambda value, out, memo: out.append(own(value))
    if issubclass(kind, enum.Enum):
        head = b"e" + _name(kind)

        def encode_enum(value, out, memo):
            out.append(head)
            _encode(value.value, out, memo)

        return encode_enum
    if issubclass(kind, PurePath):

        def encode_path(value, out, memo):
            data = value.as_posix().encode("utf-8", "surrogatepass")
            out.append(b"p%d:%s" % (len(data), data))

        return encode_path
    for base, plain in _PLAIN.items():  # a subclass of a plain kind: its class, then its value as the base's
        if issubclass(kind, base):
            head = b"x" + _name(kind)
            return lambda value, out, memo: out.extend((head, plain(value)))
    if kind is list or kind is tuple:
        tag = b"l" if kind is list else b"u"

        def encode_sequence(value, out, memo):
            out.append(b"%s%d:" % (tag, len(value)))
            _encode_items(value, out, memo)

        return encode_sequence  # not kept in a memo: a shared list is mostly met inside a shared object
    if issubclass(kind, (list, tuple)):
        head = b"L" + _name(kind)

        def encode_subclass(value, out, memo):
            out.append(b"%s%d:" % (head, len(value)))
            _encode_items(value, out, memo)

        return encode_subclass
    if issubclass(kind, (set, frozenset)):

        def encode_set(value, out, memo):
            out.append(b"S%d:" % len(value))
            out.extend(_sorted(value, memo))

        return _memoised(encode_set)
    if issubclass(kind, dict):

        def encode_dict(value, out, memo):
            out.append(b"M%d:" % len(value))
            out.extend(_sorted_pairs(value, memo))

        return _memoised(encode_dict)
    if dataclasses.is_dataclass(kind):
        names = tuple(f.name for f in dataclasses.fields(kind))
        head = b"C" + _name(kind, names)
        values = _getter(names)

        def encode_dataclass(value, out, memo):
            out.append(head)
            _encode_items(values(value), out, memo)

        return _memoised(encode_dataclass)
    if hasattr(kind, "model_fields") and hasattr(kind, "__pydantic_fields_set__"):  # a pydantic model
        names = tuple(kind.model_fields)
        head = b"P" + _name(kind, names)
        values = _getter(names)

        def encode_model(value, out, memo):
            out.append(head)
            _encode_items(values(value), out, memo)
            extra = getattr(value, "__pydantic_extra__", None)
            if extra:
                _encode(extra, out, memo)
            else:
                out.append(b"N")

        return _memoised(encode_model)
    raise Unknown(f"no canonical digest of {kind.__module__}.{kind.__qualname__}")


def _getter(names: tuple[str, ...]) -> Callable[[object], tuple]:
    """Return a function giving an object's attributes ``names`` as a tuple."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        name = names[0]
        return lambda value: (getattr(value, name),)
    return lambda value: ()
