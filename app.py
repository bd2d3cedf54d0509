"""Application factory: a Flask server carrying the Dash app (Dash Pages under pages/).

`flask --app app run|seed-demo|create-user` finds `create_app`; gunicorn serves `app:server`.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import dash
from dash import ALL, Dash, Input, Output, State, dcc, html
from dash.background_callback.managers import BaseBackgroundCallbackManager
from dash.exceptions import PreventUpdate
from flask import Flask, has_request_context, request
from flask_wtf.csrf import generate_csrf  # type: ignore[import-untyped]  # Flask-WTF ships no type hints

import api
import auth
import briefing_routes
import cli
import council_routes
import data_access
import import_routes
import insurance_routes
import jobs
import json_response
import outage
import render_cache
import security
import settings
from components.i18n import t
from components.shell import MAIN_ID, city_label, demo_banner, footer, nav_entries, navbar, skip_link
from data_access.core.dataset import demo_city_codes
from data_access.geography import CityRow, list_cities
from pages._titles import localise_titles
from pages._urlargs import reduce_query, register_status

ROOT = Path(__file__).resolve().parent
server: Flask  # the gunicorn app, built on first access by __getattr__ below (declared, not bound)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the server. `test_config` overrides settings (tests pass DATABASE_URL, SECRET_KEY, TODAY)."""
    serving = test_config is None
    test_config = dict(test_config or {})
    server = Flask(__name__, instance_path=str(settings.instance_path()), root_path=str(ROOT))
    server.config.update(
        DATABASE_URL=test_config.pop("DATABASE_URL", None) or settings.database_url(),
        SECRET_KEY=test_config.pop("SECRET_KEY", None) or settings.secret_key(),
    )
    server.config.update(settings.config_defaults(Path(server.instance_path), serving=serving))
    server.config.update(test_config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    data_access.init_app(server)
    # Before auth: after-request hooks run in reverse, so auth hands out its CSRF cookie (on a 200) before this
    # turns the answer for an unknown page or record into a 404.
    register_status(server)
    auth.init_app(server)
    api.init_app(server)
    briefing_routes.init_app(server)
    cli.init_app(server)
    council_routes.init_app(server)
    import_routes.init_app(server)
    insurance_routes.init_app(server)
    outage.init_app(server)
    # After every page and callback: the CSP hashes cover them.
    security.init_app(server, _build_dash(server, jobs.init_app(server)))
    render_cache.init_app(server)  # last: after the gate; sees answers before compression (render_cache.py)
    if server.config["GC_FREEZE"]:
        gc.collect()
        gc.freeze()
    if server.config["WARM_CACHE"]:
        from pages._warm import warm_in_background

        warm_in_background(server)
    return server


class _LangDash(Dash):
    """Dash whose index page says its language: `<html lang>` follows the session (Dash writes a bare `<html>`), so a
    screen reader reads the Chinese pages in Chinese and the English ones in English (WCAG 3.1.1, issue 18)."""

    def interpolate_index(self, **kwargs: Any) -> str:  # type: ignore[override]  # as Dash's own docstring overrides it
        page = super().interpolate_index(**kwargs)
        lang = "zh-CN" if has_request_context() and auth.current_lang() == "zh" else "en"
        return page.replace("<html>", f'<html lang="{lang}">', 1)


def _build_dash(server: Flask, job_manager: BaseBackgroundCallbackManager) -> Dash:
    app = _LangDash(
        __name__,
        server=server,  # type: ignore[arg-type]  # Dash annotates bool | Callable; its docs accept a server instance
        use_pages=True,
        pages_folder=str(ROOT / "pages"),
        assets_folder=str(ROOT / "assets"),
        suppress_callback_exceptions=True,
        compress=True,  # gzip/br responses (Flask-Compress); plotly.js is the cartesian partial bundle in assets/
        title="住建治理看板 · Housing Governance",
        update_title=None,  # type: ignore[arg-type]  # annotated str; Dash's docs: None keeps the tab title
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
        background_callback_manager=job_manager,  # imports run as background jobs (jobs.py: embedded or Celery)
    )
    app.layout = _serve_layout
    json_response.install()  # callback answers and layouts encoded by orjson in one pass, same bytes (issue 18)
    localise_titles(dash.page_registry)  # tab titles in the session's language (pages/_titles.py)

    @app.callback(Output("city-switch", "label"), Input("_pages_location", "search"))
    def _city_switch_label(search: str | None) -> str:
        """Name the area being shown; the city comes from the URL so shared links keep it."""
        viewer = auth.current_viewer()
        if viewer is None:
            raise PreventUpdate
        lang = auth.current_lang()
        code = reduce_query(search).get("city")
        cities = list_cities(data_access.get_session())
        allowed = viewer.allowed_city_ids()
        if code in (None, "province") and allowed is not None and len(allowed) == 1:
            code = next(c.code for c in cities if c.id in allowed)
        return city_label(cities, code, lang)

    @app.callback(Output("demo-banner-slot", "children"), Input("_pages_location", "search"))
    def _demo_banner(search: str | None) -> html.Div | None:
        """The demo mark follows the city shown: a city whose own records were imported has none."""
        viewer = auth.current_viewer()
        if viewer is None:
            raise PreventUpdate
        allowed = viewer.allowed_city_ids()
        cities = [c for c in list_cities(data_access.get_session()) if allowed is None or c.id in allowed]
        return _demo_mark(search, cities, auth.current_lang())

    @app.callback(
        Output({"type": "nav-link", "page": ALL, "path": ALL}, "href"),
        Input("_pages_location", "search"),
        State({"type": "nav-link", "page": ALL, "path": ALL}, "id"),
    )
    def _nav_keeps_city(search: str | None, ids: list[dict[str, str]]) -> list[str]:
        """Moving between pages keeps the chosen city (district and year belong to one page)."""
        code = reduce_query(search).get("city")
        suffix = "?" + urlencode({"city": code}) if code else ""
        return [i["path"] + suffix for i in ids]

    server.extensions["dash_app"] = app
    return app


def _demo_mark(search: str | None, cities: list[CityRow], lang: str) -> html.Div | None:
    """The banner for the view a URL shows (its ?city=, or every city the viewer may see), or None when none of
    its figures is demo data."""
    code = reduce_query(search).get("city")
    shown = [c for c in cities if c.code == code] or cities
    demo = demo_city_codes(data_access.get_session(), [c.code for c in shown])
    if not demo:
        return None
    if len(demo) == len(shown):
        return demo_banner(lang)
    return demo_banner(lang, [c.name_en if lang == "en" else c.name for c in shown if c.code in demo])


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
    data_attributes: dict[str, Any] = {  # Dash's data-* props exist only as **kwargs
        "data-lang": lang,
        # assets/outage.js shows it on a 503
        "data-outage": t("outage.title", lang) + ("：" if lang == "zh" else ": ") + t("outage.body", lang),
    }
    return html.Div(
        [
            dcc.Location(id="url"),
            skip_link(lang),
            navbar(
                lang=lang,
                pages=nav_entries(dash.page_registry.values(), viewer.role.value),
                cities=visible_cities,
                may_see_province=viewer.may_see_province,
                display_name=viewer.display_name,
                role=viewer.role.value,
                csrf_token=generate_csrf(),
            ),
            html.Div(_demo_mark(request.query_string.decode(), visible_cities, lang), id="demo-banner-slot"),
            html.Main(dash.page_container, lang="zh-CN" if lang == "zh" else "en", id=MAIN_ID, tabIndex="-1"),
            footer(lang),
        ],
        **data_attributes,
    )


def __getattr__(name: str) -> Any:
    """`server` is built on first use, so importing this module has no side effects."""
    if name == "server":
        global server
        server = create_app()
        return server
    raise AttributeError(name)
