"""/present — the full-screen deck for press and exchange conferences, drawn live from the database.

`?city=` and `?district=` make a city's or district's own deck (narrowed to the viewer like every page: a city
leader cannot open another city's deck), `?year=` an earlier year's, `?auto=8` advances every 8 seconds (a kiosk).
Every role may open it, the press included: the deck shows aggregate figures and published council outcomes only.
The page is thin: read the URL, resolve the viewer, one data call (data_access/presentation.py: `deck`), one
component (components/presentation.py: `deck_view`); assets/present.js does the keyboard, full screen and the timer.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc

from components.presentation import deck_view
from data_access import get_session
from data_access.presentation import FIRST_YEAR, deck
from pages._common import ALL_ROLES, PageContext, page_context, page_layout, today
from pages._urlargs import CITY, DISTRICT, Arg, Choice, PageArgs, UrlArgs, year_arg

AUTO_MIN, AUTO_MAX = 3, 600  # seconds a slide stays up when the deck advances by itself
YEAR = year_arg(FIRST_YEAR)
# Whole seconds from AUTO_MIN to AUTO_MAX, as the URL's text (a fixed set of choices: anything else is refused with a
# notice and the speaker turns the slides); absent: no auto-advance.
AUTO = Arg("auto", Choice(tuple(str(n) for n in range(AUTO_MIN, AUTO_MAX + 1))))
URL_ARGS = UrlArgs((CITY, DISTRICT, YEAR, AUTO))

dash.register_page(
    __name__,
    path="/present",
    name="present",
    title="演示 · Presentation",
    nav_key="nav.present",
    roles=ALL_ROLES,
    order=90,
    nav_group="present",  # no eleventh main link: the navbar's 演示 menu by the city switch (components/shell.py)
    url_args=URL_ARGS,
)


@page_layout(URL_ARGS)
def layout(args: PageArgs) -> object:
    """The deck of the URL's area and year for the signed-in viewer (page_context's alert for one who may not
    see that area)."""
    ctx = page_context(args.get(CITY), args.get(DISTRICT), args.notices)
    if not isinstance(ctx, PageContext):
        return dbc.Container(ctx, fluid="xl", className="py-4")
    now = today()
    data = deck(get_session(), ctx.area, args.get(YEAR) or now.year, now)
    auto = args.get(AUTO)
    query = {"city": ctx.city.code if ctx.city else None, "district": ctx.area.district_id, "year": data.year}
    pdf = "/briefing.pdf?" + urlencode({k: v for k, v in query.items() if v is not None})
    return deck_view(data, ctx.lang, int(auto) if auto else None, pdf)
