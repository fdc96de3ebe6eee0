"""JSON Schema of every input file kind, made from the pydantic models, with the Swedish key descriptions.

``generator schema`` writes one ``<kind>.schema.json`` per file kind into
``schema/``. Every YAML file under ``agreements/`` starts with
``# yaml-language-server: $schema=<relative path>``, so an editor with the YAML
language server (VS Code's "YAML" extension and others) completes keys, shows
each key's description and flags a misspelt key while one types.

The schema's structure is :mod:`generator.data.file_kinds`' (validation walks the same one, without the
descriptions); the descriptions are :mod:`generator.reference_docs.key_descriptions`'.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.data.file_kinds import FILE_KINDS, SCHEMA_FOLDER, FileKind, model_definitions, schema_document
from generator.reference_docs.key_descriptions import MODELS, describe_model, field_text


def schema_for(kind: FileKind) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of one file kind, with Swedish descriptions."""
    defs = model_definitions(kind)
    for name, definition in defs.items():
        _describe(name, definition)
    schema = schema_document(kind, defs)
    if kind.wrapper:
        schema["properties"][kind.wrapper]["description"] = describe_model(kind.model.__name__)
    return schema


def _describe(model_name: str, definition: dict[str, Any]) -> None:
    """Put the Swedish descriptions (and an example) of a model and its keys into its definition, in place."""
    if model_name in MODELS:
        definition["description"] = describe_model(model_name)
    for key, prop in definition.get("properties", {}).items():
        _strip_nested(prop)
        text, example = field_text(model_name, key)
        if text:
            prop["description"] = text
            prop["markdownDescription"] = (
                text
                + (f"\n\nExempel: `{example}`" if example else "")
                + f"\n\n[docs/REFERENCE.md](../docs/REFERENCE.md#{model_name.lower()})"
            )


def _strip_nested(node: dict[str, Any]) -> None:
    """Remove the models' (English) descriptions below a key; the key's own Swedish description says it all."""
    for value in node.values():
        for child in value if isinstance(value, list) else value.values() if isinstance(value, dict) else []:
            if isinstance(child, dict):
                child.pop("description", None)
                _strip_nested(child)


def schema_text(kind: FileKind) -> str:
    """Return the schema of ``kind`` as the text committed under schema/."""
    return json.dumps(schema_for(kind), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_schemas(folder: Path = SCHEMA_FOLDER) -> list[Path]:
    """Write every file kind's schema into ``folder``; return the files written or already current."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in FILE_KINDS:
        path = folder / kind.file
        text = schema_text(kind)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def as_json_data(value: Any) -> Any:
    """Return loaded YAML data as JSON data (dates as ISO text), to validate it against a schema."""
    if isinstance(value, dict):
        return {str(k): as_json_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json_data(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value
