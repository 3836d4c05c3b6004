"""The "Surat" page and the inbox filter bar, through Flask's test client, on both databases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from engine.db import Database
from tests.conftest import REPO
from tests.test_inbox_filters import disposed_world, incoming
from tests.test_web import Person, page, text_of
from webapp import create_app
from webapp.config import Settings

SECRET_HAL = "Hasil pemeriksaan khusus"


@pytest.fixture
def world(org: Database, engine, tmp_path: Path) -> Iterator[tuple[Flask, dict[str, int]]]:  # type: ignore[no-untyped-def]
    """Diskominfo: a Segera letter disposed to Sari (read) and Andi (withdrawn), a Biasa one
    waiting for the Kepala, a Rahasia one waiting too; Dinkes: one letter of its own."""
    _clock, disposed, waiting = disposed_world(org, engine)
    secret = incoming(org, engine, SECRET_HAL, sifat="rahasia", sender="Inspektorat Provinsi", klasifikasi="700")
    dinkes = incoming(org, engine, "Wabah di kecamatan", by="bayu", unit="DINKES", sender="Puskesmas Sukamaju")
    settings = Settings(instance_path=tmp_path / "instance", database_url=org.url, secret_key="test")
    settings.instance_path.mkdir()
    app = create_app(settings, engine=engine)
    app.config.update(TESTING=True)
    yield app, {"disposed": disposed, "waiting": waiting, "secret": secret, "dinkes": dinkes}
    app.extensions["lontar.db"].dispose()


def cards(html: str) -> list[tuple[str, str]]:
    """(instance title, text of its flags) of every inbox card."""
    doc = page(html)
    return [(text_of(li.find_class("task-title")[0]), " ".join(e.get("data-urgensi") or e.get("data-flag")
                                                               for e in li.xpath(".//*[@data-urgensi or @data-flag]")))
            for li in doc.xpath('//*[@id="inbox"]/li')]


def selected(html: str, name: str) -> str | None:
    values = page(html).xpath(f'//form[@id="inbox-filter"]//select[@name="{name}"]/option[@selected]/@value')
    return values[0] if values else None


def tabs(html: str) -> tuple[list[str], str]:
    doc = page(html)
    offered = doc.xpath('//nav[@class="tabs"]/a/@data-tab')
    (current,) = doc.xpath('//nav[@class="tabs"]/a[@aria-current="page"]/@data-tab')
    return offered, current


def rows(html: str) -> list[list[str]]:
    return [[text_of(td) for td in tr.xpath("./td")] for tr in page(html).xpath('//table[@id="letters"]/tbody/tr')]


def statuses(html: str) -> list[str]:
    return [tr.xpath('./td//*[@data-status]/@data-status')[0]
            for tr in page(html).xpath('//table[@id="letters"]/tbody/tr')]


# -- the inbox filter bar -----------------------------------------------------------------------


def test_the_inbox_filter_bar_narrows_the_list_and_keeps_its_values(world, engine) -> None:
    app, _ids = world
    agus = Person(app, "agus")
    html = agus.get("/inbox").text
    assert sorted(cards(html)) == [("Hasil pemeriksaan khusus", "biasa"), ("Permohonan narasumber", "biasa")]
    assert page(html).xpath('//details[@id="inbox-filter-box"]/@open') == []  # closed until used
    assert "Dari Kementerian Kominfo" in text_of(page(html).get_element_by_id("inbox"))

    html = agus.get("/inbox?urgensi=biasa&dari=inspektorat&urutan=newest").text
    assert cards(html) == [("Hasil pemeriksaan khusus", "biasa")]
    assert selected(html, "urgensi") == "biasa" and selected(html, "urutan") == "newest"
    assert page(html).xpath('//input[@name="dari"]/@value') == ["inspektorat"]
    assert page(html).xpath('//details[@id="inbox-filter-box"]/@open') == [""]  # open

    html = agus.get("/inbox?urgensi=segera").text
    assert cards(html) == [] and "Tidak ada tugas yang cocok dengan filter ini." in html

    sari = Person(app, "sari")
    html = sari.get("/inbox?terlambat=1").text
    assert cards(html) == []
    assert page(html).xpath('//input[@name="terlambat"]/@checked')
    engine.clock.advance(days=3)
    html = sari.get("/inbox?terlambat=1").text
    assert cards(html) == [("Undangan rapat SPBE", "segera overdue")]
    card = text_of(page(html).get_element_by_id("inbox"))
    assert "Dari Kepala Dinas Komunikasi dan Informatika (Drs. Agus Prasetyo, M.Si.)" in card


def test_a_bad_date_gives_a_message_and_the_unfiltered_inbox(world) -> None:
    app, _ids = world
    agus = Person(app, "agus")
    html = agus.get("/inbox?tgl_dari=31-02-2026&urgensi=kilat").text
    notices = text_of(page(html).get_element_by_id("notices"))
    assert "Tanggal awal \u201c31-02-2026\u201d tidak dapat dibaca" in notices
    assert "Urgensi \u201ckilat\u201d tidak dikenal dan diabaikan." in notices
    assert len(cards(html)) == 2
    html = agus.get("/inbox?tgl_dari=2026-12-01&tgl_sampai=2026-11-01").text
    assert "Tanggal awal sesudah tanggal akhir" in html and len(cards(html)) == 2
    html = agus.get("/inbox?tgl_dari=" + "9" * 3000).text  # nothing crashes, nothing echoed at length
    assert len(cards(html)) == 2 and "9" * 50 not in text_of(page(html).get_element_by_id("notices"))


# -- the Surat page -----------------------------------------------------------------------------


def test_a_kabid_sees_what_was_disposed_to_them_and_no_registrar_tabs(world) -> None:
    app, ids = world
    sari = Person(app, "sari")
    html = sari.get("/surat").text
    assert tabs(html) == (["untuk-saya", "disposisi-saya"], "untuk-saya")
    (row,) = rows(html)
    assert row[0] == "1/2026" and row[1].startswith("Undangan rapat SPBE") and "Kepala Dinas" in row[2]
    assert statuses(html) == ["dibaca"] and "Dibaca" in row[-1]
    assert page(html).xpath('//table[@id="letters"]//a/@href') == [f"/surat/{ids['disposed']}"]
    # a tab that is not hers falls back to her own list, and shows no agenda
    html = sari.get("/surat?tab=agenda&q=pemeriksaan").text
    assert tabs(html)[1] == "untuk-saya" and SECRET_HAL not in html
    html = sari.get("/surat?tab=disposisi-saya").text
    assert rows(html) == [] and "Anda belum memberikan disposisi." in html
    assert 'href="/surat"' in sari.get("/inbox").text  # the menu link


def test_the_kepala_sees_each_branch_they_disposed_with_its_status(world, engine) -> None:
    app, ids = world
    agus = Person(app, "agus")
    html = agus.get("/surat?tab=disposisi-saya").text
    assert tabs(html) == (["untuk-saya", "disposisi-saya"], "disposisi-saya")
    assert sorted(statuses(html)) == ["dibaca", "dibatalkan"]
    targets = {r[2].removeprefix("Kepada: ") for r in rows(html)}
    assert targets == {"Kepala Bidang Aplikasi Informatika", "Kepala Bidang Informasi dan Komunikasi Publik"}
    engine.clock.advance(days=3)
    doc = page(agus.get("/surat?tab=disposisi-saya").text)
    late = doc.xpath('//table[@id="letters"]/tbody/tr[.//*[@data-flag="overdue"]]//*[@data-status]/@data-status')
    assert late == ["dibaca"]  # the withdrawn branch is never late


def test_the_tu_sees_their_registrations_with_branch_counts(world) -> None:
    app, ids = world
    dewi = Person(app, "dewi")
    html = dewi.get("/surat?tab=registrasi-saya").text
    assert tabs(html) == (["untuk-saya", "disposisi-saya", "registrasi-saya", "agenda", "agenda-keluar"], "registrasi-saya")
    assert statuses(html) == ["menunggu_disposisi", "menunggu_disposisi", "didisposisikan"]
    doc = page(html)
    (disposed,) = doc.xpath(f'//tr[@data-letter="{ids["disposed"]}"]')
    counts = {c.get("data-count"): text_of(c) for c in disposed.xpath('.//*[@data-count]')}
    assert counts == {"dibaca": "1", "dibatalkan": "1"}
    assert SECRET_HAL in html  # she registered it: full access
    assert "Wabah di kecamatan" not in html


def test_the_agenda_of_an_admin_hides_a_secret_hal_and_another_skpd_sees_none(world) -> None:
    app, ids = world
    admin = Person(app, "admin.kominfo")
    html = admin.get("/surat?tab=agenda").text
    assert tabs(html)[1] == "agenda"
    doc = page(html)
    agenda = {tr.get("data-letter"): text_of(tr) for tr in doc.xpath('//table[@id="letters"]/tbody/tr')}
    assert set(agenda) == {str(ids["disposed"]), str(ids["waiting"]), str(ids["secret"])}
    assert "(rahasia)" in agenda[str(ids["secret"])] and "Inspektorat Provinsi" in agenda[str(ids["secret"])]
    assert SECRET_HAL not in html and "Undangan rapat SPBE" in html
    assert admin.get("/surat?tab=agenda&q=pemeriksaan").text.count('data-letter="') == 0  # never searched
    html = admin.get("/surat?tab=agenda&q=inspektorat&sifat=rahasia").text
    assert re.findall(r'<tr data-letter="(\d+)"', html) == [str(ids["secret"])]
    assert page(html).xpath('//form[@id="agenda-filter"]//input[@name="q"]/@value') == ["inspektorat"]

    other = Person(app, "admin.dinkes")
    html = other.get("/surat?tab=agenda").text
    assert re.findall(r'<tr data-letter="(\d+)"', html) == [str(ids["dinkes"])]
    assert "Undangan rapat SPBE" not in html and "Inspektorat Provinsi" not in html
    assert other.get("/surat?tab=agenda&tahun=abc&sifat=super&tgl_sampai=kemarin").status_code == 200
    html = other.get("/surat?tab=agenda&tahun=abc&sifat=super").text
    assert "Tahun \u201cabc\u201d tidak valid" in html and "Sifat \u201csuper\u201d tidak dikenal" in html
    assert other.get("/surat?tab=agenda&tahun=2025").text.count('data-letter="') == 0


def test_the_agenda_pages(world, monkeypatch) -> None:
    app, ids = world
    monkeypatch.setattr("webapp.views.letter_lists.AGENDA_PAGE", 2)
    admin = Person(app, "admin.kominfo")
    first = admin.get("/surat?tab=agenda&urgensi=").text
    assert len(re.findall(r'<tr data-letter="', first)) == 2
    (following,) = page(first).xpath('//a[@rel="next"]/@href')
    assert "halaman=2" in following and "tab=agenda" in following
    second = admin.get(following).text
    assert re.findall(r'<tr data-letter="(\d+)"', second) == [str(ids["disposed"])]  # agenda 1, the oldest
    assert page(second).xpath('//a[@rel="next"]') == [] and page(second).xpath('//a[@rel="prev"]')
    assert admin.get("/surat?tab=agenda&halaman=-3").status_code == 200


def test_the_surat_page_needs_a_login_and_reads_in_english(world) -> None:
    app, _ids = world
    anonymous = Person(app)
    response = anonymous.client.get("/surat")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    dewi = Person(app, "dewi")
    form = dewi.client.get("/surat")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text).group(1)
    dewi.client.post("/lang/en", data={"csrf_token": token, "next": "/surat?tab=registrasi-saya"})
    html = dewi.get("/surat?tab=registrasi-saya").text
    assert "My registrations" in html and "Awaiting disposition" in html and "Incoming agenda" in html
    html = dewi.get("/inbox?tgl_dari=kemarin").text
    assert "could not be read" in html and "Filter and sort" in html


def test_every_sentence_of_the_letter_lists_has_its_english() -> None:
    from webapp.translations_en import EN

    found: set[str] = set()
    for template in [*(REPO / "webapp" / "templates" / "letters").glob("list*.html"),
                     REPO / "webapp" / "templates" / "inbox.html"]:
        source = template.read_text()
        found |= set(re.findall(r"""_\(\s*'([^']+)'\s*[,)]""", source))
    source = (REPO / "webapp" / "views" / "letter_lists.py").read_text()
    found |= set(re.findall(r"""gettext\(\s*"([^"]+)"\s*[,)]""", source))
    assert len(found) > 60
    assert sorted(s for s in found if s not in EN) == []
