"""Two people completing the same task at the same moment: exactly one wins."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from engine.errors import ConcurrentUpdate, TaskAlreadyCompleted
from engine.models import AuditEvent, HumanTask, Position, PositionHolder, User
from engine.passwords import hash_password
from engine.runtime import EngineConfig, WorkflowEngine
from tests.flow import DRAFT, act, get_user, start, task_in_inbox
from tests.race import race


def _second_holder(db) -> None:  # type: ignore[no-untyped-def]
    """Tono is Plh of the Kabid position, so the review reaches Sari and Tono alike."""
    with db.transaction() as session:
        tono = User(username="tono", name="Tono Plh", password_hash=hash_password("x"))
        session.add(tono)
        session.flush()
        kabid = session.scalars(select(Position).where(Position.name == "Kepala Bidang Aplikasi Informatika")).one()
        session.add(PositionHolder(position_id=kabid.id, user_id=tono.id, kind="plh", valid_from=date(2026, 1, 1)))


def _race(db, engine: WorkflowEngine, task_id: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    def complete(session, user) -> None:  # type: ignore[no-untyped-def]
        engine.complete(session, task_id, user=user, data={"keputusan": "setujui", "catatan": user.username})

    return race(db, engine, complete)


def _completions(db, instance_id: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        done = session.scalar(select(func.count()).select_from(HumanTask).where(
            HumanTask.instance_id == instance_id, HumanTask.bpmn_id == "periksa_atasan",
            HumanTask.status == "completed"))
        audited = session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.instance_id == instance_id, AuditEvent.bpmn_id == "periksa_atasan",
            AuditEvent.action == "task.completed"))
        return done, audited


def test_simultaneous_completion_one_wins_other_told_who(deployed, engine):
    """Both threads are held at a barrier between loading the instance and writing it.

    With the lock (SELECT ... FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite) the second
    thread cannot even load until the first commits, so the barrier times out for the first,
    which writes; the second then finds the task completed and is told by whom.  Remove the
    lock (EngineConfig(row_locks=False) on PostgreSQL, or plain BEGIN on SQLite) and both pass
    the barrier with the same state: the loser then fails the version check with a generic
    ConcurrentUpdate instead, and this test fails on `TaskAlreadyCompleted`.
    """
    _second_holder(deployed)
    instance_id = start(deployed, engine)
    act(deployed, engine, "budi", instance_id, DRAFT)
    task_id = task_in_inbox(deployed, engine, "sari", instance_id)

    outcome = _race(deployed, engine, task_id)

    winners = [name for name, result in outcome.items() if result == "ok"]
    losers = {name: result for name, result in outcome.items() if result != "ok"}
    assert len(winners) == 1, outcome
    (loser, error), = losers.items()
    assert isinstance(error, TaskAlreadyCompleted), outcome
    winner_name = {"sari": "Sari Wulandari, S.T., M.T.", "tono": "Tono Plh"}[winners[0]]
    assert winner_name in error.message()
    assert _completions(deployed, instance_id) == (1, 1)


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_version_check_alone_stops_a_lost_update(deployed, form_library):
    """Row locks off: both threads load the same state and pass the barrier together.

    The optimistic check (version column on the instance row) lets the first write through
    and turns the second into ConcurrentUpdate with nothing written.  Without the version
    column both writes succeed and the review is recorded twice — this test then fails.
    """
    engine = WorkflowEngine(form_exists=lambda k: k in form_library, config=EngineConfig(row_locks=False))
    _second_holder(deployed)
    instance_id = start(deployed, engine)
    act(deployed, engine, "budi", instance_id, DRAFT)
    task_id = task_in_inbox(deployed, engine, "sari", instance_id)

    outcome = _race(deployed, engine, task_id)

    assert sorted(type(r).__name__ if r != "ok" else "ok" for r in outcome.values()) == ["ConcurrentUpdate", "ok"]
    assert any(isinstance(r, ConcurrentUpdate) for r in outcome.values())
    assert _completions(deployed, instance_id) == (1, 1)


def test_second_click_is_refused_and_changes_nothing(deployed, engine):
    instance_id = start(deployed, engine)
    act(deployed, engine, "budi", instance_id, DRAFT)
    task_id = task_in_inbox(deployed, engine, "sari", instance_id)
    with deployed.transaction() as session:
        engine.complete(session, task_id, user=get_user(session, "sari"), data={"keputusan": "setujui", "catatan": ""})
    with pytest.raises(TaskAlreadyCompleted) as refused, deployed.transaction() as session:
        engine.complete(session, task_id, user=get_user(session, "sari"), data={"keputusan": "kembalikan", "catatan": "x"})
    assert "Sari Wulandari" in refused.value.message()
    assert _completions(deployed, instance_id) == (1, 1)
