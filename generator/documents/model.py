"""The one document model every template renders into and every writer reads.

Templates (``templates/*.xml.j2``) are Jinja templates that emit a small,
closed XML vocabulary; :func:`parse_document` turns it into the dataclasses
below. Writers (``generator/writers``) turn these into DOCX or PDF and know
nothing of agreements; templates know nothing of DOCX or PDF.

Markup (autoescaped by the template engine, so data text is always safe)::

    <document title="…" subject="…" author="…" keywords="…" date="2011-06-16" header="left text|second line"
              header-first-page="true|false" page-numbers="true|false" draft="UTKAST – EXEMPELDATA">
      <columns widths="1,1"><column><line>…</line></column><column>…</column></columns>
      <heading level="1">Bakgrund</heading>
      <p style="body|lead|small|right|label|title">Text with <b>bold</b>, <i>italic</i>, <br/> breaks</p>
      <list kind="bullet|number|letter"><item>…</item></list>
      <table widths="4,1" style="amounts|budget|plain">
        <caption>Tabell 5. Budget, kronor</caption>   (optional: the table's caption, above it)
        <row kind="head|body|group|sum|note"><cell align="left|right" span="2">…</cell></row>
      </table>
      <signatures place="Stockholm den 13 juni 2011">
        <signature label="För staten" name="…" title="…"/>
      </signatures>
      <keep>…blocks kept on one page…</keep>
      <space height="12"/>
      <pagebreak/>
    </document>

What the writers need beyond the markup is decided once, by the layout pass
(:func:`generator.documents.layout.lay_out`), and kept on the nodes in fields
the markup never carries and equality ignores (``compare=False``): which block
stays on a page with the next (``keep_with_next``), which table or block of
columns stays on one page (``keep_together``), a table's header rows, which
row stays with the next, and which cell is an amount (:class:`Amount`) and
how it stands in its cell (``valign``). A node made without the pass has the
fields' defaults; the writers lay out the document they are given.

A redline (generator.change.redline) adds tracked changes that the markup never
carries: a :class:`Revision` on a :class:`Run` (text inserted or deleted),
on a :class:`Heading`, :class:`TableRow` or :class:`Signatures` (inserted or deleted whole).
A paragraph or list item whose every run has the same revision is itself
inserted or deleted. Writers must show them (DOCX: ``w:ins``/``w:del``;
PDF: insertions underlined in colour, deletions struck through).

Every writer must handle every node type (like docutils' ``visit_<Node>``):
:func:`node_types` lists them and a test checks each writer.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Literal, TypeVar, get_args

from generator.errors import RenderError

# --------------------------------------------------------------------------- inline


@dataclass(frozen=True)
class Revision:
    """A tracked change: text inserted or deleted by ``author`` on ``date`` (ISO, ``2012-03-01``).

    Only a redline (generator.change.redline) carries revisions; writers show an
    insertion as such (Word: ``w:ins``; PDF: underlined, coloured) and a
    deletion as struck-through text that rejecting the changes brings back.
    """

    kind: Literal["ins", "del"]
    author: str = ""
    date: str = "2000-01-01"


@dataclass(frozen=True)
class Run:
    """A stretch of text with one emphasis; ``text == "\\n"`` is a line break; ``rev`` marks a tracked change."""

    text: str
    bold: bool = False
    italic: bool = False
    rev: Revision | None = None


Inline = list[Run]


def plain(runs: Inline) -> str:
    """Return the text of ``runs`` without emphasis."""
    return "".join(run.text for run in runs)


# --------------------------------------------------------------------------- blocks

ParagraphStyle = Literal[
    "body", "lead", "small", "right", "label", "title", "subtitle", "marker", "address", "sender", "quote"
]
ListKind = Literal["bullet", "number", "letter"]
CellAlign = Literal["left", "right", "center"]
CellVAlign = Literal["top", "bottom"]
RowKind = Literal["head", "body", "group", "sum", "note"]
TableStyle = Literal["amounts", "budget", "plain"]


#: A field the layout pass decides (generator.documents.layout): not in the markup, ignored by ``==``.
def _decided(default):
    return field(default=default, compare=False)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1
    rev: Revision | None = None  # a heading inserted or deleted as a whole (a redline)
    keep_with_next: bool = _decided(False)  # stays on a page with the block after it (every heading does)


@dataclass(frozen=True)
class Paragraph:
    runs: Inline
    style: ParagraphStyle = "body"
    keep_with_next: bool = _decided(False)

    @property
    def text(self) -> str:
        return plain(self.runs)


@dataclass(frozen=True)
class ListBlock:
    items: list[Inline]
    kind: ListKind = "bullet"
    keep_with_next: bool = _decided(False)  # every item stays with the next, the last with the next block
    level: int = 1  # 2: a list under the item before it (indented, its own marker)
    quoted: bool = False  # part of a quoted text: set in from the left as the quote's paragraphs


@dataclass(frozen=True)
class Amount:
    """An amount in a table cell, split at its decimal comma, so that a column of amounts aligns on the comma.

    ``whole`` is the text up to the comma (the whole text of a whole number), ``fraction`` the comma, the
    decimals and what follows them (``",75 %"``; ``""`` for a whole number). An amount in italics is not
    ``aligned`` (it stands as written) but takes its room in the column. In a redline, ``new_fraction`` is the
    fraction of the value the cell keeps when its changes are accepted (its last run not deleted).
    """

    whole: str
    fraction: str
    aligned: bool = True
    new_fraction: str = ""


@dataclass(frozen=True)
class Cell:
    runs: Inline
    align: CellAlign = "left"
    span: int = 1
    #: the cell's amount (a right-aligned cell with a figure, outside a head row), None for other text
    amount: Amount | None = _decided(None)
    #: where the text stands in a row of cells of several lines: an amount on the last line of its label
    valign: CellVAlign = _decided("top")

    @property
    def text(self) -> str:
        return plain(self.runs)


@dataclass(frozen=True)
class TableRow:
    cells: list[Cell]
    kind: RowKind = "body"
    rev: Revision | None = None  # a row inserted or deleted as a whole (a redline)
    keep_with_next: bool = _decided(False)  # stays on a page with the next row (the last row: see Table)


@dataclass(frozen=True)
class Table:
    rows: list[TableRow]
    widths: list[float]
    style: TableStyle = "plain"
    #: The caption above the table ("Tabell 5. Budget, kronor"); writers keep it on a page with the table's first
    #: rows (PDF: tagged as the table's Caption; DOCX: a "Caption" paragraph kept with the table).
    caption: Inline = field(default_factory=list)
    keep_with_next: bool = _decided(False)  # its last row stays on a page with the block after the table
    keep_together: bool = _decided(False)  # never split across pages (a short table)
    header_rows: int = _decided(0)  # the rows that head it, repeated on every page it takes


@dataclass(frozen=True)
class Column:
    blocks: list[Block]


@dataclass(frozen=True)
class Columns:
    """Blocks side by side (sender and addressee, date and dnr)."""

    columns: list[Column]
    widths: list[float]
    keep_with_next: bool = _decided(False)
    keep_together: bool = _decided(False)  # never split across pages (unless a column is very long)


@dataclass(frozen=True)
class Signature:
    label: str
    name: str
    title: str = ""


@dataclass(frozen=True)
class Signatures:
    """Signature blocks side by side, never split across pages."""

    signatures: list[Signature]
    place: str = ""
    rev: Revision | None = None  # signatures inserted or deleted as a whole (a redline)
    keep_with_next: bool = _decided(False)


@dataclass(frozen=True)
class Keep:
    """Blocks that must stay on one page (a heading with its first paragraph)."""

    blocks: list[Block]
    keep_with_next: bool = _decided(False)  # its last block stays on a page with the block after it


@dataclass(frozen=True)
class Space:
    height: float = 12.0  # points
    keep_with_next: bool = _decided(False)


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | ListBlock | Table | Columns | Signatures | Keep | Space | PageBreak


@dataclass(frozen=True)
class Meta:
    title: str
    subject: str = ""
    author: str = ""
    keywords: str = ""
    language: str = "sv-SE"
    date: str = "2000-01-01"  # ISO date of the document: used for created/modified, so builds are reproducible
    source: str = ""  # provenance: the input files and their hashes, and the generator (see generator.build.provenance)
    #: A status the document carries while it must not be sent or signed ("UTKAST – EXEMPELDATA"); empty for a
    #: final document. Every writer prints it on every page (in the running header) and records it in the
    #: file's properties (DOCX: the "Status" core property and the keywords; PDF: before the title and in the
    #: keywords), never in the body text.
    draft: str = ""


@dataclass
class Document:
    """A whole document: metadata, the running header, and its blocks."""

    meta: Meta
    blocks: list[Block]
    header: list[str] = field(default_factory=list)  # lines at the top left of every page
    page_numbers: bool = True  # "n (N)" at the top right of every page
    header_first_page: bool = True  # False: page 1 carries its own letterhead, the running header starts on page 2

    def text(self) -> str:
        """Return the document's text in reading order, one block per line (for tests and diffs)."""
        return "\n".join(block_text(block) for block in self.blocks if block_text(block))


