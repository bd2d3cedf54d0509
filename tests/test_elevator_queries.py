"""Elevator-page queries on a small hand-made world, on SQLite and PostgreSQL.

The world (all times are Asia/Shanghai; "UTC" notes say where the stored instant falls on another day):

    city A: district D1 — compound C1, building B1: E1 (in service 2015-03-01), E2 (2020-07-01), E3 (2008-01-01)
            district D2 — compound C2, building B2: E4 (2023-01-01), E5 (2026-02-01, not yet in service in 2025)
    city B: district D3 — compound C3, building B3: EB (2018-01-01); district D4 with nothing in it

    Programme rule of A: 5-year warranty, 1 premium-year of 100,000 fen per elevator.
    B1 has deposits (2019) and a pooled account credited 1,000,000 on 2024-12-31; C2 has no deposits.
    Application filed 2025-01-15 for E1 and E2; policy on E1 for [2025-03-01, 2026-03-01).

    fault  elevator  reported (local)     UTC day     severity  response   repair  trapped  insured  age
    F1     E1        2025-02-28 23:30     same        minor     45 min     -       0        no       9
    F2     E1        2025-03-01 00:30     02-28       major     30 min     20 h    2        yes      10
    F3     E1        2025-06-10 10:00     same        minor     10 min     -       0        yes      10
    F4     E1        2025-09-05 14:00     same        major     20 min     30 h    0        yes      10
    F5     E2        2025-05-20 08:00     same        major     60 min     12 h    1        no       4
    F6     E2        2025-07-01 00:30     06-30       minor     25 min     -       0        no       5
    F7     E2        2025-11-11 19:00     same        minor     never      -       0        no       5
    F8     E3        2025-01-01 00:30     2024-12-31  minor     15 min     -       0        no       17
    F9     E3        2026-01-01 00:30     2025-12-31  minor     (outside 2025 locally)
    F10    E4        2025-12-31 23:30     same        minor     30 min 1 s -       0        no       2
    F11    E4        2025-04-01 09:15     same        minor     5 min      -       0        no       2
    F12    EB        2025-06-01 12:00     same        minor     10 min     -       0        no       7  (city B)
    F13    E3        2024-12-31 23:30     same        minor     (outside 2025)

    visit  elevator  started (local)      minutes  insured
    V1     E1        2025-04-01 10:00     55       yes
    V2     E1        2025-03-01 00:15     40       yes (UTC day is 02-28, before the policy)
    V3     E2        2025-05-01 09:00     25       no
    V4     E4        2025-08-01 09:00     70       no
    V5     E3        2025-10-01 09:00     80       no
    V6     E3        2024-12-31 23:00     60       (outside 2025)

F2, F6, F8, F9 and V2 fall on another UTC day than their local day: read by UTC date they would change
insurance status, age band or range membership, so the tests fail unless the queries use local dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import literal, select
from sqlalchemy.orm import Session
from sqlalchemy.types import Date

from data_access.core.clock import CITY_TZ
from data_access.core.models import (
    ApplicantType,
    ApplicationDecision,
    ApplicationElevator,
    Building,
    City,
    Compound,
    District,
    Elevator,
    ElevatorFault,
    FaultSeverity,
    FundEntryKind,
    InsuranceApplication,
    InsurancePolicy,
    Insurer,
    MaintenanceFundEntry,
    MaintenanceVisit,
    PooledAccount,
    PooledAccountEntry,
    PooledEntryKind,
    ProgrammeRule,
    Province,
)
from data_access.core.scope import Area
from data_access.core.sqlfuncs import local_date, local_hour, seconds_between, whole_years_between
from data_access.elevator_coverage import CoveragePoint, coverage_over_time
from data_access.elevator_service import AgeBandRow, DistrictRate
from data_access.facts import facts

BOTH_READERS = True  # every test runs on the raw tables and on the rollups (tests/rollup_modes.py)

FIRST, LAST = date(2025, 1, 1), date(2025, 12, 31)


def local(y: int, m: int, d: int, hh: int = 12, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=CITY_TZ)


@dataclass
class EWorld:
    city_a: City
    city_b: City
    d1: District
    d2: District
    d3: District
    d4: District


def build(s: Session) -> EWorld:
    p = Province(code="ep", name="电梯测试省", name_en="Elevator Test")
    a = City(province=p, code="ea", name="电梯甲市", name_en="EA City")
    b = City(province=p, code="eb", name="电梯乙市", name_en="EB City")
    d1 = District(city=a, name="甲一区", name_en="D1")
    d2 = District(city=a, name="甲二区", name_en="D2")
    d3 = District(city=b, name="乙一区", name_en="D3")
    d4 = District(city=b, name="乙二区", name_en="D4")
    s.add_all([p, a, b, d1, d2, d3, d4])
    s.flush()
    s.add(
        ProgrammeRule(
            city_id=a.id, title="EA rule", effective_from=date(2021, 1, 1), warranty_years=5, notice_days=7,
            min_applicant_owners=3, min_premium_years=1, cover_per_elevator_fen=8_000_000, annual_premium_fen=100_000,
        )
    )  # fmt: skip

    compounds = [
        Compound(district_id=d.id, name=name, households=100, residents=300, completed_on=date(2007, 1, 1))
        for d, name in ((d1, "一号"), (d2, "二号"), (d3, "三号"))
    ]
    s.add_all(compounds)
    s.flush()
    b1, b2, b3 = (Building(compound_id=c.id, number="1", floors=18) for c in compounds)
    s.add_all([b1, b2, b3])
    s.flush()

    def elevator(code: str, bld: Building, since: date) -> Elevator:
        e = Elevator(registration_code=code, building_id=bld.id, in_service_on=since)
        s.add(e)
        return e

    e1 = elevator("EV-E1", b1, date(2015, 3, 1))
    e2 = elevator("EV-E2", b1, date(2020, 7, 1))
    e3 = elevator("EV-E3", b1, date(2008, 1, 1))
    e4 = elevator("EV-E4", b2, date(2023, 1, 1))
    elevator("EV-E5", b2, date(2026, 2, 1))
    eb = elevator("EV-EB", b3, date(2018, 1, 1))
    s.flush()

    s.add(MaintenanceFundEntry(building_id=b1.id, kind=FundEntryKind.deposit, booked_on=date(2019, 1, 1),
                               amount_fen=10_000_000))  # fmt: skip
    account = PooledAccount(building_id=b1.id, opened_on=date(2021, 1, 1))
    insurer = Insurer(name="电梯测试保险")
    s.add_all([account, insurer])
    s.flush()
    s.add(PooledAccountEntry(pooled_account_id=account.id, kind=PooledEntryKind.value_added_income,
                             booked_on=date(2024, 12, 31), amount_fen=1_000_000))  # fmt: skip
    app = InsuranceApplication(
        pooled_account_id=account.id, applicant_type=ApplicantType.owners_committee, filed_on=date(2025, 1, 15),
        notice_from=date(2025, 1, 16), notice_to=date(2025, 1, 22), written_objections=0,
        decision=ApplicationDecision.approved, decided_on=date(2025, 2, 10),
    )  # fmt: skip
    app.elevators = [ApplicationElevator(elevator_id=e1.id), ApplicationElevator(elevator_id=e2.id)]
    s.add(app)
    s.flush()
    policy = InsurancePolicy(
        elevator_id=e1.id, application_id=app.id, insurer_id=insurer.id, policy_no="EV-P1",
        period_start=date(2025, 3, 1), period_end=date(2026, 3, 1), premium_fen=100_000, cover_fen=8_000_000,
    )  # fmt: skip
    s.add(policy)
    s.flush()
    s.add(PooledAccountEntry(pooled_account_id=account.id, kind=PooledEntryKind.premium, booked_on=date(2025, 3, 1),
                             amount_fen=100_000, insurance_policy_id=policy.id))  # fmt: skip

    minor, major = FaultSeverity.minor, FaultSeverity.major

    def fault(
        e: Elevator,
        at: datetime,
        severity: FaultSeverity,
        response: timedelta | None,
        repair: timedelta | None = None,
        trapped: int = 0,
    ) -> None:
        s.add(
            ElevatorFault(
                elevator_id=e.id,
                reported_at=at,
                responded_at=at + response if response is not None else None,
                repaired_at=at + repair if repair is not None else None,
                severity=severity,
                trapped_passengers=trapped,
                cause="测试",
            )
        )

    mins, hours = (lambda n: timedelta(minutes=n)), (lambda n: timedelta(hours=n))
    fault(e1, local(2025, 2, 28, 23, 30), minor, mins(45))  # F1
    fault(e1, local(2025, 3, 1, 0, 30), major, mins(30), hours(20), trapped=2)  # F2
    fault(e1, local(2025, 6, 10, 10, 0), minor, mins(10))  # F3
    fault(e1, local(2025, 9, 5, 14, 0), major, mins(20), hours(30))  # F4
    fault(e2, local(2025, 5, 20, 8, 0), major, mins(60), hours(12), trapped=1)  # F5
    fault(e2, local(2025, 7, 1, 0, 30), minor, mins(25))  # F6
    fault(e2, local(2025, 11, 11, 19, 0), minor, None)  # F7
    fault(e3, local(2025, 1, 1, 0, 30), minor, mins(15))  # F8
    fault(e3, local(2026, 1, 1, 0, 30), minor, mins(15))  # F9
    fault(e4, local(2025, 12, 31, 23, 30), minor, timedelta(minutes=30, seconds=1))  # F10
    fault(e4, local(2025, 4, 1, 9, 15), minor, mins(5))  # F11
    fault(eb, local(2025, 6, 1, 12, 0), minor, mins(10))  # F12
    fault(e3, local(2024, 12, 31, 23, 30), minor, mins(15))  # F13

    for e, at, minutes in (
        (e1, local(2025, 4, 1, 10, 0), 55),  # V1
        (e1, local(2025, 3, 1, 0, 15), 40),  # V2
        (e2, local(2025, 5, 1, 9, 0), 25),  # V3
        (e4, local(2025, 8, 1, 9, 0), 70),  # V4
        (e3, local(2025, 10, 1, 9, 0), 80),  # V5
        (e3, local(2024, 12, 31, 23, 0), 60),  # V6
    ):
        s.add(MaintenanceVisit(elevator_id=e.id, started_at=at, duration_minutes=minutes))
    s.flush()
    return EWorld(a, b, d1, d2, d3, d4)


# --------------------------------------------------------------------------- the SQL building blocks


def test_sql_functions_use_local_time_and_portable_arithmetic(session: Session) -> None:
    """23:30 local is 15:30 UTC (hour 23, same day); 00:30 local is the previous UTC day."""
    at_2330 = literal(local(2025, 12, 31, 23, 30), ElevatorFault.reported_at.type)
    at_0030 = literal(local(2025, 3, 1, 0, 30), ElevatorFault.reported_at.type)
    assert session.scalar(select(local_hour(at_2330))) == 23
    assert session.scalar(select(local_hour(at_0030))) == 0
    assert str(session.scalar(select(local_date(at_0030)))) == "2025-03-01"
    later = literal(local(2025, 3, 1, 1, 0) + timedelta(seconds=1), ElevatorFault.reported_at.type)
    assert session.scalar(select(seconds_between(at_0030, later))) == 1801

    def years(start: date, end: date) -> int:
        return session.scalar(select(whole_years_between(literal(start, Date()), literal(end, Date()))))  # type: ignore[return-value]

    assert years(date(2015, 3, 1), date(2025, 2, 28)) == 9
    assert years(date(2015, 3, 1), date(2025, 3, 1)) == 10
    assert years(date(2020, 2, 29), date(2025, 2, 28)) == 4  # a 29 February start ages on 1 March
    assert years(date(2020, 2, 29), date(2025, 3, 1)) == 5
    assert years(date(2019, 3, 1), date(2024, 2, 29)) == 4


# --------------------------------------------------------------------------- coverage over time


def test_coverage_over_time(session: Session) -> None:
    """Jan/Feb: E1 eligible & applied, not yet insured (E2 still in warranty: 5 years on 2025-07-01).

    March: E1's policy in force → 1/1. July: E2 past warranty → 1/2. March 2026: E1's policy ended on
    2026-03-01 (exclusive) → 0/2. E3 is eligible but never applied; E4 is in warranty and C2 has no deposits.
    """
    w = build(session)
    ends = [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31), date(2025, 7, 31), date(2026, 3, 31)]
    points = coverage_over_time(session, Area(city_id=w.city_a.id), ends)
    assert points == [
        CoveragePoint(date(2025, 1, 31), 0, 1, Decimal("0")),
        CoveragePoint(date(2025, 2, 28), 0, 1, Decimal("0")),
        CoveragePoint(date(2025, 3, 31), 1, 1, Decimal("1")),
        CoveragePoint(date(2025, 7, 31), 1, 2, Decimal("0.5")),
        CoveragePoint(date(2026, 3, 31), 0, 2, Decimal("0")),
    ]
    assert coverage_over_time(session, Area(district_id=w.d2.id), [date(2025, 7, 31)]) == [
        CoveragePoint(date(2025, 7, 31), 0, 0, None)
    ]
    assert coverage_over_time(session, Area(city_id=w.city_a.id), []) == []


# --------------------------------------------------------------------------- insured vs uninsured


def test_service_comparison_city(session: Session) -> None:
    """Insured (policy on the local date): F2, F3, F4 and visits V1, V2; the rest of A's 2025 records are not.

    Insured: responses 30 (exactly the limit), 10, 20 min → 3/3 within, mean 20.00; majors F2 (20 h) and
    F4 (30 h) → 1/2 within 24 h; trapped F2. Visits 55 and 40 → mean 47.50, both in the 40–70 band.
    Uninsured: responses 45, 60, 25, never, 15, 30 min 1 s, 5 → 3/7 within; mean over the six answered
    = 10,801 s / 6 = 30.0028 min → 30.00; major F5 (12 h) → 1/1; trapped F5. Visits 25, 70, 80 → mean
    58.33, 1/3 in band. F9, F13 and V6 are outside 2025 locally; F12 is city B's.
    """
    w = build(session)
    insured, uninsured = facts(session).service.service_comparison(Area(city_id=w.city_a.id), FIRST, LAST)
    assert insured.insured is True and uninsured.insured is False
    assert (insured.faults, insured.answered_30min, insured.answered_30min_share) == (3, 3, Decimal("1"))
    assert insured.mean_response_minutes == Decimal("20.00")
    assert (insured.major_faults, insured.major_repaired_24h, insured.major_repaired_24h_share) == (
        2, 1, Decimal("0.5"),
    )  # fmt: skip
    assert insured.trapped_incidents == 1
    assert (insured.visits, insured.mean_visit_minutes, insured.visits_in_band, insured.visits_in_band_share) == (
        2, Decimal("47.50"), 2, Decimal("1"),
    )  # fmt: skip

    assert (uninsured.faults, uninsured.answered_30min, uninsured.answered_30min_share) == (
        7, 3, Decimal("0.428571"),
    )  # fmt: skip
    assert uninsured.mean_response_minutes == Decimal("30.00")
    assert (uninsured.major_faults, uninsured.major_repaired_24h, uninsured.major_repaired_24h_share) == (
        1, 1, Decimal("1"),
    )  # fmt: skip
    assert uninsured.trapped_incidents == 1
    assert (uninsured.visits, uninsured.mean_visit_minutes, uninsured.visits_in_band) == (3, Decimal("58.33"), 1)
    assert uninsured.visits_in_band_share == Decimal("0.333333")


def test_service_comparison_scopes_and_empty_rows(session: Session) -> None:
    """District D2 has only uninsured E4: F10 (30 min 1 s) and F11 (5 min), visit V4 (70 min)."""
    w = build(session)
    insured, uninsured = facts(session).service.service_comparison(Area(district_id=w.d2.id), FIRST, LAST)
    assert (insured.faults, insured.answered_30min_share, insured.mean_response_minutes) == (0, None, None)
    assert (insured.visits, insured.mean_visit_minutes, insured.visits_in_band_share) == (0, None, None)
    assert (uninsured.faults, uninsured.answered_30min, uninsured.major_faults) == (2, 1, 0)
    assert uninsured.major_repaired_24h_share is None
    # (30 min 1 s + 5 min) / 2 = 17.51 min
    assert uninsured.mean_response_minutes == Decimal("17.51")
    assert (uninsured.visits, uninsured.mean_visit_minutes, uninsured.visits_in_band) == (1, Decimal("70.00"), 1)
    # Province adds city B's F12 (10 min) to the uninsured row.
    _, province_uninsured = facts(session).service.service_comparison(Area(), FIRST, LAST)
    assert (province_uninsured.faults, province_uninsured.answered_30min) == (8, 4)


# --------------------------------------------------------------------------- fault patterns


def test_faults_per_100_by_district(session: Session) -> None:
    """D1: E1–E3 in service, F1–F8 → 8/3 = 266.67 per 100. D2: E4 only (E5 starts 2026), F10, F11 → 200."""
    w = build(session)
    d1 = DistrictRate(w.d1.id, "甲一区", 3, 8, Decimal("266.67"))
    d2 = DistrictRate(w.d2.id, "甲二区", 1, 2, Decimal("200.00"))
    assert facts(session).service.faults_per_100_by_district(Area(city_id=w.city_a.id), FIRST, LAST) == [d1, d2]
    assert facts(session).service.faults_per_100_by_district(Area(district_id=w.d2.id), FIRST, LAST) == [d2]
    province = facts(session).service.faults_per_100_by_district(Area(), FIRST, LAST)
    assert province == [
        d1,
        d2,
        DistrictRate(w.d3.id, "乙一区", 1, 1, Decimal("100.00")),
        DistrictRate(w.d4.id, "乙二区", 0, 0, None),
    ]
    # Before E4 faulted in April only F8, F1, F2 (D1) are in range; elevators are still judged at `last`.
    early = facts(session).service.faults_per_100_by_district(Area(city_id=w.city_a.id), FIRST, date(2025, 3, 1))
    assert [(r.faults, r.elevators) for r in early] == [(3, 3), (0, 1)]


def test_repeat_fault_elevators(session: Session) -> None:
    """In 2025: E1 4 faults, E2 3, E3 1 (F8; F9 and F13 fall outside), E4 2, EB 1."""
    w = build(session)
    city = Area(city_id=w.city_a.id)
    assert facts(session).service.repeat_fault_elevators(city, FIRST, LAST) == 2
    assert facts(session).service.repeat_fault_elevators(city, FIRST, LAST, min_faults=4) == 1
    assert facts(session).service.repeat_fault_elevators(city, FIRST, LAST, min_faults=2) == 3
    assert facts(session).service.repeat_fault_elevators(Area(district_id=w.d2.id), FIRST, LAST) == 0
    assert facts(session).service.repeat_fault_elevators(Area(), FIRST, LAST, min_faults=1) == 5
    # Extending the range to 2026-01-01 adds F9: E3 then has 2.
    assert facts(session).service.repeat_fault_elevators(city, FIRST, date(2026, 1, 1), min_faults=2) == 4


def test_faults_by_hour_in_local_time(session: Session) -> None:
    """Local hours: F2, F6, F8 at 0; F5 8; F11 9; F3 10; F4 14; F7 19; F1, F10 at 23 (15 h UTC)."""
    w = build(session)
    hours = facts(session).service.faults_by_hour(Area(city_id=w.city_a.id), FIRST, LAST)
    assert [h for h, _ in hours] == list(range(24))
    assert {h: n for h, n in hours if n} == {0: 3, 8: 1, 9: 1, 10: 1, 14: 1, 19: 1, 23: 2}
    assert sum(n for _, n in hours) == 10
    district = dict(facts(session).service.faults_by_hour(Area(district_id=w.d2.id), FIRST, LAST))
    assert (district[23], district[9], sum(district.values())) == (1, 1, 2)


def test_faults_by_age_band(session: Session) -> None:
    """Ages on each fault's local date: E1 (2015-03-01) is 9 at F1 and 10 from F2 (00:30 local on 03-01);
    E2 (2020-07-01) is 4 at F5 and 5 from F6 (00:30 local on 07-01); E3 17; E4 2.

    Faults: 0-4 = F5, F10, F11; 5-9 = F1, F6, F7; 10-14 = F2, F3, F4; 15+ = F8.
    Elevators at 2025-12-31: E4 2, E2 5, E1 10, E3 17 (E5 not yet in service).
    """
    w = build(session)
    bands = facts(session).service.faults_by_age_band(Area(city_id=w.city_a.id), FIRST, LAST)
    assert bands == [
        AgeBandRow("0-4", 3, 1, Decimal("300.00")),
        AgeBandRow("5-9", 3, 1, Decimal("300.00")),
        AgeBandRow("10-14", 3, 1, Decimal("300.00")),
        AgeBandRow("15+", 1, 1, Decimal("100.00")),
    ]
    province = facts(session).service.faults_by_age_band(Area(), FIRST, LAST)
    assert [(b.faults, b.elevators) for b in province] == [(3, 1), (4, 2), (3, 1), (1, 1)]  # EB is 7
    empty = facts(session).service.faults_by_age_band(Area(district_id=w.d4.id), FIRST, LAST)
    assert [(b.label, b.faults, b.elevators, b.faults_per_100) for b in empty] == [
        ("0-4", 0, 0, None), ("5-9", 0, 0, None), ("10-14", 0, 0, None), ("15+", 0, 0, None),
    ]  # fmt: skip
