"""Reading YAML safely, remembering where every value came from.

:func:`load_yaml` returns plain Python data together with a :class:`SourceMap`
that maps each path (a tuple of keys and indexes, as pydantic's ``loc``) to
its line and column, so any later error can point into the file.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import DataError, Finding, Location

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
    #: Keys written as bare digits (``01:``, ``1:``), by the path of their value: where the key stands. A code
    #: (``"01"``, ``"0180"``) must be quoted, since YAML 1.2 (an editor, the JSON Schema) reads ``01`` as 1.
    unquoted_keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    #: Values written as bare digits (``kommun: 0180``), by path.
    unquoted_values: set[PathKey] = field(default_factory=set)

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
        location = self.locate_line(path, next((i for i, line in enumerate(text.splitlines()) if needle in line), 0))
        return self.with_column(location, needle) if location.column is None and needle else location

    def locate_line(self, path: PathKey, index: int) -> Location:
        """Return the location of line ``index`` (from 0) of the text at ``path``."""
        location = self.locate(path)
        if location.line is None or tuple(path) not in self.marks:
            return location
        offset = 1 if tuple(path) in self.block_scalars else 0
        return Location(self.file, location.line + offset + index, None if offset or index else location.column)

    def locate_error(self, path: PathKey, exc: Exception) -> Location:
        """Return the location of a template error ``exc`` in the text at ``path`` (its line, when it has one;
        its column too, when the error names what it found: ``exc.needle``)."""
        line = getattr(exc, "lineno", None)
        location = self.locate_line(path, line - 1) if isinstance(line, int) and line > 0 else self.locate(path)
        needle = getattr(exc, "needle", None)
        return self.with_column(location, needle) if isinstance(needle, str) else location

    def with_column(self, location: Location, needle: str) -> Location:
        """Return ``location`` with the column where ``needle`` first stands on its line of the file, if it does
        (the file is read again for this, on an error only); else ``location`` as it is."""
        if location.line is None:
            return location
        try:
            lines = read_limited(self.file, MAX_YAML_BYTES, "filen").decode("utf-8").splitlines()
        except (DataError, UnicodeDecodeError):
            return location
        if not 0 < location.line <= len(lines):
            return location
        column = lines[location.line - 1].find(needle)
        return Location(location.file, location.line, column + 1) if column >= 0 else location


#: Limits of what the YAML loader reads (see docs/UTVECKLING.md, "Robusthet och säkerhet").
MAX_YAML_BYTES = 1_000_000  # the largest agreement is about 110 kB
MAX_DEPTH = 40  # nesting of mappings and lists; the agreements use about 10
MAX_COMPOSED = 50_000  # values as written (keys too); the largest agreement has about 2 200
MAX_NODES = 100_000  # values after aliases and merge keys are expanded
MAX_EXPANDED_BYTES = 2_000_000  # bytes of text (keys and values) after aliases: twice what a file may hold

#: Plain scalars read as numbers: digits with optional groups of three after ``_`` (66_000_000), a leading
#: minus (refused later where amounts must not be negative), and decimals written 7.5. YAML 1.1 also reads
#: 01_000 (octal), 1:00 (base 60), 0b1, 0x10, 1e6, +5, .inf and .nan as numbers: here they stay text, so a
#: money, count or percent field refuses them at their line and column instead of taking another value.
_INT = re.compile(r"^-?(?:0|[1-9][0-9]*|[1-9][0-9]{0,2}(?:_[0-9]{3})+)$")
_FLOAT = re.compile(r"^-?(?:0|[1-9][0-9]*)\.[0-9]+$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")  # yes/no/on/off stay text (as in YAML 1.2)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TIMESTAMP = next(rx for tag, rx in yaml.SafeLoader.yaml_implicit_resolvers["2"] if tag.endswith(":timestamp"))

#: Characters refused in any text: control characters (NUL, BEL …), lone surrogates, non-characters,
#: bidirectional overrides, marks and isolates (text that displays otherwise than it is stored) and
#: invisible zero-width characters (two names that look the same but differ).
BAD_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\u200b-\u200d\u2060-\u2064\ufeff\u180e]"
)
_CHARACTER_NAMES = {
    "\x00": "en NUL-byte",
    "\x07": "ett BEL-tecken (klocka)",
    "\x1b": "ett ESC-tecken",
    "\u202e": "en höger-till-vänster-åsidosättning",
    "\u202d": "en vänster-till-höger-åsidosättning",
    "\u202a": "en dubbelriktad inbäddning",
    "\u202b": "en dubbelriktad inbäddning",
    "\u202c": "ett dubbelriktat formateringstecken",
    "\u200b": "ett mellanslag utan bredd",
    "\u200c": "en icke-sammanfogare utan bredd",
    "\u200d": "en sammanfogare utan bredd",
    "\ufeff": "ett hårt mellanslag utan bredd (BOM)",
    "\u2060": "en ordsammanfogare",
    "\u200e": "en vänster-till-höger-markering",
    "\u200f": "en höger-till-vänster-markering",
    "\u061c": "en arabisk bokstavsmarkering",
    "\u2066": "en dubbelriktad isolering",
    "\u2067": "en dubbelriktad isolering",
    "\u2068": "en dubbelriktad isolering",
    "\u2069": "en dubbelriktad isolering",
}


_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def bad_character(text: str) -> str | None:
    """Return a description of the first refused character in ``text`` (with its position), or None."""
    found = BAD_CHARACTERS.search(text)
    if found is None:
        return None
    char = found.group(0)
    if "\ud800" <= char <= "\udfff":
        what = "ett ensamt surrogattecken"
    else:
        what = _CHARACTER_NAMES.get(char, "ett styrtecken eller osynligt tecken")
    return f"{what} (U+{ord(char):04X}) vid tecken {found.start() + 1}"


def read_limited(file: Path, limit: int, what: str) -> bytes:
    """Return the bytes of ``file`` if it is a regular file of at most ``limit`` bytes; DataError otherwise.

    Devices (/dev/zero), FIFOs, folders and sockets are refused before they are opened, so nothing blocks
    or reads without end; a file that grows past the limit while it is read is refused too.
    """
    file = Path(file)
    try:
        info = os.stat(file)
    except (OSError, ValueError) as exc:
        raise _file_error(file, f"{what} kan inte läsas: {getattr(exc, 'strerror', None) or exc}") from None
    if stat.S_ISDIR(info.st_mode) and file.is_symlink():
        raise _file_error(
            file,
            "mappen är en symbolisk länk: filerna i en länkad mapp läses inte",
            "lägg filerna i en vanlig mapp i projektmappen",
        )
    if not stat.S_ISREG(info.st_mode):
        raise _file_error(
            file,
            f"{what} är ingen vanlig fil (en mapp, enhet eller rörledning)",
            "ange en fil som ligger i projektmappen",
        )
    if info.st_size > limit:
        raise _file_error(file, f"{what} är {info.st_size} byte, mer än gränsen {limit} byte")
    try:
        with open(file, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise _file_error(file, f"{what} kan inte läsas: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise _file_error(file, f"{what} är större än gränsen {limit} byte")
    return data


def _file_error(file: Path, message: str, hint: str = "") -> DataError:
    finding = Finding(Location(file, 1), message, hint=hint)
    return DataError(str(finding), [finding])


class _Checks:
    """Bounded nesting, a bounded number of values and no explicit tags, checked as each node is composed."""

    _depth = 0
    _composed = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        self._composed += 1
        if self._composed > MAX_COMPOSED:
            raise yaml.composer.ComposerError(
                None, None, f"filen innehåller mer än {MAX_COMPOSED} värden", event.start_mark
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            raise yaml.composer.ComposerError(
                None,
                None,
                f"taggen {tag.replace('tag:yaml.org,2002:', '!!')} är inte tillåten: skriv vanliga värden",
                event.start_mark,
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"data är nästlade mer än {MAX_DEPTH} nivåer djupt", event.start_mark
                )
            return yaml.composer.Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1


class _Loader(_Checks, yaml.SafeLoader):
    """SafeLoader with YAML 1.2 plain scalars, bounded nesting and no explicit tags."""

    yaml_implicit_resolvers: dict = {}


if getattr(yaml, "__with_libyaml__", False):
    # types-PyYAML's cyaml.pyi imports CParser without re-exporting it; it is there at run time
    class _FastLoader(
        _Checks,
        yaml.composer.Composer,
        yaml.cyaml.CParser,  # type: ignore[name-defined]
        yaml.constructor.SafeConstructor,
        yaml.resolver.Resolver,
    ):
        """:class:`_Loader` with libyaml's scanner and parser (six times faster) under the same composer and checks.

        Only for files that load: on any problem the file is read again with :class:`_Loader`, whose messages
        (and their Swedish translations) are the ones users see.
        """

        def __init__(self, stream):
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _FAST_LOADER: type[_FastLoader] | None = _FastLoader
else:  # PyYAML without libyaml
    _FAST_LOADER = None


for _tag, _regexp, _first in (
    ("tag:yaml.org,2002:bool", _BOOL, "tTfF"),
    ("tag:yaml.org,2002:int", _INT, "-0123456789"),
    ("tag:yaml.org,2002:float", _FLOAT, "-0123456789"),
    ("tag:yaml.org,2002:null", _NULL, ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:timestamp", _TIMESTAMP, "0123456789"),
    ("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), "<"),
):
    _Loader.add_implicit_resolver(_tag, _regexp, list(_first))
if _FAST_LOADER is not None:
    _FAST_LOADER.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _expanded_size(node: yaml.Node, sizes: dict[int, tuple[int, int]], active: set[int]) -> tuple[int, int]:
    """Return how many values, and how many bytes of text, ``node`` stands for once aliases and merge keys are
    expanded (memoised, so an alias bomb is measured without being expanded); raise at the first node that
    exceeds a bound: :data:`MAX_NODES` values or :data:`MAX_EXPANDED_BYTES` bytes."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    if id(node) in active:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            "ett alias hänvisar till listan eller samlingen som innehåller det (ett rekursivt alias)",
            node.start_mark,
        )
    size = 1
    length = len(node.value.encode("utf-8", "surrogatepass")) if isinstance(node, yaml.ScalarNode) else 0
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        active.add(id(node))
        children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else node.value
        for child in children:
            child_size, child_length = _expanded_size(child, sizes, active)
            size += child_size
            length += child_length
            if size > MAX_NODES:
                raise yaml.constructor.ConstructorError(
                    None, None, f"data växer till mer än {MAX_NODES} värden (alias av alias?)", node.start_mark
                )
            if length > MAX_EXPANDED_BYTES:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"data växer till mer än {MAX_EXPANDED_BYTES} byte text när alias fylls i "
                    "(samma långa text upprepad genom alias?)",
                    child.start_mark,
                )
        active.discard(id(node))
    sizes[id(node)] = (size, length)
    return size, length


