"""Work-order helpers shared by the complaint query modules (complaint_counts, complaint_cohorts,
complaint_compounds) and the page assembler in complaints.py; conventions as in data_access/complaints.py.

Months are indices (year × 12 + month − 1).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, func
from sqlalchemy.sql.expression import ColumnElement

from data_access.core.models import HotlineWorkOrder
from data_access.core.sqlfuncs import in_local_days

WO = HotlineWorkOrder
CENT = Decimal("0.01")
DAY_SECONDS = 24 * 60 * 60


def count_if(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def month_first(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_last(index: int) -> date:
    return month_first(index + 1) - timedelta(days=1)


def in_range(first: date, last: date) -> ColumnElement[bool]:
    return in_local_days(WO.received_at, first, last)


__all__ = ["CENT", "DAY_SECONDS", "WO", "count_if", "in_range", "month_first", "month_index", "month_last"]
