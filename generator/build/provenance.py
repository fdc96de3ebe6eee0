"""Which inputs made each document: content hashes, the provenance line in its metadata, the build manifest.

Every file is identified by its git blob id (SHA-1 of ``blob <size>\\0`` +
content), so a document's recorded source can be looked up in the
repository's history (``git cat-file -p <id>``) to show what changed since.
The generator itself is identified by its version and a hash of its code.

The manifest (``output/manifest.json``) records, per output file, the key of
its inputs (the hashes of the data, reference data, templates and generator
it was made from) and the hash of the file written; a rebuild skips a
document whose key and file are unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from generator.cache.store import blob_id, generator_id, signature, steady

MANIFEST = "manifest.json"
_SOURCE = re.compile(r"(\S+)@([0-9a-f]{40})")


def file_id(path: Path) -> str:
    """Return the blob id of the file at ``path``; read once per process while its size and times stay the same."""
    stat = os.stat(path)
    return _file_id(os.path.abspath(path), stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


@lru_cache(maxsize=4096)
def _file_id(path: str, inode: int, size: int, mtime_ns: int, ctime_ns: int) -> str:
    return blob_id(Path(path).read_bytes())


def display(path: Path) -> str:
    """Return ``path`` relative to the working directory when it is inside it, in / form."""
    path = Path(path).resolve()
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def template_files(template: str, templates: Path) -> list[Path]:
    """Return ``template`` and every template it includes or imports, recursively, sorted."""
    folder = Path(templates)
    state = tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*.j2")))
    return list(_template_files(template, folder, state))


#: A template named in a template: every quoted ``….j2`` (include, import, from, extends). It finds at least
#: what Jinja's parser finds (``jinja2.meta.find_referenced_templates``), without parsing: an extra name only
#: adds an input.
_REFERENCED = re.compile(r"""["']([^"'{}%\s]+\.j2)["']""")


@lru_cache(maxsize=64)
def _template_files(template: str, templates: Path, state: tuple) -> tuple[Path, ...]:
    """Read once per template and state of the folder (``state``: names, times, sizes), not once per document."""
    seen: set[str] = set()
    todo = [template]
    while todo:
        name = todo.pop()
        if name in seen or (name != template and not (templates / name).is_file()):
            continue
        seen.add(name)
        todo.extend(_REFERENCED.findall((templates / name).read_text(encoding="utf-8")))
    return tuple(templates / name for name in sorted(seen))


@dataclass(frozen=True)
class Sources:
    """The input files of one document, each with its blob id."""

    files: tuple[tuple[str, str], ...]  # (display path, blob id), sorted

    @classmethod
    def of(cls, paths: list[Path]) -> Sources:
        return cls(tuple(sorted({(display(p), file_id(p)) for p in paths})))

    @property
    def key(self) -> str:
        """The hash of every input and of the generator: equal keys mean an equal document."""
        digest = hashlib.sha256(generator_id().encode())
        for path, ident in self.files:
            digest.update(f"\0{path}@{ident}".encode())
        return digest.hexdigest()

    def line(self, content: str | None = None) -> str:
        """Return the provenance line written into the document's metadata (ASCII-safe).

        ``content`` is the digest of the document's content (generator.cache.digest.content_digest): with it,
        ``check`` can tell a document whose inputs changed but whose text did not from a stale one.
        """
        head = f"generator {generator_id()}; " + (f"content {content}; " if content else "")
        return head + " ".join(f"{path}@{ident}" for path, ident in self.files)


def parse_line(text: str) -> tuple[str | None, list[tuple[str, str]]]:
    """Return (generator id, [(path, blob id)]) from a provenance line."""
    found = re.search(r"generator (\S+?);", text or "")
    return (found.group(1) if found else None), _SOURCE.findall(text or "")


def parse_content(text: str) -> str | None:
    """Return the content digest a provenance line names (None in documents made before it was recorded)."""
    found = re.search(r"; content ([0-9a-f]{64});", text or "")
    return found.group(1) if found else None


MAX_OUTPUT_BYTES = 500_000_000


def output_bytes(path: Path, size: int | None = None) -> bytes | None:
    """Return the bytes of an output file if it is a regular file (not a symlink, device or pipe) of a sane
    size, or of exactly ``size`` bytes when given; None otherwise (it is then simply replaced)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_OUTPUT_BYTES or (size is not None and info.st_size != size):
        return None
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; return False (and write nothing) if it is already identical.

    The bytes go to a temporary file beside ``path``, synced to disk, which is then renamed over it: a process
    killed at any moment leaves the old file or the new one (and perhaps the temporary file, which the next
    build removes).
    """
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    if output_bytes(path, len(data)) == data:  # a symlink or device in its place is replaced, never read
        return False
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def file_sha256(
    path: Path | str, signatures: dict[str, list], name: str, limit: int | None = MAX_OUTPUT_BYTES
) -> str | None:
    """Return the sha256 of the regular file at ``path`` (None if it is not one, or is over ``limit`` bytes).

    ``signatures`` maps ``name`` to the :func:`signature` of the file when it was last hashed and that hash, as
    git's index does: a file whose signature is the same is not read again. A new hash is noted there when the
    file changed long enough ago (:data:`STEADY_NS`) that an edit since must have changed the signature.
    """
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or (limit is not None and info.st_size > limit):
        return None
    mark = signature(info)
    known = signatures.get(name)
    if known is not None and known[:-1] == mark:
        return known[-1]
    now = time.time_ns()  # before reading: a change while it is read gives the file a later signature
    try:
        with open(path, "rb") as handle:
            sha = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None
    if steady(info, now):
        signatures[name] = [*mark, sha]
    else:
        signatures.pop(name, None)
    return sha


def checked_signatures(data: object) -> dict[str, list]:
    """Return the well-formed signatures of a manifest's ``signatures`` (a damaged one is dropped, not trusted)."""
    if not isinstance(data, dict):
        return {}
    return {
        name: known
        for name, known in data.items()
        if isinstance(name, str)
        and isinstance(known, list)
        and len(known) == 6
        and isinstance(known[5], str)
        and all(type(n) is int for n in known[:5])
    }


