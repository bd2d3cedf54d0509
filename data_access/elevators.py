"""Elevator pages: `elevators_page_data` assembles everything /elevators shows from the elevator queries.

The queries live by subject: `elevator_coverage` (coverage over time, the insurance funnel on many dates),
`elevator_service` (insured-versus-uninsured service, fault patterns), `elevator_compounds` (the compound
table), with their shared SQL helpers in `elevator_sql`.

Why these figures: seed 000 claims that insured ("insurance + service") elevators are answered within
30 minutes, have major faults repaired within 24 hours and get 40–70 minute maintenance visits; the
provincial 96333 platforms report faults per district, repeat faults, faults by hour and by elevator age.
The elevator pages show those claims recomputed from the data rather than quoted.

Conventions of every elevator query module (as in indicators.py):
- every count, sum and mean is aggregated in SQL; Python only shapes the few result rows;
- a date range [first, last] is inclusive and made of local (Asia/Shanghai) calendar days;
- "in service at `last`" means `in_service_on <= last`;
- shares and rates are Decimal (None when the denominator is zero); minutes are Decimal with 2 places;
- an `Area` scopes elevators through building → compound (→ district for a city).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from data_access.cache import cached_query
from data_access.core.models import City, District, ProgrammeRule
from data_access.core.rules import REPEAT_FAULTS, Stage, minus_years, rule_in_force
from data_access.core.scope import Area, cities_of
from data_access.elevator_compounds import CompoundElevatorRow
from data_access.elevator_coverage import CoveragePoint, coverage_by_city
from data_access.elevator_service import AgeBandRow, ServiceRow
from data_access.facts import facts
from data_access.indicators import CoverageSummary, TargetJudgement, as_of_for_year, city_rules, elevator_coverage
from data_access.insurance import stage_funnel

# --------------------------------------------------------------------------- everything the page shows


@dataclass(frozen=True)
class CityProgramme:
    """A city's programme terms on the as-of date, and its coverage line with its targets."""

    city_id: int
    code: str
    name: str
    name_en: str
    starts_on: date | None  # the first rule's start; None: the city has no programme rule
    warranty_years: int | None
    min_premium_years: int | None
    line: list[CoveragePoint]
    targets: list[TargetJudgement]


@dataclass(frozen=True)
class DistrictFaultRow:
    district_id: int
    name: str
    name_en: str
    city_code: str
    elevators: int
    faults: int
    faults_per_100: Decimal | None


@dataclass(frozen=True)
class ElevatorsPage:
    as_of: date
    first: date  # 1 January of the as-of year: flows are counted from here to as_of
    previous_as_of: date  # the same day a year earlier
    coverage: CoverageSummary
    previous: CoverageSummary
    programmes: list[CityProgramme]
    service: list[ServiceRow]  # insured, uninsured over [first, as_of]
    previous_service: list[ServiceRow]  # the same days a year earlier; faults only (no visit figures)
    districts: list[DistrictFaultRow]
    repeat_elevators: int  # ≥ REPEAT_FAULTS faults in [first, as_of]
    previous_repeat_elevators: int
    hours: list[tuple[int, int]]
    age_bands: list[AgeBandRow]
    compounds: list[CompoundElevatorRow]
    # (stage, applications, elevators) on as_of: the funnel's "applied" step by where each application stands
    stages: list[tuple[Stage, int, int]] = field(default_factory=list)


LINE_YEARS = 2  # the coverage line covers at most the last 24 months
LINE_MONTHLY_POINTS = 12  # more month ends than this: quarter ends only


def month_end(d: date) -> date:
    nxt = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def line_dates(starts_on: date, as_of: date) -> list[date]:
    """Month ends from the programme start or the last 24 months, whichever is shorter, up to as_of.

    Up to LINE_MONTHLY_POINTS month ends are all kept; a longer stretch keeps only the quarter ends (each
    point costs a pass over the applicants, and the targets fall on quarter ends anyway). The line
    always ends on as_of itself, the date the cards show.
    """
    first = max(starts_on, minus_years(as_of, LINE_YEARS) + timedelta(days=1))
    ends: list[date] = []
    d = month_end(first)
    while d <= as_of:
        ends.append(d)
        d = month_end(d + timedelta(days=1))
    if len(ends) > LINE_MONTHLY_POINTS:
        ends = [d for d in ends if d.month % 3 == 0]
    if not ends or ends[-1] != as_of:
        ends.append(as_of)
    return ends


def _judge_targets(
    city_id: int, rule: ProgrammeRule | None, points: dict[date, CoveragePoint], as_of: date
) -> list[TargetJudgement]:
    """`indicators.coverage_targets`, read off the coverage line (its dates include every judging date)."""
    out: list[TargetJudgement] = []
    for target in rule.targets if rule else []:
        judged_on = min(target.due_on, as_of)
        coverage = points[judged_on].coverage_rate
        if target.due_on > as_of:
            status = "in_progress"
        else:
            status = "met" if coverage is not None and coverage >= target.share else "missed"
        out.append(TargetJudgement(city_id, target.due_on, Decimal(target.share), coverage, status))
    return out


def rules_by_city(session: Session, city_ids: list[int]) -> dict[int, list[ProgrammeRule]]:
    """`city_rules` of several cities in one statement (and their targets in one more): {city: its rules ordered by
    effective_from}, a city without rules mapped to []."""
    out: dict[int, list[ProgrammeRule]] = {c: [] for c in city_ids}
    if not city_ids:
        return out
    stmt = (
        select(ProgrammeRule)
        .where(ProgrammeRule.city_id.in_(city_ids))
        .options(selectinload(ProgrammeRule.targets))
        .order_by(ProgrammeRule.city_id, ProgrammeRule.effective_from)
    )
    for rule in session.scalars(stmt):
        out[rule.city_id].append(rule)
    return out


