"""Result cache for the heavy indicator queries (Flask-Caching: in-process by default, Redis when configured).

Fund ledgers, elevators, insurance, faults and work orders change only by loading data (seeding,
imports); council records change through the app. A key holds everything that scopes the result:
- the function and every argument (the Area the viewer was narrowed to, dates, years, flags, and for
  council lists the viewer's CouncilAccess: role, user, cities, compounds, published-only);
- the viewer's scope (g.cache_scope, set by auth for every request), so users of different scope
  never share an entry even where their arguments coincide;
- the data generation (dataset_info "generation", renewed by every seed), so a reloaded database
  never serves figures of the previous one;
- for functions that read council records (`@cached_query(councils=True)`), the council generation
  (dataset_info "council_generation"), renewed in the same transaction as every council write
  (`bump_council_generation`), so a saved meeting shows at once, in every process sharing the database.
Outside a Flask app (CLI, benchmarks' bare runs, unit tests) the functions run uncached.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_app_context
from flask_caching import Cache
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data_access.core.models import DatasetInfo

F = TypeVar("F", bound=Callable[..., Any])
GENERATION_KEY = "generation"
COUNCIL_GENERATION_KEY = "council_generation"
CALLS: dict[str, int] = {}  # computations per function (misses), for tests and the benchmark


def init_app(server: Flask) -> None:
    redis_url = server.config.get("CACHE_REDIS_URL")
    config = {
        "CACHE_TYPE": server.config.get("CACHE_TYPE") or ("RedisCache" if redis_url else "SimpleCache"),
        "CACHE_DEFAULT_TIMEOUT": int(server.config.get("CACHE_DEFAULT_TIMEOUT") or 6 * 3600),
        # In-process entries (SimpleCache): the warm-up alone fills a few hundred (pages per area, scope and
        # year, plus the coverage figure per month end); a page of compound rows can be a megabyte.
        "CACHE_THRESHOLD": int(server.config.get("CACHE_THRESHOLD") or 3000),
        "CACHE_KEY_PREFIX": "hgd:",
    }
    if redis_url:
        config["CACHE_REDIS_URL"] = redis_url
    server.extensions["result_cache"] = Cache(server, config=config)


def data_generation(session: Session) -> str:
    """The loaded data set's generation; read once per request."""
    if "data_generation" not in g:
        value = session.scalar(select(DatasetInfo.value).where(DatasetInfo.key == GENERATION_KEY))
        g.data_generation = value or "0"
    return g.data_generation


def cache_key(fn: Callable[..., Any], generation: str, scope: str, args: tuple, kwargs: dict) -> str:
    parts = repr((args, sorted(kwargs.items())))
    digest = hashlib.sha256(parts.encode()).hexdigest()[:32]
    return f"{fn.__module__}.{fn.__qualname__}:{generation}:{scope}:{digest}"


def council_generation(session: Session) -> str:
    """Read on every call, not once per request: a callback that saves and then lists must see its own save."""
    value = session.scalar(select(DatasetInfo.value).where(DatasetInfo.key == COUNCIL_GENERATION_KEY))
    return value or "0"


def bump_council_generation(session: Session) -> None:
    """Call inside the transaction of every council write, after its flush: cached council figures and lists
    stop matching when it commits (and not before, so a rolled-back write invalidates nothing)."""
    value = uuid.uuid4().hex
    done = session.execute(
        update(DatasetInfo).where(DatasetInfo.key == COUNCIL_GENERATION_KEY).values(value=value),
        execution_options={"synchronize_session": False},
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        session.add(DatasetInfo(key=COUNCIL_GENERATION_KEY, value=value))
        session.flush()


def cached_query(fn: F | None = None, *, councils: bool = False) -> Any:
    """Cache a query function `fn(session, *args)` whose result depends only on its arguments and the data.

    `councils=True` for functions that read council records: their entries also expire with every council write.
    """
    if fn is None:
        return functools.partial(cached_query, councils=councils)
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(session: Session, *args: Any, **kwargs: Any) -> Any:
        cache: Cache | None = current_app.extensions.get("result_cache") if has_app_context() else None
        if cache is None:
            return fn(session, *args, **kwargs)
        generation = data_generation(session)
        if councils:
            generation = f"{generation}+{council_generation(session)}"
        key = cache_key(fn, generation, g.get("cache_scope", "system"), args, kwargs)
        hit = cache.get(key)
        if hit is not None:
            return hit
        CALLS[name] = CALLS.get(name, 0) + 1
        value = fn(session, *args, **kwargs)
        cache.set(key, value)
        return value

    return wrapper
