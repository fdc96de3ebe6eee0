"""The per-user cache's one store (generator/cache/store.py): an entry is plain data, verified against what it was
made from and the user's secret, read only from a regular file; a rewritten, truncated, swapped, planted or
pickled entry, or a FIFO in its place, is made again and never changes an amount, runs code or hangs.

The end-to-end cases are issue #28's first category, run as a user would (``generator validate`` and
``generator build 2011 --force``, each in a new process with a time bound).
"""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator.cache import store

ROOT = Path(__file__).resolve().parents[2]
HEADER = len(store.MAGIC) + 64
SOURCE = store.made_from(b"what it was made from")
NAME = "a" * 64


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder of its own; the secrets a test process knew are forgotten."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(store, "_SECRETS", {})
    return tmp_path / "xdg" / "generator"


# --------------------------------------------------------------------------- the store itself


def test_an_entry_is_read_back_as_written(cache):
    store.write("thing", NAME, SOURCE, b"payload")
    assert store.read("thing", NAME, SOURCE) == b"payload"
    store.write_json("thing", NAME, SOURCE, {"a": [1, "två", None]})
    assert store.read_json("thing", NAME, SOURCE) == {"a": [1, "två", None]}
    secret = cache / "secret"
    assert secret.stat().st_mode & 0o777 == 0o600 and secret.stat().st_uid == os.getuid()
    assert (cache / "thing").stat().st_mode & 0o777 == 0o700


def test_an_entry_made_from_something_else_is_not_read(cache):
    store.write("thing", NAME, SOURCE, b"payload")
    assert store.read("thing", NAME, store.made_from(b"something else")) is None


@pytest.mark.parametrize("damage", ["payload", "made from", "mac", "truncated", "longer", "magic", "empty"])
def test_a_rewritten_entry_is_not_read(cache, damage):
    store.write("thing", NAME, SOURCE, b'{"amount": 150000000}')
    entry = cache / "thing" / NAME
    data = entry.read_bytes()
    changed = {
        "payload": data.replace(b"150000000", b"151000000"),
        "made from": data[: len(store.MAGIC)] + bytes(32) + data[len(store.MAGIC) + 32 :],
        "mac": data[: HEADER - 1] + bytes([data[HEADER - 1] ^ 1]) + data[HEADER:],
        "truncated": data[:-3],
        "longer": data + b" ",
        "magic": b"x" + data[1:],
        "empty": b"",
    }[damage]
    entry.write_bytes(changed)
    assert store.read("thing", NAME, SOURCE) is None


def test_an_entry_is_bound_to_its_kind_and_key(cache):
    store.write("thing", NAME, SOURCE, b"one")
    store.write("thing", "b" * 64, SOURCE, b"two")
    data = (cache / "thing" / ("b" * 64)).read_bytes()
    (cache / "thing" / NAME).write_bytes(data)  # swapped: the same made-from hash, another name
    assert store.read("thing", NAME, SOURCE) is None
    (cache / "other").mkdir(mode=0o700)
    (cache / "other" / ("b" * 64)).write_bytes(data)
    os.chmod(cache / "other" / ("b" * 64), 0o600)
    assert store.read("other", "b" * 64, SOURCE) is None  # another kind


def test_an_entry_planted_without_the_secret_is_not_read(cache):
    store.write("thing", "b" * 64, SOURCE, b"first")  # the folder and its secret exist
    import hashlib
    import hmac

    forged = hmac.new(os.urandom(32), b"anything", hashlib.sha256).digest()
    (cache / "thing" / NAME).write_bytes(store.MAGIC + SOURCE + forged + b"planted")
    assert store.read("thing", NAME, SOURCE) is None


def test_nothing_is_read_before_there_is_a_secret(cache):
    (cache / "thing").mkdir(parents=True, mode=0o700)
    os.chmod(cache, 0o700)
    (cache / "thing" / NAME).write_bytes(store.MAGIC + SOURCE + bytes(32) + b"planted")
    assert store.read("thing", NAME, SOURCE) is None and not (cache / "secret").exists()


@pytest.mark.parametrize("bad", ["fifo", "symlink", "others may write", "wrong size", "folder"])
def test_a_secret_that_cannot_be_trusted_is_replaced(cache, bad):
    store.write("thing", NAME, SOURCE, b"payload")
    secret = cache / "secret"
    old = secret.read_bytes()
    secret.unlink()
    if bad == "fifo":
        os.mkfifo(secret)
    elif bad == "symlink":
        target = cache.parent / "elsewhere"
        target.write_bytes(old)
        os.chmod(target, 0o600)
        secret.symlink_to(target)
    elif bad == "others may write":
        secret.write_bytes(old)
        os.chmod(secret, 0o666)
    elif bad == "wrong size":
        secret.write_bytes(old + b"x")
        os.chmod(secret, 0o600)
    else:
        secret.mkdir()
    store._SECRETS.clear()
    with _time_limit(10):
        assert store.read("thing", NAME, SOURCE) is None  # never read with a secret it cannot trust
        store.write("thing", NAME, SOURCE, b"again")
    if bad != "folder":  # a folder in its place cannot be replaced: nothing is kept then
        assert secret.is_file() and not secret.is_symlink() and secret.stat().st_mode & 0o777 == 0o600
        assert store.read("thing", NAME, SOURCE) == b"again"


