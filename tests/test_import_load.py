"""Loading: new, updated and unchanged by natural key; all in one transaction with the rollups, the data-set
generation and an audit entry; re-importing changes nothing; an export imports back unchanged. On SQLite and
PostgreSQL (the `session` fixture), on the world of tests/test_import_world.py."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.core.dataset import GENERATION_KEY, ROLLUP_KEY
from data_access.core.models import (
    AuditLog,
    Building,
    Compound,
    DatasetInfo,
    Elevator,
    ElevatorFault,
    HotlineWorkOrder,
    MaintenanceCompany,
    MaintenanceVisit,
    PropertyCompany,
    Unit,
    WorkOrderCategory,
)
from data_access.core.rollup_tables import agg_work_order_day
from data_access.imports import KINDS, Counts, Source, Who, export_kind, load_file, template_bytes, validate_file
from tests.test_import_ledgers import WORLD_KINDS, build_ledger_world, ledger_snapshot
from tests.test_import_world import TODAY, WO_GOOD, WO_HEADERS, build_import_world, local, snapshot, wo_file, xlsx_bytes


def counts(new: int = 0, updated: int = 0, unchanged: int = 0, rejected: int = 0) -> Counts:
    return Counts(new, updated, unchanged, rejected)


def _dataset(s: Session, key: str) -> str | None:
    return s.scalar(select(DatasetInfo.value).where(DatasetInfo.key == key))


def test_new_work_orders_are_written_with_their_references(session: Session) -> None:
    w = build_import_world(session)
    report = load_file(session, "work-orders", wo_file(), "ia", today=TODAY, who=Who(None, "tester"))
    assert report.ok and report.loaded, report
    assert report.counts == {"work_orders": counts(new=2)}
    order = session.scalars(select(HotlineWorkOrder).where(HotlineWorkOrder.order_no == "WA0002")).one()
    assert order.received_at == local(2025, 3, 1, 8, 30)  # Beijing time, stored in UTC
    assert order.closed_at == local(2025, 3, 2, 10)
    assert (order.category, order.city_id, order.district_id, order.compound_id) == (
        WorkOrderCategory.elevator,
        w.city_a.id,
        w.a1.id,
        w.c1.id,
    )
    assert order.elevator_id == session.scalar(select(Elevator.id).where(Elevator.registration_code == "IA-001"))
    assert (order.summary, order.satisfaction) == ("电梯停运", 5)
    other = session.scalars(select(HotlineWorkOrder).where(HotlineWorkOrder.order_no == "WA0003")).one()
    assert (other.compound_id, other.elevator_id, other.closed_at, other.satisfaction) == (w.c2.id, None, None, None)


def test_a_load_renews_the_generation_rebuilds_rollups_and_audits(session: Session) -> None:
    build_import_world(session)
    session.add(DatasetInfo(key=GENERATION_KEY, value="before"))
    session.flush()
    source = wo_file()
    report = load_file(session, "work-orders", source, "ia", today=TODAY, who=Who(None, "tester"))
    assert report.loaded
    generation = _dataset(session, GENERATION_KEY)
    assert generation not in (None, "before")
    assert _dataset(session, ROLLUP_KEY) == generation  # the rollups were rebuilt from this very data set
    day = session.scalar(
        select(func.sum(agg_work_order_day.c.orders)).where(agg_work_order_day.c.day == date(2025, 3, 1))
    )
    assert day == 1
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "import")).one()
    assert entry.username == "tester"
    detail = json.loads(entry.detail or "{}")
    assert detail["sha256"] == hashlib.sha256(source.data or b"").hexdigest()
    assert (detail["kind"], detail["city"], detail["file"]) == ("work-orders", "ia", "工单.xlsx")
    assert detail["counts"]["work_orders"]["new"] == 2


def test_reimporting_the_same_file_changes_nothing(session: Session) -> None:
    build_import_world(session)
    first = load_file(session, "work-orders", wo_file(), "ia", today=TODAY)
    assert first.loaded
    before = snapshot(session)
    second = load_file(session, "work-orders", wo_file(), "ia", today=TODAY)
    assert second.counts == {"work_orders": counts(unchanged=2)}
    after = snapshot(session)
    assert after["dataset_info"] == before["dataset_info"]  # same generation: cached figures stay valid
    assert len(after["audit_log"]) == len(before["audit_log"]) + 1  # the import itself is recorded
    for table in set(before) - {"audit_log"}:
        assert after[table] == before[table], table


def test_a_changed_row_is_updated_in_place(session: Session) -> None:
    build_import_world(session)
    changed = ["WA0001", "2025-01-10 09:00", "电梯", "甲一区", "一号小区", "IA-001", "电梯异响", "2025-01-12 17:00", 2]
    report = load_file(session, "work-orders", wo_file(changed), "ia", today=TODAY)
    assert report.counts == {"work_orders": counts(new=2, updated=1)}
    satisfaction = session.scalars(select(HotlineWorkOrder.satisfaction).where(HotlineWorkOrder.order_no == "WA0001"))
    assert satisfaction.all() == [2]
    assert session.scalar(select(func.count()).select_from(HotlineWorkOrder)) == 4


def test_a_dry_run_counts_and_writes_nothing(session: Session) -> None:
    build_import_world(session)
    before = snapshot(session)
    unchanged = [
        "WA0001",
        "2025-01-10 09:00",
        "电梯",
        "甲一区",
        "一号小区",
        "IA-001",
        "电梯异响",
        "2025-01-12 17:00",
        4,
    ]
    report = validate_file(session, "work-orders", wo_file(unchanged), "ia", today=TODAY)
    assert report.ok and not report.loaded and report.dry_run
    assert report.counts == {"work_orders": counts(new=2, unchanged=1)}
    assert snapshot(session) == before


REGISTRY = {
    "物业服务企业 Property companies": [
        ["企业名称", "城市", "登记日期", "党组织成立日期"],
        ["乙物业", "导入甲市", "2020-05-01", None],
    ],
    "小区 Compounds": [
        ["区县", "小区名称", "户数", "居住人数", "竣工日期", "物业服务企业"],
        ["甲二区", "三号小区", "1,200户", 3000, "2012年6月30日", "乙物业"],
        ["甲一区", "一号小区", 100, 300, "2010-01-01", "甲物业"],
    ],
    "楼栋 Buildings": [
        ["区县", "小区名称", "楼栋号", "层数"],
        ["甲二区", "三号小区", "１", "24层"],
        ["甲一区", "一号小区", "3", 30],
    ],
    "单元 Units": [["区县", "小区名称", "楼栋号", "单元号", "户数"], ["甲二区", "三号小区", "1", "1", 48]],
    "电梯 Elevators": [
        ["注册代码", "区县", "小区名称", "楼栋号", "单元号", "投入使用日期", "维保单位", "维保正常"],
        ["IA-101", "甲二区", "三号小区", "1", "1", "2012/7/1", "新维保", "是"],
        ["IA-102", "甲一区", "一号小区", "3", None, 41275, "甲维保", "否"],
        ["IA-002", "甲一区", "一号小区", "2", None, "2019-05-01", None, None],
    ],
}


def test_a_registry_workbook_adds_parents_and_children_together(session: Session) -> None:
    w = build_import_world(session)
    report = load_file(session, "registry", Source("registry.xlsx", data=xlsx_bytes(REGISTRY)), "ia", today=TODAY)
    assert report.loaded, report
    assert report.counts == {
        "companies": counts(new=1),
        "compounds": counts(new=1, unchanged=1),
        "buildings": counts(new=2),
        "units": counts(new=1),
        "elevators": counts(new=2, unchanged=1),
        "maintenance_companies": counts(new=1),
    }
    compound = session.scalars(select(Compound).where(Compound.name == "三号小区")).one()
    company = session.scalars(select(PropertyCompany).where(PropertyCompany.name == "乙物业")).one()
    assert (compound.district_id, compound.households, compound.completed_on) == (w.a2.id, 1200, date(2012, 6, 30))
    assert compound.property_company_id == company.id and company.city_id == w.city_a.id
    building = session.scalars(select(Building).where(Building.compound_id == compound.id)).one()
    assert (building.number, building.floors) == ("1", 24)  # full-width digit normalised
    unit = session.scalars(select(Unit).where(Unit.building_id == building.id)).one()
    lift = session.scalars(select(Elevator).where(Elevator.registration_code == "IA-101")).one()
    assert (lift.building_id, lift.unit_id, lift.in_service_on) == (building.id, unit.id, date(2012, 7, 1))
    new_company = session.scalar(select(MaintenanceCompany.id).where(MaintenanceCompany.name == "新维保"))
    assert lift.maintenance_company_id == new_company
    other = session.scalars(select(Elevator).where(Elevator.registration_code == "IA-102")).one()
    assert (other.in_service_on, other.maintenance_normal, other.unit_id) == (date(2013, 1, 1), False, None)


def test_a_column_the_file_lacks_is_left_as_stored(session: Session) -> None:
    """The compounds sheet has no 物业管理有序 column: 一号小区's stored False stays (a blank cell would mean 是)."""
    w = build_import_world(session)
    w.c1.management_orderly = False
    session.flush()
    header, new, known = REGISTRY["小区 Compounds"]
    only = {"小区 Compounds": [header, [*new[:5], "甲物业"], known]}
    report = load_file(session, "registry", Source("r.xlsx", data=xlsx_bytes(only)), "ia", today=TODAY)
    assert report.counts["compounds"] == counts(new=1, unchanged=1)
    assert session.scalar(select(Compound.management_orderly).where(Compound.id == w.c1.id)) is False


