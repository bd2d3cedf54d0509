"""The /councils cards count what the page's lists match: its filter (dates, place, compound, category, outcome) and
the viewer's access, in SQL, on both engines.

Hand-made data of tests/test_red_property_queries.py (build_red_world). 甲市's counted meetings: m1 (一号小区,
2023-04-01: 电动车充电 resolved that day with f7 due 2023-05-01 done 2023-06-01; 车位改造 deferred), m3 (一号小区,
2024-01-01 00:30: i3 车位改造 carried from m1 and resolved 2024-01-01, i4 resolved 2024-01-20, 加装电梯 open; f1 on i3
due 2024-02-01 done 2024-01-25, f2 on i4 due 2024-03-01 in progress) and m4 (二号小区, 2024-06-30: i6 resolved that
day, carried from a deleted meeting's item so counted from m4; 其他 rejected; f3 due 2024-12-31 open, f4 due
2024-08-01 done 2025-01-10). 乙市: m5 (2024-03-01: i8 车位 resolved that day; f6 due 2024-04-01 open). m2 and m6 are
deleted. Nobody's attendance is recorded, so every meeting had a party absent.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data_access.core.clock import CITY_TZ
from data_access.core.models import AgendaItem, CouncilMeeting, MeetingStatus, Role
from data_access.core.scope import Area
from data_access.council_access import CouncilAccess
from data_access.councils import (
    CouncilFigures,
    CouncilFilter,
    council_figures,
    figures_from_records,
    figures_period,
    list_follow_ups,
    list_items,
    list_meetings,
)
from tests.test_red_property_queries import END_2024, build_red_world
from tests.world import World

BOTH_READERS = True  # the default view is read through the session's council reader: raw tables and rollups
ADMIN = CouncilAccess(Role.admin, 1, "admin", None, None, False)


def leader_of(city_id: int) -> CouncilAccess:
    return CouncilAccess(Role.leader, 2, "lead", frozenset({city_id}), None, False)


def press(today: date) -> CouncilAccess:
    return CouncilAccess(Role.press, 3, "press", None, None, True, posted_by=today)


def summary(f: CouncilFigures) -> tuple[int, ...]:
    """(meetings, incomplete, items, resolved, median days, follow-ups due, done when due, overdue)."""
    median = f.resolve.median_days
    return (
        f.meetings,
        f.incomplete_meetings,
        f.items,
        f.resolved,
        -1 if median is None else median,
        f.follow_ups_due,
        f.follow_ups_done_when_due,
        f.overdue_follow_ups,
    )


def city_a(w: World, **filters: object) -> CouncilFilter:
    return replace(CouncilFilter(area=Area(city_id=w.city_a.id)), **filters)


def test_without_dates_the_cards_count_this_years_meetings_and_every_follow_up(session: Session) -> None:
    """甲市 on 2024-12-31, no dates: the year's meetings m3 and m4 (2, both with a party absent), their 5 items of which
    i3, i4 and i6 are resolved, in 275 days (i3, from m1 on 2023-04-01), 19 (i4) and 0 (i6): median 19, mean 98.0.
    Follow-ups of every date: f1, f2, f3, f4, f7 are due by then, f1 and f7 done; f2 and f4 overdue (f3 is due that
    very day). The same figures the overview's roll-up gives."""
    w = build_red_world(session)
    f = council_figures(session, leader_of(w.city_a.id), city_a(w), END_2024)
    assert (f.first, f.last, f.dated) == (date(2024, 1, 1), END_2024, False)
    assert summary(f) == (2, 2, 5, 3, 19, 5, 2, 2)
    assert f.resolve.days == {275: 1, 19: 1, 0: 1} and str(f.resolve.mean_days) == "98.0"
    assert f.follow_up_completion == 0.4


