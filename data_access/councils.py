"""Four-party council records: who may read what, the lists, one meeting in full, and roll-ups.

Reading is always through a `CouncilAccess` built from the signed-in viewer, so every list and
detail applies the same rule: organisers see their own compounds, leaders their city (or the
province), admins everything; the press sees published outcomes only and never a person's name.
Writes live in data_access.council_records.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from data_access.cache import cached_query
from data_access.core.clock import CITY_TZ
from data_access.core.models import (
    AgendaItem,
    AgendaItemWorkOrder,
    AgendaOutcome,
    AgendaPartyVote,
    AuditLog,
    Compound,
    CouncilAttachment,
    CouncilAttendee,
    CouncilMeeting,
    District,
    FollowUp,
    FollowUpStatus,
    HotlineWorkOrder,
)
from data_access.core.rollup_tables import agg_council_day
from data_access.core.rules import counted_meeting, live_follow_up, live_item, overdue_condition, year_start
from data_access.core.scope import ON_COMPOUND_DISTRICT, Anchor, Area, within, within_reach
from data_access.core.sqlfuncs import in_local_days, local_start
from data_access.council_access import (
    CARRY_OUTCOMES,
    PARTIES,
    CouncilAccess,
    NotFound,
    check_compound_readable,
    public_meeting,
    published_item,
    restrict,
)
from data_access.council_sql import days_from_first_raising, parties_present, scope_council
from data_access.facts import facts
from data_access.red_property import AgendaCount, QuarterCount, ResolveTimes, _resolve_times
from data_access.users import AccessDenied

LIST_LIMIT = 200  # rows a list shows on screen (ten pages of 20); the page says when there are more
EXPORT_LIMIT = 100_000  # rows an export may hold


# --------------------------------------------------------------------------- access


# --------------------------------------------------------------------------- filters and lists


@dataclass(frozen=True)
class CouncilFilter:
    area: Area = Area()
    compound_id: int | None = None
    category: str | None = None
    outcome: str | None = None
    first: date | None = None  # meeting days, local, inclusive
    last: date | None = None


def _filtered(stmt: Select, flt: CouncilFilter) -> Select:
    """Apply the filter to a statement that has Compound and District in its FROM already."""
    if flt.compound_id is not None:
        stmt = stmt.where(Compound.id == flt.compound_id)
    stmt = within(stmt, flt.area, ON_COMPOUND_DISTRICT)
    if flt.category:
        stmt = stmt.where(AgendaItem.category == flt.category)
    if flt.outcome:
        stmt = stmt.where(AgendaItem.outcome == flt.outcome)
    if flt.first:
        stmt = stmt.where(CouncilMeeting.held_at >= local_start(flt.first))
    if flt.last:
        stmt = stmt.where(CouncilMeeting.held_at < local_start(flt.last + timedelta(days=1)))
    return stmt


def _local_day(at: datetime) -> date:
    return at.astimezone(CITY_TZ).date()


@dataclass(frozen=True)
class ItemRow:
    item_id: int
    meeting_id: int
    held_on: date
    compound_id: int
    compound: str
    district: str
    district_en: str
    title: str
    category: str
    raising_party: str
    decision_method: str | None
    outcome: str | None
    follow_ups: int
    follow_ups_done: int
    overdue: int
    published: bool
    carried_from_id: int | None


def _follow_up_counts(as_of: date, item_ids: Select) -> Any:
    """Follow-up counts of the listed items only: counting every item's follow-ups and then keeping 500 rows
    made the list cost grow with the whole province's records."""
    done = func.sum(case((FollowUp.status == FollowUpStatus.done, 1), else_=0))
    overdue = func.sum(case((overdue_condition(as_of), 1), else_=0))
    return (
        select(
            FollowUp.agenda_item_id.label("item_id"),
            func.count().label("n"),
            done.label("done"),
            overdue.label("overdue"),
        )
        .where(live_follow_up(), FollowUp.agenda_item_id.in_(item_ids))
        .group_by(FollowUp.agenda_item_id)
        .subquery()
    )


@cached_query(councils=True)
def list_items(
    session: Session, access: CouncilAccess, flt: CouncilFilter, as_of: date, limit: int = LIST_LIMIT
) -> list[ItemRow]:
    """Agenda items of counted meetings, newest meeting first, with follow-up counts."""
    order = (CouncilMeeting.held_at.desc(), AgendaItem.meeting_id.desc(), AgendaItem.position, AgendaItem.id)
    # First the page of items (filtered, scoped, ordered, limited), then the follow-up counts of those alone.
    page = (
        select(
            AgendaItem.id.label("item_id"),
            CouncilMeeting.held_at.label("held_at"),
            AgendaItem.meeting_id.label("meeting_id"),
            AgendaItem.position.label("position"),
        )
        .select_from(AgendaItem)
        .join(CouncilMeeting, CouncilMeeting.id == AgendaItem.meeting_id)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(CouncilMeeting.deleted_at.is_(None), live_item())
        .order_by(*order)
        .limit(limit)
    )
    # The listed items all belong to the `limit` newest meetings that have a listed item, which SQLite finds by
    # walking its held_at index and stopping there, instead of sorting the whole area's items.
    listed_item = restrict(
        _filtered(select(AgendaItem.id).where(AgendaItem.meeting_id == CouncilMeeting.id, live_item()), flt), access
    )
    newest = (
        select(CouncilMeeting.id)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(CouncilMeeting.deleted_at.is_(None), listed_item.exists())
        .order_by(CouncilMeeting.held_at.desc(), CouncilMeeting.id.desc())
        .limit(limit)
    )
    if flt.compound_id is not None:  # one compound's meetings from its own index, not the province's newest first
        newest = newest.where(CouncilMeeting.compound_id == flt.compound_id)
    page = page.where(AgendaItem.meeting_id.in_(newest))
    # Computed once (inlined, SQLite ran it once per use of the page).
    page_sq = restrict(_filtered(page, flt), access).cte("item_page").prefix_with("MATERIALIZED")
    fu = _follow_up_counts(as_of, select(page_sq.c.item_id))
    stmt = (
        select(
            AgendaItem.id,
            CouncilMeeting.id,
            CouncilMeeting.held_at,
            Compound.id,
            Compound.name,
            District.name,
            District.name_en,
            AgendaItem.title,
            AgendaItem.category,
            AgendaItem.raising_party,
            AgendaItem.decision_method,
            AgendaItem.outcome,
            func.coalesce(fu.c.n, 0),
            func.coalesce(fu.c.done, 0),
            func.coalesce(fu.c.overdue, 0),
            AgendaItem.published_at.is_not(None),
            AgendaItem.carried_from_id,
        )
        .select_from(page_sq)
        .join(AgendaItem, AgendaItem.id == page_sq.c.item_id)
        .join(CouncilMeeting, CouncilMeeting.id == AgendaItem.meeting_id)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .join(District, District.id == Compound.district_id)
        .outerjoin(fu, fu.c.item_id == AgendaItem.id)
        # the page's own columns: ordered by the meeting table's index instead, SQLite scanned every meeting
        .order_by(page_sq.c.held_at.desc(), page_sq.c.meeting_id.desc(), page_sq.c.position, page_sq.c.item_id)
    )
    return [
        ItemRow(
            r[0],
            r[1],
            _local_day(r[2]),
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            _v(r[8]),
            _v(r[9]),
            _v(r[10]),
            _v(r[11]),
            int(r[12]),
            int(r[13]),
            int(r[14]),
            bool(r[15]),
            r[16],
        )
        for r in session.execute(stmt)
    ]


