"""An agreement file's own checks kept between runs: what they found, and every input they read.

Every command checks each agreement file before anything else (:func:`generator.data.validate.check_file`: the
schema and the checks of the file on its own); for an unchanged file that is the same work with the same result
every time. :func:`check_file` is that function with a cache (:mod:`generator.cache.store`): an entry is found
by the generator (its code and fonts), the libraries that validate, the flags, the file as named, the working
directory and the file's bytes, and holds, as JSON, the findings (warnings: a file with an error is never kept)
and every other input the checks read, each with its content hash. It is used only while each of those inputs is
as it was. The file's data itself comes from the loaded-YAML cache (:mod:`generator.cache.loaded_yaml`) and is
validated by the schema again (pydantic's ``model_validate``), so a result taken from the cache is the model of
the file's own bytes; only the checks' verdict is taken from the entry, which the store verifies.

What is computed from the data files (the distribution, :func:`generator.app.load_agreement`) is never kept: it is
computed again every time, from the files as they are.

The inputs are not listed by hand: while the checks run, every file opened for reading and every folder listed is
recorded (:mod:`generator.cache.inputs`), and added to that, what a process reads only once (the reference
lists). The library's and the generator's own code is left out: the key names it. A file that changes while it
is checked, or an input that cannot be read back, keeps nothing. A result taken from the cache reads each of its
inputs again to compare it, and notes them as read (so the no-change state of a build,
:mod:`generator.build.no_change`, holds them as if they had been checked).
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.cache import inputs, loaded_yaml, store
from generator.data import validate
from generator.data.loading import MAX_YAML_BYTES, SourceMap, read_data
from generator.data.model import Agreement
from generator.errors import Finding, Location, Report

KIND = "checks"
#: The layout of an entry; a different one is not read.
FORMAT = b"checks-json-1"
_SEVERITIES = ("error", "warning")


def check_file(file: Path, sums_as_warnings: bool = False) -> tuple[SourceMap, Agreement | None, Report]:
    """Return :func:`generator.data.validate.check_file` of ``file``, from the cache when every input its checks
    read is unchanged; keep a result without errors."""
    file = Path(file)
    raw = read_data(file, MAX_YAML_BYTES, "filen")  # a link out of the project, device, pipe or giant: refused here
    try:
        name = _key(file, raw, b"sums_as_warnings" if sums_as_warnings else b"")
    except OSError:  # no working directory (removed under us): nothing is looked up or kept
        return _check(raw, file, sums_as_warnings)
    source = store.made_from(raw)
    found = _found(store.read_json(KIND, name, source), raw, file)
    if found is not None:
        return found
    with inputs.start() as recording:
        result = _check(raw, file, sums_as_warnings)
    marks, agreement, report = result
    if agreement is not None and not report.errors:
        try:
            entry = _entry(file, raw, recording, report)
        except Exception:  # keeping a result must never fail a check that succeeded
            entry = None
        if entry is not None:
            store.write_json(KIND, name, source, entry)
    return result


def _check(raw: bytes, file: Path, sums_as_warnings: bool) -> tuple[SourceMap, Agreement | None, Report]:
    data, marks = loaded_yaml.load_bytes(raw, file)
    return (marks, *validate.check_agreement(data, marks, sums_as_warnings))


def _key(file: Path, raw: bytes, flags: bytes) -> str:
    import jinja2
    import pydantic
    import yaml

    versions = (sys.version, pydantic.VERSION, getattr(jinja2, "__version__", "?"), getattr(yaml, "__version__", "?"))
    libraries = "|".join(map(str, versions)).encode()
    return store.key(FORMAT, libraries, flags, os.fsencode(str(file)), os.fsencode(os.getcwd()), raw)


# --------------------------------------------------------------------------- an entry


def _found(entry: Any, raw: bytes, file: Path) -> tuple[SourceMap, Agreement, Report] | None:
    """Return the result an entry stands for if its inputs are all unchanged; None otherwise (stale, foreign)."""
    if not isinstance(entry, dict):
        return None
    try:
        deps = [
            (kind, path, real, state if not isinstance(state, list) else tuple(state))
            for kind, path, real, state in entry["inputs"]
        ]
        findings = [_finding(item) for item in entry["findings"]]
    except (ValueError, TypeError, KeyError):
        return None
    if not all(isinstance(path, str) and isinstance(real, str) for _, path, real, _ in deps) or not _current(deps):
        return None
    try:
        data, marks = loaded_yaml.load_bytes(raw, file)
        agreement = Agreement.model_validate(data)
    except Exception:  # it validated when the entry was made: anything else is checked from scratch
        return None
    for kind, path, _, _ in deps:
        inputs.note(kind, path)
    return marks, agreement, Report(findings)


def _finding(item: Any) -> Finding:
    file, line, column, message, path, severity, hint = item
    if not (
        isinstance(file, str)
        and all(type(n) is int or n is None for n in (line, column))
        and all(isinstance(t, str) for t in (message, path, hint))
        and severity in _SEVERITIES
    ):
        raise ValueError("not a finding")
    return Finding(Location(Path(file), line, column), message, path, severity, hint)


def _plain(finding: Finding) -> list:
    where = finding.location
    return [str(where.file), where.line, where.column, finding.message, finding.path, finding.severity, finding.hint]


def _entry(file: Path, raw: bytes, recording: inputs.Recording, report: Report) -> dict | None:
    """Return the entry for a result, or None if an input changed while it was read (or cannot be told)."""
    from generator.data.reference import REFERENCE

    own = os.path.abspath(file)
    if recording.unknown:
        return None
    read = {path: ("file", seen) for path, seen in recording.files.items()}
    read.update({path: ("dir", seen) for path, seen in recording.folders.items()})
    wanted = {path: kind for path, (kind, _) in read.items() if not own_code(path)}
    # read once per process, perhaps by an earlier file: the reference lists
    wanted.setdefault(str(REFERENCE), "dir")
    for csv in sorted(REFERENCE.glob("*.csv")):
        wanted.setdefault(str(csv), "file")
    wanted[own] = "file"  # read before the recording started, as its bytes ``raw``
    deps = []
    for path in sorted(wanted):
        kind = wanted[path]
        state = _state(kind, path)
        seen = read[path][1] if path in read else inputs.first_seen.get(path, ())
        if state is False or (path != own and seen != () and inputs.stat_of(path) != seen):
            return None  # unreadable, or changed since it was read
        deps.append([kind, path, os.path.realpath(path), list(state) if isinstance(state, tuple) else state])
    if _state("file", own) != store.blob_id(raw):
        return None  # changed since it was read
    return {"inputs": deps, "findings": [_plain(f) for f in report.findings]}


def _state(kind: str, path: str) -> Any:
    """Return what the checks saw of ``path``: a file's blob id, a folder's sorted names, None if absent; False if
    it cannot be read now (never equal to what is stored). Read every time (no memo): a result taken from the
    cache opens and lists what its checks would have, so that a recording under way sees them too."""
    try:
        if kind == "dir":
            return tuple(sorted(os.listdir(path))) if os.path.isdir(path) else None
        if not os.path.isfile(path):
            return None
        data = inputs.regular_file_bytes(path)
        return store.blob_id(data) if data is not None else False
    except OSError:
        return False


def _current(deps: list) -> bool:
    """Return True if every input is as it was when the entry was made."""
    for kind, path, real, state in deps:
        if kind not in ("file", "dir") or os.path.realpath(path) != real or _state(kind, path) != state:
            return False
    return True


@lru_cache(maxsize=1)
def _libraries() -> tuple[str, ...]:
    """The folders of Python's and the libraries' files, each ending in a separator."""
    import sysconfig

    folders = {sysconfig.get_path(name) for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    return tuple(os.path.join(os.path.realpath(f), "") for f in sorted(folders))


def own_code(path: str) -> bool:
    """Return True for a file the key already stands for: the generator's code and fonts, Python's and the
    libraries' files (their versions are in the key), compiled modules, and the cache itself."""
    real = os.path.realpath(path)
    if "__pycache__" in Path(real).parts or real.startswith(_libraries()):
        return True
    if real.startswith(os.path.join(os.path.realpath(store.folder()), "")):
        return True
    return real.startswith(os.path.join(str(store.PACKAGE), "")) and Path(real).suffix in (".py", ".ttf")
