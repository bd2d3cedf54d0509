"""The council module spoken to as an attacker would: straight POSTs to Dash's callback endpoint and GETs
of the routes, signed out, as an organiser of another compound, and as the press.

Each attempt carries the attacker's own valid CSRF token, so what refuses it is the access check; the
database is compared (row counts and contents) before and after every attempt.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app import create_app
from data_access.core.clock import CITY_TZ
from data_access.core.db import make_engine
from data_access.core.models import Role
from data_access.council_access import council_access
from data_access.council_records import add_attachment, publish_notice, save_meeting
from data_access.councils import meeting_view
from data_access.migrate import upgrade
from data_access.users import create_user, load_viewer
from pages._urlargs import register_status
from tests.pages_router import render
from tests.test_auth import PASSWORD, sign_in
from tests.test_council_records import meeting_input
from tests.world import build_world

NOW = datetime(2024, 6, 20, 18, 0, tzinfo=CITY_TZ)
TABLES = (
    "council_meeting",
    "council_attendee",
    "agenda_item",
    "agenda_party_vote",
    "agenda_item_work_order",
    "follow_up",
    "council_attachment",
    "audit_log",
)
SECRET_NAMES = ("党支部书记甲", "物业经理乙", "业委会主任丙", "居民代表丁")


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Flask]:
    """甲市's 一号小区 has one meeting (names above), published; org may write it, org2 (二号小区) may not."""
    url = f"sqlite:///{tmp_path / 'councils.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        w = build_world(s)
        org = create_user(s, "org", PASSWORD, Role.organiser, compound_ids=[w.c1.id])
        create_user(s, "org2", PASSWORD, Role.organiser, compound_ids=[w.c2.id])
        create_user(s, "press", PASSWORD, Role.press)
        create_user(s, "lead", PASSWORD, Role.leader, city_code="a")
        s.flush()
        viewer = load_viewer(s, org.id)
        assert viewer is not None
        access = council_access(viewer, NOW.date())
        mid = save_meeting(s, access, meeting_input(w), NOW)
        first_item = meeting_view(s, access, mid, NOW.date()).items[0].id
        publish_notice(s, access, mid, 1, [first_item], date(2024, 6, 19), date(2024, 6, 25), NOW)
        add_attachment(
            s,
            access,
            mid,
            2,
            "sign_in_sheet",
            "签到表.pdf",
            "%PDF-1.4 signed by 党支部书记甲".encode(),
            tmp_path / "att",
            NOW,
        )
        s.commit()
        ids = {"meeting": mid, "c1": w.c1.id, "c2": w.c2.id}
        ids["follow_up"] = s.scalar(text("SELECT id FROM follow_up LIMIT 1"))
        ids["attachment"] = s.scalar(text("SELECT id FROM council_attachment LIMIT 1"))
        ids["deferred"] = s.scalar(text("SELECT id FROM agenda_item WHERE title = '车位改造'"))
    engine.dispose()
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "TODAY": NOW.date(),
            "NOW": NOW,
            "ATTACHMENT_DIR": str(tmp_path / "att"),
            "LOGIN_RATE_LIMIT": "100 per minute",
        }
    )
    app.config["IDS"] = ids
    yield app
    app.extensions["db_engine"].dispose()


