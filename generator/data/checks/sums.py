"""Arithmetic: every stated total (agreement, section, pot, table, earmarks, margin) equals the sum of its parts."""

from __future__ import annotations

from generator.data.checks.context import CheckContext
from generator.data.loading import PathKey
from generator.data.model import Payout, Pot, Section, Table
from generator.formatting import kronor, skillnad_kronor


def check_sums(context: CheckContext) -> None:
    """Report a stated total that is not the sum of its parts, and rules that lack the figures they need."""
    agreement = context.agreement
    payouts_total = 0
    pots_total = 0
    for section, path in context.sections():
        payouts_total += sum(p.amount for p in section.payouts)
        pots_total += sum(p.amount for p in section.pots)
        if section.total is not None:
            parts = _section_sum(section)
            compare(
                context,
                path + ("total",),
                f"avsnittet {section.title!r} anger",
                section.total,
                "dess utbetalningar, potter och delavsnitt blir tillsammans",
                parts,
            )
    computed = payouts_total + pots_total
    if agreement.sections:  # a file of a stand-alone decision: total is the decision's amount, no parts
        compare(
            context,
            ("total",),
            "överenskommelsen anger",
            agreement.total,
            f"dess utbetalningar ({kronor(payouts_total)}) och potter ({kronor(pots_total)}) blir tillsammans",
            computed,
        )
    for model, path in context.nodes:
        if isinstance(model, Payout) and model.earmarks:
            earmarked = sum(e.amount for e in model.earmarks)
            if earmarked > model.amount:
                context.error(
                    path + ("earmarks",),
                    f"de avsatta delarna blir tillsammans {kronor(earmarked)}, mer än "
                    f"utbetalningens {kronor(model.amount)} (skillnad {kronor(earmarked - model.amount)})",
                )
        if isinstance(model, Pot):
            _pot(context, model, path)
        if isinstance(model, Table):
            _table(context, model, path)


def compare(
    context: CheckContext, path: PathKey, stated_what: str, stated: int, computed_what: str, computed: int
) -> None:
    """Report a stated figure that differs from the computed one: an error, or a warning with ``sums_as_warnings``."""
    if stated != computed:
        (context.warning if context.sums_as_warnings else context.error)(
            path,
            f"{stated_what} {_money(stated)} men {computed_what} {_money(computed)} "
            f"(skillnad {skillnad_kronor(computed - stated)})",
            "rätta den angivna summan eller den del som är fel",
        )


def _pot(context: CheckContext, pot: Pot, path: PathKey) -> None:
    """Report a pot whose shares or table do not add up to it, or whose rule lacks a figure it needs."""
    d = pot.distribution
    if d is None:
        return
    if d.shares:
        shared = sum(s.amount for s in d.shares)
        title = f"potten {pot.title!r} är"
        compare(context, path + ("amount",), title, pot.amount, "dess andelar blir tillsammans", shared)
    if d.minimum and d.minimum.reduced_amount > pot.amount:
        context.error(
            path + ("distribution", "minimum", "reduced_amount"),
            f"den reducerade potten {kronor(d.minimum.reduced_amount)} är större än potten {kronor(pot.amount)}",
        )
    if d.rule == "fixed_table" and d.published is None and d.published_from is None:
        if not d.table:
            context.error(path + ("distribution", "table"), "en fördelning med fixed_table kräver sin tabell (table)")
        else:
            compare(
                context,
                path + ("distribution", "table"),
                f"potten {pot.title!r} är",
                pot.amount,
                "dess tabell blir tillsammans",
                sum(d.table.values()),
            )
    if d.rule in {"floor_then_key", "base_then_key", "proportional"} and d.key is None:
        context.error(path + ("distribution", "rule"), f"regeln {d.rule} kräver en nyckel (key)")
    if d.rule == "floor_then_key" and d.floor is None:
        context.error(path + ("distribution", "rule"), "regeln floor_then_key kräver ett golv (floor)")
    if d.rule == "base_then_key" and d.base is None:
        context.error(path + ("distribution", "rule"), "regeln base_then_key kräver ett grundbelopp (base)")


def _table(context: CheckContext, table: Table, path: PathKey) -> None:
    """Report a table whose stated totals, funding or margin differ from its rows; warn about its funding payouts."""
    amount = context.row_amount
    payouts = context.payouts
    rows_sum = sum(amount(r) for r in table.rows if r.income is None and r.cost is None)
    for index, group in enumerate(table.groups):
        group_sum = sum(amount(r) for r in group.rows)
        if group.total is not None:
            compare(
                context,
                path + ("groups", index, "total"),
                f"delsumman {group.title!r} anger",
                group.total,
                "dess rader blir tillsammans",
                group_sum,
            )
        rows_sum += group.total if group.total is not None else group_sum
    title = f"tabellen {table.title or table.id or ''}".rstrip()
    if table.total is not None:
        compare(context, path + ("total",), f"{title} anger", table.total, "dess rader blir tillsammans", rows_sum)
    incomes = sum(amount(r) if r.ref else (r.income or 0) for r in table.rows if r.income is not None or r.ref)
    costs = sum(r.cost or 0 for r in table.rows)
    if table.total_income is not None:
        compare(
            context,
            path + ("total_income",),
            f"{title} anger intäkter",
            table.total_income,
            "dess intäktsrader blir tillsammans",
            incomes,
        )
    if table.total_cost is not None:
        compare(
            context,
            path + ("total_cost",),
            f"{title} anger kostnader",
            table.total_cost,
            "dess kostnadsrader blir tillsammans",
            costs,
        )
    total = table.total if table.total is not None else (table.total_cost if table.total_cost is not None else rows_sum)
    funding = table.funding
    if table.funding_ref is not None and table.funding_ref in payouts:
        ref_amount = payouts[table.funding_ref].amount
        if funding is not None:
            compare(
                context,
                path + ("funding",),
                f"{title} anger ersättningen",
                funding,
                f"utbetalningen {table.funding_ref!r} är",
                ref_amount,
            )
        funding = ref_amount
    if table.margin is not None:
        if funding is None:
            context.error(
                path + ("margin",), "en marginal kräver ersättningen den räknas från (funding eller funding_ref)"
            )
        else:
            compare(
                context,
                path + ("margin",),
                f"{title} anger marginalen",
                table.margin,
                "ersättning minus summa är",
                funding - total,
            )
    if table.funded_by and not any(r.income is not None or r.cost is not None for r in table.rows):
        # an income/cost budget: the payouts are income, checked by the budgets (not against the cost)
        funded = sum(payouts[p].amount for p in table.funded_by if p in payouts)
        if funded != total:
            context.warning(
                path + ("funded_by",),
                f"{title} budgeterar {kronor(total)} men utbetalningarna som finansierar den "
                f"({', '.join(table.funded_by)}) blir tillsammans {kronor(funded)} "
                f"(skillnad {skillnad_kronor(total - funded)})",
                "kontrollera budgeten mot utbetalningen, eller utbetalningen mot budgeten",
            )


def _money(amount: int) -> str:
    """Return an amount in kronor that may be negative (a computed margin can be)."""
    return f"−{kronor(-amount)}" if amount < 0 else kronor(amount)


def _section_sum(section: Section) -> int:
    """Return the sum of a section's payouts and pots, and of its subsections' (never their stated totals)."""
    return (
        sum(p.amount for p in section.payouts)
        + sum(p.amount for p in section.pots)
        + sum(_section_sum(s) for s in section.sections)
    )
