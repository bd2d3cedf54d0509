"""What the indicator pages' callbacks share: the filters written to the page's URL and read back from it.

register_navigation writes a page's filters (and a click on its district chart) to its URL, and opens the view of
a compound whose name is clicked in its grid.

The compound grids load their rows a block at a time (components/filters.py: compound_grid), and their CSV and Excel
exports are made on the server, so each of these requests must establish on its own who is asking and for
what: exactly as the page render did (the URL read by pages/_urlargs.py with the page's own arguments, then
page_context), never trusting anything but the signed-in session and the URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any, Protocol, TypeVar

import dash
from dash import Input, NoUpdate, Output, State, callback, dcc, no_update
from dash.exceptions import PreventUpdate

from components.filters import compound_link, filter_search, grid_block
from pages._common import PageContext, page_context, today
from pages._urlargs import CITY, DISTRICT, indicator_args, parse, query_of, reduce_query, year_arg

NO_ROWS: dict[str, Any] = {"rowData": [], "rowCount": 0}  # the answer to a request nobody may see rows for


@dataclass(frozen=True)
class GridScope:
    """The viewer's context (area narrowed to their scope, language) and the year of the page's filters."""

    ctx: PageContext
    year: int
    today: date


def url_query(search: str | None) -> dict[str, str]:
    """A page URL's query string as single values, reduced as pages/_urlargs reduces every URL (a value repeated
    counts once, a name with different values is left out)."""
    return reduce_query(search)


def grid_scope(search: str | None, first_year: int) -> GridScope | None:
    """The filters of the page's URL, read and resolved exactly as the page's layout reads them (the same declared
    arguments, then page_context, which checks the signed-in viewer and narrows or refuses the area); None when the
    viewer may see no rows for them."""
    now = today()
    args = parse(indicator_args(first_year), query_of(search), now)
    ctx = page_context(args.get(CITY), args.get(DISTRICT))
    if not isinstance(ctx, PageContext):
        return None
    return GridScope(ctx, args.get(year_arg(first_year)) or now.year, now)


def sort_model(request: object) -> object:
    """The sort model of a grid's last getRowsRequest (the exports follow the grid's order); None if it has none."""
    return request.get("sortModel") if isinstance(request, dict) else None


RowT = TypeVar("RowT")  # a page's compound row (data_access: CompoundFundRow, CompoundElevatorRow, ...)


class GridRows(Protocol[RowT]):
    """A page's compound rows as grid rows (components/<page>.py: compound_rows; called with lang= by name)."""

    def __call__(self, rows: list[RowT], lang: str) -> list[dict[str, Any]]: ...


