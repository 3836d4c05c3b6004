"""Incoming letters in the browser, through Flask's test client with CSRF on: the TU registers,
the head disposes on the lembar disposisi, a Kabid forwards, staff report with a file, the
report is accepted; the letter page shows the tree and the story; cancelling while unread.

People (engine.demo): dewi (TU Diskominfo), agus (Kepala Dinas), sari (Kabid Aptika) and andi
(Kabid IKP), budi (staff under sari).  Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from engine.models import Disposition, HumanTask, Letter, LetterAttachment
from tests import test_web
from tests.conftest import REPO
from tests.letters_world import position_id, prepare
from tests.test_web import PDF, Person, count, csrf_token, errors_beside, page, task_link, text_of

app = test_web.app  # the fixture: the Lontar app on the `deployed` database
SARI, ANDI, BUDI = "DISKOMINFO.APTIKA.KABID", "DISKOMINFO.IKP.KABID", "DISKOMINFO.APTIKA.PRANATA"
HEAD_TASK, FOLLOW_UP_TASK, ACCEPT_TASK = "Disposisi pimpinan", "Tindak lanjuti disposisi", "Terima laporan tindak lanjut"
LETTER = {
    "jenis": "surat_undangan", "nomor": "B-123/KOMINFO/XI/2026", "tanggal": "2026-11-20",
    "received_at": "2026-11-23T08:30", "sender_name": "Kementerian Komunikasi dan Digital",
    "sender_kind": "eksternal", "hal": "Undangan rapat koordinasi SPBE", "sifat": "biasa", "urgensi": "segera",
    "klasifikasi_code": "000", "body": "Mohon hadir pada rapat koordinasi SPBE.",
}
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


# --- helpers -----------------------------------------------------------------------------------


def post(person: Person, url: str, data: dict, *, form_page: str | None = None):  # type: ignore[no-untyped-def]
    """A multipart POST with the CSRF token of the page that shows the form (or the inbox)."""
    shown = person.client.get(form_page or url)
    token = csrf_token(shown.text if shown.status_code == 200 else person.client.get("/inbox").text)
    return person.client.post(url, data={"csrf_token": token, **data}, content_type="multipart/form-data")


def register(app, person: Person | None = None, *, scan: bytes | None = PDF, **values):  # type: ignore[no-untyped-def]
    """dewi registers a letter through the page; returns the letter page's URL."""
    person = person or Person(app, "dewi")
    data = {**LETTER, **values}
    if scan is not None:
        data["scan"] = (io.BytesIO(scan), "surat undangan.pdf", "application/pdf")
    response = post(person, "/surat/masuk/baru", data)
    assert response.status_code == 302, page(response.text).xpath('//p[@class="error"]/text()')
    return urlsplit(response.headers["Location"]).path


def letter_id_of(url: str) -> int:
    return int(url.rsplit("/", 1)[1])


def branches(db, letter_id: int) -> dict[str, Disposition]:  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        rows = session.scalars(select(Disposition).where(Disposition.letter_id == letter_id)).all()
        return {row.to_position.code: row for row in rows}


def tree_statuses(html: str) -> dict[str, str]:
    """What the letter page's tree shows: recipient position -> status label."""
    doc = page(html)
    return {text_of(li.xpath('./div/p[@class="branch-head"]/span[@class="to"]/strong')[0]):
            text_of(li.xpath('./div/p[@class="branch-head"]/span[contains(@class, "badge")]')[0])
            for li in doc.xpath('//li[contains(@class, "branch")]')}


def dispose(person: Person, task_url: str, recipients: list[int], instructions: list[str], note: str = "",
            **extra):  # type: ignore[no-untyped-def]
    return post(person, task_url, {"recipients": [str(r) for r in recipients], "instructions": instructions,
                                   "note": note, "aksi": "kirim", **extra})


# --- registration ------------------------------------------------------------------------------


