"""The council list page: its filter bar and the three lists (items, meetings, overdue follow-ups).

Every list's row key is "meeting_id:row_id", so a click on a row can open the row's meeting.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html
from openpyxl import Workbook

from components.councils_common import CATEGORIES, OUTCOMES, category_label, outcome_label, party_label
from components.filters import AG_GRID_ZH, append_row
from components.formatting import listing
from components.i18n import t
from data_access.core.clock import CITY_TZ
from data_access.councils import FollowUpRow, ItemRow, MeetingRow
from data_access.geography import CityRow

# --------------------------------------------------------------------------- filter bar


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
    return dbc.Row(
        [
            *_place_filters(lang, cities, may_see_province, city_code, districts, district_id, compounds, compound_id),
            *_item_filters(lang, category, outcome),
            _date_filter(lang, first, last),
        ],
        className="g-2 mb-3 filter-bar",
    )


def _options(all_key: str, pairs: Sequence[tuple[Any, str]], lang: str) -> list[dict[str, Any]]:
    """A dropdown's options: "all …" (value "") first, then the pairs (value, label)."""
    return [{"label": t(all_key, lang), "value": ""}] + [{"label": label, "value": str(v)} for v, label in pairs]


def _city_options(cities: Sequence[CityRow], may_see_province: bool, lang: str) -> list[dict[str, Any]]:
    """The cities, after "the province" for a viewer who may see all of it."""
    options = [{"label": t("app.province", lang), "value": "province"}] if may_see_province else []
    options += [{"label": c.name if lang == "zh" else c.name_en, "value": c.code} for c in cities]
    return options


def _place_filters(
    lang: str,
    cities: Sequence[CityRow],
    may_see_province: bool,
    city_code: str | None,
    districts: Sequence[tuple[int, str]],
    district_id: int | None,
    compounds: Sequence[tuple[int, str]],
    compound_id: int | None,
) -> list[dbc.Col]:
    """City, district and compound: where the meetings were held."""
    return [
        _labelled(
            t("filter.city", lang),
            dcc.Dropdown(
                id="cl-city",
                options=_city_options(cities, may_see_province, lang),
                value=city_code or "province",
                clearable=False,
            ),
            2,
        ),
        _labelled(
            t("filter.district", lang),
            dcc.Dropdown(
                id="cl-district",
                options=_options("filter.all_districts", districts, lang),
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
    ]


def _item_filters(lang: str, category: str | None, outcome: str | None) -> list[dbc.Col]:
    """Category and outcome: which agenda items count."""
    categories = [(c, category_label(c, lang)) for c in CATEGORIES]
    outcomes = [(o, outcome_label(o, lang)) for o in OUTCOMES]
    return [
        _labelled(
            t("councils.filter.category", lang),
            dcc.Dropdown(
                id="cl-category",
                options=_options("councils.filter.all_categories", categories, lang),
                value=category or "",
                clearable=False,
            ),
            2,
        ),
        _labelled(
            t("councils.filter.outcome", lang),
            dcc.Dropdown(
                id="cl-outcome",
                options=_options("councils.filter.all_outcomes", outcomes, lang),
                value=outcome or "",
                clearable=False,
            ),
            3,
        ),
    ]


def _date_filter(lang: str, first: date | None, last: date | None) -> dbc.Col:
    """The meeting days, from – to (both may be empty)."""
    return _labelled(
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
                dbc.Input(id="cl-to", type="date", value=last.isoformat() if last else "", size="sm", debounce=True),
            ],
            className="d-flex align-items-center",
        ),
        4,
    )


# --------------------------------------------------------------------------- lists


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
                # Up to eleven columns share the card: headers and cells wrap onto a second line rather than being cut
                # ("Resi…", "Decided…" in English), and hovering still shows a value whole.
                defaultColDef={
                    "sortable": True,
                    "resizable": True,
                    "filter": False,
                    "minWidth": 90,
                    "flex": 1,
                    "tooltipValueGetter": {"function": "params.value"},
                    "wrapHeaderText": True,
                    "autoHeaderHeight": True,
                    "wrapText": True,
                    "autoHeight": True,
                    # narrower side padding than the theme's, so the widest word of a column fits its minWidth
                    "cellStyle": {"lineHeight": "1.4", "padding": "7px 10px", "wordBreak": "normal"},
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
        {"field": "held_on", "headerName": t("councils.col.held_on", lang), "minWidth": 122, "sort": "desc"},
        {"field": "compound", "headerName": t("councils.col.compound", lang), "minWidth": 115},
        {"field": "district", "headerName": t("councils.col.district", lang), "minWidth": 90},
        _link_col("title", t("councils.col.title", lang), minWidth=170),
        {"field": "category", "headerName": t("councils.col.category", lang), "minWidth": 105},
        {"field": "raised_by", "headerName": t("councils.col.raised_by", lang), "minWidth": 135},
        {"field": "method", "headerName": t("councils.col.method", lang), "minWidth": 100},
        {"field": "outcome", "headerName": t("councils.col.outcome", lang), "minWidth": 95},
        {"field": "follow_ups", "headerName": t("councils.col.follow_ups", lang), "minWidth": 95},
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
        {"field": "status", "headerName": t("councils.col.status", lang), "minWidth": 90},
        {"field": "venue", "headerName": t("councils.col.venue", lang), "minWidth": 110},
        {"field": "convener", "headerName": t("councils.col.convener", lang), "minWidth": 100},
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
            "missing": listing((party_label(p, lang) for p in r.missing_parties), lang) or t("councils.complete", lang),
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
        {"field": "owner", "headerName": t("councils.col.owner", lang), "minWidth": 135},
        {"field": "contact", "headerName": t("councils.col.contact", lang), "minWidth": 100},
        {"field": "status", "headerName": t("councils.col.fu_status", lang), "minWidth": 100},
        {"field": "held_on", "headerName": t("councils.col.held_on", lang), "minWidth": 108},
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
