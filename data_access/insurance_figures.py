"""Whether the insurance is worth it: premiums against claims paid, repair costs, rescue times, maintenance companies.

Why these figures: every city copying the "Zhuzhou model" asks whether ~2,200 yuan of premium per elevator and
year, paid from the pooled account, is a better use of the owners' money than paying repairs from their own
ledgers (issue 16); the 96333 platforms judge rescue by arrival against the 30-minute limit; the market
regulator judges maintenance companies by faults, repeat faults, response and visit length (seed 000, TSG
T5002). Each figure is defined once here, simply enough to be checked by hand (tests/test_insurance_figures.py).

Conventions (those of data_access/elevators.py):
- a year is a calendar year of local (Asia/Shanghai) days: instants are compared through
  `core.sqlfuncs.in_local_days`, DATE columns (period_start, paid_on, booked_on) directly;
- every count and sum is aggregated in SQL and scoped through `core.scope.within`; Python only adds up the few
  result rows (loss-ratio cells into insurer, city and district rows) and takes medians;
- money is integer fen; shares and ratios are `Decimal` from `core.rules.ratio` (None when the denominator is 0);
  minutes are `Decimal` with 2 places, rounded half up;
- a fault, visit or complaint belongs to the place of its elevator.

The insured-versus-uninsured share of faults answered within 30 minutes is not recomputed here: it is
`FaultsAndVisits.service_comparison` (data_access/elevator_service.py), the figure /elevators shows, and
`insurance_summary` reads it from there so the pages and the API cannot disagree.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from sqlalchemy import and_, case, distinct, func, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from data_access.cache import cached_query
from data_access.core.models import (
    Building,
    City,
    ClaimKind,
    Compound,
    District,
    Elevator,
    ElevatorFault,
    FundEntryKind,
    HotlineWorkOrder,
    InsuranceClaim,
    InsurancePolicy,
    Insurer,
    MaintenanceCompany,
    MaintenanceFundEntry,
    MaintenanceVisit,
    PooledAccountEntry,
    PooledEntryKind,
    WorkOrderCategory,
)
from data_access.core.rules import REPEAT_FAULTS, RESPONSE_LIMIT_SECONDS, VISIT_BAND_MINUTES, Stage, exact_mean, ratio
from data_access.core.scope import ON_COMPOUND, ON_COMPOUND_DISTRICT, Anchor, Area, on_elevator, within
from data_access.core.sqlfuncs import date_year, in_local_days, not_indexed, seconds_between, whole_seconds
from data_access.elevator_sql import count_if, per_100
from data_access.facts import facts
from data_access.indicators import as_of_for_year
from data_access.insurance import renewal_list, stage_totals

BEFORE_YEARS = 3  # "before insuring": the compound's last three calendar years before its first policy's year
ON_BUILDING_ROW = Anchor(compound=Building.compound_id, building=Building.id)  # a statement with Building in FROM


def year_days(year: int) -> tuple[date, date]:
    """The first and last local day of a calendar year (both inclusive)."""
    return date(year, 1, 1), date(year, 12, 31)


def _placed(stmt: Select[Any]) -> Select[Any]:
    """Join a statement over Elevator to its building, compound and district (for the city and district ids)."""
    return (
        stmt.join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .join(District, District.id == Compound.district_id)
    )


# --------------------------------------------------------------------------- 1. premiums against claims paid


@dataclass(frozen=True)
class LossRow:
    """Premiums of one insurer, city or district (or all of them: the total) against the claims it paid.

    `id` is the insurer's, city's or district's id (None for the total); `city_id` is the city a city or
    district row belongs to (None for insurers and the total)."""

    id: int | None
    name: str
    name_en: str | None
    city_id: int | None
    policies: int  # policies whose period starts in the year
    premiums_fen: int  # their premiums
    claims: int  # claims paid in the year
    claims_paid_fen: int
    loss_ratio: Decimal | None  # claims_paid ÷ premiums; None without premiums in the year


@dataclass(frozen=True)
class LossRatios:
    year: int
    by_insurer: list[LossRow]  # by insurer name
    by_city: list[LossRow]  # by city id
    by_district: list[LossRow]  # by city id, then district id
    total: LossRow


Cells = dict[tuple[int, int], tuple[int, int]]  # (insurer id, district id) → (count, fen)


def _premium_cells(session: Session, area: Area, first: date, last: date) -> Cells:
    """Policies starting in [first, last] and their premiums less any refund on cancellation, per insurer and
    district of the elevator."""
    ip, pe = InsurancePolicy, PooledAccountEntry
    refunded = (
        select(func.coalesce(func.sum(pe.amount_fen), 0))
        .where(pe.insurance_policy_id == ip.id, pe.kind == PooledEntryKind.premium_refund)
        .scalar_subquery()
    )
    stmt = (
        select(ip.insurer_id, Compound.district_id, func.count(), func.sum(ip.premium_fen - refunded))
        .select_from(ip)
        .join(Elevator, Elevator.id == ip.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .where(ip.period_start >= first, ip.period_start <= last)
        .group_by(ip.insurer_id, Compound.district_id)
    )
    return {(i, d): (int(n), int(fen)) for i, d, n, fen in session.execute(within(stmt, area, ON_COMPOUND))}


def _claim_cells_by_kind(session: Session, area: Area, first: date, last: date) -> dict[ClaimKind, Cells]:
    """Claims paid in [first, last] and their amounts, per kind of claim, insurer and district of the insured
    elevator: one statement serves the loss ratios (all kinds), the insured repair cost (all kinds) and the major
    repairs (kind major_repair), which add up these few cells (integers: exact however they are grouped)."""
    ip, ic = InsurancePolicy, InsuranceClaim
    stmt = (
        select(ic.kind, ip.insurer_id, Compound.district_id, func.count(), func.sum(ic.amount_fen))
        .select_from(ic)
        .join(ip, ip.id == ic.insurance_policy_id)
        .join(Elevator, Elevator.id == ip.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .where(ic.paid_on >= first, ic.paid_on <= last)
        .group_by(ic.kind, ip.insurer_id, Compound.district_id)
    )
    cells: dict[ClaimKind, Cells] = defaultdict(dict)
    for kind, i, d, n, fen in session.execute(within(stmt, area, ON_COMPOUND)):
        cells[ClaimKind(kind)][(int(i), int(d))] = (int(n), int(fen))
    return dict(cells)


def _claim_cells(claims: dict[ClaimKind, Cells], kind: ClaimKind | None = None) -> Cells:
    """The claims of one kind (or of all kinds, added up per insurer and district)."""
    if kind is not None:
        return claims.get(kind, {})
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for by_kind in claims.values():
        for key, (n, fen) in by_kind.items():
            had_n, had_fen = out.get(key, (0, 0))
            out[key] = (had_n + n, had_fen + fen)
    return out


class YearCells(NamedTuple):
    """Premiums and claims paid of a calendar year per insurer and district, read once (two statements) and shared
    by the figures of the year that add them up (`loss_ratios_of`, `repair_cost_of`, `major_repairs_of`)."""

    year: int
    premiums: Cells
    claims: dict[ClaimKind, Cells]

    @property
    def all_claims(self) -> Cells:
        """The claims of every kind, per insurer and district."""
        return _claim_cells(self.claims)


def year_cells(session: Session, area: Area, year: int) -> YearCells:
    first, last = year_days(year)
    return YearCells(year, _premium_cells(session, area, first, last), _claim_cells_by_kind(session, area, first, last))


def loss_ratios(session: Session, area: Area, year: int) -> LossRatios:
    """Premiums against claims paid (赔付率) in a calendar year, by insurer, by city, by district and in total.

    Premiums of a year are the premium_fen of the policies whose period_start falls in the year (a policy bought
    in December for cover from January counts in January's year), less what the insurer refunded on the ones
    cancelled since (the premium it kept); claims paid are the insurance_claim amounts
    whose paid_on falls in the year, whatever year their policy started in. This is a paid-basis calendar-year
    ratio, the figure a fund centre can check against its vouchers, not an underwriting-year ratio. A policy and
    its claims are placed by the insured elevator (its district and city). Groups with neither premiums nor
    claims in the year are not listed.

    SQL sums both per (insurer, district); the insurer, city, district and total rows add up those few cells.
    """
    return loss_ratios_of(session, year_cells(session, area, year))


def loss_total(cells_of_year: YearCells) -> LossRow:
    """The total row of `loss_ratios` (every insurer, city and district of the area), from the year's cells alone."""
    premiums, claims = cells_of_year.premiums.values(), cells_of_year.all_claims.values()
    premium_fen, claim_fen = sum(fen for _, fen in premiums), sum(fen for _, fen in claims)
    return LossRow(
        None,
        "合计",
        "Total",
        None,
        sum(n for n, _ in premiums),
        premium_fen,
        sum(n for n, _ in claims),
        claim_fen,
        ratio(claim_fen, premium_fen),
    )


def loss_ratios_of(session: Session, cells_of_year: YearCells) -> LossRatios:
    """`loss_ratios` from the year's cells already read (only the names of the places and insurers are read)."""
    year, premiums = cells_of_year.year, cells_of_year.premiums
    claims = cells_of_year.all_claims
    cells = set(premiums) | set(claims)
    district_ids = sorted({d for _, d in cells})
    insurer_ids = sorted({i for i, _ in cells})
    places: dict[int, tuple[int, str, str, str, str]] = {}  # district → (city id, name, name_en, city, city_en)
    insurers: dict[int, str] = {}
    if cells:
        stmt = (
            select(District.id, City.id, District.name, District.name_en, City.name, City.name_en)
            .join(City, City.id == District.city_id)
            .where(District.id.in_(district_ids))
        )
        places = {int(d): (int(c), *names) for d, c, *names in session.execute(stmt)}
        insurers = {
            int(i): n for i, n in session.execute(select(Insurer.id, Insurer.name).where(Insurer.id.in_(insurer_ids)))
        }

    sums: dict[tuple[str, int | None], list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # policies, fen, claims, fen
    for offset, source in ((0, premiums), (2, claims)):
        for (insurer_id, district_id), (n, fen) in source.items():
            city_id = places[district_id][0]
            for group in (("insurer", insurer_id), ("city", city_id), ("district", district_id)):
                sums[group][offset] += n
                sums[group][offset + 1] += fen

    def row(kind: str, key: int | None, name: str, name_en: str | None, city_id: int | None) -> LossRow:
        policies, premium_fen, n_claims, claim_fen = sums[(kind, key)]
        return LossRow(
            key, name, name_en, city_id, policies, premium_fen, n_claims, claim_fen, ratio(claim_fen, premium_fen)
        )

    by_insurer = sorted((row("insurer", i, insurers[i], None, None) for i in insurer_ids), key=lambda r: (r.name, r.id))
    cities = {c: (city, city_en) for c, _n, _e, city, city_en in places.values()}
    by_city = [row("city", c, *cities[c], c) for c in sorted(cities)]
    by_district = [
        row("district", d, places[d][1], places[d][2], places[d][0])
        for d in sorted(district_ids, key=lambda d: (places[d][0], d))
    ]
    return LossRatios(year, by_insurer, by_city, by_district, loss_total(cells_of_year))


# --------------------------------------------------------------------------- 2. repair cost per elevator-year


@dataclass(frozen=True)
class RepairCostGroup:
    """What repairs cost one group of compounds per elevator-year."""

    compounds: int
    repairs: int  # claims paid (insured) or owner-ledger uses (before insuring, never insured) counted
    cost_fen: int
    elevator_years: Decimal  # to 2 places (the cost per elevator-year is computed from the exact figure)
    cost_per_elevator_year_fen: int | None  # cost ÷ elevator-years, rounded half up to the fen; None without any


@dataclass(frozen=True)
class RepairCost:
    """Repair cost per elevator-year in a calendar year, three ways (see `repair_cost`)."""

    year: int
    insured: RepairCostGroup
    before_insuring: RepairCostGroup
    never_insured: RepairCostGroup


def _per_elevator_year(cost_fen: int, elevator_years: Fraction) -> int | None:
    if not elevator_years:
        return None
    return math.floor(Fraction(cost_fen) / elevator_years + Fraction(1, 2))


def _group(compounds: int, repairs: int, cost_fen: int, elevator_years: Fraction) -> RepairCostGroup:
    shown = (Decimal(elevator_years.numerator) / Decimal(elevator_years.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return RepairCostGroup(compounds, repairs, cost_fen, shown, _per_elevator_year(cost_fen, elevator_years))


def _overlapping(first: date, last: date) -> Any:
    """A policy whose cover [period_start, period_end) overlaps the days [first, last]."""
    return and_(InsurancePolicy.period_start <= last, InsurancePolicy.period_end > first)


def _insured_compounds(area: Area, first: date, last: date) -> Select[Any]:
    """The compounds of the area with a policy in force on some day of [first, last]."""
    ip = InsurancePolicy
    stmt = (
        select(Building.compound_id)
        .select_from(ip)
        .join(Elevator, Elevator.id == ip.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .where(_overlapping(first, last))
    )
    return within(stmt, area, ON_BUILDING_ROW)


def _insured_group(session: Session, area: Area, first: date, last: date, claims: Cells) -> RepairCostGroup:
    ip = InsurancePolicy
    periods = within(
        select(ip.period_start, ip.period_end, func.count())
        .where(_overlapping(first, last))
        .group_by(ip.period_start, ip.period_end),
        area,
        on_elevator(ip.elevator_id),
    )
    end = last + timedelta(days=1)
    days = sum(n * (min(stop, end) - max(start, first)).days for start, stop, n in session.execute(periods))
    insured = _insured_compounds(area, first, last).subquery("insured")
    compounds = session.scalar(select(func.count(distinct(insured.c.compound_id))))
    return _group(
        int(compounds or 0),
        sum(n for n, _ in claims.values()),
        sum(fen for _, fen in claims.values()),
        Fraction(days, (end - first).days),
    )


def _before_group(session: Session, area: Area, first: date, last: date) -> RepairCostGroup:
    ip, fe = InsurancePolicy, MaintenanceFundEntry
    insured = _insured_compounds(area, first, last)
    first_policy = (
        select(Building.compound_id.label("compound_id"), func.min(ip.period_start).label("first_start"))
        .select_from(ip)
        .join(Elevator, Elevator.id == ip.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .where(Building.compound_id.in_(insured))
        .group_by(Building.compound_id)
        .cte("first_policy")  # built once for both sums below (one statement; the two used to build it twice)
    )
    f = date_year(first_policy.c.first_start)  # the year the compound was first insured
    s = date_year(Elevator.in_service_on)
    # Elevator-years in the window f-3 .. f-1: one for each of those years after the year it entered service.
    years = case((s <= f - 1 - BEFORE_YEARS, BEFORE_YEARS), (s < f - 1, f - 1 - s), else_=0)
    exposure = within(
        select(func.coalesce(func.sum(years), 0), func.count(distinct(first_policy.c.compound_id)))
        .select_from(first_policy)
        .join(Building, Building.compound_id == first_policy.c.compound_id)
        .join(Elevator, Elevator.building_id == Building.id),
        area,
        ON_BUILDING_ROW,
    ).subquery("exposure")
    booked = date_year(fe.booked_on)
    uses = within(
        select(func.count(), func.coalesce(func.sum(fe.amount_fen), 0))
        .select_from(fe)
        .join(Building, Building.id == fe.building_id)
        .join(first_policy, first_policy.c.compound_id == Building.compound_id)
        .where(fe.kind == FundEntryKind.use, booked >= f - BEFORE_YEARS, booked <= f - 1),
        area,
        ON_BUILDING_ROW,
    ).subquery("uses")
    both = select(*exposure.c, *uses.c).select_from(exposure).join(uses, true())  # one row each
    elevator_years, compounds, n, fen = session.execute(both).one()
    return _group(int(compounds or 0), int(n), int(fen), Fraction(int(elevator_years or 0)))


def _never_group(session: Session, area: Area, first: date, last: date) -> RepairCostGroup:
    ip, fe = InsurancePolicy, MaintenanceFundEntry
    insured_by_then = (
        select(Building.compound_id)
        .select_from(ip)
        .join(Elevator, Elevator.id == ip.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .where(ip.period_start <= last)
    )
    counted = within(
        select(Elevator.id, Building.compound_id.label("compound_id"))
        .select_from(Elevator)
        .join(Building, Building.id == Elevator.building_id)
        .where(Elevator.in_service_on < first, Building.compound_id.not_in(insured_by_then)),
        area,
        ON_BUILDING_ROW,
    ).subquery("counted")
    elevators, compounds = session.execute(
        select(func.count(), func.count(distinct(counted.c.compound_id))).select_from(counted)
    ).one()
    uses = within(
        select(func.count(), func.coalesce(func.sum(fe.amount_fen), 0))
        .select_from(fe)
        .join(Building, Building.id == fe.building_id)
        .where(
            fe.kind == FundEntryKind.use,
            fe.booked_on >= first,
            fe.booked_on <= last,
            Building.compound_id.in_(select(counted.c.compound_id)),
        ),
        area,
        ON_BUILDING_ROW,
    )
    n, fen = session.execute(uses).one()
    return _group(int(compounds or 0), int(n), int(fen), Fraction(int(elevators or 0)))


@cached_query
def repair_cost(session: Session, area: Area, year: int) -> RepairCost:
    """Repair cost per elevator-year in a calendar year: insured, the same compounds before insuring, never insured.

    - insured: the claims paid in the year (all kinds, as in `loss_ratios`) ÷ the insured elevator-years of the
      year, i.e. the days of the year covered by a policy, summed over policies, ÷ the days of the year (a policy
      from 1 July covers 184/365 of an elevator-year). Compounds: those with a policy in force in the year.
    - before insuring: for those same compounds, the owners' ledger uses (maintenance_fund_entry kind `use`)
      booked in the BEFORE_YEARS calendar years before the year of the compound's first policy ÷ the compound's
      elevator-years in those years, an elevator counting one for each of those years after the year it entered
      service (an elevator in service since 2015 gives 3 for a compound first insured in 2024: 2021–2023).
    - never insured: compounds with an elevator in service before the year and no policy starting by the year's
      end: their ledger uses booked in the year ÷ those elevators (one elevator-year each).

    Ledger uses pay every repair of the common parts (roof, pipes, façade as well as elevators): the insured
    figure counts only what the insurer paid for elevators, so the comparison flatters the insurance; it is the
    figure issue 16 asks for (owners' money before and after), not an elevator-only cost.
    """
    first, last = year_days(year)
    return repair_cost_of(session, area, year, _claim_cells(_claim_cells_by_kind(session, area, first, last)))


def repair_cost_of(session: Session, area: Area, year: int, claims: Cells) -> RepairCost:
    """`repair_cost` with the year's claims paid (all kinds, per insurer and district) already read."""
    first, last = year_days(year)
    return RepairCost(
        year,
        _insured_group(session, area, first, last, claims),
        _before_group(session, area, first, last),
        _never_group(session, area, first, last),
    )


# --------------------------------------------------------------------------- 3. major repairs


@dataclass(frozen=True)
class MajorRepairs:
    """Major repairs of a calendar year: paid by the insurer or charged to the owners' ledgers."""

    year: int
    insurance_claims: int  # claims of kind major_repair paid in the year
    insurance_fen: int
    ledger_uses: int  # owner-ledger uses booked in the year
    ledger_fen: int


def major_repairs(session: Session, area: Area, year: int) -> MajorRepairs:
    """Major repairs paid by insurance (claims of kind major_repair, by paid_on) against those charged to the
    owners' ledgers (maintenance_fund_entry kind `use`, by booked_on: the maintenance fund pays only major
    repairs, renewals and rebuilding of common parts, so every use is one), counts and amounts in the year."""
    first, last = year_days(year)
    return major_repairs_of(session, area, year, _claim_cells_by_kind(session, area, first, last))


def major_repairs_of(session: Session, area: Area, year: int, claims_by_kind: dict[ClaimKind, Cells]) -> MajorRepairs:
    """`major_repairs` with the year's claims (per kind) already read."""
    first, last = year_days(year)
    claims = _claim_cells(claims_by_kind, ClaimKind.major_repair).values()
    fe = MaintenanceFundEntry
    uses = within(
        select(func.count(), func.coalesce(func.sum(fe.amount_fen), 0))
        .select_from(fe)
        .join(Building, Building.id == fe.building_id)
        .where(fe.kind == FundEntryKind.use, fe.booked_on >= first, fe.booked_on <= last),
        area,
        ON_BUILDING_ROW,
    )
    n, fen = session.execute(uses).one()
    return MajorRepairs(year, sum(c for c, _ in claims), sum(f for _, f in claims), int(n), int(fen))


# --------------------------------------------------------------------------- 4. rescue


@dataclass(frozen=True)
class Rescue:
    """Trapped-passenger incidents (困人) of a calendar year against the 30-minute arrival limit.

    Arrival is the fault's responded_at (the maintenance company reaching the elevator), release its
    released_at, both measured from reported_at."""

    year: int
    incidents: int  # faults reported in the year with trapped_passengers > 0
    trapped_passengers: int
    arrived: int  # incidents with an arrival time
    arrival_median_minutes: Decimal | None
    arrival_mean_minutes: Decimal | None
    arrived_30min: int  # arrival − report ≤ 30 min; incidents without an arrival time are not within
    arrived_30min_share: Decimal | None  # of all incidents
    released: int  # incidents with a release time recorded
    release_median_minutes: Decimal | None  # over those


def median_minutes(seconds: list[int]) -> Decimal | None:
    """The median of whole-second durations, in minutes to 2 places (half up); the mean of the middle two for an
    even count. None for no durations."""
    if not seconds:
        return None
    ordered = sorted(seconds)
    mid = len(ordered) // 2
    middle = Decimal(ordered[mid]) if len(ordered) % 2 else Decimal(ordered[mid - 1] + ordered[mid]) / 2
    return (middle / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rescue(session: Session, area: Area, year: int) -> Rescue:
    """Rescue figures of the trapped-passenger faults reported in a local calendar year.

    One statement reads each incident's passengers, whole-second arrival and release durations and whether it was
    reached within the limit (compared on the unrounded seconds, as elevator_service counts faults); Python counts
    and sums those integers (the mean is whole seconds summed and divided once) and takes the medians (no portable
    SQL median). The incidents of a year are a few hundred rows at most, read through the faults' covering index."""
    first, last = year_days(year)
    f = ElevatorFault
    trapped = and_(f.trapped_passengers > 0, in_local_days(f.reported_at, first, last))
    arrival = whole_seconds(f.reported_at, f.responded_at)
    release = whole_seconds(f.reported_at, f.released_at)
    in_limit = case((seconds_between(f.reported_at, f.responded_at) <= RESPONSE_LIMIT_SECONDS, 1), else_=0)
    rows = session.execute(
        within(
            select(f.trapped_passengers, arrival, release, in_limit).where(trapped), area, on_elevator(f.elevator_id)
        )
    )
    incidents = passengers = within_limit = 0
    arrivals: list[int] = []
    releases: list[int] = []
    for n, a, r, ok in rows:
        incidents += 1
        passengers += int(n)
        within_limit += int(ok)
        if a is not None:
            arrivals.append(int(a))
        if r is not None:
            releases.append(int(r))
    return Rescue(
        year=year,
        incidents=incidents,
        trapped_passengers=passengers,
        arrived=len(arrivals),
        arrival_median_minutes=median_minutes(arrivals),
        arrival_mean_minutes=exact_mean(sum(arrivals), len(arrivals), 60),
        arrived_30min=within_limit,
        arrived_30min_share=ratio(within_limit, incidents),
        released=len(releases),
        release_median_minutes=median_minutes(releases),
    )


# --------------------------------------------------------------------------- 5. maintenance companies


@dataclass(frozen=True)
class CompanyRow:
    """One maintenance company (维保单位) in one city and calendar year.

    Its elevators are those whose maintenance_company_id names it today (the register keeps no history), in
    the city; faults, visits and complaints are those of these elevators in the year."""

    city_id: int
    company_id: int
    name: str
    elevators: int  # in service by the year's end
    faults: int  # reported in the year
    faults_per_100: Decimal | None  # faults ÷ elevators × 100
    repeat_fault_elevators: int  # elevators with ≥ REPEAT_FAULTS faults in the year
    answered_30min: int  # response − report ≤ 30 min; unanswered faults are not within
    answered_30min_share: Decimal | None  # of faults
    visits: int  # maintenance visits started in the year
    visits_in_band: int  # 40 ≤ minutes ≤ 70
    visits_in_band_share: Decimal | None  # of visits
    complaints: int  # 12345 work orders of category elevator naming one of its elevators, received in the year
    complaints_per_100: Decimal | None  # complaints ÷ elevators × 100


Key = tuple[int, int]  # (city id, company id)


def _by_company(session: Session, stmt: Select[Any], area: Area) -> dict[Key, tuple[int, ...]]:
    """Run a statement over Elevator selecting (city id, company id, counts…): placed, grouped by the first two."""
    stmt = _placed(stmt).where(Elevator.maintenance_company_id.is_not(None))
    stmt = within(stmt.group_by(District.city_id, Elevator.maintenance_company_id), area, ON_COMPOUND_DISTRICT)
    return {(int(c), int(m)): tuple(int(x or 0) for x in rest) for c, m, *rest in session.execute(stmt)}


@cached_query
def maintenance_league(session: Session, area: Area, year: int) -> list[CompanyRow]:
    """The maintenance companies' league table per city (the market regulator's view): one row per city and
    company serving an elevator of the area, ordered by city, then faults per 100 elevators (fewest first; none
    last), then name.

    The measures are elevator_service's: a fault is answered within 30 minutes when responded_at − reported_at
    ≤ RESPONSE_LIMIT_SECONDS (unanswered ones are not); a repeat-fault elevator has ≥ REPEAT_FAULTS faults in the
    year; a visit is in the band when VISIT_BAND_MINUTES[0] ≤ minutes ≤ VISIT_BAND_MINUTES[1]. A complaint is
    placed by its elevator, like the faults (not by the district the hotline filed it under). Elevators without a
    maintenance company are left out."""
    first, last = year_days(year)
    key = (District.city_id, Elevator.maintenance_company_id)
    in_service = select(*key, func.count()).select_from(Elevator).where(Elevator.in_service_on <= last)
    served = _by_company(session, in_service, area)

    f = ElevatorFault
    in_time = seconds_between(f.reported_at, f.responded_at) <= RESPONSE_LIMIT_SECONDS
    per_elevator = within(
        select(f.elevator_id.label("elevator_id"), func.count().label("n"), count_if(in_time).label("answered"))
        .where(in_local_days(f.reported_at, first, last))
        .group_by(f.elevator_id),
        area,
        on_elevator(f.elevator_id),  # scoped inside too: a city's table never groups the province's faults
    ).subquery("per_elevator")
    pe = per_elevator.c
    fault_stmt = (
        select(*key, func.sum(pe.n), func.sum(pe.answered), count_if(pe.n >= REPEAT_FAULTS))
        .select_from(per_elevator)
        .join(Elevator, Elevator.id == pe.elevator_id)
    )
    faults = _by_company(session, fault_stmt, area)

    v = MaintenanceVisit
    low, high = VISIT_BAND_MINUTES
    # Counted per elevator first (from the visits' covering index), then placed: a year holds ~10 visits an elevator,
    # and placing each visit cost four lookups (issue 18: 480 of the page's 800 ms on SQLite at `city` scale).
    visits_per_elevator = within(
        select(
            v.elevator_id.label("elevator_id"),
            func.count().label("n"),
            count_if(and_(v.duration_minutes >= low, v.duration_minutes <= high)).label("in_band"),
        )
        .where(in_local_days(not_indexed(v.started_at), first, last))
        .group_by(v.elevator_id),
        area,
        on_elevator(v.elevator_id),
    ).subquery("visits_per_elevator")
    pv = visits_per_elevator.c
    visit_stmt = (
        select(*key, func.sum(pv.n), func.sum(pv.in_band))
        .select_from(visits_per_elevator)
        .join(Elevator, Elevator.id == pv.elevator_id)
    )
    visits = _by_company(session, visit_stmt, area)

    wo = HotlineWorkOrder
    complaint_stmt = (
        select(*key, func.count())
        .select_from(wo)
        .join(Elevator, Elevator.id == wo.elevator_id)
        .where(wo.category == WorkOrderCategory.elevator, in_local_days(wo.received_at, first, last))
    )
    complaints = _by_company(session, complaint_stmt, area)

    keys = set(served) | set(faults) | set(visits) | set(complaints)
    company_ids = sorted({m for _, m in keys})
    names_stmt = select(MaintenanceCompany.id, MaintenanceCompany.name).where(MaintenanceCompany.id.in_(company_ids))
    names = {int(m): name for m, name in session.execute(names_stmt)}
    rows: list[CompanyRow] = []
    for k in keys:
        (n_elevators,) = served.get(k, (0,))
        n_faults, answered, repeat = faults.get(k, (0, 0, 0))
        n_visits, in_band = visits.get(k, (0, 0))
        (n_complaints,) = complaints.get(k, (0,))
        rows.append(
            CompanyRow(
                city_id=k[0],
                company_id=k[1],
                name=names[k[1]],
                elevators=n_elevators,
                faults=n_faults,
                faults_per_100=per_100(n_faults, n_elevators),
                repeat_fault_elevators=repeat,
                answered_30min=answered,
                answered_30min_share=ratio(answered, n_faults),
                visits=n_visits,
                visits_in_band=in_band,
                visits_in_band_share=ratio(in_band, n_visits),
                complaints=n_complaints,
                complaints_per_100=per_100(n_complaints, n_elevators),
            )
        )
    rows.sort(key=lambda r: (r.city_id, r.faults_per_100 is None, r.faults_per_100 or 0, r.name, r.company_id))
    return rows


# --------------------------------------------------------------------------- the headline (API and overview)


@dataclass(frozen=True)
class InsuranceSummary:
    """The insurance figures the API and the pages' cards show for an area and year.

    The year's flows (premiums, claims, rescue) cover the calendar year; the service shares cover 1 January to
    `as_of`, exactly as /elevators shows them; the worklists (renewals, applications by stage) are as of `today`
    whatever the year, since a renewal or a stage exists only now."""

    year: int
    as_of: date
    today: date
    premiums_fen: int
    claims_paid_fen: int
    loss_ratio: Decimal | None
    policies_ending: int  # the renewal worklist (insurance.renewal_rows, 60 days): policies on it
    accounts_unable_to_renew: int  # pooled accounts on it that cannot pay all their next premiums
    stages: list[tuple[Stage, int, int]]  # (stage, applications, elevators) in the procedure's order
    rescue_arrival_median_minutes: Decimal | None
    insured_answered_30min_share: Decimal | None
    uninsured_answered_30min_share: Decimal | None


@cached_query
def insurance_summary(session: Session, area: Area, year: int, today: date) -> InsuranceSummary:
    """The headline insurance figures, each read from the function that defines it (loss_ratios, rescue,
    FaultsAndVisits.service_comparison, the renewal worklist's counts (insurance.renewal_list) and the stage
    totals (insurance.stage_totals: stage_counts of application_rows, aggregated in SQL))."""
    return summary_of(session, area, year, today, loss_ratios(session, area, year).total, rescue(session, area, year))


def summary_of(
    session: Session, area: Area, year: int, today: date, total: LossRow, rescued: Rescue
) -> InsuranceSummary:
    """`insurance_summary` with the year's loss-ratio total and rescue figures already computed (a page that shows
    them too reads them once)."""
    as_of = as_of_for_year(year, today)
    due = renewal_list(session, area, today, shown=1)  # counted in SQL (the window counts come with the first row)
    insured, uninsured = facts(session).service.service_comparison(
        area, date(as_of.year, 1, 1), as_of, include_visits=False
    )
    return InsuranceSummary(
        year=year,
        as_of=as_of,
        today=today,
        premiums_fen=total.premiums_fen,
        claims_paid_fen=total.claims_paid_fen,
        loss_ratio=total.loss_ratio,
        policies_ending=due.matching,
        accounts_unable_to_renew=due.unable_accounts,
        stages=stage_totals(session, area, today),
        rescue_arrival_median_minutes=rescued.arrival_median_minutes,
        insured_answered_30min_share=insured.answered_30min_share,
        uninsured_answered_30min_share=uninsured.answered_30min_share,
    )


__all__ = [
    "BEFORE_YEARS",
    "CompanyRow",
    "InsuranceSummary",
    "LossRatios",
    "LossRow",
    "MajorRepairs",
    "RepairCost",
    "RepairCostGroup",
    "Rescue",
    "YearCells",
    "insurance_summary",
    "loss_ratios",
    "loss_ratios_of",
    "loss_total",
    "maintenance_league",
    "major_repairs",
    "major_repairs_of",
    "median_minutes",
    "repair_cost",
    "repair_cost_of",
    "rescue",
    "summary_of",
    "year_cells",
    "year_days",
]
