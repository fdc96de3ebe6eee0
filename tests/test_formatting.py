"""Swedish formatting, checked against the exact strings of the source documents."""

from __future__ import annotations

import datetime as dt
import inspect
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import formatting as f

NB = "\u00a0"


@pytest.mark.parametrize(
    "function, value, expected",
    [
        (f.kronor, 1_161_000_000, "1\u00a0161\u00a0000\u00a0000\u00a0kronor"),  # "1 161 000 000 kronor"
        (f.kronor, 63_000_000, "63\u00a0000\u00a0000\u00a0kronor"),  # "63 000 000 kronor"
        (f.kronor, 0, "0\u00a0kronor"),
        (f.belopp, 1_161_000_000, "1\u00a0161\u00a0000\u00a0000"),
        (f.belopp, 479_100, "479\u00a0100"),
        (f.belopp, 999, "999"),
        (f.miljoner, 63_000_000, "63\u00a0miljoner kronor"),
        (f.miljoner, 7_500_000, "7,5\u00a0miljoner kronor"),
        (f.miljoner, 213_550_000, "213,55\u00a0miljoner kronor"),
        (f.miljoner, 692_500_000, "692,5\u00a0miljoner kronor"),
        (f.miljoner, 84_050_000, "84,05\u00a0miljoner kronor"),
        (f.miljoner, 1_161_000_000, "1\u00a0161\u00a0miljoner kronor"),
        (f.miljoner, 1_000_000, "1\u00a0miljon kronor"),  # singular
        (f.miljoner, 1_234_567, "1\u00a0234\u00a0567\u00a0kronor"),  # not rounded: written in kronor
        (f.miljoner, 1_230_000, "1,23\u00a0miljoner kronor"),
        (f.miljoner, 0, "0\u00a0kronor"),
        (f.miljoner_ord, 1_000_000, "en miljon kronor"),  # common gender: not "ett"
        (f.miljoner_ord, 2_000_000, "två miljoner kronor"),
        (f.miljoner_ord, 3_000_000, "tre miljoner kronor"),
        (f.miljoner_ord, 12_000_000, "tolv miljoner kronor"),
        (f.miljoner_ord, 13_000_000, "13\u00a0miljoner kronor"),  # above twelve: digits
        (f.miljoner_ord, 1_500_000, "1,5\u00a0miljoner kronor"),  # not whole millions: digits
        (f.milj, 66_000_000, "66\u00a0milj.\u00a0kr"),  # "66 milj. kr"
        (f.milj, 7_500_000, "7,5\u00a0milj.\u00a0kr"),
        (f.tal, 8_000, "8\u00a0000"),
        (f.tal, 19, "19"),
        (f.tal_ord, 0, "noll"),
        (f.tal_ord, 1, "en"),
        (f.tal_ord, 5, "fem"),  # "minst fem län"
        (f.tal_ord, 12, "tolv"),
        (f.tal_ord, 13, "13"),
        (f.tal_ord, 8_000, "8\u00a0000"),
        (f.procent, 70, "70\u00a0procent"),  # "70 procent"
        (f.procent, Decimal("7.5"), "7,5\u00a0procent"),
        (f.procent, Decimal("7.50"), "7,5\u00a0procent"),
        (f.procent, Decimal("0.1234567"), "0,1234567\u00a0procent"),  # never rounded
    ],
)
def test_amounts_and_numbers(function, value, expected):
    assert function(value) == expected


def test_tal_ord_neuter():
    assert f.tal_ord(1, neuter=True) == "ett"
    assert f.tal_ord(5, neuter=True) == "fem"


@pytest.mark.parametrize(
    "function, value, expected",
    [
        (f.datum, dt.date(2011, 12, 15), "den 15\u00a0december 2011"),
        (f.datum, dt.date(2011, 6, 13), "den 13\u00a0juni 2011"),
        (f.datum, dt.date(2012, 11, 1), "den 1\u00a0november 2012"),  # no leading zero
        (f.datum_utan_den, dt.date(2011, 12, 15), "15\u00a0december 2011"),
        (f.dag_manad, dt.date(2012, 10, 15), "15\u00a0oktober"),
        (f.isodatum, dt.date(2011, 6, 16), "2011-06-16"),
    ],
)
def test_dates(function, value, expected):
    assert function(value) == expected


