"""Notifications: the one place they are made, read and marked read.

A notification is a row written in the transaction of the step that caused it, so it exists
exactly when the step does (a rolled-back step notifies nobody).  Its e-mail copy is only
*marked* here ("pending"); engine.mailer sends it later, so a slow or absent mail server
never holds a step.

Whom a task reaches is the inbox rule read the other way (engine.inbox: holders of the
candidate positions today, definitif or acting, role holders in the unit, named users, and
everyone's deputies of today), so a person is notified of exactly the tasks that then show
in their inbox.  The actor is never told about their own step.

What a notification shows follows the visibility rule *now*: when the task went to someone
else and the person can no longer see the instance (engine.access), the list keeps the row
but withholds its title, so a notification never outlives the right to read the letter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import exists, func, literal, or_, select, union, update
from sqlalchemy.orm import Session

from engine import messages
from engine.access import instance_visible
from engine.errors import NotFound
from engine.inbox import deputies_of, holders_of, role_holders
from engine.models import NOTIFICATION_KINDS, Notification, NotificationPreference, ProcessInstance, User
from engine.runtime_support import StepEvent

TITLE_LENGTH = 300
LINK_LENGTH = 300

messages.register(
    {
        "notification.kind.tugas_baru": ("Tugas baru", "New task"),
        "notification.kind.disposisi": ("Disposisi", "Disposition"),
        "notification.kind.pengingat": ("Pengingat", "Reminder"),
        "notification.kind.eskalasi": ("Eskalasi", "Escalation"),
        "notification.kind.tindak_lanjut": ("Tindak lanjut", "Follow-up"),
        "notification.kind.komentar": ("Komentar", "Comment"),
        "notification.kind.tembusan": ("Tembusan", "Copy"),
    }
)


def kind_label(kind: str, lang: str = messages.DEFAULT_LANG) -> str:
    return messages.text(f"notification.kind.{kind}", lang)


# -- whom to tell ------------------------------------------------------------------------------


class CandidateLike(Protocol):
    position_id: int | None
    role: str | None
    unit_id: int | None
    user_id: int | None


def users_for_positions(session: Session, position_ids: Iterable[int], today: date) -> set[int]:
    """Holders of the positions today (incl. Plt/Plh) and their deputies by delegation."""
    ids = sorted(set(position_ids))
    if not ids:
        return set()
    holders = holders_of(ids, today)
    return set(session.scalars(union(holders, deputies_of(holders, today))))


def users_for_candidates(session: Session, candidates: Iterable[CandidateLike], today: date,
                         *, assignee_id: int | None = None) -> set[int]:
    """Everyone a task with these candidates reaches today (engine.inbox read the other way)."""
    candidates = list(candidates)
    positions = sorted({c.position_id for c in candidates if c.position_id is not None})
    parts: list[Any] = []
    if positions:
        parts.append(holders_of(positions, today))
    for role, unit_id in sorted({(c.role, c.unit_id) for c in candidates if c.role is not None},
                                key=lambda pair: (pair[0], pair[1] or 0)):
        parts.append(role_holders(role, unit_id))
    named = {c.user_id for c in candidates if c.user_id is not None}
    if assignee_id is not None:
        named.add(assignee_id)
    parts.extend(select(literal(user_id)) for user_id in sorted(named))
    if not parts:
        return set()
    direct = union(*parts).subquery()
    reached = union(select(direct.c[0]), deputies_of(select(direct.c[0]), today))
    return set(session.scalars(reached))


# -- making them -------------------------------------------------------------------------------


def notify(
    session: Session,
    user_ids: Iterable[int],
    *,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    letter_id: int | None = None,
    instance_id: int | None = None,
    task_id: int | None = None,
    at: datetime,
    exclude_user_id: int | None = None,
    email: bool = True,
) -> list[Notification]:
    """One notification per active user (once each), none for `exclude_user_id` (the actor).

    The e-mail copy is marked "pending" when the user asked for e-mail for this kind and has
    an address, and `email` says the installation sends e-mail at all (pass
    `email_enabled(engine)`); otherwise email_state stays None, so an installation without
    SMTP never piles up mail it will not send.
    """
    if kind not in NOTIFICATION_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if link and not is_internal(link):
        raise ValueError(f"a notification links inside Lontar only, not to {link!r}")
    wanted = sorted({int(u) for u in user_ids} - {exclude_user_id})
    if not wanted:
        return []
    users = session.execute(
        select(User.id, User.email).where(User.id.in_(wanted), User.active.is_(True)).order_by(User.id)
    ).all()
    by_email: set[int] = set()
    if email:
        by_email = set(session.scalars(select(NotificationPreference.user_id).where(
            NotificationPreference.user_id.in_(wanted),
            NotificationPreference.kind == kind,
            NotificationPreference.email.is_(True),
        )))
    rows = [
        Notification(
            user_id=user_id,
            kind=kind,
            title=title[:TITLE_LENGTH],
            body=body,
            link=link,
            letter_id=letter_id,
            instance_id=instance_id,
            task_id=task_id,
            created_at=at,
            email_state="pending" if user_id in by_email and (address or "").strip() else None,
        )
        for user_id, address in users
    ]
    session.add_all(rows)
    session.flush()
    return rows


def is_internal(link: str) -> bool:
    """A path inside Lontar: no scheme, no host, no protocol-relative `//`, no backslash."""
    return (link.startswith("/") and not link.startswith("//") and "\\" not in link
            and len(link) <= LINK_LENGTH and all(c.isprintable() and not c.isspace() for c in link))


def task_link(task_id: int) -> str:
    return f"/tasks/{task_id}"  # webapp.views.tasks


def _actor_text(event: StepEvent) -> str:
    actor = event.actor
    text = actor.name
    if actor.position_name:
        text += f" · {actor.position_name}"
    if actor.on_behalf_of:
        text += f" (a.n. {actor.on_behalf_of})"
    return text


def on_step(session: Session, engine: Any, event: StepEvent, *, email: bool | None = None) -> None:
    """The runtime listener: tell the people each new task reaches ("tugas_baru").

    A task completed in this step settles its "tugas_baru" notifications for everyone it was
    addressed to: the task is gone from their inbox, so the bell stops counting it.
    """
    if email is None:
        email = email_enabled(engine)
    if event.completed_task is not None:
        session.execute(
            update(Notification)
            .where(Notification.task_id == event.completed_task.id, Notification.kind == "tugas_baru",
                   Notification.read_at.is_(None))
            .values(read_at=event.at)
        )
    if not event.new_tasks:
        return
    today = engine.clock.today()
    instance = event.instance
    body = _actor_text(event)
    for task in event.new_tasks:
        users = users_for_candidates(session, task.candidates, today, assignee_id=task.assignee_id)
        title = f"{task.name}: {instance.title}" if instance.title else task.name
        notify(session, users, kind="tugas_baru", title=title, body=body, link=task_link(task.id),
               instance_id=instance.id, task_id=task.id, at=event.at, exclude_user_id=event.actor.user_id,
               email=email)


class StepNotifier:
    """`on_step` with the installation's e-mail switch, as registered on an engine."""

    def __init__(self, *, email: bool) -> None:
        self.email = email

    def __call__(self, session: Session, engine: Any, event: StepEvent) -> None:
        on_step(session, engine, event, email=self.email)


