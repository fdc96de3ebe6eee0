"""The Typst PDF writer: the document model to Typst markup, compiled to a tagged PDF/A-2a and PDF/UA-1.

Knows nothing of agreements. The markup is built in Typst's code mode: every
text from data is a Typst *string* (``#"…"``), so ``#``, ``$``, ``*``, ``_``,
``@``, ``<``, `````, ``\\``, ``[``, ``]``, ``//`` or a leading ``=`` print
literally and can never become markup. The compiler (the ``typst`` wheel, no
system libraries) embeds the shipped Liberation fonts only (system fonts are
ignored), tags headings, paragraphs, lists and tables for screen readers,
builds the outline from the headings and refuses to export a document that
breaks PDF/A-2a or PDF/UA-1.

Layout rules, each for every document (not for one place in one document): the
layout pass (:mod:`generator.documents.layout`) decides which block stays on a
page with the next (Typst's ``sticky`` blocks), which table or block of columns
is never split, which table rows stay together and head every page, and which
cells are amounts; this writer follows it, and adds:

- a label stays on a page with what follows (its style);
- a signature block is never split;
- no widow or orphan lines (Typst's paragraph costs);
- a column of amounts aligns on the decimal comma (``10`` over ``5,3``), by
  the fonts' widths (:mod:`generator.writers.measure`);
- a web or e-mail address in the text is a link (:mod:`generator.writers.addresses`),
  and a URL breaks only at its slashes.

The provenance line (:mod:`generator.build.provenance`) goes into the XMP
packet, in the generator's own namespace (:mod:`generator.writers.pdf_metadata`),
declared as PDF/A requires: never into the keywords or another property that a
reader's "Properties" shows. The creation date is the document's own date at
noon UTC, so the same document always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from importlib.resources import as_file, files

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
    list_positions,
)
from generator.errors import RenderError
from generator.writers.addresses import addresses
from generator.writers.measure import decimal_rooms, text_width
from generator.writers.pdf_metadata import add_to_xmp
from generator.writers.pdf_patch import drop_default_suspects, row_headers

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 595.2756, 841.8898  # A4 in points
LEFT = RIGHT = 25 * MM
TOP = 28 * MM
BOTTOM = 20 * MM
FRAME_WIDTH = PAGE_WIDTH - LEFT - RIGHT
HEADER_SIZE, HEADER_LEADING = 9, 11
SIGNATURE_ROOM = 42  # points of blank space for the handwritten signature
PDF_STANDARDS = ["a-2a", "ua-1"]
SERIF = "Liberation Serif"
SANS = "Liberation Sans"


def string(text: str) -> str:
    """Return ``text`` as a Typst string literal (code mode): only ``\\`` and ``"`` need escaping."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _text(text: str) -> str:
    """Return content code for plain ``text``, with web and e-mail addresses as links."""
    parts = []
    position = 0
    for start, end, target in addresses(text):
        if start > position:
            parts.append(f"#{string(text[position:start])}")
        parts.append(f"#link({string(target)}, text(hyphenate: false, {string(text[start:end])}))")
        position = end
    if position < len(text):
        parts.append(f"#{string(text[position:])}")
    return "".join(parts)


def inline(runs: list[Run], bold: bool = False) -> str:
    """Return the content (``[…]``) of inline runs; a ``"\\n"`` run is a line break."""
    parts = []
    previous = None
    for run in runs:
        if run.text == "\n":
            parts.append("#linebreak()")
            continue
        code = _text(run.text)
        if run.bold and not bold:
            code = f"#strong[{code}]"
        if run.italic:
            code = f"#emph[{code}]"
        if run.rev is not None:  # a redline: see _revised
            code = _revised(code, run, run.rev, previous)
        parts.append(code)
        previous = run
    return "[" + "".join(parts) + "]"


def _marker(kind: str, index: int) -> str:
    if kind == "letter" and index >= 26:
        raise RenderError(f"en lista med bokstäver har högst 26 poster (a–z); den här har post {index + 1}")
    return ""


# --------------------------------------------------------------------------- the preamble

