"""A draft ändringsbeslut: the government amends an issued decision whose figures changed.

Modelled on the house style of the shipped decision (seed 003): the same head
(number, date, dnr, department, addressee), "Regeringens beslut", "Ärendet",
"På regeringens vägnar" with the minister and the official, and the copy
list. The sources hold no amending decision; its wording follows how
Regeringskansliet writes them: "Regeringen ändrar sitt beslut den 16 juni
2011 (S2011/5826/FST) på så sätt att Kammarkollegiet ska betala ut
7 500 000 kronor i stället för 7 000 000 kronor till …", one clause per
changed figure, the new total, and "I övrigt gäller beslutet oförändrat."
The number is left for the government's meeting to give ("[nr]") and the
document is marked as a draft in its running header.
"""

from __future__ import annotations

import datetime as dt
import re

from generator.change.data_diff import Change, compare
from generator.data.blanks import tomt
from generator.data.model import Agreement, Decision, Earmark, Payout, Pot
from generator.data.prose_figures import walk_sections
from generator.data.validate import Validated
from generator.documents.model import Document
from generator.documents.templating import TEMPLATES, render_document
from generator.formatting import datum, datum_utan_den, kronor

TEMPLATE = "andringsbeslut.xml.j2"
DRAFT_NUMBER = tomt("nr")  # the visible blank, as every document prints an unknown


def _dnr(decision: Decision) -> str:
    """Return the decision's dnr as a reference: without "(delvis)" (the amendment cites the case)."""
    return ", ".join(re.sub(r"\s*\(delvis\)\s*$", "", dnr).strip() for dnr in decision.dnrs)


def _when(decision: Decision) -> str:
    """Return the decision's date as "16 juni 2011", or its blank if the data leaves it empty."""
    return datum_utan_den(decision.date) if decision.date else tomt("datum")


def reference(decision: Decision) -> str:
    """Return "sitt beslut den 16 juni 2011 (S2011/5826/FST)": how the amendment names the amended decision."""
    dnr = _dnr(decision)
    return f"sitt beslut den {_when(decision)}" + (f" ({dnr})" if dnr else f" (nr {decision.number})")


def _purpose(label: str) -> str:
    """Return a payout's label as the rest of a sentence: "Medel till SKL för X" → "till SKL för X"."""
    label = label.strip().rstrip(".")
    if label.lower().startswith("medel "):
        return label[6:]
    return "för " + label[:1].lower() + label[1:]


def _items(agreement: Agreement) -> dict[str, Payout | Earmark | Pot]:
    """Return every payout, pot and earmark of ``agreement`` by id."""
    out: dict[str, Payout | Earmark | Pot] = {}
    for section in walk_sections(agreement.sections):
        for payout in section.payouts:
            out[payout.id] = payout
            for earmark in payout.earmarks:
                out[earmark.id] = earmark
        for pot in section.pots:
            out[pot.id] = pot
    return out


def _and(parts: list[str]) -> str:
    return ", ".join(parts[:-1]) + " och " + parts[-1] if len(parts) > 1 else parts[0]


def _deadline(agreement: Agreement, name: str) -> str | None:
    """Return what is due on the date named ``name`` ("handlingsplanen och redovisningen till Regeringskansliet")."""
    date = agreement.dates.get(name) if isinstance(agreement.dates, dict) else None
    due: dict[str, list[str]] = {}  # receiver → what
    for section in walk_sections(agreement.sections):
        for deadline in section.deadlines:
            if date is not None and deadline.date == date:
                what = {"redovisning": "redovisningen", "handlingsplan": "handlingsplanen"}.get(
                    deadline.kind, str(deadline.kind)
                )
                whats = due.setdefault(deadline.to or "", [])
                if what not in whats:
                    whats.append(what)
    return _and([_and(whats) + (f" till {to}" if to else "") for to, whats in due.items()]) if due else None


