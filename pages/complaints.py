"""/complaints — are elevator complaints (12345 hotline work orders) falling, and is that shown fairly?"""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.complaints import (
    category_chart,
    cohort_chart,
    complaint_cards,
    compound_columns,
    compound_csv,
    compound_rows,
    compound_table,
    compound_xlsx,
    district_chart,
    handling_table,
)
from components.headline import headline
from data_access import get_session
from data_access.complaint_compounds import CompoundComplaintRow
from data_access.complaints import complaints_page_data
from data_access.presentation import complaint_findings
from pages._common import ALL_ROLES, PageContext, chart_scope, indicator_layout
from pages._grid import GridScope, register_compound_grid, register_navigation
from pages._urlargs import indicator_args

FIRST_YEAR = 2021  # the reform, and the hotline records, start in 2021

dash.register_page(
    __name__,
    path="/complaints",
    name="complaints",
    title="电梯投诉",
    nav_key="nav.complaints",
    roles=ALL_ROLES,
    order=30,
    url_args=indicator_args(FIRST_YEAR),
)


def _figures(ctx: PageContext, wanted: int, now: date) -> tuple[date, Any, list[Any]]:
    """Complaint cards, the cohort trend, complaints by category and district, and how orders were handled; with
    the date they are as of and the headline (before and after insuring, against never-insured compounds)."""
    data = complaints_page_data(get_session(), ctx.area, wanted, now, FIRST_YEAR, include_compounds=False)
    lang = ctx.lang
    scope = chart_scope(ctx)
    body = [
        complaint_cards(data, FIRST_YEAR, lang),
        html.Div(cohort_chart(data.trend, data.chart_first, data.trend_last, lang, scope), className="mb-3"),
        dbc.Row(
            [
                dbc.Col(
                    category_chart(data.by_category, data.chart_first, data.as_of, lang, scope), lg=6, className="mb-3"
                ),
                dbc.Col(
                    district_chart(data.by_district, data.districts, data.chart_first, data.as_of, lang, scope),
                    lg=6,
                    className="mb-3",
                ),
            ],
            className="g-3",
        ),
        html.Div(handling_table(data.close, data.satisfaction, data.as_of, lang), className="mb-3"),
    ]
    return data.as_of, headline(complaint_findings(data), lang), body


layout = indicator_layout("complaints", FIRST_YEAR, _figures, compound_table, messages="complaints")
register_navigation("complaints")


def _compounds(scope: GridScope) -> list[CompoundComplaintRow]:
    """The compound table of the filters, as the grid and both exports read it (one cache entry: same arguments)."""
    page = complaints_page_data(get_session(), scope.ctx.area, scope.year, scope.today, FIRST_YEAR, compounds_only=True)
    return page.compounds


register_compound_grid(
    "complaints",
    FIRST_YEAR,
    _compounds,
    grid_rows=compound_rows,
    columns=compound_columns,
    csv=compound_csv,
    xlsx=compound_xlsx,
)
