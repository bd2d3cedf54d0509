"""Levels that need each elevator's timeline: the insurance funnel, compound stocks, pooled-account capacity.

Why in Python: whether an elevator is eligible on a day combines five conditions that change on different
dates (its warranty running out, its compound's first deposit, its pooled account's balance against the
premium the account must cover for all its elevators, its policies, its applications, the city's rule in
force). Each is a step function of the day, so the elevator's counted flags can only change on the dates
where one of them steps. This pass walks those dates once per elevator and records, per district and per
compound, the change of every count on each date; the stored levels are the running sums of those changes.
The result equals indicators.elevator_coverage, the stock columns of facts(session).compound_elevators and
Funds.pooled_capacity on every day (tests compare them day by day on hand-made data).

Only the per-elevator facts are read (one row per elevator, policy, application and account-day); nothing
is counted here that SQL could count: the counts themselves are these timelines' sums.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

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
)
from data_access.core.rollup_tables import (
    COVERAGE_COLUMNS,
    agg_compound_elevators,
    agg_coverage,
    agg_pooled_capacity,
)
from data_access.core.rules import DEFAULT_WARRANTY_YEARS, minus_years, pooled_signed, rule_in_force

ONE_DAY = timedelta(days=1)
CHUNK = 5_000


@dataclass(frozen=True)
class Rule:
    """The parts of a ProgrammeRule the funnel needs (rule_in_force reads the dates)."""

    effective_from: date
    effective_to: date | None
    warranty_years: int
    required_fen: int  # min_premium_years × annual_premium_fen: what an account must hold per elevator


class CityRules:
    """A city's rules as a step function of the day: the rule in force is constant between breakpoints."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        points = {r.effective_from for r in rules} | {r.effective_to + ONE_DAY for r in rules if r.effective_to}
        self.breaks = sorted(points)
        # The rule in force before the first breakpoint, and from each breakpoint on.
        # The ignores: core.rules._Dated declares settable attributes, which a frozen dataclass's read-only
        # fields cannot match, though rule_in_force only reads them (they should be read-only properties there).
        self._segments: list[Rule | None] = [rule_in_force(self.rules, self.breaks[0] - ONE_DAY)] if self.breaks else []
        self._segments += [rule_in_force(self.rules, b) for b in self.breaks]

    def on(self, day: date) -> Rule | None:
        if not self.rules:
            return None
        return self._segments[bisect_right(self.breaks, day)]


def warranty_ends(since: date, years: int) -> date:
    """The first day on which an elevator in service since `since` is past a warranty of `years`:
    the first day d with minus_years(d, years) >= since, as the funnel's SQL judges it."""
    try:
        d = since.replace(year=since.year + years)
    except ValueError:  # 29 February
        d = date(since.year + years, 3, 1)
    while minus_years(d - ONE_DAY, years) >= since:
        d -= ONE_DAY
    while minus_years(d, years) < since:
        d += ONE_DAY
    return d


class Steps:
    """A step function from sorted (day, value) points: the value of the last point on or before a day."""

    def __init__(self, points: Iterable[tuple[date, int]]) -> None:
        pts = sorted(points)
        self.days = [d for d, _ in pts]
        self.values = [v for _, v in pts]

    def at(self, day: date, default: int = 0) -> int:
        i = bisect_right(self.days, day)
        return self.values[i - 1] if i else default


def _accumulate(deltas: dict[tuple[int, date], list[int]]) -> list[tuple[int, date, list[int]]]:
    """Per key, running sums of the changes in day order, keeping only days where some count changed."""
    by_key: dict[int, list[tuple[date, list[int]]]] = defaultdict(list)
    for (key, day), change in deltas.items():
        if any(change):
            by_key[key].append((day, change))
    out: list[tuple[int, date, list[int]]] = []
    for key in sorted(by_key):
        level = [0] * len(next(iter(by_key[key]))[1])
        for day, change in sorted(by_key[key]):
            level = [a + b for a, b in zip(level, change, strict=True)]
            out.append((key, day, level))
    return out


def _write(
    conn: Connection, table: Any, key: str, columns: Sequence[str], rows: list[tuple[int, date, list[int]]]
) -> None:
    for start in range(0, len(rows), CHUNK):
        conn.execute(
            insert(table),
            [
                {key: k, "day": d, **dict(zip(columns, level, strict=True))}
                for k, d, level in rows[start : start + CHUNK]
            ],
        )


