"""API tokens for the data bureau's platform: shown once, stored as a SHA-256, revocable."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.core.clock import now_utc
from data_access.core.models import ApiToken

PREFIX = "hgd_"


class TokenError(ValueError):
    pass


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, name: str) -> str:
    """Add a token and return its plain value (the only time it is visible)."""
    name = name.strip()
    if not name or len(name) > 60:
        raise TokenError("token name must be 1–60 characters")
    if session.scalar(select(ApiToken.id).where(ApiToken.name == name)):
        raise TokenError(f"a token named {name!r} already exists")
    token = PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, token_hash=_digest(token)))
    session.flush()
    return token


def revoke_token(session: Session, name: str) -> None:
    row = session.scalar(select(ApiToken).where(ApiToken.name == name))
    if row is None:
        raise TokenError(f"no token named {name!r}")
    if row.revoked_at is None:
        row.revoked_at = now_utc()


def token_is_valid(session: Session, token: str) -> bool:
    """True for a known, unrevoked token; records when it was last used."""
    if not token.startswith(PREFIX):
        return False
    digest = _digest(token)
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.token_hash, digest):
        return False
    row.last_used_at = now_utc()
    session.commit()
    return True