def node_types() -> tuple[type, ...]:
    """Return every block node type a writer must handle."""
    return (Heading, Paragraph, ListBlock, Table, Columns, Signatures, Keep, Space, PageBreak)


def list_positions(items: list[Inline]) -> list[tuple[int | None, int | None]]:
    """Return each list item's 0-based position before and after its tracked changes (None: not there).

    An item whose every run is inserted has no position before; one whose every
    run is deleted none after. Writers number a list by these, so that accepting
    every change gives the new numbering and rejecting every change the old.
    """
    out: list[tuple[int | None, int | None]] = []
    before = after = 0
    for item in items:
        kinds = {run.rev.kind if run.rev is not None else None for run in item}
        if item and kinds == {"ins"}:
            out.append((None, after))
            after += 1
        elif item and kinds == {"del"}:
            out.append((before, None))
            before += 1
        else:
            out.append((before, after))
            before, after = before + 1, after + 1
    return out


def block_text(block: Block) -> str:
    """Return the reading-order text of one block."""
    if isinstance(block, (Heading,)):
        return block.text
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, ListBlock):
        return "\n".join(plain(item) for item in block.items)
    if isinstance(block, Table):
        lines = [plain(block.caption)] if block.caption else []
        return "\n".join(lines + [" ".join(c.text for c in row.cells if c.text) for row in block.rows])
    if isinstance(block, Columns):
        return "\n".join(block_text(b) for col in block.columns for b in col.blocks if block_text(b))
    if isinstance(block, Signatures):
        parts = [block.place] if block.place else []
        parts += [s.label for s in block.signatures]
        parts += [s.name for s in block.signatures]
        parts += [s.title for s in block.signatures if s.title]
        return "\n".join(p for p in parts if p)
    if isinstance(block, Keep):
        return "\n".join(block_text(b) for b in block.blocks if block_text(b))
    return ""


