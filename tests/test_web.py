"""The web shell through Flask's test client, as the people who use it would check it.

CSRF stays on: every form is posted with the token read from the page that shows it, the way a
browser does.  Every test runs on SQLite and (with LONTAR_TEST_DATABASE_URL) on PostgreSQL.
"""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engine.db import Database
from engine.models import HumanTask, ProcessInstance
from tests.conftest import REPO
from webapp import create_app
from webapp.config import Settings

PASSWORD = "pw-test"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
DRAFT = {"tujuan": "Kepala Dinas Kominfo", "perihal": "Rapat koordinasi SPBE", "isi": "Mohon hadir.\nTerima kasih."}


# --- the app and a person using it -----------------------------------------------------------


@pytest.fixture
def app(deployed: Database, engine, tmp_path: Path) -> Flask:  # type: ignore[no-untyped-def]
    instance = tmp_path / "instance"
    instance.mkdir()
    settings = Settings(instance_path=instance, database_url=deployed.url, secret_key="test")
    flask_app = create_app(settings, engine=engine)
    flask_app.config.update(TESTING=True)  # CSRF stays on (WTF_CSRF_ENABLED is not touched)
    yield flask_app
    flask_app.extensions["lontar.db"].dispose()


def page(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html)


def text_of(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, "the page carries no CSRF token"
    return found.group(1)


class Person:
    """One browser: its own cookie jar; forms are posted with the token of the page showing them."""

    def __init__(self, app: Flask, username: str | None = None) -> None:
        self.client: FlaskClient = app.test_client()
        self.username = username
        if username is not None:
            response = self.login(username)
            assert response.status_code == 302, f"{username} could not log in"

    def login(self, username: str, password: str = PASSWORD, query: str = ""):  # type: ignore[no-untyped-def]
        form = self.client.get("/login")
        return self.client.post(
            "/login" + query, data={"csrf_token": csrf_token(form.text), "username": username, "password": password}
        )

    def get(self, url: str, status: int = 200):  # type: ignore[no-untyped-def]
        response = self.client.get(url)
        response.get_data()  # read a streamed file now, then close it (send_file keeps it open)
        response.close()
        assert response.status_code == status, f"GET {url}: {response.status_code}"
        return response

    def submit(self, url: str, data: dict | None = None, *, form_page: str | None = None):  # type: ignore[no-untyped-def]
        """POST `data` to `url` with the CSRF token of `form_page` (default: `url` itself; the inbox when
        that page cannot be shown, e.g. someone else's task)."""
        shown = self.client.get(form_page or url)
        if shown.status_code != 200:
            shown = self.client.get("/inbox")
        payload = {"csrf_token": csrf_token(shown.text), **(data or {})}
        return self.client.post(url, data=payload, content_type="multipart/form-data")

    def inbox_tasks(self) -> list[tuple[str, str]]:
        """(href, task name) of every task card in the inbox."""
        doc = page(self.get("/inbox").text)
        return [(a.get("href"), text_of(a.find_class("task-name")[0])) for a in doc.xpath('//*[@id="inbox"]//a')]

    def start_nota_dinas(self) -> str:
        response = self.submit("/start/nota_dinas", form_page="/start")
        assert response.status_code == 302
        return urlsplit(response.headers["Location"]).path


def task_link(person: Person, name: str) -> str:
    found = [href for href, task in person.inbox_tasks() if task == name]
    assert len(found) == 1, f"{person.username} should have one '{name}' task: {person.inbox_tasks()}"
    return found[0]


def instance_link(task_html: str) -> str:
    (href,) = [a.get("href") for a in page(task_html).xpath("//a") if re.fullmatch(r"/instances/\d+", a.get("href", ""))]
    return href


def field_block(doc: lxml.html.HtmlElement, field_id: str) -> lxml.html.HtmlElement:
    (block,) = doc.xpath(f'//div[contains(@class, "field")][.//*[@id="{field_id}"] or .//input[@name="{field_id}"]]')
    return block


def errors_beside(doc: lxml.html.HtmlElement, field_id: str) -> list[str]:
    return [text_of(e) for e in field_block(doc, field_id).find_class("error")]


def count(db: Database, model) -> int:  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        return session.scalar(select(func.count()).select_from(model))


def ready_tasks(db: Database) -> list[tuple[str, int]]:
    with db.transaction(write=False) as session:
        return [(t.bpmn_id, t.id) for t in session.scalars(select(HumanTask).where(HumanTask.status == "ready"))]


def drafted(app: Flask) -> tuple[Person, Person, str]:
    """budi has sent a draft; sari has it in her inbox.  Returns (budi, sari, sari's task url)."""
    budi, sari = Person(app, "budi"), Person(app, "sari")
    response = budi.submit(budi.start_nota_dinas(), DRAFT)
    assert response.status_code == 302
    return budi, sari, task_link(sari, "Periksa (atasan langsung)")


# --- logging in ------------------------------------------------------------------------------


def test_login_with_the_right_password_opens_the_inbox(app):
    person = Person(app)
    response = person.login("budi")
    assert response.status_code == 302 and response.headers["Location"] == "/inbox"
    inbox = person.get("/inbox")
    assert "Budi Santoso" in inbox.text and "Kotak masuk" in inbox.text


@pytest.mark.parametrize("username, password", [("budi", "salah"), ("tidakada", PASSWORD)])
def test_login_with_a_wrong_password_or_name_says_so_and_opens_no_session(app, username, password):
    person = Person(app)
    response = person.login(username, password)
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.text
    with person.client.session_transaction() as session:
        assert "_user_id" not in session
    assert urlsplit(person.get("/inbox", status=302).headers["Location"]).path == "/login"


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/x", "/\\evil.example", "/%09/evil.example",
                                    "javascript:alert(1)"])
