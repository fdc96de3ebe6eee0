"""The styled package every document starts from: built once with python-docx, then copied for each document.

python-docx builds the styled package (page setup, styles, hyphenation, the
header parts), which is kept in the per-user cache (so a later process needs
neither python-docx nor the building); each document's body and header are
written into a copy of it.
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import zipfile
import zlib
from pathlib import Path
from typing import Callable

from lxml import etree

from generator.writers.docx.line_spacing import STYLE_SPEC
from generator.writers.docx.styles import TABLE_STYLE, set_core_properties, styled_document
from generator.writers.docx.wordml import P, wtag
from generator.writers.ooxml_zip import CUSTOM_PART, deflate, with_custom_part

#: The core properties a document sets (docProps/core.xml), in the order python-docx adds them.
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DC, _DCTERMS = "{http://purl.org/dc/elements/1.1/}", "{http://purl.org/dc/terms/}"
_CORE_TAGS = (_DC + "title", _DC + "subject", _DC + "creator", _CP + "keywords", _CP + "contentStatus",
              _DC + "language", _CP + "lastModifiedBy", _DC + "description", _CP + "revision",
              _DCTERMS + "created", _DCTERMS + "modified", _CP + "lastPrinted")
#: The styles the writer asks for by name (their ids are resolved when the package is built).
_STYLE_NAMES = (*STYLE_SPEC, "Caption", "Tabelltext", "Tabellsumma", "Tabellnot", "Sidhuvud")
#: How python-docx parses a part (it saves none with blank text between elements).
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


class _Primer:
    """Core properties that give docProps/core.xml every property a document sets (see :meth:`StyledPackage.core`)."""

    title = subject = author = draft = keywords = language = ""
    date = "2000-01-01"


def build_styled_package(reference: Path | None, first_page: bool, state: tuple) -> dict:
    """Return the styled package as python-docx saves it, and what a document needs to know of it.

    A plain dict of strings and bytes (kept in the per-user cache): ``names`` (the parts in order), ``header``
    and ``first_header`` (the header parts to fill), ``ids`` (style ids by name), ``table_style_id``, ``parts``
    (the parts each document writes anew) and ``deflated`` (the CRC and compressed form of each part every
    document has as it is: styles.xml alone is 350 kB, 13 kB compressed).
    """
    from docx.enum.style import WD_STYLE_TYPE

    word = copy.deepcopy(styled_document(reference, state))
    section = word.sections[0]
    ids = {style.name: style.style_id for style in word.styles if style.name}
    for name in _STYLE_NAMES:  # a style the map does not know (e.g. from a reference document): python-docx resolves it
        if name not in ids:
            try:
                ids[name] = word.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
            except KeyError:
                pass
    try:
        table_style_id = word.part.get_style_id(word.styles[TABLE_STYLE], WD_STYLE_TYPE.TABLE)
    except KeyError:
        table_style_id = None
    first_header = None
    if not first_page:  # page 1 carries its own letterhead: only "1 (N)" at its top
        section.different_first_page_header_footer = True
        first_header = section.first_page_header.part.partname.lstrip("/")
        _ = section.first_page_header.paragraphs[0]
    section.header.is_linked_to_previous = False
    header = section.header.part.partname.lstrip("/")
    _ = section.header.paragraphs[0]
    set_core_properties(word, _Primer)  # python-docx adds the part when a reference document has none
    buffer = io.BytesIO()
    word.save(buffer)
    saved = zipfile.ZipFile(buffer)
    written = {"word/document.xml", "docProps/core.xml", CUSTOM_PART, header, first_header}  # each document's own
    return {"names": saved.namelist(), "header": header, "first_header": first_header, "ids": ids,
            "table_style_id": table_style_id,
            "parts": {name: saved.read(name) for name in saved.namelist() if name in written},
            "deflated": {name: deflate(saved.read(name)) for name in saved.namelist() if name not in written}}


class StyledPackage:
    """The styled package every document of a process starts from: built once, then copied.

    Holds the parts as python-docx saves them, the body's section properties,
    the header part(s) to fill, and the style ids by name. Made from what
    :func:`build_styled_package` returns, built now or kept in the per-user cache.
    """

    def __init__(self, package: dict):
        self.plain_names = list(package["names"])  # a document without provenance: the package as python-docx saves it
        self.plain_parts = dict(package["parts"])
        for name, (crc, packed) in package["deflated"].items():
            self.plain_parts[name] = zlib.decompress(packed, -15)
            if zlib.crc32(self.plain_parts[name]) != crc:
                raise ValueError(f"{name} is not what its CRC says")
        if set(self.plain_parts) != set(self.plain_names):
            raise ValueError("the package's parts are not its names")
        self.names = [name for name in self.plain_names if name != CUSTOM_PART]  # custom.xml: each its own
        self.parts = {name: with_custom_part(name, self.plain_parts[name]) for name in self.names}
        self._ids = dict(package["ids"])
        self.table_style_id = package["table_style_id"]
        self.header, self.first_header = package["header"], package["first_header"]
        self.document_xml = etree.fromstring(self.plain_parts["word/document.xml"], _PARSER)
        body = self.document_xml.find(wtag("body"))
        if body is None or len(body) != 1 or body[0].tag != wtag("sectPr"):
            raise ValueError("the package's body is not its section properties alone")
        self.header_elements = {name: etree.fromstring(self.plain_parts[name], _PARSER)
                                for name in (self.header, self.first_header) if name is not None}
        if any(element.find(P) is None for element in self.header_elements.values()):
            raise ValueError("a header part has no paragraph")
        self._core = etree.fromstring(self.plain_parts["docProps/core.xml"], _PARSER)
        self._core_elements = [self._core.find(tag) for tag in _CORE_TAGS]
        if any(element is None for element in self._core_elements):
            raise ValueError("the core properties lack one a document sets")
        self.static = frozenset(self.plain_names) - {"word/document.xml", "docProps/core.xml", CUSTOM_PART,
                                                     *self.header_elements}
        self.plain_deflated = {name: tuple(package["deflated"][name]) for name in self.static}
        self.deflated = {name: self.plain_deflated[name] if self.parts[name] == self.plain_parts[name]
                         else deflate(self.parts[name]) for name in self.static if name in self.parts}

    def style_id(self, name: str) -> str | None:
        """Return the style id of the style named ``name`` (None: the default style, which needs none)."""
        return self._ids[name]

    def core(self, meta) -> bytes:
        """Return docProps/core.xml with ``meta``: what python-docx's core properties write, in its order."""
        stamp = dt.datetime.fromisoformat(meta.date).replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%SZ")
        keywords = ", ".join(part for part in (meta.draft, meta.keywords) if part)
        values = (meta.title, meta.subject, meta.author, keywords,
                  meta.draft, meta.language, meta.author, "", "1", stamp, stamp, stamp)
        for element, value in zip(self._core_elements, values):
            value = value if isinstance(value, str) else str(value)
            if len(value) > 255:  # python-docx's limit
                raise ValueError("exceeded 255 char limit for property, got:\n\n'%s'" % value)
            element.text = value
        return etree.tostring(self._core, encoding="UTF-8", standalone=True)


