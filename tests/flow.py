"""Driving the nota dinas flow through the engine API, as the web layer does."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from engine.db import Database
from engine.inbox import inbox
from engine.models import HumanTask, ProcessInstance, User
from engine.organisation import positions_of, skpd_of
from engine.runtime import StepResult, WorkflowEngine


def get_user(session, username: str) -> User:  # type: ignore[no-untyped-def]
    return session.scalars(select(User).where(User.username == username)).one()


def start(db: Database, engine: WorkflowEngine, username: str = "budi", key: str = "nota_dinas") -> int:
    with db.transaction() as session:
        starter = get_user(session, username)
        position = positions_of(session, starter.id, engine.clock.today())[0]
        result = engine.start(session, key, user=starter, unit_id=skpd_of(session, position.unit_id), position=position)
        return result.instance.id


def inbox_of(db: Database, engine: WorkflowEngine, username: str) -> list[tuple[int, str, int]]:
    with db.transaction(write=False) as session:
        person = get_user(session, username)
        return [(i.task_id, i.name, i.instance_id) for i in inbox(session, person.id, engine.clock.today())]


def task_in_inbox(db: Database, engine: WorkflowEngine, username: str, instance_id: int) -> int:
    mine = [t for t in inbox_of(db, engine, username) if t[2] == instance_id]
    assert mine, f"{username} has no task of instance {instance_id}"
    return mine[0][0]


def act(db: Database, engine: WorkflowEngine, username: str, instance_id: int, data: dict[str, Any]) -> StepResult:
    task_id = task_in_inbox(db, engine, username, instance_id)
    with db.transaction() as session:
        return engine.complete(session, task_id, user=get_user(session, username), data=data)


DRAFT = {"tujuan": "Kepala Dinas", "perihal": "Rapat koordinasi", "isi": "Mohon hadir."}
APPROVE = {"keputusan": "setujui", "catatan": ""}


def give_back(note: str) -> dict[str, str]:
    return {"keputusan": "kembalikan", "catatan": note}


def instance_row(db: Database, instance_id: int) -> ProcessInstance:
    with db.transaction(write=False) as session:
        return session.get(ProcessInstance, instance_id, options=[joinedload(ProcessInstance.version)])


def tasks_of(db: Database, instance_id: int) -> list[HumanTask]:
    with db.transaction(write=False) as session:
        return list(session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id).order_by(HumanTask.id)))
