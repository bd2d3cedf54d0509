"""/elevators — are we on track for the coverage targets, and is service on insured elevators better?"""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.elevators import (
    age_chart,
    compound_columns,
    compound_csv,
    compound_rows,
    compound_table,
    compound_xlsx,
    conditions_chart,
    coverage_cards,
    coverage_chart,
    district_chart,
    fault_cards,
    funnel_chart,
    hours_chart,
    service_chart,
    stages_chart,
)
from components.headline import headline
from components.i18n import t
from data_access import get_session
from data_access.elevator_compounds import CompoundElevatorRow
from data_access.elevators import elevators_page_data
from data_access.presentation import elevator_findings, place_name
from pages._common import ALL_ROLES, PageContext, chart_scope, indicator_layout
from pages._grid import GridScope, register_compound_grid, register_navigation
from pages._urlargs import indicator_args

FIRST_YEAR = 2021  # the reform began in Zhuzhou in 2021; fault records start then

dash.register_page(
    __name__,
    path="/elevators",
    name="elevators",
    title="电梯保险",
    nav_key="nav.elevators",
    roles=ALL_ROLES,
    order=20,
    url_args=indicator_args(FIRST_YEAR),
)


def _figures(ctx: PageContext, wanted: int, now: date) -> tuple[date, Any, list[Any]]:
    """Coverage toward the targets, service on insured elevators, then faults by district, hour and age; the
    date they are as of, and the headline (the city's target of the year, met or missed, leads)."""
    data = elevators_page_data(get_session(), ctx.area, wanted, now, include_compounds=False)
    lang = ctx.lang
    first, as_of = data.first, data.as_of
    scope = chart_scope(ctx)
    body = [
        coverage_cards(data, lang),
        dbc.Row(
            [
                dbc.Col(coverage_chart(data.programmes, as_of, lang, scope), lg=7, className="mb-3"),
                dbc.Col(service_chart(data.service, first, as_of, lang, scope), lg=5, className="mb-3"),
            ],
            className="g-3",
        ),
        dbc.Row(
            [
                dbc.Col(funnel_chart(data.coverage, lang, scope), lg=6, className="mb-3"),
                dbc.Col(conditions_chart(data.coverage, data.programmes, lang, scope), lg=6, className="mb-3"),
            ],
            className="g-3",
        ),
        html.Div(stages_chart(data.stages, as_of, lang, scope), className="mb-3"),
        html.H2(t("elevators.section.faults", lang), className="h5 mt-2 mb-3"),
        fault_cards(data, lang),
        html.Div(district_chart(data.districts, first, as_of, lang, scope), className="mb-3"),
        dbc.Row(
            [
                dbc.Col(hours_chart(data.hours, first, as_of, lang, scope), lg=6, className="mb-3"),
                dbc.Col(age_chart(data.age_bands, first, as_of, lang, scope), lg=6, className="mb-3"),
            ],
            className="g-3",
        ),
    ]
    return as_of, headline(elevator_findings(place_name(ctx.city), data), lang), body


layout = indicator_layout("elevators", FIRST_YEAR, _figures, compound_table, messages="elevators")
register_navigation("elevators", chart_data_longer=True)  # its chart's customdata ends with the hover's figures


def _compounds(scope: GridScope) -> list[CompoundElevatorRow]:
    """The compound table of the filters, as the grid and both exports read it (one cache entry: same arguments)."""
    page = elevators_page_data(get_session(), scope.ctx.area, scope.year, scope.today, compounds_only=True)
    return page.compounds


register_compound_grid(
    "elevators",
    FIRST_YEAR,
    _compounds,
    grid_rows=compound_rows,
    columns=compound_columns,
    csv=compound_csv,
    xlsx=compound_xlsx,
)
