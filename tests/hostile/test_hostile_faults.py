"""Interrupted and concurrent builds: every output is the complete old file or the complete new one, the
manifest describes the files, and no manifest update is lost when two builds share an output folder."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build.provenance import MANIFEST, Manifest
from generator.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """A project with 2011 and the 2014 circular; the old and the new build of each file (2011 changed)."""
    root = tmp_path_factory.mktemp("faults")
    (root / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "2011.yaml", root / "agreements" / "2011.yaml")
    shutil.copytree(ROOT / "agreements" / "2014", root / "agreements" / "2014")
    old_text = (root / "agreements" / "2011.yaml").read_text(encoding="utf-8")
    new_text = old_text.replace("signing: {place: Stockholm,", "signing: {place: Solna,", 1)
    assert new_text != old_text
    cwd = os.getcwd()
    os.chdir(root)
    try:
        assert CliRunner().invoke(main, ["build", "--out", "old"]).exit_code == 0
        (root / "agreements" / "2011.yaml").write_text(new_text, encoding="utf-8")
        assert CliRunner().invoke(main, ["build", "--out", "new"]).exit_code == 0
        (root / "agreements" / "2011.yaml").write_text(old_text, encoding="utf-8")
    finally:
        os.chdir(cwd)
    old, new = files_of(root / "old"), files_of(root / "new")
    assert set(old) == set(new) and sum(old[n] != new[n] for n in old) == 2  # the 2011 decision, DOCX and PDF
    return root, old_text, new_text, old, new


def staged(name: str) -> bool:
    """Return True if ``name`` is a file a build staged beside its place (``.<file>.<random>.tmp``)."""
    base = name.rsplit("/", 1)[-1]
    return base.startswith(".") and base.endswith(".tmp")


def assert_old_or_new(out: Path, old: dict[str, bytes], new: dict[str, bytes], killed: bool = False) -> None:
    """Assert that every file is the old or the new one and the manifest describes it; a ``killed`` build may
    also have left the files it staged, which the next build removes."""
    for name, data in files_of(out).items():
        if killed and staged(name):
            continue
        assert name.startswith(".") is False and not name.endswith(".tmp"), f"left a temporary file {name}"
        assert data == old.get(name) or data == new.get(name), f"{name} is neither the old nor the new file"
    raw = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["documents"]
    for name, entry in raw.items():  # the manifest on disk describes the file, old or new
        actual = sha((out / name).read_bytes())
        assert actual in {entry["sha256"], entry.get("replacing")}, name
    settled = Manifest.load(out)
    assert not settled.problem
    for name, entry in settled.entries.items():  # and, settled, exactly
        assert sha((out / name).read_bytes()) == entry["sha256"], name


def fresh_out(root: Path, name: str) -> Path:
    out = root / name
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(root / "old", out)
    return out


@pytest.mark.parametrize("failing_after", [0, 1, 2, 3])
def test_a_failing_replace_after_n_files_leaves_old_or_new_and_a_true_manifest(versions, monkeypatch, failing_after):
    root, old_text, new_text, old, new = versions
    out = fresh_out(root, f"fail-{failing_after}")
    monkeypatch.chdir(root)
    (root / "agreements" / "2011.yaml").write_text(new_text, encoding="utf-8")
    calls = {"n": 0}
    real_replace = os.replace

    def failing_replace(src, dst):
        if calls["n"] >= failing_after:
            raise OSError(28, "No space left on device", str(dst))
        calls["n"] += 1
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    try:
        result = CliRunner().invoke(main, ["build", "--out", out.name, "--force"])
    finally:
        monkeypatch.setattr(os, "replace", real_replace)
        (root / "agreements" / "2011.yaml").write_text(old_text, encoding="utf-8")
    assert result.exit_code == 2 and "No space left on device" in result.output and "Traceback" not in result.output
    assert_old_or_new(out, old, new)
    (root / "agreements" / "2011.yaml").write_text(new_text, encoding="utf-8")
    try:
        again = CliRunner().invoke(main, ["build", "--out", out.name])
    finally:
        (root / "agreements" / "2011.yaml").write_text(old_text, encoding="utf-8")
    assert again.exit_code == 0, again.output
    assert files_of(out) == new  # the next build completes the change
    assert_old_or_new(out, old, new)


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.4, 0.8, 1.2, 1.6, 2.2, 3.0])
def test_a_build_killed_at_any_moment_leaves_old_or_new(versions, delay):
    root, old_text, new_text, old, new = versions
    out = fresh_out(root, f"kill-{delay}")
    work = root / f"kill-work-{delay}"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(root / "agreements", work / "agreements")
    (work / "agreements" / "2011.yaml").write_text(new_text, encoding="utf-8")
    shutil.move(str(out), work / "out")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--out", "out", "--force"],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    # the files were built from agreements in another folder: compare contents, not provenance paths
    assert_old_or_new(work / "out", old, new, killed=True)
    rebuilt = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--out", "out"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert files_of(work / "out") == new
    assert_old_or_new(work / "out", old, new)


def test_a_build_killed_while_rendering_leaves_the_old_files_and_temporaries_the_next_build_removes(versions):
    """Each file is staged beside its place as soon as it is rendered; killed before everything rendered, the
    build has replaced nothing, and the next build removes what it staged."""
    root, old_text, new_text, old, new = versions
    out = fresh_out(root, "kill-rendering")
    work = root / "kill-rendering-work"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(root / "agreements", work / "agreements")
    (work / "agreements" / "2011.yaml").write_text(new_text, encoding="utf-8")
    shutil.move(str(out), work / "out")
    marker = work / "rendering-the-second"
    code = (
        "import time\n"
        "from pathlib import Path\n"
        "from generator.build import formats\n"
        "real, calls = formats.WRITERS['pdf'], []\n"
        "def slow(document):\n"
        "    calls.append(document)\n"
        "    if len(calls) == 2:  # the first document (2011's changed decision) is staged by now\n"
        f"        Path({str(marker)!r}).write_text('x')\n"
        "        time.sleep(600)\n"
        "    return real(document)\n"
        "formats.WRITERS['pdf'] = slow\n"
        "from generator.cli.main import main\n"
        "main(['build', '--out', 'out', '--force', '--jobs', '1'])\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 180
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the build never rendered its second document"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    left = files_of(work / "out")
    assert any(staged(name) for name in left)  # the first document's files, staged
    assert {name: data for name, data in left.items() if not staged(name)} == old  # nothing replaced
    assert_old_or_new(work / "out", old, new, killed=True)
    rebuilt = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--out", "out"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert files_of(work / "out") == new  # the temporaries removed, the change made
    assert_old_or_new(work / "out", old, new)


def test_two_builds_on_one_output_folder_lose_no_manifest_update(versions, tmp_path):
    root, old_text, *_ = versions
    shutil.copytree(root / "agreements", tmp_path / "agreements")
    (tmp_path / "agreements" / "2011.yaml").write_text(old_text, encoding="utf-8")
    first = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "agreements/2011.yaml", "--out", "out"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    second = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "agreements/2014", "--out", "out"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    outputs = [p.communicate(timeout=180) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    documents = json.loads((tmp_path / "out" / MANIFEST).read_text(encoding="utf-8"))["documents"]
    built = {
        p.relative_to(tmp_path / "out").as_posix()
        for p in (tmp_path / "out").rglob("*.*")
        if p.is_file() and p.name != MANIFEST
    }
    assert (
        set(documents) == built
        and any(n.startswith("2011/") for n in built)
        and any(n.startswith("2014/") for n in built)
    )


@pytest.mark.slow
def test_a_held_lock_makes_a_second_build_wait(versions, tmp_path):
    import fcntl

    root, old_text, *_ = versions
    shutil.copytree(root / "agreements", tmp_path / "agreements")
    (tmp_path / "out").mkdir()
    fd = os.open(tmp_path / "out", os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    waiting = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "agreements/2011.yaml", "--out", "out"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)
        assert waiting.poll() is None  # still waiting
        assert not list((tmp_path / "out").rglob("*.pdf"))
    finally:
        os.close(fd)
    stdout, stderr = waiting.communicate(timeout=120)
    assert waiting.returncode == 0 and "väntar" in stderr and list((tmp_path / "out").rglob("*.pdf")), stdout + stderr


def test_a_damaged_manifest_is_reported_and_rebuilt(versions, monkeypatch):
    root, *_ = versions
    out = fresh_out(root, "damaged")
    (out / MANIFEST).write_bytes(b'{"documents": {"x": [1, 2,')
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["build", "--out", out.name])
    assert (
        result.exit_code == 0 and "manifest.json kan inte läsas" in result.output and "Traceback" not in result.output
    )
    assert "0 oförändrade" in result.output  # everything rendered again
    documents = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["documents"]
    assert set(documents) == set(files_of(out))


def test_a_crafted_manifest_cannot_make_prune_delete_outside_the_output_folder(versions, monkeypatch, tmp_path):
    root, *_ = versions
    out = fresh_out(root, "crafted")
    victim = root / "victim.txt"
    victim.write_text("keep me")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["documents"]["../victim.txt"] = {
        "sources": {"agreements/gone.yaml": "0" * 40},
        "sha256": "x",
        "inputs": "y",
    }
    manifest["documents"][str(victim)] = {"sources": {"agreements/gone.yaml": "0" * 40}, "sha256": "x", "inputs": "y"}
    manifest["documents"]["2011/odd.pdf"] = {"sources": 7, "sha256": "x", "inputs": "y"}
    manifest["documents"]["2011/odder.pdf"] = [1, 2]
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["build", "--out", out.name, "--prune"])
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me" and "Traceback" not in result.output


def test_an_output_file_replaced_by_a_device_link_is_rewritten_not_read(versions, monkeypatch):
    root, *_ = versions
    out = fresh_out(root, "devlink")
    target = next(out.glob("2011/*.pdf"))
    target.unlink()
    target.symlink_to("/dev/zero")
    monkeypatch.chdir(root)
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["build", "--out", out.name])
    assert result.exit_code == 0, result.output
    assert not target.is_symlink() and target.read_bytes().startswith(b"%PDF") and time.perf_counter() - started < 60


# --------------------------------------------------------------------------- issue 28: links, pipes, reference lists


def _swap_for_link(root: Path, target: Path) -> Path:
    """Replace agreements/2011.yaml by a symbolic link to ``target`` (a copy of it); return the original's path."""
    agreement = root / "agreements" / "2011.yaml"
    kept = root.parent / f"{root.name}-2011-original.yaml"
    shutil.copy(agreement, kept)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(agreement, target)
    agreement.unlink()
    agreement.symlink_to(target)
    return kept


