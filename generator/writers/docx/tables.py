"""Tables: rows kept as the layout pass decided, amounts on their decimal comma, written as WordprocessingML text."""

from __future__ import annotations

import functools
import re

from lxml import etree

from generator.documents.model import Table
from generator.writers.docx.document_state import DocumentState, new_paragraph
from generator.writers.docx.line_spacing import (
    CAPTION_ABOVE,
    CAPTION_GAP,
    CELL_INSET,
    CELL_SIDE,
    NOTE_SIZE,
    TABLE_ABOVE,
    TABLE_BELOW,
    TABLE_SIZE,
    TEXT_WIDTH_MM,
    caption_face,
    cell_margins,
    style_face,
)
from generator.writers.docx.revisions import revision_xml, track_mark, whole_revision
from generator.writers.docx.runs import add_runs, runs_xml
from generator.writers.docx.spacing import end_block, join_block
from generator.writers.docx.wordml import (
    EDGES,
    NO_BORDERS,
    PPR,
    TC,
    W_NS,
    P,
    escape_attr,
    mm_to_twips,
    mm_widths,
    set_spacing,
)
from generator.writers.measure import decimal_rooms, text_width

#: The PDF's cell insets (points above, below) by row kind; a group row after the first has more air above.
ROW_INSETS = {"sum": (3.5, CELL_INSET), "note": (0.5, 4.0)}
#: twips: the 0.75 pt rule under a head row and over a sum, the 0.25 pt rule between budget rows (LibreOffice's row
#: takes 0.2 pt for the thin one)
RULE, THIN_RULE = 15, 4
ROW_STYLES = {"head": "Tabellsumma", "sum": "Tabellsumma", "group": "Tabellsumma", "note": "Tabellnot"}


# A table is written as WordprocessingML text, exactly as lxml serializes the elements the functions above
# would build (new_table, row_props, new_tc, set_cell_margin, add_keep_next, add_runs with add_run, _add_text and
# track; a cell's borders and vertical alignment appended to its properties, its margins placed after its
# borders): lxml takes ten times as long to add a cell's ten or so elements one by one. The tree holds a
# comment in its place (``<!--t3-->``, the document's fourth table), which render_docx replaces by the text
# once the part is serialized; a table the writer must change afterwards (in a block of columns kept with the
# next) is parsed into the tree first (materialize).

_FRAGMENT_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True)
#: what lxml refuses in a text or attribute (ValueError: "All strings must be XML compatible")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
TABLE_MARK = re.compile(rb"<!--t(\d+)-->")
W_XMLNS = f'xmlns:w="{W_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _margins_xml(twips: dict[str, int]) -> str:
    """Return a cell's own margins as set_cell_margin writes them."""
    edges = "".join(f'<w:{edge} w:w="{max(twips[edge], 0)}" w:type="dxa"/>' for edge, _ in EDGES if edge in twips)
    return f"<w:tcMar>{edges}</w:tcMar>"


@functools.lru_cache(maxsize=1024)
def _sides(start: int, end: int, ncols: int, top_bottom: tuple[int, int] | None) -> str:
    """Return the margins of a cell from column ``start`` to ``end``: none at the table's outer edges ("" for none)."""
    margins = {}
    if start == 0:
        margins["left"] = 0
    if end >= ncols:
        margins["right"] = 0
    if top_bottom is not None:
        margins["top"], margins["bottom"] = top_bottom
    return _margins_xml(margins) if margins else ""


def _table_start_xml(twips: list[str], style_id: str | None) -> str:
    """Return the start of a table as new_table(…, style_id, align=True) makes it, to its grid."""
    style = f'<w:tblStyle w:val="{escape_attr(style_id)}"/>' if style_id is not None else ""
    borders = "".join(f'<w:{edge} w:val="nil"/>' for edge in NO_BORDERS)
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in twips)
    grid = f"<w:tblGrid>{grid}</w:tblGrid>" if grid else "<w:tblGrid/>"
    return (
        f'<w:tbl><w:tblPr>{style}<w:tblW w:type="auto" w:w="0"/><w:jc w:val="left"/>'
        f'<w:tblInd w:w="{CELL_SIDE}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" '
        'w:val="04A0"/></w:tblPr>' + grid
    )


_BORDERS_XML = {
    "head": '<w:tcBorders><w:bottom w:val="single" w:sz="6" w:color="000000"/></w:tcBorders>',
    "sum": '<w:tcBorders><w:top w:val="single" w:sz="6" w:color="000000"/></w:tcBorders>',
    "budget": '<w:tcBorders><w:bottom w:val="single" w:sz="2" w:color="999999"/></w:tcBorders>',
}
_V_ALIGN_XML = '<w:vAlign w:val="bottom"/>'


