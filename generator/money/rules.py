"""Distribution rules carried out exactly, in whole kronor, with an explanation for each amount.

Every function returns :class:`Allocation` lines whose amounts sum exactly to
the pot. Shares are computed as exact fractions (:class:`fractions.Fraction`,
never floats) and rounded by the largest-remainder method: each recipient
first gets the whole number of rounding steps its exact share contains, and
the steps left over go one each to the largest remainders (ties: the lower
code first, so the result never depends on dictionary order).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from generator.formatting import belopp, kronor, procent

Number = int | Decimal


class AllocationError(ValueError):
    """A rule cannot be carried out with the figures given."""


@dataclass(frozen=True)
class Allocation:
    """One recipient's amount and how it was computed."""

    recipient: str
    amount: int
    key_value: Number | None = None
    key_total: Number | None = None
    explanation: str = ""


def largest_remainder(pot: int, weights: Mapping[str, Number], step: int = 1) -> dict[str, int]:
    """Return ``pot`` divided in proportion to ``weights``, each amount a multiple of ``step``, summing to ``pot``."""
    if isinstance(pot, bool) or not isinstance(pot, int) or pot < 0:
        raise AllocationError(f"potten måste vara hela kronor, inte {pot!r}")
    if step < 1 or pot % step:
        raise AllocationError(f"potten {kronor(pot)} är inte ett helt antal steg om {kronor(step)}")
    if any(w < 0 for w in weights.values()):
        raise AllocationError("en fördelningsnyckel kan inte vara negativ")
    whole_keys = {code: w for code, w in weights.items() if type(w) is int}
    if len(whole_keys) == len(weights):  # the usual case: the same in integers, faster
        return _whole_shares(pot, whole_keys, step)
    exact_weights = {code: Fraction(w) for code, w in weights.items()}
    total = sum(exact_weights.values(), Fraction(0))
    if not weights or total == 0:
        return _nothing_to_share(pot, weights)
    units = pot // step
    exact = {code: w * units / total for code, w in exact_weights.items()}
    whole = {code: int(q) for code, q in exact.items()}  # floor: all quotas are non-negative
    left = units - sum(whole.values())
    by_remainder = sorted(weights, key=lambda code: (-(exact[code] - whole[code]), code))
    for code in by_remainder[:left]:
        whole[code] += 1
    return {code: whole[code] * step for code in weights}


def _whole_shares(pot: int, weights: dict[str, int], step: int) -> dict[str, int]:
    """Return largest_remainder's result for whole-number weights, in integer arithmetic."""
    total = sum(weights.values())
    if not weights or total == 0:
        return _nothing_to_share(pot, weights)
    units = pot // step
    quota = {code: divmod(w * units, total) for code, w in weights.items()}  # whole part, remainder / total
    whole = {code: q for code, (q, _) in quota.items()}
    left = units - sum(whole.values())
    by_remainder = sorted(weights, key=lambda code: (-quota[code][1], code))
    for code in by_remainder[:left]:
        whole[code] += 1
    return {code: whole[code] * step for code in weights}


def _nothing_to_share(pot: int, weights: Mapping[str, Number]) -> dict[str, int]:
    """Return zeros when there is nothing to share; raise when a pot has no one to go to."""
    if pot == 0:
        return {code: 0 for code in weights}
    raise AllocationError(f"ingen att dela {kronor(pot)} med (nyckeln summerar till noll)")


def proportional(pot: int, key: Mapping[str, Number], key_name: str = "nyckeln", step: int = 1) -> list[Allocation]:
    """Return ``pot`` shared in proportion to ``key`` (e.g. population 65+ among qualifiers)."""
    amounts = largest_remainder(pot, key, step)
    total = sum(key.values())
    return [
        Allocation(
            code,
            amounts[code],
            key[code],
            total,
            f"{kronor(pot)} × {_num(key[code])} / {_num(total)} ({key_name}) = {_exact(pot, key[code], total)}"
            f" → {kronor(amounts[code])}",
        )
        for code in key
    ]


def base_then_key(
    pot: int, base: int, key: Mapping[str, Number], key_name: str = "nyckeln", step: int = 1
) -> list[Allocation]:
    """Return ``base`` to each recipient and the rest of ``pot`` in proportion to ``key``.

    This is both "at least 2 million each, the rest by number of municipalities"
    (a floor) and "one million per county, the rest per person 80 and older" (a base).
    """
    rest = pot - base * len(key)
    if rest < 0:
        raise AllocationError(f"{len(key)} × {kronor(base)} är mer än potten {kronor(pot)}")
    shares = largest_remainder(rest, key, step)
    total = sum(key.values())
    return [
        Allocation(
            code,
            base + shares[code],
            key[code],
            total,
            f"{kronor(base)} + {kronor(rest)} × {_num(key[code])} / {_num(total)} ({key_name})"
            f" = {kronor(base)} + {_exact(rest, key[code], total)} → {kronor(base + shares[code])}",
        )
        for code in key
    ]


def fixed_table(table: Mapping[str, int]) -> list[Allocation]:
    """Return the amounts of a fixed table as they stand."""
    return [
        Allocation(code, amount, explanation=f"fast belopp enligt tabell: {kronor(amount)}")
        for code, amount in table.items()
    ]


def split(amount: int, kommuner: Number, landsting: Number) -> tuple[int, int]:
    """Return a county's ``amount`` split between its municipalities and county council (70/30), exactly."""
    parts = largest_remainder(amount, {"kommuner": kommuner, "landsting": landsting})
    return parts["kommuner"], parts["landsting"]


def pot_after_minimum(pot: int, qualifiers: int, minimum: int, reduced: int) -> tuple[int, str]:
    """Return the pot to share and why: the full pot, or the reduced one if too few qualify."""
    if qualifiers >= minimum:
        return pot, f"{qualifiers} kvalificerade (minst {minimum}): hela potten {kronor(pot)}"
    return reduced, f"endast {qualifiers} kvalificerade (färre än {minimum}): reducerad pott {kronor(reduced)}"


def _num(value: Number) -> str:
    return belopp(int(value)) if value == int(value) else str(value).replace(".", ",")


def _exact(pot: int, part: Number, total: Number) -> str:
    if type(pot) is int and type(part) is int and type(total) is int and pot >= 0 and part >= 0 and total > 0:
        whole, rest = divmod(pot * part, total)  # the same as below, in integers
        return kronor(whole) if rest == 0 else f"{belopp(whole)},{str(rest * 100 // total).zfill(2)}… kronor"
    exact = Fraction(pot) * Fraction(part) / Fraction(total)
    if exact.denominator == 1:
        return kronor(int(exact))
    return f"{belopp(int(exact))},{str(int((exact - int(exact)) * 100)).zfill(2)}… kronor"


__all__ = [
    "Allocation",
    "AllocationError",
    "largest_remainder",
    "proportional",
    "base_then_key",
    "fixed_table",
    "split",
    "pot_after_minimum",
    "procent",
]
