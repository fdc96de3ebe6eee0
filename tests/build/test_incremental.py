"""After one figure changes, only the documents whose content changes are rewritten (issue 14).

One municipality's coverage rate in the outcome file is shown in its own letter only (it did not qualify for
the pot: "kvalificeringskravet uppfylldes inte (täckningsgrad 58,9 procent)"); the county letter names it
only for a member that receives nothing. Changing it must rewrite that letter's DOCX and PDF and leave every
other file with its bytes and its modification time; a fresh build of the changed data gives every other
document the same text. The letter date is in every letter, and nothing else: changing it rewrites the
331 letters and nothing more. ``check`` tells the truth about a rewritten, an untouched and an old document.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main
from tests.document_text import docx_text, pdf_text

ROOT = Path(__file__).resolve().parents[2]
OUTCOMES = "examples/utfall_2012_EXEMPEL.csv"
LETTER = "2012/kommunbrev/kommunbrev_0114_upplands-vasby"
NB = "\u00a0"
#: 2012 built with its letters, then changed and built again, for each test
pytestmark = pytest.mark.slow


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Return every file under ``folder`` but the manifest: its bytes and modification time (ns)."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """2012 (with the 2010 table its county letters take) built once."""
    root = tmp_path_factory.mktemp("incremental")
    (root / "agreements").mkdir()
    for name in ("2010.yaml", "2012.yaml"):
        shutil.copy(ROOT / "agreements" / name, root / "agreements" / name)
    shutil.copytree(ROOT / "examples", root / "examples")
    cwd = Path.cwd()
    import os

    os.chdir(root)
    try:
        first = run("build", "2012", "--out", "output")
        assert first.exit_code == 0, first.output
    finally:
        os.chdir(cwd)
    return root


def test_one_recipients_figure_rewrites_its_letter_only(built, monkeypatch):
    monkeypatch.chdir(built)
    out = built / "output"
    before = state(out)
    old_words = docx_text(out / f"{LETTER}.docx")
    assert f"täckningsgrad 58,9{NB}procent" in old_words.replace(" procent", f"{NB}procent")
    (built / "old" / "2012" / "kommunbrev").mkdir(parents=True)
    for fmt in ("docx", "pdf"):
        shutil.copy(out / f"{LETTER}.{fmt}", built / "old" / f"{LETTER}.{fmt}")

    text = (built / OUTCOMES).read_text(encoding="utf-8")
    assert text.count("palliativ_tackning;0114;nej;;58,9\n") == 1
    (built / OUTCOMES).write_text(
        text.replace("palliativ_tackning;0114;nej;;58,9\n", "palliativ_tackning;0114;nej;;61,3\n"), encoding="utf-8"
    )
    result = run("build", "2012", "--out", "output")
    assert result.exit_code == 0, result.output
    after = state(out)
    assert set(after) == set(before)
    rewritten = {name for name in after if after[name] != before[name]}
    assert rewritten == {f"{LETTER}.docx", f"{LETTER}.pdf"}, sorted(rewritten)[:10]
    # the plan and the decision do not read the outcome file; every other document and the tables do
    assert (
        f"2 filer renderade, 4 oförändrade indata (hoppades över), {len(before) - 6} med ändrade indata men "
        "samma innehåll (lämnade orörda)"
    ) in result.output

    # the rewritten letter shows the new figure, in both formats
    words = docx_text(out / f"{LETTER}.docx")
    pdf = pdf_text(out / f"{LETTER}.pdf")[0].replace("\n", " ").replace(NB, " ")
    assert "61,3" in words and "58,9" not in words
    assert "täckningsgrad 61,3 procent" in pdf and "58,9" not in pdf

    # a fresh build of the changed data: the rewritten letter byte for byte, every other document the same text
    fresh = run("build", "2012", "--out", "fresh", "--format", "docx")
    assert fresh.exit_code == 0, fresh.output
    assert (built / "fresh" / f"{LETTER}.docx").read_bytes() == (out / f"{LETTER}.docx").read_bytes()
    for name in after:
        if name.endswith(".docx"):
            assert docx_text(out / name) == docx_text(built / "fresh" / name), name
    for code, name in (
        ("0115", "2012/kommunbrev/kommunbrev_0115_vallentuna"),
        ("01", "2012/lansbrev/lansbrev_01_stockholms-lan"),
    ):  # untouched PDFs: a fresh one's text
        assert run("build", "2012", "--recipient", code, "--out", f"fresh-{code}").exit_code == 0
        assert pdf_text(out / f"{name}.pdf")[0] == pdf_text(built / f"fresh-{code}" / f"{name}.pdf")[0], name

    # check: the rewritten letter is current; an untouched one is current though its outcome file changed; the
    # old letter is stale
    now = run("check", f"output/{LETTER}.pdf", f"output/{LETTER}.docx")
    assert now.exit_code == 0 and now.output.count(": aktuell") == 2, now.output
    assert "samma" not in now.output
    kept = run(
        "check",
        "output/2012/kommunbrev/kommunbrev_0115_vallentuna.pdf",
        "output/2012/lansbrev/lansbrev_01_stockholms-lan.docx",
    )
    assert kept.exit_code == 0 and kept.output.count(": aktuell") == 2, kept.output
    assert kept.output.count(f"indata har ändrats men dokumentets innehåll är detsamma ({OUTCOMES})") == 2
    stale = run("check", f"old/{LETTER}.docx")
    assert stale.exit_code == 1 and "INAKTUELL" in stale.output and f"{OUTCOMES}: har ändrats" in stale.output
    assert "dokumentets innehåll är ett annat med data som de är nu" in stale.output

    # the next build has nothing to do
    again = run("build", "2012", "--out", "output")
    assert again.exit_code == 0 and "0 filer renderade" in again.output and "samma innehåll" not in again.output
    assert state(out) == after


def test_the_letter_date_rewrites_every_letter_and_nothing_else(built, monkeypatch):
    monkeypatch.chdir(built)
    out = built / "output"
    run("build", "2012", "--out", "output")
    before = state(out)
    file = built / "agreements" / "2012.yaml"
    text = file.read_text(encoding="utf-8")
    assert text.count("  date: 2012-12-14\n") == 1
    file.write_text(text.replace("  date: 2012-12-14\n", "  date: 2012-12-17\n"), encoding="utf-8")
    result = run("build", "2012", "--out", "output")
    assert result.exit_code == 0, result.output
    after = state(out)
    rewritten = {name for name in after if after[name] != before[name]}
    letters = {name for name in after if name.split("/")[1] in ("lansbrev", "kommunbrev", "landstingsbrev")}
    assert len(letters) == 2 * (21 + 290 + 20)
    assert rewritten == letters, sorted(rewritten ^ letters)[:10]
    assert f"{len(letters)} filer renderade" in result.output
    for name in (
        "2012/lansbrev/lansbrev_01_stockholms-lan",
        "2012/kommunbrev/kommunbrev_0180_stockholm",
        "2012/landstingsbrev/landstingsbrev_0001_stockholms-lans-landsting",
    ):
        words, pdf = docx_text(out / f"{name}.docx"), pdf_text(out / f"{name}.pdf")[0]
        assert "2012-12-17" in words and "2012-12-14" not in words
        assert "2012-12-17" in pdf and "2012-12-14" not in pdf
    plan = run("check", "output/2012/genomforandeplan.docx")
    assert (
        plan.exit_code == 0
        and "indata har ändrats men dokumentets innehåll är detsamma (agreements/2012.yaml)" in plan.output
    )