PREAMBLE = r"""
#let serif = "Liberation Serif"
#let sans = "Liberation Sans"
#let body-size = 11.5pt
#set text(font: serif, size: body-size, lang: "sv", region: "SE", hyphenate: true,
          costs: (widow: 1000%, orphan: 1000%), fallback: false, top-edge: "ascender", bottom-edge: "descender")
#set par(leading: 0.2em, spacing: 0.5em, justify: false)
#set heading(numbering: none)
#show heading: set text(font: sans, weight: "bold")
#let H(level, look, body, bookmarked: true) = {
  // ``level`` is the tagged level (PDF/UA: the first is 1, none skipped); ``look`` the level it looks like
  let s = (
    (size: 14pt, font: sans, sty: "normal", above: 17pt, below: 7pt),
    (size: 12pt, font: sans, sty: "normal", above: 15pt, below: 6pt),
    (size: 11pt, font: sans, sty: "normal", above: 12pt, below: 6pt),
    (size: 11.5pt, font: serif, sty: "italic", above: 10pt, below: 5pt),
  ).at(look - 1)
  show heading: set text(size: s.size, font: s.font, style: s.sty)
  show heading: set block(above: s.above, below: s.below)
  heading(level: level, bookmarked: bookmarked, body)
}
#show link: it => it
#set list(marker: [•], indent: 1.5mm, body-indent: 4mm, spacing: 0.55em)
#set enum(indent: 1.5mm, body-indent: 3mm, spacing: 0.55em)
#let P-styles = (
  // every style but the body's, once per document (a dictionary per paragraph costs Typst a tenth of its time)
  lead: (size: 13pt, font: serif, weight: "bold", sty: "normal", align: left, below: 5pt),
  small: (size: 10pt, font: serif, weight: "regular", sty: "normal", align: left, below: 7pt),
  right: (size: body-size, font: serif, weight: "regular", sty: "normal", align: right, below: 7pt),
  label: (size: body-size, font: serif, weight: "regular", sty: "italic", align: left, below: 3pt),
  title: (size: 15pt, font: sans, weight: "bold", sty: "normal", align: left, below: 5pt),
  subtitle: (size: 12pt, font: sans, weight: "regular", sty: "normal", align: left, below: 11pt),
  marker: (size: body-size, font: sans, weight: "bold", sty: "normal", align: right, below: 13pt),
  address: (size: body-size, font: serif, weight: "regular", sty: "normal", align: left, below: 1pt),
  sender: (size: 9.5pt, font: serif, weight: "regular", sty: "normal", align: left, below: 1pt),
)
#let P(style: "body", sticky: false, body) = {
  // the body style is the document's own text (serif, body-size, regular, left): no set rules needed
  if style == "body" {
    block(above: 0pt, below: 7pt, sticky: sticky, width: 100%, par(body))
  } else if style == "quote" {
    // a quoted text (a tjänsteutlåtande's wording): the body's face, set in from the left
    block(above: 0pt, below: 7pt, sticky: sticky, width: 100%, pad(left: 8mm, par(body)))
  } else {
    let s = P-styles.at(style)
    block(above: 0pt, below: s.below, sticky: sticky or style == "label", width: 100%,
      {
        set text(size: s.size, font: s.font, weight: s.weight, style: s.sty)
        set align(s.align)
        par(body)
      })
  }
}
#let amount(int-part, frac-part, frac-room) = {
  // an amount aligned on its decimal comma: the fraction (or nothing) fills a fixed room
  int-part
  box(width: frac-room, align(left, frac-part))
}
""".strip()


