"""/import as an attacker would try it: straight to Dash's callback endpoint and to the routes, signed out or as the
wrong account, with someone else's ticket, too big a body. Each time: nothing is revealed, stored or written.

The check and load run as background jobs, which see no request; they are called here directly inside the app
(as the job process does) to show that they act only on a live ticket of an account still allowed.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import jobs
from app import create_app
from data_access.core.db import make_engine
from data_access.core.models import AuditLog, Compound, District, HotlineWorkOrder, Role, User
from data_access.migrate import upgrade
from data_access.users import create_user
from tests.test_auth import PASSWORD
from tests.test_council_security import client_as, key_for, outputs_of
from tests.world import build_world

TODAY = date(2024, 12, 31)
PEOPLE = ("root", "steward-a", "steward-b", "org", "press", "lead")


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path / 'import.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        w = build_world(s)
        create_user(s, "root", PASSWORD, Role.admin)
        create_user(s, "steward-a", PASSWORD, Role.data_steward, city_code="a")
        create_user(s, "steward-b", PASSWORD, Role.data_steward, city_code="b")
        create_user(s, "org", PASSWORD, Role.organiser, compound_ids=[w.c1.id])
        create_user(s, "press", PASSWORD, Role.press)
        create_user(s, "lead", PASSWORD, Role.leader, city_code="a")
        district, compound = s.execute(
            select(District.name, Compound.name).join(Compound, Compound.district_id == District.id)
            .where(District.city_id == w.city_a.id).order_by(Compound.id).limit(1)
        ).one()  # fmt: skip
        s.commit()
    engine.dispose()
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "TODAY": TODAY,
            "JOBS_DIR": str(tmp_path / "jobs"),
            "LOGIN_RATE_LIMIT": "100 per minute",
            "LOGIN_ADDRESS_RATE_LIMIT": "100 per minute",
        }
    )
    app.config["PLACE"] = (district, compound)
    yield app
    app.extensions["db_engine"].dispose()


def work_orders(app: Flask, *, bad: bool = False) -> bytes:
    district, compound = app.config["PLACE"]
    book = Workbook()
    sheet = book.active
    sheet.append(["工单编号", "受理时间", "诉求类别", "区县", "小区名称", "诉求摘要"])
    sheet.append(["SEC-0001", "2024-12-01 09:00", "电梯", district, compound, "电梯停运"])
    sheet.append(["SEC-0002", "下周" if bad else "2024-12-02 10:00", "电梯", district, compound, "电梯异响"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def stage(app: Flask, who: str | None, data: bytes, city: str = "a", name: str = "orders.xlsx") -> Any:
    client, headers = client_as(app, who)
    key = key_for(app, "import-upload")
    contents = "data:application/octet-stream;base64," + base64.b64encode(data).decode()
    body = {
        "output": key,
        "outputs": outputs_of(key),
        "inputs": [{"id": "import-upload", "property": "contents", "value": contents}],
        "state": [
            {"id": "import-upload", "property": "filename", "value": name},
            {"id": "import-kind", "property": "value", "value": "work-orders"},
            {"id": "import-city", "property": "value", "value": city},
        ],
        "changedPropIds": ["import-upload.contents"],
    }
    return client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json", headers=headers
    )


def post_json(client: Any, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json", headers=headers
    )


def stored(app: Flask) -> tuple[list[str], int]:
    """What /import has kept: uploaded files, and tickets."""
    store = app.extensions["job_store"]
    tickets = sum(1 for k in store.iterkeys() if str(k).startswith("import-ticket:"))
    return sorted(p.name for p in (Path(app.config["JOBS_DIR"]) / "uploads").iterdir()), tickets


def database(app: Flask) -> tuple[int, int, int]:
    engine = app.extensions["db_engine"]
    with Session(engine) as s:
        return (
            s.scalar(select(func.count()).select_from(HotlineWorkOrder)) or 0,
            s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "import")) or 0,
            s.scalar(select(func.count()).select_from(User)) or 0,
        )


def ticket_of(response: Any) -> str | None:
    data = response.get_json()["response"]
    return data.get("import-ticket", {}).get("data")


@pytest.mark.parametrize("who", [None, "org", "press", "lead"])
def test_only_importers_may_upload(server: Flask, who: str | None) -> None:
    before = database(server)
    response = stage(server, who, work_orders(server))
    assert response.status_code in (204, 401), response.get_data(as_text=True)[:300]
    assert stored(server) == ([], 0)
    assert database(server) == before


def test_a_steward_may_not_upload_for_another_city(server: Flask) -> None:
    response = stage(server, "steward-b", work_orders(server), city="a")
    assert response.status_code == 200
    assert ticket_of(response) is None
    assert "不能为该城市导入" in response.get_data(as_text=True)
    assert stored(server) == ([], 0)


def test_an_oversized_file_is_refused_and_not_kept(server: Flask) -> None:
    server.config["IMPORT_MAX_BYTES"] = 1_000
    response = stage(server, "steward-a", work_orders(server))
    assert ticket_of(response) is None and "超过" in response.get_data(as_text=True)
    assert stored(server) == ([], 0)


def test_a_body_over_the_request_limit_is_refused_before_any_code_reads_it(server: Flask) -> None:
    server.config["MAX_CONTENT_LENGTH"] = 50_000
    response = stage(server, "steward-a", b"x" * 60_000)
    assert response.status_code == 413
    assert stored(server) == ([], 0)


def _run_job(app: Flask, name: str, ticket_id: object) -> Any:
    """A background callback's body, run as its job process runs it: inside the app, with no request."""
    from pages import data_import

    progress: list[Any] = []
    with app.app_context():
        return getattr(data_import, name)(progress.append, ticket_id), progress


