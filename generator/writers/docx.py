"""The DOCX writer: the document model to a Word file (WordprocessingML written with lxml).

Knows nothing of agreements. Paragraphs use named styles (Normal, Heading 1–4,
Title, and Swedish custom styles such as "Brödtext", "Ingress", "Adress") so
a user can restyle the document in Word, or pass a reference document whose
styles are used instead (as pandoc's ``--reference-doc``). The page header
carries the running header and ``n (N)`` as real PAGE and NUMPAGES fields.
python-docx builds the styled package, which is kept in the per-user cache
(so a later process needs neither python-docx nor the building); each
document's body and header are written into a copy of it with lxml
(python-docx's element API costs ten times as much), and the package is
zipped in one pass with fixed timestamps, so the same document always gives
the same bytes.
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Callable

from lxml import etree

from generator.documents.model import (Block, Columns, Document, Heading, Keep, ListBlock, PageBreak, Paragraph, Revision, Run,
                        Signatures, Space, Table, has_signatures, introduces, list_positions)
from generator.writers.ooxml_zip import CUSTOM_PART, custom_properties_xml, deflate, with_custom_part, zip_package

#: The custom document property that carries the provenance line.
PROVENANCE_PROPERTY = "generator-källor"

SERIF = "Times New Roman"
SANS = "Arial"
TEXT_WIDTH_MM = 160  # A4 210 mm less 25 mm margins
TOP_MM = 28
KEEP_TABLE_ROWS = 20  # tables up to this many rows stay on one page
KEEP_TABLE_CHARS = 2500  # … and up to this much text (the Typst writer's rule)


# --------------------------------------------------------------------------- the PDF's measure
#
# The DOCX is set to paginate as the Typst PDF does (same pages, same "n (N)"). Typst makes a line as
# tall as the font's typographic ascender + descender (OS/2 sTypoAscender/-Descender) and puts the
# leading between lines; the space between two blocks is the larger of the space below the one and
# above the other (a <space/> adds to it), and vanishes at a page break. Word and LibreOffice with
# "exact" line spacing make every line L tall with its baseline at 80 % of L. So each style here has
# an exact line of (ascender + descender) × size + leading, and the writer sets the space between
# blocks to the PDF's less what the exact lines add above and below the text (see _Flow).

FONT_FILES = {("serif", False, False): "LiberationSerif-Regular", ("serif", True, False): "LiberationSerif-Bold",
              ("serif", False, True): "LiberationSerif-Italic", ("serif", True, True): "LiberationSerif-BoldItalic",
              ("sans", False, False): "LiberationSans-Regular", ("sans", True, False): "LiberationSans-Bold",
              ("sans", False, True): "LiberationSans-Italic", ("sans", True, True): "LiberationSans-BoldItalic"}


@functools.lru_cache(maxsize=None)
def _typo_metrics(family: str, bold: bool, italic: bool) -> tuple[float, float]:
    """Return the typographic ascender and descender (in em) of the shipped font Typst sets the PDF with."""
    return _metrics()["typo"][family, bold, italic]


def _read_typo_metrics(family: str, bold: bool, italic: bool) -> tuple[float, float]:
    """Return the typographic ascender and descender (in em) read from the font file (see _typo_metrics)."""
    from importlib.resources import files

    data = (files("generator") / "fonts" / f"{FONT_FILES[family, bold, italic]}.ttf").read_bytes()
    tables = {}
    for index in range(struct.unpack(">H", data[4:6])[0]):
        tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * index:28 + 16 * index])
        tables[tag] = offset
    units = struct.unpack(">H", data[tables[b"head"] + 18:tables[b"head"] + 20])[0]
    ascender, descender = struct.unpack(">hh", data[tables[b"OS/2"] + 68:tables[b"OS/2"] + 72])
    return ascender / units, -descender / units


class Face:
    """A font at a size with the PDF's leading: its exact Word line, and what that line adds above and below."""

    def __init__(self, family: str, size: float, bold: bool = False, italic: bool = False, leading: float = 0.2,
                 line: float | None = None):
        self.size = size
        self.ascent, self.descent = (m * size for m in _typo_metrics(family, bold, italic))
        self.leading = leading * size if line is None else line - self.ascent - self.descent
        self.line = self.ascent + self.descent + self.leading  # points

    def top(self, line: float | None = None) -> float:
        """Return the room Word leaves above the text of a first line ``line`` points tall (baseline at 80 %)."""
        return 0.8 * (line or self.line) - self.ascent

    def bottom(self, line: float | None = None) -> float:
        """Return the room Word leaves below the text of a last line (may be a little negative)."""
        return 0.2 * (line or self.line) - self.descent


#: Each paragraph style as the Typst PDF sets it: face, the space above and below the block, and, for
#: styles whose blocks sit closer than the leading (addresses, signatures), the line they take instead.
BODY_SIZE = 11.5
STYLE_SPEC = {
    # name: (family, size, bold, italic, above, below)
    "Normal": ("serif", BODY_SIZE, False, False, 0, 7),
    "Brödtext": ("serif", BODY_SIZE, False, False, 0, 7),
    "Ingress": ("serif", 13, True, False, 0, 5),
    "Liten text": ("serif", 10, False, False, 0, 7),
    "Högerställd": ("serif", BODY_SIZE, False, False, 0, 7),
    "Etikett": ("serif", BODY_SIZE, False, True, 0, 3),
    "Titel": ("sans", 15, True, False, 0, 5),
    "Underrubrik": ("sans", 12, False, False, 0, 11),
    "Bilagemarkör": ("sans", BODY_SIZE, True, False, 0, 13),
    "Adress": ("serif", BODY_SIZE, False, False, 0, 1),
    "Avsändare": ("serif", 9.5, False, False, 0, 1),
    "Underskrift": ("serif", BODY_SIZE, False, False, 0, 1),
    "Heading 1": ("sans", 14, True, False, 17, 7),
    "Heading 2": ("sans", 12, True, False, 15, 6),
    "Heading 3": ("sans", 11, True, False, 12, 6),
    "Heading 4": ("serif", BODY_SIZE, True, True, 10, 5),
    "Punktlista": ("serif", BODY_SIZE, False, False, 2, 8),
    "Numrerad lista": ("serif", BODY_SIZE, False, False, 2, 8),
    "Bokstavslista": ("serif", BODY_SIZE, False, False, 2, 8),
}
LIST_ITEM_GAP = 0.55  # em between list items
TABLE_LEADING = 0.13  # em, in tables
TABLE_SIZE, NOTE_SIZE = 10.5, 9.5
TABLE_ABOVE, TABLE_BELOW = 4, 10
COLUMNS_ABOVE, COLUMNS_BELOW, COLUMN_GUTTER = 0.5 * BODY_SIZE, 6, 6
SIGNATURES_ABOVE, SIGNATURES_BELOW, SIGNATURE_ROOM, SIGNATURE_ROW_GAP, SIGNATURE_GUTTER = 6, 12, 42, 18, 8
PLACE_BELOW = 10
#: the running header: 9 pt sans, lines 11 pt apart by Typst's measure, its text 14 mm − 8 pt from the page top;
#: a third line and more push the text down by 11 pt each
HEADER_SIZE, HEADER_LEADING, HEADER_TOP, HEADER_EXTRA = 9, (11 - 9 * 1.15) / 9, 14 * 72 / 25.4 - 8, 11


