"""A rättelse (corrected letter) for an issued county, municipality or county-council letter whose amounts
changed, and the batch of what must go out for a year (``generator send ÅR``).

The rättelse is built from the two versions of the letter itself (as issued, and as the data make it now): the
letter's own head (sender, dnr, addressee) with the rättelse's date, a heading "Rättelse: …", a paragraph that
names the corrected letter by date and dnr and why it is corrected, a table of every changed amount (post, as
issued, corrected, difference), the letter's new payment section (the payment form with the new amount), and the
letter's signature. The sources hold no rättelse; the wording follows how SKL writes to recipients.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

from generator.documents.model import (
    Cell,
    Columns,
    Document,
    Heading,
    Keep,
    Paragraph,
    Run,
    Signatures,
    Space,
    Table,
    TableRow,
    block_text,
    plain,
)
from generator.formatting import belopp, datum, kronor

_AMOUNT = re.compile(r"^[−-]?\d{1,3}(?:[\u00a0 ]\d{3})*$")


def _amount(text: str) -> int | None:
    text = text.strip()
    if not _AMOUNT.match(text):
        return None
    return int(re.sub(r"\D", "", text)) * (-1 if text.startswith(("−", "-")) else 1)


def _tables(blocks, heading: str = "") -> list[tuple[Table, str]]:
    """Return every table of ``blocks`` with what it is about: its caption, else the heading it stands under."""
    out: list[tuple[Table, str]] = []
    for block in blocks:
        if isinstance(block, Heading):
            heading = block.text
        elif isinstance(block, Table):
            out.append((block, plain(block.caption) or heading))
        elif isinstance(block, Keep):
            found = _tables(block.blocks, heading)
            out.extend(found)
            heading = next((b.text for b in reversed(block.blocks) if isinstance(b, Heading)), heading)
        elif isinstance(block, Columns):
            for column in block.columns:
                out.extend(_tables(column.blocks, heading))
    return out


def changed_amounts(old: Document, new: Document) -> list[tuple[str, int, int, str]]:
    """Return every amount of the letter's tables that changed: (post, as issued, now, the table it stands in),
    in the letter's order.

    A row is known by its text cells (the post, who pays it, the recipient's name and code) within its table;
    its amount cells are compared."""
    out = []

    def rows(document: Document) -> dict[tuple[str, str], list[int | None]]:
        found: dict[tuple[str, str], list[int | None]] = {}
        for table, about in _tables(document.blocks):
            for row in table.rows:
                if row.kind == "head":
                    continue
                texts = [c.text for c in row.cells]
                amounts = [_amount(t) for t in texts]
                words = [t.strip() for t, a in zip(texts, amounts, strict=True) if a is None and t.strip()]
                label = words[0] + (f" ({', '.join(words[1:])})" if words[1:] else "") if words else ""
                if any(a is not None for a in amounts) and label:
                    found.setdefault((about, label), amounts)
        return found

    before, after = rows(old), rows(new)
    for (about, label), amounts in after.items():
        old_amounts = before.get((about, label))
        if old_amounts is None:
            continue
        for a, b in zip(old_amounts, amounts, strict=False):
            if a is not None and b is not None and a != b:
                out.append((label, a, b, about))
                break
    return out


def _inner(block: Any) -> list[Any]:
    return block.blocks if isinstance(block, Keep) else [block]


def _pays(block: Any) -> bool:
    """Return True for the heading of a letter's payment section ("Utbetalning", "Utbetalningsuppgifter …")."""
    return isinstance(block, Heading) and "utbetalning" in block.text.lower()


def _closing(document: Document, amounts: list[tuple[str, int, int, str]]) -> list[Any]:
    """Return how the rättelse ends, taken from the corrected letter: its payment section when it comes before the
    sender's signature (who pays, when, what the recipient sends), the signature, and a form after the signature
    (the county letter's requisition form) only where it states one of the corrected amounts."""
    blocks = document.blocks
    signed = [i for i, b in enumerate(blocks) if any(isinstance(x, Signatures) for x in _inner(b))]
    paying = [i for i, b in enumerate(blocks) if any(_pays(x) for x in _inner(b))]
    if not signed:
        return list(blocks[paying[0] :]) if paying else []
    signature = signed[0]
    start = paying[0] if paying and paying[0] < signature else signature
    closing = list(blocks[start : signature + 1])
    form = [i for i in paying if i > signature]
    if form:
        appendix = list(blocks[form[0] :])
        text = "\n".join(block_text(b) for b in appendix)
        if any(belopp(new) in text or kronor(new) in text for _, _, new, _ in amounts):
            return closing + appendix
    return [_without_appendix_line(b) for b in closing]  # no appendix goes with the rättelse: none is listed


def _without_appendix_line(block: Any) -> Any:
    """Return ``block`` without the letter's line that lists its appendix ("Bilaga: Utbetalningsuppgifter …")."""
    if isinstance(block, Keep):
        kept = [b for b in block.blocks if not (isinstance(b, Paragraph) and plain(b.runs).startswith("Bilag"))]
        return dataclasses.replace(block, blocks=kept)
    return block


def _head(new: Document, date: dt.date) -> tuple[list[Any], str]:
    """Return the letter's head (its first block of columns) with the rättelse's date, and the letter's dnr."""
    dnr = ""
    for index, block in enumerate(new.blocks):
        if not isinstance(block, Columns):
            continue
        columns = []
        for column in block.columns:
            blocks, after_date, after_dnr = [], False, False
            for b in column.blocks:
                if isinstance(b, Paragraph):
                    text = plain(b.runs).strip()
                    if after_date:
                        b, after_date = dataclasses.replace(b, runs=[Run(date.isoformat())]), False
                    elif after_dnr:
                        dnr, after_dnr = text, False
                    elif text.lower() == "datum":
                        after_date = True
                    elif "dnr" in text.lower():
                        after_dnr = True
                blocks.append(b)
            columns.append(dataclasses.replace(column, blocks=blocks))
        head: list[Any] = [dataclasses.replace(block, columns=columns)]
        rest = new.blocks[index + 1 :]
        while rest and not isinstance(rest[0], Heading):  # the space and the addressee's block
            head.append(rest[0])
            rest = rest[1:]
        return head, dnr
    return [], dnr


def correction(old: Document, new: Document, issued: dt.date, date: dt.date, to: str, why: str = "") -> Document | None:
    """Return the rättelse of a letter issued on ``issued`` (``old``) whose text is now ``new``; None if none of
    its amounts changed. ``to`` is the recipient as named in the letter, ``why`` a sentence on the cause."""
    amounts = changed_amounts(old, new)
    if not amounts:
        return None
    head: list[Any]
    head, dnr = _head(new, date)
    title = next((b.text for b in new.blocks if isinstance(b, Heading)), new.meta.title)
    letter_date = _letter_date(old) or issued
    reference = f"vårt brev {datum(letter_date)}" + (f" (dnr {dnr})" if dnr else "")
    subject = title.rsplit(" – ", 1)[0]  # the letter's heading without its recipient ("… – Malmö")
    text = (
        f"Vi rättar {reference} till {to} om {subject[:1].lower() + subject[1:]}. "
        + (why + " " if why else "")
        + "De belopp som ändras står nedan; i övrigt gäller brevet som det skickades."
    )
    rows = [
        TableRow([Cell([Run("Post")]), *(Cell([Run(t)], "right") for t in ("Tidigare", "Rättat", "Skillnad"))], "head")
    ]
    groups = list(dict.fromkeys(about for *_, about in amounts))
    for group in groups:
        if len(groups) > 1 and group:  # the amounts of each of the letter's tables under that table's name
            rows.append(TableRow([Cell([Run(group)], span=4)], "group"))
        for label, a, b, about in amounts:
            if about != group:
                continue
            difference = b - a
            sign = "+" if difference > 0 else "−" if difference < 0 else "±"
            rows.append(
                TableRow(
                    [
                        Cell([Run(label)]),
                        Cell([Run(kronor(a).removesuffix("\u00a0kronor"))], "right"),
                        Cell([Run(kronor(b).removesuffix("\u00a0kronor"))], "right"),
                        Cell([Run(sign + kronor(abs(difference)).removesuffix("\u00a0kronor"))], "right"),
                    ],
                    "sum" if label.lower().startswith("summa") else "body",
                )
            )
    table = Table(rows, [4.2, 1.5, 1.5, 1.3], "amounts", caption=[Run("Rättade belopp, kronor")])
    blocks = [
        *head,
        Heading(f"Rättelse: {title}", 1),
        Paragraph([Run(text)]),
        Space(6),
        table,
        Space(6),
        *_closing(new, amounts),
    ]
    meta = dataclasses.replace(
        new.meta,
        title=f"Rättelse: {new.meta.title}",
        date=date.isoformat(),
        keywords=", ".join(p for p in ("rättelse", new.meta.keywords) if p),
    )
    return dataclasses.replace(new, meta=meta, blocks=blocks)


def _letter_date(document: Document) -> dt.date | None:
    try:
        return dt.date.fromisoformat(document.meta.date)
    except ValueError:
        return None


# --------------------------------------------------------------------------- the batch for a year


@dataclasses.dataclass
class Batch:
    """What ``generator send`` wrote: the folder, and each file with what it is."""

    folder: Path
    files: list[tuple[Path, str]]  # (path, what: "rättelse", "ändringsbeslut", …, "ändringsrapport")
    summary: Any  # sending.IssuedSummary


BATCH_FOLDER = "utskick"
SUBFOLDERS = {"rättelse": "rattelser", "ändringsbeslut": "andringsbeslut", "revised": "att_underteckna"}


def write_batch(year: int, validated: list, issued_folder: Path, out: Path, date: dt.date) -> Batch:
    """Write everything that must go out for the issued documents of ``year`` that changed into
    ``out/<year>/utskick/``: the rättelser, the draft ändringsbeslut, the revised agreements and plans to sign
    again, and the change report (DOCX and PDF). Raise a DataError (nothing written) if nothing of ``year`` is
    issued."""
    import time

    from generator.build.formats import choose_writers
    from generator.build.plan import plan
    from generator.build.provenance import write_atomic
    from generator.build.render import render_files, render_job
    from generator.change.amending import amending_decision
    from generator.change.drafts import draft_of
    from generator.change.issuing import issued_version
    from generator.change.report import change_report
    from generator.change.sending import ANDRINGSBESLUT, RATTELSE, REVIDERAD, REVIDERAD_PLAN, issued_summary
    from generator.change.staleness import check_issued
    from generator.errors import DataError

    mine = [v for v in validated if v.agreement.year == year]
    checks = check_issued(issued_folder, mine)
    if not checks:
        raise DataError(f"inga utfärdade dokument för {year} i {issued_folder}/ (generator issue registrerar dem)")
    summary = issued_summary(checks)
    by_document = {(c.record.year, c.record.document): c for c in checks}
    folder = out / str(year) / BATCH_FOLDER
    writers = choose_writers(["docx", "pdf"], None)
    documents: list[tuple[str, Document, str]] = []  # (name under the folder, document, what)
    versions: dict = {}
    for sending in summary.sendings:
        check = by_document[(sending.year, sending.document)]
        record = check.record
        current = next(v for v in mine if Path(v.file).resolve() == Path(record.agreement).resolve())
        job = next(
            (
                j
                for j in plan(current.agreement, current.allocation, municipal=current.municipal)
                if j.name == record.document
            ),
            None,
        )
        if job is None:
            continue
        base = record.document.rsplit("/", 1)[-1]
        if sending.what == RATTELSE:
            why = (
                f"Underlaget för {' och '.join(check.diff.pots)} har ändrats, och beloppen har räknats om."
                if check.diff is not None and check.diff.pots
                else "Underlaget har ändrats, och beloppen har räknats om."
            )
            new = render_job(current.agreement, job)
            document = correction(record.issued_document(), new, record.issued, date, sending.to, why)
            if document is not None:
                documents.append((f"{SUBFOLDERS[RATTELSE]}/{base}.rattelse", document, RATTELSE))
        elif sending.what == ANDRINGSBESLUT and job.decision is not None:
            key = tuple(sorted({**record.data, **record.sources}.items()))
            if key not in versions:
                versions[key] = issued_version(record)
            before = versions[key]
            amended = next((d for d in before.agreement.decisions if d.id == job.decision.id), job.decision)
            amendment = amending_decision(amended, before, current, date)
            if amendment is not None:
                documents.append((f"{SUBFOLDERS[ANDRINGSBESLUT]}/{base}.andringsbeslut", amendment, ANDRINGSBESLUT))
        elif sending.what in (REVIDERAD, REVIDERAD_PLAN):
            new = render_job(current.agreement, job)
            documents.append(
                (f"{SUBFOLDERS['revised']}/{base}", draft_of(new, record.issued, date, False), sending.what)
            )
    documents.append((f"andringsrapport_{year}", change_report(summary, year, date), "ändringsrapport"))
    rendered: list[tuple[Path, bytes, str]] = []
    for name, document, what in documents:  # everything rendered before anything is written
        started = time.perf_counter()
        rendered.extend(
            (path, data, what)
            for path, data, _ in render_files(document, name, folder, ["docx", "pdf"], writers, started)
        )
    files = []
    for path, data, what in rendered:
        write_atomic(path, data)
        files.append((path, what))
    return Batch(folder, files, summary)
