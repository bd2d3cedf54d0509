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

from sqlalchemy import Date, and_, case, exists, false, func, literal, null, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from data_access.cache import cached_query
from data_access.core.clock import CITY_TZ
from data_access.core.models import (
    ApplicationDecision,
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
    stmt, _orders, _rank = _desk_statement(today, redact)  # the desk grid's columns; the stage is decided below
    stmt = stmt.order_by(ia.filed_on.desc(), ia.id.desc())
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


# --------------------------------------------------------------------------- the desk's list, a block at a time
#
# The /insurance grid asks for its rows a block at a time (AG Grid's infinite row model): sorted, filtered and cut in
# SQL here, the stage computed by the statement itself (`_stage_rank`, core.rules.application_stage in SQL; the tests
# compare the two on every stage).

APPLICATION_SORTS = (
    "id",
    "compound",
    "district",
    "place",
    "applicant_type",
    "applicant",
    "filed_on",
    "notice",
    "objections",
    "elevators",
    "stage",
)  # what the list can be sorted by (the grid's column fields)
TEXT_FILTER_COLUMNS = ("compound", "district")  # the list's text-filtered columns (the stage filter is `stages`)
TEXT_OPS = ("contains", "notContains", "equals", "notEqual", "startsWith", "endsWith", "blank", "notBlank")


@dataclass(frozen=True)
class TextCondition:
    """One condition of a text filter, as AG Grid's text filter names them (case-insensitive, as the grid is)."""

    op: str  # one of TEXT_OPS
    text: str = ""


@dataclass(frozen=True)
class TextFilter:
    """A column's text filter: its conditions, all of them (or any, `any_of`) to hold."""

    column: str  # one of TEXT_FILTER_COLUMNS
    conditions: tuple[TextCondition, ...]
    any_of: bool = False


@dataclass(frozen=True)
class ApplicationPage:
    rows: list[ApplicationRow]  # the block asked for
    total: int  # every application matching the filters


def _stage_rank(today: date, bought: ColumnElement[bool]) -> ColumnElement[int]:
    """The application's stage on `today` as its index in STAGE_ORDER: core.rules.application_stage in SQL
    (`bought`: it has a policy)."""
    ia = InsuranceApplication
    rank = {s: i for i, s in enumerate(STAGE_ORDER)}
    return case(
        (and_(ia.decision == ApplicationDecision.approved, bought), rank[Stage.purchased]),
        (ia.decision == ApplicationDecision.approved, rank[Stage.approved]),
        (ia.decision == ApplicationDecision.vote_failed, rank[Stage.vote_failed]),
        (ia.decision == ApplicationDecision.refused, rank[Stage.refused]),
        (ia.decision == ApplicationDecision.withdrawn, rank[Stage.withdrawn]),
        (or_(ia.notice_from.is_(None), ia.notice_to.is_(None), ia.notice_from > today), rank[Stage.filed]),
        (ia.written_objections != 0, rank[Stage.objected]),
        (ia.notice_to >= today, rank[Stage.in_notice]),
        else_=rank[Stage.notice_ended],
    )


def _text_condition(column: Any, c: TextCondition) -> ColumnElement[bool] | None:
    if c.op == "blank":
        return or_(column.is_(None), column == "")
    if c.op == "notBlank":
        return and_(column.is_not(None), column != "")
    text = c.text.strip().lower()
    if not text:
        return None  # an empty condition filters nothing (as in the grid)
    low = func.lower(column)
    if c.op == "contains":
        return low.contains(text, autoescape=True)
    if c.op == "notContains":
        return ~low.contains(text, autoescape=True)
    if c.op == "equals":
        return low == text
    if c.op == "notEqual":
        return low != text
    if c.op == "startsWith":
        return low.startswith(text, autoescape=True)
    if c.op == "endsWith":
        return low.endswith(text, autoescape=True)
    return None


def _filter_condition(column: Any, f: TextFilter) -> ColumnElement[bool] | None:
    parts = [c for c in (_text_condition(column, x) for x in f.conditions) if c is not None]
    if not parts:
        return None
    return or_(*parts) if f.any_of else and_(*parts)


def _nulls_last(expr: Any, descending: bool) -> list[Any]:
    """Order by `expr`, empty values last in either direction (as the grids show them; the engines differ)."""
    return [case((expr.is_(None), 1), else_=0), expr.desc() if descending else expr.asc()]


def _desk_statement(today: date, redact: bool) -> tuple[Any, dict[str, list[Any]], Any]:
    """The list's statement (every application, not scoped yet), what each sort key orders by, and the stage."""
    ia = InsuranceApplication
    elevators = _per_application(ApplicationElevator.application_id, "desk_elevators")
    policies = _per_application(InsurancePolicy.application_id, "desk_policies")
    n_elevators = func.coalesce(elevators.c.n, 0)
    n_policies = func.coalesce(policies.c.n, 0)
    rank = _stage_rank(today, n_policies > 0)
    stmt = (
        select(
            ia.id,
            Compound.id,
            Compound.name,
            District.name,
            Building.number,
            Unit.number,
            ia.applicant_type,
            null() if redact else ia.applicant_name,
            ia.filed_on,
            ia.notice_from,
            ia.notice_to,
            ia.written_objections,
            n_elevators,
            n_policies,
            ia.decision,
            ia.decided_on,
            rank,
            func.count().over(),
        )
        .select_from(ia)
        .join(PooledAccount, PooledAccount.id == ia.pooled_account_id)
        .join(Building, Building.id == PooledAccount.building_id)
        .outerjoin(Unit, Unit.id == PooledAccount.unit_id)
        .join(Compound, Compound.id == Building.compound_id)
        .join(District, District.id == Compound.district_id)
        .outerjoin(elevators, elevators.c.application_id == ia.id)
        .outerjoin(policies, policies.c.application_id == ia.id)
    )
    orders: dict[str, list[Any]] = {
        "id": [ia.id],
        "compound": [Compound.name],
        "district": [District.name],
        "place": [Building.number, Unit.number],
        "applicant_type": [ia.applicant_type],
        "filed_on": [ia.filed_on],
        "notice": [ia.notice_from, ia.notice_to],
        "objections": [ia.written_objections],
        "elevators": [n_elevators],
        "stage": [rank],
    }
    if not redact:  # the press may not learn even the order of names
        orders["applicant"] = [ia.applicant_name]
    return stmt, orders, rank


def application_page(
    session: Session,
    area: Area,
    today: date,
    redact: bool,
    *,
    start: int = 0,
    count: int = 100,
    sort: tuple[tuple[str, bool], ...] = (),
    filters: tuple[TextFilter, ...] = (),
    stages: frozenset[Stage] | None = None,
) -> ApplicationPage:
    """Rows start:start+count of the area's applications in the order `sort` asks ((key of APPLICATION_SORTS,
    descending), first key first; then newest first, as application_rows), of those matching `filters` and, if
    given, at one of `stages` on `today`; with how many match. One statement (a second only for a block past the
    end)."""
    ia = InsuranceApplication
    stmt, orders, rank = _desk_statement(today, redact)
    columns = {"compound": Compound.name, "district": District.name}
    for f in filters:
        if f.column in columns:
            cond = _filter_condition(columns[f.column], f)
            if cond is not None:
                stmt = stmt.where(cond)
    if stages is not None:
        stmt = stmt.where(rank.in_(sorted(STAGE_ORDER.index(s) for s in stages)) if stages else false())
    stmt = within(stmt, area, Anchor(district=Compound.district_id, compound=Compound.id))
    order: list[Any] = []
    for key, descending in sort:
        for expr in orders.get(key, []):
            order += _nulls_last(expr, descending)
    order += [ia.filed_on.desc(), ia.id.desc()]
    page = list(session.execute(stmt.order_by(*order).offset(max(0, start)).limit(max(0, count))))
    if page:
        total = int(page[0][17])
    elif start > 0:
        total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    else:
        total = 0
    rows = [
        ApplicationRow(
            id=r[0],
            compound_id=r[1],
            compound=r[2],
            district=r[3],
            building=r[4],
            unit=r[5],
            applicant_type=str(r[6].value if hasattr(r[6], "value") else r[6]),
            applicant_name=None if redact else r[7],
            filed_on=r[8],
            notice_from=r[9],
            notice_to=r[10],
            objections=int(r[11]),
            elevators=int(r[12]),
            policies=int(r[13]),
            decision=str(r[14].value if hasattr(r[14], "value") else r[14]),
            decided_on=r[15],
            stage=STAGE_ORDER[int(r[16])],
        )
        for r in page
    ]
    return ApplicationPage(rows, total)


def stage_totals(session: Session, area: Area, today: date) -> list[tuple[Stage, int, int]]:
    """(stage, applications, elevators) of the area's applications at their stage on `today`, in the procedure's
    order: stage_counts(application_rows(…)) aggregated in SQL, one statement."""
    ia = InsuranceApplication
    elevators = _per_application(ApplicationElevator.application_id, "total_elevators")
    bought = exists().where(InsurancePolicy.application_id == ia.id)
    per_app = within(
        select(_stage_rank(today, bought).label("stage"), func.coalesce(elevators.c.n, 0).label("n"))
        .select_from(ia)
        .join(PooledAccount, PooledAccount.id == ia.pooled_account_id)
        .outerjoin(elevators, elevators.c.application_id == ia.id),
        area,
        ON_ACCOUNT_BUILDING,
    ).subquery("per_app")
    found = {
        int(stage): (int(apps), int(lifts or 0))
        for stage, apps, lifts in session.execute(
            select(per_app.c.stage, func.count(), func.sum(per_app.c.n)).group_by(per_app.c.stage)
        )
    }
    return [(s, *found.get(i, (0, 0))) for i, s in enumerate(STAGE_ORDER)]


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


RENEWALS_SHOWN = 100  # the worklist's rows on the page (five pages of 20); a search finds the others


@dataclass(frozen=True)
class RenewalList:
    """The first rows of the renewal worklist, and what they are the first of."""

    rows: list[RenewalRow]  # the first `shown` policies matching the search, soonest first
    matching: int  # policies on the worklist matching the search (every one without a search)
    unable_accounts: int  # pooled accounts among those that cannot pay every renewal due on them


def _renewal_due(area: Area, today: date, within_days: int) -> Any:
    """(policy_id, account_id, premium, period_end) of the policies on the worklist; see renewal_rows."""
    ip = InsurancePolicy
    horizon = today + timedelta(days=within_days)
    due_stmt = (
        select(
            ip.id.label("policy_id"),
            InsuranceApplication.pooled_account_id.label("account_id"),
            ip.premium_fen.label("premium"),
            ip.period_end.label("period_end"),
        )
        .join(InsuranceApplication, InsuranceApplication.id == ip.application_id)
        .where(
            ip.period_end <= horizon,
            ip.period_end > today - timedelta(days=365),
            ip.contracted_end.is_(None),  # a cancelled policy is not renewed
            ~succeeded(ip),
        )
    )
    # A common table expression: the statements read it three times (the rows, each account's need, the balances of
    # those accounts), and both engines compute a CTE read more than once only once.
    return within(due_stmt, area, Anchor(elevator=ip.elevator_id)).cte("due")


def _account_needs(due: Any) -> tuple[Any, Any]:
    """Per account on the worklist: what all its renewals due need, and its balance today (subqueries)."""
    per_account = (
        select(due.c.account_id, func.sum(due.c.premium).label("need")).group_by(due.c.account_id).subquery("need")
    )
    balances = (
        select(PooledAccountEntry.pooled_account_id.label("account_id"), func.sum(signed_amount()).label("balance"))
        .where(PooledAccountEntry.pooled_account_id.in_(select(per_account.c.account_id)))
        .group_by(PooledAccountEntry.pooled_account_id)
        .subquery("balances")
    )
    return per_account, balances


def _renewal_statement(area: Area, today: date, within_days: int, search: str = "") -> Any:
    """The worklist's rows (RenewalRow's columns), unordered; `search`: every word in the policy number, the
    elevator's code, the compound's or the insurer's name."""
    ip = InsurancePolicy
    due = _renewal_due(area, today, within_days)
    per_account, balances = _account_needs(due)
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
            func.coalesce(balances.c.balance, 0).label("balance"),
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
    )
    for word in search.lower().split()[:8]:
        stmt = stmt.where(
            or_(
                *(
                    func.lower(column).contains(word, autoescape=True)
                    for column in (ip.policy_no, Elevator.registration_code, Compound.name, Insurer.name)
                )
            )
        )
    return stmt


