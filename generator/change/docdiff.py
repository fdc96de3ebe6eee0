"""What a change of the data changes in each document: the sentences and table rows, old → new.

Both versions of an agreement are rendered to their document models (the same
:func:`generator.build.run.render_job` a build uses, without writing DOCX or PDF)
and their text is compared document by document: a paragraph that changed is
narrowed to the sentences that changed, a table row is shown whole. A document
whose text is the same is unchanged, whatever changed in the data.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.plan import Job, plan
from generator.build.render import render_circular, render_job
from generator.data.validate import Validated
from generator.documents.model import Document, Heading, Keep, block_text

#: Where a sentence may end: . ! ? or : followed by a space and an upper-case letter, a digit or a quote.
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÅÄÖ0-9”\"(])")
#: Abbreviations after which a full stop does not end the sentence.
_ABBREVIATIONS = ("t.ex.", "bl.a.", "m.m.", "s.k.", "t.o.m.", "d.v.s.", "dvs.", "m.fl.", "o.s.v.", "ca.", "nr.", "kap.")


@dataclass(frozen=True)
class TextChange:
    """One sentence or table row: its old and new text (None where it was added or removed), and the heading it is
    under."""

    old: str | None
    new: str | None
    where: str = ""


@dataclass
class DocumentChange:
    name: str
    title: str
    status: str  # "ändrat" | "oförändrat" | "nytt" | "utgår"
    changes: list[TextChange] = field(default_factory=list)


def sentences(text: str) -> list[str]:
    """Return the sentences of a paragraph (a table row or heading is one)."""
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[: match.start()].lower().endswith(_ABBREVIATIONS):
            continue
        out.append(text[start : match.start()])
        start = match.end()
    out.append(text[start:])
    return [s for s in out if s]


def text_changes(old: list[str], new: list[str], headings: list[str] | None = None) -> list[TextChange]:
    """Return what differs between two documents' lines, narrowed to sentences within a changed paragraph.

    ``headings`` gives, per line of ``new``, the heading it stands under.
    """
    out: list[TextChange] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        where = headings[min(j1, len(headings) - 1)] if headings else ""
        out.extend(TextChange(c.old, c.new, where) for c in _changes(tag, old[i1:i2], new[j1:j2]))
    return out


def _changes(tag: str, before: list[str], after: list[str]) -> list[TextChange]:
    """Return the changes of one differing stretch: similar lines paired and narrowed, the rest removed or added."""
    out: list[TextChange] = []
    j = 0
    for a in before:
        match = next(
            (
                k
                for k in range(j, len(after))
                if difflib.SequenceMatcher(None, a, after[k], autojunk=False).ratio() >= 0.6
            ),
            None,
        )
        if match is None:
            out.append(TextChange(a, None))
            continue
        out.extend(TextChange(None, b) for b in after[j:match])
        out.extend(_sentence_changes(a, after[match]))
        j = match + 1
    out.extend(TextChange(None, b) for b in after[j:])
    return out


def _sentence_changes(old: str, new: str) -> list[TextChange]:
    a, b = sentences(old), sentences(new)
    out: list[TextChange] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            out.extend(TextChange(x, y) for x, y in zip(a[i1:i2], b[j1:j2]))
        else:
            joined_a, joined_b = " ".join(a[i1:i2]) or None, " ".join(b[j1:j2]) or None
            out.append(TextChange(joined_a, joined_b))
    return out


def document_lines(document: Document) -> tuple[list[str], list[str]]:
    """Return a document's text lines in reading order, and for each the heading it stands under."""
    lines: list[str] = []
    headings: list[str] = []
    current = [""]

    def walk(blocks) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                current[0] = block.text
            if isinstance(block, Keep):
                walk(block.blocks)
                continue
            for line in block_text(block).splitlines():
                lines.append(line)
                headings.append(current[0])

    walk(document.blocks)
    return lines, headings


def _compare(old: Document, new: Document) -> list[TextChange]:
    (a, _), (b, headings) = document_lines(old), document_lines(new)
    return text_changes(a, b, headings)


def jobs_of(validated: Validated) -> dict[str, Job]:
    """Return the documents an agreement yields, by name."""
    return {job.name: job for job in plan(validated.agreement, validated.allocation)}


