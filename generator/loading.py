"""Reading YAML safely, remembering where every value came from.

:func:`load_yaml` returns plain Python data together with a :class:`SourceMap`
that maps each path (a tuple of keys and indexes, as pydantic's ``loc``) to
its line and column, so any later error can point into the file.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from .errors import DataError, Finding, Location

PathKey = tuple[str | int, ...]


def dotted(path: Iterable[str | int]) -> str:
    """Return a path as ``sections[1].payouts[0].amount``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass
class SourceMap:
    """Where each value of a loaded document stands in its file."""

    file: Path
    marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    block_scalars: set[PathKey] = field(default_factory=set)  # `|` or `>` texts: content starts a line later

    def locate(self, path: PathKey) -> Location:
        """Return the location of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            if path in self.marks:
                line, column = self.marks[path]
                return Location(self.file, line, column)
            if not path:
                return Location(self.file)
            path = path[:-1]

    def locate_in_text(self, path: PathKey, text: str, needle: str) -> Location:
        """Return the location of the first line of the text at ``path`` that contains ``needle``."""
        location = self.locate(path)
        if location.line is None or tuple(path) not in self.marks:
            return location
        index = next((i for i, line in enumerate(text.splitlines()) if needle in line), 0)
        offset = 1 if tuple(path) in self.block_scalars else 0
        return Location(self.file, location.line + offset + index, None if offset or index else location.column)


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (a silent overwrite hides a typo)."""


def _construct(node: yaml.Node, path: PathKey, marks: dict, loader: _Loader, blocks: set) -> Any:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        blocks.add(path)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, (_dt.date, int, float, bool)) or key is None:
                key = str(key_node.value)
            if key in result:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            result[key] = _construct(value_node, path + (key,), marks, loader, blocks)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(child, path + (i,), marks, loader, blocks) for i, child in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except ValueError as exc:  # e.g. 2012-02-30: the timestamp resolver matched, the calendar did not
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a real date ({exc})", node.start_mark
        ) from None


def _yaml_problem(file: Path, exc: yaml.YAMLError) -> DataError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if context and context_mark is not None and context_mark is not mark:
        context += f" started at line {context_mark.line + 1}"
    message = f"not valid YAML: {problem}" + (f" ({context})" if context else "")
    finding = Finding(Location(file, line, column), message)
    return DataError(str(finding), [finding])


def load_yaml(file: Path) -> tuple[Any, SourceMap]:
    """Return the data of a YAML file and its source map; raise :class:`DataError` on any problem."""
    file = Path(file)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        finding = Finding(Location(file), f"cannot read the file: {exc.strerror or exc}")
        raise DataError(str(finding), [finding]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        finding = Finding(
            Location(file, line),
            f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            hint="save the file as UTF-8",
        )
        raise DataError(str(finding), [finding]) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        finding = Finding(Location(file, 1), "the file is empty")
        raise DataError(str(finding), [finding])
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            finding = Finding(Location(file, 1), "the file holds no data (only comments)")
            raise DataError(str(finding), [finding])
        marks: dict[PathKey, tuple[int, int]] = {}
        blocks: set[PathKey] = set()
        data = _construct(node, (), marks, loader, blocks)
    except yaml.YAMLError as exc:
        raise _yaml_problem(file, exc) from None
    finally:
        loader.dispose()
    return data, SourceMap(file, marks, blocks)
