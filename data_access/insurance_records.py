"""The insurance procedure as the fund centre runs it: file, post the notice, record objections and the owners'
vote, conclude, buy from the pooled account, renew, cancel with a refund, record claims.

Every function takes the signed-in `Viewer` and checks it itself (`Viewer.may_insure_for`: the city's fund
centre only), validates the whole input and raises `Refused` with every problem before writing a row, then
writes in the caller's transaction with an audit entry; the caller commits or rolls back. A purchase or renewal
locks the pooled account first (`_lock_account`), so two purchases racing for one account are served one after
the other and the second sees the first's debit: the balance, a sum of entries, can never go below zero.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from data_access.core.clock import CITY_TZ
from data_access.core.dataset import bump_documents_generation
from data_access.core.models import (
    ApplicantType,
    ApplicationDecision,
    ApplicationDocument,
    ApplicationElevator,
    ApplicationObjection,
    ClaimKind,
    DocumentKind,
    ElevatorFault,
    InsuranceApplication,
    InsuranceClaim,
    InsurancePolicy,
    Insurer,
    PooledAccount,
    PooledAccountEntry,
    PooledEntryKind,
)
from data_access.core.rules import Stage, VoteFigures, application_stage, minus_years, vote_result
from data_access.insurance_eligibility import (
    AccountInfo,
    account_info,
    check_account,
    pooled_balance,
    rule_terms,
    succeeded,
)
from data_access.rollup_refresh import refresh_after_write
from data_access.uploads import ATTACHMENT_MAX_BYTES, display_name, sniff_type, store_file
from data_access.users import AccessDenied, Viewer, audit

NAME_MAX = 60
CONTENT_MAX = 2_000
NOTE_MAX = 200
ELEVATORS_MAX = 200
MONEY_MAX_FEN = 100_000_000_00  # 1亿元: far above any premium or cover; catches a typo of several zeros
AREA_MAX = Decimal("10000000")  # m²


@dataclass(frozen=True)
class Problem:
    """Why a write was refused: a catalogue key (components/messages_insurance.py), its parameters, the field."""

    field: str
    key: str
    # `dataclasses.field`: the attribute above shadows the bare name inside this class body.
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


class Refused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.key for p in problems))
        self.problems = problems


class NotFound(Exception):
    """No such application or policy in the viewer's reach (the same answer either way)."""


def _refuse(field_name: str, key: str, **params: Any) -> Refused:
    return Refused([Problem(field_name, key, params)])


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class ApplicationInput:
    pooled_account_id: int | None
    elevator_ids: list[int]
    applicant_type: str | None
    applicant_name: str
    applicant_contact: str
    owner_count: int | None
    filed_on: date | None


@dataclass(frozen=True)
class PurchaseInput:
    insurer_id: int | None
    period_start: date | None
    premium_fen: int | None  # per elevator per year
    cover_fen: int | None  # per elevator per year
    paid_on: date | None  # the day the premium is debited


# --------------------------------------------------------------------------- helpers


def _check_city(viewer: Viewer, account: AccountInfo | None) -> AccountInfo:
    if account is None:
        raise NotFound("no such pooled account")
    if not viewer.may_insure_for(account.city_id):
        raise AccessDenied("only the city's fund centre runs its insurance applications")
    return account


def _application(session: Session, viewer: Viewer, application_id: int) -> tuple[InsuranceApplication, AccountInfo]:
    """The application, locked for this transaction (PostgreSQL; SQLite serialises writers), and its account —
    after the viewer's check, which answers 'not found' for another city's application."""
    app = session.scalar(
        select(InsuranceApplication).where(InsuranceApplication.id == application_id).with_for_update()
    )
    account = account_info(session, app.pooled_account_id) if app is not None else None
    allowed = viewer.allowed_city_ids()
    if app is None or account is None or (allowed is not None and account.city_id not in allowed):
        raise NotFound("no such application")
    if not viewer.may_insure_for(account.city_id):
        raise AccessDenied("only the city's fund centre runs its insurance applications")
    return app, account


def _policies_of(session: Session, application_id: int) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(InsurancePolicy).where(InsurancePolicy.application_id == application_id)
        )
        or 0
    )


def stage_of(session: Session, app: InsuranceApplication, today: date) -> Stage:
    return application_stage(
        app.decision.value,
        app.notice_from,
        app.notice_to,
        app.written_objections,
        _policies_of(session, app.id),
        today,
    )


