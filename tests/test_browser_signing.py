"""Signing with a certificate in real Chromium: agus opens his sign task for a letter already
initialled by sari and yusuf, types a wrong passphrase and is told so with no number taken,
types the right one and the number appears; then an anonymous visitor follows the QR code of
the signed PDF and reads that the document is valid, with its number.

The letter is made through the engine helpers (tests/outgoing_world.py) before the browser
opens, and the CA is created in the live server's instance folder (`<instance>/ca`), with
agus's certificate issued under a passphrase (engine.documents.ca.issue_signer), as in
tests/test_sealing.py.  The QR's address: a URI link annotation in the stored signed PDF is
looked for with pypdf, but pyHanko's QR stamp (engine/documents/pades.py) draws the code inside
the signature's appearance and adds no link annotation, and the letter page has no link to the
verification page either; so the test CONSTRUCTS the address the QR encodes
(`<server>/verifikasi/surat/<id>`, what webapp/views/outgoing_tasks.py `_verify_url` gives
the stamp) when the PDF carries none.  Screenshots go to /tmp (LONTAR_SCREENSHOTS).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from engine.documents.ca import init_ca, issue_signer
from engine.models import Letter, LetterNumber
from engine.models.documents import SignedDocument
from tests import test_browser
from tests.flow import get_user
from tests.outgoing_world import deploy_outgoing, prepare
from tests.test_browser import DESKTOP, SHOTS, log_in
from tests.test_sealing import ready_for_agus

pytestmark = pytest.mark.browser
chromium = test_browser.chromium  # the fixtures, shared with tests/test_browser.py
live_server = test_browser.live_server

PASS = "frasa-agus-browser-5820"
SIGN_TASK = "Tanda tangan dan penomoran"


def link_uris(data: bytes) -> list[str]:
    """Every URI of a link annotation in the PDF."""
    uris = []
    for pdf_page in PdfReader(io.BytesIO(data)).pages:
        for ref in pdf_page.get("/Annots") or []:
            annot = ref.get_object()
            action = annot.get("/A")
            if annot.get("/Subtype") == "/Link" and action is not None and "/URI" in action.get_object():
                uris.append(str(action.get_object()["/URI"]))
    return uris


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_signing_with_a_passphrase_and_verifying_from_the_qr_in_chromium(chromium, live_server, deployed, engine):
    from playwright.sync_api import expect

    clock = prepare(deployed, engine)
    deploy_outgoing(deployed, engine)
    instance = Path(live_server.app.instance_path)
    ca = init_ca(instance / "ca", name="Pemerintah Kabupaten Lontar", passphrase=None, at=clock.now())
    with deployed.transaction() as s:
        issue_signer(s, ca, user=get_user(s, "agus"), passphrase=PASS, at=clock.now())
    letter_id, _task_id = ready_for_agus(deployed, engine)

    desk = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    visitor = chromium.new_context(viewport=DESKTOP, locale="id-ID")  # no login: the public
    try:
        page = desk.new_page()
        log_in(page, live_server, "agus")
        page.locator("#inbox a", has_text=SIGN_TASK).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(SIGN_TASK)
        field = page.locator("#passphrase")
        expect(field).to_have_attribute("type", "password")

        # a wrong passphrase: told so, nothing signed, no number taken
        field.fill("bukan-frasa-yang-benar")
        page.get_by_role("button", name="Tandatangani dan beri nomor").click()
        expect(page.locator("#decide")).to_contain_text("Frasa sandi salah")
        expect(page.locator(".flash-success")).to_have_count(0)
        expect(page.get_by_role("heading", level=1)).to_have_text(SIGN_TASK)
        page.screenshot(path=str(SHOTS / "lontar-signing-wrong-passphrase.png"), full_page=True)
        with deployed.transaction(write=False) as s:
            assert s.scalar(select(func.count()).select_from(LetterNumber)) == 0
            assert s.get(Letter, letter_id).nomor is None
        assert "bukan-frasa-yang-benar" not in page.content()

        # the right one: signed, the number appears
        page.locator("#passphrase").fill(PASS)
        page.get_by_role("button", name="Tandatangani dan beri nomor").click()
        expect(page.locator(".flash-success")).to_contain_text("Nomor naskah:")
        with deployed.transaction(write=False) as s:
            nomor = s.get(Letter, letter_id).nomor
            doc = s.scalars(select(SignedDocument).where(SignedDocument.letter_id == letter_id)).one()
            sha = doc.sha256
        assert nomor
        expect(page.locator(".flash-success")).to_contain_text(f"Nomor naskah: {nomor}")
        expect(page.locator("#letter-number")).to_have_text(nomor)
        expect(page.locator("#pdf-signed")).to_have_text("Unduh PDF bertanda tangan")
        page.screenshot(path=str(SHOTS / "lontar-signing-signed.png"), full_page=True)

        # the QR code's address: a link annotation of the stored signed PDF if it has one, else
        # the address the stamp was given (see the module docstring)
        data = (instance / "files" / sha).read_bytes()
        assert data.startswith(b"%PDF-")
        qr_url = f"{live_server.url}/verifikasi/surat/{letter_id}"
        linked = [u for u in link_uris(data) if u.rstrip("/").endswith(f"/verifikasi/surat/{letter_id}")]
        if linked:
            assert linked[0].startswith(live_server.url)
            qr_url = linked[0]

        # an anonymous visitor follows it: the document is valid, and the number is shown
        public = visitor.new_page()
        public.goto(qr_url)
        expect(public.locator(".verdict")).to_have_class("verdict verdict-ok")
        expect(public.locator(".verdict-headline")).to_have_text("Dokumen sah")
        expect(public.locator("main")).to_contain_text(nomor)
        expect(public.get_by_role("button", name="Keluar")).to_have_count(0)
        public.screenshot(path=str(SHOTS / "lontar-signing-verified.png"), full_page=True)
    finally:
        desk.close()
        visitor.close()