def test_login_never_redirects_off_the_site(app, target):
    response = Person(app).login("budi", query=f"?next={target}")
    assert response.status_code == 302
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc and location.startswith("/")
    assert not location.startswith("//") and "\\" not in location
    if target == "//evil.example":
        assert location == "/inbox"


def test_login_follows_a_local_next(app):
    assert Person(app).login("budi", query="?next=/processes").headers["Location"] == "/processes"


@pytest.mark.parametrize("url", ["/inbox", "/tasks/1", "/instances/1", "/processes", "/start", "/processes/1"])
def test_anonymous_visitors_are_sent_to_login(app, url):
    response = app.test_client().get(url)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


def test_logout_ends_the_session(app):
    budi = Person(app, "budi")
    assert budi.submit("/logout", form_page="/inbox").status_code == 302
    assert urlsplit(budi.get("/inbox", status=302).headers["Location"]).path == "/login"


# --- CSRF ------------------------------------------------------------------------------------


def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(app, deployed):
    budi = Person(app, "budi")
    for forged in ({}, {"csrf_token": "forged"}):
        refused = budi.client.post("/start/nota_dinas", data=forged)
        assert refused.status_code == 400
        assert "Formulir kedaluwarsa atau tidak sah" in refused.text
        assert count(deployed, ProcessInstance) == 0

    accepted = budi.submit("/start/nota_dinas", form_page="/start")
    assert accepted.status_code == 302
    assert count(deployed, ProcessInstance) == 1


def test_a_task_post_without_csrf_token_leaves_the_task_waiting(app, deployed):
    budi = Person(app, "budi")
    task_url = budi.start_nota_dinas()
    refused = budi.client.post(task_url, data=DRAFT)
    assert refused.status_code == 400
    assert [bpmn_id for bpmn_id, _ in ready_tasks(deployed)] == ["susun"]
    assert budi.submit(task_url, DRAFT).status_code == 302
    assert [bpmn_id for bpmn_id, _ in ready_tasks(deployed)] == ["periksa_atasan"]


def test_login_without_csrf_token_is_refused(app):
    person = Person(app)
    response = person.client.post("/login", data={"username": "budi", "password": PASSWORD})
    assert response.status_code == 400
    with person.client.session_transaction() as session:
        assert "_user_id" not in session


