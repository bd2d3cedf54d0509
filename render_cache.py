"""Rendered pages served again: a repeat of a page's (or a compound grid block's) callback answered from the result
cache with the bytes of the first render, without running Dash, the page, its components or the JSON encoder.

Why: with every query of a page in the result cache (data_access/cache.py), a render still cost 12–25 ms at `city`
scale (issue 18): building the components, the plotly figures and their JSON again, for an answer that is the same
bytes as last time. The answer is stored under a key holding everything that shapes it:
- which callback and every value the browser sent it (the page's path and query; a grid's block request and URL),
  but not `changedPropIds` (which input fired does not change what these callbacks answer);
- the viewer: account, role, city, compounds and session generation (pages narrow what they show to these, show
  role-dependent buttons, and the press sees no names), and the session's language;
- "today" (pages/_common.today: periods still running, default years, overdue items);
- the data set's state (`data_access.cache.dataset_state`: data and council generations, demo and import marks),
  renewed by every seed, import, council write and insurance write, in every process sharing the database;
- the code: a digest of the app's sources and the versions of Dash and plotly, so a Redis cache shared across a
  deployment never serves a page drawn by the previous release.
Only the pages listed in `PAGES` (read-only views whose answer depends on nothing else) and the compound grids'
blocks are kept; forms and the import desk (which follows jobs that renew no generation) always render. An insurance
application's page is kept: every write to an application renews the data generation, and adding a document
renews the documents generation (data_access.core.dataset), both part of the key. Only a 200 answer without
cookies is kept. A hit sends the same bytes with the same content type as Dash would (tests/test_render_identical.py
checks it), and the after-request hooks (compression, security headers) still run on it. With the result cache
switched off (`extensions["result_cache"] = None`: the benchmark's cache-miss runs) nothing is served or kept.
Kept compressed (see `_keep_rendered`).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
import zlib
from pathlib import Path
from typing import Any

import orjson
from flask import Flask, Response, g, request

import data_access
from auth import current_lang, current_viewer
from data_access.cache import dataset_state, result_cache

ROOT = Path(__file__).resolve().parent
UPDATE_PATH = "/_dash-update-component"
ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."  # Dash Pages' callback: a page's whole content
GRID_OUTPUT = re.compile(r"^[a-z][a-z0-9-]*-grid\.getRowsResponse$")  # a compound grid's block (pages/_grid.py)
# Pages whose content is a function of the key alone (/insurance: its lists and worklists change only by the
# insurance writers, each of which renews the generation; /insurance/application: its documents renew their own
# generation). Not: /import (jobs), /councils/edit and /admin/users (forms, accounts).
PAGES = frozenset(
    {
        "/",
        "/funds",
        "/elevators",
        "/complaints",
        "/red-property",
        "/councils",
        "/councils/meeting",
        "/compound",
        "/insurance",
        "/insurance-value",
        "/insurance/application",
        "/present",
    }
)
# Pages always rendered afresh, each for its reason; a page in neither set fails tests/test_render_identical.py, so a
# new page is kept or not by a decision, never by default.
NEVER_KEPT = {
    "/import": "follows background jobs, which renew no generation until a load commits",
    "/councils/edit": "a form: what it shows follows the organiser's draft",
    "/admin/users": "accounts: changes to them renew no data generation",
    "/not-found-404": "one short answer, cheaper to draw than to key",
}
_PREFIX = "render:"


def _code_version() -> str:
    """A digest of the app's Python sources and of the libraries that draw its answers."""
    digest = hashlib.sha256()
    for path in sorted(
        [*ROOT.glob("*.py"), *(p for d in ("pages", "components", "data_access") for p in (ROOT / d).rglob("*.py"))]
    ):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    for package in ("dash", "plotly", "dash-ag-grid", "dash-bootstrap-components", "orjson"):
        try:
            digest.update(f"{package}={importlib.metadata.version(package)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(package.encode())
    return digest.hexdigest()[:16]


def _input_value(body: dict[str, Any], component: str, prop: str) -> Any:
    for entry in body.get("inputs") or []:
        if isinstance(entry, dict) and entry.get("id") == component and entry.get("property") == prop:
            return entry.get("value")
    return None


def render_key(body: Any) -> str | None:
    """The key of this callback request's answer, or None when it is not one to keep (see the module's doc).
    Call inside a request: it reads the viewer, the language, today and the data set's state."""
    if not isinstance(body, dict):
        return None
    output = body.get("output")
    if output == ROUTER_OUTPUT:
        if _input_value(body, "_pages_location", "pathname") not in PAGES:
            return None
    elif not (isinstance(output, str) and GRID_OUTPUT.match(output)):
        return None
    viewer = current_viewer()
    if viewer is None:
        return None
    from pages._common import today  # the pages' own "today" (the TODAY setting in tests), one definition

    material = (
        CODE_VERSION,
        output,
        body.get("inputs"),
        body.get("state"),
        (
            viewer.id,
            viewer.username,
            viewer.display_name,
            viewer.role.value,
            viewer.city_id,
            sorted(viewer.compound_ids),
            sorted(viewer.compound_city_ids),
            viewer.session_generation,
        ),
        current_lang(),
        today().isoformat(),
        dataset_state(data_access.get_session()),
    )
    try:
        encoded = orjson.dumps(material, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except TypeError:  # a value the browser cannot have sent: render it
        return None
    return _PREFIX + hashlib.sha256(encoded).hexdigest()[:40]


def _serve_rendered() -> Response | None:
    """Before Dash: answer a repeat from the cache, or note the key for `_keep_rendered`."""
    if request.method != "POST" or request.path != UPDATE_PATH:
        return None
    cache = result_cache()
    if cache is None:
        return None
    key = render_key(request.get_json(silent=True))
    if key is None:
        return None
    kept = cache.get(key)
    if isinstance(kept, bytes):
        # as dash/backends/_flask.py makes its answer
        return Response(zlib.decompress(kept), content_type="application/json")
    g.render_key = key
    return None


def _keep_rendered(response: Response) -> Response:
    """After Dash (and before compression): keep a fresh 200 answer without cookies under its key."""
    key = g.pop("render_key", None)
    if key is None or response.status_code != 200 or response.direct_passthrough:
        return response
    if response.mimetype != "application/json" or "Set-Cookie" in response.headers:
        return response
    cache = result_cache()
    if cache is not None:
        # Compressed (zlib level 1, ~1 ms for 130 KB; JSON shrinks ~8x): the in-process cache holds up to
        # CACHE_THRESHOLD entries per worker, and a rendered page is 20–130 KB against a few KB for a query's result.
        cache.set(key, zlib.compress(response.get_data(), 1))
    return response


CODE_VERSION = _code_version()


def init_app(server: Flask) -> None:
    """Register after every other before-request hook (the sign-in gate and the outage check run first) and after
    Flask-Compress (after-request hooks run in reverse: this one sees the uncompressed answer)."""
    server.before_request(_serve_rendered)
    server.after_request(_keep_rendered)
