"""Who sees how much of a letter on its pages (engine.letter_access through the web): a Rahasia
letter is whole to those it reaches, metadata only to the unit's admin and the auditor, and a
404 to everyone else, the same 404 as a letter that does not exist.  Every test runs on
SQLite and PostgreSQL."""

from __future__ import annotations

import re

from tests import test_web
from tests.letters_world import position_id, prepare
from tests.test_web import PDF, Person, page, task_link, text_of
from tests.test_web_letters import ANDI, HEAD_TASK, SARI, branches, dispose, letter_id_of, post, register

app = test_web.app
SECRET_HAL = "Hasil audit investigasi pengadaan server"
SECRET_BODY = "Temuan kerugian negara pada paket 3."
SECRET_NOTE = "Jangan diedarkan"


def _secret_letter(app, deployed) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    url = register(app, hal=SECRET_HAL, body=SECRET_BODY, sifat="rahasia")
    agus = Person(app, "agus")
    dispose(agus, task_link(agus, HEAD_TASK), [position_id(deployed, SARI), position_id(deployed, ANDI)],
            ["Pelajari dan laporkan"], SECRET_NOTE)
    doc = page(agus.get(url).text)
    (file_href,) = doc.xpath('//section[@id="berkas"]//a/@href')
    return url, int(file_href.rsplit("/", 1)[1])


def _normalised(html: str) -> str:
    html = re.sub(r'(name="next"[^>]*value=")[^"]*', r"\1", html)  # the language switch comes back here
    return re.sub(r'(name="[\w-]*csrf_token"[^>]*value=")[^"]*', r"\1", html)


def test_a_rahasia_letter_is_404_to_the_uninvolved_and_metadata_only_to_the_unit_admin(app, deployed, engine):
    prepare(deployed, engine)
    url, file_id = _secret_letter(app, deployed)
    letter_id = letter_id_of(url)

    budi = Person(app, "budi")  # same Dinas, not involved
    refused = budi.get(url, status=404)
    missing = budi.get("/surat/987654", status=404)
    assert _normalised(refused.text) == _normalised(missing.text)  # as if it did not exist
    for hidden in (f"{url}/berkas/{file_id}", f"{url}/lembar-disposisi"):
        assert SECRET_HAL not in budi.get(hidden, status=404).text
    assert post(budi, f"{url}/komentar", {"comment-text": "Halo"}).status_code == 404
    assert Person(app, "rina").get(url, status=404)  # another SKPD

    admin = Person(app, "admin.kominfo")  # admin of the unit: the register data, never the content
    shown = admin.get(url).text
    doc = page(shown)
    assert text_of(doc.get_element_by_id("agenda")) == "1/2026"
    assert "Kementerian Komunikasi dan Digital" in text_of(doc.get_element_by_id("letter-meta"))
    assert "Rahasia" in text_of(doc.get_element_by_id("restricted"))
    for secret in (SECRET_HAL, SECRET_BODY, SECRET_NOTE, "surat undangan.pdf", "Pelajari dan laporkan"):
        assert secret not in shown, secret
    assert not doc.xpath('//section[@id="berkas"] | //section[@id="disposisi"] | //form[@id="comment-form"]')
    admin.get(f"{url}/berkas/{file_id}", status=404)
    admin.get(f"{url}/lembar-disposisi", status=404)
    assert SECRET_HAL not in Person(app, "auditor").get(url).text  # the auditor: the same metadata view

    sari = Person(app, "sari")  # a recipient sees everything
    doc = page(sari.get(url).text)
    assert text_of(doc.get_element_by_id("letter-hal")) == SECRET_HAL
    assert SECRET_NOTE in text_of(doc.get_element_by_id("disposisi"))
    assert sari.get(f"{url}/berkas/{file_id}").data == PDF
    assert "Pelajari dan laporkan" in sari.get(f"{url}/lembar-disposisi").text

    # A cancelled branch (andi never read it) no longer opens the letter to andi.
    andi_branch = branches(deployed, letter_id)[ANDI]
    assert post(Person(app, "agus"), f"{url}/disposisi/{andi_branch.id}/batal", {}, form_page=url).status_code == 302
    Person(app, "andi").get(url, status=404)


def test_an_ordinary_letter_is_whole_to_the_unit_admin_and_the_registrar(app, deployed, engine):
    prepare(deployed, engine)
    url = register(app, hal="Undangan sosialisasi", sifat="biasa")
    for username in ("admin.kominfo", "dewi", "agus"):
        doc = page(Person(app, username).get(url).text)
        assert text_of(doc.get_element_by_id("letter-hal")) == "Undangan sosialisasi", username
    Person(app, "budi").get(url, status=404)


def test_the_letter_page_links_the_readers_own_open_task_only(app, deployed, engine):
    prepare(deployed, engine)
    url = register(app)
    agus_doc = page(Person(app, "agus").get(url).text)
    assert [text_of(a) for a in agus_doc.xpath('//div[@id="my-tasks"]/a')] == [HEAD_TASK]
    assert not page(Person(app, "dewi").get(url).text).xpath('//div[@id="my-tasks"]')
