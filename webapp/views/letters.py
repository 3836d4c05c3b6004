"""Incoming letters in the browser: what the letter pages share.

The routes live beside this module: registering a letter (letters_register.py), the letter
page, its files, comments, cancelling a branch and the printable lembar disposisi
(letters_page.py); the two disposition tasks render their own page through the task page's
hook (letters_dispose.py).  Who sees how much of a letter is engine.letter_access: "full",
"meta" (the metadata of a secret letter, for its overseers), or nothing: 404, as for a letter
that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, Flask
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from sqlalchemy import exists, or_, select

from engine import disposition, letter_lists
from engine.errors import NotFound
from engine.inbox import ACTING_PREFIX, actionable
from engine.letter_access import FULL, access_level
from engine.models import (
    Disposition,
    HumanTask,
    Letter,
    Position,
    PositionHolder,
    ProcessInstance,
    User,
)
from engine.organisation import positions_of
from forms.filetypes import human_size
from webapp.context import engine, me, today
from webapp.dbsession import db, session
from webapp.formats import MONTHS
from webapp.i18n import current_lang

bp = Blueprint("letters", __name__)


def letter_or_404(letter_id: int, *, full: bool = False) -> tuple[Letter, str]:
    """The letter and how much of it the reader sees; 404 when nothing (or not enough)."""
    level = access_level(session(), me().id, letter_id, today())
    if level is None or (full and level != FULL):
        raise NotFound()
    letter = session().get(Letter, letter_id)
    if letter is None:
        raise NotFound()
    return letter, level


def mark_read_on_open(letter_id: int) -> bool:
    """A recipient opened the letter: their unread branches become "dibaca".

    Pages are read sessions (webapp.dbsession); this is the one write a page makes, so it runs
    in its own short write transaction, and only when there is something to mark.  The page's
    read snapshot is ended first so that it shows the branches as read.
    """
    user_id = me().id
    mine = disposition.held_position_ids(session(), user_id, today())
    if not mine:
        return False
    unread = session().scalar(select(exists().where(
        Disposition.letter_id == letter_id, Disposition.status == "belum_dibaca", Disposition.to_position_id.in_(mine))))
    if not unread:
        return False
    session().rollback()
    with db().transaction() as writing:
        reader = writing.get(User, user_id)
        if reader is None:
            raise NotFound()
        disposition.mark_read(writing, engine(), user=reader, letter_id=letter_id)
    return True


def acting_position(user: User) -> Position | None:
    """The position a person writes in when no task names one (a comment on the letter)."""
    held = positions_of(session(), user.id, today())
    return held[0] if held else None


@dataclass(frozen=True)
class OpenTask:
    id: int
    name: str


def my_open_tasks(letter_id: int, user_id: int) -> list[OpenTask]:
    """The reader's ready tasks on the letter's processes (the head's, a recipient's, an acceptance)."""
    rows = session().execute(
        select(HumanTask.id, HumanTask.name)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .where(ProcessInstance.letter_id == letter_id, HumanTask.status == "ready", actionable(user_id, today()))
        .order_by(HumanTask.id)
    ).all()
    return [OpenTask(task_id, name) for task_id, name in rows]


def holders(position_ids: list[int], day: date) -> dict[int, str]:
    """Who holds each position today, as a name list ("Plh. Tono, Sari ...")."""
    if not position_ids:
        return {}
    rows = session().execute(
        select(PositionHolder.position_id, PositionHolder.kind, User.name)
        .join(User, User.id == PositionHolder.user_id)
        .where(
            PositionHolder.position_id.in_(set(position_ids)),
            PositionHolder.valid_from <= day,
            or_(PositionHolder.valid_to.is_(None), PositionHolder.valid_to >= day),
            User.active.is_(True),
        )
        .order_by(PositionHolder.position_id, PositionHolder.kind != "definitif", User.name)
    ).all()
    found: dict[int, list[str]] = {}
    for position_id, kind, name in rows:
        prefix = ACTING_PREFIX.get(kind)
        found.setdefault(position_id, []).append(f"{prefix} {name}" if prefix else name)
    return {position_id: ", ".join(names) for position_id, names in found.items()}


def grouped(positions: list[Position]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Recipients for a checkbox list, grouped by unit, each with who holds the position today."""
    names = holders([p.id for p in positions], today())
    groups: dict[str, list[dict[str, Any]]] = {}
    for position in positions:
        groups.setdefault(position.unit.name, []).append(
            {"id": position.id, "name": position.name, "holders": names.get(position.id, "")})
    return list(groups.items())


def is_registrar() -> bool:
    """For the navigation: whether the signed-in person registers letters somewhere."""
    if not getattr(current_user, "is_authenticated", False):
        return False
    return letter_lists.is_registrar(session(), int(current_user.get_id()))


def long_date(day: date | None) -> str:
    """A calendar date (a letter's own date) as people write it: 5 Mei 2026."""
    if day is None:
        return "—"
    return f"{day.day} {MONTHS.get(current_lang(), MONTHS['id'])[day.month - 1]} {day.year}"


@bp.record_once
def _globals(state: BlueprintSetupState) -> None:
    app: Flask = state.app
    app.jinja_env.globals["lontar_is_registrar"] = is_registrar
    app.jinja_env.filters["longdate"] = long_date
    app.jinja_env.filters["filesize"] = human_size


# The routes (they register themselves on `bp`).
from webapp.views import letters_page, letters_register, outgoing_draft  # noqa: E402, F401
