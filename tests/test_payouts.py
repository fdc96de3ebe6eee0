"""The payout workbook written by generator.payouts byte for byte as openpyxl writes it cell by cell.

payouts_xlsx gives openpyxl only the rows of the payouts sheet that differ in style and writes the
other rows itself (generator.payouts._sheet_data). The reference here is the workbook made the plain
way, a cell object per value, as the generator made it before: the bytes must be the same for every
shipped agreement and for texts that test the writer's escaping, spacing, truncation and types.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

from generator.distribute import ROUTES
from generator.payouts import COLUMNS, COUNT_FORMAT, KRONOR_FORMAT, _row, _text_cells, ordered_lines, payouts_xlsx
from generator.validate import load_agreement
from generator.writers.package import deterministic_zip

ROOT = Path(__file__).resolve().parent.parent


def reference_xlsx(allocation) -> bytes:
    """The payout workbook with a cell object per value, saved by openpyxl (the generator's code before)."""
    a = allocation.agreement
    book = Workbook()
    stamp = dt.datetime(a.year, 1, 1)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = "generator"
    book.properties.title = f"Utbetalningar {a.year}: {a.title}"
    book.properties.language = "sv-SE"
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
    items = book.create_sheet("Per post")
    items.append(["post", "postens namn", "utbetalas av", "belopp i överenskommelsen", "att fördela",
                  "fördelat", "ej fördelat", "mottagare", "anmärkning"])
    for item in allocation.items:
        items.append([item.id, item.label, ROUTES.get(item.route, item.route), item.amount, item.shared,
                      item.distributed, item.undistributed, len(item.lines), "; ".join(item.notes)])
    items.append(["Summa", None, None, sum(i.amount for i in allocation.items), sum(i.shared for i in allocation.items),
                  allocation.distributed, sum(i.undistributed for i in allocation.items),
                  len(allocation.lines), None])
    for cell in items[1]:
        cell.font = bold
    for cell in items[items.max_row]:
        cell.font = bold
    for row in items.iter_rows(min_row=2, min_col=4, max_col=7):
        for cell in row:
            cell.number_format = KRONOR_FORMAT
    for index, width in enumerate([20, 48, 30, 18, 16, 16, 16, 10, 60], start=1):
        items.column_dimensions[get_column_letter(index)].width = width
    items.freeze_panes = "A2"
    sources = book.create_sheet("Källor")
    sources.append(["Överenskommelse", f"{a.title} ({a.year})"])
    sources.append(["Total enligt överenskommelsen", a.total])
    sources["B2"].number_format = KRONOR_FORMAT
    if allocation.population is not None:
        sources.append(["Befolkning", allocation.population.label])
    if allocation.outcomes is not None:
        sources.append(["Utfall", allocation.outcomes.label])
    if allocation.example:
        sources.append(["OBS", "Beräknat på exempeldata: beloppen är inte verkliga och får inte betalas ut."])
        sources.cell(sources.max_row, 2).font = Font(bold=True, color="C00000")
    sources.column_dimensions["A"].width = 30
    sources.column_dimensions["B"].width = 90
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
def allocation_2012():
    return load_agreement(ROOT / "agreements" / "2012.yaml").allocation


def _patched(allocation, **fields):
    """The allocation with every line of its first item given ``fields``."""
    item = allocation.items[0]
    lines = tuple(dataclasses.replace(line, **fields) for line in item.lines)
    return dataclasses.replace(allocation, items=[dataclasses.replace(item, lines=lines), *allocation.items[1:]])


TEXTS = ["a & b < c > d \"e\" 'f'", " leading", "trailing ", "\u00a0no-break space\u00a0", "tab\tin", "line\nbreak",
         "carriage\r\nreturn", "åäö ÅÄÖ €", "😀 outside the BMP 𝔘", "=SUM(A1:A2)", "=", "+1", "#N/A", "#DIV/0!",
         "]]>", "x" * 40000, "", " "]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_texts_are_written_as_openpyxl_writes_them(allocation_2012, text: str) -> None:
    patched = _patched(allocation_2012, label=text, name=text, key=text or None, key_value=None)
    assert payouts_xlsx(patched) == reference_xlsx(patched)


def test_large_numbers_and_no_lines(allocation_2012) -> None:
    big = _patched(allocation_2012, amount=12345678901234567890, key_total=10**16 + 1)
    assert payouts_xlsx(big) == reference_xlsx(big)
    empty = dataclasses.replace(allocation_2012, items=[dataclasses.replace(i, lines=()) for i in allocation_2012.items])
    assert payouts_xlsx(empty) == reference_xlsx(empty)


@pytest.mark.parametrize("text, error", [("bell\x07", IllegalCharacterError), ("lone \ud800", ValueError),
                                         ("\uffff", ValueError)])
def test_texts_openpyxl_refuses_are_refused(allocation_2012, text: str, error: type) -> None:
    patched = _patched(allocation_2012, name=text)
    with pytest.raises(error):
        reference_xlsx(patched)
    with pytest.raises(error):
        payouts_xlsx(patched)
