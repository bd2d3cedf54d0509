"""Accounts and the gate, spoken to as a browser or an attacker would: the Flask test client."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from app import create_app
from data_access.core.db import make_engine
from data_access.core.models import AuditLog, Compound, District, Role, User, UserCompound
from data_access.migrate import upgrade
from data_access.users import UserError, Viewer, authenticate, create_user, end_sessions, load_viewer
from tests.pages_router import render, router_body
from tests.world import build_world

PASSWORD = "correct-horse-42"


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Flask]:
    yield from _server(tmp_path)


@pytest.fixture()
def proxied_server(tmp_path: Path) -> Iterator[Flask]:
    """The same, behind one trusted proxy (TRUSTED_PROXY_HOPS=1), as the README deploys it."""
    yield from _server(tmp_path, TRUSTED_PROXY_HOPS=1)


def _server(tmp_path: Path, **config: object) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path / 'auth.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        w = build_world(s)
        create_user(s, "lead_a", PASSWORD, "leader", "甲市领导", city_code="a")
        create_user(s, "prov", PASSWORD, "leader", "省领导")
        create_user(s, "org", PASSWORD, "organiser", "组织者", compound_ids=[w.c1.id])
        s.commit()
    engine.dispose()
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "TODAY": date(2024, 12, 31),
            "LOGIN_RATE_LIMIT": "5 per minute",
            "LOGIN_ADDRESS_RATE_LIMIT": "12 per minute",
            **config,
        }
    )
    yield app
    app.extensions["db_engine"].dispose()


def csrf_token(client: FlaskClient) -> str:
    page = client.get("/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, "sign-in form carries a CSRF token"
    return match.group(1)


def sign_in(  # type: ignore[no-untyped-def]
    client: FlaskClient,
    username: str,
    password: str = PASSWORD,
    *,
    address: str = "127.0.0.1",
    headers: dict[str, str] | None = None,
    **extra: str,
):
    """Post the sign-in form as a browser at `address` would (through any proxy `headers` describe)."""
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(client), **extra},
        environ_base={"REMOTE_ADDR": address},
        headers=headers or {},
    )


def find_prop(node: object, key: str, value: str) -> dict | None:
    """The first component props dict in a Dash layout with props[key] == value."""
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and props.get(key) == value:
            return props
        children = list(node.values())
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = find_prop(child, key, value)
        if found:
            return found
    return None


def audit_rows(server: Flask, action: str) -> int:
    with Session(server.extensions["db_engine"]) as s:
        return s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == action)) or 0


def test_signed_out_pages_redirect_and_dash_endpoints_refuse(server: Flask) -> None:
    client = server.test_client()
    r = client.get("/")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login?next=/")
    for path in ("/_dash-layout", "/_dash-dependencies"):
        assert client.get(path).status_code == 401
    body = {
        "output": "_pages_content.children",
        "outputs": {"id": "_pages_content", "property": "children"},
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/"}],
        "changedPropIds": [],
    }
    r = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 401
    assert "甲市" not in r.get_data(as_text=True)
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}


def test_sign_in_sets_safe_cookies_and_opens_overview(server: Flask) -> None:
    client = server.test_client()
    r = sign_in(client, "lead_a", remember="y")
    assert r.status_code == 302 and r.headers["Location"] == "/"
    cookies = r.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    remember_cookie = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session_cookie, remember_cookie):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # plain http in tests
    assert client.get("/_dash-layout").status_code == 200
    assert audit_rows(server, "sign_in") == 1


def test_cookies_are_secure_over_https(server: Flask) -> None:
    client = server.test_client()
    token = csrf_token(client)
    r = client.post(
        "/login",
        data={"username": "lead_a", "password": PASSWORD, "csrf_token": token, "remember": "y"},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},
    )
    assert r.status_code == 302
    assert all("Secure" in c for c in r.headers.getlist("Set-Cookie"))


def test_wrong_password_is_refused_logged_and_throttled(server: Flask) -> None:
    client = server.test_client()
    statuses = [sign_in(client, "lead_a", "wrong-password").status_code for _ in range(5)]
    assert statuses == [401] * 5
    assert audit_rows(server, "sign_in_failed") == 5
    # The sixth attempt within the minute is throttled, even with the right password.
    r = sign_in(client, "lead_a")
    assert r.status_code == 429
    assert "登录尝试过于频繁" in r.get_data(as_text=True)
    assert client.get("/_dash-layout").status_code == 401


def test_correct_sign_ins_are_never_throttled(server: Flask) -> None:
    """A shared office computer signing several people in within a minute: none of them is counted."""
    assert [sign_in(server.test_client(), "lead_a").status_code for _ in range(8)] == [302] * 8
    assert [sign_in(server.test_client(), "prov").status_code for _ in range(8)] == [302] * 8


def test_an_attacker_cannot_lock_an_account_out_from_everywhere(server: Flask) -> None:
    attacker, owner = server.test_client(), server.test_client()
    assert [sign_in(attacker, "lead_a", "guess-1234", address="203.0.113.9").status_code for _ in range(5)] == [401] * 5
    assert sign_in(attacker, "lead_a", address="203.0.113.9").status_code == 429  # this account, from there
    assert sign_in(owner, "lead_a", address="198.51.100.7").status_code == 302  # the owner, from elsewhere
    assert sign_in(attacker, "prov", address="203.0.113.9").status_code == 302  # another account from there


def test_failures_over_many_accounts_throttle_the_address(server: Flask) -> None:
    """Guessing one password over many usernames is throttled per address (12 per minute in this app)."""
    client = server.test_client()
    statuses = [sign_in(client, f"user{i}", "guess-1234", address="203.0.113.9").status_code for i in range(12)]
    assert statuses == [401] * 12
    assert sign_in(client, "lead_a", address="203.0.113.9").status_code == 429
    assert sign_in(client, "lead_a", address="198.51.100.7").status_code == 302


def test_behind_a_trusted_proxy_each_client_has_its_own_budget_and_secure_cookies(proxied_server: Flask) -> None:
    client = proxied_server.test_client()
    proxy = "10.0.0.1"  # every request arrives from the proxy; X-Forwarded-For names the client

    def through_proxy(client_address: str) -> dict[str, str]:
        # Flask-WTF checks the Referer over HTTPS, as a browser behind the proxy sends it
        return {"X-Forwarded-For": client_address, "X-Forwarded-Proto": "https", "Referer": "https://localhost/login"}

    for _ in range(5):
        assert (
            sign_in(client, "lead_a", "guess-1234", address=proxy, headers=through_proxy("203.0.113.9")).status_code
            == 401
        )
    assert sign_in(client, "lead_a", address=proxy, headers=through_proxy("203.0.113.9")).status_code == 429
    r = sign_in(client, "lead_a", address=proxy, headers=through_proxy("198.51.100.7"), remember="y")
    assert r.status_code == 302
    assert all("Secure" in c for c in r.headers.getlist("Set-Cookie"))  # the proxy said the client used HTTPS
    with Session(proxied_server.extensions["db_engine"]) as s:
        failed = s.scalars(select(AuditLog.detail).where(AuditLog.action == "sign_in_failed")).all()
    assert failed and all("203.0.113.9" in (d or "") for d in failed)  # the client's address, not the proxy's


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(server: Flask) -> None:
    """A client cannot buy a fresh budget by inventing X-Forwarded-For, nor claim HTTPS."""
    client = server.test_client()
    for i in range(5):
        forged = {"X-Forwarded-For": f"192.0.2.{i}", "X-Forwarded-Proto": "https"}
        assert sign_in(client, "lead_a", "guess-1234", headers=forged).status_code == 401
    r = sign_in(client, "lead_a", headers={"X-Forwarded-For": "192.0.2.99"})
    assert r.status_code == 429


def test_sign_in_without_csrf_token_is_refused(server: Flask) -> None:
    client = server.test_client()
    r = client.post("/login", data={"username": "lead_a", "password": PASSWORD})
    assert r.status_code == 400
    assert client.get("/_dash-layout").status_code == 401


def test_next_parameter_cannot_redirect_off_site(server: Flask) -> None:
    client = server.test_client()
    token = csrf_token(client)
    r = client.post(
        "/login?next=https://evil.example/",
        data={"username": "lead_a", "password": PASSWORD, "csrf_token": token, "next": "//evil.example"},
    )
    assert r.headers["Location"] == "/"


def test_sign_out_needs_post_with_token(server: Flask) -> None:
    client = server.test_client()
    sign_in(client, "lead_a")
    client.get("/logout")  # a GET (e.g. an <img> on another site) must not sign anyone out
    assert client.post("/logout").status_code == 400  # no CSRF token
    layout = client.get("/_dash-layout").get_json()
    assert layout is not None
    token = find_prop(layout, "name", "csrf_token")
    assert token, "the navbar's sign-out form carries a CSRF token"
    r = client.post("/logout", data={"csrf_token": token["value"]})
    assert r.status_code == 302
    assert client.get("/_dash-layout").status_code == 401


def test_leader_scoped_to_city_cannot_open_another_city(server: Flask) -> None:
    client = server.test_client()
    sign_in(client, "lead_a")
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "city-b" not in layout  # the switch offers only the leader's city
    r = client.post(
        "/_dash-update-component",
        data=json.dumps(
            {
                "output": ".._pages_content.children..._pages_store.data..",
                "outputs": [
                    {"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"},
                ],
                "inputs": [
                    {"id": "_pages_location", "property": "pathname", "value": "/"},
                    {"id": "_pages_location", "property": "search", "value": "?city=b"},
                ],
                "changedPropIds": ["_pages_location.pathname"],
                "state": [],
            }
        ),
        content_type="application/json",
    )
    text = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "forbidden" in text and "card-deposits" not in text


def test_create_user_validates_before_writing(session: Session) -> None:
    build_world(session)
    before = session.scalar(select(func.count()).select_from(User))
    with pytest.raises(UserError, match="at least 10"):
        create_user(session, "x", "short", "press")
    with pytest.raises(UserError, match="unknown city"):
        create_user(session, "y", PASSWORD, "leader", city_code="nowhere")
    with pytest.raises(UserError, match="at least one compound"):
        create_user(session, "z", PASSWORD, "organiser")
    assert session.scalar(select(func.count()).select_from(User)) == before
    user = create_user(session, "ok", PASSWORD, "press")
    assert user.password_hash.startswith("scrypt:")
    assert authenticate(session, "ok", PASSWORD) is not None
    assert authenticate(session, "ok", "nope-nope-nope") is None
    with pytest.raises(UserError, match="already taken"):
        create_user(session, "ok", PASSWORD, "press")


def test_language_chosen_before_sign_in_is_kept(server: Flask) -> None:
    client = server.test_client()
    client.get("/lang/en")
    assert "Sign in" in client.get("/login").get_data(as_text=True)
    sign_in(client, "prov")
    layout = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    assert "Sign out" in layout and "退出登录" not in layout


def test_create_user_command(server: Flask) -> None:
    runner = server.test_cli_runner()
    bad = runner.invoke(
        args=["create-user", "newlead", "--role", "leader", "--city", "atlantis", "--password", PASSWORD]
    )
    assert bad.exit_code != 0 and "unknown city" in bad.output
    short = runner.invoke(args=["create-user", "newlead", "--role", "press", "--password", "short"])
    assert short.exit_code != 0 and "at least 10" in short.output
    with Session(server.extensions["db_engine"]) as s:
        assert s.scalar(select(func.count()).select_from(User).where(User.username == "newlead")) == 0
    ok = runner.invoke(args=["create-user", "newlead", "--role", "leader", "--city", "a", "--password", PASSWORD])
    assert ok.exit_code == 0, ok.output
    client = server.test_client()
    assert sign_in(client, "newlead").status_code == 302


def _render(client: FlaskClient, path: str, search: str) -> str:
    status, text = render(client, path, search)
    assert status == 200
    return text


def test_compound_view_checks_the_viewers_scope(server: Flask) -> None:
    from data_access.compounds import find_compound_id

    with Session(server.extensions["db_engine"]) as s:
        own, other = find_compound_id(s, "一号小区"), find_compound_id(s, "乙小区")
    client = server.test_client()
    sign_in(client, "lead_a")
    assert "compound-insured" in _render(client, "/compound", f"?id={own}")
    refused = _render(client, "/compound", f"?id={other}")
    assert "not-found" in refused and "乙小区" not in refused and "compound-insured" not in refused
    # Another city's compound gets the same answer as one that does not exist (pages/_urlargs: Subject).
    assert refused == _render(client, "/compound", "?id=999999")
    assert "compound-insured" not in _render(client, "/compound", "?id=abc")


def test_district_without_city_narrows_to_its_city_within_scope(server: Flask) -> None:
    from data_access.core.models import District

    with Session(server.extensions["db_engine"]) as s:
        a1 = s.scalar(select(District.id).where(District.name == "甲一区"))
        b1 = s.scalar(select(District.id).where(District.name == "乙一区"))
    client = server.test_client()
    sign_in(client, "prov")
    assert "甲市 甲一区" in _render(client, "/funds", f"?district={a1}")
    client = server.test_client()
    sign_in(client, "lead_a")
    refused = _render(client, "/funds", f"?district={b1}")
    assert "forbidden" in refused and "funds-card-deposits" not in refused


# --- Ending sessions: a cookie copied before sign-out, a password change or disabling opens nothing afterwards ----

PAGE_CALLBACK = router_body("/funds")  # Dash Pages' own callback: render /funds, as the browser asks for it


def _copy_of_cookies(client: FlaskClient, server: Flask) -> FlaskClient:
    """A second browser holding copies of the first one's session and remember cookies (a stolen cookie)."""
    thief = server.test_client()
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def _opens_anything(client: FlaskClient) -> list[int]:
    """Statuses of a page, a Dash callback and the API for this client: all refused means [302, 401, 401]."""
    return [
        client.get("/funds").status_code,
        client.post(
            "/_dash-update-component", data=json.dumps(PAGE_CALLBACK), content_type="application/json"
        ).status_code,
        client.get("/api/v1/indicators?year=2024&city=a").status_code,
    ]


