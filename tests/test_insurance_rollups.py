"""A clerk's purchase through the page leaves the pre-aggregated tables to a rebuild after the commit.

The request commits the policies and the premium debits with a new data-set generation, so every reader falls
back to the raw tables at once (never a mixed state); the app's RollupRebuilder then rebuilds the tables in a
thread and marks them built from that generation. Checked on the hand-made insurance world with its rollups built
first: after the rebuild, both readers give the same coverage, and it counts the new policy.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from data_access.core.dataset import rollups_ready
from data_access.core.db import make_session_factory
from data_access.core.scope import Area
from data_access.indicators import elevator_coverage, elevator_coverage_from_raw
from data_access.insurance_records import PurchaseInput, conclude_notice, file_application, post_notice, purchase
from data_access.rollup_refresh import DEFER_KEY, DUE_KEY, rebuild_if_stale, refresh_rollups
from tests.insurance_world import build_insurance_world
from tests.test_insurance_race import own_engine  # noqa: F401  (a fresh database per engine)
from tests.test_insurance_records import _input
from tests.test_insurance_security import TODAY, _post, _writes
from tests.test_insurance_security import server as security_server  # noqa: F401  (the fixture below builds on it)


@pytest.fixture()
def built(security_server: Flask) -> Iterator[Flask]:  # noqa: F811
    with Session(security_server.extensions["db_engine"]) as s:
        refresh_rollups(s)
        s.commit()
    yield security_server


def _coverage(app: Flask, raw: bool) -> tuple[int, int]:
    with Session(app.extensions["db_engine"]) as s:
        if raw:
            s.info["rollups"] = False
            c = elevator_coverage_from_raw(s, Area(city_id=_city(app)), TODAY)
        else:
            assert rollups_ready(s)
            c = elevator_coverage(s, Area(city_id=_city(app)), TODAY)
        return c.insured, c.eligible_applied


def _city(app: Flask) -> int:
    from sqlalchemy import select

    from data_access.core.models import City

    with Session(app.extensions["db_engine"]) as s:
        city_id = s.scalar(select(City.id).where(City.code == "ix"))
    assert city_id is not None
    return int(city_id)


class _Recorder:
    """Stands in for the app's RollupRebuilder: records that a rebuild was asked for, so the test sees the state
    between the commit and the rebuild."""

    def __init__(self) -> None:
        self.requests = 0

    def request(self) -> None:
        self.requests += 1


def test_a_purchase_is_served_raw_until_the_rebuild_then_from_fresh_rollups(built: Flask) -> None:
    before = _coverage(built, raw=False)
    assert before == _coverage(built, raw=True)
    real, recorder = built.extensions["rollup_rebuilder"], _Recorder()
    built.extensions["rollup_rebuilder"] = recorder
    input_id, inputs, state = _writes(built.config["IDS"])["buy"]
    response = _post(built, "fund-x", input_id, inputs, state)
    assert response.status_code == 200 and "ins-refused" not in response.get_data(as_text=True)
    assert recorder.requests == 1
    with Session(built.extensions["db_engine"]) as s:
        assert not rollups_ready(s)  # committed with a new generation: every reader uses the raw tables now
    assert _coverage(built, raw=True)[0] == before[0] + 1
    built.extensions["rollup_rebuilder"] = real
    real.request()
    assert real.wait(60), "the rebuild did not finish"
    after = _coverage(built, raw=False)  # asserts the tables are ready again
    assert after == _coverage(built, raw=True)
    assert after[0] == before[0] + 1  # the application's one elevator is insured from today


def test_the_deferred_rebuild_on_both_engines(own_engine: Engine) -> None:  # noqa: F811
    """The writer with DEFER_KEY leaves the tables stale and says a rebuild is due; rebuild_if_stale (REPEATABLE READ
    on PostgreSQL) rebuilds them once, and a second call finds nothing to do."""
    factory = make_session_factory(own_engine)
    with factory() as s:
        w = build_insurance_world(s)
        refresh_rollups(s)
        s.commit()
    fx = w.viewers["fx"]
    with factory() as s:
        s.info[DEFER_KEY] = True
        app_id = file_application(s, fx, _input(w, "a3", ["L5"], filed_on=date(2026, 2, 1)), date(2026, 2, 1))
        post_notice(s, fx, app_id, date(2026, 2, 2), date(2026, 2, 1))
        conclude_notice(s, fx, app_id, date(2026, 2, 10))
        purchase(
            s,
            fx,
            app_id,
            PurchaseInput(w.insurer_id, date(2026, 2, 10), 220_000, 8_000_000, date(2026, 2, 10)),
            date(2026, 2, 10),
        )
        assert s.info.pop(DUE_KEY) is True
        s.commit()
    with factory() as s:
        assert not rollups_ready(s)
    assert rebuild_if_stale(factory) is True
    assert rebuild_if_stale(factory) is False
    area = Area(city_id=w.city_x.id)
    with factory() as s:
        assert rollups_ready(s)
        from_rollups = elevator_coverage(s, area, date(2026, 2, 10))
    with factory() as s:
        s.info["rollups"] = False
        from_raw = elevator_coverage_from_raw(s, area, date(2026, 2, 10))
    assert (from_rollups.insured, from_rollups.eligible_applied) == (from_raw.insured, from_raw.eligible_applied)
    assert from_raw.insured == 1
