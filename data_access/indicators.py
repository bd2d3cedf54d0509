"""Headline indicators, aggregated in SQL.

Conventions shared by every function here (and by the API that reuses them):
- stocks are as of `as_of` (inclusive); flows are within [1 January of as_of's year, as_of];
- money is integer fen; rates are Decimal;
- an `Area` scopes the figures to the province, a city or a district.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import ColumnElement

from data_access.cache import cached_query
from data_access.core.models import (
    ApplicationDecision,
    ApplicationElevator,
    Building,
    City,
    Compound,
    DemonstrationProject,
    Elevator,
    FundEntryKind,
    IndustryPartyCommittee,
    InsuranceApplication,
    InsurancePolicy,
    MaintenanceFundEntry,
    PooledAccount,
    PooledAccountEntry,
    PooledEntryKind,
    ProgrammeRule,
    ProjectStatus,
    PropertyCompany,
    ServiceStation,
)
from data_access.core.rollup_tables import (
    COVERAGE_COLUMNS,
    FUND_COLUMNS,
    agg_coverage,
    agg_fund_district,
)
from data_access.core.rules import (
    minus_years,
    net_premium,
    pooled_signed,
    pooled_used,
    ratio,
    rule_in_force,
    year_start,
)
from data_access.core.scope import (
    ON_COMPOUND,
    Anchor,
    Area,
    cities_of,
    companies_serving,
    on_building,
    within,
)
from data_access.facts import facts
from data_access.rollups import levels_at

# --------------------------------------------------------------------------- fund


@dataclass(frozen=True)
class FundSummary:
    as_of: date
    deposits_total_fen: int  # cumulative deposits (缴存总额)
    balance_fen: int  # owner ledgers plus pooled accounts
    used_in_year_fen: int  # owner-ledger uses plus pooled-account debits within the year
    usage_rate: Decimal | None  # used in the year ÷ cumulative deposits, as seed 000 computes it
    value_added_income_in_year_fen: int
    value_added_income_total_fen: int
    premiums_in_year_fen: int


@cached_query
def fund_summary(session: Session, area: Area, as_of: date) -> FundSummary:
    """The fund's headline figures at as_of (stocks) and in its year so far (flows), from the session's reader."""
    return facts(session).funds.summary(area, as_of)


def fund_summary_from_raw(session: Session, area: Area, as_of: date) -> FundSummary:
    """fund_summary from the owner ledgers and pooled-account entries themselves."""
    start = year_start(as_of)
    fe = MaintenanceFundEntry
    in_year = fe.booked_on >= start

    def owner_sum(kind: FundEntryKind, *extra: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((and_(fe.kind == kind, *extra), fe.amount_fen), else_=0)), 0)

    owner = select(
        owner_sum(FundEntryKind.deposit),
        owner_sum(FundEntryKind.benchmark_interest),
        owner_sum(FundEntryKind.use),
        owner_sum(FundEntryKind.use, in_year),
    ).where(fe.booked_on <= as_of)
    owner = within(owner, area, on_building(fe.building_id))
    deposits, interest, uses, uses_year = session.execute(owner).one()

    pe = PooledAccountEntry
    credit = pe.kind == PooledEntryKind.value_added_income
    p_in_year = pe.booked_on >= start
    pooled = (
        select(
            func.coalesce(func.sum(case((credit, pe.amount_fen), else_=0)), 0),
            func.coalesce(func.sum(case((and_(credit, p_in_year), pe.amount_fen), else_=0)), 0),
            func.coalesce(func.sum(pooled_used(pe.kind, pe.amount_fen)), 0),
            func.coalesce(func.sum(case((p_in_year, pooled_used(pe.kind, pe.amount_fen)), else_=0)), 0),
            func.coalesce(func.sum(case((p_in_year, net_premium(pe.kind, pe.amount_fen)), else_=0)), 0),
        )
        .join(PooledAccount, PooledAccount.id == pe.pooled_account_id)
        .where(pe.booked_on <= as_of)
    )
    pooled = within(pooled, area, on_building(PooledAccount.building_id))
    vai_total, vai_year, debits, debits_year, premiums_year = session.execute(pooled).one()

    used_year = int(uses_year) + int(debits_year)
    return FundSummary(
        as_of=as_of,
        deposits_total_fen=int(deposits),
        balance_fen=int(deposits) + int(interest) - int(uses) + int(vai_total) - int(debits),
        used_in_year_fen=used_year,
        usage_rate=ratio(used_year, int(deposits)),
        value_added_income_in_year_fen=int(vai_year),
        value_added_income_total_fen=int(vai_total),
        premiums_in_year_fen=int(premiums_year),
    )


def fund_summary_from_rollups(session: Session, area: Area, as_of: date) -> FundSummary:
    """fund_summary from the districts' running totals on as_of and on the eve of its year."""
    eve = year_start(as_of) - timedelta(days=1)
    levels = levels_at(session, agg_fund_district, FUND_COLUMNS, area, [eve, as_of])
    return fund_summary_from_totals(as_of, levels[eve], levels[as_of])


