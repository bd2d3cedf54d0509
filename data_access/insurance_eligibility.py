"""Whether elevators may be insured from a pooled account: the five conditions, each failure with its reason.

Shared by the filing form's live check (pages) and the writer that files an application (insurance_records),
so the clerk sees exactly what the server will decide. The conditions are the ones the elevator page's
funnel counts (`elevator_coverage._funnel_statement`), judged on one account's elevators on one day:

1. the compound has deposited maintenance funds (a deposit booked by that day);
2. the pooled account can pay `min_premium_years` of the tendered annual premium for every elevator it serves
   that is in service;
3. property management is orderly and the elevator's maintenance is normal;
4. the elevator has been in service longer than the warranty (in service on or before the day minus
   `warranty_years`);
5. the insurer's basic conditions are met.

Two more facts make an elevator unavailable although eligible: a policy already in force, and a standing
application (pending, or approved and not yet bought).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from data_access.core.models import (
    ApplicationDecision,
    ApplicationElevator,
    Building,
    Compound,
    District,
    Elevator,
    FundEntryKind,
    InsuranceApplication,
    InsurancePolicy,
    MaintenanceFundEntry,
    PooledAccount,
    PooledAccountEntry,
    ProgrammeRule,
    Unit,
)
from data_access.core.rules import DEFAULT_WARRANTY_YEARS, minus_years, pooled_signed, rule_in_force


class Condition(enum.StrEnum):
    deposit = "deposit"
    account = "account"
    management = "management"
    warranty = "warranty"
    insurer = "insurer"
    insured = "insured"  # a policy is already in force
    applied = "applied"  # another application for it is standing


@dataclass(frozen=True)
class Failure:
    """One condition an elevator fails, with what the reason sentence needs (amounts in fen, dates)."""

    condition: Condition
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ElevatorCheck:
    elevator_id: int
    registration_code: str
    in_service_on: date
    failures: tuple[Failure, ...]

    @property
    def eligible(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class RuleTerms:
    """The parts of the city's programme rule in force that the procedure uses."""

    id: int
    notice_days: int
    min_applicant_owners: int
    min_premium_years: int
    warranty_years: int
    annual_premium_fen: int
    cover_per_elevator_fen: int
    vote_participation_num: int
    vote_participation_den: int
    vote_approval_num: int
    vote_approval_den: int


@dataclass(frozen=True)
class AccountInfo:
    """A pooled account and where it sits (its city decides who may act on it)."""

    id: int
    building_id: int
    unit_id: int | None
    building_number: str
    unit_number: str | None
    compound_id: int
    compound_name: str
    district_id: int
    city_id: int


@dataclass(frozen=True)
class AccountCheck:
    account: AccountInfo
    rule: RuleTerms | None  # None: the city has no programme rule (nothing can be filed)
    on: date
    balance_fen: int
    required_fen: int  # what condition 2 asks the balance to cover
    elevators: tuple[ElevatorCheck, ...]


