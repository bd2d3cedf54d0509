"""Filter bar, change badges and the compound grid shared by the indicator pages."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from urllib.parse import urlencode

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from components.formatting import percent
from components.i18n import t
from data_access.geography import CityRow

T = TypeVar("T")


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

    def labelled(label: str, control: Any, width: int) -> dbc.Col:
        """The label tied to its control (for= and an id: assets/a11y.js adds it to the dropdown's name, which Dash
        otherwise takes from the value alone), so a screen reader says "城市 全省", not just "全省"."""
        return dbc.Col(
            [
                dbc.Label(label, html_for=control.id, id=f"{control.id}-label", className="small text-muted mb-1"),
                control,
            ],
            xs=12,
            sm=6,
            md=width,
        )

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
    "page": "页码",
    "of": "/",
    "to": "至",
    "more": "更多",
    "next": "下一页",
    "last": "末页",
    "first": "首页",
    "previous": "上一页",
    "pageSizeSelectorLabel": "每页行数：",
    "firstPage": "首页",
    "lastPage": "末页",
    "nextPage": "下一页",
    "previousPage": "上一页",
    "noRowsToShow": "没有数据",
    "loadingOoo": "加载中…",
    "ariaPageSizeSelectorLabel": "每页行数",
}


# Rows per page, and per block the grid asks the server for: a block holds five pages, so paging through the first
# hundred compounds costs one request, and at most ten blocks stay in the browser however far the user pages.
PAGE_SIZE = 20
BLOCK_SIZE = 100
MAX_BLOCKS_IN_BROWSER = 10
MAX_BLOCK_ROWS = 1000  # the most rows one grid request may ask for; exports (server-side) have no such limit


def compound_grid(grid_id: str, columns: list[dict[str, Any]], lang: str) -> html.Div:
    """Sortable compound table whose rows the server sends a block at a time (AG Grid's infinite row model: the
    page itself carries none, as thousands of rows made every page render slow); CSV and Excel come from the server.

    The page module answers the grid's `getRowsRequest` with `grid_block`, and its exports with `sort_rows`.
    """
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
                rowModelType="infinite",
                defaultColDef={"sortable": True, "resizable": True, "filter": False, "minWidth": 110},
                # AG Grid wants text ids (it warns about numbers); dash-ag-grid's expressions know no String().
                getRowId="params.data.compound_id + ''",
                columnSize="responsiveSizeToFit",
                dashGridOptions={
                    "pagination": True,
                    "paginationPageSize": PAGE_SIZE,
                    "paginationPageSizeSelector": [PAGE_SIZE, 50, BLOCK_SIZE],  # each divides a block
                    "cacheBlockSize": BLOCK_SIZE,
                    "maxBlocksInCache": MAX_BLOCKS_IN_BROWSER,
                    "infiniteInitialRowCount": PAGE_SIZE,  # one page of loading rows until the first block
                    # dash-ag-grid hands each response to the latest request: one block in flight at a time.
                    "maxConcurrentDatasourceRequests": 1,
                    "animateRows": False,
                    # Tab leaves the grid (the arrow keys move between cells, as the ARIA grid pattern has it): Tab
                    # through every cell took 152 presses to pass the /funds grid.
                    "tabToNextCell": {"function": "false"},
                    "tabToNextHeader": {"function": "false"},
                    **({"localeText": AG_GRID_ZH} if lang == "zh" else {}),
                },
                # Enter on a compound's name opens it, as a click does (assets/dashAgGridFunctions.js)
                eventListeners={"cellKeyDown": ["compoundOpenOnEnter(params, setGridProps)"]},
                className="ag-theme-alpine",
                style={"height": "560px"},
            ),
        ]
    )


def numeric_fields(columns: Sequence[dict[str, Any]]) -> frozenset[str]:
    """Right-aligned columns hold numbers (ints, floats or decimal strings of yuan): they sort as numbers."""
    return frozenset(c["field"] for c in columns if c.get("type") == "rightAligned")


EMPTY_TEXTS = frozenset({"", "—"})  # what a cell shows for "no value"


def _sort_value(value: Any, numeric: bool) -> Any:
    """The value a cell sorts by, or None for an empty cell (sorted last in either direction)."""
    if value is None or (isinstance(value, str) and value.strip() in EMPTY_TEXTS):
        return None
    if not numeric:
        return str(value)
    if isinstance(value, int):  # bool too
        return int(value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None  # NaN would make the order undefined


def _sort_keys(columns: Sequence[dict[str, Any]], sort_model: object) -> list[tuple[str, bool]]:
    """(field, descending) per valid item of an AG Grid sort model, first key first. The model comes from the
    browser: items naming no column of the grid, or no direction, are ignored."""
    fields = {c["field"] for c in columns}
    keys: list[tuple[str, bool]] = []
    for item in sort_model if isinstance(sort_model, list) else []:
        if isinstance(item, dict) and item.get("colId") in fields and item.get("sort") in ("asc", "desc"):
            keys.append((item["colId"], item["sort"] == "desc"))
    return keys


def _ordered(
    items: Sequence[T], value: Callable[[T, str], Any], columns: Sequence[dict[str, Any]], sort_model: object
) -> list[T]:
    """Items in the order of a sort model, by their grid values (value(item, field)); see sort_rows. Sorts indices
    by a list of plain values: no (value, item) pair per item for the garbage collector to track."""
    numeric = numeric_fields(columns)
    ordered = list(items)
    for field, descending in reversed(_sort_keys(columns, sort_model)):  # stable sorts, least significant first
        is_numeric = field in numeric
        values = [_sort_value(value(item, field), is_numeric) for item in ordered]
        filled = [i for i, v in enumerate(values) if v is not None]
        filled.sort(key=values.__getitem__, reverse=descending)  # stable in either direction
        ordered = [ordered[i] for i in filled] + [item for item, v in zip(ordered, values, strict=True) if v is None]
    return ordered


def sort_rows(
    rows: Sequence[dict[str, Any]], columns: Sequence[dict[str, Any]], sort_model: object
) -> list[dict[str, Any]]:
    """Grid rows in the order of an AG Grid sort model ([{"colId": field, "sort": "asc"|"desc"}, …], first key
    first), as the grid, the CSV and the Excel export all show them: numbers by value, text by text, empty cells
    last; ties keep the query's order."""
    return _ordered(rows, lambda row, field: row.get(field), columns, sort_model)


