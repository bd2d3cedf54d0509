"""What the database says about the data set it holds (the `dataset_info` key/value rows), read in one place.

- `generation` is renewed by every seed or bulk load: cached figures of an earlier load never match it;
- `rollup_generation` records the generation the pre-aggregated tables were built from, and `rollup_years`
  the years their per-compound year-end snapshot covers;
- `council_generation` is renewed in the transaction of every council write;
- `documents_generation` is renewed when a document is added to an insurance application: no figure counts
  documents (so cached figures stay), but the application's rendered page lists them (render_cache.py keys every
  rendered page by all of these rows);
- `demo` is "true" for the synthetic demo: every page and API answer says so — except for a city whose own records
  were imported since (`imported:<city code>`, written by the import in its transaction): its figures are now the
  bureau's, so its pages and API answers no longer carry the demo mark.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from data_access.core.models import DatasetInfo

GENERATION_KEY = "generation"
COUNCIL_GENERATION_KEY = "council_generation"
DOCUMENTS_GENERATION_KEY = "documents_generation"
ROLLUP_KEY = "rollup_generation"
YEARS_KEY = "rollup_years"  # "first-last": the years agg_compound_year holds a row for, per compound
DEMO_KEY = "demo"
IMPORTED_PREFIX = "imported:"  # + a city's code: the day (ISO) that city's own records were first imported


class RollupState(NamedTuple):
    ready: bool  # the pre-aggregated tables were built from the data set now loaded
    years: tuple[int, int] | None  # first and last year of their per-compound year-end snapshot


FACTS_INFO_KEY = "dataset_facts"  # where a session keeps its copy of the rows


def dataset_facts(session: Session) -> dict[str, str]:
    """Every `dataset_info` row (a handful), read in one statement once per session and kept in `session.info`:
    a request asks for several of them (generation, council generation, demo, rollup state) and each used to be a
    statement of its own. A write of any of them in this session forgets the copy (bump_council_generation,
    decide_reader_again), so the session reads its own writes."""
    facts = session.info.get(FACTS_INFO_KEY)
    if facts is None:
        table = DatasetInfo.__table__.c  # Core columns: read by every request, the ORM's compile step is waste
        facts = {k: v for k, v in session.execute(select(table.key, table.value))}
        session.info[FACTS_INFO_KEY] = facts
    return facts


def keep_dataset_facts(session: Session, facts: dict[str, str]) -> None:
    """Keep rows read along with another statement (users.load_viewer reads them with the account) as the
    session's copy, so dataset_facts makes no statement of its own."""
    session.info[FACTS_INFO_KEY] = facts


def read_rollup_state(session: Session) -> RollupState:
    """Whether the pre-aggregated tables belong to the loaded data set, and the years they hold."""
    values = dataset_facts(session)
    ready = bool(values.get(GENERATION_KEY)) and values.get(GENERATION_KEY) == values.get(ROLLUP_KEY)
    years = values.get(YEARS_KEY)
    first_last = tuple(int(y) for y in years.split("-")) if years else None
    return RollupState(ready, (first_last[0], first_last[1]) if first_last else None)


def demo_city_codes(session: Session, city_codes: Iterable[str]) -> frozenset[str]:
    """Of the given cities, those whose figures are still the synthetic demo's: none when the data set is not the
    demo; otherwise every city none of whose own records were imported yet."""
    facts = dataset_facts(session)
    if facts.get(DEMO_KEY) != "true":
        return frozenset()
    return frozenset(code for code in city_codes if IMPORTED_PREFIX + code not in facts)


def mark_imported(session: Session, city_code: str, on: date) -> None:
    """Record (once) that a city's own records were imported: from now on its figures are not marked as demo."""
    key = IMPORTED_PREFIX + city_code
    if session.get(DatasetInfo, key) is None:
        session.add(DatasetInfo(key=key, value=on.isoformat()))
        session.flush()
    session.info.pop(FACTS_INFO_KEY, None)


def read_generation(session: Session) -> str:
    """The loaded data set's generation ("0" before any load)."""
    return dataset_facts(session).get(GENERATION_KEY) or "0"


def council_generation(session: Session) -> str:
    """As of the session's first read; a council write in this session renews it (bump_council_generation), so a
    callback that saves and then lists sees its own save."""
    return dataset_facts(session).get(COUNCIL_GENERATION_KEY) or "0"


def bump_council_generation(session: Session) -> None:
    """Call inside the transaction of every council write, after its flush: cached council figures and lists
    stop matching when it commits (and not before, so a rolled-back write invalidates nothing)."""
    _renew_key(session, COUNCIL_GENERATION_KEY)


def bump_documents_generation(session: Session) -> None:
    """Call inside the transaction that adds an application's document: a kept render of the application's page
    stops matching when it commits. Its own key rather than the data generation, which would also expire every
    cached figure although none counts documents."""
    _renew_key(session, DOCUMENTS_GENERATION_KEY)


def _renew_key(session: Session, key: str) -> None:
    value = uuid.uuid4().hex
    session.info.pop(FACTS_INFO_KEY, None)
    done = session.execute(
        update(DatasetInfo).where(DatasetInfo.key == key).values(value=value),
        execution_options={"synchronize_session": False},
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        session.add(DatasetInfo(key=key, value=value))
        session.flush()


def rollups_ready(session: Session) -> bool:
    """Whether this session reads the pre-aggregated tables: decided once per session, when it is opened
    (data_access.get_session) or at its first query, from the data set's bookkeeping (`read_rollup_state`), and
    kept in `session.info`. `session.info["rollups"] = False` turns them off for a session (tests compare both
    readers; the benchmark measures both)."""
    if "rollups" not in session.info:
        open_reader(session)
    return bool(session.info["rollups"])


def open_reader(session: Session) -> None:
    """Decide, for a session just opened, which reader serves it; a session told otherwise keeps its setting."""
    state = read_rollup_state(session)
    session.info.setdefault("rollups", state.ready)
    session.info["rollup_years"] = state.years


def decide_reader_again(session: Session) -> None:
    """Forget the session's choice of reader, so that its next query decides again (after a refresh in it), and
    what it kept of the data set (its facts, the places: a load may have changed them)."""
    session.info.pop("rollups", None)
    session.info.pop("rollup_years", None)
    session.info.pop(FACTS_INFO_KEY, None)
    session.info.pop("places", None)


def renew_generation(session: Session) -> None:
    """A new data-set generation: cached figures (keyed by it, data_access.cache) of the previous data expire
    when this transaction commits, and the rollups are stale until refresh_rollups marks them built from it."""
    conn, value = session.connection(), uuid.uuid4().hex
    done = conn.execute(update(DatasetInfo).where(DatasetInfo.key == GENERATION_KEY).values(value=value))
    if not done.rowcount:
        conn.execute(insert(DatasetInfo).values(key=GENERATION_KEY, value=value))
    session.info.pop(FACTS_INFO_KEY, None)
