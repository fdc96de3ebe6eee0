"""The PDF writer: the document model to an A4 PDF with reportlab's platypus.

Knows nothing of agreements. Fonts (Liberation Serif and Sans, SIL OFL) ship
with the package and are embedded, so å ä ö é – ’ ” ≥ print on any machine.
Every page carries the running header at the top left and ``n (N)`` at the
top right (a two-pass "numbered canvas": the pages are kept until the count
is known). ``invariant`` mode and the document's own date make the bytes
depend only on the document.

One function per node type, dispatched from :data:`WRITERS`; each takes the
block and the width it may fill and returns platypus flowables. Which tables
stay on one page, which of their rows stay together and head every page, and
where a cell's text stands are the layout pass's
(:mod:`generator.documents.layout`); headings, labels and a sentence before a
captioned table stay with what follows by their styles.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import lru_cache
from importlib.resources import files
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import XMP
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, KeepTogether, PageTemplate, Spacer, TableStyle
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import Flowable

from generator.documents.layout import lay_out
from generator.documents.model import (
    Block,
    Columns,
    Document,
    Heading,
    Keep,
    ListBlock,
    PageBreak,
    Paragraph,
    Revision,
    Run,
    Signatures,
    Space,
    Table,
    list_positions,
)
from generator.errors import RenderError
from generator.formatting import sidnummer
from generator.writers.addresses import addresses
from generator.writers.pdf_metadata import xmp_packet

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = RIGHT = 25 * mm
TOP = 28 * mm  # at least; more when the running header has more than two lines
BOTTOM = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - LEFT - RIGHT
HEADER_Y = PAGE_HEIGHT - 14 * mm  # baseline of the first header line and of "n (N)"
HEADER_SIZE, HEADER_LEADING = 9, 11
HEADER_GAP = 9 * mm  # between the last header line and the text
PAGE_NUMBER_ROOM = 25 * mm  # kept free of header text at the top right
LONG_PARAGRAPH = 600  # characters; a heading before a longer paragraph needs only its first lines on the page
FOLLOW_ROOM = 48  # points of what follows a heading that must fit on the heading's page
SIGNATURE_ROOM = 42  # points of blank space for the handwritten signature (about three lines)
SERIF = "LiberationSerif"
SANS = "LiberationSans"
FACES = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the shipped TTF fonts once per process, with bold/italic families for <b> and <i>."""
    folder = files("generator") / "fonts"
    for family in (SERIF, SANS):
        for suffix, face in FACES.items():
            with (folder / f"{family}-{face}.ttf").open("rb") as handle:  # works from a zip as well
                pdfmetrics.registerFont(TTFont(f"{family}{suffix}", io.BytesIO(handle.read())))
        pdfmetrics.registerFontFamily(
            family, normal=family, bold=f"{family}-Bold", italic=f"{family}-Italic", boldItalic=f"{family}-BoldItalic"
        )


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    """Return the named paragraph styles (the same names as the DOCX writer's)."""
    register_fonts()
    body = ParagraphStyle(
        "Brödtext", fontName=SERIF, fontSize=11.5, leading=15, spaceAfter=6, bulletFontName=SERIF, bulletFontSize=11.5
    )
    cell = ParagraphStyle("Tabelltext", parent=body, fontSize=10.5, leading=13, spaceAfter=0)
    return {
        "body": body,
        "lead": ParagraphStyle("Ingress", parent=body, fontName=f"{SERIF}-Bold", fontSize=13, leading=17, spaceAfter=4),
        "small": ParagraphStyle("Liten text", parent=body, fontSize=10, leading=13),
        "quote": ParagraphStyle("Citat", parent=body, leftIndent=22.7),
        "right": ParagraphStyle("Högerställd", parent=body, alignment=TA_RIGHT),
        "label": ParagraphStyle("Etikett", parent=body, fontName=f"{SERIF}-Italic", spaceAfter=2, keepWithNext=1),
        "title": ParagraphStyle("Titel", parent=body, fontName=f"{SANS}-Bold", fontSize=15, leading=19, spaceAfter=4),
        "subtitle": ParagraphStyle("Underrubrik", parent=body, fontName=SANS, fontSize=12, leading=16, spaceAfter=10),
        "marker": ParagraphStyle(
            "Bilagemarkör", parent=body, fontName=f"{SANS}-Bold", alignment=TA_RIGHT, spaceAfter=12
        ),
        "address": ParagraphStyle("Adress", parent=body, spaceAfter=0),
        "sender": ParagraphStyle("Avsändare", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
        "h1": ParagraphStyle(
            "Heading 1",
            parent=body,
            fontName=f"{SANS}-Bold",
            fontSize=14,
            leading=18,
            spaceBefore=12,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "Heading 2",
            parent=body,
            fontName=f"{SANS}-Bold",
            fontSize=12,
            leading=16,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "Heading 3",
            parent=body,
            fontName=f"{SANS}-Bold",
            fontSize=11,
            leading=14,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "h4": ParagraphStyle(
            "Heading 4",
            parent=body,
            fontName=f"{SERIF}-BoldItalic",
            fontSize=11.5,
            leading=15,
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "cell": cell,
        "cell_right": ParagraphStyle("Tabelltext höger", parent=cell, alignment=TA_RIGHT),
        "cell_center": ParagraphStyle("Tabelltext centrerad", parent=cell, alignment=TA_CENTER),
        "note": ParagraphStyle("Tabellnot", parent=cell, fontName=f"{SERIF}-Italic", fontSize=9.5, leading=12),
        "note_right": ParagraphStyle(
            "Tabellnot höger", parent=cell, fontName=f"{SERIF}-Italic", fontSize=9.5, leading=12, alignment=TA_RIGHT
        ),
        "list": ParagraphStyle("Lista", parent=body, leftIndent=7 * mm, bulletIndent=1.5 * mm, spaceAfter=3),
        "list_wide": ParagraphStyle("Lista bred", parent=body, leftIndent=9 * mm, bulletIndent=1.5 * mm, spaceAfter=3),
        "place": ParagraphStyle("Ort och datum", parent=body, spaceBefore=18, spaceAfter=10, keepWithNext=1),
        "signature": ParagraphStyle("Underskrift", parent=body, spaceAfter=0),
        "header": ParagraphStyle("Sidhuvud", parent=body, fontName=SANS, fontSize=HEADER_SIZE, leading=HEADER_LEADING),
        "caption": ParagraphStyle(
            "Caption",
            parent=body,
            fontName=f"{SANS}-Bold",
            fontSize=10,
            leading=13,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "introduces": ParagraphStyle("Brödtext före tabell", parent=body, keepWithNext=1),
    }


#: How a redline's tracked changes print: an insertion underlined in blue, a deletion struck through in red.
INSERTED_COLOUR, DELETED_COLOUR = "#0b5cad", "#b3261e"


def _revised(text: str, rev: Revision | None) -> str:
    if rev is None:
        return text
    if rev.kind == "ins":
        return f'<font color="{INSERTED_COLOUR}"><u>{text}</u></font>'
    return f'<font color="{DELETED_COLOUR}"><strike>{text}</strike></font>'


def _linked(text: str) -> str:
    """Return ``text`` escaped, each web and e-mail address in it a link (generator.writers.addresses)."""
    parts, position = [], 0
    for start, end, target in addresses(text):
        parts += [escape(text[position:start]), f'<a href="{escape(target, {chr(34): "&quot;"})}">']
        parts += [escape(text[start:end]), "</a>"]
        position = end
    return "".join(parts) + escape(text[position:])


def _markup(runs: list[Run]) -> str:
    """Return reportlab's mini-HTML for inline runs (text escaped, a "\\n" run is a line break, revisions marked)."""
    parts = []
    previous = None
    for run in runs:
        if run.text == "\n":
            parts.append("<br/>")
            continue
        text = _linked(run.text)
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        if (
            previous is not None
            and previous.rev is not None
            and previous.rev.kind == "del"
            and run.rev is not None
            and run.rev.kind == "ins"
            and not previous.text.endswith(" ")
        ):
            parts.append(" ")  # a struck amount and its replacement do not run together
        parts.append(_revised(text, run.rev))
        previous = run
    return "".join(parts)


def _marker(kind: str, index: int) -> str:
    """Return the marker of the list item at 0-based ``index``: ``•``, ``3.`` or ``c)`` (as the DOCX writer)."""
    if kind == "bullet":
        return "•"
    if kind == "letter":
        if index >= 26:
            raise RenderError(f"en lista med bokstäver har högst 26 poster (a–z); den här har post {index + 1}")
        return f"{'abcdefghijklmnopqrstuvwxyz'[index]})"
    return f"{index + 1}."


class _Table(RLTable):
    """A platypus Table that splits between rows, and inside a row only when nothing else can fit.

    reportlab's ``splitInRow`` would also cut a one-line row in two whenever a
    NOSPLIT (a group heading with its first row, a sum with the row above)
    forbids the split between rows; then the rows should move to the next page.
    Only a row too tall for (nearly) a whole page is split inside.
    """

    def split(self, availWidth, availHeight):  # noqa: N803 (reportlab's names)
        self.splitInRow = 0
        parts = super().split(availWidth, availHeight)
        if not parts and availHeight >= 0.75 * (PAGE_HEIGHT - TOP - BOTTOM):
            self.splitInRow = 1
            parts = super().split(availWidth, availHeight)
            self.splitInRow = 0
        return parts


def _no_padding(commands: list) -> list:
    return commands + [
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]


# --------------------------------------------------------------------------- one function per node


def _heading(block: Heading, width: float) -> list[Flowable]:
    return [RLParagraph(_revised(escape(block.text), block.rev), styles()[f"h{min(max(block.level, 1), 4)}"])]


def _paragraph(block: Paragraph, width: float) -> list[Flowable]:
    return [RLParagraph(_markup(block.runs), styles().get(block.style, styles()["body"]))]


def _list(block: ListBlock, width: float) -> list[Flowable]:
    style = styles()["list_wide" if block.kind == "number" and len(block.items) >= 10 else "list"]
    if block.level > 1 or block.quoted:  # nested, or part of a quoted text: indented further
        extra = (15.6 if block.level > 1 else 0) + (22.7 if block.quoted else 0)
        style = ParagraphStyle(f"{style.name}_{block.level}", parent=style, leftIndent=style.leftIndent + extra)
    # numbered as after the tracked changes (a deleted item keeps its old number); an item in or out shows in its text
    return [
        RLParagraph(_markup(item), style, bulletText=_marker(block.kind, _shown_position(before, after)))
        for item, (before, after) in zip(block.items, list_positions(block.items))
    ]


def _shown_position(before: int | None, after: int | None) -> int:
    """Return a list item's position after its tracked changes, or before them for a deleted item."""
    position = after if after is not None else before
    assert position is not None  # list_positions puts every item in the list before or after its changes
    return position


def _table(block: Table, width: float) -> list[Flowable]:
    st = styles()
    ncols = max([len(block.widths)] + [sum(c.span for c in row.cells) for row in block.rows])
    relative = list(block.widths) + [1.0] * (ncols - len(block.widths))
    col_widths = [width * w / sum(relative) for w in relative]
    commands: list = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), SERIF, 10.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        # the outer text is flush with the body text; the rules span the whole width
        ("LEFTPADDING", (0, 0), (0, -1), 0),
        ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
    ]
    data = []
    for r, row in enumerate(block.rows):
        cells: list = []
        col = 0
        for cell in row.cells:
            if row.kind == "note":
                style = st["note_right"] if cell.align == "right" else st["note"]
            else:
                style = st[{"right": "cell_right", "center": "cell_center"}.get(cell.align, "cell")]
            text = _markup(cell.runs)
            if text and row.kind in ("head", "sum", "group"):
                text = f"<b>{text}</b>"
            cells.append(RLParagraph(text, style))
            if cell.valign == "bottom":  # an amount sits on the last line of its label, a head on its last line
                commands.append(("VALIGN", (col, r), (col, r), "BOTTOM"))
            if cell.span > 1:
                commands.append(("SPAN", (col, r), (min(col + cell.span, ncols) - 1, r)))
                cells.extend([""] * (cell.span - 1))
            col += cell.span
        cells.extend([""] * (ncols - len(cells)))
        data.append(cells[:ncols])
        if row.kind == "head":
            commands.append(("LINEBELOW", (0, r), (-1, r), 0.8, colors.black))
        elif row.kind == "sum":
            commands.append(("LINEABOVE", (0, r), (-1, r), 0.8, colors.black))
            commands.append(("TOPPADDING", (0, r), (-1, r), 3.5))
        elif row.kind == "group" and r > 0:
            commands.append(("TOPPADDING", (0, r), (-1, r), 7))
        elif row.kind == "note":
            commands.append(("TOPPADDING", (0, r), (-1, r), 0.5))
        if row.rev is not None:  # a row inserted or deleted as a whole: a bar in the margin of its colour
            colour = INSERTED_COLOUR if row.rev.kind == "ins" else DELETED_COLOUR
            commands.append(("LINEBEFORE", (0, r), (0, r), 2, colors.HexColor(colour)))
            commands.append(("BOTTOMPADDING", (0, r), (-1, r), 4))
        if row.keep_with_next and not block.keep_together and r + 1 < len(block.rows):
            # a group heading with its first row, a sum or a note with the row above it
            commands.append(("NOSPLIT", (0, r), (-1, r + 1)))
        if (
            block.style == "budget"
            and row.kind == "body"
            and r + 1 < len(block.rows)
            and block.rows[r + 1].kind not in ("sum", "head")
        ):
            commands.append(("LINEBELOW", (0, r), (-1, r), 0.25, colors.HexColor("#8c8c8c")))
    table = _Table(data, colWidths=col_widths, repeatRows=block.header_rows, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    caption = [RLParagraph(_markup(block.caption), st["caption"])] if block.caption else []
    if block.keep_together:  # a short table is never split across pages
        return [KeepTogether([*caption, table, Spacer(1, 10)])]
    table.long_table = True  # see _is_long
    return [*caption, table, Spacer(1, 10)]


def _columns(block: Columns, width: float) -> list[Flowable]:
    relative = list(block.widths) + [1.0] * (len(block.columns) - len(block.widths))
    widths = [width * w / sum(relative[: len(block.columns)]) for w in relative[: len(block.columns)]]
    gutter = 6
    cells = []
    for index, (column, col_width) in enumerate(zip(block.columns, widths)):
        inner = col_width - (gutter if index < len(widths) - 1 else 0)
        # a table cell never splits, and a KeepTogether inside one cannot wrap: hand over its content
        cells.append(_unkeep([f for b in column.blocks for f in _flowables(b, inner)]) or "")
    if not cells:
        return []
    table = _Table([cells], colWidths=widths, hAlign="LEFT")
    commands = _no_padding([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), SERIF, 10.5)])
    commands.append(("RIGHTPADDING", (0, 0), (-2, -1), gutter))
    table.setStyle(TableStyle(commands))
    return [table]


def _signatures(block: Signatures, width: float) -> list[Flowable]:
    st = styles()
    parts: list[Flowable] = []
    if block.place:
        parts.append(RLParagraph(_revised(escape(block.place), block.rev), st["place"]))
    cells: list[list[Flowable] | str] = []  # a cell's flowables, or "" (an empty cell)
    for sig in block.signatures:
        cell: list[Flowable] = []
        if sig.label:
            cell.append(RLParagraph(_revised(escape(sig.label), block.rev), st["signature"]))
        cell.append(Spacer(1, SIGNATURE_ROOM))
        cell.append(RLParagraph(_revised(escape(sig.name), block.rev), st["signature"]))
        if sig.title:
            cell.append(RLParagraph(_revised(escape(sig.title), block.rev), st["signature"]))
        cells.append(cell)
    if cells:
        per_row = 2 if len(cells) > 3 else len(cells)  # four or more signatures: two by two
        rows = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
        rows[-1] += [""] * (per_row - len(rows[-1]))
        table = RLTable(rows, colWidths=[width / per_row] * per_row, hAlign="LEFT")
        commands = _no_padding(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 0), (-1, -1), SERIF, 10.5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
        commands.append(("TOPPADDING", (0, 1), (-1, -1), 18))
        table.setStyle(TableStyle(commands))
        parts.append(table)
    parts.append(Spacer(1, 12))
    return [KeepTogether(parts)]


def _unkeep(flowables: list[Flowable]) -> list[Flowable]:
    """Return ``flowables`` with every KeepTogether replaced by its content."""
    out: list[Flowable] = []
    for flowable in flowables:
        out.extend(_unkeep(flowable._content) if isinstance(flowable, KeepTogether) else [flowable])
    return out


def _keep(block: Keep, width: float) -> list[Flowable]:
    # nested KeepTogethers (short tables, signatures) are flattened into this one
    return [KeepTogether(_unkeep([f for child in block.blocks for f in _flowables(child, width)]))]


def _space(block: Space, width: float) -> list[Flowable]:
    return [Spacer(1, block.height)]


def _pagebreak(block: PageBreak, width: float) -> list[Flowable]:
    return [RLPageBreak()]


WRITERS: dict[type, Callable[..., list[Flowable]]] = {
    Heading: _heading,
    Paragraph: _paragraph,
    ListBlock: _list,
    Table: _table,
    Columns: _columns,
    Signatures: _signatures,
    Keep: _keep,
    Space: _space,
    PageBreak: _pagebreak,
}


def _flowables(block: Block, width: float = FRAME_WIDTH) -> list[Flowable]:
    """Return the flowables of one block that may be ``width`` points wide."""
    try:
        writer = WRITERS[type(block)]
    except KeyError:
        raise TypeError(f"PDF-skrivaren har ingen regel för {type(block).__name__}") from None
    return writer(block, width)


# --------------------------------------------------------------------------- page flow


def _keeps_with_next(flowable: Flowable) -> bool:
    return bool(getattr(getattr(flowable, "style", None), "keepWithNext", 0))


def _is_long(flowable: Flowable) -> bool:
    """Whether ``flowable`` may start on one page and go on on the next (a long table or paragraph)."""
    if getattr(flowable, "long_table", False):
        return True
    return isinstance(flowable, RLParagraph) and len(flowable.getPlainText()) > LONG_PARAGRAPH


def _bind_headings(story: list[Flowable]) -> list[Flowable]:
    """Return the story with every keep-with-next paragraph (a heading) kept on a page with what follows.

    reportlab's own keepWithNext does not hold across a following KeepTogether
    (a short table), which would leave a heading alone at the foot of a page.
    Before a long table or paragraph, which may split, only the heading and the
    first lines must fit: a conditional page break instead of moving it all.
    """
    out: list[Flowable] = []
    pending: list[Flowable] = []
    for flowable in story:
        if _keeps_with_next(flowable):
            pending.append(flowable)
            continue
        if not pending:
            out.append(flowable)
        elif _is_long(flowable):
            needed = sum(p.wrap(FRAME_WIDTH, PAGE_HEIGHT)[1] + p.getSpaceBefore() + p.getSpaceAfter() for p in pending)
            for p in pending:
                p.keepWithNext = 0  # the instance wins over the style, so platypus does not bind them again
            out.extend([CondPageBreak(needed + FOLLOW_ROOM), *pending, flowable])
        else:
            content = flowable._content if isinstance(flowable, KeepTogether) else [flowable]
            out.append(KeepTogether(pending + list(content)))
        pending = []
    return out + pending


def _story(blocks: list[Block]) -> list[Flowable]:
    """Return the flowables of ``blocks``; the sentence right before a captioned table is kept with it."""
    story: list[Flowable] = []
    for block, following in zip(blocks, blocks[1:] + [None]):
        flowables = _flowables(block)
        if (
            isinstance(block, Paragraph)
            and block.style == "body"
            and isinstance(following, Table)
            and following.caption
            and flowables
        ):
            flowables[-1].style = styles()["introduces"]
        story.extend(flowables)
    return story


def _header_lines(header: list[str], page_numbers: bool) -> list[str]:
    """Return the running header wrapped so it never runs into "n (N)"."""
    room = FRAME_WIDTH - (PAGE_NUMBER_ROOM if page_numbers else 0)
    return [part for line in header for part in (simpleSplit(line, SANS, HEADER_SIZE, room) or [""])]


def _numbered_canvas(
    header: list[str], page_numbers: bool, date: str, header_first_page: bool = True, draft: str = "", source: str = ""
):
    """Return a Canvas class that draws the header and "n (N)" once the page count is known, and puts the
    provenance line ``source`` into the catalog's XMP metadata (generator.writers.pdf_metadata), not into a
    property a reader shows."""
    # noon UTC, so a viewer in any time zone shows the document's own date
    stamp = "D:" + "".join(ch for ch in date if ch.isdigit())[:8].ljust(8, "0") + "120000+00'00'"

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            self.setDateFormatter(lambda *ymdhms: stamp)  # the document's date, not the time of the build
            if source:
                packet = xmp_packet(source).encode("utf-8")
                self._doc.Catalog.Metadata = XMP(creator=lambda doc: packet)

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
            self.setFillColor(colors.black)
            self.setFont(SANS, HEADER_SIZE)
            y = HEADER_Y
            for line in header if header_first_page or self._pageNumber > 1 else []:
                self.drawString(LEFT, y, line)
                y -= HEADER_LEADING
            if draft:  # the document's status on every page, below the running header
                self.setFont(SANS + "-Bold", HEADER_SIZE)
                self.drawString(LEFT, y, draft)
            if page_numbers:
                self.setFont(SANS, HEADER_SIZE + 0.5)
                self.drawRightString(PAGE_WIDTH - RIGHT, HEADER_Y, sidnummer(self._pageNumber, count))
            self.restoreState()

    return NumberedCanvas


def render_pdf(document: Document) -> bytes:
    """Return the PDF bytes of ``document``; the same document always gives the same bytes."""
    register_fonts()
    document = lay_out(document)
    buffer = io.BytesIO()
    meta = document.meta
    header = _header_lines(document.header, document.page_numbers)
    lines = len(header) + (1 if meta.draft else 0)
    top = max(TOP, PAGE_HEIGHT - HEADER_Y + (lines - 1) * HEADER_LEADING + HEADER_GAP)
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=top,
        bottomMargin=BOTTOM,
        title=f"{meta.draft}: {meta.title}" if meta.draft else meta.title,
        author=meta.author,
        subject=meta.subject,
        keywords=", ".join(part for part in (meta.draft, meta.keywords) if part),
        creator="generator",
        producer="generator (reportlab)",
        lang=meta.language or "sv-SE",
        invariant=1,
        initialFontName=SERIF,  # else every page references an unembedded Helvetica
    )
    # no frame padding: the text, the tables' rules and the header share the 25 mm margins exactly
    frame = Frame(
        LEFT,
        BOTTOM,
        FRAME_WIDTH,
        PAGE_HEIGHT - top - BOTTOM,
        id="text",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=A4)])
    story = _bind_headings(_story(document.blocks))
    if not story:
        story = [Spacer(1, 1)]  # an empty document is still one (blank) page
    doc.build(
        story,
        canvasmaker=_numbered_canvas(
            header, document.page_numbers, meta.date, document.header_first_page, meta.draft, meta.source
        ),
    )
    return buffer.getvalue()