def _renewal_row(r: Any) -> RenewalRow:
    return RenewalRow(
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


def renewal_rows(session: Session, area: Area, today: date, within_days: int = RENEWAL_WINDOW_DAYS) -> list[RenewalRow]:
    """Policies whose cover ends within `within_days` of `today` (or ended already, by up to a year, and not
    renewed), not renewed yet, soonest first; each with whether its pooled account can pay every next premium that
    falls on it. Aggregated in SQL: one statement."""
    stmt = _renewal_statement(area, today, within_days)
    ip = InsurancePolicy
    stmt = stmt.order_by(ip.period_end, Compound.name, Elevator.registration_code)
    return [_renewal_row(r) for r in session.execute(stmt)]


def renewal_list(
    session: Session,
    area: Area,
    today: date,
    within_days: int = RENEWAL_WINDOW_DAYS,
    search: str = "",
    shown: int = RENEWALS_SHOWN,
) -> RenewalList:
    """The first `shown` rows of renewal_rows matching `search` (whether an account can pay is judged on all its
    renewals due, found or not), how many match, and how many of their accounts cannot pay. One statement: the
    counts are window aggregates over the matching rows, taken before the cut."""
    ip = InsurancePolicy
    base = _renewal_statement(area, today, within_days, search)
    first_of_account = func.row_number().over(partition_by=base.selected_columns.account_id, order_by=ip.id)
    inner = base.add_columns(first_of_account.label("first_of_account")).subquery("matching")
    columns = list(inner.c)[:13]  # RenewalRow's, in its order
    unable = case((and_(inner.c.first_of_account == 1, inner.c.balance < inner.c.need), 1), else_=0)
    stmt = (
        select(*columns, func.count().over(), func.sum(unable).over())
        .order_by(columns[8], columns[4], columns[3])  # cover's end, compound, elevator: as renewal_rows
        .limit(max(0, shown))
    )
    found = list(session.execute(stmt))
    if not found:
        return RenewalList([], 0, 0)
    return RenewalList([_renewal_row(r) for r in found], int(found[0][13]), int(found[0][14] or 0))


def _unpayable(session: Session, area: Area, today: date) -> tuple[int, int]:
    """(within 30 days, within 60 days): policies on the 60-day worklist, cover not over yet, whose account cannot
    pay every renewal due on it — leader_alerts' count of renewal_rows, aggregated in SQL."""
    due = _renewal_due(area, today, RENEWAL_WINDOW_DAYS)
    per_account, balances = _account_needs(due)
    soon = today + timedelta(days=30)
    stmt = (
        select(
            func.count(),
            func.coalesce(func.sum(case((due.c.period_end <= soon, 1), else_=0)), 0),
        )
        .select_from(due)
        .join(per_account, per_account.c.account_id == due.c.account_id)
        .outerjoin(balances, balances.c.account_id == due.c.account_id)
        .where(func.coalesce(balances.c.balance, 0) < per_account.c.need, due.c.period_end > today)
    )
    n60, n30 = session.execute(stmt).one()
    return int(n30 or 0), int(n60 or 0)


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


def _undecided(session: Session, area: Area, today: date) -> tuple[int, int]:
    """(notice over without objection and undecided, objected and no vote recorded) on `today`: the first is
    stage_funnel's notice_ended count (a decision dated after `today` still counts as pending), both in one
    statement."""
    ia = InsuranceApplication
    pending_then = or_(
        ia.decision == ApplicationDecision.pending, ia.decided_on.is_(None), ia.decided_on > today
    )  # as stage_funnel reads a record on a day
    notice_ended = and_(
        ia.filed_on <= today,
        pending_then,
        ia.notice_from <= today,
        ia.notice_to < today,
        ia.written_objections == 0,
    )
    unvoted = and_(
        ia.decision == ApplicationDecision.pending,
        ia.written_objections > 0,
        ia.notice_to < today,
        ia.vote_held_on.is_(None),
    )
    stmt = within(
        select(
            func.coalesce(func.sum(case((notice_ended, 1), else_=0)), 0),
            func.coalesce(func.sum(case((unvoted, 1), else_=0)), 0),
        )
        .select_from(ia)
        .join(PooledAccount, PooledAccount.id == ia.pooled_account_id)
        .where(ia.notice_to < today),
        area,
        ON_ACCOUNT_BUILDING,
    )
    ended, objected = session.execute(stmt).one()
    return int(ended or 0), int(objected or 0)


def _repeat_faults(session: Session, area: Area, today: date) -> list[RepeatFaultElevator]:
    """Elevators uninsured on `today` with ≥ REPEAT_FAULTS faults in the ALERT_FAULT_DAYS ending on it, most faults
    first. The faults are counted per elevator first (a range of the reported_at index), then only those with
    enough are named, scoped and checked for a policy."""
    start = datetime.combine(today - timedelta(days=ALERT_FAULT_DAYS - 1), time(), CITY_TZ)
    end = datetime.combine(today + timedelta(days=1), time(), CITY_TZ)
    counted = (
        select(ElevatorFault.elevator_id.label("elevator_id"), func.count().label("n"))
        .where(ElevatorFault.reported_at >= start, ElevatorFault.reported_at < end)
        .group_by(ElevatorFault.elevator_id)
        .having(func.count() >= REPEAT_FAULTS)
        .subquery("repeat_faults")
    )
    stmt = (
        select(Elevator.id, Elevator.registration_code, Compound.name, counted.c.n)
        .select_from(counted)
        .join(Elevator, Elevator.id == counted.c.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .where(~insured_on(Elevator.id, literal(today, Date())))
        .order_by(counted.c.n.desc(), Elevator.registration_code)
    )
    stmt = within(stmt, area, ON_ELEVATOR)
    return [RepeatFaultElevator(int(i), code, name, int(n)) for i, code, name, n in session.execute(stmt)]


@cached_query  # on every leader's overview: one entry per area and day until the data change (any insurance write)
def leader_alerts(session: Session, area: Area, today: date, shown: int = 5) -> LeaderAlerts:
    """The overview's alerts on `today` for an area; `shown`: how many repeat-fault elevators to name (the count
    is of all). The same renewal worklist and stage rule the insurance desk shows, counted in SQL: three
    statements."""
    unpayable_30d, unpayable_60d = _unpayable(session, area, today)
    notice_ended, objected_unvoted = _undecided(session, area, today)
    repeat = _repeat_faults(session, area, today)
    return LeaderAlerts(
        unpayable_30d=unpayable_30d,
        unpayable_60d=unpayable_60d,
        notice_ended_undecided=notice_ended,
        objected_unvoted=objected_unvoted,
        repeat_fault_count=len(repeat),
        repeat_fault_elevators=repeat[:shown],
    )
