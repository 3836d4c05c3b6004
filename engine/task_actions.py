"""Claim, unclaim, delegate with return, recall, reassign — and `submit`, the one call the web
layer makes when someone sends a task's form.

Every function here works like WorkflowEngine.complete: it locks the instance row
(`engine.lock_task`), re-reads the task, checks, writes the task, one audit row on the
instance's chain and the instance row (its audit head and version: the optimistic check), and
flushes.  Nothing commits.  A second click, or someone who was faster, gets a Conflict that
says what happened; nothing is changed.  Who may do what: engine.task_rules.

Delegate with return: the owner hands the task to a subordinate (delegation_state
"delegated", assignee = the delegate).  When the delegate sends the form, `submit` does not run
the engine: the values wait in `pending`, the task goes back to the owner ("returned").  The
owner's form opens with those values; when the owner sends it, the engine completes the task.
WorkflowEngine.complete itself refuses a task in "delegated" state, so nothing skips the owner.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from engine import audit, messages
from engine.access import administers_instance
from engine.errors import Conflict, LontarError, NotAllowed
from engine.inbox import capacity, may_act
from engine.models import HumanTask, ProcessInstance, User
from engine.runtime import StepResult, WorkflowEngine, _stale_is_conflict
from engine.runtime_support import actor_for as actor_of
from engine.serialization import json_safe
from engine.task_rules import (
    allowed_delegates,
    is_candidate,
    last_event,
    me_and_principals,
    reassign_targets,
)

messages.register(
    {
        "task.already_claimed": ("Tugas ini sudah diambil oleh {name}.", "This task was already claimed by {name}."),
        "task.not_claimed_by_you": (
            "Tugas ini tidak sedang Anda ambil.",
            "You are not holding this task.",
        ),
        "task.delegated_to": (
            "Tugas ini sedang didelegasikan kepada {name}.",
            "This task is delegated to {name}.",
        ),
        "task.not_delegated": ("Tugas ini tidak sedang didelegasikan.", "This task is not delegated."),
        "task.delegate_refused": (
            "Tugas tidak dapat didelegasikan kepada {name}: hanya kepada bawahan Anda di perangkat daerah yang sama.",
            "The task cannot be delegated to {name}: only to your subordinates in the same agency.",
        ),
        "task.answer_pending": (
            "Jawaban Anda sudah dikirim kepada {name} dan menunggu konfirmasinya.",
            "Your answer was sent to {name} and waits for their confirmation.",
        ),
        "task.already_assigned": ("Tugas ini sudah ditugaskan kepada {name}.", "This task is already assigned to {name}."),
        "task.reassign_refused": (
            "Tugas tidak dapat dialihkan kepada {name}: ia tidak memegang jabatan di unit proses ini.",
            "The task cannot be reassigned to {name}: they hold no position in this process's unit.",
        ),
        "task.reason_required": ("Tuliskan alasan pengalihan.", "Write the reason for reassigning."),
        "history.task.claimed": ("Mengambil tugas: {summary}", "Claimed the task: {summary}"),
        "history.task.unclaimed": ("Melepaskan tugas: {summary}", "Released the task: {summary}"),
        "history.task.delegated": ("Mendelegasikan: {summary}", "Delegated: {summary}"),
        "history.task.returned_to_owner": (
            "Mengirim jawaban untuk dikonfirmasi: {summary}",
            "Sent the answer for confirmation: {summary}",
        ),
        "history.task.delegation_recalled": ("Menarik kembali delegasi: {summary}", "Took the task back: {summary}"),
        "history.task.reassigned": ("Mengalihkan tugas: {summary}", "Reassigned the task: {summary}"),
    }
)


class AlreadyClaimed(Conflict):
    key = "task.already_claimed"


class NotClaimedByYou(Conflict):
    key = "task.not_claimed_by_you"


class InDelegation(Conflict):
    key = "task.delegated_to"


class NotDelegated(Conflict):
    key = "task.not_delegated"


class AnswerPending(Conflict):
    key = "task.answer_pending"


class AlreadyAssigned(Conflict):
    key = "task.already_assigned"


class DelegateRefused(NotAllowed):
    key = "task.delegate_refused"


class ReassignRefused(NotAllowed):
    key = "task.reassign_refused"


class ReasonRequired(LontarError):
    key = "task.reason_required"
    http_status = 422


@dataclass
class Submitted:
    """What sending a task's form did: the engine ran (`step`), or the answer went to the owner."""

    step: StepResult | None
    returned_to: User | None = None


