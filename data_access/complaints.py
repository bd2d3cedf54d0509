"""12345 hotline work-order queries for the complaints pages, aggregated in SQL.

Conventions (shared with data_access/indicators.py):
- `first`..`last` are local calendar days (Asia/Shanghai), both ends inclusive;
- months are local calendar months: an order received at 00:10 on 1 March in Zhuzhou is a March order
  although it is still 28/29 February in UTC, so grouping shifts to local time in SQL;
- an `Area` filters on the work order's own city_id / district_id (province: no filter); where elevators
  are counted as a denominator they are scoped through their compound's district instead;
- rates are Decimal, rounded half-up to 0.01; a rate over nothing is None, never 0.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from sqlalchemy import Integer, Select, and_, case, cast, extract, func, literal_column, or_, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from data_access.cache import cached_query
from data_access.core.dataset import rollups_ready
from data_access.core.db import many_rows
from data_access.core.models import (
    Building,
    City,
    Compound,
    District,
    Elevator,
    HotlineWorkOrder,
    InsurancePolicy,
    WorkOrderCategory,
)
from data_access.core.rollup_tables import (
    agg_cohort_elevators,
    agg_cohort_orders,
    agg_compound,
    agg_compound_elevators,
    agg_compound_work_orders,
    agg_work_order_day,
)
from data_access.core.rules import exact_mean, minus_years, ratio
from data_access.core.scope import (
    ON_COMPOUND,
    ON_COMPOUND_DISTRICT,
    ON_DISTRICT,
    ON_WORK_ORDER,
    Anchor,
    Area,
    on_rows,
    within,
)
from data_access.core.sqlfuncs import (
    date_day,
    date_month_index,
    in_local_days,
    local_month,
    local_month_index,
    local_start,
    local_year,
    whole_seconds,
)
from data_access.indicators import (
    ComplaintComparison,
    as_of_for_year,
    elevator_complaints,
)
from data_access.rollups import compound_stocks

WO = HotlineWorkOrder
CENT = Decimal("0.01")
DAY_SECONDS = 24 * 60 * 60
_CATEGORY_ORDER = {c.value: i for i, c in enumerate(WorkOrderCategory)}


class Cohort(enum.StrEnum):
    insured_before = "insured_before"  # an insured compound, months before its first policy
    insured_after = "insured_after"  # an insured compound, months wholly covered by its first policy on
    never_insured = "never_insured"  # no policy starting by the end of the period
    insured = "insured"  # before_after_summary: compounds insured long enough to compare


_COHORT_ORDER = {c.value: i for i, c in enumerate(Cohort)}


# --------------------------------------------------------------------------- portable SQL


def _count_if(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month_first(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _month_last(index: int) -> date:
    return _month_first(index + 1) - timedelta(days=1)


def _per_100(orders: int, elevators: int) -> Decimal | None:
    if not elevators:
        return None
    return (Decimal(orders) * 100 / Decimal(elevators)).quantize(CENT, rounding=ROUND_HALF_UP)


def _in_range(first: date, last: date) -> ColumnElement[bool]:
    return in_local_days(WO.received_at, first, last)


# --------------------------------------------------------------------------- monthly counts


@dataclass(frozen=True)
class CategoryMonth:
    year: int
    month: int  # local calendar month
    category: str  # a WorkOrderCategory value
    count: int


def monthly_by_category(session: Session, area: Area, first: date, last: date) -> list[CategoryMonth]:
    """Work orders per local month and category, so elevator complaints can be read against all others.

    Only months and categories with at least one order appear.
    """
    if rollups_ready(session):
        t = agg_work_order_day.c
        stmt = (
            select(t.month // 12, t.month % 12 + 1, t.category, func.sum(t.orders))
            .where(t.day >= first, t.day <= last)
            .group_by(t.month, t.category)
        )
        stmt = within(stmt, area, on_rows(agg_work_order_day))
    else:
        year, month = local_year(WO.received_at), local_month(WO.received_at)
        stmt = (
            select(year, month, WO.category, func.count())
            .where(_in_range(first, last))
            .group_by(year, month, WO.category)
        )
        stmt = within(stmt, area, ON_WORK_ORDER)
    rows = [CategoryMonth(int(y), int(m), WorkOrderCategory(c).value, int(n)) for y, m, c, n in session.execute(stmt)]
    return sorted(rows, key=lambda r: (r.year, r.month, _CATEGORY_ORDER[r.category]))


@dataclass(frozen=True)
class DistrictMonth:
    district_id: int
    district_name: str
    year: int
    month: int
    count: int


def monthly_elevator_by_district(session: Session, area: Area, first: date, last: date) -> list[DistrictMonth]:
    """Elevator work orders per district and local month, to see where a city's complaints come from."""
    if rollups_ready(session):
        t = agg_work_order_day.c
        stmt = (
            select(District.id, District.name, t.month // 12, t.month % 12 + 1, func.sum(t.orders))
            .select_from(agg_work_order_day)
            .join(District, District.id == t.district_id)
            .where(t.category == WorkOrderCategory.elevator.value, t.day >= first, t.day <= last)
            .group_by(District.id, District.name, t.month)
            .order_by(t.month, District.id)
        )
        return [
            DistrictMonth(int(d), name, int(y), int(m), int(n))
            for d, name, y, m, n in session.execute(within(stmt, area, on_rows(agg_work_order_day)))
        ]
    year, month = local_year(WO.received_at), local_month(WO.received_at)
    stmt = (
        select(District.id, District.name, year, month, func.count())
        .select_from(WO)
        .join(District, District.id == WO.district_id)
        .where(WO.category == WorkOrderCategory.elevator, _in_range(first, last))
        .group_by(District.id, District.name, year, month)
        .order_by(year, month, District.id)
    )
    return [
        DistrictMonth(int(d), name, int(y), int(m), int(n))
        for d, name, y, m, n in session.execute(within(stmt, area, ON_WORK_ORDER))
    ]


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


def _first_months_of(first_on: ColumnElement[Any], by: date) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
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


def _trend_from_rollups(session: Session, area: Area, first_month: int, last_month: int) -> list[CohortMonth]:
    """insured_vs_uninsured_trend over whole months, from agg_cohort_orders and agg_cohort_elevators."""
    by = _month_last(last_month)
    co, ce = agg_cohort_orders.c, agg_cohort_elevators.c
    s, a = _first_months_of(co.first_policy_on, by)
    order_rows = within(
        select(co.month.label("m"), _cohort_of(co.month, s, a).label("cohort"), co.elevator_orders.label("n")).where(
            co.month >= first_month, co.month <= last_month
        ),
        area,
        on_rows(agg_cohort_orders),
    ).subquery("order_rows")
    orders = (
        select(order_rows.c.m, order_rows.c.cohort, func.sum(order_rows.c.n))
        .where(order_rows.c.cohort.is_not(None))
        .group_by(order_rows.c.m, order_rows.c.cohort)
    )
    es, ea = _first_months_of(ce.first_policy_on, by)
    k = case((ce.since_month < first_month, first_month), else_=ce.since_month)
    per_group = within(
        select(k.label("k"), es.label("s"), ea.label("a"), ce.elevators.label("n")).where(ce.since_month <= last_month),
        area,
        Anchor(district=ce.district_id),
    ).subquery("per_group")
    pg = per_group.c
    groups = select(pg.k, pg.s, pg.a, func.sum(pg.n).label("n")).group_by(pg.k, pg.s, pg.a).subquery("elevator_groups")
    grid = _month_grid(first_month, last_month)
    cells = (
        select(grid.c.m, _cohort_of(grid.c.m, groups.c.s, groups.c.a).label("cohort"), groups.c.n)
        .select_from(grid)
        .join(groups, groups.c.k <= grid.c.m)
        .subquery("cells")
    )
    elevators = (
        select(cells.c.m, cells.c.cohort, func.sum(cells.c.n))
        .where(cells.c.cohort.is_not(None))
        .group_by(cells.c.m, cells.c.cohort)
    )
    return _cohort_months(session, orders, elevators)


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


def insured_vs_uninsured_trend(session: Session, area: Area, first: date, last: date) -> list[CohortMonth]:
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
    if rollups_ready(session) and first.day == 1 and (last + timedelta(days=1)).day == 1:
        return _trend_from_rollups(session, area, _month_index(first), _month_index(last))
    fm = _first_policy_months(last)

    m = local_month_index(WO.received_at)
    order_rows = select(m.label("m"), _cohort_of(m, fm.c.s, fm.c.a).label("cohort")).select_from(WO)
    order_rows = order_rows.outerjoin(fm, fm.c.compound_id == WO.compound_id).where(
        WO.category == WorkOrderCategory.elevator, WO.compound_id.is_not(None), _in_range(first, last)
    )
    o = within(order_rows, area, ON_WORK_ORDER).subquery("order_rows")
    orders = select(o.c.m, o.c.cohort, func.count()).where(o.c.cohort.is_not(None)).group_by(o.c.m, o.c.cohort)

    # Elevators grouped by (month entering service, first-policy months): few rows, then spread over months.
    # Elevators in service before the first month count in every month alike, so their k is clamped to it.
    first_month = _month_index(first)
    k = date_month_index(Elevator.in_service_on)
    per_elevator = (
        _elevators_with_first_policy(fm, area)
        .with_only_columns(case((k < first_month, first_month), else_=k).label("k"), fm.c.s, fm.c.a)
        .where(Elevator.in_service_on <= last)
        .subquery("per_elevator")
    )
    pe = per_elevator.c
    groups = select(pe.k, pe.s, pe.a, func.count().label("n")).group_by(pe.k, pe.s, pe.a).subquery("elevator_groups")
    grid = _month_grid(first_month, _month_index(last))
    cells = (
        select(grid.c.m, _cohort_of(grid.c.m, groups.c.s, groups.c.a).label("cohort"), groups.c.n)
        .select_from(grid)
        .join(groups, groups.c.k <= grid.c.m)
        .subquery("cells")
    )
    elevators = (
        select(cells.c.m, cells.c.cohort, func.sum(cells.c.n))
        .where(cells.c.cohort.is_not(None))
        .group_by(cells.c.m, cells.c.cohort)
    )

    return _cohort_months(session, orders, elevators)


def _cohort_months(session: Session, orders: Select, elevators: Select) -> list[CohortMonth]:
    """CohortMonth rows from statements of (month index, cohort, work orders) and (month index, cohort, elevators)."""
    counts: dict[tuple[int, str], list[int]] = {}
    for month, cohort, n in session.execute(orders):
        counts.setdefault((int(month), cohort), [0, 0])[0] = int(n)
    for month, cohort, n in session.execute(elevators):
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


def _elevator_months(k: ColumnElement[int], lo: Any, hi: Any, width: int) -> ColumnElement[int]:
    """Elevator-months of one elevator entering service in month k over months lo..hi (width months)."""
    return case((k <= lo, width), (k <= hi, hi - k + 1), else_=0)


def before_after_summary(session: Session, area: Area, months: int = 12, *, as_of: date) -> list[CohortSummary]:
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
    if months < 1:
        raise ValueError("months must be at least 1")
    n = months
    last_full = _month_index(as_of) if (as_of + timedelta(days=1)).day == 1 else _month_index(as_of) - 1
    if rollups_ready(session):
        return _before_after_from_rollups(session, area, n, as_of, last_full)
    fm = _first_policy_months(as_of)
    m = local_month_index(WO.received_at)
    k = date_month_index(Elevator.in_service_on)
    elevator_q = _elevators_with_first_policy(fm, area).where(Elevator.in_service_on <= as_of)
    upto_as_of = WO.received_at < local_start(as_of + timedelta(days=1))
    elevator_orders = and_(WO.category == WorkOrderCategory.elevator, WO.compound_id.is_not(None))

    # Insured long enough: the after-window a .. a+n-1 ends by the last complete month.
    eligible = fm.c.a <= last_full - n + 1
    ins_orders = (
        select(
            _count_if(and_(m >= fm.c.s - n, m < fm.c.s)),
            _count_if(and_(m >= fm.c.a, m < fm.c.a + n)),
        )
        .select_from(WO)
        .join(fm, fm.c.compound_id == WO.compound_id)
        .where(elevator_orders, eligible, upto_as_of)
    )
    ins_elevators = elevator_q.with_only_columns(
        func.count(func.distinct(Compound.id)),
        func.count(Elevator.id),
        func.coalesce(func.sum(_elevator_months(k, fm.c.s - n, fm.c.s - 1, n)), 0),
        func.coalesce(func.sum(_elevator_months(k, fm.c.a, fm.c.a + n - 1, n)), 0),
    ).where(eligible)

    # Never insured by as_of: the two latest whole windows.
    prev_lo, recent_lo = last_full - 2 * n + 1, last_full - n + 1
    never_orders = (
        select(_count_if(m < recent_lo), _count_if(m >= recent_lo))
        .select_from(WO)
        .outerjoin(fm, fm.c.compound_id == WO.compound_id)
        .where(
            elevator_orders,
            fm.c.compound_id.is_(None),
            in_local_days(WO.received_at, _month_first(prev_lo), _month_last(last_full)),
        )
    )
    never_elevators = elevator_q.with_only_columns(
        func.count(func.distinct(Compound.id)),
        func.count(Elevator.id),
        func.coalesce(func.sum(_elevator_months(k, prev_lo, recent_lo - 1, n)), 0),
        func.coalesce(func.sum(_elevator_months(k, recent_lo, last_full, n)), 0),
    ).where(fm.c.compound_id.is_(None))

    def summary(cohort: Cohort, order_q: Select, elevator_stmt: Select) -> CohortSummary:
        before, after = (int(v) for v in session.execute(within(order_q, area, ON_WORK_ORDER)).one())
        compounds, elevators, before_em, after_em = (int(v) for v in session.execute(elevator_stmt).one())
        return _cohort_summary(cohort, n, last_full, compounds, elevators, before, after, before_em, after_em)

    return [
        summary(Cohort.insured, ins_orders, ins_elevators),
        summary(Cohort.never_insured, never_orders, never_elevators),
    ]


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
        before_window=(_month_first(prev_lo), _month_last(recent_lo - 1)) if windows else None,
        after_window=(_month_first(recent_lo), _month_last(last_full)) if windows else None,
    )


