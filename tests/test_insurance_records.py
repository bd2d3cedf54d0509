"""The insurance procedure's writer on the hand-made world of tests/insurance_world.py, on both engines.

Each refusal is checked to write nothing: every row of the procedure's tables (and the audit log) is compared
before and after (`snapshot`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.core.models import ApplicationDecision, InsuranceApplication, InsurancePolicy, PooledAccountEntry
from data_access.core.rules import Stage, VoteFigures, vote_result
from data_access.core.scope import Area
from data_access.insurance import application_rows, application_view, public_notice, renewal_rows, stage_counts
from data_access.insurance_eligibility import Condition, pooled_balance
from data_access.insurance_records import (
    ApplicationInput,
    NotFound,
    PurchaseInput,
    Refused,
    VoteInput,
    close_application,
    conclude_notice,
    file_application,
    post_notice,
    purchase,
    record_objection,
    record_vote,
    renew,
)
from data_access.users import AccessDenied
from tests.insurance_world import PREMIUM, TODAY, InsuranceWorld, build_insurance_world, snapshot

NOW = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


@pytest.fixture()
def w(session: Session) -> InsuranceWorld:
    return build_insurance_world(session)


def _input(w: InsuranceWorld, account: str, codes: list[str], **kw: object) -> ApplicationInput:
    base: dict[str, object] = {
        "pooled_account_id": w.accounts[account],
        "elevator_ids": [w.elevators[c] for c in codes],
        "applicant_type": "owners_committee",
        "applicant_name": "业委会 王主任",
        "applicant_contact": "0731-5555",
        "owner_count": None,
        "filed_on": TODAY,
    }
    base.update(kw)
    return ApplicationInput(**base)  # type: ignore[arg-type]


def _refused(session: Session, call: object) -> Refused:
    before = snapshot(session)
    with pytest.raises(Refused) as exc:
        call()  # type: ignore[operator]
    assert snapshot(session) == before, "a refused write changed rows"
    return exc.value


def _approved(session: Session, w: InsuranceWorld, account: str, codes: list[str]) -> int:
    """File, post on 2026-02-02 (notice to 2026-02-08), conclude on 2026-02-09 without objection."""
    fx = w.viewers["fx"]
    app_id = file_application(session, fx, _input(w, account, codes), TODAY)
    assert post_notice(session, fx, app_id, date(2026, 2, 2), TODAY) == date(2026, 2, 8)
    conclude_notice(session, fx, app_id, date(2026, 2, 9))
    return app_id


def _buy(premium: int = PREMIUM, start: date = date(2026, 2, 10)) -> PurchaseInput:
    return PurchaseInput(insurer_id=None, period_start=start, premium_fen=premium, cover_fen=8_000_000, paid_on=start)


def _purchase_input(w: InsuranceWorld, premium: int = PREMIUM, start: date = date(2026, 2, 10)) -> PurchaseInput:
    b = _buy(premium, start)
    return PurchaseInput(w.insurer_id, b.period_start, b.premium_fen, b.cover_fen, b.paid_on)


# --------------------------------------------------------------------------- filing


def test_an_elevator_under_warranty_is_refused_with_its_dates_and_nothing_is_written(
    session: Session, w: InsuranceWorld
) -> None:
    err = _refused(session, lambda: file_application(session, w.viewers["fx"], _input(w, "a1", ["L1", "L3"]), TODAY))
    assert [(p.key, p.params) for p in err.problems] == [
        ("ins.fail.warranty", {"code": "T-L3", "since": date(2021, 3, 2), "until": date(2026, 3, 2)})
    ]


def test_an_account_that_cannot_pay_a_year_is_refused_with_both_amounts(session: Session, w: InsuranceWorld) -> None:
    err = _refused(session, lambda: file_application(session, w.viewers["fx"], _input(w, "a2", ["L4"]), TODAY))
    assert [(p.key, p.params) for p in err.problems] == [
        ("ins.fail.account", {"code": "T-L4", "balance_fen": 180_000, "required_fen": 220_000})
    ]


def test_unit_owners_must_be_enough_and_apply_for_a_unit(session: Session, w: InsuranceWorld) -> None:
    fx = w.viewers["fx"]
    err = _refused(
        session,
        lambda: file_application(
            session, fx, _input(w, "a1", ["L1"], applicant_type="unit_owners", owner_count=2), TODAY
        ),
    )
    assert {p.key for p in err.problems} == {"ins.err.owners_need_unit", "ins.err.owner_count"}
    app_id = file_application(session, fx, _input(w, "a4", ["L7"], applicant_type="unit_owners", owner_count=3), TODAY)
    assert session.get(InsuranceApplication, app_id).applicant_owner_count == 3  # type: ignore[union-attr]


def test_an_elevator_of_another_account_or_applied_already_is_refused(session: Session, w: InsuranceWorld) -> None:
    fx = w.viewers["fx"]
    err = _refused(session, lambda: file_application(session, fx, _input(w, "a1", ["L1", "L5"]), TODAY))
    assert [p.key for p in err.problems] == ["ins.err.not_served"]
    first = file_application(session, fx, _input(w, "a1", ["L1"]), TODAY)
    err = _refused(session, lambda: file_application(session, fx, _input(w, "a1", ["L1", "L2"]), TODAY))
    assert [(p.key, p.params) for p in err.problems] == [
        ("ins.fail.applied", {"code": "T-L1", "application_id": first})
    ]


# --------------------------------------------------------------------------- notice, objection, vote, purchase


def test_the_procedure_without_objection_buys_and_debits_the_account(session: Session, w: InsuranceWorld) -> None:
    fx = w.viewers["fx"]
    app_id = file_application(session, fx, _input(w, "a1", ["L1", "L2"]), TODAY)
    assert post_notice(session, fx, app_id, date(2026, 2, 2), TODAY) == date(2026, 2, 8)
    # still in notice on its last day: neither concluded nor bought
    err = _refused(session, lambda: conclude_notice(session, fx, app_id, date(2026, 2, 8)))
    assert err.problems[0].key == "ins.err.notice_running"
    err = _refused(session, lambda: purchase(session, fx, app_id, _purchase_input(w), date(2026, 2, 8)))
    assert err.problems[0].key == "ins.err.notice_running"
    conclude_notice(session, fx, app_id, date(2026, 2, 9))
    assert pooled_balance(session, w.accounts["a1"]) == 700_000
    ids = purchase(session, fx, app_id, _purchase_input(w), date(2026, 2, 10))
    assert len(ids) == 2
    # 700,000 − 2 × 220,000
    assert pooled_balance(session, w.accounts["a1"]) == 260_000
    debits = session.scalars(
        select(PooledAccountEntry)
        .where(PooledAccountEntry.insurance_policy_id.in_(ids))
        .order_by(PooledAccountEntry.id)
    ).all()
    assert [(d.kind.value, d.amount_fen, d.booked_on) for d in debits] == [("premium", 220_000, date(2026, 2, 10))] * 2
    p = session.get(InsurancePolicy, ids[0])
    assert p is not None and (p.period_start, p.period_end) == (date(2026, 2, 10), date(2027, 2, 10))
    view = application_view(session, None, app_id, date(2026, 2, 10), redact=False)
    assert view is not None and view.stage == Stage.purchased and len(view.policies) == 2
    # bought once only
    err = _refused(session, lambda: purchase(session, fx, app_id, _purchase_input(w), date(2026, 2, 10)))
    assert err.problems[0].key == "ins.err.stage"


def test_a_short_balance_at_purchase_is_refused_and_nothing_is_written(session: Session, w: InsuranceWorld) -> None:
    app_id = _approved(session, w, "a3", ["L5", "L6"])
    # two premiums of 260,000 = 520,000 > 500,000
    err = _refused(
        session, lambda: purchase(session, w.viewers["fx"], app_id, _purchase_input(w, 260_000), date(2026, 2, 10))
    )
    assert [(p.key, p.params) for p in err.problems] == [
        ("ins.err.balance", {"balance_fen": 500_000, "required_fen": 520_000})
    ]


def test_an_objection_sends_it_to_the_vote_and_the_vote_decides(session: Session, w: InsuranceWorld) -> None:
    fx = w.viewers["fx"]
    app_id = file_application(session, fx, _input(w, "a1", ["L1", "L2"]), TODAY)
    post_notice(session, fx, app_id, date(2026, 2, 2), TODAY)
    err = _refused(
        session,
        lambda: record_objection(session, fx, app_id, date(2026, 2, 9), "张某", "不同意", date(2026, 2, 9), NOW),
    )
    assert err.problems[0].key == "ins.err.outside_notice"
    record_objection(session, fx, app_id, date(2026, 2, 4), "张某", "担心保费过高", date(2026, 2, 4), NOW)
    view = application_view(session, None, app_id, date(2026, 2, 4), redact=True)
    assert view is not None and view.stage == Stage.objected
    assert [(o.objector, o.content) for o in view.objections] == [(None, "担心保费过高")]  # redacted for the press
    err = _refused(session, lambda: conclude_notice(session, fx, app_id, date(2026, 2, 9)))
    assert err.problems[0].key == "ins.err.stage"
    # 60 owners, 5,400.00 m²: 40 take part (2/3 exactly) holding 3,600.00 m² (2/3 exactly); 21 agree holding 1,800.01
    passed = record_vote(
        session,
        fx,
        app_id,
        VoteInput(date(2026, 2, 15), 60, Decimal("5400.00"), 40, Decimal("3600.00"), 21, Decimal("1800.01")),
        date(2026, 2, 15),
    )
    assert passed
    app = session.get(InsuranceApplication, app_id)
    assert app is not None and app.decision == ApplicationDecision.approved and app.decided_on == date(2026, 2, 15)
    assert purchase(session, fx, app_id, _purchase_input(w, start=date(2026, 2, 16)), date(2026, 2, 16))


def test_a_failing_vote_refuses_and_frees_the_elevators(session: Session, w: InsuranceWorld) -> None:
    fx = w.viewers["fx"]
    app_id = file_application(session, fx, _input(w, "a1", ["L1"]), TODAY)
    post_notice(session, fx, app_id, date(2026, 2, 2), TODAY)
    record_objection(session, fx, app_id, date(2026, 2, 3), "", "书面异议", date(2026, 2, 3), NOW)
    # 20 agree of 40 by number: exactly one half is not more than one half
    passed = record_vote(
        session,
        fx,
        app_id,
        VoteInput(date(2026, 2, 15), 60, Decimal("5400.00"), 40, Decimal("3600.00"), 20, Decimal("2000.00")),
        date(2026, 2, 15),
    )
    assert not passed
    view = application_view(session, None, app_id, date(2026, 2, 15), redact=False)
    assert view is not None and view.stage == Stage.vote_failed and view.vote_outcome is not None
    assert not view.vote_outcome.approved_by_number and view.vote_outcome.approved_by_area
    err = _refused(session, lambda: purchase(session, fx, app_id, _purchase_input(w), date(2026, 2, 16)))
    assert err.problems[0].key == "ins.err.stage"
    assert file_application(session, fx, _input(w, "a1", ["L1"], filed_on=date(2026, 2, 16)), date(2026, 2, 16))


def test_vote_figures_exceeding_the_owners_are_refused(session: Session, w: InsuranceWorld) -> None:
    fx = w.viewers["fx"]
    app_id = file_application(session, fx, _input(w, "a1", ["L1"]), TODAY)
    post_notice(session, fx, app_id, date(2026, 2, 2), TODAY)
    record_objection(session, fx, app_id, date(2026, 2, 3), "", "书面异议", date(2026, 2, 3), NOW)
    err = _refused(
        session,
        lambda: record_vote(
            session,
            fx,
            app_id,
            VoteInput(date(2026, 2, 15), 60, Decimal("5400.00"), 61, Decimal("5400.01"), 62, Decimal("10.00")),
            date(2026, 2, 15),
        ),
    )
    assert {(p.field, p.key) for p in err.problems} == {
        ("participants", "ins.err.exceeds"),
        ("agree", "ins.err.exceeds"),
        ("participant_area", "ins.err.exceeds"),
    }


def test_the_vote_rule_is_civil_code_278_by_default() -> None:
    class Rule:
        vote_participation_num, vote_participation_den, vote_approval_num, vote_approval_den = 2, 3, 1, 2

    def figures(p: int, pa: str, a: int, aa: str) -> VoteFigures:
        return VoteFigures(90, Decimal("9000.00"), p, Decimal(pa), a, Decimal(aa))

    assert vote_result(Rule(), figures(60, "6000.00", 31, "3000.01")).passed  # exactly 2/3 take part; > 1/2 agree
    r = vote_result(Rule(), figures(59, "6000.00", 31, "3000.01"))
    assert not r.passed and not r.quorum_by_number and r.quorum_by_area
    r = vote_result(Rule(), figures(60, "5999.99", 31, "3000.01"))
    assert not r.passed and not r.quorum_by_area
    r = vote_result(Rule(), figures(60, "6000.00", 31, "3000.00"))  # exactly one half of the area: not more
    assert not r.passed and r.approved_by_number and not r.approved_by_area


def test_refuse_or_withdraw_needs_a_reason(session: Session, w: InsuranceWorld) -> None:
    fx = w.viewers["fx"]
    app_id = file_application(session, fx, _input(w, "a1", ["L1"]), TODAY)
    err = _refused(session, lambda: close_application(session, fx, app_id, "withdrawn", " ", TODAY))
    assert err.problems[0].key == "ins.err.required"
    close_application(session, fx, app_id, "withdrawn", "申请人撤回", TODAY)
    assert application_rows(session, Area(city_id=w.city_x.id), TODAY, redact=False)[0].stage == Stage.withdrawn


# --------------------------------------------------------------------------- who may write


@pytest.mark.parametrize("who", ["fy", "leader", "steward", "press", "admin", "organiser"])
def test_only_the_citys_fund_centre_writes(session: Session, w: InsuranceWorld, who: str) -> None:
    fx, other = w.viewers["fx"], w.viewers[who]
    pending = file_application(session, fx, _input(w, "a1", ["L1"]), TODAY)
    approved = _approved(session, w, "a3", ["L5"])
    bought = purchase(session, fx, approved, _purchase_input(w), date(2026, 2, 10))
    before = snapshot(session)
    calls = [
        lambda: file_application(session, other, _input(w, "a1", ["L2"]), TODAY),
        lambda: post_notice(session, other, pending, date(2026, 2, 2), TODAY),
        lambda: record_objection(session, other, pending, date(2026, 2, 2), "", "x", TODAY, NOW),
        lambda: conclude_notice(session, other, pending, date(2026, 2, 20)),
        lambda: close_application(session, other, pending, "refused", "no", TODAY),
        lambda: purchase(session, other, approved, _purchase_input(w), date(2026, 2, 10)),
        lambda: renew(session, other, bought, date(2027, 1, 20), date(2027, 1, 20)),
        lambda: record_vote(
            session, other, pending, VoteInput(TODAY, 1, Decimal(1), 1, Decimal(1), 1, Decimal(1)), TODAY
        ),
    ]
    for call in calls:
        with pytest.raises((AccessDenied, NotFound)):
            call()
    assert snapshot(session) == before


# --------------------------------------------------------------------------- renewals


def test_the_renewal_list_says_which_accounts_can_pay_and_renewal_debits_them(
    session: Session, w: InsuranceWorld
) -> None:
    """a1: L1 and L2 bought 2026-02-10 (balance 700,000 − 440,000 = 260,000); a3: L5 bought the same day at
    300,000 (500,000 − 300,000 = 200,000). On 2027-01-01 both end within 60 days (2027-02-10): a1 owes
    2 × 220,000 = 440,000 > 260,000 (cannot pay); a3 owes 300,000 > 200,000 (cannot pay). After 500,000 more
    value-added income into a3 (700,000 ≥ 300,000) it can."""
    fx = w.viewers["fx"]
    a1 = _approved(session, w, "a1", ["L1", "L2"])
    purchase(session, fx, a1, _purchase_input(w), date(2026, 2, 10))
    a3 = _approved(session, w, "a3", ["L5"])
    (l5,) = purchase(session, fx, a3, _purchase_input(w, 300_000), date(2026, 2, 10))
    area = Area(city_id=w.city_x.id)
    assert renewal_rows(session, area, date(2026, 12, 1)) == []  # 71 days before the end: outside the window
    rows = renewal_rows(session, area, date(2027, 1, 1))
    assert [(r.elevator_code, r.balance_fen, r.account_due_fen, r.can_pay) for r in rows] == [
        ("T-L1", 260_000, 440_000, False),
        ("T-L2", 260_000, 440_000, False),
        ("T-L5", 200_000, 300_000, False),
    ]
    assert renewal_rows(session, Area(city_id=w.city_y.id), date(2027, 1, 1)) == []
    err = _refused(session, lambda: renew(session, fx, [l5], date(2027, 1, 1), date(2027, 1, 1)))
    assert [(p.key, p.params["balance_fen"], p.params["required_fen"]) for p in err.problems] == [
        ("ins.err.renew_balance", 200_000, 300_000)
    ]
    session.add(
        PooledAccountEntry(
            pooled_account_id=w.accounts["a3"],
            booked_on=date(2026, 12, 31),
            kind="value_added_income",
            amount_fen=500_000,
        )
    )
    session.flush()
    assert [r.can_pay for r in renewal_rows(session, area, date(2027, 1, 1))] == [False, False, True]
    (new,) = renew(session, fx, [l5], date(2027, 1, 1), date(2027, 1, 1))
    p = session.get(InsurancePolicy, new)
    assert p is not None and (p.period_start, p.period_end, p.renews_policy_id) == (
        date(2027, 2, 10),
        date(2028, 2, 10),
        l5,
    )
    assert pooled_balance(session, w.accounts["a3"]) == 400_000
    assert [r.elevator_code for r in renewal_rows(session, area, date(2027, 1, 1))] == ["T-L1", "T-L2"]
    err = _refused(session, lambda: renew(session, fx, [l5], date(2027, 1, 1), date(2027, 1, 1)))
    assert err.problems[0].key == "ins.err.renewed"


def test_stage_counts_and_the_public_notice(session: Session, w: InsuranceWorld) -> None:
    fx = w.viewers["fx"]
    filed = file_application(session, fx, _input(w, "a1", ["L1", "L2"]), TODAY)
    posted = file_application(session, fx, _input(w, "a3", ["L5"]), TODAY)
    post_notice(session, fx, posted, date(2026, 2, 2), TODAY)
    rows = application_rows(session, Area(city_id=w.city_x.id), TODAY, redact=True)
    assert {r.id: r.stage for r in rows} == {filed: Stage.filed, posted: Stage.filed}  # posting starts tomorrow
    assert all(r.applicant_name is None for r in rows)
    rows = application_rows(session, Area(city_id=w.city_x.id), date(2026, 2, 3), redact=False)
    counts = {s: (a, e) for s, a, e in stage_counts(rows)}
    assert counts[Stage.filed] == (1, 2) and counts[Stage.in_notice] == (1, 1)
    assert rows[0].applicant_name == "业委会 王主任"
    assert public_notice(session, filed, date(2026, 2, 3)) is None  # not posted
    assert public_notice(session, posted, date(2026, 2, 1)) is None  # posted from tomorrow
    notice = public_notice(session, posted, date(2026, 2, 2))
    assert (
        notice is not None and notice.notice_to == date(2026, 2, 8) and notice.elevators == [("T-L5", date(2015, 1, 1))]
    )
    assert notice.annual_premium_fen == PREMIUM and notice.balance_fen == 500_000


def test_failures_name_each_condition(session: Session, w: InsuranceWorld) -> None:
    from data_access.insurance import account_check

    check = account_check(session, w.city_x.id, w.accounts["a1"], TODAY)
    assert check is not None and check.required_fen == 660_000 and check.balance_fen == 700_000
    assert {e.registration_code: [f.condition for f in e.failures] for e in check.elevators} == {
        "T-L1": [],
        "T-L2": [],
        "T-L3": [Condition.warranty],
    }
    assert account_check(session, w.city_y.id, w.accounts["a1"], TODAY) is None


def test_leader_alerts(session: Session, w: InsuranceWorld) -> None:
    """On 2027-01-01: a1's L1 and L2 (bought 2026-02-10, 260,000 left for 440,000 due) end on 2027-02-10, 40 days
    on: 2 unpayable within 60 days, none within 30. a4's L7 filed and posted 2026-12-20 (notice to 12-26), no
    objection, undecided: 1. a3's L5 posted the same day with an objection and no vote: 1. L4 (never insured)
    failed 3 times in the last 90 days and once the day before them (outside); L1 (insured) failed 4 times: not
    counted."""
    from data_access.core.clock import CITY_TZ
    from data_access.core.models import ElevatorFault, FaultSeverity
    from data_access.insurance import leader_alerts

    fx = w.viewers["fx"]
    a1 = _approved(session, w, "a1", ["L1", "L2"])
    purchase(session, fx, a1, _purchase_input(w), date(2026, 2, 10))
    filed = date(2026, 12, 19)
    undecided = file_application(session, fx, _input(w, "a4", ["L7"], filed_on=filed), filed)
    post_notice(session, fx, undecided, date(2026, 12, 20), filed)
    objected = file_application(session, fx, _input(w, "a3", ["L5"], filed_on=filed), filed)
    post_notice(session, fx, objected, date(2026, 12, 20), filed)
    record_objection(session, fx, objected, date(2026, 12, 22), "", "反对", date(2026, 12, 22), NOW)
    today = date(2027, 1, 1)

    def fault(code: str, day: date) -> ElevatorFault:
        at = datetime(day.year, day.month, day.day, 10, tzinfo=CITY_TZ)
        return ElevatorFault(
            elevator_id=w.elevators[code],
            reported_at=at,
            severity=FaultSeverity.minor,
            trapped_passengers=0,
            cause="门锁",
        )

    # the 90 days ending 2027-01-01 begin on 2026-10-04
    session.add_all([fault("L4", date(2026, 10, 4)), fault("L4", date(2026, 11, 1)), fault("L4", date(2026, 12, 31))])
    session.add(fault("L4", date(2026, 10, 3)))  # the day before: outside
    session.add_all([fault("L1", date(2026, 12, d)) for d in (1, 2, 3, 4)])
    session.flush()
    alerts = leader_alerts(session, Area(city_id=w.city_x.id), today)
    assert (alerts.unpayable_30d, alerts.unpayable_60d) == (0, 2)
    assert (alerts.notice_ended_undecided, alerts.objected_unvoted) == (1, 1)
    assert alerts.repeat_fault_count == 1
    assert [(e.registration_code, e.faults) for e in alerts.repeat_fault_elevators] == [("T-L4", 3)]
    assert not leader_alerts(session, Area(city_id=w.city_y.id), today).any


def test_claims_stay_within_the_cover_and_name_the_policys_own_faults(session: Session, w: InsuranceWorld) -> None:
    """L1's policy (2026-02-10 – 2027-02-10, cover 80,000.00 yuan): 50,000.00 paid for a major repair, then
    30,000.01 more would exceed the cover (refused), 30,000.00 reaches it exactly (accepted). A fault of L2 may not
    be named on L1's policy; neither may an L1 fault from before the cover."""
    from data_access.core.clock import CITY_TZ
    from data_access.core.models import ElevatorFault, FaultSeverity, InsuranceClaim
    from data_access.insurance_records import ClaimInput, record_claim

    fx = w.viewers["fx"]
    app_id = _approved(session, w, "a1", ["L1", "L2"])
    l1_policy, _l2_policy = purchase(session, fx, app_id, _purchase_input(w), date(2026, 2, 10))

    def fault(code: str, day: date) -> int:
        f = ElevatorFault(
            elevator_id=w.elevators[code],
            reported_at=datetime(day.year, day.month, day.day, 9, tzinfo=CITY_TZ),
            severity=FaultSeverity.major,
            trapped_passengers=0,
            cause="曳引机",
        )
        session.add(f)
        session.flush()
        return f.id

    l1_fault, l2_fault, early = (
        fault("L1", date(2026, 5, 1)),
        fault("L2", date(2026, 5, 1)),
        fault("L1", date(2026, 2, 9)),
    )
    today = date(2026, 6, 1)

    def claim(amount: int, fault_id: int | None = None, paid: date = date(2026, 5, 20)) -> ClaimInput:
        return ClaimInput(l1_policy, paid, amount, "major_repair", fault_id, "")

    first = record_claim(session, fx, claim(5_000_000, l1_fault), today)
    assert session.get(InsuranceClaim, first).amount_fen == 5_000_000  # type: ignore[union-attr]
    err = _refused(session, lambda: record_claim(session, fx, claim(3_000_001), today))
    assert [(p.key, p.params) for p in err.problems] == [
        ("ins.err.over_cover", {"paid_fen": 5_000_000, "cover_fen": 8_000_000})
    ]
    err = _refused(session, lambda: record_claim(session, fx, claim(100, l2_fault), today))
    assert [p.key for p in err.problems] == ["ins.err.fault_elevator"]
    err = _refused(session, lambda: record_claim(session, fx, claim(100, early), today))
    assert [p.key for p in err.problems] == ["ins.err.fault_outside"]
    err = _refused(session, lambda: record_claim(session, fx, claim(100, paid=date(2026, 2, 9)), today))
    assert [p.key for p in err.problems] == ["ins.err.before_cover"]
    for who in ("fy", "leader", "press", "admin"):
        with pytest.raises((AccessDenied, NotFound)):
            record_claim(session, w.viewers[who], claim(100), today)
    record_claim(session, fx, claim(3_000_000), today)
    view = application_view(session, None, app_id, today, redact=False)
    assert view is not None
    assert [(p.elevator_code, p.claims, p.claims_fen) for p in view.policies] == [
        ("T-L1", 2, 8_000_000),
        ("T-L2", 0, 0),
    ]
    assert {f.id for f in view.faults} == {l1_fault, l2_fault}  # under the policies; the early one is not
