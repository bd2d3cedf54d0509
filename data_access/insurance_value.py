"""/insurance-value: whether the elevator insurance is worth it, for one area and year, in one call.

Why an assembler: the page shows six figures of data_access/insurance_figures.py side by side (the headline the
API serves, premiums against claims by insurer, city and district, repair cost per elevator-year three ways, major
repairs, rescue times and the maintenance-company league), and a page calls one data function per render. Nothing
is computed here: every number is the figure function's own, so the page cannot drift from the API (the headline
cards read `insurance_summary`, exactly what GET /api/v1/indicators answers) or from the figures' tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from data_access.cache import cached_query
from data_access.core.scope import Area
from data_access.geography import CityRow, list_cities
from data_access.insurance_figures import (
    CompanyRow,
    InsuranceSummary,
    LossRatios,
    MajorRepairs,
    RepairCost,
    Rescue,
    insurance_summary,
    loss_ratios,
    maintenance_league,
    major_repairs,
    repair_cost,
    rescue,
)


@dataclass(frozen=True)
class InsuranceValuePage:
    """Everything /insurance-value shows for an area and calendar year.

    The flows (premiums, claims, repair costs, major repairs, rescue, the league) cover the calendar year `year`;
    the headline's service shares cover 1 January to `summary.as_of` (the year's end, or today in the current
    year), as /elevators and the API show them. `cities` names the cities the rows refer to by id (the district
    rows' and league rows' city, and the city code a click on a district's bar filters by)."""

    year: int
    summary: InsuranceSummary
    loss: LossRatios
    repair: RepairCost
    major: MajorRepairs
    rescue: Rescue
    league: list[CompanyRow]
    cities: list[CityRow]

    @property
    def as_of(self) -> date:
        return self.summary.as_of


@cached_query
def insurance_value_page(session: Session, area: Area, year: int, today: date) -> InsuranceValuePage:
    """The figures of /insurance-value for an area (already narrowed to the viewer) and calendar year, each from
    the insurance_figures function that defines it; `today` dates the headline's as-of day and its worklists."""
    return InsuranceValuePage(
        year=year,
        summary=insurance_summary(session, area, year, today),
        loss=loss_ratios(session, area, year),
        repair=repair_cost(session, area, year),
        major=major_repairs(session, area, year),
        rescue=rescue(session, area, year),
        league=maintenance_league(session, area, year),
        cities=list_cities(session),
    )


__all__ = ["InsuranceValuePage", "insurance_value_page"]