# -- helpers -----------------------------------------------------------------------------------
def _name(session: Session, user_id: int | None) -> str:
    person = session.get(User, user_id) if user_id else None
    return person.name if person is not None else "?"


def _actor(session: Session, user: User, task_id: int, engine: WorkflowEngine) -> audit.Actor:
    """As WorkflowEngine.complete names the actor: in which position, and a.n. whom."""
    acting = capacity(session, user.id, task_id, engine.clock.today())
    return actor_of(user, acting.position, acting)


def _hold(engine: WorkflowEngine, row: ProcessInstance) -> None:
    """Between reading and writing: the test hook that the race tests hold threads in."""
    if engine.after_load is not None:
        engine.after_load(row)


def _write(
    session: Session,
    engine: WorkflowEngine,
    row: ProcessInstance,
    human: HumanTask,
    action: str,
    actor: audit.Actor,
    summary: str,
    after: dict[str, Any] | None = None,
) -> None:
    now = engine.clock.now()
    event = audit.record(session, action=action, actor=actor, instance_id=row.id, task_guid=human.task_guid,
                         bpmn_id=human.bpmn_id, summary=summary, after=after, at=now)
    row.audit_seq = event.seq  # the instance row changes too: its version is the optimistic check
    row.updated_at = now
    session.flush()


# -- actions -----------------------------------------------------------------------------------
@_stale_is_conflict
def claim(session: Session, engine: WorkflowEngine, task_id: int, user: User) -> HumanTask:
    """Take a ready task for oneself: it leaves the other candidates' inboxes."""
    row, human = engine.lock_task(session, task_id)
    today = engine.clock.today()
    if not is_candidate(session, user.id, task_id, today):
        raise NotAllowed()
    if human.assignee_id is not None:
        raise AlreadyClaimed(name=_name(session, human.assignee_id))
    _hold(engine, row)
    human.assignee_id, human.claimed_at = user.id, engine.clock.now()
    _write(session, engine, row, human, "task.claimed", _actor(session, user, task_id, engine), human.name)
    return human


@_stale_is_conflict
def unclaim(session: Session, engine: WorkflowEngine, task_id: int, user: User) -> HumanTask:
    """Give a claimed task back to all its candidates (the assignee, or their deputy)."""
    row, human = engine.lock_task(session, task_id)
    today = engine.clock.today()
    if human.assignee_id not in me_and_principals(session, user.id, today):
        if is_candidate(session, user.id, task_id, today):
            raise NotClaimedByYou()
        raise NotAllowed()
    if human.delegation_state is not None:
        raise InDelegation(name=_name(session, human.assignee_id))
    _hold(engine, row)
    actor = _actor(session, user, task_id, engine)
    human.assignee_id, human.claimed_at = None, None
    _write(session, engine, row, human, "task.unclaimed", actor, human.name)
    return human


@_stale_is_conflict
def delegate(
    session: Session, engine: WorkflowEngine, task_id: int, user: User, to_user_id: int, note: str = ""
) -> HumanTask:
    """Hand the task to a subordinate; their answer comes back to `user` to confirm."""
    row, human = engine.lock_task(session, task_id)
    today = engine.clock.today()
    if human.delegation_state == "delegated":
        if human.owner_id in me_and_principals(session, user.id, today):
            raise InDelegation(name=_name(session, human.assignee_id))
        raise NotAllowed()
    if not may_act(session, user.id, task_id, today):
        raise NotAllowed()
    target = session.get(User, to_user_id)
    if target is None or target.id not in {u.id for u in allowed_delegates(session, task_id, user, today)}:
        raise DelegateRefused(name=target.name if target is not None else f"#{to_user_id}")
    _hold(engine, row)
    actor = _actor(session, user, task_id, engine)
    note = note.strip()[:500]
    human.owner_id, human.assignee_id, human.delegation_state = user.id, target.id, "delegated"
    human.claimed_at = human.claimed_at or engine.clock.now()
    _write(session, engine, row, human, "task.delegated", actor, f"{human.name} → {target.name}",
           after={"kepada": target.name, "catatan": note})
    return human


