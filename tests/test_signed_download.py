"""Once a letter is signed with a certificate, `/surat/<id>/pdf` serves the signed PDF as stored
(the very bytes recorded in SignedDocument, named after the number) instead of a fresh
rendering, and the letter page's link says so; someone of another SKPD still gets a 404."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select

from engine.documents.ca import init_ca, issue_signer
from engine.documents.sealing import DocumentConfig, filename_for
from engine.models import Letter
from engine.models.documents import SignedDocument
from engine.signing import sign
from tests import test_web
from tests.flow import get_user
from tests.outgoing_world import deploy_outgoing, prepare
from tests.test_sealing import PASS, Store, ready_for_agus
from tests.test_web import Person

app = test_web.app  # the fixture: the Lontar app on the `deployed` database


def test_the_signed_pdf_is_served_as_stored_to_full_readers_only(app, deployed, engine) -> None:  # type: ignore[no-untyped-def]
    clock = prepare(deployed, engine)
    deploy_outgoing(deployed, engine)
    instance = Path(app.instance_path)
    ca = init_ca(instance / "ca", name="Pemerintah Kabupaten Lontar", passphrase=None, at=clock.now())
    with deployed.transaction() as s:
        issue_signer(s, ca, user=get_user(s, "agus"), passphrase=PASS, at=clock.now())
    letter_id, task_id = ready_for_agus(deployed, engine)
    # before signing: the preview link, a fresh rendering
    budi = Person(app, "budi")
    shown = budi.get(f"/surat/{letter_id}").text
    assert 'id="pdf-preview"' in shown and "Unduh PDF bertanda tangan" not in shown
    assert budi.get(f"/surat/{letter_id}/pdf").headers["Content-Disposition"] == \
        f'inline; filename="naskah-{letter_id}.pdf"'

    config = DocumentConfig(template_dirs=[], ca_folder=instance / "ca", store=Store(instance / "files"),
                            verify_url=lambda i: f"http://localhost/verifikasi/surat/{i}")
    with deployed.transaction() as s:
        signed = sign(s, engine, task_id, user=get_user(s, "agus"), passphrase=PASS, documents=config)
        assert signed.document is not None
    with deployed.transaction(write=False) as s:
        doc = s.scalars(select(SignedDocument).where(SignedDocument.letter_id == letter_id)).one()
        letter = s.get(Letter, letter_id)
        filename = filename_for(letter)
        nomor = letter.nomor

    response = budi.get(f"/surat/{letter_id}/pdf")
    assert response.mimetype == "application/pdf"
    assert hashlib.sha256(response.data).hexdigest() == doc.sha256 and len(response.data) == doc.size
    assert response.data == (instance / "files" / doc.sha256).read_bytes()
    assert response.headers["Content-Disposition"] == f'inline; filename="{filename}"'
    assert filename.endswith(".pdf") and nomor and nomor.split("/")[0] in filename
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    shown = budi.get(f"/surat/{letter_id}").text
    assert 'id="pdf-signed"' in shown and "Unduh PDF bertanda tangan" in shown and 'id="pdf-preview"' not in shown

    Person(app, "wati").get(f"/surat/{letter_id}/pdf", status=404)  # another SKPD
    Person(app, "budi").get(f"/surat/{letter_id + 1000}/pdf", status=404)
