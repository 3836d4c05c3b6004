"""BPMN timers on Lontar's clock, and their projection into the timer table.

SpiffWorkflow's timer event definitions read the wall clock (datetime.now) when they start
waiting and when asked whether they fired.  The parser builds the two subclasses below
instead, which read the clock attached to the workflow's script engine: the engine's own
(injectable) clock, so a test or the dry run moves time by moving that clock.  Their
serialized typenames are registered with the one serializer (engine.serialization).

After every step the waiting timers are projected into `timer` rows (instance, task, due),
in the same transaction as the state: the worker reads only that table to know what is due.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.compaction import DEEP
from engine.models import ProcessInstance, Timer


def _now(my_task: Any) -> datetime:
    now: Callable[[], datetime] | None = getattr(my_task.workflow.script_engine, "lontar_now", None)
    return now() if now is not None else datetime.now(UTC)


class ClockedTimeDate(TimeDateEventDefinition):
    """timeDate: fires once the engine's clock passes the date the expression gives."""

    def has_fired(self, my_task: Any) -> bool:
        event_value = my_task._get_internal_data("event_value")
        if event_value is None:
            event_value = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            my_task._set_internal_data(event_value=event_value)
        if TimerEventDefinition.parse_time_or_duration(event_value) <= _now(my_task):
            my_task._set_internal_data(event_fired=True)
        return bool(my_task._get_internal_data("event_fired", False))


class ClockedDuration(DurationTimerEventDefinition):
    """timeDuration: due at the engine's clock when the timer started waiting, plus the duration."""

    def has_fired(self, my_task: Any) -> bool:
        event_value = my_task._get_internal_data("event_value")
        if event_value is None:
            now = _now(my_task)
            expression = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            parsed = TimerEventDefinition.parse_iso_duration(expression)
            event_value = (now + TimerEventDefinition.get_timedelta_from_start(parsed, now)).isoformat()
            my_task._set_internal_data(event_value=event_value)
        if TimerEventDefinition.get_datetime(event_value) <= _now(my_task):
            my_task._set_internal_data(event_fired=True)
        return bool(my_task._get_internal_data("event_fired", False))


CLOCKED = {TimeDateEventDefinition: ClockedTimeDate, DurationTimerEventDefinition: ClockedDuration}


def clocked(definition: Any) -> Any:
    """The clocked twin of a parsed timer definition (cycle timers stay on the wall clock)."""
    twin = CLOCKED.get(type(definition))
    if twin is None:
        return definition
    return twin(definition.name, definition.expression, description=definition.description)


def _due(task: Any) -> datetime | None:
    value = task.internal_data.get("event_value")
    if isinstance(value, dict):  # cycle timer: the next occurrence
        value = value.get("next")
    if not isinstance(value, str):
        return None
    try:
        return TimerEventDefinition.get_datetime(value)
    except ValueError:
        return None


def waiting_timers(workflow: BpmnWorkflow) -> list[tuple[str, str, str, datetime]]:
    """(task guid, bpmn id, name, due) of every timer waiting now."""
    found = []
    for task in workflow.get_tasks(state=TaskState.WAITING, max_depth=DEEP):
        definition = getattr(task.task_spec, "event_definition", None)
        if not isinstance(definition, TimerEventDefinition):
            continue
        due = _due(task)
        if due is not None:
            spec = task.task_spec
            found.append((str(task.id), spec.bpmn_id or spec.name, spec.bpmn_name or spec.bpmn_id or "", due))
    return found


def sync_timers(session: Session, row: ProcessInstance, workflow: BpmnWorkflow | None) -> None:
    """Make the instance's timer rows match the timers waiting in `workflow` (None: no timers)."""
    current = {t.task_guid: t for t in session.scalars(select(Timer).where(Timer.instance_id == row.id))}
    if workflow is not None and row.status == "running":
        for guid, bpmn_id, name, due in waiting_timers(workflow):
            existing = current.pop(guid, None)
            if existing is None:
                session.add(Timer(instance_id=row.id, task_guid=guid, bpmn_id=bpmn_id[:200], name=name[:300], due_at=due))
            elif existing.due_at != due:
                existing.due_at = due
    for gone in current.values():
        session.delete(gone)
