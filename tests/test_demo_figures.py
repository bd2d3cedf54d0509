"""The `city` demo reproduces every published Zhuzhou figure through the product's own queries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from components.formatting import money, percent
from data_access.compounds import compound_profile, find_compound_id
from data_access.db import make_engine
from data_access.geography import Area, city_by_code
from data_access.indicators import coverage_targets, elevator_complaints, fund_summary, red_property_summary
from tests.browser import seeded_demo_url

pytestmark = pytest.mark.slow

END_2021 = date(2021, 12, 31)
ARTICLE_DAY = date(2022, 8, 26)  # seed 000's national seminar, 25–26 August 2022
END_2022 = date(2022, 12, 31)
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    url = seeded_demo_url(Path(tmp_path_factory.mktemp("city")), scale="city")
    engine = make_engine(url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def zhuzhou(session: Session) -> Area:
    city = city_by_code(session, "zhuzhou")
    assert city is not None and city.name == "株洲市"
    return Area(city_id=city.id)


def test_fund_2021(demo: Session) -> None:
    """2021: deposits 45亿多元, 2,700万元 used, usage rate about 0.6%."""
    f = fund_summary(demo, zhuzhou(demo), END_2021)
    assert 450_000_000_000 <= f.deposits_total_fen < 460_000_000_000
    assert money(f.deposits_total_fen, "zh").startswith("45.")
    assert f.used_in_year_fen == 2_700_000_000
    assert money(f.used_in_year_fen, "zh") == "2700万元"
    assert f.usage_rate is not None and Decimal("0.0055") <= f.usage_rate < Decimal("0.0065")
    assert percent(f.usage_rate, "zh") == "0.6%"


def test_elevator_complaints_2021(demo: Session) -> None:
    assert elevator_complaints(demo, zhuzhou(demo), END_2021).this_period == 3033


def test_shanshui_wenyuan(demo: Session) -> None:
    """31 buildings, 116 elevators averaging about 7 years; 104 insured in 27 buildings, 80,000 yuan cover each."""
    cid = find_compound_id(demo, "山水文园")
    assert cid is not None
    p = compound_profile(demo, cid, date(2022, 8, 1))
    assert p is not None and p.district == "天元区"
    assert (p.buildings, p.elevators) == (31, 116)
    assert p.average_elevator_age_years is not None and Decimal("6.5") <= p.average_elevator_age_years <= Decimal("7.5")
    assert (p.insured_elevators, p.buildings_with_insured_elevators) == (104, 27)
    assert p.cover_per_elevator_fen == [8_000_000]
    before = compound_profile(demo, cid, date(2022, 6, 30))
    assert before is not None and before.insured_elevators == 0


def test_xinguidu(demo: Session) -> None:
    cid = find_compound_id(demo, "新桂都")
    assert cid is not None
    p = compound_profile(demo, cid, ARTICLE_DAY)
    assert p is not None and p.district == "荷塘区"
    assert (p.households, p.residents) == (1572, 5216)


@pytest.mark.parametrize("as_of", [ARTICLE_DAY, END_2022])
def test_red_property(demo: Session, as_of: date) -> None:
    r = red_property_summary(demo, zhuzhou(demo), as_of)
    assert r.accepted_projects == 10
    assert r.industry_party_committees == 16
    assert r.companies_with_party_org == 425
    assert r.compounds_with_service_station == 1163
    assert 1700 <= r.council_items_resolved < 1800


def test_xiangtan_targets_are_judged(demo: Session) -> None:
    city = city_by_code(demo, "xiangtan")
    assert city is not None
    judged = coverage_targets(demo, city.id, TODAY)
    assert [(j.due_on, j.share) for j in judged] == [(date(2024, 12, 31), Decimal("0.4")),
                                                     (date(2025, 12, 31), Decimal("1"))]
    assert judged[0].status == "met"
    assert all(j.coverage is not None for j in judged)
