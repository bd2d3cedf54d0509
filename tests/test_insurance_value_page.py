"""/insurance-value and the data-sharing API agree (issue 16's "a test that the pages and the API agree").

The world is tests/figures_world.py (every figure worked by hand in tests/test_insurance_figures.py), served on
SQLite and PostgreSQL with today = 2026-05-20. For each city, district and year asked, the same signed-in reader
gets GET /api/v1/indicators and the rendered page; the page's assembler (data_access/insurance_value.py) must carry
exactly the API's premiums, claims paid, loss ratio, rescue median and the insured/uninsured shares answered
within 30 minutes, and the page's cards must show those numbers. The assembler is also checked against the figure
functions it gathers, on both engines through the shared `session` fixture.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import create_app
from components.formatting import exact_money, money, percent
from components.i18n import t
from components.insurance_value import minutes
from data_access.core.db import make_engine
from data_access.core.models import City, District
from data_access.core.scope import Area
from data_access.insurance_figures import (
    insurance_summary,
    loss_ratios,
    maintenance_league,
    major_repairs,
    repair_cost,
    rescue,
)
from data_access.insurance_value import insurance_value_page
from data_access.migrate import upgrade
from data_access.users import create_user
from tests.conftest import make_database_url
from tests.figures_world import TODAY, YEAR, build_figures_world
from tests.pages_router import router_body
from tests.test_auth import PASSWORD, find_prop, sign_in

PATH = "/insurance-value"
CARD = "insurance-value-card-{}-value"


@dataclass
class Served:
    app: Flask
    city_reader: FlaskClient  # leader of 效益甲市 (code fa)
    province_reader: FlaskClient  # province leader
    press: FlaskClient


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The figures world in a database of its own per engine, served by the app, with three signed-in readers."""
    for url in make_database_url(request.param, Path(tmp_path_factory.mktemp(f"value-{request.param}"))):
        upgrade(url)
        engine = make_engine(url)
        with Session(engine) as s:
            build_figures_world(s)
            create_user(s, "lead_fa", PASSWORD, "leader", city_code="fa")
            create_user(s, "lead_province", PASSWORD, "leader")
            create_user(s, "reporter", PASSWORD, "press")
            s.commit()
        engine.dispose()
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "TESTING": True, "TODAY": TODAY})
        clients = []
        for username in ("lead_fa", "lead_province", "reporter"):
            client = app.test_client()
            assert sign_in(client, username).status_code == 302
            clients.append(client)
        yield Served(app, *clients)
        app.extensions["db_engine"].dispose()


def api(client: FlaskClient, query: str) -> dict[str, Any]:
    r = client.get(f"/api/v1/indicators?{query}")
    assert r.status_code == 200, r.get_data(as_text=True)
    body = r.get_json()
    assert isinstance(body, dict)
    return body


def page(client: FlaskClient, search: str) -> Any:
    """The page's layout as the browser receives it (Dash Pages' router callback)."""
    r = client.post(
        "/_dash-update-component", data=json.dumps(router_body(PATH, search)), content_type="application/json"
    )
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_json()["response"]["_pages_content"]["children"]


def text_of(node: object) -> str:
    """Every string in a component tree, in order (a card's notes, a table)."""
    if isinstance(node, str):
        return node
    if isinstance(node, dict):
        props = node.get("props")
        return text_of(props.get("children")) if isinstance(props, dict) else ""
    if isinstance(node, list):
        return " ".join(text_of(n) for n in node)
    return ""


def card(layout: object, name: str) -> str:
    props = find_prop(layout, "id", CARD.format(name))
    assert props is not None, f"no {name} card"
    return str(props["children"])


def fen(yuan: str) -> int:
    value = Decimal(yuan) * 100
    assert value == value.to_integral_value()
    return int(value)


def dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def area_of(s: Session, city: str | None, district: str | None) -> Area:
    if district is not None:
        return Area(district_id=s.scalar(select(District.id).where(District.name == district)))
    if city is not None:
        return Area(city_id=s.scalar(select(City.id).where(City.code == city)))
    return Area()


def search_of(s: Session, city: str | None, district: str | None, year: int) -> str:
    parts = []
    if city:
        parts.append(f"city={city}")
    if district:
        parts.append(f"district={s.scalar(select(District.id).where(District.name == district))}")
    return "?" + "&".join([*parts, f"year={year}"])


# (reader, city code, district name, year): a city, one of its districts, the province, and the current year so far
CASES = [
    ("city_reader", "fa", None, YEAR),
    ("city_reader", "fa", "效甲二区", YEAR),
    ("province_reader", None, None, YEAR),
    ("press", None, None, YEAR),
    ("city_reader", "fa", None, TODAY.year),
]


