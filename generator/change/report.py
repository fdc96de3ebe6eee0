"""The change report for the person who decides: which inputs changed since the documents were issued, the
amounts per recipient as issued and now, the documents affected, and what is sent to whom.

Made from :class:`generator.change.sending.IssuedSummary` (plain data) as a document model, written as DOCX and
PDF by the same writers as every document (``generator send ÅR``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.change.causes import shown
from generator.documents.model import Cell, Document, Heading, Meta, Paragraph, Run, Space, Table, TableRow
from generator.formatting import datum, kronor, tal


def _number(amount: int | None) -> str:
    return "–" if amount is None else kronor(amount).removesuffix("\u00a0kronor")


def _breakable(name: str) -> str:
    """Return a file name with a zero-width space after each _ and /: it breaks inside its cell, never over the
    next one."""
    return name.replace("_", "_\u200b").replace("/", "/\u200b")


def _signed(amount: int | None) -> str:
    if amount is None:
        return "–"
    return ("+" if amount > 0 else "−" if amount < 0 else "±") + _number(abs(amount))


def _table(head: list[str], rows: list[list[str]], widths: list[float], right: set[int], caption: str) -> Table:
    def row(texts: list[str], kind: str = "body") -> TableRow:
        return TableRow(
            [Cell([Run(t)], "right" if i in right else "left") for i, t in enumerate(texts)],
            kind,  # type: ignore[arg-type]
        )

    return Table([row(head, "head"), *(row(r) for r in rows)], widths, "amounts", caption=[Run(caption)])


def change_report(summary: Any, year: int, date: dt.date) -> Document:
    """Return the change report of ``summary`` (a :class:`generator.change.sending.IssuedSummary`) for ``year``."""
    counts = summary.counts()
    sent = ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "inget"
    blocks: list = [
        Heading(f"Ändringsrapport {year}: utfärdade dokument som ändrats", 1),
        Paragraph(
            [
                Run(
                    f"{tal(summary.changed)} av {tal(summary.checked)} utfärdade dokument för {year} får en annan "
                    f"text med data som de är den {datum(date)}. Att skicka: {sent}. Rapporten visar vilka indata "
                    "som ändrats, beloppen per mottagare som utfärdade och nu, och vad som skickas till vem. Den "
                    "utfärdade versionen av varje dokument ligger kvar oförändrad."
                )
            ]
        ),
    ]
    if summary.total_old is not None and summary.total_new is not None and summary.total_old != summary.total_new:
        blocks.append(
            Paragraph(
                [
                    Run(
                        f"Summan av utbetalningarna ändras från {kronor(summary.total_old)} till "
                        f"{kronor(summary.total_new)} ({_signed(summary.total_new - summary.total_old)} kronor)."
                    )
                ]
            )
        )
    blocks.append(Heading("Ändrade indata", 2))
    if summary.inputs:
        rows = [
            [f"{i.file}:{i.line}" if i.line else i.file, i.where, shown(i.old), shown(i.new)] for i in summary.inputs
        ]
        blocks.append(_table(["Fil och rad", "Var", "Före", "Efter"], rows, [4.0, 3.0, 1.2, 1.2], {2, 3}, "Indata"))
    else:
        blocks.append(Paragraph([Run("Inga indatafiler har ändrats; mallarna eller generatorn har ändrats.")]))
    amounts = [c for c in summary.figures if isinstance(c.old, int) and isinstance(c.new, int)]
    if amounts:
        blocks.append(Heading("Ändrade belopp", 2))
        rows = [
            [
                c.label + (f" ({', '.join(c.recipients)})" if c.recipients else ""),
                _number(c.old),
                _number(c.new),
                _signed(c.new - c.old),
            ]
            for c in amounts
        ]
        blocks.append(_table(["Belopp", "Utfärdat", "Nu", "Skillnad"], rows, [4.4, 1.5, 1.5, 1.3], {1, 2, 3}, "Kronor"))
    blocks.append(Heading("Belopp per mottagare", 2))
    if summary.recipients:
        total = sum(r.difference for r in summary.recipients)
        blocks.append(
            Paragraph(
                [
                    Run(
                        f"{tal(len(summary.recipients))} mottagare får ett ändrat belopp, sammanlagt "
                        f"{_signed(total)} kronor. Störst först."
                    )
                ]
            )
        )
        rows = [
            [f"{r.name} ({r.code})", _number(r.old), _number(r.new), _signed(r.difference)] for r in summary.recipients
        ]
        blocks.append(
            _table(["Mottagare", "Utfärdat", "Nu", "Skillnad"], rows, [4.0, 1.6, 1.6, 1.3], {1, 2, 3}, "Kronor")
        )
    else:
        blocks.append(
            Paragraph(
                [
                    Run(
                        "Ingen fördelning till kommuner, landsting eller län ändras"
                        + ("; de ändrade beloppen står ovan." if amounts else ".")
                    )
                ]
            )
        )
    blocks.append(Heading("Vad som skickas till vem", 2))
    rows = [
        [
            f"{_breakable(s.document)} (utfärdat {s.issued.isoformat()})",
            s.what,
            s.to or "–",
            _number(s.old),
            _number(s.new),
        ]
        for s in summary.sendings
    ]
    blocks.append(
        _table(["Dokument", "Skickas", "Till", "Utfärdat", "Nu"], rows, [4.2, 1.7, 1.8, 1.2, 1.2], {3, 4}, "Dokument")
    )
    blocks.append(Space(12))
    blocks.append(
        Paragraph(
            [
                Run(
                    "Rättelserna, utkasten till ändringsbeslut och de reviderade dokumenten ligger i samma mapp som "
                    "rapporten. Läs igenom dem, fyll i nummer och datum där det står [nr] och [datum], och registrera "
                    "det som skickas med generator issue."
                )
            ],
            "small",
        )
    )
    meta = Meta(
        title=f"Ändringsrapport {year}",
        subject=f"Utfärdade dokument {year} som ändrats",
        keywords=f"ändringsrapport, {year}",
        date=date.isoformat(),
    )
    return Document(meta, blocks, header=[f"Ändringsrapport {year}", datum(date)])
