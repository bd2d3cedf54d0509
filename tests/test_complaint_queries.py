"""Complaint queries of data_access/complaints.py on a hand-made world, on SQLite and PostgreSQL.

The world (local times, Asia/Shanghai):

    city X: district D1 with compounds C1 (insured) and C2, district D2 with compound C3; city Y: district Y1.
    C1: E1, E2 in service 2015; E3 in service 2024-02-10. One policy, on E1, from 2024-03-15 (mid-month:
        March 2024 is C1's mixed month; its first wholly covered month is April).
    C2: E4, E5 (2015).  C3: E6 (2015).

    order  compound  category      received (local)        closed after  satisfaction
    W1     C1        elevator      2024-01-01 00:10 *      2.5 days      5
    W2     C1        elevator      2024-01-20 10:00        1 day         4
    W3     C1        elevator      2024-02-05 09:00        open
    W4     C1        elevator      2024-03-10 12:00        open          (C1's mixed month)
    W5     C1        elevator      2024-05-02 12:00        0.5 day       2
    W6     C2        elevator      2024-02-01 07:59 *      open
    W7     C2        elevator      2024-04-15 12:00        4 days        3
    W8     C3        elevator      2024-05-20 12:00        open
    W9     C3        elevator      2023-12-31 23:50        open          (just before 2024)
    W10    C1        elevator      2023-06-10 12:00        open
    W11    C2        water_leak    2024-01-15 12:00        3 days        3
    W12    C3        noise         2024-02-10 12:00        0.25 day      4
    W13    C1        property_fee  2024-02-29 12:00        open
    W14    C2        parking       2024-06-30 23:00        0.5 day       (closed 1 July)
    W15    (none)    elevator      2024-03-05 12:00        open          (city Y)

    * before 08:00 on the 1st: still the previous month in UTC, so only local grouping puts it right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from data_access.core.clock import CITY_TZ
from data_access.core.models import (
    ApplicantType,
    ApplicationDecision,
    Building,
    City,
    Compound,
    District,
    Elevator,
    HotlineWorkOrder,
    InsuranceApplication,
    InsurancePolicy,
    Insurer,
    PooledAccount,
    Province,
    WorkOrderCategory,
)
from data_access.core.scope import Area
from data_access.facts import facts

BOTH_READERS = True  # every test runs on the raw tables and on the rollups (tests/rollup_modes.py)

H1 = date(2024, 1, 1), date(2024, 6, 30)


def local(y: int, m: int, d: int, hh: int = 12, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=CITY_TZ)


@dataclass
class World:
    x: City
    y: City
    d1: District
    d2: District


def build(s: Session) -> World:
    p = Province(code="tp", name="测试省", name_en="Test")
    x = City(province=p, code="x", name="测试甲市", name_en="X City")
    y = City(province=p, code="y", name="测试乙市", name_en="Y City")
    d1 = District(city=x, name="甲一区", name_en="D1")
    d2 = District(city=x, name="甲二区", name_en="D2")
    y1 = District(city=y, name="乙一区", name_en="Y1")
    s.add_all([p, x, y, d1, d2, y1])
    s.flush()

    def compound(name: str, d: District) -> Compound:
        c = Compound(district_id=d.id, name=name, households=100, residents=300, completed_on=date(2014, 1, 1))
        s.add(c)
        s.flush()
        return c

    c1, c2, c3 = compound("一号", d1), compound("二号", d1), compound("三号", d2)
    b1a = Building(compound_id=c1.id, number="1", floors=18)
    b1b = Building(compound_id=c1.id, number="2", floors=18)
    b2 = Building(compound_id=c2.id, number="1", floors=18)
    b3 = Building(compound_id=c3.id, number="1", floors=18)
    s.add_all([b1a, b1b, b2, b3])
    s.flush()

    def elevator(code: str, b: Building, since: date) -> Elevator:
        e = Elevator(registration_code=code, building_id=b.id, in_service_on=since)
        s.add(e)
        return e

    e1 = elevator("T-E1", b1a, date(2015, 1, 1))
    elevator("T-E2", b1a, date(2015, 1, 1))
    elevator("T-E3", b1b, date(2024, 2, 10))
    elevator("T-E4", b2, date(2015, 1, 1))
    elevator("T-E5", b2, date(2015, 1, 1))
    elevator("T-E6", b3, date(2015, 1, 1))
    account = PooledAccount(building_id=b1a.id, opened_on=date(2021, 1, 1))
    insurer = Insurer(name="测试保险公司")
    s.add_all([account, insurer])
    s.flush()
    application = InsuranceApplication(
        pooled_account_id=account.id,
        applicant_type=ApplicantType.owners_committee,
        filed_on=date(2024, 2, 1),
        decision=ApplicationDecision.approved,
        decided_on=date(2024, 3, 1),
    )
    s.add(application)
    s.flush()
    s.add(
        InsurancePolicy(
            elevator_id=e1.id,
            application_id=application.id,
            insurer_id=insurer.id,
            policy_no="T-P1",
            period_start=date(2024, 3, 15),
            period_end=date(2025, 3, 15),
            premium_fen=100_000,
            cover_fen=8_000_000,
        )
    )

    elev = WorkOrderCategory.elevator

    def order(
        no: str,
        at: datetime,
        c: Compound | None,
        cat: WorkOrderCategory = elev,
        closed_days: float | None = None,
        score: int | None = None,
    ) -> None:
        district = {c1.id: d1, c2.id: d1, c3.id: d2}[c.id] if c else y1
        s.add(
            HotlineWorkOrder(
                order_no=no,
                received_at=at,
                category=cat,
                city_id=district.city_id,
                district_id=district.id,
                compound_id=c.id if c else None,
                summary="测试",
                closed_at=at + timedelta(days=closed_days) if closed_days is not None else None,
                satisfaction=score,
            )
        )

    order("T-W1", local(2024, 1, 1, 0, 10), c1, closed_days=2.5, score=5)
    order("T-W2", local(2024, 1, 20, 10), c1, closed_days=1, score=4)
    order("T-W3", local(2024, 2, 5, 9), c1)
    order("T-W4", local(2024, 3, 10), c1)
    order("T-W5", local(2024, 5, 2), c1, closed_days=0.5, score=2)
    order("T-W6", local(2024, 2, 1, 7, 59), c2)
    order("T-W7", local(2024, 4, 15), c2, closed_days=4, score=3)
    order("T-W8", local(2024, 5, 20), c3)
    order("T-W9", local(2023, 12, 31, 23, 50), c3)
    order("T-W10", local(2023, 6, 10), c1)
    order("T-W11", local(2024, 1, 15), c2, WorkOrderCategory.water_leak, closed_days=3, score=3)
    order("T-W12", local(2024, 2, 10), c3, WorkOrderCategory.noise, closed_days=0.25, score=4)
    order("T-W13", local(2024, 2, 29), c1, WorkOrderCategory.property_fee)
    order("T-W14", local(2024, 6, 30, 23), c2, WorkOrderCategory.parking, closed_days=0.5)
    order("T-W15", local(2024, 3, 5), None)
    s.flush()
    return World(x, y, d1, d2)


def test_the_local_month_cases_are_really_previous_month_in_utc() -> None:
    """Guards the world itself: W1 and W6 fall in the previous month in UTC."""
    assert local(2024, 1, 1, 0, 10).utctimetuple()[:3] == (2023, 12, 31)
    assert local(2024, 2, 1, 7, 59).utctimetuple()[:3] == (2024, 1, 31)


def test_monthly_by_category(session: Session) -> None:
    """W9 (23:50 on 31 Dec) and W10 are outside the range; W1 is January and W6 February, in local time."""
    w = build(session)
    rows = facts(session).work_orders.monthly_by_category(Area(city_id=w.x.id), *H1)
    assert [(r.year, r.month, r.category, r.count) for r in rows] == [
        (2024, 1, "elevator", 2),  # W1, W2
        (2024, 1, "water_leak", 1),  # W11
        (2024, 2, "elevator", 2),  # W3, W6
        (2024, 2, "property_fee", 1),  # W13
        (2024, 2, "noise", 1),  # W12
        (2024, 3, "elevator", 1),  # W4 (W15 is city Y)
        (2024, 4, "elevator", 1),  # W7
        (2024, 5, "elevator", 2),  # W5, W8
        (2024, 6, "parking", 1),  # W14 at 23:00 on 30 June stays in June
    ]
    province = facts(session).work_orders.monthly_by_category(Area(), *H1)
    assert [(r.month, r.count) for r in province if r.category == "elevator"] == [
        (1, 2),
        (2, 2),
        (3, 2),
        (4, 1),
        (5, 2),
    ]
    d2 = facts(session).work_orders.monthly_by_category(Area(city_id=w.x.id, district_id=w.d2.id), *H1)
    assert [(r.month, r.category, r.count) for r in d2] == [(2, "noise", 1), (5, "elevator", 1)]
    # One day only: the first of January catches W1 (16:10 UTC on 31 December) and nothing else.
    jan1 = facts(session).work_orders.monthly_by_category(Area(city_id=w.x.id), date(2024, 1, 1), date(2024, 1, 1))
    assert [(r.year, r.month, r.category, r.count) for r in jan1] == [(2024, 1, "elevator", 1)]


def test_monthly_elevator_by_district(session: Session) -> None:
    w = build(session)
    rows = facts(session).work_orders.monthly_elevator_by_district(Area(city_id=w.x.id), *H1)
    assert [(r.district_name, r.year, r.month, r.count) for r in rows] == [
        ("甲一区", 2024, 1, 2),  # W1, W2
        ("甲一区", 2024, 2, 2),  # W3, W6
        ("甲一区", 2024, 3, 1),  # W4
        ("甲一区", 2024, 4, 1),  # W7
        ("甲一区", 2024, 5, 1),  # W5
        ("甲二区", 2024, 5, 1),  # W8
    ]
    assert {r.district_id for r in rows} == {w.d1.id, w.d2.id}
    # Dec 2023 shows W9 (23:50 local, still 31 Dec) but not W1 (UTC 31 Dec, local 1 Jan).
    dec = facts(session).work_orders.monthly_elevator_by_district(Area(), date(2023, 12, 1), date(2023, 12, 31))
    assert [(r.district_name, r.month, r.count) for r in dec] == [("甲二区", 12, 1)]


def test_trend_splits_insured_compound_at_first_policy(session: Session) -> None:
    """C1 insured from 15 March: Jan–Feb before (E3 counts from February), March mixed (left out), Apr on after.

    Never insured: C2 + C3 with E4, E5, E6 = 3 elevators every month.
    """
    w = build(session)
    rows = facts(session).cohorts.insured_vs_uninsured_trend(Area(city_id=w.x.id), *H1)
    assert [(r.year, r.month, r.cohort, r.work_orders, r.elevators, r.per_100) for r in rows] == [
        (2024, 1, "insured_before", 2, 2, Decimal("100.00")),  # W1 (UTC: December), W2 over E1, E2
        (2024, 1, "never_insured", 0, 3, Decimal("0.00")),
        (2024, 2, "insured_before", 1, 3, Decimal("33.33")),  # W3 over E1–E3
        (2024, 2, "never_insured", 1, 3, Decimal("33.33")),  # W6 (UTC: January)
        (2024, 3, "never_insured", 0, 3, Decimal("0.00")),  # W4 is C1's mixed month; W15 has no compound
        (2024, 4, "insured_after", 0, 3, Decimal("0.00")),
        (2024, 4, "never_insured", 1, 3, Decimal("33.33")),  # W7
        (2024, 5, "insured_after", 1, 3, Decimal("33.33")),  # W5
        (2024, 5, "never_insured", 1, 3, Decimal("33.33")),  # W8
        (2024, 6, "insured_after", 0, 3, Decimal("0.00")),
        (2024, 6, "never_insured", 0, 3, Decimal("0.00")),
    ]


def test_trend_before_the_first_policy_everything_is_never_insured(session: Session) -> None:
    """Period ending 29 Feb: C1's policy starts after it, so C1 is never insured in this period."""
    w = build(session)
    rows = facts(session).cohorts.insured_vs_uninsured_trend(Area(city_id=w.x.id), date(2024, 1, 1), date(2024, 2, 29))
    assert [(r.month, r.cohort, r.work_orders, r.elevators, r.per_100) for r in rows] == [
        (1, "never_insured", 2, 5, Decimal("40.00")),  # W1, W2 over E1, E2, E4, E5, E6
        (2, "never_insured", 2, 6, Decimal("33.33")),  # W3, W6 over all six
    ]


