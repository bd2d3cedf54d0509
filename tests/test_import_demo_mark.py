"""Demo and real data side by side: once a city's own records are imported, that city's pages and API answers stop
calling its figures demo data; the other cities, and the province that includes them, keep the mark."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import insert
from sqlalchemy.orm import Session

import app as app_module
from data_access.core.dataset import DEMO_KEY, demo_city_codes
from data_access.core.models import DatasetInfo
from data_access.geography import list_cities
from data_access.imports.files import Source
from data_access.imports.pipeline import Who, load_file, validate_file
from tests.test_council_security import client_as
from tests.test_import_security import TODAY, server, work_orders  # noqa: F401  (the fixture)


def _demo(app: Flask) -> None:
    with Session(app.extensions["db_engine"]) as s:
        s.execute(insert(DatasetInfo).values(key=DEMO_KEY, value="true"))
        s.commit()


def _import(app: Flask, data: bytes, *, dry_run: bool = False) -> None:
    with Session(app.extensions["db_engine"]) as s:
        source = Source("orders.xlsx", data=data)
        if dry_run:
            assert validate_file(s, "work-orders", source, "a", today=TODAY).ok
        else:
            assert load_file(s, "work-orders", source, "a", who=Who(None, "test"), today=TODAY).loaded
            s.commit()


def _api_demo(app: Flask, query: str) -> bool:
    client, _ = client_as(app, "root")
    body = client.get(f"/api/v1/indicators?year=2024{query}").get_json()
    return bool(body["demo_data"])


def _banner(app: Flask, search: str) -> str | None:
    with app.test_request_context("/"), Session(app.extensions["db_engine"]) as s:
        from flask import g

        g.db_session = s
        mark = app_module._demo_mark(search, list_cities(s), "zh")
        return None if mark is None else str(mark.to_plotly_json())


def test_an_imported_city_is_no_longer_marked_as_demo(server: Flask) -> None:  # noqa: F811
    _demo(server)
    assert _api_demo(server, "&city=a") and _api_demo(server, "&city=b") and _api_demo(server, "")
    _import(server, work_orders(server), dry_run=True)  # a dry run changes nothing
    assert _api_demo(server, "&city=a")
    _import(server, work_orders(server))
    assert not _api_demo(server, "&city=a")
    assert _api_demo(server, "&city=b") and _api_demo(server, "")  # the province still holds city b's demo
    with Session(server.extensions["db_engine"]) as s:
        assert demo_city_codes(s, ["a", "b"]) == frozenset({"b"})
    assert _banner(server, "?city=a") is None
    whole = _banner(server, "?city=b")
    assert whole is not None and "本页数字由合成数据生成" in whole
    province = _banner(server, "")
    assert province is not None and "乙市" in province and "甲市" not in province


def test_a_data_set_that_is_not_the_demo_is_never_marked(server: Flask) -> None:  # noqa: F811
    assert not _api_demo(server, "") and _banner(server, "") is None
