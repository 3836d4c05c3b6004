"""Small pieces every runtime entry point shares: who acted, the data of now, the audit head,
and the step events that listeners (notifications, letters) receive after a step."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine import audit
from engine.compaction import DEEP
from engine.errors import ConcurrentUpdate
from engine.inbox import Capacity
from engine.models import AuditEvent, HumanTask, Position, ProcessInstance, User


@dataclass(frozen=True)
class Effect:
    """A BPMN task marked with an `effect` property finished: Lontar acts on it after the run.

    Effects are trusted Python registered by name (engine.effects); the diagram only names
    them, so a designer can place "send the disposition" without writing code that could do
    anything else.
    """

    topic: str
    bpmn_id: str
    data: dict[str, Any]
    properties: dict[str, Any]


@dataclass
class StepEvent:
    """What one step changed, for the listeners that run in the same transaction."""

    instance: ProcessInstance
    actor: audit.Actor
    at: datetime
    new_tasks: list[HumanTask] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    completed_task: HumanTask | None = None
    fired_timers: list[str] = field(default_factory=list)


Listener = Callable[[Session, Any, StepEvent], None]
_T = TypeVar("_T")


class RunBudgetExceeded(WorkflowException):
    """A diagram that cycles through automatic steps without ever waiting for a person.

    Each script is bounded by the sandbox; this bounds how many of them one request runs.
    """


def _stale_is_conflict(method: Callable[..., _T]) -> Callable[..., _T]:
    """A write based on a stale read (the optimistic check) is a conflict, wherever it flushes."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> _T:
        try:
            return method(*args, **kwargs)
        except StaleDataError:
            raise ConcurrentUpdate() from None

    return wrapper


def spec_properties(spec: Any) -> dict[str, Any]:
    """A task's properties, from spiffworkflow:properties or camunda:properties alike."""
    extensions = getattr(spec, "extensions", None) or {}
    camunda = (extensions.get("camunda") or {}).get("properties") or {}
    return {**camunda, **(extensions.get("properties") or {})}


def actor_for(user: User, position: Position | None, acting: Capacity | None = None) -> audit.Actor:
    title = acting.title if acting is not None else (position.name if position else "")
    principal = acting.on_behalf_of if acting is not None else None
    return audit.Actor(user.id, user.name, position.id if position else None, title,
                       principal.name if principal else "", principal.id if principal else None)


def last_data(workflow: BpmnWorkflow) -> dict[str, Any]:
    ready = workflow.get_tasks(state=TaskState.READY, manual=True, max_depth=DEEP)
    if ready:
        return dict(ready[0].data)
    if workflow.last_task is not None:
        return dict(workflow.last_task.data)
    return dict(workflow.data)


def audit_head(session: Session, instance_id: int) -> int:
    """The instance's newest audit seq; read without autoflush, so the instance row is
    written once per step (audit.record has already flushed its rows)."""
    with session.no_autoflush:
        return session.scalar(
            select(func.coalesce(func.max(AuditEvent.seq), 0)).where(
                AuditEvent.chain == audit.instance_chain(instance_id)
            )
        ) or 0


