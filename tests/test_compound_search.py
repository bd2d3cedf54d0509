"""The navbar's compound search, spoken to as an attacker would: straight POSTs to Dash's callback endpoint as a
Zhuzhou leader, as the press, as a Xiangtan clerk, as an organiser and signed out. Suggestions come only from the
compounds the signed-in account may open (its cities, the rule of /compound), whatever the request carries; the text
is matched literally; a forged choice opens nothing more than typing its address would.

Also the query itself on both engines (tests/world.py's compounds).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app import create_app
from data_access.compounds import SEARCH_LIMIT, search_compounds
from data_access.core.clock import CITY_TZ
from data_access.core.db import make_engine
from data_access.core.models import (
    AgendaCategory,
    AgendaItem,
    AgendaOutcome,
    City,
    Compound,
    CouncilMeeting,
    CouncilParty,
    District,
    Province,
    Role,
)
from data_access.migrate import upgrade
from data_access.users import create_user
from tests.pages_router import render
from tests.test_auth import PASSWORD, sign_in
from tests.test_council_security import outputs_of
from tests.world import build_world

TODAY = date(2026, 11, 23)


def _compound(s: Session, district: District, name: str) -> Compound:
    c = Compound(district_id=district.id, name=name, households=100, residents=300, completed_on=date(2010, 1, 1))
    s.add(c)
    return c


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Flask]:
    """株洲市: 山水文园 (a meeting with a published and an unpublished item, convened by 张三) and 满意100%小区; 湘潭市:
    山水华庭 and 湘江明珠."""
    url = f"sqlite:///{tmp_path / 'search.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        p = Province(code="hn", name="湖南省", name_en="Hunan")
        zz = City(province=p, code="zhuzhou", name="株洲市", name_en="Zhuzhou")
        xt = City(province=p, code="xiangtan", name="湘潭市", name_en="Xiangtan")
        tianyuan = District(city=zz, name="天元区", name_en="Tianyuan")
        yuetang = District(city=xt, name="岳塘区", name_en="Yuetang")
        s.add_all([p, zz, xt, tianyuan, yuetang])
        s.flush()
        ids = {
            name: _compound(s, d, name)
            for name, d in (
                ("山水文园", tianyuan),
                ("满意100%小区", tianyuan),
                ("山水华庭", yuetang),
                ("湘江明珠", yuetang),
            )
        }
        s.flush()
        meeting = CouncilMeeting(
            compound_id=ids["山水文园"].id,
            held_at=datetime(2026, 10, 8, 19, 30, tzinfo=CITY_TZ),
            venue="红色议事厅",
            convener="张三",
            notice_from=date(2026, 10, 10),
            notice_to=date(2026, 10, 17),
        )
        s.add(meeting)
        s.flush()
        for position, (title, published) in enumerate((("加装电梯意见征集", True), ("停车难问题", False))):
            s.add(
                AgendaItem(
                    meeting_id=meeting.id,
                    position=position,
                    title=title,
                    category=AgendaCategory.other,
                    raising_party=CouncilParty.residents,
                    outcome=AgendaOutcome.resolved,
                    resolved_on=date(2026, 10, 8),
                    published_at=datetime(2026, 10, 10, tzinfo=CITY_TZ) if published else None,
                )
            )
        create_user(s, "zhuzhou", PASSWORD, Role.leader, city_code="zhuzhou")
        create_user(s, "province", PASSWORD, Role.leader)
        create_user(s, "press", PASSWORD, Role.press)
        create_user(s, "xiangtan-data", PASSWORD, Role.data_steward, city_code="xiangtan")
        create_user(s, "organiser", PASSWORD, Role.organiser, compound_ids=[ids["山水文园"].id])
        s.commit()
        app_ids = {name: c.id for name, c in ids.items()} | {"meeting": meeting.id}
    engine.dispose()
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "TODAY": TODAY,
            "LOGIN_RATE_LIMIT": "100 per minute",
            "LOGIN_ADDRESS_RATE_LIMIT": "100 per minute",
        }
    )
    app.config["IDS"] = app_ids
    yield app
    app.extensions["db_engine"].dispose()


def client_as(app: Flask, username: str | None) -> FlaskClient:
    client = app.test_client()
    if username is not None:
        assert sign_in(client, username).status_code == 302
    return client


def _key(app: Flask, prop: str) -> str:
    """The callback listening to the navbar box's `prop` (search_value: suggest; value: open)."""
    app.test_client().get("/healthz")  # Dash moves its callbacks onto the app on the first request
    callbacks = app.extensions["dash_app"].callback_map
    return next(k for k, v in callbacks.items() if {"id": "nav-compound-search", "property": prop} in v["inputs"])


def post(client: FlaskClient, prop: str, value: Any, state: list[dict[str, Any]] | None = None) -> Any:
    key = _key(client.application, prop)
    body = {
        "output": key,
        "outputs": outputs_of(key),
        "inputs": [{"id": "nav-compound-search", "property": prop, "value": value}],
        "state": state or [],
        "changedPropIds": [f"nav-compound-search.{prop}"],
    }
    return client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")


