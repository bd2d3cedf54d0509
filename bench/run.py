"""Benchmark: page callbacks and the API against the same SQL run bare, plus first load of `/` in Chromium.

    .venv/bin/python bench/run.py --scale large [--database-url URL] [--repeat 15] [--out docs/PERFORMANCE.md]

For every registered page and view it renders the page through Dash's own callback endpoint
(POST /_dash-update-component, as the browser does), records every SQL statement the render
ran, then replays exactly those statements through the bare DBAPI cursor. callback ÷ bare is
the cost of everything that is not the database: Python, SQLAlchemy, Dash, JSON.
This is a benchmark script, not a test: it prints figures and appends them to the report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, func, select  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from data_access.db import CITY_TZ, make_engine, make_session_factory  # noqa: E402
from data_access.demo_accounts import DEMO_PASSWORD, create_demo_accounts  # noqa: E402
from data_access.migrate import upgrade  # noqa: E402
from data_access.models import Compound, DatasetInfo  # noqa: E402

TODAY = date(2026, 11, 23)
VIEWS = ("", "?city=zhuzhou", "?city=xiangtan")


@dataclass
class Result:
    target: str
    median_ms: float
    p95_ms: float
    bytes: int
    bare_ms: float
    statements: int

    @property
    def ratio(self) -> float:
        return self.median_ms / self.bare_ms if self.bare_ms else float("nan")


def ensure_seeded(url: str, scale: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        have = s.scalar(select(func.count()).select_from(Compound))
        seeded = s.scalar(select(DatasetInfo.value).where(DatasetInfo.key == "scale"))
        if have and seeded != scale:
            raise SystemExit(f"{url} holds the {seeded!r} demo, not {scale!r}: use another --database-url")
        if not have:
            from data_access.demo import seed_demo

            print(f"seeding the {scale} demo into {url} …", flush=True)
            started = time.perf_counter()
            seed_demo(
                engine,
                scale=scale,
                today=TODAY,
                progress=lambda stage, done, total: print(f"  {stage} {done}/{total}", flush=True),
            )
            print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)
        create_demo_accounts(s)
        s.commit()
    engine.dispose()


class Recorder:
    """Collects the SQL statements (with parameters) an engine runs while recording is on."""

    def __init__(self, engine: Engine) -> None:
        self.on = False
        self.statements: list[tuple[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if self.on and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append((statement, parameters))


def bare_ms(engine: Engine, statements: list[tuple[str, Any]], repeat: int) -> float:
    """Median time to run the same statements straight through the DBAPI cursor, fetching all rows."""
    raw = engine.raw_connection()
    try:
        times = []
        for _ in range(repeat):
            cur = raw.cursor()
            started = time.perf_counter()
            for statement, params in statements:
                cur.execute(statement, params)
                cur.fetchall()
            times.append((time.perf_counter() - started) * 1000)
            cur.close()
        return statistics.median(times)
    finally:
        raw.close()


def page_body(path: str, search: str) -> str:
    return json.dumps(
        {
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": path},
                {"id": "_pages_location", "property": "search", "value": search},
            ],
            "changedPropIds": ["_pages_location.pathname"],
            "state": [],
        }
    )


def measure(client: Any, recorder: Recorder, engine: Engine, label: str, call: Any, repeat: int) -> Result:
    call()  # warm-up (imports, caches of the database itself)
    recorder.statements = []
    recorder.on = True
    response = call()
    recorder.on = False
    statements = list(recorder.statements)
    assert response.status_code == 200, (label, response.status_code, response.get_data(as_text=True)[:200])
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return Result(
        label,
        statistics.median(times),
        p95,
        len(response.get_data()),
        bare_ms(engine, statements, repeat),
        len(statements),
    )


def browser_first_load(app: Any) -> tuple[float, int] | None:
    """Bytes transferred and seconds until the first chart on `/` is drawn, in headless Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve

    gen = serve(app)
    live = next(gen)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context()
            page = context.new_page()
            page.goto(live.url + "/login")
            page.fill("#username", "province")
            page.fill("#password", DEMO_PASSWORD)
            page.click("#login-submit")
            page.wait_for_url(live.url + "/")
            fresh = context.new_page()
            cdp = context.new_cdp_session(fresh)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            total = {"bytes": 0}
            cdp.on(
                "Network.loadingFinished", lambda e: total.__setitem__("bytes", total["bytes"] + e["encodedDataLength"])
            )
            started = time.perf_counter()
            fresh.goto(live.url + "/")
            fresh.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
            seconds = time.perf_counter() - started
            browser.close()
            return seconds, int(total["bytes"])
    finally:
        gen.close()


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="large", choices=["small", "city", "large"])
    parser.add_argument("--database-url", help="default: a SQLite file bench/bench-<scale>.sqlite3")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--out", default=str(ROOT / "docs" / "PERFORMANCE.md"))
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{ROOT / 'bench' / f'bench-{args.scale}.sqlite3'}"
    ensure_seeded(url, args.scale)

    import dash

    from app import create_app

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TODAY": TODAY, "LOGIN_RATE_LIMIT": "1000/minute"})
    engine: Engine = app.extensions["db_engine"]
    recorder = Recorder(engine)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"username": "province", "password": DEMO_PASSWORD, "csrf_token": token})
    api_token = app.test_cli_runner().invoke(args=["create-token", f"bench-{datetime.now(CITY_TZ):%H%M%S%f}"])
    bearer = {"Authorization": f"Bearer {api_token.output.strip()}"}

    results: list[Result] = []
    pages = sorted((p["path"] for p in dash.page_registry.values() if p.get("path")), key=lambda p: (p != "/", p))
    for path in pages:
        for view in VIEWS:
            label = f"page {path}{view}"
            results.append(
                measure(
                    client,
                    recorder,
                    engine,
                    label,
                    lambda path=path, view=view: client.post(
                        "/_dash-update-component", data=page_body(path, view), content_type="application/json"
                    ),
                    args.repeat,
                )
            )
            print(f"{label:<40} median {results[-1].median_ms:8.1f} ms  p95 {results[-1].p95_ms:8.1f} ms", flush=True)
    for query in ("year=2021&city=zhuzhou", "year=2026"):
        label = f"api ?{query}"
        results.append(
            measure(
                client,
                recorder,
                engine,
                label,
                lambda query=query: client.get(f"/api/v1/indicators?{query}", headers=bearer),
                args.repeat,
            )
        )
        print(f"{label:<40} median {results[-1].median_ms:8.1f} ms  p95 {results[-1].p95_ms:8.1f} ms", flush=True)

    first_load = None if args.no_browser else browser_first_load(app)
    write_report(Path(args.out), url, args.scale, results, first_load)


