"""Office Open XML packages (DOCX, XLSX) made byte-for-byte reproducible."""

from __future__ import annotations

import functools
import io
import re
import struct
import zipfile
import zlib


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
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + modified.encode() + rb"\g<2>",
                    content,
                )
            target.writestr(info, content)
    return out.getvalue()


CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"


def with_custom_properties(data: bytes, properties: dict[str, str]) -> bytes:
    """Return the package with ``docProps/custom.xml`` holding ``properties`` (Word: File › Properties › Custom).

    Core properties are limited to 255 characters in python-docx; custom
    properties are not, so a document's full provenance fits.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    custom = custom_properties_xml(properties)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == CUSTOM_PART:
                continue
            target.writestr(item, with_custom_part(item.filename, content))
        target.writestr(CUSTOM_PART, custom)
    return out.getvalue()


def with_custom_part(name: str, content: bytes) -> bytes:
    """Return the package part ``name`` as it must be when the package has ``docProps/custom.xml``."""
    if name == "[Content_Types].xml" and CUSTOM_PART.encode() not in content:
        return content.replace(
            b"</Types>", f'<Override PartName="/{CUSTOM_PART}" ContentType="{_CUSTOM_TYPE}"/></Types>'.encode()
        )
    if name == "_rels/.rels" and _CUSTOM_REL.encode() not in content:
        return content.replace(
            b"</Relationships>",
            f'<Relationship Id="rIdCustomProps" Type="{_CUSTOM_REL}" Target="{CUSTOM_PART}"/></Relationships>'.encode(),
        )
    return content


def custom_properties_xml(properties: dict[str, str]) -> bytes:
    """Return ``docProps/custom.xml`` holding ``properties``."""
    from generator.documents.model import escape, quoteattr  # xml.sax.saxutils's, without the modules it imports

    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(sorted(properties.items()), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{items}</Properties>"
    ).encode()


def custom_properties(data: bytes) -> dict[str, str]:
    """Return the custom properties of an Office package (empty if it has none)."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(CUSTOM_PART))
    except (KeyError, zipfile.BadZipFile, ET.ParseError):
        return {}
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
    return {p.get("name", ""): "".join(p.itertext()) for p in root.iter(f"{ns}property")}


# --------------------------------------------------------------------------- one-pass writing

_EPOCH = (1980, 1, 1, 0, 0, 0)


def _deflate_once(data: bytes) -> tuple[int, bytes]:
    """Return the CRC-32 and the raw deflate stream of ``data`` exactly as :mod:`zipfile` writes them."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


_deflated = functools.lru_cache(maxsize=64)(_deflate_once)
deflate = _deflate_once


# The zip records zip_package writes after the entries (PKWARE APPNOTE 4.3.12 and 4.3.16), as zipfile packs them:
# zipfile's own names for these (structCentralDir, …) are private and not in its type stubs.
_CENTRAL_DIR = struct.Struct("<4s4B4HL2L5H2L")
_CENTRAL_DIR_SIGNATURE = b"PK\x01\x02"
_END_ARCHIVE = struct.Struct("<4s4H2LH")
_END_ARCHIVE_SIGNATURE = b"PK\x05\x06"
_UTF8_NAME_FLAG = 0x800  # general purpose bit 11: the file name is UTF-8


def _encoded_name(info: zipfile.ZipInfo) -> tuple[bytes, int]:
    """Return the entry's file name as stored and its flag bits (zipfile's ``ZipInfo._encodeFilenameFlags``)."""
    try:
        return info.filename.encode("ascii"), info.flag_bits
    except UnicodeEncodeError:
        return info.filename.encode("utf-8"), info.flag_bits | _UTF8_NAME_FLAG


def zip_package(
    entries: list[tuple[str, bytes]],
    cached: frozenset[str] = frozenset(),
    deflated: dict[str, tuple[int, bytes]] | None = None,
) -> bytes:
    """Return a zip of ``entries`` (name, content) in one pass, byte for byte what :func:`deterministic_zip` writes.

    The entries named in ``cached`` are parts shared by many packages (styles, theme): their compressed
    form is kept for the process, so each is deflated once. ``deflated`` gives, by name, parts already
    deflated (what :func:`deflate` returned for the entry's content).
    """
    out = bytearray()
    central = bytearray()
    for name, data in entries:
        if deflated is not None and name in deflated:
            crc, packed = deflated[name]
        else:
            crc, packed = _deflated(data) if name in cached else _deflate_once(data)
        info = zipfile.ZipInfo(name, date_time=_EPOCH)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        info.flag_bits = 0
        info.CRC, info.compress_size, info.file_size = crc, len(packed), len(data)
        info.header_offset = len(out)
        out += info.FileHeader(False)
        out += packed
        filename, flag_bits = _encoded_name(info)
        central += _CENTRAL_DIR.pack(
            _CENTRAL_DIR_SIGNATURE,
            info.create_version,
            info.create_system,
            info.extract_version,
            info.reserved,
            flag_bits,
            info.compress_type,
            0,
            33,
            crc,
            len(packed),
            len(data),
            len(filename),
            0,
            0,
            0,
            info.internal_attr,
            info.external_attr,
            info.header_offset,
        )
        central += filename
    end = _END_ARCHIVE.pack(_END_ARCHIVE_SIGNATURE, 0, 0, len(entries), len(entries), len(central), len(out), 0)
    return bytes(out + central + end)