def _page_setup(document: Document) -> str:
    lines = [f"#{string(line)}" for line in document.header]
    draft = document.meta.draft  # the document's status: a bold line below the running header, on every page
    extra = max(0, len(lines) + (1 if draft else 0) - 2) * HEADER_LEADING
    top = TOP + extra
    number = (
        "context [#counter(page).get().first() (#counter(page).final().first())]" if document.page_numbers else "[]"
    )
    status = [f'#text(weight: "bold", {string(draft)})'] if draft else []
    # the header's lines are fixed text; only a header left off the first page asks for the page (a context,
    # which Typst evaluates again on every page of every layout pass)
    shown = "[" + "#linebreak()".join(lines + status) + "]"
    if not document.header_first_page and lines:
        shown = f"context if counter(page).get().first() == 1 {{ [{'#linebreak()'.join(status)}] }} else {{ {shown} }}"
    header = f"""{{
  set text(font: sans, size: {HEADER_SIZE}pt, hyphenate: false)
  set par(leading: {HEADER_LEADING - HEADER_SIZE * 1.15:.2f}pt)
  grid(columns: (1fr, 25mm), align: (left + top, right + top),
    {shown},
    {{ set text(size: {HEADER_SIZE + 0.5}pt); {number} }})
}}"""
    return (
        f'#set page(paper: "a4", margin: (left: {LEFT:.3f}pt, right: {RIGHT:.3f}pt, top: {top:.3f}pt, '
        f"bottom: {BOTTOM:.3f}pt), header-ascent: 0pt, header: align(top, pad(top: {14 * MM - 8:.3f}pt, "
        f"{header})))"
    )


def _document_setup(document: Document) -> str:
    meta = document.meta
    keywords = ([meta.draft] if meta.draft else []) + [k.strip() for k in meta.keywords.split(",") if k.strip()]
    date = _date(meta.date)
    title = meta.title or "Dokument"
    parts = [f"title: {string(f'{meta.draft}: {title}' if meta.draft else title)}"]
    if meta.author:
        parts.append(f"author: {string(meta.author)}")
    if meta.subject:
        parts.append(f"description: {string(meta.subject)}")
    if keywords:
        parts.append("keywords: (" + ", ".join(string(k) for k in keywords) + ",)")
    parts.append(
        f"date: datetime(year: {date.year}, month: {date.month}, day: {date.day}, hour: 12, minute: 0, second: 0)"
    )
    return "#set document(" + ", ".join(parts) + ")"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return dt.date(2000, 1, 1)


# --------------------------------------------------------------------------- one function per node


def _heading(block: Heading) -> str:  # a heading sticks to what follows (Typst's own rule)
    look = min(max(block.level, 1), 4)
    body = (
        string(block.text)
        if block.rev is None
        else _barred(f"[#{_revised_string(block.text, block.rev)}]", {block.rev.kind})
    )  # a redline
    # a heading a redline strikes out is shown struck, but is no longer a place in the document's outline
    deleted = ", bookmarked: false" if block.rev is not None and block.rev.kind == "del" else ""
    return f"#H({_LEVELS.tag(look)}, {look}, {body}{deleted})"


class _Levels:
    """The tagged heading levels: PDF/UA wants the first heading at level 1 and no level skipped."""

    def __init__(self) -> None:
        self.previous = 0

    def tag(self, look: int) -> int:
        self.previous = min(look, self.previous + 1)
        return self.previous


_LEVELS = _Levels()


def _paragraph(block: Paragraph) -> str:
    return (
        f"#P(style: {string(block.style)}, sticky: {str(block.keep_with_next).lower()}, "
        f"{_barred(inline(block.runs), _kinds(block.runs))})"
    )


def _list(block: ListBlock) -> str:
    sticky = block.keep_with_next
    if any(_kinds(item) for item in block.items):  # a redline
        return _list_revised(block, sticky)
    for index in range(len(block.items)):
        _marker(block.kind, index)
    items = ", ".join(inline(item) for item in block.items)
    if block.kind == "bullet" and block.level > 1:  # a list under the item before it: indented, a dash
        body = f"pad(left: 5.5mm, list(marker: [–], {items},))"
    elif block.kind == "bullet":
        body = f"list({items},)"
    else:
        numbering = "a)" if block.kind == "letter" else "1."
        wide = ", body-indent: 4mm" if len(block.items) >= 10 else ""
        body = f"enum(numbering: {string(numbering)}{wide}, {items},)"
    if block.quoted:  # part of a quoted text: set in as the quote's paragraphs
        body = f"pad(left: 8mm, {body})"
    # a list introduced by a line ending in a colon: its first item sticks to the next
    return f"#block(above: 2pt, below: 8pt, sticky: {str(sticky).lower()}, {body})"