def _before_after_from_rollups(
    session: Session, area: Area, n: int, as_of: date, last_full: int
) -> list[CohortSummary]:
    """before_after_summary from agg_cohort_orders, agg_cohort_elevators and the compounds' elevator levels.

    Every window is made of whole months up to the last complete one, so month-grain rows answer it exactly;
    the compounds and elevators "in service at as_of" are the compound levels on that day.
    """
    co, ce = agg_cohort_orders.c, agg_cohort_elevators.c
    prev_lo, recent_lo = last_full - 2 * n + 1, last_full - n + 1
    out: list[CohortSummary] = []
    for cohort in (Cohort.insured, Cohort.never_insured):
        s, a = _first_months_of(co.first_policy_on, as_of)
        m = co.month
        if cohort == Cohort.insured:
            order_q = select(
                func.coalesce(func.sum(case((and_(m >= s - n, m < s), co.elevator_orders), else_=0)), 0),
                func.coalesce(func.sum(case((and_(m >= a, m < a + n), co.elevator_orders), else_=0)), 0),
            ).where(a <= last_full - n + 1)
        else:
            order_q = select(
                func.coalesce(func.sum(case((m < recent_lo, co.elevator_orders), else_=0)), 0),
                func.coalesce(func.sum(case((m >= recent_lo, co.elevator_orders), else_=0)), 0),
            ).where(s.is_(None), m >= prev_lo, m <= last_full)
        before, after = (int(v) for v in session.execute(within(order_q, area, on_rows(agg_cohort_orders))).one())

        es, ea = _first_months_of(ce.first_policy_on, as_of)
        k = ce.since_month
        if cohort == Cohort.insured:
            in_cohort = ea <= last_full - n + 1
            months = (_elevator_months(k, es - n, es - 1, n), _elevator_months(k, ea, ea + n - 1, n))
        else:
            in_cohort = es.is_(None)
            months = (_elevator_months(k, prev_lo, recent_lo - 1, n), _elevator_months(k, recent_lo, last_full, n))
        em_q = within(
            select(*(func.coalesce(func.sum(ce.elevators * em), 0) for em in months)).where(
                in_cohort, k <= _month_index(as_of)
            ),
            area,
            Anchor(district=ce.district_id),
        )
        before_em, after_em = (int(v) for v in session.execute(em_q).one())

        ac = agg_compound.c
        cs, ca = _first_months_of(ac.first_policy_on, as_of)
        stock = compound_stocks(session, agg_compound_elevators, ("elevators",), as_of, area)
        level = (
            select(func.count(), func.coalesce(func.sum(stock.c.elevators), 0))
            .select_from(stock)
            .join(agg_compound, ac.compound_id == stock.c.compound_id)
            .where(stock.c.elevators > 0, ca <= last_full - n + 1 if cohort == Cohort.insured else cs.is_(None))
        )
        compounds, elevators = (int(v) for v in session.execute(level).one())
        out.append(_cohort_summary(cohort, n, last_full, compounds, elevators, before, after, before_em, after_em))
    return out