def fund_summary_from_totals(as_of: date, before: list[int], now: list[int]) -> FundSummary:
    """A FundSummary from running totals (in rollup_tables.FUND_COLUMNS order) on the eve of the year and on as_of."""
    deposits, interest, uses, vai, premiums, other = now
    year = [b - a for a, b in zip(before, now, strict=True)]
    used_year = year[2] + year[4] + year[5]
    return FundSummary(
        as_of=as_of,
        deposits_total_fen=deposits,
        balance_fen=deposits + interest - uses + vai - premiums - other,
        used_in_year_fen=used_year,
        usage_rate=ratio(used_year, deposits),
        value_added_income_in_year_fen=year[3],
        value_added_income_total_fen=vai,
        premiums_in_year_fen=year[4],
    )


# --------------------------------------------------------------------------- elevators


@dataclass(frozen=True)
class CoverageSummary:
    as_of: date
    registered: int
    past_warranty: int
    eligible: int  # all five conditions of the programme hold
    applied: int  # an application filed by as_of and not withdrawn by then
    eligible_applied: int  # the targets' denominator
    insured: int  # an insurance policy in force on as_of
    coverage_rate: Decimal | None  # insured ÷ eligible_applied
    # how many registered elevators fail each condition (a failing elevator may fail several)
    fail_no_deposit: int
    fail_pooled_account: int
    fail_management: int
    fail_warranty: int
    fail_insurer: int

    @staticmethod
    def empty(as_of: date) -> CoverageSummary:
        return CoverageSummary(
            as_of,
            registered=0,
            past_warranty=0,
            eligible=0,
            applied=0,
            eligible_applied=0,
            insured=0,
            coverage_rate=None,
            fail_no_deposit=0,
            fail_pooled_account=0,
            fail_management=0,
            fail_warranty=0,
            fail_insurer=0,
        )

    def __add__(self, other: CoverageSummary) -> CoverageSummary:
        counts = {
            f: getattr(self, f) + getattr(other, f)
            for f in self.__dataclass_fields__
            if f not in ("as_of", "coverage_rate")
        }
        return CoverageSummary(
            as_of=self.as_of, coverage_rate=ratio(counts["insured"], counts["eligible_applied"]), **counts
        )


def programme_rule_for(session: Session, city_id: int, on: date) -> ProgrammeRule | None:
    """The rule in force on a date; before the first rule starts, the first one (to judge eligibility)."""
    return rule_in_force(city_rules(session, city_id), on)


def city_rules(session: Session, city_id: int) -> list[ProgrammeRule]:
    """A city's programme rules, ordered by effective_from: load once, then ask rule_in_force for each day."""
    return list(
        session.scalars(
            select(ProgrammeRule).where(ProgrammeRule.city_id == city_id).order_by(ProgrammeRule.effective_from)
        )
    )


