"""Stage 3: programme rules, insurance applications, policies and the premiums they debit.

Applications follow each city's rule (data, not constants): eligible elevators only, a public
notice of notice_days, an owners' vote after a written objection. Owners only apply when the pooled
account's value-added income can pay every renewal up to today and each debit still leaves one
year's premium for every elevator of the account, so condition 2 (the account can pay one year's
premium) holds before and after every premium debit.

Every application names its applicant (a synthetic person from names.py; contacts are masked numbers), a
withdrawal or refusal says why, and each written objection is a row dated within the notice period. The owners'
vote records owners and floor area (the building's or unit's households, 80–140 m² each) and its decision is
what core.rules.vote_result gives for those figures under the city's rule; about a quarter of the votes fail, on
quorum or on approval. Yearly policies of one elevator under one application are renewals of each other.

Xiangtan's filings come in waves so that its coverage (insured ÷ eligible elevators with an
application filed and not withdrawn) is about half at the end of 2024 (target 40% met) and just short
of complete at the end of 2025 (target 100% missed: some cases still in notice or in a vote).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from data_access.core.rules import VoteFigures, vote_result
from data_access.demo import names
from data_access.demo.fund import pooled_entry
from data_access.demo.world import (
    AccountRec,
    CityRec,
    CompoundRec,
    ElevatorRec,
    PolicyRec,
    Rule,
    World,
    add_years,
    local,
    rand_date,
)

ZZ_ADOPTION = 0.55  # share of eligible Zhuzhou compounds whose owners apply at some point
XT_ADOPTION = 0.70
# Zhuzhou adoption windows after Shanshui Wenyuan's July 2022 application (start, end, weight).
ZZ_WINDOWS = (
    (date(2022, 7, 15), date(2022, 12, 31), 15),
    (date(2023, 1, 1), date(2023, 12, 31), 26),
    (date(2024, 1, 1), date(2024, 12, 31), 24),
    (date(2025, 1, 1), date(2025, 12, 31), 20),
    (date(2026, 1, 1), date(2026, 12, 31), 12),
    (date(2027, 1, 1), date(2030, 12, 31), 20),
)
# Xiangtan waves: (first filing day, last filing day, share of applying elevators).
XT_WAVES = (
    (date(2024, 9, 16), date(2024, 11, 22), 0.25),
    (date(2024, 12, 20), date(2024, 12, 30), 0.25),  # year-end rush: still in notice on 31 Dec
    (date(2025, 1, 6), date(2025, 11, 28), 0.43),
    (date(2025, 12, 18), date(2025, 12, 30), 0.07),
)


VOTE_PASS_SHARE = 0.74  # owners' votes meant to pass; the rest miss the quorum or the approval
CENT = Decimal("0.01")


@dataclass(slots=True, eq=False)
class Applicant:
    type: str
    owner_count: int | None
    name: str
    contact: str


@dataclass(slots=True, eq=False)
class Vote:
    """An owners' vote as the fund centre records it (core.rules.VoteFigures)."""

    owners_total: int
    area_total: Decimal
    participants: int
    participant_area: Decimal
    agree: int
    agree_area: Decimal

    def passed(self, city: CityRec) -> bool:
        figures = VoteFigures(
            self.owners_total, self.area_total, self.participants, self.participant_area, self.agree, self.agree_area
        )
        return vote_result(city.rule_spec, figures).passed


@dataclass(slots=True, eq=False)
class AppPlan:
    account: AccountRec
    elevators: list[ElevatorRec]
    applicant: Applicant
    filed: date
    notice_from: date | None = None
    notice_to: date | None = None
    objections: int = 0
    vote_held: date | None = None
    vote: Vote | None = None
    decision: str = "pending"
    decided: date | None = None
    note: str | None = None  # why withdrawn or refused
    starts: list[date] = field(default_factory=list)


def build(w: World) -> None:
    for city in w.cities:
        _write_rule(w, city)
    plans = _shanshui(w) + _zhuzhou(w) + _xiangtan(w)
    for city in w.cities:
        plans += _refused(w, city)
    plans.sort(key=lambda p: (p.filed, p.account.id))
    _write(w, plans)
    w.writer.flush()


