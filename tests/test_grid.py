"""The compound grids' server side, as pure functions: block answers, sort order, CSV and Excel exports."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from components import complaints, elevators, funds, red_property
from components.filters import (
    BLOCK_SIZE,
    MAX_BLOCK_ROWS,
    compound_grid,
    grid_block,
    numeric_fields,
    rows_csv,
    sort_rows,
)
from data_access.complaint_compounds import CompoundComplaintRow
from data_access.elevator_compounds import CompoundElevatorRow
from data_access.funds import CompoundFundRow
from data_access.red_property import CompoundRedRow
from pages._grid import sort_model, url_query

COLUMNS = [
    {"field": "compound", "headerName": "小区"},
    {"field": "district", "headerName": "区县"},
    {"field": "buildings", "headerName": "楼栋数", "type": "rightAligned"},
    {"field": "deposits_yuan", "headerName": "累计缴存（元）", "type": "rightAligned"},
    {"field": "mean_days", "headerName": "平均办结天数", "type": "rightAligned"},
    {"field": "insured_since", "headerName": "投保起始"},
]
ROWS = [
    {"compound_id": 1, "compound": "乙", "district": "天元区", "buildings": 9, "deposits_yuan": "99.50",
     "mean_days": "2.5", "insured_since": "2024-03-15"},
    {"compound_id": 2, "compound": "甲", "district": "荷塘区", "buildings": 10, "deposits_yuan": "1000.00",
     "mean_days": None, "insured_since": "—"},
    {"compound_id": 3, "compound": "丙", "district": "天元区", "buildings": 2, "deposits_yuan": "-5.00",
     "mean_days": "0.25", "insured_since": "2022-01-01"},
    {"compound_id": 4, "compound": "丁", "district": "", "buildings": 10, "deposits_yuan": "1000.00",
     "mean_days": "11", "insured_since": "2025-12-31"},
]  # fmt: skip


def ids(rows: list[dict]) -> list[int]:
    return [r["compound_id"] for r in rows]


def by(col: str, direction: str) -> list[dict[str, str]]:
    return [{"colId": col, "sort": direction}]


def test_numbers_sort_by_value_not_as_text() -> None:
    """Money arrives as decimal strings: "99.50" < "1000.00" as numbers (as text it would come last)."""
    assert numeric_fields(COLUMNS) == {"buildings", "deposits_yuan", "mean_days"}
    assert ids(sort_rows(ROWS, COLUMNS, by("deposits_yuan", "asc"))) == [3, 1, 2, 4]
    assert ids(sort_rows(ROWS, COLUMNS, by("deposits_yuan", "desc"))) == [2, 4, 1, 3]  # ties keep the query's order
    assert ids(sort_rows(ROWS, COLUMNS, by("buildings", "asc"))) == [3, 1, 2, 4]
    assert ids(sort_rows(ROWS, COLUMNS, by("mean_days", "desc"))) == [4, 1, 3, 2]  # "11" > "2.5"


def test_empty_cells_come_last_in_either_direction() -> None:
    assert ids(sort_rows(ROWS, COLUMNS, by("mean_days", "asc"))) == [3, 1, 4, 2]
    assert ids(sort_rows(ROWS, COLUMNS, by("mean_days", "desc"))) == [4, 1, 3, 2]
    assert ids(sort_rows(ROWS, COLUMNS, by("insured_since", "asc"))) == [3, 1, 4, 2]  # "—" means no date
    assert ids(sort_rows(ROWS, COLUMNS, by("insured_since", "desc"))) == [4, 1, 3, 2]
    assert ids(sort_rows(ROWS, COLUMNS, by("district", "asc"))) == [1, 3, 2, 4]  # text; "" last


def test_several_keys_first_key_first() -> None:
    model = [{"colId": "deposits_yuan", "sort": "desc"}, {"colId": "buildings", "sort": "asc"}]
    rows = [dict(r, buildings=b) for r, b in zip(ROWS, (9, 12, 2, 10), strict=True)]
    assert ids(sort_rows(rows, COLUMNS, model)) == [4, 2, 1, 3]


def test_a_sort_model_from_the_browser_is_not_trusted() -> None:
    """Unknown columns, directions and shapes are ignored; the query's order stands."""
    for model in (
        None,
        [],
        "deposits_yuan",
        [{"colId": "password", "sort": "asc"}],
        [{"colId": "compound", "sort": "sideways"}],
        [["compound", "asc"]],
        {"colId": "compound"},
    ):
        assert ids(sort_rows(ROWS, COLUMNS, model)) == [1, 2, 3, 4]
    odd = [dict(ROWS[0], deposits_yuan="NaN"), dict(ROWS[1], deposits_yuan="abc"), ROWS[2]]
    assert ids(sort_rows(odd, COLUMNS, by("deposits_yuan", "asc"))) == [3, 1, 2]  # not numbers: last


