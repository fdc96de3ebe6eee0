"""Issued documents: the record, redlines with Word's tracked changes, the draft ändringsbeslut, check and diff."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from generator.app import load_agreement
from generator.build.plan import plan
from generator.build.provenance import file_id
from generator.build.render import render_job
from generator.change.issuing import load_record, records
from generator.change.redline import accept_all, diff_runs, redline, reject_all
from generator.cli.main import main
from generator.data.prose_figures import walk_sections
from generator.documents.model import Paragraph, Run, document_markup, parse_document
from generator.errors import DataError
from generator.formatting import datum, kronor
from generator.writers.docx import render_docx
from tests.document_text import pdf_text

ROOT = Path(__file__).resolve().parents[2]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DECISION_2011 = "regeringsbeslut_II-7_2011-06-16_utbetalning"
HAS_GIT = shutil.which("git") is not None


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def change_and_fix(file: Path, old: str, new: str):
    """Change one figure in ``file`` and every stated total the validator then names; return the validated file."""
    text = file.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    file.write_text(text, encoding="utf-8")
    for _ in range(6):
        try:
            return load_agreement(file)
        except DataError as exc:
            sums = [
                re.search(r"anger ([\d\s]+?)\skronor men .* blir tillsammans ([\d\s]+?)\skronor", f.message)
                for f in exc.findings
            ]
            if not any(sums):
                raise
            for found in filter(None, sums):
                stated, parts = (int(re.sub(r"\D", "", g)) for g in found.groups())
                text = text.replace(f"total: {stated:_}", f"total: {parts:_}", 1)
            file.write_text(text, encoding="utf-8")
    raise AssertionError("the stated totals could not be fixed")


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


# --------------------------------------------------------------------------- applying Word's revisions


def resolve(docx_bytes: bytes, accept: bool) -> list[str]:
    """Return the non-empty paragraph texts of a DOCX body with every revision accepted (or rejected), as Word does."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx_bytes)).read("word/document.xml"))
    gone, kept = ("del", "ins") if accept else ("ins", "del")
    for row in root.iter(f"{W}tr"):  # a row inserted (deleted) as a whole goes when rejected (accepted)
        if row.find(f"{W}trPr/{W}{gone}") is not None:
            row.getparent().remove(row)
    for paragraph in list(root.iter(f"{W}p")):  # a paragraph whose mark is removed joins the next: here it is empty
        if paragraph.find(f"{W}pPr/{W}rPr/{W}{gone}") is not None:
            assert not "".join(paragraph.itertext()).strip() or all(
                r.getparent().tag == f"{W}{gone}" for r in paragraph.iter(f"{W}r")
            ), "a removed paragraph kept text"
            paragraph.getparent().remove(paragraph)
    for element in list(root.iter(f"{W}{gone}")):
        if element.getparent().tag != f"{W}rPr" and element.getparent().tag != f"{W}trPr":
            element.getparent().remove(element)
    for element in list(root.iter(f"{W}{kept}")):
        parent = element.getparent()
        if parent.tag in (f"{W}rPr", f"{W}trPr"):
            parent.remove(element)
            continue
        index = parent.index(element)
        for child in list(element):
            parent.insert(index, child)
            index += 1
        parent.remove(element)
    for text in root.iter(f"{W}delText"):
        text.tag = f"{W}t"
    assert not list(root.iter(f"{W}ins")) and not list(root.iter(f"{W}del")) and not list(root.iter(f"{W}delText"))
    return _paragraphs(root)


def _paragraphs(root) -> list[str]:
    out = []
    for paragraph in root.iter(f"{W}p"):
        text = "".join(
            n.text or "" if n.tag == f"{W}t" else "\n" if n.tag == f"{W}br" else "\t" if n.tag == f"{W}tab" else ""
            for n in paragraph.iter()
        )
        if text.strip():
            out.append(text)
    return out


