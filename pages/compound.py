"""/compound?id=N — one compound across both reforms; opened by clicking a compound in a table."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc

from components.compound import compound_page
from components.i18n import t
from components.url_status import not_found_page
from data_access import get_session
from data_access.compounds import compound_city_id, compound_view
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
    view = compound_view(get_session(), compound_id, as_of) if compound_id is not None and city_id else None
    if view is None:  # missing, or outside the viewer's scope: one answer for both
        return not_found_page(t("notfound.compound", lang), lang)
    city = next((c for c in ctx.cities if c.id == city_id), None)
    city_name = (city.name if lang == "zh" else city.name_en) if city else ""
    return dbc.Container(compound_page(view, city_name, as_of, lang), fluid="xl", className="pb-4")
