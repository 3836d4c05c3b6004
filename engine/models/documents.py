"""Signed documents and the signers' certificates.

A signer's private key is stored only encrypted with their own passphrase (PKCS#8); Lontar
never holds the passphrase, so nobody — admin, deputy, or a database dump — can sign for them.
A signed PDF is stored by content hash like any file, and its SHA-256 is recorded here so the
verification page can say which letter a file belongs to.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base, utcnow


class SignerCertificate(Base):
    __tablename__ = "signer_certificate"
    __table_args__ = (Index("ix_signer_certificate_user", "user_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    subject: Mapped[str] = mapped_column(String(400))
    serial: Mapped[str] = mapped_column(String(80), unique=True)
    issuer: Mapped[str] = mapped_column(String(400), default="")
    source: Mapped[str] = mapped_column(String(12), default="lokal")  # lokal (Lontar CA) | pkcs12 | bsre
    cert_pem: Mapped[str] = mapped_column(Text)
    key_pem: Mapped[str | None] = mapped_column(Text)  # encrypted PKCS#8; None for a remote signer
    valid_from: Mapped[datetime] = mapped_column()
    valid_to: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()


class SignedDocument(Base):
    __tablename__ = "signed_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="final")  # final | paraf
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    version_sha256: Mapped[str | None] = mapped_column(String(64))  # the draft version signed
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("signer_certificate.id"))
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
