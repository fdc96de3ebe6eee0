"""Print one line per output file: its path and a hash of its content with the provenance left out.

The generator's id (``<version>+<hash of its code>``) is written into every document's provenance and changes
with any change of the code; this script replaces it (and the digest of the document's content that the same
line carries) with zeros (inside the parts of a DOCX or XLSX, and in a PDF's bytes, where it has the same
length) before hashing, so two trees built by different code compare
equal exactly when their documents are the same.

    python scripts/output_digests.py output/ > before.txt   # with the old code's build in output/
    python scripts/output_digests.py output/ > after.txt    # after a change and `generator build --force`
    diff before.txt after.txt                               # empty: byte-identical but for the provenance
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sys
import zipfile
from pathlib import Path

KINDS = (".docx", ".pdf", ".csv", ".xlsx")
_ID = re.compile(rb"(\d+\.\d+\.\d+\+)[0-9a-f]{12}")
#: The digest of the document's content in the provenance line (it names the classes of the document model)
_CONTENT = re.compile(rb"(; content )[0-9a-f]{64}")
_HEX_CONTENT = re.compile(rb"(003B00200063006F006E00740065006E00740020)(?:003[0-9]|006[1-6]){64}", re.I)
#: The same in a PDF string written as hex UTF-16 (Typst's document information)
_HEX_ID = re.compile(rb"((?:003[0-9])+(?:002[Ee](?:003[0-9])+){2}002[Bb])(?:003[0-9]|006[1-6]){12}")


#: A PDF's identifiers, which Typst derives from its metadata (and so from the generator id): the XMP ids and the
#: trailer's /ID
_PDF_IDS = re.compile(
    rb"(<(?:xmpMM:InstanceID|xmpMM:DocumentID|xmpMM:OriginalDocumentID|stEvt:instanceID)>)([^<]*)"
    rb"|(/ID\s*\[)(\([^)]*\)\s*\([^)]*\)|<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>)"
)


def _blank(match: re.Match) -> bytes:
    if match.group(1):
        return match.group(1) + b"0" * len(match.group(2))
    return match.group(3) + re.sub(rb"[^()<> ]", b"0", match.group(4))


def normalised(data: bytes) -> bytes:
    """Return ``data`` with every generator id's hash replaced by zeros of the same length."""
    data = _ID.sub(lambda m: m.group(1) + b"0" * 12, data)
    data = _HEX_ID.sub(lambda m: m.group(1) + b"0030" * 12, data)
    data = _CONTENT.sub(lambda m: m.group(1) + b"0" * 64, data)
    data = _HEX_CONTENT.sub(lambda m: m.group(1) + b"0030" * 64, data)
    if data[:5] == b"%PDF-":
        data = _PDF_IDS.sub(_blank, data)
    return data


def digest(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"PK":
        digest = hashlib.sha256()
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for info in package.infolist():
                digest.update(json.dumps([info.filename, info.compress_type, info.date_time]).encode())
                digest.update(normalised(package.read(info)))
        return digest.hexdigest()
    return hashlib.sha256(normalised(data)).hexdigest()


def main(folder: str) -> int:
    root = Path(folder)
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in KINDS):
        print(f"{digest(path)}  {path.relative_to(root).as_posix()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "output"))
