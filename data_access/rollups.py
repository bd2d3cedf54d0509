"""What the readers of the pre-aggregated tables share: district levels on given days, per-compound sums and stocks.

The tables (data_access.core.rollup_tables) are rebuilt by data_access.rollup_refresh.refresh_rollups, which
records the data set's generation under ROLLUP_KEY. Readers use them only while that record equals the
current generation: data loaded without a refresh (or a refresh that failed) leaves the pages on the raw
queries — slower, never wrong.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Date, Select, Table, and_, func, literal, select, true, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Subquery

from data_access.core.dataset import open_reader
from data_access.core.models import District
from data_access.core.rollup_tables import agg_compound_year
from data_access.core.scope import ON_DISTRICT, Anchor, Area, within


def snapshot_year(session: Session, year: int) -> int | None:
    """The agg_compound_year row that holds the stocks at the end of `year`: that year's, or the last one when
    nothing is dated after it; None before the data begins (the stocks are zero then). Call after rollups_ready."""
    if "rollup_years" not in session.info:
        open_reader(session)
    years = session.info.get("rollup_years")
    if years is None or year < years[0]:
        return None
    return min(year, years[1])


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
    pairs = within(
        select(
            dates.c.i,
            District.id.label("district_id"),
            select(func.max(t.day))
            .where(t.district_id == District.id, t.day <= dates.c.d)
            .scalar_subquery()
            .label("day"),
        ).select_from(dates.join(District, true())),
        area,
        ON_DISTRICT,
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


def compound_sums(daily: Table, columns: Sequence[str], first: date, last: date, area: Area, *where: Any) -> Select:
    """Per compound (with the district it is in), the daily rows of `daily` summed over [first, last]: one range
    scan of the table's day-ordered key, whatever the number of compounds."""
    t = daily.c
    stmt = (
        select(t.compound_id, func.min(t.district_id).label("district_id"), *(func.sum(t[c]).label(c) for c in columns))
        .where(t.day >= first, t.day <= last, *where)
        .group_by(t.compound_id)
    )
    return within(stmt, area, Anchor(district=t.district_id))


def compound_stocks(
    session: Session,
    daily: Table,
    columns: Sequence[str],
    as_of: date,
    area: Area,
    flows: Sequence[str] = (),
) -> Subquery:
    """Per compound, the stocks on as_of: the year-end snapshot of the year before (agg_compound_year) plus the
    daily changes of as_of's year up to as_of; and, as `year_<column>`, the year's flows of the `flows` columns
    (from the same scan of the year's rows). Subquery (compound_id, district_id, *columns, *year_flows)."""
    y, t = agg_compound_year.c, daily.c
    in_year = within(
        select(
            t.compound_id,
            t.district_id,
            *(t[c].label(c) for c in columns),
            *(t[c].label(f"year_{c}") for c in flows),
        ).where(t.day >= date(as_of.year, 1, 1), t.day <= as_of),
        area,
        Anchor(district=t.district_id),
    )
    parts = [in_year]
    year = snapshot_year(session, as_of.year - 1)
    if year is not None:
        parts.append(
            within(
                select(
                    y.compound_id,
                    y.district_id,
                    *(y[c] for c in columns),
                    *(literal(0).label(f"year_{c}") for c in flows),
                ).where(y.year == year),
                area,
                Anchor(district=y.district_id),
            )
        )
    both = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("stock_parts")
    return (
        select(
            both.c.compound_id,
            func.min(both.c.district_id).label("district_id"),
            *(func.sum(both.c[c]).label(c) for c in (*columns, *(f"year_{f}" for f in flows))),
        )
        .group_by(both.c.compound_id)
        .subquery("stocks")
    )