def write_table(doc: DocumentState, container, block: Table, width_mm: float = TEXT_WIDTH_MM) -> None:
    if block.caption:  # above the table, kept with it (the style keeps it with the next paragraph: the first row)
        caption = new_paragraph(doc, container, "Caption")
        add_runs(doc, caption, block.caption)
        track_mark(doc, caption, whole_revision(block.caption))
        face = caption_face()
        # the PDF's table block starts with the caption, 6 pt lower, and the table 5 pt under it (see join_block)
        join_block(doc, container, TABLE_ABOVE, face.top() - CAPTION_ABOVE, first_p=caption)
        end_block(doc, container, caption, 0.0, CAPTION_GAP, face.bottom())
    ncols = len(block.widths)
    rooms = decimal_rooms(block)
    twips = [mm_to_twips(width) for width in mm_widths(block.widths, width_mm)]
    default = cell_margins("Tabelltext", CELL_INSET, CELL_INSET)
    page_top = round(style_face("Normal").top() * 20)
    lead = block.header_rows
    # per row: whether its paragraphs keep with the next (all of them in a table kept together), the last row's
    # with the block after the table
    links = [row.keep_with_next for row in block.rows[:-1]] + [block.keep_with_next]
    out = [_table_start_xml(twips, doc.base.table_style_id)]
    for r, row_block in enumerate(block.rows):
        kind = row_block.kind
        out.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if r < lead else ""))
        if row_block.rev is not None:  # the row itself inserted or deleted (Word: w:trPr/w:ins, w:del)
            out.append(revision_xml(doc, row_block.rev, None))
        out.append("</w:trPr>")
        style = ROW_STYLES.get(kind, "Tabelltext")
        style_id = doc.base.style_id(style)
        inset = (7.0, CELL_INSET) if kind == "group" and r > 0 else ROW_INSETS.get(kind, (CELL_INSET, CELL_INSET))
        top, bottom = cell_margins(style, *inset)
        if r == 0:  # the first row starts as a paragraph does: so a table at the top of a page sits as in the PDF
            top += page_top  # (the page's top margin is smaller by the room a body line leaves above its text)
        # a rule takes room in Word's row (not in the PDF's): the cell margin beside it is smaller by its width
        if kind == "head":
            border, margins = _BORDERS_XML["head"], (top, bottom - RULE)
        elif kind == "sum":
            border, margins = _BORDERS_XML["sum"], (top - RULE, bottom)
        elif block.style == "budget" and kind == "body":
            border, margins = _BORDERS_XML["budget"], (top, bottom - THIN_RULE)
        else:
            border, margins = "", (top, bottom)
        own_margins = margins if margins != default else None  # None: the style's
        keep_next = "<w:keepNext/>" if links[r] else ""
        p_style = (f'<w:pStyle w:val="{escape_attr(style_id)}"/>' if style_id is not None else "") + keep_next
        col = 0
        for cell_block in row_block.cells:
            if col >= ncols:
                raise IndexError("tuple index out of range")  # more cells than columns, as python-docx
            span = max(min(col + cell_block.span, ncols) - col, 1)
            # a merged cell keeps the width of the last column it spans (python-docx sets each column's in turn)
            props = f'<w:tcW w:type="dxa" w:w="{twips[col + span - 1]}"/>'
            if span > 1:
                props += f'<w:gridSpan w:val="{span}"/>'
            ppr = p_style
            if cell_block.align == "right":
                amount = cell_block.amount
                if amount is not None and amount.aligned and col in rooms:
                    # amounts align on the decimal comma: "10" stands as far from the edge as "5,3" does its comma
                    size = NOTE_SIZE if kind == "note" else TABLE_SIZE
                    room = (rooms[col] - text_width(amount.fraction, style == "Tabellsumma")) * size
                    ppr += f'<w:ind w:right="{round(room * 20)}"/>'
                ppr += '<w:jc w:val="right"/>'
            runs = runs_xml(doc, cell_block.runs, italic=kind == "note")
            sides = _sides(col, col + span, ncols, own_margins)
            v_align = _V_ALIGN_XML if cell_block.valign == "bottom" else ""  # an amount on its label's last line
            props += border + sides + v_align  # CT_TcPr's order: tcBorders, tcMar, vAlign (Word insists on it)
            ppr = f"<w:pPr>{ppr}</w:pPr>" if ppr else "<w:pPr/>"
            out.append(f"<w:tc><w:tcPr>{props}</w:tcPr><w:p>{ppr}{runs}</w:p></w:tc>")
            col += span
        for rest in range(col, ncols):  # columns no cell reached stay empty
            sides = _sides(rest, rest + 1, ncols, (top, bottom) if (top, bottom) != default else None)
            empty = f"<w:p><w:pPr>{keep_next}</w:pPr></w:p>" if keep_next else "<w:p/>"
            out.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips[rest]}"/>{sides}</w:tcPr>{empty}</w:tc>')
        out.append("</w:tr>")
    out.append("</w:tbl>")
    text = "".join(out)
    if _NOT_XML.search(text):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters")
    tbl = etree.Comment(f"t{len(doc.tables)}")
    doc.tables.append(text)
    container.append(tbl)
    if container.tag == TC:  # python-docx puts an empty paragraph after a table in a cell (here: nearly no height)
        set_spacing(etree.SubElement(etree.SubElement(container, P), PPR).getparent(), after=0, line=0.05)
    join_block(doc, container, TABLE_ABOVE, page_top / 20, element=tbl)
    end_block(doc, container, None, 0.0, TABLE_BELOW, 0.0, table=True)


def materialize(doc: DocumentState, element) -> None:
    """Parse the tables written as text inside ``element`` into the tree, in place of their comments."""
    for mark in list(element.iter(etree.Comment)):
        found = TABLE_MARK.fullmatch(f"<!--{mark.text}-->".encode())
        if found is not None:
            table = etree.fromstring(f"<w:body {W_XMLNS}>{doc.tables[int(found.group(1))]}</w:body>", _FRAGMENT_PARSER)[
                0
            ]
            mark.getparent().replace(mark, table)
