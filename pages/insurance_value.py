"""/insurance-value — is the elevator insurance worth it? Premiums against claims, what repairs cost per
elevator-year with and without it, rescue times and the maintenance companies, for the filters' area and year.

A reading page for every role: the figures are aggregates (no owner, applicant or account is named), the same the
data-sharing API serves. One data call per render (data_access/insurance_value.py), pure components around it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from components.headline import headline
from components.i18n import t
from components.insurance_value import (
    GRID,
    PREFIX,
    district_chart,
    insurer_chart,
    league_table,
    major_chart,
    notes,
    repair_chart,
    rescue_chart,
    value_cards,
    year_period,
)
from data_access import get_session
from data_access.insurance_value import insurance_value_page
from data_access.presentation import insurance_value_findings
from pages._common import ALL_ROLES, PageContext, chart_scope, indicator_layout
from pages._grid import register_navigation
from pages._urlargs import indicator_args

FIRST_YEAR = 2021  # the reform, and its policies, began in Zhuzhou in 2021

dash.register_page(
    __name__,
    path="/insurance-value",
    name="insurance_value",
    title="保险成效",
    nav_key="nav.insurance_value",
    roles=ALL_ROLES,
    order=22,  # after /elevators (20), before the insurance desk (25)
    url_args=indicator_args(FIRST_YEAR),
)


def _figures(ctx: PageContext, wanted: int, now: date) -> tuple[date, Any, list[Any]]:
    """The headline cards, premiums against claims, repair costs, rescue and the maintenance-company league; the
    date they are as of (the year's end, or today in the current year) and the headline stating what they find."""
    data = insurance_value_page(get_session(), ctx.area, wanted, now)
    lang = ctx.lang
    flows = year_period(data, lang)
    province = ctx.city is None
    scope, as_of = chart_scope(ctx), data.as_of
    body = [
        value_cards(data, lang),
        html.H2(t("value.section.money", lang), className="h5 mt-2 mb-3"),
        dbc.Row(
            [
                dbc.Col(insurer_chart(data.loss, flows, lang, as_of, scope), lg=5, className="mb-3"),
                dbc.Col(
                    district_chart(data.loss, data.cities, province, flows, lang, as_of, scope), lg=7, className="mb-3"
                ),
            ],
            className="g-3",
        ),
        html.H2(t("value.section.cost", lang), className="h5 mt-2 mb-3"),
        dbc.Row(
            [
                dbc.Col(repair_chart(data.repair, flows, lang, as_of, scope), lg=7, className="mb-3"),
                dbc.Col(major_chart(data.major, flows, lang, as_of, scope), lg=5, className="mb-3"),
            ],
            className="g-3",
        ),
        html.H2(t("value.section.service", lang), className="h5 mt-2 mb-3"),
        html.Div(rescue_chart(data.rescue, flows, lang, as_of, scope), className="mb-3"),
        html.Div(league_table(data.league, data.cities, province, wanted, flows, lang), className="mb-3"),
    ]
    return data.as_of, headline(insurance_value_findings(data), lang), body


layout = indicator_layout(PREFIX, FIRST_YEAR, _figures, notes, messages="value")
# The district chart's customdata is [district id, city code, loss ratio]; its league grid opens no compound.
register_navigation(PREFIX, chart_data_longer=True)


@callback(Output(GRID, "exportDataAsCsv"), Input(f"{GRID}-csv", "n_clicks"), prevent_initial_call=True)
def _export_csv(_n: int) -> bool:
    """The league as the grid shows it, exported by the grid itself (its rows are all in the browser already)."""
    return True
