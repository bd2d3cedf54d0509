"""The data-sharing API, spoken to as the data bureau's platform or an attacker would."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from app import create_app
from data_access.core.db import make_engine
from data_access.migrate import upgrade
from data_access.users import create_user
from tests.test_auth import PASSWORD, sign_in
from tests.world import build_world


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path / 'api.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        build_world(s)
        create_user(s, "lead_a", PASSWORD, "leader", city_code="a")
        s.commit()
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "TESTING": True, "TODAY": date(2026, 11, 23)})
    yield app
    app.extensions["db_engine"].dispose()


def new_token(server: Flask, name: str = "data-bureau") -> str:
    result = server.test_cli_runner().invoke(args=["create-token", name])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_no_credentials_is_401_and_reveals_nothing(server: Flask) -> None:
    client = server.test_client()
    r = client.get("/api/v1/indicators?year=2024&city=a")
    assert r.status_code == 401
    assert "deposits" not in r.get_data(as_text=True)
    assert client.get("/api/v1/indicators?year=2024", headers={"Authorization": "Bearer hgd_forged"}).status_code == 401
    assert client.get("/api/v1/openapi.json").json["openapi"].startswith("3.")


def test_token_reads_hand_computed_figures(server: Flask) -> None:
    """Same world as tests/test_indicators.py: as of 2024-12-31 for 甲市."""
    token = new_token(server)
    assert token.startswith("hgd_")
    r = server.test_client().get("/api/v1/indicators?year=2024&city=甲市", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    body = r.json
    assert (body["year"], body["city"], body["district"], body["as_of"]) == (2024, "甲市", None, "2024-12-31")
    assert body["fund"]["deposits_total_yuan"] == "200000.00"
    assert body["fund"]["used_yuan"] == "2200.00"
    assert body["fund"]["usage_rate"] == "0.011000"
    assert body["fund"]["value_added_income_yuan"] == "20500.00"
    assert body["elevators"] | {} == {
        "registered": 7,
        "past_warranty": 6,
        "eligible": 2,
        "applied": 3,
        "eligible_applied": 2,
        "insured": 1,
        "coverage_rate": "0.500000",
    }
    assert body["complaints"]["elevator_work_orders"] == 2
    assert body["red_property"]["accepted_projects"] == 1
    assert body["demo_data"] is False
    district = (
        server.test_client()
        .get("/api/v1/indicators?year=2024&city=a&district=甲一区", headers={"Authorization": f"Bearer {token}"})
        .json
    )
    assert district["fund"]["deposits_total_yuan"] == "160000.00" and district["district"] == "甲一区"


def test_revoked_token_is_refused(server: Flask) -> None:
    token = new_token(server, "temp")
    headers = {"Authorization": f"Bearer {token}"}
    client = server.test_client()
    assert client.get("/api/v1/indicators?year=2024", headers=headers).status_code == 200
    assert server.test_cli_runner().invoke(args=["revoke-token", "temp"]).exit_code == 0
    r = client.get("/api/v1/indicators?year=2024", headers=headers)
    assert r.status_code == 401 and "deposits" not in r.get_data(as_text=True)


@pytest.mark.parametrize(
    "query, fragment",
    [
        ("", "year is required"),
        ("year=20x1", "year is required"),
        ("year=1999", "between"),
        ("year=2099", "between"),
        ("year=2024&city=atlantis", "unknown city"),
        ("year=2024&city=a&district=nowhere", "unknown district"),
        ("year=2024&colour=red", "unknown parameter"),
    ],
)
def test_bad_parameters_are_400_json(server: Flask, query: str, fragment: str) -> None:
    token = new_token(server)
    r = server.test_client().get(f"/api/v1/indicators?{query}", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 400
    assert fragment in r.json["error"]


def test_session_reader_is_held_to_its_scope(server: Flask) -> None:
    client = server.test_client()
    sign_in(client, "lead_a")
    assert client.get("/api/v1/indicators?year=2024&city=a").status_code == 200
    assert client.get("/api/v1/indicators?year=2024&city=b").status_code == 403
    assert client.get("/api/v1/indicators?year=2024").status_code == 403


def test_token_use_is_recorded_at_most_once_a_minute(server: Flask) -> None:
    """Every request checks the token, but only the first in a minute writes when it was used (one row, shared by
    every request with that token: a write per request made them queue)."""
    from datetime import timedelta

    from sqlalchemy import event, select, update

    from data_access.core.models import ApiToken

    token = new_token(server)
    client = server.test_client()
    writes: list[str] = []

    @event.listens_for(server.extensions["db_engine"], "before_cursor_execute")
    def _count_writes(_conn, _cursor, statement: str, *_args: object) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("UPDATE API_TOKEN") and "IS NULL" in statement:  # the app's
            writes.append(statement)

    def last_used() -> object:
        with Session(server.extensions["db_engine"]) as s:
            return s.scalar(select(ApiToken.last_used_at))

    headers = {"Authorization": f"Bearer {token}"}
    assert last_used() is None
    for _ in range(5):
        assert client.get("/api/v1/indicators?year=2024", headers=headers).status_code == 200
    assert len(writes) == 1
    first = last_used()
    assert first is not None
    with Session(server.extensions["db_engine"]) as s:  # a minute passes
        s.execute(update(ApiToken).values(last_used_at=first - timedelta(seconds=61)))  # type: ignore[operator]
        s.commit()
    assert client.get("/api/v1/indicators?year=2024", headers=headers).status_code == 200
    assert len(writes) == 2 and last_used() > first - timedelta(seconds=1)  # type: ignore[operator]
