"""What the compound grids' server callbacks share: the page's filters, read from its URL and checked for the viewer.

The grids load their rows a block at a time (components/filters.py: compound_grid), and their CSV and Excel
exports are made on the server, so each of these requests must establish on its own who is asking and for
what: exactly as the page render did, never trusting anything but the signed-in session and the URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qs

from pages._common import PageContext, page_context, parse_filters, today

NO_ROWS: dict[str, Any] = {"rowData": [], "rowCount": 0}  # the answer to a request nobody may see rows for


@dataclass(frozen=True)
class GridScope:
    """The viewer's context (area narrowed to their scope, language) and the year of the page's filters."""

    ctx: PageContext
    year: int
    today: date


def url_query(search: str | None) -> dict[str, str]:
    """A page URL's query string as single values (the first of repeated keys)."""
    return {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}


def grid_scope(search: str | None, first_year: int) -> GridScope | None:
    """The filters of the page's URL, resolved as the page resolves them (page_context checks the signed-in
    viewer and narrows or refuses the area); None when the viewer may see no rows for them."""
    query = url_query(search)
    ctx = page_context(query.get("city"), query.get("district"))
    if not isinstance(ctx, PageContext):
        return None
    now = today()
    return GridScope(ctx, parse_filters(query.get("year"), now, first_year), now)


def sort_model(request: object) -> object:
    """The sort model of a grid's last getRowsRequest (the exports follow the grid's order); None if it has none."""
    return request.get("sortModel") if isinstance(request, dict) else None
