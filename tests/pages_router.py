"""Dash Pages' router callback as the browser's renderer posts it: one body for every test that renders a page."""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskClient


def router_body(path: str, search: str = "") -> dict[str, Any]:
    """The request that renders the page at `path` with the query string `search` (e.g. "?city=a")."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def render(client: FlaskClient, path: str, search: str = "") -> tuple[int, str]:
    """Status and readable text (non-ASCII kept, so a name that is absent is really absent) of a page render."""
    r = client.post(
        "/_dash-update-component", data=json.dumps(router_body(path, search)), content_type="application/json"
    )
    return r.status_code, json.dumps(r.get_json(silent=True), ensure_ascii=False)
