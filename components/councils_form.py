"""The meeting form (/councils/edit): the meeting's fields and attendees around its agenda item blocks, and
the panel of open items to carry over from earlier meetings. Ids: see `councils_form_fields`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.councils_common import outcome_label, party_label
from components.councils_form_fields import fb, fid, labelled_field
from components.formatting import day, listing
from components.i18n import t
from data_access.core.clock import CITY_TZ
from data_access.council_access import PARTIES
from data_access.councils import CarryCandidate

# --------------------------------------------------------------------------- attendees and carrying over


def attendee_text(names: list[tuple[str, str | None]]) -> str:
    return "\n".join(n + (f"，{r}" if r else "") for n, r in names)


def missing_parties_note(missing: Sequence[str], lang: str) -> html.Div:
    if not missing:
        return html.Div(t("form.all_present", lang), className="small text-success")
    return html.Div(
        t("form.missing", lang, parties=listing((party_label(p, lang) for p in missing), lang)),
        className="small text-warning-emphasis bg-warning-subtle rounded px-2 py-1",
    )


def carry_panel(candidates: Sequence[CarryCandidate], lang: str, taken: set[int]) -> dbc.Card:
    rows = [
        html.Li(
            [
                html.Span(f"{day(c.held_on, lang)} · {c.title} · {outcome_label(c.outcome, lang)}", className="me-2"),
                dbc.Button(
                    t("form.carry_add", lang),
                    id={"type": "cf-carry", "src": c.item_id},
                    size="sm",
                    color="secondary",
                    outline=True,
                    disabled=c.item_id in taken,
                ),
            ],
            className="mb-1",
        )
        for c in candidates
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("form.carry_title", lang), className="h6"),
                html.Ul(rows, className="ps-3 mb-0")
                if rows
                else html.Div(t("form.carry_none", lang), className="small text-muted"),
            ]
        ),
        className="shadow-sm mb-3",
        id="carry-panel",
    )


# --------------------------------------------------------------------------- the whole form


def meeting_form(
    *,
    lang: str,
    title: str,
    compound_control: Any,
    held_at: datetime | None,
    status: str,
    venue: str,
    convener: str,
    attendees: dict[str, list[tuple[str, str | None]]],
    items: Sequence[dbc.Card],
    carry: dbc.Card | None,
) -> html.Div:
    return html.Div(
        [
            html.Div(
                [
                    html.H1(title, id="page-title"),
                    html.Div(
                        [html.Span("*", className="text-danger"), " ", t("form.required_note", lang)],
                        className="small text-muted",
                        id="cf-required-note",
                    ),
                ],
                className="page-head my-3",
            ),
            dbc.Card(
                dbc.CardBody(
                    [
                        _when_row(compound_control, held_at, status, lang),
                        _venue_row(venue, convener, lang),
                        *_attendee_fields(attendees, lang),
                    ]
                ),
                className="shadow-sm mb-3",
            ),
            carry,
            html.H2(t("form.items", lang), className="h6"),
            html.Div(list(items), id="cf-items"),
            fb("items"),
            dbc.Button(
                t("form.add_item", lang), id="cf-add-item", size="sm", color="secondary", outline=True, className="mb-3"
            ),
            html.Div(
                [
                    # The save's summary sits in the sticky bar with the button, so it is never under it.
                    html.Div(id="cf-status", style={"maxHeight": "30vh", "overflowY": "auto"}),
                    html.Div(
                        [
                            dbc.Button(t("form.save", lang), id="cf-save", color="primary", className="me-2"),
                            dcc.Link(t("form.cancel", lang), href="/councils", className="btn btn-outline-secondary"),
                        ]
                    ),
                ],
                className="form-actions py-3",
            ),
        ]
    )


def _when_row(compound_control: Any, held_at: datetime | None, status: str, lang: str) -> dbc.Row:
    """The compound, the local day and time of the meeting, and whether it was held or is planned."""
    local = held_at.astimezone(CITY_TZ) if held_at else None
    return dbc.Row(
        [
            dbc.Col(compound_control, md=4),
            labelled_field(
                t("form.date", lang),
                dbc.Input(
                    id=fid("date"),
                    type="date",
                    size="sm",
                    value=local.date().isoformat() if local else "",
                ),
                "date",
                md=2,
                lang=lang,
            ),
            labelled_field(
                t("form.time", lang),
                dbc.Input(id=fid("time"), type="time", size="sm", value=f"{local:%H:%M}" if local else ""),
                "time",
                md=2,
                lang=lang,
            ),
            labelled_field(
                t("form.status", lang),
                dbc.RadioItems(
                    id=fid("status"),
                    name="cf-status",  # one group: a single Tab stop, the arrow keys move between the choices
                    options=[{"label": t(f"status.{s}", lang), "value": s} for s in ("held", "planned")],
                    value=status,
                    inline=True,
                    className="small",
                ),
                "status",
                md=4,
                lang=lang,
            ),
        ],
        className="g-2",
    )


def _venue_row(venue: str, convener: str, lang: str) -> dbc.Row:
    return dbc.Row(
        [
            labelled_field(
                t("form.venue", lang),
                dbc.Input(id=fid("venue"), value=venue, size="sm", maxLength=240),
                "venue",
                md=6,
                lang=lang,
            ),
            labelled_field(
                t("form.convener", lang),
                dbc.Input(id=fid("convener"), value=convener, size="sm", maxLength=120),
                "convener",
                md=6,
                lang=lang,
            ),
        ],
        className="g-2",
    )


def _attendee_fields(attendees: dict[str, list[tuple[str, str | None]]], lang: str) -> list[Any]:
    """One text box per party (a name per line, "name，role"), then the note on parties still absent."""
    present = [p for p in PARTIES if attendees.get(p)]
    return [
        html.Div(t("form.attendees", lang), className="small fw-semibold mt-2 mb-1"),
        dbc.Row(
            [
                labelled_field(
                    party_label(p, lang),
                    dbc.Textarea(id=fid(f"att_{p}"), value=attendee_text(attendees.get(p, [])), rows=3, size="sm"),
                    f"att_{p}",
                    xs=12,
                    sm=6,
                    lg=3,
                    lang=lang,
                )
                for p in PARTIES
            ],
            className="g-2",
        ),
        html.Div(
            missing_parties_note([p for p in PARTIES if p not in present], lang),
            id="cf-missing",
            className="mt-2",
        ),
        fb("attendees"),
    ]
