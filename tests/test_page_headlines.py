"""Each indicator page states its finding in a sentence under its title (components/headline.py), computed from the
page's own data (data_access/presentation.py: `overview_findings`, `elevator_findings` …) — issue 17.

The world is tests/world.py (its figures worked by hand in tests/test_indicators.py and
tests/test_presentation_queries.py), served on SQLite and PostgreSQL with today = 2026-01-10. A province leader
renders every page for 甲市 (city a) through Dash Pages' router, in Chinese and in English, and the sentence under
the title must be the hand-computed one: on 2024-12-31 甲市's 40% target is met (E1 insured: 1 of the 2 eligible
elevators that applied, 50%); on 2025-12-31 E1's policy has lapsed and the 100% target is missed (0%), the one red
sentence; the fund used 220,000 fen of its 20,000,000 in 2024 (1.1%: "only"), earned 2,050,000 of value-added income
and paid 100,000 of premiums; two elevator work orders in 2024 against two in 2023. Where a figure is not worked by
hand here (the cohorts, service shares, rescue), the sentence must carry the figure of the function that defines it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app import create_app
from components.formatting import day, percent
from components.presentation import finding_text
from data_access.complaints import complaints_page_data
from data_access.core.db import make_engine
from data_access.core.scope import Area
from data_access.elevators import elevators_page_data
from data_access.indicators import coverage_targets
from data_access.insurance_figures import insurance_summary, rescue
from data_access.insurance_value import insurance_value_page
from data_access.migrate import upgrade
from data_access.presentation import (
    complaint_findings,
    elevator_findings,
    insurance_value_findings,
    place_name,
    red_property_findings,
)
from data_access.red_property import red_property_page_data
from data_access.users import create_user
from tests.conftest import make_database_url
from tests.pages_router import router_body
from tests.test_auth import PASSWORD, find_prop, sign_in
from tests.world import build_world

TODAY = date(2026, 1, 10)


@dataclass
class Served:
    app: Flask
    zh: FlaskClient  # a province leader reading Chinese
    en: FlaskClient  # the same leader reading English
    city_id: int


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The hand-made world in a database of its own per engine, served with today pinned, read in both languages."""
    for url in make_database_url(request.param, Path(tmp_path_factory.mktemp(f"headline-{request.param}"))):
        upgrade(url)
        engine = make_engine(url)
        with Session(engine) as s:
            w = build_world(s)
            city_id = w.city_a.id
            create_user(s, "lead_province", PASSWORD, "leader")
            s.commit()
        engine.dispose()
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "TESTING": True, "TODAY": TODAY})
        zh, en = app.test_client(), app.test_client()
        for client in (zh, en):
            assert sign_in(client, "lead_province").status_code == 302
        en.get("/lang/en")
        yield Served(app, zh, en, city_id)
        app.extensions["db_engine"].dispose()


def layout(client: FlaskClient, path: str, search: str) -> Any:
    r = client.post(
        "/_dash-update-component", data=json.dumps(router_body(path, search)), content_type="application/json"
    )
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_json()["response"]["_pages_content"]["children"]


def headline(client: FlaskClient, path: str, search: str = "?city=a&year=2024") -> list[tuple[str, str]]:
    """The page's headline as (sentence, tone class): the lead first, then its supporting sentences."""
    page = layout(client, path, search)
    section = find_prop(page, "id", "page-headline")
    assert section is not None, f"{path}{search} has no headline"
    out = []
    for i in range(3):
        props = find_prop(section, "id", "page-headline-lead" if i == 0 else f"page-headline-{i}")
        if props is not None:
            out.append((props["children"], props["className"].split()[-1]))
    return out


def sentences(client: FlaskClient, path: str, search: str = "?city=a&year=2024") -> list[str]:
    return [text for text, _ in headline(client, path, search)]


def session_of(served: Served) -> Session:
    return Session(served.app.extensions["db_engine"])


