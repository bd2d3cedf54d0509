"""Rebuild the pre-aggregated tables from the raw ones, in the caller's transaction.

Every per-row fact (a fault's local day and hour, whether a policy was in force that day, the elevator's
age band, a work order's days to close) is computed with the very SQL expressions the raw queries use,
so a rollup reader and its raw counterpart count the same things (tests compare them on every page).
The funnel, compound stock and pooled-account levels need each elevator's timeline and are built in
data_access.rollup_timelines.

Run by the demo seed, by `flask --app app refresh-rollups`, and by anything that loads data in bulk.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, insert, literal, select, true, union_all, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import ColumnElement

from data_access import rollup_timelines
from data_access.core.dataset import (
    GENERATION_KEY,
    ROLLUP_KEY,
    YEARS_KEY,
    decide_reader_again,
    renew_generation,
    rollups_ready,
)
from data_access.core.models import (
    AgendaItem,
    AgendaOutcome,
    Building,
    Compound,
    CouncilAttendee,
    CouncilMeeting,
    CouncilParty,
    DatasetInfo,
    District,
    Elevator,
    ElevatorFault,
    FaultSeverity,
    FollowUp,
    FollowUpStatus,
    FundEntryKind,
    HotlineWorkOrder,
    InsurancePolicy,
    MaintenanceFundEntry,
    MaintenanceVisit,
    PooledAccount,
    PooledAccountEntry,
    PooledEntryKind,
    WorkOrderCategory,
)
from data_access.core.rollup_tables import (
    AGE_COLUMNS,
    COUNCIL_DAY_COLUMNS,
    FUND_COLUMNS,
    HOURS,
    ROLLUP_TABLES,
    STOCK_COLUMNS,
    agg_cohort_elevators,
    agg_cohort_orders,
    agg_compound,
    agg_compound_elevators,
    agg_compound_faults,
    agg_compound_work_orders,
    agg_compound_year,
    agg_council_agenda,
    agg_council_compound_day,
    agg_council_day,
    agg_council_resolve,
    agg_elevator_stock,
    agg_fault_day,
    agg_fund_compound,
    agg_fund_district,
    agg_visit_day,
    agg_work_order_day,
)
from data_access.core.rules import (
    AGE_BANDS,
    MAJOR_REPAIR_LIMIT_SECONDS,
    REPEAT_FAULTS,
    RESPONSE_LIMIT_SECONDS,
    VISIT_BAND_MINUTES,
    counted_meeting,
    insured_on,
    live_follow_up,
    live_item,
)
from data_access.core.sqlfuncs import (
    date_month_index,
    date_year,
    later_date,
    local_date,
    local_day_gap,
    local_hour,
    local_month_index,
    local_year,
    next_day,
    seconds_between,
    whole_seconds,
    whole_years_between,
)

Progress = Callable[[str], None]
log = logging.getLogger("housing.rollups")


def refresh_rollups(bind: Session | Connection, progress: Progress | None = None) -> dict[str, float]:
    """Empty and refill every rollup table, then mark them as built from the current data generation.

    Gives the seconds each step took. A data set without a generation gets one, so the mark can be made.
    """
    conn = bind.connection() if isinstance(bind, Session) else bind
    timings: dict[str, float] = {}
    for table in reversed(ROLLUP_TABLES):
        conn.execute(table.delete())
    steps: tuple[tuple[str, Callable[[Connection], None]], ...] = (
        ("compounds", _compounds),
        ("fund", _fund),
        ("elevator_stock", _elevator_stock),
        ("faults", _faults),
        ("visits", _visits),
        ("work_orders", _work_orders),
        ("cohorts", _cohorts),
        ("councils", _councils),
        ("timelines", rollup_timelines.build),
        ("compound_years", _compound_years),
    )
    for name, step in steps:
        if progress:
            progress(name)
        started = time.perf_counter()
        step(conn)
        timings[name] = time.perf_counter() - started
    generation = conn.scalar(select(DatasetInfo.value).where(DatasetInfo.key == GENERATION_KEY))
    if not generation:
        generation = uuid.uuid4().hex
        conn.execute(insert(DatasetInfo).values(key=GENERATION_KEY, value=generation))
    done = conn.execute(update(DatasetInfo).where(DatasetInfo.key == ROLLUP_KEY).values(value=generation))
    if not done.rowcount:
        conn.execute(insert(DatasetInfo).values(key=ROLLUP_KEY, value=generation))
    if isinstance(bind, Session):  # the session decides its reader again, from what it has just written
        decide_reader_again(bind)
    return timings


DEFER_KEY = "defer_rollups"  # session.info: its caller rebuilds the rollups after the commit (see RollupRebuilder)
DUE_KEY = "rollups_due"  # session.info: set by refresh_after_write when a deferred rebuild is due


def refresh_after_write(session: Session, rollups_affected: bool = True) -> None:
    """After a writer changed facts the figures count (policies, pooled-account entries, applications, claims), in its
    transaction: renew the data set's generation (cached figures of the old data expire when it commits) and keep
    the pre-aggregated tables from ever answering for a state they were not built from.

    - `rollups_affected=False` (a notice, an objection, a claim: facts no pre-aggregated table holds): tables that
      were up to date stay marked as built, from the new generation.
    - Otherwise, if the tables were in use: rebuilt in this transaction (seconds at city scale:
      docs/PERFORMANCE.md) — or, when the session's caller asked for it (`session.info[DEFER_KEY]`, a clerk's
      request), left stale, so every reader falls back to the raw tables until a `RollupRebuilder` rebuilds them
      after the commit (`session.info[DUE_KEY]` says one is due). Either way no reader sees a mixed state."""
    was_ready = rollups_ready(session)
    renew_generation(session)
    if was_ready and not rollups_affected:
        generation = session.scalar(select(DatasetInfo.value).where(DatasetInfo.key == GENERATION_KEY))
        session.execute(update(DatasetInfo).where(DatasetInfo.key == ROLLUP_KEY).values(value=generation))
        decide_reader_again(session)
    elif was_ready and session.info.get(DEFER_KEY):
        session.info[DUE_KEY] = True
        decide_reader_again(session)
    elif was_ready:
        refresh_rollups(session)
    else:
        decide_reader_again(session)


def rebuild_if_stale(factory: Callable[[], Session]) -> bool:
    """In a session of its own: rebuild the pre-aggregated tables if they are stale; whether it did.

    On PostgreSQL the rebuild reads one snapshot (REPEATABLE READ), so the generation it marks the tables with is
    the one of the data it summed; a write committed meanwhile leaves them stale again for the next rebuild."""
    with factory() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        if rollups_ready(session):
            return False
        refresh_rollups(session)
        session.commit()
        return True


class RollupRebuilder:
    """Rebuilds the pre-aggregated tables in a thread after a clerk's write, so the clerk's request returns at once
    (a full rebuild takes seconds at city scale) while readers use the raw tables meanwhile. Requests arriving
    during a rebuild are coalesced into one more rebuild; a failed rebuild (another worker's, racing on
    PostgreSQL) is retried a few times; `flask refresh-rollups --if-stale` remains the backstop."""

    RETRIES = 3

    def __init__(self, factory: Callable[[], Session]) -> None:
        self._factory = factory
        self._wanted = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def request(self) -> None:
        with self._lock:
            self._wanted.set()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="rollup-rebuild", daemon=True)
                self._thread.start()

    def wait(self, timeout: float) -> bool:
        """Block until no rebuild is running or wanted (tests and benchmarks); whether it finished in time."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def _run(self) -> None:
        failures = 0
        while True:
            with self._lock:
                if not self._wanted.is_set():
                    self._thread = None
                    return
                self._wanted.clear()
            try:
                rebuild_if_stale(self._factory)
                failures = 0
            except Exception:  # logged, retried: the raw tables keep answering correctly meanwhile
                failures += 1
                log.exception("rebuilding the pre-aggregated tables failed (%d of %d)", failures, self.RETRIES)
                if failures < self.RETRIES:
                    time.sleep(1.0)
                    self._wanted.set()


