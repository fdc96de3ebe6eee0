"""The private per-user cache: one folder, its keys, and entries verified on every read.

What was computed from unchanged inputs is kept between processes in ``$XDG_CACHE_HOME/generator/``
(``~/.cache/generator/`` without it), one subfolder per kind, one file per key. It is never an input of a
document: an entry is found by the hash of what it was made from and of the generator (:func:`key`).

An entry holds plain data only (bytes, or JSON: :func:`read_json`), never pickled or marshalled objects, and it
is verified on every read. It carries the SHA-256 of what it was made from and an HMAC-SHA256 of its kind, key,
that hash and its payload, made with a secret kept in the folder (``secret``: 32 random bytes, created 0600 for
this user). An entry rewritten, truncated, swapped for another entry or planted without the secret fails the
check and is computed again (and replaced); it is never used. Only regular files are read: an entry is opened
without following a symbolic link and without blocking (a FIFO or device in its place is refused before it is
read), and only up to a bounded size. Writing is atomic (a temporary file renamed into place) and never fails
the caller: a cache that cannot be written is a cache without that entry.

Also here: the generator's own identity (:func:`generator_id`: its version and a hash of its code and fonts),
part of every key, and the file signatures (:func:`signature`) that let a hash of an unchanged file be reused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import stat
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator import __version__

#: The package folder: its .py and .ttf files are the generator's code (generator_id).
PACKAGE = Path(__file__).resolve().parents[1]

#: How an entry begins; an entry of another layout is not read.
MAGIC = b"gencache1\n"
_HEAD = len(MAGIC) + 64  # MAGIC, the sha256 of what it was made from, the HMAC of the entry

#: The largest entry read (the loaded YAML of the largest agreement is about 400 kB).
MAX_ENTRY_BYTES = 64_000_000
#: Entries a kind may hold before the oldest are removed (down to half).
MAX_ENTRIES = 512
_SECRET = "secret"
_SECRET_BYTES = 32
_NAME = re.compile(r"[a-z][a-z0-9-]{0,31}")
_KEY = re.compile(r"[0-9a-f]{64}")


def folder() -> Path:
    """Return the private per-user cache folder (``$XDG_CACHE_HOME/generator``, ``~/.cache/generator`` without it)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "generator"


def key(*parts: bytes) -> str:
    """Return the key of ``parts`` for this generator (its code is part of every key)."""
    digest = hashlib.sha256(generator_id().encode())
    for part in parts:
        digest.update(b"\0%d:" % len(part) + part)
    return digest.hexdigest()


def blob_id(data: bytes) -> str:
    """Return the git blob id of ``data`` (what ``git hash-object`` prints): how inputs are identified, in the
    cache's entries as in the documents' provenance."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def made_from(*parts: bytes) -> bytes:
    """Return the hash an entry carries of what it was made from (the SHA-256 of ``parts``, each delimited)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(b"%d:" % len(part) + part)
    return digest.digest()


# --------------------------------------------------------------------------- reading and writing entries


def read(kind: str, name: str, source: bytes, limit: int = MAX_ENTRY_BYTES) -> bytes | None:
    """Return the payload of the entry ``kind``/``name`` if it is there, intact, ours and made from ``source``.

    ``source`` is :func:`made_from` of what the entry was computed from. None for a missing, foreign, damaged,
    planted or stale entry, for anything but a regular file of at most ``limit`` bytes, and when the cache
    folder or its secret cannot be trusted: the caller then computes the value again.
    """
    if not _NAME.fullmatch(kind) or not _KEY.fullmatch(name):
        return None
    secret = _secret(create=False)
    if secret is None:
        return None
    data = _read_regular(folder() / kind / name, limit + _HEAD)
    if data is None or len(data) < _HEAD or not data.startswith(MAGIC):
        return None
    stored_source = data[len(MAGIC) : len(MAGIC) + 32]
    mac = data[len(MAGIC) + 32 : _HEAD]
    payload = data[_HEAD:]
    if not hmac.compare_digest(mac, _mac(secret, kind, name, stored_source, payload)):
        return None
    if not hmac.compare_digest(stored_source, source):
        return None
    return payload


