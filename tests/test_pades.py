"""PAdES signing and verification: the local CA, signers' keys, paraf + TTE, tamper detection."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from fpdf import FPDF
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader
from sqlalchemy import select

from engine.db import Database
from engine.documents.ca import (
    CaExists,
    CaInfo,
    import_pkcs12,
    init_ca,
    issue_signer,
    load_ca,
    make_certificate,
)
from engine.documents.pades import sha256, sign_pdf
from engine.documents.signer import DeferredSigner, LocalRemoteService, LocalSigner, WrongPassphrase
from engine.documents.verify import verify_pdf
from engine.errors import InvalidInput
from engine.models import User
from engine.models.documents import SignerCertificate
from tests.conftest import user as user_named

NOMOR = "000.8.3.3/15/DISKOMINFO/2026"
PASS = "rahasia-budi-123"
NOW = datetime.now(UTC)
BOX = (330.0, 150.0, 560.0, 240.0)
QR = "https://lontar.example.go.id/verifikasi/ABC123"


def letter_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_compression(False)  # so a test can find the number's bytes and flip one
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=f"Nomor: {NOMOR}")
    pdf.ln()
    pdf.cell(text="Hal: Undangan Rapat Koordinasi")
    return bytes(pdf.output())


@dataclass
class World:
    ca: CaInfo
    budi: SignerCertificate
    sari: SignerCertificate
    pdf: bytes


def person(username: str, name: str, nip: str) -> User:
    return User(id=1, username=username, name=name, nip=nip, password_hash="-")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    ca = init_ca(tmp_path_factory.mktemp("instance") / "ca", name="Pemerintah Kabupaten Lontar",
                 passphrase=b"ca-passphrase-1")
    org = dict(pemda="Pemerintah Kabupaten Lontar", skpd="Dinas Komunikasi dan Informatika", at=NOW)
    budi = make_certificate(ca, user=person("budi", "Budi Santoso, S.Kom.", "199001012015031001"),
                            passphrase=PASS, **org)  # type: ignore[arg-type]
    sari = make_certificate(ca, user=person("sari", "Sari Wulandari", "198505052010012002"),
                            passphrase="rahasia-sari-123", key_type="ec", **org)  # type: ignore[arg-type]
    return World(ca, budi, sari, letter_pdf())


def sign_final(world: World, data: bytes | None = None) -> bytes:
    return sign_pdf(data if data is not None else world.pdf, signer=LocalSigner.from_certificate(world.budi, PASS),
                    field_name="TTE", stamp_box=BOX, qr_url=QR, reason="Tanda tangan elektronik",
                    location="Kabupaten Lontar", trust_roots=[world.ca.trust_root])


def test_signed_letter_validates_against_the_lontar_ca(world: World):
    before = datetime.now(UTC)
    signed = sign_final(world)
    after = datetime.now(UTC)
    result = verify_pdf(signed, [world.ca.trust_root])
    assert result.ok and result.summary_key == "verify.ok"
    [check] = result.signatures
    assert (check.intact, check.valid, check.trusted, check.modified_after) == (True, True, True, False)
    assert check.signer_name == "Budi Santoso, S.Kom." and check.nip == "199001012015031001"
    # the signer's clock, at whole seconds: the moment of signing, not of the module's import
    assert check.signed_at is not None and before.replace(microsecond=0) <= check.signed_at <= after
    assert signed.startswith(world.pdf)  # an incremental update: the draft's bytes are untouched
    assert NOMOR in PdfReader(io.BytesIO(signed)).pages[0].extract_text()
    assert len(sha256(signed)) == 64 and sha256(signed) != sha256(world.pdf)


def test_a_byte_flipped_inside_the_signed_range_is_reported_as_altered(world: World):
    signed = bytearray(sign_final(world))
    at = signed.index(NOMOR.encode()) + 4
    signed[at] = ord("9") if signed[at] != ord("9") else ord("8")
    result = verify_pdf(bytes(signed), [world.ca.trust_root])
    assert not result.ok and result.summary_key == "verify.altered"
    assert result.signatures[0].intact is False


def _append_text(data: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    ref = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (PALSU) Tj ET"))
    writer.add_stream_to_page(0, ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _append_annotation(data: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    annot = writer.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Annot"),
        generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
        generic.NameObject("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in (50, 50, 300, 90)]),
        generic.NameObject("/Contents"): generic.TextStringObject("Nomor diganti"),
        generic.NameObject("/DA"): generic.TextStringObject("/Helv 12 Tf 0 g"),
    }))
    page[generic.NameObject("/Annots")] = generic.ArrayObject([annot])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("tamper", [_append_text, _append_annotation], ids=["page-text", "annotation"])
def test_content_added_by_an_incremental_update_after_signing_is_reported(world: World, tamper):
    tampered = tamper(sign_final(world))
    result = verify_pdf(tampered, [world.ca.trust_root])
    assert not result.ok and result.summary_key == "verify.modified"
    [check] = result.signatures
    assert check.intact and check.valid and check.trusted and check.modified_after


def test_a_certificate_from_an_unknown_ca_is_not_trusted(world: World, tmp_path: Path):
    other = init_ca(tmp_path / "other", name="CA Tak Dikenal", passphrase=None)
    mallory = make_certificate(other, user=person("mallory", "Budi Santoso, S.Kom.", "199001012015031001"),
                               pemda="Pemerintah Kabupaten Lontar", skpd="Diskominfo", passphrase=PASS, at=NOW)
    signed = sign_pdf(world.pdf, signer=LocalSigner.from_certificate(mallory, PASS), field_name="TTE",
                      stamp_box=BOX, qr_url=QR, trust_roots=[])
    result = verify_pdf(signed, [world.ca.trust_root])
    [check] = result.signatures
    assert check.intact and check.valid and not check.trusted
    assert not result.ok and result.summary_key == "verify.untrusted"
    assert verify_pdf(signed, [other.trust_root]).ok  # the same file is fine for whoever trusts that CA


def test_a_wrong_passphrase_signs_nothing(world: World):
    produced = None
    with pytest.raises(WrongPassphrase):
        produced = sign_pdf(world.pdf, signer=LocalSigner.from_certificate(world.budi, "salah-passphrase"),
                            field_name="TTE", stamp_box=BOX, qr_url=QR)
    assert produced is None
    assert "salah-passphrase" not in WrongPassphrase().message()


def test_paraf_then_final_signature_all_valid_in_order(world: World):
    paraf1 = sign_pdf(world.pdf, signer=LocalSigner.from_certificate(world.sari, "rahasia-sari-123"),
                      field_name="Paraf_1", stamp_box=None, reason="Paraf", trust_roots=[world.ca.trust_root])
    paraf2 = sign_pdf(paraf1, signer=LocalSigner.from_certificate(world.budi, PASS), field_name="Paraf_2",
                      stamp_box=None, reason="Paraf")
    final = sign_final(world, paraf2)
    result = verify_pdf(final, [world.ca.trust_root])
    assert result.ok, [(c.field_name, c.summary_key) for c in result.signatures]
    assert [c.field_name for c in result.signatures] == ["Paraf_1", "Paraf_2", "TTE"]
    assert [c.signer_name for c in result.signatures] == ["Sari Wulandari", "Budi Santoso, S.Kom.",
                                                         "Budi Santoso, S.Kom."]
    assert result.signatures[0].coverage == "entire_revision" and not result.signatures[0].modified_after


def test_deferred_signer_sends_only_the_digest_and_embeds_the_cms(world: World):
    local = LocalSigner.from_certificate(world.budi, PASS)
    service = LocalRemoteService(local)
    remote = DeferredSigner(signing_cert=local.signing_cert, service=service)
    signed = sign_pdf(world.pdf, signer=remote, field_name="TTE", stamp_box=BOX, qr_url=QR)
    assert len(service.calls) == 1 and len(service.calls[0]) == 32  # a SHA-256 digest, not the document
    result = verify_pdf(signed, [world.ca.trust_root])
    assert result.ok and result.signatures[0].signer_name == "Budi Santoso, S.Kom."


@pytest.mark.parametrize("data", [b"", b"garbage", b"%PDF-1.7\n%%EOF", b"%PDF-1.4\n" + bytes(range(256)) * 4])
def test_garbage_gives_a_clear_result_not_a_traceback(world: World, data: bytes):
    result = verify_pdf(data, [world.ca.trust_root])
    assert not result.ok
    assert result.summary_key in ("verify.not_pdf", "verify.unsigned")
    assert result.summary("en")


def test_an_unsigned_pdf_is_not_ok(world: World):
    result = verify_pdf(world.pdf, [world.ca.trust_root])
    assert result.readable and not result.ok and result.summary_key == "verify.unsigned"


def test_ca_is_never_overwritten_and_its_key_needs_the_passphrase(world: World):
    with pytest.raises(CaExists):
        init_ca(world.ca.folder, name="Lain", passphrase=b"lain-lain-123")
    with pytest.raises(WrongPassphrase):
        load_ca(world.ca.folder, b"bukan-passphrase")
    assert load_ca(world.ca.folder, b"ca-passphrase-1").key is not None
    assert b"ENCRYPTED" in (world.ca.folder / "root.key").read_bytes()


def test_a_short_passphrase_is_refused(world: World):
    with pytest.raises(InvalidInput) as caught:
        make_certificate(world.ca, user=person("x", "X", "1"), pemda="P", skpd="S", passphrase="pendek", at=NOW)
    assert caught.value.field == "passphrase" and "8" in caught.value.message()


# ---- with the database ---------------------------------------------------------------------


def test_issued_certificate_names_the_signer_and_seals_the_key(org: Database, tmp_path: Path):
    ca = init_ca(tmp_path / "ca", name="Pemerintah Kabupaten Lontar", passphrase=b"ca-passphrase-1")
    with org.transaction() as session:
        row = issue_signer(session, ca, user=user_named(session, "budi"), passphrase=PASS, at=NOW)
    with org.transaction(write=False) as session:
        stored = session.scalars(select(SignerCertificate)).one()
        assert stored.serial == row.serial and stored.source == "lokal"
        assert "CN=Budi Santoso\\, S.Kom." in stored.subject
        assert "2.5.4.5=199001012015031001" in stored.subject or "serialNumber=199001012015031001" in stored.subject
        assert "O=Pemerintah Kabupaten Lontar" in stored.subject and "OU=" in stored.subject
        assert stored.key_pem is not None and stored.key_pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY")
        assert PASS not in " ".join(str(v) for v in vars(stored).values())
        signed = sign_final(World(ca, stored, stored, letter_pdf()))
    assert verify_pdf(signed, [ca.trust_root]).ok


def test_pkcs12_is_imported_under_the_signers_passphrase(org: Database, world: World):
    key = serialization.load_pem_private_key(world.sari.key_pem.encode(), b"rahasia-sari-123")  # type: ignore[union-attr]
    from cryptography import x509

    cert = x509.load_pem_x509_certificate(world.sari.cert_pem.encode())
    p12 = pkcs12.serialize_key_and_certificates(b"sari", key, cert, [world.ca.cert],  # type: ignore[arg-type]
                                                serialization.BestAvailableEncryption(b"p12-pass"))
    with org.transaction() as session:
        sari = user_named(session, "sari")
        with pytest.raises(InvalidInput):
            import_pkcs12(session, user=sari, data=p12, pkcs12_password="salah", passphrase="baru-sari-123")
        row = import_pkcs12(session, user=sari, data=p12, pkcs12_password="p12-pass", passphrase="baru-sari-123")
        assert row.source == "pkcs12" and row.cert_pem.count("BEGIN CERTIFICATE") == 2
        with pytest.raises(InvalidInput):  # the same certificate twice
            import_pkcs12(session, user=sari, data=p12, pkcs12_password="p12-pass", passphrase="baru-sari-123")
    with pytest.raises(WrongPassphrase):
        LocalSigner.from_certificate(row, "rahasia-sari-123")  # the old passphrase no longer opens it
    signed = sign_pdf(world.pdf, signer=LocalSigner.from_certificate(row, "baru-sari-123"), field_name="TTE",
                      stamp_box=BOX, qr_url=QR)
    assert verify_pdf(signed, [world.ca.trust_root]).signatures[0].signer_name == "Sari Wulandari"


# ---- the command line ----------------------------------------------------------------------


def test_cli_verify_exit_codes(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from webapp.cli import main

    instance = tmp_path / "instance"
    (instance / "ca").mkdir(parents=True)
    (instance / "ca" / "root.pem").write_bytes((world.ca.folder / "root.pem").read_bytes())
    monkeypatch.setenv("LONTAR_INSTANCE", str(instance))
    good, bad = tmp_path / "sah.pdf", tmp_path / "palsu.pdf"
    good.write_bytes(sign_final(world))
    bad.write_bytes(_append_text(good.read_bytes()))
    junk = tmp_path / "bukan.pdf"
    junk.write_bytes(b"bukan pdf")
    runner = CliRunner()
    ok = runner.invoke(main, ["verify", str(good)])
    assert ok.exit_code == 0, ok.output
    assert "Budi Santoso, S.Kom. NIP 199001012015031001" in ok.output and "Semua tanda tangan sah" in ok.output
    modified = runner.invoke(main, ["verify", str(bad)])
    assert modified.exit_code == 1 and "setelah ditandatangani" in modified.output
    garbage = runner.invoke(main, ["verify", str(junk)])
    assert garbage.exit_code == 1 and "bukan PDF" in garbage.output and "Traceback" not in garbage.output


def test_cli_ca_init_and_issue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from webapp.cli import main

    monkeypatch.setenv("LONTAR_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("LONTAR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("LONTAR_CA_PASSPHRASE", "ca-passphrase-1")
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(main, ["demo", "load"]).exit_code == 0
    created = runner.invoke(main, ["ca", "init"])
    assert created.exit_code == 0, created.output
    assert str(tmp_path / "instance" / "ca") in created.output
    assert runner.invoke(main, ["ca", "init"]).exit_code == 1  # never overwritten
    mismatch = runner.invoke(main, ["ca", "issue", "budi"], input="rahasia-123\nlain-lain-123\nrahasia-123\nrahasia-123\n")
    assert mismatch.exit_code == 0, mismatch.output
    assert "rahasia-123" not in mismatch.output
    database = Database(f"sqlite:///{tmp_path / 'cli.db'}")
    with database.transaction(write=False) as session:
        row = session.scalars(select(SignerCertificate)).one()
        LocalSigner.from_certificate(row, "rahasia-123")
    database.dispose()
    assert runner.invoke(main, ["ca", "issue", "tidak-ada"]).exit_code == 1


def test_signing_with_an_expired_or_foreign_certificate_is_refused_when_roots_are_given(world: World, tmp_path: Path):
    from datetime import timedelta

    from engine.documents.pades import CertificateUnusable

    expired = make_certificate(world.ca, user=person("lama", "Lama", "1"), pemda="P", skpd="S", passphrase=PASS,
                               at=NOW - timedelta(days=800))
    other = init_ca(tmp_path / "other", name="Lain", passphrase=None)
    foreign = make_certificate(other, user=person("asing", "Asing", "2"), pemda="P", skpd="S", passphrase=PASS, at=NOW)
    for row in (expired, foreign):
        with pytest.raises(CertificateUnusable):
            sign_pdf(world.pdf, signer=LocalSigner.from_certificate(row, PASS), field_name="TTE", stamp_box=BOX,
                     qr_url=QR, trust_roots=[world.ca.trust_root])


def test_signing_the_same_field_twice_is_a_clear_error(world: World):
    from engine.errors import LontarError

    signed = sign_final(world)
    with pytest.raises(LontarError) as caught:
        sign_final(world, signed)
    assert caught.value.key == "ttd.sign_failed"
    with pytest.raises(InvalidInput):
        sign_final(world, b"bukan pdf")
