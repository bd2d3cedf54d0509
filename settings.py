"""Where configuration comes from: the environment first, then files kept in instance/."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
DEFAULT_INSTANCE = ROOT / "instance"


def instance_path() -> Path:
    path = Path(os.environ.get("INSTANCE_PATH", DEFAULT_INSTANCE))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """DATABASE_URL selects PostgreSQL (postgresql+psycopg://...); the default is an embedded SQLite file."""
    url = os.environ.get("DATABASE_URL")
    if url:
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgres://")
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    return f"sqlite:///{instance_path() / 'housing.sqlite3'}"


def secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept owner-only in instance/."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = instance_path() / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    os.chmod(path, 0o600)
    return path.read_text().strip()


def env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def config_defaults(instance: Path, *, serving: bool) -> dict[str, Any]:
    """Every setting the server reads with `server.config[...]`, at its default (the environment's value for the
    variables of README's configuration table); create_app applies these, then its overrides. No module keeps a
    fallback of its own. DATABASE_URL and SECRET_KEY are not here: create_app calls database_url() and
    secret_key() only when it is not given them (secret_key() may write instance/secret_key)."""
    return {
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URI", "memory://"),
        # How many proxies in front append X-Forwarded-For/-Proto (1 behind the README's nginx; 0: none, and the
        # headers are ignored, so a client cannot choose its own address for the sign-in throttle).
        "TRUSTED_PROXY_HOPS": int(env("TRUSTED_PROXY_HOPS", "0")),
        # Failed sign-ins: per account from one address, and per address over all accounts (auth.init_app).
        "LOGIN_RATE_LIMIT": env("LOGIN_RATE_LIMIT", "5 per minute;30 per hour"),
        "LOGIN_ADDRESS_RATE_LIMIT": env("LOGIN_ADDRESS_RATE_LIMIT", "20 per minute;100 per hour"),
        # Result cache (data_access/cache.py): Redis when CACHE_REDIS_URL is set, else in-process.
        "CACHE_REDIS_URL": env("CACHE_REDIS_URL", "") or None,
        "CACHE_TYPE": None,  # None: RedisCache with CACHE_REDIS_URL, SimpleCache without
        "CACHE_DEFAULT_TIMEOUT": 6 * 3600,
        # In-process entries (SimpleCache): the warm-up alone fills a few hundred; a page of compound rows can be a
        # megabyte.
        "CACHE_THRESHOLD": 3000,
        "WARM_CACHE": env("WARM_CACHE", "") not in ("", "0", "false"),
        # council attachments, outside the web root
        "ATTACHMENT_DIR": env("ATTACHMENT_DIR", str(instance / "attachments")),
        # Background jobs (imports): Dash's background callbacks, their results and the import tickets (jobs.py).
        # One directory on the machine, shared by all workers.
        "JOBS_DIR": env("JOBS_DIR", str(instance / "jobs")),
        # Production: jobs queued on this Redis (Celery broker and result backend) and run by `make worker`; the
        # tickets live there too. Unset: each job is a process forked from the web worker (jobs.py).
        "JOBS_REDIS_URL": env("JOBS_REDIS_URL", "") or None,
        # The largest file /import accepts (the command line reads any size within ImportLimits.max_bytes).
        "IMPORT_MAX_BYTES": int(env("IMPORT_MAX_BYTES", str(20 * 1024 * 1024))),
        # A request body larger than this is refused with 413 before any code reads it: an upload arrives
        # base64-encoded inside a callback's JSON (4/3 of the file), so this sits above IMPORT_MAX_BYTES.
        "MAX_CONTENT_LENGTH": int(env("MAX_CONTENT_LENGTH", str(32 * 1024 * 1024))),
        "SHOW_DEMO_ACCOUNTS": False,
        # The Chromium that prints /briefing.pdf (briefing_routes.py): Debian's, as `make system-deps` installs it.
        "CHROMIUM": env("CHROMIUM", "/usr/bin/chromium"),
        "TODAY": None,  # a date pins "today" (tests); None: today in Asia/Shanghai
        "NOW": None,  # an aware datetime pins "now" for council records (tests); None: the clock
        # Cookies: never readable by scripts, not sent on cross-site posts; Secure is added over HTTPS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "REMEMBER_COOKIE_REFRESH_EACH_REQUEST": False,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "WTF_CSRF_TIME_LIMIT": 12 * 3600,
        # Dash posts JSON to its own endpoints; the HTML form routes check their CSRF token explicitly.
        "WTF_CSRF_CHECK_DEFAULT": False,
        # Freeze the objects of start-up (Dash, plotly, the layouts: most of the heap) out of the collector's
        # reach, so a full collection during a big request stops re-scanning them; a grid request at `large`
        # scale builds 21,000 rows and lost 50-100 ms to such a collection. Off for test apps: a process that
        # builds hundreds of apps would keep every one of them.
        "GC_FREEZE": serving,
    }