def snapshot(app: Flask) -> dict[str, Any]:
    """Every council table's rows, as plain values: equal snapshots mean nothing was written."""
    with app.extensions["db_engine"].connect() as conn:
        return {t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY 1"))] for t in TABLES}


def client_as(app: Flask, username: str | None) -> tuple[FlaskClient, dict[str, str]]:
    """A client signed in as `username` (None: nobody) and the CSRF header its own pages would send."""
    client = app.test_client()
    if username is None:
        return client, {}
    sign_in(client, username)
    client.get("/")  # an HTML page hands out the CSRF cookie
    cookie = client.get_cookie("_csrf_token")
    assert cookie is not None
    return client, {"X-CSRFToken": cookie.value}


def key_for(app: Flask, input_id: str) -> str:
    """The callback's output key, as the renderer sends it."""
    app.test_client().get("/healthz")  # Dash moves its callbacks onto the app on the first request
    callbacks = app.extensions["dash_app"].callback_map
    return next(k for k, v in callbacks.items() if any(i["id"] == input_id for i in v["inputs"]))


def outputs_of(key: str) -> list[dict[str, str]] | dict[str, str]:
    outs = []
    for part in key.strip(".").split("..."):
        cid, _, prop = part.rpartition(".")
        outs.append({"id": cid, "property": prop.split("@")[0]})
    return outs if len(outs) > 1 else outs[0]


def post(
    client: FlaskClient, headers: dict[str, str], input_id: str, inputs: list, state: list, outputs: list | None = None
) -> Any:
    key = key_for(client.application, input_id)
    body = {
        "output": key,
        "outputs": outputs if outputs is not None else outputs_of(key),
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{inputs[0]['id'] if isinstance(inputs[0], dict) else ''}"],
    }
    return client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json", headers=headers
    )


def props_of(tree: Any, component_id: str) -> dict[str, Any] | None:
    """A component's props in a rendered layout (its JSON), found by id."""
    if isinstance(tree, list):
        for node in tree:
            found = props_of(node, component_id)
            if found is not None:
                return found
    elif isinstance(tree, dict):
        props = tree.get("props")
        if isinstance(props, dict):
            if props.get("id") == component_id:
                return props
            return props_of(props.get("children"), component_id)
        for value in tree.values():
            found = props_of(value, component_id)
            if found is not None:
                return found
    return None


def listed(client: FlaskClient, headers: dict[str, str] | None = None, search: str = "") -> str:
    """/councils's items list as a browser gets it: the page carries no rows, and loads its items list as it appears
    (pages/councils.py: _item_rows, for the filters the page was rendered with). Empty when the list is refused."""
    _, page = render(client, "/councils", search)
    load = props_of(json.loads(page), "councils-items-load")
    if load is None:
        return ""
    r = post(
        client,
        headers or {},
        "councils-items-load",
        [{"id": "councils-items-load", "property": "data", "value": load["data"]}],
        [],
    )
    return r.get_data(as_text=True) if r.status_code == 200 else ""


def form_state(app: Flask, compound_id: int, meeting_id: int | None, version: int | None) -> list:
    """A whole, valid meeting form as the browser would send it (venue changed to 攻击者改写)."""

    def f(field: str, value: Any, item: int = -1, fu: int = -1) -> dict[str, Any]:
        return {"id": {"field": field, "fu": fu, "item": item, "type": "cf"}, "property": "value", "value": value}

    fields = [
        f("date", "2024-06-18"),
        f("time", "19:30"),
        f("status", "held"),
        f("venue", "攻击者改写"),
        f("convener", "攻击者"),
        f("att_party_org", "甲"),
        f("att_property_company", "乙"),
        f("att_owners_committee", "丙"),
        f("att_residents", "丁"),
        f("title", "攻击者的议题", 0),
        f("category", "other", 0),
        f("raising_party", "residents", 0),
        f("decision_method", "consensus", 0),
        f("outcome", "deferred", 0),
    ]
    store = {
        "id": "cf-meeting",
        "property": "data",
        "value": {"id": meeting_id, "version": version, "compound_id": compound_id},
    }
    return [fields, store]


def saved_to(r: Any) -> str | None:
    """Where a save callback's answer sends the browser (a successful save opens the saved meeting)."""
    body = r.get_json(silent=True) or {}
    return ((body.get("response") or {}).get("cf-url") or {}).get("href")


def save_outputs() -> list:
    return [
        {"id": "cf-status", "property": "children"},
        [{"id": {"field": "venue", "fu": -1, "item": -1, "type": "cf-fb"}, "property": "children"}],
        {"id": "cf-url", "property": "href"},
    ]


ATTACKERS = [None, "org2", "press"]


