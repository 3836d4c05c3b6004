"""Outgoing letters from the konseptor's side: a draft from the jenis's template, its versions,
submitting it to the paraf chain, and withdrawing it.

A draft is a `letter` row (direction keluar) from the first save, so the lists, the letter page
and the access rules of incoming letters serve it too.  Its text lives in `draft_version` rows:
the letter's hal/body are a copy of the latest version, never the only record of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.errors import InvalidInput, NotAllowed, NotFound
from engine.letters import StoredFile, add_attachment
from engine.messages import register
from engine.models import (
    JENIS,
    SIFAT,
    URGENSI,
    DraftVersion,
    HumanTask,
    Klasifikasi,
    Letter,
    LetterParty,
    Paraf,
    Position,
    ProcessInstance,
    Setting,
    Unit,
    User,
)
from engine.organisation import skpd_of
from engine.outgoing_forms import CHAIN, HAS_EXTERNAL, OUTGOING_PROCESS, REVIEW_RESULTS, SIGNER
from engine.runtime import StepResult, WorkflowEngine
from engine.signing_rules import SignerOption, compute_chain, signer_options

register({
    "naskah.bad_jenis": ("Jenis naskah tidak dikenal.", "Unknown kind of letter."),
    "naskah.hal_required": ("Hal (perihal) wajib diisi.", "The subject is required."),
    "naskah.too_long": ("{field} terlalu panjang (paling banyak {limit} karakter).",
                        "{field} is too long (at most {limit} characters)."),
    "naskah.bad_choice": ("Pilihan {field} tidak dikenal.", "Unknown choice for {field}."),
    "naskah.bad_klasifikasi": ("Kode klasifikasi {code} tidak ada.", "Classification code {code} does not exist."),
    "naskah.kepada_required": ("Pilih sedikitnya satu tujuan (kepada).", "Choose at least one addressee."),
    "naskah.bad_party": ("Tujuan atau tembusan tidak lengkap: pilih unit atau tulis nama penerima.",
                         "An addressee or copy is incomplete: choose a unit or write the recipient's name."),
    "naskah.bad_signer": ("Penandatangan tidak berwenang untuk jenis naskah dan tujuan ini.",
                          "This signer has no authority for this kind of letter and these recipients."),
    "naskah.no_position": ("Anda tidak memegang jabatan: naskah dibuat atas nama jabatan.",
                           "You hold no position: a letter is drafted in a position's name."),
    "naskah.not_konseptor": ("Hanya konseptor yang dapat mengubah atau menarik naskah ini.",
                             "Only the drafter may change or withdraw this letter."),
    "naskah.not_editable": ("Naskah ini sedang diproses dan tidak dapat diubah.",
                            "This letter is being processed and cannot be changed."),
    "naskah.recall_too_late": ("Naskah sudah diparaf dan tidak dapat ditarik kembali.",
                               "The letter has already been initialled and cannot be withdrawn."),
    "naskah.note_required": ("Catatan wajib diisi bila naskah dikembalikan.",
                             "A note is required when the letter is returned."),
    "naskah.bad_decision": ("Keputusan tidak dikenal.", "Unknown decision."),
    "naskah.wrong_task": ("Tugas ini bukan langkah naskah keluar.", "This task is not a step of an outgoing letter."),
})

MAX_HAL, MAX_BODY, MAX_NAME, MAX_NOTE = 500, 100_000, 300, 4000
EDITABLE = ("konsep", "ditarik")
TEMPLATES = {
    "nota_dinas": "Dengan hormat,\n\nSehubungan dengan ..., bersama ini kami sampaikan ...\n\n"
                  "Demikian disampaikan, atas perhatiannya diucapkan terima kasih.",
    "surat_dinas": "Dengan hormat,\n\nMenindaklanjuti surat Saudara nomor ... tanggal ... perihal ..., "
                   "dengan ini kami sampaikan ...\n\nDemikian, atas perhatian dan kerja samanya kami ucapkan "
                   "terima kasih.",
    "surat_undangan": "Dengan hormat,\n\nDalam rangka ..., kami mengundang Bapak/Ibu untuk hadir pada:\n\n"
                      "hari/tanggal : ...\npukul : ...\ntempat : ...\nacara : ...\n\n"
                      "Mengingat pentingnya acara tersebut, dimohon hadir tepat waktu.",
    "memo": "...",
}


@dataclass
class PartyInput:
    role: str  # kepada | tembusan
    kind: str  # internal | srikandi | eksternal
    unit_id: int | None = None
    position_id: int | None = None
    name: str = ""


@dataclass
class DraftInput:
    jenis: str
    hal: str
    body: str
    sifat: str = "biasa"
    urgensi: str = "biasa"
    klasifikasi_code: str | None = None
    signer_rule_id: int | None = None
    signer_position_id: int | None = None
    parties: list[PartyInput] = field(default_factory=list)
    koordinasi_unit_ids: list[int] = field(default_factory=list)


def template_for(session: Session, jenis: str) -> str:
    """The body skeleton of a jenis: the Pemda's own (setting naskah.templat.<jenis>) or ours."""
    row = session.get(Setting, f"naskah.templat.{jenis}")
    if row is not None and isinstance(row.value, str):
        return row.value
    return TEMPLATES.get(jenis, "")