def test_trend_district_and_single_month(session: Session) -> None:
    w = build(session)
    d2 = facts(session).cohorts.insured_vs_uninsured_trend(Area(city_id=w.x.id, district_id=w.d2.id), *H1)
    assert {r.cohort for r in d2} == {"never_insured"}
    assert [(r.month, r.work_orders, r.elevators) for r in d2] == [(m, 1 if m == 5 else 0, 1) for m in range(1, 7)]
    may = facts(session).cohorts.insured_vs_uninsured_trend(Area(city_id=w.x.id), date(2024, 5, 1), date(2024, 5, 31))
    assert [(r.cohort, r.work_orders, r.elevators) for r in may] == [("insured_after", 1, 3), ("never_insured", 1, 3)]
    assert (
        facts(session).cohorts.insured_vs_uninsured_trend(Area(city_id=w.x.id), date(2024, 2, 1), date(2024, 1, 1))
        == []
    )


def test_before_after_summary(session: Session) -> None:
    """months=2, as_of 15 July 2024 → last complete month June.

    C1 (first whole month April, April+1 = May ≤ June: counts): before Jan–Feb = W1, W2, W3 = 3 over
    E1, E2 ×2 + E3 ×1 (February) = 5 elevator-months; after Apr–May = W5 = 1 over 3 × 2 = 6.
    Never insured C2, C3: Mar–Apr = W7 (W15 has no compound), May–Jun = W8; 3 elevators × 2 months each.
    """
    w = build(session)
    insured, never = facts(session).cohorts.before_after_summary(Area(city_id=w.x.id), 2, as_of=date(2024, 7, 15))
    assert (insured.cohort, insured.months, insured.compounds, insured.elevators) == ("insured", 2, 1, 3)
    assert (insured.before, insured.after) == (3, 1)
    assert (insured.before_elevator_months, insured.after_elevator_months) == (5, 6)
    assert (insured.before_per_100, insured.after_per_100) == (Decimal("60.00"), Decimal("16.67"))
    assert insured.before_window is None and insured.after_window is None
    assert (never.cohort, never.compounds, never.elevators, never.before, never.after) == ("never_insured", 2, 3, 1, 1)
    assert (never.before_elevator_months, never.after_elevator_months) == (6, 6)
    assert (never.before_per_100, never.after_per_100) == (Decimal("16.67"), Decimal("16.67"))
    assert never.before_window == (date(2024, 3, 1), date(2024, 4, 30))
    assert never.after_window == (date(2024, 5, 1), date(2024, 6, 30))