# --------------------------------------------------------------------------- parsing the markup


def _floats(value: str | None, default: list[float]) -> list[float]:
    if not value:
        return default
    return [float(part) for part in value.split(",")]


def _inline(element: ET.Element, bold: bool = False, italic: bool = False) -> Inline:
    runs: Inline = []
    if element.text:
        runs.append(Run(element.text, bold, italic))
    for child in element:
        if child.tag == "b":
            runs.extend(_inline(child, True, italic))
        elif child.tag == "i":
            runs.extend(_inline(child, bold, True))
        elif child.tag == "br":
            runs.append(Run("\n", bold, italic))
        else:
            raise RenderError(f"<{child.tag}> är inte tillåtet i text (bara <b>, <i>, <br/>)")
        if child.tail:
            runs.append(Run(child.tail, bold, italic))
    return _normalise(runs)


_BLANKS = " \t\r\n"  # collapsible; a no-break space (in every amount) is text and stays


_BLANK_RUN = re.compile(r"[ \t\r\n]+")


def _collapse(text: str) -> str:
    """Return ``text`` with each stretch of spaces, tabs and newlines as one space (no-break spaces kept)."""
    if "  " not in text and "\n" not in text and "\t" not in text and "\r" not in text:
        return text  # nothing to collapse (most runs)
    return _BLANK_RUN.sub(" ", text)


def _normalise(runs: Inline) -> Inline:
    """Collapse whitespace as HTML does, keep explicit line breaks, merge equal neighbours."""
    out: Inline = []
    for run in runs:
        if run.text == "\n":
            out.append(run)
            continue
        text = _collapse(run.text).strip(" ")
        if run.text[:1] in _BLANKS:
            text = " " + text
        if run.text[-1:] in _BLANKS and text.strip(" "):
            text = text + " "
        if not text:
            continue
        if out and out[-1].text != "\n" and (out[-1].bold, out[-1].italic) == (run.bold, run.italic):
            out[-1] = Run(out[-1].text + text, run.bold, run.italic)
        else:
            out.append(Run(text, run.bold, run.italic))
    # trim the ends and the spaces around line breaks
    cleaned: Inline = []
    for index, run in enumerate(out):
        text = run.text
        if run.text != "\n":
            if index == 0 or out[index - 1].text == "\n":
                text = text.lstrip(" ")
            if index == len(out) - 1 or out[index + 1].text == "\n":
                text = text.rstrip(" ")
        if text:
            cleaned.append(Run(text, run.bold, run.italic))
    return cleaned


