"""Live server and headless Chromium for browser tests (Debian's /usr/bin/chromium, nothing downloaded)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app import create_app
from data_access.core.db import make_engine, make_session_factory
from data_access.demo_accounts import create_demo_accounts
from data_access.migrate import upgrade

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_TODAY = date(2026, 11, 23)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seeded_demo_url(tmp_dir: Path, scale: str = "small") -> str:
    """A migrated SQLite database holding the demo province and the demo accounts."""
    from data_access.demo import seed_demo

    url = f"sqlite:///{tmp_dir / f'demo-{scale}.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    seed_demo(engine, scale=scale, today=DEMO_TODAY)
    with make_session_factory(engine)() as session:
        create_demo_accounts(session)
        session.commit()
    engine.dispose()
    return url


@dataclass
class LiveServer:
    app: Flask
    url: str
    _thread: threading.Thread = field(repr=False)


def serve(app: Flask) -> Iterator[LiveServer]:
    port = free_port()
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{port}", _thread=thread)
    finally:
        httpd.shutdown()
        app.extensions["db_engine"].dispose()


def demo_app(url: str, **config: object) -> Flask:
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test", "TODAY": DEMO_TODAY, **config})


def require_chromium() -> None:
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    message = f"Chromium not found at {CHROMIUM}: install Debian's chromium (make system-deps)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


class ConsoleWatch:
    """Collects console errors, AG Grid's warnings (each names a misconfigured grid: a non-string row id, a grid
    sized while hidden) and uncaught page errors; every browser test ends by asserting none."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def attach(self, page) -> None:  # type: ignore[no-untyped-def]
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _console(self, msg) -> None:  # type: ignore[no-untyped-def]
        if msg.type == "error" or (msg.type == "warning" and msg.text.startswith("AG Grid")):
            where = msg.location or {}
            self.errors.append(f"console {msg.type}: {msg.text} (at {where.get('url')}:{where.get('lineNumber')})")
