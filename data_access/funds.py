"""Maintenance-fund queries for the /funds page: by year, by district, by compound, pooled accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, case, exists, func, select
from sqlalchemy.orm import Session, aliased

from data_access.cache import cached_query
from data_access.core.db import many_rows
from data_access.core.models import (
    Building,
    City,
    Compound,
    District,
    Elevator,
    FundEntryKind,
    MaintenanceFundEntry,
    PooledAccount,
    PooledAccountEntry,
    PooledEntryKind,
)
from data_access.core.rollup_tables import (
    FUND_COLUMNS,
    agg_compound,
    agg_fund_compound,
    agg_fund_district,
    agg_pooled_capacity,
)
from data_access.core.rules import minus_years, pooled_signed, pooled_used, ratio
from data_access.core.scope import ON_COMPOUND, ON_COMPOUND_DISTRICT, ON_DISTRICT, Area, cities_of, on_building, within
from data_access.core.sqlfuncs import date_year
from data_access.facts import facts
from data_access.indicators import (
    FundSummary,
    as_of_for_year,
    fund_summary,
    fund_summary_from_raw,
    fund_summary_from_rollups,
    fund_summary_from_totals,
    programme_rule_for,
)
from data_access.rollups import compound_stocks, levels_at, levels_by_district


@dataclass(frozen=True)
class FundYear:
    year: int
    summary: FundSummary
    benchmark_interest_in_year_fen: int


def _fund_by_year_from_rollups(session: Session, area: Area, first_year: int, today: date) -> list[FundYear]:
    # The running totals at each year's end (today for this year): stocks as they are, flows as differences.
    ends = {y: as_of_for_year(y, today) for y in range(first_year - 1, today.year + 1)}
    levels = levels_at(session, agg_fund_district, FUND_COLUMNS, area, list(ends.values()))
    from_rollups: list[FundYear] = []
    for year in range(first_year, today.year + 1):
        before, now = levels[ends[year - 1]], levels[ends[year]]
        summary = fund_summary_from_totals(ends[year], before, now)
        from_rollups.append(FundYear(year, summary, now[1] - before[1]))
    return from_rollups


def _fund_by_year_from_raw(session: Session, area: Area, first_year: int, today: date) -> list[FundYear]:
    """Two grouped queries (per year and kind) feed running totals, so the cost does not grow with the years."""
    fe = MaintenanceFundEntry
    fy = date_year(fe.booked_on)
    owner_stmt = select(fy, fe.kind, func.sum(fe.amount_fen)).where(fe.booked_on <= today).group_by(fy, fe.kind)
    owner_stmt = within(owner_stmt, area, on_building(fe.building_id))
    pe = PooledAccountEntry
    py = date_year(pe.booked_on)
    pooled_stmt = (
        select(py, pe.kind, func.sum(pe.amount_fen))
        .join(PooledAccount, PooledAccount.id == pe.pooled_account_id)
        .where(pe.booked_on <= today)
        .group_by(py, pe.kind)
    )
    pooled_stmt = within(pooled_stmt, area, on_building(PooledAccount.building_id))
    rows = [*session.execute(owner_stmt), *session.execute(pooled_stmt)]
    flows: dict[tuple[int, str], int] = {}
    for year, kind, amount in rows:
        flows[(int(year), str(kind.value if hasattr(kind, "value") else kind))] = int(amount)
    first_seen = min((y for y, _ in flows), default=first_year)

    def flow(year: int, kind: str) -> int:
        return flows.get((year, kind), 0)

    out: list[FundYear] = []
    deposits = interest = uses = vai = debits = 0
    for year in range(min(first_seen, first_year), today.year + 1):
        deposits += flow(year, "deposit")
        interest += flow(year, "benchmark_interest")
        uses += flow(year, "use")
        vai += flow(year, "value_added_income")
        premiums = flow(year, "premium") - flow(year, "premium_refund")  # net of refunds, as core.rules.net_premium
        year_debits = premiums + flow(year, "other_use")
        debits += year_debits
        if year < first_year:
            continue
        used = flow(year, "use") + year_debits
        summary = FundSummary(
            as_of=as_of_for_year(year, today),
            deposits_total_fen=deposits,
            balance_fen=deposits + interest - uses + vai - debits,
            used_in_year_fen=used,
            usage_rate=ratio(used, deposits),
            value_added_income_in_year_fen=flow(year, "value_added_income"),
            value_added_income_total_fen=vai,
            premiums_in_year_fen=premiums,
        )
        out.append(FundYear(year, summary, flow(year, "benchmark_interest")))
    return out


@dataclass(frozen=True)
class DistrictFund:
    district_id: int
    district: str
    district_en: str
    city: str
    deposits_total_fen: int
    used_in_year_fen: int
    usage_rate: Decimal | None
    value_added_income_in_year_fen: int


def _fund_by_district_from_raw(session: Session, area: Area, as_of: date) -> list[DistrictFund]:
    start = date(as_of.year, 1, 1)
    fe = MaintenanceFundEntry
    owner = (
        select(
            Compound.district_id.label("district_id"),
            func.sum(case((fe.kind == FundEntryKind.deposit, fe.amount_fen), else_=0)).label("deposits"),
            func.sum(case((and_(fe.kind == FundEntryKind.use, fe.booked_on >= start), fe.amount_fen), else_=0)).label(
                "uses"
            ),
        )
        .join(Building, Building.id == fe.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .where(fe.booked_on <= as_of)
        .group_by(Compound.district_id)
        .subquery()
    )
    pe = PooledAccountEntry
    in_year = pe.booked_on >= start
    pooled = (
        select(
            Compound.district_id.label("district_id"),
            func.sum(
                case((and_(pe.kind == PooledEntryKind.value_added_income, in_year), pe.amount_fen), else_=0)
            ).label("vai"),
            func.sum(case((in_year, pooled_used(pe.kind, pe.amount_fen)), else_=0)).label("debits"),
        )
        .join(PooledAccount, PooledAccount.id == pe.pooled_account_id)
        .join(Building, Building.id == PooledAccount.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .where(pe.booked_on <= as_of)
        .group_by(Compound.district_id)
        .subquery()
    )
    stmt = (
        select(
            District.id,
            District.name,
            District.name_en,
            City.name,
            func.coalesce(owner.c.deposits, 0),
            func.coalesce(owner.c.uses, 0) + func.coalesce(pooled.c.debits, 0),
            func.coalesce(pooled.c.vai, 0),
        )
        .join(City, City.id == District.city_id)
        .outerjoin(owner, owner.c.district_id == District.id)
        .outerjoin(pooled, pooled.c.district_id == District.id)
        .order_by(City.id, District.id)
    )
    stmt = within(stmt, area, ON_DISTRICT)
    return [
        DistrictFund(did, name, name_en, city, int(dep), int(used), ratio(int(used), int(dep)), int(vai))
        for did, name, name_en, city, dep, used, vai in session.execute(stmt)
    ]


def _fund_by_district_from_rollups(session: Session, area: Area, as_of: date) -> list[DistrictFund]:
    """Each district's running totals on as_of and on the eve of its year."""
    eve = date(as_of.year, 1, 1) - timedelta(days=1)
    levels = levels_by_district(session, agg_fund_district, FUND_COLUMNS, area, [eve, as_of])
    zero = [0] * len(FUND_COLUMNS)
    stmt = select(District.id, District.name, District.name_en, City.name).join(City, City.id == District.city_id)
    out: list[DistrictFund] = []
    for did, name, name_en, city in session.execute(within(stmt.order_by(City.id, District.id), area, ON_DISTRICT)):
        s = fund_summary_from_totals(as_of, levels[eve].get(did, zero), levels[as_of].get(did, zero))
        out.append(
            DistrictFund(
                did,
                name,
                name_en,
                city,
                s.deposits_total_fen,
                s.used_in_year_fen,
                s.usage_rate,
                s.value_added_income_in_year_fen,
            )
        )
    return out


