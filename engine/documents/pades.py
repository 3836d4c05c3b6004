"""PAdES signatures on a letter's PDF: a visible QR stamp for the signer, invisible for paraf.

Each signature is an incremental update, so the paraf of every pemeriksa and the final TTE of
the penandatangan sit in the same file, in order, each covering everything before it.  The
signature is PAdES (ETSI.CAdES.detached) as BSrE's are, so any PAdES validator (Adobe,
pyHanko, the EU DSS) checks a Lontar letter the same way as a national one.  The visible stamp
carries the QR code to the Pemda's own verification page.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
from collections.abc import Sequence

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from pyhanko import stamp
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from engine.documents.signer import DeferredSigner, Signer
from engine.errors import InvalidInput, LontarError
from engine.messages import register

register({
    "ttd.bad_pdf": ("Berkas bukan PDF yang dapat ditandatangani.", "The file is not a PDF that can be signed."),
    "ttd.cert_unusable": ("Sertifikat penandatangan tidak sah untuk saat ini (kedaluwarsa atau bukan dari CA "
                          "yang dipercaya): dokumen tidak ditandatangani.",
                          "The signer's certificate is not valid now (expired or not from a trusted CA): "
                          "the document was not signed."),
    "ttd.sign_failed": ("Penandatanganan gagal: {detail}", "Signing failed: {detail}"),
})


class CertificateUnusable(LontarError):
    """Checked before signing when trust roots are given: a signature nobody can validate is refused."""

    key = "ttd.cert_unusable"
    http_status = 422


class _OfflineByDesign(logging.Filter):
    """pyHanko warns that embedding validation info without fetching may surprise; for Lontar's
    offline CA that is the design, and the warning on every signature would only bury real ones."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_OfflineByDesign())

DEFAULT_STAMP_TEXT = "Ditandatangani secara elektronik oleh:\n%(signer)s\n%(ts)s"


def sha256(data: bytes) -> str:
    """Hex SHA-256 of a file: what `SignedDocument.sha256` stores and the verification page looks up."""
    return hashlib.sha256(data).hexdigest()


def validation_context(trust_roots: Sequence[asn1_x509.Certificate]) -> ValidationContext:
    """Offline: Lontar's CA publishes no CRL/OCSP, and a signing must not wait for the network."""
    return ValidationContext(trust_roots=list(trust_roots), allow_fetching=False, revocation_mode="soft-fail")


def _metadata(field_name: str, reason: str, location: str,
              trust_roots: Sequence[asn1_x509.Certificate]) -> signers.PdfSignatureMetadata:
    embed = bool(trust_roots)
    return signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None, location=location or None,
        # With roots known, the chain goes into the file (DSS) so it validates without Lontar.
        embed_validation_info=embed, validation_context=validation_context(trust_roots) if embed else None,
    )


def sign_pdf(data: bytes, *, signer: Signer, field_name: str, stamp_box: tuple[float, float, float, float] | None,
             stamp_page: int = 0, qr_url: str | None = None, stamp_text: str = DEFAULT_STAMP_TEXT,
             reason: str = "", location: str = "", trust_roots: Sequence[asn1_x509.Certificate] = ()) -> bytes:
    """The PDF with one more signature appended; `data` itself is never changed.

    `stamp_box` (x1, y1, x2, y2 in points, origin bottom left) makes the signature visible on
    `stamp_page`; None makes an invisible one (paraf).  A QR code is drawn when `qr_url` is given.
    """
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError, IndexError, KeyError) as exc:
        raise InvalidInput("ttd.bad_pdf", field="pdf") from exc
    style: stamp.TextStampStyle | None = None
    params: dict[str, str] | None = None
    if stamp_box is not None:
        if qr_url:
            style, params = stamp.QRStampStyle(stamp_text=stamp_text), {"url": qr_url}
        else:
            style = stamp.TextStampStyle(stamp_text=stamp_text)
    meta = _metadata(field_name, reason, location, trust_roots)
    try:
        if stamp_box is not None:
            fields.append_signature_field(
                writer, fields.SigFieldSpec(sig_field_name=field_name, on_page=stamp_page, box=stamp_box))
        if isinstance(signer, DeferredSigner):
            return asyncio.run(_sign_deferred(writer, signer, meta, style, params))
        pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style)
        out = io.BytesIO()
        pdf_signer.sign_pdf(writer, output=out, appearance_text_params=params)
    except SigningError as exc:
        if isinstance(exc.__cause__, PathBuildingError | PathValidationError):
            raise CertificateUnusable() from exc
        raise LontarError("ttd.sign_failed", detail=str(exc)) from exc
    return out.getvalue()


async def _sign_deferred(writer: IncrementalPdfFileWriter, signer: DeferredSigner,
                         meta: signers.PdfSignatureMetadata, style: stamp.TextStampStyle | None,
                         params: dict[str, str] | None) -> bytes:
    """Hash out, CMS back: reserve the placeholder, send the byte-range digest, embed the answer."""
    placeholder = signers.ExternalSigner(
        signing_cert=signer.signing_cert,
        cert_registry=SimpleCertificateStore.from_certs([signer.signing_cert, *signer.chain]),
        signature_value=bytes(512),
    )
    pdf_signer = signers.PdfSigner(meta, signer=placeholder, stamp_style=style)
    prepared, _tbs, output = await pdf_signer.async_digest_doc_for_signing(
        writer, bytes_reserved=signer.bytes_reserved, appearance_text_params=params)
    # In a thread: a real service is a blocking HTTP call, and may itself run an event loop.
    answer = await asyncio.to_thread(signer.service.sign_digest, prepared.document_digest, "sha256")
    await PdfTBSDocument.async_finish_signing(output, prepared, cms.ContentInfo.load(answer))
    output.seek(0)
    return bytes(output.read())
