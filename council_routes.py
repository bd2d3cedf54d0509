"""Plain HTTP routes of the council module: the public notice and attachment downloads.

The public notice (/notices/<meeting id>) needs no account: it shows exactly what the press role
sees of a meeting (published items, no names), once its posting period has begun. Attachments are
served only to those who may read the meeting's full record, from a folder outside the web root.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, render_template, send_file
from werkzeug.wrappers.response import Response

from auth import current_lang, current_viewer
from components.councils import category_label, outcome_label, party_label
from components.formatting import day
from components.i18n import t
from data_access import get_session
from data_access.council_access import NotFound, council_access
from data_access.council_records import attachment_file
from data_access.councils import public_notice
from data_access.users import AccessDenied
from pages._common import today

bp = Blueprint("councils", __name__)


def attachment_store() -> Path:
    """Where uploaded files live: ATTACHMENT_DIR (settings: instance/attachments unless configured)."""
    return Path(current_app.config["ATTACHMENT_DIR"])


@bp.route("/notices/<int:meeting_id>")
def notice(meeting_id: int) -> tuple[str, int]:
    lang = current_lang()
    view = public_notice(get_session(), meeting_id, today())
    helpers = {
        "t": lambda key, **kw: t(key, lang, **kw),
        "party": lambda p: party_label(p, lang),
        "category": lambda c: category_label(c, lang),
        "outcome": lambda o: outcome_label(o, lang),
        "day": lambda d: day(d, lang),
    }
    return render_template("notice.html", view=view, lang=lang, **helpers), 200 if view else 404


@bp.route("/councils/attachments/<int:attachment_id>")
def attachment(attachment_id: int) -> Response:
    viewer = current_viewer()
    if viewer is None:
        abort(401)
    try:
        found = attachment_file(get_session(), council_access(viewer, today()), attachment_id, attachment_store())
    except (NotFound, AccessDenied):
        abort(404)  # the same answer whether it is missing or someone else's
    if not found.path.is_file():
        abort(404)
    response = send_file(found.path, mimetype=found.content_type, as_attachment=True, download_name=found.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def init_app(server: Flask) -> None:
    server.register_blueprint(bp)
