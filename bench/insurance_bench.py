"""Benchmark: what one fund-centre clerk's steps cost on a seeded database (issue 16).

    .venv/bin/python bench/insurance_bench.py --database-url sqlite:////work/benchdb/bench-city.sqlite3
    .venv/bin/python bench/insurance_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_city

Seeds the `city` demo into the URL if it is empty (bench/run.py's ensure_seeded), then, on a copy-free database
but inside transactions that are rolled back (nothing is left behind), times each writer of
data_access/insurance_records.py on an eligible Xiangtan pooled account: file, post the notice, conclude, buy,
renew, record a claim — and the renewal worklist and leader alerts as the pages read them. A write that changes
what the pre-aggregated tables hold (file, conclude, buy, renew) rebuilds them in its transaction
(rollup_refresh.refresh_after_write) when called as the CLI and tests call it; the purchase is also timed as the
page makes it (DEFER_KEY: the rebuild runs after the commit, in the app's RollupRebuilder thread). A notice, an
objection or a claim rebuilds nothing. Each figure is the median of
`--repeat` runs. A benchmark script, not a test; record its figures in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import TODAY, ensure_seeded  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from data_access.core.db import make_engine  # noqa: E402
from data_access.core.models import City, District, Insurer, User  # noqa: E402
from data_access.core.scope import Area  # noqa: E402
from data_access.insurance import account_check, leader_alerts, renewal_rows  # noqa: E402
from data_access.insurance_eligibility import pooled_balance  # noqa: E402
from data_access.insurance_records import (  # noqa: E402
    ApplicationInput,
    ClaimInput,
    PurchaseInput,
    conclude_notice,
    file_application,
    post_notice,
    purchase,
    record_claim,
    renew,
)
from data_access.rollup_refresh import DEFER_KEY  # noqa: E402
from data_access.users import load_viewer  # noqa: E402


def _eligible_account(session: Session, city_id: int) -> tuple[int, list[int]]:
    """A Xiangtan pooled account with eligible, unapplied elevators and the balance to buy them."""
    from data_access.core.models import Building, Compound, PooledAccount

    ids = session.scalars(
        select(PooledAccount.id)
        .join(Building, Building.id == PooledAccount.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(District.city_id == city_id)
        .order_by(PooledAccount.id)
    ).all()
    for account_id in ids:
        check = account_check(session, city_id, account_id, TODAY)
        if check is None:
            continue
        eligible = [e.elevator_id for e in check.elevators if e.eligible]
        if eligible and check.balance_fen >= 2 * (check.rule.annual_premium_fen if check.rule else 0) * len(eligible):
            return account_id, eligible
    raise SystemExit("no eligible account with the balance for two years of premiums")


def _timed(results: dict[str, list[float]], name: str, step: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    value = step()
    results.setdefault(name, []).append((time.perf_counter() - started) * 1000)
    return value


def run_once(url: str, results: dict[str, list[float]]) -> None:
    engine = make_engine(url)
    with Session(engine) as s:
        city_id = s.scalar(select(City.id).where(City.code == "xiangtan"))
        assert city_id is not None
        clerk_id = s.scalar(select(User.id).where(User.username == "xiangtan-fund"))
        insurer_id = s.scalar(select(Insurer.id).order_by(Insurer.id))
        assert clerk_id is not None and insurer_id is not None
        viewer = load_viewer(s, clerk_id)
        assert viewer is not None
        account_id, elevators = _eligible_account(s, city_id)
        area = Area(city_id=city_id)
        filed = TODAY - timedelta(days=20)
        _timed(results, "renewal worklist (60 days)", lambda: renewal_rows(s, area, TODAY))
        _timed(results, "leader alerts", lambda: leader_alerts(s, area, TODAY))
        _timed(results, "live check of an account", lambda: account_check(s, city_id, account_id, filed))
        inp = ApplicationInput(account_id, elevators, "owners_committee", "bench", "", None, filed)
        # As the CLI and the tests call a writer: the pre-aggregated tables rebuilt inside its transaction.
        nested = s.begin_nested()
        _timed(results, "file, tables rebuilt in the write", lambda: file_application(s, viewer, inp, TODAY))
        nested.rollback()
        # As /insurance makes them (pages/_insurance.run_write): the rebuild follows the commit, in a thread.
        s.info[DEFER_KEY] = True
        app_id = _timed(results, "file", lambda: file_application(s, viewer, inp, TODAY))
        _timed(results, "post notice", lambda: post_notice(s, viewer, app_id, filed + timedelta(days=1), TODAY))
        _timed(results, "conclude", lambda: conclude_notice(s, viewer, app_id, TODAY))
        before = pooled_balance(s, account_id)
        terms = PurchaseInput(insurer_id, TODAY, 220_000, 8_000_000, TODAY)
        policies = _timed(results, "buy", lambda: purchase(s, viewer, app_id, terms, TODAY))
        assert pooled_balance(s, account_id) == before - 220_000 * len(policies)
        claim = ClaimInput(policies[0], TODAY, 150_000, "repair")
        _timed(results, "record a claim", lambda: record_claim(s, viewer, claim, TODAY))
        later = TODAY + timedelta(days=330)
        _timed(results, "renew", lambda: renew(s, viewer, policies, TODAY, later))
        s.rollback()
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ensure_seeded(args.database_url, "city")
    results: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        run_once(args.database_url, results)
    print(f"\n{args.database_url.split(':')[0]} · city · median of {args.repeat} (ms)")
    for name, values in results.items():
        print(f"  {name:<32} {statistics.median(values):>9.1f}   (min {min(values):.1f}, max {max(values):.1f})")


if __name__ == "__main__":
    main()
