"""Who may act on what: the inbox query and the check behind every task action.

Both are the same predicate, so the page and the permission check can never disagree.  A
user acts for themselves and, during a delegation, for each principal who named them deputy.
A ready task is theirs when it is not claimed by someone else and one of its candidates is
a position one of them holds today (definitif or acting), a role one of them has in that
unit, or one of them by name.  People are joined here, at query time, never stored on tasks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, exists, literal, or_, select, union
from sqlalchemy.orm import Session

from engine.models import (
    Delegation,
    HumanTask,
    Position,
    PositionHolder,
    ProcessInstance,
    TaskCandidate,
    User,
    UserRole,
)

ACTING_PREFIX = {"plt": "Plt.", "plh": "Plh.", "pj": "Pj.", "pjs": "Pjs."}


def _delegation_current(today: date) -> ColumnElement[bool]:
    return and_(Delegation.valid_from <= today, Delegation.valid_to >= today, Delegation.revoked_at.is_(None))


def _holding_current(today: date) -> ColumnElement[bool]:
    return and_(
        PositionHolder.valid_from <= today,
        or_(PositionHolder.valid_to.is_(None), PositionHolder.valid_to >= today),
    )


def principals(user_id: int, today: date) -> Select[tuple[int]]:
    """Users whose inbox this user works today as their deputy."""
    return select(Delegation.principal_id).where(Delegation.deputy_id == user_id, _delegation_current(today))


def acting_for(user_id: int, today: date):  # type: ignore[no-untyped-def]
    """The user and the principals they deputise for today."""
    return union(select(literal(user_id)), principals(user_id, today))


def _holdings(users, today: date):  # type: ignore[no-untyped-def]
    return select(PositionHolder.position_id).where(PositionHolder.user_id.in_(users), _holding_current(today))


def held_positions(user_id: int, today: date):  # type: ignore[no-untyped-def]
    """Positions the user holds themselves today (not through a delegation)."""
    return _holdings(select(literal(user_id)), today)


def positions_worked(user_id: int, today: date):  # type: ignore[no-untyped-def]
    """Positions the user holds today, themselves or as the deputy of a principal."""
    return _holdings(acting_for(user_id, today), today)


def _candidate_matches(user_id: int, today: date) -> ColumnElement[bool]:
    users = acting_for(user_id, today)
    role_match = exists().where(
        UserRole.user_id.in_(users),
        UserRole.role == TaskCandidate.role,
        or_(UserRole.unit_id == TaskCandidate.unit_id, UserRole.unit_id.is_(None)),
    )
    return exists().where(
        TaskCandidate.task_id == HumanTask.id,
        or_(
            TaskCandidate.position_id.in_(_holdings(users, today)),
            TaskCandidate.user_id.in_(users),
            and_(TaskCandidate.role.is_not(None), role_match),
        ),
    )


def actionable(user_id: int, today: date) -> ColumnElement[bool]:
    users = acting_for(user_id, today)
    return and_(
        HumanTask.status == "ready",
        or_(
            and_(HumanTask.assignee_id.is_(None), _candidate_matches(user_id, today)),
            HumanTask.assignee_id.in_(users),
        ),
    )


def candidate_of(user_id: int, today: date) -> ColumnElement[bool]:
    """A candidate of a ready task whoever holds it now (may claim it back, see it claimed)."""
    return and_(HumanTask.status == "ready", _candidate_matches(user_id, today))


# -- the same rule read the other way: whom a task reaches (engine.notifications) ------------


def holders_of(position_ids: list[int], today: date) -> Select[tuple[int]]:
    """Users holding one of the positions today, definitif or acting (Plt/Plh/Pj/Pjs)."""
    return select(PositionHolder.user_id).where(PositionHolder.position_id.in_(position_ids), _holding_current(today))


def deputies_of(user_ids, today: date) -> Select[tuple[int]]:  # type: ignore[no-untyped-def]
    """Users who work the inbox of one of `user_ids` (a list or a subquery) today as deputy."""
    return select(Delegation.deputy_id).where(Delegation.principal_id.in_(user_ids), _delegation_current(today))


def role_holders(role: str, unit_id: int | None) -> Select[tuple[int]]:
    """Users with the role in the unit, or Pemda-wide (no unit): `_candidate_matches`'s role rule."""
    unit_match = UserRole.unit_id.is_(None) if unit_id is None else or_(UserRole.unit_id == unit_id,
                                                                         UserRole.unit_id.is_(None))
    return select(UserRole.user_id).where(UserRole.role == role, unit_match)


@dataclass(frozen=True)
class InboxItem:
    task_id: int
    instance_id: int
    name: str
    instance_title: str
    process_key: str
    created_at: datetime
    due_at: datetime | None
    assignee_id: int | None
    delegation_state: str | None


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
            HumanTask.assignee_id,
            HumanTask.delegation_state,
        )
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .where(actionable(user_id, today))
        .order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at.desc())
        .limit(limit)
    ).all()
    return [InboxItem(*row) for row in rows]


def may_act(session: Session, user_id: int, task_id: int, today: date) -> bool:
    return bool(session.scalar(select(exists().where(HumanTask.id == task_id, actionable(user_id, today)))))


@dataclass(frozen=True)
class Capacity:
    """In which position, and for whom, a user acts on one task."""

    position: Position | None
    kind: str  # definitif, plt, plh, pj, pjs ("" when acting by role or name)
    on_behalf_of: User | None  # the principal, when acting as deputy

    @property
    def title(self) -> str:
        if self.position is None:
            return ""
        prefix = ACTING_PREFIX.get(self.kind)
        return f"{prefix} {self.position.name}" if prefix else self.position.name


def capacity(session: Session, user_id: int, task_id: int, today: date) -> Capacity:
    """Own holdings first; then a principal's, when the user is their deputy."""
    for holder_id in [user_id, *session.scalars(principals(user_id, today))]:
        row = session.execute(
            select(Position, PositionHolder.kind)
            .join(PositionHolder, PositionHolder.position_id == Position.id)
            .join(TaskCandidate, TaskCandidate.position_id == Position.id)
            .where(
                TaskCandidate.task_id == task_id,
                PositionHolder.user_id == holder_id,
                PositionHolder.valid_from <= today,
                or_(PositionHolder.valid_to.is_(None), PositionHolder.valid_to >= today),
            )
            .order_by(Position.id)
            .limit(1)
        ).first()
        if row is not None:
            principal = session.get(User, holder_id) if holder_id != user_id else None
            return Capacity(row[0], row[1], principal)
    own = session.execute(
        select(Position, PositionHolder.kind)
        .join(PositionHolder, PositionHolder.position_id == Position.id)
        .where(
            PositionHolder.user_id == user_id,
            PositionHolder.valid_from <= today,
            or_(PositionHolder.valid_to.is_(None), PositionHolder.valid_to >= today),
        )
        .order_by(PositionHolder.kind != "definitif", Position.id)
        .limit(1)
    ).first()
    return Capacity(own[0], own[1], None) if own else Capacity(None, "", None)
