"""The "Penomoran" admin page through Flask's test client (CSRF on), both databases: the Pemda's
format, the register of a unit, voiding a number and a sisipan number, each within the admin's
scope."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from engine import numbering
from engine.db import Database
from engine.models import AuditEvent, Letter, LetterNumber, Setting, Unit
from engine.number_format import QUOTA_KEY
from tests.conftest import REPO
from tests.test_web import Person, csrf_token, errors_beside, page, text_of
from webapp import create_app
from webapp.config import Settings


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
            tuple(session.execute(select(Setting.key, Setting.value).order_by(Setting.key))),
            tuple(session.execute(select(LetterNumber.nomor, LetterNumber.status).order_by(LetterNumber.id))),
            session.scalar(select(func.count()).select_from(AuditEvent)),
        )


def unit_id(db: Database, code: str) -> int:
    with db.transaction(write=False) as session:
        return session.scalars(select(Unit.id).where(Unit.code == code)).one()


def numbers_for(db: Database, engine, code: str, count: int = 1) -> list[int]:  # type: ignore[no-untyped-def]
    """`count` letters of the unit signed and numbered now; their register row ids."""
    ids = []
    with db.transaction() as session:
        unit = session.scalars(select(Unit.id).where(Unit.code == code)).one()
        for _ in range(count):
            letter = Letter(unit_id=unit, jenis="nota_dinas", direction="keluar", hal="Rapat", status="tanda_tangan")
            session.add(letter)
            session.flush()
            row = numbering.allocate(session, letter=letter, unit_id=unit, user=None, at=engine.clock.now(),
                                     tz=engine.clock.tz)
            ids.append(row.id)
    return ids


def register_shown(person: Person, unit: int) -> list[tuple[str, str]]:
    doc = page(person.get(f"/admin/numbering?unit={unit}").text)
    return [(tr.get("data-nomor"), tr.get("data-status")) for tr in doc.xpath("//tr[@data-nomor]")]


SETTINGS = {"template": "{klasifikasi}/{urut:3}/{kode_unit}/{bulan_romawi}/{tahun}", "mode": "unit",
            "wilayah": "35.24", "quota": "3"}


# --- the Pemda's format -------------------------------------------------------------------------------


def test_a_pemda_admin_changes_the_format_and_sees_the_example(app, org, engine):
    admin = Person(app, "admin")
    kominfo = unit_id(org, "DISKOMINFO")
    url = f"/admin/numbering?unit={kominfo}"
    saved = admin.submit(url, SETTINGS)
    assert (saved.status_code, saved.headers["Location"]) == (
        302, f"/admin/numbering?unit={kominfo}&year={engine.clock.today().year}")
    doc = page(admin.get(url).text)
    today = engine.clock.today()
    roman = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")[today.month - 1]
    assert text_of(doc.get_element_by_id("format-now")) == SETTINGS["template"]
    assert text_of(doc.get_element_by_id("example")) == f"000.8.3.3/015/DISKOMINFO/{roman}/{today.year}"
    assert (text_of(doc.get_element_by_id("wilayah-now")), text_of(doc.get_element_by_id("quota-now"))) == ("35.24", "3")
    assert "Pengaturan penomoran disimpan." in text_of(doc)
    with org.transaction(write=False) as session:
        assert numbering.number_format(session) == SETTINGS["template"]
        assert session.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc())).first() == "penomoran.diubah"
    assert numbers_for(org, engine, "DISKOMINFO")
    assert register_shown(admin, kominfo) == [(f"000/001/DISKOMINFO/{roman}/{today.year}", "terpakai")]


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{klasifikasi}/{nomor}/{kode_unit}", "Unsur {nomor} tidak dikenal."),
        ("{klasifikasi}/{kode_unit}/{tahun}", "Format nomor harus memuat {urut} (nomor urut)."),
        ("{klasifikasi}/{urut/{kode_unit}", "Kurung kurawal tidak seimbang"),
    ],
)
def test_a_bad_format_is_refused_beside_the_field_and_nothing_changes(app, org, template, message):
    admin = Person(app, "admin")
    before = state(org)
    refused = admin.submit("/admin/numbering", SETTINGS | {"template": template})
    assert refused.status_code == 422
    doc = page(refused.text)
    (error,) = errors_beside(doc, "template")
    assert error.startswith(message)
    assert doc.get_element_by_id("template").get("value") == template  # what was typed stays to be corrected
    assert state(org) == before


def test_the_preview_shows_the_typed_format_without_saving_it(app, org):
    admin = Person(app, "admin")
    before = state(org)
    shown = admin.submit("/admin/numbering", SETTINGS | {"template": "{urut}/{kode_unit}/{tahun}", "preview": "1"})
    assert shown.status_code == 200
    assert re.fullmatch(r"Pratinjau: 15/\S+/\d{4}", text_of(page(shown.text).get_element_by_id("preview")))
    assert state(org) == before


def test_only_a_pemda_admin_changes_the_settings(app, org):
    before = state(org)
    unit_admin = Person(app, "admin.kominfo")
    doc = page(unit_admin.get("/admin/numbering").text)
    assert doc.xpath('//input[@name="template"]') == []  # the settings are shown, not offered
    assert text_of(doc.get_element_by_id("example")).startswith("000.8.3.3/15/DISKOMINFO/")
    token = csrf_token(unit_admin.get("/admin/numbering").text)
    posted = unit_admin.client.post("/admin/numbering", data={"csrf_token": token, **SETTINGS})
    assert posted.status_code == 404
    Person(app, "budi").get("/admin/numbering", status=404)
    assert Person(app).client.post("/admin/numbering", data=SETTINGS).status_code in (302, 400)
    assert state(org) == before


def test_the_menu_offers_penomoran_to_every_admin(app):
    for username in ("admin", "admin.kominfo"):
        doc = page(Person(app, username).get("/admin/").text)
        assert "Penomoran" in [text_of(a) for a in doc.xpath('//nav[@class="subnav"]/a')]


# --- voiding and sisipan: within the admin's SKPD ------------------------------------------------------


def test_another_skpds_admin_cannot_void_a_number_while_its_own_admin_can(app, org, engine):
    (number,) = numbers_for(org, engine, "DISKOMINFO")
    kominfo = unit_id(org, "DISKOMINFO")
    before = state(org)
    dinkes = Person(app, "admin.dinkes")
    dinkes.get(f"/admin/numbering?unit={kominfo}", status=404)
    token = csrf_token(dinkes.get("/admin/numbering").text)
    stolen = dinkes.client.post("/admin/numbering/void",
                                data={"csrf_token": token, "number_id": str(number), "void_reason": "dibajak"})
    assert stolen.status_code == 404
    assert state(org) == before

    own = Person(app, "admin.kominfo")
    form_page = f"/admin/numbering?unit={kominfo}&void={number}"
    doc = page(own.get(form_page).text)
    assert doc.get_element_by_id("void").xpath('.//input[@name="number_id"]')[0].get("value") == str(number)
    blank = own.submit("/admin/numbering/void", {"number_id": str(number), "void_reason": " "}, form_page=form_page)
    assert blank.status_code == 422
    assert errors_beside(page(blank.text), "void_reason") == ["Isian ini wajib diisi."]
    assert state(org) == before

    voided = own.submit("/admin/numbering/void", {"number_id": str(number), "void_reason": "salah tujuan"},
                        form_page=form_page)
    assert voided.status_code == 302
    doc = page(own.get(f"/admin/numbering?unit={kominfo}").text)
    ((nomor, status),) = [(tr.get("data-nomor"), tr.get("data-status")) for tr in doc.xpath("//tr[@data-nomor]")]
    assert status == "batal"
    assert f"Nomor {nomor} dibatalkan." in text_of(doc)
    assert "Dibatalkan: salah tujuan" in text_of(doc.xpath("//tr[@data-nomor]")[0])
    twice = own.submit("/admin/numbering/void", {"number_id": str(number), "void_reason": "lagi"},
                       form_page=form_page)
    assert twice.status_code == 422 and f"Nomor {nomor} sudah dibatalkan." in text_of(page(twice.text))
    with org.transaction(write=False) as session:
        row = session.get(LetterNumber, number)
        assert (row.status, row.void_reason, session.get(Letter, row.letter_id).status) == (
            "batal", "salah tujuan", "dibatalkan")


def test_a_unit_admin_makes_a_sisipan_number_in_their_own_skpd_within_the_quota(app, org, engine):
    numbers_for(org, engine, "DISKOMINFO", 2)
    numbers_for(org, engine, "DINKES")
    kominfo, dinkes = unit_id(org, "DISKOMINFO"), unit_id(org, "DINKES")
    today = engine.clock.today().isoformat()
    own = Person(app, "admin.kominfo")
    form = {"unit_id": str(kominfo), "after_urut": "1", "series": "", "tanggal": today,
            "reason": "surat Kadis terlewat"}
    made = own.submit("/admin/numbering/sisipan", form, form_page="/admin/numbering")
    assert made.status_code == 302
    assert [n for n, _status in register_shown(own, kominfo)] == [
        f"000/1/DISKOMINFO/{today[:4]}", f"000/1a/DISKOMINFO/{today[:4]}", f"000/2/DISKOMINFO/{today[:4]}"]

    before = state(org)
    elsewhere = own.submit("/admin/numbering/sisipan", form | {"unit_id": str(dinkes)}, form_page="/admin/numbering")
    assert elsewhere.status_code == 404
    assert state(org) == before
    with org.transaction() as session:
        session.add(Setting(key=QUOTA_KEY, value=1))
    before = state(org)
    over = own.submit("/admin/numbering/sisipan", form, form_page="/admin/numbering")
    assert over.status_code == 422
    assert "Kuota nomor sisipan unit ini hari ini (1) sudah habis." in text_of(page(over.text))
    missing = own.submit("/admin/numbering/sisipan", form | {"after_urut": "9"}, form_page="/admin/numbering")
    assert errors_beside(page(missing.text), "after_urut") == [
        f"Nomor urut 9 belum ada dalam register unit ini tahun {today[:4]}."]
    assert state(org) == before


def test_a_post_without_the_csrf_token_is_refused(app, org, engine):
    (number,) = numbers_for(org, engine, "DISKOMINFO")
    admin = Person(app, "admin")
    before = state(org)
    assert admin.client.post("/admin/numbering", data=SETTINGS).status_code == 400
    assert admin.client.post("/admin/numbering/void", data={"number_id": number, "void_reason": "x"}).status_code == 400
    assert state(org) == before


def test_every_sentence_of_the_numbering_page_has_its_english():
    from webapp.admin import numbering as numbering_page
    from webapp.translations_en import EN

    source = (REPO / "webapp" / "templates" / "admin" / "numbering.html").read_text()
    found = set(re.findall(r"""_\(\s*'([^']+)'\s*[,)]""", source))
    for node in ast.walk(ast.parse(Path(numbering_page.__file__).read_text())):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "gettext"
                and isinstance(node.args[0], ast.Constant)):
            found.add(node.args[0].value)
    for form in (numbering_page.SettingsForm, numbering_page.VoidForm, numbering_page.SisipanForm):
        found |= {f.args[0] for f in vars(form).values() if getattr(f, "args", None) and isinstance(f.args[0], str)}
    found |= set(numbering_page.MODE_LABELS.values()) | {"Penomoran"}
    assert len(found) > 30
    assert sorted(s for s in found if s not in EN) == []
