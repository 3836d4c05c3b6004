"""Letters as records: registering an incoming letter, its attachments and comments.

Registration is one transaction: the letter row, its agenda number (counter row, no gaps),
its scan, the audit row and the start of the `surat_masuk` process that takes it to the head
for disposition.  The letter stays the single record; processes refer to it by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import audit, messages
from engine.counters import next_value
from engine.errors import InvalidInput, NotAllowed
from engine.models import (
    JENIS,
    SECRET_SIFAT,
    SIFAT,
    URGENSI,
    Comment,
    Klasifikasi,
    Letter,
    LetterAttachment,
    Position,
    Unit,
    User,
    UserRole,
)
from engine.org_scope import ancestors
from engine.runtime import StepResult, WorkflowEngine
from engine.runtime_support import actor_for

INCOMING_PROCESS = "surat_masuk"
AGENDA_SERIES = "agenda_masuk"
MAX_HAL = 500

messages.register(
    {
        "letter.hal_required": ("Perihal wajib diisi.", "The subject (hal) is required."),
        "letter.hal_too_long": ("Perihal paling banyak {limit} karakter.", "The subject may have at most {limit} characters."),
        "letter.sender_required": ("Pengirim wajib diisi.", "The sender is required."),
        "letter.bad_choice": ("Pilihan {field} tidak dikenal: {value}.", "Unknown {field}: {value}."),
        "letter.unknown_klasifikasi": (
            "Kode klasifikasi {code} tidak ada dalam daftar klasifikasi.",
            "Classification code {code} is not in the classification list.",
        ),
        "letter.future_date": ("Tanggal {field} tidak boleh di masa depan.", "The {field} date cannot be in the future."),
        "letter.not_pencatat": (
            "Hanya pencatat (TU) unit ini yang dapat meregistrasi surat masuk.",
            "Only the unit's registrar (TU) can register incoming letters.",
        ),
    }
)


@dataclass
class IncomingLetter:
    """What the pencatat types from the paper letter."""

    hal: str
    sender_name: str
    nomor: str = ""
    tanggal: date | None = None
    received_at: datetime | None = None  # default: now
    jenis: str = "surat_dinas"
    sifat: str = "biasa"
    urgensi: str = "biasa"
    klasifikasi_code: str | None = None
    sender_kind: str = "eksternal"
    body: str = ""
    draft_disposition: dict[str, Any] | None = None  # TU's pre-draft for the head to confirm


@dataclass(frozen=True)
class StoredFile:
    """A file already written by content hash (the web layer stores the bytes)."""

    filename: str
    sha256: str
    mime: str
    size: int


@dataclass
class Registered:
    letter: Letter
    agenda_label: str
    new_task_ids: list[int] = field(default_factory=list)


def is_pencatat(session: Session, user_id: int, unit_id: int) -> bool:
    """A `pencatat` role on the unit or on a unit above it (or Pemda-wide)."""
    units = [unit_id, *ancestors(session, unit_id)]
    return bool(
        session.scalar(
            select(func.count())
            .select_from(UserRole)
            .where(
                UserRole.user_id == user_id,
                UserRole.role == "pencatat",
                (UserRole.unit_id.in_(units)) | (UserRole.unit_id.is_(None)),
            )
        )
    )


def registrar_units(session: Session, user_id: int) -> list[Unit]:
    """The units whose letters this user may register: where they are pencatat."""
    unit_ids = session.scalars(
        select(UserRole.unit_id).where(UserRole.user_id == user_id, UserRole.role == "pencatat")
    ).all()
    if None in unit_ids:
        return list(session.scalars(select(Unit).order_by(Unit.name)))
    return list(session.scalars(select(Unit).where(Unit.id.in_(unit_ids)).order_by(Unit.name)))


def _check(session: Session, data: IncomingLetter, now: datetime, today: date) -> None:
    hal = (data.hal or "").strip()
    if not hal:
        raise InvalidInput("letter.hal_required", field="hal")
    if len(hal) > MAX_HAL:
        raise InvalidInput("letter.hal_too_long", field="hal", limit=MAX_HAL)
    if not (data.sender_name or "").strip():
        raise InvalidInput("letter.sender_required", field="sender_name")
    for name, value, allowed in (("jenis", data.jenis, JENIS), ("sifat", data.sifat, SIFAT),
                                 ("urgensi", data.urgensi, URGENSI),
                                 ("sender_kind", data.sender_kind, ("internal", "srikandi", "eksternal"))):
        if value not in allowed:
            raise InvalidInput("letter.bad_choice", field=name, value=value)
    if data.klasifikasi_code and session.get(Klasifikasi, data.klasifikasi_code) is None:
        raise InvalidInput("letter.unknown_klasifikasi", field="klasifikasi_code", code=data.klasifikasi_code)
    if data.tanggal and data.tanggal > today:
        raise InvalidInput("letter.future_date", field="tanggal")
    if data.received_at and data.received_at > now:
        raise InvalidInput("letter.future_date", field="received_at")


def agenda_label(letter: Letter) -> str:
    return f"{letter.agenda_number}/{letter.agenda_year}" if letter.agenda_number else ""


def register_incoming(
    session: Session,
    engine: WorkflowEngine,
    *,
    user: User,
    position: Position | None,
    unit_id: int,
    data: IncomingLetter,
    scan: StoredFile | None = None,
) -> Registered:
    """Register a letter received on paper or from SRIKANDI, and send it to the head.

    Nothing is written when a value is refused.  The agenda number is taken last, just
    before the process starts, so a refusal never consumes a number.
    """
    now = engine.clock.now()
    today = engine.clock.today()
    if not is_pencatat(session, user.id, unit_id):
        raise NotAllowed("letter.not_pencatat")
    _check(session, data, now, today)
    received = data.received_at or now
    from engine.workdays import WorkCalendar

    due = WorkCalendar.load(session, engine.clock.tz).default_due(data.urgensi, received)
    year = engine.clock.local(received).year
    letter = Letter(
        unit_id=unit_id,
        jenis=data.jenis,
        direction="masuk",
        nomor=(data.nomor or "").strip()[:120] or None,
        tanggal=data.tanggal,
        hal=data.hal.strip(),
        sifat=data.sifat,
        urgensi=data.urgensi,
        klasifikasi_code=data.klasifikasi_code or None,
        sender_kind=data.sender_kind,
        sender_name=data.sender_name.strip()[:300],
        body=(data.body or "").strip() or None,
        received_at=received,
        agenda_year=year,
        agenda_number=next_value(session, unit_id, year, AGENDA_SERIES),
        status="menunggu_disposisi",
        due_at=due,
        registered_by_id=user.id,
        registered_as_position_id=position.id if position else None,
        draft_disposition=data.draft_disposition or None,
        created_at=now,
        updated_at=now,
    )
    session.add(letter)
    session.flush()
    if scan is not None:
        add_attachment(session, letter, scan, user=user, kind="pindaian", at=now)
    result = start_incoming(session, engine, letter, user=user, position=position, due=due,
                            extra={"draf_disposisi": data.draft_disposition or {}})
    session.flush()
    return Registered(letter, agenda_label(letter), [t.id for t in result.new_tasks])


def start_incoming(session: Session, engine: WorkflowEngine, letter: Letter, *, user: User,
                   position: Position | None, due: datetime, extra: dict[str, Any] | None = None) -> StepResult:
    """Start the registration flow of a registered letter (by the TU, or by distribution of a
    letter signed in Lontar, which passes `terima_tu` so its TU receives it first)."""
    result = engine.start(
        session,
        INCOMING_PROCESS,
        user=user,
        unit_id=letter.unit_id,
        position=position,
        data={
            "letter_id": letter.id,
            "hal": letter.hal,
            "sifat": letter.sifat,
            "urgensi": letter.urgensi,
            "pengirim": letter.sender_name,
            "agenda": agenda_label(letter),
            "batas_waktu": due.isoformat(),
            "terima_tu": False,
            **(extra or {}),
        },
    )
    letter.instance_id = result.instance.id
    result.instance.letter_id = letter.id
    audit.record(
        session,
        action="letter.registered",
        actor=actor_for(user, position),
        instance_id=result.instance.id,
        # a secret letter's hal stays out of the audit trail, which auditors read
        summary=(agenda_label(letter) if letter.sifat in SECRET_SIFAT else f"{agenda_label(letter)}: {letter.hal}")[:500],
        after={"letter_id": letter.id, "nomor": letter.nomor, "sifat": letter.sifat, "urgensi": letter.urgensi},
        at=engine.clock.now(),
    )
    return result


def add_attachment(
    session: Session,
    letter: Letter,
    stored: StoredFile,
    *,
    user: User,
    kind: str = "lampiran",
    disposition_id: int | None = None,
    at: datetime,
) -> LetterAttachment:
    """A new file, or a new version of a file of the same name on the same letter."""
    previous = session.scalar(
        select(func.max(LetterAttachment.version)).where(
            LetterAttachment.letter_id == letter.id, LetterAttachment.filename == stored.filename
        )
    )
    row = LetterAttachment(
        letter_id=letter.id,
        disposition_id=disposition_id,
        kind=kind,
        filename=stored.filename[:255],
        sha256=stored.sha256,
        mime=stored.mime[:100],
        size=stored.size,
        version=(previous or 0) + 1,
        uploaded_by_id=user.id,
        uploaded_at=at,
    )
    session.add(row)
    session.flush()
    return row


def add_comment(
    session: Session,
    letter: Letter,
    *,
    user: User,
    position_id: int | None,
    text: str,
    at: datetime,
    task_id: int | None = None,
    disposition_id: int | None = None,
) -> Comment:
    from engine.comments import clean

    body = clean(text)
    row = Comment(
        letter_id=letter.id,
        instance_id=letter.instance_id,
        task_id=task_id,
        disposition_id=disposition_id,
        author_id=user.id,
        author_position_id=position_id,
        text=body,
        created_at=at,
    )
    session.add(row)
    session.flush()
    if letter.instance_id is not None:
        audit.record(session, action="comment.added", actor=actor_for(user, session.get(Position, position_id)
                                                                            if position_id else None),
                     instance_id=letter.instance_id, summary=body[:500], at=at)
    return row


def comments(session: Session, letter_id: int) -> list[Comment]:
    return list(session.scalars(select(Comment).where(Comment.letter_id == letter_id).order_by(Comment.created_at)))


def attachments(session: Session, letter_id: int) -> list[LetterAttachment]:
    return list(
        session.scalars(
            select(LetterAttachment)
            .where(LetterAttachment.letter_id == letter_id)
            .order_by(LetterAttachment.uploaded_at, LetterAttachment.id)
        )
    )