def test_the_registrar_registers_a_letter_and_its_page_shows_the_agenda_number(app, deployed, engine):
    prepare(deployed, engine)
    dewi = Person(app, "dewi")
    form = page(dewi.get("/surat/masuk/baru").text)
    assert form.get_element_by_id("received_at").get("value") == "2026-11-23T09:00"  # now, in WIB
    assert [o.get("value") for o in form.xpath('//select[@id="sifat"]/option')] == [
        "biasa", "terbatas", "rahasia", "sangat_rahasia"]
    assert "Registrasi surat" in [text_of(a) for a in form.xpath('//nav[@class="mainnav"]/a')]

    response = post(dewi, "/surat/masuk/baru", {**LETTER, "scan": (io.BytesIO(PDF), "surat undangan.pdf", "x/y")})
    assert response.status_code == 302
    url = urlsplit(response.headers["Location"]).path
    assert re.fullmatch(r"/surat/\d+", url)
    shown = dewi.get(url)
    doc = page(shown.text)
    assert "Surat diregistrasi dengan nomor agenda 1/2026" in text_of(doc.xpath('//div[@class="flashes"]')[0])
    assert text_of(doc.get_element_by_id("agenda")) == "1/2026"
    assert text_of(doc.get_element_by_id("letter-hal")) == LETTER["hal"]
    assert text_of(doc.get_element_by_id("letter-status")) == "Menunggu disposisi"
    (link,) = doc.xpath('//section[@id="berkas"]//a')
    assert text_of(link) == "surat undangan.pdf"
    served = dewi.get(link.get("href"))
    assert served.data == PDF and served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    with deployed.transaction(write=False) as session:
        letter = session.scalars(select(Letter)).one()
        assert (letter.received_at.hour, letter.received_at.minute) == (1, 30)  # 08.30 WIB, kept in UTC
        assert letter.klasifikasi_code == "000" and letter.urgensi == "segera" and letter.jenis == "surat_undangan"
    assert [name for _, name in Person(app, "agus").inbox_tasks()] == [HEAD_TASK]
    assert "Registrasi surat" not in Person(app, "budi").get("/inbox").text  # the link is for registrars


def test_someone_who_is_no_registrar_is_refused(app, deployed, engine):
    prepare(deployed, engine)
    budi = Person(app, "budi")
    budi.get("/surat/masuk/baru", status=404)
    assert post(budi, "/surat/masuk/baru", LETTER).status_code == 404
    assert count(deployed, Letter) == 0


def test_a_wrong_sifat_or_a_fake_pdf_is_said_beside_the_field_and_nothing_is_saved(app, deployed, engine):
    prepare(deployed, engine)
    dewi = Person(app, "dewi")
    wrong = post(dewi, "/surat/masuk/baru", {**LETTER, "sifat": "super_rahasia"})
    assert wrong.status_code == 200
    doc = page(wrong.text)
    assert errors_beside(doc, "sifat") == ["Pilihan tidak valid."]
    assert doc.get_element_by_id("hal").get("value") == LETTER["hal"]  # what was typed is kept
    assert doc.get_element_by_id("body").text_content().strip() == LETTER["body"]

    fake = post(dewi, "/surat/masuk/baru", {**LETTER, "scan": (io.BytesIO(EXE), "surat.pdf", "application/pdf")})
    assert fake.status_code == 200
    doc = page(fake.text)
    (error,) = errors_beside(doc, "scan")
    assert error.startswith("Jenis berkas ini tidak diterima") and "PDF" in error
    assert doc.get_element_by_id("nomor").get("value") == LETTER["nomor"]

    unknown = post(dewi, "/surat/masuk/baru", {**LETTER, "klasifikasi_code": "999.9"})
    assert errors_beside(page(unknown.text), "klasifikasi_code") == [
        "Kode klasifikasi 999.9 tidak ada dalam daftar klasifikasi."]
    missing = post(dewi, "/surat/masuk/baru", {**LETTER, "hal": ""})
    assert errors_beside(page(missing.text), "hal") == ["Isian ini wajib diisi."]
    future = post(dewi, "/surat/masuk/baru", {**LETTER, "tanggal": "2026-12-01", "received_at": "2026-11-23T10:00"})
    assert errors_beside(page(future.text), "tanggal") == ["Tanggal surat tidak boleh di masa depan."]
    assert errors_beside(page(future.text), "received_at") == ["Tanggal diterima tidak boleh di masa depan."]

    assert count(deployed, Letter) == 0 and count(deployed, LetterAttachment) == 0
    assert not any((Path(app.instance_path) / "files").glob("*"))  # the fake was never stored
    assert register(app, dewi, scan=None) and count(deployed, Letter) == 1  # no agenda number was used up
    with deployed.transaction(write=False) as session:
        assert session.scalars(select(Letter.agenda_number)).one() == 1


