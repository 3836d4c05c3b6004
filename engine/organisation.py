"""Small questions about the organisation that several parts of the engine ask."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.inbox import held_positions
from engine.models import Position, Unit

# Units that are a perangkat daerah of their own: an instance belongs to one of these.
SKPD_KINDS = frozenset({"setda", "setwan", "sekretariat", "dinas", "badan", "inspektorat", "kecamatan", "rsud", "skpd"})


def skpd_of(session: Session, unit_id: int | None) -> int | None:
    """The SKPD a unit belongs to (a Bidang belongs to its Dinas); the unit itself if none."""
    seen: set[int] = set()
    current = unit_id
    while current is not None and current not in seen:
        seen.add(current)
        unit = session.get(Unit, current)
        if unit is None:
            return unit_id
        if unit.kind in SKPD_KINDS:
            return unit.id
        current = unit.parent_id
    return unit_id


def positions_of(session: Session, user_id: int, today: date) -> list[Position]:
    return list(session.scalars(select(Position).where(Position.id.in_(held_positions(user_id, today))).order_by(Position.id)))
