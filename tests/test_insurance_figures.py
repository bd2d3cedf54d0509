"""The insurance figures (data_access/insurance_figures.py) on the hand-made world of tests/figures_world.py, on
SQLite and PostgreSQL, each answer worked by hand in the test's docstring. The world's table is in that module's
docstring; "FA" is city A (districts FA1, FA2), "FB" city B; the year is 2025 unless a test says otherwise.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from data_access.core.rules import Stage
from data_access.core.scope import Area
from data_access.facts import facts
from data_access.insurance import application_rows, renewal_rows, stage_counts
from data_access.insurance_figures import (
    CompanyRow,
    LossRow,
    MajorRepairs,
    RepairCostGroup,
    Rescue,
    insurance_summary,
    loss_ratios,
    maintenance_league,
    major_repairs,
    median_minutes,
    repair_cost,
    rescue,
)
from tests.figures_world import TODAY, YEAR, FiguresWorld, build_figures_world

BOTH_READERS = True  # the summary reads the service shares through facts(): raw tables and rollups must agree


@pytest.fixture()
def w(session: Session) -> FiguresWorld:
    return build_figures_world(session)


def _figures(r: LossRow) -> tuple[int, int, int, int, Decimal | None]:
    return r.policies, r.premiums_fen, r.claims, r.claims_paid_fen, r.loss_ratio


# --------------------------------------------------------------------------- loss ratio


def test_loss_ratio_by_insurer_city_and_district(session: Session, w: FiguresWorld) -> None:
    """Premiums of 2025 = policies starting in 2025: P1r 230,000 and P5 250,000 (I1, FA1), P3 240,000 (I2, FA2),
    P4 200,000 (I2, FB1); P1, P2 started in 2024 and P6 in 2026. Claims paid in 2025: K1 50,000 and K2 300,000
    (I1, FA1), K3 80,000 (I2, FA2), K4 120,000 (I2, FB1); K5 (2024-12-31) and K6 (2026-01-01) fall outside.

    I1: 350,000 / 480,000 = 0.7291666… → 0.729167;  I2: 200,000 / 440,000 = 0.454545…
    FA: 430,000 / 720,000 = 0.597222…;  FB: 120,000 / 200,000 = 0.6
    FA1: 0.729167;  FA2: 80,000 / 240,000 = 0.333333;  FB1: 0.6
    Total: 550,000 / 920,000 = 0.5978260… → 0.597826. Insurers are listed by name (效乙 before 效甲).
    """
    lr = loss_ratios(session, Area(), YEAR)
    assert [(r.id, r.name) for r in lr.by_insurer] == [(w.insurers["I2"], "效乙保险"), (w.insurers["I1"], "效甲保险")]
    assert [_figures(r) for r in lr.by_insurer] == [
        (2, 440_000, 2, 200_000, Decimal("0.454545")),
        (2, 480_000, 2, 350_000, Decimal("0.729167")),
    ]
    assert [(r.id, r.name, r.name_en, r.city_id) for r in lr.by_city] == [
        (w.city_a.id, "效益甲市", "FA City", w.city_a.id),
        (w.city_b.id, "效益乙市", "FB City", w.city_b.id),
    ]
    assert [_figures(r) for r in lr.by_city] == [
        (3, 720_000, 3, 430_000, Decimal("0.597222")),
        (1, 200_000, 1, 120_000, Decimal("0.6")),
    ]
    assert [(r.id, r.city_id) for r in lr.by_district] == [
        (w.fa1.id, w.city_a.id), (w.fa2.id, w.city_a.id), (w.fb1.id, w.city_b.id),
    ]  # fmt: skip
    assert [_figures(r) for r in lr.by_district] == [
        (2, 480_000, 2, 350_000, Decimal("0.729167")),
        (1, 240_000, 1, 80_000, Decimal("0.333333")),
        (1, 200_000, 1, 120_000, Decimal("0.6")),
    ]
    assert lr.total.id is None
    assert _figures(lr.total) == (4, 920_000, 4, 550_000, Decimal("0.597826"))


def test_loss_ratio_scoped_to_a_city_and_a_district(session: Session, w: FiguresWorld) -> None:
    """City FA leaves out FB's P4 and K4: I2 then has only P3/K3 (80,000 / 240,000 = 0.333333); the total is
    430,000 / 720,000 = 0.597222. District FA2 is P3 and K3 alone."""
    city = loss_ratios(session, Area(city_id=w.city_a.id), YEAR)
    assert [_figures(r) for r in city.by_insurer] == [
        (1, 240_000, 1, 80_000, Decimal("0.333333")),
        (2, 480_000, 2, 350_000, Decimal("0.729167")),
    ]
    assert [r.id for r in city.by_city] == [w.city_a.id]
    assert [r.id for r in city.by_district] == [w.fa1.id, w.fa2.id]
    assert _figures(city.total) == (3, 720_000, 3, 430_000, Decimal("0.597222"))
    district = loss_ratios(session, Area(district_id=w.fa2.id), YEAR)
    assert [r.id for r in district.by_insurer] == [w.insurers["I2"]]
    assert [r.id for r in district.by_district] == [w.fa2.id]
    assert _figures(district.total) == (1, 240_000, 1, 80_000, Decimal("0.333333"))


def test_loss_ratio_other_years_and_empty(session: Session, w: FiguresWorld) -> None:
    """2026: P6 210,000 (I1, FA1) and no claim of I1; K6 10,000 (I2, FA2) without a 2026 premium of I2: its ratio
    is None, I1's is 0; total 10,000 / 210,000 = 0.047619. 2024: P1 + P2 = 440,000, K5 40,000 → 0.090909.
    2023: nothing at all."""
    lr = loss_ratios(session, Area(), 2026)
    assert [_figures(r) for r in lr.by_insurer] == [(0, 0, 1, 10_000, None), (1, 210_000, 0, 0, Decimal("0"))]
    assert [(r.id, _figures(r)) for r in lr.by_district] == [
        (w.fa1.id, (1, 210_000, 0, 0, Decimal("0"))),
        (w.fa2.id, (0, 0, 1, 10_000, None)),
    ]
    assert _figures(lr.total) == (1, 210_000, 1, 10_000, Decimal("0.047619"))
    assert _figures(loss_ratios(session, Area(), 2024).total) == (2, 440_000, 1, 40_000, Decimal("0.090909"))
    empty = loss_ratios(session, Area(), 2023)
    assert (empty.by_insurer, empty.by_city, empty.by_district) == ([], [], [])
    assert _figures(empty.total) == (0, 0, 0, 0, None)


# --------------------------------------------------------------------------- repair cost per elevator-year


def test_repair_cost_per_elevator_year_city(session: Session, w: FiguresWorld) -> None:
    """City FA, 2025 (365 days).

    Insured: days of 2025 under a policy: P1 181 (1 Jan–30 Jun), P2 181, P1r 184 (1 Jul–31 Dec), P5 92
    (1 Oct–31 Dec), P3 365 = 1,003 → 1,003/365 = 2.7479 elevator-years (2.75). Claims paid: K1, K2, K3 =
    430,000 → 430,000 × 365 / 1,003 = 156,480.56 → 156,481 fen. Compounds C1, C2.

    Before insuring: C1's first policy starts 2024 → uses of 2021–2023: U1 300,000 + U2 150,000 (U3 is 2020, U4
    2024, U12 2025); L1, L2 (2015) and L3 (2016) give 3 elevator-years each = 9. C2's first policy starts 2025 →
    2022–2024: U6 60,000 + U5 200,000; L4 (2014) gives 3, L5 (2023) only 2024 = 1 → 4. Together 710,000 / 13 =
    54,615.38 → 54,615.

    Never insured: C3 (L6; L7 entered service in 2025, not counted) and C5 (L9; its policy P6 starts in 2026);
    C4 has no elevator. Uses of 2025: U8 40,000 + U10 20,000 (U9 is 2024, the deposit is no use, U11 is C4's)
    = 60,000 over 2 elevator-years = 30,000.
    """
    rc = repair_cost(session, Area(city_id=w.city_a.id), YEAR)
    assert rc.insured == RepairCostGroup(2, 3, 430_000, Decimal("2.75"), 156_481)
    assert rc.before_insuring == RepairCostGroup(2, 4, 710_000, Decimal("13.00"), 54_615)
    assert rc.never_insured == RepairCostGroup(2, 2, 60_000, Decimal("2.00"), 30_000)


def test_repair_cost_province_and_district(session: Session, w: FiguresWorld) -> None:
    """Province adds CB: P4 covers 306 days (1 Mar–31 Dec) → 1,309 days = 3.586 elevator-years (3.59); claims
    550,000 × 365 / 1,309 = 153,361.3 → 153,361. Before: CB first insured 2025 → 2022–2024: U7 90,000, L8
    (2012) 3 → 800,000 / 16 = 50,000 (UB is 2025). Never insured: as the city (CB is insured).

    District FA1: P1, P2, P1r, P5 = 638 days (1.75); K1 + K2 = 350,000 × 365 / 638 = 200,235.1 → 200,235;
    before: C1 alone, 450,000 / 9 = 50,000. District FA2: P3 365 days, K3 80,000 → 80,000; before: C2,
    260,000 / 4 = 65,000; never insured: C4 has no elevator → nothing, None per elevator-year.
    """
    province = repair_cost(session, Area(), YEAR)
    assert province.insured == RepairCostGroup(3, 4, 550_000, Decimal("3.59"), 153_361)
    assert province.before_insuring == RepairCostGroup(3, 5, 800_000, Decimal("16.00"), 50_000)
    assert province.never_insured == RepairCostGroup(2, 2, 60_000, Decimal("2.00"), 30_000)
    fa1 = repair_cost(session, Area(district_id=w.fa1.id), YEAR)
    assert fa1.insured == RepairCostGroup(1, 2, 350_000, Decimal("1.75"), 200_235)
    assert fa1.before_insuring == RepairCostGroup(1, 2, 450_000, Decimal("9.00"), 50_000)
    fa2 = repair_cost(session, Area(district_id=w.fa2.id), YEAR)
    assert fa2.insured == RepairCostGroup(1, 1, 80_000, Decimal("1.00"), 80_000)
    assert fa2.before_insuring == RepairCostGroup(1, 2, 260_000, Decimal("4.00"), 65_000)
    assert fa2.never_insured == RepairCostGroup(0, 0, 0, Decimal("0.00"), None)


# --------------------------------------------------------------------------- major repairs


def test_major_repairs_insurance_against_ledgers(session: Session, w: FiguresWorld) -> None:
    """City FA 2025: claims of kind major_repair: K2 300,000 (K1 is a repair, K3 parts). Ledger uses booked in
    2025: U12 35,000, U8 40,000, U10 20,000, U11 500,000 = 4, 595,000 (the deposit is no use). Province adds K4
    120,000 and UB 25,000. District FA2: no major-repair claim; U11 500,000."""
    assert major_repairs(session, Area(city_id=w.city_a.id), YEAR) == MajorRepairs(YEAR, 1, 300_000, 4, 595_000)
    assert major_repairs(session, Area(), YEAR) == MajorRepairs(YEAR, 2, 420_000, 5, 620_000)
    assert major_repairs(session, Area(district_id=w.fa2.id), YEAR) == MajorRepairs(YEAR, 0, 0, 1, 500_000)


# --------------------------------------------------------------------------- rescue


def test_rescue_times(session: Session, w: FiguresWorld) -> None:
    """City FA 2025: R1 (00:20 local on 1 January: 2024 in UTC, 2025 here), R2, R3, R4; R5 is 2024 locally.
    Trapped passengers 2 + 1 + 1 + 3 = 7. Arrivals 720, 1,800, 2,730 s (R4 never arrived): median 1,800 s =
    30.00 min; mean 5,250 / 3 = 1,750 s = 29.17 min; within 30 minutes R1 and R2 (exactly 30 counts) = 2 of 4
    incidents = 0.5. Releases recorded for R1 (1,500 s) and R2 (2,460 s): median 1,980 s = 33.00 min.

    Province adds R6 (1,200 s arrival, 2,100 s release): arrivals 720, 1,200, 1,800, 2,730 → median (1,200 +
    1,800) / 2 = 1,500 s = 25.00; mean 6,450 / 4 = 1,612.5 s = 26.875 → 26.88; within 3 of 5 = 0.6; releases
    1,500, 2,100, 2,460 → 35.00. District FA2: R3 alone (45 min 30 s, no release). 2023: no incident.
    """
    assert rescue(session, Area(city_id=w.city_a.id), YEAR) == Rescue(
        YEAR, 4, 7, 3, Decimal("30.00"), Decimal("29.17"), 2, Decimal("0.5"), 2, Decimal("33.00")
    )
    assert rescue(session, Area(), YEAR) == Rescue(
        YEAR, 5, 8, 4, Decimal("25.00"), Decimal("26.88"), 3, Decimal("0.6"), 3, Decimal("35.00")
    )
    assert rescue(session, Area(district_id=w.fa2.id), YEAR) == Rescue(
        YEAR, 1, 1, 1, Decimal("45.50"), Decimal("45.50"), 0, Decimal("0"), 0, None
    )
    assert rescue(session, Area(), 2023) == Rescue(2023, 0, 0, 0, None, None, 0, None, 0, None)


def test_median_minutes() -> None:
    """Odd counts take the middle value, even counts the mean of the middle two; half a hundredth rounds up."""
    assert median_minutes([]) is None
    assert median_minutes([90, 30, 60]) == Decimal("1.00")
    assert median_minutes([60, 61]) == Decimal("1.01")  # 60.5 s = 1.00833 min
    assert median_minutes([3, 0]) == Decimal("0.03")  # 1.5 s = 0.025 min → 0.03


# --------------------------------------------------------------------------- maintenance companies


def test_league_table_city(session: Session, w: FiguresWorld) -> None:
    """City FA 2025.

    M1 (L1, L2, L3, L6: 4 elevators): faults R1, F1, F2 (L1: 3, a repeat-fault elevator), R2, R4 = 5 → 125.00 per
    100; within 30 min R1 (12), F1 (20), R2 (30) = 3 of 5 = 0.6. Visits 40, 70 (both band ends count), 39, 71 and
    55 (00:05 on 1 January) = 3 of 5 in the band (the 60-minute one of 31 December 23:55 is 2024). Complaints W1
    and W2 (W2 was filed under FA2; its elevator is in FA1) = 2 → 50.00 per 100 (W3 is a water leak, W5 is 2024).

    M2 (L4, L5, L7 in service 2025-04-01, L9: 4): faults R3, F3 (23:30 on 31 December), F4 = 3 → 75.00 (F5 is
    2026 locally); within F3, F4 = 2 of 3; visits 60 and 30 = 1 of 2; complaints W4 (00:30 on 1 January) = 1.
    Ordered by faults per 100: M2 (75) before M1 (125).
    """
    m1, m2 = w.companies["M1"], w.companies["M2"]
    a = w.city_a.id
    assert maintenance_league(session, Area(city_id=a), YEAR) == [
        CompanyRow(a, m2, "效乙维保", 4, 3, Decimal("75.00"), 0, 2, Decimal("0.666667"), 2, 1, Decimal("0.5"),
                   1, Decimal("25.00")),
        CompanyRow(a, m1, "效甲维保", 4, 5, Decimal("125.00"), 1, 3, Decimal("0.6"), 5, 3, Decimal("0.6"),
                   2, Decimal("50.00")),
    ]  # fmt: skip


def test_league_table_per_city_and_district(session: Session, w: FiguresWorld) -> None:
    """The province lists M2 once per city: in FB it serves L8 (R6 in 20 min; a 45-minute visit; W7).

    District FA1: M1 as in the city (W2 counts: placed by its elevator); M2 there serves L7 and L9: F4 → 50.00 per
    100, answered 1/1, its one visit (30 min) outside the band, no complaint. District FA2: M2 with L4 and L5:
    R3, F3 → 100.00, 1 of 2 within; the 60-minute visit; W4.
    """
    m1, m2 = w.companies["M1"], w.companies["M2"]
    a, b = w.city_a.id, w.city_b.id
    province = maintenance_league(session, Area(), YEAR)
    assert [(r.city_id, r.company_id) for r in province] == [(a, m2), (a, m1), (b, m2)]
    assert province[2] == CompanyRow(
        b, m2, "效乙维保", 1, 1, Decimal("100.00"), 0, 1, Decimal("1"), 1, 1, Decimal("1"), 1, Decimal("100.00")
    )
    fa1 = maintenance_league(session, Area(district_id=w.fa1.id), YEAR)
    assert fa1 == [
        CompanyRow(a, m2, "效乙维保", 2, 1, Decimal("50.00"), 0, 1, Decimal("1"), 1, 0, Decimal("0"), 0,
                   Decimal("0.00")),
        province[1],
    ]  # fmt: skip
    fa2 = maintenance_league(session, Area(district_id=w.fa2.id), YEAR)
    assert fa2 == [
        CompanyRow(a, m2, "效乙维保", 2, 2, Decimal("100.00"), 0, 1, Decimal("0.5"), 1, 1, Decimal("1"), 1,
                   Decimal("50.00")),
    ]  # fmt: skip
    assert maintenance_league(session, Area(city_id=b), 2023) == [
        CompanyRow(b, m2, "效乙维保", 1, 0, Decimal("0.00"), 0, 0, None, 0, 0, None, 0, Decimal("0.00"))
    ]


# --------------------------------------------------------------------------- the summary (API and cards)


def test_insurance_summary_reads_the_defining_functions(session: Session, w: FiguresWorld) -> None:
    """City FA 2025, today 2026-05-20.

    Loss ratio as above. Renewal worklist (ending by 2026-07-19 or ended since 2025-05-20, not renewed): P2
    (ended 2025-07-01), P1r (2026-07-01), P3 (2026-01-01); P1 was renewed, P5 and P6 end later, P4 is FB's. ACC1
    owes P2 + P1r = 450,000 with 300,000 → cannot pay; ACC2 owes 240,000 with 500,000 → can. Stages: A1, A3, A2,
    A5 purchased (5 elevators), A6 notice ended, A7 objected.

    Faults answered within 30 minutes (insured on the fault's local date): insured R1, F1, R2, F3 of R1, F1, F2,
    R2, R3, F3 = 4/6; uninsured F4 of R4, F4 = 1/2.
    """
    area = Area(city_id=w.city_a.id)
    s = insurance_summary(session, area, YEAR, TODAY)
    assert (s.as_of, s.premiums_fen, s.claims_paid_fen, s.loss_ratio) == (
        date(2025, 12, 31), 720_000, 430_000, Decimal("0.597222"),
    )  # fmt: skip
    assert (s.policies_ending, s.accounts_unable_to_renew) == (3, 1)
    stages = {stage: (apps, lifts) for stage, apps, lifts in s.stages if apps}
    assert stages == {Stage.purchased: (4, 5), Stage.notice_ended: (1, 1), Stage.objected: (1, 1)}
    assert s.rescue_arrival_median_minutes == Decimal("30.00")
    assert (s.insured_answered_30min_share, s.uninsured_answered_30min_share) == (Decimal("0.666667"), Decimal("0.5"))

    # …each read from the function that defines it
    renewals = renewal_rows(session, area, TODAY)
    assert s.policies_ending == len(renewals)
    assert s.accounts_unable_to_renew == len({r.account_id for r in renewals if not r.can_pay})
    assert s.stages == stage_counts(application_rows(session, area, TODAY, redact=True))
    assert s.loss_ratio == loss_ratios(session, area, YEAR).total.loss_ratio
    assert s.rescue_arrival_median_minutes == rescue(session, area, YEAR).arrival_median_minutes
    insured, uninsured = facts(session).service.service_comparison(area, date(YEAR, 1, 1), s.as_of)
    assert (s.insured_answered_30min_share, s.uninsured_answered_30min_share) == (
        insured.answered_30min_share, uninsured.answered_30min_share,
    )  # fmt: skip

    province = insurance_summary(session, Area(), YEAR, TODAY)
    # P4 joins the worklist and ACCB (owes 200,000, holds 100,000) cannot pay; R6 (insured, 20 min) → 5/7.
    assert (province.policies_ending, province.accounts_unable_to_renew) == (4, 2)
    assert (province.insured_answered_30min_share, province.rescue_arrival_median_minutes) == (
        Decimal("0.714286"), Decimal("25.00"),
    )  # fmt: skip