@functools.lru_cache(maxsize=None)
def _face(style: str) -> Face:
    """Return the face of a paragraph style; a style whose blocks sit closer than its leading takes a shorter line."""
    family, size, bold, italic, _, below = STYLE_SPEC[style]
    face = Face(family, size, bold, italic)
    if below < face.leading and not style.endswith("lista"):
        face = Face(family, size, bold, italic, line=face.ascent + face.descent + below)
    return face


@functools.lru_cache(maxsize=None)
def _table_face(style: str) -> Face:
    """Return the face of a table cell style (Tabelltext, Tabellsumma, Tabellnot)."""
    return {"Tabelltext": lambda: Face("serif", TABLE_SIZE, leading=TABLE_LEADING),
            "Tabellsumma": lambda: Face("serif", TABLE_SIZE, bold=True, leading=TABLE_LEADING),
            "Tabellnot": lambda: Face("serif", NOTE_SIZE, italic=True, leading=TABLE_LEADING)}[style]()


def _after(style: str) -> float:
    """Return the space after a paragraph of ``style`` when the next block is of the same kind."""
    family, size, bold, italic, _, below = STYLE_SPEC[style]
    if style.endswith("lista"):
        below = LIST_ITEM_GAP * size
    face = _face(style)
    return max(below - face.bottom() - face.top(), 0.0)


# --------------------------------------------------------------------------- styles

def _style(document, name: str, base: str = "Normal", *, font: str | None = None, size: float | None = None,
           bold: bool | None = None, italic: bool | None = None, after: float | None = None,
           before: float | None = None, align=None, keep_next: bool = False, indent_mm: float | None = None,
           hanging_mm: float | None = None):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Mm, Pt

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
    if name in STYLE_SPEC:
        _measure(style, _face(name), _after(name))
    return style


def _measure(style, face: Face, after: float) -> None:
    """Give ``style`` the PDF's exact line and the space after it, and no space before (see _Flow)."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    pf = style.paragraph_format
    pf.line_spacing = Pt(face.line)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.space_before = Pt(0)
    pf.space_after = Pt(after)


def _setup_styles(document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = document.styles["Normal"]
    normal.font.name = SERIF
    normal.font.size = Pt(BODY_SIZE)
    _measure(normal, _face("Normal"), _after("Normal"))
    normal.paragraph_format.widow_control = True  # no widows or orphans, as in the PDF
    defaults = document.styles.element.find(qn("w:docDefaults"))
    spacing = defaults.find(qn("w:pPrDefault") + "/" + qn("w:pPr") + "/" + qn("w:spacing"))
    if spacing is not None:  # python-docx's template: 10 pt after, 1.15 lines; every style here says its own
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
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
        _measure(heading, _face(f"Heading {level}"), _after(f"Heading {level}"))
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
    _measure(_style(document, "Tabelltext", size=TABLE_SIZE, after=0), _table_face("Tabelltext"), 0)
    _measure(_style(document, "Tabellsumma", size=TABLE_SIZE, bold=True, after=0), _table_face("Tabellsumma"), 0)
    _measure(_style(document, "Tabellnot", size=NOTE_SIZE, italic=True, after=0), _table_face("Tabellnot"), 0)
    _style(document, "Punktlista", after=3, indent_mm=7, hanging_mm=5.5)
    _style(document, "Numrerad lista", after=3, indent_mm=7, hanging_mm=5.5)
    _style(document, "Bokstavslista", after=3, indent_mm=7, hanging_mm=5.5)
    _style(document, "Underskrift", after=0, keep_next=True)
    _measure(_style(document, "Sidhuvud", font=SANS, size=HEADER_SIZE, after=0),  # sans, as the PDF's running header
             Face("sans", HEADER_SIZE, leading=HEADER_LEADING), 0)
    _table_style(document)


def _caption_style(document) -> None:
    """Set Word's built-in "Caption" style (a table's caption, above it): sans, bold, kept with the table."""
    from docx.shared import Pt

    try:
        caption = document.styles["Caption"]
    except KeyError:
        caption = _style(document, "Caption")
    caption.font.name, caption.font.size, caption.font.bold, caption.font.italic = SANS, Pt(10), True, False
    caption.font.color.rgb = None
    _measure(caption, _caption_face(), 0)  # the space above and below it: see _table
    caption.paragraph_format.keep_with_next = True


CAPTION_SIZE, CAPTION_ABOVE, CAPTION_GAP = 10, 6, 5  # the PDF's caption: 10 pt sans bold, 6 pt above it, 5 pt to the table


@functools.lru_cache(maxsize=None)
def _caption_face() -> Face:
    return Face("sans", CAPTION_SIZE, bold=True, leading=TABLE_LEADING)


TABLE_STYLE = "Tabell"
CELL_INSET, CELL_SIDE = 2.5, 60  # points above and below a cell's text in the PDF; twips at its sides


@functools.lru_cache(maxsize=None)
def _cell_margins(style: str, top: float, bottom: float) -> tuple[int, int]:
    """Return the cell margins (twips, top and bottom) that put a cell's text where the PDF's insets put it."""
    face = _table_face(style)
    above = max(top - face.top(), 0)  # Word's row: above + exact line + below = the PDF's: top + text + bottom
    return round(above * 20), round(max(top + bottom - face.leading - above, 0) * 20)


def _table_style(document) -> None:
    """Add the named table style: no borders, cell padding 3 pt at the sides and, above and below, the PDF's
    2.5 pt less what the exact line adds there (so a row is as tall as in the PDF)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

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
    top, bottom = _cell_margins("Tabelltext", CELL_INSET, CELL_INSET)
    for edge, twips in (("top", top), ("left", CELL_SIDE), ("bottom", bottom), ("right", CELL_SIDE)):
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


@functools.lru_cache(maxsize=None)  # called for every element and attribute written
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
    return str(round(int(mm * 36000) / 635))  # python-docx's Mm(mm).twips, without python-docx


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


class _Tail:
    """What the last block of a flow (the body, a cell) left for the space to the next one.

    ``p``: its last paragraph (whose space after is set), or None after a table; ``after``: that space
    now; ``below``: the PDF's space below the block; ``bottom``: the room Word's exact line leaves below
    its text; ``table``: the block ends with a table (a table after it needs a paragraph between).
    """

    __slots__ = ("p", "after", "below", "bottom", "table", "line")

    def __init__(self, p, after: float, below: float, bottom: float, table: bool = False, line: float | None = None):
        self.p, self.after, self.below, self.bottom, self.table = p, after, below, bottom, table
        self.line = line  # the exact line of a one-line paragraph, which may be shortened (see _join)


class _Doc:
    """What writing one document needs: its style ids, the next revision id, a page break waiting, the flows' tails."""

    def __init__(self, base: "_Base"):
        self.base = base
        self.revision_id = 0
        self.pending_break = False
        self.tails: dict = {}  # container → _Tail
        self.heads: dict = {}  # container → the room Word leaves above the text of its first block
        self.tables: list[str] = []  # the tables written as text, by the number in their comment (see _table)


