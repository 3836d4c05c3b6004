"""The public verification page: no login, an uploaded PDF or a letter's QR target, pyHanko's
verdict in plain words; a signed letter's number/date/unit, its hal only when not secret.
Every DB test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from fpdf import FPDF
from sqlalchemy import select

from engine.db import Database
from engine.documents.ca import CaInfo, init_ca, make_certificate
from engine.documents.pades import sha256, sign_pdf
from engine.documents.signer import LocalSigner
from engine.documents.trust import trust_roots
from engine.login_security import Limit
from engine.models import Letter, Unit, User
from engine.models.documents import SignedDocument
from tests.test_web import Person, csrf_token
from webapp import create_app
from webapp.config import Settings

NOMOR = "000.8.3.3/21/DISKOMINFO/2026"
HAL = "Undangan Rapat Koordinasi Verifikasi"
PASS = "rahasia-budi-123"
NOW = datetime.now(UTC)
BOX = (330.0, 150.0, 560.0, 240.0)


def letter_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_compression(False)  # so a test can find the number's bytes and flip one
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=f"Nomor: {NOMOR}")
    return bytes(pdf.output())


def person(username: str, name: str, nip: str) -> User:
    return User(id=1, username=username, name=name, nip=nip, password_hash="-")


@dataclass
class Files:
    ca: CaInfo
    signed: bytes
    foreign: bytes  # signed by a CA the Pemda does not trust


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    ca = init_ca(tmp_path_factory.mktemp("pemda") / "ca", name="Pemerintah Kabupaten Lontar", passphrase=b"ca-pass-123")
    org = dict(pemda="Pemerintah Kabupaten Lontar", skpd="Dinas Komunikasi dan Informatika", at=NOW)
    budi = make_certificate(ca, user=person("budi", "Budi Santoso, S.Kom.", "199001012015031001"),
                            passphrase=PASS, **org)  # type: ignore[arg-type]
    other = init_ca(tmp_path_factory.mktemp("other") / "ca", name="CA Tak Dikenal", passphrase=None)
    mallory = make_certificate(other, user=person("mallory", "Budi Santoso, S.Kom.", "199001012015031001"),
                               passphrase=PASS, **org)  # type: ignore[arg-type]
    data = letter_pdf()
    signed = sign_pdf(data, signer=LocalSigner.from_certificate(budi, PASS), field_name="TTE", stamp_box=BOX,
                      qr_url="https://lontar.example.go.id/verifikasi/surat/1", trust_roots=[ca.trust_root])
    foreign = sign_pdf(data, signer=LocalSigner.from_certificate(mallory, PASS), field_name="TTE", stamp_box=BOX,
                       qr_url="https://lontar.example.go.id/verifikasi/surat/1", trust_roots=[])
    return Files(ca, signed, foreign)


def make_app(org: Database, engine, files: Files, instance: Path, **settings) -> Flask:  # type: ignore[no-untyped-def]
    instance.mkdir()
    shutil.copytree(files.ca.folder, instance / "ca")  # the Pemda's CA lives in the instance folder
    flask_app = create_app(Settings(instance_path=instance, database_url=org.url, secret_key="test", **settings),
                           engine=engine)
    flask_app.config.update(TESTING=True)  # CSRF stays on
    return flask_app


@pytest.fixture
def app(org: Database, engine, files: Files, tmp_path: Path):  # type: ignore[no-untyped-def]
    flask_app = make_app(org, engine, files, tmp_path / "instance")
    yield flask_app
    flask_app.extensions["lontar.db"].dispose()


def upload(app: Flask, data: bytes, name: str = "surat.pdf", lang: str | None = None):  # type: ignore[no-untyped-def]
    import io

    visitor = Person(app)
    if lang:
        form = visitor.client.get("/verifikasi")
        visitor.client.post(f"/lang/{lang}", data={"csrf_token": csrf_token(form.text), "next": "/verifikasi"})
    form = visitor.client.get("/verifikasi")
    assert form.status_code == 200
    return visitor.client.post("/verifikasi", data={"csrf_token": csrf_token(form.text),
                                                   "berkas": (io.BytesIO(data), name)},
                               content_type="multipart/form-data")


def flipped(data: bytes) -> bytes:
    out = bytearray(data)
    at = out.index(NOMOR.encode())
    out[at] ^= 0x01
    return bytes(out)


def add_letter(db: Database, *, sifat: str = "biasa", stored: bytes | None, instance: Path) -> int:
    with db.transaction() as session:
        unit_id = session.scalar(select(Unit.id).where(Unit.parent_id.is_not(None)).order_by(Unit.id))
        letter = Letter(unit_id=unit_id, jenis="surat_dinas", direction="keluar", nomor=NOMOR,
                        tanggal=date(2026, 3, 14), hal=HAL, sifat=sifat, status="terkirim")
        session.add(letter)
        session.flush()
        if stored is not None:
            session.add(SignedDocument(letter_id=letter.id, kind="final", sha256=sha256(stored), size=len(stored)))
            (instance / "files").mkdir(exist_ok=True)
            (instance / "files" / sha256(stored)).write_bytes(stored)
        return letter.id


def test_the_page_needs_no_login(app: Flask) -> None:
    response = Person(app).client.get("/verifikasi")
    assert response.status_code == 200 and 'name="berkas"' in response.text and "csrf_token" in response.text


def test_a_signed_pdf_is_valid_with_the_signer_and_the_letter(app: Flask, org: Database, files: Files) -> None:
    add_letter(org, stored=files.signed, instance=Path(app.instance_path))
    response = upload(app, files.signed)
    assert response.status_code == 200
    assert "Dokumen sah" in response.text and "verdict-ok" in response.text
    assert "Budi Santoso, S.Kom." in response.text and "199001012015031001" in response.text
    assert "WIB" in response.text and NOMOR in response.text and "14 Maret 2026" in response.text
    assert HAL in response.text  # a biasa letter's hal is public


def test_the_verdict_in_english(app: Flask, files: Files) -> None:
    response = upload(app, files.signed, lang="en")
    assert "Document is valid" in response.text and "All signatures are valid" in response.text


def test_a_flipped_byte_is_altered(app: Flask, files: Files) -> None:
    response = upload(app, flipped(files.signed))
    assert response.status_code == 200
    assert "Dokumen telah diubah" in response.text and "verdict-bad" in response.text
    assert "Dokumen sah" not in response.text


def test_another_ca_is_not_trusted(app: Flask, files: Files) -> None:
    response = upload(app, files.foreign)
    assert response.status_code == 200 and "Penandatangan tidak dipercaya" in response.text


def test_content_added_after_signing_is_reported(app: Flask, files: Files) -> None:
    from tests.test_pades import _append_text

    response = upload(app, _append_text(files.signed))
    assert response.status_code == 200 and "Dokumen diubah setelah ditandatangani" in response.text


def test_an_unsigned_pdf(app: Flask) -> None:
    response = upload(app, letter_pdf())
    assert response.status_code == 200 and "Dokumen tidak ditandatangani" in response.text


@pytest.mark.parametrize("data", [b"ini bukan PDF, hanya teks\n", b"%PDF-1.7\nrusak", b""])
def test_not_a_pdf_is_a_message_not_a_crash(app: Flask, data: bytes) -> None:
    response = upload(app, data, name="palsu.pdf")
    assert response.status_code == 200
    assert ("Bukan berkas PDF" in response.text or "Pilih berkas PDF" in response.text
            or "tidak ditandatangani" in response.text)
    assert "Dokumen sah" not in response.text


def test_a_text_file_renamed_pdf_is_not_a_pdf(app: Flask) -> None:
    response = upload(app, b"Surat palsu\n", name="surat.pdf")
    assert response.status_code == 200 and "Bukan berkas PDF" in response.text


def test_too_big_is_refused(org: Database, engine, files: Files, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # a small limit: the test client spools a body over 500 KB to a file it never closes
    small = make_app(org, engine, files, tmp_path / "small", max_upload_bytes=len(files.signed) + 1000)
    try:
        response = upload(small, files.signed + b"%" * 2000)
        assert response.status_code == 413 and "Dokumen sah" not in response.text
        assert upload(small, files.signed).status_code == 200
    finally:
        small.extensions["lontar.db"].dispose()


def test_without_csrf_the_post_is_refused(app: Flask, files: Files) -> None:
    import io

    response = Person(app).client.post("/verifikasi", data={"berkas": (io.BytesIO(files.signed), "surat.pdf")},
                                       content_type="multipart/form-data")
    assert response.status_code == 400 and "Dokumen sah" not in response.text


def test_posts_are_rate_limited(app: Flask, files: Files) -> None:
    app.config["LONTAR_VERIFY_LIMIT"] = Limit(2, timedelta(minutes=10))
    assert upload(app, letter_pdf()).status_code == 200
    assert upload(app, letter_pdf()).status_code == 200
    third = upload(app, letter_pdf())
    assert third.status_code == 429 and "Retry-After" in third.headers


def test_the_qr_target_validates_the_stored_pdf(app: Flask, org: Database, files: Files) -> None:
    letter_id = add_letter(org, stored=files.signed, instance=Path(app.instance_path))
    response = Person(app).client.get(f"/verifikasi/surat/{letter_id}")
    assert response.status_code == 200
    assert "Dokumen sah" in response.text and NOMOR in response.text and HAL in response.text
    assert "Budi Santoso, S.Kom." in response.text


@pytest.mark.parametrize("sifat", ["rahasia", "sangat_rahasia"])
def test_a_secret_letters_hal_is_not_shown(app: Flask, org: Database, files: Files, sifat: str) -> None:
    letter_id = add_letter(org, sifat=sifat, stored=files.signed, instance=Path(app.instance_path))
    for response in (Person(app).client.get(f"/verifikasi/surat/{letter_id}"), upload(app, files.signed)):
        assert response.status_code == 200 and NOMOR in response.text
        assert HAL not in response.text


def test_unknown_or_unsigned_letter_is_404(app: Flask, org: Database) -> None:
    unsigned = add_letter(org, stored=None, instance=Path(app.instance_path))
    missing = Person(app).client.get("/verifikasi/surat/987654")
    plain = Person(app).client.get(f"/verifikasi/surat/{unsigned}")
    assert missing.status_code == plain.status_code == 404
    assert HAL not in plain.text and NOMOR not in plain.text


def test_trust_roots_are_the_instance_ca_and_trusted_folder(files: Files, tmp_path: Path) -> None:
    assert trust_roots(tmp_path) == []
    shutil.copytree(files.ca.folder, tmp_path / "ca")
    (tmp_path / "ca" / "trusted").mkdir()
    (tmp_path / "ca" / "trusted" / "bsre.pem").write_bytes(b"BSrE")
    roots = trust_roots(tmp_path, [tmp_path / "ca" / "trusted" / "bsre.pem"])
    assert len(roots) == 3 and roots[0].startswith(b"-----BEGIN CERTIFICATE") and roots[1:] == [b"BSrE", b"BSrE"]


def test_cli_verify_uses_the_same_roots(files: Files, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from webapp.cli import main

    shutil.copytree(files.ca.folder, tmp_path / "instance" / "ca")
    monkeypatch.setenv("LONTAR_INSTANCE", str(tmp_path / "instance"))
    good = tmp_path / "sah.pdf"
    good.write_bytes(files.signed)
    result = CliRunner().invoke(main, ["verify", str(good)])
    assert result.exit_code == 0, result.output
    foreign = tmp_path / "asing.pdf"
    foreign.write_bytes(files.foreign)
    assert CliRunner().invoke(main, ["verify", str(foreign)]).exit_code == 1
