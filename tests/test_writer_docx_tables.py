"""The DOCX writer writes a table as WordprocessingML text: the same XML the element functions build."""
from __future__ import annotations

import io
import itertools

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from generator.document import Revision, Run, parse_document
from generator.writers import docx as docx_writer

INSERTED = Revision("ins", "Anna & Ö <\"x\">\tny\nrad", "2012-03-04")
DELETED = Revision("del", "", "2012-03-05")
TEXTS = ["Län", "", "\n", " leder med mellanrum ", "a\tb", "rad ett\nrad två\r\nrad tre", "1 & 2 < 3 > 0",
         "skriv till info@skl.se eller kalle.anka@example.org i dag", "\u00a0", "\t", "x@y.se"]


def _runs():
    for text, rev, bold, italic in itertools.product(TEXTS, (None, INSERTED, DELETED), (False, True), (False, True)):
        yield Run(text, bold=bold, italic=italic, rev=rev)


@pytest.mark.parametrize("italic", [False, True])
def test_runs_as_text_are_the_runs_the_element_functions_write(italic):
    runs = list(_runs())
    built = docx_writer._Doc(None)
    p = etree.Element(docx_writer.P, nsmap={"w": docx_writer.W_NS})
    docx_writer._add_runs(built, p, runs, italic=italic)
    written = docx_writer._Doc(None)
    parsed = etree.fromstring(f'<w:p {docx_writer._W_XMLNS}>{docx_writer._runs_xml(written, runs, italic=italic)}</w:p>')
    assert etree.tostring(parsed) == etree.tostring(p)
    assert written.revision_id == built.revision_id > 0


def _table(rows: str, widths: str = "1,1") -> docx.table.Table:
    document = parse_document(f'<document title="t"><table widths="{widths}">{rows}</table></document>')
    return docx.Document(io.BytesIO(docx_writer.render_docx(document))).tables[0]


def test_a_row_with_fewer_cells_than_columns_gets_empty_cells_kept_with_the_next_row():
    table = _table("<row><cell>a</cell></row><row><cell>b</cell><cell>c</cell></row>")
    assert [[c.text for c in row.cells] for row in table.rows] == [["a", ""], ["b", "c"]]
    empty = table.rows[0].cells[1].paragraphs[0]._p
    assert empty.pPr is not None and empty.pPr.find(qn("w:keepNext")) is not None  # a short table stays together
    assert table.rows[1].cells[1].paragraphs[0]._p.pPr.find(qn("w:keepNext")) is None  # the last row: not kept


def test_cell_properties_keep_the_order_the_element_functions_gave_them():
    """(vAlign before tcBorders is not CT_TcPr's order; it is kept so the files stay byte for byte the same.)"""
    table = _table('<row kind="head"><cell>Län</cell><cell align="right">Belopp</cell></row>'
                   '<row><cell span="2">Sammanslagen</cell></row>'
                   '<row kind="sum"><cell>Summa</cell><cell align="right">12,5</cell></row>')
    tags = [[[child.tag.split("}")[1] for child in tc.tcPr] for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    assert tags == [[["tcW", "vAlign", "tcBorders", "tcMar"], ["tcW", "vAlign", "tcBorders", "tcMar"]],
                    [["tcW", "gridSpan", "tcMar"]],
                    [["tcW", "tcBorders", "tcMar"], ["tcW", "vAlign", "tcBorders", "tcMar"]]]
