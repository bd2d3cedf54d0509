"""Filter bar, change badges and the compound grid shared by the indicator pages."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.formatting import percent
from components.i18n import t
from data_access.geography import CityRow


def filter_search(city: str | None, district: str | None, year: int | None) -> str:
    """The URL query that holds a page's filter state (so links can be shared and back/forward work)."""
    params = {k: v for k, v in (("city", city), ("district", district), ("year", year)) if v not in (None, "")}
    return "?" + urlencode(params) if params else ""


def filter_bar(
    prefix: str,
    *,
    lang: str,
    cities: Sequence[CityRow],
    may_see_province: bool,
    city_code: str | None,
    districts: Sequence[tuple[int, str]],
    district_id: int | None,
    years: Sequence[int],
    year: int,
) -> dbc.Row:
    city_options: list[dict[str, Any]] = []
    if may_see_province:
        city_options.append({"label": t("app.province", lang), "value": "province"})
    city_options += [{"label": c.name if lang == "zh" else c.name_en, "value": c.code} for c in cities]
    district_options = [{"label": t("filter.all_districts", lang), "value": ""}] + [
        {"label": name, "value": str(did)} for did, name in districts
    ]

    def labelled(label: str, control: object, width: int) -> dbc.Col:
        return dbc.Col([dbc.Label(label, className="small text-muted mb-1"), control], xs=12, sm=6, md=width)

    return dbc.Row(
        [
            labelled(
                t("filter.city", lang),
                dcc.Dropdown(id=f"{prefix}-city", options=city_options, value=city_code or "province", clearable=False),
                3,
            ),
            labelled(
                t("filter.district", lang),
                dcc.Dropdown(
                    id=f"{prefix}-district",
                    options=district_options,
                    value=str(district_id) if district_id else "",
                    clearable=False,
                    disabled=not districts,
                ),
                3,
            ),
            labelled(
                t("filter.year", lang),
                dcc.Dropdown(
                    id=f"{prefix}-year",
                    options=[{"label": str(y), "value": y} for y in years],
                    value=year,
                    clearable=False,
                ),
                2,
            ),
        ],
        className="g-2 mb-3 filter-bar",
    )


def change_badge(
    current: int | Decimal | None, previous: int | Decimal | None, lang: str, higher_is_good: bool = True
) -> html.Span:
    """Change against the previous period, coloured by whether the direction is good news."""
    if current is None or not previous:
        return html.Span(t("change.none", lang), className="text-muted")
    change = (Decimal(current) - Decimal(previous)) / Decimal(previous)
    good = (change >= 0) == higher_is_good
    sign = "+" if change > 0 else ("−" if change < 0 else "")
    return html.Span(
        t("change.vs_last_year", lang, sign=sign, pct=percent(abs(change), lang)),
        className="kpi-change-good" if good else "kpi-change-bad",
    )


# AG Grid's own texts (pager, empty table) in Chinese.
AG_GRID_ZH = {
    "page": "页", "of": "/", "to": "至", "more": "更多", "next": "下一页", "last": "末页", "first": "首页",
    "previous": "上一页", "pageSizeSelectorLabel": "每页行数：", "firstPage": "首页", "lastPage": "末页",
    "nextPage": "下一页", "previousPage": "上一页", "noRowsToShow": "没有数据", "loadingOoo": "加载中…",
    "ariaPageSizeSelectorLabel": "每页行数",
}


def compound_grid(
    grid_id: str, columns: list[dict[str, Any]], rows: list[dict[str, Any]], lang: str, file_name: str
) -> html.Div:
    """Sortable compound table with CSV (in the browser) and Excel (from the server) export."""
    return html.Div(
        [
            html.Div(
                [
                    html.H2(t("table.compounds", lang), className="h6 mb-0 me-auto"),
                    dbc.Button(
                        t("export.csv", lang),
                        id=f"{grid_id}-csv",
                        size="sm",
                        color="secondary",
                        outline=True,
                        className="me-2",
                    ),
                    dbc.Button(
                        t("export.xlsx", lang), id=f"{grid_id}-xlsx", size="sm", color="secondary", outline=True
                    ),
                    dcc.Download(id=f"{grid_id}-download"),
                ],
                className="d-flex align-items-center mb-2",
            ),
            dag.AgGrid(
                id=grid_id,
                columnDefs=columns,
                rowData=rows,
                defaultColDef={"sortable": True, "resizable": True, "filter": False, "minWidth": 110},
                getRowId="params.data.compound_id",
                columnSize="responsiveSizeToFit",
                dashGridOptions={"pagination": True, "paginationPageSize": 20, "animateRows": False,
                                 **({"localeText": AG_GRID_ZH} if lang == "zh" else {})},
                csvExportParams={"fileName": f"{file_name}.csv"},
                className="ag-theme-alpine",
                style={"height": "560px"},
            ),
        ]
    )


def compound_column(header: str) -> dict[str, Any]:
    """The compound name, styled as a link: clicking it opens /compound?id=… (see compound_link)."""
    return {"field": "compound", "headerName": header, "pinned": "left", "minWidth": 140, "cellClass": "compound-link"}


def compound_link(cell: dict[str, Any] | None) -> str | None:
    """The compound view's URL for a click on a compound cell of a compound_grid, else None."""
    if not cell or cell.get("colId") != "compound" or not str(cell.get("rowId", "")).isdigit():
        return None
    return f"/compound?id={cell['rowId']}"


def money_column(field: str, header: str) -> dict[str, Any]:
    """Money arrives as a decimal string of yuan; the browser formats and sorts it as a number."""
    return {
        "field": field,
        "headerName": header,
        "type": "rightAligned",
        "valueFormatter": {"function": "d3.format(',.2f')(Number(params.value))"},
        "comparator": {"function": "Number(valueA) - Number(valueB)"},
    }
