"""What counts in every four-party-council figure, defined once.

The overview, /red-property, the compound view and /councils all count meetings, resolved
items and overdue follow-ups; they agree because they all use these conditions:
- a meeting counts once it is held and not (soft-)deleted;
- an agenda item or follow-up counts while it is not deleted and its meeting counts;
- a follow-up is overdue on a day when it was due before that day and not done by then.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, and_, func, select
from sqlalchemy.orm import Session, aliased

from data_access.core.models import (
    AgendaItem,
    AgendaOutcome,
    Compound,
    CouncilAttendee,
    CouncilMeeting,
    FollowUp,
)
from data_access.core.rollup_tables import agg_council_day
from data_access.core.rules import counted_meeting, live_item, overdue_condition
from data_access.core.scope import ON_COMPOUND, Anchor, Area, within
from data_access.core.sqlfuncs import local_day_gap


def scope_council(stmt: Select, area: Area, compound_id: int | None = None) -> Select:
    """Restrict a statement with CouncilMeeting and Compound in its FROM to an area and, optionally, one compound.

    The compound is matched on the meeting's own column so the planner starts from that compound's meetings
    (ix_council_meeting_compound_held); on Compound.id SQLite scanned every resolved item of the province.
    """
    if compound_id is not None:
        stmt = stmt.where(CouncilMeeting.compound_id == compound_id)
    return within(stmt, area, ON_COMPOUND)


def items_from_meetings(*columns: Any) -> Select:
    """SELECT columns FROM counted items JOIN their counted meeting JOIN compound."""
    return (
        select(*columns)
        .select_from(AgendaItem)
        .join(CouncilMeeting, CouncilMeeting.id == AgendaItem.meeting_id)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .where(counted_meeting(), live_item())
    )


def resolved_items_from_rollups(session: Session, area: Area, first: date | None, last: date) -> int:
    t = agg_council_day.c
    agg = select(func.sum(t.resolved)).where(t.day <= last, *([t.day >= first] if first else []))
    return int(session.scalar(within(agg, area, Anchor(district=t.district_id))) or 0)


def resolved_items_from_raw(
    session: Session, area: Area, first: date | None, last: date, compound_id: int | None = None
) -> int:
    """Agenda items resolved from `first` (None: ever) to `last`, inclusive."""
    stmt = items_from_meetings(func.count()).where(
        AgendaItem.outcome == AgendaOutcome.resolved, AgendaItem.resolved_on <= last
    )
    if first is not None:
        stmt = stmt.where(AgendaItem.resolved_on >= first)
    return int(session.scalar(scope_council(stmt, area, compound_id)) or 0)


def overdue_follow_ups_from_rollups(session: Session, area: Area, as_of: date) -> int:
    t = agg_council_day.c
    agg = select(func.sum(t.overdue_from - t.overdue_cleared)).where(t.day <= as_of)
    return int(session.scalar(within(agg, area, Anchor(district=t.district_id))) or 0)


def overdue_follow_ups_from_raw(session: Session, area: Area, as_of: date, compound_id: int | None = None) -> int:
    stmt = (
        items_from_meetings(func.count())
        .join(FollowUp, FollowUp.agenda_item_id == AgendaItem.id)
        .where(overdue_condition(as_of))
    )
    return int(session.scalar(scope_council(stmt, area, compound_id)) or 0)


def parties_present(meeting_ids: Select) -> Subquery:
    """(meeting_id, n): how many of the four parties attended each of the given meetings. Read for those meetings
    only, not every year's attendees; a meeting without a row had nobody recorded (n = 0 once coalesced)."""
    return (
        select(
            CouncilAttendee.meeting_id.label("meeting_id"), func.count(func.distinct(CouncilAttendee.party)).label("n")
        )
        .where(CouncilAttendee.meeting_id.in_(meeting_ids))
        .group_by(CouncilAttendee.meeting_id)
        .subquery()
    )


def days_from_first_raising(stmt: Select) -> tuple[Select, ColumnElement[int]]:
    """`stmt` (agenda items joined to their meeting) joined to the meeting that first raised each item, and the whole
    days from that meeting to the item's resolution: an item carried over counts from the earlier item's meeting (one
    step back); otherwise, or when that meeting was deleted, from its own meeting. The resolution-time rule of every
    council figure (red_property.resolve_times_from_raw states the same)."""
    earlier_item = aliased(AgendaItem)
    earlier_meeting = aliased(CouncilMeeting)
    raised_at = func.coalesce(earlier_meeting.held_at, CouncilMeeting.held_at)
    joined = stmt.outerjoin(earlier_item, earlier_item.id == AgendaItem.carried_from_id).outerjoin(
        earlier_meeting, and_(earlier_meeting.id == earlier_item.meeting_id, earlier_meeting.deleted_at.is_(None))
    )
    return joined, local_day_gap(AgendaItem.resolved_on, raised_at)
