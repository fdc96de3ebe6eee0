"""``generator new YEAR``: next year's agreement files started from this year's.

The structure, the prose and the rules are copied; every amount and every date
is emptied (``null``) for filling in, so ``generator validate`` lists each one
that remains, with its line. The year itself is set, and the old year written
in ids, titles and texts is replaced by the new one (the places are counted so
they can be read through). Comments stay; the file's opening comment (its
source) is replaced by one saying where the file was started from.

The file is edited as text, value by value at the line and column the loader
recorded, so everything else of it stays as it was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.data.file_kinds import FileKind, figure_paths, kind_of, modeline
from generator.data.loading import SourceMap, load_yaml
from generator.errors import DataError, Finding, Location

#: Amounts that are how a rule divides, not what is divided: kept.
RULE_KEYS = {"floor", "base", "step", "count"}


@dataclass
class Started:
    """One file started for the new year."""

    source: Path
    target: Path
    emptied: list[str] = field(default_factory=list)  # dotted paths set to null
    years: int = 0  # places where the old year was replaced


_TOKEN = re.compile(r"""'[^']*'|"[^"]*"|[^\s,\]\}#]+""")


def _empty_at(lines: list[str], line: int, column: int) -> None:
    """Replace the scalar starting at (1-based) ``line``, ``column`` by null; drop the line's comment (it was about
    the old value)."""
    text = lines[line - 1]
    match = _TOKEN.match(text, column - 1)
    if match is None:
        raise ValueError(f"inget värde på rad {line}, kolumn {column}")
    rest = text[match.end() :]
    comment = re.search(r"\s+#", rest)
    if comment and rest[: comment.start()].strip() == "":
        rest = ""
    lines[line - 1] = text[: match.start()] + "null" + rest


def _strings(data: Any, path: tuple = ()) -> list[tuple[tuple, str]]:
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in _strings(v, path + (k,))]
    if isinstance(data, list):
        return [s for i, v in enumerate(data) for s in _strings(v, path + (i,))]
    return [(path, data)] if isinstance(data, str) else []


def start_file(source: Path, target: Path, old_year: int, new_year: int) -> tuple[str, Started]:
    """Return the text of ``target`` started from ``source``, and what was done."""
    data, marks = load_yaml(source)
    kind: FileKind = kind_of(source)
    text = source.read_text(encoding="utf-8")
    lines = text.split("\n")
    started = Started(source, target)
    year_path = (kind.wrapper, "year") if kind.wrapper else ("year",)
    # the old year in texts, ids and names: replaced where the value stands (one line, or a | block)
    pattern = re.compile(rf"(?<!\d){old_year}(?!\d)")
    for path, value in _strings(data):
        if not pattern.search(value):
            continue
        line, column = marks.marks[path]
        if path in marks.block_scalars:
            span = range(line, line + len(value.rstrip("\n").split("\n")) + 1)
            for number in span:
                if number <= len(lines):
                    lines[number - 1], count = pattern.subn(str(new_year), lines[number - 1])
                    started.years += count
        else:
            head, tail = lines[line - 1][: column - 1], lines[line - 1][column - 1 :]
            tail, count = pattern.subn(str(new_year), tail, count=value.count(str(old_year)))
            lines[line - 1] = head + tail
            started.years += count
    emptied = [path for path, _, value in figure_paths(data, kind) if value is not None and path[-1] not in RULE_KEYS]
    for path in sorted(emptied, key=lambda p: marks.marks[p], reverse=True):  # right to left: columns stay true
        _empty_at(lines, *marks.marks[path])
    started.emptied = [_dotted(path) for path in emptied]
    if year_path in marks.marks:
        line, column = marks.marks[year_path]
        match = _TOKEN.match(lines[line - 1], column - 1)
        if match is not None:  # None: an empty year (null), nothing to replace (this raised AttributeError before)
            lines[line - 1] = lines[line - 1][: match.start()] + str(new_year) + lines[line - 1][match.end() :]
    body = _without_opening_comment(lines)
    header = [
        modeline(target, kind),
        f"# {_new_year_note(source, old_year, new_year)}",
        "# Belopp och datum är tomma (null) och ska fyllas i; `generator validate` listar dem med rad.",
        "# Nycklarna beskrivs i docs/REFERENCE.md.",
        "",
    ]
    return "\n".join(header + body), started


#: The comment that marks a file started by ``generator new``: while it stands, every null amount or date is reported.
MARK = "startad av `generator new"


def _new_year_note(source: Path, old_year: int, new_year: int) -> str:
    return f"{new_year}: {MARK} {new_year}` från {source.as_posix()} ({old_year}); ta bort raden när allt är ifyllt."


def started_by_new(file: Path) -> bool:
    """Return True if ``file`` still carries the comment of ``generator new`` in its opening lines."""
    try:
        with open(file, encoding="utf-8") as handle:
            head = [next(handle, "") for _ in range(5)]
    except (OSError, UnicodeDecodeError):
        return False
    return any(line.startswith("#") and MARK in line for line in head)


def _without_opening_comment(lines: list[str]) -> list[str]:
    """Return ``lines`` without the comment block (and the schema line) before the first key."""
    for index, line in enumerate(lines):
        if line.strip() and not line.lstrip().startswith("#"):
            return lines[index:]
    return lines


def _dotted(path: tuple) -> str:
    from generator.data.loading import dotted

    return dotted(path)


def target_for(source: Path, old_year: int, new_year: int) -> Path:
    """Return where the new year's copy of ``source`` goes: the old year in its path replaced."""
    parts = [part.replace(str(old_year), str(new_year)) for part in source.parts]
    return Path(*parts)


def start_year(sources: list[Path], old_year: int, new_year: int, targets: list[Path] | None = None) -> list[Started]:
    """Write the new year's files started from ``sources``; refuse (DataError) if a target exists."""
    targets = targets or [target_for(s, old_year, new_year) for s in sources]
    existing = [t for t in targets if t.exists()]
    if existing:
        findings = [Finding(Location(t), f"filen finns redan; {new_year} är redan påbörjat") for t in existing]
        raise DataError(f"{len(existing)} fil(er) för {new_year} finns redan", findings)
    texts = [start_file(s, t, old_year, new_year) for s, t in zip(sources, targets)]
    for text, started in texts:
        started.target.parent.mkdir(parents=True, exist_ok=True)
        started.target.write_text(text, encoding="utf-8")
    return [started for _, started in texts]


__all__ = ["Started", "start_file", "start_year", "target_for", "SourceMap"]
