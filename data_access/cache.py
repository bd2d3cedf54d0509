"""Result cache for the heavy indicator queries (Flask-Caching: in-process by default, Redis when configured).

Fund ledgers, elevators, insurance, faults and work orders change only by loading data (seeding,
imports); council records change through the app. A key holds everything a result depends on:
- the function and every argument. The viewer's scope is among them, explicitly: a page narrows the
  requested area to the viewer (`Viewer.area_for`) before it asks, so the `Area` argument *is* the scope,
  and council lists take the viewer's `CouncilAccess` (role, user, cities, compounds, published-only).
  Two viewers who may see the same area share its entry, which is correct: the figures are the same;
- the data generation (dataset_info "generation", renewed by every seed), so a reloaded database
  never serves figures of the previous one;
- for functions that read council records (`@cached_query(councils=True)`), the council generation
  (dataset_info "council_generation"), renewed in the same transaction as every council write
  (`bump_council_generation`), so a saved meeting shows at once, in every process sharing the database.
Nothing is read from the request (`flask.g`): the data generation is read once per session (one session per
request) and kept in `session.info`. Outside a Flask app (CLI, benchmarks' bare runs, unit tests) the functions
run uncached. A decorated function keeps its signature for the type checker (ParamSpec).
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar, overload

from flask import Flask, current_app, has_app_context
from flask_caching import Cache
from sqlalchemy.orm import Session

from data_access.core.dataset import council_generation, dataset_facts, read_generation

P = ParamSpec("P")
R = TypeVar("R")
Query = Callable[Concatenate[Session, P], R]
CALLS: dict[str, int] = {}  # computations per function (misses), for tests and the benchmark


def init_app(server: Flask) -> None:
    """Defaults come from settings.config_defaults: Redis when CACHE_REDIS_URL is set, else in-process."""
    redis_url = server.config["CACHE_REDIS_URL"]
    config = {
        "CACHE_TYPE": server.config["CACHE_TYPE"] or ("RedisCache" if redis_url else "SimpleCache"),
        "CACHE_DEFAULT_TIMEOUT": int(server.config["CACHE_DEFAULT_TIMEOUT"]),
        "CACHE_THRESHOLD": int(server.config["CACHE_THRESHOLD"]),
        "CACHE_KEY_PREFIX": "hgd:",
    }
    if redis_url:
        config["CACHE_REDIS_URL"] = redis_url
    server.extensions["result_cache"] = Cache(server, config=config)


def data_generation(session: Session) -> str:
    """The loaded data set's generation, as the session first read it (core.dataset.dataset_facts)."""
    return read_generation(session)


def dataset_state(session: Session) -> str:
    """Everything the data set says about itself, as one short string: the data and council generations, the demo
    mark and which cities' own records were imported, and the pre-aggregated tables' state. A rendered page depends
    on all of them (figures, council lists, the demo banner of its charts), so a rendered-output cache key holds
    this (render_cache.py): a seed, an import, a council or insurance write changes it, and nothing is served from
    before. Read with the session's one `dataset_info` statement, which every request makes anyway."""
    facts = dataset_facts(session)
    return hashlib.sha256(repr(sorted(facts.items())).encode()).hexdigest()[:24]


def result_cache() -> Cache | None:
    """The app's result cache, or None outside an app or when switched off (the benchmark's cache-miss runs)."""
    return current_app.extensions.get("result_cache") if has_app_context() else None


def cache_key(name: str, generation: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    digest = hashlib.sha256(repr((args, sorted(kwargs.items()))).encode()).hexdigest()[:32]
    return f"{name}:{generation}:{digest}"


@overload
def cached_query(fn: Query[P, R], *, councils: bool = False) -> Query[P, R]: ...


@overload
def cached_query(fn: None = None, *, councils: bool = False) -> Callable[[Query[P, R]], Query[P, R]]: ...


def cached_query(
    fn: Query[P, R] | None = None, *, councils: bool = False
) -> Query[P, R] | Callable[[Query[P, R]], Query[P, R]]:
    """Cache a query function `fn(session, *args)` whose result depends only on its arguments and the data.

    `councils=True` for functions that read council records: their entries also expire with every council write.
    """
    if fn is None:
        return functools.partial(_decorate, councils=councils)
    return _decorate(fn, councils=councils)


def _decorate(fn: Query[P, R], *, councils: bool) -> Query[P, R]:
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(session: Session, /, *args: P.args, **kwargs: P.kwargs) -> R:
        cache: Cache | None = current_app.extensions.get("result_cache") if has_app_context() else None
        if cache is None:
            return fn(session, *args, **kwargs)
        generation = data_generation(session)
        if councils:
            generation = f"{generation}+{council_generation(session)}"
        key = cache_key(name, generation, args, kwargs)
        hit = cache.get(key)
        if hit is not None:
            return hit
        CALLS[name] = CALLS.get(name, 0) + 1
        value = fn(session, *args, **kwargs)
        cache.set(key, value)
        return value

    return wrapper


def claim(task: str, timeout_seconds: int) -> bool:
    """True for the one process, among all that share this cache, that should do `task` now (e.g. the morning's
    warm-up); False for the others until the claim expires. Redis makes this an atomic SET NX across workers; the
    in-process cache claims within the process only, which is right: each process then has a cache of its own."""
    cache: Cache | None = current_app.extensions.get("result_cache") if has_app_context() else None
    if cache is None:
        return True
    return bool(cache.add(f"claim:{task}", os.getpid(), timeout=timeout_seconds))
