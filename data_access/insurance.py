"""What the fund centre's pages read: the applications and where each stands, one application in full, the
renewal worklist, what the filing form offers, and the public notice.

Every list is scoped through core.scope (the viewer's area, as `Viewer.area_for` narrowed it); the stage of an
application is derived by core.rules.application_stage from its record, the same rule the writer checks.
Applicants' names and contacts, and objectors' names, are personal data: `redact=True` (the press) leaves them
out here, so no page can show them by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, and_, func, literal, select
from sqlalchemy.orm import Session

from data_access.cache import cached_query
from data_access.core.clock import CITY_TZ
from data_access.core.models import (
    ApplicationDocument,
    ApplicationElevator,
    ApplicationObjection,
    Building,
    City,
    Compound,
    District,
    Elevator,
    ElevatorFault,
    InsuranceApplication,
    InsuranceClaim,
    InsurancePolicy,
    Insurer,
    PooledAccount,
    PooledAccountEntry,
    PooledEntryKind,
    Unit,
)
from data_access.core.rules import (
    REPEAT_FAULTS,
    STAGE_ORDER,
    Stage,
    VoteFigures,
    VoteResult,
    application_stage,
    insured_on,
    pro_rata_refund,
    vote_result,
)
from data_access.core.scope import ON_ELEVATOR, Anchor, Area, within
from data_access.core.sqlfuncs import local_date
from data_access.insurance_eligibility import (
    AccountCheck,
    AccountInfo,
    RuleTerms,
    account_info,
    check_account,
    pooled_balance,
    rule_terms,
    signed_amount,
    succeeded,
)

RENEWAL_WINDOW_DAYS = 60  # the worklist's default horizon (issue 16)
ON_ACCOUNT_BUILDING = Anchor(building=PooledAccount.building_id)


# --------------------------------------------------------------------------- the list


@dataclass(frozen=True)
class ApplicationRow:
    id: int
    compound_id: int
    compound: str
    district: str
    building: str
    unit: str | None
    applicant_type: str
    applicant_name: str | None  # None for the press
    filed_on: date
    notice_from: date | None
    notice_to: date | None
    objections: int
    elevators: int
    policies: int
    decision: str
    decided_on: date | None
    stage: Stage


def _per_application(column: Any, name: str, *conditions: Any) -> Any:
    """(application_id, n): rows of a table per application (its elevators, its policies), as a subquery."""
    return (
        select(column.label("application_id"), func.count().label("n"))
        .where(*conditions)
        .group_by(column)
        .subquery(name)
    )


def application_rows(
    session: Session, area: Area, today: date, redact: bool, limit: int | None = None
) -> list[ApplicationRow]:
    """The area's applications, newest first, each with its stage on `today`."""
    ia = InsuranceApplication
    elevators = _per_application(ApplicationElevator.application_id, "app_elevators")
    policies = _per_application(InsurancePolicy.application_id, "app_policies")
    stmt = (
        select(
            ia.id,
            Compound.id,
            Compound.name,
            District.name,
            Building.number,
            Unit.number,
            ia.applicant_type,
            ia.applicant_name,
            ia.filed_on,
            ia.notice_from,
            ia.notice_to,
            ia.written_objections,
            func.coalesce(elevators.c.n, 0),
            func.coalesce(policies.c.n, 0),
            ia.decision,
            ia.decided_on,
        )
        .join(PooledAccount, PooledAccount.id == ia.pooled_account_id)
        .join(Building, Building.id == PooledAccount.building_id)
        .outerjoin(Unit, Unit.id == PooledAccount.unit_id)
        .join(Compound, Compound.id == Building.compound_id)
        .join(District, District.id == Compound.district_id)
        .outerjoin(elevators, elevators.c.application_id == ia.id)
        .outerjoin(policies, policies.c.application_id == ia.id)
        .order_by(ia.filed_on.desc(), ia.id.desc())
    )
    stmt = within(stmt, area, Anchor(district=Compound.district_id, compound=Compound.id))
    if limit is not None:
        stmt = stmt.limit(limit)
    out = []
    for r in session.execute(stmt):
        decision = r[14].value if hasattr(r[14], "value") else str(r[14])
        stage = application_stage(decision, r[9], r[10], int(r[11]), int(r[13]), today)
        out.append(
            ApplicationRow(
                id=r[0],
                compound_id=r[1],
                compound=r[2],
                district=r[3],
                building=r[4],
                unit=r[5],
                applicant_type=r[6].value if hasattr(r[6], "value") else str(r[6]),
                applicant_name=None if redact else r[7],
                filed_on=r[8],
                notice_from=r[9],
                notice_to=r[10],
                objections=int(r[11]),
                elevators=int(r[12]),
                policies=int(r[13]),
                decision=decision,
                decided_on=r[15],
                stage=stage,
            )
        )
    return out


