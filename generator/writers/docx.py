"""The DOCX writer: the document model to a Word file with python-docx.

Knows nothing of agreements. Paragraphs use named styles (Normal, Heading 1–4,
Title, and Swedish custom styles such as "Brödtext", "Ingress", "Adress") so
a user can restyle the document in Word, or pass a reference document whose
styles are used instead (as pandoc's ``--reference-doc``). The page header
carries the running header and ``n (N)`` as real PAGE and NUMPAGES fields.
The zip is rewritten with fixed timestamps so the same document always gives
the same bytes.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
from pathlib import Path
from typing import Callable

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..document import (Block, Columns, Document, Heading, Keep, ListBlock, PageBreak, Paragraph, Revision, Run,
                        Signatures, Space, Table, list_positions)
from .package import deterministic_zip, with_custom_properties

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


# --------------------------------------------------------------------------- helpers

#: The next w:id of a tracked change in the document being written (ids are unique per document).
_revision_ids: list[int] = [0]


def _revision(rev: Revision, tag: str | None = None):
    """Return a new ``w:ins`` or ``w:del`` element (or ``tag``) attributed to ``rev``'s author and date."""
    element = OxmlElement(tag or f"w:{rev.kind}")
    _revision_ids[0] += 1
    element.set(qn("w:id"), str(_revision_ids[0]))
    element.set(qn("w:author"), rev.author or "generator")
    element.set(qn("w:date"), f"{rev.date[:10]}T00:00:00Z")
    return element


def _track(run, rev: Revision | None) -> None:
    """Wrap a written run in a Word revision: inserted (``w:ins``) or deleted (``w:del``, its text as ``w:delText``)."""
    if rev is None:
        return
    r = run._r
    wrapper = _revision(rev)
    r.addprevious(wrapper)
    wrapper.append(r)
    if rev.kind == "del":
        for text in r.findall(qn("w:t")):
            text.tag = qn("w:delText")


def _track_mark(paragraph, rev: Revision | None) -> None:
    """Mark the paragraph mark itself inserted or deleted, so accepting (rejecting) removes the whole paragraph."""
    if rev is None:
        return
    p_pr = paragraph._p.get_or_add_pPr()
    r_pr = p_pr.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        p_pr.append(r_pr)
    r_pr.append(_revision(rev))


def _whole(runs: list[Run]) -> Revision | None:
    """Return the revision of ``runs`` when every one of them is the same insertion or deletion."""
    revs = {run.rev for run in runs}
    return runs[0].rev if runs and len(revs) == 1 else None


def _add_runs(paragraph, runs: list[Run], bold: bool = False, italic: bool = False) -> None:
    for run in runs:
        if run.text == "\n":
            r = paragraph.add_run()
            r.add_break(WD_BREAK.LINE)
            _track(r, run.rev)
            continue
        r = paragraph.add_run(run.text)
        if run.bold or bold:
            r.bold = True
        if run.italic or italic:
            r.italic = True
        _track(r, run.rev)


