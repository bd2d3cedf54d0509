"""One compound's profile: the facts a compound view and the published cases refer to."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from data_access.core.models import (
    ApplicationElevator,
    Building,
    City,
    Compound,
    CouncilMeeting,
    DemonstrationProject,
    District,
    Elevator,
    ElevatorFault,
    FundEntryKind,
    HotlineWorkOrder,
    InsuranceApplication,
    InsurancePolicy,
    MaintenanceFundEntry,
    PooledAccount,
    PooledAccountEntry,
    ServiceStation,
    Unit,
    WorkOrderCategory,
)
from data_access.core.rules import counted_meeting, minus_years, pooled_signed
from data_access.core.scope import ON_COMPOUND_DISTRICT, Area, within_reach
from data_access.core.sqlfuncs import in_local_days, local_month_index
from data_access.council_access import CouncilAccess
from data_access.councils import CompoundMeeting, compound_meetings
from data_access.facts import facts


@dataclass(frozen=True)
class CompoundProfile:
    id: int
    name: str
    district: str
    households: int
    residents: int
    buildings: int
    elevators: int
    average_elevator_age_years: Decimal | None
    insured_elevators: int
    buildings_with_insured_elevators: int
    cover_per_elevator_fen: list[int]  # distinct covers of the policies in force
    district_id: int = 0
    district_en: str = ""


def find_compound_id(session: Session, name: str) -> int | None:
    return session.scalar(select(Compound.id).where(Compound.name == name).order_by(Compound.id).limit(1))


def compound_profile(session: Session, compound_id: int, as_of: date) -> CompoundProfile | None:
    head = session.execute(
        select(
            Compound.id,
            Compound.name,
            District.name,
            Compound.households,
            Compound.residents,
            District.id,
            District.name_en,
        )
        .join(District, District.id == Compound.district_id)
        .where(Compound.id == compound_id)
    ).first()
    if head is None:
        return None
    n_buildings = session.scalar(select(func.count()).select_from(Building).where(Building.compound_id == compound_id))
    elevators = (
        select(Elevator.id, Elevator.building_id, Elevator.in_service_on)
        .join(Building, Building.id == Elevator.building_id)
        .where(Building.compound_id == compound_id, Elevator.in_service_on <= as_of)
        .subquery()
    )
    # Grouped by in-service date in SQL (a compound has few distinct dates), averaged here.
    by_day = session.execute(select(elevators.c.in_service_on, func.count()).group_by(elevators.c.in_service_on)).all()
    n_elevators = sum(n for _, n in by_day)
    average_age = None
    if n_elevators:
        day_sum = sum((as_of - d).days * n for d, n in by_day)
        average_age = (Decimal(day_sum) / n_elevators / Decimal("365.25")).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    in_force = (InsurancePolicy.period_start <= as_of) & (InsurancePolicy.period_end > as_of)
    insured_elevators, insured_buildings = session.execute(
        select(func.count(func.distinct(elevators.c.id)), func.count(func.distinct(elevators.c.building_id)))
        .select_from(elevators)
        .join(InsurancePolicy, InsurancePolicy.elevator_id == elevators.c.id)
        .where(in_force)
    ).one()
    covers = session.scalars(
        select(InsurancePolicy.cover_fen)
        .join(elevators, elevators.c.id == InsurancePolicy.elevator_id)
        .where(in_force)
        .distinct()
        .order_by(InsurancePolicy.cover_fen)
    ).all()
    return CompoundProfile(
        id=head[0],
        name=head[1],
        district=head[2],
        households=head[3],
        residents=head[4],
        buildings=int(n_buildings or 0),
        elevators=int(n_elevators or 0),
        average_elevator_age_years=average_age,
        insured_elevators=int(insured_elevators),
        buildings_with_insured_elevators=int(insured_buildings),
        cover_per_elevator_fen=[int(c) for c in covers],
        district_id=head[5],
        district_en=head[6],
    )


@dataclass(frozen=True)
class ApplicationRow:
    building: str  # the building (and unit) whose pooled account applies: a compound files one per account
    unit: str | None
    filed_on: date
    applicant_type: str
    elevators: int
    notice_from: date | None
    notice_to: date | None
    written_objections: int
    decision: str
    decided_on: date | None


@dataclass(frozen=True)
class CompoundView:
    """What the compound page shows; city_id lets the page check the viewer's scope first."""

    profile: CompoundProfile
    city_id: int
    deposits_total_fen: int
    pooled_balance_fen: int
    faults_in_year: int
    elevator_work_orders_in_year: int
    elevator_work_orders_last_year: int
    project_status: str | None
    project_score: int | None
    has_service_station: bool
    council_meetings: int
    council_items_resolved: int
    applications: list[ApplicationRow]
    buildings: list[BuildingRow] = field(default_factory=list)
    trend: CompoundTrend | None = None
    meetings: list[CompoundMeeting] = field(default_factory=list)  # as the viewer may see them (compound_view)


