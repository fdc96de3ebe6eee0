"""The DOCX writer writes a table as WordprocessingML text: the same XML the element functions build."""

from __future__ import annotations

import io
import itertools

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from generator.documents.layout import lay_out
from generator.documents.model import Cell, Document, Meta, Revision, Run, Table, TableRow, parse_document
from generator.writers import docx as docx_writer
from generator.writers.docx.blocks import write_flow
from generator.writers.docx.document_state import DocumentState
from generator.writers.docx.package import styled_package
from generator.writers.docx.runs import add_runs, runs_xml
from generator.writers.docx.tables import W_XMLNS
from generator.writers.docx.wordml import W_NS, P, wtag

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
INSERTED = Revision("ins", 'Anna & Ö <"x">\tny\nrad', "2012-03-04")
DELETED = Revision("del", "", "2012-03-05")
TEXTS = [
    "Län",
    "",
    "\n",
    " leder med mellanrum ",
    "a\tb",
    "rad ett\nrad två\r\nrad tre",
    "1 & 2 < 3 > 0",
    "skriv till info@skl.se eller kalle.anka@example.org i dag",
    "\u00a0",
    "\t",
    "x@y.se",
]


def _runs():
    for text, rev, bold, italic in itertools.product(TEXTS, (None, INSERTED, DELETED), (False, True), (False, True)):
        yield Run(text, bold=bold, italic=italic, rev=rev)


def _as_built(runs: list[Run], italic: bool) -> tuple[str, int]:
    """Return the runs as the element functions build them, serialized in a paragraph, and the revisions used."""
    built = DocumentState(None)
    p = etree.Element(P, nsmap={"w": W_NS, "r": R_NS})  # the document's root declares both
    add_runs(built, p, runs, italic=italic)
    return etree.tostring(p, encoding="unicode"), built.revision_id  # as the part's UTF-8, decoded


def _as_text(runs: list[Run], italic: bool) -> tuple[str, int]:
    written = DocumentState(None)
    text = runs_xml(written, runs, italic=italic)
    return f"<w:p {W_XMLNS}>{text}</w:p>", written.revision_id


@pytest.mark.parametrize("italic", [False, True])
def test_runs_as_text_are_what_lxml_writes_for_the_element_functions_runs(italic):
    runs = list(_runs())
    assert _as_text(runs, italic) == _as_built(runs, italic)
    assert _as_text(runs, italic)[1] > 0
    for run in runs:  # one run alone (the writer has a shortcut for it)
        assert _as_text([run], italic) == _as_built([run], italic), run


def _rows() -> list[TableRow]:
    ins = Revision("ins", "Anna", "2012-03-04")
    return [
        TableRow([Cell([Run("Län & region")]), Cell([Run("Belopp")], "right"), Cell([Run("Not")])], "head"),
        TableRow([Cell([Run("Grupp")], span=3)], "group"),
        TableRow(
            [
                Cell([Run("Stockholm "), Run("ny", rev=ins)]),
                Cell([Run("12,5")], "right"),
                Cell([Run("skriv till info@skl.se")]),
            ]
        ),
        TableRow([Cell([Run("borttagen", rev=DELETED)]), Cell([Run("3", bold=True)], "right")], rev=DELETED),
        TableRow([Cell([Run("Summa")]), Cell([Run("15,5")], "right"), Cell([Run(" ")])], "sum"),
        TableRow([Cell([Run("Not: <avrundat>\trad\nny")], span=3)], "note"),
    ]


class _Unstyled:
    """A package whose styles have no ids (cells and tables without w:pStyle, w:tblStyle)."""

    table_style_id = None

    def style_id(self, name: str) -> None:
        return None


@pytest.mark.parametrize("styled", [True, False])
@pytest.mark.parametrize("style", ["plain", "budget"])
@pytest.mark.parametrize("rows", [1, 30])  # a table kept together, and one that may break
def test_a_table_as_text_is_what_lxml_writes(style, rows, styled):
    """The text stands in the part as it is: it must be lxml's own serialization of the table it describes."""
    table = Table(_rows() * rows, [3, 1, 1], style)
    doc = DocumentState(styled_package(None, True) if styled else _Unstyled())
    body = etree.Element(wtag("body"), nsmap={"w": W_NS})
    write_flow(doc, body, [lay_out(Document(Meta(title="t"), [table])).blocks[0]])
    (text,) = doc.tables
    parsed = etree.fromstring(f"<w:body {W_XMLNS}>{text}</w:body>")
    assert etree.tostring(parsed, encoding="unicode") == f"<w:body {W_XMLNS}>{text}</w:body>"
    assert doc.revision_id == 3 * rows  # the inserted run, the deleted row and its run


def test_a_table_in_columns_kept_with_the_next_block_keeps_its_rows_with_it():
    document = parse_document(
        '<document title="t"><keep><columns widths="1,1"><column>'
        '<table widths="1,1"><row><cell>a</cell><cell>b</cell></row>'
        "<row><cell>c</cell><cell>d</cell></row></table></column><column><p>text</p></column>"
        "</columns><p>efter</p></keep></document>"
    )
    word = docx.Document(io.BytesIO(docx_writer.render_docx(document)))
    inner = word.tables[0].rows[0].cells[0].tables[0]
    assert [c.text for row in inner.rows for c in row.cells] == ["a", "b", "c", "d"]
    assert all(
        p._p.pPr.find(qn("w:keepNext")) is not None for row in inner.rows for c in row.cells for p in c.paragraphs
    )


def _table(rows: str, widths: str = "1,1") -> docx.table.Table:
    document = parse_document(f'<document title="t"><table widths="{widths}">{rows}</table></document>')
    return docx.Document(io.BytesIO(docx_writer.render_docx(document))).tables[0]


def test_a_row_with_fewer_cells_than_columns_gets_empty_cells_kept_with_the_next_row():
    table = _table("<row><cell>a</cell></row><row><cell>b</cell><cell>c</cell></row>")
    assert [[c.text for c in row.cells] for row in table.rows] == [["a", ""], ["b", "c"]]
    empty = table.rows[0].cells[1].paragraphs[0]._p
    assert empty.pPr is not None and empty.pPr.find(qn("w:keepNext")) is not None  # a short table stays together
    assert table.rows[1].cells[1].paragraphs[0]._p.pPr.find(qn("w:keepNext")) is None  # the last row: not kept


def test_cell_properties_are_in_the_schemas_order():
    """CT_TcPr is a sequence: tcW, gridSpan, …, tcBorders, …, tcMar, …, vAlign; Word rejects another order."""
    table = _table(
        '<row kind="head"><cell>Län</cell><cell align="right">Belopp</cell></row>'
        '<row><cell span="2">Sammanslagen</cell></row>'
        '<row kind="sum"><cell>Summa</cell><cell align="right">12,5</cell></row>'
    )
    tags = [[[child.tag.split("}")[1] for child in tc.tcPr] for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    assert tags == [
        [["tcW", "tcBorders", "tcMar", "vAlign"], ["tcW", "tcBorders", "tcMar", "vAlign"]],
        [["tcW", "gridSpan", "tcMar"]],
        [["tcW", "tcBorders", "tcMar"], ["tcW", "tcBorders", "tcMar", "vAlign"]],
    ]