def _v(value: Any) -> Any:
    """Enum members as their plain string values (rows carry no ORM types)."""
    return getattr(value, "value", value)


@dataclass(frozen=True)
class MeetingRow:
    meeting_id: int
    held_at: datetime
    status: str
    compound_id: int
    compound: str
    district: str
    district_en: str
    venue: str
    convener: str
    missing_parties: tuple[str, ...]
    items: int
    resolved: int
    published: bool


@cached_query(councils=True)
def list_meetings(
    session: Session, access: CouncilAccess, flt: CouncilFilter, limit: int = LIST_LIMIT
) -> list[MeetingRow]:
    """Meetings (planned and held), newest first; which parties were absent is computed in SQL."""
    if access.published_only:
        raise AccessDenied("the press sees published outcomes, not meeting records")
    order = (CouncilMeeting.held_at.desc(), CouncilMeeting.id.desc())
    item_filter = [live_item()]
    if flt.category:
        item_filter.append(AgendaItem.category == flt.category)
    if flt.outcome:
        item_filter.append(AgendaItem.outcome == flt.outcome)
    # First the page of meetings (filtered, scoped, ordered, limited), then attendees and items of those alone.
    page = (
        select(CouncilMeeting.id.label("meeting_id"), CouncilMeeting.held_at.label("held_at"))
        .select_from(CouncilMeeting)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(CouncilMeeting.deleted_at.is_(None))
        .order_by(*order)
        .limit(limit)
    )
    if flt.category or flt.outcome:  # keep the meetings that have such an item
        page = page.where(exists().where(AgendaItem.meeting_id == CouncilMeeting.id, *item_filter))
    page = restrict(_filtered(page, CouncilFilter(flt.area, flt.compound_id, None, None, flt.first, flt.last)), access)
    # Computed once (inlined, SQLite ran it once per use and then scanned every meeting to join it).
    page_sq = page.cte("meeting_page").prefix_with("MATERIALIZED")
    listed = select(page_sq.c.meeting_id)
    present = (
        select(
            CouncilAttendee.meeting_id.label("meeting_id"),
            *[func.max(case((CouncilAttendee.party == p, 1), else_=0)).label(p) for p in PARTIES],
        )
        .where(CouncilAttendee.meeting_id.in_(listed))
        .group_by(CouncilAttendee.meeting_id)
        .subquery()
    )
    items_sq = (
        select(
            AgendaItem.meeting_id.label("meeting_id"),
            func.count().label("n"),
            func.sum(case((AgendaItem.outcome == AgendaOutcome.resolved, 1), else_=0)).label("resolved"),
            func.max(case((AgendaItem.published_at.is_not(None), 1), else_=0)).label("published"),
        )
        .where(AgendaItem.meeting_id.in_(listed), *item_filter)
        .group_by(AgendaItem.meeting_id)
        .subquery()
    )
    stmt = (
        select(
            CouncilMeeting.id,
            CouncilMeeting.held_at,
            CouncilMeeting.status,
            Compound.id,
            Compound.name,
            District.name,
            District.name_en,
            CouncilMeeting.venue,
            CouncilMeeting.convener,
            *[func.coalesce(getattr(present.c, p), 0) for p in PARTIES],
            func.coalesce(items_sq.c.n, 0),
            func.coalesce(items_sq.c.resolved, 0),
            func.coalesce(items_sq.c.published, 0),
        )
        .select_from(page_sq)
        .join(CouncilMeeting, CouncilMeeting.id == page_sq.c.meeting_id)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .join(District, District.id == Compound.district_id)
        .outerjoin(present, present.c.meeting_id == CouncilMeeting.id)
        .outerjoin(items_sq, items_sq.c.meeting_id == CouncilMeeting.id)
        .order_by(page_sq.c.held_at.desc(), page_sq.c.meeting_id.desc())  # the page's own columns, as for items
    )
    out = []
    for r in session.execute(stmt):
        flags = r[9:13]
        out.append(
            MeetingRow(
                r[0],
                r[1],
                _v(r[2]),
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                r[8],
                tuple(p for p, f in zip(PARTIES, flags, strict=True) if not f),
                int(r[13]),
                int(r[14]),
                bool(r[15]),
            )
        )
    return out


