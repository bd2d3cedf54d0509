"""The council roll-up is the one source of council figures: the overview, /red-property and /councils agree.

Hand-made data of tests/test_red_property_queries.py (build_red_world), both backends.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from data_access.core.scope import Area
from data_access.councils import council_rollup
from data_access.indicators import overview
from data_access.red_property import red_property_page_data
from tests.test_red_property_queries import END_2024, build_red_world

BOTH_READERS = True  # every test runs on the raw tables and on the rollups (tests/rollup_modes.py)


def test_rollup_hand_computed_for_city_a(session: Session) -> None:
    """甲市, end of 2024: meetings m3 and m4 count (m6 deleted; m1 is 2023), none has attendees recorded, so
    both are incomplete; items raised at them 5; resolved in 2024: i3, i4, i6; in all also m1's e-bike item;
    follow-ups due by then: f1 (done), f2, f3 (due that very day), f4 (done only in 2025), f7 (done) → 2 of 5
    done; overdue f2 and f4 (f3 is not overdue on its due day)."""
    w = build_red_world(session)
    r = council_rollup(session, Area(city_id=w.city_a.id), END_2024)
    assert (r.meetings_in_year, r.incomplete_meetings_in_year, r.items_in_year) == (2, 2, 5)
    assert (r.resolved_in_year, r.resolved_total) == (3, 4)
    assert (r.follow_ups_due, r.follow_ups_done_when_due, r.overdue_follow_ups) == (5, 2, 2)
    assert r.follow_up_completion == 0.4
    one = council_rollup(session, Area(city_id=w.city_a.id), END_2024, compound_id=w.c1.id)
    assert (one.meetings_in_year, one.resolved_in_year, one.resolved_total, one.overdue_follow_ups) == (1, 2, 3, 1)


def test_red_property_page_and_overview_equal_the_rollup(session: Session) -> None:
    w = build_red_world(session)
    for area in (Area(), Area(city_id=w.city_a.id), Area(city_id=w.city_a.id, district_id=w.a1.id)):
        for as_of in (date(2023, 12, 31), END_2024, date(2025, 6, 30)):
            r = council_rollup(session, area, as_of)
            page = red_property_page_data(session, area, as_of.year, as_of, 2019)
            assert page.current.resolved_in_year == r.resolved_in_year
            assert page.current.overdue_follow_ups == r.overdue_follow_ups
            assert page.current.summary.council_items_resolved == r.resolved_total
            assert (page.agenda, page.quarters, page.resolve) == (r.agenda, r.quarters, r.resolve)
            assert overview(session, area, as_of).red_property.council_items_resolved == r.resolved_total
