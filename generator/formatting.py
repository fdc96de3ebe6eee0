"""Swedish numbers, amounts and dates as Swedish authorities write them.

Built on babel (``sv_SE``) and num2words (``sv``), following Myndigheternas
skrivregler: thousands grouped with a no-break space (``1 161 000 000
kronor``), decimal comma (``7,5 miljoner kronor``), one to twelve in words in
running text (``två miljoner kronor``), ``den 15 december 2011``,
``70 procent``, page numbers ``2 (10)``. Every function takes the value first
so it can serve as a Jinja filter (:data:`FILTERS`).

Money is ``int`` kronor. Floats and booleans are refused with ``TypeError``
and negative numbers with ``ValueError``; nothing is ever rounded, so a
rounding error can never reach a signed document.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal, localcontext

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

LOCALE = "sv_SE"
NBSP = "\u00a0"
EN_DASH = "\u2013"
MILLION = 1_000_000
#: Most decimals of an amount in millions in running text and amount columns
#: (``213,55 miljoner kronor``); an amount needing more is written in kronor.
MILLION_DECIMALS = 2
#: A table whose unit is ``mkr`` shows every krona exactly (six decimals).
_UNITS = {"kr": (0, 0), "tkr": (3, 0), "mkr": (6, 6)}  # unit: (power of ten, most decimals)


def _whole(value: object, what: str = "ett belopp") -> int:
    """Return ``value`` if it is a non-negative int (not bool); TypeError or ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} måste vara ett heltal, inte {type(value).__name__}: {value!r}")
    if value < 0:
        raise ValueError(f"{what} kan inte vara negativt: {value}")
    return value


@functools.lru_cache(maxsize=1)
def _grouping() -> tuple[NumberPattern, Locale]:
    """The number pattern and locale, parsed once (babel's format_decimal parses both on every call)."""
    return parse_pattern("#,##0.###"), Locale.parse(LOCALE)


def _group(number: int | Decimal) -> str:
    """Return ``number`` grouped with no-break spaces and a decimal comma, every digit kept."""
    if type(number) is int:
        return _group_int(number)
    return _group_decimal(Decimal(number))


@functools.lru_cache(maxsize=65536)
def _group_int(number: int) -> str:
    """:func:`_group` of a whole number, once per process (a build writes the same amounts in many documents).

    A non-negative one is grouped here, as babel's pattern groups it (tests/test_formatting.py compares them), in
    a twentieth of the time: the allocations format some 2 000 amounts before anything is rendered.
    """
    if number >= 0:
        return f"{number:,}".replace(",", NBSP)
    return _group_decimal(Decimal(number))


def _group_decimal(number: Decimal) -> str:
    sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int):  # NaN or infinity (exponent "n", "N" or "F"): TypeError, as abs() gave
        raise TypeError(f"{number} är inget tal som kan skrivas ut")
    with localcontext(prec=len(digits) + abs(exponent) + 28):  # exact for any size
        text = _format_decimal(number)
    return text.replace("\u202f", NBSP).replace(" ", NBSP)


def _format_decimal(number: Decimal) -> str:
    """babel's ``format_decimal(number, "#,##0.###", "sv_SE", decimal_quantization=False)``."""
    pattern, locale = _grouping()
    return pattern.apply(number, locale, decimal_quantization=False)


def _in_unit(amount: int, power: int, decimals: int) -> Decimal | None:
    """Return ``amount / 10**power`` exactly if it needs at most ``decimals`` decimals, else None."""
    if _whole(amount) % 10 ** max(power - decimals, 0):
        return None
    with localcontext(prec=len(str(amount)) + 28):  # exact for any size
        return Decimal(amount).scaleb(-power).normalize()


def belopp(amount: int) -> str:
    """Return an amount as a grouped number without unit: ``1 161 000 000``."""
    return _group(_whole(amount))


def kronor(amount: int) -> str:
    """Return ``1 161 000 000 kronor`` (no-break spaces throughout)."""
    return f"{belopp(amount)}{NBSP}kronor"


def skillnad_kronor(amount: int, zero: str = "") -> str:
    """Return a difference in kronor with its sign: ``+5 000 kronor``, ``−5 000 kronor``; no difference as ``zero``
    and ``0 kronor`` (a check's "0 kronor", a change list's "±0 kronor")."""
    return ("+" if amount > 0 else "−" if amount < 0 else zero) + kronor(abs(amount))


def miljoner(amount: int) -> str:
    """Return ``63 miljoner kronor``, ``7,5 miljoner kronor``, ``1 miljon kronor``; exact, else :func:`kronor`."""
    millions = _in_unit(amount, 6, MILLION_DECIMALS)
    if millions is None or millions == 0:
        return kronor(amount)
    return f"{_group(millions)}{NBSP}{'miljon' if millions == 1 else 'miljoner'} kronor"


def miljoner_ord(amount: int) -> str:
    """Return ``en miljon kronor``, ``två miljoner kronor`` for one to twelve millions, else :func:`miljoner`."""
    if _whole(amount) % MILLION == 0 and 1 <= amount // MILLION <= 12:
        n = amount // MILLION
        return "en miljon kronor" if n == 1 else f"{_words(n)} miljoner kronor"
    return miljoner(amount)


def milj(amount: int) -> str:
    """Return an amount-column figure: ``66 milj. kr``, ``7,5 milj. kr`` (exact, else ``… kr``)."""
    millions = _in_unit(amount, 6, MILLION_DECIMALS)
    if millions is None:
        return f"{belopp(amount)}{NBSP}kr"
    return f"{_group(millions)}{NBSP}milj.{NBSP}kr"


