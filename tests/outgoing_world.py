"""Driving outgoing letters (draft, paraf, sign, distribution) through the engine API."""

from __future__ import annotations

from sqlalchemy import select

from engine import drafting, paraf, signing
from engine.audit import Actor
from engine.db import Database
from engine.drafting import DraftInput, PartyInput
from engine.models import HumanTask, Letter, Position, Unit
from engine.organisation import positions_of
from engine.runtime import WorkflowEngine
from engine.signing_rules import signer_options
from tests.flow import get_user
from tests.letters_world import PROCESSES, prepare

__all__ = ["deploy_outgoing", "draft", "pid", "prepare", "ready_task", "uid"]


def deploy_outgoing(db: Database, engine: WorkflowEngine, *, variant: bool = True) -> None:
    with db.transaction() as session:
        engine.registry.deploy(session, (PROCESSES / "naskah_keluar.bpmn").read_bytes(), actor=Actor(None, "test"),
                               filename="naskah_keluar.bpmn")
        if variant:
            unit = session.scalars(select(Unit.id).where(Unit.code == "DISKOMINFO")).one()
            engine.registry.deploy(session, (PROCESSES / "DISKOMINFO" / "naskah_keluar.bpmn").read_bytes(),
                                   actor=Actor(None, "test"), filename="naskah_keluar.bpmn", unit_id=unit)


def pid(session, code: str) -> int:  # type: ignore[no-untyped-def]
    return session.scalars(select(Position.id).where(Position.code == code)).one()


def uid(session, code: str) -> int:  # type: ignore[no-untyped-def]
    return session.scalars(select(Unit.id).where(Unit.code == code)).one()


def draft(db: Database, engine: WorkflowEngine, *, by: str, signer: str, kepada: tuple[str, ...] = (),
          tembusan: tuple[str, ...] = (), luar: tuple[str, ...] = (), koordinasi: tuple[str, ...] = (),
          jenis: str = "nota_dinas", klasifikasi: str | None = "000", submit: bool = True,
          hal: str = "Permohonan data layanan") -> int:
    """A draft by `by` addressed to units (codes), signed by the position `signer` (code)."""
    with db.transaction() as session:
        user = get_user(session, by)
        position = positions_of(session, user.id, engine.clock.today())[0]
        parties = [PartyInput("kepada", "internal", unit_id=uid(session, c)) for c in kepada]
        parties += [PartyInput("tembusan", "internal", unit_id=uid(session, c)) for c in tembusan]
        parties += [PartyInput("kepada", "eksternal", name=n) for n in luar]
        options = signer_options(session, konseptor_position_id=position.id, jenis=jenis, parties=parties)
        chosen = [o for o in options if o.position_id == pid(session, signer)]
        assert chosen, f"{signer} is not among the signers: {[o.label for o in options]}"
        data = DraftInput(jenis=jenis, hal=hal, body="Dengan hormat, ...", klasifikasi_code=klasifikasi,
                          signer_rule_id=chosen[0].rule_id, signer_position_id=chosen[0].position_id,
                          parties=parties, koordinasi_unit_ids=[uid(session, c) for c in koordinasi])
        letter = drafting.new_draft(session, engine, user=user, position=position, data=data)
        if submit:
            drafting.submit(session, engine, letter.id, user=user)
        return letter.id


def ready_task(db: Database, letter_id: int, form_key: str) -> tuple[int, list[int]]:
    """The ready task of the letter with this form, and its candidate positions."""
    with db.transaction(write=False) as session:
        tasks = [t for t in session.scalars(select(HumanTask).where(HumanTask.status == "ready",
                                                                    HumanTask.form_key == form_key))
                 if (t.context or {}).get("letter_id") == letter_id]
        assert len(tasks) == 1, f"{len(tasks)} ready {form_key} tasks for letter {letter_id}"
        return tasks[0].id, [c.position_id for c in tasks[0].candidates if c.position_id]


def act_paraf(db: Database, engine: WorkflowEngine, letter_id: int, username: str, decision: str = "paraf",
              note: str = "", **kwargs: str) -> None:
    task_id, _ = ready_task(db, letter_id, "lontar.paraf")
    with db.transaction() as session:
        paraf.paraf(session, engine, task_id, user=get_user(session, username), decision=decision, note=note, **kwargs)


def act_sign(db: Database, engine: WorkflowEngine, letter_id: int, username: str, decision: str = "tandatangani",
             note: str = "") -> signing.Signed:
    task_id, _ = ready_task(db, letter_id, "lontar.tandatangan")
    with db.transaction() as session:
        return signing.sign(session, engine, task_id, user=get_user(session, username), decision=decision, note=note)


def letter_row(db: Database, letter_id: int) -> Letter:
    with db.transaction(write=False) as session:
        letter = session.get(Letter, letter_id)
        _ = list(letter.parties)
        session.expunge(letter)
        return letter
