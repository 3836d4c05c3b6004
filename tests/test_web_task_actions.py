"""The task-action buttons through Flask's test client, CSRF on (see tests/test_web.py).

Each page is read the way a browser shows it: which buttons a person gets, what a forged or
late post answers, and that a refused post changes nothing.
"""

from __future__ import annotations

import io

from sqlalchemy import select

from engine.models import AuditEvent, HumanTask
from tests import test_web
from tests.flow import get_user
from tests.org_setup import SARI, acting_kabid, staff_under_kabid, unit_admin
from tests.test_web import PDF, Person, csrf_token, drafted, page, text_of

app = test_web.app  # the fixture: the Lontar app on the `deployed` database
REVIEW = "Periksa (atasan langsung)"
JOKO = "Joko Susilo, S.Kom."


def _task(db, url: str) -> HumanTask:  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        return session.get(HumanTask, int(url.rsplit("/", 1)[1]))


def _actions(db) -> list[str]:  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        return list(session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("task.%"))
                                    .where(AuditEvent.action != "task.completed").order_by(AuditEvent.id)))


def _buttons(html: str) -> list[str]:
    return [text_of(b) for b in page(html).xpath('//*[@id="task-actions"]//button')]


def _post(person: Person, url: str, data: dict | None = None, prefix: str = ""):  # type: ignore[no-untyped-def]
    token = csrf_token(person.client.get("/inbox").text)
    key = f"{prefix}-csrf_token" if prefix else "csrf_token"
    return person.client.post(url, data={"csrf_token": token, key: token, **(data or {})})


def _option(html: str, select_id: str, label: str) -> str:
    (value,) = page(html).xpath(f'//select[@id="{select_id}"]/option[normalize-space()="{label}"]/@value')
    return value


def test_claim_hides_it_from_the_plh_and_a_second_claim_is_a_409_naming_sari(app, deployed):
    acting_kabid(deployed)
    _budi, sari, url = drafted(app)
    tono = Person(app, "tono")
    assert [name for _, name in tono.inbox_tasks()] == [REVIEW]
    assert _buttons(sari.get(url).text) == ["Ambil", "Delegasikan"]  # budi is under her

    claimed = _post(sari, f"{url}/claim")
    assert claimed.status_code == 302 and claimed.headers["Location"] == url
    doc = page(sari.get(url).text)
    assert text_of(doc.get_element_by_id("task-holder")) == f"Diambil oleh {SARI}"
    assert _buttons(sari.get(url).text) == ["Lepaskan", "Delegasikan"]
    assert page(sari.get("/inbox").text).xpath('//*[@data-flag="claimed"]')

    assert tono.inbox_tasks() == []
    shown = page(tono.get(url).text)  # a candidate still opens it: who holds it, no form
    assert text_of(shown.get_element_by_id("task-holder")) == f"Diambil oleh {SARI}"
    assert shown.xpath('//form[@id="task-form"]') == [] and _buttons(tono.get(url).text) == []
    late = _post(tono, f"{url}/claim")
    assert late.status_code == 409 and f"sudah diambil oleh {SARI}" in late.text
    answered = _post(tono, url, {"keputusan": "setujui"})
    assert answered.status_code == 409 and f"sudah diambil oleh {SARI}" in answered.text
    assert _actions(deployed) == ["task.claimed"]

    assert _post(sari, f"{url}/unclaim").status_code == 302
    assert [name for _, name in tono.inbox_tasks()] == [REVIEW]
    assert _post(sari, f"{url}/unclaim").status_code == 409  # a second click


def test_delegate_offers_only_subordinates_and_a_forged_choice_changes_nothing(app, deployed):
    staff_under_kabid(deployed)
    _budi, sari, url = drafted(app)
    html = sari.get(url).text
    options = page(html).xpath('//select[@id="delegate-to_user"]/option/text()')
    assert sorted(options) == ["Budi Santoso, S.Kom.", JOKO]
    rina_id = str(_user_id(deployed, "rina"))

    forged = _post(sari, f"{url}/delegate", {"delegate-to_user": rina_id, "delegate-note": ""}, prefix="delegate")
    assert forged.status_code == 403 and "hanya kepada bawahan Anda" in forged.text
    assert _task(deployed, url).delegation_state is None and _actions(deployed) == []

    sent = _post(sari, f"{url}/delegate", {"delegate-to_user": _option(html, "delegate-to_user", JOKO),
                                           "delegate-note": "Cek isi."}, prefix="delegate")
    assert sent.status_code == 302 and sent.headers["Location"] == "/inbox"
    assert sari.inbox_tasks() == []
    owner_view = page(sari.get(url).text)  # the owner still opens it, to take it back
    assert text_of(owner_view.get_element_by_id("task-holder")).startswith(f"Didelegasikan ke {JOKO} oleh {SARI}")
    assert _buttons(sari.get(url).text) == ["Tarik kembali"]

    joko = Person(app, "joko")
    assert page(joko.get("/inbox").text).xpath('//*[@data-flag="delegated"]')
    answer = joko.submit(url, {"keputusan": "kembalikan", "catatan": "Tanggal belum ada."})
    assert answer.status_code == 302 and answer.headers["Location"] == "/inbox"
    again = joko.submit(url, {"keputusan": "setujui"}, form_page="/inbox")
    assert again.status_code == 409 and "menunggu konfirmasinya" in again.text

    confirm = page(sari.get(url).text)
    assert text_of(confirm.get_element_by_id("pending-answer")).startswith(f"Jawaban dari {JOKO} menunggu konfirmasi")
    assert confirm.xpath('//input[@name="keputusan"][@checked]/@value') == ["kembalikan"]
    assert page(sari.get("/inbox").text).xpath('//*[@data-flag="returned"]')
    assert sari.submit(url, {"keputusan": "setujui", "catatan": ""}).status_code == 302
    assert _task(deployed, url).status == "completed"
    assert _actions(deployed) == ["task.delegated", "task.returned_to_owner"]