# --- drafting and reviewing --------------------------------------------------------------------


def test_budi_drafts_fixes_a_missing_perihal_and_sends_it_to_sari(app, deployed):
    budi, sari = Person(app, "budi"), Person(app, "sari")
    task_url = budi.start_nota_dinas()
    assert re.fullmatch(r"/tasks/\d+", task_url)
    shown = page(budi.get(task_url).text)
    assert text_of(shown.xpath("//h1")[0]) == "Susun nota dinas"

    typed = "Dengan hormat,\nmohon hadir pada rapat koordinasi."
    invalid = budi.submit(task_url, {"tujuan": "Kepala Dinas", "perihal": "", "isi": typed})
    assert invalid.status_code == 200
    doc = page(invalid.text)
    assert errors_beside(doc, "perihal") == ["Isian ini wajib diisi."]
    assert errors_beside(doc, "isi") == [] and errors_beside(doc, "tujuan") == []
    assert doc.get_element_by_id("isi").text_content().strip("\r\n") == typed  # what was typed is kept
    assert doc.get_element_by_id("tujuan").get("value") == "Kepala Dinas"
    assert doc.get_element_by_id("perihal").get("aria-invalid") == "true"
    assert [bpmn_id for bpmn_id, _ in ready_tasks(deployed)] == ["susun"]  # nothing moved

    sent = budi.submit(task_url, {**DRAFT, "isi": typed})
    assert sent.status_code == 302
    assert budi.inbox_tasks() == []
    assert task_url not in budi.get("/inbox").text
    assert [name for _, name in sari.inbox_tasks()] == ["Periksa (atasan langsung)"]
    review = page(sari.get(task_link(sari, "Periksa (atasan langsung)")).text)
    assert "Rapat koordinasi SPBE" in text_of(review.get_element_by_id("letter"))


def test_a_return_needs_a_note_and_the_note_reaches_budi_with_his_draft(app, deployed):
    budi, sari, review_url = drafted(app)

    no_note = sari.submit(review_url, {"keputusan": "kembalikan", "catatan": ""})
    assert no_note.status_code == 200
    doc = page(no_note.text)
    (error,) = errors_beside(doc, "catatan")
    assert error.startswith("Catatan wajib diisi")
    assert doc.xpath('//input[@name="keputusan"][@checked]')[0].get("value") == "kembalikan"
    assert [bpmn_id for bpmn_id, _ in ready_tasks(deployed)] == ["periksa_atasan"]
    assert budi.inbox_tasks() == []

    note = "Perbaiki paragraf kedua & sebutkan tempat <rapat>."
    returned = sari.submit(review_url, {"keputusan": "kembalikan", "catatan": note})
    assert returned.status_code == 302
    assert sari.inbox_tasks() == []
    fix_url = task_link(budi, "Susun nota dinas")
    html = budi.get(fix_url).text
    assert "<rapat>" not in html  # the note is text, not markup
    doc = page(html)
    assert note in text_of(doc.get_element_by_id("return-note"))
    assert doc.get_element_by_id("perihal").get("value") == DRAFT["perihal"]
    assert doc.get_element_by_id("tujuan").get("value") == DRAFT["tujuan"]
    assert doc.get_element_by_id("isi").text_content().strip("\r\n") == DRAFT["isi"]


