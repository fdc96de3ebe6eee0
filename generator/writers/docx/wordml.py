"""WordprocessingML written with lxml: element names, properties in the schema's order, runs, tables, fields.

The element layer, like python-docx's ``oxml`` (but lxml only, ten times as fast
as python-docx's element API); what to write is decided by the modules above it.
"""

from __future__ import annotations

import functools

from lxml import etree

from generator.writers.docx.line_spacing import CELL_SIDE

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@functools.cache  # called for every element and attribute written
def wtag(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


P, PPR, R, RPR, T, TAB, BR = wtag("p"), wtag("pPr"), wtag("r"), wtag("rPr"), wtag("t"), wtag("tab"), wtag("br")
TBL, TR, TC, TCPR, TRPR, VAL = wtag("tbl"), wtag("tr"), wtag("tc"), wtag("tcPr"), wtag("trPr"), wtag("val")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: The order of a paragraph's properties in the schema (CT_PPr), as python-docx keeps it.
_PPR_ORDER = {
    wtag(tag): index
    for index, tag in enumerate(
        (
            "pStyle",
            "keepNext",
            "keepLines",
            "pageBreakBefore",
            "framePr",
            "widowControl",
            "numPr",
            "suppressLineNumbers",
            "pBdr",
            "shd",
            "tabs",
            "suppressAutoHyphens",
            "kinsoku",
            "wordWrap",
            "overflowPunct",
            "topLinePunct",
            "autoSpaceDE",
            "autoSpaceDN",
            "bidi",
            "adjustRightInd",
            "snapToGrid",
            "spacing",
            "ind",
            "contextualSpacing",
            "mirrorIndents",
            "suppressOverlap",
            "jc",
            "textDirection",
            "textAlignment",
            "textboxTightWrap",
            "outlineLvl",
            "divId",
            "cnfStyle",
            "rPr",
            "sectPr",
            "pPrChange",
        )
    )
}


def mm_to_twips(mm: float) -> str:
    return str(round(int(mm * 36000) / 635))  # python-docx's Mm(mm).twips, without python-docx


def prop(ppr, tag: str):
    """Return the child ``tag`` of the paragraph properties ``ppr``, added in its place in the schema if missing."""
    rank = _PPR_ORDER[tag]
    for index, child in enumerate(ppr):
        if child.tag == tag:
            return child
        if _PPR_ORDER.get(child.tag, 0) > rank:
            element = ppr.makeelement(tag, {})
            ppr.insert(index, element)
            return element
    return etree.SubElement(ppr, tag)


def add_keep_next(p) -> None:
    prop(p[0], wtag("keepNext"))


def set_spacing(p, **points: float) -> None:
    """Set the paragraph's own spacing (``before``, ``after`` in points; ``line``: an exact line)."""
    spacing = prop(p[0], wtag("spacing"))
    for name, value in points.items():
        spacing.set(wtag(name), str(max(round(value * 20), 0)))
        if name == "line":
            spacing.set(wtag("lineRule"), "exact")


def add_block_element(container, tag: str):
    """Append a new block element to ``container`` (the body's w:sectPr is moved last when the body is done)."""
    return etree.SubElement(container, tag)


def _add_text(r, text: str) -> None:
    """Append ``text`` to the run ``r`` as python-docx does: tabs as w:tab, line ends as w:br, the rest in w:t."""
    if text and "\t" not in text and "\n" not in text and "\r" not in text:  # the common case: one w:t
        t = etree.SubElement(r, T)
        t.text = text
        if len(text.strip()) < len(text):
            t.set(XML_SPACE, "preserve")
        return
    buffer: list[str] = []

    def flush():
        if buffer:
            chunk = "".join(buffer)
            t = etree.SubElement(r, T)
            t.text = chunk
            if len(chunk.strip()) < len(chunk):
                t.set(XML_SPACE, "preserve")
            buffer.clear()

    if "\t" not in text and "\n" not in text and "\r" not in text:
        buffer.append(text)
    else:
        for char in text:
            if char == "\t":
                flush()
                etree.SubElement(r, TAB)
            elif char in "\r\n":
                flush()
                etree.SubElement(r, BR)
            else:
                buffer.append(char)
    flush()


def add_run(p, text: str = "", bold: bool = False, italic: bool = False):
    r = etree.SubElement(p, R)
    if text:
        _add_text(r, text)
    if bold or italic:
        rpr = r.makeelement(RPR, {})
        r.insert(0, rpr)
        if bold:
            etree.SubElement(rpr, wtag("b"))
        if italic:
            etree.SubElement(rpr, wtag("i"))
    return r


def add_field(p, instruction: str) -> None:
    """Append a real field (PAGE, NUMPAGES) to the paragraph ``p``."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        r = etree.SubElement(p, R)
        if kind == "instr":
            element = etree.SubElement(r, wtag("instrText"))
            element.set(XML_SPACE, "preserve")
            element.text = f" {text} "
        elif kind == "text":
            etree.SubElement(r, T).text = text
        else:
            etree.SubElement(r, wtag("fldChar")).set(wtag("fldCharType"), kind)


NO_BORDERS = ("top", "left", "bottom", "right", "insideH", "insideV")


def new_table(container, widths_mm: list[float], style_id: str | None = None, align: bool = False):
    """Return a new table (python-docx's add_table, autofit off, no borders) and its column widths in twips."""
    if container.tag == TC:  # python-docx puts an empty paragraph after a table in a cell (here: nearly no height)
        tbl = add_block_element(container, TBL)
        set_spacing(etree.SubElement(etree.SubElement(container, P), PPR).getparent(), after=0, line=0.05)
    else:
        tbl = add_block_element(container, TBL)
    tbl_pr = etree.SubElement(tbl, wtag("tblPr"))
    if style_id is not None:
        etree.SubElement(tbl_pr, wtag("tblStyle")).set(VAL, style_id)
    etree.SubElement(tbl_pr, wtag("tblW"), {wtag("type"): "auto", wtag("w"): "0"})
    if align:
        etree.SubElement(tbl_pr, wtag("jc")).set(VAL, "left")
        # the first column has no margin at its left: the table starts at the page's margin (Word 2010's
        # layout, and LibreOffice's, puts the table's edge a cell margin to the left of it)
        etree.SubElement(tbl_pr, wtag("tblInd"), {wtag("w"): str(CELL_SIDE), wtag("type"): "dxa"})
    borders = etree.SubElement(tbl_pr, wtag("tblBorders"))  # CT_TblPr's order: … tblInd, tblBorders, tblLayout …
    for edge in NO_BORDERS:
        etree.SubElement(borders, wtag(edge)).set(VAL, "nil")
    etree.SubElement(tbl_pr, wtag("tblLayout")).set(wtag("type"), "fixed")
    etree.SubElement(
        tbl_pr,
        wtag("tblLook"),
        {
            wtag("firstColumn"): "1",
            wtag("firstRow"): "1",
            wtag("lastColumn"): "0",
            wtag("lastRow"): "0",
            wtag("noHBand"): "0",
            wtag("noVBand"): "1",
            wtag("val"): "04A0",
        },
    )
    grid = etree.SubElement(tbl, wtag("tblGrid"))
    twips = [mm_to_twips(width) for width in widths_mm]
    for width in twips:
        etree.SubElement(grid, wtag("gridCol")).set(wtag("w"), width)
    return tbl, twips


def mm_widths(widths: list[float], total_mm: float) -> list[float]:
    total = sum(widths)
    return [total_mm * width / total for width in widths]


def new_tc(tr, width: str):
    tc = etree.SubElement(tr, TC)
    tc_pr = etree.SubElement(tc, TCPR)
    etree.SubElement(tc_pr, wtag("tcW"), {wtag("type"): "dxa", wtag("w"): width})
    return tc


def row_props(tr, *, header: bool = False):
    tr_pr = etree.SubElement(tr, TRPR)
    etree.SubElement(tr_pr, wtag("cantSplit"))
    if header:
        etree.SubElement(tr_pr, wtag("tblHeader"))
    return tr_pr


_BEFORE_TCMAR = frozenset(wtag(tag) for tag in ("tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap"))
_TCMAR, _W_W, _W_TYPE = wtag("tcMar"), wtag("w"), wtag("type")
EDGES = tuple((edge, wtag(edge)) for edge in ("top", "left", "bottom", "right"))


def set_cell_margin(tc, **twips: int) -> None:
    """Set the cell's own margins (``top``, ``left``, ``bottom``, ``right`` in twips)."""
    tc_pr = tc[0]
    index = 0
    for position, child in enumerate(tc_pr):
        tag = child.tag
        if tag == _TCMAR:  # merge with the margins set before
            for edge in child:
                twips.setdefault(edge.tag.rsplit("}", 1)[1], int(edge.get(_W_W)))
            tc_pr.remove(child)
            break
        if tag in _BEFORE_TCMAR:  # tcMar's place in CT_TcPr: after these
            index = position + 1
    margins = tc_pr.makeelement(_TCMAR, {})
    for edge, tag in EDGES:
        if edge in twips:
            etree.SubElement(margins, tag, {_W_W: str(max(twips[edge], 0)), _W_TYPE: "dxa"})
    tc_pr.insert(index, margins)


TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
)


def escape_text(text: str) -> str:
    return text.translate(TEXT_ESCAPES) if ("&" in text or "<" in text or ">" in text) else text


def escape_attr(value: str) -> str:
    return value.translate(_ATTR_ESCAPES)


def no_cell_margins(tbl) -> None:
    """No cell margins (a grid of blocks, as the PDF's)."""
    tbl_pr = tbl.find(wtag("tblPr"))
    margins = tbl_pr.makeelement(wtag("tblCellMar"), {})
    for edge in ("top", "left", "bottom", "right"):
        etree.SubElement(margins, wtag(edge), {wtag("w"): "0", wtag("type"): "dxa"})
    tbl_pr.find(wtag("tblLook")).addprevious(margins)
