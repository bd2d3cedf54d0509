"""The insurance desk's pieces: pure functions from the data layer's plain data to Dash components.

Money shown to a clerk is exact (exact_money: 1,800.00 元); a refusal's parameters are formatted here from the
writer's plain values (`…_fen` amounts, dates), so the writer never formats for a language. The /insurance page's
lists (the applications' grid, the renewal worklist) are in components/insurance_desk.py.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.formatting import (
    bracketed,
    colon,
    day,
    day_span,
    exact_money,
    listing,
    one_or_many,
    percent,
    yuan_from_fen,
)
from components.i18n import t
from data_access.core.clock import CITY_TZ
from data_access.core.rules import Stage
from data_access.insurance import (
    AccountOption,
    ApplicationView,
    LeaderAlerts,
    PublicNotice,
)
from data_access.insurance_eligibility import AccountCheck, Failure
from data_access.insurance_records import Problem

STAGE_COLOURS = {
    Stage.filed: "secondary",
    Stage.in_notice: "info",
    Stage.notice_ended: "warning",
    Stage.objected: "warning",
    Stage.approved: "primary",
    Stage.purchased: "success",
    Stage.vote_failed: "danger",
    Stage.refused: "dark",
    Stage.withdrawn: "light",
}


def _value(key: str, value: Any, lang: str) -> tuple[str, Any]:
    if key.endswith("_fen") and isinstance(value, int):
        return key[: -len("_fen")], exact_money(value, lang)
    if isinstance(value, date):
        return key, day(value, lang)
    if isinstance(value, Decimal):
        return key, f"{value:,.2f}"
    return key, value


def message(key: str, params: dict[str, Any], lang: str) -> str:
    """A catalogue message with the writer's plain parameters formatted for the language."""
    return t(key, lang, **dict(_value(k, v, lang) for k, v in params.items()))


def problem_text(p: Problem, lang: str) -> str:
    params = dict(p.params)
    if "stage" in params:
        params["stage"] = t(f"stage.{params['stage']}", lang)
    return message(p.key, params, lang)


def failure_text(code: str, f: Failure, lang: str) -> str:
    return message(f"ins.fail.{f.condition.value}", {"code": code, **f.params}, lang)


def place(building: str, unit: str | None, lang: str) -> str:
    if unit:
        return t("ins.building_unit", lang, b=building, u=unit)
    return t("ins.building", lang, b=building)


def stage_badge(stage: Stage, lang: str, **kw: Any) -> dbc.Badge:
    colour = STAGE_COLOURS[stage]
    return dbc.Badge(
        t(f"stage.{stage.value}", lang), color=colour, text_color="dark" if colour == "light" else None, **kw
    )


def refusal_alert(problems: list[Problem], lang: str) -> dbc.Alert:
    """Every problem of a refused write, one line each (the fields' own messages also sit under the fields)."""
    return dbc.Alert(
        [html.Div(t(one_or_many("ins.refused", len(problems), lang), lang, n=len(problems)), className="fw-semibold")]
        + [html.Div(problem_text(p, lang), className="small") for p in problems],
        color="danger",
        id="ins-refused",
    )


# --------------------------------------------------------------------------- the filing form


def _field(label: str, control: Any, field_id: str, lang: str, required: bool = False, width: int = 6) -> dbc.Col:
    mark = (
        html.Span(
            f" *（{t('ins.form.required', lang)}）" if lang == "zh" else " * (required)", className="text-danger small"
        )
        if required
        else None
    )
    return dbc.Col(
        [
            dbc.Label([label, mark], html_for=field_id, className="small mb-1"),
            control,
            html.Div(id=f"{field_id}-fb", className="invalid-feedback d-block"),
        ],
        md=width,
        className="mb-3",
    )


