"""/import — a city's records in: choose kind and city, upload, see the check, confirm, watch it load.

Steps and who checks what:
1. `_stage` (an ordinary callback, in the request): the signed-in account must be an administrator or the city's
   data steward (`Viewer.may_import_for`) and the file within IMPORT_MAX_BYTES; the file is kept under a ticket
   (jobs.py) that records who uploaded it, for which city and kind.
2. `_check` (a background job): validates the whole file as a dry run, with progress; writes nothing.
3. `_confirm` (ordinary): the same account again, and a ticket that passed the check, moved on exactly once.
4. `_load` (a background job): validates again and writes everything in one transaction (or nothing).
The jobs cannot see the request, so they act only on their ticket and re-read the account from the database.
"""

from __future__ import annotations

import base64
import binascii
import logging
from pathlib import Path
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate
from flask import current_app

import jobs
from auth import current_lang, current_viewer, require_csrf
from components import data_import as ui
from components.i18n import t
from data_access import get_session, users
from data_access.geography import list_cities
from data_access.imports.files import Source
from data_access.imports.pipeline import Who, load_file, validate_file
from data_access.imports.report import ImportReport
from data_access.users import Viewer, load_viewer
from pages._common import page_layout, today
from pages._urlargs import PageArgs, UrlArgs

log = logging.getLogger(__name__)
URL_ARGS = UrlArgs(())
IMPORT_ROLES = tuple(r.value for r in users.IMPORT_ROLES)  # the page's nav entry; every check asks the viewer

dash.register_page(
    __name__,
    path="/import",
    name="data_import",
    title="数据导入",
    nav_key="nav.import",
    nav_group="tools",
    roles=IMPORT_ROLES,
    order=80,
    url_args=URL_ARGS,
)


def _importer() -> Viewer | None:
    viewer = current_viewer()
    return viewer if viewer is not None and viewer.may_import else None


@page_layout(URL_ARGS)
def layout(args: PageArgs) -> object:
    lang, viewer = current_lang(), _importer()
    if viewer is None:
        return dbc.Container(dbc.Alert(t("import.forbidden", lang), color="danger", id="forbidden"), className="py-4")
    cities = [c for c in list_cities(get_session()) if viewer.may_import_for(c.id)]
    return dbc.Container(
        [
            html.Div(
                [
                    html.H1(t("import.title", lang), id="page-title"),
                    html.Div(t("import.subtitle", lang), className="subtitle"),
                ],
                className="page-head my-3",
            ),
            ui.choose_card(ui.kind_options(lang), ui.city_options(cities, lang), lang),
            ui.upload_card(current_app.config["IMPORT_MAX_BYTES"], lang),
            html.Div(id="import-preview"),
            dbc.Button(
                t("import.confirm", lang), id="import-confirm", color="primary", disabled=True, className="my-2"
            ),
            html.Div(id="import-result", role="status", **ui.ANNOUNCED),
            dcc.Store(id="import-ticket"),
            dcc.Store(id="import-load-ticket"),
        ],
        fluid="xl",
        className="pb-4",
    )


@callback(
    Output("import-template-link", "href"),
    Output("import-export-link", "href"),
    Input("import-kind", "value"),
    Input("import-city", "value"),
)
def _links(kind: str | None, city: str | None) -> tuple[str, str]:
    """The links only name the files; the routes check who asks (import_routes.py)."""
    if not kind or not city:
        raise PreventUpdate
    return f"/import/template/{kind}.xlsx", f"/import/export/{city}/{kind}.xlsx"