def _spacing(p, **points: float) -> None:
    """Set the paragraph's own spacing (``before``, ``after`` in points; ``line``: an exact line)."""
    spacing = _prop(p[0], _w("spacing"))
    for name, value in points.items():
        spacing.set(_w(name), str(max(round(value * 20), 0)))
        if name == "line":
            spacing.set(_w("lineRule"), "exact")


def _join(doc: _Doc, container, above: float, top: float, first_p=None, element=None) -> None:
    """Set the space between the flow's last block and a new one as in the PDF: the larger of the space below
    the one and above the other, less what Word's exact lines add (``top``: room above the new block's text).

    The space between two paragraphs is on one of them only (Word adds the space after one to the space
    before the next, LibreOffice takes the larger): more space than the last paragraph's own goes all before
    the new block's first paragraph ``first_p`` (after the last paragraph if the new block is a table), less
    comes off the space after the last paragraph; Word and LibreOffice, like Typst, drop both at a page
    break. Between two tables, the space is a paragraph of its height (Word would merge adjacent tables).
    """
    tail = doc.tails.get(container)
    if tail is None:  # the flow's (or a page's) first block: no space above it, as in the PDF
        doc.heads.setdefault(container, top)
        return
    delta = max(tail.below, above) - tail.bottom - tail.after - top
    if tail.table and first_p is None:  # table after table: a paragraph between them holds the space
        spacer = element.makeelement(P, {})
        etree.SubElement(spacer, PPR)
        element.addprevious(spacer)
        _spacing(spacer, after=0, line=max(delta, 0.05))
        return
    if abs(delta) < 0.025:
        return
    if delta > 0 and first_p is not None:  # more space: all of it before the new paragraph (LibreOffice keeps
        if tail.p is not None:             # a heading with the next worse after a paragraph with much space after)
            _spacing(tail.p, after=0)
            delta += tail.after
            tail.after = 0.0
        _spacing(first_p, before=delta)
    elif tail.p is not None and tail.after + delta >= 0:
        tail.after += delta
        _spacing(tail.p, after=tail.after)
    elif tail.p is not None and tail.line is not None:  # closer than the lines allow: a shorter last line
        tail.line += tail.after + delta
        tail.after = 0.0
        _spacing(tail.p, after=0, line=tail.line)


def _close(doc: _Doc, container, p, after: float, below: float, bottom: float, table: bool = False,
           line: float | None = None) -> None:
    doc.tails[container] = _Tail(p, after, below, bottom, table, line)


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


#: An e-mail address: never hyphenated, as in the PDF. (A long web address is left to LibreOffice's and Word's
#: breaking, which then wrap it over as many lines as the PDF's breaks at its slashes and punctuation do.)
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _add_runs(doc: _Doc, p, runs: list[Run], bold: bool = False, italic: bool = False) -> None:
    for run in runs:
        if run.text == "\n":
            r = _run(p)
            etree.SubElement(r, BR)
            _track(doc, r, run.rev)
            continue
        position = 0
        for found in _ADDRESS.finditer(run.text) if "@" in run.text else ():
            if found.start() > position:
                _track(doc, _run(p, run.text[position:found.start()], run.bold or bold, run.italic or italic), run.rev)
            r = _run(p, found.group(0), run.bold or bold, run.italic or italic)
            rpr = r.find(RPR)
            if rpr is None:
                rpr = r.makeelement(RPR, {})
                r.insert(0, rpr)
            etree.SubElement(rpr, _w("lang")).set(VAL, "zxx")  # no language: not hyphenated, not spell-checked
            _track(doc, r, run.rev)
            position = found.end()
        if position < len(run.text) or not run.text:
            _track(doc, _run(p, run.text[position:], run.bold or bold, run.italic or italic), run.rev)


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
    if container.tag == TC:  # python-docx puts an empty paragraph after a table in a cell (here: nearly no height)
        tbl = _container_add(container, TBL)
        _spacing(etree.SubElement(etree.SubElement(container, P), PPR).getparent(), after=0, line=0.05)
    else:
        tbl = _container_add(container, TBL)
    tbl_pr = etree.SubElement(tbl, _w("tblPr"))
    if style_id is not None:
        etree.SubElement(tbl_pr, _w("tblStyle")).set(VAL, style_id)
    etree.SubElement(tbl_pr, _w("tblW"), {_w("type"): "auto", _w("w"): "0"})
    if align:
        etree.SubElement(tbl_pr, _w("jc")).set(VAL, "left")
        # the first column has no margin at its left: the table starts at the page's margin (Word 2010's
        # layout, and LibreOffice's, puts the table's edge a cell margin to the left of it)
        etree.SubElement(tbl_pr, _w("tblInd"), {_w("w"): str(CELL_SIDE), _w("type"): "dxa"})
    borders = etree.SubElement(tbl_pr, _w("tblBorders"))  # CT_TblPr's order: … tblInd, tblBorders, tblLayout …
    for edge in _NO_BORDERS:
        etree.SubElement(borders, _w(edge)).set(VAL, "nil")
    etree.SubElement(tbl_pr, _w("tblLayout")).set(_w("type"), "fixed")
    etree.SubElement(tbl_pr, _w("tblLook"), {_w("firstColumn"): "1", _w("firstRow"): "1", _w("lastColumn"): "0",
                                              _w("lastRow"): "0", _w("noHBand"): "0", _w("noVBand"): "1",
                                              _w("val"): "04A0"})
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


def _row_props(tr, *, header: bool = False):
    tr_pr = etree.SubElement(tr, TRPR)
    etree.SubElement(tr_pr, _w("cantSplit"))
    if header:
        etree.SubElement(tr_pr, _w("tblHeader"))
    return tr_pr


# --------------------------------------------------------------------------- one function per node

def _heading(doc: _Doc, container, block: Heading, keep: bool = False) -> None:
    style = f"Heading {min(max(block.level, 1), 4)}"
    p = _new_p(doc, container, style)
    _track(doc, _run(p, block.text), block.rev)
    _keep_next(p)
    _track_mark(doc, p, block.rev)
    _join_paragraph(doc, container, p, style)


def _join_paragraph(doc: _Doc, container, p, style: str, line: float | None = None, after: float | None = None,
                    above: float | None = None, below: float | None = None) -> None:
    """Join a one-paragraph block of ``style`` to its flow (see _join) and make it the flow's tail."""
    face = _face(style)
    _, _, _, _, style_above, style_below = STYLE_SPEC[style]
    _join(doc, container, style_above if above is None else above, face.top(line), first_p=p)
    one_line = line is None and face.leading < 0.2 * face.size and not any(r.tag == BR for r in p.iter(BR))
    _close(doc, container, p, _after(style) if after is None else after, style_below if below is None else below,
           face.bottom(line), line=face.line if one_line else None)


def _paragraph(doc: _Doc, container, block: Paragraph, keep: bool = False) -> None:
    style = PARAGRAPH_STYLES.get(block.style, "Brödtext")
    p = _new_p(doc, container, style)
    _add_runs(doc, p, block.runs)
    if keep or introduces(block):  # a line ending in a colon stays with what it introduces
        _keep_next(p)
    _track_mark(doc, p, _whole(block.runs))
    line = None
    if any(run.text == "\n" for run in block.runs) and _face(style).leading < 0.2 * _face(style).size:
        # a style set closer than its leading (an address) keeps the leading between the lines of one paragraph
        family, size, bold, italic, _, _ = STYLE_SPEC[style]
        line = Face(family, size, bold, italic).line
        _spacing(p, line=line)
    _join_paragraph(doc, container, p, style, line=line)


