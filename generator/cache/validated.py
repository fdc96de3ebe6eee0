"""Validated agreements kept between runs, in the private per-user cache (:func:`provenance.cache_folder`).

Also, apart, each agreement file's own checks and each population file read (:func:`cached`'s kinds).

Every command validates each agreement file and computes its allocation before anything else; for an
unchanged file that is the same work with the same result every time. An entry is found by the generator
(its code and fonts), the libraries that validate, the flags, the file as named, the working directory and
the agreement's bytes; it holds every other input that validation read, each with its content hash, and the
:class:`~generator.data.validate.Validated` result. It is used only while each of those inputs is as it was: the
data files (population, outcome, key CSVs), another agreement a published table is taken from, the
municipalities' own files and their folder, the reference lists.

The inputs are not listed by hand: while an agreement is validated, every file opened for reading and every
folder listed is recorded (a Python audit hook), and added to that, what a process reads only once (the
reference lists) and what is looked for without being opened (the folder of the municipalities' own files,
whose absence is a warning). The library's and the generator's own code is left out: the key names it. A
file that changes while it is validated, or an input that cannot be read back, keeps nothing. A result taken
from the cache reads each of its inputs again to compare it (and so a build's record of the files it read,
:mod:`generator.build.no_change`, holds them as if they had been validated).

Only a file that validates is kept (a DataError is computed again, with its messages). A damaged or
foreign entry is ignored and replaced. Nothing here is an input of any document.
"""
from __future__ import annotations

import os
import pickle
import stat
import sys
import zlib
from pathlib import Path
from functools import lru_cache
from typing import Any, Callable

#: The layout of an entry; a different one is not read.
FORMAT = b"validated-2"

_recorders: list[dict[str, tuple]] = []  # one per validation under way: path → (kind, stat before it was read)
_first: dict[str, tuple | None] = {}  # path → its stat when a validation of this process first read it
_hooked = False


def _stat(path: str) -> tuple | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_mode


def _hook(event: str, args: tuple) -> None:
    """Record every file opened and every folder listed while a validation is under way (an audit hook)."""
    if not _recorders or event not in ("open", "os.listdir", "os.scandir"):
        return
    try:
        path = args[0] if args and args[0] is not None else "."
        if isinstance(path, int):  # an open file descriptor: its file was recorded when it was opened
            return
        where = os.path.abspath(os.fsdecode(path))
        before = _stat(where)
        _first.setdefault(where, before)
        for recorder in _recorders:
            recorder.setdefault(where, ("file" if event == "open" else "dir", before))
    except Exception:  # never fail the open; but what was read is not known now, so nothing is kept
        for recorder in _recorders:
            recorder[""] = ("unknown", None)


