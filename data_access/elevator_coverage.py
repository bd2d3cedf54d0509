"""Elevator-page queries: coverage over time and the insurance funnel on many dates.

Coverage is judged by the same five conditions and the same rule as the headline figure
(`indicators.elevator_coverage`); conventions as in data_access/elevators.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.types import BigInteger, Date

from data_access.core.models import (
    ApplicationDecision,
    ApplicationElevator,
    Building,
    Compound,
    Elevator,
    FundEntryKind,
    InsuranceApplication,
    InsurancePolicy,
    MaintenanceFundEntry,
    PooledAccount,
    PooledAccountEntry,
    ProgrammeRule,
)
from data_access.core.rules import minus_years, pooled_signed, ratio, rule_in_force
from data_access.core.scope import ON_COMPOUND, Area, cities_of, within
from data_access.elevator_sql import count_if
from data_access.facts import facts
from data_access.indicators import (
    CoverageSummary,
    city_rules,
    coverage_levels,
    elevator_coverage,
    elevator_coverage_from_raw,
)

# --------------------------------------------------------------------------- coverage over time


@dataclass(frozen=True)
class CoveragePoint:
    as_of: date
    insured: int
    eligible_applied: int  # the targets' denominator
    coverage_rate: Decimal | None  # insured ÷ eligible_applied


def coverage_over_time(session: Session, area: Area, month_ends: list[date]) -> list[CoveragePoint]:
    """The coverage line of the elevator page, one point per date, by the same rule as the headline figure.

    Reusing `elevator_coverage` keeps the chart and the overview's number identical by construction;
    a dozen month ends cost a dozen aggregate queries, which is cheap.
    """
    out: list[CoveragePoint] = []
    for d in month_ends:
        c = elevator_coverage(session, area, d)
        out.append(CoveragePoint(d, c.insured, c.eligible_applied, c.coverage_rate))
    return out


# --------------------------------------------------------------------------- coverage at many dates in one query


@dataclass(frozen=True)
class CityCoverage:
    """One city's funnel on the `full` dates and its coverage line on the `line` dates."""

    summaries: dict[date, CoverageSummary]  # exactly `elevator_coverage` for the city on each full date
    line: list[CoveragePoint]  # exactly `coverage_over_time` for the city on each line date


def coverage_by_city(
    session: Session,
    area: Area,
    full_dates: list[date],
    line_dates: list[date] = (),  # type: ignore[assignment]
    rules_of: dict[int, list[ProgrammeRule]] | None = None,
) -> dict[int, CityCoverage]:
    """`elevator_coverage` on a few dates and `coverage_over_time` on many, one statement per city.

    `rules_of`: each city's `city_rules`, when the caller has read them already (not read again).

    The same five conditions, judged by the rule each city has on each date, as indicators.py judges
    them; but instead of one aggregate per date, the dates are a small derived table joined to the
    area's elevators, and the per-date facts (policy in force, application standing, pooled-account
    balance, elevators that account must insure) are grouped per (elevator or account, date).
    On a line-only date only elevators that ever applied or were insured are judged (a fifth of them):
    nobody else can count towards insured or eligible-and-applied, so the line is still exact.
    Cities without a programme rule are left out, as `elevator_coverage` leaves them out. Agreement with
    both reference functions is tested on every date and area of the test worlds.
    """
    full = sorted(set(full_dates))
    every = sorted(set(full) | set(line_dates))
    wanted_line = sorted(set(line_dates))
    out: dict[int, CityCoverage] = {}
    if not every:
        return out
    stock = facts(session).elevator_stock
    for city_id in cities_of(session, area):
        loaded = rules_of[city_id] if rules_of is not None and city_id in rules_of else city_rules(session, city_id)
        rules = {d: rule_in_force(loaded, d) for d in every}
        if any(r is None for r in rules.values()):
            continue
        city_area = Area(city_id=city_id, district_id=area.district_id)
        counts = stock.city_coverage_at_dates(city_area, rules, set(full))  # type: ignore[arg-type]
        out[city_id] = CityCoverage(
            summaries={d: counts[d] for d in full},
            line=[
                CoveragePoint(d, counts[d].insured, counts[d].eligible_applied, counts[d].coverage_rate)
                for d in wanted_line
            ],
        )
    return out