# --------------------------------------------------------------------------- handling


@dataclass(frozen=True)
class CloseStats:
    category: str
    orders: int  # received in the range
    closed: int  # of those, closed (at any time up to now)
    still_open: int
    mean_days_to_close: Decimal | None  # over the closed ones


def time_to_close(session: Session, area: Area, first: date, last: date) -> list[CloseStats]:
    """How fast each category of work order gets closed: the hotline's measure of a bureau's response."""
    if rollups_ready(session):
        t = agg_work_order_day.c
        stmt = (
            select(t.category, func.sum(t.orders), func.sum(t.closed), func.sum(t.close_seconds))
            .where(t.day >= first, t.day <= last)
            .group_by(t.category)
        )
        rows = [
            CloseStats(
                WorkOrderCategory(c).value,
                int(n),
                int(closed),
                int(n) - int(closed),
                exact_mean(seconds, closed, DAY_SECONDS),
            )
            for c, n, closed, seconds in session.execute(within(stmt, area, on_rows(agg_work_order_day)))
        ]
        return sorted(rows, key=lambda r: _CATEGORY_ORDER[r.category])
    stmt = (
        select(
            WO.category,
            func.count(),
            func.count(WO.closed_at),
            _count_if(WO.closed_at.is_(None)),
            func.sum(whole_seconds(WO.received_at, WO.closed_at)),
        )
        .where(_in_range(first, last))
        .group_by(WO.category)
    )
    rows = [
        CloseStats(
            WorkOrderCategory(c).value, int(n), int(closed), int(still_open), exact_mean(sec, closed, DAY_SECONDS)
        )
        for c, n, closed, still_open, sec in session.execute(within(stmt, area, ON_WORK_ORDER))
    ]
    return sorted(rows, key=lambda r: _CATEGORY_ORDER[r.category])


