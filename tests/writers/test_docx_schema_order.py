"""The DOCX parts keep WordprocessingML's element order: Word refuses a file whose properties are out of order.

LibreOffice reads property elements in any order, so the pagination tests cannot see this; Word checks each
properties element against its sequence in the schema (ECMA-376 part 1, wml.xsd) and calls the file damaged.
Every part of a document of each kind is checked: the body, the page headers, the styles.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from generator.app import load_agreement
from generator.build.plan import plan
from generator.build.render import render_circular, render_job
from generator.change.redline import redline
from generator.data.circulars import is_circular, load_circular
from generator.writers.docx import render_docx

ROOT = Path(__file__).resolve().parents[2]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

#: The sequences of wml.xsd for the properties elements a document of ours can hold (children in this order).
SEQUENCES = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
    "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl "
    "cs em lang eastAsianLayout specVanish oMath ins del moveFrom moveTo rPrChange",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark "
    "headers cellIns cellDel cellMerge tcPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
    "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange",
    "tcBorders": "top start left bottom end right insideH insideV tl2br tr2bl",
    "tcMar": "top start left bottom end right",
    "tblCellMar": "top start left bottom end right",
    "tblBorders": "top start left bottom end right insideH insideV",
    "pBdr": "top left bottom right between bar",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
    "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings "
    "sectPrChange",
    "style": "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat locked "
    "personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr",
}
ORDER = {parent: {name: index for index, name in enumerate(names.split())} for parent, names in SEQUENCES.items()}


def _documents():
    """A document of every kind: the decisions, the plan, county, municipality, council letters, the 2010 letter
    and county agreement, the utlåtande, the circular."""
    names = {
        "2010": ["skl_brev_ul_lan", "lansoverenskommelser/overenskommelse_14_vastra-gotalands-lan"],
        "2011": ["regeringsbeslut_II-7_2011-06-16_utbetalning"],
        "2012": [
            "regeringsbeslut_II-7_2012-02-09_godkannande",
            "genomforandeplan",
            "lansbrev/lansbrev_01_stockholms-lan",
            "kommunbrev/kommunbrev_0180_stockholm",
            "landstingsbrev/landstingsbrev_0001_stockholms-lans-landsting",
        ],
        "2013": ["utlatanden/utlatande_0180_stockholm"],
    }
    letters = {}
    for year, wanted in names.items():
        validated = load_agreement(ROOT / "agreements" / f"{year}.yaml")
        jobs = {
            job.name: job
            for job in plan(validated.agreement, validated.allocation, municipal=getattr(validated, "municipal", None))
        }
        for name in wanted + (["lansbrev/lansbrev_03_uppsala-lan"] if year == "2012" else []):
            letters[f"{year}/{name}"] = render_job(validated.agreement, jobs[name])
    yield from ((name, document) for name, document in letters.items() if "uppsala" not in name)
    # tracked changes of every kind (words, rows, cells, headings, lists): one county's letter against another's
    marked, count = redline(
        letters["2012/lansbrev/lansbrev_01_stockholms-lan"],
        letters["2012/lansbrev/lansbrev_03_uppsala-lan"],
        "Granskare",
        "2012-12-14",
    )
    assert count > 20
    yield "2012/andringar/lansbrev_03 mot 01", marked
    folder = ROOT / "agreements" / "2014"
    agreements = [(load_agreement(f).agreement, f) for f in sorted(folder.glob("*.yaml")) if not is_circular(f)]
    yield "2014/cirkular_13-66", render_circular(load_circular(folder / "cirkular_13-66.yaml", agreements))


def _out_of_order(xml: bytes) -> list[str]:
    """Return, for each properties element whose children break the schema's sequence, what is misplaced."""
    problems = []
    for element in etree.fromstring(xml).iter():
        if not isinstance(element.tag, str) or not element.tag.startswith(W):
            continue
        order = ORDER.get(element.tag[len(W) :])
        if order is None:
            continue
        seen = [child.tag[len(W) :] for child in element if isinstance(child.tag, str) and child.tag.startswith(W)]
        places = [order.get(name) for name in seen]
        unknown = [name for name, place in zip(seen, places) if place is None]
        known = [place for place in places if place is not None]
        if unknown or known != sorted(known):
            problems.append(f"<w:{element.tag[len(W) :]}>: {' '.join(seen)}")
    return problems


DOCUMENTS = list(_documents())


@pytest.mark.parametrize("name,document", DOCUMENTS, ids=[name for name, _ in DOCUMENTS])
def test_every_properties_element_is_in_the_schemas_order(name, document):
    package = zipfile.ZipFile(io.BytesIO(render_docx(document)))
    parts = [p for p in package.namelist() if p.startswith("word/") and p.endswith(".xml")]
    assert "word/document.xml" in parts and "word/styles.xml" in parts
    problems = {part: _out_of_order(package.read(part)) for part in parts}
    problems = {part: found[:5] for part, found in problems.items() if found}
    assert not problems, problems


def test_the_check_sees_a_misplaced_element():
    xml = (
        f'<w:document xmlns:w="{W[1:-1]}"><w:tc><w:tcPr><w:tcW/><w:vAlign/><w:tcBorders/></w:tcPr></w:tc>'
        f"<w:p><w:pPr><w:jc/><w:spacing/></w:pPr></w:p></w:document>"
    ).encode()
    assert _out_of_order(xml) == ["<w:tcPr>: tcW vAlign tcBorders", "<w:pPr>: jc spacing"]