def build(conn: Connection) -> None:
    """Fill agg_coverage (levels), agg_compound_elevators (daily changes) and agg_pooled_capacity (levels)."""
    rules: dict[int, list[Rule]] = defaultdict(list)
    for r in conn.execute(
        select(
            ProgrammeRule.city_id,
            ProgrammeRule.effective_from,
            ProgrammeRule.effective_to,
            ProgrammeRule.warranty_years,
            ProgrammeRule.min_premium_years * ProgrammeRule.annual_premium_fen,
        ).order_by(ProgrammeRule.city_id, ProgrammeRule.effective_from, ProgrammeRule.id)
    ):
        rules[r[0]].append(Rule(r[1], r[2], int(r[3]), int(r[4])))
    city_rules: dict[int, CityRules] = defaultdict(lambda: CityRules([]))
    city_rules.update({city: CityRules(rs) for city, rs in rules.items()})

    # The account that pays for an elevator: its unit's, else its building's (indicators._elevator_accounts).
    pa_unit, pa_building = aliased(PooledAccount), aliased(PooledAccount)
    elevators = conn.execute(
        select(
            Elevator.id,
            District.city_id,
            Compound.district_id,
            Compound.id,
            Elevator.in_service_on,
            case((and_(Compound.management_orderly.is_(True), Elevator.maintenance_normal.is_(True)), 1), else_=0),
            case((Elevator.insurer_conditions_met.is_(True), 1), else_=0),
            func.coalesce(pa_unit.id, pa_building.id),
        )
        .select_from(Elevator)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .join(District, District.id == Compound.district_id)
        .outerjoin(pa_unit, pa_unit.unit_id == Elevator.unit_id)
        .outerjoin(pa_building, and_(pa_building.building_id == Elevator.building_id, pa_building.unit_id.is_(None)))
    ).all()

    first_deposit: dict[int, date] = dict(
        conn.execute(
            select(Building.compound_id, func.min(MaintenanceFundEntry.booked_on))
            .join(Building, Building.id == MaintenanceFundEntry.building_id)
            .where(MaintenanceFundEntry.kind == FundEntryKind.deposit)
            .group_by(Building.compound_id)
        )
        .tuples()
        .all()
    )

    # Per account: the elevators it must insure (their service dates) and its balance after each booking day.
    account_elevators: dict[int, list[date]] = defaultdict(list)
    for e in elevators:
        if e[7] is not None:
            account_elevators[e[7]].append(e[4])
    sizes = {a: Steps(_counts(days)) for a, days in account_elevators.items()}
    pe = PooledAccountEntry
    signed = pooled_signed(pe.kind, pe.amount_fen)
    balance_points: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for account, day, amount in conn.execute(
        select(pe.pooled_account_id, pe.booked_on, func.sum(signed))
        .group_by(pe.pooled_account_id, pe.booked_on)
        .order_by(pe.pooled_account_id, pe.booked_on)
    ):
        points = balance_points[account]
        points.append((_day(day), (points[-1][1] if points else 0) + int(amount)))
    balances = {a: Steps(p) for a, p in balance_points.items()}

    policies: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for elevator_id, start, end in conn.execute(
        select(InsurancePolicy.elevator_id, InsurancePolicy.period_start, InsurancePolicy.period_end)
    ):
        policies[elevator_id].append((_day(start), _day(end)))
    applications: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    ia = InsuranceApplication
    for elevator_id, filed, decision, decided in conn.execute(
        select(ApplicationElevator.elevator_id, ia.filed_on, ia.decision, ia.decided_on).join(
            ia, ia.id == ApplicationElevator.application_id
        )
    ):
        withdrawn = ApplicationDecision(decision) == ApplicationDecision.withdrawn
        if withdrawn and decided is None:
            continue  # SQL's NOT (withdrawn AND decided_on <= d) is NULL for every day: never counts
        # Counted from filing until the withdrawal's day (exclusive); never ends otherwise.
        applications[elevator_id].append((_day(filed), _day(decided) if withdrawn else None))

    coverage: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0] * len(COVERAGE_COLUMNS))
    stock: dict[tuple[int, int, date], list[int]] = defaultdict(lambda: [0, 0, 0])
    for elevator_id, city_id, district_id, compound_id, since, ok_mgmt, ok_insurer, account in elevators:
        since = _day(since)
        city = city_rules[city_id]
        deposit_on = first_deposit.get(compound_id)
        deposit_on = _day(deposit_on) if deposit_on is not None else None
        own_policies = policies.get(elevator_id, [])
        own_applications = applications.get(elevator_id, [])
        size = sizes.get(account) if account is not None else None
        balance = balances.get(account) if account is not None else None

        days = {since, *city.breaks}
        for city_rule in city.rules:
            days.add(warranty_ends(since, city_rule.warranty_years))
        if not city.rules:
            days.add(warranty_ends(since, DEFAULT_WARRANTY_YEARS))
        if deposit_on is not None:
            days.add(deposit_on)
        for start, end in own_policies:
            days.update((start, end))
        for filed, withdrawn_on in own_applications:
            days.add(filed)
            if withdrawn_on is not None:
                days.add(withdrawn_on)
        if size is not None:
            days.update(size.days)
        if balance is not None:
            days.update(balance.days)

        before_cov = [0] * len(COVERAGE_COLUMNS)
        before_stock = [0, 0, 0]
        for day in sorted(d for d in days if d >= since):
            rule = city.on(day)
            insured = any(start <= day < end for start, end in own_policies)
            years = rule.warranty_years if rule else DEFAULT_WARRANTY_YEARS
            ok_warranty = since <= minus_years(day, years)
            now_stock = [1, int(ok_warranty), int(insured)]
            if now_stock != before_stock:
                change = stock[(compound_id, district_id, day)]
                for i in range(3):
                    change[i] += now_stock[i] - before_stock[i]
                before_stock = now_stock
            if rule is None:
                continue  # the funnel leaves out a city without a programme rule
            ok_deposit = deposit_on is not None and deposit_on <= day
            n = size.at(day) if size is not None else 1
            funds = balance.at(day) if balance is not None else 0
            ok_account = insured or funds >= rule.required_fen * n
            eligible = ok_deposit and ok_account and bool(ok_mgmt) and ok_warranty and bool(ok_insurer)
            applied = any(filed <= day and (until is None or day < until) for filed, until in own_applications)
            now_cov = [
                1,
                int(ok_warranty),
                int(eligible),
                int(applied),
                int(eligible and applied),
                int(insured),
                int(not ok_deposit),
                int(not ok_account),
                int(not ok_mgmt),
                int(not ok_warranty),
                int(not ok_insurer),
            ]
            if now_cov != before_cov:
                change = coverage[(district_id, day)]
                for i, (a, b) in enumerate(zip(now_cov, before_cov, strict=True)):
                    change[i] += a - b
                before_cov = now_cov

    _write(conn, agg_coverage, "district_id", COVERAGE_COLUMNS, _accumulate(coverage))
    # Per compound the changes themselves (compound tables add them to a year-end snapshot).
    changes = [
        {"day": day, "compound_id": c, "district_id": d, "elevators": e, "past_warranty": p, "insured": i}
        for (c, d, day), (e, p, i) in sorted(stock.items())
        if e or p or i
    ]
    for start in range(0, len(changes), CHUNK):
        conn.execute(insert(agg_compound_elevators), changes[start : start + CHUNK])
    _capacity(conn, city_rules, sizes, balances)


