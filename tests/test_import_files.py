"""What a file can be: encodings, formulas, headers where clerks put them, and every way a file is refused
(too large, wrong type by content, zip bomb, a million blank rows) with a message and nothing written."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.core.models import HotlineWorkOrder
from data_access.imports import ImportLimits, ImportReport, Source, load_file, validate_file
from tests.test_import_world import (
    TODAY,
    WO_GOOD,
    WO_HEADERS,
    build_import_world,
    csv_bytes,
    snapshot,
    wo_file,
    xlsx_bytes,
)


def check(
    session: Session, source: Source, limits: ImportLimits | None = None, kind: str = "work-orders"
) -> ImportReport:
    return validate_file(session, kind, source, "ia", today=TODAY, limits=limits)


def refused(report: ImportReport) -> str:
    assert report.refusal is not None, report
    assert not report.loaded
    assert report.refusal.text("zh") and report.refusal.text("en")
    return report.refusal.key


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_gbk(session: Session, encoding: str) -> None:
    build_import_world(session)
    data = csv_bytes([WO_HEADERS, *WO_GOOD], encoding)
    report = load_file(session, "work-orders", Source("工单.csv", data=data), "ia", today=TODAY)
    assert report.loaded and report.total.new == 2, report
    summaries = session.scalars(
        select(HotlineWorkOrder.summary).where(HotlineWorkOrder.order_no.in_(["WA0002", "WA0003"]))
    )
    assert sorted(summaries) == ["楼上漏水", "电梯停运"]  # Chinese read right, whatever the encoding


def test_a_tab_separated_export_is_read_too(session: Session) -> None:
    build_import_world(session)
    text = "\n".join("\t".join("" if v is None else str(v) for v in row) for row in [WO_HEADERS, *WO_GOOD])
    assert check(session, Source("w.csv", data=text.encode("gbk"))).total.new == 2


def test_an_encoding_that_is_neither_is_refused(session: Session) -> None:
    build_import_world(session)
    data = "工单编号,受理时间\n".encode("utf-16-le").replace(b"\x00", b"") + b"\x81\xff\xfe\n"
    assert refused(check(session, Source("w.csv", data=data))) == "import.file.encoding"


def test_a_csv_with_nul_bytes_is_not_text(session: Session) -> None:
    build_import_world(session)
    assert (
        refused(check(session, Source("w.csv", data="工单编号,received_at\n".encode("utf-16"))))
        == "import.file.not_text"
    )


# --------------------------------------------------------------------------- formulas


def _with_cached_values(data: bytes, values: dict[str, str]) -> bytes:
    """Give formula cells the value Excel would have stored with them (openpyxl writes formulas without one)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                text = content.decode()
                for ref, value in values.items():
                    kind = "" if re.fullmatch(r"-?\d+(\.\d+)?", value) else ' t="str"'
                    text = re.sub(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>',
                        rf'<c r="{ref}"\1{kind}><f>\2</f><v>{value}</v>',
                        text,
                    )
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


def test_a_formula_is_read_as_its_value_never_stored_as_a_formula(session: Session) -> None:
    build_import_world(session)
    row = ["WA0010", "2025-04-01 09:00", "电梯", "甲一区", "一号小区", None, '="电梯"&"停运"', None, "=2+3"]
    data = _with_cached_values(xlsx_bytes({"s": [WO_HEADERS, row]}), {"G2": "电梯停运", "I2": "5"})
    report = load_file(session, "work-orders", Source("f.xlsx", data=data), "ia", today=TODAY)
    assert report.loaded, report.rejections
    order = session.scalars(select(HotlineWorkOrder).where(HotlineWorkOrder.order_no == "WA0010")).one()
    assert (order.summary, order.satisfaction) == ("电梯停运", 5)


# --------------------------------------------------------------------------- headers where clerks put them


def test_a_title_row_above_the_headers_and_the_english_row_below(session: Session) -> None:
    build_import_world(session)
    english = ["Work-order no.", "Received at", "Category", "District", "Compound", None, "Summary", None, None]
    bad = ["WA0011", "2025-04-01 09:00", "电梯", "无此区", None, None, "x", None, None]
    rows = [["2025年第一季度12345工单明细"], WO_HEADERS, english, *WO_GOOD, bad]
    report = check(session, Source("w.xlsx", data=xlsx_bytes({"工单": rows})))
    assert report.total.new == 2
    assert [(r.row, r.column) for r in report.rejections] == [(6, "区县")]  # spreadsheet row numbers


def test_columns_no_table_uses_are_listed_and_ignored(session: Session) -> None:
    build_import_world(session)
    rows = [[*WO_HEADERS, "来电人电话"], *[[*r, "13800000000"] for r in WO_GOOD]]
    report = check(session, Source("w.xlsx", data=xlsx_bytes({"s": rows})))
    assert report.ok and report.ignored_columns == ["s: 来电人电话"]


def test_a_registry_csv_is_recognised_by_its_headers(session: Session) -> None:
    build_import_world(session)
    rows = [
        ["注册代码", "区县", "小区名称", "楼栋号", "单元号", "投入使用日期"],
        ["IA-300", "甲一区", "一号小区", "1", "2", "2020-1-1"],
    ]
    report = check(session, Source("regulator-export.csv", data=csv_bytes(rows, "gbk")), kind="registry")
    assert report.ok and report.counts["elevators"].new == 1


