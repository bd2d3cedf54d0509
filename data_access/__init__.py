"""Database access: engine set-up per Flask app and one session per request.

Pages and API routes never write SQL; they call the typed query functions of this package.
"""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from data_access.core.db import make_engine, make_session_factory


def init_app(server: Flask) -> None:
    engine = make_engine(server.config["DATABASE_URL"])
    server.extensions["db_engine"] = engine
    server.extensions["db_sessions"] = make_session_factory(engine)
    server.teardown_appcontext(_close_session)
    from data_access import cache

    cache.init_app(server)


def get_engine() -> Engine:
    return current_app.extensions["db_engine"]


def get_session() -> Session:
    """The request's session; closed (and rolled back if uncommitted) when the request ends."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessions"]()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