def digest(hal: str, body: str) -> str:
    return hashlib.sha256(f"{hal}\n\n{body}".encode()).hexdigest()


def check_draft(session: Session, data: DraftInput, konseptor: Position) -> SignerOption:
    """Validate everything before anything is written; returns the chosen signer."""
    if data.jenis not in JENIS:
        raise InvalidInput("naskah.bad_jenis", field="jenis")
    if not data.hal.strip():
        raise InvalidInput("naskah.hal_required", field="hal")
    for name, value, limit in (("hal", data.hal, MAX_HAL), ("body", data.body, MAX_BODY)):
        if len(value or "") > limit:
            raise InvalidInput("naskah.too_long", field=name, limit=limit)
    for name, value, allowed in (("sifat", data.sifat, SIFAT), ("urgensi", data.urgensi, URGENSI)):
        if value not in allowed:
            raise InvalidInput("naskah.bad_choice", field=name)
    if data.klasifikasi_code and session.get(Klasifikasi, data.klasifikasi_code) is None:
        raise InvalidInput("naskah.bad_klasifikasi", field="klasifikasi_code", code=data.klasifikasi_code)
    if not any(p.role == "kepada" for p in data.parties):
        raise InvalidInput("naskah.kepada_required", field="parties")
    for party in data.parties:
        if party.role not in ("kepada", "tembusan") or party.kind not in ("internal", "srikandi", "eksternal"):
            raise InvalidInput("naskah.bad_party", field="parties")
        if party.kind == "internal" and (party.unit_id is None or session.get(Unit, party.unit_id) is None):
            raise InvalidInput("naskah.bad_party", field="parties")
        if party.kind != "internal" and not party.name.strip():
            raise InvalidInput("naskah.bad_party", field="parties")
        if len(party.name) > MAX_NAME:
            raise InvalidInput("naskah.too_long", field="parties", limit=MAX_NAME)
    for unit_id in data.koordinasi_unit_ids:
        if session.get(Unit, unit_id) is None:
            raise InvalidInput("naskah.bad_choice", field="koordinasi")
    options = signer_options(session, konseptor_position_id=konseptor.id, jenis=data.jenis, parties=data.parties)
    chosen = [o for o in options if (data.signer_rule_id is None or o.rule_id == data.signer_rule_id)
              and (data.signer_position_id is None or o.position_id == data.signer_position_id)]
    if not chosen or (data.signer_rule_id is None and data.signer_position_id is None):
        raise InvalidInput("naskah.bad_signer", field="signer")
    return chosen[0]


def apply_draft(session: Session, letter: Letter, data: DraftInput, option: SignerOption) -> None:
    letter.jenis, letter.sifat, letter.urgensi = data.jenis, data.sifat, data.urgensi
    letter.hal, letter.body = data.hal.strip(), data.body.strip()
    letter.klasifikasi_code = data.klasifikasi_code or None
    letter.signer_position_id = option.position_id
    letter.draft_options = {"koordinasi": list(dict.fromkeys(data.koordinasi_unit_ids)), "rule_id": option.rule_id,
                            "atas_nama": option.atas_nama_position_id, "ub": option.ub}
    letter.parties.clear()
    session.flush()
    for party in data.parties:
        letter.parties.append(LetterParty(role=party.role, kind=party.kind, unit_id=party.unit_id,
                                          position_id=party.position_id, name=party.name.strip()))


