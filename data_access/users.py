"""Accounts, what each account may see, and the audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, bindparam, func, join, null, select, union_all, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from data_access.core.dataset import FACTS_INFO_KEY, keep_dataset_facts
from data_access.core.models import AuditLog, City, Compound, DatasetInfo, District, Role, User, UserCompound
from data_access.core.scope import Area

PASSWORD_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 10
# Compared against when the username is unknown, so a miss costs the same time as a hit.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method=PASSWORD_METHOD)


class AccessDenied(Exception):
    """The signed-in account may not see or change what it asked for."""


CITY_ROLES = (Role.leader, Role.data_steward, Role.fund_centre)  # the roles an account's city_id applies to
CITY_BOUND_ROLES = (Role.data_steward, Role.fund_centre)  # they work for exactly one city (a leader may have none)
IMPORT_ROLES = (Role.admin, Role.data_steward)  # the roles that load records (/import, its routes and jobs)


@dataclass(frozen=True)
class Viewer:
    """The signed-in account as the rest of the code needs it: who, which role, which scope."""

    id: int
    username: str
    display_name: str
    role: Role
    city_id: int | None  # a leader's or data steward's city; None = province-wide (leaders only)
    compound_ids: frozenset[int] = field(default_factory=frozenset)
    compound_city_ids: frozenset[int] = field(default_factory=frozenset)
    session_generation: int = 0  # the account's generation when it was loaded: cookies carry it (see end_sessions)

    def allowed_city_ids(self) -> frozenset[int] | None:
        """None means every city."""
        if self.role in (Role.admin, Role.press):
            return None
        if self.role == Role.leader:
            return None if self.city_id is None else frozenset({self.city_id})
        if self.role in CITY_BOUND_ROLES:
            return frozenset({self.city_id}) if self.city_id is not None else frozenset()
        return self.compound_city_ids

    @property
    def may_import(self) -> bool:
        """Whether this account may import at all (administrators, data stewards); for which city: may_import_for."""
        return self.role in IMPORT_ROLES

    def may_import_for(self, city_id: int) -> bool:
        """Whether this account may load records into the city's data: administrators anywhere, a data steward
        for their own city. Checked by every import route and callback, whatever the page showed."""
        return self.role == Role.admin or (self.role == Role.data_steward and self.city_id == city_id)

    def may_insure_for(self, city_id: int) -> bool:
        """Whether this account may record and decide the city's insurance applications, buy, renew and record
        claims: the city's fund centre only (leaders read; administrators manage accounts, not the programme).
        Checked by every insurance writer itself, whatever the page showed."""
        return self.role == Role.fund_centre and self.city_id == city_id

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
    """Invalid account data: an English message (CLI), and a catalogue key and field for the admin page."""

    def __init__(self, message: str, key: str = "admin.err.invalid", field: str = "username", **params: Any) -> None:
        super().__init__(message)
        self.key, self.field, self.params = key, field, params


def _check_password(password: str) -> None:
    """The one password rule, for a new account and a replaced password alike."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(
            f"password must be at least {MIN_PASSWORD_LENGTH} characters",
            "admin.err.password",
            "password",
            n=MIN_PASSWORD_LENGTH,
        )


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
        raise UserError("username must be 1–60 characters", "admin.err.username", "username")
    if session.scalar(select(func.count()).select_from(User).where(User.username == username)):
        raise UserError(f"username {username!r} is already taken", "admin.err.taken", "username")
    _check_password(password)
    city_id = None
    if city_code and role not in CITY_ROLES:
        raise UserError("only leaders and data stewards are scoped to a city", "admin.err.not_leader", "city")
    if role in CITY_BOUND_ROLES and not city_code:
        raise UserError(f"a {role.value} account works for one city", "admin.err.steward_city", "city")
    if city_code:
        city_id = session.scalar(select(City.id).where(City.code == city_code))
        if city_id is None:
            raise UserError(f"unknown city code {city_code!r}", "admin.err.city", "city")
    if role == Role.organiser:
        if not compound_ids:
            raise UserError("an organiser must be bound to at least one compound", "admin.err.compounds", "compounds")
        found = session.scalar(select(func.count()).select_from(Compound).where(Compound.id.in_(compound_ids)))
        if found != len(set(compound_ids)):
            raise UserError("one or more compound ids do not exist", "admin.err.compounds", "compounds")
    elif compound_ids:
        raise UserError("only organisers are bound to compounds", "admin.err.not_organiser", "compounds")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=generate_password_hash(password, method=PASSWORD_METHOD),
        role=role,
        city_id=city_id if role in CITY_ROLES else None,
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


