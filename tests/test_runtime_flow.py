"""The nota dinas flow end to end through the engine, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from engine import audit
from engine.models import AuditEvent
from tests.flow import APPROVE, DRAFT, act, give_back, inbox_of, instance_row, start, tasks_of


def test_nota_dinas_with_two_returns_reaches_done(deployed, engine):
    instance_id = start(deployed, engine)
    assert [name for _, name, _ in inbox_of(deployed, engine, "budi")] == ["Susun nota dinas"]
    assert inbox_of(deployed, engine, "sari") == []  # not yet hers

    act(deployed, engine, "budi", instance_id, DRAFT)
    assert [n for _, n, _ in inbox_of(deployed, engine, "sari")] == ["Periksa (atasan langsung)"]
    assert inbox_of(deployed, engine, "budi") == []

    act(deployed, engine, "sari", instance_id, give_back("Perbaiki paragraf kedua"))
    (task_id, name, _), = inbox_of(deployed, engine, "budi")
    assert name == "Susun nota dinas"
    ready = [t for t in tasks_of(deployed, instance_id) if t.id == task_id][0]
    assert ready.context["catatan"] == "Perbaiki paragraf kedua"  # the note reaches the konseptor
    assert ready.context["perihal"] == "Rapat koordinasi"  # and what was typed before is kept

    act(deployed, engine, "budi", instance_id, {**DRAFT, "isi": "Mohon hadir tepat waktu."})
    act(deployed, engine, "sari", instance_id, APPROVE)
    assert [n for _, n, _ in inbox_of(deployed, engine, "agus")] == ["Persetujuan kepala unit"]

    act(deployed, engine, "agus", instance_id, give_back("Tambahkan tempat rapat"))
    act(deployed, engine, "budi", instance_id, {**DRAFT, "isi": "Mohon hadir di aula."})
    act(deployed, engine, "sari", instance_id, APPROVE)
    result = act(deployed, engine, "agus", instance_id, APPROVE)

    assert result.instance.status == "completed"
    row = instance_row(deployed, instance_id)
    assert row.status == "completed" and row.finished_at is not None
    assert row.title == "Rapat koordinasi"
    assert "selesai" in row.marks["done"] and row.marks["current"] == []
    history = [(t.bpmn_id, t.status) for t in tasks_of(deployed, instance_id)]
    assert history == [
        ("susun", "completed"), ("periksa_atasan", "completed"), ("susun", "completed"),
        ("periksa_atasan", "completed"), ("setujui_kepala", "completed"), ("susun", "completed"),
        ("periksa_atasan", "completed"), ("setujui_kepala", "completed"),
    ]
    for username in ("budi", "sari", "agus"):
        assert inbox_of(deployed, engine, username) == []


def test_completed_task_records_actor_position_and_submitted_values(deployed, engine):
    instance_id = start(deployed, engine)
    act(deployed, engine, "budi", instance_id, DRAFT)
    first = tasks_of(deployed, instance_id)[0]
    assert first.submitted == DRAFT
    with deployed.transaction(write=False) as session:
        from engine.models import Position

        assert session.get(Position, first.completed_as_position_id).name == "Pranata Komputer Ahli Muda"
        events = session.scalars(select(AuditEvent).where(AuditEvent.instance_id == instance_id)
                                 .order_by(AuditEvent.seq)).all()
        assert [e.action for e in events] == ["instance.started", "task.completed"]
        assert events[1].actor_position == "Pranata Komputer Ahli Muda"
        assert events[1].after == DRAFT and events[1].before == {"tujuan": None, "perihal": None, "isi": None}
        assert audit.verify(session) == []


def test_other_skpd_staff_never_see_the_task(deployed, engine):
    instance_id = start(deployed, engine)
    act(deployed, engine, "budi", instance_id, DRAFT)
    for outsider in ("rina", "hadi", "wati", "agus"):
        assert inbox_of(deployed, engine, outsider) == []
    assert len(inbox_of(deployed, engine, "sari")) == 1


def test_cancel_closes_open_tasks(deployed, engine):
    from tests.flow import get_user

    instance_id = start(deployed, engine)
    with deployed.transaction() as session:
        engine.cancel(session, instance_id, user=get_user(session, "budi"), reason="Salah kirim")
    assert instance_row(deployed, instance_id).status == "cancelled"
    assert inbox_of(deployed, engine, "budi") == []
    assert [t.status for t in tasks_of(deployed, instance_id)] == ["cancelled"]