def stage_funnel(session: Session, area: Area, as_of: date) -> list[tuple[Stage, int, int]]:
    """(stage, applications, elevators) of the area's applications filed by `as_of`, each at its stage on that day:
    a decision counts from its date, a purchase from its first policy's start (the elevator page's funnel, for any
    year). One statement; the stage rule is core.rules.application_stage."""
    ia = InsuranceApplication
    elevators = _per_application(ApplicationElevator.application_id, "stage_elevators")
    bought = _per_application(InsurancePolicy.application_id, "stage_policies", InsurancePolicy.period_start <= as_of)
    stmt = (
        select(
            ia.decision,
            ia.decided_on,
            ia.notice_from,
            ia.notice_to,
            ia.written_objections,
            func.coalesce(bought.c.n, 0),
            func.coalesce(elevators.c.n, 0),
        )
        .join(PooledAccount, PooledAccount.id == ia.pooled_account_id)
        .outerjoin(elevators, elevators.c.application_id == ia.id)
        .outerjoin(bought, bought.c.application_id == ia.id)
        .where(ia.filed_on <= as_of)
    )
    stmt = within(stmt, area, ON_ACCOUNT_BUILDING)
    apps: dict[Stage, int] = dict.fromkeys(STAGE_ORDER, 0)
    lifts: dict[Stage, int] = dict.fromkeys(STAGE_ORDER, 0)
    for decision, decided_on, first, last, objections, policies, n in session.execute(stmt):
        value = decision.value if hasattr(decision, "value") else str(decision)
        if decided_on is None or decided_on > as_of:
            value = "pending"
        posted = first if first is not None and first <= as_of else None
        stage = application_stage(value, posted, last if posted else None, int(objections), int(policies), as_of)
        apps[stage] += 1
        lifts[stage] += int(n)
    return [(s, apps[s], lifts[s]) for s in STAGE_ORDER]


def stage_counts(rows: list[ApplicationRow]) -> list[tuple[Stage, int, int]]:
    """(stage, applications, elevators) in the procedure's order, for the list's summary and the funnel."""
    apps: dict[Stage, int] = dict.fromkeys(STAGE_ORDER, 0)
    lifts: dict[Stage, int] = dict.fromkeys(STAGE_ORDER, 0)
    for r in rows:
        apps[r.stage] += 1
        lifts[r.stage] += r.elevators
    return [(s, apps[s], lifts[s]) for s in STAGE_ORDER]


# --------------------------------------------------------------------------- one application


@dataclass(frozen=True)
class ObjectionRow:
    id: int
    received_on: date
    objector: str | None  # None for the press
    content: str


@dataclass(frozen=True)
class PolicyRow:
    id: int
    policy_no: str
    elevator_code: str
    insurer: str
    period_start: date
    period_end: date
    premium_fen: int
    cover_fen: int
    renews_policy_id: int | None
    claims: int = 0  # repairs the insurer paid under it
    claims_fen: int = 0
    contracted_end: date | None = None  # cancelled: the end it was signed for (period_end is then the cancel day)
    cancel_reason: str | None = None
    refund_fen: int = 0  # the insurer's refund credited to the pooled account on cancellation
    pro_rata_today_fen: int = 0  # the unearned premium if cancelled today (the cancellation form's hint)

    @property
    def cancelled(self) -> bool:
        return self.contracted_end is not None