def _sign_out(client: FlaskClient) -> None:
    token = find_prop(client.get("/_dash-layout").get_json(), "name", "csrf_token")
    assert token
    assert client.post("/logout", data={"csrf_token": token["value"]}).status_code == 302


@pytest.mark.parametrize("remember", [False, True])
def test_cookie_copied_before_sign_out_is_refused_after_it(server: Flask, remember: bool) -> None:
    client = server.test_client()
    sign_in(client, "lead_a", **({"remember": "y"} if remember else {}))
    thief = _copy_of_cookies(client, server)
    assert _opens_anything(thief) == [200, 200, 200]  # the copy works while the session lives
    _sign_out(client)
    assert _opens_anything(thief) == [302, 401, 401]
    assert _opens_anything(client) == [302, 401, 401]
    assert audit_rows(server, "sign_out") == 1
    # Signing in again works, and the stolen copy stays dead.
    assert sign_in(client, "lead_a").status_code == 302
    assert _opens_anything(client) == [200, 200, 200]
    assert _opens_anything(thief) == [302, 401, 401]


def test_disabling_an_account_ends_its_sessions(server: Flask) -> None:
    from data_access.users import load_viewer, set_user_active

    client = server.test_client()
    sign_in(client, "lead_a", remember="y")
    thief = _copy_of_cookies(client, server)
    with Session(server.extensions["db_engine"]) as s:
        admin = create_user(s, "boss", PASSWORD, "admin")
        s.flush()
        lead_id = s.scalar(select(User.id).where(User.username == "lead_a"))
        assert lead_id is not None
        set_user_active(s, load_viewer(s, admin.id), lead_id, False)
        s.commit()
    assert _opens_anything(client) == [302, 401, 401]
    assert _opens_anything(thief) == [302, 401, 401]
    with Session(server.extensions["db_engine"]) as s:  # re-enabling does not revive the old cookies
        admin_viewer = load_viewer(s, s.scalar(select(User.id).where(User.username == "boss")) or 0)
        set_user_active(s, admin_viewer, lead_id, True)
        s.commit()
    assert _opens_anything(thief) == [302, 401, 401]
    assert sign_in(client, "lead_a").status_code == 302


