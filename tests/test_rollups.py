"""The pre-aggregated tables give the raw queries' answers, and are only read while they match the data.

The hand-computed query tests already run on both readers (BOTH_READERS in their modules). Here:
- the timeline levels (funnel, compound stock, pooled capacity) are compared with the raw queries on every
  day where anything in the hand-made worlds changes, and the day before and after;
- every page's data for the `small` demo (thousands of compounds' worth of realistic rows) is compared
  between readers, for the province, each city and a district, this year and earlier years, on both engines;
- stale rollups (data loaded after the refresh) are not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from data_access.complaints import complaints_page_data
from data_access.core.dataset import GENERATION_KEY, ROLLUP_KEY, decide_reader_again, rollups_ready
from data_access.core.db import make_engine
from data_access.core.models import (
    City,
    CouncilMeeting,
    DatasetInfo,
    District,
    Elevator,
    FundEntryKind,
    InsuranceApplication,
    InsurancePolicy,
    MaintenanceFundEntry,
    PooledAccount,
    PooledAccountEntry,
    ProgrammeRule,
)
from data_access.core.rollup_tables import agg_coverage
from data_access.core.scope import Area
from data_access.councils import CouncilFilter
from data_access.demo import seed_demo
from data_access.elevators import elevators_page_data
from data_access.facts import facts
from data_access.funds import funds_page_data
from data_access.indicators import elevator_coverage, headline, overview
from data_access.migrate import upgrade
from data_access.rollup_refresh import refresh_rollups
from data_access.rollup_timelines import warranty_ends
from tests.conftest import make_database_url
from tests.test_elevator_page_queries import extend_world
from tests.test_elevator_queries import build as build_elevator_world
from tests.world import build_world

TODAY = date(2026, 11, 23)


def both(session: Session, fn, *args):  # type: ignore[no-untyped-def]
    """The function's answer from the raw tables, then from the rollups."""
    session.info["rollups"] = False
    raw = fn(session, *args)
    session.info.pop("rollups")
    assert rollups_ready(session)
    return raw, fn(session, *args)


def change_days(session: Session) -> list[date]:
    """Every day on which something in the data set starts or stops, with the day before and after."""
    days: set[date] = set()
    for column in (
        Elevator.in_service_on,
        MaintenanceFundEntry.booked_on,
        PooledAccountEntry.booked_on,
        PooledAccount.opened_on,
        InsurancePolicy.period_start,
        InsurancePolicy.period_end,
        InsuranceApplication.filed_on,
        InsuranceApplication.decided_on,
        ProgrammeRule.effective_from,
        ProgrammeRule.effective_to,
    ):
        days.update(d for d in session.scalars(select(column).distinct()) if d is not None)
    for since in list(session.scalars(select(Elevator.in_service_on).distinct())):
        days.update(warranty_ends(since, years) for years in (5, 6))
    return sorted({d + timedelta(days=k) for d in days for k in (-1, 0, 1)})


def areas(session: Session) -> list[Area]:
    out = [Area()]
    for city_id in session.scalars(select(City.id)):
        out.append(Area(city_id=city_id))
    for district_id, city_id in session.execute(select(District.id, District.city_id)):
        out.append(Area(city_id=city_id, district_id=district_id))
    return out


@pytest.mark.parametrize("world", ["indicators", "elevators"])
def test_timeline_levels_equal_the_raw_queries_on_every_change_day(session: Session, world: str) -> None:
    if world == "indicators":
        build_world(session)
    else:
        build_elevator_world(session)
    refresh_rollups(session)
    days = change_days(session)
    assert len(days) > 30
    for area in areas(session):
        for day in days:
            raw, agg = both(session, elevator_coverage, area, day)
            assert raw == agg, (area, day)
            raw, agg = both(session, lambda s, *a: facts(s).funds.pooled_capacity(*a), area, day)
            assert raw == agg, (area, day)
            raw, agg = both(
                session, lambda s, *a: facts(s).compound_elevators.compound_table(*a), area, date(day.year, 1, 1), day
            )
            assert raw == agg, (area, day)


def test_the_page_worlds_agree_too(session: Session) -> None:
    """The extended indicator world (more elevators, faults, visits, policies) on its page dates."""
    w = build_world(session)
    extend_world(session, w)
    refresh_rollups(session)
    for area in areas(session):
        for year in (2023, 2024, 2025, 2026):
            for fn in (elevators_page_data, funds_page_data, complaints_page_data):
                args = (area, year, TODAY) if fn is elevators_page_data else (area, year, TODAY, 2019)
                raw, agg = both(session, fn, *args)
                assert raw == agg, (fn.__name__, area, year)


def test_stale_rollups_are_not_read(session: Session) -> None:
    w = build_world(session)
    refresh_rollups(session)
    assert rollups_ready(session)
    assert session.scalar(select(DatasetInfo.value).where(DatasetInfo.key == ROLLUP_KEY)) == session.scalar(
        select(DatasetInfo.value).where(DatasetInfo.key == GENERATION_KEY)
    )
    before = headline(session, Area(city_id=w.city_a.id), date(2024, 12, 31)).fund.deposits_total_fen
    # A bulk load without a refresh renews the generation (as every load must, for the result cache too) …
    building = session.scalar(select(func.min(MaintenanceFundEntry.building_id)))
    session.add(
        MaintenanceFundEntry(
            building_id=building, kind=FundEntryKind.deposit, booked_on=date(2024, 6, 1), amount_fen=1_000_000
        )
    )
    session.execute(update(DatasetInfo).where(DatasetInfo.key == GENERATION_KEY).values(value="reloaded"))
    session.flush()
    assert rollups_ready(session)  # a session keeps the reader it was opened with…
    decide_reader_again(session)  # …and one opened after the load (this one, standing in for it) decides again:
    # from then on the pages read the raw tables, which hold the new entry.
    assert not rollups_ready(session)
    after = headline(session, Area(city_id=w.city_a.id), date(2024, 12, 31)).fund.deposits_total_fen
    assert after == before + 1_000_000
    assert session.scalar(select(func.count()).select_from(agg_coverage)) > 0  # still there, just not read
    refresh_rollups(session)
    assert rollups_ready(session)
    assert headline(session, Area(city_id=w.city_a.id), date(2024, 12, 31)).fund.deposits_total_fen == after