def _write_rule(w: World, city: CityRec) -> None:
    spec, wr = city.rule_spec, w.writer
    city.rule = Rule(wr.next_id("programme_rule"), spec)
    wr.add(
        "programme_rule",
        {
            "id": city.rule.id,
            "city_id": city.id,
            "title": spec.title,
            "document_no": spec.document_no,
            "effective_from": spec.effective_from,
            "effective_to": spec.effective_to,
            "warranty_years": spec.warranty_years,
            "notice_days": spec.notice_days,
            "min_applicant_owners": spec.min_applicant_owners,
            "min_premium_years": spec.min_premium_years,
            "cover_per_elevator_fen": spec.cover_per_elevator_fen,
            "annual_premium_fen": spec.annual_premium_fen,
            "vote_participation_num": spec.vote_participation_num,
            "vote_participation_den": spec.vote_participation_den,
            "vote_approval_num": spec.vote_approval_num,
            "vote_approval_den": spec.vote_approval_den,
        },
    )
    for due, share in spec.targets:
        wr.add(
            "coverage_target",
            {
                "id": wr.next_id("coverage_target"),
                "programme_rule_id": city.rule.id,
                "due_on": due,
                "share": share,
            },
        )


# --------------------------------------------------------------------------- eligibility helpers


def _eligible(acct: AccountRec, d: date, city: CityRec) -> list[ElevatorRec]:
    """Elevators of the account meeting conditions 3–5 on day d (condition 2 is checked apart)."""
    if not acct.building.compound.orderly:
        return []
    years = city.rule_spec.warranty_years
    return [e for e in acct.elevators if e.normal and e.insurer_ok and add_years(e.in_service_on, years) <= d]


def _can_file(acct: AccountRec, n: int, d: date, city: CityRec) -> bool:
    spec = city.rule_spec
    return acct.balance_at(d) >= spec.min_premium_years * n * spec.annual_premium_fen


def _renewals(w: World, acct: AccountRec, n: int, first: date, city: CityRec) -> list[date] | None:
    """Yearly policy starts up to today, or None if the account would run dry before today.

    Each debit must leave at least one year's premium for every elevator of the account's scope,
    so an insured account keeps meeting condition 2 on every later day as well.
    """
    spec = city.rule_spec
    premium = spec.annual_premium_fen * n
    keep = spec.annual_premium_fen * len(acct.elevators) * spec.min_premium_years
    starts: list[date] = []
    paid = 0
    while True:
        start = add_years(first, len(starts))
        if start > w.today:
            return starts
        if acct.balance_at(start) - paid - premium < keep:
            return None
        starts.append(start)
        paid += premium


def _applicant(w: World, acct: AccountRec, city: CityRec, filed: date) -> Applicant | None:
    """Who files: the owners' committee (if formed by then), 3+ owners of the unit (only for a unit's account, as
    the writer requires) or the property company; None when nobody could (no committee, no company, and a
    building account)."""
    rng = w.rng
    c = acct.building.compound
    committee = c.committee_on is not None and c.committee_on <= filed
    r = rng.random()
    if committee and r < (0.45 if acct.unit is not None else 0.6):
        return Applicant("owners_committee", None, f"{c.name}业主委员会（{names.person(rng)}）", names.mobile(rng))
    if acct.unit is not None and (r < 0.78 or c.company is None):
        low = city.rule_spec.min_applicant_owners
        n = rng.randint(low, low + 9)
        return Applicant("unit_owners", n, f"{names.person(rng)}等{n}户业主", names.mobile(rng))
    if c.company is not None:
        return Applicant("property_company", None, f"{c.company.name}（{names.person(rng)}）", names.mobile(rng))
    if committee:
        return Applicant("owners_committee", None, f"{c.name}业主委员会（{names.person(rng)}）", names.mobile(rng))
    return None


