"""Deleting a city's records of one import kind, all in one transaction (the round trip's middle step, and how a
bureau starts a kind over from its own files).

The kind's tables are emptied of the city's rows children first (a registry: elevators, units, buildings,
compounds, property companies). Nothing is deleted while any other record still refers to one of them, and the
refusal says which:
- records of another import kind (a fund ledger's entries name the registry's buildings, claims name policies and
  faults): delete that kind first, in the reverse of the order the files load in — claims, visits, faults, work
  orders, policies, pooled accounts, fund ledger, registry. Deleting dependants along with them would silently
  take a second kind with the first;
- records no import kind can bring back (councils and red-property records of a compound, insurance applications,
  organisers' compounds, council items' work orders): these are refused outright rather than deleted, since a
  delete-and-reimport would lose them for good.
Which tables refer to which is read from the schema's foreign keys, so a table added later is covered too. The
one link a kind owns on another kind's table — a premium entry's policy, which the policies kind writes — is
cleared with the policies and blocks the pooled accounts until they are gone.

Like an import, a deletion that removes anything renews the data set's generation and rebuilds the
pre-aggregated tables in its transaction, and leaves an audit entry. The caller commits.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy import Table as SqlTable
from sqlalchemy.orm import Session

from data_access.core.dataset import renew_generation
from data_access.core.db import Base
from data_access.core.models import (
    Building,
    Compound,
    Elevator,
    ElevatorFault,
    HotlineWorkOrder,
    InsuranceClaim,
    InsurancePolicy,
    MaintenanceFundEntry,
    MaintenanceVisit,
    PooledAccount,
    PooledAccountEntry,
    PropertyCompany,
    Unit,
)
from data_access.core.scope import (
    ON_COMPOUND,
    ON_ELEVATOR,
    ON_WORK_ORDER,
    Anchor,
    Area,
    on_building,
    on_elevator,
    within,
)
from data_access.imports.kinds import KINDS
from data_access.imports.messages import Message, Text
from data_access.imports.pipeline import (
    ROLLUP_STEPS,
    TABLES,
    Progress,
    Who,
    find_city,
    kind_spec,
)
from data_access.imports.tables import CityInfo
from data_access.rollup_refresh import refresh_rollups
from data_access.users import audit

# The ids of a table's rows in a city (an Area of one city), each through the scope compiler.
_CITY_ROWS: dict[str, Callable[[Area], Select[Any]]] = {
    "property_company": lambda a: within(select(PropertyCompany.id), a, Anchor(city=PropertyCompany.city_id)),
    "compound": lambda a: within(select(Compound.id), a, ON_COMPOUND),
    "building": lambda a: within(select(Building.id), a, Anchor(compound=Building.compound_id)),
    "unit": lambda a: within(select(Unit.id), a, on_building(Unit.building_id)),
    "elevator": lambda a: within(select(Elevator.id), a, ON_ELEVATOR),
    "maintenance_fund_entry": lambda a: within(
        select(MaintenanceFundEntry.id), a, on_building(MaintenanceFundEntry.building_id)
    ),
    "pooled_account": lambda a: within(select(PooledAccount.id), a, on_building(PooledAccount.building_id)),
    "pooled_account_entry": lambda a: within(
        select(PooledAccountEntry.id).join(PooledAccount, PooledAccount.id == PooledAccountEntry.pooled_account_id),
        a,
        on_building(PooledAccount.building_id),
    ),
    "insurance_policy": lambda a: within(select(InsurancePolicy.id), a, on_elevator(InsurancePolicy.elevator_id)),
    "insurance_claim": lambda a: within(
        select(InsuranceClaim.id).join(InsurancePolicy, InsurancePolicy.id == InsuranceClaim.insurance_policy_id),
        a,
        on_elevator(InsurancePolicy.elevator_id),
    ),
    "hotline_work_order": lambda a: within(select(HotlineWorkOrder.id), a, ON_WORK_ORDER),
    "elevator_fault": lambda a: within(select(ElevatorFault.id), a, on_elevator(ElevatorFault.elevator_id)),
    "maintenance_visit": lambda a: within(select(MaintenanceVisit.id), a, on_elevator(MaintenanceVisit.elevator_id)),
}
# Links a kind writes on another kind's rows: cleared when the kind is deleted, and while any is set the other
# kind's rows are held (policies name the premium entries that paid them).
_OWNED_LINKS: dict[str, tuple[tuple[str, str], ...]] = {"policies": (("pooled_account_entry", "insurance_policy_id"),)}
# How a refusal names tables that belong to no import kind (others go by their table name).
_TABLE_LABELS: dict[str, Text] = {
    "council_meeting": Text("四方议事会会议", "council meetings"),
    "agenda_item_work_order": Text("议题关联的12345工单", "council agenda items' work orders"),
    "service_station": Text("党群服务站", "Party–mass service stations"),
    "demonstration_project": Text("红色物业示范项目", "red-property demonstration projects"),
    "user_compound": Text("组织者账户的小区", "organisers' compounds"),
    "insurance_application": Text("投保申请", "insurance applications"),
    "application_elevator": Text("投保申请中的电梯", "insurance applications' elevators"),
}


@dataclass(frozen=True)
class Blocker:
    """Records outside the kind that refer to the city's records of it: `kind` is the import kind they belong
    to (delete it first), or None when no import kind holds them (the deletion is refused)."""

    table: str
    rows: int
    kind: str | None
    held: bool = False  # the kind's own rows, named by another kind's records (`table` is then the kind's)

    def message(self) -> Message:
        label = _label(self.table)
        if self.kind is None:
            return Message("import.delete.blocked_records", {"table": label, "n": self.rows})
        key = "import.delete.blocked_held" if self.held else "import.delete.blocked_kind"
        return Message(key, {"table": label, "n": self.rows, "kind": KINDS[self.kind].label})


@dataclass
class DeletionReport:
    kind: str
    city: CityInfo
    counts: dict[str, int] = field(default_factory=dict)  # table → the city's rows (to delete, or deleted)
    blockers: list[Blocker] = field(default_factory=list)
    deleted: bool = False
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _label(table: str) -> Text:
    if table in _TABLE_LABELS:
        return _TABLE_LABELS[table]
    for spec in KINDS.values():
        for sheet in spec.sheets:
            if TABLES[sheet.key].table.name == table:
                return sheet.label
    return Text(table, table)


def _kind_of_table() -> dict[str, str]:
    return {TABLES[s.key].table.name: kind for kind, spec in KINDS.items() for s in spec.sheets}


def _tables(kind: str) -> list[SqlTable]:
    """The kind's tables, children first (the spec lists parents first)."""
    return [TABLES[s.key].table for s in reversed(kind_spec(kind).sheets)]


