"""Untrusted XML in: BPMN and DMN files come from designers, regional admins and uploads.

lxml is asked to resolve no entities, load no DTD, touch no network and refuse huge trees;
on top of that any DOCTYPE at all is refused, because a BPMN or DMN file never needs one and
every XXE / entity-expansion ("billion laughs") attack starts with it.
"""

from __future__ import annotations

from lxml import etree

from engine import messages
from engine.errors import InvalidDiagram, Problem

MAX_XML_BYTES = 2 * 1024 * 1024  # a large real diagram is ~200 KB

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
    }
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


def parse_xml(data: bytes, *, element_id: str = "file") -> etree._ElementTree:
    """Parse untrusted XML bytes, or raise InvalidDiagram with a message a designer understands."""
    if not data or not data.strip():
        raise InvalidDiagram([Problem(element_id, "xml.empty")])
    if len(data) > MAX_XML_BYTES:
        raise InvalidDiagram([Problem(element_id, "xml.too_large", {"size": len(data), "limit": MAX_XML_BYTES})])
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise InvalidDiagram([Problem(element_id, "xml.doctype")])
    try:
        tree = etree.fromstring(data, parser=_parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise InvalidDiagram([Problem(element_id, "xml.malformed", {"detail": str(exc)[:200]})]) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise InvalidDiagram([Problem(element_id, "xml.doctype")])
    return tree
