"""The admin pages and "Delegasi saya" through Flask's test client, CSRF on, both databases."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from engine.db import Database
from engine.models import AuditEvent, Delegation, Position, PositionHolder, Unit, User
from engine.org_admin import count_rows
from tests.conftest import REPO
from tests.test_web import Person, csrf_token, errors_beside, page, text_of
from webapp import create_app
from webapp.config import Settings


@pytest.fixture
def app(deployed: Database, engine, tmp_path: Path) -> Flask:  # type: ignore[no-untyped-def]
    settings = Settings(instance_path=tmp_path / "instance", database_url=deployed.url, secret_key="test")
    settings.instance_path.mkdir()
    flask_app = create_app(settings, engine=engine)
    flask_app.config.update(TESTING=True)
    yield flask_app
    flask_app.extensions["lontar.db"].dispose()


def ids(db: Database, model, code: str) -> int:  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        column = model.username if model is User else model.code
        return session.scalar(select(model.id).where(column == code))


def state(db: Database):  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        return count_rows(session), session.scalar(select(func.count()).select_from(AuditEvent))


def post(person: Person, url: str, data: dict, *, form_page: str):  # type: ignore[no-untyped-def]
    """POST with the CSRF token of the page showing the form (the admin forms carry prefixes)."""
    token = csrf_token(person.get(form_page).text)
    prefixed = {"csrf_token": token}
    for key in data:
        if "-" in key:
            prefixed[key.split("-")[0] + "-csrf_token"] = token
    return person.client.post(url, data={**prefixed, **data}, content_type="multipart/form-data")


# --- who may open the admin pages --------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/units",
        "/admin/users",
        "/admin/mappings",
        "/admin/import",
        "/admin/export.zip",
        "/admin/units/1",
        "/admin/users/1",
    ],
)
def test_non_admins_get_404_and_visitors_the_login_page(app, url):
    budi = Person(app, "budi")
    budi.get(url, status=404)
    auditor = Person(app, "auditor")
    auditor.get(url, status=404)
    response = Person(app).client.get(url)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_admin_link_shows_for_admins_only(app):
    def nav(username: str) -> list[str]:
        return [
            text_of(a)
            for a in page(Person(app, username).get("/inbox").text).xpath('//nav[@class="mainnav"]/a')
        ]

    assert "Admin" in nav("admin") and "Admin" in nav("admin.dinkes")
    assert "Admin" not in nav("budi")


def test_an_admin_of_dinkes_sees_the_dinkes_subtree_and_404_elsewhere(app, deployed):
    admin = Person(app, "admin.dinkes")
    listed = [
        tr.get("data-unit")
        for tr in page(admin.get("/admin/units").text).xpath('//table[@id="units"]//tr[@data-unit]')
    ]
    assert listed == ["DINKES", "DINKES.P2P", "DINKES.SEKRE", "DINKES.YANKES"]
    admin.get(f"/admin/units/{ids(deployed, Unit, 'DINKES.YANKES')}")
    admin.get(f"/admin/units/{ids(deployed, Unit, 'DISKOMINFO')}", status=404)
    admin.get(f"/admin/positions/{ids(deployed, Position, 'DINKES.YANKES.KABID')}")
    admin.get(f"/admin/positions/{ids(deployed, Position, 'DISKOMINFO.APTIKA.KABID')}", status=404)
    admin.get(f"/admin/users/{ids(deployed, User, 'rina')}")
    admin.get(f"/admin/users/{ids(deployed, User, 'budi')}", status=404)
    people = [tr.get("data-user") for tr in page(admin.get("/admin/users").text).xpath("//tr[@data-user]")]
    assert "rina" in people and "lestari" in people and "budi" not in people


def test_a_change_outside_the_subtree_is_404_and_changes_nothing(app, deployed):
    admin = Person(app, "admin.dinkes")
    before = state(deployed)
    theirs = ids(deployed, Position, "DISKOMINFO.APTIKA.PRANATA")
    response = post(
        admin,
        f"/admin/positions/{theirs}",
        {"code": "DISKOMINFO.APTIKA.PRANATA", "name": "Dibajak", "unit_id": "1"},
        form_page="/admin/units",
    )
    assert response.status_code == 404
    response = post(
        admin,
        f"/admin/users/{ids(deployed, User, 'budi')}/password",
        {"pw-password": "kata-sandi-baru", "pw-confirm": "kata-sandi-baru"},
        form_page="/admin/units",
    )
    assert response.status_code == 404
    assert state(deployed) == before
    Person(app, "budi")  # still logs in with the old password


def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(app, deployed):
    admin = Person(app, "admin.dinkes")
    admin.get("/admin/units/new")
    before = state(deployed)
    response = admin.client.post(
        "/admin/units/new",
        data={
            "code": "DINKES.GIZI",
            "name": "Seksi Gizi",
            "kind": "seksi",
            "parent_id": str(ids(deployed, Unit, "DINKES")),
        },
    )
    assert response.status_code == 400 and "Formulir kedaluwarsa atau tidak sah" in response.text
    assert state(deployed) == before


# --- forms: errors beside the field, nothing typed lost ----------------------------------------


def test_a_duplicate_code_is_shown_beside_the_field_and_the_rest_is_kept(app, deployed):
    admin = Person(app, "admin.dinkes")
    before = state(deployed)
    response = post(
        admin,
        "/admin/units/new",
        {
            "code": "DINKES.YANKES",
            "name": "Seksi Gizi Masyarakat",
            "kind": "seksi",
            "parent_id": str(ids(deployed, Unit, "DINKES")),
        },
        form_page="/admin/units/new",
    )
    assert response.status_code == 422
    doc = page(response.text)
    assert errors_beside(doc, "code") == ["Kode DINKES.YANKES sudah dipakai."]
    assert doc.get_element_by_id("name").get("value") == "Seksi Gizi Masyarakat"
    assert state(deployed) == before
    response = post(
        admin,
        "/admin/units/new",
        {
            "code": "DINKES.GIZI",
            "name": "Seksi Gizi Masyarakat",
            "kind": "seksi",
            "parent_id": str(ids(deployed, Unit, "DINKES.YANKES")),
        },
        form_page="/admin/units/new",
    )
    assert response.status_code == 302
    with deployed.transaction(write=False) as session:
        unit = session.scalars(select(Unit).where(Unit.code == "DINKES.GIZI")).one()
        assert unit.parent.code == "DINKES.YANKES"
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "org.unit.created")).one()
        assert event.after == {
            "code": "DINKES.GIZI",
            "name": "Seksi Gizi Masyarakat",
            "kind": "seksi",
            "parent": "DINKES.YANKES",
        }


def test_a_new_person_gets_a_position_and_can_log_in_with_the_password_given(app, deployed):
    admin = Person(app, "admin.dinkes")
    epidemiolog = ids(deployed, Position, "DINKES.P2P.EPIDEMIOLOG")
    response = post(
        admin,
        "/admin/users/new",
        {
            "username": "gita",
            "name": "Gita Permata, S.KM.",
            "nip": "x",
            "password": "sandi-awal-gita",
            "position_id": str(epidemiolog),
        },
        form_page="/admin/users/new",
    )
    assert response.status_code == 422
    doc = page(response.text)
    assert errors_beside(doc, "nip") == ["NIP terdiri dari 18 angka."]
    assert doc.get_element_by_id("username").get("value") == "gita"
    response = post(
        admin,
        "/admin/users/new",
        {
            "username": "gita",
            "name": "Gita Permata, S.KM.",
            "nip": "",
            "password": "sandi-awal-gita",
            "position_id": str(epidemiolog),
        },
        form_page="/admin/users/new",
    )
    assert response.status_code == 302
    user_page = admin.get(response.headers["Location"]).text
    assert "Epidemiolog Kesehatan Ahli Muda" in user_page and "argon2" not in user_page
    gita = Person(app)
    assert gita.login("gita", "sandi-awal-gita").status_code == 302


def test_a_plt_appointed_in_the_admin_pages_gets_the_open_task_at_once(app, deployed, engine):
    today = engine.clock.today()
    budi = Person(app, "budi")
    task_url = budi.start_nota_dinas()
    budi.submit(task_url, {"tujuan": "Kepala Dinas", "perihal": "Rapat SPBE", "isi": "Mohon hadir."})
    sari, andi = Person(app, "sari"), Person(app, "andi")
    assert [name for _, name in sari.inbox_tasks()] == ["Periksa (atasan langsung)"]
    assert andi.inbox_tasks() == []

    admin = Person(app, "admin.kominfo")
    kabid = ids(deployed, Position, "DISKOMINFO.APTIKA.KABID")
    with deployed.transaction(write=False) as session:
        holding = session.scalars(select(PositionHolder).where(PositionHolder.position_id == kabid)).one().id
    response = post(
        admin,
        f"/admin/positions/{kabid}/appoint",
        {
            "appoint-user": "andi",
            "appoint-kind": "plt",
            "appoint-valid_from": today.isoformat(),
            "appoint-valid_to": (today + timedelta(days=60)).isoformat(),
            "appoint-sk_ref": "800/1/2026",
        },
        form_page=f"/admin/positions/{kabid}",
    )
    assert response.status_code == 422  # sari still holds it: a Plt is for a vacancy
    assert "Plt hanya untuk jabatan yang lowong" in text_of(
        page(response.text).get_element_by_id("appoint-kind").getparent()
    )
    response = post(
        admin,
        f"/admin/holdings/{holding}/end",
        {f"end{holding}-last_day": (today - timedelta(days=1)).isoformat()},
        form_page=f"/admin/positions/{kabid}",
    )
    assert response.status_code == 302
    response = post(
        admin,
        f"/admin/positions/{kabid}/appoint",
        {
            "appoint-user": "andi",
            "appoint-kind": "plt",
            "appoint-valid_from": today.isoformat(),
            "appoint-valid_to": (today + timedelta(days=60)).isoformat(),
            "appoint-sk_ref": "800/1/2026",
        },
        form_page=f"/admin/positions/{kabid}",
    )
    assert response.status_code == 302
    assert [name for _, name in andi.inbox_tasks()] == ["Periksa (atasan langsung)"]
    assert sari.inbox_tasks() == []
    holders = page(admin.get(f"/admin/positions/{kabid}").text).xpath("//tr[@data-holder]")
    assert [(tr.get("data-holder"), tr.get("data-kind")) for tr in holders] == [
        ("andi", "plt"),
        ("sari", "definitif"),
    ]
    with deployed.transaction(write=False) as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.chain == "system").order_by(AuditEvent.seq)
        ).all()
    assert actions[-2:] == ["org.holding.ended", "org.holding.created"]


def test_my_delegation_lets_the_deputy_work_my_inbox(app, deployed, engine):
    today = engine.clock.today()
    budi = Person(app, "budi")
    task_url = budi.start_nota_dinas()
    budi.submit(task_url, {"tujuan": "Kepala Dinas", "perihal": "Rapat SPBE", "isi": "Mohon hadir."})
    sari = Person(app, "sari")
    response = post(
        sari,
        "/delegations",
        {"deputy": "nobody", "valid_from": today.isoformat(), "valid_to": today.isoformat()},
        form_page="/delegations",
    )
    assert response.status_code == 422 and errors_beside(page(response.text), "deputy")
    response = post(
        sari,
        "/delegations",
        {
            "deputy": "yusuf",
            "valid_from": today.isoformat(),
            "valid_to": (today + timedelta(days=3)).isoformat(),
            "reason": "cuti",
        },
        form_page="/delegations",
    )
    assert response.status_code == 302
    assert [name for _, name in Person(app, "yusuf").inbox_tasks()] == ["Periksa (atasan langsung)"]
    with deployed.transaction(write=False) as session:
        row = session.scalars(select(Delegation)).one()
    response = post(sari, f"/delegations/{row.id}/revoke", {}, form_page="/delegations")
    assert response.status_code == 302
    assert Person(app, "yusuf").inbox_tasks() == []
    response = post(Person(app, "budi"), f"/delegations/{row.id}/revoke", {}, form_page="/delegations")
    assert response.status_code == 404  # not his


def test_role_mapping_page_sets_a_mapping_for_the_unit(app, deployed):
    admin = Person(app, "admin.dinkes")
    unit = ids(deployed, Unit, "DINKES")
    response = post(
        admin,
        "/admin/mappings",
        {
            "unit_id": str(unit),
            "role": "sekretaris",
            "target": "position",
            "position_id": str(ids(deployed, Position, "DINKES.SEKRE.SEKRETARIS")),
            "user_role": "",
        },
        form_page="/admin/mappings",
    )
    assert response.status_code == 302
    rows = page(admin.get("/admin/mappings").text).xpath("//tr[@data-mapping]")
    assert [tr.get("data-mapping") for tr in rows] == ["sekretaris@DINKES"]
    assert "Sekretaris Dinas Kesehatan" in text_of(rows[0])


# --- language ----------------------------------------------------------------------------------


def _admin_sentences() -> set[str]:
    import ast

    from webapp.admin import forms

    found: set[str] = set()
    for template in [
        *(REPO / "webapp" / "templates" / "admin").glob("*.html"),
        REPO / "webapp" / "templates" / "base.html",
    ]:
        source = template.read_text()
        found |= set(re.findall(r"""_\(\s*'([^']+)'\s*[,)]""", source))
    for module in (REPO / "webapp" / "admin").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) in ("gettext", "_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    for cls in vars(forms).values():
        if isinstance(cls, type) and issubclass(cls, forms.LocalizedForm):
            found |= {
                v.args[0]
                for v in vars(cls).values()
                if getattr(v, "args", None) and isinstance(v.args[0], str)
            }
    return found


def test_every_admin_sentence_and_label_has_its_english():
    from webapp.translations_en import EN

    sentences = _admin_sentences()
    assert len(sentences) > 150
    assert sorted(s for s in sentences if s not in EN) == []


def test_the_admin_pages_in_english(app):
    admin = Person(app, "admin")
    admin.submit("/lang/en", {"next": "/admin/"}, form_page="/admin/")
    doc = page(admin.get("/admin/units/new").text)
    assert text_of(doc.xpath("//h1")[0]) == "Add a unit"
    assert "Unit code" in [text_of(label) for label in doc.xpath("//label")][0]
