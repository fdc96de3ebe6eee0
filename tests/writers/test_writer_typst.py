"""The Typst writer: tagged PDF/UA-1 and PDF/A-2a for every document kind, escaping, links, provenance.

The structure tree is read with pypdf (what ``pdfinfo -struct`` shows) and compared with the document model
the PDF was made from: the headings in order and level, one Table per table, L/LI per list, and the
reading order of headings, lists and tables.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.build.plan import plan
from generator.build.render import render_circular, render_job
from generator.change.staleness import provenance_of
from generator.documents.model import (
    Columns,
    Document,
    Heading,
    Keep,
    ListBlock,
    Meta,
    Paragraph,
    Run,
    Signature,
    Signatures,
    Table,
)
from generator.writers.typst import render_pdf

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def documents(validated_agreement, validated_circular) -> dict[str, tuple[Document, bytes]]:
    """One document of each kind, with its Typst PDF."""
    models: dict[str, Document] = {}
    wanted = {"2012": ("0180", "0001", "0980")}  # Stockholm, its county council and Region Gotland's letters
    for year in ("2010", "2011", "2012", "2013"):
        validated = validated_agreement(year)
        for job in plan(validated.agreement, validated.allocation, municipal=validated.municipal):
            if (
                "/" in job.name
                and job.name.split("/")[0] in ("kommunbrev", "landstingsbrev")
                and job.name.split("_")[1] not in wanted.get(year, ())
            ):
                continue
            models[f"{year}/{job.name}"] = render_job(validated.agreement, job)
    models["2014/cirkular"] = render_circular(validated_circular("2014/cirkular_13-66"))
    kinds = {
        "utbetalningsbeslut": "2011/regeringsbeslut_II-7_2011-06-16_utbetalning",
        "godkannandebeslut": "2012/regeringsbeslut_II-7_2012-02-09_godkannande",
        "genomforandeplan": "2012/genomforandeplan",
        "lansbrev": "2012/lansbrev/lansbrev_01_stockholms-lan",
        "cirkular": "2014/cirkular",
        "skl_brev": "2010/skl_brev_ul_lan",
        "lansoverenskommelse": "2010/lansoverenskommelser/overenskommelse_01_stockholms-lan",
        "kommunbrev": "2012/kommunbrev/kommunbrev_0180_stockholm",
        "kommunbrev_gotland": "2012/kommunbrev/kommunbrev_0980_region-gotland",
        "landstingsbrev": "2012/landstingsbrev/landstingsbrev_0001_stockholms-lans-landsting",
        "utlatande": "2013/utlatanden/utlatande_0180_stockholm",
    }
    return {kind: (models[name], render_pdf(models[name])) for kind, name in kinds.items()}


KINDS = [
    "utbetalningsbeslut",
    "godkannandebeslut",
    "genomforandeplan",
    "lansbrev",
    "cirkular",
    "skl_brev",
    "lansoverenskommelse",
    "kommunbrev",
    "kommunbrev_gotland",
    "landstingsbrev",
    "utlatande",
]


def _walk(blocks):
    for block in blocks:
        yield block
        if isinstance(block, Keep):
            yield from _walk(block.blocks)
        elif isinstance(block, Columns):
            for column in block.columns:
                yield from _walk(column.blocks)


def _structure(data: bytes, tmp_path: Path) -> list[tuple[str, str]]:
    """Return (tag, title) of every element of the structure tree, in reading order (depth first)."""
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]["/StructTreeRoot"].get_object()
    role_map = root.get("/RoleMap", {})
    elements: list[tuple[str, str]] = []

    def visit(node) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for kid in node:
                visit(kid)
            return
        if not isinstance(node, dict) or "/S" not in node:
            return  # a marked-content id or an object reference: content, not structure
        tag = str(node["/S"])
        tag = str(role_map.get(tag, tag))
        elements.append((tag.lstrip("/"), str(node.get("/T", ""))))
        if "/K" in node:
            visit(node["/K"])

    visit(root["/K"])
    return elements


def _leading(rows):
    """The rows before the first body row: the table's header."""
    for row in rows:
        if row.kind not in ("head", "group"):
            return
        yield row


