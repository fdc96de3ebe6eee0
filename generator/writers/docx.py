"""The DOCX writer: the document model to a Word file (WordprocessingML written with lxml).

Knows nothing of agreements. Paragraphs use named styles (Normal, Heading 1–4,
Title, and Swedish custom styles such as "Brödtext", "Ingress", "Adress") so
a user can restyle the document in Word, or pass a reference document whose
styles are used instead (as pandoc's ``--reference-doc``). The page header
carries the running header and ``n (N)`` as real PAGE and NUMPAGES fields.
python-docx builds the styled package once per process; each document's body
and header are written into a copy of it with lxml (python-docx's element
API costs ten times as much), and the package is zipped in one pass with
fixed timestamps, so the same document always gives the same bytes.
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import zipfile
from pathlib import Path
from typing import Callable

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from ..document import (Block, Columns, Document, Heading, Keep, ListBlock, PageBreak, Paragraph, Revision, Run,
                        Signatures, Space, Table, list_positions)
from .package import CUSTOM_PART, custom_properties_xml, with_custom_part, zip_package

#: The custom document property that carries the provenance line.
PROVENANCE_PROPERTY = "generator-källor"

SERIF = "Times New Roman"
SANS = "Arial"
TEXT_WIDTH_MM = 160  # A4 210 mm less 25 mm margins
KEEP_TABLE_ROWS = 20  # tables up to this many rows stay on one page


# --------------------------------------------------------------------------- styles

def _style(document, name: str, base: str = "Normal", *, font: str | None = None, size: float | None = None,
           bold: bool | None = None, italic: bool | None = None, after: float | None = None,
           before: float | None = None, align=None, keep_next: bool = False, indent_mm: float | None = None,
           hanging_mm: float | None = None):
    styles = document.styles
    try:
        return styles[name]  # a reference document's own style wins
    except KeyError:
        pass
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    style.quick_style = True
    f = style.font
    if font:
        f.name = font
    if size:
        f.size = Pt(size)
    if bold is not None:
        f.bold = bold
    if italic is not None:
        f.italic = italic
    pf = style.paragraph_format
    if after is not None:
        pf.space_after = Pt(after)
    if before is not None:
        pf.space_before = Pt(before)
    if align is not None:
        pf.alignment = align
    if keep_next:
        pf.keep_with_next = True
    if indent_mm is not None:
        pf.left_indent = Mm(indent_mm)
    if hanging_mm is not None:
        pf.first_line_indent = Mm(-hanging_mm)
        pf.tab_stops.add_tab_stop(Mm(indent_mm or hanging_mm))
    return style


def _setup_styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = SERIF
    normal.font.size = Pt(11.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.space_before = Pt(0)
    # Swedish as the document language, for spelling and hyphenation.
    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "sv-SE")
    lang.set(qn("w:eastAsia"), "sv-SE")
    for level, size in ((1, 14), (2, 12), (3, 11), (4, 11.5)):
        heading = document.styles[f"Heading {level}"]
        heading.font.name = SANS if level < 4 else SERIF
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.font.italic = level == 4
        heading.font.color.rgb = None
        heading.paragraph_format.space_before = Pt(12 if level == 1 else 8)
        heading.paragraph_format.space_after = Pt(4)
        heading.paragraph_format.keep_with_next = True
        rfonts = heading.element.rPr.find(qn("w:rFonts"))
        if rfonts is not None:  # drop the theme fonts so the named font applies
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attr), None)
    _caption_style(document)
    _style(document, "Brödtext")
    _style(document, "Ingress", font=SERIF, size=13, bold=True, after=4)
    _style(document, "Liten text", size=10)
    _style(document, "Högerställd", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _style(document, "Etikett", italic=True, after=2, keep_next=True)
    _style(document, "Titel", font=SANS, size=15, bold=True, after=4)
    _style(document, "Underrubrik", font=SANS, size=12, after=10)
    _style(document, "Bilagemarkör", font=SANS, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, after=12)
    _style(document, "Adress", after=0)
    _style(document, "Avsändare", size=9.5, after=0)
    _style(document, "Tabelltext", size=10.5, after=0)
    _style(document, "Tabellsumma", size=10.5, bold=True, after=0)
    _style(document, "Punktlista", after=3, indent_mm=7, hanging_mm=5.5)
    _style(document, "Numrerad lista", after=3, indent_mm=7, hanging_mm=5.5)
    _style(document, "Bokstavslista", after=3, indent_mm=7, hanging_mm=5.5)
    _style(document, "Underskrift", after=0, keep_next=True)
    _style(document, "Sidhuvud", font=SANS, size=9, after=0)  # sans, as the PDF's running header
    _table_style(document)


def _caption_style(document) -> None:
    """Set Word's built-in "Caption" style (a table's caption, above it): sans, bold, kept with the table."""
    try:
        caption = document.styles["Caption"]
    except KeyError:
        caption = _style(document, "Caption")
    caption.font.name, caption.font.size, caption.font.bold, caption.font.italic = SANS, Pt(10), True, False
    caption.font.color.rgb = None
    caption.paragraph_format.space_before, caption.paragraph_format.space_after = Pt(8), Pt(3)
    caption.paragraph_format.keep_with_next = True


TABLE_STYLE = "Tabell"


def _table_style(document) -> None:
    """Add the named table style: no borders, cell padding 2.5 pt above and below, 3 pt at the sides."""
    try:
        document.styles[TABLE_STYLE]
        return  # a reference document's own table style wins
    except KeyError:
        pass
    style = document.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    style.base_style = document.styles["Normal Table"]
    tbl_pr = style.element.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        style.element.append(tbl_pr)
    margins = OxmlElement("w:tblCellMar")
    for edge, twips in (("top", 50), ("left", 60), ("bottom", 50), ("right", 60)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)


PARAGRAPH_STYLES = {
    "body": "Brödtext", "lead": "Ingress", "small": "Liten text", "right": "Högerställd", "label": "Etikett",
    "title": "Titel", "subtitle": "Underrubrik", "marker": "Bilagemarkör", "address": "Adress",
    "sender": "Avsändare",
}
LIST_STYLES = {"bullet": "Punktlista", "number": "Numrerad lista", "letter": "Bokstavslista"}


# --------------------------------------------------------------------------- WordprocessingML, written with lxml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


P, PPR, R, RPR, T, TAB, BR = _w("p"), _w("pPr"), _w("r"), _w("rPr"), _w("t"), _w("tab"), _w("br")
TBL, TR, TC, TCPR, TRPR, VAL = _w("tbl"), _w("tr"), _w("tc"), _w("tcPr"), _w("trPr"), _w("val")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: The order of a paragraph's properties in the schema (CT_PPr), as python-docx keeps it.
_PPR_ORDER = {_w(tag): index for index, tag in enumerate((
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers",
    "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
    "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
    "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl",
    "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"))}


def _twips(mm: float) -> str:
    return str(Mm(mm).twips)


def _pt_twips(points: float) -> str:
    return str(Pt(points).twips)


def _prop(ppr, tag: str):
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


def _keep_next(p) -> None:
    _prop(p[0], _w("keepNext"))


class _Doc:
    """What writing one document needs: its style ids, the next revision id, a page break waiting."""

    def __init__(self, base: "_Base"):
        self.base = base
        self.revision_id = 0
        self.pending_break = False


def _container_add(container, tag: str):
    """Append a new block element to ``container`` (the body's w:sectPr is moved last when the body is done)."""
    return etree.SubElement(container, tag)


def _new_p(doc: _Doc, container, style: str):
    """Return a new paragraph in ``container`` with the named ``style`` (python-docx's add_paragraph + style)."""
    p = _container_add(container, P)
    ppr = etree.SubElement(p, PPR)
    style_id = doc.base.style_id(style)
    if style_id is not None:
        etree.SubElement(ppr, _w("pStyle")).set(VAL, style_id)
    if doc.pending_break:
        doc.pending_break = False
        _prop(ppr, _w("pageBreakBefore"))
    return p


def _add_text(r, text: str) -> None:
    """Append ``text`` to the run ``r`` as python-docx does: tabs as w:tab, line ends as w:br, the rest in w:t."""
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


def _run(p, text: str = "", bold: bool = False, italic: bool = False):
    r = etree.SubElement(p, R)
    if text:
        _add_text(r, text)
    if bold or italic:
        rpr = r.makeelement(RPR, {})
        r.insert(0, rpr)
        if bold:
            etree.SubElement(rpr, _w("b"))
        if italic:
            etree.SubElement(rpr, _w("i"))
    return r


def _revision(doc: _Doc, parent, rev: Revision, tag: str | None = None):
    """Return a new ``w:ins`` or ``w:del`` element (or ``tag``) attributed to ``rev``'s author and date."""
    doc.revision_id += 1
    return parent.makeelement(_w(tag or rev.kind), {_w("id"): str(doc.revision_id), _w("author"): rev.author or "generator",
                                                    _w("date"): f"{rev.date[:10]}T00:00:00Z"})


def _track(doc: _Doc, r, rev: Revision | None) -> None:
    """Wrap a written run in a Word revision: inserted (``w:ins``) or deleted (``w:del``, its text as ``w:delText``)."""
    if rev is None:
        return
    wrapper = _revision(doc, r, rev)
    r.addprevious(wrapper)
    wrapper.append(r)
    if rev.kind == "del":
        for text in r.findall(T):
            text.tag = _w("delText")


def _track_mark(doc: _Doc, p, rev: Revision | None) -> None:
    """Mark the paragraph mark itself inserted or deleted, so accepting (rejecting) removes the whole paragraph."""
    if rev is None:
        return
    ppr = p[0]
    rpr = ppr.find(RPR)
    if rpr is None:
        rpr = etree.SubElement(ppr, RPR)
    rpr.append(_revision(doc, rpr, rev))


def _whole(runs: list[Run]) -> Revision | None:
    """Return the revision of ``runs`` when every one of them is the same insertion or deletion."""
    revs = {run.rev for run in runs}
    return runs[0].rev if runs and len(revs) == 1 else None


def _add_runs(doc: _Doc, p, runs: list[Run], bold: bool = False, italic: bool = False) -> None:
    for run in runs:
        if run.text == "\n":
            r = _run(p)
            etree.SubElement(r, BR)
        else:
            r = _run(p, run.text, run.bold or bold, run.italic or italic)
        _track(doc, r, run.rev)


def _field(p, instruction: str) -> None:
    """Append a real field (PAGE, NUMPAGES) to the paragraph ``p``."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        r = etree.SubElement(p, R)
        if kind == "instr":
            element = etree.SubElement(r, _w("instrText"))
            element.set(XML_SPACE, "preserve")
            element.text = f" {text} "
        elif kind == "text":
            etree.SubElement(r, T).text = text
        else:
            etree.SubElement(r, _w("fldChar")).set(_w("fldCharType"), kind)


_NO_BORDERS = ("top", "left", "bottom", "right", "insideH", "insideV")


def _new_table(doc: _Doc, container, widths_mm: list[float], style_id: str | None = None, align: bool = False):
    """Return a new table (python-docx's add_table, autofit off, no borders) and its column widths in twips."""
    if container.tag == TC:  # python-docx puts an empty paragraph after a table in a cell
        tbl = _container_add(container, TBL)
        etree.SubElement(container, P)
    else:
        tbl = _container_add(container, TBL)
    tbl_pr = etree.SubElement(tbl, _w("tblPr"))
    if style_id is not None:
        etree.SubElement(tbl_pr, _w("tblStyle")).set(VAL, style_id)
    etree.SubElement(tbl_pr, _w("tblW"), {_w("type"): "auto", _w("w"): "0"})
    if align:
        etree.SubElement(tbl_pr, _w("jc")).set(VAL, "left")
    etree.SubElement(tbl_pr, _w("tblLayout")).set(_w("type"), "fixed")
    etree.SubElement(tbl_pr, _w("tblLook"), {_w("firstColumn"): "1", _w("firstRow"): "1", _w("lastColumn"): "0",
                                              _w("lastRow"): "0", _w("noHBand"): "0", _w("noVBand"): "1",
                                              _w("val"): "04A0"})
    borders = etree.SubElement(tbl_pr, _w("tblBorders"))
    for edge in _NO_BORDERS:
        etree.SubElement(borders, _w(edge)).set(VAL, "nil")
    grid = etree.SubElement(tbl, _w("tblGrid"))
    twips = [_twips(width) for width in widths_mm]
    for width in twips:
        etree.SubElement(grid, _w("gridCol")).set(_w("w"), width)
    return tbl, twips


def _mm_widths(widths: list[float], total_mm: float) -> list[float]:
    total = sum(widths)
    return [total_mm * width / total for width in widths]


def _new_tc(tr, width: str):
    tc = etree.SubElement(tr, TC)
    tc_pr = etree.SubElement(tc, TCPR)
    etree.SubElement(tc_pr, _w("tcW"), {_w("type"): "dxa", _w("w"): width})
    return tc


def _cell_border(tc, edge: str, size: int = 6, color: str = "000000") -> None:
    tc_pr = tc[0]
    borders = tc_pr.find(_w("tcBorders"))
    if borders is None:
        borders = etree.SubElement(tc_pr, _w("tcBorders"))
    etree.SubElement(borders, _w(edge), {VAL: "single", _w("sz"): str(size), _w("color"): color})


def _v_align_bottom(tc) -> None:
    tc_pr = tc[0]
    if tc_pr.find(_w("vAlign")) is None:
        etree.SubElement(tc_pr, _w("vAlign")).set(VAL, "bottom")


def _row_props(tr, *, header: bool = False):
    tr_pr = etree.SubElement(tr, TRPR)
    etree.SubElement(tr_pr, _w("cantSplit"))
    if header:
        etree.SubElement(tr_pr, _w("tblHeader"))
    return tr_pr


# --------------------------------------------------------------------------- one function per node

def _heading(doc: _Doc, container, block: Heading, keep: bool = False) -> None:
    p = _new_p(doc, container, f"Heading {min(max(block.level, 1), 4)}")
    _track(doc, _run(p, block.text), block.rev)
    _keep_next(p)
    _track_mark(doc, p, block.rev)


def _paragraph(doc: _Doc, container, block: Paragraph, keep: bool = False) -> None:
    p = _new_p(doc, container, PARAGRAPH_STYLES.get(block.style, "Brödtext"))
    _add_runs(doc, p, block.runs)
    if keep or block.text.rstrip().endswith(":"):  # a line ending in a colon stays with what it introduces
        _keep_next(p)
    _track_mark(doc, p, _whole(block.runs))


def _list_marker(kind: str, index: int) -> str:
    return "•" if kind == "bullet" else (f"{index + 1}." if kind == "number" else f"{'abcdefghijklmnopqrstuvwxyz'[index]})")


def _list(doc: _Doc, container, block: ListBlock, keep: bool = False) -> None:
    revs = [run.rev for item in block.items for run in item if run.rev is not None]
    for item, (before, after) in zip(block.items, list_positions(block.items)):
        p = _new_p(doc, container, LIST_STYLES[block.kind])
        old = _list_marker(block.kind, before) if before is not None else None
        new = _list_marker(block.kind, after) if after is not None else None
        if old is not None and new is not None and old != new:  # renumbered by an item in or out before it
            _track(doc, _run(p, old + "\t"), Revision("del", revs[0].author, revs[0].date))
            _track(doc, _run(p, new + "\t"), Revision("ins", revs[0].author, revs[0].date))
        else:
            _track(doc, _run(p, (new or old) + "\t"), _whole(item))
        _add_runs(doc, p, item)
        if keep:
            _keep_next(p)
        _track_mark(doc, p, _whole(item))


def _table(doc: _Doc, container, block: Table, keep: bool = False, width_mm: float = TEXT_WIDTH_MM) -> None:
    if block.caption:  # above the table, kept with it (the style keeps it with the next paragraph: the first row)
        caption = _new_p(doc, container, "Caption")
        _add_runs(doc, caption, block.caption)
        _track_mark(doc, caption, _whole(block.caption))
    ncols = len(block.widths)
    tbl, twips = _new_table(doc, container, _mm_widths(block.widths, width_mm), doc.base.table_style_id, align=True)
    table_style = doc.base.style_id("Tabellsumma"), doc.base.style_id("Tabelltext")
    rows = []
    for row_block in block.rows:
        tr = etree.SubElement(tbl, TR)
        tr_pr = _row_props(tr, header=row_block.kind == "head")
        if row_block.rev is not None:  # the row itself inserted or deleted (Word: w:trPr/w:ins, w:del)
            tr_pr.append(_revision(doc, tr_pr, row_block.rev))
        strong = row_block.kind in ("head", "sum", "group")
        col = 0
        cells = []
        for cell_block in row_block.cells:
            if col >= ncols:
                raise IndexError("tuple index out of range")  # more cells than columns, as python-docx
            span = max(min(col + cell_block.span, ncols) - col, 1)
            # a merged cell keeps the width of the last column it spans (python-docx sets each column's in turn)
            tc = _new_tc(tr, twips[col + span - 1])
            if span > 1:
                etree.SubElement(tc[0], _w("gridSpan")).set(VAL, str(span))
            p = etree.SubElement(tc, P)
            ppr = etree.SubElement(p, PPR)
            style_id = table_style[0] if strong else table_style[1]
            if style_id is not None:
                etree.SubElement(ppr, _w("pStyle")).set(VAL, style_id)
            if cell_block.align == "right":
                etree.SubElement(ppr, _w("jc")).set(VAL, "right")
                if row_block.kind != "head":  # an amount sits on the last line of its label, as in the PDF
                    _v_align_bottom(tc)
            if row_block.kind == "head":
                _v_align_bottom(tc)
            _add_runs(doc, p, cell_block.runs, italic=row_block.kind == "note")
            if row_block.kind == "head":
                _cell_border(tc, "bottom")
            elif row_block.kind == "sum":
                _cell_border(tc, "top")
            elif block.style == "budget" and row_block.kind == "body":
                _cell_border(tc, "bottom", 2, "999999")
            cells.append(tc)
            col += span
        for rest in range(col, ncols):  # columns no cell reached stay empty
            tc = _new_tc(tr, twips[rest])
            etree.SubElement(tc, P)
            cells.append(tc)
        rows.append(cells)
    if len(block.rows) <= KEEP_TABLE_ROWS:  # a short table is never split across pages
        for cells in rows[:-1]:
            for tc in cells:
                for p in tc.iterchildren(P):
                    ppr = p.find(PPR)
                    if ppr is None:
                        ppr = p.makeelement(PPR, {})
                        p.insert(0, ppr)
                    _prop(ppr, _w("keepNext"))
    _new_p(doc, container, "Adress")  # a little air after the table


def _columns(doc: _Doc, container, block: Columns, keep: bool = False) -> None:
    widths = _mm_widths(block.widths, TEXT_WIDTH_MM)
    tbl, twips = _new_table(doc, container, widths)
    tr = etree.SubElement(tbl, TR)
    for index, column in enumerate(block.columns):
        tc = _new_tc(tr, twips[index])
        first = etree.SubElement(tc, P)
        for child in column.blocks:
            _write(doc, tc, child, width_mm=widths[index])
        if sum(1 for _ in tc.iterchildren(P)) > 1 and not "".join(first.itertext()):
            tc.remove(first)


def _signatures(doc: _Doc, container, block: Signatures, keep: bool = False) -> None:
    if block.place:
        place = _new_p(doc, container, "Underskrift")
        _track(doc, _run(place, block.place), block.rev)
        _track_mark(doc, place, block.rev)
        spacing = _prop(place[0], _w("spacing"))
        spacing.set(_w("after"), _pt_twips(12))
    if not block.signatures:
        return
    count = len(block.signatures)
    tbl, twips = _new_table(doc, container, _mm_widths([1.0] * count, TEXT_WIDTH_MM))
    tr = etree.SubElement(tbl, TR)
    tr_pr = _row_props(tr)
    if block.rev is not None:
        tr_pr.append(_revision(doc, tr_pr, block.rev))
    for index, signature in enumerate(block.signatures):
        tc = _new_tc(tr, twips[index])
        lines = ([signature.label] if signature.label else []) + ["", "", signature.name]
        lines += [signature.title] if signature.title else []
        p = etree.SubElement(tc, P)
        ppr = etree.SubElement(p, PPR)
        style_id = doc.base.style_id("Underskrift")
        if style_id is not None:
            etree.SubElement(ppr, _w("pStyle")).set(VAL, style_id)
        _track(doc, _run(p, lines[0]), block.rev)
        for line in lines[1:]:
            _track(doc, _run(_new_p(doc, tc, "Underskrift"), line), block.rev)
    _new_p(doc, container, "Adress")


def _keep(doc: _Doc, container, block: Keep, keep: bool = False) -> None:
    for index, child in enumerate(block.blocks):
        _write(doc, container, child, keep=index < len(block.blocks) - 1)


def _space(doc: _Doc, container, block: Space, keep: bool = False) -> None:
    p = _new_p(doc, container, "Adress")
    spacing = _prop(p[0], _w("spacing"))
    spacing.set(_w("before"), _pt_twips(max(block.height - 12, 0)))
    spacing.set(_w("line"), _pt_twips(max(min(block.height, 12), 1)))
    spacing.set(_w("lineRule"), "exact")


def _pagebreak(doc: _Doc, container, block: PageBreak, keep: bool = False) -> None:
    # A page break waits for the next paragraph, which then starts the page ("page break before"): an
    # empty paragraph holding the break would itself spill onto a new page after a full page (a blank page).
    doc.pending_break = True


def _hard_break(doc: _Doc, container) -> None:
    doc.pending_break = False
    r = _run(_new_p(doc, container, "Adress"))
    etree.SubElement(r, BR).set(_w("type"), "page")


WRITERS: dict[type, Callable] = {
    Heading: _heading, Paragraph: _paragraph, ListBlock: _list, Table: _table, Columns: _columns,
    Signatures: _signatures, Keep: _keep, Space: _space, PageBreak: _pagebreak,
}


def _write(doc: _Doc, container, block: Block, keep: bool = False, width_mm: float = TEXT_WIDTH_MM) -> None:
    try:
        writer = WRITERS[type(block)]
    except KeyError:
        raise TypeError(f"DOCX-skrivaren har ingen regel för {type(block).__name__}") from None
    if doc.pending_break and writer in (_table, _columns, _signatures):  # these start with a table, not a paragraph
        _hard_break(doc, container)
    if writer is _table:
        _table(doc, container, block, keep, width_mm)
    else:
        writer(doc, container, block, keep)


def _header_paragraph(doc: _Doc, p, style: str, text: str, page_numbers: bool) -> None:
    """Fill the header's first paragraph: ``text`` at the left, ``n (N)`` at the right margin."""
    ppr = p.find(PPR)
    if ppr is None:
        ppr = p.makeelement(PPR, {})
        p.insert(0, ppr)
    for old in ppr.findall(_w("pStyle")):
        ppr.remove(old)
    style_id = doc.base.style_id(style)
    if style_id is not None:
        _prop(ppr, _w("pStyle")).set(VAL, style_id)
    tabs = _prop(ppr, _w("tabs"))
    position = Mm(TEXT_WIDTH_MM).twips
    tab = tabs.makeelement(_w("tab"), {_w("pos"): str(position), VAL: "right"})
    for existing in tabs.iterchildren(_w("tab")):
        if position < int(existing.get(_w("pos"))):
            existing.addprevious(tab)
            break
    else:
        tabs.append(tab)
    if text is not None:
        _run(p, text)
    if page_numbers:
        _run(p, "\t")
        _field(p, "PAGE")
        _run(p, " (")
        _field(p, "NUMPAGES")
        _run(p, ")")


def _hyphenate(document) -> None:
    """Turn on automatic hyphenation (Swedish, from the styles' language), as in the PDF."""
    settings = document.settings.element
    if settings.find(qn("w:autoHyphenation")) is not None:
        return
    element = OxmlElement("w:autoHyphenation")
    tab_stop = settings.find(qn("w:defaultTabStop"))
    if tab_stop is not None:
        tab_stop.addnext(element)  # its place in the schema's sequence
    else:
        settings.insert(0, element)


def _core_properties(document, meta) -> None:
    props = document.core_properties
    props.title = meta.title
    props.subject = meta.subject
    props.author = meta.author
    props.keywords = ", ".join(part for part in (meta.draft, meta.keywords) if part)
    props.content_status = meta.draft  # Word's "Status"
    props.language = meta.language
    props.last_modified_by = meta.author
    props.comments = ""
    props.revision = 1
    stamp = dt.datetime.fromisoformat(meta.date).replace(tzinfo=None)
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp




# --------------------------------------------------------------------------- the document

class _Base:
    """The styled package every document of a process starts from: built once with python-docx, then copied.

    Holds the parts as python-docx saves them, the body's section properties,
    the header part(s) to fill, and the style ids by name.
    """

    def __init__(self, reference: Path | None, first_page: bool, state: tuple):
        word = copy.deepcopy(_styled(reference, state))
        section = word.sections[0]
        self._word = word
        self._ids = {style.name: style.style_id for style in word.styles if style.name}
        try:
            self.table_style_id = word.part.get_style_id(word.styles[TABLE_STYLE], WD_STYLE_TYPE.TABLE)
        except KeyError:
            self.table_style_id = None
        self.first_header = None
        if not first_page:  # page 1 carries its own letterhead: only "1 (N)" at its top
            section.different_first_page_header_footer = True
            self.first_header = section.first_page_header.part
            _ = section.first_page_header.paragraphs[0]
        section.header.is_linked_to_previous = False
        self.header = section.header.part
        _ = section.header.paragraphs[0]
        self.document_part = word.part
        _ = word.core_properties  # python-docx adds the part when a reference document has none
        buffer = io.BytesIO()
        word.save(buffer)
        plain = zipfile.ZipFile(buffer)
        self.plain_names = plain.namelist()  # a document without provenance: the package as python-docx saves it
        self.plain_parts = {name: plain.read(name) for name in self.plain_names}
        self.names = [name for name in self.plain_names if name != CUSTOM_PART]  # custom.xml: each its own
        self.parts = {name: with_custom_part(name, self.plain_parts[name]) for name in self.names}
        self.document_xml = self.document_part.element
        self.header_elements = {self.header.partname.lstrip("/"): self.header.element}
        if self.first_header is not None:
            self.header_elements[self.first_header.partname.lstrip("/")] = self.first_header.element
        self.static = frozenset(self.plain_names) - {"word/document.xml", "docProps/core.xml", CUSTOM_PART,
                                                     *self.header_elements}

    def style_id(self, name: str) -> str | None:
        """Return the style id of the style named ``name`` (None: the default style, which needs none)."""
        try:
            return self._ids[name]
        except KeyError:  # a style the map does not know (e.g. from a reference document): python-docx resolves it
            self._ids[name] = self.document_part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
            return self._ids[name]

    def core(self, meta) -> bytes:
        _core_properties(self._word, meta)
        return serialize_part_xml(self._word.core_properties._element)


@functools.lru_cache(maxsize=4)
def _styled(reference: Path | None, state: tuple = ()):
    """Return the python-docx document every document starts from: page setup, styles, hyphenation, no body."""
    word = docx.Document(str(reference)) if reference else docx.Document()
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    section = word.sections[0]
    if reference is None:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin, section.bottom_margin = Mm(28), Mm(20)
        section.header_distance = Mm(12)
    _setup_styles(word)
    _hyphenate(word)
    return word


@functools.lru_cache(maxsize=8)
def _base(reference: Path | None, first_page: bool, state: tuple = ()) -> _Base:
    """``state``: the reference document's time and size, so an edited one is read again (generator build --watch)."""
    return _Base(reference, first_page, state)


def prepare(reference: Path | None = None) -> None:
    """Build the styled package now (both page-header variants), e.g. before forking worker processes."""
    for first_page in (True, False):
        _base_for(reference, first_page)


def _base_for(reference: Path | None, first_page: bool) -> _Base:
    if reference:
        reference = Path(reference).resolve()
        stat = reference.stat()
        return _base(reference, first_page, (stat.st_mtime_ns, stat.st_size))
    return _base(None, first_page)


def render_docx(document: Document, reference: Path | None = None) -> bytes:
    """Return the DOCX bytes of ``document``; ``reference`` supplies styles and page setup if given.

    The styled package is built once per process (and reference document); each document copies it,
    writes its body and page header as WordprocessingML and is zipped in one pass with fixed timestamps.
    """
    base = _base_for(reference, document.header_first_page)
    doc = _Doc(base)
    root = copy.deepcopy(base.document_xml)
    body = root.find(_w("body"))
    sect_pr = body[-1]
    headers = {}
    for name, element in base.header_elements.items():
        headers[name] = copy.deepcopy(element)
    draft = document.meta.draft
    if base.first_header is not None:
        first = headers[base.first_header.partname.lstrip("/")]
        _header_paragraph(doc, first.find(P), "Sidhuvud", None, document.page_numbers)
        if draft:  # the status is on every page, the first included
            _run(_new_p(doc, first, "Sidhuvud"), draft, bold=True)
    head = headers[base.header.partname.lstrip("/")]
    _header_paragraph(doc, head.find(P), "Sidhuvud", document.header[0] if document.header else "",
                      document.page_numbers)
    for line in document.header[1:]:
        _run(_new_p(doc, head, "Sidhuvud"), line)
    if draft:  # on every page, in the header, never in the text
        _run(_new_p(doc, head, "Sidhuvud"), draft, bold=True)
    for block, following in zip(document.blocks, document.blocks[1:] + [None]):
        # the sentence right before a captioned table introduces it: kept with the caption
        _write(doc, body, block, keep=isinstance(block, Paragraph) and isinstance(following, Table) and bool(following.caption))
    if doc.pending_break:  # the document ends with a page break
        _hard_break(doc, body)
    body.append(sect_pr)  # the section properties stay the body's last child
    names, parts = (base.names, base.parts) if document.meta.source else (base.plain_names, base.plain_parts)
    written = {"word/document.xml": serialize_part_xml(root), "docProps/core.xml": base.core(document.meta)}
    written.update({name: serialize_part_xml(element) for name, element in headers.items()})
    entries = [(name, written.get(name, parts[name])) for name in names]
    if document.meta.source:
        entries.append((CUSTOM_PART, custom_properties_xml({PROVENANCE_PROPERTY: document.meta.source})))
    return zip_package(entries, base.static)
