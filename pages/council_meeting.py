"""/councils/meeting?id= — one council meeting in full: items, follow-ups, attachments, notice, history."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from auth import current_lang, current_viewer
from components.councils_meeting import (
    attachments_card,
    attendees_card,
    history_card,
    items_section,
    meeting_header,
    notice_card,
)
from components.formatting import day
from components.i18n import t
from components.url_status import not_found_page
from council_routes import attachment_store
from data_access import get_session
from data_access.council_access import NotFound, council_access
from data_access.council_records import (
    FieldError,
    add_attachment,
    delete_meeting,
    publish_notice,
    remove_attachment,
    set_follow_up_status,
    withdraw_notice,
)
from data_access.councils import meeting_history, meeting_view
from data_access.users import AccessDenied
from pages._common import ALL_ROLES, page_layout, today
from pages._councils import WriteResult, meeting_visible_to, now, run_write
from pages._urlargs import Arg, Opaque, PageArgs, PositiveId, Subject, UrlArgs

ID = Arg("id", PositiveId())
# The layout's meeting_view refuses a meeting the viewer may not see (NotFound/AccessDenied → the not-found page),
# so the subject test is left to it on renders; it still decides the first request's HTTP status.
URL_ARGS = UrlArgs(
    (ID, Arg("v", Opaque())), subject=Subject(ID, meeting_visible_to, "meeting.not_found", layout_checks=True)
)

dash.register_page(
    __name__,
    path="/councils/meeting",
    name="council_meeting",
    title="议事会记录",
    roles=ALL_ROLES,
    hide_from_nav=True,
    url_args=URL_ARGS,
)


@page_layout(URL_ARGS)
def layout(args: PageArgs) -> object:
    lang = current_lang()
    viewer = current_viewer()
    meeting_id = args.get(ID)
    if viewer is None or meeting_id is None:  # page_layout answered both already
        return _missing(lang)
    access = council_access(viewer, today())
    session = get_session()
    now_day = today()
    try:
        view = meeting_view(session, access, meeting_id, now_day)
        history = None if access.published_only else meeting_history(session, access, meeting_id)
    except (NotFound, AccessDenied):
        return _missing(lang)
    side: list[Any] = []
    if not access.published_only:
        side.append(attachments_card(view, lang))
    side.append(notice_card(view, lang, now_day))
    tools: list[Any] = [
        dcc.Link(t("meeting.back", lang), href="/councils", className="btn btn-outline-secondary btn-sm")
    ]
    if view.editable:
        tools.append(
            dcc.Link(
                t("meeting.edit", lang),
                href=f"/councils/edit?id={view.id}",
                className="btn btn-primary btn-sm",
                id="meeting-edit",
            )
        )
        open_items = [i.id for i in view.items if i.outcome in ("deferred", "partly_resolved") and not i.carried_to]
        if open_items:
            tools.append(
                dcc.Link(
                    t("meeting.carry", lang),
                    id="meeting-carry",
                    className="btn btn-outline-primary btn-sm",
                    href="/councils/edit?"
                    + urlencode({"compound": view.compound_id, "carry": ",".join(map(str, open_items))}),
                )
            )
        tools.append(
            dbc.Button(t("meeting.delete", lang), id="meeting-delete", size="sm", color="danger", outline=True)
        )
    return dbc.Container(
        [
            dcc.Location(id="mv-url", refresh="callback-nav"),
            dcc.Store(id="mv-store", data={"id": view.id, "version": view.version}),
            dcc.ConfirmDialog(id="mv-confirm", message=t("meeting.delete_confirm", lang)),
            meeting_header(view, lang),
            dbc.Alert(t("meeting.deleted", lang, date=day(view.deleted_at.date(), lang)), color="secondary")
            if view.deleted_at
            else None,
            html.Div(tools, className="d-flex flex-wrap gap-2 mb-3"),
            html.Div(id="mv-status"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            attendees_card(view, lang) if not access.published_only else None,
                            items_section(view, lang, now_day),
                        ],
                        lg=8,
                    ),
                    dbc.Col(side, lg=4),
                ],
                className="g-3",
            ),
            history_card(history, lang) if history is not None else None,
        ],
        fluid="xl",
        className="pb-4",
    )


def _missing(lang: str) -> dbc.Container:
    return not_found_page(t("meeting.not_found", lang), lang)


def _reload(store: dict[str, Any], result: WriteResult, version: int | None) -> tuple[Any, Any]:
    """After a write: show the refusal, or reopen the page at the meeting's new version."""
    if not result.ok:
        return result.alert, dash.no_update
    return None, f"/councils/meeting?{urlencode({'id': store['id'], 'v': version})}"


def _first_message(errors: list[FieldError], lang: str) -> str:
    return t(errors[0].key, lang, **errors[0].params) if errors else ""


