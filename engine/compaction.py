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
from SpiffWorkflow.util.task import TaskState

_UNFINISHED = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
DEEP = 10**6


def compact_loops(workflow: BpmnWorkflow) -> int:
    """Fold every simple loop back onto its first pass; returns how many were folded."""
    folded = 0
    for task in workflow.get_tasks(state=TaskState.READY, manual=True, max_depth=DEEP):
        if task.workflow is not workflow:
            continue  # inside a subprocess: its own tree, left alone
        first = None
        ancestor = task.parent
        while ancestor is not None:
            if ancestor.task_spec is task.task_spec and ancestor.state == TaskState.COMPLETED:
                first = ancestor
            ancestor = ancestor.parent
        if first is None:
            continue
        others = [
            t for t in first if t is not first and t is not task and t.state & _UNFINISHED  # type: ignore[operator]
        ]
        if others:
            continue  # another branch is still running inside the loop: resetting would lose it
        data = copy.deepcopy(task.data)
        workflow.reset_from_task_id(first.id)
        first.data = data
        folded += 1
    return folded


def max_depth(workflow: BpmnWorkflow) -> int:
    return max((t.depth for t in workflow.get_tasks(max_depth=DEEP)), default=0)
