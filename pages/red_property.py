"""/red-property — red-property demonstration projects, service stations and four-party councils."""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.headline import headline
from components.i18n import t
from components.red_property import (
    agenda_chart,
    compound_columns,
    compound_csv,
    compound_rows,
    compound_table,
    compound_xlsx,
    district_chart,
    pipeline_chart,
    quarter_chart,
    red_cards,
    resolve_chart,
    scores_chart,
)
from data_access import get_session
from data_access.presentation import red_property_findings
from data_access.red_property import CompoundRedRow, red_property_compounds, red_property_page_data
from pages._common import ALL_ROLES, PageContext, chart_scope, indicator_layout
from pages._grid import GridScope, register_compound_grid, register_navigation
from pages._urlargs import indicator_args

FIRST_YEAR = 2021  # the four-party councils and the reform began in 2021

dash.register_page(
    __name__,
    path="/red-property",
    name="red_property",
    title="红色物业",
    nav_key="nav.red_property",
    roles=ALL_ROLES,
    order=40,
    url_args=indicator_args(FIRST_YEAR),
)


def _figures(ctx: PageContext, wanted: int, now: date) -> tuple[date, Any, list[Any]]:
    """Red-property cards, the pipeline, scores, districts, quarters and the councils' agendas and resolutions;
    with the date they are as of and the headline stating what they find."""
    data = red_property_page_data(get_session(), ctx.area, wanted, now, FIRST_YEAR, include_compounds=False)
    lang = ctx.lang
    as_of = data.as_of
    scope = chart_scope(ctx)
    body = [
        red_cards(data.current, data.previous, lang),
        dbc.Row(
            [
                dbc.Col(pipeline_chart(data.stages, as_of, lang, scope), lg=5, className="mb-3"),
                dbc.Col(scores_chart(data.scores, as_of, lang, scope), lg=7, className="mb-3"),
            ],
            className="g-3",
        ),
        dbc.Row(
            [
                dbc.Col(district_chart(data.districts, as_of, lang, scope), lg=7, className="mb-3"),
                dbc.Col(quarter_chart(data.quarters, as_of, lang, scope), lg=5, className="mb-3"),
            ],
            className="g-3",
        ),
        html.Div(
            dcc.Link(
                t("red_property.to_councils", lang),
                id="red-property-councils",
                href="/councils" + (f"?city={ctx.city.code}" if ctx.city else ""),
            ),
            className="text-end small mb-1",
        ),
        dbc.Row(
            [
                dbc.Col(agenda_chart(data.agenda, as_of, lang, scope), lg=7, className="mb-3"),
                dbc.Col(resolve_chart(data.resolve, as_of, lang, scope), lg=5, className="mb-3"),
            ],
            className="g-3",
        ),
    ]
    return as_of, headline(red_property_findings(data), lang), body


layout = indicator_layout(
    "red-property", FIRST_YEAR, _figures, compound_table, messages="red_property", as_of_id="page-as-of"
)
register_navigation("red-property")


def _compounds(scope: GridScope) -> list[CompoundRedRow]:
    """The compound table of the filters, as the grid and both exports read it (one cache entry: same arguments)."""
    return red_property_compounds(get_session(), scope.ctx.area, scope.year, scope.today, FIRST_YEAR)


register_compound_grid(
    "red-property",
    FIRST_YEAR,
    _compounds,
    grid_rows=compound_rows,
    columns=compound_columns,
    csv=compound_csv,
    xlsx=compound_xlsx,
)
