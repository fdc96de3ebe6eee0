"""Validated agreements kept between runs (generator/validcache.py): never stale, the same output as without.

Each test works in a copy of the shipped project (agreements/, examples/, kommuner/, and reference/ where
the test changes it) with its own cache folder, and compares what the cache gives with a fresh validation.
"""
from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.data import reference

from generator.data import validate

from generator.cache import validated as validcache
from generator.cli.main import main
from generator.errors import DataError
from generator.data.validate import load_agreement

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
    """The files validated from scratch (a cache miss), in order."""
    seen: list[Path] = []
    original = validate._load_agreement

    def counted(file, *args, **kwargs):
        seen.append(Path(file))
        return original(file, *args, **kwargs)

    monkeypatch.setattr(validate, "_load_agreement", counted)
    return seen


def entries(work: Path, kind: str = "validated") -> list[Path]:
    folder = work.parent / "cache" / "generator" / kind
    return sorted(folder.iterdir()) if folder.is_dir() else []


def content(v) -> tuple:
    """Everything a run prints or builds from a result, as comparable values."""
    allocation = v.allocation
    return (
        str(v.file), v.agreement.model_dump(), [str(w) for w in v.warnings], v.source.marks,
        None if allocation is None else [
            (i.id, i.amount, i.shared, i.notes, [(l.code, l.name, l.amount, l.key_value, l.key_total, l.steps)
                                                 for l in i.lines]) for i in allocation.items],
        None if allocation is None or allocation.outcomes is None else
        [(r.code, r.pot, r.qualified, r.count, r.coverage) for r in allocation.outcomes.rows],
        {code: (own.model_dump(), str(path)) for code, (own, path) in v.municipal.items()},
    )


_ORIGINAL = validate._load_agreement


def fresh(file: Path, **flags):
    """Validate ``file`` without any cache (an empty cache folder), with the reference lists read again."""
    import tempfile

    for loader in (reference.counties, reference.municipalities, reference.councils):
        loader.cache_clear()
    kept = os.environ["XDG_CACHE_HOME"]
    with tempfile.TemporaryDirectory() as empty:
        os.environ["XDG_CACHE_HOME"] = empty
        try:
            return _ORIGINAL(file, **flags)
        finally:
            os.environ["XDG_CACHE_HOME"] = kept


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unchanged_agreement_is_taken_from_the_cache(project, calls):
    file = Path("agreements/2012.yaml")
    first = load_agreement(file)
    assert calls == [file]
    assert len(entries(project)) == 1
    again = load_agreement(file)
    assert calls == [file]  # not validated again
    assert again is not first and content(again) == content(first) == content(fresh(file))
    assert str(again.file) == "agreements/2012.yaml"  # messages name the file as it was named


def test_the_entry_names_every_input_validation_read(project):
    """2012 reads its data files and the 2010 agreement its published table comes from; 2013 its municipalities'
    folder and their files; every agreement the reference lists."""
    load_agreement(Path("agreements/2012.yaml"))
    load_agreement(Path("agreements/2013.yaml"))
    deps = {}
    for entry in entries(project):
        _, inputs, payload = pickle.loads(entry.read_bytes())
        deps[pickle.loads(zlib.decompress(payload)).file.name] = {(kind, Path(path)) for kind, path, _, _ in inputs}
    refs = {("file", reference.REFERENCE / n) for n in ("counties.csv", "municipalities.csv", "county_councils.csv")}
    assert {("file", project / "agreements/2012.yaml"), ("file", project / "agreements/2010.yaml"),
            ("file", project / "examples/befolkning_2011_EXEMPEL.csv"),
            ("file", project / "examples/utfall_2012_EXEMPEL.csv")} | refs <= deps["2012.yaml"]
    assert {("file", project / "agreements/2013.yaml"), ("dir", project / "kommuner/2013"),
            ("file", project / "kommuner/2013/0180.yaml")} | refs <= deps["2013.yaml"]
    assert not any(path.suffix == ".py" for _, path in deps["2012.yaml"] | deps["2013.yaml"])