def _list_marker(kind: str, index: int) -> str:
    return "•" if kind == "bullet" else (f"{index + 1}." if kind == "number" else f"{'abcdefghijklmnopqrstuvwxyz'[index]})")


def _list(doc: _Doc, container, block: ListBlock, keep: bool = False) -> None:
    revs = [run.rev for item in block.items for run in item if run.rev is not None]
    style = LIST_STYLES[block.kind]
    first = p = None
    for item, (before, after) in zip(block.items, list_positions(block.items)):
        p = _new_p(doc, container, style)
        first = p if first is None else first
        old = _list_marker(block.kind, before) if before is not None else None
        new = _list_marker(block.kind, after) if after is not None else None
        if old is not None and new is not None and old != new:  # renumbered by an item in or out before it
            _track(doc, _run(p, old + "\t"), Revision("del", revs[0].author, revs[0].date))
            _track(doc, _run(p, new + "\t"), Revision("ins", revs[0].author, revs[0].date))
        else:
            _track(doc, _run(p, (new or old) + "\t"), _whole(item))
        _add_runs(doc, p, item)
        if keep:  # the list stays with what follows, as a whole (as the PDF moves a sticky block whole)
            _keep_next(p)
        _track_mark(doc, p, _whole(item))
    if p is None:
        return
    face = _face(style)
    _, _, _, _, above, below = STYLE_SPEC[style]
    _join(doc, container, above, face.top(), first_p=first)
    _close(doc, container, p, _after(style), below, face.bottom())


_BEFORE_TCMAR = frozenset(_w(tag) for tag in ("tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap"))
_TCMAR, _W_W, _W_TYPE = _w("tcMar"), _w("w"), _w("type")
_EDGES = tuple((edge, _w(edge)) for edge in ("top", "left", "bottom", "right"))


def _cell_margin(tc, **twips: int) -> None:
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
    for edge, tag in _EDGES:
        if edge in twips:
            etree.SubElement(margins, tag, {_W_W: str(max(twips[edge], 0)), _W_TYPE: "dxa"})
    tc_pr.insert(index, margins)


def _table_lead(block: Table) -> int:
    """Return how many rows head the table (repeated on each page): those before the first body row, if one is a head row."""
    lead = 0
    while lead < len(block.rows) and block.rows[lead].kind in ("head", "group"):
        lead += 1
    return lead if any(row.kind == "head" for row in block.rows[:lead]) else 0


def _table_links(block: Table, lead: int) -> list[bool]:
    """Return, per row, whether it stays on a page with the next (a group heading with its first row, a row with
    the sum or note under it), as the PDF keeps them (runs of up to 1 500 characters)."""
    rows = block.rows
    link = [(row.kind == "group" and r + 1 < len(rows)) or (r + 1 < len(rows) and rows[r + 1].kind in ("sum", "note"))
            for r, row in enumerate(rows)]
    for r in range(lead):
        link[r] = False
    r = 0
    while r < len(rows):
        start = r
        while r < len(rows) - 1 and link[r] and rows[r + 1].kind != "head":
            r += 1
        if sum(len(c.text) for row in rows[start:r + 1] for c in row.cells) > 1500:
            for index in range(start, r):
                link[index] = False
        r += 1
    return link


#: The PDF's cell insets (points above, below) by row kind; a group row after the first has more air above.
ROW_INSETS = {"sum": (3.5, CELL_INSET), "note": (0.5, 4.0)}
RULE, THIN_RULE = 15, 4  # twips (LibreOffice's row takes 0.2 pt for the thin one): the 0.75 pt rule under a head row and over a sum, the 0.25 pt rule between budget rows
ROW_STYLES = {"head": "Tabellsumma", "sum": "Tabellsumma", "group": "Tabellsumma", "note": "Tabellnot"}


_COMMA = re.compile(r"^(.*?\d)(,\d+)(\D*)$")


_DIGIT = re.compile(r"\d")


@functools.lru_cache(maxsize=4096)
def _fraction(text: str) -> str | None:
    """Return the decimal comma and what follows it in an amount ("" for a whole number), or None for other text."""
    if not _DIGIT.search(text):
        return None
    found = _COMMA.match(text)
    return found.group(2) + found.group(3) if found else ""


@functools.lru_cache(maxsize=4096)
def _width(text: str, bold: bool = False) -> float:
    """Return the width of ``text`` in em of Liberation Serif (the PDF's), regular or bold: reportlab's
    ``stringWidth(text, font, 1.0)``, from its widths kept in the cache (see _metrics)."""
    widths, default = _metrics()["widths"][bold]
    get = widths.get
    return 0.001 * 1.0 * sum(get(ord(char), default) for char in text)


def _decimal_rooms(block: Table) -> dict[int, float]:
    """Return, per column of right-aligned amounts, the room (em) the widest ",d" takes, as the PDF aligns them."""
    rooms: dict[int, float] = {}
    for row in block.rows:
        col = 0
        for cell in row.cells:
            if cell.align == "right" and row.kind != "head":
                fraction = _fraction(cell.text)
                if fraction:
                    rooms[col] = max(rooms.get(col, 0.0), _width(fraction), _width(fraction, True))
            col += cell.span
    return rooms


# A table is written as WordprocessingML text, exactly as lxml serializes the elements the functions above
# would build (_new_table, _row_props, _new_tc, _cell_margin, _keep_next, _add_runs with _run, _add_text and
# _track; a cell's borders and vertical alignment appended to its properties, its margins placed after its
# borders): lxml takes ten times as long to add a cell's ten or so elements one by one. The tree holds a
# comment in its place (``<!--t3-->``, the document's fourth table), which render_docx replaces by the text
# once the part is serialized; a table the writer must change afterwards (in a block of columns kept with the
# next) is parsed into the tree first (_materialize).

_FRAGMENT_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True)
#: what lxml refuses in a text or attribute (ValueError: "All strings must be XML compatible")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TABLE_MARK = re.compile(rb"<!--t(\d+)-->")
_W_XMLNS = f'xmlns:w="{W_NS}"'
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;",
                               "\t": "&#9;"})
_BREAKS = re.compile(r"([\t\r\n])")


def _esc(text: str) -> str:
    return text.translate(_TEXT_ESCAPES) if ("&" in text or "<" in text or ">" in text) else text


def _attr(value: str) -> str:
    return value.translate(_ATTR_ESCAPES)


def _text_xml(text: str, tag: str) -> str:
    """Return ``text`` as _add_text writes it in a run: tabs as w:tab, line ends as w:br, the rest in ``tag``."""
    pieces = _BREAKS.split(text) if ("\t" in text or "\n" in text or "\r" in text) else (text,)
    out = []
    for piece in pieces:
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece == "\r" or piece == "\n":
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            out.append(f"<{tag}{space}>{_esc(piece)}</{tag}>")
    return "".join(out)


