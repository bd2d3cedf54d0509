"""Deterministic demo province (Hunan: Zhuzhou and Xiangtan) for an empty, migrated database.

    from data_access.demo import seed_demo
    report = seed_demo(engine, scale="small", seed=20210101, today=date(2026, 11, 23))

Everything is drawn from one random.Random(seed) and dated relative to `today`, so the same
arguments always give the same rows. The figures published in shared/seed-facts.md (Zhuzhou's
deposits and uses, 3,033 elevator complaints in 2021, Shanshui Wenyuan, Xinguidu, the red-property
counts) come back exactly from sums and counts over the generated rows, at every scale.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine

from data_access.core.clock import today_local
from data_access.core.models import Compound, DatasetInfo
from data_access.demo import councils, fund, geography, insurance, operations, red_property
from data_access.demo.config import SCALES
from data_access.demo.world import DemoRandom, World
from data_access.demo.writer import RowWriter
from data_access.rollup_refresh import refresh_rollups

__all__ = ["SCALES", "STAGES", "SeedReport", "seed_demo"]

Progress = Callable[[str, int, int], None]

STAGES: tuple[tuple[str, Callable[[World], None]], ...] = (
    ("geography", geography.build),
    ("maintenance_fund", fund.build),
    ("insurance", insurance.build),
    ("elevator_faults", operations.faults),
    ("maintenance_visits", operations.visits),
    ("hotline", operations.hotline),
    ("red_property", red_property.build),
    ("councils", councils.build),
)


@dataclass(frozen=True)
class SeedReport:
    """What seed_demo wrote: rows per table and the wall time it took."""

    scale: str
    seed: int
    today: date
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def seed_demo(
    engine: Engine,
    scale: str = "small",
    seed: int = 20210101,
    today: date | None = None,
    progress: Progress | None = None,
) -> SeedReport:
    """Fill an empty, migrated database with the demo province in one transaction.

    progress(stage, done, total) is called before each stage (done = stages finished so far) and
    once more as ("done", total, total). Raises ValueError for an unknown scale, a `today` before
    2023 (the published figures are as of 2022) or a database that already holds compounds.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    today = today or today_local()
    if today < date(2023, 1, 1):
        raise ValueError(f"today={today} is too early: the demo reproduces figures as of the end of 2022")
    started = time.perf_counter()
    total = len(STAGES) + 2
    with engine.begin() as conn:
        if conn.execute(select(func.count()).select_from(Compound)).scalar_one():
            raise ValueError("the compound table is not empty: the demo can only seed an empty database")
        writer = RowWriter(conn)
        world = World(rng=DemoRandom(seed), scale=SCALES[scale], today=today, writer=writer)
        for done, (stage, run) in enumerate(STAGES):
            if progress:
                progress(stage, done, total)
            run(world)
        if progress:
            progress("dataset_info", len(STAGES), total)
        info = {
            "demo": "true",
            "scale": scale,
            "seed": str(seed),
            "seeded_on": today_local().isoformat(),  # when the seed ran: metadata, no row depends on it
            "as_of": today.isoformat(),
            "generation": uuid.uuid4().hex,  # cached figures of any earlier data set stop matching
        }
        # delete(DatasetInfo), not DatasetInfo.__table__.delete(): the stubs type __table__ as a FromClause
        # (no .delete()); both compile to the same DELETE FROM dataset_info.
        conn.execute(delete(DatasetInfo).where(DatasetInfo.key.in_(list(info))))
        for key, value in info.items():
            writer.add("dataset_info", {"key": key, "value": value})
        writer.flush()
        writer.reset_sequences()
        if progress:
            progress("rollups", len(STAGES) + 1, total)
        refresh_rollups(conn)  # in the same transaction: the data set never shows without its rollups
    # Planner statistics for the freshly loaded tables. Without them SQLite guessed that an index on
    # (outcome, resolved_on) beat a compound's own meetings and scanned every resolved item of the province
    # for one compound's figure; PostgreSQL would wait for autovacuum (docs/PERFORMANCE.md).
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")
    if progress:
        progress("done", total, total)
    return SeedReport(scale, seed, today, dict(sorted(writer.counts.items())), time.perf_counter() - started)
