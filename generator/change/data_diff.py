"""What a change of the data changes: figures, totals, recipients' payouts and the documents they are in.

``generator diff A B`` compares two versions of an agreement (see :mod:`generator.change.versions`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from generator.build.provenance import display
from generator.data.model import Agreement, TableBlock
from generator.data.prose_figures import figure_context, render_prose, section_parts_sum, table_rows_sum, walk_sections
from generator.data.reference import recipient
from generator.data.validate import Validated
from generator.formatting import datum, kronor, skillnad_kronor

# --------------------------------------------------------------------------- comparing


@dataclass
class Change:
    name: str
    label: str
    old: Any
    new: Any
    recipients: list[str] = field(default_factory=list)  # who receives a changed fixed payout

    @property
    def difference(self) -> int | None:
        if isinstance(self.old, int) and isinstance(self.new, int):
            return self.new - self.old
        return None


@dataclass
class RecipientChange:
    code: str
    name: str
    old: int
    new: int

    @property
    def difference(self) -> int:
        return self.new - self.old


@dataclass
class Diff:
    a: str
    b: str
    figures: list[Change] = field(default_factory=list)
    totals: list[Change] = field(default_factory=list)
    recipients: list[RecipientChange] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # stated totals that no longer match their parts
    document_changes: list[Any] = field(default_factory=list)  # docdiff.DocumentChange, per document
    inputs: list[Any] = field(default_factory=list)  # causes.InputChange: the values changed in the input files
    pots: list[str] = field(default_factory=list)  # the pots shared by share whose data changed (their titles)

    @property
    def changed(self) -> bool:
        return bool(
            self.figures
            or self.totals
            or self.recipients
            or any(d.status != "oförändrat" for d in self.document_changes)
        )

    def to_json(self) -> str:
        def encode(value: Any) -> Any:
            return value.isoformat() if isinstance(value, dt.date) else value

        payload = {
            "a": self.a,
            "b": self.b,
            "inputs": [i.to_dict() for i in self.inputs],
            "recipients_summary": recipients_summary(self.recipients),
            "pots": self.pots,
            "figures": [
                {**asdict(c), "old": encode(c.old), "new": encode(c.new), "difference": c.difference}
                for c in self.figures
            ],
            "totals": [
                {**asdict(c), "old": encode(c.old), "new": encode(c.new), "difference": c.difference}
                for c in self.totals
            ],
            "recipients": [{**asdict(r), "difference": r.difference} for r in self.recipients],
            "documents": self.documents,
            "warnings": self.warnings,
            "document_changes": [
                {"name": d.name, "title": d.title, "status": d.status, "changes": [asdict(c) for c in d.changes]}
                for d in self.document_changes
            ],
        }
        return json.dumps(payload, ensure_ascii=False, indent=1)


def _labels(agreement: Agreement) -> dict[str, str]:
    labels = {"total": "överenskommelsens angivna total", "summa": "summan av alla utbetalningar och potter"}
    for section in walk_sections(agreement.sections):
        labels[f"sec.{section.id}.total"] = f"summa för {section.title}"
        for payout in section.payouts:
            labels[payout.id] = payout.label
            for earmark in payout.earmarks:
                labels[earmark.id] = earmark.label
        for pot in section.pots:
            labels[pot.id] = pot.title
    for name, (label, _) in _tables(agreement).items():
        labels[name] = label
    return labels


def _tables(agreement: Agreement) -> dict[str, tuple[str, Any]]:
    """Return every budget table by its name (``tab.<id>.total``, else by appendix), with a label, and the table."""
    from generator.data.numbering import appendix_numbers
    from generator.data.prose_figures import walk_appendices

    numbers = appendix_numbers(agreement.appendices)
    out: dict[str, tuple[str, Any]] = {}
    for appendix in walk_appendices(agreement.appendices):
        tables = [block.table for block in appendix.blocks if isinstance(block, TableBlock)]
        for index, table in enumerate(tables, 1):
            name = f"tab.{table.id}.total" if table.id else f"bil.{appendix.id}.tabell{index}.summa"
            title = f"tabellen {table.title!r}" if table.title else f"tabell {index}"
            out[name] = (f"summa i {title} i Bil {numbers[appendix.id]} {appendix.title}", table)
            out[name.rsplit(".", 1)[0] + ".intakter"] = (
                f"intäkter i {title} i Bil {numbers[appendix.id]} {appendix.title}",
                table,
            )
    return out


def _payout_recipients(agreement: Agreement) -> dict[str, list[str]]:
    """Return who receives each fixed payout and earmark: the organisation it is for, and whom it is paid to."""
    names = {o.id: o.short or o.name for o in agreement.organisations}
    full = {o.id: o.name for o in agreement.organisations}
    out: dict[str, list[str]] = {}
    for section in walk_sections(agreement.sections):
        for payout in section.payouts:
            if payout.beneficiary and payout.beneficiary != payout.recipient:
                who = [f"{full[payout.beneficiary]} (utbetalas till {names[payout.recipient]})"]
            else:
                who = [full.get(payout.recipient, payout.recipient)]
            if payout.distribution is not None:
                who = [f"{who[0]}, fördelat på län (se mottagarna nedan)"]
            out[payout.id] = who
            for earmark in payout.earmarks:
                out[earmark.id] = who
    return out


def figures_of(agreement: Agreement) -> dict[str, Any]:
    """Return every amount and date of an agreement by the name prose uses for it (sections' totals too)."""
    context = figure_context(agreement)
    out = {
        k: v
        for k, v in context.items()
        if isinstance(k, str) and k != "year" and not isinstance(v, bool) and isinstance(v, (int, dt.date))
    }
    sections = list(walk_sections(agreement.sections))
    for section in sections:  # computed from the parts, so a changed part shows even before the stated total
        out[f"sec.{section.id}.total"] = section_parts_sum(section)
    for name, (_, table) in _tables(agreement).items():  # computed from the rows, payouts they refer to included
        if name.endswith(".intakter"):
            continue
        out[name] = table_rows_sum(table, context)
        if any(row.income is not None or row.cost is not None for row in table.rows):
            out[name.rsplit(".", 1)[0] + ".intakter"] = sum(
                context.get(row.ref, 0) if row.ref else (row.income or 0)
                for row in table.rows
                if row.income is not None or row.ref
            )
    out["summa"] = sum(p.amount for s in sections for p in s.payouts) + sum(p.amount for s in sections for p in s.pots)
    return out


_EXPRESSION = re.compile(r"\{\{\s*(.*?)\s*\}\}", re.S)


def prose_figures(agreement: Agreement) -> dict[str, str]:
    """Return every figure expression of the agreement's prose that is computed (not one name), as it renders."""
    from generator.data.model import prose_fields, walk_models

    context = figure_context(agreement)
    plain = {name for name, value in context.items() if isinstance(name, str) and isinstance(value, (int, dt.date))}
    out: dict[str, str] = {}
    for model, _ in walk_models(agreement):
        for _, value in prose_fields(model):
            for text in value if isinstance(value, list) else [value]:
                for expression in _EXPRESSION.findall(text if isinstance(text, str) else ""):
                    subject = expression.split("|", 1)[0].strip()
                    if subject in plain or expression in out:
                        continue
                    try:
                        out[expression] = render_prose("{{ " + expression + " }}", context)
                    except Exception:  # noqa: BLE001 - a reference this version lacks: not a change of figure
                        continue
    return out


_KINDS = {"kommun": "kommuner", "landsting": "landsting", "lan": "län"}


def _bases(validated: Validated) -> dict[tuple[str, str, str], tuple[str, set[int]]]:
    """Return, per distributed item, kind of recipient and key, what it is shared by: the key's total(s)."""
    out: dict[tuple[str, str, str], tuple[str, set[int]]] = {}
    if validated.allocation is None:
        return out
    for item in validated.allocation.items:
        for line in item.lines:
            if line.key is not None and line.key_total is not None:
                out.setdefault((item.id, line.kind, line.key), (item.label, set()))[1].add(line.key_total)
    return out


def _share_bases(a: Validated, b: Validated) -> list[Change]:
    """Return the changed totals a pot is shared by (the sum of the recipients' counts): why every recipient's
    share of it moves a little. A total per county is left out (the recipients' amounts show it)."""
    from generator.formatting import tal

    before, after = _bases(a), _bases(b)
    out = []
    for key in sorted(set(before) & set(after)):
        (label, old), (_, new) = before[key], after[key]
        if len(old) == 1 and len(new) == 1 and old != new:
            item, kind, basis = key
            out.append(
                Change(
                    f"{item}.{kind}.underlag",
                    f"summan som {label} fördelas efter ({basis}, {_KINDS.get(kind, kind)})",
                    tal(next(iter(old))),
                    tal(next(iter(new))),
                )
            )
    return out


def _per_recipient(validated: Validated) -> dict[str, int]:
    totals: dict[str, int] = {}
    if validated.allocation is not None:
        for line in validated.allocation.lines:
            totals[line.code] = totals.get(line.code, 0) + line.amount
    return totals


def compare(
    a: Validated,
    b: Validated,
    label_a: str,
    label_b: str,
    output: Path | None = None,
    documents: bool | set[str] = True,
) -> Diff:
    """Return what changes from ``a`` to ``b``; ``output`` is the folder whose documents may be affected.

    ``documents`` compares the text of every document of both versions (or of the named ones).
    """
    from generator.change.causes import input_changes

    diff = Diff(label_a, label_b)
    diff.inputs = input_changes(a, b)
    known = {w.message for w in a.warnings}
    diff.warnings = [
        f"{label_b}: {w.message}" for w in b.warnings if "blir tillsammans" in w.message and w.message not in known
    ]
    old, new = figures_of(a.agreement), figures_of(b.agreement)
    labels = {**_labels(a.agreement), **_labels(b.agreement)}
    diff.pots = pots_of(diff.inputs, b.agreement)
    receivers = {**_payout_recipients(a.agreement), **_payout_recipients(b.agreement)}
    is_total = lambda n: n in {"total", "summa"} or n.startswith(("sec.", "tab.", "bil."))  # noqa: E731
    for name in sorted(set(old) | set(new), key=lambda n: (is_total(n), n)):
        if old.get(name) != new.get(name):
            change = Change(name, labels.get(name, name), old.get(name), new.get(name), receivers.get(name, []))
            (diff.totals if is_total(name) else diff.figures).append(change)
    diff.totals.extend(_share_bases(a, b))
    old_prose, new_prose = prose_figures(a.agreement), prose_figures(b.agreement)
    for expression in sorted(set(old_prose) & set(new_prose)):
        if old_prose[expression] != new_prose[expression]:
            diff.totals.append(
                Change("{{ " + expression + " }}", "uträknat i texten", old_prose[expression], new_prose[expression])
            )
    before, after = _per_recipient(a), _per_recipient(b)
    for code in set(before) | set(after):
        if before.get(code, 0) != after.get(code, 0):
            diff.recipients.append(RecipientChange(code, recipient(code)[1], before.get(code, 0), after.get(code, 0)))
    diff.recipients.sort(key=lambda r: (-abs(r.difference), r.code))
    if documents:
        from generator.change.docdiff import compare_documents

        diff.document_changes = compare_documents(a, b, documents if isinstance(documents, set) else None)
    if output is not None and diff.changed:
        diff.documents = affected_documents(output, b.file)
    return diff


def pots_of(inputs: list[Any], agreement: Agreement) -> list[str]:
    """Return the titles of the pots whose outcome rows are among ``inputs`` (causes.InputChange): an outcome row
    names its pot first ("senior_registrering 1280, antal")."""
    titles = {p.id: p.title for s in walk_sections(agreement.sections) for p in s.pots}
    out: list[str] = []
    for cause in inputs:
        pot = cause.where.split(" ", 1)[0]
        if pot in titles and titles[pot] not in out:
            out.append(titles[pot])
    return out


def affected_documents(output: Path, source: Path) -> list[str]:
    """Return the documents in ``output`` whose manifest entry names ``source`` as an input."""
    from generator.build.provenance import Manifest

    entries = Manifest.load(output).entries  # a damaged manifest reads as empty
    wanted = display(source)
    return sorted(
        name for name, entry in entries.items() if isinstance(entry.get("sources"), dict) and wanted in entry["sources"]
    )


def value_text(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return datum(value)
    return kronor(value)


#: More recipients than this whose amounts move: one line says so, with the largest and smallest change.
MANY_RECIPIENTS = 10


def recipients_summary(recipients: list[RecipientChange]) -> dict[str, Any] | None:
    """Return how the recipients' amounts move, as plain data: how many, the sum, the largest and smallest change
    (by size), and how many gain and lose; None when none moves."""
    if not recipients:
        return None
    ordered = sorted(recipients, key=lambda r: (-abs(r.difference), r.code))
    largest, smallest = ordered[0], ordered[-1]
    return {
        "count": len(recipients),
        "total": sum(r.difference for r in recipients),
        "up": sum(1 for r in recipients if r.difference > 0),
        "down": sum(1 for r in recipients if r.difference < 0),
        "largest": {**asdict(largest), "difference": largest.difference},
        "smallest": {**asdict(smallest), "difference": smallest.difference},
    }


def recipients_text(recipients: list[RecipientChange], every: bool = False, pots: list[str] | None = None) -> list[str]:
    """Return the lines on the recipients whose amounts move: each of them when few (or ``every``); else one
    line that says why every recipient's amount moves a little, with the largest and smallest change."""
    summary = recipients_summary(recipients)
    if summary is None:
        return []
    if every or summary["count"] <= MANY_RECIPIENTS:
        out = [f"\nMottagare vars utbetalning ändras ({summary['count']}, störst först):"]
        out.extend(
            f"  {r.code} {r.name}: {kronor(r.old)} → {kronor(r.new)} ({skillnad_kronor(r.difference, '±')})"
            for r in recipients
        )
        return out
    big, small = summary["largest"], summary["smallest"]
    return [
        f"\nMottagare vars utbetalning ändras: {summary['count']} ({summary['up']} får mer, {summary['down']} mindre,"
        f" sammanlagt {skillnad_kronor(summary['total'], '±')}).",
        (
            f"  Potten {' och '.join(pots)} fördelas efter andel: när en mottagares underlag ändras delas den på nytt,"
            if pots
            else "  En pott som fördelas efter andel delas på nytt när en mottagares underlag ändras,"
        )
        + " så varje mottagares belopp ändras lite:",
        f"  störst ändring {big['code']} {big['name']}: {kronor(big['old'])} → {kronor(big['new'])}"
        f" ({skillnad_kronor(big['difference'], '±')}),",
        f"  minst {small['code']} {small['name']}: {kronor(small['old'])} → {kronor(small['new'])}"
        f" ({skillnad_kronor(small['difference'], '±')}).",
        "  (--alla visar varje mottagare.)",
    ]


def diff_text(diff: Diff, every: bool = False) -> str:
    """Return the diff as plain Swedish text: the inputs that changed first, then the figures that moved and why,
    then the documents. ``every`` lists every recipient, and every built file made from the data."""
    out = [f"Jämförelse: {diff.a} → {diff.b}"]
    out.extend(f"OBS: {w}" for w in diff.warnings)
    if not diff.changed:
        out.append("Inga belopp, datum, utbetalningar eller dokumenttexter skiljer sig.")
        return "\n".join(out)
    if diff.inputs:
        out.append("\nÄndrade indata (fil:rad: var: före → efter):")
        out.extend(f"  {i.text()}" for i in diff.inputs)
    for title, changes in (("Ändrade belopp och datum", diff.figures), ("Summor som ändras med dem", diff.totals)):
        if changes:
            out.append(f"\n{title}:")
            for c in changes:
                delta = f" ({skillnad_kronor(c.difference, '±')})" if c.difference is not None else ""
                out.append(f"  {c.name}: {c.label}: {value_text(c.old)} → {value_text(c.new)}{delta}")
                out.extend(f"    mottagare: {who}" for who in c.recipients)
    out.extend(recipients_text(diff.recipients, every, diff.pots))
    if diff.document_changes:
        from generator.change.docdiff import changes_text

        changed = sum(1 for d in diff.document_changes if d.status != "oförändrat")
        out.append(f"\nDokument ({changed} av {len(diff.document_changes)} ändras):")
        out.extend(changes_text(diff.document_changes))  # the unchanged ones: one line, grouped by folder
    moved = {d.name for d in diff.document_changes if d.status != "oförändrat"}
    built = [n for n in diff.documents if every or not diff.document_changes or _stem(n) in moved]
    if diff.documents:
        out.append(
            "\nByggda dokument i output/ som görs av filen:"
            if every
            else "\nByggda dokument i output/ vars text ändras (--alla visar alla som görs av filen):"
        )
        out.extend(f"  {name}" for name in built)
    else:
        out.append("\nByggda dokument: inga (kör generator build)")
    return "\n".join(out)


def _stem(name: str) -> str:
    """Return the document name of a built file's manifest name ("2012/lansbrev/lansbrev_01_….pdf")."""
    return name.split("/", 1)[1].rsplit(".", 1)[0] if "/" in name else name.rsplit(".", 1)[0]
