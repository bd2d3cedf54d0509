"""A tiny hand-made world for the insurance figures (data_access/insurance_figures.py), every answer worked by hand
in tests/test_insurance_figures.py. All times are Asia/Shanghai; "UTC" notes say where the stored instant falls on
another day. The year under test is 2025; "today" for the worklists is 2026-05-20.

Places and elevators (maintenance company in brackets; in service since)

    city FA  district FA1  C1  building B1: L1 2015-01-01 [M1], L2 2015-01-01 [M1], L3 2016-06-01 [M1]
                           C3  building B3: L6 2010-01-01 [M1], L7 2025-04-01 [M2]
                           C5  building B5: L9 2013-01-01 [M2]
             district FA2  C2  building B2: L4 2014-03-01 [M2], L5 2023-05-01 [M2]
                           C4  building B4: no elevators
    city FB  district FB1  CB  building BB: L8 2012-01-01 [M2]

Policies (insurer; cover [start, end); premium fen; application)

    P1   L1  I1  [2024-07-01, 2025-07-01)  220,000  A1
    P2   L2  I1  [2024-07-01, 2025-07-01)  220,000  A1   (not renewed)
    P1r  L1  I1  [2025-07-01, 2026-07-01)  230,000  A1   renews P1
    P5   L3  I1  [2025-10-01, 2026-10-01)  250,000  A3
    P3   L4  I2  [2025-01-01, 2026-01-01)  240,000  A2
    P6   L9  I1  [2026-02-01, 2027-02-01)  210,000  A5
    P4   L8  I2  [2025-03-01, 2026-03-01)  200,000  AB   (city FB)

Claims (policy, kind, paid on, fen)

    K1 P1 repair 2025-03-10 50,000 · K2 P1r major_repair 2025-09-20 300,000 · K3 P3 parts 2025-05-05 80,000
    K4 P4 major_repair 2025-06-01 120,000 · K5 P2 repair 2024-12-31 40,000 · K6 P3 repair 2026-01-01 10,000

Owner-ledger uses (building, booked on, fen); and one deposit that is not a use

    U1 B1 2021-05-01 300,000 · U2 B1 2023-12-31 150,000 · U3 B1 2020-12-31 999,000 · U4 B1 2024-03-01 77,000
    U12 B1 2025-08-01 35,000 · U5 B2 2024-06-01 200,000 · U6 B2 2022-01-01 60,000 · U7 BB 2023-07-01 90,000
    UB BB 2025-07-01 25,000 · U8 B3 2025-02-01 40,000 · U9 B3 2024-12-31 5,000 · U10 B5 2025-11-30 20,000
    U11 B4 2025-05-01 500,000 · deposit B3 2025-01-10 9,999,999

Faults (elevator, reported, trapped, arrival = responded − reported, release = released − reported)

    R1 L1 2025-01-01 00:20 (UTC 2024-12-31)  trapped 2  arrival 12 min      release 25 min
    F1 L1 2025-02-10 09:00                              arrival 20 min
    F2 L1 2025-04-10 15:00                              arrival 35 min
    R2 L2 2025-03-15 10:00                   trapped 1  arrival 30 min      release 41 min
    R4 L6 2025-08-08 08:00                   trapped 3  never answered
    R5 L6 2024-12-31 23:50 (outside 2025)    trapped 1  arrival 5 min       release 10 min
    R3 L4 2025-06-01 18:00  major            trapped 1  arrival 45 min 30 s (release not recorded)
    F3 L4 2025-12-31 23:30                              arrival 10 min
    F4 L9 2025-07-07 10:00                              arrival 25 min
    F5 L9 2026-01-01 00:10 (UTC 2025-12-31: outside 2025 locally)  arrival 5 min
    R6 L8 2025-05-05 09:00                   trapped 1  arrival 20 min      release 35 min

Maintenance visits (elevator, started, minutes)

    L1 2025-02-01 40 · L1 2025-05-01 70 · L2 2025-06-01 39 · L3 2025-07-01 71 · L6 2025-01-01 00:05 55 (UTC 2024)
    L1 2024-12-31 23:55 60 (outside) · L4 2025-03-01 60 · L9 2025-09-01 30 · L8 2025-04-04 45

12345 work orders (elevator, category, received, filed under)

    W1 L1 elevator 2025-02-11 FA1 · W2 L1 elevator 2025-03-01 filed under FA2 (placed by its elevator: FA1)
    W3 L2 water_leak 2025-04-01 · W4 L4 elevator 2025-01-01 00:30 (UTC 2024) · W5 L6 elevator 2024-12-31 23:30
    W6 no elevator, category elevator, C3 2025-05-05 · W7 L8 elevator 2025-06-06 FB1

Pooled accounts (building: balance in fen; the premium debits are left out, the balances are as stated)

    ACC1 B1 300,000 · ACC2 B2 500,000 · ACC3 B3 1,000,000 · ACC5 B5 500,000 · ACCB BB 100,000

Applications (account, elevators, record → stage on 2026-05-20)

    A1 ACC1 L1 L2 approved, policies → purchased · A3 ACC1 L3 approved → purchased · A2 ACC2 L4 → purchased
    A5 ACC5 L9 → purchased · AB ACCB L8 → purchased
    A6 ACC3 L6 notice 2026-05-10..16, no objection, pending → notice_ended
    A7 ACC3 L7 notice 2026-05-18..24, one written objection, pending → objected
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from data_access.core.clock import CITY_TZ
from data_access.core.models import (
    ApplicantType,
    ApplicationDecision,
    ApplicationElevator,
    Building,
    City,
    ClaimKind,
    Compound,
    District,
    Elevator,
    ElevatorFault,
    FaultSeverity,
    FundEntryKind,
    HotlineWorkOrder,
    InsuranceApplication,
    InsuranceClaim,
    InsurancePolicy,
    Insurer,
    MaintenanceCompany,
    MaintenanceFundEntry,
    MaintenanceVisit,
    PooledAccount,
    PooledAccountEntry,
    PooledEntryKind,
    ProgrammeRule,
    Province,
    WorkOrderCategory,
)

YEAR = 2025
TODAY = date(2026, 5, 20)


def local(y: int, m: int, d: int, hh: int = 12, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=CITY_TZ)


@dataclass
class FiguresWorld:
    city_a: City
    city_b: City
    fa1: District
    fa2: District
    fb1: District
    insurers: dict[str, int]  # I1, I2
    companies: dict[str, int]  # M1, M2
    accounts: dict[str, int]  # ACC1 …


def build_figures_world(s: Session) -> FiguresWorld:
    p = Province(code="fp", name="效益测试省", name_en="Figures test")
    a = City(province=p, code="fa", name="效益甲市", name_en="FA City")
    b = City(province=p, code="fb", name="效益乙市", name_en="FB City")
    fa1 = District(city=a, name="效甲一区", name_en="FA1")
    fa2 = District(city=a, name="效甲二区", name_en="FA2")
    fb1 = District(city=b, name="效乙一区", name_en="FB1")
    s.add_all([p, a, b, fa1, fa2, fb1])
    s.flush()
    for city in (a, b):
        s.add(
            ProgrammeRule(
                city_id=city.id, title=f"{city.code} rule", effective_from=date(2021, 1, 1), warranty_years=5,
                notice_days=7, min_applicant_owners=3, min_premium_years=1, cover_per_elevator_fen=8_000_000,
                annual_premium_fen=220_000,
            )
        )  # fmt: skip
    m1, m2 = MaintenanceCompany(name="效甲维保"), MaintenanceCompany(name="效乙维保")
    i1, i2 = Insurer(name="效甲保险"), Insurer(name="效乙保险")
    s.add_all([m1, m2, i1, i2])
    s.flush()

    buildings: dict[str, Building] = {}
    compounds: dict[str, Compound] = {}
    for key, district in (("1", fa1), ("2", fa2), ("3", fa1), ("4", fa2), ("5", fa1), ("B", fb1)):
        c = Compound(district_id=district.id, name=f"效{key}小区", households=100, residents=300,
                     completed_on=date(2009, 1, 1))  # fmt: skip
        s.add(c)
        s.flush()
        bld = Building(compound_id=c.id, number="1", floors=18)
        s.add(bld)
        s.flush()
        compounds[key], buildings[key] = c, bld

    lifts: dict[str, Elevator] = {}
    for code, key, since, company in (
        ("L1", "1", date(2015, 1, 1), m1),
        ("L2", "1", date(2015, 1, 1), m1),
        ("L3", "1", date(2016, 6, 1), m1),
        ("L4", "2", date(2014, 3, 1), m2),
        ("L5", "2", date(2023, 5, 1), m2),
        ("L6", "3", date(2010, 1, 1), m1),
        ("L7", "3", date(2025, 4, 1), m2),
        ("L8", "B", date(2012, 1, 1), m2),
        ("L9", "5", date(2013, 1, 1), m2),
    ):
        e = Elevator(registration_code=f"FW-{code}", building_id=buildings[key].id, in_service_on=since,
                     maintenance_company_id=company.id)  # fmt: skip
        s.add(e)
        lifts[code] = e
    s.flush()

    accounts: dict[str, PooledAccount] = {}
    for name, key, balance in (("ACC1", "1", 300_000), ("ACC2", "2", 500_000), ("ACC3", "3", 1_000_000),
                               ("ACC5", "5", 500_000), ("ACCB", "B", 100_000)):  # fmt: skip
        acc = PooledAccount(building_id=buildings[key].id, opened_on=date(2021, 1, 1))
        s.add(acc)
        s.flush()
        s.add(PooledAccountEntry(pooled_account_id=acc.id, kind=PooledEntryKind.value_added_income,
                                 booked_on=date(2025, 12, 31), amount_fen=balance))  # fmt: skip
        accounts[name] = acc

    def application(
        account: str, codes: list[str], filed: date, decided: date | None = None,
        notice: tuple[date, date] | None = None, objections: int = 0,
    ) -> InsuranceApplication:  # fmt: skip
        app = InsuranceApplication(
            pooled_account_id=accounts[account].id, applicant_type=ApplicantType.owners_committee, filed_on=filed,
            notice_from=notice[0] if notice else filed + timedelta(days=2),
            notice_to=notice[1] if notice else filed + timedelta(days=8), written_objections=objections,
            decision=ApplicationDecision.approved if decided else ApplicationDecision.pending, decided_on=decided,
        )  # fmt: skip
        app.elevators = [ApplicationElevator(elevator_id=lifts[c].id) for c in codes]
        s.add(app)
        s.flush()
        return app

    a1 = application("ACC1", ["L1", "L2"], date(2024, 6, 1), date(2024, 6, 20))
    a3 = application("ACC1", ["L3"], date(2025, 9, 1), date(2025, 9, 20))
    a2 = application("ACC2", ["L4"], date(2024, 12, 1), date(2024, 12, 20))
    a5 = application("ACC5", ["L9"], date(2026, 1, 5), date(2026, 1, 25))
    ab = application("ACCB", ["L8"], date(2025, 2, 1), date(2025, 2, 20))
    application("ACC3", ["L6"], date(2026, 5, 1), notice=(date(2026, 5, 10), date(2026, 5, 16)))
    application("ACC3", ["L7"], date(2026, 5, 15), notice=(date(2026, 5, 18), date(2026, 5, 24)), objections=1)

    policies: dict[str, InsurancePolicy] = {}
    for no, code, insurer, start, end, premium, app, renews in (
        ("P1", "L1", i1, date(2024, 7, 1), date(2025, 7, 1), 220_000, a1, None),
        ("P2", "L2", i1, date(2024, 7, 1), date(2025, 7, 1), 220_000, a1, None),
        ("P1r", "L1", i1, date(2025, 7, 1), date(2026, 7, 1), 230_000, a1, "P1"),
        ("P5", "L3", i1, date(2025, 10, 1), date(2026, 10, 1), 250_000, a3, None),
        ("P3", "L4", i2, date(2025, 1, 1), date(2026, 1, 1), 240_000, a2, None),
        ("P6", "L9", i1, date(2026, 2, 1), date(2027, 2, 1), 210_000, a5, None),
        ("P4", "L8", i2, date(2025, 3, 1), date(2026, 3, 1), 200_000, ab, None),
    ):
        policy = InsurancePolicy(
            elevator_id=lifts[code].id, application_id=app.id, insurer_id=insurer.id, policy_no=f"FW-{no}",
            period_start=start, period_end=end, premium_fen=premium, cover_fen=8_000_000,
            renews_policy_id=policies[renews].id if renews else None,
        )  # fmt: skip
        s.add(policy)
        s.flush()
        policies[no] = policy

    for no, kind, paid, fen in (
        ("P1", ClaimKind.repair, date(2025, 3, 10), 50_000),  # K1
        ("P1r", ClaimKind.major_repair, date(2025, 9, 20), 300_000),  # K2
        ("P3", ClaimKind.parts, date(2025, 5, 5), 80_000),  # K3
        ("P4", ClaimKind.major_repair, date(2025, 6, 1), 120_000),  # K4
        ("P2", ClaimKind.repair, date(2024, 12, 31), 40_000),  # K5
        ("P3", ClaimKind.repair, date(2026, 1, 1), 10_000),  # K6
    ):
        s.add(InsuranceClaim(insurance_policy_id=policies[no].id, paid_on=paid, amount_fen=fen, kind=kind))

    ledger: list[tuple[str, date, int, FundEntryKind]] = [
        ("1", date(2021, 5, 1), 300_000, FundEntryKind.use),  # U1
        ("1", date(2023, 12, 31), 150_000, FundEntryKind.use),  # U2
        ("1", date(2020, 12, 31), 999_000, FundEntryKind.use),  # U3
        ("1", date(2024, 3, 1), 77_000, FundEntryKind.use),  # U4
        ("1", date(2025, 8, 1), 35_000, FundEntryKind.use),  # U12
        ("2", date(2024, 6, 1), 200_000, FundEntryKind.use),  # U5
        ("2", date(2022, 1, 1), 60_000, FundEntryKind.use),  # U6
        ("B", date(2023, 7, 1), 90_000, FundEntryKind.use),  # U7
        ("B", date(2025, 7, 1), 25_000, FundEntryKind.use),  # UB
        ("3", date(2025, 2, 1), 40_000, FundEntryKind.use),  # U8
        ("3", date(2024, 12, 31), 5_000, FundEntryKind.use),  # U9
        ("5", date(2025, 11, 30), 20_000, FundEntryKind.use),  # U10
        ("4", date(2025, 5, 1), 500_000, FundEntryKind.use),  # U11
        ("3", date(2025, 1, 10), 9_999_999, FundEntryKind.deposit),
    ]
    for key, booked, fen, entry_kind in ledger:
        s.add(MaintenanceFundEntry(building_id=buildings[key].id, booked_on=booked, kind=entry_kind, amount_fen=fen))

    mins = lambda n: timedelta(minutes=n)  # noqa: E731

    def fault(
        code: str, at: datetime, arrival: timedelta | None, release: timedelta | None = None, trapped: int = 0,
        severity: FaultSeverity = FaultSeverity.minor,
    ) -> None:  # fmt: skip
        s.add(
            ElevatorFault(
                elevator_id=lifts[code].id, reported_at=at,
                responded_at=at + arrival if arrival is not None else None,
                released_at=at + release if release is not None else None,
                severity=severity, trapped_passengers=trapped, cause="测试",
            )
        )  # fmt: skip

    fault("L1", local(2025, 1, 1, 0, 20), mins(12), mins(25), trapped=2)  # R1
    fault("L1", local(2025, 2, 10, 9), mins(20))  # F1
    fault("L1", local(2025, 4, 10, 15), mins(35))  # F2
    fault("L2", local(2025, 3, 15, 10), mins(30), mins(41), trapped=1)  # R2
    fault("L6", local(2025, 8, 8, 8), None, trapped=3)  # R4
    fault("L6", local(2024, 12, 31, 23, 50), mins(5), mins(10), trapped=1)  # R5
    fault("L4", local(2025, 6, 1, 18), timedelta(minutes=45, seconds=30), trapped=1, severity=FaultSeverity.major)  # R3
    fault("L4", local(2025, 12, 31, 23, 30), mins(10))  # F3
    fault("L9", local(2025, 7, 7, 10), mins(25))  # F4
    fault("L9", local(2026, 1, 1, 0, 10), mins(5))  # F5
    fault("L8", local(2025, 5, 5, 9), mins(20), mins(35), trapped=1)  # R6

    for code, at, minutes in (
        ("L1", local(2025, 2, 1, 10), 40),
        ("L1", local(2025, 5, 1, 10), 70),
        ("L2", local(2025, 6, 1, 10), 39),
        ("L3", local(2025, 7, 1, 10), 71),
        ("L6", local(2025, 1, 1, 0, 5), 55),
        ("L1", local(2024, 12, 31, 23, 55), 60),
        ("L4", local(2025, 3, 1, 10), 60),
        ("L9", local(2025, 9, 1, 10), 30),
        ("L8", local(2025, 4, 4, 10), 45),
    ):
        s.add(MaintenanceVisit(elevator_id=lifts[code].id, started_at=at, duration_minutes=minutes))

    elevator, leak = WorkOrderCategory.elevator, WorkOrderCategory.water_leak
    orders: list[tuple[str, str | None, WorkOrderCategory, datetime, str, District]] = [
        ("W1", "L1", elevator, local(2025, 2, 11), "1", fa1),
        ("W2", "L1", elevator, local(2025, 3, 1), "1", fa2),
        ("W3", "L2", leak, local(2025, 4, 1), "1", fa1),
        ("W4", "L4", elevator, local(2025, 1, 1, 0, 30), "2", fa2),
        ("W5", "L6", elevator, local(2024, 12, 31, 23, 30), "3", fa1),
        ("W6", None, elevator, local(2025, 5, 5), "3", fa1),
        ("W7", "L8", elevator, local(2025, 6, 6), "B", fb1),
    ]
    for no, lift, category, at, key, district in orders:
        s.add(
            HotlineWorkOrder(
                order_no=f"FW-{no}", received_at=at, category=category, city_id=district.city_id,
                district_id=district.id, compound_id=compounds[key].id,
                elevator_id=lifts[lift].id if lift else None, summary="测试",
            )
        )  # fmt: skip
    s.flush()
    return FiguresWorld(
        a, b, fa1, fa2, fb1,
        {"I1": i1.id, "I2": i2.id},
        {"M1": m1.id, "M2": m2.id},
        {k: acc.id for k, acc in accounts.items()},
    )  # fmt: skip


__all__ = ["TODAY", "YEAR", "FiguresWorld", "build_figures_world", "local"]
