"""What the database says about the data set it holds (the `dataset_info` key/value rows), read in one place.

- `generation` is renewed by every seed or bulk load: cached figures of an earlier load never match it;
- `rollup_generation` records the generation the pre-aggregated tables were built from, and `rollup_years`
  the years their per-compound year-end snapshot covers;
- `council_generation` is renewed in the transaction of every council write;
- `demo` is "true" for the synthetic demo: every page and API answer says so.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data_access.core.models import DatasetInfo

GENERATION_KEY = "generation"
COUNCIL_GENERATION_KEY = "council_generation"
ROLLUP_KEY = "rollup_generation"
YEARS_KEY = "rollup_years"  # "first-last": the years agg_compound_year holds a row for, per compound
DEMO_KEY = "demo"


def is_demo(session: Session) -> bool:
    """True when the loaded data set is the synthetic demo (the banner and the API's `demo_data`)."""
    return session.scalar(select(DatasetInfo.value).where(DatasetInfo.key == DEMO_KEY)) == "true"


def read_generation(session: Session) -> str:
    """The loaded data set's generation ("0" before any load)."""
    return session.scalar(select(DatasetInfo.value).where(DatasetInfo.key == GENERATION_KEY)) or "0"


def council_generation(session: Session) -> str:
    """Read on every call, not once per request: a callback that saves and then lists must see its own save."""
    return session.scalar(select(DatasetInfo.value).where(DatasetInfo.key == COUNCIL_GENERATION_KEY)) or "0"


def bump_council_generation(session: Session) -> None:
    """Call inside the transaction of every council write, after its flush: cached council figures and lists
    stop matching when it commits (and not before, so a rolled-back write invalidates nothing)."""
    value = uuid.uuid4().hex
    done = session.execute(
        update(DatasetInfo).where(DatasetInfo.key == COUNCIL_GENERATION_KEY).values(value=value),
        execution_options={"synchronize_session": False},
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        session.add(DatasetInfo(key=COUNCIL_GENERATION_KEY, value=value))
        session.flush()
