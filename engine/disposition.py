"""Disposition: the head sends a letter down the hierarchy; each recipient forwards it
further or reports follow-up, which flows back up.

The tree lives in `disposition` rows, one per branch, each with its own `disposisi` process
instance: a tree of any size never makes one instance deep or contended.  The flows are
BPMN (processes/surat_masuk.bpmn, processes/disposisi.bpmn); what they cannot say — which
positions may receive, and creating the branches — is here, reached through the effects
the diagrams name (engine.disposition_effects).

Who may receive: positions below the disposer's (any depth: levels may be skipped) and
beside it (the same superior).  A branch is "belum dibaca" until a recipient opens the
letter, and may be cancelled by its disposer only while unread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from engine import audit, messages
from engine.errors import InvalidInput, NotAllowed, NotFound
from engine.inbox import capacity, positions_worked
from engine.models import Disposition, HumanTask, Instruction, Letter, Position, User
from engine.organisation import skpd_of
from engine.runtime import StepResult, WorkflowEngine
from engine.runtime_support import actor_for

DISPOSE_FORM = "lontar.disposisi"  # the head's task in surat_masuk
FOLLOW_UP_FORM = "lontar.tindak_lanjut"  # a recipient's task in disposisi
SPECIAL_FORMS = frozenset({DISPOSE_FORM, FOLLOW_UP_FORM})
BRANCH_PROCESS = "disposisi"
MAX_NOTE = 2000
MAX_RECIPIENTS = 30

messages.register(
    {
        "disposition.no_recipient": (
            "Pilih paling sedikit satu penerima disposisi.",
            "Choose at least one recipient.",
        ),
        "disposition.too_many": ("Paling banyak {limit} penerima sekaligus.", "At most {limit} recipients at once."),
        "disposition.bad_recipient": (
            "{name} tidak dapat menerima disposisi dari jabatan Anda (hanya jabatan di bawah atau setingkat).",
            "{name} cannot receive a disposition from your position (only positions below or beside it).",
        ),
        "disposition.duplicate": ("{name} dipilih lebih dari sekali.", "{name} was chosen more than once."),
        "disposition.no_instruction": ("Pilih paling sedikit satu instruksi.", "Choose at least one instruction."),
        "disposition.bad_instruction": ("Instruksi tidak dikenal: {label}.", "Unknown instruction: {label}."),
        "disposition.note_too_long": ("Catatan paling banyak {limit} karakter.", "The note may have at most {limit} characters."),
        "disposition.past_due": ("Batas waktu untuk {name} sudah lewat.", "The due date for {name} has already passed."),
        "disposition.wrong_task": ("Tugas ini bukan tugas disposisi.", "This task is not a disposition task."),
        "disposition.report_required": (
            "Tulis laporan tindak lanjut.",
            "Write the follow-up report.",
        ),
        "disposition.not_unread": (
            "Disposisi hanya dapat dibatalkan selama belum dibaca.",
            "A disposition can only be cancelled while it is unread.",
        ),
        "disposition.not_yours": (
            "Hanya pemberi disposisi yang dapat membatalkannya.",
            "Only the person who gave the disposition can cancel it.",
        ),
    }
)


@dataclass(frozen=True)
class Recipient:
    position_id: int
    due_at: datetime | None = None  # None: from the letter's urgensi


@dataclass
class DispositionChoice:
    """What the head (or a recipient forwarding) fills in on the Lembar Disposisi."""

    recipients: list[Recipient] = field(default_factory=list)
    instructions: list[str] = field(default_factory=list)
    note: str = ""


def held_position_ids(session: Session, user_id: int, today: date) -> set[int]:
    """Positions the user holds today, themselves or as the deputy of a principal."""
    return set(session.scalars(positions_worked(user_id, today)))


def allowed_recipients(session: Session, from_position_id: int | None) -> list[Position]:
    """Positions below `from_position_id` (any depth) and beside it (same superior, same SKPD)."""
    if from_position_id is None:
        return []
    below = select(Position.id.label("id")).where(Position.reports_to_id == from_position_id).cte(recursive=True)
    below = below.union(select(Position.id).where(Position.reports_to_id == below.c.id))
    me = session.get(Position, from_position_id)
    beside = (
        select(Position.id).where(Position.reports_to_id == me.reports_to_id, Position.id != from_position_id)
        if me is not None and me.reports_to_id is not None
        else None
    )
    found = list(session.scalars(select(Position).where(Position.id.in_(select(below.c.id)))))
    if beside is not None and me is not None:
        # Beside only within the same SKPD: a Kepala Dinas does not dispose to another Dinas.
        home = skpd_of(session, me.unit_id)
        found += [p for p in session.scalars(select(Position).where(Position.id.in_(beside)))
                  if skpd_of(session, p.unit_id) == home]
    return sorted(found, key=lambda p: (p.unit_id, p.name))


def active_instructions(session: Session) -> list[str]:
    return list(session.scalars(select(Instruction.label).where(Instruction.active.is_(True)).order_by(Instruction.sort)))


def _validate(session: Session, engine: WorkflowEngine, from_position_id: int | None, choice: DispositionChoice,
              letter: Letter) -> list[dict[str, Any]]:
    if not choice.recipients:
        raise InvalidInput("disposition.no_recipient", field="recipients")
    if len(choice.recipients) > MAX_RECIPIENTS:
        raise InvalidInput("disposition.too_many", field="recipients", limit=MAX_RECIPIENTS)
    allowed = {p.id: p for p in allowed_recipients(session, from_position_id)}
    seen: set[int] = set()
    now = engine.clock.now()
    from engine.workdays import WorkCalendar

    default_due = WorkCalendar.load(session, engine.clock.tz).default_due(letter.urgensi, now)
    result = []
    for recipient in choice.recipients:
        position = allowed.get(recipient.position_id)
        if position is None:
            other = session.get(Position, recipient.position_id)
            raise InvalidInput("disposition.bad_recipient", field="recipients", name=other.name if other else "?")
        if position.id in seen:
            raise InvalidInput("disposition.duplicate", field="recipients", name=position.name)
        seen.add(position.id)
        due = recipient.due_at or default_due
        if due <= now:
            raise InvalidInput("disposition.past_due", field="recipients", name=position.name)
        result.append({"jabatan_id": position.id, "batas_waktu": due.isoformat()})
    vocabulary = set(active_instructions(session))
    labels = list(dict.fromkeys(i.strip() for i in choice.instructions if i.strip()))
    if not labels:
        raise InvalidInput("disposition.no_instruction", field="instructions")
    for label in labels:
        if label not in vocabulary:
            raise InvalidInput("disposition.bad_instruction", field="instructions", label=label)
    if len(choice.note or "") > MAX_NOTE:
        raise InvalidInput("disposition.note_too_long", field="note", limit=MAX_NOTE)
    return result


def _task_and_letter(session: Session, task_id: int, forms: set[str]) -> tuple[HumanTask, Letter]:
    human = session.get(HumanTask, task_id)
    if human is None:
        raise NotFound()
    if human.form_key not in forms:
        raise InvalidInput("disposition.wrong_task")
    letter_id = (human.context or {}).get("letter_id")
    letter = session.get(Letter, letter_id) if isinstance(letter_id, int) else None
    if letter is None:
        raise NotFound()
    return human, letter


def acting_position(session: Session, engine: WorkflowEngine, user: User, task_id: int) -> Position | None:
    return capacity(session, user.id, task_id, engine.clock.today()).position


def dispose(
    session: Session, engine: WorkflowEngine, task_id: int, *, user: User, choice: DispositionChoice
) -> StepResult:
    """The head's disposition, or a recipient forwarding further down: validate, then complete
    the task; the diagram's `disposisi.kirim` effect creates the branches."""
    human, letter = _task_and_letter(session, task_id, {DISPOSE_FORM, FOLLOW_UP_FORM})
    position = acting_position(session, engine, user, task_id)
    recipients = _validate(session, engine, position.id if position else None, choice, letter)
    data = {
        "aksi": "teruskan",
        "penerima": recipients,
        "instruksi": list(dict.fromkeys(i.strip() for i in choice.instructions if i.strip())),
        "catatan": (choice.note or "").strip(),
    }
    return engine.complete(session, task_id, user=user, data=data)


