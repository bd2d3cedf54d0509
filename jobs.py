"""Background jobs: a long import runs in a process of its own, never in the web worker that received the file.

Dash's background callbacks do the running (`DiskcacheManager`: each job a forked process, its progress and result
in a diskcache directory); this module adds what the import needs around them:

- **the job store** (`JOBS_DIR`, default instance/jobs): one diskcache directory on the machine, shared by every
  gunicorn worker and every job process — Dash's progress and results, and the import *tickets*;
- **the app inside the job**: the forked process enters the Flask app that started it (so `get_session()` and the
  configuration work) and drops the database connections it inherited instead of sharing them with its parent;
- **tickets**: a job cannot see the request that started it, so the callback that checks the signed-in user
  writes a ticket (who, which city and kind, where the file is, which step it has reached) under an unguessable
  id, and the job acts only on what the ticket says — after checking the account again in the database.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

import diskcache  # type: ignore[import-untyped]
from dash import DiskcacheManager
from flask import Flask, current_app

TICKET_SECONDS = 6 * 3600  # an upload left unconfirmed this long is forgotten (its file deleted)
_TICKET_PREFIX = "import-ticket:"


class AppJobManager(DiskcacheManager):
    """Dash's diskcache manager, with each job run inside the Flask app that started it."""

    def __init__(self, server: Flask, cache: diskcache.Cache) -> None:
        super().__init__(cache)
        self.server = server

    def call_job_fn(self, key: Any, job_fn: Any, args: Any, context: Any) -> Any:
        server = self.server

        def in_app(*job_args: Any) -> Any:
            # A forked child must not use the pooled connections it inherited: they belong to its parent.
            server.extensions["db_engine"].dispose(close=False)
            with server.app_context():
                return job_fn(*job_args)

        return super().call_job_fn(key, in_app, args, context)


def init_app(server: Flask) -> AppJobManager:
    """Open the job store and make the manager the Dash app uses for its background callbacks."""
    folder = Path(server.config["JOBS_DIR"])
    (folder / "uploads").mkdir(parents=True, exist_ok=True)
    store = diskcache.Cache(str(folder))
    server.extensions["job_store"] = store
    return AppJobManager(server, store)


def _store() -> diskcache.Cache:
    return current_app.extensions["job_store"]


def upload_dir() -> Path:
    return Path(current_app.config["JOBS_DIR"]) / "uploads"


def issue_ticket(**fields: Any) -> str:
    """Write a new ticket and give its id (also the uploaded file's name); forget expired uploads first."""
    _forget_old_uploads()
    ticket_id = secrets.token_urlsafe(24)
    _store().set(_TICKET_PREFIX + ticket_id, {**fields, "issued": time.time()}, expire=TICKET_SECONDS)
    return ticket_id


def read_ticket(ticket_id: object) -> dict[str, Any] | None:
    """The ticket, or None for an id that is not a live ticket (expired, made up, or not a string at all)."""
    if not isinstance(ticket_id, str) or not 20 <= len(ticket_id) <= 64:
        return None
    found = _store().get(_TICKET_PREFIX + ticket_id)
    return found if isinstance(found, dict) else None


def update_ticket(ticket_id: str, **changes: Any) -> dict[str, Any]:
    """Change a ticket atomically (diskcache transaction), so two workers cannot both move it on a step."""
    store = _store()
    with store.transact():
        ticket = dict(store.get(_TICKET_PREFIX + ticket_id) or {})
        ticket.update(changes)
        store.set(_TICKET_PREFIX + ticket_id, ticket, expire=TICKET_SECONDS)
    return ticket


def advance_ticket(ticket_id: str, expected: str, to: str) -> bool:
    """Move a ticket from one step to the next only if it is at `expected` (a confirm clicked twice loads once)."""
    store = _store()
    with store.transact():
        ticket = store.get(_TICKET_PREFIX + ticket_id)
        if not isinstance(ticket, dict) or ticket.get("step") != expected:
            return False
        store.set(_TICKET_PREFIX + ticket_id, {**ticket, "step": to}, expire=TICKET_SECONDS)
    return True


def _forget_old_uploads() -> None:
    cutoff = time.time() - TICKET_SECONDS
    for path in upload_dir().glob("*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


__all__ = [
    "AppJobManager",
    "advance_ticket",
    "init_app",
    "issue_ticket",
    "read_ticket",
    "update_ticket",
    "upload_dir",
]
