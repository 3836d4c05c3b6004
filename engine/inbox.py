"""Who may act on what: the inbox query and the check behind every task action.

Both are the same predicate — a ready task whose candidates include a position the user holds
today (definitif or acting), a role the user has in that unit, or the user by name — so the
page and the permission check can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from engine.models import HumanTask, Position, PositionHolder, ProcessInstance, TaskCandidate, UserRole


def held_positions(user_id: int, today: date):  # type: ignore[no-untyped-def]
    return select(PositionHolder.position_id).where(
        PositionHolder.user_id == user_id,
        PositionHolder.valid_from <= today,
        or_(PositionHolder.valid_to.is_(None), PositionHolder.valid_to >= today),
    )


def _candidate_matches(user_id: int, today: date) -> ColumnElement[bool]:
    role_match = exists().where(
        UserRole.user_id == user_id,
        UserRole.role == TaskCandidate.role,
        or_(UserRole.unit_id == TaskCandidate.unit_id, UserRole.unit_id.is_(None)),
    )
    return exists().where(
        TaskCandidate.task_id == HumanTask.id,
        or_(
            TaskCandidate.position_id.in_(held_positions(user_id, today)),
            TaskCandidate.user_id == user_id,
            and_(TaskCandidate.role.is_not(None), role_match),
        ),
    )


def actionable(user_id: int, today: date) -> ColumnElement[bool]:
    return and_(
        HumanTask.status == "ready",
        or_(HumanTask.assignee_id.is_(None), HumanTask.assignee_id == user_id),
        _candidate_matches(user_id, today),
    )


@dataclass(frozen=True)
class InboxItem:
    task_id: int
    instance_id: int
    name: str
    instance_title: str
    process_key: str
    created_at: datetime
    due_at: datetime | None


def inbox(session: Session, user_id: int, today: date, *, limit: int = 200) -> list[InboxItem]:
    rows = session.execute(
        select(
            HumanTask.id,
            HumanTask.instance_id,
            HumanTask.name,
            ProcessInstance.title,
            ProcessInstance.key,
            HumanTask.created_at,
            HumanTask.due_at,
        )
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .where(actionable(user_id, today))
        .order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at.desc())
        .limit(limit)
    ).all()
    return [InboxItem(*row) for row in rows]


def may_act(session: Session, user_id: int, task_id: int, today: date) -> bool:
    return bool(session.scalar(select(exists().where(HumanTask.id == task_id, actionable(user_id, today)))))


def acting_position(session: Session, user_id: int, task_id: int, today: date) -> Position | None:
    """The position in which the user acts on this task: a candidate position they hold,
    else (for role or name candidates) the first position they hold today."""
    candidate = session.scalars(
        select(Position)
        .join(TaskCandidate, TaskCandidate.position_id == Position.id)
        .where(TaskCandidate.task_id == task_id, Position.id.in_(held_positions(user_id, today)))
        .order_by(Position.id)
        .limit(1)
    ).first()
    if candidate is not None:
        return candidate
    return session.scalars(
        select(Position).where(Position.id.in_(held_positions(user_id, today))).order_by(Position.id).limit(1)
    ).first()