@dataclass(frozen=True)
class FollowUpRow:
    follow_up_id: int
    item_id: int
    meeting_id: int
    held_on: date
    compound: str
    district: str
    district_en: str
    item_title: str
    owner_party: str
    action: str
    contact_name: str | None  # None for the press
    due_on: date
    status: str
    completed_on: date | None
    overdue: bool


@cached_query(councils=True)
def list_follow_ups(
    session: Session,
    access: CouncilAccess,
    flt: CouncilFilter,
    as_of: date,
    overdue_only: bool = False,
    limit: int = LIST_LIMIT,
) -> list[FollowUpRow]:
    """Follow-ups of counted meetings' items, most overdue first."""
    overdue = overdue_condition(as_of)
    stmt = (
        select(
            FollowUp.id,
            AgendaItem.id,
            CouncilMeeting.id,
            CouncilMeeting.held_at,
            Compound.name,
            District.name,
            District.name_en,
            AgendaItem.title,
            FollowUp.owner_party,
            FollowUp.action,
            FollowUp.contact_name,
            FollowUp.due_on,
            FollowUp.status,
            FollowUp.completed_on,
            case((overdue, 1), else_=0),
        )
        .select_from(FollowUp)
        .join(AgendaItem, AgendaItem.id == FollowUp.agenda_item_id)
        .join(CouncilMeeting, CouncilMeeting.id == AgendaItem.meeting_id)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(counted_meeting(), live_item(), live_follow_up())
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(limit)
    )
    if overdue_only:
        stmt = stmt.where(overdue)
    stmt = restrict(_filtered(stmt, flt), access)
    return [
        FollowUpRow(
            r[0],
            r[1],
            r[2],
            _local_day(r[3]),
            r[4],
            r[5],
            r[6],
            r[7],
            _v(r[8]),
            r[9],
            r[10] if access.sees_names else None,
            r[11],
            _v(r[12]),
            r[13],
            bool(r[14]),
        )
        for r in session.execute(stmt)
    ]


@dataclass(frozen=True)
class CompoundOption:
    id: int
    name: str
    district_id: int


COMPOUND_OPTIONS_SHOWN = 50  # names a compound picker lists at once; typing searches the rest on the server


def compound_options(
    session: Session,
    access: CouncilAccess,
    area: Area,
    *,
    search: str | None = None,
    ids: Sequence[int] | None = None,
    limit: int | None = None,
) -> list[CompoundOption]:
    """Compounds the viewer may pick in the area: their own for organisers, else those with meetings; by name.
    `search` keeps names containing the text, `ids` those compounds (to check one a URL names), `limit` the first
    names (a province has tens of thousands of compounds: a picker lists a few and searches the rest)."""
    stmt = (
        select(Compound.id, Compound.name, Compound.district_id)
        .join(District, District.id == Compound.district_id)
        .order_by(Compound.name, Compound.id)
    )
    if search and search.strip():
        stmt = stmt.where(Compound.name.contains(search.strip(), autoescape=True))
    if ids is not None:
        stmt = stmt.where(Compound.id.in_(sorted(set(ids))))
    if limit is not None:
        stmt = stmt.limit(limit)
    if access.compound_ids is None:
        meetings = select(CouncilMeeting.id).where(CouncilMeeting.compound_id == Compound.id)
        if access.published_only:  # the press: compounds with a notice up, as its lists show them
            assert access.posted_by is not None
            meetings = meetings.where(public_meeting(access.posted_by))
        stmt = stmt.where(meetings.exists())
    stmt = _filtered(stmt, CouncilFilter(area=area))
    stmt = within_reach(stmt, ON_COMPOUND_DISTRICT, cities=access.city_ids, compounds=access.compound_ids)
    return [CompoundOption(*r) for r in session.execute(stmt)]


# --------------------------------------------------------------------------- one compound's meetings


@dataclass(frozen=True)
class CompoundMeeting:
    """A meeting as the compound view lists it: when, what was on its agenda, what came of it."""

    meeting_id: int
    held_on: date
    status: str
    items: int  # the items the viewer may see (the press: the published ones)
    resolved: int
    topics: tuple[str, ...]  # their titles, in agenda order
    notice_up: bool  # its public notice is posted (as of that day) and shows an item: /notices/<id> exists


COMPOUND_MEETINGS_SHOWN = 10


def compound_meetings(
    session: Session, access: CouncilAccess, compound_id: int, as_of: date, limit: int = COMPOUND_MEETINGS_SHOWN
) -> list[CompoundMeeting]:
    """The compound's latest meetings (planned ones too, which say so) narrowed by `restrict` as every council list
    is: an organiser of another compound gets none, the press only meetings whose notice is up and only their
    published items. Nobody's name is read."""
    stmt = (
        select(
            CouncilMeeting.id,
            CouncilMeeting.held_at,
            CouncilMeeting.status,
            func.count(AgendaItem.id),
            func.sum(case((AgendaItem.outcome == AgendaOutcome.resolved, 1), else_=0)),
        )
        .select_from(CouncilMeeting)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .join(District, District.id == Compound.district_id)
        .outerjoin(AgendaItem, and_(AgendaItem.meeting_id == CouncilMeeting.id, live_item()))
        .where(CouncilMeeting.compound_id == compound_id, CouncilMeeting.deleted_at.is_(None))
        .group_by(CouncilMeeting.id, CouncilMeeting.held_at, CouncilMeeting.status)
        .order_by(CouncilMeeting.held_at.desc(), CouncilMeeting.id.desc())
        .limit(limit)
    )
    rows = session.execute(restrict(stmt, access)).all()
    ids = [r[0] for r in rows]
    if not ids:
        return []
    topics: dict[int, list[str]] = {i: [] for i in ids}
    shown = select(AgendaItem.meeting_id, AgendaItem.title).where(AgendaItem.meeting_id.in_(ids), live_item())
    if access.published_only:
        shown = shown.where(published_item())
    for meeting_id, title in session.execute(shown.order_by(AgendaItem.position, AgendaItem.id)):
        topics[meeting_id].append(title)
    posted = set(session.scalars(select(CouncilMeeting.id).where(CouncilMeeting.id.in_(ids), public_meeting(as_of))))
    return [
        CompoundMeeting(
            r[0], _local_day(r[1]), _v(r[2]), int(r[3]), int(r[4] or 0), tuple(topics[r[0]]), r[0] in posted
        )
        for r in rows
    ]


