"""References: every organisation, appendix, payout and distribution key an agreement names exists."""

from __future__ import annotations

import difflib

from generator.data.checks.context import CheckContext
from generator.data.loading import PathKey
from generator.data.model import Distribution, Letter, Party, Payout, Row, Section, Table
from generator.data.prose_figures import walk_appendices
from generator.data.reference import DISTRIBUTION_KEYS


def check_references(context: CheckContext) -> None:
    """Report a reference to an organisation, appendix, payout or distribution key that does not exist."""
    agreement = context.agreement
    organisations = {o.id for o in agreement.organisations}
    appendices = {a.id for a in walk_appendices(agreement.appendices)}
    payouts = set(context.payouts)

    def check(value: str | None, known: set, path: PathKey, what: str) -> None:
        if value is not None and value not in known:
            close = difflib.get_close_matches(value, sorted(known), n=1)
            hint = f"menade du {close[0]!r}?" if close else f"kända: {', '.join(sorted(known)) or 'inga'}"
            context.error(path, f"okänd {what} {value!r}", hint)

    for model, path in context.nodes:
        if isinstance(model, Payout):
            check(model.recipient, organisations, path + ("recipient",), "organisation")
            check(model.beneficiary, organisations, path + ("beneficiary",), "organisation")
        if isinstance(model, Party):
            check(model.organisation, organisations, path + ("organisation",), "organisation")
        if isinstance(model, Letter):
            check(model.sender, organisations, path + ("sender",), "organisation")
        if isinstance(model, (Payout, Section)):
            for index, ref in enumerate(model.appendices):
                check(ref, appendices, path + ("appendices", index), "bilaga")
        if isinstance(model, Row):
            check(model.ref, payouts, path + ("ref",), "utbetalning")
        if isinstance(model, Table):
            check(model.funding_ref, payouts, path + ("funding_ref",), "utbetalning")
            for index, ref in enumerate(model.funded_by):
                check(ref, payouts, path + ("funded_by", index), "utbetalning")
        if isinstance(model, Distribution):
            check(model.key, set(DISTRIBUTION_KEYS), path + ("key",), "fördelningsnyckel")
