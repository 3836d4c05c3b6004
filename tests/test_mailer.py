"""The e-mail outbox: pending copies go out through a real SMTP conversation (aiosmtpd on
127.0.0.1 in the test), each settles as sent or failed, and one failure does not stop the
others.  On SQLite and PostgreSQL.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from engine import notifications
from engine.db import Database
from engine.mailer import MAX_AGE, SmtpConfig, compose, send_pending
from engine.models import Notification, User
from tests.flow import get_user
from webapp.config import smtp_from_env

BASE = "https://lontar.kab.example"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler: keeps what arrives; refuses recipients at `refused`."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refused = "tolak@"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]  # noqa: N802
        if address.startswith(self.refused):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, SmtpConfig]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, SmtpConfig(host="127.0.0.1", port=port, sender="lontar@kab.example", base_url=BASE + "/")
    finally:
        controller.stop()


def pending_for(db: Database, engine, *usernames: str, title: str = "Periksa (atasan langsung): Rapat") -> list[int]:  # type: ignore[no-untyped-def]
    """A pending e-mail copy of a new-task notification for each user (who wants e-mail for it),
    made in the order given; their notification ids in that order."""
    made = []
    with db.transaction() as session:
        for username in usernames:
            user_id = get_user(session, username).id
            notifications.set_preferences(session, user_id, {"tugas_baru": True})
            made += notifications.notify(session, [user_id], kind="tugas_baru", title=title,
                                         body="Budi Santoso · Pranata Komputer", link="/tasks/7", at=engine.clock.now())
        assert all(n.email_state == "pending" for n in made)
        return [n.id for n in made]


def states(db: Database) -> dict[int, tuple[str | None, bool]]:
    with db.transaction(write=False) as session:
        return {n.id: (n.email_state, n.emailed_at is not None) for n in session.scalars(select(Notification))}


def test_pending_copies_arrive_with_the_subject_and_an_absolute_link(org, engine, smtp):
    inbox, config = smtp
    (note_id,) = pending_for(org, engine, "sari")

    assert send_pending(org, config, now=engine.clock.now()) == 1

    (message,) = inbox.messages
    assert message["Subject"] == "[Lontar] Periksa (atasan langsung): Rapat"
    assert message["To"] == "sari@lontar.invalid" and message["From"] == "lontar@kab.example"
    body = message.get_content()
    assert f"{BASE}/notifications/{note_id}/open" in body and "Budi Santoso" in body
    assert states(org) == {note_id: ("sent", True)}
    assert send_pending(org, config, now=engine.clock.now()) == 0  # sent once only
    assert len(inbox.messages) == 1


def test_a_refused_connection_marks_each_copy_failed_and_goes_on(org, engine):
    ids = pending_for(org, engine, "sari", "agus")
    closed = SmtpConfig(host="127.0.0.1", port=free_port(), timeout=2)
    assert send_pending(org, closed, now=engine.clock.now()) == 0
    assert states(org) == {i: ("failed", True) for i in ids}  # both tried, none left half-claimed


def test_a_refused_recipient_fails_alone_and_the_next_copy_still_goes(org, engine, smtp):
    inbox, config = smtp
    with org.transaction() as session:
        session.execute(update(User).where(User.username == "agus").values(email="tolak@kab.example"))
    agus_note, sari_note = pending_for(org, engine, "agus", "sari")

    assert send_pending(org, config, now=engine.clock.now()) == 1

    assert [m["To"] for m in inbox.messages] == ["sari@lontar.invalid"]
    assert states(org) == {agus_note: ("failed", True), sari_note: ("sent", True)}


def test_a_copy_pending_too_long_is_not_sent_late(org, engine, smtp):
    inbox, config = smtp
    (note_id,) = pending_for(org, engine, "sari")
    assert send_pending(org, config, now=engine.clock.now() + MAX_AGE + timedelta(minutes=1)) == 0
    assert inbox.messages == [] and states(org) == {note_id: ("failed", True)}


def test_a_copy_for_someone_without_an_address_any_more_fails_without_sending(org, engine, smtp):
    inbox, config = smtp
    (note_id,) = pending_for(org, engine, "sari")
    with org.transaction() as session:
        session.execute(update(User).where(User.username == "sari").values(email=""))
    assert send_pending(org, config, now=engine.clock.now()) == 0
    assert inbox.messages == [] and states(org) == {note_id: ("failed", True)}


def test_the_limit_leaves_the_rest_for_the_next_round(org, engine, smtp):
    inbox, config = smtp
    first, second = pending_for(org, engine, "sari", "agus")
    assert send_pending(org, config, now=engine.clock.now(), limit=1) == 1
    assert states(org)[second] == ("pending", False)
    assert send_pending(org, config, now=engine.clock.now(), limit=1) == 1
    assert len(inbox.messages) == 2 and states(org)[first][0] == states(org)[second][0] == "sent"


def test_nothing_pending_sends_nothing(org, engine, smtp):
    inbox, config = smtp
    assert send_pending(org, config, now=engine.clock.now()) == 0 and inbox.messages == []


# --- what a message says (no database) ------------------------------------------------------


def _row(title: str = "Disposisi: Undangan rapat\r\nBcc: x@evil.example") -> Notification:
    return Notification(id=5, user_id=1, kind="disposisi", title=title, body="Segera ditindaklanjuti", link="/surat/3")


def test_a_title_cannot_add_a_header():
    user = User(id=1, username="sari", name="Sari", email="sari@kab.example", password_hash="x", lang="id")
    message = compose(_row(), user, SmtpConfig(host="h"), secret=False, now=_now())
    assert message["Subject"] == "[Lontar] Disposisi: Undangan rapat Bcc: x@evil.example"
    assert message["Bcc"] is None


def test_a_secret_letters_copy_names_neither_title_nor_body():
    user = User(id=1, username="sari", name="Sari", email="sari@kab.example", password_hash="x", lang="id")
    message = compose(_row("Disposisi: RAHASIA mutasi"), user, SmtpConfig(host="h", base_url=BASE), secret=True,
                      now=_now())
    text = message.as_string()
    assert message["Subject"] == "[Lontar] Disposisi"
    assert "RAHASIA" not in text and "Segera" not in text and f"{BASE}/notifications/5/open" in text


def test_an_english_readers_copy_is_in_english():
    user = User(id=1, username="sari", name="Sari", email="sari@kab.example", password_hash="x", lang="en")
    body = compose(_row("Disposition"), user, SmtpConfig(host="h"), secret=False, now=_now()).get_content()
    assert "Open in Lontar:" in body


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


# --- configuration from the environment ----------------------------------------------------------


def test_no_smtp_host_means_no_email():
    assert smtp_from_env({}) is None
    assert smtp_from_env({"LONTAR_SMTP_FROM": "x@y"}) is None


def test_smtp_settings_are_read_from_the_environment():
    config = smtp_from_env({
        "LONTAR_SMTP_HOST": "mail.kab.example", "LONTAR_SMTP_STARTTLS": "true", "LONTAR_SMTP_USER": "lontar",
        "LONTAR_SMTP_PASSWORD": "rahasia", "LONTAR_SMTP_FROM": "noreply@kab.example",
        "LONTAR_BASE_URL": "https://eoffice.kab.example/",
    })
    assert config == SmtpConfig(host="mail.kab.example", port=587, sender="noreply@kab.example", username="lontar",
                                password="rahasia", starttls=True, base_url="https://eoffice.kab.example")
    assert smtp_from_env({"LONTAR_SMTP_HOST": "relay", "LONTAR_SMTP_PORT": "2525"}).port == 2525  # type: ignore[union-attr]