def archive(session: Session, engine: WorkflowEngine, task_id: int, *, user: User, note: str = "") -> StepResult:
    """The head files the letter without disposing it (e.g. for information only)."""
    _task_and_letter(session, task_id, {DISPOSE_FORM})
    if len(note or "") > MAX_NOTE:
        raise InvalidInput("disposition.note_too_long", field="note", limit=MAX_NOTE)
    return engine.complete(session, task_id, user=user,
                           data={"aksi": "arsipkan", "penerima": [], "instruksi": [], "catatan": (note or "").strip()})


def report(
    session: Session, engine: WorkflowEngine, task_id: int, *, user: User, text: str,
    attachment_ids: list[int] | None = None,
) -> StepResult:
    """Laporan tindak lanjut: the recipient reports back; the disposer then accepts it."""
    _task_and_letter(session, task_id, {FOLLOW_UP_FORM})
    body = (text or "").strip()
    if not body:
        raise InvalidInput("disposition.report_required", field="report")
    if len(body) > MAX_NOTE:
        raise InvalidInput("disposition.note_too_long", field="report", limit=MAX_NOTE)
    return engine.complete(session, task_id, user=user,
                           data={"aksi": "laporkan", "laporan": body, "lampiran_laporan": list(attachment_ids or [])})


def mark_read(session: Session, engine: WorkflowEngine, *, user: User, letter_id: int) -> list[Disposition]:
    """A recipient opened the letter: their unread branches become "dibaca"."""
    today = engine.clock.today()
    mine = held_position_ids(session, user.id, today)
    if not mine:
        return []
    rows = _locked(session, select(Disposition).where(
        Disposition.letter_id == letter_id,
        Disposition.status == "belum_dibaca",
        Disposition.to_position_id.in_(mine),
    ))
    now = engine.clock.now()
    for row in rows:
        row.status, row.read_at, row.read_by_id = "dibaca", now, user.id
        if row.instance_id is not None:
            audit.record(session, action="disposition.read", actor=actor_for(user, session.get(Position, row.to_position_id)),
                         instance_id=row.instance_id, summary=row.to_position.name, at=now)
    session.flush()
    return rows


