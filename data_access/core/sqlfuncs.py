"""Dialect-specific SQL for calendar grouping in the cities' zone.

Instants are stored in UTC, but a complaint received at 23:30 on 31 December local time
belongs to December in Zhuzhou; grouping must shift to Asia/Shanghai in SQL.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import BigInteger, SQLColumnExpression, cast, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.expression import ColumnElement, FunctionElement
from sqlalchemy.types import Date, Float, Integer

from data_access.core.clock import CITY_TZ


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


class not_indexed(FunctionElement[Any]):  # noqa: N801  (reads as a SQL function)
    """A column compared without choosing an index on it, on SQLite (`+column`, a no-op); the column elsewhere.

    SQLite picks the index that narrows the rows most by its estimate, even when nearly every row qualifies and a
    GROUP BY then sorts them all: the league's visits of a year are ~90 % of the table, and read through the
    (elevator_id, started_at, duration_minutes) index they arrive grouped by elevator (issue 18: 74 → 32 ms
    province-wide at `city` scale). PostgreSQL reads them by hash aggregation whatever the index; the condition is
    unchanged."""

    inherit_cache = True

    def __init__(self, column: ColumnElement[Any] | InstrumentedAttribute[Any]) -> None:
        super().__init__(column)
        self.type = column.type  # compared, and its bound values processed, as the column's own


@compiles(not_indexed)
def _not_indexed_default(element: not_indexed, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(not_indexed, "sqlite")
def _not_indexed_sqlite(element: not_indexed, compiler: Any, **kw: Any) -> str:
    return f"+{compiler.process(element.clauses, **kw)}"


def local_month_index(instant: SQLColumnExpression[Any]) -> ColumnElement[int]:
    """year × 12 + month − 1 of an instant in local time: consecutive months are consecutive integers."""
    return local_year(instant) * 12 + local_month(instant) - 1


def date_month_index(day: SQLColumnExpression[Any]) -> ColumnElement[int]:
    """The same index for a calendar date column (dates are already local)."""
    return date_year(day) * 12 + date_month(day) - 1


def local_start(d: date) -> datetime:
    """The instant a local calendar day begins; used for index-friendly range filters."""
    return datetime.combine(d, time.min, tzinfo=CITY_TZ)


def in_local_days(column: SQLColumnExpression[Any], first: date, last_inclusive: date) -> ColumnElement[bool]:
    return (column >= local_start(first)) & (column < local_start(last_inclusive + timedelta(days=1)))


class local_hour(FunctionElement[int]):  # noqa: N801  (reads as a SQL function)
    """Hour (0–23) of an instant in Asia/Shanghai: a fault at 23:30 local is stored as 15:30 UTC."""

    type = Integer()
    inherit_cache = True


@compiles(local_hour, "sqlite")
def _hour_sqlite(element: local_hour, compiler: Any, **kw: Any) -> str:
    return f"CAST(strftime('%H', {compiler.process(element.clauses, **kw)}, '+8 hours') AS INTEGER)"


@compiles(local_hour, "postgresql")
def _hour_pg(element: local_hour, compiler: Any, **kw: Any) -> str:
    return (
        f"CAST(EXTRACT(HOUR FROM ({compiler.process(element.clauses, **kw)} AT TIME ZONE 'Asia/Shanghai')) AS INTEGER)"
    )


class local_date(FunctionElement[date]):  # noqa: N801
    """Calendar date of an instant in Asia/Shanghai, comparable with Date columns on both engines.

    A fault reported at 00:30 local on a policy's first day is stored on the previous UTC day; policy
    periods are local dates, so the comparison must use the local date.
    """

    type = Date()
    inherit_cache = True


@compiles(local_date, "sqlite")
def _date_sqlite(element: local_date, compiler: Any, **kw: Any) -> str:
    # SQLite stores Date columns as 'YYYY-MM-DD' text, which date() also returns: text comparison is date order.
    return f"date({compiler.process(element.clauses, **kw)}, '+8 hours')"


@compiles(local_date, "postgresql")
def _date_pg(element: local_date, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)} AT TIME ZONE 'Asia/Shanghai') AS DATE)"


class seconds_between(FunctionElement[float]):  # noqa: N801
    """Seconds from instant `a` to instant `b` (b − a); NULL when either is NULL.

    Interval arithmetic differs per engine, so durations are turned into plain numbers in SQL.
    SQLite's julianday is a double; rounding to milliseconds removes its representation error so that
    exactly 30 minutes compares equal to 1800.
    """

    type = Float()
    inherit_cache = True


def _two_args(element: FunctionElement[Any], compiler: Any, **kw: Any) -> tuple[str, str]:
    a, b = list(element.clauses)
    return compiler.process(a, **kw), compiler.process(b, **kw)


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: Any, **kw: Any) -> str:
    a, b = _two_args(element, compiler, **kw)
    return f"ROUND((julianday({b}) - julianday({a})) * 86400.0, 3)"


@compiles(seconds_between, "postgresql")
def _seconds_pg(element: seconds_between, compiler: Any, **kw: Any) -> str:
    a, b = _two_args(element, compiler, **kw)
    return f"CAST(EXTRACT(EPOCH FROM ({b} - {a})) AS DOUBLE PRECISION)"


class whole_years_between(FunctionElement[int]):  # noqa: N801
    """Completed years from date `start` to date `end` (an age), the same rule on both engines.

    Year difference, minus one while the anniversary (month-day) has not been reached; someone born on
    29 February turns a year older on 1 March in non-leap years, as `indicators.minus_years` implies.
    """

    type = Integer()
    inherit_cache = True


@compiles(whole_years_between, "sqlite")
def _years_sqlite(element: whole_years_between, compiler: Any, **kw: Any) -> str:
    s, e = _two_args(element, compiler, **kw)
    return (
        f"(CAST(strftime('%Y', {e}) AS INTEGER) - CAST(strftime('%Y', {s}) AS INTEGER)"
        f" - (CASE WHEN strftime('%m-%d', {e}) < strftime('%m-%d', {s}) THEN 1 ELSE 0 END))"
    )


@compiles(whole_years_between, "postgresql")
def _years_pg(element: whole_years_between, compiler: Any, **kw: Any) -> str:
    s, e = _two_args(element, compiler, **kw)
    return (
        f"(CAST(EXTRACT(YEAR FROM {e}) AS INTEGER) - CAST(EXTRACT(YEAR FROM {s}) AS INTEGER)"
        f" - (CASE WHEN to_char({e}, 'MM-DD') < to_char({s}, 'MM-DD') THEN 1 ELSE 0 END))"
    )


def whole_seconds(a: SQLColumnExpression[Any], b: SQLColumnExpression[Any]) -> ColumnElement[int]:
    """seconds_between rounded to a whole second, as an integer (NULL if either is NULL).

    Means are summed from these and divided in Python: integer sums are exact however they were grouped, so
    a mean from the raw rows and one from the pre-aggregated tables round the same way (a float AVG does not).
    """
    return cast(func.round(seconds_between(a, b)), BigInteger)


class local_day_gap(FunctionElement[int]):  # noqa: N801  (reads as a SQL function)
    """Whole days from the local (Asia/Shanghai) calendar day of an instant to a later DATE."""

    type = Integer()
    inherit_cache = True


@compiles(local_day_gap, "sqlite")
def _gap_sqlite(element: local_day_gap, compiler: Any, **kw: Any) -> str:
    later, instant = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday(date({instant}, '+8 hours')) AS INTEGER)"


@compiles(local_day_gap, "postgresql")
def _gap_pg(element: local_day_gap, compiler: Any, **kw: Any) -> str:
    later, instant = (compiler.process(c, **kw) for c in element.clauses)
    return f"({later} - CAST(({instant} AT TIME ZONE 'Asia/Shanghai') AS DATE))"
