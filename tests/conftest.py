"""Shared fixtures: one parametrised engine (SQLite and PostgreSQL), schema made by Alembic.

With CI=true the PostgreSQL half is required: an unreachable server fails the run instead
of skipping it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from data_access.core.db import make_engine
from data_access.migrate import upgrade
from tests.rollup_modes import READERS, use_readers

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _pg_admin() -> Engine | None:
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        engine.dispose()
        message = (
            f"PostgreSQL is not reachable at {PG_ADMIN_URL} ({type(exc).__name__}). Start it with "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` or set TEST_PG_ADMIN_URL."
        )
        if IN_CI:
            pytest.fail("CI=true requires the PostgreSQL run: " + message, pytrace=False)
        pytest.skip(message)
    return engine


def make_database_url(backend: str, tmp_dir: Path) -> Iterator[str]:
    """Yield a URL of a new, empty database of the backend; drop it afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_dir / f'test-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    admin = _pg_admin()
    assert admin is not None
    name = f"hgd_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def migrated_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database per backend for the whole run, upgraded by the Alembic migrations."""
    for url in make_database_url(request.param, tmp_path_factory.mktemp(request.param)):
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def engine(migrated_url: str) -> Iterator[Engine]:
    eng = make_engine(migrated_url)
    yield eng
    eng.dispose()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Modules with BOTH_READERS = True run each session test on the raw tables and on the rollups."""
    if "session" in metafunc.fixturenames and getattr(metafunc.module, "BOTH_READERS", False):
        metafunc.parametrize("readers", READERS, indirect=True)


@pytest.fixture()
def readers(request: pytest.FixtureRequest) -> str | None:
    """Which reader the session's queries use (tests/rollup_modes.py); None: as the data set says."""
    return getattr(request, "param", None)


@pytest.fixture()
def session(engine: Engine, readers: str | None) -> Iterator[Session]:
    """A session whose work is rolled back after the test, so tests never see each other's rows."""
    conn = engine.connect()
    outer = conn.begin()
    sess = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    undo = use_readers(sess, readers) if readers else None
    try:
        yield sess
    finally:
        if undo:
            undo()
        sess.close()
        outer.rollback()
        conn.close()