def register_compound_grid(
    prefix: str,
    first_year: int,
    compounds: Callable[[GridScope], list[RowT]],
    *,
    grid_rows: GridRows[RowT],
    columns: Callable[[str], list[dict[str, Any]]],
    csv: Callable[[list[RowT], str, object], str],
    xlsx: Callable[[list[RowT], str, object], bytes],
) -> None:
    """Register the two server callbacks of a page's compound grid (components/filters.py: compound_grid), whose
    ids all start with `prefix` (the page's URL is `<prefix>-url`): the grid's block loads and its CSV/Excel
    export, named `<prefix>-<year>.csv|xlsx`. Both read the rows with `compounds`, for the filters grid_scope
    resolves from the URL for the signed-in viewer; `grid_rows`, `columns`, `csv` and `xlsx` are the page's
    components (compound_rows, compound_columns, compound_csv, compound_xlsx)."""

    @callback(
        Output(f"{prefix}-grid", "getRowsResponse"),
        Input(f"{prefix}-grid", "getRowsRequest"),
        State(f"{prefix}-url", "search"),
        prevent_initial_call=True,
    )
    def _grid_rows(request: dict[str, Any] | None, search: str | None) -> dict[str, Any]:
        """One block of the compound table for the signed-in viewer and the URL's filters, in the grid's sort
        order."""
        if not request:
            raise PreventUpdate
        scope = grid_scope(search, first_year)
        if scope is None:
            return NO_ROWS
        lang = scope.ctx.lang
        return grid_block(compounds(scope), partial(grid_rows, lang=lang), columns(lang), request)

    @callback(
        Output(f"{prefix}-grid-download", "data"),
        Input(f"{prefix}-grid-csv", "n_clicks"),
        Input(f"{prefix}-grid-xlsx", "n_clicks"),
        State(f"{prefix}-url", "search"),
        State(f"{prefix}-grid", "getRowsRequest"),
        prevent_initial_call=True,
    )
    def _export(_csv: int, _xlsx: int, search: str | None, request: dict[str, Any] | None) -> dict[str, Any]:
        """Every row of the filters in the grid's order, recomputed on the server for the same user: the
        browser's rows are not trusted (nor complete: it holds only the blocks it loaded)."""
        scope = grid_scope(search, first_year)
        if scope is None:
            raise PreventUpdate
        rows, lang, order = compounds(scope), scope.ctx.lang, sort_model(request)
        if dash.ctx.triggered_id == f"{prefix}-grid-csv":
            return dcc.send_string(csv(rows, lang, order), f"{prefix}-{scope.year}.csv", type="text/csv")
        return dcc.send_bytes(xlsx(rows, lang, order), f"{prefix}-{scope.year}.xlsx")


def register_navigation(prefix: str, *, chart_picks_city: bool = True, chart_data_longer: bool = False) -> None:
    """Register the two callbacks that navigate from a page whose ids all start with `prefix`, writing its URL
    (`<prefix>-url`): its filters (`<prefix>-city`, `-district`, `-year`) and a click on its district chart
    (`<prefix>-district-chart`) go to the URL's query, and a click on a compound's name in its grid (`<prefix>-grid`)
    opens the compound's view.

    The district chart's customdata is [district id, city code] per bar, exactly (a click from the province view
    also picks the district's city); with `chart_data_longer` it may carry more values after those two (figures for
    the hover); with `chart_picks_city` False it is the district id alone and the city stays as the filter has it."""

    @callback(
        Output(f"{prefix}-url", "search"),
        Input(f"{prefix}-city", "value"),
        Input(f"{prefix}-district", "value"),
        Input(f"{prefix}-year", "value"),
        Input(f"{prefix}-district-chart", "clickData"),
        State(f"{prefix}-url", "search"),
        prevent_initial_call=True,
    )
    def _filters_to_url(
        city: str, district: str, year: int, click: dict[str, Any] | None, search: str | None
    ) -> str | NoUpdate:
        """Every filter lives in the URL: changing one navigates, so links reopen the same view."""
        current = url_query(search)
        trigger = dash.ctx.triggered_id
        if trigger == f"{prefix}-city" and city != current.get("city", "province"):
            district = ""  # a district belongs to one city
        if trigger == f"{prefix}-district-chart":
            points = click.get("points") if isinstance(click, dict) else None
            if not points or not isinstance(points, list) or not isinstance(points[0], dict):
                raise PreventUpdate
            if not chart_picks_city:
                district = str(points[0].get("customdata", ""))
            else:
                point = points[0].get("customdata") or []
                if not isinstance(point, list) or len(point) < 2 or (len(point) != 2 and not chart_data_longer):
                    raise PreventUpdate
                district, city = str(point[0]), str(point[1])  # from the province view, the district's city too
        new = filter_search(None if city == "province" else city, district or None, year)
        return new if new != (search or "") else no_update

    @callback(
        Output(f"{prefix}-url", "href"),
        Input(f"{prefix}-grid", "cellClicked"),
        prevent_initial_call=True,
    )
    def _open_compound(cell: dict[str, Any] | None) -> str:
        """Clicking a compound's name opens its view (the view checks the viewer's scope itself)."""
        href = compound_link(cell)
        if href is None:
            raise PreventUpdate
        return href
