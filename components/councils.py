"""Four-party council module: filters, roll-up cards, lists, the meeting view and the meeting form.

Pure functions of plain data (query rows, views, input dataclasses). Every text a person typed is
passed to Dash as a string child or a grid cell value, so markup in it is shown, never executed.

Form fields share one id shape, {"type": "cf", "field": name, "item": i, "fu": j} (i, j = -1 where
they do not apply), so the save callback reads the whole form with one pattern-matching State;
each field has a feedback slot {"type": "cf-fb", ...same keys} for its error message.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html
from openpyxl import Workbook

from components.filters import AG_GRID_ZH, append_row
from components.formatting import count, day, percent
from components.i18n import t
from components.overview import kpi_card
from data_access.core.clock import CITY_TZ
from data_access.core.models import AgendaCategory, AgendaOutcome, AttachmentKind, FollowUpStatus
from data_access.council_access import PARTIES
from data_access.council_records import FollowUpInput, ItemInput
from data_access.councils import (
    CarryCandidate,
    CouncilRollup,
    FollowUpRow,
    HistoryEntry,
    ItemRow,
    MeetingRow,
    MeetingView,
    OrderOption,
)
from data_access.geography import CityRow

CATEGORIES = tuple(c.value for c in AgendaCategory)
OUTCOMES = tuple(o.value for o in AgendaOutcome)
FU_STATUSES = tuple(s.value for s in FollowUpStatus)
KINDS = tuple(k.value for k in AttachmentKind)
ROOT = -1  # item/fu index of meeting-level fields


def party_label(party: str, lang: str) -> str:
    return t(f"party.{party}", lang)


def category_label(category: str, lang: str) -> str:
    return t(f"red_property.category.{category}", lang)


def outcome_label(outcome: str | None, lang: str) -> str:
    return t(f"red_property.outcome.{outcome or 'none'}", lang)


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def local_time(at: datetime, lang: str) -> str:
    local = at.astimezone(CITY_TZ)
    return f"{day(local.date(), lang)} {local:%H:%M}"


# --------------------------------------------------------------------------- list page


def _labelled(label: str, control: object, md: int) -> dbc.Col:
    return dbc.Col([dbc.Label(label, className="small text-muted mb-1"), control], xs=12, sm=6, md=md)


def compound_picker_options(compounds: Sequence[tuple[int, str]], lang: str) -> list[dict[str, Any]]:
    """The compound filter's options: "all compounds", then the names given (the first few, or those a search
    found on the server: a province has too many compounds to send them all)."""
    return [{"label": t("councils.filter.all_compounds", lang), "value": ""}] + [
        {"label": name, "value": str(cid)} for cid, name in compounds
    ]


def council_filter_bar(
    *,
    lang: str,
    cities: Sequence[CityRow],
    may_see_province: bool,
    city_code: str | None,
    districts: Sequence[tuple[int, str]],
    district_id: int | None,
    compounds: Sequence[tuple[int, str]],
    compound_id: int | None,
    category: str | None,
    outcome: str | None,
    first: date | None,
    last: date | None,
) -> dbc.Row:
    city_options = [{"label": t("app.province", lang), "value": "province"}] if may_see_province else []
    city_options += [{"label": c.name if lang == "zh" else c.name_en, "value": c.code} for c in cities]

    def options(all_key: str, pairs: Sequence[tuple[Any, str]]) -> list[dict[str, Any]]:
        return [{"label": t(all_key, lang), "value": ""}] + [{"label": label, "value": str(v)} for v, label in pairs]

    return dbc.Row(
        [
            _labelled(
                t("filter.city", lang),
                dcc.Dropdown(id="cl-city", options=city_options, value=city_code or "province", clearable=False),
                2,
            ),
            _labelled(
                t("filter.district", lang),
                dcc.Dropdown(
                    id="cl-district",
                    options=options("filter.all_districts", districts),
                    value=str(district_id) if district_id else "",
                    clearable=False,
                    disabled=not districts,
                ),
                2,
            ),
            _labelled(
                t("councils.filter.compound", lang),
                dcc.Dropdown(
                    id="cl-compound",
                    options=compound_picker_options(compounds, lang),
                    value=str(compound_id) if compound_id else "",
                    clearable=False,
                    placeholder=t("councils.filter.compound_search", lang),
                ),
                3,
            ),
            _labelled(
                t("councils.filter.category", lang),
                dcc.Dropdown(
                    id="cl-category",
                    options=options(
                        "councils.filter.all_categories", [(c, category_label(c, lang)) for c in CATEGORIES]
                    ),
                    value=category or "",
                    clearable=False,
                ),
                2,
            ),
            _labelled(
                t("councils.filter.outcome", lang),
                dcc.Dropdown(
                    id="cl-outcome",
                    options=options("councils.filter.all_outcomes", [(o, outcome_label(o, lang)) for o in OUTCOMES]),
                    value=outcome or "",
                    clearable=False,
                ),
                3,
            ),
            _labelled(
                t("councils.filter.from", lang),
                html.Div(
                    [
                        dbc.Input(
                            id="cl-from",
                            type="date",
                            value=first.isoformat() if first else "",
                            size="sm",
                            debounce=True,
                        ),
                        html.Span("–", className="px-1"),
                        dbc.Input(
                            id="cl-to", type="date", value=last.isoformat() if last else "", size="sm", debounce=True
                        ),
                    ],
                    className="d-flex align-items-center",
                ),
                4,
            ),
        ],
        className="g-2 mb-3 filter-bar",
    )


def rollup_cards(r: CouncilRollup, lang: str) -> dbc.Row:
    """The roll-up of the filtered area or compound: the same queries the red-property page uses."""
    as_of = t("overview.as_of", lang, date=day(r.as_of, lang))
    year = r.as_of.year
    median = r.resolve.median_days
    cards = [
        kpi_card(
            "councils-card-meetings",
            t("councils.card.meetings", lang, year=year),
            count(r.meetings_in_year, lang),
            [t("councils.card.meetings.note", lang, n=count(r.incomplete_meetings_in_year, lang))],
            as_of,
        ),
        kpi_card(
            "councils-card-items",
            t("councils.card.items", lang, year=year),
            count(r.items_in_year, lang),
            [
                t(
                    "councils.card.items.note",
                    lang,
                    resolved=count(r.resolved_in_year, lang),
                    total=count(r.resolved_total, lang),
                )
            ],
            as_of,
        ),
        kpi_card(
            "councils-card-resolve",
            t("councils.card.resolve", lang),
            t("councils.days", lang, n=median) if median is not None else "—",
            [
                t("councils.card.resolve.note", lang, mean=r.resolve.mean_days)
                if r.resolve.mean_days is not None
                else None
            ],
            as_of,
        ),
        kpi_card(
            "councils-card-completion",
            t("councils.card.completion", lang),
            percent(r.follow_up_completion, lang),
            [
                t(
                    "councils.card.completion.note",
                    lang,
                    due=count(r.follow_ups_due, lang),
                    done=count(r.follow_ups_done_when_due, lang),
                )
            ],
            as_of,
        ),
        kpi_card(
            "councils-card-overdue",
            t("councils.card.overdue", lang),
            count(r.overdue_follow_ups, lang),
            [t("councils.card.overdue.note", lang)],
            as_of,
        ),
    ]
    return dbc.Row([dbc.Col(c, xs=12, sm=6, lg=True) for c in cards], className="g-3 mb-3")


def _grid(
    grid_id: str,
    columns: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    lang: str,
    file_name: str,
    may_export: bool,
    more_exports: list[Any] | None = None,
) -> html.Div:
    """A list with its row key "meeting_id:row_id", so a click can open the row's meeting."""
    tools: list[Any] = []
    if may_export:
        tools.append(dbc.Button(t("export.csv", lang), id=f"{grid_id}-csv", size="sm", color="secondary", outline=True))
        tools += more_exports or []
    return html.Div(
        [
            html.Div(tools, className="d-flex justify-content-end mb-2") if tools else None,
            dag.AgGrid(
                id=grid_id,
                columnDefs=[{"headerTooltip": c["headerName"], **c} for c in columns],
                rowData=rows,
                # flex fills the width without sizeColumnsToFit, which warns for the lists in hidden tabs.
                # Up to eleven columns share the card, so long names and titles are cut: hovering shows them whole.
                defaultColDef={
                    "sortable": True,
                    "resizable": True,
                    "filter": False,
                    "minWidth": 90,
                    "flex": 1,
                    "tooltipValueGetter": {"function": "params.value"},
                },
                getRowId="params.data.row_key",
                dashGridOptions={
                    "tooltipShowDelay": 300,
                    "pagination": True,
                    "paginationPageSize": 20,
                    "animateRows": False,
                    **({"localeText": AG_GRID_ZH} if lang == "zh" else {}),
                },
                csvExportParams={
                    "fileName": f"{file_name}.csv",
                    "processCellCallback": {"function": "csvSafe(params.value)"},
                    "processHeaderCallback": {"function": "csvSafe(params.column.getColDef().headerName)"},
                },
                className="ag-theme-alpine",
                style={"height": "560px"},
            ),
        ]
    )


