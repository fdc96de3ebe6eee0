"""The manifest's output checks and the no-change state trust a file's recorded signature (size, modification and
change times, inode), as git's index does, instead of reading and hashing it; an edit is still seen."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

from click.testing import CliRunner

from generator.build.provenance import MANIFEST, Manifest, file_sha256
from generator.cache import store
from generator.cli import main as cli

ROOT = Path(__file__).resolve().parents[2]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def edit_keeping_size_and_time(path: Path) -> bytes:
    """Change one byte in the middle of ``path`` and set its modification time back; return the old bytes."""
    info = path.stat()
    old = path.read_bytes()
    new = bytearray(old)
    new[len(new) // 2] ^= 0x01
    with open(path, "r+b") as handle:  # the same file (inode), as an editor saving in place
        handle.write(new)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (info.st_size, info.st_mtime_ns, info.st_ino)
    assert path.read_bytes() != old
    return old


def test_a_signature_spares_reading_an_unchanged_file_and_an_edit_changes_it(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "STEADY_NS", 50_000_000)
    file = tmp_path / "a.pdf"
    file.write_bytes(b"%PDF one")
    time.sleep(0.1)  # the file last changed more than STEADY_NS ago: a signature is kept
    signatures: dict[str, list] = {}
    assert file_sha256(file, signatures, "a.pdf") == sha(b"%PDF one")
    info = file.stat()
    assert signatures["a.pdf"] == [
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns,
        info.st_ino,
        info.st_dev,
        sha(b"%PDF one"),
    ]
    signatures["a.pdf"][-1] = "as recorded"  # while the signature is the same, the recorded hash is not checked
    assert file_sha256(file, signatures, "a.pdf") == "as recorded"
    edit_keeping_size_and_time(file)  # its change time moves: it is read again
    monkeypatch.setattr(store, "STEADY_NS", 3600 * 10**9)  # however slow this machine is, "just now"
    assert file_sha256(file, signatures, "a.pdf") == sha(file.read_bytes())
    assert "a.pdf" not in signatures  # changed just now: an edit within the same tick could keep its signature


def test_a_file_changed_just_now_gets_no_signature(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "STEADY_NS", 3600 * 10**9)
    file = tmp_path / "b.pdf"
    file.write_bytes(b"%PDF two")
    signatures: dict[str, list] = {}
    assert file_sha256(file, signatures, "b.pdf") == sha(b"%PDF two") and signatures == {}
    (tmp_path / "link.pdf").symlink_to(file)
    assert file_sha256(tmp_path / "link.pdf", signatures, "link.pdf") is None  # not a regular file: never read


def test_a_damaged_signature_is_not_trusted(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "x.pdf").write_bytes(b"%PDF")
    entry = {"inputs": "k", "sha256": sha(b"%PDF"), "sources": {}}
    (out / MANIFEST).write_text(
        json.dumps({"documents": {"x.pdf": entry}, "signatures": {"x.pdf": ["1", 2, 3, 4, 5, "h"], "y.pdf": 7}})
    )
    manifest = Manifest.load(out)
    assert not manifest.problem and manifest.signatures == {}
    assert manifest.intact(out / "x.pdf") == entry


def test_an_output_edited_by_hand_keeping_its_size_and_time_is_rendered_again(tmp_path, monkeypatch):
    """The no-change rebuild and the manifest's check both see an edit that keeps the file's size, inode and
    modification time (its change time cannot be set back), and the file is made again."""
    monkeypatch.setattr(store, "STEADY_NS", 50_000_000)
    (tmp_path / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "2011.yaml", tmp_path / "agreements" / "2011.yaml")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert "skriven" in runner.invoke(cli.main, ["build", "--out", "out"]).output
    time.sleep(0.1)
    second = runner.invoke(cli.main, ["build", "--out", "out"])  # hashes every file once and notes its signature
    assert second.exit_code == 0 and "0 filer renderade, 2 oförändrade" in second.output
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["signatures"]) == set(manifest["documents"]) and "unchanged" in manifest
    pdf = next((tmp_path / "out" / "2011").glob("*.pdf"))
    original = edit_keeping_size_and_time(pdf)
    third = runner.invoke(cli.main, ["build", "--out", "out"])
    assert third.exit_code == 0 and f"skriven    out/2011/{pdf.name}" in third.output, third.output
    assert pdf.read_bytes() == original

    # the manifest's check alone (no no-change state): a build that learns nothing else
    time.sleep(0.1)
    assert "0 filer renderade" in runner.invoke(cli.main, ["build", "--out", "out"]).output
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text(encoding="utf-8"))
    manifest.pop("unchanged")
    (tmp_path / "out" / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert Manifest.load(tmp_path / "out").signatures.keys() == manifest["documents"].keys()
    docx = next((tmp_path / "out" / "2011").glob("*.docx"))
    original = edit_keeping_size_and_time(docx)
    fourth = runner.invoke(cli.main, ["build", "--out", "out"])
    assert fourth.exit_code == 0 and f"skriven    out/2011/{docx.name}" in fourth.output, fourth.output
    assert docx.read_bytes() == original


def test_the_generator_id_is_kept_only_while_its_files_keep_their_signatures(tmp_path, monkeypatch):
    """generator_id() hashes the package's code and fonts; the hash is kept in the private cache under the files'
    signatures, so an edit of a file that keeps its size and modification time still changes the id."""
    package = tmp_path / "package"
    (package / "__pycache__").mkdir(parents=True)
    (package / "a.py").write_text("A = 1\n")
    (package / "__pycache__" / "a.cpython.pyc").write_bytes(b"not code")
    monkeypatch.setattr(store, "PACKAGE", package)
    monkeypatch.setattr(store, "STEADY_NS", 3600 * 10**9)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    expected = hashlib.sha256(b"a.py\0A = 1\n").hexdigest()[:12]

    def fresh_id() -> str:
        store.generator_id.cache_clear()
        try:
            return store.generator_id()
        finally:
            store.generator_id.cache_clear()

    assert fresh_id().endswith("+" + expected)
    assert not (tmp_path / "cache" / "generator" / "generator-id").exists()  # the file changed just now: not kept
    monkeypatch.setattr(store, "STEADY_NS", 50_000_000)
    time.sleep(0.1)
    assert fresh_id().endswith("+" + expected)
    kept = list((tmp_path / "cache" / "generator" / "generator-id").iterdir())
    assert len(kept) == 1 and kept[0].read_bytes().endswith(expected.encode())
    entry = kept[0].read_bytes()
    kept[0].write_bytes(entry[:-12] + b"0123456789ab")  # rewritten: it fails its check, and is not used
    assert fresh_id().endswith("+" + expected) and kept[0].read_bytes() == entry
    made_from = entry[len(store.MAGIC) : len(store.MAGIC) + 32]  # written by the store: what is kept is what is used,
    store.write("generator-id", kept[0].name, made_from, b"0123456789ab")  # while the signatures are the same
    assert fresh_id().endswith("+0123456789ab")
    edit_keeping_size_and_time(package / "a.py")
    assert fresh_id().endswith("+" + hashlib.sha256(b"a.py\0" + (package / "a.py").read_bytes()).hexdigest()[:12])


def test_the_no_change_state_comes_first_and_covers_the_rest_of_the_manifest(tmp_path, monkeypatch):
    """The state is read without parsing the documents' entries: it holds the hash of the bytes after it, so an
    entry changed behind it means a build that validates again."""
    (tmp_path / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "2011.yaml", tmp_path / "agreements" / "2011.yaml")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    runner.invoke(cli.main, ["build", "--out", "out"])
    second = runner.invoke(cli.main, ["build", "--out", "out"]).output
    manifest = tmp_path / "out" / MANIFEST
    data = manifest.read_bytes()
    assert data.startswith(b'{"unchanged": {') and json.loads(data)["documents"]

    def validated(*args, **kwargs):
        raise AssertionError("validated")

    monkeypatch.setattr(cli, "_validate_all", validated)
    assert runner.invoke(cli.main, ["build", "--out", "out"]).output == second  # answered from the state
    entry = data.index(b'"inputs": "', data.index(b'"documents"')) + len(b'"inputs": "')
    manifest.write_bytes(data[:entry] + (b"0" if data[entry : entry + 1] != b"0" else b"1") + data[entry + 1 :])
    assert runner.invoke(cli.main, ["build", "--out", "out"]).exit_code == 1  # validates again


def test_a_manifest_read_before_is_read_again_once_changed(tmp_path, monkeypatch):
    """Manifest.load keeps the manifest it parsed while the file keeps its signature; an entry changed in place,
    the size and modification time kept, is read."""
    monkeypatch.setattr(store, "STEADY_NS", 50_000_000)
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).write_text(json.dumps({"documents": {"a.pdf": {"inputs": "k1", "sha256": "s"}}}))
    time.sleep(0.1)
    first = Manifest.load(out)
    assert first.entries["a.pdf"]["inputs"] == "k1"
    first.entries["a.pdf"]["inputs"] = "changed in memory"  # a copy: the next load is not changed by it
    assert Manifest.load(out).entries["a.pdf"]["inputs"] == "k1"
    edit = (out / MANIFEST).read_bytes().replace(b'"k1"', b'"k2"')
    info = (out / MANIFEST).stat()
    with open(out / MANIFEST, "r+b") as handle:
        handle.write(edit)
    os.utime(out / MANIFEST, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert Manifest.load(out).entries["a.pdf"]["inputs"] == "k2"


def test_a_no_change_rebuild_notes_the_signatures_of_files_that_were_too_new_to_trust(tmp_path, monkeypatch):
    """The state saved right after a build cannot trust the files just written; the next rebuild that finds them
    unchanged and steady notes their signatures, so the one after reads none of them."""
    (tmp_path / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "2011.yaml", tmp_path / "agreements" / "2011.yaml")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert "skriven" in runner.invoke(cli.main, ["build", "--out", "out"]).output
    monkeypatch.setattr(store, "STEADY_NS", 3600 * 10**9)  # every file "just written"
    saved = runner.invoke(cli.main, ["build", "--out", "out"]).output  # renders nothing: the state is saved
    state = json.loads((tmp_path / "out" / MANIFEST).read_bytes())["unchanged"]
    assert state["outputs"] and all(len(known) == 1 for known in state["outputs"].values())  # hashes only

    monkeypatch.setattr(store, "STEADY_NS", 0)  # now steady
    monkeypatch.setattr(cli, "_validate_all", lambda *a, **k: (_ for _ in ()).throw(AssertionError("validated")))
    assert runner.invoke(cli.main, ["build", "--out", "out"]).output == saved  # answered from the state
    state = json.loads((tmp_path / "out" / MANIFEST).read_bytes())["unchanged"]
    assert all(len(known) == 6 for known in state["outputs"].values())  # signature and hash, for each

    read = []
    real = hashlib.file_digest
    monkeypatch.setattr(hashlib, "file_digest", lambda handle, name: read.append(handle.name) or real(handle, name))
    assert runner.invoke(cli.main, ["build", "--out", "out"]).output == saved
    assert read == []  # no output read again
    pdf = next((tmp_path / "out" / "2011").glob("*.pdf"))
    edit_keeping_size_and_time(pdf)  # and an edit is still seen
    assert runner.invoke(cli.main, ["build", "--out", "out"]).exit_code == 1  # validates again