@pytest.mark.parametrize(("reader", "city", "district", "year"), CASES)
def test_the_page_and_the_api_agree(
    served: Served, reader: str, city: str | None, district: str | None, year: int
) -> None:
    client: FlaskClient = getattr(served, reader)
    with Session(served.app.extensions["db_engine"]) as s:
        area = area_of(s, city, district)
        search = search_of(s, city, district, year)
        data = insurance_value_page(s, area, year, TODAY)
    body = api(client, "&".join(f"{k}={v}" for k, v in (("year", year), ("city", city), ("district", district)) if v))
    ins, lifts = body["insurance"], body["elevators"]

    # The page's data are the API's numbers, exactly.
    summary = data.summary
    assert summary.as_of.isoformat() == body["as_of"]
    assert summary.premiums_fen == fen(ins["premiums_yuan"])
    assert summary.claims_paid_fen == fen(ins["claims_paid_yuan"])
    assert summary.loss_ratio == dec(ins["loss_ratio"])
    assert summary.rescue_arrival_median_minutes == dec(lifts["rescue_arrival_median_min"])
    assert summary.insured_answered_30min_share == dec(lifts["insured_answered_30min_share"])
    assert summary.uninsured_answered_30min_share == dec(lifts["uninsured_answered_30min_share"])
    # …and the breakdowns under the cards add up to them.
    total = data.loss.total
    assert (total.premiums_fen, total.claims_paid_fen, total.loss_ratio) == (
        summary.premiums_fen, summary.claims_paid_fen, summary.loss_ratio,
    )  # fmt: skip
    assert data.rescue.arrival_median_minutes == summary.rescue_arrival_median_minutes

    # The rendered cards show those numbers.
    layout = page(client, search)
    assert card(layout, "premiums") == money(fen(ins["premiums_yuan"]), "zh")
    assert card(layout, "claims") == money(fen(ins["claims_paid_yuan"]), "zh")
    assert card(layout, "loss-ratio") == percent(dec(ins["loss_ratio"]), "zh")
    median = dec(lifts["rescue_arrival_median_min"])
    assert card(layout, "rescue") == ("—" if median is None else t("value.card.rescue.value", "zh", m=minutes(median)))
    assert card(layout, "response") == percent(dec(lifts["insured_answered_30min_share"]), "zh")
    uninsured = find_prop(layout, "id", "insurance-value-card-response-uninsured")
    assert uninsured is not None
    assert percent(dec(lifts["uninsured_answered_30min_share"]), "zh") in text_of(uninsured["children"])
    # The district table's total row is the API's premiums and claims to the fen.
    table = find_prop(layout, "id", "insurance-value-district-table")
    assert table is not None
    totals = text_of(table["children"]).split(t("value.total", "zh"))[-1]
    assert exact_money(fen(ins["premiums_yuan"]), "zh") in totals
    assert exact_money(fen(ins["claims_paid_yuan"]), "zh") in totals
    # The by-city table is the province view's.
    assert (find_prop(layout, "id", "insurance-value-city-table") is not None) == (city is None)


def test_hand_computed_figures_on_the_page(served: Served) -> None:
    """效益甲市, 2025 (tests/test_api.py: test_insurance_fields_hand_computed): premiums 7,200.00 yuan against claims
    4,300.00 → 59.7 %; rescue arrivals 12, 30 and 45.5 min → median 30; answered within 30 minutes: insured 4/6,
    uninsured 1/2. Read off the page as a person would."""
    layout = page(served.city_reader, f"?city=fa&year={YEAR}")
    assert card(layout, "loss-ratio") == "59.7%"
    assert card(layout, "rescue") == "30.0 分钟"
    assert card(layout, "response") == "66.7%"
    uninsured = find_prop(layout, "id", "insurance-value-card-response-uninsured")
    assert uninsured is not None and "50.0%" in text_of(uninsured["children"])
    table = find_prop(layout, "id", "insurance-value-district-table")
    assert table is not None
    assert "7,200.00 元" in text_of(table["children"]) and "4,300.00 元" in text_of(table["children"])
    english = served.app.test_client()
    sign_in(english, "lead_fa")
    english.get("/lang/en")
    layout = page(english, f"?city=fa&year={YEAR}")
    assert card(layout, "loss-ratio") == "59.7%" and card(layout, "rescue") == "30.0 min"


def test_a_city_reader_is_refused_another_city(served: Served) -> None:
    """The page narrows to the viewer as the API does: 效益甲市's leader gets no 效益乙市 figures from either."""
    assert served.city_reader.get("/api/v1/indicators?year=2025&city=fb").status_code == 403
    layout = page(served.city_reader, f"?city=fb&year={YEAR}")
    assert find_prop(layout, "id", "forbidden") is not None
    assert find_prop(layout, "id", CARD.format("premiums")) is None


def test_the_assembler_gathers_the_figure_functions(session: Session) -> None:
    """On both engines: every part of the page's data is what its figure function returns (nothing recomputed)."""
    build_figures_world(session)
    session.flush()
    for area in (Area(city_id=session.scalar(select(City.id).where(City.code == "fa"))), Area()):
        data = insurance_value_page(session, area, YEAR, TODAY)
        assert data.summary == insurance_summary(session, area, YEAR, TODAY)
        assert data.loss == loss_ratios(session, area, YEAR)
        assert data.repair == repair_cost(session, area, YEAR)
        assert data.major == major_repairs(session, area, YEAR)
        assert data.rescue == rescue(session, area, YEAR)
        assert data.league == maintenance_league(session, area, YEAR)
        assert data.as_of == date(YEAR, 12, 31)
    assert (data.loss.total.premiums_fen, data.loss.total.claims_paid_fen) == (920_000, 550_000)  # with 效益乙市


@pytest.mark.parametrize(
    "search",
    ["?year=abc&year=2025", "?city=atlantis", "?city=fa&district=999999", "?year=1999", "?district=x&year=2025"],
)
def test_a_bad_link_still_shows_the_page(served: Served, search: str) -> None:
    """Junk in the link is left out with a notice (pages/_urlargs.py), as on every indicator page: never a 500."""
    layout = page(served.province_reader, search)
    assert "Traceback" not in json.dumps(layout)
    assert has_number(card(layout, "premiums"))


def has_number(text: str) -> bool:
    return any(c.isdigit() for c in text)
