"""Office Open XML packages (DOCX, XLSX) made byte-for-byte reproducible."""
from __future__ import annotations

import io
import re
import zipfile


def deterministic_zip(data: bytes, modified: str | None = None) -> bytes:
    """Return the package rewritten with fixed timestamps and attributes, entries in their order.

    ``modified`` (``2012-01-01T00:00:00Z``) replaces the modification time in
    ``docProps/core.xml``, which some libraries set to the time of saving.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            content = source.read(item.filename)
            if modified and item.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + modified.encode() + rb"\g<2>", content)
            target.writestr(info, content)
    return out.getvalue()
