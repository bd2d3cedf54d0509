"""Background jobs on Redis (JOBS_REDIS_URL): the production set-up of jobs.py.

- the ticket store on Redis keeps the embedded store's promises: issue / read / update / advance, a step moved on
  exactly once however many processes race for it, expiry after TICKET_SECONDS, nothing for a made-up id;
- end to end: an app configured as in production and a real `celery -A jobs.celery_app worker` subprocess, both on
  Redis database 9; the steward uploads through Dash's callback endpoint as the page does, the check and the load
  run in the worker, and the database holds the work orders afterwards (SQLite, then PostgreSQL).

Without a Redis at 127.0.0.1:6379 these tests are skipped with the reason; with CI=true they fail instead.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

import jobs
from app import create_app
from data_access.core.db import make_engine
from data_access.core.models import AuditLog, City, Compound, District, HotlineWorkOrder, Role, User
from data_access.migrate import upgrade
from data_access.users import create_user
from tests.conftest import IN_CI, make_database_url
from tests.test_auth import PASSWORD
from tests.test_council_security import client_as, key_for, outputs_of
from tests.test_import_security import work_orders
from tests.world import build_world

REDIS_URL = os.environ.get("TEST_JOBS_REDIS_URL", "redis://127.0.0.1:6379/9")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def redis_db() -> Iterator[Any]:
    """Redis database 9, emptied before and after (only that database is ever flushed)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        message = f"no Redis at {REDIS_URL} ({exc}); start it (`redis-server`) or set TEST_JOBS_REDIS_URL"
        if IN_CI:
            pytest.fail("CI=true requires the Redis job tests: " + message, pytrace=False)
        pytest.skip(message)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


# --------------------------------------------------------------------------- the ticket store


def test_a_ticket_is_issued_read_updated_and_advanced_once(redis_db: Any) -> None:
    store = jobs.RedisTickets(redis_db)
    store.issue("t" * 32, {"user_id": 7, "step": "uploaded", "kind": "registry", "report": None})
    assert store.read("t" * 32) == {"user_id": 7, "step": "uploaded", "kind": "registry", "report": None}
    assert 0 < redis_db.ttl("import-ticket:" + "t" * 32) <= jobs.TICKET_SECONDS

    changed = store.update("t" * 32, {"report": {"rows": 3}, "step": "checked"})
    assert changed["report"] == {"rows": 3} and changed["user_id"] == 7
    assert store.read("t" * 32) == changed

    assert store.advance("t" * 32, "uploaded", "confirmed") is False  # not at that step
    assert store.advance("t" * 32, "checked", "confirmed") is True
    assert store.advance("t" * 32, "checked", "confirmed") is False  # a second click moves nothing
    assert store.read("t" * 32)["step"] == "confirmed"  # type: ignore[index]
    assert store.read("t" * 32)["report"] == {"rows": 3}  # type: ignore[index]  # the rest is kept


