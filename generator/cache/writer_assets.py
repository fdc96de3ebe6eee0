"""The DOCX writer's styled package kept between processes: plain bytes, checked against what it was made from.

Building the styled package takes python-docx (imported and run: about 0.2 s a
process). :func:`install` has the writer (:mod:`generator.writers.docx.package`)
take it from here: an entry in the per-user cache (kind :data:`KIND`) is found
by the key of what the package is made from (the generator's code and fonts,
python-docx, lxml, libxml2 and zlib, the reference document's content, with or
without the running header on page 1) and holds plain data only, no pickle or
marshal; the store (:mod:`generator.cache.store`) adds its own header (what the entry was made from, an HMAC)::

    FORMAT | key (32 bytes) | SHA-256 of the payload (32 bytes) | payload
    payload = length of the head (4 bytes, big-endian) | head (JSON) | the parts' bytes, one after the other

The head holds the package's names, style ids and header parts, and where each
part's bytes lie. An entry is used only if its key is the key it is stored
under (an entry copied from another key is refused), its payload is what its
hash says, its head is of the expected shape and the writer can make a package
of it; any other entry is ignored, built again and replaced.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable
from pathlib import Path

from generator.cache import store

KIND = "docx-package"
FORMAT = b"generator docx-package 1\n"
_HASH = 32


def install() -> None:
    """Have the DOCX writer take its styled package from the per-user cache (once a process; idempotent)."""
    from generator.writers.docx.package import use_package_source

    use_package_source(styled_package)


def uninstall() -> None:
    """Have the DOCX writer build its styled package itself again."""
    from generator.writers.docx.package import use_package_source

    use_package_source(None)


def _library(module: str) -> bytes:
    """Return the text of ``module``'s ``__init__.py`` (its version) without importing it."""
    from importlib.util import find_spec

    try:
        spec = find_spec(module)
        return Path(spec.origin).read_bytes() if spec is not None and spec.origin else b"-"
    except (ImportError, OSError, ValueError):
        return b"-"


def key_inputs(reference: Path | None, first_page: bool) -> list[bytes]:
    """Return what the styled package is made from, besides the generator itself (which every key holds)."""
    from lxml import etree

    content = hashlib.sha256(reference.read_bytes()).digest() if reference else b""
    versions = repr((etree.LXML_VERSION, etree.LIBXML_VERSION, zlib.ZLIB_RUNTIME_VERSION)).encode()
    return [b"docx-package", b"first" if first_page else b"later", _library("docx"), versions, content]


def styled_package(reference: Path | None, first_page: bool, build: Callable[[], dict], make: Callable[[dict], object]):
    """Return ``make(package)`` for the package kept for ``reference`` and ``first_page``, else for ``build()``'s
    (which is then kept): the writer's package source (:data:`generator.writers.docx.package.PackageSource`)."""
    inputs = key_inputs(reference, first_page)
    key = store.key(*inputs)
    source = store.made_from(*inputs)
    kept = decode(store.read(KIND, key, source), key)
    if kept is not None:
        try:
            return make(kept)
        except (ValueError, KeyError, TypeError, IndexError, zlib.error):  # not a package after all: build it
            pass
    package = build()
    made = make(package)
    store.write(KIND, key, source, encode(package, key))
    return made


def encode(package: dict, key: str) -> bytes:
    """Return the entry for ``package`` (see the module's docstring) to be kept under ``key``."""
    blobs: list[bytes] = []
    offset = 0

    def place(data: bytes) -> list[int]:
        nonlocal offset
        blobs.append(data)
        offset += len(data)
        return [offset - len(data), len(data)]

    head = {
        "names": list(package["names"]),
        "header": package["header"],
        "first_header": package["first_header"],
        "ids": dict(package["ids"]),
        "table_style_id": package["table_style_id"],
        "parts": {name: place(data) for name, data in package["parts"].items()},
        "deflated": {name: [crc, *place(data)] for name, (crc, data) in package["deflated"].items()},
    }
    head_bytes = json.dumps(head, ensure_ascii=False, sort_keys=True).encode("utf-8")
    payload = len(head_bytes).to_bytes(4, "big") + head_bytes + b"".join(blobs)
    return FORMAT + bytes.fromhex(key) + hashlib.sha256(payload).digest() + payload


def decode(entry: bytes | None, key: str) -> dict | None:
    """Return the package an entry kept under ``key`` holds, None for one that is not such an entry."""
    start = len(FORMAT) + 2 * _HASH
    if entry is None or len(entry) < start + 4 or not entry.startswith(FORMAT):
        return None
    if entry[len(FORMAT) : len(FORMAT) + _HASH] != bytes.fromhex(key):
        return None  # made from other inputs (copied from another key)
    payload = memoryview(entry)[start:]
    if hashlib.sha256(payload).digest() != entry[len(FORMAT) + _HASH : start]:
        return None  # damaged
    size = int.from_bytes(payload[:4], "big")
    try:
        head = json.loads(bytes(payload[4 : 4 + size]).decode("utf-8"))
    except ValueError:
        return None
    blob = payload[4 + size :]
    try:
        return _package(head, blob)
    except (TypeError, ValueError, KeyError):
        return None


def _is_text(value, none: bool = False) -> bool:
    return isinstance(value, str) or (none and value is None)


def _slice(blob: memoryview, place) -> bytes:
    """Return the bytes of ``blob`` at ``place`` ([offset, length]), refusing a place outside it."""
    offset, length = place
    if not (
        isinstance(offset, int)
        and isinstance(length, int)
        and 0 <= offset
        and 0 <= length
        and offset + length <= len(blob)
    ):
        raise ValueError("a part lies outside the entry")
    return bytes(blob[offset : offset + length])


def _package(head, blob: memoryview) -> dict:
    """Return the package the head describes, its parts taken from ``blob``; raise on any other shape."""
    if not isinstance(head, dict) or set(head) != {
        "names",
        "header",
        "first_header",
        "ids",
        "table_style_id",
        "parts",
        "deflated",
    }:
        raise ValueError("not the head of a package")
    names, ids, parts, deflated = head["names"], head["ids"], head["parts"], head["deflated"]
    if not (
        isinstance(names, list)
        and all(map(_is_text, names))
        and _is_text(head["header"])
        and _is_text(head["first_header"], none=True)
        and _is_text(head["table_style_id"], none=True)
        and isinstance(ids, dict)
        and all(_is_text(v, none=True) for v in ids.values())
        and isinstance(parts, dict)
        and isinstance(deflated, dict)
        and all(isinstance(place, list) and len(place) == 2 for place in parts.values())
        and all(
            isinstance(place, list) and len(place) == 3 and isinstance(place[0], int) and 0 <= place[0] < 2**32
            for place in deflated.values()
        )
    ):
        raise ValueError("not the head of a package")
    return {
        "names": names,
        "header": head["header"],
        "first_header": head["first_header"],
        "ids": ids,
        "table_style_id": head["table_style_id"],
        "parts": {name: _slice(blob, place) for name, place in parts.items()},
        "deflated": {name: (place[0], _slice(blob, place[1:])) for name, place in deflated.items()},
    }
