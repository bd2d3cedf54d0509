"""The data-sharing API, spoken to as the data bureau's platform or an attacker would."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import create_app
from data_access.core.db import make_engine
from data_access.core.models import City, District
from data_access.core.rules import Stage
from data_access.core.scope import Area
from data_access.facts import facts
from data_access.insurance import application_rows, renewal_rows, stage_counts
from data_access.insurance_figures import loss_ratios, rescue
from data_access.migrate import upgrade
from data_access.users import create_user
from tests.figures_world import TODAY as FIGURES_TODAY
from tests.figures_world import build_figures_world
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
        "rescue_arrival_median_min": None,  # the world has no faults
        "insured_answered_30min_share": None,
        "uninsured_answered_30min_share": None,
    }
    # P1 started 2024-06-01 (100,000 fen), no claims; on 2026-11-23 P1 (ended 2025-06-01) is off the worklist;
    # app1 bought its policy, app2 has no notice yet.
    insurance = body["insurance"]
    assert (insurance["premiums_yuan"], insurance["claims_paid_yuan"], insurance["loss_ratio"]) == (
        "1000.00", "0.00", "0.000000",
    )  # fmt: skip
    assert (insurance["policies_ending_60d"], insurance["accounts_unable_to_renew"]) == (0, 0)
    stages = {k: v for k, v in insurance["applications_by_stage"].items() if v["applications"]}
    assert stages == {"purchased": {"applications": 1, "elevators": 2}, "filed": {"applications": 1, "elevators": 1}}
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


# --------------------------------------------------------------------------- the insurance figures (issue 16)


@pytest.fixture()
def figures_server(tmp_path: Path) -> Iterator[Flask]:
    """The hand-made world of tests/figures_world.py (its table is there), served with today = 2026-05-20."""
    url = f"sqlite:///{tmp_path / 'api-figures.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        build_figures_world(s)
        create_user(s, "lead_fa", PASSWORD, "leader", city_code="fa")
        s.commit()
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "TESTING": True, "TODAY": FIGURES_TODAY})
    yield app
    app.extensions["db_engine"].dispose()


def _body(server: Flask, query: str) -> dict[str, Any]:
    """The answer to `query` as the data bureau's platform reads it (one token per app)."""
    if "FIGURES_TOKEN" not in server.config:
        server.config["FIGURES_TOKEN"] = new_token(server, "figures")
    headers = {"Authorization": f"Bearer {server.config['FIGURES_TOKEN']}"}
    r = server.test_client().get(f"/api/v1/indicators?{query}", headers=headers)
    assert r.status_code == 200, r.get_data(as_text=True)
    body = r.json
    assert body is not None
    return body


def test_insurance_fields_hand_computed(figures_server: Flask) -> None:
    """City 效益甲市, 2025 (tests/test_insurance_figures.py works each by hand): premiums 720,000 fen against claims
    430,000 → 0.597222; on 2026-05-20 the worklist holds P2, P1r, P3 and ACC1 cannot pay its two; four purchased
    applications (5 elevators), one past its notice, one objected; rescue arrivals 12, 30, 45.5 min → median 30;
    faults answered within 30 minutes: insured 4/6, uninsured 1/2. The province adds FB's P4, K4 and R6."""
    body = _body(figures_server, "year=2025&city=效益甲市")
    assert body["insurance"] == {
        "premiums_yuan": "7200.00",
        "claims_paid_yuan": "4300.00",
        "loss_ratio": "0.597222",
        "policies_ending_60d": 3,
        "accounts_unable_to_renew": 1,
        "applications_by_stage": {
            "filed": {"applications": 0, "elevators": 0},
            "in_notice": {"applications": 0, "elevators": 0},
            "notice_ended": {"applications": 1, "elevators": 1},
            "objected": {"applications": 1, "elevators": 1},
            "approved": {"applications": 0, "elevators": 0},
            "purchased": {"applications": 4, "elevators": 5},
            "vote_failed": {"applications": 0, "elevators": 0},
            "refused": {"applications": 0, "elevators": 0},
            "withdrawn": {"applications": 0, "elevators": 0},
        },
    }
    elevators = body["elevators"]
    assert elevators["rescue_arrival_median_min"] == "30.00"
    assert (elevators["insured_answered_30min_share"], elevators["uninsured_answered_30min_share"]) == (
        "0.666667", "0.500000",
    )  # fmt: skip
    province = _body(figures_server, "year=2025")
    assert (province["insurance"]["premiums_yuan"], province["insurance"]["claims_paid_yuan"]) == ("9200.00", "5500.00")
    assert province["insurance"]["loss_ratio"] == "0.597826"
    assert (province["insurance"]["policies_ending_60d"], province["insurance"]["accounts_unable_to_renew"]) == (4, 2)
    assert province["elevators"]["rescue_arrival_median_min"] == "25.00"
    assert province["elevators"]["insured_answered_30min_share"] == "0.714286"
    # 2026 so far: P6's premium, K6 paid; no trapped passenger yet
    later = _body(figures_server, "year=2026&city=fa")
    assert (later["as_of"], later["insurance"]["premiums_yuan"], later["insurance"]["loss_ratio"]) == (
        "2026-05-20", "2100.00", "0.047619",
    )  # fmt: skip
    assert later["elevators"]["rescue_arrival_median_min"] is None