def test_periods():
    assert f.period(dt.date(2011, 10, 1), dt.date(2012, 9, 30)) == "1\u00a0oktober 2011 till 30\u00a0september 2012"
    assert f.period(dt.date(2012, 4, 1), dt.date(2012, 9, 30)) == "1\u00a0april till 30\u00a0september 2012"
    with pytest.raises(ValueError):
        f.period(dt.date(2012, 9, 30), dt.date(2012, 4, 1))


@pytest.mark.parametrize("function", [f.datum, f.datum_utan_den, f.dag_manad, f.isodatum])
@pytest.mark.parametrize("bad", ["2011-06-16", dt.datetime(2011, 6, 16, 12, 0), None])
def test_dates_refuse_anything_but_a_date(function, bad):
    with pytest.raises(TypeError):
        function(bad)


def test_page_numbers():
    assert f.sidnummer(2, 10) == "2 (10)"
    assert f.sidnummer(30, 35) == "30 (35)"
    with pytest.raises(ValueError):
        f.sidnummer(11, 10)
    with pytest.raises(ValueError):
        f.sidnummer(0, 10)
    with pytest.raises(TypeError):
        f.sidnummer(2.0, 10)


def test_table_units():
    assert f.belopp_enhet(1_160_000, "kr") == "1\u00a0160\u00a0000"
    assert f.belopp_enhet(1_160_000, "tkr") == "1\u00a0160"
    assert f.belopp_enhet(5_300_000, "mkr") == "5,3"
    assert f.belopp_enhet(1_161_000_000, "mkr") == "1\u00a0161"
    assert f.belopp_enhet(0, "tkr") == "0"


@pytest.mark.parametrize("amount, unit", [(1_160_500, "tkr"), (1_001, "tkr"), (1_000, "Mkr"), (1_000, "kronor")])
def test_table_units_refuse_what_they_cannot_show(amount, unit):
    with pytest.raises(ValueError):
        f.belopp_enhet(amount, unit)


def test_letters():
    assert [f.bokstav(i) for i in range(6)] == list("abcdef")
    assert f.bokstav(25) == "z"
    assert f.bokstavsintervall(3) == "a\u2013c"  # EN DASH
    assert f.bokstavsintervall(1) == "a"
    assert f.bokstavsintervall(26) == "a\u2013z"
    for bad in (26, -1):
        with pytest.raises(ValueError):
            f.bokstav(bad)
    for bad in (0, 27):
        with pytest.raises(ValueError):
            f.bokstavsintervall(bad)
    with pytest.raises(TypeError):
        f.bokstav(True)


MONEY = [
    f.kronor,
    f.belopp,
    f.miljoner,
    f.miljoner_ord,
    f.milj,
    f.tal,
    f.tal_ord,
    lambda amount: f.belopp_enhet(amount, "kr"),
]


@pytest.mark.parametrize("function", MONEY)
@pytest.mark.parametrize("bad", [1.5, 63_000_000.0, True, False, Decimal("63000000"), "66 000 000", None])
def test_money_refuses_anything_but_int(function, bad):
    with pytest.raises(TypeError):
        function(bad)


@pytest.mark.parametrize("bad", [70.0, True, "70", None])
def test_procent_refuses_float_and_bool(bad):
    with pytest.raises(TypeError):
        f.procent(bad)


@pytest.mark.parametrize("function", MONEY + [f.procent])
def test_negative_numbers_are_refused(function):
    with pytest.raises(ValueError):
        function(-1)


@pytest.mark.parametrize("bad", [Decimal("-7.5"), Decimal("NaN"), Decimal("Infinity")])
def test_procent_refuses_negative_and_non_finite_decimals(bad):
    with pytest.raises(ValueError):
        f.procent(bad)


def test_babel_narrow_no_break_space_is_normalised(monkeypatch):
    monkeypatch.setattr(f, "_format_decimal", lambda number: "1\u202f161 000,5")
    assert f._group(Decimal("1161000.5")) == "1\u00a0161\u00a0000,5"  # whole amounts are grouped without babel


@given(st.integers(min_value=0, max_value=10**40))
def test_whole_numbers_are_grouped_as_babel_groups_them(n):
    from decimal import localcontext

    from babel.numbers import format_decimal

    with localcontext(prec=80):
        expected = format_decimal(n, format="#,##0.###", locale="sv_SE", decimal_quantization=False)
    assert f._group_int(n) == f.belopp(n) == expected.replace("\u202f", "\u00a0").replace(" ", "\u00a0")