def _row_index(value: object, default: int) -> int:
    try:
        return max(0, int(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


def grid_block(
    records: Sequence[T],
    to_rows: Callable[[Sequence[T]], list[dict[str, Any]]],
    columns: Sequence[dict[str, Any]],
    request: object,
) -> dict[str, Any]:
    """The answer to a grid's getRowsRequest: the query's records startRow:endRow in the request's sort order (by
    their grid values, as sort_rows), turned into grid rows by to_rows, and the total (so the pager knows the page
    count at once). At most MAX_BLOCK_ROWS rows. Only the block's records are kept as grid rows: unsorted (every
    page's first request), the others are never converted (all 21,000 at `large` scale took ~90 ms)."""
    request = request if isinstance(request, dict) else {}
    start = _row_index(request.get("startRow"), 0)
    end = min(_row_index(request.get("endRow"), start + BLOCK_SIZE), start + MAX_BLOCK_ROWS)
    sort_model = request.get("sortModel")
    ordered = _ordered(records, lambda record, field: to_rows([record])[0].get(field), columns, sort_model)
    return {"rowData": to_rows(ordered[start:end]), "rowCount": len(ordered)}


def rows_csv(rows: Sequence[dict[str, Any]], columns: Sequence[dict[str, Any]]) -> str:
    """The rows as CSV with the columns' headers, led by a byte-order mark so Excel reads the Chinese as UTF-8.
    Cells hold the grid's values (decimal yuan as written, empty for none), like AG Grid's own CSV export did."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_safe(c["headerName"]) for c in columns])
    for row in rows:
        writer.writerow(["" if row.get(c["field"]) is None else csv_safe(row[c["field"]]) for c in columns])
    return "\ufeff" + buffer.getvalue()


# A cell whose text starts with one of these is run as a formula by Excel, WPS and LibreOffice when a CSV is opened.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula (a compound or agenda item named "=HYPERLINK(…)") gets a leading
    apostrophe, as OWASP advises for CSV, so an export cannot carry a formula to an official's machine. Numbers
    written as text ("-12.50") are left alone: they are values, not formulas."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        try:
            Decimal(value)
        except InvalidOperation:
            return "'" + value
    return value


def append_row(ws: Worksheet, values: Sequence[object]) -> None:
    """ws.append, except that text is always stored as text: openpyxl turns a string starting with "=" into a
    formula, which would let a name typed into the product run in the reader's Excel."""
    ws.append(list(values))
    for cell in ws[ws.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


GridRow = dict[str, Any]


def _export_rows(
    rows: Sequence[GridRow],
    columns: Sequence[dict[str, Any]],
    sort_model: object,
    exact: Callable[[GridRow], GridRow] | None,
) -> list[GridRow]:
    """Every grid row in the grid's sort order (sort_rows), each as `exact` writes it if given: what both exports
    write, so CSV and Excel agree row for row."""
    ordered = sort_rows(rows, columns, sort_model)
    return [exact(row) for row in ordered] if exact else ordered


def grid_csv(
    rows: Sequence[GridRow],
    columns: Sequence[dict[str, Any]],
    sort_model: object = None,
    exact: Callable[[GridRow], GridRow] | None = None,
) -> str:
    """A compound grid's rows (its compound_rows) and columns, in the grid's order, as CSV (rows_csv); `exact`
    replaces a sorted row's values the grid rounds by exact ones."""
    return rows_csv(_export_rows(rows, columns, sort_model, exact), columns)


def grid_xlsx(
    rows: Sequence[GridRow],
    columns: Sequence[dict[str, Any]],
    lang: str,
    sort_model: object = None,
    exact: Callable[[GridRow], GridRow] | None = None,
    formats: Mapping[str, str] | None = None,
) -> bytes:
    """A compound grid's rows and columns, in the grid's order, as an Excel workbook: `exact` gives a sorted row's
    cells their typed values (dates, exact decimals), and `formats` the number format of a field's cells that hold
    no text."""
    wb = Workbook()
    ws = wb.active
    ws.title = t("table.compounds", lang)[:31]
    append_row(ws, [c["headerName"] for c in columns])
    for row in _export_rows(rows, columns, sort_model, exact):
        append_row(ws, [row[c["field"]] for c in columns])
    for i, c in enumerate(columns, start=1):
        if formats and c["field"] in formats:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                if not isinstance(cell.value, str):
                    cell.number_format = formats[c["field"]]
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def compound_column(header: str) -> dict[str, Any]:
    """The compound name as a link: a click, or Enter on the focused cell, opens /compound?id=… (see compound_link)."""
    return {
        "field": "compound",
        "headerName": header,
        "pinned": "left",
        "minWidth": 140,
        "cellClass": "compound-link",
        "cellRenderer": "CompoundLink",  # a real <a href> (assets/dashAgGridFunctions.js)
    }


def compound_link(cell: dict[str, Any] | None) -> str | None:
    """The compound view's URL for a click on a compound cell of a compound_grid, else None."""
    if not cell or cell.get("colId") != "compound" or not str(cell.get("rowId", "")).isdigit():
        return None
    return f"/compound?id={cell['rowId']}"


def money_column(field: str, header: str) -> dict[str, Any]:
    """Money arrives as a decimal string of yuan; the browser formats it, the server sorts it as a number (a
    right-aligned column: see sort_rows)."""
    return {
        "field": field,
        "headerName": header,
        "type": "rightAligned",
        "valueFormatter": {"function": "d3.format(',.2f')(Number(params.value))"},
    }
