"""Swedish formatting, checked against the exact strings of the source documents."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from generator import formatting as f

NB = "\u00a0"


@pytest.mark.parametrize("function, value, expected", [
    (f.kronor, 1_161_000_000, f"1{NB}161{NB}000{NB}000{NB}kronor"),   # seed 000, Bakgrund
    (f.kronor, 63_000_000, f"63{NB}000{NB}000{NB}kronor"),              # seed 003, Regeringens beslut
    (f.kronor, 1_115_500_000, f"1{NB}115{NB}500{NB}000{NB}kronor"),     # seed 001
    (f.belopp, 4_194_100, f"4{NB}194{NB}100"),                          # seed 000, Bil 3
    (f.miljoner, 63_000_000, f"63{NB}miljoner kronor"),
    (f.miljoner, 7_500_000, f"7,5{NB}miljoner kronor"),
    (f.miljoner, 213_550_000, f"213,55{NB}miljoner kronor"),            # seed 004
    (f.miljoner, 692_500_000, f"692,5{NB}miljoner kronor"),             # seed 004
    (f.miljoner, 84_050_000, f"84,05{NB}miljoner kronor"),              # seed 004
    (f.miljoner, 1_000_000, f"1{NB}miljon kronor"),
    (f.miljoner, 1_234_567, f"1{NB}234{NB}567{NB}kronor"),              # not exact in millions: never rounded
    (f.miljoner_ord, 1_000_000, "en miljon kronor"),                    # seed 000, 2.5
    (f.miljoner_ord, 2_000_000, "två miljoner kronor"),                 # seed 000, 2.1
    (f.miljoner_ord, 3_000_000, "tre miljoner kronor"),                 # seed 000, 2.1
    (f.miljoner_ord, 12_000_000, "tolv miljoner kronor"),
    (f.miljoner_ord, 23_000_000, f"23{NB}miljoner kronor"),             # above twelve: digits
    (f.milj, 66_000_000, f"66{NB}milj.{NB}kr"),                         # seed 000, 2.1 table
    (f.milj, 7_500_000, f"7,5{NB}milj.{NB}kr"),
    (f.procent, 70, f"70{NB}procent"),                                  # seed 000, 3.1
    (f.procent, Decimal("7.5"), f"7,5{NB}procent"),
    (f.tal, 8_000, f"8{NB}000"),
    (f.tal_ord, 5, "fem"),                                              # "minst fem län"
    (f.tal_ord, 1, "en"),
    (f.tal_ord, 19, "19"),
])
def test_amounts_and_numbers(function, value, expected):
    assert function(value) == expected


@pytest.mark.parametrize("function, value, expected", [
    (f.datum, dt.date(2011, 12, 15), "den 15 december 2011"),          # seed 000, Ärendet
    (f.datum, dt.date(2011, 6, 13), "den 13 juni 2011"),               # seed 003
    (f.datum, dt.date(2012, 11, 1), "den 1 november 2012"),
    (f.datum_utan_den, dt.date(2012, 10, 1), "1 oktober 2012"),
    (f.dag_manad, dt.date(2012, 10, 15), "15 oktober"),
    (f.isodatum, dt.date(2011, 6, 16), "2011-06-16"),
])
def test_dates(function, value, expected):
    assert function(value) == expected


def test_periods_and_pages():
    assert f.period(dt.date(2011, 10, 1), dt.date(2012, 9, 30)) == "1 oktober 2011 till 30 september 2012"
    assert f.period(dt.date(2012, 4, 1), dt.date(2012, 9, 30)) == "1 april till 30 september 2012"
    assert f.sidnummer(2, 10) == "2 (10)"
    assert f.sidnummer(30, 35) == "30 (35)"


def test_table_units():
    assert f.belopp_enhet(1_160_000, "tkr") == f"1{NB}160"
    assert f.belopp_enhet(5_300_000, "mkr") == "5,3"
    assert f.belopp_enhet(479_100, "kr") == f"479{NB}100"
    with pytest.raises(ValueError):
        f.belopp_enhet(1_160_500, "tkr")
    with pytest.raises(ValueError):
        f.belopp_enhet(5_300_001, "mkr")


def test_letters():
    assert [f.bokstav(i) for i in range(6)] == list("abcdef")
    assert f.bokstavsintervall(3) == "a–c"
    assert f.bokstavsintervall(1) == "a"


@pytest.mark.parametrize("bad", [1.5, True, "66 000 000", None])
def test_money_refuses_anything_but_int(bad):
    with pytest.raises(TypeError):
        f.kronor(bad)
    with pytest.raises(TypeError):
        f.miljoner(bad)


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        f.kronor(-1)


@given(st.integers(min_value=0, max_value=10**13))
def test_grouping_round_trips(n):
    text = f.belopp(n)
    assert text.replace(NB, "") == str(n)
    assert " " not in text  # only no-break spaces, so a line never breaks inside an amount


@given(st.integers(min_value=2, max_value=10**7), st.integers(min_value=0, max_value=99))
def test_millions_are_exact_or_in_kronor(whole, hundredths):
    amount = whole * 1_000_000 + hundredths * 10_000
    number = f.miljoner(amount).split(f"{NB}miljoner")[0]
    assert Decimal(number.replace(NB, "").replace(",", ".")) * 1_000_000 == amount
    odd = amount + 1  # not a whole number of ten-thousands: shown in kronor, never rounded
    assert f.miljoner(odd) == f.kronor(odd)
