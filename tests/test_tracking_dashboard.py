"""Lacak surat (/surat/<id>/lacak) and the head's dashboard (/dasbor), through the engine and the
web client, on both databases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from engine import disposition
from engine.audit import Actor
from engine.dashboard import dashboard, leads
from engine.db import Database
from engine.disposition import DispositionChoice, Recipient
from engine.models import (
    HumanTask,
    Letter,
    Paraf,
    Position,
    ProcessInstance,
    ProcessVersion,
    TaskCandidate,
    Unit,
)
from tests.flow import get_user
from tests.letters_world import PROCESSES, open_task, position_id, prepare, register
from tests.test_agenda_books import id_of, outgoing_letter, outgoing_world
from tests.test_web import Person, page, text_of
from webapp import create_app
from webapp.config import Settings

KADIS, SARI, ANDI, BUDI = "DISKOMINFO.KADIS", "DISKOMINFO.APTIKA.KABID", "DISKOMINFO.IKP.KABID", "DISKOMINFO.APTIKA.PRANATA"
SHA_V1, SHA_V2 = "a1" * 32, "b2" * 32


@dataclass(frozen=True)
class World:
    incoming: int  # disposed by agus to sari (due in 1 day) and andi (4 days); sari forwarded to budi (10 days)
    draft: int  # budi's surat dinas in its second paraf round, waiting for agus
    hidden_draft: int  # putri's konsep: agus takes no part in it yet, so it is not his to see
    sent: int  # a sent letter, received by the Dinas Kesehatan as an incoming copy
    copy: int


def _dispose(db: Database, engine, username: str, task_id: int, *recipients: Recipient) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        disposition.dispose(session, engine, task_id, user=get_user(session, username),
                            choice=DispositionChoice(list(recipients), ["Tindak lanjuti"], ""))


def _drafting_instance(db: Database, engine, letter_id: int, waiting_for: str) -> None:  # type: ignore[no-untyped-def]
    """The naskah_keluar instance of a draft as the drafting engine leaves it at the paraf step:
    the instance row with its marks and one ready task for the position whose turn it is."""
    with db.transaction() as session:
        name = "naskah_keluar.bpmn"
        engine.registry.deploy(session, (PROCESSES / name).read_bytes(), actor=Actor(None, "test"), filename=name)
        version = session.scalars(select(ProcessVersion).where(ProcessVersion.key == "naskah_keluar")).first()
        letter = session.get(Letter, letter_id)
        instance = ProcessInstance(version_id=version.id, key="naskah_keluar", unit_id=letter.unit_id, title=letter.hal,
                                   state="{}", serializer_version="test", engine_version="test", letter_id=letter_id,
                                   started_by_id=letter.registered_by_id, started_at=engine.clock.now(),
                                   marks={"done": ["mulai", "f_mulai"], "current": ["paraf"]})
        session.add(instance)
        session.flush()
        letter.instance_id = instance.id
        task = HumanTask(instance_id=instance.id, task_guid=str(uuid.uuid4()), bpmn_id="paraf", name="Paraf berjenjang",
                         form_key="lontar.paraf", status="ready", created_at=engine.clock.now())
        task.candidates.append(TaskCandidate(position_id=id_of(session, Position, waiting_for)))
        session.add(task)


def build(db: Database, engine) -> World:  # type: ignore[no-untyped-def]
    clock = prepare(db, engine)
    now = clock.now()
    incoming = register(db, engine, hal="Undangan rapat SPBE")
    _dispose(db, engine, "agus", open_task(db, incoming, "lontar.disposisi"),
             Recipient(position_id(db, SARI), now + timedelta(days=1)),
             Recipient(position_id(db, ANDI), now + timedelta(days=4)))
    _dispose(db, engine, "sari", open_task(db, incoming, "lontar.tindak_lanjut", SARI),
             Recipient(position_id(db, BUDI), now + timedelta(days=10)))
    ids = outgoing_world(db)
    with db.transaction() as session:
        draft = outgoing_letter(session, unit="DISKOMINFO", hal="Balasan undangan rapat SPBE", status="paraf",
                                konseptor=BUDI, by="budi")
        draft.draft_round = 2
        hidden = outgoing_letter(session, unit="DISKOMINFO", hal="Konsep siaran pers", status="konsep",
                                 konseptor="DISKOMINFO.IKP.HUMAS", by="putri")
        sari, agus = id_of(session, Position, SARI), id_of(session, Position, KADIS)
        session.add_all([
            Paraf(letter_id=draft.id, round=1, ordinal=1, position_id=sari, decision="kembalikan",
                  user_id=get_user(session, "sari").id, version_sha256=SHA_V1, note="Perbaiki tujuan",
                  decided_at=now - timedelta(hours=3)),
            Paraf(letter_id=draft.id, round=1, ordinal=2, position_id=agus, decision="menunggu"),
            Paraf(letter_id=draft.id, round=2, ordinal=1, position_id=sari, decision="paraf",
                  user_id=get_user(session, "sari").id, version_sha256=SHA_V2, decided_at=now - timedelta(hours=1)),
            Paraf(letter_id=draft.id, round=2, ordinal=2, position_id=agus, decision="menunggu"),
        ])
        copy = Letter(unit_id=id_of(session, Unit, "DINKES"), jenis="surat_dinas", direction="masuk",
                      hal="Undangan rapat koordinasi SPBE", status="menunggu_disposisi", sender_kind="internal",
                      sender_name="Dinas Komunikasi dan Informatika", received_at=now, agenda_year=2026,
                      agenda_number=7, source_letter_id=ids.sent)
        session.add(copy)
        session.flush()
        world = World(incoming, draft.id, hidden.id, ids.sent, copy.id)
    _drafting_instance(db, engine, world.draft, KADIS)
    return world


# -- the engine ----------------------------------------------------------------------------------------


def test_the_dashboard_counts_overdue_and_open_branches_per_subordinate(org, engine) -> None:
    world = build(org, engine)
    engine.clock.advance(days=2)  # sari's branch is past due, andi's and budi's are not
    with org.transaction(write=False) as session:
        agus = get_user(session, "agus").id
        data = dashboard(session, agus, engine.clock.today(), engine.clock.now())
        assert leads(session, agus, engine.clock.today())
        assert not leads(session, get_user(session, "budi").id, engine.clock.today())
        assert leads(session, get_user(session, "sari").id, engine.clock.today())  # a Kabid heads her bidang
    assert (data.summary.open_branches, data.summary.overdue_branches) == (3, 1)
    assert [(b.to_position, b.overdue) for b in data.overdue] == [("Kepala Bidang Aplikasi Informatika", True)]
    assert [b.to_position for b in data.open_branches] == [
        "Kepala Bidang Aplikasi Informatika", "Kepala Bidang Informasi dan Komunikasi Publik",
        "Pranata Komputer Ahli Muda"]  # nearest due date first
    counts = {r.name: (r.open_branches, r.overdue, r.drafts) for r in data.subordinates}
    assert counts == {
        "Kepala Bidang Aplikasi Informatika": (1, 1, 0),
        "Kepala Bidang Informasi dan Komunikasi Publik": (1, 0, 0),
        "Pranata Komputer Ahli Muda": (1, 0, 1),  # further down: listed as it has open work
        "Sekretaris Dinas Kominfo": (0, 0, 0),  # a direct report: always listed
    }  # putri has a konsep, but not one agus may see yet; dewi has no work: neither is listed
    assert (data.summary.open_drafts, data.summary.waiting_for_me) == (1, 1)
    assert [d.letter_id for d in data.waiting] == [world.draft] and data.drafts[0].konseptor.startswith("Pranata")


def test_a_head_of_another_skpd_sees_none_of_it(org, engine) -> None:
    build(org, engine)
    with org.transaction(write=False) as session:
        wati = get_user(session, "wati").id  # Kepala Dinas Kesehatan
        data = dashboard(session, wati, engine.clock.today(), engine.clock.now())
    assert data.summary == type(data.summary)(0, 0, 0, 0)
    assert {r.unit_name for r in data.subordinates} <= {"Dinas Kesehatan", "Sekretariat Dinas Kesehatan",
                                                        "Bidang Pelayanan Kesehatan",
                                                        "Bidang Pencegahan dan Pengendalian Penyakit"}
    assert all(r.open_branches == 0 and r.drafts == 0 for r in data.subordinates)


# -- the web ---------------------------------------------------------------------------------------------


@pytest.fixture
def web(org: Database, engine, tmp_path: Path) -> Iterator[tuple[Flask, World]]:  # type: ignore[no-untyped-def]
    world = build(org, engine)
    settings = Settings(instance_path=tmp_path / "instance", database_url=org.url, secret_key="test")
    settings.instance_path.mkdir()
    app = create_app(settings, engine=engine)
    app.config.update(TESTING=True)
    yield app, world
    app.extensions["lontar.db"].dispose()


def _tracked(html: str) -> dict[str, list]:  # type: ignore[type-arg]
    """kind -> the tracked instance sections of that kind."""
    found: dict[str, list] = {}  # type: ignore[type-arg]
    for section in page(html).xpath('//section[@data-instance]'):
        found.setdefault(section.get("data-kind"), []).append(section)
    return found


def _current(section) -> set[str]:  # type: ignore[no-untyped-def]
    return {el.get("data-element-id") for el in section.xpath('.//svg//*[@data-element-id]')
            if "is-current" in (el.get("class") or "").split()}


def test_tracking_shows_each_branch_with_its_diagram_current_step_and_holder(web) -> None:
    app, world = web
    dewi = Person(app, "dewi")  # the TU who registered it
    html = dewi.get(f"/surat/{world.incoming}/lacak").text
    kinds = _tracked(html)
    assert len(kinds["registrasi"]) == 1 and len(kinds["disposisi"]) == 3
    by_target = {text_of(s.xpath('.//p[@class="branch-head"]/strong')[0]): s for s in kinds["disposisi"]}
    andi, budi = by_target["Kepala Bidang Informasi dan Komunikasi Publik"], by_target["Pranata Komputer Ahli Muda"]
    for section in (andi, budi):
        assert section.xpath('.//div[@class="diagram-wrap"]/svg') and "tindak_lanjut" in _current(section)
        assert section.get("data-status") == "running"
    held = text_of(andi.xpath('.//div[@class="held-by"]')[0])
    assert "Tindak lanjuti disposisi" in held and "Andi Pratama" in held
    assert "Kepala Bidang Aplikasi Informatika" in text_of(budi)  # from sari
    now = text_of(page(html).get_element_by_id("now"))  # the summary on top: who holds it now
    assert all(name in now for name in ("Sari Wulandari", "Andi Pratama", "Budi Santoso"))
    assert "Lacak surat" in dewi.get(f"/surat/{world.incoming}").text
    # refusal beside acceptance: the TU of another SKPD, and a staf who takes no part, get 404
    Person(app, "bayu").get(f"/surat/{world.incoming}/lacak", status=404)
    Person(app, "putri").get(f"/surat/{world.incoming}/lacak", status=404)
    Person(app, "andi").get(f"/surat/{world.incoming}/lacak")  # a recipient may follow it


def test_tracking_an_outgoing_letter_shows_the_paraf_rounds_and_the_copies(web) -> None:
    app, world = web
    budi = Person(app, "budi")
    doc = page(budi.get(f"/surat/{world.draft}/lacak").text)
    rounds = doc.xpath('//section[@id="paraf-chain"]//table')
    assert [t.get("data-round") for t in rounds] == ["2", "1"]
    latest = [[text_of(td) for td in tr.xpath("./td")] for tr in rounds[0].xpath("./tbody/tr")]
    assert latest[0][1] == "Kepala Bidang Aplikasi Informatika" and latest[0][3] == "Diparaf"
    assert latest[0][5] == SHA_V2[:12] and latest[1][3] == "Menunggu" and latest[1][4] == "—"
    first = [[text_of(td) for td in tr.xpath("./td")] for tr in rounds[1].xpath("./tbody/tr")]
    assert first[0][3] == "Dikembalikan" and first[0][6] == "Perbaiki tujuan"
    (drafting,) = _tracked(budi.get(f"/surat/{world.draft}/lacak").text)["naskah_keluar"]
    assert _current(drafting) == {"paraf"} and "Drs. Agus Prasetyo" in text_of(drafting)
    assert "Konsep, paraf, tanda tangan dan pengiriman" in text_of(drafting)

    dewi = Person(app, "dewi")
    doc = page(dewi.get(f"/surat/{world.sent}/lacak").text)
    (copy,) = doc.xpath('//table[@id="copies"]/tbody/tr')
    assert text_of(copy).startswith("Dinas Kesehatan 7/2026") and copy.get("data-status") == "menunggu_disposisi"
    assert copy.xpath(".//a") == []  # dewi may not open the Dinkes copy
    bayu = Person(app, "bayu")
    bayu.get(f"/surat/{world.sent}/lacak", status=404)
    bayu.get(f"/surat/{world.copy}")  # but its own copy, yes
    Person(app, "putri").get(f"/surat/{world.draft}/lacak", status=404)


def test_the_dashboard_page_and_its_menu_link_are_for_heads_only(web, engine) -> None:
    app, world = web
    engine.clock.advance(days=2)
    agus = Person(app, "agus")
    doc = page(agus.get("/dasbor").text)
    stats = {a.get("data-stat"): text_of(a.xpath('./span[@class="value"]')[0])
             for a in doc.xpath('//div[@id="summary"]/a')}
    assert stats == {"open_branches": "3", "overdue_branches": "1", "open_drafts": "1", "waiting_for_me": "1"}
    rows = {text_of(tr.xpath("./td")[0]).split(" · ")[0]: tr for tr in doc.xpath('//table[@id="subordinates"]/tbody/tr')}
    sari = rows["Kepala Bidang Aplikasi Informatika"]
    assert [text_of(td) for td in sari.xpath("./td[@data-count]")] == ["1", "1", "0"]
    assert "Sari Wulandari" in text_of(sari)
    assert [text_of(td) for td in rows["Kepala Bidang Informasi dan Komunikasi Publik"].xpath("./td[@data-count]")] == [
        "1", "0", "0"]
    assert doc.xpath('//table[@id="overdue-list"]/tbody/tr/@data-letter') == [str(world.incoming)]
    assert doc.xpath('//table[@id="waiting-list"]/tbody/tr/@data-letter') == [str(world.draft)]
    assert page(agus.get("/inbox").text).xpath('//nav[@class="mainnav"]/a[@href="/dasbor"]')
    budi = Person(app, "budi")
    budi.get("/dasbor", status=404)
    assert not page(budi.get("/inbox").text).xpath('//nav[@class="mainnav"]/a[@href="/dasbor"]')
