"""12345 hotline work-order queries for the complaints pages, aggregated in SQL: `complaints_page_data` assembles
everything /complaints shows.

The queries live by subject: `complaint_counts` (work orders per month, category and district, handling and
the period's totals), `complaint_cohorts` (insured against never-insured compounds, month by month and before
and after), `complaint_compounds` (the compound table), with their shared helpers in `complaint_sql`.

Conventions of every complaint query module (shared with data_access/indicators.py):
- `first`..`last` are local calendar days (Asia/Shanghai), both ends inclusive;
- months are local calendar months: an order received at 00:10 on 1 March in Zhuzhou is a March order
  although it is still 28/29 February in UTC, so grouping shifts to local time in SQL;
- an `Area` filters on the work order's own city_id / district_id (province: no filter); where elevators
  are counted as a denominator they are scoped through their compound's district instead;
- rates are Decimal, rounded half-up to 0.01; a rate over nothing is None, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from data_access.cache import cached_query
from data_access.complaint_cohorts import CohortMonth, CohortSummary
from data_access.complaint_compounds import CompoundComplaintRow
from data_access.complaint_counts import (
    CategoryMonth,
    CloseStats,
    DistrictLabel,
    DistrictMonth,
    PeriodTotals,
    SatisfactionRow,
    district_labels,
)
from data_access.complaint_sql import month_first, month_index, month_last
from data_access.core.rules import minus_years
from data_access.core.scope import Area
from data_access.facts import facts
from data_access.indicators import ComplaintComparison, as_of_for_year, elevator_complaints

# --------------------------------------------------------------------------- the /complaints page


@dataclass(frozen=True)
class ComplaintsPage:
    as_of: date
    chart_first: date  # the monthly charts cover chart_first..as_of (up to 24 months)
    trend_last: date | None  # the per-100 trend ends with the last complete month (None: no complete month)
    elevator: ComplaintComparison | None  # from 1 January to as_of vs the same days a year earlier
    totals: PeriodTotals | None
    previous: PeriodTotals | None  # the same days a year earlier
    by_category: list[CategoryMonth]
    by_district: list[DistrictMonth]
    districts: list[DistrictLabel]
    trend: list[CohortMonth]
    before_after: list[CohortSummary]  # [insured, never_insured]
    close: list[CloseStats]
    satisfaction: list[SatisfactionRow]
    compounds: list[CompoundComplaintRow]


BEFORE_AFTER_MONTHS = 12
CHART_MONTHS = 24


def chart_window(as_of: date, first_year: int) -> tuple[date, date | None]:
    """(first day of the monthly charts, last day of the per-100 trend).

    The charts show the CHART_MONTHS months ending with as_of's month, never before first_year; the trend
    stops at the last complete month, since a part-month's orders would be set against whole-month elevators.
    """
    first = max(month_first(month_index(as_of) - CHART_MONTHS + 1), date(first_year, 1, 1))
    trend_last = as_of if (as_of + timedelta(days=1)).day == 1 else month_last(month_index(as_of) - 1)
    return first, trend_last if trend_last >= first else None


@cached_query
def complaints_page_data(
    session: Session,
    area: Area,
    year: int,
    today: date,
    first_year: int,
    compounds_only: bool = False,
    include_compounds: bool = True,
) -> ComplaintsPage:
    """Everything /complaints shows for one area and year (the compound table alone for exports and the grid's
    rows; include_compounds=False leaves it out for a page that loads its grid separately).

    Flows run from 1 January of the year to its end, or to today for the current year.
    """
    as_of = as_of_for_year(year, today)
    f = facts(session)
    compounds = f.compound_work_orders.compound_table(area, as_of) if include_compounds or compounds_only else []
    chart_first, trend_last = chart_window(as_of, first_year)
    if compounds_only:
        return ComplaintsPage(as_of, chart_first, trend_last, None, None, None, [], [], [], [], [], [], [], compounds)
    start = date(as_of.year, 1, 1)
    last_year_end = minus_years(as_of, 1)
    orders, cohorts = f.work_orders, f.cohorts
    return ComplaintsPage(
        as_of=as_of,
        chart_first=chart_first,
        trend_last=trend_last,
        elevator=elevator_complaints(session, area, as_of),
        totals=orders.period_totals(area, start, as_of),
        previous=orders.period_totals(area, date(last_year_end.year, 1, 1), last_year_end),
        by_category=orders.monthly_by_category(area, chart_first, as_of),
        by_district=orders.monthly_elevator_by_district(area, chart_first, as_of),
        districts=district_labels(session, area),
        trend=cohorts.insured_vs_uninsured_trend(area, chart_first, trend_last) if trend_last else [],
        before_after=cohorts.before_after_summary(area, BEFORE_AFTER_MONTHS, as_of=as_of),
        close=orders.time_to_close(area, start, as_of),
        satisfaction=orders.satisfaction(area, start, as_of),
        compounds=compounds,
    )


__all__ = ["ComplaintsPage", "chart_window", "complaints_page_data"]
