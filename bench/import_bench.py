"""Benchmark: import N new 12345 work orders into a copy of a seeded database, then import the same file again.

    .venv/bin/python bench/import_bench.py --database-url sqlite:////work/benchdb/bench-city.sqlite3 \\
        [--rows 100000] [--format xlsx|csv] [--city xiangtan]
    .venv/bin/python bench/import_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_city

Issue 15's target: 100,000 work orders validated and loaded in ≤ 60 s on this 2-core machine, on SQLite and
PostgreSQL, with memory that does not grow with the file. The script never writes into the database it is
given: it copies it (SQLite: the backup API; PostgreSQL: CREATE DATABASE … TEMPLATE) and drops the copy after.
It writes the file (random compounds of the city, an elevator's registration code for elevator complaints,
received and closed times, satisfaction) with openpyxl's write-only workbook or as UTF-8-with-BOM CSV, then
runs `load_file` exactly as `flask --app app import` does, timing each stage from the progress callback, and
prints the peak resident memory of this process. Each figure is a separate process (`--repeat` runs it again).
A benchmark script, not a test; record its figures in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from data_access.core.db import make_engine  # noqa: E402
from data_access.imports.files import Source  # noqa: E402
from data_access.imports.pipeline import Who, load_file  # noqa: E402

HEADERS = ["工单编号", "受理时间", "诉求类别", "区县", "小区名称", "电梯注册代码", "诉求摘要", "办结时间", "满意度"]
CATEGORIES = ["电梯", "物业费", "漏水", "电动车充电", "停车", "噪音", "环境卫生", "其他"]


def _places(url: str, city: str) -> tuple[list[tuple[str, str, int]], dict[int, list[str]]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        compounds = conn.execute(
            text(
                "SELECT d.name, co.name, co.id FROM compound co JOIN district d ON d.id = co.district_id"
                " JOIN city ci ON ci.id = d.city_id WHERE ci.code = :c ORDER BY co.id"
            ),
            {"c": city},
        ).all()
        lifts: dict[int, list[str]] = {}
        for code, compound_id in conn.execute(
            text("SELECT e.registration_code, b.compound_id FROM elevator e JOIN building b ON b.id = e.building_id")
        ):
            lifts.setdefault(compound_id, []).append(code)
    engine.dispose()
    return [(d, n, int(i)) for d, n, i in compounds], lifts


def write_file(url: str, city: str, rows: int, path: Path) -> None:
    compounds, lifts = _places(url, city)
    rng = random.Random(7)
    start = datetime(2024, 1, 1)

    def records() -> Iterator[list[Any]]:
        for i in range(rows):
            district, name, compound_id = rng.choice(compounds)
            category = rng.choice(CATEGORIES)
            lift = rng.choice(lifts[compound_id]) if category == "电梯" and lifts.get(compound_id) else None
            at = start + timedelta(minutes=rng.randrange(0, 500 * 24 * 60))
            closed = at + timedelta(minutes=rng.randrange(60, 10 * 24 * 60))
            yield [
                f"BENCH{i:08d}",
                at,
                category,
                district,
                name,
                lift,
                f"{name}{category}问题反映",
                closed,
                rng.randint(1, 5),
            ]

    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADERS)
            for r in records():
                writer.writerow(
                    ["" if v is None else f"{v:%Y-%m-%d %H:%M:%S}" if isinstance(v, datetime) else v for v in r]
                )
        return
    book = Workbook(write_only=True)
    sheet = book.create_sheet("工单")
    sheet.append(HEADERS)
    for r in records():
        sheet.append(r)
    book.save(path)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    return f"{value:%Y-%m-%d %H:%M:%S}" if isinstance(value, datetime) else value


def _copy(url: str, folder: Path) -> str:
    """A throwaway copy of the database: the benchmark never writes into the one it was given."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        target = folder / "import-bench.sqlite3"
        with sqlite3.connect(parsed.database or "") as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return f"sqlite:///{target}"
    name = f"{parsed.database}_import_bench"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"'))
    admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def _drop(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database or "").unlink(missing_ok=True)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
    admin.dispose()


def measure(url: str, path: Path, city: str) -> str:
    """One import (in this process): its counts, the time each stage began, the commit, and peak memory."""
    engine = make_engine(url)
    marks: dict[str, float] = {}
    started = time.perf_counter()

    def progress(stage: str, _done: int, _total: int) -> None:
        marks.setdefault(stage, time.perf_counter() - started)

    with Session(engine) as session:
        report = load_file(
            session, "work-orders", Source.from_path(path), city, who=Who(None, "bench"), progress=progress
        )
        session.commit()
    total = time.perf_counter() - started
    engine.dispose()
    t = report.total
    begun = ", ".join(f"{stage} from {at:.1f} s" for stage, at in marks.items())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (
        f"{path.name} {make_url(url).get_backend_name()}: new {t.new}, updated {t.updated}, unchanged {t.unchanged},"
        f" rejected {t.rejected} | {begun} | total {total:.1f} s | peak RSS {rss:.0f} MB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a seeded database (copied, never written)")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--city", default="xiangtan")
    parser.add_argument("--measure", nargs=2, metavar=("URL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:  # a child process: one import, so its peak memory is its own
        print(measure(args.measure[0], Path(args.measure[1]), args.city), flush=True)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / f"work-orders-{args.rows}.{args.format}"
        write_file(args.database_url, args.city, args.rows, path)
        print(f"wrote {path.name}: {path.stat().st_size / 1024 / 1024:.1f} MB", flush=True)
        copy = _copy(args.database_url, folder)
        try:
            for _ in ("load", "re-import"):
                child = [sys.executable, __file__, "--database-url", args.database_url, "--city", args.city]
                subprocess.run([*child, "--measure", copy, str(path)], check=True)
        finally:
            _drop(copy)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
