"""Lontar's own certificate authority, and the signers' keys and certificates.

A Pemda without BSrE certificates (development, training, a small deployment) still needs
signatures that a validator can check: Lontar issues them from a root CA kept in the instance
folder (`ca/`), its key encrypted with the CA passphrase.  Each signer's key is encrypted with
the signer's own passphrase (PKCS#8) before it reaches the database, and the passphrase is
dropped at once: Lontar cannot sign for anyone.  A real certificate arrives as PKCS#12 and is
re-encrypted the same way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.documents.signer import WrongPassphrase
from engine.errors import InvalidInput, LontarError
from engine.messages import register
from engine.models import Unit, User
from engine.models.documents import SignerCertificate
from engine.organisation import positions_of, skpd_of

MIN_PASSPHRASE = 8
CERT_FILE, KEY_FILE = "root.pem", "root.key"
_MAX_ATTR = 64  # X.520 upper bound for CN, O, OU

register({
    "ttd.passphrase_short": ("Passphrase paling sedikit {min} karakter.", "The passphrase needs at least {min} characters."),
    "ttd.cert_exists": ("Sertifikat ini sudah terdaftar.", "This certificate is already registered."),
    "ttd.bad_pkcs12": ("Berkas PKCS#12 tidak dapat dibaca atau tidak berisi kunci dan sertifikat.",
                       "The PKCS#12 file cannot be read or holds no key and certificate."),
    "ca.exists": ("CA sudah ada di {folder}; tidak ditimpa.", "A CA already exists in {folder}; not overwritten."),
    "ca.missing": ("Belum ada CA di {folder}: jalankan `lontar ca init`.",
                   "No CA in {folder}: run `lontar ca init`."),
})


class CaExists(LontarError):
    key = "ca.exists"
    http_status = 409


class CaMissing(LontarError):
    key = "ca.missing"
    http_status = 500


@dataclass(frozen=True)
class CaInfo:
    """The root CA: its certificate always, its key only when loaded with the passphrase."""

    folder: Path
    cert: x509.Certificate
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None

    @property
    def name(self) -> str:
        return _cn(self.cert.subject)

    @property
    def trust_root(self) -> asn1_x509.Certificate:
        """The root as pyHanko's validators want it."""
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput("ttd.passphrase_short", field="passphrase", min=MIN_PASSPHRASE)


def _cn(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else name.rfc4514_string()


def _attr(oid: x509.ObjectIdentifier, value: str) -> x509.NameAttribute:
    return x509.NameAttribute(oid, value.strip()[:_MAX_ATTR] or "-")


def _encryption(passphrase: bytes | None) -> serialization.KeySerializationEncryption:
    return serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()


def init_ca(folder: Path, *, name: str, passphrase: bytes | None, at: datetime | None = None,
            valid_years: int = 20) -> CaInfo:
    """Create the root CA in `folder`; an existing one is never overwritten (its signatures would orphan)."""
    if (folder / CERT_FILE).exists() or (folder / KEY_FILE).exists():
        raise CaExists(folder=str(folder))
    now = at or datetime.now().astimezone()
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                         _attr(NameOID.ORGANIZATION_NAME, name), _attr(NameOID.COMMON_NAME, f"{name} Root CA")])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365 * valid_years))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    key_bytes = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  _encryption(passphrase))
    fd = os.open(folder / KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key_bytes)
    (folder / CERT_FILE).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return CaInfo(folder, cert, key)


def load_ca(folder: Path, passphrase: bytes | None = None, *, with_key: bool = True) -> CaInfo:
    """The CA in `folder`; `with_key=False` for verification, which needs only the certificate."""
    if not (folder / CERT_FILE).exists():
        raise CaMissing(folder=str(folder))
    cert = x509.load_pem_x509_certificate((folder / CERT_FILE).read_bytes())
    if not with_key:
        return CaInfo(folder, cert, None)
    try:
        key = serialization.load_pem_private_key((folder / KEY_FILE).read_bytes(), passphrase or None)
    except (ValueError, TypeError) as exc:
        raise WrongPassphrase() from exc
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise CaMissing(folder=str(folder))
    return CaInfo(folder, cert, key)


