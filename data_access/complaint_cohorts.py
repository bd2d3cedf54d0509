"""Complaint-page queries: elevator work orders per 100 elevators of insured compounds (before and after their
first policy) against compounds never insured, month by month and as a before/after summary.

Conventions as in data_access/complaints.py.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from typing import cast as as_type

from sqlalchemy import (
    Date,
    Integer,
    Result,
    Select,
    and_,
    bindparam,
    case,
    cast,
    extract,
    func,
    literal_column,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from data_access.complaint_sql import CENT, WO, count_if, in_range, month_first, month_index, month_last
from data_access.core.models import Building, Compound, Elevator, InsurancePolicy, WorkOrderCategory
from data_access.core.rollup_tables import (
    agg_cohort_elevators,
    agg_cohort_orders,
    agg_compound,
    agg_compound_elevators,
    agg_compound_year,
)
from data_access.core.scope import ON_COMPOUND, ON_WORK_ORDER, Anchor, Area, on_rows, within
from data_access.core.sqlfuncs import date_day, date_month_index, in_local_days, local_month_index, local_start
from data_access.rollups import snapshot_year


class Cohort(enum.StrEnum):
    insured_before = "insured_before"  # an insured compound, months before its first policy
    insured_after = "insured_after"  # an insured compound, months wholly covered by its first policy on
    never_insured = "never_insured"  # no policy starting by the end of the period
    insured = "insured"  # before_after_summary: compounds insured long enough to compare


_COHORT_ORDER = {c.value: i for i, c in enumerate(Cohort)}


def _per_100(orders: int, elevators: int) -> Decimal | None:
    if not elevators:
        return None
    return (Decimal(orders) * 100 / Decimal(elevators)).quantize(CENT, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- insured vs never insured


def _first_policy_months(by: date) -> Any:
    """Per compound with a policy starting on or before `by`: s, the month index its first policy starts in,
    and a, its first month wholly covered (s when the policy starts on the 1st, else s + 1).

    A month in which the first policy starts mid-month is partly covered; it belongs to neither side.
    """
    first = (
        select(Building.compound_id.label("compound_id"), func.min(InsurancePolicy.period_start).label("start"))
        .select_from(InsurancePolicy)
        .join(Elevator, Elevator.id == InsurancePolicy.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .where(InsurancePolicy.period_start <= by)
        .group_by(Building.compound_id)
        .subquery("first_policy")
    )
    s = date_month_index(first.c.start)
    a = s + case((cast(extract("day", first.c.start), Integer) == 1, 0), else_=1)
    return select(first.c.compound_id, s.label("s"), a.label("a")).subquery("first_month")


def _first_months_of(first_on: ColumnElement[Any], by: Any) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """_first_policy_months' (s, a) from a compound's first policy start (agg_compound.first_policy_on): NULL when
    that start is after `by`, since only policies starting by then count."""
    known = first_on <= by
    s = case((known, date_month_index(first_on)), else_=None)
    a = case((known, date_month_index(first_on) + case((date_day(first_on) == 1, 0), else_=1)), else_=None)
    return s, a


def _month_grid(first_month: int, last_month: int) -> Any:
    rows: list[Select[tuple[int]]] = [
        select(literal_column(str(i)).label("m")) for i in range(first_month, last_month + 1)
    ]
    return (union_all(*rows) if len(rows) > 1 else rows[0]).subquery("months")


# The pre-aggregated reader's statements are built once per shape of area (province, city, district) with bound
# parameters for the months, days and place, then only executed on the session's Core connection (issue 18, as
# complaint_counts.WorkOrderCountsFromRollups): building them, with a month grid of one SELECT per month, and their
# cache keys cost more than running them on the pre-aggregated tables.
_FIRST_MONTH, _LAST_MONTH = bindparam("first_month", type_=Integer()), bindparam("last_month", type_=Integer())
_BY, _AS_OF = bindparam("by", type_=Date()), bindparam("as_of", type_=Date())
_YEAR_START = bindparam("year_start", type_=Date())
_N, _LAST_FULL = bindparam("n", type_=Integer()), bindparam("last_full", type_=Integer())
_PREV_LO, _RECENT_LO = bindparam("prev_lo", type_=Integer()), bindparam("recent_lo", type_=Integer())
_AS_OF_MONTH, _SNAPSHOT = bindparam("as_of_month", type_=Integer()), bindparam("snapshot_year", type_=Integer())
_prepared: dict[tuple[Any, ...], Any] = {}


def _prepare(name: str, area: Area, build: Any, *variant: Any) -> Any:
    """The statement(s) `build(shape, *variant)` for the shape of `area`, built on first use: `shape` is an Area of
    bound parameters (city_id, district_id) standing for the place (compared, never computed on)."""
    city, district = area.city_id is not None, area.district_id is not None
    key = (name, city, district, *variant)
    stmt = _prepared.get(key)
    if stmt is None:
        shape = Area(
            city_id=as_type(int, bindparam("city_id", type_=Integer())) if city else None,
            district_id=as_type(int, bindparam("district_id", type_=Integer())) if district else None,
        )
        stmt = _prepared.setdefault(key, build(shape, *variant))
    return stmt


def _run(session: Session, stmt: Any, area: Area, **params: Any) -> Result[Any]:
    """Execute a prepared statement with the area's ids and `params` on the session's connection (Core: the ORM
    adds nothing to a Core select)."""
    if area.city_id is not None:
        params["city_id"] = area.city_id
    if area.district_id is not None:
        params["district_id"] = area.district_id
    return session.connection().execute(stmt, params)


def _bound_month_grid() -> Any:
    """first_month..last_month (bound) as rows (m): a recursive CTE, one statement for every range."""
    start = select(cast(_FIRST_MONTH, Integer).label("m")).cte("months", recursive=True)
    return start.union_all(select((start.c.m + 1).label("m")).where(start.c.m < _LAST_MONTH))


def _trend_statements(area: Area) -> tuple[Select, Select]:
    """insured_vs_uninsured_trend's two statements over agg_cohort_orders / agg_cohort_elevators, for the months
    first_month..last_month and first policies starting by `by` (all bound)."""
    co, ce = agg_cohort_orders.c, agg_cohort_elevators.c
    s, a = _first_months_of(co.first_policy_on, _BY)
    order_rows = within(
        select(co.month.label("m"), _cohort_of(co.month, s, a).label("cohort"), co.elevator_orders.label("n")).where(
            co.month >= _FIRST_MONTH, co.month <= _LAST_MONTH
        ),
        area,
        on_rows(agg_cohort_orders),
    ).subquery("order_rows")
    orders = (
        select(order_rows.c.m, order_rows.c.cohort, func.sum(order_rows.c.n))
        .where(order_rows.c.cohort.is_not(None))
        .group_by(order_rows.c.m, order_rows.c.cohort)
    )
    es, ea = _first_months_of(ce.first_policy_on, _BY)
    k = case((ce.since_month < _FIRST_MONTH, _FIRST_MONTH), else_=ce.since_month)
    per_group = within(
        select(k.label("k"), es.label("s"), ea.label("a"), ce.elevators.label("n")).where(
            ce.since_month <= _LAST_MONTH
        ),
        area,
        Anchor(district=ce.district_id),
    ).subquery("per_group")
    pg = per_group.c
    groups = select(pg.k, pg.s, pg.a, func.sum(pg.n).label("n")).group_by(pg.k, pg.s, pg.a).subquery("elevator_groups")
    return orders, _elevators_per_month(groups, _bound_month_grid())


def _trend_from_rollups(session: Session, area: Area, first_month: int, last_month: int) -> list[CohortMonth]:
    """insured_vs_uninsured_trend over whole months, from agg_cohort_orders and agg_cohort_elevators."""
    orders, elevators = _prepare("trend", area, _trend_statements)
    params = {"first_month": first_month, "last_month": last_month, "by": month_last(last_month)}
    return _cohort_months(_run(session, orders, area, **params).all(), _run(session, elevators, area, **params).all())


def _elevators_per_month(groups: Any, grid: Any) -> Select:
    """(month index, cohort, elevators) over the months of `grid` (rows m) from elevator groups (k, s, a, n): the n
    elevators in service from month k on, of compounds whose first-policy months are s and a (NULL: none)."""
    cells = (
        select(grid.c.m, _cohort_of(grid.c.m, groups.c.s, groups.c.a).label("cohort"), groups.c.n)
        .select_from(grid)
        .join(groups, groups.c.k <= grid.c.m)
        .subquery("cells")
    )
    return (
        select(cells.c.m, cells.c.cohort, func.sum(cells.c.n))
        .where(cells.c.cohort.is_not(None))
        .group_by(cells.c.m, cells.c.cohort)
    )


def _cohort_of(m: ColumnElement[int], s: ColumnElement[int], a: ColumnElement[int]) -> ColumnElement[str]:
    """The cohort of a compound-month; NULL for the partly covered month of the first policy."""
    return case(
        (s.is_(None), literal_column(f"'{Cohort.never_insured.value}'")),
        (m < s, literal_column(f"'{Cohort.insured_before.value}'")),
        (m >= a, literal_column(f"'{Cohort.insured_after.value}'")),
        else_=None,
    )


def _elevators_with_first_policy(fm: Any, area: Area) -> Select:
    """Elevator → building → compound (scoped to the area) with the compound's first-policy months, if any."""
    stmt = (
        select(Elevator.id)
        .select_from(Elevator)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .outerjoin(fm, fm.c.compound_id == Compound.id)
    )
    return within(stmt, area, ON_COMPOUND)


