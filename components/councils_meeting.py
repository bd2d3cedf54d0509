"""The meeting view (/councils/meeting): header, attendees, agenda items with their follow-ups,
attachments, the public notice and the change history."""

from __future__ import annotations

from datetime import date
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.councils_common import KINDS, category_label, label_colon, outcome_label, party_label
from components.councils_form_fields import dom_id
from components.formatting import bracketed, count, day, day_time, listing
from components.i18n import t
from data_access.core.clock import CITY_TZ
from data_access.council_access import PARTIES
from data_access.councils import FollowUpView, HistoryEntry, ItemView, MeetingView


def _party_badge(text: str, colour: str = "secondary") -> dbc.Badge:
    return dbc.Badge(text, color=colour, className="me-1 fw-normal")


def meeting_header(v: MeetingView, lang: str) -> html.Div:
    local = v.held_at.astimezone(CITY_TZ)
    badges = [_party_badge(t(f"status.{v.status}", lang), "dark" if v.status == "held" else "info")]
    if v.missing_parties and v.convener is not None:
        parties = listing((party_label(p, lang) for p in v.missing_parties), lang)
        badges.append(_party_badge(t("meeting.incomplete", lang, parties=parties), "warning"))
    if v.published:
        badges.append(_party_badge(t("meeting.notice_posted", lang, start=v.notice_from, end=v.notice_to), "success"))
    return html.Div(
        [
            html.H1(t("meeting.title", lang, compound=v.compound), id="page-title"),
            html.Div(
                t("meeting.when", lang, date=day(local.date(), lang), time=f"{local:%H:%M}", venue=v.venue),
                className="subtitle",
                id="meeting-when",
            ),
            html.Div(
                [
                    html.Span(t("meeting.convener", lang, name=v.convener) + " · ", className="me-1")
                    if v.convener
                    else None,
                    html.Span(v.district if lang == "zh" else v.district_en, className="me-2"),
                    *badges,
                    html.Span(
                        t("meeting.version", lang, n=v.version),
                        className="small text-muted ms-2",
                        id="meeting-version-label",
                    ),
                ],
                className="small mt-1",
            ),
        ],
        className="page-head my-3",
    )


def attendees_card(v: MeetingView, lang: str) -> dbc.Card:
    rows = []
    for party in PARTIES:
        names = [a.name + (bracketed(a.role, lang) if a.role else "") for a in v.attendees if a.party == party]
        rows.append(
            html.Tr(
                [
                    html.Th(party_label(party, lang), className="text-nowrap fw-normal text-muted", scope="row"),
                    html.Td(
                        listing(names, lang) if names else t("meeting.no_attendees", lang),
                        className="" if names else "text-danger",
                    ),
                ]
            )
        )
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("meeting.attendees", lang), className="h6"),
                dbc.Table(html.Tbody(rows), size="sm", className="mb-0", id="meeting-attendees"),
            ]
        ),
        className="shadow-sm mb-3",
    )


def _follow_up_line(f: FollowUpView, lang: str, editable: bool, today: date) -> html.Li:
    state = t(f"fu.{f.status}", lang)
    if f.status == "done" and f.completed_on:
        state = t("meeting.completed_on", lang, date=day(f.completed_on, lang))
    parts: list[Any] = [
        html.Span(party_label(f.owner_party, lang), className="fw-semibold me-2"),
        html.Span(f.action, className="me-2"),
        html.Span(bracketed(f.contact_name, lang) if f.contact_name else "", className="text-muted me-2"),
        html.Span(f"{t('form.due_on', lang)} {day(f.due_on, lang)}", className="me-2"),
        _party_badge(state, "success" if f.status == "done" else "secondary"),
    ]
    if f.overdue:
        parts.append(_party_badge(t("meeting.overdue", lang), "danger"))
    if editable and f.status != "done":
        parts.append(
            html.Span(
                [
                    # The day box sits in a line of text with no caption of its own: a hidden label names it by its
                    # follow-up, so a list of them does not read as "date, date, date".
                    dbc.Label(
                        f"{t('form.completed_on', lang)}{label_colon(lang)}{f.action}",
                        html_for=dom_id({"type": "fu-done-date", "id": f.id}),
                        className="visually-hidden",
                    ),
                    dbc.Input(
                        id={"type": "fu-done-date", "id": f.id},
                        type="date",
                        value=today.isoformat(),
                        size="sm",
                        style={"width": "10rem"},
                        className="d-inline-block ms-2",
                    ),
                    dbc.Button(
                        t("meeting.mark_done", lang),
                        id={"type": "fu-done", "id": f.id},
                        size="sm",
                        color="success",
                        outline=True,
                        className="ms-1",
                    ),
                ],
                className="d-inline-flex align-items-center",
            )
        )
    return html.Li(parts, className="mb-1", id=f"follow-up-{f.id}")