def docx_paragraphs(data: bytes) -> list[str]:
    return _paragraphs(etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")))


def revisions(data: bytes) -> list[etree._Element]:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return [e for e in root.iter(f"{W}ins", f"{W}del")]


# --------------------------------------------------------------------------- 2011: one payout of the decision


@pytest.fixture(scope="module")
def issued_2011(tmp_path_factory):
    """2011 in a git repository: the decision issued, then one payout changed and built."""
    root = tmp_path_factory.mktemp("issued2011")
    (root / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "2011.yaml", root / "agreements" / "2011.yaml")
    with contextlib.chdir(root):
        if HAS_GIT:
            git(root, "init", "-q")
            git(root, "add", ".")
            git(root, "commit", "-qm", "data")
        before = load_agreement(Path("agreements/2011.yaml"))
        blob = file_id(Path("agreements/2011.yaml"))
        issued = run("issue", "2011", "regeringsbeslut", "--date", "2011-06-16", "--by", "Socialdepartementet")
        assert issued.exit_code == 0, issued.output
        payout = next(p for s in walk_sections(before.agreement.sections) for p in s.payouts if p.id == "register_skl")
        after = change_and_fix(
            Path("agreements/2011.yaml"), f"amount: {payout.amount:_}", f"amount: {payout.amount + 500_000:_}"
        )
        changed_on = dt.datetime.fromtimestamp(Path("agreements/2011.yaml").stat().st_mtime, dt.UTC).date()
        built = run("build", "2011", "--out", "output")
        assert built.exit_code == 0, built.output
    return {
        "root": root,
        "before": before,
        "after": after,
        "blob": blob,
        "build": built.output,
        "issue": issued.output,
        "changed_on": changed_on.isoformat(),
    }


def test_issue_records_the_version_and_keeps_its_inputs_and_text(issued_2011):
    root = issued_2011["root"]
    assert f"utfärdad 2011-06-16: 2011/{DECISION_2011}" in issued_2011["issue"]
    record = load_record(root / "issued" / "2011" / f"{DECISION_2011}.yaml", root / "issued")
    assert record.sources["agreements/2011.yaml"] == issued_2011["blob"]  # the version before the change
    assert record.by == "Socialdepartementet" and record.issued.isoformat() == "2011-06-16"
    if HAS_GIT:
        assert record.commit == git(root, "rev-parse", "HEAD").strip() and record.clean is True
    for _name, ident in record.sources.items():  # every input kept, content-addressed
        assert file_id(root / "issued" / "inputs" / ident) == ident
    job = next(j for j in plan(issued_2011["before"].agreement) if j.name == DECISION_2011)
    assert record.issued_document() == render_job(issued_2011["before"].agreement, job)


def test_build_writes_a_redline_whose_revisions_accept_to_the_new_and_reject_to_the_issued(issued_2011):
    root = issued_2011["root"]
    folder = root / "output" / "2011"
    red = (folder / "andringar" / f"{DECISION_2011}.andringsmarkerad.docx").read_bytes()
    job = next(j for j in plan(issued_2011["after"].agreement) if j.name == DECISION_2011)
    new = render_docx(render_job(issued_2011["after"].agreement, job))
    record = records(root / "issued", 2011)[0]
    old = render_docx(record.issued_document())
    assert resolve(red, accept=True) == docx_paragraphs(new)
    assert resolve(red, accept=False) == docx_paragraphs(old)
    # the issued decision stays in output/ as issued; the new text is a draft beside the redline
    assert docx_paragraphs((folder / f"{DECISION_2011}.docx").read_bytes()) == docx_paragraphs(old)
    marks = revisions(red)
    # the total and the payout, in the decision and in the attached agreement: each replaced as a whole amount
    old_amount, new_amount = (
        kronor(v) for v in (issued_2011["before"].agreement.total, issued_2011["after"].agreement.total)
    )
    deleted = ["".join(e.itertext()) for e in marks if e.tag == f"{W}del"]
    inserted = ["".join(e.itertext()) for e in marks if e.tag == f"{W}ins"]
    assert old_amount in deleted and new_amount in inserted
    assert {e.get(f"{W}author") for e in marks} == {issued_2011["after"].agreement.decisions[0].department}
    # no clock: the day of the change (the day the changed input was last modified)
    day = issued_2011["changed_on"]
    assert {e.get(f"{W}date") for e in marks} == {f"{day}T00:00:00Z"}
    text, _ = pdf_text(folder / "andringar" / f"{DECISION_2011}.andringsmarkerad.pdf")
    flat = text.replace("\u00a0", " ")
    assert old_amount.replace("\u00a0", " ") in flat and new_amount.replace("\u00a0", " ") in flat
    assert "Ändringsmarkerad mot utfärdad version 2011-06-16" in flat


def test_pdf_redline_marks_insertions_and_deletions_visibly():
    from generator.writers.pdf_reportlab import DELETED_COLOUR, INSERTED_COLOUR, _markup

    runs = diff_runs(
        [Run("betala ut 7\u00a0000\u00a0000 kronor")], [Run("betala ut 7\u00a0500\u00a0000 kronor")], *_revisions()
    )
    markup = _markup(runs)
    assert f'<font color="{DELETED_COLOUR}"><strike>7\u00a0000\u00a0000</strike></font>' in markup
    assert f'<font color="{INSERTED_COLOUR}"><u>7\u00a0500\u00a0000</u></font>' in markup


HAS_POPPLER = shutil.which("pdfinfo") is not None and shutil.which("pdftoppm") is not None


def decorated(data: bytes, tmp_path: Path) -> dict[str, list[str]]:
    """Return the text of every tagged span of a PDF by its TextDecorationType (Underline, LineThrough), as
    poppler reads the structure tree (what a screen reader is given)."""
    path = tmp_path / "decorated.pdf"
    path.write_bytes(data)
    lines = (
        subprocess.run(
            ["pdfinfo", "-enc", "UTF-8", "-struct-text", str(path)],
            capture_output=True,
            check=True,
        )
        .stdout.decode("utf-8", "replace")
        .splitlines()
    )
    found: dict[str, list[str]] = {}
    for index, line in enumerate(lines):
        kind = re.search(r"/TextDecorationType /(\w+)", line)
        if not kind:
            continue
        depth = len(line) - len(line.lstrip())
        texts = []
        for follower in lines[index + 1 :]:
            if len(follower) - len(follower.lstrip()) < depth - 1:
                break
            if follower.strip().startswith('"'):
                texts.append(follower.strip()[1:-1])
        found.setdefault(kind.group(1), []).append("".join(texts).replace("\u00a0", " "))
    return found


def margin_colours(data: bytes, tmp_path: Path) -> set[str]:
    """Return the colours ('ins', 'del', 'changed') of the change bars drawn in the left margin of page 1."""
    from PIL import Image

    from generator.writers.typst import BAR_OFFSET, CHANGED_COLOUR, DELETED_COLOUR, INSERTED_COLOUR, LEFT

    path = tmp_path / "bars.pdf"
    path.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", str(path), str(tmp_path / "bars")], check=True
    )
    image = Image.open(next(tmp_path.glob("bars*.png"))).convert("RGB")
    x = round(LEFT - BAR_OFFSET)
    pixels = {image.getpixel((column, y)) for column in range(x - 2, x + 3) for y in range(image.height)}
    wanted = {"ins": INSERTED_COLOUR, "del": DELETED_COLOUR, "changed": CHANGED_COLOUR}
    rgb = {name: tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5)) for name, colour in wanted.items()}
    return {name for name, value in rgb.items() if any(max(abs(a - b) for a, b in zip(value, p)) < 40 for p in pixels)}


