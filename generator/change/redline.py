"""A redline: the new version of a document with every change against an earlier one as a tracked change.

Both versions are document models (generator.documents.model), so the comparison
is of blocks, table rows and cells, and words, never of finished files:
blocks are aligned by their kind and text (difflib), a changed paragraph,
list item, table cell or heading is compared word by word (an amount with its
no-break spaces is one word, so ``7 000 000 kronor`` is replaced as a
whole), a row that is new or gone is an inserted or deleted row, and a
block that is new or gone is inserted or deleted whole. The result carries
:class:`~generator.documents.model.Revision` marks that the writers render: Word
revisions in DOCX (Accept/Reject all work), underline and strike in PDF.

Accepting every change gives the new document's text; rejecting every
change gives the old one's (tests/change/test_issuing.py checks both on the DOCX).
"""

from __future__ import annotations

import dataclasses
import re
from difflib import SequenceMatcher

from generator.documents.model import (
    Block,
    Column,
    Columns,
    Document,
    Heading,
    Inline,
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
    block_text,
    plain,
)

_TOKEN = re.compile(r"[ \n]+|[^ \n]+")  # a no-break space is part of its word


def _tokens(runs: Inline) -> list[Run]:
    out = []
    for run in runs:
        if run.text == "\n":
            out.append(run)
        else:
            out.extend(Run(part, run.bold, run.italic) for part in _TOKEN.findall(run.text))
    return out


def _merge(runs: list[Run]) -> Inline:
    out: list[Run] = []
    for run in runs:
        if (
            out
            and run.text != "\n"
            and out[-1].text != "\n"
            and (out[-1].bold, out[-1].italic, out[-1].rev) == (run.bold, run.italic, run.rev)
        ):
            out[-1] = Run(out[-1].text + run.text, run.bold, run.italic, run.rev)
        else:
            out.append(run)
    return out


def _marked(runs: Inline, rev: Revision) -> Inline:
    return [Run(r.text, r.bold, r.italic, rev) for r in runs]


