"""All tables, importable from one place (Alembic's autogenerate reads Base.metadata)."""

from engine.models.audit import AuditEvent
from engine.models.base import Base, UTCDateTime, utcnow
from engine.models.org import (
    HOLDING_KINDS,
    ROLES,
    Delegation,
    Position,
    PositionHolder,
    RoleMapping,
    Unit,
    User,
    UserRole,
)
from engine.models.process import HumanTask, ProcessInstance, ProcessVersion, TaskCandidate
from engine.models.security import LoginAttempt, LoginSession

__all__ = [
    "HOLDING_KINDS",
    "ROLES",
    "AuditEvent",
    "Base",
    "Delegation",
    "HumanTask",
    "LoginAttempt",
    "LoginSession",
    "Position",
    "PositionHolder",
    "ProcessInstance",
    "ProcessVersion",
    "RoleMapping",
    "TaskCandidate",
    "UTCDateTime",
    "Unit",
    "User",
    "UserRole",
    "utcnow",
]
