"""The payout table for the paying agency: one row per recipient and item, as CSV and XLSX.

CSV: semicolon separated, UTF-8 with BOM (Excel in Swedish opens it with
å, ä, ö intact), amounts as whole kronor without spaces so that any program
reads them. XLSX (openpyxl): the same rows with a kronor number format,
a frozen header row and filters, a sum row, a sheet per item comparing what
was distributed with the agreement, and a sheet naming the data sources (and
warning when they are examples). Both are byte-identical for the same input.
"""
from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .distribute import ROUTES, Line, YearAllocation
from .reference import counties
from .writers.package import deterministic_zip

COLUMNS = ["år", "post", "postens namn", "utbetalas av", "mottagartyp", "kod", "mottagare", "länskod", "län",
           "nyckel", "nyckelvärde", "nyckelsumma", "belopp (kronor)"]
KIND_ORDER = {"lan": 0, "landsting": 1, "kommun": 2}
KIND_NAMES = {"lan": "län (länsgemensamt)", "landsting": "landsting", "kommun": "kommun"}
KRONOR_FORMAT = '#,##0 "kr"'
COUNT_FORMAT = "#,##0"


#: A text cell starting with one of these is read as a formula (or its start) by Excel and LibreOffice.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def as_text(value):
    """Return ``value`` safe for a CSV cell: a text that could start a formula gets a leading ``'``.

    Numbers are left alone (they are numbers). The apostrophe keeps Excel and LibreOffice from evaluating
    the cell; the XLSX stores such cells as strings (see :func:`_text_cells`), never as formulas.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _text_cells(book: Workbook) -> None:
    """Store every text cell as a string: openpyxl takes a text starting with "=" for a formula otherwise.

    The workbook never holds a formula of its own (sums are computed here), so no cell may be one.
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def ordered_lines(allocation: YearAllocation) -> list[Line]:
    """Return the lines by county, then county-joint, council, municipalities by code, then item order."""
    order = {item.id: index for index, item in enumerate(allocation.items)}
    return sorted(allocation.lines, key=lambda l: (l.county, KIND_ORDER[l.kind], l.code, order[l.item]))


def _row(year: int, line: Line) -> list:
    return [year, line.item, line.label, ROUTES.get(line.route, line.route), KIND_NAMES[line.kind], line.code,
            line.name, line.county, counties()[line.county].name, line.key or "", line.key_value, line.key_total,
            line.amount]


def payouts_csv(allocation: YearAllocation) -> bytes:
    """Return the CSV bytes of the payout table."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for line in ordered_lines(allocation):
        writer.writerow(["" if v is None else as_text(v) for v in _row(allocation.agreement.year, line)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def payouts_xlsx(allocation: YearAllocation) -> bytes:
    """Return the XLSX bytes of the payout table."""
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

    _text_cells(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return deterministic_zip(buffer.getvalue(), modified=f"{stamp.isoformat()}Z")
