"""The registry's tables: property companies, compounds, buildings, units and elevators (parents first).

A child names its parent by the parent's natural key; the parent may be stored already or come in an earlier
sheet of the same workbook (`NEW` until it is written: the children are written after it, when its id is
known). Maintenance companies are not a sheet: an elevator naming one the product does not know adds it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Table as SqlTable
from sqlalchemy import insert, select

from data_access.core.models import Building, Compound, Elevator, MaintenanceCompany, PropertyCompany, Unit
from data_access.imports.kinds import BUILDINGS, COMPANIES, COMPOUNDS, ELEVATORS, UNITS
from data_access.imports.spec import SheetSpec
from data_access.imports.tables import NEW, Context, Row, Table


class Companies(Table):
    spec: ClassVar[SheetSpec] = COMPANIES
    table: ClassVar[SqlTable] = PropertyCompany.__table__  # type: ignore[assignment]
    columns: ClassVar[dict[str, str]] = {
        "name": "name",
        "registered_on": "registered_on",
        "party_org_founded_on": "party_org_founded_on",
    }

    def resolve(self, rows: list[Row]) -> None:
        for row in rows:
            self.ctx.check_city(row)
            ids = self.ctx.companies.get(row.values["name"], [])
            if len(ids) > 1:
                row.problem("name", "import.err.company_ambiguous", n=len(ids))

    def lookup(self, rows: list[Row]) -> None:
        ids = {self.ctx.companies[r.values["name"]][0] for r in rows if r.values["name"] in self.ctx.companies}
        stored = self.stored(("id",), {(i,) for i in ids})
        for row in rows:
            known = self.ctx.companies.get(row.values["name"])
            row.existing = stored.get((known[0],)) if known else None

    def record(self, row: Row) -> dict[str, Any]:
        v = row.values
        return {
            "city_id": self.ctx.city.id,
            "name": v["name"],
            "registered_on": v["registered_on"],
            "party_org_founded_on": v.get("party_org_founded_on"),
        }


class Compounds(Table):
    spec: ClassVar[SheetSpec] = COMPOUNDS
    table: ClassVar[SqlTable] = Compound.__table__  # type: ignore[assignment]
    columns: ClassVar[dict[str, str]] = {
        "district_id": "district",
        "name": "name",
        "households": "households",
        "residents": "residents",
        "completed_on": "completed_on",
        "property_company_id": "property_company",
        "owners_committee_formed_on": "owners_committee_formed_on",
        "management_orderly": "management_orderly",
        "party_org_founded_on": "party_org_founded_on",
    }

    def resolve(self, rows: list[Row]) -> None:
        for row in rows:
            self.ctx.check_city(row)
            row.refs["district"] = self.ctx.district(row)
            row.refs["company"] = self._company(row)

    def _company(self, row: Row) -> Any:
        name = row.values.get("property_company")
        if name is None:
            return None
        ids = self.ctx.companies.get(name, [])
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            row.problem("property_company", "import.err.company_ambiguous", n=len(ids))
        elif (name,) in self.ctx.seen.get("companies", {}):
            return NEW
        else:
            row.problem("property_company", "import.err.company_unknown")
        return None

    def lookup(self, rows: list[Row]) -> None:
        keys = {(r.refs["district"], r.values["name"]) for r in rows}
        stored = self.stored(("district_id", "name"), keys)
        for row in rows:
            row.existing = stored.get((row.refs["district"], row.values["name"]))

    def record(self, row: Row) -> dict[str, Any]:
        v = row.values
        return {
            "district_id": row.refs["district"],
            "name": v["name"],
            "households": v["households"],
            "residents": v["residents"],
            "completed_on": v["completed_on"],
            "property_company_id": row.refs["company"],
            "owners_committee_formed_on": v.get("owners_committee_formed_on"),
            "management_orderly": True if v.get("management_orderly") is None else v["management_orderly"],
            "party_org_founded_on": v.get("party_org_founded_on"),
        }


def _resolve_compounds(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        ctx.check_city(row)
        row.refs["compound"] = ctx.compound(row, ctx.district(row))


class Buildings(Table):
    spec: ClassVar[SheetSpec] = BUILDINGS
    table: ClassVar[SqlTable] = Building.__table__  # type: ignore[assignment]
    columns: ClassVar[dict[str, str]] = {"compound_id": "compound", "number": "number", "floors": "floors"}

    def resolve(self, rows: list[Row]) -> None:
        _resolve_compounds(self.ctx, rows)

    def lookup(self, rows: list[Row]) -> None:
        keys = {(r.refs["compound"], r.values["number"]) for r in rows if r.refs["compound"] is not NEW}
        stored = self.stored(("compound_id", "number"), keys)
        for row in rows:
            row.existing = stored.get((row.refs["compound"], row.values["number"]))

    def record(self, row: Row) -> dict[str, Any]:
        return {"compound_id": row.refs["compound"], "number": row.values["number"], "floors": row.values["floors"]}


class Units(Table):
    spec: ClassVar[SheetSpec] = UNITS
    table: ClassVar[SqlTable] = Unit.__table__  # type: ignore[assignment]
    columns: ClassVar[dict[str, str]] = {"building_id": "building", "number": "number", "households": "households"}

    def resolve(self, rows: list[Row]) -> None:
        _resolve_compounds(self.ctx, rows)
        self.ctx.buildings([r for r in rows if not r.problems])

    def lookup(self, rows: list[Row]) -> None:
        keys = {(r.refs["building"], r.values["number"]) for r in rows if r.refs["building"] is not NEW}
        stored = self.stored(("building_id", "number"), keys)
        for row in rows:
            row.existing = stored.get((row.refs["building"], row.values["number"]))

    def record(self, row: Row) -> dict[str, Any]:
        v = row.values
        return {"building_id": row.refs["building"], "number": v["number"], "households": v["households"]}


class Elevators(Table):
    spec: ClassVar[SheetSpec] = ELEVATORS
    table: ClassVar[SqlTable] = Elevator.__table__  # type: ignore[assignment]
    columns: ClassVar[dict[str, str]] = {
        "registration_code": "registration_code",
        "building_id": "building",
        "unit_id": "unit",
        "in_service_on": "in_service_on",
        "maintenance_company_id": "maintenance_company",
        "maintenance_normal": "maintenance_normal",
        "insurer_conditions_met": "insurer_conditions_met",
    }

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.companies = {n: i for n, i in ctx.conn.execute(select(MaintenanceCompany.name, MaintenanceCompany.id))}
        self.new_companies: set[str] = set()

    def resolve(self, rows: list[Row]) -> None:
        _resolve_compounds(self.ctx, rows)
        self.ctx.buildings([r for r in rows if not r.problems])
        self.ctx.units([r for r in rows if not r.problems], "unit")
        for row in rows:
            name = row.values.get("maintenance_company")
            if name is not None and name not in self.companies:
                self.new_companies.add(name)
            row.refs["company"] = None if name is None else self.companies.get(name, NEW)

    def lookup(self, rows: list[Row]) -> None:
        found = self.ctx.elevators(r.values["registration_code"] for r in rows)
        for row in rows:
            hit = found.get(row.values["registration_code"])
            if hit is not None and hit[2] != self.ctx.city.id:
                self.ctx.elevator(row, "registration_code", found)  # says whose it is
        keys = {(r.values["registration_code"],) for r in rows if not r.problems}
        stored = self.stored(("registration_code",), keys)
        for row in rows:
            row.existing = stored.get((row.values["registration_code"],))

    def before_write(self, rows: list[Row]) -> None:
        missing = sorted({r.values["maintenance_company"] for r in rows if r.refs["company"] is NEW})
        if missing:
            self.ctx.conn.execute(insert(MaintenanceCompany), [{"name": n} for n in missing])
            stmt = select(MaintenanceCompany.name, MaintenanceCompany.id).where(MaintenanceCompany.name.in_(missing))
            self.companies.update({n: i for n, i in self.ctx.conn.execute(stmt)})
        for row in rows:
            if row.refs["company"] is NEW:
                row.refs["company"] = self.companies[row.values["maintenance_company"]]

    def record(self, row: Row) -> dict[str, Any]:
        v = row.values
        return {
            "registration_code": v["registration_code"],
            "building_id": row.refs["building"],
            "unit_id": row.refs["unit"],
            "in_service_on": v["in_service_on"],
            "maintenance_company_id": row.refs["company"],
            "maintenance_normal": True if v.get("maintenance_normal") is None else v["maintenance_normal"],
            "insurer_conditions_met": True if v.get("insurer_conditions_met") is None else v["insurer_conditions_met"],
        }

    def counts_extra(self) -> dict[str, int]:
        return {"maintenance_companies": len(self.new_companies)} if self.new_companies else {}


REGISTRY_TABLES: tuple[type[Table], ...] = (Companies, Compounds, Buildings, Units, Elevators)