def _run_xml(text: str, bold: bool, italic: bool, deleted: bool, lang: bool = False) -> str:
    """Return a run as _run writes it (and _add_runs, ``lang``: an address, neither hyphenated nor spell-checked)."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + ('<w:lang w:val="zxx"/>' if lang else "")
    content = (f"<w:rPr>{props}</w:rPr>" if props else "") + _text_xml(text, "w:delText" if deleted else "w:t")
    return f"<w:r>{content}</w:r>" if content else "<w:r/>"


def _revision_xml(doc: _Doc, rev: Revision, content: str | None) -> str:
    """Return a ``w:ins`` or ``w:del`` (as _revision makes it) holding ``content`` (None: empty)."""
    doc.revision_id += 1
    head = (f'<w:{rev.kind} w:id="{doc.revision_id}" w:author="{_attr(rev.author or "generator")}" '
            f'w:date="{_attr(rev.date[:10])}T00:00:00Z"')
    return f"{head}/>" if content is None else f"{head}>{content}</w:{rev.kind}>"


def _runs_xml(doc: _Doc, runs: list[Run], bold: bool = False, italic: bool = False) -> str:
    """Return the runs as _add_runs writes them."""
    if len(runs) == 1:  # the common case: one run, not revised, no address, no tab or line end
        run = runs[0]
        text = run.text
        if (run.rev is None and text and "@" not in text and "\t" not in text and "\n" not in text
                and "\r" not in text):
            props = ("<w:b/>" if run.bold or bold else "") + ("<w:i/>" if run.italic or italic else "")
            space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
            return (f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}<w:t{space}>"
                    f"{text.translate(_TEXT_ESCAPES) if ('&' in text or '<' in text or '>' in text) else text}"
                    "</w:t></w:r>")
    out = []
    for run in runs:
        rev = run.rev
        deleted = rev is not None and rev.kind == "del"
        text = run.text
        if text == "\n":
            pieces = ["<w:r><w:br/></w:r>"]
        else:
            b, i = run.bold or bold, run.italic or italic
            pieces = []
            position = 0
            for found in _ADDRESS.finditer(text) if "@" in text else ():
                if found.start() > position:
                    pieces.append(_run_xml(text[position:found.start()], b, i, deleted))
                pieces.append(_run_xml(found.group(0), b, i, deleted, lang=True))
                position = found.end()
            if position < len(text) or not text:
                pieces.append(_run_xml(text[position:], b, i, deleted))
        out.extend(pieces if rev is None else (_revision_xml(doc, rev, piece) for piece in pieces))
    return "".join(out)


def _margins_xml(twips: dict[str, int]) -> str:
    """Return a cell's own margins as _cell_margin writes them."""
    edges = "".join(f'<w:{edge} w:w="{max(twips[edge], 0)}" w:type="dxa"/>' for edge, _ in _EDGES if edge in twips)
    return f"<w:tcMar>{edges}</w:tcMar>"


@functools.lru_cache(maxsize=1024)
def _sides(start: int, end: int, ncols: int, top_bottom: tuple[int, int] | None) -> str:
    """Return the margins _cell_sides sets ("" for none)."""
    margins = {}
    if start == 0:
        margins["left"] = 0
    if end >= ncols:
        margins["right"] = 0
    if top_bottom is not None:
        margins["top"], margins["bottom"] = top_bottom
    return _margins_xml(margins) if margins else ""


def _table_start_xml(twips: list[str], style_id: str | None) -> str:
    """Return the start of a table as _new_table(…, style_id, align=True) makes it, to its grid."""
    style = f'<w:tblStyle w:val="{_attr(style_id)}"/>' if style_id is not None else ""
    borders = "".join(f'<w:{edge} w:val="nil"/>' for edge in _NO_BORDERS)
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in twips)
    grid = f"<w:tblGrid>{grid}</w:tblGrid>" if grid else "<w:tblGrid/>"
    return (f'<w:tbl><w:tblPr>{style}<w:tblW w:type="auto" w:w="0"/><w:jc w:val="left"/>'
            f'<w:tblInd w:w="{CELL_SIDE}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" '
            'w:val="04A0"/></w:tblPr>' + grid)


_BORDERS_XML = {
    "head": '<w:tcBorders><w:bottom w:val="single" w:sz="6" w:color="000000"/></w:tcBorders>',
    "sum": '<w:tcBorders><w:top w:val="single" w:sz="6" w:color="000000"/></w:tcBorders>',
    "budget": '<w:tcBorders><w:bottom w:val="single" w:sz="2" w:color="999999"/></w:tcBorders>',
}
_V_ALIGN_XML = '<w:vAlign w:val="bottom"/>'


def _table(doc: _Doc, container, block: Table, keep: bool = False, width_mm: float = TEXT_WIDTH_MM) -> None:
    if block.caption:  # above the table, kept with it (the style keeps it with the next paragraph: the first row)
        caption = _new_p(doc, container, "Caption")
        _add_runs(doc, caption, block.caption)
        _track_mark(doc, caption, _whole(block.caption))
        face = _caption_face()
        # the PDF's table block starts with the caption, 6 pt lower, and the table 5 pt under it (see _join)
        _join(doc, container, TABLE_ABOVE, face.top() - CAPTION_ABOVE, first_p=caption)
        _close(doc, container, caption, 0.0, CAPTION_GAP, face.bottom())
    ncols = len(block.widths)
    rooms = _decimal_rooms(block)
    twips = [_twips(width) for width in _mm_widths(block.widths, width_mm)]
    default = _cell_margins("Tabelltext", CELL_INSET, CELL_INSET)
    page_top = round(_face("Normal").top() * 20)
    lead = _table_lead(block)
    breakable = (len(block.rows) > KEEP_TABLE_ROWS
                 or sum(len(c.text) for row in block.rows for c in row.cells) > KEEP_TABLE_CHARS)
    # per row: whether its paragraphs keep with the next (a short table is never split across pages)
    links = [True] * (len(block.rows) - 1) + [keep] if not breakable else _table_links(block, lead)[:-1] + [keep]
    out = [_table_start_xml(twips, doc.base.table_style_id)]
    for r, row_block in enumerate(block.rows):
        kind = row_block.kind
        out.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if r < lead else ""))
        if row_block.rev is not None:  # the row itself inserted or deleted (Word: w:trPr/w:ins, w:del)
            out.append(_revision_xml(doc, row_block.rev, None))
        out.append("</w:trPr>")
        style = ROW_STYLES.get(kind, "Tabelltext")
        style_id = doc.base.style_id(style)
        inset = (7.0, CELL_INSET) if kind == "group" and r > 0 else ROW_INSETS.get(kind, (CELL_INSET, CELL_INSET))
        top, bottom = _cell_margins(style, *inset)
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
        margins = margins if margins != default else None
        keep_next = "<w:keepNext/>" if links[r] else ""
        p_style = (f'<w:pStyle w:val="{_attr(style_id)}"/>' if style_id is not None else "") + keep_next
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
            bottom_aligned = kind == "head"
            if cell_block.align == "right":
                fraction = _fraction(cell_block.text) if all(not run.italic for run in cell_block.runs) else None
                if kind != "head" and col in rooms and fraction is not None:
                    # amounts align on the decimal comma: "10" stands as far from the edge as "5,3" does its comma
                    size = NOTE_SIZE if kind == "note" else TABLE_SIZE
                    room = (rooms[col] - _width(fraction, style == "Tabellsumma")) * size
                    ppr += f'<w:ind w:right="{round(room * 20)}"/>'
                ppr += '<w:jc w:val="right"/>'
                bottom_aligned = True  # an amount sits on the last line of its label, as in the PDF
            runs = _runs_xml(doc, cell_block.runs, italic=kind == "note")
            sides = _sides(col, col + span, ncols, margins)
            v_align = _V_ALIGN_XML if bottom_aligned else ""
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
        _spacing(etree.SubElement(etree.SubElement(container, P), PPR).getparent(), after=0, line=0.05)
    _join(doc, container, TABLE_ABOVE, page_top / 20, element=tbl)
    _close(doc, container, None, 0.0, TABLE_BELOW, 0.0, table=True)