def test_block_is_the_requested_slice_of_the_sorted_rows_with_the_total() -> None:
    request = {"startRow": 1, "endRow": 3, "sortModel": by("deposits_yuan", "asc"), "filterModel": {}}
    assert grid_block(ROWS, list, COLUMNS, request) == {"rowData": [ROWS[0], ROWS[1]], "rowCount": 4}
    assert grid_block(ROWS, list, COLUMNS, {"startRow": 3, "endRow": 100}) == {"rowData": [ROWS[3]], "rowCount": 4}
    assert grid_block(ROWS, list, COLUMNS, {"startRow": 8, "endRow": 9})["rowData"] == []
    assert grid_block([], list, COLUMNS, {"startRow": 0, "endRow": 100}) == {"rowData": [], "rowCount": 0}
    garbage = {"startRow": "x", "endRow": -4, "sortModel": 7}
    assert grid_block(ROWS, list, COLUMNS, garbage) == {"rowData": [], "rowCount": 4}
    assert len(grid_block(ROWS, list, COLUMNS, None)["rowData"]) == 4  # no request: the first block
    many = [dict(ROWS[0], compound_id=i) for i in range(MAX_BLOCK_ROWS + 50)]
    block = grid_block(many, list, COLUMNS, {"startRow": 10, "endRow": 10**9})
    assert len(block["rowData"]) == MAX_BLOCK_ROWS and block["rowCount"] == len(many)


def test_unsorted_blocks_turn_only_their_own_records_into_rows() -> None:
    """Keeping grid rows of every record alive is the expensive part at large scale: only the block's are kept."""
    converted: list[int] = []

    def to_rows(records: list[dict]) -> list[dict]:
        converted.append(len(records))
        return [dict(r, compound=r["compound"] + "!") for r in records]

    block = grid_block(ROWS, to_rows, COLUMNS, {"startRow": 2, "endRow": 3, "sortModel": []})
    assert block == {"rowData": [dict(ROWS[2], compound="丙!")], "rowCount": 4} and converted == [1]
    block = grid_block(ROWS, to_rows, COLUMNS, {"startRow": 0, "endRow": 1, "sortModel": by("compound", "asc")})
    assert block["rowData"] == [dict(ROWS[3], compound="丁!")]
    assert converted == [1, 1, 1, 1, 1, 1]  # sorted: each record's value one at a time, then the block's rows


def test_grid_carries_no_rows_and_pages_by_twenty() -> None:
    grid = compound_grid("funds-grid", COLUMNS, "zh").children[1]
    assert grid.rowModelType == "infinite" and getattr(grid, "rowData", None) is None
    options = grid.dashGridOptions
    assert options["pagination"] and options["paginationPageSize"] == 20 and options["cacheBlockSize"] == BLOCK_SIZE
    assert BLOCK_SIZE % 20 == 0 and all(BLOCK_SIZE % size == 0 for size in options["paginationPageSizeSelector"])
    assert options["localeText"]["page"] == "页码"  # the pager reads 页码 1 / 105
    assert "localeText" not in compound_grid("g", COLUMNS, "en").children[1].dashGridOptions
    assert grid.getRowId == "params.data.compound_id + ''"  # AG Grid wants string ids (it warns otherwise)


def test_csv_has_a_bom_headers_and_the_grid_values() -> None:
    text = rows_csv(ROWS[:2], COLUMNS)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [
        [c["headerName"] for c in COLUMNS],
        ["乙", "天元区", "9", "99.50", "2.5", "2024-03-15"],
        ["甲", "荷塘区", "10", "1000.00", "", "—"],
    ]


def test_url_query_and_sort_model_of_a_request() -> None:
    # pages/_urlargs' rule: a repeated value counts once, a name with different values is left out.
    assert url_query("?city=zhuzhou&year=2021&city=xiangtan") == {"year": "2021"}
    assert url_query("?city=zhuzhou&year=2021&city=zhuzhou") == {"city": "zhuzhou", "year": "2021"}
    assert url_query(None) == {} and url_query("") == {}
    assert sort_model({"startRow": 0, "sortModel": by("compound", "asc")}) == by("compound", "asc")
    assert sort_model(None) is None and sort_model("x") is None


def _exports_agree(module, rows: list, model: list[dict[str, str]]) -> list[list[object]]:  # type: ignore[no-untyped-def]
    """CSV and Excel of the same rows and sort: same headers, same rows in the same order, same values."""
    text = module.compound_csv(rows, "zh", model)
    assert text.startswith("\ufeff")
    from_csv = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    from_xlsx = [list(r) for r in load_workbook(io.BytesIO(module.compound_xlsx(rows, "zh", model))).active.values]
    assert from_csv[0] == from_xlsx[0] == [c["headerName"] for c in module.compound_columns("zh")]
    assert len(from_csv) == len(from_xlsx) == len(rows) + 1
    for c_row, x_row in zip(from_csv[1:], from_xlsx[1:], strict=True):
        for c_cell, x_cell in zip(c_row, x_row, strict=True):
            if x_cell is None:
                assert c_cell == ""
            elif isinstance(x_cell, int | float):
                assert Decimal(c_cell) == Decimal(str(x_cell))
            elif hasattr(x_cell, "date"):
                assert c_cell == x_cell.date().isoformat()
            else:
                assert c_cell == x_cell
    return from_xlsx