def _organisation(session: Session, user: User, at: datetime) -> tuple[str, str]:
    """(Pemda, SKPD) names for the subject, from the person's first current position."""
    positions = positions_of(session, user.id, at.date())
    if not positions:
        return "", ""
    skpd = session.get(Unit, skpd_of(session, positions[0].unit_id) or positions[0].unit_id)
    root = skpd
    while root is not None and root.parent_id is not None:
        root = session.get(Unit, root.parent_id)
    return (root.name if root else ""), (skpd.name if skpd else "")


def signer_subject(user: User, pemda: str, skpd: str) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "ID")]
    if pemda:
        attrs.append(_attr(NameOID.ORGANIZATION_NAME, pemda))
    if skpd:
        attrs.append(_attr(NameOID.ORGANIZATIONAL_UNIT_NAME, skpd))
    if user.nip:
        attrs.append(_attr(NameOID.SERIAL_NUMBER, user.nip))
    attrs.append(_attr(NameOID.COMMON_NAME, user.name))
    return x509.Name(attrs)


def issue_signer(session: Session, ca: CaInfo, *, user: User, passphrase: str, at: datetime,
                 valid_days: int = 730, key_type: str = "rsa") -> SignerCertificate:
    """A fresh key and certificate for `user`, the key sealed with their passphrase; flushes the row."""
    pemda, skpd = _organisation(session, user, at)
    row = make_certificate(ca, user=user, pemda=pemda, skpd=skpd, passphrase=passphrase, at=at,
                           valid_days=valid_days, key_type=key_type)
    return _save(session, row)


def make_certificate(ca: CaInfo, *, user: User, pemda: str, skpd: str, passphrase: str, at: datetime,
                     valid_days: int = 730, key_type: str = "rsa") -> SignerCertificate:
    """The unsaved row behind `issue_signer`: the whole certificate, no database needed."""
    check_passphrase(passphrase)
    if ca.key is None:
        raise WrongPassphrase()
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = (
        ec.generate_private_key(ec.SECP256R1()) if key_type == "ec"
        else rsa.generate_private_key(public_exponent=65537, key_size=2048))
    cert = (x509.CertificateBuilder().subject_name(signer_subject(user, pemda, skpd)).issuer_name(ca.cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(at - timedelta(days=1)).not_valid_after(at + timedelta(days=valid_days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.cert.public_key()),  # type: ignore[arg-type]
                           critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(ca.key, hashes.SHA256()))
    return _row(user=user, cert=cert, chain=[], key=key, passphrase=passphrase, source="lokal")


def import_pkcs12(session: Session, *, user: User, data: bytes, pkcs12_password: str,
                  passphrase: str) -> SignerCertificate:
    """Take a certificate from another CA (e.g. BSrE as PKCS#12), re-sealed under the signer's passphrase."""
    check_passphrase(passphrase)
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, pkcs12_password.encode() or None)
    except ValueError as exc:
        # Wrong password and a damaged file look the same to OpenSSL.
        raise InvalidInput("ttd.bad_pkcs12", field="pkcs12") from exc
    if cert is None or not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise InvalidInput("ttd.bad_pkcs12", field="pkcs12")
    return _save(session, _row(user=user, cert=cert, chain=list(extra), key=key, passphrase=passphrase,
                               source="pkcs12"))


def _row(*, user: User, cert: x509.Certificate, chain: list[x509.Certificate],
         key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, passphrase: str, source: str) -> SignerCertificate:
    sealed = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                               serialization.BestAvailableEncryption(passphrase.encode()))
    pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in [cert, *chain])
    row = SignerCertificate(user_id=user.id, subject=cert.subject.rfc4514_string()[:400],
                            serial=format(cert.serial_number, "x"), issuer=cert.issuer.rfc4514_string()[:400], source=source,
                            cert_pem=pem.decode(), key_pem=sealed.decode(),
                            valid_from=cert.not_valid_before_utc, valid_to=cert.not_valid_after_utc)
    return row


def _save(session: Session, row: SignerCertificate) -> SignerCertificate:
    if session.scalar(select(SignerCertificate.id).where(SignerCertificate.serial == row.serial)) is not None:
        raise InvalidInput("ttd.cert_exists", field="pkcs12")
    session.add(row)
    session.flush()
    return row
