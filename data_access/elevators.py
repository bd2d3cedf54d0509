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
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, FunctionElement
from sqlalchemy.types import Date, Float, Integer

from data_access.geography import Area, scope_compounds
from data_access.indicators import elevator_coverage, ratio
from data_access.models import (
    Building,
    Compound,
    District,
    Elevator,
    ElevatorFault,
    FaultSeverity,
    InsurancePolicy,
    MaintenanceVisit,
)
from data_access.sqlfuncs import in_local_days

RESPONSE_LIMIT_SECONDS = 30 * 60  # seed 000: every fault responded within 30 minutes (also the statutory limit)
MAJOR_REPAIR_LIMIT_SECONDS = 24 * 60 * 60  # seed 000: major faults repaired within 24 hours
VISIT_BAND_MINUTES = (40, 70)  # seed 000: maintenance visits of 40–70 minutes (both ends included)
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-4", 0, 4),
    ("5-9", 5, 9),
    ("10-14", 10, 14),
    ("15+", 15, None),
)


# --------------------------------------------------------------------------- dialect-specific SQL


class local_hour(FunctionElement[int]):  # noqa: N801  (reads as a SQL function)
    """Hour (0–23) of an instant in Asia/Shanghai: a fault at 23:30 local is stored as 15:30 UTC."""

    type = Integer()
    inherit_cache = True


@compiles(local_hour, "sqlite")
def _hour_sqlite(element: local_hour, compiler: Any, **kw: Any) -> str:
    return f"CAST(strftime('%H', {compiler.process(element.clauses, **kw)}, '+8 hours') AS INTEGER)"


@compiles(local_hour, "postgresql")
def _hour_pg(element: local_hour, compiler: Any, **kw: Any) -> str:
    return (
        f"CAST(EXTRACT(HOUR FROM ({compiler.process(element.clauses, **kw)} AT TIME ZONE 'Asia/Shanghai')) AS INTEGER)"
    )


class local_date(FunctionElement[date]):  # noqa: N801
    """Calendar date of an instant in Asia/Shanghai, comparable with Date columns on both engines.

    A fault reported at 00:30 local on a policy's first day is stored on the previous UTC day; policy
    periods are local dates, so the comparison must use the local date.
    """

    type = Date()
    inherit_cache = True


@compiles(local_date, "sqlite")
def _date_sqlite(element: local_date, compiler: Any, **kw: Any) -> str:
    # SQLite stores Date columns as 'YYYY-MM-DD' text, which date() also returns: text comparison is date order.
    return f"date({compiler.process(element.clauses, **kw)}, '+8 hours')"


@compiles(local_date, "postgresql")
def _date_pg(element: local_date, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)} AT TIME ZONE 'Asia/Shanghai') AS DATE)"


class seconds_between(FunctionElement[float]):  # noqa: N801
    """Seconds from instant `a` to instant `b` (b − a); NULL when either is NULL.

    Interval arithmetic differs per engine, so durations are turned into plain numbers in SQL.
    SQLite's julianday is a double; rounding to milliseconds removes its representation error so that
    exactly 30 minutes compares equal to 1800.
    """

    type = Float()
    inherit_cache = True


def _two_args(element: FunctionElement[Any], compiler: Any, **kw: Any) -> tuple[str, str]:
    a, b = list(element.clauses)
    return compiler.process(a, **kw), compiler.process(b, **kw)


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: Any, **kw: Any) -> str:
    a, b = _two_args(element, compiler, **kw)
    return f"ROUND((julianday({b}) - julianday({a})) * 86400.0, 3)"


@compiles(seconds_between, "postgresql")
def _seconds_pg(element: seconds_between, compiler: Any, **kw: Any) -> str:
    a, b = _two_args(element, compiler, **kw)
    return f"CAST(EXTRACT(EPOCH FROM ({b} - {a})) AS DOUBLE PRECISION)"


class whole_years_between(FunctionElement[int]):  # noqa: N801
    """Completed years from date `start` to date `end` (an age), the same rule on both engines.

    Year difference, minus one while the anniversary (month-day) has not been reached; someone born on
    29 February turns a year older on 1 March in non-leap years, as `indicators.minus_years` implies.
    """

    type = Integer()
    inherit_cache = True


