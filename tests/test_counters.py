"""Agenda numbers under concurrency: two registrations at once never get the same number."""

from __future__ import annotations

import contextlib
import threading

import pytest
from sqlalchemy import select

from engine import counters
from engine.models import Unit


def _take_two(db, *, lock: bool) -> list[int]:  # type: ignore[no-untyped-def]
    """Two transactions take the next agenda number, each held at a barrier after reading the
    counter row and before writing it."""
    with db.transaction() as session:
        unit_id = session.scalars(select(Unit.id).where(Unit.code == "DISKOMINFO")).one()
        counters.next_value(session, unit_id, 2026, "agenda_masuk")  # the row exists: number 1
    barrier = threading.Barrier(2, timeout=3)

    def hold() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()

    taken: list[int] = []

    def take() -> None:
        with db.transaction() as session:
            taken.append(counters.next_value(session, unit_id, 2026, "agenda_masuk", lock=lock))

    counters.after_read = hold
    try:
        threads = [threading.Thread(target=take) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        counters.after_read = None
    return sorted(taken)


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_two_registrations_at_once_get_consecutive_numbers(org) -> None:
    """With the row lock the second transaction waits for the first (its barrier times out), then
    reads 2 and takes 3.  Without the lock both read 1 and both take 2 (the next test)."""
    assert _take_two(org, lock=True) == [2, 3]


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_without_the_row_lock_both_take_the_same_number(org) -> None:
    """Shows that the test above can fail: the same race without FOR UPDATE hands out a duplicate."""
    assert _take_two(org, lock=False) == [2, 2]


@pytest.mark.parametrize("database", ["sqlite", "postgresql"], indirect=True)
def test_numbers_are_per_unit_per_year(org) -> None:
    with org.transaction() as session:
        unit_id = session.scalars(select(Unit.id).where(Unit.code == "DISKOMINFO")).one()
        values = [counters.next_value(session, unit_id, 2026, "agenda_masuk") for _ in range(3)]
        next_year = counters.next_value(session, unit_id, 2027, "agenda_masuk")
        other_unit = counters.next_value(session, unit_id + 1, 2026, "agenda_masuk")
    assert values == [1, 2, 3] and next_year == 1 and other_unit == 1