# --------------------------------------------------------------------------- one meeting


@dataclass(frozen=True)
class AttendeeView:
    party: str
    name: str
    role: str | None


@dataclass(frozen=True)
class FollowUpView:
    id: int
    owner_party: str
    action: str
    contact_name: str | None
    due_on: date
    status: str
    completed_on: date | None
    overdue: bool


@dataclass(frozen=True)
class PartyVoteView:
    party: str
    votes_for: int
    votes_against: int
    votes_abstain: int


@dataclass(frozen=True)
class LinkedOrder:
    id: int
    order_no: str
    received_on: date
    category: str
    summary: str


@dataclass(frozen=True)
class ItemLink:
    item_id: int
    meeting_id: int
    held_on: date


@dataclass(frozen=True)
class ItemView:
    id: int
    position: int
    title: str
    category: str
    raising_party: str
    description: str | None
    discussion: str | None
    decision_method: str | None
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    party_votes: list[PartyVoteView]
    outcome: str | None
    resolution: str | None
    resolved_on: date | None
    published: bool
    carried_from: ItemLink | None
    carried_to: list[ItemLink]
    work_orders: list[LinkedOrder]
    follow_ups: list[FollowUpView]


@dataclass(frozen=True)
class AttachmentView:
    id: int
    kind: str
    filename: str
    content_type: str
    size_bytes: int
    uploaded_at: datetime


@dataclass(frozen=True)
class MeetingView:
    id: int
    compound_id: int
    compound: str
    district: str
    district_en: str
    city_id: int
    held_at: datetime
    status: str
    venue: str
    convener: str | None  # None for the press
    version: int
    created_at: datetime | None
    updated_at: datetime | None
    deleted_at: datetime | None
    notice_from: date | None
    notice_to: date | None
    attendees: list[AttendeeView]
    items: list[ItemView]
    attachments: list[AttachmentView]
    editable: bool  # the viewer may change this record

    @property
    def held_on(self) -> date:
        return _local_day(self.held_at)

    @property
    def missing_parties(self) -> tuple[str, ...]:
        present = {a.party for a in self.attendees}
        return tuple(p for p in PARTIES if p not in present)

    @property
    def published(self) -> bool:
        return self.notice_from is not None and any(i.published for i in self.items)


def meeting_view(session: Session, access: CouncilAccess, meeting_id: int, as_of: date) -> MeetingView:
    """One meeting in full; the press gets its public-notice form (published items, no names), once it is posted."""
    if access.published_only:
        assert access.posted_by is not None
        view = _notice_view(session, meeting_id, access.posted_by, as_of)
        if view is None:
            raise NotFound(meeting_id)  # an unpublished (or not yet posted) meeting does not exist for the press
        return view
    row = session.execute(
        select(CouncilMeeting, Compound.name, District.name, District.name_en, District.city_id)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(CouncilMeeting.id == meeting_id)
    ).first()
    if row is None:
        raise NotFound(meeting_id)
    m, compound, district, district_en, city_id = row
    check_compound_readable(session, access, m.compound_id)
    return _full_view(session, m, compound, district, district_en, city_id, as_of, access.may_write(m.compound_id))


def meeting_visible(session: Session, access: CouncilAccess, meeting_id: int) -> bool:
    """Whether meeting_view would show this meeting to the viewer (cheaply: no items, names or history are read).
    Deciding the page's HTTP status needs this, not the record."""
    if access.published_only:
        assert access.posted_by is not None
        found = session.scalar(
            select(CouncilMeeting.id).where(CouncilMeeting.id == meeting_id, public_meeting(access.posted_by))
        )
        return found is not None
    compound_id = session.scalar(select(CouncilMeeting.compound_id).where(CouncilMeeting.id == meeting_id))
    if compound_id is None:
        return False
    try:
        check_compound_readable(session, access, compound_id)
    except (NotFound, AccessDenied):
        return False
    return True


