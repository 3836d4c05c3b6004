"""Who a user task goes to: lanes and Camunda attributes name roles; roles become candidates.

Resolution order for a role key: the nearest RoleMapping from the instance's unit up the tree
(an admin edits these per unit; a unit inherits its parent's), then the built-in rules below.

The resolver runs when a task becomes ready and stores candidates (positions, roles within a
unit, or named users) with the rule that produced them.  It is one replaceable function
(`Resolver`): the organisation issue swaps in per-unit role mappings without touching the
runtime.  People are never stored on the task: holders of a position are joined when the
inbox is read, so a Plh appointed today sees yesterday's tasks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import Position, RoleMapping, Unit, User


@dataclass(frozen=True)
class Candidate:
    position_id: int | None = None
    role: str | None = None
    unit_id: int | None = None
    user_id: int | None = None


@dataclass(frozen=True)
class Resolution:
    candidates: tuple[Candidate, ...]
    rule: str


@dataclass(frozen=True)
class AssignmentContext:
    """What a resolver may look at; nothing from SpiffWorkflow leaks in."""

    instance_id: int
    unit_id: int | None
    started_by_id: int | None
    started_as_position_id: int | None
    previous_position_id: int | None  # the position in which the last actor acted
    bpmn_id: str
    lane: str | None
    camunda: Mapping[str, Any] = field(default_factory=dict)
    properties: Mapping[str, Any] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)


Resolver = Callable[[Session, AssignmentContext], Resolution]


def role_key(name: str) -> str:
    """'Kepala Unit' -> 'kepala_unit': lane names are written for people, roles for machines."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def _split(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, Sequence):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


def head_position(session: Session, unit_id: int | None) -> Position | None:
    """The head of the unit, or of the nearest unit above it that has one."""
    seen: set[int] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        head = session.scalars(
            select(Position).where(Position.unit_id == unit_id, Position.is_head_of_unit.is_(True)).limit(1)
        ).first()
        if head is not None:
            return head
        unit_id = session.scalar(select(Unit.parent_id).where(Unit.id == unit_id))
    return None


def mapping_for(session: Session, unit_id: int | None, key: str) -> tuple[RoleMapping, Unit | None] | None:
    """The nearest mapping of `key` from the unit up to the Pemda-wide default."""
    seen: set[int] = set()
    current = unit_id
    while current is not None and current not in seen:
        seen.add(current)
        found = session.scalars(
            select(RoleMapping).where(RoleMapping.unit_id == current, RoleMapping.role == key)
        ).first()
        if found is not None:
            return found, session.get(Unit, current)
        current = session.scalar(select(Unit.parent_id).where(Unit.id == current))
    found = session.scalars(select(RoleMapping).where(RoleMapping.unit_id.is_(None), RoleMapping.role == key)).first()
    return (found, None) if found is not None else None


def _mapped(session: Session, ctx: AssignmentContext, key: str) -> Resolution | None:
    found = mapping_for(session, ctx.unit_id, key)
    if found is None:
        return None
    mapping, unit = found
    where = f"pemetaan {unit.code}" if unit is not None else "pemetaan Pemda"
    if mapping.target == "position" and mapping.position_id:
        return Resolution((Candidate(position_id=mapping.position_id),), f"{key}: {where}")
    if mapping.target == "user_role" and mapping.user_role:
        return Resolution((Candidate(role=mapping.user_role, unit_id=ctx.unit_id),), f"{key}: {where}")
    builtin = {"head": "kepala_unit", "superior": "atasan", "initiator": "konseptor"}.get(mapping.target)
    if builtin is None:
        return None
    resolved = _builtin(session, ctx, builtin)
    return Resolution(resolved.candidates, f"{key}: {where} -> {resolved.rule}") if resolved else None


def _role(session: Session, ctx: AssignmentContext, key: str) -> Resolution | None:
    return _mapped(session, ctx, key) or _builtin(session, ctx, key)


