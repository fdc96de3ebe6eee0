"""The styled package every document starts from: built once with python-docx, then copied for each document.

:func:`build_styled_package` is pure: it returns the package (page setup,
styles, hyphenation, the header parts) as plain data, and takes python-docx
about 0.2 s a process. The writer keeps nothing between processes itself: a
cache above it (:mod:`generator.cache.writer_assets`) installs a
:data:`PackageSource` with :func:`use_package_source`, which returns the
package kept from an earlier process or builds it; without one, each process
builds its own. A :class:`StyledPackage` is made from the plain data once a
process (per reference document) and copied for every document.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from generator.writers.docx.line_spacing import STYLE_SPEC
from generator.writers.docx.styles import TABLE_STYLE, set_core_properties, styled_document
from generator.writers.docx.wordml import P, wtag
from generator.writers.ooxml_zip import CUSTOM_PART, deflate, with_custom_part

#: The core properties a document sets (docProps/core.xml), in the order python-docx adds them.
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DC, _DCTERMS = "{http://purl.org/dc/elements/1.1/}", "{http://purl.org/dc/terms/}"
_CORE_TAGS = (
    _DC + "title",
    _DC + "subject",
    _DC + "creator",
    _CP + "keywords",
    _CP + "contentStatus",
    _DC + "language",
    _CP + "lastModifiedBy",
    _DC + "description",
    _CP + "revision",
    _DCTERMS + "created",
    _DCTERMS + "modified",
    _CP + "lastPrinted",
)
#: The styles the writer asks for by name (their ids are resolved when the package is built).
_STYLE_NAMES = (*STYLE_SPEC, "Caption", "Tabelltext", "Tabellsumma", "Tabellnot", "Sidhuvud")
#: The extended properties (docProps/app.xml), all optional (ECMA-376 Part 1, shared-documentPropertiesExtended):
#: none is stated rather than python-docx template's application, page count and statistics, which are false
#: for every generated document (Word computes them again when it saves the file).
_APP_PART = "docProps/app.xml"
_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
)
#: How python-docx parses a part (it saves none with blank text between elements).
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


class _Primer:
    """Core properties that give docProps/core.xml every property a document sets (see :meth:`StyledPackage.core`)."""

    title = subject = author = draft = keywords = language = ""
    date = "2000-01-01"


def build_styled_package(reference: Path | None, first_page: bool, state: tuple = ()) -> dict:
    """Return the styled package as python-docx saves it, and what a document needs to know of it.

    A plain dict of strings, bytes and numbers: ``names`` (the parts in order), ``header`` and ``first_header``
    (the header parts to fill; ``first_header`` None when page 1 has the running header too), ``ids`` (style ids
    by name), ``table_style_id``, ``parts`` (the parts each document writes anew) and ``deflated`` (the CRC and
    compressed form of each part every document has as it is: styles.xml alone is 350 kB, 13 kB compressed).
    ``reference``: a document whose styles and page setup win; ``state``: its time and size (see
    :func:`styled_package`).
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
    parts = {name: saved.read(name) for name in saved.namelist()}
    if _APP_PART in parts:  # python-docx's template says "Microsoft Macintosh Word", one page, no words: none is so
        parts[_APP_PART] = _APP_XML
    return {
        "names": saved.namelist(),
        "header": header,
        "first_header": first_header,
        "ids": ids,
        "table_style_id": table_style_id,
        "parts": {name: data for name, data in parts.items() if name in written},
        "deflated": {name: deflate(data) for name, data in parts.items() if name not in written},
    }


class StyledPackage:
    """The styled package every document of a process starts from: built once, then copied.

    Holds the parts as python-docx saves them, the body's section properties,
    the header part(s) to fill, and the style ids by name. Made from what
    :func:`build_styled_package` returns (built now or kept by a cache); raises
    ValueError, KeyError or TypeError for data that is not such a package.
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
        self.header_elements = {
            name: etree.fromstring(self.plain_parts[name], _PARSER)
            for name in (self.header, self.first_header)
            if name is not None
        }
        if any(element.find(P) is None for element in self.header_elements.values()):
            raise ValueError("a header part has no paragraph")
        self._core = etree.fromstring(self.plain_parts["docProps/core.xml"], _PARSER)
        self._core_elements = [self._core.find(tag) for tag in _CORE_TAGS]
        if any(element is None for element in self._core_elements):
            raise ValueError("the core properties lack one a document sets")
        self.static = frozenset(self.plain_names) - {
            "word/document.xml",
            "docProps/core.xml",
            CUSTOM_PART,
            *self.header_elements,
        }
        self.plain_deflated = {name: tuple(package["deflated"][name]) for name in self.static}
        self.deflated = {
            name: self.plain_deflated[name] if self.parts[name] == self.plain_parts[name] else deflate(self.parts[name])
            for name in self.static
            if name in self.parts
        }

    def style_id(self, name: str) -> str | None:
        """Return the style id of the style named ``name`` (None: the default style, which needs none)."""
        return self._ids[name]

    def core(self, meta) -> bytes:
        """Return docProps/core.xml with ``meta``: what python-docx's core properties write, in its order."""
        stamp = dt.datetime.fromisoformat(meta.date).replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%SZ")
        keywords = ", ".join(part for part in (meta.draft, meta.keywords) if part)
        values = (
            meta.title,
            meta.subject,
            meta.author,
            keywords,
            meta.draft,
            meta.language,
            meta.author,
            "",
            "1",
            stamp,
            stamp,
            stamp,
        )
        for element, value in zip(self._core_elements, values):
            value = value if isinstance(value, str) else str(value)
            if len(value) > 255:  # python-docx's limit
                raise ValueError(f"exceeded 255 char limit for property, got:\n\n'{value}'")
            element.text = value
        return etree.tostring(self._core, encoding="UTF-8", standalone=True)


#: Where the styled package comes from: ``source(reference, first_page, build, make)`` returns ``make(data)`` for
#: the package's plain data, which ``build()`` builds (a cache returns what it kept, checked by ``make``, or builds it).
PackageSource = Callable[[Path | None, bool, Callable[[], dict], Callable[[dict], StyledPackage]], StyledPackage]
_source: list[PackageSource] = []


def use_package_source(source: PackageSource | None) -> None:
    """Have the writer take its styled package from ``source`` (None: build it in each process)."""
    if _source[:1] != ([source] if source is not None else []):
        _source[:] = [source] if source is not None else []
        _styled_package.cache_clear()


@functools.lru_cache(maxsize=8)
def _styled_package(reference: Path | None, first_page: bool, state: tuple = ()) -> StyledPackage:
    """Return the styled package from the installed source, or built here (once a process for each argument)."""

    def build() -> dict:
        return build_styled_package(reference, first_page, state)

    if _source:
        return _source[0](reference, first_page, build, StyledPackage)
    return StyledPackage(build())


def styled_package(reference: Path | None, first_page: bool) -> StyledPackage:
    """Return this process's styled package for ``reference`` (read again when its time or size change, as under
    generator build --watch); ``first_page``: whether page 1 carries the running header (False: only "1 (N)",
    under the letter's own letterhead)."""
    if reference:
        reference = Path(reference).resolve()
        stat = reference.stat()
        return _styled_package(reference, first_page, (stat.st_mtime_ns, stat.st_size))
    return _styled_package(None, first_page)