@dataclass(frozen=True)
class PooledCapacity:
    accounts: int
    accounts_with_elevators: int
    accounts_able_to_pay: int  # balance ≥ the programme's minimum premium-years for all their elevators
    min_premium_years: int | None


def _capacity_from_rollups(session: Session, area: Area, as_of: date) -> PooledCapacity:
    city_ids = cities_of(session, area)
    accounts, with_elevators, able = levels_at(
        session,
        agg_pooled_capacity,
        ("accounts", "accounts_with_elevators", "accounts_able_to_pay"),
        area,
        [as_of],
    )[as_of]
    min_years = None
    for city_id in city_ids:
        rule = programme_rule_for(session, city_id, as_of)
        min_years = rule.min_premium_years if rule else min_years
    return PooledCapacity(accounts, with_elevators, able, min_years)


def _capacity_from_raw(session: Session, area: Area, as_of: date) -> PooledCapacity:
    total = PooledCapacity(0, 0, 0, None)
    city_ids = cities_of(session, area)
    for city_id in city_ids:
        rule = programme_rule_for(session, city_id, as_of)
        required_each = rule.min_premium_years * rule.annual_premium_fen if rule else 0
        # Correlated subqueries ride the (account, date), building and unit indexes; joining grouped
        # subqueries instead made SQLite scan them per account (4.5 s at city scale).
        pe = PooledAccountEntry
        balance = (
            select(
                func.coalesce(
                    func.sum(pooled_signed(pe.kind, pe.amount_fen)),
                    0,
                )
            )
            .where(pe.pooled_account_id == PooledAccount.id, pe.booked_on <= as_of)
            .scalar_subquery()
        )
        own_unit_account = aliased(PooledAccount)
        building_elevators = (
            select(func.count())
            .select_from(Elevator)
            .where(
                Elevator.building_id == PooledAccount.building_id,
                Elevator.in_service_on <= as_of,
                ~exists().where(own_unit_account.unit_id == Elevator.unit_id),
            )
            .scalar_subquery()
        )
        unit_elevators = (
            select(func.count())
            .select_from(Elevator)
            .where(Elevator.unit_id == PooledAccount.unit_id, Elevator.in_service_on <= as_of)
            .scalar_subquery()
        )
        n = case((PooledAccount.unit_id.is_(None), building_elevators), else_=unit_elevators)
        per_account_stmt = (
            select(n.label("n"), balance.label("balance"))
            .select_from(PooledAccount)
            .join(Building, Building.id == PooledAccount.building_id)
            .join(Compound, Compound.id == Building.compound_id)
            .where(PooledAccount.opened_on <= as_of)
        )
        per_account = within(
            per_account_stmt, Area(city_id=city_id, district_id=area.district_id), ON_COMPOUND
        ).subquery()
        stmt = select(
            func.count(),
            func.coalesce(func.sum(case((per_account.c.n > 0, 1), else_=0)), 0),
            func.coalesce(
                func.sum(
                    case(
                        (and_(per_account.c.n > 0, per_account.c.balance >= per_account.c.n * required_each), 1),
                        else_=0,
                    )
                ),
                0,
            ),
        ).select_from(per_account)
        accounts, with_elevators, able = (int(v) for v in session.execute(stmt).one())
        total = PooledCapacity(
            total.accounts + accounts,
            total.accounts_with_elevators + with_elevators,
            total.accounts_able_to_pay + able,
            rule.min_premium_years if rule else total.min_premium_years,
        )
    return total


