"""Project the workflow's waiting human tasks into the human_task table.

Runs after every engine step in the same transaction as the state it describes: the inbox
and every page read these rows and never the workflow JSON.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.assignment import AssignmentContext, Resolver
from engine.compaction import DEEP
from engine.errors import LoopLimitExceeded
from engine.models import HumanTask, ProcessInstance, TaskCandidate
from engine.runtime_support import spec_properties
from engine.serialization import json_safe

_DURATION = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def due_from(value: Any, created: datetime) -> datetime | None:
    """camunda:dueDate or a `dueIn` property: an ISO duration (P2D, PT4H) or an ISO date."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    match = _DURATION.match(text)
    if match and any(match.groups()):
        weeks, days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
        return created + timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=created.tzinfo)


def _data_text(data: Any, name: Any) -> str | None:
    """The value of the data variable a `dueFrom` property names (an ISO date), if any."""
    value = data.get(name) if isinstance(name, str) and isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def ready_user_tasks(workflow: BpmnWorkflow) -> list[Any]:
    return list(workflow.get_tasks(state=TaskState.READY, manual=True, max_depth=DEEP))


def sync_human_tasks(
    session: Session,
    row: ProcessInstance,
    workflow: BpmnWorkflow,
    *,
    resolver: Resolver,
    now: datetime,
    previous_position_id: int | None,
    max_repeats: int,
) -> list[HumanTask]:
    """Insert rows for newly ready tasks, cancel rows whose task went away; returns the new ones."""
    open_rows = {
        r.task_guid: r
        for r in session.scalars(
            select(HumanTask).where(HumanTask.instance_id == row.id, HumanTask.status == "ready")
        )
    }
    created: list[HumanTask] = []
    for task in ready_user_tasks(workflow):
        guid = str(task.id)
        if open_rows.pop(guid, None) is not None:
            continue
        spec = task.task_spec
        done_before = session.scalar(
            select(func.count())
            .select_from(HumanTask)
            .where(HumanTask.instance_id == row.id, HumanTask.bpmn_id == spec.bpmn_id, HumanTask.status == "completed")
        )
        if done_before and done_before > max_repeats:
            raise LoopLimitExceeded(task=spec.bpmn_name or spec.bpmn_id, count=done_before, limit=max_repeats)
        extensions = getattr(spec, "extensions", None) or {}
        camunda = extensions.get("camunda") or {}
        properties = spec_properties(spec)
        ctx = AssignmentContext(
            instance_id=row.id,
            unit_id=row.unit_id,
            started_by_id=row.started_by_id,
            started_as_position_id=row.started_as_position_id,
            previous_position_id=previous_position_id,
            bpmn_id=spec.bpmn_id,
            lane=spec.lane,
            camunda=camunda,
            properties=properties,
            data=task.data,
        )
        resolution = resolver(session, ctx)
        human = HumanTask(
            instance_id=row.id,
            task_guid=guid,
            bpmn_id=spec.bpmn_id,
            name=(spec.bpmn_name or spec.bpmn_id)[:300],
            lane=spec.lane,
            form_key=camunda.get("formKey") or properties.get("formKey"),
            form_fields=camunda.get("formData") or None,
            documentation=getattr(spec, "documentation", None),
            status="ready",
            rule=resolution.rule[:200],
            due_at=due_from(camunda.get("dueDate") or properties.get("dueIn"), now)
            or due_from(_data_text(task.data, properties.get("dueFrom")), now),
            created_at=now,
            context=json_safe(dict(task.data)),
        )
        human.candidates = [
            TaskCandidate(position_id=c.position_id, role=c.role, unit_id=c.unit_id, user_id=c.user_id)
            for c in resolution.candidates
        ]
        session.add(human)
        created.append(human)
    for gone in open_rows.values():
        gone.status = "cancelled"
        gone.completed_at = now
    session.flush()
    return created


def diagram_marks(workflow: BpmnWorkflow, previous: dict[str, Any] | None) -> dict[str, list[str]]:
    """Finished, current and failed element ids; finished ones accumulate across loop folds."""
    done: set[str] = set((previous or {}).get("done", []))
    current: set[str] = set()
    failed: set[str] = set()
    for task in workflow.get_tasks(max_depth=DEEP):
        bpmn_id = getattr(task.task_spec, "bpmn_id", None)
        if not bpmn_id:
            continue
        if task.state == TaskState.COMPLETED:
            done.add(bpmn_id)
        elif task.state in (TaskState.READY, TaskState.WAITING, TaskState.STARTED) and task.task_spec.manual or task.state == TaskState.WAITING:
            current.add(bpmn_id)
        elif task.state == TaskState.ERROR:
            failed.add(bpmn_id)
    return {"done": sorted(done - current), "current": sorted(current), "failed": sorted(failed)}