def _capacity(
    conn: Connection, city_rules: dict[int, CityRules], sizes: dict[int, Steps], balances: dict[int, Steps]
) -> None:
    """Funds.pooled_capacity per district: accounts opened, with elevators, able to pay the minimum years."""
    changes: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0, 0])
    for account, opened, city_id, district_id in conn.execute(
        select(PooledAccount.id, PooledAccount.opened_on, District.city_id, Compound.district_id)
        .join(Building, Building.id == PooledAccount.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .join(District, District.id == Compound.district_id)
    ):
        opened = _day(opened)
        city = city_rules[city_id]
        size, balance = sizes.get(account), balances.get(account)
        days = {opened, *city.breaks, *(size.days if size else ()), *(balance.days if balance else ())}
        before = [0, 0, 0]
        for day in sorted(d for d in days if d >= opened):
            rule = city.on(day)
            n = size.at(day) if size else 0
            funds = balance.at(day) if balance else 0
            required = rule.required_fen if rule else 0
            now = [1, int(n > 0), int(n > 0 and funds >= n * required)]
            if now != before:
                change = changes[(district_id, day)]
                for i in range(3):
                    change[i] += now[i] - before[i]
                before = now
    _write(
        conn,
        agg_pooled_capacity,
        "district_id",
        ("accounts", "accounts_with_elevators", "accounts_able_to_pay"),
        _accumulate(changes),
    )


def _counts(days: list[date]) -> list[tuple[date, int]]:
    """How many of the days are on or before each of them: (day, count) points of a step function."""
    out: list[tuple[date, int]] = []
    for i, d in enumerate(sorted(_day(x) for x in days), start=1):
        if out and out[-1][0] == d:
            out[-1] = (d, i)
        else:
            out.append((d, i))
    return out


def _day(value: Any) -> date:
    """SQLite hands some aggregated dates back as text."""
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
