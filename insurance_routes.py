"""The insurance application's public notice: /notices/insurance/<id>, an A4 page to print and post in the building
and the compound (seed 002: posted for the city's notice days).

Public like the council notices (no account needed, under /notices/): it shows what is posted — the compound,
building, elevators, premium, cover and balance, the notice period and how to object — and no personal data, and
only from its first posting day.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, render_template, send_file
from werkzeug.wrappers.response import Response

from auth import current_lang, current_viewer
from components.formatting import day
from components.i18n import t
from components.insurance import notice_context
from data_access import get_session
from data_access.insurance import public_notice
from data_access.insurance_records import NotFound, document_file
from data_access.users import AccessDenied
from pages._common import today

bp = Blueprint("insurance", __name__)


@bp.route("/notices/insurance/<int:application_id>")
def notice(application_id: int) -> tuple[str, int]:
    lang = current_lang()
    view = public_notice(get_session(), application_id, today())
    context = notice_context(view, lang) if view else {}
    helpers = {"t": lambda key, **kw: t(key, lang, **kw), "day": lambda d: day(d, lang)}
    return render_template("insurance_notice.html", view=view, c=context, lang=lang, **helpers), 200 if view else 404


def document_store() -> Path:
    """Where application documents live: ATTACHMENT_DIR/insurance (outside the web root, like council attachments)."""
    return Path(current_app.config["ATTACHMENT_DIR"]) / "insurance"


@bp.route("/insurance/documents/<int:document_id>")
def document(document_id: int) -> Response:
    """A kept document, for a reader of its city who may see names; the same 404 whether missing or not theirs."""
    viewer = current_viewer()
    if viewer is None:
        abort(401)
    try:
        found = document_file(get_session(), viewer, document_id, document_store())
    except (NotFound, AccessDenied):
        abort(404)
    if not found.path.is_file():
        abort(404)
    response = send_file(found.path, mimetype=found.content_type, as_attachment=True, download_name=found.filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def init_app(server: Flask) -> None:
    server.register_blueprint(bp)
