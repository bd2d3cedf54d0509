"""A database that becomes unreachable in the middle of a request: the API and callbacks answer JSON 503 with
Retry-After, a page answers a readable 503, nothing half-written, and the app recovers by itself.

The app talks to PostgreSQL through a small TCP relay that the test can cut, as a restart or a network failure
would: every open connection is closed and new ones are refused until the relay is restored. The cut is made from
inside the request, just before one of its statements runs.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app import create_app
from data_access.core.db import make_engine
from data_access.core.models import ApiToken
from data_access.migrate import upgrade
from data_access.tokens import create_token
from data_access.users import create_user
from tests.conftest import make_database_url
from tests.test_auth import PAGE_CALLBACK, PASSWORD, sign_in
from tests.world import build_world


class Relay:
    """Forward a local port to PostgreSQL; `cut()` drops every connection and refuses new ones."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listen()

    def _listen(self) -> None:
        self._listener.listen(64)
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        with contextlib.suppress(OSError):  # shutdown wakes the thread blocked in accept(): close() alone does not
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for s in sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass

    def restore(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", self.port))
        self._listen()


@pytest.fixture()
def relayed(tmp_path: Path) -> Iterator[tuple[Flask, Relay, str]]:
    for url in make_database_url("postgresql", tmp_path):
        upgrade(url)
        engine = make_engine(url)
        with Session(engine) as s:
            build_world(s)
            create_user(s, "lead_a", PASSWORD, "leader", "甲市领导", city_code="a")
            token = create_token(s, "bureau platform")
            s.commit()
        engine.dispose()
        relay = Relay(("127.0.0.1", int(url.rsplit(":", 1)[1].split("/")[0])))
        relayed_url = url.replace(url.rsplit("@", 1)[1].split("/")[0], f"127.0.0.1:{relay.port}")
        app = create_app({"DATABASE_URL": relayed_url, "SECRET_KEY": "t", "TESTING": True, "TODAY": date(2024, 12, 31)})
        yield app, relay, token
        app.extensions["db_engine"].dispose()
        relay.cut()


def _cut_before_statement(app: Flask, relay: Relay, n: int) -> None:
    """Cut the relay just before the n-th statement from now runs: the request is under way when it fails."""
    seen = {"count": 0}

    @event.listens_for(app.extensions["db_engine"], "before_cursor_execute")
    def _maybe_cut(*_args: object) -> None:
        seen["count"] += 1
        if seen["count"] == n:
            relay.cut()


def _assert_json_503(response, what: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503, f"{what}: {response.status_code} {response.get_data(as_text=True)[:200]}"
    assert response.headers.get("Retry-After", "").isdigit(), what
    body = response.get_json()
    assert body is not None and body["status"] == 503 and "database" in body["error"], what
    assert "Traceback" not in response.get_data(as_text=True)


def test_api_and_callbacks_answer_json_503_mid_request_and_recover(relayed: tuple[Flask, Relay, str]) -> None:
    app, relay, token = relayed
    bearer = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    assert sign_in(client, "lead_a").status_code == 302
    assert client.get("/api/v1/indicators?year=2024&city=a", headers=bearer).status_code == 200

    _cut_before_statement(app, relay, 3)  # past the token check: inside the indicators' own queries
    _assert_json_503(client.get("/api/v1/indicators?year=2023&city=a", headers=bearer), "API")
    _assert_json_503(
        client.post("/_dash-update-component", data=json.dumps(PAGE_CALLBACK), content_type="application/json"),
        "callback",
    )
    page = client.get("/funds", headers={"Accept": "text/html"})
    assert page.status_code == 503 and page.headers["Retry-After"].isdigit()
    text = page.get_data(as_text=True)
    assert "数据暂时无法读取" in text and "Traceback" not in text and "OperationalError" not in text
    assert "Content-Security-Policy" in page.headers  # an error page is still a page with its headers

    relay.restore()  # the database is back: no restart of the app
    assert client.get("/api/v1/indicators?year=2023&city=a", headers=bearer).status_code == 200
    r = client.post("/_dash-update-component", data=json.dumps(PAGE_CALLBACK), content_type="application/json")
    assert r.status_code == 200
    with Session(app.extensions["db_engine"]) as s:
        assert s.scalar(select(func.count()).select_from(ApiToken)) == 1


def test_an_outage_is_logged_once_not_per_request(
    relayed: tuple[Flask, Relay, str], caplog: pytest.LogCaptureFixture
) -> None:
    app, relay, token = relayed
    client = app.test_client()
    relay.cut()
    for _ in range(5):
        _assert_json_503(
            client.get("/api/v1/indicators?year=2024", headers={"Authorization": f"Bearer {token}"}), "API"
        )
    outage_lines = [r for r in caplog.records if r.name == "housing.outage"]
    assert len(outage_lines) == 1 and outage_lines[0].exc_info is None
    relay.restore()


def test_a_connection_killed_before_the_teardown_rollback_keeps_the_503(
    relayed: tuple[Flask, Relay, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL stopping ("terminating connection due to administrator command") can fail the request and then
    the rollback that ends its session too; the client must still get the JSON 503, not a bare 500."""
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session as OrmSession

    app, relay, token = relayed
    real_close = OrmSession.close

    def close_on_a_dead_connection(self: OrmSession) -> None:
        real_close(self)
        raise OperationalError("ROLLBACK", {}, Exception("terminating connection due to administrator command"))

    relay.cut()
    monkeypatch.setattr(OrmSession, "close", close_on_a_dead_connection)
    _assert_json_503(
        app.test_client().get("/api/v1/indicators?year=2024", headers={"Authorization": f"Bearer {token}"}), "API"
    )
    monkeypatch.undo()
    relay.restore()
    assert (
        app.test_client().get("/api/v1/indicators?year=2024", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )
