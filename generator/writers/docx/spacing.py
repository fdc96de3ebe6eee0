"""The space between two blocks as the PDF has it: the larger of the space below the one and above the other,
less what Word's exact lines add, set on the paragraphs around the gap."""

from __future__ import annotations

from lxml import etree

from generator.writers.docx.document_state import DocumentState
from generator.writers.docx.line_spacing import STYLE_SPEC, space_after, style_face
from generator.writers.docx.wordml import BR, PPR, P, set_spacing


class _Tail:
    """What the last block of a flow (the body, a cell) left for the space to the next one.

    ``p``: its last paragraph (whose space after is set), or None after a table; ``after``: that space
    now; ``below``: the PDF's space below the block; ``bottom``: the room Word's exact line leaves below
    its text; ``table``: the block ends with a table (a table after it needs a paragraph between).
    """

    __slots__ = ("p", "after", "below", "bottom", "table", "line")

    def __init__(self, p, after: float, below: float, bottom: float, table: bool = False, line: float | None = None):
        self.p, self.after, self.below, self.bottom, self.table = p, after, below, bottom, table
        self.line = line  # the exact line of a one-line paragraph, which may be shortened (see join_block)


def join_block(doc: DocumentState, container, above: float, top: float, first_p=None, element=None) -> None:
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
        set_spacing(spacer, after=0, line=max(delta, 0.05))
        return
    if abs(delta) < 0.025:
        return
    if delta > 0 and first_p is not None:  # more space: all of it before the new paragraph (LibreOffice keeps
        if tail.p is not None:  # a heading with the next worse after a paragraph with much space after)
            set_spacing(tail.p, after=0)
            delta += tail.after
            tail.after = 0.0
        set_spacing(first_p, before=delta)
    elif tail.p is not None and tail.after + delta >= 0:
        tail.after += delta
        set_spacing(tail.p, after=tail.after)
    elif tail.p is not None and tail.line is not None:  # closer than the lines allow: a shorter last line
        tail.line += tail.after + delta
        tail.after = 0.0
        set_spacing(tail.p, after=0, line=tail.line)


def end_block(
    doc: DocumentState,
    container,
    p,
    after: float,
    below: float,
    bottom: float,
    table: bool = False,
    line: float | None = None,
) -> None:
    """Make the block just written the flow's tail (see :class:`_Tail`)."""
    doc.tails[container] = _Tail(p, after, below, bottom, table, line)


def join_paragraph(
    doc: DocumentState,
    container,
    p,
    style: str,
    line: float | None = None,
    after: float | None = None,
    above: float | None = None,
    below: float | None = None,
) -> None:
    """Join a one-paragraph block of ``style`` to its flow (see join_block) and make it the flow's tail."""
    face = style_face(style)
    _, _, _, _, style_above, style_below = STYLE_SPEC[style]
    join_block(doc, container, style_above if above is None else above, face.top(line), first_p=p)
    one_line = line is None and face.leading < 0.2 * face.size and not any(r.tag == BR for r in p.iter(BR))
    end_block(
        doc,
        container,
        p,
        space_after(style) if after is None else after,
        style_below if below is None else below,
        face.bottom(line),
        line=face.line if one_line else None,
    )