def test_insurance_fields_equal_the_query_functions(figures_server: Flask) -> None:
    """The API answers from the functions the pages call: every new field equals what they return."""
    engine = figures_server.extensions["db_engine"]
    for query, area_of in (
        ("year=2025&city=fa", lambda s: Area(city_id=_city_id(s, "fa"))),
        ("year=2025&city=fa&district=效甲二区", lambda s: Area(district_id=_district_id(s, "效甲二区"))),
        ("year=2025", lambda s: Area()),
    ):
        body = _body(figures_server, query)
        with Session(engine) as s:
            area = area_of(s)
            total = loss_ratios(s, area, 2025).total
            renewals = renewal_rows(s, area, FIGURES_TODAY)
            stages = stage_counts(application_rows(s, area, FIGURES_TODAY, redact=True))
            insured, uninsured = facts(s).service.service_comparison(area, date(2025, 1, 1), date(2025, 12, 31))
            median = rescue(s, area, 2025).arrival_median_minutes
        ins, lifts = body["insurance"], body["elevators"]
        assert Decimal(ins["premiums_yuan"]) * 100 == total.premiums_fen
        assert Decimal(ins["claims_paid_yuan"]) * 100 == total.claims_paid_fen
        assert ins["loss_ratio"] == (None if total.loss_ratio is None else str(total.loss_ratio))
        assert ins["policies_ending_60d"] == len(renewals)
        assert ins["accounts_unable_to_renew"] == len({r.account_id for r in renewals if not r.can_pay})
        assert ins["applications_by_stage"] == {st.value: {"applications": a, "elevators": e} for st, a, e in stages}
        assert lifts["rescue_arrival_median_min"] == (None if median is None else str(median))
        assert lifts["insured_answered_30min_share"] == str(insured.answered_30min_share)
        assert lifts["uninsured_answered_30min_share"] == (
            None if uninsured.answered_30min_share is None else str(uninsured.answered_30min_share)
        )


def test_new_fields_are_in_the_openapi_document(figures_server: Flask) -> None:
    """Every field the answer carries is described in the schema (and every described object field is answered)."""
    client = figures_server.test_client()
    document = client.get("/api/v1/openapi.json").json
    assert document is not None
    schema = document["components"]["schemas"]["Indicators"]
    body = _body(figures_server, "year=2025&city=fa")
    assert "insurance" in schema["required"]
    for section in ("fund", "elevators", "insurance", "complaints", "red_property"):
        assert set(body[section]) == set(schema["properties"][section]["properties"]), section
    stages = schema["properties"]["insurance"]["properties"]["applications_by_stage"]
    assert set(stages["properties"]) == set(body["insurance"]["applications_by_stage"]) == {s.value for s in Stage}


def test_insurance_fields_respect_the_readers_scope(figures_server: Flask) -> None:
    """A city leader reads its own city's insurance figures and is refused the other city's and the province's."""
    client = figures_server.test_client()
    sign_in(client, "lead_fa")
    r = client.get("/api/v1/indicators?year=2025&city=fa")
    assert r.status_code == 200 and r.json is not None
    assert r.json["insurance"]["premiums_yuan"] == "7200.00"
    assert client.get("/api/v1/indicators?year=2025&city=fb").status_code == 403
    assert client.get("/api/v1/indicators?year=2025").status_code == 403


def _city_id(s: Session, code: str) -> int:
    return int(s.scalar(select(City.id).where(City.code == code)) or 0)


def _district_id(s: Session, name: str) -> int:
    return int(s.scalar(select(District.id).where(District.name == name)) or 0)
