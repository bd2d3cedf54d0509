"""The compound grids' callbacks spoken to over HTTP, as the browser or an attacker would: straight POSTs to
Dash's callback endpoint.

Security: the grid callbacks take the page's filters from the URL the browser sends, so nothing but the
signed-in session may decide whose rows come back: signed out gets 401, and the demo's Xiangtan leader never
receives a Zhuzhou compound (nor a download). Speed: the warm-up fills exactly the cache keys that the page
renders and the grids' block requests ask for.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import create_app
from data_access import cache as result_cache
from data_access.core.db import make_engine
from data_access.core.models import City, Compound, DatasetInfo, District
from data_access.demo_accounts import DEMO_PASSWORD
from data_access.migrate import upgrade
from data_access.users import create_user
from tests.browser import DEMO_TODAY, seeded_demo_url
from tests.pages_router import render as render_page
from tests.test_auth import PASSWORD, sign_in
from tests.world import build_world

PREFIXES = ("funds", "elevators", "complaints", "red-property")  # the grid of each page: <prefix>-grid


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    url = seeded_demo_url(Path(tmp_path_factory.mktemp("grid-security")))
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "grid-security",
            "TESTING": True,
            "TODAY": DEMO_TODAY,
            "LOGIN_RATE_LIMIT": "100 per minute",
        }
    )
    yield app
    app.extensions["db_engine"].dispose()


def names_of(app: Flask, city_code: str) -> set[str]:
    with Session(app.extensions["db_engine"]) as s:
        return set(
            s.scalars(
                select(Compound.name)
                .join(District, District.id == Compound.district_id)
                .join(City, City.id == District.city_id)
                .where(City.code == city_code)
            )
        )


def a_district_of(app: Flask, city_code: str) -> int:
    with Session(app.extensions["db_engine"]) as s:
        district = s.scalar(select(District.id).join(City).where(City.code == city_code).limit(1))
    assert district is not None
    return district


def client_as(app: Flask, username: str | None, password: str = DEMO_PASSWORD) -> FlaskClient:
    client = app.test_client()
    if username is not None:
        assert sign_in(client, username, password).status_code == 302
    return client


def ask_rows(client: FlaskClient, prefix: str, search: str, sort: list[dict[str, str]] | None = None) -> Any:
    """The grid's getRowsRequest for its first block, as the browser sends it, with the URL's search as State."""
    request = {"startRow": 0, "endRow": 100, "sortModel": sort or [], "filterModel": {}}
    body = {
        "output": f"{prefix}-grid.getRowsResponse",
        "outputs": {"id": f"{prefix}-grid", "property": "getRowsResponse"},
        "inputs": [{"id": f"{prefix}-grid", "property": "getRowsRequest", "value": request}],
        "state": [{"id": f"{prefix}-url", "property": "search", "value": search}],
        "changedPropIds": [f"{prefix}-grid.getRowsRequest"],
    }
    return client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")


def ask_export(client: FlaskClient, prefix: str, search: str, kind: str = "csv") -> Any:
    """A click on the CSV (or Excel) button, with the URL's search and the grid's last request as State."""
    clicked = f"{prefix}-grid-{kind}"
    body = {
        "output": f"{prefix}-grid-download.data",
        "outputs": {"id": f"{prefix}-grid-download", "property": "data"},
        "inputs": [
            {"id": f"{prefix}-grid-csv", "property": "n_clicks", "value": 1 if kind == "csv" else None},
            {"id": f"{prefix}-grid-xlsx", "property": "n_clicks", "value": 1 if kind == "xlsx" else None},
        ],
        "state": [
            {"id": f"{prefix}-url", "property": "search", "value": search},
            {"id": f"{prefix}-grid", "property": "getRowsRequest", "value": None},
        ],
        "changedPropIds": [f"{clicked}.n_clicks"],
    }
    return client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")


def block(response: Any, prefix: str) -> dict[str, Any]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"][f"{prefix}-grid"]["getRowsResponse"]


def text(response: Any) -> str:
    """The whole answer as readable text (ensure_ascii off), so an absent name is really absent."""
    body = response.get_json(silent=True)
    return json.dumps(body, ensure_ascii=False) if body is not None else response.get_data(as_text=True)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_signed_out_gets_401_and_no_rows(server: Flask, prefix: str) -> None:
    client = client_as(server, None)
    for response in (ask_rows(client, prefix, "?city=zhuzhou"), ask_export(client, prefix, "?city=zhuzhou")):
        assert response.status_code == 401
        body = text(response)
        assert "rowData" not in body and "content" not in body
        assert not any(name in body for name in names_of(server, "zhuzhou"))


@pytest.mark.parametrize("prefix", PREFIXES)
def test_city_leader_gets_no_rows_of_another_city(server: Flask, prefix: str) -> None:
    zhuzhou, xiangtan = names_of(server, "zhuzhou"), names_of(server, "xiangtan")
    only_zhuzhou = zhuzhou - xiangtan
    assert only_zhuzhou, "the demo has Zhuzhou compounds of their own names"
    client = client_as(server, "xiangtan")
    other_district = a_district_of(server, "zhuzhou")
    for search in ("?city=zhuzhou", "?city=zhuzhou&year=2022", f"?district={other_district}"):
        response = ask_rows(client, prefix, search)
        assert block(response, prefix) == {"rowData": [], "rowCount": 0}, search
        assert not any(name in text(response) for name in only_zhuzhou), search
        refused = ask_export(client, prefix, search)
        assert refused.status_code == 204, search  # no download at all
        assert not any(name in refused.get_data(as_text=True) for name in only_zhuzhou)
    # Their own city: rows, none of them Zhuzhou's; the province view narrows to their city. A Zhuzhou district with
    # their city is not one of its districts: left out (the page says so), as the page render leaves it out.
    for search in ("?city=xiangtan", "", f"?city=xiangtan&district={other_district}"):
        own = block(ask_rows(client, prefix, search), prefix)
        assert own["rowCount"] > 0 and own["rowData"], search
        assert {r["compound"] for r in own["rowData"]} <= xiangtan  # exact names: one may contain another


@pytest.mark.parametrize("prefix", PREFIXES)
def test_province_leader_gets_zhuzhou_rows_and_a_full_csv(server: Flask, prefix: str) -> None:
    """The control: the same request from a viewer who may see Zhuzhou does return its rows, all of them in the CSV."""
    client = client_as(server, "province")
    rows = block(ask_rows(client, prefix, "?city=zhuzhou"), prefix)
    assert rows["rowCount"] > 0 and {r["compound"] for r in rows["rowData"]} <= names_of(server, "zhuzhou")
    download = ask_export(client, prefix, "?city=zhuzhou").get_json()["response"][f"{prefix}-grid-download"]["data"]
    assert download["filename"] == f"{prefix}-{DEMO_TODAY.year}.csv"
    assert download["content"].startswith("\ufeff")
    table = list(csv.reader(io.StringIO(download["content"].removeprefix("\ufeff"))))
    assert len(table) - 1 == rows["rowCount"]
    assert [r[0] for r in table[1 : len(rows["rowData"]) + 1]] == [r["compound"] for r in rows["rowData"]]


# --------------------------------------------------------------------------- the warm-up fills the grids' keys

CACHED = (
    "data_access.funds.funds_page_data",
    "data_access.elevators.elevators_page_data",
    "data_access.complaints.complaints_page_data",
    "data_access.red_property.red_property_page_data",
    "data_access.red_property.red_property_compounds",
)
PATHS = {"funds": "/funds", "elevators": "/elevators", "complaints": "/complaints", "red-property": "/red-property"}


@pytest.fixture()
def world_server(tmp_path: Path) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path / 'warm.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        build_world(s)
        create_user(s, "lead_a", PASSWORD, "leader", city_code="a")
        create_user(s, "prov", PASSWORD, "leader")
        s.add(DatasetInfo(key="generation", value="one"))
        s.commit()
    engine.dispose()
    from datetime import date

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "TESTING": True, "TODAY": date(2024, 12, 31)})
    yield app
    app.extensions["db_engine"].dispose()


def render(client: FlaskClient, path: str, search: str) -> None:
    status, text = render_page(client, path, search)
    assert status == 200 and "rowData" not in text  # the page carries no grid rows


def test_warming_fills_the_keys_the_pages_and_their_grids_ask_for(world_server: Flask) -> None:
    from pages._warm import warm

    warm(world_server)
    with Session(world_server.extensions["db_engine"]) as s:
        a1 = s.scalar(select(District.id).where(District.name == "甲一区"))
    before = {name: result_cache.CALLS.get(name, 0) for name in CACHED}
    clients = {who: client_as(world_server, who, PASSWORD) for who in ("lead_a", "prov")}
    for who, search in (
        ("lead_a", ""),
        ("prov", ""),
        ("prov", "?city=a"),
        ("lead_a", f"?city=a&district={a1}"),  # a district: where a click on a chart leads
        ("prov", f"?city=a&district={a1}"),
        ("prov", "?city=a&year=2023"),  # last year
    ):
        for prefix, path in PATHS.items():
            render(clients[who], path, search)
            assert block(ask_rows(clients[who], prefix, search), prefix)["rowCount"] > 0, (who, prefix, search)
            sorted_block = ask_rows(clients[who], prefix, search, [{"colId": "compound", "sort": "desc"}])
            assert block(sorted_block, prefix)["rowCount"] > 0
    assert {name: result_cache.CALLS.get(name, 0) for name in CACHED} == before  # every one a hit
