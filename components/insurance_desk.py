"""The /insurance desk's lists: the applications by stage and their grid, and the renewal worklist.

Neither carries all its rows in the page: the applications' grid asks the server for a block at a time (AG Grid's
infinite row model, sorted and filtered in SQL by data_access.insurance.application_page), and the worklist shows its
first rows (data_access.insurance.renewal_list) with how many there are, a search on the server finding the others:
its ticked rows are renewed as a batch, and AG Grid's "select all" exists only for rows the browser holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import html

from components.filters import AG_GRID_ZH, BLOCK_SIZE, MAX_BLOCKS_IN_BROWSER, PAGE_SIZE
from components.formatting import one_or_many, yuan_from_fen
from components.i18n import t
from components.insurance import place, stage_badge
from data_access.core.rules import STAGE_ORDER, Stage
from data_access.insurance import ApplicationRow, RenewalList, RenewalRow

RENEWAL_WINDOWS = (30, 60, 90, 180, 365)  # days ahead the renewal worklist can look (issue 16: default 60)
SEARCH_DEBOUNCE_MS = 350  # the worklist's search asks the server once typing pauses this long


# --------------------------------------------------------------------------- the applications


def stage_summary(counts: list[tuple[Stage, int, int]], lang: str) -> html.Div:
    items = [
        html.Div(
            [stage_badge(s, lang, className="me-1"), html.Span(f"{a}（{e}）" if lang == "zh" else f"{a} ({e})")],
            className="me-3 mb-1 text-nowrap",
            id=f"ins-stage-{s.value}",
        )
        for s, a, e in counts
        if a
    ]
    return html.Div(
        [
            html.Div(t("ins.stages", lang), className="small text-muted mb-1"),
            html.Div(items, className="d-flex flex-wrap"),
        ],
        className="mb-3",
    )


def application_columns(lang: str, redact: bool) -> list[dict[str, Any]]:
    """The grid's columns; each field is a sort key of data_access.insurance.APPLICATION_SORTS, and the three with
    a text filter are filtered on the server (compound and district in SQL, the stage by its name: stages_matching)."""
    text_filter = {"filter": "agTextColumnFilter", "filterParams": {"maxNumConditions": 2}}
    columns: list[dict[str, Any]] = [
        {
            "field": "id",
            "headerName": t("ins.col.id", lang),
            "maxWidth": 90,
            "minWidth": 80,
            "cellRenderer": "markdown",
        },
        {"field": "compound", "headerName": t("ins.col.compound", lang), "minWidth": 140, **text_filter},
        {"field": "district", "headerName": t("ins.col.district", lang), "minWidth": 110, **text_filter},
        {"field": "place", "headerName": t("ins.col.building", lang), "minWidth": 110},
        {"field": "applicant_type", "headerName": t("ins.col.applicant_type", lang), "minWidth": 130},
    ]
    if not redact:
        columns.append({"field": "applicant", "headerName": t("ins.col.applicant", lang), "minWidth": 130})
    columns += [
        {"field": "filed_on", "headerName": t("ins.col.filed_on", lang), "sort": "desc", "minWidth": 110},
        {"field": "notice", "headerName": t("ins.col.notice", lang), "minWidth": 200},
        {"field": "objections", "headerName": t("ins.col.objections", lang), "type": "rightAligned", "minWidth": 80},
        {"field": "elevators", "headerName": t("ins.col.elevators", lang), "type": "rightAligned", "minWidth": 80},
        {"field": "stage", "headerName": t("ins.col.stage", lang), "minWidth": 130, **text_filter},
    ]
    return [{"headerTooltip": c["headerName"], **c} for c in columns]


def application_grid_rows(rows: Iterable[ApplicationRow], lang: str) -> list[dict[str, Any]]:
    """One block of the grid (the press's rows carry no applicant: the data layer left the names out)."""
    return [
        {
            "row_id": str(r.id),
            "id": f"[#{r.id}](/insurance/application?id={r.id})",
            "compound": r.compound,
            "district": r.district,
            "place": place(r.building, r.unit, lang),
            "applicant_type": t(f"applicant.{r.applicant_type}", lang),
            "applicant": r.applicant_name or "",
            "filed_on": r.filed_on.isoformat(),
            "notice": f"{r.notice_from.isoformat()} – {r.notice_to.isoformat()}"
            if r.notice_from and r.notice_to
            else "",
            "objections": r.objections,
            "elevators": r.elevators,
            "stage": t(f"stage.{r.stage.value}", lang),
        }
        for r in rows
    ]


def application_grid(lang: str, redact: bool, total: int) -> Any:
    """The applications' grid without rows: pages/insurance.py answers its block requests. `total`: how many
    applications the area has (none: a line saying so instead of an empty grid)."""
    if not total:
        return dbc.Alert(t("ins.none", lang), color="light", id="ins-none")
    return dag.AgGrid(
        id="ins-grid",
        columnDefs=application_columns(lang, redact),
        rowModelType="infinite",
        getRowId="params.data.row_id",
        defaultColDef={
            "sortable": True,
            "resizable": True,
            "filter": False,
            "minWidth": 90,
            "flex": 1,
            "tooltipValueGetter": {"function": "params.value"},
        },
        dashGridOptions={
            "pagination": True,
            "paginationPageSize": PAGE_SIZE,
            "paginationPageSizeSelector": [PAGE_SIZE, 50, BLOCK_SIZE],  # each divides a block
            "cacheBlockSize": BLOCK_SIZE,
            "maxBlocksInCache": MAX_BLOCKS_IN_BROWSER,
            "infiniteInitialRowCount": PAGE_SIZE,
            "maxConcurrentDatasourceRequests": 1,  # dash-ag-grid answers the latest request only
            "animateRows": False,
            **({"localeText": AG_GRID_ZH} if lang == "zh" else {}),
        },
        className="ag-theme-alpine",
        style={"height": "520px"},
    )


def _matches(op: str, needle: str, value: str) -> bool:
    """AG Grid's text filter on one value (case-insensitive)."""
    value, needle = value.lower(), needle.strip().lower()
    if op == "blank":
        return not value
    if op == "notBlank":
        return bool(value)
    if not needle:
        return True
    return {
        "contains": needle in value,
        "notContains": needle not in value,
        "equals": value == needle,
        "notEqual": value != needle,
        "startsWith": value.startswith(needle),
        "endsWith": value.endswith(needle),
    }.get(op, True)


def stages_matching(conditions: list[tuple[str, str]], any_of: bool, lang: str) -> frozenset[Stage]:
    """The stages whose name in `lang` passes a text filter's conditions ((type, text), all of them or any): the
    grid filters the stage by the words it shows, the server by the stages they name."""
    if not conditions:
        return frozenset(STAGE_ORDER)
    join = any if any_of else all
    return frozenset(
        s for s in STAGE_ORDER if join(_matches(op, text, t(f"stage.{s.value}", lang)) for op, text in conditions)
    )


# --------------------------------------------------------------------------- renewals


def renewal_count_line(found: RenewalList, lang: str, searched: bool) -> str:
    """How many policies the list holds of how many there are ("showing 100 of 1,234")."""
    if found.matching > len(found.rows):
        return t("ins.renew.showing", lang, n=len(found.rows), m=f"{found.matching:,}")
    key = "ins.renew.found" if searched else "ins.renew.count"
    return t(one_or_many(key, found.matching, lang), lang, n=f"{found.matching:,}")


def renewal_grid_rows(rows: Iterable[RenewalRow], lang: str) -> list[dict[str, Any]]:
    return [
        {
            "policy_id": str(r.policy_id),
            "policy_no": r.policy_no,
            "compound": r.compound,
            "place": place(r.building, r.unit, lang),
            "elevator": r.elevator_code,
            "insurer": r.insurer,
            "ends": r.period_end.isoformat(),
            "premium": f"{yuan_from_fen(r.premium_fen):,.2f}",
            "balance": f"{yuan_from_fen(r.balance_fen):,.2f}",
            "due": f"{yuan_from_fen(r.account_due_fen):,.2f}",
            "can_pay": t("ins.renew.yes" if r.can_pay else "ins.renew.no", lang),
        }
        for r in rows
    ]


def _renewal_columns(lang: str) -> list[dict[str, Any]]:
    columns: list[dict[str, Any]] = [
        {"field": "policy_no", "headerName": t("ins.renew.col.policy", lang), "minWidth": 200},
        {"field": "compound", "headerName": t("ins.col.compound", lang)},
        {"field": "place", "headerName": t("ins.col.building", lang)},
        {"field": "elevator", "headerName": t("ins.renew.col.elevator", lang)},
        {"field": "insurer", "headerName": t("ins.renew.col.insurer", lang)},
        {"field": "ends", "headerName": t("ins.renew.col.ends", lang), "sort": "asc"},
        {"field": "premium", "headerName": t("ins.renew.col.premium", lang), "type": "rightAligned"},
        {"field": "balance", "headerName": t("ins.renew.col.balance", lang), "type": "rightAligned"},
        {"field": "due", "headerName": t("ins.renew.col.due", lang), "type": "rightAligned"},
        {
            "field": "can_pay",
            "headerName": t("ins.renew.col.can_pay", lang),
            "cellClassRules": {"text-danger fw-bold": f"params.value == '{t('ins.renew.no', lang)}'"},
        },
    ]
    return [{"headerTooltip": c["headerName"], **c} for c in columns]


def renewal_panel(found: RenewalList, lang: str, window_days: int, may_write: bool, today: date) -> html.Div:
    """The worklist of the window: its first rows (sortable, tickable, all of them at once with the header's box),
    how many there are, and a search that asks the server for the matching ones."""
    head = html.Div(
        [
            dbc.Label(t("ins.renew.window_label", lang), html_for="ins-renew-days", className="small mb-0 me-2"),
            dbc.Select(
                id="ins-renew-days",
                options=[{"label": t("ins.renew.days", lang, n=n), "value": str(n)} for n in RENEWAL_WINDOWS],
                value=str(window_days),
                size="sm",
                style={"width": "9rem"},
            ),
            html.Span(t("ins.renew.window", lang, n=window_days), className="small text-muted ms-3"),
        ],
        className="d-flex align-items-center mb-2",
    )
    if not found.matching:
        return html.Div([head, dbc.Alert(t("ins.renew.none", lang), color="light", id="ins-renew-none")])
    unable = found.unable_accounts
    tools: list[Any] = []
    if may_write:
        tools = [
            html.Div(
                [
                    dbc.Label(t("ins.renew.paid_on", lang), html_for="ins-renew-paid", className="small mb-0 me-2"),
                    dbc.Input(
                        id="ins-renew-paid", type="date", value=today.isoformat(), size="sm", style={"width": "11rem"}
                    ),
                    dbc.Button(
                        t("ins.renew.selected", lang), id="ins-renew", size="sm", color="primary", className="ms-2"
                    ),
                ],
                className="d-flex align-items-center mb-2",
            ),
            html.Div(id="ins-renew-status"),
        ]
    return html.Div(
        [
            head,
            dbc.Alert(
                t(one_or_many("ins.renew.unable", unable, lang), lang, n=unable),
                color="warning",
                id="ins-renew-unable",
                className="py-2",
            )
            if unable
            else None,
            *tools,
            html.Div(
                [
                    dbc.Label(t("ins.renew.search", lang), html_for="ins-renew-search", className="visually-hidden"),
                    dbc.Input(
                        id="ins-renew-search",
                        type="search",
                        placeholder=t("ins.renew.search", lang),
                        size="sm",
                        debounce=SEARCH_DEBOUNCE_MS,
                        maxLength=60,
                        style={"maxWidth": "22rem"},
                    ),
                    html.Span(
                        renewal_count_line(found, lang, searched=False),
                        id="ins-renew-count",
                        className="small text-muted ms-3",
                        role="status",
                    ),
                ],
                className="d-flex align-items-center mb-2",
            ),
            dag.AgGrid(
                id="ins-renew-grid",
                columnDefs=_renewal_columns(lang),
                rowData=renewal_grid_rows(found.rows, lang),
                getRowId="params.data.policy_id",
                defaultColDef={
                    "sortable": True,
                    "resizable": True,
                    "minWidth": 90,
                    "flex": 1,
                    "tooltipValueGetter": {"function": "params.value"},
                },
                dashGridOptions={
                    **(
                        {"rowSelection": {"mode": "multiRow", "checkboxes": True, "headerCheckbox": True}}
                        if may_write
                        else {}
                    ),
                    "pagination": True,
                    "paginationPageSize": PAGE_SIZE,
                    "animateRows": False,
                    **({"localeText": AG_GRID_ZH} if lang == "zh" else {}),
                },
                className="ag-theme-alpine",
                style={"height": "480px"},
            ),
        ]
    )
