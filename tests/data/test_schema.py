"""The JSON Schema of the input files, docs/REFERENCE.md, and `generator new`."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from generator.app import load_agreement
from generator.cli.main import main
from generator.data.file_kinds import FILE_KINDS, SCHEMA_FOLDER, figure_paths, kind_of, modeline
from generator.data.loading import load_yaml
from generator.data.validate import check_agreement
from generator.errors import DataError
from generator.formatting import kronor
from generator.reference_docs.json_schema import as_json_data, schema_for, schema_text
from generator.reference_docs.key_descriptions import MODELS
from generator.reference_docs.reference_md import REFERENCE_FILE, reference_text

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted([*(ROOT / "agreements").rglob("*.yaml"), *(ROOT / "kommuner").rglob("*.yaml")])


def _models(model: type[BaseModel], seen: dict[str, type[BaseModel]]) -> dict[str, type[BaseModel]]:
    """Return every model reachable from ``model`` by its fields, by name."""
    if model.__name__ in seen:
        return seen
    seen[model.__name__] = model

    def visit(annotation) -> None:
        for arg in typing.get_args(annotation):
            visit(arg)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            _models(annotation, seen)

    for info in model.model_fields.values():
        visit(info.annotation)
    return seen


ALL_MODELS: dict[str, type[BaseModel]] = {}
for _kind in FILE_KINDS:
    _models(_kind.model, ALL_MODELS)


def _validator(kind) -> jsonschema.Draft202012Validator:
    schema = schema_for(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("file", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_file_names_its_schema_and_is_valid_against_it(file: Path) -> None:
    first = file.read_text(encoding="utf-8").splitlines()[0]
    assert first == modeline(file)
    target = (file.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == (SCHEMA_FOLDER / kind_of(file).file).resolve() and target.is_file()
    data, _ = load_yaml(file)
    errors = list(_validator(kind_of(file)).iter_errors(as_json_data(data)))
    assert errors == [], [e.message for e in errors[:5]]


def test_schema_rejects_a_misspelt_key_and_describes_the_right_one() -> None:
    """What an editor shows: the misspelt key is flagged where it stands, the key meant has a description."""
    data, _ = load_yaml(ROOT / "agreements" / "2012.yaml")
    payout = data["sections"][1]["sections"][4]["payouts"][0]
    payout["amout"] = payout.pop("amount")
    errors = list(_validator(FILE_KINDS[0]).iter_errors(as_json_data(data)))
    assert sorted((e.validator, e.message) for e in errors) == [
        ("additionalProperties", "Additional properties are not allowed ('amout' was unexpected)"),
        ("required", "'amount' is a required property"),
    ]
    assert all(list(e.absolute_path) == ["sections", 1, "sections", 4, "payouts", 0] for e in errors)
    schema = schema_for(FILE_KINDS[0])
    described = schema["$defs"]["Payout"]["properties"]["amount"]
    assert described["description"] == "Beloppet i kronor."
    assert "Exempel: `7_000_000`" in described["markdownDescription"]
    # and a circular's misspelt key likewise
    circular, _ = load_yaml(ROOT / "agreements" / "2014" / "cirkular_13-66.yaml")
    circular["cirkular"]["recipient"] = circular["cirkular"].pop("recipients")
    messages = [e.message for e in _validator(FILE_KINDS[1]).iter_errors(as_json_data(circular))]
    assert any("'recipient' was unexpected" in m for m in messages), messages


def test_schema_accepts_what_the_generator_accepts_and_refuses_what_it_refuses() -> None:
    validator = _validator(FILE_KINDS[0])
    data, _ = load_yaml(ROOT / "tests" / "fixtures" / "minimal.yaml")
    good = as_json_data(data)
    assert not list(validator.iter_errors(good))
    assert not list(validator.iter_errors({**good, "total": "10_000_000"}))  # as an editor reads 10_000_000
    for bad in (
        {**good, "total": -1},
        {**good, "total": 10.5},
        {**good, "total": "10 000 000"},
        {**good, "id": "Test 2012"},
        {**good, "year": 1999},
    ):
        assert list(validator.iter_errors(bad)), bad


def test_every_key_of_every_model_has_a_swedish_description_and_an_example() -> None:
    missing = [
        f"{name}.{key}"
        for name, model in ALL_MODELS.items()
        for key in model.model_fields
        if not all(MODELS.get(name, ("", {}))[1].get(key, ("", "")))
    ]
    assert missing == []
    stale = [
        f"{name}.{key}"
        for name, (_, keys) in MODELS.items()
        for key in keys
        if name not in ALL_MODELS or key not in ALL_MODELS[name].model_fields
    ]
    assert stale == []
    assert all(MODELS[name][0] for name in ALL_MODELS)


def test_committed_schema_is_what_generator_schema_writes(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for kind in FILE_KINDS:
        written = (tmp_path / kind.file).read_text(encoding="utf-8")
        assert written == schema_text(kind)
        assert (SCHEMA_FOLDER / kind.file).read_text(encoding="utf-8") == written, (
            f"schema/{kind.file} is stale: run generator schema"
        )
    assert sorted(p.name for p in SCHEMA_FOLDER.glob("*.json")) == sorted(k.file for k in FILE_KINDS)


def test_committed_reference_is_current() -> None:
    assert REFERENCE_FILE.read_text(encoding="utf-8") == reference_text(), (
        "docs/REFERENCE.md is stale: run generator reference"
    )


def _reference_rows() -> dict[str, dict[str, list[str]]]:
    """Return the key table of every model heading in REFERENCE.md: model -> key -> its cells."""
    tables: dict[str, dict[str, list[str]]] = {}
    model = None
    for line in REFERENCE_FILE.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### (\w+)$", line)
        if heading:
            model = heading.group(1)
            continue
        row = re.match(r"^\| `(\w+)` \| (.*) \|$", line)
        if row and model:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", row.group(2))]
            tables.setdefault(model, {})[row.group(1)] = cells
    return tables


def test_reference_covers_every_key_of_the_models() -> None:
    tables = _reference_rows()
    for name, model in ALL_MODELS.items():
        assert name in tables, f"no section for {name}"
        assert list(tables[name]) == list(model.model_fields), name
        for key, (kind, default, meaning, example) in tables[name].items():
            assert kind and default and meaning and example.strip("`"), f"{name}.{key}: {tables[name][key]}"
            required = model.model_fields[key].is_required()
            assert (default == "**krävs**") == required, f"{name}.{key}"


def test_reference_examples_are_computed() -> None:
    text = REFERENCE_FILE.read_text(encoding="utf-8")
    for rule in ("fixed_table", "floor_then_key", "base_then_key", "proportional", "shares", "split", "minimum"):
        assert f"### {rule} – " in text
    # floor 2 million, the rest by number of municipalities (Uppsala 8, Södermanland 9, Östergötland 13),
    # steps of 500 000
    assert "| 05 Östergötlands län | 13 |" in text and f"→ {kronor(4_000_000)} | {kronor(4_000_000)} |" in text
    assert "| `{{ reg_skl | miljoner_ord }}` | en utbetalnings belopp i ord | två miljoner kronor |" in text
    assert "| `{{ x | miljoner }}` | `7_500_000` | 7,5\u00a0miljoner kronor |" in text
    assert "| `{{ sec.kvalitetsregister.letters }}` | bokstäverna för avsnittets utbetalningar | a–b |" in text


def test_unknown_key_hint_points_to_the_reference_not_to_source(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("title: Testöverenskommelse 2012", "titel: Testöverenskommelse 2012"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_agreement(bad)
    finding = next(f for f in caught.value.findings if "titel" in f.message)
    assert finding.hint == "menade du 'title'? nycklarna i Agreement står i docs/REFERENCE.md#agreement"
    assert ".py" not in finding.hint


# --------------------------------------------------------------------------- generator new


def test_new_year_from_this_year_leaves_amounts_and_dates_to_fill_and_validate_lists_them(tmp_path: Path) -> None:
    source = tmp_path / "agreements" / "2012.yaml"
    source.parent.mkdir()
    source.write_text(
        (ROOT / "agreements" / "2012.yaml")
        .read_text(encoding="utf-8")
        .replace("../examples/", f"{(ROOT / 'examples').as_posix()}/"),
        encoding="utf-8",
    )
    target = tmp_path / "agreements" / "2013.yaml"
    result = CliRunner().invoke(main, ["new", "2013", "--from", str(source), "--to", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=" + modeline(target).split("=", 1)[1]
    assert "id: aldre_2013" in lines and "year: 2013" in lines and "total: null" in lines
    old, _ = load_yaml(source)
    new, _ = load_yaml(target)
    # the structure, the prose and the rules are copied
    assert [s["id"] for s in new["sections"]] == [s["id"] for s in old["sections"]]
    old_pot = old["sections"][2]["sections"][3]["pots"][0]
    new_pot = new["sections"][2]["sections"][3]["pots"][0]
    assert new_pot["offer"] == old_pot["offer"].replace("2012", "2013")
    assert new_pot["distribution"]["split"] == old_pot["distribution"]["split"]
    assert new_pot["distribution"]["minimum"]["count"] == old_pot["distribution"]["minimum"]["count"]
    assert new_pot["amount"] is None and new_pot["distribution"]["minimum"]["reduced_amount"] is None
    assert new["sections"][2]["sections"][0]["pots"][0]["period"] == {"start": None, "end": None}
    assert all(value is None for value in new["dates"].values())
    # validate lists every value to fill, each at its line, and nothing else
    emptied = int(re.search(r": (\d+) belopp och datum att fylla i", result.output).group(1))
    blanked = int(re.search(r", (\d+) identifierare lämnade tomma", result.output).group(1))
    run = CliRunner().invoke(main, ["validate", str(target)])
    assert run.exit_code == 2
    errors = [line for line in run.output.splitlines() if ": fel: " in line]
    # blanked: the letters' two dnr and the decision's number; its dnr is empty in the source already (a blank)
    assert len(errors) == emptied + blanked + 1 and emptied > 100 and blanked == 3
    assert all("inte ifyllt (null)" in line for line in errors), [e for e in errors if "inte ifyllt" not in e][:3]
    total_line = next(i for i, line in enumerate(lines, 1) if line == "total: null")
    assert f"{target}:{total_line}:8: fel: total: inte ifyllt (null): ett belopp i hela kronor" in run.output
    # a second run refuses to overwrite
    again = CliRunner().invoke(main, ["new", "2013", "--from", str(source), "--to", str(target)])
    assert again.exit_code == 2 and "filen finns redan; 2013 är redan påbörjat" in again.output
    assert target.read_text(encoding="utf-8") == text


def test_new_year_empties_exactly_the_amounts_and_dates_and_filled_in_validates(tmp_path: Path) -> None:
    """Every amount and date (not a rule's floor, base, step or count) is emptied; filled in again, it validates."""
    source = ROOT / "tests" / "fixtures" / "minimal.yaml"
    target = tmp_path / "2013.yaml"
    result = CliRunner().invoke(main, ["new", "2013", "--from", str(source), "--to", str(target)])
    assert result.exit_code == 0, result.output
    old, _ = load_yaml(source)
    new, marks = load_yaml(target)
    before = {path: value for path, _, value in figure_paths(old, FILE_KINDS[0])}
    after = {path: value for path, _, value in figure_paths(new, FILE_KINDS[0])}
    assert set(before) == set(after) and len(before) == 7
    assert all(value is None for value in after.values())
    for path, value in before.items():  # fill in: last year's values, a year later
        node = new
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value.replace(year=value.year + 1) if hasattr(value, "year") else value
    agreement, report = check_agreement(new, marks)
    assert report.errors == [] and agreement is not None
    assert (
        agreement.year == 2013
        and agreement.sections[0].text.strip() == "Parterna är överens om {{ stod_skl | miljoner }} för {{ year }}."
    )
    assert agreement.sections[1].pots[0].period.end.isoformat() == "2013-09-30"
