"""Turning one spreadsheet cell into one typed value: pure functions, one per column type.

Bureaus' files write the same value many ways (dates as `2024/9/15`, `2024年9月15日`, Excel serial numbers;
money as `1,234.50`, `1234.5元`, `12.3万元`, full-width digits). Each function here accepts every form a
clerk's file is known to use and nothing else, and says why when it refuses (`BadValue`: a message key of
`data_access.imports.messages` and its parameters), so a rejected cell can be explained in the report.

Money is exact to the fen: it is parsed from the cell's text with `Decimal` (a numeric xlsx cell through
`Decimal(str(value))`), never through a float's arithmetic, and more than two decimals of yuan is refused
rather than rounded. Instants are aware datetimes in Asia/Shanghai (`core.db.AwareDateTime` stores them in UTC).

Blank cells never reach these functions: `is_blank` is asked first (the schema decides what a blank means).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from data_access.core.clock import CITY_TZ

EXCEL_EPOCH_1900 = datetime(1899, 12, 30)  # Excel's (Windows) day 0; a 1904-system workbook passes its own
MAC_EPOCH_1904 = datetime(1904, 1, 1)
FIRST_YEAR, LAST_YEAR = 1900, 2100  # plausible calendar years of any record the product holds
# Excel keeps 15 significant digits: an integer beyond 2**53 typed into a number cell has lost its last digits.
EXACT_FLOAT_LIMIT = 2**53
_WHITESPACE = re.compile(r"\s+")


class BadValue(ValueError):
    """A cell that cannot be read as its column's type: `key` names the message, `params` fill it."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def is_blank(value: object) -> bool:
    """None, or text that is only whitespace (full-width spaces included)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _nfkc(value: object) -> str:
    """Full-width digits, letters and punctuation as ASCII (`２０２４／９／１５` → `2024/9/15`), trimmed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


# --------------------------------------------------------------------------- text and codes


def parse_text(value: object) -> str:
    """Free text (names, summaries): trimmed, line breaks kept, otherwise as typed.

    Not NFKC-normalised: a compound's name `山水文园（一期）` must stay as the bureau writes it, or it would
    no longer match the name already in the database.
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").strip()
    return text


def parse_code(value: object) -> str:
    """A code or number that is an identifier (registration code, work-order number, building number).

    NFKC (full-width digits and letters to ASCII), every space removed. A code Excel stored as a number is
    read back as its digits; one too long for a float's precision has already lost digits and is refused.
    """
    if isinstance(value, bool):
        raise BadValue("import.err.code")
    if isinstance(value, float):
        if not value.is_integer():
            raise BadValue("import.err.code")
        if abs(value) >= EXACT_FLOAT_LIMIT or abs(value) >= 1e15:
            raise BadValue("import.err.code_digits")
        value = int(value)
    return _WHITESPACE.sub("", _nfkc(value))


def choice_code(value: object, choices: Iterable[tuple[str, str, str]]) -> str | None:
    """The code of the choice `value` names — its code, its Chinese or its English label (any case) — or None.

    `choices` are (code, Chinese label, English label).
    """
    wanted = _nfkc(value).casefold()
    for code, zh, en in choices:
        if wanted in (code.casefold(), _nfkc(zh).casefold(), _nfkc(en).casefold()):
            return code
    return None


def parse_enum(value: object, choices: Iterable[tuple[str, str, str]], enum_cls: type[enum.Enum]) -> enum.Enum:
    """One of the allowed values, written as its code, its Chinese or its English label (any case)."""
    code = choice_code(value, choices)
    if code is None:
        raise BadValue("import.err.choice")
    return enum_cls(code)


_TRUE = frozenset({"是", "y", "yes", "true", "1", "有", "√", "✓", "正常", "符合"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "无", "×", "✗", "不正常", "不符合"})


def parse_bool(value: object) -> bool:
    """是/否 (or yes/no, true/false, 1/0, √/×)."""
    if isinstance(value, bool):
        return value
    if _is_number(value) and value in (0, 1):
        return bool(value)
    text = _nfkc(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise BadValue("import.err.bool")


# --------------------------------------------------------------------------- numbers and money


def parse_int(value: object, units: Iterable[str] = ()) -> int:
    """A whole number: `1234`, `1,234`, full-width digits, or with the column's unit (`18层`, `120户`)."""
    if isinstance(value, bool):
        raise BadValue("import.err.int")
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        exact = Decimal(str(value))
        if not exact.is_finite() or exact != exact.to_integral_value():
            raise BadValue("import.err.int")
        return int(exact)
    text = _nfkc(value)
    for unit in units:
        if unit and text.endswith(unit):
            text = text[: -len(unit)].strip()
            break
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", text):
        text = text.replace(",", "")
    if not re.fullmatch(r"[+-]?\d+", text):
        raise BadValue("import.err.int")
    return int(text)


