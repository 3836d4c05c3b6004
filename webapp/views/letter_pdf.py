"""The PDF preview of a letter: what the pemeriksa and the signer will put their name to.

Only a reader with FULL access sees it (a META reader knows the letter exists, not its text);
anyone else gets the same 404 as for a letter that does not exist.  Templates come from the
instance folder (`<instance>/templates/<UNIT_CODE>/`), then the ones Lontar ships.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app
from flask_login import login_required

from engine.documents.render import render_letter
from engine.errors import NotFound
from engine.letter_access import FULL, access_level
from engine.models import Letter
from webapp.context import me, today
from webapp.dbsession import session

bp = Blueprint("letter_pdf", __name__)


def template_dirs() -> list[Path]:
    return [Path(current_app.instance_path) / "templates"]


@bp.route("/surat/<int:letter_id>/pdf")
@login_required
def preview(letter_id: int) -> Response:
    if access_level(session(), me().id, letter_id, today()) != FULL:
        raise NotFound()
    letter = session().get(Letter, letter_id)
    if letter is None:
        raise NotFound()
    rendered = render_letter(session(), letter, template_dirs=template_dirs(), signed=letter.signed_at is not None)
    return Response(rendered.data, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="naskah-{letter.id}.pdf"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    })
