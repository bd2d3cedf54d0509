"""Starting a real deployment from an empty database (README, "Starting with an empty database").

`flask --app app init-deployment --admin NAME` migrates, loads the province's cities, districts and programme rules
only, and creates the first administrator. Then the administrator signs in and every page — and every callback the
browser would fire on it — answers without an error on a database with no compound, elevator, ledger or work order;
and a registry file imported for one city makes that city's compounds appear.

The pages' callbacks are fired as Dash's renderer would fire them: each callback whose inputs and outputs are in the
rendered page, with the values the layout gives them (one that waits for the user, as if its first input had just
been touched; a compound grid asking for its first block); then, for a few rounds, the callbacks whose inputs the
previous answers changed. Every answer must be a 200 or a 204 (nothing to update), never an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import create_app
from data_access.core.dataset import read_rollup_state
from data_access.core.models import (
    City,
    Compound,
    CoverageTarget,
    DatasetInfo,
    District,
    Elevator,
    HotlineWorkOrder,
    MaintenanceFundEntry,
    ProgrammeRule,
    PropertyCompany,
    Province,
    Role,
    User,
)
from tests.conftest import make_database_url
from tests.pages_router import router_body
from tests.test_auth import sign_in
from tests.test_council_security import outputs_of
from tests.test_import_world import xlsx_bytes

PASSWORD = "first-admin-2026"
GRID_BLOCK = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}

REGISTRY: dict[str, list[list[Any]]] = {
    "物业服务企业 Property companies": [
        ["企业名称", "城市", "登记日期", "党组织成立日期"],
        ["天元物业", "株洲市", "2015-03-01", None],
    ],
    "小区 Compounds": [
        ["区县", "小区名称", "户数", "居住人数", "竣工日期", "物业服务企业"],
        ["天元区", "首批导入小区", 480, 1500, "2012-06-30", "天元物业"],
        ["荷塘区", "第二导入小区", 320, 1000, "2015-09-01", "天元物业"],
    ],
    "楼栋 Buildings": [
        ["区县", "小区名称", "楼栋号", "层数"],
        ["天元区", "首批导入小区", "1", 24],
        ["荷塘区", "第二导入小区", "1", 18],
    ],
    "单元 Units": [
        ["区县", "小区名称", "楼栋号", "单元号", "户数"],
        ["天元区", "首批导入小区", "1", "1", 48],
        ["荷塘区", "第二导入小区", "1", "1", 36],
    ],
    "电梯 Elevators": [
        ["注册代码", "区县", "小区名称", "楼栋号", "单元号", "投入使用日期", "维保单位", "维保正常"],
        ["ZZ-EMPTY-001", "天元区", "首批导入小区", "1", "1", "2012-07-01", "株洲维保", "是"],
        ["ZZ-EMPTY-002", "荷塘区", "第二导入小区", "1", "1", "2015-10-01", "株洲维保", "是"],
    ],
}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """An app on a new, empty database (not even migrated): what a deployment starts from."""
    urls = make_database_url(request.param, tmp_path)
    url = next(urls)
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "empty-start",
            "TESTING": True,
            "JOBS_DIR": str(tmp_path / "jobs"),
            "JOBS_REDIS_URL": None,
            "LOGIN_RATE_LIMIT": "100 per minute",
            "LOGIN_ADDRESS_RATE_LIMIT": "100 per minute",
        }
    )
    try:
        yield app
    finally:
        app.extensions["db_engine"].dispose()
        next(urls, None)


def init(app: Flask, *extra: str) -> Any:
    return app.test_cli_runner().invoke(
        args=["init-deployment", "--admin", "root", "--password", PASSWORD, *extra], catch_exceptions=False
    )


def counts(app: Flask) -> dict[str, int]:
    tables: tuple[Any, ...] = (Province, City, District, ProgrammeRule, CoverageTarget, PropertyCompany, Compound)
    tables += (Elevator, MaintenanceFundEntry, HotlineWorkOrder, User)
    with Session(app.extensions["db_engine"]) as s:
        return {t.__tablename__: s.scalar(select(func.count()).select_from(t)) or 0 for t in tables}


def test_the_command_loads_only_the_places_and_rules_and_the_first_administrator(empty: Flask) -> None:
    result = init(empty)
    assert result.exit_code == 0, result.output
    assert "2 cities, 9 districts and 2 programme rules" in result.output
    assert counts(empty) == {
        "province": 1,
        "city": 2,
        "district": 9,
        "programme_rule": 2,
        "coverage_target": 2,  # Xiangtan's two published targets; Zhuzhou's rule sets none
        "property_company": 0,
        "compound": 0,
        "elevator": 0,
        "maintenance_fund_entry": 0,
        "hotline_work_order": 0,
        "user_account": 1,
    }
    with Session(empty.extensions["db_engine"]) as s:
        assert s.scalars(select(User)).one().role is Role.admin
        assert s.get(DatasetInfo, "demo").value == "false"  # type: ignore[union-attr]  # no page is marked demo
        assert read_rollup_state(s).ready  # the (empty) pre-aggregated tables belong to this data set
        assert sorted(s.scalars(select(City.code))) == ["xiangtan", "zhuzhou"]

    # Run again: nothing new, nothing changed; and the demo seed never lands on top of a deployment.
    before = counts(empty)
    again = init(empty)
    assert again.exit_code == 0 and "already" in again.output
    seeded = empty.test_cli_runner().invoke(args=["seed-demo", "--scale", "small", "--if-empty"])
    assert seeded.exit_code == 0 and "skipped" in seeded.output, seeded.output
    assert counts(empty) == before


def test_the_command_refuses_a_demo_database_and_a_weak_password(empty: Flask, tmp_path: Path) -> None:
    weak = empty.test_cli_runner().invoke(args=["init-deployment", "--admin", "root", "--password", "short"])
    assert weak.exit_code != 0 and counts(empty)["user_account"] == 0  # nothing written with a refused account
    assert counts(empty)["city"] == 0
    with Session(empty.extensions["db_engine"]) as s:
        s.add(DatasetInfo(key="demo", value="true"))
        s.commit()
    refused = empty.test_cli_runner().invoke(args=["init-deployment", "--admin", "root", "--password", PASSWORD])
    assert refused.exit_code != 0 and "demo" in refused.output
    assert counts(empty)["city"] == 0


# --------------------------------------------------------------------------- the pages on an empty database


def _signed_in(app: Flask, username: str = "root") -> tuple[FlaskClient, dict[str, str]]:
    client = app.test_client()
    assert sign_in(client, username, PASSWORD).status_code == 302
    client.get("/")
    cookie = client.get_cookie("_csrf_token")
    assert cookie is not None
    return client, {"X-CSRFToken": cookie.value}


def _components(tree: Any, props: dict[str, dict[str, Any]]) -> None:
    """Every component with a plain id in a layout (as JSON), by id: its props."""
    if isinstance(tree, list):
        for item in tree:
            _components(item, props)
    elif isinstance(tree, dict):
        if "props" in tree and "type" in tree:
            found = tree["props"]
            if isinstance(found.get("id"), str):
                props.setdefault(found["id"], {}).update(found)
            for value in found.values():
                _components(value, props)
        else:
            for value in tree.values():
                _components(value, props)


def _parse(item: str) -> tuple[str, str]:
    cid, _, prop = item.rpartition(".")
    return cid, prop.split("@")[0]


class Renderer:
    """Enough of Dash's renderer to fire a page's callbacks as a browser does on load; records every answer."""

    def __init__(self, client: FlaskClient, headers: dict[str, str]) -> None:
        self.client, self.headers = client, headers
        self.deps = [
            d
            for d in client.get("/_dash-dependencies").get_json()
            if not d.get("clientside_function") and not d.get("background")
        ]
        self.answers: list[tuple[str, int, str]] = []

    def post(self, body: dict[str, Any], query: str = "") -> tuple[int, Any]:
        r = self.client.post(
            "/_dash-update-component" + query, data=json.dumps(body), content_type="application/json",
            headers=self.headers,
        )  # fmt: skip
        text = r.get_data(as_text=True)
        self.answers.append((body["output"], r.status_code, text))
        return r.status_code, r.get_json(silent=True) if r.status_code == 200 else None

    @staticmethod
    def _changed(dep: dict[str, Any], inputs: list[tuple[str, str]], changed: set[tuple[str, str]] | None) -> list[str]:
        """On load, a callback fires with nothing changed; one that waits for the user (prevent_initial_call) is
        fired as if its first input had just been touched, so it answers too."""
        if changed is None:
            return [f"{inputs[0][0]}.{inputs[0][1]}"] if dep.get("prevent_initial_call") else []
        return [f"{c}.{p}" for c, p in inputs if (c, p) in changed]

    def open(self, path: str, search: str = "") -> str:
        """Render the page, fire its callbacks; give the text of every answer (for what the page shows)."""
        props: dict[str, dict[str, Any]] = {}
        _components(self.client.get("/_dash-layout").get_json(), props)
        status, page = self.post(router_body(path, search))
        assert status == 200, (path, self.answers[-1][2][:800])
        _components(page["response"], props)
        props.setdefault("_pages_location", {}).update(pathname=path, search=search)
        for cid, found in props.items():  # every dcc.Location of the page stands at the URL
            if found.get("refresh") is not None or cid.endswith("url"):
                found.update(pathname=path, search=search, href=f"http://localhost{path}{search}")
        changed: set[tuple[str, str]] | None = None  # None: the first round (every callback whose inputs are there)
        shown = [json.dumps(page, ensure_ascii=False)]
        for _round in range(4):
            now: set[tuple[str, str]] = set()
            for dep in self.deps:
                inputs = [(i["id"], i["property"]) for i in dep["inputs"]]
                if any(not isinstance(cid, str) or cid.startswith("{") or cid not in props for cid, _ in inputs):
                    continue  # pattern-matching ids and components of other pages
                outputs = [_parse(o) for o in dep["output"].strip(".").split("...")]
                if any(cid not in props for cid, _ in outputs):
                    continue
                if changed is not None and not any(i in changed for i in inputs):
                    continue
                states = [(s["id"], s["property"]) for s in dep["state"]]
                if any(cid not in props for cid, _ in states):
                    continue

                def value(cid: str, prop: str) -> Any:
                    if prop == "getRowsRequest":
                        return GRID_BLOCK
                    return props[cid].get(prop)

                body = {
                    "output": dep["output"],
                    "outputs": outputs_of(dep["output"]),
                    "inputs": [{"id": c, "property": p, "value": value(c, p)} for c, p in inputs],
                    "state": [{"id": c, "property": p, "value": value(c, p)} for c, p in states],
                    "changedPropIds": self._changed(dep, inputs, changed),
                }
                status, answer = self.post(body, "")
                assert status in (200, 204), (path, search, dep["output"], self.answers[-1][2][:1500])
                if answer is None:
                    continue
                shown.append(json.dumps(answer, ensure_ascii=False))
                for cid, new_props in answer.get("response", {}).items():
                    if isinstance(cid, str) and not cid.startswith("{"):
                        props.setdefault(cid, {}).update(new_props)
                        now.update((cid, p) for p in new_props)
                        _components(new_props, props)
            if not now:
                break
            changed = now
        return "\n".join(shown)


def _pages() -> list[str]:
    return [p["path"] for p in dash.page_registry.values() if p["path"] != "/not-found-404"]


def test_every_page_answers_on_an_empty_database_and_an_imported_registry_shows_its_compounds(
    empty: Flask, tmp_path: Path
) -> None:
    assert init(empty).exit_code == 0
    client, headers = _signed_in(empty)
    renderer = Renderer(client, headers)
    for path in _pages():
        for search in ("", "?city=zhuzhou"):
            text = renderer.open(path, search)
            assert "演示数据" not in text  # no demo mark on a deployment's pages
    fired = {output for output, _status, _text in renderer.answers}
    assert len(fired) >= 35, sorted(fired)  # the renderer did reach the pages' callbacks, not only the router
    assert not [a for a in renderer.answers if a[1] >= 500]

    # The accounts the administrator creates next see their pages answer too: the fund centre's form with no
    # pooled account to choose, the steward's /import.
    runner = empty.test_cli_runner()
    for args in (["zz-fund", "--role", "fund_centre"], ["zz-data", "--role", "data_steward"]):
        made = runner.invoke(args=["create-user", *args, "--city", "zhuzhou", "--password", PASSWORD])
        assert made.exit_code == 0, made.output
    for username, paths in (("zz-fund", ("/insurance", "/", "/insurance-value")), ("zz-data", ("/import", "/"))):
        other = Renderer(*_signed_in(empty, username))
        for path in paths:
            other.open(path, "?city=zhuzhou")
        assert not [a for a in other.answers if a[1] >= 500]

    # The registry fills Zhuzhou: its compounds are listed on the elevators page's grid, Xiangtan stays empty.
    registry = tmp_path / "registry.xlsx"
    registry.write_bytes(xlsx_bytes(REGISTRY))
    loaded = empty.test_cli_runner().invoke(args=["import", "registry", str(registry), "--city", "zhuzhou"])
    assert loaded.exit_code == 0, loaded.output
    zhuzhou = renderer.open("/elevators", "?city=zhuzhou")
    assert "首批导入小区" in zhuzhou and "第二导入小区" in zhuzhou
    assert "首批导入小区" not in renderer.open("/elevators", "?city=xiangtan")
    assert "首批导入小区" in renderer.open("/", "?city=zhuzhou") or "首批导入小区" in zhuzhou
    assert not [a for a in renderer.answers if a[1] >= 500]
