"""The named styles, set with python-docx on the document every DOCX starts from (a reference document's win).

Paragraphs use named styles (Normal, Heading 1–4, Caption, and Swedish custom
styles such as "Brödtext", "Ingress", "Adress") so a user can restyle the
document in Word, or pass a reference document whose styles are used instead
(as pandoc's ``--reference-doc``). python-docx is imported only to build them.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from generator.writers.docx.line_spacing import (
    BODY_SIZE,
    CELL_INSET,
    CELL_SIDE,
    HEADER_LEADING,
    HEADER_SIZE,
    NOTE_SIZE,
    STYLE_SPEC,
    TABLE_SIZE,
    TOP_MM,
    Face,
    caption_face,
    cell_margins,
    space_after,
    style_face,
    table_face,
)

SERIF = "Times New Roman"
SANS = "Arial"


def _style(
    document,
    name: str,
    base: str = "Normal",
    *,
    font: str | None = None,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    after: float | None = None,
    before: float | None = None,
    align=None,
    keep_next: bool = False,
    indent_mm: float | None = None,
    hanging_mm: float | None = None,
):
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
        _exact_lines(style, style_face(name), space_after(name))
    return style


def _exact_lines(style, face: Face, after: float) -> None:
    """Give ``style`` the PDF's exact line and the space after it, and no space before (the space between blocks:
    :mod:`generator.writers.docx.spacing`)."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    pf = style.paragraph_format
    pf.line_spacing = Pt(face.line)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.space_before = Pt(0)
    pf.space_after = Pt(after)


def set_up_styles(document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = document.styles["Normal"]
    normal.font.name = SERIF
    normal.font.size = Pt(BODY_SIZE)
    _exact_lines(normal, style_face("Normal"), space_after("Normal"))
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
        _exact_lines(heading, style_face(f"Heading {level}"), space_after(f"Heading {level}"))
        heading.paragraph_format.keep_with_next = True
        rfonts = heading.element.rPr.find(qn("w:rFonts"))
        if rfonts is not None:  # drop the theme fonts so the named font applies
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attr), None)
    _caption_style(document)
    _style(document, "Brödtext")
    _style(document, "Citat", indent_mm=8)
    _style(document, "Ingress", font=SERIF, size=13, bold=True, after=4)
    _style(document, "Liten text", size=10)
    _style(document, "Högerställd", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _style(document, "Etikett", italic=True, after=2, keep_next=True)
    _style(document, "Titel", font=SANS, size=15, bold=True, after=4)
    _style(document, "Underrubrik", font=SANS, size=12, after=10)
    _style(document, "Bilagemarkör", font=SANS, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, after=12)
    _style(document, "Adress", after=0)
    _style(document, "Avsändare", size=9.5, after=0)
    _exact_lines(_style(document, "Tabelltext", size=TABLE_SIZE, after=0), table_face("Tabelltext"), 0)
    _exact_lines(_style(document, "Tabellsumma", size=TABLE_SIZE, bold=True, after=0), table_face("Tabellsumma"), 0)
    _exact_lines(_style(document, "Tabellnot", size=NOTE_SIZE, italic=True, after=0), table_face("Tabellnot"), 0)
    _style(document, "Punktlista", after=3, indent_mm=7, hanging_mm=5.5)
    _style(document, "Numrerad lista", after=3, indent_mm=7, hanging_mm=5.5)
    _style(document, "Bokstavslista", after=3, indent_mm=7, hanging_mm=5.5)
    _style(document, "Underskrift", after=0, keep_next=True)
    # sans, as the PDF's running header
    _exact_lines(
        _style(document, "Sidhuvud", font=SANS, size=HEADER_SIZE, after=0),
        Face("sans", HEADER_SIZE, leading=HEADER_LEADING),
        0,
    )
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
    _exact_lines(caption, caption_face(), 0)  # the space above and below it: see write_table
    caption.paragraph_format.keep_with_next = True


TABLE_STYLE = "Tabell"


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
    top, bottom = cell_margins("Tabelltext", CELL_INSET, CELL_INSET)
    for edge, twips in (("top", top), ("left", CELL_SIDE), ("bottom", bottom), ("right", CELL_SIDE)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)


PARAGRAPH_STYLES = {
    "body": "Brödtext",
    "lead": "Ingress",
    "small": "Liten text",
    "right": "Högerställd",
    "label": "Etikett",
    "title": "Titel",
    "subtitle": "Underrubrik",
    "marker": "Bilagemarkör",
    "address": "Adress",
    "sender": "Avsändare",
    "quote": "Citat",
}
LIST_STYLES = {"bullet": "Punktlista", "number": "Numrerad lista", "letter": "Bokstavslista"}


def _hyphenate(document) -> None:
    """Turn on automatic hyphenation (Swedish, from the styles' language), as in the PDF."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = document.settings.element
    zoom = settings.find(qn("w:zoom"))
    if zoom is not None and zoom.get(qn("w:percent")) is None:
        # python-docx's template writes <w:zoom w:val="bestFit"/>; ISO/IEC 29500 requires w:percent (the zoom Word
        # shows when it does not fit the page itself)
        zoom.set(qn("w:percent"), "100")
    if settings.find(qn("w:autoHyphenation")) is not None:
        return
    element = OxmlElement("w:autoHyphenation")
    tab_stop = settings.find(qn("w:defaultTabStop"))
    if tab_stop is not None:
        tab_stop.addnext(element)  # its place in the schema's sequence
    else:
        settings.insert(0, element)


def set_core_properties(document, meta) -> None:
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


@functools.lru_cache(maxsize=4)
def styled_document(reference: Path | None, state: tuple = ()):
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
    set_up_styles(word)
    _hyphenate(word)
    return word
