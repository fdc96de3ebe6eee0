"""Every part of a DOCX of every kind validates against the ISO/IEC 29500 transitional schemas (vendored in
tests/fixtures/ooxml-schemas, with their licences), after markup compatibility's ignorable content is set aside as
a consumer does (ISO/IEC 29500-3)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from generator.build.formats import render_docx
from generator.documents.model import Cell, Document, Meta, Paragraph, Run, Table, TableRow

SCHEMAS = Path(__file__).parents[1] / "fixtures" / "ooxml-schemas"
TRANSITIONAL = "ISO-IEC29500-4_2016"
#: The schema of each namespace a DOCX part's root element may be in.
NAMESPACES = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": f"{TRANSITIONAL}/wml.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/main": f"{TRANSITIONAL}/dml-main.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": (
        f"{TRANSITIONAL}/shared-documentPropertiesExtended.xsd"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties": (
        f"{TRANSITIONAL}/shared-documentPropertiesCustom.xsd"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/customXml": (
        f"{TRANSITIONAL}/shared-customXmlDataProperties.xsd"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/bibliography": f"{TRANSITIONAL}/shared-bibliography.xsd",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": (
        "ecma/fouth-edition/opc-coreProperties.xsd"
    ),
    "http://schemas.openxmlformats.org/package/2006/content-types": "ecma/fouth-edition/opc-contentTypes.xsd",
    "http://schemas.openxmlformats.org/package/2006/relationships": "ecma/fouth-edition/opc-relationships.xsd",
}
#: Schemas imported by URL, read from the vendored copies.
LOCAL = {
    "dc.xsd": SCHEMAS / "dublin-core" / "dc.xsd",
    "dcterms.xsd": SCHEMAS / "dublin-core" / "dcterms.xsd",
    "xml.xsd": SCHEMAS / TRANSITIONAL / "xml.xsd",
}
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
KINDS = {
    "regeringsbeslut, utbetalning": "2011/regeringsbeslut_*utbetalning.docx",
    "regeringsbeslut, godkännande": "2012/regeringsbeslut_*godkannande.docx",
    "genomförandeplan": "2012/genomforandeplan.docx",
    "länsbrev": "2012/lansbrev/*.docx",
    "kommunbrev": "2012/kommunbrev/*.docx",
    "landstingsbrev": "2012/landstingsbrev/*.docx",
    "SKL:s brev om fördelning": "2010/skl_brev_*.docx",
    "länsöverenskommelse": "2010/lansoverenskommelser/*.docx",
    "utlåtande": "2013/utlatanden/*.docx",
    "cirkulär": "2014/cirkular_*.docx",
}


class _Local(etree.Resolver):
    def resolve(self, url, pubid, context):
        local = LOCAL.get(url.rsplit("/", 1)[-1]) if url.startswith("http") else None
        return self.resolve_filename(str(local.resolve()), context) if local else None


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Local())
    imports = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{(SCHEMAS / path).resolve().as_uri()}"/>'
        for ns, path in NAMESPACES.items()
    )
    wrapper = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), parser, base_url=SCHEMAS.resolve().as_uri() + "/"))


def _understood(root):
    """Return ``root`` without what its mc:Ignorable namespaces mark (and the mc attributes), as a consumer that
    understands none of them reads it (ISO/IEC 29500-3 §10.1)."""
    ignorable = set()
    for element in root.iter():
        for prefix in (element.get(f"{{{MC}}}Ignorable") or "").split():
            ignorable.add(element.nsmap.get(prefix))
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).namespace in ignorable:
            element.getparent().remove(element)
            continue
        for name in list(element.attrib):
            if name.startswith("{") and name[1:].split("}")[0] in ignorable | {MC}:
                del element.attrib[name]
    return root


def invalid_parts(data: bytes, schema: etree.XMLSchema) -> dict[str, list[str]]:
    """Return each XML part of a DOCX that does not validate, with the schema's messages."""
    failures = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = [n for n in package.namelist() if n.endswith((".xml", ".rels"))]
        assert "word/document.xml" in names and "word/settings.xml" in names
        for name in names:
            root = _understood(etree.fromstring(package.read(name)))
            if not schema.validate(root):
                failures[name] = [str(error) for error in schema.error_log][:5]
    return failures


DOCUMENT = Document(
    Meta(title="t", keywords="k", source="generator x; a.yaml@" + "0" * 40),
    [
        Paragraph([Run("Frågor till anna.svensson@skl.se eller www.skl.se.")]),
        Table([TableRow([Cell([Run("Namn")]), Cell([Run("____")])])], [3, 4]),
    ],
)


def test_a_document_validates_part_by_part(schema):
    assert invalid_parts(render_docx(DOCUMENT), schema) == {}


def test_the_zoom_without_its_percent_would_not(schema):
    """python-docx's template writes <w:zoom w:val="bestFit"/>; the writer adds the w:percent the schema requires."""
    data = render_docx(DOCUMENT)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        settings = package.read("word/settings.xml")
    assert b'<w:zoom w:val="bestFit" w:percent="100"/>' in settings
    root = etree.fromstring(settings.replace(b' w:percent="100"', b""))
    assert not schema.validate(_understood(root))
    assert "percent" in str(schema.error_log)


@pytest.mark.slow
@pytest.mark.external
def test_one_docx_of_every_kind_validates(built_output, schema):
    for kind, pattern in KINDS.items():
        files = sorted(built_output.glob(pattern))
        assert files, (kind, pattern)
        assert invalid_parts(files[0].read_bytes(), schema) == {}, (kind, files[0].name)