@pytest.mark.parametrize("who", ATTACKERS)
def test_saving_someone_elses_meeting_is_refused(server: Flask, who: str | None) -> None:
    ids = server.config["IDS"]
    client, headers = client_as(server, who)
    before = snapshot(server)
    click = [{"id": "cf-save", "property": "n_clicks", "value": 1}]
    for compound_id, meeting_id in ((ids["c1"], ids["meeting"]), (ids["c1"], None), (ids["c2"], ids["meeting"])):
        r = post(
            client, headers, "cf-save", click, form_state(server, compound_id, meeting_id, 3), outputs=save_outputs()
        )
        assert r.status_code in (200, 204, 401), r.status_code
        assert saved_to(r) is None
    assert snapshot(server) == before


def detail_attempts(ids: dict[str, int]) -> list[tuple[str, list, list]]:
    """Every write of the meeting page, as (input id, inputs, state) the renderer would send."""
    store = {"id": "mv-store", "property": "data", "value": {"id": ids["meeting"], "version": 3}}
    return [
        (
            "fu-done",
            [[{"id": {"id": ids["follow_up"], "type": "fu-done"}, "property": "n_clicks", "value": 1}]],
            [
                [{"id": {"id": ids["follow_up"], "type": "fu-done-date"}, "property": "value", "value": "2024-06-20"}],
                store,
            ],
        ),
        (
            "notice-publish",
            [{"id": "notice-publish", "property": "n_clicks", "value": 1}],
            [
                {"id": "notice-items", "property": "value", "value": []},
                {"id": "notice-from", "property": "value", "value": "2024-06-20"},
                {"id": "notice-to", "property": "value", "value": "2024-06-21"},
                store,
            ],
        ),
        ("notice-withdraw", [{"id": "notice-withdraw", "property": "n_clicks", "value": 1}], [store]),
        ("mv-confirm", [{"id": "mv-confirm", "property": "submit_n_clicks", "value": 1}], [store]),
        (
            "att-upload",
            [{"id": "att-upload", "property": "contents", "value": "data:application/pdf;base64,JVBERi0x"}],
            [
                {"id": "att-upload", "property": "filename", "value": "x.pdf"},
                {"id": "att-kind", "property": "value", "value": "minutes"},
                store,
            ],
        ),
        (
            "att-remove",
            [[{"id": {"id": ids["attachment"], "type": "att-remove"}, "property": "n_clicks", "value": 1}]],
            [store],
        ),
    ]


def send(client: FlaskClient, headers: dict[str, str], attempt: tuple[str, list, list]) -> Any:
    input_id, inputs, state = attempt
    if input_id not in ("fu-done", "att-remove"):
        return post(client, headers, input_id, inputs, state)
    key = key_for(client.application, '{"id":["ALL"],"type":"' + input_id + '"}')
    body = {
        "output": key,
        "outputs": outputs_of(key),
        "inputs": inputs,
        "state": state,
        "changedPropIds": [json.dumps(inputs[0][0]["id"], separators=(",", ":")) + ".n_clicks"],
    }
    return client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json", headers=headers
    )


@pytest.mark.parametrize("who", ATTACKERS)
def test_follow_up_notice_delete_and_upload_are_refused(server: Flask, who: str | None) -> None:
    client, headers = client_as(server, who)
    before = snapshot(server)
    for attempt in detail_attempts(server.config["IDS"]):
        r = send(client, headers, attempt)
        assert r.status_code in (200, 204, 401), (attempt[0], r.status_code)
        assert snapshot(server) == before, attempt[0]


@pytest.mark.parametrize("n", [0, 2, 3, 4, 5])
def test_the_same_requests_from_the_organiser_do_write(server: Flask, n: int) -> None:
    """A positive control: each request above is well-formed, so only the access check refused it."""
    client, headers = client_as(server, "org")
    before = snapshot(server)
    r = send(client, headers, detail_attempts(server.config["IDS"])[n])
    assert r.status_code == 200 and snapshot(server) != before


