"""The text of built documents as a reader gets it: a DOCX's and a PDF's, and the words, amounts and dates in it."""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree
from pypdf import PdfReader

NB = "\u00a0"
#: How python-docx parses a part: the same elements and text, without the rest of its package model.
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


# --------------------------------------------------------------------------- text extraction


def _paragraph_text(p) -> str:
    out = []
    for node in p.iter():
        name = node.tag.rsplit("}", 1)[-1]
        if name == "t":
            out.append(node.text or "")
        elif name in ("br", "tab"):
            out.append("\n" if name == "br" else "\t")
    return "".join(out)


def docx_text(path: Path) -> str:
    """Return the body text of a DOCX in reading order: paragraphs and table cells.

    The main part is read as python-docx reads it (found by the package's officeDocument relationship, parsed
    with its parser options), in a fifth of the time: the suite reads some thousand DOCX files.
    """
    with zipfile.ZipFile(path) as package:
        relationships = etree.fromstring(package.read("_rels/.rels"), _PARSER)
        main = next(r.get("Target") for r in relationships if r.get("Type", "").endswith("/officeDocument"))
        root = etree.fromstring(package.read(main.lstrip("/")), _PARSER)
    body = next(child for child in root if child.tag.endswith("}body"))
    return "\n".join(_paragraph_text(p) for p in body.iter() if p.tag.endswith("}p"))


def pdf_text(path: Path) -> tuple[str, list[str]]:
    """Return the text of a PDF and of each page, words hyphenated at a line end joined again.

    A hyphenation hyphen is marked as a soft hyphen (its /ActualText), which poppler's pdftotext honours
    and pypdf does not; without poppler, pypdf's text is used as it is.
    """
    if shutil.which("pdftotext"):
        raw = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
        ).stdout
        pages = [
            re.sub("\u00ad\n(?=\\S)", "", page) for page in raw.decode("utf-8").split("\f")
        ]  # at a page end: see words
        pages = pages[:-1] if pages and not pages[-1].strip() else pages
    else:
        pages = [page.extract_text() for page in PdfReader(str(path)).pages]
    pages = [re.sub(r"[ \t]+\n", "\n", page) for page in pages]
    return "\n".join(pages), pages


def words(text: str) -> list[str]:
    text = text.replace(NB, " ").replace("\u2013", "-")
    text = re.sub(r"CIRKULÄR \d+:\d+\s+(\d{4}-\d{2}-\d{2}\s+)?", " ", text)  # the circular's running header
    text = re.sub(r"\b\d+ \(\d+\)", " ", text)  # page numbers "2 (10)"
    text = re.sub(r"Bilaga till regeringsbeslut \d{4}-\d{2}-\d{2} nr [IVX]+:\d+", " ", text)
    text = re.sub("\u00ad\\s*", "", text)  # a word hyphenated over a page break, its header gone
    return re.findall(r"[\wåäöÅÄÖéü]+(?:[.,:]\d+)*", text)


# --------------------------------------------------------------------------- figures, for the seed comparison

MONTHS = "januari februari mars april maj juni juli augusti september oktober november december".split()
_FIGURE = re.compile(
    r"(?P<num>\d{1,3}(?:[ \u00a0]\d{3})+|\d+(?:,\d+)?)\s*(?P<unit>kronor|kr\b|milj\.|miljoner|miljon)"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})"
    r"|den (?P<d>\d{1,2}) (?P<m>" + "|".join(MONTHS) + r")(?: (?P<y>\d{4}))?"
)


def _table_units(text: str) -> str:
    """Write out the unit of our tables' amount columns, as the seed writes it on each row.

    A budget table shown in millions has the column heading "Miljoner kronor" and
    bare figures ("5,3"); in kronor, "Kronor"/"Budget" and grouped figures.
    """
    out, unit = [], None
    for line in text.splitlines():
        if re.search(r"Miljoner kronor$", line):
            unit = "miljoner"
        elif unit and re.search(r"\d$", line):
            line = line + " " + unit
            if line.strip().startswith("Summa"):
                unit = None
        elif unit and not line.strip():
            unit = None
        out.append(line)
    text = "\n".join(out)
    return re.sub(r"(?<![\d,])(\d{1,3}(?:[ \u00a0]\d{3})+)(?=\s*$)", r"\1 kr", text, flags=re.M)


def figures(text: str, ours: bool = False) -> list[str]:
    """Return the money amounts (as kronor) and dates (as ISO or MM-DD) of a text, in order."""
    text = re.sub(r"Bilaga till regeringsbeslut \d{4}-\d{2}-\d{2} nr [IVX]+:\d+", " ", text)  # running header
    if ours:
        text = _table_units(text)
    else:  # the seed's typing: "10, 0 miljoner", "3, 75 miljoner", "1135 000kr"
        text = re.sub(r"(\d+), (\d+) miljoner", r"\1,\2 miljoner", text)
        text = re.sub(r"\b(\d)(\d{3}) (\d{3}) ?kr", r"\1 \2 \3 kr", text)
    text = re.sub(r"-\s*\n\s*(?=[a-zåäö])", "", text)  # seed extraction: hyphenated line breaks
    text = " ".join(text.replace(NB, " ").split())
    found = []
    for m in _FIGURE.finditer(text):
        if m.group("num"):
            number = float(m.group("num").replace(" ", "").replace(",", "."))
            if m.group("unit") in ("milj.", "miljoner", "miljon"):
                number *= 1_000_000
            found.append(f"{int(round(number))} kr")
        elif m.group("iso"):
            found.append(m.group("iso"))
        else:
            month = MONTHS.index(m.group("m")) + 1
            found.append(f"{m.group('y') + '-' if m.group('y') else ''}{month:02d}-{int(m.group('d')):02d}")
    return found


def matched_in_order(expected: list[str], actual: list[str]) -> float:
    """Return the share of ``expected`` found in ``actual`` in the same order (longest common subsequence)."""
    if not expected:
        return 1.0
    matcher = difflib.SequenceMatcher(None, expected, actual, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(expected)
