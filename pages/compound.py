"""/compound?id=N — one compound across both reforms; opened by clicking a compound in a table or by the navbar's
compound search, whose callbacks live here too (the navbar itself is components/shell.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, NoUpdate, Output, State, callback, clientside_callback, no_update
from dash.exceptions import PreventUpdate

from auth import current_lang, current_viewer
from components.compound import compound_page
from components.i18n import t
from components.plots import ChartScope
from components.shell import compound_search_options
from components.url_status import not_found_page
from data_access import get_session
from data_access.compounds import compound_city_id, compound_view, search_compounds
from data_access.core.dataset import demo_city_codes
from data_access.council_access import council_access
from data_access.users import AccessDenied, Viewer
from pages._common import ALL_ROLES, PageContext, page_context, page_layout, today
from pages._urlargs import Arg, PageArgs, PositiveId, Subject, UrlArgs


def visible_city(viewer: Viewer, compound_id: int) -> int | None:
    """The compound's city when it exists and lies inside the viewer's scope; None otherwise (one answer for both, so
    the page never tells which compounds exist elsewhere)."""
    city_id = compound_city_id(get_session(), compound_id)
    if city_id is None:
        return None
    try:
        viewer.area_for(city_id)
    except AccessDenied:
        return None
    return city_id


ID = Arg("id", PositiveId(), label="url.arg.compound")
URL_ARGS = UrlArgs(
    (ID,),
    subject=Subject(
        ID,
        lambda viewer, compound_id: visible_city(viewer, compound_id) is not None,
        "notfound.compound",
        layout_checks=True,  # layout: visible_city, then compound_view; either missing → the not-found page
    ),
)

dash.register_page(
    __name__,
    path="/compound",
    name="compound",
    title="小区详情",
    nav_key="compound.title",
    roles=ALL_ROLES,
    hide_from_nav=True,
    order=90,
    url_args=URL_ARGS,
)


@page_layout(URL_ARGS)
def layout(args: PageArgs) -> object:
    ctx = page_context(None)
    if not isinstance(ctx, PageContext):
        return dbc.Container(ctx, fluid="xl", className="py-4")
    lang = ctx.lang
    compound_id = args.get(ID)
    city_id = visible_city(ctx.viewer, compound_id) if compound_id is not None else None
    as_of = today()
    access = council_access(ctx.viewer, as_of)  # its meetings as the viewer may read council records
    view = compound_view(get_session(), compound_id, as_of, access) if compound_id is not None and city_id else None
    if view is None:  # missing, or outside the viewer's scope: one answer for both
        return not_found_page(t("notfound.compound", lang), lang)
    city = next((c for c in ctx.cities if c.id == city_id), None)
    city_name = (city.name if lang == "zh" else city.name_en) if city else ""
    demo = bool(city and demo_city_codes(get_session(), [city.code]))
    scope = ChartScope(place=f"{city_name}{view.profile.name}" if lang == "zh" else f"{view.profile.name}, {city_name}")
    return dbc.Container(
        compound_page(
            view,
            city_name,
            as_of,
            lang,
            city_code=city.code if city else None,
            published_only=access.published_only,
            scope=replace(scope, demo=demo),
        ),
        fluid="xl",
        className="pb-4",
    )


# --------------------------------------------------------------------------- the navbar's compound search


@callback(
    Output("nav-compound-search", "options"),
    Input("nav-compound-search", "search_value"),
    prevent_initial_call=True,
)
def _suggest_compounds(text: str | None) -> list[dict[str, Any]] | NoUpdate:
    """Names from the server as the user types, only among the compounds the signed-in viewer may open: the scope is
    the viewer's own cities, read here from the session, never from anything the request carries."""
    viewer = current_viewer()
    if viewer is None:  # the gate refuses signed-out callbacks before this; never answer one anyway
        raise PreventUpdate
    typed = text if isinstance(text, str) else ""
    if not typed.strip():
        return no_update  # a cleared box keeps the last suggestions (the chosen one stays labelled)
    hits = search_compounds(get_session(), typed, viewer.allowed_city_ids())
    return compound_search_options(hits, current_lang())


@callback(
    Output("nav-search-url", "href"),
    Output("nav-compound-search", "value"),
    Input("nav-compound-search", "value"),
    prevent_initial_call=True,
)
def _open_compound(value: str | int | None) -> tuple[str, None]:
    """Choosing a suggestion opens its view and empties the box; the view checks the viewer's scope itself, so a
    forged value opens nothing more than typing its address would."""
    compound_id = PositiveId().read(str(value if value is not None else ""))
    if compound_id is None:
        raise PreventUpdate
    return f"/compound?id={compound_id}", None


# The list a compound was opened from, kept in the tab (the navbar's session store) for the view's back link.
clientside_callback(
    ClientsideFunction(namespace="compound", function_name="rememberList"),
    Output("nav-last-list", "data"),
    Input("_pages_location", "pathname"),
    Input("_pages_location", "search"),
    State("nav-last-list", "data"),
)
clientside_callback(
    ClientsideFunction(namespace="compound", function_name="backHref"),
    Output("compound-back", "href"),
    Input("nav-last-list", "data"),
    State("compound-back-home", "data"),
)
# Below 1200 px the navbar folds into its toggler (and the compound search with it): the toggler opens and closes it.
clientside_callback(
    ClientsideFunction(namespace="compound", function_name="toggleMenu"),
    Output("navbar-collapse", "is_open"),
    Input("navbar-toggler", "n_clicks"),
    State("navbar-collapse", "is_open"),
    prevent_initial_call=True,
)