@dataclass(frozen=True)
class SatisfactionRow:
    category: str
    orders: int  # received in the range
    rated: int  # with a satisfaction score
    mean_score: Decimal | None  # 1 (very dissatisfied) .. 5
    share_satisfied: Decimal | None  # share of rated orders scored 4 or 5


def satisfaction(session: Session, area: Area, first: date, last: date) -> list[SatisfactionRow]:
    """Callers' satisfaction per category, the hotline's other measure of how complaints were handled."""
    if rollups_ready(session):
        t = agg_work_order_day.c
        stmt = within(
            select(
                t.category, func.sum(t.orders), func.sum(t.rated), func.sum(t.satisfaction_sum), func.sum(t.satisfied)
            )
            .where(t.day >= first, t.day <= last)
            .group_by(t.category),
            area,
            on_rows(agg_work_order_day),
        )
    else:
        stmt = within(
            select(
                WO.category,
                func.count(),
                func.count(WO.satisfaction),
                func.coalesce(func.sum(WO.satisfaction), 0),
                _count_if(WO.satisfaction >= 4),
            )
            .where(_in_range(first, last))
            .group_by(WO.category),
            area,
            ON_WORK_ORDER,
        )
    rows = []
    for c, n, rated, total, high in session.execute(stmt):
        rated = int(rated)
        mean = (Decimal(int(total)) / rated).quantize(CENT, rounding=ROUND_HALF_UP) if rated else None
        rows.append(SatisfactionRow(WorkOrderCategory(c).value, int(n), rated, mean, ratio(int(high), rated)))
    return sorted(rows, key=lambda r: _CATEGORY_ORDER[r.category])


