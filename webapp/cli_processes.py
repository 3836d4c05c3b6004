"""`lontar processes ...`: validate, deploy and list BPMN processes.

Files directly in processes/ are the shared defaults; files in processes/<UNIT CODE>/ are that
unit's variants (a start in the unit, or below it, uses the nearest variant up the tree).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy import select

from engine import audit
from engine.errors import InvalidDiagram
from engine.models import Unit
from webapp.config import REPO_ROOT

PROCESSES = REPO_ROOT / "processes"


def _database():  # type: ignore[no-untyped-def]
    from webapp.cli import _database as database

    return database()


def _lang() -> str:
    from webapp.cli import _lang as lang

    return lang()


def _form_exists():  # type: ignore[no-untyped-def]
    from forms.library import FormLibrary
    from webapp.formkeys import form_exists

    return form_exists(FormLibrary())


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    result: list[Path] = []
    for path in paths:
        if path.is_dir():
            result.extend(sorted(p for p in path.rglob("*") if p.suffix in (".bpmn", ".dmn")))
        else:
            result.append(path)
    return result


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def unit_code_of(path: Path) -> str | None:
    """processes/DISKOMINFO/nota_dinas.bpmn -> 'DISKOMINFO'; processes/nota_dinas.bpmn -> None."""
    try:
        parts = path.resolve().relative_to(PROCESSES.resolve()).parts
    except ValueError:
        return None
    return parts[0] if len(parts) > 1 else None


@click.group()
def processes() -> None:
    """Proses BPMN: periksa, pasang, daftar."""


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


@processes.command("deploy")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--unit", "unit_code", default=None, help="Kode unit untuk varian (bawaan: dari nama folder).")
def processes_deploy(paths: tuple[Path, ...], unit_code: str | None) -> None:
    """Pasang proses (bawaan: folder processes/); berkas yang berubah menjadi versi baru."""
    from engine.runtime import WorkflowEngine

    files = [p for p in _expand(paths or (PROCESSES,)) if p.suffix == ".bpmn"]
    engine = WorkflowEngine(form_exists=_form_exists())
    database = _database()
    failed = 0
    for path in files:
        code = unit_code or unit_code_of(path)
        try:
            with database.transaction() as session:
                unit_id = None
                if code is not None:
                    unit_id = session.scalar(select(Unit.id).where(Unit.code == code))
                    if unit_id is None:
                        failed += 1
                        click.echo(f"{path}: unit '{code}' tidak ada (muat organisasi dulu)", err=True)
                        continue
                outcome = engine.registry.deploy(
                    session, path.read_bytes(), actor=audit.Actor(None, "lontar processes deploy"),
                    filename=path.name, source="file", source_path=_relative(path), unit_id=unit_id,
                )
        except InvalidDiagram as exc:
            failed += 1
            for problem in exc.problems:
                click.echo(f"{path}: {problem.element_id}: {problem.message(_lang())}", err=True)
            continue
        state = "deployed" if outcome.created else "unchanged"
        where = f" [{code}]" if code else ""
        click.echo(f"{path}: {outcome.version.key}{where} v{outcome.version.version} {state}")
    sys.exit(1 if failed else 0)


@processes.command("list")
def processes_list() -> None:
    """Daftar versi proses per unit dan jumlah instans yang berjalan."""
    from engine.runtime import WorkflowEngine

    engine = WorkflowEngine()
    with _database().transaction(write=False) as session:
        codes = {unit_id: code for unit_id, code in session.execute(select(Unit.id, Unit.code))}
        rows = engine.registry.listing(session)
        click.echo(f"{'key':<24} {'unit':<18} {'ver':>4} {'source':<8} {'running':>7}  sha256")
        for version, running in rows:
            unit = codes.get(version.unit_id, "default") if version.unit_id else "default"
            retired = " (retired)" if version.retired_at else ""
            click.echo(f"{version.key:<24} {unit:<18} {version.version:>4} {version.source:<8} {running:>7}  "
                       f"{version.sha256[:12]}{retired}")
