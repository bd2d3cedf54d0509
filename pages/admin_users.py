"""/admin/users — administrators open, disable and re-enable accounts; every callback checks the role itself."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from auth import current_lang, current_viewer, require_csrf
from components.admin import new_user_form, users_grid
from components.i18n import t
from data_access import get_session
from data_access.geography import list_cities
from data_access.users import (
    AccessDenied,
    UserError,
    admin_create_user,
    compound_labels,
    list_users,
    search_compounds,
    set_user_active,
)
from pages._common import page_layout
from pages._urlargs import Arg, Opaque, PageArgs, UrlArgs

URL_ARGS = UrlArgs((Arg("v", Opaque()),))  # v only makes the reload after a change a new URL

dash.register_page(
    __name__,
    path="/admin/users",
    name="admin_users",
    title="账户管理",
    nav_key="nav.admin",
    nav_group="tools",
    roles=("admin",),
    order=90,
    url_args=URL_ARGS,
)
FIELDS = ("username", "display_name", "role", "password", "city", "compounds")


@page_layout(URL_ARGS)
def layout(args: PageArgs) -> object:
    lang = current_lang()
    viewer = current_viewer()
    if viewer is None or viewer.role.value != "admin":
        return dbc.Container(dbc.Alert(t("admin.forbidden", lang), color="danger", id="forbidden"), className="py-4")
    session = get_session()
    return dbc.Container(
        [
            dcc.Location(id="admin-url", refresh="callback-nav"),
            html.Div(
                [
                    html.H1(t("admin.title", lang), id="page-title"),
                    html.Div(t("admin.subtitle", lang), className="subtitle"),
                ],
                className="page-head my-3",
            ),
            html.Div(id="admin-status"),
            new_user_form(list_cities(session), lang),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.Div(
                            [
                                dbc.Button(
                                    t("admin.disable", lang),
                                    id="admin-disable",
                                    size="sm",
                                    color="danger",
                                    outline=True,
                                    className="me-2",
                                ),
                                dbc.Button(
                                    t("admin.enable", lang),
                                    id="admin-enable",
                                    size="sm",
                                    color="secondary",
                                    outline=True,
                                ),
                            ],
                            className="mb-2",
                        ),
                        users_grid(list_users(session), lang),
                    ]
                ),
                className="shadow-sm",
            ),
        ],
        fluid="xl",
        className="pb-4",
    )


def _admin_or_stop() -> None:
    viewer = current_viewer()
    if viewer is None or viewer.role.value != "admin":
        raise PreventUpdate


@callback(
    Output("admin-compounds", "options"),
    Input("admin-compounds", "search_value"),
    State("admin-compounds", "value"),
    prevent_initial_call=True,
)
def _search_compounds(text: str | None, chosen: list[int] | None) -> list[dict[str, Any]]:
    """Compound names are looked up on the server as the administrator types (a city has thousands)."""
    _admin_or_stop()
    if not text:
        raise PreventUpdate
    session = get_session()
    keep = compound_labels(session, [int(c) for c in chosen or []])
    found = search_compounds(session, text)
    return [{"label": label, "value": cid} for cid, label in {**keep, **dict(found)}.items()]


@callback(
    Output("admin-status", "children", allow_duplicate=True),
    Output("admin-url", "href", allow_duplicate=True),
    *[Output(f"admin-fb-{f}", "children") for f in FIELDS],
    Input("admin-create", "n_clicks"),
    State("admin-username", "value"),
    State("admin-display-name", "value"),
    State("admin-role", "value"),
    State("admin-password", "value"),
    State("admin-city", "value"),
    State("admin-compounds", "value"),
    prevent_initial_call=True,
)
def _create(
    _n: int,
    username: str | None,
    display_name: str | None,
    role: str | None,
    password: str | None,
    city: str | None,
    compounds: list[int] | None,
) -> tuple:
    require_csrf()
    lang, session = current_lang(), get_session()
    messages = dict.fromkeys(FIELDS, "")
    if not role:
        messages["role"] = t("admin.err.role", lang)
        return (None, dash.no_update, *messages.values())
    try:
        user = admin_create_user(
            session,
            current_viewer(),
            username=username or "",
            password=password or "",
            role=role,
            display_name=(display_name or "").strip() or None,
            city_code=city or None,
            compound_ids=[int(c) for c in compounds or []] or None,
        )
        session.commit()
    except AccessDenied:
        session.rollback()
        return (dbc.Alert(t("admin.forbidden", lang), color="danger"), dash.no_update, *messages.values())
    except UserError as exc:
        session.rollback()
        messages[exc.field if exc.field in messages else "username"] = t(exc.key, lang, **exc.params)
        return (None, dash.no_update, *messages.values())
    alert = dbc.Alert(t("admin.created", lang, username=user.username), color="success", id="admin-created")
    return (alert, f"/admin/users?v=u{user.id}", *messages.values())


@callback(
    Output("admin-status", "children", allow_duplicate=True),
    Output("admin-url", "href", allow_duplicate=True),
    Input("admin-disable", "n_clicks"),
    Input("admin-enable", "n_clicks"),
    State("admin-users-grid", "selectedRows"),
    prevent_initial_call=True,
)
def _toggle(_d: int | None, _e: int | None, selected: list[dict[str, Any]] | None) -> tuple[Any, Any]:
    require_csrf()
    lang, session = current_lang(), get_session()
    if not selected:
        return dbc.Alert(t("admin.select_first", lang), color="warning"), dash.no_update
    active = dash.ctx.triggered_id == "admin-enable"
    try:
        set_user_active(session, current_viewer(), int(selected[0]["id"]), active)
        session.commit()
    except AccessDenied:
        session.rollback()
        return dbc.Alert(t("admin.forbidden", lang), color="danger"), dash.no_update
    except UserError as exc:
        session.rollback()
        return dbc.Alert(t(exc.key, lang, **exc.params), color="danger", id="admin-error"), dash.no_update
    return None, f"/admin/users?v={selected[0]['id']}-{int(active)}"