def test_the_whole_flow_with_a_return_reaches_selesai(app, deployed):
    budi, sari, review_url = drafted(app)
    agus = Person(app, "agus")
    assert sari.submit(review_url, {"keputusan": "kembalikan", "catatan": "Tambahkan tempat"}).status_code == 302
    assert budi.submit(task_link(budi, "Susun nota dinas"), {**DRAFT, "isi": "Di aula."}).status_code == 302
    assert sari.submit(task_link(sari, "Periksa (atasan langsung)"), {"keputusan": "setujui"}).status_code == 302
    final = agus.submit(task_link(agus, "Persetujuan kepala unit"), {"keputusan": "setujui", "catatan": ""})
    assert final.status_code == 302 and final.headers["Location"] == "/inbox"
    assert ready_tasks(deployed) == []

    mine = page(budi.get("/inbox").text)
    (link,) = mine.xpath('//table[contains(@class, "list")]//a')
    assert text_of(link) == DRAFT["perihal"]
    doc = page(budi.get(link.get("href")).text)
    assert text_of(doc.get_element_by_id("instance-status")) == "Selesai"
    assert "is-done" in doc.xpath('//*[@data-element-id="selesai"]')[0].get("class").split()
    assert doc.xpath('//*[contains(@class, "is-current")]') == []
    entries = [text_of(li) for li in doc.xpath('//ol[@class="timeline"]/li')]
    assert len(entries) == 7  # started, 5 task completions, finished
    assert any("Tambahkan tempat" in e for e in entries)
    assert entries[-1].count("Proses selesai") == 1


def test_the_kepala_unit_decides_for_himself(app):
    _budi, sari, review_url = drafted(app)
    agus = Person(app, "agus")
    assert sari.submit(review_url, {"keputusan": "setujui", "catatan": ""}).status_code == 302
    doc = page(agus.get(task_link(agus, "Persetujuan kepala unit")).text)
    assert doc.xpath('//input[@name="keputusan"][@checked]') == []


def test_a_second_review_starts_without_the_previous_decision_and_note(app):
    budi, sari, review_url = drafted(app)
    assert sari.submit(review_url, {"keputusan": "kembalikan", "catatan": "Perbaiki isi"}).status_code == 302
    assert budi.submit(task_link(budi, "Susun nota dinas"), DRAFT).status_code == 302
    doc = page(sari.get(task_link(sari, "Periksa (atasan langsung)")).text)
    assert doc.xpath('//input[@name="keputusan"][@checked]') == []
    assert doc.get_element_by_id("catatan").text_content().strip() == ""


# --- who may see what --------------------------------------------------------------------------


def test_another_skpd_gets_404_for_the_task_and_the_instance(app, deployed):
    _budi, sari, review_url = drafted(app)
    instance_url = instance_link(sari.get(review_url).text)
    rina = Person(app, "rina")

    assert sari.get(review_url).status_code == 200
    assert sari.get(instance_url).status_code == 200
    for url in (review_url, instance_url):
        response = rina.get(url, status=404)
        assert "Rapat koordinasi SPBE" not in response.text
    posted = rina.submit(review_url, {"keputusan": "setujui"}, form_page="/inbox")
    assert posted.status_code == 404
    cancelled = rina.submit(f"{instance_url}/cancel", {"reason": "iseng"}, form_page="/inbox")
    assert cancelled.status_code == 404
    assert [bpmn_id for bpmn_id, _ in ready_tasks(deployed)] == ["periksa_atasan"]  # untouched
    assert sari.get(review_url).status_code == 200


def test_a_second_click_gets_a_409_naming_who_finished_it(app, deployed):
    _budi, sari, review_url = drafted(app)
    token = csrf_token(sari.get(review_url).text)
    first = sari.client.post(review_url, data={"csrf_token": token, "keputusan": "setujui"})
    assert first.status_code == 302
    again = sari.client.post(review_url, data={"csrf_token": token, "keputusan": "setujui"})
    assert again.status_code == 409
    assert "sudah diselesaikan oleh Sari Wulandari" in again.text
    assert [bpmn_id for bpmn_id, _ in ready_tasks(deployed)] == ["setujui_kepala"]  # only one step forward
    # Opening the finished task later is not an error: it leads to the instance with a word why.
    later = sari.get(review_url, status=302)
    assert re.fullmatch(r"/instances/\d+", later.headers["Location"])
    assert "sudah diselesaikan oleh Sari Wulandari" in sari.get(later.headers["Location"]).text