def compound_city_id(session: Session, compound_id: int) -> int | None:
    """The compound's city (None: no such compound). Asked up to three times by one render of /compound (the
    not-found check, the scope check, the view), so the session (one request) keeps the answers."""
    known: dict[int, int | None] = session.info.setdefault("compound_city", {})
    if compound_id not in known:
        known[compound_id] = session.scalar(
            select(District.city_id)
            .join(Compound, Compound.district_id == District.id)
            .where(Compound.id == compound_id)
        )
    return known[compound_id]


def compound_view(
    session: Session, compound_id: int, as_of: date, access: CouncilAccess | None = None
) -> CompoundView | None:
    """Everything /compound shows of one compound on as_of; its council meetings as `access` may read them (none
    without one). The caller has checked that the viewer may see the compound (pages/compound.visible_city)."""

    profile = compound_profile(session, compound_id, as_of)
    if profile is None:
        return None
    city_id = compound_city_id(session, compound_id)
    buildings = select(Building.id).where(Building.compound_id == compound_id)
    fe = MaintenanceFundEntry
    deposits = session.scalar(
        select(func.coalesce(func.sum(fe.amount_fen), 0)).where(
            fe.building_id.in_(buildings), fe.kind == FundEntryKind.deposit, fe.booked_on <= as_of
        )
    )
    pe = PooledAccountEntry
    balance = session.scalar(
        select(
            func.coalesce(
                func.sum(pooled_signed(pe.kind, pe.amount_fen)),
                0,
            )
        )
        .join(PooledAccount, PooledAccount.id == pe.pooled_account_id)
        .where(PooledAccount.building_id.in_(buildings), pe.booked_on <= as_of)
    )
    year_start = date(as_of.year, 1, 1)
    faults = session.scalar(
        select(func.count())
        .select_from(ElevatorFault)
        .join(Elevator, Elevator.id == ElevatorFault.elevator_id)
        .where(Elevator.building_id.in_(buildings), in_local_days(ElevatorFault.reported_at, year_start, as_of))
    )

    def elevator_orders(first: date, last: date) -> int:
        return int(
            session.scalar(
                select(func.count())
                .select_from(HotlineWorkOrder)
                .where(
                    HotlineWorkOrder.compound_id == compound_id,
                    HotlineWorkOrder.category == WorkOrderCategory.elevator,
                    in_local_days(HotlineWorkOrder.received_at, first, last),
                )
            )
            or 0
        )

    last_year_end = minus_years(as_of, 1)
    project = session.execute(
        select(
            DemonstrationProject.status,
            DemonstrationProject.score_organisation
            + DemonstrationProject.score_team
            + DemonstrationProject.score_venue
            + DemonstrationProject.score_mechanism
            + DemonstrationProject.score_service,
        ).where(DemonstrationProject.compound_id == compound_id, DemonstrationProject.declared_on <= as_of)
    ).first()
    station = session.scalar(
        select(func.count())
        .select_from(ServiceStation)
        .where(ServiceStation.compound_id == compound_id, ServiceStation.opened_on <= as_of)
    )
    meetings = session.scalar(
        select(func.count())
        .select_from(CouncilMeeting)
        .where(CouncilMeeting.compound_id == compound_id, counted_meeting())
    )
    resolved = facts(session).councils.resolved_items(Area(), None, as_of, compound_id)
    apps = session.execute(
        select(
            Building.number,
            Unit.number,
            InsuranceApplication.filed_on,
            InsuranceApplication.applicant_type,
            func.count(ApplicationElevator.elevator_id),
            InsuranceApplication.notice_from,
            InsuranceApplication.notice_to,
            InsuranceApplication.written_objections,
            InsuranceApplication.decision,
            InsuranceApplication.decided_on,
        )
        .join(PooledAccount, PooledAccount.id == InsuranceApplication.pooled_account_id)
        .join(Building, Building.id == PooledAccount.building_id)
        .outerjoin(Unit, Unit.id == PooledAccount.unit_id)
        .outerjoin(ApplicationElevator, ApplicationElevator.application_id == InsuranceApplication.id)
        .where(PooledAccount.building_id.in_(buildings), InsuranceApplication.filed_on <= as_of)
        .group_by(InsuranceApplication.id, Building.number, Unit.number)
        .order_by(
            InsuranceApplication.filed_on.desc(),
            _number_order(Building.number),
            Building.number,
            InsuranceApplication.id,
        )
    ).all()
    return CompoundView(
        profile=profile,
        city_id=int(city_id or 0),
        deposits_total_fen=int(deposits or 0),
        pooled_balance_fen=int(balance or 0),
        faults_in_year=int(faults or 0),
        elevator_work_orders_in_year=elevator_orders(year_start, as_of),
        elevator_work_orders_last_year=elevator_orders(date(as_of.year - 1, 1, 1), last_year_end),
        project_status=project[0].value if project else None,
        project_score=int(project[1]) if project and project[1] is not None else None,
        has_service_station=bool(station),
        council_meetings=int(meetings or 0),
        council_items_resolved=resolved,
        applications=[
            ApplicationRow(r[0], r[1], r[2], r[3].value, int(r[4]), r[5], r[6], int(r[7]), r[8].value, r[9])
            for r in apps
        ],
        buildings=building_rows(session, compound_id, as_of),
        trend=compound_trend(session, compound_id, as_of),
        meetings=compound_meetings(session, access, compound_id, as_of) if access is not None else [],
    )


