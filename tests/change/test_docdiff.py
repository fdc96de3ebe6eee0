"""diff and check per document: what a one-figure change does to each document's text."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.change.docdiff import TextChange, document_name, sentences, text_changes
from generator.cli.main import main
from generator.formatting import belopp, milj, miljoner

ROOT = Path(__file__).resolve().parents[2]
NB = "\u00a0"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def palliativ(tmp_path_factory):
    """2012 as shipped, and the same with Palliativregistret's 7 000 000 kronor raised to 7 500 000."""
    root = tmp_path_factory.mktemp("palliativ")
    (root / "agreements").mkdir()
    shutil.copytree(ROOT / "examples", root / "examples")
    original = (ROOT / "agreements" / "2012.yaml").read_text(encoding="utf-8")
    (root / "agreements" / "2012.yaml").write_text(original, encoding="utf-8")
    lines = original.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == "- id: reg_palliativ")
    offset = next(i for i in range(start, start + 10) if lines[i].strip() == "amount: 7_000_000")
    lines[offset] = lines[offset].replace("7_000_000", "7_500_000")
    (root / "before").mkdir()
    (root / "before" / "2012.yaml").write_text(original, encoding="utf-8")
    for folder in ("agreements", "before"):  # 2012 takes its published table from 2010
        shutil.copy(ROOT / "agreements" / "2010.yaml", root / folder / "2010.yaml")
    (root / "agreements" / "2012.yaml").write_text("".join(lines), encoding="utf-8")
    shutil.copytree(ROOT / "examples", root / "before" / "examples")  # ../examples from before/ is root/examples
    return root


@pytest.mark.slow
def test_one_figure_diff_per_document(palliativ, monkeypatch):
    monkeypatch.chdir(palliativ)
    result = run("diff", "before/2012.yaml", "agreements/2012.yaml", "--json")
    assert result.exit_code == 1
    diff = json.loads(result.output)
    assert [(c["name"], c["old"], c["new"], c["difference"], c["recipients"]) for c in diff["figures"]] == [
        ("reg_palliativ", 7_000_000, 7_500_000, 500_000, ["Svenska Palliativregistret (utbetalas till SKL)"])
    ]
    totals = {c["name"]: (c["old"], c["new"]) for c in diff["totals"]}
    assert totals == {
        "sec.kvalitetsregister.total": (30_000_000, 30_500_000),
        "summa": (1_161_000_000, 1_161_500_000),
        "tab.palliativ_budget.intakter": (12_500_000, 13_000_000),
        "{{ (reg_palliativ + reg_senior_alert + reg_demens) | miljoner }}": (
            miljoner(27_000_000),
            miljoner(27_500_000),
        ),
    }
    assert diff["recipients"] == []  # a fixed payout: no county's share moves

    documents = {d["name"]: d for d in diff["document_changes"]}
    assert (
        len(documents) == 2 + 21 + 290 + 20
    )  # decision, plan; county, municipality (Gotland once) and council letters
    changed = {name for name, d in documents.items() if d["status"] != "oförändrat"}
    assert changed == {"genomforandeplan"}  # the decision and the letters never show this payout
    pairs = [(c["old"], c["new"]) for c in documents["genomforandeplan"]["changes"]]
    assert (
        f"Medel för stöd till Svenska Palliativregistret {miljoner(7_000_000)}",
        f"Medel för stöd till Svenska Palliativregistret {miljoner(7_500_000)}",
    ) in pairs
    assert (
        f"a) Medel till Svenska Palliativregistret {milj(7_000_000)}",
        f"a) Medel till Svenska Palliativregistret {milj(7_500_000)}",
    ) in pairs
    assert (f"Summa {milj(30_000_000)}", f"Summa {milj(30_500_000)}") in pairs  # the payout table's sum row
    prose = next(p for p in pairs if "förmedlar" in p[0])
    assert f"förmedlar {miljoner(27_000_000)} till" in prose[0] and f"förmedlar {miljoner(27_500_000)} till" in prose[1]
    assert prose[0].startswith("Sammanlagt") and prose[0].endswith(
        "godkänd genomförandeplan."
    )  # one sentence, not the paragraph
    assert len(pairs) == 5 and all(old != new for old, new in pairs)

    text = run("diff", "before/2012.yaml", "agreements/2012.yaml").output
    assert "    mottagare: Svenska Palliativregistret (utbetalas till SKL)" in text
    assert "Dokument (1 av 333 ändras):" in text
    assert f"    före:  a) Medel till Svenska Palliativregistret {milj(7_000_000)}" in text
    assert f"    efter: a) Medel till Svenska Palliativregistret {milj(7_500_000)}" in text
    assert (
        "  oförändrade (332): regeringsbeslut_II-7_2012-02-09_godkannande, 21 i lansbrev/, 290 i kommunbrev/, "
        "20 i landstingsbrev/"
    ) in text


