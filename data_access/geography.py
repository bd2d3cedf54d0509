"""Cities and districts: lists for the filters, and names resolved to the Area a query is scoped by."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.cache import cached_query
from data_access.core.models import City, District
from data_access.core.scope import Area


@dataclass(frozen=True)
class CityRow:
    id: int
    code: str
    name: str
    name_en: str


@dataclass(frozen=True)
class DistrictRow:
    id: int
    name: str
    name_en: str


@dataclass(frozen=True)
class Places:
    cities: list[CityRow]
    districts: dict[int, list[DistrictRow]]  # city id → its districts, by id
    district_city: dict[int, int]  # district id → its city id


def places(session: Session) -> Places:
    """Every city and district: read by every page render and API call (several times by one request), changed
    only by loading data. Kept in the session (one request) over the result cache (whose key holds the data
    generation), so a request reads them at most once even when the cache misses or is off."""
    found = session.info.get("places")
    if not isinstance(found, Places):
        found = session.info["places"] = _places(session)
    return found


@cached_query
def _places(session: Session) -> Places:
    cities = [
        CityRow(*r) for r in session.execute(select(City.id, City.code, City.name, City.name_en).order_by(City.id))
    ]
    districts: dict[int, list[DistrictRow]] = {c.id: [] for c in cities}
    district_city: dict[int, int] = {}
    rows = session.execute(select(District.id, District.name, District.name_en, District.city_id).order_by(District.id))
    for district_id, name, name_en, city_id in rows:
        districts.setdefault(city_id, []).append(DistrictRow(district_id, name, name_en))
        district_city[district_id] = city_id
    return Places(cities, districts, district_city)


def list_cities(session: Session) -> list[CityRow]:
    return list(places(session).cities)


def district_options(session: Session, city_id: int) -> list[DistrictRow]:
    return list(places(session).districts.get(city_id, []))


def district_city_id(session: Session, district_id: int) -> int | None:
    return places(session).district_city.get(district_id)


def city_by_code(session: Session, code: str) -> CityRow | None:
    return next((c for c in places(session).cities if c.code == code), None)


class UnknownPlace(LookupError):
    """A city or district name that matches nothing (or more than one place)."""


def resolve_area(session: Session, city: str | None, district: str | None) -> tuple[Area, CityRow | None, str | None]:
    """Find a city by name, code or English name, and a district by name (Chinese or English) within it."""
    index = places(session)
    city_row = None
    if city:
        city_row = next((c for c in index.cities if city in (c.name, c.code, c.name_en)), None)
        if city_row is None:
            raise UnknownPlace(f"unknown city {city!r}")
    if not district:
        return Area(city_id=city_row.id if city_row else None), city_row, None
    searched = [city_row] if city_row else index.cities
    found = [(c, d) for c in searched for d in index.districts.get(c.id, []) if district in (d.name, d.name_en)]
    if not found:
        raise UnknownPlace(f"unknown district {district!r}" + (f" in {city_row.name}" if city_row else ""))
    if len(found) > 1:
        raise UnknownPlace(f"district {district!r} is ambiguous: give the city too")
    city_row, row = found[0]
    return Area(city_id=city_row.id, district_id=row.id), city_row, row.name