def items_section(v: MeetingView, lang: str, today: date) -> html.Div:
    cards = [
        dbc.Card(dbc.CardBody(_item_body(n, i, lang, v.editable, today)), className="shadow-sm mb-2", id=f"item-{i.id}")
        for n, i in enumerate(v.items, start=1)
    ]
    return html.Div([html.H2(t("meeting.items", lang), className="h6 mt-2"), *cards], id="meeting-items")


def _item_body(n: int, i: ItemView, lang: str, editable: bool, today: date) -> list[Any]:
    """One item's card, top to bottom: heading, who raised it, where it came from and went, what was said,
    how it was decided, the work orders it concerns, its follow-ups."""
    body: list[Any] = [
        html.Div(
            [
                html.H3(f"{n}. {i.title}", className="h6 mb-1 me-2 d-inline"),
                _party_badge(category_label(i.category, lang)),
                _party_badge(
                    outcome_label(i.outcome, lang),
                    "success" if i.outcome == "resolved" else "warning" if i.outcome else "light",
                ),
            ]
        ),
        html.Div(
            f"{t('form.raising_party', lang)}{label_colon(lang)}{party_label(i.raising_party, lang)}",
            className="small text-muted mb-1",
        ),
    ]
    body += _carry_links(i, lang)
    body += _item_texts(i, lang)
    body += _decision_lines(i, lang)
    if i.work_orders:
        body.append(
            html.Div(
                [
                    html.Span(t("meeting.work_orders", lang) + label_colon(lang), className="text-muted"),
                    " ".join(o.order_no + bracketed(day(o.received_on, lang), lang) for o in i.work_orders),
                ],
                className="small mb-1",
            )
        )
    follow = [_follow_up_line(f, lang, editable, today) for f in i.follow_ups]
    body.append(
        html.Div(
            [
                html.Div(t("meeting.follow_ups", lang), className="small text-muted"),
                html.Ul(follow, className="mb-0 ps-3")
                if follow
                else html.Div(t("meeting.no_follow_ups", lang), className="small text-muted"),
            ]
        )
    )
    return body


def _carry_links(i: ItemView, lang: str) -> list[html.Div]:
    """Links to the meeting the item was carried from, then to those it was carried on to."""
    links: list[html.Div] = []
    if i.carried_from:
        links.append(
            html.Div(
                dcc.Link(
                    t("meeting.carried_from", lang, date=day(i.carried_from.held_on, lang)),
                    href=f"/councils/meeting?id={i.carried_from.meeting_id}",
                ),
                className="small",
            )
        )
    for link in i.carried_to:
        links.append(
            html.Div(
                dcc.Link(
                    t("meeting.carried_to", lang, date=day(link.held_on, lang)),
                    href=f"/councils/meeting?id={link.meeting_id}",
                ),
                className="small",
            )
        )
    return links


def _item_texts(i: ItemView, lang: str) -> list[html.Div]:
    """Description, discussion and resolution, each only when written."""
    texts: list[html.Div] = []
    for key, text in (
        ("meeting.description", i.description),
        ("meeting.discussion", i.discussion),
        ("meeting.resolution", i.resolution),
    ):
        if text:
            texts.append(
                html.Div(
                    [
                        html.Span(t(key, lang) + label_colon(lang), className="text-muted"),
                        html.Span(text, className="pre-wrap"),
                    ],
                    className="mb-1",
                )
            )
    return texts


