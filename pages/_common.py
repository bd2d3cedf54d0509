"""What every page does first: who is asking, in which language, for which area."""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
from flask import current_app

from auth import current_lang, current_viewer
from components.i18n import Lang, t
from data_access import get_session
from data_access.db import today_local
from data_access.geography import Area, CityRow, city_by_code
from data_access.users import AccessDenied, Viewer

ALL_ROLES = ("admin", "leader", "organiser", "press")


@dataclass(frozen=True)
class PageContext:
    viewer: Viewer
    lang: Lang
    area: Area
    city: CityRow | None  # None: province-wide


def today():  # type: ignore[no-untyped-def]
    """Today in Asia/Shanghai; tests pin it with the TODAY setting."""
    pinned = current_app.config.get("TODAY")
    return pinned or today_local()


def page_context(city_code: str | None) -> PageContext | dbc.Alert:
    """Resolve the signed-in viewer and the requested city, narrowed to what the viewer may see."""
    lang = current_lang()
    viewer = current_viewer()
    if viewer is None:
        return dbc.Alert(t("login.need", lang), color="warning")
    session = get_session()
    city = None
    if city_code and city_code != "province":
        city = city_by_code(session, city_code)
        if city is None:
            return dbc.Alert(t("app.not_found", lang), color="warning")
    try:
        area = viewer.area_for(city.id if city else None)
    except AccessDenied:
        return dbc.Alert(t("app.forbidden", lang), color="danger", id="forbidden")
    if city is None and area.city_id is not None:
        city = next(c for c in _cities(session) if c.id == area.city_id)
    return PageContext(viewer=viewer, lang=lang, area=area, city=city)


def _cities(session) -> list[CityRow]:  # type: ignore[no-untyped-def]
    from data_access.geography import list_cities

    return list_cities(session)
