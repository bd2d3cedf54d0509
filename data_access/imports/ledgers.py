"""The maintenance fund's ledgers: owner-ledger entries per building, pooled accounts and their entries.

Every ledger entry is recognised by its voucher number (`reference`, unique across the province): re-importing a
ledger updates or leaves an entry, never adds it twice, and a voucher number already used by another city's
entry is rejected saying whose it is. Entries name a building (and, for an account per unit, the unit) that the
registry already holds; a pooled-account entry's account may be stored or come in the same workbook's account
sheet, and cannot be booked before that account was opened.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import FromClause, select
from sqlalchemy import Table as SqlTable
from sqlalchemy.engine import Connection

from data_access.core.models import (
    Building,
    Compound,
    District,
    MaintenanceFundEntry,
    PooledAccount,
    PooledAccountEntry,
)
from data_access.imports.kinds import FUND_ENTRIES, POOLED_ACCOUNTS, POOLED_ENTRIES
from data_access.imports.spec import SheetSpec
from data_access.imports.tables import NEW, Context, Row, Table

AccountKey = tuple[int, int | None]  # (building id, unit id or None for the building's own account)


def resolve_place(ctx: Context, rows: list[Row], unit_column: str | None = None) -> None:
    """Set refs compound, building (and unit) of rows naming a registered building of this city: ledgers come
    after the registry, so a building only in this file cannot exist."""
    for row in rows:
        ctx.check_city(row)
        row.refs["compound"] = ctx.compound(row, ctx.district(row), in_file=False)
    ctx.buildings([r for r in rows if not r.problems])
    if unit_column is not None:
        ctx.units([r for r in rows if not r.problems], unit_column)


def stored_accounts(conn: Connection, keys: Collection[AccountKey]) -> dict[AccountKey, dict[str, Any]]:
    """The stored pooled accounts of these (building, unit) keys with id, building_id, unit_id and opened_on (the
    first by id where the database has two). A building account has no unit, and `unit_id IN (…)` never matches
    NULL, so the accounts are read by building and the exact keys kept here."""
    buildings = sorted({building for building, _unit in keys})
    if not buildings:
        return {}
    pa = PooledAccount
    stmt = select(pa.id, pa.building_id, pa.unit_id, pa.opened_on).where(pa.building_id.in_(buildings)).order_by(pa.id)
    found: dict[AccountKey, dict[str, Any]] = {}
    for record in conn.execute(stmt):
        key = (record.building_id, record.unit_id)
        if key in keys:
            found.setdefault(key, dict(record._mapping))
    return found


def cities_of_references(
    conn: Connection, reference: Any, building: Any, source: FromClause, references: Iterable[str]
) -> dict[str, int]:
    """The city of each stored entry among `references` (reference column, the building id it is placed by, and
    the FROM that holds both)."""
    wanted = sorted(set(references))
    if not wanted:
        return {}
    stmt = (
        select(reference, District.city_id)
        .select_from(source)
        .join(Building, Building.id == building)
        .join(Compound, Compound.id == Building.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(reference.in_(wanted))
    )
    return {ref: city for ref, city in conn.execute(stmt)}


class _Entries(Table):
    """A ledger's entries, keyed by reference."""

    def _place_of_references(self, references: Iterable[str]) -> dict[str, int]:
        raise NotImplementedError

    def lookup(self, rows: list[Row]) -> None:
        references = {r.values["reference"] for r in rows}
        stored = self.stored(("reference",), {(ref,) for ref in references})
        cities = self._place_of_references(ref for (ref,) in stored)
        for row in rows:
            ref = row.values["reference"]
            city = cities.get(ref)
            if city is not None and city != self.ctx.city.id:
                other = self.ctx.city_label(city)
                row.problem("reference", "import.err.reference_other_city", other=other, city=self.ctx.city.label)
                continue
            row.existing = stored.get((ref,))


