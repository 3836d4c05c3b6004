"""Tell a file's type from its first bytes, never from its name or the browser's word.

A file called `surat.pdf` sent as `application/pdf` may be an executable; the name and the
Content-Type come from the client and prove nothing.  We only accept types we can recognise
from their content, so the schema refuses any other type in `accept` (see KNOWN_TYPES).
"""

from __future__ import annotations

import zipfile
from typing import IO

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"

# What people call each type, for "accepted: PDF, PNG" messages.
LABELS: dict[str, str] = {
    PDF: "PDF",
    PNG: "PNG",
    JPEG: "JPEG",
    GIF: "GIF",
    WEBP: "WebP",
    DOCX: "DOCX",
    XLSX: "XLSX",
    ZIP: "ZIP",
    "image/*": "PNG/JPEG/GIF/WebP",
}
KNOWN_TYPES = frozenset(LABELS)

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
)
# An Office Open XML file is a ZIP; the part that names it tells which kind.
_OOXML_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))


def sniff(stream: IO[bytes]) -> str | None:
    """The MIME type the content shows, or None; the stream is left at position 0."""
    try:
        stream.seek(0)
        head = stream.read(16)
        for magic, mime in _SIGNATURES:
            if head.startswith(magic):
                return mime
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return WEBP
        if head.startswith(b"PK\x03\x04"):
            return _zip_kind(stream)
        return None
    finally:
        stream.seek(0)


def _zip_kind(stream: IO[bytes]) -> str | None:
    # Only the central directory is read; nothing is decompressed, so a zip bomb costs nothing.
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    for part, mime in _OOXML_PARTS:
        if part in names:
            return mime
    return ZIP


def accepts(accept: tuple[str, ...] | list[str], mime: str | None) -> bool:
    """Whether a sniffed type is in an accept list; "image/*" covers every image we know."""
    if mime is None:
        return False
    return mime in accept or ("image/*" in accept and mime.startswith("image/"))


def size_of(stream: IO[bytes]) -> int:
    """Bytes in a seekable stream, measured (a client's Content-Length is not trusted)."""
    try:
        stream.seek(0, 2)
        return stream.tell()
    finally:
        stream.seek(0)


def describe(accept: tuple[str, ...] | list[str]) -> str:
    return ", ".join(LABELS.get(mime, mime) for mime in accept)


def human_size(n: int) -> str:
    for unit, factor in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if n >= factor:
            value = n / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} B"
