"""/insurance on the `small` demo, spoken to over Dash's callback endpoint as the browser does (issue 18): the page
carries no application rows (its grid asks for blocks) and stays small; the blocks come sorted and filtered from the
server for the signed-in reader only (the press's without names); the renewal worklist shows its first rows with how
many there are and finds the others on the server; a tab is opened by its own URL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app import create_app
from data_access.core.scope import Area
from data_access.insurance import RENEWALS_SHOWN, application_rows, renewal_rows
from tests.browser import DEMO_TODAY, seeded_demo_url
from tests.pages_router import router_body
from tests.test_council_security import key_for, outputs_of
from tests.test_grid_callbacks import client_as

PAGE_BOUND = 40_000  # bytes of the /insurance answer at `small` (it was 120 KB with every row; city: 1,073 KB)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    url = seeded_demo_url(Path(tmp_path_factory.mktemp("insurance-grid")))
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "insurance-grid",
            "TESTING": True,
            "TODAY": DEMO_TODAY,
            "LOGIN_RATE_LIMIT": "100 per minute",
        }
    )
    yield app
    app.extensions["db_engine"].dispose()


def page(client: FlaskClient, search: str = "") -> tuple[int, bytes]:
    r = client.post(
        "/_dash-update-component",
        data=json.dumps(router_body("/insurance", search)),
        content_type="application/json",
    )
    return r.status_code, r.get_data()


def ask(client: FlaskClient, input_id: str, inputs: list[tuple[str, str, Any]], search: str) -> Any:
    """A callback of the page, fired by `input_id`, with the page URL's search as its State."""
    key = key_for(client.application, input_id)
    body = {
        "output": key,
        "outputs": outputs_of(key),
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": "ins-url", "property": "search", "value": search}],
        "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
    }
    return client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")


def block(client: FlaskClient, search: str = "", **request: Any) -> dict[str, Any]:
    wanted = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}, **request}
    r = ask(client, "ins-grid", [("ins-grid", "getRowsRequest", wanted)], search)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    answer: dict[str, Any] = r.get_json()["response"]["ins-grid"]["getRowsResponse"]
    return answer


def area_of(server: Flask, code: str | None) -> Area:
    from data_access.core.models import City

    with Session(server.extensions["db_engine"]) as s:
        city = s.query(City).filter_by(code=code).one() if code else None
        return Area(city_id=city.id if city else None)


def test_the_page_carries_no_rows_and_stays_small(server: Flask) -> None:
    client = client_as(server, "province")
    for search in ("", "?city=zhuzhou", "?city=xiangtan"):
        status, body = page(client, search)
        text = body.decode()
        assert status == 200 and "ins-grid" in text and '"rowModelType":"infinite"' in text, search
        assert "rowData" not in text, search
        assert len(body) < PAGE_BOUND, (search, len(body))
    status, body = page(client, "?tab=renewals&days=365")
    assert status == 200 and len(body) < PAGE_BOUND + 40_000
    assert body.decode().count('"policy_id"') <= RENEWALS_SHOWN


def test_a_block_is_the_list_sorted_and_filtered_on_the_server(server: Flask) -> None:
    client = client_as(server, "province")
    with Session(server.extensions["db_engine"]) as s:
        every = application_rows(s, area_of(server, "xiangtan"), DEMO_TODAY, redact=False)
    got = block(client, "?city=xiangtan", endRow=20, sortModel=[{"colId": "filed_on", "sort": "desc"}])
    assert got["rowCount"] == len(every) > 0
    assert [r["row_id"] for r in got["rowData"]] == [str(r.id) for r in every[:20]]
    assert got["rowData"][0]["id"] == f"[#{every[0].id}](/insurance/application?id={every[0].id})"
    oldest = block(client, "?city=xiangtan", endRow=1, sortModel=[{"colId": "filed_on", "sort": "asc"}])
    assert oldest["rowData"][0]["filed_on"] == min(r.filed_on for r in every).isoformat()
    purchased = block(
        client, "?city=xiangtan", filterModel={"stage": {"filterType": "text", "type": "equals", "filter": "已投保"}}
    )
    assert purchased["rowCount"] == sum(1 for r in every if r.stage.value == "purchased")
    assert {r["stage"] for r in purchased["rowData"]} == {"已投保"}
    name = every[0].compound
    mine = block(
        client, "?city=xiangtan", filterModel={"compound": {"filterType": "text", "type": "contains", "filter": name}}
    )
    assert mine["rowCount"] == sum(1 for r in every if name in r.compound)
    province = block(client)
    with Session(server.extensions["db_engine"]) as s:
        assert province["rowCount"] == len(application_rows(s, Area(), DEMO_TODAY, redact=True))
    assert len(block(client, startRow=0, endRow=5000)["rowData"]) <= 1000  # one request reads at most 1,000 rows


