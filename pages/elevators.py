"""/elevators — are we on track for the coverage targets, and is service on insured elevators better?"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import dash
import dash_bootstrap_components as dbc
from dash import Input, NoUpdate, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

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
)
from components.filters import compound_link, filter_bar, filter_search
from components.formatting import day
from components.i18n import t
from data_access import get_session
from data_access.elevators import CompoundElevatorRow, elevators_page_data
from pages._common import ALL_ROLES, PageContext, page_context, parse_filters, today
from pages._grid import GridScope, register_compound_grid

dash.register_page(
    __name__,
    path="/elevators",
    name="elevators",
    title="电梯保险",
    nav_key="nav.elevators",
    roles=ALL_ROLES,
    order=20,
)

FIRST_YEAR = 2021  # the reform began in Zhuzhou in 2021; fault records start then


def layout(city: str | None = None, district: str | None = None, year: str | None = None, **_: str) -> object:
    ctx = page_context(city, district)
    if not isinstance(ctx, PageContext):
        return dbc.Container(ctx, fluid="xl", className="py-4")
    now = today()
    wanted = parse_filters(year, now, FIRST_YEAR)
    data = elevators_page_data(get_session(), ctx.area, wanted, now, include_compounds=False)
    lang = ctx.lang
    first, as_of = data.first, data.as_of
    return dbc.Container(
        [
            dcc.Location(id="elevators-url", refresh="callback-nav"),
            html.Div(
                [
                    html.H1([ctx.place, " · ", t("elevators.title", lang)], id="page-title"),
                    html.Div(t("elevators.subtitle", lang), className="subtitle"),
                    html.Div(t("overview.as_of", lang, date=day(as_of, lang)), className="small text-muted"),
                ],
                className="page-head my-3",
            ),
            filter_bar(
                "elevators",
                lang=lang,
                cities=ctx.cities,
                may_see_province=ctx.viewer.may_see_province,
                city_code=ctx.city.code if ctx.city else None,
                districts=ctx.districts,
                district_id=ctx.area.district_id,
                years=list(range(now.year, FIRST_YEAR - 1, -1)),
                year=wanted,
            ),
            coverage_cards(data, lang),
            dbc.Row(
                [
                    dbc.Col(coverage_chart(data.programmes, as_of, lang), lg=7, className="mb-3"),
                    dbc.Col(service_chart(data.service, first, as_of, lang), lg=5, className="mb-3"),
                ],
                className="g-3",
            ),
            dbc.Row(
                [
                    dbc.Col(funnel_chart(data.coverage, lang), lg=6, className="mb-3"),
                    dbc.Col(conditions_chart(data.coverage, data.programmes, lang), lg=6, className="mb-3"),
                ],
                className="g-3",
            ),
            html.H2(t("elevators.section.faults", lang), className="h5 mt-2 mb-3"),
            fault_cards(data, lang),
            html.Div(district_chart(data.districts, first, as_of, lang), className="mb-3"),
            dbc.Row(
                [
                    dbc.Col(hours_chart(data.hours, first, as_of, lang), lg=6, className="mb-3"),
                    dbc.Col(age_chart(data.age_bands, first, as_of, lang), lg=6, className="mb-3"),
                ],
                className="g-3",
            ),
            dbc.Card(dbc.CardBody(compound_table(lang)), className="shadow-sm"),
        ],
        fluid="xl",
        className="pb-4",
    )


@callback(
    Output("elevators-url", "search"),
    Input("elevators-city", "value"),
    Input("elevators-district", "value"),
    Input("elevators-year", "value"),
    Input("elevators-district-chart", "clickData"),
    State("elevators-url", "search"),
    prevent_initial_call=True,
)
def _filters_to_url(
    city: str, district: str, year: int, click: dict[str, Any] | None, search: str | None
) -> str | NoUpdate:
    """Every filter lives in the URL: changing one navigates, so links reopen the same view."""
    current = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}
    trigger = dash.ctx.triggered_id
    if trigger == "elevators-city" and city != current.get("city", "province"):
        district = ""  # a district belongs to one city
    if trigger == "elevators-district-chart":
        if not click or not click.get("points"):
            raise PreventUpdate
        point = click["points"][0].get("customdata") or []
        if len(point) < 2:
            raise PreventUpdate
        district, city = str(point[0]), str(point[1])  # a province-wide click also picks the district's city
    new = filter_search(None if city == "province" else city, district or None, year)
    return new if new != (search or "") else no_update


@callback(
    Output("elevators-url", "href"),
    Input("elevators-grid", "cellClicked"),
    prevent_initial_call=True,
)
def _open_compound(cell: dict[str, Any] | None) -> str:
    """Clicking a compound's name opens its view (the view checks the viewer's scope itself)."""
    href = compound_link(cell)
    if href is None:
        raise PreventUpdate
    return href


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
