"""Two people editing the same meeting, each in their own transaction, on SQLite and PostgreSQL.

The second save is refused (StaleEdit) and the first one's data is what stays, both when the second
editor's copy is checked before writing and when the race is only caught by the versioned UPDATE.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from data_access.core.db import make_engine
from data_access.core.models import CouncilMeeting, Role
from data_access.council_access import CouncilAccess, council_access
from data_access.council_records import StaleEdit, save_meeting
from data_access.councils import meeting_view
from data_access.migrate import upgrade
from data_access.users import create_user, load_viewer
from tests.conftest import make_database_url
from tests.test_council_records import NOW, TODAY, meeting_input
from tests.world import World, build_world


@pytest.fixture(params=["sqlite", "postgresql"])
def own_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database of this test's own, so both editors' transactions really commit."""
    for url in make_database_url(request.param, tmp_path):
        upgrade(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()


def _setup(engine: Engine) -> tuple[World, CouncilAccess, int]:
    with Session(engine, expire_on_commit=False) as s:
        world = build_world(s)
        user = create_user(s, "org1", "long-enough-password", Role.organiser, compound_ids=[world.c1.id])
        s.flush()
        viewer = load_viewer(s, user.id)
        assert viewer is not None
        access = council_access(viewer, TODAY)
        mid = save_meeting(s, access, meeting_input(world), NOW)
        s.commit()
    return world, access, mid


def test_second_save_from_an_old_copy_is_refused(own_engine: Engine) -> None:
    world, access, mid = _setup(own_engine)
    with Session(own_engine) as first, Session(own_engine) as second:
        v1 = meeting_view(first, access, mid, TODAY).version
        assert meeting_view(second, access, mid, TODAY).version == v1 == 1
        save_meeting(first, access, meeting_input(world, venue="先保存的"), NOW, meeting_id=mid, expected_version=v1)
        first.commit()
        with pytest.raises(StaleEdit) as exc:
            save_meeting(
                second, access, meeting_input(world, venue="后保存的"), NOW, meeting_id=mid, expected_version=v1
            )
        second.rollback()
        assert exc.value.current_version == 2
    with Session(own_engine) as check:
        assert check.scalar(select(CouncilMeeting.venue).where(CouncilMeeting.id == mid)) == "先保存的"


def test_race_caught_by_the_versioned_update(own_engine: Engine) -> None:
    """The second editor's session already holds the row at version 1 when the first commits."""
    world, access, mid = _setup(own_engine)
    with Session(own_engine) as first, Session(own_engine, expire_on_commit=False) as second:
        held = second.get(CouncilMeeting, mid)
        assert held is not None and held.version == 1
        second.commit()  # end the read; the stale object stays in the identity map
        save_meeting(first, access, meeting_input(world, venue="先保存的"), NOW, meeting_id=mid, expected_version=1)
        first.commit()
        with pytest.raises(StaleEdit):
            save_meeting(
                second, access, meeting_input(world, venue="后保存的"), NOW, meeting_id=mid, expected_version=1
            )
    with Session(own_engine) as check:
        row = check.execute(select(CouncilMeeting.venue, CouncilMeeting.version).where(CouncilMeeting.id == mid)).one()
        assert tuple(row) == ("先保存的", 2)
