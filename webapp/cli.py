"""The `lontar` command: database, demo data, processes, audit, and running the app."""

from __future__ import annotations

import sys

import click

from engine import audit, migrate
from engine.db import Database
from webapp.config import Settings


def _database() -> Database:
    return Database(Settings.from_env().database_url)


def _lang() -> str:
    import os

    return "en" if os.environ.get("LONTAR_LANG", "id").lower().startswith("en") else "id"


@click.group()
def main() -> None:
    """Lontar: e-office naskah dinas untuk pemerintah daerah."""


@main.group()
def db() -> None:
    """Basis data."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Jalankan migrasi skema sampai versi terbaru."""
    database = _database()
    migrate.upgrade(database)
    click.echo(f"database up to date ({database.dialect})")


@main.group()
def demo() -> None:
    """Data demo."""


@demo.command("load")
def demo_load() -> None:
    """Muat organisasi dan pengguna demo (idempoten), lalu cetak login demo."""
    from engine.demo import DEMO_PASSWORD, grouped, load_demo

    database = _database()
    with database.transaction() as session:
        users = load_demo(session)
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for skpd, members in grouped(users):
        click.echo(f"  {skpd}")
        for user in members:
            click.echo(f"    {user.username:<18} {user.what}")


@main.group("audit")
def audit_group() -> None:
    """Jejak audit."""


@audit_group.command("verify")
def audit_verify() -> None:
    """Periksa rantai hash jejak audit; sebutkan baris pertama yang diubah atau dihapus."""
    with _database().transaction(write=False) as session:
        findings = audit.verify(session)
    if not findings:
        click.echo("jejak audit utuh" if _lang() == "id" else "audit trail intact")
        return
    for finding in findings:
        click.echo(finding.message(_lang()))
    sys.exit(1)


@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--worker/--no-worker", "with_worker", default=True, show_default=True,
              help="Jalankan satu worker (timer, surel) di dalam proses server.")
def run(host: str, port: int, with_worker: bool) -> None:
    """Jalankan server pengembangan (satu node; produksi: gunicorn + `lontar worker`)."""
    from webapp import create_app
    from webapp.cli_worker import start_in_process

    app = create_app()
    if not with_worker:
        app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)
        return
    stop, thread = start_in_process(app)
    click.echo("worker berjalan di dalam server (timer, surel); --no-worker untuk mematikan"
               if _lang() == "id" else "worker running inside the server (timers, mail); --no-worker to turn it off")
    try:
        app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)
    finally:
        stop.set()
        thread.join(timeout=10)


from webapp.cli_processes import processes  # noqa: E402 - registered on the group defined above

main.add_command(processes)

from webapp.cli_org import org  # noqa: E402 - registered on the group defined above

main.add_command(org)

from webapp.cli_letters import klasifikasi  # noqa: E402 - registered on the group defined above

main.add_command(klasifikasi)

from webapp.cli_worker import worker  # noqa: E402 - registered on the group defined above

main.add_command(worker)

from webapp import cli_documents  # noqa: E402,F401 - adds `ca` and `verify` to the group above

if __name__ == "__main__":
    main()

from webapp import cli_demo_letters  # noqa: E402,F401 - adds `demo letters` to the group above