@pytest.mark.external
@pytest.mark.skipif(not HAS_POPPLER, reason="poppler (pdfinfo, pdftoppm) is not installed")
def test_the_redline_pdf_is_tagged_typst_with_the_old_amount_struck_and_the_new_underlined(issued_2011, tmp_path):
    from pypdf import PdfReader

    data = (issued_2011["root"] / "output/2011/andringar" / f"{DECISION_2011}.andringsmarkerad.pdf").read_bytes()
    path = tmp_path / "red.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M)
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata["/Creator"].startswith("Typst")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"<pdfuaid:part>1</pdfuaid:part>", xmp) and re.search(r"<pdfaid:part>2</pdfaid:part>", xmp)
    assert re.search(r"<pdfaid:conformance>A</pdfaid:conformance>", xmp)
    old_amount, new_amount = (
        kronor(v).replace("\u00a0", " ")
        for v in (issued_2011["before"].agreement.total, issued_2011["after"].agreement.total)
    )
    spans = decorated(data, tmp_path)
    assert old_amount in spans["LineThrough"] and new_amount in spans["Underline"]
    assert old_amount not in spans["Underline"] and new_amount not in spans["LineThrough"]
    text, _ = pdf_text(path)
    flat = " ".join(text.replace("\u00a0", " ").split())
    # the legend says in words what the marks mean, and is itself marked
    assert "Text som har tillkommit är understruken i blått, text som har tagits bort är överstruken i rött." in flat
    assert "understruken i blått" in spans["Underline"] and "överstruken i rött" in spans["LineThrough"]
    assert f"{old_amount} {new_amount}" in flat  # the struck amount, then its replacement
    assert margin_colours(data, tmp_path) == {"changed"}  # page 1: paragraphs changed within


def test_the_reportlab_engine_still_writes_the_redline_when_chosen(issued_2011, monkeypatch):
    from pypdf import PdfReader

    monkeypatch.chdir(issued_2011["root"])
    built = run("build", "2011", "--out", "reportlab", "--pdf-engine", "reportlab")
    assert built.exit_code == 0, built.output
    path = issued_2011["root"] / "reportlab/2011/andringar" / f"{DECISION_2011}.andringsmarkerad.pdf"
    reader = PdfReader(str(path))
    assert "reportlab" in reader.metadata.producer and "/StructTreeRoot" not in reader.trailer["/Root"]
    text, _ = pdf_text(path)
    flat = text.replace("\u00a0", " ")
    assert kronor(issued_2011["after"].agreement.total).replace("\u00a0", " ") in flat
    assert kronor(issued_2011["before"].agreement.total).replace("\u00a0", " ") in flat


def _revisions():
    from generator.documents.model import Revision

    return Revision("ins", "A", "2012-01-01"), Revision("del", "A", "2012-01-01")


def test_a_paragraph_is_compared_word_by_word():
    ins, dele = _revisions()
    old = [
        Run("Regeringen uppdrar åt Kammarkollegiet att utbetala "),
        Run("63\u00a0000\u00a0000 kronor", bold=True),
        Run(" till SKL."),
    ]
    new = [
        Run("Regeringen uppdrar åt Kammarkollegiet att utbetala "),
        Run("63\u00a0500\u00a0000 kronor", bold=True),
        Run(" till Sveriges Kommuner och Landsting."),
    ]
    runs = diff_runs(old, new, ins, dele)
    assert [r.text for r in runs if r.rev == dele] == ["63\u00a0000\u00a0000", "SKL."]
    assert [r.text for r in runs if r.rev == ins] == ["63\u00a0500\u00a0000", "Sveriges Kommuner och Landsting."]
    assert "".join(r.text for r in runs if r.rev is None).startswith(
        "Regeringen uppdrar åt Kammarkollegiet att utbetala "
    )
    from generator.documents.model import Document, Meta

    marked, count = redline(
        Document(Meta("x"), [Paragraph(old)]), Document(Meta("x"), [Paragraph(new)]), "A", "2012-01-01"
    )
    assert count == 1
    assert accept_all(marked).blocks == [Paragraph(new)] and reject_all(marked).blocks == [Paragraph(old)]


