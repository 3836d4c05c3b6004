"""`lontar worker`: fire due BPMN timers and send pending e-mail, in the background.

    lontar worker              rounds every 5 seconds until Ctrl+C / SIGTERM
    lontar worker --once       one round, then exit (cron, tests)
    lontar worker --interval 30

Run one or more beside the web processes (gunicorn never starts one); any number may run on
any number of hosts against one PostgreSQL (engine.worker claims with SKIP LOCKED).  The dev
server `lontar run` starts one in-process thread, see `start_in_process`.
"""

from __future__ import annotations

import signal
import threading

import click
from flask import Flask

from engine.db import Database
from engine.runtime import WorkflowEngine
from engine.worker import WorkerReport, run_forever, run_once
from webapp.config import Settings


def _lang() -> str:
    from webapp.cli import _lang as lang

    return lang()


def describe(report: WorkerReport, lang: str = "id") -> list[str]:
    """The round in a few lines, for the operator's terminal."""
    if lang == "id":
        lines = [f"timer: {len(report.fired)} proses dilanjutkan, {len(report.failed)} gagal, "
                 f"{len(report.skipped)} dilewati"]
        lines += [f"  proses #{i} gagal (dicoba lagi nanti): {e}" for i, e in report.errors.items()]
        if report.mails_sent:
            lines.append(f"surel terkirim: {report.mails_sent}")
        if report.mail_error:
            lines.append(f"pengiriman surel gagal: {report.mail_error}")
    else:
        lines = [f"timers: {len(report.fired)} instances moved on, {len(report.failed)} failed, "
                 f"{len(report.skipped)} skipped"]
        lines += [f"  instance #{i} failed (retried later): {e}" for i, e in report.errors.items()]
        if report.mails_sent:
            lines.append(f"mail sent: {report.mails_sent}")
        if report.mail_error:
            lines.append(f"sending mail failed: {report.mail_error}")
    return lines


def start_in_process(app: Flask, *, interval: float = 5.0) -> tuple[threading.Event, threading.Thread]:
    """One worker thread beside the dev server, on the app's own database and engine.

    Only for the single-node dev server: with several web processes each would run one.
    Set the returned event to stop it; the thread is a daemon, so it never keeps the
    process alive.
    """
    database: Database = app.extensions["lontar.db"]
    engine: WorkflowEngine = app.extensions["lontar.engine"]
    settings: Settings = app.config["LONTAR_SETTINGS"]
    stop = threading.Event()
    lang = _lang()

    def on_round(report: WorkerReport) -> None:
        if report.busy or report.mails_sent or report.mail_error:
            for line in describe(report, lang):
                click.echo(f"[worker] {line}")

    thread = threading.Thread(
        target=run_forever,
        args=(database, engine),
        kwargs={"interval": interval, "stop": stop, "smtp": settings.smtp, "on_round": on_round},
        name="lontar-worker",
        daemon=True,
    )
    thread.start()
    return stop, thread


@click.command("worker")
@click.option("--once", is_flag=True, help="Satu putaran saja, lalu keluar.")
@click.option("--interval", default=5.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Jeda antarputaran, dalam detik.")
def worker(once: bool, interval: float) -> None:
    """Jalankan timer BPMN yang jatuh tempo dan kirim surel yang tertunda."""
    from webapp.engine_factory import build_engine

    lang = _lang()
    settings = Settings.from_env()
    database = Database(settings.database_url)
    engine = build_engine(settings)
    smtp = settings.smtp
    try:
        if once:
            for line in describe(run_once(database, engine, smtp=smtp), lang):
                click.echo(line)
            return
        stop = threading.Event()

        def halt(_signum: int, _frame: object) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, halt)
        click.echo(
            f"worker berjalan ({database.dialect}, tiap {interval:g} detik); Ctrl+C untuk berhenti"
            if lang == "id"
            else f"worker running ({database.dialect}, every {interval:g} s); Ctrl+C to stop"
        )

        def on_round(report: WorkerReport) -> None:
            if report.busy or report.mails_sent or report.mail_error:
                for line in describe(report, lang):
                    click.echo(line)

        try:
            run_forever(database, engine, interval=interval, stop=stop, smtp=smtp, on_round=on_round)
        except KeyboardInterrupt:
            stop.set()
        click.echo("worker berhenti" if lang == "id" else "worker stopped")
    finally:
        database.dispose()
