"""Red-property queries for the /red-property page: projects, stations, four-party councils, follow-ups.

Conventions as in data_access.indicators: stocks as of `as_of` (inclusive), flows within
[1 January of as_of's year, as_of]; soft-deleted council meetings (deleted_at set) never count, nor do
their agenda items and follow-ups. Meeting days are local (Asia/Shanghai) calendar days.
No query here returns a person's name: attendees, conveners and follow-up contacts stay out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from data_access.cache import cached_query
from data_access.core.db import many_rows
from data_access.core.models import (
    AgendaItem,
    AgendaOutcome,
    City,
    Compound,
    CouncilMeeting,
    DemonstrationProject,
    District,
    FollowUp,
    ProjectStatus,
    PropertyCompany,
    ServiceStation,
)
from data_access.core.rollup_tables import (
    agg_council_agenda,
    agg_council_compound_day,
    agg_council_day,
    agg_council_resolve,
)
from data_access.core.rules import counted_meeting, live_item, minus_years, overdue_condition, ratio, year_start
from data_access.core.scope import (
    ON_COMPOUND,
    ON_COMPOUND_DISTRICT,
    ON_DISTRICT,
    Anchor,
    Area,
    companies_serving,
    within,
)
from data_access.core.sqlfuncs import in_local_days, local_day_gap, local_month, local_year
from data_access.council_sql import items_from_meetings, scope_council
from data_access.facts import facts
from data_access.indicators import RedPropertySummary, as_of_for_year, red_property_summary

STAGES = ("declared", "building", "inspected", "accepted")
REDS = ("organisation", "team", "venue", "mechanism", "service")
# Days from first raising an item to its resolution: (key, lowest day, highest day or None).
RESOLVE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("same_day", -(10**6), 0),
    ("d1_30", 1, 30),
    ("d31_90", 31, 90),
    ("d91_180", 91, 180),
    ("d181", 181, None),
)


def _stage(as_of: date) -> Any:
    """A project's stage on as_of: accepted once accepted_on has passed; accepted later → still inspected.

    Only the acceptance date is recorded, so a project accepted after as_of is shown at the stage that
    acceptance follows (inspected); other projects show their recorded status.
    """
    dp = DemonstrationProject
    return case(
        (dp.accepted_on <= as_of, "accepted"),
        (dp.status == ProjectStatus.accepted, "inspected"),
        else_=func.lower(dp.status),
    )


def _total_score() -> Any:
    dp = DemonstrationProject
    return dp.score_organisation + dp.score_team + dp.score_venue + dp.score_mechanism + dp.score_service


# --------------------------------------------------------------------------- headline figures


@dataclass(frozen=True)
class RedFigures:
    summary: RedPropertySummary  # the overview's figures, reused so both pages agree
    companies_registered: int  # registered property companies of the area (denominator of the Party-org share)
    compounds: int  # compounds completed by as_of (denominator of the station share)
    resolved_in_year: int  # council items resolved from 1 January to as_of
    overdue_follow_ups: int  # not done on as_of although due before it

    @property
    def as_of(self) -> date:
        return self.summary.as_of

    @property
    def company_share(self) -> Decimal | None:
        return ratio(self.summary.companies_with_party_org, self.companies_registered)

    @property
    def station_share(self) -> Decimal | None:
        return ratio(self.summary.compounds_with_service_station, self.compounds)


def red_figures(session: Session, area: Area, as_of: date, summary: RedPropertySummary | None = None) -> RedFigures:
    """The red-property figures of an area on as_of. `summary`: red_property_summary(session, area, as_of) when the
    caller has it already (the deck's headline card of a city or district), not read again."""
    if summary is None:
        summary = red_property_summary(session, area, as_of)
    elif summary.as_of != as_of:
        raise ValueError("the summary is of another day")
    companies = select(func.count()).select_from(PropertyCompany).where(PropertyCompany.registered_on <= as_of)
    companies = companies_serving(companies, area)  # the same rule as red_property_summary
    compounds = within(
        select(func.count()).select_from(Compound).where(Compound.completed_on <= as_of), area, ON_COMPOUND
    )
    n_companies, n_compounds = session.execute(select(companies.scalar_subquery(), compounds.scalar_subquery())).one()
    return RedFigures(
        summary=summary,
        companies_registered=int(n_companies or 0),
        compounds=int(n_compounds or 0),
        resolved_in_year=facts(session).councils.resolved_items(area, year_start(as_of), as_of),
        overdue_follow_ups=facts(session).councils.overdue_follow_ups(area, as_of),
    )


# --------------------------------------------------------------------------- demonstration projects


@dataclass(frozen=True)
class StageCount:
    stage: str  # one of STAGES
    projects: int


def project_pipeline(session: Session, area: Area, as_of: date) -> list[StageCount]:
    """Projects declared by as_of, by their stage on as_of; every stage listed, in pipeline order."""
    stage = _stage(as_of).label("stage")
    stmt = within(
        select(stage, func.count())
        .select_from(DemonstrationProject)
        .join(Compound, Compound.id == DemonstrationProject.compound_id)
        .where(DemonstrationProject.declared_on <= as_of)
        .group_by(stage),
        area,
        ON_COMPOUND,
    )
    counts = {str(s): int(n) for s, n in session.execute(stmt)}
    return [StageCount(s, counts.get(s, 0)) for s in STAGES]


@dataclass(frozen=True)
class ProjectScore:
    compound_id: int
    compound: str
    district: str
    district_en: str
    stage: str  # "inspected" or "accepted" on as_of
    scores: tuple[int, int, int, int, int]  # in REDS order, each 0–20
    total: int


def project_scores(session: Session, area: Area, as_of: date) -> list[ProjectScore]:
    """Five-reds scores of the inspected and accepted projects (only they are scored), best first."""
    dp = DemonstrationProject
    stage = _stage(as_of)
    total = _total_score()
    stmt = within(
        select(
            Compound.id,
            Compound.name,
            District.name,
            District.name_en,
            stage,
            dp.score_organisation,
            dp.score_team,
            dp.score_venue,
            dp.score_mechanism,
            dp.score_service,
            total,
        )
        .select_from(dp)
        .join(Compound, Compound.id == dp.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(
            dp.declared_on <= as_of,
            dp.status.in_([ProjectStatus.inspected, ProjectStatus.accepted]),
            total.is_not(None),
        )
        .order_by(total.desc(), Compound.name, Compound.id),
        area,
        ON_COMPOUND_DISTRICT,
    )
    return [
        ProjectScore(cid, name, d, d_en, str(st), (int(o), int(t), int(v), int(m), int(s)), int(tot))
        for cid, name, d, d_en, st, o, t, v, m, s, tot in session.execute(stmt)
    ]


# --------------------------------------------------------------------------- service stations


@dataclass(frozen=True)
class DistrictStations:
    district_id: int
    district: str
    district_en: str
    city_code: str
    compounds: int
    with_station: int

    @property
    def share(self) -> Decimal | None:
        return ratio(self.with_station, self.compounds)


def _station_compounds(as_of: date) -> Any:
    return (
        select(ServiceStation.compound_id.label("compound_id"))
        .where(ServiceStation.opened_on <= as_of)
        .group_by(ServiceStation.compound_id)
        .subquery()
    )


def stations_by_district(session: Session, area: Area, as_of: date) -> list[DistrictStations]:
    """Per district: compounds completed by as_of, and how many of them have a service station."""
    stations = _station_compounds(as_of)
    stmt = (
        select(
            District.id,
            District.name,
            District.name_en,
            City.code,
            func.count(Compound.id),
            func.count(stations.c.compound_id),
        )
        .select_from(District)
        .join(City, City.id == District.city_id)
        .outerjoin(Compound, and_(Compound.district_id == District.id, Compound.completed_on <= as_of))
        .outerjoin(stations, stations.c.compound_id == Compound.id)
        .group_by(District.id, District.name, District.name_en, City.code, City.id)
        .order_by(City.id, District.id)
    )
    stmt = within(stmt, area, ON_DISTRICT)
    return [DistrictStations(did, n, n_en, code, int(c), int(w)) for did, n, n_en, code, c, w in session.execute(stmt)]


# --------------------------------------------------------------------------- four-party councils


@dataclass(frozen=True)
class AgendaCount:
    category: str
    outcome: str | None  # None: no outcome recorded yet
    items: int


def agenda_by_category_from_rollups(session: Session, area: Area, as_of: date) -> list[AgendaCount]:
    t = agg_council_agenda.c
    agg = (
        select(t.category, t.outcome, func.sum(t["items"]))
        .where(t.day >= year_start(as_of), t.day <= as_of)
        .group_by(t.category, t.outcome)
    )
    rows = [
        AgendaCount(str(c), str(o) if o else None, int(n))
        for c, o, n in session.execute(within(agg, area, Anchor(district=t.district_id)))
    ]
    return sorted(rows, key=lambda r: (r.category, r.outcome or ""))


def agenda_by_category_from_raw(
    session: Session, area: Area, as_of: date, compound_id: int | None = None
) -> list[AgendaCount]:
    """Items raised at the year's meetings (1 January to as_of), by category and recorded outcome."""
    category = func.lower(AgendaItem.category).label("category")
    outcome = func.lower(AgendaItem.outcome).label("outcome")
    stmt = scope_council(
        items_from_meetings(category, outcome, func.count())
        .where(in_local_days(CouncilMeeting.held_at, year_start(as_of), as_of))
        .group_by(category, outcome),
        area,
        compound_id,
    )
    rows = [AgendaCount(str(c), str(o) if o is not None else None, int(n)) for c, o, n in session.execute(stmt)]
    return sorted(rows, key=lambda r: (r.category, r.outcome or ""))  # NULLs sort differently per engine


@dataclass(frozen=True)
class ResolveTimes:
    days: dict[int, int]  # days from first raising to resolution → items
    bands: list[tuple[str, int]]  # RESOLVE_BANDS keys → items

    @property
    def items(self) -> int:
        return sum(self.days.values())

    @property
    def mean_days(self) -> Decimal | None:
        if not self.items:
            return None
        return (Decimal(sum(d * n for d, n in self.days.items())) / self.items).quantize(Decimal("0.1"))

    @property
    def median_days(self) -> int | None:
        """The lower median, a day count that some item really took."""
        if not self.items:
            return None
        seen, middle = 0, (self.items + 1) // 2
        for d in sorted(self.days):
            seen += self.days[d]
            if seen >= middle:
                return d
        return None  # unreachable


def resolve_times_from_rollups(session: Session, area: Area, as_of: date) -> ResolveTimes:
    t = agg_council_resolve.c
    agg = select(t.gap, func.sum(t["items"])).where(t.day >= year_start(as_of), t.day <= as_of).group_by(t.gap)
    return _resolve_times(
        {int(g): int(n) for g, n in session.execute(within(agg, area, Anchor(district=t.district_id)))}
    )


def resolve_times_from_raw(session: Session, area: Area, as_of: date, compound_id: int | None = None) -> ResolveTimes:
    """Items resolved from 1 January to as_of: days from the meeting that first raised them.

    An item carried over from an earlier one counts from that earlier item's meeting (one step back);
    otherwise, or when that meeting was deleted, from its own meeting.
    """
    earlier_item = aliased(AgendaItem)
    earlier_meeting = aliased(CouncilMeeting)
    raised_at = func.coalesce(earlier_meeting.held_at, CouncilMeeting.held_at)
    gap = local_day_gap(AgendaItem.resolved_on, raised_at).label("gap")
    stmt = scope_council(
        items_from_meetings(gap, func.count())
        .outerjoin(earlier_item, earlier_item.id == AgendaItem.carried_from_id)
        .outerjoin(
            earlier_meeting,
            and_(earlier_meeting.id == earlier_item.meeting_id, earlier_meeting.deleted_at.is_(None)),
        )
        .where(
            AgendaItem.outcome == AgendaOutcome.resolved,
            AgendaItem.resolved_on >= year_start(as_of),
            AgendaItem.resolved_on <= as_of,
        )
        .group_by(gap),
        area,
        compound_id,
    )
    return _resolve_times({int(g): int(n) for g, n in session.execute(stmt)})


def _resolve_times(days: dict[int, int]) -> ResolveTimes:
    bands = [
        (key, sum(n for d, n in days.items() if low <= d and (high is None or d <= high)))
        for key, low, high in RESOLVE_BANDS
    ]
    return ResolveTimes(days, bands)


@dataclass(frozen=True)
class QuarterCount:
    year: int
    quarter: int
    meetings: int


def meetings_by_quarter_from_rollups(
    session: Session, area: Area, as_of: date, compound_id: int | None = None
) -> list[QuarterCount]:
    first = date(as_of.year - 1, 1, 1)
    t = agg_council_day.c
    agg = select(t.month, func.sum(t.meetings)).where(t.day >= first, t.day <= as_of).group_by(t.month)
    counts: dict[tuple[int, int], int] = {}
    for m, n in session.execute(within(agg, area, Anchor(district=t.district_id))):
        key = (int(m) // 12, int(m) % 12 // 3 + 1)
        counts[key] = counts.get(key, 0) + int(n)
    return _quarters(counts, as_of)


def meetings_by_quarter_from_raw(
    session: Session, area: Area, as_of: date, compound_id: int | None = None
) -> list[QuarterCount]:
    """Meetings per local quarter, for the previous year and this year up to as_of (every quarter listed)."""
    first = date(as_of.year - 1, 1, 1)
    year = local_year(CouncilMeeting.held_at).label("y")
    quarter = ((local_month(CouncilMeeting.held_at) + 2) // 3).label("q")
    stmt = scope_council(
        select(year, quarter, func.count())
        .select_from(CouncilMeeting)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .where(counted_meeting(), in_local_days(CouncilMeeting.held_at, first, as_of))
        .group_by(year, quarter),
        area,
        compound_id,
    )
    counts = {(int(y), int(q)): int(n) for y, q, n in session.execute(stmt)}
    return _quarters(counts, as_of)


def _quarters(counts: dict[tuple[int, int], int], as_of: date) -> list[QuarterCount]:
    return [
        QuarterCount(y, q, counts.get((y, q), 0))
        for y in (as_of.year - 1, as_of.year)
        for q in range(1, 5)
        if date(y, 3 * q - 2, 1) <= as_of
    ]


# --------------------------------------------------------------------------- compound table


class CompoundRedRow(NamedTuple):
    """A NamedTuple, not a dataclass: a table builds 21,000 of them at `large` scale, ten times faster."""

    compound_id: int
    compound: str
    district: str
    district_en: str
    stage: str | None  # None: no demonstration project declared by as_of
    total_score: int | None
    has_station: bool
    meetings_in_year: int
    resolved_in_year: int
    overdue_follow_ups: int


def compound_red_table_from_raw(session: Session, area: Area, as_of: date) -> list[CompoundRedRow]:
    """One row per compound completed by as_of, in one grouped statement (per-compound subqueries joined)."""
    start = year_start(as_of)
    cm = CouncilMeeting
    meetings = (
        select(cm.compound_id.label("compound_id"), func.count().label("n"))
        .where(counted_meeting(), in_local_days(cm.held_at, start, as_of))
        .group_by(cm.compound_id)
        .subquery()
    )
    resolved = (
        select(cm.compound_id.label("compound_id"), func.count().label("n"))
        .select_from(AgendaItem)
        .join(cm, cm.id == AgendaItem.meeting_id)
        .where(
            counted_meeting(),
            live_item(),
            AgendaItem.outcome == AgendaOutcome.resolved,
            AgendaItem.resolved_on >= start,
            AgendaItem.resolved_on <= as_of,
        )
        .group_by(cm.compound_id)
        .subquery()
    )
    overdue = (
        select(cm.compound_id.label("compound_id"), func.count().label("n"))
        .select_from(FollowUp)
        .join(AgendaItem, AgendaItem.id == FollowUp.agenda_item_id)
        .join(cm, cm.id == AgendaItem.meeting_id)
        .where(counted_meeting(), live_item(), overdue_condition(as_of))
        .group_by(cm.compound_id)
        .subquery()
    )
    stations = _station_compounds(as_of)
    dp = DemonstrationProject
    resolved_n = func.coalesce(resolved.c.n, 0)
    meetings_n = func.coalesce(meetings.c.n, 0)
    stmt = within(
        select(
            Compound.id,
            Compound.name,
            District.name,
            District.name_en,
            case((dp.id.is_(None), None), else_=_stage(as_of)),
            _total_score(),
            stations.c.compound_id.is_not(None),
            meetings_n,
            resolved_n,
            func.coalesce(overdue.c.n, 0),
        )
        .select_from(Compound)
        .join(District, District.id == Compound.district_id)
        .outerjoin(dp, and_(dp.compound_id == Compound.id, dp.declared_on <= as_of))
        .outerjoin(stations, stations.c.compound_id == Compound.id)
        .outerjoin(meetings, meetings.c.compound_id == Compound.id)
        .outerjoin(resolved, resolved.c.compound_id == Compound.id)
        .outerjoin(overdue, overdue.c.compound_id == Compound.id)
        .where(Compound.completed_on <= as_of)
        .order_by(resolved_n.desc(), meetings_n.desc(), Compound.id),
        area,
        ON_COMPOUND_DISTRICT,
    )
    return [
        CompoundRedRow(
            cid,
            name,
            d,
            d_en,
            str(stage) if stage is not None else None,
            int(total) if total is not None else None,
            bool(station),
            int(m),
            int(r),
            int(o),
        )
        for cid, name, d, d_en, stage, total, station, m, r, o in many_rows(session, stmt)
    ]


def compound_red_table_from_rollups(session: Session, area: Area, as_of: date) -> list[CompoundRedRow]:
    """CouncilFacts.compound_table with the council columns summed from agg_council_compound_day in one scan."""
    cd = agg_council_compound_day.c
    in_year = cd.day >= year_start(as_of)
    council = within(
        select(
            cd.compound_id.label("compound_id"),
            func.sum(case((in_year, cd.meetings), else_=0)).label("meetings"),
            func.sum(case((in_year, cd.resolved), else_=0)).label("resolved"),
            func.sum(cd.overdue_from - cd.overdue_cleared).label("overdue"),
        )
        .where(cd.day <= as_of)
        .group_by(cd.compound_id),
        area,
        Anchor(district=cd.district_id),
    ).subquery("council")

    def at(column: str) -> Any:
        return func.coalesce(council.c[column], 0)

    stations = _station_compounds(as_of)
    dp = DemonstrationProject
    meetings_n = at("meetings")
    resolved_n = at("resolved")
    stmt = within(
        select(
            Compound.id,
            Compound.name,
            District.name,
            District.name_en,
            case((dp.id.is_(None), None), else_=_stage(as_of)),
            _total_score(),
            stations.c.compound_id.is_not(None),
            meetings_n,
            resolved_n,
            at("overdue"),
        )
        .join(District, District.id == Compound.district_id)
        .outerjoin(dp, and_(dp.compound_id == Compound.id, dp.declared_on <= as_of))
        .outerjoin(stations, stations.c.compound_id == Compound.id)
        .outerjoin(council, council.c.compound_id == Compound.id)
        .where(Compound.completed_on <= as_of)
        .order_by(resolved_n.desc(), meetings_n.desc(), Compound.id),
        area,
        ON_COMPOUND_DISTRICT,
    )
    return [
        CompoundRedRow(
            cid,
            name,
            d,
            d_en,
            str(stage) if stage is not None else None,
            int(total) if total is not None else None,
            bool(station),
            int(m),
            int(r),
            int(o),
        )
        for cid, name, d, d_en, stage, total, station, m, r, o in many_rows(session, stmt)
    ]


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class RedPropertyPage:
    as_of: date
    current: RedFigures
    previous: RedFigures | None  # the same day a year earlier: stocks then, flows from 1 January to then
    stages: list[StageCount]
    scores: list[ProjectScore]
    districts: list[DistrictStations]
    agenda: list[AgendaCount]
    resolve: ResolveTimes
    quarters: list[QuarterCount]
    compounds: list[CompoundRedRow]


@cached_query(councils=True)
def red_property_page_data(
    session: Session, area: Area, year: int, today: date, first_year: int, include_compounds: bool = True
) -> RedPropertyPage:
    """Everything /red-property shows for one area and year (include_compounds=False: without the compound
    table, for a page that loads its grid separately with red_property_compounds)."""
    as_of = as_of_for_year(max(year, first_year), today)
    councils = facts(session).councils
    return RedPropertyPage(
        as_of=as_of,
        current=red_figures(session, area, as_of),
        previous=red_figures(session, area, minus_years(as_of, 1)),
        stages=project_pipeline(session, area, as_of),
        scores=project_scores(session, area, as_of),
        districts=stations_by_district(session, area, as_of),
        agenda=councils.agenda_by_category(area, as_of),
        resolve=councils.resolve_times(area, as_of),
        quarters=councils.meetings_by_quarter(area, as_of),
        compounds=councils.compound_table(area, as_of) if include_compounds else [],
    )


@cached_query(councils=True)
def red_property_compounds(
    session: Session, area: Area, year: int, today: date, first_year: int
) -> list[CompoundRedRow]:
    """The compound table alone, for the same area and year (the grid's rows and the exports)."""
    return facts(session).councils.compound_table(area, as_of_for_year(max(year, first_year), today))
