"""Table arithmetic: percentage rows checked, income against cost with a note, labels' years derived, grand totals
of grouped tables, amounts aligned on the decimal comma."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main
from generator.formatting import belopp_enhet
from tests.document_text import docx_text, pdf_text

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")

TABLE = """appendices:
  - id: bil_a
    title: Plan A
    blocks:
      - table:
          id: budget_a
          rows:
{rows}
{extra}
"""


def validate(tmp_path: Path, rows: str, extra: str = "", strict: bool = False):
    path = tmp_path / "case.yaml"
    path.write_text(MINIMAL + TABLE.format(rows=rows, extra=extra), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", *(["--strict"] if strict else []), str(path)])
    return result.output.replace("\u00a0", " ")


PERCENT_ROWS = """            - {label: Lön, amount: 2_000_000}
            - {label: Resor, amount: 960_000}
            - {label: OH-kostnader 10 %, amount: AMOUNT, percent_of_others: 10}"""


def test_percentage_row_that_is_not_its_percentage_is_a_finding(tmp_path):
    out = validate(tmp_path, PERCENT_ROWS.replace("AMOUNT", "290_000"))
    assert re.search(
        r"rows\[2\]\.amount: raden 'OH-kostnader 10 %' är 290 000 kronor, men 10 procent av de övriga raderna "
        r"\(2 960 000 kronor\) är 296 000 kronor \(skillnad −6 000 kronor\)",
        out,
    ), out


def test_percentage_row_that_is_its_percentage_passes(tmp_path):
    out = validate(tmp_path, PERCENT_ROWS.replace("AMOUNT", "296_000"))
    assert "raden 'OH-kostnader" not in out


def test_percentage_in_the_label_must_be_the_rows(tmp_path):
    out = validate(
        tmp_path, (PERCENT_ROWS.replace("AMOUNT", "296_000")).replace("OH-kostnader 10 %", "OH-kostnader 12 %")
    )
    assert "nämner 12 procent, men percent_of_others är 10" in out.replace("\u00a0", " ")


IE_ROWS = """            - {label: Medel, income: 1_000}
            - {label: Kostnad, cost: 800}"""


def test_income_and_cost_that_differ_without_a_note_is_a_finding_and_with_a_note_passes(tmp_path):
    assert "intäkter 1" in validate(tmp_path, IE_ROWS)
    noted = validate(tmp_path, IE_ROWS, "          difference_note: Överskottet förs till nästa år.")
    assert "intäkter 1" not in noted


def test_a_year_typed_in_a_total_label_is_a_finding_and_year_by_name_passes(tmp_path):
    rows = "            - {label: Lön, amount: 1_000}"
    out = validate(tmp_path, rows, "          total_label: SUMMA 2011")
    assert "texten 'SUMMA 2011' nämner året 2011" in out and "skriv {{ year }}" in out
    assert "nämner året" not in validate(tmp_path, rows, '          total_label: "SUMMA {{ year }}"')


def test_amounts_align_on_the_decimal_comma():
    assert [belopp_enhet(a, "mkr", 1) for a in [5_300_000, 1_300_000, 10_000_000]] == ["5,3", "1,3", "10,0"]
    assert belopp_enhet(23_000_000, "mkr") == "23"
    assert belopp_enhet(1_160_000, "tkr", 1) == "1\u00a0160,0"
    assert belopp_enhet(1_250_000, "mkr", 1) == "1,25"  # never fewer decimals than the amount needs


@pytest.mark.slow
@pytest.mark.external
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_plan_2012_tables(built_output, kind):
    """Tabell 1 aligns "10,0"; Tabell 4's subtotals read Delsumma and its grand total is 12 000 tkr; Tabell 5's
    total row names the agreement's year."""
    path = built_output / "2012" / f"genomforandeplan.{kind}"
    text = (pdf_text(path)[0] if kind == "pdf" else docx_text(path)).replace("\u00a0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    joined = "\n".join(lines)
    assert re.search(r"Summa\s+10,0", joined)
    assert re.search(r"Delsumma\s+4 370", joined) and re.search(r"Delsumma\s+1 660\s+Summa\s+12 000", joined)
    assert re.search(r"SUMMA 2012\s+12 500 000\s+10 000 000", joined)
    assert "SUMMA 2011" not in joined
    assert not re.search(r"^(Personal|Nätverk|Utbildning)\s+\d", joined, flags=re.M)  # subtotals not by heading