def _decision_lines(i: ItemView, lang: str) -> list[html.Div]:
    """A vote's totals and each party's votes, or "consensus"; nothing while no method is recorded."""
    if i.decision_method == "vote":
        lines = [
            html.Div(
                t("meeting.votes", lang, f=i.votes_for, a=i.votes_against, ab=i.votes_abstain),
                className="mb-1 vote-line",
            )
        ]
        for pv in i.party_votes:
            lines.append(
                html.Div(
                    t(
                        "meeting.party_votes",
                        lang,
                        party=party_label(pv.party, lang),
                        f=pv.votes_for,
                        a=pv.votes_against,
                        ab=pv.votes_abstain,
                    ),
                    className="small text-muted ms-3",
                )
            )
        return lines
    if i.decision_method:
        return [html.Div(t("method.consensus", lang), className="mb-1 small")]
    return []


def attachments_card(v: MeetingView, lang: str) -> dbc.Card:
    rows = [
        html.Li(
            [
                html.A(a.filename, href=f"/councils/attachments/{a.id}", target="_blank", rel="noopener"),
                html.Span(
                    f" · {t('kind.' + a.kind, lang)} · {count(max(1, a.size_bytes // 1024), lang)} KB",
                    className="small text-muted",
                ),
                dbc.Button(
                    t("meeting.remove", lang),
                    id={"type": "att-remove", "id": a.id},
                    size="sm",
                    color="link",
                    className="text-danger py-0",
                )
                if v.editable
                else None,
            ],
            className="mb-1",
        )
        for a in v.attachments
    ]
    body: list[Any] = [
        html.H2(t("meeting.attachments", lang), className="h6"),
        html.Ul(rows, className="ps-3 mb-2", id="attachment-list")
        if rows
        else html.Div(t("meeting.no_attachments", lang), className="small text-muted mb-2"),
    ]
    if v.editable:
        body += [
            dbc.Label(t("meeting.upload", lang), html_for="att-kind", className="small text-muted mb-1"),
            dbc.Select(
                id="att-kind",
                options=[{"label": t(f"kind.{k}", lang), "value": k} for k in KINDS],
                value="sign_in_sheet",
                size="sm",
                className="mb-2",
            ),
            dcc.Upload(
                id="att-upload",
                children=html.Div(t("meeting.upload_hint", lang)),
                accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg",
                max_size=10 * 1024 * 1024,
                className="upload-drop",
            ),
            html.Div(id="att-feedback", className="invalid-feedback d-block"),
        ]
    return dbc.Card(dbc.CardBody(body), className="shadow-sm mb-3")


def notice_card(v: MeetingView, lang: str, today: date) -> dbc.Card:
    body: list[Any] = [html.H2(t("meeting.notice", lang), className="h6")]
    if v.published:
        body.append(html.Div(t("meeting.notice_posted", lang, start=v.notice_from, end=v.notice_to), id="notice-state"))
        body.append(
            html.A(
                t("meeting.notice_link", lang),
                href=f"/notices/{v.id}",
                target="_blank",
                rel="noopener",
                className="small d-block mb-2",
            )
        )
    else:
        body.append(html.Div(t("meeting.notice_none", lang), className="text-muted small mb-2", id="notice-state"))
    # A held meeting its organiser has saved with decided items but not yet published: the card offers the next step
    # (publishing used to be an easy-to-miss separate step after saving).
    offer = v.editable and v.status == "held" and not v.published and any(i.outcome for i in v.items)
    if offer:
        body.append(dbc.Alert(t("form.saved_offer", lang), color="primary", className="small py-2", id="notice-offer"))
    if v.editable and v.status == "held":
        body += _notice_editor(v, lang, today)
    return dbc.Card(
        dbc.CardBody(body), className="shadow-sm mb-3" + (" border-primary border-2" if offer else ""), id="notice-card"
    )