def filing_form(compounds: list[tuple[int, str]], lang: str, today: date) -> dbc.Card:
    types = [
        {"label": t(f"applicant.{v}", lang), "value": v}
        for v in ("owners_committee", "property_company", "unit_owners")
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                dbc.Row(
                    [
                        _field(
                            t("ins.form.compound", lang),
                            dcc.Dropdown(
                                id="if-compound",
                                options=[{"label": name, "value": cid} for cid, name in compounds],
                                placeholder=t("ins.form.compound_ph", lang),
                                searchable=True,
                            ),
                            "if-compound",
                            lang,
                            required=True,
                        ),
                        _field(
                            t("ins.form.account", lang),
                            dbc.Select(id="if-account", options=[], size="sm"),
                            "if-account",
                            lang,
                            required=True,
                        ),
                    ]
                ),
                html.Div(
                    [
                        dbc.Label(t("ins.form.elevators", lang), className="small mb-1"),
                        html.Div(
                            id="if-check", className="small text-muted mb-1", children=t("ins.form.pick_account", lang)
                        ),
                        dbc.Checklist(id="if-elevators", options=[], value=[]),
                        html.Div(id="if-elevators-fb", className="invalid-feedback d-block"),
                    ],
                    className="mb-3",
                ),
                dbc.Row(
                    [
                        _field(
                            t("ins.form.applicant_type", lang),
                            dbc.Select(id="if-type", options=types, value="owners_committee", size="sm"),
                            "if-type",
                            lang,
                            required=True,
                            width=4,
                        ),
                        _field(
                            t("ins.form.applicant_name", lang),
                            dbc.Input(id="if-name", size="sm", maxLength=60),
                            "if-name",
                            lang,
                            required=True,
                            width=4,
                        ),
                        _field(
                            t("ins.form.applicant_contact", lang),
                            dbc.Input(id="if-contact", size="sm", maxLength=60),
                            "if-contact",
                            lang,
                            width=4,
                        ),
                        _field(
                            t("ins.form.owner_count", lang),
                            dbc.Input(id="if-owners", type="number", min=0, step=1, size="sm"),
                            "if-owners",
                            lang,
                            width=6,
                        ),
                        _field(
                            t("ins.form.filed_on", lang),
                            dbc.Input(
                                id="if-filed", type="date", value=today.isoformat(), max=today.isoformat(), size="sm"
                            ),
                            "if-filed",
                            lang,
                            required=True,
                            width=6,
                        ),
                    ]
                ),
                html.P(t("ins.form.documents", lang), className="small text-muted"),
                html.Div(id="if-status"),
                dbc.Button(t("ins.form.submit", lang), id="if-submit", color="primary"),
            ]
        ),
        className="shadow-sm",
    )


def account_options(accounts: list[AccountOption], lang: str) -> list[dict[str, Any]]:
    return [
        {
            "label": t(
                "ins.form.account_option",
                lang,
                place=place(a.building, a.unit, lang),
                balance=exact_money(a.balance_fen, lang),
            ),
            "value": str(a.id),
        }
        for a in accounts
    ]


def elevator_options(check: AccountCheck, lang: str) -> list[dict[str, Any]]:
    """Each elevator the account serves with today's verdict beside it: eligible, or every reason it is not."""
    out = []
    for e in check.elevators:
        verdict: Any
        if e.eligible:
            verdict = dbc.Badge(t("ins.form.eligible", lang), color="success", className="ms-2")
        else:
            verdict = html.Span(
                [html.Span(failure_text(e.registration_code, f, lang), className="d-block") for f in e.failures],
                className="text-danger ms-2 small if-reason",
            )
        label = html.Span(
            [
                html.Span(e.registration_code, className="fw-semibold"),
                html.Span(" · " + t("ins.form.since", lang, date=day(e.in_service_on, lang)), className="text-muted"),
                verdict,
            ]
        )
        out.append({"label": label, "value": e.elevator_id})
    return out


def account_check_line(check: AccountCheck, lang: str) -> str:
    n = sum(1 for _ in check.elevators)
    return t(
        one_or_many("ins.form.check_account", n, lang),
        lang,
        balance=exact_money(check.balance_fen, lang),
        required=exact_money(check.required_fen, lang),
        n=n,
    )


# --------------------------------------------------------------------------- one application


def _dl(rows: list[tuple[str, Any]]) -> html.Dl:
    children: list[Any] = []
    for label, value in rows:
        children += [
            html.Dt(label, className="col-sm-5 fw-normal text-muted"),
            html.Dd(value, className="col-sm-7 mb-1"),
        ]
    return html.Dl(children, className="row small mb-0")


def application_header(v: ApplicationView, lang: str) -> html.Div:
    return html.Div(
        [
            html.H1(
                [
                    t("ins.app.title", lang, id=v.id),
                    " ",
                    stage_badge(v.stage, lang, id="ins-stage", className="align-middle fs-6"),
                ],
                id="page-title",
                className="h3",
            ),
            html.Div(
                " · ".join(
                    (v.account.compound_name, place(v.account.building_number, v.account.unit_number, lang), v.district)
                ),
                className="subtitle",
            ),
        ],
        className="page-head my-3",
    )