def test_an_unrecognised_sheet_refuses_the_registry_but_notes_and_empty_sheets_do_not(session: Session) -> None:
    build_import_world(session)
    units = [["区县", "小区名称", "楼栋号", "单元号", "户数"], ["甲一区", "一号小区", "1", "3", 30]]
    ok = {"单元 Units": units, "说明 Notes": [["表", "列名"], ["x", "y"]], "Sheet3": []}
    assert check(session, Source("r.xlsx", data=xlsx_bytes(ok)), kind="registry").ok
    other = {"单元 Units": units, "会议记录": [["日期", "议题"], ["2025-01-01", "加装电梯"]]}
    assert (
        refused(check(session, Source("r.xlsx", data=xlsx_bytes(other)), kind="registry"))
        == "import.file.unknown_sheet"
    )


# --------------------------------------------------------------------------- refused files


def _pdf() -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.mark.parametrize(
    ("name", "data", "key"),
    [
        ("w.csv", _pdf(), "import.file.mismatch"),  # a PDF renamed .csv
        ("w.xlsx", _pdf(), "import.file.mismatch"),
        ("w.xlsx", "工单编号,受理时间\n".encode(), "import.file.mismatch"),  # a CSV renamed .xlsx
        ("w.csv", xlsx_bytes({"s": [WO_HEADERS]}), "import.file.mismatch"),  # a workbook renamed .csv
        ("w.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "import.file.xls"),  # .xls / encrypted
        ("w.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "import.file.xls"),
        ("w.txt", b"a,b\n", "import.file.extension"),
        ("w.xlsm", xlsx_bytes({"s": [WO_HEADERS]}), "import.file.extension"),
        ("w.xlsx", b"PK\x03\x04" + b"\x00" * 100, "import.file.not_xlsx"),  # a damaged zip
        ("w.csv", b"", "import.file.empty"),
    ],
)
def test_wrong_types_are_refused_by_content_not_name(session: Session, name: str, data: bytes, key: str) -> None:
    build_import_world(session)
    before = snapshot(session)
    report = load_file(session, "work-orders", Source(name, data=data), "ia", today=TODAY)
    assert refused(report) == key
    assert snapshot(session) == before


def test_a_zip_that_is_no_workbook_is_refused(session: Session) -> None:
    build_import_world(session)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert refused(check(session, Source("w.xlsx", data=out.getvalue()))) == "import.file.not_xlsx"


def test_an_oversized_file_is_refused_before_it_is_read(session: Session) -> None:
    build_import_world(session)
    source = wo_file()
    report = check(session, source, ImportLimits(max_bytes=1_000))
    assert refused(report) == "import.file.too_large"
    assert report.sha256 == ""  # not even hashed


def _bomb(member_bytes: int) -> bytes:
    """A valid workbook with one more member of zeros, which deflates about a thousandfold."""
    data, out = xlsx_bytes({"s": [WO_HEADERS, *WO_GOOD]}), io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/media/padding.bin", b"\x00" * member_bytes)
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_its_directory(session: Session) -> None:
    build_import_world(session)
    bomb = _bomb(64 * 1024 * 1024)
    assert len(bomb) < 200_000  # 64 MB of zeros in a file of ~70 KB
    started = time.perf_counter()
    report = check(session, Source("bomb.xlsx", data=bomb))
    assert refused(report) == "import.file.zip_bomb"
    assert "1:" in report.refusal.params["detail"] if report.refusal else False
    assert time.perf_counter() - started < 2  # nothing was unpacked


def test_a_workbook_unpacking_beyond_the_limit_is_refused(session: Session) -> None:
    build_import_world(session)
    report = check(session, wo_file(), ImportLimits(max_unpacked_bytes=5_000))
    assert refused(report) == "import.file.zip_bomb"


def test_a_million_blank_rows_are_refused_quickly(session: Session) -> None:
    build_import_world(session)
    workbook = Workbook()
    ws = workbook.active
    for row in (WO_HEADERS, *WO_GOOD):
        ws.append(row)
    ws.cell(row=1_000_000, column=1, value="WA9999")  # one cell far below: a million rows in between
    out = io.BytesIO()
    workbook.save(out)
    started = time.perf_counter()
    report = check(session, Source("blank.xlsx", data=out.getvalue()))
    assert refused(report) == "import.file.blank_rows"
    assert report.refusal is not None and report.refusal.params["row"] == 4
    assert time.perf_counter() - started < 5


def test_a_million_blank_csv_lines_are_refused(session: Session) -> None:
    build_import_world(session)
    data = csv_bytes([WO_HEADERS, *WO_GOOD]) + b",,,,,,,,\r\n" * 1_000_000
    assert refused(check(session, Source("blank.csv", data=data))) == "import.file.blank_rows"


def test_blank_rows_at_the_end_are_ignored(session: Session) -> None:
    build_import_world(session)
    rows = [WO_HEADERS, *WO_GOOD, *([None] * 9 for _ in range(500)), *(["  "] for _ in range(300))]
    report = check(session, Source("w.xlsx", data=xlsx_bytes({"s": rows})))
    assert report.ok and report.total.new == 2


def test_too_many_rows_are_refused(session: Session) -> None:
    build_import_world(session)
    assert refused(check(session, wo_file(), ImportLimits(max_rows=1, batch_rows=1))) == "import.file.too_many_rows"


def test_rejections_beyond_the_limit_are_counted_not_listed(session: Session) -> None:
    build_import_world(session)
    bad = [[f"WA1{i:03d}", "2025-04-01 09:00", "天气", "甲一区", None, None, "x", None, None] for i in range(30)]
    report = check(session, wo_file(*bad), ImportLimits(max_rejections=10))
    assert report.total.rejected == 30
    assert (len(report.rejections), report.rejections_not_listed) == (10, 20)


def test_an_unknown_kind_or_city_is_a_request_error() -> None:
    from data_access.imports import ImportRequestError, kind_spec

    with pytest.raises(ImportRequestError) as error:
        kind_spec("rescues")
    assert "registry" in error.value.message.text("en")