class CompoundFundRow(NamedTuple):
    """A NamedTuple, not a dataclass: a table builds 21,000 of them at `large` scale, ten times faster."""

    compound_id: int
    compound: str
    district: str
    district_en: str
    buildings: int
    deposits_total_fen: int
    used_in_year_fen: int
    value_added_income_total_fen: int
    pooled_balance_fen: int


def _compound_fund_table_from_raw(session: Session, area: Area, as_of: date) -> list[CompoundFundRow]:
    start = date(as_of.year, 1, 1)
    fe = MaintenanceFundEntry
    owner = (
        select(
            Building.compound_id.label("compound_id"),
            func.sum(case((fe.kind == FundEntryKind.deposit, fe.amount_fen), else_=0)).label("deposits"),
            func.sum(case((and_(fe.kind == FundEntryKind.use, fe.booked_on >= start), fe.amount_fen), else_=0)).label(
                "uses"
            ),
        )
        .join(Building, Building.id == fe.building_id)
        .where(fe.booked_on <= as_of)
        .group_by(Building.compound_id)
        .subquery()
    )
    pe = PooledAccountEntry
    credit = pe.kind == PooledEntryKind.value_added_income
    pooled = (
        select(
            Building.compound_id.label("compound_id"),
            func.sum(case((credit, pe.amount_fen), else_=0)).label("vai"),
            func.sum(pooled_signed(pe.kind, pe.amount_fen)).label("balance"),
            func.sum(case((pe.booked_on >= start, pooled_used(pe.kind, pe.amount_fen)), else_=0)).label("debits"),
        )
        .join(PooledAccount, PooledAccount.id == pe.pooled_account_id)
        .join(Building, Building.id == PooledAccount.building_id)
        .where(pe.booked_on <= as_of)
        .group_by(Building.compound_id)
        .subquery()
    )
    buildings = (
        select(Building.compound_id.label("compound_id"), func.count().label("n"))
        .group_by(Building.compound_id)
        .subquery()
    )
    stmt = (
        select(
            Compound.id,
            Compound.name,
            District.name,
            District.name_en,
            func.coalesce(buildings.c.n, 0),
            func.coalesce(owner.c.deposits, 0),
            func.coalesce(owner.c.uses, 0) + func.coalesce(pooled.c.debits, 0),
            func.coalesce(pooled.c.vai, 0),
            func.coalesce(pooled.c.balance, 0),
        )
        .join(District, District.id == Compound.district_id)
        .outerjoin(owner, owner.c.compound_id == Compound.id)
        .outerjoin(pooled, pooled.c.compound_id == Compound.id)
        .outerjoin(buildings, buildings.c.compound_id == Compound.id)
        .order_by(func.coalesce(owner.c.deposits, 0).desc(), Compound.id)
    )
    stmt = within(stmt, area, ON_COMPOUND_DISTRICT)
    return _fund_rows(session, stmt)