def _compound_years(conn: Connection) -> None:
    """Year-end stocks per compound (agg_compound_year), from the daily fund entries and elevator changes.

    One row per compound for every year from the one before the first data to the last, so a compound table
    joins the year before its own on equality; the years covered are recorded for rollups.snapshot_year.
    """
    fc, ce = agg_fund_compound.c, agg_compound_elevators.c
    days = [
        conn.execute(select(func.min(t.c.day), func.max(t.c.day))).one()
        for t in (agg_fund_compound, agg_compound_elevators)
    ]
    known = [_as_day(d) for pair in days for d in pair if d is not None]
    if not known:
        return
    first, last = min(known).year - 1, max(known).year
    years_rows = [select(literal(y).label("year")) for y in range(first, last + 1)]
    years = (union_all(*years_rows) if len(years_rows) > 1 else years_rows[0]).subquery("years")
    fund_y = date_year(fc.day)
    fund = (
        select(fc.compound_id, fund_y.label("year"), *(func.sum(fc[c]).label(c) for c in FUND_COLUMNS))
        .group_by(fc.compound_id, fund_y)
        .subquery("fund_years")
    )
    lift_y = date_year(ce.day)
    lifts = (
        select(
            ce.compound_id,
            lift_y.label("year"),
            *(func.sum(ce[c]).label(c) for c in ("elevators", "past_warranty", "insured")),
        )
        .group_by(ce.compound_id, lift_y)
        .subquery("elevator_years")
    )
    ac = agg_compound.c

    def running(source: Any, column: str) -> Any:
        return func.sum(func.coalesce(source.c[column], 0)).over(partition_by=ac.compound_id, order_by=years.c.year)

    grid = (
        select(years.c.year, ac.compound_id, ac.district_id)
        .select_from(years.join(agg_compound, true()))
        .outerjoin(fund, and_(fund.c.compound_id == ac.compound_id, fund.c.year == years.c.year))
        .outerjoin(lifts, and_(lifts.c.compound_id == ac.compound_id, lifts.c.year == years.c.year))
        .add_columns(
            *(running(fund, c) for c in FUND_COLUMNS),
            *(running(lifts, c) for c in ("elevators", "past_warranty", "insured")),
        )
    )
    conn.execute(insert(agg_compound_year).from_select(["year", "compound_id", "district_id", *STOCK_COLUMNS], grid))
    value = f"{first}-{last}"
    done = conn.execute(update(DatasetInfo).where(DatasetInfo.key == YEARS_KEY).values(value=value))
    if not done.rowcount:
        conn.execute(insert(DatasetInfo).values(key=YEARS_KEY, value=value))


