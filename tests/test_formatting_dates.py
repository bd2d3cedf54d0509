"""One date style per language (issue 17): Chinese 2026年11月23日 / 11月23日, English 23 Nov 2026 / 23 Nov."""

from __future__ import annotations

from datetime import date, datetime

from components import formatting
from components.formatting import bracketed, colon, day, day_span, day_time, listing, month_name, month_year, short_day
from components.i18n import t

AS_OF = date(2026, 11, 23)


def test_a_day_in_each_language() -> None:
    assert day(AS_OF, "zh") == "2026年11月23日"
    assert day(AS_OF, "en") == "23 Nov 2026"
    assert day(date(2026, 9, 3), "en") == "3 Sep 2026"  # never "Sept", no leading zero
    assert day(date(2026, 1, 5), "zh") == "2026年1月5日"


def test_without_the_year_and_with_a_time() -> None:
    assert short_day(date(2026, 12, 5), "zh") == "12月5日"
    assert short_day(date(2026, 12, 5), "en") == "5 Dec"
    assert day_time(datetime(2026, 11, 23, 9, 5), "zh") == "2026年11月23日 09:05"
    assert day_time(datetime(2026, 11, 23, 14, 30), "en") == "23 Nov 2026 14:30"


def test_spans_and_months() -> None:
    assert day_span(date(2025, 3, 1), date(2026, 3, 1), "zh") == "2025年3月1日至2026年3月1日"
    assert day_span(date(2025, 3, 1), date(2026, 3, 1), "en") == "1 Mar 2025 – 1 Mar 2026"
    assert month_name(AS_OF, "zh") == "11月" and month_name(AS_OF, "en") == "Nov"
    assert month_year(AS_OF, "zh") == "2026年11月" and month_year(AS_OF, "en") == "Nov 2026"


def test_anything_but_english_is_chinese() -> None:
    assert day(AS_OF, "fr") == day(AS_OF, "zh")


def test_locales_and_patterns_are_parsed_once() -> None:
    """The Babel Locale objects are made at import and reused (not a locale name re-parsed on every call)."""
    assert formatting.locale_of("en") is formatting.locale_of("en")
    assert formatting.locale_of("zh") is formatting.locale_of("xx")


def test_the_catalogues_sentences_read_in_one_style() -> None:
    assert t("overview.ytd", "en", year=2026, date=day(AS_OF, "en")) == "1 Jan 2026 to 23 Nov 2026"
    assert t("overview.ytd", "zh", year=2026, date=day(AS_OF, "zh")) == "2026年1月1日至2026年11月23日"
    assert t("overview.as_of", "en", date=day(AS_OF, "en")) == "As of 23 Nov 2026"


def test_punctuation_per_language() -> None:
    assert listing(["甲", "乙"], "zh") == "甲、乙" and listing(["A", "B"], "en") == "A, B"
    assert "张三" + bracketed("主任", "zh") == "张三（主任）"
    assert "Zhang" + bracketed("chair", "en") == "Zhang (chair)"
    assert colon("zh") == "：" and colon("en") == ": "
