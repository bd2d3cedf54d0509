"""Numbers, money and dates for people: Babel does the locale work.

Money reads the way each language's readers count it, on cards, tables and chart axes alike: Chinese in 元, 万元 and
亿元 with thousands separators (7,650.87 万元, 18.37 亿元), English in yuan, millions and billions (¥22.63 m,
¥1.84 bn). Never "k"/"K"/"M": Babel's compact forms (and plotly's SI ticks) wrote 1亿 as "10k" 万元 on an axis and
7650.87万元 without a separator on a card.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal, format_percent

_LOCALES = {"zh": "zh_CN", "en": "en"}
WAN = Decimal(10_000)  # yuan in 1 万
YI = Decimal(100_000_000)  # yuan in 1 亿
CENT = Decimal("0.01")


def locale_of(lang: str) -> str:
    return _LOCALES.get(lang, "zh_CN")


def yuan_from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(CENT)


class MoneyUnit(NamedTuple):
    """A unit to show amounts in: how many yuan it holds and its name (万元, million yuan, …)."""

    yuan: Decimal
    name: str

    def of(self, fen: int) -> float:
        """An amount in this unit, for a chart's axis (plotly draws floats)."""
        return float(Decimal(fen) / 100 / self.yuan)


# From the largest unit down: an amount takes the first unit it fills once rounded to the cent of the unit (so
# 99,999,999.99 元 is "1 亿元", not "10,000 万元").
_ZH_UNITS = (MoneyUnit(YI, "亿元"), MoneyUnit(WAN, "万元"), MoneyUnit(Decimal(1), "元"))
_EN_UNITS = (MoneyUnit(Decimal(10**9), "bn"), MoneyUnit(Decimal(10**6), "m"), MoneyUnit(Decimal(1), ""))
_EN_AXIS_NAMES = {"bn": "billion yuan", "m": "million yuan", "": "yuan"}


def money_unit(largest_fen: int, lang: str) -> MoneyUnit:
    """The unit that shows `largest_fen` (the largest amount of a card, a column or an axis) with at most four
    digits before the point: 亿元 from 1亿, 万元 from 1万, else 元; English billions, millions, else yuan."""
    yuan = abs(Decimal(largest_fen)) / 100
    for unit in _ZH_UNITS if lang == "zh" else _EN_UNITS:
        if (yuan / unit.yuan).quantize(CENT, ROUND_HALF_UP) >= 1 or unit.yuan == 1:
            return unit
    raise AssertionError("the last unit takes every amount")  # pragma: no cover


def axis_money_unit(largest_fen: int, lang: str) -> MoneyUnit:
    """A money axis's unit, named for its title: (万元) / (million yuan). English axes go no larger than millions
    (a bureau's totals are hundreds to thousands of millions) and use yuan below a million."""
    unit = money_unit(largest_fen, lang)
    if lang == "zh":
        return unit
    if unit.name == "bn":
        unit = _EN_UNITS[1]
    return MoneyUnit(unit.yuan, _EN_AXIS_NAMES[unit.name])


def _amount(value: Decimal, lang: str) -> str:
    """Two decimals with separators, none when the amount is whole in its unit: 2,700 / 7,650.87."""
    value = value.quantize(CENT, ROUND_HALF_UP)
    pattern = "#,##0" if value == value.to_integral_value() else "#,##0.00"
    return format_decimal(value, format=pattern, locale=locale_of(lang))


def money(fen: int, lang: str) -> str:
    """Money for cards and notes: 45.32 亿元 / 2,700 万元 / 980.50 元; ¥4.53 bn / ¥27 m / ¥980.50.
    Exact amounts (to the fen) live in tables and exports (exact_money)."""
    yuan = yuan_from_fen(fen)
    unit = money_unit(fen, lang)
    text = _amount(yuan / unit.yuan, lang)
    if lang == "zh":
        return f"{text} {unit.name}"
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    return f"{sign}¥{text} {unit.name}" if unit.name else f"{sign}¥{text}"


def exact_money(fen: int, lang: str) -> str:
    """Money to the fen, for a clerk's figures and a refusal's reason: 1,800.00 元 / ¥1,800.00."""
    text = format_decimal(yuan_from_fen(fen), format="#,##0.00", locale=locale_of(lang))
    return f"{text} 元" if lang == "zh" else f"¥{text}"


def count(n: int, lang: str) -> str:
    """A count: Chinese from 10万 in 万/亿 (12.3万); English always in full with separators (never "123.5K")."""
    if lang == "zh" and abs(n) >= 100_000:
        return format_compact_decimal(n, locale=locale_of(lang), fraction_digits=1)
    return format_decimal(n, locale=locale_of(lang))


def percent(rate: Decimal | float | None, lang: str, digits: int = 1) -> str:
    if rate is None:
        return "—"
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return format_percent(rate, format=pattern, locale=locale_of(lang))


def day(d: date, lang: str) -> str:
    return format_date(d, format="long", locale=locale_of(lang))


def short_day(d: date, lang: str) -> str:
    """Month and day, for a partial period's mark on a chart: 12-05 / 5 Dec."""
    return f"{d.month:02d}-{d.day:02d}" if lang == "zh" else f"{d.day} {format_date(d, 'MMM', locale='en')}"