def _table(block: Table) -> str:
    sticky = block.keep_with_next
    ncols = max([len(block.widths)] + [sum(c.span for c in row.cells) for row in block.rows])
    relative = list(block.widths) + [1.0] * (ncols - len(block.widths))
    columns = "(" + ", ".join(f"{w:g}fr" for w in relative) + ",)"
    # decimal-comma alignment: per column, the room (em) of the widest ",d" tail of its amounts, bold or not
    frac_width = decimal_rooms(block)
    last = len(block.rows) - 1
    breakable = not block.keep_together
    lead = block.header_rows  # the header, repeated on every page
    spans = _kept_runs(block) if breakable else {}
    keeper = bool(spans)

    # insets: one per column as the table's own (the outer edges flush with the text), and a cell of a row
    # with other top and bottom insets (sum, group, note) names its own, all four sides, as Typst takes them
    def sides(x: int, top: float = 2.5, bottom: float = 2.5) -> str:
        left = 0 if x == 0 else 3
        right = 0 if x == ncols - 1 else 3
        return f"(left: {left}pt, right: {right}pt, top: {top}pt, bottom: {bottom}pt)"

    # alignment: each column's most frequent one is the table's, a cell that differs names its own
    wanted: dict[int, list[str]] = {}
    for row in block.rows:
        col = 0
        for cell in row.cells:
            wanted.setdefault(col, []).append(_cell_align(cell))
            col += cell.span
    column_align = []
    for x in range(ncols):
        seen = wanted.get(x, ["left + top"])
        column_align.append(max(seen, key=seen.count))
    head: list[str] = []
    body: list[str] = []
    for r, row in enumerate(block.rows):
        cells = []
        if keeper and r in spans:
            cells.append(f"table.cell(rowspan: {spans[r]}, breakable: false, inset: 0pt, [])")
        top_inset = {"sum": 3.5, "group": 7 if r > 0 else 2.5, "note": 0.5}.get(row.kind, 2.5)
        bottom_inset = 4 if row.kind == "note" else 2.5
        special = (top_inset, bottom_inset) != (2.5, 2.5)
        col = 0
        kinds = ({row.rev.kind} if row.rev is not None else set()).union(*(_kinds(c.runs) for c in row.cells))
        start, end = _BARS.marks(kinds) if kinds and row.kind != "head" else ("", "")  # a redline: a change bar
        for cell in row.cells:
            extra = f"inset: {sides(col, top_inset, bottom_inset)}, " if special else ""
            cells.append(
                _cell(
                    cell,
                    row.kind,
                    col,
                    ncols,
                    frac_width,
                    block.style,
                    (start if col == 0 else "", end),
                    column_align[col],
                    extra,
                )
            )
            col += cell.span
        for x in range(col, ncols):
            cells.append(f"table.cell(inset: {sides(x, top_inset, bottom_inset)}, [])" if special else "[]")
        line = ", ".join(cells)
        row_code = []
        if row.kind == "sum":
            row_code.append("table.hline(stroke: 0.8pt)")
        row_code.append(line)
        if row.kind == "head":
            row_code.append("table.hline(stroke: 0.8pt)")
        elif (
            block.style == "budget"
            and row.kind == "body"
            and r < last
            and block.rows[r + 1].kind not in ("sum", "head")
        ):
            row_code.append('table.hline(stroke: 0.25pt + rgb("#8c8c8c"))')
        code = ", ".join(row_code)
        (head if r < lead else body).append(code)
    insets = [sides(x) for x in range(ncols)]
    aligns = list(column_align)
    if keeper:
        columns = "(0pt, " + columns[1:]
        insets.insert(0, "0pt")
        aligns.insert(0, "left + top")
    parts = []
    if head:
        parts.append("table.header(repeat: true, " + ", ".join(head) + ")")
    parts.extend(body)
    table = (
        f"table(columns: {columns}, stroke: none, align: ({', '.join(aligns)},), "
        f"inset: ({', '.join(insets)},), " + ", ".join(parts) + ")"
    )
    table = _captioned(table, block, breakable)
    return (
        f"#block(breakable: {str(breakable).lower()}, above: 4pt, below: 10pt, sticky: {str(sticky).lower()}, "
        f"{{ set text(size: 10.5pt); set par(leading: 0.13em); {table} }})"
    )


