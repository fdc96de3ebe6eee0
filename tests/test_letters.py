"""Every county letter read as its recipient reads it: the text of each PDF and DOCX, not the data behind it.

The letters of every agreement in agreements/ that has ``county_letters:`` are
built and read (2012 today; 2010 as soon as its agreement writes letters):
the payout form's fields after the letter's own signature, no deadline before
the letter's date, nothing of the tool, amounts that add up to the stated
totals, the draft status on every page and in the properties, not in the text.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from generator.build import build
from generator.circulars import is_circular
from generator.cli import main
from generator.validate import discover, load_agreement

ROOT = Path(__file__).resolve().parent.parent
NB = "\u00a0"
DRAFT = "UTKAST – EXEMPELDATA"
MONTHS = "januari februari mars april maj juni juli augusti september oktober november december".split()
DEADLINE = re.compile(r"senast den (\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})", re.IGNORECASE)
AMOUNT = re.compile(r"\d{1,3}(?: \d{3})*")
#: What would betray the tool in a document a county receives: its name, a command, a data file.
TOOL = re.compile(r"\bgenerator\b|\bexplain\b|<kod>|\.ya?ml\b|--[a-z]|\bpython\b|\bpytest\b", re.IGNORECASE)
FORM_FIELDS = ["Betalningsmottagare", "Namn", "Organisationsnummer", "Bankgiro, plusgiro eller bankkonto",
               "Ort och datum", "Underskrift", "Namnförtydligande"]


def _plain(text: str) -> str:
    return text.replace(NB, " ")


@pytest.fixture(scope="module")
def letters(tmp_path_factory) -> list[dict]:
    """Build every agreement with county letters; return one record per letter with both texts."""
    out = tmp_path_factory.mktemp("output")
    records = []
    for file in discover([ROOT / "agreements"]):
        if is_circular(file):
            continue
        validated = load_agreement(file)
        agreement = validated.agreement
        if agreement is None or agreement.county_letters is None or validated.allocation is None:
            continue
        build(agreement, out, ["docx", "pdf"], allocation=validated.allocation)
        for pdf in sorted((out / str(agreement.year)).rglob("lansbrev*.pdf")):
            records.append(_read(agreement, validated.allocation, pdf, pdf.with_suffix(".docx")))
    return records


def _read(agreement, allocation, pdf: Path, docx_path: Path) -> dict:
    reader = PdfReader(str(pdf))
    pages = [_plain(page.extract_text()) for page in reader.pages]
    word = docx.Document(str(docx_path))
    body = _plain("\n".join(p.text for p in _paragraphs(word)))
    header = _plain("\n".join(p.text for section in word.sections for p in section.header.paragraphs))
    tables = [[[_plain(c.text) for c in row.cells] for row in table.rows] for table in word.tables]
    return {"name": pdf.stem, "agreement": agreement, "allocation": allocation, "pages": pages,
            "pdf": "\n".join(pages), "pdf_meta": reader.metadata, "docx": body, "docx_header": header,
            "docx_props": word.core_properties, "tables": tables, "docx_path": docx_path}


def _paragraphs(word):
    """Yield every paragraph of the body in reading order, table cells included (once each)."""
    for element in word.element.body.iter():
        if element.tag.endswith("}p"):
            yield Paragraph(element, word)


def _amount(text: str) -> int:
    return int(text.replace(" ", ""))


def _letter_date(record) -> dt.date:
    return record["docx_props"].created.date()


def test_every_agreement_with_county_letters_has_21_letters(letters):
    by_year: dict[int, int] = {}
    for record in letters:
        by_year[record["agreement"].year] = by_year.get(record["agreement"].year, 0) + 1
    assert by_year and all(count == 21 for count in by_year.values()), by_year
    assert 2012 in by_year


def test_the_payout_form_follows_the_signature_with_every_field(letters):
    for record in letters:
        signatory = record["agreement"].county_letters.signatory.name
        for kind in ("pdf", "docx"):
            text = record[kind]
            flat = " ".join(text.split())
            for field in FORM_FIELDS:
                assert field in flat, (record["name"], kind, field)
            assert text.index(signatory) < text.index("Betalningsmottagare"), (record["name"], kind)
            signers = re.findall(r"^För (.+)$", text[text.index("Betalningsmottagare"):], re.M)
            assert signers and text.count("Ort och datum") == text.count("Namnförtydligande") == len(signers), \
                (record["name"], kind, signers)
            if record["name"].split("_")[1] == "09":
                assert signers == ["Region Gotland"], signers
                assert re.search(r"Namn\s+Region Gotland", text), kind
            else:
                assert len(signers) == 2 and signers[1].startswith("kommunerna i "), signers


def test_no_deadline_precedes_the_letter_date(letters):
    checked = 0
    for record in letters:
        date = _letter_date(record)
        assert record["pdf_meta"].creation_date.date() == date
        for kind in ("pdf", "docx"):
            for day, month, year in DEADLINE.findall(record[kind].replace("\n", " ")):
                deadline = dt.date(int(year), MONTHS.index(month.lower()) + 1, int(day))
                assert deadline >= date, (record["name"], kind, deadline, date)
                checked += 1
    assert checked >= len(letters)  # every letter states at least one deadline


def test_no_document_shows_the_tool_or_a_command(letters):
    for record in letters:
        for kind in ("pdf", "docx", "docx_header"):
            found = TOOL.search(record[kind])
            assert found is None, (record["name"], kind, found and found.group())
        props = record["docx_props"]
        for value in (props.title, props.subject, props.keywords):
            assert not TOOL.search(value or ""), (record["name"], value)


def test_each_letters_amounts_add_up_to_its_stated_total(letters):
    for record in letters:
        stated = re.search(r"sammanlagt (\d{1,3}(?: \d{3})*) kronor", record["docx"])
        assert stated, record["name"]
        total = _amount(stated[1])
        summed = []
        for rows in record["tables"]:
            if not rows or rows[-1][0] != "Summa":
                continue
            amounts = [_amount(row[-1]) for row in rows[:-1] if AMOUNT.fullmatch(row[-1])]
            assert amounts and sum(amounts) == _amount(rows[-1][-1]), (record["name"], rows[0])
            summed.append(_amount(rows[-1][-1]))
        assert summed and summed[0] == total, (record["name"], summed[:1], total)
        if "Belopp per mottagare" in record["docx"]:
            assert total in summed[1:], record["name"]
        code = record["name"].split("_")[1]
        assert total == sum(line.amount for line in record["allocation"].for_county(code)), record["name"]
        pdf_stated = re.search(r"sammanlagt (\d{1,3}(?: \d{3})*) kronor", record["pdf"].replace("\n", " "))
        assert pdf_stated and _amount(pdf_stated[1]) == total, record["name"]
        pdf_sums = [_amount(m) for m in re.findall(r"^Summa\s+(\d{1,3}(?: \d{3})*)\s*$", record["pdf"], re.M)]
        assert pdf_sums == summed, (record["name"], pdf_sums, summed)


def test_example_data_is_a_draft_status_on_every_page_not_text(letters):
    for record in letters:
        if not record["allocation"].example:
            continue
        assert all(DRAFT in page for page in record["pages"]), record["name"]
        assert DRAFT in record["docx_header"] and record["docx_props"].content_status == DRAFT
        assert record["pdf_meta"].title.startswith(DRAFT)
        body = record["pdf"].replace(DRAFT, "")
        assert "exempeldata" not in body.lower() and "exempeldata" not in record["docx"].lower(), record["name"]


def test_2012_letters_read_as_swedish_authorities_write(letters):
    for record in [r for r in letters if r["agreement"].year == 2012]:
        text = record["docx"]
        assert "Av detta brev framgår" in text and "I detta brev framgår" not in text
        assert "de kommunerna och landstingen som" not in text and "de kommunerna som" not in text
        assert "Senior alert" not in text and "…" not in text and "→" not in text
        assert not re.search(r"\d x \d", text)
        assert not re.search(r"\b(?:har|får) (?:[1-9]|1[0-2]) mottagare", text)
        assert not re.search(r"\b(?:[1-9]|1[0-2]) län har", text)
        assert "Regeln står i avsnitt" in text and "generator" not in text
    stockholm = next(r for r in letters if r["name"] == "lansbrev_01_stockholms-lan" and r["agreement"].year == 2012)
    raw = "\n".join(p.text for p in _paragraphs(docx.Document(str(stockholm["docx_path"]))))
    assert f"15{NB}oktober" in raw or f"1{NB}november" in raw
    assert f"70{NB}procent" in raw and "Sju län har kvalificerat sig, minst fem krävs" in raw


def test_gotland_is_one_recipient(letters):
    record = next(r for r in letters if r["name"] == "lansbrev_09_gotlands-lan" and r["agreement"].year == 2012)
    text = record["docx"]
    assert "Kommunerna i Gotlands län" not in text and "landstingsuppgifter" not in text
    assert "Belopp per mottagare" not in text and text.count("Region Gotland får sammanlagt") == 1
    allocation = record["allocation"]
    together = sum(line.amount for code in ("09", "0009", "0980") for line in allocation.for_code(code))
    assert f"Region Gotland får sammanlagt {together:,} kronor".replace(",", " ") in text
    explained = CliRunner().invoke(main, ["explain", str(ROOT / "agreements" / "2012.yaml"), "0009"])
    assert f"sammanlagt {together:,}".replace(",", NB) in explained.output, explained.output


def test_a_past_deadline_in_a_letter_is_a_validation_error(tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    (tmp_path / "agreements").mkdir()
    text = (ROOT / "agreements" / "2012.yaml").read_text(encoding="utf-8")
    assert "      date: rekvisition_senast\n" in text
    file = tmp_path / "agreements" / "2012.yaml"
    file.write_text(text.replace("      date: rekvisition_senast\n", "      date: krav_underlag\n"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(file)])
    assert result.exit_code == 2, result.output
    assert re.search(r"2012\.yaml:\d+:\d+: error: county_letters\.steps\[1\]\.date: the deadline 2012-10-15 is "
                     r"already past at the letter's date 2012-12-14", result.output), result.output
