"""Who makes the signature value: a key Lontar holds encrypted, or a remote service (BSrE).

The flows never care which: `engine.documents.pades.sign_pdf` takes either a pyHanko signer
built here from a `SignerCertificate` row and the passphrase the person just typed
(`LocalSigner`), or a `DeferredSigner` that sends the byte-range digest out and gets a CMS
blob back ("hash out, CMS back"), the shape of a national signing service that keeps the key
and asks for the passphrase itself.  The passphrase only ever lives in a local variable.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from engine.errors import LontarError
from engine.messages import register
from engine.models.documents import SignerCertificate

register({
    "ttd.wrong_passphrase": ("Passphrase salah: dokumen tidak ditandatangani.",
                             "Wrong passphrase: the document was not signed."),
    "ttd.no_local_key": ("Sertifikat ini tidak menyimpan kunci di Lontar (penandatangan jarak jauh).",
                         "This certificate keeps no key in Lontar (remote signer)."),
    "ttd.cert_revoked": ("Sertifikat penandatangan sudah dicabut.", "The signer's certificate has been revoked."),
})


class WrongPassphrase(LontarError):
    """The passphrase does not open the key: nothing was signed (the caller audits the attempt)."""

    key = "ttd.wrong_passphrase"
    http_status = 403


def certificates_from_pem(pem: str | bytes) -> list[asn1_x509.Certificate]:
    """Every certificate in a PEM bundle, leaf first (as `SignerCertificate.cert_pem` stores them)."""
    data = pem.encode() if isinstance(pem, str) else pem
    return [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
            for c in x509.load_pem_x509_certificates(data)]


class LocalSigner:
    """Build a pyHanko signer from a stored, passphrase-encrypted key."""

    @staticmethod
    def from_certificate(row: SignerCertificate, passphrase: str) -> signers.SimpleSigner:
        if row.key_pem is None:
            raise LontarError("ttd.no_local_key")
        if row.revoked_at is not None:
            raise LontarError("ttd.cert_revoked")
        try:
            key = load_private_key_from_pemder_data(row.key_pem.encode(), passphrase.encode())
        except (ValueError, TypeError) as exc:
            # cryptography says "Bad decrypt" / "Incorrect password"; never echo the input.
            raise WrongPassphrase() from exc
        chain = certificates_from_pem(row.cert_pem)
        return signers.SimpleSigner(signing_cert=chain[0], signing_key=key,
                                    cert_registry=SimpleCertificateStore.from_certs(chain))


@runtime_checkable
class RemoteSigningService(Protocol):
    """A service that holds the key: digest in, detached CMS (DER, PAdES attributes) out."""

    def sign_digest(self, digest: bytes, md_algorithm: str) -> bytes: ...


@dataclass
class DeferredSigner:
    """A signer whose signature value comes from elsewhere (BSrE-style "sign hash").

    `signing_cert` is the person's certificate as the service reports it; it sizes the
    placeholder and writes the name on the visible stamp before the digest is sent.  The service
    call happens between the two halves of `pades.sign_pdf`; it may prompt for the passphrase.
    """

    signing_cert: asn1_x509.Certificate
    service: RemoteSigningService
    chain: list[asn1_x509.Certificate] = field(default_factory=list)
    bytes_reserved: int = 16384


Signer = signers.Signer | DeferredSigner


@dataclass
class LocalRemoteService:
    """A "remote" service backed by a local pyHanko signer: for tests and demos of the deferred path."""

    signer: signers.Signer
    calls: list[bytes] = field(default_factory=list)
    on_call: Callable[[bytes], None] | None = None

    def sign_digest(self, digest: bytes, md_algorithm: str) -> bytes:
        self.calls.append(digest)
        if self.on_call is not None:
            self.on_call(digest)
        cms = asyncio.run(self.signer.async_sign(digest, md_algorithm, use_pades=True))
        return bytes(cms.dump())
