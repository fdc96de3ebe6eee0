"""The PDF writers: text, page numbers, metadata, embedded fonts, reproducible bytes and page flow.

Every test runs for both engines: Typst (the default) and reportlab.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from generator.documents.model import Document, Heading, Keep, Meta, Paragraph, Run, node_types, parse_document
from generator.errors import RenderError
from generator.writers import pdf_reportlab as reportlab_writer
from generator.writers import typst as typst_writer
from generator.writers.pdf_reportlab import LEFT, PAGE_WIDTH, RIGHT

ENGINES = {"typst": typst_writer, "reportlab": reportlab_writer}
reportlab_writer.register_fonts()  # for stringWidth, whichever engine drew the page
pdf_writer = typst_writer  # set per engine by the fixture below


def render_pdf(document: Document) -> bytes:
    return pdf_writer.render_pdf(document)


@pytest.fixture(scope="module", params=list(ENGINES), autouse=True)
def engine(request):
    """Run the module once per PDF engine."""
    global pdf_writer
    pdf_writer = ENGINES[request.param]
    yield request.param
    pdf_writer = typst_writer


SAMPLE_XML = (Path(__file__).parents[1] / "fixtures" / "sample_document.xml").read_text(encoding="utf-8")
SAMPLE = parse_document(SAMPLE_XML)


def _reader(document: Document) -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(document)))


def _page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text().replace("\u00a0", " ") for page in reader.pages]


def _headings(blocks) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(block.text)
        elif isinstance(block, Keep):
            out.extend(_headings(block.blocks))
    return out


def _spans(page) -> list[tuple[str, float, float]]:
    """Return (text, x, y) of every string shown on ``page``, in user space."""
    spans = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            spans.append((text, x, y))

    page.extract_text(visitor_text=visit)
    return spans


def _body(xml: str, **attrs: str) -> Document:
    extra = " ".join(f'{key.replace("_", "-")}="{value}"' for key, value in attrs.items())
    return parse_document(f'<document title="t" {extra}>{xml}</document>')


@pytest.fixture(scope="module")
def sample_pdf(engine) -> bytes:
    return render_pdf(SAMPLE)


@pytest.fixture(scope="module")
def sample_reader(sample_pdf) -> PdfReader:
    return PdfReader(io.BytesIO(sample_pdf))


# --------------------------------------------------------------------------- the sample document


def test_the_sample_shows_every_heading_and_the_key_text(sample_reader):
    text = "\n".join(_page_texts(sample_reader))
    headings = _headings(SAMPLE.blocks)
    assert len(headings) >= 5
    for needle in headings + [
        "Regeringsbeslut II:7",
        "66 milj. kr",
        "12 500 000",
        "10 000 000",
        "Stockholm den 13 juni 2011",
        "Ragnwi Marcelind",
        "Håkan Sörman",
        "Verkställande direktör",
        "Kammarkollegiet",
        "103 15 Stockholm",
        "Bil 1",
    ]:
        assert needle in text, needle


def test_the_sample_keeps_swedish_characters_and_typography(sample_reader):
    text = "\n".join(_page_texts(sample_reader))
    for char in "åäöéÅÄÖ–”≥":
        assert char in text, char
    assert "”för äldre” ≥ 70 procent, é å ä ö Å Ä Ö" in text


def test_list_markers_are_computed_from_position(sample_reader):
    text = "\n".join(_page_texts(sample_reader))
    for needle in [
        "• Stödja ledare",
        "• Skapa en infrastruktur",
        "1. Det ska",
        "2. Huvudmännen",
        "a) Medel till Svenska",
        "b) Medel till Senior",
    ]:
        assert needle in text, needle


def test_every_page_is_numbered_n_of_total(sample_reader):
    pages = _page_texts(sample_reader)
    n = len(pages)
    assert n >= 2
    assert f"1 ({n})" in pages[0]
    for i, text in enumerate(pages, 1):
        assert f"{i} ({n})" in text
        assert "Bilaga till regeringsbeslut 2011-06-16 nr II:7" in text  # the running header, on every page


def test_the_header_sits_above_the_text_and_the_page_number_at_the_right(sample_reader):
    for page in sample_reader.pages:
        spans = _spans(page)
        header_y = min(y for text, x, y in spans if "Bilaga till regeringsbeslut" in text)
        number = next((text, x, y) for text, x, y in spans if text.strip().endswith(f"({len(sample_reader.pages)})"))
        body_top = max(
            y for text, x, y in spans if "regeringsbeslut" not in text.lower() and not text.strip().endswith(")")
        )
        assert body_top < header_y - 12  # no overlap with the first line of text
        assert number[1] > PAGE_WIDTH / 2  # top right


def test_metadata_and_language(sample_reader, engine):
    meta = sample_reader.metadata
    assert meta.title == "Uppdrag att utbetala medel"
    assert meta.author == "Socialdepartementet"
    assert meta.subject == "Regeringsbeslut II:7"
    assert meta["/Keywords"] == "överenskommelse, SKL, 2011"
    assert meta.creator == ("generator" if engine == "reportlab" else f"Typst {meta.creator.split()[-1]}")
    assert meta["/CreationDate"].startswith("D:20110616")  # the document's date, not the build's
    assert sample_reader.trailer["/Root"]["/Lang"] == "sv-SE"


def test_pages_are_a4_portrait(sample_reader):
    for page in sample_reader.pages:
        assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842


def test_every_font_is_embedded(sample_reader):
    names = set()
    for page in sample_reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            if "/DescendantFonts" in font:  # a composite (Type0) font: the descriptor is its CID font's
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            names.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic", "LiberationSans-Bold"} <= names
    assert not any("Helvetica" in name or "Times" in name for name in names)


def test_two_renders_are_byte_identical(sample_pdf):
    assert render_pdf(parse_document(SAMPLE_XML)) == sample_pdf


def test_amounts_are_right_aligned_on_the_margin(sample_reader):
    right = PAGE_WIDTH - RIGHT
    found = 0
    for page in sample_reader.pages:
        for text, x, _y in _spans(page):
            for amount, font in (
                ("66 milj. kr", "LiberationSerif"),
                ("2 milj. kr", "LiberationSerif"),
                ("10 000 000", "LiberationSerif-Bold"),
                ("3 300 000", "LiberationSerif"),
            ):
                if text.strip() == amount:
                    assert abs(x + stringWidth(amount, font, 10.5) - right) < 1.0, amount
                    found += 1
    assert found == 4


def test_nothing_is_drawn_outside_the_margins(sample_reader):
    for page in sample_reader.pages:
        for text, x, _y in _spans(page):
            assert LEFT - 0.5 <= x < PAGE_WIDTH - RIGHT, text


# --------------------------------------------------------------------------- node rules


def test_every_node_type_has_a_rule():
    assert set(pdf_writer.WRITERS) == set(node_types())


@dataclass(frozen=True)
class Unknown:
    text: str = "?"


def test_an_unknown_node_is_refused():
    with pytest.raises(TypeError, match="ingen regel för Unknown"):
        render_pdf(Document(Meta(title="t"), [Unknown()]))


def test_text_is_escaped_and_breaks_kept():
    document = Document(Meta(title="t"), [Paragraph([Run("a < b & c > d"), Run("\n"), Run("fet", bold=True)])])
    text = _page_texts(PdfReader(io.BytesIO(render_pdf(document))))[0]
    assert "a < b & c > d\nfet" in text


def test_a_lettered_list_longer_than_the_alphabet_is_refused():
    items = "".join(f"<item>punkt {i}</item>" for i in range(27))
    with pytest.raises(RenderError, match="högst 26"):
        render_pdf(_body(f'<list kind="letter">{items}</list>'))


def test_long_numbered_lists_count_on():
    items = "".join(f"<item>punkt {i + 1}</item>" for i in range(12))
    text = _page_texts(_reader(_body(f'<list kind="number">{items}</list>')))[0]
    assert "10. punkt 10" in text and "12. punkt 12" in text


def test_without_page_numbers_there_is_no_n_of_total():
    reader = _reader(_body("<p>Text</p>", page_numbers="false", header="Bilaga"))
    text = _page_texts(reader)[0]
    assert "1 (1)" not in text and "Bilaga" in text


def test_an_empty_document_is_one_page():
    assert len(_reader(Document(Meta(title="t"), [])).pages) == 1


def test_a_long_header_wraps_instead_of_running_into_the_page_number():
    header = "Mycket lång rubrik " * 12
    reader = _reader(_body("<p>Brödtext</p>", header=header.strip()))
    spans = _spans(reader.pages[0])
    number_x = next(x for text, x, y in spans if text.strip() == "1 (1)")
    header_spans = [(text, x, y) for text, x, y in spans if "rubrik" in text]
    assert len({round(y) for _, _, y in header_spans}) >= 2
    for text, x, _y in header_spans:
        assert x + stringWidth(text.strip(), "LiberationSans", 9) < number_x
    body_y = next(y for text, x, y in spans if "Brödtext" in text)
    assert body_y < min(y for _, _, y in header_spans) - 12


# --------------------------------------------------------------------------- page flow


def test_a_long_table_paginates_without_losing_rows():
    rows = "".join(f'<row><cell>Rad {i}</cell><cell align="right">{i} 000</cell></row>' for i in range(200))
    head = '<row kind="head"><cell>Post</cell><cell align="right">Belopp</cell></row>'
    reader = _reader(_body(f'<heading level="2">Tabell</heading><table widths="4,1">{head}{rows}</table>'))
    pages = _page_texts(reader)
    text = "\n".join(pages)
    assert len(pages) > 3
    assert all(re.search(rf"Rad {i}\b", text) for i in range(200))
    assert all("Post" in page for page in pages)  # the head row repeats on every page
    assert "Tabell" in pages[0]


@pytest.mark.parametrize("lines", range(0, 40))
def test_group_rows_go_with_their_first_row_and_the_sum_with_the_last(lines):
    rows = '<row kind="head"><cell>Typ</cell><cell align="right">Belopp</cell></row>'
    for g in range(4):
        rows += f'<row kind="group"><cell span="2">Grupp {g}</cell></row>'
        rows += "".join(f'<row><cell>Post {g}.{i}</cell><cell align="right">{i}</cell></row>' for i in range(9))
    rows += '<row kind="note"><cell span="2">Not om sista posten</cell></row>'
    rows += '<row kind="sum"><cell>SUMMA</cell><cell align="right">100</cell></row>'
    pages = _page_texts(_reader(_body(_filler(lines) + f'<table widths="4,1" style="budget">{rows}</table>')))
    for g in range(4):
        assert any(f"Grupp {g}" in p and f"Post {g}.0" in p for p in pages), g
    assert any("Post 3.8" in p and "Not om sista posten" in p and "SUMMA" in p for p in pages)


def test_a_row_taller_than_a_page_splits_instead_of_failing():
    words = " ".join(f"ord{i}" for i in range(2500))
    reader = _reader(
        _body(
            f'<table widths="3,1"><row><cell>{words}</cell><cell align="right">1 000</cell></row>'
            f'<row kind="sum"><cell>Summa</cell><cell align="right">1 000</cell></row></table>'
        )
    )
    text = "\n".join(_page_texts(reader))
    assert len(reader.pages) >= 2 and "ord0" in text and "ord2499" in text and "Summa" in text


def _filler(lines: int) -> str:
    return "".join(f"<p>Utfyllnad rad {i}.</p>" for i in range(lines))


@pytest.mark.parametrize("lines", range(28, 40))
def test_signatures_are_never_split(lines):
    xml = _filler(lines) + (
        '<signatures place="Stockholm den 13 juni 2011">'
        '<signature label="För staten" name="Anna Andersson" title="Statssekreterare"/>'
        '<signature label="För SKL" name="Bo Berg" title="Direktör"/></signatures>'
    )
    pages = _page_texts(_reader(_body(xml)))
    page = next(p for p in pages if "Stockholm den 13 juni 2011" in p)
    assert all(needle in page for needle in ("För staten", "Anna Andersson", "Statssekreterare", "Bo Berg"))


@pytest.mark.parametrize("lines", range(30, 40))
def test_a_heading_never_ends_a_page(lines):
    table = (
        '<table widths="3,1">'
        + "".join(f'<row><cell>Post {i}</cell><cell align="right">{i} 000</cell></row>' for i in range(4))
        + "</table>"
    )
    xml = _filler(lines) + '<heading level="1">Budget</heading>' + table
    xml += '<heading level="2">Nästa avsnitt</heading><p>Första stycket.</p>'
    pages = _page_texts(_reader(_body(xml)))
    assert any("Budget" in p and "Post 0" in p for p in pages)
    assert any("Nästa avsnitt" in p and "Första stycket." in p for p in pages)


@pytest.mark.parametrize("lines", range(30, 42, 2))
def test_a_heading_before_a_long_table_takes_its_first_rows_along(lines):
    rows = "".join(f'<row><cell>Rad {i}</cell><cell align="right">{i}</cell></row>' for i in range(60))
    pages = _page_texts(
        _reader(_body(_filler(lines) + f'<heading level="1">Lång tabell</heading><table widths="3,1">{rows}</table>'))
    )
    page = next(p for p in pages if "Lång tabell" in p)
    assert "Rad 0" in page and "Rad 1" in page


def test_a_long_table_starts_on_the_page_of_its_heading_when_there_is_room():
    rows = "".join(f'<row><cell>Rad {i}</cell><cell align="right">{i}</cell></row>' for i in range(60))
    pages = _page_texts(
        _reader(_body(_filler(20) + f'<heading level="1">Lång tabell</heading><table widths="3,1">{rows}</table>'))
    )
    assert "Lång tabell" in pages[0] and "Rad 5" in pages[0]


@pytest.mark.parametrize("lines", range(26, 36, 2))
def test_a_heading_stays_with_a_columns_block(lines):
    column = "".join(f"<line>Rad {i}</line>" for i in range(8))
    xml = (
        _filler(lines) + f'<heading level="2">Parter</heading><columns><column>{column}</column>'
        f"<column><line>Höger</line></column></columns>"
    )
    pages = _page_texts(_reader(_body(xml)))
    page = next(p for p in pages if "Parter" in p)
    assert "Rad 0" in page and "Rad 7" in page


def test_keep_holds_its_blocks_on_one_page():
    xml = _filler(36) + "<keep><heading>Beslut</heading>" + "".join(f"<p>Stycke {i}</p>" for i in range(6)) + "</keep>"
    pages = _page_texts(_reader(_body(xml)))
    page = next(p for p in pages if "Beslut" in p)
    assert all(f"Stycke {i}" in page for i in range(6))


def test_page_break_starts_a_new_page():
    pages = _page_texts(_reader(_body("<p>Före</p><pagebreak/><p>Efter</p>")))
    assert len(pages) == 2 and "Före" in pages[0] and "Efter" in pages[1]


def test_a_column_taller_than_a_page_flows_on():
    lines = "".join(f"<line>Rad {i}</line>" for i in range(120))
    reader = _reader(
        _body(f'<columns widths="1,1"><column>{lines}</column><column><line>Höger</line></column></columns>')
    )
    text = "\n".join(_page_texts(reader))
    assert len(reader.pages) >= 2 and "Rad 0" in text and "Rad 119" in text and "Höger" in text


def test_columns_sit_side_by_side():
    reader = _reader(
        _body(
            '<columns widths="1,1"><column><line>Vänster</line></column>'
            '<column><line>Höger</line><table widths="1,1"><row><cell>x</cell>'
            '<cell align="right">1</cell></row></table></column></columns>'
        )
    )
    spans = {text.strip(): (x, y) for text, x, y in _spans(reader.pages[0])}
    assert abs(spans["Vänster"][1] - spans["Höger"][1]) < 1
    assert spans["Vänster"][0] < PAGE_WIDTH / 2 <= spans["Höger"][0]
