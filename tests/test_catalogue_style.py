"""Punctuation and script of every catalogue entry (issue 17, "English polish").

English text carries no full-width punctuation and no Chinese characters: names in Chinese reach an English sentence
only through its placeholders ({compound}, {city}), filled from the data. Chinese text uses full-width punctuation:
an ASCII comma, colon, semicolon or bracket between Chinese characters is a typo (半角标点).
"""

from __future__ import annotations

import re

from components.formatting import one_or_many
from components.i18n import MESSAGES, t

FULL_WIDTH = re.compile(r"[，。：；（）、“”‘’！？《》【】「」『』　]")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_OR_FULL = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]"
# ASCII , : ; ( ) with a Chinese character (or full-width mark) on either side, spaces between allowed.
HALF_WIDTH_IN_CHINESE = re.compile(rf"{_CJK_OR_FULL}\s*[,:;()]|[,:;()]\s*{_CJK_OR_FULL}")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")

# The language switch names each language in its own script: the English page's link reads 中文.
OWN_NAME = {"app.lang_switch"}


def _english(key: str) -> str:
    return PLACEHOLDER.sub("", MESSAGES[key][1])


def test_english_has_no_full_width_punctuation() -> None:
    wrong = {key: en for key, (_zh, en) in MESSAGES.items() if FULL_WIDTH.search(_english(key))}
    assert not wrong, f"full-width punctuation in English: {wrong}"


def test_english_has_no_chinese_characters_outside_placeholders() -> None:
    wrong = {key: en for key, (_zh, en) in MESSAGES.items() if key not in OWN_NAME and CJK.search(_english(key))}
    assert not wrong, f"Chinese characters in English: {wrong}"


def test_chinese_uses_full_width_punctuation_between_characters() -> None:
    wrong = {key: zh for key, (zh, _en) in MESSAGES.items() if HALF_WIDTH_IN_CHINESE.search(PLACEHOLDER.sub("", zh))}
    assert not wrong, f"ASCII , : ; ( ) between Chinese characters: {wrong}"


def test_the_rules_catch_what_they_are_for() -> None:
    """The patterns themselves: each catches its typo and lets the right form pass."""
    assert FULL_WIDTH.search("Target: 90%（2025）") and not FULL_WIDTH.search("Target: 90% (2025)")
    assert CJK.search("Source: 12345 热线") and not CJK.search(PLACEHOLDER.sub("", "{compound} (Yuhu)"))
    assert HALF_WIDTH_IN_CHINESE.search("投保覆盖率(已投保)") and HALF_WIDTH_IN_CHINESE.search("目标: 90%")
    assert not HALF_WIDTH_IN_CHINESE.search("投保覆盖率（已投保 ÷ 符合条件）· 12:30")


def test_one_and_many_in_english() -> None:
    """A count of one reads "1 policy", not "1 policies"; Chinese has one form."""
    assert t(one_or_many("ins.renew.done", 1, "en"), "en", n=1) == "1 policy renewed"
    assert t(one_or_many("ins.renew.done", 3, "en"), "en", n=3) == "3 policies renewed"
    assert t(one_or_many("ins.renew.done", 1, "zh"), "zh", n=1) == "已续保 1 份保单"
    assert one_or_many("councils.days", 1, "en") == "councils.days.one"
    assert one_or_many("app.title", 1, "en") == "app.title"  # no variant: the key itself
    for key, (zh, en) in MESSAGES.items():
        if key.endswith(".one"):
            many = key.removesuffix(".one")
            assert many in MESSAGES, f"{key} has no plural entry"
            assert zh == MESSAGES[many][0], f"{key}: Chinese has no plural, so both entries read the same"
            assert set(PLACEHOLDER.findall(en)) == set(PLACEHOLDER.findall(MESSAGES[many][1])), key


def test_no_english_entry_hedges_its_plural() -> None:
    """'year(s)', 'problem(s)': a count chooses its form (one_or_many) instead."""
    wrong = {key: en for key, (_zh, en) in MESSAGES.items() if "(s)" in en}
    assert not wrong, wrong