# The account and its compounds in one statement: load_viewer runs on every signed-in request (auth._load_user), and
# on PostgreSQL each statement is a round trip; the ORM's get-then-select took two plus an identity-mapped User
# (about half of a cache-hit render, issue 18). Built once, with the id bound, so the compiled form is reused. The
# compounds are an outer join to a parenthesised inner join, so an account without compounds still has its row and
# a compound or district that is missing drops that compound only, exactly as the inner-joined select did.
_VIEWER_ROWS = (
    select(
        User.id,
        User.username,
        User.display_name,
        User.role,
        User.city_id,
        User.active,
        User.session_generation,
        UserCompound.compound_id,
        District.city_id,
    )
    .select_from(User)
    .outerjoin(
        join(UserCompound, Compound, Compound.id == UserCompound.compound_id).join(
            District, District.id == Compound.district_id
        ),
        UserCompound.user_id == User.id,
    )
    .where(User.id == bindparam("user_id", type_=Integer()))
)


# The same rows followed by the data set's `dataset_info` rows (a handful), when the session has not read them yet:
# nearly every request reads both (the result cache and the rendered-page cache are keyed by the data set's state),
# and one statement is one round trip on PostgreSQL instead of two. The account's rows have an id; the facts none.
_VIEWER_AND_FACTS = union_all(
    _VIEWER_ROWS.add_columns(null().label("fact_key"), null().label("fact_value")),
    select(*(null() for _ in range(9)), DatasetInfo.key, DatasetInfo.value),
)


def load_viewer(session: Session, user_id: int, session_generation: int | None = None) -> Viewer | None:
    """The active account, or None. With a generation (from a session or remember cookie), None also when the
    account's sessions were ended since that cookie was issued: sign-out, a password change, disabling.

    Read from the database on every call, never from a cache: a disabled account, a new role, city or compounds
    and an ended session take effect at the next request. One Core statement (_VIEWER_ROWS) on the session's
    connection (Core, as complaint_counts does: the ORM adds nothing to a select of columns), after the flush the
    ORM's compound select used to trigger, so changes the caller's session holds but has not flushed (an account
    just created or edited in the same unit of work) are read back as before. Unlike session.get it never answers
    from the identity map, so a row changed by an UPDATE statement is seen at once, too."""
    if session.autoflush:
        session.flush()  # the ORM's autoflush, which a Core execute skips; a no-op when nothing is pending
    if FACTS_INFO_KEY in session.info:
        rows = session.connection().execute(_VIEWER_ROWS, {"user_id": user_id}).all()
    else:
        both = session.connection().execute(_VIEWER_AND_FACTS, {"user_id": user_id}).all()
        keep_dataset_facts(session, {r[9]: r[10] for r in both if r[0] is None})
        rows = [r for r in both if r[0] is not None]
    if not rows:
        return None
    uid, username, display_name, role, city_id, active, generation = rows[0][:7]
    if not active:
        return None
    if session_generation is not None and session_generation != generation:
        return None
    compounds = [(r[7], r[8]) for r in rows if r[7] is not None]
    return Viewer(
        id=uid,
        username=username,
        display_name=display_name,
        role=role,
        city_id=city_id,
        compound_ids=frozenset(c for c, _ in compounds),
        compound_city_ids=frozenset(city for _, city in compounds),
        session_generation=generation,
    )


def end_sessions(session: Session, user_id: int) -> None:
    """Every session and remember cookie of the account stops working (the caller's transaction commits).

    The increment is done by the database, so two sign-outs at once both take effect."""
    session.execute(update(User).where(User.id == user_id).values(session_generation=User.session_generation + 1))
    session.expire_all()


