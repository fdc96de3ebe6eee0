"""Loaded YAML kept between processes: the data and source marks of a file's exact bytes, as verified JSON.

:func:`generator.data.loading.parse_yaml` is pure: the same bytes give the same data and marks. Its result for
bytes that loaded without a problem is kept here (:mod:`generator.cache.store`), found by those bytes, and a
later load of the same bytes takes it from there instead of parsing them. A file that does not load is parsed
every time (its messages are made then). The data is plain YAML data (mappings with text keys, lists, text,
numbers, booleans, null, dates); a date is written as a one-key mapping whose key starts with a NUL character,
which no key of loaded data can contain (the loader refuses control characters).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from generator.cache import store
from generator.data.loading import MAX_YAML_BYTES, SourceMap, parse_yaml, read_data

KIND = "yaml"
FORMAT = b"yaml-json-2"  # 2: with the keys and values written as bare digits
_DATE = "\x00date"
_DATETIME = "\x00datetime"


def load_yaml(file: Path) -> tuple[Any, SourceMap]:
    """Return what :func:`generator.data.loading.load_yaml` returns for ``file``, from the cache when its bytes
    were loaded before."""
    file = Path(file)
    return load_bytes(read_data(file, MAX_YAML_BYTES, "filen"), file)


def load_bytes(raw: bytes, file: Path) -> tuple[Any, SourceMap]:
    """Return :func:`generator.data.loading.parse_yaml` of ``raw`` (the bytes of ``file``), from the cache when
    the same bytes were loaded before; keep a successful load."""
    name = store.key(FORMAT, raw)
    source = store.made_from(raw)
    found = _decode(store.read_json(KIND, name, source, object_hook=_object), Path(file))
    if found is not None:
        return found
    data, marks = parse_yaml(raw, file)  # a DataError passes: nothing is kept
    store.write_json(KIND, name, source, _encode(data, marks), default=_default)
    return data, marks


def _encode(data: Any, source: SourceMap) -> dict:
    return {
        "data": data,
        "marks": [[list(path), line, column] for path, (line, column) in source.marks.items()],
        "blocks": [list(path) for path in sorted(source.block_scalars, key=repr)],
        "unquoted_keys": [[list(path), line, column] for path, (line, column) in source.unquoted_keys.items()],
        "unquoted_values": [list(path) for path in sorted(source.unquoted_values, key=repr)],
    }  # sets: in a fixed order


def _default(value: Any) -> dict:
    if isinstance(value, dt.datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    raise TypeError(f"no plain form for {type(value).__name__}")


def _object(pairs: dict) -> Any:
    if len(pairs) == 1:
        if _DATE in pairs:
            return dt.date.fromisoformat(pairs[_DATE])
        if _DATETIME in pairs:
            return dt.datetime.fromisoformat(pairs[_DATETIME])
    return pairs


def _path(items: Any) -> tuple:
    if not isinstance(items, list) or not all(type(part) in (str, int) for part in items):
        raise ValueError("not a path")
    return tuple(items)


def _decode(entry: Any, file: Path) -> tuple[Any, SourceMap] | None:
    """Return (data, source map) of a verified entry, or None if it does not hold them."""
    if not isinstance(entry, dict) or "data" not in entry:
        return None
    try:
        marks = {}
        for path, line, column in entry["marks"]:
            if type(line) is not int or type(column) is not int:
                return None
            marks[_path(path)] = (line, column)
        blocks = {_path(path) for path in entry["blocks"]}
        unquoted_keys = {}
        for path, line, column in entry["unquoted_keys"]:
            if type(line) is not int or type(column) is not int:
                return None
            unquoted_keys[_path(path)] = (line, column)
        unquoted_values = {_path(path) for path in entry["unquoted_values"]}
    except (ValueError, TypeError, KeyError):
        return None
    return entry["data"], SourceMap(file, marks, blocks, unquoted_keys, unquoted_values)
