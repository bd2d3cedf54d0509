"""The presentation deck (data_access/presentation.py) on the hand-made world of tests/world.py, on SQLite and
PostgreSQL and on both readers: every figure is the one the pages compute (their tests worked it by hand), and the
finding sentences say what those figures say, in Chinese and English (components/presentation.py: finding_text).

The world, in short (tests/test_indicators.py has the working): city 甲市 has districts 甲一区 (compounds 一号小区,
三号小区) and 甲二区 (二号小区); on 2024-12-31 甲市's fund holds 20,000,000 fen of deposits, 220,000 used in 2024
(1.1%), 2,050,000 of value-added income credited in 2024; E1 is insured (1 of the 2 eligible elevators that
applied: 50%), its policy lapsing on 2025-06-01; the targets are 40% by 2024-12-31 and 100% by 2025-12-31; two
elevator work orders in 2024 and two on the same days of 2023; one accepted demonstration project, one council
item resolved (in 2023; a deleted meeting's item does not count). 乙市 has no targets.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from components.formatting import day
from components.presentation import finding_text
from data_access.core.models import Role
from data_access.core.scope import Area
from data_access.indicators import elevator_coverage, fund_summary
from data_access.presentation import (
    CouncilCase,
    CoverageSlide,
    Deck,
    Finding,
    InsuranceCase,
    Money,
    Name,
    Share,
    deck,
)
from data_access.users import AccessDenied, Viewer
from tests.world import World, build_world

BOTH_READERS = True  # every test runs on the raw tables and on the rollups (tests/rollup_modes.py)

TODAY = date(2026, 1, 10)


def texts(findings: list[Finding], lang: str = "zh") -> list[str]:
    return [finding_text(f, lang) for f in findings]


def keys(findings: list[Finding]) -> list[str]:
    return [f.key for f in findings]


def city_deck(session: Session, w: World, year: int) -> Deck:
    return deck(session, Area(city_id=w.city_a.id), year, TODAY)


def test_headline_and_fund_of_a_city(session: Session) -> None:
    """2024 in 甲市: the overview's figures, and sentences computed from them."""
    w = build_world(session)
    d = city_deck(session, w, 2024)
    assert (d.as_of, d.city, d.district) == (date(2024, 12, 31), Name("甲市", "A City"), None)
    assert d.period.whole_year and not d.demo_all and d.demo_cities == []  # the hand-made world is not the demo

    h = d.headline
    assert h.fund == fund_summary(session, Area(city_id=w.city_a.id), d.as_of)
    assert (h.coverage.insured, h.coverage.eligible_applied, h.coverage.coverage_rate) == (1, 2, Decimal("0.5"))
    assert (h.complaints.this_period, h.complaints.last_period) == (2, 2)
    assert h.cities == []  # side by side only in the province deck
    assert texts(h.findings) == [
        "甲市已投保电梯 1 台，覆盖率 50.0%（符合条件且已申请 2 台）",
        "2024年，电梯类12345工单 2 件，比上年同期（2 件）持平",
    ]
    assert [f.tone for f in h.findings] == ["neutral", "neutral"]
    assert texts(h.findings, "en")[1] == (
        "2024: 2 elevator hotline work orders, level on the same days a year earlier (2)"
    )

    f = d.fund
    assert (f.current.deposits_total_fen, f.current.used_in_year_fen) == (20_000_000, 220_000)
    assert f.current.usage_rate == Decimal("0.011")
    assert [y.year for y in f.years] == list(range(2019, 2025))  # the /funds page's years, up to the deck's
    assert f.years[-1].summary.value_added_income_in_year_fen == 2_050_000
    # 2,050,000 fen of income at 甲市's premium of 100,000 fen a year buys 20 elevator-years; 100,000 paid.
    [buys] = f.buys
    assert (buys.city, buys.annual_premium_fen, buys.elevator_years) == (Name("甲市", "A City"), 100_000, 20)
    assert (buys.cover_per_elevator_fen, buys.premiums_paid_fen) == (8_000_000, 100_000)
    assert f.elevator_years == 20
    assert f.findings[0].key == "present.f.fund.usage_low"  # 1.1% of the deposits: below 2%
    assert f.findings[0].param("deposits") == Money(20_000_000)
    assert texts(f.findings)[:2] == [
        "2024年，维修资金仅使用 2,200 元，只占缴存总额 20 万元的 1.1%",
        "同期增值收益 2.05 万元，足够为 20 台电梯各买一年维修保险；实际已付保费 1,000 元",
    ]
    assert texts(f.findings, "en")[0] == "2024: only ¥2,200 of the ¥200,000 maintenance fund was used (1.1%)"
    assert (f.insurance.premiums_fen, f.insurance.claims_paid_fen) == (100_000, 0)


