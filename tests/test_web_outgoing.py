"""Outgoing letters in the browser, through Flask's test client with CSRF on: budi drafts a nota
dinas, sari initials, the Diskominfo variant's Sekretaris (yusuf) initials, agus signs and the
letter page shows the number; returns, revisions, recall and ekspedisi through the pages; and
the refusals beside them (a stranger's 404, a return without a note, a draft without addressee).

People (engine.demo): budi (staff under sari, Aptika), sari (Kabid Aptika), yusuf (Sekretaris
Diskominfo), agus (Kepala Dinas), dewi (TU Diskominfo), rina (staff of Dinkes).  Every test
runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from engine.models import Dispatch, DraftVersion, HumanTask, Letter, LetterAttachment, Paraf, Unit
from tests import test_web
from tests.conftest import REPO
from tests.letters_world import prepare
from tests.outgoing_world import deploy_outgoing
from tests.test_web import PDF, Person, count, csrf_token, errors_beside, page, task_link, text_of

app = test_web.app  # the fixture: the Lontar app on the `deployed` database
PARAF, SEKRETARIS, SIGN = "Paraf berjenjang", "Paraf Sekretaris Dinas", "Tanda tangan dan penomoran"
REVISE, DISPATCH = "Perbaiki konsep", "Ekspedisi"
HAL = "Permintaan data layanan publik"


@pytest.fixture
def world(app, deployed, engine):  # type: ignore[no-untyped-def]
    prepare(deployed, engine)
    deploy_outgoing(deployed, engine)
    return app


def unit_id(db, code: str) -> int:  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        return session.scalars(select(Unit.id).where(Unit.code == code)).one()


def post(person: Person, url: str, data: dict, *, form_page: str | None = None):  # type: ignore[no-untyped-def]
    """A multipart POST with the CSRF token of the page that shows the form (or the inbox)."""
    shown = person.client.get(form_page or url)
    token = csrf_token(shown.text if shown.status_code == 200 else person.client.get("/inbox").text)
    return person.client.post(url, data={"csrf_token": token, **data}, content_type="multipart/form-data")


def draft_values(db, *, kepada: str = "DISKOMINFO.IKP", signer: str = "", aksi: str = "ajukan",  # type: ignore[no-untyped-def]
                 **values) -> dict:
    data = {"jenis": "nota_dinas", "hal": HAL, "body": "Dengan hormat, mohon data layanan publik.",
            "sifat": "biasa", "urgensi": "biasa", "klasifikasi_code": "000",
            "parties-0-role": "kepada", "parties-0-kind": "internal", "parties-0-unit_id": str(unit_id(db, kepada)),
            "parties-0-name": "", "signer": signer, "aksi": aksi}
    data.update(values)
    return data


def signer_choices(html: str) -> dict[str, str]:
    """The signer select's options (label -> value), without the blank one."""
    return {text_of(o): o.get("value") for o in page(html).xpath('//select[@id="signer"]/option') if o.get("value")}


def agus_signs(db, budi: Person, **values) -> str:  # type: ignore[no-untyped-def]
    """The value of the "Kepala Dinas" signer for the draft as it would be posted."""
    checked = post(budi, "/surat/keluar/baru", draft_values(db, aksi="periksa", **values))
    choices = signer_choices(checked.text)
    return choices["KEPALA DINAS KOMUNIKASI DAN INFORMATIKA"]


def submit_draft(db, budi: Person, **values) -> str:  # type: ignore[no-untyped-def]
    """budi drafts and submits through the page; returns the letter page's URL."""
    signer = values.pop("signer", None) or agus_signs(db, budi, **values)
    response = post(budi, "/surat/keluar/baru", draft_values(db, signer=signer, **values))
    assert response.status_code == 302, page(response.text).xpath('//p[@class="error"]/text()')
    return urlsplit(response.headers["Location"]).path


def letter_id_of(url: str) -> int:
    return int(url.rsplit("/", 1)[1])


def paraf_table(html: str) -> list[tuple[str, str]]:
    """The newest round of the paraf table: (position, decision)."""
    doc = page(html)
    rounds = doc.xpath('//section[@id="paraf"]//div[@class="paraf-round"]')
    return [(text_of(tr.xpath("./td")[1]), tr.get("data-decision")) for tr in rounds[0].xpath(".//tbody/tr")]


