"""An agreement file's own checks kept between runs (generator/cache/validated.py): never stale, the same output
as without, and the distribution always computed from the files as they are.

Each test works in a copy of the shipped project (agreements/, examples/, kommuner/, and reference/ where
the test changes it) with its own cache folder, and compares what the cache gives with a fresh validation.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.app import load_agreement
from generator.cache import store
from generator.cache import validated as validcache
from generator.cli.main import main
from generator.data import reference, validate
from generator.errors import DataError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the shipped project as the working directory, with an empty cache of its own."""
    work = tmp_path / "work"
    for name in ("agreements", "examples", "kommuner"):
        shutil.copytree(ROOT / name, work / name)
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return work


@pytest.fixture
def calls(monkeypatch):
    """The files whose own checks ran (a cache miss), in order."""
    seen: list[Path] = []
    original = validate.check_agreement

    def counted(data, source, *args, **kwargs):
        seen.append(Path(source.file))
        return original(data, source, *args, **kwargs)

    monkeypatch.setattr(validate, "check_agreement", counted)
    return seen


def entries(work: Path, kind: str = "checks") -> list[Path]:
    folder = work.parent / "cache" / "generator" / kind
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.is_dir() else []


def payload(entry: Path):
    """Return the JSON an entry holds (after the store's header)."""
    return json.loads(entry.read_bytes()[len(store.MAGIC) + 64 :])


def content(v) -> tuple:
    """Everything a run prints or builds from a result, as comparable values."""
    allocation = v.allocation
    return (
        str(v.file),
        v.agreement.model_dump(),
        [str(w) for w in v.warnings],
        v.source.marks,
        v.source.block_scalars,
        None
        if allocation is None
        else [
            (
                i.id,
                i.amount,
                i.shared,
                i.notes,
                [(l.code, l.name, l.amount, l.key_value, l.key_total, l.steps) for l in i.lines],
            )
            for i in allocation.items
        ],
        None
        if allocation is None or allocation.outcomes is None
        else [(r.code, r.pot, r.qualified, r.count, r.coverage) for r in allocation.outcomes.rows],
        {code: (own.model_dump(), str(path)) for code, (own, path) in v.municipal.items()},
    )


def fresh(file: Path, **flags):
    """Validate ``file`` without any cache, with the reference lists read again."""
    for loader in (reference.counties, reference.municipalities, reference.councils):
        loader.cache_clear()
    return load_agreement(file, cached=False, **flags)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unchanged_agreement_is_taken_from_the_cache(project, calls):
    file = Path("agreements/2012.yaml")
    first = load_agreement(file)
    assert calls == [file]
    assert len(entries(project)) == 1 and len(entries(project, "yaml")) == 1
    again = load_agreement(file)
    assert calls == [file]  # not checked again
    assert again is not first and content(again) == content(first) == content(fresh(file))
    assert str(again.file) == "agreements/2012.yaml"  # messages name the file as it was named


def test_an_entry_is_plain_json(project):
    """The entries hold JSON: the loaded data and its marks, the checks' findings and inputs (never pickle)."""
    load_agreement(Path("agreements/2012.yaml"))
    (checks,), (loaded,) = entries(project), entries(project, "yaml")
    assert checks.read_bytes().startswith(store.MAGIC) and loaded.read_bytes().startswith(store.MAGIC)
    assert set(payload(checks)) == {"inputs", "findings"} and set(payload(loaded)) == {
        "data",
        "marks",
        "blocks",
        "unquoted_keys",
        "unquoted_values",
    }
    assert payload(loaded)["data"]["total"] == 1_161_000_000


def test_the_entry_names_every_input_the_checks_read(project):
    """The agreement itself and the reference lists; not Python's or the generator's code."""
    load_agreement(Path("agreements/2012.yaml"))
    (entry,) = entries(project)
    deps = {(kind, Path(path)) for kind, path, _, _ in payload(entry)["inputs"]}
    refs = {("file", reference.REFERENCE / n) for n in ("counties.csv", "municipalities.csv", "county_councils.csv")}
    assert {("file", project / "agreements/2012.yaml"), ("dir", reference.REFERENCE)} | refs <= deps
    assert not any(path.suffix == ".py" for _, path in deps)