def _lock_account(session: Session, account_id: int) -> None:
    """Take the pooled account's row lock before reading its balance: a no-op UPDATE, which on PostgreSQL waits
    for any other transaction holding the row and on SQLite begins the write transaction (taking the database's
    write lock, waiting up to the busy timeout), so the balance read next includes every committed debit."""
    session.execute(
        update(PooledAccount).where(PooledAccount.id == account_id).values(opened_on=PooledAccount.opened_on),
        execution_options={"synchronize_session": False},
    )


def _audit(session: Session, viewer: Viewer, action: str, entity: str, entity_id: int, detail: dict[str, Any]) -> None:
    audit(session, action, entity, entity_id, user_id=viewer.id, username=viewer.username, detail=detail)
    session.flush()


def _text(value: str | None, limit: int, field_name: str, problems: list[Problem], required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        problems.append(Problem(field_name, "ins.err.required"))
    elif len(text) > limit:
        problems.append(Problem(field_name, "ins.err.too_long", {"n": limit}))
    return text


def new_policy_no(start: date) -> str:
    """A policy number the product makes itself (an imported policy keeps the insurer's): unique without
    coordination, recognisably the product's own."""
    return f"SYS-{start.year}-{uuid.uuid4().hex[:16].upper()}"


# --------------------------------------------------------------------------- filing


def file_application(session: Session, viewer: Viewer, inp: ApplicationInput, today: date) -> int:
    """Record an application after checking who applies and every elevator against the five conditions; refused
    (nothing written) with each failing elevator's reasons when any elevator is not eligible."""
    problems: list[Problem] = []
    if inp.pooled_account_id is None:
        raise _refuse("account", "ins.err.account_required")
    account = _check_city(viewer, account_info(session, inp.pooled_account_id))
    if inp.applicant_type not in {t.value for t in ApplicantType}:
        problems.append(Problem("applicant_type", "ins.err.required"))
    name = _text(inp.applicant_name, NAME_MAX, "applicant_name", problems, required=True)
    contact = _text(inp.applicant_contact, NAME_MAX, "applicant_contact", problems)
    filed_on = inp.filed_on
    if filed_on is None:
        problems.append(Problem("filed_on", "ins.err.required"))
    elif filed_on > today:
        problems.append(Problem("filed_on", "ins.err.future", {"day": today}))
    on = filed_on if filed_on is not None and filed_on <= today else today
    rule = rule_terms(session, account.city_id, on)
    if rule is None:
        raise _refuse("account", "ins.err.no_rule")
    if inp.applicant_type == ApplicantType.unit_owners.value:
        if account.unit_id is None:
            problems.append(Problem("applicant_type", "ins.err.owners_need_unit"))
        if inp.owner_count is None or inp.owner_count < rule.min_applicant_owners:
            problems.append(Problem("owner_count", "ins.err.owner_count", {"n": rule.min_applicant_owners}))
    ids = sorted(set(inp.elevator_ids))
    if not ids:
        problems.append(Problem("elevators", "ins.err.no_elevators"))
    elif len(ids) > ELEVATORS_MAX:
        problems.append(Problem("elevators", "ins.err.too_many", {"n": ELEVATORS_MAX}))
    check = check_account(session, account, ids, on, exclude_application=None)
    known = {e.elevator_id for e in check.elevators}
    if ids and known != set(ids):
        problems.append(Problem("elevators", "ins.err.not_served"))
    for e in check.elevators:
        for f in e.failures:
            params = {"code": e.registration_code, **f.params}
            problems.append(Problem("elevators", f"ins.fail.{f.condition.value}", params))
    if problems:
        raise Refused(problems)
    assert filed_on is not None
    app = InsuranceApplication(
        pooled_account_id=account.id,
        applicant_type=ApplicantType(inp.applicant_type or ""),
        applicant_owner_count=inp.owner_count if inp.applicant_type == ApplicantType.unit_owners.value else None,
        applicant_name=name,
        applicant_contact=contact or None,
        filed_on=filed_on,
        filed_by_id=viewer.id,
        written_objections=0,
        decision=ApplicationDecision.pending,
    )
    session.add(app)
    session.flush()
    session.add_all(ApplicationElevator(application_id=app.id, elevator_id=i) for i in ids)
    _audit(
        session,
        viewer,
        "file",
        "insurance_application",
        app.id,
        {
            "account": account.id,
            "elevators": ids,
            "applicant_type": inp.applicant_type,
            "filed_on": filed_on.isoformat(),
        },
    )
    session.flush()
    refresh_after_write(session)  # the funnel counts applied elevators
    return app.id


# --------------------------------------------------------------------------- notice, objections, vote, decision


def post_notice(session: Session, viewer: Viewer, application_id: int, notice_from: date | None, today: date) -> date:
    """Post the application for the city's notice period (notice_days, counted from the first day); returns its
    last day."""
    app, account = _application(session, viewer, application_id)
    stage = stage_of(session, app, today)
    if stage != Stage.filed:
        raise _refuse("notice_from", "ins.err.stage", stage=stage.value)
    if notice_from is None:
        raise _refuse("notice_from", "ins.err.required")
    if notice_from < app.filed_on:
        raise _refuse("notice_from", "ins.err.before_filing", day=app.filed_on)
    if notice_from > today + timedelta(days=30):
        raise _refuse("notice_from", "ins.err.too_far")
    rule = rule_terms(session, account.city_id, notice_from)
    if rule is None:
        raise _refuse("notice_from", "ins.err.no_rule")
    app.notice_from = notice_from
    app.notice_to = notice_from + timedelta(days=rule.notice_days - 1)
    _audit(
        session,
        viewer,
        "post_notice",
        "insurance_application",
        app.id,
        {"notice_from": notice_from.isoformat(), "notice_to": app.notice_to.isoformat(), "days": rule.notice_days},
    )
    session.flush()
    refresh_after_write(session, rollups_affected=False)  # stages are counted from the raw records
    return app.notice_to


def record_objection(
    session: Session,
    viewer: Viewer,
    application_id: int,
    received_on: date | None,
    objector: str,
    content: str,
    today: date,
    now: datetime,
) -> int:
    """A written objection received within the notice period; the case then waits for the owners' vote."""
    app, _account = _application(session, viewer, application_id)
    stage = stage_of(session, app, today)
    if stage not in (Stage.in_notice, Stage.objected, Stage.notice_ended):
        raise _refuse("received_on", "ins.err.stage", stage=stage.value)
    problems: list[Problem] = []
    objector_text = _text(objector, NAME_MAX, "objector", problems)
    content_text = _text(content, CONTENT_MAX, "content", problems, required=True)
    assert app.notice_from is not None and app.notice_to is not None
    if received_on is None:
        problems.append(Problem("received_on", "ins.err.required"))
    elif not (app.notice_from <= received_on <= app.notice_to):
        problems.append(
            Problem("received_on", "ins.err.outside_notice", {"start": app.notice_from, "end": app.notice_to})
        )
    elif received_on > today:
        problems.append(Problem("received_on", "ins.err.future", {"day": today}))
    if problems:
        raise Refused(problems)
    assert received_on is not None
    row = ApplicationObjection(
        application_id=app.id,
        received_on=received_on,
        objector=objector_text or None,
        content=content_text,
        recorded_by_id=viewer.id,
        recorded_at=now,
    )
    session.add(row)
    app.written_objections = app.written_objections + 1
    session.flush()
    _audit(
        session, viewer, "object", "insurance_application", app.id, {"objection": row.id, "on": received_on.isoformat()}
    )
    refresh_after_write(session, rollups_affected=False)
    return row.id


def conclude_notice(session: Session, viewer: Viewer, application_id: int, today: date) -> None:
    """The notice period is over without a written objection: the application is approved (seed 002)."""
    app, _account = _application(session, viewer, application_id)
    stage = stage_of(session, app, today)
    if stage != Stage.notice_ended:
        key = "ins.err.notice_running" if stage == Stage.in_notice else "ins.err.stage"
        raise _refuse("decision", key, stage=stage.value, day=app.notice_to)
    app.decision = ApplicationDecision.approved
    app.decided_on = today
    _audit(session, viewer, "approve", "insurance_application", app.id, {"by": "no_objection", "on": today.isoformat()})
    session.flush()
    refresh_after_write(session)


@dataclass(frozen=True)
class VoteInput:
    held_on: date | None
    owners_total: int | None
    area_total: Decimal | None
    participants: int | None
    participant_area: Decimal | None
    agree: int | None
    agree_area: Decimal | None


def record_vote(session: Session, viewer: Viewer, application_id: int, v: VoteInput, today: date) -> bool:
    """Record the owners' vote after an objection; the decision is computed from the figures by the city's rule
    (core.rules.vote_result), never typed. Returns whether it passed."""
    app, account = _application(session, viewer, application_id)
    stage = stage_of(session, app, today)
    if stage != Stage.objected:
        raise _refuse("held_on", "ins.err.stage", stage=stage.value)
    problems: list[Problem] = []
    counts = {"owners_total": v.owners_total, "participants": v.participants, "agree": v.agree}
    areas = {"area_total": v.area_total, "participant_area": v.participant_area, "agree_area": v.agree_area}
    for name, value in counts.items():
        if value is None:
            problems.append(Problem(name, "ins.err.required"))
        elif value < 0 or value > 1_000_000:
            problems.append(Problem(name, "ins.err.count_range"))
    for name, area in areas.items():
        if area is None:
            problems.append(Problem(name, "ins.err.required"))
        elif area < 0 or area > AREA_MAX or area != area.quantize(Decimal("0.01")):
            problems.append(Problem(name, "ins.err.area_range"))
    if v.owners_total == 0:
        problems.append(Problem("owners_total", "ins.err.count_range"))
    if v.area_total is not None and v.area_total == 0:
        problems.append(Problem("area_total", "ins.err.area_range"))
    if not problems:
        assert v.owners_total is not None and v.participants is not None and v.agree is not None
        assert v.area_total is not None and v.participant_area is not None and v.agree_area is not None
        if v.participants > v.owners_total:
            problems.append(Problem("participants", "ins.err.exceeds", {"n": v.owners_total}))
        if v.agree > v.participants:
            problems.append(Problem("agree", "ins.err.exceeds", {"n": v.participants}))
        if v.participant_area > v.area_total:
            problems.append(Problem("participant_area", "ins.err.exceeds", {"n": v.area_total}))
        if v.agree_area > v.participant_area:
            problems.append(Problem("agree_area", "ins.err.exceeds", {"n": v.participant_area}))
    assert app.notice_from is not None
    if v.held_on is None:
        problems.append(Problem("held_on", "ins.err.required"))
    elif v.held_on < app.notice_from:
        problems.append(Problem("held_on", "ins.err.before_notice", {"day": app.notice_from}))
    elif v.held_on > today:
        problems.append(Problem("held_on", "ins.err.future", {"day": today}))
    rule = rule_terms(session, account.city_id, v.held_on or today)
    if rule is None:
        problems.append(Problem("held_on", "ins.err.no_rule"))
    if problems:
        raise Refused(problems)
    assert rule is not None and v.held_on is not None
    figures = VoteFigures(
        owners_total=v.owners_total or 0,
        area_total=v.area_total or Decimal(0),
        participants=v.participants or 0,
        participant_area=v.participant_area or Decimal(0),
        agree=v.agree or 0,
        agree_area=v.agree_area or Decimal(0),
    )
    result = vote_result(rule, figures)
    app.vote_held_on = v.held_on
    app.vote_owners_total = figures.owners_total
    app.vote_area_total = figures.area_total
    app.vote_participants = figures.participants
    app.vote_participant_area = figures.participant_area
    app.vote_for = figures.agree
    app.vote_for_area = figures.agree_area
    app.vote_against = figures.participants - figures.agree
    app.decision = ApplicationDecision.approved if result.passed else ApplicationDecision.vote_failed
    app.decided_on = v.held_on
    _audit(
        session,
        viewer,
        "vote",
        "insurance_application",
        app.id,
        {
            "held_on": v.held_on.isoformat(),
            "figures": {k: str(val) for k, val in figures.__dict__.items()},
            "passed": result.passed,
            "rule": rule.id,
        },
    )
    session.flush()
    refresh_after_write(session)
    return result.passed


def close_application(
    session: Session, viewer: Viewer, application_id: int, decision: str, note: str, today: date
) -> None:
    """Refuse (the fund centre found it ineligible) or record its withdrawal, with the reason; only while no
    decision has been made."""
    app, _account = _application(session, viewer, application_id)
    if decision not in (ApplicationDecision.refused.value, ApplicationDecision.withdrawn.value):
        raise _refuse("decision", "ins.err.required")
    stage = stage_of(session, app, today)
    if stage not in (Stage.filed, Stage.in_notice, Stage.notice_ended, Stage.objected):
        raise _refuse("decision", "ins.err.stage", stage=stage.value)
    problems: list[Problem] = []
    text = _text(note, NOTE_MAX, "note", problems, required=True)
    if problems:
        raise Refused(problems)
    app.decision = ApplicationDecision(decision)
    app.decided_on = today
    app.decision_note = text
    _audit(session, viewer, decision, "insurance_application", app.id, {"note": text, "on": today.isoformat()})
    session.flush()
    refresh_after_write(session)


# --------------------------------------------------------------------------- purchase and renewal


def _insurer_exists(session: Session, insurer_id: int | None) -> bool:
    return insurer_id is not None and session.get(Insurer, insurer_id) is not None


def _money(value: int | None, field_name: str, problems: list[Problem]) -> None:
    if value is None:
        problems.append(Problem(field_name, "ins.err.required"))
    elif value <= 0 or value > MONEY_MAX_FEN:
        problems.append(Problem(field_name, "ins.err.money_range"))


def _debit(session: Session, account_id: int, policy: InsurancePolicy, booked_on: date) -> None:
    session.add(
        PooledAccountEntry(
            pooled_account_id=account_id,
            booked_on=booked_on,
            kind=PooledEntryKind.premium,
            amount_fen=policy.premium_fen,
            insurance_policy_id=policy.id,
        )
    )


def purchase(session: Session, viewer: Viewer, application_id: int, inp: PurchaseInput, today: date) -> list[int]:
    """Buy one policy per elevator of an approved application and debit each premium from the pooled account, in
    this transaction; refused (nothing written) before the notice period has ended, or when the balance cannot
    pay every premium. Returns the new policies' ids."""
    app, account = _application(session, viewer, application_id)
    stage = stage_of(session, app, today)
    if stage in (Stage.filed, Stage.in_notice, Stage.notice_ended, Stage.objected):
        key = "ins.err.notice_running" if stage == Stage.in_notice else "ins.err.not_approved"
        raise _refuse("purchase", key, stage=stage.value, day=app.notice_to)
    if stage != Stage.approved:
        raise _refuse("purchase", "ins.err.stage", stage=stage.value)
    problems: list[Problem] = []
    if not _insurer_exists(session, inp.insurer_id):
        problems.append(Problem("insurer", "ins.err.required"))
    _money(inp.premium_fen, "premium", problems)
    _money(inp.cover_fen, "cover", problems)
    if inp.period_start is None:
        problems.append(Problem("period_start", "ins.err.required"))
    elif app.notice_to is not None and inp.period_start <= app.notice_to:
        problems.append(Problem("period_start", "ins.err.notice_running", {"day": app.notice_to}))
    if inp.paid_on is None:
        problems.append(Problem("paid_on", "ins.err.required"))
    elif app.notice_to is not None and inp.paid_on <= app.notice_to:
        problems.append(Problem("paid_on", "ins.err.notice_running", {"day": app.notice_to}))
    elif inp.paid_on > today:
        problems.append(Problem("paid_on", "ins.err.future", {"day": today}))
    if problems:
        raise Refused(problems)
    assert inp.period_start is not None and inp.paid_on is not None
    assert inp.premium_fen is not None and inp.cover_fen is not None and inp.insurer_id is not None
    elevator_ids = sorted(
        session.scalars(select(ApplicationElevator.elevator_id).where(ApplicationElevator.application_id == app.id))
    )
    overlapping = session.scalar(
        select(func.count())
        .select_from(InsurancePolicy)
        .where(
            InsurancePolicy.elevator_id.in_(elevator_ids),
            InsurancePolicy.period_end > inp.period_start,
        )
    )
    if overlapping:
        raise _refuse("period_start", "ins.err.overlap")
    _lock_account(session, account.id)
    balance = pooled_balance(session, account.id)
    total = inp.premium_fen * len(elevator_ids)
    if balance < total:
        raise _refuse("purchase", "ins.err.balance", balance_fen=balance, required_fen=total)
    end = minus_years(inp.period_start, -1)
    ids = []
    for elevator_id in elevator_ids:
        policy = InsurancePolicy(
            elevator_id=elevator_id,
            application_id=app.id,
            insurer_id=inp.insurer_id,
            policy_no=new_policy_no(inp.period_start),
            period_start=inp.period_start,
            period_end=end,
            premium_fen=inp.premium_fen,
            cover_fen=inp.cover_fen,
        )
        session.add(policy)
        session.flush()
        _debit(session, account.id, policy, inp.paid_on)
        ids.append(policy.id)
    _audit(
        session,
        viewer,
        "purchase",
        "insurance_application",
        app.id,
        {
            "policies": ids,
            "premium_fen": inp.premium_fen,
            "total_fen": total,
            "balance_before_fen": balance,
            "period": [inp.period_start.isoformat(), end.isoformat()],
        },
    )
    session.flush()
    refresh_after_write(session)
    return ids


def renew(session: Session, viewer: Viewer, policy_ids: list[int], paid_on: date | None, today: date) -> list[int]:
    """Renew each policy for a year from its end, on the same terms, debiting the premium from its pooled account.
    All or nothing: every policy is checked (the viewer's city, not renewed already, not ended more than a year
    ago, its account able to pay every premium of the batch that falls on it), and one refusal refuses the batch,
    naming each policy that failed. Returns the new policies' ids."""
    ids = sorted(set(policy_ids))
    if not ids:
        raise _refuse("policies", "ins.err.no_policies")
    if paid_on is None:
        raise _refuse("paid_on", "ins.err.required")
    if paid_on > today:
        raise _refuse("paid_on", "ins.err.future", day=today)
    policies = list(
        session.scalars(select(InsurancePolicy).where(InsurancePolicy.id.in_(ids)).order_by(InsurancePolicy.id))
    )
    if len(policies) != len(ids):
        raise NotFound("no such policy")
    accounts: dict[int, AccountInfo] = {}
    account_of: dict[int, int] = {}
    for p in policies:
        app = session.get(InsuranceApplication, p.application_id)
        assert app is not None
        info = accounts.get(app.pooled_account_id) or account_info(session, app.pooled_account_id)
        if info is None or not viewer.may_insure_for(info.city_id):
            raise AccessDenied("only the city's fund centre renews its policies")
        accounts[info.id] = info
        account_of[p.id] = info.id
    renewed = set(
        session.scalars(select(InsurancePolicy.id).where(InsurancePolicy.id.in_(ids), succeeded(InsurancePolicy)))
    )
    problems: list[Problem] = []
    for p in policies:
        if p.contracted_end is not None:
            problems.append(Problem("policies", "ins.err.cancelled", {"policy": p.policy_no, "day": p.period_end}))
        elif p.id in renewed:
            problems.append(Problem("policies", "ins.err.renewed", {"policy": p.policy_no}))
        elif p.period_end < minus_years(today, 1):
            problems.append(Problem("policies", "ins.err.lapsed", {"policy": p.policy_no, "day": p.period_end}))
    if problems:
        raise Refused(problems)
    due: dict[int, int] = defaultdict(int)
    for p in policies:
        due[account_of[p.id]] += p.premium_fen
    for account_id in sorted(due):
        _lock_account(session, account_id)
    for account_id, need in sorted(due.items()):
        balance = pooled_balance(session, account_id)
        if balance < need:
            for p in policies:
                if account_of[p.id] == account_id:
                    problems.append(
                        Problem(
                            "policies",
                            "ins.err.renew_balance",
                            {"policy": p.policy_no, "balance_fen": balance, "required_fen": need},
                        )
                    )
    if problems:
        raise Refused(problems)
    new_ids = []
    for p in policies:
        policy = InsurancePolicy(
            elevator_id=p.elevator_id,
            application_id=p.application_id,
            insurer_id=p.insurer_id,
            policy_no=new_policy_no(p.period_end),
            period_start=p.period_end,
            period_end=minus_years(p.period_end, -1),
            premium_fen=p.premium_fen,
            cover_fen=p.cover_fen,
            renews_policy_id=p.id,
        )
        session.add(policy)
        session.flush()
        _debit(session, account_of[p.id], policy, paid_on)
        new_ids.append(policy.id)
        _audit(
            session,
            viewer,
            "renew",
            "insurance_policy",
            p.id,
            {"new_policy": policy.id, "paid_on": paid_on.isoformat()},
        )
    session.flush()
    refresh_after_write(session)
    return new_ids


# --------------------------------------------------------------------------- cancellation


@dataclass(frozen=True)
class CancelInput:
    policy_id: int | None
    cancelled_on: date | None  # the first day without cover
    refund_fen: int | None  # what the insurer returned (its statement; the form suggests the pro-rata figure)
    refunded_on: date | None  # the day the refund is credited to the pooled account
    reason: str


def cancel(session: Session, viewer: Viewer, inp: CancelInput, today: date) -> int:
    """Cancel a policy (退保) from a day inside its cover and credit the insurer's refund to the pooled account that
    paid the premium, in this transaction. The policy's `period_end` becomes the cancellation day (`contracted_end`
    keeps the end it was signed for), so every figure that asks whether the elevator was insured on a day follows.

    Refused (nothing written) when the policy is not the viewer's city's, is cancelled already, has been renewed
    (its successor would leave a gap: cancel that one), the day is outside the cover, a claim answers a fault on or
    after that day, the refund exceeds the premium or is booked before the cover began or after today, or no reason
    is given. Returns the refund entry's id (0 when nothing was refunded)."""
    if inp.policy_id is None:
        raise _refuse("policy", "ins.err.required")
    policy = session.get(InsurancePolicy, inp.policy_id)
    app = session.get(InsuranceApplication, policy.application_id) if policy else None
    account = account_info(session, app.pooled_account_id) if app else None
    allowed = viewer.allowed_city_ids()
    if policy is None or app is None or account is None or (allowed is not None and account.city_id not in allowed):
        raise NotFound("no such policy")
    if not viewer.may_insure_for(account.city_id):
        raise AccessDenied("only the city's fund centre cancels its policies")
    if policy.contracted_end is not None:
        raise _refuse("policy", "ins.err.cancelled", policy=policy.policy_no, day=policy.period_end)
    if session.scalar(select(InsurancePolicy.id).where(InsurancePolicy.id == policy.id, succeeded(InsurancePolicy))):
        raise _refuse("policy", "ins.err.cancel_renewed", policy=policy.policy_no)
    problems: list[Problem] = []
    day = inp.cancelled_on
    if day is None:
        problems.append(Problem("cancelled_on", "ins.err.required"))
    elif not (policy.period_start < day < policy.period_end):
        problems.append(
            Problem("cancelled_on", "ins.err.cancel_outside", {"start": policy.period_start, "end": policy.period_end})
        )
    else:
        late = [
            f.reported_at.astimezone(CITY_TZ).date()
            for f in session.scalars(
                select(ElevatorFault)
                .join(InsuranceClaim, InsuranceClaim.elevator_fault_id == ElevatorFault.id)
                .where(InsuranceClaim.insurance_policy_id == policy.id)
            )
        ]
        if any(d >= day for d in late):
            problems.append(Problem("cancelled_on", "ins.err.cancel_claims", {"day": max(late)}))
    if inp.refund_fen is None:
        problems.append(Problem("refund", "ins.err.required"))
    elif inp.refund_fen < 0 or inp.refund_fen > policy.premium_fen:
        problems.append(Problem("refund", "ins.err.refund_range", {"premium_fen": policy.premium_fen}))
    if inp.refund_fen:
        if inp.refunded_on is None:
            problems.append(Problem("refunded_on", "ins.err.required"))
        elif inp.refunded_on < policy.period_start:
            problems.append(Problem("refunded_on", "ins.err.before_cover", {"day": policy.period_start}))
        elif inp.refunded_on > today:
            problems.append(Problem("refunded_on", "ins.err.future", {"day": today}))
    reason = _text(inp.reason, NOTE_MAX, "reason", problems, required=True)
    if problems:
        raise Refused(problems)
    assert day is not None and inp.refund_fen is not None
    contracted_end = policy.period_end
    policy.contracted_end = contracted_end
    policy.period_end = day
    policy.cancel_reason = reason
    entry_id = 0
    if inp.refund_fen:
        assert inp.refunded_on is not None
        _lock_account(session, account.id)
        entry = PooledAccountEntry(
            pooled_account_id=account.id,
            booked_on=inp.refunded_on,
            kind=PooledEntryKind.premium_refund,
            amount_fen=inp.refund_fen,
            insurance_policy_id=policy.id,
        )
        session.add(entry)
        session.flush()
        entry_id = entry.id
    _audit(
        session,
        viewer,
        "cancel",
        "insurance_policy",
        policy.id,
        {
            "cancelled_on": day.isoformat(),
            "contracted_end": contracted_end.isoformat(),
            "refund_fen": inp.refund_fen,
            "refunded_on": inp.refunded_on.isoformat() if inp.refunded_on and inp.refund_fen else None,
            "reason": reason,
        },
    )
    session.flush()
    refresh_after_write(session)
    return entry_id


# --------------------------------------------------------------------------- claims


REFERENCE_MAX = 40


@dataclass(frozen=True)
class ClaimInput:
    policy_id: int | None
    paid_on: date | None
    amount_fen: int | None
    kind: str | None
    fault_id: int | None = None  # the fault the repair answers, if the insurer's file names one
    reference: str = ""  # the insurer's claim number (blank: the product makes one)


def record_claim(session: Session, viewer: Viewer, inp: ClaimInput, today: date) -> int:
    """Record a repair the insurer paid under a policy (理赔). Refused when the policy is not the viewer's city's,
    the payment falls before the cover began or after today, the policy's claims would exceed its cover, the fault
    named is another elevator's or outside the cover, or the claim number is taken."""
    if inp.policy_id is None:
        raise _refuse("policy", "ins.err.required")
    policy = session.get(InsurancePolicy, inp.policy_id)
    app = session.get(InsuranceApplication, policy.application_id) if policy else None
    account = account_info(session, app.pooled_account_id) if app else None
    allowed = viewer.allowed_city_ids()
    if policy is None or account is None or (allowed is not None and account.city_id not in allowed):
        raise NotFound("no such policy")
    if not viewer.may_insure_for(account.city_id):
        raise AccessDenied("only the city's fund centre records claims")
    problems: list[Problem] = []
    if inp.kind not in {k.value for k in ClaimKind}:
        problems.append(Problem("kind", "ins.err.required"))
    _money(inp.amount_fen, "amount", problems)
    if inp.paid_on is None:
        problems.append(Problem("paid_on", "ins.err.required"))
    elif inp.paid_on < policy.period_start:
        problems.append(Problem("paid_on", "ins.err.before_cover", {"day": policy.period_start}))
    elif inp.paid_on > today:
        problems.append(Problem("paid_on", "ins.err.future", {"day": today}))
    reference = _text(inp.reference, REFERENCE_MAX, "reference", problems)
    if reference and session.scalar(select(InsuranceClaim.id).where(InsuranceClaim.reference == reference)):
        problems.append(Problem("reference", "ins.err.reference_taken", {"reference": reference}))
    if inp.fault_id is not None:
        fault = session.get(ElevatorFault, inp.fault_id)
        local_day = fault.reported_at.astimezone(CITY_TZ).date() if fault else None
        if fault is None or fault.elevator_id != policy.elevator_id:
            problems.append(Problem("fault", "ins.err.fault_elevator"))
        elif local_day is not None and not (policy.period_start <= local_day < policy.period_end):
            problems.append(
                Problem("fault", "ins.err.fault_outside", {"start": policy.period_start, "end": policy.period_end})
            )
    paid = int(
        session.scalar(
            select(func.coalesce(func.sum(InsuranceClaim.amount_fen), 0)).where(
                InsuranceClaim.insurance_policy_id == policy.id
            )
        )
        or 0
    )
    if inp.amount_fen is not None and inp.amount_fen > 0 and paid + inp.amount_fen > policy.cover_fen:
        problems.append(Problem("amount", "ins.err.over_cover", {"paid_fen": paid, "cover_fen": policy.cover_fen}))
    if problems:
        raise Refused(problems)
    assert inp.paid_on is not None and inp.amount_fen is not None and inp.kind is not None
    claim = InsuranceClaim(
        insurance_policy_id=policy.id,
        paid_on=inp.paid_on,
        amount_fen=inp.amount_fen,
        kind=ClaimKind(inp.kind),
        elevator_fault_id=inp.fault_id,
        **({"reference": reference} if reference else {}),
    )
    session.add(claim)
    session.flush()
    _audit(
        session,
        viewer,
        "claim",
        "insurance_policy",
        policy.id,
        {"claim": claim.id, "paid_on": inp.paid_on.isoformat(), "amount_fen": inp.amount_fen, "kind": inp.kind},
    )
    refresh_after_write(session, rollups_affected=False)  # no pre-aggregated table holds claims
    return claim.id


# --------------------------------------------------------------------------- documents


def add_document(
    session: Session,
    viewer: Viewer,
    application_id: int,
    kind: str | None,
    filename: str,
    data: bytes,
    store: Path,
    now: datetime,
) -> int:
    """Keep a scan of one of the documents an application is published with (seed 000: application form, owner
    feedback forms, policy-basis digest, work-contact letter, survey opinion): a PDF, PNG or JPEG up to 10 MB."""
    app, _account = _application(session, viewer, application_id)
    problems: list[Problem] = []
    if kind not in {k.value for k in DocumentKind}:
        problems.append(Problem("document_kind", "ins.err.required"))
    content_type = None
    if not data:
        problems.append(Problem("document", "ins.err.file_empty"))
    elif len(data) > ATTACHMENT_MAX_BYTES:
        problems.append(Problem("document", "ins.err.file_size", {"mb": ATTACHMENT_MAX_BYTES // 1024 // 1024}))
    else:
        content_type = sniff_type(filename, data)
        if content_type is None:
            problems.append(Problem("document", "ins.err.file_type"))
    if problems:
        raise Refused(problems)
    assert content_type is not None and kind is not None
    path = store_file(store, data)
    try:
        doc = ApplicationDocument(
            application_id=app.id,
            kind=DocumentKind(kind),
            filename=display_name(filename),
            stored_name=path.name,
            content_type=content_type,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by_id=viewer.id,
            uploaded_at=now,
        )
        session.add(doc)
        session.flush()
        _audit(
            session,
            viewer,
            "document",
            "insurance_application",
            app.id,
            {"document": doc.id, "kind": kind, "file": doc.filename, "sha256": doc.sha256},
        )
        bump_documents_generation(session)  # the application's kept page lists its documents (render_cache.py)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return doc.id


@dataclass(frozen=True)
class DocumentFile:
    path: Path
    filename: str
    content_type: str


def document_file(session: Session, viewer: Viewer, document_id: int, store: Path) -> DocumentFile:
    """The stored file behind a document, for a reader of the application's city who may see names (not the press:
    owner feedback forms name people)."""
    doc = session.get(ApplicationDocument, document_id)
    app = session.get(InsuranceApplication, doc.application_id) if doc else None
    account = account_info(session, app.pooled_account_id) if app else None
    allowed = viewer.allowed_city_ids()
    if doc is None or account is None or (allowed is not None and account.city_id not in allowed):
        raise NotFound("no such document")
    if viewer.role.value in ("press", "organiser"):
        raise AccessDenied("documents name people")
    return DocumentFile(store / doc.stored_name, doc.filename, doc.content_type)