def _full_view(
    session: Session,
    m: CouncilMeeting,
    compound: str,
    district: str,
    district_en: str,
    city_id: int,
    as_of: date,
    editable: bool,
    published_only: bool = False,
) -> MeetingView:
    item_stmt = select(AgendaItem).where(AgendaItem.meeting_id == m.id, live_item())
    if published_only:
        item_stmt = item_stmt.where(published_item())
    items = list(session.scalars(item_stmt.order_by(AgendaItem.position, AgendaItem.id)))
    ids = [i.id for i in items]
    follow_ups: dict[int, list[FollowUpView]] = {i: [] for i in ids}
    votes: dict[int, list[PartyVoteView]] = {i: [] for i in ids}
    orders: dict[int, list[LinkedOrder]] = {i: [] for i in ids}
    carried_to: dict[int, list[ItemLink]] = {i: [] for i in ids}
    carried_from: dict[int, ItemLink] = {}
    if ids:
        overdue = overdue_condition(as_of)
        for f, is_overdue in session.execute(
            select(FollowUp, case((overdue, 1), else_=0))
            .where(FollowUp.agenda_item_id.in_(ids), live_follow_up())
            .order_by(FollowUp.due_on, FollowUp.id)
        ):
            follow_ups[f.agenda_item_id].append(
                FollowUpView(
                    f.id,
                    _v(f.owner_party),
                    f.action,
                    None if published_only else f.contact_name,
                    f.due_on,
                    _v(f.status),
                    f.completed_on,
                    bool(is_overdue),
                )
            )
        for v in session.scalars(select(AgendaPartyVote).where(AgendaPartyVote.agenda_item_id.in_(ids))):
            votes[v.agenda_item_id].append(PartyVoteView(_v(v.party), v.votes_for, v.votes_against, v.votes_abstain))
        for item_id, o in session.execute(
            select(AgendaItemWorkOrder.agenda_item_id, HotlineWorkOrder)
            .join(HotlineWorkOrder, HotlineWorkOrder.id == AgendaItemWorkOrder.work_order_id)
            .where(AgendaItemWorkOrder.agenda_item_id.in_(ids))
            .order_by(HotlineWorkOrder.received_at)
        ):
            orders[item_id].append(LinkedOrder(o.id, o.order_no, _local_day(o.received_at), _v(o.category), o.summary))
        later = session.execute(
            select(AgendaItem.carried_from_id, AgendaItem.id, CouncilMeeting.id, CouncilMeeting.held_at)
            .join(CouncilMeeting, CouncilMeeting.id == AgendaItem.meeting_id)
            .where(AgendaItem.carried_from_id.in_(ids), live_item(), CouncilMeeting.deleted_at.is_(None))
        )
        for src, item_id, meeting_id, held in later:
            carried_to[src].append(ItemLink(item_id, meeting_id, _local_day(held)))
        sources = [i.carried_from_id for i in items if i.carried_from_id]
        if sources:
            for item_id, meeting_id, held in session.execute(
                select(AgendaItem.id, CouncilMeeting.id, CouncilMeeting.held_at)
                .join(CouncilMeeting, CouncilMeeting.id == AgendaItem.meeting_id)
                .where(AgendaItem.id.in_(sources))
            ):
                carried_from[item_id] = ItemLink(item_id, meeting_id, _local_day(held))
    party_order = {p: n for n, p in enumerate(PARTIES)}
    attendees = (
        []
        if published_only
        else [
            AttendeeView(_v(a.party), a.name, a.role)
            for a in session.scalars(select(CouncilAttendee).where(CouncilAttendee.meeting_id == m.id))
        ]
    )
    attendees.sort(key=lambda a: (party_order[a.party], a.name))
    attachments = (
        []
        if published_only
        else [
            AttachmentView(a.id, _v(a.kind), a.filename, a.content_type, a.size_bytes, a.uploaded_at)
            for a in session.scalars(
                select(CouncilAttachment)
                .where(CouncilAttachment.meeting_id == m.id, CouncilAttachment.deleted_at.is_(None))
                .order_by(CouncilAttachment.uploaded_at, CouncilAttachment.id)
            )
        ]
    )
    return MeetingView(
        id=m.id,
        compound_id=m.compound_id,
        compound=compound,
        district=district,
        district_en=district_en,
        city_id=city_id,
        held_at=m.held_at,
        status=_v(m.status),
        venue=m.venue,
        convener=None if published_only else m.convener,
        version=m.version,
        created_at=m.created_at,
        updated_at=m.updated_at,
        deleted_at=m.deleted_at,
        notice_from=m.notice_from,
        notice_to=m.notice_to,
        attendees=attendees,
        items=[
            ItemView(
                id=i.id,
                position=i.position,
                title=i.title,
                category=_v(i.category),
                raising_party=_v(i.raising_party),
                description=None if published_only else i.description,
                discussion=None if published_only else i.discussion,
                decision_method=_v(i.decision_method),
                votes_for=i.votes_for,
                votes_against=i.votes_against,
                votes_abstain=i.votes_abstain,
                party_votes=sorted(votes[i.id], key=lambda v: party_order[v.party]),
                outcome=_v(i.outcome),
                resolution=i.resolution,
                resolved_on=i.resolved_on,
                published=i.published_at is not None,
                carried_from=carried_from.get(i.carried_from_id) if i.carried_from_id else None,
                carried_to=carried_to[i.id],
                work_orders=[] if published_only else orders[i.id],
                follow_ups=follow_ups[i.id],
            )
            for i in items
        ],
        attachments=attachments,
        editable=editable and m.deleted_at is None,
    )


def _notice_view(session: Session, meeting_id: int, posted_by: date, as_of: date) -> MeetingView | None:
    """A meeting's public notice if it is up on `posted_by` (council_access.public_meeting: posted, with an item to
    show); its follow-ups' overdue flags as of `as_of`."""
    row = session.execute(
        select(CouncilMeeting, Compound.name, District.name, District.name_en, District.city_id)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(CouncilMeeting.id == meeting_id, public_meeting(posted_by))
    ).first()
    if row is None:
        return None
    view = _full_view(session, row[0], row[1], row[2], row[3], row[4], as_of, editable=False, published_only=True)
    return view if view.items else None


def public_notice(session: Session, meeting_id: int, today: date) -> MeetingView | None:
    """The public notice of a meeting's outcomes, once its posting has begun: what residents and the press see."""
    return _notice_view(session, meeting_id, today, today)


# --------------------------------------------------------------------------- history


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    username: str | None
    action: str
    entity: str
    entity_id: int | None
    label: str | None
    changes: list[tuple[str, Any, Any]]  # (field, old, new)


