"""/councils/edit — record a new council meeting (?compound=&carry=) or edit one (?id=).

Only an organiser bound to the compound may open or save it; the save callback checks that again
itself, with the CSRF token, and the record layer checks the version the form was opened at.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import (
    ALL,
    MATCH,
    ClientsideFunction,
    Input,
    Output,
    Patch,
    State,
    callback,
    clientside_callback,
    dcc,
    html,
)
from dash.exceptions import PreventUpdate

from auth import current_lang
from components.councils_form import carry_panel, meeting_form, missing_parties_note
from components.councils_form_items import follow_up_row, item_block
from components.formatting import day, one_or_many
from components.i18n import t
from data_access import get_session
from data_access.core.scope import Area
from data_access.council_access import PARTIES, CouncilAccess, NotFound
from data_access.council_records import FollowUpInput, ItemInput, save_meeting
from data_access.councils import (
    CarryCandidate,
    MeetingView,
    carry_candidates,
    compound_options,
    meeting_defaults,
    meeting_view,
    work_order_options,
)
from data_access.users import AccessDenied
from pages._common import page_layout, today
from pages._councils import (
    collect,
    meeting_visible_to,
    messages_for,
    now,
    parse_form,
    run_write,
    to_block,
    viewer_access,
)
from pages._urlargs import Arg, IdList, PageArgs, PositiveId, Subject, UrlArgs

ID = Arg("id", PositiveId())
COMPOUND = Arg("compound", PositiveId())
CARRY = Arg("carry", IdList())
URL_ARGS = UrlArgs(
    (ID, COMPOUND, CARRY),
    subject=Subject(ID, meeting_visible_to, "meeting.not_found", optional=True),  # without an id: a new meeting
)

dash.register_page(
    __name__,
    path="/councils/edit",
    name="council_edit",
    title="记录议事会",
    roles=("organiser",),
    hide_from_nav=True,
    url_args=URL_ARGS,
)


def _carried_label(c: CarryCandidate, lang: str) -> str:
    return t("form.carried_from", lang, date=day(c.held_on, lang), title=c.title)


def _carry_item(c: CarryCandidate) -> ItemInput:
    return ItemInput(
        title=c.title,
        category=c.category,
        raising_party=c.raising_party,
        description=c.description or "",
        carried_from_id=c.item_id,
    )


def _item_from_view(i: Any) -> ItemInput:
    return ItemInput(
        id=i.id,
        title=i.title,
        category=i.category,
        raising_party=i.raising_party,
        description=i.description or "",
        discussion=i.discussion or "",
        decision_method=i.decision_method,
        votes_for=i.votes_for,
        votes_against=i.votes_against,
        votes_abstain=i.votes_abstain,
        party_votes={v.party: (v.votes_for, v.votes_against, v.votes_abstain) for v in i.party_votes},
        outcome=i.outcome,
        resolution=i.resolution or "",
        carried_from_id=i.carried_from.item_id if i.carried_from else None,
        work_order_ids=[o.id for o in i.work_orders],
        follow_ups=[
            FollowUpInput(f.owner_party, f.action, f.contact_name or "", f.due_on, f.status, f.completed_on, f.id)
            for f in i.follow_ups
        ],
    )


def _denied(lang: str, key: str = "meeting.forbidden") -> dbc.Container:
    return dbc.Container(dbc.Alert(t(key, lang), color="danger", id="forbidden"), className="py-4")


@page_layout(URL_ARGS)
def layout(args: PageArgs) -> object:
    lang = current_lang()
    access = viewer_access()
    if access is None or not access.may_record:
        return _denied(lang, "form.no_compound" if access else "login.need")
    session = get_session()
    view: MeetingView | None = None
    meeting_id = args.get(ID)
    if meeting_id is not None:  # page_layout showed the not-found page for an id the viewer may not see
        try:
            view = meeting_view(session, access, meeting_id, today())
        except (NotFound, AccessDenied):
            view = None
        if view is None or not view.editable:
            return _denied(lang)
        compound_id = view.compound_id
    else:
        own = sorted(access.writable_compounds)
        compound_id = args.get(COMPOUND) or own[0]
        if not access.may_write(compound_id):
            return _denied(lang)
    candidates = carry_candidates(session, compound_id, before=view.held_at if view else None)
    carry = args.get(CARRY)
    wanted = set(carry) if carry is not None else set()
    carried = [c for c in candidates if c.item_id in wanted]
    if view is not None:
        items_in = [_item_from_view(i) for i in view.items]
        labels = {
            i.carried_from.item_id: t("form.carried_from", lang, date=day(i.carried_from.held_on, lang), title=i.title)
            for i in view.items
            if i.carried_from
        }
    else:
        items_in = [_carry_item(c) for c in carried] or [ItemInput(title="", category=None, raising_party=None)]
        labels = {c.item_id: _carried_label(c, lang) for c in carried}
    until = view.held_on if view else today()
    orders = work_order_options(session, compound_id, until)
    blocks = [item_block(n, it, lang, orders, labels.get(it.carried_from_id or -1)) for n, it in enumerate(items_in)]
    taken = {it.carried_from_id for it in items_in if it.carried_from_id}
    names = {c.id: c.name for c in compound_options(session, access, Area())}
    if view is None and len(access.writable_compounds) > 1:
        compound_control = [
            dbc.Label(t("form.compound", lang), html_for="cf-compound", className="small mb-1"),
            dbc.Select(
                id="cf-compound",
                value=str(compound_id),
                size="sm",
                options=[{"label": names.get(c, str(c)), "value": str(c)} for c in sorted(access.writable_compounds)],
            ),
        ]
    else:
        compound_control = [
            dbc.Label(t("form.compound", lang), className="small mb-1"),
            html.Div(names.get(compound_id, str(compound_id)), className="fw-semibold", id="cf-compound-name"),
        ]
    attendees: dict[str, list[tuple[str, str | None]]] = {p: [] for p in PARTIES}
    if view is not None:
        for a in view.attendees:
            attendees[a.party].append((a.name, a.role))
    # A new record starts from the compound's usual hour, place and convener (its latest meeting), on the latest
    # such day that has come: a held meeting is never dated ahead.
    defaults = meeting_defaults(session, access, compound_id, now()) if view is None else None
    form = meeting_form(
        lang=lang,
        title=t("form.edit_title" if view else "form.new_title", lang),
        compound_control=compound_control,
        held_at=view.held_at if view else defaults.held_at if defaults else None,
        status=view.status if view else "held",
        venue=view.venue if view else (defaults and defaults.venue) or t("form.venue_default", lang),
        convener=(view.convener or "") if view else (defaults and defaults.convener) or "",
        attendees=attendees,
        items=blocks,
        carry=carry_panel([c for c in candidates if not view or c.item_id not in taken], lang, taken)
        if candidates
        else None,
    )
    return dbc.Container(
        [
            dcc.Location(id="cf-url", refresh="callback-nav"),
            dcc.Store(
                id="cf-meeting",
                data={
                    "id": view.id if view else None,
                    "version": view.version if view else None,
                    "held_at": view.held_at.isoformat() if view else None,
                    "compound_id": compound_id,
                },
            ),
            dcc.Store(id="cf-next", data=len(blocks)),
            form,
        ],
        fluid="xl",
        className="pb-4 council-form",
    )


def _held_before(store: dict[str, Any]) -> datetime | None:
    """When editing, only items of earlier meetings can be carried in."""
    return datetime.fromisoformat(store["held_at"]) if store.get("held_at") else None


def _writable(store: dict[str, Any]) -> tuple[CouncilAccess, int]:
    """The form's compound, re-checked on the server for every callback that reads its records."""
    access = viewer_access()
    compound_id = store.get("compound_id") if store else None
    if access is None or not isinstance(compound_id, int) or not access.may_write(compound_id):
        raise PreventUpdate
    return access, compound_id