@pytest.mark.parametrize("kind", WORLD_KINDS)
def test_an_export_imports_back_unchanged(session: Session, kind: str) -> None:
    build_ledger_world(session)  # the import world with ledgers and a policy: every kind but claims has records
    data = export_kind(session, kind, "ia")
    before = ledger_snapshot(session)
    report = load_file(session, kind, Source(f"{kind}.xlsx", data=data), "ia", today=TODAY)
    assert report.ok, report.rejections
    assert all(c.new == c.updated == c.rejected == 0 for c in report.counts.values()), report.counts
    assert sum(c.unchanged for c in report.counts.values()) > 0
    after = ledger_snapshot(session)
    for table in set(before) - {"audit_log", "dataset_info"}:
        assert after[table] == before[table], table


def test_an_export_holds_only_the_citys_records_in_the_template(session: Session) -> None:
    build_import_world(session)
    workbook = load_workbook(__import__("io").BytesIO(export_kind(session, "work-orders", "ia")))
    assert workbook.sheetnames == ["12345工单 Work orders", "说明 Notes"]
    rows = list(workbook["12345工单 Work orders"].iter_rows(values_only=True))
    assert rows[0][:3] == ("工单编号", "受理时间", "诉求类别")
    assert rows[1][:3] == ("Work-order no.", "Received at", "Category")
    assert [r[0] for r in rows[2:]] == ["WA0001"]  # not 乙市's WB0001
    assert rows[2][2] == "电梯" and rows[2][1].hour == 9  # Chinese label; Beijing wall-clock time


