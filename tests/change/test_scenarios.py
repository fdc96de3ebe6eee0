"""The two scenarios of issue #23 end to end: issue, change, build, then diff and check --issued."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.app import load_agreement
from generator.cli.main import main
from generator.formatting import tal
from generator.money.distribute import Line
from tests.document_text import pdf_text

ROOT = Path(__file__).resolve().parents[2]
DECISION = "regeringsbeslut_II-7_2011-06-16_utbetalning"


def flat(text: str) -> str:
    """Return PDF text with its line breaks and non-breaking spaces as plain spaces."""
    return " ".join(text.replace("\u00a0", " ").split())


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def sp(amount: int) -> str:
    """Return an amount or count as the documents and the terminal print it, with plain spaces: 15 605 412."""
    return tal(amount).replace("\u00a0", " ")


def malmo_2012() -> tuple[int, Line, dict[str, int]]:
    """Return Malmö's total of 2012, its Senior Alert line, and every recipient's total, as computed from the data
    in the current folder: the figures the scenario's documents and messages must show."""
    validated = load_agreement(Path("agreements/2012.yaml"), cached=False)
    totals: dict[str, int] = {}
    for line in validated.allocation.lines:
        totals[line.code] = totals.get(line.code, 0) + line.amount
    lines = validated.allocation.for_code("1280")
    (senior,) = [line for line in lines if line.label == "Riskbedömning med registrering i Senior Alert"]
    return totals["1280"], senior, totals


def digests(folder: Path, pattern: str) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob(pattern))}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root, check=True)


@pytest.mark.slow
def test_2011_payout_changed_after_issuing(tmp_path, monkeypatch):
    (tmp_path / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "2011.yaml", tmp_path / "agreements" / "2011.yaml")
    monkeypatch.chdir(tmp_path)
    assert run("build", "2011").exit_code == 0
    assert run("issue", "2011", "regeringsbeslut", "--date", "2011-06-16").exit_code == 0
    folder = tmp_path / "output" / "2011"
    issued = digests(folder, f"{DECISION}.*")
    data = Path("agreements/2011.yaml")
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    payout = next(i for i, line in enumerate(lines) if line.strip() == "amount: 7_000_000")
    lines[payout] = lines[payout].replace("7_000_000", "7_500_000")
    total = next(i for i, line in enumerate(lines) if line.strip() == "total: 63_000_000")
    lines[total] = lines[total].replace("63_000_000", "63_500_000")
    data.write_text("".join(lines), encoding="utf-8")
    built = run("build", "2011")
    assert built.exit_code == 0, built.output
    assert digests(folder, f"{DECISION}.*") == issued  # the issued decision stays byte-identical
    (folder / f"{DECISION}.pdf").unlink()
    assert run("build", "2011").exit_code == 0
    assert digests(folder, f"{DECISION}.*") == issued  # and is restored from issued/ when deleted
    draft, _ = pdf_text(folder / "andringar" / f"{DECISION}.utkast.pdf")
    text = flat(draft)
    assert (
        "UTKAST – ny version, inte utfärdad" in text and "Regeringsbeslut [nr] ____" in text and "[datum] ____" in text
    )
    assert "63 500 000 kronor" in text
    diff = run("diff", "agreements/2011.yaml@utfärdat", "agreements/2011.yaml")
    head = diff.output.splitlines()[:5]
    assert (
        f"  agreements/2011.yaml:{payout + 1}: sections[2].payouts[0].amount (register_skl): 7 000 000 → 7 500 000"
        in [h.replace("\u00a0", " ") for h in head]
    ), head
    checked = run("check", "--issued", "2011")
    assert checked.exit_code == 1
    tail = checked.output.strip().splitlines()
    assert "Sammanfattning:" in tail[-4:] and tail[-1].strip() == "Att skicka: 1 × ändringsbeslut."
    assert "skicka: ändringsbeslut till Kammarkollegiet" in checked.output
    amending, _ = pdf_text(folder / "andringar" / f"{DECISION}.andringsbeslut.pdf")
    assert "7 500 000 kronor i stället för 7 000 000 kronor" in amending.replace("\u00a0", " ")
    assert "ändrar regeringsbeslut II:7 den 16 juni 2011" in amending  # the running header, in words
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1315353600")  # 2011-09-07: reproducible builds date the changes so
    assert run("build", "2011", "--out", "epoch").exit_code == 0
    marked = (tmp_path / "epoch/2011/andringar" / f"{DECISION}.andringsmarkerad.docx").read_bytes()
    assert b'w:date="2011-09-07T00:00:00Z"' in zipfile.ZipFile(io.BytesIO(marked)).read("word/document.xml")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    sent = run("send", "2011", "--date", "2011-09-01")
    assert sent.exit_code == 0, sent.output
    batch = folder / "utskick"
    decision, _ = pdf_text(batch / "andringsbeslut" / f"{DECISION}.andringsbeslut.pdf")
    assert "2011-09-01" in decision and "7 500 000 kronor i stället för 7 000 000 kronor" in flat(decision)
    report, _ = pdf_text(batch / "andringsrapport_2011.pdf")
    assert f"agreements/2011.yaml:{payout + 1}" in flat(report) and "ändringsbeslut" in flat(report)
    assert "63 000 000 kronor till 63 500 000 kronor" in flat(report)
    assert "Medel till Sveriges Kommuner och Landsting för" in flat(report) and "+500 000" in flat(report)


