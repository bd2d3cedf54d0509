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


def _labelled(label: str, control: object, md: int, control_id: str) -> dbc.Col:
    """A filter under its caption, the caption a `<label for>` the control so it is also the control's name (with an
    id, `<control>-label`, by which assets/a11y.js adds it to a dropdown's name, as components/filters.py does)."""
    caption = dbc.Label(label, html_for=control_id, id=f"{control_id}-label", className="small text-muted mb-1")
    return dbc.Col([caption, control], xs=12, sm=6, md=md)


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
            "cl-city",
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
            "cl-district",
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
            "cl-compound",
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
            "cl-category",
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
            "cl-outcome",
        ),
    ]


def _date_filter(lang: str, first: date | None, last: date | None) -> dbc.Col:
    """The meeting days, from – to (both may be empty). The caption names the first box; the word between the boxes
    ("至", "to") is the second's label, so each date box is named on its own."""
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
                dbc.Label(t("councils.filter.to", lang), html_for="cl-to", className="small px-1 mb-0"),
                dbc.Input(id="cl-to", type="date", value=last.isoformat() if last else "", size="sm", debounce=True),
            ],
            className="d-flex align-items-center",
        ),
        4,
        "cl-from",
    )


# --------------------------------------------------------------------------- tabs


def council_tabs(tabs: Sequence[tuple[str, str, Any]], lang: str) -> html.Div:
    """The lists as the ARIA tabs pattern: a tablist of buttons (each `role="tab"`, its own id, `aria-selected`,
    `aria-controls` its panel) over one `role="tabpanel"` per list, the first open. Only the open tab is in the Tab
    order (roving tabindex); assets/councils_form.js switches tabs on a click, Enter or Space, and moves between them
    with the arrow keys, Home and End. `tabs` are (key, label, content); ids are councils-tab-<key> and
    councils-panel-<key>."""
    first = tabs[0][0]
    buttons = []
    panels = []
    for key, label, content in tabs:
        tab_aria: dict[str, Any] = {  # Dash takes aria-* as keyword arguments only
            "aria-selected": "true" if key == first else "false",
            "aria-controls": f"councils-panel-{key}",
        }
        buttons.append(
            html.Button(
                label,
                id=f"councils-tab-{key}",
                type="button",
                role="tab",
                tabIndex=0 if key == first else -1,
                className="nav-link active" if key == first else "nav-link",
                **tab_aria,
            )
        )
        panel_aria: dict[str, Any] = {"aria-labelledby": f"councils-tab-{key}"}
        panels.append(
            html.Div(
                content,
                id=f"councils-panel-{key}",
                role="tabpanel",
                hidden=key != first,
                className="pt-3",
                **panel_aria,
            )
        )
    list_aria: dict[str, Any] = {"aria-label": t("councils.tabs", lang)}
    return html.Div(
        [html.Div(buttons, id="councils-tabs", role="tablist", className="nav nav-tabs", **list_aria), *panels],
        className="council-tabs",
    )


# --------------------------------------------------------------------------- lists

# The columns whose cells open something (styled as links): a title or date opens the row's meeting, a compound's
# name the compound's view. A click or Enter on such a cell does it (councilsOpenOnEnter in assets/councils_form.js
# turns Enter into the grid's cellClicked, so the keyboard takes the mouse's path).
LINK_COLUMNS = ("title", "held_at", "item", "compound")


def row_key(meeting_id: int, row_id: int, compound_id: int | None = None) -> str:
    """A list row's id, "meeting:row[:compound]": what a click on the row's link cells needs to open the meeting or
    the compound (AG Grid hands a cell click its row's id, not the row's data)."""
    return f"{meeting_id}:{row_id}" if compound_id is None else f"{meeting_id}:{row_id}:{compound_id}"


def _grid(
    grid_id: str,
    columns: list[dict[str, Any]],
    rows: list[dict[str, Any]] | None,
    lang: str,
    file_name: str,
    may_export: bool,
    more_exports: list[Any] | None = None,
) -> html.Div:
    """A list with its row key (row_key), so a click can open the row's meeting or compound. Rows None: the page
    sends none, and the list's tab loads them when first opened (pages/councils.py)."""
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
                eventListeners={"cellKeyDown": ["councilsOpenOnEnter(params, setGridProps)"]},
                dashGridOptions={
                    "tooltipShowDelay": 300,
                    "pagination": True,
                    "paginationPageSize": 20,
                    "animateRows": False,
                    # Tab leaves the list (the arrow keys move between its cells), as in the compound grids.
                    "tabToNextCell": {"function": "false"},
                    "tabToNextHeader": {"function": "false"},
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


def _compound_col(header: str, **extra: Any) -> dict[str, Any]:
    """A compound's name as a link to its view: a real <a href> (the shared CompoundLink renderer of
    assets/dashAgGridFunctions.js, from the row's compound_id), opened in the app by a click or Enter."""
    return _link_col("compound", header, cellRenderer="CompoundLink", **extra)


def item_columns(lang: str) -> list[dict[str, Any]]:
    return [
        {"field": "held_on", "headerName": t("councils.col.held_on", lang), "minWidth": 122, "sort": "desc"},
        _compound_col(t("councils.col.compound", lang), minWidth=115),
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
            "row_key": row_key(r.meeting_id, r.item_id, r.compound_id),
            "held_on": r.held_on.isoformat(),
            "compound_id": r.compound_id,
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


def items_grid(lang: str, may_export: bool) -> html.Div:
    """Agenda items, empty: the page fills them (item_rows) as it appears, so its render carries no rows. Clicking a
    title opens its meeting (the view checks access itself)."""
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
    return _grid("councils-items-grid", item_columns(lang), None, lang, "council-items", may_export, excel)


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


def _meeting_columns(lang: str) -> list[dict[str, Any]]:
    return [
        _link_col("held_at", t("councils.col.held_on", lang), minWidth=140, sort="desc"),
        _compound_col(t("councils.col.compound", lang)),
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


def meeting_rows(rows: list[MeetingRow], lang: str) -> list[dict[str, Any]]:
    """The meetings list's rows (sent when its tab is first opened)."""
    return [
        {
            "row_key": row_key(r.meeting_id, 0, r.compound_id),
            "held_at": r.held_at.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M"),
            "compound_id": r.compound_id,
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


def meetings_grid(lang: str, may_export: bool) -> html.Div:
    """The meetings list, empty: its rows (meeting_rows) load when its tab is first opened."""
    return _grid("councils-meetings-grid", _meeting_columns(lang), None, lang, "council-meetings", may_export)


def _follow_up_columns(lang: str) -> list[dict[str, Any]]:
    return [
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


def follow_up_rows(rows: list[FollowUpRow], lang: str) -> list[dict[str, Any]]:
    """The overdue follow-ups list's rows (sent when its tab is first opened)."""
    return [
        {
            "row_key": row_key(r.meeting_id, r.follow_up_id),
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


def follow_ups_grid(lang: str, may_export: bool) -> html.Div:
    """The overdue follow-ups list, empty: its rows (follow_up_rows) load when its tab is first opened."""
    return _grid(
        "councils-overdue-grid", _follow_up_columns(lang), None, lang, "council-overdue-follow-ups", may_export
    )
