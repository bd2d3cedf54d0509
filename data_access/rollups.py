"""Whether the pre-aggregated tables may be read, and how readers scope them to an area.

The tables (data_access.rollup_tables) are rebuilt by data_access.rollup_refresh.refresh_rollups, which
records the data set's generation under ROLLUP_KEY. Readers use them only while that record equals the
current generation: data loaded without a refresh (or a refresh that failed) leaves the pages on the raw
queries — slower, never wrong.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from flask import g, has_app_context
from sqlalchemy import CTE, Date, Select, Table, and_, func, literal, select, true, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, ScalarSelect

from data_access.cache import GENERATION_KEY
from data_access.geography import Area
from data_access.models import DatasetInfo, District

ROLLUP_KEY = "rollup_generation"


def rollups_ready(session: Session) -> bool:
    """True when the rollups were built from the data set now loaded. `session.info["rollups"] = False`
    turns them off for that session (tests compare both paths; the benchmark measures both)."""
    if session.info.get("rollups") is False:
        return False
    if has_app_context() and "rollups_ready" in g:
        return bool(g.rollups_ready)
    keys = DatasetInfo.key.in_([GENERATION_KEY, ROLLUP_KEY])
    values = dict(session.execute(select(DatasetInfo.key, DatasetInfo.value).where(keys)).all())
    ready = bool(values.get(GENERATION_KEY)) and values.get(GENERATION_KEY) == values.get(ROLLUP_KEY)
    if has_app_context():
        g.rollups_ready = ready
    return ready


def in_area(district_col: ColumnElement[Any], area: Area) -> ColumnElement[bool] | None:
    """Condition restricting a rollup's district column to the area; None province-wide."""
    if area.district_id is not None:
        return district_col == area.district_id
    if area.city_id is not None:
        return district_col.in_(select(District.id).where(District.city_id == area.city_id))
    return None


def scoped(stmt: Any, district_col: ColumnElement[Any], area: Area) -> Any:
    cond = in_area(district_col, area)
    return stmt if cond is None else stmt.where(cond)


def latest_day(table: Table, key: str, key_value: ColumnElement[Any], day: date) -> ScalarSelect[Any]:
    """The day of `key_value`'s latest row on or before `day` (a level's or running total's row then in force).

    A correlated MAX over the (key, day) primary key: one index seek per key, on both engines.
    """
    t = table.alias().c  # an alias, so it never correlates with the same table in the enclosing query
    return select(func.max(t.day)).where(t[key] == key_value, t.day <= day).scalar_subquery()


def materialized(stmt: Select, name: str) -> CTE:
    """A CTE computed once, before the query that joins it.

    For the per-compound "latest row" keys: inlined, PostgreSQL evaluated each correlated MAX once per joined
    row instead of once per compound (1.2 s instead of 20 ms for a city's compound table).
    """
    return stmt.cte(name).prefix_with("MATERIALIZED")  # SQLite ≥ 3.35, PostgreSQL ≥ 12


def levels_at(
    session: Session, table: Table, columns: Sequence[str], area: Area, days: Sequence[date]
) -> dict[date, list[int]]:
    """Per day, the district levels (or running totals) of `table` summed over the area.

    The (day × district) pairs are few (a district, a city's districts or all nine, times the days asked),
    and each finds its row with one index seek. A day before any row gets zeros.
    """
    wanted = sorted(set(days))
    out = {d: [0] * len(columns) for d in wanted}
    for i, _district, values in _district_levels(session, table, columns, area, wanted, per_district=False):
        out[wanted[i]] = values
    return out


def levels_by_district(
    session: Session, table: Table, columns: Sequence[str], area: Area, days: Sequence[date]
) -> dict[date, dict[int, list[int]]]:
    """levels_at, district by district (a district without a row by then is missing)."""
    wanted = sorted(set(days))
    out: dict[date, dict[int, list[int]]] = {d: {} for d in wanted}
    for i, district, values in _district_levels(session, table, columns, area, wanted, per_district=True):
        out[wanted[i]][district] = values
    return out


def _district_levels(
    session: Session, table: Table, columns: Sequence[str], area: Area, wanted: list[date], per_district: bool
) -> Iterator[tuple[int, int, list[int]]]:
    if not wanted:
        return
    rows = [select(literal(i).label("i"), literal(d, Date()).label("d")) for i, d in enumerate(wanted)]
    dates = (union_all(*rows) if len(rows) > 1 else rows[0]).subquery("days")
    t = table.c
    pairs = scoped(
        select(
            dates.c.i,
            District.id.label("district_id"),
            select(func.max(t.day))
            .where(t.district_id == District.id, t.day <= dates.c.d)
            .scalar_subquery()
            .label("day"),
        ).select_from(dates.join(District, true())),
        District.id,
        area,
    ).subquery("pairs")
    keys = [pairs.c.i, pairs.c.district_id] if per_district else [pairs.c.i]
    stmt = (
        select(*keys, *(func.sum(t[c]) for c in columns))
        .select_from(pairs)
        .join(table, and_(t.district_id == pairs.c.district_id, t.day == pairs.c.day))
        .group_by(*keys)
    )
    for row in session.execute(stmt):
        values = [int(v or 0) for v in row[len(keys) :]]
        yield int(row[0]), (int(row[1]) if per_district else 0), values
