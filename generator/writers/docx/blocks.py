"""One function per block of the document model (headings, paragraphs, lists, columns, signatures, …), and the
flow that writes a list of laid-out blocks into the body or a table cell."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from generator.documents.model import (
    Block,
    Columns,
    Heading,
    Keep,
    ListBlock,
    PageBreak,
    Paragraph,
    Revision,
    Signatures,
    Space,
    Table,
    list_positions,
)
from generator.writers.docx.document_state import DocumentState, new_paragraph
from generator.writers.docx.line_spacing import (
    COLUMN_GUTTER,
    COLUMNS_ABOVE,
    COLUMNS_BELOW,
    PLACE_BELOW,
    SIGNATURE_GUTTER,
    SIGNATURE_ROOM,
    SIGNATURE_ROW_GAP,
    SIGNATURES_ABOVE,
    SIGNATURES_BELOW,
    STYLE_SPEC,
    TEXT_WIDTH_MM,
    Face,
    space_after,
    style_face,
)
from generator.writers.docx.revisions import new_revision, track, track_mark, whole_revision
from generator.writers.docx.runs import add_runs
from generator.writers.docx.spacing import end_block, join_block, join_paragraph
from generator.writers.docx.styles import LIST_STYLES, PARAGRAPH_STYLES
from generator.writers.docx.tables import materialize, write_table
from generator.writers.docx.wordml import (
    BR,
    PPR,
    TR,
    VAL,
    P,
    add_keep_next,
    add_run,
    mm_widths,
    new_table,
    new_tc,
    no_cell_margins,
    prop,
    row_props,
    set_cell_margin,
    set_spacing,
    wtag,
)


def _heading(doc: DocumentState, container, block: Heading) -> None:
    style = f"Heading {min(max(block.level, 1), 4)}"
    p = new_paragraph(doc, container, style)
    track(doc, add_run(p, block.text), block.rev)
    if block.keep_with_next:
        add_keep_next(p)
    track_mark(doc, p, block.rev)
    join_paragraph(doc, container, p, style)


def _paragraph(doc: DocumentState, container, block: Paragraph) -> None:
    style = PARAGRAPH_STYLES.get(block.style, "Brödtext")
    p = new_paragraph(doc, container, style)
    add_runs(doc, p, block.runs)
    if block.keep_with_next:
        add_keep_next(p)
    track_mark(doc, p, whole_revision(block.runs))
    line = None
    if any(run.text == "\n" for run in block.runs) and style_face(style).leading < 0.2 * style_face(style).size:
        # a style set closer than its leading (an address) keeps the leading between the lines of one paragraph
        family, size, bold, italic, _, _ = STYLE_SPEC[style]
        line = Face(family, size, bold, italic).line
        set_spacing(p, line=line)
    join_paragraph(doc, container, p, style, line=line)


def _list_marker(kind: str, index: int, level: int = 1) -> str:
    if kind == "bullet":
        return "–" if level > 1 else "•"
    return f"{index + 1}." if kind == "number" else f"{'abcdefghijklmnopqrstuvwxyz'[index]})"


def _list(doc: DocumentState, container, block: ListBlock) -> None:
    revs = [run.rev for item in block.items for run in item if run.rev is not None]
    style = LIST_STYLES[block.kind]
    first = p = None
    for item, (before, after) in zip(block.items, list_positions(block.items)):
        p = new_paragraph(doc, container, style)
        first = p if first is None else first
        old = _list_marker(block.kind, before, block.level) if before is not None else None
        new = _list_marker(block.kind, after, block.level) if after is not None else None
        if block.level > 1 or block.quoted:  # nested: 5,5 mm further than the style; quoted: 8 mm further
            ind = prop(p[0], wtag("ind"))
            left = 7 + (5.5 if block.level > 1 else 0) + (8 if block.quoted else 0)
            ind.set(wtag("left"), str(round(left / 25.4 * 1440)))
            ind.set(wtag("hanging"), str(round(5.5 / 25.4 * 1440)))
        if old is not None and new is not None and old != new:  # renumbered by an item in or out before it
            track(doc, add_run(p, old + "\t"), Revision("del", revs[0].author, revs[0].date))
            track(doc, add_run(p, new + "\t"), Revision("ins", revs[0].author, revs[0].date))
        else:
            marker = new or old
            assert marker is not None  # list_positions puts every item in the list before or after its changes
            track(doc, add_run(p, marker + "\t"), whole_revision(item))
        add_runs(doc, p, item)
        if block.keep_with_next:  # the list stays with what follows, as a whole (as the PDF moves a sticky block)
            add_keep_next(p)
        track_mark(doc, p, whole_revision(item))
    if p is None:
        return
    face = style_face(style)
    _, _, _, _, above, below = STYLE_SPEC[style]
    join_block(doc, container, above, face.top(), first_p=first)
    end_block(doc, container, p, space_after(style), below, face.bottom())


def _columns(doc: DocumentState, container, block: Columns) -> None:
    count = len(block.columns)
    if not count:
        return
    # the PDF's grid: the text width less a 6 pt gutter between columns, shared by the relative widths
    gutter_mm = COLUMN_GUTTER * 25.4 / 72
    widths = mm_widths(
        block.widths[:count] + [1.0] * (count - len(block.widths)), TEXT_WIDTH_MM - gutter_mm * (count - 1)
    )
    tbl, twips = new_table(container, [w + (gutter_mm if i < count - 1 else 0) for i, w in enumerate(widths)])
    no_cell_margins(tbl)
    tr = etree.SubElement(tbl, TR)
    row_props(tr)  # the row is never split (Word cannot split it as Typst splits a block with a long column)
    tops, bottoms = [], []
    for index, column in enumerate(block.columns):
        tc = new_tc(tr, twips[index])
        if index < count - 1:
            set_cell_margin(tc, right=round(COLUMN_GUTTER * 20))
        first = etree.SubElement(tc, P)
        write_flow(doc, tc, column.blocks, width_mm=widths[index])
        if sum(1 for _ in tc.iterchildren(P)) > 1 and not "".join(first.itertext()):
            tc.remove(first)
        tops.append(doc.heads.pop(tc, 0.0))
        tail = doc.tails.pop(tc, None)
        bottoms.append(tail.bottom if tail is not None else 0.0)
    if block.keep_with_next:
        materialize(doc, tbl)
        for p in tbl.iter(P):
            add_keep_next(p)
    join_block(doc, container, COLUMNS_ABOVE, min(tops), element=tbl)
    end_block(doc, container, None, 0.0, COLUMNS_BELOW, max(bottoms), table=True)


def _signatures(doc: DocumentState, container, block: Signatures) -> None:
    face = style_face("Underskrift")
    place = None
    if block.place:
        place = new_paragraph(doc, container, "Underskrift")
        track(doc, add_run(place, block.place), block.rev)
        track_mark(doc, place, block.rev)
        add_keep_next(place)
    if not block.signatures:
        if place is not None:
            join_block(doc, container, SIGNATURES_ABOVE, face.top(), first_p=place)
            end_block(doc, container, place, 0.0, SIGNATURES_BELOW, face.bottom())
        return
    first_top = face.top() if block.signatures[0].label else 0.0  # the first cell starts with its label or the room
    count = len(block.signatures)
    per_row = 2 if count > 3 else count  # as the PDF: two a row when there are more than three
    gutter_mm = SIGNATURE_GUTTER * 25.4 / 72
    widths = mm_widths([1.0] * per_row, TEXT_WIDTH_MM - gutter_mm * (per_row - 1))
    tbl, twips = new_table(container, [w + (gutter_mm if i < per_row - 1 else 0) for i, w in enumerate(widths)])
    no_cell_margins(tbl)
    style_id = doc.base.style_id("Underskrift")
    for start in range(0, count, per_row):
        tr = etree.SubElement(tbl, TR)
        tr_pr = row_props(tr)
        if block.rev is not None:
            tr_pr.append(new_revision(doc, tr_pr, block.rev))
        for index in range(per_row):
            tc = new_tc(tr, twips[index])
            margins = {"right": round(SIGNATURE_GUTTER * 20)} if index < per_row - 1 else {}
            if start:
                margins["top"] = round(SIGNATURE_ROW_GAP * 20)
            if margins:
                set_cell_margin(tc, **margins)
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
                    etree.SubElement(ppr, wtag("pStyle")).set(VAL, style_id)
                if line is None:
                    set_spacing(p, line=SIGNATURE_ROOM - 1)
                    track(doc, add_run(p), block.rev)
                else:
                    track(doc, add_run(p, line), block.rev)
    for row in list(tbl.iterchildren(TR))[:-1] if not block.keep_with_next else tbl.iterchildren(TR):
        for p in row.iter(P):
            add_keep_next(p)
    if place is not None:
        set_spacing(place, after=PLACE_BELOW - face.bottom() - first_top)
        join_block(doc, container, SIGNATURES_ABOVE, face.top(), first_p=place)
    else:
        join_block(doc, container, SIGNATURES_ABOVE, first_top, element=tbl)
    end_block(doc, container, None, 0.0, SIGNATURES_BELOW, face.bottom(), table=True)


def _keep(doc: DocumentState, container, block: Keep) -> None:
    write_flow(doc, container, block.blocks)  # each block but the last kept with the next by the layout pass


def _space(doc: DocumentState, container, block: Space) -> None:
    # a paragraph exactly as tall; the PDF adds it to the space between the blocks around it (see join_block)
    p = new_paragraph(doc, container, "Adress")
    set_spacing(p, after=0, line=max(block.height, 0.05))
    if block.keep_with_next:
        add_keep_next(p)


def _pagebreak(doc: DocumentState, container, block: PageBreak) -> None:
    # A page break waits for the next paragraph, which then starts the page ("page break before"): an
    # empty paragraph holding the break would itself spill onto a new page after a full page (a blank page).
    doc.pending_break = True


def hard_break(doc: DocumentState, container) -> None:
    doc.pending_break = False
    r = add_run(new_paragraph(doc, container, "Adress"))
    etree.SubElement(r, BR).set(wtag("type"), "page")


WRITERS: dict[type, Callable] = {
    Heading: _heading,
    Paragraph: _paragraph,
    ListBlock: _list,
    Table: write_table,
    Columns: _columns,
    Signatures: _signatures,
    Keep: _keep,
    Space: _space,
    PageBreak: _pagebreak,
}


def _write(doc: DocumentState, container, block: Block, width_mm: float = TEXT_WIDTH_MM) -> None:
    try:
        writer = WRITERS[type(block)]
    except KeyError:
        raise TypeError(f"DOCX-skrivaren har ingen regel för {type(block).__name__}") from None
    if doc.pending_break and writer not in (_pagebreak, _keep):
        doc.tails.pop(container, None)  # the block starts a page: no space above it
        if writer in (write_table, _columns, _signatures):  # these start with a table, not a paragraph
            hard_break(doc, container)
    if isinstance(block, Table):  # the one writer that takes the width
        write_table(doc, container, block, width_mm)
    else:
        writer(doc, container, block)


def write_flow(doc: DocumentState, container, blocks: list[Block], width_mm: float = TEXT_WIDTH_MM) -> None:
    """Write laid-out ``blocks``, each kept with the next where the layout pass decided so."""
    for block in blocks:
        _write(doc, container, block, width_mm=width_mm)
