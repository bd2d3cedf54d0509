"""Background jobs: a long import runs in a process of its own, never in the web worker that received the file.

Dash's background callbacks do the running; this module picks their manager and adds what the import needs around
them. Two set-ups, chosen by `JOBS_REDIS_URL`:

- **embedded** (unset, the default: `make run`, tests): `DiskcacheManager`, each job a process forked from the web
  worker, its progress and result in a diskcache directory (`JOBS_DIR`), which also holds the import *tickets*;
- **production** (`JOBS_REDIS_URL=redis://127.0.0.1:6379/2`): `CeleryManager` on that Redis (broker and result
  backend both), the jobs run by `celery -A jobs.celery_app worker --concurrency=2` (`make worker`), and the tickets
  are Redis keys. A gunicorn worker only queues the job and polls Redis for its progress, so a restart of the web
  server loses no job and a 100,000-row file never holds a web worker.

Around either:

- **the app inside the job**: a job enters the Flask app (so `get_session()` and the configuration work) and drops
  the database connections it inherited from the process it was forked from instead of sharing them;
- **tickets**: a job cannot see the request that started it, so the callback that checks the signed-in user
  writes a ticket (who, which city and kind, where the file is, which step it has reached) under an unguessable
  id, and the job acts only on what the ticket says — after checking the account again in the database. A step
  moves on atomically (diskcache transaction, or a Lua script on Redis), so a confirm clicked twice loads once;
- **uploaded files** wait in `JOBS_DIR/uploads`, named by their ticket: with Celery that directory must be one
  the worker reads too (the same machine, or a shared disk mounted at the same path on each).
"""

from __future__ import annotations

import pickle
import secrets
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

import diskcache  # type: ignore[import-untyped]
from dash import DiskcacheManager
from flask import Flask, current_app

if TYPE_CHECKING:
    from celery import Celery  # type: ignore[import-untyped]
    from dash.background_callback.managers import BaseBackgroundCallbackManager
    from redis import Redis

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


# --------------------------------------------------------------------------- tickets


class TicketStore(Protocol):
    """Where tickets live: the same four operations on diskcache and on Redis, so the page never asks which."""

    def issue(self, ticket_id: str, ticket: dict[str, Any]) -> None: ...

    def read(self, ticket_id: str) -> dict[str, Any] | None: ...

    def update(self, ticket_id: str, changes: dict[str, Any]) -> dict[str, Any]: ...

    def advance(self, ticket_id: str, expected: str, to: str) -> bool: ...


