"""Every budget table of the plan's appendices has a caption, numbered after its appendix and derived from data,
kept on a page with its table and its introducing sentence, in the Typst PDF, the reportlab PDF and the DOCX."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from generator.build.plan import plan
from generator.build.render import render_job
from generator.data.numbering import table_captions
from generator.documents.model import Heading, Keep, Table, document_markup, parse_document, plain
from generator.writers import docx as docx_writer
from generator.writers import pdf_reportlab as reportlab_writer
from generator.writers import typst as typst_writer

ROOT = Path(__file__).resolve().parents[2]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HAS_POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdfinfo") is not None


@pytest.fixture(scope="module")
def the_plan(validated_agreement):
    validated = validated_agreement("2012")
    job = next(j for j in plan(validated.agreement, validated.allocation) if j.name == "genomforandeplan")
    document = render_job(validated.agreement, job)
    return {"agreement": validated.agreement, "document": document}


def _tables(blocks):
    for block in blocks:
        if isinstance(block, Table):
            yield block
        elif isinstance(block, Keep):
            yield from _tables(block.blocks)


def _appendix_tables(agreement):
    """(appendix number, table) of every budget table of the appendices, in order (from the data)."""
    from generator.data.numbering import appendix_numbers
    from generator.data.prose_figures import walk_appendices

    numbers = appendix_numbers(agreement.appendices)
    for appendix in walk_appendices(agreement.appendices):
        for block in appendix.blocks:
            if hasattr(block, "table"):
                yield numbers[appendix.id], appendix, block.table


def pages_text(data: bytes, tmp_path: Path, name: str) -> list[str]:
    path = tmp_path / name
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout
    return [" ".join(page.replace("\u00a0", " ").replace("\u00ad\n", "").split()) for page in text.decode().split("\f")]


def test_every_appendix_table_has_a_caption_numbered_after_its_appendix(the_plan):
    agreement, document = the_plan["agreement"], the_plan["document"]
    expected = list(_appendix_tables(agreement))
    assert len(expected) == 11  # Bil 1, 1.a, 2 (two), 3–7, 8 (two)
    captioned = [t for t in _tables(document.blocks) if t.caption]
    assert len(captioned) == len(expected)
    counts: dict[str, int] = {}
    for number, _, _ in expected:
        counts[number] = counts.get(number, 0) + 1
    seen: dict[str, int] = {}
    for (number, _appendix, data), table in zip(expected, captioned):
        seen[number] = seen.get(number, 0) + 1
        label = number if counts[number] == 1 else f"{number}.{seen[number]}"
        caption = plain(table.caption)
        assert caption.startswith(f"Tabell {label}. "), caption
        # the table's own title (no longer a row of the table), else the year's budget; the unit when no column has it
        assert caption.removeprefix(f"Tabell {label}. ").startswith(data.title or f"Budget {agreement.year}")
        assert not any(data.title and cell.text == data.title for row in table.rows for cell in row.cells)
        assert caption.endswith("kronor") != any("kronor" in c.lower() for c in data.columns)  # the unit, said once
        assert table.rows[0].kind == "head" and [c.text for c in table.rows[0].cells] == data.columns
    assert plain(captioned[6].caption) == "Tabell 5. Budget 2012, kronor"  # Bil 5: income and cost in kronor
    assert parse_document(document_markup(document)) == document  # the caption survives the issued markup


def test_captions_follow_the_units_and_titles_of_the_data():
    from generator.data.model import Appendix

    appendix = Appendix.model_validate(
        {
            "id": "x",
            "title": "X",
            "blocks": [
                {"heading": "Budget"},
                {"text": "Så här:"},
                {"table": {"columns": ["Kostnad", "Belopp"], "unit": "tkr", "rows": [{"label": "a", "amount": 1000}]}},
                {
                    "table": {
                        "title": "Personal",
                        "columns": ["Kostnad", "Miljoner kronor"],
                        "unit": "mkr",
                        "rows": [{"label": "b", "amount": 1_000_000}],
                    }
                },
            ],
        }
    )
    assert table_captions(appendix, "3.b", 2013) == {
        2: "Tabell 3.b.1. Budget 2013, tusental kronor",
        3: "Tabell 3.b.2. Personal",
    }


def test_every_data_table_of_the_plan_has_a_caption_or_a_heading_right_above_it(the_plan):
    """The appendices' budgets have captions; the payout tables their heading in the same keep; the two lists of
    appendices (Bil/Bilaga and a title per row) are lists, not data."""

    def check(blocks, previous=None):
        for block in blocks:
            if isinstance(block, Keep):
                check(block.blocks, previous)
            elif isinstance(block, Table):
                listing = all(r.cells[0].text.startswith(("Bil ", "Bilaga ")) for r in block.rows)
                assert block.caption or isinstance(previous, Heading) or listing, block_rows(block)
            previous = block

    def block_rows(block):
        return [c.text for c in block.rows[0].cells]

    check(the_plan["document"].blocks)


@pytest.mark.slow
@pytest.mark.external
@pytest.mark.skipif(not HAS_POPPLER, reason="poppler (pdftotext, pdfinfo) is not installed")
@pytest.mark.parametrize("writer", [typst_writer, reportlab_writer], ids=["typst", "reportlab"])
def test_in_the_pdf_each_caption_heads_its_table_on_the_page_of_its_introducing_sentence(the_plan, writer, tmp_path):
    document = the_plan["document"]
    data = writer.render_pdf(document)
    pages = pages_text(data, tmp_path, "plan.pdf")
    captioned = [t for t in _tables(document.blocks) if t.caption]
    for table in captioned:
        caption = plain(table.caption)
        page = next(p for p in pages if caption in p)
        assert f"{caption} {' '.join(c.text for c in table.rows[0].cells)}" in page  # the caption, then the head row
        first_body = next(r for r in table.rows if r.kind == "body")
        assert first_body.cells[0].text.split()[0] in page.split(caption, 1)[1]
    bil5 = next(p for p in pages if "Tabell 5." in p)
    # the introducing sentence, the caption and the whole table (a short one) on one page
    assert "Budgeten för 2012 ser utifrån ovanstående ut enligt nedan." in bil5
    assert bil5.index("Budgeten för 2012") < bil5.index("Tabell 5. Budget 2012, kronor") < bil5.index("SUMMA 2012")
    if writer is typst_writer:  # tagged as each table's Caption
        path = tmp_path / "plan.pdf"
        tree = (
            subprocess.run(["pdfinfo", "-enc", "UTF-8", "-struct-text", str(path)], capture_output=True, check=True)
            .stdout.decode("utf-8", "replace")
            .splitlines()
        )
        captions = [re.sub(r'^\s*"|"\s*$', "", tree[i + 3]) for i, line in enumerate(tree) if line.strip() == "Caption"]
        assert [c.replace("\u00a0", " ") for c in captions] == [plain(t.caption) for t in captioned]
        for i, line in enumerate(tree):
            if line.strip() == "Caption":
                table_line = next(tree[j] for j in range(i, -1, -1) if tree[j].strip().startswith("Table"))
                assert len(table_line) - len(table_line.lstrip()) < len(line) - len(line.lstrip())  # inside the Table


def test_in_the_docx_the_caption_is_a_caption_paragraph_kept_with_its_table_and_sentence(the_plan):
    document = the_plan["document"]
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx_writer.render_docx(document))).read("word/document.xml"))
    body = root.find(f"{W}body")
    children = list(body)
    text = lambda p: "".join(t.text or "" for t in p.iter(f"{W}t"))  # noqa: E731
    captions = [
        i
        for i, child in enumerate(children)
        if child.tag == f"{W}p"
        and child.find(f"{W}pPr/{W}pStyle") is not None
        and child.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Caption"
    ]
    expected = [plain(t.caption) for t in _tables(document.blocks) if t.caption]
    assert [text(children[i]) for i in captions] == expected
    for i in captions:
        assert children[i + 1].tag == f"{W}tbl"  # right above its table
    bil5 = next(i for i in captions if text(children[i]).startswith("Tabell 5."))
    sentence = children[bil5 - 1]
    assert text(sentence).startswith("Budgeten för 2012 ser utifrån ovanstående ut enligt nedan.")
    assert (
        sentence.find(f"{W}pPr/{W}keepNext") is not None
    )  # kept with the caption, which the style keeps with the table
