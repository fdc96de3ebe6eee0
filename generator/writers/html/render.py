"""The document model as one HTML page: semantic, accessible (WCAG 2.1 AA) and self-contained.

Knows nothing of agreements. Every text from data is escaped (``html.escape``), so it can never become markup.
The page has ``lang="sv"``, a skip link to the text, the running header and a draft status above it, headings
as ``h2``–``h6`` under the page's one ``h1``, the document's title (shown on screen, not printed),
lists as ``ul``/``ol``, tables with a caption, ``th`` header cells with ``scope`` and a ``thead`` for the rows
that head them, and tracked changes as ``ins``/``del``. The style sheet is inline (screen and print, A4 as the
PDF); no font, script or image is fetched. The same document always gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from generator.documents.layout import lay_out
from generator.documents.model import (
    Block,
    Cell,
    Columns,
    Document,
    Heading,
    Keep,
    ListBlock,
    PageBreak,
    Paragraph,
    Revision,
    Run,
    Signatures,
    Space,
    Table,
    TableRow,
)
from generator.writers.html.styles import STYLE

_URL = re.compile(r"https?://[^\s<>\"”]+[^\s<>\"”.,;:!?)]")

_PARAGRAPH_CLASSES = {
    "body": "",
    "lead": "ingress",
    "small": "liten",
    "right": "hoger",
    "label": "etikett",
    "title": "titel",
    "subtitle": "undertitel",
    "marker": "markering",
    "address": "adress",
    "sender": "avsandare",
    "quote": "",  # inside the blockquote that _flow sets around a quoted passage
}


class _Page:
    """What writing one page keeps track of: the last heading (a table without a caption is named by it)."""

    def __init__(self) -> None:
        self.last_heading = ""


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _linked(text: str) -> str:
    """Return ``text`` escaped, each URL in it a link."""
    out, start = [], 0
    for match in _URL.finditer(text):
        out.append(escape(text[start : match.start()], quote=False))
        url = match.group(0)
        out.append(f'<a href="{_attr(url)}">{escape(url, quote=False)}</a>')
        start = match.end()
    out.append(escape(text[start:], quote=False))
    return "".join(out)


def _revision(content: str, rev: Revision) -> str:
    tag = rev.kind
    who = (
        f' title="{_attr(("Infogat" if tag == "ins" else "Borttaget") + (" av " + rev.author if rev.author else ""))}"'
    )
    return f'<{tag} datetime="{_attr(rev.date)}"{who}>{content}</{tag}>'


def inline(runs: list[Run]) -> str:
    """Return ``runs`` as HTML: bold as ``strong``, italics as ``em``, breaks as ``br``, changes as ``ins``/``del``."""
    out = []
    for run in runs:
        text = "<br>" if run.text == "\n" else _linked(run.text)
        if run.italic and run.text != "\n":
            text = f"<em>{text}</em>"
        if run.bold and run.text != "\n":
            text = f"<strong>{text}</strong>"
        if run.rev is not None:
            text = _revision(text, run.rev)
        out.append(text)
    return "".join(out)


def _heading(block: Heading, page: _Page) -> str:
    level = min(6, max(2, block.level + 1))  # the page's h1 is the document's title
    page.last_heading = block.text
    text = escape(block.text, quote=False)
    if block.rev is not None:
        text = _revision(text, block.rev)
    return f"<h{level}>{text}</h{level}>"


def _paragraph(block: Paragraph, page: _Page) -> str:
    css = _PARAGRAPH_CLASSES[block.style]
    if not block.runs:
        return ""
    return f'<p class="{css}">{inline(block.runs)}</p>' if css else f"<p>{inline(block.runs)}</p>"


def _list(block: ListBlock, page: _Page) -> str:
    items = "".join(f"<li>{inline(item)}</li>" for item in block.items)
    if block.kind == "bullet":
        return f"<ul>{items}</ul>"
    if block.kind == "letter":
        return f'<ol class="bokstav" type="a">{items}</ol>'
    return f"<ol>{items}</ol>"


def _cell_class(cell: Cell) -> str:
    if cell.align == "right":
        return "h"
    if cell.align == "center":
        return "c"
    return ""


def _cell(tag: str, cell: Cell, scope: str = "") -> str:
    attrs = ""
    if scope and cell.text.strip():
        attrs += f' scope="{scope}"'
    else:
        tag = "td" if tag == "th" and not cell.text.strip() else tag  # an empty header cell heads nothing
    if cell.span > 1:
        attrs += f' colspan="{cell.span}"'
    css = _cell_class(cell)
    if css:
        attrs += f' class="{css}"'
    return f"<{tag}{attrs}>{inline(cell.runs)}</{tag}>"


def _row(row: TableRow, head: bool) -> str:
    cells: list[str] = []
    css = {"group": "grupp", "sum": "summa", "note": "not"}.get(row.kind, "")
    if head:
        cells = [_cell("th", cell, "colgroup" if cell.span > 1 else "col") for cell in row.cells]
    elif row.kind == "group" and len(row.cells) == 1:
        cells = [_cell("th", row.cells[0], "rowgroup")]
    elif row.kind == "note":
        cells = [_cell("td", cell) for cell in row.cells]
    else:
        for index, cell in enumerate(row.cells):
            first = index == 0 and len(row.cells) > 1 and cell.align == "left" and cell.text.strip() != ""
            cells.append(_cell("th", cell, "row") if first else _cell("td", cell))
    body = "".join(cells)
    if row.rev is not None:  # a row inserted or deleted whole: marked as such, its cells' text in ins or del
        tag = row.rev.kind
        body = re.sub(r"(<t[hd][^>]*>)(.*?)(</t[hd]>)", lambda m: f"{m[1]}<{tag}>{m[2]}</{tag}>{m[3]}", body)
        css = (css + " " if css else "") + ("infogad" if tag == "ins" else "borttagen")
    return f'<tr class="{css}">{body}</tr>' if css else f"<tr>{body}</tr>"


def _table(block: Table, page: _Page) -> str:
    heads = block.header_rows or sum(1 for _ in _leading_heads(block.rows))
    if block.caption:
        caption = f"<caption>{inline(block.caption)}</caption>"
    elif page.last_heading:  # a table is named by what it stands under, for a screen reader's list of tables
        caption = f'<caption class="visuellt-dold">{escape(page.last_heading, quote=False)}</caption>'
    else:
        caption = ""
    head = "".join(_row(r, True) for r in block.rows[:heads])
    body = "".join(_row(r, False) for r in block.rows[heads:])
    css = block.style + (" hel" if block.keep_together else "")  # a short table the layout pass keeps on one page
    parts = [f'<table class="{css}">', caption]
    if head:
        parts.append(f"<thead>{head}</thead>")
    if body:
        parts.append(f"<tbody>{body}</tbody>")
    parts.append("</table>")
    return "".join(parts)


def _leading_heads(rows: list[TableRow]):
    for row in rows:
        if row.kind != "head":
            return
        yield row


def _columns(block: Columns, page: _Page) -> str:
    widths = " ".join(f"{w:g}fr" for w in block.widths)
    inner = "".join(f"<div>{_flow(column.blocks, page)}</div>" for column in block.columns)
    return f'<div class="kolumner" style="grid-template-columns: {widths}">{inner}</div>'


def _signatures(block: Signatures, page: _Page) -> str:
    place = f"<p>{escape(block.place, quote=False)}</p>" if block.place else ""
    signatures = []
    for signature in block.signatures:
        lines = []
        if signature.label:
            lines.append(f'<p class="etikett">{escape(signature.label, quote=False)}</p>')
        lines.append('<div class="plats"></div>')
        lines.append(f"<p>{escape(signature.name, quote=False)}</p>")
        if signature.title:
            lines.append(f"<p>{escape(signature.title, quote=False)}</p>")
        signatures.append(f'<div class="underskrift">{"".join(lines)}</div>')
    content = f'{place}<div class="rad">{"".join(signatures)}</div>'
    if block.rev is not None:
        content = _revision(content, block.rev)
    return f'<section class="underskrifter" aria-label="Underskrifter">{content}</section>'


def _keep(block: Keep, page: _Page) -> str:
    return f'<div class="tillsammans">{_flow(block.blocks, page)}</div>'


def _space(block: Space, page: _Page) -> str:
    return f'<div style="height: {block.height:g}pt"></div>'


def _pagebreak(block: PageBreak, page: _Page) -> str:
    return '<div class="sidbrytning"></div>'


WRITERS: dict[type, Callable[..., str]] = {  # each takes the block of its type and the page
    Heading: _heading,
    Paragraph: _paragraph,
    ListBlock: _list,
    Table: _table,
    Columns: _columns,
    Signatures: _signatures,
    Keep: _keep,
    Space: _space,
    PageBreak: _pagebreak,
}


def _quoted(block: Block) -> bool:
    """Return True for a block of a quoted passage: a paragraph in the quote style or a list marked quoted."""
    return (isinstance(block, Paragraph) and block.style == "quote") or (isinstance(block, ListBlock) and block.quoted)


def _flow(blocks: list[Block], page: _Page) -> str:
    """Return the blocks as HTML: a run of quoted blocks in one ``blockquote``, a list of level 2 inside the last
    item of the list before it (as it is read: a list under that item)."""
    out: list[str] = []
    quote: list[str] | None = None
    for block in blocks:
        write = WRITERS.get(type(block))
        if write is None:
            raise TypeError(f"ingen regel för {type(block).__name__}")
        if quote is not None and not _quoted(block):
            out.append('<blockquote class="citat">\n' + "\n".join(quote) + "\n</blockquote>")
            quote = None
        if quote is None and _quoted(block):
            quote = []
        target = out if quote is None else quote
        piece = write(block, page)
        if not piece:
            continue
        if isinstance(block, ListBlock) and block.level > 1 and target and re.search(r"</li></[ou]l>$", target[-1]):
            before = target[-1]
            closing = before[before.rindex("</li>") :]
            target[-1] = before[: before.rindex("</li>")] + piece + closing
            continue
        target.append(piece)
    if quote is not None:
        out.append('<blockquote class="citat">\n' + "\n".join(quote) + "\n</blockquote>")
    return "\n".join(out)


def body(document: Document) -> str:
    """Return the page's content (the header, the draft status and the text) without the page around it.

    ``generator serve`` shows it inside its own page; :func:`render_html` inside a page of its own.
    """
    page = _Page()
    parts = [f'<h1 class="dokumenttitel">{escape(document.meta.title or "Dokument", quote=False)}</h1>']
    if document.meta.draft:
        parts.append(f'<p class="utkast" role="note">{escape(document.meta.draft, quote=False)}</p>')
    if document.header:
        lines = "".join(f"<p>{escape(line, quote=False)}</p>" for line in document.header)
        parts.append(f'<div class="sidhuvud">{lines}</div>')
    parts.append(_flow(document.blocks, page))
    return "\n".join(parts)


def render_html(document: Document) -> bytes:
    """Return ``document`` as a self-contained HTML page (UTF-8)."""
    document = lay_out(document)
    meta = document.meta
    title = meta.title
    if meta.draft:
        title = f"{meta.draft}: {title}"
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title, quote=False)}</title>",
    ]
    for name, value in (
        ("description", meta.subject),
        ("author", meta.author),
        ("keywords", meta.keywords),
        ("dcterms.date", meta.date),
        ("dcterms.source", meta.source),
    ):
        if value:
            head.append(f'<meta name="{name}" content="{_attr(value)}">')
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{_attr(_language(meta.language))}">\n<head>\n'
        + "\n".join(head)
        + f"\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n"
        + '<a class="hoppa" href="#innehall">Hoppa till innehållet</a>\n'
        + f'<main id="innehall" class="sida">\n{body(document)}\n</main>\n</body>\n</html>\n'
    )
    return page.encode("utf-8")


def _language(tag: str) -> str:
    """Return the page's language: ``sv`` for Swedish (``sv-SE``), any other tag as given."""
    return "sv" if tag.lower().startswith("sv") else tag