def _link_col(field: str, header: str, **extra: Any) -> dict[str, Any]:
    return {"field": field, "headerName": header, "cellClass": "compound-link", **extra}


def item_columns(lang: str) -> list[dict[str, Any]]:
    return [
        {"field": "held_on", "headerName": t("councils.col.held_on", lang), "minWidth": 124, "sort": "desc"},
        {"field": "compound", "headerName": t("councils.col.compound", lang), "minWidth": 110},
        {"field": "district", "headerName": t("councils.col.district", lang), "minWidth": 90},
        _link_col("title", t("councils.col.title", lang), minWidth=180),
        {"field": "category", "headerName": t("councils.col.category", lang)},
        {"field": "raised_by", "headerName": t("councils.col.raised_by", lang)},
        {"field": "method", "headerName": t("councils.col.method", lang)},
        {"field": "outcome", "headerName": t("councils.col.outcome", lang)},
        {"field": "follow_ups", "headerName": t("councils.col.follow_ups", lang)},
        {
            "field": "overdue",
            "headerName": t("councils.col.overdue", lang),
            "type": "rightAligned",
            "cellClassRules": {"text-danger fw-bold": "params.value > 0"},
        },
        {"field": "published", "headerName": t("councils.col.published", lang)},
    ]


def item_rows(rows: list[ItemRow], lang: str) -> list[dict[str, Any]]:
    return [
        {
            "row_key": f"{r.meeting_id}:{r.item_id}",
            "held_on": r.held_on.isoformat(),
            "compound": r.compound,
            "district": r.district if lang == "zh" else r.district_en,
            "title": r.title,
            "category": category_label(r.category, lang),
            "raised_by": party_label(r.raising_party, lang),
            "method": t(f"method.{r.decision_method}", lang) if r.decision_method else "—",
            "outcome": outcome_label(r.outcome, lang),
            "follow_ups": f"{r.follow_ups_done}/{r.follow_ups}",
            "overdue": r.overdue,
            "published": t("councils.yes" if r.published else "councils.no", lang),
        }
        for r in rows
    ]


