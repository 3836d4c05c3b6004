"""The PDF preview of a letter: what the pemeriksa and the signer will put their name to.

Only a reader with FULL access sees it (a META reader knows the letter exists, not its text);
anyone else gets the same 404 as for a letter that does not exist.  Templates come from the
instance folder (`<instance>/templates/<UNIT_CODE>/`), then the ones Lontar ships.

Once the letter is signed with a certificate, the same address serves the signed PDF as stored
(the newest final SignedDocument, read by its hash): the file whose QR leads to the public
verification page, byte for byte, never a fresh rendering of it.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app
from flask_login import login_required
from sqlalchemy import select

from engine.documents.render import render_letter
from engine.documents.sealing import filename_for
from engine.errors import NotFound
from engine.letter_access import FULL, access_level
from engine.models import Letter
from engine.models.documents import SignedDocument
from webapp.context import me, today
from webapp.dbsession import session
from webapp.uploads import path_of

bp = Blueprint("letter_pdf", __name__)


def template_dirs() -> list[Path]:
    return [Path(current_app.instance_path) / "templates"]


def signed_file(letter_id: int) -> Path | None:
    """The stored signed PDF of a letter: the newest final SignedDocument whose file is there."""
    shas = session().scalars(
        select(SignedDocument.sha256).where(SignedDocument.letter_id == letter_id, SignedDocument.kind == "final")
        .order_by(SignedDocument.signed_at.desc(), SignedDocument.id.desc())
    ).all()
    return next((p for sha in shas if (p := path_of(sha)) is not None), None)


@bp.app_template_global("has_signed_pdf")
def has_signed_pdf(letter_id: int) -> bool:
    """For the letter page: whether its PDF link downloads a signed file (the caller has FULL access)."""
    return signed_file(letter_id) is not None


def _pdf(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    })


@bp.route("/surat/<int:letter_id>/pdf")
@login_required
def preview(letter_id: int) -> Response:
    if access_level(session(), me().id, letter_id, today()) != FULL:
        raise NotFound()
    letter = session().get(Letter, letter_id)
    if letter is None:
        raise NotFound()
    stored = signed_file(letter.id)
    if stored is not None:
        return _pdf(stored.read_bytes(), filename_for(letter))
    rendered = render_letter(session(), letter, template_dirs=template_dirs(), signed=letter.signed_at is not None)
    return _pdf(rendered.data, f"naskah-{letter.id}.pdf")
