"""/insurance-value: whether the elevator insurance is worth it, for one area and year, in one call.

Why an assembler: the page shows six figures of data_access/insurance_figures.py side by side (the headline the
API serves, premiums against claims by insurer, city and district, repair cost per elevator-year three ways, major
repairs, rescue times and the maintenance-company league), and a page calls one data function per render. Nothing
is computed here: every number is the figure function's own, so the page cannot drift from the API (the headline
cards read `insurance_summary`, exactly what GET /api/v1/indicators answers) or from the figures' tests.

Each statement runs once per render: the year's premiums and claims per insurer and district are read once
(`year_cells`) and added up by the loss ratios, the insured repair cost and the major repairs alike; the headline
takes its loss-ratio total and rescue median from the page's own figures (`summary_of`), not by reading them again.
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
    loss_ratios_of,
    maintenance_league,
    major_repairs_of,
    repair_cost_of,
    rescue,
    summary_of,
    year_cells,
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
    cells = year_cells(session, area, year)
    loss = loss_ratios_of(session, cells)
    rescued = rescue(session, area, year)
    return InsuranceValuePage(
        year=year,
        summary=summary_of(session, area, year, today, loss.total, rescued),
        loss=loss,
        repair=repair_cost_of(session, area, year, cells.all_claims),
        major=major_repairs_of(session, area, year, cells.claims),
        rescue=rescued,
        league=maintenance_league(session, area, year),
        cities=list_cities(session),
    )


__all__ = ["InsuranceValuePage", "insurance_value_page"]
