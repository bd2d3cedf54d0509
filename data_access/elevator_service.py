"""Elevator-page queries: insured-versus-uninsured service, and fault patterns (per district, repeat faults,
by hour, by elevator age).

Why these figures: seed 000 claims that insured ("insurance + service") elevators are answered within
30 minutes, have major faults repaired within 24 hours and get 40–70 minute maintenance visits; the
provincial 96333 platforms report faults per district, repeat faults, faults by hour and by elevator age.
Conventions as in data_access/elevators.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.types import Date

from data_access.core.models import (
    Building,
    Compound,
    District,
    Elevator,
    ElevatorFault,
    FaultSeverity,
    MaintenanceVisit,
)
from data_access.core.rollup_tables import AGE_COLUMNS, HOURS, agg_elevator_stock, agg_fault_day, agg_visit_day
from data_access.core.rules import (
    AGE_BANDS,
    MAJOR_REPAIR_LIMIT_SECONDS,
    REPEAT_FAULTS,
    RESPONSE_LIMIT_SECONDS,
    VISIT_BAND_MINUTES,
    exact_mean,
    insured_on,
    minus_years,
    ratio,
)
from data_access.core.scope import ON_COMPOUND, ON_DISTRICT, ON_ELEVATOR, Anchor, Area, on_elevator, within
from data_access.core.sqlfuncs import (
    in_local_days,
    local_date,
    local_hour,
    seconds_between,
    whole_seconds,
    whole_years_between,
)
from data_access.elevator_sql import count_if, faults_in, per_100
from data_access.rollups import levels_at, levels_by_district

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
    per_fault_sq = per_fault.where(faults_in(first, last)).subquery()

    pf = per_fault_sq.c
    is_major = pf.severity == FaultSeverity.major
    fault_stmt = select(
        pf.insured,
        func.count(),
        count_if(pf.response_s <= RESPONSE_LIMIT_SECONDS),
        func.coalesce(func.sum(pf.response_whole_s), 0),
        func.count(pf.response_whole_s),
        count_if(is_major),
        count_if(and_(is_major, pf.repair_s <= MAJOR_REPAIR_LIMIT_SECONDS)),
        count_if(pf.trapped > 0),
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
        count_if(and_(pv.minutes >= low, pv.minutes <= high)),
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


def _district_rows_from_raw(session: Session, area: Area, first: date, last: date) -> list[tuple[int, str, int, int]]:
    """(district id, name, elevators in service at `last`, faults in the range) per district of the area."""
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
    return [(int(d), name, int(e), int(n)) for d, name, e, n in session.execute(within(stmt, area, ON_DISTRICT))]


def _district_rows_from_rollups(
    session: Session, area: Area, first: date, last: date
) -> list[tuple[int, str, int, int]]:
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
    return [(int(d), name, stock.get(int(d), [0])[0], int(n)) for d, name, n in session.execute(stmt)]


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
        .where(faults_in(first, last))
        .group_by(Compound.district_id)
    )
    # Scoping the inner aggregates too keeps a city's query from counting the whole province.
    return within(elevators, area, ON_COMPOUND).subquery(), within(faults, area, ON_COMPOUND).subquery()


def _repeat_faults_from_raw(session: Session, area: Area, first: date, last: date, min_faults: int) -> int:
    per_elevator_stmt = (
        select(ElevatorFault.elevator_id)
        .join(Elevator, Elevator.id == ElevatorFault.elevator_id)
        .where(faults_in(first, last))
        .group_by(ElevatorFault.elevator_id)
        .having(func.count() >= min_faults)
    )
    per_elevator = within(per_elevator_stmt, area, ON_ELEVATOR).subquery()
    return int(session.scalar(select(func.count()).select_from(per_elevator)) or 0)


def _hour_counts_from_raw(session: Session, area: Area, first: date, last: date) -> dict[int, int]:
    hour = local_hour(ElevatorFault.reported_at)
    stmt = (
        select(hour, func.count())
        .select_from(ElevatorFault)
        .join(Elevator, Elevator.id == ElevatorFault.elevator_id)
        .where(faults_in(first, last))
        .group_by(hour)
    )
    return {int(h): int(n) for h, n in session.execute(within(stmt, area, ON_ELEVATOR))}


@dataclass(frozen=True)
class AgeBandRow:
    label: str  # "0-4", "5-9", "10-14", "15+" (completed years)
    faults: int  # faults in [first, last], banded by the elevator's age on the fault's local date
    elevators: int  # elevators in service at `last`, banded by their age at `last`
    faults_per_100: Decimal | None  # faults ÷ elevators × 100


def _age_band(years: ColumnElement[int]) -> ColumnElement[str]:
    whens = [(years <= hi, label) for label, _lo, hi in AGE_BANDS if hi is not None]
    return case(*whens, else_=AGE_BANDS[-1][0])


BandCounts = tuple[dict[str, int], dict[str, int]]  # (faults per band label, elevators per band label)


def _band_counts_from_raw(session: Session, area: Area, first: date, last: date) -> BandCounts:
    fault_band = _age_band(whole_years_between(Elevator.in_service_on, local_date(ElevatorFault.reported_at)))
    fault_sq = within(
        select(fault_band.label("band"))
        .select_from(ElevatorFault)
        .join(Elevator, Elevator.id == ElevatorFault.elevator_id)
        .where(faults_in(first, last)),
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
    return fault_counts, elevator_counts


def _band_counts_from_rollups(session: Session, area: Area, first: date, last: date) -> BandCounts:
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
    return fault_counts, elevator_counts


def _age_band_rows(fault_counts: dict[str, int], elevator_counts: dict[str, int]) -> list[AgeBandRow]:
    out: list[AgeBandRow] = []
    for label, _lo, _hi in AGE_BANDS:
        n, e = fault_counts.get(label, 0), elevator_counts.get(label, 0)
        out.append(AgeBandRow(label, n, e, per_100(n, e)))
    return out


class FaultsAndVisits:
    """Fault and maintenance-visit facts (the 96333 platforms' measures and seed 000's service claims), read from
    the raw faults, visits, elevators and policies. `first`..`last` are local days, both ends inclusive."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def service_comparison(self, area: Area, first: date, last: date, include_visits: bool = True) -> list[ServiceRow]:
        """Two rows, insured first then uninsured, to test seed 000's service claims against the records.

        `include_visits=False` skips the maintenance visits (the costlier half): their fields are then 0/None.
        """
        return _service_rows(*self._service_sums(area, first, last, include_visits))

    def faults_per_100_by_district(self, area: Area, first: date, last: date) -> list[DistrictRate]:
        """Fault rate per district, so districts of different size compare (the 96333 platforms' measure).

        A city lists its districts, the province every district, a district only itself; districts without
        elevators are listed with a rate of None. Ordered by city, then district id.
        """
        rows = self._district_rows(area, first, last)
        return [DistrictRate(d, name, e, n, per_100(n, e)) for d, name, e, n in rows]

    def repeat_fault_elevators(self, area: Area, first: date, last: date, min_faults: int = 3) -> int:
        """Elevators with at least `min_faults` faults in the range: the repeat-fault list's size."""
        return _repeat_faults_from_raw(self.session, area, first, last, min_faults)

    def faults_by_hour(self, area: Area, first: date, last: date) -> list[tuple[int, int]]:
        """Faults per local hour of day; all 24 hours are returned (zeros included) so charts keep their axis."""
        counts = self._hour_counts(area, first, last)
        return [(h, counts.get(h, 0)) for h in range(24)]

    def faults_by_age_band(self, area: Area, first: date, last: date) -> list[AgeBandRow]:
        """Faults by elevator age band, to show whether older elevators fail more (the eligibility rule's premise).

        Each fault is banded by the elevator's completed years on the fault's local date, so an elevator that
        turns five in the range puts its earlier faults in "0-4" and its later ones in "5-9". The elevator
        counts are a stock judged at `last`; for a range of a year or less the two judgements differ only for
        elevators that crossed a band boundary inside the range, which is accepted for a per-100 rate.
        """
        return _age_band_rows(*self._band_counts(area, first, last))

    def _service_sums(
        self, area: Area, first: date, last: date, include_visits: bool
    ) -> tuple[ServiceSums, ServiceSums]:
        return _service_from_raw(self.session, area, first, last, include_visits)

    def _district_rows(self, area: Area, first: date, last: date) -> list[tuple[int, str, int, int]]:
        return _district_rows_from_raw(self.session, area, first, last)

    def _hour_counts(self, area: Area, first: date, last: date) -> dict[int, int]:
        return _hour_counts_from_raw(self.session, area, first, last)

    def _band_counts(self, area: Area, first: date, last: date) -> BandCounts:
        return _band_counts_from_raw(self.session, area, first, last)


