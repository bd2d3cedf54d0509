"""What every page does first: read its URL (pages/_urlargs.py), then who is asking, in which language, for which
area and year."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import dash_bootstrap_components as dbc
from dash import dcc, html
from flask import current_app

from auth import current_lang, current_viewer
from components.filters import filter_bar
from components.formatting import day
from components.i18n import Lang, t
from components.plots import ChartScope
from components.url_status import not_found_page, url_notices
from data_access import get_session
from data_access.core.clock import today_local
from data_access.core.dataset import demo_city_codes
from data_access.core.scope import Area
from data_access.geography import CityRow, city_by_code, district_city_id, district_options, list_cities
from data_access.users import AccessDenied, Viewer
from pages._urlargs import (
    CITY,
    DISTRICT,
    Notice,
    PageArgs,
    UrlArgs,
    indicator_args,
    notice_text,
    parse,
    record_missing,
    refused,
    year_arg,
)

if TYPE_CHECKING:  # pages hand a session on; they never make one or write SQL
    from sqlalchemy.orm import Session

ALL_ROLES = ("admin", "leader", "organiser", "press", "data_steward", "fund_centre")


@dataclass(frozen=True)
class PageContext:
    viewer: Viewer
    lang: Lang
    area: Area
    city: CityRow | None  # None: province-wide
    cities: list[CityRow] = field(default_factory=list)  # the cities this viewer may pick
    districts: list[tuple[int, str]] = field(default_factory=list)  # the selected city's districts

    @property
    def place(self) -> str:
        if self.city is None:
            return t("app.province", self.lang)
        name = self.city.name if self.lang == "zh" else self.city.name_en
        district = dict(self.districts).get(self.area.district_id) if self.area.district_id else None
        return f"{name} {district}" if district else name


def chart_scope(ctx: PageContext) -> ChartScope:
    """What the page's chart downloads say about it (components/plots.py): its place, and the demo mark when any city
    it shows still has the demo's figures (as the page's banner says)."""
    codes = [ctx.city.code] if ctx.city else [c.code for c in ctx.cities]
    return ChartScope(place=ctx.place, demo=bool(codes and demo_city_codes(get_session(), codes)))


def today() -> date:
    """Today in Asia/Shanghai; tests pin it with the TODAY setting."""
    return current_app.config["TODAY"] or today_local()


def page_layout(spec: UrlArgs) -> Callable[[Callable[[PageArgs], object]], Callable[..., object]]:
    """A page's `layout(**query)` for Dash Pages, from a function of its parsed arguments: the URL goes through
    pages/_urlargs.parse with the page's declared arguments (`spec`, also given to dash.register_page as url_args),
    so a repeated or junk value never reaches the page. A page about one record (`spec.subject`) shows the not-found
    page when the URL names none the viewer may see; every other page gets its arguments and shows, above itself,
    a notice of what was wrong with its link (the parse's notices, and page_context's)."""

    def decorate(render: Callable[[PageArgs], object]) -> Callable[..., object]:
        def layout(**query: object) -> object:
            args = parse(spec, query, today())
            lang = current_lang()
            if spec.subject is not None:
                viewer = current_viewer()
                if viewer is None:
                    return dbc.Container(dbc.Alert(t("login.need", lang), color="warning"), className="py-4")
                if not spec.subject.layout_checks and record_missing(spec, args, viewer):
                    return not_found_page(t(spec.subject.missing, lang), lang)
            content = render(args)
            notices = url_notices([notice_text(n, lang) for n in args.notices])
            if notices is None:
                return content
            children: list[Any] = [notices, content]
            return html.Div(children)

        layout.__doc__ = render.__doc__
        return layout

    return decorate


def page_context(
    city_code: str | None, district: int | None = None, notices: list[Notice] | None = None
) -> PageContext | dbc.Alert:
    """Resolve the signed-in viewer and the requested city/district (as pages/_urlargs read them from the URL),
    narrowed to what the viewer may see. A city or district that does not exist (or a district of another city than
    the one asked for) is left out with a notice added to `notices`; one the viewer may not see is refused."""
    lang = current_lang()
    viewer = current_viewer()
    if viewer is None:
        return dbc.Alert(t("login.need", lang), color="warning")
    session = get_session()
    cities = list_cities(session)
    city = None
    if city_code and city_code != "province":
        city = city_by_code(session, city_code)
        if city is None:
            _note(notices, refused(CITY, [city_code]))
    if city is None and district is not None:
        # A district names its city: a click on a district in the province view narrows to both.
        city_id = district_city_id(session, district)
        city = next((c for c in cities if c.id == city_id), None)
        if city is None:
            _note(notices, refused(DISTRICT, [str(district)]))
            district = None
    try:
        area = viewer.area_for(city.id if city else None)
    except AccessDenied:
        return dbc.Alert(t("app.forbidden", lang), color="danger", id="forbidden")
    if city is None and area.city_id is not None:
        city = next(c for c in cities if c.id == area.city_id)
    allowed = viewer.allowed_city_ids()
    visible = [c for c in cities if allowed is None or c.id in allowed]
    districts = _districts(session, city, lang)
    if district is not None and city is not None:
        if district in dict(districts):
            area = Area(city_id=city.id, district_id=district)
        else:
            _note(notices, refused(DISTRICT, [str(district)]))
    return PageContext(viewer=viewer, lang=lang, area=area, city=city, cities=visible, districts=districts)


def _note(notices: list[Notice] | None, notice: Notice) -> None:
    if notices is not None:
        notices.append(notice)


def _districts(session: Session, city: CityRow | None, lang: str) -> list[tuple[int, str]]:
    if city is None:
        return []
    return [(d.id, d.name if lang == "zh" else d.name_en) for d in district_options(session, city.id)]


# An indicator page's own part (see below): the as-of date, its headline (components/headline.py) and its body.
Figures = Callable[[PageContext, int, date], tuple[date, Any, list[Any]]]


def indicator_layout(
    prefix: str,
    first_year: int,
    figures: Figures,
    table: Callable[[Lang], object],
    *,
    messages: str,
    as_of_id: str | None = None,
) -> Callable[..., dbc.Container]:
    """An indicator page's layout(**query) for Dash Pages: the page for the filters of its URL (city, district,
    year), resolved for the signed-in viewer (a viewer who may not see the area gets page_context's alert).

    `figures(ctx, year, today)` gives the date the page's figures are as of, its headline (the finding in a
    sentence, or None) and its own cards and charts; around them stand the page's URL (`<prefix>-url`, written by
    the callbacks of pages/_grid.py: register_navigation), its heading (`<messages>.title` and `.subtitle`, the
    headline, then that date, with the id `as_of_id` if given), its filter bar
    (ids `<prefix>-city|district|year`, the years `first_year` to this one) and, last, its compound grid
    (`table(lang)`) in a card."""

    year = year_arg(first_year)

    @page_layout(indicator_args(first_year))
    def layout(args: PageArgs) -> dbc.Container:
        ctx = page_context(args.get(CITY), args.get(DISTRICT), args.notices)
        if not isinstance(ctx, PageContext):
            return dbc.Container(ctx, fluid="xl", className="py-4")
        now = today()
        wanted = args.get(year) or now.year
        as_of, lead, body = figures(ctx, wanted, now)
        lang = ctx.lang
        as_of_text = t("overview.as_of", lang, date=day(as_of, lang))
        dated = html.Div(as_of_text, className="small text-muted")
        if as_of_id:
            dated = html.Div(as_of_text, className="small text-muted", id=as_of_id)
        return dbc.Container(
            [
                dcc.Location(id=f"{prefix}-url", refresh="callback-nav"),
                html.Div(
                    [
                        html.H1([ctx.place, " · ", t(f"{messages}.title", lang)], id="page-title"),
                        html.Div(t(f"{messages}.subtitle", lang), className="subtitle"),
                        lead,
                        dated,
                    ],
                    className="page-head my-3",
                ),
                filter_bar(
                    prefix,
                    lang=lang,
                    cities=ctx.cities,
                    may_see_province=ctx.viewer.may_see_province,
                    city_code=ctx.city.code if ctx.city else None,
                    districts=ctx.districts,
                    district_id=ctx.area.district_id,
                    years=list(range(now.year, first_year - 1, -1)),
                    year=wanted,
                ),
                *body,
                dbc.Card(dbc.CardBody(table(lang)), className="shadow-sm"),
            ],
            fluid="xl",
            className="pb-4",
        )

    return layout
