"""Work-order facts: 12345 hotline orders per month, category and district, how they were handled (time to
close, satisfaction) and a period's totals; conventions as in data_access/complaints.py.

`WorkOrderCounts` answers from the raw work orders; `WorkOrderCountsFromRollups` overrides only the statements,
reading the same sums from agg_work_order_day. Which one serves a session is decided once (data_access.facts);
the figures are turned into dataclasses by the same code for both, so the two readers cannot drift apart in
anything but the SQL that tests/test_rollups.py and the BOTH_READERS tests compare.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar, cast

from sqlalchemy import Date, Integer, Result, Select, and_, bindparam, case, func, select
from sqlalchemy.orm import Session

from data_access.complaint_sql import CENT, DAY_SECONDS, WO, count_if, in_range
from data_access.core.models import City, District, WorkOrderCategory
from data_access.core.rollup_tables import agg_work_order_day
from data_access.core.rules import exact_mean, ratio
from data_access.core.scope import ON_DISTRICT, ON_WORK_ORDER, Area, on_rows, within
from data_access.core.sqlfuncs import local_month, local_year, whole_seconds

_CATEGORY_ORDER = {c.value: i for i, c in enumerate(WorkOrderCategory)}


@dataclass(frozen=True)
class CategoryMonth:
    year: int
    month: int  # local calendar month
    category: str  # a WorkOrderCategory value
    count: int


@dataclass(frozen=True)
class DistrictMonth:
    district_id: int
    district_name: str
    year: int
    month: int
    count: int


@dataclass(frozen=True)
class CloseStats:
    category: str
    orders: int  # received in the range
    closed: int  # of those, closed (at any time up to now)
    still_open: int
    mean_days_to_close: Decimal | None  # over the closed ones


@dataclass(frozen=True)
class SatisfactionRow:
    category: str
    orders: int  # received in the range
    rated: int  # with a satisfaction score
    mean_score: Decimal | None  # 1 (very dissatisfied) .. 5
    share_satisfied: Decimal | None  # share of rated orders scored 4 or 5


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


def _days(seconds: Any, closed: Any) -> Decimal | None:
    return exact_mean(seconds, closed, DAY_SECONDS)


class WorkOrderCounts:
    """Work-order facts read from the raw orders (`first`..`last` are local days, both ends inclusive)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def monthly_by_category(self, area: Area, first: date, last: date) -> list[CategoryMonth]:
        """Work orders per local month and category, so elevator complaints can be read against all others.

        Only months and categories with at least one order appear.
        """
        rows = [
            CategoryMonth(int(y), int(m), WorkOrderCategory(c).value, int(n))
            for y, m, c, n in self._execute(self._by_category, area, first, last)
        ]
        return sorted(rows, key=lambda r: (r.year, r.month, _CATEGORY_ORDER[r.category]))

    def monthly_elevator_by_district(self, area: Area, first: date, last: date) -> list[DistrictMonth]:
        """Elevator work orders per district and local month, to see where a city's complaints come from."""
        return [
            DistrictMonth(int(d), name, int(y), int(m), int(n))
            for d, name, y, m, n in self._execute(self._elevator_by_district, area, first, last)
        ]

    def time_to_close(self, area: Area, first: date, last: date) -> list[CloseStats]:
        """How fast each category of work order gets closed: the hotline's measure of a bureau's response."""
        rows = [
            CloseStats(
                WorkOrderCategory(c).value,
                int(n),
                int(closed),
                int(n) - int(closed),
                exact_mean(sec, closed, DAY_SECONDS),
            )
            for c, n, closed, sec in self._execute(self._closing, area, first, last)
        ]
        return sorted(rows, key=lambda r: _CATEGORY_ORDER[r.category])

    def satisfaction(self, area: Area, first: date, last: date) -> list[SatisfactionRow]:
        """Callers' satisfaction per category, the hotline's other measure of how complaints were handled."""
        rows = []
        for c, n, rated, total, high in self._execute(self._satisfaction, area, first, last):
            rated = int(rated)
            mean = (Decimal(int(total)) / rated).quantize(CENT, rounding=ROUND_HALF_UP) if rated else None
            rows.append(SatisfactionRow(WorkOrderCategory(c).value, int(n), rated, mean, ratio(int(high), rated)))
        return sorted(rows, key=lambda r: _CATEGORY_ORDER[r.category])

    def period_totals(self, area: Area, first: date, last: date) -> PeriodTotals:
        """The page's headline handling figures for all work orders and for elevator ones, in one query."""
        row = self._execute(self._totals, area, first, last).one()
        n, n_elev, closed, sec, closed_elev, sec_elev, rated, rated_elev, high, high_elev = row
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

    def elevator_orders(self, area: Area, first: date, last: date) -> int:
        """Elevator work orders received in the range: the headline complaint count."""
        return int(self._execute(self._elevator_orders, area, first, last).scalar() or 0)

    def elevator_months(self, area: Area, first: date, last: date) -> list[tuple[int, int]]:
        """(local month, elevator work orders) for the months of one calendar year that have any, in order."""
        return [(int(m), int(n)) for m, n in self._execute(self._elevator_months, area, first, last)]

    def _execute(self, build: Build, area: Area, first: date, last: date) -> Result[Any]:
        """Run one of the statements below. The raw reader builds it per call: its day bounds are instants
        computed in Python from the dates (local midnight in UTC, core.sqlfuncs.in_local_days)."""
        return self.session.execute(build(area, first, last))

    # The statements: (year, month, category, orders); (district id, name, year, month, orders) in month and
    # district order; (category, orders, closed, close seconds); (category, orders, rated, score sum, scored
    # 4-5); and the ten totals of period_totals.

    def _by_category(self, area: Area, first: date, last: date) -> Select[Any]:
        year, month = local_year(WO.received_at), local_month(WO.received_at)
        stmt = select(year, month, WO.category, func.count()).where(in_range(first, last))
        return within(stmt.group_by(year, month, WO.category), area, ON_WORK_ORDER)

    def _elevator_orders(self, area: Area, first: date, last: date) -> Select[Any]:
        stmt = select(func.count()).select_from(WO).where(WO.category == WorkOrderCategory.elevator)
        return within(stmt.where(in_range(first, last)), area, ON_WORK_ORDER)

    def _elevator_months(self, area: Area, first: date, last: date) -> Select[Any]:
        month = local_month(WO.received_at)
        stmt = select(month, func.count()).where(WO.category == WorkOrderCategory.elevator, in_range(first, last))
        return within(stmt.group_by(month).order_by(month), area, ON_WORK_ORDER)

    def _elevator_by_district(self, area: Area, first: date, last: date) -> Select[Any]:
        year, month = local_year(WO.received_at), local_month(WO.received_at)
        stmt = (
            select(District.id, District.name, year, month, func.count())
            .select_from(WO)
            .join(District, District.id == WO.district_id)
            .where(WO.category == WorkOrderCategory.elevator, in_range(first, last))
            .group_by(District.id, District.name, year, month)
            .order_by(year, month, District.id)
        )
        return within(stmt, area, ON_WORK_ORDER)

    def _closing(self, area: Area, first: date, last: date) -> Select[Any]:
        seconds = func.sum(whole_seconds(WO.received_at, WO.closed_at))
        stmt = select(WO.category, func.count(), func.count(WO.closed_at), seconds).where(in_range(first, last))
        return within(stmt.group_by(WO.category), area, ON_WORK_ORDER)

    def _satisfaction(self, area: Area, first: date, last: date) -> Select[Any]:
        stmt = select(
            WO.category,
            func.count(),
            func.count(WO.satisfaction),
            func.coalesce(func.sum(WO.satisfaction), 0),
            count_if(WO.satisfaction >= 4),
        ).where(in_range(first, last))
        return within(stmt.group_by(WO.category), area, ON_WORK_ORDER)

    def _totals(self, area: Area, first: date, last: date) -> Select[Any]:
        elevator = WO.category == WorkOrderCategory.elevator
        seconds = whole_seconds(WO.received_at, WO.closed_at)
        stmt = select(
            func.count(),
            count_if(elevator),
            func.count(WO.closed_at),
            func.sum(seconds),
            func.count(case((elevator, WO.closed_at), else_=None)),
            func.sum(case((elevator, seconds), else_=None)),
            func.count(WO.satisfaction),
            count_if(and_(elevator, WO.satisfaction.is_not(None))),
            count_if(WO.satisfaction >= 4),
            count_if(and_(elevator, WO.satisfaction >= 4)),
        ).where(in_range(first, last))
        return within(stmt, area, ON_WORK_ORDER)


