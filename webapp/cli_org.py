"""`lontar org ...`: the organisation as CSV files (format: engine.org_csv).

    lontar org import units.csv positions.csv users.csv [--dry-run]
    lontar org export DIR

Import runs with the rights of a Pemda-wide admin, all or nothing: on any problem it prints
one line per problem (file, row, column) and exits 1 with nothing changed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from engine import audit


def _database():  # type: ignore[no-untyped-def]
    from webapp.cli import _database as database

    return database()


def _lang() -> str:
    from webapp.cli import _lang as lang

    return lang()


def _today():  # type: ignore[no-untyped-def]
    from engine.clock import Clock
    from webapp.config import Settings

    return Clock(Settings.from_env().zone).today()


@click.group("org")
def org() -> None:
    """Organisasi: impor dan ekspor CSV (unit, jabatan, pengguna)."""


@org.command("import")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--dry-run", is_flag=True, help="Periksa saja, jangan simpan.")
def org_import(paths: tuple[Path, ...], dry_run: bool) -> None:
    """Impor units.csv, positions.csv, users.csv (satu, dua atau ketiganya)."""
    from engine.org_csv import file_kind
    from engine.org_import import ImportFailed, import_org
    from engine.org_scope import whole_pemda

    lang = _lang()
    files: dict[str, bytes] = {}
    for path in paths:
        kind = file_kind(path.name)
        if kind is None or kind in files:
            click.echo(
                f"{path}: "
                + (
                    "nama berkas harus units.csv, positions.csv atau users.csv"
                    if lang == "id"
                    else "the file name must be units.csv, positions.csv or users.csv"
                ),
                err=True,
            )
            sys.exit(1)
        files[kind] = path.read_bytes()
    try:
        with _database().transaction() as session:
            report = import_org(
                session,
                files,
                scope=whole_pemda(session),
                today=_today(),
                dry_run=dry_run,
                actor=audit.Actor(None, "lontar org import"),
            )
    except ImportFailed as exc:
        for problem in exc.problems:
            click.echo(problem.message(lang), err=True)
        click.echo(
            (
                "impor dibatalkan, tidak ada yang diubah"
                if lang == "id"
                else "import cancelled, nothing was changed"
            ),
            err=True,
        )
        sys.exit(1)
    for line in report.lines():
        click.echo(line)
    for kind, counts in report.counts().items():
        click.echo(f"{kind:<9} " + " ".join(f"{action}={n}" for action, n in counts.items()))
    state = (
        ("diperiksa, tidak disimpan" if lang == "id" else "checked, not saved")
        if dry_run
        else ("perubahan" if lang == "id" else "changes")
    )
    click.echo(f"{report.changed} {state}" if not dry_run else f"{report.changed} ({state})")


@org.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def org_export(directory: Path) -> None:
    """Tulis units.csv, positions.csv dan users.csv ke DIREKTORI."""
    from engine.org_csv import export_tables
    from engine.org_scope import whole_pemda

    directory.mkdir(parents=True, exist_ok=True)
    with _database().transaction(write=False) as session:
        tables = export_tables(session, whole_pemda(session), today=_today())
    for name, text in tables.items():
        (directory / name).write_text(text, encoding="utf-8")
        click.echo(str(directory / name))
