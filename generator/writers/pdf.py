"""The PDF writer: the document model to an A4 PDF with reportlab's platypus.

Knows nothing of agreements. Fonts (Liberation Serif and Sans, SIL OFL) ship
with the package and are embedded, so å ä ö é – ’ ” ≥ print on any machine.
Every page carries the running header at the left and ``n (N)`` at the
right; ``invariant`` mode makes the bytes depend only on the document.
"""
from __future__ import annotations

import io
from functools import lru_cache
from importlib.resources import files
from typing import Callable
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (KeepTogether, PageBreak as RLPageBreak, Paragraph as RLParagraph,
                                SimpleDocTemplate, Spacer, Table as RLTable, TableStyle)
from reportlab.platypus.flowables import Flowable

from ..document import (Block, Columns, Document, Heading, Keep, ListBlock, PageBreak, Paragraph, Run,
                        Signatures, Space, Table)
from ..formatting import sidnummer

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = RIGHT = 25 * mm
TOP = 28 * mm
BOTTOM = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - LEFT - RIGHT
KEEP_TABLE_ROWS = 20  # tables up to this many rows stay on one page
SERIF = "LiberationSerif"
SANS = "LiberationSans"


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the shipped TTF fonts once per process, with bold/italic families."""
    folder = files("generator") / "fonts"
    for family in (SERIF, SANS):
        faces = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}
        for suffix, face in faces.items():
            pdfmetrics.registerFont(TTFont(f"{family}{suffix}", str(folder / f"{family}-{face}.ttf")))
        pdfmetrics.registerFontFamily(family, normal=family, bold=f"{family}-Bold",
                                      italic=f"{family}-Italic", boldItalic=f"{family}-BoldItalic")


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    """Return the named paragraph styles (the same names as the DOCX writer's)."""
    register_fonts()
    body = ParagraphStyle("Brödtext", fontName=SERIF, fontSize=11.5, leading=15, spaceAfter=6, bulletFontName=SERIF)
    return {
        "body": body,
        "lead": ParagraphStyle("Ingress", parent=body, fontName=f"{SERIF}-Bold", fontSize=13, leading=17, spaceAfter=4),
        "small": ParagraphStyle("Liten text", parent=body, fontSize=10, leading=13),
        "right": ParagraphStyle("Högerställd", parent=body, alignment=TA_RIGHT),
        "label": ParagraphStyle("Etikett", parent=body, fontName=f"{SERIF}-Italic", spaceAfter=2, keepWithNext=1),
        "title": ParagraphStyle("Titel", parent=body, fontName=f"{SANS}-Bold", fontSize=15, leading=19, spaceAfter=4),
        "subtitle": ParagraphStyle("Underrubrik", parent=body, fontName=f"{SANS}", fontSize=12, leading=16, spaceAfter=10),
        "marker": ParagraphStyle("Bilagemarkör", parent=body, fontName=f"{SANS}-Bold", alignment=TA_RIGHT, spaceAfter=12),
        "address": ParagraphStyle("Adress", parent=body, spaceAfter=0),
        "sender": ParagraphStyle("Avsändare", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
        "h1": ParagraphStyle("Rubrik 1", parent=body, fontName=f"{SANS}-Bold", fontSize=14, leading=18,
                             spaceBefore=12, spaceAfter=6, keepWithNext=1),
        "h2": ParagraphStyle("Rubrik 2", parent=body, fontName=f"{SANS}-Bold", fontSize=12, leading=16,
                             spaceBefore=10, spaceAfter=4, keepWithNext=1),
        "h3": ParagraphStyle("Rubrik 3", parent=body, fontName=f"{SANS}-Bold", fontSize=11, leading=14,
                             spaceBefore=8, spaceAfter=3, keepWithNext=1),
        "h4": ParagraphStyle("Rubrik 4", parent=body, fontName=f"{SERIF}-BoldItalic", fontSize=11.5, leading=15,
                             spaceBefore=6, spaceAfter=3, keepWithNext=1),
        "cell": ParagraphStyle("Tabelltext", parent=body, fontSize=10.5, leading=13, spaceAfter=0),
        "cell_right": ParagraphStyle("Tabelltext höger", parent=body, fontSize=10.5, leading=13, spaceAfter=0,
                                     alignment=TA_RIGHT),
        "list": ParagraphStyle("Lista", parent=body, leftIndent=7 * mm, bulletIndent=1.5 * mm, spaceAfter=3),
        "signature": ParagraphStyle("Underskrift", parent=body, spaceAfter=0),
        "header": ParagraphStyle("Sidhuvud", parent=body, fontSize=9, leading=11),
    }


def _markup(runs: list[Run]) -> str:
    """Return reportlab's mini-HTML for inline runs."""
    parts = []
    for run in runs:
        if run.text == "\n":
            parts.append("<br/>")
            continue
        text = escape(run.text)
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        parts.append(text)
    return "".join(parts)


def _marker(kind: str, index: int) -> str:
    if kind == "bullet":
        return "•"
    if kind == "letter":
        return f"{'abcdefghijklmnopqrstuvwxyz'[index]})"
    return f"{index + 1}."


# --------------------------------------------------------------------------- one function per node

def _heading(block: Heading) -> list[Flowable]:
    return [RLParagraph(escape(block.text), styles()[f"h{min(max(block.level, 1), 4)}"])]


def _paragraph(block: Paragraph) -> list[Flowable]:
    return [RLParagraph(_markup(block.runs), styles().get(block.style, styles()["body"]))]


def _list(block: ListBlock) -> list[Flowable]:
    style = styles()["list"]
    out = []
    for index, item in enumerate(block.items):
        out.append(RLParagraph(_markup(item), style, bulletText=_marker(block.kind, index)))
    return out


def _table(block: Table, width: float = FRAME_WIDTH) -> list[Flowable]:
    st = styles()
    total = sum(block.widths)
    col_widths = [width * w / total for w in block.widths]
    data, commands = [], [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), SERIF, 10.5),
                          ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                          ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    head_rows = 0
    for r, row in enumerate(block.rows):
        cells, col = [], 0
        for cell in row.cells:
            style = st["cell_right"] if cell.align == "right" else st["cell"]
            text = _markup(cell.runs)
            if row.kind in ("head", "sum", "group"):
                text = f"<b>{text}</b>" if text else ""
            if row.kind == "note":
                text = f"<i>{text}</i>" if text else ""
            cells.append(RLParagraph(text, style))
            if cell.span > 1:
                commands.append(("SPAN", (col, r), (col + cell.span - 1, r)))
                cells.extend([""] * (cell.span - 1))
            col += cell.span
        cells.extend([""] * (len(col_widths) - len(cells)))
        data.append(cells)
        if row.kind == "head":
            head_rows = r + 1
            commands.append(("LINEBELOW", (0, r), (-1, r), 0.8, colors.black))
        elif row.kind == "sum":
            commands.append(("LINEABOVE", (0, r), (-1, r), 0.8, colors.black))
        elif row.kind == "group" and r > 0:
            commands.append(("TOPPADDING", (0, r), (-1, r), 6))
        elif block.style == "budget" and row.kind == "body":
            commands.append(("LINEBELOW", (0, r), (-1, r), 0.25, colors.grey))
    table = RLTable(data, colWidths=col_widths, repeatRows=head_rows, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    if len(block.rows) <= KEEP_TABLE_ROWS:  # a short table is never split across pages
        return [KeepTogether([table, Spacer(1, 6)])]
    return [table, Spacer(1, 6)]


def _columns(block: Columns) -> list[Flowable]:
    total = sum(block.widths)
    widths = [FRAME_WIDTH * w / total for w in block.widths]
    cells = [[f for b in column.blocks for f in _flowables(b, width)] for column, width in zip(block.columns, widths)]
    table = RLTable([cells], colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("FONT", (0, 0), (-1, -1), SERIF, 10.5)]))
    return [table]