@callback(
    Output("import-ticket", "data"),
    Output("import-status", "children"),
    Output("import-preview", "children", allow_duplicate=True),
    Output("import-result", "children", allow_duplicate=True),
    Input("import-upload", "contents"),
    State("import-upload", "filename"),
    State("import-kind", "value"),
    State("import-city", "value"),
    prevent_initial_call=True,
)
def _stage(contents: str | None, filename: str | None, kind: str | None, city: str | None) -> tuple[Any, ...]:
    require_csrf()
    viewer, lang = _importer(), current_lang()
    if viewer is None:
        raise PreventUpdate
    cleared = (None, None)
    target = next((c for c in list_cities(get_session()) if c.code == city), None)
    if target is None or not viewer.may_import_for(target.id):
        return None, ui.notice("import.err.city", lang), *cleared
    if kind not in {o["value"] for o in ui.kind_options(lang)}:
        return None, ui.notice("import.err.kind", lang), *cleared
    data = _decode(contents)
    name = Path(filename or "upload").name[:200]
    if data is None:
        return None, ui.notice("import.err.no_file", lang), *cleared
    limit = current_app.config["IMPORT_MAX_BYTES"]
    if len(data) > limit:
        size = f"{len(data) / 1024 / 1024:.1f}"
        return None, ui.notice("import.err.too_big", lang, name=name, size=size, mb=limit // 1024 // 1024), *cleared
    ticket_id = jobs.issue_ticket(
        step="uploaded",
        user_id=viewer.id,
        kind=kind,
        city_id=target.id,
        city_code=target.code,
        filename=name,
        lang=lang,
    )
    (jobs.upload_dir() / ticket_id).write_bytes(data)
    return ticket_id, html.Span(t("import.checking", lang, name=name)), *cleared


def _decode(contents: str | None) -> bytes | None:
    """dcc.Upload's data URL → the file's bytes (None when there is no file or it is not base64)."""
    if not contents or "," not in contents:
        return None
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        return None


def _ticket_for_job(ticket_id: object, step: str, to: str) -> tuple[dict[str, Any], Viewer] | None:
    """Inside a job: the ticket at `step` (moved on to `to`), and its account re-read and still allowed."""
    ticket = jobs.read_ticket(ticket_id)
    if ticket is None or not jobs.advance_ticket(str(ticket_id), step, to):
        return None
    viewer = load_viewer(get_session(), int(ticket["user_id"]))
    if viewer is None or not viewer.may_import_for(int(ticket["city_id"])):  # implies may_import
        return None
    return ticket, viewer


def _ticket_lang(ticket_id: object) -> str:
    ticket = jobs.read_ticket(ticket_id)
    return str(ticket["lang"]) if ticket else "zh"


def _progress(set_progress: Any, lang: str) -> Any:
    def report(stage: str, done: int, total: int) -> None:
        value = 100 if stage == "rollups" else int(100 * done / total) if total else 0
        set_progress((value, t(f"import.progress.{stage}", lang, done=done, total=total)))

    return report


def _source(ticket_id: str, ticket: dict[str, Any]) -> Source:
    return Source.from_path(jobs.upload_dir() / ticket_id, name=str(ticket["filename"]))


@callback(
    Output("import-preview", "children"),
    Output("import-confirm", "disabled"),
    Output("import-status", "children", allow_duplicate=True),
    Input("import-ticket", "data"),
    background=True,
    progress=[Output("import-progress", "value"), Output("import-progress", "label")],
    running=[(Output("import-upload", "disabled"), True, False)],
    prevent_initial_call=True,
)
def _check(set_progress: Any, ticket_id: object) -> tuple[Any, bool, Any]:
    """The dry run, in a job process: the preview, and whether the confirm button may be pressed."""
    found = _ticket_for_job(ticket_id, "uploaded", "checking")
    if found is None:  # no request here: the language is the ticket's, or the default
        return ui.notice("import.err.ticket", _ticket_lang(ticket_id)), True, None
    ticket, _viewer = found
    lang, session = str(ticket["lang"]), get_session()
    try:
        report = validate_file(
            session,
            ticket["kind"],
            _source(str(ticket_id), ticket),
            ticket["city_code"],
            today=today(),
            progress=_progress(set_progress, lang),
        )
    except Exception:  # a job must answer with a message, never a traceback
        log.exception("checking an import failed")
        return ui.failed(lang), True, None
    finally:
        session.rollback()
    jobs.update_ticket(str(ticket_id), step="checked" if report.ok else "refused", report=report)
    total = report.total
    rows = total.new + total.updated + total.unchanged + total.rejected
    set_progress((100, t("import.progress.checked", lang, rows=rows)))
    loadable = report.ok and bool(total.new or total.updated)
    return ui.preview(report, str(ticket_id), lang), not loadable, None


@callback(
    Output("import-load-ticket", "data"),
    Output("import-confirm", "disabled", allow_duplicate=True),
    Input("import-confirm", "n_clicks"),
    State("import-ticket", "data"),
    prevent_initial_call=True,
)
def _confirm(_n: int | None, ticket_id: object) -> tuple[str, bool]:
    require_csrf()
    viewer = _importer()
    ticket = jobs.read_ticket(ticket_id)
    if viewer is None or ticket is None or ticket.get("user_id") != viewer.id:
        raise PreventUpdate
    if not viewer.may_import_for(int(ticket["city_id"])):
        raise PreventUpdate
    if not jobs.advance_ticket(str(ticket_id), "checked", "confirmed"):  # a second click loads nothing twice
        raise PreventUpdate
    return str(ticket_id), True


@callback(
    Output("import-result", "children"),
    Output("import-status", "children", allow_duplicate=True),
    Input("import-load-ticket", "data"),
    background=True,
    progress=[Output("import-progress", "value"), Output("import-progress", "label")],
    running=[(Output("import-upload", "disabled"), True, False)],
    prevent_initial_call=True,
)
def _load(set_progress: Any, ticket_id: object) -> tuple[Any, Any]:
    """Validate again and write it all in one transaction, in a job process; commit only a loaded report."""
    found = _ticket_for_job(ticket_id, "confirmed", "loading")
    if found is None:
        return ui.notice("import.err.ticket", _ticket_lang(ticket_id)), None
    ticket, viewer = found
    lang, session = str(ticket["lang"]), get_session()
    try:
        report: ImportReport = load_file(
            session,
            ticket["kind"],
            _source(str(ticket_id), ticket),
            ticket["city_code"],
            who=Who(viewer.id, viewer.username),
            today=today(),
            progress=_progress(set_progress, lang),
        )
        if report.loaded:
            session.commit()
        else:
            session.rollback()
    except Exception:
        session.rollback()
        log.exception("loading an import failed")
        jobs.update_ticket(str(ticket_id), step="failed")
        return ui.failed(lang), None
    jobs.update_ticket(str(ticket_id), step="loaded" if report.loaded else "refused", report=report)
    (jobs.upload_dir() / str(ticket_id)).unlink(missing_ok=True)
    if not report.loaded:  # the data changed since the check: show what is refused now
        return ui.preview(report, str(ticket_id), lang), None
    set_progress((100, t("import.progress.loaded", lang)))
    return ui.loaded(report, str(ticket["city_code"]), lang), None
