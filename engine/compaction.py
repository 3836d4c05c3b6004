"""Keep the SpiffWorkflow task tree bounded when a flow loops back (a "return").

SpiffWorkflow appends a new branch to the task tree for every pass through a loop, so a
letter returned 100 times costs 100 times more per step, and past depth 1000 its tasks become
invisible and the instance reports itself complete (research §7.6).  When a user task becomes
ready again on a simple loop, we reset the tree to that task's first occurrence (the same
mechanism as a recall) and give it the data it would have had.  The history of every round
lives in Lontar's own tables (human_task rows with what was submitted, and the audit trail),
not in the task tree, so nothing is lost.
"""

from __future__ import annotations

import copy

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.util.task import TaskState

_UNFINISHED = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
DEEP = 10**6


def compact_loops(workflow: BpmnWorkflow) -> int:
    """Fold every simple loop back onto its first pass; returns how many were folded."""
    folded = 0
    for task in workflow.get_tasks(state=TaskState.READY, manual=True, max_depth=DEEP):
        if task.workflow is not workflow:
            continue  # inside a subprocess: its own tree, left alone
        # A task with boundary events (timers) sits under a BoundaryEventSplit with its timers
        # beside it: those waiting timers belong to this pass, and SpiffWorkflow's reset re-arms
        # the boundary branches with the task.
        anchor = task.parent if isinstance(task.parent.task_spec, BoundaryEventSplit) else task
        first = None
        ancestor = task.parent
        while ancestor is not None:
            if ancestor.task_spec is task.task_spec and ancestor.state == TaskState.COMPLETED:
                first = ancestor
            ancestor = ancestor.parent
        if first is None:
            continue
        others = [
            t for t in first
            if t is not first and t.state & _UNFINISHED and not _within(t, anchor)  # type: ignore[operator]
        ]
        if others:
            continue  # another branch is still running inside the loop: resetting would lose it
        data = copy.deepcopy(task.data)
        workflow.reset_from_task_id(first.id)
        _forget_removed_waiting(workflow)
        first.data = data
        folded += 1
    return folded


def _forget_removed_waiting(workflow: BpmnWorkflow) -> None:
    """SpiffWorkflow 3.2's reset removes tasks from the tree but leaves the waiting ones (the
    boundary timers of the later pass) in the event manager, whose next refresh_timers() then
    updates a task without a parent.  Drop what the tree no longer holds."""
    manager = workflow.event_manager
    for task_id, task in list(manager.tasks.items()):
        if task.workflow.tasks.get(task_id) is not task:
            manager.tasks.pop(task_id, None)


def _within(task: object, anchor: object) -> bool:
    """`task` is `anchor` or lies below it."""
    node = task
    while node is not None:
        if node is anchor:
            return True
        node = node.parent  # type: ignore[attr-defined]
    return False


def max_depth(workflow: BpmnWorkflow) -> int:
    return max((t.depth for t in workflow.get_tasks(max_depth=DEEP)), default=0)
