"""Request-scoped helpers the views share: the engine, the signed-in user, today's date."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_login import current_user

from engine.errors import NotFound
from engine.models import User
from engine.runtime import WorkflowEngine
from forms.library import FormLibrary
from webapp.dbsession import session


def engine() -> WorkflowEngine:
    return current_app.extensions["lontar.engine"]


def form_library() -> FormLibrary:
    return current_app.extensions["lontar.forms"]


def today() -> date:
    return engine().clock.today()


def me() -> User:
    user = session().get(User, int(current_user.get_id()))
    if user is None:
        raise NotFound()
    return user
