"""Both writers handle every node of the document model, and show the same text."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from pypdf import PdfReader

from generator.documents.model import Document, Meta, document_markup, node_types, parse_document
from generator.writers import docx as docx_writer
from generator.writers import pdf_reportlab as pdf_writer
from generator.writers import typst as typst_writer
from generator.writers.docx.styles import SANS

SAMPLE = parse_document((Path(__file__).parents[1] / "fixtures" / "sample_document.xml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("module", [docx_writer, pdf_writer, typst_writer])
def test_every_node_type_has_a_rule(module):
    assert set(node_types()) == set(module.WRITERS)


@dataclass(frozen=True)
class Unknown:
    text: str = "?"


@pytest.mark.parametrize("render", [docx_writer.render_docx, pdf_writer.render_pdf, typst_writer.render_pdf])
def test_an_unknown_node_is_refused(render):
    with pytest.raises(TypeError, match="ingen regel för Unknown"):
        render(Document(Meta(title="t"), [Unknown()]))


@pytest.mark.parametrize("pdf_writer", [typst_writer, pdf_writer])
def test_pdf_of_the_sample(pdf_writer):
    data = pdf_writer.render_pdf(SAMPLE)
    assert data == pdf_writer.render_pdf(SAMPLE)
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    for needle in [
        "Regeringens beslut",
        "66 milj. kr",
        "12 500 000",
        "Stockholm den 13 juni 2011",
        "Håkan Sörman",
        "”för äldre” ≥ 70 procent, é å ä ö Å Ä Ö",
        "• Stödja ledare",
        "1. Det ska",
        "a) Medel till Svenska",
    ]:
        assert needle in text.replace("\u00a0", " "), needle
    n = len(reader.pages)
    assert all(f"{i} ({n})" in page.extract_text() for i, page in enumerate(reader.pages, 1))
    assert reader.metadata.title == "Uppdrag att utbetala medel"


@pytest.mark.parametrize("pdf_writer", [typst_writer, pdf_writer])
def test_long_table_paginates_without_losing_rows(pdf_writer):
    rows = "".join(f'<row><cell>Rad {i}</cell><cell align="right">{i} 000</cell></row>' for i in range(200))
    document = parse_document(f'<document title="t"><table widths="4,1">{rows}</table></document>')
    reader = PdfReader(io.BytesIO(pdf_writer.render_pdf(document)))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) > 3
    assert all(f"Rad {i}" in text for i in range(200))


def test_docx_of_the_sample():
    data = docx_writer.render_docx(SAMPLE)
    assert data == docx_writer.render_docx(SAMPLE)
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Regeringens beslut" in text and "\u2022\tStödja ledare att bidra till satsningen." in text
    assert "66 milj. kr" in cells and any("Håkan Sörman" in c for c in cells)
    amount = next(c for t in document.tables for row in t.rows for c in row.cells if c.text == "66 milj. kr")
    assert amount.paragraphs[0].alignment == 2  # right
    assert document.core_properties.keywords == "överenskommelse, SKL, 2011"
    assert "Bilaga till regeringsbeslut 2011-06-16 nr II:7" in document.sections[0].header._element.xml


def test_docx_with_a_reference_document_keeps_its_styles(tmp_path):
    reference = docx.Document()
    style = reference.styles.add_style("Brödtext", 1)
    style.font.name = "Garamond"
    path = tmp_path / "reference.docx"
    reference.save(path)
    document = docx.Document(io.BytesIO(docx_writer.render_docx(SAMPLE, reference=path)))
    assert document.styles["Brödtext"].font.name == "Garamond"


def test_docx_tables_colon_lines_breaks_and_header_as_in_the_pdf():
    document = parse_document(
        '<document title="t" header="CIRKULÄR 13:66" header-first-page="false">'
        "<p>Medlen ska användas för att:</p><list><item>första</item></list>"
        '<table widths="4,1"><row kind="head"><cell>Post</cell><cell align="right">Belopp</cell></row>'
        '<row><cell>Lång<br/>etikett</cell><cell align="right">5,3</cell></row></table>'
        "<pagebreak/><p>Ny sida</p></document>"
    )
    word = docx.Document(io.BytesIO(docx_writer.render_docx(document)))
    colon = next(p for p in word.paragraphs if p.text.endswith("för att:"))
    assert colon.paragraph_format.keep_with_next
    table = word.tables[0]
    assert table.style.name == "Tabell"
    margins = table.style.element.find(".//" + qn("w:tblCellMar"))
    margins = {child.tag.split("}")[1]: int(child.get(qn("w:w"))) / 20 for child in margins}  # points
    assert margins["left"] == margins["right"] == 3
    # a one-line row is as tall as the PDF's (2.5 pt insets around Liberation Serif's 10.5 pt line: 14.55 pt)
    line = word.styles["Tabelltext"].paragraph_format.line_spacing.pt
    assert word.styles["Tabelltext"].paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert abs(margins["top"] + line + margins["bottom"] - 14.55) < 0.1
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # the head row repeats
    assert table.rows[1].cells[1].vertical_alignment == 3  # bottom: the amount on the label's last line
    new_page = next(p for p in word.paragraphs if p.text == "Ny sida")
    assert new_page.paragraph_format.page_break_before
    assert not any(run._r.xpath(".//w:br[@w:type='page']") for p in word.paragraphs for run in p.runs)
    section = word.sections[0]
    assert section.different_first_page_header_footer
    assert "CIRKULÄR 13:66" not in section.first_page_header._element.xml
    assert "CIRKULÄR 13:66" in section.header._element.xml
    assert word.styles["Sidhuvud"].font.name == SANS  # Arial: Liberation Sans has its metrics
    assert word.settings.element.find(qn("w:autoHyphenation")) is not None


@pytest.mark.parametrize("engine", [typst_writer, pdf_writer])
def test_a_draft_status_is_on_every_page_and_in_the_properties_not_in_the_text(engine):
    """``<document draft="…">``: every writer prints it in every page's header and records it in the properties."""
    paragraphs = "".join(f"<p>Stycke {n} med lite text som fyller sidan.</p>" for n in range(120))
    document = parse_document(
        f'<document title="Brev" keywords="utbetalning" header="SKL" header-first-page="false" '
        f'draft="UTKAST – EXEMPELDATA">'
        f"{paragraphs}</document>"
    )
    assert document.meta.draft == "UTKAST – EXEMPELDATA"
    assert parse_document(document_markup(document)).meta.draft == document.meta.draft  # an issued copy keeps it
    reader = PdfReader(io.BytesIO(engine.render_pdf(document)))
    assert len(reader.pages) > 1 and all("UTKAST – EXEMPELDATA" in p.extract_text() for p in reader.pages)
    assert reader.metadata.title == "UTKAST – EXEMPELDATA: Brev"
    assert reader.metadata["/Keywords"].startswith("UTKAST – EXEMPELDATA, utbetalning")
    word = docx.Document(io.BytesIO(docx_writer.render_docx(document)))
    assert word.core_properties.content_status == "UTKAST – EXEMPELDATA"
    assert word.core_properties.keywords == "UTKAST – EXEMPELDATA, utbetalning"
    assert "UTKAST – EXEMPELDATA" in "\n".join(p.text for p in word.sections[0].header.paragraphs)
    assert "UTKAST – EXEMPELDATA" in "\n".join(p.text for p in word.sections[0].first_page_header.paragraphs)
    assert not any("UTKAST" in p.text for p in word.paragraphs)
    final = parse_document('<document title="Brev">' + paragraphs + "</document>")
    assert final.meta.draft == "" and "UTKAST" not in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(engine.render_pdf(final))).pages
    )


