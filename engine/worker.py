"""The background worker: fire due BPMN timers, then send pending e-mail.

The worker reads only the `timer` table (engine.timers projects it after every step), so a
round costs one indexed query when nothing is due.  Any number of workers on any number of
hosts may run against one PostgreSQL: each due instance is fired in its own transaction
after a claim that another worker skips instead of waiting for (FOR UPDATE SKIP LOCKED).

The claim takes the instance row first, then its due timer rows.  That is the order every
step takes (a person completing a task locks the instance, and its projection then deletes
the timer rows), so a worker and a request never hold one lock each while waiting for the
other's.  A busy instance is simply left for the next round.

No timer fires twice: the step that fires it deletes its row (the projection) in the same
transaction, and `WorkflowEngine.fire_timers` re-reads the instance under its lock and does
nothing when no timer is due any more.  On SQLite, write transactions begin IMMEDIATE and
so run one after another; the claim there is a plain read.

A failure (an exception from the engine or a listener) rolls that instance back and, in a
fresh transaction, counts the attempt on its timer rows, keeps the error and pushes the rows'
due time back (1, 2, 4 ... minutes, at most an hour), so a broken instance neither spins
nor holds up the others.  A later step of that instance re-projects its timers and with it
their due time: a changed instance gets a fresh chance at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine.db import Database
from engine.errors import ConcurrentUpdate
from engine.models import ProcessInstance, Timer

if TYPE_CHECKING:
    from engine.mailer import SmtpConfig
    from engine.runtime import WorkflowEngine

log = logging.getLogger("lontar.worker")

BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=1)
ERROR_LENGTH = 2000

# Called after an instance was claimed and before it is fired: (instance id, claimed timer ids).
ClaimHook = Callable[[int, list[int]], None]


@dataclass
class WorkerReport:
    """What one round did, by instance id."""

    fired: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # claimed by another worker, busy, or nothing due any more
    errors: dict[int, str] = field(default_factory=dict)
    mails_sent: int = 0
    mail_error: str | None = None

    @property
    def busy(self) -> bool:
        return bool(self.fired or self.failed or self.skipped)


def _locks(session: Session, skip_locked: bool) -> bool:
    return skip_locked and session.get_bind().dialect.name == "postgresql"


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: doubling from a minute, at most an hour."""
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def claim_due(session: Session, now: datetime, *, limit: int = 20, skip_locked: bool = True) -> list[int]:
    """Ids of running instances with a timer due by `now`, earliest first.

    On PostgreSQL the due timer rows are locked with FOR UPDATE SKIP LOCKED until the
    session's transaction ends, so workers listing at the same moment split the work instead
    of queueing on each other.  On SQLite it is a plain read (writers are serialized by
    BEGIN IMMEDIATE).  skip_locked=False reads without any lock: what a worker without the
    claim would do; it exists only so a test can show what goes wrong then.
    """
    query = (
        select(Timer.id, Timer.instance_id)
        .join(ProcessInstance, ProcessInstance.id == Timer.instance_id)
        .where(Timer.due_at <= now, ProcessInstance.status == "running")
        .order_by(Timer.due_at, Timer.id)
        .limit(limit)
    )
    if _locks(session, skip_locked):
        query = query.with_for_update(skip_locked=True, of=Timer)
    # No DISTINCT: PostgreSQL refuses it together with FOR UPDATE.
    return list(dict.fromkeys(instance_id for _id, instance_id in session.execute(query)))


def claim_instance(session: Session, instance_id: int, now: datetime, *, skip_locked: bool = True) -> list[int]:
    """Lock one instance and its due timer rows for this transaction; their ids, or [] to skip.

    [] when another worker or a request holds the instance (PostgreSQL, skipped rather than
    waited for), when it is no longer running (a suspended instance keeps its timers), or
    when its timers are no longer due (fired meanwhile, or the task was done).
    """
    locks = _locks(session, skip_locked)
    owner = select(ProcessInstance.id).where(ProcessInstance.id == instance_id, ProcessInstance.status == "running")
    if locks:
        owner = owner.with_for_update(skip_locked=True)
    if session.scalar(owner) is None:
        return []
    rows = select(Timer.id).where(Timer.instance_id == instance_id, Timer.due_at <= now).order_by(Timer.id)
    if locks:
        rows = rows.with_for_update(skip_locked=True)
    return list(session.scalars(rows))


