"""Accounts, what each account may see, and the audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from data_access.geography import Area
from data_access.models import AuditLog, City, Compound, District, Role, User, UserCompound

PASSWORD_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 10
# Compared against when the username is unknown, so a miss costs the same time as a hit.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method=PASSWORD_METHOD)


class AccessDenied(Exception):
    """The signed-in account may not see or change what it asked for."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in account as the rest of the code needs it: who, which role, which scope."""

    id: int
    username: str
    display_name: str
    role: Role
    city_id: int | None  # a leader's city; None = province-wide
    compound_ids: frozenset[int] = field(default_factory=frozenset)
    compound_city_ids: frozenset[int] = field(default_factory=frozenset)

    def allowed_city_ids(self) -> frozenset[int] | None:
        """None means every city."""
        if self.role in (Role.admin, Role.press):
            return None
        if self.role == Role.leader:
            return None if self.city_id is None else frozenset({self.city_id})
        return self.compound_city_ids

    def area_for(self, requested_city_id: int | None) -> Area:
        """The area to show for a requested city (None = province): narrowed to the viewer's scope."""
        allowed = self.allowed_city_ids()
        if allowed is None:
            return Area(city_id=requested_city_id)
        if requested_city_id is None:
            if len(allowed) == 1:
                return Area(city_id=next(iter(allowed)))
            raise AccessDenied("province view is outside this account's scope")
        if requested_city_id not in allowed:
            raise AccessDenied("city outside this account's scope")
        return Area(city_id=requested_city_id)

    @property
    def may_see_province(self) -> bool:
        return self.allowed_city_ids() is None


class UserError(ValueError):
    """Invalid account data, with a message fit to show the person who typed it."""


def create_user(
    session: Session,
    username: str,
    password: str,
    role: Role | str,
    display_name: str | None = None,
    city_code: str | None = None,
    compound_ids: list[int] | None = None,
) -> User:
    """Validate everything first, then add the user (the caller's transaction commits)."""
    username = username.strip()
    role = Role(role)
    if not username or len(username) > 60:
        raise UserError("username must be 1–60 characters")
    if session.scalar(select(func.count()).select_from(User).where(User.username == username)):
        raise UserError(f"username {username!r} is already taken")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    city_id = None
    if city_code:
        city_id = session.scalar(select(City.id).where(City.code == city_code))
        if city_id is None:
            raise UserError(f"unknown city code {city_code!r}")
    if role == Role.organiser:
        if not compound_ids:
            raise UserError("an organiser must be bound to at least one compound")
        found = session.scalar(select(func.count()).select_from(Compound).where(Compound.id.in_(compound_ids)))
        if found != len(set(compound_ids)):
            raise UserError("one or more compound ids do not exist")
    elif compound_ids:
        raise UserError("only organisers are bound to compounds")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=generate_password_hash(password, method=PASSWORD_METHOD),
        role=role,
        city_id=city_id if role == Role.leader else None,
        active=True,
    )
    user.compounds = [UserCompound(compound_id=c) for c in sorted(set(compound_ids or []))]
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def load_viewer(session: Session, user_id: int) -> Viewer | None:
    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    compound_rows = session.execute(
        select(UserCompound.compound_id, District.city_id)
        .join(Compound, Compound.id == UserCompound.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(UserCompound.user_id == user.id)
    ).all()
    return Viewer(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        city_id=user.city_id,
        compound_ids=frozenset(r[0] for r in compound_rows),
        compound_city_ids=frozenset(r[1] for r in compound_rows),
    )


def audit(
    session: Session,
    action: str,
    entity: str,
    entity_id: int | None = None,
    user_id: int | None = None,
    username: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditLog(
            user_id=user_id,
            username=username,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
        )
    )
