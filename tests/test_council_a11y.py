"""The council pages for assistive technology and on demand (issue 18), without a browser.

Every field of the meeting form is tied to a label (a `<label for>` naming the id Dash writes into the page, or a
labelled radiogroup), the per-party vote boxes are named with their party, the lists' tabs follow the ARIA tabs
pattern, and /councils sends no rows with the page: the items list loads as the page appears, the hidden tabs' lists
only when their tab is opened, each to the viewer who may see it.
(tests/test_browser_councils_keyboard.py drives the same by keyboard in Chromium.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import dash_bootstrap_components as dbc
import pytest
from dash import dcc, html
from flask import Flask

from components.councils_form import meeting_form
from components.councils_form_fields import dom_id, fid
from components.councils_form_items import follow_up_row, item_block
from components.councils_lists import council_filter_bar, council_tabs
from data_access.council_access import PARTIES
from data_access.council_records import FollowUpInput, ItemInput
from tests.pages_router import render
from tests.test_council_security import client_as, post, props_of, server  # noqa: F401 (server: the fixture)

FIELDS = (dbc.Input, dbc.Select, dbc.Textarea, dcc.Dropdown)


def walk(node: Any) -> Iterator[Any]:
    """Every component under `node` (itself included)."""
    if isinstance(node, (list, tuple)):
        for n in node:
            yield from walk(n)
        return
    if node is None or isinstance(node, (str, int, float)):
        return
    yield node
    yield from walk(getattr(node, "children", None))


def aria(component: Any, name: str) -> Any:
    return getattr(component, name, None) if hasattr(component, name) else component.to_plotly_json()["props"].get(name)


def check_labelled(tree: Any) -> int:
    """Assert every form field and radio set in `tree` is named by a label; returns how many fields there were."""
    nodes = list(walk(tree))
    label_for = {n.html_for for n in nodes if isinstance(n, dbc.Label) and getattr(n, "html_for", None)}
    ids = {dom_id(n.id) for n in nodes if getattr(n, "id", None) is not None}
    fields = [n for n in nodes if isinstance(n, FIELDS) and isinstance(getattr(n, "id", None), dict)]
    fields = [f for f in fields if getattr(f, "type", None) != "hidden"]
    for f in fields:
        assert dom_id(f.id) in label_for, f"no <label for> names {f.id}"
    groups = [n for n in nodes if isinstance(n, html.Div) and getattr(n, "role", None) == "radiogroup"]
    radios = [n for n in nodes if isinstance(n, dbc.RadioItems)]
    assert len(groups) == len(radios)
    for g in groups:
        assert isinstance(g.children, dbc.RadioItems)
        assert aria(g, "aria-labelledby") in ids  # the caption exists
    return len(fields)


def test_dom_id_is_the_id_dash_writes() -> None:
    """The same string the browser tests find a field by (tests/test_browser_councils.py: cf)."""
    assert dom_id(fid("title", 0)) == '{"field":"title","fu":-1,"item":0,"type":"cf"}'
    assert dom_id({"type": "fu-done-date", "id": 7}) == '{"id":7,"type":"fu-done-date"}'
    assert dom_id("cl-from") == "cl-from"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_field_of_the_form_has_a_label(lang: str) -> None:
    item = ItemInput(
        title="x",
        category=None,
        raising_party=None,
        decision_method="vote",
        follow_ups=[FollowUpInput("residents", "y", "z", date(2024, 6, 30))],
    )
    block = item_block(0, item, lang, [])
    form = meeting_form(
        lang=lang,
        title="t",
        compound_control=[],
        held_at=None,
        status="held",
        venue="v",
        convener="c",
        attendees={p: [] for p in PARTIES},
        items=[block],
        carry=None,
    )
    # date, time, venue, convener, 4 attendee boxes; title, category, raised by, description, discussion, 3 vote
    # totals, 12 party votes, outcome, resolution, work orders; a follow-up's 6 fields
    assert check_labelled(form) == 8 + 5 + 3 + 12 + 3 + 6
    assert check_labelled(follow_up_row(0, 1, FollowUpInput(None, "", "", None), lang)) == 6


def test_each_party_vote_box_is_named_with_its_party() -> None:
    names = {
        lbl.html_for: lbl.children
        for lbl in walk(item_block(2, ItemInput(title="", category=None, raising_party=None), "zh", []))
        if isinstance(lbl, dbc.Label)
    }
    assert names[dom_id(fid("pv_for_party_org", 2))] == "小区党组织 同意"
    assert names[dom_id(fid("pv_abstain_residents", 2))] == "居民代表 弃权"
    english = {
        lbl.html_for: lbl.children
        for lbl in walk(item_block(0, ItemInput(title="", category=None, raising_party=None), "en", []))
        if isinstance(lbl, dbc.Label)
    }
    assert english[dom_id(fid("pv_against_owners_committee", 0))] == "Owners' committee — Against"


def test_the_filters_and_both_dates_are_labelled() -> None:
    bar = council_filter_bar(
        lang="zh",
        cities=[],
        may_see_province=True,
        city_code=None,
        districts=[],
        district_id=None,
        compounds=[],
        compound_id=None,
        category=None,
        outcome=None,
        first=None,
        last=None,
    )
    nodes = list(walk(bar))
    label_for = {n.html_for: n for n in nodes if isinstance(n, dbc.Label)}
    for cid in ("cl-city", "cl-district", "cl-compound", "cl-category", "cl-outcome", "cl-from", "cl-to"):
        assert cid in label_for, cid
    assert label_for["cl-to"].children == "至"


def test_tabs_are_aria_tabs_with_the_first_open() -> None:
    tabs = council_tabs([("a", "A", html.Div("one")), ("b", "B", html.Div("two")), ("c", "C", None)], "zh")
    tablist, *panels = tabs.children
    assert tablist.role == "tablist" and aria(tablist, "aria-label")
    buttons = tablist.children
    assert [b.id for b in buttons] == ["councils-tab-a", "councils-tab-b", "councils-tab-c"]
    assert [b.role for b in buttons] == ["tab"] * 3
    assert [aria(b, "aria-selected") for b in buttons] == ["true", "false", "false"]
    assert [b.tabIndex for b in buttons] == [0, -1, -1]  # roving: only the open tab takes Tab
    assert [aria(b, "aria-controls") for b in buttons] == [p.id for p in panels]
    assert [p.role for p in panels] == ["tabpanel"] * 3
    assert [p.hidden for p in panels] == [False, True, True]
    assert [aria(p, "aria-labelledby") for p in panels] == [b.id for b in buttons]


def rendered(client: Any, path: str) -> Any:
    status, text = render(client, path)
    assert status == 200
    return json.loads(text)


def test_hidden_lists_load_when_their_tab_opens(server: Flask) -> None:  # noqa: F811 (the fixture)
    client, headers = client_as(server, "lead")
    page = rendered(client, "/councils")
    for grid in ("councils-items-grid", "councils-meetings-grid", "councils-overdue-grid"):
        assert props_of(page, grid).get("rowData") is None  # the page carries no rows
    text = json.dumps(page, ensure_ascii=False)
    assert "红色议事厅" not in text and "地下室电动车充电" not in text  # a venue, an item title
    load = props_of(page, "councils-items-load")["data"]
    assert load == "?city=a"  # the leader's own city, made explicit

    items = post(
        client,
        headers,
        "councils-items-load",
        [{"id": "councils-items-load", "property": "data", "value": load}],
        [],
    )
    assert items.status_code == 200
    titles = {r["title"] for r in items.get_json()["response"]["councils-items-grid"]["rowData"]}
    assert "地下室电动车充电" in titles

    opened = post(
        client,
        headers,
        "councils-tab-meetings",
        [{"id": "councils-tab-meetings", "property": "n_clicks", "value": 1}],
        [
            {"id": "councils-meetings-loaded", "property": "data", "value": False},
            {"id": "cl-url", "property": "search", "value": ""},
        ],
    )
    assert opened.status_code == 200
    response = opened.get_json()["response"]
    rows = response["councils-meetings-grid"]["rowData"]
    assert "红色议事厅" in {r["venue"] for r in rows} and response["councils-meetings-loaded"]["data"] is True
    again = post(
        client,
        headers,
        "councils-tab-meetings",
        [{"id": "councils-tab-meetings", "property": "n_clicks", "value": 2}],
        [
            {"id": "councils-meetings-loaded", "property": "data", "value": True},
            {"id": "cl-url", "property": "search", "value": ""},
        ],
    )
    assert again.status_code == 204  # loaded once; opening the tab again keeps the rows the grid has

    overdue = post(
        client,
        headers,
        "councils-tab-overdue",
        [{"id": "councils-tab-overdue", "property": "n_clicks", "value": 1}],
        [
            {"id": "councils-overdue-loaded", "property": "data", "value": False},
            {"id": "cl-url", "property": "search", "value": ""},
        ],
    )
    assert overdue.status_code == 200


@pytest.mark.parametrize("who", [None, "press"])
def test_the_hidden_lists_are_refused_to_who_may_not_see_them(server: Flask, who: str | None) -> None:  # noqa: F811
    """The press sees no meetings or follow-ups lists (no such tabs), and nobody signed out sees any list."""
    client, headers = client_as(server, who)
    items = post(
        client, headers, "councils-items-load", [{"id": "councils-items-load", "property": "data", "value": ""}], []
    )
    assert (items.status_code == 200) == (who == "press")  # the press: published items only
    assert "党支部书记甲" not in items.get_data(as_text=True)
    for tab, loaded in (("meetings", "councils-meetings-loaded"), ("overdue", "councils-overdue-loaded")):
        r = post(
            client,
            headers,
            f"councils-tab-{tab}",
            [{"id": f"councils-tab-{tab}", "property": "n_clicks", "value": 1}],
            [{"id": loaded, "property": "data", "value": False}, {"id": "cl-url", "property": "search", "value": ""}],
        )
        assert r.status_code in (204, 302, 401, 403), (who, tab, r.status_code)
        assert "党支部书记甲" not in r.get_data(as_text=True)
