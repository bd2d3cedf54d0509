"""The data steward: a city's data clerk who may read that city and import its records, and nothing more.

The role is a value the database itself checks (migration 0007 widens the CHECK constraint on both engines);
the scope rules live in data_access.users.Viewer and council_access, where every page and import asks them.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.core.models import Role, User
from data_access.core.scope import Area
from data_access.council_access import council_access
from data_access.users import AccessDenied, UserError, admin_create_user, create_user, load_viewer
from tests.test_auth import PASSWORD
from tests.world import build_world


def _insert_role(session: Session, role: str) -> None:
    session.execute(
        text(
            "INSERT INTO user_account (username, display_name, password_hash, role, active, created_at,"
            " session_generation) VALUES (:u, :u, 'x', :r, :a, CURRENT_TIMESTAMP, 0)"
        ),
        {"u": f"raw-{role}", "r": role, "a": True},
    )
    session.flush()


def test_the_database_accepts_the_new_role_and_still_refuses_others(session: Session) -> None:
    _insert_role(session, "data_steward")
    assert session.scalar(select(func.count()).select_from(User).where(User.role == Role.data_steward)) == 1
    with pytest.raises(IntegrityError), session.begin_nested():
        _insert_role(session, "clerk")


def test_an_admin_creates_a_steward_only_for_a_city(session: Session) -> None:
    w = build_world(session)
    admin = load_viewer(session, create_user(session, "root", PASSWORD, Role.admin).id)
    before = session.scalar(select(func.count()).select_from(User))
    with pytest.raises(UserError) as exc:
        admin_create_user(session, admin, username="clerk", password=PASSWORD, role="data_steward")
    assert exc.value.key == "admin.err.steward_city"
    assert session.scalar(select(func.count()).select_from(User)) == before
    user = admin_create_user(session, admin, username="clerk", password=PASSWORD, role="data_steward", city_code="a")
    assert (user.role, user.city_id) == (Role.data_steward, w.city_a.id)


def test_a_steward_reads_and_imports_for_their_city_only(session: Session) -> None:
    w = build_world(session)
    steward = load_viewer(session, create_user(session, "clerk", PASSWORD, Role.data_steward, city_code="a").id)
    admin = load_viewer(session, create_user(session, "root", PASSWORD, Role.admin).id)
    leader = load_viewer(session, create_user(session, "lead", PASSWORD, Role.leader, city_code="a").id)
    city_b = w.city_b.id
    assert steward.allowed_city_ids() == frozenset({w.city_a.id})
    assert steward.area_for(None) == Area(city_id=w.city_a.id)  # the province view narrows to their city
    with pytest.raises(AccessDenied):
        steward.area_for(city_b)
    assert steward.may_import_for(w.city_a.id) and not steward.may_import_for(city_b)
    assert admin.may_import_for(w.city_a.id) and admin.may_import_for(city_b)
    assert not leader.may_import_for(w.city_a.id)  # reading a city is not loading data into it
    councils = council_access(steward, date(2024, 6, 30))
    assert councils.published_only and councils.posted_by == date(2024, 6, 30)
    assert councils.city_ids == frozenset({w.city_a.id}) and not councils.may_export and not councils.may_record
