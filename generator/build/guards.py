"""Guards for files the generator is handed: output folders, reference documents, generated documents.

Each check raises :class:`DataError` (exit status 2) with a plain message; none of them echoes the contents of
the file it refuses. See docs/UTVECKLING.md, "Robusthet och säkerhet".
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import io
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import DataError, Finding, Location

if TYPE_CHECKING:  # zipfile and the YAML loader are imported where a document is read: a no-change rebuild never does
    import zipfile

MAX_DOCUMENT_BYTES = 50_000_000  # a DOCX or PDF handed to `check` or `--reference-doc`
MAX_PART_BYTES = 20_000_000  # one part of a DOCX, inflated (a zip bomb inflates to gigabytes)
MAX_PARTS = 2_000


def refuse(file: Path | str, message: str, hint: str = "") -> DataError:
    finding = Finding(Location(Path(file)), message, hint=hint)
    return DataError(str(finding), [finding])


def read_document(file: Path, what: str = "dokumentet") -> bytes:
    """Return the bytes of a DOCX or PDF handed to the generator: a regular file of bounded size."""
    from generator.data.loading import read_limited

    return read_limited(file, MAX_DOCUMENT_BYTES, what)


def _package(data: bytes, file: Path, what: str) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """Return an Office package's zip and its directory, refusing what is no zip or has too many parts."""
    import zipfile

    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise refuse(file, f"{what} är ingen giltig .docx (Office Open XML-paket): {exc}") from None
    if len(infos) > MAX_PARTS:
        raise refuse(file, f"{what} har {len(infos)} delar, mer än {MAX_PARTS}")
    return package, infos


def zip_part(data: bytes, name: str, file: Path, what: str = "dokumentet") -> bytes | None:
    """Return one part of an Office package (None if absent), refusing truncated packages and zip bombs."""
    import zipfile

    package, infos = _package(data, file, what)
    info = next((i for i in infos if i.filename == name), None)
    if info is None:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise refuse(file, f"delen {name} packas upp till {info.file_size} byte, mer än {MAX_PART_BYTES}")
    try:
        with package.open(info) as handle:
            part = handle.read(MAX_PART_BYTES + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise refuse(file, f"{what} är ingen giltig .docx: delen {name} kan inte läsas ({exc})") from None
    if len(part) > MAX_PART_BYTES:  # the size in the directory lied
        raise refuse(file, f"delen {name} packas upp till mer än {MAX_PART_BYTES} byte")
    return part


def check_docx(file: Path, what: str = "referensdokumentet") -> None:
    """Refuse a DOCX that is not a sound, bounded package with the parts Word needs."""
    import zipfile

    package, infos = _package(read_document(file, what), file, what)
    total = 0
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise refuse(
                file,
                f"delen {info.filename} i {what} packas upp till {info.file_size} byte "
                f"(mer än {MAX_PART_BYTES}; en zipbomb?)",
            )
        total += info.file_size
    if total > 5 * MAX_PART_BYTES:
        raise refuse(file, f"{what} packas upp till {total} byte sammanlagt")
    names = {i.filename for i in infos}
    for needed in ("[Content_Types].xml", "word/document.xml"):
        if needed not in names:
            raise refuse(file, f"{what} är inget Word-dokument (den saknar {needed})")
    try:
        bad = package.testzip()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise refuse(file, f"{what} är skadad: {exc}") from None
    if bad is not None:
        raise refuse(file, f"{what} är skadad (delen {bad} klarar inte sin kontrollsumma)")


def reference_doc(file: Path) -> Path:
    """Return ``--reference-doc`` if it lies inside the project (the working directory) and is a sound .docx."""
    cwd = Path.cwd().resolve()
    try:
        resolved = Path(file).resolve()
    except (OSError, RuntimeError) as exc:
        raise refuse(file, f"--reference-doc kan inte slås upp: {exc}") from None
    if not resolved.is_relative_to(cwd):
        raise refuse(
            file,
            f"--reference-doc avvisas: den ligger utanför projektmappen {cwd} (efter symboliska länkar)",
            "kopiera .docx-filen till projektmappen",
        )
    check_docx(Path(file))
    return Path(file)


def output_folder(out: Path, create: bool = False) -> Path:
    """Return ``out`` if it is a writable folder, or can be made one (``create`` makes it); refuse files,
    devices and folders that cannot be written, before any work is done."""
    out = Path(out)
    if out.exists() or out.is_symlink():
        try:
            info = os.stat(out)
        except OSError as exc:
            raise refuse(out, f"utmappen kan inte användas: {exc.strerror or exc}") from None
        if not stat.S_ISDIR(info.st_mode):
            raise refuse(
                out, "--out anger en fil eller enhet, inte en mapp", "ange en mapp (den skapas om den inte finns)"
            )
        if not os.access(out, os.W_OK | os.X_OK):
            raise refuse(out, "utmappen är inte skrivbar", "välj en annan --out eller rätta dess behörigheter")
        return out
    parent = out.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise refuse(out, f"utmappen kan inte skapas ({parent} är ingen skrivbar mapp)")
    if create:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise refuse(out, f"utmappen kan inte skapas: {exc.strerror or exc}") from None
    return out


@contextlib.contextmanager
def build_lock(out: Path, wait: float = 600.0, notice=None) -> Iterator[None]:
    """Hold an exclusive lock on ``out`` while building; a second build waits for it (up to ``wait`` seconds).

    The lock is an ``flock`` on the output folder itself (no lock file is left in it): the operating system
    releases it when the holder exits, even when killed, so a stale lock never blocks.
    """
    try:
        fd = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise refuse(out, f"utmappen kan inte låsas: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise refuse(out, f"utmappen kan inte låsas: {exc.strerror or exc}") from None
            if notice:
                notice(f"{out}/ används av ett annat bygge; väntar tills det är klart …")
            deadline = time.monotonic() + wait
            while True:
                time.sleep(0.1)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise refuse(
                            out,
                            f"en annan byggkörning har hållit utmappen i mer än {wait:.0f} s; "
                            "försök igen när den är klar",
                        ) from None
        yield
    finally:
        os.close(fd)  # releases the lock
