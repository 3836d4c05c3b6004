"""What part of the organisation an admin manages: the subtree of each unit they are admin of.

A `UserRole(role="admin", unit_id=None)` manages the whole Pemda; `unit_id=X` manages X and
every unit below it.  Units, positions and holdings belong to a unit; a person belongs to the
scope while they hold (now or later) a position in it or have a role in one of its units.
Everything outside is answered as if it did not exist (NotFound -> 404), never "forbidden".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from engine.errors import NotFound
from engine.models import Position, PositionHolder, Unit, User, UserRole

# Superiors a scoped admin may pick outside their subtree: the heads of these units (a Kepala
# Dinas reports to the Sekda or an Asisten, a Camat to the Sekda, a Kepala Desa to the Camat).
LEADERSHIP_KINDS = ("pemda", "setda", "asisten")


@dataclass(frozen=True)
class UnitNode:
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    depth: int


@dataclass(frozen=True)
class AdminScope:
    user_id: int
    is_global: bool
    roots: tuple[int, ...]  # the units the admin role names (empty when global)
    unit_ids: frozenset[int]  # every unit managed (all units when global)

    def has_unit(self, unit_id: int | None) -> bool:
        if unit_id is None:
            return self.is_global
        return self.is_global or unit_id in self.unit_ids

    def require_unit(self, unit_id: int | None) -> None:
        if not self.has_unit(unit_id):
            raise NotFound()

    def is_root(self, unit_id: int) -> bool:
        return unit_id in self.roots


def _children(session: Session) -> tuple[dict[int | None, list[int]], dict[int, Unit]]:
    units = {u.id: u for u in session.scalars(select(Unit))}
    children: dict[int | None, list[int]] = {}
    for unit in units.values():
        parent = unit.parent_id if unit.parent_id in units else None
        children.setdefault(parent, []).append(unit.id)
    for ids in children.values():
        ids.sort(key=lambda i: units[i].code)
    return children, units


def subtree_ids(session: Session, roots: Iterable[int]) -> frozenset[int]:
    children, _units = _children(session)
    found: set[int] = set()
    stack = list(roots)
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, []))
    return frozenset(found)


def admin_scope(session: Session, user_id: int) -> AdminScope | None:
    """The admin's scope, or None when the user is no admin (or not active)."""
    if not session.scalar(select(User.active).where(User.id == user_id)):
        return None
    units = session.scalars(
        select(UserRole.unit_id).where(UserRole.user_id == user_id, UserRole.role == "admin")
    ).all()
    if not units:
        return None
    if any(u is None for u in units):
        return AdminScope(user_id, True, (), frozenset(session.scalars(select(Unit.id))))
    roots = tuple(sorted({u for u in units if u is not None}))
    return AdminScope(user_id, False, roots, subtree_ids(session, roots))


def unit_tree(session: Session, scope: AdminScope) -> list[UnitNode]:
    """The managed units in tree order (pre-order, siblings by code) with their depth."""
    children, units = _children(session)
    starts = (
        children.get(None, [])
        if scope.is_global
        else [r for r in scope.roots if not _covered(r, scope, units)]
    )
    result: list[UnitNode] = []
    stack = [(uid, 0) for uid in reversed(starts)]
    seen: set[int] = set()
    while stack:
        uid, depth = stack.pop()
        if uid in seen:
            continue
        seen.add(uid)
        unit = units[uid]
        result.append(UnitNode(unit.id, unit.code, unit.name, unit.kind, unit.parent_id, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(uid, [])))
    return result


def _covered(root: int, scope: AdminScope, units: dict[int, Unit]) -> bool:
    """A root that lies inside another root's subtree is listed there, not twice."""
    parent = units[root].parent_id
    return parent is not None and parent in scope.unit_ids


def ancestors(session: Session, unit_id: int | None) -> list[int]:
    result: list[int] = []
    seen: set[int] = set()
    current = session.scalar(select(Unit.parent_id).where(Unit.id == unit_id)) if unit_id else None
    while current is not None and current not in seen:
        seen.add(current)
        result.append(current)
        current = session.scalar(select(Unit.parent_id).where(Unit.id == current))
    return result


def _holding_in(unit_ids: Select[tuple[int]] | frozenset[int], today: date):  # type: ignore[no-untyped-def]
    return exists().where(
        PositionHolder.user_id == User.id,
        PositionHolder.position_id == Position.id,
        Position.unit_id.in_(unit_ids),
        or_(PositionHolder.valid_to.is_(None), PositionHolder.valid_to >= today),
    )


def users_in_scope(scope: AdminScope, today: date) -> Select[tuple[User]]:
    """People the admin manages: a holding (current or future) or a role in a managed unit."""
    query = select(User)
    if scope.is_global:
        return query
    return query.where(
        or_(
            _holding_in(scope.unit_ids, today),
            exists().where(UserRole.user_id == User.id, UserRole.unit_id.in_(scope.unit_ids)),
        )
    )


def user_in_scope(session: Session, scope: AdminScope, user_id: int, today: date) -> bool:
    if scope.is_global:
        return session.get(User, user_id) is not None
    return bool(session.scalar(select(users_in_scope(scope, today).where(User.id == user_id).exists())))


def require_user(session: Session, scope: AdminScope, user_id: int, today: date) -> User:
    user = session.get(User, user_id)
    if user is None or not user_in_scope(session, scope, user_id, today):
        raise NotFound()
    return user


def require_position(session: Session, scope: AdminScope, position_id: int) -> Position:
    position = session.get(Position, position_id)
    if position is None or not scope.has_unit(position.unit_id):
        raise NotFound()
    return position


def require_unit(session: Session, scope: AdminScope, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None or not scope.has_unit(unit.id):
        raise NotFound()
    return unit


def superior_choices(session: Session, scope: AdminScope) -> list[Position]:
    """Positions a managed position may report to: any in the scope, plus the heads of the
    leadership units (Bupati, Sekda, Asisten) and of the units above the scope."""
    query = select(Position).join(Unit, Unit.id == Position.unit_id)
    if not scope.is_global:
        above = {a for root in scope.roots for a in ancestors(session, root)}
        query = query.where(
            or_(
                Position.unit_id.in_(scope.unit_ids),
                Position.is_head_of_unit.is_(True) & (Unit.kind.in_(LEADERSHIP_KINDS) | Unit.id.in_(above)),
            )
        )
    return list(session.scalars(query.order_by(Unit.code, Position.is_head_of_unit.desc(), Position.name)))


def allowed_superior(session: Session, scope: AdminScope, position_id: int) -> bool:
    if scope.is_global:
        return session.get(Position, position_id) is not None
    return any(p.id == position_id for p in superior_choices(session, scope))


def whole_pemda(session: Session, user_id: int = 0) -> AdminScope:
    """The scope of a Pemda-wide admin (the CLI runs with it)."""
    return AdminScope(user_id, True, (), frozenset(session.scalars(select(Unit.id))))