def set_password(session: Session, username: str, password: str, actor: Viewer | None = None) -> User:
    """Replace an account's password and end its sessions; audited (the password never reaches the log)."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise UserError(f"no account named {username!r}", "admin.err.missing", "users")
    _check_password(password)
    user.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
    audit(
        session,
        "set_password",
        "user_account",
        entity_id=user.id,
        user_id=actor.id if actor else None,
        username=actor.username if actor else None,
        detail={"label": user.username},
    )
    session.flush()
    end_sessions(session, user.id)
    return user


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


# --------------------------------------------------------------------------- administration


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    city: str | None
    compounds: str  # names, comma-separated
    active: bool
    created_at: Any


def list_users(session: Session) -> list[UserRow]:
    """Every account with its scope; compound names are gathered in one grouped query."""
    names = (
        select(UserCompound.user_id, Compound.name)
        .join(Compound, Compound.id == UserCompound.compound_id)
        .order_by(UserCompound.user_id, Compound.name)
    )
    by_user: dict[int, list[str]] = {}
    for user_id, name in session.execute(names):
        by_user.setdefault(user_id, []).append(name)
    rows = session.execute(
        select(User.id, User.username, User.display_name, User.role, City.name, User.active, User.created_at)
        .outerjoin(City, City.id == User.city_id)
        .order_by(User.username)
    )
    return [UserRow(i, u, d, r.value, c, "、".join(by_user.get(i, [])), bool(a), at) for i, u, d, r, c, a, at in rows]


def require_admin(viewer: Viewer | None) -> Viewer:
    if viewer is None or viewer.role != Role.admin:
        raise AccessDenied("only administrators manage accounts")
    return viewer


def admin_create_user(session: Session, actor: Viewer | None, **fields: Any) -> User:
    """create_user, for an administrator, audited (the password never reaches the log)."""
    admin = require_admin(actor)
    user = create_user(session, **fields)
    audit(
        session,
        "create",
        "user_account",
        entity_id=user.id,
        user_id=admin.id,
        username=admin.username,
        detail={
            "label": user.username,
            "changes": {"role": [None, user.role.value], "display_name": [None, user.display_name]},
        },
    )
    return user


def set_user_active(session: Session, actor: Viewer | None, user_id: int, active: bool) -> None:
    """Disable or re-enable an account; a disabled account cannot sign in and its sessions stop working."""
    admin = require_admin(actor)
    if user_id == admin.id and not active:
        raise UserError("you cannot disable your own account", "admin.err.self", "users")
    user = session.get(User, user_id)
    if user is None:
        raise UserError("no such account", "admin.err.missing", "users")
    if user.active != active:
        audit(
            session,
            "update",
            "user_account",
            entity_id=user.id,
            user_id=admin.id,
            username=admin.username,
            detail={"label": user.username, "changes": {"active": [user.active, active]}},
        )
        user.active = active
    session.flush()
    if not active:
        end_sessions(session, user.id)


def search_compounds(session: Session, text: str, limit: int = 30) -> list[tuple[int, str]]:
    """Compounds whose name contains the text, with their district, for the organiser picker."""
    needle = text.strip()
    if not needle:
        return []
    rows = session.execute(
        select(Compound.id, Compound.name, District.name, City.name)
        .join(District, District.id == Compound.district_id)
        .join(City, City.id == District.city_id)
        .where(Compound.name.contains(needle, autoescape=True))
        .order_by(Compound.name, Compound.id)
        .limit(limit)
    )
    return [(i, f"{n}（{c}{d}）") for i, n, d, c in rows]


def compound_labels(session: Session, ids: list[int]) -> dict[int, str]:
    """Labels of already chosen compounds, so the picker keeps showing them while searching."""
    if not ids:
        return {}
    rows = session.execute(
        select(Compound.id, Compound.name, District.name, City.name)
        .join(District, District.id == Compound.district_id)
        .join(City, City.id == District.city_id)
        .where(Compound.id.in_(ids))
    )
    return {i: f"{n}（{c}{d}）" for i, n, d, c in rows}
