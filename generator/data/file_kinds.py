"""The kinds of YAML input file, told apart by their first key, and what validation reads from their JSON Schema.

An agreement, an SKL circular (first key ``cirkular:``) or a municipality's own file (first key ``kommun:``):
:data:`FILE_KINDS`, :func:`kind_of`. The JSON Schema of a kind is made from its pydantic model here
(:func:`model_definitions`, :func:`schema_document`); validation walks it to find every amount and date of a
file (:func:`figure_paths`, for the values ``generator new`` leaves empty) and the model that holds a key
(:func:`model_at`, for the hint on an unknown key). :mod:`generator.reference_docs.json_schema` adds the
Swedish descriptions and writes the schemas into ``schema/``.

Two things differ from the models on purpose, because an editor reads YAML 1.2
while the generator reads grouped numbers: an amount may be written
``66_000_000`` (a string of digit groups to the editor), a deadline's, a letter
step's or a follow-up's ``date`` may name a key of ``dates:`` instead of
repeating a date, and a decision's attachment may be given by its kind alone.
"""

from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from generator.data.model import Agreement, Circular, MunicipalFile

SCHEMA_FOLDER = Path(__file__).resolve().parents[2] / "schema"
#: The first line of every shipped YAML file, with the path of its schema relative to the file.
MODELINE = "# yaml-language-server: $schema={path}"
#: Digits in groups of three joined by _, as amounts are written (66_000_000).
GROUPED_DIGITS = r"^[0-9]{1,3}(_[0-9]{3})+$"
DATE_NAME = r"^[a-z][a-z0-9_]*$"


@dataclass(frozen=True)
class FileKind:
    """One kind of input file: its schema's name, its model, and the key it sits under (if any)."""

    name: str
    model: type[BaseModel]
    wrapper: str | None
    title: str
    where: str

    @property
    def file(self) -> str:
        return f"{self.name}.schema.json"


#: Every kind of YAML input file. A file is a circular if its first key is ``cirkular:``.
FILE_KINDS: list[FileKind] = [
    FileKind(
        "overenskommelse",
        Agreement,
        None,
        "Överenskommelse",
        "agreements/<år>.yaml, eller en fil per överenskommelse i agreements/<år>/",
    ),
    FileKind(
        "cirkular",
        Circular,
        "cirkular",
        "SKL-cirkulär",
        "agreements/<år>/cirkular_<nr>.yaml; filens första nyckel är cirkular:",
    ),
    FileKind(
        "kommun",
        MunicipalFile,
        None,
        "Kommunens egna delar av utlåtandet",
        "kommuner/<år>/<kod>.yaml (mappen anges av municipal_statement.folder); filens första nyckel är kommun:",
    ),
]


class _Generate(GenerateJsonSchema):
    """Pydantic's generator, adjusted to what an editor reading YAML 1.2 sees."""

    def int_schema(self, schema: Any) -> dict[str, Any]:
        base = super().int_schema(schema)
        if base.get("minimum") == 0 and base.get("maximum", 10**9) >= 10**9:  # an amount: 66_000_000 is allowed too
            return {"anyOf": [base, {"type": "string", "pattern": GROUPED_DIGITS}]}
        return base


def kind_of(file: Path) -> FileKind:
    """Return the kind of the YAML file ``file``."""
    if is_circular(file):
        return FILE_KINDS[1]
    return FILE_KINDS[2] if _first_key(file) == "kommun" else FILE_KINDS[0]


def _first_key(file: Path) -> str | None:
    """Return the first key of a YAML file, read from its text (comments skipped)."""
    try:
        with open(file, encoding="utf-8") as handle:
            for line in handle:
                stripped = line.strip()
                if stripped and not stripped.startswith(("#", "---")):
                    return stripped.split(":", 1)[0] if ":" in stripped else None
    except (OSError, UnicodeDecodeError):
        return None
    return None


