"""Tracked changes (a redline): Word's ``w:ins`` and ``w:del`` around runs, paragraph marks and table rows."""

from __future__ import annotations

from lxml import etree

from generator.documents.model import Revision, Run
from generator.writers.docx.document_state import DocumentState
from generator.writers.docx.wordml import RPR, T, escape_attr, wtag


def new_revision(doc: DocumentState, parent, rev: Revision, tag: str | None = None):
    """Return a new ``w:ins`` or ``w:del`` element (or ``tag``) attributed to ``rev``'s author and date."""
    doc.revision_id += 1
    return parent.makeelement(
        wtag(tag or rev.kind),
        {
            wtag("id"): str(doc.revision_id),
            wtag("author"): rev.author or "generator",
            wtag("date"): f"{rev.date[:10]}T00:00:00Z",
        },
    )


def track(doc: DocumentState, r, rev: Revision | None) -> None:
    """Wrap a written run in a Word revision: inserted (``w:ins``) or deleted (``w:del``, its text as ``w:delText``)."""
    if rev is None:
        return
    wrapper = new_revision(doc, r, rev)
    r.addprevious(wrapper)
    wrapper.append(r)
    if rev.kind == "del":
        for text in r.findall(T):
            text.tag = wtag("delText")


def track_mark(doc: DocumentState, p, rev: Revision | None) -> None:
    """Mark the paragraph mark itself inserted or deleted, so accepting (rejecting) removes the whole paragraph."""
    if rev is None:
        return
    ppr = p[0]
    rpr = ppr.find(RPR)
    if rpr is None:
        rpr = etree.SubElement(ppr, RPR)
    rpr.append(new_revision(doc, rpr, rev))


def whole_revision(runs: list[Run]) -> Revision | None:
    """Return the revision of ``runs`` when every one of them is the same insertion or deletion."""
    revs = {run.rev for run in runs}
    return runs[0].rev if runs and len(revs) == 1 else None


def revision_xml(doc: DocumentState, rev: Revision, content: str | None) -> str:
    """Return a ``w:ins`` or ``w:del`` (as new_revision makes it) holding ``content`` (None: empty)."""
    doc.revision_id += 1
    head = (
        f'<w:{rev.kind} w:id="{doc.revision_id}" w:author="{escape_attr(rev.author or "generator")}" '
        f'w:date="{escape_attr(rev.date[:10])}T00:00:00Z"'
    )
    return f"{head}/>" if content is None else f"{head}>{content}</w:{rev.kind}>"