def record_failure(session: Session, timer_ids: list[int], error: str, now: datetime) -> None:
    """Count a failed attempt on the timer rows, keep the error, and back their due time off."""
    for timer in session.scalars(select(Timer).where(Timer.id.in_(timer_ids))):
        timer.attempts += 1
        timer.last_error = error[:ERROR_LENGTH]
        timer.due_at = now + backoff(timer.attempts)


def _describe(exc: BaseException) -> str:
    """One line for the operator and the timer row (a database error's SQL stays in the log)."""
    message = getattr(exc, "message", None)
    text = message() if callable(message) else str(exc)
    first = next((line.strip() for line in str(text).splitlines() if line.strip()), "")
    return f"{type(exc).__name__}: {first}"[:ERROR_LENGTH]


def fire_one(
    db: Database,
    engine: WorkflowEngine,
    instance_id: int,
    report: WorkerReport,
    *,
    skip_locked: bool = True,
    on_claim: ClaimHook | None = None,
) -> None:
    """Claim and fire one instance's due timers in one transaction; record a failure in another."""
    now = engine.clock.now()
    claimed: list[int] = []
    try:
        with db.transaction() as session:
            claimed = claim_instance(session, instance_id, now, skip_locked=skip_locked)
            if on_claim is not None:
                on_claim(instance_id, claimed)
            fired = bool(claimed) and engine.fire_timers(session, instance_id) is not None
        # Counted once committed: a failing commit is a failure, not a fire.
        (report.fired if fired else report.skipped).append(instance_id)
    except (ConcurrentUpdate, StaleDataError):
        # Another writer changed the instance between our read and our write (only possible
        # with the row lock off): not this instance's fault, the next round sees it afresh.
        report.skipped.append(instance_id)
    except Exception as exc:  # noqa: BLE001 - one broken instance must not stop the others
        error = _describe(exc)
        log.exception("timer instance #%s gagal / failed", instance_id)
        report.failed.append(instance_id)
        report.errors[instance_id] = error
        if claimed:
            try:
                with db.transaction() as session:
                    record_failure(session, claimed, error, now)
            except Exception:  # noqa: BLE001 - the rows keep their due time; retried next round
                log.exception("could not record the failure of instance #%s", instance_id)


def send_mail(db: Database, engine: WorkflowEngine, smtp: SmtpConfig, report: WorkerReport) -> None:
    """Hand pending e-mail copies to the mailer; a mail server that is down stops no timer."""
    from engine.mailer import send_pending

    try:
        report.mails_sent = send_pending(db, smtp, now=engine.clock.now())
    except Exception as exc:  # noqa: BLE001 - e.g. a wrong password: logged, tried next round
        log.exception("pengiriman surel gagal / sending mail failed")
        report.mail_error = _describe(exc)


def run_once(
    db: Database,
    engine: WorkflowEngine,
    *,
    limit: int = 20,
    smtp: SmtpConfig | None = None,
    skip_locked: bool = True,
    on_claim: ClaimHook | None = None,
) -> WorkerReport:
    """One round: fire what is due by the engine's clock (up to `limit` instances), then send
    pending e-mail when `smtp` is given (None: copies wait in the table).

    `on_claim` runs inside each instance's transaction between claim and firing (tests hold
    two workers there); `skip_locked=False` turns the claim off (tests only).
    """
    report = WorkerReport()
    # A short transaction of its own; on SQLite a read (no write lock needed to list).
    with db.transaction(write=False) as session:
        due = claim_due(session, engine.clock.now(), limit=limit, skip_locked=skip_locked)
    for instance_id in due:
        fire_one(db, engine, instance_id, report, skip_locked=skip_locked, on_claim=on_claim)
    if smtp is not None:
        send_mail(db, engine, smtp, report)
    return report


def run_forever(
    db: Database,
    engine: WorkflowEngine,
    *,
    interval: float = 5.0,
    stop: threading.Event,
    smtp: SmtpConfig | None = None,
    limit: int = 20,
    on_round: Callable[[WorkerReport], None] | None = None,
) -> None:
    """Rounds until `stop` is set: at once again after a full round, else after `interval` s."""
    while not stop.is_set():
        full = False
        try:
            report = run_once(db, engine, limit=limit, smtp=smtp)
            # Skipped instances stay due; counting them would spin while a request holds one.
            full = len(report.fired) + len(report.failed) >= limit
            if on_round is not None:
                on_round(report)
        except Exception:  # noqa: BLE001 - e.g. the database restarting: try again next round
            log.exception("putaran worker gagal / worker round failed")
        if not full:
            stop.wait(interval)
