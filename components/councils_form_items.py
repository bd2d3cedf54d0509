"""The meeting form's agenda item blocks and their follow-up rows (fields of item i, follow-up j).

The edit page renders them with the form and appends them one by one when "add item" or "add follow-up"
is pressed, so each block is complete on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.councils_common import CATEGORIES, FU_STATUSES, OUTCOMES, category_label, outcome_label, party_label
from components.councils_form_fields import dom_id, fb, fid, hidden_field, labelled_field, num_text, select_field
from components.formatting import day
from components.i18n import t
from data_access.council_access import PARTIES
from data_access.council_records import FollowUpInput, ItemInput
from data_access.councils import OrderOption

VOTE_KINDS = ("for", "against", "abstain")

# --------------------------------------------------------------------------- follow-up rows


def follow_up_row(i: int, j: int, f: FollowUpInput, lang: str) -> html.Div:
    return html.Div(
        [
            hidden_field("fu_id", f.id, i, j),
            hidden_field("fu_removed", "", i, j),
            dbc.Row(
                _follow_up_task_fields(i, j, f, lang) + _follow_up_date_fields(i, j, f, lang),
                className="g-2 align-items-start",
            ),
            dbc.Button(
                t("form.remove", lang),
                id={"type": "cf-remove-fu", "item": i, "fu": j},
                size="sm",
                color="link",
                className="text-danger p-0",
            ),
        ],
        id={"type": "cf-fu", "item": i, "fu": j},
        className="follow-up-row border-start border-3 ps-2 mb-2",
    )


def _follow_up_task_fields(i: int, j: int, f: FollowUpInput, lang: str) -> list[dbc.Col]:
    """Who does what: owner party, action, contact."""
    parties = [(p, party_label(p, lang)) for p in PARTIES]
    return [
        labelled_field(
            t("form.owner_party", lang),
            select_field("owner_party", parties, f.owner_party, lang, i, j),
            "owner_party",
            i,
            j,
            md=2,
            lang=lang,
        ),
        labelled_field(
            t("form.action", lang),
            dbc.Input(id=fid("action", i, j), value=f.action, size="sm", maxLength=400),
            "action",
            i,
            j,
            md=3,
            lang=lang,
        ),
        labelled_field(
            t("form.contact", lang),
            dbc.Input(id=fid("contact_name", i, j), value=f.contact_name, size="sm", maxLength=120),
            "contact_name",
            i,
            j,
            md=2,
            lang=lang,
        ),
    ]


def _follow_up_date_fields(i: int, j: int, f: FollowUpInput, lang: str) -> list[dbc.Col]:
    """By when and how far: due day, status, day completed."""
    return [
        labelled_field(
            t("form.due_on", lang),
            dbc.Input(
                id=fid("due_on", i, j),
                type="date",
                size="sm",
                value=f.due_on.isoformat() if f.due_on else "",
            ),
            "due_on",
            i,
            j,
            md=2,
            lang=lang,
        ),
        labelled_field(
            t("form.fu_status", lang),
            select_field("fu_status", [(s, t(f"fu.{s}", lang)) for s in FU_STATUSES], f.status, lang, i, j),
            "fu_status",
            i,
            j,
            md=1,
            lang=lang,
        ),
        labelled_field(
            t("form.completed_on", lang),
            dbc.Input(
                id=fid("completed_on", i, j),
                type="date",
                size="sm",
                value=f.completed_on.isoformat() if f.completed_on else "",
            ),
            "completed_on",
            i,
            j,
            md=2,
            lang=lang,
        ),
    ]


# --------------------------------------------------------------------------- item blocks


def item_block(
    i: int,
    item: ItemInput,
    lang: str,
    orders: Sequence[OrderOption],
    carried_label: str | None = None,
) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                _item_head(i, lang),
                hidden_field("item_id", item.id, i),
                hidden_field("carried_from", item.carried_from_id, i),
                hidden_field("removed", "", i),
                html.Div(carried_label, className="small text-muted mb-2 carried-note") if carried_label else None,
                _item_subject_row(i, item, lang),
                _item_text_row(i, item, lang),
                _decision_row(i, item, lang),
                _outcome_row(i, item, lang),
                _work_orders_field(i, item, orders, lang),
                *_item_follow_ups(i, item, lang),
            ]
        ),
        id={"type": "cf-item", "item": i},
        className="shadow-sm mb-3 item-block",
    )


def _item_head(i: int, lang: str) -> html.Div:
    return html.Div(
        [
            html.H3(t("form.item", lang, n=i + 1), className="h6 mb-0 me-auto"),
            dbc.Button(
                t("form.remove_item", lang),
                id={"type": "cf-remove-item", "item": i},
                size="sm",
                color="link",
                className="text-danger p-0",
            ),
        ],
        className="d-flex align-items-center mb-2",
    )


def _item_subject_row(i: int, item: ItemInput, lang: str) -> dbc.Row:
    """Title, category and the party that raised it."""
    parties = [(p, party_label(p, lang)) for p in PARTIES]
    return dbc.Row(
        [
            labelled_field(
                t("form.title", lang),
                dbc.Input(id=fid("title", i), value=item.title, size="sm", maxLength=240),
                "title",
                i,
                md=6,
                lang=lang,
            ),
            labelled_field(
                t("form.category", lang),
                select_field("category", [(c, category_label(c, lang)) for c in CATEGORIES], item.category, lang, i),
                "category",
                i,
                md=3,
                lang=lang,
            ),
            labelled_field(
                t("form.raising_party", lang),
                select_field("raising_party", parties, item.raising_party, lang, i),
                "raising_party",
                i,
                md=3,
                lang=lang,
            ),
        ],
        className="g-2",
    )


def _item_text_row(i: int, item: ItemInput, lang: str) -> dbc.Row:
    return dbc.Row(
        [
            labelled_field(
                t("form.description", lang),
                dbc.Textarea(id=fid("description", i), value=item.description, rows=2, size="sm"),
                "description",
                i,
                md=6,
                lang=lang,
            ),
            labelled_field(
                t("form.discussion", lang),
                dbc.Textarea(id=fid("discussion", i), value=item.discussion, rows=2, size="sm"),
                "discussion",
                i,
                md=6,
                lang=lang,
            ),
        ],
        className="g-2",
    )


def _decision_row(i: int, item: ItemInput, lang: str) -> dbc.Row:
    """The decision method, and beside it the vote counts, shown only while "vote" is chosen."""
    return dbc.Row(
        [
            labelled_field(
                t("form.method", lang),
                dbc.RadioItems(
                    id=fid("decision_method", i),
                    name=f"cf-decision-method-{i}",  # one group: a single Tab stop, the arrow keys choose
                    options=[
                        {"label": t("method.consensus", lang), "value": "consensus"},
                        {"label": t("method.vote", lang), "value": "vote"},
                    ],
                    value=item.decision_method,
                    inline=True,
                    className="small",
                ),
                "decision_method",
                i,
                md=3,
                lang=lang,
            ),
            dbc.Col(_votes_panel(i, item, lang), md=9),
        ],
        className="g-2",
    )


def _votes_panel(i: int, item: ItemInput, lang: str) -> html.Div:
    """Total votes for/against/abstaining, and a fold-out of each party's votes (open when some are given)."""
    totals = dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(
                        t(f"form.votes_{k}", lang), html_for=dom_id(fid(f"votes_{k}", i)), className="small mb-1"
                    ),
                    dbc.Input(
                        id=fid(f"votes_{k}", i),
                        type="number",
                        min=0,
                        step=1,
                        size="sm",
                        value=num_text(getattr(item, f"votes_{k}")),
                    ),
                ]
            )
            for k in VOTE_KINDS
        ],
        className="g-1",
    )
    return html.Div(
        [
            totals,
            fb("votes", i),
            html.Details(
                [
                    html.Summary(t("form.party_votes", lang), className="small text-muted"),
                    *_party_vote_rows(i, item, lang),
                    fb("party_votes", i),
                ],
                open=bool(item.party_votes),
                className="mt-1",
            ),
        ],
        id={"type": "cf-votes", "item": i},
        style={} if item.decision_method == "vote" else {"display": "none"},
    )