#: The manifest last parsed: its path, signature and data, used while the file keeps that signature and had not
#: just changed when it was read (as file_sha256 trusts a signature): a build reads its manifest more than once.
_PARSED: dict[str, tuple[list[int], object]] = {}


def _parsed(path: Path) -> object:
    """Return the JSON of the manifest at ``path``; its entries are copies the caller may change."""
    info = os.stat(path)
    now = time.time_ns()
    name = os.path.abspath(path)
    known = _PARSED.get(name)
    if known is not None and known[0] == signature(info):
        data = known[1]
    else:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        _PARSED.clear()
        if steady(info, now) and signature(os.stat(path)) == signature(info):
            _PARSED[name] = (signature(info), data)
        else:
            return data
    if not isinstance(data, dict) or not isinstance(data.get("documents"), dict):
        return data
    return {
        **data,
        "documents": {
            key: dict(entry) if isinstance(entry, dict) else entry for key, entry in data["documents"].items()
        },
    }


def _inside(folder: Path, name: str) -> bool:
    """Return True if the manifest entry ``name`` names a file inside ``folder`` (a crafted manifest could
    name ../../somewhere, which --prune would delete)."""
    # as Path(name).is_absolute() and Path(name).parts on this POSIX system, without a Path for each of the entries
    return bool(name) and not name.startswith("/") and "\x00" not in name and ".." not in name.split("/")


