"""The organisation: units, positions (jabatan), people and who holds which position.

Work is addressed to positions, never to names: when a Plt or Plh is appointed, the open
tasks of the position reach them without touching the tasks.  The organisation issue extends
this model (delegation, per-unit role mapping, CSV import); the spine needs the tree, the
positions with their superiors, users and dated holdings.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.models.base import Base, utcnow

HOLDING_KINDS = ("definitif", "plt", "plh", "pj", "pjs")
ROLES = ("pencatat", "admin", "designer", "auditor")


class Unit(Base):
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), default="dinas")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id])


def new_position_code() -> str:
    """A placeholder code for a position created without one (the admin UI and import give one)."""
    return "J-" + secrets.token_hex(4).upper()


class Position(Base):
    __tablename__ = "position"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable, Pemda-wide key used by CSV import/export and role mappings, e.g. DISKOMINFO.KADIS.
    code: Mapped[str] = mapped_column(String(60), unique=True, default=new_position_code)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    reports_to_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"), index=True)
    is_head_of_unit: Mapped[bool] = mapped_column(Boolean, default=False)
    eselon: Mapped[str | None] = mapped_column(String(10))

    unit: Mapped[Unit] = relationship()
    reports_to: Mapped[Position | None] = relationship(remote_side=[id])


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    nip: Mapped[str | None] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    pangkat: Mapped[str | None] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    lang: Mapped[str] = mapped_column(String(5), default="id")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PositionHolder(Base):
    """A person in a position for a period: definitif, or acting (Plt/Plh/Pj/Pjs)."""

    __tablename__ = "position_holder"
    __table_args__ = (Index("ix_position_holder_user_dates", "user_id", "valid_from", "valid_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(12), default="definitif")
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    sk_ref: Mapped[str | None] = mapped_column(String(120))

    position: Mapped[Position] = relationship()
    user: Mapped[User] = relationship()


class UserRole(Base):
    """Roles that are not positions (TU/pencatat of a unit, admin, designer, auditor)."""

    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))


class Delegation(Base):
    """Delegasi / out of office: for a period, the deputy also works the principal's inbox.

    The audit trail keeps both names: the deputy acts, "a.n." the principal.
    """

    __tablename__ = "delegation"
    __table_args__ = (Index("ix_delegation_deputy_dates", "deputy_id", "valid_from", "valid_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()

    principal: Mapped[User] = relationship(foreign_keys=[principal_id])
    deputy: Mapped[User] = relationship(foreign_keys=[deputy_id])


class RoleMapping(Base):
    """How a role named in a diagram (a lane, candidateGroups) resolves in a unit's subtree.

    A unit without its own row inherits its parent's; with none up the tree, the built-in
    rule applies (engine.assignment).  `target` says what the role becomes: a fixed
    position, the head of the instance's unit, or a non-position role (TU, admin...).
    """

    __tablename__ = "role_mapping"
    __table_args__ = (UniqueConstraint("unit_id", "role", name="uq_role_mapping_unit_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # None: Pemda-wide default
    role: Mapped[str] = mapped_column(String(120))
    target: Mapped[str] = mapped_column(String(20))  # position | head | user_role | superior | initiator
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    user_role: Mapped[str | None] = mapped_column(String(40))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