# --------------------------------------------------------------------------- the /complaints page


@dataclass(frozen=True)
class PeriodTotals:
    """Work orders received in first..last (local days), with how they were handled (closed up to now)."""

    first: date
    last: date
    orders: int  # all categories
    elevator_orders: int
    closed: int
    mean_days_to_close: Decimal | None  # over the closed orders of all categories
    elevator_mean_days_to_close: Decimal | None
    rated: int
    elevator_rated: int
    share_satisfied: Decimal | None  # share of rated orders scored 4 or 5
    elevator_share_satisfied: Decimal | None


def period_totals(session: Session, area: Area, first: date, last: date) -> PeriodTotals:
    """The page's headline handling figures for all work orders and for elevator ones, in one query."""
    if rollups_ready(session):
        return _period_totals_from_rollups(session, area, first, last)
    elevator = WO.category == WorkOrderCategory.elevator
    seconds = whole_seconds(WO.received_at, WO.closed_at)
    stmt = select(
        func.count(),
        _count_if(elevator),
        func.count(WO.closed_at),
        func.sum(seconds),
        func.count(case((elevator, WO.closed_at), else_=None)),
        func.sum(case((elevator, seconds), else_=None)),
        func.count(WO.satisfaction),
        _count_if(and_(elevator, WO.satisfaction.is_not(None))),
        _count_if(WO.satisfaction >= 4),
        _count_if(and_(elevator, WO.satisfaction >= 4)),
    ).where(_in_range(first, last))
    n, n_elev, closed, sec, closed_elev, sec_elev, rated, rated_elev, high, high_elev = session.execute(
        within(stmt, area, ON_WORK_ORDER)
    ).one()
    return PeriodTotals(
        first=first,
        last=last,
        orders=int(n),
        elevator_orders=int(n_elev),
        closed=int(closed),
        mean_days_to_close=exact_mean(sec, closed, DAY_SECONDS),
        elevator_mean_days_to_close=exact_mean(sec_elev, closed_elev, DAY_SECONDS),
        rated=int(rated),
        elevator_rated=int(rated_elev),
        share_satisfied=ratio(int(high), int(rated)),
        elevator_share_satisfied=ratio(int(high_elev), int(rated_elev)),
    )


