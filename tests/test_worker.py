"""The timer worker: due BPMN timers fire once, on time, and a broken instance holds up no other.

The engine runs on a ManualClock, so time moves by `clock.advance(...)` and each test calls
`run_once` instead of sleeping.  The diagram (fixtures/bpmn/timer_eskalasi.bpmn) has a user
task with a non-interrupting reminder (an `effect` the listeners receive) and an interrupting
escalation that hands the work to the head of the unit; both dates come from process data.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from engine.audit import Actor
from engine.clock import ManualClock
from engine.db import Database
from engine.demo import load_demo
from engine.models import AuditEvent, HumanTask, ProcessInstance, Timer
from engine.organisation import positions_of, skpd_of
from engine.runtime import EngineConfig, WorkflowEngine
from engine.worker import WorkerReport, backoff, claim_due, fire_one, run_forever, run_once
from tests.flow import act, get_user, inbox_of

TIMER_BPMN = Path(__file__).parent / "fixtures" / "bpmn" / "timer_eskalasi.bpmn"
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 08:00 WIB
REMIND_AFTER = timedelta(hours=24)
ESCALATE_AFTER = timedelta(hours=72)


class Effects:
    """A step listener that keeps (instance id, topic) of every effect it is given."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, str]] = []
        self.lock = threading.Lock()

    def __call__(self, _session, _engine, event) -> None:  # type: ignore[no-untyped-def]
        with self.lock:
            self.seen.extend((event.instance.id, effect.topic) for effect in event.effects)

    def topics(self, instance_id: int) -> list[str]:
        return [topic for iid, topic in self.seen if iid == instance_id]


def timed_engine(db: Database, form_library, clock: ManualClock, **config: object) -> WorkflowEngine:  # type: ignore[no-untyped-def]
    engine = WorkflowEngine(form_exists=lambda key: key in form_library, clock=clock,
                            config=EngineConfig(**config))  # type: ignore[arg-type]
    with db.transaction() as session:
        engine.registry.deploy(session, TIMER_BPMN.read_bytes(), actor=Actor(None, "test"), filename=TIMER_BPMN.name)
    return engine


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def effects() -> Effects:
    return Effects()


@pytest.fixture
def timed(org: Database, form_library, clock: ManualClock, effects: Effects) -> WorkflowEngine:  # type: ignore[no-untyped-def]
    engine = timed_engine(org, form_library, clock)
    engine.listeners.append(effects)
    return engine


def start(db: Database, engine: WorkflowEngine, *, remind: timedelta = REMIND_AFTER,
          escalate: timedelta = ESCALATE_AFTER) -> int:
    """Budi starts a follow-up whose reminder and escalation dates are process data."""
    now = engine.clock.now()
    with db.transaction() as session:
        budi = get_user(session, "budi")
        position = positions_of(session, budi.id, engine.clock.today())[0]
        result = engine.start(
            session, "timer_eskalasi", user=budi, unit_id=skpd_of(session, position.unit_id), position=position,
            data={"pengingat_pada": (now + remind).isoformat(), "eskalasi_pada": (now + escalate).isoformat()},
        )
        assert result.error is None, result.error
        return result.instance.id


def timers(db: Database, instance_id: int) -> list[Timer]:
    with db.transaction(write=False) as session:
        return list(session.scalars(select(Timer).where(Timer.instance_id == instance_id).order_by(Timer.bpmn_id)))


def fired_audits(db: Database, instance_id: int) -> int:
    with db.transaction(write=False) as session:
        return session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.instance_id == instance_id, AuditEvent.action == "timer.fired")) or 0


def task_states(db: Database, instance_id: int) -> dict[str, str]:
    with db.transaction(write=False) as session:
        rows = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id).order_by(HumanTask.id))
        return {row.bpmn_id: row.status for row in rows}


def set_status(db: Database, instance_id: int, status: str) -> None:
    with db.transaction() as session:
        row = session.get(ProcessInstance, instance_id)
        assert row is not None
        row.status = status


# --- firing on time -----------------------------------------------------------------------------