def meeting_history(session: Session, access: CouncilAccess, meeting_id: int) -> list[HistoryEntry]:
    """Every audited change to the meeting, its items, follow-ups and attachments, oldest first."""
    if access.published_only:
        raise AccessDenied("the record's history names people")
    compound_id = session.scalar(select(CouncilMeeting.compound_id).where(CouncilMeeting.id == meeting_id))
    if compound_id is None:
        raise NotFound(meeting_id)
    check_compound_readable(session, access, compound_id)
    item_ids = select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id)
    fu_ids = select(FollowUp.id).where(FollowUp.agenda_item_id.in_(item_ids))
    att_ids = select(CouncilAttachment.id).where(CouncilAttachment.meeting_id == meeting_id)
    stmt = (
        select(AuditLog)
        .where(
            or_(
                and_(AuditLog.entity == "council_meeting", AuditLog.entity_id == meeting_id),
                and_(AuditLog.entity == "agenda_item", AuditLog.entity_id.in_(item_ids)),
                and_(AuditLog.entity == "follow_up", AuditLog.entity_id.in_(fu_ids)),
                and_(AuditLog.entity == "council_attachment", AuditLog.entity_id.in_(att_ids)),
            )
        )
        .order_by(AuditLog.at, AuditLog.id)
    )
    out = []
    for a in session.scalars(stmt):
        detail = json.loads(a.detail) if a.detail else {}
        changes = [(k, v[0], v[1]) for k, v in (detail.get("changes") or {}).items()]
        out.append(HistoryEntry(a.at, a.username, a.action, a.entity, a.entity_id, detail.get("label"), changes))
    return out


# --------------------------------------------------------------------------- a new meeting's defaults


@dataclass(frozen=True)
class MeetingDefaults:
    """What a new meeting's form can take from the compound's latest meeting: councils meet at a usual hour and
    place, convened by the same secretary."""

    held_at: datetime  # local; the latest day on or before `now` at the usual hour (a held meeting is never ahead)
    venue: str | None
    convener: str | None


def meeting_defaults(session: Session, access: CouncilAccess, compound_id: int, now: datetime) -> MeetingDefaults:
    """The form's first values for a new meeting of a compound the organiser records: the latest meeting's hour, venue
    and convener (its own compound's only: the caller's access must be allowed to write it); without one, now."""
    if not access.may_write(compound_id):
        raise AccessDenied("only the compound's organiser records its meetings")
    latest = session.execute(
        select(CouncilMeeting.held_at, CouncilMeeting.venue, CouncilMeeting.convener)
        .where(CouncilMeeting.compound_id == compound_id, CouncilMeeting.deleted_at.is_(None))
        .order_by(CouncilMeeting.held_at.desc(), CouncilMeeting.id.desc())
        .limit(1)
    ).first()
    local_now = now.astimezone(CITY_TZ).replace(second=0, microsecond=0)
    if latest is None:
        return MeetingDefaults(local_now.replace(minute=local_now.minute - local_now.minute % 30), None, None)
    hour = latest[0].astimezone(CITY_TZ).timetz()
    held_at = datetime.combine(local_now.date(), hour)
    if held_at > local_now:
        held_at -= timedelta(days=1)
    return MeetingDefaults(held_at, latest[1] or None, latest[2] or None)


# --------------------------------------------------------------------------- carry-over


@dataclass(frozen=True)
class CarryCandidate:
    item_id: int
    meeting_id: int
    held_on: date
    title: str
    category: str
    raising_party: str
    outcome: str
    description: str | None


def carry_candidates(session: Session, compound_id: int, before: datetime | None = None) -> list[CarryCandidate]:
    """Deferred or partly resolved items of the compound's meetings (held before `before`, if given) that no
    later item has taken up yet."""
    later = (
        select(AgendaItem.id)
        .join(CouncilMeeting, CouncilMeeting.id == AgendaItem.meeting_id)
        .where(CouncilMeeting.deleted_at.is_(None), live_item())
    )
    taken = later.where(AgendaItem.carried_from_id.is_not(None)).with_only_columns(AgendaItem.carried_from_id)
    stmt = (
        select(
            AgendaItem.id,
            CouncilMeeting.id,
            CouncilMeeting.held_at,
            AgendaItem.title,
            AgendaItem.category,
            AgendaItem.raising_party,
            AgendaItem.outcome,
            AgendaItem.description,
        )
        .join(CouncilMeeting, CouncilMeeting.id == AgendaItem.meeting_id)
        .where(
            CouncilMeeting.compound_id == compound_id,
            counted_meeting(),
            live_item(),
            AgendaItem.outcome.in_(CARRY_OUTCOMES),
            AgendaItem.id.not_in(taken),
        )
        .order_by(CouncilMeeting.held_at, AgendaItem.position, AgendaItem.id)
    )
    if before is not None:
        stmt = stmt.where(CouncilMeeting.held_at < before)
    return [
        CarryCandidate(r[0], r[1], _local_day(r[2]), r[3], _v(r[4]), _v(r[5]), _v(r[6]), r[7])
        for r in session.execute(stmt)
    ]


@dataclass(frozen=True)
class OrderOption:
    id: int
    order_no: str
    received_on: date
    category: str
    summary: str


def work_order_options(session: Session, compound_id: int, until: date, days: int = 180) -> list[OrderOption]:
    """The compound's hotline work orders of the half-year before a meeting, to link items to."""
    first = until - timedelta(days=days)
    stmt = (
        select(
            HotlineWorkOrder.id,
            HotlineWorkOrder.order_no,
            HotlineWorkOrder.received_at,
            HotlineWorkOrder.category,
            HotlineWorkOrder.summary,
        )
        .where(HotlineWorkOrder.compound_id == compound_id, in_local_days(HotlineWorkOrder.received_at, first, until))
        .order_by(HotlineWorkOrder.received_at.desc())
        .limit(200)
    )
    return [OrderOption(r[0], r[1], _local_day(r[2]), _v(r[3]), r[4]) for r in session.execute(stmt)]


# --------------------------------------------------------------------------- roll-ups


