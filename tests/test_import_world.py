"""The small hand-made world the import tests load into, and helpers that build files and compare databases.

    city 导入甲市 (code ia): district 甲一区 — 一号小区 (company 甲物业): building 1 (units 1, 2; elevator IA-001 in
                             unit 1, maintained by 甲维保), building 2 (elevator IA-002, no unit)
                             district 甲二区 — 二号小区: building 1
    city 导入乙市 (code ib): district 乙一区 — 乙小区: building 1 (elevator IB-001)

    work orders WA0001 (甲市, 一号小区, IA-001) and WB0001 (乙市); a fault and a visit of IA-001.

Today is 2025-06-30 for every import test (`TODAY`). The module also checks the world and the helpers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.core.clock import CITY_TZ
from data_access.core.models import (
    AuditLog,
    Building,
    City,
    Compound,
    DatasetInfo,
    District,
    Elevator,
    ElevatorFault,
    FaultSeverity,
    HotlineWorkOrder,
    MaintenanceCompany,
    MaintenanceVisit,
    PropertyCompany,
    Province,
    Unit,
    WorkOrderCategory,
)
from data_access.imports import Source

TODAY = date(2025, 6, 30)
WO_HEADERS = ["工单编号", "受理时间", "诉求类别", "区县", "小区名称", "电梯注册代码", "诉求摘要", "办结时间", "满意度"]
WO_GOOD = [
    ["WA0002", "2025-03-01 08:30", "电梯", "甲一区", "一号小区", "IA-001", "电梯停运", "2025-03-02 10:00", 5],
    ["WA0003", "2025/3/5 9:00", "漏水", "甲二区", "二号小区", None, "楼上漏水", None, None],
]
SNAPSHOT_TABLES = (
    PropertyCompany,
    Compound,
    Building,
    Unit,
    MaintenanceCompany,
    Elevator,
    HotlineWorkOrder,
    ElevatorFault,
    MaintenanceVisit,
    AuditLog,
    DatasetInfo,
)


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=CITY_TZ)


@dataclass
class IWorld:
    city_a: City
    city_b: City
    a1: District
    a2: District
    b1: District
    c1: Compound
    c2: Compound
    cb: Compound


def build_import_world(s: Session) -> IWorld:
    p = Province(code="ip", name="导入测试省", name_en="Import Test")
    a = City(province=p, code="ia", name="导入甲市", name_en="IA City")
    b = City(province=p, code="ib", name="导入乙市", name_en="IB City")
    a1 = District(city=a, name="甲一区", name_en="A1")
    a2 = District(city=a, name="甲二区", name_en="A2")
    b1 = District(city=b, name="乙一区", name_en="B1")
    s.add_all([p, a, b, a1, a2, b1])
    s.flush()
    company = PropertyCompany(city_id=a.id, name="甲物业", registered_on=date(2015, 1, 1))
    s.add(company)
    s.flush()

    def compound(name: str, d: District, company_id: int | None = None) -> Compound:
        c = Compound(
            district_id=d.id,
            name=name,
            households=100,
            residents=300,
            completed_on=date(2010, 1, 1),
            property_company_id=company_id,
            management_orderly=True,
        )
        s.add(c)
        return c

    c1, c2, cb = compound("一号小区", a1, company.id), compound("二号小区", a2), compound("乙小区", b1)
    s.flush()
    b11, b12 = Building(compound_id=c1.id, number="1", floors=18), Building(compound_id=c1.id, number="2", floors=11)
    b21, bb1 = Building(compound_id=c2.id, number="1", floors=6), Building(compound_id=cb.id, number="1", floors=9)
    s.add_all([b11, b12, b21, bb1])
    s.flush()
    u1, u2 = Unit(building_id=b11.id, number="1", households=36), Unit(building_id=b11.id, number="2", households=36)
    maintainer = MaintenanceCompany(name="甲维保")
    s.add_all([u1, u2, maintainer])
    s.flush()
    e1 = Elevator(
        registration_code="IA-001",
        building_id=b11.id,
        unit_id=u1.id,
        in_service_on=date(2015, 3, 1),
        maintenance_company_id=maintainer.id,
    )
    e2 = Elevator(registration_code="IA-002", building_id=b12.id, in_service_on=date(2019, 5, 1))
    eb = Elevator(registration_code="IB-001", building_id=bb1.id, in_service_on=date(2016, 1, 1))
    s.add_all([e1, e2, eb])
    s.flush()
    s.add_all(
        [
            HotlineWorkOrder(
                order_no="WA0001",
                received_at=local(2025, 1, 10, 9),
                category=WorkOrderCategory.elevator,
                city_id=a.id,
                district_id=a1.id,
                compound_id=c1.id,
                elevator_id=e1.id,
                summary="电梯异响",
                closed_at=local(2025, 1, 12, 17),
                satisfaction=4,
            ),
            HotlineWorkOrder(
                order_no="WB0001",
                received_at=local(2025, 2, 1, 10),
                category=WorkOrderCategory.noise,
                city_id=b.id,
                district_id=b1.id,
                compound_id=cb.id,
                summary="噪音",
            ),
            ElevatorFault(
                elevator_id=e1.id,
                reported_at=local(2025, 2, 1, 10),
                responded_at=local(2025, 2, 1, 10, 20),
                severity=FaultSeverity.minor,
                trapped_passengers=0,
                cause="门锁故障",
            ),
            MaintenanceVisit(elevator_id=e1.id, started_at=local(2025, 2, 2, 9), duration_minutes=55),
        ]
    )
    s.flush()
    return IWorld(a, b, a1, a2, b1, c1, c2, cb)


# --------------------------------------------------------------------------- files


def xlsx_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    """A workbook with one sheet per entry, rows as given (row 1 first)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue().encode(encoding)


def wo_file(*rows: list[Any], headers: list[str] = WO_HEADERS, name: str = "工单.xlsx") -> Source:
    """A work-order workbook: the two good rows (file rows 2 and 3), then `rows` (from row 4)."""
    return Source(name, data=xlsx_bytes({"Sheet1": [headers, *WO_GOOD, *rows]}))


def snapshot(s: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table an import may touch, to compare before and after a refused import."""
    s.flush()
    result = {}
    for model in SNAPSHOT_TABLES:
        table = model.__table__
        rows = s.connection().execute(select(table)).all()
        result[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return result


# --------------------------------------------------------------------------- the world and helpers themselves


def test_world_has_what_the_docstring_says(session: Session) -> None:
    w = build_import_world(session)
    names = session.scalars(select(Compound.name).where(Compound.district_id.in_([w.a1.id, w.a2.id]))).all()
    assert sorted(names) == ["一号小区", "二号小区"]
    assert session.scalar(select(Elevator.unit_id).where(Elevator.registration_code == "IA-002")) is None


def test_snapshot_sees_a_change(session: Session) -> None:
    build_import_world(session)
    before = snapshot(session)
    session.add(MaintenanceCompany(name="新维保"))
    assert snapshot(session) != before
