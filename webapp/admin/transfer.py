"""Admin: CSV import (upload, preview, confirm) and export (one file, or the three in a zip).

The preview runs the whole import and rolls it back, so it shows exactly what the confirm will
do (or every problem, with file, row and column).  The uploaded files wait for the confirm in
the instance folder, named by their SHA-256 like every other upload (a multi-host deployment
shares that folder already), so any web process can apply them; the confirm form carries only
the hashes, and a day-old file is cleaned away.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

from flask import Response, current_app, flash, render_template
from werkzeug.exceptions import NotFound

from engine.org_csv import FILES, MAX_BYTES, export_tables
from engine.org_import import ImportFailed, ImportReport, import_org
from engine.org_records import admin_actor
from webapp.admin import bp
from webapp.admin.common import scope
from webapp.admin.forms import ConfirmImportForm, ImportForm
from webapp.context import today
from webapp.dbsession import session
from webapp.i18n import current_lang, gettext

KEEP_SECONDS = 24 * 3600
SHA = re.compile(r"^[0-9a-f]{64}$")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "org-import"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _keep(data: bytes) -> str:
    import hashlib
    import os

    folder = _folder()
    cutoff = time.time() - KEEP_SECONDS
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    sha = hashlib.sha256(data).hexdigest()
    target = folder / sha
    tmp = target.with_suffix(".part")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return sha


def _run(files: dict[str, bytes], *, dry_run: bool) -> ImportReport:
    mine = scope()
    return import_org(
        session(), files, scope=mine, actor=admin_actor(session(), mine), today=today(), dry_run=dry_run
    )


def _render(form: ImportForm, *, problems: list[str] | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "admin/import.html", form=form, problems=problems or [], files=FILES, is_global=scope().is_global
    ), status


@bp.route("/import", methods=["GET"])
def import_page() -> tuple[str, int]:
    return _render(ImportForm())


@bp.route("/import", methods=["POST"])
def import_preview() -> tuple[str, int]:
    form = ImportForm()
    if not form.validate_on_submit():
        return _render(form, status=422)
    files: dict[str, bytes] = {}
    for name in FILES:
        upload = getattr(form, name).data
        if upload is not None and getattr(upload, "filename", ""):
            data = upload.stream.read(MAX_BYTES + 1)
            if data:
                files[name] = data
    if not files:
        form.units.errors = [gettext("Pilih paling sedikit satu berkas.")]
        return _render(form, status=422)
    try:
        report = _run(files, dry_run=True)
    except ImportFailed as exc:
        return _render(form, problems=[p.message(current_lang()) for p in exc.problems], status=422)
    confirm = ConfirmImportForm(formdata=None, data={name: _keep(data) for name, data in files.items()})
    return render_template(
        "admin/import_report.html", report=report, confirm=confirm, done=False, names=sorted(files)
    ), 200


@bp.route("/import/confirm", methods=["POST"])
def import_confirm() -> tuple[str, int]:
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        return _render(ImportForm(), status=422)
    files: dict[str, bytes] = {}
    for name in FILES:
        sha = (getattr(form, name).data or "").strip()
        if not sha:
            continue
        path = _folder() / sha
        if not SHA.match(sha) or not path.exists():
            flash(gettext("Pratinjau sudah kedaluwarsa. Unggah berkasnya lagi."), "error")
            return _render(ImportForm(), status=422)
        files[name] = path.read_bytes()
    if not files:
        return _render(ImportForm(), status=422)
    try:
        report = _run(files, dry_run=False)
    except ImportFailed as exc:
        return _render(ImportForm(), problems=[p.message(current_lang()) for p in exc.problems], status=422)
    flash(gettext("Impor selesai: {n} perubahan.", n=report.changed), "success")
    return render_template(
        "admin/import_report.html", report=report, confirm=None, done=True, names=sorted(files)
    ), 200


def _tables() -> dict[str, str]:
    return export_tables(session(), scope(), today=today())


@bp.route("/export/<name>.csv")
def export_file(name: str) -> Response:
    tables = _tables()
    if f"{name}.csv" not in tables:
        raise NotFound()
    return Response(
        tables[f"{name}.csv"].encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@bp.route("/export.zip")
def export_zip() -> Response:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _tables().items():
            archive.writestr(name, text.encode("utf-8"))
    filename = f"organisasi-{today().isoformat()}.zip"
    return Response(
        buffer.getvalue(),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