def _compound_fund_table_from_rollups(session: Session, area: Area, as_of: date) -> list[CompoundFundRow]:
    """Each compound's stocks on as_of and its year's flows to as_of, from two grouped scans (no per-compound seek)."""
    used = ("uses_fen", "premiums_fen", "other_uses_fen")
    stocks = compound_stocks(session, agg_fund_compound, FUND_COLUMNS, as_of, area, flows=used)

    def at(t: Any, column: str) -> Any:
        return func.coalesce(t.c[column], 0)

    deposits = at(stocks, "deposits_fen")
    stmt = (
        select(
            Compound.id,
            Compound.name,
            District.name,
            District.name_en,
            func.coalesce(agg_compound.c.buildings, 0),
            deposits,
            at(stocks, "year_uses_fen") + at(stocks, "year_premiums_fen") + at(stocks, "year_other_uses_fen"),
            at(stocks, "value_added_income_fen"),
            at(stocks, "value_added_income_fen") - at(stocks, "premiums_fen") - at(stocks, "other_uses_fen"),
        )
        .join(District, District.id == Compound.district_id)
        .outerjoin(agg_compound, agg_compound.c.compound_id == Compound.id)
        .outerjoin(stocks, stocks.c.compound_id == Compound.id)
        .order_by(deposits.desc(), Compound.id)
    )
    stmt = within(stmt, area, ON_COMPOUND)
    return _fund_rows(session, stmt)