# --- attachments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, filename",
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "surat.pdf"),  # an EXE
        (b"<html><script>alert(1)</script></html>", "surat.pdf"),  # a web page
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "surat.pdf"),  # an image type the form does not take
    ],
    ids=["exe", "html", "gif"],
)
def test_a_disguised_attachment_is_refused_beside_the_field(app, deployed, content, filename):
    budi = Person(app, "budi")
    task_url = budi.start_nota_dinas()
    response = budi.client.post(task_url, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(budi.get(task_url).text), **DRAFT,
        "lampiran": (io.BytesIO(content), filename, "application/pdf"),
    })
    assert response.status_code == 200
    doc = page(response.text)
    (error,) = errors_beside(doc, "lampiran")
    assert error.startswith("Jenis berkas ini tidak diterima")
    assert doc.get_element_by_id("perihal").get("value") == DRAFT["perihal"]
    assert [bpmn_id for bpmn_id, _ in ready_tasks(deployed)] == ["susun"]
    assert not any((Path(app.instance_path) / "files").glob("*"))  # nothing was stored


def test_a_png_named_pdf_is_kept_as_what_it_is(app):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    budi = Person(app, "budi")
    task_url = budi.start_nota_dinas()
    response = budi.client.post(task_url, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(budi.get(task_url).text), **DRAFT,
        "lampiran": (io.BytesIO(png), "surat.pdf", "application/pdf"),
    })
    assert response.status_code == 302  # the form takes images; the content, not the name, decides
    (instance_url,) = [a.get("href") for a in page(budi.get("/inbox").text).xpath("//table//a")]
    (href,) = [a.get("href") for a in page(budi.get(instance_url).text).xpath('//a[contains(@href, "/files/")]')]
    served = budi.get(href)
    assert served.mimetype == "image/png" and served.data == png


def test_a_real_pdf_is_accepted_and_served_to_sari_but_not_to_rina(app):
    budi = Person(app, "budi")
    task_url = budi.start_nota_dinas()
    response = budi.client.post(task_url, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(budi.get(task_url).text), **DRAFT,
        "lampiran": (io.BytesIO(PDF), "undangan rapat.pdf", "application/pdf"),
    })
    assert response.status_code == 302
    sari = Person(app, "sari")
    review = page(sari.get(task_link(sari, "Periksa (atasan langsung)")).text)
    assert "undangan rapat.pdf" in text_of(review.get_element_by_id("letter"))
    instance_url = instance_link(lxml.html.tostring(review, encoding="unicode"))
    links = page(sari.get(instance_url).text).xpath('//a[contains(@href, "/files/")]')
    assert [text_of(a) for a in links] == ["undangan rapat.pdf"]
    href = links[0].get("href")

    served = sari.get(href)
    assert served.data == PDF
    assert served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    rina = Person(app, "rina")
    assert rina.get(href, status=404).data != PDF
    sari.get(href.rsplit("/", 1)[0] + "/" + "0" * 64, status=404)  # a file the instance does not hold


# --- English -----------------------------------------------------------------------------------


def test_switching_to_english_translates_the_pages(app):
    budi = Person(app, "budi")
    switched = budi.submit("/lang/en", {"next": "/inbox"}, form_page="/inbox")
    assert switched.status_code == 302 and switched.headers["Location"] == "/inbox"
    doc = page(budi.get("/inbox").text)
    assert doc.get("lang") == "en"
    assert text_of(doc.xpath("//h1")[0]) == "Inbox"
    assert "Kotak masuk" not in text_of(doc) and "Proses saya" not in text_of(doc)
    assert "My processes" in text_of(doc)

    task = page(budi.get(budi.start_nota_dinas()).text)
    labels = [text_of(label) for label in task.xpath('//form[@id="task-form"]//label')]
    assert labels[:3] == ["To *", "Subject *", "Body *"]
    assert text_of(task.xpath('//form[@id="task-form"]//button')[0]) == "Send"
    assert "Started the process" in text_of(task)

    back = budi.submit("/lang/id", {"next": "/inbox"}, form_page="/inbox")
    assert back.status_code == 302
    assert text_of(page(budi.get("/inbox").text).xpath("//h1")[0]) == "Kotak masuk"