def _vote(w: World, city: CityRec, plan: AppPlan) -> bool:
    """Record the owners' vote's figures on the plan and return whether they pass under the city's rule.

    Owners are the households of the account's unit or building, each with 80–140 m²; about three quarters of
    votes are meant to pass, the others miss the quorum (by number and area) or the approval. The decision is
    whatever core.rules.vote_result says of the figures, so it never disagrees with them."""
    rng = w.rng
    scope = plan.account.unit if plan.account.unit is not None else plan.account.building
    owners = max(6, scope.households)
    per_owner = rng.uniform(80.0, 140.0)
    area = owners * per_owner
    r = rng.random()
    if r < VOTE_PASS_SHARE:
        take_part, agree = rng.uniform(0.69, 0.93), rng.uniform(0.55, 0.9)
    elif r < VOTE_PASS_SHARE + (1 - VOTE_PASS_SHARE) / 2:
        take_part, agree = rng.uniform(0.42, 0.64), rng.uniform(0.5, 0.85)  # too few owners take part
    else:
        take_part, agree = rng.uniform(0.68, 0.92), rng.uniform(0.22, 0.47)  # most participants disagree
    participants = min(owners, max(1, round(owners * take_part)))
    agreeing = min(participants, round(participants * agree))
    participant_area = min(area, participants * per_owner * rng.uniform(0.97, 1.03))
    agree_area = min(participant_area, agreeing * per_owner * rng.uniform(0.96, 1.04))
    plan.vote = Vote(
        owners,
        Decimal(area).quantize(CENT),
        participants,
        Decimal(participant_area).quantize(CENT),
        agreeing,
        Decimal(agree_area).quantize(CENT),
    )
    return plan.vote.passed(city)


def _timeline(w: World, city: CityRec, plan: AppPlan, objection_p: float, withdraw_p: float) -> None:
    """Notice, objections, the owners' vote and the decision, cut off at today (later = pending)."""
    rng, today = w.rng, w.today
    plan.notice_from = plan.filed + timedelta(days=rng.randint(1, 5))
    plan.notice_to = plan.notice_from + timedelta(days=city.rule_spec.notice_days - 1)
    if rng.random() < withdraw_p:
        plan.decision, plan.decided = "withdrawn", plan.filed + timedelta(days=rng.randint(2, 12))
        plan.note = rng.choice(names.WITHDRAWN_NOTES)
    elif rng.random() >= objection_p:
        plan.decision, plan.decided = "approved", plan.notice_to + timedelta(days=rng.randint(1, 4))
    else:
        plan.objections = rng.choice((1, 1, 1, 2, 2, 3, 4, 6))
        plan.vote_held = plan.notice_to + timedelta(days=rng.randint(12, 35))
        plan.decision = "approved" if _vote(w, city, plan) else "vote_failed"
        plan.decided = plan.vote_held  # the decision is the vote's result (as the product's writer records it)
        if plan.vote_held > today:
            plan.vote_held, plan.vote = None, None
    if plan.decided is not None and plan.decided > today:
        plan.decision, plan.decided, plan.note = "pending", None, None


def _apply(
    w: World,
    city: CityRec,
    acct: AccountRec,
    filed: date,
    objection_p: float = 0.07,
    withdraw_p: float = 0.02,
) -> AppPlan | None:
    """One account's application on `filed`, or None if it is not eligible or could not keep paying."""
    if filed >= w.today:
        return None
    elevators = _eligible(acct, filed, city)
    if not elevators or not _can_file(acct, len(elevators), filed, city):
        return None
    if _renewals(w, acct, len(elevators), filed + timedelta(days=20), city) is None:
        return None  # owners only apply when the account can keep the cover going
    applicant = _applicant(w, acct, city, filed)
    if applicant is None:
        return None
    plan = AppPlan(acct, elevators, applicant, filed)
    _timeline(w, city, plan, objection_p, withdraw_p)
    if plan.decision == "approved":
        assert plan.decided is not None
        starts = _renewals(w, acct, len(elevators), plan.decided + timedelta(days=w.rng.randint(1, 6)), city)
        if starts is None:
            return None  # the fund centre would not start cover the account cannot sustain
        plan.starts = starts
    return plan


def _elevator_accounts(c: CompoundRec) -> list[AccountRec]:
    return [a for b in c.buildings for a in b.accounts if a.elevators]


# --------------------------------------------------------------------------- Zhuzhou


def _shanshui(w: World) -> list[AppPlan]:
    """山水文园: 27 buildings, 104 elevators, filed by the owners' committee in June 2022, cover from July."""
    c = w.named.get("山水文园")
    if c is None:
        return []
    city = c.city
    plans = []
    # One member of the owners' committee organised all 27 buildings' applications (seed 000).
    organiser_name, organiser_phone = names.person(w.rng), names.mobile(w.rng)
    for b in c.buildings[:27]:
        acct = b.accounts[0]
        filed = date(2022, 6, 6)
        organiser = Applicant("owners_committee", None, f"{c.name}业主委员会（{organiser_name}）", organiser_phone)
        plan = AppPlan(acct, list(acct.elevators), organiser, filed)
        plan.notice_from = date(2022, 6, 8)
        plan.notice_to = plan.notice_from + timedelta(days=city.rule_spec.notice_days - 1)
        plan.decision, plan.decided = "approved", date(2022, 6, 20)
        assert len(_eligible(acct, filed, city)) == len(acct.elevators)
        assert _can_file(acct, len(acct.elevators), filed, city)
        starts = _renewals(w, acct, len(acct.elevators), date(2022, 7, 1), city)
        assert starts is not None, "Shanshui Wenyuan's pooled accounts must afford their premiums"
        plan.starts = starts
        plans.append(plan)
    return plans


