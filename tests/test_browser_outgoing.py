"""An outgoing nota dinas in real Chromium: budi drafts it on a phone to the Dinas Kesehatan, his
Kabid sari initials, the Diskominfo Sekretaris yusuf (the variant's fixed paraf) returns it once
with a note, budi revises and resubmits, sari and yusuf initial, agus signs and the number
appears on the letter page, and the TU of the Dinas Kesehatan (bayu) finds it in his inbox as
an incoming letter (tests/test_browser.py for the browser and the live server).  Screenshots go
to /tmp (LONTAR_SCREENSHOTS)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engine.models import Unit
from tests import test_browser
from tests.letters_world import prepare
from tests.outgoing_world import deploy_outgoing
from tests.test_browser import DESKTOP, PHONE, SHOTS, log_in, log_out, too_wide

pytestmark = pytest.mark.browser
chromium = test_browser.chromium  # the fixtures, shared with tests/test_browser.py
live_server = test_browser.live_server
HAL = "Permintaan data cakupan imunisasi untuk dasbor SPBE"
NOTE = "Sebutkan dasar hukumnya pada paragraf pertama."
AGUS = "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA"


def _task(page, name: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.locator("#inbox a", has_text=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def _initial(chromium, server, username: str, task: str, note: str = "") -> None:  # type: ignore[no-untyped-def]
    """A pemeriksa opens the paraf task: Paraf, or Kembalikan with a note."""
    from playwright.sync_api import expect

    context = chromium.new_context(viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        log_in(page, server, username)
        _task(page, task)
        expect(page.locator("#version-hal")).to_have_text(HAL)
        if note:
            page.get_by_role("textbox", name="Catatan", exact=True).fill(note)
            page.get_by_role("button", name="Kembalikan", exact=True).click()
            expect(page.locator(".flash-success")).to_contain_text("Naskah dikembalikan kepada konseptor.")
        else:
            page.get_by_role("button", name="Paraf", exact=True).click()
            expect(page.locator(".flash-success")).to_contain_text("Naskah diparaf.")
    finally:
        context.close()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_nota_dinas_drafted_returned_revised_signed_and_received_in_chromium(chromium, live_server, deployed, engine):
    from playwright.sync_api import expect

    prepare(deployed, engine)
    deploy_outgoing(deployed, engine)
    with deployed.transaction(write=False) as session:
        dinkes = session.scalars(select(Unit.id).where(Unit.code == "DINKES")).one()
    phone = chromium.new_context(viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True)
    desk = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    try:
        # budi drafts on his phone: the template is there, the signer list follows the recipient
        page = phone.new_page()
        log_in(page, live_server, "budi")
        page.get_by_role("link", name="Buat naskah").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Buat naskah")
        expect(page.get_by_role("textbox", name="Isi naskah")).to_have_value(re.compile(r"^Dengan hormat,"))
        page.get_by_role("textbox", name="Hal", exact=True).fill(HAL)
        page.get_by_role("combobox", name="Klasifikasi").fill("000")
        page.locator("#parties-0-unit_id").select_option(str(dinkes))
        expect(page.locator("#signer option", has_text=AGUS).first).to_be_attached()  # asked again as chosen
        page.locator("#signer").select_option(label=AGUS)
        expect(page.locator("#chain-preview")).to_contain_text("Kepala Bidang Aplikasi Informatika")
        page.get_by_role("textbox", name="Isi naskah").fill(
            "Dengan hormat,\n\nMohon data cakupan imunisasi per puskesmas untuk dasbor SPBE.")
        assert too_wide(page) == []
        page.screenshot(path=str(SHOTS / "lontar-outgoing-draft-phone.png"), full_page=True)
        page.get_by_role("button", name="Ajukan", exact=True).click()
        expect(page.locator(".flash-success")).to_contain_text("Naskah diajukan untuk diparaf.")
        expect(page.locator("#letter-number")).to_have_text("belum bernomor")
        letter_url = page.url
        log_out(page)

        # sari initials; yusuf (the Diskominfo variant's Sekretaris) returns it with a note
        _initial(chromium, live_server, "sari", "Paraf berjenjang")
        _initial(chromium, live_server, "yusuf", "Paraf Sekretaris Dinas", NOTE)

        # budi revises from the note and submits again: the round starts from sari
        page = phone.new_page()
        log_in(page, live_server, "budi")
        _task(page, "Perbaiki konsep")
        expect(page.locator("#return-notes")).to_contain_text(NOTE)
        page.get_by_role("textbox", name="Isi naskah").fill(
            "Dengan hormat,\n\nBerdasarkan Perbup 12/2025 tentang SPBE, mohon data cakupan imunisasi per puskesmas.")
        page.get_by_role("textbox", name="Catatan perbaikan (opsional)").fill("Dasar hukum ditambahkan")
        page.get_by_role("button", name="Ajukan lagi").click()
        expect(page.locator(".flash-success")).to_contain_text("paraf dimulai lagi dari pemeriksa pertama")
        expect(page.locator("#versi li")).to_have_count(2)
        log_out(page)

        _initial(chromium, live_server, "sari", "Paraf berjenjang")
        _initial(chromium, live_server, "yusuf", "Paraf Sekretaris Dinas")

        # agus signs: the number is taken and shown
        page = desk.new_page()
        log_in(page, live_server, "agus")
        _task(page, "Tanda tangan dan penomoran")
        expect(page.locator("#block-lines")).to_have_text(AGUS)
        expect(page.locator("#version-body")).to_contain_text("Perbup 12/2025")
        page.get_by_role("button", name="Tandatangani dan beri nomor").click()
        nomor = f"000/1/DISKOMINFO/{engine.clock.today().year}"
        expect(page.locator(".flash-success")).to_contain_text(f"Nomor naskah: {nomor}")
        expect(page.locator("#letter-number")).to_have_text(nomor)
        expect(page.locator("#letter-status")).to_have_text("Terkirim")
        expect(page.locator("#paraf .paraf-round")).to_have_count(2)
        page.screenshot(path=str(SHOTS / "lontar-outgoing-signed.png"), full_page=True)
        assert page.url == letter_url
        log_out(page)

        # the TU of the Dinas Kesehatan finds it as an incoming letter
        page = desk.new_page()
        log_in(page, live_server, "bayu")
        card = page.locator("#inbox a", has_text="Terima naskah internal")
        expect(card).to_have_count(1)
        card.click()
        expect(page.locator("main")).to_contain_text(HAL)
        page.screenshot(path=str(SHOTS / "lontar-outgoing-received.png"), full_page=True)
    finally:
        phone.close()
        desk.close()
