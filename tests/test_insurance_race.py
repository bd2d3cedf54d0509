"""Two purchases racing for one pooled account, each in its own transaction and thread, on SQLite and PostgreSQL.

Account a3 holds 500,000 fen. Two approved applications (L5, L6) each buy at 300,000 fen: either alone is
affordable, both are not. The first purchase holds the account's lock (not yet committed) while the second
starts; the second must wait, then see the first's debit and be refused. The balance ends at 200,000, never
below zero.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from data_access.core.db import make_engine
from data_access.insurance_eligibility import pooled_balance
from data_access.insurance_records import (
    PurchaseInput,
    Refused,
    conclude_notice,
    file_application,
    post_notice,
    purchase,
)
from data_access.migrate import upgrade
from tests.conftest import make_database_url
from tests.insurance_world import TODAY, build_insurance_world
from tests.test_insurance_records import _input

BUY_ON = date(2026, 2, 10)


@pytest.fixture(params=["sqlite", "postgresql"])
def own_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database of this test's own, so both transactions really commit."""
    for url in make_database_url(request.param, tmp_path):
        upgrade(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()


def test_two_purchases_cannot_overdraw_one_account(own_engine: Engine) -> None:
    with Session(own_engine, expire_on_commit=False) as s:
        w = build_insurance_world(s)
        fx = w.viewers["fx"]
        apps = []
        for code in ("L5", "L6"):
            app_id = file_application(s, fx, _input(w, "a3", [code]), TODAY)
            post_notice(s, fx, app_id, date(2026, 2, 2), TODAY)
            conclude_notice(s, fx, app_id, date(2026, 2, 9))
            apps.append(app_id)
        s.commit()
    terms = PurchaseInput(w.insurer_id, BUY_ON, 300_000, 8_000_000, BUY_ON)
    second_started = threading.Event()
    outcome: dict[str, object] = {}

    def second() -> None:
        with Session(own_engine) as s2:
            second_started.set()
            try:
                purchase(s2, fx, apps[1], terms, BUY_ON)
                s2.commit()
                outcome["second"] = "bought"
            except Refused as exc:
                s2.rollback()
                outcome["second"] = [(p.key, p.params) for p in exc.problems]

    with Session(own_engine) as s1:
        purchase(s1, fx, apps[0], terms, BUY_ON)  # holds the account's lock until it commits
        thread = threading.Thread(target=second)
        thread.start()
        second_started.wait(5)
        thread.join(1.0)
        assert thread.is_alive(), "the second purchase did not wait for the first one's lock"
        s1.commit()
    thread.join(30)
    assert not thread.is_alive()
    assert outcome["second"] == [("ins.err.balance", {"balance_fen": 200_000, "required_fen": 300_000})]
    with Session(own_engine) as s:
        assert pooled_balance(s, w.accounts["a3"]) == 200_000