@pytest.mark.slow
def test_every_file_a_fresh_process_opens_is_an_input(project):
    """Traced in a new process (nothing read before, the reference lists included), each file the checks of each
    shipped agreement open outside Python, the libraries and the generator's code is in its entry."""
    script = (
        "import sys, os\n"
        "opened = []\n"
        "def importing():\n"  # a module imported on first use reads its own files (babel: the time zone)
        "    frame = sys._getframe(2)\n"
        "    while frame is not None and not frame.f_code.co_filename.startswith('<frozen importlib'):\n"
        "        frame = frame.f_back\n"
        "    return frame is not None\n"
        "sys.addaudithook(lambda e, a: opened.append(os.path.abspath(os.fsdecode(a[0]))) "
        "if e == 'open' and isinstance(a[0], (str, bytes, os.PathLike)) and not importing() else None)\n"
        "from pathlib import Path\n"
        "from generator.data.validate import check_file\n"
        "check_file(Path(sys.argv[1]))\n"
        "probed = {os.path.abspath(p) for p in sys.path}\n"  # the import system's probes of sys.path's entries
        "print('\\n'.join(sorted(set(opened) - probed)))\n"
    )
    for name in ("2010.yaml", "2012.yaml", "2013.yaml", "2014/evidensbaserad_praktik.yaml"):
        file = Path("agreements") / name
        out = subprocess.run(
            [sys.executable, "-c", script, str(file)], capture_output=True, text=True, check=True, env={**os.environ}
        ).stdout.split("\n")
        load_agreement(file)
        entry = max(entries(project), key=lambda p: p.stat().st_mtime_ns)
        listed = {path for _, path, _, _ in payload(entry)["inputs"]}
        read = {p for p in out if p and not validcache.own_code(p)}
        assert read and read <= listed, (name, read - listed)


def test_a_changed_agreement_is_checked_again(project, calls):
    file = Path("agreements/2012.yaml")
    before = load_agreement(file)
    edit(file, "title: ", "title: Ny titel ")
    after = load_agreement(file)
    assert calls == [file, file]
    assert content(after) != content(before) and content(after) == content(fresh(file))
    assert content(load_agreement(file)) == content(after) and len(calls) == 3  # the new result is kept (fresh ran)


@pytest.mark.parametrize("change", ["outcomes", "population", "published_from"])
def test_a_changed_data_file_is_distributed_again_on_the_same_checks(project, calls, change):
    """The distribution is never kept: a changed data file changes the result, and the file's own checks are
    not run again."""
    file = Path("agreements/2012.yaml")
    before = load_agreement(file)
    if change == "outcomes":
        edit(
            Path("examples/utfall_2012_EXEMPEL.csv"),
            "senior_registrering;0114;ja;555;",
            "senior_registrering;0114;ja;1900;",
        )
    elif change == "population":
        edit(
            Path("examples/befolkning_2011_EXEMPEL.csv"),
            '"0114 Upplands Väsby","0-64 år",36834',
            '"0114 Upplands Väsby","0-64 år",46834',
        )
    else:
        edit(Path("agreements/2010.yaml"), '"01": 7_000_000   # Stockholm', '"01": 6_000_000   # Stockholm')
    after = load_agreement(file)
    assert calls == [file]
    assert content(after) != content(before)
    assert content(after) == content(fresh(file))


def test_a_changed_reference_list_is_checked_again(project, calls, monkeypatch):
    copy = project.parent / "reference"
    shutil.copytree(reference.REFERENCE, copy)
    monkeypatch.setattr(reference, "REFERENCE", copy)
    file = Path("agreements/2012.yaml")
    before = load_agreement(file)
    edit(copy / "municipalities.csv", "0114,Upplands Väsby kommun,Upplands Väsby,", "0114,Upplands Väsby kommun,Väsby,")
    reference.municipalities.cache_clear()
    after = load_agreement(file)
    assert calls == [file, file]
    names = {l.name for i in after.allocation.items for l in i.lines if l.code == "0114"}
    assert names == {"Väsby"} and content(after) != content(before)
    assert content(after) == content(fresh(file))
    reference.municipalities.cache_clear()  # the monkeypatch puts the shipped lists back