_MONEY_PREFIXES = ("人民币", "RMB", "CNY", "¥", "￥")
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
_PLAIN = re.compile(r"\d+(\.\d+)?|\.\d+")


def parse_money_fen(value: object) -> int:
    """An amount of yuan as integer fen, exactly: `1234.5`, `1,234.50`, `1234.5元`, `12.3万元`, `￥1,234.50`,
    `１２３４．５０`, `-12.00`, or a numeric cell. More than two decimals of yuan (a fraction of a fen) is
    refused, never rounded: a ledger total must add up to the fen."""
    if isinstance(value, bool):
        raise BadValue("import.err.money")
    amount = _decimal(str(value)) if _is_number(value) else _money_text(_nfkc(value))
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise BadValue("import.err.money_precision")
    return int(fen)


def _decimal(text: str) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise BadValue("import.err.money") from exc
    if not amount.is_finite():
        raise BadValue("import.err.money")
    return amount


def _money_text(text: str) -> Decimal:
    """`text` already NFKC-normalised: strip the sign, currency words and the unit, then read the digits."""
    sign = 1
    if text.startswith("-") or text.startswith("−"):
        sign, text = -1, text[1:].strip()
    for prefix in _MONEY_PREFIXES:
        if text.upper().startswith(prefix):
            text = text[len(prefix) :].strip()
            break
    if text.startswith("-"):
        sign, text = -1, text[1:].strip()
    scale = 1
    if text.endswith("万元") or text.endswith("万"):
        scale, text = 10_000, text.removesuffix("元").removesuffix("万").strip()
    elif text.endswith("元"):
        text = text.removesuffix("元").strip()
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    elif not _PLAIN.fullmatch(text):
        raise BadValue("import.err.money")
    return sign * scale * _decimal(text)


# --------------------------------------------------------------------------- dates and instants

_DATE = r"(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)"
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{5}(\.\d+)?")
_TIME = (
    r"(\d{1,2})\s*(?::|时|点)\s*(\d{1,2})\s*(?:(?::|分)\s*(?:(\d{1,2})(?:\.(\d{1,6}))?\s*秒?)?)?"
    r"|(\d{1,2})\s*(?:时|点)"
)
_DATE_TIME = re.compile(rf"{_DATE}(?:(?:\s*T\s*|\s+|(?<=日))(?:{_TIME}))?")


def _calendar_day(year: str, month: str, day: str) -> date:
    try:
        result = date(int(year), int(month), int(day))
    except ValueError as exc:
        raise BadValue("import.err.date") from exc
    return _plausible(result)


def _plausible(day: date) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise BadValue("import.err.date_range", first=FIRST_YEAR, last=LAST_YEAR)
    return day


def _from_serial(value: float, epoch: datetime) -> datetime:
    """An Excel serial number (days since the workbook's epoch, the fraction the time of day), to the ms."""
    if not 1 <= value < 2_958_466:  # 9999-12-31
        raise BadValue("import.err.date_range", first=FIRST_YEAR, last=LAST_YEAR)
    days, fraction = divmod(value, 1)
    if epoch == EXCEL_EPOCH_1900 and days < 60:  # Excel's fictitious 1900-02-29
        days += 1
    moment = epoch + timedelta(days=days, milliseconds=round(fraction * 86_400_000))
    _plausible(moment.date())
    return moment