def items_grid(rows: list[ItemRow], lang: str, may_export: bool) -> html.Div:
    """Agenda items; clicking a title opens its meeting (the view checks access itself)."""
    excel = [
        dbc.Button(
            t("councils.export_xlsx", lang),
            id="councils-items-xlsx",
            size="sm",
            color="secondary",
            outline=True,
            className="ms-2",
        ),
        dcc.Download(id="councils-items-download"),
    ]
    return _grid(
        "councils-items-grid", item_columns(lang), item_rows(rows, lang), lang, "council-items", may_export, excel
    )


def items_xlsx(rows: list[ItemRow], lang: str) -> bytes:
    """Every item matching the filters (not only those on screen), as an Excel workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = t("councils.tab.items", lang)[:31]
    columns = item_columns(lang)
    append_row(ws, [c["headerName"] for c in columns])
    for row in item_rows(rows, lang):
        append_row(ws, [row[c["field"]] for c in columns])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def meetings_grid(rows: list[MeetingRow], lang: str, may_export: bool) -> html.Div:
    columns = [
        _link_col("held_at", t("councils.col.held_on", lang), minWidth=140, sort="desc"),
        {"field": "compound", "headerName": t("councils.col.compound", lang)},
        {"field": "district", "headerName": t("councils.col.district", lang)},
        {"field": "status", "headerName": t("councils.col.status", lang)},
        {"field": "venue", "headerName": t("councils.col.venue", lang)},
        {"field": "convener", "headerName": t("councils.col.convener", lang)},
        {
            "field": "missing",
            "headerName": t("councils.col.missing", lang),
            "minWidth": 140,
            "cellClassRules": {"text-danger": f"params.value !== '{t('councils.complete', lang)}'"},
        },
        {"field": "items", "headerName": t("councils.col.items", lang), "type": "rightAligned"},
        {"field": "resolved", "headerName": t("councils.col.resolved", lang), "type": "rightAligned"},
        {"field": "published", "headerName": t("councils.col.published", lang)},
    ]
    data = [
        {
            "row_key": f"{r.meeting_id}:0",
            "held_at": r.held_at.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M"),
            "compound": r.compound,
            "district": r.district if lang == "zh" else r.district_en,
            "status": t(f"status.{r.status}", lang),
            "venue": r.venue,
            "convener": r.convener,
            "missing": "、".join(party_label(p, lang) for p in r.missing_parties) or t("councils.complete", lang),
            "items": r.items,
            "resolved": r.resolved,
            "published": t("councils.yes" if r.published else "councils.no", lang),
        }
        for r in rows
    ]
    return _grid("councils-meetings-grid", columns, data, lang, "council-meetings", may_export)


def follow_ups_grid(rows: list[FollowUpRow], lang: str, may_export: bool) -> html.Div:
    columns: list[dict[str, Any]] = [
        {
            "field": "due_on",
            "headerName": t("councils.col.due_on", lang),
            "minWidth": 110,
            "sort": "asc",
            "cellClass": "text-danger fw-bold",
        },
        {"field": "compound", "headerName": t("councils.col.compound", lang)},
        _link_col("item", t("councils.col.title", lang), minWidth=160),
        {"field": "action", "headerName": t("councils.col.action", lang), "minWidth": 160},
        {"field": "owner", "headerName": t("councils.col.owner", lang)},
        {"field": "contact", "headerName": t("councils.col.contact", lang)},
        {"field": "status", "headerName": t("councils.col.fu_status", lang)},
        {"field": "held_on", "headerName": t("councils.col.held_on", lang)},
    ]
    data = [
        {
            "row_key": f"{r.meeting_id}:{r.follow_up_id}",
            "due_on": r.due_on.isoformat(),
            "compound": r.compound,
            "item": r.item_title,
            "action": r.action,
            "owner": party_label(r.owner_party, lang),
            "contact": r.contact_name or "—",
            "status": t(f"fu.{r.status}", lang),
            "held_on": r.held_on.isoformat(),
        }
        for r in rows
    ]
    return _grid("councils-overdue-grid", columns, data, lang, "council-overdue-follow-ups", may_export)


# --------------------------------------------------------------------------- meeting view


def _party_badge(text: str, colour: str = "secondary") -> dbc.Badge:
    return dbc.Badge(text, color=colour, className="me-1 fw-normal")


def meeting_header(v: MeetingView, lang: str) -> html.Div:
    local = v.held_at.astimezone(CITY_TZ)
    badges = [_party_badge(t(f"status.{v.status}", lang), "dark" if v.status == "held" else "info")]
    if v.missing_parties and v.convener is not None:
        parties = "、".join(party_label(p, lang) for p in v.missing_parties)
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
        names = [a.name + (f"（{a.role}）" if a.role else "") for a in v.attendees if a.party == party]
        rows.append(
            html.Tr(
                [
                    html.Th(party_label(party, lang), className="text-nowrap fw-normal text-muted", scope="row"),
                    html.Td(
                        "、".join(names) if names else t("meeting.no_attendees", lang),
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


def _follow_up_line(f: Any, lang: str, editable: bool, today: date) -> html.Li:
    state = t(f"fu.{f.status}", lang)
    if f.status == "done" and f.completed_on:
        state = t("meeting.completed_on", lang, date=f.completed_on.isoformat())
    parts: list[Any] = [
        html.Span(party_label(f.owner_party, lang), className="fw-semibold me-2"),
        html.Span(f.action, className="me-2"),
        html.Span(f"（{f.contact_name}）" if f.contact_name else "", className="text-muted me-2"),
        html.Span(f"{t('form.due_on', lang)} {f.due_on.isoformat()}", className="me-2"),
        _party_badge(state, "success" if f.status == "done" else "secondary"),
    ]
    if f.overdue:
        parts.append(_party_badge(t("meeting.overdue", lang), "danger"))
    if editable and f.status != "done":
        parts.append(
            html.Span(
                [
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
    cards = []
    for n, i in enumerate(v.items, start=1):
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
                f"{t('form.raising_party', lang)}{_colon(lang)}{party_label(i.raising_party, lang)}",
                className="small text-muted mb-1",
            ),
        ]
        if i.carried_from:
            body.append(
                html.Div(
                    dcc.Link(
                        t("meeting.carried_from", lang, date=i.carried_from.held_on.isoformat()),
                        href=f"/councils/meeting?id={i.carried_from.meeting_id}",
                    ),
                    className="small",
                )
            )
        for link in i.carried_to:
            body.append(
                html.Div(
                    dcc.Link(
                        t("meeting.carried_to", lang, date=link.held_on.isoformat()),
                        href=f"/councils/meeting?id={link.meeting_id}",
                    ),
                    className="small",
                )
            )
        for key, text in (
            ("meeting.description", i.description),
            ("meeting.discussion", i.discussion),
            ("meeting.resolution", i.resolution),
        ):
            if text:
                body.append(
                    html.Div(
                        [
                            html.Span(t(key, lang) + _colon(lang), className="text-muted"),
                            html.Span(text, className="pre-wrap"),
                        ],
                        className="mb-1",
                    )
                )
        if i.decision_method == "vote":
            body.append(
                html.Div(
                    t("meeting.votes", lang, f=i.votes_for, a=i.votes_against, ab=i.votes_abstain),
                    className="mb-1 vote-line",
                )
            )
            for pv in i.party_votes:
                body.append(
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
        elif i.decision_method:
            body.append(html.Div(t("method.consensus", lang), className="mb-1 small"))
        if i.work_orders:
            body.append(
                html.Div(
                    [
                        html.Span(t("meeting.work_orders", lang) + _colon(lang), className="text-muted"),
                        " ".join(f"{o.order_no}（{o.received_on.isoformat()}）" for o in i.work_orders),
                    ],
                    className="small mb-1",
                )
            )
        follow = [_follow_up_line(f, lang, v.editable, today) for f in i.follow_ups]
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
        cards.append(dbc.Card(dbc.CardBody(body), className="shadow-sm mb-2", id=f"item-{i.id}"))
    return html.Div([html.H2(t("meeting.items", lang), className="h6 mt-2"), *cards], id="meeting-items")


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
            dbc.Label(t("meeting.upload", lang), className="small text-muted mb-1"),
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
    if v.editable and v.status == "held":
        decided = [i for i in v.items if i.outcome]
        start = v.notice_from or max(today, v.held_on)
        body += [
            dbc.Label(t("meeting.notice_items", lang), className="small text-muted mb-1"),
            dbc.Checklist(
                id="notice-items",
                options=[{"label": i.title, "value": i.id} for i in decided],
                value=[i.id for i in decided if i.published or not v.published],
                className="small mb-2",
            ),
            html.Div(id="notice-items-fb", className="invalid-feedback d-block"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(t("meeting.notice_from", lang), className="small text-muted mb-1"),
                            dbc.Input(id="notice-from", type="date", value=start.isoformat(), size="sm"),
                            html.Div(id="notice-from-fb", className="invalid-feedback d-block"),
                        ]
                    ),
                    dbc.Col(
                        [
                            dbc.Label(t("meeting.notice_to", lang), className="small text-muted mb-1"),
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
    return dbc.Card(dbc.CardBody(body), className="shadow-sm mb-3")


def _change_value(value: Any, lang: str) -> str:
    if value is None or value == "":
        return "—"
    return str(value)


def history_card(entries: list[HistoryEntry], lang: str) -> dbc.Card:
    rows = []
    for e in entries:
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
        rows.append(
            html.Tr(
                [
                    html.Td(e.at.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M"), className="text-nowrap small"),
                    html.Td(e.username or "—", className="small"),
                    html.Td(
                        f"{t('action.' + e.action, lang)} {t('entity.' + e.entity, lang)}"
                        + (f"「{e.label}」" if e.label else ""),
                        className="small",
                    ),
                    html.Td(changes),
                ]
            )
        )
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


# --------------------------------------------------------------------------- the form


def fid(field: str, item: int = ROOT, fu: int = ROOT) -> dict[str, Any]:
    return {"type": "cf", "field": field, "item": item, "fu": fu}


def fb(field: str, item: int = ROOT, fu: int = ROOT) -> html.Div:
    return html.Div(id={"type": "cf-fb", "field": field, "item": item, "fu": fu}, className="invalid-feedback d-block")


def _field(label: str, control: Any, name: str, item: int = ROOT, fu: int = ROOT, **col: Any) -> dbc.Col:
    return dbc.Col([dbc.Label(label, className="small mb-1"), control, fb(name, item, fu)], **col)


def _select(
    name: str, options: list[tuple[str, str]], value: str | None, lang: str, item: int = ROOT, fu: int = ROOT
) -> dbc.Select:
    return dbc.Select(
        id=fid(name, item, fu),
        options=[{"label": lbl, "value": v} for v, lbl in options],
        value=value or "",
        placeholder=t("form.choose", lang),
        size="sm",
    )


def _hidden(name: str, value: Any, item: int = ROOT, fu: int = ROOT) -> dcc.Input:
    return dcc.Input(id=fid(name, item, fu), type="hidden", value="" if value is None else str(value))


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


def follow_up_row(i: int, j: int, f: FollowUpInput, lang: str) -> html.Div:
    parties = [(p, party_label(p, lang)) for p in PARTIES]
    return html.Div(
        [
            _hidden("fu_id", f.id, i, j),
            _hidden("fu_removed", "", i, j),
            dbc.Row(
                [
                    _field(
                        t("form.owner_party", lang),
                        _select("owner_party", parties, f.owner_party, lang, i, j),
                        "owner_party",
                        i,
                        j,
                        md=2,
                    ),
                    _field(
                        t("form.action", lang),
                        dbc.Input(id=fid("action", i, j), value=f.action, size="sm", maxLength=400),
                        "action",
                        i,
                        j,
                        md=3,
                    ),
                    _field(
                        t("form.contact", lang),
                        dbc.Input(id=fid("contact_name", i, j), value=f.contact_name, size="sm", maxLength=120),
                        "contact_name",
                        i,
                        j,
                        md=2,
                    ),
                    _field(
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
                    ),
                    _field(
                        t("form.fu_status", lang),
                        _select("fu_status", [(s, t(f"fu.{s}", lang)) for s in FU_STATUSES], f.status, lang, i, j),
                        "fu_status",
                        i,
                        j,
                        md=1,
                    ),
                    _field(
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
                    ),
                ],
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


def item_block(
    i: int,
    item: ItemInput,
    lang: str,
    orders: Sequence[OrderOption],
    carried_label: str | None = None,
) -> dbc.Card:
    parties = [(p, party_label(p, lang)) for p in PARTIES]
    pv = item.party_votes
    party_vote_rows = [
        dbc.Row(
            [
                dbc.Col(party_label(p, lang), md=3, className="small pt-1"),
                *[
                    dbc.Col(
                        dbc.Input(
                            id=fid(f"pv_{k}_{p}", i),
                            type="number",
                            min=0,
                            step=1,
                            size="sm",
                            placeholder=t(f"form.votes_{k}", lang),
                            value=_num(pv[p][n]) if p in pv else "",
                        ),
                        md=3,
                    )
                    for n, k in enumerate(("for", "against", "abstain"))
                ],
            ],
            className="g-1 mb-1",
        )
        for p in PARTIES
    ]
    vote = item.decision_method == "vote"
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
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
                ),
                _hidden("item_id", item.id, i),
                _hidden("carried_from", item.carried_from_id, i),
                _hidden("removed", "", i),
                html.Div(carried_label, className="small text-muted mb-2 carried-note") if carried_label else None,
                dbc.Row(
                    [
                        _field(
                            t("form.title", lang),
                            dbc.Input(id=fid("title", i), value=item.title, size="sm", maxLength=240),
                            "title",
                            i,
                            md=6,
                        ),
                        _field(
                            t("form.category", lang),
                            _select(
                                "category", [(c, category_label(c, lang)) for c in CATEGORIES], item.category, lang, i
                            ),
                            "category",
                            i,
                            md=3,
                        ),
                        _field(
                            t("form.raising_party", lang),
                            _select("raising_party", parties, item.raising_party, lang, i),
                            "raising_party",
                            i,
                            md=3,
                        ),
                    ],
                    className="g-2",
                ),
                dbc.Row(
                    [
                        _field(
                            t("form.description", lang),
                            dbc.Textarea(id=fid("description", i), value=item.description, rows=2, size="sm"),
                            "description",
                            i,
                            md=6,
                        ),
                        _field(
                            t("form.discussion", lang),
                            dbc.Textarea(id=fid("discussion", i), value=item.discussion, rows=2, size="sm"),
                            "discussion",
                            i,
                            md=6,
                        ),
                    ],
                    className="g-2",
                ),
                dbc.Row(
                    [
                        _field(
                            t("form.method", lang),
                            dbc.RadioItems(
                                id=fid("decision_method", i),
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
                        ),
                        dbc.Col(
                            html.Div(
                                [
                                    dbc.Row(
                                        [
                                            dbc.Col(
                                                [
                                                    dbc.Label(t(f"form.votes_{k}", lang), className="small mb-1"),
                                                    dbc.Input(
                                                        id=fid(f"votes_{k}", i),
                                                        type="number",
                                                        min=0,
                                                        step=1,
                                                        size="sm",
                                                        value=_num(getattr(item, f"votes_{k}")),
                                                    ),
                                                ]
                                            )
                                            for k in ("for", "against", "abstain")
                                        ],
                                        className="g-1",
                                    ),
                                    fb("votes", i),
                                    html.Details(
                                        [
                                            html.Summary(t("form.party_votes", lang), className="small text-muted"),
                                            *party_vote_rows,
                                            fb("party_votes", i),
                                        ],
                                        open=bool(pv),
                                        className="mt-1",
                                    ),
                                ],
                                id={"type": "cf-votes", "item": i},
                                style={} if vote else {"display": "none"},
                            ),
                            md=9,
                        ),
                    ],
                    className="g-2",
                ),
                dbc.Row(
                    [
                        _field(
                            t("form.outcome", lang),
                            _select("outcome", [(o, outcome_label(o, lang)) for o in OUTCOMES], item.outcome, lang, i),
                            "outcome",
                            i,
                            md=3,
                        ),
                        _field(
                            t("form.resolution", lang),
                            dbc.Textarea(id=fid("resolution", i), value=item.resolution, rows=2, size="sm"),
                            "resolution",
                            i,
                            md=9,
                        ),
                    ],
                    className="g-2",
                ),
                _field(
                    t("form.work_orders", lang),
                    dcc.Dropdown(
                        id=fid("work_orders", i),
                        options=[
                            {"label": f"{o.order_no} · {o.received_on.isoformat()} · {o.summary}", "value": o.id}
                            for o in orders
                        ],
                        value=list(item.work_order_ids),
                        multi=True,
                    ),
                    "work_orders",
                    i,
                    className="mb-2",
                ),
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
        ),
        id={"type": "cf-item", "item": i},
        className="shadow-sm mb-3 item-block",
    )


def attendee_text(names: list[tuple[str, str | None]]) -> str:
    return "\n".join(n + (f"，{r}" if r else "") for n, r in names)


def missing_parties_note(missing: Sequence[str], lang: str) -> html.Div:
    if not missing:
        return html.Div(t("form.all_present", lang), className="small text-success")
    return html.Div(
        t("form.missing", lang, parties="、".join(party_label(p, lang) for p in missing)),
        className="small text-warning-emphasis bg-warning-subtle rounded px-2 py-1",
    )


def carry_panel(candidates: Sequence[CarryCandidate], lang: str, taken: set[int]) -> dbc.Card:
    rows = [
        html.Li(
            [
                html.Span(f"{c.held_on.isoformat()} · {c.title} · {outcome_label(c.outcome, lang)}", className="me-2"),
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
    local = held_at.astimezone(CITY_TZ) if held_at else None
    present = [p for p in PARTIES if attendees.get(p)]
    return html.Div(
        [
            html.Div(html.H1(title, id="page-title"), className="page-head my-3"),
            dbc.Card(
                dbc.CardBody(
                    [
                        dbc.Row(
                            [
                                dbc.Col(compound_control, md=4),
                                _field(
                                    t("form.date", lang),
                                    dbc.Input(
                                        id=fid("date"),
                                        type="date",
                                        size="sm",
                                        value=local.date().isoformat() if local else "",
                                    ),
                                    "date",
                                    md=2,
                                ),
                                _field(
                                    t("form.time", lang),
                                    dbc.Input(
                                        id=fid("time"), type="time", size="sm", value=f"{local:%H:%M}" if local else ""
                                    ),
                                    "time",
                                    md=2,
                                ),
                                _field(
                                    t("form.status", lang),
                                    dbc.RadioItems(
                                        id=fid("status"),
                                        options=[
                                            {"label": t(f"status.{s}", lang), "value": s} for s in ("held", "planned")
                                        ],
                                        value=status,
                                        inline=True,
                                        className="small",
                                    ),
                                    "status",
                                    md=4,
                                ),
                            ],
                            className="g-2",
                        ),
                        dbc.Row(
                            [
                                _field(
                                    t("form.venue", lang),
                                    dbc.Input(id=fid("venue"), value=venue, size="sm", maxLength=240),
                                    "venue",
                                    md=6,
                                ),
                                _field(
                                    t("form.convener", lang),
                                    dbc.Input(id=fid("convener"), value=convener, size="sm", maxLength=120),
                                    "convener",
                                    md=6,
                                ),
                            ],
                            className="g-2",
                        ),
                        html.Div(t("form.attendees", lang), className="small fw-semibold mt-2 mb-1"),
                        dbc.Row(
                            [
                                _field(
                                    party_label(p, lang),
                                    dbc.Textarea(
                                        id=fid(f"att_{p}"), value=attendee_text(attendees.get(p, [])), rows=3, size="sm"
                                    ),
                                    f"att_{p}",
                                    xs=12,
                                    sm=6,
                                    lg=3,
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
            html.Div(id="cf-status"),
            html.Div(
                [
                    dbc.Button(t("form.save", lang), id="cf-save", color="primary", className="me-2"),
                    dcc.Link(t("form.cancel", lang), href="/councils", className="btn btn-outline-secondary"),
                ],
                className="form-actions py-3",
            ),
        ]
    )