def _zhuzhou(w: World) -> list[AppPlan]:
    rng, today = w.rng, w.today
    city = w.zhuzhou
    warranty = city.rule_spec.warranty_years
    compounds = [c for c in city.compounds if c.orderly and c.name != "山水文园" and _elevator_accounts(c)]
    weights = [wt for _s, _e, wt in ZZ_WINDOWS]
    early_cap = 3 + len(city.compounds) // 500
    early = 0
    plans: list[AppPlan] = []
    for c in compounds:
        if rng.random() >= ZZ_ADOPTION:
            continue
        n_elevators = sum(len(a.elevators) for a in _elevator_accounts(c))
        if n_elevators <= 12 and early < early_cap and rng.random() < 0.1:
            early += 1  # the first, small pilots before Shanshui Wenyuan's big application
            adopted = rand_date(rng, date(2022, 1, 10), date(2022, 6, 10))
        else:
            start, end, _wt = rng.choices(ZZ_WINDOWS, weights)[0]
            adopted = rand_date(rng, start, end)  # windows beyond today: not yet adopted
        for acct in _elevator_accounts(c):
            usable = [e for e in acct.elevators if e.normal and e.insurer_ok]
            if not usable:
                continue
            # Owners wait for the warranty to end, then for enough income in the pooled account.
            out_of_warranty = min(add_years(e.in_service_on, warranty) for e in usable)
            filed = max(adopted, out_of_warranty + timedelta(days=rng.randint(10, 60)))
            tries = [filed + timedelta(days=rng.randint(0, 12))]
            tries += [d + timedelta(days=rng.randint(20, 70)) for d, _a in acct.credits if d > filed][:2]
            for when in tries:
                if when >= today:
                    break
                plan = _apply(w, city, acct, when)
                if plan is not None:
                    plans.append(plan)
                    break
    return plans


# --------------------------------------------------------------------------- Xiangtan


def _xiangtan(w: World) -> list[AppPlan]:
    rng = w.rng
    city = w.xiangtan
    nominal = date(2024, 10, 1)
    sized: list[tuple[CompoundRec, int]] = []
    for c in city.compounds:
        if not c.orderly or rng.random() >= XT_ADOPTION:
            continue
        n = 0
        for acct in _elevator_accounts(c):
            elevators = _eligible(acct, nominal, city)
            if (
                elevators
                and _can_file(acct, len(elevators), nominal, city)
                and _renewals(w, acct, len(elevators), nominal + timedelta(days=20), city) is not None
            ):
                n += len(elevators)
        if n:
            sized.append((c, n))

    # Greedy fill: each compound goes to the wave furthest below its share of the elevators so far.
    counts = [0] * len(XT_WAVES)
    plans: list[AppPlan] = []
    for c, n in sized:
        total = sum(counts) + n
        wave = max(range(len(XT_WAVES)), key=lambda i: XT_WAVES[i][2] * total - counts[i])
        counts[wave] += n
        first, last, _share = XT_WAVES[wave]
        adopted = rand_date(rng, first, last)
        for acct in _elevator_accounts(c):
            filed = min(adopted + timedelta(days=rng.randint(0, 3)), last)
            plan = _apply(w, city, acct, filed, objection_p=0.06)
            if plan is not None:
                plans.append(plan)
    _tune_xiangtan(w, city, plans)
    return plans


def _coverage(plans: list[AppPlan], d: date) -> float:
    """Insured ÷ applied (filed by d, not withdrawn) elevators on day d, as the targets measure it."""
    applied = [p for p in plans if p.filed <= d and p.decision != "withdrawn"]
    total = sum(len(p.elevators) for p in applied)
    insured = sum(len(p.elevators) for p in applied if any(s <= d < add_years(s, 1) for s in p.starts))
    return insured / total if total else 0.0


