"""Numbers, money and dates for people: Babel does the locale work (万/亿 in Chinese)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal, format_percent

_LOCALES = {"zh": "zh_CN", "en": "en"}


def locale_of(lang: str) -> str:
    return _LOCALES.get(lang, "zh_CN")


def yuan_from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def money(fen: int, lang: str) -> str:
    """Compact money: 45.32亿元 / ¥4.53B. Exact amounts live in tables and exports."""
    yuan = yuan_from_fen(fen)
    text = format_compact_decimal(yuan, locale=locale_of(lang), fraction_digits=2)
    return f"{text}元" if lang == "zh" else f"¥{text}"


def exact_money(fen: int, lang: str) -> str:
    """Money to the fen, for a clerk's figures and a refusal's reason: 1,800.00 元 / ¥1,800.00."""
    text = format_decimal(yuan_from_fen(fen), format="#,##0.00", locale=locale_of(lang))
    return f"{text} 元" if lang == "zh" else f"¥{text}"


def count(n: int, lang: str) -> str:
    if abs(n) >= 100_000:
        return format_compact_decimal(n, locale=locale_of(lang), fraction_digits=1)
    return format_decimal(n, locale=locale_of(lang))


def percent(rate: Decimal | float | None, lang: str, digits: int = 1) -> str:
    if rate is None:
        return "—"
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return format_percent(rate, format=pattern, locale=locale_of(lang))


def day(d: date, lang: str) -> str:
    return format_date(d, format="long", locale=locale_of(lang))
