"""Font metrics of the shipped fonts (generator/fonts), read from the font files: what the writers measure with.

Two measures, both read straight from the TrueType tables (no font library, a
millisecond a process, nothing to keep between processes):

- :func:`text_width`: the advance width of a text in Liberation Serif, regular
  or bold, in em, exactly as reportlab's ``stringWidth(text, font, 1.0)``
  adds it up (so a column of amounts stands where the PDF puts it);
- :func:`typo_metrics`: a font's typographic ascender and descender (OS/2),
  which Typst makes a line of (the DOCX writer sets its exact lines by them).

:func:`decimal_rooms` gives, per column of a laid-out table
(:mod:`generator.documents.layout`), the room its amounts' decimals take, so
that every writer aligns amounts on the decimal comma by the same measure.
"""

from __future__ import annotations

import bisect
import struct
from functools import cache, lru_cache
from pathlib import Path

from generator.documents.model import Table

#: The shipped font file of each (family, bold, italic).
FONT_FILES = {
    ("serif", False, False): "LiberationSerif-Regular",
    ("serif", True, False): "LiberationSerif-Bold",
    ("serif", False, True): "LiberationSerif-Italic",
    ("serif", True, True): "LiberationSerif-BoldItalic",
    ("sans", False, False): "LiberationSans-Regular",
    ("sans", True, False): "LiberationSans-Bold",
    ("sans", False, True): "LiberationSans-Italic",
    ("sans", True, True): "LiberationSans-BoldItalic",
}


_FONTS = Path(__file__).resolve().parent.parent / "fonts"


def font_bytes(family: str, bold: bool, italic: bool) -> bytes:
    """Return the content of the shipped font file of ``family`` ("serif", "sans") in the given face."""
    name = f"{FONT_FILES[family, bold, italic]}.ttf"
    try:
        return (_FONTS / name).read_bytes()
    except OSError:  # the package is not a folder (a zip): through its resources (a few ms more to import)
        from importlib.resources import files

        return (files("generator") / "fonts" / name).read_bytes()


def _tables(data: bytes) -> dict[bytes, int]:
    """Return the offset of each table of a TrueType font (``data``: at least its table directory), by its tag."""
    tables = {}
    for index in range(struct.unpack(">H", data[4:6])[0]):
        tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * index : 28 + 16 * index])
        tables[tag] = offset
    return tables


@cache
def typo_metrics(family: str, bold: bool, italic: bool) -> tuple[float, float]:
    """Return the typographic ascender and descender (in em) of the shipped font Typst sets the PDF with."""
    data = font_bytes(family, bold, italic)
    tables = _tables(data)
    units = struct.unpack(">H", data[tables[b"head"] + 18 : tables[b"head"] + 20])[0]
    ascender, descender = struct.unpack(">hh", data[tables[b"OS/2"] + 68 : tables[b"OS/2"] + 72])
    return ascender / units, -descender / units