def _tune_xiangtan(w: World, city: CityRec, plans: list[AppPlan]) -> None:
    """Nudge a few cases so that coverage lands in the designed bands even in a small sample.

    End of 2024: 45–50% (approvals pushed into a January vote, or a December filing brought
    forward); end of 2025: 90–96% (late cases sent to a January vote, or filed a few weeks earlier).
    """
    rng = w.rng
    end_2024, end_2025 = date(2024, 12, 31), date(2025, 12, 31)
    if w.today <= end_2025 + timedelta(days=40):
        return
    tried: set[int] = set()

    def quiet(p: AppPlan) -> bool:
        return p.decision == "approved" and p.objections == 0 and bool(p.starts) and id(p) not in tried

    def to_vote(p: AppPlan, first: date, last: date) -> None:
        p.objections = rng.choice((1, 1, 2, 2, 3, 4))
        p.vote_held = rand_date(rng, first, last)
        passed = _vote(w, city, p)
        p.decided = p.vote_held
        starts = None
        if passed:
            starts = _renewals(w, p.account, len(p.elevators), p.decided + timedelta(days=rng.randint(1, 6)), city)
        # Approved by the vote but not bought (rarely: the account could no longer sustain the cover) stays
        # approved without a policy, as the product would show it.
        p.decision, p.starts = ("approved" if passed else "vote_failed"), starts or []

    def refile(p: AppPlan, first: date, last: date) -> None:
        """File the case a few weeks earlier (quick notice, no objection) if the account allows it."""
        tried.add(id(p))
        filed = rand_date(rng, first, last)
        notice_from = filed + timedelta(days=rng.randint(1, 3))
        notice_to = notice_from + timedelta(days=city.rule_spec.notice_days - 1)
        decided = notice_to + timedelta(days=rng.randint(1, 3))
        starts = _renewals(w, p.account, len(p.elevators), decided + timedelta(days=rng.randint(1, 3)), city)
        if starts and _can_file(p.account, len(p.elevators), filed, city):
            p.filed, p.notice_from, p.notice_to, p.decided, p.starts = (
                filed,
                notice_from,
                notice_to,
                decided,
                starts,
            )

    for day, low, high, vote_window, refile_window in (
        (
            end_2024,
            0.46,
            0.49,
            (date(2025, 1, 6), date(2025, 1, 24)),
            (date(2024, 11, 22), date(2024, 12, 1)),
        ),
        (
            end_2025,
            0.91,
            0.95,
            (date(2026, 1, 8), date(2026, 1, 26)),
            (date(2025, 11, 17), date(2025, 11, 28)),
        ),
    ):
        for _ in range(len(plans)):
            cov = _coverage(plans, day)
            if cov > high:
                pool = [p for p in plans if quiet(p) and day - timedelta(days=100) <= p.filed and p.starts[0] <= day]
                if not pool:
                    break
                to_vote(rng.choice(pool), *vote_window)
            elif cov < low:
                pool = [p for p in plans if quiet(p) and p.filed <= day < p.starts[0]]
                if not pool:
                    break
                refile(rng.choice(pool), *refile_window)
            else:
                break


# --------------------------------------------------------------------------- refusals


def _refused(w: World, city: CityRec) -> list[AppPlan]:
    """Applications the fund centre refused: management not orderly, or elevators failing a condition."""
    rng, today = w.rng, w.today
    spec = city.rule_spec
    first = max(spec.effective_from, date(2022, 3, 1))
    last = min(spec.effective_to or today, today - timedelta(days=15))
    plans = []
    for c in city.compounds:
        accounts = _elevator_accounts(c)
        if not accounts or c.named:
            continue
        if c.orderly:
            accounts = [a for a in accounts if not any(e.normal and e.insurer_ok for e in a.elevators)]
            p = 0.3
        else:
            p = 0.2
        if not accounts or rng.random() >= p:
            continue
        acct = rng.choice(accounts)
        filed = rand_date(rng, first, last)
        applicant = _applicant(w, acct, city, filed)
        if applicant is None:
            continue
        plan = AppPlan(acct, list(acct.elevators), applicant, filed)
        plan.decision, plan.decided = "refused", plan.filed + timedelta(days=rng.randint(5, 15))
        if not c.orderly:
            reason = "management"
        elif any(not e.normal for e in acct.elevators):
            reason = "maintenance"
        else:
            reason = "insurer"
        plan.note = rng.choice(names.REFUSED_NOTES[reason])
        if plan.decided > today:
            plan.decision, plan.decided, plan.note = "pending", None, None
        plans.append(plan)
    return plans