def coverage_at_dates(session: Session, area: Area, dates: list[date]) -> dict[date, CoverageSummary]:
    """`elevator_coverage` for each date, in one statement per city (the area's cities summed)."""
    totals = {d: CoverageSummary.empty(d) for d in dates}
    for city in coverage_by_city(session, area, dates).values():
        for d, summary in city.summaries.items():
            totals[d] = totals[d] + summary
    return totals


def _n(cond: ColumnElement[bool]) -> ColumnElement[int]:
    """Count of rows where the condition holds (conditions here are never NULL)."""
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _n_not(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((cond, 0), else_=1)), 0)


def _city_coverage_at_dates(
    session: Session, area: Area, rules: dict[date, ProgrammeRule], full: set[date]
) -> dict[date, CoverageSummary]:
    """One city's funnel on each date of `rules` (date → the rule in force then).

    On dates outside `full` only elevators that ever applied or were insured are judged: the insured
    and eligible-and-applied counts are exact there, the other counts are not (callers keep only those).
    """
    ordered = sorted(rules)
    dates = _dates_table(rules, ordered, full)
    elev = _area_elevators(area, max(rules))
    sizes, balances = _account_facts(elev, ordered)
    insured, applied = _elevator_facts(elev, ordered)
    facts = _facts_per_elevator(elev, len(ordered), sizes, balances, insured, applied)
    stmt = _funnel_statement(facts, dates, len(ordered))
    return _funnel_by_date(session, stmt, rules)


def _dates_table(rules: dict[date, ProgrammeRule], ordered: list[date], full: set[date]) -> Any:
    """The dates as a small derived table: index i, date d, its warranty cutoff, the pooled-account balance each
    elevator needs (req) and whether the whole funnel is judged on it (full)."""
    date_rows = [
        select(
            literal(i).label("i"),
            literal(d, Date()).label("d"),
            literal(minus_years(d, rules[d].warranty_years), Date()).label("cutoff"),
            literal(rules[d].min_premium_years * rules[d].annual_premium_fen, BigInteger()).label("req"),
            literal(1 if d in full else 0).label("full"),
        )
        for i, d in enumerate(ordered)
    ]
    return (union_all(*date_rows) if len(date_rows) > 1 else date_rows[0]).cte("cov_dates")


def _first_deposits(area: Area, last: date) -> Any:
    """Per compound of the area: the first deposit booked by `last` into any of its buildings' fund ledgers."""
    fe = MaintenanceFundEntry
    # A building's first deposit is one seek on the (building, kind, booked_on) index; grouping every
    # deposit entry instead cost more than the rest of the statement.
    building_first = (
        select(func.min(fe.booked_on))
        .where(fe.building_id == Building.id, fe.kind == FundEntryKind.deposit, fe.booked_on <= last)
        .scalar_subquery()
    )
    return within(
        select(Building.compound_id.label("compound_id"), func.min(building_first).label("first_on"))
        .join(Compound, Compound.id == Building.compound_id)
        .group_by(Building.compound_id),
        area,
        ON_COMPOUND,
    ).subquery()


def _area_elevators(area: Area, last: date) -> Any:
    """The area's elevators in service by `last`, with the facts that do not depend on the date (cov_elev)."""
    first_deposit = _first_deposits(area, last)
    # Nobody else can ever count as applied or insured.
    candidates = union_all(
        select(ApplicationElevator.elevator_id), select(InsurancePolicy.elevator_id.label("elevator_id"))
    )
    pa_unit, pa_building = aliased(PooledAccount), aliased(PooledAccount)
    elev_stmt = (
        select(
            Elevator.id.label("id"),
            Elevator.in_service_on.label("since"),
            func.coalesce(pa_unit.id, pa_building.id).label("account_id"),
            case(
                (and_(Compound.management_orderly.is_(True), Elevator.maintenance_normal.is_(True)), 1), else_=0
            ).label("ok_mgmt"),
            case((Elevator.insurer_conditions_met.is_(True), 1), else_=0).label("ok_insurer"),
            first_deposit.c.first_on.label("first_deposit"),
            case((Elevator.id.in_(candidates), 1), else_=0).label("candidate"),
        )
        .select_from(Elevator)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .outerjoin(pa_unit, pa_unit.unit_id == Elevator.unit_id)
        .outerjoin(pa_building, and_(pa_building.building_id == Elevator.building_id, pa_building.unit_id.is_(None)))
        .outerjoin(first_deposit, first_deposit.c.compound_id == Compound.id)
        .where(Elevator.in_service_on <= last)
    )
    return within(elev_stmt, area, ON_COMPOUND).cte("cov_elev")