def test_the_organiser_without_csrf_token_or_by_cross_site_form_changes_nothing(server: Flask) -> None:
    ids = server.config["IDS"]
    client, headers = client_as(server, "org")
    before = snapshot(server)
    click = [{"id": "cf-save", "property": "n_clicks", "value": 1}]
    state = form_state(server, ids["c1"], ids["meeting"], 3)
    r = post(client, {}, "cf-save", click, state, outputs=save_outputs())
    assert r.status_code == 400 and snapshot(server) == before
    r = post(client, {"X-CSRFToken": "forged"}, "cf-save", click, state, outputs=save_outputs())
    assert r.status_code == 400 and snapshot(server) == before
    # What a cross-site <form> can send: no JSON, no header (and SameSite keeps the cookie home anyway).
    r = client.post("/_dash-update-component", data={"output": key_for(server, "cf-save"), "payload": "x"})
    assert r.status_code >= 400 and snapshot(server) == before
    # The same request with the page's token is accepted: the refusals above were the token's doing.
    r = post(client, headers, "cf-save", click, state, outputs=save_outputs())
    assert r.status_code == 200 and (saved_to(r) or "").startswith("/councils/meeting?id=")
    assert snapshot(server) != before


def test_reads_reveal_no_names_to_the_press_or_another_compound(server: Flask) -> None:
    ids = server.config["IDS"]
    meeting = f"?id={ids['meeting']}"
    status, _ = render(server.test_client(), "/councils/meeting", meeting)
    assert status == 401
    org, _ = client_as(server, "org")
    status, own = render(org, "/councils/meeting", meeting)
    assert status == 200 and all(n in own for n in SECRET_NAMES)  # the names really are in the record
    org2, _ = client_as(server, "org2")
    status, other = render(org2, "/councils/meeting", meeting)
    assert "not-found" in other and not any(n in other for n in SECRET_NAMES)
    assert "地下室电动车充电" not in other
    _, other_form = render(org2, "/councils/edit", meeting)
    assert "not-found" in other_form and "地下室电动车充电" not in other_form
    _, other_list = render(org2, "/councils")
    assert "地下室电动车充电" not in other_list and "地下室电动车充电" not in listed(org2)  # the page, its list
    lead, _ = client_as(server, "lead")
    assert "地下室电动车充电" in listed(lead)  # the control: the list does hold the item for a reader of it
    press, _ = client_as(server, "press")
    for path, search in (
        ("/councils/meeting", meeting),
        ("/councils", ""),
        ("/councils/edit", meeting),
        ("/red-property", ""),
    ):
        status, body = render(press, path, search)
        assert status == 200 and not any(n in body for n in SECRET_NAMES), path
    assert not any(n in listed(press) for n in SECRET_NAMES)  # nor the list the page loads
    _, notice = render(press, "/councils/meeting", meeting)
    assert "地下室电动车充电" in notice and "车位改造方案" not in notice  # published item only
    public = server.test_client().get(f"/notices/{ids['meeting']}").get_data(as_text=True)
    assert "地下室电动车充电" in public and not any(n in public for n in SECRET_NAMES)
    assert "车位改造方案" not in public


def test_attachment_download_is_for_readers_of_the_full_record(server: Flask) -> None:
    path = f"/councils/attachments/{server.config['IDS']['attachment']}"
    r = server.test_client().get(path)
    assert r.status_code == 302 and "/login" in r.headers["Location"] and b"PDF" not in r.data
    for who in ("org2", "press"):
        client, _ = client_as(server, who)
        r = client.get(path)
        assert r.status_code == 404 and b"PDF" not in r.data
    client, _ = client_as(server, "org")
    r = client.get(path)
    assert r.status_code == 200 and r.data.startswith(b"%PDF")
    assert r.headers["X-Content-Type-Options"] == "nosniff" and "attachment" in r.headers["Content-Disposition"]