class _Budget:
    """Counts values as aliases are expanded, and the collections being built (to catch a recursive alias)."""

    def __init__(self) -> None:
        self.nodes = 0
        self.active: set[int] = set()
        self.unquoted_keys: dict[PathKey, tuple[int, int]] = {}
        self.unquoted_values: set[PathKey] = set()


_DIGITS = re.compile(r"^[0-9]+$")


def _plain_digits(node: yaml.Node) -> bool:
    """Return True if ``node`` is a scalar written as bare digits (no quotes): ``01``, ``0180``, ``1``."""
    return isinstance(node, yaml.ScalarNode) and not node.style and bool(_DIGITS.match(node.value))  # libyaml: ""


def _construct(
    node: yaml.Node, path: PathKey, marks: dict, loader: _Loader, blocks: set, budget: _Budget | None = None
) -> Any:
    budget = budget if budget is not None else _Budget()
    budget.nodes += 1
    if len(path) > 2 * MAX_DEPTH:  # aliases of aliases can nest deeper than any one collection as written
        raise yaml.constructor.ConstructorError(
            None, None, f"data är nästlade mer än {2 * MAX_DEPTH} nivåer djupt (via alias)", node.start_mark
        )
    if budget.nodes > MAX_NODES:
        raise yaml.constructor.ConstructorError(
            None, None, f"data växer till mer än {MAX_NODES} värden (alias av alias?)", node.start_mark
        )
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        blocks.add(path)
    if _plain_digits(node):
        budget.unquoted_values.add(path)
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if id(node) in budget.active:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "ett alias hänvisar till listan eller samlingen som innehåller det (ett rekursivt alias)",
                node.start_mark,
            )
        budget.active.add(id(node))
        try:
            return _construct_collection(node, path, marks, loader, blocks, budget)
        finally:
            budget.active.discard(id(node))
    value = _scalar(loader, node)
    if isinstance(value, str):
        _check_text(value, node)
    return value


