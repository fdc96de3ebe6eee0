"""Checks of an agreement against what is computed from it: the county agreements' budgets against the distribution.

Also whether an agreement's distributions can be computed without key or outcome files (:func:`without_files`).
"""

from __future__ import annotations

from typing import Any

from generator.data.loading import SourceMap, dotted
from generator.data.model import Agreement, Payout, Pot
from generator.data.prose_figures import walk_sections
from generator.errors import Finding
from generator.formatting import kronor, skillnad_kronor


def without_files(agreement: Agreement) -> bool:
    """Return True if ``agreement`` distributes something and needs no key or outcome file to do it.

    A payout shared by a published table, a fixed table or the number of municipalities per county
    (from the reference lists) is computed without ``data:``; a pot or a population key needs files.
    """
    items: list[Payout | Pot] = [
        item for section in walk_sections(agreement.sections) for item in section.payouts + section.pots
    ]
    distributions = [(item, item.distribution) for item in items if item.distribution is not None]
    return bool(distributions) and all(
        isinstance(item, Payout) and d.split is None and d.key in {None, "antal_kommuner"} for item, d in distributions
    )


def county_agreements(agreement: Agreement, allocation: Any, source: SourceMap) -> tuple[list[Finding], list[Finding]]:
    """Return what is wrong with the county agreements against the distribution they print: (errors, warnings).

    A county's budget belongs to the county that receives the payout: the
    budgets of its parts are compared with its amount.
    """
    from generator.data.reference import counties

    ca = agreement.county_agreements
    assert ca is not None, "checked only for an agreement with county agreements"
    errors: list[Finding] = []
    warnings: list[Finding] = []
    item = next((i for i in (allocation.items if allocation else []) if i.id == ca.payout), None)
    if item is None or item.distribution.level != "lan":
        errors.append(
            Finding(
                source.locate(("county_agreements", "utbetalning")),
                f"{ca.payout!r} är ingen utbetalning som fördelas på länen (level lan)",
                "county_agreements.payout",
                "ange en utbetalning med en distribution: med level lan",
            )
        )
        return errors, warnings
    amounts = {line.code: line.amount for line in item.lines}
    for code, fill in ca.counties.items():
        path = ("county_agreements", "counties", code)
        if code not in counties():
            errors.append(
                Finding(
                    source.locate(path),
                    f"{code!r} är ingen länskod",
                    dotted(path),
                    "county codes are two digits: 01 Stockholms län … 25 Norrbottens län",
                )
            )
            continue
        budgets = [(i, part) for i, part in enumerate(fill.parts) if part.budget is not None]
        if not budgets:
            continue
        budgeted = 0
        for _, part in budgets:
            t = part.budget
            assert t is not None  # budgets holds the parts with a budget
            has_ie = any(r.income is not None or r.cost is not None for r in t.rows)
            cost = (
                (t.total_cost if t.total_cost is not None else sum(r.cost or 0 for r in t.rows))
                if has_ie
                else (t.total if t.total is not None else sum(r.amount or 0 for r in t.rows))
            )
            budgeted += cost
        name = counties()[code].name
        if budgeted != amounts.get(code, 0):
            areas = ", ".join(part.area or name for _, part in budgets)
            warnings.append(
                Finding(
                    source.locate(path + ("parts", budgets[0][0], "budget")),
                    f"budgetarna för {name} ({areas}) blir tillsammans {kronor(budgeted)}, men länet får "
                    f"{kronor(amounts.get(code, 0))} av {ca.payout} "
                    f"(skillnad {skillnad_kronor(budgeted - amounts.get(code, 0))})",
                    dotted(path + ("parts", budgets[0][0], "budget")),
                    "warning",
                    "en budget för en del av ett län täcker en del av dess belopp; resten har ingen budget i data",
                )
            )
    return errors, warnings
