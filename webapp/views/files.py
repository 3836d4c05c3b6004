"""Downloading an attachment: only through an instance the reader may see, and only a file
that instance actually references."""

from __future__ import annotations

from flask import Blueprint, send_file
from flask_login import login_required
from sqlalchemy import or_, select
from werkzeug.wrappers import Response

from engine.access import can_view_instance
from engine.errors import NotFound
from engine.models import HumanTask
from webapp.context import me, today
from webapp.dbsession import session
from webapp.uploads import path_of

bp = Blueprint("files", __name__)


def _reference(instance_id: int, sha256: str) -> dict | None:
    # pending: a delegate's answer waiting for the owner's confirmation (engine.task_actions)
    for submitted, pending in session().execute(
        select(HumanTask.submitted, HumanTask.pending).where(
            HumanTask.instance_id == instance_id, or_(HumanTask.submitted.is_not(None), HumanTask.pending.is_not(None))
        )
    ):
        for value in [*(submitted or {}).values(), *(pending or {}).values()]:
            if isinstance(value, dict) and value.get("sha256") == sha256:
                return value
    return None


@bp.route("/instances/<int:instance_id>/files/<sha256>")
@login_required
def download(instance_id: int, sha256: str) -> Response:
    if not can_view_instance(session(), me().id, instance_id, today()):
        raise NotFound()
    ref = _reference(instance_id, sha256)
    path = path_of(sha256)
    if ref is None or path is None:
        raise NotFound()
    return send_file(path, mimetype=ref.get("mime") or "application/octet-stream", as_attachment=True,
                     download_name=ref.get("name") or "berkas")
