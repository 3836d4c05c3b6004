"""The public verification page (no login): is this signed letter genuine?

Reached by uploading a PDF (`/verifikasi`) or from the QR code on a signed letter
(`/verifikasi/surat/<id>`).  The answer is pyHanko's validation (engine.documents.verify)
against the Pemda's trust roots (engine.documents.trust, the same list as `lontar verify`),
never a hash lookup alone.  A hash match with a SignedDocument only adds which letter it is.

What the public sees of a letter: its number, date and unit, and its hal only when the letter
is not secret (biasa, terbatas).  An uploaded file is read in memory and never stored.  POSTs
are counted per client address (the login limiter's table, a key of its own) so that the page
cannot be used to make the server validate without end.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_wtf.file import FileField
from sqlalchemy import case, select
from werkzeug.wrappers import Response

from engine import login_security as guard
from engine import messages
from engine.documents.trust import trust_roots
from engine.documents.verify import Verification, verify_pdf
from engine.errors import NotFound
from engine.models import Letter, Unit
from engine.models.documents import SignedDocument
from engine.models.letters import SECRET_SIFAT
from webapp import ratelimit
from webapp.dbsession import session
from webapp.formats import MONTHS
from webapp.i18n import current_lang, gettext
from webapp.localized import LocalizedForm
from webapp.uploads import path_of

bp = Blueprint("verify", __name__)

# Verifications per client address: generous for an office behind one NAT address checking a
# pile of letters, small enough that nobody makes the server validate PDFs all day.
VERIFY_LIMIT = guard.Limit(60, timedelta(minutes=10))

# summary_key -> (css class, headline)
VERDICTS: dict[str, tuple[str, str]] = {
    "verify.ok": ("ok", "Dokumen sah"),
    "verify.altered": ("bad", "Dokumen telah diubah"),
    "verify.invalid": ("bad", "Tanda tangan tidak sah"),
    "verify.error": ("bad", "Tanda tangan tidak dapat diperiksa"),
    "verify.untrusted": ("warn", "Penandatangan tidak dipercaya"),
    "verify.modified": ("warn", "Dokumen diubah setelah ditandatangani"),
    "verify.unsigned": ("neutral", "Dokumen tidak ditandatangani"),
    "verify.not_pdf": ("bad", "Bukan berkas PDF"),
}


class VerifyForm(LocalizedForm):
    berkas = FileField("Berkas PDF")


@dataclass(frozen=True)
class PublicLetter:
    """What the public may know about a letter."""

    nomor: str | None
    tanggal: str
    unit: str
    hal: str | None  # None for rahasia / sangat rahasia


def max_bytes() -> int:
    return int(current_app.config["LONTAR_SETTINGS"].max_upload_bytes)


def _mb() -> int:
    return max(1, round(max_bytes() / (1024 * 1024)))


def _date(day: date | None) -> str:
    if day is None:
        return "—"
    return f"{day.day} {MONTHS.get(current_lang(), MONTHS['id'])[day.month - 1]} {day.year}"


def _public_letter(letter_id: int) -> PublicLetter | None:
    row = session().execute(
        select(Letter.nomor, Letter.tanggal, Letter.hal, Letter.sifat, Unit.name)
        .join(Unit, Unit.id == Letter.unit_id).where(Letter.id == letter_id)
    ).first()
    if row is None:
        return None
    nomor, tanggal, hal, sifat, unit = row
    return PublicLetter(nomor=nomor, tanggal=_date(tanggal), unit=unit,
                        hal=None if sifat in SECRET_SIFAT else hal)


def _roots() -> list[bytes]:
    return trust_roots(current_app.instance_path)


def _verdict(result: Verification) -> dict[str, Any]:
    css, headline = VERDICTS.get(result.summary_key, ("bad", "Tanda tangan tidak dapat diperiksa"))
    lang = current_lang()
    return {
        "css": css,
        "headline": gettext(headline),
        "sentence": result.summary(lang),
        "signatures": [
            {"check": check, "sentence": messages.text(check.summary_key, lang, detail=check.detail)}
            for check in result.signatures
        ],
    }


def _address_key() -> str:
    return hashlib.sha256(("verify:" + (request.remote_addr or "unknown")).encode()).hexdigest()


def _limit() -> guard.Limit:
    return current_app.config.get("LONTAR_VERIFY_LIMIT", VERIFY_LIMIT)


@bp.route("/verifikasi", methods=["GET", "POST"])
def page() -> Any:
    form = VerifyForm()
    if request.method == "GET":
        return render_template("verify.html", form=form, limit_mb=_mb())
    key, limit, now = _address_key(), _limit(), ratelimit.now()
    waiting = guard.locked_for(session(), key, limit, now)
    if waiting is not None:
        error = gettext("Terlalu banyak pemeriksaan. Coba lagi dalam {minutes} menit.",
                        minutes=guard.minutes(waiting))
        return (render_template("verify.html", form=form, error=error, limit_mb=_mb()),
                429, {"Retry-After": str(max(1, int(waiting.total_seconds())))})
    guard.record_failure(session(), [key], now, keep=limit.window)
    upload = request.files.get("berkas")
    context: dict[str, Any] = {"form": form, "limit_mb": _mb()}
    if upload is None or not upload.filename:
        return render_template("verify.html", error=gettext("Pilih berkas PDF yang akan diperiksa."), **context)
    try:
        data = upload.stream.read(max_bytes() + 1)
    finally:
        upload.close()  # a big upload is spooled to a temporary file: gone now, nothing kept
    if len(data) > max_bytes():
        return render_template("verify.html", error=gettext("Berkas yang diunggah melebihi batas ukuran."),
                               **context), 413
    if not data.startswith(b"%PDF-"):  # sniffed from the bytes, not the name or the browser's type
        context["verdict"] = _verdict(Verification(readable=False))
        return render_template("verify.html", **context)
    digest = hashlib.sha256(data).hexdigest()
    result = verify_pdf(data, _roots())
    del data
    letter_id = session().scalar(select(SignedDocument.letter_id).where(SignedDocument.sha256 == digest))
    context.update(verdict=_verdict(result), sha256=digest,
                   letter=_public_letter(letter_id) if letter_id is not None and result.readable else None)
    return render_template("verify.html", **context)


@bp.route("/verifikasi/surat/<int:letter_id>")
def letter(letter_id: int) -> Response | str:
    """The QR code's target: the letter's signed PDF as stored, validated again now."""
    shas = session().scalars(
        select(SignedDocument.sha256).where(SignedDocument.letter_id == letter_id)
        .order_by(case((SignedDocument.kind == "final", 0), else_=1), SignedDocument.signed_at.desc(),
                  SignedDocument.id.desc())
    ).all()
    path = next((p for sha in shas if (p := path_of(sha)) is not None), None)
    public = _public_letter(letter_id) if path is not None else None
    if path is None or public is None:
        raise NotFound()
    result = verify_pdf(path.read_bytes(), _roots())
    return render_template("verify.html", form=None, verdict=_verdict(result), letter=public, from_qr=True,
                           limit_mb=_mb())
