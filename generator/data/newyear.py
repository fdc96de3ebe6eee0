"""``generator new YEAR``: next year's agreement files started from this year's.

The structure, the prose and the rules are copied; every amount and every date
is emptied (``null``) for filling in, so ``generator validate`` lists each one
that remains, with its line. An identifier is never rewritten with the new year:
a diarienummer, a decision's or circular's number is emptied (``null``), and one
written in a text (``prop. 2010/11:1``, ``S2011/5826/FST``, ``nr II:7``,
``Cirkulär 13:66``) becomes a visible blank (``[propositionsnummer]
______________``) that ``generator validate`` lists; a file named after a
circular's number gets a neutral name. The year itself is set, and the old year
standing alone in ids, titles and texts is replaced by the new one, each place
listed (:attr:`Started.moved`) so it can be read through. Comments stay; the
file's opening comment (its source) is replaced by one saying where the file was
started from.

The file is edited as text, value by value at the line and column the loader
recorded, so everything else of it stays as it was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.data.blanks import BLANK_LINE
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
    moved: list[str] = field(default_factory=list)  # "rad N: «before» → «after»", each line the year moved on
    blanked: list[str] = field(default_factory=list)  # "rad N: <what> «old identifier»", each identifier blanked
    kept: list[str] = field(default_factory=list)  # "rad N: «context» (why)": the old year left, to be read


#: Keys whose value is an identifier of its own document: emptied, never moved with the year.
IDENTIFIER_KEYS = {"dnr": "diarienummer", "number": "nummer"}
#: Identifiers written in text, each replaced by a visible blank named by what it is (formatting.tomt's form).
TEXT_IDENTIFIERS = [
    (re.compile(r"(\bprop\.\s*)\d{4}/\d{2}:\d+"), "propositionsnummer"),
    (re.compile(r"()\b[A-ZÅÄÖ]{1,4}\d{4}/\d+/[A-ZÅÄÖ]+(?:\s*\(delvis\))?"), "diarienummer"),
    (re.compile(r"(\bnr\s+)[IVX]+:\d+\b"), "beslutsnummer"),
    (re.compile(r"(\b[Cc]irkulär\s+)\d{2}:\d{1,3}\b"), "cirkulärnummer"),
]


_ANY_YEAR = re.compile(r"(?<![\d/])(?:19|20)\d{2}(?!\d)")


def _not_own_year(text: str, start: int, end: int, old_year: int, value: str) -> str:
    """Return why the old year at ``text[start:end]`` is not plainly the agreement's own (then it stays), or "".

    Inside a reference ``{{ … }}`` it is part of a name; in a web address, part of an address; in a sentence that
    names another year too ("för 2011 …, för 2012 …", "2014–2015", "oktober 2013 till september 2014") it is
    one of several years, which moving it would shift apart.
    """
    if text.rfind("{{", 0, start) > text.rfind("}}", 0, start):
        return "del av ett namn i en hänvisning"
    if value.lstrip().startswith(("http://", "https://")) or re.search(r"\S*://\S*$", text[:start]):
        return "del av en webbadress"
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    sentence = text[left + 1 : min(right) if right else len(text)]
    others = {m.group(0) for m in _ANY_YEAR.finditer(sentence)} - {str(old_year)}
    if others:
        return f"meningen nämner också {', '.join(sorted(others))}: läs igenom och ändra för hand"
    return ""


def _blank_text(what: str) -> str:
    return f"[{what}] {BLANK_LINE}"


def _identifier_path(path: tuple) -> bool:
    """Return True if ``path`` holds an identifier: a dnr anywhere, a decision's or the circular's number."""
    if not path or path[-1] not in IDENTIFIER_KEYS:
        return False
    return path[-1] == "dnr" or "decisions" in path or path[:-1] == ("cirkular",)


_TOKEN = re.compile(r"""'[^']*'|"[^"]*"|[^\s,\]\}#]+""")


def _empty_at(lines: list[str], line: int, column: int, value: Any = None) -> None:
    """Replace the scalar starting at (1-based) ``line``, ``column`` by null; drop the line's comment (it was about
    the old value). A plain text of several words (``S2011/5826/FST (delvis)``) or a flow list of identifiers
    (``[S2013/1/FST, S2013/2/FST]``) is replaced whole."""
    text = lines[line - 1]
    at = column - 1
    if isinstance(value, str) and text.startswith(value, at):
        end = at + len(value)
    elif isinstance(value, list) and text.startswith("[", at) and "]" in text[at:]:
        end = text.index("]", at) + 1
    else:
        match = _TOKEN.match(text, at)
        if match is None:
            raise ValueError(f"inget värde på rad {line}, kolumn {column}")
        end = match.end()
    rest = text[end:]
    comment = re.search(r"\s+#", rest)
    if comment and rest[: comment.start()].strip() == "":
        rest = ""
    lines[line - 1] = text[:at] + "null" + rest