def test_the_draft_andringsbeslut_names_the_decision_the_old_and_new_amounts(issued_2011):
    import docx

    before, after = issued_2011["before"].agreement, issued_2011["after"].agreement
    decision = before.decisions[0]
    path = issued_2011["root"] / "output" / "2011" / "andringar" / f"{DECISION_2011}.andringsbeslut.docx"
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    cells = "\n".join(c.text for t in docx.Document(str(path)).tables for r in t.rows for c in r.cells)
    old_payout = next(p for s in before.sections for p in s.payouts if p.id == "register_skl").amount
    new_payout = next(p for s in after.sections for p in s.payouts if p.id == "register_skl").amount
    dnr = decision.dnr.replace(" (delvis)", "")
    assert (
        f"Regeringen ändrar sitt beslut {datum(decision.date)} ({dnr}) på så sätt att {decision.addressee.name} "
        f"ska betala ut {kronor(new_payout)} i stället för {kronor(old_payout)} till Sveriges Kommuner och "
        f"Landsting för utveckling av SveDem och BPSD-registren."
    ) in text
    assert (
        f"{decision.addressee.name} ska därmed betala ut sammanlagt {kronor(after.total)} i stället för "
        f"{kronor(before.total)} till Sveriges Kommuner och Landsting."
    ) in text
    assert "I övrigt gäller beslutet oförändrat." in text
    assert (
        f"Ändring av regeringens beslut {datum(decision.date)} om {decision.subject[0].lower()}{decision.subject[1:]}"
        in text
    )
    # the head as the decisions have it, the number left to the government, signatures and copies as in the original
    assert "Regeringsbeslut [nr]" in cells and f"[datum]\u00a0______________ {decision.dnr}" in cells
    assert decision.department in cells
    assert decision.minister.name in cells and decision.official.name in cells
    assert "\n".join(decision.copies) in text
    assert "På regeringens vägnar" in text and "Kopia till" in text


def test_redlines_and_andringsbeslut_rebuild_byte_identically(issued_2011, monkeypatch):
    monkeypatch.chdir(issued_2011["root"])
    folder = issued_2011["root"] / "output" / "2011" / "andringar"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert len(before) == 6  # the draft, the redline and the ändringsbeslut, DOCX and PDF
    issued = {p.name: p.read_bytes() for p in folder.parent.glob(f"{DECISION_2011}.*")}
    again = run("build", "2011", "--out", "output", "--force")
    assert again.exit_code == 0 and again.output.count("  oförändrad ") == 6  # the 6 of the change
    assert {p.name: p.read_bytes() for p in folder.parent.glob(f"{DECISION_2011}.*")} == issued  # never replaced
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    # a configured author and date go on every revision, and into the draft's head
    run("build", "2011", "--out", "configured", "--redline-author", "Anna Andersson", "--redline-date", "2012-05-02")
    red = (issued_2011["root"] / "configured/2011/andringar" / f"{DECISION_2011}.andringsmarkerad.docx").read_bytes()
    assert {(e.get(f"{W}author"), e.get(f"{W}date")) for e in revisions(red)} == {
        ("Anna Andersson", "2012-05-02T00:00:00Z")
    }


def test_check_and_diff_speak_of_the_issued_version(issued_2011, monkeypatch):
    root = issued_2011["root"]
    monkeypatch.chdir(root)
    changed = (root / "agreements" / "2011.yaml").read_text(encoding="utf-8")
    before, after = issued_2011["before"].agreement, issued_2011["after"].agreement
    checked = run("check", "--issued", "2011")
    assert (
        checked.exit_code == 1
        and f"2011/{DECISION_2011} (utfärdad 2011-06-16): ÄNDRAD sedan utfärdandet" in checked.output
    )
    assert f"total: {kronor(before.total)} → {kronor(after.total)}" in checked.output
    diff = run("diff", "agreements/2011.yaml@utfärdat", "agreements/2011.yaml")
    assert diff.exit_code == 1 and "agreements/2011.yaml@utfärdat 2011-06-16" in diff.output
    assert "register_skl: " in diff.output and f"(+{kronor(500_000)})" in diff.output
    # the data back as issued: nothing to mark, the change documents go
    shutil.copy(root / "issued" / "inputs" / issued_2011["blob"], root / "agreements" / "2011.yaml")
    try:
        assert run("check", "--issued").output.strip().endswith("inget behöver skickas.")
        rebuilt = run("build", "2011", "--out", "output")
        assert rebuilt.output.count("borttagen") == 6 and not list((root / "output/2011/andringar").iterdir())
        current = run("check", "output/2011/" + DECISION_2011 + ".pdf")
        assert (
            "aktuell" in current.output
            and f"utfärdad version: 2011/{DECISION_2011}, utfärdad 2011-06-16" in current.output
        )
    finally:  # the change again, for the tests after this one
        (root / "agreements" / "2011.yaml").write_text(changed, encoding="utf-8")
        assert run("build", "2011", "--out", "output").exit_code == 0