def test_only_the_reader_s_rows_and_no_names_for_the_press(server: Flask) -> None:
    press = client_as(server, "press")
    status, body = page(press, "?city=xiangtan")
    assert status == 200 and "申请人" not in body.decode()
    rows = block(press, "?city=xiangtan")["rowData"]
    assert rows and {r["applicant"] for r in rows} == {""}
    sorted_by_name = block(press, "?city=xiangtan", sortModel=[{"colId": "applicant", "sort": "asc"}])["rowData"]
    assert [r["row_id"] for r in sorted_by_name] == [r["row_id"] for r in rows]  # no order of names either
    xiangtan = client_as(server, "xiangtan")
    assert block(xiangtan, "?city=zhuzhou") == {"rowData": [], "rowCount": 0}
    with Session(server.extensions["db_engine"]) as s:
        own = len(application_rows(s, area_of(server, "xiangtan"), DEMO_TODAY, redact=False))
    assert block(xiangtan)["rowCount"] == own  # the province view narrowed to the leader's city
    organiser = ask(client_as(server, "organiser"), "ins-grid", [("ins-grid", "getRowsRequest", {"startRow": 0})], "")
    assert organiser.status_code != 200 or organiser.get_json()["response"]["ins-grid"]["getRowsResponse"] == {
        "rowData": [],
        "rowCount": 0,
    }
    signed_out = ask(server.test_client(), "ins-grid", [("ins-grid", "getRowsRequest", {"startRow": 0})], "")
    assert signed_out.status_code == 401


def test_the_worklist_shows_its_first_rows_and_searches_on_the_server(server: Flask) -> None:
    clerk = client_as(server, "xiangtan-fund")
    with Session(server.extensions["db_engine"]) as s:
        every = renewal_rows(s, area_of(server, "xiangtan"), DEMO_TODAY, 365)
    assert every
    status, body = page(clerk, "?tab=renewals&days=365")
    text = body.decode()
    assert status == 200 and "ins-renew-grid" in text and "ins-renew" in text
    assert text.count('"policy_id"') == min(len(every), RENEWALS_SHOWN)
    code = every[-1].elevator_code
    r = ask(clerk, "ins-renew-search", [("ins-renew-search", "value", code)], "?tab=renewals&days=365")
    assert r.status_code == 200
    found = r.get_json()["response"]
    rows = found["ins-renew-grid"]["rowData"]
    assert rows and all(code.lower() in json.dumps(row, ensure_ascii=False).lower() for row in rows)
    assert code in {row["elevator"] for row in rows}
    assert "找到" in found["ins-renew-count"]["children"]


def test_a_tab_is_opened_by_its_url(server: Flask) -> None:
    clerk = client_as(server, "xiangtan-fund")
    r = ask(clerk, "ins-tabs", [("ins-tabs", "active_tab", "renewals")], "?city=xiangtan&days=90")
    assert r.status_code == 200
    assert r.get_json()["response"]["ins-url"]["href"] == "/insurance?city=xiangtan&days=90&tab=renewals"
    same = ask(clerk, "ins-tabs", [("ins-tabs", "active_tab", "renewals")], "?tab=renewals")
    assert same.status_code == 204  # already open: nothing to do
    status, body = page(clerk, "?tab=new")
    assert status == 200 and "if-compound" in body.decode() and "ins-grid" not in body.decode()
