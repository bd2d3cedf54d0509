"""What a page says about its own address: the notice over a page whose link was corrected, and the not-found page.

Both sit inside the app's shell (navbar, banner, footer) like every page, in the UI language; the texts come from
pages/_urlargs.py (which decides what a link may say) through the i18n catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.i18n import t


def url_notices(lines: Sequence[str]) -> dbc.Container | None:
    """One warning above the page listing what was wrong with its link and what is shown instead; None if nothing."""
    if not lines:
        return None
    return dbc.Container(
        dbc.Alert(
            [html.Div(line) for line in lines],
            color="warning",
            id="url-notice",
            className="py-2 small mb-0",
        ),
        fluid="xl",
        className="pt-3",
    )


def not_found_page(message: str, lang: str, *, message_id: str = "not-found-message") -> dbc.Container:
    """The not-found page: a missing address, or a record that does not exist or this viewer may not see (the same
    words for both, so a page never tells which records exist)."""
    return dbc.Container(
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div("404", className="display-4 fw-bold text-muted"),
                    html.H1(t("app.not_found", lang), id="page-title", className="h3 mb-3"),
                    html.P(message, id=message_id, className="mb-4"),
                    dcc.Link(t("notfound.home", lang), href="/", className="btn btn-primary", id="not-found-home"),
                ]
            ),
            className="shadow-sm my-4 mx-auto text-center",
            style={"maxWidth": "36rem"},
        ),
        fluid="xl",
        className="pb-4",
        id="not-found",
    )
