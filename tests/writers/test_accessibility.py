"""Accessibility beyond PDF/UA-1: row headers in key–value tables, every address a link, no poppler complaint."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from pypdf import PdfReader

from generator.build.formats import render_docx, render_pdf_typst
from generator.documents.model import Cell, Document, Meta, Paragraph, Run, Table, TableRow
from generator.writers.addresses import addresses
from generator.writers.pdf_patch import apply, drop_default_suspects

FORM = Table(
    [
        TableRow([Cell([Run("Betalningsmottagare")], span=2)], "group"),
        TableRow([Cell([Run("Namn")]), Cell([Run("_" * 20)])]),
        TableRow([Cell([Run("Organisationsnummer")]), Cell([Run("_" * 20)])]),
    ],
    [3.2, 4.1],
)
TEXT = Paragraph([Run("Frågor: anna.svensson@skl.se, www.skl.se eller https://skl.se/x.")])
DOCUMENT = Document(Meta(title="Blankett", source="generator x; a.yaml@" + "0" * 40), [TEXT, FORM])


def test_addresses_and_their_links():
    text = "Skriv till anna.svensson@skl.se, läs www.palliativ.se. Eller https://skl.se/a?b=1 (se där)."
    assert [(text[s:e], t) for s, e, t in addresses(text)] == [
        ("anna.svensson@skl.se", "mailto:anna.svensson@skl.se"),
        ("www.palliativ.se", "https://www.palliativ.se"),
        ("https://skl.se/a?b=1", "https://skl.se/a?b=1"),
    ]
    assert list(addresses("Inget här, 08-452 70 00.")) == []


def _elements(pdf: bytes) -> list[bytes]:
    return re.findall(rb"<</Type/StructElem.*?>>\s*endobj", pdf, flags=re.S)


def test_pdf_form_labels_are_row_headers_and_addresses_links():
    pdf = render_pdf_typst(DOCUMENT)
    headers = [e for e in _elements(pdf) if b"/S/TH" in e and b"/Scope/Row" in e]
    assert len(headers) == 2  # Namn, Organisationsnummer; the group row is not a row header
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    links = [a.get_object()["/A"]["/URI"] for a in reader.pages[0].get("/Annots", [])]
    assert links == ["mailto:anna.svensson@skl.se", "https://www.skl.se", "https://skl.se/x"]


def test_pdf_catalog_has_no_default_suspects():
    assert b"/Suspects" not in render_pdf_typst(DOCUMENT)
    pdf = (
        b"%PDF-1.7\n1 0 obj\n<</Type/Catalog/MarkInfo<</Marked true/Suspects false>>>>\nendobj\n2 0 obj\n<<>>\nendobj\n"
    )
    xref = len(pdf)
    pdf += b"xref\n0 3\n0000000000 65535 f\r\n0000000009 00000 n\r\n%010d 00000 n\r\n" % pdf.index(b"2 0 obj")
    pdf += b"trailer\n<</Size 3/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF" % xref
    fixed = drop_default_suspects(pdf)
    assert b"/MarkInfo<</Marked true>>" in fixed
    offset = int(re.search(rb"(\d{10}) 00000 n\r\n(?=trailer)", fixed).group(1))
    assert fixed[offset:].startswith(b"2 0 obj")
    assert fixed[int(fixed.rsplit(b"startxref\n", 1)[1].split(b"\n")[0]) :].startswith(b"xref")
    with pytest.raises(ValueError):
        apply(pdf, [(xref + 1, xref + 2, b"")])  # never inside the cross-reference table


@pytest.mark.external
@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler is not installed")
def test_poppler_reads_the_pdf_without_a_syntax_error(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(render_pdf_typst(DOCUMENT))
    result = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Syntax Error" not in result.stderr, result.stderr


def test_docx_addresses_are_hyperlinks_with_their_relationships():
    with zipfile.ZipFile(io.BytesIO(render_docx(DOCUMENT))) as package:
        body = package.read("word/document.xml").decode("utf-8")
        rels = package.read("word/_rels/document.xml.rels").decode("utf-8")
    linked = re.findall(r'<w:hyperlink r:id="(rIdLink\d+)">.*?<w:t>([^<]*)</w:t>.*?</w:hyperlink>', body)
    assert [text for _, text in linked] == ["anna.svensson@skl.se", "www.skl.se", "https://skl.se/x"]
    for rid, _ in linked:
        assert re.search(rf'Id="{rid}" Type="[^"]*/hyperlink" Target="[^"]+" TargetMode="External"', rels)
    assert 'Target="mailto:anna.svensson@skl.se"' in rels
    assert 'w:firstColumn="1"' in body  # Word's nearest to a row header: the table's first column is its labels


def test_reportlab_pdf_addresses_are_links_too():
    from generator.build.formats import render_pdf_reportlab

    reader = PdfReader(io.BytesIO(render_pdf_reportlab(DOCUMENT)))
    links = [a.get_object()["/A"]["/URI"] for a in reader.pages[0].get("/Annots", [])]
    assert links == ["mailto:anna.svensson@skl.se", "https://www.skl.se", "https://skl.se/x"]
    assert "anna.svensson@skl.se, www.skl.se eller https://skl.se/x." in reader.pages[0].extract_text()