def _number_order(number: Any) -> Any:
    """Building and unit numbers are text ("2", "10"): shorter first, so 2 comes before 10."""
    return func.length(number)


# --------------------------------------------------------------------------- buildings


@dataclass(frozen=True)
class BuildingRow:
    """One building of the compound: its elevators and their insurance, so the view tells its buildings apart (a
    compound files one insurance application per building's pooled account)."""

    id: int
    number: str
    floors: int
    units: int
    elevators: int  # in service on as_of
    insured_elevators: int  # a policy in force on as_of
    first_insured_on: date | None  # the earliest policy start of its elevators
    faults_last_12_months: int


def building_rows(session: Session, compound_id: int, as_of: date) -> list[BuildingRow]:
    """Every building of the compound, counted in SQL per building (a compound has tens of buildings at most)."""
    year_ago = as_of - timedelta(days=365)
    insured_now = exists().where(
        InsurancePolicy.elevator_id == Elevator.id,
        InsurancePolicy.period_start <= as_of,
        InsurancePolicy.period_end > as_of,
    )
    elevators = (
        select(
            Elevator.building_id.label("building_id"),
            func.count().label("n"),
            func.sum(case((insured_now, 1), else_=0)).label("insured"),
        )
        .join(Building, Building.id == Elevator.building_id)
        .where(Building.compound_id == compound_id, Elevator.in_service_on <= as_of)
        .group_by(Elevator.building_id)
        .subquery()
    )
    first_policy = (
        select(Elevator.building_id.label("building_id"), func.min(InsurancePolicy.period_start).label("since"))
        .join(InsurancePolicy, InsurancePolicy.elevator_id == Elevator.id)
        .join(Building, Building.id == Elevator.building_id)
        .where(Building.compound_id == compound_id, InsurancePolicy.period_start <= as_of)
        .group_by(Elevator.building_id)
        .subquery()
    )
    faults = (
        select(Elevator.building_id.label("building_id"), func.count().label("n"))
        .join(ElevatorFault, ElevatorFault.elevator_id == Elevator.id)
        .join(Building, Building.id == Elevator.building_id)
        .where(Building.compound_id == compound_id, in_local_days(ElevatorFault.reported_at, year_ago, as_of))
        .group_by(Elevator.building_id)
        .subquery()
    )
    units = (
        select(Unit.building_id.label("building_id"), func.count().label("n"))
        .join(Building, Building.id == Unit.building_id)
        .where(Building.compound_id == compound_id)
        .group_by(Unit.building_id)
        .subquery()
    )
    stmt = (
        select(
            Building.id,
            Building.number,
            Building.floors,
            func.coalesce(units.c.n, 0),
            func.coalesce(elevators.c.n, 0),
            func.coalesce(elevators.c.insured, 0),
            first_policy.c.since,
            func.coalesce(faults.c.n, 0),
        )
        .outerjoin(units, units.c.building_id == Building.id)
        .outerjoin(elevators, elevators.c.building_id == Building.id)
        .outerjoin(first_policy, first_policy.c.building_id == Building.id)
        .outerjoin(faults, faults.c.building_id == Building.id)
        .where(Building.compound_id == compound_id)
        .order_by(_number_order(Building.number), Building.number, Building.id)
    )
    return [
        BuildingRow(r[0], r[1], int(r[2]), int(r[3]), int(r[4]), int(r[5]), r[6], int(r[7]))
        for r in session.execute(stmt)
    ]


