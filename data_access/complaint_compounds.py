"""Complaint-page query: the compound table (work orders, first policy and time to close per compound).

Conventions as in data_access/complaints.py.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from data_access.complaint_sql import DAY_SECONDS, WO, count_if
from data_access.core.db import many_rows
from data_access.core.models import Building, Compound, District, Elevator, InsurancePolicy, WorkOrderCategory
from data_access.core.rollup_tables import agg_compound, agg_compound_work_orders
from data_access.core.rules import exact_mean, minus_years
from data_access.core.scope import ON_COMPOUND_DISTRICT, ON_WORK_ORDER, Area, on_rows, within
from data_access.core.sqlfuncs import in_local_days, local_start, whole_seconds


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


def _table_from_raw(session: Session, area: Area, as_of: date) -> list[CompoundComplaintRow]:
    """CompoundWorkOrders.compound_table from the raw work orders and each compound's first policy."""
    orders = _compound_orders(area, as_of)
    first_policy = (
        select(Building.compound_id.label("compound_id"), func.min(InsurancePolicy.period_start).label("since"))
        .select_from(InsurancePolicy)
        .join(Elevator, Elevator.id == InsurancePolicy.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .where(InsurancePolicy.period_start <= as_of)
        .group_by(Building.compound_id)
        .subquery("first_policy")
    )
    stmt = _table_statement(orders, first_policy.c.since, first_policy, first_policy.c.compound_id)
    return _compound_rows(session, within(stmt, area, ON_COMPOUND_DISTRICT))


def _compound_orders(area: Area, as_of: date) -> Any:
    """Per compound, from the raw work orders: this year's elevator orders, last year's to the same day, this
    year's orders of every category, how many of those are closed and their seconds to close."""
    start = date(as_of.year, 1, 1)
    last_year_end = minus_years(as_of, 1)
    in_year = WO.received_at >= local_start(start)
    in_last_year = WO.received_at < local_start(last_year_end + timedelta(days=1))
    elevator = WO.category == WorkOrderCategory.elevator
    orders_stmt = select(
        WO.compound_id.label("compound_id"),
        count_if(and_(elevator, in_year)).label("elevator_year"),
        count_if(and_(elevator, in_last_year)).label("elevator_last"),
        count_if(in_year).label("all_year"),
        func.count(case((in_year, WO.closed_at), else_=None)).label("closed"),
        func.sum(case((in_year, whole_seconds(WO.received_at, WO.closed_at)), else_=None)).label("close_seconds"),
    ).where(
        WO.compound_id.is_not(None),
        in_local_days(WO.received_at, date(as_of.year - 1, 1, 1), as_of),
        or_(in_year, in_last_year),
    )
    return within(orders_stmt, area, ON_WORK_ORDER).group_by(WO.compound_id).subquery("orders")


def _table_statement(orders: Any, since: Any, firsts: Any, firsts_compound_id: Any) -> Select[Any]:
    """Every compound with its orders and the start of its first policy (`since`, from `firsts`), unscoped."""
    elevator_year = func.coalesce(orders.c.elevator_year, 0)
    return (
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
        .outerjoin(firsts, firsts_compound_id == Compound.id)
        .order_by(elevator_year.desc(), Compound.id)
    )


def _compound_rows(session: Session, stmt: Select[Any]) -> list[CompoundComplaintRow]:
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
    since = case((agg_compound.c.first_policy_on <= as_of, agg_compound.c.first_policy_on), else_=None)
    stmt = _table_statement(orders, since, agg_compound, agg_compound.c.compound_id)
    return _compound_rows(session, within(stmt, area, ON_COMPOUND_DISTRICT))


def _as_date(value: Any) -> date | None:
    """A MIN() over a DATE column comes back as a string from SQLite."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class CompoundWorkOrders:
    """Work orders per compound (the compound table), from the raw work orders and policies."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def compound_table(self, area: Area, as_of: date) -> list[CompoundComplaintRow]:
        """One row per compound of the area (those without orders too), in one grouped SQL statement.

        Orders are scoped like the page's cards (by the order's own district) and placed by their compound;
        the compound list is scoped by the compound's district. Sorted by this year's elevator orders, most first.
        """
        return _table_from_raw(self.session, area, as_of)


class CompoundWorkOrdersFromRollups(CompoundWorkOrders):
    """The same from agg_compound_work_orders (orders per compound and day) and agg_compound (first policy)."""

    def compound_table(self, area: Area, as_of: date) -> list[CompoundComplaintRow]:
        return _compound_complaint_table_from_rollups(self.session, area, as_of)


__all__ = ["CompoundComplaintRow", "CompoundWorkOrders", "CompoundWorkOrdersFromRollups"]