def _count_if(cond: Any) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _sum_if(cond: Any, value: Any) -> Any:
    return func.coalesce(func.sum(case((cond, value), else_=0)), 0)


def _running(column: Any, *partition: Any, order: Any) -> Any:
    """Running total of a column within each partition, in `order`."""
    return func.sum(column).over(partition_by=list(partition), order_by=order)


# --------------------------------------------------------------------------- compounds


def _compounds(conn: Connection) -> None:
    buildings = (
        select(Building.compound_id.label("compound_id"), func.count().label("n"))
        .group_by(Building.compound_id)
        .subquery()
    )
    first_policy = (
        select(Building.compound_id.label("compound_id"), func.min(InsurancePolicy.period_start).label("first_on"))
        .select_from(InsurancePolicy)
        .join(Elevator, Elevator.id == InsurancePolicy.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .group_by(Building.compound_id)
        .subquery()
    )
    rows = (
        select(
            Compound.id,
            District.city_id,
            Compound.district_id,
            func.coalesce(buildings.c.n, 0),
            first_policy.c.first_on,
        )
        .join(District, District.id == Compound.district_id)
        .outerjoin(buildings, buildings.c.compound_id == Compound.id)
        .outerjoin(first_policy, first_policy.c.compound_id == Compound.id)
    )
    conn.execute(
        insert(agg_compound).from_select(
            ["compound_id", "city_id", "district_id", "buildings", "first_policy_on"], rows
        )
    )


# --------------------------------------------------------------------------- maintenance fund


def _fund(conn: Connection) -> None:
    fe, pe = MaintenanceFundEntry, PooledAccountEntry
    # Both ledgers' kinds as plain strings: FundEntryKind and PooledEntryKind share no value.
    owner = (
        select(
            Compound.district_id.label("district_id"),
            Building.compound_id.label("compound_id"),
            fe.booked_on.label("day"),
            func.lower(fe.kind).label("kind"),
            func.sum(fe.amount_fen).label("amount"),
        )
        .join(Building, Building.id == fe.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .group_by(Compound.district_id, Building.compound_id, fe.booked_on, fe.kind)
    )
    pooled = (
        select(
            Compound.district_id.label("district_id"),
            Building.compound_id.label("compound_id"),
            pe.booked_on.label("day"),
            # A refunded premium is a negative premium here: the tables' premiums are premiums spent, net of refunds
            # (core.rules.net_premium), and the balance, income less premiums and other uses, stays pooled_signed's.
            case(
                (pe.kind == PooledEntryKind.premium_refund, PooledEntryKind.premium.value), else_=func.lower(pe.kind)
            ).label("kind"),
            func.sum(case((pe.kind == PooledEntryKind.premium_refund, -pe.amount_fen), else_=pe.amount_fen)).label(
                "amount"
            ),
        )
        .join(PooledAccount, PooledAccount.id == pe.pooled_account_id)
        .join(Building, Building.id == PooledAccount.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .group_by(Compound.district_id, Building.compound_id, pe.booked_on, pe.kind)
    )
    entries = union_all(owner, pooled).subquery("entries")
    e = entries.c
    kinds = (
        FundEntryKind.deposit.value,
        FundEntryKind.benchmark_interest.value,
        FundEntryKind.use.value,
        PooledEntryKind.value_added_income.value,
        PooledEntryKind.premium.value,
        PooledEntryKind.other_use.value,
    )
    daily = (
        select(e.district_id, e.day, *(_sum_if(e.kind == k, e.amount).label(k) for k in kinds))
        .group_by(e.district_id, e.day)
        .subquery("daily")
    )
    d = daily.c
    conn.execute(
        insert(agg_fund_district).from_select(
            ["district_id", "day", *FUND_COLUMNS],
            select(d.district_id, d.day, *(_running(d[k], d.district_id, order=d.day) for k in kinds)),
        )
    )
    conn.execute(
        insert(agg_fund_compound).from_select(
            ["day", "compound_id", "district_id", *FUND_COLUMNS],
            select(
                e.day, e.compound_id, func.min(e.district_id), *(_sum_if(e.kind == k, e.amount) for k in kinds)
            ).group_by(e.day, e.compound_id),
        )
    )


def _elevator_stock(conn: Connection) -> None:
    daily = (
        select(Compound.district_id.label("district_id"), Elevator.in_service_on.label("day"), func.count().label("n"))
        .select_from(Elevator)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .group_by(Compound.district_id, Elevator.in_service_on)
        .subquery("daily")
    )
    d = daily.c
    conn.execute(
        insert(agg_elevator_stock).from_select(
            ["district_id", "day", "elevators"],
            select(d.district_id, d.day, _running(d.n, d.district_id, order=d.day)),
        )
    )


def _age_band_index(years: Any) -> Any:
    """0..3 for core.rules.AGE_BANDS, the same boundaries as elevator_service._age_band."""
    whens = [(years <= hi, i) for i, (_label, _lo, hi) in enumerate(AGE_BANDS) if hi is not None]
    return case(*whens, else_=len(AGE_BANDS) - 1)


def _faults(conn: Connection) -> None:
    f = ElevatorFault
    day = local_date(f.reported_at)
    per_fault = (
        select(
            Compound.district_id.label("district_id"),
            day.label("day"),
            insured_on(f.elevator_id, day).label("insured"),
            seconds_between(f.reported_at, f.responded_at).label("response_s"),
            whole_seconds(f.reported_at, f.responded_at).label("response_whole_s"),
            seconds_between(f.reported_at, f.repaired_at).label("repair_s"),
            (f.severity == FaultSeverity.major).label("major"),
            f.trapped_passengers.label("trapped"),
            local_hour(f.reported_at).label("hour"),
            _age_band_index(whole_years_between(Elevator.in_service_on, day)).label("band"),
            func.row_number()
            .over(partition_by=[f.elevator_id, local_year(f.reported_at)], order_by=[f.reported_at, f.id])
            .label("nth"),
        )
        .select_from(f)
        .join(Elevator, Elevator.id == f.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .cte("per_fault")
        .prefix_with("MATERIALIZED")  # computed once per fault, not once per use of each column
    )
    p = per_fault.c
    major = p.major.is_(True)
    measures = [
        func.count(),
        _count_if(p.response_s <= RESPONSE_LIMIT_SECONDS),
        func.coalesce(func.sum(p.response_whole_s), 0),
        func.count(p.response_whole_s),
        _count_if(major),
        _count_if(and_(major, p.repair_s <= MAJOR_REPAIR_LIMIT_SECONDS)),
        _count_if(p.trapped > 0),
        _count_if(p.nth == REPEAT_FAULTS),
        *(_count_if(p.hour == h) for h in HOURS),
        *(_count_if(p.band == i) for i in range(len(AGE_COLUMNS))),
    ]
    names = [
        "faults",
        "answered_30min",
        "response_seconds",
        "responded",
        "major_faults",
        "major_repaired_24h",
        "trapped_incidents",
        "repeat_faults",
        *(f"hour_{h:02d}" for h in HOURS),
        *AGE_COLUMNS,
    ]
    conn.execute(
        insert(agg_fault_day).from_select(
            ["district_id", "day", "insured", *names],
            select(p.district_id, p.day, p.insured, *measures).group_by(p.district_id, p.day, p.insured),
        )
    )
    # Per compound the day alone is needed: a statement of its own skips the per-fault lookups.
    conn.execute(
        insert(agg_compound_faults).from_select(
            ["day", "compound_id", "district_id", "faults", "trapped_incidents"],
            select(
                day,
                Building.compound_id,
                func.min(Compound.district_id),
                func.count(),
                _count_if(f.trapped_passengers > 0),
            )
            .select_from(f)
            .join(Elevator, Elevator.id == f.elevator_id)
            .join(Building, Building.id == Elevator.building_id)
            .join(Compound, Compound.id == Building.compound_id)
            .group_by(day, Building.compound_id),
        )
    )


def _visits(conn: Connection) -> None:
    v = MaintenanceVisit
    low, high = VISIT_BAND_MINUTES
    day = local_date(v.started_at)
    per_visit = (
        select(
            Compound.district_id.label("district_id"),
            day.label("day"),
            insured_on(v.elevator_id, day).label("insured"),
            v.duration_minutes.label("minutes"),
        )
        .select_from(v)
        .join(Elevator, Elevator.id == v.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .cte("per_visit")
        .prefix_with("MATERIALIZED")
    )
    p = per_visit.c
    conn.execute(
        insert(agg_visit_day).from_select(
            ["district_id", "day", "insured", "visits", "minutes", "in_band"],
            select(
                p.district_id,
                p.day,
                p.insured,
                func.count(),
                func.coalesce(func.sum(p.minutes), 0),
                _count_if(and_(p.minutes >= low, p.minutes <= high)),
            ).group_by(p.district_id, p.day, p.insured),
        )
    )


# --------------------------------------------------------------------------- 12345 work orders


def _work_orders(conn: Connection) -> None:
    wo = HotlineWorkOrder
    per_order = (
        select(
            wo.city_id.label("city_id"),
            wo.district_id.label("district_id"),
            wo.compound_id.label("compound_id"),
            local_date(wo.received_at).label("day"),
            local_month_index(wo.received_at).label("month"),
            func.lower(wo.category).label("category"),
            whole_seconds(wo.received_at, wo.closed_at).label("close_seconds"),
            wo.satisfaction.label("satisfaction"),
        )
        .cte("per_order")
        .prefix_with("MATERIALIZED")
    )
    p = per_order.c
    conn.execute(
        insert(agg_work_order_day).from_select(
            [
                "city_id",
                "district_id",
                "day",
                "month",
                "category",
                "orders",
                "closed",
                "close_seconds",
                "rated",
                "satisfaction_sum",
                "satisfied",
            ],
            select(
                p.city_id,
                p.district_id,
                p.day,
                func.min(p.month),
                p.category,
                func.count(),
                func.count(p.close_seconds),
                func.coalesce(func.sum(p.close_seconds), 0),
                func.count(p.satisfaction),
                func.coalesce(func.sum(p.satisfaction), 0),
                _count_if(p.satisfaction >= 4),
            ).group_by(p.city_id, p.district_id, p.day, p.category),
        )
    )
    conn.execute(
        insert(agg_compound_work_orders).from_select(
            ["day", "compound_id", "city_id", "district_id", "elevator_orders", "orders", "closed", "close_seconds"],
            select(
                p.day,
                p.compound_id,
                p.city_id,
                p.district_id,
                _count_if(p.category == literal(WorkOrderCategory.elevator.value)),
                func.count(),
                func.count(p.close_seconds),
                func.coalesce(func.sum(p.close_seconds), 0),
            )
            .where(p.compound_id.is_not(None))
            .group_by(p.day, p.compound_id, p.city_id, p.district_id),
        )
    )


def _cohorts(conn: Connection) -> None:
    """Work orders and elevators by their compound's first policy start (needs agg_compound filled first)."""
    wo = HotlineWorkOrder
    ac = agg_compound.c
    month = local_month_index(wo.received_at).label("month")
    orders = (
        select(wo.city_id, wo.district_id, month, ac.first_policy_on, func.count())
        .select_from(wo)
        .join(agg_compound, ac.compound_id == wo.compound_id)
        .where(wo.category == WorkOrderCategory.elevator)
        .group_by(wo.city_id, wo.district_id, month, ac.first_policy_on)
    )
    conn.execute(
        insert(agg_cohort_orders).from_select(
            ["city_id", "district_id", "month", "first_policy_on", "elevator_orders"], orders
        )
    )
    since = date_month_index(Elevator.in_service_on).label("since_month")
    elevators = (
        select(ac.district_id, since, ac.first_policy_on, func.count())
        .select_from(Elevator)
        .join(Building, Building.id == Elevator.building_id)
        .join(agg_compound, ac.compound_id == Building.compound_id)
        .group_by(ac.district_id, since, ac.first_policy_on)
    )
    conn.execute(
        insert(agg_cohort_elevators).from_select(
            ["district_id", "since_month", "first_policy_on", "elevators"], elevators
        )
    )


# --------------------------------------------------------------------------- four-party councils


def refresh_council_rollups(session: Session, compound_id: int) -> None:
    """Bring the council rollups up to date after a write to one compound's records, in its transaction.

    The compound's own rows are rebuilt from its records (a few dozen meetings: fast at any scale), and the
    change in its daily counts is added to its district's rows. The district's row is locked first
    (PostgreSQL; SQLite serialises writers anyway), so two organisers saving in one district at once add
    their changes one after the other. Does nothing while the rollups are stale: the pages read the raw
    tables then, and a full refresh rebuilds everything.
    """
    if not rollups_ready(session):
        return
    conn = session.connection()
    district_id = conn.scalar(select(Compound.district_id).where(Compound.id == compound_id))
    conn.execute(select(District.id).where(District.id == district_id).with_for_update())
    before = _compound_days(conn, compound_id)
    for table in (agg_council_compound_day, agg_council_agenda, agg_council_resolve):
        conn.execute(table.delete().where(table.c.compound_id == compound_id))
    _council_compound_tables(conn, compound_id)
    after = _compound_days(conn, compound_id)
    t = agg_council_day.c
    zero = [0] * len(COUNCIL_DAY_COLUMNS)
    for day in sorted(set(before) | set(after)):
        change = [b - a for a, b in zip(before.get(day, zero), after.get(day, zero), strict=True)]
        if not any(change):
            continue
        values = dict(zip(COUNCIL_DAY_COLUMNS, change, strict=True))
        done = conn.execute(
            update(agg_council_day)
            .where(t.district_id == district_id, t.day == day)
            .values({c: t[c] + v for c, v in values.items()})
        )
        if not done.rowcount:
            month = day.year * 12 + day.month - 1
            conn.execute(insert(agg_council_day).values(district_id=district_id, day=day, month=month, **values))


def _compound_days(conn: Connection, compound_id: int) -> dict[date, list[int]]:
    t = agg_council_compound_day.c
    rows = conn.execute(select(t.day, *(t[c] for c in COUNCIL_DAY_COLUMNS)).where(t.compound_id == compound_id))
    return {_as_day(day): [int(v) for v in values] for day, *values in rows}


def _councils(conn: Connection) -> None:
    """Every council rollup, from the records."""
    _council_compound_tables(conn, None)
    t = agg_council_compound_day.c
    conn.execute(
        insert(agg_council_day).from_select(
            ["district_id", "day", "month", *COUNCIL_DAY_COLUMNS],
            select(
                t.district_id, t.day, date_month_index(t.day), *(func.sum(t[c]) for c in COUNCIL_DAY_COLUMNS)
            ).group_by(t.district_id, t.day),
        )
    )


def _council_compound_tables(conn: Connection, compound_id: int | None) -> None:
    """The per-compound council rollups: all compounds', or one compound's (whose rows were just deleted)."""
    cm, item, fu = CouncilMeeting, AgendaItem, FollowUp

    def only(stmt: Any) -> Any:
        return stmt if compound_id is None else stmt.where(cm.compound_id == compound_id)

    meeting_day = local_date(cm.held_at)
    # Parties present, per meeting: correlated, so one compound's rebuild reads only its meetings' attendees.
    parties = (
        select(func.count(func.distinct(CouncilAttendee.party)))
        .where(CouncilAttendee.meeting_id == cm.id)
        .scalar_subquery()
    )
    meetings = (
        select(cm.compound_id, Compound.district_id, meeting_day.label("day"), parties.label("n"))
        .select_from(cm)
        .join(Compound, Compound.id == cm.compound_id)
        .where(counted_meeting())
    )
    items = (
        select(item)
        .select_from(item)
        .join(cm, cm.id == item.meeting_id)
        .join(Compound, Compound.id == cm.compound_id)
        .where(counted_meeting(), live_item())
    )
    follow_ups = items.join(fu, fu.agenda_item_id == item.id).where(live_follow_up())
    done = fu.status == FollowUpStatus.done

    def events(source: Any, day: Any, column: str, *where: Any) -> Any:
        """One row per event: (compound, district, day) and a 1 in `column` (the meetings' row also counts
        the incomplete ones)."""
        values: dict[str, ColumnElement[int]] = {c: literal(0) for c in COUNCIL_DAY_COLUMNS}
        values[column] = literal(1)
        if column == "meetings":
            values["incomplete_meetings"] = case((source.selected_columns.n < len(CouncilParty), 1), else_=0)
        return only(
            source.with_only_columns(
                cm.compound_id.label("compound_id"),
                Compound.district_id.label("district_id"),
                day.label("day"),
                *(v.label(c) for c, v in values.items()),
            ).where(*where)
        )

    union = union_all(
        events(meetings, meeting_day, "meetings"),
        events(items, meeting_day, "items"),
        events(
            items, item.resolved_on, "resolved", item.outcome == AgendaOutcome.resolved, item.resolved_on.is_not(None)
        ),
        events(follow_ups, fu.due_on, "follow_ups_due"),
        events(follow_ups, later_date(fu.due_on, fu.completed_on), "follow_ups_done_settled", done),
        events(follow_ups, next_day(fu.due_on), "overdue_from"),
        events(follow_ups, later_date(next_day(fu.due_on), fu.completed_on), "overdue_cleared", done),
    )
    ev = union.subquery("events")
    conn.execute(
        insert(agg_council_compound_day).from_select(
            ["compound_id", "day", "district_id", *COUNCIL_DAY_COLUMNS],
            select(
                ev.c.compound_id,
                ev.c.day,
                func.min(ev.c.district_id),
                *(func.sum(ev.c[c]) for c in COUNCIL_DAY_COLUMNS),
            ).group_by(ev.c.compound_id, ev.c.day),
        )
    )
    category, outcome = func.lower(item.category), func.lower(item.outcome)
    agenda = only(
        items.with_only_columns(
            cm.compound_id, Compound.district_id, meeting_day, category, outcome, func.count()
        ).group_by(cm.compound_id, Compound.district_id, meeting_day, category, outcome)
    )
    conn.execute(
        insert(agg_council_agenda).from_select(
            ["compound_id", "district_id", "day", "category", "outcome", "items"], agenda
        )
    )

    earlier_item, earlier_meeting = aliased(AgendaItem), aliased(CouncilMeeting)
    gap = local_day_gap(item.resolved_on, func.coalesce(earlier_meeting.held_at, cm.held_at))
    resolve = only(
        items.with_only_columns(cm.compound_id, Compound.district_id, item.resolved_on, gap, func.count())
        .outerjoin(earlier_item, earlier_item.id == item.carried_from_id)
        .outerjoin(
            earlier_meeting, and_(earlier_meeting.id == earlier_item.meeting_id, earlier_meeting.deleted_at.is_(None))
        )
        .where(item.outcome == AgendaOutcome.resolved, item.resolved_on.is_not(None))
        .group_by(cm.compound_id, Compound.district_id, item.resolved_on, gap)
    )
    conn.execute(
        insert(agg_council_resolve).from_select(["compound_id", "district_id", "day", "gap", "items"], resolve)
    )


def _as_day(value: Any) -> date:
    """SQLite hands dates of derived rows back as text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


__all__ = ["refresh_council_rollups", "refresh_rollups"]
