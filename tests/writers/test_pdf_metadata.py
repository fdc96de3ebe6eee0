"""No internal file name in any property a reader shows; the provenance in our own XMP namespace (PDF, both
engines) and in a custom property (DOCX), where ``generator check`` reads it."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree
from pypdf import PdfReader

from generator.build.formats import render_docx, render_pdf_reportlab, render_pdf_typst
from generator.change.staleness import provenance_of
from generator.documents.model import Document, Meta, Paragraph, Run
from generator.writers.pdf_metadata import NAMESPACE, add_to_xmp, read_provenance, xmp_packet

LINE = (
    "generator 0.1.0+abc; content " + "0" * 64 + "; agreements/2012.yaml@0123456789abcdef0123456789abcdef01234567 "
    "examples/befolkning_2011_EXEMPEL.csv@89abcdef0123456789abcdef0123456789abcdef templates/lansbrev.xml.j2@"
    "0123456789abcdef0123456789abcdef01234567"
)
INTERNAL = re.compile(r"\.yaml|\.csv|\.j2|agreements/|templates/|generator 0\.1|content [0-9a-f]{64}")
DOCUMENT = Document(
    Meta(title="Medel 2012", author="SKL", subject="Överenskommelsen", keywords="utbetalning, 2012", source=LINE),
    [Paragraph([Run("Text.")])],
)
RENDER = {"typst": render_pdf_typst, "reportlab": render_pdf_reportlab}


def _xmp_outside_our_namespace(reader: PdfReader) -> str:
    metadata = reader.trailer["/Root"].get_object().get("/Metadata")
    packet = metadata.get_object().get_data().decode("utf-8") if metadata is not None else ""
    return re.sub(r'<rdf:Description rdf:about="" xmlns:genprov=.*?</rdf:Description>', "", packet, flags=re.S)


@pytest.mark.parametrize("engine", ["typst", "reportlab"])
def test_pdf_properties_name_no_internal_file_and_check_reads_the_provenance(tmp_path, engine):
    path = tmp_path / "x.pdf"
    path.write_bytes(RENDER[engine](DOCUMENT))
    reader = PdfReader(str(path))
    shown = {key: str(value) for key, value in (reader.metadata or {}).items()}
    assert shown["/Keywords"] == "utbetalning, 2012"
    assert not any(INTERNAL.search(value) for value in shown.values()), shown
    assert not INTERNAL.search(_xmp_outside_our_namespace(reader))
    assert provenance_of(path) == LINE


def test_typst_declares_the_namespace_as_pdfa_requires():
    packet = PdfReader(io.BytesIO(render_pdf_typst(DOCUMENT))).trailer["/Root"]["/Metadata"].get_data().decode()
    assert f"<pdfaSchema:namespaceURI>{NAMESPACE}</pdfaSchema:namespaceURI>" in packet
    assert "<pdfaProperty:name>Provenance</pdfaProperty:name>" in packet


def test_adding_to_the_xmp_keeps_the_cross_reference_table_exact():
    plain = render_pdf_typst(Document(DOCUMENT.meta.__class__(title="t"), [Paragraph([Run("x")])]))
    pdf = add_to_xmp(plain, "generator x; a.yaml@" + "0" * 40)
    start = int(re.search(rb"startxref\s+(\d+)", pdf[-64:]).group(1))
    assert pdf[start : start + 4] == b"xref"
    for number, offset in enumerate(int(m.group(1)) for m in re.finditer(rb"(\d{10}) 00000 n", pdf[start:])):
        assert re.match(rb"\d+ 0 obj", pdf[offset:]), number
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    assert len(reader.pages) == 1


def test_read_provenance_escapes_and_refuses_entities():
    line = "generator x; a&b <c>.yaml@" + "0" * 40
    assert read_provenance(xmp_packet(line).encode()) == line
    with pytest.raises(ValueError):
        read_provenance(b'<!DOCTYPE x [<!ENTITY e "x">]><x:xmpmeta xmlns:x="adobe:ns:meta/"/>')


def test_docx_properties_name_no_internal_file_and_check_reads_the_provenance(tmp_path):
    path = tmp_path / "x.docx"
    path.write_bytes(render_docx(DOCUMENT))
    with zipfile.ZipFile(path) as package:
        for part in ("docProps/core.xml", "docProps/app.xml"):
            assert not INTERNAL.search(package.read(part).decode("utf-8")), part
        assert LINE in package.read("docProps/custom.xml").decode("utf-8")
        # no statistics or application that are false for a generated document (python-docx's template says
        # "Microsoft Macintosh Word", one page): the extended properties state nothing
        app = etree.fromstring(package.read("docProps/app.xml"))
        assert etree.QName(app).localname == "Properties" and len(app) == 0
    assert provenance_of(path) == LINE


@pytest.mark.slow
@pytest.mark.external
def test_no_built_document_names_an_internal_file_in_its_properties(built_output):
    """Every shipped document: the PDF's Info dictionary and the DOCX's core and extended properties."""
    pdfs = sorted(built_output.rglob("*.pdf"))
    docxs = sorted(built_output.rglob("*.docx"))
    assert len(pdfs) > 100 and len(docxs) > 100
    for path in pdfs:
        shown = {key: str(value) for key, value in (PdfReader(str(path)).metadata or {}).items()}
        assert not any(INTERNAL.search(value) for value in shown.values()), (path, shown)
    for path in docxs:
        with zipfile.ZipFile(path) as package:
            for part in ("docProps/core.xml", "docProps/app.xml"):
                assert not INTERNAL.search(package.read(part).decode("utf-8")), (path, part)
