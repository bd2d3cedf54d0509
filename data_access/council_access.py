"""Who may read and change which four-party council records, and the councils' fixed vocabulary.

Shared by the readers (data_access.councils) and the writer (data_access.council_records), so that a writer
never imports the page queries: every list and detail applies `restrict`, every write `may_write` and
`check_compound_readable` — organisers their own compounds, leaders their city (or the province), admins
everything; the press published outcomes only, from the notice's posting date on (`notice_posted`, the rule the
anonymous public notice follows too), and never a person's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.orm import Session

from data_access.core.models import AgendaItem, AgendaOutcome, Compound, CouncilMeeting, CouncilParty, District, Role
from data_access.core.rules import live_item
from data_access.core.scope import ON_COMPOUND_DISTRICT, within_reach
from data_access.users import AccessDenied, Viewer

PARTIES: tuple[str, ...] = tuple(p.value for p in CouncilParty)  # the four parties, in the order shown
CARRY_OUTCOMES = (AgendaOutcome.deferred, AgendaOutcome.partly_resolved)
FOLLOW_UP_OUTCOMES = (AgendaOutcome.resolved, AgendaOutcome.partly_resolved)


class NotFound(LookupError):
    """No such record (or it is outside what the viewer may know exists)."""


@dataclass(frozen=True)
class CouncilAccess:
    """What one viewer may read and change of council records."""

    role: Role
    user_id: int
    username: str
    city_ids: frozenset[int] | None  # None: every city
    compound_ids: frozenset[int] | None  # None: every compound of those cities
    published_only: bool  # the press: published outcomes only
    writable_compounds: frozenset[int] = field(default_factory=frozenset)
    posted_by: date | None = None  # the press: only notices posted by this local day (today) are read

    def __post_init__(self) -> None:
        if self.published_only and self.posted_by is None:
            raise ValueError("a published-only access needs the day its notices must be posted by")

    @property
    def sees_names(self) -> bool:
        return not self.published_only

    @property
    def may_export(self) -> bool:
        return self.role in (Role.admin, Role.leader)

    @property
    def may_record(self) -> bool:
        return bool(self.writable_compounds)

    def may_write(self, compound_id: int) -> bool:
        return compound_id in self.writable_compounds


def council_access(viewer: Viewer, today: date) -> CouncilAccess:
    """What the viewer may read and change of council records on `today` (the local day: the press reads a notice
    from its posting date on)."""
    base: dict[str, Any] = {"role": viewer.role, "user_id": viewer.id, "username": viewer.username}
    if viewer.role == Role.organiser:
        return CouncilAccess(
            **base,
            city_ids=viewer.compound_city_ids,
            compound_ids=viewer.compound_ids,
            published_only=False,
            writable_compounds=viewer.compound_ids,
        )
    if viewer.role == Role.press:
        return CouncilAccess(**base, city_ids=None, compound_ids=None, published_only=True, posted_by=today)
    if viewer.role in (Role.data_steward, Role.fund_centre):  # city clerks read its councils as the public does
        return CouncilAccess(
            **base, city_ids=viewer.allowed_city_ids(), compound_ids=None, published_only=True, posted_by=today
        )
    return CouncilAccess(**base, city_ids=viewer.allowed_city_ids(), compound_ids=None, published_only=False)


def notice_posted(as_of: date) -> ColumnElement[bool]:
    """A meeting whose public notice is up on the local day `as_of`: not deleted, a posting date set and reached.
    The one rule for everyone who reads published outcomes only: the press (restrict, the meeting view, the compound
    picker) and anonymous readers of /notices (data_access.councils.public_notice). What it shows of the meeting are
    its published items (`published_items`)."""
    return and_(
        CouncilMeeting.deleted_at.is_(None),
        CouncilMeeting.notice_from.is_not(None),
        CouncilMeeting.notice_from <= as_of,
    )


def published_item() -> ColumnElement[bool]:
    """An agenda item published in its meeting's notice (and not deleted)."""
    return and_(AgendaItem.published_at.is_not(None), live_item())


def public_meeting(as_of: date) -> ColumnElement[bool]:
    """A meeting with a notice posted by `as_of` that shows at least one item: what a published-only reader may open
    (a notice without items is no notice)."""
    shown = select(AgendaItem.id).where(AgendaItem.meeting_id == CouncilMeeting.id, published_item()).exists()
    return and_(notice_posted(as_of), shown)


def restrict(stmt: Select, access: CouncilAccess) -> Select:
    """Narrow a statement that has Compound and District in its FROM (and, for the press, AgendaItem and
    CouncilMeeting) to what the viewer may read."""
    stmt = within_reach(stmt, ON_COMPOUND_DISTRICT, cities=access.city_ids, compounds=access.compound_ids)
    if access.published_only:
        assert access.posted_by is not None  # __post_init__
        stmt = stmt.where(published_item(), notice_posted(access.posted_by))
    return stmt


def check_compound_readable(session: Session, access: CouncilAccess, compound_id: int) -> None:
    city_id = session.scalar(
        select(District.city_id).join(Compound, Compound.district_id == District.id).where(Compound.id == compound_id)
    )
    if city_id is None:
        raise NotFound(compound_id)
    if access.city_ids is not None and city_id not in access.city_ids:
        raise AccessDenied("compound outside this account's scope")
    if access.compound_ids is not None and compound_id not in access.compound_ids:
        raise AccessDenied("compound outside this account's scope")
