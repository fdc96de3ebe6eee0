"""Numbers and letters are computed from order, so they can never repeat."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.data.model import Appendix, Payout, Section
from generator.data.numbering import appendix_numbers, payout_letters, section_numbers


def _section(i: str, subs: list[Section] = (), payouts: int = 0) -> Section:
    return Section(
        id=i,
        title=i,
        sections=list(subs),
        payouts=[Payout(id=f"{i}_p{k}", label="x", amount=1, recipient="skl") for k in range(payouts)],
    )


def test_the_2012_duplicate_33_cannot_happen():
    # The 2012 seed numbers both "God vård vid demenssjukdom" and "God läkemedelsbehandling" 3.3.
    prestation = _section(
        "prestation", [_section(x) for x in ("livets_slut", "preventivt", "demens", "lakemedel", "sammanhallen")]
    )
    numbers = section_numbers([_section("grundkrav"), _section("langsiktigt"), prestation])
    assert [numbers[x] for x in ("demens", "lakemedel", "sammanhallen")] == ["3.3", "3.4", "3.5"]


def test_the_2012_duplicate_d_cannot_happen():
    # The 2012 seed letters two items of 2.5 "d.".
    letters = payout_letters(_section("kvalitetsregister", payouts=6))
    assert list(letters.values()) == ["a", "b", "c", "d", "e", "f"]


def test_appendix_numbers_with_children():
    appendices = [
        Appendix(id="bil_samordning", title="x", appendices=[Appendix(id="bil_ledningskraft", title="y")]),
        Appendix(id="bil_famna", title="z"),
    ]
    assert appendix_numbers(appendices) == {"bil_samordning": "1", "bil_ledningskraft": "1.a", "bil_famna": "2"}


@given(st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=8))
def test_section_numbers_are_unique(shape):
    sections = [_section(f"s{i}", [_section(f"s{i}_{j}") for j in range(n)]) for i, n in enumerate(shape)]
    numbers = section_numbers(sections)
    assert len(set(numbers.values())) == len(numbers) == len(shape) + sum(shape)