def clauses(decision: Decision, old: Agreement, new: Agreement, changes: list[Change]) -> list[str]:
    """Return one clause per changed figure, in the words the amending decision uses."""
    items = {**_items(old), **_items(new)}
    payer = decision.addressee.name if decision.kind == "utbetalning" else None
    organisations = {o.id: o.name for o in new.organisations}
    out = []
    for change in changes:
        item = items.get(change.name)
        if isinstance(change.new, dt.date) or isinstance(change.old, dt.date):
            what = _deadline(old, change.name) or _deadline(new, change.name) or f"det som ska ske {datum(change.old)}"
            out.append(f"{what} ska lämnas senast {datum(change.new)} i stället för senast {datum(change.old)}")
        elif isinstance(item, Payout):
            recipient = organisations.get(item.recipient, "")
            purpose = _purpose(item.label)
            if recipient and recipient not in purpose:
                purpose = f"till {recipient} {purpose}"
            amounts = f"{kronor(change.new)} i stället för {kronor(change.old)}"
            out.append(f"{payer} ska betala ut {amounts} {purpose}" if payer else f"{amounts} ska betalas ut {purpose}")
        elif isinstance(item, Earmark):
            out.append(
                f"av medlen får {kronor(change.new)} i stället för {kronor(change.old)} användas för "
                f"{item.label[:1].lower() + item.label[1:]}"
            )
        elif isinstance(item, Pot):
            out.append(
                f"prestationsersättningen {item.title} ska uppgå till {kronor(change.new)} i stället för "
                f"{kronor(change.old)}"
            )
        elif isinstance(change.new, int) and isinstance(change.old, int):
            out.append(f"beloppet {change.label} ska vara {kronor(change.new)} i stället för {kronor(change.old)}")
    return out


def decision_text(decision: Decision, old: Agreement, new: Agreement, changes: list[Change]) -> str:
    """Return the text under "Regeringens beslut" (prose: paragraphs, a list when several figures change)."""
    order = {name: index for index, name in enumerate(_items(old) | _items(new))}
    ordered = sorted(
        (c for c in changes if c.name not in {"total", "summa"}),  # amounts in document order, then dates
        key=lambda c: (isinstance(c.new, dt.date) or isinstance(c.old, dt.date), order.get(c.name, len(order)), c.name),
    )
    parts = clauses(decision, old, new, ordered)
    lead = f"Regeringen ändrar {reference(decision)} på så sätt att"
    if len(parts) == 1:
        text = f"{lead} {parts[0]}."
    else:
        text = lead + "\n\n" + "\n".join(f"- {p}{';' if i < len(parts) - 1 else '.'}" for i, p in enumerate(parts))
    if old.total != new.total:
        payee = {o.id: o.name for o in new.organisations}.get("skl", "")
        if decision.kind == "utbetalning":
            text += (
                f"\n\n{decision.addressee.name} ska därmed betala ut sammanlagt {kronor(new.total)} i stället för "
                f"{kronor(old.total)}" + (f" till {payee}" if payee else "") + "."
            )
        else:
            text += (
                f"\n\nÖverenskommelsen omfattar därmed sammanlagt {kronor(new.total)} "
                f"i stället för {kronor(old.total)}."
            )
    text += "\n\nI övrigt gäller beslutet oförändrat."
    return text


def matter_text(decision: Decision, old: Agreement) -> str:
    """Return the text under "Ärendet": what the amended decision did, and why it is amended."""
    when = reference(decision).removeprefix("sitt ")
    subject = decision.subject[:1].lower() + decision.subject[1:]
    if decision.kind == "utbetalning":
        rest = re.sub(r"^uppdrag att utbetala medel\s+", "", subject)
        payee = {o.id: o.name for o in old.organisations}.get("skl")
        did = (
            f"Regeringen uppdrog genom {when} åt {decision.addressee.name} att utbetala {kronor(old.total)}"
            + (f" till {payee}" if payee else "")
            + f" {rest.removeprefix('till ') if payee else rest}".replace("insatser", "för insatser", 1)
            + "."
        )
    else:
        did = f"Regeringen fattade {when} beslut i ärendet {subject}."
    return (
        did + "\n\nBelopp i överenskommelsen mellan staten och Sveriges Kommuner och Landsting har därefter "
        "ändrats. Beslutet ändras så att det stämmer med överenskommelsen i dess nya lydelse."
    )


def amending_decision(decision: Decision, old: Validated, new: Validated, date: dt.date | None) -> Document | None:
    """Return the draft ändringsbeslut of ``decision`` (of ``old``'s agreement), or None if no figure changed.

    ``date`` None leaves the date for the government's meeting: "[datum]" in the head.
    """
    diff = compare(old, new, "utfärdad", "nu")
    changes = [c for c in diff.figures if not c.name.startswith("sec.")]
    if not changes and old.agreement.total == new.agreement.total:
        return None
    draft = decision.model_copy(
        update={
            "number": DRAFT_NUMBER,
            "date": date,
            "subject": f"Ändring av regeringens beslut den {_when(decision)} om "
            f"{decision.subject[:1].lower() + decision.subject[1:]}",
            "decision": decision_text(decision, old.agreement, new.agreement, changes),
            "matter": matter_text(decision, old.agreement),
            "attachments": [],
        }
    )
    return render_document(TEMPLATE, new.agreement, {"decision": draft, "amended": decision}, TEMPLATES)
