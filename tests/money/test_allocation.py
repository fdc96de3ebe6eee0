"""The allocation engine: exact kronor, sums that always hold, and the seed's Bilaga 2."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from generator.data.reference import counties, municipality_counts
from generator.money.rules import (
    AllocationError,
    base_then_key,
    largest_remainder,
    pot_after_minimum,
    proportional,
    split,
)

FIXTURES = Path(__file__).parents[1] / "fixtures"

keys = st.dictionaries(
    st.from_regex(r"[0-9]{4}", fullmatch=True), st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40
)


@given(st.integers(min_value=0, max_value=10**10), keys)
def test_a_distribution_sums_exactly_to_its_pot_and_is_never_negative(pot, key):
    assume(sum(key.values()) > 0)
    amounts = largest_remainder(pot, key)
    assert sum(amounts.values()) == pot
    assert all(a >= 0 for a in amounts.values())


@given(st.integers(min_value=0, max_value=10**10), keys)
def test_a_larger_key_never_gets_less(pot, key):
    assume(sum(key.values()) > 0)
    amounts = largest_remainder(pot, key)
    for a in key:
        for b in key:
            if key[a] > key[b]:
                assert amounts[a] >= amounts[b]


@given(st.integers(min_value=0, max_value=20_000), st.integers(min_value=0, max_value=500_000), keys)
def test_a_floor_is_respected_and_steps_hold(units, base_units, key):
    assume(sum(key.values()) > 0)
    step = 500_000
    base = base_units * 1_000
    pot = base * len(key) + units * step
    lines = base_then_key(pot, base, key, step=step)
    assert sum(line.amount for line in lines) == pot
    assert all(line.amount >= base for line in lines)
    assert all((line.amount - base) % step == 0 for line in lines)


@given(st.integers(min_value=0, max_value=10**10))
def test_a_70_30_split_is_exact(amount):
    kommuner, landsting = split(amount, 70, 30)
    assert kommuner + landsting == amount
    assert abs(kommuner * 30 - landsting * 70) <= 100  # within one krona of the exact proportion


def test_exact_shares_need_no_rounding():
    assert largest_remainder(85_000_000 - 21_000_000, {"a": 1, "b": 3}) == {"a": 16_000_000, "b": 48_000_000}


def test_ties_go_to_the_lower_code_whatever_the_order():
    assert largest_remainder(1, {"02": 1, "01": 1}) == {"02": 0, "01": 1}
    assert largest_remainder(1, {"01": 1, "02": 1}) == {"01": 1, "02": 0}


def test_decimal_keys_are_exact():
    assert largest_remainder(10, {"a": Decimal("0.5"), "b": Decimal("1.5")}) == {
        "a": 3,
        "b": 7,
    }  # 2,5 → 3 (tie, lower code)


def test_refusals():
    with pytest.raises(AllocationError, match="är inte ett helt antal steg om"):
        largest_remainder(1_250_000, {"a": 1}, step=500_000)
    with pytest.raises(AllocationError, match="kan inte vara negativ"):
        largest_remainder(10, {"a": -1, "b": 2})
    with pytest.raises(AllocationError, match="ingen att dela"):
        largest_remainder(10, {"a": 0})
    with pytest.raises(AllocationError, match="är mer än potten"):
        base_then_key(20_000_000, 1_000_000, {str(i): 1 for i in range(21)})
    with pytest.raises(AllocationError):
        largest_remainder(1.5, {"a": 1})


def test_minimum_number_of_qualifiers():
    assert pot_after_minimum(325_000_000, 5, 5, 200_000_000)[0] == 325_000_000
    pot, why = pot_after_minimum(325_000_000, 4, 5, 200_000_000)
    assert pot == 200_000_000 and "färre än 5" in why


def test_explanations_show_the_computation():
    (line, _) = proportional(50_000_000, {"0180": 120_000, "0114": 80_000}, "befolkning 65+")
    text = line.explanation.replace("\u00a0", " ")
    assert "50 000 000 kronor × 120 000 / 200 000 (befolkning 65+) = 30 000 000 kronor" in text


def test_seed_bilaga_2_against_its_stated_rule(capsys):
    """Seed 002: 66 million, at least 2 million per county, the rest by number of municipalities."""
    data = yaml.safe_load((FIXTURES / "bilaga2_2010.yaml").read_text(encoding="utf-8"))
    published = {str(code): amount for code, amount in data["published"].items()}
    assert set(published) == set(counties())
    published_sum = sum(published.values())
    lines = base_then_key(data["pot"], data["floor"], municipality_counts(), "antal kommuner", step=data["step"])
    computed = {line.recipient: line.amount for line in lines}
    assert sum(computed.values()) == data["pot"]
    equal = sum(computed[c] == published[c] for c in published)
    off = sum(abs(computed[c] - published[c]) for c in published)
    with capsys.disabled():
        print(
            f"\n[Bilaga 2] the published table sums to {published_sum / 1e6:.1f} of {data['pot'] / 1e6:.0f} million; "
            f"the stated rule (2 million each, the rest by municipalities, in steps of 0.5 million) matches "
            f"{equal} of 21 counties, total absolute difference {off / 1e6:.1f} million"
        )
    assert published_sum == 65_500_000  # the seed's table does not sum to its pot
    assert published_sum != data["pot"]


def _largest_remainder_in_fractions(pot: int, weights: dict, step: int = 1) -> dict:
    """The rule as written (exact fractions), to compare the integer arithmetic of whole keys with."""
    from fractions import Fraction

    total = sum(Fraction(w) for w in weights.values())
    units = pot // step
    exact = {code: Fraction(w) * units / total for code, w in weights.items()}
    whole = {code: int(q) for code, q in exact.items()}
    for code in sorted(weights, key=lambda code: (-(exact[code] - whole[code]), code))[: units - sum(whole.values())]:
        whole[code] += 1
    return {code: whole[code] * step for code in weights}


@given(st.integers(min_value=0, max_value=10**12), keys, st.sampled_from([1, 1000, 500_000]))
def test_whole_keys_are_shared_as_the_exact_fractions_share_them(pot, key, step):
    from fractions import Fraction

    from generator.money.rules import _exact

    assume(sum(key.values()) > 0)
    pot -= pot % step
    assert largest_remainder(pot, key, step) == _largest_remainder_in_fractions(pot, key, step)
    total = sum(key.values())
    for part in key.values():
        exact = Fraction(pot) * part / total
        fraction_text = (
            f"{int(exact):,}".replace(",", "\u00a0") + "\u00a0kronor"
            if exact.denominator == 1
            else f"{int(exact):,}".replace(",", "\u00a0") + f",{str(int((exact - int(exact)) * 100)).zfill(2)}… kronor"
        )
        assert _exact(pot, part, total) == fraction_text
