"""One database session per request, committed once, in one place.

Requests that change state (POST) get a write session (BEGIN IMMEDIATE on SQLite); pages get
a read session.  Engine services flush; only this module commits, and only when the response
is a success — an error page rolls everything back, so a refused action changes nothing.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from engine.db import Database


def db() -> Database:
    return current_app.extensions["lontar.db"]


def session() -> Session:
    if "db_session" not in g:
        g.db_session = db().session(write=request.method not in ("GET", "HEAD", "OPTIONS"))
    return g.db_session


def init_app(app: Flask, database: Database) -> None:
    app.extensions["lontar.db"] = database

    @app.after_request
    def _commit(response: Response) -> Response:
        current = g.pop("db_session", None)
        if current is not None:
            try:
                if response.status_code < 400:
                    current.commit()
                else:
                    current.rollback()
            finally:
                current.close()
        return response

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        current = g.pop("db_session", None)
        if current is not None:
            current.rollback()
            current.close()