def _party_vote_rows(i: int, item: ItemInput, lang: str) -> list[dbc.Row]:
    """One row per party: its votes for, against and abstaining (fields pv_<kind>_<party>). The row shows the party
    once and each box only its kind, so every box carries a hidden label naming both ("党组织 同意"): read alone, a
    box named 同意 would not say whose votes it counts."""
    pv = item.party_votes
    return [
        dbc.Row(
            [
                dbc.Col(party_label(p, lang), md=3, className="small pt-1"),
                *[
                    dbc.Col(
                        [
                            dbc.Label(
                                t("form.party_vote", lang, party=party_label(p, lang), kind=t(f"form.votes_{k}", lang)),
                                html_for=dom_id(fid(f"pv_{k}_{p}", i)),
                                className="visually-hidden",
                            ),
                            dbc.Input(
                                id=fid(f"pv_{k}_{p}", i),
                                type="number",
                                min=0,
                                step=1,
                                size="sm",
                                placeholder=t(f"form.votes_{k}", lang),
                                value=num_text(pv[p][n]) if p in pv else "",
                            ),
                        ],
                        md=3,
                    )
                    for n, k in enumerate(VOTE_KINDS)
                ],
            ],
            className="g-1 mb-1",
        )
        for p in PARTIES
    ]


def _outcome_row(i: int, item: ItemInput, lang: str) -> dbc.Row:
    return dbc.Row(
        [
            labelled_field(
                t("form.outcome", lang),
                select_field("outcome", [(o, outcome_label(o, lang)) for o in OUTCOMES], item.outcome, lang, i),
                "outcome",
                i,
                md=3,
                lang=lang,
            ),
            labelled_field(
                t("form.resolution", lang),
                dbc.Textarea(id=fid("resolution", i), value=item.resolution, rows=2, size="sm"),
                "resolution",
                i,
                md=9,
                lang=lang,
            ),
        ],
        className="g-2",
    )


def _work_orders_field(i: int, item: ItemInput, orders: Sequence[OrderOption], lang: str) -> dbc.Col:
    """The hotline work orders the item concerns, picked from the compound's recent ones."""
    return labelled_field(
        t("form.work_orders", lang),
        dcc.Dropdown(
            id=fid("work_orders", i),
            options=[
                {"label": f"{o.order_no} · {day(o.received_on, lang)} · {o.summary}", "value": o.id} for o in orders
            ],
            value=list(item.work_order_ids),
            multi=True,
        ),
        "work_orders",
        i,
        className="mb-2",
        lang=lang,
    )


def _item_follow_ups(i: int, item: ItemInput, lang: str) -> list[Any]:
    """The item's follow-up rows under their heading, their feedback slot and the button adding one."""
    return [
        html.Div(t("form.follow_ups", lang), className="small fw-semibold mt-2"),
        html.Div(
            [follow_up_row(i, j, f, lang) for j, f in enumerate(item.follow_ups)],
            id={"type": "cf-fus", "item": i},
        ),
        fb("follow_ups", i),
        dbc.Button(
            t("form.add_follow_up", lang),
            id={"type": "cf-add-fu", "item": i},
            size="sm",
            color="secondary",
            outline=True,
        ),
    ]
