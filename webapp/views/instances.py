"""An instance page: status, the diagram with the finished and current steps, the history."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import login_required
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from engine.access import administers_instance, can_view_instance
from engine.errors import NotAllowed, NotFound
from engine.history import open_tasks, timeline
from engine.models import HumanTask, ProcessInstance
from engine.task_rules import may_view_task
from webapp.context import engine, instance_diagram, me, today
from webapp.dbsession import session
from webapp.i18n import gettext
from webapp.localized import LocalizedForm

bp = Blueprint("instances", __name__)


class CancelForm(LocalizedForm):
    reason = TextAreaField("Alasan pembatalan", validators=[DataRequired(), Length(max=500)])


def _visible(instance_id: int) -> ProcessInstance:
    instance = session().get(ProcessInstance, instance_id)
    if instance is None or not can_view_instance(session(), me().id, instance_id, today()):
        raise NotFound()
    return instance


def _may_cancel(instance: ProcessInstance) -> bool:
    user = me()
    return instance.status in ("running", "error") and (
        instance.started_by_id == user.id or administers_instance(session(), user.id, instance.id)
    )


@bp.route("/instances/<int:instance_id>")
@login_required
def view(instance_id: int) -> str:
    instance = _visible(instance_id)
    waiting = open_tasks(session(), instance.id)
    return render_template(
        "instance.html",
        instance=instance,
        history=timeline(session(), instance.id),
        waiting=waiting,
        task_links={w.task_id for w in waiting  # the open tasks this person may open (act, claim, reassign)
                    if may_view_task(session(), session().get(HumanTask, w.task_id), me(), today())},
        diagram=instance_diagram(instance),
        cancel_form=CancelForm() if _may_cancel(instance) else None,
    )


@bp.route("/instances/<int:instance_id>/cancel", methods=["POST"])
@login_required
def cancel(instance_id: int) -> Response | str:
    instance = _visible(instance_id)
    if not _may_cancel(instance):
        raise NotAllowed()
    form = CancelForm()
    if not form.validate_on_submit():
        flash(gettext("Tuliskan alasan pembatalan."), "error")
        return redirect(url_for("instances.view", instance_id=instance_id))
    engine().cancel(session(), instance_id, user=me(), reason=form.reason.data)
    flash(gettext("Proses dibatalkan."), "success")
    return redirect(url_for("instances.view", instance_id=instance_id))
