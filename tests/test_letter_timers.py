"""Reminders and escalations of disposition branches, fired by the worker on a moved clock."""

from __future__ import annotations

from sqlalchemy import func, select

from engine import disposition, worker
from engine.models import AuditEvent, Notification, Timer
from tests.flow import get_user
from tests.letters_world import branches, choice, open_task, position_id, prepare, register

SARI = "DISKOMINFO.APTIKA.KABID"


def notes(db, username: str, kind: str) -> list[Notification]:  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        uid = get_user(session, username).id
        return list(session.scalars(select(Notification).where(Notification.user_id == uid, Notification.kind == kind)))


def test_reminder_before_due_then_escalation_to_the_superior_each_once(org, engine) -> None:
    clock = prepare(org, engine)
    letter_id = register(org, engine, urgensi="segera")  # Monday 09:00 WIB: due Wednesday 09:00
    with org.transaction() as session:
        disposition.dispose(session, engine, open_task(org, letter_id, "lontar.disposisi"),
                            user=get_user(session, "agus"), choice=choice(position_id(org, SARI)))
    branch = branches(org, letter_id)[0]
    with org.transaction(write=False) as session:
        due = sorted(t.due_at for t in session.scalars(select(Timer).where(Timer.instance_id == branch.instance_id)))
    assert len(due) == 2 and due[1] == branch.due_at  # the reminder, then the due date itself

    assert worker.run_once(org, engine).fired == []  # nothing is due yet
    assert notes(org, "sari", "pengingat") == []

    clock.advance(hours=25)  # Tuesday 10:00: past the reminder, before the due date
    worker.run_once(org, engine)
    assert len(notes(org, "sari", "pengingat")) == 1
    assert notes(org, "agus", "eskalasi") == []
    assert open_task(org, letter_id, "lontar.tindak_lanjut", SARI)  # the reminder does not take the task away

    clock.advance(hours=24)  # Wednesday 10:00: overdue
    worker.run_once(org, engine)
    assert len(notes(org, "agus", "eskalasi")) == 1  # the Kadis is Sari's superior (and the disposer)
    assert branches(org, letter_id)[0].escalated_at is not None

    # Forwarding brings the task back with its timers already past: they fire, but nobody is
    # reminded or escalated twice.
    with org.transaction() as session:
        disposition.dispose(session, engine, open_task(org, letter_id, "lontar.tindak_lanjut", SARI),
                            user=get_user(session, "sari"),
                            choice=choice(position_id(org, "DISKOMINFO.APTIKA.PRANATA")))
    clock.advance(minutes=1)
    worker.run_once(org, engine)
    worker.run_once(org, engine)
    assert len(notes(org, "sari", "pengingat")) == 1
    assert len(notes(org, "agus", "eskalasi")) == 1
    with org.transaction(write=False) as session:
        fired = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "timer.fired"))
    assert fired >= 2


def test_a_branch_reported_in_time_leaves_no_timer_behind(org, engine) -> None:
    clock = prepare(org, engine)
    letter_id = register(org, engine, urgensi="biasa")
    with org.transaction() as session:
        disposition.dispose(session, engine, open_task(org, letter_id, "lontar.disposisi"),
                            user=get_user(session, "agus"), choice=choice(position_id(org, SARI)))
    with org.transaction() as session:
        disposition.report(session, engine, open_task(org, letter_id, "lontar.tindak_lanjut", SARI),
                           user=get_user(session, "sari"), text="Sudah dikerjakan")
    with org.transaction(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Timer)) == 0
    clock.advance(days=30)
    assert worker.run_once(org, engine).fired == []
    assert notes(org, "sari", "pengingat") == [] and notes(org, "agus", "eskalasi") == []
