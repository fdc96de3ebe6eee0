"""What writing one document needs as it goes (style ids, revision ids, a page break waiting, the flows' ends)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from generator.writers.docx.wordml import PPR, VAL, P, add_block_element, prop, wtag

if TYPE_CHECKING:
    from generator.writers.docx.package import StyledPackage


class DocumentState:
    """What writing one document needs: its style ids, the next revision id, a page break waiting, the flows' tails."""

    def __init__(self, base: StyledPackage):
        self.base = base
        self.revision_id = 0
        self.pending_break = False
        self.tails: dict = {}  # container → _Tail
        self.heads: dict = {}  # container → the room Word leaves above the text of its first block
        self.tables: list[str] = []  # the tables written as text, by the number in their comment (see write_table)
        self.links: dict[str, str] = {}  # link target → its relationship id (an address in the text is a link)

    def link(self, target: str) -> str:
        """Return the relationship id of the hyperlink to ``target`` (one per target, numbered as first met)."""
        if target not in self.links:
            self.links[target] = f"rIdLink{len(self.links) + 1}"
        return self.links[target]


def new_paragraph(doc: DocumentState, container, style: str):
    """Return a new paragraph in ``container`` with the named ``style`` (python-docx's add_paragraph + style)."""
    p = add_block_element(container, P)
    ppr = etree.SubElement(p, PPR)
    style_id = doc.base.style_id(style)
    if style_id is not None:
        etree.SubElement(ppr, wtag("pStyle")).set(VAL, style_id)
    if doc.pending_break:
        doc.pending_break = False
        prop(ppr, wtag("pageBreakBefore"))
    return p