def test_only_one_of_many_racing_processes_moves_a_ticket_on(redis_db: Any) -> None:
    store = jobs.RedisTickets(redis_db)
    store.issue("r" * 32, {"step": "checked"})
    wins: list[bool] = []
    start = threading.Barrier(8)

    def confirm() -> None:
        start.wait()
        wins.append(jobs.RedisTickets(redis_db).advance("r" * 32, "checked", "confirmed"))

    threads = [threading.Thread(target=confirm) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 7 + [True]


def test_concurrent_updates_lose_no_change(redis_db: Any) -> None:
    """update() merges under WATCH: two processes changing different fields both keep their change."""
    store = jobs.RedisTickets(redis_db)
    store.issue("u" * 32, {"step": "uploaded"})
    start = threading.Barrier(6)

    def change(n: int) -> None:
        start.wait()
        jobs.RedisTickets(redis_db).update("u" * 32, {f"field{n}": n})

    threads = [threading.Thread(target=change, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ticket = store.read("u" * 32)
    assert ticket is not None and all(ticket[f"field{n}"] == n for n in range(6))


def test_a_ticket_expires_and_every_write_renews_it(redis_db: Any) -> None:
    store = jobs.RedisTickets(redis_db, seconds=2)
    store.issue("e" * 32, {"step": "uploaded"})
    time.sleep(1.2)
    assert store.advance("e" * 32, "uploaded", "checking")  # renews the two seconds
    time.sleep(1.2)
    assert store.read("e" * 32) == {"step": "checking"}
    time.sleep(1.2)
    assert store.read("e" * 32) is None
    assert store.advance("e" * 32, "checking", "checked") is False  # nothing to move on


def test_made_up_ids_read_nothing(redis_db: Any, tmp_path: Path) -> None:
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "SECRET_KEY": "t",
            "JOBS_DIR": str(tmp_path / "jobs"),
            "JOBS_REDIS_URL": REDIS_URL,
        }
    )
    with app.app_context():
        real = jobs.issue_ticket(user_id=1, step="uploaded")
        assert jobs.read_ticket(real) is not None
        for made_up in (None, 17, "", "short", "x" * 65, "a" * 32, real[:-1] + ("A" if real[-1] != "A" else "B")):
            assert jobs.read_ticket(made_up) is None
            if isinstance(made_up, str) and made_up:
                assert jobs.advance_ticket(made_up, "uploaded", "checking") is False
        assert jobs.read_ticket(real)["step"] == "uploaded"  # type: ignore[index]
    assert "job_store" not in app.extensions  # no diskcache store on this set-up
    assert app.extensions["dash_app"]._background_manager.__class__.__name__ == "CeleryManager"  # noqa: SLF001
    app.extensions["db_engine"].dispose()


# --------------------------------------------------------------------------- end to end, with a real worker


@pytest.fixture(params=["sqlite", "postgresql"])
def production(request: pytest.FixtureRequest, redis_db: Any, tmp_path: Path) -> Iterator[Flask]:
    """A migrated database with a small world and a steward, an app on it configured with JOBS_REDIS_URL, and a
    Celery worker subprocess started from the same environment (as `make worker` starts it)."""
    urls = make_database_url(request.param, tmp_path)
    url = next(urls)
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        w = build_world(s)
        create_user(s, "steward-a", PASSWORD, Role.data_steward, city_code=w.city_a.code)
        place = s.execute(
            select(District.name, Compound.name).join(Compound, Compound.district_id == District.id)
            .where(District.city_id == w.city_a.id).order_by(Compound.id).limit(1)
        ).one()  # fmt: skip
        s.commit()
    engine.dispose()
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "jobs-redis-secret",
        "JOBS_DIR": str(tmp_path / "jobs"),
        "JOBS_REDIS_URL": REDIS_URL,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "WARM_CACHE": "",
    }
    config = {k: environment[k] for k in ("DATABASE_URL", "SECRET_KEY", "JOBS_DIR", "JOBS_REDIS_URL")}
    app = create_app(
        {**config, "TESTING": True, "LOGIN_RATE_LIMIT": "100 per minute", "LOGIN_ADDRESS_RATE_LIMIT": "100 per minute"}
    )
    app.config["PLACE"] = tuple(place)
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "jobs.celery_app", "worker", "--concurrency=1"]
        + ["--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    app.config["WORKER_LOG"] = tmp_path / "worker.log"
    app.config["WORKER"] = worker
    try:
        yield app
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        log.close()
        app.extensions["db_engine"].dispose()
        next(urls, None)  # drop the PostgreSQL database


def _post(client: FlaskClient, headers: dict[str, str], body: dict[str, Any], query: str = "") -> Any:
    return client.post(
        "/_dash-update-component" + query, data=json.dumps(body), content_type="application/json", headers=headers
    )


def _callback(app: Flask, input_id: str, inputs: list[dict[str, Any]], state: list[dict[str, Any]]) -> dict[str, Any]:
    key = key_for(app, input_id)
    return {
        "output": key,
        "outputs": outputs_of(key),
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }


def _background(app: Flask, client: FlaskClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    """Run a background callback as the renderer does: post it (the job is queued), then poll with the signed
    cacheKey and job handles until the answer is there; the progress seen on the way is kept under "seen"."""
    first = _post(client, headers, body)
    handles = first.get_json() if first.status_code == 200 else None
    assert handles and "cacheKey" in handles, first.get_data(as_text=True)[:500]
    query = "?" + urlencode({"cacheKey": handles["cacheKey"], "job": handles["job"]})
    seen: list[Any] = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and app.config["WORKER"].poll() is None:
        answer = _post(client, headers, body, query)
        if answer.status_code in (200, 202, 204):
            data = (answer.get_json(silent=True) or {}) if answer.status_code != 204 else {}
            seen.extend((data.get("progress") or {}).values())
            if "response" in data:
                return {**data, "seen": seen}
        else:
            raise AssertionError(f"{answer.status_code}: {answer.get_data(as_text=True)[:500]}")
        time.sleep(0.2)
    log = Path(app.config["WORKER_LOG"]).read_text()[-3000:]
    raise AssertionError("the worker stopped or gave no answer within 90 s; its log ends:\n" + log)


def _counts(app: Flask) -> tuple[int, int]:
    with Session(app.extensions["db_engine"]) as s:
        return (
            s.scalar(select(func.count()).select_from(HotlineWorkOrder)) or 0,
            s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "import")) or 0,
        )