def test_nothing_fires_before_it_is_due(org, timed, clock):
    instance_id = start(org, timed)
    assert {t.bpmn_id: t.due_at for t in timers(org, instance_id)} == {
        "eskalasi": START + ESCALATE_AFTER, "pengingat": START + REMIND_AFTER}

    assert run_once(org, timed) == WorkerReport()
    clock.advance(hours=23, minutes=59)
    assert run_once(org, timed) == WorkerReport()

    assert len(timers(org, instance_id)) == 2
    assert fired_audits(org, instance_id) == 0


def test_reminder_fires_once_and_the_task_stays_open(org, timed, clock, effects):
    instance_id = start(org, timed)
    clock.advance(hours=25)

    report = run_once(org, timed)

    assert report.fired == [instance_id] and not report.failed
    assert effects.topics(instance_id) == ["notifikasi.pengingat"]
    assert fired_audits(org, instance_id) == 1
    assert task_states(org, instance_id) == {"tindak_lanjut": "ready"}
    assert [t.bpmn_id for t in timers(org, instance_id)] == ["eskalasi"]
    assert run_once(org, timed) == WorkerReport()  # fired means gone: never twice
    assert fired_audits(org, instance_id) == 1


def test_escalation_takes_the_task_to_the_head_of_the_unit(org, timed, clock, effects):
    instance_id = start(org, timed)
    clock.advance(hours=25)
    run_once(org, timed)
    clock.advance(hours=48)

    report = run_once(org, timed)

    assert report.fired == [instance_id]
    assert effects.topics(instance_id) == ["notifikasi.pengingat", "notifikasi.eskalasi"]
    assert fired_audits(org, instance_id) == 2
    assert task_states(org, instance_id) == {"tindak_lanjut": "cancelled", "tindak_lanjut_atasan": "ready"}
    assert [name for _id, name, iid in inbox_of(org, timed, "agus") if iid == instance_id] == [
        "Tindak lanjuti surat (eskalasi)"]
    assert timers(org, instance_id) == []


def test_both_timers_overdue_fire_in_one_round(org, timed, clock, effects):
    instance_id = start(org, timed)
    clock.advance(days=5)  # e.g. the worker was down over the weekend

    assert run_once(org, timed).fired == [instance_id]
    assert sorted(effects.topics(instance_id)) == ["notifikasi.eskalasi", "notifikasi.pengingat"]
    assert task_states(org, instance_id)["tindak_lanjut_atasan"] == "ready"
    assert timers(org, instance_id) == []


def test_completing_the_task_before_it_is_due_removes_its_timers(org, timed, clock, effects):
    instance_id = start(org, timed)
    clock.advance(hours=2)
    act(org, timed, "budi", instance_id, {})

    assert timers(org, instance_id) == []
    clock.advance(days=10)
    assert run_once(org, timed) == WorkerReport()
    assert effects.topics(instance_id) == []
    with org.transaction(write=False) as session:
        assert session.get(ProcessInstance, instance_id).status == "completed"


def test_a_suspended_instance_is_skipped_and_keeps_its_timer(org, timed, clock, effects):
    instance_id = start(org, timed)
    set_status(org, instance_id, "suspended")
    clock.advance(hours=25)

    assert run_once(org, timed) == WorkerReport()
    assert [t.bpmn_id for t in timers(org, instance_id)] == ["eskalasi", "pengingat"]
    assert effects.topics(instance_id) == []

    set_status(org, instance_id, "running")  # resumed: the overdue reminder goes out now
    assert run_once(org, timed).fired == [instance_id]
    assert effects.topics(instance_id) == ["notifikasi.pengingat"]


# --- failures -----------------------------------------------------------------------------------


