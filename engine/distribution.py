"""After signing: internal recipients receive the letter as an incoming letter at their TU,
tembusan are told, outside recipients wait for ekspedisi.

An internal recipient's copy is a registration of its own (its unit's agenda number, its own
disposition tree) pointing back at the signed letter: the recipient unit's record never depends
on the sender's, as with a paper letter that arrives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit
from engine.assignment import head_position
from engine.counters import next_value
from engine.drafting import task_letter
from engine.errors import InvalidInput
from engine.letters import AGENDA_SERIES, start_incoming
from engine.messages import register
from engine.models import Dispatch, Letter, LetterAttachment, LetterParty, Position, Unit, User
from engine.organisation import skpd_of
from engine.outgoing_forms import DISPATCH_FORM
from engine.runtime import StepResult, WorkflowEngine
from engine.runtime_support import actor_for

register({
    "ekspedisi.incomplete": ("Isi tanggal kirim dan cara pengiriman untuk setiap penerima.",
                             "Give the date sent and the channel for every recipient."),
    "ekspedisi.bad_date": ("Tanggal kirim tidak boleh sebelum naskah ditandatangani atau sesudah hari ini.",
                           "The date sent cannot be before the signature or after today."),
})
CHANNELS = ("pos", "kurir", "email", "srikandi", "langsung")


@dataclass
class SentInput:
    party_id: int
    sent_on: date | None
    channel: str
    note: str = ""


def _recipients(session: Session, letter: Letter) -> dict[tuple[int, int | None], LetterParty]:
    """One copy per (recipient SKPD, addressed head): two parties naming one unit get one letter."""
    found: dict[tuple[int, int | None], LetterParty] = {}
    for party in letter.parties:
        if party.role != "kepada" or party.kind != "internal" or party.unit_id is None:
            continue
        skpd = skpd_of(session, party.unit_id) or party.unit_id
        head = party.position_id or (p.id if (p := head_position(session, party.unit_id)) else None)
        found.setdefault((skpd, head), party)
    return found


def _copy(session: Session, engine: WorkflowEngine, letter: Letter, skpd: int, head: int | None, *,
          user: User, at: datetime) -> Letter:
    from engine.workdays import WorkCalendar

    due = WorkCalendar.load(session, engine.clock.tz).default_due(letter.urgensi, at)
    year = engine.clock.local(at).year
    sender = session.get(Unit, letter.unit_id)
    copy = Letter(unit_id=skpd, jenis=letter.jenis, direction="masuk", nomor=letter.nomor, tanggal=letter.tanggal,
                  hal=letter.hal, sifat=letter.sifat, urgensi=letter.urgensi, klasifikasi_code=letter.klasifikasi_code,
                  sender_kind="internal", sender_name=sender.name if sender else "", sender_unit_id=letter.unit_id,
                  body=letter.body, received_at=at, agenda_year=year,
                  agenda_number=next_value(session, skpd, year, AGENDA_SERIES), status="menunggu_disposisi",
                  due_at=due, source_letter_id=letter.id, created_at=at, updated_at=at)
    session.add(copy)
    session.flush()
    for attachment in session.scalars(select(LetterAttachment).where(LetterAttachment.letter_id == letter.id,
                                                                      LetterAttachment.disposition_id.is_(None))):
        session.add(LetterAttachment(letter_id=copy.id, kind=attachment.kind, filename=attachment.filename,
                                     sha256=attachment.sha256, mime=attachment.mime, size=attachment.size,
                                     version=attachment.version, uploaded_by_id=attachment.uploaded_by_id,
                                     uploaded_at=at))
    signer = session.get(Position, letter.signer_position_id) if letter.signer_position_id else None
    start_incoming(session, engine, copy, user=user, position=signer, due=due,
                   extra={"terima_tu": True, "pimpinan_tujuan": head, "nomor": letter.nomor})
    return copy


def distribute(session: Session, engine: WorkflowEngine, letter: Letter, *, user: User, at: datetime) -> list[Letter]:
    """Copies for internal recipients, notices for tembusan, ekspedisi rows for the outside."""
    from engine import notifications

    copies = [_copy(session, engine, letter, skpd, head, user=user, at=at)
              for (skpd, head) in _recipients(session, letter)]
    told: list[int] = []
    for party in letter.parties:
        if party.kind != "internal":
            session.add(Dispatch(letter_id=letter.id, party_id=party.id))
        elif party.role == "tembusan" and party.unit_id is not None:
            head = session.get(Position, party.position_id) if party.position_id else head_position(session, party.unit_id)
            if head is not None:
                party.position_id = head.id  # the tembusan's reader, for the access rule
                told.append(head.id)
    if told:
        users = notifications.users_for_positions(session, told, engine.clock.today())
        notifications.notify(session, users, kind="tembusan", title=f"Tembusan: {letter.nomor} {letter.hal}"[:300],
                             body="", link=f"/surat/{letter.id}", letter_id=letter.id, instance_id=letter.instance_id,
                             at=at, exclude_user_id=user.id, email=notifications.email_enabled(engine))
    session.flush()
    return copies


def dispatch_rows(session: Session, letter_id: int) -> list[tuple[Dispatch, LetterParty]]:
    return [(d, p) for d, p in session.execute(
        select(Dispatch, LetterParty).join(LetterParty, LetterParty.id == Dispatch.party_id)
        .where(Dispatch.letter_id == letter_id).order_by(LetterParty.role, LetterParty.id)
    )]


def mark_sent(session: Session, engine: WorkflowEngine, task_id: int, *, user: User,
              sent: list[SentInput]) -> StepResult:
    """Ekspedisi: every outside recipient gets its date and channel, then the flow ends."""
    _human, letter = task_letter(session, task_id, {DISPATCH_FORM})
    rows = {d.party_id: d for d, _ in dispatch_rows(session, letter.id)}
    given = {s.party_id: s for s in sent}
    today = engine.clock.today()
    signed_on = engine.clock.local(letter.signed_at).date() if letter.signed_at else today
    for party_id in rows:
        item = given.get(party_id)
        if item is None or item.sent_on is None or item.channel not in CHANNELS:
            raise InvalidInput("ekspedisi.incomplete", field="sent")
        if item.sent_on > today or item.sent_on < signed_on:
            raise InvalidInput("ekspedisi.bad_date", field="sent")
    now = engine.clock.now()
    for party_id, row in rows.items():
        item = given[party_id]
        row.sent_on, row.channel, row.note = item.sent_on, item.channel, (item.note or "").strip()[:300]
        row.sent_at, row.sent_by_id = now, user.id
    result = engine.complete(session, task_id, user=user, data={"terkirim": len(rows)})
    letter.status, letter.updated_at = "terkirim", now
    audit.record(session, action="naskah.terkirim", actor=actor_for(user, None), instance_id=result.instance.id,
                 summary=f"{letter.nomor}: {len(rows)} penerima", at=now)
    session.flush()
    return result


def stop_after_void(session: Session, engine: WorkflowEngine, letter_id: int | None, *, user: User,
                    reason: str) -> None:
    """A voided number's letter goes no further: its waiting ekspedisi (or any step still open)
    is cancelled.  Copies already received by other units stay theirs, as a paper letter would."""
    from engine.models import ProcessInstance

    letter = session.get(Letter, letter_id) if letter_id else None
    if letter is None or letter.instance_id is None:
        return
    status = session.scalar(select(ProcessInstance.status).where(ProcessInstance.id == letter.instance_id))
    if status not in ("completed", "cancelled"):
        engine.cancel(session, letter.instance_id, user=user, reason=f"Nomor dibatalkan: {reason}"[:500])
