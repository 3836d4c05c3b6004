"""The history of an instance as people read it: who did what, when, in which capacity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import messages
from engine.models import AuditEvent, HumanTask, Position, Unit, User

messages.register(
    {
        "history.instance.started": ("Memulai proses", "Started the process"),
        "history.task.completed": ("Menyelesaikan: {summary}", "Completed: {summary}"),
        "history.step.completed": ("Langkah otomatis: {summary}", "Automatic step: {summary}"),
        "history.instance.completed": ("Proses selesai", "Process finished"),
        "history.instance.cancelled": ("Proses dibatalkan: {summary}", "Process cancelled: {summary}"),
        "history.instance.error": ("Langkah gagal: {summary}", "Step failed: {summary}"),
        "history.letter.registered": ("Meregistrasi surat masuk, agenda {summary}", "Registered the letter, agenda {summary}"),
        "history.disposition.read": ("Disposisi dibaca oleh {summary}", "Disposition read by {summary}"),
        "history.disposition.reminded": ("Pengingat dikirim kepada {summary}", "Reminder sent to {summary}"),
        "history.disposition.escalated": (
            "Lewat batas waktu: {summary} belum menindaklanjuti, atasan diberi tahu",
            "Overdue: {summary} has not acted, the superior was told",
        ),
        "history.timer.fired": ("Pewaktu berjalan", "A timer fired"),
    }
)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor_name: str
    actor_position: str
    action: str
    summary: str
    values: dict[str, Any]

    def label(self, lang: str = messages.DEFAULT_LANG) -> str:
        return messages.text(f"history.{self.action}", lang, summary=self.summary)


def timeline(session: Session, instance_id: int) -> list[TimelineEntry]:
    rows = session.scalars(
        select(AuditEvent).where(AuditEvent.instance_id == instance_id).order_by(AuditEvent.seq)
    ).all()
    return [
        TimelineEntry(r.at, r.actor_name, r.actor_position, r.action, r.summary, dict(r.after or {}))
        for r in rows
    ]


@dataclass(frozen=True)
class OpenTask:
    task_id: int
    name: str
    created_at: datetime
    due_at: datetime | None
    waiting_for: list[str]


def open_tasks(session: Session, instance_id: int) -> list[OpenTask]:
    """Who the instance waits for, in words: position names, roles with their unit, users."""
    result: list[OpenTask] = []
    for task in session.scalars(
        select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.status == "ready").order_by(HumanTask.id)
    ):
        who: list[str] = []
        for c in task.candidates:
            if c.position_id:
                position = session.get(Position, c.position_id)
                who.append(position.name if position else f"#{c.position_id}")
            elif c.user_id:
                user = session.get(User, c.user_id)
                who.append(user.name if user else f"#{c.user_id}")
            elif c.role:
                unit = session.get(Unit, c.unit_id) if c.unit_id else None
                who.append(f"{c.role} — {unit.name}" if unit else c.role)
        result.append(OpenTask(task.id, task.name, task.created_at, task.due_at, who))
    return result


@dataclass(frozen=True)
class PreviousStep:
    """The step completed just before a task became ready, and what was submitted there."""

    name: str
    actor_name: str
    completed_at: datetime
    submitted: dict[str, Any]


def previous_step(session: Session, task: HumanTask) -> PreviousStep | None:
    row = session.execute(
        select(HumanTask.name, User.name, HumanTask.completed_at, HumanTask.submitted)
        .join(User, User.id == HumanTask.completed_by_id)
        .where(
            HumanTask.instance_id == task.instance_id,
            HumanTask.status == "completed",
            HumanTask.completed_at <= task.created_at,
        )
        .order_by(HumanTask.completed_at.desc(), HumanTask.id.desc())
        .limit(1)
    ).first()
    return PreviousStep(row[0], row[1], row[2], dict(row[3] or {})) if row else None
