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
import re
from typing import TYPE_CHECKING
from zipfile import ZIP_STORED, ZipFile

from generator.data.reference import counties
from generator.money.distribute import ROUTES, Line, YearAllocation
from generator.writers.ooxml_zip import zip_package

if TYPE_CHECKING:
    from collections.abc import Iterable

    from openpyxl.cell import Cell

COLUMNS = [
    "år",
    "post",
    "postens namn",
    "utbetalas av",
    "mottagartyp",
    "kod",
    "mottagare",
    "länskod",
    "län",
    "nyckel",
    "nyckelvärde",
    "nyckelsumma",
    "belopp (kronor)",
]
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


def _text_cells(rows: Iterable[Iterable[Cell]]) -> None:
    """Store every text cell as a string: openpyxl takes a text starting with "=" for a formula otherwise.

    The workbook never holds a formula of its own (sums are computed here), so no cell may be one.
    """
    for row in rows:
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def ordered_lines(allocation: YearAllocation) -> list[Line]:
    """Return the lines by county, then county-joint, council, municipalities by code, then item order."""
    order = {item.id: index for index, item in enumerate(allocation.items)}
    return sorted(allocation.lines, key=lambda l: (l.county, KIND_ORDER[l.kind], l.code, order[l.item]))


def _row(year: int, line: Line) -> list:
    return [
        year,
        line.item,
        line.label,
        ROUTES.get(line.route, line.route),
        KIND_NAMES[line.kind],
        line.code,
        line.name,
        line.county,
        counties()[line.county].name,
        line.key or "",
        line.key_value,
        line.key_total,
        line.amount,
    ]


def payouts_csv(allocation: YearAllocation) -> bytes:
    """Return the CSV bytes of the payout table."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for line in ordered_lines(allocation):
        writer.writerow(["" if v is None else as_text(v) for v in _row(allocation.agreement.year, line)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def workbook(allocation: YearAllocation):
    """Return an empty openpyxl workbook with the payout table's properties, and its fixed time stamp."""
    from openpyxl import Workbook

    a = allocation.agreement
    book = Workbook()
    stamp = dt.datetime(a.year, 1, 1)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = "generator"
    book.properties.title = f"Utbetalningar {a.year}: {a.title}"
    book.properties.language = "sv-SE"
    return book, stamp