@pytest.mark.parametrize("kind", KINDS)
def test_the_structure_tree_follows_the_document(documents, kind, tmp_path):
    document, data = documents[kind]
    tree = _structure(data, tmp_path)
    tags = [tag for tag, _ in tree]
    assert tags[0] == "Document"
    blocks = list(_walk(document.blocks))
    # the headings, in order, each tagged H1–H4: the first H1, no level skipped, never deeper than it looks
    headings = [(int(tag[1]), text) for tag, text in tree if re.fullmatch(r"H[1-6]", tag)]
    model = [b for b in blocks if isinstance(b, Heading)]
    assert [text for _, text in headings] == [h.text for h in model]
    assert headings[0][0] == 1
    for (previous, _), (level, _), heading in zip([(0, "")] + headings, headings, model):
        assert 1 <= level <= min(previous + 1, heading.level, 4)
    # reading order of headings, lists and tables as in the model
    order = [("H" if tag.startswith("H") else tag) for tag in tags if re.fullmatch(r"H[1-6]|L|Table", tag)]
    expected = [
        {Heading: "H", ListBlock: "L", Table: "Table"}[type(b)]
        for b in blocks
        if isinstance(b, (Heading, ListBlock, Table))
    ]
    assert order == expected
    items = sum(len(b.items) for b in blocks if isinstance(b, ListBlock))
    assert tags.count("LI") == items
    tables = [b for b in blocks if isinstance(b, Table)]
    assert tags.count("TR") == sum(len(t.rows) for t in tables)
    head_cells = sum(len(r.cells) for t in tables for r in _leading(t.rows) if r.kind == "head")
    assert tags.count("TH") >= head_cells
    if tables:
        assert "TD" in tags
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    assert tags.count("P") >= len(paragraphs)


@pytest.mark.parametrize("kind", KINDS)
def test_language_title_outline_and_pdf_standards(documents, kind):
    document, data = documents[kind]
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv-SE"
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    meta = document.meta
    title = f"{meta.draft}: {meta.title}" if meta.draft else meta.title  # a draft says so in its title
    assert reader.metadata.title == title
    assert reader.metadata.author == document.meta.author
    assert reader.metadata.subject == document.meta.subject

    def titles(outline):
        for entry in outline:
            if isinstance(entry, list):
                yield from titles(entry)
            else:
                yield entry.title

    assert list(titles(reader.outline)) == [b.text for b in _walk(document.blocks) if isinstance(b, Heading)]
    xmp = ET.fromstring(root["/Metadata"].get_object().get_data())
    ns = {
        "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
        "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
        "dc": "http://purl.org/dc/elements/1.1/",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    }
    description = xmp.find(".//rdf:Description", ns)
    assert description.find("pdfaid:part", ns).text == "2"
    assert description.find("pdfaid:conformance", ns).text == "A"
    assert description.find("pdfuaid:part", ns).text == "1"
    assert description.find("dc:language/rdf:Bag/rdf:li", ns).text == "sv-SE"
    assert description.find("dc:title/rdf:Alt/rdf:li", ns).text == title
    # the document's date, not the build's: rebuilding gives the same bytes
    assert reader.metadata["/CreationDate"].startswith("D:" + document.meta.date.replace("-", ""))
    assert render_pdf(document) == data


def test_the_circulars_addresses_are_links(documents):
    document, data = documents["cirkular"]
    reader = PdfReader(io.BytesIO(data))
    uris = {
        annot.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annot in page.get("/Annots", [])
        if annot.get_object().get("/Subtype") == "/Link"
    }
    assert "http://www.skl.se/vi_arbetar_med/socialomsorgochstod/evidensbaserad-praktik-inom-socialtjansten" in uris
    assert len(uris) >= 4


def test_the_circulars_first_page_has_its_title_once(documents):
    _, data = documents["cirkular"]
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert pages[0].count("CIRKULÄR 13:66") == 1
    assert all("CIRKULÄR 13:66" in page for page in pages[1:])


