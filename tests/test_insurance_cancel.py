"""Cancelling a policy with a refund (退保), on the hand-made world of tests/insurance_world.py, both engines and both
readers (raw tables and the pre-aggregated ones).

Worked by hand: a1 buys L1 and L2 on 2026-02-10 at 2,200.00 yuan each, cover to 2027-02-10 (365 days); its
balance falls from 7,000.00 to 2,600.00. L1 is cancelled from 2026-08-11: 183 days of cover are left, so the
pro-rata refund is 220,000 × 183 ÷ 365 = 110,301.37 → 110,301 fen; the insurer's statement refunds 1,000.00 yuan
(a short-rate table), credited on 2026-08-20. Then:
- the balance is 260,000 + 100,000 = 360,000 fen; the area's premiums in 2026, net of refunds, 340,000 fen;
- L1 is insured on 2026-08-10 and not on 2026-08-11; L1's policy now ends 2026-08-11, signed to 2027-02-10;
- the loss ratio's premiums for 2026 are 340,000 fen;
- the renewal list at 2027-01-01 holds L2 only (a cancelled policy is not renewed).
Every refusal writes nothing (`snapshot` before and after).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from data_access.core.clock import CITY_TZ
from data_access.core.models import (
    ElevatorFault,
    FaultSeverity,
    InsuranceClaim,
    InsurancePolicy,
    PooledAccountEntry,
    PooledEntryKind,
)
from data_access.core.rules import insured_on, pro_rata_refund
from data_access.core.scope import Area
from data_access.indicators import fund_summary
from data_access.insurance import application_view, renewal_rows
from data_access.insurance_eligibility import pooled_balance
from data_access.insurance_figures import loss_ratios
from data_access.insurance_records import (
    CancelInput,
    ClaimInput,
    NotFound,
    cancel,
    purchase,
    record_claim,
    renew,
)
from data_access.users import AccessDenied
from tests.insurance_world import PREMIUM, InsuranceWorld, build_insurance_world
from tests.test_insurance_records import _approved, _purchase_input, _refused

BOTH_READERS = True
BOUGHT = date(2026, 2, 10)
CANCELLED = date(2026, 8, 11)
REFUNDED = date(2026, 8, 20)
TODAY = date(2026, 9, 1)


@pytest.fixture()
def w(session: Session) -> InsuranceWorld:
    return build_insurance_world(session)


def _bought(session: Session, w: InsuranceWorld) -> tuple[int, int, int]:
    app_id = _approved(session, w, "a1", ["L1", "L2"])
    l1, l2 = purchase(session, w.viewers["fx"], app_id, _purchase_input(w), BOUGHT)
    return app_id, l1, l2


def _cancel(policy: int, **kw: object) -> CancelInput:
    base: dict[str, object] = {
        "policy_id": policy,
        "cancelled_on": CANCELLED,
        "refund_fen": 100_000,
        "refunded_on": REFUNDED,
        "reason": "电梯报废更新",
    }
    base.update(kw)
    return CancelInput(**base)  # type: ignore[arg-type]


def _insured(session: Session, elevator_id: int, day: date) -> bool:
    """The programme's own test (core.rules.insured_on), as every coverage figure asks it."""
    return bool(session.scalar(select(insured_on(literal(elevator_id), literal(day)))))


def test_the_pro_rata_refund_counts_the_days_left() -> None:
    assert pro_rata_refund(PREMIUM, BOUGHT, date(2027, 2, 10), CANCELLED) == 110_301
    assert pro_rata_refund(PREMIUM, BOUGHT, date(2027, 2, 10), BOUGHT) == PREMIUM
    assert pro_rata_refund(PREMIUM, BOUGHT, date(2027, 2, 10), date(2027, 2, 10)) == 0


def test_a_cancellation_ends_the_cover_and_credits_the_refund(session: Session, w: InsuranceWorld) -> None:
    app_id, l1, l2 = _bought(session, w)
    account = w.accounts["a1"]
    assert pooled_balance(session, account) == 700_000 - 2 * PREMIUM
    view = application_view(session, None, app_id, TODAY, redact=False)
    assert view is not None
    assert [p.pro_rata_today_fen for p in view.policies] == [
        PREMIUM * (date(2027, 2, 10) - TODAY).days // 365
    ] * 2  # the form's hint: 162 days left on 2026-09-01

    entry_id = cancel(session, w.viewers["fx"], _cancel(l1), TODAY)

    entry = session.get(PooledAccountEntry, entry_id)
    assert entry is not None
    assert (entry.kind, entry.amount_fen, entry.booked_on, entry.insurance_policy_id) == (
        PooledEntryKind.premium_refund,
        100_000,
        REFUNDED,
        l1,
    )
    assert pooled_balance(session, account) == 360_000
    policy = session.get(InsurancePolicy, l1)
    assert policy is not None
    assert (policy.period_end, policy.contracted_end, policy.cancel_reason) == (
        CANCELLED,
        date(2027, 2, 10),
        "电梯报废更新",
    )
    assert _insured(session, w.elevators["L1"], date(2026, 8, 10))
    assert not _insured(session, w.elevators["L1"], CANCELLED)
    assert _insured(session, w.elevators["L2"], CANCELLED)

    area = Area(city_id=w.city_x.id)
    summary = fund_summary(session, area, TODAY)
    assert summary.premiums_in_year_fen == 2 * PREMIUM - 100_000
    # The pooled part of the balance: 700,000 + 1,000,000 + 500,000 + 180,000 income, less 340,000 net premiums;
    # plus a1's deposit of 5,000,000 (the world's only owner-ledger entry in city X).
    assert summary.balance_fen == 5_000_000 + (700_000 + 180_000 + 500_000 + 1_000_000) - 340_000
    assert loss_ratios(session, area, 2026).total.premiums_fen == 340_000

    view = application_view(session, None, app_id, TODAY, redact=False)
    assert view is not None
    cancelled = {p.id: p for p in view.policies}[l1]
    assert (cancelled.cancelled, cancelled.refund_fen, cancelled.contracted_end) == (True, 100_000, date(2027, 2, 10))
    assert [r.policy_id for r in renewal_rows(session, area, date(2027, 1, 1))] == [l2]