@compiles(whole_years_between, "sqlite")
def _years_sqlite(element: whole_years_between, compiler: Any, **kw: Any) -> str:
    s, e = _two_args(element, compiler, **kw)
    return (
        f"(CAST(strftime('%Y', {e}) AS INTEGER) - CAST(strftime('%Y', {s}) AS INTEGER)"
        f" - (CASE WHEN strftime('%m-%d', {e}) < strftime('%m-%d', {s}) THEN 1 ELSE 0 END))"
    )


@compiles(whole_years_between, "postgresql")
def _years_pg(element: whole_years_between, compiler: Any, **kw: Any) -> str:
    s, e = _two_args(element, compiler, **kw)
    return (
        f"(CAST(EXTRACT(YEAR FROM {e}) AS INTEGER) - CAST(EXTRACT(YEAR FROM {s}) AS INTEGER)"
        f" - (CASE WHEN to_char({e}, 'MM-DD') < to_char({s}, 'MM-DD') THEN 1 ELSE 0 END))"
    )


# --------------------------------------------------------------------------- helpers


def _scope_elevators(stmt: Select, area: Area) -> Select:
    """Restrict a statement that has Elevator in its FROM to the area (no joins needed province-wide)."""
    if area.city_id is None and area.district_id is None:
        return stmt
    stmt = stmt.join(Building, Building.id == Elevator.building_id).join(Compound, Compound.id == Building.compound_id)
    return scope_compounds(stmt, area)


def _faults_in(first: date, last: date) -> ColumnElement[bool]:
    return in_local_days(ElevatorFault.reported_at, first, last)


