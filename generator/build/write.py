"""Writing a build's files once everything rendered, each atomically, the manifest true to them at every moment."""
from __future__ import annotations

import collections
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.provenance import MANIFEST, Manifest, output_bytes, write_atomic
from generator.data.model import Agreement


@dataclass
class Written:
    path: Path
    size: int
    seconds: float
    status: str  # "skriven" (written) | "oförändrad" (unchanged)


@dataclass
class BuildResult:
    agreement: Agreement | None
    written: list[Written] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # unchanged inputs: not rendered
    same: list[Path] = field(default_factory=list)  # changed inputs, the same content: left as they are



def write_all(rendered: list[tuple], result: BuildResult, keys: dict[Path, tuple] | None = None,
               manifest: Manifest | None = None) -> BuildResult:
    """Write the rendered files, keeping the manifest true to the files at every moment.

    ``rendered`` holds (path, bytes, seconds[, content digest]); bytes None: the document's content is the
    same as the file's, which is left as it is (as are the files in ``result.same``), and only its manifest
    entry learns the new inputs key. Nothing is written until everything rendered. The manifest is written
    first with the new entries marked ``replacing`` (naming the hash of the file each replaces), then each
    file is replaced atomically, then the manifest is written without the marks. A build killed anywhere
    leaves every file old or new and a manifest that describes either (:meth:`Manifest.load` settles the marks).
    """
    replacing: dict[str, str | None] = {}
    recorded: set[Path] = set()  # recorded in the manifest before they were written
    kept = [path for path, data, *_ in rendered if data is None]
    result.same.extend(kept)
    rendered = [file for file in rendered if file[1] is not None]
    if manifest is not None:
        for path in result.same:
            if keys and path in keys:
                manifest.keep(path, keys[path][0], keys[path][2])
        for path, data, _, *content in rendered:
            old = output_bytes(path)
            if old == data:
                continue
            if keys and path in keys:
                manifest.record(path, keys[path][0], data, keys[path][1], keys[path][2], *content)
                recorded.add(path)
                replacing[manifest.name(path)] = hashlib.sha256(old).hexdigest() if old is not None else None
            else:
                manifest.forget(manifest.name(path))
        if replacing:
            write_atomic(manifest.folder / MANIFEST, manifest.to_bytes(replacing))
    # each file is staged beside its place (written and synced to disk) and renamed over it (write_atomic); a few
    # at once, in threads, so that the disk syncs overlap: a build killed at any moment leaves at most
    # WRITTEN_AT_ONCE temporary files (the next build removes them), never hundreds. The manifest on disk names
    # both hashes of each file being replaced, so the order they land in does not matter; the report keeps it.
    pending: collections.deque = collections.deque()
    with ThreadPoolExecutor(WRITTEN_AT_ONCE) as writer:
        for file in rendered:
            pending.append((file, writer.submit(write_atomic, file[0], file[1])))
            if len(pending) >= WRITTEN_AT_ONCE:
                _settle(*pending.popleft(), result, keys, manifest, recorded)
        while pending:
            _settle(*pending.popleft(), result, keys, manifest, recorded)
    if manifest is not None and (rendered or result.same):  # an agreement with nothing to write leaves it as it is
        write_atomic(manifest.folder / MANIFEST, manifest.to_bytes())
    return result


#: How many files :func:`write_all` writes at once.
WRITTEN_AT_ONCE = 4


def _settle(file: tuple, future, result: BuildResult, keys: dict | None, manifest: Manifest | None,
            recorded: set[Path]) -> None:
    """Wait for one file's write; report it and record it in the manifest (when it has a key and is not yet)."""
    path, data, seconds, *content = file
    changed = future.result()
    result.written.append(Written(path, len(data), seconds, "skriven" if changed else "oförändrad"))
    if manifest is not None and keys and path in keys and path not in recorded:
        manifest.record(path, keys[path][0], data, keys[path][1], keys[path][2], *content)

