"""Where configuration comes from: the environment first, then files kept in instance/."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

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
