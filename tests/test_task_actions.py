"""Claim / unclaim, delegate with return, recall and reassign, through the engine API.

The review of a nota dinas (periksa_atasan) waits for the Kabid Aptika position: Sari holds it,
and in several tests Tono holds it too as Plh, so the task has two candidates.  Joko is a new
staff member under Sari (tests/org_setup.py), the subordinate she delegates to.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import audit
from engine.errors import ConcurrentUpdate, NotAllowed
from engine.models import AuditEvent, HumanTask
from engine.runtime import EngineConfig, WorkflowEngine
from engine.task_actions import (
    AlreadyAssigned,
    AlreadyClaimed,
    AnswerPending,
    DelegateRefused,
    InDelegation,
    NotClaimedByYou,
    NotDelegated,
    ReasonRequired,
    ReassignRefused,
    claim,
    delegate,
    reassign,
    recall_delegation,
    submit,
    unclaim,
)
from engine.task_rules import allowed_delegates
from tests.flow import APPROVE, DRAFT, act, get_user, inbox_of, start, task_in_inbox
from tests.org_setup import KABID, SARI, acting_kabid, staff_under_kabid, unit_admin
from tests.race import race


def _review(db, engine) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """budi has drafted; the review waits for the Kabid.  Returns (instance id, task id)."""
    instance_id = start(db, engine)
    act(db, engine, "budi", instance_id, DRAFT)
    return instance_id, task_in_inbox(db, engine, "sari", instance_id)


def _do(db, engine, action, task_id: int, username: str, *args):  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        return action(session, engine, task_id, get_user(session, username), *args)


def _ids(db, engine, username: str) -> list[int]:  # type: ignore[no-untyped-def]
    return [task_id for task_id, _name, _instance in inbox_of(db, engine, username)]


def _task(db, task_id: int) -> HumanTask:  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        return session.get(HumanTask, task_id)


def _events(db, instance_id: int, *actions: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        query = select(AuditEvent).where(AuditEvent.instance_id == instance_id).order_by(AuditEvent.seq)
        if actions:
            query = query.where(AuditEvent.action.in_(actions))
        return list(session.scalars(query))


# --- claim and unclaim -------------------------------------------------------------------------


def test_a_claimed_task_leaves_the_other_inbox_and_a_second_claim_names_the_claimer(deployed, engine):
    acting_kabid(deployed)
    instance_id, task_id = _review(deployed, engine)
    assert task_id in _ids(deployed, engine, "sari") and task_id in _ids(deployed, engine, "tono")

    _do(deployed, engine, claim, task_id, "tono")

    assert task_id in _ids(deployed, engine, "tono")
    assert task_id not in _ids(deployed, engine, "sari")
    with pytest.raises(AlreadyClaimed) as refused:
        _do(deployed, engine, claim, task_id, "sari")
    assert "sudah diambil oleh Tono Plh" in refused.value.message()
    with pytest.raises(AlreadyClaimed), deployed.transaction() as session:  # nor can she answer it
        submit(session, engine, task_id, user=get_user(session, "sari"), data=APPROVE)
    with pytest.raises(NotAllowed):  # budi is no candidate at all
        _do(deployed, engine, claim, task_id, "budi")
    (claimed,) = _events(deployed, instance_id, "task.claimed")
    assert (claimed.actor_name, claimed.actor_position) == ("Tono Plh", f"Plh. {KABID}")
    assert _task(deployed, task_id).claimed_at is not None


def test_unclaim_gives_it_back_to_every_candidate(deployed, engine):
    acting_kabid(deployed)
    instance_id, task_id = _review(deployed, engine)
    _do(deployed, engine, claim, task_id, "tono")
    with pytest.raises(NotClaimedByYou):
        _do(deployed, engine, unclaim, task_id, "sari")
    with pytest.raises(NotAllowed):
        _do(deployed, engine, unclaim, task_id, "budi")

    _do(deployed, engine, unclaim, task_id, "tono")

    assert task_id in _ids(deployed, engine, "sari") and task_id in _ids(deployed, engine, "tono")
    assert (_task(deployed, task_id).assignee_id, _task(deployed, task_id).claimed_at) == (None, None)
    with pytest.raises(NotClaimedByYou):  # a second click
        _do(deployed, engine, unclaim, task_id, "tono")
    assert [e.action for e in _events(deployed, instance_id, "task.claimed", "task.unclaimed")] == [
        "task.claimed", "task.unclaimed"]
    act(deployed, engine, "sari", instance_id, APPROVE)  # and the flow goes on as before
    assert task_in_inbox(deployed, engine, "agus", instance_id)


# --- delegate with return ----------------------------------------------------------------------


def test_delegate_answers_owner_confirms_and_the_audit_shows_both(deployed, engine):
    staff_under_kabid(deployed)
    instance_id, task_id = _review(deployed, engine)

    _do(deployed, engine, delegate, task_id, "sari", get_user_id(deployed, "joko"), "Tolong diperiksa isinya.")

    assert task_id not in _ids(deployed, engine, "sari")
    assert task_id in _ids(deployed, engine, "joko")
    with pytest.raises(InDelegation):  # a second click on "Delegasikan"
        _do(deployed, engine, delegate, task_id, "sari", get_user_id(deployed, "joko"), "")
    with pytest.raises(NotAllowed), deployed.transaction() as session:  # the engine alone never skips the owner
        engine.complete(session, task_id, user=get_user(session, "joko"), data=APPROVE)

    answer = {"keputusan": "kembalikan", "catatan": "Paragraf dua kurang jelas."}
    with deployed.transaction() as session:
        sent = submit(session, engine, task_id, user=get_user(session, "joko"), data=answer)
        assert sent.step is None and sent.returned_to.name == SARI

    task = _task(deployed, task_id)
    assert (task.status, task.delegation_state, task.pending) == ("ready", "returned", answer)
    assert task_id not in _ids(deployed, engine, "joko") and task_id in _ids(deployed, engine, "sari")
    with pytest.raises(AnswerPending) as again, deployed.transaction() as session:
        submit(session, engine, task_id, user=get_user(session, "joko"), data=answer)
    assert SARI in again.value.message()

    with deployed.transaction() as session:  # sari changes the decision and confirms
        done = submit(session, engine, task_id, user=get_user(session, "sari"), data=APPROVE)
        assert done.step is not None and done.returned_to is None
    assert _task(deployed, task_id).status == "completed"
    assert task_in_inbox(deployed, engine, "agus", instance_id)

    events = _events(deployed, instance_id, "task.delegated", "task.returned_to_owner", "task.completed")
    trail = [(e.action, e.actor_name, e.actor_position) for e in events if e.bpmn_id == "periksa_atasan"]
    assert trail == [
        ("task.delegated", SARI, KABID),
        ("task.returned_to_owner", "Joko Susilo, S.Kom.", "Analis Sistem Informasi"),
        ("task.completed", SARI, KABID),
    ]
    delegated, returned, completed = (e for e in events if e.bpmn_id == "periksa_atasan")
    assert delegated.after == {"kepada": "Joko Susilo, S.Kom.", "catatan": "Tolong diperiksa isinya."}
    assert returned.after == answer and completed.after == APPROVE
    with deployed.transaction(write=False) as session:
        assert audit.verify(session) == []


def test_only_subordinates_in_the_same_skpd_may_be_delegates(deployed, engine):
    staff_under_kabid(deployed)
    instance_id, task_id = _review(deployed, engine)
    with deployed.transaction(write=False) as session:
        names = [u.username for u in allowed_delegates(session, task_id, get_user(session, "sari"), engine.clock.today())]
    assert sorted(names) == ["budi", "joko"]

    for outsider in ("rina", "agus", "dewi", "sari"):  # other SKPD, her superior, same SKPD not below her, herself
        with pytest.raises(DelegateRefused):
            _do(deployed, engine, delegate, task_id, "sari", get_user_id(deployed, outsider), "")
    assert _events(deployed, instance_id, "task.delegated") == []
    assert _task(deployed, task_id).delegation_state is None

    _do(deployed, engine, delegate, task_id, "sari", get_user_id(deployed, "joko"), "")
    assert _task(deployed, task_id).assignee_id == get_user_id(deployed, "joko")
    with pytest.raises(NotAllowed):  # someone who may not act on the task cannot delegate it
        _do(deployed, engine, delegate, task_id, "agus", get_user_id(deployed, "budi"), "")


def test_the_owner_takes_a_delegated_task_back(deployed, engine):
    staff_under_kabid(deployed)
    instance_id, task_id = _review(deployed, engine)
    _do(deployed, engine, delegate, task_id, "sari", get_user_id(deployed, "joko"), "")
    with pytest.raises(NotAllowed):
        _do(deployed, engine, recall_delegation, task_id, "joko")
    with pytest.raises(InDelegation):  # the delegate holds it: no unclaim around the owner
        _do(deployed, engine, unclaim, task_id, "joko")

    _do(deployed, engine, recall_delegation, task_id, "sari")

    task = _task(deployed, task_id)
    assert (task.assignee_id, task.owner_id, task.delegation_state) == (get_user_id(deployed, "sari"), None, None)
    assert task_id not in _ids(deployed, engine, "joko") and task_id in _ids(deployed, engine, "sari")
    with pytest.raises(NotDelegated):
        _do(deployed, engine, recall_delegation, task_id, "sari")
    with pytest.raises(NotAllowed), deployed.transaction() as session:
        submit(session, engine, task_id, user=get_user(session, "joko"), data=APPROVE)
    assert [e.actor_name for e in _events(deployed, instance_id, "task.delegation_recalled")] == [SARI]


# --- reassign ----------------------------------------------------------------------------------


def test_reassign_by_the_skpd_admin_only(deployed, engine):
    staff_under_kabid(deployed)
    unit_admin(deployed, "admin_kominfo", "DISKOMINFO")
    unit_admin(deployed, "admin_dinkes", "DINKES")
    instance_id, task_id = _review(deployed, engine)
    joko = get_user_id(deployed, "joko")

    with pytest.raises(NotAllowed):
        _do(deployed, engine, reassign, task_id, "admin_dinkes", joko, "Kabid cuti")
    with pytest.raises(NotAllowed):
        _do(deployed, engine, reassign, task_id, "agus", joko, "Kabid cuti")
    with pytest.raises(ReasonRequired):
        _do(deployed, engine, reassign, task_id, "admin_kominfo", joko, "  ")
    with pytest.raises(ReassignRefused):  # rina works for Dinkes, not in this SKPD
        _do(deployed, engine, reassign, task_id, "admin_kominfo", get_user_id(deployed, "rina"), "Kabid cuti")
    assert _events(deployed, instance_id, "task.reassigned") == []

    _do(deployed, engine, reassign, task_id, "admin_kominfo", joko, "Kabid cuti")

    assert task_id in _ids(deployed, engine, "joko") and task_id not in _ids(deployed, engine, "sari")
    with pytest.raises(AlreadyAssigned):
        _do(deployed, engine, reassign, task_id, "admin_kominfo", joko, "Kabid cuti")
    _do(deployed, engine, reassign, task_id, "admin", get_user_id(deployed, "sari"), "Kabid sudah kembali")  # Pemda-wide
    (first, second) = _events(deployed, instance_id, "task.reassigned")
    assert first.actor_name == "Admin DISKOMINFO" and "Kabid cuti" in first.summary
    assert first.after == {"dari": "", "kepada": "Joko Susilo, S.Kom.", "alasan": "Kabid cuti"}
    assert second.after["dari"] == "Joko Susilo, S.Kom."
    act(deployed, engine, "sari", instance_id, APPROVE)


# --- races -------------------------------------------------------------------------------------


def _race(db, engine: WorkflowEngine, task_id: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return race(db, engine, lambda session, user: claim(session, engine, task_id, user))


def test_two_simultaneous_claims_one_wins_the_other_is_told_who(deployed, engine):
    """Both threads are held at a barrier after reading the task and before writing the claim.

    With the instance lock (FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite) the second
    cannot read until the first commits, so it sees the task claimed and is told by whom.
    Without the lock (EngineConfig(row_locks=False) on PostgreSQL) both read it unclaimed and
    pass the barrier together: the loser then fails the instance's version check with a bare
    ConcurrentUpdate (and without the version bump both would "win", the later claim silently
    overwriting the first) — either way this test fails on `AlreadyClaimed`.
    """
    acting_kabid(deployed)
    instance_id, task_id = _review(deployed, engine)

    outcome = _race(deployed, engine, task_id)

    winners = [name for name, result in outcome.items() if result == "ok"]
    assert len(winners) == 1, outcome
    (error,) = [result for result in outcome.values() if result != "ok"]
    assert isinstance(error, AlreadyClaimed), outcome
    assert {"sari": SARI, "tono": "Tono Plh"}[winners[0]] in error.message()
    assert _task(deployed, task_id).assignee_id == get_user_id(deployed, winners[0])
    assert len(_events(deployed, instance_id, "task.claimed")) == 1


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_without_row_locks_the_version_check_still_stops_a_double_claim(deployed, form_library):
    """Row locks off: both read the task unclaimed; the instance version lets one write through."""
    engine = WorkflowEngine(form_exists=lambda k: k in form_library, config=EngineConfig(row_locks=False))
    acting_kabid(deployed)
    instance_id, task_id = _review(deployed, engine)

    outcome = _race(deployed, engine, task_id)

    assert sorted("ok" if r == "ok" else type(r).__name__ for r in outcome.values()) == ["ConcurrentUpdate", "ok"]
    assert any(isinstance(r, ConcurrentUpdate) for r in outcome.values())
    assert len(_events(deployed, instance_id, "task.claimed")) == 1


def get_user_id(db, username: str) -> int:  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        return get_user(session, username).id