def _materialize(doc: _Doc, element) -> None:
    """Parse the tables written as text inside ``element`` into the tree, in place of their comments."""
    for mark in list(element.iter(etree.Comment)):
        found = _TABLE_MARK.fullmatch(f"<!--{mark.text}-->".encode())
        if found is not None:
            table = etree.fromstring(f"<w:body {_W_XMLNS}>{doc.tables[int(found.group(1))]}</w:body>",
                                     _FRAGMENT_PARSER)[0]
            mark.getparent().replace(mark, table)


def _columns(doc: _Doc, container, block: Columns, keep: bool = False) -> None:
    count = len(block.columns)
    if not count:
        return
    # the PDF's grid: the text width less a 6 pt gutter between columns, shared by the relative widths
    gutter_mm = COLUMN_GUTTER * 25.4 / 72
    widths = _mm_widths(block.widths[:count] + [1.0] * (count - len(block.widths)), TEXT_WIDTH_MM - gutter_mm * (count - 1))
    tbl, twips = _new_table(doc, container, [w + (gutter_mm if i < count - 1 else 0) for i, w in enumerate(widths)])
    _table_margins(tbl)
    tr = etree.SubElement(tbl, TR)
    _row_props(tr)
    tops, bottoms = [], []
    for index, column in enumerate(block.columns):
        tc = _new_tc(tr, twips[index])
        if index < count - 1:
            _cell_margin(tc, right=round(COLUMN_GUTTER * 20))
        first = etree.SubElement(tc, P)
        _flow(doc, tc, column.blocks, width_mm=widths[index])
        if sum(1 for _ in tc.iterchildren(P)) > 1 and not "".join(first.itertext()):
            tc.remove(first)
        tops.append(doc.heads.pop(tc, 0.0))
        tail = doc.tails.pop(tc, None)
        bottoms.append(tail.bottom if tail is not None else 0.0)
    if keep:
        _materialize(doc, tbl)
        for p in tbl.iter(P):
            _keep_next(p)
    _join(doc, container, COLUMNS_ABOVE, min(tops), element=tbl)
    _close(doc, container, None, 0.0, COLUMNS_BELOW, max(bottoms), table=True)


def _table_margins(tbl) -> None:
    """No cell margins (a grid of blocks, as the PDF's)."""
    tbl_pr = tbl.find(_w("tblPr"))
    margins = tbl_pr.makeelement(_w("tblCellMar"), {})
    for edge in ("top", "left", "bottom", "right"):
        etree.SubElement(margins, _w(edge), {_w("w"): "0", _w("type"): "dxa"})
    tbl_pr.find(_w("tblLook")).addprevious(margins)


def _signatures(doc: _Doc, container, block: Signatures, keep: bool = False) -> None:
    face = _face("Underskrift")
    place = None
    if block.place:
        place = _new_p(doc, container, "Underskrift")
        _track(doc, _run(place, block.place), block.rev)
        _track_mark(doc, place, block.rev)
        _keep_next(place)
    if not block.signatures:
        if place is not None:
            _join(doc, container, SIGNATURES_ABOVE, face.top(), first_p=place)
            _close(doc, container, place, 0.0, SIGNATURES_BELOW, face.bottom())
        return
    first_top = face.top() if block.signatures[0].label else 0.0  # the first cell starts with its label or the room
    count = len(block.signatures)
    per_row = 2 if count > 3 else count  # as the PDF: two a row when there are more than three
    gutter_mm = SIGNATURE_GUTTER * 25.4 / 72
    widths = _mm_widths([1.0] * per_row, TEXT_WIDTH_MM - gutter_mm * (per_row - 1))
    tbl, twips = _new_table(doc, container, [w + (gutter_mm if i < per_row - 1 else 0) for i, w in enumerate(widths)])
    _table_margins(tbl)
    style_id = doc.base.style_id("Underskrift")
    for start in range(0, count, per_row):
        tr = etree.SubElement(tbl, TR)
        tr_pr = _row_props(tr)
        if block.rev is not None:
            tr_pr.append(_revision(doc, tr_pr, block.rev))
        for index in range(per_row):
            tc = _new_tc(tr, twips[index])
            margins = {"right": round(SIGNATURE_GUTTER * 20)} if index < per_row - 1 else {}
            if start:
                margins["top"] = round(SIGNATURE_ROW_GAP * 20)
            if margins:
                _cell_margin(tc, **margins)
            if start + index >= count:
                etree.SubElement(tc, P)
                continue
            signature = block.signatures[start + index]
            # the label, room for the handwritten signature (the PDF's 42 pt less what the exact lines add), the
            # name, the title
            lines = ([signature.label] if signature.label else []) + [None, signature.name]
            lines += [signature.title] if signature.title else []
            for line in lines:
                p = etree.SubElement(tc, P)
                ppr = etree.SubElement(p, PPR)
                if style_id is not None:
                    etree.SubElement(ppr, _w("pStyle")).set(VAL, style_id)
                if line is None:
                    _spacing(p, line=SIGNATURE_ROOM - 1)
                    _track(doc, _run(p), block.rev)
                else:
                    _track(doc, _run(p, line), block.rev)
    for row in list(tbl.iterchildren(TR))[:-1] if not keep else tbl.iterchildren(TR):
        for p in row.iter(P):
            _keep_next(p)
    if place is not None:
        _spacing(place, after=PLACE_BELOW - face.bottom() - first_top)
        _join(doc, container, SIGNATURES_ABOVE, face.top(), first_p=place)
    else:
        _join(doc, container, SIGNATURES_ABOVE, first_top, element=tbl)
    _close(doc, container, None, 0.0, SIGNATURES_BELOW, face.bottom(), table=True)


def _keep(doc: _Doc, container, block: Keep, keep: bool = False) -> None:
    _flow(doc, container, block.blocks, all_sticky=True, last_sticky=keep)


def _space(doc: _Doc, container, block: Space, keep: bool = False) -> None:
    # a paragraph exactly as tall; the PDF adds it to the space between the blocks around it (see _join)
    p = _new_p(doc, container, "Adress")
    _spacing(p, after=0, line=max(block.height, 0.05))
    if keep:
        _keep_next(p)


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
    if doc.pending_break and writer not in (_pagebreak, _keep):
        doc.tails.pop(container, None)  # the block starts a page: no space above it
        if writer in (_table, _columns, _signatures):  # these start with a table, not a paragraph
            _hard_break(doc, container)
    if writer is _table:
        _table(doc, container, block, keep, width_mm)
    else:
        writer(doc, container, block, keep)