@pytest.mark.parametrize("thing", ["fifo", "symlink", "folder", "others may write", "too large"])
def test_only_a_regular_file_of_this_user_is_read(cache, thing):
    store.write("thing", NAME, SOURCE, b"payload")
    entry = cache / "thing" / NAME
    data = entry.read_bytes()
    if thing == "too large":
        with _time_limit(10):
            assert store.read("thing", NAME, SOURCE, limit=3) is None
        return
    entry.unlink()
    if thing == "fifo":
        os.mkfifo(entry)
    elif thing == "symlink":
        elsewhere = cache.parent / "elsewhere"
        elsewhere.write_bytes(data)
        os.chmod(elsewhere, 0o600)
        entry.symlink_to(elsewhere)
    elif thing == "folder":
        entry.mkdir()
    else:
        entry.write_bytes(data)
        os.chmod(entry, 0o666)
    with _time_limit(10):  # a FIFO is never opened for a blocking read
        assert store.read("thing", NAME, SOURCE) is None
    if thing != "folder":
        store.write("thing", NAME, SOURCE, b"payload")  # replaced: a regular file of this user's again
        assert store.read("thing", NAME, SOURCE) == b"payload" and entry.is_file() and not entry.is_symlink()


def test_a_folder_others_may_write_keeps_nothing(cache):
    store.write("thing", NAME, SOURCE, b"payload")
    os.chmod(cache / "thing", 0o777)
    store.write("thing", "b" * 64, SOURCE, b"other")
    assert not (cache / "thing" / ("b" * 64)).exists()
    os.chmod(cache / "thing", 0o700)


def test_writing_never_fails(cache):
    cache.parent.mkdir(parents=True)
    cache.write_text("a file where the folder should be")
    store.write("thing", NAME, SOURCE, b"payload")  # nothing kept, no error
    assert store.read("thing", NAME, SOURCE) is None


def test_a_kind_keeps_a_bounded_number_of_entries(cache, monkeypatch):
    monkeypatch.setattr(store, "MAX_ENTRIES", 8)
    for index in range(12):
        store.write("thing", f"{index:064x}", SOURCE, b"x")
    assert len([p for p in (cache / "thing").iterdir()]) <= 9


class _Timeout(Exception):
    pass


class _time_limit:
    """Fail (instead of hanging the test run) if the block takes more than ``seconds``."""

    def __init__(self, seconds: int):
        self.seconds = seconds

    def __enter__(self):
        def expired(signum, frame):
            raise _Timeout(f"more than {self.seconds} s")

        self.previous = signal.signal(signal.SIGALRM, expired)
        signal.alarm(self.seconds)

    def __exit__(self, *exc):
        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.previous)


# --------------------------------------------------------------------------- end to end, as issue #28 tried it


@pytest.fixture
def project(tmp_path):
    """A copy of the shipped project, validated and 2011 built once (DOCX), so that every kind of entry exists."""
    work = tmp_path / "work"
    for name in ("agreements", "examples", "kommuner"):
        shutil.copytree(ROOT / name, work / name)
    first = generator(work, "validate")
    assert first.returncode == 0, first.stderr
    built = generator(work, "build", "2011", "--force", "--format", "docx")
    assert built.returncode == 0, built.stderr
    kinds = {p.name for p in (tmp_path / "xdg" / "generator").iterdir() if p.is_dir()}
    assert {"yaml", "checks", "generator-id", "templates"} <= kinds
    return work


def generator(work: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the command line in a new process, with the project's own cache; fail after 60 s."""
    env = {**os.environ, "XDG_CACHE_HOME": str(work.parent / "xdg"), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=work, env=env, capture_output=True, text=True, timeout=60
    )


def all_entries(work: Path) -> list[Path]:
    folder = work.parent / "xdg" / "generator"
    return sorted(p for kind in folder.iterdir() if kind.is_dir() for p in kind.iterdir() if not p.name.startswith("."))


def decision_text(work: Path) -> str:
    """Return the text of 2011's decision (regeringsbeslut) as built, spaces in numbers made plain."""
    (docx,) = (work / "output" / "2011").glob("regeringsbeslut*.docx")
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", "", xml).replace("\u00a0", " ")


def validate_and_build(work: Path) -> tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]:
    validated = generator(work, "validate")
    built = generator(work, "build", "2011", "--force", "--format", "docx")
    return validated, built