def compare_documents(a: Validated, b: Validated, names: set[str] | None = None) -> list[DocumentChange]:
    """Return, per document of either version (or only those in ``names``), what changes in its text."""
    old_jobs, new_jobs = jobs_of(a), jobs_of(b)
    order = list(new_jobs) + [name for name in old_jobs if name not in new_jobs]
    out: list[DocumentChange] = []
    for name in order:
        if names is not None and name not in names:
            continue
        if name not in old_jobs:
            out.append(DocumentChange(name, new_jobs[name].title, "nytt"))
            continue
        if name not in new_jobs:
            out.append(DocumentChange(name, old_jobs[name].title, "utgår"))
            continue
        changes = _compare(render_job(a.agreement, old_jobs[name]), render_job(b.agreement, new_jobs[name]))
        out.append(DocumentChange(name, new_jobs[name].title, "ändrat" if changes else "oförändrat", changes))
    out.extend(_circulars(a, b, names))
    return out


def _circulars(a: Validated, b: Validated, names: set[str] | None) -> list[DocumentChange]:
    """Return the changes of the circulars beside ``b``'s file that present its agreement."""
    from generator.app import load_agreement
    from generator.build.plan import circular_name
    from generator.data.circulars import is_circular, load_circular
    from generator.data.validate import discover
    from generator.errors import DataError

    folder = Path(b.file).parent
    files = [f for f in discover((folder,)) if f.resolve() != Path(b.file).resolve()] if folder.is_dir() else []
    circular_files = [f for f in files if is_circular(f)]
    if not circular_files:
        return []
    others = []
    for f in files:
        if f in circular_files:
            continue
        try:
            other = load_agreement(f)
        except DataError:
            continue
        if other.agreement.id != b.agreement.id:
            others.append((other.agreement, f))
    out = []
    for file in circular_files:
        try:
            old = load_circular(file, others + [(a.agreement, a.file)])
            new = load_circular(file, others + [(b.agreement, b.file)])
        except DataError:
            continue
        name = circular_name(new.circular)
        if b.agreement.id not in new.agreements or (names is not None and name not in names):
            continue
        changes = _compare(render_circular(old), render_circular(new))
        out.append(
            DocumentChange(name, f"Cirkulär {new.circular.number}", "ändrat" if changes else "oförändrat", changes)
        )
    return out


def document_name(file: Path) -> str | None:
    """Return the document name of a generated file (``lansbrev/lansbrev_01_stockholms-lan``), from its path."""
    parts = Path(file).with_suffix("").parts
    for index in range(len(parts) - 2, -1, -1):
        if re.fullmatch(r"\d{4}", parts[index]):
            return "/".join(parts[index + 1 :])
    return None


def _grouped(names: list[str]) -> list[str]:
    """Return document names with a folder of many (the letters) as one entry: ``21 i lansbrev/``."""
    folders: dict[str, int] = {}
    for name in names:
        if "/" in name:
            folders[name.split("/", 1)[0]] = folders.get(name.split("/", 1)[0], 0) + 1
    out: list[str] = []
    for name in names:
        folder = name.split("/", 1)[0] if "/" in name else None
        if folder is not None and folders[folder] > 3:
            entry = f"{folders[folder]} i {folder}/"
            if entry not in out:
                out.append(entry)
        else:
            out.append(name)
    return out


def changes_text(documents: list[DocumentChange], indent: str = "  ") -> list[str]:
    """Return the per-document changes as Swedish text lines."""
    out: list[str] = []
    for doc in documents:
        if doc.status == "oförändrat":
            continue
        out.append(
            f"{indent}{doc.name} ({doc.title}): {doc.status}"
            + (f", {len(doc.changes)} {'ändring' if len(doc.changes) == 1 else 'ändringar'}" if doc.changes else "")
        )
        heading = None
        for change in doc.changes:
            if change.where and change.where != doc.title and change.where != heading:
                out.append(f"{indent}  under ”{change.where}”:")
            heading = change.where
            if change.old is not None and change.new is not None:
                out.append(f"{indent}  före:  {change.old}")
                out.append(f"{indent}  efter: {change.new}")
            elif change.old is not None:
                out.append(f"{indent}  utgår: {change.old}")
            else:
                out.append(f"{indent}  nytt:  {change.new}")
    unchanged = [doc.name for doc in documents if doc.status == "oförändrat"]
    if unchanged:
        out.append(f"{indent}oförändrade ({len(unchanged)}): " + ", ".join(_grouped(unchanged)))
    return out