# --------------------------------------------------------------------------- the trend


TREND_MONTHS = 24  # the window: the last two years…
TREND_BEFORE_INSURING = 6  # …reaching back to half a year before the elevators were first insured, when earlier…
TREND_MAX_MONTHS = 60  # …but no further than five years


@dataclass(frozen=True)
class MonthCount:
    year: int
    month: int
    complaints: int  # 12345 elevator work orders received in the local month
    faults: int  # elevator faults reported in the local month

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)


@dataclass(frozen=True)
class CompoundTrend:
    """The compound's monthly elevator complaints and faults (compound_trend: the last two years, or from half a year
    before it was first insured; the last month up to as_of only, a partial month), and when its elevators were first
    insured."""

    as_of: date
    months: list[MonthCount]  # every month of the window, oldest first, zeros included
    first_insured_on: date | None  # the earliest policy start of the compound's elevators, by as_of


def _month_of(index: int) -> tuple[int, int]:
    return index // 12, index % 12 + 1


def compound_trend(session: Session, compound_id: int, as_of: date) -> CompoundTrend:
    """The last TREND_MONTHS months, reaching back before the day the compound was first insured when that was earlier
    (the point of marking it is to see before and after). Counted per local month in SQL (sqlfuncs.local_month_index:
    a complaint at 23:30 on the last day of a month belongs to that month in Hunan, not to the next one in UTC)."""
    insured = session.scalar(
        select(func.min(InsurancePolicy.period_start))
        .join(Elevator, Elevator.id == InsurancePolicy.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .where(Building.compound_id == compound_id, InsurancePolicy.period_start <= as_of)
    )
    last = as_of.year * 12 + as_of.month - 1
    first = last - TREND_MONTHS + 1
    if insured is not None:
        first = max(
            min(first, insured.year * 12 + insured.month - 1 - TREND_BEFORE_INSURING), last - TREND_MAX_MONTHS + 1
        )
    start = date(*_month_of(first), 1)
    received = local_month_index(HotlineWorkOrder.received_at)
    complaints = {
        int(i): int(n)
        for i, n in session.execute(
            select(received, func.count())
            .where(
                HotlineWorkOrder.compound_id == compound_id,
                HotlineWorkOrder.category == WorkOrderCategory.elevator,
                in_local_days(HotlineWorkOrder.received_at, start, as_of),
            )
            .group_by(received)
        )
    }
    reported = local_month_index(ElevatorFault.reported_at)
    faults = {
        int(i): int(n)
        for i, n in session.execute(
            select(reported, func.count())
            .join(Elevator, Elevator.id == ElevatorFault.elevator_id)
            .join(Building, Building.id == Elevator.building_id)
            .where(Building.compound_id == compound_id, in_local_days(ElevatorFault.reported_at, start, as_of))
            .group_by(reported)
        )
    }
    return CompoundTrend(
        as_of=as_of,
        months=[MonthCount(*_month_of(i), complaints.get(i, 0), faults.get(i, 0)) for i in range(first, last + 1)],
        first_insured_on=insured,
    )


# --------------------------------------------------------------------------- the navbar's compound search


SEARCH_LIMIT = 12  # suggestions shown as one types
SEARCH_MAX_CHARS = 50


@dataclass(frozen=True)
class CompoundHit:
    id: int
    name: str
    district: str
    district_en: str
    city: str
    city_en: str


def search_compounds(
    session: Session, text: str, cities: Collection[int] | None, limit: int = SEARCH_LIMIT
) -> list[CompoundHit]:
    """Compounds whose name contains `text` (literally: % and _ are not patterns), among `cities` (None: every
    city; empty: none) — the viewer's cities, the rule /compound applies (Viewer.area_for), so the search suggests
    exactly the compounds the viewer may open. Names starting with the text first, then the shorter."""
    typed = text.strip()[:SEARCH_MAX_CHARS]
    if not typed:
        return []
    stmt = (
        select(Compound.id, Compound.name, District.name, District.name_en, City.name, City.name_en)
        .join(District, District.id == Compound.district_id)
        .join(City, City.id == District.city_id)
        .where(Compound.name.contains(typed, autoescape=True))
        .order_by(
            case((Compound.name.startswith(typed, autoescape=True), 0), else_=1),
            func.length(Compound.name),
            Compound.name,
            Compound.id,
        )
        .limit(limit)
    )
    stmt = within_reach(stmt, ON_COMPOUND_DISTRICT, cities=cities)
    return [CompoundHit(*r) for r in session.execute(stmt)]
