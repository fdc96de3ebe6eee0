"""The document model and the markup templates emit."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.documents.model import Heading, ListBlock, Paragraph, Run, parse_document
from generator.documents.templating import prose_markup
from generator.errors import RenderError

SAMPLE = Path(__file__).parents[1] / "fixtures" / "sample_document.xml"


def test_sample_parses_into_every_node_kind():
    doc = parse_document(SAMPLE.read_text(encoding="utf-8"))
    kinds = {type(b).__name__ for b in doc.blocks}
    assert {
        "Columns",
        "Paragraph",
        "Keep",
        "Heading",
        "ListBlock",
        "Table",
        "Signatures",
        "PageBreak",
        "Space",
    } <= kinds
    assert doc.meta.title == "Uppdrag att utbetala medel"
    assert doc.meta.date == "2011-06-16"
    assert doc.header == ["Regeringsbeslut II:7", "Bilaga till regeringsbeslut 2011-06-16 nr II:7"]


def test_inline_emphasis_and_breaks():
    doc = parse_document('<document title="t"><p>A <b>fet</b> och <i>kursiv</i><br/>rad två</p></document>')
    (para,) = doc.blocks
    assert para.runs == [
        Run("A "),
        Run("fet", bold=True),
        Run(" och "),
        Run("kursiv", italic=True),
        Run("\n"),
        Run("rad två"),
    ]


def test_whitespace_is_collapsed_like_html():
    doc = parse_document("<document title='t'><p>\n   två\n   rader  </p></document>")
    assert doc.blocks[0].text == "två rader"


def test_unknown_element_is_an_error():
    with pytest.raises(RenderError, match="okänt element <blink>"):
        parse_document("<document title='t'><blink/></document>")


def test_malformed_markup_names_the_line():
    with pytest.raises(RenderError, match="rad 2"):
        parse_document("<document title='t'>\n<p>oavslutad</document>")


def test_prose_markup_paragraphs_lists_and_headings():
    text = (
        "Första stycket\nfortsätter här.\n\n- punkt ett\n- punkt två\n  fortsätter\n\n"
        "1. krav ett\n1. krav två\n\n### Rubrik\nText **fet**."
    )
    doc = parse_document(f"<document title='t'>{prose_markup(text)}</document>")
    para, bullets, numbered, heading, tail = doc.blocks
    assert isinstance(para, Paragraph) and para.text == "Första stycket fortsätter här."
    assert isinstance(bullets, ListBlock) and bullets.kind == "bullet"
    assert [r[0].text for r in bullets.items] == ["punkt ett", "punkt två fortsätter"]
    assert isinstance(numbered, ListBlock) and numbered.kind == "number" and len(numbered.items) == 2
    assert isinstance(heading, Heading) and heading.text == "Rubrik"
    assert tail.runs[-2] == Run("fet", bold=True)


def test_prose_markup_escapes_data_text():
    markup = prose_markup('A & B <c> "d"')
    doc = parse_document(f"<document title='t'>{markup}</document>")
    assert doc.blocks[0].text == 'A & B <c> "d"'
