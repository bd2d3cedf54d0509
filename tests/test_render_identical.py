"""Faster renders, the same bytes (issue 18): every page callback's answer encoded by json_response.dumps (orjson in
one pass with a hook for components) is byte for byte what plotly's `to_json_plotly` made of it before; and a
repeat served from the rendered-output cache (render_cache.py) is byte for byte a fresh render.

Worlds: the `small` demo on SQLite, read by every demo account (every role), in Chinese and, for the province
leader, English; and the hand-made world (tests/world.py) on PostgreSQL, whose numeric columns come back as
Decimals. Every registered page in the province view and each city's view (one record for the pages about one
record), and each compound grid's first block, are rendered through Dash's callback endpoint, as the browser asks.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import dash
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

import json_response
import render_cache
from app import create_app
from data_access.core.db import make_engine
from data_access.core.models import City, Compound, CouncilMeeting, InsuranceApplication
from data_access.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from data_access.migrate import upgrade
from data_access.users import create_user
from tests.browser import DEMO_TODAY, seeded_demo_url
from tests.conftest import make_database_url
from tests.pages_router import router_body
from tests.test_auth import PASSWORD, sign_in
from tests.world import build_world

GRIDS = ("funds", "elevators", "complaints", "red-property", "ins")


def grid_body(prefix: str, search: str) -> dict[str, Any]:
    """A compound grid's request for its first block, as the browser sends it (bench/callbacks.py)."""
    request = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}
    return {
        "output": f"{prefix}-grid.getRowsResponse",
        "outputs": {"id": f"{prefix}-grid", "property": "getRowsResponse"},
        "inputs": [{"id": f"{prefix}-grid", "property": "getRowsRequest", "value": request}],
        "state": [{"id": f"{prefix}-url", "property": "search", "value": search}],
        "changedPropIds": [f"{prefix}-grid.getRowsRequest"],
    }


@dataclass
class Served:
    app: Flask
    clients: dict[str, FlaskClient]  # who → a signed-in client (suffix ":en" reads English)
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # label → callback body
    trace_types: set[str] = field(default_factory=set)  # of every figure rendered


def _requests(app: Flask) -> list[tuple[str, dict[str, Any]]]:
    """Every page in the province view and each city's, one record for the record pages, and the grids' blocks."""
    with Session(app.extensions["db_engine"]) as s:
        cities = list(s.scalars(select(City.code).order_by(City.id)))
        compound = s.scalar(select(Compound.id).order_by(Compound.id))
        meeting = s.scalar(select(CouncilMeeting.id).order_by(CouncilMeeting.id))
        application = s.scalar(select(InsuranceApplication.id).order_by(InsuranceApplication.id))
    views = ["", *(f"?city={c}" for c in cities)]
    records = {"/compound": compound, "/councils/meeting": meeting, "/insurance/application": application}
    out = []
    for page in dash.page_registry.values():
        path = page.get("path")
        if not path:
            continue
        searches = [f"?id={records[path]}"] if records.get(path) is not None else views
        out.extend((f"page {path}{search}", router_body(path, search)) for search in searches)
    out.extend((f"grid {prefix}{search}", grid_body(prefix, search)) for prefix in GRIDS for search in views)
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The small demo on SQLite, read by every demo account (the province leader also in English)."""
    url = seeded_demo_url(Path(tmp_path_factory.mktemp("render-identical")))
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "render",
            "TESTING": True,
            "TODAY": DEMO_TODAY,
            "LOGIN_RATE_LIMIT": "1000 per minute",
            "LOGIN_ADDRESS_RATE_LIMIT": "1000 per minute",
        }
    )
    clients = {}
    for account in DEMO_ACCOUNTS:
        client = app.test_client()
        assert sign_in(client, account.username, DEMO_PASSWORD).status_code == 302
        clients[account.username] = client
    english = app.test_client()
    assert sign_in(english, "province", DEMO_PASSWORD).status_code == 302
    english.get("/lang/en")
    clients["province:en"] = english
    yield Served(app, clients, _requests(app))
    app.extensions["db_engine"].dispose()


@pytest.fixture(scope="module")
def world_pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The hand-made world on PostgreSQL (Decimals from numeric columns), read by a province leader."""
    for url in make_database_url("postgresql", Path(tmp_path_factory.mktemp("render-identical-pg"))):
        upgrade(url)
        engine = make_engine(url)
        with Session(engine) as s:
            build_world(s)
            create_user(s, "lead_province", PASSWORD, "leader")
            s.commit()
        engine.dispose()
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "TESTING": True, "TODAY": date(2026, 1, 10)})
        client = app.test_client()
        assert sign_in(client, "lead_province").status_code == 302
        yield Served(app, {"lead_province": client}, _requests(app))
        app.extensions["db_engine"].dispose()