@callback(
    Output("cf-url", "href", allow_duplicate=True),
    Input("cf-compound", "value"),
    prevent_initial_call=True,
)
def _switch_compound(value: str) -> str:
    return "/councils/edit?" + urlencode({"compound": value})


@callback(
    Output("cf-missing", "children"),
    [Input({"type": "cf", "field": f"att_{p}", "item": -1, "fu": -1}, "value") for p in PARTIES],
    prevent_initial_call=True,
)
def _missing_parties(*texts: str | None) -> html.Div:
    """Say at once which party is still absent (the save still allows it, flagged incomplete)."""
    missing = [p for p, text in zip(PARTIES, texts, strict=True) if not (text or "").strip()]
    return missing_parties_note(missing, current_lang())


@callback(
    Output("cf-items", "children"),
    Output("cf-next", "data"),
    Output({"type": "cf-carry", "src": ALL}, "disabled"),
    Input("cf-add-item", "n_clicks"),
    Input({"type": "cf-carry", "src": ALL}, "n_clicks"),
    State("cf-next", "data"),
    State("cf-meeting", "data"),
    State({"type": "cf-carry", "src": ALL}, "disabled"),
    prevent_initial_call=True,
)
def _add_item(
    _add: int | None, carry_clicks: list[int | None], next_index: int, store: dict[str, Any], disabled: list[bool]
) -> tuple[Patch, int, list[bool]]:
    """A blank item, or one carried over from an earlier meeting of this compound (looked up here, not trusted)."""
    access, compound_id = _writable(store)
    trigger = dash.ctx.triggered_id
    lang, session = current_lang(), get_session()
    item, label = ItemInput(title="", category=None, raising_party=None), None
    srcs = [s["id"]["src"] for s in dash.ctx.states_list[2]] if len(dash.ctx.states_list) > 2 else []
    if isinstance(trigger, dict) and trigger.get("type") == "cf-carry":
        if not any(carry_clicks):
            raise PreventUpdate
        found = next(
            (
                c
                for c in carry_candidates(session, compound_id, before=_held_before(store))
                if c.item_id == trigger["src"]
            ),
            None,
        )
        if found is None:
            raise PreventUpdate
        item, label = _carry_item(found), _carried_label(found, lang)
        disabled = [d or s == found.item_id for s, d in zip(srcs, disabled, strict=True)]
    elif not _add:
        raise PreventUpdate
    orders = work_order_options(session, compound_id, today())
    patch = Patch()
    patch.append(item_block(next_index, item, lang, orders, label))
    return patch, next_index + 1, disabled


