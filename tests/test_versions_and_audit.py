"""Version pinning, idempotent deploys, loop folding, and the tamper-evident audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from engine import audit
from engine.audit import Actor
from engine.errors import LoopLimitExceeded
from engine.models import AuditEvent, ProcessInstance, ProcessVersion
from engine.runtime import EngineConfig, WorkflowEngine
from tests.conftest import NOTA_DINAS
from tests.flow import APPROVE, DRAFT, act, give_back, inbox_of, instance_row, start

V2 = NOTA_DINAS.read_bytes().replace(b'name="Persetujuan kepala unit"', b'name="Persetujuan kepala dinas"')


def _deploy(db, engine, data: bytes):  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        outcome = engine.registry.deploy(session, data, actor=Actor(None, "test"), filename="nota_dinas.bpmn")
        return outcome.version.version, outcome.created


def test_deploying_the_same_file_twice_adds_nothing(deployed, engine):
    assert _deploy(deployed, engine, NOTA_DINAS.read_bytes()) == (1, False)
    assert _deploy(deployed, engine, V2) == (2, True)
    assert _deploy(deployed, engine, V2) == (2, False)
    assert _deploy(deployed, engine, NOTA_DINAS.read_bytes()) == (1, False)  # never resurrected as v3


def test_running_instance_stays_on_its_version(deployed, engine):
    old = start(deployed, engine)
    act(deployed, engine, "budi", old, DRAFT)
    _deploy(deployed, engine, V2)
    new = start(deployed, engine)
    assert instance_row(deployed, old).version.version == 1
    assert instance_row(deployed, new).version.version == 2
    act(deployed, engine, "sari", old, APPROVE)
    names = {name for _, name, iid in inbox_of(deployed, engine, "agus") if iid == old}
    assert names == {"Persetujuan kepala unit"}  # the v1 name, although v2 renamed it
    act(deployed, engine, "agus", old, APPROVE)
    assert instance_row(deployed, old).status == "completed"
    act(deployed, engine, "budi", new, DRAFT)
    act(deployed, engine, "sari", new, APPROVE)
    assert {n for _, n, iid in inbox_of(deployed, engine, "agus") if iid == new} == {"Persetujuan kepala dinas"}


def test_many_returns_keep_the_state_bounded(deployed, engine):
    instance_id = start(deployed, engine)
    sizes = []
    for round_no in range(30):
        act(deployed, engine, "budi", instance_id, {**DRAFT, "isi": f"versi {round_no}"})
        act(deployed, engine, "sari", instance_id, give_back(f"catatan {round_no}"))
        sizes.append(len(instance_row(deployed, instance_id).state))
    assert max(sizes[5:]) - min(sizes[5:]) < 200  # no growth with history
    act(deployed, engine, "budi", instance_id, DRAFT)
    act(deployed, engine, "sari", instance_id, APPROVE)
    act(deployed, engine, "agus", instance_id, APPROVE)
    assert instance_row(deployed, instance_id).status == "completed"


def test_return_loop_over_the_limit_is_refused_with_a_message(deployed, form_library):
    engine = WorkflowEngine(form_exists=lambda k: k in form_library, config=EngineConfig(max_task_repeats=2))
    instance_id = start(deployed, engine)
    act(deployed, engine, "budi", instance_id, DRAFT)
    act(deployed, engine, "sari", instance_id, give_back("satu"))
    act(deployed, engine, "budi", instance_id, DRAFT)
    act(deployed, engine, "sari", instance_id, give_back("dua"))  # the second return: still allowed
    act(deployed, engine, "budi", instance_id, DRAFT)
    with pytest.raises(LoopLimitExceeded) as refused:
        act(deployed, engine, "sari", instance_id, give_back("tiga"))
    assert "batas 2" in refused.value.message()
    # nothing changed: the review is still waiting for sari, and approving still works
    assert [n for _, n, iid in inbox_of(deployed, engine, "sari") if iid == instance_id] == ["Periksa (atasan langsung)"]
    act(deployed, engine, "sari", instance_id, APPROVE)


def test_altered_audit_row_is_named_by_verify(deployed, engine):
    instance_id = start(deployed, engine)
    act(deployed, engine, "budi", instance_id, DRAFT)
    act(deployed, engine, "sari", instance_id, APPROVE)
    with deployed.transaction() as session:
        assert audit.verify(session) == []
        target = session.scalars(select(AuditEvent).where(
            AuditEvent.instance_id == instance_id, AuditEvent.action == "task.completed").order_by(AuditEvent.seq)).first()
        session.execute(update(AuditEvent).where(AuditEvent.id == target.id).values(
            after={**target.after, "perihal": "Diubah diam-diam"}))
    with deployed.transaction(write=False) as session:
        findings = audit.verify(session)
    assert [(f.row_id, f.key) for f in findings] == [(target.id, "audit.altered")]
    assert f"#{target.id}" in findings[0].message()


def test_removed_audit_rows_are_found_in_the_middle_and_at_the_end(deployed, engine):
    first = start(deployed, engine)
    act(deployed, engine, "budi", first, DRAFT)
    act(deployed, engine, "sari", first, APPROVE)
    second = start(deployed, engine)
    act(deployed, engine, "budi", second, DRAFT)
    with deployed.transaction() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.instance_id == first).order_by(AuditEvent.seq)).all()
        middle = rows[1]
        session.delete(middle)
        last = session.scalars(select(AuditEvent).where(AuditEvent.instance_id == second)
                               .order_by(AuditEvent.seq.desc())).first()
        session.delete(last)
    with deployed.transaction(write=False) as session:
        findings = {f.chain: f.key for f in audit.verify(session)}
        assert session.get(ProcessInstance, second).audit_seq == last.seq
    assert findings == {f"instance:{first}": "audit.removed", f"instance:{second}": "audit.truncated"}


def test_deploys_are_audited_on_the_system_chain(deployed):
    with deployed.transaction(write=False) as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.chain == "system")).all()
        versions = session.scalars(select(ProcessVersion)).all()
    assert [e.action for e in events] == ["process.deployed"] and len(versions) == 1