def test_targets_are_judged_in_sentences(session: Session) -> None:
    """At the end of 2024 the 40% target is met and the 100% one still ahead; at the end of 2025 E1's policy has
    lapsed (0 of 2): the 100% target is missed — the one red sentence."""
    w = build_world(session)
    cov: CoverageSlide = city_deck(session, w, 2024).coverage
    assert cov.coverage == elevator_coverage(session, Area(city_id=w.city_a.id), date(2024, 12, 31))
    assert [(t.due_on, t.status) for p in cov.programmes for t in p.targets] == [
        (date(2024, 12, 31), "met"),
        (date(2025, 12, 31), "in_progress"),
    ]
    assert texts(cov.findings) == [
        "甲市 2024年12月31日目标 40%，实际 50.0%，已达成",
        "甲市 2025年12月31日前目标 100%，目前 50.0%，进行中",
    ]
    assert [f.tone for f in cov.findings] == ["good", "neutral"]

    later = city_deck(session, w, 2025).coverage
    assert texts(later.findings)[1] == "甲市 2025年12月31日目标 100%，实际 0.0%，未达成"
    assert (
        texts(later.findings, "en")[1]
        == f"A City: target 100% by {day(date(2025, 12, 31), 'en')}, reached 0.0% — missed"
    )
    assert [f.tone for f in later.findings] == ["good", "bad"]
    assert later.findings[1].param("target") == Share(Decimal("1.0000"), 0)


def test_province_deck_puts_the_cities_side_by_side(session: Session) -> None:
    """The province: both cities' headlines, each city's premium; 乙市 has no target and says so."""
    w = build_world(session)
    d = deck(session, Area(), 2024, TODAY)
    assert d.city is None
    assert [c for c, _ in d.headline.cities] == [Name("甲市", "A City"), Name("乙市", "B City")]
    assert d.headline.fund.deposits_total_fen == 27_000_000
    assert texts(d.headline.findings)[0] == "全省已投保电梯 1 台，覆盖率 50.0%（符合条件且已申请 2 台）"
    # 乙市: 3,000,000 fen of income in 2024 at 200,000 a year: 15 elevator-years; 甲市 20.
    assert [(b.city.zh, b.elevator_years) for b in d.fund.buys] == [("甲市", 20), ("乙市", 15)]
    assert d.fund.elevator_years == 35
    assert keys(d.coverage.findings) == [
        "present.f.coverage.met",
        "present.f.coverage.in_progress",
        "present.f.coverage.no_target",
    ]
    assert texts(d.coverage.findings)[2] == "乙市方案未设覆盖率目标；已投保 0 台，覆盖率 —"
    assert w.city_b.id in {p.city_id for p in d.coverage.programmes}


def test_a_district_deck_shows_the_districts_figures(session: Session) -> None:
    """甲二区 holds 二号小区 alone: 4,000,000 fen of deposits, one elevator work order in 2024, no one eligible."""
    w = build_world(session)
    d = deck(session, Area(city_id=w.city_a.id, district_id=w.a2.id), 2024, TODAY)
    assert (d.city, d.district) == (Name("甲市", "A City"), Name("甲二区", "A2"))
    assert d.headline.fund.deposits_total_fen == 4_000_000
    assert d.headline.complaints.this_period == 1
    assert d.headline.coverage.eligible_applied == 0
    assert texts(d.headline.findings) == [
        "甲市甲二区已投保电梯 0 台，覆盖率 —（符合条件且已申请 0 台）",
        "2024年，电梯类12345工单 1 件；上年同期没有可比的工单",
    ]
    assert texts(d.headline.findings, "en")[0].startswith("Insured elevators in A2, A City: 0")
    assert d.red.current.summary.accepted_projects == 0  # the accepted project is 一号小区's, in 甲一区
    assert d.cases == []  # nothing insured in 甲二区, no council resolved anything in 2024
    other = deck(session, Area(city_id=w.city_a.id, district_id=w.a1.id), 2024, TODAY)
    assert other.headline.fund.deposits_total_fen == 16_000_000


