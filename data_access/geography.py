"""Cities and districts, and the Area every indicator query is scoped by."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from data_access.core.models import Building, City, Compound, District


@dataclass(frozen=True)
class Area:
    """Province-wide when both are None; a city; or one district of a city."""

    city_id: int | None = None
    district_id: int | None = None


@dataclass(frozen=True)
class CityRow:
    id: int
    code: str
    name: str
    name_en: str


def list_cities(session: Session) -> list[CityRow]:
    rows = session.execute(select(City.id, City.code, City.name, City.name_en).order_by(City.id))
    return [CityRow(*r) for r in rows]


@dataclass(frozen=True)
class DistrictRow:
    id: int
    name: str
    name_en: str


def district_options(session: Session, city_id: int) -> list[DistrictRow]:
    rows = session.execute(
        select(District.id, District.name, District.name_en).where(District.city_id == city_id).order_by(District.id)
    )
    return [DistrictRow(*r) for r in rows]


def district_city_id(session: Session, district_id: int) -> int | None:
    return session.scalar(select(District.city_id).where(District.id == district_id))


def city_by_code(session: Session, code: str) -> CityRow | None:
    row = session.execute(select(City.id, City.code, City.name, City.name_en).where(City.code == code)).first()
    return CityRow(*row) if row else None


def scope_compounds(stmt: Select, area: Area, compound_col=Compound.id) -> Select:  # type: ignore[no-untyped-def]
    """Restrict a statement that already has the compound in its FROM to the area."""
    if area.district_id is not None:
        return stmt.where(Compound.district_id == area.district_id)
    if area.city_id is not None:
        return stmt.join(District, District.id == Compound.district_id).where(District.city_id == area.city_id)
    return stmt


def scope_buildings(stmt: Select, area: Area, building_id_col) -> Select:  # type: ignore[no-untyped-def]
    """Join a building id column up to its compound and restrict to the area."""
    if area.city_id is None and area.district_id is None:
        return stmt
    stmt = stmt.join(Building, Building.id == building_id_col).join(Compound, Compound.id == Building.compound_id)
    return scope_compounds(stmt, area)


class UnknownPlace(LookupError):
    """A city or district name that matches nothing (or more than one place)."""


def resolve_area(session: Session, city: str | None, district: str | None) -> tuple[Area, CityRow | None, str | None]:
    """Find a city by name, code or English name, and a district by name within it."""
    city_row = None
    if city:
        row = session.execute(
            select(City.id, City.code, City.name, City.name_en).where(
                or_(City.name == city, City.code == city, City.name_en == city)
            )
        ).first()
        if row is None:
            raise UnknownPlace(f"unknown city {city!r}")
        city_row = CityRow(*row)
    if not district:
        return Area(city_id=city_row.id if city_row else None), city_row, None
    stmt = select(District.id, District.name, District.city_id).where(
        or_(District.name == district, District.name_en == district)
    )
    if city_row:
        stmt = stmt.where(District.city_id == city_row.id)
    rows = session.execute(stmt).all()
    if not rows:
        raise UnknownPlace(f"unknown district {district!r}" + (f" in {city_row.name}" if city_row else ""))
    if len(rows) > 1:
        raise UnknownPlace(f"district {district!r} is ambiguous: give the city too")
    district_id, district_name, city_id = rows[0]
    if city_row is None:
        city_row = next(c for c in list_cities(session) if c.id == city_id)
    return Area(city_id=city_id, district_id=district_id), city_row, district_name