@dataclass
class Manifest:
    """Output file (relative to the output folder) → its input key and written hash."""

    folder: Path
    entries: dict[str, dict] = field(default_factory=dict)
    problem: str = ""  # why an existing manifest could not be used (it is rebuilt)
    signatures: dict[str, list] = field(
        default_factory=dict, repr=False
    )  # file → its signature and sha256 (file_sha256)
    _hashes: dict[str, str | None] = field(default_factory=dict, repr=False)  # file → its sha256 as read
    _names: dict[Path, str] = field(default_factory=dict, repr=False)  # path → entry name (resolving is slow)
    _folders: dict[Path, str] = field(default_factory=dict, repr=False)  # folder → its resolved path

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """Return the manifest of ``folder``; an unreadable or damaged one is reported in ``problem`` and rebuilt.

        An entry still marked ``replacing`` (a build stopped between writing the manifest and replacing the
        file) is kept if the file is the new one and dropped otherwise, so the file is rebuilt.
        """
        path = Path(folder) / MANIFEST
        problem = ""
        entries: dict = {}
        signatures: dict = {}
        if path.exists() or path.is_symlink():
            try:
                if not path.is_file() or path.stat().st_size > 50_000_000:
                    raise ValueError("ingen vanlig fil av rimlig storlek")
                data = _parsed(path)
                if not isinstance(data, dict) or not isinstance(data.get("documents", {}), dict):
                    raise ValueError("inte ett manifest")
                root = Path(folder)
                entries = {
                    k: v
                    for k, v in data.get("documents", {}).items()
                    if isinstance(k, str) and isinstance(v, dict) and _inside(root, k)
                }
                if len(entries) != len(data.get("documents", {})):
                    problem = "några poster är skadade"
                signatures = checked_signatures(data.get("signatures"))
            except (OSError, ValueError, UnicodeDecodeError, RecursionError) as exc:
                problem = f"kan inte läsas ({type(exc).__name__})"
                entries = {}
        manifest = cls(Path(folder), entries, problem)
        if entries:
            manifest.signatures = {name: known for name, known in signatures.items() if name in entries}
        for name, entry in list(entries.items()):
            if "replacing" in entry:
                data = output_bytes(Path(folder) / name)
                sha = hashlib.sha256(data).hexdigest() if data is not None else None
                if sha == entry.get("sha256"):
                    entry.pop("replacing")
                else:
                    entries.pop(name)
        return manifest

    def name(self, path: Path) -> str:
        """Return the entry name of ``path``: its path relative to the output folder, in / form."""
        found = self._names.get(path)
        if found is None:
            path = Path(path)
            folder = self._folders.get(path.parent)  # the folders are resolved once each: files share them
            if folder is None:
                folder = self._folders[path.parent] = str(path.parent.resolve())
            root = self._folders.get(self.folder)
            if root is None:
                root = self._folders[self.folder] = str(self.folder.resolve())
            found = self._names[path] = Path(os.path.relpath(os.path.join(folder, path.name), root)).as_posix()
        return found

    def current(self, path: Path, key: str) -> bool:
        """Return True if ``path`` exists, was made from inputs with ``key``, and is as it was written."""
        entry = self.entries.get(self.name(path))
        if not entry or entry.get("inputs") != key:
            return False
        return self.intact(path) is not None

    def record(
        self,
        path: Path,
        key: str,
        data: bytes,
        sources: Sources,
        context: str | None = None,
        content: str | None = None,
    ) -> None:
        """Record the file ``path`` just written: the key of its inputs, its hash, the sources it names, and
        (for a document) the digests of its template's context and of its content (generator.cache.digest)."""
        entry = {
            "inputs": key,
            "sha256": hashlib.sha256(data).hexdigest(),
            "sources": {p: i for p, i in sources.files},
            "generator": generator_id(),
        }
        if context:
            entry["context"] = context
        if content:
            entry["content"] = content
        self.entries[self.name(path)] = entry
        self._hashes.pop(self.name(path), None)
        self.signatures.pop(self.name(path), None)

    def intact(self, path: Path) -> dict | None:
        """Return the entry of ``path`` if the file is there as it was written; None otherwise."""
        name = self.name(path)
        entry = self.entries.get(name)
        if not entry:
            return None
        if name not in self._hashes:  # once per build (a file is only replaced after every decision), and read only
            self._hashes[name] = file_sha256(path, self.signatures, name)  # if its signature changed since
        return entry if self._hashes[name] == entry.get("sha256") else None

    def same_context(self, path: Path, context: str | None) -> bool:
        """Return True if ``path`` is intact and was made from a template context with the digest ``context``."""
        entry = self.intact(path) if context else None
        return entry is not None and entry.get("context") == context

    def content(self, path: Path) -> str | None:
        """Return the content digest recorded for ``path`` if the file is intact (None otherwise)."""
        entry = self.intact(path)
        return entry.get("content") if entry else None

    def keep(self, path: Path, key: str, context: str | None) -> None:
        """Note that the file ``path``, left as it is, is current for the inputs with ``key`` (its content did
        not change; the sources it names are those of the build that last changed it)."""
        entry = self.entries[self.name(path)]
        entry["inputs"] = key
        if context:
            entry["context"] = context

    def forget(self, name: str) -> None:
        self.entries.pop(name, None)
        self._hashes.pop(name, None)
        self.signatures.pop(name, None)

    def to_bytes(self, replacing: dict[str, str | None] | None = None) -> bytes:
        """Return the manifest as JSON; ``replacing`` marks entries whose file is about to be replaced
        (name → the sha256 of the file it replaces), so that the manifest on disk describes the file
        whether it is still the old one or already the new one."""
        entries = self.entries
        if replacing:
            entries = {
                name: ({**entry, "replacing": replacing[name]} if name in replacing else entry)
                for name, entry in entries.items()
            }
        # one entry a line, each encoded by json's C encoder (indent= would take its pure-Python one), by one
        # encoder (json.dumps with options makes one per call: half the time of 720 entries)
        encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
        lines = ",\n".join(f" {encode(name)}: {encode(entry)}" for name, entry in sorted(entries.items()))
        signed = ",\n".join(
            f" {encode(name)}: {encode(known)}" for name, known in sorted(self.signatures.items()) if name in entries
        )
        return ('{"documents": {\n' + lines + '\n},\n"signatures": {\n' + signed + "\n}}\n").encode("utf-8")


def orphans(manifest: Manifest) -> list[str]:
    """Return the outputs whose agreement or circular file (a .yaml source) no longer exists."""
    exists: dict[str, bool] = {}  # each source looked up once, not once per output naming it

    def gone(path: str) -> bool:
        if path not in exists:
            exists[path] = os.path.isfile(path)
        return not exists[path]

    return sorted(
        name
        for name, entry in manifest.entries.items()
        if isinstance(entry.get("sources"), dict)
        and any(isinstance(path, str) and path.endswith(".yaml") and gone(path) for path in entry["sources"])
    )