def details_card(v: ApplicationView, lang: str, redact: bool) -> dbc.Card:
    who = t("ins.app.redacted", lang) if redact else " · ".join(x for x in (v.applicant_name, v.applicant_contact) if x)
    rows: list[tuple[str, Any]] = [
        (t("ins.form.applicant_type", lang), t(f"applicant.{v.applicant_type}", lang)),
        (t("ins.form.applicant_name", lang), who),
    ]
    if v.owner_count:
        rows.append((t("ins.app.owner_count", lang), str(v.owner_count)))
    rows += [
        (t("ins.form.filed_on", lang), day(v.filed_on, lang)),
        (t("ins.app.balance", lang), html.Span(exact_money(v.balance_fen, lang), id="ins-balance")),
    ]
    if v.decision_note:
        rows.append((t("ins.app.close.note", lang), v.decision_note))
    body: list[Any] = [_dl(rows)]
    if v.rule:
        body.append(
            html.P(
                t(
                    one_or_many("ins.app.rule", v.rule.min_premium_years, lang),
                    lang,
                    days=v.rule.notice_days,
                    years=v.rule.min_premium_years,
                    premium=exact_money(v.rule.annual_premium_fen, lang),
                    cover=exact_money(v.rule.cover_per_elevator_fen, lang),
                ),
                className="small text-muted mt-2 mb-0",
            )
        )
    return dbc.Card([dbc.CardHeader(t("ins.app.details", lang)), dbc.CardBody(body)], className="shadow-sm mb-3")


def elevators_card(v: ApplicationView, lang: str) -> dbc.Card:
    rows = []
    for e in v.check.elevators:
        failures = e.failures
        if v.stage == Stage.purchased:  # its own policy is no failure: say until when it is insured
            failures = tuple(f for f in failures if f.condition.value not in ("insured", "applied"))
        result: Any
        if v.stage == Stage.purchased and not failures:
            until = max((p.period_end for p in v.policies if p.elevator_code == e.registration_code), default=None)
            result = dbc.Badge(
                t("ins.app.insured_until", lang, date=day(until, lang) if until else ""), color="success"
            )
        elif not failures:
            result = dbc.Badge(t("ins.form.eligible", lang), color="success")
        else:
            result = html.Div(
                [html.Div(failure_text(e.registration_code, f, lang)) for f in failures], className="text-danger"
            )
        rows.append(html.Tr([html.Td(e.registration_code), html.Td(day(e.in_service_on, lang)), html.Td(result)]))
    table = dbc.Table(
        [
            html.Thead(
                html.Tr([html.Th(t(k, lang)) for k in ("ins.app.col.code", "ins.app.col.since", "ins.app.col.result")])
            ),
            html.Tbody(rows),
        ],
        size="sm",
        className="mb-0 small",
        id="ins-elevators",
    )
    return dbc.Card([dbc.CardHeader(t("ins.app.elevators", lang)), dbc.CardBody(table)], className="shadow-sm mb-3")


def _input(
    id_: str, label: str, lang: str, kind: str = "text", value: Any = None, required: bool = True, **kw: Any
) -> html.Div:
    mark = html.Span(" *", className="text-danger") if required else None
    return html.Div(
        [
            dbc.Label([label, mark], html_for=id_, className="small mb-1"),
            dbc.Input(id=id_, type=kind, value=value, size="sm", **kw),
            html.Div(id=f"{id_}-fb", className="invalid-feedback d-block"),
        ],
        className="mb-2",
    )