def _account_facts(elev: Any, ordered: list[date]) -> tuple[Any, Any]:
    """Per pooled account, one column per date: the elevators in service it would have to insure (n0, n1, …),
    and its balance (b0, b1, …). One pass over the rows instead of a (row × date) join grouped per (account, date).
    """
    sizes = (
        select(
            elev.c.account_id.label("account_id"),
            *(count_if(elev.c.since <= d).label(f"n{i}") for i, d in enumerate(ordered)),
        )
        .where(elev.c.account_id.is_not(None))
        .group_by(elev.c.account_id)
        .subquery()
    )
    pe = PooledAccountEntry
    signed = pooled_signed(pe.kind, pe.amount_fen)
    balances = (
        select(
            pe.pooled_account_id.label("account_id"),
            *(func.sum(case((pe.booked_on <= d, signed), else_=0)).label(f"b{i}") for i, d in enumerate(ordered)),
        )
        .where(pe.pooled_account_id.in_(select(elev.c.account_id)))
        .group_by(pe.pooled_account_id)
        .subquery()
    )
    return sizes, balances


def _elevator_facts(elev: Any, ordered: list[date]) -> tuple[Any, Any]:
    """Per candidate elevator, one 0/1 column per date: a policy in force (s0, s1, …); an application standing
    (a0, a1, …)."""
    candidate_ids = select(elev.c.id).where(elev.c.candidate == 1)
    ip = InsurancePolicy
    insured = (
        select(
            ip.elevator_id.label("elevator_id"),
            *(
                func.max(case((and_(ip.period_start <= d, ip.period_end > d), 1), else_=0)).label(f"s{i}")
                for i, d in enumerate(ordered)
            ),
        )
        .where(ip.elevator_id.in_(candidate_ids))
        .group_by(ip.elevator_id)
        .subquery()
    )
    ia = InsuranceApplication
    applied = (
        select(
            ApplicationElevator.elevator_id.label("elevator_id"),
            *(
                # as indicators.py writes it, so a withdrawal without a date is judged the same way
                func.max(
                    case(
                        (
                            and_(
                                ia.filed_on <= d,
                                ~and_(ia.decision == ApplicationDecision.withdrawn, ia.decided_on <= d),
                            ),
                            1,
                        ),
                        else_=0,
                    )
                ).label(f"a{i}")
                for i, d in enumerate(ordered)
            ),
        )
        .join(ia, ia.id == ApplicationElevator.application_id)
        .where(ApplicationElevator.elevator_id.in_(candidate_ids))
        .group_by(ApplicationElevator.elevator_id)
        .subquery()
    )
    return insured, applied


def _facts_per_elevator(elev: Any, n: int, sizes: Any, balances: Any, insured: Any, applied: Any) -> Any:
    """Each elevator with its account's and its own per-date facts: looked up once, not once per date."""
    n_dates = range(n)
    return (
        select(
            elev,
            *(sizes.c[f"n{i}"] for i in n_dates),
            *(balances.c[f"b{i}"] for i in n_dates),
            *(insured.c[f"s{i}"] for i in n_dates),
            *(applied.c[f"a{i}"] for i in n_dates),
        )
        .select_from(elev)
        .outerjoin(sizes, sizes.c.account_id == elev.c.account_id)
        .outerjoin(balances, balances.c.account_id == elev.c.account_id)
        .outerjoin(insured, insured.c.elevator_id == elev.c.id)
        .outerjoin(applied, applied.c.elevator_id == elev.c.id)
        .cte("cov_facts")
        .prefix_with("MATERIALIZED")  # SQLite ≥ 3.35, PostgreSQL ≥ 12: else it is inlined and looked up per date
    )