class _Advances:
    """The advance widths of a font's characters in thousandths of an em, as reportlab's ``TTFontFile`` reads
    them: the character map it chooses (the last Windows or Unicode one), every glyph's advance scaled by
    ``1000 / unitsPerEm``, a no-break space as wide as a space, and glyph 0's width for a character the font lacks.
    Looked up a character at a time in the format-4 map's segments (reportlab builds the whole map)."""

    def __init__(self, data: bytes):
        tables = _tables(data)
        head, maxp, hhea, hmtx, cmap = (tables[tag] for tag in (b"head", b"maxp", b"hhea", b"hmtx", b"cmap"))
        units = struct.unpack(">H", data[head + 18 : head + 20])[0]
        glyphs = struct.unpack(">H", data[maxp + 4 : maxp + 6])[0]
        metrics = struct.unpack(">H", data[hhea + 34 : hhea + 36])[0]
        advances = list(struct.unpack(f">{2 * metrics}H", data[hmtx : hmtx + 4 * metrics])[0::2])
        advances += [advances[-1]] * (glyphs - metrics)  # the rest of the glyphs share the last advance
        scale = 1000 / units  # reportlab's scale (none for a font of 1000 units)
        self.widths: list[float] = list(advances) if units == 1000 else [a * scale for a in advances]
        self.default = self.widths[0]
        self.glyphs = glyphs
        subtable = None
        chosen = 0
        for index in range(struct.unpack(">H", data[cmap + 2 : cmap + 4])[0]):
            platform, encoding, offset = struct.unpack(">HHI", data[cmap + 4 + 8 * index : cmap + 12 + 8 * index])
            if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
                chosen, subtable = 1, offset
            elif platform == 1 and encoding == 0 and chosen != 1:
                chosen, subtable = 2, offset
        if subtable is None:
            raise ValueError("the font has no character map reportlab would use")
        table = data[cmap + subtable :]
        kind, length = struct.unpack(">HH", table[:4])
        if kind != 4:
            raise ValueError(f"the font's character map is of format {kind}, not 4")
        self.table = table = table[:length]  # offsets below are into the subtable, which alone is kept
        count = struct.unpack(">H", table[6:8])[0] // 2
        self.ends = struct.unpack(f">{count}H", table[14 : 14 + 2 * count])
        self.starts = struct.unpack(f">{count}H", table[16 + 2 * count : 16 + 4 * count])
        self.deltas = struct.unpack(f">{count}h", table[16 + 4 * count : 16 + 6 * count])
        self.range_at = 16 + 6 * count
        self.ranges = struct.unpack(f">{count}H", table[self.range_at : self.range_at + 2 * count])
        space = self.glyph(0x20)
        self.space = self.glyph(0xA0) if space is None else space  # reportlab: a no-break space is a space, or back

    def glyph(self, code: int) -> int | None:
        """Return the glyph the character map gives ``code`` (None: not in the map)."""
        if code > 0xFFFF:
            return None
        segment = bisect.bisect_left(self.ends, code)
        if segment >= len(self.ends) or self.starts[segment] > code:
            return None
        if self.ranges[segment] == 0:
            return (code + self.deltas[segment]) & 0xFFFF
        offset = self.range_at + 2 * segment + (code - self.starts[segment]) * 2 + self.ranges[segment]
        if offset >= len(self.table):  # reportlab's workaround for broken fonts
            return 0
        glyph = struct.unpack(">H", self.table[offset : offset + 2])[0]
        return (glyph + self.deltas[segment]) & 0xFFFF if glyph else 0

    def width(self, code: int) -> float:
        """Return the advance of the character ``code`` in thousandths of an em."""
        glyph = self.space if code in (0x20, 0xA0) and self.space is not None else self.glyph(code)
        return self.widths[glyph] if glyph is not None and glyph < self.glyphs else self.default


@lru_cache(maxsize=2)
def _advances(bold: bool) -> _Advances:
    return _Advances(font_bytes("serif", bold, False))


@lru_cache(maxsize=4096)
def text_width(text: str, bold: bool = False) -> float:
    """Return the width of ``text`` in em of Liberation Serif (the PDF's), regular or bold: reportlab's
    ``stringWidth(text, font, 1.0)``, to the last bit."""
    width = _advances(bold).width
    return 0.001 * 1.0 * sum(width(ord(char)) for char in text)


def decimal_rooms(table: Table) -> dict[int, float]:
    """Return, per column of amounts with decimals, the room (em) the widest ",d…" takes, regular or bold.

    The amounts are the cells the layout pass marked (:attr:`generator.documents.model.Cell.amount`); a column
    whose amounts are all whole numbers has no room and is not aligned on a comma.
    """
    rooms: dict[int, float] = {}
    for row in table.rows:
        col = 0
        for cell in row.cells:
            amount = cell.amount
            if amount is not None and amount.fraction:
                fraction = amount.fraction
                rooms[col] = max(rooms.get(col, 0.0), text_width(fraction), text_width(fraction, True))
            col += cell.span
    return rooms
