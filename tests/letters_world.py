"""Driving the letter flows (registration, disposition, follow-up) through the engine API."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from engine.audit import Actor
from engine.clock import ManualClock
from engine.db import Database
from engine.disposition import DispositionChoice, Recipient
from engine.letter_flows import install
from engine.letters import IncomingLetter, register_incoming
from engine.models import Disposition, HumanTask, Letter, Position, Unit
from engine.organisation import positions_of
from engine.runtime import WorkflowEngine
from tests.flow import get_user

PROCESSES = Path(__file__).resolve().parent.parent / "processes"
MONDAY_9_WIB = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def prepare(db: Database, engine: WorkflowEngine) -> ManualClock:
    """Deploy the letter flows, seed the vocabularies, put the engine on a movable clock."""
    from engine import instructions, klasifikasi, notifications

    clock = ManualClock(MONDAY_9_WIB)
    engine.clock = clock
    notifications.install(engine, email=False)
    install(engine)  # after the notifications: its effects relabel the "new task" notices
    with db.transaction() as session:
        for name in ("surat_masuk.bpmn", "disposisi.bpmn"):
            engine.registry.deploy(session, (PROCESSES / name).read_bytes(), actor=Actor(None, "test"), filename=name)
        instructions.seed(session)
        klasifikasi.seed(session)
    return clock


def position_id(db: Database, code: str) -> int:
    with db.transaction(write=False) as session:
        return session.scalars(select(Position.id).where(Position.code == code)).one()


def register(db: Database, engine: WorkflowEngine, *, hal: str = "Undangan rapat SPBE", sifat: str = "biasa",
             urgensi: str = "segera", by: str = "dewi", unit: str = "DISKOMINFO") -> int:
    with db.transaction() as session:
        tu = get_user(session, by)
        unit_id = session.scalars(select(Unit.id).where(Unit.code == unit)).one()
        position = (positions_of(session, tu.id, engine.clock.today()) or [None])[0]
        done = register_incoming(
            session, engine, user=tu, position=position, unit_id=unit_id,
            data=IncomingLetter(hal=hal, sender_name="Kementerian Kominfo", nomor="B-123/KOMINFO/2026",
                                sifat=sifat, urgensi=urgensi, klasifikasi_code="000"),
        )
        return done.letter.id


def open_task(db: Database, letter_id: int, form_key: str, position_code: str | None = None) -> int:
    """The ready task of the letter's flows with this form, for the given recipient position."""
    with db.transaction(write=False) as session:
        query = select(HumanTask).where(HumanTask.status == "ready", HumanTask.form_key == form_key)
        tasks = [t for t in session.scalars(query) if (t.context or {}).get("letter_id") == letter_id]
        if position_code is not None:
            wanted = session.scalars(select(Position.id).where(Position.code == position_code)).one()
            tasks = [t for t in tasks if any(c.position_id == wanted for c in t.candidates)]
        assert tasks, f"no ready {form_key} task for letter {letter_id} ({position_code})"
        return tasks[0].id


def choice(*recipients: int, instructions: tuple[str, ...] = ("Tindak lanjuti",), note: str = "") -> DispositionChoice:
    return DispositionChoice([Recipient(r) for r in recipients], list(instructions), note)


def branches(db: Database, letter_id: int) -> list[Disposition]:
    with db.transaction(write=False) as session:
        rows = list(session.scalars(select(Disposition).where(Disposition.letter_id == letter_id).order_by(Disposition.id)))
        for row in rows:
            _ = row.to_position.code
        return rows


def letter(db: Database, letter_id: int) -> Letter:
    with db.transaction(write=False) as session:
        return session.get(Letter, letter_id)