@dataclass(frozen=True)
class CohortMonth:
    year: int
    month: int
    cohort: str  # Cohort.insured_before | insured_after | never_insured
    work_orders: int  # elevator work orders from the cohort's compounds in the month
    elevators: int  # elevators in service at the month's end in those compounds
    per_100: Decimal | None  # work orders per 100 elevators in the month


def _trend_from_raw(session: Session, area: Area, first: date, last: date) -> list[CohortMonth]:
    """Elevator work orders per 100 elevators per local month: insured compounds before and after insuring,
    against compounds that never insured, so a fall after insuring can be told from a city-wide fall.

    Method:
    - a compound is *insured* when one of its elevators has a policy starting on or before `last`; its first
      policy start is MIN(period_start) over the policies of its elevators. Its months before the month of
      that start are `insured_before`; its months from the first month wholly covered on are
      `insured_after` (the first policy's month when it starts on the 1st, else the next month). A month the
      cover starts in mid-month is mixed and is left out of both, so neither side is diluted. Once insured
      a compound stays `insured_after` even if a policy lapses (the claim is about what insuring did).
    - every other compound (no policy starting by `last`) is `never_insured`, over the same months.
    - work orders count the elevator-category orders of each cohort's compounds received in the month
      (orders without a compound cannot be placed in a cohort and are left out);
    - elevators are those in service at the end of the month (in_service_on on or before the month's last
      day) in the cohort's compounds that month; per_100 = work_orders × 100 ÷ elevators.
    A cohort appears in a month when it has elevators or work orders then. Partial first and last months
    count orders only on the days in range but elevators for the whole month.
    """
    if last < first:
        return []
    fm = _first_policy_months(last)

    m = local_month_index(WO.received_at)
    order_rows = select(m.label("m"), _cohort_of(m, fm.c.s, fm.c.a).label("cohort")).select_from(WO)
    order_rows = order_rows.outerjoin(fm, fm.c.compound_id == WO.compound_id).where(
        WO.category == WorkOrderCategory.elevator, WO.compound_id.is_not(None), in_range(first, last)
    )
    o = within(order_rows, area, ON_WORK_ORDER).subquery("order_rows")
    orders = select(o.c.m, o.c.cohort, func.count()).where(o.c.cohort.is_not(None)).group_by(o.c.m, o.c.cohort)

    # Elevators grouped by (month entering service, first-policy months): few rows, then spread over months.
    # Elevators in service before the first month count in every month alike, so their k is clamped to it.
    first_month = month_index(first)
    k = date_month_index(Elevator.in_service_on)
    per_elevator = (
        _elevators_with_first_policy(fm, area)
        .with_only_columns(case((k < first_month, first_month), else_=k).label("k"), fm.c.s, fm.c.a)
        .where(Elevator.in_service_on <= last)
        .subquery("per_elevator")
    )
    pe = per_elevator.c
    groups = select(pe.k, pe.s, pe.a, func.count().label("n")).group_by(pe.k, pe.s, pe.a).subquery("elevator_groups")
    elevators = _elevators_per_month(groups, _month_grid(first_month, month_index(last)))
    return _cohort_months(session.execute(orders).all(), session.execute(elevators).all())


