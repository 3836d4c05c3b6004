"""Who may see an instance.  Checked on every query that returns one; anyone else gets 404.

A user sees an instance when they
  * took part: started it, acted in it (an audit row names them as actor), or a deputy acted
    in it on their behalf ("a.n.": the audit row names them as principal);
  * are addressed by one of its open tasks, today: a candidate (by position held definitif or
    acting, by role in the unit, by name), the assignee, the owner of a task they delegated
    with return, or the deputy of any of those (engine.inbox's predicates, so the inbox and
    this rule can never disagree);
  * oversee its unit: an `admin` or `auditor` role on a unit whose subtree holds the
    instance's unit (a role without unit covers the whole Pemda).

Everything here is one SQL predicate, usable inside any query (lists, counts, checks).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select, union
from sqlalchemy.orm import Session

from engine.inbox import acting_for, actionable, candidate_of
from engine.models import (
    SECRET_SIFAT,
    AuditEvent,
    Disposition,
    HumanTask,
    Letter,
    ProcessInstance,
    Unit,
    UserRole,
)

OVERSEEING_ROLES = ("admin", "auditor")


def has_role(session: Session, user_id: int, *roles: str) -> bool:
    """Whether the user has one of the roles anywhere (in any unit): menus, not data access."""
    return bool(session.scalar(select(exists().where(UserRole.user_id == user_id, UserRole.role.in_(roles)))))


def oversees(user_id: int, roles: tuple[str, ...] = OVERSEEING_ROLES) -> ColumnElement[bool]:
    """ProcessInstance.unit_id lies in the subtree of a unit where the user has one of `roles`."""
    pemda_wide = exists().where(UserRole.user_id == user_id, UserRole.role.in_(roles), UserRole.unit_id.is_(None))
    roots = select(UserRole.unit_id.label("id")).where(
        UserRole.user_id == user_id, UserRole.role.in_(roles), UserRole.unit_id.is_not(None)
    )
    subtree = roots.cte(recursive=True)
    # UNION (not UNION ALL): a cycle in the unit tree ends the recursion instead of looping.
    subtree = subtree.union(select(Unit.id).where(Unit.parent_id == subtree.c.id))
    return or_(pemda_wide, ProcessInstance.unit_id.in_(select(subtree.c.id)))


def participated(user_id: int) -> Select[tuple[int]]:
    """Ids of the instances the user started, acted in, or had a deputy act in on their behalf."""
    return union(
        select(ProcessInstance.id).where(ProcessInstance.started_by_id == user_id),
        select(AuditEvent.instance_id).where(
            AuditEvent.instance_id.is_not(None),
            or_(AuditEvent.actor_id == user_id, AuditEvent.on_behalf_of_id == user_id),
        ),
    )


def took_part(user_id: int) -> ColumnElement[bool]:
    return ProcessInstance.id.in_(participated(user_id))


def addressed(user_id: int, today: date) -> ColumnElement[bool]:
    """One of the instance's open tasks is addressed to the user (or to someone they deputise for)."""
    return exists().where(
        HumanTask.instance_id == ProcessInstance.id,
        or_(
            actionable(user_id, today),
            candidate_of(user_id, today),
            and_(HumanTask.status == "ready", HumanTask.owner_id.in_(acting_for(user_id, today))),
        ),
    )


def secret_instance() -> ColumnElement[bool]:
    """ProcessInstance works on a Rahasia / Sangat Rahasia letter (its registration or a branch)."""
    registration = exists().where(Letter.instance_id == ProcessInstance.id, Letter.sifat.in_(SECRET_SIFAT))
    branch = exists().where(
        Disposition.instance_id == ProcessInstance.id,
        Disposition.letter_id == Letter.id,
        Letter.sifat.in_(SECRET_SIFAT),
    )
    return or_(registration, branch)


def instance_visible(user_id: int, today: date) -> ColumnElement[bool]:
    """The visibility rule as a WHERE clause over ProcessInstance.

    Overseers (admin, auditor) do not see the processes of a secret letter: its data holds
    the letter's hal and notes; they see the letter's metadata on the letter page instead.
    """
    return or_(took_part(user_id), addressed(user_id, today), and_(oversees(user_id), ~secret_instance()))


def visible_instances(session: Session | None, user_id: int, today: date) -> Select[tuple[int]]:
    """The ids of the instances the user may see: `.where(ProcessInstance.id.in_(...))` anywhere.

    `session` is accepted for symmetry with the other checks; the rule needs no round trip.
    """
    return select(ProcessInstance.id).where(instance_visible(user_id, today))


def can_view_instance(session: Session, user_id: int, instance_id: int, today: date) -> bool:
    return bool(
        session.scalar(
            select(exists().where(ProcessInstance.id == instance_id, instance_visible(user_id, today)))
        )
    )


def administers_instance(session: Session, user_id: int, instance_id: int) -> bool:
    """An `admin` role over the instance's unit (not `auditor`: auditors read, they do not act)."""
    return bool(
        session.scalar(select(exists().where(ProcessInstance.id == instance_id, oversees(user_id, ("admin",)))))
    )


def my_instances(session: Session, user_id: int, *, limit: int = 50) -> list[ProcessInstance]:
    """Instances the user took part in, newest first ("where is my letter?")."""
    return list(
        session.scalars(
            select(ProcessInstance).where(took_part(user_id)).order_by(ProcessInstance.updated_at.desc()).limit(limit)
        )
    )