class Recorder:
    """Stands in for Dash's encoder (dash._callback.to_json): keeps each value Dash asked to encode and encodes it
    with the app's encoder, so the test can encode the very same value with plotly's too."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def __call__(self, value: Any) -> str:
        self.values.append(value)
        return json_response.dumps(value)


@pytest.fixture()
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    import dash._callback

    rec = Recorder()
    monkeypatch.setattr(dash._callback, "to_json", rec)
    return rec


def post(client: FlaskClient, body: dict[str, Any]) -> Any:
    return client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")


def _encoders_agree(served: Served, recorder: Recorder) -> int:
    served.app.extensions["saved_cache"] = served.app.extensions["result_cache"]
    served.app.extensions["result_cache"] = None  # every render fresh: the encoder sees every page
    compared = 0
    try:
        for who, client in served.clients.items():
            for label, body in served.requests:
                recorder.values.clear()
                response = post(client, body)
                if response.status_code == 204:  # PreventUpdate: nothing encoded
                    continue
                assert response.status_code == 200, (who, label, response.status_code)
                assert len(recorder.values) == 1, (who, label)
                value = recorder.values[0]
                reference = json_response.plotly_dumps(value).encode()
                assert json_response.dumps(value).encode() == reference, (who, label)
                assert response.get_data() == reference, (who, label)
                served.trace_types.update(_trace_types(json.loads(reference)))
                compared += 1
    finally:
        served.app.extensions["result_cache"] = served.app.extensions.pop("saved_cache")
    return compared


def _trace_types(node: Any) -> Iterator[str]:
    """The trace type of every figure in a rendered answer (plotly's default: scatter)."""
    if isinstance(node, dict):
        data, layout = node.get("data"), node.get("layout")
        if isinstance(data, list) and isinstance(layout, dict) and "template" in layout:
            yield from (trace.get("type", "scatter") for trace in data if isinstance(trace, dict))
        for value in node.values():
            yield from _trace_types(value)
    elif isinstance(node, list):
        for value in node:
            yield from _trace_types(value)


def test_every_page_and_grid_answer_is_encoded_as_plotly_encoded_it(demo: Served, recorder: Recorder) -> None:
    assert _encoders_agree(demo, recorder) >= len(demo.requests) * len(demo.clients) * 0.8
    _lean_template_styles_every_chart_as_the_full_one(demo.trace_types)


def _lean_template_styles_every_chart_as_the_full_one(trace_types: set[str]) -> None:
    """The lean template (components/plots.py) holds the full plotly template's entries, unchanged, for the whole
    cartesian layout and for every trace type the pages drew: the charts look the same with less JSON."""
    import plotly.io as pio

    from components.plots import PLOTLY_TEMPLATE

    full = pio.templates["plotly"].to_plotly_json()
    assert trace_types, "the pages drew charts"
    assert trace_types <= set(PLOTLY_TEMPLATE["data"]), trace_types - set(PLOTLY_TEMPLATE["data"])
    for kind, traces in PLOTLY_TEMPLATE["data"].items():
        assert traces == full["data"][kind], kind
    dropped = set(full["layout"]) - set(PLOTLY_TEMPLATE["layout"])
    assert dropped <= {"geo", "mapbox", "map", "polar", "scene", "smith", "ternary"}, dropped
    for key, value in PLOTLY_TEMPLATE["layout"].items():
        assert value == full["layout"][key], key


def test_the_same_holds_on_postgresql_with_its_decimals(world_pg: Served, recorder: Recorder) -> None:
    assert _encoders_agree(world_pg, recorder) >= len(world_pg.requests) * 0.8


def test_the_encoder_keeps_plotlys_escapes_keys_and_special_values() -> None:
    """What plotly's path does to values a page can hold, one by one: HTML-unsafe characters and line separators
    escaped, NaN and infinities as null, non-string keys, dates, Decimals, tuples; components nested in props."""
    from dash import dcc, html

    value = {
        "text": "</script><b>甲\u2028乙\u2029",
        "numbers": [float("nan"), float("inf"), -float("inf"), 1.5, 10**18, True, None],
        2026: {date(2026, 11, 23): Decimal("12.30"), "tuple": (1, "a")},
        "when": date(2026, 11, 23),
        "component": html.Div([dcc.Graph(figure={"data": [{"y": [Decimal("1.1")]}]}), html.Span("/x")], id="d"),
        "empty": ((), [], {}),
    }
    assert json_response.dumps(value) == json_response.plotly_dumps(value)


def test_what_plotly_encodes_otherwise_goes_through_plotly() -> None:
    """Dataclasses (and numpy values, where numpy is installed) are encoded differently by plotly's walk than by
    orjson natively: the encoder hands the whole answer to plotly, so it stays the same."""
    from dash import html

    @dataclass
    class Point:
        x: int

        def to_plotly_json(self) -> dict[str, int]:
            return {"y": self.x}

    values: list[Any] = [{"p": Point(1), "c": html.Div("x")}, {"p": Point(1)}]
    try:
        import numpy as np
    except ImportError:  # the app does not depend on numpy
        np = None
    if np is not None:
        values += [{"a": np.float32(0.1), "c": html.Div("x")}, {"a": np.arange(3), "c": html.Div("x")}, [np.int64(3)]]
    for value in values:
        assert json_response.dumps(value) == json_response.plotly_dumps(value)


def _render_twice(client: FlaskClient, body: dict[str, Any], recorder: Recorder) -> tuple[bytes, bytes, int]:
    recorder.values.clear()
    first = post(client, body)
    second = post(client, body)
    assert first.status_code == second.status_code == 200
    return first.get_data(), second.get_data(), len(recorder.values)


def test_a_repeat_is_served_from_the_rendered_cache_byte_for_byte(demo: Served, recorder: Recorder) -> None:
    """Every kept page and grid block: the second render is the first's bytes without running Dash (one encoding
    for two answers), and the first is what a render with the cache off answers."""
    app = demo.app
    app.extensions["result_cache"].clear()
    kept = 0
    for who in ("province", "zhuzhou", "organiser", "press", "province:en"):
        client = demo.clients[who]
        for label, body in demo.requests:
            path = body["inputs"][0]["value"] if label.startswith("page ") else None
            if path is not None and path not in render_cache.PAGES:
                continue
            first, second, encoded = _render_twice(client, body, recorder)
            assert second == first, (who, label)
            assert encoded == 1, (who, label, "the repeat ran the callback again")
            fresh = _uncached(app, lambda client=client, body=body: post(client, body).get_data())
            assert first == fresh, (who, label)
            kept += 1
    assert kept > 50


def _uncached(app: Flask, call: Callable[[], bytes]) -> bytes:
    cache = app.extensions["result_cache"]
    app.extensions["result_cache"] = None
    try:
        return call()
    finally:
        app.extensions["result_cache"] = cache


def test_every_page_is_kept_or_never_kept_by_decision(demo: Served) -> None:
    """A new page must be listed in render_cache.PAGES or, with its reason, in NEVER_KEPT: keeping a page whose
    answer follows something outside the key would serve stale pages, and forgetting a read-only page leaves its
    repeat views slow."""
    paths = {page["path"] for page in dash.page_registry.values() if page.get("path")}
    assert paths == render_cache.PAGES | set(render_cache.NEVER_KEPT)
    assert not render_cache.PAGES & set(render_cache.NEVER_KEPT)


def test_forms_and_desks_always_render(demo: Served, recorder: Recorder) -> None:
    """Pages that follow what changes without a new generation (jobs, forms, accounts) are never kept."""
    for path in ("/import", "/councils/edit", "/admin/users"):
        assert path in render_cache.NEVER_KEPT
        _first, _second, encoded = _render_twice(demo.clients["admin"], router_body(path), recorder)
        assert encoded == 2, path


def test_an_application_page_is_kept_until_a_document_is_added(
    demo: Served, recorder: Recorder, tmp_path: Path
) -> None:
    """The application's page is kept (its stage changes only by writers that renew the data generation); adding a
    document renews the documents generation, so the next render is fresh and lists it — and the figures cached
    under the data generation stay (a document changes no figure)."""
    from data_access.core.clock import CITY_TZ
    from data_access.core.dataset import read_generation
    from data_access.core.models import Role, User
    from data_access.insurance_eligibility import account_info
    from data_access.insurance_records import add_document
    from data_access.users import load_viewer

    app = demo.app
    app.extensions["result_cache"].clear()
    with Session(app.extensions["db_engine"]) as s:
        application = s.scalar(select(InsuranceApplication.id).order_by(InsuranceApplication.id))
        assert application is not None
    body = router_body("/insurance/application", f"?id={application}")
    client = demo.clients["province"]
    first, second, encoded = _render_twice(client, body, recorder)
    assert encoded == 1 and first == second
    assert "scan-of-the-form.pdf" not in first.decode()
    with Session(app.extensions["db_engine"]) as s:
        generation = read_generation(s)
        app_row = s.get(InsuranceApplication, application)
        assert app_row is not None
        account = account_info(s, app_row.pooled_account_id)
        assert account is not None
        clerk = s.scalar(select(User.id).where(User.role == Role.fund_centre, User.city_id == account.city_id))
        assert clerk is not None
        viewer = load_viewer(s, clerk)
        assert viewer is not None
        pdf = b"%PDF-1.4\n%%EOF\n"
        when = datetime(2026, 11, 24, 10, 0, tzinfo=CITY_TZ)
        add_document(s, viewer, application, "application_form", "scan-of-the-form.pdf", pdf, tmp_path, when)
        s.commit()
    recorder.values.clear()
    third = post(client, body).get_data()
    assert len(recorder.values) == 1, "a document added renders the application's page afresh"
    assert "scan-of-the-form.pdf" in third.decode()
    with Session(app.extensions["db_engine"]) as s:
        assert read_generation(s) == generation, "the figures' generation is unchanged"


def test_the_key_follows_viewer_language_day_and_data(demo: Served, recorder: Recorder) -> None:
    """Two leaders of different scope, one leader in two languages, another day, another data generation: each
    renders afresh (and never gets another's bytes)."""
    app = demo.app
    app.extensions["result_cache"].clear()
    body = router_body("/funds")
    bodies = {}
    for who in ("province", "zhuzhou", "xiangtan", "province:en"):
        first, second, encoded = _render_twice(demo.clients[who], body, recorder)
        assert encoded == 1 and first == second
        bodies[who] = first
    assert len(set(bodies.values())) == 4
    recorder.values.clear()
    app.config["TODAY"] = date(2026, 11, 24)
    try:
        post(demo.clients["province"], body)
        assert len(recorder.values) == 1, "another day renders afresh"
    finally:
        app.config["TODAY"] = DEMO_TODAY
    from data_access.core.dataset import bump_council_generation

    with Session(app.extensions["db_engine"]) as s:
        bump_council_generation(s)
        s.commit()
    recorder.values.clear()
    assert post(demo.clients["province"], body).get_data() == bodies["province"]
    assert len(recorder.values) == 1, "a council write renders afresh"


def test_nothing_is_kept_with_the_result_cache_off(demo: Served, recorder: Recorder) -> None:
    _first, _second, encoded = _uncached_twice(demo, recorder)
    assert encoded == 2


def _uncached_twice(demo: Served, recorder: Recorder) -> tuple[bytes, bytes, int]:
    cache = demo.app.extensions["result_cache"]
    demo.app.extensions["result_cache"] = None
    try:
        return _render_twice(demo.clients["province"], router_body("/"), recorder)
    finally:
        demo.app.extensions["result_cache"] = cache