@dataclass(frozen=True)
class CouncilRollup:
    """The council figures of an area (or one compound): the numbers every page shows."""

    as_of: date
    meetings_in_year: int
    incomplete_meetings_in_year: int  # a party absent
    items_in_year: int
    resolved_in_year: int
    resolved_total: int
    follow_ups_due: int  # due on or before as_of
    follow_ups_done_when_due: int  # of those, done by as_of
    overdue_follow_ups: int
    quarters: list[QuarterCount]
    agenda: list[AgendaCount]
    resolve: ResolveTimes

    @property
    def follow_up_completion(self) -> float | None:
        return self.follow_ups_done_when_due / self.follow_ups_due if self.follow_ups_due else None


@cached_query(councils=True)
def council_rollup(session: Session, area: Area, as_of: date, compound_id: int | None = None) -> CouncilRollup:
    """The council figures of an area (or one compound) at as_of: this year's meetings and items, follow-ups due
    and done, resolution times; each fact from the session's council reader."""
    councils = facts(session).councils
    start = year_start(as_of)
    n_meetings, n_incomplete, n_due, n_done = councils.meeting_sums(area, as_of, compound_id)
    agenda = councils.agenda_by_category(area, as_of, compound_id)
    return CouncilRollup(
        as_of=as_of,
        meetings_in_year=n_meetings,
        incomplete_meetings_in_year=n_incomplete,
        items_in_year=sum(a.items for a in agenda),
        resolved_in_year=councils.resolved_items(area, start, as_of, compound_id),
        resolved_total=councils.resolved_items(area, None, as_of, compound_id),
        follow_ups_due=n_due,
        follow_ups_done_when_due=n_done,
        overdue_follow_ups=councils.overdue_follow_ups(area, as_of, compound_id),
        quarters=councils.meetings_by_quarter(area, as_of, compound_id),
        agenda=agenda,
        resolve=councils.resolve_times(area, as_of, compound_id),
    )


# --------------------------------------------------------------------------- the list page's figures


@dataclass(frozen=True)
class CouncilFigures:
    """The /councils cards: what the page's lists match (their filter, the viewer's access), counted in SQL.

    Meetings, items and resolution times are of the meetings held from `first` to `last`: the filter's dates when it
    has any (`dated`), else this year up to as_of. Follow-ups are those of every meeting the filter matches (its
    dates, if any) as they stand on as_of, as the overdue list shows them."""

    as_of: date
    first: date | None  # None: since the first record
    last: date
    dated: bool  # the period is the filter's own dates
    meetings: int  # held (council_sql: counted meetings) with an item the filter matches, or any when it names none
    incomplete_meetings: int  # of them, a party absent
    items: int
    resolved: int  # of the items, resolved
    resolve: ResolveTimes  # the resolved items: days from first raising
    follow_ups_due: int  # due on or before as_of
    follow_ups_done_when_due: int  # of those, done by as_of
    overdue_follow_ups: int

    @property
    def follow_up_completion(self) -> float | None:
        return self.follow_ups_done_when_due / self.follow_ups_due if self.follow_ups_due else None


def figures_period(flt: CouncilFilter, as_of: date) -> tuple[date | None, date, bool]:
    """(first, last, dated): the filter's dates, the open end of `last` being as_of; without any, this year."""
    if flt.first is None and flt.last is None:
        return year_start(as_of), as_of, False
    return flt.first, flt.last or as_of, True


def _council_rows(stmt: Select, access: CouncilAccess, flt: CouncilFilter) -> Select:
    """A statement over counted meetings (with Compound, District and AgendaItem in its FROM) narrowed exactly as the
    lists narrow theirs: the filter (`_filtered`) and the viewer's access (`restrict`)."""
    return restrict(_filtered(stmt.where(counted_meeting()), flt), access)


def _rollups_answer(access: CouncilAccess, flt: CouncilFilter) -> bool:
    """Whether the page's default view is asked (this year, a place, no compound, category or outcome) by a viewer
    who reads every record of that place: then the figures are council_rollup's, which the session's council reader
    answers from the pre-aggregated tables. Anything narrower is counted from the records themselves."""
    if flt.first or flt.last or flt.compound_id is not None or flt.category or flt.outcome:
        return False
    if access.published_only or access.compound_ids is not None:
        return False
    return access.city_ids is None or flt.area.city_id in access.city_ids


@cached_query(councils=True)
def council_figures(session: Session, access: CouncilAccess, flt: CouncilFilter, as_of: date) -> CouncilFigures:
    """The card figures of the council lists' filter for this viewer: a date range without meetings gives zeros, never
    the year's. The default view is read like the overview's roll-up (the same definitions, from the session's council
    reader: tests/test_council_cards compares both ways); every other filter by `figures_from_records`."""
    if not _rollups_answer(access, flt):
        return figures_from_records(session, access, flt, as_of)
    councils = facts(session).councils
    first, last, dated = figures_period(flt, as_of)
    n_meetings, n_incomplete, n_due, n_done = councils.meeting_sums(flt.area, as_of)
    agenda = councils.agenda_by_category(flt.area, as_of)
    return CouncilFigures(
        as_of=as_of,
        first=first,
        last=last,
        dated=dated,
        meetings=n_meetings,
        incomplete_meetings=n_incomplete,
        items=sum(a.items for a in agenda),
        resolved=sum(a.items for a in agenda if a.outcome == AgendaOutcome.resolved.value),
        resolve=_resolve_days(session, access, replace(flt, first=first, last=last)),
        follow_ups_due=n_due,
        follow_ups_done_when_due=n_done,
        overdue_follow_ups=councils.overdue_follow_ups(flt.area, as_of),
    )


def _resolve_days(session: Session, access: CouncilAccess, in_period: CouncilFilter) -> ResolveTimes:
    """The resolved items of the period's matching meetings: days from the meeting that first raised each one."""
    resolved, gap = days_from_first_raising(
        select()
        .select_from(AgendaItem)
        .join(CouncilMeeting, CouncilMeeting.id == AgendaItem.meeting_id)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(live_item(), AgendaItem.outcome == AgendaOutcome.resolved, AgendaItem.resolved_on.is_not(None))
    )
    labelled = gap.label("gap")
    by_gap = _council_rows(resolved.add_columns(labelled, func.count()), access, in_period).group_by(labelled)
    return _resolve_times({int(g): int(n) for g, n in session.execute(by_gap)})