def project_2011(root: Path, monkeypatch) -> None:
    """A git repository at ``root`` holding agreements/2011.yaml, committed, as the working directory."""
    (root / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "2011.yaml", root / "agreements" / "2011.yaml")
    monkeypatch.chdir(root)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "data")


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_an_issue_from_uncommitted_changes_is_recoverable(tmp_path, monkeypatch):
    project_2011(tmp_path, monkeypatch)
    file = tmp_path / "agreements" / "2011.yaml"
    file.write_text(
        file.read_text(encoding="utf-8").replace(
            "redovisning_november: 2011-11-15", "redovisning_november: 2011-11-30", 1
        ),
        encoding="utf-8",
    )
    result = run("issue", "2011", DECISION_2011, "--date", "2011-06-16")
    assert "arbetskopian hade ändringar" in result.output
    assert records(tmp_path / "issued")[0].clean is False
    git(tmp_path, "checkout", "--", "agreements/2011.yaml")  # the uncommitted version is gone from the tree and git
    diff = run("diff", "agreements/2011.yaml@utfärdat", "agreements/2011.yaml")
    assert diff.exit_code == 1 and "den 30 november 2011 → den 15 november 2011" in diff.output.replace("\u00a0", " ")


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_a_document_left_untouched_is_known_as_issued_after_its_inputs_changed(tmp_path, monkeypatch):
    """A change that does not touch the decision's text leaves its files as they are, naming the inputs they
    were first made from; issued after that change, check still names the issued version (by its content)."""
    project_2011(tmp_path, monkeypatch)
    assert run("build", "2011", "--out", "output").exit_code == 0
    pdf = tmp_path / "output" / "2011" / f"{DECISION_2011}.pdf"
    made = pdf.read_bytes()
    file = tmp_path / "agreements" / "2011.yaml"
    file.write_text(file.read_text(encoding="utf-8") + "# en kommentar, inget i beslutet\n", encoding="utf-8")
    rebuilt = run("build", "2011", "--out", "output")
    assert "med ändrade indata men samma innehåll" in rebuilt.output and pdf.read_bytes() == made
    assert run("issue", "2011", DECISION_2011, "--date", "2011-06-16").exit_code == 0
    checked = run("check", str(pdf.relative_to(tmp_path)))
    assert "aktuell" in checked.output and "indata har ändrats men dokumentets innehåll är detsamma" in checked.output
    assert f"utfärdad version: 2011/{DECISION_2011}, utfärdad 2011-06-16" in checked.output


def test_issuing_an_unknown_document_names_the_documents(issued_2011, monkeypatch):
    monkeypatch.chdir(issued_2011["root"])
    refused = run("issue", "2011", "plan")
    assert (
        refused.exit_code == 2 and f"inget dokument 'plan' i 2011; dess dokument är: {DECISION_2011}" in refused.output
    )


MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Resolve(inPath As String, outPath As String, how As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), &quot;_blank&quot;, 0, args())
  dispatcher = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  If how = &quot;accept&quot; Then
    dispatcher.executeDispatch(doc.CurrentController.Frame, &quot;.uno:AcceptAllTrackedChanges&quot;, &quot;&quot;, 0, Array())
  Else
    dispatcher.executeDispatch(doc.CurrentController.Frame, &quot;.uno:RejectAllTrackedChanges&quot;, &quot;&quot;, 0, Array())
  End If
  Dim out(1) As New com.sun.star.beans.PropertyValue
  out(0).Name = &quot;FilterName&quot;
  out(0).Value = &quot;Text (encoded)&quot;
  out(1).Name = &quot;FilterOptions&quot;
  out(1).Value = &quot;UTF8&quot;
  doc.storeToURL(ConvertToURL(outPath), out())
  doc.close(True)
