"""Inline text: runs of a paragraph, as elements and as WordprocessingML text (the same XML both ways)."""

from __future__ import annotations

import re

from lxml import etree

from generator.documents.model import Run
from generator.writers.addresses import addresses
from generator.writers.docx.document_state import DocumentState
from generator.writers.docx.revisions import revision_xml, track
from generator.writers.docx.wordml import BR, RPR, TEXT_ESCAPES, VAL, add_run, escape_text, wtag

#: An address (web or e-mail) is a hyperlink, and in no language: never hyphenated nor spell-checked, as in the
#: PDF. (A long web address is left to LibreOffice's and Word's breaking, which then wrap it over as many lines as
#: the PDF's breaks at its slashes and punctuation do.)
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _hyperlink(doc: DocumentState, p, target: str) -> None:
    """Wrap the last child of ``p`` (a run, or a run in its revision) in a hyperlink to ``target``."""
    last = p[-1]
    link = p.makeelement(wtag("hyperlink"), {_R_ID: doc.link(target)})
    last.addprevious(link)
    link.append(last)


def add_runs(doc: DocumentState, p, runs: list[Run], bold: bool = False, italic: bool = False) -> None:
    for run in runs:
        if run.text == "\n":
            r = add_run(p)
            etree.SubElement(r, BR)
            track(doc, r, run.rev)
            continue
        position = 0
        for start, end, target in addresses(run.text):
            if start > position:
                before = run.text[position:start]
                track(doc, add_run(p, before, run.bold or bold, run.italic or italic), run.rev)
            r = add_run(p, run.text[start:end], run.bold or bold, run.italic or italic)
            rpr = r.find(RPR)
            if rpr is None:
                rpr = r.makeelement(RPR, {})
                r.insert(0, rpr)
            etree.SubElement(rpr, wtag("lang")).set(VAL, "zxx")  # no language: not hyphenated, not spell-checked
            track(doc, r, run.rev)
            _hyperlink(doc, p, target)
            position = end
        if position < len(run.text) or not run.text:
            track(doc, add_run(p, run.text[position:], run.bold or bold, run.italic or italic), run.rev)


_BREAKS = re.compile(r"([\t\r\n])")


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
            out.append(f"<{tag}{space}>{escape_text(piece)}</{tag}>")
    return "".join(out)


def _run_xml(text: str, bold: bool, italic: bool, deleted: bool, lang: bool = False) -> str:
    """Return a run as add_run writes it (and add_runs, ``lang``: an address, neither hyphenated nor spell-checked)."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + ('<w:lang w:val="zxx"/>' if lang else "")
    content = (f"<w:rPr>{props}</w:rPr>" if props else "") + _text_xml(text, "w:delText" if deleted else "w:t")
    return f"<w:r>{content}</w:r>" if content else "<w:r/>"


def runs_xml(doc: DocumentState, runs: list[Run], bold: bool = False, italic: bool = False) -> str:
    """Return the runs as add_runs writes them."""
    if len(runs) == 1:  # the common case: one run, not revised, no address, no tab or line end
        run = runs[0]
        text = run.text
        plain = "@" not in text and "://" not in text and "www." not in text
        if run.rev is None and text and plain and "\t" not in text and "\n" not in text and "\r" not in text:
            props = ("<w:b/>" if run.bold or bold else "") + ("<w:i/>" if run.italic or italic else "")
            space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
            return (
                f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}<w:t{space}>"
                f"{text.translate(TEXT_ESCAPES) if ('&' in text or '<' in text or '>' in text) else text}"
                "</w:t></w:r>"
            )
    out: list[str] = []
    for run in runs:
        rev = run.rev
        deleted = rev is not None and rev.kind == "del"
        text = run.text
        pieces: list[tuple[str, str | None]] = []
        if text == "\n":
            pieces.append(("<w:r><w:br/></w:r>", None))
        else:
            b, i = run.bold or bold, run.italic or italic
            position = 0
            for start, end, address in addresses(text):
                if start > position:
                    pieces.append((_run_xml(text[position:start], b, i, deleted), None))
                pieces.append((_run_xml(text[start:end], b, i, deleted, lang=True), address))
                position = end
            if position < len(text) or not text:
                pieces.append((_run_xml(text[position:], b, i, deleted), None))
        for piece, link in pieces:
            xml = piece if rev is None else revision_xml(doc, rev, piece)
            out.append(f'<w:hyperlink r:id="{doc.link(link)}">{xml}</w:hyperlink>' if link else xml)
    return "".join(out)