def test_the_login_page_in_english(app):
    visitor = Person(app)
    assert visitor.submit("/lang/en", {"next": "/login"}, form_page="/login").headers["Location"] == "/login"
    doc = page(visitor.get("/login").text)
    assert [text_of(label) for label in doc.xpath("//form//label")] == ["Username *", "Password *"]
    wrong = visitor.login("budi", "salah")
    assert "Wrong username or password." in wrong.text


def test_an_empty_login_is_answered_in_indonesian(app):
    visitor = Person(app)
    response = visitor.client.post("/login", data={"csrf_token": csrf_token(visitor.get("/login").text)})
    assert response.status_code == 200
    assert errors_beside(page(response.text), "username") == ["Isian ini wajib diisi."]


def _sentences() -> set[str]:
    """Every literal sentence the templates pass to _() and the web code to gettext()."""
    found: set[str] = set()
    for template in (REPO / "webapp" / "templates").glob("*.html"):
        source = template.read_text()
        found |= set(re.findall(r"""_\(\s*'([^']+)'\s*[,)]""", source))
        found |= set(re.findall(r'''_\(\s*"([^"]+)"\s*[,)]''', source))
    for module in (REPO / "webapp").rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("gettext", "_")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    from webapp.auth import LoginForm, login_manager
    from webapp.errors import DEFAULT_MESSAGES, TITLES

    found |= set(TITLES.values()) | set(DEFAULT_MESSAGES.values()) | {login_manager.login_message}
    found |= {field.args[0] for field in (LoginForm.username, LoginForm.password)}
    # task.html and the timeline show the nota dinas fields as _(name|capitalize)
    from forms.library import FormLibrary

    library = FormLibrary()
    for key in ("nota_dinas_draft", "nota_dinas_review"):
        found |= {field.name.capitalize() for field in library.get(key).fields}
    return found


def test_every_sentence_of_the_web_shell_has_its_english():
    from webapp.translations_en import EN

    sentences = _sentences()
    assert len(sentences) > 60
    missing = sorted(s for s in sentences if s not in EN)
    assert missing == []
    for indonesian, english in EN.items():
        assert english.strip(), indonesian
        assert re.findall(r"{\w+}", indonesian) == re.findall(r"{\w+}", english), indonesian


# --- the instance page -------------------------------------------------------------------------


def test_the_instance_page_shows_the_diagram_with_the_current_step_and_the_timeline(app):
    budi, _sari, _review_url = drafted(app)
    (instance_url,) = [a.get("href") for a in page(budi.get("/inbox").text).xpath('//table//a')]
    doc = page(budi.get(instance_url).text)
    (svg,) = doc.xpath('//div[@class="diagram-wrap"]/svg')
    classes = {el.get("data-element-id"): el.get("class").split() for el in svg.xpath(".//*[@data-element-id]")}
    assert "is-current" in classes["periksa_atasan"]
    assert "is-done" in classes["susun"] and "is-done" in classes["start"]
    assert "is-current" not in classes["susun"] and "is-done" not in classes["selesai"]
    assert text_of(doc.get_element_by_id("instance-status")) == "Berjalan"
    assert "Kepala Bidang Aplikasi Informatika" in text_of(doc.get_element_by_id("waiting"))
    entries = doc.xpath('//ol[@class="timeline"]/li')
    assert [li.get("class") for li in entries] == ["tl-instance-started", "tl-task-completed"]
    assert "Budi Santoso" in text_of(entries[0])
    assert DRAFT["perihal"] in text_of(entries[1]) and "Pranata Komputer Ahli Muda" in text_of(entries[1])


# --- layering ----------------------------------------------------------------------------------


@pytest.mark.parametrize("package", ["engine", "forms"])
def test_engine_and_forms_import_no_flask(package):
    offenders = []
    files = sorted((REPO / package).rglob("*.py"))
    assert files
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                if name.split(".")[0] in ("flask", "flask_wtf", "flask_login", "werkzeug"):
                    offenders.append(f"{path.relative_to(REPO)}:{node.lineno} imports {name}")
    assert offenders == []
