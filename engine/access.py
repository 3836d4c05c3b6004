"""Who may see an instance: its participants, the candidates of its open tasks, and the
admins and auditors.  Checked on every query that returns an instance; others get 404."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from engine.inbox import actionable
from engine.models import AuditEvent, HumanTask, ProcessInstance, UserRole

OVERSEEING_ROLES = ("admin", "auditor")


def has_role(session: Session, user_id: int, *roles: str) -> bool:
    return bool(session.scalar(select(exists().where(UserRole.user_id == user_id, UserRole.role.in_(roles)))))


def can_view_instance(session: Session, user_id: int, instance_id: int, today: date) -> bool:
    if has_role(session, user_id, *OVERSEEING_ROLES):
        return True
    return bool(
        session.scalar(
            select(
                or_(
                    exists().where(ProcessInstance.id == instance_id, ProcessInstance.started_by_id == user_id),
                    exists().where(AuditEvent.instance_id == instance_id, AuditEvent.actor_id == user_id),
                    exists().where(HumanTask.instance_id == instance_id, actionable(user_id, today)),
                )
            )
        )
    )


def my_instances(session: Session, user_id: int, *, limit: int = 50) -> list[ProcessInstance]:
    """Instances the user started or acted in, newest first ("where is my letter?")."""
    acted = select(AuditEvent.instance_id).where(AuditEvent.actor_id == user_id, AuditEvent.instance_id.is_not(None))
    return list(
        session.scalars(
            select(ProcessInstance)
            .where(or_(ProcessInstance.started_by_id == user_id, ProcessInstance.id.in_(acted)))
            .order_by(ProcessInstance.updated_at.desc())
            .limit(limit)
        )
    )