def _count_if(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _minutes(seconds: float | None) -> Decimal | None:
    if seconds is None:
        return None
    return (Decimal(str(seconds)) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _decimal2(value: float | Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _per_100(count: int, elevators: int) -> Decimal | None:
    if not elevators:
        return None
    return (Decimal(count) * 100 / Decimal(elevators)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _insured_on(elevator_id: ColumnElement[int], day: ColumnElement[date]) -> ColumnElement[bool]:
    """A policy of the elevator is in force on the local date (period_end is exclusive)."""
    return exists().where(
        InsurancePolicy.elevator_id == elevator_id,
        InsurancePolicy.period_start <= day,
        InsurancePolicy.period_end > day,
    )


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


def service_comparison(session: Session, area: Area, first: date, last: date) -> list[ServiceRow]:
    """Two rows, insured first then uninsured, to test seed 000's service claims against the records."""
    f = ElevatorFault
    response = seconds_between(f.reported_at, f.responded_at)
    repair = seconds_between(f.reported_at, f.repaired_at)
    per_fault = select(
        _insured_on(f.elevator_id, local_date(f.reported_at)).label("insured"),
        response.label("response_s"),
        repair.label("repair_s"),
        f.severity.label("severity"),
        f.trapped_passengers.label("trapped"),
    ).select_from(f)
    per_fault = _scope_elevators(per_fault.join(Elevator, Elevator.id == f.elevator_id), area)
    per_fault_sq = per_fault.where(_faults_in(first, last)).subquery()

    pf = per_fault_sq.c
    is_major = pf.severity == FaultSeverity.major
    fault_stmt = select(
        pf.insured,
        func.count(),
        _count_if(pf.response_s <= RESPONSE_LIMIT_SECONDS),
        func.avg(pf.response_s),
        _count_if(is_major),
        _count_if(and_(is_major, pf.repair_s <= MAJOR_REPAIR_LIMIT_SECONDS)),
        _count_if(pf.trapped > 0),
    ).group_by(pf.insured)
    faults = {bool(r[0]): r[1:] for r in session.execute(fault_stmt)}

    v = MaintenanceVisit
    low, high = VISIT_BAND_MINUTES
    per_visit = select(
        _insured_on(v.elevator_id, local_date(v.started_at)).label("insured"),
        v.duration_minutes.label("minutes"),
    ).select_from(v)
    per_visit = _scope_elevators(per_visit.join(Elevator, Elevator.id == v.elevator_id), area)
    per_visit_sq = per_visit.where(in_local_days(v.started_at, first, last)).subquery()
    pv = per_visit_sq.c
    visit_stmt = select(
        pv.insured,
        func.count(),
        func.avg(pv.minutes),
        _count_if(and_(pv.minutes >= low, pv.minutes <= high)),
    ).group_by(pv.insured)
    visits = {bool(r[0]): r[1:] for r in session.execute(visit_stmt)}

    out: list[ServiceRow] = []
    for insured in (True, False):
        n, answered, mean_s, major, repaired, trapped = faults.get(insured, (0, 0, None, 0, 0, 0))
        nv, mean_v, in_band = visits.get(insured, (0, None, 0))
        n, answered, major, repaired, nv, in_band = (int(x) for x in (n, answered, major, repaired, nv, in_band))
        out.append(
            ServiceRow(
                insured=insured,
                faults=n,
                answered_30min=answered,
                answered_30min_share=ratio(answered, n),
                mean_response_minutes=_minutes(mean_s),
                major_faults=major,
                major_repaired_24h=repaired,
                major_repaired_24h_share=ratio(repaired, major),
                trapped_incidents=int(trapped),
                visits=nv,
                mean_visit_minutes=_decimal2(mean_v),
                visits_in_band=in_band,
                visits_in_band_share=ratio(in_band, nv),
            )
        )
    return out


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
    elevators = scope_compounds(elevators, area).subquery()
    faults = scope_compounds(faults, area).subquery()
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
    if area.district_id is not None:
        stmt = stmt.where(District.id == area.district_id)
    elif area.city_id is not None:
        stmt = stmt.where(District.city_id == area.city_id)
    return [
        DistrictRate(int(d), name, int(e), int(n), _per_100(int(n), int(e))) for d, name, e, n in session.execute(stmt)
    ]


def repeat_fault_elevators(session: Session, area: Area, first: date, last: date, min_faults: int = 3) -> int:
    """Elevators with at least `min_faults` faults in the range: the repeat-fault list's size."""
    per_elevator = (
        select(ElevatorFault.elevator_id)
        .join(Elevator, Elevator.id == ElevatorFault.elevator_id)
        .where(_faults_in(first, last))
        .group_by(ElevatorFault.elevator_id)
        .having(func.count() >= min_faults)
    )
    per_elevator = _scope_elevators(per_elevator, area).subquery()
    return int(session.scalar(select(func.count()).select_from(per_elevator)) or 0)


def faults_by_hour(session: Session, area: Area, first: date, last: date) -> list[tuple[int, int]]:
    """Faults per local hour of day; all 24 hours are returned (zeros included) so charts keep their axis."""
    hour = local_hour(ElevatorFault.reported_at)
    stmt = (
        select(hour, func.count())
        .select_from(ElevatorFault)
        .join(Elevator, Elevator.id == ElevatorFault.elevator_id)
        .where(_faults_in(first, last))
        .group_by(hour)
    )
    counts = {int(h): int(n) for h, n in session.execute(_scope_elevators(stmt, area))}
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
    fault_band = _age_band(whole_years_between(Elevator.in_service_on, local_date(ElevatorFault.reported_at)))
    fault_sq = _scope_elevators(
        select(fault_band.label("band"))
        .select_from(ElevatorFault)
        .join(Elevator, Elevator.id == ElevatorFault.elevator_id)
        .where(_faults_in(first, last)),
        area,
    ).subquery()
    fault_counts = {
        band: int(n) for band, n in session.execute(select(fault_sq.c.band, func.count()).group_by(fault_sq.c.band))
    }

    elevator_band = _age_band(whole_years_between(Elevator.in_service_on, literal(last, Date())))
    elevator_sq = _scope_elevators(
        select(elevator_band.label("band")).select_from(Elevator).where(Elevator.in_service_on <= last), area
    ).subquery()
    elevator_counts = {
        band: int(n)
        for band, n in session.execute(select(elevator_sq.c.band, func.count()).group_by(elevator_sq.c.band))
    }

    out: list[AgeBandRow] = []
    for label, _lo, _hi in AGE_BANDS:
        n, e = fault_counts.get(label, 0), elevator_counts.get(label, 0)
        out.append(AgeBandRow(label, n, e, _per_100(n, e)))
    return out


__all__ = [
    "AgeBandRow",
    "CoveragePoint",
    "DistrictRate",
    "ServiceRow",
    "coverage_over_time",
    "faults_by_age_band",
    "faults_by_hour",
    "faults_per_100_by_district",
    "local_date",
    "local_hour",
    "repeat_fault_elevators",
    "seconds_between",
    "service_comparison",
    "whole_years_between",
]
