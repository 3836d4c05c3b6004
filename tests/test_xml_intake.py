"""Hostile XML is refused with a clear message; ordinary BPMN files are accepted.

Both halves matter: a parser that refuses everything would pass the first set alone.
"""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest
from lxml import etree

from engine.errors import InvalidDiagram
from engine.xml_intake import MAX_ELEMENTS, MAX_XML_BYTES, _parser, parse_xml

FIXTURES = Path(__file__).parent / "fixtures" / "bpmn"
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
MINIMAL = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="{BPMN_NS}" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s"/>
  </bpmn:process>
</bpmn:definitions>"""


def _definitions(inner: str) -> str:
    return f'<bpmn:definitions xmlns:bpmn="{BPMN_NS}" id="d">{inner}</bpmn:definitions>'


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10)
    )
    + "]>\n"
    + _definitions("&lol9;")
)
QUADRATIC = (
    '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "' + "x" * 50_000 + '">]>\n' + _definitions("&a;" * 2_000)
)

HOSTILE: dict[str, tuple[bytes, str]] = {
    "xxe_file": (
        (
            '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            + _definitions("<bpmn:documentation>&xxe;</bpmn:documentation>")
        ).encode(),
        "xml.doctype",
    ),
    "xxe_parameter_entity": (
        (
            '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>\n'
            + _definitions("")
        ).encode(),
        "xml.doctype",
    ),
    "external_dtd": (
        (
            '<?xml version="1.0"?>\n<!DOCTYPE definitions SYSTEM "http://127.0.0.1:9/bpmn.dtd">\n'
            + _definitions("")
        ).encode(),
        "xml.doctype",
    ),
    "billion_laughs": (BILLION_LAUGHS.encode(), "xml.doctype"),
    "quadratic_blowup": (QUADRATIC.encode(), "xml.doctype"),
    "xinclude": (
        _definitions(
            '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>'
        ).encode(),
        "xml.xinclude",
    ),
    "oversized": (MINIMAL.encode() + b"<!--" + b"x" * MAX_XML_BYTES + b"-->", "xml.too_large"),
    "not_xml": (b"PK\x03\x04 this is a zip file, not a diagram", "xml.malformed"),
    "truncated": (MINIMAL.encode()[:-30], "xml.malformed"),
    "empty": (b"", "xml.empty"),
    "whitespace_only": (b"  \n\t ", "xml.empty"),
    "utf16_bom_doctype": (
        codecs.BOM_UTF16_LE
        + (
            '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE d [<!ENTITY x "y">]>\n' + _definitions("&x;")
        ).encode("utf-16-le"),
        "xml.doctype",
    ),
    "utf16_no_bom_doctype": (
        (
            '<?xml version="1.0" encoding="UTF-16BE"?><!DOCTYPE d [<!ENTITY x "y">]>' + _definitions("&x;")
        ).encode("utf-16-be"),
        "xml.doctype",
    ),
    "utf32_doctype": (
        ('<?xml version="1.0" encoding="UTF-32"?><!DOCTYPE d>' + _definitions("")).encode("utf-32"),
        "xml.doctype",
    ),
    "too_deep": ((_definitions("<a>" * 300 + "</a>" * 300)).encode(), "xml.malformed"),
    "too_many_elements": (_definitions("<x/>" * (MAX_ELEMENTS + 1)).encode(), "xml.too_many_elements"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_xml_is_refused_with_a_clear_message(name: str) -> None:
    data, key = HOSTILE[name]
    started = time.perf_counter()
    with pytest.raises(InvalidDiagram) as caught:
        parse_xml(data, element_id="upload.bpmn")
    assert time.perf_counter() - started < 2.0
    problem = caught.value.problems[0]
    assert problem.key == key
    assert problem.element_id == "upload.bpmn"
    assert problem.severity == "error"
    for lang in ("id", "en"):
        text = problem.message(lang)
        assert text and text != key and "{" not in text


def test_hostile_messages_are_bilingual() -> None:
    with pytest.raises(InvalidDiagram) as caught:
        parse_xml(HOSTILE["xxe_file"][0])
    assert "DOCTYPE" in caught.value.message("id")
    assert caught.value.message("id") != caught.value.message("en")


def _utf16(text: str) -> bytes:
    return codecs.BOM_UTF16_LE + text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le")


ORDINARY: dict[str, bytes] = {
    "camunda_modeler_file": (FIXTURES / "camunda_review.bpmn").read_bytes(),
    "spiff_file": (FIXTURES / "spiff_disposisi.bpmn").read_bytes(),
    "minimal": MINIMAL.encode(),
    "utf8_bom": codecs.BOM_UTF8 + MINIMAL.encode(),
    "utf16_with_bom": _utf16(MINIMAL),
    "no_declaration": MINIMAL.split("\n", 1)[1].encode(),
    "predefined_and_character_entities": MINIMAL.replace(
        '<bpmn:startEvent id="s"/>',
        '<bpmn:startEvent id="s" name="Surat &amp; nota &#233; &lt;baru&gt;"/>',
    ).encode(),
    "cdata_script_and_comments": MINIMAL.replace(
        '<bpmn:startEvent id="s"/>',
        "<!-- a comment --><bpmn:scriptTask id='t'><bpmn:script><![CDATA[x = 1 if a < b else 2]]></bpmn:script>"
        "</bpmn:scriptTask><?lontar note?>",
    ).encode(),
    "moderately_deep": _definitions("<a>" * 200 + "</a>" * 200).encode(),
}


@pytest.mark.parametrize("name", sorted(ORDINARY))
def test_ordinary_files_are_accepted(name: str) -> None:
    tree = parse_xml(ORDINARY[name])
    assert tree.getroot().tag == f"{{{BPMN_NS}}}definitions"


def test_entities_are_never_expanded_even_if_a_doctype_slipped_through() -> None:
    """Defence in depth: the lxml parser itself resolves nothing (checked on a parser-level file)."""
    data = b'<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><d>&xxe;</d>'
    root = etree.fromstring(data, parser=_parser())
    assert "root:" not in (etree.tostring(root, encoding="unicode"))