@pytest.mark.slow
def test_2012_letters_issued_then_one_outcome_changed(tmp_path, monkeypatch):
    (tmp_path / "agreements").mkdir()
    for name in ("2010.yaml", "2012.yaml"):
        shutil.copy(ROOT / "agreements" / name, tmp_path / "agreements" / name)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    if shutil.which("git"):
        git(tmp_path, "init", "-q")
        git(tmp_path, "add", ".")
        git(tmp_path, "commit", "-qm", "data")
    assert run("build", "2012", "--format", "pdf").exit_code == 0
    issued = run("issue", "2012", "kommunbrev_1280", "kommunbrev_0115", "lansbrev_12", "--date", "2012-12-14")
    assert issued.exit_code == 0, issued.output
    folder = tmp_path / "output" / "2012"
    before = digests(folder / "kommunbrev", "kommunbrev_1280_*") | digests(folder / "lansbrev", "lansbrev_12_*")
    old_total, old_senior, old_totals = malmo_2012()
    outcomes = Path("examples/utfall_2012_EXEMPEL.csv")
    lines = outcomes.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("senior_registrering;1280;ja;"))
    count = int(lines[row].split(";")[3])  # Malmö's registrations: 100 more
    lines[row] = lines[row].replace(f";{count};", f";{count + 100};", 1)
    outcomes.write_text("".join(lines), encoding="utf-8")
    new_total, new_senior, new_totals = malmo_2012()
    moved = sorted(code for code in new_totals if new_totals[code] != old_totals.get(code))
    assert new_total - old_total == new_senior.amount - old_senior.amount > 0
    plus = f"+{sp(new_total - old_total)}"
    built = run("build", "2012", "--format", "pdf")
    assert built.exit_code == 0, built.output
    after = digests(folder / "kommunbrev", "kommunbrev_1280_*") | digests(folder / "lansbrev", "lansbrev_12_*")
    assert after == before  # the issued letters stay as issued
    draft, _ = pdf_text(next((folder / "andringar" / "kommunbrev").glob("kommunbrev_1280_*.utkast.pdf")))
    text = flat(draft)
    assert "UTKAST – ny version, inte utfärdad" in text and "[diarienummer] ____" in text and sp(new_total) in text
    if shutil.which("git"):
        diff = run("diff", "agreements/2012.yaml@HEAD", "agreements/2012.yaml")
        head = [line.replace("\u00a0", " ") for line in diff.output.splitlines()[:4]]
        cause = f"examples/utfall_2012_EXEMPEL.csv:{row + 1}: senior_registrering 1280, antal: "
        cause += f"{sp(count)} → {sp(count + 100)}"
        assert f"  {cause}" in head
        assert "störst ändring 1280 Malmö" in diff.output.replace("\u00a0", " ")
        assert len(diff.output.splitlines()) < 7000
        data = json.loads(run("diff", "agreements/2012.yaml@HEAD", "agreements/2012.yaml", "--json").output)
        assert data["inputs"] == [
            {
                "file": "examples/utfall_2012_EXEMPEL.csv",
                "line": row + 1,
                "where": "senior_registrering 1280, antal",
                "old": str(count),
                "new": str(count + 100),
            }
        ]
        assert data["recipients_summary"]["largest"]["code"] == "1280"
        assert sorted(r["code"] for r in data["recipients"]) == moved
        basis = {t["name"]: (t["old"], t["new"]) for t in data["totals"]}  # why every share moves
        assert basis["senior_registrering.kommun.underlag"] == (tal(old_senior.key_total), tal(new_senior.key_total))
    checked = run("check", "--issued", "2012")
    text = checked.output.replace("\u00a0", " ")
    assert checked.exit_code == 1
    assert text.splitlines()[1].startswith(f"  examples/utfall_2012_EXEMPEL.csv:{row + 1}: senior_registrering 1280")
    assert f"rättelse till Malmö kommun; {sp(old_total)} kronor → {sp(new_total)} kronor ({plus} kronor)" in text
    assert text.strip().splitlines()[-1].strip() == "Att skicka: 2 × rättelse."  # Malmö and Skåne's letter
    assert "2 av 3 utfärdade dokument har ändrats" in text  # Vallentuna's letter is as issued
    assert "Potten Riskbedömning med registrering i Senior Alert fördelas efter andel" in text
    malmo = run("check", str(next((folder / "kommunbrev").glob("kommunbrev_1280_*.pdf"))))
    text = malmo.output.replace("\u00a0", " ")
    assert malmo.exit_code == 1 and "data ger nu en annan text än den utfärdade" in text
    assert f"före:  Malmö kommun får sammanlagt {sp(old_total)} kronor" in text
    assert f"efter: Malmö kommun får sammanlagt {sp(new_total)}" in text
    assert text.count("utfärdad version:") == 1  # its own record only
    if shutil.which("git"):  # the cause, from git's version of the input the file names
        assert cause in text
    vallentuna = run("check", str(next((folder / "kommunbrev").glob("kommunbrev_0115_*.pdf"))))
    assert vallentuna.output.count("utfärdad version:") == 1 and len(vallentuna.output.splitlines()) <= 4
    sent = run("send", "2012", "--date", "2013-01-15")
    assert sent.exit_code == 0, sent.output
    batch = folder / "utskick"
    assert sorted(p.name for p in (batch / "rattelser").iterdir()) == sorted(
        f"{p.name.split('.')[0]}.rattelse.{fmt}"
        for p in [
            *(folder / "kommunbrev").glob("kommunbrev_1280_*.pdf"),
            *(folder / "lansbrev").glob("lansbrev_12_*.pdf"),
        ]
        for fmt in ("docx", "pdf")
    )
    letter, _ = pdf_text(next((batch / "rattelser").glob("kommunbrev_1280_*.rattelse.pdf")))
    text = flat(letter)
    assert "Rättelse: " in text
    assert "Vi rättar vårt brev den 14 december 2012 (dnr 09/5304) till Malmö kommun om" in text
    assert "2013-01-15" in text and sp(old_senior.amount) in text and sp(new_senior.amount) in text and plus in text
    # the letter's payment section follows, as the new letter has it: who pays, when, what Malmö sends (nothing)
    assert "Utbetalning" in text and "Kammarkollegiet betalar ut" in text
    assert text.index("Kammarkollegiet betalar ut") < text.index("Göran Stiernstedt")  # it ends with its signature
    county, _ = pdf_text(next((batch / "rattelser").glob("lansbrev_12_*.rattelse.pdf")))
    text = flat(county)
    # the county letter's corrected amounts by the table they stand in, each with its sum; signed; its requisition
    # form (the county-common funds, unchanged) and the line that lists it are not repeated
    assert "Sammanfattning" in text and "Belopp per mottagare" in text and f"Malmö (1280) {sp(old_total)}" in text
    assert "Göran Stiernstedt" in text and "Bilaga" not in text and "Betalningsmottagare" not in text
    report, _ = pdf_text(batch / "andringsrapport_2012.pdf")
    text = flat(report)
    assert f"examples/utfall_2012_EXEMPEL.csv:{row + 1}" in text and sp(count) in text and sp(count + 100) in text
    assert "Malmö (1280)" in text and sp(old_total) in text and "rättelse" in text
    nothing = run("send", "2011")
    assert nothing.exit_code == 2 and "ingen överenskommelse för året 2011" in nothing.output
