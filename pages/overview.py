"""/ — the headline figures of both reforms for the province or one city."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.formatting import day
from components.headline import headline
from components.i18n import t
from components.insurance import alerts_card
from components.overview import city_comparison, complaints_chart, overview_cards
from data_access import get_session
from data_access.indicators import as_of_for_year, overview
from data_access.insurance import leader_alerts
from data_access.presentation import overview_findings, place_name
from pages._common import ALL_ROLES, PageContext, chart_scope, page_context, page_layout, today
from pages._urlargs import CITY, PageArgs, UrlArgs, year_arg

FIRST_YEAR = 2015  # the earliest year the overview answers for
YEAR = year_arg(FIRST_YEAR)
URL_ARGS = UrlArgs((CITY, YEAR))
ALERT_ROLES = ("admin", "leader", "fund_centre", "data_steward")

dash.register_page(
    __name__,
    path="/",
    name="overview",
    title="总览",
    nav_key="nav.overview",
    roles=ALL_ROLES,
    order=0,
    url_args=URL_ARGS,
)


@page_layout(URL_ARGS)
def layout(args: PageArgs) -> object:
    ctx = page_context(args.get(CITY), notices=args.notices)
    if not isinstance(ctx, PageContext):
        return dbc.Container(ctx, fluid="xl", className="py-4")
    now = today()
    wanted_year = args.get(YEAR) or now.year
    as_of = as_of_for_year(wanted_year, now)
    data = overview(get_session(), ctx.area, as_of)
    lang = ctx.lang
    # what needs a decision today: for those who act on it or answer for it, never the press or organisers
    alerts = leader_alerts(get_session(), ctx.area, now) if ctx.viewer.role.value in ALERT_ROLES else None
    names = {c.id: c for c in ctx.cities}
    place = ctx.place
    return dbc.Container(
        [
            html.Div(
                [
                    html.H1([place, " · ", t("overview.title", lang)], id="page-title"),
                    html.Div(t("overview.subtitle", lang), className="subtitle"),
                    headline(overview_findings(place_name(ctx.city), data), lang),
                    html.Div(
                        t("overview.as_of", lang, date=day(as_of, lang)), className="small text-muted", id="page-as-of"
                    ),
                ],
                className="page-head my-3",
            ),
            alerts_card(alerts, lang, now) if alerts else None,
            overview_cards(data, lang, city_has_rule_targets=bool(data.targets), is_city=ctx.city is not None),
            city_comparison([(names[cid], h) for cid, h in data.cities if cid in names], lang) if data.cities else None,
            complaints_chart(data.complaints_by_month, as_of, lang, chart_scope(ctx)),
        ],
        fluid="xl",
        className="pb-4",
    )
