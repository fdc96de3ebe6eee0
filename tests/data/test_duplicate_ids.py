"""Two files of one year with the same agreement id: an error in each, naming the other (validate and build)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def test_two_files_of_a_year_with_one_id_are_refused_naming_both(tmp_path: Path):
    folder = tmp_path / "agreements" / "2014"
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "agreements" / "2014" / "psykisk_ohalsa.yaml", folder / "psykisk_ohalsa.yaml")
    shutil.copy(ROOT / "agreements" / "2014" / "psykisk_ohalsa.yaml", folder / "psykisk_kopia.yaml")
    for command in (
        ["validate", str(folder)],
        ["validate", "--strict", str(folder)],
        ["build", str(folder), "--out", str(tmp_path / "ut")],
    ):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2, (command, result.output)
        first, second = folder / "psykisk_kopia.yaml", folder / "psykisk_ohalsa.yaml"
        assert f"{first}:22:5: fel: id: id 'psykisk_2014' (2014) finns också i {second}" in result.output
        assert f"{second}:22:5: fel: id: id 'psykisk_2014' (2014) finns också i {first}" in result.output
    assert not (tmp_path / "ut").exists()


def test_one_id_in_two_years_is_allowed(tmp_path: Path):
    for year in ("2014", "2015"):
        folder = tmp_path / year
        folder.mkdir()
        text = (ROOT / "agreements" / "2014" / "psykisk_ohalsa.yaml").read_text(encoding="utf-8")
        (folder / "a.yaml").write_text(text.replace("year: 2014", f"year: {year}"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "2014"), str(tmp_path / "2015")])
    assert "finns också i" not in result.output, result.output
