"""Typst in small processes of its own, for a build that renders in several processes.

Typst keeps what it computed for the last ten documents it compiled (2–50 MB each) and cannot be told to
forget sooner, and a process that has compiled once runs Typst's threads, so it must not fork. A build in
several processes therefore compiles its PDFs here: one lean process (Python, Typst and the fonts, nothing
of the build: no data, no pydantic, no python-docx), started once, forks a *server* for each process that
asks for one. A server compiles the documents it is sent (:func:`generator.writers.typst.render_pdf`, so the
bytes are those of a build in one process) and leaves once it has grown past :data:`MEMORY_LIMIT`; the next
document gets a fresh server, forked in a millisecond with the fonts already read.

Each process of the build talks to its own server over a socket pair it sends to the lean process. Every
process here ends when the build does: the lean process when the last process of the build has closed its
end of the request socket, a server when its client's end is closed, both at once if the build is killed
(Linux's parent-death signal). The lean process waits for its servers, and the build for it, so their
time and memory count in the build's own (``getrusage``, ``wait4``: what ``make bench`` measures).
"""

from __future__ import annotations

import os
import pickle
import socket
import struct
import subprocess
import sys
from pathlib import Path

#: A server that has grown past this after a document leaves; the next document goes to a fresh server.
MEMORY_LIMIT = 105 * 2**20
_HEADER = struct.Struct("!Q")


def _send(conn: socket.socket, data: bytes) -> None:
    conn.sendall(_HEADER.pack(len(data)) + data)


def _recv(conn: socket.socket) -> bytes | None:
    """Return the next message, or None at the end of the stream."""
    need, header = _HEADER.size, True
    while True:
        buffer = bytearray()
        while len(buffer) < need:
            chunk = conn.recv(min(need - len(buffer), 1 << 20))
            if not chunk:
                return None
            buffer += chunk
        if not header:
            return bytes(buffer)
        need, header = _HEADER.unpack(buffer)[0], False
        if need == 0:
            return b""


def _die_with_parent() -> None:
    """Ask Linux to end this process when its parent ends (best effort elsewhere)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # not Linux: the end of the request socket ends us instead
        pass


def _rss() -> int:
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _trim() -> None:
    """Give freed memory back to the system (glibc), so the size measured is what Typst holds."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except Exception:
        pass


def serve(control_fd: int, memory_limit: int = MEMORY_LIMIT) -> None:
    """Run the lean process: fork a server for every socket received on ``control_fd``, until it closes."""
    _die_with_parent()
    from generator.writers import measure, typst

    typst.load_fonts()  # the fonts, read once; no document compiled here (that would start threads)
    measure.text_width("0"), measure.text_width("0", True)  # and the widths the markup measures amounts with
    control = socket.socket(fileno=control_fd)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 16, 4)
        except (OSError, InterruptedError):
            break
        if not message and not fds:
            break  # every process of the build has closed its end
        for fd in fds:
            if os.fork() == 0:
                control.close()
                _die_with_parent()
                try:
                    _server(socket.socket(fileno=fd), typst, memory_limit)
                finally:
                    os._exit(0)
            os.close(fd)
        _reap(block=False)
    _reap(block=True)  # waited for, a server's time and memory count in the build's (bench/build.py)


def _reap(block: bool) -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _server(conn: socket.socket, typst, memory_limit: int) -> None:
    from generator.errors import GeneratorError

    while True:
        request = _recv(conn)
        if request is None:
            return
        try:
            reply = (True, typst.render_pdf(pickle.loads(request)))
        except GeneratorError as exc:
            reply = (False, str(exc))
        except Exception as exc:  # a writer bug: the build renders the document again in its own process
            reply = (False, f"{type(exc).__name__}: {exc}")
        _trim()
        leaving = _rss() > memory_limit
        _send(conn, pickle.dumps((leaving, reply)))
        if leaving:
            return


class Service:
    """The build's end of the lean process: :meth:`render_pdf` compiles a document in this process's server."""

    def __init__(self, memory_limit: int = MEMORY_LIMIT) -> None:
        import generator

        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        root = str(Path(generator.__file__).resolve().parent.parent)
        code = (
            f"import sys; sys.path.insert(0, {root!r}); "
            f"from generator.writers.typst_service import serve; serve({theirs.fileno()}, {int(memory_limit)})"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL
        )
        theirs.close()
        self.control = ours
        self._conn: socket.socket | None = None
        self._pid = os.getpid()
        import atexit

        atexit.register(self.close)

    def close(self) -> None:
        """End the servers and the lean process (at the latest when this process exits)."""
        if self._pid != os.getpid():
            return
        for end in (self._conn, self.control):
            if end is not None:
                end.close()
        self._conn = None
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _connection(self) -> socket.socket:
        if self._pid != os.getpid():  # a forked process: the connection inherited is its parent's
            if self._conn is not None:
                self._conn.close()  # this process's copy only
            self._conn, self._pid = None, os.getpid()
        if self._conn is None:
            mine, server = socket.socketpair()
            socket.send_fds(self.control, [b"s"], [server.fileno()])
            server.close()
            self._conn = mine
        return self._conn

    def render_pdf(self, document) -> bytes:
        from generator.errors import RenderError

        conn = self._connection()
        _send(conn, pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL))
        data = _recv(conn)
        if data is None:
            self._conn = None
            raise RenderError("Typst-processen avslutades oväntat")
        leaving, (ok, result) = pickle.loads(data)
        if leaving:
            conn.close()
            self._conn = None
        if not ok:
            raise RenderError(result)
        return result