def notice_card(v: ApplicationView, lang: str, may_write: bool, today: date) -> dbc.Card:
    body: list[Any] = []
    if v.notice_from and v.notice_to:
        body.append(
            html.P(
                t("ins.app.notice.period", lang, start=day(v.notice_from, lang), end=day(v.notice_to, lang)),
                id="ins-notice-period",
                className="mb-2",
            )
        )
        if v.notice_from <= today:
            body.append(
                html.A(
                    t("ins.app.notice.print", lang),
                    href=f"/notices/insurance/{v.id}",
                    target="_blank",
                    rel="noopener",
                    id="ins-notice-print",
                    className="btn btn-outline-secondary btn-sm",
                )
            )
    else:
        body.append(html.P(t("ins.app.notice.none", lang), className="text-muted small"))
    if may_write and v.stage == Stage.filed:
        body += [
            _input("ins-notice-from", t("ins.app.notice.from", lang), lang, "date", value=today.isoformat()),
            html.Div(
                t("ins.app.notice.days", lang, n=v.rule.notice_days) if v.rule else "",
                className="small text-muted mb-2",
            ),
            dbc.Button(t("ins.app.notice.post", lang), id="ins-post", color="primary", size="sm"),
        ]
    return dbc.Card([dbc.CardHeader(t("ins.app.notice", lang)), dbc.CardBody(body)], className="shadow-sm mb-3")


def objections_card(v: ApplicationView, lang: str, may_write: bool, today: date) -> dbc.Card:
    items: list[Any] = [
        html.Li(
            [
                html.Span(day(o.received_on, lang), className="fw-semibold me-2"),
                (o.objector + colon(lang)) if o.objector else "",
                o.content,
            ],
            className="small mb-1",
        )
        for o in v.objections
    ]
    body: list[Any] = [
        html.Ul(items, className="ps-3 mb-2", id="ins-objections")
        if items
        else html.P(t("ins.app.objections.none", lang), className="text-muted small", id="ins-objections")
    ]
    if may_write and v.stage in (Stage.in_notice, Stage.notice_ended, Stage.objected) and v.notice_from and v.notice_to:
        last = min(v.notice_to, today)
        body += [
            _input(
                "ins-obj-on",
                t("ins.app.objection.on", lang),
                lang,
                "date",
                value=last.isoformat(),
                min=v.notice_from.isoformat(),
                max=last.isoformat(),
            ),
            _input("ins-obj-by", t("ins.app.objection.by", lang), lang, required=False, maxLength=60),
            html.Div(
                [
                    dbc.Label(
                        [t("ins.app.objection.content", lang), html.Span(" *", className="text-danger")],
                        html_for="ins-obj-content",
                        className="small mb-1",
                    ),
                    dbc.Textarea(id="ins-obj-content", size="sm", maxLength=2000),
                    html.Div(id="ins-obj-content-fb", className="invalid-feedback d-block"),
                ],
                className="mb-2",
            ),
            dbc.Button(t("ins.app.objection.add", lang), id="ins-object", color="warning", size="sm"),
        ]
    return dbc.Card([dbc.CardHeader(t("ins.app.objections", lang)), dbc.CardBody(body)], className="shadow-sm mb-3")


def _share(a: Decimal | int, b: Decimal | int, lang: str) -> str:
    return percent(Decimal(a) / Decimal(b), lang) if b else "—"