def _flow(doc: _Doc, container, blocks: list[Block], all_sticky: bool = False, last_sticky: bool = False,
          width_mm: float = TEXT_WIDTH_MM) -> None:
    """Write ``blocks``, each kept with the next where the PDF keeps it (the Typst writer's rules)."""
    following_at = [None] * len(blocks)  # the index of the next block with content after each
    upcoming = None
    for index in range(len(blocks) - 1, -1, -1):
        following_at[index] = upcoming
        if not isinstance(blocks[index], (Space, PageBreak)):
            upcoming = index
    for index, block in enumerate(blocks):
        later = following_at[index]
        following = blocks[later] if later is not None else None
        breaks_between = any(isinstance(b, PageBreak) for b in blocks[index + 1:(later if later is not None else len(blocks))])
        sticky = False
        if not breaks_between:
            if all_sticky and later is not None:
                sticky = True
            elif later is None and last_sticky:
                sticky = True
            elif following is not None and (has_signatures(following) or introduces(block)):
                sticky = True  # a signature block stays with the paragraph before it
            elif isinstance(block, Paragraph) and isinstance(following, Table) and later == index + 1:
                sticky = True  # the sentence right before a table introduces it
        _write(doc, container, block, keep=sticky, width_mm=width_mm)


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
    position = int(_twips(TEXT_WIDTH_MM))
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
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

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

#: The core properties a document sets (docProps/core.xml), in the order python-docx adds them.
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DC, _DCTERMS = "{http://purl.org/dc/elements/1.1/}", "{http://purl.org/dc/terms/}"
_CORE_TAGS = (_DC + "title", _DC + "subject", _DC + "creator", _CP + "keywords", _CP + "contentStatus",
              _DC + "language", _CP + "lastModifiedBy", _DC + "description", _CP + "revision",
              _DCTERMS + "created", _DCTERMS + "modified", _CP + "lastPrinted")
#: The styles the writer asks for by name (their ids are resolved when the package is built).
_STYLE_NAMES = (*STYLE_SPEC, "Caption", "Tabelltext", "Tabellsumma", "Tabellnot", "Sidhuvud")
#: How python-docx parses a part (it saves none with blank text between elements).
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


class _Primer:
    """Core properties that give docProps/core.xml every property a document sets (see :meth:`_Base.core`)."""

    title = subject = author = draft = keywords = language = ""
    date = "2000-01-01"


def _package(reference: Path | None, first_page: bool, state: tuple) -> dict:
    """Return the styled package as python-docx saves it, and what a document needs to know of it.

    A plain dict of strings and bytes (kept in the per-user cache): ``names`` (the parts in order), ``header``
    and ``first_header`` (the header parts to fill), ``ids`` (style ids by name), ``table_style_id``, ``parts``
    (the parts each document writes anew) and ``deflated`` (the CRC and compressed form of each part every
    document has as it is: styles.xml alone is 350 kB, 13 kB compressed).
    """
    from docx.enum.style import WD_STYLE_TYPE

    word = copy.deepcopy(_styled(reference, state))
    section = word.sections[0]
    ids = {style.name: style.style_id for style in word.styles if style.name}
    for name in _STYLE_NAMES:  # a style the map does not know (e.g. from a reference document): python-docx resolves it
        if name not in ids:
            try:
                ids[name] = word.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
            except KeyError:
                pass
    try:
        table_style_id = word.part.get_style_id(word.styles[TABLE_STYLE], WD_STYLE_TYPE.TABLE)
    except KeyError:
        table_style_id = None
    first_header = None
    if not first_page:  # page 1 carries its own letterhead: only "1 (N)" at its top
        section.different_first_page_header_footer = True
        first_header = section.first_page_header.part.partname.lstrip("/")
        _ = section.first_page_header.paragraphs[0]
    section.header.is_linked_to_previous = False
    header = section.header.part.partname.lstrip("/")
    _ = section.header.paragraphs[0]
    _core_properties(word, _Primer)  # python-docx adds the part when a reference document has none
    buffer = io.BytesIO()
    word.save(buffer)
    saved = zipfile.ZipFile(buffer)
    written = {"word/document.xml", "docProps/core.xml", CUSTOM_PART, header, first_header}  # each document's own
    return {"names": saved.namelist(), "header": header, "first_header": first_header, "ids": ids,
            "table_style_id": table_style_id,
            "parts": {name: saved.read(name) for name in saved.namelist() if name in written},
            "deflated": {name: deflate(saved.read(name)) for name in saved.namelist() if name not in written}}


class _Base:
    """The styled package every document of a process starts from: built once, then copied.

    Holds the parts as python-docx saves them, the body's section properties,
    the header part(s) to fill, and the style ids by name. Made from what
    :func:`_package` returns, built now or kept in the per-user cache.
    """

    def __init__(self, package: dict):
        self.plain_names = list(package["names"])  # a document without provenance: the package as python-docx saves it
        self.plain_parts = dict(package["parts"])
        for name, (crc, packed) in package["deflated"].items():
            self.plain_parts[name] = zlib.decompress(packed, -15)
            if zlib.crc32(self.plain_parts[name]) != crc:
                raise ValueError(f"{name} is not what its CRC says")
        if set(self.plain_parts) != set(self.plain_names):
            raise ValueError("the package's parts are not its names")
        self.names = [name for name in self.plain_names if name != CUSTOM_PART]  # custom.xml: each its own
        self.parts = {name: with_custom_part(name, self.plain_parts[name]) for name in self.names}
        self._ids = dict(package["ids"])
        self.table_style_id = package["table_style_id"]
        self.header, self.first_header = package["header"], package["first_header"]
        self.document_xml = etree.fromstring(self.plain_parts["word/document.xml"], _PARSER)
        body = self.document_xml.find(_w("body"))
        if body is None or len(body) != 1 or body[0].tag != _w("sectPr"):
            raise ValueError("the package's body is not its section properties alone")
        self.header_elements = {name: etree.fromstring(self.plain_parts[name], _PARSER)
                                for name in (self.header, self.first_header) if name is not None}
        if any(element.find(P) is None for element in self.header_elements.values()):
            raise ValueError("a header part has no paragraph")
        self._core = etree.fromstring(self.plain_parts["docProps/core.xml"], _PARSER)
        self._core_elements = [self._core.find(tag) for tag in _CORE_TAGS]
        if any(element is None for element in self._core_elements):
            raise ValueError("the core properties lack one a document sets")
        self.static = frozenset(self.plain_names) - {"word/document.xml", "docProps/core.xml", CUSTOM_PART,
                                                     *self.header_elements}
        self.plain_deflated = {name: tuple(package["deflated"][name]) for name in self.static}
        self.deflated = {name: self.plain_deflated[name] if self.parts[name] == self.plain_parts[name]
                         else deflate(self.parts[name]) for name in self.static if name in self.parts}

    def style_id(self, name: str) -> str | None:
        """Return the style id of the style named ``name`` (None: the default style, which needs none)."""
        return self._ids[name]

    def core(self, meta) -> bytes:
        """Return docProps/core.xml with ``meta``: what python-docx's core properties write, in its order."""
        stamp = dt.datetime.fromisoformat(meta.date).replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%SZ")
        values = (meta.title, meta.subject, meta.author, ", ".join(part for part in (meta.draft, meta.keywords) if part),
                  meta.draft, meta.language, meta.author, "", "1", stamp, stamp, stamp)
        for element, value in zip(self._core_elements, values):
            value = value if isinstance(value, str) else str(value)
            if len(value) > 255:  # python-docx's limit
                raise ValueError("exceeded 255 char limit for property, got:\n\n'%s'" % value)
            element.text = value
        return etree.tostring(self._core, encoding="UTF-8", standalone=True)


