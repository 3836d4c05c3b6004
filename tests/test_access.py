"""Who sees which instance (engine.access), on SQLite and PostgreSQL; CSRF on every POST route.

The rule: a user sees an instance when they took part (started it, acted, or a deputy acted on
their behalf), when one of its open tasks addresses them today (candidate by position, definitif
or acting, by role or by name; assignee; deputy of any of those), or when it belongs to the
subtree of a unit where they are admin or auditor (no unit: the whole Pemda).
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from engine import audit
from engine.access import administers_instance, can_view_instance, my_instances, visible_instances
from engine.db import Database
from engine.models import (
    AuditEvent,
    Delegation,
    HumanTask,
    Position,
    PositionHolder,
    ProcessInstance,
    TaskCandidate,
    Unit,
    User,
    UserRole,
)
from tests.flow import APPROVE, DRAFT, act, get_user, start
from tests.test_idor import fingerprint
from tests.test_web import PDF, Person, csrf_token
from webapp import create_app
from webapp.config import Settings

DAY = timedelta(days=1)
USERNAMES = ("budi", "sari", "agus", "dewi", "rina", "hadi", "wati", "admin", "auditor")


def visible(db: Database, engine, username: str) -> set[int]:  # type: ignore[no-untyped-def]
    """The instances `username` sees, through the SQL select, checked against the one-row check."""
    today = engine.clock.today()
    with db.transaction(write=False) as session:
        uid = get_user(session, username).id
        rows = set(session.scalars(
            select(ProcessInstance.id).where(ProcessInstance.id.in_(visible_instances(session, uid, today)))
        ))
        for iid in session.scalars(select(ProcessInstance.id)):
            assert can_view_instance(session, uid, iid, today) == (iid in rows), (username, iid)
        return rows


def seers(db: Database, engine, instance_id: int, among=USERNAMES) -> set[str]:  # type: ignore[no-untyped-def]
    return {name for name in among if instance_id in visible(db, engine, name)}


def add(db: Database, *rows) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        session.add_all(rows)


def uid(db: Database, username: str) -> int:
    with db.transaction(write=False) as session:
        return get_user(session, username).id


# --- took part, addressed ------------------------------------------------------------------------


def test_the_starter_the_candidates_and_those_who_acted_see_it(deployed, engine):
    iid = start(deployed, engine, "budi")
    assert seers(deployed, engine, iid) == {"budi", "admin", "auditor"}
    act(deployed, engine, "budi", iid, DRAFT)
    assert seers(deployed, engine, iid) == {"budi", "sari", "admin", "auditor"}  # sari: candidate
    act(deployed, engine, "sari", iid, APPROVE)
    assert seers(deployed, engine, iid) == {"budi", "sari", "agus", "admin", "auditor"}  # sari: acted
    act(deployed, engine, "agus", iid, APPROVE)
    assert seers(deployed, engine, iid) == {"budi", "sari", "agus", "admin", "auditor"}  # finished
    with deployed.transaction(write=False) as session:
        for name in ("budi", "sari", "agus"):
            assert [i.id for i in my_instances(session, get_user(session, name).id)] == [iid]
        assert my_instances(session, get_user(session, "dewi").id) == []


def test_a_candidate_of_a_withdrawn_task_no_longer_sees_it(deployed, engine):
    iid = start(deployed, engine, "budi")
    act(deployed, engine, "budi", iid, DRAFT)
    assert "sari" in seers(deployed, engine, iid)
    with deployed.transaction() as session:
        engine.cancel(session, iid, user=get_user(session, "budi"), reason="batal")
    assert seers(deployed, engine, iid) == {"budi", "admin", "auditor"}


def test_a_candidate_by_role_sees_it(deployed, engine):
    iid = start(deployed, engine, "budi")
    with deployed.transaction() as session:
        task = session.scalars(select(HumanTask).where(HumanTask.instance_id == iid)).one()
        kominfo = session.scalars(select(Unit).where(Unit.code == "DISKOMINFO")).one()
        task.candidates = [*task.candidates, TaskCandidate(role="pencatat", unit_id=kominfo.id)]
    assert "dewi" in seers(deployed, engine, iid)  # dewi: pencatat of Diskominfo


# --- overseers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, unit, sees_kominfo, sees_dinkes",
    [
        ("admin", None, True, True),
        ("auditor", None, True, True),
        ("admin", "PEMKAB", True, True),
        ("auditor", "DISKOMINFO", True, False),
        ("admin", "DINKES", False, True),
        ("auditor", "DISKOMINFO.APTIKA", False, False),  # a Bidang: the letters belong to its Dinas
        ("designer", None, False, False),
        ("pencatat", "DISKOMINFO", False, False),
    ],
)
def test_admins_and_auditors_see_the_subtree_of_their_unit(deployed, engine, role, unit, sees_kominfo, sees_dinkes):
    kominfo, dinkes = start(deployed, engine, "budi"), start(deployed, engine, "rina")
    with deployed.transaction() as session:
        unit_id = session.scalars(select(Unit.id).where(Unit.code == unit)).one() if unit else None
        person = User(username="pengawas", name="Pengawas", password_hash="x")
        session.add(person)
        session.flush()
        session.add(UserRole(user_id=person.id, role=role, unit_id=unit_id))
    assert visible(deployed, engine, "pengawas") == {i for i, yes in ((kominfo, sees_kominfo), (dinkes, sees_dinkes))
                                                     if yes}
    with deployed.transaction(write=False) as session:
        pid = get_user(session, "pengawas").id
        may_cancel = {i for i in (kominfo, dinkes) if administers_instance(session, pid, i)}
    assert may_cancel == (visible(deployed, engine, "pengawas") if role == "admin" else set())


def test_a_cycle_in_the_unit_tree_ends_the_subtree(deployed, engine):
    iid = start(deployed, engine, "rina")
    with deployed.transaction() as session:
        units = {u.code: u for u in session.scalars(select(Unit))}
        units["DINKES"].parent_id = units["DINKES.YANKES"].id  # a bad import: DINKES <-> YANKES
        session.add(UserRole(user_id=get_user(session, "dewi").id, role="auditor", unit_id=units["DINKES.YANKES"].id))
    assert visible(deployed, engine, "dewi") == {iid}


# --- deputies and acting officials, by date ------------------------------------------------------


@pytest.mark.parametrize(
    "valid_from, valid_to, revoked, sees",
    [(-1, 1, False, True), (0, 0, False, True), (-10, -1, False, False), (1, 10, False, False), (-1, 1, True, False)],
    ids=["today", "this-day-only", "ended", "not-yet", "revoked"],
)
def test_a_deputy_sees_the_principals_letters_only_while_the_delegation_runs(
    deployed, engine, valid_from, valid_to, revoked, sees
):
    iid = start(deployed, engine, "budi")
    act(deployed, engine, "budi", iid, DRAFT)  # now with sari
    today = engine.clock.today()
    add(deployed, Delegation(principal_id=uid(deployed, "sari"), deputy_id=uid(deployed, "rina"),
                             valid_from=today + valid_from * DAY, valid_to=today + valid_to * DAY,
                             revoked_at=datetime.now().astimezone() if revoked else None))
    assert (iid in visible(deployed, engine, "rina")) is sees


@pytest.mark.parametrize(
    "valid_from, valid_to, sees",
    [(-1, 1, True), (-1, None, True), (-10, -1, False), (1, 5, False)],
    ids=["today", "open-ended", "ended", "not-yet"],
)
def test_an_acting_official_sees_the_positions_letters_only_while_appointed(deployed, engine, valid_from, valid_to, sees):
    iid = start(deployed, engine, "budi")
    act(deployed, engine, "budi", iid, DRAFT)  # now with the Kabid Aptika
    today = engine.clock.today()
    with deployed.transaction() as session:
        kabid = session.scalars(select(Position).where(Position.name == "Kepala Bidang Aplikasi Informatika")).one()
        session.add(PositionHolder(position_id=kabid.id, user_id=get_user(session, "hadi").id, kind="plh",
                                   valid_from=today + valid_from * DAY,
                                   valid_to=None if valid_to is None else today + valid_to * DAY))
    assert (iid in visible(deployed, engine, "hadi")) is sees


def test_the_principal_of_a_deputys_action_took_part(deployed, engine):
    iid = start(deployed, engine, "budi")
    act(deployed, engine, "budi", iid, DRAFT)
    today = engine.clock.today()
    add(deployed, Delegation(principal_id=uid(deployed, "sari"), deputy_id=uid(deployed, "rina"),
                             valid_from=today, valid_to=today))
    act(deployed, engine, "rina", iid, APPROVE)  # rina a.n. sari; now with agus
    with deployed.transaction() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.instance_id == iid,
                                                         AuditEvent.action == "task.completed")
                                .order_by(AuditEvent.seq.desc())).first()
        assert (event.actor_id, event.on_behalf_of_id) == (uid(deployed, "rina"), uid(deployed, "sari"))
        assert audit.verify(session) == []  # the principal's id is part of the row's hash
        session.execute(Delegation.__table__.delete())  # the delegation is over: both took part
    assert seers(deployed, engine, iid) == {"budi", "sari", "rina", "agus", "admin", "auditor"}


# --- CSRF on every POST route --------------------------------------------------------------------


@pytest.fixture
def app(deployed: Database, engine, tmp_path: Path) -> Flask:  # type: ignore[no-untyped-def]
    settings = Settings(instance_path=tmp_path / "instance", database_url=deployed.url, secret_key="test")
    settings.instance_path.mkdir()
    flask_app = create_app(settings, engine=engine)
    flask_app.config.update(TESTING=True)
    yield flask_app
    flask_app.extensions["lontar.db"].dispose()


def test_every_post_route_refuses_a_missing_forged_or_foreign_csrf_token(app, deployed):
    budi, sari = Person(app, "budi"), Person(app, "sari")
    task_url = budi.start_nota_dinas()
    budi.client.post(task_url, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(budi.get(task_url).text), **DRAFT,
        "lampiran": (io.BytesIO(PDF), "undangan.pdf", "application/pdf")})
    with deployed.transaction(write=False) as session:
        task = session.scalars(select(HumanTask).where(HumanTask.status == "ready")).one()
        (sha,) = [v["sha256"] for t in session.scalars(select(HumanTask)) for v in (t.submitted or {}).values()
                  if isinstance(v, dict)]
    fill = {"task_id": task.id, "instance_id": task.instance_id, "key": "nota_dinas", "code": "en",
            "version_id": 1, "sha256": sha, "user_id": 1, "unit_id": 1, "position_id": 1, "holding_id": 1,
            "role_id": 1, "delegation_id": 1, "mapping_id": 1,  # the admin pages (webapp/admin)
            "notification_id": 1, "letter_id": 1, "attachment_id": 1, "disposition_id": 1}
    foreign = csrf_token(sari.get("/inbox").text)  # a real token, of another session
    before = fingerprint(deployed)
    posts = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    assert len(posts) >= 5
    for rule in posts:
        unknown = set(rule.arguments) - set(fill)
        assert not unknown, f"add a value for {unknown} of the new POST route {rule.rule} to this test"
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **{k: fill[k] for k in rule.arguments})
        form = {"keputusan": "setujui", "reason": "x", "username": "budi", "password": "pw-test", "next": "/"}
        for who, client in (("budi", budi.client), ("anonymous", app.test_client())):
            for token in (None, "forged", foreign):
                data = dict(form) if token is None else {**form, "csrf_token": token, "action-csrf_token": token}
                response = client.post(url, data=data)
                assert response.status_code == 400, f"{who} POST {url} with csrf {token!r}: {response.status_code}"
                assert "Formulir kedaluwarsa atau tidak sah" in response.text
    assert fingerprint(deployed) == before
    assert budi.get("/inbox").status_code == 200  # still signed in: the refused logout did nothing
