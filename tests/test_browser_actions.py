"""Claim, delegate with return, and a Plh at work, in real Chromium (see tests/test_browser.py).

budi's draft is sent through the engine API (tests/flow.py) to reach the review quickly; from
there on everything happens in the browser, as the people involved would do it.
"""

from __future__ import annotations

import re

import pytest

from tests import test_browser
from tests.flow import DRAFT, act, start
from tests.org_setup import KABID, acting_kabid, staff_under_kabid
from tests.test_browser import (
    DESKTOP,
    PHONE,
    SHOTS,
    log_in,
    log_out,
    no_page_overflow,
    open_task,
    review,
    too_wide,
)

pytestmark = pytest.mark.browser
chromium = test_browser.chromium  # the fixtures, shared with tests/test_browser.py
live_server = test_browser.live_server

REVIEW = "Periksa (atasan langsung)"
SARI = "Sari Wulandari, S.T., M.T."
JOKO = "Joko Susilo, S.Kom."
NOTE = "Mohon tanggal rapat dicantumkan."


def _drafted(db, engine) -> int:  # type: ignore[no-untyped-def]
    instance_id = start(db, engine)
    act(db, engine, "budi", instance_id, DRAFT)
    return instance_id


def _inbox_names(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [name.strip() for name in page.locator("#inbox .task-name").all_inner_texts()]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_claimed_review_leaves_the_plh_inbox_until_it_is_released(chromium, live_server, deployed, engine):
    from playwright.sync_api import expect

    acting_kabid(deployed, "tono", "Tono Plh")
    _drafted(deployed, engine)
    sari_ctx = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    tono_ctx = chromium.new_context(viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True)
    try:
        sari, tono = sari_ctx.new_page(), tono_ctx.new_page()
        log_in(tono, live_server, "tono")
        assert _inbox_names(tono) == [REVIEW]

        log_in(sari, live_server, "sari")
        open_task(sari, REVIEW)
        task_url = sari.url
        sari.get_by_role("button", name="Ambil", exact=True).click()
        expect(sari.locator(".flash-success")).to_contain_text("tidak lagi tampil di kotak masuk orang lain")
        expect(sari.locator("#task-holder")).to_have_text(f"Diambil oleh {SARI}")
        expect(sari.get_by_role("button", name="Ambil", exact=True)).to_have_count(0)
        sari.get_by_role("link", name="Kotak masuk", exact=True).first.click()
        expect(sari.locator("#inbox [data-flag=claimed]")).to_have_text("Diambil oleh Anda")

        tono.reload()  # the review is gone from the Plh's inbox ...
        expect(tono.locator("#inbox")).to_have_count(0)
        expect(tono.locator(".empty").first).to_have_text("Tidak ada tugas yang menunggu Anda.")
        tono.goto(task_url)  # ... and an old link shows who holds it, without the form
        expect(tono.locator("#task-holder")).to_have_text(f"Diambil oleh {SARI}")
        expect(tono.locator("#task-form")).to_have_count(0)
        assert no_page_overflow(tono), f"the task page is wider than a phone: {too_wide(tono)}"

        sari.goto(task_url)
        sari.get_by_role("button", name="Lepaskan", exact=True).click()
        expect(sari.locator(".flash-success")).to_contain_text("kembali ke semua penerimanya")
        tono.goto(f"{live_server.url}/inbox")
        assert _inbox_names(tono) == [REVIEW]
        open_task(tono, REVIEW)
        review(tono, "Setujui")
    finally:
        tono_ctx.close()
        sari_ctx.close()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_sari_delegates_the_review_joko_answers_sari_confirms(chromium, live_server, deployed, engine):
    from playwright.sync_api import expect

    staff_under_kabid(deployed)
    instance_id = _drafted(deployed, engine)
    desk = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    phone = chromium.new_context(viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True)
    try:
        page = desk.new_page()
        log_in(page, live_server, "sari")
        open_task(page, REVIEW)
        page.locator("#delegate summary").click()
        delegates = page.get_by_label("Delegasikan kepada")
        assert sorted(delegates.locator("option").all_inner_texts()) == ["Budi Santoso, S.Kom.", JOKO]
        delegates.select_option(label=JOKO)
        page.get_by_label("Catatan untuk penerima").fill("Tolong periksa isinya.")
        page.locator("#delegate").get_by_role("button", name="Delegasikan", exact=True).click()
        expect(page.locator(".flash-success")).to_contain_text(f"didelegasikan kepada {JOKO}")
        expect(page.locator("#inbox")).to_have_count(0)
        log_out(page)

        # joko answers on his phone: the answer goes back to sari, the flow does not move yet
        mobile = phone.new_page()
        log_in(mobile, live_server, "joko")
        expect(mobile.locator("#inbox [data-flag=delegated]")).to_have_text("Didelegasikan kepada Anda")
        open_task(mobile, REVIEW)
        expect(mobile.locator("#task-holder")).to_contain_text(f"Didelegasikan ke {JOKO} oleh {SARI}")
        expect(mobile.locator("#task-holder")).to_contain_text("Tolong periksa isinya.")
        mobile.get_by_role("radio", name="Kembalikan dengan catatan", exact=True).check()
        mobile.get_by_role("textbox", name="Catatan", exact=True).fill(NOTE)
        mobile.get_by_role("button", name="Kirim", exact=True).click()
        expect(mobile.locator(".flash-success")).to_have_text(f"Jawaban Anda dikirim kepada {SARI} untuk dikonfirmasi.")
        expect(mobile.locator("#inbox")).to_have_count(0)

        # sari finds it marked for confirmation, with joko's answer already in the form
        log_in(page, live_server, "sari")
        expect(page.locator("#inbox [data-flag=returned]")).to_have_text("Menunggu konfirmasi Anda")
        open_task(page, REVIEW)
        expect(page.locator("#pending-answer h2")).to_have_text(f"Jawaban dari {JOKO} menunggu konfirmasi Anda")
        expect(page.locator("#pending-answer")).to_contain_text(NOTE)
        expect(page.get_by_role("radio", name="Kembalikan dengan catatan", exact=True)).to_be_checked()
        expect(page.get_by_role("textbox", name="Catatan", exact=True)).to_have_value(NOTE)
        page.screenshot(path=str(SHOTS / "lontar-delegation-confirm-desktop.png"), full_page=True)
        mobile.goto(page.url)  # joko: read-only, waiting for sari
        expect(mobile.locator("#task-holder")).to_have_text(f"Jawaban Anda menunggu konfirmasi {SARI}.")
        expect(mobile.locator("#task-form")).to_have_count(0)
        review(page, "Kembalikan dengan catatan")  # she confirms joko's answer as it is
        log_out(page)

        # the draft is back with budi, and the history shows both steps of the delegation
        log_in(page, live_server, "budi")
        open_task(page, "Susun nota dinas")
        expect(page.locator("#return-note")).to_contain_text(NOTE)
        page.goto(f"{live_server.url}/instances/{instance_id}")
        timeline = page.locator("ol.timeline > li")
        expect(timeline.filter(has_text="Mendelegasikan")).to_contain_text(SARI)
        expect(timeline.filter(has_text="Mengirim jawaban untuk dikonfirmasi")).to_contain_text(JOKO)
        expect(timeline.filter(has_text=f"Menyelesaikan: {REVIEW}")).to_contain_text(SARI)
    finally:
        phone.close()
        desk.close()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_plh_sees_and_completes_the_reviews_of_the_position_they_act_for(chromium, live_server, deployed, engine):
    from playwright.sync_api import expect

    instance_id = _drafted(deployed, engine)  # waiting before the Plh is appointed
    acting_kabid(deployed, "tono", "Tono Prasetya", kind="plh", valid_from=engine.clock.today())
    desk = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    try:
        page = desk.new_page()
        log_in(page, live_server, "tono")
        assert _inbox_names(page) == [REVIEW]
        open_task(page, REVIEW)
        expect(page.locator("#letter")).to_contain_text(DRAFT["perihal"])
        review(page, "Setujui")
        expect(page.locator("#inbox")).to_have_count(0)

        page.goto(f"{live_server.url}/instances/{instance_id}")
        done = page.locator("ol.timeline > li").filter(has_text=f"Menyelesaikan: {REVIEW}")
        expect(done).to_contain_text(f"Tono Prasetya — Plh. {KABID}")
        expect(page.locator("#waiting")).to_contain_text("Persetujuan kepala unit")
        expect(page.locator('[data-element-id="setujui_kepala"]')).to_have_class(re.compile(r"\bis-current\b"))
        log_out(page)
        log_in(page, live_server, "sari")  # the definitive Kabid no longer has it either
        expect(page.locator("#inbox")).to_have_count(0)
    finally:
        desk.close()
