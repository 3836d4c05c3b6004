"""Clean error pages: 403, 404, 409 (too late / someone else was first), 413, 422, 500.

Domain errors carry their own sentence in both languages; the page shows it in the reader's
language, and the request's transaction is rolled back (webapp.dbsession), so nothing changed.
"""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from engine.errors import LontarError
from webapp.i18n import current_lang, gettext

log = logging.getLogger("lontar.web")

TITLES = {
    400: "Permintaan tidak dapat diproses",
    403: "Akses ditolak",
    404: "Halaman tidak ditemukan",
    405: "Metode tidak diizinkan",
    409: "Tindakan tidak dapat dilakukan",
    413: "Berkas terlalu besar",
    422: "Data tidak dapat diproses",
    500: "Terjadi kesalahan pada sistem",
}

DEFAULT_MESSAGES = {
    400: "Permintaan tidak lengkap atau tidak sah.",
    403: "Anda tidak berhak membuka halaman ini.",
    404: "Halaman atau data yang Anda cari tidak ada, atau tidak dapat Anda lihat.",
    405: "Cara membuka halaman ini tidak diizinkan.",
    409: "Data sudah berubah.",
    413: "Berkas yang diunggah melebihi batas ukuran.",
    422: "Data tidak dapat diproses.",
    500: "Kesalahan ini sudah dicatat. Silakan coba lagi beberapa saat lagi.",
}


def render_error(status: int, message: str | None = None) -> tuple[str, int]:
    title = gettext(TITLES.get(status, TITLES[500]))
    text = message or gettext(DEFAULT_MESSAGES.get(status, DEFAULT_MESSAGES[500]))
    return render_template("error.html", status=status, title=title, message=text), status


def init_app(app: Flask) -> None:
    @app.errorhandler(LontarError)
    def _domain(exc: LontarError):  # type: ignore[no-untyped-def]
        return render_error(exc.http_status, exc.message(current_lang()))

    @app.errorhandler(CSRFError)
    def _csrf(_exc: CSRFError):  # type: ignore[no-untyped-def]
        return render_error(400, gettext("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi."))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):  # type: ignore[no-untyped-def]
        return render_error(exc.code or 500)

    @app.errorhandler(Exception)
    def _crash(exc: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