def test_the_empty_template_imports_as_nothing(session: Session) -> None:
    build_import_world(session)
    for kind in KINDS:
        data = template_bytes(kind)
        notes = load_workbook(__import__("io").BytesIO(data))["说明 Notes"]
        described = {row[1] for row in notes.iter_rows(min_row=3, values_only=True)}
        assert {c.zh for s in KINDS[kind].sheets for c in s.columns} <= described
        report = validate_file(session, kind, Source(f"{kind}.xlsx", data=data), "ia", today=TODAY)
        assert report.ok and report.total == counts(), (kind, report.refusal)


def test_faults_and_visits_load_by_elevator_and_time(session: Session) -> None:
    build_import_world(session)
    faults = [
        ["电梯注册代码", "报告时间", "响应时间", "修复时间", "故障等级", "困人数", "故障原因"],
        ["IA-001", "2025-02-01 10:00", "2025-02-01 10:20", None, "一般", 0, "门锁故障"],  # unchanged
        ["IA-001", "2025-03-01 10:00", "2025-03-01 10:25", "2025-03-01 12:00", "major", 2, "曳引机故障"],
    ]
    report = load_file(session, "faults", Source("f.xlsx", data=xlsx_bytes({"故障": faults})), "ia", today=TODAY)
    assert report.counts == {"faults": counts(new=1, unchanged=1)}
    assert session.scalar(select(func.count()).select_from(ElevatorFault)) == 2
    visits = [["电梯注册代码", "开始时间", "维保时长"], ["IA-001", "2025-02-02 09:00", "55"], ["IA-002", 45717.375, 40]]
    report = load_file(session, "visits", Source("v.xlsx", data=xlsx_bytes({"v": visits})), "ia", today=TODAY)
    assert report.counts == {"visits": counts(new=1, unchanged=1)}
    started = session.scalar(select(MaintenanceVisit.started_at).where(MaintenanceVisit.duration_minutes == 40))
    assert started == local(2025, 3, 1, 9)  # serial 45717 is 2025-03-01 (Excel counts from 1899-12-30)


def test_wo_headers_in_english_and_any_order_are_accepted(session: Session) -> None:
    build_import_world(session)
    english = ["Summary", "Work-order no.", "Received at", "Category", "District"]
    rows = [english, ["漏水", "WA0009", "2025-04-01 10:00", "Water leaks", "甲一区"]]
    report = load_file(session, "work-orders", Source("en.xlsx", data=xlsx_bytes({"s": rows})), "ia", today=TODAY)
    assert report.counts == {"work_orders": counts(new=1)}
    assert WO_HEADERS and WO_GOOD  # the shared rows are used by other modules