def vote_card(v: ApplicationView, lang: str, may_write: bool, today: date) -> dbc.Card | None:
    if v.vote is None and v.stage != Stage.objected:
        return None
    body: list[Any] = []
    if v.rule:
        body.append(
            html.P(
                t(
                    "ins.app.vote.rule",
                    lang,
                    pn=v.rule.vote_participation_num,
                    pd=v.rule.vote_participation_den,
                    an=v.rule.vote_approval_num,
                    ad=v.rule.vote_approval_den,
                ),
                className="small text-muted",
            )
        )
    if v.vote is not None and v.vote_outcome is not None:
        f, r = v.vote, v.vote_outcome

        def line(key: str, ok: bool, part: Decimal | int, whole: Decimal | int) -> html.Li:
            """One test of the rule: "taking part by area 4,100.00/5,400.00 m² (75.9%) · met"."""
            shown = [f"{x:,.2f}" if isinstance(x, Decimal) else str(x) for x in (part, whole)]
            text = t(f"ins.app.vote.{key}", lang, x=shown[0], y=shown[1], share=_share(part, whole, lang))
            mark = t("ins.app.vote.ok" if ok else "ins.app.vote.not_ok", lang)
            return html.Li(
                [text, " · ", html.Span(mark, className="text-success" if ok else "text-danger fw-semibold")]
            )

        body += [
            html.Div(
                f"{t('ins.app.vote.held_on', lang)}{colon(lang)}{day(v.vote_held_on, lang) if v.vote_held_on else ''}",
                className="small",
            ),
            html.Ul(
                [
                    line(key, ok, part, whole)
                    for key, ok, part, whole in (
                        ("quorum_number", r.quorum_by_number, f.participants, f.owners_total),
                        ("quorum_area", r.quorum_by_area, f.participant_area, f.area_total),
                        ("approve_number", r.approved_by_number, f.agree, f.participants),
                        ("approve_area", r.approved_by_area, f.agree_area, f.participant_area),
                    )
                ],
                className="small ps-3 mb-2",
            ),
            dbc.Alert(
                t("ins.app.vote.passed" if r.passed else "ins.app.vote.failed", lang),
                color="success" if r.passed else "danger",
                id="ins-vote-result",
                className="py-2 mb-0",
            ),
        ]
    elif may_write:
        fields = [
            ("ins-vote-on", "ins.app.vote.held_on", "date", today.isoformat()),
            ("ins-vote-owners", "ins.app.vote.owners_total", "number", None),
            ("ins-vote-area", "ins.app.vote.area_total", "number", None),
            ("ins-vote-part", "ins.app.vote.participants", "number", None),
            ("ins-vote-part-area", "ins.app.vote.participant_area", "number", None),
            ("ins-vote-agree", "ins.app.vote.agree", "number", None),
            ("ins-vote-agree-area", "ins.app.vote.agree_area", "number", None),
        ]
        body += [
            dbc.Row(
                [
                    dbc.Col(
                        _input(i, t(k, lang), lang, kind, value=val, min=0, step="any" if "area" in i else 1)
                        if kind == "number"
                        else _input(i, t(k, lang), lang, kind, value=val),
                        md=6,
                    )
                    for i, k, kind, val in fields
                ]
            ),
            html.P(t("ins.app.vote.computed", lang), className="small text-muted"),
            dbc.Button(t("ins.app.vote.record", lang), id="ins-vote", color="primary", size="sm"),
        ]
    return dbc.Card([dbc.CardHeader(t("ins.app.vote", lang)), dbc.CardBody(body)], className="shadow-sm mb-3")


def decision_card(v: ApplicationView, lang: str, may_write: bool) -> dbc.Card | None:
    body: list[Any] = []
    if v.decided_on:
        body.append(
            html.P(
                t("ins.app.decided", lang, stage=t(f"stage.{v.stage.value}", lang), date=day(v.decided_on, lang)),
                className="mb-2",
            )
        )
    if may_write and v.stage == Stage.notice_ended:
        body.append(
            dbc.Button(t("ins.app.conclude", lang), id="ins-conclude", color="success", size="sm", className="mb-3")
        )
    if may_write and v.stage in (Stage.filed, Stage.in_notice, Stage.notice_ended, Stage.objected):
        body += [
            _input("ins-close-note", t("ins.app.close.note", lang), lang, maxLength=200),
            html.Div(
                [
                    dbc.Button(
                        t("ins.app.refuse", lang),
                        id="ins-refuse",
                        color="danger",
                        outline=True,
                        size="sm",
                        className="me-2",
                    ),
                    dbc.Button(
                        t("ins.app.withdraw", lang), id="ins-withdraw", color="secondary", outline=True, size="sm"
                    ),
                ]
            ),
        ]
    if not body:
        return None
    return dbc.Card([dbc.CardHeader(t("ins.app.decision", lang)), dbc.CardBody(body)], className="shadow-sm mb-3")


