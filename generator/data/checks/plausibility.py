"""Plausibility: figures that pass the schema but cannot be meant (dates years away, payouts of 0 kronor)."""

from __future__ import annotations

import datetime as dt

from generator.data.checks.context import CheckContext
from generator.data.model import Deadline, Payout, Pot

#: How far the dated acts of an agreement (signing, decisions, letters, deadlines, periods) may lie from
#: its year: agreements are signed the year before at the earliest and reported on within a few years.
YEARS_BEFORE, YEARS_AFTER = 2, 3


def check_plausibility(context: CheckContext) -> None:
    """Report figures that pass the schema but cannot be meant.

    A date years away from the agreement's year (2031 with every date in 2011, a decision dated 9999-12-31),
    a deadline before the agreement is signed, a payout or pot of 0 kronor.
    """
    agreement = context.agreement
    low, high = agreement.year - YEARS_BEFORE, agreement.year + YEARS_AFTER
    for model, path in context.nodes:
        if isinstance(model, (Payout, Pot)) and model.amount == 0:
            context.error(
                path + ("amount",),
                f"{'utbetalningen' if isinstance(model, Payout) else 'potten'} {model.id!r} är 0 kronor",
                "ta bort den, eller ange beloppet den betalar",
            )
        for name in type(model).model_fields:
            value = getattr(model, name)
            if isinstance(value, dt.date) and not low <= value.year <= high:
                context.error(
                    path + (name,),
                    f"datumet {value.isoformat()} ligger långt från överenskommelsens år "
                    f"{agreement.year} (väntat {low}–{high})",
                    "kontrollera överenskommelsens år och datumets: ett av dem är felskrivet",
                )
    signed = agreement.signing.date if agreement.signing else None
    first_decision = min((d.date for d in agreement.decisions if d.date), default=None)
    start, what = (signed, "överenskommelsen undertecknas") if signed else (first_decision, "det första beslutet")
    if start is not None:
        for model, path in context.nodes:
            if type(model) is Deadline and model.date < start:
                context.error(
                    path + ("date",),
                    f"tidpunkten för {model.kind}, {model.date.isoformat()}, infaller före "
                    f"{what} ({start.isoformat()})",
                    "en rapport eller betalning kan inte förfalla innan överenskommelsen finns; kontrollera året",
                )
