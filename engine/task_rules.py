"""Who may do what with one open task, besides completing it: the rules behind claim, delegate
and reassign, and what the task page shows about them.

- Claim: a candidate of a ready task that nobody holds (engine.inbox.candidate_of).
- Delegate ("delegasi ke bawahan"): a person who may act on the task hands it to someone who
  holds today (definitif or acting) a position that reports, directly or further down, to the
  position in which the owner acts on this task, within the same SKPD, and whose account is
  active.  Acting by role or by name without a position gives nobody to delegate to.
- Reassign: an admin whose scope covers the instance's unit (engine.access.administers_instance:
  UserRole "admin" with unit None = the whole Pemda, or a unit = that unit's subtree); the new
  assignee must hold a position today somewhere in the instance unit's subtree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from engine.access import administers_instance
from engine.inbox import acting_for, candidate_of, capacity, may_act
from engine.models import (
    AuditEvent,
    HumanTask,
    Position,
    PositionHolder,
    ProcessInstance,
    Unit,
    User,
)
from engine.organisation import skpd_of


def me_and_principals(session: Session, user_id: int, today: date) -> set[int]:
    """The user and everyone they deputise for today."""
    return set(session.scalars(acting_for(user_id, today)))


def is_candidate(session: Session, user_id: int, task_id: int, today: date) -> bool:
    return bool(session.scalar(select(exists().where(HumanTask.id == task_id, candidate_of(user_id, today)))))


def _holding_today(today: date):  # type: ignore[no-untyped-def]
    return (
        PositionHolder.valid_from <= today,
        or_(PositionHolder.valid_to.is_(None), PositionHolder.valid_to >= today),
    )


def subordinate_positions(session: Session, position: Position) -> list[int]:
    """Positions reporting to `position`, directly or further down, in the same SKPD."""
    skpd = skpd_of(session, position.unit_id)
    found: list[int] = []
    seen, frontier = {position.id}, [position.id]
    while frontier:
        rows = session.execute(select(Position.id, Position.unit_id).where(Position.reports_to_id.in_(frontier))).all()
        frontier = []
        for position_id, unit_id in rows:
            if position_id in seen:
                continue
            seen.add(position_id)
            frontier.append(position_id)
            if skpd_of(session, unit_id) == skpd:
                found.append(position_id)
    return found


def allowed_delegates(session: Session, task_id: int, user: User, today: date) -> list[User]:
    """Who `user` may hand this task to: active holders of positions under theirs (see module doc)."""
    acting = capacity(session, user.id, task_id, today)
    if acting.position is None:
        return []
    below = subordinate_positions(session, acting.position)
    if not below:
        return []
    holders = select(PositionHolder.user_id).where(PositionHolder.position_id.in_(below), *_holding_today(today))
    return list(
        session.scalars(
            select(User).where(User.id.in_(holders), User.active.is_(True), User.id != user.id).order_by(User.name)
        )
    )


def unit_subtree(session: Session, unit_id: int) -> set[int]:
    found, frontier = {unit_id}, [unit_id]
    while frontier:
        frontier = [u for u in session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))) if u not in found]
        found.update(frontier)
    return found


def reassign_targets(session: Session, instance: ProcessInstance, today: date) -> list[User]:
    """Active users holding a position today in the instance's unit or below it."""
    holders = select(PositionHolder.user_id).where(*_holding_today(today))
    if instance.unit_id is not None:
        units = unit_subtree(session, instance.unit_id)
        holders = holders.join(Position, Position.id == PositionHolder.position_id).where(Position.unit_id.in_(units))
    return list(session.scalars(select(User).where(User.id.in_(holders), User.active.is_(True)).order_by(User.name)))


def last_event(session: Session, task: HumanTask, action: str) -> AuditEvent | None:
    return session.scalars(
        select(AuditEvent)
        .where(AuditEvent.instance_id == task.instance_id, AuditEvent.task_guid == task.task_guid,
               AuditEvent.action == action)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()


def may_view_task(session: Session, task: HumanTask, user: User, today: date) -> bool:
    """Whether the task page opens for `user` (the same answer as `standing(...).may_view`)."""
    if task.status != "ready":
        return False
    if may_act(session, user.id, task.id, today) or is_candidate(session, user.id, task.id, today):
        return True
    if task.delegation_state is not None:
        mine = me_and_principals(session, user.id, today)
        if task.owner_id in mine:
            return True
        answer = last_event(session, task, "task.returned_to_owner")
        if answer is not None and answer.actor_id in mine:
            return True
    return administers_instance(session, user.id, task.instance_id)


@dataclass(frozen=True)
class Standing:
    """What one person may do with one ready task, and what the page tells them about it."""

    may_submit: bool = False
    may_claim: bool = False
    may_unclaim: bool = False
    may_delegate: bool = False
    may_recall: bool = False
    may_reassign: bool = False
    is_candidate: bool = False
    answered_by_me: bool = False  # my answer as delegate waits for the owner
    assignee: User | None = None
    owner: User | None = None
    delegation_note: str = ""
    returned_by: str = ""  # the delegate whose answer is pending
    delegates: list[User] = field(default_factory=list)
    reassign_targets: list[User] = field(default_factory=list)

    @property
    def may_view(self) -> bool:
        return (self.may_submit or self.is_candidate or self.may_recall or self.may_reassign
                or self.answered_by_me)


def standing(session: Session, task: HumanTask, user: User, today: date) -> Standing:
    if task.status != "ready":
        return Standing()
    mine = me_and_principals(session, user.id, today)
    acts = may_act(session, user.id, task.id, today)
    delegated = task.delegation_state == "delegated"
    returned = task.delegation_state == "returned"
    candidate = is_candidate(session, user.id, task.id, today)
    delegates = allowed_delegates(session, task.id, user, today) if acts and not delegated else []
    reassigner = administers_instance(session, user.id, task.instance_id)
    given = last_event(session, task, "task.delegated") if task.delegation_state else None
    answer = last_event(session, task, "task.returned_to_owner") if returned else None
    after: dict[str, Any] = dict(given.after or {}) if given is not None else {}
    return Standing(
        may_submit=acts,
        may_claim=candidate and task.assignee_id is None,
        may_unclaim=task.assignee_id in mine and task.delegation_state is None,
        may_delegate=bool(delegates),
        may_recall=delegated and task.owner_id in mine,
        may_reassign=reassigner,
        is_candidate=candidate,
        answered_by_me=answer is not None and answer.actor_id in mine,
        assignee=session.get(User, task.assignee_id) if task.assignee_id else None,
        owner=session.get(User, task.owner_id) if task.owner_id else None,
        delegation_note=str(after.get("catatan") or ""),
        returned_by=answer.actor_name if answer is not None else "",
        delegates=delegates,
        reassign_targets=reassign_targets(session, task.instance, today) if reassigner else [],
    )