def _objections(w: World, plan: AppPlan) -> list[tuple[date, str, str]]:
    """The plan's written objections as (received on, objector, content), within the notice period and before
    today; the count on the application is the number of these rows."""
    rng = w.rng
    if not plan.objections or plan.notice_from is None or plan.notice_to is None:
        plan.objections = 0
        return []
    last = min(plan.notice_to, w.today - timedelta(days=1))
    if last < plan.notice_from:  # the notice is not up yet: nothing received
        plan.objections = 0
        return []
    acct = plan.account
    premium_yuan = acct.building.compound.city.rule_spec.annual_premium_fen // 100
    rows = []
    for _ in range(plan.objections):
        unit = acct.unit if acct.unit is not None else rng.choice(acct.building.units)
        text = rng.choice(names.OBJECTION_TEXTS).format(b=acct.building.number, u=unit.number, p=f"{premium_yuan:,}")
        rows.append((rand_date(rng, plan.notice_from, last), names.person(rng), text))
    rows.sort(key=lambda r: r[0])
    return rows


# --------------------------------------------------------------------------- rows


def _write(w: World, plans: list[AppPlan]) -> None:
    rng, wr = w.rng, w.writer
    policy_seq: dict[str, int] = {}
    for plan in plans:
        acct = plan.account
        city = acct.building.compound.city
        spec = city.rule_spec
        app_id = wr.next_id("insurance_application")
        objections = _objections(w, plan)
        vote = plan.vote if plan.vote_held is not None else None
        wr.add(
            "insurance_application",
            {
                "id": app_id,
                "pooled_account_id": acct.id,
                "applicant_type": plan.applicant.type,
                "applicant_owner_count": plan.applicant.owner_count,
                "applicant_name": plan.applicant.name,
                "applicant_contact": plan.applicant.contact,
                "filed_on": plan.filed,
                "notice_from": plan.notice_from,
                "notice_to": plan.notice_to,
                "written_objections": plan.objections,
                "vote_held_on": plan.vote_held,
                "vote_owners_total": vote.owners_total if vote else None,
                "vote_area_total": vote.area_total if vote else None,
                "vote_participants": vote.participants if vote else None,
                "vote_participant_area": vote.participant_area if vote else None,
                "vote_for": vote.agree if vote else None,
                "vote_for_area": vote.agree_area if vote else None,
                "vote_against": vote.participants - vote.agree if vote else None,
                "decision": plan.decision,
                "decided_on": plan.decided,
                "decision_note": plan.note,
            },
        )
        for received, objector, content in objections:
            wr.add(
                "application_objection",
                {
                    "id": wr.next_id("application_objection"),
                    "application_id": app_id,
                    "received_on": received,
                    "objector": objector,
                    "content": content,
                    "recorded_at": local(received, rng.randint(8 * 60 + 30, 17 * 60 + 30)),
                },
            )
        for e in plan.elevators:
            wr.add("application_elevator", {"application_id": app_id, "elevator_id": e.id})
        if not plan.starts:
            continue
        insurer = rng.choice(city.insurer_ids)
        last_policy: dict[int, int] = {}  # elevator id → its policy of the year before (renewed by the next)
        for start in plan.starts:
            end = add_years(start, 1)
            for e in plan.elevators:
                seq = policy_seq[city.prefix] = policy_seq.get(city.prefix, 0) + 1
                policy_id = wr.next_id("insurance_policy")
                wr.add(
                    "insurance_policy",
                    {
                        "id": policy_id,
                        "elevator_id": e.id,
                        "application_id": app_id,
                        "insurer_id": insurer,
                        "policy_no": f"DT{city.prefix}{start.year}{seq:07d}",
                        "period_start": start,
                        "period_end": end,
                        "premium_fen": spec.annual_premium_fen,
                        "cover_fen": spec.cover_per_elevator_fen,
                        "renews_policy_id": last_policy.get(e.id),
                    },
                )
                last_policy[e.id] = policy_id
                pooled_entry(w, acct, start, "premium", spec.annual_premium_fen, policy_id)
                acct.debits.append((start, spec.annual_premium_fen))
                e.policies.append((start, end))
                e.written.append(PolicyRec(policy_id, start, end, insurer, spec.cover_per_elevator_fen))
        compound = acct.building.compound
        if compound.first_insured_on is None or plan.starts[0] < compound.first_insured_on:
            compound.first_insured_on = plan.starts[0]
