"""/complaints — are elevator complaints (12345 hotline work orders) falling, and is that shown fairly?"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import dash
import dash_bootstrap_components as dbc
from dash import Input, NoUpdate, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

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
from components.filters import compound_link, filter_bar, filter_search
from components.formatting import day
from components.i18n import t
from data_access import get_session
from data_access.complaints import CompoundComplaintRow, complaints_page_data
from pages._common import ALL_ROLES, PageContext, page_context, parse_filters, today
from pages._grid import GridScope, register_compound_grid

dash.register_page(
    __name__,
    path="/complaints",
    name="complaints",
    title="电梯投诉",
    nav_key="nav.complaints",
    roles=ALL_ROLES,
    order=30,
)

FIRST_YEAR = 2021  # the reform, and the hotline records, start in 2021


def layout(city: str | None = None, district: str | None = None, year: str | None = None, **_: str) -> object:
    ctx = page_context(city, district)
    if not isinstance(ctx, PageContext):
        return dbc.Container(ctx, fluid="xl", className="py-4")
    now = today()
    wanted = parse_filters(year, now, FIRST_YEAR)
    data = complaints_page_data(get_session(), ctx.area, wanted, now, FIRST_YEAR, include_compounds=False)
    lang = ctx.lang
    return dbc.Container(
        [
            dcc.Location(id="complaints-url", refresh="callback-nav"),
            html.Div(
                [
                    html.H1([ctx.place, " · ", t("complaints.title", lang)], id="page-title"),
                    html.Div(t("complaints.subtitle", lang), className="subtitle"),
                    html.Div(t("overview.as_of", lang, date=day(data.as_of, lang)), className="small text-muted"),
                ],
                className="page-head my-3",
            ),
            filter_bar(
                "complaints",
                lang=lang,
                cities=ctx.cities,
                may_see_province=ctx.viewer.may_see_province,
                city_code=ctx.city.code if ctx.city else None,
                districts=ctx.districts,
                district_id=ctx.area.district_id,
                years=list(range(now.year, FIRST_YEAR - 1, -1)),
                year=wanted,
            ),
            complaint_cards(data, FIRST_YEAR, lang),
            html.Div(cohort_chart(data.trend, data.chart_first, data.trend_last, lang), className="mb-3"),
            dbc.Row(
                [
                    dbc.Col(
                        category_chart(data.by_category, data.chart_first, data.as_of, lang), lg=6, className="mb-3"
                    ),
                    dbc.Col(
                        district_chart(data.by_district, data.districts, data.chart_first, data.as_of, lang),
                        lg=6,
                        className="mb-3",
                    ),
                ],
                className="g-3",
            ),
            html.Div(handling_table(data.close, data.satisfaction, data.as_of, lang), className="mb-3"),
            dbc.Card(dbc.CardBody(compound_table(lang)), className="shadow-sm"),
        ],
        fluid="xl",
        className="pb-4",
    )


@callback(
    Output("complaints-url", "search"),
    Input("complaints-city", "value"),
    Input("complaints-district", "value"),
    Input("complaints-year", "value"),
    Input("complaints-district-chart", "clickData"),
    State("complaints-url", "search"),
    prevent_initial_call=True,
)
def _filters_to_url(
    city: str, district: str, year: int, click: dict[str, Any] | None, search: str | None
) -> str | NoUpdate:
    """Every filter lives in the URL: changing one navigates, so links reopen the same view."""
    current = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}
    trigger = dash.ctx.triggered_id
    if trigger == "complaints-city" and city != current.get("city", "province"):
        district = ""  # a district belongs to one city
    if trigger == "complaints-district-chart":
        if not click or not click.get("points"):
            raise PreventUpdate
        target = click["points"][0].get("customdata") or []
        if len(target) != 2:
            raise PreventUpdate
        district, city = str(target[0]), str(target[1])  # from the province view, the district's city too
    new = filter_search(None if city == "province" else city, district or None, year)
    return new if new != (search or "") else no_update


@callback(
    Output("complaints-url", "href"),
    Input("complaints-grid", "cellClicked"),
    prevent_initial_call=True,
)
def _open_compound(cell: dict[str, Any] | None) -> str:
    """Clicking a compound's name opens its view (the view checks the viewer's scope itself)."""
    href = compound_link(cell)
    if href is None:
        raise PreventUpdate
    return href


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
