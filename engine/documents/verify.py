"""Is this signed letter genuine?  pyHanko's validation, told in the words a reader needs.

Anyone may upload a file here (the public verification page, `lontar verify`), so every
outcome is a result, never an exception: a damaged or non-PDF file is "not readable".  Three
separate questions per signature, because each points at a different problem: `intact` (the
signed bytes are unchanged), `valid` (the cryptography holds) and `trusted` (the certificate
chains to a root we accept: Lontar's CA, BSrE).  A fourth, `modified_after`, catches content
appended by an incremental update after signing: later signatures (paraf, then TTE) and
validation data are expected; anything else (new pages, text, annotations) is not.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel

from engine import messages
from engine.documents.pades import validation_context

messages.register({
    "verify.ok": ("Semua tanda tangan sah dan dokumen tidak diubah setelah ditandatangani.",
                  "All signatures are valid and the document was not changed after signing."),
    "verify.not_pdf": ("Berkas ini bukan PDF atau rusak.", "This file is not a PDF or is damaged."),
    "verify.unsigned": ("Dokumen ini tidak memuat tanda tangan elektronik.", "This document has no electronic signature."),
    "verify.altered": ("Isi dokumen berubah setelah ditandatangani: tanda tangan tidak cocok.",
                       "The document was altered after signing: the signature does not match."),
    "verify.invalid": ("Tanda tangan tidak sah (kriptografi gagal).", "The signature is not valid (cryptography failed)."),
    "verify.untrusted": ("Sertifikat penandatangan tidak diterbitkan oleh CA yang dipercaya.",
                         "The signer's certificate was not issued by a trusted CA."),
    "verify.modified": ("Dokumen ditambah atau diubah setelah ditandatangani.",
                        "Content was added or changed after signing."),
    "verify.error": ("Tanda tangan tidak dapat diperiksa: {detail}", "The signature cannot be checked: {detail}"),
})

# Later changes that leave a signature's meaning intact: other signatures and validation data.
_HARMLESS = ModificationLevel.FORM_FILLING


@dataclass(frozen=True)
class SignatureCheck:
    field_name: str
    signer_name: str
    nip: str | None
    subject: str
    issuer: str
    signed_at: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    coverage: str  # entire_file | entire_revision | contiguous_block_from_start | unclear
    modified_after: bool
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.modified_after

    @property
    def summary_key(self) -> str:
        if self.detail:
            return "verify.error"
        if not self.intact:
            return "verify.altered"
        if not self.valid:
            return "verify.invalid"
        if not self.trusted:
            return "verify.untrusted"
        if self.modified_after:
            return "verify.modified"
        return "verify.ok"


@dataclass(frozen=True)
class Verification:
    readable: bool
    signatures: list[SignatureCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.readable and bool(self.signatures) and all(s.ok for s in self.signatures)

    @property
    def summary_key(self) -> str:
        if not self.readable:
            return "verify.not_pdf"
        if not self.signatures:
            return "verify.unsigned"
        for check in self.signatures:
            if not check.ok:
                return check.summary_key
        return "verify.ok"

    def summary(self, lang: str = messages.DEFAULT_LANG) -> str:
        bad = next((s for s in self.signatures if not s.ok), None)
        return messages.text(self.summary_key, lang, detail=bad.detail if bad else "")


def as_trust_root(cert: asn1_x509.Certificate | x509.Certificate | bytes) -> asn1_x509.Certificate:
    """Accept a root as pyHanko, cryptography or PEM/DER bytes give it."""
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    if isinstance(cert, bytes):
        cert = (x509.load_pem_x509_certificate(cert) if cert.lstrip().startswith(b"-----")
                else x509.load_der_x509_certificate(cert))
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def verify_pdf(data: bytes, trust_roots: Sequence[asn1_x509.Certificate | x509.Certificate | bytes]) -> Verification:
    """Check every signature in `data`, earliest first."""
    roots = [as_trust_root(r) for r in trust_roots]
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:  # noqa: BLE001 - any parse failure of an uploaded file is "not a PDF"
        return Verification(readable=False)
    return Verification(readable=True, signatures=[_check(sig, roots) for sig in embedded])


def _names(cert: asn1_x509.Certificate | None) -> tuple[str, str | None, str, str]:
    if cert is None:
        return "", None, "", ""
    subject = cert.subject.native
    return (str(subject.get("common_name", "")), subject.get("serial_number"),
            cert.subject.human_friendly, cert.issuer.human_friendly)


def _check(sig: EmbeddedPdfSignature, roots: list[asn1_x509.Certificate]) -> SignatureCheck:
    try:
        name, nip, subject, issuer = _names(sig.signer_cert)
    except Exception:  # noqa: BLE001 - a damaged CMS blob still gets a line in the report
        name, nip, subject, issuer = "", None, "", ""
    try:
        status = validate_pdf_signature(sig, validation_context(roots))
    except Exception as exc:  # noqa: BLE001 - pyHanko raises several types for hostile input
        return SignatureCheck(sig.field_name or "", name, nip, subject, issuer, None, False, False, False,
                              "unclear", True, detail=type(exc).__name__)
    return SignatureCheck(
        field_name=sig.field_name or "", signer_name=name, nip=nip, subject=subject, issuer=issuer,
        signed_at=status.signer_reported_dt, intact=bool(status.intact), valid=bool(status.valid),
        trusted=bool(status.trusted), coverage=status.coverage.name.lower() if status.coverage else "unclear",
        modified_after=_modified_after(status),
    )


def _modified_after(status: PdfSignatureStatus) -> bool:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return False
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION or status.docmdp_ok is False:
        return True
    level = status.modification_level
    return level is None or level > _HARMLESS