def _captioned(table: str, block: Table, breakable: bool) -> str:
    """Return the table code with its caption above it, if it has one: a figure, so that the caption is tagged as
    the table's Caption and stays on a page with the table's first rows."""
    if not block.caption:
        return table
    caption = _barred(inline(block.caption), _kinds(block.caption))
    return (
        f"{{ show figure: set block(breakable: {str(breakable).lower()}); show figure.caption: set align(left); "
        f"figure(kind: table, supplement: none, numbering: none, gap: 5pt, caption: figure.caption(position: top, "
        f'pad(top: 6pt, text(font: sans, size: 10pt, weight: "bold", hyphenate: false, {caption}))), {table}) }}'
    )


def _kept_runs(block: Table) -> dict[int, int]:
    """Return {first row: number of rows} of every run of rows that must stay on one page (the layout's rows
    kept with the next), if there is one.

    Typst keeps rows together only under a cell that spans them: the table gets a first column of no width
    whose unbreakable cells span each run (and single rows elsewhere).
    """
    rows = block.rows
    if not any(row.keep_with_next for row in rows[:-1]):
        return {}
    runs: dict[int, int] = {}
    r = 0
    while r < len(rows):
        start = r
        while r < len(rows) - 1 and rows[r].keep_with_next:
            r += 1
        runs[start] = r - start + 1
        r += 1
    return runs


def _em_width(text: str) -> float:
    """Return the width of ``text`` in em, the wider of Liberation Serif regular and bold."""
    return max(text_width(text), text_width(text, True))


def _cell_align(cell: Cell) -> str:
    """Return a cell's alignment, horizontal and vertical (an amount sits on the last line of its label)."""
    align = {"right": "right", "center": "center"}.get(cell.align, "left")
    return f"{align} + {cell.valign}"


def _cell(
    cell: Cell,
    kind: str,
    col: int,
    ncols: int,
    frac_width: dict[int, float],
    style: str,
    marks: tuple[str, str] = ("", ""),
    column_align: str = "",
    extra: str = "",
) -> str:
    runs = cell.runs
    content = inline(runs)
    amount = cell.amount
    if amount is not None and col in frac_width:
        if _kinds(runs):  # a changed amount: the room of the decimals its new value lacks
            room = max(0.0, frac_width[col] - (_em_width(amount.new_fraction) if amount.new_fraction else 0.0))
            content = f"[#{content}#h({room:.4f}em)]"
        elif amount.aligned:
            content = f"[#amount([{_text(amount.whole)}], [{_text(amount.fraction)}], {frac_width[col]:.4f}em)]"
    if kind in ("head", "sum", "group"):
        content = f"strong({content})"
    if kind == "note":
        content = f'{{ set text(size: 9.5pt, style: "italic"); {content} }}'
    if marks[0] or marks[1]:
        content = f"[{marks[0]}#{content}{marks[1]}]"
    align = _cell_align(cell)
    span = f"colspan: {min(cell.span, ncols - col)}, " if cell.span > 1 else ""
    own = f"{span}{extra}" + ("" if align == column_align else f"align: {align}, ")
    return f"table.cell({own}{content})" if own else content


def _columns(block: Columns) -> str:
    relative = list(block.widths) + [1.0] * (len(block.columns) - len(block.widths))
    relative = relative[: len(block.columns)]
    if not block.columns:
        return ""
    cols = "(" + ", ".join(f"{w:g}fr" for w in relative) + ",)"
    cells = []
    for column in block.columns:
        cells.append("[" + "\n".join(_flow(column.blocks)) + "]")
    breakable = str(not block.keep_together).lower()
    return (
        f"#block(sticky: {str(block.keep_with_next).lower()}, breakable: {breakable}, below: 6pt, "
        f"grid(columns: {cols}, column-gutter: 6pt, " + ", ".join(cells) + "))"
    )


