"""Account administration: only administrators, every change audited, refused attempts write nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app import create_app
from data_access.core.db import make_engine
from data_access.core.models import AuditLog, Role, User
from data_access.migrate import upgrade
from data_access.users import (
    AccessDenied,
    UserError,
    admin_create_user,
    create_user,
    load_viewer,
    search_compounds,
    set_user_active,
)
from tests.test_auth import PASSWORD, sign_in
from tests.test_council_security import client_as, key_for
from tests.world import build_world


def test_only_an_admin_creates_and_disables_accounts(session: Session) -> None:
    w = build_world(session)
    admin = load_viewer(session, create_user(session, "root", PASSWORD, Role.admin).id)
    leader = load_viewer(session, create_user(session, "lead", PASSWORD, Role.leader, city_code="a").id)
    users = session.scalar(select(func.count()).select_from(User))
    with pytest.raises(AccessDenied):
        admin_create_user(session, leader, username="x", password=PASSWORD, role="press")
    with pytest.raises(UserError) as exc:
        admin_create_user(
            session, admin, username="x", password=PASSWORD, role="organiser", city_code="a", compound_ids=[w.c1.id]
        )
    assert exc.value.field == "city"
    assert session.scalar(select(func.count()).select_from(User)) == users
    made = admin_create_user(
        session, admin, username="org9", password=PASSWORD, role="organiser", compound_ids=[w.c1.id]
    )
    assert load_viewer(session, made.id).compound_ids == {w.c1.id}  # type: ignore[union-attr]
    with pytest.raises(UserError):
        set_user_active(session, admin, admin.id, False)  # type: ignore[union-attr]
    set_user_active(session, admin, made.id, False)
    assert load_viewer(session, made.id) is None  # a disabled account has no sessions
    logged = session.scalars(select(AuditLog.detail).where(AuditLog.entity == "user_account")).all()
    assert len(logged) == 2 and PASSWORD not in "".join(d or "" for d in logged)
    assert [label for _, label in search_compounds(session, "一号")] == ["一号小区（甲市甲一区）"]
    assert search_compounds(session, "%") == []  # LIKE wildcards are matched literally


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path / 'admin.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        w = build_world(s)
        create_user(s, "root", PASSWORD, Role.admin)
        create_user(s, "lead", PASSWORD, Role.leader, city_code="a")
        create_user(s, "org", PASSWORD, Role.organiser, compound_ids=[w.c1.id])
        create_user(s, "press", PASSWORD, Role.press)
        s.commit()
    engine.dispose()
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "t",
            "TESTING": True,
            "TODAY": date(2024, 12, 31),
            "LOGIN_RATE_LIMIT": "100 per minute",
        }
    )
    yield app
    app.extensions["db_engine"].dispose()


def users_table(app: Flask) -> list[tuple]:
    with app.extensions["db_engine"].connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT * FROM user_account ORDER BY id"))]


def create_body(app: Flask) -> dict:
    key = key_for(app, "admin-create")
    fields = ("admin-username", "admin-display-name", "admin-role", "admin-password", "admin-city", "admin-compounds")
    values = ("intruder", "入侵者", "admin", "long-enough-password", "", [])
    outs = key.strip(".").split("...")
    return {
        "output": key,
        "outputs": [{"id": o.rpartition(".")[0], "property": o.rpartition(".")[2].split("@")[0]} for o in outs],
        "inputs": [{"id": "admin-create", "property": "n_clicks", "value": 1}],
        "state": [{"id": f, "property": "value", "value": v} for f, v in zip(fields, values, strict=True)],
        "changedPropIds": ["admin-create.n_clicks"],
    }


@pytest.mark.parametrize("who", [None, "lead", "org", "press"])
def test_non_admins_cannot_create_accounts_through_the_callback(server: Flask, who: str | None) -> None:
    client, headers = client_as(server, who)
    before = users_table(server)
    r = client.post(
        "/_dash-update-component",
        data=json.dumps(create_body(server)),
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code in (200, 401)
    assert users_table(server) == before
    if who:
        page = client.post(
            "/_dash-update-component",
            data=json.dumps(
                {
                    "output": ".._pages_content.children..._pages_store.data..",
                    "outputs": [
                        {"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"},
                    ],
                    "inputs": [
                        {"id": "_pages_location", "property": "pathname", "value": "/admin/users"},
                        {"id": "_pages_location", "property": "search", "value": ""},
                    ],
                    "changedPropIds": ["_pages_location.pathname"],
                    "state": [],
                }
            ),
            content_type="application/json",
        )
        body = page.get_data(as_text=True)
        assert "forbidden" in body and "admin-users-grid" not in body


def test_the_admin_creates_an_account_that_can_sign_in(server: Flask) -> None:
    client, headers = client_as(server, "root")
    r = client.post(
        "/_dash-update-component",
        data=json.dumps(create_body(server)),
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 200
    assert any(row[1] == "intruder" for row in users_table(server))
    fresh = server.test_client()
    assert sign_in(fresh, "intruder", "long-enough-password").status_code == 302
