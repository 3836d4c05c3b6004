"""The Pemda-wide settings: the working calendar and the disposition instructions, through the
engine and through Flask's test client (CSRF on), both databases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from engine import audit, instructions
from engine.db import Database
from engine.errors import NotFound
from engine.instructions import InstructionInvalid
from engine.models import AuditEvent, Holiday, Instruction, Setting
from tests.test_web import Person, csrf_token, errors_beside, page, text_of
from webapp import create_app
from webapp.config import Settings

ADMIN = audit.Actor(None, "Admin Pemda")
DEFAULT_LABELS = [label for label, _english in instructions.DEFAULTS]


@pytest.fixture
def app(org: Database, engine, tmp_path: Path) -> Flask:  # type: ignore[no-untyped-def]
    settings = Settings(instance_path=tmp_path / "instance", database_url=org.url, secret_key="test")
    settings.instance_path.mkdir()
    flask_app = create_app(settings, engine=engine)
    flask_app.config.update(TESTING=True)
    yield flask_app
    flask_app.extensions["lontar.db"].dispose()


def state(db: Database) -> tuple:
    """What a refused request must leave as it was."""
    with db.transaction(write=False) as session:
        return (
            tuple(session.execute(select(Holiday.day, Holiday.name).order_by(Holiday.day))),
            tuple(session.execute(select(Setting.key, Setting.value).order_by(Setting.key))),
            tuple(session.execute(select(Instruction.label, Instruction.sort, Instruction.active).order_by(Instruction.id))),
            session.scalar(select(func.count()).select_from(AuditEvent)),
        )


def listed(person: Person) -> list[tuple[str, str]]:
    doc = page(person.get("/admin/instructions").text)
    return [(tr.get("data-instruction"), tr.get("data-active")) for tr in doc.xpath("//tr[@data-instruction]")]


def holidays_shown(person: Person, year: int) -> list[tuple[str, str]]:
    doc = page(person.get(f"/admin/calendar?year={year}").text)
    return [(tr.get("data-day"), text_of(tr.xpath("td")[1])) for tr in doc.xpath("//tr[@data-day]")]


def instruction_id(db: Database, label: str) -> int:
    with db.transaction(write=False) as session:
        return session.scalar(select(Instruction.id).where(Instruction.label == label))


# --- the vocabulary in the engine ----------------------------------------------------------------------


def test_the_demo_seeds_the_default_instructions_once(org: Database):
    with org.transaction() as session:
        assert [i.label for i in instructions.active(session)] == DEFAULT_LABELS
        assert instructions.active(session)[0].label_en == "For your information"
        instructions.set_active(session, ADMIN, instructions.active(session)[-1].id, False)
        assert instructions.seed(session) == 0  # the Pemda's choices survive a second run
        assert "Arsipkan" not in [i.label for i in instructions.active(session)]


def test_instructions_are_added_renamed_reordered_and_deactivated_with_checks(org: Database):
    with org.transaction() as session:
        added = instructions.add(session, ADMIN, "  Segera   laporkan ", "Report at once")
        assert instructions.active(session)[-1].label == "Segera laporkan"
        instructions.rename(session, ADMIN, added.id, "Segera laporkan hasilnya", "Report the outcome at once")
        instructions.move(session, ADMIN, added.id, -1)
        instructions.move(session, ADMIN, instructions.active(session)[0].id, -1)  # already first: stays
        labels = [i.label for i in instructions.active(session)]
        assert labels[-2:] == ["Segera laporkan hasilnya", "Arsipkan"] and labels[0] == "Untuk diketahui"
        jawab = next(i for i in instructions.active(session) if i.label == "Jawab")
        instructions.set_active(session, ADMIN, jawab.id, False)
    refusals = [
        (lambda s: instructions.add(s, ADMIN, "untuk DIKETAHUI"), "label", "Instruksi 'Untuk diketahui' sudah ada."),
        (lambda s: instructions.add(s, ADMIN, "Jawab"), "label",
         "Instruksi 'Jawab' sudah ada tetapi nonaktif: aktifkan kembali."),
        (lambda s: instructions.add(s, ADMIN, "   "), "label", "Teks instruksi wajib diisi."),
        (lambda s: instructions.add(s, ADMIN, "x" * 201), "label", "Teks instruksi paling panjang 200 karakter."),
        (lambda s: instructions.rename(s, ADMIN, added.id, "Edarkan"), "label", "Instruksi 'Edarkan' sudah ada."),
        (lambda s: instructions.reorder(s, ADMIN, [added.id]), None,
         "Urutan harus memuat setiap instruksi tepat satu kali."),
    ]
    for action, field, message in refusals:
        with pytest.raises(InstructionInvalid) as refused, org.transaction() as session:
            action(session)
        assert (refused.value.field, refused.value.message()) == (field, message)
    with pytest.raises(NotFound), org.transaction() as session:
        instructions.rename(session, ADMIN, 987_654, "Tidak ada")
    with org.transaction(write=False) as session:
        assert "Jawab" not in [i.label for i in instructions.active(session)]
        assert len(instructions.all_instructions(session)) == 16
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions == ["instruction.added", "instruction.renamed", "instruction.reordered", "instruction.deactivated"]


def test_the_last_active_instruction_cannot_be_deactivated(database: Database):
    with database.transaction() as session:
        instructions.seed(session)
        rows = instructions.all_instructions(session)
        for row in rows[1:]:
            instructions.set_active(session, ADMIN, row.id, False)
    with pytest.raises(InstructionInvalid) as refused, database.transaction() as session:
        instructions.set_active(session, ADMIN, rows[0].id, False)
    assert refused.value.message("en") == "At least one instruction must stay active."
    with database.transaction(write=False) as session:
        assert [i.label for i in instructions.active(session)] == ["Untuk diketahui"]


# --- who may open the pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/admin/calendar", "/admin/instructions"])
def test_only_a_pemda_admin_opens_the_pemda_settings(app, url):
    Person(app, "admin").get(url)
    Person(app, "admin.dinkes").get(url, status=404)  # an admin of one unit: not Pemda-wide
    Person(app, "budi").get(url, status=404)
    response = Person(app).client.get(url)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_settings_links_show_for_a_pemda_admin_only(app):
    def subnav(username: str) -> list[str]:
        doc = page(Person(app, username).get("/admin/").text)
        return [text_of(a) for a in doc.xpath('//nav[@class="subnav"]/a')]

    assert subnav("admin")[-2:] == ["Kalender kerja", "Instruksi disposisi"]
    assert "Kalender kerja" not in subnav("admin.dinkes")


def test_a_non_admin_cannot_change_the_settings_and_nothing_changes(app, org):
    before = state(org)
    for username in ("budi", "admin.dinkes"):
        person = Person(app, username)
        token = csrf_token(person.get("/inbox").text)
        for url, data in [
            ("/admin/calendar", {"day": "2026-08-17", "name": "Hari Kemerdekaan"}),
            ("/admin/calendar/weekend", {"weekend": ["7"]}),
            ("/admin/instructions", {"label": "Dibajak"}),
            ("/admin/instructions/active", {"instruction_id": str(instruction_id(org, "Jawab")), "active": "0"}),
        ]:
            assert person.client.post(url, data={"csrf_token": token, **data}).status_code == 404, (username, url)
    assert state(org) == before


def test_a_post_without_the_csrf_token_is_refused(app, org):
    admin = Person(app, "admin")
    before = state(org)
    refused = admin.client.post("/admin/calendar", data={"day": "2026-08-17", "name": "Hari Kemerdekaan"})
    assert refused.status_code == 400
    assert "Formulir kedaluwarsa atau tidak sah" in text_of(page(refused.text))
    assert admin.client.post("/admin/instructions", data={"label": "Tanpa token"}).status_code == 400
    assert state(org) == before
    accepted = admin.submit("/admin/calendar", {"day": "2026-08-17", "name": "Hari Kemerdekaan"})
    assert accepted.status_code == 302


# --- the calendar page -------------------------------------------------------------------------------


def test_an_admin_adds_and_deletes_holidays_and_sets_the_weekend(app, org):
    admin = Person(app, "admin")
    added = admin.submit("/admin/calendar", {"day": "2026-08-17", "name": "Hari Kemerdekaan RI"})
    assert (added.status_code, added.headers["Location"]) == (302, "/admin/calendar?year=2026")
    admin.submit("/admin/calendar", {"day": "2027-01-01", "name": "Tahun Baru"})
    assert holidays_shown(admin, 2026) == [("2026-08-17", "Hari Kemerdekaan RI")]
    assert text_of(page(admin.get("/admin/calendar?year=2026").text).xpath("//tr[@data-day]/td")[0]) == (
        "Senin, 17 Agustus 2026"
    )
    assert holidays_shown(admin, 2027) == [("2027-01-01", "Tahun Baru")]

    twice = admin.submit("/admin/calendar", {"day": "2026-08-17", "name": "Lagi"})
    assert twice.status_code == 422
    assert errors_beside(page(twice.text), "day") == [
        "Tanggal 2026-08-17 sudah tercatat sebagai hari libur: Hari Kemerdekaan RI."
    ]
    empty = admin.submit("/admin/calendar", {"day": "", "name": ""})
    assert empty.status_code == 422 and errors_beside(page(empty.text), "name") == ["Isian ini wajib diisi."]

    deleted = admin.submit("/admin/calendar/delete", {"day": "2026-08-17"}, form_page="/admin/calendar")
    assert deleted.status_code == 302
    assert holidays_shown(admin, 2026) == []
    assert admin.submit("/admin/calendar/delete", {"day": "2026-08-17"}, form_page="/admin/calendar").status_code == 404

    weekend = admin.submit("/admin/calendar/weekend", {"weekend": ["5", "7"]}, form_page="/admin/calendar")
    assert weekend.status_code == 302
    doc = page(admin.get("/admin/calendar").text)
    assert text_of(doc.get_element_by_id("weekend-now")) == "Hari libur akhir pekan: Jumat, Minggu"
    assert [i.get("value") for i in doc.xpath('//input[@name="weekend"][@checked]')] == ["5", "7"]
    every_day = admin.submit("/admin/calendar/weekend", {"weekend": [str(d) for d in range(1, 8)]},
                             form_page="/admin/calendar")
    assert every_day.status_code == 422
    assert errors_beside(page(every_day.text), "weekend") == ["Paling sedikit satu hari dalam sepekan harus hari kerja."]
    with org.transaction(write=False) as session:
        assert session.get(Setting, "kalender.akhir_pekan").value == [5, 7]
        assert session.get(Holiday, date(2027, 1, 1)).name == "Tahun Baru"
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        actors = set(session.scalars(select(AuditEvent.actor_name)))
    assert actions == ["calendar.holiday.added", "calendar.holiday.added", "calendar.holiday.removed",
                       "calendar.weekend.set"]
    assert actors == {"Admin Lontar"}


def test_the_calendar_page_shows_the_default_due_dates_in_english(app):
    admin = Person(app, "admin")
    admin.submit("/lang/en", {"next": "/admin/calendar"}, form_page="/admin/calendar")
    doc = page(admin.get("/admin/calendar").text)
    assert text_of(doc.xpath("//h1")[0]) == "Working calendar"
    dues = [text_of(li) for li in doc.get_element_by_id("dues").xpath(".//li")]
    assert [d.split(":")[0] for d in dues] == ["Normal", "Urgent", "Very urgent"]
    assert [text_of(label) for label in doc.xpath("//label[@for='day' or @for='name']")] == ["Date *", "Holiday name *"]


# --- the instructions page -------------------------------------------------------------------------------


def test_an_admin_edits_the_instruction_list(app, org):
    admin = Person(app, "admin")
    assert listed(admin) == [(label, "1") for label in DEFAULT_LABELS]

    added = admin.submit("/admin/instructions", {"label": "Monitor", "label_en": "Monitor it"})
    assert added.status_code == 302
    assert listed(admin)[-1] == ("Monitor", "1")
    taken = admin.submit("/admin/instructions", {"label": "jawab"})
    assert taken.status_code == 422
    assert errors_beside(page(taken.text), "label") == ["Instruksi 'Jawab' sudah ada."]

    monitor = instruction_id(org, "Monitor")
    form = page(admin.get(f"/admin/instructions?edit={monitor}").text)
    assert form.xpath('//input[@name="label"]/@value') == ["Monitor"]
    renamed = admin.submit("/admin/instructions/rename",
                           {"instruction_id": str(monitor), "label": "Pantau", "label_en": "Monitor it"},
                           form_page=f"/admin/instructions?edit={monitor}")
    assert renamed.status_code == 302
    clash = admin.submit("/admin/instructions/rename", {"instruction_id": str(monitor), "label": "Edarkan"},
                         form_page=f"/admin/instructions?edit={monitor}")
    assert clash.status_code == 422 and errors_beside(page(clash.text), "label") == ["Instruksi 'Edarkan' sudah ada."]

    up = admin.submit("/admin/instructions/move", {"instruction_id": str(monitor), "direction": "up"},
                      form_page="/admin/instructions")
    assert up.status_code == 302
    assert [label for label, _ in listed(admin)][-2:] == ["Pantau", "Arsipkan"]
    down = instruction_id(org, "Untuk diketahui")
    admin.submit("/admin/instructions/move", {"instruction_id": str(down), "direction": "down"},
                 form_page="/admin/instructions")
    assert [label for label, _ in listed(admin)][:2] == ["Tanggapan dan saran", "Untuk diketahui"]

    off = admin.submit("/admin/instructions/active", {"instruction_id": str(monitor), "active": "0"},
                       form_page="/admin/instructions")
    assert off.status_code == 302
    assert ("Pantau", "0") in listed(admin)
    admin.submit("/admin/instructions/active", {"instruction_id": str(monitor), "active": "1"},
                 form_page="/admin/instructions")
    assert ("Pantau", "1") in listed(admin)
    missing = admin.submit("/admin/instructions/active", {"instruction_id": "987654", "active": "0"},
                           form_page="/admin/instructions")
    assert missing.status_code == 404
    with org.transaction(write=False) as session:
        assert [i.label for i in instructions.active(session)][-2:] == ["Pantau", "Arsipkan"]
        assert session.get(Instruction, monitor).label_en == "Monitor it"


def test_the_last_active_instruction_is_kept_and_the_page_says_why(app, org):
    with org.transaction() as session:
        for row in instructions.all_instructions(session)[1:]:
            instructions.set_active(session, ADMIN, row.id, False)
    admin = Person(app, "admin")
    first = instruction_id(org, "Untuk diketahui")
    refused = admin.submit("/admin/instructions/active", {"instruction_id": str(first), "active": "0"},
                           form_page="/admin/instructions")
    assert refused.status_code == 302
    doc = page(admin.get("/admin/instructions").text)
    assert "Paling sedikit satu instruksi harus tetap aktif." in text_of(doc)
    assert ("Untuk diketahui", "1") in listed(admin)


def test_every_sentence_and_label_of_these_pages_has_its_english():
    from webapp.admin import calendar as calendar_page
    from webapp.admin import instructions as instructions_page
    from webapp.translations_en import EN

    labels = {
        field.args[0]
        for module in (calendar_page, instructions_page)
        for form in vars(module).values()
        if isinstance(form, type) and form.__module__ == module.__name__
        for field in vars(form).values()
        if getattr(field, "args", None) and isinstance(field.args[0], str)
    }
    assert {"Tanggal", "Nama hari libur", "Hari libur akhir pekan", "Teks instruksi"} <= labels
    assert sorted(label for label in labels if label not in EN) == []
