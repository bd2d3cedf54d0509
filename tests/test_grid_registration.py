"""The compound grids' server callbacks (pages/_grid.py: register_compound_grid) as Dash serves them: each of the
four indicator pages has exactly one block-load and one export callback, on its own ids; and the settings every
module reads are all set by create_app, at the defaults README's configuration table gives."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

import settings
from app import create_app
from data_access.core.db import make_engine
from data_access.migrate import upgrade
from data_access.users import create_user
from tests.test_auth import PASSWORD, sign_in

PREFIXES = ("funds", "elevators", "complaints", "red-property")


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path / 'grid-registration.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        create_user(s, "prov", PASSWORD, "leader")
        s.commit()
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "TESTING": True, "TODAY": date(2024, 12, 31)})
    yield app
    app.extensions["db_engine"].dispose()


def _ids(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(i["id"], i["property"]) for i in items]


def test_each_compound_grid_has_one_block_and_one_export_callback(server: Flask) -> None:
    client = server.test_client()
    assert sign_in(client, "prov").status_code == 302
    response = client.get("/_dash-dependencies")
    assert response.status_code == 200
    # Dash Pages re-imports the page modules for every app a process builds (the test suite builds many), and its
    # global callback list then holds each registration once per app: count distinct registrations.
    distinct = {json.dumps(c, sort_keys=True): c for c in response.get_json()}
    callbacks = list(distinct.values())
    for prefix in PREFIXES:
        blocks = [c for c in callbacks if c["output"] == f"{prefix}-grid.getRowsResponse"]
        assert len(blocks) == 1, prefix
        assert _ids(blocks[0]["inputs"]) == [(f"{prefix}-grid", "getRowsRequest")]
        assert _ids(blocks[0]["state"]) == [(f"{prefix}-url", "search")]
        assert blocks[0]["prevent_initial_call"] is True
        exports = [c for c in callbacks if c["output"] == f"{prefix}-grid-download.data"]
        assert len(exports) == 1, prefix
        assert _ids(exports[0]["inputs"]) == [(f"{prefix}-grid-csv", "n_clicks"), (f"{prefix}-grid-xlsx", "n_clicks")]
        assert _ids(exports[0]["state"]) == [(f"{prefix}-url", "search"), (f"{prefix}-grid", "getRowsRequest")]
        assert exports[0]["prevent_initial_call"] is True


README_DEFAULTS = {  # README: Configuration (the environment variables unset)
    "RATELIMIT_STORAGE_URI": "memory://",
    "LOGIN_RATE_LIMIT": "5 per minute;30 per hour",
    "CACHE_REDIS_URL": None,
    "WARM_CACHE": False,
}


def test_settings_defaults_match_the_readme(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in README_DEFAULTS:
        monkeypatch.delenv(name, raising=False)
    defaults = settings.config_defaults(tmp_path, serving=False)
    assert {k: defaults[k] for k in README_DEFAULTS} == README_DEFAULTS
    assert defaults["ATTACHMENT_DIR"] == str(tmp_path / "attachments")
    assert defaults["GC_FREEZE"] is False and settings.config_defaults(tmp_path, serving=True)["GC_FREEZE"] is True
    assert defaults["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)


def test_the_environment_sets_the_documented_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    monkeypatch.setenv("LOGIN_RATE_LIMIT", "3 per minute")
    monkeypatch.setenv("CACHE_REDIS_URL", "redis://127.0.0.1:6379/1")
    monkeypatch.setenv("WARM_CACHE", "1")
    defaults = settings.config_defaults(tmp_path, serving=False)
    assert defaults["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379"
    assert defaults["LOGIN_RATE_LIMIT"] == "3 per minute"
    assert defaults["CACHE_REDIS_URL"] == "redis://127.0.0.1:6379/1"
    assert defaults["WARM_CACHE"] is True


def test_create_app_applies_every_default_and_the_overrides_win(server: Flask) -> None:
    defaults = settings.config_defaults(Path(server.instance_path), serving=False)
    for key, value in defaults.items():
        if key != "TODAY":  # the fixture pins it
            assert server.config[key] == value, key
    assert server.config["TODAY"] == date(2024, 12, 31)