def _locked(session: Session, query: Any) -> list[Disposition]:
    """Read branch rows afresh and, on PostgreSQL, locked: a read mark and a cancel of the same
    branch queue on the row instead of both passing their "still unread?" check."""
    query = query.execution_options(populate_existing=True)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return list(session.scalars(query))


def may_cancel(session: Session, user_id: int, row: Disposition, today: date) -> bool:
    if row.from_user_id == user_id:
        return True
    return row.from_position_id is not None and row.from_position_id in held_position_ids(session, user_id, today)


def cancel(session: Session, engine: WorkflowEngine, *, user: User, disposition_id: int, reason: str = "") -> Disposition:
    """Withdraw a branch nobody has read yet (its process is cancelled with it)."""
    row = session.get(Disposition, disposition_id)
    if row is None:
        raise NotFound()
    if not may_cancel(session, user.id, row, engine.clock.today()):
        raise NotAllowed("disposition.not_yours")
    if row.instance_id is not None:
        engine.lock_instance(session, row.instance_id)
    row = _locked(session, select(Disposition).where(Disposition.id == disposition_id))[0]
    if row.status != "belum_dibaca":
        raise InvalidInput("disposition.not_unread")
    now = engine.clock.now()
    if row.instance_id is not None:
        engine.cancel(session, row.instance_id, user=user, reason=reason or "disposisi dibatalkan")
    row.status, row.cancelled_at = "dibatalkan", now
    session.flush()
    return row


def tree(session: Session, letter_id: int) -> list[Disposition]:
    """Every branch of the letter, parents before children (for the tree on the letter page)."""
    rows = list(
        session.scalars(
            select(Disposition).where(Disposition.letter_id == letter_id).order_by(Disposition.depth, Disposition.id)
        )
    )
    return rows


def branches_for(session: Session, user_id: int, today: date, *, sent: bool, limit: int = 200) -> list[Disposition]:
    """"Disposed by me" (sent=True) or "disposed to me" views, newest first."""
    mine = held_position_ids(session, user_id, today)
    if sent:
        condition = or_(Disposition.from_user_id == user_id, Disposition.from_position_id.in_(mine or {0}))
    else:
        condition = and_(Disposition.to_position_id.in_(mine or {0}), Disposition.status != "dibatalkan")
    return list(session.scalars(select(Disposition).where(condition).order_by(Disposition.created_at.desc()).limit(limit)))
