"""How a change to the organisation is written into the audit trail (the "system" chain).

Each change is one row with `before` and `after` as plain values: codes and usernames rather
than ids alone, so that the trail reads on its own years later.  Password hashes never enter
it; a password change is recorded as the fact that it happened.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from engine import audit
from engine.models import Delegation, Position, PositionHolder, RoleMapping, Unit, User, UserRole
from engine.org_scope import AdminScope


def admin_actor(session: Session, scope: AdminScope) -> audit.Actor:
    user = session.get(User, scope.user_id)
    if scope.is_global:
        capacity = "Admin Pemda"
    else:
        codes = [u.code for u in (session.get(Unit, r) for r in scope.roots) if u is not None]
        capacity = "Admin " + ", ".join(codes)
    return audit.Actor(user.id if user else None, user.name if user else "?", None, capacity)


def user_actor(user: User) -> audit.Actor:
    return audit.Actor(user.id, user.name)


def _code(session: Session, model: type[Unit] | type[Position], row_id: int | None) -> str | None:
    if row_id is None:
        return None
    found = session.get(model, row_id)
    return found.code if found is not None else None


def unit_values(session: Session, unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": _code(session, Unit, unit.parent_id),
    }


def position_values(session: Session, position: Position) -> dict[str, Any]:
    return {
        "code": position.code,
        "unit": _code(session, Unit, position.unit_id),
        "name": position.name,
        "reports_to": _code(session, Position, position.reports_to_id),
        "is_head_of_unit": bool(position.is_head_of_unit),
        "eselon": position.eselon,
    }


def user_values(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "nip": user.nip,
        "name": user.name,
        "pangkat": user.pangkat,
        "email": user.email,
        "active": bool(user.active),
    }


def holding_values(session: Session, holding: PositionHolder) -> dict[str, Any]:
    person = session.get(User, holding.user_id)
    return {
        "position": _code(session, Position, holding.position_id),
        "username": person.username if person else None,
        "kind": holding.kind,
        "valid_from": holding.valid_from.isoformat(),
        "valid_to": holding.valid_to.isoformat() if holding.valid_to else None,
        "sk_ref": holding.sk_ref,
    }


def role_values(session: Session, role: UserRole) -> dict[str, Any]:
    person = session.get(User, role.user_id)
    return {
        "username": person.username if person else None,
        "role": role.role,
        "unit": _code(session, Unit, role.unit_id),
    }


def delegation_values(session: Session, delegation: Delegation) -> dict[str, Any]:
    principal = session.get(User, delegation.principal_id)
    deputy = session.get(User, delegation.deputy_id)
    return {
        "principal": principal.username if principal else None,
        "deputy": deputy.username if deputy else None,
        "valid_from": delegation.valid_from.isoformat(),
        "valid_to": delegation.valid_to.isoformat(),
        "reason": delegation.reason,
        "revoked": delegation.revoked_at is not None,
    }


def mapping_values(session: Session, mapping: RoleMapping) -> dict[str, Any]:
    return {
        "unit": _code(session, Unit, mapping.unit_id),
        "role": mapping.role,
        "target": mapping.target,
        "position": _code(session, Position, mapping.position_id),
        "user_role": mapping.user_role,
    }


def record(
    session: Session,
    actor: audit.Actor,
    action: str,
    summary: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    audit.record(session, action=action, actor=actor, summary=summary, before=before, after=after)


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value changed, on both sides (what an auditor wants to read)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
