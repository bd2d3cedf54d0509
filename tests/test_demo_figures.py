"""The `city` demo reproduces every published Zhuzhou figure through the product's own queries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app import create_app
from components.formatting import count, money, percent
from data_access.compounds import compound_profile, find_compound_id
from data_access.core.db import make_engine
from data_access.core.scope import Area
from data_access.demo_accounts import DEMO_PASSWORD
from data_access.geography import city_by_code
from data_access.indicators import coverage_targets, elevator_complaints, fund_summary, red_property_summary
from tests.browser import seeded_demo_url
from tests.test_auth import sign_in

pytestmark = pytest.mark.slow

END_2021 = date(2021, 12, 31)
ARTICLE_DAY = date(2022, 8, 26)  # seed 000's national seminar, 25–26 August 2022
END_2022 = date(2022, 12, 31)
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return seeded_demo_url(Path(tmp_path_factory.mktemp("city")), scale="city")


@pytest.fixture(scope="module")
def demo(demo_url: str) -> Iterator[Session]:
    engine = make_engine(demo_url)
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
    assert money(f.used_in_year_fen, "zh") == "2,700 万元"
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
    assert [(j.due_on, j.share) for j in judged] == [
        (date(2024, 12, 31), Decimal("0.4")),
        (date(2025, 12, 31), Decimal("1")),
    ]
    assert judged[0].status == "met"
    assert all(j.coverage is not None for j in judged)


def _card_values(client, search: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Render the overview through Dash's own callback endpoint, as the browser does, and read the cards."""
    body = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": "/"},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
    r = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 200
    values: dict[str, str] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and str(props.get("id", "")).endswith("-value"):
                values[props["id"]] = props["children"]
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(r.get_json())
    return values


def test_api_and_overview_agree_on_2021_zhuzhou(demo_url: str) -> None:
    """The must-hold figures through the API, and the page showing the very same numbers."""
    server = create_app({"DATABASE_URL": demo_url, "SECRET_KEY": "t", "TESTING": True, "TODAY": TODAY})
    token = server.test_cli_runner().invoke(args=["create-token", "figures"]).output.strip()
    client = server.test_client()
    api = client.get("/api/v1/indicators?year=2021&city=株洲市", headers={"Authorization": f"Bearer {token}"}).json
    assert api["as_of"] == "2021-12-31" and api["demo_data"] is True
    assert Decimal(api["fund"]["used_yuan"]) == Decimal("27000000.00")
    assert Decimal("4500000000") <= Decimal(api["fund"]["deposits_total_yuan"]) < Decimal("4600000000")
    assert round(Decimal(api["fund"]["usage_rate"]) * 100, 1) == Decimal("0.6")
    assert api["complaints"]["elevator_work_orders"] == 3033

    sign_in(client, "province", DEMO_PASSWORD)
    cards = _card_values(client, "?city=zhuzhou&year=2021")
    fen = lambda yuan: int(Decimal(yuan) * 100)  # noqa: E731
    assert cards["card-deposits-value"] == money(fen(api["fund"]["deposits_total_yuan"]), "zh")
    assert cards["card-usage-value"] == percent(Decimal(api["fund"]["usage_rate"]), "zh", 2)
    assert cards["card-complaints-value"] == f"{count(api['complaints']['elevator_work_orders'], 'zh')} 件"
    assert cards["card-insured-value"] == f"{count(api['elevators']['insured'], 'zh')} 台"
    assert cards["card-council-value"] == f"{count(api['red_property']['council_items_resolved'], 'zh')} 件"
    server.extensions["db_engine"].dispose()