def account_info(session: Session, account_id: int) -> AccountInfo | None:
    row = session.execute(
        select(
            PooledAccount.id,
            PooledAccount.building_id,
            PooledAccount.unit_id,
            Building.number,
            Unit.number,
            Compound.id,
            Compound.name,
            District.id,
            District.city_id,
        )
        .join(Building, Building.id == PooledAccount.building_id)
        .outerjoin(Unit, Unit.id == PooledAccount.unit_id)
        .join(Compound, Compound.id == Building.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(PooledAccount.id == account_id)
    ).one_or_none()
    return AccountInfo(*row) if row else None


def rule_terms(session: Session, city_id: int, on: date) -> RuleTerms | None:
    """The city's programme rule in force on the day (core.rules.rule_in_force: the funnel's choice)."""
    rules = list(
        session.scalars(
            select(ProgrammeRule).where(ProgrammeRule.city_id == city_id).order_by(ProgrammeRule.effective_from)
        )
    )
    r = rule_in_force(rules, on)
    if r is None:
        return None
    return RuleTerms(
        r.id,
        r.notice_days,
        r.min_applicant_owners,
        r.min_premium_years,
        r.warranty_years,
        r.annual_premium_fen,
        r.cover_per_elevator_fen,
        r.vote_participation_num,
        r.vote_participation_den,
        r.vote_approval_num,
        r.vote_approval_den,
    )


def signed_amount() -> Any:
    """A pooled-account entry as it moves the balance (`core.rules.pooled_signed`)."""
    return pooled_signed(PooledAccountEntry.kind, PooledAccountEntry.amount_fen)


def pooled_balance(session: Session, account_id: int, on: date | None = None) -> int:
    """The account's balance in fen: the sum of its entries (booked by `on`), never a stored figure."""
    stmt = select(func.coalesce(func.sum(signed_amount()), 0)).where(PooledAccountEntry.pooled_account_id == account_id)
    if on is not None:
        stmt = stmt.where(PooledAccountEntry.booked_on <= on)
    return int(session.scalar(stmt) or 0)


def account_elevators(account: AccountInfo) -> Any:
    """The elevators a pooled account serves: a unit account its unit's; a building account the building's
    elevators that have no unit account of their own (the funnel's coalesce(unit account, building account))."""
    if account.unit_id is not None:
        return Elevator.unit_id == account.unit_id
    unit_account = exists().where(PooledAccount.unit_id == Elevator.unit_id, PooledAccount.unit_id.is_not(None))
    return and_(Elevator.building_id == account.building_id, or_(Elevator.unit_id.is_(None), ~unit_account))


def succeeded(policy: Any) -> Any:
    """The policy has a successor: a later policy of the same elevator whose cover starts by the day this one's ends.
    Judged from the dates, not from `renews_policy_id`, so a renewal bought elsewhere and imported (the insurer's
    file has no link) counts as one too."""
    nxt = aliased(InsurancePolicy)
    return (
        select(nxt.id)
        .where(
            nxt.elevator_id == policy.elevator_id,
            nxt.id != policy.id,
            nxt.period_start > policy.period_start,
            nxt.period_start <= policy.period_end,
        )
        .exists()
    )


def standing_application() -> Any:
    """An application that still holds its elevators: pending, or approved and not bought."""
    ia = InsuranceApplication
    bought = exists().where(InsurancePolicy.application_id == ia.id)
    return or_(ia.decision == ApplicationDecision.pending, and_(ia.decision == ApplicationDecision.approved, ~bought))


def check_account(
    session: Session, account: AccountInfo, elevator_ids: list[int] | None, on: date, exclude_application: int | None
) -> AccountCheck:
    """Judge the account's elevators (all it serves, or those named) on `on`. `exclude_application`: the
    application being judged does not count as standing against itself."""
    rule = rule_terms(session, account.city_id, on)
    served = and_(account_elevators(account), Elevator.in_service_on <= on)
    rows = session.execute(
        select(
            Elevator.id,
            Elevator.registration_code,
            Elevator.in_service_on,
            Elevator.maintenance_normal,
            Elevator.insurer_conditions_met,
        )
        .where(served)
        .order_by(Elevator.registration_code)
    ).all()
    n_served = len(rows)
    if elevator_ids is not None:
        wanted = set(elevator_ids)
        rows = [r for r in rows if r.id in wanted]
    balance = pooled_balance(session, account.id, on)
    required = rule.min_premium_years * rule.annual_premium_fen * n_served if rule else 0
    orderly, first_deposit = session.execute(
        select(
            Compound.management_orderly,
            select(func.min(MaintenanceFundEntry.booked_on))
            .join(Building, Building.id == MaintenanceFundEntry.building_id)
            .where(
                Building.compound_id == account.compound_id,
                MaintenanceFundEntry.kind == FundEntryKind.deposit,
                MaintenanceFundEntry.booked_on <= on,
            )
            .scalar_subquery(),
        ).where(Compound.id == account.compound_id)
    ).one()
    ids = [r.id for r in rows]
    in_force: dict[int, date] = {
        int(e): end
        for e, end in session.execute(
            select(InsurancePolicy.elevator_id, func.max(InsurancePolicy.period_end))
            .where(
                InsurancePolicy.elevator_id.in_(ids),
                InsurancePolicy.period_start <= on,
                InsurancePolicy.period_end > on,
            )
            .group_by(InsurancePolicy.elevator_id)
        ).all()
    }
    standing_q = (
        select(ApplicationElevator.elevator_id, func.min(InsuranceApplication.id))
        .join(InsuranceApplication, InsuranceApplication.id == ApplicationElevator.application_id)
        .where(ApplicationElevator.elevator_id.in_(ids), standing_application())
        .group_by(ApplicationElevator.elevator_id)
    )
    if exclude_application is not None:
        standing_q = standing_q.where(InsuranceApplication.id != exclude_application)
    standing: dict[int, int] = {int(e): int(a) for e, a in session.execute(standing_q).all()}
    checks = []
    for r in rows:
        failures: list[Failure] = []
        if first_deposit is None:
            failures.append(Failure(Condition.deposit))
        if r.id not in in_force and rule is not None and balance < required:
            failures.append(Failure(Condition.account, {"balance_fen": balance, "required_fen": required}))
        if not orderly or not r.maintenance_normal:
            params = {"orderly": bool(orderly), "normal": bool(r.maintenance_normal)}
            failures.append(Failure(Condition.management, params))
        warranty_years = rule.warranty_years if rule else DEFAULT_WARRANTY_YEARS
        if r.in_service_on > minus_years(on, warranty_years):
            ends = minus_years(r.in_service_on, -warranty_years)
            failures.append(Failure(Condition.warranty, {"since": r.in_service_on, "until": ends}))
        if not r.insurer_conditions_met:
            failures.append(Failure(Condition.insurer))
        if r.id in in_force:
            failures.append(Failure(Condition.insured, {"until": in_force[r.id]}))
        if r.id in standing:
            failures.append(Failure(Condition.applied, {"application_id": standing[r.id]}))
        checks.append(ElevatorCheck(r.id, r.registration_code, r.in_service_on, tuple(failures)))
    return AccountCheck(account, rule, on, balance, required, tuple(checks))
