"""/red-property — red-property demonstration projects, service stations and four-party councils."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import dash
import dash_bootstrap_components as dbc
from dash import Input, NoUpdate, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from components.filters import compound_link, filter_bar, filter_search
from components.formatting import day
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
from data_access.red_property import CompoundRedRow, red_property_compounds, red_property_page_data
from pages._common import ALL_ROLES, PageContext, page_context, parse_filters, today
from pages._grid import GridScope, register_compound_grid

dash.register_page(
    __name__,
    path="/red-property",
    name="red_property",
    title="红色物业",
    nav_key="nav.red_property",
    roles=ALL_ROLES,
    order=40,
)

FIRST_YEAR = 2021  # the four-party councils and the reform began in 2021


def layout(city: str | None = None, district: str | None = None, year: str | None = None, **_: str) -> object:
    ctx = page_context(city, district)
    if not isinstance(ctx, PageContext):
        return dbc.Container(ctx, fluid="xl", className="py-4")
    now = today()
    wanted = parse_filters(year, now, FIRST_YEAR)
    data = red_property_page_data(get_session(), ctx.area, wanted, now, FIRST_YEAR, include_compounds=False)
    lang = ctx.lang
    as_of = data.as_of
    return dbc.Container(
        [
            dcc.Location(id="red-property-url", refresh="callback-nav"),
            html.Div(
                [
                    html.H1([ctx.place, " · ", t("red_property.title", lang)], id="page-title"),
                    html.Div(t("red_property.subtitle", lang), className="subtitle"),
                    html.Div(
                        t("overview.as_of", lang, date=day(as_of, lang)), className="small text-muted", id="page-as-of"
                    ),
                ],
                className="page-head my-3",
            ),
            filter_bar(
                "red-property",
                lang=lang,
                cities=ctx.cities,
                may_see_province=ctx.viewer.may_see_province,
                city_code=ctx.city.code if ctx.city else None,
                districts=ctx.districts,
                district_id=ctx.area.district_id,
                years=list(range(now.year, FIRST_YEAR - 1, -1)),
                year=wanted,
            ),
            red_cards(data.current, data.previous, lang),
            dbc.Row(
                [
                    dbc.Col(pipeline_chart(data.stages, as_of, lang), lg=5, className="mb-3"),
                    dbc.Col(scores_chart(data.scores, as_of, lang), lg=7, className="mb-3"),
                ],
                className="g-3",
            ),
            dbc.Row(
                [
                    dbc.Col(district_chart(data.districts, as_of, lang), lg=7, className="mb-3"),
                    dbc.Col(quarter_chart(data.quarters, as_of, lang), lg=5, className="mb-3"),
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
                    dbc.Col(agenda_chart(data.agenda, as_of, lang), lg=7, className="mb-3"),
                    dbc.Col(resolve_chart(data.resolve, as_of, lang), lg=5, className="mb-3"),
                ],
                className="g-3",
            ),
            dbc.Card(dbc.CardBody(compound_table(lang)), className="shadow-sm"),
        ],
        fluid="xl",
        className="pb-4",
    )


@callback(
    Output("red-property-url", "search"),
    Input("red-property-city", "value"),
    Input("red-property-district", "value"),
    Input("red-property-year", "value"),
    Input("red-property-district-chart", "clickData"),
    State("red-property-url", "search"),
    prevent_initial_call=True,
)
def _filters_to_url(
    city: str, district: str, year: int, click: dict[str, Any] | None, search: str | None
) -> str | NoUpdate:
    """Every filter lives in the URL: changing one navigates, so links reopen the same view."""
    current = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}
    trigger = dash.ctx.triggered_id
    if trigger == "red-property-city" and city != current.get("city", "province"):
        district = ""  # a district belongs to one city
    if trigger == "red-property-district-chart":
        if not click or not click.get("points"):
            raise PreventUpdate
        point = click["points"][0].get("customdata") or []
        if len(point) != 2:
            raise PreventUpdate
        district, city = str(point[0]), str(point[1])  # a district click from the province view picks its city too
    new = filter_search(None if city == "province" else city, district or None, year)
    return new if new != (search or "") else no_update


@callback(
    Output("red-property-url", "href"),
    Input("red-property-grid", "cellClicked"),
    prevent_initial_call=True,
)
def _open_compound(cell: dict[str, Any] | None) -> str:
    """Clicking a compound's name opens its view (the view checks the viewer's scope itself)."""
    href = compound_link(cell)
    if href is None:
        raise PreventUpdate
    return href


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