def coverage_and_programmes(
    session: Session,
    area: Area,
    as_of: date,
    previous: date,
    rules_of: dict[int, list[ProgrammeRule]] | None = None,
) -> tuple[CoverageSummary, CoverageSummary, list[CityProgramme]]:
    """The funnel on as_of and a year earlier, and each city's programme, line and targets: one statement per city.
    `rules_of`: each city's `city_rules`, when the caller has read them already (the deck: `rules_by_city`)."""
    spanned = set(cities_of(session, area))
    cities = [
        c
        for c in session.execute(select(City.id, City.code, City.name, City.name_en).order_by(City.id)).all()
        if c[0] in spanned
    ]
    rules: dict[int, ProgrammeRule | None] = {}
    loaded_of: dict[int, list[ProgrammeRule]] = {}
    starts: dict[int, date | None] = {}
    dates: dict[int, list[date]] = {}
    for cid, *_ in cities:
        loaded = rules_of[cid] if rules_of is not None and cid in rules_of else city_rules(session, cid)
        loaded_of[cid] = loaded
        rules[cid] = rule_in_force(loaded, as_of)
        start = min((r.effective_from for r in loaded), default=None)
        starts[cid] = start
        if start is None or start > as_of:
            dates[cid] = []
            continue
        rule = rules[cid]
        # Every date a target is judged on is on the line, so the judgement is read off it.
        judged = {min(t.due_on, as_of) for t in rule.targets} if rule else set()
        dates[cid] = sorted(set(line_dates(start, as_of)) | {d for d in judged if d >= start})
    every_date = sorted({d for ds in dates.values() for d in ds})
    by_city = coverage_by_city(session, area, [as_of, previous], every_date, loaded_of)

    now, before = CoverageSummary.empty(as_of), CoverageSummary.empty(previous)
    programmes: list[CityProgramme] = []
    for cid, code, name, name_en in cities:
        rule = rules[cid]
        city = by_city.get(cid)
        if city is not None:
            now, before = now + city.summaries[as_of], before + city.summaries[previous]
        own = set(dates[cid])
        points = [p for p in (city.line if city else []) if p.as_of in own]
        by_date = {p.as_of: p for p in points}
        for target in rule.targets if rule else []:
            judged_on = min(target.due_on, as_of)
            if judged_on not in by_date:  # due before the programme began: judge it directly
                c = elevator_coverage(session, Area(city_id=cid), judged_on)
                by_date[judged_on] = CoveragePoint(judged_on, c.insured, c.eligible_applied, c.coverage_rate)
        programmes.append(
            CityProgramme(
                cid,
                code,
                name,
                name_en,
                starts[cid],
                rule.warranty_years if rule else None,
                rule.min_premium_years if rule else None,
                points,
                _judge_targets(cid, rule, by_date, as_of),
            )
        )
    return now, before, programmes


def _district_rows(session: Session, area: Area, first: date, last: date) -> list[DistrictFaultRow]:
    names = {
        did: (name_en, code)
        for did, name_en, code in session.execute(
            select(District.id, District.name_en, City.code).join(City, City.id == District.city_id)
        )
    }
    return [
        DistrictFaultRow(r.district_id, r.name, *names[r.district_id], r.elevators, r.faults, r.faults_per_100)
        for r in facts(session).service.faults_per_100_by_district(area, first, last)
    ]


@cached_query
def elevators_page_data(
    session: Session,
    area: Area,
    year: int,
    today: date,
    compounds_only: bool = False,
    include_compounds: bool = True,
) -> ElevatorsPage:
    """Everything /elevators shows for one area and year (the compound table alone for exports and the grid's
    rows; include_compounds=False leaves it out for a page that loads its grid separately).

    Stocks are as of the year's end (today for this year); flows run from 1 January to that date, and
    the comparison figures are the same day a year earlier (flows from its 1 January).
    """
    as_of = as_of_for_year(year, today)
    first = date(as_of.year, 1, 1)
    prev = minus_years(as_of, 1)
    prev_first = date(prev.year, 1, 1)
    compounds = (
        facts(session).compound_elevators.compound_table(area, first, as_of)
        if include_compounds or compounds_only
        else []
    )
    if compounds_only:
        empty = CoverageSummary.empty(as_of)
        return ElevatorsPage(as_of, first, prev, empty, empty, [], [], [], [], 0, 0, [], [], compounds)
    coverage, previous, programmes = coverage_and_programmes(session, area, as_of, prev)
    return ElevatorsPage(
        as_of=as_of,
        first=first,
        previous_as_of=prev,
        coverage=coverage,
        previous=previous,
        programmes=programmes,
        service=facts(session).service.service_comparison(area, first, as_of),
        previous_service=facts(session).service.service_comparison(area, prev_first, prev, include_visits=False),
        districts=_district_rows(session, area, first, as_of),
        repeat_elevators=facts(session).service.repeat_fault_elevators(area, first, as_of, REPEAT_FAULTS),
        previous_repeat_elevators=facts(session).service.repeat_fault_elevators(area, prev_first, prev, REPEAT_FAULTS),
        hours=facts(session).service.faults_by_hour(area, first, as_of),
        age_bands=facts(session).service.faults_by_age_band(area, first, as_of),
        compounds=compounds,
        stages=stage_funnel(session, area, as_of),
    )


__all__ = [
    "CityProgramme",
    "DistrictFaultRow",
    "ElevatorsPage",
    "elevators_page_data",
    "line_dates",
    "month_end",
]
