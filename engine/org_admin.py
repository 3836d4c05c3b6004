"""Service functions behind the admin pages: units and positions (people: engine.org_people).

Each takes the admin's scope (engine.org_scope), checks that what it touches lies inside it
(outside: NotFound), applies the rules of engine.org_rules (OrgInvalid, naming the field),
writes one audit row with before/after on the system chain, and flushes.  The caller commits.
Holdings, delegations and role mappings are in engine.org_assign.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import messages
from engine.models import Position, PositionHolder, Unit, User, UserRole
from engine.org_records import (
    admin_actor,
    changed,
    position_values,
    record,
    unit_values,
)
from engine.org_rules import (
    OrgInvalid,
    clean_code,
    clean_eselon,
    clean_kind,
    clean_text,
    lock_organisation,
)
from engine.org_scope import (
    AdminScope,
    allowed_superior,
    require_position,
    require_unit,
    subtree_ids,
)

messages.register(
    {
        "org.head_taken": (
            "Unit ini sudah memiliki kepala: {name}.",
            "This unit already has a head: {name}.",
        ),
    }
)


@dataclass(frozen=True)
class UnitInput:
    code: str
    name: str
    kind: str
    parent_id: int | None


@dataclass(frozen=True)
class PositionInput:
    code: str
    unit_id: int
    name: str
    reports_to_id: int | None
    is_head_of_unit: bool
    eselon: str | None


# -- units -----------------------------------------------------------------------------------


def _unit_fields(session: Session, scope: AdminScope, data: UnitInput, unit: Unit | None) -> UnitInput:
    code = clean_code(data.code)
    taken = session.scalar(select(Unit.id).where(Unit.code == code))
    if taken is not None and (unit is None or taken != unit.id):
        raise OrgInvalid("org.code_taken", "code", code=code)
    name = clean_text(data.name, "name") or ""
    kind = clean_kind(data.kind)
    parent_id = data.parent_id
    if unit is not None and not scope.is_global and scope.is_root(unit.id):
        if parent_id != unit.parent_id:
            raise OrgInvalid("org.root_parent", "parent_id")
    elif parent_id is None:
        if not scope.is_global:
            raise OrgInvalid("org.required", "parent_id")
    else:
        if session.get(Unit, parent_id) is None or not scope.has_unit(parent_id):
            raise OrgInvalid("org.out_of_scope", "parent_id", what=str(parent_id))
        if unit is not None and parent_id in subtree_ids(session, [unit.id]):
            raise OrgInvalid("org.unit_cycle", "parent_id", code=code)
    return UnitInput(code, name, kind, parent_id)


def create_unit(session: Session, scope: AdminScope, data: UnitInput) -> Unit:
    lock_organisation(session)
    clean = _unit_fields(session, scope, data, None)
    unit = Unit(code=clean.code, name=clean.name, kind=clean.kind, parent_id=clean.parent_id)
    session.add(unit)
    session.flush()
    record(
        session,
        admin_actor(session, scope),
        "org.unit.created",
        f"Unit {unit.code} dibuat",
        after=unit_values(session, unit),
    )
    return unit


def update_unit(session: Session, scope: AdminScope, unit_id: int, data: UnitInput) -> Unit:
    lock_organisation(session)
    unit = require_unit(session, scope, unit_id)
    clean = _unit_fields(session, scope, data, unit)
    before = unit_values(session, unit)
    unit.code, unit.name, unit.kind, unit.parent_id = clean.code, clean.name, clean.kind, clean.parent_id
    session.flush()
    old, new = changed(before, unit_values(session, unit))
    if new:
        record(
            session,
            admin_actor(session, scope),
            "org.unit.updated",
            f"Unit {unit.code} diubah",
            before=old,
            after=new,
        )
    return unit


# -- positions -------------------------------------------------------------------------------


def _position_fields(
    session: Session, scope: AdminScope, data: PositionInput, position: Position | None
) -> PositionInput:
    code = clean_code(data.code)
    taken = session.scalar(select(Position.id).where(Position.code == code))
    if taken is not None and (position is None or taken != position.id):
        raise OrgInvalid("org.code_taken", "code", code=code)
    if session.get(Unit, data.unit_id) is None or not scope.has_unit(data.unit_id):
        raise OrgInvalid("org.out_of_scope", "unit_id", what=str(data.unit_id))
    name = clean_text(data.name, "name") or ""
    eselon = clean_eselon(data.eselon)
    superior = data.reports_to_id
    unchanged = position is not None and superior == position.reports_to_id
    if superior is not None and not unchanged:
        if not allowed_superior(session, scope, superior):
            raise OrgInvalid("org.out_of_scope", "reports_to_id", what=str(superior))
        seen: set[int] = set()
        current: int | None = superior
        while current is not None and current not in seen:
            if position is not None and current == position.id:
                raise OrgInvalid("org.position_cycle", "reports_to_id", code=code)
            seen.add(current)
            current = session.scalar(select(Position.reports_to_id).where(Position.id == current))
    if data.is_head_of_unit:
        head = session.scalars(
            select(Position).where(Position.unit_id == data.unit_id, Position.is_head_of_unit.is_(True))
        ).first()
        if head is not None and (position is None or head.id != position.id):
            raise OrgInvalid("org.head_taken", "is_head_of_unit", name=head.name)
    return PositionInput(code, data.unit_id, name, superior, bool(data.is_head_of_unit), eselon)


def create_position(session: Session, scope: AdminScope, data: PositionInput) -> Position:
    lock_organisation(session)
    clean = _position_fields(session, scope, data, None)
    position = Position(
        code=clean.code,
        unit_id=clean.unit_id,
        name=clean.name,
        reports_to_id=clean.reports_to_id,
        is_head_of_unit=clean.is_head_of_unit,
        eselon=clean.eselon,
    )
    session.add(position)
    session.flush()
    record(
        session,
        admin_actor(session, scope),
        "org.position.created",
        f"Jabatan {position.code} dibuat",
        after=position_values(session, position),
    )
    return position


def update_position(session: Session, scope: AdminScope, position_id: int, data: PositionInput) -> Position:
    lock_organisation(session)
    position = require_position(session, scope, position_id)
    clean = _position_fields(session, scope, data, position)
    before = position_values(session, position)
    position.code, position.unit_id, position.name = clean.code, clean.unit_id, clean.name
    position.reports_to_id, position.is_head_of_unit, position.eselon = (
        clean.reports_to_id,
        clean.is_head_of_unit,
        clean.eselon,
    )
    session.flush()
    old, new = changed(before, position_values(session, position))
    if new:
        record(
            session,
            admin_actor(session, scope),
            "org.position.updated",
            f"Jabatan {position.code} diubah",
            before=old,
            after=new,
        )
    return position


def count_rows(session: Session) -> dict[str, int]:
    """Rows per organisation table (tests and the import report compare these)."""
    from engine.models import Delegation, RoleMapping

    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Unit, Position, User, PositionHolder, UserRole, Delegation, RoleMapping)
    }
