"""Cached query results: keyed by the function, its arguments (the viewer's area among them) and the data generation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import create_app
from data_access import cache as result_cache
from data_access.cache import cached_query
from data_access.core.db import make_engine
from data_access.core.models import DatasetInfo
from data_access.migrate import upgrade
from data_access.users import create_user
from tests.test_auth import PASSWORD, sign_in
from tests.world import build_world

computed: list[tuple] = []


@cached_query
def _probe(session: Session, city_id: int, as_of: date) -> tuple:
    computed.append((city_id, as_of))
    return (city_id, as_of, len(computed))


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path / 'cache.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        build_world(s)
        create_user(s, "lead_a", PASSWORD, "leader", city_code="a")
        create_user(s, "prov", PASSWORD, "leader")
        s.add(DatasetInfo(key="generation", value="one"))
        s.commit()
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "TESTING": True, "TODAY": date(2024, 12, 31)})
    yield app
    app.extensions["db_engine"].dispose()


def test_key_holds_arguments_and_generation(server: Flask) -> None:
    from data_access import get_session

    computed.clear()
    with server.test_request_context():
        session = get_session()
        first = _probe(session, 1, date(2024, 1, 1))
        assert _probe(session, 1, date(2024, 1, 1)) == first  # a hit: computed once
        _probe(session, 1, date(2024, 2, 1))  # other arguments: computed
        assert _probe(session, 2, date(2024, 1, 1)) != first  # another area never gets the entry
    with server.test_request_context():
        session = get_session()
        session.merge(DatasetInfo(key="generation", value="two"))
        session.commit()
        assert _probe(session, 1, date(2024, 1, 1)) != first  # a new data set: recomputed
    assert len(computed) == 4


def test_the_data_sets_state_follows_every_mark_a_rendered_page_depends_on(server: Flask) -> None:
    """A rendered page is kept under `dataset_state` (render_cache.py): a new data generation, a council write, a city's
    first import (its demo mark goes) each change it; reading it again in the same state does not."""
    from data_access import get_session
    from data_access.cache import dataset_state
    from data_access.core.dataset import bump_council_generation, mark_imported

    states = []
    for change in (
        None,
        lambda s: s.merge(DatasetInfo(key="generation", value="two")),
        bump_council_generation,
        lambda s: mark_imported(s, "a", date(2024, 12, 31)),
    ):
        with server.test_request_context():
            session = get_session()
            if change is not None:
                change(session)
                session.commit()
                session.info.pop("dataset_facts", None)
            states.append(dataset_state(session))
            assert dataset_state(session) == states[-1]
    assert len(set(states)) == 4


def test_cached_queries_keep_their_signature() -> None:
    """The decorator is typed with ParamSpec: mypy checks callers against the real parameters (this test only
    pins the runtime side: the wrapper is the function's own, by name and docstring)."""
    from data_access.funds import funds_page_data

    assert funds_page_data.__name__ == "funds_page_data" and funds_page_data.__wrapped__  # type: ignore[attr-defined]


def _funds_page(client, search: str) -> str:  # type: ignore[no-untyped-def]
    body = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": "/funds"},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
    r = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 200
    return r.get_data(as_text=True)


def test_a_cached_page_is_shared_only_by_viewers_who_may_see_its_area(server: Flask) -> None:
    """The viewer's scope is explicit in the key: the page narrows the requested area to the viewer first. A city
    leader asking for the province gets their own city's page; the province leader's view of that city is the same
    entry (the same figures), and the province's own page is another."""
    name = "data_access.funds.funds_page_data"
    city, province = server.test_client(), server.test_client()
    sign_in(city, "lead_a")
    sign_in(province, "prov")
    start = result_cache.CALLS.get(name, 0)
    a = _funds_page(city, "?city=a")
    assert result_cache.CALLS[name] == start + 1
    assert _funds_page(city, "?city=a") == a and result_cache.CALLS[name] == start + 1  # the leader's own hit
    assert _funds_page(city, "") == a and result_cache.CALLS[name] == start + 1  # narrowed to city a: same entry
    _funds_page(province, "?city=a")  # the province leader's filter lists both cities, but...
    assert result_cache.CALLS[name] == start + 1  # ...the figures of city a are the same entry
    _funds_page(province, "")
    assert result_cache.CALLS[name] == start + 2  # the province: its own entry
    assert "乙市" not in _funds_page(city, "?city=b")  # another city is refused, not served from any entry


def test_warming_fills_the_keys_the_pages_ask_for(server: Flask) -> None:
    from data_access import get_session
    from data_access.core.models import District
    from pages._warm import warm

    warm(server)
    with server.app_context():
        a1 = get_session().scalar(select(District.id).where(District.name == "甲一区"))
    name = "data_access.funds.funds_page_data"
    before = result_cache.CALLS.get(name, 0)
    clients: dict[str, Any] = {}
    for who, search in (
        ("lead_a", ""),
        ("prov", ""),
        ("prov", "?city=a"),
        ("lead_a", f"?city=a&district={a1}"),  # a district: where a click on a chart leads
        ("prov", f"?city=a&district={a1}"),
        ("prov", "?city=a&year=2023"),  # last year
    ):
        if who not in clients:  # one sign-in per user: the sign-in throttle counts them
            clients[who] = server.test_client()
            sign_in(clients[who], who)
        _funds_page(clients[who], search)
    assert result_cache.CALLS.get(name, 0) == before  # every one a hit


def _empty_redis():  # type: ignore[no-untyped-def]
    """Redis database 7, emptied, for the tests that share a cache between apps (skipped without a Redis)."""
    import redis

    client = redis.Redis.from_url("redis://127.0.0.1:6379/7")
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    client.flushdb()
    return client


def test_redis_backend_when_configured(tmp_path: Path) -> None:
    """With CACHE_REDIS_URL the same keys live in Redis, shared by every worker (skipped without a Redis)."""

    client = _empty_redis()
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "CACHE_REDIS_URL": "redis://127.0.0.1:6379/7"})
    from data_access import get_session

    computed.clear()
    with app.test_request_context():
        first = _probe(get_session(), 9, date(2024, 1, 1))
    other = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "CACHE_REDIS_URL": "redis://127.0.0.1:6379/7"})
    with other.test_request_context():
        assert _probe(get_session(), 9, date(2024, 1, 1)) == first  # another app (worker) gets the entry
    assert len(computed) == 1 and client.dbsize() == 1
    client.flushdb()
    for a in (app, other):
        a.extensions["db_engine"].dispose()