@pytest.mark.parametrize("change", ["edit", "remove", "add", "no folder"])
def test_a_changed_municipal_file_or_folder_is_read_again(project, calls, change):
    file = Path("agreements/2013.yaml")
    folder = Path("kommuner/2013")
    before = load_agreement(file)
    assert set(before.municipal) == {"0180"}
    if change == "edit":
        edit(folder / "0180.yaml", "dnr: 327-1866/2012", "dnr: 327-1866/2013")
    elif change == "remove":
        (folder / "0180.yaml").unlink()
    elif change == "add":
        (folder / "0114.yaml").write_text('kommun: "0114"\n', encoding="utf-8")
    else:
        shutil.rmtree(folder)
    after = load_agreement(file)
    assert calls == [file]
    assert content(after) != content(before)
    assert content(after) == content(fresh(file))
    if change == "no folder":  # its absence is a warning; the folder made again is seen
        assert any("ingen mapp" in str(w) for w in after.warnings)
        folder.mkdir()
        again = load_agreement(file)
        assert not any("ingen mapp" in str(w) for w in again.warnings)


def test_flags_are_part_of_the_key(project, calls):
    file = Path("agreements/2012.yaml")
    assert load_agreement(file).warnings  # 2012 has warnings: --strict refuses them
    for _ in range(2):
        with pytest.raises(DataError):
            load_agreement(file, strict=True)
    assert calls == [file]  # --strict is applied to the checks' findings, kept once
    assert len(entries(project)) == 1
    load_agreement(file, sums_as_warnings=True)
    assert calls == [file, file] and len(entries(project)) == 2


def test_an_invalid_file_is_not_kept(project, calls):
    file = Path("agreements/2011.yaml")
    edit(file, "title: ", "titel: ")
    for _ in range(2):
        with pytest.raises(DataError) as raised:
            load_agreement(file)
        assert "okänd nyckel 'titel'" in "\n".join(map(str, raised.value.findings))
    assert calls == [file, file] and entries(project) == []


def test_a_file_that_is_not_yaml_is_not_kept(project):
    file = Path("agreements/2011.yaml")
    file.write_text("not: [yaml", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DataError, match="inte giltig YAML"):
            load_agreement(file)
    assert entries(project) == [] and entries(project, "yaml") == []


def _swapped(project: Path, entry: Path) -> bytes:
    """Return the bytes of another entry of the same kind (the store binds an entry to its name)."""
    load_agreement(Path("agreements/2011.yaml"))
    return next(p for p in entries(project, entry.parent.name) if p != entry).read_bytes()


