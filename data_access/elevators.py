"""Elevator-page queries: coverage over time, insured-versus-uninsured service, and fault patterns.

Why these figures: seed 000 claims that insured ("insurance + service") elevators are answered within
30 minutes, have major faults repaired within 24 hours and get 40–70 minute maintenance visits; the
provincial 96333 platforms report faults per district, repeat faults, faults by hour and by elevator age.
The elevator pages show those claims recomputed from the data rather than quoted.

Conventions (as in indicators.py):
- every count, sum and mean is aggregated in SQL; Python only shapes the few result rows;
- a date range [first, last] is inclusive and made of local (Asia/Shanghai) calendar days;
- "in service at `last`" means `in_service_on <= last`;
- shares and rates are Decimal (None when the denominator is zero); minutes are Decimal with 2 places;
- an `Area` scopes elevators through building → compound (→ district for a city).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from sqlalchemy import and_, case, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.types import BigInteger, Date

from data_access.cache import cached_query
from data_access.core.dataset import rollups_ready
from data_access.core.db import many_rows
from data_access.core.models import (
    ApplicationDecision,
    ApplicationElevator,
    Building,
    City,
    Compound,
    District,
    Elevator,
    ElevatorFault,
    FaultSeverity,
    FundEntryKind,
    InsuranceApplication,
    InsurancePolicy,
    MaintenanceFundEntry,
    MaintenanceVisit,
    PooledAccount,
    PooledAccountEntry,
    PooledEntryKind,
    ProgrammeRule,
)
from data_access.core.rollup_tables import (
    AGE_COLUMNS,
    HOURS,
    agg_compound_elevators,
    agg_compound_faults,
    agg_elevator_stock,
    agg_fault_day,
    agg_visit_day,
)
from data_access.core.rules import (
    AGE_BANDS,
    DEFAULT_WARRANTY_YEARS,
    MAJOR_REPAIR_LIMIT_SECONDS,
    REPEAT_FAULTS,
    RESPONSE_LIMIT_SECONDS,
    VISIT_BAND_MINUTES,
    exact_mean,
    insured_on,
    minus_years,
    ratio,
    rule_in_force,
)
from data_access.core.scope import (
    ON_COMPOUND,
    ON_COMPOUND_DISTRICT,
    ON_DISTRICT,
    ON_ELEVATOR,
    Anchor,
    Area,
    cities_of,
    on_elevator,
    within,
)
from data_access.core.sqlfuncs import (
    in_local_days,
    local_date,
    local_hour,
    seconds_between,
    whole_seconds,
    whole_years_between,
)
from data_access.indicators import (
    CoverageSummary,
    TargetJudgement,
    as_of_for_year,
    city_rules,
    coverage_levels,
    elevator_coverage,
    programme_rule_for,
)
from data_access.rollups import compound_stocks, compound_sums, levels_at, levels_by_district

# --------------------------------------------------------------------------- dialect-specific SQL


# --------------------------------------------------------------------------- helpers


def _faults_in(first: date, last: date) -> ColumnElement[bool]:
    return in_local_days(ElevatorFault.reported_at, first, last)


def _count_if(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _per_100(count: int, elevators: int) -> Decimal | None:
    if not elevators:
        return None
    return (Decimal(count) * 100 / Decimal(elevators)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- coverage over time


@dataclass(frozen=True)
class CoveragePoint:
    as_of: date
    insured: int
    eligible_applied: int  # the targets' denominator
    coverage_rate: Decimal | None  # insured ÷ eligible_applied


def coverage_over_time(session: Session, area: Area, month_ends: list[date]) -> list[CoveragePoint]:
    """The coverage line of the elevator page, one point per date, by the same rule as the headline figure.

    Reusing `elevator_coverage` keeps the chart and the overview's number identical by construction;
    a dozen month ends cost a dozen aggregate queries, which is cheap.
    """
    out: list[CoveragePoint] = []
    for d in month_ends:
        c = elevator_coverage(session, area, d)
        out.append(CoveragePoint(d, c.insured, c.eligible_applied, c.coverage_rate))
    return out


# --------------------------------------------------------------------------- insured vs uninsured service


@dataclass(frozen=True)
class ServiceRow:
    """Service quality of faults and visits on insured or on uninsured elevators, over a date range.

    Insured means a policy in force on the local date of the fault (or visit), so an elevator insured in
    mid-year contributes to the uninsured row before its policy and to the insured row after.
    """

    insured: bool
    faults: int
    answered_30min: int  # responded_at − reported_at ≤ 30 min; unanswered faults are not within
    answered_30min_share: Decimal | None  # of all faults
    mean_response_minutes: Decimal | None  # over faults with a response
    major_faults: int
    major_repaired_24h: int  # repaired_at − reported_at ≤ 24 h; unrepaired ones are not within
    major_repaired_24h_share: Decimal | None  # of major faults
    trapped_incidents: int  # faults with trapped passengers
    visits: int  # maintenance visits started in the range
    mean_visit_minutes: Decimal | None
    visits_in_band: int  # 40 ≤ duration ≤ 70 minutes
    visits_in_band_share: Decimal | None


def service_comparison(
    session: Session, area: Area, first: date, last: date, include_visits: bool = True
) -> list[ServiceRow]:
    """Two rows, insured first then uninsured, to test seed 000's service claims against the records.

    `include_visits=False` skips the maintenance visits (the costlier half): their fields are then 0/None.
    """
    if rollups_ready(session):
        faults, visits = _service_from_rollups(session, area, first, last, include_visits)
    else:
        faults, visits = _service_from_raw(session, area, first, last, include_visits)
    out: list[ServiceRow] = []
    for insured in (True, False):
        n, answered, response_s, responded, major, repaired, trapped = faults.get(insured, (0, 0, 0, 0, 0, 0, 0))
        nv, minutes, in_band = visits.get(insured, (0, 0, 0))
        n, answered, major, repaired, nv, in_band = (int(x) for x in (n, answered, major, repaired, nv, in_band))
        out.append(
            ServiceRow(
                insured=insured,
                faults=n,
                answered_30min=answered,
                answered_30min_share=ratio(answered, n),
                mean_response_minutes=exact_mean(response_s, responded, 60),
                major_faults=major,
                major_repaired_24h=repaired,
                major_repaired_24h_share=ratio(repaired, major),
                trapped_incidents=int(trapped),
                visits=nv,
                mean_visit_minutes=exact_mean(minutes, nv),
                visits_in_band=in_band,
                visits_in_band_share=ratio(in_band, nv),
            )
        )
    return out


ServiceSums = dict[bool, Any]


def _service_from_rollups(
    session: Session, area: Area, first: date, last: date, include_visits: bool
) -> tuple[ServiceSums, ServiceSums]:
    """Per insured flag, the same sums as _service_from_raw, read off agg_fault_day and agg_visit_day."""
    t = agg_fault_day.c
    stmt = (
        select(
            t.insured,
            func.sum(t.faults),
            func.sum(t.answered_30min),
            func.sum(t.response_seconds),
            func.sum(t.responded),
            func.sum(t.major_faults),
            func.sum(t.major_repaired_24h),
            func.sum(t.trapped_incidents),
        )
        .where(t.day >= first, t.day <= last)
        .group_by(t.insured)
    )
    faults: ServiceSums = {}
    for insured, *sums in session.execute(within(stmt, area, Anchor(district=t.district_id))):
        faults[bool(insured)] = tuple(sums)
    visits: ServiceSums = {}
    if include_visits:
        v = agg_visit_day.c
        stmt = (
            select(v.insured, func.sum(v.visits), func.sum(v.minutes), func.sum(v.in_band))
            .where(v.day >= first, v.day <= last)
            .group_by(v.insured)
        )
        for insured, *sums in session.execute(within(stmt, area, Anchor(district=v.district_id))):
            visits[bool(insured)] = tuple(sums)
    return faults, visits


def _service_from_raw(
    session: Session, area: Area, first: date, last: date, include_visits: bool
) -> tuple[ServiceSums, ServiceSums]:
    f = ElevatorFault
    response = seconds_between(f.reported_at, f.responded_at)
    repair = seconds_between(f.reported_at, f.repaired_at)
    per_fault = select(
        insured_on(f.elevator_id, local_date(f.reported_at)).label("insured"),
        response.label("response_s"),
        whole_seconds(f.reported_at, f.responded_at).label("response_whole_s"),
        repair.label("repair_s"),
        f.severity.label("severity"),
        f.trapped_passengers.label("trapped"),
    ).select_from(f)
    per_fault = within(per_fault, area, on_elevator(f.elevator_id))
    per_fault_sq = per_fault.where(_faults_in(first, last)).subquery()

    pf = per_fault_sq.c
    is_major = pf.severity == FaultSeverity.major
    fault_stmt = select(
        pf.insured,
        func.count(),
        _count_if(pf.response_s <= RESPONSE_LIMIT_SECONDS),
        func.coalesce(func.sum(pf.response_whole_s), 0),
        func.count(pf.response_whole_s),
        _count_if(is_major),
        _count_if(and_(is_major, pf.repair_s <= MAJOR_REPAIR_LIMIT_SECONDS)),
        _count_if(pf.trapped > 0),
    ).group_by(pf.insured)
    faults = {bool(r[0]): r[1:] for r in session.execute(fault_stmt)}
    visits = _visit_service(session, area, first, last) if include_visits else {}
    return faults, visits


def _visit_service(session: Session, area: Area, first: date, last: date) -> dict[bool, Any]:
    """Per insured flag: (visits, their minutes summed, visits in the 40–70 minute band)."""
    v = MaintenanceVisit
    low, high = VISIT_BAND_MINUTES
    per_visit = select(
        insured_on(v.elevator_id, local_date(v.started_at)).label("insured"),
        v.duration_minutes.label("minutes"),
    ).select_from(v)
    per_visit = within(per_visit, area, on_elevator(v.elevator_id))
    per_visit_sq = per_visit.where(in_local_days(v.started_at, first, last)).subquery()
    pv = per_visit_sq.c
    visit_stmt = select(
        pv.insured,
        func.count(),
        func.coalesce(func.sum(pv.minutes), 0),
        _count_if(and_(pv.minutes >= low, pv.minutes <= high)),
    ).group_by(pv.insured)
    return {bool(r[0]): r[1:] for r in session.execute(visit_stmt)}


# --------------------------------------------------------------------------- fault patterns


@dataclass(frozen=True)
class DistrictRate:
    district_id: int
    name: str
    elevators: int  # in service at `last`
    faults: int  # reported in [first, last]
    faults_per_100: Decimal | None  # faults per 100 elevators in service at `last`


def faults_per_100_by_district(session: Session, area: Area, first: date, last: date) -> list[DistrictRate]:
    """Fault rate per district, so districts of different size compare (the 96333 platforms' measure).

    A city lists its districts, the province every district, a district only itself; districts without
    elevators are listed with a rate of None. Ordered by city, then district id.
    """
    if rollups_ready(session):
        stock = levels_by_district(session, agg_elevator_stock, ["elevators"], area, [last])[last]
        fd = agg_fault_day.c
        faults_stmt = (
            select(fd.district_id.label("district_id"), func.sum(fd.faults).label("n"))
            .where(fd.day >= first, fd.day <= last)
            .group_by(fd.district_id)
        )
        faults = within(faults_stmt, area, Anchor(district=fd.district_id)).subquery()
        stmt = within(
            select(District.id, District.name, func.coalesce(faults.c.n, 0))
            .outerjoin(faults, faults.c.district_id == District.id)
            .order_by(District.city_id, District.id),
            area,
            ON_DISTRICT,
        )
        rows = [(int(d), name, stock.get(int(d), [0])[0], int(n)) for d, name, n in session.execute(stmt)]
        return [DistrictRate(d, name, e, n, _per_100(n, e)) for d, name, e, n in rows]
    else:
        elevators, faults = _district_fault_counts(area, first, last)
    stmt = (
        select(
            District.id,
            District.name,
            func.coalesce(elevators.c.n, 0),
            func.coalesce(faults.c.n, 0),
        )
        .outerjoin(elevators, elevators.c.district_id == District.id)
        .outerjoin(faults, faults.c.district_id == District.id)
        .order_by(District.city_id, District.id)
    )
    stmt = within(stmt, area, ON_DISTRICT)
    return [
        DistrictRate(int(d), name, int(e), int(n), _per_100(int(n), int(e))) for d, name, e, n in session.execute(stmt)
    ]


def _district_fault_counts(area: Area, first: date, last: date) -> tuple[Any, Any]:
    """Subqueries (district_id, n) of elevators in service at `last` and faults in the range, from the raw rows."""
    elevators = (
        select(Compound.district_id.label("district_id"), func.count().label("n"))
        .select_from(Elevator)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .where(Elevator.in_service_on <= last)
        .group_by(Compound.district_id)
    )
    faults = (
        select(Compound.district_id.label("district_id"), func.count().label("n"))
        .select_from(ElevatorFault)
        .join(Elevator, Elevator.id == ElevatorFault.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .where(_faults_in(first, last))
        .group_by(Compound.district_id)
    )
    # Scoping the inner aggregates too keeps a city's query from counting the whole province.
    return within(elevators, area, ON_COMPOUND).subquery(), within(faults, area, ON_COMPOUND).subquery()


def repeat_fault_elevators(session: Session, area: Area, first: date, last: date, min_faults: int = 3) -> int:
    """Elevators with at least `min_faults` faults in the range: the repeat-fault list's size."""
    if rollups_ready(session) and min_faults == REPEAT_FAULTS and first == date(last.year, 1, 1):
        # An elevator has REPEAT_FAULTS faults by `last` exactly when its REPEAT_FAULTS-th of the year is by then.
        t = agg_fault_day.c
        stmt = select(func.coalesce(func.sum(t.repeat_faults), 0)).where(t.day >= first, t.day <= last)
        return int(session.scalar(within(stmt, area, Anchor(district=t.district_id))) or 0)
    per_elevator_stmt = (
        select(ElevatorFault.elevator_id)
        .join(Elevator, Elevator.id == ElevatorFault.elevator_id)
        .where(_faults_in(first, last))
        .group_by(ElevatorFault.elevator_id)
        .having(func.count() >= min_faults)
    )
    per_elevator = within(per_elevator_stmt, area, ON_ELEVATOR).subquery()
    return int(session.scalar(select(func.count()).select_from(per_elevator)) or 0)


def faults_by_hour(session: Session, area: Area, first: date, last: date) -> list[tuple[int, int]]:
    """Faults per local hour of day; all 24 hours are returned (zeros included) so charts keep their axis."""
    if rollups_ready(session):
        t = agg_fault_day.c
        stmt = select(*(func.coalesce(func.sum(t[f"hour_{h:02d}"]), 0) for h in HOURS)).where(
            t.day >= first, t.day <= last
        )
        row = session.execute(within(stmt, area, Anchor(district=t.district_id))).one()
        return [(h, int(row[h])) for h in range(24)]
    hour = local_hour(ElevatorFault.reported_at)
    stmt = (
        select(hour, func.count())
        .select_from(ElevatorFault)
        .join(Elevator, Elevator.id == ElevatorFault.elevator_id)
        .where(_faults_in(first, last))
        .group_by(hour)
    )
    counts = {int(h): int(n) for h, n in session.execute(within(stmt, area, ON_ELEVATOR))}
    return [(h, counts.get(h, 0)) for h in range(24)]


@dataclass(frozen=True)
class AgeBandRow:
    label: str  # "0-4", "5-9", "10-14", "15+" (completed years)
    faults: int  # faults in [first, last], banded by the elevator's age on the fault's local date
    elevators: int  # elevators in service at `last`, banded by their age at `last`
    faults_per_100: Decimal | None  # faults ÷ elevators × 100


def _age_band(years: ColumnElement[int]) -> ColumnElement[str]:
    whens = [(years <= hi, label) for label, _lo, hi in AGE_BANDS if hi is not None]
    return case(*whens, else_=AGE_BANDS[-1][0])


def faults_by_age_band(session: Session, area: Area, first: date, last: date) -> list[AgeBandRow]:
    """Faults by elevator age band, to show whether older elevators fail more (the eligibility rule's premise).

    Each fault is banded by the elevator's completed years on the fault's local date, so an elevator that
    turns five in the range puts its earlier faults in "0-4" and its later ones in "5-9". The elevator
    counts are a stock judged at `last`; for a range of a year or less the two judgements differ only for
    elevators that crossed a band boundary inside the range, which is accepted for a per-100 rate.
    """
    if rollups_ready(session):
        t = agg_fault_day.c
        stmt = select(*(func.coalesce(func.sum(t[c]), 0) for c in AGE_COLUMNS)).where(t.day >= first, t.day <= last)
        row = session.execute(within(stmt, area, Anchor(district=t.district_id))).one()
        fault_counts = {label: int(row[i]) for i, (label, _lo, _hi) in enumerate(AGE_BANDS)}
        # Completed years on `last` reach k exactly when in service on or before minus_years(last, k): a band's
        # elevators are the difference of the running totals on its two boundary days (the same bands as
        # _age_band(whole_years_between(...)), tested against it).
        bounds = [last] + [minus_years(last, lo) for _label, lo, _hi in AGE_BANDS[1:]]
        stock = levels_at(session, agg_elevator_stock, ["elevators"], area, bounds)
        totals = [stock[b][0] for b in bounds] + [0]
        elevator_counts = {label: totals[i] - totals[i + 1] for i, (label, _lo, _hi) in enumerate(AGE_BANDS)}
        return _age_band_rows(fault_counts, elevator_counts)
    fault_band = _age_band(whole_years_between(Elevator.in_service_on, local_date(ElevatorFault.reported_at)))
    fault_sq = within(
        select(fault_band.label("band"))
        .select_from(ElevatorFault)
        .join(Elevator, Elevator.id == ElevatorFault.elevator_id)
        .where(_faults_in(first, last)),
        area,
        ON_ELEVATOR,
    ).subquery()
    fault_counts = {
        band: int(n) for band, n in session.execute(select(fault_sq.c.band, func.count()).group_by(fault_sq.c.band))
    }

    elevator_band = _age_band(whole_years_between(Elevator.in_service_on, literal(last, Date())))
    elevator_sq = within(
        select(elevator_band.label("band")).select_from(Elevator).where(Elevator.in_service_on <= last),
        area,
        ON_ELEVATOR,
    ).subquery()
    elevator_counts = {
        band: int(n)
        for band, n in session.execute(select(elevator_sq.c.band, func.count()).group_by(elevator_sq.c.band))
    }

    return _age_band_rows(fault_counts, elevator_counts)


def _age_band_rows(fault_counts: dict[str, int], elevator_counts: dict[str, int]) -> list[AgeBandRow]:
    out: list[AgeBandRow] = []
    for label, _lo, _hi in AGE_BANDS:
        n, e = fault_counts.get(label, 0), elevator_counts.get(label, 0)
        out.append(AgeBandRow(label, n, e, _per_100(n, e)))
    return out


# --------------------------------------------------------------------------- coverage at many dates in one query


@dataclass(frozen=True)
class CityCoverage:
    """One city's funnel on the `full` dates and its coverage line on the `line` dates."""

    summaries: dict[date, CoverageSummary]  # exactly `elevator_coverage` for the city on each full date
    line: list[CoveragePoint]  # exactly `coverage_over_time` for the city on each line date


def coverage_by_city(
    session: Session,
    area: Area,
    full_dates: list[date],
    line_dates: list[date] = (),  # type: ignore[assignment]
) -> dict[int, CityCoverage]:
    """`elevator_coverage` on a few dates and `coverage_over_time` on many, one statement per city.

    The same five conditions, judged by the rule each city has on each date, as indicators.py judges
    them; but instead of one aggregate per date, the dates are a small derived table joined to the
    area's elevators, and the per-date facts (policy in force, application standing, pooled-account
    balance, elevators that account must insure) are grouped per (elevator or account, date).
    On a line-only date only elevators that ever applied or were insured are judged (a fifth of them):
    nobody else can count towards insured or eligible-and-applied, so the line is still exact.
    Cities without a programme rule are left out, as `elevator_coverage` leaves them out. Agreement with
    both reference functions is tested on every date and area of the test worlds.
    """
    full = sorted(set(full_dates))
    every = sorted(set(full) | set(line_dates))
    wanted_line = sorted(set(line_dates))
    out: dict[int, CityCoverage] = {}
    if not every:
        return out
    ready = rollups_ready(session)
    for city_id in cities_of(session, area):
        loaded = city_rules(session, city_id)
        rules = {d: rule_in_force(loaded, d) for d in every}
        if any(r is None for r in rules.values()):
            continue
        city_area = Area(city_id=city_id, district_id=area.district_id)
        if ready:
            counts = coverage_levels(session, city_area, every)
        else:
            counts = _city_coverage_at_dates(session, city_area, rules, set(full))  # type: ignore[arg-type]
        out[city_id] = CityCoverage(
            summaries={d: counts[d] for d in full},
            line=[
                CoveragePoint(d, counts[d].insured, counts[d].eligible_applied, counts[d].coverage_rate)
                for d in wanted_line
            ],
        )
    return out


def coverage_at_dates(session: Session, area: Area, dates: list[date]) -> dict[date, CoverageSummary]:
    """`elevator_coverage` for each date, in one statement per city (the area's cities summed)."""
    totals = {d: CoverageSummary.empty(d) for d in dates}
    for city in coverage_by_city(session, area, dates).values():
        for d, summary in city.summaries.items():
            totals[d] = totals[d] + summary
    return totals


def _n(cond: ColumnElement[bool]) -> ColumnElement[int]:
    """Count of rows where the condition holds (conditions here are never NULL)."""
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _n_not(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((cond, 0), else_=1)), 0)


