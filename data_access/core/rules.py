"""The programme's rules and the counting conventions every figure shares, defined once.

Time limits and bands come from the seeds (seed 000: 30-minute response, 24-hour major repair, 40–70
minute visits); when an elevator counts as insured, how a rule in force is chosen, how a mean or a ratio is
rounded, and what counts in a four-party-council figure. Page queries, the pre-aggregated tables' builders
and the writers all import these, so they cannot disagree.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol, TypeVar

from sqlalchemy import SQLColumnExpression, and_, case, exists
from sqlalchemy.sql.expression import ColumnElement

from data_access.core.models import (
    AgendaItem,
    CouncilMeeting,
    FollowUp,
    FollowUpStatus,
    InsurancePolicy,
    MeetingStatus,
    PooledEntryKind,
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


# --------------------------------------------------------------------------- pooled-account entries


POOLED_CREDITS = (PooledEntryKind.value_added_income, PooledEntryKind.premium_refund)


def pooled_signed(kind: Any, amount: Any) -> Any:
    """A pooled-account entry as it moves the balance: value-added income and refunded premiums in, everything else
    out. Every balance (the writer's check, the pages, the pre-aggregated timelines) is this sum, so a new kind of
    entry is classified here once."""
    return case((kind.in_(POOLED_CREDITS), amount), else_=-amount)


def pooled_used(kind: Any, amount: Any) -> Any:
    """A pooled-account entry as it counts in the account's uses: premiums and other uses, less premiums refunded
    (a cancelled policy's refund returns part of a use, it is not income); value-added income counts 0."""
    return case(
        (kind == PooledEntryKind.value_added_income, 0),
        (kind == PooledEntryKind.premium_refund, -amount),
        else_=amount,
    )


def net_premium(kind: Any, amount: Any) -> Any:
    """A pooled-account entry as premium spent: a premium in full, a refund of one negative, anything else 0."""
    return case(
        (kind == PooledEntryKind.premium, amount),
        (kind == PooledEntryKind.premium_refund, -amount),
        else_=0,
    )


def pro_rata_refund(premium_fen: int, start: date, end: date, cancelled_on: date) -> int:
    """The unearned part of a premium when cover stops on `cancelled_on` (days left over days paid for, rounded
    down to the fen): the figure a cancellation form suggests; the insurer's own statement is what is booked."""
    total = (end - start).days
    left = (end - cancelled_on).days
    if total <= 0 or left <= 0:
        return 0
    return premium_fen * min(left, total) // total


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


# --------------------------------------------------------------------------- the insurance procedure


class VoteRule(Protocol):
    """The parts of a ProgrammeRule the owners' vote needs."""

    @property
    def vote_participation_num(self) -> int: ...
    @property
    def vote_participation_den(self) -> int: ...
    @property
    def vote_approval_num(self) -> int: ...
    @property
    def vote_approval_den(self) -> int: ...


@dataclass(frozen=True)
class VoteFigures:
    """What the fund centre records of an owners' vote: owners by number and floor area (m²)."""

    owners_total: int
    area_total: Decimal
    participants: int
    participant_area: Decimal
    agree: int
    agree_area: Decimal


@dataclass(frozen=True)
class VoteResult:
    quorum_by_number: bool
    quorum_by_area: bool
    approved_by_number: bool
    approved_by_area: bool

    @property
    def passed(self) -> bool:
        return self.quorum_by_number and self.quorum_by_area and self.approved_by_number and self.approved_by_area


def vote_result(rule: VoteRule, v: VoteFigures) -> VoteResult:
    """Civil Code art. 278 by default: participation of at least num/den of the owners by number and by area,
    approval by more than num/den of the participants by number and by area. Compared as integers and Decimals
    (cross-multiplied), so 2/3 needs no rounding."""
    pn, pd = rule.vote_participation_num, rule.vote_participation_den
    an, ad = rule.vote_approval_num, rule.vote_approval_den
    return VoteResult(
        quorum_by_number=v.participants * pd >= pn * v.owners_total,
        quorum_by_area=v.participant_area * pd >= pn * v.area_total,
        approved_by_number=v.participants > 0 and v.agree * ad > an * v.participants,
        approved_by_area=v.participant_area > 0 and v.agree_area * ad > an * v.participant_area,
    )


class Stage(enum.StrEnum):
    """Where an application stands; derived from its record (application_stage), never stored."""

    filed = "filed"  # recorded, its notice not posted yet (or posted from a later day)
    in_notice = "in_notice"  # posted, the period still running
    notice_ended = "notice_ended"  # period over without objection, not yet concluded
    objected = "objected"  # a written objection: waits for the owners' vote
    approved = "approved"  # no objection, or the vote passed: the premium may be paid
    purchased = "purchased"  # policies bought
    vote_failed = "vote_failed"
    refused = "refused"
    withdrawn = "withdrawn"


STAGE_ORDER = tuple(Stage)  # the order lists and funnels show them in


def application_stage(
    decision: str,
    notice_from: date | None,
    notice_to: date | None,
    objections: int,
    policies: int,
    today: date,
) -> Stage:
    """The stage of an application on `today` from its record (`policies`: how many it has bought)."""
    if decision == "approved":
        return Stage.purchased if policies else Stage.approved
    if decision in ("vote_failed", "refused", "withdrawn"):
        return Stage(decision)
    if notice_from is None or notice_to is None or today < notice_from:
        return Stage.filed  # (a notice posted from a later day may still be re-dated)
    if objections:
        return Stage.objected
    if today <= notice_to:
        return Stage.in_notice
    return Stage.notice_ended