def test_a_zero_refund_writes_no_entry(session: Session, w: InsuranceWorld) -> None:
    _app, l1, _l2 = _bought(session, w)
    before = pooled_balance(session, w.accounts["a1"])
    assert cancel(session, w.viewers["fx"], _cancel(l1, refund_fen=0, refunded_on=None), TODAY) == 0
    assert pooled_balance(session, w.accounts["a1"]) == before
    policy = session.get(InsurancePolicy, l1)
    assert policy is not None and policy.contracted_end == date(2027, 2, 10)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"cancelled_on": BOUGHT}, "ins.err.cancel_outside"),  # the first day: no cover would remain at all
        ({"cancelled_on": date(2027, 2, 10)}, "ins.err.cancel_outside"),  # the day the cover ends anyway
        ({"cancelled_on": None}, "ins.err.required"),
        ({"refund_fen": PREMIUM + 1}, "ins.err.refund_range"),
        ({"refund_fen": -1}, "ins.err.refund_range"),
        ({"refunded_on": date(2026, 9, 2)}, "ins.err.future"),
        ({"refunded_on": date(2026, 2, 9)}, "ins.err.before_cover"),
        ({"reason": "  "}, "ins.err.required"),
        ({"reason": "理由" * 101}, "ins.err.too_long"),
    ],
)
def test_a_bad_cancellation_is_refused_and_nothing_is_written(
    session: Session, w: InsuranceWorld, change: dict[str, object], key: str
) -> None:
    _app, l1, _l2 = _bought(session, w)
    err = _refused(session, lambda: cancel(session, w.viewers["fx"], _cancel(l1, **change), TODAY))
    assert [p.key for p in err.problems] == [key]


def test_cancelled_renewed_or_claimed_later_policies_are_refused(session: Session, w: InsuranceWorld) -> None:
    _app, l1, l2 = _bought(session, w)
    fx = w.viewers["fx"]
    # A claim answering a fault of 2026-08-15 keeps the cover past that day.
    fault = ElevatorFault(
        elevator_id=w.elevators["L2"],
        reported_at=datetime(2026, 8, 15, 9, tzinfo=CITY_TZ),
        severity=FaultSeverity.major,
        trapped_passengers=0,
        cause="曳引机",
    )
    session.add(fault)
    session.flush()
    record_claim(session, fx, ClaimInput(l2, date(2026, 8, 25), 500_000, "major_repair", fault.id, ""), TODAY)
    err = _refused(session, lambda: cancel(session, fx, _cancel(l2), TODAY))
    assert [(p.key, p.params) for p in err.problems] == [("ins.err.cancel_claims", {"day": date(2026, 8, 15)})]
    cancel(session, fx, _cancel(l2, cancelled_on=date(2026, 8, 16)), TODAY)  # after the fault: accepted
    assert session.scalar(select(InsuranceClaim.id).where(InsuranceClaim.insurance_policy_id == l2)) is not None

    cancel(session, fx, _cancel(l1), TODAY)
    err = _refused(session, lambda: cancel(session, fx, _cancel(l1, cancelled_on=date(2026, 8, 1)), TODAY))
    assert [p.key for p in err.problems] == ["ins.err.cancelled"]
    # A cancelled policy cannot be renewed: it is off the list, and a renewal names it in vain.
    err = _refused(session, lambda: renew(session, fx, [l1], date(2026, 8, 20), TODAY))
    assert [p.key for p in err.problems] == ["ins.err.cancelled"]


def test_a_renewed_policy_is_refused(session: Session, w: InsuranceWorld) -> None:
    _app, l1, _l2 = _bought(session, w)
    fx = w.viewers["fx"]
    (successor,) = renew(session, fx, [l1], date(2027, 1, 5), date(2027, 1, 5))
    err = _refused(session, lambda: cancel(session, fx, _cancel(l1, cancelled_on=date(2027, 1, 10)), date(2027, 1, 10)))
    assert [p.key for p in err.problems] == ["ins.err.cancel_renewed"]
    cancel(
        session, fx, _cancel(successor, cancelled_on=date(2027, 3, 1), refunded_on=date(2027, 3, 2)), date(2027, 3, 5)
    )


@pytest.mark.parametrize("who", ["fy", "leader", "press", "admin", "steward", "organiser"])
def test_only_the_citys_fund_centre_cancels(session: Session, w: InsuranceWorld, who: str) -> None:
    _app, l1, _l2 = _bought(session, w)
    before_balance = pooled_balance(session, w.accounts["a1"])
    with pytest.raises((AccessDenied, NotFound)):
        cancel(session, w.viewers[who], _cancel(l1), TODAY)
    assert pooled_balance(session, w.accounts["a1"]) == before_balance
    policy = session.get(InsurancePolicy, l1)
    assert policy is not None and policy.contracted_end is None