def _field(paragraph, instruction: str) -> None:
    """Append a real field (PAGE, NUMPAGES) to ``paragraph``."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _cell_border(cell, edge: str, size: int = 6, color: str = "000000") -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tc_pr.append(borders)
    element = OxmlElement(f"w:{edge}")
    element.set(qn("w:val"), "single")
    element.set(qn("w:sz"), str(size))
    element.set(qn("w:color"), color)
    borders.append(element)


def _row_props(row, *, header: bool = False) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _widths(table, widths: list[float], total_mm: float) -> None:
    total = sum(widths)
    table.autofit = False
    for index, column in enumerate(table.columns):
        width = Mm(total_mm * widths[index] / total)
        column.width = width
        for cell in column.cells:
            cell.width = width


# --------------------------------------------------------------------------- one function per node

#: Style name → style id of the document being written. python-docx's own
#: lookup by name scans every style for each paragraph (most of the writing time).
_style_ids: dict[str, str] = {}


def _set_style(paragraph, name: str) -> None:
    try:
        paragraph._p.style = _style_ids[name]
    except KeyError:  # a style the map does not know (e.g. from a reference document): python-docx resolves it
        paragraph.style = name


def _add(container, text: str, style: str):
    """Return a new paragraph in ``container`` with ``text`` and the named ``style``."""
    paragraph = container.add_paragraph(text)
    _set_style(paragraph, style)
    if _pending_break[0]:
        _pending_break[0] = False
        paragraph.paragraph_format.page_break_before = True
    return paragraph


def _heading(container, block: Heading, keep: bool = False) -> None:
    paragraph = _add(container, "", f"Heading {min(max(block.level, 1), 4)}")
    _track(paragraph.add_run(block.text), block.rev)
    paragraph.paragraph_format.keep_with_next = True
    _track_mark(paragraph, block.rev)


def _paragraph(container, block: Paragraph, keep: bool = False) -> None:
    paragraph = _add(container, "", PARAGRAPH_STYLES.get(block.style, "Brödtext"))
    _add_runs(paragraph, block.runs)
    if keep or block.text.rstrip().endswith(":"):  # a line ending in a colon stays with what it introduces
        paragraph.paragraph_format.keep_with_next = True
    _track_mark(paragraph, _whole(block.runs))


def _list_marker(kind: str, index: int) -> str:
    return "•" if kind == "bullet" else (f"{index + 1}." if kind == "number" else f"{'abcdefghijklmnopqrstuvwxyz'[index]})")


def _list(container, block: ListBlock, keep: bool = False) -> None:
    revs = [run.rev for item in block.items for run in item if run.rev is not None]
    for item, (before, after) in zip(block.items, list_positions(block.items)):
        paragraph = _add(container, "", LIST_STYLES[block.kind])
        old = _list_marker(block.kind, before) if before is not None else None
        new = _list_marker(block.kind, after) if after is not None else None
        if old is not None and new is not None and old != new:  # renumbered by an item in or out before it
            _track(paragraph.add_run(old + "\t"), Revision("del", revs[0].author, revs[0].date))
            _track(paragraph.add_run(new + "\t"), Revision("ins", revs[0].author, revs[0].date))
        else:
            _track(paragraph.add_run((new or old) + "\t"), _whole(item))
        _add_runs(paragraph, item)
        if keep:
            paragraph.paragraph_format.keep_with_next = True
        _track_mark(paragraph, _whole(item))


def _table(container, block: Table, keep: bool = False, width_mm: float = TEXT_WIDTH_MM) -> None:
    ncols = len(block.widths)
    table = container.add_table(rows=0, cols=ncols)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    try:
        table.style = document_style(container, TABLE_STYLE)
    except KeyError:
        pass
    _no_borders(table)
    for row_block in block.rows:
        row = table.add_row()
        _row_props(row, header=row_block.kind == "head")
        if row_block.rev is not None:  # the row itself inserted or deleted (Word: w:trPr/w:ins, w:del)
            row._tr.get_or_add_trPr().append(_revision(row_block.rev))
        col = 0
        for cell_block in row_block.cells:
            cell = row.cells[col]
            if cell_block.span > 1:
                cell = cell.merge(row.cells[min(col + cell_block.span, ncols) - 1])
            paragraph = cell.paragraphs[0]
            _set_style(paragraph, "Tabellsumma" if row_block.kind in ("head", "sum", "group") else "Tabelltext")
            if cell_block.align == "right":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if row_block.kind != "head":  # an amount sits on the last line of its label, as in the PDF
                    cell.vertical_alignment = WD_ALIGN_VERTICAL.BOTTOM
            if row_block.kind == "head":
                cell.vertical_alignment = WD_ALIGN_VERTICAL.BOTTOM
            _add_runs(paragraph, cell_block.runs, italic=row_block.kind == "note")
            if row_block.kind == "head":
                _cell_border(cell, "bottom")
            elif row_block.kind == "sum":
                _cell_border(cell, "top")
            elif block.style == "budget" and row_block.kind == "body":
                _cell_border(cell, "bottom", 2, "999999")
            col += cell_block.span
    if len(block.rows) <= KEEP_TABLE_ROWS:  # a short table is never split across pages
        for row in table.rows[:-1]:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
    _widths(table, block.widths, width_mm)
    _add(container, "", "Adress")  # a little air after the table


def _columns(container, block: Columns, keep: bool = False) -> None:
    table = container.add_table(rows=1, cols=len(block.columns))
    _no_borders(table)
    total = sum(block.widths)
    for index, column in enumerate(block.columns):
        cell = table.rows[0].cells[index]
        first = cell.paragraphs[0]
        width = TEXT_WIDTH_MM * block.widths[index] / total
        for child in column.blocks:
            _write(cell, child, width_mm=width)
        if len(cell.paragraphs) > 1 and not first.text:
            first._p.getparent().remove(first._p)
    _widths(table, block.widths, TEXT_WIDTH_MM)


def _signatures(container, block: Signatures, keep: bool = False) -> None:
    if block.place:
        place = _add(container, "", "Underskrift")
        _track(place.add_run(block.place), block.rev)
        _track_mark(place, block.rev)
        place.paragraph_format.space_after = Pt(12)
    if not block.signatures:
        return
    table = container.add_table(rows=1, cols=len(block.signatures))
    _no_borders(table)
    _row_props(table.rows[0])
    if block.rev is not None:
        table.rows[0]._tr.get_or_add_trPr().append(_revision(block.rev))
    for index, signature in enumerate(block.signatures):
        cell = table.rows[0].cells[index]
        lines = ([signature.label] if signature.label else []) + ["", "", signature.name]
        lines += [signature.title] if signature.title else []
        _set_style(cell.paragraphs[0], "Underskrift")
        _track(cell.paragraphs[0].add_run(lines[0]), block.rev)
        for line in lines[1:]:
            _track(_add(cell, "", "Underskrift").add_run(line), block.rev)
    _widths(table, [1.0] * len(block.signatures), TEXT_WIDTH_MM)
    _add(container, "", "Adress")


def _keep(container, block: Keep, keep: bool = False) -> None:
    for index, child in enumerate(block.blocks):
        _write(container, child, keep=index < len(block.blocks) - 1)


def _space(container, block: Space, keep: bool = False) -> None:
    paragraph = _add(container, "", "Adress")
    paragraph.paragraph_format.space_before = Pt(max(block.height - 12, 0))
    paragraph.paragraph_format.line_spacing = Pt(max(min(block.height, 12), 1))


#: A page break waiting for the next paragraph, which then starts the page ("page break before"): an
#: empty paragraph holding the break would itself spill onto a new page after a full page (a blank page).
_pending_break: list[bool] = [False]


def _pagebreak(container, block: PageBreak, keep: bool = False) -> None:
    _pending_break[0] = True


def _hard_break(container) -> None:
    _pending_break[0] = False
    _add(container, "", "Adress").add_run().add_break(WD_BREAK.PAGE)


WRITERS: dict[type, Callable] = {
    Heading: _heading, Paragraph: _paragraph, ListBlock: _list, Table: _table, Columns: _columns,
    Signatures: _signatures, Keep: _keep, Space: _space, PageBreak: _pagebreak,
}


def _write(container, block: Block, keep: bool = False, width_mm: float = TEXT_WIDTH_MM) -> None:
    try:
        writer = WRITERS[type(block)]
    except KeyError:
        raise TypeError(f"DOCX-skrivaren har ingen regel för {type(block).__name__}") from None
    if _pending_break[0] and writer in (_table, _columns, _signatures):  # these start with a table, not a paragraph
        _hard_break(container)
    if writer is _table:
        _table(container, block, keep, width_mm)
    else:
        writer(container, block, keep)


# --------------------------------------------------------------------------- the document

def document_style(container, name: str):
    """Return the style ``name`` of the document ``container`` belongs to."""
    return container.part.document.styles[name] if hasattr(container, "part") else container.styles[name]


def _page_header(document, header: list[str], page_numbers: bool, first_page: bool = True, draft: str = "") -> None:
    section = document.sections[0]
    if not first_page:  # page 1 carries its own letterhead: only "1 (N)" at its top
        section.different_first_page_header_footer = True
        first = section.first_page_header.paragraphs[0]
        _set_style(first, "Sidhuvud")
        first.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
        if page_numbers:
            first.add_run("\t")
            _field(first, "PAGE")
            first.add_run(" (")
            _field(first, "NUMPAGES")
            first.add_run(")")
        if draft:  # the status is on every page, the first included
            _add(section.first_page_header, "", "Sidhuvud").add_run(draft).bold = True
    head = section.header
    head.is_linked_to_previous = False
    paragraph = head.paragraphs[0]
    _set_style(paragraph, "Sidhuvud")
    paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run(header[0] if header else "")
    if page_numbers:
        paragraph.add_run("\t")
        _field(paragraph, "PAGE")
        paragraph.add_run(" (")
        _field(paragraph, "NUMPAGES")
        paragraph.add_run(")")
    for line in header[1:]:
        _add(head, line, "Sidhuvud")
    if draft:  # on every page, in the header, never in the text
        _add(head, "", "Sidhuvud").add_run(draft).bold = True


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


def _empty(reference: Path | None = None):
    """Return an empty document with the page setup and styles of every generated DOCX."""
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
    return word


@functools.lru_cache(maxsize=1)
def _empty_default() -> bytes:
    """Return :func:`_empty` without a reference document, saved once per process (its styles cost a third of a letter)."""
    buffer = io.BytesIO()
    _empty().save(buffer)
    return buffer.getvalue()


def render_docx(document: Document, reference: Path | None = None) -> bytes:
    """Return the DOCX bytes of ``document``; ``reference`` supplies styles and page setup if given."""
    word = _empty(reference) if reference else docx.Document(io.BytesIO(_empty_default()))
    _revision_ids[0] = 0
    _style_ids.clear()
    _style_ids.update({style.name: style.style_id for style in word.styles if style.name})
    _page_header(word, document.header, document.page_numbers, document.header_first_page, document.meta.draft)
    _pending_break[0] = False
    for block in document.blocks:
        _write(word, block)
    if _pending_break[0]:  # the document ends with a page break
        _hard_break(word)
    _hyphenate(word)
    _core_properties(word, document.meta)
    buffer = io.BytesIO()
    word.save(buffer)
    data = buffer.getvalue()
    if document.meta.source:
        data = with_custom_properties(data, {PROVENANCE_PROPERTY: document.meta.source})
    return deterministic_zip(data)