def test_a_distributed_change_names_each_letters_own_figures(palliativ, monkeypatch):
    """85 → 87 million for the counties' analysis: each county letter shows its own amount old → new."""
    monkeypatch.chdir(palliativ)
    original = (palliativ / "before" / "2012.yaml").read_text(encoding="utf-8")
    (palliativ / "analys").mkdir(exist_ok=True)
    (palliativ / "analys" / "2012.yaml").write_text(
        original.replace("amount: 85_000_000", "amount: 87_000_000", 1), encoding="utf-8"
    )
    shutil.copy(ROOT / "agreements" / "2010.yaml", palliativ / "analys" / "2010.yaml")
    diff = json.loads(run("diff", "before/2012.yaml", "analys/2012.yaml", "--json").output)
    moved = {r["code"]: (r["old"], r["new"]) for r in diff["recipients"]}
    letters = {d["name"]: d for d in diff["document_changes"] if d["name"].startswith("lansbrev/")}
    assert len(letters) == 21 and all(d["status"] == "ändrat" for d in letters.values())
    stockholm = [(c["old"], c["new"]) for c in letters["lansbrev/lansbrev_01_stockholms-lan"]["changes"]]
    county_old, county_new = moved["01"]
    assert any(belopp(county_old) in (old or "") and belopp(county_new) in (new or "") for old, new in stockholm), (
        stockholm
    )
    assert not any("Uppsala" in (old or "") + (new or "") for old, new in stockholm)


@pytest.mark.slow
def test_check_shows_what_changes_in_that_document_only(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (tmp_path / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "2012.yaml", tmp_path / "agreements" / "2012.yaml")
    shutil.copy(ROOT / "agreements" / "2010.yaml", tmp_path / "agreements" / "2010.yaml")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    for command in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *command], check=True, cwd=tmp_path)
    assert run("build", "2012", "--format", "docx", "--out", "output").exit_code == 0
    file = tmp_path / "agreements" / "2012.yaml"
    text = file.read_text(encoding="utf-8")
    start = text.index("- id: reg_palliativ")
    at = text.index("amount: 7_000_000", start)
    file.write_text(text[:at] + "amount: 7_500_000" + text[at + len("amount: 7_000_000") :], encoding="utf-8")
    plan = run("check", "output/2012/genomforandeplan.docx")
    assert plan.exit_code == 1
    assert "output/2012/genomforandeplan.docx: INAKTUELL" in plan.output
    assert "  i dokumentet (5 ändringar):" in plan.output
    assert f"      efter: a) Medel till Svenska Palliativregistret {milj(7_500_000)}" in plan.output
    letter = run("check", "output/2012/lansbrev/lansbrev_01_stockholms-lan.docx")
    assert letter.exit_code == 1 and "INAKTUELL" in letter.output
    assert "dokumentets text ändras inte av ändringarna i agreements/2012.yaml" in letter.output
    assert "före:" not in letter.output  # no sentence of the letter changes; the cause is named once, as an input
    assert "(reg_palliativ): 7 000 000 → 7 500 000" in letter.output.replace("\u00a0", " ")


def test_text_changes_narrow_to_sentences_and_rows():
    old = ["Rubrik", "Första meningen. Andra meningen med 7 miljoner kronor. Tredje.", "a) Rad 7 milj. kr", "Slut"]
    new = [
        "Rubrik",
        "Första meningen. Andra meningen med 7,5 miljoner kronor. Tredje.",
        "a) Rad 7,5 milj. kr",
        "Ny rad",
        "Slut",
    ]
    assert text_changes(old, new) == [
        TextChange("Andra meningen med 7 miljoner kronor.", "Andra meningen med 7,5 miljoner kronor."),
        TextChange("a) Rad 7 milj. kr", "a) Rad 7,5 milj. kr"),
        TextChange(None, "Ny rad"),
    ]
    assert text_changes(["Helt annat"], ["Något nytt här"]) == [
        TextChange("Helt annat", None),
        TextChange(None, "Något nytt här"),
    ]
    assert sentences("Det gäller t.ex. Stockholm 2012. Sedan: Nästa.") == [
        "Det gäller t.ex. Stockholm 2012.",
        "Sedan:",
        "Nästa.",
    ]
    assert (
        document_name(Path("output/2012/lansbrev/lansbrev_01_stockholms-lan.pdf"))
        == "lansbrev/lansbrev_01_stockholms-lan"
    )
    assert document_name(Path("/x/output/2014/cirkular_13-66.docx")) == "cirkular_13-66"