def diff_runs(old: Inline, new: Inline, ins: Revision, dele: Revision) -> Inline:
    """Return ``new`` with the words of ``old`` that are gone as deletions and its own new words as insertions."""
    a, b = _tokens(old), _tokens(new)
    key = lambda r: (r.text, r.bold, r.italic)  # noqa: E731
    out: list[Run] = []
    matcher = SequenceMatcher(None, [key(r) for r in a], [key(r) for r in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(b[j1:j2])
            continue
        out.extend(_marked(a[i1:i2], dele))
        out.extend(_marked(b[j1:j2], ins))
    return _merge(out)


class Redliner:
    """Compares an old and a new document model; ``author`` and ``date`` go on every revision."""

    def __init__(self, author: str, date: str):
        self.ins = Revision("ins", author, date)
        self.dele = Revision("del", author, date)
        self.changes = 0

    # ------------------------------------------------------------ whole blocks in or out

    def whole(self, block: Block, rev: Revision) -> Block:
        """Return ``block`` marked as inserted or deleted as a whole."""
        self.changes += 1
        if isinstance(block, Heading):
            return dataclasses.replace(block, rev=rev)
        if isinstance(block, Paragraph):
            return dataclasses.replace(block, runs=_marked(block.runs, rev))
        if isinstance(block, ListBlock):
            return dataclasses.replace(block, items=[_marked(item, rev) for item in block.items])
        if isinstance(block, Table):
            return dataclasses.replace(
                block, rows=[self._row(row, rev) for row in block.rows], caption=_marked(block.caption, rev)
            )
        if isinstance(block, Columns):
            return dataclasses.replace(
                block, columns=[Column([self.whole(b, rev) for b in c.blocks]) for c in block.columns]
            )
        if isinstance(block, Keep):
            return dataclasses.replace(block, blocks=[self.whole(b, rev) for b in block.blocks])
        if isinstance(block, Signatures):
            return dataclasses.replace(block, rev=rev)
        return block  # Space, PageBreak: no text to mark; a deleted one is left out (see _out)

    def _out(self, block: Block, rev: Revision) -> list[Block]:
        """Return ``block`` in or out as a whole; a deleted block without text of its own is simply left out."""
        if rev.kind == "del" and isinstance(block, (Space, PageBreak)):
            self.changes += 1
            return []
        return [self.whole(block, rev)]

    def _row(self, row: TableRow, rev: Revision) -> TableRow:
        return dataclasses.replace(
            row, rev=rev, cells=[dataclasses.replace(c, runs=_marked(c.runs, rev)) for c in row.cells]
        )

    # ------------------------------------------------------------ a changed block

    def changed(self, old: Block, new: Block) -> list[Block]:
        """Return ``new`` with its differences from ``old`` (a block of the same kind) marked."""
        if old == new:
            return [new]
        if isinstance(new, Paragraph) and isinstance(old, Paragraph) and old.style == new.style:
            self.changes += 1
            return [dataclasses.replace(new, runs=diff_runs(old.runs, new.runs, self.ins, self.dele))]
        if isinstance(new, Heading) and isinstance(old, Heading) and old.level == new.level:
            return [*self._out(old, self.dele), *self._out(new, self.ins)]
        if isinstance(new, ListBlock) and isinstance(old, ListBlock) and old.kind == new.kind:
            items = self._sequence(
                old.items, new.items, plain, self._item_changed, lambda item, rev: _marked(item, rev)
            )
            return [dataclasses.replace(new, items=items)]
        if isinstance(new, Table) and isinstance(old, Table) and len(old.widths) == len(new.widths):
            rows = self._sequence(
                old.rows, new.rows, lambda r: " | ".join(c.text for c in r.cells), self._row_changed, self._row
            )
            caption = new.caption
            if old.caption != new.caption:
                self.changes += 1
                caption = diff_runs(old.caption, new.caption, self.ins, self.dele)
            return [dataclasses.replace(new, rows=rows, caption=caption)]
        if isinstance(new, Columns) and isinstance(old, Columns) and len(old.columns) == len(new.columns):
            columns = [Column(self.blocks(o.blocks, n.blocks)) for o, n in zip(old.columns, new.columns)]
            return [dataclasses.replace(new, columns=columns)]
        if isinstance(new, Keep) and isinstance(old, Keep):
            return [dataclasses.replace(new, blocks=self.blocks(old.blocks, new.blocks))]
        return [*self._out(old, self.dele), *self._out(new, self.ins)]

    def _item_changed(self, old: Inline, new: Inline) -> list[Inline]:
        self.changes += 1
        return [diff_runs(old, new, self.ins, self.dele)]

    def _row_changed(self, old: TableRow, new: TableRow) -> list[TableRow]:
        if [c.span for c in old.cells] != [c.span for c in new.cells] or old.kind != new.kind:
            return [self._row(old, self.dele), self._row(new, self.ins)]
        cells = [
            dataclasses.replace(n, runs=diff_runs(o.runs, n.runs, self.ins, self.dele)) if o != n else n
            for o, n in zip(old.cells, new.cells)
        ]
        self.changes += 1
        return [dataclasses.replace(new, cells=cells)]

    def _sequence(self, old: list, new: list, text, changed, whole) -> list:
        """Return ``new`` aligned with ``old``: equal items kept, pairs compared by ``changed``, the rest in or out."""
        out: list = []
        matcher = SequenceMatcher(None, [text(x) for x in old], [text(x) for x in new], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                for o, n in zip(old[i1:i2], new[j1:j2]):
                    out.extend([n] if o == n else changed(o, n))  # same text, other formatting
                continue
            pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
            for o, n in zip(old[i1 : i1 + pairs], new[j1 : j1 + pairs]):
                out.extend(changed(o, n))
            for o in old[i1 + pairs : i2]:
                self.changes += 1
                out.append(whole(o, self.dele))
            for n in new[j1 + pairs : j2]:
                self.changes += 1
                out.append(whole(n, self.ins))
        return out

    def blocks(self, old: list[Block], new: list[Block]) -> list[Block]:
        """Return the blocks of ``new`` with every difference from ``old`` marked."""

        def key(block: Block) -> str:
            return f"{type(block).__name__}:{getattr(block, 'style', '')}:{block_text(block)}"

        out: list[Block] = []
        matcher = SequenceMatcher(None, [key(b) for b in old], [key(b) for b in new], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                for o, n in zip(old[i1:i2], new[j1:j2]):
                    out.extend([n] if o == n else self.changed(o, n))
                continue
            olds, news = list(old[i1:i2]), list(new[j1:j2])
            while olds or news:  # pair blocks of one kind in order; what is left over is deleted or inserted
                if olds and news and type(olds[0]) is type(news[0]):
                    out.extend(self.changed(olds.pop(0), news.pop(0)))
                elif olds and (not news or not any(type(n) is type(olds[0]) for n in news)):
                    out.extend(self._out(olds.pop(0), self.dele))
                else:
                    out.extend(self._out(news.pop(0), self.ins))
        return out


def redline(old: Document, new: Document, author: str, date: str, note: str = "") -> tuple[Document, int]:
    """Return the redline of ``new`` against ``old`` and the number of changes (0: the texts are equal).

    ``note`` is added as a line of the running header (which version it is marked against).
    """
    liner = Redliner(author, date)
    blocks = liner.blocks(old.blocks, new.blocks)
    header = list(new.header) + ([note] if note else [])
    meta = dataclasses.replace(new.meta, title=new.meta.title + " (ändringsmarkerad)")
    return dataclasses.replace(new, meta=meta, blocks=blocks, header=header), liner.changes


def accept_all(document: Document) -> Document:
    """Return ``document`` with every revision accepted (for tests and checks)."""
    return _resolve(document, keep="ins")


def reject_all(document: Document) -> Document:
    """Return ``document`` with every revision rejected."""
    return _resolve(document, keep="del")


def _resolve(document: Document, keep: str) -> Document:
    def runs(inline: Inline) -> Inline:
        return _merge([Run(r.text, r.bold, r.italic) for r in inline if r.rev is None or r.rev.kind == keep])

    def block(b: Block) -> list[Block]:
        if isinstance(b, Heading):
            return [] if b.rev is not None and b.rev.kind != keep else [dataclasses.replace(b, rev=None)]
        if isinstance(b, Paragraph):
            if b.runs and all(r.rev is not None and r.rev.kind != keep for r in b.runs):
                return []
            return [dataclasses.replace(b, runs=runs(b.runs))]
        if isinstance(b, ListBlock):
            items = [runs(i) for i in b.items if not (i and all(r.rev is not None and r.rev.kind != keep for r in i))]
            return [dataclasses.replace(b, items=items)] if items else []
        if isinstance(b, Table):
            rows = [
                dataclasses.replace(r, rev=None, cells=[dataclasses.replace(c, runs=runs(c.runs)) for c in r.cells])
                for r in b.rows
                if r.rev is None or r.rev.kind == keep
            ]
            return [dataclasses.replace(b, rows=rows, caption=runs(b.caption))] if rows else []
        if isinstance(b, Columns):
            return [
                dataclasses.replace(b, columns=[Column([x for c in col.blocks for x in block(c)]) for col in b.columns])
            ]
        if isinstance(b, Signatures):
            return [] if b.rev is not None and b.rev.kind != keep else [dataclasses.replace(b, rev=None)]
        if isinstance(b, Keep):
            inner = [x for c in b.blocks for x in block(c)]
            return [dataclasses.replace(b, blocks=inner)] if inner else []
        return [b]

    return dataclasses.replace(document, blocks=[x for b in document.blocks for x in block(b)])


__all__ = ["redline", "accept_all", "reject_all", "diff_runs", "Redliner"]
