"""Numbers, money and dates for people: Babel does the locale work.

Money reads the way each language's readers count it, on cards, tables and chart axes alike: Chinese in 元, 万元 and
亿元 with thousands separators (7,650.87 万元, 18.37 亿元), English in yuan, millions and billions (¥22.63 m,
¥1.84 bn). Never "k"/"K"/"M": Babel's compact forms (and plotly's SI ticks) wrote 1亿 as "10k" 万元 on an axis and
7650.87万元 without a separator on a card.

Dates have one style per language wherever a person reads them (sentences, cards, notes, captions, lists, chart
marks, notices): Chinese 2026年11月23日 (without the year 11月23日), English 23 Nov 2026 (23 Nov); a time follows
as 14:30. Data grids (sortable, exported) and form inputs keep ISO 2026-11-23, as do files, URLs and the API.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from babel import Locale
from babel.dates import DateTimePattern, parse_pattern
from babel.numbers import NumberPattern, format_compact_decimal, format_decimal, format_percent
from babel.numbers import parse_pattern as parse_number_pattern

from components.i18n import MESSAGES

_LOCALES = {"zh": "zh_CN", "en": "en"}
WAN = Decimal(10_000)  # yuan in 1 万
YI = Decimal(100_000_000)  # yuan in 1 亿
CENT = Decimal("0.01")


# Parsed once: a Locale object and a compiled pattern per language, not a locale name and pattern re-read per call.
_LOCALE_OBJECTS = {lang: Locale.parse(name) for lang, name in _LOCALES.items()}
_DAY: dict[str, DateTimePattern] = {"zh": parse_pattern("y年M月d日"), "en": parse_pattern("d MMM y")}
_SHORT_DAY: dict[str, DateTimePattern] = {"zh": parse_pattern("M月d日"), "en": parse_pattern("d MMM")}
_MONTH: dict[str, DateTimePattern] = {"zh": parse_pattern("M月"), "en": parse_pattern("MMM")}
_MONTH_YEAR: dict[str, DateTimePattern] = {"zh": parse_pattern("y年M月"), "en": parse_pattern("MMM y")}


@functools.lru_cache(maxsize=32)
def number_pattern(pattern: str) -> NumberPattern:
    """A number pattern ("#,##0.00") parsed once: Babel's format functions re-parse a pattern given as text on every
    call (a regular expression and the grouping rules), and the pages format thousands of numbers a render. Give the
    parsed pattern as `format=`; Babel uses it as it is, so the text is the same."""
    return parse_number_pattern(pattern)


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "zh"


def locale_of(lang: str) -> Locale:
    """The language's Babel locale, parsed once (zh_CN for anything but English)."""
    return _LOCALE_OBJECTS[_lang(lang)]


_locale = locale_of


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
    return format_decimal(value, format=number_pattern(pattern), locale=_locale(lang))


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
    text = format_decimal(yuan_from_fen(fen), format=number_pattern("#,##0.00"), locale=_locale(lang))
    return f"{text} 元" if lang == "zh" else f"¥{text}"


def count(n: int, lang: str) -> str:
    """A count: Chinese from 10万 in 万/亿 (12.3万); English always in full with separators (never "123.5K")."""
    if lang == "zh" and abs(n) >= 100_000:
        return format_compact_decimal(n, locale=_locale(lang), fraction_digits=1)
    return format_decimal(n, locale=_locale(lang))


def percent(rate: Decimal | float | None, lang: str, digits: int = 1) -> str:
    if rate is None:
        return "—"
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return format_percent(rate, format=number_pattern(pattern), locale=_locale(lang))


def day(d: date, lang: str) -> str:
    """A date for people: 2026年11月23日 / 23 Nov 2026."""
    key = _lang(lang)
    return _DAY[key].apply(d, _locale(key))


def short_day(d: date, lang: str) -> str:
    """A date without its year, where the year is already said (a partial period's mark): 11月23日 / 23 Nov."""
    key = _lang(lang)
    return _SHORT_DAY[key].apply(d, _locale(key))


def day_time(moment: datetime, lang: str) -> str:
    """A local date and time for people: 2026年11月23日 14:30 / 23 Nov 2026 14:30 (convert to local time first)."""
    return f"{day(moment.date(), lang)} {moment:%H:%M}"


def day_span(first: date, last: date, lang: str) -> str:
    """A period between two dates: 2025年3月1日至2026年3月1日 / 1 Mar 2025 – 1 Mar 2026."""
    joiner = "至" if _lang(lang) == "zh" else " – "
    return f"{day(first, lang)}{joiner}{day(last, lang)}"


def month_name(d: date, lang: str) -> str:
    """A month on an axis or in a label: 11月 / Nov."""
    key = _lang(lang)
    return _MONTH[key].apply(d, _locale(key))


def month_year(d: date, lang: str) -> str:
    """A month with its year: 2026年11月 / Nov 2026."""
    key = _lang(lang)
    return _MONTH_YEAR[key].apply(d, _locale(key))


def one_or_many(key: str, n: float | str, lang: str) -> str:
    """The catalogue key for a count of n (a number, or as shown): `key.one` in English when n is 1 and the catalogue
    has it ("1 policy renewed", not "1 policies renewed"); Chinese has no plural, so `key` itself."""
    one = f"{key}.one"
    return one if lang == "en" and n in (1, "1") and one in MESSAGES else key


# Punctuation that differs by language: Chinese full-width, English ASCII with spaces.


def listing(items: Iterable[str], lang: str) -> str:
    """Items in a row: 甲、乙、丙 / A, B, C."""
    return ("、" if _lang(lang) == "zh" else ", ").join(items)


def bracketed(text: str, lang: str) -> str:
    """A remark after a word: 甲（备注） / A (remark): append it directly to the word."""
    return f"（{text}）" if _lang(lang) == "zh" else f" ({text})"


def colon(lang: str) -> str:
    """The colon after a label: full-width in Chinese, ": " in English."""
    return "：" if _lang(lang) == "zh" else ": "
