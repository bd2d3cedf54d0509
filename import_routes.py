"""Plain HTTP routes of /import: the empty templates, a city's records in the template, and an import's error file.

Each route checks the signed-in account itself (the page's links are no boundary): templates need any import
right, an export or error file the right to import for that city. A refusal and a missing thing get the same 404,
so nobody learns which cities or tickets exist.
"""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, Flask, abort, send_file
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from werkzeug.wrappers.response import Response

import jobs
from auth import current_lang, current_viewer
from components.data_import import rejection_rows
from components.i18n import t
from data_access import get_session
from data_access.geography import list_cities
from data_access.imports.export import export_kind, template_bytes
from data_access.imports.kinds import KINDS
from data_access.users import Viewer

bp = Blueprint("imports", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _importer() -> Viewer:
    viewer = current_viewer()
    if viewer is None:
        abort(401)
    if not viewer.may_import:
        abort(404)
    return viewer


def _xlsx(data: bytes, name: str) -> Response:
    response = send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/import/template/<kind>.xlsx")
def template(kind: str) -> Response:
    _importer()
    if kind not in KINDS:
        abort(404)
    return _xlsx(template_bytes(kind), f"template-{kind}.xlsx")


@bp.route("/import/export/<city_code>/<kind>.xlsx")
def export(city_code: str, kind: str) -> Response:
    viewer = _importer()
    session = get_session()
    city = next((c for c in list_cities(session) if c.code == city_code), None)
    if kind not in KINDS or city is None or not viewer.may_import_for(city.id):
        abort(404)
    return _xlsx(export_kind(session, kind, city_code), f"{city_code}-{kind}.xlsx")


@bp.route("/import/errors/<ticket_id>.xlsx")
def errors(ticket_id: str) -> Response:
    """The rejected rows of a checked file, in the reader's language: row, column, value, reason per line."""
    viewer = _importer()
    ticket = jobs.read_ticket(ticket_id)
    if ticket is None or ticket.get("user_id") != viewer.id or ticket.get("report") is None:
        abort(404)
    lang = current_lang()
    book = Workbook()
    sheet = book.active
    sheet.title = t("import.errors.sheet", lang)
    header = [t(f"import.col.{c}", lang) for c in ("sheet", "row", "column", "value", "reason")]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDECEA")
    rows: list[list[Any]] = rejection_rows(ticket["report"], lang)
    for row in rows:
        sheet.append(row)
    for column, width in zip("ABCDE", (16, 8, 18, 24, 60), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return _xlsx(buffer.getvalue(), f"errors-{ticket.get('kind', 'import')}.xlsx")


def init_app(server: Flask) -> None:
    server.register_blueprint(bp)