@dataclass(frozen=True)
class FaultOption:
    """A fault of the application's elevators during one of its policies: what a claim may name."""

    id: int
    policy_id: int
    registration_code: str
    reported_at: datetime
    severity: str
    cause: str


@dataclass(frozen=True)
class DocumentRow:
    id: int
    kind: str
    filename: str
    uploaded_on: date


@dataclass(frozen=True)
class ApplicationView:
    id: int
    account: AccountInfo
    district: str
    applicant_type: str
    applicant_name: str | None
    applicant_contact: str | None
    owner_count: int | None
    filed_on: date
    notice_from: date | None
    notice_to: date | None
    decision: str
    decided_on: date | None
    decision_note: str | None
    stage: Stage
    check: AccountCheck  # the application's elevators judged today (the purchase checks the balance again)
    rule: RuleTerms | None
    balance_fen: int
    objections: list[ObjectionRow]
    vote: VoteFigures | None
    vote_held_on: date | None
    vote_outcome: VoteResult | None
    policies: list[PolicyRow]
    faults: list[FaultOption]  # the latest faults under its policies, for a claim to name
    documents: list[DocumentRow]  # the scans kept with it (none for the press: they name people)


def application_city(session: Session, application_id: int) -> int | None:
    """The city an application's pooled account lies in (None: no such application): who may see it is decided
    from this, cheaply, before the page reads the application in full."""
    return session.scalar(
        select(District.city_id)
        .select_from(InsuranceApplication)
        .join(PooledAccount, PooledAccount.id == InsuranceApplication.pooled_account_id)
        .join(Building, Building.id == PooledAccount.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(InsuranceApplication.id == application_id)
    )


def application_view(
    session: Session, allowed: frozenset[int] | None, application_id: int, today: date, redact: bool
) -> ApplicationView | None:
    """One application in full, or None when it does not exist or lies outside `allowed` (the viewer's cities;
    None: every city) — the same answer, so an id reveals nothing."""
    app = session.get(InsuranceApplication, application_id)
    if app is None:
        return None
    account = account_info(session, app.pooled_account_id)
    if account is None or (allowed is not None and account.city_id not in allowed):
        return None
    district = session.scalar(select(District.name).where(District.id == account.district_id)) or ""
    ids = list(
        session.scalars(select(ApplicationElevator.elevator_id).where(ApplicationElevator.application_id == app.id))
    )
    claims = (
        select(
            InsuranceClaim.insurance_policy_id.label("policy_id"),
            func.count().label("n"),
            func.sum(InsuranceClaim.amount_fen).label("fen"),
        )
        .group_by(InsuranceClaim.insurance_policy_id)
        .subquery("policy_claims")
    )
    refunds = (
        select(
            PooledAccountEntry.insurance_policy_id.label("policy_id"),
            func.sum(PooledAccountEntry.amount_fen).label("fen"),
        )
        .where(PooledAccountEntry.kind == PooledEntryKind.premium_refund)
        .group_by(PooledAccountEntry.insurance_policy_id)
        .subquery("policy_refunds")
    )
    policies = [
        PolicyRow(
            p.id,
            p.policy_no,
            code,
            insurer,
            p.period_start,
            p.period_end,
            p.premium_fen,
            p.cover_fen,
            p.renews_policy_id,
            int(n or 0),
            int(fen or 0),
            p.contracted_end,
            p.cancel_reason,
            int(refund or 0),
            pro_rata_refund(p.premium_fen, p.period_start, p.period_end, today) if p.contracted_end is None else 0,
        )
        for p, code, insurer, n, fen, refund in session.execute(
            select(InsurancePolicy, Elevator.registration_code, Insurer.name, claims.c.n, claims.c.fen, refunds.c.fen)
            .join(Elevator, Elevator.id == InsurancePolicy.elevator_id)
            .join(Insurer, Insurer.id == InsurancePolicy.insurer_id)
            .outerjoin(claims, claims.c.policy_id == InsurancePolicy.id)
            .outerjoin(refunds, refunds.c.policy_id == InsurancePolicy.id)
            .where(InsurancePolicy.application_id == app.id)
            .order_by(InsurancePolicy.period_start, Elevator.registration_code)
        )
    ]
    faults = _policy_faults(session, app.id)
    objections = [
        ObjectionRow(o.id, o.received_on, None if redact else o.objector, o.content)
        for o in session.scalars(
            select(ApplicationObjection)
            .where(ApplicationObjection.application_id == app.id)
            .order_by(ApplicationObjection.received_on, ApplicationObjection.id)
        )
    ]
    stage = application_stage(
        app.decision.value, app.notice_from, app.notice_to, app.written_objections, len(policies), today
    )
    rule = rule_terms(session, account.city_id, app.vote_held_on or today)
    vote = None
    outcome = None
    if app.vote_participants is not None:
        vote = VoteFigures(
            owners_total=app.vote_owners_total or 0,
            area_total=app.vote_area_total or Decimal(0),
            participants=app.vote_participants,
            participant_area=app.vote_participant_area or Decimal(0),
            agree=app.vote_for or 0,
            agree_area=app.vote_for_area or Decimal(0),
        )
        outcome = vote_result(rule, vote) if rule else None
    return ApplicationView(
        id=app.id,
        account=account,
        district=district,
        applicant_type=app.applicant_type.value,
        applicant_name=None if redact else app.applicant_name,
        applicant_contact=None if redact else app.applicant_contact,
        owner_count=app.applicant_owner_count,
        filed_on=app.filed_on,
        notice_from=app.notice_from,
        notice_to=app.notice_to,
        decision=app.decision.value,
        decided_on=app.decided_on,
        decision_note=app.decision_note,
        stage=stage,
        check=check_account(session, account, ids, today, exclude_application=app.id),
        rule=rule,
        balance_fen=pooled_balance(session, account.id),
        objections=objections,
        vote=vote,
        vote_held_on=app.vote_held_on,
        vote_outcome=outcome,
        policies=policies,
        faults=faults,
        documents=[] if redact else _documents(session, app.id),
    )


def _documents(session: Session, application_id: int) -> list[DocumentRow]:
    rows = session.execute(
        select(
            ApplicationDocument.id,
            ApplicationDocument.kind,
            ApplicationDocument.filename,
            ApplicationDocument.uploaded_at,
        )
        .where(ApplicationDocument.application_id == application_id)
        .order_by(ApplicationDocument.uploaded_at, ApplicationDocument.id)
    )
    return [
        DocumentRow(int(i), k.value if hasattr(k, "value") else str(k), name, at.astimezone(CITY_TZ).date())
        for i, k, name, at in rows
    ]


FAULTS_SHOWN = 50


def _policy_faults(session: Session, application_id: int) -> list[FaultOption]:
    """The latest faults of the application's elevators reported while one of its policies was in force (by the
    local day, as the cover is dated)."""
    ip = InsurancePolicy
    day = local_date(ElevatorFault.reported_at)
    stmt = (
        select(
            ElevatorFault.id,
            ip.id,
            Elevator.registration_code,
            ElevatorFault.reported_at,
            ElevatorFault.severity,
            ElevatorFault.cause,
        )
        .join(ip, ip.elevator_id == ElevatorFault.elevator_id)
        .join(Elevator, Elevator.id == ElevatorFault.elevator_id)
        .where(ip.application_id == application_id, day >= ip.period_start, day < ip.period_end)
        .order_by(ElevatorFault.reported_at.desc())
        .limit(FAULTS_SHOWN)
    )
    return [
        FaultOption(int(f), int(p), code, at, sev.value if hasattr(sev, "value") else str(sev), cause)
        for f, p, code, at, sev, cause in session.execute(stmt)
    ]


# --------------------------------------------------------------------------- renewals


@dataclass(frozen=True)
class RenewalRow:
    policy_id: int
    policy_no: str
    application_id: int
    elevator_code: str
    compound: str
    building: str
    unit: str | None
    insurer: str
    period_end: date  # exclusive: the first day without cover
    premium_fen: int
    account_id: int
    balance_fen: int  # the account's balance today
    account_due_fen: int  # the premiums of all the account's policies on the list
    can_pay: bool  # balance ≥ account_due: the account can renew every one of its policies on the list


def renewal_rows(session: Session, area: Area, today: date, within_days: int = RENEWAL_WINDOW_DAYS) -> list[RenewalRow]:
    """Policies whose cover ends within `within_days` of `today` (or ended already, by up to a year, and not
    renewed), not renewed yet, soonest first; each with whether its pooled account can pay every next premium that
    falls on it. Aggregated in SQL: one statement."""
    ip = InsurancePolicy
    renewed = succeeded(ip)
    horizon = today + timedelta(days=within_days)
    due_stmt = (
        select(
            ip.id.label("policy_id"),
            InsuranceApplication.pooled_account_id.label("account_id"),
            ip.premium_fen.label("premium"),
        )
        .join(InsuranceApplication, InsuranceApplication.id == ip.application_id)
        .where(
            ip.period_end <= horizon,
            ip.period_end > today - timedelta(days=365),
            ip.contracted_end.is_(None),  # a cancelled policy is not renewed
            ~renewed,
        )
    )
    due = within(due_stmt, area, Anchor(elevator=ip.elevator_id)).subquery("due")
    per_account = (
        select(due.c.account_id, func.sum(due.c.premium).label("need")).group_by(due.c.account_id).subquery("need")
    )
    balances = (
        select(PooledAccountEntry.pooled_account_id.label("account_id"), func.sum(signed_amount()).label("balance"))
        .where(PooledAccountEntry.pooled_account_id.in_(select(per_account.c.account_id)))
        .group_by(PooledAccountEntry.pooled_account_id)
        .subquery("balances")
    )
    stmt = (
        select(
            ip.id,
            ip.policy_no,
            ip.application_id,
            Elevator.registration_code,
            Compound.name,
            Building.number,
            Unit.number,
            Insurer.name,
            ip.period_end,
            ip.premium_fen,
            due.c.account_id,
            func.coalesce(balances.c.balance, 0),
            per_account.c.need,
        )
        .select_from(due)
        .join(ip, ip.id == due.c.policy_id)
        .join(per_account, per_account.c.account_id == due.c.account_id)
        .outerjoin(balances, balances.c.account_id == due.c.account_id)
        .join(Elevator, Elevator.id == ip.elevator_id)
        .join(PooledAccount, PooledAccount.id == due.c.account_id)
        .join(Building, Building.id == PooledAccount.building_id)
        .outerjoin(Unit, Unit.id == PooledAccount.unit_id)
        .join(Compound, Compound.id == Building.compound_id)
        .join(Insurer, Insurer.id == ip.insurer_id)
        .order_by(ip.period_end, Compound.name, Elevator.registration_code)
    )
    return [
        RenewalRow(
            policy_id=r[0],
            policy_no=r[1],
            application_id=r[2],
            elevator_code=r[3],
            compound=r[4],
            building=r[5],
            unit=r[6],
            insurer=r[7],
            period_end=r[8],
            premium_fen=int(r[9]),
            account_id=int(r[10]),
            balance_fen=int(r[11]),
            account_due_fen=int(r[12]),
            can_pay=int(r[11]) >= int(r[12]),
        )
        for r in session.execute(stmt)
    ]


# --------------------------------------------------------------------------- the filing form


@dataclass(frozen=True)
class AccountOption:
    id: int
    building: str
    unit: str | None
    balance_fen: int


def compound_choices(session: Session, city_id: int) -> list[tuple[int, str]]:
    """The city's compounds that have a pooled account, by name (the filing form's first choice)."""
    stmt = (
        select(Compound.id, Compound.name, District.name)
        .join(District, District.id == Compound.district_id)
        .where(District.city_id == city_id)
        .where(
            select(PooledAccount.id)
            .join(Building, Building.id == PooledAccount.building_id)
            .where(Building.compound_id == Compound.id)
            .exists()
        )
        .order_by(Compound.name, Compound.id)
    )
    return [(cid, f"{name}（{district}）") for cid, name, district in session.execute(stmt)]


def account_choices(session: Session, city_id: int, compound_id: int) -> list[AccountOption]:
    """A compound's pooled accounts (building or unit) with today's balances; none when the compound is not in
    the city (the form cannot reach another city's accounts)."""
    pe = PooledAccountEntry
    balance = (
        select(func.coalesce(func.sum(signed_amount()), 0))
        .where(pe.pooled_account_id == PooledAccount.id)
        .scalar_subquery()
    )
    stmt = (
        select(PooledAccount.id, Building.number, Unit.number, balance)
        .join(Building, Building.id == PooledAccount.building_id)
        .outerjoin(Unit, Unit.id == PooledAccount.unit_id)
        .join(Compound, Compound.id == Building.compound_id)
        .join(District, District.id == Compound.district_id)
        .where(and_(Compound.id == compound_id, District.city_id == city_id))
        .order_by(Building.number, Unit.number)
    )
    return [AccountOption(int(a), b, u, int(bal or 0)) for a, b, u, bal in session.execute(stmt)]


def account_check(session: Session, city_id: int, account_id: int, on: date) -> AccountCheck | None:
    """Every elevator the account serves, judged on `on` (the form's live check); None outside the city."""
    account = account_info(session, account_id)
    if account is None or account.city_id != city_id:
        return None
    return check_account(session, account, None, on, exclude_application=None)


def insurer_choices(session: Session) -> list[tuple[int, str]]:
    return [(i, n) for i, n in session.execute(select(Insurer.id, Insurer.name).order_by(Insurer.name))]


# --------------------------------------------------------------------------- the public notice


@dataclass(frozen=True)
class PublicNotice:
    id: int
    city: str
    city_en: str
    compound: str
    district: str
    building: str
    unit: str | None
    applicant_type: str
    filed_on: date
    notice_from: date
    notice_to: date
    elevators: list[tuple[str, date]]  # registration code, in service since
    annual_premium_fen: int | None  # per elevator, from the rule in force
    cover_per_elevator_fen: int | None
    balance_fen: int


def public_notice(session: Session, application_id: int, today: date) -> PublicNotice | None:
    """What is posted in the building and the compound (seed 002): no personal data. None until posting day."""
    app = session.get(InsuranceApplication, application_id)
    if app is None or app.notice_from is None or app.notice_to is None or app.notice_from > today:
        return None
    account = account_info(session, app.pooled_account_id)
    if account is None:
        return None
    rule = rule_terms(session, account.city_id, app.notice_from)
    district = session.scalar(select(District.name).where(District.id == account.district_id)) or ""
    city, city_en = session.execute(select(City.name, City.name_en).where(City.id == account.city_id)).one()
    elevators = [
        (code, since)
        for code, since in session.execute(
            select(Elevator.registration_code, Elevator.in_service_on)
            .join(ApplicationElevator, ApplicationElevator.elevator_id == Elevator.id)
            .where(ApplicationElevator.application_id == app.id)
            .order_by(Elevator.registration_code)
        )
    ]
    return PublicNotice(
        id=app.id,
        city=city,
        city_en=city_en,
        compound=account.compound_name,
        district=district,
        building=account.building_number,
        unit=account.unit_number,
        applicant_type=app.applicant_type.value,
        filed_on=app.filed_on,
        notice_from=app.notice_from,
        notice_to=app.notice_to,
        elevators=elevators,
        annual_premium_fen=rule.annual_premium_fen if rule else None,
        cover_per_elevator_fen=rule.cover_per_elevator_fen if rule else None,
        balance_fen=pooled_balance(session, account.id, app.notice_from),
    )


# --------------------------------------------------------------------------- alerts for leaders


@dataclass(frozen=True)
class RepeatFaultElevator:
    elevator_id: int
    registration_code: str
    compound: str
    faults: int


@dataclass(frozen=True)
class LeaderAlerts:
    """What needs a decision now (the overview's alert strip): policies about to lapse that their pooled account
    cannot renew, applications whose notice ended without a decision, and uninsured elevators that keep failing."""

    unpayable_30d: int  # policies ending within 30 days whose account cannot pay every premium due on it
    unpayable_60d: int  # … within 60 days (the 30 included)
    notice_ended_undecided: int  # notice over, no objection, no decision yet
    objected_unvoted: int  # a written objection, notice over, no vote recorded
    repeat_fault_count: int  # elevators uninsured today with ≥ REPEAT_FAULTS faults in the last 90 days
    repeat_fault_elevators: list[RepeatFaultElevator]  # the first few of them, most faults first

    @property
    def any(self) -> bool:
        return bool(
            self.unpayable_60d or self.notice_ended_undecided or self.objected_unvoted or self.repeat_fault_count
        )


ALERT_FAULT_DAYS = 90


@cached_query  # on every leader's overview: one entry per area and day until the data change (any insurance write)
def leader_alerts(session: Session, area: Area, today: date, shown: int = 5) -> LeaderAlerts:
    """The overview's alerts on `today` for an area; `shown`: how many repeat-fault elevators to name (the count
    is of all). Built on the same renewal list and stage rule the insurance desk shows."""
    renewals = renewal_rows(session, area, today, RENEWAL_WINDOW_DAYS)
    soon = today + timedelta(days=30)
    unpayable = [r for r in renewals if not r.can_pay and r.period_end > today]
    stages = stage_funnel(session, area, today)
    by_stage = {s: a for s, a, _e in stages}
    ia = InsuranceApplication
    objected_unvoted = int(
        session.scalar(
            within(
                select(func.count())
                .select_from(ia)
                .join(PooledAccount, PooledAccount.id == ia.pooled_account_id)
                .where(
                    ia.decision == "pending",
                    ia.written_objections > 0,
                    ia.notice_to < today,
                    ia.vote_held_on.is_(None),
                ),
                area,
                ON_ACCOUNT_BUILDING,
            )
        )
        or 0
    )
    start = datetime.combine(today - timedelta(days=ALERT_FAULT_DAYS - 1), time(), CITY_TZ)
    end = datetime.combine(today + timedelta(days=1), time(), CITY_TZ)
    faults = func.count(ElevatorFault.id)
    stmt = (
        select(Elevator.id, Elevator.registration_code, Compound.name, faults)
        .join(ElevatorFault, ElevatorFault.elevator_id == Elevator.id)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .where(ElevatorFault.reported_at >= start, ElevatorFault.reported_at < end)
        .where(~insured_on(Elevator.id, literal(today, Date())))
        .group_by(Elevator.id, Elevator.registration_code, Compound.name)
        .having(faults >= REPEAT_FAULTS)
        .order_by(faults.desc(), Elevator.registration_code)
    )
    stmt = within(stmt, area, ON_ELEVATOR)
    repeat = [RepeatFaultElevator(int(i), code, name, int(n)) for i, code, name, n in session.execute(stmt)]
    return LeaderAlerts(
        unpayable_30d=sum(1 for r in unpayable if r.period_end <= soon),
        unpayable_60d=len(unpayable),
        notice_ended_undecided=by_stage.get(Stage.notice_ended, 0),
        objected_unvoted=objected_unvoted,
        repeat_fault_count=len(repeat),
        repeat_fault_elevators=repeat[:shown],
    )
