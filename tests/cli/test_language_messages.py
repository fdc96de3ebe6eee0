"""One language in what staff read (issue #26): pydantic's "or", click's date format and its refusal, the issued
folder's name, build's count of warnings, and the README's examples of messages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.cli.main import main
from generator.data.loading import load_yaml
from generator.data.validate import check_agreement

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = re.compile(
    r"\b(or|and|the|of|is|not|expected|does|match|format|found|error|warning|hint|missing|invalid|unexpected)\b"
)


def test_a_choice_of_values_is_offered_in_swedish():
    data, source = load_yaml(ROOT / "agreements" / "2011.yaml")
    data["decisions"][0]["kind"] = "utbetalningar"
    _, report = check_agreement(data, source)
    (finding,) = [f for f in report.errors if f.path == "decisions[0].kind"]
    assert finding.message == "väntade något av 'utbetalning' eller 'godkannande', fann texten 'utbetalningar'"


def test_dates_are_shown_and_refused_as_aaaa_mm_dd():
    for command in ("issue", "build", "send"):
        text = CliRunner().invoke(main, [command, "--help"]).output
        assert "%Y" not in text and "ÅÅÅÅ-MM-DD" in text, command
    for command in main.commands:  # no command shows a format code of click's
        assert "%Y" not in CliRunner().invoke(main, [command, "--help"]).output, command
    result = CliRunner().invoke(main, ["issue", "2011", "regeringsbeslut", "--date", "2011-99-01"])
    assert result.exit_code == 2
    assert "'2011-99-01' är inte ett datum skrivet ÅÅÅÅ-MM-DD" in result.output
    assert "does not match" not in result.output


def test_issue_help_names_the_issued_folder_as_the_readme_does():
    text = CliRunner().invoke(main, ["issue", "--help"]).output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "UTFÄRDADE" not in text and "issued/<år>/<dokument>.yaml" in text and "`issued/`" in readme


def test_build_says_how_to_see_its_warnings(tmp_path: Path):
    source = tmp_path / "2013.yaml"
    shutil.copy(ROOT / "tests" / "fixtures" / "beslut" / "2013.yaml", source)
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "ut"), "--format", "docx"])
    assert result.exit_code == 0, result.output
    assert f"2 varningar (visas med generator validate {source})" in result.output


def test_the_readmes_examples_of_messages_are_swedish():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    fenced, inside = [], False
    for line in readme.splitlines():
        if line.startswith("```"):
            inside = not inside
        elif inside:
            fenced.append(line)
    messages = [line for line in fenced if re.search(r": (fel|varning): |tips: ", line)]
    assert len(messages) >= 4, messages
    for line in messages:
        words = ENGLISH.findall(re.sub(r"docs/\S+|\w+\[\d+\][\w.\[\]]*|'\w+'", "", line))
        assert words == [], (line, words)