@functools.lru_cache(maxsize=4)
def _styled(reference: Path | None, state: tuple = ()):
    """Return the python-docx document every document starts from: page setup, styles, hyphenation, no body."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm

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
        section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(20)
        section.header_distance = Mm(12)
    _setup_styles(word)
    _hyphenate(word)
    return word


# --------------------------------------------------------------------------- kept between processes
#
# Building the styled package takes python-docx (imported and run: about 0.2 s), and the widths of the
# decimal commas take reportlab and the fonts (about 0.1 s). Both are kept in the per-user cache
# (generator.cache.store), found by the generator's code and fonts, the libraries that made them
# and the reference document's content; an entry starts with the SHA-256 of the rest, and one that is
# missing, damaged or unreadable is built again.

def _library(module: str) -> bytes:
    """Return the text of ``module``'s ``__init__.py`` (its version) without importing it."""
    from importlib.util import find_spec

    try:
        spec = find_spec(module)
        return Path(spec.origin).read_bytes() if spec is not None and spec.origin else b"-"
    except (ImportError, OSError, ValueError):
        return b"-"


def _kept(what: bytes, *parts: bytes, build: Callable[[], object], check: Callable[[object], object]):
    """Return ``check(value)`` for the value kept in the cache for ``what`` and ``parts``, else ``check(build())``
    (which is then kept). ``check`` raises on a value it cannot use; a kept value it refuses is built again."""
    import hashlib
    import marshal

    from generator.cache import store  # (moves to generator.cache.writer_assets, above the writers)

    versions = repr((etree.LXML_VERSION, etree.LIBXML_VERSION, zlib.ZLIB_RUNTIME_VERSION)).encode()
    key = store.key(what, versions, *parts)
    source = store.made_from(what, versions, *parts)
    data = store.read("docx", key, source)
    if data is not None and hashlib.sha256(data[32:]).digest() == data[:32]:
        try:
            return check(marshal.loads(data[32:]))
        except Exception:  # damaged or not ours: build it again
            pass
    value = build()
    result = check(value)
    payload = marshal.dumps(value)
    store.write("docx", key, source, hashlib.sha256(payload).digest() + payload)
    return result


@functools.lru_cache(maxsize=8)
def _base(reference: Path | None, first_page: bool, state: tuple = ()) -> _Base:
    """``state``: the reference document's time and size, so an edited one is read again (generator build --watch)."""
    import hashlib

    content = hashlib.sha256(reference.read_bytes()).digest() if reference else b""
    return _kept(b"docx-package", b"first" if first_page else b"later", _library("docx"), content,
                 build=lambda: _package(reference, first_page, state), check=_Base)


@functools.lru_cache(maxsize=1)
def _metrics() -> dict:
    """Return what the writer measures with: ``widths``, for Liberation Serif regular (False) and bold (True),
    reportlab's advance width of each character (in thousandths of an em) and of a character the font lacks (what
    its ``stringWidth`` adds up); ``typo``, each shipped font's typographic ascender and descender (in em)."""

    def build() -> dict:
        from reportlab.pdfbase.pdfmetrics import getFont

        from generator.writers.pdf_reportlab import SERIF as PDF_SERIF, register_fonts

        register_fonts()
        faces = {False: getFont(PDF_SERIF).face, True: getFont(f"{PDF_SERIF}-Bold").face}
        return {"widths": {bold: (dict(face.charWidths), face.defaultWidth) for bold, face in faces.items()},
                "typo": {font: _read_typo_metrics(*font) for font in FONT_FILES}}

    def check(value) -> dict:
        widths, typo = value["widths"], value["typo"]
        if not (set(widths) == {False, True} and set(typo) == set(FONT_FILES)
                and all(isinstance(chars, dict) and isinstance(default, (int, float))
                        for chars, default in widths.values())
                and all(len(pair) == 2 and all(isinstance(m, float) for m in pair) for pair in typo.values())):
            raise ValueError("not the fonts' metrics")
        return value

    return _kept(b"docx-metrics", _library("reportlab"), build=build, check=check)


def prepare(reference: Path | None = None) -> None:
    """Build the styled package now (both page-header variants), e.g. before forking worker processes."""
    for first_page in (True, False):
        _base_for(reference, first_page)
    _metrics()


def _base_for(reference: Path | None, first_page: bool) -> _Base:
    if reference:
        reference = Path(reference).resolve()
        stat = reference.stat()
        return _base(reference, first_page, (stat.st_mtime_ns, stat.st_size))
    return _base(None, first_page)


def _xml(element) -> bytes:
    """Return a part's XML as python-docx saves it (``serialize_part_xml``)."""
    return etree.tostring(element, encoding="UTF-8", standalone=True)


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
        first = headers[base.first_header]
        _header_paragraph(doc, first.find(P), "Sidhuvud", None, document.page_numbers)
        if draft:  # the status is on every page, the first included
            _run(_new_p(doc, first, "Sidhuvud"), draft, bold=True)
    head = headers[base.header]
    _header_paragraph(doc, head.find(P), "Sidhuvud", document.header[0] if document.header else "",
                      document.page_numbers)
    for line in document.header[1:]:
        _run(_new_p(doc, head, "Sidhuvud"), line)
    if draft:  # on every page, in the header, never in the text
        _run(_new_p(doc, head, "Sidhuvud"), draft, bold=True)
    if reference is None:  # the PDF's page: the text starts lower by 11 pt for each header line past two
        extra = max(0, len(document.header) + (1 if draft else 0) - 2) * HEADER_EXTRA
        margins = sect_pr.find(_w("pgMar"))
        margins.set(_w("top"), str(round((TOP_MM * 72 / 25.4 + extra - _face("Normal").top()) * 20)))
        margins.set(_w("header"), str(round((HEADER_TOP - Face("sans", HEADER_SIZE, leading=HEADER_LEADING).top()) * 20)))
    _flow(doc, body, document.blocks)
    if doc.pending_break:  # the document ends with a page break
        _hard_break(doc, body)
    body.append(sect_pr)  # the section properties stay the body's last child
    names, parts, deflated = ((base.names, base.parts, base.deflated) if document.meta.source
                              else (base.plain_names, base.plain_parts, base.plain_deflated))
    body_xml = _xml(root)
    if doc.tables:  # each table's text in place of its comment
        body_xml = _TABLE_MARK.sub(lambda found: doc.tables[int(found.group(1))].encode(), body_xml)
    written = {"word/document.xml": body_xml, "docProps/core.xml": base.core(document.meta)}
    written.update({name: _xml(element) for name, element in headers.items()})
    entries = [(name, written.get(name, parts[name])) for name in names]
    if document.meta.source:
        entries.append((CUSTOM_PART, custom_properties_xml({PROVENANCE_PROPERTY: document.meta.source})))
    return zip_package(entries, base.static, deflated)
