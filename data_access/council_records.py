"""Recording four-party councils: validate everything, then write, audit and version in one transaction.

Every function here takes the viewer's `CouncilAccess` and checks it itself (only an organiser
bound to the compound may write), raises `Invalid` with field-level errors before touching a row,
refuses a save made from an older copy (`StaleEdit`), and adds an audit entry with old and new
values for every row it creates, changes or soft-deletes. The caller commits (or rolls back).
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypedDict, Unpack

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from data_access.core.clock import CITY_TZ
from data_access.core.dataset import bump_council_generation
from data_access.core.models import (
    AgendaCategory,
    AgendaItem,
    AgendaItemWorkOrder,
    AgendaOutcome,
    AgendaPartyVote,
    AttachmentKind,
    CouncilAttachment,
    CouncilAttendee,
    CouncilMeeting,
    DecisionMethod,
    FollowUp,
    FollowUpStatus,
    HotlineWorkOrder,
    MeetingStatus,
)
from data_access.council_access import (
    CARRY_OUTCOMES,
    FOLLOW_UP_OUTCOMES,
    PARTIES,
    CouncilAccess,
    NotFound,
    check_compound_readable,
)
from data_access.rollup_refresh import refresh_council_rollups
from data_access.uploads import ATTACHMENT_MAX_BYTES, display_name, sniff_type, store_file
from data_access.users import AccessDenied, audit

TITLE_MAX = 120
VENUE_MAX = 120
NAME_MAX = 60
ACTION_MAX = 200
TEXT_MAX = 2_000
ATTENDEES_MAX = 200
ITEMS_MAX = 30
FOLLOW_UPS_MAX = 10
NOTICE_DAYS_MAX = 90


# --------------------------------------------------------------------------- inputs and errors


@dataclass(frozen=True)
class FieldError:
    """A message (catalogue key + parameters) for one field; item/follow_up are list positions."""

    field: str
    key: str
    # `dataclasses.field`: the attribute above shadows the bare name inside this class body.
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    item: int | None = None
    follow_up: int | None = None


class _Where(TypedDict, total=False):
    """Which list positions a `FieldError` points at (its `item` and `follow_up`)."""

    item: int
    follow_up: int


class Invalid(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(f"{len(errors)} invalid field(s)")
        self.errors = errors


class StaleEdit(Exception):
    """The record changed since the editor opened it; their save is refused and the other kept."""

    def __init__(self, current_version: int) -> None:
        super().__init__(f"the record is at version {current_version}")
        self.current_version = current_version


@dataclass
class AttendeeInput:
    party: str
    name: str
    role: str | None = None


@dataclass
class FollowUpInput:
    owner_party: str | None
    action: str
    contact_name: str
    due_on: date | None
    status: str = FollowUpStatus.open.value
    completed_on: date | None = None
    id: int | None = None


@dataclass
class ItemInput:
    title: str
    category: str | None
    raising_party: str | None
    description: str = ""
    discussion: str = ""
    decision_method: str | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    party_votes: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    outcome: str | None = None
    resolution: str = ""
    carried_from_id: int | None = None
    work_order_ids: list[int] = field(default_factory=list)
    follow_ups: list[FollowUpInput] = field(default_factory=list)
    id: int | None = None


@dataclass
class MeetingInput:
    compound_id: int
    held_at: datetime | None
    status: str
    venue: str
    convener: str
    attendees: list[AttendeeInput] = field(default_factory=list)
    items: list[ItemInput] = field(default_factory=list)

    @property
    def held_on(self) -> date | None:
        return self.held_at.astimezone(CITY_TZ).date() if self.held_at else None


# --------------------------------------------------------------------------- validation


def _text(
    errors: list[FieldError], value: str | None, name: str, limit: int, required: bool, **where: Unpack[_Where]
) -> None:
    if required and not (value or "").strip():
        errors.append(FieldError(name, "err.required", **where))
    elif value and len(value) > limit:
        errors.append(FieldError(name, "err.too_long", {"max": limit, "length": len(value)}, **where))


def _values(enum_cls: Any) -> frozenset[str]:
    return frozenset(m.value for m in enum_cls)


def _choice(
    errors: list[FieldError], value: str | None, allowed: Any, name: str, required: bool, **where: Unpack[_Where]
) -> None:
    """`allowed`: an enum class or a collection of plain values."""
    values = _values(allowed) if isinstance(allowed, type) else frozenset(allowed)
    if value in (None, ""):
        if required:
            errors.append(FieldError(name, "err.required", **where))
    elif value not in values:
        errors.append(FieldError(name, "err.bad_choice", **where))


def validate_meeting(
    session: Session, inp: MeetingInput, now: datetime, meeting_id: int | None = None
) -> list[FieldError]:
    """Every rule a meeting record must meet; an empty list means it may be written."""
    errors: list[FieldError] = []
    held = inp.status == MeetingStatus.held.value
    _choice(errors, inp.status, MeetingStatus, "status", True)
    if inp.held_at is None:
        errors.append(FieldError("date", "err.required"))
    elif held and inp.held_at > now:
        errors.append(FieldError("date", "err.future_held"))
    _text(errors, inp.venue, "venue", VENUE_MAX, True)
    _text(errors, inp.convener, "convener", NAME_MAX, True)
    per_party: dict[str, int] = dict.fromkeys(PARTIES, 0)
    for a in inp.attendees:
        if a.party not in per_party:
            errors.append(FieldError("attendees", "err.bad_choice"))
            continue
        per_party[a.party] += 1
        if len(a.name) > NAME_MAX or len(a.role or "") > NAME_MAX:
            errors.append(FieldError(f"att_{a.party}", "err.name_too_long", {"max": NAME_MAX, "name": a.name[:20]}))
    for party, n in per_party.items():
        if n > ATTENDEES_MAX:
            errors.append(FieldError(f"att_{party}", "err.too_many", {"max": ATTENDEES_MAX}))
    attendees = sum(per_party.values())
    if not inp.items:
        errors.append(FieldError("items", "err.no_items"))
    if len(inp.items) > ITEMS_MAX:
        errors.append(FieldError("items", "err.too_many", {"max": ITEMS_MAX}))
    for n, item in enumerate(inp.items):
        errors += _validate_item(item, n, held, attendees, per_party, inp.held_on, now)
    errors += _check_references(session, inp, meeting_id)
    return errors


def _validate_item(
    item: ItemInput,
    n: int,
    held: bool,
    attendees: int,
    per_party: dict[str, int],
    held_on: date | None,
    now: datetime,
) -> list[FieldError]:
    errors: list[FieldError] = []
    at: _Where = {"item": n}
    _text(errors, item.title, "title", TITLE_MAX, True, **at)
    _choice(errors, item.category, AgendaCategory, "category", True, **at)
    _choice(errors, item.raising_party, PARTIES, "raising_party", True, **at)
    for name in ("description", "discussion", "resolution"):
        _text(errors, getattr(item, name), name, TEXT_MAX, False, **at)
    _choice(errors, item.decision_method, DecisionMethod, "decision_method", held, **at)
    _choice(errors, item.outcome, AgendaOutcome, "outcome", held, **at)
    if not held and (item.outcome or item.decision_method or item.follow_ups):
        errors.append(FieldError("outcome", "err.planned_no_outcome", **at))
    if item.outcome in (AgendaOutcome.resolved.value, AgendaOutcome.partly_resolved.value):
        _text(errors, item.resolution, "resolution", TEXT_MAX, True, **at)
    votes = (item.votes_for, item.votes_against, item.votes_abstain)
    if item.decision_method == DecisionMethod.vote.value:
        given = [v for v in votes if v is not None]
        if len(given) < len(votes):
            errors.append(FieldError("votes", "err.votes_required", **at))
        elif any(v < 0 for v in given):
            errors.append(FieldError("votes", "err.votes_negative", **at))
        elif sum(given) > attendees:
            errors.append(FieldError("votes", "err.votes_exceed", {"votes": sum(given), "attendees": attendees}, **at))
        errors += _validate_party_votes(item, per_party, at)
    elif any(v is not None for v in votes) or item.party_votes:
        errors.append(FieldError("votes", "err.votes_without_vote", **at))
    if item.follow_ups and item.outcome not in {o.value for o in FOLLOW_UP_OUTCOMES}:
        errors.append(FieldError("follow_ups", "err.follow_up_outcome", **at))
    if len(item.follow_ups) > FOLLOW_UPS_MAX:
        errors.append(FieldError("follow_ups", "err.too_many", {"max": FOLLOW_UPS_MAX}, **at))
    today = now.astimezone(CITY_TZ).date()
    for m, fu in enumerate(item.follow_ups):
        where: _Where = {"item": n, "follow_up": m}
        _choice(errors, fu.owner_party, PARTIES, "owner_party", True, **where)
        _text(errors, fu.action, "action", ACTION_MAX, True, **where)
        _text(errors, fu.contact_name, "contact_name", NAME_MAX, True, **where)
        _choice(errors, fu.status, FollowUpStatus, "fu_status", True, **where)
        if fu.due_on is None:
            errors.append(FieldError("due_on", "err.required", **where))
        elif held_on is not None and fu.due_on < held_on:
            # the day itself: the page writes it in the UI's date style (i18n.t)
            errors.append(FieldError("due_on", "err.due_before_meeting", {"date": held_on}, **where))
        if fu.status == FollowUpStatus.done.value:
            if fu.completed_on is None:
                errors.append(FieldError("completed_on", "err.completed_required", **where))
            elif held_on is not None and fu.completed_on < held_on:
                errors.append(FieldError("completed_on", "err.completed_before_meeting", **where))
            elif fu.completed_on > today:
                errors.append(FieldError("completed_on", "err.completed_in_future", **where))
        elif fu.completed_on is not None:
            errors.append(FieldError("completed_on", "err.completed_not_done", **where))
    return errors


def _validate_party_votes(item: ItemInput, per_party: dict[str, int], at: _Where) -> list[FieldError]:
    if not item.party_votes:
        return []
    errors: list[FieldError] = []
    for party, counts in item.party_votes.items():
        if party not in per_party or any(c < 0 for c in counts):
            errors.append(FieldError("party_votes", "err.bad_choice", **at))
        elif sum(counts) > per_party[party]:
            errors.append(
                FieldError(
                    "party_votes",
                    "err.party_votes_exceed",
                    {"party": party, "votes": sum(counts), "attendees": per_party[party]},
                    **at,
                )
            )
    sums = tuple(sum(c[k] for c in item.party_votes.values()) for k in range(3))
    if not errors and sums != (item.votes_for, item.votes_against, item.votes_abstain):
        errors.append(FieldError("party_votes", "err.party_votes_mismatch", **at))
    return errors


def _check_references(session: Session, inp: MeetingInput, meeting_id: int | None) -> list[FieldError]:
    """Ids the form sent back must belong to this compound and meeting."""
    errors: list[FieldError] = []
    order_ids = {o for i in inp.items for o in i.work_order_ids}
    if order_ids:
        mine = set(
            session.scalars(
                select(HotlineWorkOrder.id).where(
                    HotlineWorkOrder.id.in_(order_ids), HotlineWorkOrder.compound_id == inp.compound_id
                )
            )
        )
        for n, item in enumerate(inp.items):
            if set(item.work_order_ids) - mine:
                errors.append(FieldError("work_orders", "err.work_order_foreign", item=n))
    sources = {i.carried_from_id for i in inp.items if i.carried_from_id}
    if sources:
        rows = {
            r[0]: r
            for r in session.execute(
                select(
                    AgendaItem.id,
                    AgendaItem.outcome,
                    CouncilMeeting.compound_id,
                    CouncilMeeting.id,
                    CouncilMeeting.held_at,
                )
                .join(CouncilMeeting, CouncilMeeting.id == AgendaItem.meeting_id)
                .where(AgendaItem.id.in_(sources), AgendaItem.deleted_at.is_(None), CouncilMeeting.deleted_at.is_(None))
            )
        }
        taken = {
            r[0]: r[1]
            for r in session.execute(
                select(AgendaItem.carried_from_id, AgendaItem.id)
                .join(CouncilMeeting, CouncilMeeting.id == AgendaItem.meeting_id)
                .where(
                    AgendaItem.carried_from_id.in_(sources),
                    AgendaItem.deleted_at.is_(None),
                    CouncilMeeting.deleted_at.is_(None),
                )
            )
        }
        for n, item in enumerate(inp.items):
            src = item.carried_from_id
            if not src:
                continue
            row = rows.get(src)
            ok = (
                row is not None
                and row[2] == inp.compound_id
                and row[3] != meeting_id
                and row[1] in CARRY_OUTCOMES
                and (inp.held_at is None or row[4] < inp.held_at)  # only from an earlier meeting
                and taken.get(src) in (None, item.id)
            )
            if not ok:
                errors.append(FieldError("title", "err.carry_invalid", item=n))
    if meeting_id is not None:
        item_ids = {i.id for i in inp.items if i.id}
        fu_ids = {f.id for i in inp.items for f in i.follow_ups if f.id}
        own_items = set(
            session.scalars(
                select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id, AgendaItem.deleted_at.is_(None))
            )
        )
        own_fus = set(
            session.scalars(
                select(FollowUp.id)
                .join(AgendaItem, AgendaItem.id == FollowUp.agenda_item_id)
                .where(AgendaItem.meeting_id == meeting_id, FollowUp.deleted_at.is_(None))
            )
        )
        if item_ids - own_items or fu_ids - own_fus:
            errors.append(FieldError("items", "err.foreign_record"))
    elif any(i.id for i in inp.items) or any(f.id for i in inp.items for f in i.follow_ups):
        errors.append(FieldError("items", "err.foreign_record"))
    return errors


# --------------------------------------------------------------------------- snapshots for the audit log


def _local_iso(at: datetime | None) -> str | None:
    return at.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M") if at else None


def _val(v: Any) -> Any:
    v = getattr(v, "value", v)
    return v.isoformat() if isinstance(v, date) else v


def _meeting_snapshot(m: CouncilMeeting, attendees: list[tuple[str, str, str | None]]) -> dict[str, Any]:
    return {
        "held_at": _local_iso(m.held_at),
        "status": _val(m.status),
        "venue": m.venue,
        "convener": m.convener,
        "attendees": "; ".join(f"{p}:{n}" + (f"({r})" if r else "") for p, n, r in attendees),
    }


def _item_snapshot(i: AgendaItem, party_votes: dict[str, tuple[int, int, int]], orders: list[int]) -> dict[str, Any]:
    return {
        "title": i.title,
        "category": _val(i.category),
        "raising_party": _val(i.raising_party),
        "description": i.description,
        "discussion": i.discussion,
        "decision_method": _val(i.decision_method),
        "votes": None if i.votes_for is None else f"{i.votes_for}/{i.votes_against}/{i.votes_abstain}",
        "party_votes": "; ".join(f"{p}:{a}/{b}/{c}" for p, (a, b, c) in sorted(party_votes.items())) or None,
        "outcome": _val(i.outcome),
        "resolution": i.resolution,
        "carried_from_id": i.carried_from_id,
        "work_orders": ",".join(str(o) for o in sorted(orders)) or None,
    }


def _follow_up_snapshot(f: FollowUp) -> dict[str, Any]:
    return {
        "owner_party": _val(f.owner_party),
        "action": f.action,
        "contact_name": f.contact_name,
        "due_on": _val(f.due_on),
        "status": _val(f.status),
        "completed_on": _val(f.completed_on),
    }


def _diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [old.get(k), new.get(k)] for k in new if old.get(k) != new.get(k)}


def _audit(
    session: Session, access: CouncilAccess, action: str, entity: str, entity_id: int, label: str, changes: dict
) -> None:
    audit(
        session,
        action,
        entity,
        entity_id=entity_id,
        user_id=access.user_id,
        username=access.username,
        detail={"label": label, "changes": changes},
    )


# --------------------------------------------------------------------------- meetings


def _writable_meeting(
    session: Session, access: CouncilAccess, meeting_id: int, expected_version: int | None
) -> CouncilMeeting:
    m = session.get(CouncilMeeting, meeting_id)
    if m is None:
        raise NotFound(meeting_id)
    if not access.may_write(m.compound_id):
        raise AccessDenied("only the compound's organiser may change its council records")
    if m.deleted_at is not None:
        raise NotFound(meeting_id)
    if expected_version is None or m.version != expected_version:
        raise StaleEdit(m.version)
    return m


def _touch(m: CouncilMeeting, now: datetime) -> None:
    """Mark the meeting changed even when only its children changed, so its version moves on."""
    m.updated_at = now
    flag_modified(m, "updated_at")


def _flush(session: Session, m: CouncilMeeting) -> None:
    """Flush; a concurrent save that got in first surfaces as StaleEdit (the version check in the UPDATE)."""
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        current = session.scalar(select(CouncilMeeting.version).where(CouncilMeeting.id == m.id))
        raise StaleEdit(int(current or 0)) from exc
    bump_council_generation(session)  # cached council figures and lists expire when this commits
    refresh_council_rollups(session, m.compound_id)  # and the pre-aggregated figures follow in the same transaction


def save_meeting(
    session: Session,
    access: CouncilAccess,
    inp: MeetingInput,
    now: datetime,
    meeting_id: int | None = None,
    expected_version: int | None = None,
) -> int:
    """Create (meeting_id None) or replace a meeting record as the form shows it; returns its id."""
    if not access.may_write(inp.compound_id):
        raise AccessDenied("only the compound's organiser may record its councils")
    m: CouncilMeeting | None = None
    if meeting_id is not None:
        m = _writable_meeting(session, access, meeting_id, expected_version)
        if m.compound_id != inp.compound_id:
            raise AccessDenied("a meeting cannot move to another compound")
    errors = validate_meeting(session, inp, now, meeting_id)
    if errors:
        raise Invalid(errors)
    assert inp.held_at is not None
    attendees = [(a.party, a.name.strip(), (a.role or "").strip() or None) for a in inp.attendees]
    if m is None:
        m = CouncilMeeting(compound_id=inp.compound_id, created_by_id=access.user_id, created_at=now)
        session.add(m)
        old_meeting: dict[str, Any] = {}
        action = "create"
    else:
        old_attendees = [
            (a.party.value, a.name, a.role)
            for a in session.scalars(
                select(CouncilAttendee).where(CouncilAttendee.meeting_id == m.id).order_by(CouncilAttendee.id)
            )
        ]
        old_meeting = _meeting_snapshot(m, old_attendees)
        action = "update"
    m.held_at = inp.held_at
    m.status = MeetingStatus(inp.status)
    m.venue = inp.venue.strip()
    m.convener = inp.convener.strip()
    _touch(m, now)
    _flush(session, m)
    for a in session.scalars(select(CouncilAttendee).where(CouncilAttendee.meeting_id == m.id)):
        session.delete(a)
    session.add_all(CouncilAttendee(meeting_id=m.id, party=p, name=n, role=r) for p, n, r in attendees)
    new_meeting = _meeting_snapshot(m, attendees)
    changes = _diff(old_meeting, new_meeting)
    if changes or action == "create":
        _audit(session, access, action, "council_meeting", m.id, new_meeting["held_at"] or "", changes)
    _save_items(session, access, m, inp, now)
    _flush(session, m)
    return m.id


def _save_items(session: Session, access: CouncilAccess, m: CouncilMeeting, inp: MeetingInput, now: datetime) -> None:
    existing = {i.id: i for i in session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == m.id))}
    kept = {i.id for i in inp.items if i.id}
    for item_id, gone in existing.items():
        if item_id not in kept and gone.deleted_at is None:
            gone.deleted_at = now
            for f in gone.follow_ups:
                if f.deleted_at is None:
                    f.deleted_at = now
                    _audit(session, access, "delete", "follow_up", f.id, f.action, {"deleted": [False, True]})
            _audit(session, access, "delete", "agenda_item", gone.id, gone.title, {"deleted": [False, True]})
    held_on = inp.held_on
    for position, data in enumerate(inp.items):
        item = existing.get(data.id) if data.id else None
        if item is None:
            item = AgendaItem(meeting_id=m.id)
            session.add(item)
            old: dict[str, Any] = {}
            old_fus: dict[int, FollowUp] = {}
        else:
            old = _item_snapshot(
                item,
                {v.party.value: (v.votes_for, v.votes_against, v.votes_abstain) for v in item.party_votes},
                list(
                    session.scalars(
                        select(AgendaItemWorkOrder.work_order_id).where(AgendaItemWorkOrder.agenda_item_id == item.id)
                    )
                ),
            )
            old_fus = {f.id: f for f in item.follow_ups if f.deleted_at is None}
        item.position = position
        item.title = data.title.strip()
        assert data.category is not None  # validate_meeting requires it before anything is saved
        item.category = AgendaCategory(data.category)
        item.raising_party = data.raising_party  # type: ignore[assignment]
        item.description = data.description.strip() or None
        item.discussion = data.discussion.strip() or None
        item.decision_method = DecisionMethod(data.decision_method) if data.decision_method else None
        item.votes_for, item.votes_against, item.votes_abstain = (
            (data.votes_for, data.votes_against, data.votes_abstain)
            if data.decision_method == DecisionMethod.vote.value
            else (None, None, None)
        )
        item.outcome = AgendaOutcome(data.outcome) if data.outcome else None
        item.resolution = data.resolution.strip() or None
        item.resolved_on = held_on if data.outcome == AgendaOutcome.resolved.value else None
        item.carried_from_id = data.carried_from_id
        session.flush()
        item.party_votes = [
            AgendaPartyVote(agenda_item_id=item.id, party=p, votes_for=a, votes_against=b, votes_abstain=c)
            for p, (a, b, c) in sorted(data.party_votes.items())
        ]
        for link in session.scalars(select(AgendaItemWorkOrder).where(AgendaItemWorkOrder.agenda_item_id == item.id)):
            session.delete(link)
        session.flush()
        session.add_all(
            AgendaItemWorkOrder(agenda_item_id=item.id, work_order_id=o) for o in sorted(set(data.work_order_ids))
        )
        new = _item_snapshot(item, data.party_votes, list(set(data.work_order_ids)))
        changes = _diff(old, new)
        if changes:
            _audit(session, access, "update" if old else "create", "agenda_item", item.id, item.title, changes)
        _save_follow_ups(session, access, item, data.follow_ups, old_fus, now)


def _save_follow_ups(
    session: Session,
    access: CouncilAccess,
    item: AgendaItem,
    inputs: list[FollowUpInput],
    existing: dict[int, FollowUp],
    now: datetime,
) -> None:
    kept = {f.id for f in inputs if f.id}
    for fid, gone in existing.items():
        if fid not in kept:
            gone.deleted_at = now
            _audit(session, access, "delete", "follow_up", gone.id, gone.action, {"deleted": [False, True]})
    for data in inputs:
        f = existing.get(data.id) if data.id else None
        old = _follow_up_snapshot(f) if f else {}
        if f is None:
            f = FollowUp(agenda_item_id=item.id)
            session.add(f)
        f.owner_party = data.owner_party  # type: ignore[assignment]
        f.action = data.action.strip()
        f.contact_name = data.contact_name.strip()
        f.due_on = data.due_on  # type: ignore[assignment]
        f.status = FollowUpStatus(data.status)
        f.completed_on = data.completed_on
        session.flush()
        changes = _diff(old, _follow_up_snapshot(f))
        if changes:
            _audit(session, access, "update" if old else "create", "follow_up", f.id, f.action, changes)


def delete_meeting(
    session: Session, access: CouncilAccess, meeting_id: int, expected_version: int | None, now: datetime
) -> int:
    """Soft delete: the record and its history stay; it stops counting everywhere."""
    m = _writable_meeting(session, access, meeting_id, expected_version)
    m.deleted_at = now
    _touch(m, now)
    _audit(session, access, "delete", "council_meeting", m.id, _local_iso(m.held_at) or "", {"deleted": [False, True]})
    _flush(session, m)
    return m.version


# --------------------------------------------------------------------------- follow-ups and notices


def set_follow_up_status(
    session: Session,
    access: CouncilAccess,
    follow_up_id: int,
    expected_version: int | None,
    status: str,
    completed_on: date | None,
    now: datetime,
) -> int:
    f = session.get(FollowUp, follow_up_id)
    if f is None or f.deleted_at is not None or f.agenda_item.deleted_at is not None:
        raise NotFound(follow_up_id)
    m = _writable_meeting(session, access, f.agenda_item.meeting_id, expected_version)
    errors: list[FieldError] = []
    _choice(errors, status, FollowUpStatus, "fu_status", True)
    held_on = m.held_at.astimezone(CITY_TZ).date()
    if status == FollowUpStatus.done.value:
        if completed_on is None:
            errors.append(FieldError("completed_on", "err.completed_required"))
        elif completed_on < held_on:
            errors.append(FieldError("completed_on", "err.completed_before_meeting"))
        elif completed_on > now.astimezone(CITY_TZ).date():
            errors.append(FieldError("completed_on", "err.completed_in_future"))
    elif completed_on is not None:
        errors.append(FieldError("completed_on", "err.completed_not_done"))
    if errors:
        raise Invalid(errors)
    old = _follow_up_snapshot(f)
    f.status = FollowUpStatus(status)
    f.completed_on = completed_on
    _touch(m, now)
    _audit(session, access, "update", "follow_up", f.id, f.action, _diff(old, _follow_up_snapshot(f)))
    _flush(session, m)
    return m.version


def publish_notice(
    session: Session,
    access: CouncilAccess,
    meeting_id: int,
    expected_version: int | None,
    item_ids: list[int],
    notice_from: date | None,
    notice_to: date | None,
    now: datetime,
) -> int:
    """Post the chosen items' outcomes as the meeting's public notice for a period."""
    m = _writable_meeting(session, access, meeting_id, expected_version)
    items = {
        i.id: i
        for i in session.scalars(
            select(AgendaItem).where(AgendaItem.meeting_id == m.id, AgendaItem.deleted_at.is_(None))
        )
    }
    errors: list[FieldError] = []
    held_on = m.held_at.astimezone(CITY_TZ).date()
    if m.status != MeetingStatus.held:
        errors.append(FieldError("notice_items", "err.notice_not_held"))
    if not item_ids:
        errors.append(FieldError("notice_items", "err.notice_no_items"))
    elif any(i not in items or items[i].outcome is None for i in item_ids):
        errors.append(FieldError("notice_items", "err.notice_item_invalid"))
    if notice_from is None:
        errors.append(FieldError("notice_from", "err.required"))
    elif notice_from < held_on:
        errors.append(FieldError("notice_from", "err.notice_before_meeting"))
    if notice_to is None:
        errors.append(FieldError("notice_to", "err.required"))
    elif notice_from is not None and notice_to < notice_from:
        errors.append(FieldError("notice_to", "err.notice_order"))
    elif notice_from is not None and (notice_to - notice_from).days > NOTICE_DAYS_MAX:
        errors.append(FieldError("notice_to", "err.notice_too_long", {"max": NOTICE_DAYS_MAX}))
    if errors:
        raise Invalid(errors)
    old = {"notice": _notice_text(m, items)}
    m.notice_from, m.notice_to = notice_from, notice_to
    for i in items.values():
        i.published_at = (i.published_at or now) if i.id in item_ids else None
    _touch(m, now)
    _audit(
        session,
        access,
        "publish",
        "council_meeting",
        m.id,
        _local_iso(m.held_at) or "",
        _diff(old, {"notice": _notice_text(m, items)}),
    )
    _flush(session, m)
    return m.version


def withdraw_notice(
    session: Session, access: CouncilAccess, meeting_id: int, expected_version: int | None, now: datetime
) -> int:
    m = _writable_meeting(session, access, meeting_id, expected_version)
    items = {
        i.id: i
        for i in session.scalars(
            select(AgendaItem).where(AgendaItem.meeting_id == m.id, AgendaItem.deleted_at.is_(None))
        )
    }
    old = {"notice": _notice_text(m, items)}
    m.notice_from = m.notice_to = None
    for i in items.values():
        i.published_at = None
    _touch(m, now)
    _audit(
        session, access, "withdraw", "council_meeting", m.id, _local_iso(m.held_at) or "", _diff(old, {"notice": None})
    )
    _flush(session, m)
    return m.version


def _notice_text(m: CouncilMeeting, items: dict[int, AgendaItem]) -> str | None:
    if m.notice_from is None:
        return None
    shown = ",".join(str(i) for i in sorted(i for i, it in items.items() if it.published_at is not None))
    return f"{m.notice_from.isoformat()}..{m.notice_to.isoformat() if m.notice_to else ''} items {shown}"


# --------------------------------------------------------------------------- attachments


def add_attachment(
    session: Session,
    access: CouncilAccess,
    meeting_id: int,
    expected_version: int | None,
    kind: str,
    filename: str,
    data: bytes,
    store: Path,
    now: datetime,
) -> int:
    m = _writable_meeting(session, access, meeting_id, expected_version)
    errors: list[FieldError] = []
    _choice(errors, kind, AttachmentKind, "attachment_kind", True)
    content_type = None
    if not data:
        errors.append(FieldError("attachment", "err.attachment_empty"))
    elif len(data) > ATTACHMENT_MAX_BYTES:
        errors.append(FieldError("attachment", "err.attachment_size", {"max_mb": ATTACHMENT_MAX_BYTES // 1024 // 1024}))
    else:
        content_type = sniff_type(filename, data)
        if content_type is None:
            errors.append(FieldError("attachment", "err.attachment_type"))
    if errors:
        raise Invalid(errors)
    assert content_type is not None
    path = store_file(store, data)
    try:
        a = CouncilAttachment(
            meeting_id=m.id,
            kind=AttachmentKind(kind),
            filename=display_name(filename),
            stored_name=path.name,
            content_type=content_type,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by_id=access.user_id,
            uploaded_at=now,
        )
        session.add(a)
        _touch(m, now)
        session.flush()
        _audit(
            session,
            access,
            "create",
            "council_attachment",
            a.id,
            a.filename,
            {"file": [None, f"{a.filename} ({a.content_type}, {a.size_bytes} B)"]},
        )
        _flush(session, m)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return a.id


def remove_attachment(
    session: Session, access: CouncilAccess, attachment_id: int, expected_version: int | None, now: datetime
) -> int:
    a = session.get(CouncilAttachment, attachment_id)
    if a is None or a.deleted_at is not None:
        raise NotFound(attachment_id)
    m = _writable_meeting(session, access, a.meeting_id, expected_version)
    a.deleted_at = now
    _touch(m, now)
    _audit(session, access, "delete", "council_attachment", a.id, a.filename, {"deleted": [False, True]})
    _flush(session, m)
    return m.version


@dataclass(frozen=True)
class AttachmentFile:
    path: Path
    filename: str
    content_type: str


def attachment_file(session: Session, access: CouncilAccess, attachment_id: int, store: Path) -> AttachmentFile:
    """The stored file behind an attachment, for a viewer who may read the meeting with names."""
    row = session.execute(
        select(CouncilAttachment, CouncilMeeting.compound_id)
        .join(CouncilMeeting, CouncilMeeting.id == CouncilAttachment.meeting_id)
        .where(CouncilAttachment.id == attachment_id, CouncilAttachment.deleted_at.is_(None))
    ).first()
    if row is None:
        raise NotFound(attachment_id)
    if access.published_only:
        raise AccessDenied("attachments name people")
    a, compound_id = row
    check_compound_readable(session, access, compound_id)
    return AttachmentFile(store / a.stored_name, a.filename, a.content_type)
