"""API tokens for the data bureau's platform: shown once, stored as a SHA-256, revocable."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from data_access.core.clock import now_utc
from data_access.core.models import ApiToken

PREFIX = "hgd_"
LAST_USED_RESOLUTION = timedelta(minutes=1)


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
    """True for a known, unrevoked token, checked against the database on every request (a revocation counts at
    once). When it was last used is written at most once per LAST_USED_RESOLUTION per token: a write (and its
    commit) on every request made every API call queue on the token's one row."""
    if not token.startswith(PREFIX):
        return False
    digest = _digest(token)
    table = ApiToken.__table__.c  # Core columns: this runs on every API request, the ORM's compile step is waste
    row = session.execute(
        select(table.id, table.token_hash, table.revoked_at, table.last_used_at).where(table.token_hash == digest)
    ).first()
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.token_hash, digest):
        return False
    now = now_utc()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        cutoff = now - LAST_USED_RESOLUTION
        session.execute(  # the condition again in SQL: of several workers in the same minute, one writes
            update(ApiToken)
            .where(ApiToken.id == row.id, or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= cutoff))
            .values(last_used_at=now)
        )
        session.commit()
    return True
