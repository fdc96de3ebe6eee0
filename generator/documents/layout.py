"""The layout pass: the page rules every writer follows, decided once on the document model.

:func:`lay_out` returns the document with the fields the markup leaves to it
(see :mod:`generator.documents.model`) set from its content:

- **keep with next**: a heading stays on a page with what follows it; so does
  a paragraph ending in a colon (it introduces what follows), the block before
  a signature block, the sentence right before a table, and every block of a
  ``<keep>`` but the last (which stays with what follows the ``<keep>`` if the
  ``<keep>`` itself does). A page break in between ends every such bond.
- **keep together**: a table of up to :data:`KEEP_TABLE_ROWS` rows and
  :data:`KEEP_TABLE_CHARS` characters is never split across pages; in a longer
  one a group heading stays with its first row, and a sum or a note with the
  row above it (runs of up to :data:`KEEP_ROWS_CHARS` characters). The rows
  before the first body row, if one is a head row, head the table on every
  page. Blocks side by side stay on one page unless a column has more than
  :data:`KEEP_COLUMN_BLOCKS` blocks.
- **amounts**: a right-aligned cell with a figure in it, outside a head row,
  is an amount (:class:`~generator.documents.model.Amount`), split at its
  decimal comma so a column of them aligns on it; it stands on the last line
  of its label, as a head row's cells stand on their last line.

The pass is pure and idempotent (every decided field is derived again from the
content, so a node changed after an earlier pass, e.g. by a redline, is laid
out anew). The writers call it on the document they are given.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import TypeVar

from generator.documents.model import (
    Amount,
    Block,
    Cell,
    CellVAlign,
    Columns,
    Document,
    Heading,
    Keep,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Signatures,
    Space,
    Table,
    TableRow,
)

KEEP_TABLE_ROWS = 20  # tables up to this many rows stay on one page …
KEEP_TABLE_CHARS = 2500  # … and up to this much text
KEEP_ROWS_CHARS = 1500  # a run of rows kept together in a longer table holds at most this much text
KEEP_COLUMN_BLOCKS = 30  # blocks side by side stay on one page unless a column has more blocks than this

_DECIMAL = re.compile(r"^(.*?\d)(,\d+)(\D*)$")
_DIGIT = re.compile(r"\d")


def lay_out(document: Document) -> Document:
    """Return ``document`` with every decision of the layout pass made (see the module's docstring); a document
    laid out already is returned as it is (its nodes are checked, not trusted)."""
    blocks = _flow(document.blocks)
    return document if _same(blocks, document.blocks) else dataclasses.replace(document, blocks=blocks)


# --------------------------------------------------------------------------- blocks in a flow


def has_signatures(block: Block) -> bool:
    """Return whether ``block`` is (or ends a ``<keep>`` with) a signature block, which stays with the block before."""
    if isinstance(block, Signatures):
        return True
    return isinstance(block, Keep) and any(has_signatures(b) for b in block.blocks)


def introduces(block: Block) -> bool:
    """Return whether ``block`` introduces what follows (a line ending in a colon), so it stays with it."""
    if isinstance(block, Paragraph):
        return block.text.rstrip().endswith(":")
    if isinstance(block, Keep) and block.blocks:
        return introduces(block.blocks[-1])
    return False


def _flow(blocks: list[Block], all_sticky: bool = False, last_sticky: bool = False) -> list[Block]:
    """Return ``blocks`` laid out, each kept with the next block with content where the rules say so."""
    count = len(blocks)
    following_at: list[int | None] = [None] * count  # the index of the next block with content after each
    break_at = [count] * count  # the index of the next page break after each
    upcoming, page_break = None, count
    for index in range(count - 1, -1, -1):
        following_at[index], break_at[index] = upcoming, page_break
        if isinstance(blocks[index], PageBreak):
            page_break = index
        elif not isinstance(blocks[index], Space):
            upcoming = index
    out: list[Block] = []
    for index, block in enumerate(blocks):
        later = following_at[index]
        following = blocks[later] if later is not None else None
        sticky = False
        if break_at[index] >= (later if later is not None else count):  # no page break before what follows
            if all_sticky and later is not None:
                sticky = True
            elif later is None and last_sticky:
                sticky = True
            elif following is not None and (has_signatures(following) or introduces(block)):
                sticky = True  # a signature block stays with the paragraph before it
            elif isinstance(block, Paragraph) and isinstance(following, Table) and later == index + 1:
                sticky = True  # the sentence right before a table introduces it
        out.append(_block(block, sticky))
    return out


def _same(new: list, old: list) -> bool:
    """Return whether the pass left every node of ``old`` as it was (``new``: what it returned for them)."""
    return all(a is b for a, b in zip(new, old))


#: A block that has only its ``keep_with_next`` to lay out.
_Kept = TypeVar("_Kept", bound=Heading | Paragraph | ListBlock | Signatures | Space)


def _keeping(block: _Kept, keep: bool) -> _Kept:
    """Return ``block`` with ``keep_with_next`` set to ``keep`` (the block itself if it is so already)."""
    return block if block.keep_with_next == keep else dataclasses.replace(block, keep_with_next=keep)


def _block(block: Block, sticky: bool) -> Block:
    """Return one block laid out; ``sticky``: the flow keeps it with the next block."""
    if isinstance(block, Paragraph):
        return _keeping(block, sticky or introduces(block))
    if isinstance(block, Table):
        return _table(block, sticky)
    if isinstance(block, Heading):
        return _keeping(block, True)
    if isinstance(block, Keep):
        blocks = _flow(block.blocks, all_sticky=True, last_sticky=sticky)
        if block.keep_with_next == sticky and _same(blocks, block.blocks):
            return block
        return dataclasses.replace(block, blocks=blocks, keep_with_next=sticky)
    if isinstance(block, Columns):
        laid = [_flow(column.blocks) for column in block.columns]
        together = max((len(column.blocks) for column in block.columns), default=0) <= KEEP_COLUMN_BLOCKS
        if (
            block.keep_with_next == sticky
            and block.keep_together == together
            and all(_same(new, column.blocks) for new, column in zip(laid, block.columns))
        ):
            return block
        columns = [dataclasses.replace(column, blocks=blocks) for column, blocks in zip(block.columns, laid)]
        return dataclasses.replace(block, columns=columns, keep_with_next=sticky, keep_together=together)
    if isinstance(block, (ListBlock, Signatures, Space)):
        return _keeping(block, sticky)
    return block  # a page break


# --------------------------------------------------------------------------- tables


def header_rows(table: Table) -> int:
    """Return how many rows head ``table``: those before its first body row, if one of them is a head row."""
    rows = table.rows
    lead = 0
    while lead < len(rows) and rows[lead].kind in ("head", "group"):
        lead += 1
    return lead if any(row.kind == "head" for row in rows[:lead]) else 0


def _row_links(rows: list[TableRow], lead: int) -> list[bool]:
    """Return, per row of a table that may break, whether it stays on a page with the next row."""
    count = len(rows)
    link = [
        r >= lead
        and r + 1 < count
        and rows[r + 1].kind != "head"
        and (row.kind == "group" or rows[r + 1].kind in ("sum", "note"))
        for r, row in enumerate(rows)
    ]
    r = 0
    while r < count:  # a run of linked rows with too much text may break after all
        start = r
        while r < count - 1 and link[r]:
            r += 1
        if r > start and sum(len(c.text) for row in rows[start : r + 1] for c in row.cells) > KEEP_ROWS_CHARS:
            for index in range(start, r):
                link[index] = False
        r += 1
    return link


def _table(table: Table, sticky: bool) -> Table:
    """Return a table laid out (the table itself if it was so already)."""
    rows = table.rows
    together = len(rows) <= KEEP_TABLE_ROWS and sum(len(c.text) for row in rows for c in row.cells) <= KEEP_TABLE_CHARS
    lead = header_rows(table)
    links = [True] * (len(rows) - 1) + [False] if together else _row_links(rows, lead)
    laid = [_row(row, link) for row, link in zip(rows, links)]
    if (
        _same(laid, rows)
        and table.keep_with_next == sticky
        and table.keep_together == together
        and table.header_rows == lead
    ):
        return table
    return dataclasses.replace(table, rows=laid, keep_with_next=sticky, keep_together=together, header_rows=lead)


def _row(row: TableRow, link: bool) -> TableRow:
    # an amount sits on the last line of the label before it; an amount followed by text (a reason) stands at the top
    cells = [
        _cell(cell, row.kind, any(c.align != "right" and c.text for c in row.cells[index + 1 :]))
        for index, cell in enumerate(row.cells)
    ]
    if row.keep_with_next == link and _same(cells, row.cells):
        return row
    return TableRow(cells, row.kind, row.rev, link)


def _cell(cell: Cell, kind: str, text_follows: bool = False) -> Cell:
    if cell.align != "right":
        valign: CellVAlign = "bottom" if kind == "head" else "top"
        return (
            cell
            if cell.amount is None and cell.valign == valign
            else Cell(cell.runs, cell.align, cell.span, None, valign)
        )
    amount = amount_of(cell.runs) if kind != "head" else None
    valign = "top" if text_follows and kind != "head" else "bottom"
    if cell.valign == valign and cell.amount == amount:
        return cell
    return Cell(cell.runs, cell.align, cell.span, amount, valign)


@functools.lru_cache(maxsize=4096)
def _split(text: str) -> tuple[str, str] | None:
    """Return (the text up to the decimal comma, the rest) of a text with a figure in it, None for other text."""
    if not _DIGIT.search(text):
        return None
    found = _DECIMAL.match(text)
    return (found.group(1), found.group(2) + found.group(3)) if found else (text, "")


def amount_of(runs: list[Run]) -> Amount | None:
    """Return the amount the runs of a cell hold (None: no figure in them); see :class:`Amount`."""
    parts = _split(runs[0].text if len(runs) == 1 else "".join(run.text for run in runs))
    if parts is None:
        return None
    whole, fraction = parts
    if len(runs) == 1 and runs[0].rev is None:  # the common case: one run, not changed
        return Amount(whole, fraction, not runs[0].italic, fraction)
    aligned = not any(run.italic for run in runs)
    if any(run.rev is not None for run in runs):  # a redline: the value the cell keeps is its last run not deleted
        kept = [run for run in runs if run.rev is None or run.rev.kind == "ins"]
        new = _split(kept[-1].text.strip()) if kept else None
        return Amount(whole, fraction, aligned, new[1] if new is not None else "")
    return Amount(whole, fraction, aligned, fraction)
