"""Paraf berjenjang: a pemeriksa initials, returns with notes, or revises and initials; the
konseptor's revision starts the chain again from its first pemeriksa.

Each decision is a `paraf` row naming the version (and its SHA-256) it was made on, written in
the same transaction as the step that moves the flow on.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import audit
from engine.drafting import (
    MAX_NOTE,
    DraftInput,
    apply_draft,
    check_draft,
    current_version,
    digest,
    flow_data,
    new_version,
    open_round,
    task_letter,
)
from engine.errors import InvalidInput, NotAllowed
from engine.inbox import capacity
from engine.messages import register
from engine.models import HumanTask, Letter, Paraf, Position, User
from engine.outgoing_forms import (
    DECISION,
    DISPATCH_FORM,
    PARAF_FORM,
    REVIEW_RESULT,
    REVIEWER,
    REVISE_FORM,
    SIGN_FORM,
)
from engine.runtime import StepResult, WorkflowEngine
from engine.runtime_support import actor_for

register({
    "history.naskah.paraf": ("Memaraf naskah (versi {summary})", "Initialled the letter (version {summary})"),
    "history.naskah.kembalikan": ("Mengembalikan naskah kepada konseptor (versi {summary})",
                                  "Returned the letter to the drafter (version {summary})"),
    "history.naskah.revisi": ("Merevisi lalu memaraf naskah (versi {summary})",
                              "Revised and initialled the letter (version {summary})"),
    "history.naskah.ditandatangani": ("Menandatangani naskah: {summary}", "Signed the letter: {summary}"),
    "history.naskah.terkirim": ("Ekspedisi: {summary}", "Dispatched: {summary}"),
})
DECISIONS = ("paraf", "kembalikan", "revisi")
STATUS_OF_FORM = {PARAF_FORM: "paraf", SIGN_FORM: "tanda_tangan", REVISE_FORM: "konsep", DISPATCH_FORM: "ditandatangani"}


def status_after(result: StepResult, letter: Letter) -> None:
    """The letter's status follows the step the flow now waits on."""
    for task in result.new_tasks:
        status = STATUS_OF_FORM.get(task.form_key or "")
        if status is not None:
            letter.status = status
            return


def note_checked(decision: str, note: str) -> str:
    if decision not in DECISIONS and decision not in ("tandatangani",):
        raise InvalidInput("naskah.bad_decision", field="decision")
    text = (note or "").strip()
    if decision == "kembalikan" and not text:
        raise InvalidInput("naskah.note_required", field="note")
    if len(text) > MAX_NOTE:
        raise InvalidInput("naskah.too_long", field="note", limit=MAX_NOTE)
    return text


def _row_for(session: Session, letter: Letter, human: HumanTask, position_id: int | None) -> Paraf:
    """The waiting row of this round for the pemeriksa; a fixed step of a variant (not in the
    computed chain) gets its row when it decides."""
    reviewer = (human.context or {}).get(REVIEWER)
    wanted = reviewer if isinstance(reviewer, int) else position_id
    row = session.scalars(select(Paraf).where(
        Paraf.letter_id == letter.id, Paraf.round == letter.draft_round, Paraf.position_id == wanted,
        Paraf.decision == "menunggu").order_by(Paraf.ordinal).limit(1)).first()
    if row is None:
        last = session.scalar(select(func.max(Paraf.ordinal)).where(
            Paraf.letter_id == letter.id, Paraf.round == letter.draft_round)) or 0
        row = Paraf(letter_id=letter.id, round=letter.draft_round, ordinal=last + 1,
                    kind="tetap" if reviewer is None else "berjenjang", position_id=wanted or 0)
        session.add(row)
    return row


def paraf(session: Session, engine: WorkflowEngine, task_id: int, *, user: User, decision: str, note: str = "",
          hal: str | None = None, body: str | None = None) -> StepResult:
    human, letter = task_letter(session, task_id, {PARAF_FORM})
    if decision not in DECISIONS:
        raise InvalidInput("naskah.bad_decision", field="decision")
    text = note_checked(decision, note)
    today = engine.clock.today()
    acting = capacity(session, user.id, task_id, today)
    position = acting.position
    now = engine.clock.now()
    if decision == "revisi":
        new_hal, new_body = (hal if hal is not None else letter.hal).strip(), (body if body is not None else "").strip()
        if not new_hal:
            raise InvalidInput("naskah.hal_required", field="hal")
        if digest(new_hal, new_body) != digest(letter.hal, letter.body or ""):
            letter.hal, letter.body, letter.updated_at = new_hal, new_body, now
            new_version(session, letter, user=user, position_id=position.id if position else None,
                         reason="revisi_pemeriksa", note=text)
    version = current_version(session, letter.id)
    row = _row_for(session, letter, human, position.id if position else None)
    row.decision, row.user_id, row.note, row.decided_at = decision, user.id, text, now
    row.acting_kind = "wakil" if acting.on_behalf_of is not None else (acting.kind or None)
    row.version_id, row.version_sha256 = version.id, version.sha256
    flow_value = "kembalikan" if decision == "kembalikan" else "paraf"
    key = REVIEW_RESULT if REVIEWER in (human.context or {}) else DECISION
    result = engine.complete(session, task_id, user=user, data={key: flow_value, "catatan": text})
    if decision == "kembalikan":
        for waiting in session.scalars(select(Paraf).where(Paraf.letter_id == letter.id,
                                                           Paraf.round == letter.draft_round,
                                                           Paraf.decision == "menunggu")):
            waiting.decision = "dilewati"
    status_after(result, letter)
    audit.record(session, action=f"naskah.{decision}", actor=actor_for(user, position, acting),
                 instance_id=result.instance.id, summary=f"{version.number}, {version.sha256[:12]}",
                 after={"letter_id": letter.id, "version": version.number, "sha256": version.sha256,
                        "note": text}, at=now)
    session.flush()
    return result


def revise(session: Session, engine: WorkflowEngine, task_id: int, *, user: User, data: DraftInput,
           note: str = "") -> StepResult:
    """The konseptor's revision after a return: a new version, then a new round from the
    first pemeriksa (the chain recomputed, the signer possibly changed)."""
    human, letter = task_letter(session, task_id, {REVISE_FORM})
    if letter.registered_by_id != user.id and not _holds_konseptor(session, engine, user, task_id):
        raise NotAllowed("naskah.not_konseptor")
    konseptor = session.get(Position, letter.konseptor_position_id)
    if konseptor is None:
        raise InvalidInput("naskah.no_position")
    option = check_draft(session, data, konseptor)
    text = (note or "").strip()[:MAX_NOTE]
    before = digest(letter.hal, letter.body or "")
    letter.updated_at = engine.clock.now()
    apply_draft(session, letter, data, option)
    if digest(letter.hal, letter.body or "") != before:
        new_version(session, letter, user=user, position_id=konseptor.id, reason="revisi", note=text)
    chain = open_round(session, engine, letter)
    result = engine.complete(session, task_id, user=user, data={**flow_data(session, letter, chain),
                                                                "catatan": text})
    status_after(result, letter)
    session.flush()
    return result


def _holds_konseptor(session: Session, engine: WorkflowEngine, user: User, task_id: int) -> bool:
    position = capacity(session, user.id, task_id, engine.clock.today()).position
    return position is not None
