"""Cache-hit renders alone: every callback bench/run.py measures, with the result cache filled, timed many times.

    .venv/bin/python bench/render_hits.py [--database-url URL] [--scale city] [--repeat 40]

Why besides bench/run.py: that script spends nearly all its time on cache misses (and their bare SQL), so on a
shared machine its cache-hit columns are taken whenever the load happens to be; a hit is a few milliseconds, so it
is worth measuring on its own, quickly, when the machine is quiet, with more repeats. Each callback is rendered once
to fill the result cache (and the rendered-answer cache, render_cache.py), then `--repeat` times; the table gives
median and p95 wall-clock and the median CPU time of this process, with the load average before and after.
A benchmark script, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from callbacks import GRIDS, SKIP, TODAY, VIEWS, grid_body, page_body  # noqa: E402
from run import sample_compounds, sample_meeting  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from data_access.core.models import InsuranceApplication  # noqa: E402
from data_access.demo_accounts import DEMO_PASSWORD  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="city", choices=["small", "city", "large"])
    parser.add_argument("--database-url", help="default: bench/run.py's SQLite file, bench/bench-<scale>.sqlite3")
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{ROOT / 'bench' / f'bench-{args.scale}.sqlite3'}"

    import dash

    from app import create_app

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "TODAY": TODAY,
            "LOGIN_RATE_LIMIT": "1000/minute",
            "WARM_CACHE": False,
            "CACHE_TYPE": "SimpleCache",
            "GC_FREEZE": True,
        }
    )
    engine = app.extensions["db_engine"]
    compounds = sample_compounds(engine)
    meetings = [m for m in (sample_meeting(engine, c) for c in compounds) if m is not None]
    with engine.connect() as conn:
        applications = [a for a in [conn.scalar(select(func.min(InsuranceApplication.id)))] if a is not None]
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"username": "province", "password": DEMO_PASSWORD, "csrf_token": token})

    bodies: list[tuple[str, str]] = []
    views = {
        "/compound": [f"?id={c}" for c in compounds],
        "/councils/meeting": [f"?id={m}" for m in meetings],
        "/insurance/application": [f"?id={a}" for a in applications],
    }
    for path in sorted((p["path"] for p in dash.page_registry.values() if p.get("path")), key=lambda p: (p != "/", p)):
        if path not in SKIP:
            bodies.extend((f"page {path}{v}", page_body(path, v)) for v in views.get(path, VIEWS))
    for path, prefix in GRIDS.items():
        bodies.extend((f"grid {path}{v}", grid_body(prefix, v)) for v in VIEWS)

    load_before = os.getloadavg()
    print(f"{'callback':<40} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7}")
    rows = []
    for label, body in bodies:

        def call(body: str = body, label: str = label) -> None:
            response = client.post("/_dash-update-component", data=body, content_type="application/json")
            assert response.status_code == 200, (label, response.status_code)

        call()  # fills the caches
        call()
        wall, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            call()
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        wall.sort()
        p95 = wall[min(len(wall) - 1, round(0.95 * (len(wall) - 1)))]
        rows.append((label, statistics.median(wall), p95, statistics.median(cpu)))
        print(f"{label:<40} {rows[-1][1]:10.1f} {p95:8.1f} {rows[-1][3]:7.1f}", flush=True)
    load_after = os.getloadavg()
    met = sum(1 for r in rows if r[1] <= 5.0)
    worst = max(rows, key=lambda r: r[1])
    print(
        f"\n{'PostgreSQL' if url.startswith('postgresql') else 'SQLite'}: cache-hit median ≤ 5 ms on {met} of "
        f"{len(rows)}; worst {worst[1]:.1f} ms ({worst[0]}); load average before {load_before[0]:.2f}, "
        f"after {load_after[0]:.2f}; {args.repeat} calls each."
    )


if __name__ == "__main__":
    main()
