"""Where is my letter?  Every process instance that worked on a letter, who holds each one
now, its history; for an outgoing letter the paraf chain round by round, the copies that
reached the recipient units as incoming letters and the ekspedisi to outside parties.

Read from projections and audit rows only (no workflow is deserialized), a fixed number of
queries whatever the size of the disposition tree.  The caller checks first that the reader
has full access to the letter (engine.letter_access); a copy at a recipient unit is named by
its unit, agenda number and status, and linked only when the reader may open it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from engine.history import TimelineEntry
from engine.letter_access import any_access
from engine.models import (
    AuditEvent,
    Dispatch,
    Disposition,
    HumanTask,
    Letter,
    LetterParty,
    Paraf,
    Position,
    ProcessInstance,
    Unit,
    User,
)

REGISTRATION, BRANCH, DRAFTING, OTHER = "registrasi", "disposisi", "naskah_keluar", "lain"


@dataclass(frozen=True)
class Waiting:
    """An open task of an instance and whom it waits for."""

    task_id: int
    name: str
    due_at: datetime | None
    position_ids: list[int]  # candidate positions: their holders today hold the task
    others: list[str]  # a named user, an assignee who claimed it, a role in a unit


@dataclass
class Tracked:
    instance: ProcessInstance
    kind: str  # registrasi | disposisi | naskah_keluar | lain
    branch: Disposition | None = None
    waiting: list[Waiting] = field(default_factory=list)
    history: list[TimelineEntry] = field(default_factory=list)


def instances(session: Session, letter: Letter) -> list[Tracked]:
    """The letter's instances (its registration or drafting, each disposition branch, any other
    process started on it), oldest first, each with its open tasks and its history."""
    branch_of = {b.instance_id: b for b in session.scalars(
        select(Disposition).where(Disposition.letter_id == letter.id, Disposition.instance_id.is_not(None))
        .options(selectinload(Disposition.to_position), selectinload(Disposition.from_position)))}
    found = list(session.scalars(
        select(ProcessInstance)
        .where(or_(ProcessInstance.letter_id == letter.id, ProcessInstance.id == letter.instance_id,
                   ProcessInstance.id.in_(list(branch_of) or [0])))
        .options(selectinload(ProcessInstance.version))
        .order_by(ProcessInstance.started_at, ProcessInstance.id)
    ))
    ids = [i.id for i in found]
    waiting = _waiting(session, ids)
    history = _histories(session, ids)
    tracked = []
    for instance in found:
        branch = branch_of.get(instance.id)
        if branch is not None:
            kind = BRANCH
        elif instance.key == DRAFTING or (letter.direction == "keluar" and instance.id == letter.instance_id):
            kind = DRAFTING
        elif instance.id == letter.instance_id:
            kind = REGISTRATION
        else:
            kind = OTHER
        tracked.append(Tracked(instance, kind, branch, waiting.get(instance.id, []), history.get(instance.id, [])))
    return tracked


def _waiting(session: Session, instance_ids: list[int]) -> dict[int, list[Waiting]]:
    if not instance_ids:
        return {}
    tasks = list(session.scalars(
        select(HumanTask).where(HumanTask.instance_id.in_(instance_ids), HumanTask.status == "ready")
        .order_by(HumanTask.id)))
    users = {c.user_id for t in tasks for c in t.candidates if c.user_id} | {t.assignee_id for t in tasks if t.assignee_id}
    units = {c.unit_id for t in tasks for c in t.candidates if c.role and c.unit_id}
    user_names = dict(session.execute(select(User.id, User.name).where(User.id.in_(users))).all()) if users else {}
    unit_names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(units))).all()) if units else {}
    result: dict[int, list[Waiting]] = {}
    for task in tasks:
        if task.assignee_id:  # claimed: it waits for that person only
            positions: list[int] = []
            others = [user_names.get(task.assignee_id, f"#{task.assignee_id}")]
        else:
            positions = [c.position_id for c in task.candidates if c.position_id]
            others = [user_names.get(c.user_id, f"#{c.user_id}") for c in task.candidates if c.user_id]
            others += [f"{c.role} \u2014 {unit_names[c.unit_id]}" if c.unit_id in unit_names else str(c.role)
                       for c in task.candidates if c.role]
        result.setdefault(task.instance_id, []).append(Waiting(task.id, task.name, task.due_at, positions, others))
    return result


def _histories(session: Session, instance_ids: list[int]) -> dict[int, list[TimelineEntry]]:
    result: dict[int, list[TimelineEntry]] = {}
    if not instance_ids:
        return result
    for row in session.scalars(
        select(AuditEvent).where(AuditEvent.instance_id.in_(instance_ids)).order_by(AuditEvent.instance_id, AuditEvent.seq)
    ):
        result.setdefault(row.instance_id, []).append(
            TimelineEntry(row.at, row.actor_name, row.actor_position, row.action, row.summary, dict(row.after or {})))
    return result


# -- outgoing letters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ParafStep:
    ordinal: int
    kind: str  # berjenjang | koordinasi | tetap
    position: str
    person: str  # who decided, with Plt./Plh. when acting; "" while waiting
    decision: str  # menunggu | paraf | kembalikan | revisi | dilewati
    decided_at: datetime | None
    version: str  # the first 12 hex digits of the SHA-256 of the version decided on
    note: str


@dataclass(frozen=True)
class ParafRound:
    number: int
    steps: list[ParafStep]


def paraf_rounds(session: Session, letter_id: int) -> list[ParafRound]:
    """The paraf chain of every round, the latest first, each in the order of the chain."""
    position = aliased(Position)
    rounds: dict[int, list[ParafStep]] = {}
    for row, position_name, person in session.execute(
        select(Paraf, position.name, User.name)
        .join(position, position.id == Paraf.position_id)
        .outerjoin(User, User.id == Paraf.user_id)
        .where(Paraf.letter_id == letter_id)
        .order_by(Paraf.round.desc(), Paraf.ordinal, Paraf.id)
    ):
        acting = {"plt": "Plt.", "plh": "Plh."}.get(row.acting_kind or "")
        rounds.setdefault(row.round, []).append(ParafStep(
            ordinal=row.ordinal, kind=row.kind, position=position_name,
            person=f"{acting} {person}" if acting and person else person or "", decision=row.decision,
            decided_at=row.decided_at, version=(row.version_sha256 or "")[:12], note=row.note or ""))
    return [ParafRound(number, steps) for number, steps in rounds.items()]


@dataclass(frozen=True)
class Copy:
    """The letter as an incoming letter at a recipient unit."""

    letter_id: int | None  # None: the reader may not open it
    unit_name: str
    agenda: str
    received_at: datetime | None
    status: str


def copies(session: Session, letter_id: int, user_id: int, today: date) -> list[Copy]:
    unit = aliased(Unit)
    rows = session.execute(
        select(Letter.id, unit.name, Letter.agenda_number, Letter.agenda_year, Letter.received_at, Letter.status,
               any_access(user_id, today))
        .join(unit, unit.id == Letter.unit_id)
        .where(Letter.source_letter_id == letter_id)
        .order_by(unit.name, Letter.id)
    ).all()
    return [Copy(r[0] if r[6] else None, r[1], f"{r[2]}/{r[3]}" if r[2] else "", r[4], r[5]) for r in rows]


@dataclass(frozen=True)
class Sent:
    """An outside recipient and whether (when, how) the letter was sent to them."""

    name: str
    role: str  # kepada | tembusan
    sent_at: datetime | None
    channel: str
    note: str


def dispatches(session: Session, letter_id: int) -> list[Sent]:
    rows = session.execute(
        select(LetterParty.name, LetterParty.role, Dispatch.sent_at, Dispatch.channel, Dispatch.note)
        .join(LetterParty, LetterParty.id == Dispatch.party_id)
        .where(Dispatch.letter_id == letter_id)
        .order_by(LetterParty.role, LetterParty.id)
    ).all()
    return [Sent(r[0], r[1], r[2], r[3] or "", r[4] or "") for r in rows]
