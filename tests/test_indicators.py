"""Indicator queries on the hand-made world of tests/world.py, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from data_access.core.scope import Area
from data_access.indicators import (
    as_of_for_year,
    coverage_targets,
    elevator_complaints,
    elevator_complaints_by_month,
    elevator_coverage,
    fund_summary,
    red_property_summary,
)
from tests.world import build_world

BOTH_READERS = True  # every test runs on the raw tables and on the rollups (tests/rollup_modes.py)

END_2024 = date(2024, 12, 31)


def test_fund_summary_city(session: Session) -> None:
    """Deposits 10M+1M+5M+4M fen; uses in 2024: 120,000 owner-ledger + 100,000 premium; VAI 2024: 2,050,000."""
    w = build_world(session)
    f = fund_summary(session, Area(city_id=w.city_a.id), END_2024)
    assert f.deposits_total_fen == 20_000_000
    assert f.used_in_year_fen == 220_000
    assert f.usage_rate == Decimal("0.011")
    assert f.value_added_income_in_year_fen == 2_050_000
    assert f.value_added_income_total_fen == 2_550_000
    assert f.premiums_in_year_fen == 100_000
    # 20,000,000 + 200,000 interest − 150,000 uses + 2,550,000 VAI − 100,000 premium
    assert f.balance_fen == 22_500_000


def test_fund_summary_district_and_date(session: Session) -> None:
    w = build_world(session)
    assert fund_summary(session, Area(district_id=w.a1.id), END_2024).deposits_total_fen == 16_000_000
    # Before the 2024 deposit and the 2024 entries: 10M + 5M + 4M, nothing used in 2023 but 30,000.
    f2023 = fund_summary(session, Area(city_id=w.city_a.id), date(2023, 12, 31))
    assert f2023.deposits_total_fen == 19_000_000
    assert f2023.used_in_year_fen == 30_000
    assert f2023.value_added_income_in_year_fen == 500_000


def test_fund_summary_province_adds_cities(session: Session) -> None:
    build_world(session)
    f = fund_summary(session, Area(), END_2024)
    assert f.deposits_total_fen == 27_000_000
    assert f.used_in_year_fen == 220_000 + 999_000


def test_coverage_funnel_city(session: Session) -> None:
    """E1 insured; E2 eligible & applied; E3 in warranty; E4 insurer; E5 management; E6 account; E7 no deposit."""
    w = build_world(session)
    c = elevator_coverage(session, Area(city_id=w.city_a.id), END_2024)
    assert (c.registered, c.past_warranty, c.eligible, c.applied, c.eligible_applied, c.insured) == (7, 6, 2, 3, 2, 1)
    assert c.coverage_rate == Decimal("0.5")
    assert (c.fail_no_deposit, c.fail_pooled_account, c.fail_management, c.fail_warranty, c.fail_insurer) == (
        1,
        1,
        1,
        1,
        1,
    )


def test_coverage_province_sums_cities_with_their_own_rules(session: Session) -> None:
    build_world(session)
    c = elevator_coverage(session, Area(), END_2024)
    assert (c.registered, c.eligible, c.applied, c.eligible_applied, c.insured) == (8, 3, 3, 2, 1)


def test_coverage_before_anything_applied(session: Session) -> None:
    w = build_world(session)
    c = elevator_coverage(session, Area(city_id=w.city_a.id), date(2024, 1, 31))
    assert c.insured == 0 and c.applied == 0
    assert c.coverage_rate is None
    # Account 1 holds 500,000 ≥ 4 × 100,000; the other accounts are credited only at the end of 2024.
    assert c.fail_pooled_account == 3
    assert c.eligible == 2


def test_targets_judged_at_their_dates(session: Session) -> None:
    """At 2024-12-31 coverage 1/2 ≥ 40%: met. At 2025-12-31 E1's policy has lapsed: 0/2 < 100%: missed."""
    w = build_world(session)
    judged = coverage_targets(session, w.city_a.id, date(2026, 1, 10))
    assert [(j.due_on, j.status) for j in judged] == [(date(2024, 12, 31), "met"), (date(2025, 12, 31), "missed")]
    assert judged[0].coverage == Decimal("0.5")
    early = coverage_targets(session, w.city_a.id, date(2024, 10, 1))
    assert [j.status for j in early] == ["in_progress", "in_progress"]
    assert coverage_targets(session, w.city_b.id, END_2024) == []