@pytest.mark.slow
def test_every_file_a_fresh_process_opens_is_an_input(project):
    """Traced in a new process (nothing read before, the reference lists included), each file the validation
    of each shipped agreement opens outside Python, the libraries and the generator's code is in its entry."""
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
        "from generator.data.validate import _load_agreement\n"
        "_load_agreement(Path(sys.argv[1]))\n"
        "print('\\n'.join(sorted(set(opened))))\n"
    )
    for name in ("2010.yaml", "2012.yaml", "2013.yaml", "2014/evidensbaserad_praktik.yaml"):
        file = Path("agreements") / name
        out = subprocess.run([sys.executable, "-c", script, str(file)], capture_output=True, text=True, check=True,
                             env={**os.environ}).stdout.split("\n")
        load_agreement(file)
        entry = max(entries(project), key=lambda p: p.stat().st_mtime_ns)
        _, inputs, _ = pickle.loads(entry.read_bytes())
        listed = {path for _, path, _, _ in inputs}
        read = {p for p in out if p and not validcache._own_code(p)}
        assert read and read <= listed, (name, read - listed)


@pytest.mark.parametrize("change", ["agreement", "outcomes", "population", "published_from"])
def test_a_changed_input_is_validated_again(project, calls, change):
    file = Path("agreements/2012.yaml")
    before = load_agreement(file)
    if change == "agreement":
        edit(file, "title: ", "title: Ny titel ")
    elif change == "outcomes":
        edit(Path("examples/utfall_2012_EXEMPEL.csv"), "senior_registrering;0114;ja;1553;", "senior_registrering;0114;ja;1900;")
    elif change == "population":
        edit(Path("examples/befolkning_2011_EXEMPEL.csv"), '"0114 Upplands Väsby","0-64 år",36834',
             '"0114 Upplands Väsby","0-64 år",46834')
    else:
        edit(Path("agreements/2010.yaml"), '"01": 7_000_000   # Stockholm', '"01": 6_000_000   # Stockholm')
    after = load_agreement(file)
    assert calls == [file, file]
    assert content(after) != content(before)
    assert content(after) == content(fresh(file))
    assert content(load_agreement(file)) == content(after) and len(calls) == 2  # the new result is kept


def test_a_changed_reference_list_is_validated_again(project, calls, monkeypatch):
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
def test_a_changed_municipal_file_or_folder_is_validated_again(project, calls, change):
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
    assert calls == [file, file]
    assert content(after) != content(before)
    assert content(after) == content(fresh(file))
    if change == "no folder":  # its absence is a warning, kept; the folder made again is seen
        assert any("ingen mapp" in str(w) for w in after.warnings)
        folder.mkdir()
        again = load_agreement(file)
        assert len(calls) == 3 and not any("ingen mapp" in str(w) for w in again.warnings)


def test_flags_are_part_of_the_key(project, calls):
    file = Path("agreements/2012.yaml")
    assert load_agreement(file).warnings  # 2012 has warnings: --strict refuses them
    with pytest.raises(DataError):
        load_agreement(file, strict=True)
    with pytest.raises(DataError):
        load_agreement(file, strict=True)
    assert calls == [file, file, file]  # a DataError is not kept as a success
    assert len(entries(project)) == 1


def test_an_invalid_file_is_not_kept(project, calls):
    file = Path("agreements/2011.yaml")
    edit(file, "title: ", "titel: ")
    for _ in range(2):
        with pytest.raises(DataError) as raised:
            load_agreement(file)
        assert "okänd nyckel 'titel'" in "\n".join(map(str, raised.value.findings))
    assert calls == [file, file] and entries(project) == [] and entries(project, "checked") == []


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps(("validated-0", (), b"")),
                                    pickle.dumps((validcache.FORMAT, (), pickle.dumps("something else")))])
def test_a_damaged_or_foreign_entry_is_ignored_and_replaced(project, calls, damage):
    file = Path("agreements/2012.yaml")
    good = load_agreement(file)
    (entry,) = entries(project)
    entry.write_bytes(damage)
    again = load_agreement(file)
    assert calls == [file, file] and content(again) == content(good)
    assert entry.read_bytes() != damage
    load_agreement(file)
    assert len(calls) == 2  # the replaced entry serves the next run