def test_carry_over_lookup_refuses_another_compound(server: Flask) -> None:
    """The add-item callback looks items up by id: org2 asking for 一号小区's deferred item learns nothing."""
    ids = server.config["IDS"]
    client, headers = client_as(server, "org2")
    key = key_for(server, "cf-add-item")
    body = {
        "output": key,
        "outputs": [
            {"id": "cf-items", "property": "children"},
            {"id": "cf-next", "property": "data"},
            [{"id": {"src": ids["deferred"], "type": "cf-carry"}, "property": "disabled"}],
        ],
        "inputs": [
            {"id": "cf-add-item", "property": "n_clicks", "value": None},
            [{"id": {"src": ids["deferred"], "type": "cf-carry"}, "property": "n_clicks", "value": 1}],
        ],
        "state": [
            {"id": "cf-next", "property": "data", "value": 1},
            {"id": "cf-meeting", "property": "data", "value": {"id": None, "version": None, "compound_id": ids["c1"]}},
            [{"id": {"src": ids["deferred"], "type": "cf-carry"}, "property": "disabled", "value": False}],
        ],
        "changedPropIds": [
            json.dumps({"src": ids["deferred"], "type": "cf-carry"}, separators=(",", ":")) + ".n_clicks"
        ],
    }
    r = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json", headers=headers)
    assert r.status_code == 204 and "车位改造" not in r.get_data(as_text=True)


def test_item_ids_of_another_meeting_cannot_be_smuggled_in(server: Flask) -> None:
    """The organiser's own form, edited to point an item at a record of another meeting, is refused."""
    ids = server.config["IDS"]
    client, headers = client_as(server, "org")
    fields, store = form_state(server, ids["c1"], None, None)
    fields.append(
        {
            "id": {"field": "item_id", "fu": -1, "item": 0, "type": "cf"},
            "property": "value",
            "value": str(ids["deferred"]),
        }
    )
    before = snapshot(server)
    r = post(
        client,
        headers,
        "cf-save",
        [{"id": "cf-save", "property": "n_clicks", "value": 1}],
        [fields, store],
        outputs=save_outputs(),
    )
    assert r.status_code == 200 and "form-invalid" in r.get_data(as_text=True)
    assert snapshot(server) == before
    with Session(server.extensions["db_engine"]) as s:
        assert (
            s.scalar(select(text("title")).select_from(text("agenda_item")).where(text(f"id = {ids['deferred']}")))
            == "车位改造"
        )


@pytest.mark.parametrize("who", ["lead", "org", "press"])
def test_the_full_excel_export_is_for_leaders_and_holds_every_matching_item(server: Flask, who: str) -> None:
    import base64
    import io

    from openpyxl import load_workbook

    client, headers = client_as(server, who)
    key = key_for(server, "councils-items-xlsx")
    body = {
        "output": key,
        "outputs": {"id": "councils-items-download", "property": "data"},
        "inputs": [{"id": "councils-items-xlsx", "property": "n_clicks", "value": 1}],
        "state": [{"id": "cl-url", "property": "search", "value": "?city=a"}],
        "changedPropIds": ["councils-items-xlsx.n_clicks"],
    }
    r = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json", headers=headers)
    if who != "lead":
        assert r.status_code == 204
        return
    data = r.get_json()["response"]["councils-items-download"]["data"]
    sheet = load_workbook(io.BytesIO(base64.b64decode(data["content"]))).active
    titles = sorted(row[3] for row in sheet.iter_rows(min_row=2, values_only=True))
    # 甲市: world.py's meeting m1 (2 items) and the fixture's meeting (2 items); m2 is deleted.
    assert titles == sorted(["电动车充电", "车位改造", "地下室电动车充电", "车位改造方案"])


