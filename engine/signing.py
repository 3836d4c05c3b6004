"""Signing an outgoing letter: the one call site.

The signer's step approves the final version, takes the number from the register in the same
transaction, writes the signature block (a.n. / u.b., Plt. / Plh.) and hands the letter to
distribution.  When the signer has an active certificate and the caller passes a
`DocumentConfig`, the numbered letter is also rendered to PDF and PAdES-signed
(engine.documents.sealing); the key is opened before the number is taken, so a wrong passphrase
costs nothing.  The sequence (who may sign, the number, distribution) stays here, so no page or
worker ever signs by another route.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine import audit, distribution, numbering
from engine.documents import sealing
from engine.documents.sealing import DocumentConfig
from engine.drafting import current_version, task_letter
from engine.errors import InvalidInput, NotAllowed
from engine.models import LetterNumber, Paraf, Position, User
from engine.models.documents import SignedDocument
from engine.organisation import skpd_of
from engine.outgoing_forms import DECISION, HAS_EXTERNAL, SIGN_FORM
from engine.paraf import note_checked, status_after
from engine.runtime import StepResult, WorkflowEngine
from engine.runtime_support import actor_for
from engine.signing_rules import holding_kind, is_strategic, signature_lines


@dataclass
class Signed:
    step: StepResult | None
    number: LetterNumber | None
    returned: bool
    document: SignedDocument | None = None


__all__ = ["DocumentConfig", "Signed", "sign"]


def sign(session: Session, engine: WorkflowEngine, task_id: int, *, user: User, decision: str = "tandatangani",
         note: str = "", passphrase: str | None = None, documents: DocumentConfig | None = None) -> Signed:
    """Approve, number and sign the letter of the signer's task (or return it to the konseptor).

    With `documents` and an active certificate of `user`, `passphrase` opens the key (only ever
    as this argument) and the signed PDF is stored; a wrong one raises `WrongPassphrase`
    before anything is written."""
    human, letter = task_letter(session, task_id, {SIGN_FORM})
    if decision not in ("tandatangani", "kembalikan"):
        raise InvalidInput("naskah.bad_decision", field="decision")
    text = note_checked(decision, note)
    today, now = engine.clock.today(), engine.clock.now()
    signer = session.get(Position, letter.signer_position_id)
    kind = holding_kind(session, user.id, letter.signer_position_id or 0, today)
    if signer is None or kind is None:
        raise NotAllowed("ttd.bukan_pemegang")
    version = current_version(session, letter.id)
    actor = actor_for(user, signer)
    if decision == "kembalikan":
        session.add(Paraf(letter_id=letter.id, round=letter.draft_round, ordinal=999, kind="ttd",
                          position_id=signer.id, decision="kembalikan", user_id=user.id, acting_kind=kind,
                          version_id=version.id, version_sha256=version.sha256, note=text, decided_at=now))
        result = engine.complete(session, task_id, user=user, data={DECISION: "kembalikan", "catatan": text})
        status_after(result, letter)
        return Signed(result, None, True)
    if kind in ("plt", "plh") and is_strategic(session, letter.jenis, letter.klasifikasi_code):
        raise InvalidInput("ttd.plt_strategis", field="decision", kind=kind.capitalize() + ".")
    key = sealing.unlock(session, user, passphrase, at=now) if documents is not None else None
    number = numbering.allocate(session, letter=letter, unit_id=skpd_of(session, signer.unit_id) or signer.unit_id,
                                user=user, at=now, tz=engine.clock.tz)
    atas_nama_id = (letter.draft_options or {}).get("atas_nama")
    atas_nama = session.get(Position, atas_nama_id) if isinstance(atas_nama_id, int) else None
    rule_ub = bool((letter.draft_options or {}).get("ub"))
    letter.signature_block = "\n".join(signature_lines(session, signer, atas_nama, rule_ub, kind))
    letter.signed_at, letter.signed_by_id, letter.updated_at = now, user.id, now
    document = None
    if key is not None and documents is not None:
        document = sealing.seal(session, letter, version, key, documents, user=user, at=now)
    external = any(p.kind != "internal" for p in letter.parties)
    result = engine.complete(session, task_id, user=user,
                             data={DECISION: "tandatangani", HAS_EXTERNAL: external, "nomor": letter.nomor})
    audit.record(session, action="naskah.ditandatangani", actor=actor, instance_id=result.instance.id,
                 summary=f"{letter.nomor} · v{version.number} · {version.sha256[:12]}",
                 after={"letter_id": letter.id, "nomor": letter.nomor, "version": version.number,
                        "sha256": version.sha256, "holding": kind,
                        **({"pdf_sha256": document.sha256, "certificate_id": document.certificate_id}
                           if document is not None else {})}, at=now)
    distribution.distribute(session, engine, letter, user=user, at=now)
    letter.status = "ditandatangani" if external else "terkirim"
    session.flush()
    return Signed(result, number, False, document)