def test_a_failing_instance_backs_off_and_does_not_block_the_others(org, timed, clock, effects):
    broken, healthy = start(org, timed), start(org, timed)
    failing = {broken}

    def explode(_session, _engine, event) -> None:  # type: ignore[no-untyped-def]
        if event.instance.id in failing:
            raise RuntimeError("server surat tidak menjawab")

    timed.listeners.insert(0, explode)
    clock.advance(hours=25)

    report = run_once(org, timed)

    assert report.fired == [healthy] and report.failed == [broken]
    assert "server surat tidak menjawab" in report.errors[broken]
    assert effects.topics(healthy) == ["notifikasi.pengingat"] and effects.topics(broken) == []
    assert fired_audits(org, broken) == 0  # the failed step was rolled back
    (reminder,) = [t for t in timers(org, broken) if t.bpmn_id == "pengingat"]
    assert reminder.attempts == 1 and "RuntimeError: server surat tidak menjawab" in (reminder.last_error or "")
    assert reminder.due_at == clock.now() + backoff(1)
    assert run_once(org, timed) == WorkerReport()  # backing off: not tried again at once

    clock.advance(minutes=1)
    assert run_once(org, timed).failed == [broken]
    (reminder,) = [t for t in timers(org, broken) if t.bpmn_id == "pengingat"]
    assert reminder.attempts == 2 and reminder.due_at == clock.now() + timedelta(minutes=2)

    failing.clear()  # the cause is mended: the next try after the back-off fires it
    clock.advance(minutes=2)
    assert run_once(org, timed).fired == [broken]
    assert effects.topics(broken) == ["notifikasi.pengingat"]
    assert fired_audits(org, broken) == 1
    assert [t.bpmn_id for t in timers(org, broken)] == ["eskalasi"]


def test_backoff_doubles_up_to_an_hour():
    assert [backoff(n) for n in (1, 2, 3, 7)] == [timedelta(minutes=m) for m in (1, 2, 4, 60)]
    assert backoff(30) == timedelta(hours=1)


def test_mail_is_sent_after_the_timers_when_smtp_is_configured(org, timed, clock, monkeypatch):
    from engine import mailer

    calls: list[tuple[object, datetime, int]] = []

    def send_pending(db, config, *, now, limit=50):  # type: ignore[no-untyped-def]
        calls.append((config, now, fired_audits(db, instance_id)))
        return 3

    monkeypatch.setattr(mailer, "send_pending", send_pending)
    instance_id = start(org, timed)
    clock.advance(hours=25)

    assert run_once(org, timed).mails_sent == 0  # no SMTP configured: mail stays pending
    assert calls == []
    clock.advance(hours=48)
    report = run_once(org, timed, smtp="smtp-config")  # type: ignore[arg-type]

    assert report.mails_sent == 3
    assert calls == [("smtp-config", clock.now(), 2)]  # after this round's timers were committed


def test_a_mail_server_that_is_down_stops_no_timer(org, timed, clock, monkeypatch):
    from engine import mailer

    def refuse(db, config, *, now, limit=50):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("smtp.pemda.go.id:587 menolak sambungan")

    monkeypatch.setattr(mailer, "send_pending", refuse)
    instance_id = start(org, timed)
    clock.advance(hours=25)

    report = run_once(org, timed, smtp="smtp-config")  # type: ignore[arg-type]

    assert report.fired == [instance_id] and fired_audits(org, instance_id) == 1
    assert report.mail_error == "ConnectionRefusedError: smtp.pemda.go.id:587 menolak sambungan"


def test_run_forever_goes_round_until_stopped(org, timed, clock):
    instance_id = start(org, timed)
    clock.advance(hours=25)
    stop = threading.Event()
    rounds: list[WorkerReport] = []

    def after_round(report: WorkerReport) -> None:
        rounds.append(report)
        if len(rounds) == 2:
            stop.set()

    # A full round (limit reached) goes again at once; the second, empty one stops it.
    run_forever(org, timed, interval=60, stop=stop, limit=1, on_round=after_round)

    assert [r.fired for r in rounds] == [[instance_id], []]


# --- two workers at once (PostgreSQL: SKIP LOCKED) ----------------------------------------------


