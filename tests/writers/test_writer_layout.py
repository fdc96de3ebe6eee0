"""The layout pass (generator.documents.layout) decides once what the writers follow: which block stays with the
next, which table stays on one page and which of its rows stay together, which cell is an amount; the DOCX and
Typst writers align an amount on its decimal comma by the fonts' widths (generator.writers.measure)."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import pytest
from lxml import etree

from generator.documents import layout
from generator.documents.layout import lay_out
from generator.documents.model import (
    Amount,
    Cell,
    Document,
    Heading,
    Keep,
    ListBlock,
    Meta,
    PageBreak,
    Paragraph,
    Revision,
    Run,
    Signature,
    Signatures,
    Space,
    Table,
    TableRow,
    document_markup,
    parse_document,
)
from generator.writers import docx as docx_writer
from generator.writers import typst as typst_writer
from generator.writers.docx.blocks import write_flow
from generator.writers.docx.document_state import DocumentState
from generator.writers.docx.package import styled_package
from generator.writers.measure import decimal_rooms, text_width

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _p(text: str) -> Paragraph:
    return Paragraph([Run(text)])


def _keeps(blocks) -> list:
    """Return the keep-with-next decision of each block (a <keep>: its own and its blocks')."""
    return [
        (b.keep_with_next, _keeps(b.blocks)) if isinstance(b, Keep) else getattr(b, "keep_with_next", None)
        for b in blocks
    ]


# --------------------------------------------------------------------------- keep with next


def test_the_pass_decides_which_blocks_stay_with_the_next():
    table = Table([TableRow([Cell([Run("a")])])], [1.0])
    blocks = [
        Heading("Rubrik"),  # a heading: always
        _p("Vanlig text."),  # nothing to stay with
        _p("Medlen ska användas för att:"),  # introduces what follows
        ListBlock([[Run("första")]]),
        _p("Tabellen visar fördelningen."),  # right before a table
        table,
        _p("Efter tabellen."),  # before a signature block (past the space between)
        Space(6),
        Signatures([Signature("För staten", "Anna")]),
        _p("Sist, med kolon:"),  # introduces, though nothing follows
        PageBreak(),
    ]
    laid = lay_out(Document(Meta(title="t"), blocks)).blocks
    assert _keeps(laid) == [True, False, True, False, True, False, True, True, False, True, None]


def test_a_page_break_ends_every_bond_and_a_keep_holds_its_blocks_together():
    blocks = [
        _p("Före brytningen:"),
        PageBreak(),
        _p("Efter."),
        Keep([Heading("Rubrik"), _p("Första stycket."), _p("Andra stycket.")]),
        Signatures([Signature("", "Anna")]),
    ]
    laid = lay_out(Document(Meta(title="t"), blocks)).blocks
    # the colon paragraph still keeps (it introduces), but the page break stands between it and what follows
    assert _keeps(laid) == [True, None, False, (True, [True, True, True]), False]
    inner = lay_out(Document(Meta(title="t"), [Keep([_p("a"), _p("b")]), _p("c")])).blocks
    assert _keeps(inner) == [(False, [True, False]), False]  # the last block of a <keep> keeps only if it does


def _table(rows: int, text: str = "rad", kinds: dict | None = None) -> Table:
    kinds = kinds or {}
    return Table(
        [
            TableRow([Cell([Run(f"{text} {r}")]), Cell([Run(f"{r},5")], "right")], kinds.get(r, "body"))
            for r in range(rows)
        ],
        [3.0, 1.0],
    )


def test_a_short_table_stays_together_and_a_long_one_keeps_its_groups_and_sums():
    short = lay_out(Document(Meta(title="t"), [_table(layout.KEEP_TABLE_ROWS)])).blocks[0]
    assert short.keep_together
    assert [row.keep_with_next for row in short.rows] == [True] * (layout.KEEP_TABLE_ROWS - 1) + [False]
    wordy = lay_out(Document(Meta(title="t"), [_table(3, "x" * (layout.KEEP_TABLE_CHARS // 3))])).blocks[0]
    assert not wordy.keep_together  # too much text for a page
    kinds = {0: "head", 1: "group", 5: "group", 9: "sum", 12: "note", 20: "head", 21: "group"}
    long = lay_out(Document(Meta(title="t"), [_table(30, kinds=kinds)])).blocks[0]
    assert not long.keep_together and long.header_rows == 2  # the head row and the group row under it
    linked = [r for r, row in enumerate(long.rows) if row.keep_with_next]
    # a group heading with its first row (not one in the header), a row with the sum or the note under it; a
    # group heading right before a head row does not reach into it
    assert linked == [5, 8, 11, 21]


def test_a_long_run_of_rows_kept_together_may_break_after_all():
    table = Table(
        [
            TableRow([Cell([Run("x" * 900)])], "group"),
            TableRow([Cell([Run("y" * 700)])]),
            TableRow([Cell([Run("z")])]),
            TableRow([Cell([Run("summa")])], "sum"),
        ]
        + [TableRow([Cell([Run("w")])])] * 30,
        [1.0],
    )
    laid = lay_out(Document(Meta(title="t"), [table])).blocks[0]
    # the group heading and its first row: 1 600 characters, more than a run may hold; the sum and the row above
    assert [row.keep_with_next for row in laid.rows[:4]] == [False, False, True, False]


def test_the_pass_is_idempotent_and_leaves_equality_and_the_markup_alone():
    document = parse_document(
        (__import__("pathlib").Path(__file__).parents[1] / "fixtures" / "sample_document.xml").read_text(
            encoding="utf-8"
        )
    )
    once = lay_out(document)
    assert once == document  # the decided fields are not compared
    assert lay_out(once) is once  # a document laid out already is returned as it is
    assert document_markup(once) == document_markup(document)  # nor written in the markup
    assert repr(lay_out(parse_document(document_markup(once)))) == repr(once)  # the same decisions when read back


def test_a_node_changed_after_the_pass_is_laid_out_anew():
    laid = lay_out(Document(Meta(title="t"), [_table(2)]))
    table = laid.blocks[0]
    changed = dataclasses.replace(
        table,
        rows=[
            dataclasses.replace(
                table.rows[0],
                cells=[table.rows[0].cells[0], dataclasses.replace(table.rows[0].cells[1], runs=[Run("7")])],
            )
        ],
    )
    again = lay_out(dataclasses.replace(laid, blocks=[changed])).blocks[0]
    assert changed.rows[0].cells[1].amount.fraction == ",5"  # stale: replace() kept the old decision
    assert again.rows[0].cells[1].amount == Amount("7", "", True, "")


# --------------------------------------------------------------------------- the writers follow the decisions


def test_the_writers_follow_the_keep_decisions_they_are_given():
    """A writer reads keep_with_next and keep_together; it does not decide them again."""
    laid = lay_out(Document(Meta(title="t"), [_p("Medlen ska användas för att:"), _p("Slut."), _table(3)])).blocks
    flipped = [
        dataclasses.replace(laid[0], keep_with_next=False),
        dataclasses.replace(laid[1], keep_with_next=True),
        dataclasses.replace(laid[2], keep_together=False),
    ]
    code = typst_writer._flow(flipped)
    assert "sticky: false" in code[0] and "sticky: true" in code[1] and "#block(breakable: true" in code[2]
    body = etree.Element(f"{W}body", nsmap={"w": W[1:-1]})
    write_flow(DocumentState(styled_package(None, True)), body, flipped[:2])
    assert [p.find(f"{W}pPr/{W}keepNext") is not None for p in body.iter(f"{W}p")] == [False, True]


# --------------------------------------------------------------------------- amounts

AMOUNTS = parse_document(
    '<document title="t"><table widths="3,1,1">'
    '<row kind="head"><cell>Län</cell><cell align="right">Andel</cell><cell align="right">Kronor</cell></row>'
    '<row><cell>Stockholm</cell><cell align="right">12,75 %</cell><cell align="right">1 000</cell></row>'
    '<row><cell>Uppsala</cell><cell align="right">3,5 %</cell><cell align="right"><i>ca 20</i></cell></row>'
    '<row><cell>Gotland</cell><cell align="right">–</cell><cell>15</cell></row>'
    '<row kind="sum"><cell>Summa</cell><cell align="right">16,25 %</cell><cell align="right">1 020</cell></row>'
    "</table></document>"
)


def test_the_pass_marks_the_amounts_and_how_they_stand():
    table = lay_out(AMOUNTS).blocks[0]
    amounts = [[cell.amount for cell in row.cells] for row in table.rows]
    assert amounts == [
        [None, None, None],  # a head row holds no amounts
        [None, Amount("12", ",75 %", True, ",75 %"), Amount("1 000", "", True, "")],
        [None, Amount("3", ",5 %", True, ",5 %"), Amount("ca 20", "", False, "")],  # in italics: as written
        [None, None, None],  # a dash, and a figure in a left-aligned cell, are not amounts
        [None, Amount("16", ",25 %", True, ",25 %"), Amount("1 020", "", True, "")],
    ]
    assert [[cell.valign for cell in row.cells] for row in table.rows] == [
        ["bottom"] * 3,
        ["top", "bottom", "bottom"],
        ["top", "bottom", "bottom"],
        ["top", "top", "top"],  # a right-aligned cell followed by text (a reason) stands at the top
        ["top", "bottom", "bottom"],
    ]
    rooms = decimal_rooms(table)
    assert set(rooms) == {1}  # the second column only: the third holds whole numbers
    assert rooms[1] == max(text_width(f, bold) for f in (",75 %", ",5 %", ",25 %") for bold in (False, True))


def test_a_changed_amount_keeps_the_fraction_of_its_new_value():
    ins, dele = Revision("ins", "a", "2013-01-01"), Revision("del", "a", "2013-01-01")
    amount = layout.amount_of([Run("12,75", rev=dele), Run("13", rev=ins)])
    assert amount == Amount("12", ",7513", True, "")  # split as the cell shows it, old and new run together
    assert layout.amount_of([Run("12", rev=dele), Run("13,5 ", rev=ins)]).new_fraction == ",5"


def test_the_docx_writer_aligns_amounts_on_the_decimal_comma():
    xml = zipfile.ZipFile(io.BytesIO(docx_writer.render_docx(AMOUNTS))).read("word/document.xml")
    rows = etree.fromstring(xml).iter(f"{W}tr")
    indents = [
        [
            (tc.find(f"{W}p/{W}pPr/{W}ind") is not None and tc.find(f"{W}p/{W}pPr/{W}ind").get(f"{W}right"))
            for tc in tr.iter(f"{W}tc")
        ]
        for tr in rows
    ]
    room = max(text_width(f, bold) for f in (",75 %", ",5 %", ",25 %") for bold in (False, True))

    def twips(fraction: str, bold: bool = False) -> str:
        return str(round((room - text_width(fraction, bold)) * 10.5 * 20))

    assert indents == [
        [False, False, False],  # the head row is not aligned on the comma
        [False, twips(",75 %"), False],  # whole numbers only: their column is simply right-aligned
        [False, twips(",5 %"), False],
        [False, False, False],
        [False, twips(",25 %", True), False],
    ]  # the sum row is bold


def test_the_typst_writer_aligns_amounts_on_the_decimal_comma():
    code = typst_writer.markup(AMOUNTS)
    room = max(text_width(f, bold) for f in (",75 %", ",5 %", ",25 %") for bold in (False, True))
    found = re.findall(r'#amount\(\[#"([^"]*)"\], \[#"([^"]*)"\], ([\d.]+)em\)', code)
    assert found == [("12", ",75 %", f"{room:.4f}"), ("3", ",5 %", f"{room:.4f}"), ("16", ",25 %", f"{room:.4f}")]
    assert '#"1 000"' in code and '#amount([#"1 000"]' not in code  # a column of whole numbers: right-aligned


@pytest.mark.parametrize("text", ["12,5", "1 000", "ca 20"])
def test_no_writer_parses_amounts_itself(text):
    """The writers take the split from the layout pass: a cell laid out with another split is written with it."""
    cell = Cell([Run(text)], "right", amount=Amount("A", ",BC", True, ",BC"), valign="bottom")
    table = dataclasses.replace(
        lay_out(Document(Meta(title="t"), [_table(1)])).blocks[0], rows=[TableRow([Cell([Run("x")]), cell])]
    )
    assert '#amount([#"A"], [#",BC"]' in typst_writer._table(table)