def _notice_editor(v: MeetingView, lang: str, today: date) -> list[Any]:
    """Which decided items to post and for which days (a week from today or the meeting by default)."""
    decided = [i for i in v.items if i.outcome]
    start = v.notice_from or max(today, v.held_on)
    group_aria: dict[str, Any] = {"aria-labelledby": "notice-items-label"}  # Dash takes aria-* as keywords only
    return [
        # A set of checkboxes has no single field for a <label for>: the caption names their group instead.
        html.Div(
            t("meeting.notice_items", lang), id="notice-items-label", className="form-label small text-muted mb-1"
        ),
        html.Div(
            dbc.Checklist(
                id="notice-items",
                options=[{"label": i.title, "value": i.id} for i in decided],
                value=[i.id for i in decided if i.published or not v.published],
                className="small mb-2",
            ),
            role="group",
            **group_aria,
        ),
        html.Div(id="notice-items-fb", className="invalid-feedback d-block"),
        dbc.Row(
            [
                dbc.Col(
                    [
                        dbc.Label(
                            t("meeting.notice_from", lang), html_for="notice-from", className="small text-muted mb-1"
                        ),
                        dbc.Input(id="notice-from", type="date", value=start.isoformat(), size="sm"),
                        html.Div(id="notice-from-fb", className="invalid-feedback d-block"),
                    ]
                ),
                dbc.Col(
                    [
                        dbc.Label(
                            t("meeting.notice_to", lang), html_for="notice-to", className="small text-muted mb-1"
                        ),
                        dbc.Input(
                            id="notice-to",
                            type="date",
                            value=(v.notice_to or date.fromordinal(start.toordinal() + 6)).isoformat(),
                            size="sm",
                        ),
                        html.Div(id="notice-to-fb", className="invalid-feedback d-block"),
                    ]
                ),
            ],
            className="g-2 mb-2",
        ),
        dbc.Button(t("meeting.publish", lang), id="notice-publish", size="sm", color="primary", className="me-2"),
        dbc.Button(t("meeting.withdraw", lang), id="notice-withdraw", size="sm", color="secondary", outline=True)
        if v.published
        else None,
    ]


def _change_value(value: Any, lang: str) -> str:
    if value is None or value == "":
        return "—"
    return str(value)


def history_card(entries: list[HistoryEntry], lang: str) -> dbc.Card:
    rows = [_history_row(e, lang) for e in entries]
    if not rows:
        return dbc.Card(
            dbc.CardBody(
                [
                    html.H2(t("meeting.history", lang), className="h6"),
                    html.Div(t("meeting.history.none", lang), className="small text-muted"),
                ]
            ),
            className="shadow-sm mb-3",
        )
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(k, lang), className="small")
                for k in (
                    "meeting.history.when",
                    "meeting.history.who",
                    "meeting.history.what",
                    "meeting.history.changes",
                )
            ]
        )
    )
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("meeting.history", lang), className="h6"),
                html.Div(
                    dbc.Table([head, html.Tbody(rows)], size="sm", className="mb-0", id="meeting-history"),
                    className="table-responsive",
                ),
            ]
        ),
        className="shadow-sm mb-3",
    )


def _history_row(e: HistoryEntry, lang: str) -> html.Tr:
    """One audit entry: when, who, what (action, entity, its label) and each changed field, old → new."""
    changes = html.Ul(
        [
            html.Li(
                [
                    html.Span(f"{name}: ", className="text-muted"),
                    _change_value(old, lang),
                    " → ",
                    _change_value(new, lang),
                ]
            )
            for name, old, new in e.changes
        ],
        className="ps-3 mb-0 small",
    )
    return html.Tr(
        [
            html.Td(day_time(e.at.astimezone(CITY_TZ), lang), className="text-nowrap small"),
            html.Td(e.username or "—", className="small"),
            html.Td(
                f"{t('action.' + e.action, lang)} {t('entity.' + e.entity, lang)}"
                + (f"「{e.label}」" if e.label else ""),
                className="small",
            ),
            html.Td(changes),
        ]
    )
