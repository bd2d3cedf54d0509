"""Cities and districts: lists for the filters, and names resolved to the Area a query is scoped by."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from data_access.core.models import City, District
from data_access.core.scope import Area


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
