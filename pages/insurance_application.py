"""/insurance/application?id= — one application in full, and the fund centre's next step on it: post the notice,
record a written objection, record the owners' vote (the decision is computed), approve after a notice without
objection, refuse or record a withdrawal, buy from the pooled account.

Each action is a callback that parses its own fields and hands them to one writer of
data_access.insurance_records, which checks the account and the stage itself; on success the page reopens at a
new URL so everything on it is read again.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from auth import current_lang
from components.i18n import t
from components.insurance import (
    application_header,
    cancel_card,
    claim_card,
    decision_card,
    details_card,
    documents_card,
    elevators_card,
    notice_card,
    objections_card,
    policies_card,
    purchase_card,
    vote_card,
)
from components.url_status import not_found_page
from data_access import get_session
from data_access.insurance import application_city, application_view, insurer_choices
from data_access.insurance_records import (
    CancelInput,
    ClaimInput,
    PurchaseInput,
    VoteInput,
    add_document,
    cancel,
    close_application,
    conclude_notice,
    post_notice,
    purchase,
    record_claim,
    record_objection,
    record_vote,
)
from data_access.users import Viewer
from insurance_routes import document_store
from pages._common import page_layout, today
from pages._councils import now
from pages._insurance import READER_ROLES, Outcome, Parsed, feedback, reader, redacts, refused, run_write
from pages._urlargs import Arg, Opaque, PageArgs, PositiveId, Subject, UrlArgs


def _visible(viewer: Viewer, application_id: int) -> bool:
    """The application exists and lies in the viewer's cities (the subject test: also the first request's status)."""
    if viewer.role.value not in READER_ROLES:
        return False
    city_id = application_city(get_session(), application_id)
    allowed = viewer.allowed_city_ids()
    return city_id is not None and (allowed is None or city_id in allowed)


ID = Arg("id", PositiveId())
URL_ARGS = UrlArgs((ID, Arg("v", Opaque())), subject=Subject(ID, _visible, "ins.app.not_found", layout_checks=True))

dash.register_page(
    __name__,
    path="/insurance/application",
    name="insurance_application",
    title="保险申请",
    roles=READER_ROLES,
    hide_from_nav=True,
    url_args=URL_ARGS,
)


@page_layout(URL_ARGS)
def layout(args: PageArgs) -> object:
    lang = current_lang()
    viewer = reader()
    app_id = args.get(ID)
    if viewer is None or app_id is None:
        return not_found_page(t("ins.app.not_found", lang), lang)
    session, day = get_session(), today()
    redact = redacts(viewer)
    v = application_view(session, viewer.allowed_city_ids(), app_id, day, redact)
    if v is None:
        return not_found_page(t("ins.app.not_found", lang), lang)
    may_write = viewer.may_insure_for(v.account.city_id)
    insurers = insurer_choices(session) if may_write else []
    steps = [
        notice_card(v, lang, may_write, day),
        objections_card(v, lang, may_write, day),
        vote_card(v, lang, may_write, day),
        decision_card(v, lang, may_write),
        purchase_card(v, insurers, lang, may_write, day),
        claim_card(v, lang, may_write, day),
        cancel_card(v, lang, may_write, day),
    ]
    return dbc.Container(
        [
            dcc.Location(id="ia-url", refresh="callback-nav"),
            dcc.Store(id="ia-store", data={"id": v.id}),
            application_header(v, lang),
            html.Div(
                dcc.Link(
                    t("ins.app.back", lang),
                    href="/insurance",
                    className="btn btn-outline-secondary btn-sm",
                    id="ins-back",
                ),
                className="mb-3",
            ),
            None if may_write else dbc.Alert(t("ins.read_only", lang), color="light", className="py-2 small"),
            html.Div(id="ia-status"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            details_card(v, lang, redact),
                            elevators_card(v, lang),
                            documents_card(v, lang, may_write, redact),
                        ],
                        lg=7,
                    ),
                    dbc.Col([s for s in steps if s is not None], lg=5),
                ],
                className="g-3",
            ),
            policies_card(v, lang),
        ],
        fluid="xl",
        className="pb-4",
    )


def _id(store: dict[str, Any] | None) -> int:
    app_id = store.get("id") if isinstance(store, dict) else None
    if not isinstance(app_id, int):
        raise PreventUpdate
    return app_id


def _reopen(app_id: int) -> str:
    return "/insurance/application?" + urlencode({"id": app_id, "v": uuid.uuid4().hex[:8]})


def _answer(outcome: Outcome[Any], app_id: int, slots: dict[str, str]) -> tuple[Any, ...]:
    """(status, each field's feedback…, href): the refusal in place, or the page reopened after a write."""
    if not outcome.ok:
        return outcome.alert, *feedback(outcome.problems, slots, current_lang()), dash.no_update
    return None, *([[]] * len(slots)), _reopen(app_id)


NOTICE_FIELDS = {"notice_from": "ins-notice-from-fb"}


@callback(
    Output("ia-status", "children", allow_duplicate=True),
    *[Output(s, "children") for s in NOTICE_FIELDS.values()],
    Output("ia-url", "href", allow_duplicate=True),
    Input("ins-post", "n_clicks"),
    State("ins-notice-from", "value"),
    State("ia-store", "data"),
    prevent_initial_call=True,
)
def _post(n: int | None, first: str | None, store: dict[str, Any]) -> tuple[Any, ...]:
    if not n:
        raise PreventUpdate
    app_id, parsed = _id(store), Parsed()
    start = parsed.day(first, "notice_from")
    outcome = (
        refused(parsed.problems)
        if parsed.problems
        else run_write(lambda viewer: post_notice(get_session(), viewer, app_id, start, today()))
    )
    return _answer(outcome, app_id, NOTICE_FIELDS)


OBJECTION_FIELDS = {"received_on": "ins-obj-on-fb", "objector": "ins-obj-by-fb", "content": "ins-obj-content-fb"}


@callback(
    Output("ia-status", "children", allow_duplicate=True),
    *[Output(s, "children") for s in OBJECTION_FIELDS.values()],
    Output("ia-url", "href", allow_duplicate=True),
    Input("ins-object", "n_clicks"),
    State("ins-obj-on", "value"),
    State("ins-obj-by", "value"),
    State("ins-obj-content", "value"),
    State("ia-store", "data"),
    prevent_initial_call=True,
)
def _object(n: int | None, on: str | None, by: str | None, content: str | None, store: dict[str, Any]) -> tuple:
    if not n:
        raise PreventUpdate
    app_id, parsed = _id(store), Parsed()
    received = parsed.day(on, "received_on")
    outcome = (
        refused(parsed.problems)
        if parsed.problems
        else run_write(
            lambda viewer: record_objection(
                get_session(), viewer, app_id, received, by or "", content or "", today(), now()
            )
        )
    )
    return _answer(outcome, app_id, OBJECTION_FIELDS)


VOTE_FIELDS = {
    "held_on": "ins-vote-on-fb",
    "owners_total": "ins-vote-owners-fb",
    "area_total": "ins-vote-area-fb",
    "participants": "ins-vote-part-fb",
    "participant_area": "ins-vote-part-area-fb",
    "agree": "ins-vote-agree-fb",
    "agree_area": "ins-vote-agree-area-fb",
}


@callback(
    Output("ia-status", "children", allow_duplicate=True),
    *[Output(s, "children") for s in VOTE_FIELDS.values()],
    Output("ia-url", "href", allow_duplicate=True),
    Input("ins-vote", "n_clicks"),
    State("ins-vote-on", "value"),
    State("ins-vote-owners", "value"),
    State("ins-vote-area", "value"),
    State("ins-vote-part", "value"),
    State("ins-vote-part-area", "value"),
    State("ins-vote-agree", "value"),
    State("ins-vote-agree-area", "value"),
    State("ia-store", "data"),
    prevent_initial_call=True,
)
def _vote(
    n: int | None,
    on: Any,
    owners: Any,
    area: Any,
    part: Any,
    part_area: Any,
    agree: Any,
    agree_area: Any,
    store: dict[str, Any],
) -> tuple:
    """The figures as counted; the writer computes the decision from them by the city's rule."""
    if not n:
        raise PreventUpdate
    app_id, p = _id(store), Parsed()
    figures = VoteInput(
        held_on=p.day(on, "held_on"),
        owners_total=p.whole(owners, "owners_total"),
        area_total=p.area(area, "area_total"),
        participants=p.whole(part, "participants"),
        participant_area=p.area(part_area, "participant_area"),
        agree=p.whole(agree, "agree"),
        agree_area=p.area(agree_area, "agree_area"),
    )
    outcome = (
        refused(p.problems)
        if p.problems
        else run_write(lambda viewer: record_vote(get_session(), viewer, app_id, figures, today()))
    )
    return _answer(outcome, app_id, VOTE_FIELDS)


@callback(
    Output("ia-status", "children", allow_duplicate=True),
    Output("ia-url", "href", allow_duplicate=True),
    Input("ins-conclude", "n_clicks"),
    State("ia-store", "data"),
    prevent_initial_call=True,
)
def _conclude(n: int | None, store: dict[str, Any]) -> tuple:
    if not n:
        raise PreventUpdate
    app_id = _id(store)
    return _answer(run_write(lambda viewer: conclude_notice(get_session(), viewer, app_id, today())), app_id, {})


CLOSE_FIELDS = {"note": "ins-close-note-fb"}


@callback(
    Output("ia-status", "children", allow_duplicate=True),
    *[Output(s, "children") for s in CLOSE_FIELDS.values()],
    Output("ia-url", "href", allow_duplicate=True),
    Input("ins-refuse", "n_clicks"),
    Input("ins-withdraw", "n_clicks"),
    State("ins-close-note", "value"),
    State("ia-store", "data"),
    prevent_initial_call=True,
)
def _close(refuse: int | None, withdraw: int | None, note: str | None, store: dict[str, Any]) -> tuple:
    if not (refuse or withdraw):
        raise PreventUpdate
    app_id = _id(store)
    decision = "refused" if dash.ctx.triggered_id == "ins-refuse" else "withdrawn"
    outcome = run_write(lambda viewer: close_application(get_session(), viewer, app_id, decision, note or "", today()))
    return _answer(outcome, app_id, CLOSE_FIELDS)


PURCHASE_FIELDS = {
    "insurer": "ins-buy-insurer-fb",
    "period_start": "ins-buy-start-fb",
    "paid_on": "ins-buy-paid-fb",
    "premium": "ins-buy-premium-fb",
    "cover": "ins-buy-cover-fb",
}


@callback(
    Output("ia-status", "children", allow_duplicate=True),
    *[Output(s, "children") for s in PURCHASE_FIELDS.values()],
    Output("ia-url", "href", allow_duplicate=True),
    Input("ins-buy", "n_clicks"),
    State("ins-buy-insurer", "value"),
    State("ins-buy-start", "value"),
    State("ins-buy-paid", "value"),
    State("ins-buy-premium", "value"),
    State("ins-buy-cover", "value"),
    State("ia-store", "data"),
    prevent_initial_call=True,
)
def _buy(n: int | None, insurer: Any, start: Any, paid: Any, premium: Any, cover: Any, store: dict[str, Any]) -> tuple:
    """Buy one policy per elevator; the premiums are debited from the pooled account in the same transaction."""
    if not n:
        raise PreventUpdate
    app_id, p = _id(store), Parsed()
    terms = PurchaseInput(
        insurer_id=int(insurer) if isinstance(insurer, str) and insurer.isdigit() else None,
        period_start=p.day(start, "period_start"),
        premium_fen=p.fen(premium, "premium"),
        cover_fen=p.fen(cover, "cover"),
        paid_on=p.day(paid, "paid_on"),
    )
    outcome = (
        refused(p.problems)
        if p.problems
        else run_write(lambda viewer: purchase(get_session(), viewer, app_id, terms, today()))
    )
    return _answer(outcome, app_id, PURCHASE_FIELDS)


CLAIM_FIELDS = {
    "policy": "ins-claim-policy-fb",
    "kind": "ins-claim-kind-fb",
    "paid_on": "ins-claim-paid-fb",
    "amount": "ins-claim-amount-fb",
    "reference": "ins-claim-ref-fb",
    "fault": "ins-claim-fault-fb",
}


@callback(
    Output("ia-status", "children", allow_duplicate=True),
    *[Output(s, "children") for s in CLAIM_FIELDS.values()],
    Output("ia-url", "href", allow_duplicate=True),
    Input("ins-claim", "n_clicks"),
    State("ins-claim-policy", "value"),
    State("ins-claim-kind", "value"),
    State("ins-claim-paid", "value"),
    State("ins-claim-amount", "value"),
    State("ins-claim-ref", "value"),
    State("ins-claim-fault", "value"),
    State("ia-store", "data"),
    prevent_initial_call=True,
)
def _claim(
    n: int | None, policy: Any, kind: Any, paid: Any, amount: Any, ref: Any, fault: Any, store: dict[str, Any]
) -> tuple:
    """A repair the insurer paid; the writer checks the policy is the clerk's city's and the cover is not exceeded."""
    if not n:
        raise PreventUpdate
    app_id, p = _id(store), Parsed()
    claim = ClaimInput(
        policy_id=int(policy) if isinstance(policy, str) and policy.isdigit() else None,
        paid_on=p.day(paid, "paid_on"),
        amount_fen=p.fen(amount, "amount"),
        kind=kind if isinstance(kind, str) else None,
        fault_id=int(fault) if isinstance(fault, str) and fault.isdigit() else None,
        reference=ref if isinstance(ref, str) else "",
    )
    outcome = (
        refused(p.problems)
        if p.problems
        else run_write(lambda viewer: record_claim(get_session(), viewer, claim, today()))
    )
    return _answer(outcome, app_id, CLAIM_FIELDS)


CANCEL_FIELDS = {
    "policy": "ins-cancel-policy-fb",
    "cancelled_on": "ins-cancel-on-fb",
    "refund": "ins-cancel-refund-fb",
    "refunded_on": "ins-cancel-refunded-fb",
    "reason": "ins-cancel-reason-fb",
}


@callback(
    Output("ia-status", "children", allow_duplicate=True),
    *[Output(s, "children") for s in CANCEL_FIELDS.values()],
    Output("ia-url", "href", allow_duplicate=True),
    Input("ins-cancel", "n_clicks"),
    State("ins-cancel-policy", "value"),
    State("ins-cancel-on", "value"),
    State("ins-cancel-refund", "value"),
    State("ins-cancel-refunded", "value"),
    State("ins-cancel-reason", "value"),
    State("ia-store", "data"),
    prevent_initial_call=True,
)
def _cancel(
    n: int | None, policy: Any, day: Any, refund: Any, refunded: Any, reason: Any, store: dict[str, Any]
) -> tuple:
    """Cancel a policy and book the insurer's refund; the writer checks the city, the cover, claims and the amount."""
    if not n:
        raise PreventUpdate
    app_id, p = _id(store), Parsed()
    inp = CancelInput(
        policy_id=int(policy) if isinstance(policy, str) and policy.isdigit() else None,
        cancelled_on=p.day(day, "cancelled_on"),
        refund_fen=p.fen(refund, "refund"),
        refunded_on=p.day(refunded, "refunded_on"),
        reason=reason if isinstance(reason, str) else "",
    )
    outcome = (
        refused(p.problems) if p.problems else run_write(lambda viewer: cancel(get_session(), viewer, inp, today()))
    )
    return _answer(outcome, app_id, CANCEL_FIELDS)


@callback(
    Output("ia-status", "children", allow_duplicate=True),
    Output("ins-doc-upload-fb", "children"),
    Output("ia-url", "href", allow_duplicate=True),
    Input("ins-doc-upload", "contents"),
    State("ins-doc-upload", "filename"),
    State("ins-doc-kind", "value"),
    State("ia-store", "data"),
    prevent_initial_call=True,
)
def _upload(contents: str | None, filename: str | None, kind: str | None, store: dict[str, Any]) -> tuple:
    """Keep a scanned document; the writer checks the account, the type (by its bytes) and the size."""
    if not contents:
        raise PreventUpdate
    app_id = _id(store)
    try:
        data = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error):
        data = b""
    outcome = run_write(
        lambda viewer: add_document(get_session(), viewer, app_id, kind, filename or "", data, document_store(), now())
    )
    if not outcome.ok:
        slots = {"document": "ins-doc-upload-fb", "document_kind": "ins-doc-upload-fb"}  # both under the upload
        return outcome.alert, feedback(outcome.problems, slots, current_lang())[0], dash.no_update
    return None, [], _reopen(app_id)
