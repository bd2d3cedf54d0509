"""Application factory: a Flask server carrying the Dash app (Dash Pages under pages/).

`flask --app app run|seed-demo|create-user` finds `create_app`; gunicorn serves `app:server`.
"""

from __future__ import annotations

import gc
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import dash
from dash import ALL, Dash, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate
from flask import Flask, has_request_context
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

import api
import auth
import cli
import council_routes
import data_access
import settings
from components.shell import city_label, demo_banner, footer, nav_entries, navbar
from data_access.core.models import DatasetInfo
from data_access.geography import list_cities

ROOT = Path(__file__).resolve().parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the server. `test_config` overrides settings (tests pass DATABASE_URL, SECRET_KEY, TODAY)."""
    serving = test_config is None
    test_config = dict(test_config or {})
    server = Flask(__name__, instance_path=str(settings.instance_path()), root_path=str(ROOT))
    server.config.update(
        DATABASE_URL=test_config.pop("DATABASE_URL", None) or settings.database_url(),
        SECRET_KEY=test_config.pop("SECRET_KEY", None) or settings.secret_key(),
        RATELIMIT_STORAGE_URI=settings.env("RATELIMIT_STORAGE_URI", "memory://"),
        LOGIN_RATE_LIMIT=settings.env("LOGIN_RATE_LIMIT", "5 per minute;30 per hour"),
        CACHE_REDIS_URL=settings.env("CACHE_REDIS_URL", "") or None,
        WARM_CACHE=settings.env("WARM_CACHE", "") not in ("", "0", "false"),
        SHOW_DEMO_ACCOUNTS=False,
        TODAY=None,
        # Cookies: never readable by scripts, not sent on cross-site posts; Secure is added over HTTPS.
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_DURATION=timedelta(days=14),
        REMEMBER_COOKIE_REFRESH_EACH_REQUEST=False,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=12 * 3600,
        # Dash posts JSON to its own endpoints; the HTML form routes check their CSRF token explicitly.
        WTF_CSRF_CHECK_DEFAULT=False,
        # Freeze the objects of start-up (Dash, plotly, the layouts: most of the heap) out of the collector's
        # reach, so a full collection during a big request stops re-scanning them; a grid request at `large`
        # scale builds 21,000 rows and lost 50-100 ms to such a collection. Off for test apps: a process that
        # builds hundreds of apps would keep every one of them.
        GC_FREEZE=serving,
    )
    server.config.update(test_config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    data_access.init_app(server)
    auth.init_app(server)
    api.init_app(server)
    cli.init_app(server)
    council_routes.init_app(server)
    _build_dash(server)
    if server.config["GC_FREEZE"]:
        gc.collect()
        gc.freeze()
    if server.config["WARM_CACHE"]:
        from pages._warm import warm_in_background

        warm_in_background(server)
    return server


def _build_dash(server: Flask) -> Dash:
    app = Dash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder=str(ROOT / "pages"),
        assets_folder=str(ROOT / "assets"),
        suppress_callback_exceptions=True,
        compress=True,  # gzip/br responses (Flask-Compress); plotly.js is the cartesian partial bundle in assets/
        title="住建治理看板 · Housing Governance",
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.layout = _serve_layout

    @app.callback(Output("city-switch", "label"), Input("_pages_location", "search"))
    def _city_switch_label(search: str | None) -> str:
        """Name the area being shown; the city comes from the URL so shared links keep it."""
        viewer = auth.current_viewer()
        if viewer is None:
            raise PreventUpdate
        lang = auth.current_lang()
        code = parse_qs((search or "").lstrip("?")).get("city", [None])[0]
        cities = list_cities(data_access.get_session())
        allowed = viewer.allowed_city_ids()
        if code in (None, "province") and allowed is not None and len(allowed) == 1:
            code = next(c.code for c in cities if c.id in allowed)
        return city_label(cities, code, lang)

    @app.callback(
        Output({"type": "nav-link", "page": ALL, "path": ALL}, "href"),
        Input("_pages_location", "search"),
        State({"type": "nav-link", "page": ALL, "path": ALL}, "id"),
    )
    def _nav_keeps_city(search: str | None, ids: list[dict[str, str]]) -> list[str]:
        """Moving between pages keeps the chosen city (district and year belong to one page)."""
        code = parse_qs((search or "").lstrip("?")).get("city", [None])[0]
        suffix = "?" + urlencode({"city": code}) if code else ""
        return [i["path"] + suffix for i in ids]

    server.extensions["dash_app"] = app
    return app


def _serve_layout() -> html.Div:
    """The shell around every page, rebuilt per request so it follows the viewer and language."""
    if not has_request_context():  # Dash validates the layout once outside a request
        return html.Div([dcc.Location(id="url"), dash.page_container])
    viewer = auth.current_viewer()
    lang = auth.current_lang()
    if viewer is None:
        return html.Div([dcc.Location(id="url"), dash.page_container])
    session = data_access.get_session()
    cities = list_cities(session)
    allowed = viewer.allowed_city_ids()
    visible_cities = [c for c in cities if allowed is None or c.id in allowed]
    is_demo = session.scalar(select(DatasetInfo.value).where(DatasetInfo.key == "demo")) == "true"
    return html.Div(
        [
            dcc.Location(id="url"),
            navbar(
                lang=lang,
                pages=nav_entries(dash.page_registry.values(), viewer.role.value),
                cities=visible_cities,
                may_see_province=viewer.may_see_province,
                display_name=viewer.display_name,
                role=viewer.role.value,
                csrf_token=generate_csrf(),
            ),
            demo_banner(lang) if is_demo else None,
            html.Main(dash.page_container, lang="zh-CN" if lang == "zh" else "en"),
            footer(lang),
        ],
        **{"data-lang": lang},
    )


def __getattr__(name: str) -> Any:
    """`server` is built on first use, so importing this module has no side effects."""
    if name == "server":
        global server
        server = create_app()
        return server
    raise AttributeError(name)
