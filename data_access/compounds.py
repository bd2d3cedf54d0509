"""One compound's profile: the facts a compound view and the published cases refer to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.models import Building, Compound, District, Elevator, InsurancePolicy


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
    by_day = session.execute(
        select(elevators.c.in_service_on, func.count()).group_by(elevators.c.in_service_on)
    ).all()
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