def _library(module: str) -> bytes:
    """Return the text of ``module``'s ``__init__.py`` (its version) without importing it."""
    from importlib.util import find_spec

    try:
        spec = find_spec(module)
        return Path(spec.origin).read_bytes() if spec is not None and spec.origin else b"-"
    except (ImportError, OSError, ValueError):
        return b"-"


def _kept(what: bytes, *parts: bytes, build: Callable[[], object], check: Callable[[object], object]):
    """Return ``check(value)`` for the value kept in the cache for ``what`` and ``parts``, else ``check(build())``
    (which is then kept). ``check`` raises on a value it cannot use; a kept value it refuses is built again."""
    import hashlib
    import marshal

    from generator.build.provenance import cache_key, cache_read, cache_write

    key = cache_key(what, repr((etree.LXML_VERSION, etree.LIBXML_VERSION, zlib.ZLIB_RUNTIME_VERSION)).encode(), *parts)
    data = cache_read("docx", key)
    if data is not None and hashlib.sha256(data[32:]).digest() == data[:32]:
        try:
            return check(marshal.loads(data[32:]))
        except Exception:  # damaged or not ours: build it again
            pass
    value = build()
    result = check(value)
    payload = marshal.dumps(value)
    cache_write("docx", key, hashlib.sha256(payload).digest() + payload)
    return result


@functools.lru_cache(maxsize=8)
def _styled_package(reference: Path | None, first_page: bool, state: tuple = ()) -> StyledPackage:
    """``state``: the reference document's time and size, so an edited one is read again (generator build --watch)."""
    import hashlib

    content = hashlib.sha256(reference.read_bytes()).digest() if reference else b""
    return _kept(b"docx-package", b"first" if first_page else b"later", _library("docx"), content,
                 build=lambda: build_styled_package(reference, first_page, state), check=StyledPackage)


def styled_package(reference: Path | None, first_page: bool) -> StyledPackage:
    if reference:
        reference = Path(reference).resolve()
        stat = reference.stat()
        return _styled_package(reference, first_page, (stat.st_mtime_ns, stat.st_size))
    return _styled_package(None, first_page)