def test_a_cut_list_points_only_exporters_to_the_excel_export(server: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Press may not export, so the 'list was cut' hint must not send them to an export they cannot use."""
    import importlib

    monkeypatch.setattr(importlib.import_module("pages.councils"), "LIST_LIMIT", 1)
    leader, _ = client_as(server, "lead")
    _, body = render(leader, "/councils")
    assert "仅显示最近 1 条；导出 Excel" in body
    press, _ = client_as(server, "press")
    _, body = render(press, "/councils")
    assert "仅显示最近 1 条；请缩小筛选范围" in body and "导出 Excel 可得到" not in body


def _search(client: FlaskClient, text: str, search: str = "") -> tuple[int, list[str]]:
    """The council list's compound picker asking the server for names containing `text`."""
    client.application.test_client().get("/healthz")  # Dash moves its callbacks onto the app on the first request
    callbacks = client.application.extensions["dash_app"].callback_map
    key = next(k for k, v in callbacks.items() if {"id": "cl-compound", "property": "search_value"} in v["inputs"])
    body = {
        "output": key,
        "outputs": outputs_of(key),
        "inputs": [{"id": "cl-compound", "property": "search_value", "value": text}],
        "state": [
            {"id": "cl-compound", "property": "value", "value": ""},
            {"id": "cl-url", "property": "search", "value": search},
        ],
        "changedPropIds": ["cl-compound.search_value"],
    }
    r = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    options = ((r.get_json(silent=True) or {}).get("response") or {}).get("cl-compound", {}).get("options") or []
    return r.status_code, [o["label"] for o in options if o["value"]]


def test_the_compound_search_offers_only_compounds_the_viewer_may_pick(server: Flask) -> None:
    """Names come from the server as the user types: never one outside the viewer's compounds, city or area."""
    status, names = _search(server.test_client(), "小区")
    assert status == 401 and names == []
    org2, _ = client_as(server, "org2")
    assert _search(org2, "小区") == (200, ["二号小区"])  # their own compound, not 一号小区's council
    lead, _ = client_as(server, "lead")
    assert _search(lead, "一号") == (200, ["一号小区"])  # compounds with meetings, in the leader's city
    assert _search(lead, "二号") == (200, [])  # no meeting recorded there
    assert _search(lead, "%") == (200, [])  # the text is matched literally, not as a LIKE pattern
    assert _search(lead, "一号", "?city=b")[1] == []  # another city's view is refused, so is its search
    c1 = server.config["IDS"]["c1"]
    _, other = render(org2, "/councils", f"?compound={c1}")
    assert "forbidden" in other and "地下室电动车充电" not in other


def test_the_press_reads_a_meeting_only_from_its_posting_date(server: Flask) -> None:
    """二号小区's meeting is published with its notice posted from 22 June; today is 20 June. Until then the press
    gets what anonymous readers of /notices get — nothing: no page (the not-found page, HTTP 404), no list row, no
    compound in the picker. From the posting date on it reads the published item, still without names."""
    register_status(server)  # a page's first request: 404 for a meeting the viewer may not see (idempotent)
    ids = server.config["IDS"]
    with Session(server.extensions["db_engine"]) as s:
        org2 = s.scalar(select(text("id")).select_from(text("user_account")).where(text("username = 'org2'")))
        viewer = load_viewer(s, int(org2))
        assert viewer is not None
        access = council_access(viewer, NOW.date())
        data = meeting_input(SimpleNamespace(c1=SimpleNamespace(id=ids["c2"])))  # type: ignore[arg-type]
        data.items = [replace(data.items[0], title="楼道照明更换", follow_ups=[]), data.items[1]]
        mid = save_meeting(s, access, data, NOW)
        item = meeting_view(s, access, mid, NOW.date()).items[0].id
        publish_notice(s, access, mid, 1, [item], date(2024, 6, 22), date(2024, 6, 28), NOW)
        s.commit()
    press, _ = client_as(server, "press")
    org2_client, _ = client_as(server, "org2")
    anonymous = server.test_client()

    def reads(client: FlaskClient) -> dict[str, Any]:
        _, page = render(client, "/councils/meeting", f"?id={mid}")
        return {
            "page": "楼道照明更换" in page and "not-found" not in page,
            "first request": client.get(f"/councils/meeting?id={mid}").status_code,
            "list": "楼道照明更换" in listed(client),
            "picker": _search(client, "二号")[1],
            "names": any(n in page for n in SECRET_NAMES),
        }

    before = {"page": False, "first request": 404, "list": False, "picker": [], "names": False}
    assert reads(press) == before
    assert anonymous.get(f"/notices/{mid}").status_code == 404
    own = reads(org2_client)  # the control: the organiser reads the record (with names) before it is posted
    assert own["page"] and own["first request"] == 200 and own["names"]
    for posting_day in (date(2024, 6, 22), date(2024, 6, 30)):  # on the posting date, and after the period
        server.config["TODAY"] = posting_day
        after = {"page": True, "first request": 200, "list": True, "picker": ["二号小区"], "names": False}
        assert reads(press) == after, posting_day
        assert anonymous.get(f"/notices/{mid}").status_code == 200