def two_workers(db: Database, engine: WorkflowEngine, instance_id: int, *, skip_locked: bool) -> tuple[
        list[list[int]], list[WorkerReport]]:
    """Both workers go for the same instance and are held at a barrier after their claim.

    Each thread has its own session (fire_one opens one transaction per instance).  Returns
    what each claimed and each report.
    """
    barrier = threading.Barrier(2, timeout=5)
    claims: list[list[int]] = []
    reports = [WorkerReport(), WorkerReport()]

    def hold(_instance_id: int, claimed: list[int]) -> None:
        claims.append(list(claimed))
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()

    threads = [
        threading.Thread(target=fire_one, args=(db, engine, instance_id, report),
                         kwargs={"skip_locked": skip_locked, "on_claim": hold})
        for report in reports
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return claims, reports


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_two_workers_fire_each_timer_exactly_once(org, timed, clock, effects):
    """Two workers on two hosts, both held at a barrier after claiming and before firing.

    With the claim (FOR UPDATE SKIP LOCKED on the instance, then its due timers) the second
    worker finds the rows taken, claims nothing and moves on without waiting: one fires, the
    other skips.  Remove the claim (skip_locked=False, see the next test) and both claim the
    same rows: this test then fails on the disjoint claims, and the second worker queues
    behind the first on the instance lock instead of moving on.
    """
    instance_id = start(org, timed)
    clock.advance(hours=25)
    due = [t.id for t in timers(org, instance_id) if t.bpmn_id == "pengingat"]

    claims, reports = two_workers(org, timed, instance_id, skip_locked=True)

    assert sorted(claims) == [[], due]
    assert sorted(len(r.fired) for r in reports) == [0, 1]
    assert sorted(len(r.skipped) for r in reports) == [0, 1]
    assert not any(r.failed for r in reports)
    assert fired_audits(org, instance_id) == 1
    assert effects.topics(instance_id) == ["notifikasi.pengingat"]


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_without_the_claim_both_workers_take_the_same_timer(org, timed, clock, effects):
    """skip_locked=False: both workers read the same due rows and pass the barrier together.

    The claims overlap (asserted), which is what the claim exists to prevent.  Only the
    engine's own instance lock (fire_timers: FOR UPDATE, then "nothing due any more") keeps
    the timer from firing twice here, and the second worker sat blocked behind the first.
    """
    instance_id = start(org, timed)
    clock.advance(hours=25)
    due = [t.id for t in timers(org, instance_id) if t.bpmn_id == "pengingat"]

    claims, reports = two_workers(org, timed, instance_id, skip_locked=False)

    assert claims == [due, due]
    assert sorted(len(r.fired) for r in reports) == [0, 1]
    assert fired_audits(org, instance_id) == 1
    assert effects.topics(instance_id) == ["notifikasi.pengingat"]


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_without_claim_or_row_lock_the_second_worker_gets_a_conflict(org, form_library, clock):
    """No claim and the engine's row lock off: both load the same state and both fire it.

    The first commit wins; the second fails its write and is rolled back: on the audit chain's
    unique (chain, seq) if it wrote while the first was still open (a failure, with back-off),
    or on the instance's version check if it wrote after (ConcurrentUpdate, skipped).  The
    timer fired once, but a worker ran a whole step for nothing; the claim avoids all that.
    """
    engine = timed_engine(org, form_library, clock, row_locks=False)
    effects = Effects()
    engine.listeners.append(effects)
    instance_id = start(org, engine)
    clock.advance(hours=25)

    claims, reports = two_workers(org, engine, instance_id, skip_locked=False)

    assert claims[0] == claims[1] != []
    assert sorted(len(r.fired) for r in reports) == [0, 1]
    assert sorted(len(r.failed) + len(r.skipped) for r in reports) == [0, 1]
    assert fired_audits(org, instance_id) == 1
    assert effects.topics(instance_id) == ["notifikasi.pengingat"]  # the loser failed before its listeners


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_a_listing_worker_skips_rows_another_worker_holds(org, timed, clock):
    first, second = start(org, timed), start(org, timed, remind=timedelta(hours=20))
    clock.advance(hours=25)
    with org.transaction() as holder:
        assert claim_due(holder, clock.now()) == [second, first]  # earliest due first
        with org.transaction() as other:
            assert claim_due(other, clock.now()) == []
            assert claim_due(other, clock.now(), skip_locked=False) == [second, first]
        with org.transaction() as other:
            assert claim_due(other, clock.now(), limit=1, skip_locked=False) == [second]


# --- the command ----------------------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[CliRunner, str]:
    from webapp.cli import main

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("LONTAR_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("LONTAR_DATABASE_URL", url)
    monkeypatch.setenv("LONTAR_LANG", "id")
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    return runner, url


def test_worker_once_fires_what_is_due_with_the_web_apps_listeners(cli, form_library, monkeypatch):
    """`lontar worker --once` builds its engine like create_app does, listeners included."""
    from webapp import engine_factory
    from webapp.cli import main

    runner, url = cli
    effects = Effects()
    real = engine_factory.register_listeners

    def with_recorder(engine, settings) -> None:  # type: ignore[no-untyped-def]
        real(engine, settings)
        engine.listeners.append(effects)

    monkeypatch.setattr(engine_factory, "register_listeners", with_recorder)
    database = Database(url)
    try:
        with database.transaction() as session:
            load_demo(session, password="pw-test")
        # Started two days ago on a stopped clock; the wall clock the command reads is past due.
        past = ManualClock(datetime.now(UTC) - timedelta(days=2))
        instance_id = start(database, timed_engine(database, form_library, past))

        first = runner.invoke(main, ["worker", "--once"])
        assert first.exit_code == 0, first.output
        assert first.output.splitlines() == ["timer: 1 proses dilanjutkan, 0 gagal, 0 dilewati"]
        assert effects.topics(instance_id) == ["notifikasi.pengingat"]
        assert fired_audits(database, instance_id) == 1

        again = runner.invoke(main, ["worker", "--once"])
        assert again.output.splitlines() == ["timer: 0 proses dilanjutkan, 0 gagal, 0 dilewati"]
    finally:
        database.dispose()


def test_the_web_app_and_the_worker_share_one_engine_factory(tmp_path, monkeypatch):
    """create_app registers the same listeners and starts no thread (gunicorn must not)."""
    from webapp import create_app, engine_factory
    from webapp.config import Settings

    marker = object()

    def register(engine, _settings) -> None:  # type: ignore[no-untyped-def]
        engine.listeners.append(marker)

    monkeypatch.setattr(engine_factory, "register_listeners", register)
    threads = threading.active_count()
    settings = Settings(instance_path=tmp_path, database_url=f"sqlite:///{tmp_path / 'app.db'}", secret_key="t")
    app = create_app(settings)
    try:
        assert app.extensions["lontar.engine"].listeners == [marker]
        assert threading.active_count() == threads
    finally:
        app.extensions["lontar.db"].dispose()


def test_run_starts_one_worker_thread_unless_told_not_to(cli, monkeypatch):
    from flask import Flask

    from webapp import cli_worker
    from webapp.cli import main

    runner, _url = cli
    served: list[str] = []
    started: list[threading.Event] = []
    real_start = cli_worker.start_in_process

    def start_fast(app, *, interval=5.0):  # type: ignore[no-untyped-def]
        stop, thread = real_start(app, interval=interval)
        started.append(stop)
        return stop, thread

    monkeypatch.setattr(Flask, "run", lambda self, **_kw: served.append("served"))
    monkeypatch.setattr(cli_worker, "start_in_process", start_fast)

    quiet = runner.invoke(main, ["run", "--no-worker"])
    assert quiet.exit_code == 0, quiet.output
    assert served == ["served"] and started == []

    with_worker = runner.invoke(main, ["run"])
    assert with_worker.exit_code == 0, with_worker.output
    assert served == ["served", "served"] and len(started) == 1
    assert started[0].is_set()  # stopped when the server returned
    assert "worker berjalan di dalam server" in with_worker.output
    assert not any(t.name == "lontar-worker" and t.is_alive() for t in threading.enumerate())
