"""The audit trail: append-only rows, hash-chained per instance.

Each row stores the hash of the previous row of its chain and its own hash over its content,
so an auditor can tell that a row was altered (its hash no longer matches) or removed (the
next row's prev_hash, or the sequence, no longer matches).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (UniqueConstraint("chain", "seq", name="uq_audit_event_chain_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(String(60), index=True)  # "instance:<id>" or "system"
    seq: Mapped[int] = mapped_column(Integer)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)  # "took part"
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    actor_position: Mapped[str] = mapped_column(String(200), default="")
    on_behalf_of: Mapped[str] = mapped_column(String(200), default="", server_default="")  # deputy acts a.n.
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)  # principal
    action: Mapped[str] = mapped_column(String(60))
    task_guid: Mapped[str | None] = mapped_column(String(36))
    bpmn_id: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    before: Mapped[dict[str, Any] | None] = mapped_column()
    after: Mapped[dict[str, Any] | None] = mapped_column()
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