def _cohort_months(orders: Sequence[Any], elevators: Sequence[Any]) -> list[CohortMonth]:
    """CohortMonth rows from the rows of (month index, cohort, work orders) and (month index, cohort, elevators)."""
    counts: dict[tuple[int, str], list[int]] = {}
    for month, cohort, n in orders:
        counts.setdefault((int(month), cohort), [0, 0])[0] = int(n)
    for month, cohort, n in elevators:
        counts.setdefault((int(month), cohort), [0, 0])[1] = int(n)
    out = [
        CohortMonth(idx // 12, idx % 12 + 1, cohort, n_orders, n_elevators, _per_100(n_orders, n_elevators))
        for (idx, cohort), (n_orders, n_elevators) in counts.items()
    ]
    return sorted(out, key=lambda r: (r.year, r.month, _COHORT_ORDER[r.cohort]))


@dataclass(frozen=True)
class CohortSummary:
    cohort: str  # Cohort.insured | Cohort.never_insured
    months: int  # length of each window in months
    compounds: int  # compounds in the cohort that have elevators in service at as_of
    elevators: int  # elevators in service at as_of in those compounds
    before: int  # elevator work orders in the earlier window(s)
    after: int  # elevator work orders in the later window(s)
    before_elevator_months: int  # Σ over the earlier months of elevators in service at each month's end
    after_elevator_months: int
    before_per_100: Decimal | None  # work orders per 100 elevators per month
    after_per_100: Decimal | None
    # The two windows of never_insured compounds; None for insured ones, whose windows are per compound.
    before_window: tuple[date, date] | None
    after_window: tuple[date, date] | None


def _elevator_months(k: ColumnElement[int], lo: Any, hi: Any, width: Any) -> ColumnElement[int]:
    """Elevator-months of one elevator entering service in month k over months lo..hi (width months)."""
    return case((k <= lo, width), (k <= hi, hi - k + 1), else_=0)


def _before_after_from_raw(session: Session, area: Area, months: int, as_of: date) -> list[CohortSummary]:
    """Elevator work orders in the `months` months before vs after each compound first insured, summed, next to
    the same two-window change for compounds never insured — so a fall is not mistaken for a city-wide trend.

    Windows are whole local months ending with the last complete month at as_of (as_of's own month if it is
    its last day). For an insured compound: before = the `months` months before the month its first policy
    starts; after = `months` months from its first wholly covered month (see insured_vs_uninsured_trend; the
    mixed month is in neither). Only compounds whose after-window is complete by as_of count ("insured at
    least `months` months before as_of"); compounds insured more recently are in neither row.
    never_insured = compounds with no policy starting on or before as_of; before/after are the two
    consecutive `months`-long windows ending with that last complete month. per_100 divides by
    elevator-months, so elevators entering service during a window do not distort the comparison.
    Returns [insured, never_insured]; a row with no compounds has zeros and None rates.
    """
    n = months
    last_full = _last_full_month(as_of)
    fm = _first_policy_months(as_of)
    insured = _insured_windows(fm, area, n, as_of, last_full)
    never = _never_insured_windows(fm, area, n, as_of, last_full)

    def summary(cohort: Cohort, order_q: Select, elevator_stmt: Select) -> CohortSummary:
        before, after = (int(v) for v in session.execute(within(order_q, area, ON_WORK_ORDER)).one())
        compounds, elevators, before_em, after_em = (int(v) for v in session.execute(elevator_stmt).one())
        return _cohort_summary(cohort, n, last_full, compounds, elevators, before, after, before_em, after_em)

    return [summary(Cohort.insured, *insured), summary(Cohort.never_insured, *never)]


def _placed_elevator_orders() -> ColumnElement[bool]:
    """Elevator work orders that name their compound (the others cannot be placed in a cohort)."""
    return and_(WO.category == WorkOrderCategory.elevator, WO.compound_id.is_not(None))


def _insured_windows(fm: Any, area: Area, n: int, as_of: date, last_full: int) -> tuple[Select, Select]:
    """before_after_summary's statements for compounds insured long enough: (orders before, after) and
    (compounds, elevators, elevator-months before, after), each window `n` months on the compound's own dates."""
    m = local_month_index(WO.received_at)
    k = date_month_index(Elevator.in_service_on)
    elevator_q = _elevators_with_first_policy(fm, area).where(Elevator.in_service_on <= as_of)
    upto_as_of = WO.received_at < local_start(as_of + timedelta(days=1))
    # Insured long enough: the after-window a .. a+n-1 ends by the last complete month.
    eligible = fm.c.a <= last_full - n + 1
    orders = (
        select(
            count_if(and_(m >= fm.c.s - n, m < fm.c.s)),
            count_if(and_(m >= fm.c.a, m < fm.c.a + n)),
        )
        .select_from(WO)
        .join(fm, fm.c.compound_id == WO.compound_id)
        .where(_placed_elevator_orders(), eligible, upto_as_of)
    )
    elevators = elevator_q.with_only_columns(
        func.count(func.distinct(Compound.id)),
        func.count(Elevator.id),
        func.coalesce(func.sum(_elevator_months(k, fm.c.s - n, fm.c.s - 1, n)), 0),
        func.coalesce(func.sum(_elevator_months(k, fm.c.a, fm.c.a + n - 1, n)), 0),
    ).where(eligible)
    return orders, elevators


def _never_insured_windows(fm: Any, area: Area, n: int, as_of: date, last_full: int) -> tuple[Select, Select]:
    """before_after_summary's statements for compounds never insured by as_of, over the two latest whole windows:
    (orders before, after) and (compounds, elevators, elevator-months before, after)."""
    m = local_month_index(WO.received_at)
    k = date_month_index(Elevator.in_service_on)
    elevator_q = _elevators_with_first_policy(fm, area).where(Elevator.in_service_on <= as_of)
    prev_lo, recent_lo = last_full - 2 * n + 1, last_full - n + 1
    orders = (
        select(count_if(m < recent_lo), count_if(m >= recent_lo))
        .select_from(WO)
        .outerjoin(fm, fm.c.compound_id == WO.compound_id)
        .where(
            _placed_elevator_orders(),
            fm.c.compound_id.is_(None),
            in_local_days(WO.received_at, month_first(prev_lo), month_last(last_full)),
        )
    )
    elevators = elevator_q.with_only_columns(
        func.count(func.distinct(Compound.id)),
        func.count(Elevator.id),
        func.coalesce(func.sum(_elevator_months(k, prev_lo, recent_lo - 1, n)), 0),
        func.coalesce(func.sum(_elevator_months(k, recent_lo, last_full, n)), 0),
    ).where(fm.c.compound_id.is_(None))
    return orders, elevators


def _cohort_summary(
    cohort: Cohort,
    n: int,
    last_full: int,
    compounds: int,
    elevators: int,
    before: int,
    after: int,
    before_em: int,
    after_em: int,
) -> CohortSummary:
    windows = cohort == Cohort.never_insured  # an insured compound's windows are its own
    prev_lo, recent_lo = last_full - 2 * n + 1, last_full - n + 1
    return CohortSummary(
        cohort=cohort.value,
        months=n,
        compounds=compounds,
        elevators=elevators,
        before=before,
        after=after,
        before_elevator_months=before_em,
        after_elevator_months=after_em,
        before_per_100=_per_100(before, before_em),
        after_per_100=_per_100(after, after_em),
        before_window=(month_first(prev_lo), month_last(recent_lo - 1)) if windows else None,
        after_window=(month_first(recent_lo), month_last(last_full)) if windows else None,
    )


def _stocks(area: Area, with_snapshot: bool) -> Any:
    """rollups.compound_stocks(…, agg_compound_elevators, ("elevators",), as_of, area) with as_of, the first day of
    its year and the snapshot year bound: per compound, its elevators in service on as_of (the year-end snapshot of
    `snapshot_year`, if any, plus the daily changes from year_start to as_of). The same statement, built once."""
    y, t = agg_compound_year.c, agg_compound_elevators.c
    parts = [
        within(
            select(t.compound_id, t.district_id, t.elevators.label("elevators")).where(
                t.day >= _YEAR_START, t.day <= _AS_OF
            ),
            area,
            Anchor(district=t.district_id),
        )
    ]
    if with_snapshot:
        parts.append(
            within(
                select(y.compound_id, y.district_id, y.elevators).where(y.year == _SNAPSHOT),
                area,
                Anchor(district=y.district_id),
            )
        )
    both = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("stock_parts")
    return (
        select(
            both.c.compound_id,
            func.min(both.c.district_id).label("district_id"),
            func.sum(both.c.elevators).label("elevators"),
        )
        .group_by(both.c.compound_id)
        .subquery("stocks")
    )


def _sum_if(cond: ColumnElement[bool], value: Any) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((cond, value), else_=0)), 0)


