"""Property-based fuzzing of the loaders: whatever the bytes, the answer is data or a DataError, never another
exception; and spreadsheet cells that could start a formula are written as text."""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.app import load_agreement
from generator.data.loading import load_yaml
from generator.errors import DataError
from generator.money.outcomes import load_outcomes
from generator.money.population import load_population

ROOT = Path(__file__).resolve().parents[2]
FAST = settings(max_examples=2_000, deadline=None, suppress_health_check=list(HealthCheck), database=None)

YAML_TOKENS = [
    "a",
    "b",
    ":",
    ": ",
    "- ",
    "-",
    "\n",
    "  ",
    "\t",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&x ",
    "*x",
    "&y ",
    "*y",
    "!!int ",
    "!!str ",
    "!x ",
    "'",
    '"',
    "\\",
    "#",
    "|",
    ">",
    "---",
    "...",
    "? ",
    "<<: ",
    "0x10",
    "01_000",
    "1:00",
    "1e6",
    "+5",
    ".inf",
    ".nan",
    "yes",
    "no",
    "~",
    "null",
    "2012-02-30",
    "2012-02-09",
    "%YAML 1.1\n",
    "\u202e",
    "\u200b",
    "\x00",
    "\x07",
    "\ufeff",
    "å",
    "\r",
    "\x85",
    "\ud800",
    "9" * 30,
]
CSV_TOKENS = [
    ";",
    ",",
    "\t",
    '"',
    "\n",
    "\r\n",
    "#",
    "pott",
    "kod",
    "kvalificerad",
    "antal",
    "tackningsgrad",
    "ja",
    "nej",
    "0180",
    "0001",
    "01",
    "0114",
    "palliativ_tackning",
    "-",
    "5",
    "70,5",
    "NaN",
    "1e9",
    "²",
    "\x00",
    "\u202e",
    '=HYPERLINK("x")',
    " ",
    "..",
    "9" * 30,
    "region",
    "ålder",
    "2011",
    "65 år",
    "65-69 år",
    "100+ år",
    "0114 Upplands Väsby",
    "totalt ålder",
    "kön",
    "män",
]


def token_text(tokens: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.text(max_size=200), st.lists(st.sampled_from(tokens), max_size=60).map("".join))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.mark.slow
@FAST
@given(text=token_text(YAML_TOKENS), as_bytes=st.booleans())
def test_yaml_loader_answers_data_or_a_data_error(scratch: Path, text: str, as_bytes: bool) -> None:
    file = scratch / "case.yaml"
    file.write_bytes(text.encode("utf-8", "surrogatepass") if not as_bytes else text.encode("utf-16", "surrogatepass"))
    try:
        load_yaml(file)
    except DataError as exc:
        assert exc.findings and str(exc.findings[0].location).startswith(str(file))


BASE = (ROOT / "agreements" / "2011.yaml").read_text(encoding="utf-8")
BASE_LINES = BASE.splitlines(keepends=True)
SCALAR_LINES = [i for i, line in enumerate(BASE_LINES) if ": " in line and not line.rstrip().endswith("|")]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    index=st.sampled_from(SCALAR_LINES),
    value=token_text(YAML_TOKENS + ["{{ total }}", "{% for x in y %}", "{{ a * 2 }}"]),
)
def test_an_agreement_with_one_value_replaced_validates_or_gives_data_errors(
    scratch: Path, index: int, value: str
) -> None:
    lines = list(BASE_LINES)
    key = lines[index].split(": ", 1)[0]
    lines[index] = f"{key}: {value}\n"
    (scratch / "agreement.yaml").write_text("".join(lines), encoding="utf-8", errors="surrogatepass")
    try:
        load_agreement(scratch / "agreement.yaml")
    except DataError as exc:
        assert all(f.location.file for f in exc.findings)


OUTCOME_HEADER = "pott;kod;kvalificerad;antal;tackningsgrad\n"


@FAST
@given(body=token_text(CSV_TOKENS), header=st.booleans())
def test_outcome_loader_answers_rows_or_a_data_error(scratch: Path, body: str, header: bool) -> None:
    file = scratch / "utfall.csv"
    file.write_bytes(((OUTCOME_HEADER if header else "") + body).encode("utf-8", "surrogatepass"))
    try:
        rows = load_outcomes(file)
    except DataError as exc:
        assert exc.findings and exc.findings[0].location.line is not None
    else:
        assert all(row.count is None or 0 <= row.count < 10**12 for row in rows.rows)


POP_HEADER = '"Folkmängden efter region, ålder och år"\n\n"region","ålder","2011"\n'


@pytest.mark.slow
@FAST
@given(body=token_text(CSV_TOKENS), header=st.booleans(), latin1=st.booleans())
def test_population_loader_answers_keys_or_a_data_error(scratch: Path, body: str, header: bool, latin1: bool) -> None:
    file = scratch / "befolkning.csv"
    text = (POP_HEADER if header else "") + body
    file.write_bytes(text.encode("latin-1", "replace") if latin1 else text.encode("utf-8", "surrogatepass"))
    try:
        load_population(file, 2011)
    except DataError as exc:
        assert exc.findings and exc.findings[0].location.line is not None


# --------------------------------------------------------------------------- 5. formula injection

HOSTILE_CELLS = [
    '=HYPERLINK("http://example.com","klicka")',
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
    "＝1+1",
]


@pytest.fixture(scope="module")
def allocation(validated_agreement):
    return validated_agreement("2012").allocation


@pytest.mark.parametrize("hostile", HOSTILE_CELLS)
def test_spreadsheet_cells_that_could_start_a_formula_are_text(allocation, hostile: str) -> None:
    from generator.writers.payout_tables import FORMULA_START, payouts_csv, payouts_xlsx

    item = allocation.items[0]
    lines = tuple(dataclasses.replace(line, label=hostile, name=hostile) for line in item.lines)
    patched = dataclasses.replace(allocation, items=[dataclasses.replace(item, lines=lines), *allocation.items[1:]])
    rows = list(csv.reader(io.StringIO(payouts_csv(patched).decode("utf-8-sig")), delimiter=";"))
    texts = [cell for row in rows[1:] for cell in row]
    assert f"'{hostile}" in texts
    assert not any(cell.startswith(FORMULA_START) for cell in texts if not cell.lstrip("-").isdigit())
    package = zipfile.ZipFile(io.BytesIO(payouts_xlsx(patched)))
    for name in package.namelist():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in package.read(name) and b"<f " not in package.read(name), name
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(payouts_xlsx(patched)))["Utbetalningar"]
    values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    assert (
        hostile.replace("\r", "\n") in [v.replace("\r", "\n") if isinstance(v, str) else v for v in values]
        or hostile in values
    )