def test_red_property_and_the_council_case(session: Session) -> None:
    """2023: 一号小区's council resolved the one item (the deleted meeting's does not count): it is the case."""
    w = build_world(session)
    d = city_deck(session, w, 2023)
    red = d.red.current.summary
    assert (red.accepted_projects, red.council_items_resolved) == (1, 1)
    assert texts(d.red.findings)[1] == "四方议事会累计解决议定事项 1 件，其中2023年解决 1 件"
    [case] = [c for c in d.cases if isinstance(c, CouncilCase)]
    assert (case.name, case.district, case.named) == ("一号小区", Name("甲一区", "A1"), False)
    assert (case.view.council_meetings, case.councils.meetings_in_year, case.councils.items_in_year) == (1, 1, 2)
    assert case.outcomes == []  # nothing was published in a notice: the deck quotes published outcomes only
    assert texts(case.findings)[0] == "一号小区（甲一区）100 户、320 人；四方议事会已召开 1 次，解决议定事项 1 件"


def test_the_insurance_case_names_its_compound(session: Session) -> None:
    """2024: 一号小区 is the area's compound with the most insured elevators (E1); renamed 山水文园 it is the
    published case, told in its own deck only."""
    w = build_world(session)
    [case] = [c for c in city_deck(session, w, 2024).cases if isinstance(c, InsuranceCase)]
    assert (case.name, case.named, case.view.profile.insured_elevators) == ("一号小区", False, 1)
    assert texts(case.findings)[0] == "一号小区（甲一区）1 栋楼的 1 台电梯由增值收益投保，每台每年保额 8 万元"
    assert texts(case.findings)[1] == (
        "2024年5月1日起共 1 份申请获准投保（2 台，首份由业主委员会提出），公示期间书面异议 0 件"
    )
    assert case.findings[2].tone == "good"  # 1 elevator work order against 2 a year earlier

    w.c1.name = "山水文园"
    session.flush()
    [named] = [c for c in city_deck(session, w, 2024).cases if isinstance(c, InsuranceCase)]
    assert (named.name, named.named) == ("山水文园", True)
    elsewhere = deck(session, Area(city_id=w.city_b.id), 2024, TODAY)
    assert all(c.name != "山水文园" for c in elsewhere.cases)


def test_a_city_viewer_is_narrowed_before_the_deck(session: Session) -> None:
    """The page narrows the area with Viewer.area_for before it asks (pages/_common.page_context): a city's leader
    is refused another city's deck, and the province deck of a one-city viewer is that city's."""
    w = build_world(session)
    leader = Viewer(1, "a-leader", "A leader", Role.leader, w.city_a.id)
    with pytest.raises(AccessDenied):
        leader.area_for(w.city_b.id)
    area = leader.area_for(None)
    assert area == Area(city_id=w.city_a.id)
    d = deck(session, area, 2024, TODAY)
    assert d.city == Name("甲市", "A City") and d.headline.cities == []
    assert [b.city.zh for b in d.fund.buys] == ["甲市"]


def test_year_is_kept_within_the_reform(session: Session) -> None:
    """A year before the reform gives its first year's deck; the current year runs to today (a part year)."""
    w = build_world(session)
    assert city_deck(session, w, 2019).year == 2021
    now = deck(session, Area(city_id=w.city_a.id), 2026, TODAY)
    assert (now.as_of, now.period.whole_year) == (TODAY, False)
    assert texts(now.headline.findings)[1].startswith("2026年1月1日至1月10日，")
    assert texts(now.headline.findings, "en")[1].startswith(f"1 Jan to {day(TODAY, 'en')}: ")


def test_the_complaints_sentence_is_red_only_when_insured_compounds_complain_more() -> None:
    """A fall slower than the never-insured control's is not bad news (neutral); a rise is red; a fall beyond the
    control's is green."""
    from data_access.complaint_cohorts import CohortSummary
    from data_access.presentation import _complaint_findings

    def cohort(before: str, after: str) -> CohortSummary:
        return CohortSummary("c", 12, 10, 100, 0, 0, 0, 0, Decimal(before), Decimal(after), None, None)

    def tone(insured: tuple[str, str], never: tuple[str, str]) -> str:
        return _complaint_findings(cohort(*insured), cohort(*never))[0].tone

    assert tone(("1.6", "1.5"), ("1.6", "1.3")) == "neutral"  # down 6%, the control down 19%
    assert tone(("1.6", "0.8"), ("1.6", "1.5")) == "good"
    assert tone(("1.6", "1.7"), ("1.6", "2.0")) == "bad"  # up, even if the control rose more