class FundEntries(_Entries):
    spec: ClassVar[SheetSpec] = FUND_ENTRIES
    table: ClassVar[SqlTable] = MaintenanceFundEntry.__table__  # type: ignore[assignment]
    columns: ClassVar[dict[str, str]] = {
        "reference": "reference",
        "building_id": "building",
        "booked_on": "booked_on",
        "kind": "kind",
        "amount_fen": "amount",
        "memo": "memo",
    }

    def resolve(self, rows: list[Row]) -> None:
        resolve_place(self.ctx, rows)

    def _place_of_references(self, references: Iterable[str]) -> dict[str, int]:
        e = MaintenanceFundEntry
        return cities_of_references(self.ctx.conn, e.reference, e.building_id, e.__table__, references)

    def record(self, row: Row) -> dict[str, Any]:
        v = row.values
        return {
            "reference": v["reference"],
            "building_id": row.refs["building"],
            "booked_on": v["booked_on"],
            "kind": v["kind"],
            "amount_fen": v["amount"],
            "memo": v.get("memo"),
        }


class PooledAccounts(Table):
    spec: ClassVar[SheetSpec] = POOLED_ACCOUNTS
    table: ClassVar[SqlTable] = PooledAccount.__table__  # type: ignore[assignment]
    columns: ClassVar[dict[str, str]] = {"building_id": "building", "unit_id": "unit", "opened_on": "opened_on"}

    def resolve(self, rows: list[Row]) -> None:
        resolve_place(self.ctx, rows, "unit")

    def lookup(self, rows: list[Row]) -> None:
        found = stored_accounts(self.ctx.conn, {(r.refs["building"], r.refs["unit"]) for r in rows})
        opened = self.ctx.file_values.setdefault(self.spec.key, {})
        for row in rows:
            row.existing = found.get((row.refs["building"], row.refs["unit"]))
            opened[self.key(row)] = row.values["opened_on"]  # the entries sheet checks its bookings against it

    def record(self, row: Row) -> dict[str, Any]:
        return {"building_id": row.refs["building"], "unit_id": row.refs["unit"], "opened_on": row.values["opened_on"]}


class PooledEntries(_Entries):
    spec: ClassVar[SheetSpec] = POOLED_ENTRIES
    table: ClassVar[SqlTable] = PooledAccountEntry.__table__  # type: ignore[assignment]
    # The account comes from the building and unit columns; the premium's policy link is the policies kind's.
    columns: ClassVar[dict[str, str]] = {
        "reference": "reference",
        "pooled_account_id": "building",
        "booked_on": "booked_on",
        "kind": "kind",
        "amount_fen": "amount",
    }

    def resolve(self, rows: list[Row]) -> None:
        resolve_place(self.ctx, rows, "unit")
        good = [r for r in rows if not r.problems]
        found = stored_accounts(self.ctx.conn, {(r.refs["building"], r.refs["unit"]) for r in good})
        in_file = self.ctx.seen.get(POOLED_ACCOUNTS.key, {})
        opened_in_file = self.ctx.file_values.get(POOLED_ACCOUNTS.key, {})
        for row in good:
            account = found.get((row.refs["building"], row.refs["unit"]))
            key = tuple(row.values.get(k) for k in POOLED_ACCOUNTS.natural_key)
            if account is not None:
                row.refs["account"] = account["id"]
                self._not_before(row, account["opened_on"])
            elif key in in_file:
                row.refs["account"] = NEW
                self._not_before(row, opened_in_file.get(key))
            else:
                row.problem("unit" if row.values.get("unit") else "building", "import.err.account_unknown")

    @staticmethod
    def _not_before(row: Row, opened: date | None) -> None:
        if opened is not None and row.values["booked_on"] < opened:
            row.problem("booked_on", "import.err.before_opened", opened=opened.isoformat())

    def _place_of_references(self, references: Iterable[str]) -> dict[str, int]:
        e, pa = PooledAccountEntry, PooledAccount
        source = e.__table__.join(pa.__table__, pa.id == e.pooled_account_id)
        return cities_of_references(self.ctx.conn, e.reference, pa.building_id, source, references)

    def record(self, row: Row) -> dict[str, Any]:
        v = row.values
        return {
            "reference": v["reference"],
            "pooled_account_id": row.refs["account"],
            "booked_on": v["booked_on"],
            "kind": v["kind"],
            "amount_fen": v["amount"],
        }


LEDGER_TABLES: tuple[type[Table], ...] = (FundEntries, PooledAccounts, PooledEntries)
