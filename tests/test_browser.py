"""A nota dinas from draft to approval in real Chromium, the way the three people would do it.

The app runs over HTTP (tests/webserver.py) on a SQLite database prepared by the fixtures; the
browser is Debian's Chromium driven by Playwright.  Screenshots go to /tmp (LONTAR_SCREENSHOTS
to change) so a person can look at the pages the test saw.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require
from tests.webserver import LiveServer

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("LONTAR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SHOTS = Path(os.environ.get("LONTAR_SCREENSHOTS", "/tmp"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "pw-test"

PERIHAL = "Rapat koordinasi SPBE triwulan IV"
NOTE = "Sebutkan tempat dan jam rapat pada paragraf kedua."


@pytest.fixture
def chromium() -> Iterator[object]:
    require(Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK), f"no Chromium at {CHROMIUM} (LONTAR_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def live_server(deployed, engine, tmp_path) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    with LiveServer.for_database(deployed.url, engine, tmp_path / "instance") as server:
        yield server


def log_in(page, server: LiveServer, username: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto(f"{server.url}/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kotak masuk")


def log_out(page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk ke Lontar")


def open_task(page, name: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.locator("#inbox a", has_text=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def send(page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("selesai")


def review(page, decision: str, note: str = "") -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("radio", name=decision, exact=True).check()
    if note:
        page.get_by_role("textbox", name="Catatan", exact=True).fill(note)
    send(page)


def no_page_overflow(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


def too_wide(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The outermost elements sticking out to the right of the viewport, to say what overflows."""
    return page.evaluate("""() => {
        const limit = document.documentElement.clientWidth + 1;
        const out = [];
        for (const el of document.body.querySelectorAll('*')) {
            if (el.getBoundingClientRect().right <= limit) continue;
            if (out.some(o => o.el.contains(el))) continue;
            let clipped = false;
            for (let p = el.parentElement; p; p = p.parentElement) {
                if (getComputedStyle(p).overflowX !== 'visible') { clipped = true; break; }
            }
            if (!clipped) out.push({el, text: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '')
                + ' right=' + Math.round(el.getBoundingClientRect().right)});
        }
        return out.map(o => o.text);
    }""")


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_nota_dinas_returned_once_then_approved_in_chromium(chromium, live_server):
    from playwright.sync_api import expect

    desk = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    phone = chromium.new_context(viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True)
    try:
        page = desk.new_page()

        # budi drafts the memo
        log_in(page, live_server, "budi")
        page.get_by_role("link", name="Mulai", exact=True).click()
        page.locator('[data-start="nota_dinas"]').click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Susun nota dinas")
        page.get_by_label("Kepada").fill("Kepala Dinas Komunikasi dan Informatika")
        page.get_by_label("Perihal").fill(PERIHAL)
        page.get_by_role("textbox", name="Isi", exact=True).fill("Mohon kehadiran Bapak/Ibu pada rapat koordinasi.")
        send(page)
        expect(page.locator("#inbox")).to_have_count(0)
        log_out(page)

        # sari returns it with a note
        log_in(page, live_server, "sari")
        open_task(page, "Periksa (atasan langsung)")
        expect(page.locator("#letter")).to_contain_text(PERIHAL)
        expect(page.locator('[data-element-id="periksa_atasan"]')).to_have_class(re.compile(r"\bis-current\b"))
        page.screenshot(path=str(SHOTS / "lontar-task-desktop.png"), full_page=True)
        review(page, "Kembalikan dengan catatan", NOTE)
        log_out(page)

        # budi, on his phone, reads the note and fixes the body
        mobile = phone.new_page()
        log_in(mobile, live_server, "budi")
        assert no_page_overflow(mobile), f"the inbox is wider than a phone: {too_wide(mobile)}"
        mobile.screenshot(path=str(SHOTS / "lontar-inbox-phone.png"), full_page=True)
        open_task(mobile, "Susun nota dinas")
        expect(mobile.locator("#return-note")).to_contain_text(NOTE)
        expect(mobile.get_by_label("Perihal")).to_have_value(PERIHAL)
        assert no_page_overflow(mobile), f"the task page is wider than a phone: {too_wide(mobile)}"
        mobile.screenshot(path=str(SHOTS / "lontar-task-phone.png"), full_page=True)
        mobile.get_by_role("textbox", name="Isi", exact=True).fill(
            "Mohon kehadiran Bapak/Ibu pada rapat koordinasi,\nSelasa 1 Desember 2026 pukul 09.00 WIB di aula."
        )
        send(mobile)

        # sari approves, then agus
        log_in(page, live_server, "sari")
        open_task(page, "Periksa (atasan langsung)")
        expect(page.locator("#letter")).to_contain_text("di aula")
        review(page, "Setujui")
        log_out(page)
        log_in(page, live_server, "agus")
        open_task(page, "Persetujuan kepala unit")
        review(page, "Setujui")
        expect(page.locator("#inbox")).to_have_count(0)
        log_out(page)

        # budi finds his memo under "Proses saya": done, with the return and its note in the history
        log_in(page, live_server, "budi")
        page.get_by_role("link", name=PERIHAL).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(PERIHAL)
        expect(page.locator("#instance-status")).to_have_text("Selesai")
        timeline = page.locator("ol.timeline > li")
        expect(timeline).to_have_count(7)  # started, 5 completed tasks, finished
        expect(timeline.filter(has_text="kembalikan").filter(has_text=NOTE)).to_have_count(1)
        expect(timeline.last).to_contain_text("Proses selesai")
        expect(page.locator('[data-element-id="selesai"]')).to_have_class(re.compile(r"\bis-done\b"))
        expect(page.locator(".is-current")).to_have_count(0)
        page.screenshot(path=str(SHOTS / "lontar-instance-desktop.png"), full_page=True)

        mobile.goto(f"{live_server.url}/inbox")  # still logged in on his phone
        mobile.get_by_role("link", name=PERIHAL).click()
        expect(mobile.locator("#instance-status")).to_have_text("Selesai")
        assert no_page_overflow(mobile), f"the instance page is wider than a phone: {too_wide(mobile)}"
        mobile.screenshot(path=str(SHOTS / "lontar-instance-phone.png"), full_page=True)
    finally:
        phone.close()
        desk.close()
