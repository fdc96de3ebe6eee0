"""One language for the people who use the generator: --help, click's own texts and the message labels in Swedish."""

from __future__ import annotations

import re

from click.testing import CliRunner

from generator.cli.main import main
from generator.errors import Finding, Location

ENGLISH = re.compile(
    r"\b(Usage|Options|Commands|Show this|the|and|of|with|from|is|are|must|file|folder|error|hint|warning)\b"
)


def test_every_help_text_is_swedish():
    runner = CliRunner()
    texts = {"generator": runner.invoke(main, ["--help"]).output}
    for name in main.commands:
        texts[name] = runner.invoke(main, [name, "--help"]).output
    for name, text in texts.items():
        assert "Användning:" in text and "Alternativ:" in text, name
        assert "Visa den här hjälpen och avsluta." in text, name
        words = ENGLISH.findall(re.sub(r"--[\w-]+|generator [a-z]+", "", text))  # option and command names are names
        assert words == [], (name, words)


def test_click_errors_are_swedish():
    result = CliRunner().invoke(main, ["bild"])
    assert result.exit_code == 2
    assert "Fel: Det finns inget kommando 'bild'. Menade du 'build'?" in result.output
    result = CliRunner().invoke(main, ["explain", "2012"])
    assert "Fel: Argument saknas 'KOD'." in result.output


def test_a_finding_reads_file_line_column_fel_field_path():
    finding = Finding(
        Location("agreements/2012.yaml", 233, 13),
        "okänd nyckel 'amout'",
        "sections[1].sections[4].payouts[0].amout",
        "error",
        "menade du 'amount'?",
    )
    assert str(finding) == (
        "agreements/2012.yaml:233:13: fel: sections[1].sections[4].payouts[0].amout: okänd nyckel 'amout'"
        "\n    tips: menade du 'amount'?"
    )
    warning = Finding(Location("a.yaml", 3), "x", "", "warning")
    assert str(warning) == "a.yaml:3: varning: x"


SYNTAX_ERRORS = [  # a reference mistyped in the intro of agreements/2011.yaml, and what validate says
    ("{{ total | kronor }", "oväntat '}'"),
    ("{% for x in y %}", "blocket {% for %} avslutas aldrig"),
    ("{{ total | kronor ! }}", "tecknet '!' hör inte hemma i en hänvisning"),
    ("{{ total kronor }}", "väntade }} men fann 'kronor'"),
    ("{% foo %}", "okänd tagg {% foo %}"),
    ("{{ total | kronor }} {# x", "en kommentar {# avslutas aldrig"),
    ("{{ total | kronor", "väntade }} men fann ett tal"),  # the 2011 that follows
]


def test_a_mistyped_reference_is_named_in_swedish_at_its_line(tmp_path, monkeypatch):

    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    original = (root / "agreements" / "2011.yaml").read_text(encoding="utf-8")
    intro = "{{ total | kronor }} 2011"
    line = next(i for i, text in enumerate(original.splitlines(), 1) if intro in text)
    (tmp_path / "agreements").mkdir()
    monkeypatch.chdir(tmp_path)
    for typed, expected in SYNTAX_ERRORS:
        path = tmp_path / "agreements" / "2011.yaml"
        path.write_text(original.replace(intro, typed + " 2011", 1), encoding="utf-8")
        result = CliRunner().invoke(main, ["validate", str(path)])
        assert result.exit_code == 2, (typed, result.output)
        assert f"2011.yaml:{line}: fel: intro: texten har en felaktig hänvisning: {expected}" in result.output, (
            typed,
            result.output,
        )
        assert "Jinja" not in result.output and "unexpected" not in result.output.lower(), result.output
        assert "Traceback" not in result.output


def test_a_reference_cut_off_at_the_end_of_the_text():
    import pytest

    from generator.data.prose_figures import TemplateError, render_prose, syntax_message

    with pytest.raises(TemplateError) as caught:
        render_prose("Totalt {{ total | kronor", {"total": 5})
    assert syntax_message(caught.value) == "texten tar slut mitt i en hänvisning: }} saknas"
