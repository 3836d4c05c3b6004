"""Background work: due timers and notifications.

Timers are a projection like human tasks: rebuilt from the workflow in the same transaction
as every step, so the worker only ever reads this table to know what is due.  A notification
is written in the step's transaction too; its e-mail copy is sent later by the worker, so a
slow or absent mail server never holds a step.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base, utcnow

NOTIFICATION_KINDS = ("tugas_baru", "disposisi", "pengingat", "eskalasi", "tindak_lanjut", "komentar", "tembusan")


class Timer(Base):
    __tablename__ = "timer"
    __table_args__ = (
        UniqueConstraint("instance_id", "task_guid", name="uq_timer_instance_task"),
        Index("ix_timer_due", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"), index=True)
    task_guid: Mapped[str] = mapped_column(String(36))
    bpmn_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300), default="")
    due_at: Mapped[datetime] = mapped_column()
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class Notification(Base):
    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_user_read", "user_id", "read_at"),
        Index("ix_notification_email_pending", "email_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(300), default="")  # a path inside Lontar
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_task.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column()
    # None: no e-mail wanted; "pending": the worker will send it; "sending" (claimed); "sent" / "failed"
    email_state: Mapped[str | None] = mapped_column(String(10))
    emailed_at: Mapped[datetime | None] = mapped_column()


class NotificationPreference(Base):
    """Per user and kind: in-app (always on) plus e-mail when the Pemda has SMTP configured."""

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    email: Mapped[bool] = mapped_column(Boolean, default=False)