def _before_after_statements(area: Area, with_snapshot: bool) -> tuple[Select, ...]:
    """before_after_summary's five statements: (orders before, after) from agg_cohort_orders and (elevator-months
    before, after) from agg_cohort_elevators, each for the insured cohort and then the never insured (a statement
    per cohort: its WHERE keeps the other's rows out of the scan, which one CASE per sum did not); then (compounds,
    elevators) of both cohorts from the compounds' elevators on as_of, in one statement (one scan of the stocks).
    The parameters: as_of, its month as_of_month, the window n, the last complete month last_full and the
    never-insured windows' starts prev_lo and recent_lo; year_start and snapshot_year for the stocks."""
    n, last_full = _N, _LAST_FULL
    co, ce, ac = agg_cohort_orders.c, agg_cohort_elevators.c, agg_compound.c

    s, a = _first_months_of(co.first_policy_on, _AS_OF)
    m = co.month
    insured_orders = select(
        _sum_if(and_(m >= s - n, m < s), co.elevator_orders), _sum_if(and_(m >= a, m < a + n), co.elevator_orders)
    ).where(a <= last_full - n + 1)
    never_orders = select(
        _sum_if(m < _RECENT_LO, co.elevator_orders), _sum_if(m >= _RECENT_LO, co.elevator_orders)
    ).where(s.is_(None), m >= _PREV_LO, m <= last_full)

    es, ea = _first_months_of(ce.first_policy_on, _AS_OF)
    k = ce.since_month

    def elevator_months(in_cohort: ColumnElement[bool], windows: tuple[Any, Any]) -> Select:
        sums = (func.coalesce(func.sum(ce.elevators * em), 0) for em in windows)
        return within(select(*sums).where(in_cohort, k <= _AS_OF_MONTH), area, Anchor(district=ce.district_id))

    insured_months = (_elevator_months(k, es - n, es - 1, n), _elevator_months(k, ea, ea + n - 1, n))
    never_months = (_elevator_months(k, _PREV_LO, _RECENT_LO - 1, n), _elevator_months(k, _RECENT_LO, last_full, n))

    stock = _stocks(area, with_snapshot)
    cs, ca = _first_months_of(ac.first_policy_on, _AS_OF)
    insured, never = ca <= last_full - n + 1, cs.is_(None)
    level = (
        select(
            _sum_if(insured, 1),
            _sum_if(insured, stock.c.elevators),
            _sum_if(never, 1),
            _sum_if(never, stock.c.elevators),
        )
        .select_from(stock)
        .join(agg_compound, ac.compound_id == stock.c.compound_id)
        .where(stock.c.elevators > 0)
    )
    return (
        within(insured_orders, area, on_rows(agg_cohort_orders)),
        within(never_orders, area, on_rows(agg_cohort_orders)),
        elevator_months(ea <= last_full - n + 1, insured_months),
        elevator_months(es.is_(None), never_months),
        level,
    )