def write_report(out: Path, url: str, scale: str, results: list[Result], first_load: tuple[float, int] | None) -> None:
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = "?"
    lines = [
        f"\n## {backend}, `{scale}` scale — {datetime.now(CITY_TZ):%Y-%m-%d %H:%M} (Asia/Shanghai), commit {commit}\n",
        f"Machine: {machine()}.\n",
        "| target | median ms | p95 ms | response KB | bare SQL ms | SQL statements | callback ÷ bare |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.target} | {r.median_ms:.1f} | {r.p95_ms:.1f} | {r.bytes / 1024:.1f} | {r.bare_ms:.1f} | "
            f"{r.statements} | {r.ratio:.2f} |"
        )
    if first_load:
        seconds, transferred = first_load
        lines.append(
            f"\nFirst load of `/` in headless Chromium (cache disabled): {transferred / 1024:.0f} KB "
            f"transferred, first chart drawn after {seconds:.2f} s.\n"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    if not out.exists():
        out.write_text(
            "# Performance\n\nFigures written by `make bench` (bench/run.py). Targets (issue 4): p95 ≤ 150 ms per "
            "callback at `city` scale and ≤ 500 ms at `large`; callback ÷ bare SQL ≤ 1.5; first load of `/` "
            "≤ 1.5 MB transferred.\n"
        )
    with out.open("a") as fh:
        fh.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