def write(kind: str, name: str, source: bytes, payload: bytes) -> None:
    """Keep ``payload`` as the entry ``kind``/``name``, made from ``source`` (:func:`made_from`); never fails.

    At most :data:`MAX_ENTRIES` entries a kind are kept (the oldest go first).
    """
    import tempfile

    if not _NAME.fullmatch(kind) or not _KEY.fullmatch(name) or len(source) != 32:
        return
    try:
        secret = _secret(create=True)
        if secret is None:
            return
        where = folder() / kind
        if not _private(where, create=True):
            return
        names = os.listdir(where)
        if len(names) > MAX_ENTRIES:

            def age(entry: str) -> int:
                try:
                    return os.lstat(where / entry).st_mtime_ns
                except OSError:
                    return 0

            for old in sorted(names, key=age)[: -(MAX_ENTRIES // 2)]:
                try:
                    os.unlink(where / old)
                except (IsADirectoryError, PermissionError, FileNotFoundError):
                    pass
        data = MAGIC + source + _mac(secret, kind, name, source, payload) + payload
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".", suffix=".tmp")  # 0600, this user's
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.rename(tmp, where / name)  # atomic, as os.replace (which the fault tests fail on purpose for outputs)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, ValueError):
        pass


def read_json(kind: str, name: str, source: bytes, object_hook=None) -> Any:
    """Return the JSON value of an entry (:func:`read`), or None when there is none or it is not JSON."""
    payload = read(kind, name, source)
    if payload is None:
        return None
    try:
        return json.loads(payload.decode("utf-8"), object_hook=object_hook)
    except (ValueError, RecursionError, TypeError, KeyError):
        return None


def write_json(kind: str, name: str, source: bytes, value: Any, default=None) -> None:
    """Keep ``value`` (plain data: dicts, lists, text, numbers, booleans, None) as JSON (:func:`write`)."""
    try:
        payload = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=default).encode(
            "utf-8", "surrogatepass"
        )
    except (ValueError, TypeError, RecursionError):
        return
    write(kind, name, source, payload)


def _read_regular(path: Path | str, limit: int) -> bytes | None:
    """Return the bytes of ``path`` if it is a regular file of at most ``limit`` bytes; None otherwise.

    Opened without following a symbolic link and without blocking, then checked by its open descriptor: a FIFO,
    device, socket or folder in its place is never read from, and a file that grows while it is read is refused.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit or info.st_uid != os.getuid() or info.st_mode & 0o022:
            return None
        chunks = []
        left = info.st_size + 1  # one more: a file that grew is refused
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        return data if len(data) == info.st_size else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _mac(secret: bytes, kind: str, name: str, source: bytes, payload: bytes) -> bytes:
    message = hmac.new(secret, MAGIC + kind.encode() + b"\0" + name.encode() + b"\0" + source, hashlib.sha256)
    message.update(payload)
    return message.digest()


# --------------------------------------------------------------------------- the folder and its secret

#: The secret of each cache folder this process used (tests change XDG_CACHE_HOME).
_SECRETS: dict[str, bytes] = {}


def _private(path: Path, create: bool) -> bool:
    """Return True if ``path`` is a folder of this user's that no one else may write to (made so if ``create``)."""
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                path.mkdir(mode=0o700)
            except FileExistsError:
                pass
        info = os.lstat(path)
        return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022
    except OSError:
        return False


def _secret(create: bool) -> bytes | None:
    """Return this user's secret for the cache folder; made when ``create`` and it is missing or not trusted.

    None when there is none (nothing is read then), or the folder is not this user's alone.
    """
    root = folder()
    name = str(root)
    known = _SECRETS.get(name)
    if known is not None:
        return known
    if not _private(root, create):
        return None
    path = root / _SECRET
    found = _read_secret(path)
    if found is None and create:
        found = _make_secret(path)
    if found is not None:
        _SECRETS[name] = found
    return found


