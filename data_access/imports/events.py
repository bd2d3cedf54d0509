"""The event tables: 12345 work orders (by work-order number), elevator faults and maintenance visits (by the
elevator's registration code and the instant they began). Their references must already be stored: a work
order's compound and elevator, a fault's elevator — all of this import's city."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Table as SqlTable

from data_access.core.models import ElevatorFault, HotlineWorkOrder, MaintenanceVisit
from data_access.imports.kinds import FAULTS, VISITS, WORK_ORDERS
from data_access.imports.spec import SheetSpec
from data_access.imports.tables import ElevatorsFound, Row, Table


class WorkOrders(Table):
    spec: ClassVar[SheetSpec] = WORK_ORDERS
    table: ClassVar[SqlTable] = HotlineWorkOrder.__table__  # type: ignore[assignment]
    columns: ClassVar[dict[str, str]] = {
        "order_no": "order_no",
        "received_at": "received_at",
        "category": "category",
        "district_id": "district",
        "compound_id": "compound",
        "elevator_id": "elevator",
        "summary": "summary",
        "closed_at": "closed_at",
        "satisfaction": "satisfaction",
    }

    def resolve(self, rows: list[Row]) -> None:
        ctx = self.ctx
        found = ctx.elevators(r.values["elevator"] for r in rows if r.values.get("elevator") is not None)
        for row in rows:
            ctx.check_city(row)
            district = row.refs["district"] = ctx.district(row)
            compound = None
            if row.values.get("compound") is not None:
                compound = ctx.compound(row, district, in_file=False)
            row.refs["compound"] = compound
            row.refs["elevator"] = self._elevator(row, found, district, compound)

    def _elevator(self, row: Row, found: ElevatorsFound, district: Any, compound: Any) -> Any:
        """The elevator a work order names (optional): of this city, and of the compound (district) it names."""
        if row.values.get("elevator") is None:
            return None
        elevator = self.ctx.elevator(row, "elevator", found)
        if elevator is None:
            return None
        its_compound = found[row.values["elevator"]][1]
        if compound is not None and its_compound != compound:
            row.problem("elevator", "import.err.elevator_other_compound")
        elif district is not None and self.ctx.compound_districts.get(its_compound) != district:
            row.problem("elevator", "import.err.elevator_other_district")
        return elevator

    def lookup(self, rows: list[Row]) -> None:
        stored = self.stored(("order_no",), {(r.values["order_no"],) for r in rows}, extra=("city_id",))
        for row in rows:
            existing = stored.get((row.values["order_no"],))
            if existing is not None and existing["city_id"] != self.ctx.city.id:
                other = self.ctx.city_label(existing["city_id"])
                row.problem("order_no", "import.err.order_other_city", other=other, city=self.ctx.city.label)
                continue
            row.existing = existing

    def record(self, row: Row) -> dict[str, Any]:
        v = row.values
        return {
            "order_no": v["order_no"],
            "received_at": v["received_at"],
            "category": v["category"],
            "city_id": self.ctx.city.id,
            "district_id": row.refs["district"],
            "compound_id": row.refs["compound"],
            "elevator_id": row.refs["elevator"],
            "summary": v["summary"],
            "closed_at": v.get("closed_at"),
            "satisfaction": v.get("satisfaction"),
        }


class _ElevatorEvents(Table):
    """A fault or visit: keyed by (elevator, when it began)."""

    when: ClassVar[str]

    def resolve(self, rows: list[Row]) -> None:
        found = self.ctx.elevators(r.values["elevator"] for r in rows)
        for row in rows:
            row.refs["elevator"] = self.ctx.elevator(row, "elevator", found)

    def lookup(self, rows: list[Row]) -> None:
        keys = {(r.refs["elevator"], r.values[self.when]) for r in rows}
        stored = self.stored(("elevator_id", self.when), keys)
        for row in rows:
            row.existing = stored.get((row.refs["elevator"], row.values[self.when]))


class Faults(_ElevatorEvents):
    spec: ClassVar[SheetSpec] = FAULTS
    table: ClassVar[SqlTable] = ElevatorFault.__table__  # type: ignore[assignment]
    when: ClassVar[str] = "reported_at"
    columns: ClassVar[dict[str, str]] = {
        "elevator_id": "elevator",
        "reported_at": "reported_at",
        "responded_at": "responded_at",
        "repaired_at": "repaired_at",
        "severity": "severity",
        "trapped_passengers": "trapped_passengers",
        "released_at": "released_at",
        "cause": "cause",
    }

    def record(self, row: Row) -> dict[str, Any]:
        v = row.values
        return {
            "elevator_id": row.refs["elevator"],
            "reported_at": v["reported_at"],
            "responded_at": v.get("responded_at"),
            "repaired_at": v.get("repaired_at"),
            "severity": v["severity"],
            "trapped_passengers": v.get("trapped_passengers") or 0,
            "released_at": v.get("released_at"),
            "cause": v["cause"],
        }


class Visits(_ElevatorEvents):
    spec: ClassVar[SheetSpec] = VISITS
    table: ClassVar[SqlTable] = MaintenanceVisit.__table__  # type: ignore[assignment]
    when: ClassVar[str] = "started_at"
    columns: ClassVar[dict[str, str]] = {
        "elevator_id": "elevator",
        "started_at": "started_at",
        "duration_minutes": "duration_minutes",
    }

    def record(self, row: Row) -> dict[str, Any]:
        v = row.values
        return {
            "elevator_id": row.refs["elevator"],
            "started_at": v["started_at"],
            "duration_minutes": v["duration_minutes"],
        }