def model_definitions(kind: FileKind) -> dict[str, dict[str, Any]]:
    """Return the JSON Schema definitions of ``kind``'s models by model name, its own model's among them.

    They are pydantic's, with an amount that may be written in digit groups, each titled by its model's name,
    its keys untitled, and a table of names closed to names of another form.
    """
    schema = kind.model.model_json_schema(schema_generator=_Generate)
    defs = schema.pop("$defs", {})
    defs[kind.model.__name__] = schema
    for name, definition in defs.items():
        definition.pop("title", None)
        definition["title"] = name
        for prop in definition.get("properties", {}).values():
            prop.pop("title", None)
            if "patternProperties" in prop:  # a table of names: a name of another form is an error too
                prop["additionalProperties"] = False
    return defs


def schema_document(kind: FileKind, defs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of ``kind`` around its model definitions ``defs``.

    A deadline's date may name a key of ``dates:``: its definition is widened in place.
    """
    for model in ("Deadline", "LetterStep", "FollowUp"):  # each dated step of the agreement
        props = defs.get(model, {}).get("properties", {})
        if "date" in props:
            props["date"] = _date_or_name(props["date"])
    decision = defs.get("Decision", {}).get("properties", {})
    if "attachments" in decision:  # an attachment may be given by its kind alone: attachments: [agreement]
        items = decision["attachments"]["items"]
        kinds = defs["DecisionAttachment"]["properties"]["kind"]
        decision["attachments"]["items"] = {"anyOf": [{k: v for k, v in kinds.items() if k != "description"}, items]}
    root_ref = {"$ref": f"#/$defs/{kind.model.__name__}"}
    if kind.wrapper:
        root: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "required": [kind.wrapper],
            "properties": {kind.wrapper: root_ref},
        }
    else:
        root = dict(root_ref)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://generator.invalid/schema/{kind.file}",
        "title": kind.title,
        "description": f"{kind.title}: {kind.where}. Nycklarna beskrivs i docs/REFERENCE.md.",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def _date_or_name(node: dict[str, Any]) -> dict[str, Any]:
    """Return a date's schema widened to a name under ``dates:`` too (null stays allowed where it was)."""
    options = node.get("anyOf", [{k: v for k, v in node.items() if k in {"type", "format"}}])
    dated = [o for o in options if o.get("type") != "null"]
    nullable = [o for o in options if o.get("type") == "null"]
    rest = {k: v for k, v in node.items() if k not in {"type", "format", "anyOf"}}
    if not dated:
        return node
    named = [{"type": "string", "format": "date"}, {"type": "string", "pattern": DATE_NAME}]
    return {**rest, "anyOf": [*named, *nullable]}


def modeline(yaml_file: Path, kind: FileKind | None = None, folder: Path = SCHEMA_FOLDER) -> str:
    """Return the ``# yaml-language-server`` line a YAML file (of ``kind``, else as read) should start with."""
    kind = kind or kind_of(yaml_file)
    here = Path(yaml_file).resolve().parent
    own = next((p / "schema" for p in (here, *here.parents) if (p / "schema" / kind.file).is_file()), None)
    relative = os.path.relpath((own or folder) / kind.file, here)  # the project's own schema/, if it has one
    return MODELINE.format(path=Path(relative).as_posix())


# --------------------------------------------------------------------------- amounts and dates in data


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        definition = defs[node["$ref"].rsplit("/", 1)[-1]]
        node = {**definition, **{k: v for k, v in node.items() if k != "$ref"}, "title": definition.get("title")}
    return node


def _options(node: dict[str, Any], defs: dict[str, Any]) -> list[dict[str, Any]]:
    node = _resolve(node, defs)
    options = node.get("anyOf") or node.get("oneOf")
    if not options:
        return [node]
    return [o for option in options for o in _options(option, defs)]


def _figure_kind(node: dict[str, Any], defs: dict[str, Any]) -> str | None:
    """Return 'amount' or 'date' if the schema node is one (possibly null), else None."""
    options = _options(node, defs)
    if any(o.get("pattern") == GROUPED_DIGITS for o in options) and not any(o.get("minimum", 0) > 0 for o in options):
        return "amount"
    if any(o.get("format") == "date" for o in options):
        return "date"
    return None


def _walk_figures(data: Any, node: dict[str, Any], defs: dict[str, Any], path: tuple) -> list[tuple[tuple, str, Any]]:
    kind = _figure_kind(node, defs)
    if kind is not None and path:
        if (
            data is None
            or (kind == "amount" and isinstance(data, int) and not isinstance(data, bool))
            or (kind == "date" and not isinstance(data, str))
        ):  # a deadline may name a date of dates:
            return [(path, kind, data)]
    found: list[tuple[tuple, str, Any]] = []
    for option in _options(node, defs):
        if isinstance(data, dict):
            props = option.get("properties")
            if props is not None and not set(data) <= set(props):
                continue  # another block kind
            for key, value in data.items():
                child = (
                    (props or {}).get(key)
                    or option.get("additionalProperties")
                    or next(iter(option.get("patternProperties", {}).values()), None)
                )
                if isinstance(child, dict):
                    found += _walk_figures(value, child, defs, path + (key,))
            break
        if isinstance(data, list) and option.get("type") == "array":
            for index, item in enumerate(data):
                found += _walk_figures(item, option.get("items", {}), defs, path + (index,))
            break
    return found


def figure_paths(data: Any, kind: FileKind) -> list[tuple[tuple, str, Any]]:
    """Return (path, 'amount' or 'date', value) of every amount and date in a file's data, null ones included."""
    schema = _schema(kind.name)
    return _walk_figures(data, {k: v for k, v in schema.items() if k != "$defs"}, schema["$defs"], ())


@functools.cache
def _schema(name: str) -> dict[str, Any]:
    """Return the JSON Schema of the file kind ``name`` as validation walks it (without descriptions)."""
    kind = next(k for k in FILE_KINDS if k.name == name)
    return schema_document(kind, model_definitions(kind))


def model_at(kind: FileKind, data: Any, path: tuple) -> tuple[str, list[str]] | None:
    """Return the model name and its keys at ``path`` of a file's data (the mapping that holds path's last key)."""
    schema = _schema(kind.name)
    defs = schema["$defs"]
    node: dict[str, Any] = {k: v for k, v in schema.items() if k != "$defs"}
    name: str | None = None
    keys: list[str] = []
    for part in path:
        chosen = None
        for option in _options(node, defs):
            if isinstance(part, int) and option.get("type") == "array":
                chosen = option.get("items", {})
            elif isinstance(part, str) and part in option.get("properties", {}):
                chosen = option["properties"][part]
            if chosen is not None:
                break
        if chosen is None:
            return None
        node = chosen
        data = data[part] if isinstance(data, (dict, list)) else None
    for option in _options(node, defs):
        if "properties" in option and (
            not isinstance(data, dict) or not set(data) - set(option["properties"]) or name is None
        ):
            name = option.get("title")  # a model's schema has its name as title (pydantic sets it)
            keys = list(option["properties"])
            if name is not None and isinstance(data, dict) and len(set(data) - set(keys)) <= 1:
                return name, keys
    if name:
        return name, keys
    return None


#: The first key of a circular's file
CIRCULAR_KEY = "cirkular"


def is_circular(file: Path) -> bool:
    """Return True if ``file`` is a circular (its first key is ``cirkular:``), without parsing all of it."""
    try:
        if not stat.S_ISREG(os.stat(file).st_mode):  # a device or pipe is refused when it is loaded
            return False
        with open(file, "rb") as handle:
            head = handle.read(65_536).decode("utf-8", errors="replace")
    except (OSError, ValueError):
        return False
    for line in head.splitlines():
        stripped = line.strip().lstrip("\ufeff")
        if stripped and not stripped.startswith("#") and not stripped.startswith("---"):
            return stripped.startswith(f"{CIRCULAR_KEY}:")
    return False
