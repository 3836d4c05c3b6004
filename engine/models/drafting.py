"""Outgoing letters: draft versions, the paraf chain, signing rules, the number register and
dispatch (ekspedisi).

Every version of a draft is a row (never overwritten), and each paraf row names the version it
approved by its SHA-256, so "what exactly did the Kabid initial?" has an answer years later.
The number register keeps every number ever handed out, voided ones included: a register with
holes or reused numbers is worthless as evidence.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.models.base import Base, utcnow
from engine.models.org import Position, User

PARAF_DECISIONS = ("menunggu", "paraf", "kembalikan", "revisi", "dilewati")
NUMBER_STATUSES = ("terpakai", "batal")
SIGNER_SELECTORS = ("kepala_unit", "kepala_skpd", "kepala_daerah", "jabatan")
SCOPES = ("internal", "antar_skpd", "eksternal")


class DraftVersion(Base):
    """One version of a draft's text, as written by the konseptor or a pemeriksa who revised it."""

    __tablename__ = "draft_version"
    __table_args__ = (UniqueConstraint("letter_id", "number", name="uq_draft_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    hal: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(20), default="konsep")  # konsep | revisi | revisi_pemeriksa
    note: Mapped[str] = mapped_column(Text, default="")
    made_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    made_as_position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    made_at: Mapped[datetime] = mapped_column(default=utcnow)

    made_by: Mapped[User] = relationship()


class Paraf(Base):
    """One step of a paraf round: who must initial, and (once decided) what they decided on
    which version.  A return starts a new round; the old round's rows stay."""

    __tablename__ = "paraf"
    __table_args__ = (
        Index("ix_paraf_letter_round", "letter_id", "round", "ordinal"),
        Index("ix_paraf_position_decision", "position_id", "decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer, default=1)
    ordinal: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(12), default="berjenjang")  # berjenjang | koordinasi | tetap
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"))
    decision: Mapped[str] = mapped_column(String(12), default="menunggu")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    acting_kind: Mapped[str | None] = mapped_column(String(12))  # definitif | plt | plh | wakil
    version_id: Mapped[int | None] = mapped_column(ForeignKey("draft_version.id"))
    version_sha256: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column()

    position: Mapped[Position] = relationship()
    user: Mapped[User | None] = relationship()


class SigningRule(Base):
    """Who may sign a jenis naskah of a scope: jabatan selector, optionally a.n. / u.b.

    `unit_id` None is the Pemda-wide rule; an SKPD's own rows replace it for that SKPD.
    """

    __tablename__ = "signing_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    jenis: Mapped[str] = mapped_column(String(40), default="*")
    scope: Mapped[str] = mapped_column(String(12), default="*")
    signer: Mapped[str] = mapped_column(String(20))  # kepala_unit | kepala_skpd | kepala_daerah | jabatan
    signer_position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    atas_nama: Mapped[str | None] = mapped_column(String(20))  # selector of whom the signer signs for
    atas_nama_position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    ub: Mapped[bool] = mapped_column(Boolean, default=False)  # "u.b.": signs further down the a.n. chain
    sort: Mapped[int] = mapped_column(Integer, default=0)


class LetterNumber(Base):
    """A number of the register of one unit's outgoing letters, in use or voided, never reused."""

    __tablename__ = "letter_number"
    __table_args__ = (
        UniqueConstraint("unit_id", "year", "series", "urut", "suffix", name="uq_letter_number"),
        Index("ix_letter_number_unit_year", "unit_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    series: Mapped[str] = mapped_column(String(80))
    urut: Mapped[int] = mapped_column(Integer)
    suffix: Mapped[str] = mapped_column(String(4), default="")  # "a", "b" for sisipan
    nomor: Mapped[str] = mapped_column(String(160), index=True)
    tanggal: Mapped[date] = mapped_column(Date)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="terpakai")
    sisipan: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    allocated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    allocated_at: Mapped[datetime] = mapped_column(default=utcnow)
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    voided_at: Mapped[datetime | None] = mapped_column()
    void_reason: Mapped[str] = mapped_column(Text, default="")


class Dispatch(Base):
    """Ekspedisi: an outside recipient of a signed letter, and when (and how) it was sent."""

    __tablename__ = "dispatch"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("letter_party.id", ondelete="CASCADE"), unique=True)
    sent_at: Mapped[datetime | None] = mapped_column()
    sent_on: Mapped[date | None] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20), default="")  # pos | kurir | email | srikandi | langsung
    note: Mapped[str] = mapped_column(String(300), default="")
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