def summary_sheets(book, allocation: YearAllocation, bold):
    """Add the sheets "Per post" (one row per item, and their sum) and "Källor" (what the figures come from) to
    ``book``, cell by cell; return them."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    a = allocation.agreement
    items = book.create_sheet("Per post")
    items.append(
        [
            "post",
            "postens namn",
            "utbetalas av",
            "belopp i överenskommelsen",
            "att fördela",
            "fördelat",
            "ej fördelat",
            "mottagare",
            "anmärkning",
        ]
    )
    for item in allocation.items:
        items.append(
            [
                item.id,
                item.label,
                ROUTES.get(item.route, item.route),
                item.amount,
                item.shared,
                item.distributed,
                item.undistributed,
                len(item.lines),
                "; ".join(item.notes),
            ]
        )
    items.append(
        [
            "Summa",
            None,
            None,
            sum(i.amount for i in allocation.items),
            sum(i.shared for i in allocation.items),
            allocation.distributed,
            sum(i.undistributed for i in allocation.items),
            len(allocation.lines),
            None,
        ]
    )
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
    return items, sources


def payouts_xlsx(allocation: YearAllocation) -> bytes:
    """Return the XLSX bytes of the payout table.

    openpyxl (imported here: the CSV does not need it) makes the workbook, but holds only the rows of the
    payouts sheet whose cells differ in style: the header, the first line and the sum row. Their styles
    are set in the order the full sheet's would be, so the workbook's styles are the full sheet's, and
    :func:`_sheet_data` writes every row as openpyxl would, with those rows' style ids (about ten times
    faster than a cell object per value; tests/writers/test_payouts.py holds the bytes equal to openpyxl's own).
    """
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    a = allocation.agreement
    book, stamp = workbook(allocation)
    bold = Font(bold=True)

    sheet = book.active
    sheet.title = "Utbetalningar"
    lines = ordered_lines(allocation)
    rows = [
        COLUMNS,
        *(_row(a.year, line) for line in lines),
        ["Summa"] + [None] * (len(COLUMNS) - 2) + [sum(line.amount for line in lines)],
    ]
    last = len(lines) + 1
    kept = sorted({1, 2, last + 1})  # the header, the first line (if any) and the sum row
    for index in kept:
        for column, value in enumerate(rows[index - 1], start=1):
            sheet.cell(row=index, column=column, value=value)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for cell in sheet[last + 1]:
        cell.font = bold
    for columns, number_format in (((11, 12), COUNT_FORMAT), ((13,), KRONOR_FORMAT)):
        for index in kept[1:]:
            for column in columns:
                sheet.cell(row=index, column=column).number_format = number_format
    for index, width in enumerate([6, 20, 48, 30, 18, 7, 34, 8, 20, 16, 12, 12, 16], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    # the style ids in the order openpyxl's writer gives them (row by row): the rows between share the first line's
    styles = {index: [f' s="{cell.style_id}"' if cell.has_style else "" for cell in sheet[index]] for index in kept}
    data = _sheet_data(rows, [styles[1]] + [styles[2]] * len(lines) + [styles[last + 1]])

    items, sources = summary_sheets(book, allocation, bold)

    _text_cells([*(sheet[index] for index in kept), *items.iter_rows(), *sources.iter_rows()])
    buffer = io.BytesIO()
    with ZipFile(buffer, "w", ZIP_STORED) as archive:  # stored: zip_package compresses each part once
        ExcelWriter(book, archive).save()
    package = ZipFile(buffer)
    entries = []
    for name in package.namelist():
        content = package.read(name)
        if name == "xl/worksheets/sheet1.xml":
            start, end = content.index(b"<sheetData>"), content.index(b"</sheetData>") + len(b"</sheetData>")
            content = content[:start] + data + content[end:]
        elif name == "docProps/core.xml":
            content = re.sub(
                rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                rb"\g<1>" + f"{stamp.isoformat()}Z".encode() + rb"\g<2>",
                content,
            )
        entries.append((name, content))
    return zip_package(entries, cached=frozenset({"xl/theme/theme1.xml"}))


#: What openpyxl's writer (lxml) writes for a character of a text: these four escaped, the rest of ASCII as
#: it is, anything else as a character reference (see the ``.encode`` in :func:`_sheet_data`).
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
#: Characters lxml refuses in XML text (openpyxl refuses the control characters before it).
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _sheet_data(rows: list[list], styles: list[list[str]]) -> bytes:
    """Return ``<sheetData>`` of ``rows`` byte for byte as openpyxl 3.1 writes it (inline strings, a text that
    could be a formula as text, as :func:`_text_cells` leaves it); ``styles``: each row's `` s="id"`` per column.
    """
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(column) for column in range(1, max(map(len, rows), default=0) + 1)]
    tails: dict = {}  # a value's cell after its reference and style: most texts recur on many rows
    out = ["<sheetData>"]
    for number, (row, row_styles) in enumerate(zip(rows, styles), start=1):
        out.append(f'<row r="{number}">')
        for letter, value, style in zip(letters, row, row_styles):
            if value is None:
                if style:
                    out.append(f'<c r="{letter}{number}"{style} t="n"></c>')
                continue
            key = (type(value), value)
            tail = tails.get(key)
            if tail is None:
                tail = tails[key] = _cell_tail(value)
            out.append(f'<c r="{letter}{number}"{style}{tail}')
        out.append("</row>")
    out.append("</sheetData>")
    return "".join(out).encode("ascii", "xmlcharrefreplace")


def _cell_tail(value: int | str) -> str:
    """Return a cell after its reference and style, from its type attribute on, as openpyxl writes it."""
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
    from openpyxl.utils.exceptions import IllegalCharacterError

    if type(value) is int:  # exactly int: a bool is no cell
        return f' t="n"><v>{value:.16g}</v></c>'
    if type(value) is not str:
        raise TypeError(f"ingen cell för {type(value).__name__} i utbetalningstabellen")
    text = value[:32767]
    if ILLEGAL_CHARACTERS_RE.search(text):
        raise IllegalCharacterError(f"{text} cannot be used in worksheets.")
    if _NOT_XML.search(text):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters")
    if text in ERROR_CODES:
        return f' t="e"><v>{text}</v></c>'
    if not text:
        return ' t="inlineStr"></c>'
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f' t="inlineStr"><is><t{space}>{text.translate(_ESCAPES)}</t></is></c>'
