"""SQL helpers shared by the elevator-page query modules (elevator_service, elevator_coverage, elevator_compounds).

The conventions of all of them are those of data_access/elevators.py.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func
from sqlalchemy.sql.expression import ColumnElement

from data_access.core.models import ElevatorFault
from data_access.core.sqlfuncs import in_local_days


def faults_in(first: date, last: date) -> ColumnElement[bool]:
    return in_local_days(ElevatorFault.reported_at, first, last)


def count_if(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def per_100(count: int, elevators: int) -> Decimal | None:
    if not elevators:
        return None
    return (Decimal(count) * 100 / Decimal(elevators)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


__all__ = ["count_if", "faults_in", "per_100"]
