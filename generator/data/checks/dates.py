"""Dates in order: periods, measurements before deadlines, deadlines in sequence, letters before what they ask,
no decision before the signing it approves or pays."""

from __future__ import annotations

import datetime as dt

from generator.data.checks.context import CheckContext
from generator.data.model import Period, Pot, Section


def check_dates(context: CheckContext) -> None:
    """Report a period that ends before it starts; warn about dates out of order."""
    agreement = context.agreement
    year_start = dt.date(agreement.year, 1, 1)
    for model, path in context.nodes:
        if isinstance(model, Period) and model.start >= model.end:
            context.error(
                path, f"perioden börjar {model.start.isoformat()}, inte före sitt slut {model.end.isoformat()}"
            )
        if isinstance(model, Pot):
            end = model.period.end if model.period else model.measured_on
            if end is None:
                continue
            if model.data_entry and model.data_entry < end:
                context.warning(
                    path + ("data_entry",),
                    f"sista registreringsdagen {model.data_entry.isoformat()} "
                    f"infaller innan mätningen slutar {end.isoformat()}",
                )
            for index, deadline in enumerate(model.deadlines):
                if deadline.date <= end:
                    context.warning(
                        path + ("deadlines", index, "date"),
                        f"datumet för {deadline.kind}, {deadline.date.isoformat()}, infaller innan "
                        f"mätningen det gäller slutar ({end.isoformat()})",
                    )
        if isinstance(model, Section):
            order = {"aterrapportering": 0, "slutredovisning": 1, "aterbetalning": 2}
            for index, deadline in enumerate(model.deadlines):
                if deadline.kind in order and deadline.date < year_start:
                    context.warning(
                        path + ("deadlines", index, "date"),
                        f"datumet för {deadline.kind}, {deadline.date.isoformat()}, infaller innan "
                        f"överenskommelsens år {agreement.year} börjar",
                    )
            ranked = [(order[d.kind], d, i) for i, d in enumerate(model.deadlines) if d.kind in order]
            for rank, deadline, index in ranked:
                for other_rank, other, _ in ranked:
                    if other_rank < rank and other.date > deadline.date:
                        context.warning(
                            path + ("deadlines", index, "date"),
                            f"datumet för {deadline.kind}, {deadline.date.isoformat()}, kommer före "
                            f"datumet för {other.kind}, {other.date.isoformat()}",
                        )
    _letter_dates(context)
    if agreement.signing:
        for index, decision in enumerate(agreement.decisions):
            if decision.date and decision.date < agreement.signing.date:  # pays or approves what was not yet agreed
                what = "utbetalningsbeslutet" if decision.kind == "utbetalning" else "beslutet att godkänna den"
                context.error(
                    ("decisions", index, "date"),
                    f"{what} är daterat {decision.date.isoformat()}, innan överenskommelsen undertecknades "
                    f"{agreement.signing.date.isoformat()}",
                    "ett beslut kan inte godkänna eller betala ut medel för en överenskommelse som ännu inte finns: "
                    "kontrollera båda datumen mot källan",
                )


def _letter_dates(context: CheckContext) -> None:
    """Report what a county letter asks for whose deadline is already past at the letter's date."""
    cl = context.agreement.county_letters
    if cl is None:
        return
    hint = (
        "ett brev räknar bara upp det som ännu kan göras: ange ett senare datum, eller skriv det passerade datumet "
        "som ett faktum i texten"
    )
    if cl.reply_by is not None and cl.reply_by < cl.date:
        context.error(
            ("county_letters", "reply_by"),
            f"svarsdagen {cl.reply_by.isoformat()} har redan passerat vid brevets datum {cl.date.isoformat()}",
            hint,
        )
    for index, step in enumerate(cl.steps):
        if step.date is not None and step.date < cl.date:
            context.error(
                ("county_letters", "steps", index, "date"),
                f"sista dagen {step.date.isoformat()} har redan passerat vid brevets datum {cl.date.isoformat()}",
                hint,
            )
    items: set[str] = set()
    for section, _ in context.sections():
        items.update(payout.id for payout in section.payouts)
        items.update(pot.id for pot in section.pots)
    for key in cl.item_conditions:
        if key not in items:
            context.error(("county_letters", "item_conditions", key), f"ingen utbetalning eller pott har id:t {key!r}")
