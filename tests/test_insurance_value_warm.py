"""The morning warm-up (pages/_warm.py) fills /insurance-value's entries: a leader's first view of the day is a hit."""

from __future__ import annotations

import json

from flask import Flask
from sqlalchemy import select

from data_access import cache as result_cache
from data_access.core.models import District
from tests.test_auth import sign_in
from tests.test_cache import server  # noqa: F401  (the fixture: a small world, two leaders, a result cache)


def _value_page(client, search: str) -> str:  # type: ignore[no-untyped-def]
    body = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": "/insurance-value"},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
    r = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 200
    return r.get_data(as_text=True)


def test_warming_fills_the_insurance_value_keys_the_page_asks_for(server: Flask) -> None:  # noqa: F811
    from data_access import get_session
    from pages._warm import warm

    warm(server)
    with server.app_context():
        a1 = get_session().scalar(select(District.id).where(District.name == "甲一区"))
    name = "data_access.insurance_value.insurance_value_page"
    before = result_cache.CALLS.get(name, 0)
    assert before > 0  # the warm-up computed it
    clients = {}
    for who, search in (
        ("lead_a", ""),
        ("prov", ""),
        ("prov", "?city=a"),
        ("lead_a", f"?city=a&district={a1}"),
        ("prov", "?city=a&year=2023"),  # last year
    ):
        if who not in clients:  # one sign-in per user: the sign-in throttle counts them
            clients[who] = server.test_client()
            sign_in(clients[who], who)
        _value_page(clients[who], search)
    assert result_cache.CALLS.get(name, 0) == before  # every one a hit
