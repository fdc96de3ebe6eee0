"""Swedish numbers, amounts and dates as Swedish authorities write them.

Built on babel (``sv_SE``) and num2words (``sv``), following Myndigheternas
skrivregler: thousands grouped with a no-break space (``1 161 000 000
kronor``), decimal comma (``7,5 miljoner kronor``), one to twelve in words in
running text (``två miljoner kronor``), ``den 15 december 2011``,
``70 procent``, page numbers ``2 (10)``. Every function takes the value first
so it can serve as a Jinja filter (:data:`FILTERS`).

Money is ``int`` kronor; floats and booleans are refused with ``TypeError``
so a rounding error can never reach a signed document.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Callable

from babel.dates import format_date
from babel.numbers import format_decimal
from num2words import num2words

LOCALE = "sv_SE"
NBSP = "\u00a0"
EN_DASH = "\u2013"
_MILLION = 1_000_000


def _amount(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"an amount must be whole kronor (int), not {type(value).__name__}: {value!r}")
    if value < 0:
        raise ValueError(f"an amount cannot be negative: {value}")
    return value


def _group(number: int | Decimal) -> str:
    """Return ``number`` grouped the Swedish way with no-break spaces and a decimal comma."""
    text = format_decimal(number, format="#,##0.######", locale=LOCALE)
    return text.replace("\u202f", NBSP).replace(" ", NBSP)


def belopp(amount: int) -> str:
    """Return an amount as a grouped number without unit: ``1 161 000 000``."""
    return _group(_amount(amount))


def kronor(amount: int) -> str:
    """Return ``1 161 000 000 kronor`` (no-break spaces throughout)."""
    return f"{belopp(amount)}{NBSP}kronor"


def _millions(amount: int) -> Decimal | None:
    """Return the amount in millions if it is exact with at most two decimals (213,55), else None."""
    millions = Decimal(_amount(amount)) / _MILLION
    return millions if millions == millions.quantize(Decimal("0.01")) else None


def miljoner(amount: int) -> str:
    """Return ``63 miljoner kronor``, ``7,5 miljoner kronor``, ``1 miljon kronor``; exact, never rounded."""
    millions = _millions(amount)
    if millions is None or millions == 0:
        return kronor(amount)
    word = "miljon" if millions == 1 else "miljoner"
    return f"{_group(millions.normalize())}{NBSP}{word} kronor"


def miljoner_ord(amount: int) -> str:
    """Return ``en miljon kronor``, ``två miljoner kronor`` for one to twelve millions, else as :func:`miljoner`."""
    millions = _millions(amount)
    if millions is not None and millions == millions.to_integral_value() and 1 <= millions <= 12:
        n = int(millions)
        word = "en" if n == 1 else num2words(n, lang="sv")
        return f"{word} {'miljon' if n == 1 else 'miljoner'} kronor"
    return miljoner(amount)


def milj(amount: int) -> str:
    """Return an amount-column figure: ``66 milj. kr``, ``7,5 milj. kr`` (exact, else whole kronor)."""
    millions = _millions(amount)
    if millions is None:
        return f"{belopp(amount)}{NBSP}kr"
    return f"{_group(millions.normalize())}{NBSP}milj.{NBSP}kr"


def tal(n: int) -> str:
    """Return a count grouped: ``8 000``."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"a count must be an int, not {type(n).__name__}: {n!r}")
    return _group(n)


def tal_ord(n: int, neuter: bool = False) -> str:
    """Return zero to twelve in words (``fem``; ``en``/``ett`` for one), larger numbers as :func:`tal`."""
    tal(n)
    if 0 <= n <= 12:
        if n == 1:
            return "ett" if neuter else "en"
        return num2words(n, lang="sv")
    return tal(n)


def procent(value: int | Decimal) -> str:
    """Return ``70 procent``, ``7,5 procent``."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise TypeError(f"a percentage must be int or Decimal, not {type(value).__name__}: {value!r}")
    number = value.normalize() if isinstance(value, Decimal) else value
    return f"{_group(number)}{NBSP}procent"


def _date(d: object) -> dt.date:
    if not isinstance(d, dt.date):
        raise TypeError(f"expected a date, not {type(d).__name__}: {d!r}")
    return d


def datum_utan_den(d: dt.date) -> str:
    """Return ``15 december 2011``."""
    return format_date(_date(d), "d MMMM y", locale=LOCALE)


def datum(d: dt.date) -> str:
    """Return ``den 15 december 2011``."""
    return f"den {datum_utan_den(d)}"


def dag_manad(d: dt.date) -> str:
    """Return ``15 oktober`` (no year)."""
    return format_date(_date(d), "d MMMM", locale=LOCALE)


def isodatum(d: dt.date) -> str:
    """Return ``2011-06-16``."""
    return _date(d).isoformat()


def period(start: dt.date, end: dt.date) -> str:
    """Return ``1 oktober 2011 till 30 september 2012``; ``1 april till 30 september 2012`` within a year."""
    if _date(start).year == _date(end).year:
        return f"{dag_manad(start)} till {datum_utan_den(end)}"
    return f"{datum_utan_den(start)} till {datum_utan_den(end)}"


def sidnummer(page: int, total: int) -> str:
    """Return ``2 (10)``."""
    return f"{page} ({total})"


_UNITS = {"kr": 1, "tkr": 1_000, "mkr": 1_000_000}


def belopp_enhet(amount: int, unit: str) -> str:
    """Return an amount shown in a table's unit: kr ``1 160 000``, tkr ``1 160``, mkr ``5,3``; exact or ValueError."""
    if unit not in _UNITS:
        raise ValueError(f"unknown unit {unit!r}; use kr, tkr or mkr")
    value = Decimal(_amount(amount)) / _UNITS[unit]
    if unit == "tkr" and value != value.to_integral_value():
        raise ValueError(f"{amount} kronor is not a whole number of thousands")
    if unit == "mkr" and value != value.quantize(Decimal("0.01")):
        raise ValueError(f"{amount} kronor cannot be shown in millions with at most two decimals")
    return _group(value.normalize() if value != value.to_integral_value() else int(value))


def bokstav(index: int) -> str:
    """Return the letter of the item at 0-based ``index``: 0 → ``a``, 5 → ``f``."""
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < 26:
        raise ValueError(f"no letter for item index {index!r} (a–z only)")
    return "abcdefghijklmnopqrstuvwxyz"[index]


def bokstavsintervall(count: int) -> str:
    """Return the letters of ``count`` items as a range: ``a–c``; ``a`` for one."""
    if count < 1:
        raise ValueError("a range needs at least one item")
    return "a" if count == 1 else f"a{EN_DASH}{bokstav(count - 1)}"


FILTERS: dict[str, Callable] = {
    f.__name__: f
    for f in (belopp, kronor, miljoner, miljoner_ord, milj, tal, tal_ord, procent, datum, datum_utan_den,
              dag_manad, isodatum, period, sidnummer, belopp_enhet, bokstav, bokstavsintervall)
}
