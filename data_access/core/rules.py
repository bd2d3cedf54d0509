"""The programme's rules and the counting conventions every figure shares, defined once.

Time limits and bands come from the seeds (seed 000: 30-minute response, 24-hour major repair, 40–70
minute visits); when an elevator counts as insured, how a rule in force is chosen, how a mean or a ratio is
rounded, and what counts in a four-party-council figure. Page queries, the pre-aggregated tables' builders
and the writers all import these, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol, TypeVar

from sqlalchemy import SQLColumnExpression, and_, exists
from sqlalchemy.sql.expression import ColumnElement

from data_access.core.models import (
    AgendaItem,
    CouncilMeeting,
    FollowUp,
    FollowUpStatus,
    InsurancePolicy,
    MeetingStatus,
)

RESPONSE_LIMIT_SECONDS = 30 * 60  # seed 000: every fault responded within 30 minutes (also the statutory limit)
MAJOR_REPAIR_LIMIT_SECONDS = 24 * 60 * 60  # seed 000: major faults repaired within 24 hours
VISIT_BAND_MINUTES = (40, 70)  # seed 000: maintenance visits of 40–70 minutes (both ends included)
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-4", 0, 4),
    ("5-9", 5, 9),
    ("10-14", 10, 14),
    ("15+", 15, None),
)
DEFAULT_WARRANTY_YEARS = 5  # the national warranty period, for a city without a programme rule
REPEAT_FAULTS = 3  # an elevator with this many faults in the year is a repeat-fault elevator


def insured_on(elevator_id: SQLColumnExpression[int], day: SQLColumnExpression[date]) -> ColumnElement[bool]:
    """A policy of the elevator is in force on the local date (period_end is exclusive)."""
    return exists().where(
        InsurancePolicy.elevator_id == elevator_id,
        InsurancePolicy.period_start <= day,
        InsurancePolicy.period_end > day,
    )


# --------------------------------------------------------------------------- dates and rules in force


def year_start(d: date) -> date:
    return date(d.year, 1, 1)


def minus_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


class _Dated(Protocol):
    @property
    def effective_from(self) -> date: ...
    @property
    def effective_to(self) -> date | None: ...


R = TypeVar("R", bound=_Dated)


def rule_in_force(rules: Sequence[R], on: date) -> R | None:
    """programme_rule_for over a city's rules already loaded, ordered by effective_from."""
    current = [r for r in rules if r.effective_from <= on and (r.effective_to is None or on <= r.effective_to)]
    if current:
        return current[-1]
    past = [r for r in rules if r.effective_from <= on]
    return past[-1] if past else (rules[0] if rules else None)


# --------------------------------------------------------------------------- rounding


def ratio(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def exact_mean(total: int | None, n: int | None, unit: int = 1) -> Decimal | None:
    """total ÷ n ÷ unit, rounded half-up to 0.01 (None when n is 0)."""
    if not n:
        return None
    return (Decimal(int(total or 0)) / int(n) / unit).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- what counts in a council figure


def counted_meeting() -> Any:
    """A meeting counts once it is held and not (soft-)deleted."""
    return and_(CouncilMeeting.deleted_at.is_(None), CouncilMeeting.status == MeetingStatus.held)


def live_item() -> Any:
    return AgendaItem.deleted_at.is_(None)


def live_follow_up() -> Any:
    return FollowUp.deleted_at.is_(None)


def overdue_condition(as_of: date) -> Any:
    """Due before as_of and not done by then (done later counts as still open on as_of)."""
    done_by_then = and_(FollowUp.status == FollowUpStatus.done, FollowUp.completed_on <= as_of)
    return and_(live_follow_up(), FollowUp.due_on < as_of, ~done_by_then)