class DiskTickets:
    """Tickets in the embedded job store (one diskcache directory shared by every process on the machine)."""

    def __init__(self, cache: diskcache.Cache, seconds: int = TICKET_SECONDS) -> None:
        self.cache, self.seconds = cache, seconds

    def issue(self, ticket_id: str, ticket: dict[str, Any]) -> None:
        self.cache.set(_TICKET_PREFIX + ticket_id, ticket, expire=self.seconds)

    def read(self, ticket_id: str) -> dict[str, Any] | None:
        found = self.cache.get(_TICKET_PREFIX + ticket_id)
        return found if isinstance(found, dict) else None

    def update(self, ticket_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        with self.cache.transact():
            ticket = dict(self.cache.get(_TICKET_PREFIX + ticket_id) or {})
            ticket.update(changes)
            self.cache.set(_TICKET_PREFIX + ticket_id, ticket, expire=self.seconds)
        return ticket

    def advance(self, ticket_id: str, expected: str, to: str) -> bool:
        with self.cache.transact():
            ticket = self.cache.get(_TICKET_PREFIX + ticket_id)
            if not isinstance(ticket, dict) or ticket.get("step") != expected:
                return False
            self.cache.set(_TICKET_PREFIX + ticket_id, {**ticket, "step": to}, expire=self.seconds)
        return True


# The step is a hash field of its own, so this script can compare and move it without decoding the rest of the
# ticket; the expiry is renewed with it, as every write of a ticket does.
_ADVANCE = """
if redis.call('HGET', KEYS[1], 'step') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'step', ARGV[2])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0
"""


class RedisTickets:
    """Tickets on Redis, for web and job processes that share no disk store: a hash per ticket, `step` in plain
    text (for the atomic advance) and the rest of the ticket pickled in `data` (a ticket holds the check's report,
    an object). Only this app's processes write these keys: the Redis must not be reachable by anyone else, as for
    Celery's own queue."""

    def __init__(self, client: Redis, seconds: int = TICKET_SECONDS) -> None:
        self.client, self.seconds = client, seconds
        self._advance = client.register_script(_ADVANCE)

    def issue(self, ticket_id: str, ticket: dict[str, Any]) -> None:
        key = _TICKET_PREFIX + ticket_id
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(key, mapping=self._fields(ticket))
        pipe.expire(key, self.seconds)
        pipe.execute()

    def read(self, ticket_id: str) -> dict[str, Any] | None:
        fields: dict[bytes, bytes] = self.client.hgetall(_TICKET_PREFIX + ticket_id)  # type: ignore[assignment]
        return self._decode(fields)

    def update(self, ticket_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Read, merge and write under WATCH: if another process changes the ticket in between, try again."""
        key = _TICKET_PREFIX + ticket_id

        def merge(pipe: Any) -> dict[str, Any]:
            ticket = {**(self._decode(pipe.hgetall(key)) or {}), **changes}
            pipe.multi()
            pipe.hset(key, mapping=self._fields(ticket))
            pipe.expire(key, self.seconds)
            return ticket

        # redis-py types the callable as returning None; with value_from_callable its value is what comes back.
        result = self.client.transaction(merge, key, value_from_callable=True)  # type: ignore[arg-type]
        return cast(dict[str, Any], result)

    def advance(self, ticket_id: str, expected: str, to: str) -> bool:
        return bool(self._advance(keys=[_TICKET_PREFIX + ticket_id], args=[expected, to, self.seconds]))

    @staticmethod
    def _fields(ticket: dict[str, Any]) -> dict[str, bytes]:
        rest = {k: v for k, v in ticket.items() if k != "step"}
        return {"step": str(ticket.get("step", "")).encode(), "data": pickle.dumps(rest)}

    @staticmethod
    def _decode(fields: dict[bytes, bytes]) -> dict[str, Any] | None:
        if b"data" not in fields:
            return None
        ticket: dict[str, Any] = pickle.loads(fields[b"data"])  # noqa: S301  # written only by this app (above)
        ticket["step"] = fields.get(b"step", b"").decode()
        return ticket


# --------------------------------------------------------------------------- set-up


def init_app(server: Flask) -> BaseBackgroundCallbackManager:
    """Open the job store and make the manager the Dash app uses for its background callbacks: Celery on Redis when
    JOBS_REDIS_URL is set, else the embedded diskcache one."""
    folder = Path(server.config["JOBS_DIR"])
    (folder / "uploads").mkdir(parents=True, exist_ok=True)
    redis_url = server.config.get("JOBS_REDIS_URL")
    if redis_url:
        from dash import CeleryManager
        from redis import Redis

        server.extensions["job_tickets"] = RedisTickets(Redis.from_url(redis_url))
        celery = make_celery(server, redis_url)
        return CeleryManager(celery)
    store = diskcache.Cache(str(folder))
    server.extensions["job_store"] = store
    server.extensions["job_tickets"] = DiskTickets(store)
    return AppJobManager(server, store)


def make_celery(server: Flask, redis_url: str) -> Celery:
    """The Celery app of this Flask app: Redis as broker and result backend, every task run inside the Flask app.

    Dash registers each background callback on it as a task named by the callback's source; the worker builds the
    same Flask app (and so the same pages and callbacks), so the names the web side queues are the ones it knows."""
    from celery import Celery, Task
    from celery.signals import worker_process_init  # type: ignore[import-untyped]

    class InApp(Task):  # Celery's base task; `run` is the body Dash registered
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with server.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(server.import_name, broker=redis_url, backend=redis_url, task_cls=InApp)
    celery.conf.update(
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        # Dash writes each job's progress and answer with the backend's set(), which expires keys after this: as
        # long as a ticket, so an answer nobody fetched does not stay in Redis for ever.
        result_expires=TICKET_SECONDS,
        worker_prefetch_multiplier=1,  # a long import does not hold back the jobs queued behind it
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,  # the app's logging (create_app) stays as it is
    )

    def forget_parent_connections(**_: Any) -> None:
        # Each pool process is forked from the worker's main process, which built the app: drop its connections.
        server.extensions["db_engine"].dispose(close=False)

    worker_process_init.connect(forget_parent_connections, weak=False)
    server.extensions["celery"] = celery
    return celery


def __getattr__(name: str) -> Any:
    """`jobs.celery_app`, for `celery -A jobs.celery_app worker`: builds the Flask app from the environment (the
    same variables as the web server: DATABASE_URL, SECRET_KEY, JOBS_REDIS_URL, JOBS_DIR) and gives its Celery app.
    Built on first access, so importing this module has no side effects."""
    if name == "celery_app":
        # The `celery` script does not put the working directory on sys.path; the app's modules live beside this one.
        here = str(Path(__file__).resolve().parent)
        if here not in sys.path:
            sys.path.insert(0, here)
        import app  # the factory; imported here because app.py imports this module

        server = app.create_app({"WARM_CACHE": False})  # the pages' cache is the web servers' to warm, not the jobs'
        celery = server.extensions.get("celery")
        if celery is None:
            raise RuntimeError("JOBS_REDIS_URL is not set: the worker needs the Redis the web server queues jobs on")
        globals()["celery_app"] = celery
        return celery
    raise AttributeError(name)


# --------------------------------------------------------------------------- the tickets of the current app


def _tickets() -> TicketStore:
    store: TicketStore = current_app.extensions["job_tickets"]
    return store


def upload_dir() -> Path:
    return Path(current_app.config["JOBS_DIR"]) / "uploads"


def issue_ticket(**fields: Any) -> str:
    """Write a new ticket and give its id (also the uploaded file's name); forget expired uploads first."""
    _forget_old_uploads()
    ticket_id = secrets.token_urlsafe(24)
    _tickets().issue(ticket_id, {**fields, "issued": time.time()})
    return ticket_id


def read_ticket(ticket_id: object) -> dict[str, Any] | None:
    """The ticket, or None for an id that is not a live ticket (expired, made up, or not a string at all)."""
    if not isinstance(ticket_id, str) or not 20 <= len(ticket_id) <= 64:
        return None
    return _tickets().read(ticket_id)


def update_ticket(ticket_id: str, **changes: Any) -> dict[str, Any]:
    """Change a ticket atomically, so two workers cannot both move it on a step."""
    return _tickets().update(ticket_id, changes)


def advance_ticket(ticket_id: str, expected: str, to: str) -> bool:
    """Move a ticket from one step to the next only if it is at `expected` (a confirm clicked twice loads once)."""
    return _tickets().advance(ticket_id, expected, to)


def _forget_old_uploads() -> None:
    cutoff = time.time() - TICKET_SECONDS
    for path in upload_dir().glob("*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


__all__ = [
    "TICKET_SECONDS",
    "AppJobManager",
    "DiskTickets",
    "RedisTickets",
    "TicketStore",
    "advance_ticket",
    "init_app",
    "issue_ticket",
    "make_celery",
    "read_ticket",
    "update_ticket",
    "upload_dir",
]