def parse_date(value: object, epoch: datetime = EXCEL_EPOCH_1900) -> date:
    """A calendar day: `2024/9/15`, `2024-09-15`, `2024.9.15`, `2024年9月15日`, `20240915`, an Excel serial
    number (`45550`) or a date cell. A date with a time of day other than midnight is refused: a date column
    holding instants is a mistake the clerk should see, not one to guess at."""
    if isinstance(value, datetime):
        moment = value.astimezone(CITY_TZ) if value.tzinfo else value
        if moment.time() != time(0):
            raise BadValue("import.err.date_has_time")
        return _plausible(moment.date())
    if isinstance(value, date):
        return _plausible(value)
    if _is_number(value):
        moment = _from_serial(float(value), epoch)  # type: ignore[arg-type]
        if moment.time() != time(0):
            raise BadValue("import.err.date_has_time")
        return moment.date()
    text = _nfkc(value)
    if _SERIAL.fullmatch(text):
        return parse_date(float(text), epoch)
    if match := _COMPACT.fullmatch(text):
        return _calendar_day(*match.groups())
    moment = _parse_datetime_text(text)
    if moment.time() != time(0):
        raise BadValue("import.err.date_has_time")
    return moment.date()


def parse_datetime(value: object, epoch: datetime = EXCEL_EPOCH_1900) -> datetime:
    """An instant, as an aware datetime in Asia/Shanghai: the date forms of `parse_date` followed by a time
    (`2024/9/15 8:30`, `2024-09-15 08:30:00`, `2024年9月15日 8时30分`, ISO 8601 with an offset), an Excel
    serial number with a fraction, or a datetime cell. Times without a zone are Beijing time; a date alone is
    its midnight."""
    if isinstance(value, datetime):
        moment = value.astimezone(CITY_TZ) if value.tzinfo else value.replace(tzinfo=CITY_TZ)
        _plausible(moment.date())
        return moment
    if isinstance(value, date):
        return datetime.combine(_plausible(value), time(0), tzinfo=CITY_TZ)
    if _is_number(value):
        return _from_serial(float(value), epoch).replace(tzinfo=CITY_TZ)  # type: ignore[arg-type]
    text = _nfkc(value)
    if _SERIAL.fullmatch(text):
        return parse_datetime(float(text), epoch)
    return _parse_datetime_text(text).replace(tzinfo=CITY_TZ) if _DATE_TIME.fullmatch(text) else _iso(text)


def _parse_datetime_text(text: str) -> datetime:
    """A naive local datetime from the Chinese and numeric date forms with an optional time."""
    match = _DATE_TIME.fullmatch(text)
    if not match:
        if _iso_or_none(text) is not None:
            return _iso(text).replace(tzinfo=None)
        raise BadValue("import.err.date")
    g = match.groups()
    day = _calendar_day(g[0], g[1] or g[3], g[2] or g[4])
    hour, minute, second, fraction = g[5] or g[9], g[6], g[7], g[8]
    if hour is None:
        return datetime.combine(day, time(0))
    try:
        clock = time(int(hour), int(minute or 0), int(second or 0), int((fraction or "0").ljust(6, "0")))
    except ValueError as exc:
        raise BadValue("import.err.time") from exc
    return datetime.combine(day, clock)


def _iso_or_none(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _iso(text: str) -> datetime:
    """ISO 8601 (`2024-09-15T08:30:00+08:00`, `…Z`): an offset is honoured, none means Beijing time."""
    moment = _iso_or_none(text)
    if moment is None:
        raise BadValue("import.err.datetime")
    moment = moment.astimezone(CITY_TZ) if moment.tzinfo else moment.replace(tzinfo=CITY_TZ)
    _plausible(moment.date())
    return moment


def local_naive(moment: datetime) -> datetime:
    """An aware instant as the Beijing wall-clock time a spreadsheet shows (xlsx has no time zones)."""
    return moment.astimezone(CITY_TZ).replace(tzinfo=None)