def test_the_klasifikasi_look_up_answers_json_for_signed_in_people_only(app, deployed, engine):
    prepare(deployed, engine)
    found = Person(app, "budi").get("/klasifikasi/cari?q=000").json
    assert found and all(row["code"].startswith("000") and row["name"] for row in found)
    assert app.test_client().get("/klasifikasi/cari?q=000").status_code == 302  # to the login page


# --- the disposition through the pages ---------------------------------------------------------


def test_head_disposes_a_kabid_forwards_staff_report_with_a_file_and_the_report_is_accepted(app, deployed, engine):
    prepare(deployed, engine)
    sari_pos, andi_pos, budi_pos = (position_id(deployed, c) for c in (SARI, ANDI, BUDI))
    url = register(app, draft_recipients=[str(sari_pos)], draft_instructions=["Hadiri/wakili"],
                   draft_note="Mohon diwakili")
    letter_id = letter_id_of(url)

    agus = Person(app, "agus")
    head_url = task_link(agus, HEAD_TASK)
    lembar = page(agus.get(head_url).text)  # prefilled from the TU's pre-draft
    assert lembar.get_element_by_id(f"recipients-{sari_pos}").get("checked") is not None
    assert lembar.get_element_by_id(f"recipients-{andi_pos}").get("checked") is None
    assert [i.get("value") for i in lembar.xpath('//input[@name="instructions"][@checked]')] == ["Hadiri/wakili"]
    assert lembar.get_element_by_id("note").text_content().strip() == "Mohon diwakili"
    assert lembar.get_element_by_id(f"due-{sari_pos}").get("value") == "2026-11-25T09:00"  # segera: 2 x 24 h
    assert "Kementerian Komunikasi dan Digital" in text_of(lembar.get_element_by_id("letter"))

    sent = dispose(agus, head_url, [sari_pos, andi_pos], ["Tindak lanjuti", "Hadiri/wakili"],
                   "Koordinasikan dengan Bappeda", **{f"due-{andi_pos}": "2026-11-24T15:00"})
    assert sent.status_code == 302 and urlsplit(sent.headers["Location"]).path == url
    rows = branches(deployed, letter_id)
    assert {code: row.status for code, row in rows.items()} == {SARI: "belum_dibaca", ANDI: "belum_dibaca"}
    assert rows[ANDI].due_at.isoformat() == "2026-11-24T08:00:00+00:00"  # 15.00 WIB
    assert rows[SARI].instructions == ["Tindak lanjuti", "Hadiri/wakili"]
    assert agus.submit(head_url, {"aksi": "kirim"}, form_page="/inbox").status_code == 409  # a second click
    assert "sudah diselesaikan oleh Drs. Agus Prasetyo" in agus.submit(head_url, {"aksi": "kirim"},
                                                                        form_page="/inbox").text

    sari = Person(app, "sari")
    letter_page = sari.get(url).text  # opening the letter is reading the disposition
    assert tree_statuses(letter_page) == {"Kepala Bidang Aplikasi Informatika": "Dibaca",
                                          "Kepala Bidang Informasi dan Komunikasi Publik": "Belum dibaca"}
    (task_a,) = page(letter_page).xpath('//div[@id="my-tasks"]/a')
    assert text_of(task_a) == FOLLOW_UP_TASK
    sari_url = task_a.get("href")
    given = page(sari.get(sari_url).text)
    assert text_of(given.get_element_by_id("given-instructions")) == "Tindak lanjuti; Hadiri/wakili"
    assert "Koordinasikan dengan Bappeda" in text_of(given.get_element_by_id("given-note"))
    assert given.get_element_by_id(f"recipients-{budi_pos}") is not None
    assert dispose(sari, sari_url, [budi_pos], ["Siapkan bahan/konsep jawaban"]).status_code == 302

    budi = Person(app, "budi")
    budi_url = task_link(budi, FOLLOW_UP_TASK)
    reported = post(budi, budi_url, {"report": "Bahan paparan sudah disiapkan.", "aksi": "laporkan",
                                     "report_file": (io.BytesIO(PDF), "bahan paparan.pdf", "application/pdf")})
    assert reported.status_code == 302
    rows = branches(deployed, letter_id)
    assert rows[BUDI].status == "ditindaklanjuti" and rows[BUDI].report == "Bahan paparan sudah disiapkan."
    with deployed.transaction(write=False) as session:
        (report_file,) = session.scalars(select(LetterAttachment).where(LetterAttachment.kind == "tindak_lanjut"))
        assert report_file.disposition_id == rows[BUDI].id and report_file.filename == "bahan paparan.pdf"

    accept_url = task_link(sari, ACCEPT_TASK)  # the ordinary task page (form terima_laporan)
    assert sari.submit(accept_url, {"keputusan": "terima"}).status_code == 302
    assert branches(deployed, letter_id)[BUDI].status == "selesai"

    shown = agus.get(url).text
    assert tree_statuses(shown) == {"Kepala Bidang Aplikasi Informatika": "Diteruskan",
                                    "Kepala Bidang Informasi dan Komunikasi Publik": "Belum dibaca",
                                    "Pranata Komputer Ahli Muda": "Selesai"}
    doc = page(shown)
    (budi_branch,) = doc.xpath(f'//li[@id="branch-{rows[BUDI].id}"]')
    assert budi_branch.xpath('ancestor::li')[0].get("id") == f"branch-{rows[SARI].id}"  # nested under sari's
    assert "Bahan paparan sudah disiapkan." in text_of(budi_branch)
    (file_link,) = budi_branch.xpath('.//div[@class="report"]//a')
    assert agus.get(file_link.get("href")).data == PDF
    story = [text_of(li.xpath('./div[@class="tl-what"]')[0]) for li in doc.xpath('//ol[@id="letter-timeline"]/li')]
    assert story[0] == "Meregistrasi surat masuk, agenda 1/2026"
    for expected in ("Mendisposisikan kepada Kepala Bidang Aplikasi Informatika, "
                     "Kepala Bidang Informasi dan Komunikasi Publik",
                     "Disposisi dibaca oleh Kepala Bidang Aplikasi Informatika",
                     "Mendisposisikan kepada Pranata Komputer Ahli Muda", "Melaporkan tindak lanjut",
                     "Menerima laporan tindak lanjut dari Pranata Komputer Ahli Muda"):
        assert expected in story, story


