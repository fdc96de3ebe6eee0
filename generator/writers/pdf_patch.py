"""Small, exact edits of a PDF as Typst writes it: uncompressed objects and a classic cross-reference table.

:func:`apply` replaces byte ranges and moves every cross-reference offset (and ``startxref``) by what the edits
before it added or removed, so the file stays exact. The edits the Typst writer makes with it:

* :func:`drop_default_suspects`: the catalog's ``/MarkInfo`` says ``/Suspects false``, which is the default.
  Poppler (``Catalog::getMarkInfo``) reports any /Suspects that is not ``true`` as "Syntax Error: Suspects object
  is wrong type (boolean)", so every PDF made every poppler tool (pdftotext, pdfinfo, pdftoppm) print that line.
  Leaving the default out says the same to every reader and silences it.
* :func:`row_headers`: the first cell of each row of the tables named is a row header: its structure element
  becomes ``TH`` with the table attribute ``/Scope /Row`` (ISO 32000-1 §14.8.5.7), so that a screen reader says
  "Namn" before the blank to fill in. Typst's tagging marks column headers (``table.header``) but has no row
  header without a feature flag the Python binding cannot set.
"""

from __future__ import annotations

import re


def _xref(pdf: bytes) -> tuple[int, int]:
    """Return (offset of the ``xref`` table, offset of the ``startxref`` keyword); ValueError if not classic."""
    marker = pdf.rfind(b"startxref")
    found = re.match(rb"startxref\s+(\d+)", pdf[marker:]) if marker >= 0 else None
    if found is None:
        raise ValueError("ingen startxref")
    xref = int(found.group(1))
    if pdf[xref : xref + 4] != b"xref":
        raise ValueError("ingen klassisk xref-tabell där startxref pekar")
    return xref, marker


def apply(pdf: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Return ``pdf`` with each (start, end, new bytes) edit made and the cross-reference table moved to match.

    Edits must not overlap, and must lie before the cross-reference table.
    """
    if not edits:
        return pdf
    xref, marker = _xref(pdf)
    edits = sorted(edits)
    shifts: list[tuple[int, int]] = []  # (original position after which, cumulative change)
    parts, position, change = [], 0, 0
    for start, end, new in edits:
        if start < position or end > xref:
            raise ValueError("överlappande ändringar, eller en ändring i xref-tabellen")
        parts += [pdf[position:start], new]
        position = end
        change += len(new) - (end - start)
        shifts.append((start, change))
    body = b"".join(parts) + pdf[position:xref]

    def moved(offset: int) -> int:
        return offset + next((c for s, c in reversed(shifts) if offset > s), 0)

    def entry(match: re.Match) -> bytes:
        offset = int(match.group(1))
        if match.group(3) == b"n":
            offset = moved(offset)
        return b"%010d %s %s" % (offset, match.group(2), match.group(3))

    end = pdf.find(b"trailer", xref)
    table = re.sub(rb"(\d{10}) (\d{5}) ([nf])", entry, pdf[xref:end])
    found = re.match(rb"startxref\s+(\d+)", pdf[marker:])
    assert found is not None  # _xref found it
    return body + table + pdf[end:marker] + b"startxref\n%d" % len(body) + pdf[marker + found.end() :]


def drop_default_suspects(pdf: bytes) -> bytes:
    """Return ``pdf`` without the catalog's ``/Suspects false`` (the default; see the module)."""
    found = re.search(rb"/MarkInfo\s*<<[^<>]*?(/Suspects\s*false)", pdf)
    if found is None:
        return pdf
    return apply(pdf, [(found.start(1), found.end(1), b"")])


_ELEMENT = re.compile(rb"(?<![0-9])(\d+) 0 obj\s*<</Type/StructElem(?:(?!endobj).)*?>>\s*endobj", re.S)


def row_headers(pdf: bytes, tables: set[int] | None = None) -> bytes:
    """Return ``pdf`` with the first cell of every body row of the tables numbered ``tables`` (0-based, in the order
    of the structure tree; None: every table) tagged as a row header (see the module). Every table of these
    documents is one of labels and values: a form's "Namn | ____", a budget's "Resor | 900 000"."""
    elements = {int(m.group(1)): m for m in _ELEMENT.finditer(pdf)}

    def kind(number: int) -> bytes:
        found = re.search(rb"/S/(\w+)", elements[number].group(0))
        return found.group(1) if found else b""

    def children(number: int) -> list[int]:
        found = re.search(rb"/K\[([^\]]*)\]", elements[number].group(0))
        refs = re.findall(rb"(\d+) 0 R", found.group(1)) if found else []
        return [int(r) for r in refs if int(r) in elements]

    root = re.search(rb"/StructTreeRoot\s+(\d+) 0 R", pdf)
    if root is None:
        return pdf
    top = re.search(rb"(?<![0-9])%s 0 obj\s*<<.*?/K\[([^\]]*)\]" % root.group(1), pdf, flags=re.S)
    order: list[int] = []

    def walk(numbers: list[int]) -> None:
        for number in numbers:
            if kind(number) == b"Table":
                order.append(number)
            walk(children(number))

    walk([int(r) for r in re.findall(rb"(\d+) 0 R", top.group(1))] if top else [])
    edits = []
    for index, table in enumerate(order):
        if tables is not None and index not in tables:
            continue
        rows = [n for part in children(table) for n in ([part] if kind(part) == b"TR" else children(part))]
        for row in rows:
            if kind(row) != b"TR":
                continue
            cells = children(row)
            if len(cells) < 2 or kind(cells[0]) != b"TD":
                continue  # a group row (one cell over the whole width) or a header row
            element = elements[cells[0]]
            text = element.group(0)
            tagged = text.replace(b"/S/TD", b"/S/TH", 1)
            if b"<</O/Table" in tagged:
                tagged = tagged.replace(b"<</O/Table", b"<</O/Table/Scope/Row", 1)
            else:
                tagged = tagged.replace(b"/S/TH", b"/S/TH/A<</O/Table/Scope/Row>>", 1)
            edits.append((element.start(), element.end(), tagged))
    return apply(pdf, edits)
