"""Elevator maintenance insurance policies, by policy number.

A policy insures one elevator of this city for one period. The product keeps every policy with the application
it was bought under, so a policy is accepted only when an approved application includes its elevator by the first
day of cover (the latest such application is linked; a stored policy keeps the one it has). The period's last
day is written as on the policy, inclusive; the database keeps the day after (`period_end` is exclusive).

The insurer is named: a name the product does not know is added, as the registry adds maintenance companies — a
city starting from its own files has no insurer yet and no other way to record one, and the dry run's counts show
every insurer that would be added, so a misspelt name is seen before the load. The premium voucher names the
pooled-account premium entry that paid the policy (the link is kept on that entry): it must be a premium of the
pooled account of the elevator's building, and pay no other policy.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any, ClassVar, NamedTuple

from sqlalchemy import Table as SqlTable
from sqlalchemy import bindparam, insert, select, update

from data_access.core.models import (
    ApplicationDecision,
    ApplicationElevator,
    Elevator,
    InsuranceApplication,
    InsurancePolicy,
    Insurer,
    PooledAccount,
    PooledAccountEntry,
    PooledEntryKind,
)
from data_access.imports.kinds import POLICIES
from data_access.imports.ledgers import cities_of_references
from data_access.imports.messages import Text
from data_access.imports.spec import SheetSpec
from data_access.imports.tables import NEW, Context, Row, Table

ENTRIES: SqlTable = PooledAccountEntry.__table__  # type: ignore[assignment]
VOUCHER = Text("缴费凭证号", "premium voucher")


class Voucher(NamedTuple):
    kind: PooledEntryKind
    building_id: int
    policy_no: str | None  # the policy it already pays


class Policies(Table):
    spec: ClassVar[SheetSpec] = POLICIES
    table: ClassVar[SqlTable] = InsurancePolicy.__table__  # type: ignore[assignment]
    # Compared and updated; the application is derived for a new policy only, the voucher link lives on the entry.
    columns: ClassVar[dict[str, str]] = {
        "policy_no": "policy_no",
        "elevator_id": "elevator",
        "insurer_id": "insurer",
        "period_start": "period_start",
        "period_end": "period_end",
        "premium_fen": "premium",
        "cover_fen": "cover",
    }

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.insurers = {n: i for n, i in ctx.conn.execute(select(Insurer.name, Insurer.id))}
        self.new_insurers: set[str] = set()
        self.vouchers_seen: dict[str, int] = {}  # voucher → the first row naming it

    def resolve(self, rows: list[Row]) -> None:
        found = self.ctx.elevators(r.values["elevator"] for r in rows)
        for row in rows:
            row.refs["elevator"] = self.ctx.elevator(row, "elevator", found)
            name = row.values["insurer"]
            if name not in self.insurers:
                self.new_insurers.add(name)
            row.refs["insurer"] = self.insurers.get(name, NEW)
        self._applications([r for r in rows if r.refs["elevator"] is not None])

    def _applications(self, rows: list[Row]) -> None:
        """Link each row to the latest application approved by its first day of cover that includes its elevator."""
        ia, ae = InsuranceApplication, ApplicationElevator
        elevators = sorted({r.refs["elevator"] for r in rows})
        approved: dict[int, list[tuple[date, int]]] = defaultdict(list)
        if elevators:
            stmt = (
                select(ae.elevator_id, ia.decided_on, ia.id)
                .join(ia, ia.id == ae.application_id)
                .where(ae.elevator_id.in_(elevators), ia.decision == ApplicationDecision.approved)
                .where(ia.decided_on.is_not(None))
                .order_by(ia.decided_on, ia.id)
            )
            for elevator, decided, application in self.ctx.conn.execute(stmt):
                approved[elevator].append((decided, application))
        for row in rows:
            choices = approved.get(row.refs["elevator"], [])
            usable = [a for decided, a in choices if decided <= row.values["period_start"]]
            if usable:
                row.refs["application"] = usable[-1]
            elif choices:
                row.problem("period_start", "import.err.before_approval", approved=choices[0][0].isoformat())
            else:
                row.problem("elevator", "import.err.no_application")

    def lookup(self, rows: list[Row]) -> None:
        stored = self.stored(("policy_no",), {(r.values["policy_no"],) for r in rows})
        cities = self._cities({no for (no,) in stored})
        links = self._links([rec["id"] for rec in stored.values()])
        vouchers = self._vouchers({r.values["premium_reference"] for r in rows if r.values.get("premium_reference")})
        elevators = sorted({r.refs["elevator"] for r in rows})
        stmt = select(Elevator.id, Elevator.building_id).where(Elevator.id.in_(elevators))
        buildings: dict[int, int] = {e: b for e, b in self.ctx.conn.execute(stmt)}
        for row in rows:
            existing = stored.get((row.values["policy_no"],))
            city = cities.get(row.values["policy_no"])
            if existing is not None and city != self.ctx.city.id:
                other = self.ctx.city_label(city) if city is not None else Text("?", "?")
                row.problem("policy_no", "import.err.policy_other_city", other=other, city=self.ctx.city.label)
                continue
            if existing is not None:
                existing["premium_reference"] = links.get(existing["id"])
            row.existing = existing
            self._check_voucher(row, vouchers, buildings[row.refs["elevator"]])

    def _cities(self, policy_nos: set[str]) -> dict[str, int]:
        p = InsurancePolicy
        source = p.__table__.join(Elevator.__table__, Elevator.id == p.elevator_id)
        return cities_of_references(self.ctx.conn, p.policy_no, Elevator.building_id, source, policy_nos)

    def _links(self, policy_ids: list[int]) -> dict[int, str]:
        """The voucher each stored policy is linked to (the first by reference, should there be two)."""
        if not policy_ids:
            return {}
        e = PooledAccountEntry
        stmt = select(e.insurance_policy_id, e.reference).where(e.insurance_policy_id.in_(sorted(policy_ids)))
        links: dict[int, str] = {}
        for policy_id, reference in self.ctx.conn.execute(stmt.order_by(e.reference)):
            links.setdefault(policy_id, reference)
        return links

    def _vouchers(self, references: set[str]) -> dict[str, Voucher]:
        if not references:
            return {}
        e, pa, p = PooledAccountEntry, PooledAccount, InsurancePolicy
        stmt = (
            select(e.reference, e.kind, pa.building_id, p.policy_no)
            .join(pa, pa.id == e.pooled_account_id)
            .outerjoin(p, p.id == e.insurance_policy_id)
            .where(e.reference.in_(sorted(references)))
        )
        return {ref: Voucher(kind, building, no) for ref, kind, building, no in self.ctx.conn.execute(stmt)}

    def _check_voucher(self, row: Row, vouchers: dict[str, Voucher], building_id: int) -> None:
        reference = row.values.get("premium_reference")
        if reference is None:
            return
        first = self.vouchers_seen.setdefault(reference, row.number)
        column = "premium_reference"
        if first != row.number:
            row.problem(column, "import.err.duplicate", first=first, what=VOUCHER)
            return
        voucher = vouchers.get(reference)
        if voucher is None:
            row.problem(column, "import.err.voucher_unknown")
        elif voucher.kind != PooledEntryKind.premium:
            row.problem(column, "import.err.voucher_not_premium")
        elif voucher.building_id != building_id:
            row.problem(column, "import.err.voucher_other_building")
        elif voucher.policy_no not in (None, row.values["policy_no"]):
            row.problem(column, "import.err.voucher_taken", other=voucher.policy_no)

    def same(self, row: Row, present: frozenset[str]) -> bool:
        assert row.existing is not None
        if "premium_reference" in present and row.values.get("premium_reference") != row.existing["premium_reference"]:
            return False
        return super().same(row, present)

    def before_write(self, rows: list[Row]) -> None:
        missing = sorted({r.values["insurer"] for r in rows if r.refs["insurer"] is NEW})
        if missing:
            self.ctx.conn.execute(insert(Insurer), [{"name": n} for n in missing])
            stmt = select(Insurer.name, Insurer.id).where(Insurer.name.in_(missing))
            self.insurers.update({n: i for n, i in self.ctx.conn.execute(stmt)})
        for row in rows:
            if row.refs["insurer"] is NEW:
                row.refs["insurer"] = self.insurers[row.values["insurer"]]

    def write(self, rows: list[Row], present: frozenset[str]) -> None:
        """Insert and update the policies, then point each named premium voucher at its policy (and no other)."""
        super().write(rows, present)
        if "premium_reference" not in present or not rows:
            return
        conn, p = self.ctx.conn, InsurancePolicy
        numbers = sorted({r.values["policy_no"] for r in rows})
        ids: dict[str, int] = {n: i for n, i in conn.execute(select(p.policy_no, p.id).where(p.policy_no.in_(numbers)))}
        conn.execute(
            update(ENTRIES).where(ENTRIES.c.insurance_policy_id == bindparam("_pid")).values(insurance_policy_id=None),
            [{"_pid": ids[n]} for n in numbers],
        )
        links = [
            {"_ref": r.values["premium_reference"], "_pid": ids[r.values["policy_no"]]}
            for r in rows
            if r.values.get("premium_reference")
        ]
        if links:
            stmt = update(ENTRIES).where(ENTRIES.c.reference == bindparam("_ref"))
            conn.execute(stmt.values(insurance_policy_id=bindparam("_pid")), links)

    def record(self, row: Row) -> dict[str, Any]:
        v = row.values
        return {
            "policy_no": v["policy_no"],
            "elevator_id": row.refs["elevator"],
            "application_id": row.refs.get("application"),
            "insurer_id": row.refs["insurer"],
            "period_start": v["period_start"],
            "period_end": v["period_end"] + timedelta(days=1),  # the file's last day of cover → exclusive end
            "premium_fen": v["premium"],
            "cover_fen": v["cover"],
        }

    def counts_extra(self) -> dict[str, int]:
        return {"insurers": len(self.new_insurers)} if self.new_insurers else {}
