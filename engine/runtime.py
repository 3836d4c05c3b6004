"""The workflow runtime: start an instance, complete a user task, cancel.

Every call follows one shape: lock and load the instance, run SpiffWorkflow to the next wait
state, then write the state, the projection of human tasks and the audit rows through the
caller's session — one transaction, committed by the caller.  Nothing here commits.

Concurrency: on PostgreSQL the instance row is locked (SELECT ... FOR UPDATE) before the task
row is read, so the second of two simultaneous completions waits, then sees the task done
and is told by whom.  On SQLite, write sessions begin IMMEDIATE, which serializes writers the
same way.  On both, the instance row carries a version counter (optimistic check): a write
based on a stale read fails with ConcurrentUpdate instead of silently losing the other one.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from engine import audit
from engine.assignment import Resolver, default_resolver
from engine.clock import Clock
from engine.compaction import DEEP, compact_loops, max_depth
from engine.errors import (
    InstanceFinished,
    LontarError,
    LoopLimitExceeded,
    NotAllowed,
    NotFound,
    TaskAlreadyCompleted,
    TaskNotReady,
)
from engine.inbox import capacity, may_act
from engine.models import HumanTask, Position, ProcessInstance, User
from engine.projection import diagram_marks, sync_human_tasks
from engine.registry import ProcessRegistry
from engine.runtime_support import (
    Effect,
    Listener,
    RunBudgetExceeded,
    StepEvent,
    _stale_is_conflict,
    actor_for,
    audit_head,
    last_data,
    spec_properties,
)
from engine.sandbox import make_script_engine
from engine.serialization import SERIALIZER_VERSION, SPIFF_VERSION, dump_state, json_safe, load_state
from engine.timers import sync_timers, waiting_timers

MAX_TREE_DEPTH = 900  # SpiffWorkflow's iterators stop at 1000 (research §7.6)
MAX_AUTOMATIC_STEPS = 300  # automatic steps (scripts, gateways, events) in one run to a wait state
MAX_RUN_SECONDS = 10.0  # wall time of one run to a wait state


@dataclass(frozen=True)
class EngineConfig:
    max_task_repeats: int = 100  # how often one user task may come back (returns) in one instance
    row_locks: bool = True  # SELECT ... FOR UPDATE on PostgreSQL; off only to prove it matters
    zone: str = "WIB"


@dataclass
class StepResult:
    instance: ProcessInstance
    new_tasks: list[HumanTask] = field(default_factory=list)
    error: str | None = None


class WorkflowEngine:
    """The facade the web layer talks to.  One per application; holds no per-request state."""

    def __init__(
        self,
        *,
        resolver: Resolver = default_resolver,
        form_exists: Callable[[str], bool] | None = None,
        clock: Clock | None = None,
        config: EngineConfig | None = None,
        after_load: Callable[[ProcessInstance], None] | None = None,
    ) -> None:
        self.config = config or EngineConfig()
        self.clock = clock or Clock(self.config.zone)
        self.resolver = resolver
        self.registry = ProcessRegistry(form_exists=form_exists)
        self.after_load = after_load  # test hook: runs between load and write
        self.script_engine = make_script_engine(
            {"now": lambda: self.clock.now().isoformat(), "today": lambda: self.clock.today().isoformat()}
        )
        self.script_engine.lontar_now = lambda: self.clock.now()  # timers read it (engine.timers)
        # Run after every step, in its transaction: notifications, letters' effects, ...
        self.listeners: list[Listener] = []

    # -- loading and saving -----------------------------------------------------------------
    def lock_instance(self, session: Session, instance_id: int) -> ProcessInstance:
        """The instance row, locked for this transaction (PostgreSQL) and read afresh."""
        query = select(ProcessInstance).where(ProcessInstance.id == instance_id).execution_options(populate_existing=True)
        if self.config.row_locks and session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        row = session.scalars(query).one_or_none()
        if row is None:
            raise NotFound()
        return row

    def lock_task(self, session: Session, task_id: int) -> tuple[ProcessInstance, HumanTask]:
        """Lock the task's instance, then re-read the task: what every task action starts with.

        A task that was finished meanwhile is a conflict naming who finished it.
        """
        instance_id = session.scalar(select(HumanTask.instance_id).where(HumanTask.id == task_id))
        if instance_id is None:
            raise NotFound()
        row = self.lock_instance(session, instance_id)
        human = session.scalars(
            select(HumanTask).where(HumanTask.id == task_id).execution_options(populate_existing=True)
        ).one()
        if human.status == "completed":
            by = session.get(User, human.completed_by_id) if human.completed_by_id else None
            raise TaskAlreadyCompleted(name=by.name if by else "?")
        if human.status != "ready":
            raise TaskNotReady()
        if row.status != "running":
            raise InstanceFinished()
        return row, human

    def _workflow(self, row: ProcessInstance) -> BpmnWorkflow:
        main_spec = self.registry.main_spec_dict(row.version)
        workflow = load_state(row.state, main_spec, row.serializer_version)
        workflow.script_engine = self.script_engine  # not serialized: re-attach every time
        return workflow

    def _run(
        self,
        session: Session,
        row: ProcessInstance,
        workflow: BpmnWorkflow,
        actor: audit.Actor,
        effects: list[Effect] | None = None,
    ) -> str | None:
        """Run to the next wait state; a failing step marks the instance, it does not raise.

        Tasks carrying an `effect` property are collected into `effects` for the listeners.
        """

        steps = 0
        deadline = time.monotonic() + MAX_RUN_SECONDS

        def did_complete(task: Any) -> None:
            nonlocal steps
            steps += 1
            if steps > MAX_AUTOMATIC_STEPS or time.monotonic() > deadline:
                raise RunBudgetExceeded(
                    f"lebih dari {MAX_AUTOMATIC_STEPS} langkah otomatis atau {MAX_RUN_SECONDS:.0f} detik "
                    "tanpa menunggu tindakan orang: periksa perulangan pada diagram"
                )
            spec = task.task_spec
            if not getattr(spec, "bpmn_id", None):
                return
            if effects is not None:
                topic = spec_properties(spec).get("effect")
                if topic:
                    effects.append(Effect(str(topic), spec.bpmn_id, json_safe(dict(task.data)), spec_properties(spec)))
            if spec.manual:
                return
            kind = type(spec).__name__
            if kind in ("ScriptTask", "ServiceTask", "BusinessRuleTask", "CallActivity", "SubWorkflowTask"):
                audit.record(
                    session,
                    action="step.completed",
                    actor=audit.SYSTEM,
                    instance_id=row.id,
                    task_guid=str(task.id),
                    bpmn_id=spec.bpmn_id,
                    summary=spec.bpmn_name or spec.bpmn_id,
                    at=self.clock.now(),
                )

        try:
            workflow.do_engine_steps(did_complete_task=did_complete)
            if compact_loops(workflow):
                workflow.do_engine_steps(did_complete_task=did_complete)
        except (SQLAlchemyError, LontarError):
            raise
        except Exception as exc:  # noqa: BLE001 - SpiffWorkflow also raises bare TypeError/KeyError on bad data
            failed = workflow.get_tasks(state=TaskState.ERROR, max_depth=DEEP)
            where = failed[0].task_spec.bpmn_id if failed else getattr(getattr(exc, "task_spec", None), "bpmn_id", "?")
            message = f"{where}: {str(exc).strip()}"[:1000]
            audit.record(session, action="instance.error", actor=actor, instance_id=row.id, bpmn_id=where,
                         summary=message, at=self.clock.now())
            return message
        depth = max_depth(workflow)
        if depth > MAX_TREE_DEPTH:
            raise LoopLimitExceeded(task=row.title or row.key, count=depth, limit=MAX_TREE_DEPTH)
        return None

    def _save(
        self,
        session: Session,
        row: ProcessInstance,
        workflow: BpmnWorkflow,
        *,
        error: str | None,
        actor: audit.Actor,
        previous_position_id: int | None,
        effects: list[Effect] | None = None,
        completed: HumanTask | None = None,
        fired: list[str] | None = None,
    ) -> list[HumanTask]:
        now = self.clock.now()
        new_tasks = sync_human_tasks(
            session,
            row,
            workflow,
            resolver=self.resolver,
            now=now,
            previous_position_id=previous_position_id,
            max_repeats=self.config.max_task_repeats,
        )
        unfinished = workflow.get_tasks(state=TaskState.READY | TaskState.WAITING | TaskState.STARTED, max_depth=DEEP)
        if error:
            row.status, row.error = "error", error
        elif workflow.is_completed() and not unfinished:
            row.status, row.finished_at, row.error = "completed", now, None
            audit.record(session, action="instance.completed", actor=audit.SYSTEM, instance_id=row.id, at=now,
                         summary=row.title)
        row.state = dump_state(workflow)
        row.serializer_version = SERIALIZER_VERSION
        row.engine_version = SPIFF_VERSION
        row.marks = diagram_marks(workflow, row.marks)
        row.updated_at = now
        data = last_data(workflow)
        title = data.get("perihal") or data.get("title") or data.get("hal")
        if isinstance(title, str) and title.strip():
            row.title = title.strip()[:300]
        row.audit_seq = audit_head(session, row.id)
        sync_timers(session, row, workflow)
        session.flush()
        event = StepEvent(row, actor, now, new_tasks, list(effects or []), completed, list(fired or []))
        for listener in self.listeners:
            listener(session, self, event)
        return new_tasks

    # -- public API -------------------------------------------------------------------------
    @_stale_is_conflict
    def start(
        self,
        session: Session,
        key: str,
        *,
        user: User,
        unit_id: int | None = None,
        position: Position | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> StepResult:
        version = self.registry.version_for_start(session, key, unit_id)
        cached = self.registry.spec(version, self.registry.dependencies(session, version, unit_id))
        workflow = BpmnWorkflow(cached.spec, cached.subprocess_specs, script_engine=self.script_engine)
        workflow.task_tree.data.update(copy.deepcopy(dict(data or {})))
        now = self.clock.now()
        actor = actor_for(user, position)
        row = ProcessInstance(
            version_id=version.id,
            version=version,
            key=version.key,
            unit_id=unit_id,
            title=version.name,
            status="running",
            state="{}",
            serializer_version=SERIALIZER_VERSION,
            engine_version=SPIFF_VERSION,
            started_by_id=user.id,
            started_as_position_id=position.id if position else None,
            started_at=now,
            updated_at=now,
            marks={},
        )
        session.add(row)
        session.flush()
        audit.record(session, action="instance.started", actor=actor, instance_id=row.id, at=now,
                     summary=f"{version.key} v{version.version}", after=json_safe(dict(data or {})))
        effects: list[Effect] = []
        error = self._run(session, row, workflow, actor, effects)
        new_tasks = self._save(session, row, workflow, error=error, actor=actor,
                               previous_position_id=position.id if position else None, effects=effects)
        return StepResult(row, new_tasks, error)

    @_stale_is_conflict
    def complete(self, session: Session, task_id: int, *, user: User, data: Mapping[str, Any]) -> StepResult:
        row, human = self.lock_task(session, task_id)
        today = self.clock.today()
        if not may_act(session, user.id, task_id, today) or human.delegation_state == "delegated":
            raise NotAllowed()  # a delegate's answer goes back to the owner: engine.task_actions.submit
        acting = capacity(session, user.id, task_id, today)
        position = acting.position
        actor = actor_for(user, position, acting)
        workflow = self._workflow(row)
        if self.after_load is not None:
            self.after_load(row)
        task = workflow.get_task_from_id(UUID(human.task_guid))
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotReady()
        submitted = json_safe(copy.deepcopy(dict(data)))
        before = {k: json_safe(task.data.get(k)) for k in submitted}
        task.data.update(copy.deepcopy(submitted))  # no DeepMerge: it mangles lists (research §7.5)
        task.run()
        now = self.clock.now()
        human.status = "completed"
        human.completed_at = now
        human.completed_by_id = user.id
        human.completed_as_position_id = position.id if position else None
        human.submitted = submitted
        audit.record(session, action="task.completed", actor=actor, instance_id=row.id, task_guid=human.task_guid,
                     bpmn_id=human.bpmn_id, summary=human.name, before=before, after=submitted, at=now)
        effects: list[Effect] = []
        error = self._run(session, row, workflow, actor, effects)
        new_tasks = self._save(session, row, workflow, error=error, actor=actor,
                               previous_position_id=position.id if position else None, effects=effects,
                               completed=human)
        return StepResult(row, new_tasks, error)

    @_stale_is_conflict
    def fire_timers(self, session: Session, instance_id: int) -> StepResult | None:
        """Fire whatever timers of the instance are due by the engine's clock (the worker's call).

        None when there was nothing to do: the instance is not running (finished, failed or
        suspended) or no timer of it is due any more (another worker fired it first).
        """
        row = self.lock_instance(session, instance_id)
        if row.status != "running":
            if row.status in ("completed", "cancelled"):
                sync_timers(session, row, None)  # a suspended one keeps its timers for its resume
            return None
        workflow = self._workflow(row)
        if self.after_load is not None:
            self.after_load(row)
        now = self.clock.now()
        due = [guid for guid, _bpmn, _name, at in waiting_timers(workflow) if at <= now]
        if not due:
            sync_timers(session, row, workflow)
            return None
        workflow.refresh_timers()  # before do_engine_steps, so the branch they open runs now
        effects: list[Effect] = []
        error = self._run(session, row, workflow, audit.SYSTEM, effects)
        for guid in due:
            audit.record(session, action="timer.fired", actor=audit.SYSTEM, instance_id=row.id, task_guid=guid, at=now)
        new_tasks = self._save(session, row, workflow, error=error, actor=audit.SYSTEM, previous_position_id=None,
                               effects=effects, fired=due)
        return StepResult(row, new_tasks, error)

    @_stale_is_conflict
    def cancel(self, session: Session, instance_id: int, *, user: User, reason: str) -> ProcessInstance:
        row = self.lock_instance(session, instance_id)
        if row.status in ("completed", "cancelled"):
            raise InstanceFinished()
        workflow = self._workflow(row)
        workflow.cancel()
        now = self.clock.now()
        row.status, row.finished_at = "cancelled", now
        for human in session.scalars(
            select(HumanTask).where(HumanTask.instance_id == row.id, HumanTask.status == "ready")
        ):
            human.status, human.completed_at = "cancelled", now
        audit.record(session, action="instance.cancelled", actor=actor_for(user, None), instance_id=row.id,
                     summary=reason[:500], at=now)
        row.state = dump_state(workflow)
        row.marks = diagram_marks(workflow, row.marks)
        row.updated_at = now
        row.audit_seq = audit_head(session, row.id)
        sync_timers(session, row, None)
        session.flush()
        return row

    def current_data(self, session: Session, instance_id: int) -> dict[str, Any]:
        """The instance's data as of now (one instance: fine for a page that shows one)."""
        row = session.get(ProcessInstance, instance_id)
        if row is None:
            raise NotFound()
        return json_safe(last_data(self._workflow(row)))
