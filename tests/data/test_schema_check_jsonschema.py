"""The shipped JSON Schemas tested like code with a standard validator (check-jsonschema, formats on, reading YAML
as an editor's language server does): every shipped data file passes its schema, and a typo, a wrong type and a
bad date are rejected at their path. So schema and model cannot drift apart unnoticed again (LetterStep.date)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.data.file_kinds import FILE_KINDS, SCHEMA_FOLDER, kind_of

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted([*(ROOT / "agreements").rglob("*.yaml"), *(ROOT / "kommuner").rglob("*.yaml")])
FIXTURES = [ROOT / "tests" / "fixtures" / "beslut" / "2013.yaml"]
CHECK = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which("check-jsonschema")


def _check(schema: Path, files: list[Path]) -> subprocess.CompletedProcess:
    assert CHECK, "check-jsonschema saknas: pip install -e '.[test]'"
    return subprocess.run(
        [CHECK, "--schemafile", str(schema), *map(str, files)], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("kind", FILE_KINDS, ids=lambda k: k.name)
def test_every_shipped_file_passes_its_schema_with_formats_on(kind):
    files = [f for f in SHIPPED + FIXTURES if kind_of(f) is kind]
    assert files, kind.name
    result = _check(SCHEMA_FOLDER / kind.file, files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "path", "what"),
    [
        ("\ntotal: 63_000_000", "\ntotl: 63_000_000", "$", "'totl' was unexpected"),
        ("\nyear: 2011", "\nyear: tjugoelva", "$.year", "is not of type 'integer'"),
        ("    date: 2011-06-16", "    date: 2011-13-45", "$.decisions[0].date", "is not a 'date'"),
    ],
    ids=["typo", "wrong-type", "bad-date"],
)
def test_a_typo_a_wrong_type_and_a_bad_date_are_rejected(tmp_path, old, new, path, what):
    text = (ROOT / "agreements" / "2011.yaml").read_text(encoding="utf-8")
    assert old in text
    file = tmp_path / "2011.yaml"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = _check(SCHEMA_FOLDER / "overenskommelse.schema.json", [file])
    assert result.returncode == 1, result.stdout
    assert path in result.stdout and what in result.stdout, result.stdout


def test_a_letter_step_may_name_a_date_of_dates_as_a_deadline_does():
    """The shipped 2012.yaml names `rekvisition_senast` in county_letters.steps[1].date (the issue's case)."""
    text = (ROOT / "agreements" / "2012.yaml").read_text(encoding="utf-8")
    assert "date: rekvisition_senast" in text
    result = _check(SCHEMA_FOLDER / "overenskommelse.schema.json", [ROOT / "agreements" / "2012.yaml"])
    assert result.returncode == 0, result.stdout