def test_password_change_ends_sessions_and_the_old_password(server: Flask) -> None:
    client = server.test_client()
    sign_in(client, "lead_a", remember="y")
    thief = _copy_of_cookies(client, server)
    runner = server.test_cli_runner()
    short = runner.invoke(args=["set-password", "lead_a", "--password", "short"])
    assert short.exit_code != 0 and "at least 10" in short.output
    assert _opens_anything(thief) == [200, 200, 200]  # a refused change ends nothing
    ok = runner.invoke(args=["set-password", "lead_a", "--password", "a-new-password-7"])
    assert ok.exit_code == 0, ok.output
    assert _opens_anything(thief) == [302, 401, 401]
    assert _opens_anything(client) == [302, 401, 401]
    assert sign_in(server.test_client(), "lead_a").status_code == 401
    assert sign_in(server.test_client(), "lead_a", "a-new-password-7").status_code == 302
    assert audit_rows(server, "set_password") == 1


def test_cookie_without_a_generation_is_refused(server: Flask) -> None:
    """A session forged or kept from before generations, naming only the account id, signs nobody in."""
    client = server.test_client()
    sign_in(client, "lead_a")
    with client.session_transaction() as sess:
        sess["_user_id"] = sess["_user_id"].split(".")[0]
    assert _opens_anything(client) == [302, 401, 401]