def test_a_refused_lembar_keeps_every_choice_and_says_why_beside_the_field(app, deployed, engine):
    prepare(deployed, engine)
    url = register(app)
    sari_pos = position_id(deployed, SARI)
    agus = Person(app, "agus")
    head_url = task_link(agus, HEAD_TASK)

    no_one = dispose(agus, head_url, [], ["Tindak lanjuti"], "Segera")
    assert no_one.status_code == 200
    doc = page(no_one.text)
    assert errors_beside(doc, "recipients") == ["Pilih paling sedikit satu penerima disposisi."]
    assert doc.get_element_by_id("note").text_content().strip() == "Segera"
    assert [i.get("value") for i in doc.xpath('//input[@name="instructions"][@checked]')] == ["Tindak lanjuti"]

    nothing_asked = dispose(agus, head_url, [sari_pos], [], **{f"due-{sari_pos}": "2026-11-30T10:00"})
    doc = page(nothing_asked.text)
    assert errors_beside(doc, "instructions") == ["Pilih paling sedikit satu instruksi."]
    assert doc.get_element_by_id(f"recipients-{sari_pos}").get("checked") is not None
    assert doc.get_element_by_id(f"due-{sari_pos}").get("value") == "2026-11-30T10:00"

    stranger = dispose(agus, head_url, [position_id(deployed, "DINKES.KADIS")], ["Tindak lanjuti"])
    assert "tidak dapat menerima disposisi" in errors_beside(page(stranger.text), "recipients")[0]
    past = dispose(agus, head_url, [sari_pos], ["Tindak lanjuti"], **{f"due-{sari_pos}": "2026-11-20T10:00"})
    assert errors_beside(page(past.text), "recipients") == [
        "Batas waktu untuk Kepala Bidang Aplikasi Informatika sudah lewat."]
    assert branches(deployed, letter_id_of(url)) == {}

    archived = post(agus, head_url, {"note": "Cukup diketahui", "aksi": "arsipkan"})
    assert archived.status_code == 302
    assert text_of(page(agus.get(url).text).get_element_by_id("letter-status")) == "Diarsipkan"


