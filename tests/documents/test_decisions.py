"""Decisions of every kind of the family, and blanks: a stand-alone assignment decision (invented example data in
tests/fixtures/beslut/, no agreement, no parties) builds with its bilagor, its several dnr and its blanks, and
validate lists exactly those blanks; --strict refuses it naming the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main
from generator.data.blanks import BLANK_LINE
from generator.data.checks.decisions import blanks
from generator.data.validate import check_file
from tests.document_text import docx_text, pdf_text

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "beslut" / "2013.yaml"
NB = "\u00a0"


def _flat(text: str) -> str:
    return " ".join(text.replace(NB, " ").replace("\u00ad", "").split())


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("beslut")
    source = folder / "2013.yaml"
    shutil.copy(FIXTURE, source)
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(folder / "ut")])
    assert result.exit_code == 0, result.output
    return folder / "ut" / "2013"


def test_stand_alone_decision_validates_with_exactly_its_blanks():
    source, agreement, report = check_file(FIXTURE)
    assert agreement is not None and report.errors == []
    assert agreement.parties == [] and agreement.sections == []  # nothing invented to satisfy the schema
    listed = sorted(w.path for w in report.warnings)
    assert listed == ["decisions[0].followup[1].date", "decisions[0].official"]
    assert sorted("/".join(map(str, p)) for p, _, _ in blanks(agreement)) == [
        "decisions/0/followup/1/date",
        "decisions/0/official",
    ]
    lines = {w.path: w.location.line for w in report.warnings}
    text = FIXTURE.read_text(encoding="utf-8").splitlines()
    assert "official: null" in text[lines["decisions[0].official"] - 1]
    assert "slutredovisning" in text[lines["decisions[0].followup[1].date"] - 1]


@pytest.mark.slow
def test_stand_alone_decision_prints_its_bilagor_dnr_and_blanks(built):
    (docx,) = built.glob("regeringsbeslut_*.docx")
    assert docx.name == "regeringsbeslut_II-3_2013-03-14_utbetalning.docx"
    for text in (docx_text(docx), pdf_text(docx.with_suffix(".pdf"))[0]):
        flat = _flat(text)
        assert "2 bilagor" in flat and "1 bilaga" not in flat
        assert "S2013/1111/FST" in flat and "S2012/2222/FST" in flat
        # the appropriation's short and long forms, the follow-up's known date and its blank
        assert "enligt anslagspost 11." in flat and "anslagspost 11 Stimulansbidrag till äldreomsorg" in flat
        assert "delredovisning senast den 1 oktober 2013" in flat
        assert f"slutredovisning senast [datum] {BLANK_LINE}" in flat
        assert f"[föredragande] {BLANK_LINE}" in flat and "Maria Larsson" in flat
        # the bilagor: the key, and 90 million shared 300:60:40, each county's part 70/30
        assert "Bilaga 1 till regeringsbeslut 2013-03-14 nr II:3" in flat
        assert "Bilaga 2 till regeringsbeslut 2013-03-14 nr II:3" in flat
        assert "Stockholms län 300 000 47 250 000 20 250 000 67 500 000" in flat
        assert "Summa 400 000 63 000 000 27 000 000 90 000 000" in flat
        # nothing the data does not give: no party, no signatory, no agreement
        assert "För staten" not in flat and "None" not in flat and "Överenskommelse" not in flat


def test_strict_refuses_a_blank_naming_the_field(tmp_path):
    source = tmp_path / "2013.yaml"
    shutil.copy(FIXTURE, source)
    for command in (["validate", "--strict", str(source)], ["build", "--strict", str(source), "--out", str(tmp_path)]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2, result.output
        assert "decisions[0].official" in result.output and "föredraganden" in result.output
        assert "decisions[0].followup[1].date" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "2013").exists()


def test_agreement_without_parties_or_an_attached_agreement_without_sections_is_refused(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    attached = tmp_path / "a" / "2013.yaml"
    attached.parent.mkdir()
    attached.write_text(text.replace("    attachments:\n", "    attachments:\n      - agreement\n"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(attached)])
    assert result.exit_code == 2 and "attachments: agreement" in result.output, result.output
    sections = tmp_path / "b" / "2013.yaml"
    sections.parent.mkdir()
    sections.write_text(text.replace("decisions:\n", "sections:\n  - {id: s, title: S}\ndecisions:\n"), "utf-8")
    result = CliRunner().invoke(main, ["validate", str(sections)])
    assert result.exit_code == 2 and "parties: kräver minst 2 poster, fann 0" in result.output, result.output


def test_the_2012_decision_prints_its_missing_dnr_and_the_plan_letter_its_missing_date(built_output):
    decision = built_output / "2012" / "regeringsbeslut_II-7_2012-02-09_godkannande.docx"
    plan = built_output / "2012" / "genomforandeplan.docx"
    assert f"2012-02-09 [diarienummer] {BLANK_LINE}" in _flat(docx_text(decision))
    head = _flat(docx_text(plan))[:400]
    assert f"Datum [datum] {BLANK_LINE}" in head and "Vårt dnr 09/5304" in head
