"""The insurance application's public notice: /notices/insurance/<id>, an A4 page to print and post in the building
and the compound (seed 002: posted for the city's notice days).

Public like the council notices (no account needed, under /notices/): it shows what is posted — the compound,
building, elevators, premium, cover and balance, the notice period and how to object — and no personal data, and
only from its first posting day.
"""

from __future__ import annotations

from flask import Blueprint, Flask, render_template

from auth import current_lang
from components.formatting import day
from components.i18n import t
from components.insurance import notice_context
from data_access import get_session
from data_access.insurance import public_notice
from pages._common import today

bp = Blueprint("insurance", __name__)


@bp.route("/notices/insurance/<int:application_id>")
def notice(application_id: int) -> tuple[str, int]:
    lang = current_lang()
    view = public_notice(get_session(), application_id, today())
    context = notice_context(view, lang) if view else {}
    helpers = {"t": lambda key, **kw: t(key, lang, **kw), "day": lambda d: day(d, lang)}
    return render_template("insurance_notice.html", view=view, c=context, lang=lang, **helpers), 200 if view else 404


def init_app(server: Flask) -> None:
    server.register_blueprint(bp)
