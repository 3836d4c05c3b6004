"""Starting a process, and the library of deployed versions with their diagrams."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import login_required

from engine.errors import NotFound
from engine.inbox import may_act
from engine.models import ProcessVersion
from engine.organisation import positions_of, skpd_of
from webapp.context import engine, me, today
from webapp.dbsession import session
from webapp.diagram import render_diagram
from webapp.i18n import gettext
from webapp.localized import LocalizedForm

bp = Blueprint("processes", __name__)


class StartForm(LocalizedForm):
    """Only the CSRF token: what the process asks comes in its first task."""


@bp.route("/start")
@login_required
def start_list() -> str:
    user = me()
    positions = positions_of(session(), user.id, today())
    return render_template(
        "start.html", versions=engine().registry.startable(session()), positions=positions, form=StartForm()
    )


@bp.route("/start/<key>", methods=["POST"])
@login_required
def start(key: str) -> Response:
    form = StartForm()
    if not form.validate_on_submit():
        flash(gettext("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi."), "error")
        return redirect(url_for("processes.start_list"))
    user = me()
    positions = positions_of(session(), user.id, today())
    if not positions:
        flash(gettext("Anda belum memegang jabatan, sehingga belum dapat memulai proses."), "error")
        return redirect(url_for("processes.start_list"))
    position = positions[0]
    unit_id = skpd_of(session(), position.unit_id)
    result = engine().start(session(), key, user=user, unit_id=unit_id, position=position)
    mine = [t for t in result.new_tasks if may_act(session(), user.id, t.id, today())]
    if mine:
        return redirect(url_for("tasks.view", task_id=mine[0].id))
    return redirect(url_for("instances.view", instance_id=result.instance.id))


@bp.route("/processes")
@login_required
def library() -> str:
    return render_template("processes.html", rows=engine().registry.listing(session()))


@bp.route("/processes/<int:version_id>")
@login_required
def version(version_id: int) -> str:
    found = session().get(ProcessVersion, version_id)
    if found is None:
        raise NotFound()
    return render_template(
        "process_version.html", version=found, diagram=render_diagram(found.bpmn, process_id=found.process_id)
    )


@bp.route("/processes/<int:version_id>/download")
@login_required
def download(version_id: int) -> Response:
    found = session().get(ProcessVersion, version_id)
    if found is None:
        raise NotFound()
    filename = f"{found.key}-v{found.version}.bpmn"
    return Response(
        found.bpmn,
        mimetype="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
