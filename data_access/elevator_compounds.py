"""Elevator-page query: the compound table (elevator stock, warranty, insurance and faults per compound).

Conventions as in data_access/elevators.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Select, case, exists, func, select
from sqlalchemy.orm import Session

from data_access.core.db import many_rows
from data_access.core.models import Building, Compound, District, Elevator, ElevatorFault, InsurancePolicy
from data_access.core.rollup_tables import agg_compound_elevators, agg_compound_faults
from data_access.core.rules import DEFAULT_WARRANTY_YEARS, minus_years
from data_access.core.scope import ON_COMPOUND_DISTRICT, Area, cities_of, within
from data_access.elevator_sql import count_if, faults_in, per_100
from data_access.indicators import programme_rule_for
from data_access.rollups import compound_stocks, compound_sums

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


def _table_from_raw(session: Session, area: Area, first: date, last: date) -> list[CompoundElevatorRow]:
    """CompoundElevators.compound_table from the raw elevators, policies and faults."""
    stock_sq = _compound_stock(area, last, _warranty_cutoffs(session, area, last))
    faults_sq = _compound_faults(area, first, last)
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
    return _compound_rows(session, within(stmt, area, ON_COMPOUND_DISTRICT))


def _compound_stock(area: Area, last: date, cutoffs: dict[int, date]) -> Any:
    """Per compound of the area, from the raw rows: elevators in service at `last`, those past warranty, insured."""
    cutoff = case(cutoffs, value=District.city_id, else_=minus_years(last, DEFAULT_WARRANTY_YEARS))
    ip = InsurancePolicy
    in_force = exists().where(ip.elevator_id == Elevator.id, ip.period_start <= last, ip.period_end > last)
    stock = (
        select(
            Building.compound_id.label("compound_id"),
            func.count().label("elevators"),
            count_if(Elevator.in_service_on <= cutoff).label("past_warranty"),
            count_if(in_force).label("insured"),
        )
        .select_from(Elevator)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(Elevator.in_service_on <= last)
        .group_by(Building.compound_id)
    )
    return within(stock, area, ON_COMPOUND_DISTRICT).subquery()


def _compound_faults(area: Area, first: date, last: date) -> Any:
    """Per compound of the area, from the raw rows: faults in [first, last] and those with trapped passengers."""
    faults = (
        select(
            Building.compound_id.label("compound_id"),
            func.count().label("faults"),
            count_if(ElevatorFault.trapped_passengers > 0).label("trapped"),
        )
        .select_from(ElevatorFault)
        .join(Elevator, Elevator.id == ElevatorFault.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(faults_in(first, last))
        .group_by(Building.compound_id)
    )
    return within(faults, area, ON_COMPOUND_DISTRICT).subquery()


def _compound_rows(session: Session, stmt: Select[Any]) -> list[CompoundElevatorRow]:
    """The table's rows from a statement of (compound id, name, district, district_en, elevators, past warranty,
    insured, faults, trapped incidents)."""
    return [
        CompoundElevatorRow(
            int(cid), name, dname, dname_en, int(e), int(past), int(ins), int(n), per_100(int(n), int(e)), int(trap)
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
    return _compound_rows(session, stmt)


class CompoundElevators:
    """Elevator stock and faults per compound (the /elevators compound table), from the raw rows."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def compound_table(self, area: Area, first: date, last: date) -> list[CompoundElevatorRow]:
        """One row per compound of the area with elevators in service at `last`, in one grouped statement.

        Elevator stock (in service, past warranty by the city's rule, insured) is judged at `last`; faults and
        trapped-passenger incidents are counted over [first, last]. Ordered by faults, most first (a rate per
        100 is noisy for a compound with one elevator), then by compound id.
        """
        return _table_from_raw(self.session, area, first, last)


class CompoundElevatorsFromRollups(CompoundElevators):
    """The same from agg_compound_elevators (stock snapshots and changes) and agg_compound_faults."""

    def compound_table(self, area: Area, first: date, last: date) -> list[CompoundElevatorRow]:
        return _compound_elevator_table_from_rollups(self.session, area, first, last)


__all__ = ["CompoundElevatorRow", "CompoundElevators", "CompoundElevatorsFromRollups"]