def test_before_after_summary_needs_a_complete_after_window(session: Session) -> None:
    """31 May is a month end, so May is complete and C1 counts; on 30 May it does not, and is in neither row."""
    w = build(session)
    area = Area(city_id=w.x.id)
    insured, never = facts(session).cohorts.before_after_summary(area, 2, as_of=date(2024, 5, 31))
    assert (insured.compounds, insured.before, insured.after) == (1, 3, 1)
    assert (never.compounds, never.before, never.after) == (2, 1, 2)  # Feb–Mar: W6; Apr–May: W7, W8
    insured, never = facts(session).cohorts.before_after_summary(area, 2, as_of=date(2024, 5, 30))
    assert (insured.compounds, insured.elevators, insured.before, insured.after) == (0, 0, 0, 0)
    assert (insured.before_per_100, insured.after_per_100) == (None, None)
    assert (never.compounds, never.elevators, never.before, never.after) == (2, 3, 1, 1)  # Jan–Feb: W6; Mar–Apr: W7


def test_before_after_summary_before_anyone_insured(session: Session) -> None:
    """As of 14 March C1 has no policy yet: all three compounds are never insured.

    Last complete month February: Nov–Dec 2023 = W9 (23:50 on 31 Dec); Jan–Feb 2024 = W1, W2, W3, W6.
    Elevator-months: 5 × 2 = 10 before; 5 × 2 + E3 × 1 = 11 after. E3 is in service at as_of: 6 elevators.
    """
    w = build(session)
    insured, never = facts(session).cohorts.before_after_summary(Area(city_id=w.x.id), 2, as_of=date(2024, 3, 14))
    assert (insured.compounds, insured.before, insured.after) == (0, 0, 0)
    assert (never.compounds, never.elevators, never.before, never.after) == (3, 6, 1, 4)
    assert (never.before_elevator_months, never.after_elevator_months) == (10, 11)
    assert (never.before_per_100, never.after_per_100) == (Decimal("10.00"), Decimal("36.36"))
    assert never.before_window == (date(2023, 11, 1), date(2023, 12, 31))