def test_reassign_is_offered_to_the_skpd_admin_only(app, deployed):
    staff_under_kabid(deployed)
    unit_admin(deployed, "admin_kominfo", "DISKOMINFO")
    unit_admin(deployed, "admin_dinkes", "DINKES")
    _budi, sari, url = drafted(app)
    assert page(sari.get(url).text).xpath('//*[@id="reassign"]') == []
    other = Person(app, "admin_dinkes")
    other.get(url, status=404)
    refused = _post(other, f"{url}/reassign", {"reassign-to_user": "1", "reassign-reason": "x"}, prefix="reassign")
    assert refused.status_code == 404

    admin = Person(app, "admin_kominfo")
    instance_url = f"/instances/{_task(deployed, url).instance_id}"
    assert page(admin.get(instance_url).text).xpath(f'//*[@id="waiting"]//a[@href="{url}"]')
    html = admin.get(url).text
    assert page(html).xpath('//form[@id="task-form"]') == [] and _buttons(html) == ["Alihkan"]
    joko_id = _option(html, "reassign-to_user", JOKO)
    no_reason = _post(admin, f"{url}/reassign", {"reassign-to_user": joko_id, "reassign-reason": ""}, prefix="reassign")
    assert no_reason.status_code == 302 and _task(deployed, url).assignee_id is None
    assert "Alasan pengalihan" in admin.get(url).text
    moved = _post(admin, f"{url}/reassign", {"reassign-to_user": joko_id, "reassign-reason": "Kabid dinas luar"},
                  prefix="reassign")
    assert moved.status_code == 302
    assert [name for _, name in Person(app, "joko").inbox_tasks()] == [REVIEW]
    assert sari.inbox_tasks() == []
    assert _actions(deployed) == ["task.reassigned"]


def test_the_task_actions_speak_english(app):
    _budi, sari, url = drafted(app)
    sari.submit("/lang/en", {"next": "/inbox"}, form_page="/inbox")
    assert _buttons(sari.get(url).text) == ["Claim", "Delegate"]
    _post(sari, f"{url}/claim")
    doc = page(sari.get(url).text)
    assert text_of(doc.get_element_by_id("task-holder")) == f"Claimed by {SARI}"
    assert "Claimed by you" in sari.get("/inbox").text


def test_a_delegates_attachment_is_shown_to_the_owner_and_kept_when_she_confirms(app, deployed):
    staff_under_kabid(deployed, "magang", "Putri Magang", superior="Pranata Komputer Ahli Muda", position="Magang")
    budi = Person(app, "budi")
    url = budi.start_nota_dinas()
    magang_id = _option(budi.get(url).text, "delegate-to_user", "Putri Magang")
    sent = _post(budi, f"{url}/delegate", {"delegate-to_user": magang_id, "delegate-note": "Tolong susun."},
                 prefix="delegate")
    assert sent.status_code == 302
    putri = Person(app, "magang")
    answer = putri.client.post(url, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(putri.get(url).text), "tujuan": "Kepala Dinas", "perihal": "Rapat", "isi": "Hadir.",
        "lampiran": (io.BytesIO(PDF), "undangan.pdf", "application/pdf")})
    assert answer.status_code == 302

    doc = page(budi.get(url).text)
    (link,) = doc.get_element_by_id("pending-answer").xpath('.//a[contains(@href, "/files/")]')
    assert text_of(link) == "undangan.pdf" and budi.get(link.get("href")).data == PDF
    assert doc.get_element_by_id("perihal").get("value") == "Rapat"
    confirmed = budi.submit(url, {"tujuan": "Kepala Dinas", "perihal": "Rapat koordinasi", "isi": "Hadir."})
    assert confirmed.status_code == 302
    submitted = _task(deployed, url).submitted
    assert submitted["perihal"] == "Rapat koordinasi" and submitted["lampiran"]["name"] == "undangan.pdf"


def _user_id(db, username: str) -> int:  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        return get_user(session, username).id
