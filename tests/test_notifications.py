"""Notifications: a step tells the people its new task reaches (and not the actor), acting
officials and deputies included; reading and marking is one's own only; the bell counts; the
e-mail copy is marked only when wanted and possible.  Engine tests and web tests, both on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy import select, update

from engine import notifications
from engine.db import Database
from engine.errors import NotFound
from engine.inbox import may_act
from engine.models import HumanTask, Notification, Unit, User
from tests.flow import APPROVE, DRAFT, act, get_user, start, task_in_inbox
from tests.org_setup import acting_kabid, deputy_of
from tests.test_web import Person, csrf_token, page, text_of
from webapp import create_app
from webapp.config import Settings

REVIEW = "Periksa (atasan langsung)"


def rows(db: Database, username: str | None = None) -> list[Notification]:
    with db.transaction(write=False) as session:
        query = select(Notification).order_by(Notification.id)
        if username is not None:
            query = query.where(Notification.user_id == get_user(session, username).id)
        return list(session.scalars(query))


def recipients(db: Database) -> set[str]:
    with db.transaction(write=False) as session:
        return set(session.scalars(select(User.username).join(Notification, Notification.user_id == User.id)))


def drafted(db: Database, engine) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """budi starts a nota dinas and sends his draft: (instance id, the atasan's review task id)."""
    instance_id = start(db, engine)
    act(db, engine, "budi", instance_id, DRAFT)
    return instance_id, task_in_inbox(db, engine, "sari", instance_id)


@pytest.fixture
def listening(deployed: Database, engine) -> Database:  # type: ignore[no-untyped-def]
    notifications.install(engine, email=True)
    return deployed


# --- a step notifies ----------------------------------------------------------------------------


def test_a_step_tells_the_next_tasks_atasan_and_not_the_actor(listening, engine):
    instance_id, task_id = drafted(listening, engine)

    (note,) = rows(listening, "sari")
    assert (note.kind, note.title, note.link) == ("tugas_baru", f"{REVIEW}: {DRAFT['perihal']}", f"/tasks/{task_id}")
    assert (note.instance_id, note.task_id, note.read_at) == (instance_id, task_id, None)
    assert "Budi Santoso" in note.body
    assert rows(listening, "budi") == []  # neither for his draft task at the start nor for sending it
    assert recipients(listening) == {"sari"}


def test_a_task_returned_to_the_konseptor_tells_him(listening, engine):
    instance_id, _task_id = drafted(listening, engine)
    act(listening, engine, "sari", instance_id, {"keputusan": "kembalikan", "catatan": "Perbaiki."})
    (note,) = rows(listening, "budi")
    assert note.title.startswith("Susun nota dinas") and note.link == f"/tasks/{task_in_inbox(listening, engine, 'budi', instance_id)}"


def test_a_plh_and_a_deputy_of_today_are_told_and_an_expired_deputy_is_not(listening, engine):
    today = engine.clock.today()
    acting_kabid(listening, "tono", "Tono Prasetya", kind="plh", valid_from=today)
    deputy_of(listening, "sari", "nina", "Nina Rahayu, S.Kom.", today, today)
    deputy_of(listening, "sari", "lama", "Wakil Lama", today - timedelta(days=9), today - timedelta(days=1))

    _instance_id, task_id = drafted(listening, engine)

    assert recipients(listening) == {"sari", "tono", "nina"}
    assert {n.task_id for n in rows(listening)} == {task_id}


def test_an_inactive_holder_is_not_told(listening, engine):
    with listening.transaction() as session:
        session.execute(update(User).where(User.username == "sari").values(active=False))
    acting_kabid(listening, "tono", "Tono Prasetya", kind="plt", valid_from=engine.clock.today())
    drafted(listening, engine)
    assert recipients(listening) == {"tono"}


def test_completing_the_task_settles_the_others_notifications_and_withholds_what_they_no_longer_see(
        listening, engine):
    acting_kabid(listening, "tono", "Tono Prasetya", kind="plh", valid_from=engine.clock.today())
    instance_id, _task_id = drafted(listening, engine)
    act(listening, engine, "tono", instance_id, APPROVE)

    (sari_note,) = rows(listening, "sari")
    assert sari_note.read_at is not None  # the task left her inbox: the bell stops counting it
    with listening.transaction(write=False) as session:
        sari = get_user(session, "sari").id
        (shown,) = notifications.recent(session, sari, today=engine.clock.today())
        assert shown.withheld and shown.title == "" and shown.link == ""
        assert notifications.open_target(session, sari, sari_note.id, engine.clock.today()) is None
        tono = get_user(session, "tono").id
        (kept,) = notifications.recent(session, tono, today=engine.clock.today())
        assert not kept.withheld and kept.title.startswith(REVIEW)  # he acted: he took part


def test_whom_a_task_reaches_is_exactly_who_may_act_on_it(listening, engine):
    today = engine.clock.today()
    acting_kabid(listening, "tono", "Tono Prasetya", kind="plh", valid_from=today)
    deputy_of(listening, "tono", "nina", "Nina Rahayu, S.Kom.", today, today)  # the Plh's own deputy
    _instance_id, task_id = drafted(listening, engine)
    with listening.transaction(write=False) as session:
        task = session.get(HumanTask, task_id)
        reached = notifications.users_for_candidates(session, task.candidates, today)
        everyone = session.scalars(select(User.id)).all()
        assert reached == {u for u in everyone if may_act(session, u, task_id, today)}
        assert len(reached) == 3


def test_role_and_named_candidates_reach_role_holders_named_users_and_their_deputies(org, engine):
    today = engine.clock.today()
    deputy_of(org, "budi", "nina", "Nina Rahayu, S.Kom.", today, today)
    with org.transaction(write=False) as session:
        kominfo = session.scalars(select(Unit.id).where(Unit.code == "DISKOMINFO")).one()
        candidates = [SimpleNamespace(position_id=None, role="pencatat", unit_id=kominfo, user_id=None),
                      SimpleNamespace(position_id=None, role=None, unit_id=None, user_id=get_user(session, "budi").id)]
        reached = notifications.users_for_candidates(session, candidates, today)
        names = set(session.scalars(select(User.username).where(User.id.in_(reached))))
        assert notifications.users_for_candidates(session, [], today) == set()
        assert notifications.users_for_positions(session, [], today) == set()
    assert names == {"dewi", "budi", "nina"}


def test_the_listener_is_installed_once_however_often_an_app_is_made(engine):
    notifications.install(engine, email=False)
    notifications.install(engine, email=True)
    assert sum(isinstance(x, notifications.StepNotifier) for x in engine.listeners) == 1
    assert notifications.email_enabled(engine)


# --- notify itself ------------------------------------------------------------------------------


def _ids(db: Database, *usernames: str) -> list[int]:
    with db.transaction(write=False) as session:
        return [get_user(session, u).id for u in usernames]


def test_notify_dedupes_skips_the_actor_and_marks_email_only_when_wanted_and_possible(org, engine):
    budi, sari, agus = _ids(org, "budi", "sari", "agus")
    now = engine.clock.now()
    with org.transaction() as session:
        notifications.set_preferences(session, sari, {"komentar": True})
        notifications.set_preferences(session, agus, {"komentar": True})
        session.execute(update(User).where(User.id == agus).values(email=None))
        made = notifications.notify(session, [sari, sari, budi, agus], kind="komentar", title="Komentar baru",
                                    link="/instances/1", at=now, exclude_user_id=budi)
        assert sorted(n.user_id for n in made) == sorted([sari, agus])
        states = {n.user_id: n.email_state for n in made}
        assert states == {sari: "pending", agus: None}  # agus has no address
        off = notifications.notify(session, [sari], kind="komentar", title="x", at=now, email=False)
        assert off[0].email_state is None  # no SMTP: nothing piles up
        other_kind = notifications.notify(session, [sari], kind="disposisi", title="x", at=now)
        assert other_kind[0].email_state is None  # she asked e-mail for comments only


@pytest.mark.parametrize("link", ["https://evil.example/x", "//evil.example", "/\\evil.example", "javascript:alert(1)",
                                  "/tasks/1\r\nX: y"])
def test_notify_refuses_a_link_outside_lontar(org, engine, link):
    (sari,) = _ids(org, "sari")
    with org.transaction() as session, pytest.raises(ValueError):
        notifications.notify(session, [sari], kind="komentar", title="x", link=link, at=engine.clock.now())
    assert rows(org) == []


def test_notify_refuses_an_unknown_kind(org, engine):
    (sari,) = _ids(org, "sari")
    with org.transaction() as session, pytest.raises(ValueError):
        notifications.notify(session, [sari], kind="spam", title="x", at=engine.clock.now())


# --- reading and marking: one's own only --------------------------------------------------------


def _two_each(db: Database, engine) -> tuple[int, int, list[int], list[int]]:  # type: ignore[no-untyped-def]
    sari, budi = _ids(db, "sari", "budi")
    now = engine.clock.now()
    with db.transaction() as session:
        mine = [notifications.notify(session, [sari], kind="komentar", title=f"S{i}", at=now + timedelta(seconds=i))[0].id
                for i in range(2)]
        theirs = [notifications.notify(session, [budi], kind="komentar", title=f"B{i}", at=now)[0].id for i in range(2)]
    return sari, budi, mine, theirs


def test_marking_ones_own_notification_read_is_accepted(org, engine):
    sari, _budi, mine, _theirs = _two_each(org, engine)
    with org.transaction() as session:
        assert notifications.unread_count(session, sari) == 2
        notifications.mark_read(session, sari, mine[0], at=engine.clock.now())
        assert notifications.unread_count(session, sari) == 1
        assert [n.title for n in notifications.recent(session, sari, today=engine.clock.today())] == ["S1", "S0"]
        assert [n.title for n in notifications.recent(session, sari, only_unread=True, today=engine.clock.today())] == ["S1"]


def test_marking_anothers_notification_read_is_refused_like_a_missing_one(org, engine):
    sari, budi, _mine, theirs = _two_each(org, engine)
    with org.transaction() as session:
        for target in (theirs[0], 987_654):
            with pytest.raises(NotFound):
                notifications.mark_read(session, sari, target, at=engine.clock.now())
            with pytest.raises(NotFound):
                notifications.open_target(session, sari, target, engine.clock.today())
        assert notifications.unread_count(session, budi) == 2


def test_mark_all_read_touches_only_ones_own(org, engine):
    sari, budi, _mine, _theirs = _two_each(org, engine)
    with org.transaction() as session:
        assert notifications.mark_all_read(session, sari, at=engine.clock.now()) == 2
        assert (notifications.unread_count(session, sari), notifications.unread_count(session, budi)) == (0, 2)


def test_preferences_default_to_in_app_only_and_can_be_set_per_kind(org):
    (sari,) = _ids(org, "sari")
    with org.transaction() as session:
        assert notifications.preferences(session, sari) == dict.fromkeys(notifications.NOTIFICATION_KINDS, False)
        notifications.set_preferences(session, sari, {"tugas_baru": True, "disposisi": True})
        after = notifications.set_preferences(session, sari, {"disposisi": False})
    assert [k for k, v in after.items() if v] == ["tugas_baru"]


def test_preferences_refuse_an_unknown_kind_and_keep_the_rest(org):
    (sari,) = _ids(org, "sari")
    with org.transaction() as session, pytest.raises(ValueError):
        notifications.set_preferences(session, sari, {"tugas_baru": True, "spam": True})
    with org.transaction(write=False) as session:
        assert not any(notifications.preferences(session, sari).values())


# --- the web: the bell, the list, opening, settings ---------------------------------------------


@pytest.fixture
def app(deployed: Database, engine, tmp_path: Path) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    settings = Settings(instance_path=tmp_path / "instance", database_url=deployed.url, secret_key="test")
    settings.instance_path.mkdir()
    flask_app = create_app(settings, engine=engine)
    flask_app.config.update(TESTING=True)
    yield flask_app
    flask_app.extensions["lontar.db"].dispose()


def bell(person: Person) -> str | None:
    found = page(person.get("/inbox").text).xpath('//*[@id="unread-count"]')
    return text_of(found[0]) if found else None


def test_the_bell_counts_a_new_task_and_opening_it_leads_there_and_clears_it(app, deployed, engine):
    budi, sari = Person(app, "budi"), Person(app, "sari")
    assert bell(sari) is None
    assert budi.submit(budi.start_nota_dinas(), {k: v for k, v in DRAFT.items()}).status_code == 302

    assert bell(sari) == "1" and bell(budi) is None
    doc = page(sari.get("/notifications").text)
    (item,) = doc.xpath('//ul[@id="notifications"]/li')
    assert "unread" in item.get("class")
    (link,) = item.xpath('.//a[contains(@class, "notif-title")]')
    assert text_of(link) == f"{REVIEW}: {DRAFT['perihal']}"

    opened = sari.get(link.get("href"), status=302)
    (task,) = [n.task_id for n in rows(deployed, "sari")]
    assert urlsplit(opened.headers["Location"]).path == f"/tasks/{task}"
    assert bell(sari) is None
    assert "unread" not in page(sari.get("/notifications").text).xpath('//ul[@id="notifications"]/li')[0].get("class")


def test_anothers_notification_is_404_to_open_or_mark_and_stays_unread(app, deployed, engine):
    budi, sari = Person(app, "budi"), Person(app, "sari")
    budi.submit(budi.start_nota_dinas(), DRAFT)
    (note,) = rows(deployed, "sari")
    budi.get(f"/notifications/{note.id}/open", status=404)
    token = csrf_token(budi.get("/notifications").text)
    assert budi.client.post(f"/notifications/{note.id}/read", data={"csrf_token": token}).status_code == 404
    assert budi.client.post("/notifications/987654/read", data={"csrf_token": token}).status_code == 404
    assert rows(deployed, "sari")[0].read_at is None and bell(sari) == "1"


def test_marking_read_needs_the_csrf_token(app, deployed):
    budi, sari = Person(app, "budi"), Person(app, "sari")
    budi.submit(budi.start_nota_dinas(), DRAFT)
    (note,) = rows(deployed, "sari")
    assert sari.client.post(f"/notifications/{note.id}/read", data={}).status_code == 400
    assert sari.client.post("/notifications/read-all", data={}).status_code == 400
    assert bell(sari) == "1"


def test_mark_read_and_mark_all_read_from_the_list(app, deployed, engine):
    sari, budi, mine, theirs = _two_each(deployed, engine)
    person = Person(app, "sari")
    assert bell(person) == "2"
    assert person.submit(f"/notifications/{mine[0]}/read", form_page="/notifications").status_code == 302
    assert bell(person) == "1"
    assert person.submit("/notifications/read-all", form_page="/notifications").status_code == 302
    assert bell(person) is None
    assert [n.read_at for n in rows(deployed, "budi")] == [None, None]


def test_the_settings_page_saves_email_choices_and_says_email_is_off(app, deployed):
    sari = Person(app, "sari")
    doc = page(sari.get("/notifications/settings").text)
    assert doc.xpath('//*[@id="email-off"]')
    assert len(doc.xpath('//input[@name="email"]')) == len(notifications.NOTIFICATION_KINDS)
    response = sari.submit("/notifications/settings", {"email": ["tugas_baru", "komentar"]})
    assert response.status_code == 302
    checked = page(sari.get("/notifications/settings").text).xpath('//input[@name="email"][@checked]/@value')
    assert sorted(checked) == ["komentar", "tugas_baru"]


def test_the_pages_read_in_english_too(app, deployed, engine):
    _two_each(deployed, engine)
    sari = Person(app, "sari")
    sari.submit("/lang/en", {"next": "/notifications"}, form_page="/notifications")
    html = sari.get("/notifications").text
    assert "Mark all as read" in html and "Comment" in html
    assert re.search(r'aria-label="Notifications, 2 unread"', html)


def test_anonymous_visitors_are_sent_to_login(app):
    for url in ("/notifications", "/notifications/1/open", "/notifications/settings"):
        response = app.test_client().get(url)
        assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login"