def _scalar(loader: _Loader, node: yaml.Node) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError) as exc:  # e.g. 2012-02-30: the timestamp resolver matched, the calendar did not
        what = "ett riktigt datum" if node.tag.endswith(":timestamp") else "ett tal som kan läsas"
        raise yaml.constructor.ConstructorError(
            None, None, f"{str(node.value)[:40]!r} är inte {what} ({str(exc)[:80]})", node.start_mark
        ) from None


def _check_text(value: str, node: yaml.Node) -> None:
    problem = bad_character(value)
    if problem:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"texten innehåller {problem}; skriv om den utan osynliga tecken eller styrtecken",
            node.start_mark,
        )


def _construct_collection(node, path: PathKey, marks: dict, loader: _Loader, blocks: set, budget: _Budget) -> Any:
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "en nyckel måste vara ett enkelt namn, inte en lista eller samling", key_node.start_mark
                )
            key = _scalar(loader, key_node)
            if isinstance(key, (_dt.date, int, float, bool)) or key is None:
                key = str(key_node.value)
            if not isinstance(key, str):
                raise yaml.constructor.ConstructorError(
                    None, None, "en nyckel måste vara ett enkelt namn", key_node.start_mark
                )
            _check_text(key, key_node)
            if key in result:
                raise yaml.constructor.ConstructorError(
                    None, None, f"nyckeln {key!r} står två gånger", key_node.start_mark
                )
            if _plain_digits(key_node):
                budget.unquoted_keys[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _construct(value_node, path + (key,), marks, loader, blocks, budget)
        return result
    return [_construct(child, path + (i,), marks, loader, blocks, budget) for i, child in enumerate(node.value)]


#: PyYAML's problems and contexts in Swedish (regular expression → replacement); others pass unchanged.
_YAML_SWEDISH = [
    (
        r"^mapping values are not allowed here$",
        "ett värde efter kolon är inte tillåtet här "
        "(saknas ett mellanslag efter kolon, eller citattecken runt en text med kolon?)",
    ),
    (r"^could not find expected ':'$", "hittade inte väntat ':'"),
    (
        r"^found character (.*) that cannot start any token$",
        r"tecknet \1 kan inte inleda något värde (tabbar får inte användas för indrag)",
    ),
    (r"^expected <block end>, but found (.*)$", r"väntade slutet på ett block, men fann \1 (fel indrag?)"),
    (r"^did not find expected key$", "hittade inte väntad nyckel (fel indrag?)"),
    (r"^did not find expected '-' indicator$", "hittade inte väntat '-' (fel indrag i en lista?)"),
    (r"^did not find expected node content$", "hittade inte väntat värde"),
    (r"^did not find expected comment or line break$", "hittade inte väntad kommentar eller radbrytning"),
    (r"^found undefined alias (.*)$", r"hittade ett odefinierat alias \1"),
    (r"^found unexpected end of stream$", "filen tar slut oväntat"),
    (r"^found unknown escape character (.*)$", r"okänt escape-tecken \1"),
    (r"^found unexpected ':'$", "oväntat ':'"),
    (r"^expected ',' or '\]', but got (.*)$", r"väntade ',' eller ']', men fann \1"),
    (r"^expected ',' or '\}', but got (.*)$", r"väntade ',' eller '}', men fann \1"),
    (r"^expected alphabetic or numeric character, but found (.*)$", r"väntade en bokstav eller siffra, men fann \1"),
    (r"^expected a single document in the stream$", "filen ska innehålla ett enda dokument"),
    (r"^but found another document$", "men fann ett till dokument"),
    (r"^found duplicate anchor (.*)$", r"ankaret \1 står två gånger"),
    (r"^duplicate key (.*)$", r"nyckeln \1 står två gånger"),
    (r"^while scanning a simple key$", "i en enkel nyckel"),
    (r"^while scanning a quoted scalar$", "i en text inom citattecken"),
    (r"^while scanning a plain scalar$", "i ett värde"),
    (r"^while scanning a block scalar$", "i ett textblock"),
    (r"^while scanning an alias$", "i ett alias"),
    (r"^while scanning an anchor$", "i ett ankare"),
    (r"^while scanning a tag$", "i en tagg"),
    (r"^while scanning for the next token$", "vid nästa värde"),
    (r"^while parsing a block mapping$", "i en samling nycklar"),
    (r"^while parsing a block collection$", "i en lista"),
    (r"^while parsing a flow mapping$", "i en samling nycklar inom {}"),
    (r"^while parsing a flow sequence$", "i en lista inom []"),
    (r"^while parsing a block node$", "i ett värde"),
    (r"^while parsing a flow node$", "i ett värde"),
    (r"^while constructing a mapping$", "i en samling nycklar"),
]


def swedish_yaml(text: str) -> str:
    """Return one of PyYAML's problem or context texts in Swedish (as it is, if it is not known)."""
    import re

    for pattern, replacement in _YAML_SWEDISH:
        if re.match(pattern, text):
            return re.sub(pattern, replacement, text)
    return text


def _yaml_problem(file: Path, exc: yaml.YAMLError) -> DataError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    problem = swedish_yaml(getattr(exc, "problem", None) or str(exc))
    context = getattr(exc, "context", None)
    context = swedish_yaml(context) if context else context
    context_mark = getattr(exc, "context_mark", None)
    if context and context_mark is not None and context_mark is not mark:
        context += f" som började på rad {context_mark.line + 1}"
    message = f"inte giltig YAML: {problem}" + (f" ({context})" if context else "")
    finding = Finding(Location(file, line, column), message)
    return DataError(str(finding), [finding])


def load_yaml(file: Path, root: Path | None = None) -> tuple[Any, SourceMap]:
    """Return the data of a YAML file and its source map; raise :class:`DataError` on any problem.

    The file must lie in the project folder (``root``, else :func:`project_root`) after symbolic links.
    """
    file = Path(file)
    return parse_yaml(read_data(file, MAX_YAML_BYTES, "filen", root), file)


def check_contained(file: Path, what: str = "filen", root: Path | None = None) -> None:
    """Raise :class:`DataError` at ``file`` if it resolves, after symbolic links, outside the project folder
    (``root``, else :func:`project_root` of ``file`` as named): a data file that is a link to a file elsewhere
    would be read, built and signed without anyone seeing where it came from."""
    file = Path(file)
    try:
        resolved = file.resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise _file_error(file, f"{what} kan inte slås upp ({exc})") from None
    base = (root if root is not None else project_root(file)).resolve()
    if not resolved.is_relative_to(base):
        raise _file_error(
            file,
            f"{what} är en symbolisk länk (eller ligger i en länkad mapp) som leder ut ur projektmappen {base}",
            "lägg filen i projektmappen i stället för att länka till den",
        )


def read_data(file: Path, limit: int, what: str, root: Path | None = None) -> bytes:
    """Return the bytes of the data file ``file``: :func:`check_contained`, then :func:`read_limited`."""
    check_contained(file, what, root)
    return read_limited(file, limit, what)


def parse_yaml(raw: bytes, file: Path) -> tuple[Any, SourceMap]:
    """Return the data of ``raw``, the bytes of the YAML file ``file``, and its source map; raise
    :class:`DataError` (at ``file``'s line and column) on any problem."""
    file = Path(file)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        finding = Finding(
            Location(file, line),
            f"filen är inte UTF-8 (byte 0x{raw[exc.start]:02x} vid position {exc.start})",
            hint="spara filen som UTF-8",
        )
        raise DataError(str(finding), [finding]) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        finding = Finding(Location(file, 1), "filen är tom")
        raise DataError(str(finding), [finding])
    raw_control = _RAW_CONTROL.search(text)
    if raw_control:  # PyYAML would refuse it too, but by offset only
        before = text[: raw_control.start()]
        line, column = before.count("\n") + 1, raw_control.start() - (before.rfind("\n") + 1) + 1
        described = bad_character(raw_control.group(0))
        assert described is not None  # every character _RAW_CONTROL finds is one of BAD_CHARACTERS
        described = described.split(" vid tecken")[0]
        finding = Finding(
            Location(file, line, column),
            f"inte giltig YAML: filen innehåller {described}",
            hint="styrtecken (NUL, BEL …) får inte finnas i data; skriv om värdet",
        )
        raise DataError(str(finding), [finding])
    loaded = None
    if _FAST_LOADER is not None:
        try:
            loaded = _compose(file, _FAST_LOADER(text))
        except (yaml.YAMLError, DataError, RecursionError):
            pass  # read again below, for the message users see
    if loaded is None:
        try:
            loader = _Loader(text)
        except yaml.YAMLError as exc:
            raise _yaml_problem(file, exc) from None
        loaded = _compose(file, loader)
    return loaded


def _compose(file: Path, loader) -> tuple[Any, SourceMap]:
    try:
        node = loader.get_single_node()
        if node is None:
            finding = Finding(Location(file, 1), "filen innehåller inga data (bara kommentarer)")
            raise DataError(str(finding), [finding])
        _expanded_size(node, {}, set())  # before merge keys are flattened: they too can multiply
        marks: dict[PathKey, tuple[int, int]] = {}
        blocks: set[PathKey] = set()
        budget = _Budget()
        data = _construct(node, (), marks, loader, blocks, budget)
    except yaml.YAMLError as exc:
        raise _yaml_problem(file, exc) from None
    except RecursionError:  # not reached within MAX_DEPTH; a last guard
        finding = Finding(Location(file, 1), f"data är för djupt nästlade (mer än {MAX_DEPTH} nivåer)")
        raise DataError(str(finding), [finding]) from None
    finally:
        loader.dispose()
    return data, SourceMap(file, marks, blocks, budget.unquoted_keys, budget.unquoted_values)


def project_root(file: Path) -> Path:
    """Return the project folder of a data file: the folder holding its ``agreements/``, else the working
    directory if the file is inside it, else the file's own folder."""
    named = Path(os.path.abspath(file))  # as named: a symlinked agreement does not move the project
    for ancestor in named.parents:
        if ancestor.name == "agreements":
            return ancestor.parent.resolve()
    cwd = Path.cwd().resolve()
    if named.resolve().is_relative_to(cwd) or named.is_relative_to(Path(os.path.abspath(os.curdir))):
        return cwd
    return named.parent.resolve()


def contained_path(base_file: Path, name: str, root: Path | None = None) -> Path:
    """Return the file ``name`` (relative to ``base_file``'s folder) if it resolves inside the project folder.

    Raises ValueError naming the problem: an absolute path, or one that leaves the project folder (by
    ``..`` or through a symbolic link). The file's contents are never read here.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError("sökvägen är tom")
    if "\x00" in name:
        raise ValueError("sökvägen innehåller en NUL-byte")
    if Path(name).is_absolute() or name.startswith("~") or re.match(r"^[A-Za-z]:[\\/]", name):
        raise ValueError(f"{name!r} är en absolut sökväg; ange filen relativt överenskommelsen, inom projektet")
    root = (root or project_root(base_file)).resolve()
    target = Path(base_file).parent / name
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise ValueError(f"{name!r} kan inte slås upp ({exc})") from None
    if not resolved.is_relative_to(root):
        raise ValueError(f"{name!r} leder ut ur projektmappen {root} (via .. eller en symbolisk länk)")
    return target
