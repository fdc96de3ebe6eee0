"""The validator: every malformed input gives one clear message and exit status 2."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.app import load_agreement
from generator.cli.main import main
from generator.errors import DataError

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str | bytes, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run_validate(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


def line_of(text: str, needle: str) -> int:
    """Return the line on which ``needle`` (possibly several lines) starts in ``text``."""
    return text[: text.index(needle)].count("\n") + 1


def test_minimal_fixture_is_valid(tmp_path):
    result = run_validate(str(write(tmp_path, MINIMAL)))
    assert result.exit_code == 0, result.output
    assert "10 000 000 kronor" in result.output.replace("\u00a0", " ")
    assert "stämmer" in result.output


@pytest.mark.parametrize(
    "name, change, needle, message",
    [
        (
            "string amount",
            ("amount: 4_000_000", "amount: 4 miljoner"),
            "amount: 4 miljoner",
            r"väntade ett belopp i hela kronor .* fann texten '4 miljoner'",
        ),
        (
            "float amount",
            ("amount: 4_000_000", "amount: 4000000.5"),
            "amount: 4000000.5",
            r"väntade ett belopp i hela kronor .* fann decimaltalet 4000000.5",
        ),
        (
            "negative amount",
            ("amount: 6_000_000", "amount: -6_000_000"),
            "amount: -6_000_000",
            r"får inte vara negativt, fann -6000000",
        ),
        (
            "unknown recipient",
            ("recipient: skl", "recipient: skll"),
            "recipient: skll",
            r"okänd organisation 'skll'.*menade du 'skl'",
        ),
        (
            "duplicated id",
            ("- id: tackning", "- id: stod_skl"),
            "- id: stod_skl\n        title: Täckningsgrad",
            r"id:t 'stod_skl' används två gånger \(första gången på rad \d+\)",
        ),
        (
            "impossible date",
            ("data_entry: 2012-10-15", "data_entry: 2012-02-30"),
            "data_entry: 2012-02-30",
            r"'2012-02-30' är inte ett riktigt datum",
        ),
        ("unknown key", ("    route: skl_rekvisition", "    rute: skl_rekvisition"), "rute:", r"okänd nyckel 'rute'"),
        ("missing key", ("        label: Medel till SKL\n", ""), "- id: stod_skl", r"nyckeln 'label' saknas men krävs"),
        (
            "undefined figure in prose",
            ("{{ stod_skl | miljoner }}", "{{ stod_sk | miljoner }}"),
            "Parterna",
            r"hänvisar till 'stod_sk'.*menade du 'stod_skl'",
        ),
        (
            "bad YAML",
            ("    short: SKL\n", "    short: [SKL\n"),
            "  - id: staten",
            r"inte giltig YAML.*lista inom \[\] som började på rad 9",
        ),
        (
            "unknown key in distribution",
            ("key: befolkning_65", "key: befolkning_66"),
            "key: befolkning_66",
            r"okänd fördelningsnyckel 'befolkning_66'",
        ),
        ("reserved id", ("- id: tackning", "- id: sec"), "- id: sec", r"id:t 'sec' är ett reserverat namn"),
        (
            "period backwards",
            ("start: 2011-10-01", "start: 2013-10-01"),
            "period:",
            r"perioden börjar 2013-10-01, inte före sitt slut 2012-09-30",
        ),
    ],
)
def test_malformed_input_gives_one_clear_message(tmp_path, name, change, needle, message):
    old, new = change
    assert old in MINIMAL, name
    text = MINIMAL.replace(old, new, 1)
    path = write(tmp_path, text)
    result = run_validate(str(path))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if ": fel: " in line]
    assert len(errors) >= 1, result.output
    joined = result.output.replace("\n    tips:", " tips:")
    matching = [line for line in joined.splitlines() if ": fel: " in line and re.search(message, line)]
    assert matching, result.output
    expected_line = line_of(text, needle)
    first = matching[0]
    assert first.startswith(f"{path}:{expected_line}:"), (first, expected_line)


def test_empty_file(tmp_path):
    path = write(tmp_path, "")
    result = run_validate(str(path))
    assert result.exit_code == 2
    assert f"{path}:1: fel: filen är tom" in result.output


def test_comments_only_file(tmp_path):
    result = run_validate(str(write(tmp_path, "# nothing here\n")))
    assert result.exit_code == 2
    assert "innehåller inga data" in result.output


def test_non_utf8_file(tmp_path):
    path = write(tmp_path, MINIMAL.replace("Stöd", "St\u00f6d").encode("latin-1"))
    result = run_validate(str(path))
    assert result.exit_code == 2
    assert "är inte UTF-8" in result.output
    assert f"{path}:{line_of(MINIMAL, 'Testöverenskommelse')}:" in result.output
    assert result.output.count("är inte UTF-8") == 1


def test_several_errors_reported_in_one_run(tmp_path):
    text = MINIMAL.replace("amount: 4_000_000", "amount: fyra").replace("recipient: skl", "recipient: nobody")
    text = text.replace("amount: 6_000_000", "amount: -1")
    result = run_validate(str(write(tmp_path, text)))
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if ": fel: " in line]
    assert len(errors) >= 2, result.output  # schema errors are all reported together


def test_stated_total_mismatch_names_both_figures(tmp_path):
    text = MINIMAL.replace("total: 4_000_000", "total: 5_000_000")
    path = write(tmp_path, text)
    with pytest.raises(DataError) as info:
        load_agreement(path)
    (finding,) = info.value.findings
    assert finding.location.line == line_of(text, "total: 5_000_000")
    message = finding.message.replace("\u00a0", " ")
    assert "anger 5 000 000 kronor" in message
    assert "blir tillsammans 4 000 000 kronor" in message
    assert "skillnad −1 000 000 kronor" in message


def test_agreement_total_mismatch(tmp_path):
    text = MINIMAL.replace("total: 10_000_000", "total: 11_000_000")
    result = run_validate(str(write(tmp_path, text)))
    assert result.exit_code == 2
    assert "överenskommelsen anger 11 000 000 kronor" in result.output.replace("\u00a0", " ")


def test_strict_turns_warnings_into_errors(tmp_path):
    text = MINIMAL.replace("data_entry: 2012-10-15", "data_entry: 2012-09-01")
    path = write(tmp_path, text)
    assert run_validate(str(path)).exit_code == 0
    result = run_validate("--strict", str(path))
    assert result.exit_code == 2
    assert "varning" in result.output and "sista registreringsdagen" in result.output


def test_validate_defaults_to_agreements_folder(tmp_path, monkeypatch):
    (tmp_path / "agreements").mkdir()
    shutil.copy(FIXTURES / "minimal.yaml", tmp_path / "agreements" / "2012.yaml")
    monkeypatch.chdir(tmp_path)
    result = run_validate()
    assert result.exit_code == 0, result.output
    assert "Testöverenskommelse 2012" in result.output


# --------------------------------------------------------------------------- stale figures typed in prose

ROOT_AGREEMENTS = Path(__file__).resolve().parents[2] / "agreements"


def test_prose_that_types_a_figure_is_warned_with_the_reference_to_use(tmp_path, validated_agreement):
    text = (ROOT_AGREEMENTS / "2011.yaml").read_text(encoding="utf-8")
    original = validated_agreement("2011").agreement
    payout = next(p for s in original.sections for p in s.payouts)
    millions = payout.amount // 1_000_000
    grouped = f"{payout.amount:,}".replace(",", " ")
    typed = f"Här står {grouped} kronor och {millions} miljoner kronor och 17 000 kronor."
    text = text.replace("intro: |\n", f"intro: |\n  {typed}\n\n", 1) if "intro: |" in text else text
    assert typed in text
    path = write(tmp_path, text)
    result = load_agreement(path)
    stale = [w for w in result.warnings if "texten skriver" in w.message]
    assert len(stale) == 2  # 17 000 kronor is no figure of the data
    assert all(payout.id in w.message for w in stale)
    assert all(f"{{{{ {payout.id} |" in w.hint for w in stale)
    assert stale[0].location.line == line_of(text, typed)
    result = run_validate("--strict", str(path))
    assert result.exit_code == 2


def test_the_shipped_agreements_type_no_figure(validated_agreement):
    for file in sorted(ROOT_AGREEMENTS.rglob("*.yaml")):
        from generator.data.circulars import is_circular

        if is_circular(file):
            continue
        name = file.relative_to(ROOT_AGREEMENTS).with_suffix("").as_posix()
        assert not [w for w in validated_agreement(name).warnings if "texten skriver" in w.message], file