def test_a_branch_can_be_cancelled_only_while_unread(app, deployed, engine):
    prepare(deployed, engine)
    url = register(app)
    letter_id = letter_id_of(url)
    agus = Person(app, "agus")
    dispose(agus, task_link(agus, HEAD_TASK), [position_id(deployed, SARI), position_id(deployed, ANDI)],
            ["Untuk diketahui"])
    rows = branches(deployed, letter_id)
    Person(app, "sari").get(url)  # sari reads it; andi does not

    doc = page(agus.get(url).text)
    assert doc.xpath(f'//li[@id="branch-{rows[ANDI].id}"]//form[@class="cancel-branch"]//button')
    assert not doc.xpath(f'//li[@id="branch-{rows[SARI].id}"]//form[@class="cancel-branch"]')
    assert not page(Person(app, "sari").get(url).text).xpath('//form[@class="cancel-branch"]')  # not the disposer

    late = post(agus, f"/surat/{letter_id}/disposisi/{rows[SARI].id}/batal", {}, form_page=url)
    assert late.status_code == 302
    assert "hanya dapat dibatalkan selama belum dibaca" in agus.get(url).text
    assert branches(deployed, letter_id)[SARI].status == "dibaca"
    assert post(Person(app, "budi"), f"/surat/{letter_id}/disposisi/{rows[ANDI].id}/batal", {}).status_code == 404
    assert post(agus, f"/surat/{letter_id}/disposisi/{rows[ANDI].id}/batal", {}, form_page=url).status_code == 302
    assert branches(deployed, letter_id)[ANDI].status == "dibatalkan"
    assert tree_statuses(agus.get(url).text)["Kepala Bidang Informasi dan Komunikasi Publik"] == "Dibatalkan"
    assert FOLLOW_UP_TASK not in [name for _, name in Person(app, "andi").inbox_tasks()]


def test_the_lembar_disposisi_ticks_the_chosen_instructions_of_the_whole_vocabulary(app, deployed, engine):
    prepare(deployed, engine)
    url = register(app)
    letter_id = letter_id_of(url)
    agus = Person(app, "agus")
    blank = page(agus.get(f"/surat/{letter_id}/lembar-disposisi").text)  # before: a sheet to fill by hand
    assert not blank.xpath('//ul[@class="checklist"]/li[@class="ticked"]')
    dispose(agus, task_link(agus, HEAD_TASK), [position_id(deployed, SARI), position_id(deployed, ANDI)],
            ["Tindak lanjuti", "Hadiri/wakili"], "Koordinasikan dengan Bappeda")
    doc = page(agus.get(f"/surat/{letter_id}/lembar-disposisi").text)
    assert text_of(doc.xpath('//h1[@class="sheet-title"]')[0]) == "LEMBAR DISPOSISI"
    items = doc.xpath('//ul[@class="checklist"]/li')
    assert len(items) == 15  # the whole default vocabulary
    assert [text_of(li).split(": ", 1)[1] for li in items if li.get("class") == "ticked"] == [
        "Tindak lanjuti", "Hadiri/wakili"]
    assert [text_of(li) for li in doc.xpath('//section[@id="sheet-recipients"]/ol/li')][0].startswith(
        "Kepala Bidang Aplikasi Informatika")
    assert text_of(doc.get_element_by_id("sheet-note")) == "Catatan: Koordinasikan dengan Bappeda"
    assert "Drs. Agus Prasetyo, M.Si." in text_of(doc.get_element_by_id("sheet-sign"))
    assert text_of(doc.get_element_by_id("sheet-agenda")) == "1/2026"
    assert doc.xpath('//button[@data-print]') and "@media print" in (REPO / "webapp/static/letters.css").read_text()
    Person(app, "budi").get(f"/surat/{letter_id}/lembar-disposisi", status=404)