def _city_coverage_at_dates(
    session: Session, area: Area, rules: dict[date, ProgrammeRule], full: set[date]
) -> dict[date, CoverageSummary]:
    """One city's funnel on each date of `rules` (date → the rule in force then).

    On dates outside `full` only elevators that ever applied or were insured are judged: the insured
    and eligible-and-applied counts are exact there, the other counts are not (callers keep only those).
    """
    ordered = sorted(rules)
    date_rows = [
        select(
            literal(i).label("i"),
            literal(d, Date()).label("d"),
            literal(minus_years(d, rules[d].warranty_years), Date()).label("cutoff"),
            literal(rules[d].min_premium_years * rules[d].annual_premium_fen, BigInteger()).label("req"),
            literal(1 if d in full else 0).label("full"),
        )
        for i, d in enumerate(ordered)
    ]
    dates = (union_all(*date_rows) if len(date_rows) > 1 else date_rows[0]).cte("cov_dates")
    last = max(rules)

    fe = MaintenanceFundEntry
    # A building's first deposit is one seek on the (building, kind, booked_on) index; grouping every
    # deposit entry instead cost more than the rest of the statement.
    building_first = (
        select(func.min(fe.booked_on))
        .where(fe.building_id == Building.id, fe.kind == FundEntryKind.deposit, fe.booked_on <= last)
        .scalar_subquery()
    )
    first_deposit = within(
        select(Building.compound_id.label("compound_id"), func.min(building_first).label("first_on"))
        .join(Compound, Compound.id == Building.compound_id)
        .group_by(Building.compound_id),
        area,
        ON_COMPOUND,
    ).subquery()
    # Nobody else can ever count as applied or insured.
    candidates = union_all(
        select(ApplicationElevator.elevator_id), select(InsurancePolicy.elevator_id.label("elevator_id"))
    )
    pa_unit, pa_building = aliased(PooledAccount), aliased(PooledAccount)
    elev_stmt = (
        select(
            Elevator.id.label("id"),
            Elevator.in_service_on.label("since"),
            func.coalesce(pa_unit.id, pa_building.id).label("account_id"),
            case(
                (and_(Compound.management_orderly.is_(True), Elevator.maintenance_normal.is_(True)), 1), else_=0
            ).label("ok_mgmt"),
            case((Elevator.insurer_conditions_met.is_(True), 1), else_=0).label("ok_insurer"),
            first_deposit.c.first_on.label("first_deposit"),
            case((Elevator.id.in_(candidates), 1), else_=0).label("candidate"),
        )
        .select_from(Elevator)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .outerjoin(pa_unit, pa_unit.unit_id == Elevator.unit_id)
        .outerjoin(pa_building, and_(pa_building.building_id == Elevator.building_id, pa_building.unit_id.is_(None)))
        .outerjoin(first_deposit, first_deposit.c.compound_id == Compound.id)
        .where(Elevator.in_service_on <= last)
    )
    elev = within(elev_stmt, area, ON_COMPOUND).cte("cov_elev")

    # Per pooled account, one column per date: the elevators in service it would have to insure, and its
    # balance. One pass over the rows instead of a (row × date) join grouped per (account, date).
    sizes = (
        select(
            elev.c.account_id.label("account_id"),
            *(_count_if(elev.c.since <= d).label(f"n{i}") for i, d in enumerate(ordered)),
        )
        .where(elev.c.account_id.is_not(None))
        .group_by(elev.c.account_id)
        .subquery()
    )
    pe = PooledAccountEntry
    signed = case((pe.kind == PooledEntryKind.value_added_income, pe.amount_fen), else_=-pe.amount_fen)
    balances = (
        select(
            pe.pooled_account_id.label("account_id"),
            *(func.sum(case((pe.booked_on <= d, signed), else_=0)).label(f"b{i}") for i, d in enumerate(ordered)),
        )
        .where(pe.pooled_account_id.in_(select(elev.c.account_id)))
        .group_by(pe.pooled_account_id)
        .subquery()
    )

    def on_date(columns: Any, prefix: str) -> ColumnElement[Any]:
        """The row's date's column of a per-date column set."""
        return case({i: columns[f"{prefix}{i}"] for i in range(len(ordered))}, value=dates.c.i)

    # Per candidate elevator, one 0/1 column per date: a policy in force; an application standing.
    candidate_ids = select(elev.c.id).where(elev.c.candidate == 1)
    ip = InsurancePolicy
    insured = (
        select(
            ip.elevator_id.label("elevator_id"),
            *(
                func.max(case((and_(ip.period_start <= d, ip.period_end > d), 1), else_=0)).label(f"s{i}")
                for i, d in enumerate(ordered)
            ),
        )
        .where(ip.elevator_id.in_(candidate_ids))
        .group_by(ip.elevator_id)
        .subquery()
    )
    ia = InsuranceApplication
    applied = (
        select(
            ApplicationElevator.elevator_id.label("elevator_id"),
            *(
                # as indicators.py writes it, so a withdrawal without a date is judged the same way
                func.max(
                    case(
                        (
                            and_(
                                ia.filed_on <= d,
                                ~and_(ia.decision == ApplicationDecision.withdrawn, ia.decided_on <= d),
                            ),
                            1,
                        ),
                        else_=0,
                    )
                ).label(f"a{i}")
                for i, d in enumerate(ordered)
            ),
        )
        .join(ia, ia.id == ApplicationElevator.application_id)
        .where(ApplicationElevator.elevator_id.in_(candidate_ids))
        .group_by(ApplicationElevator.elevator_id)
        .subquery()
    )

    # Each elevator with its account's and its own per-date facts: looked up once, not once per date.
    n_dates = range(len(ordered))
    facts = (
        select(
            elev,
            *(sizes.c[f"n{i}"] for i in n_dates),
            *(balances.c[f"b{i}"] for i in n_dates),
            *(insured.c[f"s{i}"] for i in n_dates),
            *(applied.c[f"a{i}"] for i in n_dates),
        )
        .select_from(elev)
        .outerjoin(sizes, sizes.c.account_id == elev.c.account_id)
        .outerjoin(balances, balances.c.account_id == elev.c.account_id)
        .outerjoin(insured, insured.c.elevator_id == elev.c.id)
        .outerjoin(applied, applied.c.elevator_id == elev.c.id)
        .cte("cov_facts")
        .prefix_with("MATERIALIZED")  # SQLite ≥ 3.35, PostgreSQL ≥ 12: else it is inlined and looked up per date
    )
    f = facts.c
    is_insured = func.coalesce(on_date(f, "s"), 0) == 1
    ok_deposit = and_(f.first_deposit.is_not(None), f.first_deposit <= dates.c.d)
    balance = func.coalesce(on_date(f, "b"), 0)
    ok_account = or_(is_insured, balance >= dates.c.req * func.coalesce(on_date(f, "n"), 1))
    ok_management = f.ok_mgmt == 1
    ok_warranty = f.since <= dates.c.cutoff
    ok_insurer = f.ok_insurer == 1
    eligible = and_(ok_deposit, ok_account, ok_management, ok_warranty, ok_insurer)
    is_applied = func.coalesce(on_date(f, "a"), 0) == 1
    stmt = (
        select(
            dates.c.d,
            func.count(),
            _n(ok_warranty),
            _n(eligible),
            _n(is_applied),
            _n(and_(eligible, is_applied)),
            _n(is_insured),
            _n_not(ok_deposit),
            _n_not(ok_account),
            _n_not(ok_management),
            _n_not(ok_warranty),
            _n_not(ok_insurer),
        )
        .select_from(facts)
        .join(dates, and_(f.since <= dates.c.d, or_(dates.c.full == 1, f.candidate == 1)))
        .group_by(dates.c.d)
    )
    # SQLite hands the derived date back as text, PostgreSQL as a date: key by the ISO string.
    found = {str(row[0])[:10]: [int(v) for v in row[1:]] for row in session.execute(stmt)}
    out: dict[date, CoverageSummary] = {}
    for d in rules:
        row = found.get(d.isoformat())
        if row is None:
            out[d] = CoverageSummary.empty(d)
            continue
        registered, past, elig, appl, elig_appl, ins, *fails = row
        out[d] = CoverageSummary(d, registered, past, elig, appl, elig_appl, ins, ratio(ins, elig_appl), *fails)
    return out


