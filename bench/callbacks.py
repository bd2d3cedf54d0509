"""What the benchmarks ask of the app: the day they pretend it is, the views, and the callback requests a browser
sends for a page and for a compound grid's first block. No project imports, so a script can load it beside any
checkout's code (bench/interleaved.py runs two checkouts at once)."""

from __future__ import annotations

import json
from datetime import date

TODAY = date(2026, 11, 23)
VIEWS = ("", "?city=zhuzhou", "?city=xiangtan")
# The compound grids load their rows with a callback of their own (AG Grid's infinite row model): page → id prefix
# of its grid (<prefix>-grid) and URL (<prefix>-url). Measured for the first block, as the page's first view asks.
GRIDS = {
    "/funds": "funds",
    "/elevators": "elevators",
    "/complaints": "complaints",
    "/red-property": "red-property",
    "/insurance": "ins",
}
GRID_BLOCK = 100
# Pages the `province` leader the bench signs in as may not use: they render only a refusal.
SKIP = {
    "/admin/users": "admins only",
    "/councils/edit": "the meeting form is for organisers",
    "/import": "imports are for administrators and data stewards",
}


def page_body(path: str, search: str) -> str:
    return json.dumps(
        {
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": path},
                {"id": "_pages_location", "property": "search", "value": search},
            ],
            "changedPropIds": ["_pages_location.pathname"],
            "state": [],
        }
    )


def grid_body(prefix: str, search: str) -> str:
    """The grid's request for its first block, as the browser sends it once the page has rendered."""
    request = {"startRow": 0, "endRow": GRID_BLOCK, "sortModel": [], "filterModel": {}}
    return json.dumps(
        {
            "output": f"{prefix}-grid.getRowsResponse",
            "outputs": {"id": f"{prefix}-grid", "property": "getRowsResponse"},
            "inputs": [{"id": f"{prefix}-grid", "property": "getRowsRequest", "value": request}],
            "state": [{"id": f"{prefix}-url", "property": "search", "value": search}],
            "changedPropIds": [f"{prefix}-grid.getRowsRequest"],
        }
    )
