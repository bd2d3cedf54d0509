"""One test per validation rule: a file with one bad row is refused whole, the report names the row (as the
spreadsheet numbers it) and the column (as the file heads it), and the database is unchanged — every row of
every table an import touches compared before and after. On SQLite and PostgreSQL; world in test_import_world.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from data_access.imports import ImportReport, Source, load_file
from tests.test_import_world import TODAY, WO_HEADERS, build_import_world, snapshot, wo_file, xlsx_bytes

# a good work order, to spoil one cell at a time
OK = ["WA0100", "2025-04-01 09:00", "电梯", "甲一区", "一号小区", "IA-001", "电梯停运", "2025-04-02 10:00", 5]
COL = {h: i for i, h in enumerate(WO_HEADERS)}


def spoiled(**cells: Any) -> list[Any]:
    row = list(OK)
    for header, value in cells.items():
        row[COL[header]] = value
    return row


@dataclass
class Case:
    rule: str
    row: list[Any]
    column: str
    key: str
    sheet: str = ""


WORK_ORDER_CASES = [
    Case("a required cell is blank", spoiled(诉求摘要=""), "诉求摘要", "import.err.required"),
    Case("a required key is blank", spoiled(工单编号=None), "工单编号", "import.err.required"),
    Case("not a date and time", spoiled(受理时间="2025-13-01 09:00"), "受理时间", "import.err.date"),
    Case("not a time of day", spoiled(受理时间="2025-04-01 25:00"), "受理时间", "import.err.time"),
    Case("received in the future", spoiled(受理时间="2025-07-01 09:00", 办结时间=None), "受理时间",
         "import.err.future"),
    Case("closed before received", spoiled(办结时间="2025-03-31 09:00"), "办结时间", "import.err.before"),
    Case("closed in the future", spoiled(办结时间="2025-07-02 09:00"), "办结时间", "import.err.future"),
    Case("not an allowed category", spoiled(诉求类别="天气"), "诉求类别", "import.err.choice"),
    Case("satisfaction above 5", spoiled(满意度=6), "满意度", "import.err.max"),
    Case("satisfaction below 1", spoiled(满意度=0), "满意度", "import.err.min"),
    Case("satisfaction not a number", spoiled(满意度="满意"), "满意度", "import.err.int"),
    Case("summary too long", spoiled(诉求摘要="长" * 201), "诉求摘要", "import.err.too_long"),
    Case("order number lost its digits in Excel", spoiled(工单编号=1.2345678901234567e19), "工单编号",
         "import.err.code_digits"),
    Case("unknown district", spoiled(区县="丙区"), "区县", "import.err.district_unknown"),
    Case("another city's district", spoiled(区县="乙一区", 小区名称="乙小区"), "区县",
         "import.err.district_other_city"),
    Case("compound not in the district", spoiled(小区名称="不存在小区"), "小区名称", "import.err.compound_unknown"),
    Case("elevator unknown", spoiled(电梯注册代码="IA-999"), "电梯注册代码", "import.err.elevator_unknown"),
    Case("another city's elevator", spoiled(电梯注册代码="IB-001"), "电梯注册代码",
         "import.err.elevator_other_city"),
    Case("elevator of another compound", spoiled(小区名称="二号小区", 区县="甲二区"), "电梯注册代码",
         "import.err.elevator_other_compound"),
    Case("elevator of another district", spoiled(小区名称=None, 区县="甲二区"), "电梯注册代码",
         "import.err.elevator_other_district"),
    Case("another city's work-order number", spoiled(工单编号="WB0001"), "工单编号", "import.err.order_other_city"),
    Case("duplicate within the file", spoiled(工单编号="WA0002"), "工单编号", "import.err.duplicate"),
]  # fmt: skip


def _refused_whole(session: Session, report: ImportReport, before: dict[str, Any]) -> None:
    assert not report.ok and not report.loaded
    assert report.total.rejected == 1
    assert report.total.new == 2  # the good rows were counted, and still nothing was written
    assert snapshot(session) == before


@pytest.mark.parametrize("case", WORK_ORDER_CASES, ids=lambda c: c.rule)
def test_a_work_order_file_with_one_bad_row_is_refused_whole(session: Session, case: Case) -> None:
    build_import_world(session)
    before = snapshot(session)
    report = load_file(session, "work-orders", wo_file(case.row), "ia", today=TODAY)
    _refused_whole(session, report, before)
    [rejection] = report.rejections
    assert (rejection.sheet, rejection.row, rejection.column) == ("Sheet1", 4, case.column)
    assert rejection.reason.key == case.key
    assert rejection.reason.text("zh") and rejection.reason.text("en")  # renders in both languages


def test_a_duplicate_names_the_first_row(session: Session) -> None:
    build_import_world(session)
    report = load_file(session, "work-orders", wo_file(spoiled(工单编号="WA0003")), "ia", today=TODAY)
    [rejection] = report.rejections
    assert rejection.value == "WA0003"
    assert rejection.reason.params["first"] == 3
    assert "第 3 行" in rejection.reason.text("zh") and "row 3" in rejection.reason.text("en")


def test_the_city_column_must_name_the_city_of_the_import(session: Session) -> None:
    build_import_world(session)
    before = snapshot(session)
    headers = [*WO_HEADERS, "城市"]
    rows = [headers, [*OK, "导入甲市"], [*spoiled(工单编号="WA0101"), "ia"], [*spoiled(工单编号="WA0102"), "导入乙市"]]
    report = load_file(session, "work-orders", Source("w.xlsx", data=xlsx_bytes({"s": rows})), "ia", today=TODAY)
    assert [(r.row, r.column, r.reason.key) for r in report.rejections] == [(4, "城市", "import.err.city")]
    assert snapshot(session) == before


def test_every_bad_cell_of_a_row_is_reported(session: Session) -> None:
    build_import_world(session)
    report = load_file(session, "work-orders", wo_file(spoiled(诉求类别="x", 满意度=9, 诉求摘要="")), "ia", today=TODAY)
    assert report.total.rejected == 1
    assert sorted(r.column for r in report.rejections) == ["满意度", "诉求摘要", "诉求类别"]


# --------------------------------------------------------------------------- the registry's references and ranges

COMPOUNDS_HEADER = ["区县", "小区名称", "户数", "居住人数", "竣工日期", "物业服务企业"]
BUILDINGS_HEADER = ["区县", "小区名称", "楼栋号", "层数"]
UNITS_HEADER = ["区县", "小区名称", "楼栋号", "单元号", "户数"]
ELEVATORS_HEADER = ["注册代码", "区县", "小区名称", "楼栋号", "单元号", "投入使用日期"]


SHEETS = {  # each sheet's header and a good row (file row 2); the bad row is row 3
    "小区 Compounds": (COMPOUNDS_HEADER, ["甲一区", "新小区", 10, 20, "2011-01-01", "甲物业"]),
    "楼栋 Buildings": (BUILDINGS_HEADER, ["甲一区", "一号小区", "9", 5]),
    "单元 Units": (UNITS_HEADER, ["甲一区", "一号小区", "1", "3", 30]),
    "电梯 Elevators": (ELEVATORS_HEADER, ["IA-200", "甲一区", "一号小区", "1", "2", "2020-01-01"]),
}
C, B, U, E = "小区 Compounds", "楼栋 Buildings", "单元 Units", "电梯 Elevators"
REGISTRY_CASES = [
    Case("building of an unknown compound", ["甲一区", "无名小区", "1", 5], "小区名称",
         "import.err.compound_unknown", B),
    Case("no floors", ["甲一区", "一号小区", "8", 0], "层数", "import.err.min", B),
    Case("unit of an unknown building", ["甲一区", "一号小区", "7", "1", 30], "楼栋号",
         "import.err.building_unknown", U),
    Case("negative households", ["甲一区", "新二", -1, 20, "2011-01-01", None], "户数", "import.err.min", C),
    Case("unknown company", ["甲一区", "新二", 1, 2, "2011-01-01", "丁物业"], "物业服务企业",
         "import.err.company_unknown", C),
    Case("completed in the future", ["甲一区", "新二", 1, 2, "2026-01-01", None], "竣工日期", "import.err.future", C),
    Case("in service in the future", ["IA-201", "甲一区", "一号小区", "1", "2", "2025-07-01"], "投入使用日期",
         "import.err.future", E),
    Case("elevator of an unknown unit", ["IA-201", "甲一区", "一号小区", "1", "9", "2020-01-01"], "单元号",
         "import.err.unit_unknown", E),
    Case("another city's registration code", ["IB-001", "甲一区", "一号小区", "1", "2", "2016-01-01"], "注册代码",
         "import.err.elevator_other_city", E),
    Case("a date with a time", ["IA-201", "甲一区", "一号小区", "1", "2", "2020-01-01 08:00"], "投入使用日期",
         "import.err.date_has_time", E),
]  # fmt: skip


@pytest.mark.parametrize("case", REGISTRY_CASES, ids=lambda c: c.rule)
def test_a_registry_sheet_with_one_bad_row_is_refused_whole(session: Session, case: Case) -> None:
    build_import_world(session)
    before = snapshot(session)
    sheet = case.sheet
    header, good = SHEETS[sheet]
    source = Source("registry.xlsx", data=xlsx_bytes({sheet: [header, good, case.row]}))
    report = load_file(session, "registry", source, "ia", today=TODAY)
    assert not report.ok and not report.loaded
    assert [(r.sheet, r.row, r.column, r.reason.key) for r in report.rejections] == [(sheet, 3, case.column, case.key)]
    assert snapshot(session) == before


def test_a_child_may_name_a_parent_added_earlier_in_the_same_file(session: Session) -> None:
    build_import_world(session)
    sheets = {
        "小区 Compounds": [COMPOUNDS_HEADER, ["甲二区", "新小区", 10, 20, "2011-01-01", None]],
        "楼栋 Buildings": [BUILDINGS_HEADER, ["甲二区", "新小区", "1", 6], ["甲二区", "旧小区", "1", 6]],
    }
    report = load_file(session, "registry", Source("r.xlsx", data=xlsx_bytes(sheets)), "ia", today=TODAY)
    assert [(r.row, r.column, r.reason.key) for r in report.rejections] == [
        (3, "小区名称", "import.err.compound_unknown")
    ]


def test_a_required_column_missing_refuses_the_file(session: Session) -> None:
    build_import_world(session)
    before = snapshot(session)
    headers = [h for h in WO_HEADERS if h != "受理时间"]
    rows = [headers, [v for h, v in zip(WO_HEADERS, OK, strict=True) if h != "受理时间"]]
    report = load_file(session, "work-orders", Source("w.xlsx", data=xlsx_bytes({"s": rows})), "ia", today=TODAY)
    assert report.refusal is not None and report.refusal.key == "import.file.missing_columns"
    assert "受理时间" in report.refusal.text("zh") and "Received at" in report.refusal.text("en")
    assert snapshot(session) == before


def test_the_same_column_twice_refuses_the_file(session: Session) -> None:
    build_import_world(session)
    rows = [[*WO_HEADERS, "Summary"], [*OK, "又一个摘要"]]
    report = load_file(session, "work-orders", Source("w.xlsx", data=xlsx_bytes({"s": rows})), "ia", today=TODAY)
    assert report.refusal is not None and report.refusal.key == "import.file.duplicate_column"
