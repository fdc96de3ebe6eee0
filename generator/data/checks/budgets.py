"""Budgets: income against cost, labels naming another year, budget tables against the payouts that fund them."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from generator.data.checks.context import CheckContext
from generator.data.loading import PathKey
from generator.data.model import Appendix, Payout, Row, Table, TableBlock
from generator.formatting import kronor, procent, skillnad_kronor


def check_budgets(context: CheckContext) -> None:
    """Warn about budget tables: income against cost, labels naming another year, budgets linked to their payouts."""
    tables: dict[str, list[Table]] = {}  # appendix id → its tables
    for model, _ in context.nodes:
        if isinstance(model, Appendix):
            tables[model.id] = [b.table for b in model.blocks if isinstance(b, TableBlock)]
    listed: dict[str, list[str]] = {}  # appendix id → payouts whose budget it is, not linked explicitly
    for model, _ in context.nodes:
        if isinstance(model, Payout):
            own = [t for ref in model.appendices for t in tables.get(ref, [])]
            if any(model.id in t.funded_by or t.funding_ref == model.id for t in own):
                continue  # the payout's budget is linked by hand
            for ref in model.appendices:
                listed.setdefault(ref, []).append(model.id)
    for model, path in context.nodes:
        if isinstance(model, Appendix):
            for index, block in enumerate(model.blocks):
                if isinstance(block, TableBlock):
                    _budget(context, block.table, path + ("blocks", index, "table"), listed.get(model.id, []))


def check_rendered(context: CheckContext) -> None:
    """Warn about what no document shows: a budget appendix without the letter that carries the appendices."""
    agreement = context.agreement
    if agreement.appendices and agreement.letter is None:
        names = ", ".join(a.id for a in agreement.appendices)
        context.warning(
            ("appendices",),
            f"inget dokument skriver ut bilagorna ({names}): de skrivs ut med "
            "SKL:s genomförandeplan, och överenskommelsen har ingen letter:",
            "lägg till den letter: som bär dem, eller ta bort dem",
        )


def _budget(context: CheckContext, table: Table, path: PathKey, payouts: list[str]) -> None:
    """Warn about one budget table; ``payouts`` list the appendix as theirs without linking the table."""
    year = context.agreement.year
    amount = context.row_amount
    title = f"tabellen {table.title or table.id or ''}".rstrip()
    labels: list[tuple[str | PathKey, str | None]] = [
        ("total_label", table.total_label),
        ("funding_label", table.funding_label),
        ("margin_label", table.margin_label),
    ]
    labels += [(("columns", i), c) for i, c in enumerate(table.columns)]
    labels += [(("groups", i, "total_label"), g.total_label) for i, g in enumerate(table.groups)]
    for where, label in labels:
        for named in re.findall(r"\b(20\d\d)\b", label or ""):
            if int(named) != year:
                context.warning(
                    path + (where if isinstance(where, tuple) else (where,)),
                    f"{title}: texten {label!r} nämner året {named}, inte överenskommelsens {year}",
                    "skriv {{ year }} i stället för året, så följer det med överenskommelsen",
                )
    has_ie = any(r.income is not None or r.cost is not None for r in table.rows)
    income = sum(amount(r) if r.ref else (r.income or 0) for r in table.rows if r.income is not None or r.ref)
    cost = sum(r.cost or 0 for r in table.rows)
    if has_ie:
        stated_income = table.total_income if table.total_income is not None else income
        stated_cost = table.total_cost if table.total_cost is not None else cost
        if stated_income != stated_cost and not table.difference_note:
            context.warning(
                path + ("total_income" if table.total_income is not None else "rows",),
                f"{title}: intäkter {kronor(stated_income)} och kostnader {kronor(stated_cost)} skiljer sig "
                f"({'överskott' if stated_income > stated_cost else 'underskott'} "
                f"{kronor(abs(stated_income - stated_cost))})",
                "kontrollera budgeten; en budget som medvetet inte går jämnt ut säger varför i difference_note:",
            )
    _percent_rows(context, table, path)
    linked = table.funded_by or ([table.funding_ref] if table.funding_ref else [])
    if not linked and payouts:
        linked = payouts  # inferred: the appendix is listed by these payouts
        if not has_ie:
            total = table.total if table.total is not None else _plain_rows(table, amount)
            funded = sum(context.payouts[p].amount for p in linked if p in context.payouts)
            if total != funded:
                context.warning(
                    path,
                    f"{title} budgeterar {kronor(total)} men utbetalningarna vars bilaga den är "
                    f"({', '.join(linked)}) blir tillsammans {kronor(funded)} "
                    f"(skillnad {skillnad_kronor(total - funded)})",
                    "koppla budgeten till sina utbetalningar med funded_by, och kontrollera beloppen",
                )
    if has_ie and linked:
        in_income = {r.ref for r in table.rows if r.ref}
        for ref in linked:
            if ref in context.payouts and ref not in in_income:
                context.warning(
                    path,
                    f"{title}: utbetalningen {ref!r} ({kronor(context.payouts[ref].amount)}) som "
                    "finansierar den finns inte bland intäktsraderna",
                    f"lägg till en intäktsrad med ref: {ref}",
                )


def _plain_rows(table: Table, amount) -> int:
    """Return the sum of a table's rows and groups (each group at its stated total if any)."""
    rows = sum(amount(r) for r in table.rows)
    return rows + sum(g.total if g.total is not None else sum(amount(r) for r in g.rows) for g in table.groups)


def _percent_rows(context: CheckContext, table: Table, path: PathKey) -> None:
    """Warn about a row that is a percentage of the others (OH-kostnader 10 %) and differs from it."""
    parts: list[tuple[list[Row], PathKey]] = [(table.rows, path + ("rows",))]
    parts += [(g.rows, path + ("groups", i, "rows")) for i, g in enumerate(table.groups)]
    for rows, where in parts:
        for index, row in enumerate(rows):
            if row.percent_of_others is None:
                continue
            others = sum(context.row_amount(r) for r in rows if r is not row and r.percent_of_others is None)
            expected = int((Decimal(others) * row.percent_of_others / 100).to_integral_value(ROUND_HALF_UP))
            share = procent(row.percent_of_others)
            stated = context.row_amount(row)
            if stated != expected:
                context.warning(
                    where + (index, "amount"),
                    f"raden {row.label!r} är {kronor(stated)}, men {share} av de övriga raderna "
                    f"({kronor(others)}) är {kronor(expected)} (skillnad {skillnad_kronor(stated - expected)})",
                    "rätta beloppet eller procentsatsen, eller behåll källans belopp och säg det i en kommentar",
                )
            typed = re.findall(r"(\d+(?:,\d+)?)[ \u00a0]*(?:%|procent)", row.label)
            if typed and Decimal(typed[-1].replace(",", ".")) != row.percent_of_others:
                context.warning(
                    where + (index, "label"),
                    f"raden {row.label!r} nämner {typed[-1]} procent, men percent_of_others är {share}",
                    "skriv samma procentsats i etiketten och i percent_of_others",
                )
