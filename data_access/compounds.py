"""One compound's profile: the facts a compound view and the published cases refer to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.core.models import (
    ApplicationElevator,
    Building,
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
    WorkOrderCategory,
)
from data_access.core.rules import counted_meeting, minus_years, pooled_signed
from data_access.core.scope import Area
from data_access.core.sqlfuncs import in_local_days
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


def find_compound_id(session: Session, name: str) -> int | None:
    return session.scalar(select(Compound.id).where(Compound.name == name).order_by(Compound.id).limit(1))


def compound_profile(session: Session, compound_id: int, as_of: date) -> CompoundProfile | None:
    head = session.execute(
        select(Compound.id, Compound.name, District.name, Compound.households, Compound.residents)
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
    )


@dataclass(frozen=True)
class ApplicationRow:
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


def compound_view(session: Session, compound_id: int, as_of: date) -> CompoundView | None:

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
        .outerjoin(ApplicationElevator, ApplicationElevator.application_id == InsuranceApplication.id)
        .where(PooledAccount.building_id.in_(buildings), InsuranceApplication.filed_on <= as_of)
        .group_by(InsuranceApplication.id)
        .order_by(InsuranceApplication.filed_on.desc(), InsuranceApplication.id.desc())
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
            ApplicationRow(r[0], r[1].value, int(r[2]), r[3], r[4], int(r[5]), r[6].value, r[7]) for r in apps
        ],
    )