@_stale_is_conflict
def recall_delegation(session: Session, engine: WorkflowEngine, task_id: int, user: User) -> HumanTask:
    """The owner takes a delegated task back before the delegate has answered."""
    row, human = engine.lock_task(session, task_id)
    today = engine.clock.today()
    mine = me_and_principals(session, user.id, today)
    if human.delegation_state != "delegated":
        if human.assignee_id in mine:
            raise NotDelegated()
        raise NotAllowed()
    if human.owner_id not in mine:
        raise NotAllowed()
    _hold(engine, row)
    delegate_name = _name(session, human.assignee_id)
    actor = _actor(session, user, task_id, engine)
    human.assignee_id, human.claimed_at = human.owner_id, engine.clock.now()
    human.owner_id = human.delegation_state = human.pending = None
    _write(session, engine, row, human, "task.delegation_recalled", actor, f"{human.name} ← {delegate_name}")
    return human


@_stale_is_conflict
def reassign(
    session: Session, engine: WorkflowEngine, task_id: int, admin_user: User, to_user_id: int, reason: str
) -> HumanTask:
    """An admin of the instance's unit (or above) gives the task to someone in that unit."""
    row, human = engine.lock_task(session, task_id)
    today = engine.clock.today()
    if not administers_instance(session, admin_user.id, row.id):
        raise NotAllowed()
    reason = reason.strip()[:300]
    if not reason:
        raise ReasonRequired()
    target = session.get(User, to_user_id)
    if target is None or target.id not in {u.id for u in reassign_targets(session, row, today)}:
        raise ReassignRefused(name=target.name if target is not None else f"#{to_user_id}")
    if human.assignee_id == target.id and human.delegation_state is None:
        raise AlreadyAssigned(name=target.name)
    _hold(engine, row)
    previous = _name(session, human.assignee_id) if human.assignee_id else ""
    actor = _actor(session, admin_user, task_id, engine)
    human.assignee_id, human.claimed_at = target.id, engine.clock.now()
    human.owner_id = human.delegation_state = human.pending = None
    _write(session, engine, row, human, "task.reassigned", actor, f"{human.name} → {target.name}: {reason}",
           after={"dari": previous, "kepada": target.name, "alasan": reason})
    return human


@_stale_is_conflict
def submit(
    session: Session, engine: WorkflowEngine, task_id: int, *, user: User, data: Mapping[str, Any]
) -> Submitted:
    """Send a task's form: the delegate's answer goes back to the owner; anyone else completes."""
    row, human = engine.lock_task(session, task_id)
    today = engine.clock.today()
    if not may_act(session, user.id, task_id, today):
        if human.delegation_state == "returned":
            answer = last_event(session, human, "task.returned_to_owner")
            if answer is not None and answer.actor_id in me_and_principals(session, user.id, today):
                raise AnswerPending(name=_name(session, human.owner_id))
        if human.delegation_state == "delegated" and human.owner_id in me_and_principals(session, user.id, today):
            raise InDelegation(name=_name(session, human.assignee_id))
        if human.assignee_id is not None and is_candidate(session, user.id, task_id, today):
            raise AlreadyClaimed(name=_name(session, human.assignee_id))
        raise NotAllowed()
    if human.delegation_state == "delegated":
        _hold(engine, row)
        actor = _actor(session, user, task_id, engine)
        answer = json_safe(copy.deepcopy(dict(data)))
        owner = session.get(User, human.owner_id)
        human.pending, human.delegation_state, human.assignee_id = answer, "returned", human.owner_id
        _write(session, engine, row, human, "task.returned_to_owner", actor,
               f"{human.name} → {owner.name if owner else '?'}", after=answer)
        return Submitted(None, owner)
    values = dict(data)
    if human.delegation_state == "returned" and human.pending:
        values = {**human.pending, **values}  # what the owner left out (an attachment) stays the delegate's
    return Submitted(engine.complete(session, task_id, user=user, data=values))