def _signatures(block: Signatures) -> str:
    parts = []
    say = lambda text: _revised_string(text, block.rev)  # noqa: E731 (a redline: marked as a whole)
    if block.place:
        parts.append(f"block(above: 18pt, below: 10pt, par({say(block.place)}))")
    cells = []
    for sig in block.signatures:
        lines = []
        if sig.label:
            lines.append(f"par({say(sig.label)})")
        lines.append(f"v({SIGNATURE_ROOM}pt)")
        lines.append(f"par({say(sig.name)})")
        if sig.title:
            lines.append(f"par({say(sig.title)})")
        cells.append("{ set par(spacing: 1pt); " + "; ".join(lines) + " }")
    if cells:
        per_row = 2 if len(cells) > 3 else len(cells)
        while len(cells) % per_row:
            cells.append("[]")
        parts.append(
            f"grid(columns: {per_row} * (1fr,), column-gutter: 8pt, row-gutter: 18pt, " + ", ".join(cells) + ")"
        )
    if block.rev is not None and parts:  # a redline: a change bar from the first line to the foot of the block
        start, end = _BARS.marks({block.rev.kind})
        parts = [start[1:-1] + ", line: false)", *parts, end[1:-1] + ", line: false)"]
    return (
        f"#block(breakable: false, above: 6pt, below: 12pt, sticky: {str(block.keep_with_next).lower()}, "
        "{ " + "; ".join(parts) + " })"
    )


def _keep(block: Keep) -> str:
    # each block but the last sticks to the next (the layout pass), so the group moves to a new page as one
    return "\n".join(_flow(block.blocks))


def _space(block: Space) -> str:
    return f"#v({block.height:g}pt)"


def _pagebreak(block: PageBreak) -> str:
    return "#pagebreak(weak: true)"


