"""Request-scoped helpers the views share: the engine, the signed-in user, today's date."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_login import current_user

from engine.errors import NotFound
from engine.models import ProcessInstance, User
from engine.runtime import WorkflowEngine
from forms.library import FormLibrary
from webapp.dbsession import session
from webapp.diagram import DiagramMarks, render_diagram


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


def instance_diagram(instance: ProcessInstance) -> str | None:
    """The instance's diagram with its finished, current and failed steps marked."""
    marks = instance.marks or {}
    return render_diagram(
        instance.version.bpmn,
        DiagramMarks(
            done=frozenset(marks.get("done", [])),
            current=frozenset(marks.get("current", [])),
            failed=frozenset(marks.get("failed", [])),
        ),
        process_id=instance.version.process_id,
    )