@pytest.mark.parametrize(
    "text",
    [
        "#",
        "$",
        "*",
        "_",
        "@",
        "<",
        "`",
        "\\",
        "[",
        "]",
        "//",
        "=",
        "/*",
        '"',
        "~",
        "#set page(width: 1cm)",
        "$x^2$",
        "*fet*",
        "_kursiv_",
        "@ref",
        "<label>",
        "`kod`",
        "\\u{41}",
        "[innehåll]",
        "// kommentar",
        "= Rubrik",
        "- punkt",
        "+ punkt",
        "/ term: x",
        "https://x.se/a_b*c#d",
    ],
)
def test_data_text_prints_literally(text):
    document = Document(
        Meta(title=f"Titel {text}", author=text, subject=text, keywords=text),
        [
            Heading(f"{text} i rubrik"),
            Paragraph(
                [Run(f"{text} först"), Run("\n"), Run(f"{text}", bold=True), Run(f" mitt {text} i", italic=True)]
            ),
            ListBlock([[Run(f"{text} punkt")]]),
            Paragraph([Run(text)]),
            Signatures([Signature(label=text, name=f"{text} namn", title=text)], place=text),
        ],
    )
    reader = PdfReader(io.BytesIO(render_pdf(document)))
    shown = reader.pages[0].extract_text()
    for needle in (f"{text} i rubrik", f"{text} först", f"{text} mitt {text} i", f"{text} punkt", f"{text} namn"):
        assert needle in shown, (needle, shown)
    assert reader.metadata.title == f"Titel {text}"
    assert reader.metadata.author == text


def test_the_provenance_is_in_our_xmp_namespace_that_check_reads_not_in_the_keywords(tmp_path):
    line = "generator 0.1.0+abc; agreements/2012.yaml@0123456789abcdef0123456789abcdef01234567"
    document = Document(Meta(title="t", keywords="överenskommelse, 2012", source=line), [Paragraph([Run("x")])])
    path = tmp_path / "x.pdf"
    path.write_bytes(render_pdf(document))
    assert provenance_of(path) == line
    assert PdfReader(str(path)).metadata["/Keywords"] == "överenskommelse, 2012"


def test_an_amounts_column_aligns_on_the_decimal_comma():
    from generator.documents.model import Cell, TableRow

    rows = [
        TableRow([Cell([Run("Kansli")]), Cell([Run("5,3")], "right")]),
        TableRow([Cell([Run("Resor")]), Cell([Run("4,75")], "right")]),
        TableRow([Cell([Run("Summa")]), Cell([Run("10")], "right")], "sum"),
    ]
    reader = PdfReader(io.BytesIO(render_pdf(Document(Meta(title="t"), [Table(rows, [4, 1], "budget")]))))
    xs = {}

    def visit(text, cm, tm, font, size):
        for number in ("5", "4", "10"):
            if text.strip().startswith(number) and number not in xs:
                xs[number] = (tm[4] * cm[0] + cm[4], text)

    reader.pages[0].extract_text(visitor_text=visit)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from generator.writers.pdf_reportlab import register_fonts

    register_fonts()
    # the integer parts end at one x: 5 | ,3 and 4 | ,75 and 10 | (bold)
    ends = [
        xs["5"][0] + stringWidth("5", "LiberationSerif", 10.5),
        xs["4"][0] + stringWidth("4", "LiberationSerif", 10.5),
        xs["10"][0] + stringWidth("10", "LiberationSerif-Bold", 10.5),
    ]
    assert max(ends) - min(ends) < 0.6, ends


def test_a_line_ending_in_a_colon_stays_with_its_list():
    for filler in range(30, 44):
        blocks = [Paragraph([Run(f"Utfyllnad {i}.")]) for i in range(filler)]
        blocks += [Paragraph([Run("Medlen ska användas för att:")]), ListBlock([[Run("första")], [Run("andra")]])]
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(Document(Meta(title="t"), blocks)))).pages]
        page = next(p for p in pages if "användas för att:" in p)
        assert "första" in page, filler


def test_a_signature_block_stays_with_the_paragraph_before_it():
    for filler in range(30, 44):
        blocks = [Paragraph([Run(f"Utfyllnad {i}.")]) for i in range(filler)]
        blocks += [
            Paragraph([Run("Sista stycket.")]),
            Keep(
                [
                    Paragraph([Run("Sveriges Kommuner och Landsting")]),
                    Signatures([Signature("", "Håkan Sörman", "Verkställande direktör")]),
                ]
            ),
        ]
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(Document(Meta(title="t"), blocks)))).pages]
        page = next(p for p in pages if "Håkan Sörman" in p)
        assert "Sista stycket." in page, filler
