"""A build in several processes: what --no-municipal leaves out, and Typst in processes of its own."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from generator.build.plan import plan
from generator.build.provenance import MANIFEST
from generator.build.render import render_job

ROOT = Path(__file__).resolve().parents[2]


def generator(*args: str) -> str:
    run = subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def written(output: str, status: str = "skriven") -> list[str]:
    return re.findall(rf"^\s+(?:{status})\s+(\S+)", output, re.M)


def test_no_municipal_leaves_out_the_municipalities_documents_and_a_later_build_adds_them(tmp_path):
    out = tmp_path / "out"
    first = generator("build", "2013", "2014", "--no-municipal", "--out", str(out))
    names = sorted(Path(p).relative_to(out).as_posix() for p in written(first))
    assert names == ["2014/cirkular_13-66.docx", "2014/cirkular_13-66.pdf"]  # 2013 has only the utlåtande
    assert not (out / "2013").exists()
    second = generator("build", "2013", "2014", "--out", str(out))
    added = sorted(Path(p).relative_to(out).as_posix() for p in written(second))
    assert added == ["2013/utlatanden/utlatande_0180_stockholm.docx", "2013/utlatanden/utlatande_0180_stockholm.pdf"]
    assert "2 oförändrade indata" in second  # the circular, built by the first run
    entries = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["documents"]
    assert set(entries) == {"2014/cirkular_13-66.docx", "2014/cirkular_13-66.pdf", *added}
    third = generator("build", "2013", "2014", "--no-municipal", "--out", str(out), "--force")
    assert sorted(Path(p).relative_to(out).as_posix() for p in written(third, "skriven|oförändrad")) == names
    assert (out / added[0]).is_file()  # left as it was, and still in the manifest
    assert set(json.loads((out / MANIFEST).read_text(encoding="utf-8"))["documents"]) == set(entries)


def test_no_municipal_writes_the_county_letters_plan_and_tables_of_2012(tmp_path):
    out = tmp_path / "out"
    output = generator("build", "2012", "--no-municipal", "--format", "docx", "--out", str(out))
    folders = {Path(p).relative_to(out / "2012").parts[0] for p in written(output)}
    assert folders == {
        "lansbrev",
        "genomforandeplan.docx",
        "regeringsbeslut_II-7_2012-02-09_godkannande.docx",
        "utbetalningar.csv",
        "utbetalningar.xlsx",
    }
    assert len(list((out / "2012" / "lansbrev").glob("*.docx"))) == 21
    assert not (out / "2012" / "kommunbrev").exists() and not (out / "2012" / "landstingsbrev").exists()


def test_typst_in_its_own_processes_gives_the_same_bytes_and_a_fresh_server_takes_over(validated_agreement):
    from generator.writers.typst import render_pdf
    from generator.writers.typst_service import Service

    validated = validated_agreement("2011")
    document = render_job(validated.agreement, plan(validated.agreement)[0])
    service = Service(memory_limit=0)  # every server leaves after one document
    try:
        first = service.render_pdf(document)
        second = service.render_pdf(document)  # by a new server, forked from the lean process
    finally:
        service.close()
    assert first == second == render_pdf(document)
    assert first.startswith(b"%PDF-") and service.process.returncode == 0  # the lean process ended with the build