@pytest.mark.parametrize("kind", ["checks", "yaml"])
@pytest.mark.parametrize("damage", ["empty", "garbage", "truncated", "payload changed", "pickle", "swapped"])
def test_a_damaged_or_foreign_entry_is_ignored_and_replaced(project, calls, kind, damage):
    file = Path("agreements/2012.yaml")
    good = load_agreement(file)
    (entry,) = entries(project, kind)
    data = entry.read_bytes()
    damaged = {
        "empty": b"",
        "garbage": b"not an entry",
        "truncated": data[: len(data) // 2],
        "payload changed": data.replace(b"1161000000", b"1162000000")
        if kind == "yaml"
        else data.replace(b'"warning"', b'"error"', 1),
        "pickle": data[: len(store.MAGIC) + 64] + pickle.dumps({"data": {}}),
        "swapped": b"",
    }[damage]
    if damage == "swapped":
        damaged = _swapped(project, entry)
        del calls[1:]  # 2011's checks
    assert damaged != data
    entry.write_bytes(damaged)
    again = load_agreement(file)
    assert content(again) == content(good)
    assert calls == ([file, file] if kind == "checks" else [file])  # the checks entry still serves
    assert entry.read_bytes() == data  # replaced by the same entry, made again
    load_agreement(file)
    assert len(calls) == (2 if kind == "checks" else 1)  # the replaced entry serves the next run


def test_an_entry_others_may_write_is_not_read(project, calls):
    file = Path("agreements/2012.yaml")
    load_agreement(file)
    (entry,) = entries(project)
    entry.chmod(0o666)
    load_agreement(file)
    assert len(calls) == 2


def test_an_entry_of_another_secret_is_not_read(project, calls):
    """Entries are verified with the user's secret: one made with another (a copied cache folder) is made again."""
    file = Path("agreements/2012.yaml")
    load_agreement(file)
    secret = project.parent / "cache" / "generator" / "secret"
    assert secret.stat().st_mode & 0o777 == 0o600 and len(secret.read_bytes()) == 32
    secret.write_bytes(os.urandom(32))
    store._SECRETS.clear()  # a new process
    load_agreement(file)
    assert len(calls) == 2


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("args", [("validate",), ("validate", "--strict"), ("validate", "agreements/2012.yaml")])
def test_validate_prints_the_same_with_and_without_the_cache(project, calls, args):
    cold = _cli(*args)
    count = len(calls)
    assert count >= 7 or args[-1].endswith(".yaml")
    warm = _cli(*args)
    assert warm == cold
    assert len(calls) == count  # the checks were taken from the cache (a strict run applies --strict to them)
    assert "agreements/2012.yaml: " in cold[1] + cold[2]


def test_validate_of_an_invalid_project_prints_the_same_twice(project, calls):
    edit(
        Path("examples/utfall_2012_EXEMPEL.csv"),
        "senior_registrering;0114;ja;555;",
        "senior_registrering;9999;ja;1553;",
    )
    cold = _cli("validate")
    warm = _cli("validate")
    assert cold == warm and cold[0] == 2 and "9999" in cold[2]


def test_a_result_from_the_cache_reads_its_inputs_as_a_validation_would(project):
    """The no-change state of a build (generator/build/no_change.py) holds the files the build read: a validation
    whose checks are taken from the cache must read the data files, the reference lists and the municipalities'
    folder too."""
    from generator.build import no_change as unchanged

    load_agreement(Path("agreements/2012.yaml"))
    load_agreement(Path("agreements/2013.yaml"))
    unchanged.record()
    try:
        load_agreement(Path("agreements/2012.yaml"))
        load_agreement(Path("agreements/2013.yaml"))
        opened, scanned = set(unchanged._recording.files), set(unchanged._recording.folders)
    finally:
        unchanged.forget()
    for name in (
        "agreements/2012.yaml",
        "agreements/2010.yaml",
        "examples/befolkning_2011_EXEMPEL.csv",
        "examples/utfall_2012_EXEMPEL.csv",
        "agreements/2013.yaml",
        "kommuner/2013/0180.yaml",
    ):
        assert str(project / name) in opened, name
    assert {str(reference.REFERENCE / n) for n in ("counties.csv", "municipalities.csv")} <= opened
    assert str(project / "kommuner/2013") in scanned


@pytest.mark.slow
def test_a_no_change_rebuild_after_a_cached_validation_sees_a_changed_data_file(project):
    """End to end: the build that leaves the no-change state validated from the cache; a changed outcome file
    after it builds again (a letter changes) instead of answering from that state."""
    runner = CliRunner()
    args = ["build", "2012", "--no-municipal", "--format", "docx", "--out", "out"]
    assert runner.invoke(main, args).exit_code == 0
    assert "0 filer renderade" in runner.invoke(main, args).output  # leaves the state; validated from the cache
    edit(
        Path("examples/utfall_2012_EXEMPEL.csv"),
        "senior_registrering;0114;ja;555;",
        "senior_registrering;0114;ja;1900;",
    )
    again = runner.invoke(main, args)
    assert again.exit_code == 0 and "skriven" in again.output