def test_grouping_matches_babels_format_decimal():
    from decimal import localcontext

    from babel.numbers import format_decimal

    for number in (0, 7, 1_161_000_000, 10**30 + 7, Decimal("7.5"), Decimal("2.50"), Decimal("1161.000001")):
        with localcontext(prec=60):
            expected = format_decimal(number, format="#,##0.###", locale="sv_SE", decimal_quantization=False)
        assert f._group(number) == expected.replace("\u202f", "\u00a0").replace(" ", "\u00a0")


def test_filters_cover_every_public_function():
    public = {
        name
        for name, obj in vars(f).items()
        if inspect.isfunction(obj) and obj.__module__ == f.__name__ and not name.startswith("_")
    }
    assert set(f.FILTERS) == public
    assert all(f.FILTERS[name] is getattr(f, name) for name in public)
    assert all(getattr(f, name).__doc__.startswith("Return") for name in public)


def _number(text: str) -> Decimal:
    """Return the Decimal a formatted Swedish number stands for."""
    return Decimal(text.replace(NB, "").replace(",", "."))


@given(st.integers(min_value=0, max_value=10**40))
def test_grouping_round_trips(n):
    text = f.belopp(n)
    assert text.replace(NB, "") == str(n)
    assert f.tal(n) == text
    assert f.kronor(n) == text + f"{NB}kronor"
    assert " " not in f.kronor(n)  # a line never breaks in an amount


@given(st.integers(min_value=2, max_value=10**15))
def test_whole_millions_round_trip(n):
    text = f.miljoner(n * 1_000_000)
    assert text.endswith(f"{NB}miljoner kronor")
    assert _number(text.removesuffix(f"{NB}miljoner kronor")) == n
    assert "," not in text


@given(st.integers(min_value=1, max_value=10**15))
def test_millions_are_exact_with_only_the_decimals_needed(amount):
    text = f.miljoner(amount)
    if amount % 10_000:  # would need a third decimal
        assert text == f.kronor(amount)
        assert f.milj(amount) == f"{f.belopp(amount)}{NB}kr"
        return
    number = text.removesuffix(f"{NB}miljoner kronor").removesuffix(f"{NB}miljon kronor")
    assert _number(number) * 1_000_000 == amount  # never rounded
    assert not ("," in number and number.endswith("0"))  # no trailing zeros
    assert f.milj(amount) == f"{number}{NB}milj.{NB}kr"
    assert f.belopp_enhet(amount, "mkr") == number


@given(st.integers(min_value=1, max_value=10**15))
def test_mkr_table_cells_show_every_krona(amount):
    assert _number(f.belopp_enhet(amount, "mkr")) * 1_000_000 == amount


@given(st.integers(min_value=0, max_value=10**15))
def test_miljoner_ord_only_differs_for_one_to_twelve_millions(amount):
    if amount % 1_000_000 == 0 and 1 <= amount // 1_000_000 <= 12:
        assert not any(c.isdigit() for c in f.miljoner_ord(amount))
    else:
        assert f.miljoner_ord(amount) == f.miljoner(amount)


@given(st.integers(min_value=0, max_value=10**15))
def test_thousands_are_exact_or_refused(amount):
    if amount % 1_000:
        with pytest.raises(ValueError):
            f.belopp_enhet(amount, "tkr")
    else:
        assert _number(f.belopp_enhet(amount, "tkr")) * 1_000 == amount


@given(st.integers(min_value=0, max_value=10**6))
def test_tal_ord_uses_words_up_to_twelve(n):
    text = f.tal_ord(n)
    assert (not any(c.isdigit() for c in text)) == (n <= 12)


def test_skillnad_kronor_signs_a_difference_and_names_none_as_asked():
    from generator.formatting import skillnad_kronor

    assert skillnad_kronor(14_187) == "+14\u00a0187\u00a0kronor"
    assert skillnad_kronor(-500_000) == "−500\u00a0000\u00a0kronor"
    assert skillnad_kronor(0) == "0\u00a0kronor" and skillnad_kronor(0, "±") == "±0\u00a0kronor"
