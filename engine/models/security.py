"""Login security: failed attempts (rate limiting) and server-side login sessions.

Both live in the database, not in a process, so every gunicorn worker on every host sees the
same counters and the same logouts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base, utcnow


class LoginAttempt(Base):
    """One failed login, counted against a key: sha256 of "user:<name>" or "ip:<address>".

    Hashed, so the table never keeps what people typed into the username field (often a password).
    """

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class LoginSession(Base):
    """One signed-in browser.  The cookie carries a random token; this row keeps its hash.

    Logging out ends the row, so a copy of the cookie taken earlier no longer signs anyone in;
    ending all of a user's rows logs them out everywhere (deactivation, password reset).
    """

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column()
