"""A whole document: its running header, its body and its properties, zipped into the copy of the styled package.

The page header carries the running header and ``n (N)`` as real PAGE and
NUMPAGES fields; the package is zipped in one pass with fixed timestamps, so
the same document always gives the same bytes.
"""

from __future__ import annotations

import copy
from pathlib import Path
from xml.sax.saxutils import quoteattr

from lxml import etree

from generator.documents.layout import lay_out
from generator.documents.model import Document
from generator.writers.docx.blocks import hard_break, write_flow
from generator.writers.docx.document_state import DocumentState, new_paragraph
from generator.writers.docx.line_spacing import (
    HEADER_EXTRA,
    HEADER_LEADING,
    HEADER_SIZE,
    HEADER_TOP,
    TEXT_WIDTH_MM,
    TOP_MM,
    Face,
    style_face,
)
from generator.writers.docx.package import styled_package
from generator.writers.docx.tables import TABLE_MARK
from generator.writers.docx.wordml import PPR, VAL, P, add_field, add_run, mm_to_twips, prop, wtag
from generator.writers.measure import text_width
from generator.writers.ooxml_zip import CUSTOM_PART, custom_properties_xml, zip_package

HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

#: The custom document property that carries the provenance line.
PROVENANCE_PROPERTY = "generator-källor"


def _header_paragraph(doc: DocumentState, p, style: str, text: str | None, page_numbers: bool) -> None:
    """Fill the header's first paragraph: ``text`` at the left (None: none), ``n (N)`` at the right margin."""
    ppr = p.find(PPR)
    if ppr is None:
        ppr = p.makeelement(PPR, {})
        p.insert(0, ppr)
    for old in ppr.findall(wtag("pStyle")):
        ppr.remove(old)
    style_id = doc.base.style_id(style)
    if style_id is not None:
        prop(ppr, wtag("pStyle")).set(VAL, style_id)
    tabs = prop(ppr, wtag("tabs"))
    position = int(mm_to_twips(TEXT_WIDTH_MM))
    tab = tabs.makeelement(wtag("tab"), {wtag("pos"): str(position), VAL: "right"})
    for existing in tabs.iterchildren(wtag("tab")):
        if position < int(existing.get(wtag("pos"))):
            existing.addprevious(tab)
            break
    else:
        tabs.append(tab)
    if text is not None:
        add_run(p, text)
    if page_numbers:
        add_run(p, "\t")
        add_field(p, "PAGE")
        add_run(p, " (")
        add_field(p, "NUMPAGES")
        add_run(p, ")")


def prepare(reference: Path | None = None) -> None:
    """Make the styled package now (both page-header variants) and read the fonts' widths, e.g. before forking
    worker processes (from the per-user cache if :func:`generator.cache.writer_assets.install` was called)."""
    for first_page in (True, False):
        styled_package(reference, first_page)
    text_width("0"), text_width("0", True)  # and the fonts' widths that align amounts


def _xml(element) -> bytes:
    """Return a part's XML as python-docx saves it (``serialize_part_xml``)."""
    return etree.tostring(element, encoding="UTF-8", standalone=True)


def render_docx(document: Document, reference: Path | None = None) -> bytes:
    """Return the DOCX bytes of ``document``; ``reference`` supplies styles and page setup if given.

    The styled package is built once per process (and reference document); each document copies it,
    writes its body and page header as WordprocessingML and is zipped in one pass with fixed timestamps.
    """
    document = lay_out(document)
    base = styled_package(reference, document.header_first_page)
    doc = DocumentState(base)
    root = copy.deepcopy(base.document_xml)
    body = root.find(wtag("body"))
    sect_pr = body[-1]
    headers = {}
    for name, element in base.header_elements.items():
        headers[name] = copy.deepcopy(element)
    draft = document.meta.draft
    if base.first_header is not None:
        first = headers[base.first_header]
        _header_paragraph(doc, first.find(P), "Sidhuvud", None, document.page_numbers)
        if draft:  # the status is on every page, the first included
            add_run(new_paragraph(doc, first, "Sidhuvud"), draft, bold=True)
    head = headers[base.header]
    _header_paragraph(
        doc, head.find(P), "Sidhuvud", document.header[0] if document.header else "", document.page_numbers
    )
    for line in document.header[1:]:
        add_run(new_paragraph(doc, head, "Sidhuvud"), line)
    if draft:  # on every page, in the header, never in the text
        add_run(new_paragraph(doc, head, "Sidhuvud"), draft, bold=True)
    if reference is None:  # the PDF's page: the text starts lower by 11 pt for each header line past two
        extra = max(0, len(document.header) + (1 if draft else 0) - 2) * HEADER_EXTRA
        margins = sect_pr.find(wtag("pgMar"))
        margins.set(wtag("top"), str(round((TOP_MM * 72 / 25.4 + extra - style_face("Normal").top()) * 20)))
        header_face = Face("sans", HEADER_SIZE, leading=HEADER_LEADING)
        margins.set(wtag("header"), str(round((HEADER_TOP - header_face.top()) * 20)))
    write_flow(doc, body, document.blocks)
    if doc.pending_break:  # the document ends with a page break
        hard_break(doc, body)
    body.append(sect_pr)  # the section properties stay the body's last child
    names, parts, deflated = (
        (base.names, base.parts, base.deflated)
        if document.meta.source
        else (base.plain_names, base.plain_parts, base.plain_deflated)
    )
    body_xml = _xml(root)
    if doc.tables:  # each table's text in place of its comment
        body_xml = TABLE_MARK.sub(lambda found: doc.tables[int(found.group(1))].encode(), body_xml)
    written = {"word/document.xml": body_xml, "docProps/core.xml": base.core(document.meta)}
    written.update({name: _xml(element) for name, element in headers.items()})
    static, deflated = base.static, deflated
    if doc.links:  # the hyperlinks' relationships, after the package's own
        rels = "word/_rels/document.xml.rels"
        links = "".join(
            f'<Relationship Id="{rid}" Type="{HYPERLINK}" Target={quoteattr(target)} TargetMode="External"/>'
            for target, rid in doc.links.items()
        )
        written[rels] = parts[rels].replace(b"</Relationships>", links.encode() + b"</Relationships>")
        static = static - {rels}
        deflated = {name: value for name, value in deflated.items() if name != rels}
    entries = [(name, written.get(name, parts[name])) for name in names]
    if document.meta.source:
        entries.append((CUSTOM_PART, custom_properties_xml({PROVENANCE_PROPERTY: document.meta.source})))
    return zip_package(entries, static, deflated)