def test_a_data_set_without_a_generation_gets_one_and_an_empty_one_is_raw(session: Session) -> None:
    assert not rollups_ready(session)  # nothing built yet
    build_world(session)
    assert not rollups_ready(session)
    refresh_rollups(session)
    assert session.scalar(select(DatasetInfo.value).where(DatasetInfo.key == GENERATION_KEY))
    assert rollups_ready(session)
    session.info["rollups"] = False
    assert not rollups_ready(session)


def test_warranty_ends_matches_minus_years() -> None:
    from data_access.indicators import minus_years

    for since in (date(2016, 2, 29), date(2015, 3, 1), date(2015, 2, 28), date(2019, 12, 31), date(2020, 1, 1)):
        for years in (1, 4, 5, 8):
            end = warranty_ends(since, years)
            assert minus_years(end, years) >= since > minus_years(end - timedelta(days=1), years), (since, years)


# --------------------------------------------------------------------------- the small demo, both engines


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def small_demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    for url in make_database_url(request.param, Path(tmp_path_factory.mktemp(f"small-{request.param}"))):
        upgrade(url)
        engine = make_engine(url)
        seed_demo(engine, scale="small", today=TODAY)
        yield engine
        engine.dispose()


def test_the_seed_builds_the_rollups(small_demo: Engine) -> None:
    with Session(small_demo) as s:
        assert rollups_ready(s)
        assert s.scalar(select(func.count()).select_from(agg_coverage)) > 0


def test_every_page_agrees_on_the_small_demo(small_demo: Engine) -> None:
    with Session(small_demo) as s:
        cities = list(s.scalars(select(City.id).order_by(City.id)))
        districts = s.execute(select(District.id, District.city_id).order_by(District.id)).all()
        views = [
            Area(),
            *(Area(city_id=c) for c in cities),
            *(Area(city_id=c, district_id=d) for d, c in districts[::4]),
        ]
        for area in views:
            raw, agg = both(s, overview, area, TODAY)
            assert raw == agg, ("overview", area)
            for year in (2021, 2024, TODAY.year):
                raw, agg = both(s, funds_page_data, area, year, TODAY, 2019)
                assert raw == agg, ("funds", area, year)
                raw, agg = both(s, elevators_page_data, area, year, TODAY)
                assert raw == agg, ("elevators", area, year)
                raw, agg = both(s, complaints_page_data, area, year, TODAY, 2019)
                assert raw == agg, ("complaints", area, year)


# --------------------------------------------------------------------------- council writes keep them current


def test_council_writes_keep_the_council_rollups_current(session: Session) -> None:
    """Without any full refresh: recording, editing, completing and deleting meetings through council_records
    rebuilds the council rollups of that district and compound, so every council figure still equals the raw
    one — and the other rollups were not made stale by it."""
    from data_access.core.models import Role
    from data_access.council_records import delete_meeting, save_meeting, set_follow_up_status
    from data_access.councils import council_rollup, list_follow_ups
    from data_access.indicators import red_property_summary
    from tests.test_council_records import HELD, NOW, access_for, meeting_input

    w = build_world(session)
    refresh_rollups(session)
    organiser = access_for(session, "org-rollups", Role.organiser, [w.c1.id, w.c2.id])
    views = [Area(), Area(city_id=w.city_a.id), Area(city_id=w.city_a.id, district_id=w.a1.id)]
    views.append(Area(city_id=w.city_a.id, district_id=w.a2.id))
    days = [HELD.date(), date(2024, 6, 30), date(2024, 7, 1), date(2024, 12, 31)]

    def agree(step: str) -> None:
        assert rollups_ready(session), step
        for area in views:
            for day in days:
                for name, fn in (
                    ("council_rollup", council_rollup),
                    ("red_property_summary", red_property_summary),
                    ("compound table", lambda s, *a: facts(s).councils.compound_table(*a)),
                ):
                    raw, agg = both(session, fn, area, day)
                    assert raw == agg, (step, name, area, day)

    def version(meeting_id: int) -> int:
        return int(session.scalar(select(CouncilMeeting.version).where(CouncilMeeting.id == meeting_id)))

    first = save_meeting(session, organiser, meeting_input(w), NOW)
    agree("recorded")
    second = save_meeting(session, organiser, meeting_input(w, compound_id=w.c2.id), NOW)
    agree("recorded in another district")
    overdue = list_follow_ups(session, organiser, CouncilFilter(), date(2024, 7, 5), overdue_only=True)
    late = next(f for f in overdue if f.meeting_id == second)
    later = NOW + timedelta(days=13)
    set_follow_up_status(session, organiser, late.follow_up_id, version(second), "done", date(2024, 7, 2), later)
    agree("follow-up done late")
    delete_meeting(session, organiser, first, version(first), later)
    agree("deleted")
