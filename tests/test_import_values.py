"""The cell normalisers (data_access/imports/values.py), one value form at a time: pure functions, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from data_access.core.clock import CITY_TZ
from data_access.core.models import FaultSeverity, WorkOrderCategory
from data_access.imports.kinds import FAULTS, WORK_ORDERS
from data_access.imports.spec import header_key
from data_access.imports.values import (
    MAC_EPOCH_1904,
    BadValue,
    is_blank,
    parse_bool,
    parse_code,
    parse_date,
    parse_datetime,
    parse_enum,
    parse_int,
    parse_money_fen,
    parse_text,
)

SEPT_15 = date(2024, 9, 15)


@pytest.mark.parametrize(
    "value",
    [
        "2024/9/15",
        "2024-09-15",
        "2024年9月15日",
        "2024年9月15",
        "2024.9.15",
        "２０２４年９月１５日",  # full-width digits
        "２０２４／０９／１５",
        " 2024-9-15 ",
        "20240915",
        45550,  # an Excel serial number in a number cell
        45550.0,
        "45550",  # …and as text (a CSV saved from Excel)
        datetime(2024, 9, 15),  # a date cell (openpyxl reads it as midnight)
        date(2024, 9, 15),
        "2024-09-15 00:00:00",
    ],
)
def test_every_date_form_reads_as_the_same_day(value: object) -> None:
    assert parse_date(value) == SEPT_15


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("2024-02-30", "import.err.date"),
        ("2024/13/1", "import.err.date"),
        ("15/9/2024", "import.err.date"),
        ("明天", "import.err.date"),
        ("1899-12-31", "import.err.date_range"),
        ("2101-01-01", "import.err.date_range"),
        ("2024-09-15 08:30", "import.err.date_has_time"),
        (45550.5, "import.err.date_has_time"),
        (datetime(2024, 9, 15, 8, 30), "import.err.date_has_time"),
    ],
)
def test_what_is_not_a_date_is_refused_with_its_reason(value: object, key: str) -> None:
    with pytest.raises(BadValue) as refused:
        parse_date(value)
    assert refused.value.key == key


def test_a_1904_workbook_counts_serials_from_its_own_epoch() -> None:
    assert parse_date(44088, MAC_EPOCH_1904) == SEPT_15


AT_0830 = datetime(2024, 9, 15, 8, 30, tzinfo=CITY_TZ)


@pytest.mark.parametrize(
    "value",
    [
        "2024/9/15 8:30",
        "2024-09-15 08:30",
        "2024-09-15 08:30:00",
        "2024-09-15T08:30:00",
        "2024.9.15 8:30",
        "2024年9月15日 8:30",
        "2024年9月15日8时30分",
        "2024年9月15日 8点30分",
        "２０２４－０９－１５　０８：３０",
        45550 + 8.5 / 24,  # serial with the time as its fraction
        datetime(2024, 9, 15, 8, 30),  # a datetime cell: Beijing wall-clock time
        "2024-09-15T08:30:00+08:00",
        "2024-09-15T00:30:00Z",  # an explicit zone is honoured
        datetime(2024, 9, 15, 0, 30, tzinfo=UTC),
    ],
)
def test_every_datetime_form_reads_as_the_same_instant(value: object) -> None:
    parsed = parse_datetime(value)
    assert parsed == AT_0830
    assert parsed.utcoffset() is not None  # aware: core.db stores it in UTC


def test_datetimes_keep_seconds_and_a_date_alone_is_midnight() -> None:
    assert parse_datetime("2024-09-15 08:30:15.5") == AT_0830.replace(second=15, microsecond=500_000)
    assert parse_datetime("2024年9月15日8时30分15秒") == AT_0830.replace(second=15)
    assert parse_datetime("2024-09-15") == datetime(2024, 9, 15, tzinfo=CITY_TZ)


@pytest.mark.parametrize(
    ("value", "key"), [("2024-09-15 25:00", "import.err.time"), ("下午三点", "import.err.datetime")]
)
def test_what_is_not_an_instant_is_refused(value: object, key: str) -> None:
    with pytest.raises(BadValue) as refused:
        parse_datetime(value)
    assert refused.value.key == key


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        ("1,234.50", 123_450),
        ("1234.5", 123_450),
        ("1234.5元", 123_450),
        ("12.3万元", 12_300_000),
        ("12.3万", 12_300_000),
        ("1.2345万元", 1_234_500),
        ("￥1,234.50", 123_450),
        ("¥1234.50", 123_450),
        ("RMB 1234.50", 123_450),
        ("人民币1234.50元", 123_450),
        ("１２３４．５０", 123_450),  # full-width digits and point
        ("１，２３４．５０元", 123_450),
        ("0.01", 1),
        (".5", 50),
        ("-12.00", -1_200),  # parsed; the column's minimum refuses it (tests/test_import_validation)
        (1234.5, 123_450),  # a number cell: through its decimal text, never float arithmetic
        (0.1, 10),
        (1234, 123_400),
        (Decimal("99999999999.99"), 9_999_999_999_999),
        ("45,000,000,000", 4_500_000_000_000),
    ],
)
def test_every_money_form_is_exact_to_the_fen(value: object, fen: int) -> None:
    assert parse_money_fen(value) == fen


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("12.345", "import.err.money_precision"),  # a fraction of a fen is refused, not rounded
        ("1.2345678万元", "import.err.money_precision"),  # 12,345.678 yuan
        (0.1 + 0.2, "import.err.money_precision"),  # 0.30000000000000004: a float computed in Excel
        ("1,23.4", "import.err.money"),  # misplaced grouping
        ("一千元", "import.err.money"),
        ("12元5角", "import.err.money"),
        (True, "import.err.money"),
        (float("nan"), "import.err.money"),
    ],
)
def test_what_is_not_an_exact_amount_is_refused(value: object, key: str) -> None:
    with pytest.raises(BadValue) as refused:
        parse_money_fen(value)
    assert refused.value.key == key


@pytest.mark.parametrize(
    ("value", "expected"),
    [(12, 12), (12.0, 12), ("12", 12), ("１２", 12), ("1,200", 1_200), ("18层", 18), ("120 户", 120)],
)
def test_whole_numbers(value: object, expected: int) -> None:
    assert parse_int(value, ("层", "户")) == expected


@pytest.mark.parametrize("value", [12.5, "12.5", "十二", "12个", True, "1,20"])
def test_what_is_not_a_whole_number_is_refused(value: object) -> None:
    with pytest.raises(BadValue):
        parse_int(value, ("层",))


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("４３０２２００１０００１２３", "43022001000123"),  # full-width digits
        (" IA-001 ", "IA-001"),
        ("ＩＡ－００１", "IA-001"),
        ("4302 2001 0001", "430220010001"),  # spaces clerks type into long numbers
        (43022001000123, "43022001000123"),  # a number cell
        (43022001000123.0, "43022001000123"),
        (1.0, "1"),
    ],
)
def test_codes_are_normalised(value: object, code: str) -> None:
    assert parse_code(value) == code


def test_a_code_excel_rounded_is_refused_not_guessed() -> None:
    with pytest.raises(BadValue) as refused:
        parse_code(4.302200100012345e19)
    assert refused.value.key == "import.err.code_digits"


def test_text_is_trimmed_but_otherwise_kept_as_typed() -> None:
    assert parse_text("  山水文园（一期） ") == "山水文园（一期）"  # full-width brackets stay: names must match
    assert parse_text("a\r\nb") == "a\nb"
    assert parse_text(12.0) == "12"


@pytest.mark.parametrize(("value", "expected"), [("是", True), ("否", False), ("Yes", True), ("N", False), (1, True)])
def test_yes_and_no(value: object, expected: bool) -> None:
    assert parse_bool(value) is expected


def test_enums_in_chinese_english_or_code() -> None:
    category = WORK_ORDERS.column("category")
    choices = [(c.value, c.zh, c.en) for c in category.choices]
    for written in ("电梯", "Elevators", "elevators", "elevator", "ELEVATOR"):
        assert parse_enum(written, choices, WorkOrderCategory) is WorkOrderCategory.elevator
    severity = FAULTS.column("severity")
    assert parse_enum("重大", [(c.value, c.zh, c.en) for c in severity.choices], FaultSeverity) is FaultSeverity.major
    with pytest.raises(BadValue):
        parse_enum("天气", choices, WorkOrderCategory)


def test_blank_cells_and_header_spelling() -> None:
    assert is_blank(None) and is_blank("  ") and is_blank("\u3000") and not is_blank(0)
    assert header_key("  Work-order No. ") == header_key("work-order no.")
    assert header_key("户数（户）") == header_key("户数") == header_key("户数*")