def test_a_year_without_meetings_is_all_zeros(session: Session) -> None:
    """2030 chosen: the lists are empty and so are the cards (not the year's 2 meetings)."""
    w = build_red_world(session)
    flt = city_a(w, first=date(2030, 1, 1), last=date(2030, 12, 31))
    f = council_figures(session, leader_of(w.city_a.id), flt, END_2024)
    assert (f.first, f.last, f.dated) == (date(2030, 1, 1), date(2030, 12, 31), True)
    assert summary(f) == (0, 0, 0, 0, -1, 0, 0, 0)
    assert f.follow_up_completion is None
    access = leader_of(w.city_a.id)
    assert list_items(session, access, flt, END_2024) == [] and list_meetings(session, access, flt) == []
    # only a start: from 2030 up to as_of, an empty range
    only_from = council_figures(session, access, city_a(w, first=date(2030, 1, 1)), END_2024)
    assert (only_from.first, only_from.last, only_from.meetings) == (date(2030, 1, 1), END_2024, 0)


def test_a_past_year_counts_its_meetings_and_their_follow_ups(session: Session) -> None:
    """2023: m1 (1 meeting, 2 items, 1 resolved the same day); its follow-up f7, due and done in 2023."""
    w = build_red_world(session)
    flt = city_a(w, first=date(2023, 1, 1), last=date(2023, 12, 31))
    assert summary(council_figures(session, leader_of(w.city_a.id), flt, END_2024)) == (1, 1, 2, 1, 0, 1, 1, 0)
    # only an end: every meeting up to 2023-12-31, the same here
    until = council_figures(session, leader_of(w.city_a.id), city_a(w, last=date(2023, 12, 31)), END_2024)
    assert (until.first, until.meetings, until.items) == (None, 1, 2)


def test_place_compound_category_and_outcome_narrow_the_cards(session: Session) -> None:
    w = build_red_world(session)
    access = leader_of(w.city_a.id)
    # 一号小区 in 2024: m3, its 3 items, i3 (275 days) and i4 (19) resolved: lower median 19; f1, f2, f7: f2 overdue.
    assert summary(council_figures(session, access, city_a(w, compound_id=w.c1.id), END_2024)) == (
        1,
        1,
        3,
        2,
        19,
        3,
        2,
        1,
    )
    # 甲二区 (二号小区): m4, 2 items, i6 resolved in 0 days; f3 and f4 due, neither done by then, f4 overdue.
    district = CouncilFilter(area=Area(city_id=w.city_a.id, district_id=w.a2.id))
    assert summary(council_figures(session, access, district, END_2024)) == (1, 1, 2, 1, 0, 2, 0, 1)
    # Parking, province-wide: meetings m3 and m5 have a parking item (i3, i8, both resolved: 275 and 0 days, lower
    # median 0); follow-ups of parking items f1 (done) and f6 (overdue); m1's 车位改造 has none.
    parking = CouncilFilter(category="parking")
    assert summary(council_figures(session, ADMIN, parking, END_2024)) == (2, 2, 2, 2, 0, 2, 1, 1)
    # Rejected items in 甲市: m4's 其他, no follow-up.
    assert summary(council_figures(session, access, city_a(w, outcome="rejected"), END_2024)) == (
        1,
        1,
        1,
        0,
        -1,
        0,
        0,
        0,
    )


