"""/compound?id=N — one compound across both reforms; opened by clicking a compound in a table."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc

from components.compound import compound_page
from components.i18n import t
from data_access import get_session
from data_access.compounds import compound_city_id, compound_view
from data_access.users import AccessDenied
from pages._common import ALL_ROLES, PageContext, page_context, today

dash.register_page(
    __name__,
    path="/compound",
    name="compound",
    title="小区详情",
    nav_key="compound.title",
    roles=ALL_ROLES,
    hide_from_nav=True,
    order=90,
)


def layout(id: str | None = None, **_: str) -> object:  # noqa: A002  (the URL parameter is called id)
    ctx = page_context(None)
    if not isinstance(ctx, PageContext):
        return dbc.Container(ctx, fluid="xl", className="py-4")
    lang = ctx.lang
    session = get_session()
    compound_id = int(id) if id and id.isdigit() else None
    city_id = compound_city_id(session, compound_id) if compound_id else None
    if compound_id is None or city_id is None:
        return dbc.Container(dbc.Alert(t("compound.not_found", lang), color="warning"), fluid="xl", className="py-4")
    try:
        ctx.viewer.area_for(city_id)  # the compound's city must be inside the viewer's scope
    except AccessDenied:
        return dbc.Container(
            dbc.Alert(t("app.forbidden", lang), color="danger", id="forbidden"), fluid="xl", className="py-4"
        )
    as_of = today()
    view = compound_view(session, compound_id, as_of)
    assert view is not None
    city = next(c for c in ctx.cities if c.id == city_id) if any(c.id == city_id for c in ctx.cities) else None
    city_name = (city.name if lang == "zh" else city.name_en) if city else ""
    return dbc.Container(compound_page(view, city_name, as_of, lang), fluid="xl", className="pb-4")
