"""Failed-login counters and login sessions, kept in the database (no Flask here).

Counters: every failed login adds one row per key (the username tried, the client address).
A key with `limit` rows inside the last `window` is locked until the oldest of them leaves
the window.  A locked key is refused before the password is even checked, and the refusal
says the same whether the username exists or not.

Sessions: a signed-in browser holds a random token whose hash is a row here; a request is
signed in only while that row is open.  Flask's cookie is client-side, so without this a
copied cookie would outlive the logout.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from engine.models import LoginAttempt, LoginSession, User

SESSION_KEEP = timedelta(days=30)  # ended or stale session rows older than this are removed


@dataclass(frozen=True)
class Limit:
    attempts: int
    window: timedelta


USERNAME_LIMIT = Limit(5, timedelta(minutes=15))
# An office sits behind one NAT address: the address limit is wider than the username one, so
# that a few people mistyping do not lock out a whole Dinas, while one address cannot try
# thousands of usernames.
ADDRESS_LIMIT = Limit(30, timedelta(minutes=15))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def username_key(username: str) -> str:
    return _digest("user:" + username.strip().casefold())


def address_key(address: str) -> str:
    return _digest("ip:" + address)


def locked_for(session: Session, key: str, limit: Limit, now: datetime) -> timedelta | None:
    """How long the key stays locked, or None when it may try now.

    Locked while `limit.attempts` failures lie inside the window: until the newest
    `limit.attempts`-th one leaves it (counting all rows, should concurrent tries add more).
    """
    nth = session.scalars(
        select(LoginAttempt.at)
        .where(LoginAttempt.key == key, LoginAttempt.at > now - limit.window)
        .order_by(LoginAttempt.at.desc())
        .offset(limit.attempts - 1)
        .limit(1)
    ).first()
    if nth is None:
        return None
    return max(nth + limit.window - now, timedelta(seconds=1))


def minutes(wait: timedelta) -> int:
    return max(1, math.ceil(wait.total_seconds() / 60))


def record_failure(session: Session, keys: list[str], now: datetime, *, keep: timedelta) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.at <= now - keep))
    session.add_all(LoginAttempt(key=key, at=now) for key in keys)
    session.flush()


def clear(session: Session, key: str) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.key == key))


# -- sessions ---------------------------------------------------------------------------------


def open_session(session: Session, user_id: int, now: datetime) -> str:
    """Start a login session; the returned token goes into the (signed) session cookie."""
    session.execute(
        delete(LoginSession).where(LoginSession.user_id == user_id, LoginSession.created_at < now - SESSION_KEEP)
    )
    token = secrets.token_urlsafe(32)
    session.add(LoginSession(user_id=user_id, token_hash=_digest(token), created_at=now))
    session.flush()
    return token


def session_user(session: Session, user_id: int, token: str | None) -> User | None:
    """The active user of an open login session, or None (logged out, deactivated, forged)."""
    if not token:
        return None
    return session.scalars(
        select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            User.id == user_id,
            User.active.is_(True),
            LoginSession.token_hash == _digest(token),
            LoginSession.ended_at.is_(None),
        )
    ).first()


def end_session(session: Session, token: str | None, now: datetime) -> None:
    if token:
        session.execute(
            update(LoginSession)
            .where(LoginSession.token_hash == _digest(token), LoginSession.ended_at.is_(None))
            .values(ended_at=now)
        )


def end_all_sessions(session: Session, user_id: int, now: datetime) -> int:
    """Log a user out everywhere (deactivation, password change); returns how many sessions ended."""
    result = session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
        .values(ended_at=now)
    )
    return int(result.rowcount or 0)