@cached_query
def elevator_coverage(session: Session, area: Area, as_of: date) -> CoverageSummary:
    """Registered → past warranty → eligible → applied → insured, judged by each city's own rule."""
    return facts(session).elevator_stock.coverage(area, as_of)


def elevator_coverage_from_raw(session: Session, area: Area, as_of: date) -> CoverageSummary:
    """elevator_coverage judged on the raw elevators, policies, applications and accounts, city by city."""
    total = CoverageSummary.empty(as_of)
    for city_id in cities_of(session, area):
        rule = programme_rule_for(session, city_id, as_of)
        if rule is None:
            continue
        city_area = Area(city_id=city_id, district_id=area.district_id)
        total = total + _city_coverage(session, city_area, rule, as_of)
    return total


def coverage_levels(session: Session, area: Area, days: list[date]) -> dict[date, CoverageSummary]:
    """elevator_coverage on each day, read off agg_coverage (rollups only): a few index seeks per day."""
    out: dict[date, CoverageSummary] = {}
    for day, counts in levels_at(session, agg_coverage, COVERAGE_COLUMNS, area, days).items():
        registered, past, elig, appl, elig_appl, insured, *fails = counts
        out[day] = CoverageSummary(
            day, registered, past, elig, appl, elig_appl, insured, ratio(insured, elig_appl), *fails
        )
    return out


def _elevator_accounts():  # type: ignore[no-untyped-def]
    """Aliases joining an elevator to the pooled account that pays for it: its unit's, else its building's."""
    pa_unit = aliased(PooledAccount)
    pa_building = aliased(PooledAccount)
    account_id = func.coalesce(pa_unit.id, pa_building.id)

    def with_accounts(stmt):  # type: ignore[no-untyped-def]
        return stmt.outerjoin(pa_unit, pa_unit.unit_id == Elevator.unit_id).outerjoin(
            pa_building, and_(pa_building.building_id == Elevator.building_id, pa_building.unit_id.is_(None))
        )

    return account_id, with_accounts


def account_sizes(as_of: date):  # type: ignore[no-untyped-def]
    """Subquery (account_id, n): the elevators in service that each pooled account would have to insure."""
    account_id, with_accounts = _elevator_accounts()
    return (
        with_accounts(select(account_id.label("account_id"), func.count().label("n")).select_from(Elevator))
        .where(Elevator.in_service_on <= as_of)
        .group_by(account_id)
        .subquery()
    )


def account_balances(as_of: date):  # type: ignore[no-untyped-def]
    """Subquery (account_id, balance): pooled-account balance from its entries up to as_of."""
    pe = PooledAccountEntry
    return (
        select(
            pe.pooled_account_id.label("account_id"),
            func.sum(pooled_signed(pe.kind, pe.amount_fen)).label("balance"),
        )
        .where(pe.booked_on <= as_of)
        .group_by(pe.pooled_account_id)
        .subquery()
    )