def test_an_entry_others_may_write_is_not_read(project, calls):
    file = Path("agreements/2012.yaml")
    load_agreement(file)
    (entry,) = entries(project)
    entry.chmod(0o666)
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
    if "--strict" not in args:  # a strict run with warnings fails, and is validated again
        assert len(calls) == count
    assert "agreements/2012.yaml: " in cold[1] + cold[2]


def test_validate_of_an_invalid_project_prints_the_same_twice(project, calls):
    edit(Path("examples/utfall_2012_EXEMPEL.csv"), "senior_registrering;0114;ja;1553;", "senior_registrering;9999;ja;1553;")
    cold = _cli("validate")
    warm = _cli("validate")
    assert cold == warm and cold[0] == 2 and "9999" in cold[2]


def test_a_changed_data_file_does_not_check_the_agreement_file_again(project, calls, monkeypatch):
    """The agreement file's own checks are kept apart: a new outcome file allocates again, on the same checks."""
    checks: list[Path] = []
    original = validate.check_agreement
    monkeypatch.setattr(validate, "check_agreement", lambda data, source, *a: checks.append(source.file)
                        or original(data, source, *a))
    file = Path("agreements/2012.yaml")
    load_agreement(file)
    edit(Path("examples/utfall_2012_EXEMPEL.csv"), "senior_registrering;0114;ja;1553;", "senior_registrering;0114;ja;1900;")
    after = load_agreement(file)
    assert calls == [file, file] and checks == [file]
    edit(file, "title: ", "title: Ny titel ")
    assert load_agreement(file).agreement.title.startswith("Ny titel")
    assert calls == [file, file, file] and checks == [file, file]
    edit(file, "title: Ny titel ", "title: ")
    assert content(load_agreement(file)) == content(after) == content(fresh(file))


def test_a_result_from_the_cache_reads_its_inputs_as_a_validation_would(project):
    """The no-change state of a build (generator/unchanged.py) holds the files the build read: a validation taken
    from the cache must read the data files, the reference lists and the municipalities' folder too."""
    from generator.build import no_change as unchanged

    load_agreement(Path("agreements/2012.yaml"))
    load_agreement(Path("agreements/2013.yaml"))
    unchanged.record()
    try:
        load_agreement(Path("agreements/2012.yaml"))
        load_agreement(Path("agreements/2013.yaml"))
        opened, scanned = set(unchanged._opened), set(unchanged._scanned)
    finally:
        unchanged.forget()
    for name in ("agreements/2012.yaml", "agreements/2010.yaml", "examples/befolkning_2011_EXEMPEL.csv",
                 "examples/utfall_2012_EXEMPEL.csv", "agreements/2013.yaml", "kommuner/2013/0180.yaml"):
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
    edit(Path("examples/utfall_2012_EXEMPEL.csv"), "senior_registrering;0114;ja;1553;", "senior_registrering;0114;ja;1900;")
    again = runner.invoke(main, args)
    assert again.exit_code == 0 and "skriven" in again.output


def test_a_changed_outcome_file_reads_the_population_file_from_the_cache(project, monkeypatch):
    from generator.money import distribute

    reads: list[Path] = []
    original = distribute.load_population
    monkeypatch.setattr(distribute, "load_population", lambda file, year: reads.append(Path(file)) or original(file, year))
    file = Path("agreements/2012.yaml")
    load_agreement(file)
    assert len(reads) == 1
    edit(Path("examples/utfall_2012_EXEMPEL.csv"), "senior_registrering;0114;ja;1553;", "senior_registrering;0114;ja;1900;")
    after = load_agreement(file)
    assert len(reads) == 1 and content(after) == content(fresh(file))
    edit(Path("examples/befolkning_2011_EXEMPEL.csv"), '"0114 Upplands Väsby","0-64 år",36834',
         '"0114 Upplands Väsby","0-64 år",46834')
    changed = load_agreement(file)
    assert len(reads) == 3  # read again (fresh() read it once too)
    assert changed.allocation.population.municipality("0114", "befolkning") == after.allocation.population.municipality(
        "0114", "befolkning") + 10_000