def plan_deletion(session: Session, kind: str, city_code: str) -> DeletionReport:
    """What deleting the city's records of `kind` would remove (rows per table) and what refers to them; nothing
    is written."""
    city = find_city(session, city_code)
    area, conn = Area(city_id=city.id), session.connection()
    report = DeletionReport(kind, city)
    for table in _tables(kind):
        ids = _CITY_ROWS[table.name](area)
        report.counts[table.name] = int(conn.scalar(select(func.count()).select_from(ids.subquery())) or 0)
    report.blockers = _references(session, kind, area) + _links_held(session, kind, area)
    return report


def _references(session: Session, kind: str, area: Area) -> list[Blocker]:
    """Rows of tables outside the kind whose foreign keys point at the city's rows of it (read off the schema),
    counted once per table however many of its columns do."""
    names = {t.name for t in _tables(kind)}
    detached = set(_OWNED_LINKS.get(kind, ()))
    owner = _kind_of_table()
    found: list[Blocker] = []
    for other in Base.metadata.sorted_tables:
        if other.name in names:
            continue
        refers = [
            fk.parent.in_(_CITY_ROWS[fk.column.table.name](area))
            for fk in other.foreign_keys
            if fk.column.table.name in names and (other.name, fk.parent.name) not in detached
        ]
        if refers:
            n = int(session.connection().scalar(select(func.count()).select_from(other).where(or_(*refers))) or 0)
            if n:
                found.append(Blocker(other.name, n, owner.get(other.name)))
    return found


def _links_held(session: Session, kind: str, area: Area) -> list[Blocker]:
    """The kind's rows that another kind has linked to (a premium entry naming its policy): held until that
    kind's records are deleted."""
    names = {t.name for t in _tables(kind)}
    found: list[Blocker] = []
    for link_kind, links in _OWNED_LINKS.items():
        for table_name, column in links:
            if link_kind == kind or table_name not in names:
                continue
            linked = Base.metadata.tables[table_name]
            ids = _CITY_ROWS[table_name](area)
            stmt = select(func.count()).select_from(linked).where(linked.c.id.in_(ids), linked.c[column].is_not(None))
            n = int(session.connection().scalar(stmt) or 0)
            if n:
                found.append(Blocker(table_name, n, link_kind, held=True))
    return found


def delete_city_data(
    session: Session, kind: str, city_code: str, *, who: Who | None = None, progress: Progress | None = None
) -> DeletionReport:
    """Delete the city's records of `kind` (children first) unless anything refers to them (`report.blockers`,
    nothing written); then renew the generation, rebuild the rollups and audit, in the caller's transaction."""
    started = time.perf_counter()
    report = plan_deletion(session, kind, city_code)
    if report.blockers:
        report.seconds = time.perf_counter() - started
        return report
    conn, area = session.connection(), Area(city_id=report.city.id)
    for table_name, column in _OWNED_LINKS.get(kind, ()):  # the links this kind wrote on another kind's rows
        linked = Base.metadata.tables[table_name]
        target = next(iter(linked.c[column].foreign_keys)).column.table.name
        conn.execute(update(linked).where(linked.c[column].in_(_CITY_ROWS[target](area))).values({column: None}))
    for table in _tables(kind):
        conn.execute(delete(table).where(table.c.id.in_(_CITY_ROWS[table.name](area))))
    if report.total:
        renew_generation(session)
        steps = iter(range(1, 100))

        def step(_name: str) -> None:
            if progress:
                progress("rollups", next(steps), ROLLUP_STEPS)

        refresh_rollups(session, progress=step)
    who = who or Who()
    detail = {"kind": kind, "city": report.city.code, "deleted": report.counts}
    audit(session, "delete", "import", None, user_id=who.user_id, username=who.username, detail=detail)
    report.deleted = True
    report.seconds = time.perf_counter() - started
    return report