def tal(n: int) -> str:
    """Return a count grouped: ``8 000``."""
    return _group(_whole(n, "ett antal"))


def tal_ord(n: int, neuter: bool = False) -> str:
    """Return zero to twelve in words (``fem``; ``en``, or ``ett`` if ``neuter``), larger numbers as :func:`tal`."""
    if not isinstance(neuter, bool):
        raise TypeError(f"neuter måste vara true eller false, inte {type(neuter).__name__}")
    if _whole(n, "ett antal") > 12:
        return tal(n)
    if n == 1:
        return "ett" if neuter else "en"
    return _words(n)


def _words(n: int) -> str:
    """Return ``n`` in Swedish words (num2words, imported when first needed: it loads every language it has)."""
    from num2words import num2words

    return num2words(n, lang="sv")


def _format_date(d: dt.date, pattern: str, locale: str) -> str:
    """babel's ``format_date``, its module (babel.dates, with its time zones) imported when a date is first written."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(d, pattern, locale=locale)


def procent(value: int | Decimal) -> str:
    """Return ``70 procent``, ``7,5 procent`` (int or Decimal, every decimal kept)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"en procentsats måste vara ett ändligt tal: {value!r}")
        if value < 0:
            raise ValueError(f"en procentsats kan inte vara negativ: {value}")
        return f"{_group(value.normalize())}{NBSP}procent"
    return f"{_group(_whole(value, 'en procentsats'))}{NBSP}procent"


def _date(d: object) -> dt.date:
    """Return ``d`` if it is a date (not a datetime); TypeError otherwise."""
    if isinstance(d, dt.datetime) or not isinstance(d, dt.date):
        raise TypeError(f"väntade ett datum, inte {type(d).__name__}: {d!r}")
    return d


def datum_utan_den(d: dt.date) -> str:
    """Return ``15 december 2011`` (a no-break space between day and month)."""
    return _format_date(_date(d), "d MMMM y", locale=LOCALE).replace(" ", NBSP, 1)


def datum(d: dt.date) -> str:
    """Return ``den 15 december 2011``."""
    return f"den {datum_utan_den(d)}"


def dag_manad(d: dt.date) -> str:
    """Return ``15 oktober`` (no year, a no-break space), as in ``t.o.m. den 15 oktober``."""
    return _format_date(_date(d), "d MMMM", locale=LOCALE).replace(" ", NBSP, 1)


def isodatum(d: dt.date) -> str:
    """Return ``2011-06-16``."""
    return _date(d).isoformat()


def period(start: dt.date, end: dt.date) -> str:
    """Return ``1 oktober 2011 till 30 september 2012``; ``1 april till 30 september 2012`` within a year."""
    if _date(start) > _date(end):
        raise ValueError(f"en period kan inte sluta ({end}) innan den börjar ({start})")
    first = dag_manad(start) if start.year == end.year else datum_utan_den(start)
    return f"{first} till {datum_utan_den(end)}"


def sidnummer(page: int, total: int) -> str:
    """Return ``2 (10)``: the page number and, in brackets, the number of pages."""
    if not 1 <= _whole(page, "ett sidnummer") <= _whole(total, "ett sidantal"):
        raise ValueError(f"sidan {page} ligger inte inom 1–{total}")
    return f"{page} ({total})"


def belopp_enhet(amount: int, unit: str, decimals: int = 0) -> str:
    """Return an amount in a table's unit: kr ``1 160 000``, tkr ``1 160``, mkr ``5,3``; exact or ValueError.

    ``decimals`` pads to that many decimals, so that a column aligns on its decimal comma: ``10,0`` under ``5,3``.
    """
    if unit not in _UNITS:
        raise ValueError(f"okänd enhet {unit!r}; använd kr, tkr eller mkr")
    value = _in_unit(amount, *_UNITS[unit])
    if value is None:
        raise ValueError(f"{amount} kronor kan inte visas exakt i {unit}")
    text = _group(value)
    shown = len(text.partition(",")[2])
    if decimals > shown:
        text += ("" if shown else ",") + "0" * (decimals - shown)
    return text


def bokstav(index: int) -> str:
    """Return the letter of the item at 0-based ``index``: 0 → ``a``, 5 → ``f`` (a–z only)."""
    if not _whole(index, "ett postnummer") < 26:
        raise ValueError(f"ingen bokstav för post nummer {index} (bara a–z)")
    return chr(ord("a") + index)


def bokstavsintervall(count: int) -> str:
    """Return the letters of ``count`` items as a range: ``a–c``; ``a`` for one."""
    if _whole(count, "ett antal poster") < 1:
        raise ValueError("ett intervall kräver minst en post")
    return "a" if count == 1 else f"a{EN_DASH}{bokstav(count - 1)}"


def och(parts) -> str:
    """Return a Swedish enumeration: ``a``, ``a och b``, ``a, b och c``."""
    parts = [str(part) for part in parts]
    if not parts:
        raise ValueError("inget att räkna upp")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]


FILTERS: dict[str, Callable[..., str]] = {
    f.__name__: f
    for f in (
        belopp,
        kronor,
        skillnad_kronor,
        miljoner,
        miljoner_ord,
        milj,
        tal,
        tal_ord,
        procent,
        datum,
        datum_utan_den,
        dag_manad,
        isodatum,
        period,
        sidnummer,
        belopp_enhet,
        bokstav,
        bokstavsintervall,
        och,
    )
}
