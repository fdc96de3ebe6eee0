"""Changing one figure: diff names it, validation holds the stated totals, the rebuild follows, check calls old
documents stale."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.app import load_agreement
from generator.cli.main import main
from generator.formatting import belopp, milj
from tests.document_text import docx_text, pdf_text

ROOT = Path(__file__).resolve().parents[2]
NB = "\u00a0"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A copy of 2010, 2011 and 2012 with their data, built once; the 2012 file then has one amount changed."""
    root = tmp_path_factory.mktemp("work")
    (root / "agreements").mkdir()
    for name in ("2010.yaml", "2011.yaml", "2012.yaml"):  # 2012 takes the 2010 table of the development leaders
        shutil.copy(ROOT / "agreements" / name, root / "agreements" / name)
    shutil.copytree(ROOT / "examples", root / "examples")
    return root


@pytest.mark.slow
def test_one_changed_amount_from_diff_to_rebuild_to_check(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    first = run("build", "--out", "output")
    assert first.exit_code == 0, first.output
    manifest = json.loads((workspace / "output" / "manifest.json").read_text(encoding="utf-8"))["documents"]
    all_files = set(manifest)
    assert len(all_files) == 2 + 4 + 42 + 2 + (2 + 42 + 2) + 2 * (
        290 + 20
    )  # 2011; 2012; 2010: letter, 21 county agreements, tables; 2012: a letter per municipality and per county council

    again = run("build", "--out", "output")
    assert f"0 filer renderade, {len(all_files)} oförändrade indata" in again.output

    before = load_agreement(workspace / "agreements" / "2012.yaml")
    old_lines = {line.code: line.amount for line in before.allocation.lines if line.item == "analys_lan"}
    shutil.copytree(workspace / "output", workspace / "old-output")
    original = (workspace / "agreements" / "2012.yaml").read_text(encoding="utf-8")
    (workspace / "before").mkdir()
    shutil.copy(workspace / "agreements" / "2012.yaml", workspace / "before" / "2012.yaml")
    shutil.copy(workspace / "agreements" / "2010.yaml", workspace / "before" / "2010.yaml")  # the table 2012 takes
    changed = original.replace("amount: 85_000_000", "amount: 87_000_000", 1)
    assert changed != original
    (workspace / "agreements" / "2012.yaml").write_text(changed, encoding="utf-8")

    # diff names the figure, the totals that move with it and the recipients it moves
    result = run("diff", "before/2012.yaml", "agreements/2012.yaml", "--json")
    assert result.exit_code == 1
    diff = json.loads(result.output)
    assert [(c["name"], c["old"], c["new"], c["difference"]) for c in diff["figures"]] == [
        ("analys_lan", 85_000_000, 87_000_000, 2_000_000)
    ]
    totals = {c["name"]: c["difference"] for c in diff["totals"]}
    assert totals == {
        "sec.analysarbete.total": 2_000_000,
        "summa": 2_000_000,
    }  # the parts' sums, before any stated total
    moved = {r["code"]: r["difference"] for r in diff["recipients"]}
    assert set(moved) == set(old_lines) and sum(moved.values()) == 2_000_000
    assert [abs(r["difference"]) for r in diff["recipients"]] == sorted((abs(v) for v in moved.values()), reverse=True)
    assert set(diff["documents"]) == {name for name in all_files if name.startswith("2012/")}
    text = run("diff", "before/2012.yaml", "agreements/2012.yaml").output
    assert (
        f"analys_lan: Medel till kommuner och landsting länsgemensamt för lokalt analysarbete: "
        f"85{NB}000{NB}000{NB}kronor → 87{NB}000{NB}000{NB}kronor (+2{NB}000{NB}000{NB}kronor)" in text
    )

    # validation fails on the stated totals until they are updated
    refused = run("validate", "agreements/2012.yaml")
    assert refused.exit_code == 2 and "86 000 000 kronor" in refused.output.replace(NB, " ")
    assert run("build", "--out", "output").exit_code == 2
    fixed = changed.replace("total: 86_000_000", "total: 88_000_000", 1)
    fixed = re.sub(r"^total: 1_161_000_000", "total: 1_163_000_000", fixed, flags=re.M)
    (workspace / "agreements" / "2012.yaml").write_text(fixed, encoding="utf-8")
    result = run("validate", "agreements/2012.yaml")
    if result.exit_code:  # a stated total of an enclosing section moves too: the message names it and its new sum
        found = re.search(r"anger ([\d\u00a0 ]+) kronor men .* blir tillsammans ([\d\u00a0 ]+) kronor", result.output)
        assert found, result.output
        old_total, new_total = (int(re.sub(r"\D", "", g)) for g in found.groups())
        fixed = fixed.replace(f"total: {old_total:_}", f"total: {new_total:_}", 1)
        (workspace / "agreements" / "2012.yaml").write_text(fixed, encoding="utf-8")
        result = run("validate", "agreements/2012.yaml")
    assert result.exit_code == 0, result.output

    # the rebuild renders exactly the documents made from 2012.yaml
    rebuilt = run("build", "--out", "output")
    assert rebuilt.exit_code == 0, rebuilt.output
    rendered = {line.split()[1] for line in rebuilt.output.splitlines() if line.startswith("  skriven")}
    expected = {f"output/{name}" for name in all_files if name.startswith("2012/")}
    skipped_others = {f"output/{name}" for name in all_files if not name.startswith("2012/")}
    assert rendered <= expected and not rendered & skipped_others
    assert f"{len(skipped_others)} oförändrade indata" in rebuilt.output
    # every 2012 document but the decision, whose text does not show the amount: it is left as it was
    decision = {f"output/2012/regeringsbeslut_II-7_2012-02-09_godkannande.{fmt}" for fmt in ("docx", "pdf")}
    assert rendered == expected - decision
    assert "2 med ändrade indata men samma innehåll (lämnade orörda)" in rebuilt.output
    assert all(
        (workspace / p).read_bytes() == (workspace / "old-output" / p.removeprefix("output/")).read_bytes()
        for p in decision
    )

    # no generated text still shows the old figure
    after = load_agreement(workspace / "agreements" / "2012.yaml")
    new_lines = {line.code: line.amount for line in after.allocation.lines if line.item == "analys_lan"}
    plan = docx_text(workspace / "output/2012/genomforandeplan.docx")
    assert milj(87_000_000) in plan and milj(85_000_000) not in plan
    assert f"87{NB}miljoner kronor" in plan and f"85{NB}miljoner kronor" not in plan
    for code, letter in (("01", "lansbrev_01_stockholms-lan"), ("14", "lansbrev_14_vastra-gotalands-lan")):
        words = docx_text(workspace / f"output/2012/lansbrev/{letter}.docx")
        pdf = pdf_text(workspace / f"output/2012/lansbrev/{letter}.pdf")[0].replace("\n", " ")
        assert belopp(new_lines[code]) in words and belopp(old_lines[code]) not in words
        assert belopp(new_lines[code]).replace(NB, " ") in pdf.replace(NB, " ")
    table = (workspace / "output/2012/utbetalningar.csv").read_text(encoding="utf-8-sig")
    assert all(f";{old_lines[c]}\r\n" not in table or old_lines[c] == new_lines[c] for c in old_lines)

    # check: the old documents are stale, the new ones current
    stale = run(
        "check", "old-output/2012/genomforandeplan.pdf", "old-output/2012/lansbrev/lansbrev_01_stockholms-lan.docx"
    )
    assert stale.exit_code == 1
    assert stale.output.count("INAKTUELL") == 2 and "agreements/2012.yaml: har ändrats" in stale.output
    current = run(
        "check",
        "output/2012/genomforandeplan.pdf",
        "output/2012/lansbrev/lansbrev_01_stockholms-lan.docx",
        "old-output/2011/regeringsbeslut_II-7_2011-06-16_utbetalning.pdf",
    )
    assert current.exit_code == 0 and current.output.count(": aktuell") == 3
    # the decision left as it was names the 2012.yaml it was made from, and is current: its text is the same
    kept = run("check", "output/2012/regeringsbeslut_II-7_2012-02-09_godkannande.pdf")
    assert kept.exit_code == 0 and ": aktuell" in kept.output, kept.output
    assert "indata har ändrats men dokumentets innehåll är detsamma (agreements/2012.yaml)" in kept.output


def test_force_renders_everything_and_a_document_carries_its_sources(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    run("build", "2011", "--out", "forced")
    result = run("build", "2011", "--out", "forced", "--force")
    assert "2 filer renderade, 0 oförändrade" in result.output
    from generator.build.provenance import file_id
    from generator.change.staleness import provenance_of

    line = provenance_of(workspace / "forced/2011/regeringsbeslut_II-7_2011-06-16_utbetalning.docx")
    assert f"agreements/2011.yaml@{file_id(workspace / 'agreements/2011.yaml')}" in line
    assert line.startswith("generator ") and "templates/regeringsbeslut_utbetalning.xml.j2@" in line
    assert provenance_of(workspace / "forced/2011/regeringsbeslut_II-7_2011-06-16_utbetalning.pdf") == line


def test_outputs_of_a_deleted_agreement_are_kept_unless_pruned(tmp_path, monkeypatch):
    (tmp_path / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "2011.yaml", tmp_path / "agreements" / "2011.yaml")
    shutil.copy(ROOT / "agreements" / "2011.yaml", tmp_path / "agreements" / "2011-kopia.yaml")
    text = (tmp_path / "agreements" / "2011-kopia.yaml").read_text(encoding="utf-8")
    (tmp_path / "agreements" / "2011-kopia.yaml").write_text(
        text.replace("year: 2011", "year: 2010", 1), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert run("build", "--out", "out").exit_code == 0
    made = sorted(p.name for p in (tmp_path / "out" / "2010").iterdir())
    assert len(made) == 2
    (tmp_path / "agreements" / "2011-kopia.yaml").unlink()
    kept = run("build", "--out", "out")
    assert "2 filer i out/ kommer från överenskommelser som inte längre finns" in kept.output
    assert sorted(p.name for p in (tmp_path / "out" / "2010").iterdir()) == made
    pruned = run("build", "--out", "out", "--prune")
    assert pruned.output.count("borttagen") == 2 and not list((tmp_path / "out" / "2010").iterdir())
    assert not any(
        name.startswith("2010/") for name in json.loads((tmp_path / "out" / "manifest.json").read_text())["documents"]
    )


def test_diff_against_a_git_revision(tmp_path, monkeypatch):
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (tmp_path / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "2011.yaml", tmp_path / "agreements" / "2011.yaml")
    monkeypatch.chdir(tmp_path)
    for command in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *command], check=True, cwd=tmp_path)
    file = tmp_path / "agreements" / "2011.yaml"
    file.write_text(
        file.read_text(encoding="utf-8").replace(
            "redovisning_november: 2011-11-15", "redovisning_november: 2011-11-30", 1
        ),
        encoding="utf-8",
    )
    result = run("diff", "agreements/2011.yaml@HEAD", "agreements/2011.yaml")
    assert result.exit_code == 1, result.output
    assert "den 15 november 2011 → den 30 november 2011" in result.output.replace("\u00a0", " ")
    assert run("diff", "agreements/2011.yaml@HEAD", "agreements/2011.yaml@HEAD").exit_code == 0
    unknown = run("diff", "agreements/2011.yaml@nosuchrev", "agreements/2011.yaml")  # printed plainly by the CLI
    assert unknown.exit_code == 2 and "'nosuchrev' är ingen commit i förrådet" in unknown.output