def test_overview_states_coverage_its_target_and_complaints(served: Served) -> None:
    assert sentences(served.zh, "/") == [
        "甲市已投保电梯 1 台，覆盖率 50.0%（符合条件且已申请 2 台）",
        "甲市 2024年12月31日目标 40%，实际 50.0%，已达成",
        "2024年，电梯类12345工单 2 件，比上年同期（2 件）持平",
    ]
    assert sentences(served.en, "/") == [
        "Insured elevators in A City: 1, coverage 50.0% of the 2 eligible elevators that applied",
        f"A City: target 40% by {day(date(2024, 12, 31), 'en')}, reached 50.0% — met",
        "2024: 2 elevator hotline work orders, level on the same days a year earlier (2)",
    ]
    province = sentences(served.zh, "/", "?year=2024")
    assert province[0] == "全省已投保电梯 1 台，覆盖率 50.0%（符合条件且已申请 2 台）"
    assert sentences(served.en, "/", "?year=2024")[0].startswith("Insured elevators in the province: 1,")


def test_elevators_leads_with_the_target_of_the_year(served: Served) -> None:
    """The key message of /elevators is the headline: the city's target, its actual coverage and met/missed, as
    coverage_targets judges it; a missed target is the page's red sentence."""
    with session_of(served) as s:
        for year, as_of in ((2024, date(2024, 12, 31)), (2025, date(2025, 12, 31))):
            judged = {t.due_on: t for t in coverage_targets(s, served.city_id, as_of)}
            target = judged[date(year, 12, 31)]
            lead, tone = headline(served.zh, "/elevators", f"?city=a&year={year}")[0]
            status = {"met": "已达成", "missed": "未达成"}[target.status]
            assert lead == (
                f"甲市 {year}年12月31日目标 {percent(target.share, 'zh', 0)}，"
                f"实际 {percent(target.coverage, 'zh')}，{status}"
            )
            assert tone == {"met": "headline-good", "missed": "headline-bad"}[target.status]
    assert sentences(served.zh, "/elevators")[0] == "甲市 2024年12月31日目标 40%，实际 50.0%，已达成"
    late = headline(served.zh, "/elevators", "?city=a&year=2025")
    assert late[0] == ("甲市 2025年12月31日目标 100%，实际 0.0%，未达成", "headline-bad")
    assert sentences(served.en, "/elevators", "?city=a&year=2025")[0] == (
        f"A City: target 100% by {day(date(2025, 12, 31), 'en')}, reached 0.0% — missed"
    )
    # the supporting sentences: service on insured elevators, then the city's other target
    with session_of(served) as s:
        page = elevators_page_data(s, Area(city_id=served.city_id), 2024, TODAY, include_compounds=False)
        expected = [finding_text(f, "zh") for f in elevator_findings(place_name(None), page)][:3]
    assert sentences(served.zh, "/elevators") == expected
    assert expected[2] == "甲市 2025年12月31日前目标 100%，目前 50.0%，进行中"


def test_elevators_province_leads_with_its_coverage_and_each_citys_target(served: Served) -> None:
    assert sentences(served.zh, "/elevators", "?year=2024") == [
        "全省已投保电梯 1 台，覆盖率 50.0%（符合条件且已申请 2 台）",
        "甲市 2024年12月31日目标 40%，实际 50.0%，已达成",
        "乙市方案未设覆盖率目标；已投保 0 台，覆盖率 —",
    ]
    assert sentences(served.en, "/elevators", "?year=2024")[2] == (
        "B City sets no coverage target; 0 elevators insured, coverage —"
    )


def test_funds_states_how_little_was_used_and_what_it_earned(served: Served) -> None:
    assert sentences(served.zh, "/funds") == [
        "2024年，维修资金仅使用 2,200 元，只占缴存总额 20 万元的 1.1%",
        "同期统筹账户增值收益 2.05 万元，支付电梯维修保险保费 1,000 元",
    ]
    assert sentences(served.en, "/funds") == [
        "2024: only ¥2,200 of the ¥200,000 maintenance fund was used (1.1%)",
        "The pooled accounts earned ¥20,500 of value-added income in the same days and paid ¥1,000 of elevator"
        " insurance premiums",
    ]


