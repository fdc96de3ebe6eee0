"""`generator new` never rewrites an identifier with the new year: dnr, decision and circular numbers, proposition
numbers and the file names made of them are left blank (listed by the command and by validate); the year standing
alone moves, each place listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main
from generator.data.loading import load_yaml
from generator.data.newyear import TEXT_IDENTIFIERS, _identifier_path, _scalars, start_file, target_for

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "agreements").rglob("*.yaml"))


def _identifiers(file: Path) -> set[str]:
    """Every identifier of a file: its dnr and numbers, and those written in its texts."""
    data, _ = load_yaml(file)
    found: set[str] = set()
    for path, value in _scalars(data):
        if _identifier_path(path) and value:
            found.update(value if isinstance(value, list) else [str(value)])
        elif isinstance(value, str):
            for pattern, _ in TEXT_IDENTIFIERS:
                found.update(m.group(0)[len(m.group(1)) :] for m in pattern.finditer(value))
    return found


@pytest.mark.parametrize("source", SHIPPED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_identifier_of_a_shipped_file_is_carried_or_rewritten_into_the_new_year(source: Path, tmp_path: Path):
    old = int(re.search(r"20\d\d", source.relative_to(ROOT).as_posix()).group(0))
    target = tmp_path / target_for(source.relative_to(ROOT), old, old + 1)
    text, started = start_file(source, target, old, old + 1)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    data, _ = load_yaml(target)
    values = "\n".join(str(value) for _, value in _scalars(data))  # what the documents print (comments stay as notes)
    identifiers = _identifiers(source)
    for identifier in identifiers:
        rewritten = identifier.replace(str(old), str(old + 1)).replace(str(old - 1), str(old))
        assert identifier not in values and rewritten not in values, identifier
    assert len(started.blanked) >= len(identifiers) - 1  # one line lists each (a repeated one once per place)
    assert "13-66" not in target.name


def test_new_from_2011_blanks_the_decisions_identifiers_and_lists_what_it_moved(tmp_path: Path):
    target = tmp_path / "2012.yaml"
    result = CliRunner().invoke(
        main, ["new", "2012", "--from", str(ROOT / "agreements" / "2011.yaml"), "--to", str(target)]
    )
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    for wrong in ("S2012/5826/FST", "S2011/5826/FST", "II:7", "prop. 2011/11:1", "prop. 2010/11:1", "S2012/986/FST"):
        assert wrong not in text, wrong
    assert "prop. [propositionsnummer] ______________" in text
    assert "decisions[0].dnr (diarienummer) «S2011/5826/FST (delvis)»" in result.output
    assert "decisions[0].number (nummer) «II:7»" in result.output
    assert "«omsorg om de mest sjuka äldre 2011» → «omsorg om de mest sjuka äldre 2012»" in result.output
    # a sentence naming several years is left for the reader, and listed
    assert "(meningen nämner också 2012, 2013, 2014: läs igenom och ändra för hand)" in result.output
    check = CliRunner().invoke(main, ["validate", str(target)])
    assert check.exit_code == 2
    for field in ("decisions[0].number", "decisions[0].dnr"):
        assert f"{field}: inte ifyllt (null)" in check.output, field
    assert "decisions[0].matter: inte ifyllt: propositionsnummer (ett tomrum i texten)" in check.output
    assert "sections[0].text: inte ifyllt: diarienummer (ett tomrum i texten)" in check.output


def test_a_circular_named_after_its_number_gets_a_neutral_name_and_no_number(tmp_path: Path):
    source = ROOT / "agreements" / "2014" / "cirkular_13-66.yaml"
    assert target_for(Path("agreements/2014/cirkular_13-66.yaml"), 2014, 2015) == Path(
        "agreements/2015/cirkular_ny.yaml"
    )
    target = tmp_path / "cirkular_ny.yaml"
    result = CliRunner().invoke(main, ["new", "2015", "--from", str(source), "--to", str(target)])
    assert result.exit_code == 0, result.output
    data, _ = load_yaml(target)
    assert data["cirkular"]["number"] is None and "13:66" not in str(data)
    assert "cirkular.number (nummer) «13:66»" in result.output
