"""A deputy (Delegation: out of office) and an acting official (Plh/Plt) work the Kabid's review.

Both are joined at query time (engine.inbox), so a deputy named today, or a Plh appointed
today, reaches a review that was already waiting; outside their dates they see nothing and
may do nothing.  The audit names who acted and in which capacity.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.errors import NotAllowed
from engine.models import AuditEvent
from engine.task_actions import submit
from tests.flow import APPROVE, DRAFT, act, get_user, inbox_of, start, task_in_inbox
from tests.org_setup import KABID, SARI, acting_kabid, deputy_of


def _review(db, engine) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    instance_id = start(db, engine)
    act(db, engine, "budi", instance_id, DRAFT)
    return instance_id, task_in_inbox(db, engine, "sari", instance_id)


def _completed_review(db, instance_id: int) -> AuditEvent:  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        return session.scalars(select(AuditEvent).where(
            AuditEvent.instance_id == instance_id, AuditEvent.action == "task.completed",
            AuditEvent.bpmn_id == "periksa_atasan")).one()


def _answer(db, engine, username: str, task_id: int) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        submit(session, engine, task_id, user=get_user(session, username), data=APPROVE)


def test_a_deputy_sees_and_completes_the_principals_review_on_her_behalf(deployed, engine):
    today = engine.clock.today()
    deputy_of(deployed, "sari", "nina", "Nina Rahayu, S.Kom.", today, today)
    instance_id, task_id = _review(deployed, engine)

    assert [t[0] for t in inbox_of(deployed, engine, "nina")] == [task_id]
    _answer(deployed, engine, "nina", task_id)

    event = _completed_review(deployed, instance_id)
    assert (event.actor_name, event.on_behalf_of, event.actor_position) == ("Nina Rahayu, S.Kom.", SARI, KABID)
    assert task_in_inbox(deployed, engine, "agus", instance_id)


def test_a_deputy_outside_the_dates_sees_nothing_and_may_not_act(deployed, engine):
    today = engine.clock.today()
    deputy_of(deployed, "sari", "nina", "Nina Rahayu, S.Kom.", today - timedelta(days=10), today - timedelta(days=1))
    instance_id, task_id = _review(deployed, engine)

    assert inbox_of(deployed, engine, "nina") == []
    with pytest.raises(NotAllowed):
        _answer(deployed, engine, "nina", task_id)
    assert task_in_inbox(deployed, engine, "sari", instance_id) == task_id


def test_a_plh_appointed_today_sees_and_completes_the_review_as_plh(deployed, engine):
    instance_id, task_id = _review(deployed, engine)  # the review was waiting before the appointment
    acting_kabid(deployed, "tono", "Tono Prasetya", kind="plh", valid_from=engine.clock.today())

    assert [t[0] for t in inbox_of(deployed, engine, "tono")] == [task_id]
    _answer(deployed, engine, "tono", task_id)

    event = _completed_review(deployed, instance_id)
    assert (event.actor_name, event.actor_position, event.on_behalf_of) == ("Tono Prasetya", f"Plh. {KABID}", "")
    assert inbox_of(deployed, engine, "sari") == []


def test_a_plh_whose_term_ended_yesterday_sees_nothing(deployed, engine):
    today = engine.clock.today()
    acting_kabid(deployed, "tono", "Tono Prasetya", kind="plh", valid_from=today - timedelta(days=7),
                 valid_to=today - timedelta(days=1))
    instance_id, task_id = _review(deployed, engine)

    assert inbox_of(deployed, engine, "tono") == []
    with pytest.raises(NotAllowed):
        _answer(deployed, engine, "tono", task_id)
    assert task_in_inbox(deployed, engine, "sari", instance_id) == task_id
