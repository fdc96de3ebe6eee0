"""The new version of an issued document, as a draft: never in the issued document's place.

An issued document is a record: once issued, its file in ``output/`` is never replaced by another text. When the
data give an issued document a new text, the build writes that text beside the change-marked copy as
``output/<year>/andringar/<document>.utkast.docx|pdf``: marked as a draft on every page and in its properties,
with its own date, and a visible blank (``[nr] ______________``) where a new number or dnr is needed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from generator.data.blanks import tomt
from generator.documents.model import Column, Columns, Document, Keep, Paragraph, Run, Signatures, plain

#: The visible blanks of a new version, in the one form every document prints an unknown (data.blanks.tomt).
NUMBER_BLANK = tomt("nr")
DNR_BLANK = tomt("diarienummer")
DATE_BLANK = tomt("datum")

#: The labels in a letter's head whose next line is the letter's dnr.
_DNR_LABELS = {"vårt dnr", "dnr", "diarienummer", "vår beteckning"}


def draft_status(issued: dt.date) -> str:
    """Return the status line of a draft: what it is, and that the issued version still stands."""
    return f"UTKAST – ny version, inte utfärdad (utfärdad version: {issued.isoformat()})"


def signed(document: Document) -> bool:
    """Return True if ``document`` is signed by parties (an agreement, a plan): its signature blocks have labels
    ("För staten", "För Sveriges Kommuner och Landsting"), not a decision's "På regeringens vägnar"."""

    def walk(blocks) -> bool:
        for block in blocks:
            if isinstance(block, Signatures) and any(s.label for s in block.signatures):
                return True
            if isinstance(block, Keep | Column) and walk(block.blocks):
                return True
            if isinstance(block, Columns) and any(walk(c.blocks) for c in block.columns):
                return True
        return False

    return walk(document.blocks)


def _line(paragraph: Paragraph, text: str) -> Paragraph:
    return dataclasses.replace(paragraph, runs=[Run(text, bold=any(r.bold for r in paragraph.runs))])


def _head(column: Column, issued_date: str, date: dt.date | None, decision: bool) -> Column:
    """Return a column of the head with the date, dnr and number replaced as a new version needs them."""
    blocks = []
    after_dnr = False
    for block in column.blocks:
        if isinstance(block, Paragraph):
            text = plain(block.runs).strip()
            if after_dnr:
                block, after_dnr = _line(block, DNR_BLANK), False
            elif text.lower() in _DNR_LABELS:
                after_dnr = True
            elif issued_date and text.startswith(issued_date):  # the date, perhaps with the dnr after it
                rest = text[len(issued_date) :]
                block = _line(block, (date.isoformat() if date is not None else DATE_BLANK) + rest)
            elif decision and text.startswith("Regeringsbeslut "):
                block = _line(block, f"Regeringsbeslut {NUMBER_BLANK}")
        blocks.append(block)
    return dataclasses.replace(column, blocks=blocks)


def draft_of(new: Document, issued: dt.date, date: dt.date | None, decision: bool) -> Document:
    """Return ``new`` (the data's text of an issued document) as a draft.

    ``date`` is the draft's own date; for a decision None leaves it blank ("[datum]", for the government's
    meeting). A decision's number becomes "[nr]" and a letter's dnr "[diarienummer]", each with its line to fill
    in: a new version needs new ones.
    """
    issued_date = new.meta.date
    blocks = list(new.blocks)
    for index, block in enumerate(blocks):  # the head: the first block of columns
        if isinstance(block, Columns):
            columns = [_head(c, issued_date, date, decision) for c in block.columns]
            blocks[index] = dataclasses.replace(block, columns=columns)
            break
    meta_date = (date or issued).isoformat()
    title = new.meta.title
    if decision:
        title = re.sub(r"^Regeringsbeslut \S+?: ", "", title)
        title = f"Regeringsbeslut [nr]: {title}"  # the properties name the blank without its line
    status = draft_status(issued)
    if not decision and signed(new):  # a changed agreement is signed again: its signatures are for the old text
        status += " – ska undertecknas på nytt"
    status += " – exempeldata" if "EXEMPEL" in new.meta.draft.upper() else ""
    meta = dataclasses.replace(new.meta, title=title, date=meta_date, draft=status)
    return dataclasses.replace(new, meta=meta, blocks=blocks)