def purchase_card(
    v: ApplicationView, insurers: list[tuple[int, str]], lang: str, may_write: bool, today: date
) -> dbc.Card | None:
    if not (may_write and v.stage == Stage.approved):
        return None
    start = max(today, v.notice_to + timedelta(days=1)) if v.notice_to else today
    premium = v.rule.annual_premium_fen if v.rule else None
    cover = v.rule.cover_per_elevator_fen if v.rule else None
    n = len(v.check.elevators)
    body = [
        html.Div(
            [
                dbc.Label(
                    [t("ins.app.purchase.insurer", lang), html.Span(" *", className="text-danger")],
                    html_for="ins-buy-insurer",
                    className="small mb-1",
                ),
                dbc.Select(
                    id="ins-buy-insurer",
                    options=[{"label": name, "value": str(i)} for i, name in insurers],
                    value=str(insurers[0][0]) if insurers else None,
                    size="sm",
                ),
                html.Div(id="ins-buy-insurer-fb", className="invalid-feedback d-block"),
            ],
            className="mb-2",
        ),
        dbc.Row(
            [
                dbc.Col(
                    _input("ins-buy-start", t("ins.app.purchase.start", lang), lang, "date", value=start.isoformat()),
                    md=6,
                ),
                dbc.Col(
                    _input(
                        "ins-buy-paid",
                        t("ins.app.purchase.paid_on", lang),
                        lang,
                        "date",
                        value=today.isoformat(),
                        max=today.isoformat(),
                    ),
                    md=6,
                ),
                dbc.Col(
                    _input(
                        "ins-buy-premium",
                        t("ins.app.purchase.premium", lang),
                        lang,
                        "number",
                        value=str(yuan_from_fen(premium)) if premium else None,
                        min=0,
                        step="0.01",
                    ),
                    md=6,
                ),
                dbc.Col(
                    _input(
                        "ins-buy-cover",
                        t("ins.app.purchase.cover", lang),
                        lang,
                        "number",
                        value=str(yuan_from_fen(cover)) if cover else None,
                        min=0,
                        step="0.01",
                    ),
                    md=6,
                ),
            ]
        ),
        html.P(
            t(
                one_or_many("ins.app.purchase.total", n, lang),
                lang,
                n=n,
                total=exact_money((premium or 0) * n, lang),
                balance=exact_money(v.balance_fen, lang),
            ),
            className="small text-muted",
            id="ins-buy-total",
        ),
        dbc.Button(t("ins.app.purchase.buy", lang), id="ins-buy", color="success", size="sm"),
    ]
    return dbc.Card([dbc.CardHeader(t("ins.app.purchase", lang)), dbc.CardBody(body)], className="shadow-sm mb-3")


def policies_card(v: ApplicationView, lang: str) -> dbc.Card | None:
    if not v.policies:
        return None
    head = (
        "ins.app.col.policy",
        "ins.app.col.code",
        "ins.app.col.insurer",
        "ins.app.col.period",
        "ins.app.col.premium",
        "ins.app.col.cover",
        "ins.app.col.claims",
    )
    rows = [
        html.Tr(
            [
                html.Td(p.policy_no),
                html.Td(p.elevator_code),
                html.Td(p.insurer),
                html.Td(
                    [
                        day_span(p.period_start, p.period_end, lang),
                        html.Div(
                            t(
                                "ins.app.cancelled_line",
                                lang,
                                day=day(p.period_end, lang),
                                end=day(p.contracted_end, lang),
                                refund=exact_money(p.refund_fen, lang),
                                reason=p.cancel_reason or "",
                            ),
                            className="small text-muted ins-cancelled",
                        )
                        if p.contracted_end is not None
                        else None,
                    ]
                ),
                html.Td(exact_money(p.premium_fen, lang), className="text-end"),
                html.Td(exact_money(p.cover_fen, lang), className="text-end"),
                html.Td(
                    t("ins.app.claims_line", lang, n=p.claims, amount=exact_money(p.claims_fen, lang))
                    if p.claims
                    else "—",
                    className="text-end",
                ),
            ]
        )
        for p in v.policies
    ]
    table = dbc.Table(
        [html.Thead(html.Tr([html.Th(t(k, lang)) for k in head])), html.Tbody(rows)],
        size="sm",
        className="small mb-0",
        id="ins-policies",
    )
    return dbc.Card(
        [dbc.CardHeader(t("ins.app.policies", lang)), dbc.CardBody(table, className="table-responsive")],
        className="shadow-sm mb-3",
    )