def _before_after_statement(area: Area, with_snapshot: bool) -> Select:
    """_before_after_statements' five one-row aggregates side by side in one statement: one round trip instead of
    five (issue 18: on PostgreSQL each statement is one), the same scans."""
    parts = [stmt.subquery(f"part{i}") for i, stmt in enumerate(_before_after_statements(area, with_snapshot))]
    joined: Any = parts[0]
    for part in parts[1:]:
        joined = joined.join(part, true())  # each part is one row: no cartesian blow-up
    columns = (c.label(f"p{i}_{j}") for i, part in enumerate(parts) for j, c in enumerate(part.c))
    return select(*columns).select_from(joined)


def _before_after_from_rollups(
    session: Session, area: Area, n: int, as_of: date, last_full: int
) -> list[CohortSummary]:
    """before_after_summary from agg_cohort_orders, agg_cohort_elevators and the compounds' elevator levels.

    Every window is made of whole months up to the last complete one, so month-grain rows answer it exactly;
    the compounds and elevators "in service at as_of" are the compound levels on that day. One statement (they
    were six, each built per call, then five)."""
    prev_lo, recent_lo = last_full - 2 * n + 1, last_full - n + 1
    snapshot = snapshot_year(session, as_of.year - 1)
    statements = _prepare("before_after", area, _before_after_statement, snapshot is not None)
    params: dict[str, Any] = {
        "as_of": as_of,
        "as_of_month": month_index(as_of),
        "n": n,
        "last_full": last_full,
        "prev_lo": prev_lo,
        "recent_lo": recent_lo,
        "year_start": date(as_of.year, 1, 1),
    }
    if snapshot is not None:
        params["snapshot_year"] = snapshot
    row = [int(v) for v in _run(session, statements, area, **params).one()]
    insured_orders, never_orders, insured_months, never_months, level = row[0:2], row[2:4], row[4:6], row[6:8], row[8:]
    return [
        _cohort_summary(Cohort.insured, n, last_full, *level[0:2], *insured_orders, *insured_months),
        _cohort_summary(Cohort.never_insured, n, last_full, *level[2:4], *never_orders, *never_months),
    ]


