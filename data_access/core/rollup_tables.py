"""Pre-aggregated tables ("rollups"): the ledgers and event tables summed once, read by every page.

Why: a page view used to sum the raw ledgers on every request (228,000 owner-ledger entries, 199,000
faults and 254,000 maintenance visits at `city` scale, ten times that at `large`), which took seconds.
These tables hold the same sums at two grains whose size does not grow with the data:
- per district and local calendar day (`*_day`): the area figures of any range of days are a sum over at
  most 9 districts × 366 days a year, whatever the number of compounds;
- per compound and day (`agg_fund_compound`, `agg_compound_*`, `agg_council_compound_day`): what changed in
  that compound that day, clustered by day (SQLite: without rowid) so a compound table is one range scan over
  its year grouped by compound; stocks add the compound's year-end snapshot of the year before
  (`agg_compound_year`), so no per-compound lookup is needed at any scale.
Levels (`agg_coverage`, `agg_pooled_capacity`) and running totals (`agg_fund_district`, `agg_elevator_stock`)
hold a stock valid from `day` until the day of the next row of the same district.

They are derived data: `data_access.rollups.refresh_rollups` rebuilds them from the raw tables and marks
them as belonging to the data set's generation; readers use them only while that mark matches
(`rollups_ready`), and fall back to the raw queries otherwise. Nothing else writes them.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, Index, Integer, PrimaryKeyConstraint, String, Table

from data_access.core.db import Base

HOURS = range(24)
AGE_COLUMNS = ("age_0_4", "age_5_9", "age_10_14", "age_15_plus")  # elevators.AGE_BANDS, in order


def _int(name: str) -> Column[int]:
    return Column(name, Integer, nullable=False)


def _fen(name: str) -> Column[int]:
    return Column(name, BigInteger, nullable=False)


agg_compound = Table(
    "agg_compound",
    Base.metadata,
    Column("compound_id", Integer, primary_key=True, autoincrement=False),
    _int("city_id"),
    _int("district_id"),
    _int("buildings"),
    Column("first_policy_on", Date),  # start of the first insurance policy of any of its elevators
)

FUND_COLUMNS = (
    "deposits_fen",  # owner ledgers (FundEntryKind) ...
    "benchmark_interest_fen",
    "uses_fen",
    "value_added_income_fen",  # ... and pooled accounts (PooledEntryKind)
    "premiums_fen",
    "other_uses_fen",
)

# Running totals per district since its first entry, on each day it has an entry: a stock on a day is the latest
# row on or before it, a flow between two days the difference of two such rows.
agg_fund_district = Table(
    "agg_fund_district",
    Base.metadata,
    _int("district_id"),
    Column("day", Date, nullable=False),
    *(_fen(c) for c in FUND_COLUMNS),
    PrimaryKeyConstraint("district_id", "day"),
)

# Per compound and day: that day's entries of both ledgers.
agg_fund_compound = Table(
    "agg_fund_compound",
    Base.metadata,
    Column("day", Date, nullable=False),
    _int("compound_id"),
    _int("district_id"),
    *(_fen(c) for c in FUND_COLUMNS),
    PrimaryKeyConstraint("day", "compound_id"),
    sqlite_with_rowid=False,
)

# Elevators in service per district: a running total on each day an elevator entered service.
agg_elevator_stock = Table(
    "agg_elevator_stock",
    Base.metadata,
    _int("district_id"),
    Column("day", Date, nullable=False),
    _int("elevators"),
    PrimaryKeyConstraint("district_id", "day"),
)

COVERAGE_COLUMNS = (
    "registered",
    "past_warranty",
    "eligible",
    "applied",
    "eligible_applied",
    "insured",
    "fail_no_deposit",
    "fail_pooled_account",
    "fail_management",
    "fail_warranty",
    "fail_insurer",
)

# The insurance funnel (indicators.CoverageSummary) per district, as a level from `day` on; only for cities
# with a programme rule, as elevator_coverage counts them.
agg_coverage = Table(
    "agg_coverage",
    Base.metadata,
    _int("district_id"),
    Column("day", Date, nullable=False),
    *(_int(c) for c in COVERAGE_COLUMNS),
    PrimaryKeyConstraint("district_id", "day"),
)

# Per compound and day: the change in its elevators in service, past their warranty (the city's rule in force,
# else 5 years) and insured (rollup_timelines walks each elevator's timeline).
agg_compound_elevators = Table(
    "agg_compound_elevators",
    Base.metadata,
    Column("day", Date, nullable=False),
    _int("compound_id"),
    _int("district_id"),
    _int("elevators"),
    _int("past_warranty"),
    _int("insured"),
    PrimaryKeyConstraint("day", "compound_id"),
    sqlite_with_rowid=False,
)

# funds.PooledCapacity per district, as levels.
agg_pooled_capacity = Table(
    "agg_pooled_capacity",
    Base.metadata,
    _int("district_id"),
    Column("day", Date, nullable=False),
    _int("accounts"),
    _int("accounts_with_elevators"),
    _int("accounts_able_to_pay"),
    PrimaryKeyConstraint("district_id", "day"),
)

# Faults per district, local day of the report and whether a policy was in force that day.
agg_fault_day = Table(
    "agg_fault_day",
    Base.metadata,
    _int("district_id"),
    Column("day", Date, nullable=False),
    Column("insured", Boolean, nullable=False),
    _int("faults"),
    _int("answered_30min"),
    _fen("response_seconds"),  # whole seconds (elevators.whole_seconds), summed over the faults with a response
    _int("responded"),
    _int("major_faults"),
    _int("major_repaired_24h"),
    _int("trapped_incidents"),
    # Faults that are the elevators.REPEAT_FAULTS-th of their elevator in its local calendar year: their count
    # from 1 January to a day is the number of elevators with that many faults by then.
    _int("repeat_faults"),
    *(_int(f"hour_{h:02d}") for h in HOURS),  # by local hour of the report
    *(_int(c) for c in AGE_COLUMNS),  # by the elevator's completed years on the report's local day
    PrimaryKeyConstraint("day", "district_id", "insured"),
)

agg_compound_faults = Table(
    "agg_compound_faults",
    Base.metadata,
    Column("day", Date, nullable=False),
    _int("compound_id"),
    _int("district_id"),
    _int("faults"),
    _int("trapped_incidents"),
    PrimaryKeyConstraint("day", "compound_id"),
    sqlite_with_rowid=False,
)

agg_visit_day = Table(
    "agg_visit_day",
    Base.metadata,
    _int("district_id"),
    Column("day", Date, nullable=False),
    Column("insured", Boolean, nullable=False),
    _int("visits"),
    _int("minutes"),
    _int("in_band"),  # within elevators.VISIT_BAND_MINUTES
    PrimaryKeyConstraint("day", "district_id", "insured"),
)

# Work orders by their own city and district (as complaints scope them), local day received and category.
agg_work_order_day = Table(
    "agg_work_order_day",
    Base.metadata,
    _int("city_id"),
    _int("district_id"),
    Column("day", Date, nullable=False),
    _int("month"),  # the day's month index (year × 12 + month − 1), so monthly charts group without date functions
    Column("category", String(24), nullable=False),
    _int("orders"),
    _int("closed"),
    _fen("close_seconds"),  # whole seconds to close (elevators.whole_seconds), summed over the closed ones
    _int("rated"),
    _int("satisfaction_sum"),
    _int("satisfied"),  # rated 4 or 5
    PrimaryKeyConstraint("day", "city_id", "district_id", "category"),
    Index("ix_agg_work_order_day_category_day", "category", "day"),  # most figures are of elevator orders
)

# Per compound, order city and order district (which scope work orders) and day received.
agg_compound_work_orders = Table(
    "agg_compound_work_orders",
    Base.metadata,
    Column("day", Date, nullable=False),
    _int("compound_id"),
    _int("city_id"),
    _int("district_id"),
    _int("elevator_orders"),
    _int("orders"),
    _int("closed"),
    _fen("close_seconds"),
    PrimaryKeyConstraint("day", "compound_id", "city_id", "district_id"),
    sqlite_with_rowid=False,
)

# For the insured-vs-never-insured comparison (complaints): elevator work orders per local month and elevators per
# month entering service, keyed by their compound's first policy start (agg_compound.first_policy_on; NULL: none).
# Months are indices (year × 12 + month − 1), as data_access.complaints counts them.
agg_cohort_orders = Table(
    "agg_cohort_orders",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    _int("city_id"),
    _int("district_id"),
    _int("month"),
    Column("first_policy_on", Date),
    _int("elevator_orders"),
    Index("ix_agg_cohort_orders_month", "month"),
)

agg_cohort_elevators = Table(
    "agg_cohort_elevators",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    _int("district_id"),
    _int("since_month"),
    Column("first_policy_on", Date),
    _int("elevators"),
)

COUNCIL_DAY_COLUMNS = (
    "meetings",  # counted meetings held that local day (data_access.council_sql says what counts)
    "incomplete_meetings",  # of those, with one of the four parties absent
    "items",  # agenda items raised at those meetings
    "resolved",  # agenda items resolved that day (resolved_on)
    "follow_ups_due",  # follow-ups due that day
    "follow_ups_done_settled",  # done follow-ups, on the later of their due day and their completion day
    "overdue_from",  # follow-ups, on the day after they are due (when they become overdue if not done)
    "overdue_cleared",  # done follow-ups, on the later of that day and their completion day
)

# The four-party council figures. Unlike the other rollups these change with every council write: a write
# (data_access.council_records) rebuilds its compound's rows and adds the change to its district's, in its own
# transaction (rollup_refresh.refresh_council_rollups).
agg_council_compound_day = Table(
    "agg_council_compound_day",
    Base.metadata,
    Column("day", Date, nullable=False),
    _int("compound_id"),
    _int("district_id"),
    *(_int(c) for c in COUNCIL_DAY_COLUMNS),
    PrimaryKeyConstraint("compound_id", "day"),  # a compound table reads it all, compound by compound
    sqlite_with_rowid=False,
)

# The same per district: what the area figures read (a size that does not grow with the compounds).
agg_council_day = Table(
    "agg_council_day",
    Base.metadata,
    _int("district_id"),
    Column("day", Date, nullable=False),
    _int("month"),  # the day's month index, as in agg_work_order_day
    *(_int(c) for c in COUNCIL_DAY_COLUMNS),
    PrimaryKeyConstraint("district_id", "day"),
)

agg_council_agenda = Table(
    "agg_council_agenda",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    _int("compound_id"),
    _int("district_id"),
    Column("day", Date, nullable=False),  # the meeting's local day
    Column("category", String(24), nullable=False),
    Column("outcome", String(24)),  # NULL: no outcome recorded yet
    _int("items"),
    Index("ix_agg_council_agenda_day", "day"),
    Index("ix_agg_council_agenda_compound_id", "compound_id"),
)

agg_council_resolve = Table(
    "agg_council_resolve",
    Base.metadata,
    _int("compound_id"),
    _int("district_id"),
    Column("day", Date, nullable=False),  # resolved_on
    _int("gap"),  # days from the meeting that first raised the item (red_property.resolve_times)
    _int("items"),
    PrimaryKeyConstraint("compound_id", "day", "gap"),
    Index("ix_agg_council_resolve_day", "day"),
)


STOCK_COLUMNS = (*FUND_COLUMNS, "elevators", "past_warranty", "insured")

# Per compound and year: the stocks of agg_fund_compound and agg_compound_elevators summed to 31 December, for every
# year from the one before the first data to the last (rollups.snapshot_year keeps a later year's query on it).
agg_compound_year = Table(
    "agg_compound_year",
    Base.metadata,
    _int("year"),
    _int("compound_id"),
    _int("district_id"),
    *(_fen(c) for c in STOCK_COLUMNS),
    PrimaryKeyConstraint("year", "compound_id"),
    sqlite_with_rowid=False,
)

ROLLUP_TABLES = (
    agg_compound,
    agg_fund_district,
    agg_fund_compound,
    agg_elevator_stock,
    agg_coverage,
    agg_compound_elevators,
    agg_pooled_capacity,
    agg_fault_day,
    agg_compound_faults,
    agg_visit_day,
    agg_work_order_day,
    agg_compound_work_orders,
    agg_cohort_orders,
    agg_cohort_elevators,
    agg_council_compound_day,
    agg_council_day,
    agg_council_agenda,
    agg_council_resolve,
    agg_compound_year,
)
