"""Untrusted XML in: BPMN and DMN files come from designers, regional admins and uploads.

lxml is asked to resolve no entities, load no DTD, touch no network and refuse huge trees;
on top of that any DOCTYPE at all is refused, because a BPMN or DMN file never needs one and
every XXE / entity-expansion ("billion laughs") attack starts with it.  The DOCTYPE test runs on
the decoded text, so a UTF-16/UTF-32 file cannot hide its declaration from a byte search.
XInclude is never executed by lxml unless asked, but a file that carries it is refused anyway:
it is an attack or a mistake, and saying so is clearer than silently ignoring it.
"""

from __future__ import annotations

import codecs

from lxml import etree

from engine import messages
from engine.errors import InvalidDiagram, Problem

MAX_XML_BYTES = 2 * 1024 * 1024  # a large real diagram is ~200 KB
# A 200 KB diagram has ~3 000 elements; the cap keeps every later pass (lint, Spiff parse) fast.
MAX_ELEMENTS = 50_000
XINCLUDE_NAMESPACES = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")

messages.register(
    {
        "xml.too_large": (
            "Berkas terlalu besar ({size} byte; batas {limit} byte).",
            "File too large ({size} bytes; limit {limit} bytes).",
        ),
        "xml.doctype": (
            "Berkas memuat DOCTYPE/ENTITY; demi keamanan berkas seperti ini ditolak.",
            "The file contains a DOCTYPE/ENTITY declaration; such files are refused for safety.",
        ),
        "xml.malformed": ("Berkas bukan XML yang sah: {detail}", "The file is not well-formed XML: {detail}"),
        "xml.empty": ("Berkas kosong.", "The file is empty."),
        "xml.xinclude": (
            "Berkas memuat XInclude (menyisipkan berkas lain); demi keamanan berkas seperti ini ditolak.",
            "The file uses XInclude (pulls in other files); such files are refused for safety.",
        ),
        "xml.too_many_elements": (
            "Berkas memuat terlalu banyak elemen (lebih dari {limit}).",
            "The file has too many elements (more than {limit}).",
        ),
    }
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def _as_text(data: bytes) -> str:
    """Decode well enough to search for markup: BOM first, then the NUL pattern of UTF-16/32."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    head = data[:4]
    if head == b"<\0\0\0":
        return data.decode("utf-32-le", errors="replace")
    if head == b"\0\0\0<":
        return data.decode("utf-32-be", errors="replace")
    if head[:2] == b"<\0":
        return data.decode("utf-16-le", errors="replace")
    if head[:2] == b"\0<":
        return data.decode("utf-16-be", errors="replace")
    return data.decode("latin-1")  # byte-transparent: ASCII markup stays findable


def parse_xml(data: bytes, *, element_id: str = "file") -> etree._ElementTree:
    """Parse untrusted XML bytes, or raise InvalidDiagram with a message a designer understands."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data or not data.strip():
        raise InvalidDiagram([Problem(element_id, "xml.empty")])
    if len(data) > MAX_XML_BYTES:
        raise InvalidDiagram(
            [Problem(element_id, "xml.too_large", {"size": len(data), "limit": MAX_XML_BYTES})]
        )
    text = _as_text(data).lower()
    if "<!doctype" in text or "<!entity" in text:
        raise InvalidDiagram([Problem(element_id, "xml.doctype")])
    try:
        tree = etree.fromstring(data, parser=_parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise InvalidDiagram([Problem(element_id, "xml.malformed", {"detail": str(exc)[:200]})]) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise InvalidDiagram([Problem(element_id, "xml.doctype")])
    for count, element in enumerate(tree.iter(), start=1):
        if count > MAX_ELEMENTS:
            raise InvalidDiagram([Problem(element_id, "xml.too_many_elements", {"limit": MAX_ELEMENTS})])
        tag = element.tag
        if isinstance(tag, str) and tag.startswith("{") and tag[1:].split("}", 1)[0] in XINCLUDE_NAMESPACES:
            raise InvalidDiagram([Problem(element_id, "xml.xinclude")])
    return tree