def test_the_viewers_access_narrows_the_cards_as_it_narrows_the_lists(session: Session) -> None:
    """Another city's leader asking for 甲市 (the page refuses; the query alone still keeps to 乙市): nothing. The
    press count only published items of posted notices: m3's i4 published, its notice posted 2024-01-05."""
    w = build_red_world(session)
    assert summary(council_figures(session, leader_of(w.city_b.id), city_a(w), END_2024)) == (0,) * 4 + (-1,) + (0,) * 3
    assert summary(council_figures(session, leader_of(w.city_b.id), CouncilFilter(), END_2024)) == (
        1,
        1,
        1,
        1,
        0,
        1,
        0,
        1,
    )
    assert summary(council_figures(session, press(END_2024), CouncilFilter(), END_2024))[:4] == (0, 0, 0, 0)
    m3 = session.scalar(
        select(CouncilMeeting).where(CouncilMeeting.held_at == datetime(2024, 1, 1, 0, 30, tzinfo=CITY_TZ))
    )
    assert m3 is not None
    m3.notice_from, m3.notice_to = date(2024, 1, 5), date(2024, 1, 12)
    session.execute(
        update(AgendaItem)
        .where(AgendaItem.title == "楼上渗水")
        .values(published_at=datetime(2024, 1, 5, tzinfo=CITY_TZ))
    )
    session.flush()
    # i4: 19 days; its follow-up f2 due 2024-03-01, not done: overdue.
    assert summary(council_figures(session, press(END_2024), CouncilFilter(), END_2024)) == (1, 1, 1, 1, 19, 1, 0, 1)
    # before the notice was posted the press sees nothing of it
    early = date(2024, 1, 4)
    assert council_figures(session, press(early), CouncilFilter(), early).items == 0


def test_planned_meetings_are_not_counted(session: Session) -> None:
    """A meeting still planned has not been held: it is in the meetings list, not in the cards."""
    w = build_red_world(session)
    session.add(
        CouncilMeeting(
            compound_id=w.c1.id,
            held_at=datetime(2024, 12, 20, 19, 0, tzinfo=CITY_TZ),
            status=MeetingStatus.planned,
            venue="红色议事厅",
            convener="李四",
        )
    )
    session.flush()
    access = leader_of(w.city_a.id)
    assert council_figures(session, access, city_a(w), END_2024).meetings == 2
    assert len(list_meetings(session, access, city_a(w, first=date(2024, 1, 1)))) == 3


def test_the_cards_agree_with_the_lists_they_stand_over(session: Session) -> None:
    """One definition: for each filter, the meetings card is the meetings list (all held here), the items card the
    items list, the overdue card the overdue list."""
    w = build_red_world(session)
    filters = [
        CouncilFilter(first=date(2024, 1, 1), last=END_2024),
        CouncilFilter(first=date(2023, 1, 1)),
        city_a(w, first=date(2023, 1, 1), category="parking"),
        city_a(w, last=date(2024, 3, 31), outcome="resolved"),
        CouncilFilter(area=Area(city_id=w.city_a.id, district_id=w.a1.id), first=date(2020, 1, 1)),
    ]
    for flt in filters:
        f = council_figures(session, ADMIN, flt, END_2024)
        assert f.meetings == len(list_meetings(session, ADMIN, flt)), flt
        assert f.items == len(list_items(session, ADMIN, flt, END_2024)), flt
        assert f.overdue_follow_ups == len(list_follow_ups(session, ADMIN, flt, END_2024, overdue_only=True)), flt


def test_the_default_view_from_the_council_reader_equals_the_records(session: Session) -> None:
    """Without dates, compound, category or outcome, a leader's or administrator's cards come from the council reader
    (council_rollup's definitions); counted from the records they are the same, in every area and on every day."""
    w = build_red_world(session)
    places = (Area(), Area(city_id=w.city_a.id), Area(city_id=w.city_a.id, district_id=w.a1.id), Area(w.city_b.id))
    for area in places:
        for as_of in (date(2023, 5, 15), date(2023, 12, 31), END_2024, date(2025, 6, 30)):
            flt = CouncilFilter(area=area)
            assert council_figures(session, ADMIN, flt, as_of) == figures_from_records(session, ADMIN, flt, as_of)
    leader = leader_of(w.city_a.id)
    assert council_figures(session, leader, city_a(w), END_2024) == figures_from_records(
        session, leader, city_a(w), END_2024
    )


def test_the_period_rule() -> None:
    today = date(2026, 11, 23)
    assert figures_period(CouncilFilter(), today) == (date(2026, 1, 1), today, False)
    assert figures_period(CouncilFilter(first=date(2025, 1, 1)), today) == (date(2025, 1, 1), today, True)
    assert figures_period(CouncilFilter(last=date(2025, 1, 1)), today) == (None, date(2025, 1, 1), True)