_PARAGRAPH_STYLES: tuple[ParagraphStyle, ...] = get_args(ParagraphStyle)
_LIST_KINDS: tuple[ListKind, ...] = get_args(ListKind)
_CELL_ALIGNS: tuple[CellAlign, ...] = get_args(CellAlign)
_ROW_KINDS: tuple[RowKind, ...] = get_args(RowKind)
_TABLE_STYLES: tuple[TableStyle, ...] = get_args(TableStyle)

_Choice = TypeVar("_Choice", bound=str)


def _choice(el: ET.Element, name: str, default: _Choice, allowed: tuple[_Choice, ...]) -> _Choice:
    """Return the value of ``el``'s attribute ``name`` (``default`` if absent), one of ``allowed``."""
    value = el.get(name, default)
    for option in allowed:
        if value == option:
            return option
    raise RenderError(f'<{el.tag} {name}="{value}"> är inte tillåtet (bara {", ".join(allowed)})')


def _blocks(element: ET.Element) -> list[Block]:
    blocks: list[Block] = []
    for child in element:
        blocks.extend(_block(child))
    return blocks


def _block(el: ET.Element) -> list[Block]:
    tag = el.tag
    if tag == "heading":
        return [Heading(_collapse("".join(el.itertext())).strip(" "), int(el.get("level", "1")))]
    if tag == "p":
        runs = _inline(el)
        return [Paragraph(runs, _choice(el, "style", "body", _PARAGRAPH_STYLES))] if runs else []
    if tag == "line":  # a paragraph in an address/column block
        runs = _inline(el)
        return [Paragraph(runs, _choice(el, "style", "address", _PARAGRAPH_STYLES))]
    if tag == "list":
        items = [_inline(item) for item in el if item.tag == "item"]
        level = 2 if el.get("level") == "2" else 1
        kind = _choice(el, "kind", "bullet", _LIST_KINDS)
        return [ListBlock(items, kind, level=level, quoted=el.get("quoted") == "1")] if items else []
    if tag == "table":
        rows: list[TableRow] = []
        caption: Inline = []
        for row in el:
            if row.tag == "caption" and not rows and not caption:
                caption = _inline(row)
                continue
            if row.tag != "row":
                raise RenderError(f"<{row.tag}> är inte tillåtet i <table> (bara en <caption> först, och <row>)")
            cells = [
                Cell(_inline(c), _choice(c, "align", "left", _CELL_ALIGNS), int(c.get("span", "1")))
                for c in row
                if c.tag == "cell"
            ]
            rows.append(TableRow(cells, _choice(row, "kind", "body", _ROW_KINDS)))
        if not rows:
            return []
        ncols = max(sum(c.span for c in r.cells) for r in rows)
        return [
            Table(rows, _floats(el.get("widths"), [1.0] * ncols), _choice(el, "style", "plain", _TABLE_STYLES), caption)
        ]
    if tag == "columns":
        cols = [Column(_blocks(c)) for c in el if c.tag == "column"]
        return [Columns(cols, _floats(el.get("widths"), [1.0] * len(cols)))]
    if tag == "signatures":
        sigs = [
            Signature(s.get("label", ""), s.get("name", ""), s.get("title", "")) for s in el if s.tag == "signature"
        ]
        return [Signatures(sigs, el.get("place", ""))]
    if tag == "keep":
        inner = _blocks(el)
        return [Keep(inner)] if inner else []
    if tag == "space":
        return [Space(float(el.get("height", "12")))]
    if tag == "pagebreak":
        return [PageBreak()]
    if tag == "group":  # a transparent wrapper for template convenience
        return _blocks(el)
    raise RenderError(f"okänt element <{tag}> i en malls utdata")


def parse_document(markup: str) -> Document:
    """Return the :class:`Document` described by a template's XML output."""
    try:
        root = ET.fromstring(markup)
    except ET.ParseError as exc:
        line = exc.position[0] if hasattr(exc, "position") else "?"
        context = markup.splitlines()[line - 1] if isinstance(line, int) and line <= len(markup.splitlines()) else ""
        raise RenderError(f"mallen gav felaktig markering på rad {line}: {exc}\n    {context.strip()}") from None
    if root.tag != "document":
        raise RenderError(f"en mall ska ge ett <document>, inte <{root.tag}>")
    meta = Meta(
        title=root.get("title", ""),
        subject=root.get("subject", ""),
        author=root.get("author", ""),
        keywords=root.get("keywords", ""),
        language=root.get("language", "sv-SE"),
        date=root.get("date", "2000-01-01"),
        draft=_collapse(root.get("draft", "")).strip(" "),
    )
    header = [part for part in root.get("header", "").split("|") if part]
    page_numbers = root.get("page-numbers", "true") != "false"
    header_first_page = root.get("header-first-page", "true") != "false"
    return Document(meta, _blocks(root), header, page_numbers, header_first_page)


