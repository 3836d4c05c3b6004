"""E-mail copies of notifications, sent by the worker (an outbox), never during a step.

A step only marks a notification's copy "pending" (engine.notifications).  `send_pending`
then works in three short moves, so that no database transaction is open while a mail
server is being talked to (on SQLite an open write transaction would hold every other
writer, web requests included):

1. claim: in one short write transaction, pending rows are taken (FOR UPDATE SKIP LOCKED on
   PostgreSQL, so workers on several hosts split them; SQLite's write transactions are
   serialized already) and marked "sending" with the claim time in `emailed_at`;
2. send: plain-text messages over one SMTP connection, outside any transaction;
3. settle: each message in its own tiny transaction, "sent" or "failed", with `emailed_at`.

A worker that dies between 1 and 3 leaves rows "sending"; after CLAIM_TIMEOUT another round
takes them again (at-least-once: a crash can repeat a message, never lose one).  A failure
of one message (refused connection, refused recipient) marks that one "failed", drops the
connection and goes on with the next; a failed copy is not retried: the notification itself
is still in the person's list.  A copy still pending after MAX_AGE (the worker was down, or
e-mail was switched on later) is marked failed instead of announcing an old task.

What a copy says: subject "[Lontar] <title>", the title, the body and an absolute link to
open the notification (base_url + /notifications/<id>/open: opening marks it read and leads
to the task, after the login page if needed).  For a letter whose sifat is rahasia or sangat
rahasia the copy names no title or body, only the kind and the link: mail leaves Lontar.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from engine import messages
from engine.db import Database
from engine.models import SECRET_SIFAT, Letter, Notification, User
from engine.notifications import kind_label

log = logging.getLogger("lontar.mailer")

CLAIM_TIMEOUT = timedelta(minutes=15)
MAX_AGE = timedelta(days=2)

messages.register(
    {
        "mail.open": ("Buka di Lontar:", "Open in Lontar:"),
        "mail.secret": (
            "Naskah ini bersifat rahasia: isinya hanya dapat dibaca di Lontar.",
            "This letter is classified: its content can only be read in Lontar.",
        ),
        "mail.footer": (
            "Pesan ini dikirim otomatis oleh Lontar; jangan dibalas. Atur pemberitahuan e-mail: {url}",
            "This message was sent automatically by Lontar; do not reply. E-mail settings: {url}",
        ),
    }
)


@dataclass(frozen=True)
class SmtpConfig:
    """Where e-mail goes out.  `base_url` makes the links in a message absolute."""

    host: str
    port: int = 25
    sender: str = "lontar@localhost"
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10
    base_url: str = "http://127.0.0.1:5000"


@dataclass(frozen=True)
class Outgoing:
    notification_id: int
    message: EmailMessage


def _secret_ids(session: Session, rows: list[Notification]) -> set[int]:
    """Ids of the notifications about a rahasia / sangat rahasia letter (by letter or instance)."""
    letter_ids = {r.letter_id for r in rows if r.letter_id is not None}
    instance_ids = {r.instance_id for r in rows if r.instance_id is not None}
    if not letter_ids and not instance_ids:
        return set()
    secret = session.execute(
        select(Letter.id, Letter.instance_id).where(
            Letter.sifat.in_(SECRET_SIFAT),
            or_(Letter.id.in_(letter_ids), Letter.instance_id.in_(instance_ids)),
        )
    ).all()
    letters = {letter_id for letter_id, _ in secret}
    instances = {instance_id for _, instance_id in secret if instance_id is not None}
    return {r.id for r in rows if r.letter_id in letters or r.instance_id in instances}


def one_line(text: str) -> str:
    """A header value: no line breaks (header injection), no runs of spaces."""
    return " ".join(text.split())


def compose(row: Notification, user: User, config: SmtpConfig, *, secret: bool, now: datetime) -> EmailMessage:
    lang = user.lang if user.lang in messages.LANGS else messages.DEFAULT_LANG
    base = config.base_url.rstrip("/")
    label = kind_label(row.kind, lang)
    title = label if secret else one_line(row.title) or label
    lines = [title]
    if secret:
        lines.append(messages.text("mail.secret", lang))
    elif row.body:
        lines.append(row.body)
    lines += ["", f"{messages.text('mail.open', lang)} {base}/notifications/{row.id}/open", "", "-- ",
              messages.text("mail.footer", lang, url=f"{base}/notifications/settings")]
    message = EmailMessage()
    message["Subject"] = f"[Lontar] {title}"
    message["From"] = config.sender
    message["To"] = one_line(user.email or "")
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=config.sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # no out-of-office replies to a robot
    message.set_content("\n".join(lines) + "\n")
    return message


def claim(db: Database, config: SmtpConfig, *, now: datetime, limit: int) -> list[Outgoing]:
    """Take up to `limit` pending copies (and stale "sending" ones) and compose them."""
    with db.transaction(write=False) as session:  # the usual round: nothing to send, no write lock
        waiting = select(Notification.id).where(Notification.email_state.in_(("pending", "sending"))).limit(1)
        if session.scalar(waiting) is None:
            return []
    with db.transaction() as session:
        session.execute(
            update(Notification)
            .where(Notification.email_state == "pending", Notification.created_at < now - MAX_AGE)
            .values(email_state="failed", emailed_at=now)
        )
        query = (
            select(Notification)
            .where(or_(
                Notification.email_state == "pending",
                and_(Notification.email_state == "sending", Notification.emailed_at < now - CLAIM_TIMEOUT),
            ))
            .order_by(Notification.id)
            .limit(limit)
        )
        if db.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = list(session.scalars(query))
        if not rows:
            return []
        users = {u.id: u for u in session.scalars(select(User).where(User.id.in_({r.user_id for r in rows})))}
        secret = _secret_ids(session, rows)
        outgoing = []
        for row in rows:
            user = users.get(row.user_id)
            if user is None or not user.active or not (user.email or "").strip():
                row.email_state, row.emailed_at = "failed", now  # nobody to send it to any more
                continue
            row.email_state, row.emailed_at = "sending", now
            outgoing.append(Outgoing(row.id, compose(row, user, config, secret=row.id in secret, now=now)))
        return outgoing


def _settle(db: Database, notification_id: int, state: str, now: datetime) -> None:
    with db.transaction() as session:
        session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.email_state == "sending")
            .values(email_state=state, emailed_at=now)
        )


def connect(config: SmtpConfig) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        if config.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if config.username:
            smtp.login(config.username, config.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def send_pending(db: Database, config: SmtpConfig, *, now: datetime, limit: int = 50) -> int:
    """Send up to `limit` pending e-mail copies; how many went out."""
    outgoing = claim(db, config, now=now, limit=limit)
    sent = 0
    smtp: smtplib.SMTP | None = None
    try:
        for item in outgoing:
            try:
                if smtp is None:
                    smtp = connect(config)
                smtp.send_message(item.message)
            except (OSError, smtplib.SMTPException) as exc:
                log.warning("e-mail notifikasi #%s gagal / failed: %s", item.notification_id, exc)
                _settle(db, item.notification_id, "failed", now)
                if smtp is not None:
                    smtp.close()  # a broken conversation is not reused for the next message
                    smtp = None
            else:
                _settle(db, item.notification_id, "sent", now)
                sent += 1
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
    return sent