def test_fund_exports_follow_the_grid_sort_and_agree() -> None:
    rows = [
        CompoundFundRow(1, "一号", "天元区", "Tianyuan", 3, 2_000_000, 0, 150, -250),
        CompoundFundRow(2, "二号", "天元区", "Tianyuan", 5, 99_950, 123_456, 0, 0),
        CompoundFundRow(3, "三号", "荷塘区", "Hetang", 1, 10_000_000, 5, 7, 1),
    ]
    assert [r["deposits_yuan"] for r in funds.compound_rows(rows, "zh")] == ["20000.00", "999.50", "100000.00"]
    assert funds.compound_rows(rows, "zh")[0]["pooled_balance_yuan"] == "-2.50"
    sheet = _exports_agree(funds, rows, by("deposits_yuan", "asc"))
    assert [r[0] for r in sheet[1:]] == ["二号", "一号", "三号"]
    assert sheet[1][3] == 999.5
    assert [r[0] for r in _exports_agree(funds, rows, [])[1:]] == ["一号", "二号", "三号"]  # no sort: the query's


def test_elevator_complaint_and_red_exports_follow_the_grid_sort_and_agree() -> None:
    lifts = [
        CompoundElevatorRow(1, "一号", "天元区", "Tianyuan", 4, 2, 1, 3, Decimal("75.00"), 1),
        CompoundElevatorRow(2, "二号", "天元区", "Tianyuan", 0, 0, 0, 0, None, 0),
        CompoundElevatorRow(3, "三号", "荷塘区", "Hetang", 30, 20, 10, 3, Decimal("10.00"), 0),
    ]
    sheet = _exports_agree(elevators, lifts, by("faults_per_100", "asc"))
    assert [r[0] for r in sheet[1:]] == ["三号", "一号", "二号"]  # none last
    orders = [
        CompoundComplaintRow(1, "一号", "天元区", "Tianyuan", 5, 1, 6, date(2024, 3, 15), Decimal("1.33")),
        CompoundComplaintRow(2, "二号", "天元区", "Tianyuan", 0, 2, 0, None, None),
        CompoundComplaintRow(3, "三号", "荷塘区", "Hetang", 12, 0, 20, date(2022, 1, 1), Decimal("11.5")),
    ]
    sheet = _exports_agree(complaints, orders, by("mean_days", "desc"))
    assert [r[0] for r in sheet[1:]] == ["三号", "一号", "二号"]
    sheet = _exports_agree(complaints, orders, by("insured_since", "asc"))
    assert [r[0] for r in sheet[1:]] == ["三号", "一号", "二号"]
    red = [
        CompoundRedRow(1, "一号", "天元区", "Tianyuan", None, None, False, 0, 0, 0),
        CompoundRedRow(2, "二号", "天元区", "Tianyuan", "accepted", 92, True, 4, 3, 1),
        CompoundRedRow(3, "三号", "荷塘区", "Hetang", "declared", 80, False, 9, 2, 0),
    ]
    sheet = _exports_agree(red_property, red, by("total_score", "desc"))
    assert [r[0] for r in sheet[1:]] == ["二号", "三号", "一号"]
    sheet = _exports_agree(red_property, red, by("meetings", "desc"))
    assert [r[0] for r in sheet[1:]] == ["三号", "二号", "一号"]


def test_exports_never_carry_a_formula() -> None:
    """A compound named like a formula is written as text in both exports; numbers written as text stay numbers."""
    rows = [
        CompoundFundRow(1, '=HYPERLINK("http://evil.example","点我")', "天元区", "Tianyuan", 3, 2_000_000, 0, 0, -250),
        CompoundFundRow(2, "@SUM(A1:A9)", "天元区", "Tianyuan", 1, 100, 0, 0, 0),
        CompoundFundRow(3, "-1+2", "荷塘区", "Hetang", 1, 100, 0, 0, 0),
    ]
    text = funds.compound_csv(rows, "zh", [])
    from_csv = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r[0] for r in from_csv[1:]] == ['\'=HYPERLINK("http://evil.example","点我")', "'@SUM(A1:A9)", "'-1+2"]
    assert from_csv[1][-1] == "-2.50"  # a negative balance is a value, not a formula
    sheet = load_workbook(io.BytesIO(funds.compound_xlsx(rows, "zh", []))).active
    first = sheet.cell(row=2, column=1)
    assert first.value == '=HYPERLINK("http://evil.example","点我")'
    assert first.data_type == "s"  # text, not a formula
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
