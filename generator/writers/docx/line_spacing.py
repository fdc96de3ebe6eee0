"""Each style's exact line and the space around its blocks, so that the DOCX paginates as the Typst PDF does.

The DOCX is set to paginate as the Typst PDF does (same pages, same "n (N)"). Typst makes a line as
tall as the font's typographic ascender + descender (OS/2 sTypoAscender/-Descender) and puts the
leading between lines; the space between two blocks is the larger of the space below the one and
above the other (a <space/> adds to it), and vanishes at a page break. Word and LibreOffice with
"exact" line spacing make every line L tall with its baseline at 80 % of L. So each style here has
an exact line of (ascender + descender) × size + leading, and the writer sets the space between
blocks to the PDF's less what the exact lines add above and below the text
(:mod:`generator.writers.docx.spacing`).
"""

from __future__ import annotations

import functools

from generator.writers.measure import typo_metrics

TEXT_WIDTH_MM = 160  # A4 210 mm less 25 mm margins
TOP_MM = 28


class Face:
    """A font at a size with the PDF's leading: its exact Word line, and what that line adds above and below."""

    def __init__(
        self,
        family: str,
        size: float,
        bold: bool = False,
        italic: bool = False,
        leading: float = 0.2,
        line: float | None = None,
    ):
        self.size = size
        self.ascent, self.descent = (m * size for m in typo_metrics(family, bold, italic))
        self.leading = leading * size if line is None else line - self.ascent - self.descent
        self.line = self.ascent + self.descent + self.leading  # points

    def top(self, line: float | None = None) -> float:
        """Return the room Word leaves above the text of a first line ``line`` points tall (baseline at 80 %)."""
        return 0.8 * (line or self.line) - self.ascent

    def bottom(self, line: float | None = None) -> float:
        """Return the room Word leaves below the text of a last line (may be a little negative)."""
        return 0.2 * (line or self.line) - self.descent


#: Each paragraph style as the Typst PDF sets it: face, the space above and below the block, and, for
#: styles whose blocks sit closer than the leading (addresses, signatures), the line they take instead.
BODY_SIZE = 11.5
STYLE_SPEC: dict[str, tuple[str, float, bool, bool, float, float]] = {
    # name: (family, size, bold, italic, above, below)
    "Normal": ("serif", BODY_SIZE, False, False, 0, 7),
    "Brödtext": ("serif", BODY_SIZE, False, False, 0, 7),
    "Citat": ("serif", BODY_SIZE, False, False, 0, 7),
    "Ingress": ("serif", 13, True, False, 0, 5),
    "Liten text": ("serif", 10, False, False, 0, 7),
    "Högerställd": ("serif", BODY_SIZE, False, False, 0, 7),
    "Etikett": ("serif", BODY_SIZE, False, True, 0, 3),
    "Titel": ("sans", 15, True, False, 0, 5),
    "Underrubrik": ("sans", 12, False, False, 0, 11),
    "Bilagemarkör": ("sans", BODY_SIZE, True, False, 0, 13),
    "Adress": ("serif", BODY_SIZE, False, False, 0, 1),
    "Avsändare": ("serif", 9.5, False, False, 0, 1),
    "Underskrift": ("serif", BODY_SIZE, False, False, 0, 1),
    "Heading 1": ("sans", 14, True, False, 17, 7),
    "Heading 2": ("sans", 12, True, False, 15, 6),
    "Heading 3": ("sans", 11, True, False, 12, 6),
    "Heading 4": ("serif", BODY_SIZE, True, True, 10, 5),
    "Punktlista": ("serif", BODY_SIZE, False, False, 2, 8),
    "Numrerad lista": ("serif", BODY_SIZE, False, False, 2, 8),
    "Bokstavslista": ("serif", BODY_SIZE, False, False, 2, 8),
}
LIST_ITEM_GAP = 0.55  # em between list items
TABLE_LEADING = 0.13  # em, in tables
TABLE_SIZE, NOTE_SIZE = 10.5, 9.5
TABLE_ABOVE, TABLE_BELOW = 4, 10
COLUMNS_ABOVE, COLUMNS_BELOW, COLUMN_GUTTER = 0.5 * BODY_SIZE, 6, 6
SIGNATURES_ABOVE, SIGNATURES_BELOW, SIGNATURE_ROOM, SIGNATURE_ROW_GAP, SIGNATURE_GUTTER = 6, 12, 42, 18, 8
PLACE_BELOW = 10
#: the running header: 9 pt sans, lines 11 pt apart by Typst's measure, its text 14 mm − 8 pt from the page top;
#: a third line and more push the text down by 11 pt each
HEADER_SIZE, HEADER_LEADING, HEADER_TOP, HEADER_EXTRA = 9, (11 - 9 * 1.15) / 9, 14 * 72 / 25.4 - 8, 11


@functools.cache
def style_face(style: str) -> Face:
    """Return the face of a paragraph style; a style whose blocks sit closer than its leading takes a shorter line."""
    family, size, bold, italic, _, below = STYLE_SPEC[style]
    face = Face(family, size, bold, italic)
    if below < face.leading and not style.endswith("lista"):
        face = Face(family, size, bold, italic, line=face.ascent + face.descent + below)
    return face


@functools.cache
def table_face(style: str) -> Face:
    """Return the face of a table cell style (Tabelltext, Tabellsumma, Tabellnot)."""
    return {
        "Tabelltext": lambda: Face("serif", TABLE_SIZE, leading=TABLE_LEADING),
        "Tabellsumma": lambda: Face("serif", TABLE_SIZE, bold=True, leading=TABLE_LEADING),
        "Tabellnot": lambda: Face("serif", NOTE_SIZE, italic=True, leading=TABLE_LEADING),
    }[style]()


def space_after(style: str) -> float:
    """Return the space after a paragraph of ``style`` when the next block is of the same kind."""
    family, size, bold, italic, _, below = STYLE_SPEC[style]
    if style.endswith("lista"):
        below = LIST_ITEM_GAP * size
    face = style_face(style)
    return max(below - face.bottom() - face.top(), 0.0)


#: the PDF's caption: 10 pt sans bold, 6 pt above it, 5 pt to the table
CAPTION_SIZE, CAPTION_ABOVE, CAPTION_GAP = 10, 6, 5


@functools.cache
def caption_face() -> Face:
    return Face("sans", CAPTION_SIZE, bold=True, leading=TABLE_LEADING)


CELL_INSET, CELL_SIDE = 2.5, 60  # points above and below a cell's text in the PDF; twips at its sides


@functools.cache
def cell_margins(style: str, top: float, bottom: float) -> tuple[int, int]:
    """Return the cell margins (twips, top and bottom) that put a cell's text where the PDF's insets put it."""
    face = table_face(style)
    above = max(top - face.top(), 0)  # Word's row: above + exact line + below = the PDF's: top + text + bottom
    return round(above * 20), round(max(top + bottom - face.leading - above, 0) * 20)