def _on_date(columns: Any, prefix: str, n: int, dates: Any) -> ColumnElement[Any]:
    """The row's date's column of a per-date column set."""
    return case({i: columns[f"{prefix}{i}"] for i in range(n)}, value=dates.c.i)


def _funnel_statement(facts: Any, dates: Any, n: int) -> Select[Any]:
    """(date, the funnel's counts and each condition's failures) per date, judged on the elevators' facts."""
    f = facts.c
    is_insured = func.coalesce(_on_date(f, "s", n, dates), 0) == 1
    ok_deposit = and_(f.first_deposit.is_not(None), f.first_deposit <= dates.c.d)
    balance = func.coalesce(_on_date(f, "b", n, dates), 0)
    ok_account = or_(is_insured, balance >= dates.c.req * func.coalesce(_on_date(f, "n", n, dates), 1))
    ok_management = f.ok_mgmt == 1
    ok_warranty = f.since <= dates.c.cutoff
    ok_insurer = f.ok_insurer == 1
    eligible = and_(ok_deposit, ok_account, ok_management, ok_warranty, ok_insurer)
    is_applied = func.coalesce(_on_date(f, "a", n, dates), 0) == 1
    return (
        select(
            dates.c.d,
            func.count(),
            _n(ok_warranty),
            _n(eligible),
            _n(is_applied),
            _n(and_(eligible, is_applied)),
            _n(is_insured),
            _n_not(ok_deposit),
            _n_not(ok_account),
            _n_not(ok_management),
            _n_not(ok_warranty),
            _n_not(ok_insurer),
        )
        .select_from(facts)
        .join(dates, and_(f.since <= dates.c.d, or_(dates.c.full == 1, f.candidate == 1)))
        .group_by(dates.c.d)
    )


def _funnel_by_date(
    session: Session, stmt: Select[Any], rules: dict[date, ProgrammeRule]
) -> dict[date, CoverageSummary]:
    """The funnel statement's rows as a CoverageSummary per date of `rules` (an empty one for a date without rows)."""
    # SQLite hands the derived date back as text, PostgreSQL as a date: key by the ISO string.
    found = {str(row[0])[:10]: [int(v) for v in row[1:]] for row in session.execute(stmt)}
    out: dict[date, CoverageSummary] = {}
    for d in rules:
        row = found.get(d.isoformat())
        if row is None:
            out[d] = CoverageSummary.empty(d)
            continue
        registered, past, elig, appl, elig_appl, ins, *fails = row
        out[d] = CoverageSummary(d, registered, past, elig, appl, elig_appl, ins, ratio(ins, elig_appl), *fails)
    return out


class ElevatorStock:
    """Elevator stock and the insurance funnel (registered → past warranty → eligible → applied → insured),
    judged on the raw elevators, policies, applications and pooled accounts by each city's rule."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def coverage(self, area: Area, as_of: date) -> CoverageSummary:
        """The funnel at as_of, summed over the area's cities (indicators.elevator_coverage caches it)."""
        return elevator_coverage_from_raw(self.session, area, as_of)

    def city_coverage_at_dates(
        self, area: Area, rules: dict[date, ProgrammeRule], full: set[date]
    ) -> dict[date, CoverageSummary]:
        """One city's funnel on every date of `rules` (date → the rule in force then); on dates outside `full`
        only the insured and eligible-and-applied counts are exact (see coverage_by_city)."""
        return _city_coverage_at_dates(self.session, area, rules, full)


class ElevatorStockFromRollups(ElevatorStock):
    """The same from agg_coverage (the funnel's running counts per district and day): a few index seeks per day,
    every count exact on every date."""

    def coverage(self, area: Area, as_of: date) -> CoverageSummary:
        return coverage_levels(self.session, area, [as_of])[as_of]

    def city_coverage_at_dates(
        self, area: Area, rules: dict[date, ProgrammeRule], full: set[date]
    ) -> dict[date, CoverageSummary]:
        return coverage_levels(self.session, area, list(rules))


__all__ = [
    "CityCoverage",
    "CoveragePoint",
    "ElevatorStock",
    "ElevatorStockFromRollups",
    "coverage_at_dates",
    "coverage_by_city",
    "coverage_over_time",
]
