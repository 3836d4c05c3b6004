"""Who does the work: holdings (penugasan), delegations (delegasi) and role mappings.

Work is addressed to positions; the inbox joins today's holders at query time
(engine.inbox), so an appointment made here reaches the tasks already waiting for the
position at once, and an ended holding takes them away the day after its last day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import messages
from engine.errors import NotFound
from engine.models import ROLES, Delegation, Position, PositionHolder, RoleMapping, Unit, User
from engine.org_records import (
    admin_actor,
    changed,
    delegation_values,
    holding_values,
    mapping_values,
    record,
    user_actor,
)
from engine.org_rules import (
    MAPPING_TARGETS,
    HoldingSpec,
    OrgInvalid,
    check_holding,
    clean_role_key,
    clean_text,
    lock_organisation,
)
from engine.org_scope import AdminScope, require_position, require_user

messages.register(
    {
        "org.delegation_exists": (
            "Delegasi kepada orang yang sama pada periode itu sudah ada.",
            "A delegation to the same person in that period already exists.",
        ),
    }
)


@dataclass(frozen=True)
class HoldingInput:
    position_id: int
    user_id: int
    kind: str
    valid_from: date
    valid_to: date | None
    sk_ref: str | None


# -- holdings --------------------------------------------------------------------------------


def appoint(session: Session, scope: AdminScope, data: HoldingInput, *, today: date) -> PositionHolder:
    """Put a person in a managed position.  The person may come from anywhere in the Pemda (a
    transfer, or a Plt from another unit), so any active user can be named."""
    lock_organisation(session)
    position = require_position(session, scope, data.position_id)
    person = session.get(User, data.user_id)
    if person is None:
        raise OrgInvalid("org.unknown_user", "user", username=str(data.user_id))
    if not person.active:
        raise OrgInvalid("org.inactive_user", "user", username=person.username)
    check_holding(session, HoldingSpec(position, person, data.kind, data.valid_from, data.valid_to))
    holding = PositionHolder(
        position_id=position.id,
        user_id=person.id,
        kind=data.kind,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        sk_ref=clean_text(data.sk_ref, "sk_ref", limit=120, required=False),
    )
    session.add(holding)
    session.flush()
    record(
        session,
        admin_actor(session, scope),
        "org.holding.created",
        f"{person.username} ditugaskan ({data.kind}) pada {position.code}",
        after=holding_values(session, holding),
    )
    return holding


def _holding(session: Session, scope: AdminScope, holding_id: int) -> PositionHolder:
    holding = session.get(PositionHolder, holding_id)
    if holding is None:
        raise NotFound()
    require_position(session, scope, holding.position_id)
    return holding


def end_holding(
    session: Session, scope: AdminScope, holding_id: int, last_day: date
) -> PositionHolder | None:
    """The holding ends after `last_day`.  One that would end before it began never took
    effect: it is removed (and the removal audited with what it was)."""
    lock_organisation(session)
    holding = _holding(session, scope, holding_id)
    before = holding_values(session, holding)
    actor = admin_actor(session, scope)
    if last_day < holding.valid_from:
        session.delete(holding)
        session.flush()
        record(
            session,
            actor,
            "org.holding.cancelled",
            f"Penugasan {before['username']} pada {before['position']} dibatalkan",
            before=before,
        )
        return None
    spec = HoldingSpec(holding.position, holding.user, holding.kind, holding.valid_from, last_day)
    check_holding(session, spec, ignore_id=holding.id)
    holding.valid_to = last_day
    session.flush()
    old, new = changed(before, holding_values(session, holding))
    if new:
        record(
            session,
            actor,
            "org.holding.ended",
            f"Penugasan {before['username']} pada {before['position']} berakhir",
            before=old,
            after=new,
        )
    return holding


def holdings_of_position(session: Session, position_id: int) -> list[PositionHolder]:
    return list(
        session.scalars(
            select(PositionHolder)
            .where(PositionHolder.position_id == position_id)
            .order_by(PositionHolder.valid_from.desc(), PositionHolder.id.desc())
        )
    )


def holdings_of_user(session: Session, user_id: int) -> list[PositionHolder]:
    return list(
        session.scalars(
            select(PositionHolder)
            .where(PositionHolder.user_id == user_id)
            .order_by(PositionHolder.valid_from.desc(), PositionHolder.id.desc())
        )
    )


def is_current(holding: PositionHolder, today: date) -> bool:
    return holding.valid_from <= today and (holding.valid_to is None or holding.valid_to >= today)


# -- delegations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DelegationInput:
    principal_id: int
    deputy_id: int
    valid_from: date
    valid_to: date
    reason: str


def delegate(
    session: Session, actor_user: User, data: DelegationInput, *, today: date, scope: AdminScope | None = None
) -> Delegation:
    """A principal names a deputy for a period (their own, from "Delegasi saya"), or an admin
    does it for a person they manage."""
    lock_organisation(session)
    if scope is None:
        if data.principal_id != actor_user.id:
            raise NotFound()
        actor = user_actor(actor_user)
    else:
        require_user(session, scope, data.principal_id, today)
        actor = admin_actor(session, scope)
    deputy = session.get(User, data.deputy_id)
    if deputy is None:
        raise OrgInvalid("org.unknown_user", "deputy", username=str(data.deputy_id))
    if not deputy.active:
        raise OrgInvalid("org.inactive_user", "deputy", username=deputy.username)
    if deputy.id == data.principal_id:
        raise OrgInvalid("org.self_deputy", "deputy")
    if data.valid_to < data.valid_from:
        raise OrgInvalid("org.dates_order", "valid_to")
    if data.valid_to < today:
        raise OrgInvalid("org.past_period", "valid_to")
    overlap = session.scalars(
        select(Delegation).where(
            Delegation.principal_id == data.principal_id,
            Delegation.deputy_id == deputy.id,
            Delegation.revoked_at.is_(None),
            Delegation.valid_from <= data.valid_to,
            Delegation.valid_to >= data.valid_from,
        )
    ).first()
    if overlap is not None:
        raise OrgInvalid("org.delegation_exists", "deputy")
    row = Delegation(
        principal_id=data.principal_id,
        deputy_id=deputy.id,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        reason=clean_text(data.reason, "reason", limit=300, required=False) or "",
        created_by_id=actor_user.id,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "org.delegation.created",
        f"Delegasi {row.principal.username} kepada {deputy.username}",
        after=delegation_values(session, row),
    )
    return row


def revoke_delegation(
    session: Session,
    actor_user: User,
    delegation_id: int,
    *,
    now: datetime,
    today: date,
    scope: AdminScope | None = None,
) -> None:
    lock_organisation(session)
    row = session.get(Delegation, delegation_id)
    if row is None:
        raise NotFound()
    if scope is None:
        if row.principal_id != actor_user.id:
            raise NotFound()
        actor = user_actor(actor_user)
    else:
        require_user(session, scope, row.principal_id, today)
        actor = admin_actor(session, scope)
    if row.revoked_at is not None:
        return
    before = delegation_values(session, row)
    row.revoked_at = now
    session.flush()
    record(
        session,
        actor,
        "org.delegation.revoked",
        f"Delegasi {before['principal']} kepada {before['deputy']} dicabut",
        before=before,
        after=delegation_values(session, row),
    )


def delegations_of(session: Session, user_id: int, today: date) -> tuple[list[Delegation], list[Delegation]]:
    """(given: I named a deputy, received: I am someone's deputy), current and future ones."""
    alive = [Delegation.revoked_at.is_(None), Delegation.valid_to >= today]
    given = session.scalars(
        select(Delegation).where(Delegation.principal_id == user_id, *alive).order_by(Delegation.valid_from)
    ).all()
    received = session.scalars(
        select(Delegation).where(Delegation.deputy_id == user_id, *alive).order_by(Delegation.valid_from)
    ).all()
    return list(given), list(received)


# -- role mappings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MappingInput:
    unit_id: int | None
    role: str
    target: str
    position_id: int | None
    user_role: str | None


def set_mapping(session: Session, scope: AdminScope, data: MappingInput, *, now: datetime) -> RoleMapping:
    """Create or replace the unit's mapping of one role key (a unit inherits its parent's)."""
    lock_organisation(session)
    if data.unit_id is None and not scope.is_global:
        raise NotFound()
    if data.unit_id is not None and (
        session.get(Unit, data.unit_id) is None or not scope.has_unit(data.unit_id)
    ):
        raise NotFound()
    role = clean_role_key(data.role)
    if data.target not in MAPPING_TARGETS:
        raise OrgInvalid("org.unknown_target", "target", target=data.target)
    position_id = user_role = None
    if data.target == "position":
        found = session.get(Position, data.position_id) if data.position_id else None
        if found is None:
            raise OrgInvalid("org.mapping_needs_position", "position_id")
        if not scope.has_unit(found.unit_id):
            raise OrgInvalid("org.out_of_scope", "position_id", what=found.code)
        position_id = found.id
    if data.target == "user_role":
        if data.user_role not in ROLES:
            raise OrgInvalid("org.mapping_needs_role", "user_role")
        user_role = data.user_role
    query = select(RoleMapping).where(RoleMapping.role == role)
    query = query.where(
        RoleMapping.unit_id.is_(None) if data.unit_id is None else RoleMapping.unit_id == data.unit_id
    )
    row = session.scalars(query).first()
    before = mapping_values(session, row) if row is not None else None
    if row is None:
        row = RoleMapping(unit_id=data.unit_id, role=role)
        session.add(row)
    row.target, row.position_id, row.user_role = data.target, position_id, user_role
    row.updated_by_id, row.updated_at = scope.user_id, now
    session.flush()
    after = mapping_values(session, row)
    if before != after:
        record(
            session,
            admin_actor(session, scope),
            "org.mapping.set",
            f"Pemetaan peran {role} ({after['unit'] or 'Pemda'})",
            before=before,
            after=after,
        )
    return row


def delete_mapping(session: Session, scope: AdminScope, mapping_id: int) -> None:
    lock_organisation(session)
    row = session.get(RoleMapping, mapping_id)
    if row is None or not scope.has_unit(row.unit_id):
        raise NotFound()
    before = mapping_values(session, row)
    session.delete(row)
    session.flush()
    record(
        session,
        admin_actor(session, scope),
        "org.mapping.deleted",
        f"Pemetaan peran {before['role']} dihapus",
        before=before,
    )


def mappings_of(session: Session, unit_id: int | None) -> list[RoleMapping]:
    query = select(RoleMapping).order_by(RoleMapping.role)
    return list(
        session.scalars(
            query.where(RoleMapping.unit_id.is_(None) if unit_id is None else RoleMapping.unit_id == unit_id)
        )
    )


def positions_for_mapping(session: Session, scope: AdminScope) -> list[Position]:
    query = select(Position).join(Unit, Unit.id == Position.unit_id).order_by(Unit.code, Position.name)
    if not scope.is_global:
        query = query.where(Position.unit_id.in_(scope.unit_ids))
    return list(session.scalars(query))