def _period_totals_from_rollups(session: Session, area: Area, first: date, last: date) -> PeriodTotals:
    t = agg_work_order_day.c
    elevator = t.category == WorkOrderCategory.elevator.value

    def elev(col: Any) -> Any:
        return func.coalesce(func.sum(case((elevator, col), else_=0)), 0)

    def total(col: Any) -> Any:
        return func.coalesce(func.sum(col), 0)

    stmt = select(
        total(t.orders),
        elev(t.orders),
        total(t.closed),
        total(t.close_seconds),
        elev(t.closed),
        elev(t.close_seconds),
        total(t.rated),
        elev(t.rated),
        total(t.satisfied),
        elev(t.satisfied),
    ).where(t.day >= first, t.day <= last)
    n, n_elev, closed, sec, closed_elev, sec_elev, rated, rated_elev, high, high_elev = session.execute(
        within(stmt, area, on_rows(agg_work_order_day))
    ).one()
    return PeriodTotals(
        first=first,
        last=last,
        orders=int(n),
        elevator_orders=int(n_elev),
        closed=int(closed),
        mean_days_to_close=exact_mean(sec, closed, DAY_SECONDS),
        elevator_mean_days_to_close=exact_mean(sec_elev, closed_elev, DAY_SECONDS),
        rated=int(rated),
        elevator_rated=int(rated_elev),
        share_satisfied=ratio(int(high), int(rated)),
        elevator_share_satisfied=ratio(int(high_elev), int(rated_elev)),
    )


@dataclass(frozen=True)
class DistrictLabel:
    district_id: int
    name: str
    name_en: str
    city_code: str  # a click on a district in the province view also selects its city


def district_labels(session: Session, area: Area) -> list[DistrictLabel]:
    """The districts of the area, in both languages, for chart legends and click targets."""
    stmt = select(District.id, District.name, District.name_en, City.code).join(City, City.id == District.city_id)
    stmt = within(stmt, area, ON_DISTRICT)
    return [DistrictLabel(int(i), n, e, c) for i, n, e, c in session.execute(stmt.order_by(City.id, District.id))]


class CompoundComplaintRow(NamedTuple):
    """A NamedTuple, not a dataclass: a table builds 21,000 of them at `large` scale, ten times faster."""

    compound_id: int
    compound: str
    district: str
    district_en: str
    elevator_orders: int  # elevator work orders from 1 January to as_of
    elevator_orders_last_year: int  # the same days a year earlier
    orders: int  # work orders of every category from 1 January to as_of
    insured_since: date | None  # start of the compound's first policy, if it starts on or before as_of
    mean_days_to_close: Decimal | None  # over this year's orders (all categories) closed by now


