"""All tables, importable from one place (Alembic's autogenerate reads Base.metadata)."""

from engine.models.audit import AuditEvent
from engine.models.base import Base, UTCDateTime, utcnow
from engine.models.org import HOLDING_KINDS, ROLES, Position, PositionHolder, Unit, User, UserRole
from engine.models.process import HumanTask, ProcessInstance, ProcessVersion, TaskCandidate

__all__ = [
    "HOLDING_KINDS",
    "ROLES",
    "AuditEvent",
    "Base",
    "HumanTask",
    "Position",
    "PositionHolder",
    "ProcessInstance",
    "ProcessVersion",
    "TaskCandidate",
    "UTCDateTime",
    "Unit",
    "User",
    "UserRole",
    "utcnow",
]