@lru_cache(maxsize=1)
def _libraries() -> tuple[str, ...]:
    """The folders of Python's and the libraries' files, each ending in a separator."""
    import sysconfig

    folders = {sysconfig.get_path(name) for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    return tuple(os.path.join(os.path.realpath(f), "") for f in sorted(folders))


def _own_code(path: str) -> bool:
    """Return True for a file the key already stands for: the generator's code and fonts, Python's and the
    libraries' files (their versions are in the key), compiled modules, and the cache itself."""
    from generator.build.provenance import PACKAGE, cache_folder

    real = os.path.realpath(path)
    if "__pycache__" in Path(real).parts or real.startswith(_libraries()):
        return True
    if real.startswith(os.path.join(os.path.realpath(cache_folder()), "")):
        return True
    return real.startswith(os.path.join(str(PACKAGE), "")) and Path(real).suffix in (".py", ".ttf")


def _state(kind: str, path: str) -> Any:
    """Return what validation saw of ``path``: a file's blob id, a folder's sorted names, None if absent.

    Each is read here every time (no per-process memo): a result taken from the cache opens and lists what its
    validation would have, so what watches the files a build reads (:mod:`generator.build.no_change`) sees them too.
    """
    from generator.build.provenance import blob_id

    try:
        if kind == "dir":
            return tuple(sorted(os.listdir(path))) if os.path.isdir(path) else None
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as handle:
            return blob_id(handle.read())
    except OSError:
        return False  # unreadable now: never equal to what is stored


def _current(deps: tuple) -> bool:
    """Return True if every input is as it was when the entry was made."""
    for kind, path, real, state in deps:
        if os.path.realpath(path) != real or _state(kind, path) != state:
            return False
    return True


def _key(file: Path, raw: bytes, flags: bytes) -> str:
    import jinja2
    import pydantic
    import yaml

    from generator.build.provenance import cache_key

    versions = (sys.version, pydantic.VERSION, getattr(jinja2, "__version__", "?"), getattr(yaml, "__version__", "?"))
    libraries = "|".join(map(str, versions)).encode()
    return cache_key(FORMAT, libraries, flags, os.fsencode(str(file)), os.fsencode(os.getcwd()), raw)


def _extra_inputs(result: Any) -> list[tuple[str, str]]:
    """Inputs that tracing the opens does not see: the reference lists (read once per process, maybe by an
    earlier file) and the folder of the municipalities' own files (its absence is only a warning)."""
    from generator.data.reference import REFERENCE

    extra = [("dir", str(REFERENCE))]
    extra += [("file", str(p)) for p in sorted(REFERENCE.glob("*.csv"))]
    agreement = getattr(result, "agreement", None)
    if agreement is not None and agreement.municipal_statement is not None:
        from generator.data.municipal import folder

        extra.append(("dir", os.path.abspath(folder(agreement, result.file))))
    return extra


def cached(kind: str, load: Callable[..., Any], file: Path, flags: tuple, accept: Callable[[Any], bool]) -> Any:
    """Return ``load(file, *flags)``, from the cache when every input it read is unchanged; keep a result.

    ``kind`` names the cache's subfolder (``validated``: :func:`validate.load_agreement`; ``checked``: the
    agreement file's own checks, kept apart so that a changed data file does not check it again; ``population``:
    a population file read, for a year whose outcome file changed); ``accept``
    tells a result of that kind (and one worth keeping) from anything else an entry may hold.
    """
    global _hooked
    from generator.data.loading import MAX_YAML_BYTES
    from generator.build.provenance import cache_read, cache_write

    try:
        before = _stat(os.path.abspath(file))
    except OSError:  # no working directory (removed under us): load() says what is wrong
        return load(file, *flags)
    if before is None or not stat.S_ISREG(before[4]) or before[1] > MAX_YAML_BYTES:
        return load(file, *flags)  # refused by load(), with its message; a device or pipe is not opened here
    try:
        with open(file, "rb") as handle:
            raw = handle.read(MAX_YAML_BYTES + 1)
    except (OSError, ValueError):
        return load(file, *flags)
    try:
        key = _key(file, raw, kind.encode() + b"\0" + repr(flags).encode())
    except OSError:  # no working directory (removed under us): nothing is looked up or kept
        return load(file, *flags)
    found = _read(cache_read(kind, key), accept)
    if found is not None:
        return found
    if not _hooked:
        sys.addaudithook(_hook)
        _hooked = True
    recorder: dict[str, tuple] = {}
    _recorders.append(recorder)
    try:
        result = load(file, *flags)  # a DataError passes through: nothing is kept
    finally:
        _recorders.remove(recorder)
    try:
        payload = _entry(file, raw, before, recorder, result) if accept(result) else None
    except Exception:  # keeping a result must never fail a validation that succeeded
        payload = None
    if payload is not None:
        cache_write(kind, key, payload)
    return result


def _read(data: bytes | None, accept: Callable[[Any], bool]) -> Any:
    """Return the result of an entry whose inputs are all unchanged, else None (damaged, foreign, stale)."""
    if data is None:
        return None
    try:
        form, deps, payload = pickle.loads(data)
        if form != FORMAT or not _current(deps):
            return None
        result = pickle.loads(zlib.decompress(payload))
    except Exception:  # damaged or written by another layout: validated again and replaced
        return None
    if not accept(result):
        return None
    for recorder in _recorders:  # a validation under way that took this from the cache read these inputs too
        for kind, path, _, _ in deps:
            recorder.setdefault(path, (kind, _stat(path)))
    return result


def _entry(file: Path, raw: bytes, before: tuple, recorder: dict, result: Any) -> bytes | None:
    """Return the bytes of an entry for ``result``, or None if an input changed while it was read."""
    from generator.build.provenance import blob_id

    own = os.path.abspath(file)
    if _stat(own) != before:
        return None
    try:  # now, before anyone changes it; compressed (a fifth of the size: 2012's is 120 kB)
        payload = zlib.compress(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), 1)
    except Exception:
        return None
    if "" in recorder:
        return None
    inputs = {path: kind for path, (kind, _) in recorder.items() if not _own_code(path)}
    for kind, path in _extra_inputs(result):
        inputs.setdefault(path, kind)
    deps = []
    for path in sorted(inputs):
        kind = inputs[path]
        state = _state(kind, path)
        seen = recorder[path][1] if path in recorder else _first.get(path, ())
        if state is False or (seen != () and _stat(path) != seen):
            return None  # unreadable, or changed since it was read
        deps.append((kind, path, os.path.realpath(path), state))
    if own not in inputs or _state("file", own) != blob_id(raw):
        return None  # the agreement itself must be among them, as it was keyed
    return pickle.dumps((FORMAT, tuple(deps), payload), protocol=pickle.HIGHEST_PROTOCOL)