@callback(
    Output("mv-status", "children", allow_duplicate=True),
    Output("mv-url", "href", allow_duplicate=True),
    Input({"type": "fu-done", "id": ALL}, "n_clicks"),
    State({"type": "fu-done-date", "id": ALL}, "value"),
    State("mv-store", "data"),
    prevent_initial_call=True,
)
def _mark_done(clicks: list[int | None], dates: list[str | None], store: dict[str, Any]) -> tuple[Any, Any]:
    trigger = dash.ctx.triggered_id
    if not trigger or not any(clicks):
        raise PreventUpdate
    ids = [s["id"]["id"] for s in dash.ctx.states_list[0]]
    chosen = dates[ids.index(trigger["id"])] if trigger["id"] in ids else None
    try:
        done_on = date.fromisoformat(chosen) if chosen else None
    except ValueError:
        done_on = None
    result, version = run_write(
        lambda access: set_follow_up_status(
            get_session(), access, int(trigger["id"]), store.get("version"), "done", done_on, now()
        )
    )
    if result.errors:
        alert = dbc.Alert(_first_message(result.errors, current_lang()), color="danger", id="form-invalid")
        return alert, dash.no_update
    return _reload(store, result, version)


@callback(
    Output("mv-status", "children", allow_duplicate=True),
    Output("mv-url", "href", allow_duplicate=True),
    Output("notice-items-fb", "children"),
    Output("notice-from-fb", "children"),
    Output("notice-to-fb", "children"),
    Input("notice-publish", "n_clicks"),
    State("notice-items", "value"),
    State("notice-from", "value"),
    State("notice-to", "value"),
    State("mv-store", "data"),
    prevent_initial_call=True,
)
def _publish(_n: int, items: list[int] | None, first: str | None, last: str | None, store: dict[str, Any]) -> tuple:
    def parse(value: str | None) -> date | None:
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            return None

    result, version = run_write(
        lambda access: publish_notice(
            get_session(),
            access,
            int(store["id"]),
            store.get("version"),
            [int(i) for i in items or []],
            parse(first),
            parse(last),
            now(),
        )
    )
    lang = current_lang()
    slots = {"notice_items": "", "notice_from": "", "notice_to": ""}
    for e in result.errors:
        slots[e.field] = slots.get(e.field) or t(e.key, lang, **e.params)
    status, href = _reload(store, result, version)
    return status, href, slots["notice_items"], slots["notice_from"], slots["notice_to"]


@callback(
    Output("mv-status", "children", allow_duplicate=True),
    Output("mv-url", "href", allow_duplicate=True),
    Input("notice-withdraw", "n_clicks"),
    State("mv-store", "data"),
    prevent_initial_call=True,
)
def _withdraw(_n: int, store: dict[str, Any]) -> tuple[Any, Any]:
    result, version = run_write(
        lambda access: withdraw_notice(get_session(), access, int(store["id"]), store.get("version"), now())
    )
    return _reload(store, result, version)


@callback(Output("mv-confirm", "displayed"), Input("meeting-delete", "n_clicks"), prevent_initial_call=True)
def _confirm_delete(_n: int) -> bool:
    return True


@callback(
    Output("mv-status", "children", allow_duplicate=True),
    Output("mv-url", "href", allow_duplicate=True),
    Input("mv-confirm", "submit_n_clicks"),
    State("mv-store", "data"),
    prevent_initial_call=True,
)
def _delete(_n: int, store: dict[str, Any]) -> tuple[Any, Any]:
    result, _ = run_write(
        lambda access: delete_meeting(get_session(), access, int(store["id"]), store.get("version"), now())
    )
    return (result.alert, dash.no_update) if not result.ok else (None, "/councils")


@callback(
    Output("mv-status", "children", allow_duplicate=True),
    Output("mv-url", "href", allow_duplicate=True),
    Output("att-feedback", "children"),
    Input("att-upload", "contents"),
    State("att-upload", "filename"),
    State("att-kind", "value"),
    State("mv-store", "data"),
    prevent_initial_call=True,
)
def _upload(contents: str | None, filename: str | None, kind: str | None, store: dict[str, Any]) -> tuple:
    if not contents:
        raise PreventUpdate
    try:
        data = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error):
        data = b""
    result, version = run_write(
        lambda access: add_attachment(
            get_session(),
            access,
            int(store["id"]),
            store.get("version"),
            kind or "",
            filename or "",
            data,
            attachment_store(),
            now(),
        )
    )
    status, href = _reload(store, result, version)
    return status if not result.errors else None, href, _first_message(result.errors, current_lang())


@callback(
    Output("mv-status", "children", allow_duplicate=True),
    Output("mv-url", "href", allow_duplicate=True),
    Input({"type": "att-remove", "id": ALL}, "n_clicks"),
    State("mv-store", "data"),
    prevent_initial_call=True,
)
def _remove_attachment(clicks: list[int | None], store: dict[str, Any]) -> tuple[Any, Any]:
    trigger = dash.ctx.triggered_id
    if not trigger or not any(clicks):
        raise PreventUpdate
    result, version = run_write(
        lambda access: remove_attachment(get_session(), access, int(trigger["id"]), store.get("version"), now())
    )
    return _reload(store, result, version)
