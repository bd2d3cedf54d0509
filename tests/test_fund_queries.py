"""/funds queries on the hand-made world of tests/world.py (answers computed by hand), both backends."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from data_access.core.scope import Area
from data_access.facts import facts
from tests.world import build_world

BOTH_READERS = True  # every test runs on the raw tables and on the rollups (tests/rollup_modes.py)

END_2024 = date(2024, 12, 31)


def test_fund_by_year(session: Session) -> None:
    w = build_world(session)
    rows = facts(session).funds.by_year(Area(city_id=w.city_a.id), 2023, END_2024)
    assert [
        (r.year, r.summary.deposits_total_fen, r.summary.used_in_year_fen, r.benchmark_interest_in_year_fen)
        for r in rows
    ] == [(2023, 19_000_000, 30_000, 0), (2024, 20_000_000, 220_000, 200_000)]


def test_fund_by_year_agrees_with_fund_summary(session: Session) -> None:
    from data_access.indicators import fund_summary

    w = build_world(session)
    for area in (Area(), Area(city_id=w.city_a.id), Area(district_id=w.a1.id)):
        rows = facts(session).funds.by_year(area, 2019, date(2025, 3, 1))
        assert [r.year for r in rows] == [2019, 2020, 2021, 2022, 2023, 2024, 2025]
        for r in rows:
            assert r.summary == fund_summary(session, area, r.summary.as_of)


def test_fund_by_district(session: Session) -> None:
    """甲一区: deposits 16M, used 120,000 + 100,000 premium, VAI 50,000 + 1,000,000; 甲二区: 4M, 0, 1,000,000."""
    w = build_world(session)
    rows = facts(session).funds.by_district(Area(city_id=w.city_a.id), END_2024)
    assert [(r.district, r.deposits_total_fen, r.used_in_year_fen, r.value_added_income_in_year_fen) for r in rows] == [
        ("甲一区", 16_000_000, 220_000, 1_050_000),
        ("甲二区", 4_000_000, 0, 1_000_000),
    ]
    assert rows[0].usage_rate == Decimal("0.01375")
    assert [r.district for r in facts(session).funds.by_district(Area(district_id=w.a2.id), END_2024)] == ["甲二区"]


def test_pooled_account_capacity(session: Session) -> None:
    """Account 1 holds 400,000 for 4 elevators (enough), account 2 50,000 for 1 (short), 3 and 4 1M for 1."""
    w = build_world(session)
    cap = facts(session).funds.pooled_capacity(Area(city_id=w.city_a.id), END_2024)
    assert (cap.accounts, cap.accounts_with_elevators, cap.accounts_able_to_pay, cap.min_premium_years) == (4, 4, 3, 1)
    province = facts(session).funds.pooled_capacity(Area(), END_2024)
    assert (province.accounts, province.accounts_able_to_pay) == (5, 4)


def test_compound_fund_table(session: Session) -> None:
    w = build_world(session)
    rows = facts(session).funds.compound_table(Area(city_id=w.city_a.id), END_2024)
    assert [
        (
            r.compound,
            r.buildings,
            r.deposits_total_fen,
            r.used_in_year_fen,
            r.value_added_income_total_fen,
            r.pooled_balance_fen,
        )
        for r in rows
    ] == [
        ("一号小区", 2, 16_000_000, 220_000, 550_000, 450_000),
        ("二号小区", 1, 4_000_000, 0, 1_000_000, 1_000_000),
        ("三号小区", 1, 0, 0, 1_000_000, 1_000_000),
    ]
