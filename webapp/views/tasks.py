"""A task page: what the letter says so far, the form, and the history; and completing it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from engine import task_actions
from engine.access import can_view_instance
from engine.disposition import SPECIAL_FORMS
from engine.errors import NotFound
from engine.history import open_tasks, previous_step, timeline
from engine.inbox import may_act
from engine.models import HumanTask, User
from engine.outgoing_forms import OUTGOING_FORMS
from engine.task_rules import Standing, standing
from forms.filetypes import sniff
from webapp.context import engine, instance_diagram, me, today
from webapp.dbsession import session
from webapp.i18n import gettext
from webapp.taskforms import form_for, schema_for, submitted_values
from webapp.uploads import store
from webapp.views import letters_dispose, outgoing_tasks
from webapp.views.task_actions import panel

bp = Blueprint("tasks", __name__)


def _task_for(user: User, task_id: int) -> tuple[HumanTask, Standing]:
    task = session().get(HumanTask, task_id)
    if task is None:
        raise NotFound()
    if task.status != "ready":
        if can_view_instance(session(), user.id, task.instance_id, today()):
            by = session().get(User, task.completed_by_id) if task.completed_by_id else None
            if by is not None:
                flash(gettext("Tugas ini sudah diselesaikan oleh {name}.", name=by.name), "info")
            else:
                flash(gettext("Tugas ini sudah tidak menunggu tindakan."), "info")
            raise _Redirect(url_for("instances.view", instance_id=task.instance_id))
        raise NotFound()
    rights = standing(session(), task, user, today())
    if not rights.may_view:
        raise NotFound()  # not "forbidden": whether the task exists is not theirs to know
    return task, rights


class _Redirect(Exception):
    def __init__(self, url: str) -> None:
        self.url = url


def _page(task: HumanTask, form, schema, rights: Standing, status: int = 200):  # type: ignore[no-untyped-def]
    instance = task.instance
    return render_template(
        "task.html",
        task=task,
        instance=instance,
        form=form,
        schema=schema,
        context=task.context or {},
        previous=previous_step(session(), task),
        history=timeline(session(), instance.id),
        waiting=open_tasks(session(), instance.id),
        diagram=instance_diagram(instance),
        **panel(rights),
    ), status


@bp.route("/tasks/<int:task_id>", methods=["GET"])
@login_required
def view(task_id: int):  # type: ignore[no-untyped-def]
    try:
        task, rights = _task_for(me(), task_id)
    except _Redirect as jump:
        return redirect(jump.url)
    if task.form_key in SPECIAL_FORMS:  # the lembar disposisi has its own page (webapp/views/letters_dispose.py)
        return letters_dispose.page(task, rights)
    if task.form_key in OUTGOING_FORMS:  # paraf, signature, revision, ekspedisi (webapp/views/outgoing_tasks.py)
        return outgoing_tasks.page(task, rights)
    schema = schema_for(task)
    form = form_for(task, schema, prefill=True, values=task.pending) if rights.may_submit else None
    return _page(task, form, schema, rights)


@bp.route("/tasks/<int:task_id>", methods=["POST"])
@login_required
def complete(task_id: int) -> Response | tuple[str, int]:
    user = me()
    task = session().get(HumanTask, task_id)
    if task is None:
        raise NotFound()
    if task.status != "ready":
        if not can_view_instance(session(), user.id, task.instance_id, today()):
            raise NotFound()
        # A second click, or someone else was first: the engine says who, as a 409 page.
        engine().complete(session(), task_id, user=user, data={})
    try:
        task, rights = _task_for(user, task_id)
    except _Redirect as jump:
        return redirect(jump.url)
    if not rights.may_submit:  # claimed by someone else, or an answer already sent: the engine says which
        task_actions.submit(session(), engine(), task_id, user=user, data={})
        raise NotFound()
    if task.form_key in SPECIAL_FORMS:
        return letters_dispose.submit(task, rights)
    if task.form_key in OUTGOING_FORMS:
        return outgoing_tasks.submit(task, rights)
    schema = schema_for(task)
    form = form_for(task, schema, prefill=False)
    if not form.validate_on_submit():
        return _page(task, form, schema, rights, status=200)
    values, files = submitted_values(form, schema)
    for name, upload in files.items():
        values[name] = store(upload, sniff(upload.stream))
    sent = task_actions.submit(session(), engine(), task_id, user=user, data=values)
    if sent.step is None:
        flash(gettext("Jawaban Anda dikirim kepada {name} untuk dikonfirmasi.", name=sent.returned_to.name), "success")
        return redirect(url_for("views.inbox"))
    result = sent.step
    if result.error:
        flash(gettext("Tugas tersimpan, tetapi langkah berikutnya gagal. Admin perlu memeriksanya."), "error")
    else:
        flash(gettext("Tugas \"{name}\" selesai.", name=task.name), "success")
    mine = [t for t in result.new_tasks if may_act(session(), user.id, t.id, today())]
    if mine:
        return redirect(url_for("tasks.view", task_id=mine[0].id))
    return redirect(url_for("views.inbox"))
