"""The cause of a change: which input changed, where (file:line, YAML path or CSV row and column), old → new.

``generator diff`` and ``generator check --issued`` start with these, before the figures that moved and the
documents: staff changed a value in a file, and that is what they recognise.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from generator.build.provenance import display
from generator.data.validate import Validated


@dataclass(frozen=True)
class InputChange:
    """One value of an input file that differs: where it stands in the new version and its two values."""

    file: str  # the file as the user names it (the new version's)
    line: int | None  # the line in the new version (the old one's when the value is gone)
    where: str  # a YAML path (sections[2].payouts[0].amount) or a CSV row key and column
    old: str | None
    new: str | None

    def text(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return f"{place}: {self.where}: {shown(self.old)} → {shown(self.new)}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def shown(value: str | None) -> str:
    if value is None:
        return "(saknas)"
    text = value if len(value) <= 80 else value[:77] + "…"
    digits = text.replace("_", "")
    if digits.isdigit() and len(digits) > 3:  # 1485 → 1 485: how staff read a count or an amount
        from generator.formatting import tal

        return tal(int(digits))
    return text


def _path_text(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(hela filen)"


def _leaves(node: Any, path: tuple = ()) -> dict[tuple, Any]:
    if isinstance(node, dict):
        out: dict[tuple, Any] = {}
        for key, value in node.items():
            out.update(_leaves(value, (*path, str(key))))
        return out
    if isinstance(node, list):
        out = {}
        for index, value in enumerate(node):
            out.update(_leaves(value, (*path, index)))
        return out
    return {path: node}


def _item_id(tree: Any, path: tuple) -> str | None:
    """Return the ``id`` of the innermost mapping on ``path`` that has one (a payout, a pot, a section)."""
    found, node = None, tree
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
    return found


def _value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def yaml_changes(old_file: Path, new_file: Path, name: str) -> list[InputChange]:
    """Return every value that differs between two versions of a YAML file, at its line in the new one."""
    try:
        return yaml_bytes_changes(Path(old_file).read_bytes(), Path(new_file).read_bytes(), name)
    except OSError:
        return []


def yaml_bytes_changes(old_bytes: bytes, new_bytes: bytes, name: str) -> list[InputChange]:
    """Return every value that differs between two versions (bytes) of the YAML file ``name``."""
    from generator.data.loading import parse_yaml
    from generator.errors import DataError

    try:
        old, old_map = parse_yaml(old_bytes, Path(name))
        new, new_map = parse_yaml(new_bytes, Path(name))
    except DataError:
        return [InputChange(name, None, "(filen kan inte läsas som YAML)", None, None)]
    a, b = _leaves(old), _leaves(new)
    out = []
    for path in sorted(set(a) | set(b), key=lambda p: (new_map.locate(p).line or 0, _path_text(p))):
        if path in a and path in b and a[path] == b[path]:
            continue
        where = new_map.locate(path) if path in b else old_map.locate(path)
        ident = _item_id(new if path in b else old, path)
        text = _path_text(path) + (f" ({ident})" if ident else "")
        out.append(InputChange(name, where.line, text, _value(a.get(path)), _value(b.get(path))))
    return out


def _table(data: bytes) -> tuple[list[str], dict[tuple[str, ...], tuple[int, list[str]]]]:
    """Return a CSV file's header and its rows by key (the first two columns, or the first), with their lines."""
    text = data.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    delimiter = (
        ";" if sum(line.count(";") for line in lines[:50]) > sum(line.count(",") for line in lines[:50]) else ","
    )
    header: list[str] = []
    rows: dict[tuple[str, ...], tuple[int, list[str]]] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = next(csv.reader(io.StringIO(line), delimiter=delimiter))
        if len(fields) < 2:
            continue  # a title line
        if not header:
            header = fields
            continue
        width = 2 if len(header) >= 3 else 1
        rows[tuple(fields[:width])] = (number, fields)
    return header, rows


def csv_changes(old: bytes, new: bytes, name: str) -> list[InputChange]:
    """Return every cell that differs between two versions of a CSV file: the row's key and the column."""
    header, before = _table(old)
    new_header, after = _table(new)
    header = new_header or header
    out = []
    for key in sorted(set(before) | set(after), key=lambda k: (after.get(k, before.get(k, (0, [])))[0], k)):
        line_old, a = before.get(key, (0, []))
        line_new, b = after.get(key, (0, []))
        if a == b:
            continue
        label = " ".join(key)
        if not a or not b:
            out.append(
                InputChange(name, line_new or line_old, f"rad {label}", ";".join(a) or None, ";".join(b) or None)
            )
            continue
        for index in range(max(len(a), len(b))):
            x = a[index] if index < len(a) else None
            y = b[index] if index < len(b) else None
            if x != y:
                column = header[index] if index < len(header) else f"kolumn {index + 1}"
                out.append(InputChange(name, line_new, f"{label}, {column}", x or None, y or None))
    return out


def _data_files(validated: Validated) -> list[Path]:
    allocation = validated.allocation
    if allocation is None:
        return []
    return [d.file for d in (allocation.population, allocation.outcomes) if d is not None]


def input_changes(a: Validated, b: Validated) -> list[InputChange]:
    """Return what changed in the input files from version ``a`` to ``b``: the agreement's YAML, its key and
    outcome files (paired by their role), each value at file:line with old → new."""
    out = yaml_changes(a.file, b.file, display(b.file))
    for old_file, new_file in zip(_data_files(a), _data_files(b), strict=False):
        try:
            old_bytes, new_bytes = Path(old_file).read_bytes(), Path(new_file).read_bytes()
        except OSError:
            continue
        if old_bytes != new_bytes:
            out.extend(csv_changes(old_bytes, new_bytes, display(new_file)))
    return out


def record_changes(record: Any) -> list[InputChange]:
    """Return what changed in the inputs of an issued record (generator.change.issuing.IssueRecord) since it was
    issued: its verified input copies against the files as they are now."""
    from generator.build.provenance import blob_id

    out: list[InputChange] = []
    for name, ident in sorted({**record.data, **record.sources}.items()):
        path = Path(name)
        try:
            now = path.read_bytes()
        except OSError:
            out.append(InputChange(name, None, "filen", "finns", None))
            continue
        if blob_id(now) == ident:
            continue
        old = record.snapshot(name, ident)
        if path.suffix == ".yaml":
            out.extend(yaml_bytes_changes(old, now, name))
        elif path.suffix == ".csv":
            out.extend(csv_changes(old, now, name))
        else:
            out.append(InputChange(name, None, "filen (en mall eller annan indatafil)", "utfärdad version", "ändrad"))
    return out
