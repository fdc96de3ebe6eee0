"""Every county's document read as its recipient reads it: the text of each PDF and DOCX, not the data behind it.

Every agreement in agreements/ is built, and every per-county document is read:
the county letters (``lansbrev/``, 2012) and, where an agreement writes them,
the county agreements with their payout form (the folder
``build.COUNTY_AGREEMENTS_FOLDER``, 2010). Asserted for each: the payout
form's fields (after the letter's own signature, in a letter), no deadline
before the document's date, nothing of the tool, the county's amount stated
and every filled-in sum adding up, the draft status on every page and in the
properties rather than in the text.
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

from generator.build import plan as build_module
from generator.cli.main import main
from generator.data.circulars import is_circular
from generator.data.validate import discover

ROOT = Path(__file__).resolve().parents[2]
NB = "\u00a0"
DRAFT = "UTKAST – EXEMPELDATA"
MONTHS = "januari februari mars april maj juni juli augusti september oktober november december".split()
DEADLINE = re.compile(r"senast den (\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})", re.IGNORECASE)
AMOUNT = re.compile(r"\d{1,3}(?: \d{3})*")
#: What would betray the tool in a document a county receives: its name, a command, a data file.
TOOL = re.compile(r"\bgenerator\b|\bexplain\b|<kod>|\.ya?ml\b|--[a-z]|\bpython\b|\bpytest\b", re.IGNORECASE)
FORM_FIELDS = ["Organisationsnummer", "Bankgiro, plusgiro eller bankkonto", "Ort och datum", "Namnförtydligande"]
PAYEE = re.compile(r"Betalningsmottagare|Medel utbetalas till")
#: Folders of per-county documents: the letters, and the county agreements where the build writes them.
FOLDERS = [build_module.LETTERS_FOLDER] + [f for f in [getattr(build_module, "COUNTY_AGREEMENTS_FOLDER", None)] if f]


def _plain(text: str) -> str:
    return text.replace(NB, " ")


@pytest.fixture(scope="module")
def letters(built_output, validated_agreement) -> list[dict]:
    """Every agreement built (once for the session, tests/conftest.py); one record per per-county document with
    both texts."""
    out = built_output
    records = []
    for file in discover([ROOT / "agreements"]):
        if is_circular(file):
            continue
        validated = validated_agreement(file.relative_to(ROOT / "agreements").with_suffix("").as_posix())
        agreement = validated.agreement
        if agreement is None or validated.allocation is None:
            continue
        for folder in FOLDERS:
            for pdf in sorted((out / str(agreement.year) / folder).glob("*.pdf")):
                records.append(_read(agreement, validated.allocation, pdf, pdf.with_suffix(".docx"), folder))
    return records


def _read(agreement, allocation, pdf: Path, docx_path: Path, folder: str) -> dict:
    reader = PdfReader(str(pdf))
    pages = [_plain(page.extract_text()) for page in reader.pages]
    word = docx.Document(str(docx_path))
    body = _plain("\n".join(p.text for p in _paragraphs(word)))
    header = _plain("\n".join(p.text for section in word.sections for p in section.header.paragraphs))
    tables = [[[_plain(c.text) for c in row.cells] for row in table.rows] for table in word.tables]
    return {
        "name": pdf.stem,
        "folder": folder,
        "code": pdf.stem.split("_")[1],
        "agreement": agreement,
        "allocation": allocation,
        "pages": pages,
        "pdf": "\n".join(pages),
        "pdf_meta": reader.metadata,
        "docx": body,
        "docx_header": header,
        "docx_props": word.core_properties,
        "tables": tables,
        "docx_path": docx_path,
    }


def _paragraphs(word):
    """Yield every paragraph of the body in reading order, table cells included (once each)."""
    for element in word.element.body.iter():
        if element.tag.endswith("}p"):
            yield Paragraph(element, word)


def _amount(text: str) -> int:
    return int(text.replace(" ", ""))


def _letter_date(record) -> dt.date:
    return record["docx_props"].created.date()


def test_every_county_gets_its_document(letters):
    count: dict[tuple[int, str], int] = {}
    for record in letters:
        key = (record["agreement"].year, record["folder"])
        count[key] = count.get(key, 0) + 1
    assert (2012, build_module.LETTERS_FOLDER) in count and all(n == 21 for n in count.values()), count


def test_the_payout_form_has_every_field_and_follows_the_letters_signature(letters):
    for record in letters:
        for kind in ("pdf", "docx"):
            text = record[kind]
            flat = " ".join(text.split())
            for field in FORM_FIELDS:
                assert field in flat, (record["name"], kind, field)
            payees = list(PAYEE.finditer(text))
            assert payees, (record["name"], kind)
            payee = payees[-1]  # the form's own label (running text may say "Medel utbetalas till de län …")
            if record["folder"] != build_module.LETTERS_FOLDER:
                continue
            # a letter: the form is an appendix after the letter's own signature, one signature block per signer
            assert text.index(record["agreement"].county_letters.signatory.name) < payee.start(), (record["name"], kind)
            signers = re.findall(r"^För (.+)$", text[payee.start() :], re.M)
            assert signers and text.count("Ort och datum") == text.count("Namnförtydligande") == len(signers), (
                record["name"],
                kind,
                signers,
            )
            assert "Underskrift" in text[payee.start() :] and "Namn" in text[payee.start() :]
            if record["code"] == "09":
                assert signers == ["Region Gotland"], signers
                assert re.search(r"Namn\s+Region Gotland", text), kind
            else:
                assert len(signers) == 2 and signers[1].startswith("kommunerna i "), signers


def test_no_deadline_precedes_the_documents_date(letters):
    for record in letters:
        date = _letter_date(record)
        assert record["pdf_meta"].creation_date.date() == date
        found = 0
        for kind in ("pdf", "docx"):
            for day, month, year in DEADLINE.findall(record[kind].replace("\n", " ")):
                deadline = dt.date(int(year), MONTHS.index(month.lower()) + 1, int(day))
                assert deadline >= date, (record["name"], kind, deadline, date)
                found += 1
        if record["folder"] == build_module.LETTERS_FOLDER:
            assert found, record["name"]  # a letter says what to do by when


def test_no_document_shows_the_tool_or_a_command(letters):
    for record in letters:
        for kind in ("pdf", "docx", "docx_header"):
            found = TOOL.search(record[kind])
            assert found is None, (record["name"], kind, found and found.group())
        props = record["docx_props"]
        for value in (props.title, props.subject, props.keywords):
            assert not TOOL.search(value or ""), (record["name"], value)


def _summed_tables(record) -> list[int]:
    """Return the "Summa" of every table that has one; assert that each filled-in table adds up to it."""
    sums = []
    for rows in record["tables"]:
        if not rows or rows[-1][0] != "Summa" or not AMOUNT.fullmatch(rows[-1][-1]):
            continue
        total = _amount(rows[-1][-1])
        body = [row[-1] for row in rows[:-1] if re.search(r"\d|_", row[-1])]
        if body and all(AMOUNT.fullmatch(cell) for cell in body):  # a form's blank lines are not yet filled in
            assert sum(_amount(cell) for cell in body) == total, (record["name"], rows[0])
        sums.append(total)
    return sums


def test_each_documents_amounts_add_up_to_its_stated_total(letters):
    for record in letters:
        county_total = sum(line.amount for line in record["allocation"].for_county(record["code"]))
        summed = _summed_tables(record)
        assert summed, record["name"]
        for kind in ("pdf", "docx"):
            flat = " ".join(record[kind].split())
            assert f"{county_total:,} kronor".replace(",", " ") in flat, (record["name"], kind, county_total)
        pdf_sums = [_amount(m) for m in re.findall(r"^Summa\s+(\d{1,3}(?: \d{3})*)\s*$", record["pdf"], re.M)]
        assert pdf_sums == summed, (record["name"], pdf_sums, summed)
        if record["folder"] != build_module.LETTERS_FOLDER:
            continue
        # a letter states its total once, and its summary table, its recipients and the PDF agree
        stated = [_amount(m) for m in re.findall(r"sammanlagt (\d{1,3}(?: \d{3})*) kronor för", record["docx"])]
        assert stated == [county_total] and summed[0] == county_total, (record["name"], stated, summed[:1])
        if "Belopp per mottagare" in record["docx"]:
            assert county_total in summed[1:], record["name"]


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
    assert re.search(
        r"2012\.yaml:\d+:\d+: fel: county_letters\.steps\[1\]\.date: sista dagen 2012-10-15 har "
        r"redan passerat vid brevets datum 2012-12-14",
        result.output,
    ), result.output