def _read_secret(path: Path) -> bytes | None:
    """Return the secret at ``path`` if it is a regular file of this user's, private to it, of the right size."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_uid != os.getuid()
            or info.st_mode & 0o077
            or info.st_size != _SECRET_BYTES
        ):
            return None
        data = os.read(fd, _SECRET_BYTES + 1)
        return data if len(data) == _SECRET_BYTES else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _make_secret(path: Path) -> bytes | None:
    """Return a new secret, written at ``path`` (0600); the one another process made first if it won the race.

    None if it cannot be written (nothing is kept then)."""
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret.", suffix=".tmp")
    try:
        secret = os.urandom(_SECRET_BYTES)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secret)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # only if there is none: two processes starting at once agree on one
        except FileExistsError:
            found = _read_secret(path)
            if found is not None:
                return found
            os.replace(tmp, path)  # not a secret of ours (a FIFO, a link, another's file, damaged): replaced
        return secret
    except OSError:
        return None
    finally:
        Path(tmp).unlink(missing_ok=True)


# --------------------------------------------------------------------------- file signatures

#: How long before a file's signature is taken it must have last changed for the signature to be kept: a file changed
#: again within the same tick of the file system's clock (its coarse clock's, at most a few ms; a whole second on
#: file systems that keep times in seconds, two on FAT) could keep its size, times and inode.
STEADY_NS = 1_000_000_000
STEADY_COARSE_NS = 3_000_000_000


def signature(info: os.stat_result) -> list[int]:
    """Return what changes whenever the file's content does: its size, modification and change times, inode and
    device (the change time cannot be set back; a file put in its place by a rename has another inode)."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def steady(info: os.stat_result, now: int) -> bool:
    """Return True if the file last changed long enough before ``now`` that a later change must move its times."""
    changed = max(info.st_mtime_ns, info.st_ctime_ns)
    coarse = info.st_mtime_ns % 1_000_000_000 == 0 and info.st_ctime_ns % 1_000_000_000 == 0
    return changed < now - (STEADY_COARSE_NS if coarse else STEADY_NS)


# --------------------------------------------------------------------------- the generator's identity


@lru_cache(maxsize=1)
def generator_id() -> str:
    """Return ``<version>+<hash of the package's code and fonts>``: a code change is an input change.

    The hash (of 3 MB, mostly fonts) is kept in the cache under the signatures of the files (:func:`signature`),
    and used while every file keeps its signature, as an output file's hash is.
    """
    found = []
    for where, dirs, names in os.walk(PACKAGE):
        dirs[:] = [name for name in dirs if name != "__pycache__"]
        found += [Path(where, name) for name in names if name.endswith((".py", ".ttf"))]
    files = [file for file in sorted(found) if file.is_file()]
    now = time.time_ns()
    infos = [os.stat(file) for file in files]
    names = [file.relative_to(PACKAGE).as_posix() for file in files]
    state = repr([__version__, str(PACKAGE)] + [(name, signature(info)) for name, info in zip(names, infos)]).encode()
    name = hashlib.sha256(state).hexdigest()
    known = read("generator-id", name, made_from(state))
    if known is not None and re.fullmatch(rb"[0-9a-f]{12}", known):
        return f"{__version__}+{known.decode()}"
    digest = hashlib.sha256()
    for relative, file in zip(names, files):
        digest.update(relative.encode() + b"\0" + file.read_bytes())
    if all(steady(info, now) for info in infos) and [signature(os.stat(file)) for file in files] == list(
        map(signature, infos)
    ):
        write("generator-id", name, made_from(state), digest.hexdigest()[:12].encode())
    return f"{__version__}+{digest.hexdigest()[:12]}"