def _restore(root: Path, kept: Path) -> None:
    agreement = root / "agreements" / "2011.yaml"
    agreement.unlink()
    shutil.copy(kept, agreement)


def test_an_agreement_swapped_for_a_link_out_of_the_project_after_a_cached_build_is_refused(versions, monkeypatch):
    """The same bytes, cached as valid, behind a link that leaves the project: refused before the cache is asked,
    at the file, exit 2, and nothing in the output folder changes."""
    root, old_text, new_text, old, new = versions
    out = fresh_out(root, "link-out")
    monkeypatch.chdir(root)
    assert CliRunner().invoke(main, ["validate", "agreements/2011.yaml"]).exit_code == 0  # cached as valid
    kept = _swap_for_link(root, root.parent / f"{root.name}-elsewhere" / "2011.yaml")
    try:
        for args in (["validate", "agreements/2011.yaml"], ["validate"], ["build", "--out", out.name, "--force"]):
            started = time.perf_counter()
            result = CliRunner().invoke(main, args)
            assert time.perf_counter() - started < 10
            assert result.exit_code == 2, (args, result.output)
            assert "agreements/2011.yaml:1: fel: filen är en symbolisk länk" in result.output, result.output
            assert "Traceback" not in result.output
    finally:
        _restore(root, kept)
    assert files_of(out) == old  # no amount, no byte changed


