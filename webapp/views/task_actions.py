"""The buttons beside a task: Ambil, Lepaskan, Delegasikan, Tarik kembali, Alihkan.

Each is a POST with its CSRF token that calls one engine function (engine.task_actions) and
goes back to a page; the engine decides who may do what and says why not (a 403 or 409 page,
with nothing changed).  `panel` gives the task page what it needs to show them.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, url_for
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from engine import comments, task_actions
from engine.access import can_view_instance
from engine.errors import NotFound
from engine.models import HumanTask, User
from engine.task_rules import Standing, may_view_task
from webapp.context import engine, me, today
from webapp.dbsession import session
from webapp.i18n import gettext
from webapp.localized import LocalizedForm

bp = Blueprint("task_actions", __name__)


class ActionForm(LocalizedForm):
    """Claim, unclaim, recall: the button and its CSRF token."""


class DelegateForm(LocalizedForm):
    # the engine checks the choice (engine.task_rules): a forged one gets its clear refusal
    to_user = SelectField("Delegasikan kepada", coerce=int, validate_choice=False)
    note = TextAreaField("Catatan untuk penerima", validators=[Length(max=500)])


class CommentForm(LocalizedForm):
    text = TextAreaField("Komentar", validators=[DataRequired(), Length(max=4000)])


class ReassignForm(LocalizedForm):
    to_user = SelectField("Alihkan kepada", coerce=int, validate_choice=False)
    reason = TextAreaField("Alasan pengalihan", validators=[DataRequired(), Length(max=300)])


def _choices(people: list[User]) -> list[tuple[int, str]]:
    return [(person.id, person.name) for person in people]


def panel(standing: Standing) -> dict[str, Any]:
    """The forms the task page shows for `standing` (None where the person may not use them)."""
    delegate_form = reassign_form = None
    if standing.may_delegate:
        delegate_form = DelegateForm(prefix="delegate")
        delegate_form.to_user.choices = _choices(standing.delegates)
    if standing.may_reassign:
        reassign_form = ReassignForm(prefix="reassign")
        reassign_form.to_user.choices = _choices(standing.reassign_targets)
    return {"standing": standing, "action_form": ActionForm(), "delegate_form": delegate_form,
            "reassign_form": reassign_form, "comment_form": CommentForm(prefix="comment")}


def _visible(task_id: int) -> None:
    """404 for a task the person may not see; a finished one goes on to the engine's 409 (who did it)."""
    task = session().get(HumanTask, task_id)
    if task is None:
        raise NotFound()
    if task.status == "ready":
        visible = may_view_task(session(), task, me(), today())
    else:
        visible = can_view_instance(session(), me().id, task.instance_id, today())
    if not visible:
        raise NotFound()  # whether the task exists is not theirs to know


def _back(task_id: int) -> Response:
    return redirect(url_for("tasks.view", task_id=task_id))


def _invalid(form: LocalizedForm, task_id: int) -> Response:
    """A missing reason or a note too long: said on the task page, nothing changed."""
    for name, errors in form.errors.items():
        label = gettext(form[name].label.text) if name in form else ""
        for error in errors:
            flash(f"{label}: {error}" if label else str(error), "error")
    return _back(task_id)


@bp.route("/tasks/<int:task_id>/claim", methods=["POST"])
@login_required
def claim(task_id: int) -> Response:
    _visible(task_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _invalid(form, task_id)
    task_actions.claim(session(), engine(), task_id, me())
    flash(gettext("Tugas ini sekarang Anda pegang; tidak lagi tampil di kotak masuk orang lain."), "success")
    return _back(task_id)


@bp.route("/tasks/<int:task_id>/unclaim", methods=["POST"])
@login_required
def unclaim(task_id: int) -> Response:
    _visible(task_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _invalid(form, task_id)
    task_actions.unclaim(session(), engine(), task_id, me())
    flash(gettext("Tugas dilepaskan dan kembali ke semua penerimanya."), "success")
    return _back(task_id)


@bp.route("/tasks/<int:task_id>/delegate", methods=["POST"])
@login_required
def delegate(task_id: int) -> Response:
    _visible(task_id)
    form = DelegateForm(prefix="delegate")
    if not form.validate_on_submit():
        return _invalid(form, task_id)
    task = task_actions.delegate(session(), engine(), task_id, me(), form.to_user.data, form.note.data or "")
    delegate_name = session().get(User, task.assignee_id).name
    flash(gettext("Tugas didelegasikan kepada {name}. Jawabannya akan kembali kepada Anda untuk dikonfirmasi.",
                  name=delegate_name), "success")
    return redirect(url_for("views.inbox"))


@bp.route("/tasks/<int:task_id>/recall", methods=["POST"])
@login_required
def recall(task_id: int) -> Response:
    _visible(task_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _invalid(form, task_id)
    task_actions.recall_delegation(session(), engine(), task_id, me())
    flash(gettext("Delegasi ditarik kembali; tugas ini kembali kepada Anda."), "success")
    return _back(task_id)


@bp.route("/tasks/<int:task_id>/reassign", methods=["POST"])
@login_required
def reassign(task_id: int) -> Response:
    _visible(task_id)
    form = ReassignForm(prefix="reassign")
    if not form.validate_on_submit():
        return _invalid(form, task_id)
    task = task_actions.reassign(session(), engine(), task_id, me(), form.to_user.data, form.reason.data)
    flash(gettext("Tugas dialihkan kepada {name}.", name=session().get(User, task.assignee_id).name), "success")
    return _back(task_id)


@bp.route("/tasks/<int:task_id>/comment", methods=["POST"])
@login_required
def comment(task_id: int) -> Response:
    """A remark beside the task, for everyone who can see it (the timeline shows it)."""
    _visible(task_id)
    form = CommentForm(prefix="comment")
    if not form.validate_on_submit():
        return _invalid(form, task_id)
    comments.comment_on_task(session(), engine(), task_id, user=me(), text=form.text.data or "")
    flash(gettext("Komentar ditambahkan."), "success")
    task = session().get(HumanTask, task_id)
    if task is not None and task.status == "ready":
        return _back(task_id)
    return redirect(url_for("instances.view", instance_id=task.instance_id)) if task else _back(task_id)