def test_one_pass_zip_is_what_zipfile_and_deterministic_zip_write():
    """The DOCX writer zips in one pass (shared parts deflated once): byte for byte the two-pass result."""
    import zipfile

    from generator.writers.ooxml_zip import deterministic_zip, zip_package

    entries = [
        ("[Content_Types].xml", "<Types>åäö</Types>".encode() * 40),
        ("word/styles.xml", b"<w:style/>" * 5000),
        ("docProps/empty.xml", b""),
        ("word/media/bytes.bin", bytes(range(256)) * 20),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            target.writestr(name, data)
    expected = deterministic_zip(buffer.getvalue())
    assert zip_package(entries) == expected
    assert zip_package(entries, cached=frozenset({"word/styles.xml"})) == expected
    assert zip_package(entries, cached=frozenset({"word/styles.xml"})) == expected  # from the cache
    assert zipfile.ZipFile(io.BytesIO(expected)).read("word/styles.xml") == entries[1][1]


def test_no_writer_imports_another_nor_the_cache():
    """The writers share what they measure with (generator.writers.measure) and the zip (ooxml_zip), nothing else:
    no writer imports another, and none the cache or the build above them (the cache installs its hooks)."""
    import ast

    folder = Path(docx_writer.__file__).parent.parent
    writers = {
        "docx": "generator.writers.docx",
        "typst": "generator.writers.typst",
        "pdf_reportlab": "generator.writers.pdf_reportlab",
        "payout_tables": "generator.writers.payout_tables",
    }
    files = {
        "docx": sorted((folder / "docx").glob("*.py")),
        "typst": [folder / "typst.py", folder / "typst_service.py"],
        "pdf_reportlab": [folder / "pdf_reportlab.py"],
        "payout_tables": [folder / "payout_tables.py"],
    }
    for writer, paths in files.items():
        for path in paths:
            imported = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module:
                    imported |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
                elif isinstance(node, ast.Import):
                    imported |= {alias.name for alias in node.names}
            for other, module in writers.items():
                if other != writer:
                    assert not any(name == module or name.startswith(module + ".") for name in imported), (path, other)
            assert not any(name.startswith(("generator.cache", "generator.build")) for name in imported), path