def install(engine: Any, *, email: bool) -> None:
    """Register the step listener on an engine, once (a test engine may serve two apps)."""
    engine.listeners[:] = [lst for lst in engine.listeners if not isinstance(lst, StepNotifier)]
    engine.listeners.append(StepNotifier(email=email))


def email_enabled(engine: Any) -> bool:
    """Whether the engine's installation sends e-mail copies (SMTP configured, see `install`)."""
    return any(isinstance(lst, StepNotifier) and lst.email for lst in getattr(engine, "listeners", []))


# -- reading and marking -----------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationView:
    """One notification as a page shows it: `withheld` when its instance is no longer visible."""

    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None
    withheld: bool

    @property
    def unread(self) -> bool:
        return self.read_at is None


def unread_count(session: Session, user_id: int) -> int:
    """One indexed COUNT (ix_notification_user_read): cheap enough for every page's header."""
    return session.scalar(
        select(func.count()).select_from(Notification).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    ) or 0


def _visible(user_id: int, today: date):  # type: ignore[no-untyped-def]
    """Whether the notification's instance (if any) is visible to the user today."""
    return or_(Notification.instance_id.is_(None), exists().where(
        ProcessInstance.id == Notification.instance_id, instance_visible(user_id, today)
    ))


def recent(session: Session, user_id: int, limit: int = 50, only_unread: bool = False, *,
           today: date) -> list[NotificationView]:
    """The user's notifications, newest first; titles of ones they may no longer see withheld."""
    query = (
        select(Notification, _visible(user_id, today).label("visible"))
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    if only_unread:
        query = query.where(Notification.read_at.is_(None))
    views = []
    for row, visible in session.execute(query):
        views.append(NotificationView(
            row.id, row.kind, row.title if visible else "", row.body if visible else "",
            row.link if visible else "", row.created_at, row.read_at, not visible,
        ))
    return views


def own(session: Session, user_id: int, notification_id: int) -> Notification:
    """The user's own notification; anyone else's is NotFound, exactly like a missing one."""
    row = session.get(Notification, notification_id)
    if row is None or row.user_id != user_id:
        raise NotFound()
    return row


def open_target(session: Session, user_id: int, notification_id: int, today: date) -> str | None:
    """Where opening the notification leads: its link, unless withheld or not internal."""
    row = own(session, user_id, notification_id)
    visible = session.scalar(select(_visible(user_id, today)).where(Notification.id == row.id))
    return row.link if visible and row.link and is_internal(row.link) else None


def mark_read(session: Session, user_id: int, notification_id: int, *, at: datetime) -> Notification:
    row = own(session, user_id, notification_id)
    if row.read_at is None:
        row.read_at = at
        session.flush()
    return row


def mark_all_read(session: Session, user_id: int, *, at: datetime) -> int:
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=at)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def preferences(session: Session, user_id: int) -> dict[str, bool]:
    """E-mail wanted per kind; in-app notifications are always on.  Default: no e-mail."""
    chosen = {kind: email for kind, email in session.execute(
        select(NotificationPreference.kind, NotificationPreference.email).where(
            NotificationPreference.user_id == user_id))}
    return {kind: bool(chosen.get(kind, False)) for kind in NOTIFICATION_KINDS}


def set_preferences(session: Session, user_id: int, email: Mapping[str, bool]) -> dict[str, bool]:
    """Set e-mail per kind (kinds not given keep their setting); returns the whole set."""
    unknown = set(email) - set(NOTIFICATION_KINDS)
    if unknown:
        raise ValueError(f"unknown notification kinds: {sorted(unknown)}")
    existing = {p.kind: p for p in session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user_id))}
    for kind, wanted in email.items():
        row = existing.get(kind)
        if row is None:
            session.add(NotificationPreference(user_id=user_id, kind=kind, email=bool(wanted)))
        else:
            row.email = bool(wanted)
    session.flush()
    return preferences(session, user_id)
