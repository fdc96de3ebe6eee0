"""One language for the people who use the generator: --help, click's own texts and the message labels in Swedish."""
from __future__ import annotations

import re

from click.testing import CliRunner

from generator.cli import main
from generator.errors import Finding, Location

ENGLISH = re.compile(r"\b(Usage|Options|Commands|Show this|the|and|of|with|from|is|are|must|file|folder|error|hint|warning)\b")


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
    finding = Finding(Location("agreements/2012.yaml", 233, 13), "okänd nyckel 'amout'",
                      "sections[1].sections[4].payouts[0].amout", "error", "menade du 'amount'?")
    assert str(finding) == ("agreements/2012.yaml:233:13: fel: sections[1].sections[4].payouts[0].amout: okänd nyckel 'amout'"
                            "\n    tips: menade du 'amount'?")
    warning = Finding(Location("a.yaml", 3), "x", "", "warning")
    assert str(warning) == "a.yaml:3: varning: x"
