"""Dialect-specific SQL for calendar grouping in the cities' zone.

Instants are stored in UTC, but a complaint received at 23:30 on 31 December local time
belongs to December in Zhuzhou; grouping must shift to Asia/Shanghai in SQL.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement
from sqlalchemy.types import Date, Integer

from data_access.db import CITY_TZ


class local_month(FunctionElement[int]):  # noqa: N801  (reads as a SQL function)
    """Month number (1–12) of an instant in Asia/Shanghai."""

    type = Integer()
    inherit_cache = True


class local_year(FunctionElement[int]):  # noqa: N801
    type = Integer()
    inherit_cache = True


@compiles(local_month, "sqlite")
def _month_sqlite(element: local_month, compiler: Any, **kw: Any) -> str:
    return f"CAST(strftime('%m', {compiler.process(element.clauses, **kw)}, '+8 hours') AS INTEGER)"


@compiles(local_month, "postgresql")
def _month_pg(element: local_month, compiler: Any, **kw: Any) -> str:
    return (
        f"CAST(EXTRACT(MONTH FROM ({compiler.process(element.clauses, **kw)} AT TIME ZONE 'Asia/Shanghai')) AS INTEGER)"
    )


@compiles(local_year, "sqlite")
def _year_sqlite(element: local_year, compiler: Any, **kw: Any) -> str:
    return f"CAST(strftime('%Y', {compiler.process(element.clauses, **kw)}, '+8 hours') AS INTEGER)"


@compiles(local_year, "postgresql")
def _year_pg(element: local_year, compiler: Any, **kw: Any) -> str:
    return (
        f"CAST(EXTRACT(YEAR FROM ({compiler.process(element.clauses, **kw)} AT TIME ZONE 'Asia/Shanghai')) AS INTEGER)"
    )


class date_year(FunctionElement[int]):  # noqa: N801
    """Calendar year of a DATE column (dates are already local; no zone shift)."""

    type = Integer()
    inherit_cache = True


@compiles(date_year, "sqlite")
def _date_year_sqlite(element: date_year, compiler: Any, **kw: Any) -> str:
    return f"CAST(strftime('%Y', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(date_year, "postgresql")
def _date_year_pg(element: date_year, compiler: Any, **kw: Any) -> str:
    return f"CAST(EXTRACT(YEAR FROM {compiler.process(element.clauses, **kw)}) AS INTEGER)"


class date_month(FunctionElement[int]):  # noqa: N801
    """Month (1–12) of a DATE column (already local)."""

    type = Integer()
    inherit_cache = True


@compiles(date_month, "sqlite")
def _date_month_sqlite(element: date_month, compiler: Any, **kw: Any) -> str:
    return f"CAST(strftime('%m', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(date_month, "postgresql")
def _date_month_pg(element: date_month, compiler: Any, **kw: Any) -> str:
    return f"CAST(EXTRACT(MONTH FROM {compiler.process(element.clauses, **kw)}) AS INTEGER)"


class date_day(FunctionElement[int]):  # noqa: N801
    """Day of the month (1–31) of a DATE column."""

    type = Integer()
    inherit_cache = True


@compiles(date_day, "sqlite")
def _date_day_sqlite(element: date_day, compiler: Any, **kw: Any) -> str:
    return f"CAST(strftime('%d', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(date_day, "postgresql")
def _date_day_pg(element: date_day, compiler: Any, **kw: Any) -> str:
    return f"CAST(EXTRACT(DAY FROM {compiler.process(element.clauses, **kw)}) AS INTEGER)"


class next_day(FunctionElement[date]):  # noqa: N801
    """The day after a DATE column's day."""

    type = Date()
    inherit_cache = True


@compiles(next_day, "sqlite")
def _next_day_sqlite(element: next_day, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '+1 day')"


@compiles(next_day, "postgresql")
def _next_day_pg(element: next_day, compiler: Any, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)} + 1)"


class later_date(FunctionElement[date]):  # noqa: N801
    """The later of two DATEs (neither NULL)."""

    type = Date()
    inherit_cache = True


@compiles(later_date, "sqlite")
def _later_sqlite(element: later_date, compiler: Any, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"  # SQLite's two-argument max() is a scalar function


@compiles(later_date, "postgresql")
def _later_pg(element: later_date, compiler: Any, **kw: Any) -> str:
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


def local_month_index(instant: ColumnElement[Any]) -> ColumnElement[int]:
    """year × 12 + month − 1 of an instant in local time: consecutive months are consecutive integers."""
    return local_year(instant) * 12 + local_month(instant) - 1


def date_month_index(day: ColumnElement[Any]) -> ColumnElement[int]:
    """The same index for a calendar date column (dates are already local)."""
    return date_year(day) * 12 + date_month(day) - 1


def local_start(d: date) -> datetime:
    """The instant a local calendar day begins; used for index-friendly range filters."""
    return datetime.combine(d, time.min, tzinfo=CITY_TZ)


def in_local_days(column: ColumnElement[Any], first: date, last_inclusive: date) -> ColumnElement[bool]:
    return (column >= local_start(first)) & (column < local_start(last_inclusive + timedelta(days=1)))
