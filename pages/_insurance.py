"""Shared by the insurance pages: reading form values, and running a write of data_access.insurance_records.

Parsing turns the form's strings into typed values and reports what cannot be read as the writer's own
`Problem`s (so both kinds of message are shown the same way); the rules are the writer's, and its word is final.
`run_write` checks the CSRF token and the signed-in account before the writer (which checks the account again
itself), commits on success and rolls back on any refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

import dash_bootstrap_components as dbc
from dash import html
from flask import current_app

from auth import current_lang, current_viewer, require_csrf
from components.i18n import t
from components.insurance import problem_text, refusal_alert
from data_access import get_session
from data_access.insurance_records import NotFound, Problem, Refused
from data_access.rollup_refresh import DEFER_KEY, DUE_KEY
from data_access.users import AccessDenied, Viewer

T = TypeVar("T")
READER_ROLES = ("admin", "leader", "press", "data_steward", "fund_centre")  # who may open the insurance pages


def reader() -> Viewer | None:
    """The signed-in account if it may read the insurance pages (organisers may not: they see the notices)."""
    viewer = current_viewer()
    return viewer if viewer is not None and viewer.role.value in READER_ROLES else None


def redacts(viewer: Viewer) -> bool:
    """The press never sees applicants' or objectors' names and contacts."""
    return viewer.role.value == "press"


@dataclass
class Parsed:
    problems: list[Problem] = field(default_factory=list)

    def day(self, value: Any, name: str) -> date | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.problems.append(Problem(name, "ins.err.date"))
            return None

    def whole(self, value: Any, name: str) -> int | None:
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            self.problems.append(Problem(name, "ins.err.number"))
            return None
        if number != number.to_integral_value():
            self.problems.append(Problem(name, "ins.err.count_range"))
            return None
        return int(number)

    def area(self, value: Any, name: str) -> Decimal | None:
        text = str(value if value is not None else "").strip().replace(",", "")
        if not text:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            self.problems.append(Problem(name, "ins.err.number"))
            return None

    def fen(self, value: Any, name: str) -> int | None:
        """Yuan as typed (1234.5) → integer fen; more than two decimals is refused, never rounded."""
        number = self.area(value, name)
        if number is None:
            return None
        fen = number * 100
        if fen != fen.to_integral_value():
            self.problems.append(Problem(name, "ins.err.money_range"))
            return None
        return int(fen)


@dataclass
class Outcome(Generic[T]):
    ok: bool
    alert: Any = None
    problems: list[Problem] = field(default_factory=list)
    value: T | None = None


def run_write(write: Callable[[Viewer], T]) -> Outcome[T]:
    require_csrf()
    lang = current_lang()
    viewer = current_viewer()
    session = get_session()
    if viewer is None:
        return Outcome(False, dbc.Alert(t("login.need", lang), color="warning", id="ins-refused"))
    # A purchase must not keep the clerk waiting for a full rollup rebuild: it is done after the commit, in a thread.
    session.info[DEFER_KEY] = True
    try:
        value = write(viewer)
        session.commit()
        if session.info.pop(DUE_KEY, False):
            current_app.extensions["rollup_rebuilder"].request()
    except Refused as exc:
        session.rollback()
        return Outcome(False, refusal_alert(exc.problems, lang), exc.problems)
    except AccessDenied:
        session.rollback()
        return Outcome(False, dbc.Alert(t("ins.write.forbidden", lang), color="danger", id="ins-refused"))
    except NotFound:
        session.rollback()
        return Outcome(False, dbc.Alert(t("ins.app.not_found", lang), color="warning", id="ins-refused"))
    return Outcome(True, value=value)


def refused(problems: list[Problem]) -> Outcome[Any]:
    return Outcome(False, refusal_alert(problems, current_lang()), problems)


def feedback(problems: list[Problem], fields: dict[str, str], lang: str) -> list[list[html.Div]]:
    """Each problem's message under its field (writer field name → the form's feedback slot), every message of a
    field one line (a refused filing names each failing elevator), in `fields`' slot order."""
    out: dict[str, list[html.Div]] = {slot: [] for slot in fields.values()}
    for p in problems:
        slot = fields.get(p.field)
        if slot is not None:
            out[slot].append(html.Div(problem_text(p, lang)))
    return list(out.values())
