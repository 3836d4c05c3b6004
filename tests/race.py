"""Run one action from two users at once, both held at a barrier between read and write."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from typing import Any

from engine.runtime import WorkflowEngine
from tests.flow import get_user


def race(db, engine: WorkflowEngine, action: Callable[[Any, Any], None],  # type: ignore[no-untyped-def]
         usernames: Sequence[str] = ("sari", "tono")) -> dict[str, object]:
    """`action(session, user)` in one thread per user; returns "ok" or the exception per user.

    The engine's after_load hook holds each thread at the barrier after it has loaded the
    instance.  A thread blocked on the instance lock never reaches it, so the barrier times
    out and the other thread goes on alone: that is the lock doing its work.
    """
    barrier = threading.Barrier(len(usernames), timeout=3)

    def hold(_row) -> None:  # type: ignore[no-untyped-def]
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()

    engine.after_load = hold
    outcome: dict[str, object] = {}

    def worker(username: str) -> None:
        try:
            with db.transaction() as session:
                action(session, get_user(session, username))
            outcome[username] = "ok"
        except Exception as exc:  # noqa: BLE001 - the outcome is what we assert
            outcome[username] = exc

    threads = [threading.Thread(target=worker, args=(name,)) for name in usernames]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        engine.after_load = None
    return outcome
