"""Database access: engine set-up per Flask app and one session per request.

Pages and API routes never write SQL; they call the typed query functions of this package.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from data_access.core.db import make_engine, make_session_factory

log = logging.getLogger("housing.db")


def init_app(server: Flask) -> None:
    engine = make_engine(server.config["DATABASE_URL"])
    server.extensions["db_engine"] = engine
    server.extensions["db_sessions"] = make_session_factory(engine)
    from data_access.rollup_refresh import RollupRebuilder

    server.extensions["rollup_rebuilder"] = RollupRebuilder(server.extensions["db_sessions"])
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
    """End the request's session. When the database went away during the request (PostgreSQL stopping), the
    rollback that closing sends fails too; the answer (outage.py's 503) is already made, so the dead connection is
    thrown away instead of turning that answer into a 500. Nothing uncommitted can survive either way."""
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()
    except DBAPIError as exc:
        log.warning("closing a session on a lost connection: %s", str(exc).splitlines()[0][:200])
        session.invalidate()