def identifier_paths(data: Any) -> list[tuple]:
    """Return the paths of the identifiers (dnr, a decision's or the circular's number) that are empty (null)."""
    return [path for path, value in _scalars(data) if value is None and _identifier_path(path)]


def _span(marks: SourceMap, path: tuple, value: str, count: int) -> range:
    """Return the (1-based) lines a string value is written on: its own, or its | block's."""
    line, _ = marks.marks[path]
    if path in marks.block_scalars:
        return range(line, min(line + len(value.rstrip("\n").split("\n")) + 1, count + 1))
    return range(line, line + 1)


def _scalars(data: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """Return (path, value) of every value that is not a mapping (a list of identifiers counts as one value)."""
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in _scalars(v, path + (k,))]
    if isinstance(data, list) and not (path and path[-1] in IDENTIFIER_KEYS):
        return [s for i, v in enumerate(data) for s in _scalars(v, path + (i,))]
    return [(path, data)]


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
    # the old year standing alone in texts, ids and names (not inside an identifier such as 2010/11): moved
    pattern = re.compile(rf"(?<![\d/]){old_year}(?!\d|/\d)")
    for path, value in _strings(data):
        if not pattern.search(value) or _identifier_path(path):
            continue
        line, column = marks.marks[path]
        for number in _span(marks, path, value, len(lines)):
            cut = column - 1 if number == line else 0  # the value's own text, not its key
            head, tail = lines[number - 1][:cut], lines[number - 1][cut:]
            out, last = [], 0
            for match in pattern.finditer(tail):
                context = tail[max(match.start() - 30, 0) : match.end() + 20].strip()
                why = _not_own_year(tail, match.start(), match.end(), old_year, value)
                if why:
                    started.kept.append(f"rad {number}: «{context}» ({why})")
                    continue
                after = context.replace(str(old_year), str(new_year))
                for found, what in TEXT_IDENTIFIERS:  # as the file has it: an identifier in it is a blank
                    after = found.sub(rf"\g<1>{_blank_text(what)}", after)
                started.moved.append(f"rad {number}: «{context}» → «{after}»")
                out.append(tail[last : match.start()] + str(new_year))
                last = match.end()
                started.years += 1
            lines[number - 1] = head + "".join(out) + tail[last:]
    # identifiers of the document itself (dnr, a decision's or the circular's number): emptied
    identifiers = [(path, value) for path, value in _scalars(data) if _identifier_path(path) and value is not None]
    for path, value in identifiers:
        what = IDENTIFIER_KEYS[path[-1]]
        started.blanked.append(f"rad {marks.marks[path][0]}: {_dotted(path)} ({what}) «{value}»")
    emptied = [path for path, _, value in figure_paths(data, kind) if value is not None and path[-1] not in RULE_KEYS]
    nulled = emptied + [path for path, _ in identifiers]
    values = dict(_scalars(data))
    for path in sorted(nulled, key=lambda p: marks.marks[p], reverse=True):  # right to left: columns stay true
        _empty_at(lines, *marks.marks[path], values.get(path))
    # identifiers written in texts: a visible blank, never the old number nor one rewritten with the new year
    for path, value in _strings(data):
        if not any(found.search(value) for found, _ in TEXT_IDENTIFIERS) or _identifier_path(path):
            continue
        for number in _span(marks, path, value, len(lines)):
            for found, what in TEXT_IDENTIFIERS:
                for hit in found.finditer(lines[number - 1]):
                    started.blanked.append(f"rad {number}: {what} «{hit.group(0)[len(hit.group(1)) :]}»")
                lines[number - 1] = found.sub(rf"\g<1>{_blank_text(what)}", lines[number - 1])
    started.emptied = [_dotted(path) for path in emptied]
    if year_path in marks.marks:
        line, column = marks.marks[year_path]
        token = _TOKEN.match(lines[line - 1], column - 1)
        if token is not None:  # None: an empty year (null), nothing to replace (this raised AttributeError before)
            lines[line - 1] = lines[line - 1][: token.start()] + str(new_year) + lines[line - 1][token.end() :]
    body = _without_opening_comment(lines)
    header = [
        modeline(target, kind),
        f"# {_new_year_note(source, old_year, new_year)}",
        "# Belopp, datum och identifierare (dnr, nummer) är tomma (null eller [namn] ______________) och ska fyllas",
        "# i; `generator validate` listar dem med rad.",
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
    # a name made of an identifier (cirkular_13-66.yaml: Cirkulär 13:66) is not the new year's: a neutral name
    parts[-1] = re.sub(r"^(cirkular)_\d{2}-\d{1,3}(?=\.ya?ml$)", r"\1_ny", parts[-1])
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
