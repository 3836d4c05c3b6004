"""Login rate limiting: per username tried and per client address, counted in the database.

Several gunicorn workers on several hosts share one database, so they share the counters;
nothing is kept in a process.  The clock is the engine's (tests move it).  Limits can be set
per application (LONTAR_LOGIN_LIMIT, LONTAR_LOGIN_ADDRESS_LIMIT: engine.login_security.Limit).

The client address is `request.remote_addr`: behind a reverse proxy, wrap the app in
werkzeug's ProxyFix so that it is the visitor's address and not the proxy's.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, flash, render_template, request
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from engine import login_security as guard
from webapp.context import engine
from webapp.i18n import gettext


def now() -> datetime:
    return engine().clock.now()


def _limits() -> tuple[guard.Limit, guard.Limit]:
    return (
        current_app.config.get("LONTAR_LOGIN_LIMIT", guard.USERNAME_LIMIT),
        current_app.config.get("LONTAR_LOGIN_ADDRESS_LIMIT", guard.ADDRESS_LIMIT),
    )


def _keys(username: str) -> list[tuple[str, guard.Limit]]:
    by_name, by_address = _limits()
    return [
        (guard.username_key(username), by_name),
        (guard.address_key(request.remote_addr or "unknown"), by_address),
    ]


def wait(db: Session, username: str) -> timedelta | None:
    """How long this login must wait (the longest of its keys), or None."""
    moment = now()
    waits = [w for key, limit in _keys(username) if (w := guard.locked_for(db, key, limit, moment)) is not None]
    return max(waits) if waits else None


def failed(db: Session, username: str) -> None:
    keys = _keys(username)
    keep = max(limit.window for _key, limit in keys)
    guard.record_failure(db, [key for key, _limit in keys], now(), keep=keep)


def succeeded(db: Session, username: str) -> None:
    """A right password clears the username's counter (not the address's: one account must not
    reset the count of an address that tries many)."""
    guard.clear(db, guard.username_key(username))


def refused(form: object, waiting: timedelta) -> tuple[str, int, dict[str, str]] | Response:
    """429 with the login page and a sentence that is the same whether the username exists or not."""
    flash(gettext("Terlalu banyak percobaan masuk. Coba lagi dalam {minutes} menit.", minutes=guard.minutes(waiting)),
          "error")
    seconds = str(max(1, int(waiting.total_seconds())))
    return render_template("login.html", form=form), 429, {"Retry-After": seconds}
