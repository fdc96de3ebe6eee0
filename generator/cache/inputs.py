"""One recorder of the files a computation reads: a process-wide audit hook, installed once.

While a :class:`Recording` is under way, every file opened for reading and every folder listed in this process
is noted in it (Python's ``open``, ``os.listdir`` and ``os.scandir`` audit events), with what ``os.stat`` said of
it just before it was read. Recordings may overlap (a build records what it reads while an agreement's checks
record theirs); each sees everything read while it is under way. What a computation taken from a cache would
have read is added with :func:`note`, so that an outer recording (the no-change state of a build) holds it too.

The hook is installed the first time a recording starts, and does nothing while none is under way.
"""

from __future__ import annotations

import os
import stat
import sys

_active: list[Recording] = []
_installed = False
#: Each path's state when a recording of this process first saw it read: what a process reads only once (the
#: reference lists) was read then.
first_seen: dict[str, tuple | None] = {}


def stat_of(path: str) -> tuple | None:
    """Return what changes when ``path`` does: (inode, size, modification and change times, mode); None if absent."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_mode


class Recording:
    """The files read (``files``) and folders listed (``folders``) while it is under way, by absolute path, each
    with its :func:`stat_of` before it was read; ``unknown`` if something read could not be told."""

    def __init__(self) -> None:
        self.files: dict[str, tuple | None] = {}
        self.folders: dict[str, tuple | None] = {}
        self.unknown = False

    def stop(self) -> None:
        """Stop recording (what was recorded stays)."""
        if self in _active:
            _active.remove(self)

    def __enter__(self) -> Recording:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start() -> Recording:
    """Return a new recording of what this process reads from now until it is stopped."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
    recording = Recording()
    _active.append(recording)
    return recording


def note(kind: str, path: str) -> None:
    """Add ``path`` (``kind``: ``file`` or ``dir``) to every recording under way, as if it had been read now."""
    if not _active:
        return
    where = os.path.abspath(path)
    state = stat_of(where)
    for recording in _active:
        (recording.folders if kind == "dir" else recording.files).setdefault(where, state)


def recording() -> bool:
    """Return True while a recording is under way."""
    return bool(_active)


_WRITE = os.O_WRONLY | os.O_RDWR


def _hook(event: str, args: tuple) -> None:
    if not _active or event not in ("open", "os.listdir", "os.scandir"):
        return
    try:
        path = args[0] if args and args[0] is not None else "."
        if isinstance(path, int):  # an open file descriptor: its file was recorded when it was opened
            return
        if event == "open":
            mode, flags = args[1], args[2]
            if (mode is not None and any(c in str(mode) for c in "wax+")) or (flags or 0) & _WRITE:
                return  # written, not read
        where = os.path.abspath(os.fsdecode(path))
        state = stat_of(where)
        first_seen.setdefault(where, state)
        for recording in _active:
            (recording.files if event == "open" else recording.folders).setdefault(where, state)
    except Exception:  # never fail the open; but what was read is not known now
        for recording in _active:
            recording.unknown = True


#: The largest input compared (a population file by single year, sex and several years is a few MB).
MAX_INPUT_BYTES = 200_000_000


def regular_file_bytes(path: str | os.PathLike[str]) -> bytes | None:
    """Return the bytes of the regular file ``path`` (None for a FIFO, device or folder: never read from)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_INPUT_BYTES:
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(MAX_INPUT_BYTES + 1)
    finally:
        os.close(fd)