def test_the_warm_up_runs_once_per_deployment_not_per_worker(tmp_path: Path) -> None:
    """Four workers sharing the Redis cache start together: one warms, the others serve (skipped without Redis);
    with the in-process cache each process warms its own, since each has its own."""

    from pages._warm import warm

    client = _empty_redis()
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        build_world(s)
        s.commit()
    engine.dispose()
    config = {"DATABASE_URL": url, "SECRET_KEY": "t", "TODAY": date(2024, 12, 31)}
    workers = [create_app({**config, "CACHE_REDIS_URL": "redis://127.0.0.1:6379/7"}) for _ in range(4)]
    name = "data_access.funds.funds_page_data"
    before = result_cache.CALLS.get(name, 0)
    seconds = [warm(w) for w in workers]
    assert seconds[0] > 0 and seconds[1:] == [0.0, 0.0, 0.0]
    warmed_once = result_cache.CALLS.get(name, 0) - before
    assert warmed_once > 0
    local = [create_app(config) for _ in range(2)]
    assert all(warm(w) > 0 for w in local)
    assert result_cache.CALLS.get(name, 0) - before == 3 * warmed_once
    client.flushdb()
    for w in workers + local:
        w.extensions["db_engine"].dispose()


def test_a_council_write_expires_cached_council_lists_and_figures_at_once(server: Flask) -> None:
    """Council figures are cached too, but a saved meeting shows in the very next read, in lists and roll-ups;
    the fund and elevator entries, which no council write can change, stay cached."""
    from data_access import get_session
    from data_access.core.models import City, Compound, Role
    from data_access.core.scope import Area
    from data_access.council_access import council_access
    from data_access.council_records import save_meeting
    from data_access.councils import CouncilFilter, council_rollup, list_items
    from data_access.funds import funds_page_data
    from data_access.users import load_viewer
    from tests.test_council_records import NOW, TODAY, meeting_input
    from tests.world import World

    with server.test_request_context():
        session = get_session()
        city = session.scalar(select(City).where(City.code == "a"))
        c1 = session.scalar(select(Compound).where(Compound.name == "一号小区"))
        organiser = create_user(session, "org_c1", PASSWORD, Role.organiser, compound_ids=[c1.id])
        session.commit()
        viewer = load_viewer(session, organiser.id)
        access = council_access(viewer, TODAY)
        area = Area(city_id=city.id)
        flt = CouncilFilter(area=area, compound_id=c1.id)
        before_items = list_items(session, access, flt, TODAY)
        before_rollup = council_rollup(session, area, TODAY, c1.id)
        funds_page_data(session, area, 2024, TODAY, 2021)
        counts = dict(result_cache.CALLS)
        assert list_items(session, access, flt, TODAY) == before_items  # cached...
        assert counts == result_cache.CALLS  # ...computed once

        world = World.__new__(World)
        world.c1 = c1
        save_meeting(session, access, meeting_input(world), NOW)
        session.commit()

        after_items = list_items(session, access, flt, TODAY)
        assert {r.title for r in after_items} - {r.title for r in before_items} == {"地下室电动车充电", "车位改造方案"}
        assert council_rollup(session, area, TODAY, c1.id) != before_rollup
        funds_page_data(session, area, 2024, TODAY, 2021)
        assert result_cache.CALLS["data_access.funds.funds_page_data"] == counts["data_access.funds.funds_page_data"]


def test_a_served_app_freezes_its_start_up_heap_and_a_test_app_does_not(
    server: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GC_FREEZE (on for `flask run` and gunicorn, which build the app without a test config) moves start-up
    objects out of the collector's reach; test apps leave the collector alone so a test run frees its apps."""
    import gc

    assert server.config["GC_FREEZE"] is False
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cache.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "t")
    served = create_app()  # as `flask --app app run` and gunicorn's app:server build it
    try:
        assert served.config["GC_FREEZE"] is True
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
        served.extensions["db_engine"].dispose()