def compound_complaint_table(session: Session, area: Area, as_of: date) -> list[CompoundComplaintRow]:
    """One row per compound of the area (those without orders too), in one grouped SQL statement.

    Orders are scoped like the page's cards (by the order's own district) and placed by their compound;
    the compound list is scoped by the compound's district. Sorted by this year's elevator orders, most first.
    """
    if rollups_ready(session):
        return _compound_complaint_table_from_rollups(session, area, as_of)
    start = date(as_of.year, 1, 1)
    last_year_end = minus_years(as_of, 1)
    in_year = WO.received_at >= local_start(start)
    in_last_year = WO.received_at < local_start(last_year_end + timedelta(days=1))
    elevator = WO.category == WorkOrderCategory.elevator
    orders_stmt = select(
        WO.compound_id.label("compound_id"),
        _count_if(and_(elevator, in_year)).label("elevator_year"),
        _count_if(and_(elevator, in_last_year)).label("elevator_last"),
        _count_if(in_year).label("all_year"),
        func.count(case((in_year, WO.closed_at), else_=None)).label("closed"),
        func.sum(case((in_year, whole_seconds(WO.received_at, WO.closed_at)), else_=None)).label("close_seconds"),
    ).where(
        WO.compound_id.is_not(None),
        in_local_days(WO.received_at, date(as_of.year - 1, 1, 1), as_of),
        or_(in_year, in_last_year),
    )
    orders = within(orders_stmt, area, ON_WORK_ORDER).group_by(WO.compound_id).subquery("orders")
    first_policy = (
        select(Building.compound_id.label("compound_id"), func.min(InsurancePolicy.period_start).label("since"))
        .select_from(InsurancePolicy)
        .join(Elevator, Elevator.id == InsurancePolicy.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .where(InsurancePolicy.period_start <= as_of)
        .group_by(Building.compound_id)
        .subquery("first_policy")
    )
    elevator_year = func.coalesce(orders.c.elevator_year, 0)
    stmt = (
        select(
            Compound.id,
            Compound.name,
            District.name,
            District.name_en,
            elevator_year,
            func.coalesce(orders.c.elevator_last, 0),
            func.coalesce(orders.c.all_year, 0),
            first_policy.c.since,
            orders.c.closed,
            orders.c.close_seconds,
        )
        .join(District, District.id == Compound.district_id)
        .outerjoin(orders, orders.c.compound_id == Compound.id)
        .outerjoin(first_policy, first_policy.c.compound_id == Compound.id)
        .order_by(elevator_year.desc(), Compound.id)
    )
    stmt = within(stmt, area, ON_COMPOUND_DISTRICT)
    return [
        CompoundComplaintRow(
            int(cid),
            name,
            district,
            district_en,
            int(ey),
            int(el),
            int(n),
            _as_date(since),
            exact_mean(seconds, closed, DAY_SECONDS),
        )
        for cid, name, district, district_en, ey, el, n, since, closed, seconds in many_rows(session, stmt)
    ]


def _compound_complaint_table_from_rollups(session: Session, area: Area, as_of: date) -> list[CompoundComplaintRow]:
    """The compounds' daily work orders of this year to as_of and of the same days a year earlier, summed in one
    scan; orders are scoped by their own city and district, as on the page's cards."""
    cw = agg_compound_work_orders.c
    last_year_end = minus_years(as_of, 1)
    this_year = cw.day >= date(as_of.year, 1, 1)
    last_year = cw.day <= last_year_end

    def total(column: str, when: Any) -> Any:
        return func.sum(case((when, cw[column]), else_=0))

    orders = within(
        select(
            cw.compound_id.label("compound_id"),
            total("elevator_orders", this_year).label("elevator_year"),
            total("elevator_orders", last_year).label("elevator_last"),
            total("orders", this_year).label("all_year"),
            total("closed", this_year).label("closed"),
            total("close_seconds", this_year).label("close_seconds"),
        )
        .where(cw.day >= date(last_year_end.year, 1, 1), cw.day <= as_of, or_(this_year, last_year))
        .group_by(cw.compound_id),
        area,
        on_rows(agg_compound_work_orders),
    ).subquery("orders")
    elevator_year = func.coalesce(orders.c.elevator_year, 0)
    since = case((agg_compound.c.first_policy_on <= as_of, agg_compound.c.first_policy_on), else_=None)
    stmt = (
        select(
            Compound.id,
            Compound.name,
            District.name,
            District.name_en,
            elevator_year,
            func.coalesce(orders.c.elevator_last, 0),
            func.coalesce(orders.c.all_year, 0),
            since,
            orders.c.closed,
            orders.c.close_seconds,
        )
        .join(District, District.id == Compound.district_id)
        .outerjoin(orders, orders.c.compound_id == Compound.id)
        .outerjoin(agg_compound, agg_compound.c.compound_id == Compound.id)
        .order_by(elevator_year.desc(), Compound.id)
    )
    stmt = within(stmt, area, ON_COMPOUND_DISTRICT)
    return [
        CompoundComplaintRow(
            int(cid),
            name,
            district,
            district_en,
            int(ey),
            int(el),
            int(n),
            _as_date(since),
            exact_mean(seconds, closed, DAY_SECONDS),
        )
        for cid, name, district, district_en, ey, el, n, since, closed, seconds in many_rows(session, stmt)
    ]


def _as_date(value: Any) -> date | None:
    """A MIN() over a DATE column comes back as a string from SQLite."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class ComplaintsPage:
    as_of: date
    chart_first: date  # the monthly charts cover chart_first..as_of (up to 24 months)
    trend_last: date | None  # the per-100 trend ends with the last complete month (None: no complete month)
    elevator: ComplaintComparison | None  # from 1 January to as_of vs the same days a year earlier
    totals: PeriodTotals | None
    previous: PeriodTotals | None  # the same days a year earlier
    by_category: list[CategoryMonth]
    by_district: list[DistrictMonth]
    districts: list[DistrictLabel]
    trend: list[CohortMonth]
    before_after: list[CohortSummary]  # [insured, never_insured]
    close: list[CloseStats]
    satisfaction: list[SatisfactionRow]
    compounds: list[CompoundComplaintRow]


BEFORE_AFTER_MONTHS = 12
CHART_MONTHS = 24


def chart_window(as_of: date, first_year: int) -> tuple[date, date | None]:
    """(first day of the monthly charts, last day of the per-100 trend).

    The charts show the CHART_MONTHS months ending with as_of's month, never before first_year; the trend
    stops at the last complete month, since a part-month's orders would be set against whole-month elevators.
    """
    first = max(_month_first(_month_index(as_of) - CHART_MONTHS + 1), date(first_year, 1, 1))
    trend_last = as_of if (as_of + timedelta(days=1)).day == 1 else _month_last(_month_index(as_of) - 1)
    return first, trend_last if trend_last >= first else None


@cached_query
def complaints_page_data(
    session: Session,
    area: Area,
    year: int,
    today: date,
    first_year: int,
    compounds_only: bool = False,
    include_compounds: bool = True,
) -> ComplaintsPage:
    """Everything /complaints shows for one area and year (the compound table alone for exports and the grid's
    rows; include_compounds=False leaves it out for a page that loads its grid separately).

    Flows run from 1 January of the year to its end, or to today for the current year.
    """
    as_of = as_of_for_year(year, today)
    compounds = compound_complaint_table(session, area, as_of) if include_compounds or compounds_only else []
    chart_first, trend_last = chart_window(as_of, first_year)
    if compounds_only:
        return ComplaintsPage(as_of, chart_first, trend_last, None, None, None, [], [], [], [], [], [], [], compounds)
    start = date(as_of.year, 1, 1)
    last_year_end = minus_years(as_of, 1)
    return ComplaintsPage(
        as_of=as_of,
        chart_first=chart_first,
        trend_last=trend_last,
        elevator=elevator_complaints(session, area, as_of),
        totals=period_totals(session, area, start, as_of),
        previous=period_totals(session, area, date(last_year_end.year, 1, 1), last_year_end),
        by_category=monthly_by_category(session, area, chart_first, as_of),
        by_district=monthly_elevator_by_district(session, area, chart_first, as_of),
        districts=district_labels(session, area),
        trend=insured_vs_uninsured_trend(session, area, chart_first, trend_last) if trend_last else [],
        before_after=before_after_summary(session, area, BEFORE_AFTER_MONTHS, as_of=as_of),
        close=time_to_close(session, area, start, as_of),
        satisfaction=satisfaction(session, area, start, as_of),
        compounds=compounds,
    )


__all__ = [
    "CategoryMonth",
    "ComplaintsPage",
    "CompoundComplaintRow",
    "DistrictLabel",
    "PeriodTotals",
    "chart_window",
    "complaints_page_data",
    "compound_complaint_table",
    "district_labels",
    "period_totals",
    "CloseStats",
    "Cohort",
    "CohortMonth",
    "CohortSummary",
    "DistrictMonth",
    "SatisfactionRow",
    "before_after_summary",
    "insured_vs_uninsured_trend",
    "monthly_by_category",
    "monthly_elevator_by_district",
    "satisfaction",
    "time_to_close",
]
