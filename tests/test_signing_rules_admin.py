"""The signing-authority table kept by admins ("Kewenangan tanda tangan"): through the engine
(engine.signing_rules_admin, read back by engine.signing_rules) and through Flask's test client
(CSRF on), both databases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from engine import audit
from engine.db import Database
from engine.drafting import PartyInput
from engine.errors import InvalidInput, NotFound
from engine.models import AuditEvent, Position, Setting, SigningRule, Unit
from engine.signing_rules import is_strategic, signer_options
from engine.signing_rules_admin import add_rule, delete_rule, preview, rules_for, set_strategic, strategic
from tests.conftest import REPO
from tests.test_web import Person, csrf_token, errors_beside, page, text_of
from webapp import create_app
from webapp.config import Settings

ADMIN = audit.Actor(None, "Admin Pemda")
SEKRETARIS_KOMINFO = "a.n. KEPALA DINAS KOMUNIKASI DAN INFORMATIKA / SEKRETARIS DINAS KOMINFO"


def pid(session, code: str) -> int:  # type: ignore[no-untyped-def]
    return session.scalars(select(Position.id).where(Position.code == code)).one()


def uid(session, code: str) -> int:  # type: ignore[no-untyped-def]
    return session.scalars(select(Unit.id).where(Unit.code == code)).one()


def options(session, position: str, *, jenis: str = "nota_dinas", to: str | None = None,  # type: ignore[no-untyped-def]
            outside: bool = False) -> list[str]:
    """The signature blocks the holder of `position` may choose for a letter to unit `to`."""
    parties = [PartyInput("kepada", "internal", unit_id=uid(session, to))] if to else []
    parties += [PartyInput("kepada", "eksternal", name="PT Contoh")] if outside else []
    found = signer_options(session, konseptor_position_id=pid(session, position), jenis=jenis, parties=parties)
    return [o.label for o in found]


def seeded_rule(session) -> SigningRule:  # type: ignore[no-untyped-def]
    return session.scalars(select(SigningRule).where(SigningRule.unit_id == uid(session, "DISKOMINFO"))).one()


# --- the engine -----------------------------------------------------------------------------------


def test_an_skpd_rule_offers_its_signer_to_that_skpds_konseptors_only(org: Database):
    with org.transaction() as session:
        delete_rule(session, ADMIN, seeded_rule(session).id)  # the demo seeds this very rule: start without it
        budi = options(session, "DISKOMINFO.APTIKA.PRANATA", to="DISKOMINFO.IKP")
        assert SEKRETARIS_KOMINFO not in budi
        assert budi == ["KEPALA BIDANG APLIKASI INFORMATIKA", "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA"]

        rule = add_rule(session, ADMIN, unit_id=uid(session, "DISKOMINFO"), jenis="*", scope="internal",
                        signer="jabatan", signer_position_id=pid(session, "DISKOMINFO.SEKRE.SEKRETARIS"),
                        atas_nama="kepala_skpd", atas_nama_position_id=None, ub=False, sort=10)
        assert SEKRETARIS_KOMINFO in options(session, "DISKOMINFO.APTIKA.PRANATA", to="DISKOMINFO.IKP")
        assert preview(session, rule) == SEKRETARIS_KOMINFO
        # the rule is the Dinas's own: a Dinkes konseptor, and a letter leaving the Dinas, do not get it
        assert options(session, "DINKES.YANKES.ANALIS", to="DINKES.P2P") == [
            "KEPALA BIDANG PELAYANAN KESEHATAN", "KEPALA DINAS KESEHATAN"]
        assert SEKRETARIS_KOMINFO not in options(session, "DISKOMINFO.APTIKA.PRANATA", to="DINKES")
        assert [r.id for r in rules_for(session, {uid(session, "DINKES")})] == []
        assert [r.id for r in rules_for(session, {uid(session, "DISKOMINFO")})] == [rule.id]
        events = session.execute(select(AuditEvent.action, AuditEvent.after).order_by(AuditEvent.seq)).all()
    assert [action for action, _after in events] == ["signing_rule.deleted", "signing_rule.added"]
    assert events[-1].after == {"unit": "DISKOMINFO", "jenis": "*", "scope": "internal", "signer": "jabatan",
                                "signer_position": "DISKOMINFO.SEKRE.SEKRETARIS", "atas_nama": "kepala_skpd",
                                "atas_nama_position": None, "ub": False, "sort": 10}


def test_a_pemda_wide_rule_replaces_the_built_in_defaults(org: Database):
    with org.transaction() as session:
        rina = options(session, "DINKES.YANKES.ANALIS", to="DINKES.P2P")
        assert rina == ["KEPALA BIDANG PELAYANAN KESEHATAN", "KEPALA DINAS KESEHATAN"]  # the built-ins
        add_rule(session, ADMIN, unit_id=None, jenis="*", scope="*", signer="kepala_skpd", signer_position_id=None,
                 atas_nama=None, atas_nama_position_id=None, ub=False, sort=0)
        edaran = add_rule(session, ADMIN, unit_id=None, jenis="surat_edaran", scope="eksternal", signer="jabatan",
                          signer_position_id=pid(session, "SETDA.SEKDA"), atas_nama="kepala_daerah",
                          atas_nama_position_id=None, ub=False, sort=5)
        assert options(session, "DINKES.YANKES.ANALIS", to="DINKES.P2P") == ["KEPALA DINAS KESEHATAN"]
        assert options(session, "DINKES.YANKES.ANALIS", jenis="surat_edaran", outside=True) == [
            "KEPALA DINAS KESEHATAN", "a.n. BUPATI / SEKRETARIS DAERAH"]  # in the rules' sort order
        assert preview(session, edaran) == "a.n. BUPATI / SEKRETARIS DAERAH"
        # Diskominfo's own rule still comes first, then the Pemda's rule, no longer the Kabid
        assert options(session, "DISKOMINFO.APTIKA.PRANATA", to="DISKOMINFO.IKP") == [
            SEKRETARIS_KOMINFO, "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA"]
        assert [r.unit_id for r in rules_for(session, None)] == [None, None, uid(session, "DISKOMINFO")]


def test_a_rule_is_refused_unless_its_positions_fit_the_skpd_and_an_accepted_one_is_kept(org: Database):
    with org.transaction() as session:
        kominfo, before = uid(session, "DISKOMINFO"), session.scalar(select(func.count()).select_from(SigningRule))
        base = {"unit_id": kominfo, "jenis": "surat_dinas", "scope": "eksternal", "signer": "jabatan",
                "signer_position_id": None, "atas_nama": None, "atas_nama_position_id": None, "ub": False, "sort": 0}
        refusals = [
            ({}, "signer_position_id", "Pilih jabatannya bila memilih \"jabatan tertentu\"."),
            ({"signer_position_id": pid(session, "DINKES.SEKRE.SEKRETARIS")}, "signer_position_id",
             "Jabatan Sekretaris Dinas Kesehatan tidak berada di perangkat daerah ini atau di atasnya."),
            ({"signer": "kepala_skpd", "ub": True}, "ub", "u.b. hanya dipakai sesudah a.n."),
            ({"signer": "kepala_skpd", "jenis": "surat_cinta"}, "jenis", "Jenis naskah tidak dikenal."),
            ({"signer": "kepala_skpd", "unit_id": uid(session, "DISKOMINFO.APTIKA")}, "unit_id",
             "Aturan berlaku untuk seluruh Pemda atau untuk satu perangkat daerah."),
            ({"signer": "kepala_skpd", "atas_nama": "jabatan",
              "atas_nama_position_id": pid(session, "DISKOMINFO.SEKRE.SEKRETARIS")}, "atas_nama",
             "Sekretaris Dinas Kominfo bukan atasan penandatangan: a.n. hanya atas nama pejabat di atasnya."),
            ({"signer_position_id": pid(session, "DISKOMINFO.SEKRE.SEKRETARIS"), "atas_nama": "kepala_skpd",
              "ub": True}, "ub", "u.b. berarti penandatangan dua tingkat atau lebih di bawah pejabat a.n.; "
                                 "atasan langsung cukup dengan a.n."),
        ]
        for change, field, message in refusals:
            with pytest.raises(InvalidInput) as refused:
                add_rule(session, ADMIN, **{**base, **change})
            assert (refused.value.field, refused.value.message()) == (field, message), change
        assert session.scalar(select(func.count()).select_from(SigningRule)) == before
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0

        # the Sekda is above the Dinas: a Diskominfo rule may name him; the Kadis signs u.b. a.n. the Bupati
        sekda = add_rule(session, ADMIN, **{**base, "signer_position_id": pid(session, "SETDA.SEKDA"),
                                            "atas_nama": "kepala_daerah"})
        ub = add_rule(session, ADMIN, **{**base, "signer": "kepala_skpd", "atas_nama": "kepala_daerah", "ub": True})
        assert preview(session, sekda) == "a.n. BUPATI / SEKRETARIS DAERAH"
        assert preview(session, ub) == "a.n. BUPATI / SEKRETARIS DAERAH / u.b. / KEPALA DINAS KOMUNIKASI DAN INFORMATIKA"
        with pytest.raises(InvalidInput) as twice:
            add_rule(session, ADMIN, **{**base, "signer": "kepala_skpd", "atas_nama": "kepala_daerah", "ub": True,
                                        "sort": 3})
        assert twice.value.message("en") == "The same rule already exists."
        with pytest.raises(NotFound):
            delete_rule(session, ADMIN, 987_654)


def test_the_strategic_list_is_replaced_and_checked(org: Database):
    with org.transaction() as session:
        assert strategic(session) == {"jenis": ["peraturan", "surat_keputusan"], "klasifikasi": ["000.8", "800", "900.1"]}
        assert not is_strategic(session, "nota_dinas", "500.1")
        set_strategic(session, ADMIN, ["surat_keputusan", "surat_keputusan"], [" 500 ", "", "800.1"])
        assert strategic(session) == {"jenis": ["surat_keputusan"], "klasifikasi": ["500", "800.1"]}
        assert is_strategic(session, "nota_dinas", "500.1") and not is_strategic(session, "nota_dinas", "800.2")
        for jenis, codes, message in [(["surat_cinta"], [], "Jenis naskah tidak dikenal: surat_cinta."),
                                      ([], ["80"], "Kode klasifikasi tidak sah: 80 (contoh: 800 atau 000.8).")]:
            with pytest.raises(InvalidInput) as refused:
                set_strategic(session, ADMIN, jenis, codes)
            assert refused.value.message() == message
        set_strategic(session, ADMIN, ["surat_keputusan"], ["500", "800.1"])  # no change: no audit event
        actions = session.scalars(select(AuditEvent.action)).all()
    assert actions == ["signing_rule.strategic_set"]


# --- the page -------------------------------------------------------------------------------------


@pytest.fixture
def app(org: Database, engine, tmp_path: Path) -> Flask:  # type: ignore[no-untyped-def]
    settings = Settings(instance_path=tmp_path / "instance", database_url=org.url, secret_key="test")
    settings.instance_path.mkdir()
    flask_app = create_app(settings, engine=engine)
    flask_app.config.update(TESTING=True)
    yield flask_app
    flask_app.extensions["lontar.db"].dispose()


URL = "/admin/signing-rules"


def state(db: Database) -> tuple:
    """What a refused request must leave as it was."""
    with db.transaction(write=False) as session:
        return (
            tuple(session.execute(select(SigningRule.id, SigningRule.unit_id, SigningRule.signer).order_by(SigningRule.id))),
            tuple(session.execute(select(Setting.key, Setting.value).order_by(Setting.key))),
            session.scalar(select(func.count()).select_from(AuditEvent)),
        )


def ids(db: Database, code: str, *, position: bool = False) -> str:
    with db.transaction(write=False) as session:
        return str(pid(session, code) if position else uid(session, code))


def listed(person: Person) -> list[tuple[str, str, str, bool]]:
    """(unit, jenis, block, has a delete button) of every row shown."""
    doc = page(person.get(URL).text)
    return [(tr.get("data-unit"), tr.get("data-jenis"), text_of(tr.find_class("preview")[0]),
             bool(tr.xpath('.//form[contains(@action, "/delete")]'))) for tr in doc.xpath("//tr[@data-rule]")]


def a_rule(db: Database, code: str | None, **change: object) -> int:
    with db.transaction() as session:
        unit = uid(session, code) if code else None
        return add_rule(session, ADMIN, **{"unit_id": unit, "jenis": "*", "scope": "*", "signer": "kepala_skpd",
                                           "signer_position_id": None, "atas_nama": None, "atas_nama_position_id": None,
                                           "ub": False, "sort": 0, **change}).id


def test_a_pemda_admin_adds_and_deletes_a_pemda_wide_rule(app, org):
    admin = Person(app, "admin")
    doc = page(admin.get(URL).text)
    built_in = text_of(doc.get_element_by_id("built-in"))
    assert "Kepala unit konseptor, untuk naskah di dalam perangkat daerah" in built_in
    assert "Kepala perangkat daerah, untuk semua naskah" in built_in
    assert listed(admin) == [("DISKOMINFO", "*", SEKRETARIS_KOMINFO, True)]  # the demo's rule

    before = state(org)
    bad = admin.submit(URL, {"unit_id": "", "jenis": "surat_edaran", "scope": "eksternal", "signer": "jabatan",
                             "signer_position_id": "", "atas_nama": "kepala_daerah", "sort": "0"})
    assert bad.status_code == 422
    assert errors_beside(page(bad.text), "signer_position_id") == ["Pilih jabatannya bila memilih \"jabatan tertentu\"."]
    assert state(org) == before

    added = admin.submit(URL, {"unit_id": "", "jenis": "surat_edaran", "scope": "eksternal", "signer": "jabatan",
                               "signer_position_id": ids(org, "SETDA.SEKDA", position=True),
                               "atas_nama": "kepala_daerah", "sort": "0"})
    assert (added.status_code, added.headers["Location"]) == (302, URL)
    doc = page(admin.get(URL).text)
    assert "built-in" not in doc.xpath("//@id")  # a Pemda-wide rule: the built-ins no longer apply
    assert listed(admin)[0] == ("PEMDA", "surat_edaran", "a.n. BUPATI / SEKRETARIS DAERAH", True)

    with org.transaction(write=False) as session:
        rule_id = session.scalar(select(SigningRule.id).where(SigningRule.unit_id.is_(None)))
    deleted = admin.submit(f"{URL}/delete", {"rule_id": str(rule_id)}, form_page=URL)
    assert deleted.status_code == 302
    assert [row[0] for row in listed(admin)] == ["DISKOMINFO"]
    assert admin.submit(f"{URL}/delete", {"rule_id": str(rule_id)}, form_page=URL).status_code == 404
    with org.transaction(write=False) as session:
        events = session.execute(select(AuditEvent.action, AuditEvent.actor_name).order_by(AuditEvent.seq)).all()
    assert [tuple(e) for e in events] == [("signing_rule.added", "Admin Lontar"), ("signing_rule.deleted", "Admin Lontar")]


def test_an_skpd_admin_keeps_the_rules_of_their_own_skpd_only(app, org):
    pemda_rule, dinkes_rule = a_rule(org, None), a_rule(org, "DINKES")
    kominfo = Person(app, "admin.kominfo")
    shown = listed(kominfo)
    assert [(unit, can_delete) for unit, _jenis, _block, can_delete in shown] == [("PEMDA", False), ("DISKOMINFO", True)]
    assert shown[0][2] == "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA"  # previewed for a Diskominfo konseptor
    doc = page(kominfo.get(URL).text)
    assert [o.get("value") for o in doc.xpath('//select[@id="unit_id"]/option')] == [ids(org, "DISKOMINFO")]
    assert "strategic_jenis" not in doc.xpath("//@id")  # the strategic list is the Pemda admin's

    added = kominfo.submit(URL, {"unit_id": ids(org, "DISKOMINFO"), "jenis": "surat_dinas", "scope": "eksternal",
                                 "signer": "kepala_skpd", "atas_nama": "kepala_daerah", "ub": "y", "sort": "1"})
    assert added.status_code == 302
    assert ("DISKOMINFO", "surat_dinas",
            "a.n. BUPATI / SEKRETARIS DAERAH / u.b. / KEPALA DINAS KOMUNIKASI DAN INFORMATIKA", True) in listed(kominfo)

    before = state(org)
    token = csrf_token(kominfo.get(URL).text)
    rule = {"jenis": "*", "scope": "*", "signer": "kepala_skpd", "atas_nama": "", "sort": "0"}
    for url, data in [(f"{URL}/delete", {"rule_id": str(pemda_rule)}),
                      (f"{URL}/delete", {"rule_id": str(dinkes_rule)}),
                      (URL, {**rule, "unit_id": ids(org, "DINKES")}),
                      (URL, {**rule, "unit_id": ""}),
                      (f"{URL}/strategic", {"strategic_jenis": ["peraturan"], "strategic_klasifikasi": "800"})]:
        assert kominfo.client.post(url, data={"csrf_token": token, **data}).status_code == 404, (url, data)
    assert state(org) == before


def test_a_non_admin_gets_404_and_changes_nothing(app, org):
    rule_id = a_rule(org, None)
    before = state(org)
    budi = Person(app, "budi")
    budi.get(URL, status=404)
    token = csrf_token(budi.get("/inbox").text)
    for url, data in [(URL, {"unit_id": "", "jenis": "*", "scope": "*", "signer": "kepala_skpd"}),
                      (f"{URL}/delete", {"rule_id": str(rule_id)}),
                      (f"{URL}/strategic", {"strategic_klasifikasi": "800"})]:
        assert budi.client.post(url, data={"csrf_token": token, **data}).status_code == 404, url
    assert state(org) == before
    response = Person(app).client.get(URL)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_pemda_admin_sets_the_strategic_list_and_a_bad_code_is_shown_beside_it(app, org):
    admin = Person(app, "admin")
    before = state(org)
    bad = admin.submit(f"{URL}/strategic", {"strategic_jenis": ["peraturan"], "strategic_klasifikasi": "800, 9x"},
                       form_page=URL)
    assert bad.status_code == 422
    assert errors_beside(page(bad.text), "strategic_klasifikasi") == [
        "Kode klasifikasi tidak sah: 9x (contoh: 800 atau 000.8)."]
    assert state(org) == before
    saved = admin.submit(f"{URL}/strategic", {"strategic_jenis": ["peraturan", "surat_keputusan"],
                                              "strategic_klasifikasi": "000.8, 800 900.1;500"}, form_page=URL)
    assert saved.status_code == 302
    doc = page(admin.get(URL).text)
    assert text_of(doc.get_element_by_id("strategic-codes")) == "000.8, 800, 900.1, 500"
    assert text_of(doc.get_element_by_id("strategic-jenis")) == "Peraturan, Keputusan"


def test_the_page_is_linked_from_the_admin_menu_and_speaks_english(app):
    from webapp.admin import signing_rules as signing_rules_page
    from webapp.translations_en import EN

    kominfo = Person(app, "admin.kominfo")
    doc = page(kominfo.get("/admin/").text)
    assert "Kewenangan tanda tangan" in [text_of(a) for a in doc.xpath('//nav[@class="subnav"]/a')]
    assert doc.xpath(f'//ul[@class="cards"]//a[@href="{URL}"]')
    kominfo.submit("/lang/en", {"next": URL}, form_page=URL)
    doc = page(kominfo.get(URL).text)
    assert text_of(doc.xpath("//h1")[0]) == "Signing authority"
    labels = {
        field.args[0]
        for form in (signing_rules_page.RuleForm, signing_rules_page.StrategicForm)
        for field in vars(form).values()
        if getattr(field, "args", None) and isinstance(field.args[0], str)
    }
    template = (REPO / "webapp" / "templates" / "admin" / "signing_rules.html").read_text()
    words = {*labels, *signing_rules_page.SELECTOR_LABELS.values(), *signing_rules_page.SCOPE_LABELS.values(),
             *signing_rules_page.BUILT_IN_TEXT.values(), *re.findall(r"""_\(\s*'([^']+)'\s*[,)]""", template)}
    assert len(words) > 40
    assert sorted(word for word in words if word not in EN) == []
