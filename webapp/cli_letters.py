"""`lontar klasifikasi ...`: the Pemda's classification codes (format: engine.klasifikasi).

    lontar klasifikasi import FILE     upsert codes from a CSV (kode,nama[,retensi...])
    lontar klasifikasi seed            add the ten top-level codes that are missing

Import is all or nothing: on any problem it prints one line per problem (row, column) and
exits 1 with nothing changed.
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


def _say(lang: str, indonesian: str, english: str) -> str:
    return english if lang == "en" else indonesian


@click.group("klasifikasi")
def klasifikasi() -> None:
    """Klasifikasi arsip (Permendagri 83/2022): impor CSV dan kode induk bawaan."""


@klasifikasi.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def klasifikasi_import(path: Path) -> None:
    """Impor kode klasifikasi dari FILE CSV (kolom kode, nama; opsional retensi_aktif,
    retensi_inaktif, nasib_akhir)."""
    from engine.klasifikasi import import_csv
    from engine.org_csv import ImportFailed

    lang = _lang()
    try:
        with _database().transaction() as session:
            report = import_csv(session, path.read_bytes(), actor=audit.Actor(None, "lontar klasifikasi import"))
    except ImportFailed as exc:
        for problem in exc.problems:
            click.echo(problem.message(lang), err=True)
        click.echo(
            _say(lang, "impor dibatalkan, tidak ada yang diubah", "import cancelled, nothing was changed"), err=True
        )
        sys.exit(1)
    click.echo(
        _say(
            lang,
            f"{report.created} baru, {report.updated} diubah, {report.unchanged} tetap",
            f"{report.created} new, {report.updated} updated, {report.unchanged} unchanged",
        )
    )
    if report.orphans:
        shown = ", ".join(report.orphans[:10]) + (" ..." if len(report.orphans) > 10 else "")
        click.echo(
            _say(
                lang,
                f"{len(report.orphans)} kode tanpa kode induk: {shown}",
                f"{len(report.orphans)} codes without their parent code: {shown}",
            )
        )


@klasifikasi.command("seed")
def klasifikasi_seed() -> None:
    """Tambahkan sepuluh kode induk (000 Umum ... 900 Keuangan) yang belum ada."""
    from engine.klasifikasi import seed

    with _database().transaction() as session:
        added = seed(session)
    click.echo(_say(_lang(), f"{added} kode ditambahkan", f"{added} codes added"))
