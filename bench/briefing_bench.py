"""Benchmark: what /briefing.pdf costs at `city` scale (issue 17: "generated on the server in ≤ 10 s").

    .venv/bin/python bench/briefing_bench.py --database-url sqlite:////tmp/briefing/city.sqlite3 [--repeat 5]
    .venv/bin/python bench/briefing_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_city

Seeds the `city` demo into the URL if it is empty (bench/run.py's ensure_seeded), then asks the app for briefings as
a signed-in leader would (the Flask test client: the route, the deck, the HTML, Chromium's print, the text-layer
fix), for the province, each city and one district, reading the route's own Server-Timing header (figures: the
deck and the HTML; print: drawing the charts and the PDF):
- first: the process's first briefing — Chromium starts and parses plotly.js, every cache empty;
- miss: the result cache emptied before each request (the deck and every page query it reads computed anew), the
  browser already running: what a briefing costs on a server that was not warmed (WARM_CACHE unset);
- hit: the same briefing asked again (the finished PDF served from the result cache).
Each figure is the median of `--repeat` requests (max beside it). The load average is printed: the figures are
only as good as the machine was idle. A benchmark script, not a test; record its figures in docs/PERFORMANCE.md.
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
sys.path.insert(0, str(ROOT / "bench"))

from run import TODAY, ensure_seeded  # noqa: E402

import briefing_routes  # noqa: E402
from app import create_app  # noqa: E402
from data_access import get_session  # noqa: E402
from data_access.demo_accounts import DEMO_PASSWORD  # noqa: E402
from data_access.geography import city_by_code, district_options  # noqa: E402
from tests.test_auth import sign_in  # noqa: E402


def timings(header: str | None) -> dict[str, float]:
    """Server-Timing "figures;dur=812, print;dur=640, briefing;dur=1452" → seconds by name."""
    out: dict[str, float] = {}
    for part in (header or "").split(","):
        name, _, duration = part.strip().partition(";dur=")
        if duration:
            out[name] = float(duration) / 1000
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'bench' / 'bench-city.sqlite3'}")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lang", default="zh")
    args = parser.parse_args()
    ensure_seeded(args.database_url, "city")

    app = create_app({"DATABASE_URL": args.database_url, "SECRET_KEY": "bench", "TODAY": TODAY})
    client = app.test_client()
    assert sign_in(client, "province", DEMO_PASSWORD).status_code == 302
    cache = app.extensions["result_cache"]
    with app.test_request_context("/"):
        zhuzhou = city_by_code(get_session(), "zhuzhou")
        assert zhuzhou is not None
        district = district_options(get_session(), zhuzhou.id)[0]
    year = TODAY.year
    targets = [
        ("city Zhuzhou", f"city=zhuzhou&year={year}"),
        ("city Xiangtan", f"city=xiangtan&year={year}"),
        ("province", f"year={year}"),
        (f"district {district.name_en}", f"city=zhuzhou&district={district.id}&year={year}"),
        ("city Zhuzhou, last year", f"city=zhuzhou&year={year - 1}"),
    ]

    def ask(query: str) -> tuple[float, dict[str, float], int]:
        started = time.perf_counter()
        r = client.get(f"/briefing.pdf?{query}&lang={args.lang}")
        seconds = time.perf_counter() - started
        assert r.status_code == 200 and r.data.startswith(b"%PDF"), (r.status_code, r.get_data(as_text=True)[:300])
        return seconds, timings(r.headers.get("Server-Timing")), len(r.data)

    print(f"load average before: {os.getloadavg()}", flush=True)
    first, first_parts, size = ask(targets[0][1])
    print(
        f"first briefing of the process (Chromium started, caches empty): {first:.2f} s"
        f" (figures {first_parts.get('figures', 0):.2f} s, print {first_parts.get('print', 0):.2f} s), {size:,} bytes",
        flush=True,
    )
    rows = []
    for label, query in targets:
        misses: list[float] = []
        figures: list[float] = []
        prints: list[float] = []
        for _ in range(args.repeat):
            cache.clear()
            seconds, parts, size = ask(query)
            misses.append(seconds)
            figures.append(parts.get("figures", 0.0))
            prints.append(parts.get("print", 0.0))
        hits = [ask(query)[0] for _ in range(args.repeat)]
        rows.append((label, misses, figures, prints, hits, size))
        print(
            f"  {label}: miss {statistics.median(misses):.2f} s, hit {statistics.median(hits) * 1000:.1f} ms",
            flush=True,
        )
    print(f"load average after: {os.getloadavg()}; Chromium launches: {briefing_routes.PRINTER.launches}")
    print()
    print("| briefing | miss: total (max) | figures | print | hit | PDF |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, misses, figures, prints, hits, size in rows:
        print(
            f"| {label} | {statistics.median(misses):.2f} s ({max(misses):.2f}) | {statistics.median(figures):.2f} s"
            f" | {statistics.median(prints):.2f} s | {statistics.median(hits) * 1000:.1f} ms | {size / 1024:,.0f} KB |"
        )
    briefing_routes.PRINTER.stop()


if __name__ == "__main__":
    main()
