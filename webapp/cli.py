"""The `lontar` command: database, demo data, processes, audit, and running the app."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from engine import audit, migrate
from engine.db import Database
from engine.errors import InvalidDiagram
from webapp.config import REPO_ROOT, Settings


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
    from engine.demo import DEMO_PASSWORD, load_demo

    database = _database()
    with database.transaction() as session:
        users = load_demo(session)
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for user in users:
        click.echo(f"  {user.username:<8} {user.what}")


@main.group()
def processes() -> None:
    """Proses BPMN: periksa, pasang, daftar."""


def _form_exists():  # type: ignore[no-untyped-def]
    from forms.library import FormLibrary

    library = FormLibrary()
    return lambda key: key in library


@processes.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def processes_validate(paths: tuple[Path, ...]) -> None:
    """Periksa berkas BPMN/DMN; keluar 1 dengan satu baris per masalah (berkas: elemen: pesan)."""
    from engine.lint import validate_path

    lang = _lang()
    form_exists = _form_exists()
    errors = 0
    for path in _expand(paths):
        problems = validate_path(path, form_exists=form_exists)
        for problem in problems:
            if problem.severity == "error":
                errors += 1
            label = "" if problem.severity == "error" else ("peringatan: " if lang == "id" else "warning: ")
            click.echo(f"{path}: {problem.element_id}: {label}{problem.message(lang)}")
        if not problems:
            click.echo(f"{path}: valid")
    sys.exit(1 if errors else 0)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    result: list[Path] = []
    for path in paths:
        if path.is_dir():
            result.extend(sorted(p for p in path.rglob("*") if p.suffix in (".bpmn", ".dmn")))
        else:
            result.append(path)
    return result


@processes.command("deploy")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def processes_deploy(paths: tuple[Path, ...]) -> None:
    """Pasang proses (bawaan: folder processes/); berkas yang berubah menjadi versi baru."""
    from engine.runtime import WorkflowEngine

    files = [p for p in _expand(paths or (REPO_ROOT / "processes",)) if p.suffix == ".bpmn"]
    engine = WorkflowEngine(form_exists=_form_exists())
    database = _database()
    failed = 0
    for path in files:
        try:
            with database.transaction() as session:
                outcome = engine.registry.deploy(
                    session, path.read_bytes(), actor=audit.Actor(None, "lontar processes deploy"),
                    filename=path.name, source="file", source_path=_relative(path),
                )
        except InvalidDiagram as exc:
            failed += 1
            for problem in exc.problems:
                click.echo(f"{path}: {problem.element_id}: {problem.message(_lang())}", err=True)
            continue
        state = "deployed" if outcome.created else "unchanged"
        click.echo(f"{path}: {outcome.version.key} v{outcome.version.version} {state}")
    sys.exit(1 if failed else 0)


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


@processes.command("list")
def processes_list() -> None:
    """Daftar versi proses dan jumlah instans yang berjalan."""
    from engine.runtime import WorkflowEngine

    engine = WorkflowEngine()
    with _database().transaction(write=False) as session:
        rows = engine.registry.listing(session)
        click.echo(f"{'key':<24} {'unit':<8} {'ver':>4} {'source':<8} {'running':>7}  sha256")
        for version, running in rows:
            unit = str(version.unit_id or "default")
            retired = " (retired)" if version.retired_at else ""
            click.echo(f"{version.key:<24} {unit:<8} {version.version:>4} {version.source:<8} {running:>7}  "
                       f"{version.sha256[:12]}{retired}")


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
def run(host: str, port: int) -> None:
    """Jalankan server pengembangan."""
    from webapp import create_app

    app = create_app()
    app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)


if __name__ == "__main__":
    main()
