"""The payout workbook written by generator.writers.payout_tables byte for byte as openpyxl writes it cell by cell.

payouts_xlsx gives openpyxl only the rows of the payouts sheet that differ in style and writes the
other rows itself (generator.writers.payout_tables._sheet_data). The reference here is the workbook made the plain
way, a cell object per value, as the generator made it before (the workbook's properties and its other two
sheets, which are made cell by cell in both, come from the same code: generator.writers.payout_tables.workbook and
summary_sheets): the bytes must be the same for every shipped agreement and for texts that test the writer's
escaping, spacing, truncation and types.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

from generator.app import load_agreement
from generator.writers.ooxml_zip import deterministic_zip
from generator.writers.payout_tables import (
    COLUMNS,
    COUNT_FORMAT,
    KRONOR_FORMAT,
    _row,
    _text_cells,
    ordered_lines,
    payouts_xlsx,
    summary_sheets,
    workbook,
)

ROOT = Path(__file__).resolve().parents[2]


def reference_xlsx(allocation) -> bytes:
    """The payout workbook with a cell object per value, saved by openpyxl (the generator's code before)."""
    a = allocation.agreement
    book, stamp = workbook(allocation)  # the workbook and its other two sheets as the generator makes them
    bold = Font(bold=True)
    sheet = book.active
    sheet.title = "Utbetalningar"
    sheet.append(COLUMNS)
    lines = ordered_lines(allocation)
    for line in lines:
        sheet.append(_row(a.year, line))
    last = len(lines) + 1
    sheet.append(["Summa"] + [None] * (len(COLUMNS) - 2) + [sum(line.amount for line in lines)])
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for cell in sheet[last + 1]:
        cell.font = bold
    for row in sheet.iter_rows(min_row=2, min_col=11, max_col=12):
        for cell in row:
            cell.number_format = COUNT_FORMAT
    for row in sheet.iter_rows(min_row=2, min_col=13, max_col=13):
        for cell in row:
            cell.number_format = KRONOR_FORMAT
    for index, width in enumerate([6, 20, 48, 30, 18, 7, 34, 8, 20, 16, 12, 12, 16], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    summary_sheets(book, allocation, bold)
    _text_cells(row for sheet in book.worksheets for row in sheet.iter_rows())
    buffer = io.BytesIO()
    book.save(buffer)
    return deterministic_zip(buffer.getvalue(), modified=f"{stamp.isoformat()}Z")


def _allocations():
    for file in sorted((ROOT / "agreements").glob("*.yaml")):
        validated = load_agreement(file)
        if validated.allocation is not None and validated.allocation.items:
            yield pytest.param(validated.allocation, id=file.stem)


@pytest.mark.parametrize("allocation", list(_allocations()))
def test_every_shipped_workbook_is_openpyxls(allocation) -> None:
    made = payouts_xlsx(allocation)
    assert len(allocation.lines) > 10
    assert made == reference_xlsx(allocation)


@pytest.fixture(scope="module")
def allocation_2012(validated_agreement):
    return validated_agreement("2012").allocation


def _patched(allocation, **fields):
    """The allocation with every line of its first item given ``fields``."""
    item = allocation.items[0]
    lines = tuple(dataclasses.replace(line, **fields) for line in item.lines)
    return dataclasses.replace(allocation, items=[dataclasses.replace(item, lines=lines), *allocation.items[1:]])


TEXTS = [
    "a & b < c > d \"e\" 'f'",
    " leading",
    "trailing ",
    "\u00a0no-break space\u00a0",
    "tab\tin",
    "line\nbreak",
    "carriage\r\nreturn",
    "åäö ÅÄÖ €",
    "😀 outside the BMP 𝔘",
    "=SUM(A1:A2)",
    "=",
    "+1",
    "#N/A",
    "#DIV/0!",
    "]]>",
    "x" * 40000,
    "",
    " ",
]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_texts_are_written_as_openpyxl_writes_them(allocation_2012, text: str) -> None:
    patched = _patched(allocation_2012, label=text, name=text, key=text or None, key_value=None)
    assert payouts_xlsx(patched) == reference_xlsx(patched)


def test_large_numbers_and_no_lines(allocation_2012) -> None:
    big = _patched(allocation_2012, amount=12345678901234567890, key_total=10**16 + 1)
    assert payouts_xlsx(big) == reference_xlsx(big)
    empty = dataclasses.replace(
        allocation_2012, items=[dataclasses.replace(i, lines=()) for i in allocation_2012.items]
    )
    assert payouts_xlsx(empty) == reference_xlsx(empty)


@pytest.mark.parametrize(
    "text, error", [("bell\x07", IllegalCharacterError), ("lone \ud800", ValueError), ("\uffff", ValueError)]
)
def test_texts_openpyxl_refuses_are_refused(allocation_2012, text: str, error: type) -> None:
    patched = _patched(allocation_2012, name=text)
    with pytest.raises(error):
        reference_xlsx(patched)
    with pytest.raises(error):
        payouts_xlsx(patched)
