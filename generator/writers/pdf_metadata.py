"""The generator's provenance in a PDF's XMP metadata, in a namespace of its own, out of the reader's sight.

A document's provenance line (``generator …; content …; agreements/2012.yaml@… templates/…@…``) names the
project's files. It is for ``generator check``, not for the receiver: the properties a PDF reader shows
(title, author, subject, keywords) never carry it. It is written as the one property ``Provenance`` of the
namespace :data:`NAMESPACE` in the XMP packet, and declared in the packet's PDF/A extension schemas where the
packet has them (PDF/A-2 requires every property outside the standard schemas to be declared).

* :func:`add_to_xmp` adds it to the XMP stream a PDF already has (Typst's): the stream is uncompressed, the
  file has a classic cross-reference table, and every offset after the stream moves by the bytes added.
* :func:`xmp_packet` is a packet of its own, for a writer that has none (reportlab's catalog gets it).
* :func:`read_provenance` reads it back from an XMP packet (``generator check``).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from generator.writers.pdf_patch import apply

#: Our own XMP namespace; ``.invalid`` is a reserved name: it points nowhere, and claims no one's domain.
NAMESPACE = "http://ns.generator.invalid/provenance/1.0/"
PREFIX = "genprov"
PROPERTY = "Provenance"

_SCHEMA = (
    '<rdf:li rdf:parseType="Resource"><pdfaSchema:schema>Generator provenance</pdfaSchema:schema>'
    f"<pdfaSchema:namespaceURI>{NAMESPACE}</pdfaSchema:namespaceURI><pdfaSchema:prefix>{PREFIX}</pdfaSchema:prefix>"
    '<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource"><pdfaProperty:category>internal'
    "</pdfaProperty:category><pdfaProperty:description>The files and generator the document was made from"
    f"</pdfaProperty:description><pdfaProperty:name>{PROPERTY}</pdfaProperty:name><pdfaProperty:valueType>Text"
    "</pdfaProperty:valueType></rdf:li></rdf:Seq></pdfaSchema:property></rdf:li>"
)


def _description(line: str) -> str:
    return (
        f'<rdf:Description rdf:about="" xmlns:{PREFIX}="{NAMESPACE}">'
        f"<{PREFIX}:{PROPERTY}>{escape(line)}</{PREFIX}:{PROPERTY}></rdf:Description>"
    )


def xmp_packet(line: str) -> str:
    """Return an XMP packet holding only the provenance ``line``."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f"{_description(line)}</rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )


_METADATA_OBJECT = re.compile(rb"\d+ 0 obj\s*<<(?P<dict>[^<>]*?/Type\s*/Metadata[^<>]*?)>>\s*stream\r?\n")


def add_to_xmp(pdf: bytes, line: str) -> bytes:
    """Return ``pdf`` with the provenance ``line`` added to its XMP metadata stream; ValueError if the file is
    not as Typst writes it (one uncompressed metadata stream, a classic cross-reference table)."""
    found = _METADATA_OBJECT.search(pdf)
    if found is None or b"/Filter" in found.group("dict"):
        raise ValueError("ingen okomprimerad XMP-ström att skriva ursprunget i")
    length = re.search(rb"/Length\s+(\d+)", found.group("dict"))
    if length is None:
        raise ValueError("XMP-strömmen saknar /Length")
    start, size = found.end(), int(length.group(1))
    packet = pdf[start : start + size].decode("utf-8")
    if "</rdf:RDF>" not in packet:
        raise ValueError("XMP-strömmen har ingen rdf:RDF")
    packet = packet.replace("</rdf:RDF>", _description(line) + "</rdf:RDF>", 1)
    if "</rdf:Bag></pdfaExtension:schemas>" in packet:
        packet = packet.replace("</rdf:Bag></pdfaExtension:schemas>", _SCHEMA + "</rdf:Bag></pdfaExtension:schemas>", 1)
    data = packet.encode("utf-8")
    return apply(
        pdf,
        [
            (length.start(1) + found.start("dict"), length.end(1) + found.start("dict"), b"%d" % len(data)),
            (start, start + size, data),
        ],
    )


def read_provenance(packet: bytes) -> str:
    """Return the provenance line of an XMP packet ("" if it has none); refuse entity declarations."""
    import xml.etree.ElementTree as ET

    if b"<!DOCTYPE" in packet or b"<!ENTITY" in packet:
        raise ValueError("XMP-paketet deklarerar entiteter")
    start, end = packet.find(b"<x:xmpmeta"), packet.rfind(b"</x:xmpmeta>")
    if start < 0 or end < 0:
        return ""
    root = ET.fromstring(packet[start : end + len(b"</x:xmpmeta>")])
    found = root.find(f".//{{{NAMESPACE}}}{PROPERTY}")
    return "".join(found.itertext()) if found is not None else ""
