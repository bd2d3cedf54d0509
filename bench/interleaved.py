"""Compare two checkouts' cache-miss callback times on one database, interleaved call by call.

    .venv/bin/python bench/interleaved.py --before /work/baseline --after . \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_city [--repeat 30] [--json FILE]

Why this script besides bench/run.py: on a shared 2-core VM the same callback's p95 moves by ~30 % from one
run of bench/run.py to the next (docs/PERFORMANCE.md, issue 13), so two runs made minutes apart cannot show a
10 % difference either way. Here each checkout's app runs in its own process (imported from that checkout, as
`flask run` would), both against the same database, and the calls alternate — before, after, after, before, … —
so every burst of noise lands on both sides alike. Each side renders exactly what bench/run.py renders: every
page and view, every compound grid's first block and the API, through Dash's callback endpoint, signed in as
the `province` demo leader, with the result cache off (the work of a cache miss). It also says whether both
sides answered with the same bytes.

Prints a table (median and p95 per side, p95 after ÷ before with a 90 % bootstrap interval) and exits 1 when any
callback's p95 is more than --tolerance worse after (or, with --pool, reports runs saved with --json together).
A benchmark script, not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


# --------------------------------------------------------------------------- the worker (one per checkout)


def _worker(checkout: str, url: str, compounds: list[int], meetings: list[int]) -> None:
    sys.path[:0] = [checkout, str(HERE)]  # that checkout's code; the request builders shared with bench/run.py
    os.chdir(checkout)
    import dash
    from callbacks import GRIDS, SKIP, TODAY, VIEWS, grid_body, page_body  # type: ignore[import-not-found]

    from app import create_app
    from data_access.demo_accounts import DEMO_PASSWORD

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "TODAY": TODAY,
            "LOGIN_RATE_LIMIT": "1000/minute",
            "LOGIN_ADDRESS_RATE_LIMIT": "1000/minute",
            "WARM_CACHE": False,
            "CACHE_TYPE": "SimpleCache",
            "GC_FREEZE": True,
        }
    )
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"username": "province", "password": DEMO_PASSWORD, "csrf_token": token})
    name = f"interleaved-{os.getpid()}-{time.time_ns()}"
    bearer = {"Authorization": "Bearer " + app.test_cli_runner().invoke(args=["create-token", name]).output.strip()}
    app.extensions["result_cache"] = None  # every call does the work of a cache miss

    calls: dict[str, Any] = {}
    views = {"/compound": [f"?id={c}" for c in compounds], "/councils/meeting": [f"?id={m}" for m in meetings]}
    for path in sorted((p["path"] for p in dash.page_registry.values() if p.get("path")), key=lambda p: (p != "/", p)):
        if path in SKIP:
            continue
        for view in views.get(path, VIEWS):
            body = page_body(path, view)
            calls[f"page {path}{view}"] = lambda body=body: client.post(
                "/_dash-update-component", data=body, content_type="application/json"
            )
    for path, prefix in GRIDS.items():
        for view in VIEWS:
            body = grid_body(prefix, view)
            calls[f"grid {path}{view}"] = lambda body=body: client.post(
                "/_dash-update-component", data=body, content_type="application/json"
            )
    for query in ("year=2021&city=zhuzhou", "year=2026"):
        calls[f"api ?{query}"] = lambda query=query: client.get(f"/api/v1/indicators?{query}", headers=bearer)

    print(json.dumps({"labels": list(calls)}), flush=True)
    for line in sys.stdin:
        label = json.loads(line)["call"]
        started = time.perf_counter()
        response = calls[label]()
        ms = (time.perf_counter() - started) * 1000
        data = response.get_data()
        print(
            json.dumps({"ms": ms, "status": response.status_code, "sha": hashlib.sha256(data).hexdigest()}), flush=True
        )


# --------------------------------------------------------------------------- the driver


class Side:
    def __init__(self, checkout: str, url: str, compounds: list[int], meetings: list[int]) -> None:
        argv = [sys.executable, __file__, "--worker", checkout, "--database-url", url]
        argv += ["--compounds", ",".join(map(str, compounds)), "--meetings", ",".join(map(str, meetings))]
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.labels: list[str] = json.loads(self._read())["labels"]

    def _read(self) -> str:
        assert self.proc.stdout is not None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit("a worker stopped; see its output above")
            if line.startswith("{"):
                return line

    def call(self, label: str) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"call": label}) + "\n")
        self.proc.stdin.flush()
        answer: dict[str, Any] = json.loads(self._read())
        return answer

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _samples(url: str) -> tuple[list[int], list[int]]:
    sys.path[:0] = [str(HERE)]
    from run import sample_compounds, sample_meeting  # type: ignore[import-not-found]  (puts this checkout first)

    from data_access.core.db import make_engine

    engine = make_engine(url)
    compounds = sample_compounds(engine)
    meetings = [m for m in (sample_meeting(engine, c) for c in compounds) if m is not None]
    engine.dispose()
    return compounds, meetings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", help="checkout of the earlier version")
    parser.add_argument("--after", default=str(HERE.parent), help="checkout of the later version")
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--before-database-url",
        help="the before side's own database (default: --database-url); a byte-identical copy of a SQLite file keeps "
        "the two processes from contending for one file's locks and page cache",
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--tolerance", type=float, default=0.10)
    parser.add_argument("--json", help="write every sample to this file")
    parser.add_argument("--only", action="append", help="measure only callbacks whose label contains this (repeatable)")
    parser.add_argument(
        "--pool",
        nargs="+",
        metavar="JSON",
        help="measure nothing: report the samples of earlier runs' --json files together (each side's calls pooled)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--compounds", default="", help=argparse.SUPPRESS)
    parser.add_argument("--meetings", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        ids = [[int(v) for v in text.split(",") if v] for text in (args.compounds, args.meetings)]
        _worker(args.worker, args.database_url, ids[0], ids[1])
        return 0
    if args.pool:
        return _pooled(args)
    if not args.before:
        parser.error("--before is required")
    compounds, meetings = _samples(args.database_url)
    before = Side(args.before, args.before_database_url or args.database_url, compounds, meetings)
    after = Side(args.after, args.database_url, compounds, meetings)
    labels = [label for label in after.labels if label in set(before.labels)]
    if args.only:
        labels = [label for label in labels if any(part in label for part in args.only)]
    samples: dict[str, dict[str, list[float]]] = {}
    same: dict[str, bool] = {}
    started = time.perf_counter()
    load = os.getloadavg()[0]
    for label in labels:
        first = before.call(label), after.call(label)  # warm-up, and the bytes each side answers
        assert all(r["status"] == 200 for r in first), (label, first)
        same[label] = first[0]["sha"] == first[1]["sha"]
        times: dict[str, list[float]] = {"before": [], "after": []}
        for i in range(args.repeat):
            order = ((before, "before"), (after, "after")) if i % 2 == 0 else ((after, "after"), (before, "before"))
            for side, name in order:
                times[name].append(side.call(label)["ms"])
        samples[label] = times
    before.close()
    after.close()
    return _report(samples, same, args, time.perf_counter() - started, load)


def _pooled(args: Any) -> int:
    """One report over several runs: a p95 of 300 calls moves by ±15 % from run to run on this VM (the slowest
    fifteen calls decide it), so pooling runs made at different moments is the cheaper way to a steadier tail."""
    samples: dict[str, dict[str, list[float]]] = {}
    same: dict[str, bool] = {}
    for name in args.pool:
        run = json.loads(Path(name).read_text())
        for label, times in run["samples"].items():
            into = samples.setdefault(label, {"before": [], "after": []})
            into["before"] += times["before"]
            into["after"] += times["after"]
            same[label] = same.get(label, True) and run["same_bytes"][label]
    args.repeat = min(len(t["before"]) for t in samples.values())
    args.json = None
    return _report(samples, same, args, None, 0.0)


def _ratio_interval(before: list[float], after: list[float], rounds: int = 400) -> tuple[float, float]:
    """A 90 % bootstrap interval of the p95 ratio: how far the ratio moves when the same calls are drawn again."""
    rng = random.Random(18)
    ratios = sorted(
        _p95(rng.choices(after, k=len(after))) / _p95(rng.choices(before, k=len(before))) for _ in range(rounds)
    )
    return ratios[int(0.05 * rounds)], ratios[int(0.95 * rounds) - 1]


def _report(
    samples: dict[str, dict[str, list[float]]], same: dict[str, bool], args: Any, seconds: float | None, load: float
) -> int:
    worse = []
    print(
        f"\n{'callback':<44} {'before med':>10} {'p95':>8} {'after med':>10} {'p95':>8} {'p95 ratio':>9}"
        f" {'90% interval':>13}  bytes"
    )
    for label, t in samples.items():
        b95, a95 = _p95(t["before"]), _p95(t["after"])
        ratio = a95 / b95
        flag = " *" if ratio > 1 + args.tolerance else ""
        if flag:
            worse.append(label)
        low, high = _ratio_interval(t["before"], t["after"])
        print(
            f"{label:<44} {statistics.median(t['before']):10.1f} {b95:8.1f} {statistics.median(t['after']):10.1f}"
            f" {a95:8.1f} {ratio:9.2f}{flag:2} {low:6.2f}–{high:4.2f}  {'same' if same[label] else 'differ'}"
        )
    when = (
        f"pooled from {len(args.pool)} runs"
        if seconds is None
        else f"in {seconds:.0f} s (load {load:.2f} → {os.getloadavg()[0]:.2f})"
    )
    print(
        f"\n{len(samples)} callbacks × {args.repeat} interleaved calls per side {when}; p95 more than "
        f"{args.tolerance:.0%} worse after: "
        f"{len(worse)}{' — ' + ', '.join(worse) if worse else ''}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps({"samples": samples, "same_bytes": same}, indent=1))
    return 1 if worse else 0


if __name__ == "__main__":
    raise SystemExit(main())