@callback(
    Output({"type": "cf-fus", "item": MATCH}, "children"),
    Input({"type": "cf-add-fu", "item": MATCH}, "n_clicks"),
    State({"type": "cf-fus", "item": MATCH}, "children"),
    prevent_initial_call=True,
)
def _add_follow_up(n: int | None, rows: list[Any] | None) -> Patch:
    if not n:
        raise PreventUpdate
    item = dash.ctx.triggered_id["item"]
    patch = Patch()
    patch.append(follow_up_row(item, len(rows or []), FollowUpInput(None, "", "", None), current_lang()))
    return patch


@callback(
    Output({"type": "cf-item", "item": MATCH}, "style"),
    Output({"type": "cf", "field": "removed", "item": MATCH, "fu": -1}, "value"),
    Input({"type": "cf-remove-item", "item": MATCH}, "n_clicks"),
    prevent_initial_call=True,
)
def _remove_item(n: int | None) -> tuple[dict[str, str], str]:
    """Hidden and marked removed; the save leaves it out (a saved item is then soft-deleted, with history)."""
    if not n:
        raise PreventUpdate
    return {"display": "none"}, "1"


@callback(
    Output({"type": "cf-fu", "item": MATCH, "fu": MATCH}, "style"),
    Output({"type": "cf", "field": "fu_removed", "item": MATCH, "fu": MATCH}, "value"),
    Input({"type": "cf-remove-fu", "item": MATCH, "fu": MATCH}, "n_clicks"),
    prevent_initial_call=True,
)
def _remove_follow_up(n: int | None) -> tuple[dict[str, str], str]:
    if not n:
        raise PreventUpdate
    return {"display": "none"}, "1"


@callback(
    Output({"type": "cf-votes", "item": MATCH}, "style"),
    Input({"type": "cf", "field": "decision_method", "item": MATCH, "fu": -1}, "value"),
)
def _show_votes(method: str | None) -> dict[str, str]:
    return {} if method == "vote" else {"display": "none"}


@callback(
    Output("cf-status", "children"),
    Output({"type": "cf-fb", "field": ALL, "item": ALL, "fu": ALL}, "children"),
    Output("cf-url", "href"),
    Input("cf-save", "n_clicks"),
    State({"type": "cf", "field": ALL, "item": ALL, "fu": ALL}, "value"),
    State("cf-meeting", "data"),
    prevent_initial_call=True,
)
def _save(_n: int, _values: list[Any], store: dict[str, Any]) -> tuple[Any, list[str], Any]:
    """Read the whole form, let the record layer validate and write it, and show each message by its field."""
    lang = current_lang()
    slots = dash.ctx.outputs_list[1]
    compound_id = store.get("compound_id") if isinstance(store, dict) else None
    if not isinstance(compound_id, int):
        raise PreventUpdate
    parsed = parse_form(collect(dash.ctx.states_list[0]), compound_id)
    if parsed.errors:
        shown, rest = messages_for(slots, parsed.errors, lang)
        alert = dbc.Alert(
            [
                t(one_or_many("meeting.invalid", len(parsed.errors), lang), lang, n=len(parsed.errors)),
                *[html.Div(r) for r in rest],
            ],
            color="danger",
            id="form-invalid",
        )
        return alert, shown, dash.no_update
    meeting_id = store.get("id")
    result, saved_id = run_write(
        lambda access: save_meeting(
            get_session(), access, parsed.data, now(), meeting_id=meeting_id, expected_version=store.get("version")
        )
    )
    if not result.ok:
        errors = [to_block(parsed, e) for e in result.errors]
        shown, rest = messages_for(slots, errors, lang)
        alert = result.alert
        if rest and alert is not None:
            alert = dbc.Alert([alert.children, *[html.Div(r) for r in rest]], color="danger", id="form-invalid")
        return alert, shown, dash.no_update
    return None, [""] * len(slots), f"/councils/meeting?id={saved_id}"


# After a refused save the page shows its first message by its field (the summary stays in the sticky action bar);
# after a saved one the meeting opens at its top (assets/councils_form.js).
clientside_callback(
    ClientsideFunction(namespace="councilForm", function_name="showFirstError"),
    Output("cf-status", "className"),
    Input("cf-status", "children"),
    prevent_initial_call=True,
)
clientside_callback(
    ClientsideFunction(namespace="councilForm", function_name="openAtTop"),
    Output("cf-url", "hash"),
    Input("cf-url", "href"),
    prevent_initial_call=True,
)
