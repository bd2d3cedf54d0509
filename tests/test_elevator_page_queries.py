"""The /elevators page's own queries, on both backends.

- `coverage_by_city` computes the funnel on many dates in one statement per city; it must agree with
  `indicators.elevator_coverage` (full dates) and `coverage_over_time` (line dates) everywhere, so it is
  compared on every month end of three years, for every area of two hand-made worlds, one of them
  extended below with a unit-level pooled account, a withdrawn application and a second rule.
- `compound_elevator_table` is checked against answers computed by hand on the world of
  tests/test_elevator_queries.py (its docstring tabulates every fault).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from data_access.core.models import (
    ApplicantType,
    ApplicationDecision,
    ApplicationElevator,
    Building,
    CoverageTarget,
    Elevator,
    InsuranceApplication,
    InsurancePolicy,
    Insurer,
    PooledAccount,
    PooledAccountEntry,
    PooledEntryKind,
    ProgrammeRule,
    Unit,
)
from data_access.core.rules import minus_years
from data_access.core.scope import Area
from data_access.elevator_compounds import CompoundElevatorRow
from data_access.elevator_coverage import CoveragePoint, coverage_at_dates, coverage_by_city, coverage_over_time
from data_access.elevators import elevators_page_data, line_dates, month_end
from data_access.facts import facts
from data_access.indicators import CoverageSummary, coverage_targets, elevator_coverage
from tests.test_elevator_queries import FIRST, LAST
from tests.test_elevator_queries import build as build_eworld
from tests.world import World, build_world

BOTH_READERS = True  # every test runs on the raw tables and on the rollups (tests/rollup_modes.py)


def month_ends(first: date, last: date) -> list[date]:
    out, d = [], month_end(first)
    while d <= last:
        out.append(d)
        d = month_end(d + timedelta(days=1))
    return out


def extend_world(s: Session, w: World) -> None:
    """More of what the funnel judges, on top of tests/world.py.

    - Unit 1 of building 2 of 一号小区 with elevator E8 (2019) and its own pooled account, credited
      300,000 on 2024-12-31: E8 is paid for by the unit account, not the building's.
    - E8 applied on 2024-03-01 and withdrew on 2024-06-01 (applied only in between), applied again on
      2025-02-01 (approved) and is insured for [2025-03-01, 2026-03-01).
    - From 2025-07-01 city A has a second rule: 8-year warranty, 2 premium-years, no targets.
    - City B's rule gets a target due 2020-06-30, before its programme began (judged directly).
    """
    b2 = s.query(Building).filter_by(compound_id=w.c1.id, number="2").one()
    unit = Unit(building_id=b2.id, number="1", households=20)
    s.add(unit)
    s.flush()
    e8 = Elevator(registration_code="E8", building_id=b2.id, unit_id=unit.id, in_service_on=date(2019, 1, 1))
    account = PooledAccount(building_id=b2.id, unit_id=unit.id, opened_on=date(2021, 1, 1))
    s.add_all([e8, account])
    s.flush()
    s.add(PooledAccountEntry(pooled_account_id=account.id, kind=PooledEntryKind.value_added_income,
                             booked_on=date(2024, 12, 31), amount_fen=300_000))  # fmt: skip
    withdrawn = InsuranceApplication(
        pooled_account_id=account.id, applicant_type=ApplicantType.owners_committee, filed_on=date(2024, 3, 1),
        decision=ApplicationDecision.withdrawn, decided_on=date(2024, 6, 1), written_objections=0,
    )  # fmt: skip
    withdrawn.elevators = [ApplicationElevator(elevator_id=e8.id)]
    again = InsuranceApplication(
        pooled_account_id=account.id, applicant_type=ApplicantType.owners_committee, filed_on=date(2025, 2, 1),
        decision=ApplicationDecision.approved, decided_on=date(2025, 2, 20), written_objections=0,
    )  # fmt: skip
    again.elevators = [ApplicationElevator(elevator_id=e8.id)]
    s.add_all([withdrawn, again])
    s.flush()
    insurer = s.query(Insurer).one()
    s.add(InsurancePolicy(elevator_id=e8.id, application_id=again.id, insurer_id=insurer.id, policy_no="P8",
                          period_start=date(2025, 3, 1), period_end=date(2026, 3, 1), premium_fen=100_000,
                          cover_fen=8_000_000))  # fmt: skip
    s.add(ProgrammeRule(city_id=w.city_a.id, title="A rule 2", effective_from=date(2025, 7, 1), warranty_years=8,
                        notice_days=7, min_applicant_owners=3, min_premium_years=2,
                        cover_per_elevator_fen=8_000_000, annual_premium_fen=100_000))  # fmt: skip
    rule_b = s.query(ProgrammeRule).filter_by(city_id=w.city_b.id).one()
    rule_b.targets = [CoverageTarget(due_on=date(2020, 6, 30), share=Decimal("0.5"))]
    s.flush()


# --------------------------------------------------------------------------- agreement with the reference


def assert_agrees(session: Session, areas: list[Area], dates: list[date]) -> None:
    for area in areas:
        totals = coverage_at_dates(session, area, dates)
        for d in dates:
            assert totals[d] == elevator_coverage(session, area, d), (area, d)
        lines = coverage_by_city(session, area, [dates[-1]], dates)
        for city_id, city in lines.items():
            city_area = Area(city_id=city_id, district_id=area.district_id)
            assert city.line == coverage_over_time(session, city_area, dates), (area, city_id)
            assert city.summaries == {dates[-1]: elevator_coverage(session, city_area, dates[-1])}


def test_coverage_by_city_agrees_with_elevator_coverage(session: Session) -> None:
    """Every month end of 2023–2026, every area; unit accounts, withdrawals and a rule change included."""
    w = build_world(session)
    extend_world(session, w)
    areas = [Area(), Area(city_id=w.city_a.id), Area(city_id=w.city_b.id), Area(district_id=w.a1.id),
             Area(city_id=w.city_a.id, district_id=w.a2.id)]  # fmt: skip
    assert_agrees(session, areas, month_ends(date(2023, 12, 1), date(2026, 6, 30)))
    # Spot checks of the extension, by hand: E8 counts as applied only while its first application stood.
    a = Area(city_id=w.city_a.id)
    applied = coverage_at_dates(session, a, [date(2024, 4, 30), date(2024, 6, 30)])
    # April: only E8 (E1, E2 applied on 2024-05-01). June: E1 and E2; E8 withdrew on 2024-06-01.
    assert (applied[date(2024, 4, 30)].applied, applied[date(2024, 6, 30)].applied) == (1, 2)
    # From 2025-07-01 the 8-year warranty leaves E3 (2022) and E8 (2019) inside it; the 2015 ones are out.
    after = coverage_at_dates(session, a, [date(2025, 7, 31)])[date(2025, 7, 31)]
    assert (after.registered, after.past_warranty) == (8, 6)


def test_coverage_by_city_agrees_on_the_elevator_world(session: Session) -> None:
    w = build_eworld(session)
    areas = [Area(), Area(city_id=w.city_a.id), Area(city_id=w.city_b.id), Area(district_id=w.d2.id)]
    assert_agrees(session, areas, month_ends(date(2024, 11, 1), date(2026, 4, 30)))


def test_coverage_by_city_edges(session: Session) -> None:
    """No dates: nothing. A city without a rule is left out, as elevator_coverage leaves it out."""
    w = build_eworld(session)
    assert coverage_by_city(session, Area(), []) == {}
    assert set(coverage_by_city(session, Area(), [LAST])) == {w.city_a.id}  # city B has no rule
    assert coverage_at_dates(session, Area(city_id=w.city_b.id), [LAST]) == {LAST: CoverageSummary.empty(LAST)}
    # Before anything is in service in district D2 the date still gets an (empty) summary.
    early = coverage_at_dates(session, Area(district_id=w.d2.id), [date(2022, 12, 31)])
    assert early[date(2022, 12, 31)] == CoverageSummary.empty(date(2022, 12, 31))


# --------------------------------------------------------------------------- line dates


@pytest.mark.parametrize(
    ("starts", "as_of", "expected"),
    [
        # 24 month ends → only the quarter ends, then as_of itself
        (date(2021, 1, 1), date(2026, 11, 23),
         ["2024-12-31", "2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31", "2026-03-31", "2026-06-30",
          "2026-09-30", "2026-11-23"]),
        (date(2021, 1, 1), date(2025, 12, 31),
         ["2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31", "2025-03-31", "2025-06-30", "2025-09-30",
          "2025-12-31"]),
        # a programme younger than 24 months starts at its first month end; ≤ 12 month ends are all kept
        (date(2024, 9, 15), date(2024, 12, 31), ["2024-09-30", "2024-10-31", "2024-11-30", "2024-12-31"]),
        (date(2024, 9, 15), date(2025, 12, 31),
         ["2024-09-30", "2024-12-31", "2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"]),
        (date(2024, 9, 15), date(2024, 9, 20), ["2024-09-20"]),
    ],
)  # fmt: skip
def test_line_dates(starts: date, as_of: date, expected: list[str]) -> None:
    assert [d.isoformat() for d in line_dates(starts, as_of)] == expected


def test_month_end() -> None:
    assert [month_end(date(2024, m, 15)).isoformat() for m in (2, 4, 12)] == ["2024-02-29", "2024-04-30", "2024-12-31"]


# --------------------------------------------------------------------------- the compound table


def test_compound_elevator_table(session: Session) -> None:
    """2025, judged at 2025-12-31 (5-year warranty → in service by 2020-12-31; city B has no rule: 5 years).

    一号 (D1): E1, E2, E3 in service, all past warranty; E1 insured; faults F1–F8 = 8, trapped F2, F5 → 266.67.
    二号 (D2): E4 only (E5 starts 2026), inside warranty, uninsured; F10, F11 → 200.00.
    三号 (city B): EB, past warranty; F12 → 100.00. Ordered by faults, most first.
    """
    w = build_eworld(session)
    c1 = CompoundElevatorRow(0, "一号", "甲一区", "D1", 3, 3, 1, 8, Decimal("266.67"), 2)
    c2 = CompoundElevatorRow(0, "二号", "甲二区", "D2", 1, 0, 0, 2, Decimal("200.00"), 0)
    c3 = CompoundElevatorRow(0, "三号", "乙一区", "D3", 1, 1, 0, 1, Decimal("100.00"), 0)

    def without_ids(rows: list[CompoundElevatorRow]) -> list[CompoundElevatorRow]:
        return [r._replace(compound_id=0) for r in rows]

    city = facts(session).compound_elevators.compound_table(Area(city_id=w.city_a.id), FIRST, LAST)
    assert without_ids(city) == [c1, c2]
    assert without_ids(facts(session).compound_elevators.compound_table(Area(), FIRST, LAST)) == [c1, c2, c3]
    assert without_ids(facts(session).compound_elevators.compound_table(Area(district_id=w.d2.id), FIRST, LAST)) == [c2]
    # First half of 2025: F1, F2, F3, F5, F8 in 一号; cutoff 2020-06-30 leaves E2 (2020-07-01) in warranty.
    half = facts(session).compound_elevators.compound_table(Area(city_id=w.city_a.id), FIRST, date(2025, 6, 30))
    assert [(r.compound, r.elevators, r.past_warranty, r.insured, r.faults, r.trapped_incidents) for r in half] == [
        ("一号", 3, 2, 1, 5, 2),
        ("二号", 1, 0, 0, 1, 0),  # F11 (April); F10 is on 31 December
    ]
    # A compound with no elevator in service yet is not listed (二号's E4 starts in 2023).
    table_2022 = facts(session).compound_elevators.compound_table(Area(), date(2022, 1, 1), date(2022, 12, 31))
    assert [r.compound for r in table_2022] == [
        "一号", "三号",
    ]  # fmt: skip


# --------------------------------------------------------------------------- the page bundle


def test_service_comparison_without_visits(session: Session) -> None:
    w = build_eworld(session)
    area = Area(city_id=w.city_a.id)
    full = facts(session).service.service_comparison(area, FIRST, LAST)
    lean = facts(session).service.service_comparison(area, FIRST, LAST, include_visits=False)
    fault_fields = ["faults", "answered_30min_share", "mean_response_minutes", "major_repaired_24h"]
    fault_fields.append("trapped_incidents")
    for f, n in zip(full, lean, strict=True):
        assert [getattr(n, k) for k in fault_fields] == [getattr(f, k) for k in fault_fields]
        assert (n.visits, n.mean_visit_minutes, n.visits_in_band_share) == (0, None, None)


def test_elevators_page_data(session: Session) -> None:
    """The bundle is the reference functions' answers for the as-of date, a year earlier and the year's flows."""
    w = build_world(session)
    extend_world(session, w)
    today = date(2026, 3, 15)
    for area in (Area(), Area(city_id=w.city_a.id), Area(city_id=w.city_a.id, district_id=w.a1.id)):
        page = elevators_page_data(session, area, 2025, today)
        as_of, prev = date(2025, 12, 31), date(2024, 12, 31)
        assert (page.as_of, page.first, page.previous_as_of) == (as_of, date(2025, 1, 1), prev)
        assert page.coverage == elevator_coverage(session, area, as_of)
        assert page.previous == elevator_coverage(session, area, prev)
        assert page.service == facts(session).service.service_comparison(area, date(2025, 1, 1), as_of)
        assert [p.code for p in page.programmes] == (["a", "b"] if area.city_id is None else ["a"])
        for prog in page.programmes:
            city_area = Area(city_id=prog.city_id, district_id=area.district_id)
            assert prog.line == coverage_over_time(session, city_area, [p.as_of for p in prog.line])
            assert prog.line[-1].as_of == as_of
            if area.district_id is None:
                assert prog.targets == coverage_targets(session, prog.city_id, as_of)
    city_a = elevators_page_data(session, Area(city_id=w.city_a.id), 2025, today).programmes[0]
    # Rule A2 (from 2025-07-01) is in force on the as-of date: its terms, and it sets no targets.
    assert (city_a.starts_on, city_a.warranty_years, city_a.min_premium_years, city_a.targets) == (
        date(2021, 1, 1), 8, 2, [],
    )  # fmt: skip
    assert [p.as_of for p in city_a.line] == line_dates(date(2021, 1, 1), date(2025, 12, 31))
    # The current year: as-of is today; city B's target fell before its programme began and is judged directly.
    now = elevators_page_data(session, Area(), 2026, today)
    assert now.as_of == today and now.previous_as_of == minus_years(today, 1)
    city_b = next(p for p in now.programmes if p.code == "b")
    assert [(t.due_on, t.status) for t in city_b.targets] == [(date(2020, 6, 30), "missed")]
    assert city_b.targets == coverage_targets(session, w.city_b.id, today)
    assert all(isinstance(p, CoveragePoint) for p in city_b.line)
    # The export path computes the compound table alone, the same rows.
    export = elevators_page_data(session, Area(city_id=w.city_a.id), 2025, today, compounds_only=True)
    assert export.compounds == elevators_page_data(session, Area(city_id=w.city_a.id), 2025, today).compounds
    assert export.programmes == [] and export.service == []


def test_elevators_page_data_districts_and_faults(session: Session) -> None:
    build_eworld(session)
    page = elevators_page_data(session, Area(), 2025, date(2026, 3, 1))
    assert [(d.name, d.name_en, d.city_code, d.faults, d.faults_per_100) for d in page.districts] == [
        ("甲一区", "D1", "ea", 8, Decimal("266.67")),
        ("甲二区", "D2", "ea", 2, Decimal("200.00")),
        ("乙一区", "D3", "eb", 1, Decimal("100.00")),
        ("乙二区", "D4", "eb", 0, None),
    ]
    # Repeat faults (≥ 3 in the year): E1 (4) and E2 (3) in 2025; none in 2024 (only F13).
    assert (page.repeat_elevators, page.previous_repeat_elevators) == (2, 0)
    assert sum(n for _, n in page.hours) == 11  # F1–F8, F10–F12
    assert [b.faults for b in page.age_bands] == [3, 4, 3, 1]
    # A year earlier only F13 (E3, 2024-12-31 23:30 local) is in the flows.
    assert sum(r.faults for r in page.previous_service) == 1
    assert page.programmes[1].starts_on is None and page.programmes[1].line == []  # city B has no rule