End Sub
</script:module>
"""  # noqa: E501


def soffice(profile: Path, *args: str) -> None:
    """Run LibreOffice headless with its own profile; on a timeout end it and everything it started."""
    import os
    import signal

    process = subprocess.Popen(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert process.wait(timeout=180) == 0
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise


@pytest.mark.slow
@pytest.mark.external
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_accept_all_and_reject_all_give_the_new_and_the_issued_text(issued_2011, tmp_path):
    """LibreOffice itself opens the redline and runs Accept All and Reject All (a Basic macro, headless)."""
    root = issued_2011["root"]
    red = root / "output/2011/andringar" / f"{DECISION_2011}.andringsmarkerad.docx"
    (tmp_path / "issued.docx").write_bytes(render_docx(records(root / "issued", 2011)[0].issued_document()))
    job = next(j for j in plan(issued_2011["after"].agreement) if j.name == DECISION_2011)
    (tmp_path / "current.docx").write_bytes(render_docx(render_job(issued_2011["after"].agreement, job)))
    profile = tmp_path / "profile"
    soffice(profile, "--terminate_after_init")
    (profile / "user/basic/Standard/Module1.xba").write_text(MACRO, encoding="utf-8")  # after the profile exists
    for how in ("accept", "reject"):
        soffice(profile, f'macro:///Standard.Module1.Resolve("{red}","{tmp_path / how}ed.txt","{how}")')
    soffice(
        profile,
        "--convert-to",
        "txt:Text (encoded):UTF8",
        "--outdir",
        str(tmp_path),
        str(tmp_path / "issued.docx"),
        str(tmp_path / "current.docx"),
    )
    texts = {
        name: (tmp_path / f"{name}.txt").read_text(encoding="utf-8-sig")
        for name in ("accepted", "rejected", "issued", "current")
    }
    assert texts["accepted"] == texts["current"] and texts["rejected"] == texts["issued"]
    flat = texts["accepted"].replace("\u00a0", " ")
    assert kronor(issued_2011["after"].agreement.total).replace("\u00a0", " ") in flat
    assert kronor(issued_2011["before"].agreement.total).replace("\u00a0", " ") not in flat
    assert texts["accepted"] != texts["rejected"]


# -------------------------------------------------------------------------- 2012: one pot (the plan and county letters)


@pytest.fixture(scope="module")
def issued_2012(tmp_path_factory):
    """2012 with every document issued, then one pot changed and built as DOCX."""
    root = tmp_path_factory.mktemp("issued2012")
    (root / "agreements").mkdir()
    for name in ("2010.yaml", "2012.yaml"):  # 2012 takes the 2010 table of the development leaders
        shutil.copy(ROOT / "agreements" / name, root / "agreements" / name)
    shutil.copytree(ROOT / "examples", root / "examples")
    with contextlib.chdir(root):
        before = load_agreement(Path("agreements/2012.yaml"))
        issued = run("issue", "2012", "regeringsbeslut", "genomforandeplan", "--date", "2012-02-09")
        assert issued.exit_code == 0, issued.output
        letters = run("issue", "2012", "lansbrev", "--date", "2012-12-14")  # not before the letters' own date
        assert letters.exit_code == 0, letters.output
        pot = next(p for s in walk_sections(before.agreement.sections) for p in s.pots if p.id == "demens_svedem")
        after = change_and_fix(
            Path("agreements/2012.yaml"),
            f"amount: {pot.amount:_}\n            eligible: [landsting]",
            f"amount: {pot.amount + 2_000_000:_}\n            eligible: [landsting]",
        )
        built = run("build", "2012", "--out", "output", "--format", "docx")
        assert built.exit_code == 0, built.output
    return {"root": root, "before": before, "after": after, "build": built.output}


@pytest.mark.slow
def test_every_redlined_document_of_the_2012_change_accepts_and_rejects_to_its_versions(issued_2012):
    root = issued_2012["root"]
    folder = root / "output" / "2012"
    redlines = sorted((folder / "andringar").rglob("*.andringsmarkerad.docx"))
    names = {p.relative_to(folder / "andringar").as_posix().removesuffix(".andringsmarkerad.docx") for p in redlines}
    assert "genomforandeplan" in names and sum(n.startswith("lansbrev/") for n in names) >= 2
    issued = {r.document: r for r in records(root / "issued", 2012)}
    unchanged = set(issued) - names
    assert "regeringsbeslut_II-7_2012-02-09_godkannande" in unchanged  # states no figure of the pot: not redlined
    after = issued_2012["after"]
    jobs = {j.name: j for j in plan(after.agreement, after.allocation, municipal=after.municipal)}
    for path in redlines:
        name = path.relative_to(folder / "andringar").as_posix().removesuffix(".andringsmarkerad.docx")
        red = path.read_bytes()
        assert revisions(red), name
        assert resolve(red, accept=True) == docx_paragraphs(render_docx(render_job(after.agreement, jobs[name]))), name
        issued_text = docx_paragraphs(render_docx(issued[name].issued_document()))
        assert resolve(red, accept=False) == issued_text, name
        assert docx_paragraphs((folder / f"{name}.docx").read_bytes()) == issued_text, name  # the record stays
    # the plan's record names the files the agreement reads, so its issued version loads again (keys, outcomes, 2010)
    assert {"examples/befolkning_2011_EXEMPEL.csv", "agreements/2010.yaml"} <= set(issued["genomforandeplan"].data)
    with contextlib.chdir(root):
        diff = run("diff", "agreements/2012.yaml@utfärdat:genomforandeplan", "agreements/2012.yaml", "--json")
    import json

    moved = {c["name"]: (c["old"], c["new"]) for c in json.loads(diff.output)["figures"]}
    pot = lambda v: next(p for s in walk_sections(v.agreement.sections) for p in s.pots if p.id == "demens_svedem")  # noqa: E731
    assert moved == {"demens_svedem": (pot(issued_2012["before"]).amount, pot(issued_2012["after"]).amount)}
    for name in unchanged:  # the data gives the issued text: no redline
        job = next(j for j in plan(issued_2012["after"].agreement, issued_2012["after"].allocation) if j.name == name)
        assert render_job(issued_2012["after"].agreement, job) == issued[name].issued_document()


@pytest.mark.slow
def test_a_table_cell_change_is_marked_in_the_cell(issued_2012):
    red = (issued_2012["root"] / "output/2012/andringar/lansbrev").glob("*.andringsmarkerad.docx")
    root = etree.fromstring(zipfile.ZipFile(next(iter(sorted(red)))).read("word/document.xml"))
    in_cells = [e for e in root.iter(f"{W}ins", f"{W}del") if any(a.tag == f"{W}tc" for a in e.iterancestors())]
    assert in_cells  # the amounts of the county and its recipients change in their table cells


@pytest.mark.slow
def test_markup_reads_back_as_the_same_document(issued_2012):
    agreement, allocation = issued_2012["after"].agreement, issued_2012["after"].allocation
    for job in plan(agreement, allocation)[:3]:
        document = render_job(agreement, job)
        assert parse_document(document_markup(document)) == document


@pytest.mark.parametrize("direction", ["inserted", "deleted"])
def test_every_node_type_in_or_out_whole_is_a_revision_in_both_writers(direction, tmp_path, sample_document):
    from generator.documents.model import Document
    from generator.writers.pdf_reportlab import render_pdf

    SAMPLE = sample_document

    empty = Document(SAMPLE.meta, [], SAMPLE.header)
    old, new = (empty, SAMPLE) if direction == "inserted" else (SAMPLE, empty)
    marked, count = redline(old, new, "A", "2012-01-01")
    assert count >= len(SAMPLE.blocks) - sum(1 for b in SAMPLE.blocks if type(b).__name__ in ("Space", "PageBreak"))
    data = render_docx(marked)
    assert resolve(data, accept=True) == docx_paragraphs(render_docx(new))
    assert resolve(data, accept=False) == docx_paragraphs(render_docx(old))
    assert accept_all(marked).text() == new.text() and reject_all(marked).text() == old.text()
    text, _ = pdf_text_of(render_pdf(marked))
    assert "Regeringens beslut" in text and "Håkan Sörman" in text  # shown, struck or underlined
    if not HAS_POPPLER:
        return
    from generator.writers.typst import render_pdf as render_typst

    data = render_typst(marked)
    mark, other = ("Underline", "LineThrough") if direction == "inserted" else ("LineThrough", "Underline")
    spans = " | ".join(decorated(data, tmp_path).get(mark, []))
    # a text of each node type: heading, paragraph, columns, list items, table cells, signatures, keep
    for needle in [
        "Regeringens beslut",
        "Regeringsbeslut II:7",
        "S2011/5826/FST (delvis)",
        "Stödja ledare att bidra",
        "Det ska i länet finnas",
        "Medel till Senior Alert",
        "66 milj. kr",
        "Överskott 2011",
        "12 500 000",
        "Stockholm den 13 juni 2011",
        "För staten",
        "Håkan Sörman",
        "Verkställande direktör",
        "Nationell samordning – genomförandeplan 2012",
    ]:
        assert needle in spans, needle
    assert other not in decorated(data, tmp_path) or all(
        "tillkommit" in s or s in ("understruken i blått", "överstruken i rött")
        for s in decorated(data, tmp_path)[other]
    )  # only the legend's own example
    assert margin_colours(data, tmp_path) == {"ins" if direction == "inserted" else "del"}


def pdf_text_of(data: bytes):
    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    return "\n".join(pages), pages


def test_several_changes_are_one_clause_each_in_document_order_dates_last(tmp_path):
    from generator.change.amending import decision_text
    from generator.change.data_diff import compare

    (tmp_path / "agreements").mkdir()
    file = tmp_path / "agreements" / "2011.yaml"
    shutil.copy(ROOT / "agreements" / "2011.yaml", file)
    old = load_agreement(file)
    file.write_text(
        file.read_text(encoding="utf-8").replace(
            "redovisning_november: 2011-11-15", "redovisning_november: 2011-11-30", 1
        ),
        encoding="utf-8",
    )
    change_and_fix(file, "amount: 1_000_000", "amount: 1_200_000")
    new = change_and_fix(file, "amount: 25_000_000", "amount: 24_000_000")
    changes = [c for c in compare(old, new, "a", "b").figures]
    decision = old.agreement.decisions[0]
    text = decision_text(decision, old.agreement, new.agreement, changes)
    lines = text.split("\n")
    assert lines[0].endswith("på så sätt att") and not lines[1]
    items = [line for line in lines if line.startswith("- ")]
    assert len(items) == 3
    assert items[0].startswith(
        f"- {decision.addressee.name} ska betala ut {kronor(24_000_000)} i stället för {kronor(25_000_000)}"
    )
    assert items[1].startswith(
        f"- {decision.addressee.name} ska betala ut {kronor(1_200_000)} i stället för {kronor(1_000_000)}"
    )
    assert items[2] == (
        f"- handlingsplanen och redovisningen till Regeringskansliet (Socialdepartementet) ska lämnas senast "
        f"{datum(new.agreement.dates['redovisning_november'])} i stället för senast "
        f"{datum(old.agreement.dates['redovisning_november'])}."
    )
    assert (
        items[0].endswith(";")
        and f"sammanlagt {kronor(new.agreement.total)} i stället för {kronor(old.agreement.total)}" in text
    )


def test_a_numbered_list_renumbers_as_tracked_changes():
    from generator.documents.model import Document, ListBlock, Meta

    items = [[Run("Första kravet.")], [Run("Andra kravet.")], [Run("Tredje kravet.")]]
    old = Document(Meta("x"), [ListBlock(items, "number")])
    new = Document(Meta("x"), [ListBlock([items[0], items[2], [Run("Fjärde kravet.")]], "number")])
    marked, count = redline(old, new, "A", "2012-01-01")
    assert count == 2
    data = render_docx(marked)
    assert (
        resolve(data, accept=True)
        == docx_paragraphs(render_docx(new))
        == ["1.\tFörsta kravet.", "2.\tTredje kravet.", "3.\tFjärde kravet."]
    )
    assert resolve(data, accept=False) == docx_paragraphs(render_docx(old))


@pytest.mark.external
@pytest.mark.skipif(not HAS_POPPLER, reason="poppler (pdfinfo, pdftoppm) is not installed")
@pytest.mark.parametrize("kind", ["word", "heading", "row", "cell", "signatures", "renumbered"])
def test_each_revision_kind_is_marked_in_the_typst_pdf(kind, tmp_path):
    """Each kind of revision the model carries: struck and underlined text, tagged as such, and a bar beside it."""
    from generator.documents.model import (
        Cell,
        Document,
        Heading,
        ListBlock,
        Meta,
        Signature,
        Signatures,
        Table,
        TableRow,
    )
    from generator.writers.typst import render_pdf as render_typst

    def document(amount: str, heading: str, rows: list[str], cell: str, signer: str, items: list[str]) -> Document:
        return Document(
            Meta("x", author="A", date="2012-02-09"),
            [
                Heading(heading, 1),
                Paragraph([Run(f"Kammarkollegiet ska betala ut {amount} kronor.")]),
                Table(
                    [
                        TableRow([Cell([Run("Register")]), Cell([Run("Kronor")], "right")], "head"),
                        *[TableRow([Cell([Run(r)]), Cell([Run(cell)], "right")]) for r in rows],
                    ],
                    [4, 1.4],
                    "amounts",
                ),
                ListBlock([[Run(i)] for i in items], "number"),
                Signatures([Signature("För staten", signer, "Statssekreterare")], "Stockholm den 13 juni 2011"),
            ],
        )

    base = dict(
        amount="7\u00a0000\u00a0000",
        heading="Regeringens beslut",
        rows=["Senior Alert"],
        cell="10,5",
        signer="Ragnwi Marcelind",
        items=["Första kravet.", "Andra kravet.", "Tredje kravet."],
    )
    change = {
        "word": dict(amount="7\u00a0500\u00a0000"),
        "heading": dict(heading="Regeringens nya beslut"),
        "row": dict(rows=["Senior Alert", "SveDem"]),
        "cell": dict(cell="11,0"),
        "signatures": dict(signer="Maria Larsson"),
        "renumbered": dict(items=["Första kravet.", "Tredje kravet."]),
    }[kind]
    old, new = document(**base), document(**{**base, **change})
    marked, count = redline(old, new, "A", "2012-01-01")
    assert count >= 1
    data = render_typst(marked)
    spans = decorated(data, tmp_path)
    inserted, deleted = spans.get("Underline", []), spans.get("LineThrough", [])
    expected = {  # (struck, underlined, bar colours)
        "word": (["7 000 000"], ["7 500 000"], {"changed"}),
        "heading": (["Regeringens beslut"], ["Regeringens nya beslut"], {"ins", "del"}),
        "row": ([], ["SveDem", "10,5"], {"ins"}),
        "cell": (["10,5"], ["11,0"], {"changed"}),
        "signatures": (
            ["Stockholm den 13 juni 2011", "Ragnwi Marcelind"],
            ["Maria Larsson", "Statssekreterare"],
            {"ins", "del"},
        ),
        "renumbered": (["Andra kravet.", "2.", "3."], ["2."], {"del", "changed"}),
    }[kind]
    for text in expected[0]:
        assert text in deleted, (text, deleted)
    for text in expected[1]:
        assert text in inserted, (text, inserted)
    legend = {"understruken i blått", "överstruken i rött"}
    assert (
        len([s for s in inserted + deleted if s not in legend])
        == len(expected[0])
        + len(expected[1])
        + {"row": 0, "signatures": 4, "heading": 0, "word": 0, "cell": 0, "renumbered": 0}[kind]
    )
    assert margin_colours(data, tmp_path) == expected[2]
    if kind == "heading":  # the struck heading is no longer a place in the outline; the new one is
        import io

        from pypdf import PdfReader

        assert [entry.title for entry in PdfReader(io.BytesIO(data)).outline] == ["Regeringens nya beslut"]
    text, _ = pdf_text_of(data)
    assert all(word in text.replace("\u00a0", " ") for word in expected[0] + expected[1])  # both versions readable


def test_a_tampered_record_is_refused(tmp_path):
    from generator.errors import GeneratorError

    (tmp_path / "2011").mkdir()
    record = tmp_path / "2011" / "x.yaml"
    record.write_text(
        "document: x\nyear: 2011\nagreement: agreements/2011.yaml\nissued: 2011-06-16\n"
        f"text: {'0' * 40}\nsources: {{agreements/2011.yaml: ../../etc/passwd}}\n",
        encoding="utf-8",
    )
    with pytest.raises(GeneratorError, match="sources: ska vara indatafiler med sina blob-id"):
        load_record(record, tmp_path)