class FaultsAndVisitsFromRollups(FaultsAndVisits):
    """The same from agg_fault_day, agg_visit_day and agg_elevator_stock (district × local day). The repeat-fault
    count is held only for the year to date at REPEAT_FAULTS; other ranges are counted from the raw faults."""

    def repeat_fault_elevators(self, area: Area, first: date, last: date, min_faults: int = 3) -> int:
        if min_faults == REPEAT_FAULTS and first == date(last.year, 1, 1):
            # An elevator has REPEAT_FAULTS faults by `last` exactly when its REPEAT_FAULTS-th of the year is by then.
            t = agg_fault_day.c
            stmt = select(func.coalesce(func.sum(t.repeat_faults), 0)).where(t.day >= first, t.day <= last)
            return int(self.session.scalar(within(stmt, area, Anchor(district=t.district_id))) or 0)
        return super().repeat_fault_elevators(area, first, last, min_faults)

    def _service_sums(
        self, area: Area, first: date, last: date, include_visits: bool
    ) -> tuple[ServiceSums, ServiceSums]:
        return _service_from_rollups(self.session, area, first, last, include_visits)

    def _district_rows(self, area: Area, first: date, last: date) -> list[tuple[int, str, int, int]]:
        return _district_rows_from_rollups(self.session, area, first, last)

    def _hour_counts(self, area: Area, first: date, last: date) -> dict[int, int]:
        t = agg_fault_day.c
        stmt = select(*(func.coalesce(func.sum(t[f"hour_{h:02d}"]), 0) for h in HOURS)).where(
            t.day >= first, t.day <= last
        )
        row = self.session.execute(within(stmt, area, Anchor(district=t.district_id))).one()
        return {h: int(row[h]) for h in range(24)}

    def _band_counts(self, area: Area, first: date, last: date) -> BandCounts:
        return _band_counts_from_rollups(self.session, area, first, last)


def _service_rows(faults: ServiceSums, visits: ServiceSums) -> list[ServiceRow]:
    """ServiceRow for insured then uninsured, from the per-flag fault and visit sums (either reader's)."""
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


__all__ = ["AgeBandRow", "DistrictRate", "FaultsAndVisits", "FaultsAndVisitsFromRollups", "ServiceRow"]