@pytest.mark.slow
def test_an_agreement_linked_inside_the_project_builds_the_same_documents(versions, monkeypatch):
    """A link that stays in the project is read as the file it names: the same documents, word for word, whose
    provenance names the file the data came from (kept/2011.yaml)."""
    root, old_text, new_text, old, new = versions
    out = root / "link-in"
    monkeypatch.chdir(root)
    kept = _swap_for_link(root, root / "kept" / "2011.yaml")
    try:
        result = CliRunner().invoke(main, ["build", "--out", out.name, "--force"])
    finally:
        _restore(root, kept)
    assert result.exit_code == 0, result.output
    built = files_of(out)
    assert set(built) == set(old)
    for name in (n for n in old if n.endswith(".docx")):
        with zipfile.ZipFile(io.BytesIO(built[name])) as now, zipfile.ZipFile(io.BytesIO(old[name])) as before:
            assert now.read("word/document.xml") == before.read("word/document.xml"), name
            if name.startswith("2011/"):
                assert any(b"kept/2011.yaml@" in now.read(part) for part in now.namelist()), name


@pytest.mark.parametrize("where", ["outside", "inside"])
def test_a_link_to_a_pipe_is_answered_at_once(versions, tmp_path, where):
    """A link to a FIFO (outside the project, or in it) is refused before anything opens it: no process waits."""
    root = versions[0]
    pipe = (root.parent / f"{root.name}-pipe.yaml") if where == "outside" else (root / "examples" / "pipe.yaml")
    pipe.parent.mkdir(parents=True, exist_ok=True)
    if not pipe.exists():
        os.mkfifo(pipe)
    link = root / "agreements" / "pipe.yaml"
    link.symlink_to(pipe)
    try:
        started = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-m", "generator", "validate", "agreements/pipe.yaml"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
        )
    finally:
        link.unlink()
        pipe.unlink()
    assert time.perf_counter() - started < 10
    assert run.returncode == 2 and "Traceback" not in run.stderr
    expected = "leder ut ur projektmappen" if where == "outside" else "ingen vanlig fil"
    assert "agreements/pipe.yaml:1: fel: " in run.stderr and expected in run.stderr, run.stderr


def test_a_reference_list_damaged_after_a_cached_run_is_refused(versions, monkeypatch, tmp_path):
    """A second row for 0180 in another county, added after a run kept its results: every later run refuses."""
    from generator.data import reference

    root = versions[0]
    monkeypatch.chdir(root)
    assert CliRunner().invoke(main, ["validate", "agreements/2011.yaml"]).exit_code == 0
    folder = root / "reference-damaged"
    if not folder.exists():
        shutil.copytree(ROOT / "reference", folder)
        with open(folder / "municipalities.csv", "a", encoding="utf-8") as handle:
            handle.write("0180,Falska kommun,Falska,03\n")
    lines = (folder / "municipalities.csv").read_text(encoding="utf-8").count("\n")
    monkeypatch.setattr(reference, "REFERENCE", folder)
    for function in (reference.counties, reference.municipalities, reference.councils):
        function.cache_clear()
    try:
        result = CliRunner().invoke(main, ["validate", "agreements/2011.yaml"])
    finally:
        monkeypatch.undo()
        for function in (reference.counties, reference.municipalities, reference.councils):
            function.cache_clear()
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"municipalities.csv:{lines}: fel: koden 0180 står två gånger" in result.output, result.output
