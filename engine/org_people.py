"""Service functions behind the admin pages: people (accounts, passwords) and their roles.

Same contract as engine.org_admin: scope checked (outside: NotFound), rules applied
(OrgInvalid naming the field), one audit row with before/after, flush; the caller commits.
Password hashes never reach the audit trail.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import messages
from engine.errors import NotFound
from engine.login_security import end_all_sessions
from engine.models import Position, Unit, User, UserRole
from engine.models.base import utcnow
from engine.org_records import admin_actor, changed, record, role_values, user_values
from engine.org_rules import (
    NO_PASSWORD,
    OrgInvalid,
    check_password,
    check_role,
    clean_email,
    clean_nip,
    clean_text,
    clean_username,
    lock_organisation,
)
from engine.org_scope import AdminScope, require_user
from engine.passwords import hash_password

messages.register(
    {
        "org.needs_position": (
            "Pilih jabatan awal di unit yang Anda kelola.",
            "Choose a first position in a unit you manage.",
        ),
        "org.self_admin": (
            "Anda tidak dapat mencabut peran admin Anda sendiri.",
            "You cannot revoke your own admin role.",
        ),
        "org.role_exists": ("Peran ini sudah dimiliki.", "The user already has this role."),
    }
)


@dataclass(frozen=True)
class UserInput:
    username: str
    name: str
    nip: str | None
    pangkat: str | None
    email: str | None


def unusable_password() -> str:
    """New people from an import get no password: an admin gives them one (argon2 refuses this)."""
    return NO_PASSWORD + secrets.token_hex(16)


# -- people ----------------------------------------------------------------------------------


def _user_fields(session: Session, data: UserInput, user: User | None) -> UserInput:
    username = clean_username(data.username)
    taken = session.scalar(select(User.id).where(User.username == username))
    if taken is not None and (user is None or taken != user.id):
        raise OrgInvalid("org.username_taken", "username", username=username)
    nip = clean_nip(data.nip)
    if nip is not None:
        owner = session.scalars(select(User).where(User.nip == nip)).first()
        if owner is not None and (user is None or owner.id != user.id):
            raise OrgInvalid("org.nip_taken", "nip", nip=nip, username=owner.username)
    return UserInput(
        username,
        clean_text(data.name, "name") or "",
        nip,
        clean_text(data.pangkat, "pangkat", limit=80, required=False),
        clean_email(data.email),
    )


def create_user(
    session: Session,
    scope: AdminScope,
    data: UserInput,
    *,
    password: str,
    position_id: int | None,
    today: date,
    sk_ref: str | None = None,
) -> User:
    """A person with a password and, for a unit admin, a first (definitif) position in the scope."""
    from engine.org_assign import HoldingInput, appoint

    lock_organisation(session)
    clean = _user_fields(session, data, None)
    if position_id is None and not scope.is_global:
        raise OrgInvalid("org.needs_position", "position_id")
    if position_id is not None:
        position = session.get(Position, position_id)
        if position is None or not scope.has_unit(position.unit_id):
            raise OrgInvalid("org.needs_position", "position_id")
    check_password(password)
    user = User(
        username=clean.username,
        name=clean.name,
        nip=clean.nip,
        pangkat=clean.pangkat,
        email=clean.email,
        password_hash=hash_password(password),
        active=True,
    )
    session.add(user)
    session.flush()
    record(
        session,
        admin_actor(session, scope),
        "org.user.created",
        f"Pengguna {user.username} dibuat",
        after=user_values(user),
    )
    if position_id is not None:
        try:
            appoint(
                session,
                scope,
                HoldingInput(position_id, user.id, "definitif", today, None, sk_ref),
                today=today,
            )
        except OrgInvalid as exc:
            raise OrgInvalid(exc.key, "position_id", **exc.params) from exc
    return user


def update_user(session: Session, scope: AdminScope, user_id: int, data: UserInput, *, today: date) -> User:
    lock_organisation(session)
    user = require_user(session, scope, user_id, today)
    clean = _user_fields(session, data, user)
    before = user_values(user)
    user.username, user.name, user.nip, user.pangkat, user.email = (
        clean.username,
        clean.name,
        clean.nip,
        clean.pangkat,
        clean.email,
    )
    session.flush()
    old, new = changed(before, user_values(user))
    if new:
        record(
            session,
            admin_actor(session, scope),
            "org.user.updated",
            f"Pengguna {user.username} diubah",
            before=old,
            after=new,
        )
    return user


def set_password(session: Session, scope: AdminScope, user_id: int, password: str, *, today: date) -> None:
    lock_organisation(session)
    user = require_user(session, scope, user_id, today)
    check_password(password)
    user.password_hash = hash_password(password)
    # A new password ends every open login of that user: whoever knew the old one is out.
    end_all_sessions(session, user.id, utcnow())
    session.flush()
    record(
        session, admin_actor(session, scope), "org.user.password_set", f"Kata sandi {user.username} diganti"
    )


def set_active(session: Session, scope: AdminScope, user_id: int, active: bool, *, today: date) -> None:
    lock_organisation(session)
    user = require_user(session, scope, user_id, today)
    if not active and user.id == scope.user_id:
        raise OrgInvalid("org.self_deactivate", None)
    if bool(user.active) == active:
        return
    user.active = active
    if not active:
        end_all_sessions(session, user.id, utcnow())
    session.flush()
    action = "org.user.activated" if active else "org.user.deactivated"
    record(
        session,
        admin_actor(session, scope),
        action,
        f"Pengguna {user.username} {'diaktifkan' if active else 'dinonaktifkan'}",
        before={"active": not active},
        after={"active": active},
    )


# -- roles -----------------------------------------------------------------------------------


def grant_role(
    session: Session, scope: AdminScope, user_id: int, role: str, unit_id: int | None, *, today: date
) -> UserRole:
    lock_organisation(session)
    user = require_user(session, scope, user_id, today)
    check_role(role)
    if unit_id is None and not scope.is_global:
        raise OrgInvalid("org.global_only", "unit_id")
    if unit_id is not None and (session.get(Unit, unit_id) is None or not scope.has_unit(unit_id)):
        raise OrgInvalid("org.out_of_scope", "unit_id", what=str(unit_id))
    same = select(UserRole).where(UserRole.user_id == user.id, UserRole.role == role)
    same = same.where(UserRole.unit_id.is_(None) if unit_id is None else UserRole.unit_id == unit_id)
    if session.scalars(same).first() is not None:
        raise OrgInvalid("org.role_exists", "role")
    row = UserRole(user_id=user.id, role=role, unit_id=unit_id)
    session.add(row)
    session.flush()
    record(
        session,
        admin_actor(session, scope),
        "org.role.granted",
        f"Peran {role} untuk {user.username}",
        after=role_values(session, row),
    )
    return row


def revoke_role(session: Session, scope: AdminScope, role_id: int, *, today: date) -> None:
    lock_organisation(session)
    row = session.get(UserRole, role_id)
    if row is None or not scope.has_unit(row.unit_id):
        raise NotFound()
    require_user(session, scope, row.user_id, today)
    if row.user_id == scope.user_id and row.role == "admin":
        raise OrgInvalid("org.self_admin", None)
    before = role_values(session, row)
    session.delete(row)
    session.flush()
    record(
        session,
        admin_actor(session, scope),
        "org.role.revoked",
        f"Peran {before['role']} dicabut dari {before['username']}",
        before=before,
    )
