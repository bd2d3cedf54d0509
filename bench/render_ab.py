"""Time one page render of one checkout, to compare two versions of the code on the same database.

    <checkout>/.venv/bin/python bench/render_ab.py <checkout> --path /complaints \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_city [--search ?city=zhuzhou] [--profile]

Run it alternately for the two checkouts (before, after, before, after): it renders the page through Dash's
callback endpoint as the signed-in `province` demo account, with the result cache off, 3 warm-up renders and then
`--repeat` timed ones, and prints the median, the statements per render and the time PostgreSQL/SQLite spent
executing them. When two versions run the same statements, a difference that follows the execution time is the
database's variance, not the code's (docs/PERFORMANCE.md, issue 13). A script, not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import statistics
import sys
import time
from datetime import date
from typing import Any


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("checkout", help="the checkout whose code is timed (its app.py is imported)")
    parser.add_argument("--path", default="/complaints")
    parser.add_argument("--search", default="")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--today", default="2026-11-23")
    parser.add_argument("--profile", action="store_true", help="also print the top of a cProfile of 5 renders")
    args = parser.parse_args(argv)
    sys.path.insert(0, args.checkout)
    os.chdir(args.checkout)
    from sqlalchemy import event

    from app import create_app
    from data_access.demo_accounts import DEMO_PASSWORD

    config = {"DATABASE_URL": args.database_url, "SECRET_KEY": "render-ab", "TESTING": True}
    app = create_app(config | {"CACHE_TYPE": "NullCache", "TODAY": date.fromisoformat(args.today)})
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    assert match, "the sign-in form carries a CSRF token"
    client.post("/login", data={"username": "province", "password": DEMO_PASSWORD, "csrf_token": match.group(1)})
    body = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": args.path},
            {"id": "_pages_location", "property": "search", "value": args.search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
    executing = {"seconds": 0.0, "statements": 0}
    engine = app.extensions["db_engine"]

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn: Any, *_: Any) -> None:
        conn.info["render_ab_t0"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _stop(conn: Any, *_: Any) -> None:
        executing["seconds"] += time.perf_counter() - conn.info["render_ab_t0"]
        executing["statements"] += 1

    def render() -> None:
        response = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
        assert response.status_code == 200, response.status_code

    for _ in range(3):
        render()
    executing.update(seconds=0.0, statements=0)
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        render()
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"{args.checkout} {args.path}{args.search}: median {statistics.median(timings):.1f} ms, "
        f"{executing['statements'] / args.repeat:.0f} statements, "
        f"{executing['seconds'] * 1000 / args.repeat:.1f} ms executing them per render"
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(5):
            render()
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(12)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
