"""An incoming letter in real Chromium: the TU registers it on a phone, the head disposes it on
the lembar disposisi, the Kabid opens the letter and sees the tree (tests/test_browser.py for
the browser and the live server).  Screenshots go to /tmp (LONTAR_SCREENSHOTS)."""

from __future__ import annotations

import pytest

from tests import test_browser
from tests.letters_world import prepare
from tests.test_browser import DESKTOP, PHONE, SHOTS, log_in, log_out, too_wide

pytestmark = pytest.mark.browser
chromium = test_browser.chromium  # the fixtures, shared with tests/test_browser.py
live_server = test_browser.live_server
HAL = "Undangan rapat koordinasi SPBE"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_letter_registered_on_a_phone_is_disposed_and_read_in_chromium(chromium, live_server, deployed, engine):
    from playwright.sync_api import expect

    prepare(deployed, engine)
    phone = chromium.new_context(viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True)
    desk = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    try:
        page = phone.new_page()
        log_in(page, live_server, "dewi")
        page.get_by_role("link", name="Registrasi surat").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Registrasi surat masuk")
        page.get_by_label("Nomor surat").fill("B-123/KOMINFO/XI/2026")
        page.get_by_role("textbox", name="Pengirim", exact=True).fill("Kementerian Komunikasi dan Digital")
        page.get_by_role("textbox", name="Hal", exact=True).fill(HAL)
        page.get_by_label("Urgensi").select_option("segera")
        page.get_by_role("combobox", name="Klasifikasi").fill("keu")
        expect(page.locator("#klasifikasi-list option[value='900']")).to_have_count(1)  # suggested as typed
        page.get_by_role("combobox", name="Klasifikasi").fill("000")
        page.locator("#draft summary").click()
        page.get_by_label("Kepala Bidang Aplikasi Informatika").first.check()
        page.get_by_label("Hadiri/wakili").check()
        assert too_wide(page) == []
        page.screenshot(path=str(SHOTS / "lontar-letter-register-phone.png"), full_page=True)
        page.get_by_role("button", name="Registrasi", exact=True).click()
        expect(page.locator(".flash-success")).to_contain_text("Surat diregistrasi dengan nomor agenda 1/2026")
        expect(page.locator("#letter-hal")).to_have_text(HAL)
        log_out(page)

        page = desk.new_page()
        log_in(page, live_server, "agus")
        page.locator("#inbox a", has_text="Disposisi pimpinan").click()
        expect(page.get_by_label("Kepala Bidang Aplikasi Informatika").first).to_be_checked()  # the TU's draft
        page.get_by_label("Kepala Bidang Informasi dan Komunikasi Publik").first.check()
        page.get_by_label("Tindak lanjuti").check()
        page.get_by_role("textbox", name="Catatan").fill("Koordinasikan dengan Bappeda")
        page.get_by_role("button", name="Kirim disposisi").click()
        expect(page.locator(".flash-success")).to_contain_text("Disposisi dikirim kepada 2 penerima.")
        expect(page.locator("#disposisi .branch")).to_have_count(2)
        page.get_by_role("link", name="Lembar disposisi").click()
        expect(page.locator("#sheet-instructions li.ticked")).to_have_count(2)
        page.screenshot(path=str(SHOTS / "lontar-letter-sheet.png"), full_page=True)
        log_out(page)

        page = phone.new_page()
        log_in(page, live_server, "sari")
        page.locator("#inbox a", has_text="Tindak lanjuti disposisi").click()
        expect(page.locator("#given-note")).to_contain_text("Koordinasikan dengan Bappeda")
        page.get_by_role("link", name="Buka halaman surat").click()
        expect(page.locator("#disposisi .branch").first).to_contain_text("Dibaca")
        assert too_wide(page) == []
        page.screenshot(path=str(SHOTS / "lontar-letter-page-phone.png"), full_page=True)

        # Sari disposes further down to her staff; Budi reports; Sari accepts and reports up.
        page.go_back()
        page.get_by_label("Pranata Komputer Ahli Muda").first.check()
        page.get_by_label("Siapkan bahan/konsep jawaban").check()
        page.get_by_role("button", name="Kirim disposisi").click()
        expect(page.locator(".flash-success")).to_contain_text("Disposisi dikirim kepada 1 penerima.")
        log_out(page)
        report(chromium, live_server, "budi", "Bahan paparan sudah disiapkan.")
        accept(chromium, live_server, "sari")
        report(chromium, live_server, "sari", "Staf sudah menyiapkan bahan; saya hadir.")
        report(chromium, live_server, "andi", "Siaran pers sudah diterbitkan.")

        # The Kepala sees the two reports in his bell, accepts them, and the tree is complete.
        page = desk.new_page()
        log_in(page, live_server, "agus")
        before = int(page.locator("#unread-count").inner_text())
        assert before >= 2  # two follow-up reports (and the new accept tasks)
        for _ in range(2):
            page.locator("#inbox a", has_text="Terima laporan tindak lanjut").first.click()
            page.get_by_label("Terima laporan", exact=True).check()
            page.get_by_role("button", name="Kirim", exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Kotak masuk")
        after = page.locator("#unread-count")
        assert (int(after.inner_text()) if after.count() else 0) < before
        page.locator("#bell").click()
        expect(page.locator("main")).to_contain_text("Laporan tindak lanjut")
        page.goto(f"{live_server.url}/surat/1")
        branches = page.locator("#disposisi .branch")
        expect(branches).to_have_count(3)
        for i in range(3):
            expect(branches.nth(i)).to_have_attribute("data-status", "selesai")
        expect(page.locator("#letter-meta, main").first).to_contain_text("Selesai")
        page.screenshot(path=str(SHOTS / "lontar-letter-tree-done.png"), full_page=True)
    finally:
        phone.close()
        desk.close()


def report(chromium, server, username: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """The recipient opens their disposition and reports follow-up."""
    from playwright.sync_api import expect

    context = chromium.new_context(viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        log_in(page, server, username)
        page.locator("#inbox a", has_text="Tindak lanjuti disposisi").click()
        page.get_by_label("Laporan tindak lanjut").fill(text)
        page.get_by_role("button", name="Laporkan tindak lanjut").click()
        expect(page.locator(".flash-success")).to_be_visible()
    finally:
        context.close()


def accept(chromium, server, username: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    context = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    try:
        page = context.new_page()
        log_in(page, server, username)
        page.locator("#inbox a", has_text="Terima laporan tindak lanjut").click()
        page.get_by_label("Terima laporan", exact=True).check()
        page.get_by_role("button", name="Kirim", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Kotak masuk")
    finally:
        context.close()