def _city_coverage(session: Session, area: Area, rule: ProgrammeRule, as_of: date) -> CoverageSummary:
    account_id, with_accounts = _elevator_accounts()
    account_size = account_sizes(as_of)
    balance = account_balances(as_of)

    # Each set is joined once (LEFT JOIN … IS NOT NULL) rather than tested with IN in every column that uses it:
    # both databases evaluated an IN subquery once per occurrence, and the deposit test occurs three times.
    deposited = (
        select(Building.compound_id.label("compound_id"))
        .where(
            select(MaintenanceFundEntry.id)
            .where(
                MaintenanceFundEntry.building_id == Building.id,
                MaintenanceFundEntry.kind == FundEntryKind.deposit,
                MaintenanceFundEntry.booked_on <= as_of,
            )
            .exists()  # probed per building through ix_maintenance_fund_entry_building_kind_booked
        )
        .distinct()
        .subquery()
    )
    insured = (
        select(InsurancePolicy.elevator_id.label("elevator_id"))
        .where(InsurancePolicy.period_start <= as_of, InsurancePolicy.period_end > as_of)
        .distinct()
        .subquery()
    )
    applications = (
        select(ApplicationElevator.elevator_id.label("elevator_id"))
        .join(InsuranceApplication, InsuranceApplication.id == ApplicationElevator.application_id)
        .where(
            InsuranceApplication.filed_on <= as_of,
            ~and_(
                InsuranceApplication.decision == ApplicationDecision.withdrawn,
                InsuranceApplication.decided_on <= as_of,
            ),
        )
        .distinct()
        .subquery()
    )

    is_insured = insured.c.elevator_id.is_not(None)
    required = literal(rule.min_premium_years * rule.annual_premium_fen) * func.coalesce(account_size.c.n, 1)
    ok_deposit = deposited.c.compound_id.is_not(None)
    ok_account = or_(is_insured, func.coalesce(balance.c.balance, 0) >= required)
    ok_management = and_(Compound.management_orderly.is_(True), Elevator.maintenance_normal.is_(True))
    ok_warranty = Elevator.in_service_on <= minus_years(as_of, rule.warranty_years)
    ok_insurer = Elevator.insurer_conditions_met.is_(True)
    eligible = and_(ok_deposit, ok_account, ok_management, ok_warranty, ok_insurer)
    applied = applications.c.elevator_id.is_not(None)

    def n(cond: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    stmt = (
        select(
            func.count(),
            n(ok_warranty),
            n(eligible),
            n(applied),
            n(and_(eligible, applied)),
            n(is_insured),
            n(~ok_deposit),
            n(~ok_account),
            n(~ok_management),
            n(~ok_warranty),
            n(~ok_insurer),
        )
        .select_from(Elevator)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
    )
    stmt = with_accounts(stmt)
    stmt = (
        stmt.outerjoin(account_size, account_size.c.account_id == account_id)
        .outerjoin(balance, balance.c.account_id == account_id)
        .outerjoin(deposited, deposited.c.compound_id == Compound.id)
        .outerjoin(insured, insured.c.elevator_id == Elevator.id)
        .outerjoin(applications, applications.c.elevator_id == Elevator.id)
    )
    stmt = within(stmt, area, ON_COMPOUND).where(Elevator.in_service_on <= as_of)
    row = [int(v) for v in session.execute(stmt).one()]
    registered, past, elig, appl, elig_appl, insured_n, *fails = row
    return CoverageSummary(
        as_of, registered, past, elig, appl, elig_appl, insured_n, ratio(insured_n, elig_appl), *fails
    )


@dataclass(frozen=True)
class TargetJudgement:
    city_id: int
    due_on: date
    share: Decimal
    coverage: Decimal | None  # at due_on if passed, else as of the given date
    status: str  # "met" | "missed" | "in_progress"


def coverage_targets(session: Session, city_id: int, as_of: date) -> list[TargetJudgement]:
    """Each of the city's targets, judged at its due date once that date has passed."""
    rule = programme_rule_for(session, city_id, as_of)
    if rule is None:
        return []
    out: list[TargetJudgement] = []
    area = Area(city_id=city_id)
    for target in rule.targets:
        judged_on = min(target.due_on, as_of)
        coverage = elevator_coverage(session, area, judged_on).coverage_rate
        if target.due_on > as_of:
            status = "in_progress"
        else:
            status = "met" if coverage is not None and coverage >= target.share else "missed"
        out.append(TargetJudgement(city_id, target.due_on, Decimal(target.share), coverage, status))
    return out


# --------------------------------------------------------------------------- complaints


@dataclass(frozen=True)
class ComplaintComparison:
    as_of: date
    this_period: int  # elevator work orders from 1 January to as_of
    last_period: int  # the same days of the previous year
    change: Decimal | None


def _same_day_last_year(d: date) -> date:
    return minus_years(d, 1)


@cached_query
def elevator_complaints(session: Session, area: Area, as_of: date) -> ComplaintComparison:
    """Elevator work orders from 1 January to as_of against the same days a year earlier."""
    orders = facts(session).work_orders
    this = orders.elevator_orders(area, year_start(as_of), as_of)
    last_end = _same_day_last_year(as_of)
    last = orders.elevator_orders(area, year_start(last_end), last_end)
    change = None if last == 0 else ((Decimal(this) - last) / last).quantize(Decimal("0.0001"))
    return ComplaintComparison(as_of, this, last, change)


@dataclass(frozen=True)
class MonthlyCount:
    year: int
    month: int
    count: int


@cached_query
def elevator_complaints_by_month(session: Session, area: Area, years: list[int], as_of: date) -> list[MonthlyCount]:
    """Monthly elevator work orders for the given calendar years, months in local time."""
    orders = facts(session).work_orders
    out: list[MonthlyCount] = []
    for year in years:
        last = min(date(year, 12, 31), as_of)
        if last >= date(year, 1, 1):
            out.extend(MonthlyCount(year, m, n) for m, n in orders.elevator_months(area, date(year, 1, 1), last))
    return out


# --------------------------------------------------------------------------- red property


@dataclass(frozen=True)
class RedPropertySummary:
    as_of: date
    accepted_projects: int
    industry_party_committees: int
    companies_with_party_org: int
    compounds_with_service_station: int
    council_items_resolved: int


@cached_query(councils=True)
def red_property_summary(session: Session, area: Area, as_of: date) -> RedPropertySummary:
    accepted = within(
        select(func.count())
        .select_from(DemonstrationProject)
        .join(Compound, Compound.id == DemonstrationProject.compound_id)
        .where(DemonstrationProject.status == ProjectStatus.accepted, DemonstrationProject.accepted_on <= as_of),
        area,
        ON_COMPOUND,
    )
    stations = within(
        select(func.count(func.distinct(ServiceStation.compound_id)))
        .select_from(ServiceStation)
        .join(Compound, Compound.id == ServiceStation.compound_id)
        .where(ServiceStation.opened_on <= as_of),
        area,
        ON_COMPOUND,
    )
    committees = (
        select(func.count()).select_from(IndustryPartyCommittee).where(IndustryPartyCommittee.founded_on <= as_of)
    )
    companies = select(func.count()).select_from(PropertyCompany).where(PropertyCompany.party_org_founded_on <= as_of)
    # Committees are placed in a district; companies are city-registered, and a district view counts those
    # serving one of its compounds.
    committees = within(
        committees, area, Anchor(city=IndustryPartyCommittee.city_id, district=IndustryPartyCommittee.district_id)
    )
    companies = companies_serving(companies, area)
    return RedPropertySummary(
        as_of=as_of,
        accepted_projects=int(session.scalar(accepted) or 0),
        industry_party_committees=int(session.scalar(committees) or 0),
        companies_with_party_org=int(session.scalar(companies) or 0),
        compounds_with_service_station=int(session.scalar(stations) or 0),
        council_items_resolved=facts(session).councils.resolved_items(area, None, as_of),
    )


# --------------------------------------------------------------------------- overview


@dataclass(frozen=True)
class Overview:
    as_of: date
    cities: list[tuple[int, Headline]]  # province view: each city side by side; empty for a city
    fund: FundSummary
    coverage: CoverageSummary
    targets: list[TargetJudgement]
    complaints: ComplaintComparison
    complaints_by_month: list[MonthlyCount]
    red_property: RedPropertySummary


@dataclass(frozen=True)
class Headline:
    """The indicators the data-sharing API publishes; the overview shows the same objects."""

    as_of: date
    fund: FundSummary
    coverage: CoverageSummary
    complaints: ComplaintComparison
    red_property: RedPropertySummary


def _sum_fund(as_of: date, parts: list[FundSummary]) -> FundSummary:
    def total(field: str) -> int:
        return sum(getattr(p, field) for p in parts)

    return FundSummary(
        as_of=as_of,
        deposits_total_fen=total("deposits_total_fen"),
        balance_fen=total("balance_fen"),
        used_in_year_fen=total("used_in_year_fen"),
        usage_rate=ratio(total("used_in_year_fen"), total("deposits_total_fen")),
        value_added_income_in_year_fen=total("value_added_income_in_year_fen"),
        value_added_income_total_fen=total("value_added_income_total_fen"),
        premiums_in_year_fen=total("premiums_in_year_fen"),
    )


def sum_headlines(as_of: date, parts: list[Headline]) -> Headline:
    """Province figures as the sum of its cities: every counted thing belongs to exactly one city."""
    coverage = CoverageSummary.empty(as_of)
    for p in parts:
        coverage = coverage + p.coverage
    this = sum(p.complaints.this_period for p in parts)
    last = sum(p.complaints.last_period for p in parts)
    change = None if last == 0 else ((Decimal(this) - last) / last).quantize(Decimal("0.0001"))
    red = RedPropertySummary(
        as_of,
        *(
            sum(getattr(p.red_property, f) for p in parts)
            for f in (
                "accepted_projects",
                "industry_party_committees",
                "companies_with_party_org",
                "compounds_with_service_station",
                "council_items_resolved",
            )
        ),
    )
    return Headline(
        as_of, _sum_fund(as_of, [p.fund for p in parts]), coverage, ComplaintComparison(as_of, this, last, change), red
    )


def city_headlines(session: Session, as_of: date) -> list[tuple[int, Headline]]:
    """Each city's headline figures: the province view shows them side by side."""
    return [
        (cid, headline(session, Area(city_id=cid), as_of)) for cid in session.scalars(select(City.id).order_by(City.id))
    ]


@cached_query(councils=True)  # its council figure expires with every council write
def headline(session: Session, area: Area, as_of: date) -> Headline:
    """The API's answer and the overview's cards: one cache entry (one read) instead of one per subject."""
    if area.city_id is None and area.district_id is None:
        return sum_headlines(as_of, [h for _, h in city_headlines(session, as_of)])
    return Headline(
        as_of=as_of,
        fund=fund_summary(session, area, as_of),
        coverage=elevator_coverage(session, area, as_of),
        complaints=elevator_complaints(session, area, as_of),
        red_property=red_property_summary(session, area, as_of),
    )


def overview(session: Session, area: Area, as_of: date) -> Overview:
    """Everything the overview page shows, in one call (the province is its cities summed)."""
    cities: list[tuple[int, Headline]] = []
    if area.city_id is None and area.district_id is None:
        cities = city_headlines(session, as_of)
        h = sum_headlines(as_of, [c for _, c in cities])
    else:
        h = headline(session, area, as_of)
    targets = coverage_targets(session, area.city_id, as_of) if area.city_id is not None else []
    return Overview(
        as_of=as_of,
        cities=cities,
        fund=h.fund,
        coverage=h.coverage,
        targets=targets,
        complaints=h.complaints,
        complaints_by_month=elevator_complaints_by_month(session, area, [as_of.year - 1, as_of.year], as_of),
        red_property=h.red_property,
    )


def as_of_for_year(year: int, today: date) -> date:
    """Stocks are as of the year's end, or today for the current year."""
    return min(date(year, 12, 31), today)


__all__ = [
    "Area",
    "CoverageSummary",
    "FundSummary",
    "Headline",
    "Overview",
    "RedPropertySummary",
    "as_of_for_year",
    "elevator_coverage",
    "fund_summary",
    "headline",
    "overview",
    "red_property_summary",
]
