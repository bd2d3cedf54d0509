"""The indicator pages' navigation callbacks (pages/_grid.py: register_navigation) as Dash serves them: each page
has one filter→URL and one open-compound callback on its own ids, and they write the same URLs as the four copies
they replaced did: a changed city drops the district, a district chart click picks the district (and, where the
chart's customdata carries it, the city), a click on a compound's name opens its view."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app import create_app
from data_access.core.db import make_engine
from data_access.migrate import upgrade
from data_access.users import create_user
from tests.test_auth import PASSWORD, sign_in

PREFIXES = ("funds", "elevators", "complaints", "red-property")
CITY_PICKING = ("elevators", "complaints", "red-property")  # their district charts' customdata: [district, city, …]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('page-filters')) / 'page-filters.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        create_user(s, "prov", PASSWORD, "leader")
        s.commit()
    engine.dispose()
    app: Flask = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "TESTING": True, "TODAY": date(2024, 12, 31)})
    test_client = app.test_client()
    assert sign_in(test_client, "prov").status_code == 302
    yield test_client
    app.extensions["db_engine"].dispose()


def to_url(
    client: FlaskClient,
    prefix: str,
    trigger: str,
    *,
    city: str = "province",
    district: str = "",
    year: int = 2024,
    click: dict[str, Any] | None = None,
    search: str = "",
) -> Any:
    """The filter→URL callback as the browser calls it when `trigger` (city, district, year, district-chart)
    changed; the answer's new search, or None when the callback did not update (Dash answers 204)."""
    body = {
        "output": f"{prefix}-url.search",
        "outputs": {"id": f"{prefix}-url", "property": "search"},
        "inputs": [
            {"id": f"{prefix}-city", "property": "value", "value": city},
            {"id": f"{prefix}-district", "property": "value", "value": district},
            {"id": f"{prefix}-year", "property": "value", "value": year},
            {"id": f"{prefix}-district-chart", "property": "clickData", "value": click},
        ],
        "state": [{"id": f"{prefix}-url", "property": "search", "value": search}],
        "changedPropIds": [f"{prefix}-{trigger}.{'clickData' if trigger == 'district-chart' else 'value'}"],
    }
    r = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    if r.status_code == 204:
        return None
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_json()["response"].get(f"{prefix}-url", {}).get("search")


def open_compound(client: FlaskClient, prefix: str, cell: dict[str, Any] | None) -> Any:
    body = {
        "output": f"{prefix}-url.href",
        "outputs": {"id": f"{prefix}-url", "property": "href"},
        "inputs": [{"id": f"{prefix}-grid", "property": "cellClicked", "value": cell}],
        "changedPropIds": [f"{prefix}-grid.cellClicked"],
    }
    r = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    if r.status_code == 204:
        return None
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_json()["response"][f"{prefix}-url"]["href"]


def _ids(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(i["id"], i["property"]) for i in items]


def test_each_page_has_one_filter_and_one_compound_callback(client: FlaskClient) -> None:
    distinct = {json.dumps(c, sort_keys=True): c for c in client.get("/_dash-dependencies").get_json()}
    callbacks = list(distinct.values())
    for prefix in PREFIXES:
        searches = [c for c in callbacks if c["output"] == f"{prefix}-url.search"]
        assert len(searches) == 1, prefix
        assert _ids(searches[0]["inputs"]) == [
            (f"{prefix}-city", "value"),
            (f"{prefix}-district", "value"),
            (f"{prefix}-year", "value"),
            (f"{prefix}-district-chart", "clickData"),
        ]
        assert _ids(searches[0]["state"]) == [(f"{prefix}-url", "search")]
        assert searches[0]["prevent_initial_call"] is True
        hrefs = [c for c in callbacks if c["output"] == f"{prefix}-url.href"]
        assert len(hrefs) == 1, prefix
        assert _ids(hrefs[0]["inputs"]) == [(f"{prefix}-grid", "cellClicked")]
        assert hrefs[0]["state"] == []
        assert hrefs[0]["prevent_initial_call"] is True


@pytest.mark.parametrize("prefix", PREFIXES)
def test_filters_go_to_the_url(client: FlaskClient, prefix: str) -> None:
    assert to_url(client, prefix, "year", year=2023) == "?year=2023"
    assert to_url(client, prefix, "city", city="a", year=2024, search="?year=2024") == "?city=a&year=2024"
    # A new city drops the district (it belongs to the old one); the same city keeps it.
    assert to_url(client, prefix, "city", city="b", district="7", search="?city=a&district=7") == "?city=b&year=2024"
    same = "?city=a&district=7&year=2024"
    assert to_url(client, prefix, "city", city="a", district="7", search=same) is None  # no change: no update
    assert to_url(client, prefix, "district", city="a", district="8", search=same) == "?city=a&district=8&year=2024"
    assert to_url(client, prefix, "district", city="a", district="", search=same) == "?city=a&year=2024"
    assert to_url(client, prefix, "year", city="province", district="", year=2024) == "?year=2024"


@pytest.mark.parametrize("prefix", PREFIXES)
def test_an_empty_chart_click_changes_nothing(client: FlaskClient, prefix: str) -> None:
    assert to_url(client, prefix, "district-chart", click=None) is None
    assert to_url(client, prefix, "district-chart", click={"points": []}) is None


def test_a_funds_district_click_keeps_the_city(client: FlaskClient) -> None:
    click = {"points": [{"customdata": 7}]}
    assert to_url(client, "funds", "district-chart", city="a", click=click) == "?city=a&district=7&year=2024"
    assert to_url(client, "funds", "district-chart", click=click) == "?district=7&year=2024"
    assert to_url(client, "funds", "district-chart", city="a", click={"points": [{}]}) == "?city=a&year=2024"


@pytest.mark.parametrize("prefix", CITY_PICKING)
def test_a_district_click_picks_its_city_too(client: FlaskClient, prefix: str) -> None:
    click = {"points": [{"customdata": [7, "b"]}]}
    assert to_url(client, prefix, "district-chart", click=click) == "?city=b&district=7&year=2024"
    assert to_url(client, prefix, "district-chart", city="a", click=click) == "?city=b&district=7&year=2024"
    shorts: list[dict[str, Any]] = [{"points": [{}]}, {"points": [{"customdata": [7]}]}]
    for short in shorts:
        assert to_url(client, prefix, "district-chart", click=short) is None


def test_only_the_elevators_chart_may_carry_more_than_district_and_city(client: FlaskClient) -> None:
    """The elevators chart's customdata ends with its hover's figures; the others' carry exactly two values."""
    longer = {"points": [{"customdata": [7, "b", 12, 340]}]}
    assert to_url(client, "elevators", "district-chart", click=longer) == "?city=b&district=7&year=2024"
    assert to_url(client, "complaints", "district-chart", click=longer) is None
    assert to_url(client, "red-property", "district-chart", click=longer) is None


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_click_on_a_compound_name_opens_its_view(client: FlaskClient, prefix: str) -> None:
    assert open_compound(client, prefix, {"colId": "compound", "rowId": "42"}) == "/compound?id=42"
    assert open_compound(client, prefix, {"colId": "district", "rowId": "42"}) is None
    assert open_compound(client, prefix, {"colId": "compound", "rowId": "x"}) is None
    assert open_compound(client, prefix, None) is None