def _fund_rows(session: Session, stmt: Select[Any]) -> list[CompoundFundRow]:
    return [
        CompoundFundRow(cid, name, d, d_en, int(b), int(dep), int(used), int(vai), int(bal))
        for cid, name, d, d_en, b, dep, used, vai, bal in many_rows(session, stmt)
    ]


class Funds:
    """Maintenance-fund facts: the owners' ledgers (deposits, benchmark interest, uses) and the pooled accounts
    (value-added income, premiums), read from the ledger entries themselves."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def summary(self, area: Area, as_of: date) -> FundSummary:
        """Stocks at as_of and flows from 1 January to as_of (indicators.fund_summary, the cached entry point)."""
        return fund_summary_from_raw(self.session, area, as_of)

    def by_year(self, area: Area, first_year: int, today: date) -> list[FundYear]:
        """One row per year: stocks at the year's end (today for this year), flows within the year; agrees with
        `summary` for every year (tested)."""
        return _fund_by_year_from_raw(self.session, area, first_year, today)

    def by_district(self, area: Area, as_of: date) -> list[DistrictFund]:
        """Owner-ledger deposits and uses and pooled-account income per district, grouped in SQL."""
        return _fund_by_district_from_raw(self.session, area, as_of)

    def pooled_capacity(self, area: Area, as_of: date) -> PooledCapacity:
        """How many pooled accounts could buy the programme's minimum years of insurance, per city rule."""
        return _capacity_from_raw(self.session, area, as_of)

    def compound_table(self, area: Area, as_of: date) -> list[CompoundFundRow]:
        """One row per compound in the area, every figure summed in SQL."""
        return _compound_fund_table_from_raw(self.session, area, as_of)


class FundsFromRollups(Funds):
    """The same from the districts' running totals (agg_fund_district, agg_pooled_capacity) and the compounds'
    snapshots: a stock is a level on a day, a flow the difference of two levels."""

    def summary(self, area: Area, as_of: date) -> FundSummary:
        return fund_summary_from_rollups(self.session, area, as_of)

    def by_year(self, area: Area, first_year: int, today: date) -> list[FundYear]:
        return _fund_by_year_from_rollups(self.session, area, first_year, today)

    def by_district(self, area: Area, as_of: date) -> list[DistrictFund]:
        return _fund_by_district_from_rollups(self.session, area, as_of)

    def pooled_capacity(self, area: Area, as_of: date) -> PooledCapacity:
        return _capacity_from_rollups(self.session, area, as_of)

    def compound_table(self, area: Area, as_of: date) -> list[CompoundFundRow]:
        return _compound_fund_table_from_rollups(self.session, area, as_of)


@dataclass(frozen=True)
class FundsPage:
    years: list[FundYear]
    previous: FundSummary | None  # the same day a year earlier: stocks then, flows from 1 January to then
    capacity: PooledCapacity
    districts: list[DistrictFund]
    compounds: list[CompoundFundRow]


@cached_query
def funds_page_data(
    session: Session,
    area: Area,
    year: int,
    today: date,
    first_year: int,
    compounds_only: bool = False,
    include_compounds: bool = True,
) -> FundsPage:
    """Everything /funds shows for one area and year (the compound table alone for exports and the grid's rows;
    include_compounds=False leaves it out for a page that loads its grid separately)."""
    as_of = as_of_for_year(year, today)
    funds = facts(session).funds
    if compounds_only:
        return FundsPage([], None, PooledCapacity(0, 0, 0, None), [], funds.compound_table(area, as_of))
    return FundsPage(
        years=funds.by_year(area, first_year, as_of),
        previous=fund_summary(session, area, minus_years(as_of, 1)),
        capacity=funds.pooled_capacity(area, as_of),
        districts=funds.by_district(area, as_of),
        compounds=funds.compound_table(area, as_of) if include_compounds else [],
    )