def cancel_card(v: ApplicationView, lang: str, may_write: bool, today: date) -> dbc.Card | None:
    """The fund centre cancels a policy still in force (退保) and books the insurer's refund to the pooled account;
    the form suggests the pro-rata refund for today, the insurer's statement is what is typed."""
    open_policies = [p for p in v.policies if not p.cancelled and p.period_end > today]
    if not (may_write and open_policies):
        return None
    first = open_policies[0]
    options = [
        {
            "label": f"{p.elevator_code} · {day_span(p.period_start, p.period_end, lang)} · "
            + t("ins.cancel.option_refund", lang, amount=exact_money(p.pro_rata_today_fen, lang)),
            "value": str(p.id),
        }
        for p in open_policies
    ]
    body = [
        html.Div(
            [
                dbc.Label(t("ins.cancel.policy", lang), html_for="ins-cancel-policy", className="small mb-1"),
                dbc.Select(id="ins-cancel-policy", options=options, value=str(first.id), size="sm"),
                html.Div(id="ins-cancel-policy-fb", className="invalid-feedback d-block"),
            ],
            className="mb-2",
        ),
        dbc.Row(
            [
                dbc.Col(_input("ins-cancel-on", t("ins.cancel.on", lang), lang, "date", value=today.isoformat()), md=6),
                dbc.Col(
                    _input("ins-cancel-refund", t("ins.cancel.refund", lang), lang, "number", min=0, step="0.01"),
                    md=6,
                ),
                dbc.Col(
                    _input(
                        "ins-cancel-refunded", t("ins.cancel.refunded_on", lang), lang, "date", value=today.isoformat()
                    ),
                    md=6,
                ),
                dbc.Col(
                    _input(
                        "ins-cancel-reason",
                        t("ins.cancel.reason", lang),
                        lang,
                        maxLength=200,
                        placeholder=t("ins.cancel.reason_ph", lang),
                    ),
                    md=6,
                ),
            ]
        ),
        html.P(t("ins.cancel.refund_hint", lang), className="small text-muted", id="ins-cancel-hint"),
        dbc.Button(t("ins.cancel.submit", lang), id="ins-cancel", color="secondary", size="sm"),
    ]
    return dbc.Card([dbc.CardHeader(t("ins.cancel.title", lang)), dbc.CardBody(body)], className="shadow-sm mb-3")


CLAIM_KINDS = ("repair", "parts", "major_repair")


def claim_card(v: ApplicationView, lang: str, may_write: bool, today: date) -> dbc.Card | None:
    """The fund centre records what the insurer paid under one of the application's policies (理赔)."""
    if not (may_write and v.policies):
        return None
    latest = v.policies[-1]
    policy_options = [
        {"label": f"{p.elevator_code} · {day_span(p.period_start, p.period_end, lang)}", "value": str(p.id)}
        for p in v.policies
    ]
    fault_options = [{"label": t("ins.claim.no_fault", lang), "value": ""}] + [
        {
            "label": f"{f.registration_code} · {f.reported_at.astimezone(CITY_TZ):%Y-%m-%d %H:%M} · {f.cause}",
            "value": str(f.id),
        }
        for f in v.faults
    ]

    def select(id_: str, label: str, options: list[dict[str, Any]], value: str | None) -> html.Div:
        return html.Div(
            [
                dbc.Label(label, html_for=id_, className="small mb-1"),
                dbc.Select(id=id_, options=options, value=value, size="sm"),
                html.Div(id=f"{id_}-fb", className="invalid-feedback d-block"),
            ],
            className="mb-2",
        )

    body = [
        select("ins-claim-policy", t("ins.claim.policy", lang), policy_options, str(latest.id)),
        dbc.Row(
            [
                dbc.Col(
                    select(
                        "ins-claim-kind",
                        t("ins.claim.kind", lang),
                        [{"label": t(f"claim.{k}", lang), "value": k} for k in CLAIM_KINDS],
                        "repair",
                    ),
                    md=6,
                ),
                dbc.Col(
                    _input("ins-claim-paid", t("ins.claim.paid_on", lang), lang, "date", value=today.isoformat()), md=6
                ),
                dbc.Col(
                    _input("ins-claim-amount", t("ins.claim.amount", lang), lang, "number", min=0, step="0.01"), md=6
                ),
                dbc.Col(
                    _input("ins-claim-ref", t("ins.claim.reference", lang), lang, required=False, maxLength=40), md=6
                ),
            ]
        ),
        select("ins-claim-fault", t("ins.claim.fault", lang), fault_options, ""),
        dbc.Button(t("ins.claim.record", lang), id="ins-claim", color="primary", size="sm"),
    ]
    return dbc.Card([dbc.CardHeader(t("ins.claim.title", lang)), dbc.CardBody(body)], className="shadow-sm mb-3")


DOCUMENT_KINDS = ("application_form", "owner_feedback", "policy_basis", "contact_letter", "survey_opinion")


