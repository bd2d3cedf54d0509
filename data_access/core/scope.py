"""The one scope compiler: a viewer's area → a condition on whichever column a table places its rows by.

Every read and every write that is limited to a place goes through `within` (an Area: the province, a city or
a district) or `within_reach` (a viewer's cities and compounds, as the council module narrows organisers).
A table describes itself once as an `Anchor`: the place columns it carries. The compiler uses the most direct
one available and reaches the others through the registry's chain elevator → building → compound → district
→ city as a semijoin (`column IN (SELECT id …)`), so a statement never gains joins (and duplicate rows) for
the sake of scope, and the planner keeps scanning the table's own indexes.

Why one place: thirteen hand-written helpers in eight modules did this before; one wrong helper is a leak.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, FromClause, Select, SQLColumnExpression, and_, exists, select
from sqlalchemy.orm import Session

from data_access.core.models import Building, City, Compound, District, Elevator, HotlineWorkOrder, PropertyCompany

Column = SQLColumnExpression[Any]  # an id column (nullable ones too: NULL is in no place)


@dataclass(frozen=True)
class Area:
    """Province-wide when both are None; a city; or one district of a city."""

    city_id: int | None = None
    district_id: int | None = None

    @property
    def is_province(self) -> bool:
        return self.city_id is None and self.district_id is None


PROVINCE = Area()


@dataclass(frozen=True)
class Anchor:
    """The place columns a table (or a statement's FROM) carries. Give every one the statement already has:
    the compiler compares the cheapest directly (city, then district, then compound, building, elevator)."""

    city: Column | None = None
    district: Column | None = None
    compound: Column | None = None
    building: Column | None = None
    elevator: Column | None = None


def _ids_at(anchor: Anchor, place: Any) -> ColumnElement[bool]:
    """`anchor's lowest column IN (its ids that satisfy `place`, a condition on Compound or District)`."""
    if anchor.compound is not None:
        return anchor.compound.in_(select(Compound.id).join(District, District.id == Compound.district_id).where(place))
    if anchor.building is not None:
        return anchor.building.in_(
            select(Building.id)
            .join(Compound, Compound.id == Building.compound_id)
            .join(District, District.id == Compound.district_id)
            .where(place)
        )
    if anchor.elevator is not None:
        return anchor.elevator.in_(
            select(Elevator.id)
            .join(Building, Building.id == Elevator.building_id)
            .join(Compound, Compound.id == Building.compound_id)
            .join(District, District.id == Compound.district_id)
            .where(place)
        )
    raise ValueError("an Anchor needs at least one place column")


def _in_district(anchor: Anchor, district_id: int) -> ColumnElement[bool]:
    if anchor.district is not None:
        return anchor.district == district_id
    if anchor.compound is not None:  # no join to District needed
        return anchor.compound.in_(select(Compound.id).where(Compound.district_id == district_id))
    return _ids_at(anchor, Compound.district_id == district_id)


def _in_cities(anchor: Anchor, city_ids: Collection[int]) -> ColumnElement[bool]:
    ids = sorted(city_ids)
    one = len(ids) == 1
    if anchor.city is not None:
        return anchor.city == ids[0] if one else anchor.city.in_(ids)
    place = District.city_id == ids[0] if one else District.city_id.in_(ids)
    if anchor.district is not None:
        return anchor.district.in_(select(District.id).where(place))
    return _ids_at(anchor, place)


def _in_compounds(anchor: Anchor, compound_ids: Collection[int]) -> ColumnElement[bool]:
    ids = sorted(compound_ids)
    if anchor.compound is not None:
        return anchor.compound.in_(ids)
    if anchor.building is not None:
        return anchor.building.in_(select(Building.id).where(Building.compound_id.in_(ids)))
    if anchor.elevator is not None:
        return anchor.elevator.in_(
            select(Elevator.id).join(Building, Building.id == Elevator.building_id).where(Building.compound_id.in_(ids))
        )
    raise ValueError("a compound set needs an Anchor with a compound, building or elevator column")


def area_condition(area: Area, anchor: Anchor) -> ColumnElement[bool] | None:
    """The condition that keeps the rows of `area` (a district implies its city); None province-wide."""
    if area.district_id is not None:
        return _in_district(anchor, area.district_id)
    if area.city_id is not None:
        return _in_cities(anchor, (area.city_id,))
    return None


def reach_condition(
    anchor: Anchor, cities: Collection[int] | None = None, compounds: Collection[int] | None = None
) -> ColumnElement[bool] | None:
    """The condition that keeps what a viewer may reach: within `cities` and `compounds` (None: no limit of that
    kind; an empty collection reaches nothing)."""
    parts = []
    if compounds is not None:
        parts.append(_in_compounds(anchor, compounds) if compounds else _nothing(anchor))
    if cities is not None:
        parts.append(_in_cities(anchor, cities) if cities else _nothing(anchor))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else and_(*parts)


def _nothing(anchor: Anchor) -> ColumnElement[bool]:
    column = next(
        c for c in (anchor.city, anchor.district, anchor.compound, anchor.building, anchor.elevator) if c is not None
    )
    return column.in_([])


def cities_of(session: Session, area: Area) -> list[int]:
    """The cities an area spans (each city's figures follow its own programme rule), in id order."""
    if area.city_id is not None:
        return [area.city_id]
    if area.district_id is not None:
        city_id = session.scalar(select(District.city_id).where(District.id == area.district_id))
        return [] if city_id is None else [int(city_id)]
    return [int(c) for c in session.scalars(select(City.id).order_by(City.id))]


S = TypeVar("S", bound=Select[Any])


def within(stmt: S, area: Area, anchor: Anchor) -> S:
    """`stmt` limited to `area` through `anchor`'s columns (unchanged province-wide)."""
    cond = area_condition(area, anchor)
    return stmt if cond is None else stmt.where(cond)


def within_reach(
    stmt: S, anchor: Anchor, cities: Collection[int] | None = None, compounds: Collection[int] | None = None
) -> S:
    """`stmt` limited to what a viewer may reach (see reach_condition)."""
    cond = reach_condition(anchor, cities, compounds)
    return stmt if cond is None else stmt.where(cond)


# --------------------------------------------------------------------------- the anchors the queries use

ON_COMPOUND = Anchor(district=Compound.district_id, compound=Compound.id)  # a statement with Compound in its FROM
ON_COMPOUND_DISTRICT = Anchor(
    city=District.city_id, district=Compound.district_id, compound=Compound.id
)  # …and District
ON_DISTRICT = Anchor(city=District.city_id, district=District.id)  # a statement over District rows
ON_ELEVATOR = Anchor(building=Elevator.building_id, elevator=Elevator.id)  # a statement with Elevator in its FROM
ON_WORK_ORDER = Anchor(city=HotlineWorkOrder.city_id, district=HotlineWorkOrder.district_id)  # placed when received


def on_building(building_id: Column) -> Anchor:
    return Anchor(building=building_id)


def on_elevator(elevator_id: Column) -> Anchor:
    return Anchor(elevator=elevator_id)


def on_rows(table: FromClause) -> Anchor:
    """A pre-aggregated table (or subquery) by the place columns it has: district_id always; city_id and
    compound_id where present."""
    c = table.c
    return Anchor(
        city=c.city_id if "city_id" in c else None,
        district=c.district_id,
        compound=c.compound_id if "compound_id" in c else None,
    )


def companies_serving(stmt: S, area: Area) -> S:
    """Property companies are registered with a city, not placed in a district: a district view counts the
    companies serving one of its compounds (the red-property summary's rule, shared by every figure of it)."""
    if area.district_id is not None:
        serving = exists().where(Compound.property_company_id == PropertyCompany.id)
        return stmt.where(serving.where(Compound.district_id == area.district_id))
    return within(stmt, area, Anchor(city=PropertyCompany.city_id))