def test_before_after_summary_default_twelve_months(session: Session) -> None:
    """months=12 as of 2025-12-31: C1 before = Mar 2023–Feb 2024 = W10, W1, W2, W3; after Apr 2024–Mar 2025 = W5.

    Before elevator-months: E1, E2 × 12 + E3 × 1 = 25; after: 3 × 12 = 36.
    Never insured: Jan–Dec 2024 = W6, W7, W8 (W9 is 2023); 2025 = none.
    """
    w = build(session)
    insured, never = facts(session).cohorts.before_after_summary(Area(), as_of=date(2025, 12, 31))
    assert (insured.months, insured.before, insured.after) == (12, 4, 1)
    assert (insured.before_elevator_months, insured.after_elevator_months) == (25, 36)
    assert (never.before, never.after, never.before_elevator_months) == (3, 0, 36)
    assert never.before_window == (date(2024, 1, 1), date(2024, 12, 31))
    with pytest.raises(ValueError):
        facts(session).cohorts.before_after_summary(Area(city_id=w.x.id), 0, as_of=date(2025, 12, 31))


def test_time_to_close(session: Session) -> None:
    """Elevator: 8 orders, closed W1 2.5 + W2 1 + W5 0.5 + W7 4 = 8 days over 4 → 2.00."""
    w = build(session)
    rows = facts(session).work_orders.time_to_close(Area(city_id=w.x.id), *H1)
    assert [(r.category, r.orders, r.closed, r.still_open, r.mean_days_to_close) for r in rows] == [
        ("elevator", 8, 4, 4, Decimal("2.00")),
        ("property_fee", 1, 0, 1, None),
        ("water_leak", 1, 1, 0, Decimal("3.00")),
        ("parking", 1, 1, 0, Decimal("0.50")),  # received in June, closed in July: still counted
        ("noise", 1, 1, 0, Decimal("0.25")),
    ]
    d2 = facts(session).work_orders.time_to_close(Area(district_id=w.d2.id), *H1)
    assert [(r.category, r.orders, r.closed, r.mean_days_to_close) for r in d2] == [
        ("elevator", 1, 0, None),
        ("noise", 1, 1, Decimal("0.25")),
    ]


def test_satisfaction(session: Session) -> None:
    """Elevator scores 5, 4, 2, 3: mean 3.50, two of four are 4–5."""
    w = build(session)
    rows = facts(session).work_orders.satisfaction(Area(city_id=w.x.id), *H1)
    assert [(r.category, r.orders, r.rated, r.mean_score, r.share_satisfied) for r in rows] == [
        ("elevator", 8, 4, Decimal("3.50"), Decimal("0.5")),
        ("property_fee", 1, 0, None, None),
        ("water_leak", 1, 1, Decimal("3.00"), Decimal("0")),
        ("parking", 1, 0, None, None),
        ("noise", 1, 1, Decimal("4.00"), Decimal("1")),
    ]
    assert facts(session).work_orders.satisfaction(Area(city_id=w.y.id), *H1)[0].rated == 0