def _signatures(block: Signatures) -> list[Flowable]:
    st = styles()
    parts: list[Flowable] = []
    if block.place:
        parts.append(RLParagraph(escape(block.place), st["body"]))
    cells = []
    for sig in block.signatures:
        cell = []
        if sig.label:
            cell.append(RLParagraph(escape(sig.label), st["signature"]))
        cell.append(Spacer(1, 34))
        cell.append(RLParagraph(escape(sig.name), st["signature"]))
        if sig.title:
            cell.append(RLParagraph(escape(sig.title), st["signature"]))
        cells.append(cell)
    if cells:
        width = FRAME_WIDTH / len(cells)
        table = RLTable([cells], colWidths=[width] * len(cells), hAlign="LEFT")
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("FONT", (0, 0), (-1, -1), SERIF, 10.5)]))
        parts.append(table)
    parts.append(Spacer(1, 12))
    return [KeepTogether(parts)]


def _keep(block: Keep) -> list[Flowable]:
    inner: list[Flowable] = []
    for child in block.blocks:
        for flowable in _flowables(child):  # nested KeepTogethers are flattened into this one
            inner.extend(flowable._content if isinstance(flowable, KeepTogether) else [flowable])
    return [KeepTogether(inner)]


def _space(block: Space) -> list[Flowable]:
    return [Spacer(1, block.height)]


