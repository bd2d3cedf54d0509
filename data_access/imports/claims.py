"""Insurance claims (理赔): the repairs insurers paid under the elevator maintenance policies, by claim number.

A claim names its policy by number, and the policy must already be stored and be this city's: claims come from
the insurer after the policy was bought, so a bureau loads its policies first (and a policy bought in the product
is as good). The rules are those the insurance desk applies when a clerk records one claim
(`insurance_records.record_claim`), so an imported claim could have been typed in: paid neither before the cover
began nor after today; the fault it answers, if any, is the policy's elevator's and was reported within the cover;
and a policy's claims together never exceed its cover.

The fault is named as the faults template names it — registration code and time reported — with the code taken
from the policy (a policy insures one elevator); the file's registration code column is optional and only
checked against the policy's, which catches a mistyped policy number. The cover is checked against what the
policy's claims will be once the file is in: the stored ones the file does not restate, plus the file's rows so
far (a file restating a stored claim replaces its amount, and a row moving a claim to another policy takes it off
the first). The file is read in batches, so the check runs in file order: the row that takes a policy over its
cover is the one refused, and a stored claim counts at its stored amount until the row restating it is read (a
file lowering a stored claim should list it before the policy's new claims).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar, NamedTuple

from sqlalchemy import Table as SqlTable
from sqlalchemy import select

from data_access.core.clock import CITY_TZ
from data_access.core.models import (
    Building,
    Compound,
    District,
    Elevator,
    ElevatorFault,
    InsuranceClaim,
    InsurancePolicy,
)
from data_access.imports.kinds import CLAIMS
from data_access.imports.ledgers import cities_of_references
from data_access.imports.messages import Text
from data_access.imports.spec import SheetSpec
from data_access.imports.tables import Context, Row, Table, key_condition


class PolicyFound(NamedTuple):
    """What a claim needs of its policy: where it is, what it insures, when, and for how much."""

    id: int
    city_id: int
    elevator_id: int
    registration_code: str
    period_start: date
    period_end: date  # exclusive, as stored
    cover_fen: int


def yuan(fen: int) -> str:
    """An amount as a report shows it: `80,000.00` (exact: the fen never go through a float)."""
    return f"{Decimal(fen) / 100:,.2f}"


class Claims(Table):
    spec: ClassVar[SheetSpec] = CLAIMS
    table: ClassVar[SqlTable] = InsuranceClaim.__table__  # type: ignore[assignment]
    # The fault comes from the fault column (with the policy's elevator); without that column a stored link stays.
    columns: ClassVar[dict[str, str]] = {
        "reference": "reference",
        "insurance_policy_id": "policy_no",
        "paid_on": "paid_on",
        "amount_fen": "amount",
        "kind": "kind",
        "elevator_fault_id": "fault_reported_at",
    }

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        # Per policy the file has touched: claim number → amount, as the policy's claims stand after the rows so far.
        self.paid: dict[int, dict[str, int]] = {}
        self.restated: set[str] = set()  # claim numbers the file has given (a stored amount no longer counts)

    # ----------------------------------------------------------------------- references

    def resolve(self, rows: list[Row]) -> None:
        """Each row's policy (stored, of this city) and the fault it names; the dates against the cover."""
        policies = self._policies(r.values["policy_no"] for r in rows)
        for row in rows:
            policy = self._policy(row, policies)
            row.refs["policy"] = policy
            row.refs["fault"] = None
            if policy is None:
                continue
            code = row.values.get("elevator")
            if code is not None and code != policy.registration_code:
                row.problem("elevator", "import.err.claim_elevator", code=policy.registration_code)
            if row.values["paid_on"] < policy.period_start:
                row.problem("paid_on", "import.err.before_cover", start=policy.period_start.isoformat())
        named = [r for r in rows if r.refs["policy"] is not None and r.values.get("fault_reported_at") is not None]
        self._faults(named)

    def _policy(self, row: Row, policies: dict[str, PolicyFound]) -> PolicyFound | None:
        policy = policies.get(row.values["policy_no"])
        if policy is None:
            row.problem("policy_no", "import.err.policy_unknown")
            return None
        if policy.city_id != self.ctx.city.id:
            other = self.ctx.city_label(policy.city_id)
            row.problem("policy_no", "import.err.claim_policy_other_city", other=other, city=self.ctx.city.label)
            return None
        return policy

    def _policies(self, numbers: Iterable[str]) -> dict[str, PolicyFound]:
        """The stored policies of these numbers, whatever their city (so that another city's is named as such)."""
        wanted = sorted(set(numbers))
        if not wanted:
            return {}
        p = InsurancePolicy
        stmt = (
            select(p.policy_no, p.id, District.city_id, p.elevator_id, Elevator.registration_code)
            .add_columns(p.period_start, p.period_end, p.cover_fen)
            .join(Elevator, Elevator.id == p.elevator_id)
            .join(Building, Building.id == Elevator.building_id)
            .join(Compound, Compound.id == Building.compound_id)
            .join(District, District.id == Compound.district_id)
            .where(p.policy_no.in_(wanted))
        )
        return {number: PolicyFound(*rest) for number, *rest in self.ctx.conn.execute(stmt)}

    def _faults(self, rows: list[Row]) -> None:
        """Set refs["fault"]: the policy's elevator's fault reported at the row's time (the first by id, as the faults
        kind matches it), reported within the cover."""
        keys = {(r.refs["policy"].elevator_id, r.values["fault_reported_at"]) for r in rows}
        found: dict[tuple[int, datetime], int] = {}
        if keys:
            f = ElevatorFault
            columns = [f.elevator_id, f.reported_at]
            stmt = select(f.id, *columns).where(key_condition(columns, keys)).order_by(f.id)
            for fault_id, elevator_id, reported_at in self.ctx.conn.execute(stmt):
                found.setdefault((elevator_id, reported_at), fault_id)
        for row in rows:
            policy: PolicyFound = row.refs["policy"]
            reported: datetime = row.values["fault_reported_at"]
            fault = found.get((policy.elevator_id, reported))
            if fault is None:
                row.problem("fault_reported_at", "import.err.fault_unknown", code=policy.registration_code)
                continue
            if not policy.period_start <= reported.astimezone(CITY_TZ).date() < policy.period_end:
                last = policy.period_end - timedelta(days=1)  # the policy's last day, as its file writes it
                start, end = policy.period_start.isoformat(), last.isoformat()
                row.problem("fault_reported_at", "import.err.fault_outside_cover", start=start, end=end)
                continue
            row.refs["fault"] = fault

    # ----------------------------------------------------------------------- the stored claim, and the cover

    def lookup(self, rows: list[Row]) -> None:
        stored = self.stored(("reference",), {(r.values["reference"],) for r in rows})
        cities = self._cities({ref for (ref,) in stored})
        for row in rows:
            existing = stored.get((row.values["reference"],))
            city = cities.get(row.values["reference"])
            if existing is not None and city != self.ctx.city.id:
                other = self.ctx.city_label(city) if city is not None else Text("?", "?")
                row.problem("reference", "import.err.claim_other_city", other=other, city=self.ctx.city.label)
                continue
            row.existing = existing
        self._within_cover([r for r in rows if not r.problems])

    def _cities(self, references: set[str]) -> dict[str, int]:
        c, p = InsuranceClaim, InsurancePolicy
        source = c.__table__.join(p.__table__, p.id == c.insurance_policy_id).join(
            Elevator.__table__, Elevator.id == p.elevator_id
        )
        return cities_of_references(self.ctx.conn, c.reference, Elevator.building_id, source, references)

    def _within_cover(self, rows: list[Row]) -> None:
        """Refuse the row that takes its policy's claims above the cover (see the module's docstring)."""
        policies = {r.refs["policy"].id for r in rows} | {r.existing["insurance_policy_id"] for r in rows if r.existing}
        self._load_paid(policies - self.paid.keys())
        for row in rows:
            policy: PolicyFound = row.refs["policy"]
            reference, amount = row.values["reference"], row.values["amount"]
            claims = self.paid[policy.id]
            total = sum(claims.values()) - claims.get(reference, 0) + amount
            if total > policy.cover_fen:
                row.problem("amount", "import.err.over_cover", total=yuan(total), cover=yuan(policy.cover_fen))
                continue
            if row.existing is not None:  # a claim moved to another policy no longer counts against the first
                self.paid[row.existing["insurance_policy_id"]].pop(reference, None)
            claims[reference] = amount
            self.restated.add(reference)

    def _load_paid(self, policy_ids: set[int]) -> None:
        """The stored claims of policies the file had not touched yet, less those the file has already restated."""
        for policy_id in policy_ids:
            self.paid[policy_id] = {}
        if not policy_ids:
            return
        c = InsuranceClaim
        stmt = select(c.insurance_policy_id, c.reference, c.amount_fen).where(
            c.insurance_policy_id.in_(sorted(policy_ids))
        )
        for policy_id, reference, amount in self.ctx.conn.execute(stmt):
            if reference not in self.restated:
                self.paid[policy_id][reference] = amount

    # ----------------------------------------------------------------------- writing

    def record(self, row: Row) -> dict[str, Any]:
        v = row.values
        return {
            "reference": v["reference"],
            "insurance_policy_id": row.refs["policy"].id,
            "paid_on": v["paid_on"],
            "amount_fen": v["amount"],
            "kind": v["kind"],
            "elevator_fault_id": row.refs["fault"],
        }
