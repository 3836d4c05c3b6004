"""Letters (naskah dinas) as records, with their parties, attachments, comments and the
disposition tree.

A letter is the single record of a registration; process instances work on it but do not
hold it.  Everything the inbox, the agenda book and search filter on (jenis, direction,
sifat, urgensi, klasifikasi, unit, dates, status) is a typed, indexed column; JSON is kept
only for what nobody filters on.

The disposition tree lives in rows (one per branch, linked to its parent), each branch with
its own process instance: a tree of any size never makes one instance deep or contended.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.models.base import Base, utcnow
from engine.models.org import Position, Unit, User

JENIS = (
    "nota_dinas", "memo", "surat_dinas", "surat_undangan", "surat_edaran", "surat_keputusan",
    "surat_perintah", "surat_tugas", "instruksi", "peraturan", "sop", "perjanjian", "surat_kuasa",
    "berita_acara", "surat_keterangan", "surat_pengantar", "pengumuman", "laporan",
    "telaahan_staf", "notula", "lainnya",
)
DIRECTIONS = ("masuk", "keluar", "internal")
SIFAT = ("biasa", "terbatas", "rahasia", "sangat_rahasia")
SECRET_SIFAT = ("rahasia", "sangat_rahasia")
URGENSI = ("biasa", "segera", "sangat_segera")
PARTY_KINDS = ("internal", "srikandi", "eksternal")
LETTER_STATUSES = (
    "menunggu_disposisi", "didisposisikan", "selesai", "diarsipkan", "dibatalkan",
    # outgoing: drafted, in the paraf chain, at the signer, signed and numbered, sent, withdrawn
    "konsep", "paraf", "tanda_tangan", "ditandatangani", "terkirim", "ditarik",
)
BRANCH_STATUSES = ("belum_dibaca", "dibaca", "diteruskan", "ditindaklanjuti", "selesai", "dibatalkan")


class Klasifikasi(Base):
    """A Permendagri 83/2022 classification code, with its JRA retention when known."""

    __tablename__ = "klasifikasi"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(400))
    parent_code: Mapped[str | None] = mapped_column(String(40), index=True)
    level: Mapped[int] = mapped_column(Integer, default=1)
    retensi_aktif: Mapped[int | None] = mapped_column(Integer)  # years
    retensi_inaktif: Mapped[int | None] = mapped_column(Integer)  # years
    nasib_akhir: Mapped[str | None] = mapped_column(String(20))  # musnah | permanen | dinilai_kembali
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Counter(Base):
    """A numbering counter: one row per (unit, year, series), taken under a row lock.

    Rows, not database sequences: a sequence skips numbers on rollback, a register must not.
    """

    __tablename__ = "counter"
    __table_args__ = (UniqueConstraint("unit_id", "year", "series", name="uq_counter_unit_year_series"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    series: Mapped[str] = mapped_column(String(80))  # "agenda_masuk", later "keluar:<jenis>" ...
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Letter(Base):
    __tablename__ = "letter"
    __table_args__ = (
        Index("ix_letter_unit_direction_year", "unit_id", "direction", "agenda_year", "agenda_number"),
        Index("ix_letter_unit_received", "unit_id", "received_at"),
        UniqueConstraint("unit_id", "direction", "agenda_year", "agenda_number", name="uq_letter_agenda"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    jenis: Mapped[str] = mapped_column(String(40), index=True)
    direction: Mapped[str] = mapped_column(String(10), index=True)
    nomor: Mapped[str | None] = mapped_column(String(120), index=True)  # the sender's number for an incoming letter
    tanggal: Mapped[date | None] = mapped_column(Date)  # the letter's own date
    hal: Mapped[str] = mapped_column(String(500))
    sifat: Mapped[str] = mapped_column(String(20), default="biasa", index=True)
    urgensi: Mapped[str] = mapped_column(String(20), default="biasa", index=True)
    klasifikasi_code: Mapped[str | None] = mapped_column(ForeignKey("klasifikasi.code"), index=True)
    sender_kind: Mapped[str] = mapped_column(String(12), default="eksternal")
    sender_name: Mapped[str] = mapped_column(String(300), default="")
    sender_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    body: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime | None] = mapped_column()
    agenda_year: Mapped[int | None] = mapped_column(Integer)
    agenda_number: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(24), default="menunggu_disposisi", index=True)
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    registered_as_position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    draft_disposition: Mapped[dict[str, Any] | None] = mapped_column()  # TU's pre-draft for the head
    # outgoing letters: the konseptor, the chosen signer and the signature block as signed
    konseptor_position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"), index=True)
    signer_position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"), index=True)
    signature_block: Mapped[str | None] = mapped_column(Text)
    signed_at: Mapped[datetime | None] = mapped_column()
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    draft_round: Mapped[int] = mapped_column(Integer, default=0)
    draft_options: Mapped[dict[str, Any] | None] = mapped_column()  # koordinasi units, chosen rule
    source_letter_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id"), index=True)  # incoming copy of
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    klasifikasi: Mapped[Klasifikasi | None] = relationship()
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])
    parties: Mapped[list[LetterParty]] = relationship(
        back_populates="letter", cascade="all, delete-orphan", order_by="LetterParty.id"
    )


class LetterParty(Base):
    """A recipient (kepada) or copy (tembusan): an internal unit/position, a SRIKANDI address,
    or an outside party by name."""

    __tablename__ = "letter_party"
    __table_args__ = (
        Index("ix_letter_party_unit", "unit_id"),
        Index("ix_letter_party_position", "position_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10))  # kepada | tembusan
    kind: Mapped[str] = mapped_column(String(12))  # internal | srikandi | eksternal
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    name: Mapped[str] = mapped_column(String(300), default="")

    letter: Mapped[Letter] = relationship(back_populates="parties")


class LetterAttachment(Base):
    """A file of a letter, stored by content hash; a new upload of the same name is a new version."""

    __tablename__ = "letter_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), index=True)
    disposition_id: Mapped[int | None] = mapped_column(ForeignKey("disposition.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="lampiran")  # pindaian | lampiran | tindak_lanjut
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Comment(Base):
    """A remark on a letter, optionally on one of its tasks or branches; shown in the timeline."""

    __tablename__ = "comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_task.id"))
    disposition_id: Mapped[int | None] = mapped_column(ForeignKey("disposition.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    author_position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()


class Disposition(Base):
    """One branch of the disposition tree: from one position to one recipient position."""

    __tablename__ = "disposition"
    __table_args__ = (
        Index("ix_disposition_to_status", "to_position_id", "status"),
        Index("ix_disposition_from_status", "from_position_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("disposition.id"), index=True)
    depth: Mapped[int] = mapped_column(Integer, default=1)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    from_position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    from_title: Mapped[str] = mapped_column(String(300), default="")  # "Plh. Kepala Dinas ..." as signed
    to_position_id: Mapped[int] = mapped_column(ForeignKey("position.id"))
    instructions: Mapped[list[Any]] = mapped_column(default=list)  # labels as chosen, in order
    note: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default="belum_dibaca", index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column()
    read_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    acted_at: Mapped[datetime | None] = mapped_column()  # forwarded or reported
    report: Mapped[str | None] = mapped_column(Text)  # laporan tindak lanjut
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    done_at: Mapped[datetime | None] = mapped_column()
    reminded_at: Mapped[datetime | None] = mapped_column()  # a timer that re-arms never reminds twice
    escalated_at: Mapped[datetime | None] = mapped_column()
    cancelled_at: Mapped[datetime | None] = mapped_column()

    letter: Mapped[Letter] = relationship()
    from_position: Mapped[Position | None] = relationship(foreign_keys=[from_position_id])
    to_position: Mapped[Position] = relationship(foreign_keys=[to_position_id])
    from_user: Mapped[User] = relationship(foreign_keys=[from_user_id])


class Instruction(Base):
    """The Pemda's vocabulary of disposition instructions ("Dengan hormat harap ...")."""

    __tablename__ = "instruction"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200), unique=True)
    label_en: Mapped[str] = mapped_column(String(200), default="")
    sort: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Holiday(Base):
    """A non-working day of the Pemda (libur nasional, cuti bersama, local holidays)."""

    __tablename__ = "holiday"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")


class Setting(Base):
    """Pemda-wide configuration a regional admin changes (weekend days, e-mail, formats)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