def _pagebreak(block: PageBreak) -> list[Flowable]:
    return [RLPageBreak()]


WRITERS: dict[type, Callable] = {
    Heading: _heading, Paragraph: _paragraph, ListBlock: _list, Table: _table, Columns: _columns,
    Signatures: _signatures, Keep: _keep, Space: _space, PageBreak: _pagebreak,
}


def _flowables(block: Block, width: float = FRAME_WIDTH) -> list[Flowable]:
    try:
        writer = WRITERS[type(block)]
    except KeyError:
        raise TypeError(f"the PDF writer has no rule for {type(block).__name__}") from None
    if writer is _table:
        return _table(block, width)
    return writer(block)


def _bind_headings(story: list[Flowable]) -> list[Flowable]:
    """Return the story with every keep-with-next paragraph (a heading) kept on a page with what follows.

    reportlab's own keepWithNext does not hold across a following KeepTogether
    (a short table), which left a "Budget" heading alone at the foot of a page.
    """
    out: list[Flowable] = []
    pending: list[Flowable] = []
    for flowable in story:
        if getattr(getattr(flowable, "style", None), "keepWithNext", 0):
            pending.append(flowable)
            continue
        if pending:
            content = flowable._content if isinstance(flowable, KeepTogether) else [flowable]
            out.append(KeepTogether(pending + list(content)))
            pending = []
        else:
            out.append(flowable)
    return out + pending


def _numbered_canvas(header: list[str], page_numbers: bool):
    """Return a Canvas class that draws the header and "n (N)" once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            count = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._draw_header(count)
                super().showPage()
            super().save()

        def _draw_header(self, count: int) -> None:
            self.saveState()
            y = PAGE_HEIGHT - 14 * mm
            self.setFont(SERIF, 9)
            for line in header:
                self.drawString(LEFT, y, line)
                y -= 11
            if page_numbers:
                self.setFont(SERIF, 10)
                self.drawRightString(PAGE_WIDTH - RIGHT, PAGE_HEIGHT - 14 * mm, sidnummer(self._pageNumber, count))
            self.restoreState()

    return NumberedCanvas


def render_pdf(document: Document) -> bytes:
    """Return the PDF bytes of ``document``; the same document always gives the same bytes."""
    register_fonts()
    buffer = io.BytesIO()
    meta = document.meta
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP, bottomMargin=BOTTOM,
        title=meta.title, author=meta.author, subject=meta.subject, keywords=meta.keywords,
        creator="generator", producer="generator (reportlab)", lang=meta.language, invariant=1,
        initialFontName=SERIF,  # else every page references an unembedded Helvetica
    )
    story = _bind_headings([f for block in document.blocks for f in _flowables(block)])
    doc.build(story, canvasmaker=_numbered_canvas(document.header, document.page_numbers))
    return buffer.getvalue()