def test_a_comment_on_the_letter_shows_in_its_comments_and_timeline(app, deployed, engine):
    prepare(deployed, engine)
    url = register(app)
    agus = Person(app, "agus")
    empty = post(agus, f"{url}/komentar", {"comment-text": "  "}, form_page=url)
    assert empty.status_code == 200
    assert errors_beside(page(empty.text), "comment-text") == ["Isian ini wajib diisi."]
    assert post(agus, f"{url}/komentar", {"comment-text": "Mohon dijadwalkan."}, form_page=url).status_code == 302
    doc = page(agus.get(url).text)
    assert "Mohon dijadwalkan." in text_of(doc.get_element_by_id("komentar"))
    assert "Mohon dijadwalkan." in text_of(doc.get_element_by_id("letter-timeline"))


def test_every_sentence_of_the_letter_pages_has_its_english():
    from webapp.letterforms import VOCABULARIES
    from webapp.translations_en import EN

    found: set[str] = set()
    for name in ("macros", "register", "letter", "dispose", "sheet"):
        source = (REPO / "webapp" / "templates" / "letters" / f"{name}.html").read_text()
        found |= set(re.findall(r"""_\(\s*'([^']+)'\s*[,)]""", source))
    found |= {text for vocabulary in VOCABULARIES.values() for text in vocabulary.values()}
    assert len(found) > 80
    assert sorted(s for s in found if s not in EN) == []


def test_the_vocabulary_labels_cover_every_stored_value():
    from engine.models.letters import BRANCH_STATUSES, JENIS, LETTER_STATUSES, PARTY_KINDS, SIFAT, URGENSI
    from webapp.letterforms import VOCABULARIES

    for name, values in (("jenis", JENIS), ("sifat", SIFAT), ("urgensi", URGENSI), ("sender_kind", PARTY_KINDS),
                         ("letter_status", LETTER_STATUSES), ("branch_status", BRANCH_STATUSES)):
        assert set(VOCABULARIES[name]) == set(values), name


def test_the_head_sees_the_task_page_without_a_delegate_button(app, deployed, engine):
    prepare(deployed, engine)
    register(app)
    agus = Person(app, "agus")
    doc = page(agus.get(task_link(agus, HEAD_TASK)).text)
    assert not doc.xpath('//details[@id="delegate"]')  # forwarding is how a disposition is handed down
    assert doc.xpath('//button[@value="arsipkan"]') and not doc.xpath('//button[@value="laporkan"]')
    with deployed.transaction(write=False) as session:
        assert session.scalars(select(HumanTask.form_key).where(HumanTask.status == "ready")).one() == "lontar.disposisi"


def test_an_empty_report_is_refused_beside_it_and_keeps_no_file(app, deployed, engine):
    prepare(deployed, engine)
    url = register(app)
    agus = Person(app, "agus")
    dispose(agus, task_link(agus, HEAD_TASK), [position_id(deployed, BUDI)], ["Tindak lanjuti"])
    budi = Person(app, "budi")
    budi_url = task_link(budi, FOLLOW_UP_TASK)
    shown = page(budi.get(budi_url).text)
    assert not shown.xpath('//section[@id="lembar"]')  # nobody below or beside him: reporting only
    refused = post(budi, budi_url, {"report": " ", "aksi": "laporkan",
                                    "report_file": (io.BytesIO(PDF), "bahan.pdf", "application/pdf")})
    assert refused.status_code == 200
    assert errors_beside(page(refused.text), "report") == ["Tulis laporan tindak lanjut."]
    assert count(deployed, LetterAttachment) == 1  # the scan only
    assert branches(deployed, letter_id_of(url))[BUDI].status == "dibaca"  # he opened the task: read


def test_the_letter_pages_read_in_english(app, deployed, engine):
    prepare(deployed, engine)
    url = register(app)
    agus = Person(app, "agus")
    agus.submit("/lang/en", {"next": url}, form_page=url)
    doc = page(agus.get(url).text)
    assert text_of(doc.get_element_by_id("letter-status")) == "Awaiting disposition"
    assert "Disposition sheet" in text_of(doc.get_element_by_id("sheet-link"))
    lembar = page(agus.get(task_link(agus, HEAD_TASK)).text)
    assert [text_of(b) for b in lembar.xpath('//form[@id="task-form"]//button')] == ["Send the disposition", "File"]