def test_complaints_use_local_calendar(session: Session) -> None:
    w = build_world(session)
    year = elevator_complaints(session, Area(city_id=w.city_a.id), END_2024)
    assert (year.this_period, year.last_period) == (2, 2)
    half = elevator_complaints(session, Area(city_id=w.city_a.id), date(2024, 6, 30))
    assert (half.this_period, half.last_period, half.change) == (2, 1, Decimal("1"))
    months = elevator_complaints_by_month(session, Area(city_id=w.city_a.id), [2023, 2024], END_2024)
    assert [(m.year, m.month, m.count) for m in months] == [(2023, 3, 1), (2023, 12, 1), (2024, 1, 1), (2024, 6, 1)]
    assert elevator_complaints(session, Area(district_id=w.a2.id), END_2024).this_period == 1


def test_red_property_summary(session: Session) -> None:
    w = build_world(session)
    r = red_property_summary(session, Area(city_id=w.city_a.id), END_2024)
    assert r.accepted_projects == 1
    assert r.industry_party_committees == 2
    assert r.companies_with_party_org == 3  # the 2025 one not yet, the one without never
    assert r.compounds_with_service_station == 1
    assert r.council_items_resolved == 1  # the deleted meeting's item does not count
    province = red_property_summary(session, Area(), END_2024)
    assert (province.industry_party_committees, province.companies_with_party_org) == (3, 4)
    district = red_property_summary(session, Area(district_id=w.a1.id), END_2024)
    assert (district.industry_party_committees, district.companies_with_party_org) == (1, 1)


def test_as_of_for_year() -> None:
    assert as_of_for_year(2021, date(2026, 11, 23)) == date(2021, 12, 31)
    assert as_of_for_year(2026, date(2026, 11, 23)) == date(2026, 11, 23)


def test_compound_profile(session: Session) -> None:
    """一号小区: 2 buildings, E1–E4 in building 1 and E6 in building 2 by 2024-12-31 (E3 from 2022); E1 insured."""
    from data_access.compounds import compound_profile, find_compound_id

    w = build_world(session)
    assert find_compound_id(session, "一号小区") == w.c1.id
    p = compound_profile(session, w.c1.id, END_2024)
    assert p is not None
    assert (p.buildings, p.elevators, p.insured_elevators, p.buildings_with_insured_elevators) == (2, 5, 1, 1)
    assert p.cover_per_elevator_fen == [8_000_000]
    # Ages in days: E1 3652, E2 3501, E3 1095, E4 3652, E6 3652 → mean 15552/5/365.25 = 8.5 years
    assert p.average_elevator_age_years == Decimal("8.5")
    assert compound_profile(session, 10**9, END_2024) is None


def test_province_headline_is_the_sum_of_its_cities(session: Session) -> None:
    """The province view sums city headlines; that must equal querying the province directly."""
    from data_access.indicators import city_headlines, headline

    build_world(session)
    province = headline(session, Area(), END_2024)
    assert province.fund == fund_summary(session, Area(), END_2024)
    assert province.coverage == elevator_coverage(session, Area(), END_2024)
    assert province.complaints == elevator_complaints(session, Area(), END_2024)
    assert province.red_property == red_property_summary(session, Area(), END_2024)
    assert len(city_headlines(session, END_2024)) == 2


def test_compound_view(session: Session) -> None:
    """一号小区 at 2024-12-31: deposits 16M; pooled 500,000 − 100,000 + 50,000.

    Elevator orders: 2024 W1; 2023 W3, W4.
    """
    from data_access.compounds import compound_view

    w = build_world(session)
    v = compound_view(session, w.c1.id, END_2024)
    assert v is not None and v.city_id == w.city_a.id
    assert (v.deposits_total_fen, v.pooled_balance_fen) == (16_000_000, 450_000)
    assert (v.elevator_work_orders_in_year, v.elevator_work_orders_last_year) == (1, 2)
    assert (v.project_status, v.project_score, v.has_service_station) == ("accepted", 92, True)
    assert (v.council_meetings, v.council_items_resolved) == (1, 1)  # the deleted meeting does not count
    assert [(a.elevators, a.decision) for a in v.applications] == [(1, "pending"), (2, "approved")]
    assert compound_view(session, 10**9, END_2024) is None