def figures_from_records(session: Session, access: CouncilAccess, flt: CouncilFilter, as_of: date) -> CouncilFigures:
    """The card figures counted in SQL over the rows the lists' own conditions (`_filtered`, `restrict`) keep."""
    first, last, dated = figures_period(flt, as_of)
    in_period = replace(flt, first=first, last=last)
    # Meetings: any item (outer join) satisfies an item-free filter; a category, outcome or the press's published-only
    # rule keeps the meetings with such an item, as list_meetings does.
    meeting_ids = _council_rows(
        select(CouncilMeeting.id)
        .select_from(CouncilMeeting)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .join(District, District.id == Compound.district_id)
        .outerjoin(AgendaItem, and_(AgendaItem.meeting_id == CouncilMeeting.id, live_item())),
        access,
        in_period,
    ).distinct()
    matched = meeting_ids.subquery()
    parties = parties_present(select(matched.c.id))
    n_meetings, n_incomplete = session.execute(
        select(func.count(), func.sum(case((func.coalesce(parties.c.n, 0) < len(PARTIES), 1), else_=0)))
        .select_from(matched)
        .outerjoin(parties, parties.c.meeting_id == matched.c.id)
    ).one()
    items = (
        select(func.count(), func.sum(case((AgendaItem.outcome == AgendaOutcome.resolved, 1), else_=0)))
        .select_from(AgendaItem)
        .join(CouncilMeeting, CouncilMeeting.id == AgendaItem.meeting_id)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(live_item())
    )
    n_items, n_resolved = session.execute(_council_rows(items, access, in_period)).one()
    done_by_then = and_(FollowUp.status == FollowUpStatus.done, FollowUp.completed_on <= as_of)
    is_due = FollowUp.due_on <= as_of
    follow_ups = (
        select(
            func.sum(case((is_due, 1), else_=0)),
            func.sum(case((and_(is_due, done_by_then), 1), else_=0)),
            func.sum(case((overdue_condition(as_of), 1), else_=0)),
        )
        .select_from(FollowUp)
        .join(AgendaItem, AgendaItem.id == FollowUp.agenda_item_id)
        .join(CouncilMeeting, CouncilMeeting.id == AgendaItem.meeting_id)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(live_item(), live_follow_up())
    )
    n_due, n_done, n_overdue = session.execute(_council_rows(follow_ups, access, flt)).one()
    return CouncilFigures(
        as_of=as_of,
        first=first,
        last=last,
        dated=dated,
        meetings=int(n_meetings or 0),
        incomplete_meetings=int(n_incomplete or 0),
        items=int(n_items or 0),
        resolved=int(n_resolved or 0),
        resolve=_resolve_days(session, access, in_period),
        follow_ups_due=int(n_due or 0),
        follow_ups_done_when_due=int(n_done or 0),
        overdue_follow_ups=int(n_overdue or 0),
    )


MeetingSums = tuple[int, int, int, int]  # meetings this year, of them incomplete, follow-ups due, done when due


def meeting_sums_from_rollups(session: Session, area: Area, as_of: date) -> MeetingSums:
    """council_rollup's meeting and follow-up sums from agg_council_day."""
    start = year_start(as_of)
    t = agg_council_day.c
    in_year = and_(t.day >= start, t.day <= as_of)
    sums = select(
        func.sum(case((in_year, t.meetings), else_=0)),
        func.sum(case((in_year, t.incomplete_meetings), else_=0)),
        func.sum(t.follow_ups_due),
        func.sum(t.follow_ups_done_settled),
    ).where(t.day <= as_of)
    n_meetings, n_incomplete, n_due, n_done = session.execute(within(sums, area, Anchor(district=t.district_id))).one()
    return _ints(n_meetings, n_incomplete, n_due, n_done)


def meeting_sums_from_raw(session: Session, area: Area, as_of: date, compound_id: int | None = None) -> MeetingSums:
    """council_rollup's meeting and follow-up sums from the meetings, attendees and follow-ups themselves."""
    start = year_start(as_of)
    in_year = in_local_days(CouncilMeeting.held_at, start, as_of)
    # The attendees are read for the meetings the outer statement can match: one compound's when it is given
    # (issue 18: for the deck's case compound SQLite counted every meeting's parties of the year).
    held = select(CouncilMeeting.id).where(in_year)
    parties = parties_present(held if compound_id is None else held.where(CouncilMeeting.compound_id == compound_id))
    meetings = scope_council(
        select(func.count(), func.sum(case((func.coalesce(parties.c.n, 0) < len(PARTIES), 1), else_=0)))
        .select_from(CouncilMeeting)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .outerjoin(parties, parties.c.meeting_id == CouncilMeeting.id)
        .where(counted_meeting(), in_year),
        area,
        compound_id,
    )
    n_meetings, n_incomplete = session.execute(meetings).one()
    done_by_then = and_(FollowUp.status == FollowUpStatus.done, FollowUp.completed_on <= as_of)
    due = scope_council(
        select(func.count(), func.sum(case((done_by_then, 1), else_=0)))
        .select_from(FollowUp)
        .join(AgendaItem, AgendaItem.id == FollowUp.agenda_item_id)
        .join(CouncilMeeting, CouncilMeeting.id == AgendaItem.meeting_id)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .where(counted_meeting(), live_item(), live_follow_up(), FollowUp.due_on <= as_of),
        area,
        compound_id,
    )
    n_due, n_done = session.execute(due).one()
    return _ints(n_meetings, n_incomplete, n_due, n_done)


def _ints(a: int | None, b: int | None, c: int | None, d: int | None) -> MeetingSums:
    return int(a or 0), int(b or 0), int(c or 0), int(d or 0)