WRITERS: dict[type, Callable[..., str]] = {  # each takes the block of its type
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


def _flow(blocks: list[Block]) -> list[str]:
    """Return the Typst code of laid-out ``blocks``."""
    out = []
    for block in blocks:
        try:
            writer = WRITERS[type(block)]
        except KeyError:
            raise TypeError(f"PDF-skrivaren har ingen regel för {type(block).__name__}") from None
        out.append(writer(block))
    return out


# --------------------------------------------------------------------------- revision marks (a redline)

#: As the reportlab writer and Word: an insertion underlined in blue, a deletion struck through in red; a bar in
#: the left margin beside every paragraph, list item, table row or signature block with a change (blue: all of it
#: inserted, red: all of it deleted, grey: changed within). Typst tags an underline or strike as a Span with the
#: standard layout attribute TextDecorationType (Underline, LineThrough), which screen readers can announce; the
#: struck text stays in the text (it is what the issued version said), and a legend at the start says in words
#: what the marks mean. The bars are drawn in the page foreground, so they are artifacts, not content.
INSERTED_COLOUR, DELETED_COLOUR, CHANGED_COLOUR = "#0b5cad", "#b3261e", "#6b6b6b"
BAR_OFFSET = 4 * MM  # from the text's left edge into the margin
LEGEND = (
    "Ändringsmarkerad mot den utfärdade versionen. Text som har tillkommit är @Ins, text som har tagits "
    "bort är @Del. Ett streck i vänstermarginalen står vid varje ändrat stycke, listpunkt, tabellrad och "
    "underskriftsblock."
)

REDLINE_PREAMBLE = r"""
#let ins-colour = rgb("%(ins)s")
#let del-colour = rgb("%(del)s")
#let Ins(body) = underline(stroke: 0.6pt + ins-colour, offset: 1.8pt, text(fill: ins-colour, body))
#let Del(body) = strike(stroke: 0.7pt + del-colour, text(fill: del-colour, body))
// a change bar: a start and an end mark (invisible metadata) in the text; the page foreground joins them. A mark
// in a line lies 0.69 em below the line's top: the bar reaches from the top of the first line to the foot of the last
#let BarS(id, colour, line: true) = [#metadata((id: id, edge: "s", colour: colour, line: line))<chbar>]
#let BarE(id, line: true) = [#metadata((id: id, edge: "e", line: line))<chbar>]
#set page(foreground: context {
  let page-no = here().page()
  let spans = (:)
  for mark in query(<chbar>) {
    let pos = mark.location().position()
    let key = str(mark.value.id)
    let span = spans.at(key, default: (colour: none, first: none, last: none))
    if mark.value.edge == "s" {
      span.colour = mark.value.colour
      span.first = (page: pos.page, y: pos.y - if mark.value.line { 7.5pt } else { 0pt })
    } else {
      let end = (page: pos.page, y: pos.y + if mark.value.line { 4.5pt } else { 0pt })
      if span.last == none or end.page > span.last.page or (end.page == span.last.page and end.y > span.last.y) {
        span.last = end
      }
    }
    spans.insert(key, span)
  }
  for (key, span) in spans {
    if span.first == none or span.last == none { continue }
    if span.first.page > page-no or span.last.page < page-no { continue }
    let y1 = if span.first.page == page-no { span.first.y } else { %(top).3fpt }
    let y2 = if span.last.page == page-no { span.last.y } else { page.height - %(bottom).3fpt }
    place(top + left, dx: %(x).3fpt, dy: y1,
      line(start: (0pt, 0pt), end: (0pt, calc.max(y2 - y1, 2pt)), stroke: 1.5pt + rgb(span.colour)))
  }
})
""".strip()


class _Bars:
    """Numbers the change bars of one document."""

    def __init__(self) -> None:
        self.count = 0

    def marks(self, kinds: set[str]) -> tuple[str, str]:
        """Return the (start, end) marks of a new bar for a unit whose revisions are of ``kinds``."""
        self.count += 1
        colour = INSERTED_COLOUR if kinds == {"ins"} else DELETED_COLOUR if kinds == {"del"} else CHANGED_COLOUR
        return f"#BarS({self.count}, {string(colour)})", f"#BarE({self.count})"


_BARS = _Bars()


def _revised(code: str, run: Run, rev: Revision, previous: Run | None) -> str:
    """Return the content code of a run inserted (underlined) or deleted (struck through) in a redline (``rev``)."""
    wrapped = f"#Ins[{code}]" if rev.kind == "ins" else f"#Del[{code}]"
    if (
        previous is not None
        and previous.rev is not None
        and previous.rev.kind == "del"
        and rev.kind == "ins"
        and not previous.text.endswith((" ", "\u00a0"))
    ):
        wrapped = '#" "' + wrapped  # a struck amount and its replacement do not run together
    return wrapped


def _kinds(runs: list[Run]) -> set[str]:
    return {run.rev.kind for run in runs if run.rev is not None}


def _barred(content: str, kinds: set[str]) -> str:
    """Return ``content`` (a content expression) with a change bar beside it if ``kinds`` is not empty."""
    if not kinds:
        return content
    start, end = _BARS.marks(kinds)
    return f"[{start}#{content}{end}]"


def _revised_string(text: str, rev: Revision | None) -> str:
    """Return a code expression for ``text`` marked as a whole (a heading, a signature line), or a plain string."""
    if rev is None:
        return string(text)
    return f"{'Ins' if rev.kind == 'ins' else 'Del'}({string(text)})"


def _has_revisions(blocks: list[Block]) -> bool:
    for block in blocks:
        if isinstance(block, (Heading, Signatures)) and block.rev is not None:
            return True
        if isinstance(block, Paragraph) and _kinds(block.runs):
            return True
        if isinstance(block, ListBlock) and any(_kinds(item) for item in block.items):
            return True
        if isinstance(block, Table) and any(
            row.rev is not None or any(_kinds(c.runs) for c in row.cells) for row in block.rows
        ):
            return True
        if isinstance(block, Columns) and any(_has_revisions(c.blocks) for c in block.columns):
            return True
        if isinstance(block, Keep) and _has_revisions(block.blocks):
            return True
    return False


def _redline_setup(document: Document) -> list[str]:
    """Return the preamble and legend of a document with revision marks (nothing for any other document)."""
    if not _has_revisions(document.blocks):
        return []
    lines = len(document.header) + (1 if document.meta.draft else 0)
    top = TOP + max(0, lines - 2) * HEADER_LEADING  # as _page_setup
    preamble = REDLINE_PREAMBLE % {
        "ins": INSERTED_COLOUR,
        "del": DELETED_COLOUR,
        "top": top,
        "bottom": BOTTOM,
        "x": LEFT - BAR_OFFSET,
    }
    legend = "".join(
        f"#{piece[1:]}[{_text(words)}]" if piece.startswith("@") else _text(piece)
        for piece in re.split(r"(@Ins|@Del)", LEGEND)
        if piece
        for words in [("understruken i blått" if piece == "@Ins" else "överstruken i rött")]
    )
    return [
        preamble,
        "#block(above: 0pt, below: 12pt, breakable: false, { set text(font: sans, size: 9pt); "
        f"set par(leading: 0.35em); par[{legend}] }})",
    ]


def _list_revised(block: ListBlock, sticky: bool) -> str:
    """Return a list with revision marks: each item numbered as Word shows it (a renumbered item: the old number
    struck, the new one underlined), and a bar beside each changed item."""
    positions = list_positions(block.items)
    if block.kind == "bullet":
        bodies = [_barred(inline(item), _kinds(item)) for item in block.items]
        body = f"list({', '.join(bodies)},)"
    else:

        def marker(index: int | None) -> str:
            if index is None:
                return ""
            _marker(block.kind, index)
            return f"{'abcdefghijklmnopqrstuvwxyz'[index]})" if block.kind == "letter" else f"{index + 1}."

        markers, bodies = [], []
        for item, (before, after) in zip(block.items, positions):
            old, new = marker(before), marker(after)
            kinds = _kinds(item)
            bodies.append(_barred(inline(item), kinds or ({"ins", "del"} if old and new and old != new else set())))
            if old and new and old != new:
                markers.append(f"[#Del[{_text(old)}] #Ins[{_text(new)}]]")
            elif kinds in ({"ins"}, {"del"}) and (before is None or after is None):
                markers.append(f"[#{'Ins' if kinds == {'ins'} else 'Del'}[{_text(new or old)}]]")
            else:
                markers.append(f"[{_text(new or old)}]")
        wide = ", body-indent: 4mm" if len(block.items) >= 10 else ""
        items = ", ".join(f"enum.item({i + 1}, {b})" for i, b in enumerate(bodies))
        body = f"enum(numbering: n => ({', '.join(markers)},).at(n - 1){wide}, {items},)"
    return f"#block(above: 2pt, below: 8pt, sticky: {str(sticky).lower()}, {body})"


# --------------------------------------------------------------------------- the whole document


def markup(document: Document) -> str:
    """Return the Typst source of ``document`` (laid out first: :func:`generator.documents.layout.lay_out`)."""
    global _LEVELS, _BARS
    document = lay_out(document)
    _LEVELS = _Levels()
    _BARS = _Bars()
    body = _flow(document.blocks)
    redline = _redline_setup(document)  # nothing unless the document has revision marks
    return "\n".join([PREAMBLE, _document_setup(document), _page_setup(document), *redline, *body, ""])


@lru_cache(maxsize=1)
def _font_folder() -> str:
    resource = files("generator") / "fonts"
    with as_file(resource) as path:  # a real folder for an installed package
        return str(path)


@lru_cache(maxsize=1)
def _compiler():
    """One compiler per process: the fonts are read once, and Typst reuses its work between documents."""
    import typst

    if hasattr(typst, "Fonts"):  # only the shipped fonts: the wheel's own (Libertinus, New Computer Modern, …) unread
        fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[_font_folder()])
        return typst.Compiler(font_paths=fonts)
    return typst.Compiler(font_paths=[_font_folder()], ignore_system_fonts=True)


def load_fonts() -> None:
    """Make this process's compiler, reading the fonts, without compiling a document (which would start threads)."""
    _compiler()


def compiler_started() -> bool:
    """Return True once this process has made its compiler: Typst may then run threads, and forking is unsafe."""
    return bool(_compiler.cache_info().currsize)


def render_pdf(document: Document) -> bytes:
    """Return the PDF bytes of ``document`` (tagged PDF/A-2a and PDF/UA-1); the same document gives the same bytes."""
    source = markup(document)
    date = _date(document.meta.date)
    stamp = int(dt.datetime(date.year, date.month, date.day, 12, tzinfo=dt.UTC).timestamp())
    try:
        pdf = _compiler().compile(input=source.encode("utf-8"), pdf_standards=PDF_STANDARDS, timestamp=stamp)
    except Exception as exc:  # typst.TypstError: the message names the line of the generated source
        raise RenderError(f"Typst kunde inte sätta dokumentet: {exc}") from exc
    if document.meta.source:
        pdf = add_to_xmp(pdf, document.meta.source)
    return row_headers(drop_default_suspects(pdf))
