"""A database outage answers 503 with Retry-After, never a stack-trace page, and is logged once, not per request.

When PostgreSQL restarts or the network drops, every request that touches the database fails the same way. The API
and Dash's callbacks get JSON (`{"error": ..., "status": 503}`) that a client can retry; a page (the first HTML
request) gets a short branded page in the UI language; assets/outage.js shows the message over a page already open.
Nothing needs restarting afterwards: the failed connection is dropped from the pool and the next request opens a
new one. Errors that are not about reaching the database (a bad query, a constraint) are not caught here.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask, Response, current_app, jsonify, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from auth import current_lang  # the language lives in the session cookie: no database needed
from components.i18n import t

log = logging.getLogger("housing.outage")

RETRY_AFTER_SECONDS = 5
LOG_EVERY_SECONDS = 30.0  # one line per outage (and one per half minute while it lasts), not one per request


class _OutageLog:
    """Log the first failure of an outage in full, then a count of the requests refused since, at most every 30 s."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0.0
        self._suppressed = 0

    def record(self, exc: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._last < LOG_EVERY_SECONDS:
                self._suppressed += 1
                return
            suppressed, self._suppressed, self._last = self._suppressed, 0, now
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        log.error(
            "database unavailable, answering 503: %s: %s%s",
            type(exc).__name__,
            first_line[:300],
            f" ({suppressed} more requests refused since the last message)" if suppressed else "",
        )


def is_unavailable(exc: BaseException) -> bool:
    """True for failures to reach or keep a connection; False for errors in what was asked of the database."""
    if isinstance(exc, (OperationalError, InterfaceError, PoolTimeout)):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def unavailable_response() -> tuple[Response | str, int, dict[str, str]]:
    """JSON for the API and Dash's endpoints, a page for a browser's navigation."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if request.path.startswith(("/api/", "/_dash-", "/healthz")) or request.accept_mimetypes.best == "application/json":
        return jsonify(error="database unavailable, retry shortly", status=503), 503, headers
    lang = current_lang()
    # Not render_template: its context processors would ask Flask-Login for the account, i.e. the database again.
    page = current_app.jinja_env.get_template("unavailable.html").render(
        lang=lang, t=lambda key, **kw: t(key, lang, **kw), retry_href=request.full_path.rstrip("?")
    )
    return page, 503, headers


def init_app(server: Flask) -> None:
    outage_log = _OutageLog()

    def _database_unavailable(exc: Exception) -> tuple[Response | str, int, dict[str, str]]:
        if not is_unavailable(exc):
            raise exc  # not an outage: Flask's ordinary 500 handling, with its traceback in the log
        outage_log.record(exc)
        return unavailable_response()

    for error in (OperationalError, InterfaceError, PoolTimeout, DBAPIError):
        server.register_error_handler(error, _database_unavailable)