# --------------------------------------------------------------------------- writing the markup back


def escape(text: str) -> str:
    """Return ``text`` with &, < and > escaped: ``xml.sax.saxutils.escape``, whose module imports urllib.request
    (and with it ssl, http and email: about 30 ms a process) for functions a build never calls."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """Return ``text`` as a quoted XML attribute value: ``xml.sax.saxutils.quoteattr`` (see :func:`escape`)."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', "&quot;") + '"'


def _attrs(**values) -> str:
    return "".join(
        f" {name.replace('_', '-')}={quoteattr(str(value))}" for name, value in values.items() if value is not None
    )


def _floats_text(values: list[float]) -> str:
    return ",".join(f"{v:g}" for v in values)


def _inline_markup(runs: Inline) -> str:
    out = []
    for run in runs:
        if run.rev is not None:
            raise RenderError("ett dokument med spårade ändringar skrivs inte som markering")
        if run.text == "\n":
            text = "<br/>"
        else:
            text = escape(run.text)
        if run.italic:
            text = f"<i>{text}</i>"
        if run.bold:
            text = f"<b>{text}</b>"
        out.append(text)
    return "".join(out)


def _block_markup(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<heading{_attrs(level=block.level)}>{escape(block.text)}</heading>"
    if isinstance(block, Paragraph):  # <line> keeps an empty paragraph, which <p> would drop
        return f"<line{_attrs(style=block.style)}>{_inline_markup(block.runs)}</line>"
    if isinstance(block, ListBlock):
        items = "".join(f"<item>{_inline_markup(item)}</item>" for item in block.items)
        level = block.level if block.level != 1 else None
        return f"<list{_attrs(kind=block.kind, level=level, quoted='1' if block.quoted else None)}>{items}</list>"
    if isinstance(block, Table):
        rows = "".join(
            f"<row{_attrs(kind=row.kind)}>"
            + "".join(f"<cell{_attrs(align=c.align, span=c.span)}>{_inline_markup(c.runs)}</cell>" for c in row.cells)
            + "</row>"
            for row in block.rows
        )
        caption = f"<caption>{_inline_markup(block.caption)}</caption>" if block.caption else ""
        return f"<table{_attrs(widths=_floats_text(block.widths), style=block.style)}>{caption}{rows}</table>"
    if isinstance(block, Columns):
        columns = "".join("<column>" + "".join(_block_markup(b) for b in c.blocks) + "</column>" for c in block.columns)
        return f"<columns{_attrs(widths=_floats_text(block.widths))}>{columns}</columns>"
    if isinstance(block, Signatures):
        sigs = "".join(f"<signature{_attrs(label=s.label, name=s.name, title=s.title)}/>" for s in block.signatures)
        return f"<signatures{_attrs(place=block.place)}>{sigs}</signatures>"
    if isinstance(block, Keep):
        return "<keep>" + "".join(_block_markup(b) for b in block.blocks) + "</keep>"
    if isinstance(block, Space):
        return f"<space{_attrs(height=f'{block.height:g}')}/>"
    if isinstance(block, PageBreak):
        return "<pagebreak/>"
    raise TypeError(f"ingen markering för {type(block).__name__}")


def document_markup(document: Document) -> str:
    """Return the markup that :func:`parse_document` reads back as ``document`` (without its provenance).

    An issued document is kept in this form (generator.change.issuing), so what was
    sent can be compared with what the data gives now.
    """
    meta = document.meta
    head = _attrs(
        title=meta.title,
        subject=meta.subject,
        author=meta.author,
        keywords=meta.keywords,
        language=meta.language,
        date=meta.date,
        header="|".join(document.header),
        page_numbers=None if document.page_numbers else "false",
        header_first_page=None if getattr(document, "header_first_page", True) else "false",
        draft=meta.draft or None,
    )
    body = "\n".join(_block_markup(block) for block in document.blocks)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<document{head}>\n{body}\n</document>\n'
