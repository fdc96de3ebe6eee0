"""Issue 28, items 3–8, at the level of the data layer: where a finding points, and that the cache keeps it.

The command-line cases are the round-two categories (23–28) of tests/hostile/test_hostile.py.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main
from generator.data import reference
from generator.data.loading import MAX_EXPANDED_BYTES, parse_yaml
from generator.data.prose_figures import ProseNotAllowed, check_prose
from generator.errors import DataError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    (tmp_path / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "2010.yaml", tmp_path / "agreements" / "2010.yaml")
    shutil.copy(ROOT / "agreements" / "2011.yaml", tmp_path / "agreements" / "2011.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unquoted_code_is_found_again_when_the_file_is_loaded_from_the_cache(project):
    """The marks of bare-digit keys are part of a cached load: the second run reports the same place."""
    edit(project / "agreements" / "2010.yaml", '"12": 7_000_000', "12: 7_000_000")
    line = next(
        i
        for i, text in enumerate((project / "agreements" / "2010.yaml").read_text().splitlines(), 1)
        if "12: 7" in text
    )
    outputs = [CliRunner().invoke(main, ["validate", "agreements/2010.yaml"]) for _ in range(2)]
    for result in outputs:
        assert result.exit_code == 2
        assert f"2010.yaml:{line}:13: fel: sections[0].payouts[0].distribution.published.12: koden 12 står utan" in (
            result.output
        )
    assert outputs[0].output == outputs[1].output


def test_a_published_amount_off_its_step_names_the_county_and_the_two_amounts_on_the_step(project):
    edit(project / "agreements" / "2010.yaml", '"01": 7_000_000', '"01": 7_250_000')
    result = CliRunner().invoke(main, ["validate", "agreements/2010.yaml"])
    assert result.exit_code == 2
    assert "Stockholms län (01), 7\u00a0250\u00a0000\u00a0kronor" in result.output
    assert "närmast 7\u00a0000\u00a0000\u00a0kronor eller 7\u00a0500\u00a0000\u00a0kronor" in result.output


def test_a_number_in_a_block_text_is_located_at_its_reference(project):
    """Line and column of the reference in the file, inside a `|` text (whose own mark is the line before)."""
    edit(project / "agreements" / "2011.yaml", "intro: |\n", "intro: |\n  Först.\n  Summan {{ 5_000_000 | kronor }}.\n")
    lines = (project / "agreements" / "2011.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "{{ 5_000_000" in text)
    column = lines[line - 1].index("{{") + 1
    result = CliRunner().invoke(main, ["validate", "agreements/2011.yaml"])
    assert result.exit_code == 2
    assert f"2011.yaml:{line}:{column}: fel: intro: " in result.output and "talet 5000000" in result.output


@pytest.mark.parametrize(
    "text",
    ["{{ total | kronor }}", "{{ sec.x.number }}", "{{ x | belopp_enhet('mkr') }}", "{% if not x %}a{% endif %}"],
)
def test_prose_without_numbers_is_allowed(text):
    check_prose(text)


@pytest.mark.parametrize("text", ["{{ 5 }}", "{{ -5 | kronor }}", "{{ '5' | int }}", "{{ x | tal_ord(5) }}"])
def test_prose_with_a_number_is_refused(text):
    with pytest.raises(ProseNotAllowed, match="skrivet värde, talet"):
        check_prose(text)


def test_alias_bytes_are_counted_without_expanding_them():
    """Ten levels of ten aliases of a 100 kB text (10^10 copies): refused at once, with the bound named."""
    text = 'a0: &a0 "' + "x" * 100_000 + '"\n'
    for level in range(1, 10):
        text += f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]\n"
    started = time.perf_counter()
    with pytest.raises(DataError, match=f"mer än {MAX_EXPANDED_BYTES} byte"):
        parse_yaml(text.encode(), Path("x.yaml"))
    assert time.perf_counter() - started < 2


def test_a_text_used_through_aliases_within_the_bound_is_read():
    data, _ = parse_yaml(('a: &a "' + "x" * 400_000 + '"\nb: [*a, *a, *a]\n').encode(), Path("x.yaml"))
    assert len(data["b"]) == 3 and data["b"][2] == data["a"]


def test_the_shipped_reference_lists_pass_their_checks():
    for function in (reference.counties, reference.municipalities, reference.councils):
        function.cache_clear()
    assert (len(reference.counties()), len(reference.municipalities()), len(reference.councils())) == (21, 290, 21)
    assert all(code[:2] == m.county for code, m in reference.municipalities().items())