def test_a_checked_file_is_loaded_only_through_its_own_ticket(server: Flask) -> None:
    before = database(server)
    response = stage(server, "steward-a", work_orders(server))
    ticket_id = ticket_of(response)
    assert ticket_id and stored(server)[1] == 1
    (preview, disabled, _), progress = _run_job(server, "_check", ticket_id)
    assert disabled is False and progress and progress[-1][0] == 100
    assert database(server) == before  # the check writes nothing

    # Someone else confirming the ticket: refused, and the ticket does not move on.
    for who in ("steward-b", "lead", "root"):
        client, headers = client_as(server, who)
        key = key_for(server, "import-confirm")
        body = {
            "output": key,
            "outputs": outputs_of(key),
            "inputs": [{"id": "import-confirm", "property": "n_clicks", "value": 1}],
            "state": [{"id": "import-ticket", "property": "data", "value": ticket_id}],
            "changedPropIds": ["import-confirm.n_clicks"],
        }
        answer = client.post(
            "/_dash-update-component", data=json.dumps(body), content_type="application/json", headers=headers
        )
        assert answer.status_code == 204
    # The load job will not run a ticket nobody confirmed.
    (result, _), _ = _run_job(server, "_load", ticket_id)
    assert "已失效" in json.dumps(result.to_plotly_json(), ensure_ascii=False, default=str)
    assert database(server) == before
    with server.app_context():
        assert jobs.read_ticket(ticket_id)["step"] == "checked"


def test_a_job_refuses_when_the_account_lost_its_right_since(server: Flask) -> None:
    ticket_id = ticket_of(stage(server, "steward-a", work_orders(server)))
    engine = server.extensions["db_engine"]
    with Session(engine) as s:
        s.query(User).filter_by(username="steward-a").update({"active": False})
        s.commit()
    (preview, disabled, _), _ = _run_job(server, "_check", ticket_id)
    assert disabled is True
    assert "已失效" in json.dumps(preview.to_plotly_json(), ensure_ascii=False, default=str)


def test_a_file_of_the_wrong_type_gets_a_message_not_a_trace(server: Flask) -> None:
    ticket_id = ticket_of(stage(server, "steward-a", b"MZ\x90\x00 not a workbook", name="orders.xlsx"))
    (preview, disabled, _), _ = _run_job(server, "_check", ticket_id)
    text = json.dumps(preview.to_plotly_json(), ensure_ascii=False, default=str)
    assert disabled is True and "无法导入" in text and "Traceback" not in text


@pytest.mark.parametrize("who", [None, "org", "press", "lead"])
def test_the_routes_refuse_everyone_but_importers(server: Flask, who: str | None) -> None:
    client, _ = client_as(server, who)
    for path in ("/import/template/work-orders.xlsx", "/import/export/a/work-orders.xlsx"):
        response = client.get(path)
        assert response.status_code in (302, 401, 404), (who, path)
        assert b"PK" not in response.get_data()[:2]  # no workbook handed out


def test_a_steward_exports_only_their_city_and_reads_only_their_own_error_files(server: Flask) -> None:
    a, _ = client_as(server, "steward-a")
    assert a.get("/import/export/a/work-orders.xlsx").status_code == 200
    assert a.get("/import/export/b/work-orders.xlsx").status_code == 404
    assert a.get("/import/template/registry.xlsx").get_data()[:2] == b"PK"
    ticket_id = ticket_of(stage(server, "steward-a", work_orders(server, bad=True)))
    _run_job(server, "_check", ticket_id)
    own = a.get(f"/import/errors/{ticket_id}.xlsx")
    assert own.status_code == 200 and own.get_data()[:2] == b"PK"
    root, _ = client_as(server, "root")
    assert root.get(f"/import/errors/{ticket_id}.xlsx").status_code == 404  # not even an admin reads another's
    assert a.get("/import/errors/made-up-ticket-id-000000000.xlsx").status_code == 404
