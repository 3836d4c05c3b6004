"""The signer's seal on the final PDF: called only from `engine.signing.sign`.

Two halves, because a wrong passphrase must cost nothing: `unlock` opens the signer's key
*before* the number is taken from the register (a refusal leaves the register untouched), and
`seal` renders the numbered letter, signs it (PAdES, visible stamp with a QR code to the
letter's public verification page), stores the bytes by hash and records a `SignedDocument`.

A signer without an active certificate signs as before (approval, number, block; no PDF), so
a Pemda may adopt electronic signatures one signer at a time.  The passphrase is only ever a
function argument: it is never stored, logged, audited or put into task data.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.x509.oid import NameOID
from pyhanko.sign import signers
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit
from engine.documents.ca import CaMissing, load_ca
from engine.documents.pades import sha256, sign_pdf
from engine.documents.render import render_letter
from engine.documents.signer import LocalSigner
from engine.errors import InvalidInput
from engine.letters import StoredFile, add_attachment
from engine.messages import register
from engine.models import DraftVersion, HumanTask, Letter, Position, User
from engine.models.documents import SignedDocument, SignerCertificate

register({
    "ttd.passphrase_required": ("Frasa sandi wajib diisi untuk menandatangani secara elektronik.",
                                "The passphrase is required to sign electronically."),
})

PDF_MIME = "application/pdf"
SIGNED_KIND = "naskah_ttd"
FIELD_NAME = "TTE"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class DocumentConfig:
    """Where the sealing step finds templates and the CA, and how it stores and links the PDF.

    `store(data, filename)` writes the bytes by content hash and returns the StoredFile;
    `verify_url(letter_id)` is the public URL the QR code points to (per letter: a QR cannot
    carry the hash of the file it is drawn inside)."""

    template_dirs: list[Path]
    ca_folder: Path | None
    store: Callable[[bytes, str], StoredFile]
    verify_url: Callable[[int], str]
    location: str = ""
    extra_trust_roots: list[asn1_x509.Certificate] = field(default_factory=list)


@dataclass
class Key:
    """An opened signing key: the certificate row and the pyHanko signer (never the passphrase)."""

    certificate: SignerCertificate
    signer: signers.Signer


def active_certificate(session: Session, user_id: int, at: datetime) -> SignerCertificate | None:
    """The user's newest certificate that is not revoked and is valid at `at`."""
    return session.scalars(
        select(SignerCertificate)
        .where(SignerCertificate.user_id == user_id, SignerCertificate.revoked_at.is_(None),
               SignerCertificate.valid_from <= at, SignerCertificate.valid_to >= at)
        .order_by(SignerCertificate.valid_from.desc(), SignerCertificate.id.desc())
        .limit(1)
    ).first()


def unlock(session: Session, user: User, passphrase: str | None, *, at: datetime) -> Key | None:
    """The signer's opened key, or None when they have no active certificate (no PDF then).

    Raises InvalidInput("ttd.passphrase_required") for an empty passphrase and
    `WrongPassphrase` when it does not open the key; the caller has taken nothing yet."""
    row = active_certificate(session, user.id, at)
    if row is None:
        return None
    if not passphrase:
        raise InvalidInput("ttd.passphrase_required", field="passphrase")
    return Key(row, LocalSigner.from_certificate(row, passphrase))


def _issuer_name(row: SignerCertificate) -> str:
    try:
        cert = x509.load_pem_x509_certificates(row.cert_pem.encode())[0]
        names = cert.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else cert.issuer.rfc4514_string()
    except (ValueError, IndexError):
        return row.issuer or "Lontar CA"


def _trust_roots(config: DocumentConfig, row: SignerCertificate) -> list[asn1_x509.Certificate]:
    roots = list(config.extra_trust_roots)
    if config.ca_folder is not None and row.source == "lokal":
        with contextlib.suppress(CaMissing):  # no local CA: sign without embedding the chain
            roots.append(load_ca(config.ca_folder, with_key=False).trust_root)
    return roots


def filename_for(letter: Letter) -> str:
    base = _UNSAFE.sub("_", letter.nomor or f"naskah-{letter.id}").strip("_") or f"naskah-{letter.id}"
    return f"{base[:120]}.pdf"


def seal(session: Session, letter: Letter, version: DraftVersion, key: Key, config: DocumentConfig, *,
         user: User, at: datetime) -> SignedDocument:
    """Render the numbered letter, sign it with a visible QR stamp, store it and record it.

    Call after the number, the signature block and `letter.signed_at` are set."""
    rendered = render_letter(session, letter, template_dirs=config.template_dirs, signed=True,
                             issuer=_issuer_name(key.certificate))
    data = sign_pdf(rendered.data, signer=key.signer, field_name=FIELD_NAME, stamp_box=rendered.stamp_box,
                    stamp_page=rendered.stamp_page, qr_url=config.verify_url(letter.id),
                    reason=f"Penandatanganan naskah dinas {letter.nomor or ''}".strip(), location=config.location,
                    trust_roots=_trust_roots(config, key.certificate))
    stored = config.store(data, filename_for(letter))
    digest = sha256(data)
    if stored.sha256 != digest:  # the store must keep exactly these bytes
        raise RuntimeError("stored file hash differs from the signed PDF")
    add_attachment(session, letter, stored, user=user, kind=SIGNED_KIND, at=at)
    document = SignedDocument(letter_id=letter.id, kind="final", sha256=digest, size=len(data),
                              version_sha256=version.sha256, certificate_id=key.certificate.id,
                              signed_by_id=user.id, signed_at=at)
    session.add(document)
    session.flush()
    return document


def record_wrong_passphrase(session: Session, task_id: int, *, user: User, at: datetime) -> None:
    """The failed attempt on the signer's task, for the audit trail: who and which letter, never
    what was typed.  The caller writes it in its own transaction (the signing's rolls back)."""
    from engine.runtime_support import actor_for

    task = session.get(HumanTask, task_id)
    letter_id = (task.context or {}).get("letter_id") if task is not None else None
    letter = session.get(Letter, letter_id) if isinstance(letter_id, int) else None
    position = session.get(Position, letter.signer_position_id) if letter and letter.signer_position_id else None
    audit.record(session, action="ttd.frasa_salah", actor=actor_for(user, position),
                 instance_id=task.instance_id if task is not None else None,
                 summary=f"{letter.hal[:120] if letter else task_id} · frasa sandi salah",
                 after={"letter_id": letter.id if letter else None, "task_id": task_id}, at=at)
    session.flush()