def test_complaints_compares_before_and_after_insuring(served: Served) -> None:
    with session_of(served) as s:
        page = complaints_page_data(s, Area(city_id=served.city_id), 2024, TODAY, 2021, include_compounds=False)
        findings = complaint_findings(page)
        insured = page.before_after[0]
    zh = sentences(served.zh, "/complaints")
    assert zh == [finding_text(f, "zh") for f in findings][:3]
    assert findings[0].key in ("present.f.complaints.insured", "present.f.complaints.none_insured")
    if insured.compounds:
        assert zh[0].startswith(f"投保满 {insured.months} 个月的 {insured.compounds} 个小区")
    assert zh[-1] == "2024年，电梯类12345工单 2 件，比上年同期（2 件）持平"
    assert sentences(served.en, "/complaints")[-1] == (
        "2024: 2 elevator hotline work orders, level on the same days a year earlier (2)"
    )


def test_red_property_states_projects_and_councils(served: Served) -> None:
    zh = sentences(served.zh, "/red-property", "?city=a&year=2023")
    assert zh[0].startswith("已验收示范项目 1 个；")
    assert zh[1] == "四方议事会累计解决议定事项 1 件，其中2023年解决 1 件"
    with session_of(served) as s:
        page = red_property_page_data(s, Area(city_id=served.city_id), 2023, TODAY, 2021, include_compounds=False)
        assert zh == [finding_text(f, "zh") for f in red_property_findings(page)][:3]
    en = sentences(served.en, "/red-property", "?city=a&year=2023")
    # one of a thing is singular in English ("1 item", never "1 items"): formatting.one_or_many on the count's noun
    assert en[0].startswith("1 demonstration project accepted; "), en[0]
    assert en[1] == "Four-party councils have resolved 1 item in all; 2023: 1"


def test_insurance_value_states_claims_against_premiums(served: Served) -> None:
    """2024: 100,000 fen of premiums, no claim paid (the API's figures); then rescue as `rescue` measures it."""
    with session_of(served) as s:
        area = Area(city_id=served.city_id)
        summary = insurance_summary(s, area, 2024, TODAY)
        assert (summary.premiums_fen, summary.claims_paid_fen) == (100_000, 0)
        rescued = rescue(s, area, 2024)
        page = insurance_value_page(s, area, 2024, TODAY)
        expected = [finding_text(f, "zh") for f in insurance_value_findings(page)][:3]
    zh = sentences(served.zh, "/insurance-value")
    assert zh[0] == "2024年，保险公司赔付 0 元，为所收保费 1,000 元的 0.0%"
    assert zh == expected
    assert zh[-1].startswith("2024年，困人故障" if rescued.incidents else "2024年，没有困人故障记录")
    assert sentences(served.en, "/insurance-value")[0] == (
        "2024: insurers paid ¥0 of claims, 0.0% of the ¥1,000 of premiums they received"
    )


@pytest.mark.parametrize("path", ["/", "/funds", "/elevators", "/complaints", "/red-property", "/insurance-value"])
def test_every_page_states_its_finding_in_the_ui_language(served: Served, path: str) -> None:
    """A lead sentence and at most two supporting ones; English pages speak English (no Chinese outside names)."""
    for client, lang in ((served.zh, "zh"), (served.en, "en")):
        found = headline(client, path)
        assert 1 <= len(found) <= 3
        for text, tone in found:
            assert tone in ("headline-good", "headline-bad", "headline-neutral")
            has_cjk = any("\u4e00" <= ch <= "\u9fff" for ch in text)
            assert has_cjk == (lang == "zh"), (lang, text)