def test_a_file_is_checked_and_loaded_by_the_worker(production: Flask) -> None:
    app = production
    before = _counts(app)
    client, headers = client_as(app, "steward-a")
    contents = "data:application/octet-stream;base64," + base64.b64encode(work_orders(app)).decode()
    upload = _callback(
        app,
        "import-upload",
        [{"id": "import-upload", "property": "contents", "value": contents}],
        [
            {"id": "import-upload", "property": "filename", "value": "orders.xlsx"},
            {"id": "import-kind", "property": "value", "value": "work-orders"},
            {"id": "import-city", "property": "value", "value": "a"},
        ],
    )
    staged = _post(client, headers, upload)
    assert staged.status_code == 200, staged.get_data(as_text=True)[:500]
    ticket_id = staged.get_json()["response"]["import-ticket"]["data"]
    assert ticket_id and (Path(app.config["JOBS_DIR"]) / "uploads" / ticket_id).exists()
    assert app.extensions["job_tickets"].client.exists("import-ticket:" + ticket_id)  # the ticket is on Redis

    ticket_input = [{"id": "import-ticket", "property": "data", "value": ticket_id}]
    checked = _background(app, client, headers, _callback(app, "import-ticket", ticket_input, []))
    assert checked["response"]["import-confirm"]["disabled"] is False, checked
    assert _counts(app) == before  # the check wrote nothing
    with app.app_context():
        assert jobs.read_ticket(ticket_id)["step"] == "checked"  # type: ignore[index]  # moved on by the worker

    confirm = _callback(
        app, "import-confirm", [{"id": "import-confirm", "property": "n_clicks", "value": 1}], ticket_input
    )
    confirmed = _post(client, headers, confirm)
    assert confirmed.status_code == 200
    assert _post(client, headers, confirm).status_code == 204  # a second click loads nothing twice

    load_input = [{"id": "import-load-ticket", "property": "data", "value": ticket_id}]
    loaded = _background(app, client, headers, _callback(app, "import-load-ticket", load_input, []))
    text = json.dumps(loaded["response"], ensure_ascii=False)
    assert "import-verdict" in text, text[:800]  # ui.loaded: the success notice
    assert loaded["seen"], "the load reported no progress"
    assert _counts(app) == (before[0] + 2, before[1] + 1)  # the work orders, and the import's audit entry
    with app.app_context():
        assert jobs.read_ticket(ticket_id)["step"] == "loaded"  # type: ignore[index]
    assert not (Path(app.config["JOBS_DIR"]) / "uploads" / ticket_id).exists()
    assert "background_callback_" in Path(app.config["WORKER_LOG"]).read_text()  # it ran in the worker

    # The worker re-reads the account: a steward moved to another city after uploading gets no check (the web
    # side only queues the job), and the ticket is spent without reaching "checked".
    again = _post(client, headers, upload)
    second = again.get_json()["response"]["import-ticket"]["data"]
    with Session(app.extensions["db_engine"]) as s:
        other = s.scalar(select(City.id).where(City.code == "b"))
        s.execute(update(User).where(User.username == "steward-a").values(city_id=other))
        s.commit()
    ticket_input = [{"id": "import-ticket", "property": "data", "value": second}]
    refused = _background(app, client, headers, _callback(app, "import-ticket", ticket_input, []))
    assert refused["response"]["import-confirm"]["disabled"] is True
    assert "已失效" in json.dumps(refused["response"], ensure_ascii=False)
    with app.app_context():
        assert jobs.read_ticket(second)["step"] == "checking"  # type: ignore[index]  # taken, never checked
    confirm_second = _callback(
        app, "import-confirm", [{"id": "import-confirm", "property": "n_clicks", "value": 1}], ticket_input
    )
    assert _post(client, headers, confirm_second).status_code == 204  # so it can never be confirmed
    assert _counts(app) == (before[0] + 2, before[1] + 1)