def documents_card(v: ApplicationView, lang: str, may_write: bool, redact: bool) -> dbc.Card | None:
    """The five documents an application is published with (seed 000), each kept or still missing; the clerk
    uploads scans here. Not for the press: owner feedback forms name people."""
    if redact:
        return None
    kept: dict[str, list[Any]] = {k: [] for k in DOCUMENT_KINDS}
    for d in v.documents:
        kept.setdefault(d.kind, []).append(
            html.A(d.filename, href=f"/insurance/documents/{d.id}", className="me-2", id=f"ins-doc-{d.id}")
        )
    items = [
        html.Li(
            [
                html.Span("✓ " if kept[k] else "○ ", className="text-success" if kept[k] else "text-muted"),
                html.Span(t(f"doc.{k}", lang), className="me-2"),
                *(kept[k] or [html.Span(t("ins.doc.missing", lang), className="text-muted small")]),
            ],
            className="mb-1",
        )
        for k in DOCUMENT_KINDS
    ]
    body: list[Any] = [html.Ul(items, className="list-unstyled small mb-2", id="ins-documents")]
    if may_write:
        body += [
            dbc.Label(t("ins.doc.kind", lang), html_for="ins-doc-kind", className="small mb-1"),
            dbc.Select(
                id="ins-doc-kind",
                options=[{"label": t(f"doc.{k}", lang), "value": k} for k in DOCUMENT_KINDS],
                value=next((k for k in DOCUMENT_KINDS if not kept[k]), DOCUMENT_KINDS[0]),
                size="sm",
                className="mb-2",
            ),
            dcc.Upload(
                id="ins-doc-upload",
                children=html.Div(t("ins.doc.upload", lang)),
                className="upload-drop small",
                max_size=10 * 1024 * 1024,
                accept=".pdf,.png,.jpg,.jpeg",
            ),
            html.Div(id="ins-doc-upload-fb", className="invalid-feedback d-block"),
        ]
    return dbc.Card([dbc.CardHeader(t("ins.doc.title", lang)), dbc.CardBody(body)], className="shadow-sm mb-3")


def notice_context(n: PublicNotice, lang: str) -> dict[str, Any]:
    """What templates/insurance_notice.html shows, formatted (the template does no arithmetic)."""
    total = (n.annual_premium_fen or 0) * len(n.elevators)
    return {
        "place": n.compound
        + bracketed(n.district, lang)
        + ("" if lang == "zh" else " ")
        + place(n.building, n.unit, lang),
        "applicant": t(f"applicant.{n.applicant_type}", lang),
        "premium": exact_money(n.annual_premium_fen, lang) if n.annual_premium_fen else "—",
        "cover": exact_money(n.cover_per_elevator_fen, lang) if n.cover_per_elevator_fen else "—",
        "balance": exact_money(n.balance_fen, lang),
        "total": exact_money(total, lang),
        "days": (n.notice_to - n.notice_from).days + 1,
        "city": n.city if lang == "zh" else n.city_en,
    }


# --------------------------------------------------------------------------- the overview's alerts


def alerts_card(a: LeaderAlerts, lang: str, today: date) -> dbc.Alert | None:
    """What needs a decision today, each line a link to where it is handled; nothing when all is in order."""
    if not a.any:
        return None
    lines: list[Any] = []
    if a.unpayable_60d:
        lines.append(
            html.Li(
                dcc.Link(
                    t("alerts.unpayable", lang, n30=a.unpayable_30d, n60=a.unpayable_60d),
                    href="/insurance?tab=renewals&days=60",
                )
            )
        )
    if a.notice_ended_undecided:
        lines.append(
            html.Li(
                dcc.Link(
                    t(
                        one_or_many("alerts.undecided", a.notice_ended_undecided, lang),
                        lang,
                        n=a.notice_ended_undecided,
                    ),
                    href="/insurance",
                )
            )
        )
    if a.objected_unvoted:
        lines.append(
            html.Li(
                dcc.Link(
                    t(one_or_many("alerts.unvoted", a.objected_unvoted, lang), lang, n=a.objected_unvoted),
                    href="/insurance",
                )
            )
        )
    if a.repeat_fault_count:
        named = listing(
            (f"{e.compound} {e.registration_code}{bracketed(str(e.faults), lang)}" for e in a.repeat_fault_elevators),
            lang,
        )
        lines.append(
            html.Li(
                t(one_or_many("alerts.repeat", a.repeat_fault_count, lang), lang, n=a.repeat_fault_count, named=named)
            )
        )
    return dbc.Alert(
        [
            html.Div(t("alerts.title", lang, date=day(today, lang)), className="fw-semibold mb-1"),
            html.Ul(lines, className="mb-0 ps-3 small"),
        ],
        color="warning",
        id="overview-alerts",
        className="mb-3",
    )
