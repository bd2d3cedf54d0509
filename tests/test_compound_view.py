"""The compound view's buildings, applications, trend and council meetings, hand-computed on both engines.

The world is tests/world.py: 一号小区 (c1, 甲市) has buildings 1 (E1 2015-01-01, E2 2015-06-01, E3 2022-01-01,
E4 2015-01-01) and 2 (E6 2015-01-01); E1 is insured from 2024-06-01 to 2025-06-01 (policy P1 of application 1,
filed 2024-05-01 by building 1's account for E1 and E2); building 2's account filed application 2 on 2024-09-01
for E6. Elevator work orders of 一号小区: W4 2023-03-01, W3 2023-12-31 23:50 (December locally), W1 2024-01-01 00:10
(January locally; the day before in UTC); W5 is a water leak. Its meetings: m1 (2023-04-01: 电动车充电 resolved,
车位改造 deferred) and m2 (deleted). The tests add elevator faults.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data_access.compounds import building_rows, compound_trend, compound_view
from data_access.core.models import (
    AgendaItem,
    CouncilMeeting,
    Elevator,
    ElevatorFault,
    FaultSeverity,
    MeetingStatus,
    Role,
    Unit,
)
from data_access.council_access import CouncilAccess
from data_access.councils import compound_meetings
from tests.world import World, build_world, local

END_2024 = date(2024, 12, 31)


@pytest.fixture()
def world(session: Session) -> World:
    w = build_world(session)
    by_code = {e.registration_code: e for e in session.scalars(select(Elevator))}

    def fault(code: str, at: datetime) -> None:
        session.add(
            ElevatorFault(
                elevator_id=by_code[code].id,
                reported_at=at,
                severity=FaultSeverity.minor,
                trapped_passengers=0,
                cause="door",
            )
        )

    fault("E2", local(2023, 6, 1))  # more than a year before the end of 2024
    fault("E1", local(2024, 3, 31, 23, 30))  # 15:30 UTC: still March locally
    fault("E6", local(2024, 12, 1))
    fault("EB", local(2024, 12, 2))  # 乙小区's
    session.flush()
    return w


def test_buildings_tell_the_compound_apart(session: Session, world: World) -> None:
    """Building 1: four elevators in service, E1 insured on 2024-12-31 since 2024-06-01, one fault in the year
    before (E1's in March; E2's of June 2023 is older); building 2: E6, not insured, its December fault. Units are
    counted per building (two added to building 1 here)."""
    b1 = session.scalars(select(Elevator.building_id).where(Elevator.registration_code == "E1")).one()
    session.add_all([Unit(building_id=b1, number="1", households=40), Unit(building_id=b1, number="2", households=40)])
    session.flush()
    rows = building_rows(session, world.c1.id, END_2024)
    assert [(r.number, r.floors, r.units, r.elevators, r.insured_elevators) for r in rows] == [
        ("1", 18, 2, 4, 1),
        ("2", 18, 0, 1, 0),
    ]
    assert [(r.first_insured_on, r.faults_last_12_months) for r in rows] == [(date(2024, 6, 1), 1), (None, 1)]
    # Before E3 entered service (2022-01-01) and before any policy: three elevators, none insured.
    early = building_rows(session, world.c1.id, date(2021, 12, 31))
    assert [(r.elevators, r.insured_elevators, r.first_insured_on) for r in early] == [(3, 0, None), (1, 0, None)]
    # After the policy ended E1 is no longer insured, but it was first insured on 2024-06-01.
    later = building_rows(session, world.c1.id, date(2025, 7, 1))
    assert (later[0].insured_elevators, later[0].first_insured_on) == (0, date(2024, 6, 1))


def test_each_application_names_its_building(session: Session, world: World) -> None:
    view = compound_view(session, world.c1.id, END_2024)
    assert view is not None
    assert [(a.building, a.unit, a.filed_on, a.elevators, a.decision) for a in view.applications] == [
        ("2", None, date(2024, 9, 1), 1, "pending"),
        ("1", None, date(2024, 5, 1), 2, "approved"),
    ]
    assert [b.number for b in view.buildings] == ["1", "2"]
    assert view.meetings == []  # no council access given: no meetings read


def test_the_trend_counts_local_months_and_marks_the_insuring(session: Session, world: World) -> None:
    """The 24 months to December 2024 (first insured June 2024: half a year earlier is inside them). Work orders:
    March 2023, December 2023 (23:50 on the 31st), January 2024 (00:10 on the 1st); the water leak is not counted.
    Faults: June 2023, March 2024 (23:30 on the 31st), December 2024."""
    trend = compound_trend(session, world.c1.id, END_2024)
    months = {(m.year, m.month): (m.complaints, m.faults) for m in trend.months}
    assert len(trend.months) == 24 and (trend.months[0].year, trend.months[0].month) == (2023, 1)
    assert (trend.months[-1].year, trend.months[-1].month) == (2024, 12)
    assert {k: v for k, v in months.items() if v != (0, 0)} == {
        (2023, 3): (1, 0),
        (2023, 6): (0, 1),
        (2023, 12): (1, 0),
        (2024, 1): (1, 0),
        (2024, 3): (0, 1),
        (2024, 12): (0, 1),
    }
    assert trend.first_insured_on == date(2024, 6, 1)


def test_the_trend_reaches_back_before_the_insuring(session: Session, world: World) -> None:
    """On 2026-06-30 the last 24 months start in July 2024, after the insuring (June 2024): the window reaches back
    to December 2023, half a year before it (31 months). A compound never insured keeps 24 months."""
    trend = compound_trend(session, world.c1.id, date(2026, 6, 30))
    assert (trend.months[0].year, trend.months[0].month, len(trend.months)) == (2023, 12, 31)
    assert sum(m.complaints for m in trend.months) == 2  # W3 (December 2023, its first month) and W1
    never = compound_trend(session, world.c2.id, date(2026, 6, 30))
    assert len(never.months) == 24 and never.first_insured_on is None


def test_meetings_as_each_viewer_may_read_them(session: Session, world: World) -> None:
    """A leader of 甲市 reads m1 (two items, one resolved; m2 is deleted); another city's leader, an organiser of
    another compound and the press (nothing published) read none. Once m1's notice is posted with 电动车充电 the press
    reads that one item, and the meeting's notice is up for everyone."""
    leader = CouncilAccess(Role.leader, 1, "lead", frozenset({world.city_a.id}), None, False)
    other_city = CouncilAccess(Role.leader, 2, "lead-b", frozenset({world.city_b.id}), None, False)
    organiser = CouncilAccess(
        Role.organiser,
        3,
        "org2",
        frozenset({world.city_a.id}),
        frozenset({world.c2.id}),
        False,
        frozenset({world.c2.id}),
    )
    today = date(2024, 6, 20)
    press = CouncilAccess(Role.press, 4, "press", None, None, True, posted_by=today)
    (m1,) = compound_meetings(session, leader, world.c1.id, today)
    assert (m1.held_on, m1.status, m1.items, m1.resolved, m1.topics, m1.notice_up) == (
        date(2023, 4, 1),
        "held",
        2,
        1,
        ("电动车充电", "车位改造"),
        False,
    )
    for access in (other_city, organiser, press):
        assert compound_meetings(session, access, world.c1.id, today) == []
    meeting = session.get(CouncilMeeting, m1.meeting_id)
    assert meeting is not None
    meeting.notice_from, meeting.notice_to = date(2023, 4, 3), date(2023, 4, 10)
    session.execute(update(AgendaItem).where(AgendaItem.title == "电动车充电").values(published_at=local(2023, 4, 3)))
    session.flush()
    (public,) = compound_meetings(session, press, world.c1.id, today)
    assert (public.items, public.resolved, public.topics, public.notice_up) == (1, 1, ("电动车充电",), True)
    assert compound_meetings(session, leader, world.c1.id, today)[0].notice_up
    # A planned meeting is listed (first: the newest) and says so; the view carries the list for the access given.
    session.add(
        CouncilMeeting(
            compound_id=world.c1.id,
            held_at=local(2024, 7, 1, 19),
            status=MeetingStatus.planned,
            venue="红色议事厅",
            convener="张三",
        )
    )
    session.flush()
    view = compound_view(session, world.c1.id, today, leader)
    assert view is not None and [(m.status, m.items) for m in view.meetings] == [("planned", 0), ("held", 2)]
    assert [m.items for m in compound_meetings(session, press, world.c1.id, today)] == [1]
