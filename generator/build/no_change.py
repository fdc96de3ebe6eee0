"""A rebuild with nothing to do, answered without validating again.

A build that rendered nothing (every document's inputs unchanged) leaves,
before the documents' entries in ``OUT/manifest.json``: a key of its options, every file it read (its blob
id), the times of the folders it searched (a new or removed agreement file
changes them), the hash of every file under OUT/ with its signature (a file whose size, times and inode are
the same is not read again: generator.build.provenance.file_sha256), the hash of the rest of the manifest, and what
it printed. The next build with the same options first checks these; if every one is as it
was, the build would again render nothing and print the same, so it prints
that and stops: no validation, no templates, no writers loaded. Any
difference, and the build runs as usual (and records a new state when it
again renders nothing).

Which files a build read is taken from Python's own audit events (``open``, recorded by
:mod:`generator.cache.inputs`), so a data file the validator reads is covered without listing it here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from generator.build.provenance import MANIFEST
from generator.cache import inputs, store

STATE = "unchanged"  # the key in the manifest (a build that writes the manifest drops it)
_PACKAGE = Path(__file__).resolve().parents[1]

#: What the build this process runs read: started by :func:`record`, taken by :func:`save` or :func:`forget`.
_recording: inputs.Recording | None = None


def _skip() -> tuple[str, ...]:
    """The folders whose files are never inputs: Python's, the generator's code, and the private cache."""
    return tuple(
        {str(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, _PACKAGE)}
        | {str(store.folder().resolve()) + os.sep}
    )


def record() -> None:
    """Start noting the files this process opens for reading (:mod:`generator.cache.inputs`)."""
    global _recording
    if _recording is None:
        _recording = inputs.start()


def _inputs(files: set[str], out: Path) -> dict[str, str]:
    out_prefix = str(out.resolve()) + os.sep
    skip = _skip()
    ids = {}
    for name in sorted(files):
        if name.startswith(out_prefix) or name.startswith(skip) or name.startswith(("/proc/", "/dev/", "/sys/")):
            continue
        ident = _blob(Path(name))
        if ident is not None:
            ids[name] = ident
    return ids


def _blob(path: Path) -> str | None:
    """Return the blob id of the regular file ``path``; None for anything else (a crafted state names no device or
    giant) or a file that cannot be read."""
    try:
        data = inputs.regular_file_bytes(path)
    except OSError:
        return None
    return store.blob_id(data) if data is not None else None


def _folders(roots: list[Path], scanned: Iterable[str] = frozenset(), out: Path | None = None) -> dict[str, int]:
    """Return the modification time of every folder under ``roots`` and of each folder in ``scanned``."""
    times = {}
    out_prefix = str(out.resolve()) + os.sep if out is not None else None
    skip = _skip()
    for name in scanned:
        if (
            (name + os.sep).startswith(skip)
            or (out_prefix and (name + os.sep).startswith(out_prefix))
            or not os.path.isdir(name)
        ):
            continue
        times[str(Path(name).resolve())] = os.stat(name).st_mtime_ns
    for root in roots:
        if not root.is_dir():
            times[str(root.resolve())] = -1
            continue
        for folder, dirs, _ in os.walk(root):
            dirs.sort()
            times[str(Path(folder).resolve())] = os.stat(folder).st_mtime_ns
    return times


def _mtime(folder: str) -> int:
    try:
        return os.stat(folder).st_mtime_ns if os.path.isdir(folder) else -1
    except OSError:
        return -1


def _outputs(out: Path, signatures: dict[str, list]) -> dict[str, str]:
    """Return the sha256 of every regular file under ``out`` but the manifest; a file whose signature (size, times,
    inode) is the one in ``signatures`` is not read again (generator.build.provenance.file_sha256), a new one is
    noted."""
    from generator.build.provenance import file_sha256

    hashes = {}
    for folder, dirs, files in os.walk(out):
        dirs.sort()
        relative = os.path.relpath(folder, out)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        for name in sorted(files):
            if name == MANIFEST and not prefix:
                continue
            sha = file_sha256(os.path.join(folder, name), signatures, prefix + name, limit=None)
            if sha is not None:
                hashes[prefix + name] = sha
    return hashes


def _signatures(manifest: dict) -> dict[str, list]:
    from generator.build.provenance import checked_signatures

    return checked_signatures(manifest.get("signatures"))


#: How a manifest with a state begins: the state first (ASCII), so that a rebuild reads it without parsing the
#: documents' entries, and checks those by the hash of the bytes that follow it.
_HEAD = b'{"unchanged": '


def _key(options: dict) -> str:
    from generator.build.provenance import generator_id

    context = {
        **options,
        "generator": generator_id(),
        "python": sys.version,
        "cwd": os.getcwd(),
        "day": dt.date.today().isoformat(),
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH"),
    }
    return hashlib.sha256(json.dumps(context, sort_keys=True, default=str).encode()).hexdigest()


def _documents(rest: bytes) -> str:
    """Return the hash of the manifest's bytes after its state: the documents' entries and the signatures."""
    return hashlib.sha256(rest).hexdigest()


def replay(out: Path, options: dict, roots: list[Path]) -> str | None:
    """Return what the last build printed if it rendered nothing and nothing it depends on changed; else None."""
    from generator.build.provenance import output_bytes

    data = output_bytes(out / MANIFEST)
    if data is None or not data.startswith(_HEAD):
        return None
    try:
        state, end = json.JSONDecoder().raw_decode(data.decode("ascii", "replace"), len(_HEAD))
        if state.get("key") != _key(options) or state.get("documents") != _documents(data[end:]):
            return None
        folders = state.get("folders", {})
        if any(_mtime(name) != when for name, when in folders.items()) or not set(_folders(roots)) <= set(folders):
            return None
        if any(_blob(Path(name)) != ident for name, ident in state.get("inputs", {}).items()):
            return None
        recorded = state["outputs"]  # file → [its signature …, sha256] (or [sha256]: a file changed just before)
        signatures = _signatures({"signatures": recorded})
        trusted = len(signatures)
        if _outputs(out, signatures) != {name: known[-1] for name, known in recorded.items()}:
            return None
        if len(signatures) > trusted:  # files written just before the state was saved, steady now: noted, so that
            state["outputs"] = {name: signatures.get(name, known) for name, known in recorded.items()}
            _refresh(out, data, _HEAD + json.dumps(state, ensure_ascii=True, sort_keys=True).encode() + data[end:])
        return str(state["printed"])  # the next rebuild reads none of them
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        return None


def _refresh(out: Path, old: bytes, new: bytes) -> None:
    """Replace the manifest ``old`` by ``new`` if no build holds the output folder and it is still ``old``.

    Best effort, without waiting: a rebuild that finds nothing to do never waits for another build.
    """
    import fcntl

    from generator.build.provenance import output_bytes, write_atomic

    try:
        fd = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # generator.build.guards.build_lock's lock
        if output_bytes(out / MANIFEST) == old:
            write_atomic(out / MANIFEST, new)
    except OSError:
        pass
    finally:
        os.close(fd)


def save(out: Path, options: dict, roots: list[Path], printed: str) -> None:
    """Record the state after a build that rendered nothing (see the module's description)."""
    from generator.build.provenance import output_bytes, write_atomic

    global _recording
    recording, _recording = _recording, None
    if recording is not None:
        recording.stop()
    files = set(recording.files) if recording is not None else set()
    scanned = set(recording.folders) if recording is not None else set()
    data = output_bytes(out / MANIFEST)
    try:
        manifest = json.loads(data) if data is not None else None
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("documents"), dict):
        return
    manifest.pop(STATE, None)
    signatures = _signatures(manifest)
    outputs = _outputs(out, signatures)
    manifest["signatures"] = signatures  # the manifest's own checks (generator.build.provenance.Manifest) use them too
    rest = b"," + json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)[1:].encode() + b"\n"
    state = {
        "key": _key(options),
        "documents": _documents(rest),
        "folders": _folders(roots, scanned, out),
        "inputs": _inputs(files, out),
        "printed": printed,
        "outputs": {name: signatures.get(name, [sha]) for name, sha in outputs.items()},
    }
    write_atomic(out / MANIFEST, _HEAD + json.dumps(state, ensure_ascii=True, sort_keys=True).encode() + rest)


def forget() -> None:
    """Stop noting opened files (the build rendered something: the manifest it wrote holds no state)."""
    global _recording
    if _recording is not None:
        _recording.stop()
    _recording = None
