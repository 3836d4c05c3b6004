"""Register numbers from counter rows: one per (unit, year, series), taken under a row lock.

The number is taken in the transaction of the step that needs it, so a rolled-back step
gives its number back (no gap) and two concurrent steps queue on the row (no duplicate).
On PostgreSQL the row is locked with SELECT ... FOR UPDATE, created race-free with
INSERT ... ON CONFLICT DO NOTHING; SQLite's write transactions are already serialized
(BEGIN IMMEDIATE).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from engine.models import Counter

# Test hook: runs after the counter row is read and before it is written (a race test holds
# two transactions there to show what the row lock prevents).
after_read: Callable[[], None] | None = None


def next_value(session: Session, unit_id: int, year: int, series: str, *, lock: bool = True) -> int:
    """Take the next number of the series; `lock=False` exists only to show the race in a test."""
    postgres = session.get_bind().dialect.name == "postgresql"
    query = select(Counter).where(Counter.unit_id == unit_id, Counter.year == year, Counter.series == series)
    query = query.execution_options(populate_existing=True)
    if postgres and lock:
        query = query.with_for_update()
    row = session.scalars(query).one_or_none()
    if row is None:
        if postgres:
            session.execute(
                pg_insert(Counter)
                .values(unit_id=unit_id, year=year, series=series, last_value=0)
                .on_conflict_do_nothing(constraint="uq_counter_unit_year_series")
            )
            row = session.scalars(query).one()
        else:
            row = Counter(unit_id=unit_id, year=year, series=series, last_value=0)
            session.add(row)
            session.flush()
    if after_read is not None:
        after_read()
    row.last_value += 1
    session.flush()
    return row.last_value
