"""/red-property queries on the hand-made world of tests/world.py plus the rows below, both backends.

Extra rows (on top of world.py's meeting m1 of 一号小区 on 2023-04-01 — 电动车充电 resolved that day,
车位改造 deferred — and its soft-deleted meeting m2 of 2023-05-01):

- m3 一号小区, 00:30 local on 2024-01-01 (still 31 December 2023 in UTC):
    i3 车位改造 carried from m1's item, resolved 2024-01-01  → 275 days after m1 (2023-04-01)
    i4 water leak, resolved 2024-01-20                     → 19 days (20 if the UTC day were used)
    i5 add elevator, no outcome yet
- m4 二号小区, 2024-06-30: i6 e-bike carried from the deleted meeting's item, resolved that day → 0 days
  (the earlier meeting is deleted, so its own meeting counts); i7 other, rejected
- m5 乙小区 (city B), 2024-03-01: i8 parking resolved that day
- m6 二号小区, 2024-07-01, soft-deleted: i9 resolved that day, follow-up f5 overdue — never counted
- follow-ups: f1 on i3 due 2024-02-01 done 2024-01-25; f2 on i4 due 2024-03-01 in progress;
  f3 on i6 due 2024-12-31 open; f4 on i6 due 2024-08-01 done only 2025-01-10; f6 on i8 due 2024-04-01 open;
  f7 on m1's e-bike item due 2023-05-01 done 2023-06-01
- a second service station in 一号小区 (2023-01-01): the compound still counts once
- 乙小区's project: inspected, declared 2024-05-01, scores 10, 11, 12, 13, 14 (total 60)
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from plotly.utils import PlotlyJSONEncoder
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.core.models import (
    AgendaCategory,
    AgendaItem,
    AgendaOutcome,
    Compound,
    CouncilMeeting,
    CouncilParty,
    DemonstrationProject,
    FollowUp,
    FollowUpStatus,
    ProjectStatus,
    ServiceStation,
)
from data_access.core.scope import Area
from data_access.facts import facts
from data_access.red_property import (
    project_pipeline,
    project_scores,
    red_figures,
    red_property_compounds,
    red_property_page_data,
    stations_by_district,
)
from tests.world import World, build_world, local

BOTH_READERS = True  # every test runs on the raw tables and on the rollups (tests/rollup_modes.py)

END_2023 = date(2023, 12, 31)
END_2024 = date(2024, 12, 31)


def build_red_world(s: Session) -> World:
    w = build_world(s)
    cb = s.scalar(select(Compound).where(Compound.name == "乙小区"))
    assert cb is not None
    m1, m2 = s.scalars(select(CouncilMeeting).order_by(CouncilMeeting.id)).all()
    items = {i.title: i for i in s.scalars(select(AgendaItem))}
    ebike_2023, parking_2023, deleted_item = items["电动车充电"], items["车位改造"], items["已删除会议的议题"]

    m3 = CouncilMeeting(compound_id=w.c1.id, held_at=local(2024, 1, 1, 0, 30), venue="红色议事厅", convener="李四")
    m4 = CouncilMeeting(compound_id=w.c2.id, held_at=local(2024, 6, 30, 19, 30), venue="红色议事厅", convener="王五")
    m5 = CouncilMeeting(compound_id=cb.id, held_at=local(2024, 3, 1), venue="红色议事厅", convener="赵六")
    m6 = CouncilMeeting(
        compound_id=w.c2.id,
        held_at=local(2024, 7, 1),
        venue="红色议事厅",
        convener="王五",
        deleted_at=local(2024, 7, 2),
    )
    s.add_all([m3, m4, m5, m6])
    s.flush()

    def item(
        m: CouncilMeeting,
        title: str,
        cat: AgendaCategory,
        outcome: AgendaOutcome | None,
        resolved: date | None = None,
        carried: AgendaItem | None = None,
    ) -> AgendaItem:
        it = AgendaItem(
            meeting_id=m.id,
            title=title,
            category=cat,
            raising_party=CouncilParty.residents,
            outcome=outcome,
            resolved_on=resolved,
            carried_from_id=carried.id if carried else None,
        )
        s.add(it)
        return it

    res = AgendaOutcome.resolved
    i3 = item(m3, "（续议）车位改造", AgendaCategory.parking, res, date(2024, 1, 1), parking_2023)
    i4 = item(m3, "楼上渗水", AgendaCategory.water_leak, res, date(2024, 1, 20))
    item(m3, "加装电梯", AgendaCategory.add_elevator, None)
    i6 = item(m4, "（续议）充电桩", AgendaCategory.ebike_charging, res, date(2024, 6, 30), deleted_item)
    item(m4, "其他", AgendaCategory.other, AgendaOutcome.rejected)
    i8 = item(m5, "车位", AgendaCategory.parking, res, date(2024, 3, 1))
    i9 = item(m6, "已删除会议的议题二", AgendaCategory.other, res, date(2024, 7, 1))
    s.flush()

    def follow(it: AgendaItem, due: date, status: FollowUpStatus, done: date | None = None) -> None:
        s.add(
            FollowUp(
                agenda_item_id=it.id,
                owner_party=CouncilParty.property_company,
                action="落实",
                contact_name="联系人甲",
                due_on=due,
                status=status,
                completed_on=done,
            )
        )

    follow(i3, date(2024, 2, 1), FollowUpStatus.done, date(2024, 1, 25))  # f1
    follow(i4, date(2024, 3, 1), FollowUpStatus.in_progress)  # f2
    follow(i6, date(2024, 12, 31), FollowUpStatus.open)  # f3
    follow(i6, date(2024, 8, 1), FollowUpStatus.done, date(2025, 1, 10))  # f4
    follow(i9, date(2024, 8, 1), FollowUpStatus.open)  # f5 (deleted meeting)
    follow(i8, date(2024, 4, 1), FollowUpStatus.open)  # f6 (city B)
    follow(ebike_2023, date(2023, 5, 1), FollowUpStatus.done, date(2023, 6, 1))  # f7
    s.add_all(
        [
            ServiceStation(compound_id=w.c1.id, name="第二个站点", opened_on=date(2023, 1, 1)),
            DemonstrationProject(
                compound_id=cb.id,
                declared_on=date(2024, 5, 1),
                status=ProjectStatus.inspected,
                score_organisation=10,
                score_team=11,
                score_venue=12,
                score_mechanism=13,
                score_service=14,
            ),
        ]
    )
    s.flush()
    assert m2.deleted_at is not None and m1.deleted_at is None
    return w


def test_red_figures_city(session: Session) -> None:
    """甲市 at the end of 2024: 1 accepted; committees 2; companies 3 of 5; stations 1 of 3 compounds;
    resolved 4 in all (m1's e-bike, i3, i4, i6), 3 of them in 2024; overdue f2 and f4 (done only in 2025)."""
    w = build_red_world(session)
    f = red_figures(session, Area(city_id=w.city_a.id), END_2024)
    s = f.summary
    assert (s.accepted_projects, s.industry_party_committees, s.companies_with_party_org) == (1, 2, 3)
    assert (s.compounds_with_service_station, s.council_items_resolved) == (1, 4)
    assert (f.companies_registered, f.compounds, f.resolved_in_year, f.overdue_follow_ups) == (5, 3, 3, 2)
    assert f.company_share == Decimal("0.6")
    assert f.station_share == Decimal("0.333333")
    # The same day a year earlier: companies 2, one item resolved (in 2023), nothing overdue (f7 done in time).
    p = red_figures(session, Area(city_id=w.city_a.id), END_2023)
    assert (p.summary.companies_with_party_org, p.summary.council_items_resolved) == (2, 1)
    assert (p.resolved_in_year, p.overdue_follow_ups) == (1, 0)
    # Mid-May 2023 f7 (due 1 May, done 1 June) was overdue.
    assert red_figures(session, Area(city_id=w.city_a.id), date(2023, 5, 15)).overdue_follow_ups == 1
    # Mid-2025 f4 is done; f2 and f3 (due 2024-12-31, not overdue on that day itself) are.
    assert red_figures(session, Area(city_id=w.city_a.id), date(2025, 6, 30)).overdue_follow_ups == 2


def test_red_figures_district_and_province(session: Session) -> None:
    """甲一区 (一号, 三号): the company serving it; its committee; 3 resolved (2 in 2024); f2 overdue.
    Province: adds 乙小区's i8 (resolved) and f6 (overdue); f5 of the deleted meeting never counts."""
    w = build_red_world(session)
    d = red_figures(session, Area(city_id=w.city_a.id, district_id=w.a1.id), END_2024)
    s = d.summary
    assert (s.companies_with_party_org, d.companies_registered, s.industry_party_committees) == (1, 1, 1)
    assert (d.summary.council_items_resolved, d.resolved_in_year, d.overdue_follow_ups, d.compounds) == (3, 2, 1, 2)
    p = red_figures(session, Area(), END_2024)
    assert (p.summary.council_items_resolved, p.resolved_in_year, p.overdue_follow_ups) == (5, 4, 3)
    assert (p.companies_registered, p.compounds, p.summary.companies_with_party_org) == (6, 4, 4)


def test_project_pipeline(session: Session) -> None:
    """一号 accepted 2022-05-01, 二号 inspected; mid-April 2022 一号 was not yet accepted (→ inspected)."""
    w = build_red_world(session)
    city = Area(city_id=w.city_a.id)

    def stages(area: Area, on: date) -> list[tuple[str, int]]:
        return [(r.stage, r.projects) for r in project_pipeline(session, area, on)]

    assert stages(city, END_2024) == [("declared", 0), ("building", 0), ("inspected", 1), ("accepted", 1)]
    assert stages(city, date(2022, 4, 15)) == [("declared", 0), ("building", 0), ("inspected", 2), ("accepted", 0)]
    assert stages(city, date(2022, 3, 31)) == [("declared", 0), ("building", 0), ("inspected", 0), ("accepted", 0)]
    assert stages(Area(), END_2024)[2:] == [("inspected", 2), ("accepted", 1)]
    assert stages(Area(), END_2023)[2:] == [("inspected", 1), ("accepted", 1)]  # 乙小区 declared in 2024


def test_project_scores(session: Session) -> None:
    """Only scored projects: 一号 (92, accepted) and 乙小区 (60, inspected); 二号 is inspected but unscored."""
    w = build_red_world(session)
    rows = project_scores(session, Area(), END_2024)
    assert [(r.compound, r.stage, r.scores, r.total) for r in rows] == [
        ("一号小区", "accepted", (18, 19, 17, 18, 20), 92),
        ("乙小区", "inspected", (10, 11, 12, 13, 14), 60),
    ]
    assert [r.compound for r in project_scores(session, Area(city_id=w.city_a.id), END_2024)] == ["一号小区"]
    assert [r.stage for r in project_scores(session, Area(city_id=w.city_a.id), date(2022, 4, 15))] == ["inspected"]


def test_stations_by_district(session: Session) -> None:
    """甲一区: 2 compounds, 一号 has two stations (counted once); 甲二区: 二号's station opens in 2025."""
    w = build_red_world(session)
    rows = stations_by_district(session, Area(city_id=w.city_a.id), END_2024)
    assert [(r.district, r.city_code, r.compounds, r.with_station, r.share) for r in rows] == [
        ("甲一区", "a", 2, 1, Decimal("0.5")),
        ("甲二区", "a", 1, 0, Decimal("0")),
    ]
    later = stations_by_district(session, Area(city_id=w.city_a.id, district_id=w.a2.id), date(2025, 6, 30))
    assert [(r.district, r.with_station) for r in later] == [("甲二区", 1)]
    assert len(stations_by_district(session, Area(), END_2024)) == 3


def test_agenda_by_category(session: Session) -> None:
    """2024 meetings of 甲市: m3 (00:30 local on 1 January counts in 2024) and m4; m6 is deleted."""
    w = build_red_world(session)
    rows = facts(session).councils.agenda_by_category(Area(city_id=w.city_a.id), END_2024)
    assert [(r.category, r.outcome, r.items) for r in rows] == [
        ("add_elevator", None, 1),
        ("ebike_charging", "resolved", 1),
        ("other", "rejected", 1),
        ("parking", "resolved", 1),
        ("water_leak", "resolved", 1),
    ]
    rows_2023 = facts(session).councils.agenda_by_category(Area(city_id=w.city_a.id), END_2023)
    assert [(r.category, r.outcome, r.items) for r in rows_2023] == [
        ("ebike_charging", "resolved", 1),
        ("parking", "deferred", 1),
    ]


def test_resolve_times(session: Session) -> None:
    """甲市 2024: i3 275 days (from m1), i4 19 days (local day of m3), i6 0 days (earlier meeting deleted)."""
    w = build_red_world(session)
    r = facts(session).councils.resolve_times(Area(city_id=w.city_a.id), END_2024)
    assert r.days == {0: 1, 19: 1, 275: 1}
    assert r.bands == [("same_day", 1), ("d1_30", 1), ("d31_90", 0), ("d91_180", 0), ("d181", 1)]
    assert (r.items, r.mean_days, r.median_days) == (3, Decimal("98.0"), 19)
    empty = facts(session).councils.resolve_times(Area(city_id=w.city_b.id), END_2023)
    assert (empty.items, empty.mean_days, empty.median_days) == (0, None, None)


def test_meetings_by_quarter(session: Session) -> None:
    """甲市: 2023 Q2 m1 (m2 deleted); 2024 Q1 m3 (local day, though 2023 Q4 in UTC), Q2 m4; m6 deleted."""
    w = build_red_world(session)
    rows = facts(session).councils.meetings_by_quarter(Area(city_id=w.city_a.id), END_2024)
    assert [(r.year, r.quarter, r.meetings) for r in rows] == [
        (2023, 1, 0),
        (2023, 2, 1),
        (2023, 3, 0),
        (2023, 4, 0),
        (2024, 1, 1),
        (2024, 2, 1),
        (2024, 3, 0),
        (2024, 4, 0),
    ]
    mid_may = facts(session).councils.meetings_by_quarter(Area(city_id=w.city_a.id), date(2024, 5, 15))
    assert [(r.year, r.quarter, r.meetings) for r in mid_may][-2:] == [(2024, 1, 1), (2024, 2, 0)]


def test_compound_red_table(session: Session) -> None:
    """Hand-computed rows for 甲市 at the end of 2024; columns add up to the cards."""
    w = build_red_world(session)
    area = Area(city_id=w.city_a.id)
    rows = facts(session).councils.compound_table(area, END_2024)
    assert [
        (
            r.compound,
            r.district,
            r.stage,
            r.total_score,
            r.has_station,
            r.meetings_in_year,
            r.resolved_in_year,
            r.overdue_follow_ups,
        )
        for r in rows
    ] == [
        ("一号小区", "甲一区", "accepted", 92, True, 1, 2, 1),
        ("二号小区", "甲二区", "inspected", None, False, 1, 1, 1),
        ("三号小区", "甲一区", None, None, False, 0, 0, 0),
    ]
    figures = red_figures(session, area, END_2024)
    assert sum(r.resolved_in_year for r in rows) == figures.resolved_in_year
    assert sum(r.overdue_follow_ups for r in rows) == figures.overdue_follow_ups
    assert sum(r.has_station for r in rows) == figures.summary.compounds_with_service_station
    district = facts(session).councils.compound_table(Area(city_id=w.city_a.id, district_id=w.a2.id), END_2024)
    assert [r.compound for r in district] == ["二号小区"]
    # In 2022 (as of mid-April) 一号's project was still awaiting acceptance, and nobody met.
    early = facts(session).councils.compound_table(area, date(2022, 4, 15))
    assert [(r.compound, r.stage, r.meetings_in_year) for r in early][:2] == [
        ("一号小区", "inspected", 0),
        ("二号小区", "inspected", 0),
    ]


def test_page_data_bundle_and_export_rows(session: Session) -> None:
    w = build_red_world(session)
    area = Area(city_id=w.city_a.id)
    page = red_property_page_data(session, area, 2024, date(2025, 3, 1), 2021)
    assert page.as_of == END_2024
    assert page.previous is not None and page.previous.as_of == END_2023
    assert page.current == red_figures(session, area, END_2024)
    assert red_property_compounds(session, area, 2024, date(2025, 3, 1), 2021) == page.compounds
    this_year = red_property_page_data(session, area, 2025, date(2025, 3, 1), 2021)
    assert this_year.as_of == date(2025, 3, 1)
    assert this_year.previous is not None and this_year.previous.as_of == date(2024, 3, 1)
    assert this_year.previous.resolved_in_year == 2  # i3 and i4, resolved from 1 January to 1 March 2024


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_shows_no_personal_names(session: Session, lang: str) -> None:
    """Conveners and follow-up contacts exist in the data but never reach the page (any role, press included)."""
    from components.red_property import (
        agenda_chart,
        compound_rows,
        compound_table,
        district_chart,
        pipeline_chart,
        quarter_chart,
        red_cards,
        resolve_chart,
        scores_chart,
    )

    w = build_red_world(session)
    page = red_property_page_data(session, Area(), 2024, date(2025, 3, 1), 2021)
    parts = [
        red_cards(page.current, page.previous, lang),
        pipeline_chart(page.stages, page.as_of, lang),
        scores_chart(page.scores, page.as_of, lang),
        district_chart(page.districts, page.as_of, lang),
        agenda_chart(page.agenda, page.as_of, lang),
        resolve_chart(page.resolve, page.as_of, lang),
        quarter_chart(page.quarters, page.as_of, lang),
        compound_table(lang),
        compound_rows(page.compounds, lang),  # what the grid's block requests and exports send
    ]
    text = json.dumps(parts, cls=PlotlyJSONEncoder, ensure_ascii=False)
    assert "一号小区" in text and w.c1.name == "一号小区"
    for name in ("张三", "李四", "王五", "赵六", "联系人甲"):
        assert name not in text