# --------------------------------------------------------------------------- the compound table


class CompoundElevatorRow(NamedTuple):
    """A NamedTuple, not a dataclass: a table builds 21,000 of them at `large` scale, ten times faster."""

    compound_id: int
    compound: str
    district: str
    district_en: str
    elevators: int  # in service at `last`
    past_warranty: int  # in service longer than the city's warranty years at `last`
    insured: int  # of those in service, a policy in force on `last`
    faults: int  # reported in [first, last] (local days)
    faults_per_100: Decimal | None  # faults ÷ elevators × 100
    trapped_incidents: int  # faults in the range with trapped passengers


def _warranty_cutoffs(session: Session, area: Area, last: date) -> dict[int, date]:
    """Per city: elevators in service on or before this date are past their warranty at `last`."""
    out: dict[int, date] = {}
    for city_id in cities_of(session, area):
        rule = programme_rule_for(session, city_id, last)
        out[city_id] = minus_years(last, rule.warranty_years if rule else DEFAULT_WARRANTY_YEARS)
    return out


def compound_elevator_table(session: Session, area: Area, first: date, last: date) -> list[CompoundElevatorRow]:
    """One row per compound of the area with elevators in service at `last`, in one grouped statement.

    Elevator stock (in service, past warranty by the city's rule, insured) is judged at `last`; faults and
    trapped-passenger incidents are counted over [first, last]. Ordered by faults, most first (a rate per
    100 is noisy for a compound with one elevator), then by compound id.
    """
    if rollups_ready(session):
        return _compound_elevator_table_from_rollups(session, area, first, last)
    cutoffs = _warranty_cutoffs(session, area, last)
    cutoff = case(cutoffs, value=District.city_id, else_=minus_years(last, DEFAULT_WARRANTY_YEARS))
    ip = InsurancePolicy
    in_force = exists().where(ip.elevator_id == Elevator.id, ip.period_start <= last, ip.period_end > last)
    stock = (
        select(
            Building.compound_id.label("compound_id"),
            func.count().label("elevators"),
            _count_if(Elevator.in_service_on <= cutoff).label("past_warranty"),
            _count_if(in_force).label("insured"),
        )
        .select_from(Elevator)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(Elevator.in_service_on <= last)
        .group_by(Building.compound_id)
    )
    stock_sq = within(stock, area, ON_COMPOUND_DISTRICT).subquery()
    faults = (
        select(
            Building.compound_id.label("compound_id"),
            func.count().label("faults"),
            _count_if(ElevatorFault.trapped_passengers > 0).label("trapped"),
        )
        .select_from(ElevatorFault)
        .join(Elevator, Elevator.id == ElevatorFault.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(_faults_in(first, last))
        .group_by(Building.compound_id)
    )
    faults_sq = within(faults, area, ON_COMPOUND_DISTRICT).subquery()
    n_faults = func.coalesce(faults_sq.c.faults, 0)
    stmt = (
        select(
            Compound.id,
            Compound.name,
            District.name,
            District.name_en,
            stock_sq.c.elevators,
            stock_sq.c.past_warranty,
            stock_sq.c.insured,
            n_faults,
            func.coalesce(faults_sq.c.trapped, 0),
        )
        .select_from(Compound)
        .join(District, District.id == Compound.district_id)
        .join(stock_sq, stock_sq.c.compound_id == Compound.id)
        .outerjoin(faults_sq, faults_sq.c.compound_id == Compound.id)
        .order_by(n_faults.desc(), Compound.id)
    )
    stmt = within(stmt, area, ON_COMPOUND_DISTRICT)
    return [
        CompoundElevatorRow(
            int(cid), name, dname, dname_en, int(e), int(past), int(ins), int(n), _per_100(int(n), int(e)), int(trap)
        )
        for cid, name, dname, dname_en, e, past, ins, n, trap in many_rows(session, stmt)
    ]


def _compound_elevator_table_from_rollups(
    session: Session, area: Area, first: date, last: date
) -> list[CompoundElevatorRow]:
    """The elevator stock on `last` (snapshot + the year's changes) and the faults of [first, last], per compound."""
    stock = compound_stocks(session, agg_compound_elevators, ("elevators", "past_warranty", "insured"), last, area)
    faults = compound_sums(agg_compound_faults, ("faults", "trapped_incidents"), first, last, area).subquery("faults")
    n_faults = func.coalesce(faults.c.faults, 0)
    stmt = (
        select(
            Compound.id,
            Compound.name,
            District.name,
            District.name_en,
            stock.c.elevators,
            stock.c.past_warranty,
            stock.c.insured,
            n_faults,
            func.coalesce(faults.c.trapped_incidents, 0),
        )
        .select_from(stock)
        .join(Compound, Compound.id == stock.c.compound_id)
        .join(District, District.id == Compound.district_id)
        .outerjoin(faults, faults.c.compound_id == stock.c.compound_id)
        .where(stock.c.elevators > 0)
        .order_by(n_faults.desc(), Compound.id)
    )
    return [
        CompoundElevatorRow(
            int(cid), name, dname, dname_en, int(e), int(past), int(ins), int(n), _per_100(int(n), int(e)), int(trap)
        )
        for cid, name, dname, dname_en, e, past, ins, n, trap in many_rows(session, stmt)
    ]


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


def _coverage_and_programmes(
    session: Session, area: Area, as_of: date, previous: date
) -> tuple[CoverageSummary, CoverageSummary, list[CityProgramme]]:
    """The funnel on as_of and a year earlier, and each city's programme, line and targets: one statement per city."""
    cities = [
        c
        for c in session.execute(select(City.id, City.code, City.name, City.name_en).order_by(City.id)).all()
        if c[0] in set(cities_of(session, area))
    ]
    rules: dict[int, ProgrammeRule | None] = {}
    starts: dict[int, date | None] = {}
    dates: dict[int, list[date]] = {}
    for cid, *_ in cities:
        loaded = city_rules(session, cid)
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
    by_city = coverage_by_city(session, area, [as_of, previous], every_date)

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
        for r in faults_per_100_by_district(session, area, first, last)
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
    compounds = compound_elevator_table(session, area, first, as_of) if include_compounds or compounds_only else []
    if compounds_only:
        empty = CoverageSummary.empty(as_of)
        return ElevatorsPage(as_of, first, prev, empty, empty, [], [], [], [], 0, 0, [], [], compounds)
    coverage, previous, programmes = _coverage_and_programmes(session, area, as_of, prev)
    return ElevatorsPage(
        as_of=as_of,
        first=first,
        previous_as_of=prev,
        coverage=coverage,
        previous=previous,
        programmes=programmes,
        service=service_comparison(session, area, first, as_of),
        previous_service=service_comparison(session, area, prev_first, prev, include_visits=False),
        districts=_district_rows(session, area, first, as_of),
        repeat_elevators=repeat_fault_elevators(session, area, first, as_of, REPEAT_FAULTS),
        previous_repeat_elevators=repeat_fault_elevators(session, area, prev_first, prev, REPEAT_FAULTS),
        hours=faults_by_hour(session, area, first, as_of),
        age_bands=faults_by_age_band(session, area, first, as_of),
        compounds=compounds,
    )


__all__ = [
    "AgeBandRow",
    "CityCoverage",
    "CityProgramme",
    "CompoundElevatorRow",
    "CoveragePoint",
    "DistrictFaultRow",
    "DistrictRate",
    "ElevatorsPage",
    "ServiceRow",
    "compound_elevator_table",
    "coverage_at_dates",
    "coverage_by_city",
    "coverage_over_time",
    "elevators_page_data",
    "faults_by_age_band",
    "faults_by_hour",
    "faults_per_100_by_district",
    "line_dates",
    "local_date",
    "local_hour",
    "repeat_fault_elevators",
    "seconds_between",
    "service_comparison",
    "whole_years_between",
]
