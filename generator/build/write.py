"""Writing a build's files: each staged on disk as soon as it is rendered, all committed once everything rendered.

A rendered file is written at once to a temporary file beside its place (``.<name>.<random>.tmp``) and its bytes
are dropped, so a build holds no more than the document it is rendering, however many it makes. Only when every
document has been rendered are the staged files committed: the manifest first, with the entries about to change
marked ``replacing``, then each file synced to disk and renamed over its place, then the manifest without the
marks. A failed render removes the staged files (and the folders made for them): the output folder is left as
it was. A build killed at any moment leaves every file old or new, a manifest that describes either, and
perhaps temporary files, which the next build removes.
"""

from __future__ import annotations

import collections
import hashlib
import os
import tempfile
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.provenance import MANIFEST, Manifest, output_bytes, write_atomic
from generator.data.model import Agreement


@dataclass
class Written:
    """One file of a build's report: where, how large, how long it took, and whether it changed."""

    path: Path
    size: int
    seconds: float
    status: str  # "skriven" (written) | "oförändrad" (unchanged)


@dataclass
class BuildResult:
    """What a build did with one agreement's (or circular's) files."""

    agreement: Agreement | None
    written: list[Written] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # unchanged inputs: not rendered
    same: list[Path] = field(default_factory=list)  # changed inputs, the same content: left as they are


@dataclass(frozen=True)
class Staged:
    """One rendered file, out of memory: staged beside its place, or identical to the file there, or left as
    it is because its document's content did not change (``kept``)."""

    path: Path
    seconds: float
    size: int = 0
    temporary: str | None = None  # the staged file; None: there is nothing to replace
    content: str | None = None  # the digest recorded for it in the manifest (a document with provenance)
    kept: bool = False  # not given to the writers: the document's content is the file's


def make_folders(paths: Iterable[Path]) -> list[Path]:
    """Return the folders made for ``paths`` to lie in, those that were missing (:func:`remove_folders` takes
    them away again)."""
    made: list[Path] = []
    try:
        for folder in sorted({Path(path).parent for path in paths}):
            missing = []
            while not folder.is_dir():
                missing.append(folder)
                folder = folder.parent
            for folder in reversed(missing):
                folder.mkdir()
                made.append(folder)
    except BaseException:
        remove_folders(made)
        raise
    return made


def remove_folders(folders: list[Path]) -> None:
    """Remove the ``folders`` :func:`make_folders` made that are empty, the deepest first."""
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        try:
            folder.rmdir()
        except OSError:
            pass


def stage(rendered: list[tuple]) -> list[Staged]:
    """Return the rendered files of one document or table staged on disk, their bytes no longer held.

    ``rendered`` holds (path, bytes, seconds[, content digest]); bytes None: the document's content is the same
    as the file's, which is left as it is. A file identical to the one in its place is not staged either.
    """
    staged: list[Staged] = []
    try:
        for path, data, seconds, *content in rendered:
            if data is None:
                staged.append(Staged(path, seconds, kept=True))
                continue
            temporary = None if output_bytes(path, len(data)) == data else _stage_file(path, data)
            staged.append(Staged(path, seconds, len(data), temporary, content[0] if content else None))
    except BaseException:
        discard(staged)
        raise
    return staged


def _stage_file(path: Path, data: bytes) -> str:
    """Return the name of a new temporary file beside ``path`` holding ``data`` (not yet synced to disk)."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def discard(staged: Iterable[Staged]) -> None:
    """Remove the staged files not committed (those committed are already gone from their temporary names)."""
    for file in staged:
        if file.temporary is not None:
            Path(file.temporary).unlink(missing_ok=True)


def _replace(file: Staged) -> bool:
    """Return True once a staged file is synced to disk and renamed over its place; False if there was nothing
    to replace."""
    if file.temporary is None:
        return False
    fd = os.open(file.temporary, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(file.temporary, file.path)
    return True


#: How many staged files :func:`commit` syncs and renames at once.
WRITTEN_AT_ONCE = 4


def commit(
    staged: list[Staged], result: BuildResult, keys: dict[Path, tuple] | None = None, manifest: Manifest | None = None
) -> BuildResult:
    """Return ``result`` with one agreement's staged files committed, the manifest true to the files at every
    moment.

    The files left as they are (``kept``, and those in ``result.same``) only have their manifest entries learn
    the new inputs key. The manifest is written first with the new entries marked ``replacing`` (naming the
    hash of the file each replaces), then each staged file is renamed over its place, then the manifest is
    written without the marks. A build killed anywhere leaves every file old or new and a manifest that
    describes either (:meth:`Manifest.load` settles the marks). On an error the staged files are removed.
    """
    try:
        return _commit(staged, result, keys, manifest)
    finally:
        discard(staged)


def _commit(
    staged: list[Staged], result: BuildResult, keys: dict[Path, tuple] | None, manifest: Manifest | None
) -> BuildResult:
    replacing: dict[str, str | None] = {}
    recorded: set[Path] = set()  # recorded in the manifest before they were written
    result.same.extend(file.path for file in staged if file.kept)
    files = [file for file in staged if not file.kept]
    if manifest is not None:
        for path in result.same:
            if keys and path in keys:
                manifest.keep(path, keys[path][0], keys[path][2])
        for file in files:
            if file.temporary is None:  # identical to the file in its place
                continue
            path = file.path
            if keys and path in keys:
                old = output_bytes(path)
                manifest.record(
                    path, keys[path][0], Path(file.temporary).read_bytes(), keys[path][1], keys[path][2], file.content
                )
                recorded.add(path)
                replacing[manifest.name(path)] = hashlib.sha256(old).hexdigest() if old is not None else None
            else:
                manifest.forget(manifest.name(path))
        if replacing:
            write_atomic(manifest.folder / MANIFEST, manifest.to_bytes(replacing))
    # a few files at once, in threads, so that the disk syncs overlap. The manifest on disk names both hashes of
    # each file being replaced, so the order they land in does not matter; the report keeps it.
    pending: collections.deque[tuple[Staged, Future[bool]]] = collections.deque()
    with ThreadPoolExecutor(WRITTEN_AT_ONCE) as writer:
        for file in files:
            pending.append((file, writer.submit(_replace, file)))
            if len(pending) >= WRITTEN_AT_ONCE:
                _settle(*pending.popleft(), result, keys, manifest, recorded)
        while pending:
            _settle(*pending.popleft(), result, keys, manifest, recorded)
    if manifest is not None and (files or result.same):  # an agreement with nothing to write leaves it as it is
        write_atomic(manifest.folder / MANIFEST, manifest.to_bytes())
    return result


def _settle(
    file: Staged,
    future: Future[bool],
    result: BuildResult,
    keys: dict | None,
    manifest: Manifest | None,
    recorded: set[Path],
) -> None:
    """Wait for one file's rename; report it and record it in the manifest (when it has a key and is not yet)."""
    changed = future.result()
    path = file.path
    result.written.append(Written(path, file.size, file.seconds, "skriven" if changed else "oförändrad"))
    if manifest is not None and keys and path in keys and path not in recorded:
        manifest.record(path, keys[path][0], path.read_bytes(), keys[path][1], keys[path][2], file.content)
