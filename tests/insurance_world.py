"""A tiny hand-made world for the insurance procedure, every figure chosen so the answers can be worked by hand.

City X (rule: 5-year warranty, 7-day notice, 3 owners, 1 year of premium, annual premium 2,200.00 yuan per
elevator, cover 80,000.00 yuan; vote by Civil Code art. 278) and city Y (the same rule). "Today" is 2026-02-01.

| account | building   | balance | elevators (in service)                                 | condition 2 needs  |
|---------|------------|---------|--------------------------------------------------------|--------------------|
| a1      | X 1        | 700,000 | L1 2015-03-01, L2 2016-05-01, L3 2021-03-02 (warranty) | 3 × 220,000 = 660k |
| a2      | X 2        | 180,000 | L4 2015-01-01                                          | 220,000: short     |
| a3      | X 3        | 500,000 | L5 2015-01-01, L6 2015-01-01                           | 440,000            |
| a4      | X 4 unit 1 | 1000000 | L7 2015-01-01 (unit 1)                                 | 220,000            |
| ay      | Y 1        | 900,000 | LY 2015-01-01                                          | 220,000            |

Balances in fen. L3 is under warranty until 2026-03-02 ("2021-03-02 投入使用，质保期至 2026-03-02").
The compound in X has deposited maintenance funds (2019-01-01); so has Y's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.core.models import (
    ApplicationDocument,
    ApplicationElevator,
    ApplicationObjection,
    AuditLog,
    Building,
    City,
    Compound,
    District,
    Elevator,
    FundEntryKind,
    InsuranceApplication,
    InsuranceClaim,
    InsurancePolicy,
    Insurer,
    MaintenanceFundEntry,
    PooledAccount,
    PooledAccountEntry,
    PooledEntryKind,
    ProgrammeRule,
    Province,
    Role,
    Unit,
)
from data_access.users import Viewer, create_user, load_viewer

TODAY = date(2026, 2, 1)
PREMIUM = 220_000
COVER = 8_000_000


@dataclass
class InsuranceWorld:
    city_x: City
    city_y: City
    compound_x: Compound
    accounts: dict[str, int]
    elevators: dict[str, int]
    insurer_id: int
    viewers: dict[str, Viewer]


def build_insurance_world(s: Session, password: str = "long-enough-password") -> InsuranceWorld:
    p = Province(code="ip", name="保险测试省", name_en="Insurance test")
    x = City(province=p, code="ix", name="新城", name_en="X City")
    y = City(province=p, code="iy", name="远城", name_en="Y City")
    dx = District(city=x, name="新一区", name_en="X1")
    dy = District(city=y, name="远一区", name_en="Y1")
    s.add_all([p, x, y, dx, dy])
    s.flush()
    for city in (x, y):
        s.add(
            ProgrammeRule(
                city_id=city.id,
                title=f"{city.code} rule",
                effective_from=date(2021, 1, 1),
                warranty_years=5,
                notice_days=7,
                min_applicant_owners=3,
                min_premium_years=1,
                cover_per_elevator_fen=COVER,
                annual_premium_fen=PREMIUM,
            )
        )
    cx = Compound(district_id=dx.id, name="保险小区", households=200, residents=600, completed_on=date(2012, 1, 1))
    cy = Compound(district_id=dy.id, name="远方小区", households=100, residents=300, completed_on=date(2012, 1, 1))
    s.add_all([cx, cy])
    s.flush()
    buildings = {
        "a1": Building(compound_id=cx.id, number="1", floors=18),
        "a2": Building(compound_id=cx.id, number="2", floors=18),
        "a3": Building(compound_id=cx.id, number="3", floors=18),
        "a4": Building(compound_id=cx.id, number="4", floors=18),
        "ay": Building(compound_id=cy.id, number="1", floors=18),
    }
    s.add_all(buildings.values())
    s.flush()
    unit = Unit(building_id=buildings["a4"].id, number="1", households=36)
    s.add(unit)
    s.flush()
    s.add(
        MaintenanceFundEntry(
            building_id=buildings["a1"].id, kind=FundEntryKind.deposit, booked_on=date(2019, 1, 1), amount_fen=5_000_000
        )
    )
    s.add(
        MaintenanceFundEntry(
            building_id=buildings["ay"].id, kind=FundEntryKind.deposit, booked_on=date(2019, 1, 1), amount_fen=5_000_000
        )
    )
    accounts = {}
    for key, b in buildings.items():
        acc = PooledAccount(building_id=b.id, unit_id=unit.id if key == "a4" else None, opened_on=date(2021, 1, 1))
        s.add(acc)
        s.flush()
        accounts[key] = acc.id
    balances = {"a1": 700_000, "a2": 180_000, "a3": 500_000, "a4": 1_000_000, "ay": 900_000}
    for key, fen in balances.items():
        s.add(
            PooledAccountEntry(
                pooled_account_id=accounts[key],
                booked_on=date(2025, 12, 31),
                kind=PooledEntryKind.value_added_income,
                amount_fen=fen,
            )
        )
    plan = {
        "L1": ("a1", date(2015, 3, 1)),
        "L2": ("a1", date(2016, 5, 1)),
        "L3": ("a1", date(2021, 3, 2)),
        "L4": ("a2", date(2015, 1, 1)),
        "L5": ("a3", date(2015, 1, 1)),
        "L6": ("a3", date(2015, 1, 1)),
        "L7": ("a4", date(2015, 1, 1)),
        "LY": ("ay", date(2015, 1, 1)),
    }
    elevators = {}
    for code, (key, since) in plan.items():
        e = Elevator(
            registration_code=f"T-{code}",
            building_id=buildings[key].id,
            unit_id=unit.id if key == "a4" else None,
            in_service_on=since,
        )
        s.add(e)
        s.flush()
        elevators[code] = e.id
    insurer = Insurer(name="保险测试财险")
    s.add(insurer)
    s.flush()
    users = {
        "fx": create_user(s, "fund-x", password, Role.fund_centre, city_code="ix"),
        "fy": create_user(s, "fund-y", password, Role.fund_centre, city_code="iy"),
        "leader": create_user(s, "lead-x", password, Role.leader, city_code="ix"),
        "steward": create_user(s, "data-x", password, Role.data_steward, city_code="ix"),
        "press": create_user(s, "press-i", password, Role.press),
        "admin": create_user(s, "admin-i", password, Role.admin),
        "organiser": create_user(s, "org-i", password, Role.organiser, compound_ids=[cx.id]),
    }
    s.flush()
    viewers = {}
    for key, u in users.items():
        v = load_viewer(s, u.id)
        assert v is not None
        viewers[key] = v
    return InsuranceWorld(x, y, cx, accounts, elevators, insurer.id, viewers)


WATCHED = (
    InsuranceApplication,
    ApplicationElevator,
    ApplicationObjection,
    ApplicationDocument,
    InsurancePolicy,
    InsuranceClaim,
    PooledAccountEntry,
    AuditLog,
)


def snapshot(s: Session) -> dict[str, object]:
    """Every row of the tables the procedure writes, as plain tuples: 'nothing written' compares two of these."""
    s.flush()
    out: dict[str, object] = {}
    for model in WATCHED:
        table = model.__table__  # type: ignore[attr-defined]
        rows = s.execute(select(table).order_by(*table.primary_key.columns)).all()
        out[table.name] = [tuple(r) for r in rows]
        out[f"{table.name}#"] = s.scalar(select(func.count()).select_from(table))
    return out


__all__ = ["InsuranceWorld", "PREMIUM", "TODAY", "build_insurance_world", "snapshot"]
