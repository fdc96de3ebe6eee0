"""Which file a request may have: only a built document inside the output folder, never through a link.

A request names a file by its path under the output folder (``2012/lansbrev/lansbrev_01_stockholms-lan.pdf``).
It is refused unless every part is a plain name (no ``..``, no hidden names, no backslash or NUL: the server
decodes ``%2e%2e`` and ``%2f`` before this sees them), it ends in a document's suffix, and the file is a regular
file whose real path, with every symbolic link resolved, is the one asked for inside the output folder (the
project's output/, or the folder given with --out). Nothing else of the project is ever served.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: The suffixes served, and their media types.
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def served_file(out: Path, project: Path, requested: str) -> Path | None:
    """Return the file of the output folder ``out`` that ``requested`` names, or None if it may not be served."""
    if not requested or len(requested) > 400 or "\\" in requested or "\x00" in requested:
        return None
    parts = requested.split("/")
    if any(not part or part.startswith(".") or part in ("..", ".") for part in parts):
        return None
    if Path(parts[-1]).suffix.lower() not in MEDIA_TYPES:
        return None
    folder = (out if out.is_absolute() else project.resolve() / out).resolve()
    wanted = folder.joinpath(*parts)
    try:
        real = wanted.resolve(strict=True)
        info = os.lstat(wanted)
    except (OSError, RuntimeError):
        return None
    if real != wanted or not real.is_relative_to(folder) or not stat.S_ISREG(info.st_mode):
        return None  # a link anywhere on the way, or not a regular file
    return real
