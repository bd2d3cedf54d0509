"""The insurance desk's lists read a block at a time (data_access.insurance: application_page, stage_totals,
renewal_list) and the overview's leader alerts, on a hand-made world with known answers, on both engines.

The world is tests/insurance_world.py's (today 2026-02-01; city X: accounts a1–a4 in 保险小区, district 新一区) with
a second compound in X, "Alpha Court" (district 新二区, account ab), and these applications (stages on today):

    app  account filed       notice             objections decision     decided     policies elevators  stage
    A1   a1      2026-01-05  -                  0          pending      -           0        1          filed
    A2   a2      2026-01-10  01-12 – 01-18      0          pending      -           2        1          notice_ended
    A3   a3      2026-01-20  01-25 – 02-03      0          pending      -           0        1          in_notice
    A4   a3      2026-01-15  01-16 – 01-22      2          pending      -           2        1          objected
    A5   a4      2025-12-01  12-02 – 12-08      0          approved     2025-12-15  1        1          purchased
    A6   a1      2025-11-01  11-02 – 11-08      0          approved     2025-11-20  2        2          purchased
    A7   a2      2025-10-01  10-02 – 10-08      1          vote_failed  2025-10-30  0        1          vote_failed
    A8   ab      2025-09-01  -                  0          refused      2025-09-05  0        1          refused
    A9   ab      2026-01-30  -                  0          withdrawn    2026-01-31  0        1          withdrawn
    A10  a3      2026-01-31  02-05 – 02-11      0          pending      -           0        2          filed (later)
    A11  a4      2026-01-01  01-02 – 01-08      0          approved     2026-03-01  0        1          approved
    AY   ay (Y)  2026-01-20  -                  0          pending      -           1        1          filed

A11 is decided with a date after today: the stage list shows it approved (its record), while the overview's alert,
reading the record as of today as the elevator page's funnel does, still counts it as a notice ended undecided.

Policies (premiums in fen; balances a1 700,000, a2 180,000, a3 500,000, a4 1,000,000):

    policy  app  elevator  cover                     premium  note
    P1      A6   T-L1      2025-03-01 – 2026-03-01   400,000
    P2      A6   T-L2      2025-03-10 – 2026-03-10   400,000  a1 owes 800,000 > 700,000: cannot pay
    P3      A5   T-L7      2025-02-20 – 2026-02-20   220,000  a4 can pay
    P5      A2   T-L4      2024-02-05 – 2025-02-05   100,000  renewed by P6: not on the worklist
    P6      A2   T-L4      2025-02-05 – 2026-02-05   100,000  a2 can pay (180,000)
    P7      A4   T-L5      2025-06-01 – 2026-06-01   100,000  outside 60 days
    P8      A4   T-L6      2025-03-01 – 2026-03-01   100,000  cancelled: never renewed
    PY      AY   T-LY      2025-02-10 – 2026-02-10   100,000  city Y

(P5/P6 and P7/P8 hang off applications A2 and A4 only to name an account: the worklist reads a policy's account
through its application.) The worklist on 2026-02-01, 60 days: P6 (02-05), P3 (02-20), P1 (03-01), P2 (03-10).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session

from data_access.core.models import (
    ApplicationElevator,
    Building,
    Compound,
    District,
    Elevator,
    InsuranceApplication,
    InsurancePolicy,
    PooledAccount,
)
from data_access.core.rules import STAGE_ORDER, Stage
from data_access.core.scope import Area
from data_access.insurance import (
    TextCondition,
    TextFilter,
    application_page,
    application_rows,
    leader_alerts,
    renewal_list,
    renewal_rows,
    stage_counts,
    stage_funnel,
    stage_totals,
)
from tests.insurance_world import TODAY, InsuranceWorld, build_insurance_world


@dataclass
class Desk:
    w: InsuranceWorld
    apps: dict[str, int]
    policies: dict[str, int]

    @property
    def x(self) -> Area:
        return Area(city_id=self.w.city_x.id)

    def names(self, ids: list[int]) -> list[str]:
        back = {v: k for k, v in self.apps.items()}
        return [back[i] for i in ids]


D = date


@pytest.fixture()
def desk(session: Session) -> Desk:
    w = build_insurance_world(session)
    x2 = District(city_id=w.city_x.id, name="新二区", name_en="X2")
    session.add(x2)
    session.flush()
    alpha = Compound(district_id=x2.id, name="Alpha Court", households=80, residents=200, completed_on=D(2010, 1, 1))
    session.add(alpha)
    session.flush()
    building = Building(compound_id=alpha.id, number="9", floors=12)
    session.add(building)
    session.flush()
    ab = PooledAccount(building_id=building.id, opened_on=D(2021, 1, 1))
    lift = Elevator(registration_code="T-LA", building_id=building.id, in_service_on=D(2015, 1, 1))
    session.add_all([ab, lift])
    session.flush()
    accounts = {**w.accounts, "ab": ab.id}
    lifts = {**w.elevators, "LA": lift.id}
    plan = {  # name: account, filed, notice, objections, decision, decided, elevators, applicant
        "A1": ("a1", D(2026, 1, 5), None, 0, "pending", None, ["L1"], "n05"),
        "A2": ("a2", D(2026, 1, 10), (D(2026, 1, 12), D(2026, 1, 18)), 0, "pending", None, ["L4"], "n02"),
        "A3": ("a3", D(2026, 1, 20), (D(2026, 1, 25), D(2026, 2, 3)), 0, "pending", None, ["L5"], "n09"),
        "A4": ("a3", D(2026, 1, 15), (D(2026, 1, 16), D(2026, 1, 22)), 2, "pending", None, ["L6"], "n01"),
        "A5": ("a4", D(2025, 12, 1), (D(2025, 12, 2), D(2025, 12, 8)), 0, "approved", D(2025, 12, 15), ["L7"], "n07"),
        "A6": (
            "a1",
            D(2025, 11, 1),
            (D(2025, 11, 2), D(2025, 11, 8)),
            0,
            "approved",
            D(2025, 11, 20),
            ["L1", "L2"],
            "n03",
        ),
        "A7": (
            "a2",
            D(2025, 10, 1),
            (D(2025, 10, 2), D(2025, 10, 8)),
            1,
            "vote_failed",
            D(2025, 10, 30),
            ["L4"],
            "n08",
        ),
        "A8": ("ab", D(2025, 9, 1), None, 0, "refused", D(2025, 9, 5), ["LA"], "n04"),
        "A9": ("ab", D(2026, 1, 30), None, 0, "withdrawn", D(2026, 1, 31), ["LA"], None),
        "A10": ("a3", D(2026, 1, 31), (D(2026, 2, 5), D(2026, 2, 11)), 0, "pending", None, ["L5", "L6"], "n10"),
        "A11": ("a4", D(2026, 1, 1), (D(2026, 1, 2), D(2026, 1, 8)), 0, "approved", D(2026, 3, 1), ["L7"], "n06"),
        "AY": ("ay", D(2026, 1, 20), None, 0, "pending", None, ["LY"], "y01"),
    }
    apps: dict[str, int] = {}
    for name, (acc, filed, notice, objections, decision, decided, codes, applicant) in plan.items():
        app = InsuranceApplication(
            pooled_account_id=accounts[acc],
            applicant_type="owners_committee",
            applicant_name=applicant,
            filed_on=filed,
            notice_from=notice[0] if notice else None,
            notice_to=notice[1] if notice else None,
            written_objections=objections,
            decision=decision,
            decided_on=decided,
        )
        session.add(app)
        session.flush()
        apps[name] = app.id
        session.add_all(ApplicationElevator(application_id=app.id, elevator_id=lifts[c]) for c in codes)
    cover = {  # name: application, elevator, start, end, premium, cancelled
        "P1": ("A6", "L1", D(2025, 3, 1), D(2026, 3, 1), 400_000, False),
        "P2": ("A6", "L2", D(2025, 3, 10), D(2026, 3, 10), 400_000, False),
        "P3": ("A5", "L7", D(2025, 2, 20), D(2026, 2, 20), 220_000, False),
        "P5": ("A2", "L4", D(2024, 2, 5), D(2025, 2, 5), 100_000, False),
        "P6": ("A2", "L4", D(2025, 2, 5), D(2026, 2, 5), 100_000, False),
        "P7": ("A4", "L5", D(2025, 6, 1), D(2026, 6, 1), 100_000, False),
        "P8": ("A4", "L6", D(2025, 3, 1), D(2026, 3, 1), 100_000, True),
        "PY": ("AY", "LY", D(2025, 2, 10), D(2026, 2, 10), 100_000, False),
    }
    policies: dict[str, int] = {}
    for name, (app_name, code, start, end, premium, cancelled) in cover.items():
        p = InsurancePolicy(
            elevator_id=lifts[code],
            application_id=apps[app_name],
            insurer_id=w.insurer_id,
            policy_no=f"PN-{name}",
            period_start=start,
            period_end=end,
            premium_fen=premium,
            cover_fen=8_000_000,
            contracted_end=D(2026, 6, 1) if cancelled else None,
            cancel_reason="电梯报废" if cancelled else None,
        )
        session.add(p)
        session.flush()
        policies[name] = p.id
    session.flush()
    return Desk(w, apps, policies)


DAYS = (D(2025, 9, 15), D(2026, 1, 17), D(2026, 1, 20), TODAY, D(2026, 2, 6), D(2026, 3, 1))


def test_the_stage_in_sql_is_the_stage_rule(session: Session, desk: Desk) -> None:
    """Every application's stage read by the list's statement is core.rules.application_stage's, on days that move
    them through the procedure; the totals are stage_counts of application_rows."""
    for day in DAYS:
        expected = {r.id: r.stage for r in application_rows(session, desk.x, day, redact=False)}
        page = application_page(session, desk.x, day, redact=False, count=100)
        assert {r.id: r.stage for r in page.rows} == expected, day
        assert stage_totals(session, desk.x, day) == stage_counts(application_rows(session, desk.x, day, False)), day
    stages = {desk.names([r.id])[0]: r.stage for r in application_page(session, desk.x, TODAY, False).rows}
    assert stages == {
        "A1": Stage.filed,
        "A2": Stage.notice_ended,
        "A3": Stage.in_notice,
        "A4": Stage.objected,
        "A5": Stage.purchased,
        "A6": Stage.purchased,
        "A7": Stage.vote_failed,
        "A8": Stage.refused,
        "A9": Stage.withdrawn,
        "A10": Stage.filed,
        "A11": Stage.approved,
    }
    totals = {s: (a, e) for s, a, e in stage_totals(session, desk.x, TODAY)}
    assert totals[Stage.filed] == (2, 3) and totals[Stage.purchased] == (2, 3) and totals[Stage.approved] == (1, 1)
    assert [s for s, _a, _e in stage_totals(session, desk.x, TODAY)] == list(STAGE_ORDER)
    assert {s: a for s, a, _e in stage_totals(session, Area(city_id=desk.w.city_y.id), TODAY) if a} == {Stage.filed: 1}


def test_a_block_in_the_default_order_with_the_total(session: Session, desk: Desk) -> None:
    """Newest first (ties by id, newest first), exactly as application_rows; a block is a slice of it."""
    every = [r.id for r in application_rows(session, desk.x, TODAY, redact=False)]
    page = application_page(session, desk.x, TODAY, redact=False)
    assert [r.id for r in page.rows] == every and page.total == 11
    assert desk.names(every) == ["A10", "A9", "A3", "A4", "A2", "A1", "A11", "A5", "A6", "A7", "A8"]
    block = application_page(session, desk.x, TODAY, redact=False, start=2, count=3)
    assert desk.names([r.id for r in block.rows]) == ["A3", "A4", "A2"] and block.total == 11
    past = application_page(session, desk.x, TODAY, redact=False, start=40, count=100)
    assert past.rows == [] and past.total == 11
    a6 = next(r for r in page.rows if r.id == desk.apps["A6"])
    assert (a6.elevators, a6.policies, a6.compound, a6.district, a6.building) == (2, 2, "保险小区", "新一区", "1")
    assert application_page(session, desk.x, TODAY, redact=False, start=0, count=0).rows == []


def test_sorted_on_the_server(session: Session, desk: Desk) -> None:
    def order(*sort: tuple[str, bool], redact: bool = False) -> list[str]:
        return desk.names([r.id for r in application_page(session, desk.x, TODAY, redact, sort=sort).rows])

    # the procedure's order of stages; within one, newest first
    assert order(("stage", False)) == ["A10", "A1", "A3", "A2", "A4", "A11", "A5", "A6", "A7", "A8", "A9"]
    assert order(("filed_on", False))[:3] == ["A8", "A7", "A6"]
    assert order(("compound", False))[:2] == ["A9", "A8"]  # Alpha Court before 保险小区
    assert order(("district", True))[:2] == ["A9", "A8"]  # 新二区 after 新一区: first when descending
    assert order(("elevators", True), ("filed_on", False))[:2] == ["A6", "A10"]  # two elevators each, oldest first
    # names sort ascending, an application without one last in either direction
    assert order(("applicant", False)) == ["A4", "A2", "A6", "A8", "A1", "A11", "A5", "A7", "A3", "A10", "A9"]
    assert order(("applicant", True))[-1] == "A9"
    # the press cannot learn the order of names: the key is ignored, and no name is read
    redacted = application_page(session, desk.x, TODAY, True, sort=(("applicant", False),))
    assert desk.names([r.id for r in redacted.rows]) == order()
    assert {r.applicant_name for r in redacted.rows} == {None}
    assert order(("no-such-column", True)) == order()


def test_filtered_on_the_server(session: Session, desk: Desk) -> None:
    def found(*filters: TextFilter, stages: frozenset[Stage] | None = None) -> tuple[list[str], int]:
        page = application_page(session, desk.x, TODAY, False, filters=filters, stages=stages)
        return desk.names([r.id for r in page.rows]), page.total

    def cond(column: str, *conditions: tuple[str, str], any_of: bool = False) -> TextFilter:
        return TextFilter(column, tuple(TextCondition(op, text) for op, text in conditions), any_of)

    assert found(cond("compound", ("contains", "ALPHA"))) == (["A9", "A8"], 2)  # case does not matter
    assert found(cond("compound", ("notContains", "alpha")))[1] == 9
    assert found(cond("district", ("equals", "新二区"))) == (["A9", "A8"], 2)
    assert found(cond("compound", ("startsWith", "保险")))[1] == 9
    assert found(cond("compound", ("endsWith", "court"))) == (["A9", "A8"], 2)
    assert found(cond("compound", ("contains", "%")))[1] == 0  # a wildcard is a character
    assert found(cond("compound", ("contains", "alpha"), ("contains", "保险"), any_of=True))[1] == 11
    assert found(cond("compound", ("contains", "alpha"), ("contains", "保险")))[1] == 0
    assert found(cond("compound", ("contains", "  ")))[1] == 11  # an empty condition filters nothing
    assert found(cond("compound", ("notBlank", "")))[1] == 11 and found(cond("district", ("blank", "")))[1] == 0
    assert found(stages=frozenset({Stage.objected, Stage.in_notice})) == (["A3", "A4"], 2)
    assert found(stages=frozenset()) == ([], 0)
    assert found(cond("district", ("equals", "新二区")), stages=frozenset({Stage.refused})) == (["A8"], 1)
    assert found(TextFilter("applicant_name", (TextCondition("equals", "n01"),)))[1] == 11  # not a filter column


def test_only_the_area_s_applications(session: Session, desk: Desk) -> None:
    y = application_page(session, Area(city_id=desk.w.city_y.id), TODAY, False)
    assert desk.names([r.id for r in y.rows]) == ["AY"] and y.total == 1
    assert application_page(session, Area(), TODAY, False).total == 12


def test_the_renewal_worklist_shows_its_first_rows_and_counts_the_rest(session: Session, desk: Desk) -> None:
    full = renewal_rows(session, desk.x, TODAY)
    assert [r.policy_no for r in full] == ["PN-P6", "PN-P3", "PN-P1", "PN-P2"]
    assert [(r.balance_fen, r.account_due_fen, r.can_pay) for r in full] == [
        (180_000, 100_000, True),
        (1_000_000, 220_000, True),
        (700_000, 800_000, False),
        (700_000, 800_000, False),
    ]
    listed = renewal_list(session, desk.x, TODAY)
    assert (listed.rows, listed.matching, listed.unable_accounts) == (full, 4, 1)
    first = renewal_list(session, desk.x, TODAY, shown=2)
    assert (first.rows, first.matching, first.unable_accounts) == (full[:2], 4, 1)
    for day, days in ((D(2026, 1, 1), 30), (D(2026, 1, 1), 365), (D(2026, 3, 5), 60), (D(2027, 1, 1), 365)):
        assert renewal_list(session, desk.x, day, days).rows == renewal_rows(session, desk.x, day, days), (day, days)


def test_the_worklist_search_finds_among_all_and_judges_accounts_on_all(session: Session, desk: Desk) -> None:
    """A search narrows the rows; whether an account can pay is still judged on all its renewals due."""
    one = renewal_list(session, desk.x, TODAY, search="t-l1")
    assert [(r.policy_no, r.account_due_fen, r.can_pay) for r in one.rows] == [("PN-P1", 800_000, False)]
    assert (one.matching, one.unable_accounts) == (1, 1)
    both = renewal_list(session, desk.x, TODAY, search="保险小区 T-L7")  # every word, each in some column
    assert [r.policy_no for r in both.rows] == ["PN-P3"] and both.unable_accounts == 0
    assert [r.policy_no for r in renewal_list(session, desk.x, TODAY, search="pn-p2").rows] == ["PN-P2"]
    assert len(renewal_list(session, desk.x, TODAY, search="保险测试").rows) == 4  # the insurer's name
    nothing = renewal_list(session, desk.x, TODAY, search="T-LY")  # city Y's: not in X's list
    assert (nothing.rows, nothing.matching, nothing.unable_accounts) == ([], 0, 0)
    assert renewal_list(session, desk.x, TODAY, search="%").matching == 0
    assert renewal_list(session, Area(city_id=desk.w.city_y.id), TODAY).matching == 1


def test_the_leader_alerts_count_what_the_lists_show(session: Session, desk: Desk) -> None:
    """P1 and P2 (a1 cannot pay) end within 60 days, P1 within 30 (by 2026-03-03); A2 and A11 (decided only on
    2026-03-01) are past their notice undecided; A4 is objected with no vote."""
    alerts = leader_alerts(session, desk.x, TODAY)
    assert (alerts.unpayable_30d, alerts.unpayable_60d) == (1, 2)
    assert (alerts.notice_ended_undecided, alerts.objected_unvoted) == (2, 1)
    funnel = {s: a for s, a, _e in stage_funnel(session, desk.x, TODAY)}
    assert alerts.notice_ended_undecided == funnel[Stage.notice_ended]
    for day in DAYS:
        renewals = renewal_rows(session, desk.x, day)
        late = [r for r in renewals if not r.can_pay and r.period_end > day]
        got = leader_alerts(session, desk.x, day)
        assert got.unpayable_60d == len(late), day
        assert got.unpayable_30d == sum(1 for r in late if (r.period_end - day).days <= 30), day
        assert (
            got.notice_ended_undecided == {s: a for s, a, _e in stage_funnel(session, desk.x, day)}[Stage.notice_ended]
        )
    assert not leader_alerts(session, Area(city_id=desk.w.city_y.id), D(2026, 2, 20)).unpayable_60d
