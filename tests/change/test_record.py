"""An issued record is verified, not trusted: tampered input copies and texts, bad names and dates, bad input."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
DECISION = "regeringsbeslut_II-7_2011-06-16_utbetalning"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """2011 built and its decision issued (the data unchanged)."""
    root = tmp_path_factory.mktemp("record2011")
    (root / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "2011.yaml", root / "agreements" / "2011.yaml")
    with contextlib.chdir(root):
        assert run("build", "2011", "--format", "docx").exit_code == 0
        result = run("issue", "2011", "regeringsbeslut", "--date", "2011-06-16")
        assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def copy(issued, tmp_path, monkeypatch):
    target = tmp_path / "p"
    shutil.copytree(issued, target)
    monkeypatch.chdir(target)
    return target


def blob_of(root: Path, name: str) -> Path:
    record = yaml.safe_load((root / "issued" / "2011" / f"{DECISION}.yaml").read_text(encoding="utf-8"))
    return root / "issued" / "inputs" / record["sources"][name]


def refused(result, *names: str) -> None:
    text = result.output
    assert result.exit_code == 2, text
    assert "Traceback" not in text and "/tmp/tmp" not in text.replace(str(Path.cwd()), "")
    for name in names:
        assert name in text, text


@pytest.mark.parametrize(
    "how",
    ["edited blob", "truncated blob", "deleted blob", "swapped blob", "edited xml", "deleted xml"],
)
@pytest.mark.parametrize("command", ["check", "diff", "build"])
def test_a_damaged_record_is_an_error_naming_the_file(copy, how, command):
    agreement = blob_of(copy, "agreements/2011.yaml")
    markup = copy / "issued" / "2011" / f"{DECISION}.xml"
    if how == "edited blob":
        agreement.write_bytes(agreement.read_bytes().replace(b"7_000_000", b"7_500_000", 1))
        damaged = agreement
    elif how == "truncated blob":
        agreement.write_bytes(agreement.read_bytes()[:2000])
        damaged = agreement
    elif how == "deleted blob":
        agreement.unlink()
        damaged = agreement
    elif how == "swapped blob":  # another input's copy under this blob's name
        other = next(p for p in agreement.parent.iterdir() if p != agreement)
        agreement.write_bytes(other.read_bytes())
        damaged = agreement
    elif how == "edited xml":
        markup.write_bytes(markup.read_bytes().replace("63 000 000".replace(" ", "\u00a0").encode(), b"1", 1))
        damaged = markup
    else:
        markup.unlink()
        damaged = markup
    before = tree_digest(copy / "output")
    if command == "check":
        result = run("check", "--issued", "2011")
    elif command == "diff":
        result = run("diff", "agreements/2011.yaml@utfärdat", "agreements/2011.yaml")
    else:
        result = run("build", "2011", "--format", "docx")
    name = damaged.relative_to(copy).as_posix()
    refused(result, name)
    if how != "deleted xml" and "xml" not in how:
        assert "agreements/2011.yaml" in result.output  # the input whose issued copy is damaged
    if command == "build":
        assert tree_digest(copy / "output") == before  # the issued document is not touched


@pytest.mark.parametrize(
    ("field", "old", "new"),
    [
        ("document", f"document: {DECISION}", "document: ../../etc/x"),
        ("issued", "issued: '2011-06-16'", "issued: '2011-02-30'"),
        ("year", "year: 2011", "year: tjugoelva"),
        ("text", "text: ", "text: x"),
    ],
)
def test_a_bad_record_field_is_named(copy, field, old, new):
    path = copy / "issued" / "2011" / f"{DECISION}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run("check", "--issued", "2011")
    refused(result, f"issued/2011/{DECISION}.yaml", f"{field}:")


def test_issue_refuses_a_date_before_the_documents_own_and_warns_for_the_future(copy):
    before = tree_digest(copy / "issued")
    early = run("issue", "2011", "regeringsbeslut", "--date", "2011-01-10")
    refused(early, "2011-06-16", "före dokumentets eget datum")
    assert tree_digest(copy / "issued") == before
    future = run("issue", "2011", "regeringsbeslut", "--date", "2099-01-01")
    assert future.exit_code == 0 and "ligger i framtiden" in future.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("issue", "2011", "finns_inte", "--date", "2011-06-16"), "inget dokument 'finns_inte'"),
        (("issue", "2011", "regeringsbeslut", "--date", "2011-13-01"), "2011-13-01"),
        (("check", "--issued", "2013"), "2013"),
    ],
)
def test_bad_input_is_exit_2_in_swedish_and_writes_nothing(copy, args, words):
    before = tree_digest(copy)
    result = run(*args)
    refused(result, words)
    assert tree_digest(copy) == before


def test_a_year_with_nothing_issued_is_exit_2(copy):
    shutil.rmtree(copy / "issued" / "2011")
    before = tree_digest(copy)
    result = run("check", "--issued", "2011")
    refused(result, "inga utfärdade dokument", "2011")
    assert tree_digest(copy) == before
    sent = run("send", "2011", "--out", "elsewhere")
    refused(sent, "inga utfärdade dokument för 2011")
    assert tree_digest(copy) == before and not (copy / "elsewhere").exists()


def test_an_issued_version_that_is_no_longer_valid_is_named_not_a_temporary_folder(copy):
    """A consistent record (hashes right) whose issued data the validator now refuses: the findings name the
    issued version and its record, never the temporary folder it is read back in."""
    from generator.build.provenance import blob_id

    agreement = blob_of(copy, "agreements/2011.yaml")
    data = agreement.read_bytes().replace(b"total: 63_000_000", b"total: tjugo", 1)
    ident = blob_id(data)
    (agreement.parent / ident).write_bytes(data)
    record = copy / "issued" / "2011" / f"{DECISION}.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace(agreement.name, ident), encoding="utf-8")
    result = run("diff", "agreements/2011.yaml@utfärdat", "agreements/2011.yaml")
    refused(result, f"agreements/2011.yaml (utfärdad version, issued/2011/{DECISION}.yaml)")
    assert "/tmp" not in result.output
