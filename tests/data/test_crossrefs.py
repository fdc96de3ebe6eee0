"""Cross-references written by id and printed with their computed number; a number typed by hand is a finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.app import load_agreement
from generator.cli.main import main
from generator.data.prose_figures import figure_context, render_prose
from tests.document_text import docx_text, pdf_text

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
ROOT = Path(__file__).parents[2]

APPENDICES = """appendices:
  - id: bil_a
    title: Plan A
    blocks:
      - text: Ingen tabell.
  - id: bil_b
    title: Plan B
    blocks:
      - table:
          id: budget_b
          rows:
            - {label: "Se {{ bil.bil_a }}", amount: 1_000}
      - table:
          id: budget_b2
          rows:
            - {label: Övrigt, amount: 2_000}
cited_appendices:
  ok_lista: {number: "3", document: överenskommelsen}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_references_by_id_print_computed_numbers(tmp_path):
    agreement = load_agreement(write(tmp_path, MINIMAL + APPENDICES)).agreement
    figures = figure_context(agreement)
    text = "Se {{ bil.bil_b }}, {{ tab.budget_b2 }} ({{ tab.budget_b.number }}) och {{ bil.ok_lista }}."
    assert render_prose(text, figures) == "Se bilaga 2, tabell 2.2 (2.1) och bilaga 3 till överenskommelsen."


def test_typed_reference_is_a_finding_naming_the_id(tmp_path):
    text = MINIMAL.replace("Parterna är överens om", "Se bilaga 2 och tabell 2.1 och bilaga 3. Parterna är överens om")
    path = write(tmp_path, text + APPENDICES)
    result = CliRunner().invoke(main, ["validate", str(path)])
    out = result.output
    assert "texten skriver hänvisningen 'bilaga 2' för hand" in out
    assert "skriv {{ bil.bil_b }} (bilaga 2 är nu 'Plan B')" in out
    assert "skriv {{ tab.budget_b }}" in out
    assert "det finns ingen bilaga 3 här; en bilaga i ett annat dokument anges under cited_appendices:" in out
    line = text[: text.index("Se bilaga 2")].count("\n") + 1
    assert f"{path}:{line}:10: varning: sections[0].text: texten skriver hänvisningen 'bilaga 2'" in out
    assert CliRunner().invoke(main, ["validate", "--strict", str(path)]).exit_code == 2


def test_typed_reference_without_ids_to_refer_to_is_not_a_finding(tmp_path):
    path = write(tmp_path, MINIMAL.replace("Parterna är överens om", "Enligt bilaga 2 är parterna överens om"))
    result = CliRunner().invoke(main, ["validate", "--strict", str(path)])
    assert result.exit_code == 0, result.output


def test_a_wrong_reference_in_a_label_is_an_error(tmp_path):
    path = write(tmp_path, MINIMAL + APPENDICES.replace("bil.bil_a", "bil.bil_x"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "etiketten har en felaktig hänvisning" in result.output


@pytest.mark.slow
@pytest.mark.external
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_plan_2012_section_3_4_cites_the_agreement_not_its_own_appendices(built_output, kind):
    path = built_output / "2012" / f"genomforandeplan.{kind}"
    text = pdf_text(path)[0] if kind == "pdf" else docx_text(path)
    text = " ".join(text.replace("\u00ad", "").split())
    assert "(se bilaga 3 till överenskommelsen)" in text
    assert "(se tabellen i bilaga 4 till överenskommelsen)" in text
    assert "se bilaga 3)" not in text and "tabell bilaga" not in text
    assert "SveDem (se bilaga 7)" in text