def new_version(session: Session, letter: Letter, *, user: User, position_id: int | None, reason: str,
                 note: str = "") -> DraftVersion:
    number = (session.scalar(select(func.max(DraftVersion.number)).where(DraftVersion.letter_id == letter.id)) or 0) + 1
    version = DraftVersion(letter_id=letter.id, number=number, hal=letter.hal, body=letter.body or "",
                           sha256=digest(letter.hal, letter.body or ""), reason=reason, note=note,
                           made_by_id=user.id, made_as_position_id=position_id, made_at=letter.updated_at)
    session.add(version)
    session.flush()
    return version


def current_version(session: Session, letter_id: int) -> DraftVersion:
    found = session.scalars(select(DraftVersion).where(DraftVersion.letter_id == letter_id)
                            .order_by(DraftVersion.number.desc()).limit(1)).first()
    if found is None:
        raise NotFound()
    return found


def versions(session: Session, letter_id: int) -> list[DraftVersion]:
    return list(session.scalars(select(DraftVersion).where(DraftVersion.letter_id == letter_id)
                                .order_by(DraftVersion.number)))


def paraf_rows(session: Session, letter_id: int) -> list[Paraf]:
    return list(session.scalars(select(Paraf).where(Paraf.letter_id == letter_id)
                                .order_by(Paraf.round, Paraf.ordinal, Paraf.id)))


def new_draft(session: Session, engine: WorkflowEngine, *, user: User, position: Position | None,
              data: DraftInput, attachments: Sequence[StoredFile] = ()) -> Letter:
    """Save a konsep in the konseptor's position; it goes nowhere until submitted."""
    if position is None:
        raise InvalidInput("naskah.no_position")
    option = check_draft(session, data, position)
    now = engine.clock.now()
    unit = session.get(Unit, position.unit_id)
    letter = Letter(unit_id=skpd_of(session, position.unit_id) or position.unit_id, jenis=data.jenis,
                    direction="keluar", hal="", status="konsep", sender_kind="internal",
                    sender_name=unit.name if unit else "", sender_unit_id=position.unit_id,
                    registered_by_id=user.id, registered_as_position_id=position.id,
                    konseptor_position_id=position.id, created_at=now, updated_at=now)
    session.add(letter)
    session.flush()
    apply_draft(session, letter, data, option)
    new_version(session, letter, user=user, position_id=position.id, reason="konsep")
    for stored in attachments:
        add_attachment(session, letter, stored, user=user, kind="lampiran", at=now)
    session.flush()
    return letter


def _konseptor_letter(session: Session, letter_id: int, user: User) -> Letter:
    letter = session.get(Letter, letter_id)
    if letter is None or letter.direction != "keluar":
        raise NotFound()
    if letter.registered_by_id != user.id:
        raise NotAllowed("naskah.not_konseptor")
    return letter


def _require_editable(session: Session, letter: Letter) -> None:
    """A konsep nobody is working on: not in a running flow (a returned draft is revised in its
    own task, which restarts the chain; a second flow beside it would be a second draft)."""
    if letter.status not in EDITABLE:
        raise InvalidInput("naskah.not_editable")
    if letter.instance_id is not None:
        running = session.scalar(select(ProcessInstance.status).where(ProcessInstance.id == letter.instance_id))
        if running not in (None, "completed", "cancelled"):
            raise InvalidInput("naskah.not_editable")


def update_draft(session: Session, engine: WorkflowEngine, letter_id: int, *, user: User, data: DraftInput,
                 attachments: Sequence[StoredFile] = ()) -> Letter:
    """Edit a konsep (or a withdrawn draft); a changed text is a new version."""
    letter = _konseptor_letter(session, letter_id, user)
    _require_editable(session, letter)
    konseptor = session.get(Position, letter.konseptor_position_id)
    if konseptor is None:
        raise InvalidInput("naskah.no_position")
    option = check_draft(session, data, konseptor)
    before = digest(letter.hal, letter.body or "")
    letter.updated_at = engine.clock.now()
    apply_draft(session, letter, data, option)
    if digest(letter.hal, letter.body or "") != before:
        new_version(session, letter, user=user, position_id=konseptor.id, reason="revisi")
    for stored in attachments:
        add_attachment(session, letter, stored, user=user, kind="lampiran", at=letter.updated_at)
    session.flush()
    return letter