def ready(db, letter_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        return [t.form_key for t in session.scalars(select(HumanTask).where(HumanTask.status == "ready"))
                if (t.context or {}).get("letter_id") == letter_id]


# --- the whole way ---------------------------------------------------------------------------------


def test_budi_drafts_sari_and_yusuf_initial_agus_signs_and_the_page_shows_the_number(world, deployed, engine):
    budi = Person(world, "budi")
    blank = page(budi.get("/surat/keluar/baru").text)
    assert "Buat naskah" in [text_of(a) for a in blank.xpath('//nav[@class="mainnav"]/a')]
    assert blank.get_element_by_id("body").text_content().strip().startswith("Dengan hormat,")  # the nota dinas template
    assert budi.get("/surat/keluar/templat?jenis=surat_undangan").json["body"].count("tempat") == 1

    checked = post(budi, "/surat/keluar/baru", draft_values(deployed, aksi="periksa"))
    assert checked.status_code == 200
    choices = signer_choices(checked.text)
    assert {"KEPALA BIDANG APLIKASI INFORMATIKA", "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA"} <= set(choices)
    previewed = post(budi, "/surat/keluar/baru",
                     draft_values(deployed, aksi="periksa", signer=choices["KEPALA DINAS KOMUNIKASI DAN INFORMATIKA"]))
    chain = [text_of(li) for li in page(previewed.text).xpath('//ol[@class="chain"]/li')]
    assert chain[0].startswith("Kepala Bidang Aplikasi Informatika — Sari Wulandari")
    assert chain[-1].startswith("KEPALA DINAS KOMUNIKASI DAN INFORMATIKA — Drs. Agus Prasetyo")
    assert page(previewed.text).get_element_by_id("hal").get("value") == HAL  # what was typed is kept

    fragment = budi.get("/surat/keluar/penandatangan?jenis=nota_dinas&parties-0-role=kepada&parties-0-kind=eksternal"
                        "&parties-0-name=Kementerian").text
    outside = set(signer_choices(fragment))
    assert "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA" in outside  # outside the SKPD: not the Kabid
    assert "KEPALA BIDANG APLIKASI INFORMATIKA" not in outside

    url = submit_draft(deployed, budi, signer=choices["KEPALA DINAS KOMUNIKASI DAN INFORMATIKA"],
                       attachment=(io.BytesIO(PDF), "data layanan.pdf", "application/pdf"))
    letter_id = letter_id_of(url)
    doc = page(budi.get(url).text)
    assert "Naskah diajukan untuk diparaf." in text_of(doc.xpath('//div[@class="flashes"]')[0])
    assert text_of(doc.get_element_by_id("letter-number")) == "belum bernomor"
    assert text_of(doc.get_element_by_id("letter-status")) == "Dalam paraf"
    assert text_of(doc.get_element_by_id("letter-kepada")) == "Bidang Informasi dan Komunikasi Publik"
    assert paraf_table(budi.get(url).text) == [("Kepala Bidang Aplikasi Informatika", "menunggu")]

    sari = Person(world, "sari")
    sari_url = task_link(sari, PARAF)
    shown = page(sari.get(sari_url).text)
    assert text_of(shown.get_element_by_id("version-hal")) == HAL
    assert "data layanan.pdf" in text_of(shown.get_element_by_id("letter"))
    assert not shown.xpath('//details[@id="delegate"]')  # a paraf is personal
    assert post(sari, sari_url, {"aksi": "paraf", "note": ""}).status_code == 302

    yusuf = Person(world, "yusuf")  # the Diskominfo variant: the Sekretaris initials every letter
    assert post(yusuf, task_link(yusuf, SEKRETARIS), {"aksi": "paraf"}).status_code == 302

    agus = Person(world, "agus")
    sign_url = task_link(agus, SIGN)
    preview = page(agus.get(sign_url).text)
    assert text_of(preview.get_element_by_id("block-lines")) == "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA"
    signed = post(agus, sign_url, {"aksi": "tandatangani"})
    assert signed.status_code == 302 and urlsplit(signed.headers["Location"]).path == url
    year = engine.clock.today().year
    nomor = f"000/1/DISKOMINFO/{year}"
    doc = page(agus.get(url).text)
    assert f"Nomor naskah: {nomor}" in text_of(doc.xpath('//div[@class="flashes"]')[0])
    assert text_of(doc.get_element_by_id("letter-number")) == nomor
    assert text_of(doc.get_element_by_id("letter-status")) == "Terkirim"
    assert "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA" in text_of(doc.get_element_by_id("signature-block"))
    assert "NIP 197203031998031003" in text_of(doc.get_element_by_id("signature-block"))
    assert paraf_table(agus.get(url).text) == [("Kepala Bidang Aplikasi Informatika", "paraf"),
                                               ("Sekretaris Dinas Kominfo (tetap)", "paraf")]
    assert post(agus, sign_url, {"aksi": "tandatangani"}, form_page="/inbox").status_code == 409  # a second click
    with deployed.transaction(write=False) as session:
        assert session.get(Letter, letter_id).nomor == nomor
        copy = session.scalars(select(Letter).where(Letter.source_letter_id == letter_id)).one()
    assert "Terima naskah internal" in [name for _, name in Person(world, "dewi").inbox_tasks()]
    assert Person(world, "dewi").get(f"/surat/{copy.id}").status_code == 200


# --- refusals --------------------------------------------------------------------------------------


def test_a_stranger_gets_404_and_a_return_without_a_note_is_refused_and_changes_nothing(world, deployed):
    budi = Person(world, "budi")
    url = submit_draft(deployed, budi)
    letter_id = letter_id_of(url)
    rina = Person(world, "rina")  # Dinkes: not hers to know about
    rina.get(f"/surat/keluar/{letter_id}/ubah", status=404)
    rina.get(url, status=404)
    assert post(rina, f"/surat/keluar/{letter_id}/tarik", {}).status_code == 404
    sari = Person(world, "sari")
    sari_url = task_link(sari, PARAF)
    rina.get(sari_url, status=404)

    refused = post(sari, sari_url, {"aksi": "kembalikan", "note": "  "})
    assert refused.status_code == 200
    assert errors_beside(page(refused.text), "note") == ["Catatan wajib diisi bila naskah dikembalikan."]
    assert ready(deployed, letter_id) == ["lontar.paraf"]
    with deployed.transaction(write=False) as session:
        assert [p.decision for p in session.scalars(select(Paraf).where(Paraf.letter_id == letter_id))] == ["menunggu"]
        assert session.get(Letter, letter_id).status == "paraf"


def test_a_draft_without_addressee_or_signer_is_refused_beside_the_field_and_nothing_is_saved(world, deployed):
    budi = Person(world, "budi")
    nobody = post(budi, "/surat/keluar/baru", draft_values(deployed, **{"parties-0-unit_id": ""}))
    assert nobody.status_code == 200
    doc = page(nobody.text)
    assert errors_beside(doc, "signer") or doc.xpath('//p[@id="parties-error"]')
    no_signer = post(budi, "/surat/keluar/baru", draft_values(deployed, signer=""))
    assert errors_beside(page(no_signer.text), "signer") == [
        "Penandatangan tidak berwenang untuk jenis naskah dan tujuan ini."]
    no_hal = post(budi, "/surat/keluar/baru", draft_values(deployed, hal="", signer=agus_signs(deployed, budi)))
    assert errors_beside(page(no_hal.text), "hal") == ["Isian ini wajib diisi."]
    no_kepada = post(budi, "/surat/keluar/baru", draft_values(deployed, signer=agus_signs(deployed, budi),
                                                              **{"parties-0-role": "tembusan"}))
    assert text_of(page(no_kepada.text).get_element_by_id("parties-error")) == "Pilih sedikitnya satu tujuan (kepada)."
    assert count(deployed, Letter) == 0 and count(deployed, DraftVersion) == 0 and count(deployed, LetterAttachment) == 0
    Person(world, "admin").get("/surat/keluar/baru", status=404)  # no position: nothing to draft in


def test_a_konsep_is_saved_edited_submitted_recalled_and_submitted_again(world, deployed):
    budi = Person(world, "budi")
    signer = agus_signs(deployed, budi)
    saved = post(budi, "/surat/keluar/baru", draft_values(deployed, signer=signer, aksi="simpan"))
    assert saved.status_code == 302
    url = urlsplit(saved.headers["Location"]).path
    letter_id = letter_id_of(url)
    doc = page(budi.get(url).text)
    assert text_of(doc.get_element_by_id("letter-status")) == "Konsep"
    edit_url = doc.get_element_by_id("edit-draft").get("href")
    assert edit_url == f"/surat/keluar/{letter_id}/ubah"
    assert ready(deployed, letter_id) == []
    form = page(budi.get(edit_url).text)
    assert form.get_element_by_id("hal").get("value") == HAL
    assert form.xpath('//select[@id="signer"]/option[@selected]')[0].get("value") == signer
    Person(world, "sari").get(edit_url, status=404)  # only the konseptor edits

    submitted = post(budi, edit_url, draft_values(deployed, signer=signer, hal="Permintaan data layanan 2026"))
    assert submitted.status_code == 302
    assert ready(deployed, letter_id) == ["lontar.paraf"]
    doc = page(budi.get(url).text)
    assert [text_of(li).split(" · ")[0] for li in doc.xpath('//section[@id="versi"]//li')] == ["v2", "v1"]
    assert doc.xpath('//details[@id="recall"]')  # nobody has initialled yet
    recalled = post(budi, f"/surat/keluar/{letter_id}/tarik", {"tarik-reason": "Salah tujuan"}, form_page=url)
    assert recalled.status_code == 302 and urlsplit(recalled.headers["Location"]).path == edit_url
    assert ready(deployed, letter_id) == []
    assert text_of(page(budi.get(url).text).get_element_by_id("letter-status")) == "Ditarik kembali"
    assert post(budi, edit_url, draft_values(deployed, signer=signer)).status_code == 302
    sari = Person(world, "sari")
    post(sari, task_link(sari, PARAF), {"aksi": "paraf"})
    assert not page(budi.get(url).text).xpath('//details[@id="recall"]')  # initialled: too late
    late = post(budi, f"/surat/keluar/{letter_id}/tarik", {}, form_page=url)
    assert late.status_code == 302
    assert "tidak dapat ditarik kembali" in budi.get(url).text


def test_a_return_reaches_budi_with_the_note_and_his_revision_starts_the_chain_again(world, deployed):
    budi = Person(world, "budi")
    url = submit_draft(deployed, budi)
    letter_id = letter_id_of(url)
    sari = Person(world, "sari")
    post(sari, task_link(sari, PARAF), {"aksi": "paraf"})
    yusuf = Person(world, "yusuf")
    returned = post(yusuf, task_link(yusuf, SEKRETARIS), {"aksi": "kembalikan", "note": "Lengkapi dasar hukumnya"})
    assert returned.status_code == 302

    revise_url = task_link(budi, REVISE)
    doc = page(budi.get(revise_url).text)
    assert "Lengkapi dasar hukumnya" in text_of(doc.get_element_by_id("return-notes"))
    assert doc.get_element_by_id("hal").get("value") == HAL
    assert not page(budi.get(url).text).xpath('//a[@id="edit-draft"]')  # the revision task is the way
    detour = budi.client.get(f"/surat/keluar/{letter_id}/ubah")
    assert detour.status_code == 302 and urlsplit(detour.headers["Location"]).path == revise_url
    signer = doc.xpath('//select[@id="signer"]/option[@selected]')[0].get("value")
    sent = post(budi, revise_url, draft_values(deployed, signer=signer, body="Dengan hormat, berdasarkan Perbup 12/2025.",
                                               note="Dasar hukum ditambahkan"))
    assert sent.status_code == 302
    assert ready(deployed, letter_id) == ["lontar.paraf"]
    assert paraf_table(budi.get(url).text) == [("Kepala Bidang Aplikasi Informatika", "menunggu")]

    sari_url = task_link(sari, PARAF)
    revised = post(sari, sari_url, {"aksi": "revisi", "revisi-hal": HAL, "revisi-note": "Salam penutup",
                                    "revisi-body": "Dengan hormat, berdasarkan Perbup 12/2025. Terima kasih."})
    assert revised.status_code == 302
    with deployed.transaction(write=False) as session:
        reasons = [v.reason for v in session.scalars(select(DraftVersion).where(DraftVersion.letter_id == letter_id)
                                                     .order_by(DraftVersion.number))]
    assert reasons == ["konsep", "revisi", "revisi_pemeriksa"]
    doc = page(yusuf.get(task_link(yusuf, SEKRETARIS)).text)
    assert text_of(doc.get_element_by_id("version-body")).endswith("Terima kasih.")
    assert text_of(doc.get_element_by_id("version-meta")).startswith("Versi 3")


def test_ekspedisi_records_the_date_and_channel_of_the_outside_recipient(world, deployed, engine):
    budi = Person(world, "budi")
    values = {"parties-0-role": "kepada", "parties-0-kind": "eksternal", "parties-0-name": "Kementerian Kominfo",
              "parties-0-unit_id": "", "jenis": "surat_dinas"}
    checked = post(budi, "/surat/keluar/baru", {**draft_values(deployed, aksi="periksa"), **values})
    url = submit_draft(deployed, budi, signer=signer_choices(checked.text)["KEPALA DINAS KOMUNIKASI DAN INFORMATIKA"],
                       **values)
    letter_id = letter_id_of(url)
    for name, task in (("sari", PARAF), ("yusuf", SEKRETARIS)):
        person = Person(world, name)
        post(person, task_link(person, task), {"aksi": "paraf"})
    agus = Person(world, "agus")
    post(agus, task_link(agus, SIGN), {"aksi": "tandatangani"})
    assert text_of(page(agus.get(url).text).get_element_by_id("letter-status")) == "Ditandatangani"

    dewi = Person(world, "dewi")
    dispatch_url = task_link(dewi, DISPATCH)
    with deployed.transaction(write=False) as session:
        party_id = session.scalars(select(Dispatch.party_id).where(Dispatch.letter_id == letter_id)).one()
    future = post(dewi, dispatch_url, {f"date-{party_id}": "2030-01-01", f"channel-{party_id}": "pos"})
    assert future.status_code == 200
    assert "tidak boleh" in text_of(page(future.text).xpath('//div[@class="flashes"]')[0])
    assert page(future.text).get_element_by_id(f"date-{party_id}").get("value") == "2030-01-01"  # kept
    today = engine.clock.today().isoformat()
    sent = post(dewi, dispatch_url, {f"date-{party_id}": today, f"channel-{party_id}": "kurir",
                                     f"note-{party_id}": "diterima resepsionis"})
    assert sent.status_code == 302
    doc = page(dewi.get(url).text)
    assert text_of(doc.get_element_by_id("letter-status")) == "Terkirim"
    assert "Kurir" in text_of(doc.get_element_by_id("ekspedisi"))


# --- language --------------------------------------------------------------------------------------


def test_the_draft_and_the_letter_page_read_in_english(world, deployed):
    budi = Person(world, "budi")
    saved = post(budi, "/surat/keluar/baru", draft_values(deployed, signer=agus_signs(deployed, budi), aksi="simpan"))
    url = urlsplit(saved.headers["Location"]).path
    budi.submit("/lang/en", {"next": url}, form_page=url)
    doc = page(budi.get(url).text)
    assert text_of(doc.get_element_by_id("letter-status")) == "Draft"
    assert text_of(doc.get_element_by_id("letter-number")) == "not numbered yet"
    assert text_of(doc.get_element_by_id("edit-draft")) == "Edit the draft"
    form = page(budi.get("/surat/keluar/baru").text)
    assert [text_of(b) for b in form.xpath('//div[contains(@class, "sticky-actions")]/button')] == [
        "Save the draft", "Submit"]


def test_every_sentence_of_the_outgoing_pages_has_its_english():
    from webapp.outgoingforms import OUTGOING_VOCABULARIES
    from webapp.translations_en import EN

    found: set[str] = set()
    for name in ("draft", "draft_fields", "draft_signer", "outgoing_panel", "outgoing_history", "outgoing_summary",
                 "paraf", "sign", "revise", "dispatch", "letter"):
        source = (REPO / "webapp" / "templates" / "letters" / f"{name}.html").read_text()
        found |= set(re.findall(r"""_\(\s*'([^']+)'\s*[,)]""", source))
    found |= {text for vocabulary in OUTGOING_VOCABULARIES.values() for text in vocabulary.values()}
    assert len(found) > 60
    assert sorted(s for s in found if s not in EN) == []