def assert_the_files_amounts(
    validated: subprocess.CompletedProcess, built: subprocess.CompletedProcess, work: Path
) -> None:
    assert validated.returncode == 0, validated.stderr
    assert "agreements/2011.yaml: " in validated.stdout
    assert "totalt 63 000 000 kronor = 5 utbetalningar 63 000 000 kronor" in validated.stdout.replace("\u00a0", " ")
    assert "Traceback" not in validated.stderr + built.stderr
    assert built.returncode == 0, built.stderr
    assert "regeringsbeslut" in built.stdout
    text = decision_text(work)
    assert "För 2011 finns avsatt 150 000 000 kronor" in text and "151 000 000" not in text


def test_a_yaml_entry_rewritten_with_another_amount_is_not_used(project):
    rewritten = 0
    for entry in all_entries(project):
        data = entry.read_bytes()
        if b'"satsning_2011":150000000' in data:
            entry.write_bytes(data.replace(b'"satsning_2011":150000000', b'"satsning_2011":151000000'))
            rewritten += 1
    assert rewritten >= 1  # 2011's, and 2013's (which names it too)
    assert_the_files_amounts(*validate_and_build(project), project)


def test_a_validated_entry_rewritten_with_another_amount_is_not_used(project):
    """The checks' entry holds no amount: one rewritten to hold the data with another amount (and no findings),
    re-using the header of the real one, fails its check; so does the loaded YAML it would name."""
    for entry in all_entries(project):
        if entry.parent.name != "checks":
            continue
        data = entry.read_bytes()
        body = json.loads(data[HEADER:])
        body["findings"] = []
        body["data"] = {"figures": {"satsning_2011": 151_000_000}}
        entry.write_bytes(data[:HEADER] + json.dumps(body).encode())
    assert_the_files_amounts(*validate_and_build(project), project)


def test_entries_planted_under_the_right_names_are_not_used(project):
    """Entries an attacker could name (the generator's id is in every document, the file's bytes are known),
    with a header copied from a real entry and the amount changed, are made again."""
    for entry in all_entries(project):
        data = entry.read_bytes()
        if entry.parent.name == "yaml" and b"satsning_2011" in data:
            planted = json.loads(data[HEADER:])
            planted["data"]["figures"]["satsning_2011"] = 151_000_000
            entry.write_bytes(data[:HEADER] + json.dumps(planted).encode())
    assert_the_files_amounts(*validate_and_build(project), project)


def test_a_pickled_entry_is_never_loaded(project, tmp_path):
    marker = tmp_path / "ran"

    class Boom:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    bomb = pickle.dumps(Boom())
    for index, entry in enumerate(all_entries(project)):
        data = entry.read_bytes()
        entry.write_bytes(bomb if index % 2 else data[:HEADER] + bomb)  # the whole file, or behind a real header
    secret = tmp_path / "xdg" / "generator" / "secret"
    validated, built = validate_and_build(project)
    assert not marker.exists()
    assert_the_files_amounts(validated, built, project)
    assert secret.is_file()


def test_a_fifo_in_place_of_an_entry_hangs_nothing(project, tmp_path):
    folder = tmp_path / "xdg" / "generator"
    for entry in all_entries(project):
        entry.unlink()
        os.mkfifo(entry)
    shutil.rmtree(folder / "checks")
    os.mkfifo(folder / "checks")  # and one in place of a kind's folder
    (folder / "secret").unlink()
    os.mkfifo(folder / "secret")  # and of the secret
    validated, built = validate_and_build(project)  # each within 60 s (subprocess.run's timeout)
    assert_the_files_amounts(validated, built, project)
    assert (folder / "secret").is_file() and (folder / "secret").stat().st_mode & 0o777 == 0o600
    assert all(entry.is_file() for entry in all_entries(project))  # made again as regular files


def test_a_truncated_entry_is_made_again(project):
    before = generator(project, "validate")
    whole = {entry: entry.read_bytes() for entry in all_entries(project)}
    for entry, data in whole.items():
        entry.write_bytes(data[: len(data) // 2])
    validated, built = validate_and_build(project)
    assert validated.stdout == before.stdout and validated.stderr == before.stderr
    assert_the_files_amounts(validated, built, project)
    for entry, data in whole.items():
        if entry.parent.name in ("yaml", "checks", "generator-id"):
            assert entry.read_bytes() == data, entry  # made again, whole
