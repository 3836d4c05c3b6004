"""In-process measurements: (a) bare SpiffWorkflow, (b)/(c) the Lontar engine, part 3 (returns)."""

from __future__ import annotations

import contextlib
import copy
import re
import statistics
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import event, select

from bench.common import (
    APPROVE,
    DRAFT,
    NOTA_DINAS,
    STEP_LABEL,
    STEPS,
    Sizes,
    Timings,
    give_back,
    median_ms,
    task_count,
)
from engine.bpmn_parser import build_specs
from engine.compaction import DEEP, compact_loops
from engine.db import Database
from engine.models import ProcessInstance, User
from engine.organisation import positions_of, skpd_of
from engine.runtime import StepResult, WorkflowEngine
from engine.sandbox import make_script_engine
from engine.serialization import SERIALIZER_VERSION, dump_state, load_state, spec_dict

TRANSACTION_CONTROL = re.compile(r"^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


# -- counting SQL statements ------------------------------------------------------------------
class StatementCounter:
    """Counts what goes through `before_cursor_execute` on a Database's engines, when on."""

    def __init__(self, db: Database) -> None:
        self.engines = [db.write_engine] + ([db.read_engine] if db.read_engine is not db.write_engine else [])
        self.active = False
        self.count = 0
        self.control = 0
        self.seen: list[str] = []
        for engine in self.engines:
            event.listen(engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if not self.active:
            return
        flat = " ".join(statement.split())
        if TRANSACTION_CONTROL.match(flat):
            self.control += 1  # SQLite's BEGIN IMMEDIATE (engine/db.py); psycopg's BEGIN is implicit
            return
        self.count += 1
        self.seen.append(flat[:120] + (" ... FOR UPDATE" if flat.endswith("FOR UPDATE") else ""))

    @contextlib.contextmanager
    def counting(self) -> Iterator[None]:
        self.count, self.control, self.seen, self.active = 0, 0, [], True
        try:
            yield
        finally:
            self.active = False

    def close(self) -> None:
        for engine in self.engines:
            event.remove(engine, "before_cursor_execute", self._on_execute)


# -- (a) bare SpiffWorkflow ------------------------------------------------------------------
class BareSpiff:
    """The nota dinas spec parsed once; workflows run with Lontar's sandboxed script engine."""

    def __init__(self) -> None:
        self.spec, self.subprocess_specs = build_specs(NOTA_DINAS.read_bytes(), "nota_dinas")
        self.script_engine = make_script_engine()
        self.spec_dict = spec_dict(self.new())

    def new(self) -> BpmnWorkflow:
        workflow = BpmnWorkflow(self.spec, self.subprocess_specs, script_engine=self.script_engine)
        workflow.do_engine_steps()
        return workflow

    def load(self, state: str) -> BpmnWorkflow:
        workflow = load_state(state, self.spec_dict, SERIALIZER_VERSION)
        workflow.script_engine = self.script_engine
        return workflow

    @staticmethod
    def ready(workflow: BpmnWorkflow, bpmn_id: str) -> Any:
        ready = workflow.get_tasks(state=TaskState.READY, manual=True, max_depth=DEEP)
        if len(ready) != 1 or ready[0].task_spec.bpmn_id != bpmn_id:
            raise AssertionError(f"expected {bpmn_id} ready, got {[t.task_spec.bpmn_id for t in ready]}")
        return ready[0]


def bench_spiff(spiff: BareSpiff, instances: int) -> Timings:
    """Time task.data.update + task.run() + do_engine_steps() per user task (lookup not timed)."""
    timings = Timings()
    for number in range(instances + 5):  # the first 5 instances warm up
        workflow = spiff.new()
        for _who, data, bpmn_id in STEPS:
            task = spiff.ready(workflow, bpmn_id)
            submitted = {**data, "perihal": f"{data['perihal']} {number}"} if bpmn_id == "susun" else data
            started = time.perf_counter()
            task.data.update(copy.deepcopy(submitted))
            task.run()
            workflow.do_engine_steps()
            elapsed = time.perf_counter() - started
            if number >= 5:
                timings.add(bpmn_id, elapsed)
        if not workflow.is_completed():
            raise AssertionError("bare SpiffWorkflow instance did not complete")
    return timings


# -- (b), (c) the Lontar engine -----------------------------------------------------------------
class EngineFlow:
    """Drives nota dinas through WorkflowEngine the way tests/flow.py and the views do."""

    def __init__(self, db: Database, engine: WorkflowEngine) -> None:
        self.db, self.engine = db, engine
        with db.transaction(write=False) as session:
            self.user_ids = {
                name: session.scalars(select(User.id).where(User.username == name)).one()
                for name in ("budi", "sari", "agus")
            }

    def start(self, perihal: str = "") -> tuple[int, int]:
        """A new instance started by budi; (instance id, id of budi's draft task)."""
        with self.db.transaction() as session:
            budi = session.get(User, self.user_ids["budi"])
            position = positions_of(session, budi.id, self.engine.clock.today())[0]
            result = self.engine.start(session, "nota_dinas", user=budi, unit_id=skpd_of(session, position.unit_id),
                                       position=position)
        return result.instance.id, self._next_task(result, "susun")

    def complete(self, username: str, task_id: int, data: Mapping[str, Any]) -> StepResult:
        """The timed unit: one write transaction around WorkflowEngine.complete."""
        with self.db.transaction() as session:
            result = self.engine.complete(session, task_id, user=session.get(User, self.user_ids[username]),
                                          data=data)
        if result.error:
            raise AssertionError(f"engine error: {result.error}")
        return result

    @staticmethod
    def _next_task(result: StepResult, bpmn_id: str) -> int:
        found = [t.id for t in result.new_tasks if t.bpmn_id == bpmn_id]
        if len(found) != 1:
            raise AssertionError(f"expected a new {bpmn_id} task, got {[t.bpmn_id for t in result.new_tasks]}")
        return found[0]

    def timed(self, counter: StatementCounter, username: str, task_id: int,
              data: Mapping[str, Any]) -> tuple[StepResult, float, int]:
        with counter.counting():
            started = time.perf_counter()
            result = self.complete(username, task_id, data)
            elapsed = time.perf_counter() - started
        return result, elapsed, counter.count

    def stored_state(self, instance_id: int) -> str:
        with self.db.transaction(write=False) as session:
            return session.scalars(select(ProcessInstance.state).where(ProcessInstance.id == instance_id)).one()


def bench_engine(db: Database, engine: WorkflowEngine, instances: int, show_sql: bool) -> Timings:
    flow = EngineFlow(db, engine)
    counter = StatementCounter(db)
    timings = Timings()
    try:
        for number in range(instances + 2):  # the first 2 instances warm up (spec cache, pools)
            instance_id, task_id = flow.start()
            result: StepResult | None = None
            for index, (who, data, bpmn_id) in enumerate(STEPS):
                submitted = {**data, "perihal": f"{data['perihal']} {number}"} if bpmn_id == "susun" else data
                result, elapsed, statements = flow.timed(counter, who, task_id, submitted)
                if number >= 2:
                    timings.add(bpmn_id, elapsed, statements)
                if show_sql and number == 2:
                    print(f"\n-- SQL of one '{STEP_LABEL[bpmn_id]}' completion on {db.dialect} "
                          f"({statements} statements):")
                    for line in counter.seen:
                        print(f"   {line}")
                if index + 1 < len(STEPS):
                    task_id = flow._next_task(result, STEPS[index + 1][2])
            if result is None or result.instance.status != "completed":
                raise AssertionError(f"instance {instance_id} did not complete")
    finally:
        counter.close()
    return timings


# -- part 3: returns within one instance ----------------------------------------------------------
@dataclass
class ReturnsRow:
    label: str
    ms: dict[int, float] = field(default_factory=dict)  # median ms per completion at a checkpoint
    state_bytes: dict[int, int] = field(default_factory=dict)
    tree_tasks: dict[int, int] = field(default_factory=dict)
    statements: dict[int, float] = field(default_factory=dict)
    error: str = ""


def returns_engine(label: str, db: Database, engine: WorkflowEngine, sizes: Sizes) -> ReturnsRow:
    """budi drafts, sari returns with a note, again and again; timed rounds at each checkpoint."""
    flow = EngineFlow(db, engine)
    counter = StatementCounter(db)
    row = ReturnsRow(label)
    instance_id, task_id = flow.start()
    returns = 0

    def one_round(timed: bool) -> list[tuple[float, int]]:
        nonlocal task_id, returns
        out = []
        result, elapsed, statements = flow.timed(counter, "budi", task_id, DRAFT)
        out.append((elapsed, statements))
        review_id = flow._next_task(result, "periksa_atasan")
        result, elapsed, statements = flow.timed(counter, "sari", review_id, give_back(returns + 1))
        out.append((elapsed, statements))
        task_id = flow._next_task(result, "susun")
        returns += 1
        return out if timed else []

    try:
        for checkpoint in sizes.checkpoints:
            while returns < checkpoint:
                one_round(timed=False)
            state = flow.stored_state(instance_id)
            row.state_bytes[checkpoint], row.tree_tasks[checkpoint] = len(state), task_count(state)
            samples = [s for _ in range(sizes.rounds_per_checkpoint) for s in one_round(timed=True)]
            row.ms[checkpoint] = median_ms([s for s, _ in samples])
            row.statements[checkpoint] = statistics.median([n for _, n in samples])
        # and the letter still goes through
        result = flow.complete("budi", task_id, DRAFT)
        result = flow.complete("sari", flow._next_task(result, "periksa_atasan"), APPROVE)
        result = flow.complete("agus", flow._next_task(result, "setujui_kepala"), APPROVE)
        if result.instance.status != "completed":
            raise AssertionError("the returned letter did not complete")
    finally:
        counter.close()
    return row


def returns_spiff(label: str, spiff: BareSpiff, sizes: Sizes, *, persist: bool, compact: bool) -> ReturnsRow:
    """The same loop in bare SpiffWorkflow.  persist: every completion loads the state from JSON
    and dumps it again, as any engine that stores instances must; compact: Lontar's compact_loops."""
    row = ReturnsRow(label)
    workflow = spiff.new()
    state = dump_state(workflow)
    returns = 0

    def complete(bpmn_id: str, data: Mapping[str, Any]) -> float:
        nonlocal workflow, state
        started = time.perf_counter()
        if persist:
            workflow = spiff.load(state)
        task = spiff.ready(workflow, bpmn_id)
        task.data.update(copy.deepcopy(dict(data)))
        task.run()
        workflow.do_engine_steps()
        if compact and compact_loops(workflow):
            workflow.do_engine_steps()
        if persist:
            state = dump_state(workflow)
        return time.perf_counter() - started

    def one_round() -> list[float]:
        nonlocal returns
        times = [complete("susun", DRAFT), complete("periksa_atasan", give_back(returns + 1))]
        returns += 1
        return times

    for checkpoint in sizes.checkpoints:
        while returns < checkpoint:
            one_round()
        current = state if persist else dump_state(workflow)
        row.state_bytes[checkpoint], row.tree_tasks[checkpoint] = len(current), task_count(current)
        row.ms[checkpoint] = median_ms([t for _ in range(sizes.rounds_per_checkpoint) for t in one_round()])
    for bpmn_id, data in (("susun", DRAFT), ("periksa_atasan", APPROVE), ("setujui_kepala", APPROVE)):
        complete(bpmn_id, data)
    if persist:
        workflow = spiff.load(state)
    if not workflow.is_completed():
        raise AssertionError(f"{label}: the returned letter did not complete")
    return row

