"""The "Dengan hormat harap ..." vocabulary of the lembar disposisi, which each Pemda configures.

A disposition stores the labels as they were chosen (engine.models.Disposition.instructions),
so renaming or deactivating an instruction never rewrites a past disposition; that is also
why an instruction is deactivated rather than deleted.  The order here is the order of the
checkboxes on the form.  Every change is validated and written to the system audit chain.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import audit, messages
from engine.errors import NotFound
from engine.models import Instruction
from engine.org_rules import OrgInvalid

LABEL_MAX = 200

# The usual lembar disposisi of a Pemda (DOMAIN.md), with English for English readers.
DEFAULTS: tuple[tuple[str, str], ...] = (
    ("Untuk diketahui", "For your information"),
    ("Tanggapan dan saran", "Comments and suggestions"),
    ("Proses lebih lanjut", "Process further"),
    ("Koordinasikan/konfirmasikan", "Coordinate/confirm"),
    ("Tindak lanjuti", "Follow up"),
    ("Pelajari dan laporkan", "Study and report"),
    ("Hadiri/wakili", "Attend/represent"),
    ("Siapkan bahan/konsep jawaban", "Prepare material/a draft reply"),
    ("Jawab", "Reply"),
    ("Edarkan", "Circulate"),
    ("Agendakan", "Put on the agenda"),
    ("Bicarakan dengan saya", "Discuss with me"),
    ("Pedomani", "Use as guidance"),
    ("Tugaskan staf", "Assign to staff"),
    ("Arsipkan", "File it"),
)

messages.register(
    {
        "instruction.label_required": ("Teks instruksi wajib diisi.", "The instruction's text is required."),
        "instruction.label_too_long": (
            "Teks instruksi paling panjang {n} karakter.",
            "The instruction's text is at most {n} characters.",
        ),
        "instruction.label_taken": (
            "Instruksi '{label}' sudah ada.",
            "The instruction '{label}' already exists.",
        ),
        "instruction.label_taken_inactive": (
            "Instruksi '{label}' sudah ada tetapi nonaktif: aktifkan kembali.",
            "The instruction '{label}' already exists but is inactive: reactivate it.",
        ),
        "instruction.last_active": (
            "Paling sedikit satu instruksi harus tetap aktif.",
            "At least one instruction must stay active.",
        ),
        "instruction.bad_order": (
            "Urutan harus memuat setiap instruksi tepat satu kali.",
            "The order must list every instruction exactly once.",
        ),
    }
)


class InstructionInvalid(OrgInvalid):
    """A change to the vocabulary refused by a rule; `field` names the form field."""


def seed(session: Session) -> int:
    """The default vocabulary, when the Pemda has none yet.  Once it has one, its renames and
    deactivations are its own: running the seed again must not bring back what it removed."""
    if session.scalar(select(func.count()).select_from(Instruction)):
        return 0
    for sort, (label, label_en) in enumerate(DEFAULTS, start=1):
        session.add(Instruction(label=label, label_en=label_en, sort=sort, active=True))
    session.flush()
    return len(DEFAULTS)


def all_instructions(session: Session) -> list[Instruction]:
    """Active and inactive, in form order (the admin page)."""
    return list(session.scalars(select(Instruction).order_by(Instruction.sort, Instruction.id)))


def active(session: Session) -> list[Instruction]:
    """What the disposition form offers, in order."""
    query = select(Instruction).where(Instruction.active.is_(True)).order_by(Instruction.sort, Instruction.id)
    return list(session.scalars(query))


def label_for(instruction: Instruction, lang: str = messages.DEFAULT_LANG) -> str:
    return instruction.label_en if lang == "en" and instruction.label_en else instruction.label


def _values(row: Instruction) -> dict[str, object]:
    return {"label": row.label, "label_en": row.label_en, "sort": row.sort, "active": bool(row.active)}


def _require(session: Session, instruction_id: int) -> Instruction:
    row = session.get(Instruction, instruction_id)
    if row is None:
        raise NotFound()
    return row


def _clean(text: str | None, field: str, *, required: bool) -> str:
    clean = " ".join((text or "").split())
    if required and not clean:
        raise InstructionInvalid("instruction.label_required", field)
    if len(clean) > LABEL_MAX:
        raise InstructionInvalid("instruction.label_too_long", field, n=LABEL_MAX)
    return clean


def _check_unique(session: Session, label: str, own_id: int | None) -> None:
    for row in session.scalars(select(Instruction).where(func.lower(Instruction.label) == label.lower())):
        if row.id != own_id:
            key = "instruction.label_taken" if row.active else "instruction.label_taken_inactive"
            raise InstructionInvalid(key, "label", label=row.label)


def add(session: Session, actor: audit.Actor, label: str, label_en: str = "") -> Instruction:
    """A new instruction at the end of the list."""
    clean = _clean(label, "label", required=True)
    clean_en = _clean(label_en, "label_en", required=False)
    _check_unique(session, clean, None)
    last = session.scalar(select(func.max(Instruction.sort))) or 0
    row = Instruction(label=clean, label_en=clean_en, sort=last + 1, active=True)
    session.add(row)
    session.flush()
    audit.record(
        session, action="instruction.added", actor=actor, summary=f"Instruksi disposisi ditambahkan: {clean}",
        after=_values(row),
    )
    return row


def rename(session: Session, actor: audit.Actor, instruction_id: int, label: str, label_en: str = "") -> Instruction:
    """New wording; dispositions already given keep the words they were given with."""
    row = _require(session, instruction_id)
    clean = _clean(label, "label", required=True)
    clean_en = _clean(label_en, "label_en", required=False)
    _check_unique(session, clean, row.id)
    before = {"label": row.label, "label_en": row.label_en}
    row.label, row.label_en = clean, clean_en
    session.flush()
    after = {"label": row.label, "label_en": row.label_en}
    if after != before:
        audit.record(
            session, action="instruction.renamed", actor=actor,
            summary=f"Instruksi disposisi diubah: {before['label']} -> {clean}", before=before, after=after,
        )
    return row


def set_active(session: Session, actor: audit.Actor, instruction_id: int, on: bool) -> Instruction:
    """Deactivate (no longer offered) or reactivate; the last active one cannot go."""
    row = _require(session, instruction_id)
    if bool(row.active) == on:
        return row
    if not on:
        others = session.scalar(
            select(func.count()).select_from(Instruction).where(
                Instruction.active.is_(True), Instruction.id != row.id
            )
        )
        if not others:
            raise InstructionInvalid("instruction.last_active")
    row.active = on
    session.flush()
    audit.record(
        session,
        action="instruction.reactivated" if on else "instruction.deactivated",
        actor=actor,
        summary=f"Instruksi disposisi {'diaktifkan kembali' if on else 'dinonaktifkan'}: {row.label}",
        before={"active": not on},
        after={"active": on},
    )
    return row


def reorder(session: Session, actor: audit.Actor, ids: Sequence[int]) -> list[Instruction]:
    """Put every instruction in the given order (the ids of all of them, each once)."""
    rows = {row.id: row for row in all_instructions(session)}
    if len(ids) != len(rows) or set(ids) != set(rows):
        raise InstructionInvalid("instruction.bad_order")
    before = [rows[i].label for i in sorted(rows, key=lambda i: (rows[i].sort, i))]
    for sort, instruction_id in enumerate(ids, start=1):
        rows[instruction_id].sort = sort
    session.flush()
    after = [rows[i].label for i in ids]
    if after != before:
        audit.record(
            session, action="instruction.reordered", actor=actor, summary="Urutan instruksi disposisi diubah",
            before={"order": before}, after={"order": after},
        )
    return [rows[i] for i in ids]


def move(session: Session, actor: audit.Actor, instruction_id: int, offset: int) -> list[Instruction]:
    """One place up (offset -1) or down (+1); at either end it stays where it is."""
    order = [row.id for row in all_instructions(session)]
    if instruction_id not in order:
        raise NotFound()
    here = order.index(instruction_id)
    there = max(0, min(len(order) - 1, here + offset))
    order.insert(there, order.pop(here))
    return reorder(session, actor, order)