def skip_codes(engine: WorkflowEngine, session: Session, unit_id: int | None) -> list[str]:
    """A variant may leave positions out of the computed chain: property `lewatiJabatan` (codes,
    comma-separated) on its paraf task."""
    from engine.runtime_support import spec_properties

    version = engine.registry.version_for_start(session, OUTGOING_PROCESS, unit_id)
    spec = engine.registry.spec(version, engine.registry.dependencies(session, version, unit_id)).spec
    task = spec.task_specs.get("paraf [child]") or spec.task_specs.get("paraf")  # the multi-instance's own spec
    raw = spec_properties(task).get("lewatiJabatan", "") if task is not None else ""
    return [c.strip() for c in str(raw).split(",") if c.strip()]


def open_round(session: Session, engine: WorkflowEngine, letter: Letter) -> list[int]:
    """A new paraf round: the chain computed afresh (the org chart may have changed since)."""
    letter.draft_round = (letter.draft_round or 0) + 1
    chain = compute_chain(
        session, konseptor_position_id=letter.konseptor_position_id or 0,
        signer_position_id=letter.signer_position_id or 0,
        koordinasi_unit_ids=(letter.draft_options or {}).get("koordinasi", []),
        skip_codes=skip_codes(engine, session, letter.unit_id),
    )
    for ordinal, (position_id, kind) in enumerate(chain, start=1):
        session.add(Paraf(letter_id=letter.id, round=letter.draft_round, ordinal=ordinal, kind=kind,
                          position_id=position_id))
    session.flush()
    return [p for p, _ in chain]


def flow_data(session: Session, letter: Letter, chain: list[int]) -> dict[str, Any]:
    external = any(p.kind != "internal" for p in letter.parties)
    return {"letter_id": letter.id, CHAIN: chain, REVIEW_RESULTS: [], SIGNER: letter.signer_position_id,
            HAS_EXTERNAL: external, "hal": letter.hal, "urgensi": letter.urgensi}


def submit(session: Session, engine: WorkflowEngine, letter_id: int, *, user: User) -> StepResult:
    """Send the draft up the chain (or straight to the signer when nobody stands between)."""
    letter = _konseptor_letter(session, letter_id, user)
    _require_editable(session, letter)
    position = session.get(Position, letter.konseptor_position_id)
    chain = open_round(session, engine, letter)
    result = engine.start(session, OUTGOING_PROCESS, user=user, unit_id=letter.unit_id, position=position,
                          data=flow_data(session, letter, chain))
    letter.instance_id = result.instance.id
    result.instance.letter_id = letter.id
    letter.status = "paraf" if chain else "tanda_tangan"
    letter.updated_at = engine.clock.now()
    session.flush()
    return result


def may_recall(session: Session, letter: Letter, user_id: int) -> bool:
    if letter.direction != "keluar" or letter.registered_by_id != user_id:
        return False
    if letter.status not in ("paraf", "tanda_tangan"):
        return False
    initialled = session.scalar(select(func.count(Paraf.id)).where(
        Paraf.letter_id == letter.id, Paraf.round == letter.draft_round, Paraf.decision.in_(("paraf", "revisi"))))
    return not initialled


def recall(session: Session, engine: WorkflowEngine, letter_id: int, *, user: User, reason: str = "") -> Letter:
    """The konseptor withdraws a draft nobody has initialled in this round; it becomes editable."""
    letter = _konseptor_letter(session, letter_id, user)
    if not may_recall(session, letter, user.id):
        raise InvalidInput("naskah.recall_too_late")
    if letter.instance_id is not None:
        engine.cancel(session, letter.instance_id, user=user, reason=(reason or "Naskah ditarik konseptor")[:500])
    for row in session.scalars(select(Paraf).where(Paraf.letter_id == letter.id, Paraf.round == letter.draft_round,
                                                   Paraf.decision == "menunggu")):
        row.decision = "dilewati"
    letter.status = "ditarik"
    letter.updated_at = engine.clock.now()
    session.flush()
    return letter


def task_letter(session: Session, task_id: int, forms: set[str] | frozenset[str]) -> tuple[HumanTask, Letter]:
    human = session.get(HumanTask, task_id)
    if human is None:
        raise NotFound()
    if human.form_key not in forms:
        raise InvalidInput("naskah.wrong_task")
    letter_id = (human.context or {}).get("letter_id")
    letter = session.get(Letter, letter_id) if isinstance(letter_id, int) else None
    if letter is None:
        raise NotFound()
    return human, letter