def _last_full_month(as_of: date) -> int:
    """The month index of the last complete local month at as_of (as_of's own month if it is its last day)."""
    return month_index(as_of) if (as_of + timedelta(days=1)).day == 1 else month_index(as_of) - 1


class ComplaintCohorts:
    """Work orders by insurance cohort (insured before / after its first policy, never insured), from the raw
    work orders, elevators and policies. See _trend_from_raw and _before_after_from_raw for the method."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def insured_vs_uninsured_trend(self, area: Area, first: date, last: date) -> list[CohortMonth]:
        """Elevator work orders per 100 elevators per local month, by cohort (see _trend_from_raw)."""
        return _trend_from_raw(self.session, area, first, last) if first <= last else []

    def before_after_summary(self, area: Area, months: int = 12, *, as_of: date) -> list[CohortSummary]:
        """[insured, never_insured]: orders in the `months` months before vs after (see _before_after_from_raw)."""
        if months < 1:
            raise ValueError("months must be at least 1")
        return _before_after_from_raw(self.session, area, months, as_of)


class ComplaintCohortsFromRollups(ComplaintCohorts):
    """The same from agg_cohort_orders / agg_cohort_elevators, which hold whole months: a trend over a range
    that starts or ends mid-month is left to the raw reader."""

    def insured_vs_uninsured_trend(self, area: Area, first: date, last: date) -> list[CohortMonth]:
        if first <= last and first.day == 1 and (last + timedelta(days=1)).day == 1:
            return _trend_from_rollups(self.session, area, month_index(first), month_index(last))
        return super().insured_vs_uninsured_trend(area, first, last)

    def before_after_summary(self, area: Area, months: int = 12, *, as_of: date) -> list[CohortSummary]:
        if months < 1:
            raise ValueError("months must be at least 1")
        return _before_after_from_rollups(self.session, area, months, as_of, _last_full_month(as_of))


__all__ = ["Cohort", "CohortMonth", "CohortSummary", "ComplaintCohorts", "ComplaintCohortsFromRollups"]