def _builtin(session: Session, ctx: AssignmentContext, key: str) -> Resolution | None:
    if key in ("konseptor", "pemrakarsa", "initiator"):
        if ctx.started_as_position_id:
            return Resolution((Candidate(position_id=ctx.started_as_position_id),), f"{key}: pemrakarsa")
        if ctx.started_by_id:
            return Resolution((Candidate(user_id=ctx.started_by_id),), f"{key}: pemrakarsa")
        return None
    if key in ("atasan", "atasan_langsung"):
        if ctx.previous_position_id is None:
            return None
        superior = session.scalar(select(Position.reports_to_id).where(Position.id == ctx.previous_position_id))
        if superior is None:
            return None
        return Resolution((Candidate(position_id=superior),), f"{key}: atasan jabatan #{ctx.previous_position_id}")
    if key in ("kepala_unit", "kepala", "pimpinan"):
        head = head_position(session, ctx.unit_id)
        return Resolution((Candidate(position_id=head.id),), f"{key}: kepala unit") if head else None
    if key in ("tu", "pencatat"):
        return Resolution((Candidate(role="pencatat", unit_id=ctx.unit_id),), f"{key}: pencatat unit")
    return Resolution((Candidate(role=key, unit_id=ctx.unit_id),), f"peran {key} di unit")


def _users(session: Session, names: list[str]) -> list[Candidate]:
    if not names:
        return []
    ids = session.scalars(select(User.id).where(User.username.in_(names))).all()
    return [Candidate(user_id=i) for i in ids]


def _position_from_data(session: Session, ctx: AssignmentContext) -> Resolution | None:
    """A `jabatan` property names the data variable holding a position id: work computed by the
    process itself (a disposition's recipient, the disposer who accepts the report)."""
    name = ctx.properties.get("jabatan")
    if not isinstance(name, str) or not name:
        return None
    value = ctx.data.get(name)
    if isinstance(value, int) and not isinstance(value, bool) and session.get(Position, value) is not None:
        return Resolution((Candidate(position_id=value),), f"jabatan dari data {name}")
    return None


def default_resolver(session: Session, ctx: AssignmentContext) -> Resolution:
    """Demo rules: camunda:assignee/candidateUsers, then roles from candidateGroups, the
    task's `role` property or its lane; with none of these, the initiator."""
    camunda = ctx.camunda or {}
    by_data = _position_from_data(session, ctx)
    if by_data is not None:
        return by_data
    if camunda.get("assignee"):
        found = _users(session, _split(camunda["assignee"]))
        if found:
            return Resolution(tuple(found), "camunda:assignee")
    candidates: list[Candidate] = _users(session, _split(camunda.get("candidateUsers")))
    rules: list[str] = ["camunda:candidateUsers"] if candidates else []
    keys = [role_key(g) for g in _split(camunda.get("candidateGroups"))]
    if not keys and ctx.properties.get("role"):
        keys = [role_key(str(ctx.properties["role"]))]
    if not keys and ctx.lane:
        keys = [role_key(ctx.lane)]
    for key in keys:
        found_role = _role(session, ctx, key)
        if found_role is not None:
            candidates.extend(found_role.candidates)
            rules.append(found_role.rule)
    if candidates:
        return Resolution(tuple(dict.fromkeys(candidates)), "; ".join(rules))
    if keys:
        # A role that resolves to nobody (e.g. the atasan of the top position) goes to the
        # head of the unit rather than vanishing from every inbox.
        fallback = _role(session, ctx, "kepala_unit")
        if fallback is not None:
            return Resolution(fallback.candidates, f"{', '.join(keys)} tidak ditemukan -> kepala unit")
        return Resolution((Candidate(role="admin", unit_id=ctx.unit_id),), f"{', '.join(keys)} tidak ditemukan -> admin")
    initiator = _role(session, ctx, "konseptor")
    if initiator is not None:
        return Resolution(initiator.candidates, "tanpa lane: pemrakarsa")
    return Resolution((Candidate(role="admin", unit_id=ctx.unit_id),), "tanpa lane: admin")
