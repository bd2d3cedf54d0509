"""Who may read and change which four-party council records, and the councils' fixed vocabulary.

Shared by the readers (data_access.councils) and the writer (data_access.council_records), so that a writer
never imports the page queries: every list and detail applies `restrict`, every write `may_write` and
`check_compound_readable` — organisers their own compounds, leaders their city (or the province), admins
everything; the press published outcomes only and never a person's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from data_access.core.models import AgendaItem, AgendaOutcome, Compound, CouncilMeeting, CouncilParty, District, Role
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


def council_access(viewer: Viewer) -> CouncilAccess:
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
        return CouncilAccess(**base, city_ids=None, compound_ids=None, published_only=True)
    return CouncilAccess(**base, city_ids=viewer.allowed_city_ids(), compound_ids=None, published_only=False)


def restrict(stmt: Select, access: CouncilAccess) -> Select:
    """Narrow a statement that has Compound and District in its FROM to what the viewer may read."""
    stmt = within_reach(stmt, ON_COMPOUND_DISTRICT, cities=access.city_ids, compounds=access.compound_ids)
    if access.published_only:
        stmt = stmt.where(AgendaItem.published_at.is_not(None), CouncilMeeting.notice_from.is_not(None))
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
