"""/funds — is the maintenance fund finally used, and what does it earn?"""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.funds import (
    compound_columns,
    compound_csv,
    compound_rows,
    compound_table,
    compound_xlsx,
    district_chart,
    fund_cards,
    interest_chart,
    usage_chart,
)
from components.headline import headline
from data_access import get_session
from data_access.funds import CompoundFundRow, funds_page_data
from data_access.presentation import funds_findings
from pages._common import ALL_ROLES, PageContext, chart_scope, indicator_layout
from pages._grid import GridScope, register_compound_grid, register_navigation
from pages._urlargs import indicator_args

FIRST_YEAR = 2019

dash.register_page(
    __name__,
    path="/funds",
    name="funds",
    title="维修资金",
    nav_key="nav.funds",
    roles=ALL_ROLES,
    order=10,
    url_args=indicator_args(FIRST_YEAR),
)


def _figures(ctx: PageContext, wanted: int, now: date) -> tuple[date, Any, list[Any]]:
    """The fund cards, usage and interest by year and the district chart, with the date the fund figures are as of
    and the headline stating what they find."""
    data = funds_page_data(get_session(), ctx.area, wanted, now, FIRST_YEAR, include_compounds=False)
    lang = ctx.lang
    as_of = data.years[-1].summary.as_of
    scope = chart_scope(ctx)
    body = [
        fund_cards(data.years, data.previous, data.capacity, lang),
        dbc.Row(
            [
                dbc.Col(usage_chart(data.years, lang, scope), lg=6, className="mb-3"),
                dbc.Col(interest_chart(data.years, lang, scope), lg=6, className="mb-3"),
            ],
            className="g-3",
        ),
        html.Div(district_chart(data.districts, as_of, lang, scope), className="mb-3"),
    ]
    return as_of, headline(funds_findings(data), lang), body


layout = indicator_layout("funds", FIRST_YEAR, _figures, compound_table, messages="funds")
register_navigation("funds", chart_picks_city=False)  # the district chart's customdata is the district id


def _compounds(scope: GridScope) -> list[CompoundFundRow]:
    """The compound table of the filters, as the grid and both exports read it (one cache entry: same arguments)."""
    page = funds_page_data(get_session(), scope.ctx.area, scope.year, scope.today, FIRST_YEAR, compounds_only=True)
    return page.compounds


register_compound_grid(
    "funds",
    FIRST_YEAR,
    _compounds,
    grid_rows=compound_rows,
    columns=compound_columns,
    csv=compound_csv,
    xlsx=compound_xlsx,
)