# --- The account read on every request: one statement, and never a stale answer (issue 18) ------------------------


@contextmanager
def _statements(session: Session) -> Iterator[list[str]]:
    """The SQL the session's connection sends inside the block (a round trip each on PostgreSQL)."""
    conn = session.connection()
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, _params: object, _ctx: object, _many: bool) -> None:
        seen.append(statement)

    event.listen(conn, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(conn, "before_cursor_execute", record)


def test_load_viewer_reads_the_account_and_its_compounds_in_one_statement(session: Session) -> None:
    """Every signed-in request runs load_viewer: one round trip, whatever the role, with or without compounds."""
    w = build_world(session)
    org = create_user(session, "org2", PASSWORD, "organiser", "组织者", compound_ids=[w.c1.id, w.c3.id])
    lead = create_user(session, "lead2", PASSWORD, "leader", city_code="a")
    press = create_user(session, "press2", PASSWORD, "press")
    rows = session.execute(select(Compound.id, District.city_id).join(District, District.id == Compound.district_id))
    city_of = {compound_id: city_id for compound_id, city_id in rows}
    with _statements(session) as seen:
        viewer = load_viewer(session, org.id, 0)
    assert len(seen) == 1, seen
    assert viewer == Viewer(
        id=org.id,
        username="org2",
        display_name="组织者",
        role=Role.organiser,
        city_id=None,
        compound_ids=frozenset({w.c1.id, w.c3.id}),
        compound_city_ids=frozenset({city_of[w.c1.id], city_of[w.c3.id]}),
        session_generation=0,
    )
    with _statements(session) as seen:
        assert load_viewer(session, lead.id) == Viewer(lead.id, "lead2", "lead2", Role.leader, w.city_a.id)
        assert load_viewer(session, press.id) == Viewer(press.id, "press2", "press2", Role.press, None)
        assert load_viewer(session, 10**9) is None  # no such account
        assert load_viewer(session, org.id, 1) is None  # a cookie of another generation
    assert len(seen) == 4, seen


def test_load_viewer_sees_every_change_to_the_account_at_once(session: Session) -> None:
    """Nothing is cached: a new role, city or compounds, an ended session or disabling count at the next call,
    changes the caller's session holds but has not flushed included (read back after the flush, as the ORM did)."""
    w = build_world(session)
    user = create_user(session, "lead3", PASSWORD, "leader", city_code="a")
    assert load_viewer(session, user.id) == Viewer(user.id, "lead3", "lead3", Role.leader, w.city_a.id)
    user.role, user.city_id = Role.data_steward, w.city_b.id  # pending in this session
    viewer = load_viewer(session, user.id)
    assert viewer is not None and (viewer.role, viewer.city_id) == (Role.data_steward, w.city_b.id)
    session.execute(update(User).where(User.id == user.id).values(role=Role.organiser, city_id=None))
    session.add(UserCompound(user_id=user.id, compound_id=w.c2.id))
    viewer = load_viewer(session, user.id)
    assert viewer is not None and (viewer.role, viewer.city_id, viewer.compound_ids) == (
        Role.organiser,
        None,
        frozenset({w.c2.id}),
    )
    end_sessions(session, user.id)
    assert load_viewer(session, user.id, 0) is None
    assert load_viewer(session, user.id, 1) is not None
    user.active = False
    assert load_viewer(session, user.id, 1) is None
    assert load_viewer(session, user.id) is None