Build = Callable[[Area, date, date], Select[Any]]
# The bound parameters of the statements the pre-aggregated reader builds once (WorkOrderCountsFromRollups._execute).
_FIRST, _LAST = bindparam("first", type_=Date()), bindparam("last", type_=Date())
_CITY, _DISTRICT = bindparam("city_id", type_=Integer()), bindparam("district_id", type_=Integer())


class WorkOrderCountsFromRollups(WorkOrderCounts):
    """The same facts from agg_work_order_day (orders per local day, district and category, with their
    handling sums): the months are the table's month index, the sums its columns."""

    # Each statement built once per shape of area (province, city, district) with bound parameters for the days and
    # the place, then only executed (issue 18): building a statement and its cache key cost more than running it on
    # the pre-aggregated table (/complaints spent 17-27 ms of a cache miss building statements). Its day bounds
    # are the table's dates themselves, so a bound date can stand for them (the raw reader's cannot).
    _prepared: ClassVar[dict[tuple[str, bool, bool], Select[Any]]] = {}

    def _execute(self, build: Build, area: Area, first: date, last: date) -> Result[Any]:
        city, district = area.city_id is not None, area.district_id is not None
        key = (build.__name__, city, district)
        stmt = self._prepared.get(key)
        if stmt is None:
            # The builders take an Area and dates; bound parameters stand in for them (compared, never computed on).
            shape = Area(
                city_id=cast(int, _CITY) if city else None, district_id=cast(int, _DISTRICT) if district else None
            )
            stmt = self._prepared.setdefault(key, build(shape, cast(date, _FIRST), cast(date, _LAST)))
        params: dict[str, Any] = {"first": first, "last": last}
        if city:
            params["city_id"] = area.city_id
        if district:
            params["district_id"] = area.district_id
        return self.session.connection().execute(stmt, params)  # Core: the ORM adds nothing to a Core select

    def _by_category(self, area: Area, first: date, last: date) -> Select[Any]:
        t = agg_work_order_day.c
        stmt = select(t.month // 12, t.month % 12 + 1, t.category, func.sum(t.orders)).where(
            t.day >= first, t.day <= last
        )
        return within(stmt.group_by(t.month, t.category), area, on_rows(agg_work_order_day))

    def _elevator_orders(self, area: Area, first: date, last: date) -> Select[Any]:
        t = agg_work_order_day.c
        stmt = select(func.sum(t.orders)).where(
            t.category == WorkOrderCategory.elevator.value, t.day >= first, t.day <= last
        )
        return within(stmt, area, on_rows(agg_work_order_day))

    def _elevator_months(self, area: Area, first: date, last: date) -> Select[Any]:
        t = agg_work_order_day.c
        stmt = select(t.month % 12 + 1, func.sum(t.orders)).where(
            t.category == WorkOrderCategory.elevator.value, t.day >= first, t.day <= last
        )
        return within(stmt.group_by(t.month).order_by(t.month), area, on_rows(agg_work_order_day))

    def _elevator_by_district(self, area: Area, first: date, last: date) -> Select[Any]:
        t = agg_work_order_day.c
        stmt = (
            select(District.id, District.name, t.month // 12, t.month % 12 + 1, func.sum(t.orders))
            .select_from(agg_work_order_day)
            .join(District, District.id == t.district_id)
            .where(t.category == WorkOrderCategory.elevator.value, t.day >= first, t.day <= last)
            .group_by(District.id, District.name, t.month)
            .order_by(t.month, District.id)
        )
        return within(stmt, area, on_rows(agg_work_order_day))

    def _closing(self, area: Area, first: date, last: date) -> Select[Any]:
        t = agg_work_order_day.c
        stmt = select(t.category, func.sum(t.orders), func.sum(t.closed), func.sum(t.close_seconds)).where(
            t.day >= first, t.day <= last
        )
        return within(stmt.group_by(t.category), area, on_rows(agg_work_order_day))

    def _satisfaction(self, area: Area, first: date, last: date) -> Select[Any]:
        t = agg_work_order_day.c
        sums = (func.sum(t.orders), func.sum(t.rated), func.sum(t.satisfaction_sum), func.sum(t.satisfied))
        stmt = select(t.category, *sums).where(t.day >= first, t.day <= last)
        return within(stmt.group_by(t.category), area, on_rows(agg_work_order_day))

    def _totals(self, area: Area, first: date, last: date) -> Select[Any]:
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
        return within(stmt, area, on_rows(agg_work_order_day))


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


__all__ = [
    "CategoryMonth",
    "CloseStats",
    "DistrictLabel",
    "DistrictMonth",
    "PeriodTotals",
    "SatisfactionRow",
    "WorkOrderCounts",
    "WorkOrderCountsFromRollups",
    "district_labels",
]