def suggest(client: FlaskClient, text: Any) -> tuple[int, list[str]]:
    r = post(client, "search_value", text)
    options = ((r.get_json(silent=True) or {}).get("response") or {}).get("nav-compound-search", {}).get("options")
    return r.status_code, [o["label"] for o in options or []]


def test_signed_out_gets_nothing(server: Flask) -> None:
    status, names = suggest(client_as(server, None), "山水")
    assert status == 401 and names == []
    assert post(client_as(server, None), "value", str(server.config["IDS"]["山水华庭"])).status_code == 401


def test_a_city_leader_is_offered_only_their_citys_compounds(server: Flask) -> None:
    zhuzhou = client_as(server, "zhuzhou")
    assert suggest(zhuzhou, "山水") == (200, ["山水文园 · 株洲市天元区"])
    assert suggest(zhuzhou, "湘江") == (200, [])  # another city's name gets nothing
    assert suggest(zhuzhou, "华庭") == (200, [])
    assert suggest(zhuzhou, "%") == (200, ["满意100%小区 · 株洲市天元区"])  # literal: not a LIKE pattern
    assert suggest(zhuzhou, "_") == (200, [])
    status, names = suggest(zhuzhou, "山" * 10_000)  # read as its first 50 characters
    assert (status, names) == (200, [])
    assert suggest(zhuzhou, "   ")[1] == []  # nothing typed: nothing asked
    # A forged payload (a list, a number) is refused without an answer from the database.
    assert suggest(zhuzhou, ["山水"])[1] == [] and suggest(zhuzhou, 5)[1] == []


def test_other_roles_are_offered_what_they_may_open(server: Flask) -> None:
    ids = server.config["IDS"]
    assert suggest(client_as(server, "xiangtan-data"), "山水") == (200, ["山水华庭 · 湘潭市岳塘区"])
    assert suggest(client_as(server, "organiser"), "山水") == (200, ["山水文园 · 株洲市天元区"])
    both = ["山水华庭 · 湘潭市岳塘区", "山水文园 · 株洲市天元区"]
    assert sorted(suggest(client_as(server, "province"), "山水")[1]) == both
    # The press may open every compound's view (aggregate figures): every suggestion opens.
    press = client_as(server, "press")
    assert sorted(suggest(press, "山水")[1]) == both
    for name in ("山水华庭", "山水文园"):
        status, page = render(press, "/compound", f"?id={ids[name]}")
        assert status == 200 and "compound-insured" in page and "not-found" not in page


def test_choosing_opens_the_view_which_checks_the_viewer_itself(server: Flask) -> None:
    ids = server.config["IDS"]
    zhuzhou = client_as(server, "zhuzhou")
    r = post(zhuzhou, "value", str(ids["山水文园"]))
    response = r.get_json()["response"]
    assert response["nav-search-url"]["href"] == f"/compound?id={ids['山水文园']}"
    assert response["nav-compound-search"]["value"] is None  # the box empties
    # A forged choice of another city's compound: its address, whose page answers as for no compound at all.
    forged = post(zhuzhou, "value", str(ids["山水华庭"])).get_json()["response"]["nav-search-url"]["href"]
    _, page = render(zhuzhou, "/compound", forged.removeprefix("/compound"))
    assert "not-found" in page and "山水华庭" not in page and "compound-insured" not in page
    for junk in ("1 OR 1=1", "-3", "", None, "javascript:alert(1)"):
        assert post(zhuzhou, "value", junk).status_code == 204, junk


def test_the_press_sees_published_outcomes_only_and_no_names(server: Flask) -> None:
    ids = server.config["IDS"]
    _, page = render(client_as(server, "press"), "/compound", f"?id={ids['山水文园']}")
    assert "加装电梯意见征集" in page and f"/notices/{ids['meeting']}" in page
    assert "停车难问题" not in page and "张三" not in page and "/councils/meeting" not in page
    _, leader_page = render(client_as(server, "zhuzhou"), "/compound", f"?id={ids['山水文园']}")
    assert "停车难问题" in leader_page and f"/councils/meeting?id={ids['meeting']}" in leader_page
    assert "张三" not in leader_page  # the view names nobody, whoever reads it


def test_search_query_scope_and_order(session: Session) -> None:
    """tests/world.py: 一号小区, 二号小区, 三号小区 in 甲市, 乙小区 in 乙市. Names that start with the text come first,
    then the shorter; `cities` None is every city, an empty set none."""
    w = build_world(session)
    assert [h.name for h in search_compounds(session, "小区", None)] == ["乙小区", "一号小区", "三号小区", "二号小区"]
    assert [h.name for h in search_compounds(session, "小区", {w.city_a.id})] == ["一号小区", "三号小区", "二号小区"]
    assert search_compounds(session, "小区", frozenset()) == []
    assert [h.name for h in search_compounds(session, "一号", None)] == ["一号小区"]
    hit = search_compounds(session, "乙", None)[0]
    assert (hit.city, hit.city_en, hit.district, hit.district_en) == ("乙市", "B City", "乙一区", "B1")
    session.add_all([_compound(session, w.a1, f"{n}号楼盘小区") for n in range(SEARCH_LIMIT + 5)])
    session.flush()
    assert len(search_compounds(session, "小区", None)) == SEARCH_LIMIT
    assert search_compounds(session, "", None) == [] and search_compounds(session, "%", None) == []
