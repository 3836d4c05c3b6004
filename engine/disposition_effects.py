"""What the disposition diagrams' effects do, run after the step in its transaction.

The BPMN names an effect on a throw event or task (property `effect`); the listener here
turns it into rows: branches and their instances, statuses, reminders and escalations, and
notifications.  A reminder or escalation timer that re-arms (the task came back) finds the
branch already reminded and stays silent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine import audit
from engine.models import Disposition, Letter, Notification, Position, User
from engine.runtime import WorkflowEngine
from engine.runtime_support import Effect, StepEvent

OPEN = ("belum_dibaca", "dibaca", "diteruskan")


def letter_link(letter_id: int) -> str:
    return f"/surat/{letter_id}"


def _notify(session: Session, engine: WorkflowEngine, position_ids: list[int | None], *, kind: str, title: str,
            letter: Letter, instance_id: int | None, at: datetime, exclude: int | None, body: str = "") -> None:
    from engine import notifications

    users = notifications.users_for_positions(session, [p for p in position_ids if p], engine.clock.today())
    notifications.notify(session, users, kind=kind, title=title[:300], body=body, link=letter_link(letter.id),
                         letter_id=letter.id, instance_id=instance_id, at=at, exclude_user_id=exclude,
                         email=notifications.email_enabled(engine))


def _tell(session: Session, engine: WorkflowEngine, task_ids: list[int], position_ids: list[int | None], *,
          kind: str, title: str, letter: Letter, instance_id: int | None, at: datetime, exclude: int | None,
          body: str = "") -> None:
    """Say what happened once: the "new task" notice of the task this effect opened becomes
    this notice (disposition received, report to accept), rather than a second one beside it."""
    if task_ids:
        relabelled = session.execute(
            update(Notification)
            .where(Notification.task_id.in_(task_ids), Notification.kind == "tugas_baru",
                   Notification.read_at.is_(None))
            .values(kind=kind, title=title[:300], body=body, letter_id=letter.id)
            .execution_options(synchronize_session=False)
        ).rowcount
        if relabelled:
            return
    _notify(session, engine, position_ids, kind=kind, title=title, letter=letter, instance_id=instance_id, at=at,
            exclude=exclude, body=body)


def _reminder_at(session: Session, engine: WorkflowEngine, start: datetime, due: datetime) -> datetime:
    from engine.workdays import WorkCalendar

    return WorkCalendar.load(session, engine.clock.tz).reminder_at(start, due)


def send_branches(session: Session, engine: WorkflowEngine, event: StepEvent, effect: Effect,
                  letter: Letter, parent: Disposition | None) -> list[Disposition]:
    """One branch and one `disposisi` instance per recipient."""
    done = event.completed_task
    from_user_id = done.completed_by_id if done is not None and done.completed_by_id else event.actor.user_id
    from_position_id = done.completed_as_position_id if done is not None else event.actor.position_id
    user = session.get(User, from_user_id) if from_user_id else None
    if user is None:
        return []
    position = session.get(Position, from_position_id) if from_position_id else None
    now = event.at
    created = []
    for recipient in effect.data.get("penerima") or []:
        due = datetime.fromisoformat(recipient["batas_waktu"])
        to_position = session.get(Position, int(recipient["jabatan_id"]))
        if to_position is None:
            continue
        branch = Disposition(
            letter_id=letter.id,
            parent_id=parent.id if parent else None,
            depth=(parent.depth + 1) if parent else 1,
            from_user_id=user.id,
            from_position_id=position.id if position else None,
            from_title=(event.actor.position_name or (position.name if position else ""))[:300],
            to_position_id=to_position.id,
            instructions=list(effect.data.get("instruksi") or []),
            note=str(effect.data.get("catatan") or ""),
            due_at=due,
            status="belum_dibaca",
            created_at=now,
        )
        session.add(branch)
        session.flush()
        result = engine.start(
            session,
            "disposisi",
            user=user,
            unit_id=to_position.unit_id,
            position=position,
            data={
                "letter_id": letter.id,
                "disposisi_id": branch.id,
                "hal": letter.hal,
                "jabatan_penerima": to_position.id,
                "jabatan_pengirim": position.id if position else None,
                "batas_waktu": due.isoformat(),
                "pengingat_pada": _reminder_at(session, engine, now, due).isoformat(),
                "instruksi": branch.instructions,
                "catatan": branch.note,
            },
        )
        branch.instance_id = result.instance.id
        result.instance.letter_id = letter.id
        created.append(branch)
        _tell(session, engine, [t.id for t in result.new_tasks], [to_position.id], kind="disposisi",
              title=f"Disposisi: {letter.hal}", letter=letter, instance_id=result.instance.id, at=now,
              exclude=user.id, body="; ".join(branch.instructions) + (f" — {branch.note}" if branch.note else ""))
    if parent is not None:
        parent.status, parent.acted_at = "diteruskan", now
    if letter.status == "menunggu_disposisi" and created:
        letter.status = "didisposisikan"
    letter.updated_at = now
    session.flush()
    return created


def _branch(session: Session, data: dict[str, Any]) -> Disposition | None:
    branch_id = data.get("disposisi_id")
    return session.get(Disposition, branch_id) if isinstance(branch_id, int) else None


def _finish_letter(session: Session, letter: Letter, now: datetime) -> None:
    """The letter is done when every first-level branch is done (or cancelled)."""
    top = list(session.scalars(select(Disposition.status).where(Disposition.letter_id == letter.id,
                                                                 Disposition.parent_id.is_(None))))
    if top and "selesai" in top and all(s in ("selesai", "dibatalkan") for s in top):
        letter.status, letter.updated_at = "selesai", now


def on_step(session: Session, engine: WorkflowEngine, event: StepEvent) -> None:
    """The listener: dispatch each effect of the step by its topic."""
    for effect in event.effects:
        handler = HANDLERS.get(effect.topic)
        if handler is None:
            continue
        letter_id = effect.data.get("letter_id")
        letter = session.get(Letter, letter_id) if isinstance(letter_id, int) else None
        if letter is None:
            continue
        handler(session, engine, event, effect, letter)


def _send(session: Session, engine: WorkflowEngine, event: StepEvent, effect: Effect, letter: Letter) -> None:
    send_branches(session, engine, event, effect, letter, _branch(session, effect.data))


def _archive(session: Session, engine: WorkflowEngine, event: StepEvent, effect: Effect, letter: Letter) -> None:
    letter.status, letter.updated_at = "diarsipkan", event.at


def _reported(session: Session, engine: WorkflowEngine, event: StepEvent, effect: Effect, letter: Letter) -> None:
    branch = _branch(session, effect.data)
    if branch is None:
        return
    branch.status, branch.acted_at = "ditindaklanjuti", event.at
    branch.report = str(effect.data.get("laporan") or "")
    branch.reported_by_id = event.actor.user_id
    _tell(session, engine, [t.id for t in event.new_tasks], [branch.from_position_id], kind="tindak_lanjut",
          title=f"Laporan tindak lanjut: {letter.hal}", letter=letter, instance_id=branch.instance_id,
          at=event.at, exclude=event.actor.user_id, body=branch.report[:500])


def _accepted(session: Session, engine: WorkflowEngine, event: StepEvent, effect: Effect, letter: Letter) -> None:
    branch = _branch(session, effect.data)
    if branch is None:
        return
    branch.status, branch.done_at = "selesai", event.at
    _finish_letter(session, letter, event.at)


def _sent_back(session: Session, engine: WorkflowEngine, event: StepEvent, effect: Effect, letter: Letter) -> None:
    branch = _branch(session, effect.data)
    if branch is None:
        return
    branch.status = "dibaca"
    _tell(session, engine, [t.id for t in event.new_tasks], [branch.to_position_id], kind="tindak_lanjut",
          title=f"Laporan perlu dilengkapi: {letter.hal}", letter=letter, instance_id=branch.instance_id,
          at=event.at, exclude=event.actor.user_id, body=str(effect.data.get("catatan_laporan") or "")[:500])


def _remind(session: Session, engine: WorkflowEngine, event: StepEvent, effect: Effect, letter: Letter) -> None:
    branch = _branch(session, effect.data)
    if branch is None or branch.reminded_at is not None or branch.status not in OPEN:
        return
    branch.reminded_at = event.at
    due = engine.clock.local(branch.due_at).strftime("%d-%m-%Y %H:%M") if branch.due_at else ""
    _notify(session, engine, [branch.to_position_id], kind="pengingat", title=f"Pengingat disposisi: {letter.hal}",
            letter=letter, instance_id=branch.instance_id, at=event.at, exclude=None,
            body=f"Batas waktu {due} {engine.clock.zone_name}")
    audit.record(session, action="disposition.reminded", actor=audit.SYSTEM, instance_id=branch.instance_id,
                 summary=branch.to_position.name, at=event.at)


def _escalate(session: Session, engine: WorkflowEngine, event: StepEvent, effect: Effect, letter: Letter) -> None:
    branch = _branch(session, effect.data)
    if branch is None or branch.escalated_at is not None or branch.status not in OPEN:
        return
    branch.escalated_at = event.at
    superior = branch.to_position.reports_to_id
    _notify(session, engine, [superior, branch.from_position_id], kind="eskalasi",
            title=f"Disposisi lewat batas waktu: {letter.hal}", letter=letter, instance_id=branch.instance_id,
            at=event.at, exclude=None, body=f"{branch.to_position.name} belum menindaklanjuti.")
    audit.record(session, action="disposition.escalated", actor=audit.SYSTEM, instance_id=branch.instance_id,
                 summary=branch.to_position.name, at=event.at)


HANDLERS = {
    "disposisi.kirim": _send,
    "surat.arsipkan": _archive,
    "disposisi.lapor": _reported,
    "disposisi.selesai": _accepted,
    "disposisi.dikembalikan": _sent_back,
    "notifikasi.pengingat": _remind,
    "notifikasi.eskalasi": _escalate,
}
