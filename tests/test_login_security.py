"""Login rate limiting and login sessions, through the web, on SQLite and PostgreSQL.

Rate limit: 5 failed logins in 15 minutes lock that username (even for the right password)
with a 429 that reads the same whether the username exists; another username is not affected;
the lock ends when the window has passed (the engine's clock is moved); a success clears the
username's counter; one address is limited too; the counters are shared by every worker.

Sessions: the cookie changes at login and the one from before signs no one in; logging out
ends the session for every copy of the cookie; a user can be logged out everywhere.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, update

from engine.clock import Clock
from engine.db import Database
from engine.login_security import Limit, end_all_sessions
from engine.models import LoginAttempt, User
from tests.test_web import PASSWORD, Person, csrf_token
from webapp import create_app
from webapp.config import Settings

LOCKED = "Terlalu banyak percobaan masuk. Coba lagi dalam {} menit."


class MovableClock(Clock):
    def __init__(self) -> None:
        super().__init__("WIB")
        self.shift = timedelta(0)

    def now(self) -> datetime:
        return super().now() + self.shift


@pytest.fixture
def clock(engine) -> MovableClock:  # type: ignore[no-untyped-def]
    engine.clock = MovableClock()
    return engine.clock


def make_app(db: Database, engine, folder: Path) -> Flask:  # type: ignore[no-untyped-def]
    folder.mkdir()
    flask_app = create_app(Settings(instance_path=folder, database_url=db.url, secret_key="test"), engine=engine)
    flask_app.config.update(TESTING=True)
    return flask_app


@pytest.fixture
def app(org: Database, engine, clock, tmp_path: Path) -> Flask:  # type: ignore[no-untyped-def]
    flask_app = make_app(org, engine, tmp_path / "instance")
    yield flask_app
    flask_app.extensions["lontar.db"].dispose()


def fail(person: Person, username: str, times: int = 1) -> None:
    for _ in range(times):
        response = person.login(username, "salah")
        assert response.status_code == 200 and "Nama pengguna atau kata sandi salah." in response.text


def signed_in(person: Person) -> bool:
    with person.client.session_transaction() as session:
        return "_user_id" in session


def _message(html: str) -> str:
    (found,) = re.findall(r'<p class="flash flash-error"[^>]*>([^<]+)</p>', html)
    return found


# --- rate limiting -------------------------------------------------------------------------------


def test_five_failures_lock_that_username_until_the_window_has_passed(app, clock):
    visitor = Person(app)
    fail(visitor, "budi", 5)
    locked = visitor.login("budi", PASSWORD)
    assert locked.status_code == 429 and not signed_in(visitor)
    assert _message(locked.text) == LOCKED.format(15)
    assert int(locked.headers["Retry-After"]) > 14 * 60
    assert visitor.login(" BUDI ", PASSWORD).status_code == 429  # the same name, however typed

    assert Person(app).login("sari", PASSWORD).status_code == 302  # another username: not affected

    clock.shift = timedelta(minutes=14, seconds=30)  # refused tries do not count, nor extend the lock
    assert _message(visitor.login("budi", PASSWORD).text) == LOCKED.format(1)
    clock.shift = timedelta(minutes=15, seconds=1)
    assert visitor.login("budi", PASSWORD).status_code == 302 and signed_in(visitor)


def test_the_lock_reads_the_same_whether_the_username_exists(app):
    known, unknown = Person(app), Person(app)
    fail(known, "budi", 5)
    fail(unknown, "tidakada", 5)
    answers = [p.login(name, PASSWORD) for p, name in ((known, "budi"), (unknown, "tidakada"))]
    assert [a.status_code for a in answers] == [429, 429]
    strip = [re.sub(r'value="[^"]*"', "", a.text) for a in answers]
    assert strip[0] == strip[1]


def test_a_success_clears_the_username_counter(app, org):
    budi = Person(app)
    fail(budi, "budi", 4)
    assert budi.login("budi", PASSWORD).status_code == 302
    budi.submit("/logout", form_page="/inbox")
    fail(budi, "budi", 4)  # 4 again, not 8
    assert budi.login("budi", PASSWORD).status_code == 302
    with org.transaction(write=False) as session:
        keys = list(session.scalars(select(LoginAttempt.key)))
    assert keys and all(re.fullmatch(r"[0-9a-f]{64}", k) for k in keys)  # names are not kept in clear


def test_one_address_trying_many_usernames_is_locked_and_another_address_is_not(app):
    app.config["LONTAR_LOGIN_ADDRESS_LIMIT"] = Limit(3, timedelta(minutes=15))
    here, there = Person(app), Person(app)
    here.client.environ_base["REMOTE_ADDR"] = "10.0.0.1"
    there.client.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    for name in ("andi", "bayu", "cici"):
        fail(here, name)
    response = here.login("budi", PASSWORD)
    assert response.status_code == 429 and _message(response.text) == LOCKED.format(15)
    assert there.login("budi", PASSWORD).status_code == 302


def test_every_worker_sees_the_same_counters(app, org, engine, tmp_path):
    other = make_app(org, engine, tmp_path / "second")  # a second gunicorn worker: its own process state
    try:
        fail(Person(app), "budi", 5)
        assert Person(other).login("budi", PASSWORD).status_code == 429
    finally:
        other.extensions["lontar.db"].dispose()


def test_an_empty_or_tokenless_login_counts_nothing(app, org):
    visitor = Person(app)
    for _ in range(6):
        visitor.client.post("/login", data={"csrf_token": csrf_token(visitor.get("/login").text)})
        visitor.client.post("/login", data={"username": "budi", "password": "salah"})
    assert visitor.login("budi", PASSWORD).status_code == 302


# --- sessions ------------------------------------------------------------------------------------


def _cookie(person: Person) -> str:
    found = person.client.get_cookie("session")
    assert found is not None
    return found.value


def _replay(app: Flask, value: str) -> int:
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief.get("/inbox").status_code


def test_the_session_cookie_changes_at_login_and_the_one_from_before_signs_no_one_in(app):
    visitor = Person(app)
    visitor.get("/login")
    planted = _cookie(visitor)  # e.g. set by an attacker before the victim logs in
    assert visitor.login("budi").status_code == 302
    after = _cookie(visitor)
    assert after != planted
    assert _replay(app, planted) == 302  # to the login page
    assert _replay(app, after) == 200


def test_logging_out_ends_the_session_for_every_copy_of_the_cookie(app):
    budi = Person(app, "budi")
    stolen = _cookie(budi)
    assert _replay(app, stolen) == 200
    assert budi.submit("/logout", form_page="/inbox").status_code == 302
    assert _replay(app, stolen) == 302
    assert budi.get("/inbox", status=302)


def test_a_user_can_be_logged_out_everywhere_and_a_deactivated_one_is(app, org, clock):
    phone, desk = Person(app, "budi"), Person(app, "budi")
    sari = Person(app, "sari")
    with org.transaction() as session:
        budi_id = session.scalars(select(User.id).where(User.username == "budi")).one()
        assert end_all_sessions(session, budi_id, clock.now()) == 2
    assert phone.get("/inbox", status=302) and desk.get("/inbox", status=302)
    assert sari.get("/inbox").status_code == 200
    with org.transaction() as session:
        session.execute(update(User).where(User.username == "sari").values(active=False))
    assert sari.get("/inbox", status=302)


def test_a_new_password_or_deactivation_by_an_admin_ends_open_logins(app, org, clock):
    from engine.org_people import set_active, set_password
    from engine.org_scope import admin_scope

    budi, sari, rina = Person(app, "budi"), Person(app, "sari"), Person(app, "rina")
    with org.transaction() as session:
        ids = dict(session.execute(select(User.username, User.id)).all())
        scope = admin_scope(session, ids["admin"])
        set_password(session, scope, ids["budi"], "kata-sandi-baru-123", today=clock.today())
        set_active(session, scope, ids["sari"], False, today=clock.today())
    assert budi.get("/inbox", status=302)  # the old login is gone with the old password
    assert sari.get("/inbox", status=302)
    assert rina.get("/inbox").status_code == 200  # nobody else is logged out
