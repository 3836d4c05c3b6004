"""Server-side BPMN diagram rendering (webapp.diagram): real corpus files and hostile input."""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

import pytest
from lxml import etree

from engine.errors import InvalidDiagram
from tests.conftest import IN_CI
from webapp.diagram import DiagramMarks, render_diagram

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "spiffworkflow-tests"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir() and not IN_CI, reason=f"BPMN corpus not found at {CORPUS} (../shared/corpus next to the repo)"
)
SVG_NS = "http://www.w3.org/2000/svg"
NS = {"s": SVG_NS}
BPMN_FILES = sorted(CORPUS.rglob("*.bpmn")) if CORPUS.is_dir() else []

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="defs">'
)


def corpus(rel: str) -> bytes:
    return (CORPUS / rel).read_bytes()


def parse_svg(svg: str) -> etree._Element:
    root = etree.fromstring(svg.encode())
    assert root.tag == f"{{{SVG_NS}}}svg"
    return root


def groups(root: etree._Element) -> dict[str, list[etree._Element]]:
    found: dict[str, list[etree._Element]] = {}
    for g in root.iterfind(".//s:g[@data-element-id]", NS):
        found.setdefault(g.get("data-element-id"), []).append(g)
    return found


def classes(el: etree._Element) -> set[str]:
    return set(el.get("class", "").split())


def assert_safe(root: etree._Element) -> None:
    """No active content and no links, whatever the source file said."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        assert local not in ("script", "foreignObject", "a", "image", "iframe", "use"), local
        for name, value in el.attrib.items():
            assert not etree.QName(name).localname.lower().startswith("on"), name
            assert "href" not in name, name
            assert "javascript:" not in value.lower()


def shape_refs(xml: bytes) -> list[str]:
    tree = etree.fromstring(xml)
    return [
        s.get("bpmnElement")
        for s in tree.iter("{http://www.omg.org/spec/BPMN/20100524/DI}BPMNShape")
        if s.find("{http://www.omg.org/spec/DD/20100524/DC}Bounds") is not None
    ]


# --- the whole corpus -------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize("path", BPMN_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_file_renders(path: Path) -> None:
    svg = render_diagram(path.read_bytes(), DiagramMarks(current={"StartEvent_1"}, problems={"x": "y"}))
    if svg is None:
        return
    root = parse_svg(svg)
    assert root.get("width") == "100%"
    assert root.get("preserveAspectRatio") == "xMinYMin meet"
    assert root.get("role") == "img" and root.get("aria-label")
    x, y, w, h = (float(v) for v in root.get("viewBox").split())
    assert w > 0 and h > 0
    assert_safe(root)
    # every url(#...) points at a marker defined in this SVG
    defined = {m.get("id") for m in root.iterfind(".//s:marker", NS)}
    used = set(re.findall(r"url\(#([^)]+)\)", svg))
    assert used <= defined
    assert groups(root), "a diagram with DI draws at least one element"


@needs_corpus
def test_corpus_has_files() -> None:
    assert len(BPMN_FILES) > 50


# --- one diagram with lanes and gateways, in detail --------------------------------------

LANES = "bpmn/data/lanes.bpmn"


@needs_corpus
def test_lanes_diagram_has_a_group_per_shape_with_its_kind() -> None:
    xml = corpus(LANES)
    root = parse_svg(render_diagram(xml))
    found = groups(root)
    for ref in shape_refs(xml):
        assert len(found.get(ref, [])) == 1, ref
    assert "bpmn-pool" in classes(found["lanes_"][0])
    for lane in ("A_id", "B_id", "Lane_03noz08"):
        assert {"bpmn-el", "bpmn-lane"} <= classes(found[lane][0])
    assert {"bpmn-gateway", "bpmn-exclusive-gateway"} <= classes(found["Gateway_askQuestion"][0])
    assert {"bpmn-task", "bpmn-user-task"} <= classes(found["Activity_A1"][0])
    assert "bpmn-manual-task" in classes(found["Implement_Feature"][0])
    assert {"bpmn-event", "bpmn-start-event"} <= classes(found["StartEvent_1"][0])
    assert "bpmn-end-event" in classes(found["Event_07pakcl"][0])
    # the subprocess is drawn expanded, with its own children on top
    assert {"bpmn-subprocess", "is-expanded"} <= classes(found["Activity_0i0rxuw"][0])
    assert "SubProcessTask" in found
    # flows: a polyline with an arrowhead; the gateway's default flow has the slash
    flow = found["Flow_0jwejm5"][0]
    assert "bpmn-sequence-flow" in classes(flow)
    line = flow.find("s:polyline", NS)
    assert line is not None and len(line.get("points").split()) == 2
    assert "-arrow)" in line.get("marker-end")
    default = found["Flow_182bqvo"][0].find("s:polyline", NS)
    assert "-default)" in default.get("marker-start")
    assert "".join(found["Flow_182bqvo"][0].find("s:text", NS).itertext()) == "No"
    # names: inside tasks, below gateways, with a hover title
    task = found["Activity_A1"][0]
    assert task[0].tag == f"{{{SVG_NS}}}title" and task[0].text.startswith("Request Feature")
    assert "".join(task.find("s:text", NS).itertext()).replace(" ", "") == "RequestFeature"
    gateway_text = found["Gateway_askQuestion"][0].find("s:text", NS)
    assert float(gateway_text.find("s:tspan", NS).get("y")) > 250  # below the diamond (y 225..275)
    # rotated lane name in the left band
    assert "rotate(-90" in found["A_id"][0].find("s:text", NS).get("transform")


@needs_corpus
def test_marks_become_classes_titles_and_badges() -> None:
    marks = DiagramMarks(
        done={"StartEvent_1", "Flow_0jwejm5", "Activity_A1", "Flow_140vffb"},
        current={"Activity_B1"},
        failed={"Activity_A2"},
        problems={"Gateway_askQuestion": "Gerbang tanpa alur bawaan"},
    )
    svg = render_diagram(corpus(LANES), marks)
    root = parse_svg(svg)
    found = groups(root)
    assert "is-done" in classes(found["Activity_A1"][0])
    assert "is-done" in classes(found["Flow_0jwejm5"][0])
    assert "is-current" in classes(found["Activity_B1"][0])
    assert "is-failed" in classes(found["Activity_A2"][0])
    gateway = found["Gateway_askQuestion"][0]
    assert "has-problem" in classes(gateway)
    assert "Gerbang tanpa alur bawaan" in gateway.find("s:title", NS).text
    assert gateway.find("s:rect[@class='bpmn-problem-outline']", NS) is not None
    assert found["Activity_B1"][0].find(".//s:g[@class='bpmn-badge bpmn-badge-current']", NS) is not None
    assert "Sedang menunggu" in found["Activity_B1"][0].find("s:title", NS).text
    # unmarked elements carry none of the mark classes
    assert not classes(found["Implement_Feature"][0]) & {"is-done", "is-current", "is-failed", "has-problem"}
    # the marked shape itself is coloured even without the stylesheet
    assert found["Activity_B1"][0].find("s:rect[@class='bpmn-shape']", NS).get("stroke") == "#c26a00"
    # done flows use the green arrowhead
    assert "-arrow-done)" in found["Flow_0jwejm5"][0].find("s:polyline", NS).get("marker-end")
    # the selector browser tests use
    assert root.xpath('//s:g[@data-element-id="Activity_B1"][contains(@class, "is-current")]', namespaces=NS)
    assert "Clarifying Questions?" in root.get("aria-label")


@needs_corpus
def test_problem_on_the_process_shows_on_its_pool() -> None:
    root = parse_svg(render_diagram(corpus(LANES), DiagramMarks(problems={"lanes": "Proses tanpa nama"})))
    pool = groups(root)["lanes_"][0]
    assert "has-problem" in classes(pool)
    assert pool.find("s:title", NS).text.endswith("Proses tanpa nama")


@needs_corpus
def test_english_titles() -> None:
    root = parse_svg(render_diagram(corpus(LANES), DiagramMarks(done={"StartEvent_1"}), lang="en"))
    title = groups(root)["StartEvent_1"][0].find("s:title", NS).text
    assert title == "Start event\nDone"
    assert root.get("aria-label") == "Process diagram Add BPMN Feature"


# --- other shapes from the corpus ---------------------------------------------------------


@needs_corpus
def test_events_gateways_and_markers() -> None:
    found = groups(parse_svg(render_diagram(corpus("bpmn/data/transaction.bpmn"))))
    kinds = {ref: classes(gs[0]) for ref, gs in found.items()}
    assert any({"bpmn-boundary-event", "bpmn-trigger-error"} <= c for c in kinds.values())
    assert any({"bpmn-end-event", "bpmn-trigger-cancel"} <= c for c in kinds.values())
    assert any("bpmn-transaction" in c for c in kinds.values())
    timer = groups(parse_svg(render_diagram(corpus("bpmn/data/timer.bpmn"))))
    assert any("bpmn-trigger-timer" in classes(g[0]) for g in timer.values())
    loop = parse_svg(render_diagram(corpus("bpmn/data/standard_loop.bpmn")))
    assert loop.find(".//s:g[@class='bpmn-marker']", NS) is not None


@needs_corpus
def test_message_flows_are_dashed_between_pools() -> None:
    root = parse_svg(render_diagram(corpus("bpmn/data/collaboration.bpmn")))
    flows = [g for gs in groups(root).values() for g in gs if "bpmn-message-flow" in classes(g)]
    assert flows
    for g in flows:
        line = g.find("s:polyline", NS)
        assert line.get("stroke-dasharray") and "-msg-end)" in line.get("marker-end")


@needs_corpus
def test_collapsed_subprocess_gets_plus_and_inner_marks() -> None:
    xml = corpus("bpmn/data/nested_call_activity.bpmn")  # second plane drills into Activity_1tglo3a
    marks = DiagramMarks(current={"Activity_00etcsd"}, problems={"Event_003dbci": "tanpa nama"})
    root = parse_svg(render_diagram(xml, marks))
    found = groups(root)
    collapsed = found["Activity_1tglo3a"][0]
    assert "is-expanded" not in classes(collapsed)
    assert collapsed.find("s:g[@class='bpmn-marker']", NS) is not None
    assert "Activity_00etcsd" not in found  # it lives on the drill-down plane
    assert {"is-current", "has-problem"} <= classes(collapsed)
    assert "tanpa nama" in collapsed.find("s:title", NS).text
    assert "is-expanded" in classes(found["Activity_0jqrbg8"][0])


@needs_corpus
def test_default_namespace_file() -> None:
    xml = corpus("bpmn/data/io_spec.bpmn")
    found = groups(parse_svg(render_diagram(xml)))
    assert set(shape_refs(xml)) <= set(found)


@needs_corpus
def test_bonita_pool_relative_references() -> None:
    found = groups(parse_svg(render_diagram(corpus("bpmn/data/Approvals.bpmn"))))
    assert "bpmn-start-event" in classes(found["Approvals.Start1"][0])
    assert "bpmn-call-activity" in classes(found["Approvals.First_Approval_Wins"][0])
    assert "bpmn-pool" in classes(found["First_Approval_Wins"][0])
    assert "bpmn-lane" in classes(found["First_Approval_Wins.Supervisor"][0])


# --- no layout ----------------------------------------------------------------------------


@needs_corpus
def test_file_without_di_returns_none() -> None:
    tree = etree.fromstring(corpus(LANES))
    for diagram in tree.findall("{http://www.omg.org/spec/BPMN/20100524/DI}BPMNDiagram"):
        tree.remove(diagram)
    assert render_diagram(etree.tostring(tree)) is None


def test_inline_file_without_di_returns_none() -> None:
    xml = HEAD + '<bpmn:process id="p"><bpmn:startEvent id="s"/></bpmn:process></bpmn:definitions>'
    assert render_diagram(xml.encode()) is None
    empty_plane = xml.replace(
        "</bpmn:definitions>",
        '<bpmndi:BPMNDiagram><bpmndi:BPMNPlane bpmnElement="p"/></bpmndi:BPMNDiagram></bpmn:definitions>',
    )
    assert render_diagram(empty_plane.encode()) is None


# --- hostile and odd input ----------------------------------------------------------------

HOSTILE = (
    HEAD + '<bpmn:process id="p" name="&lt;script&gt;alert(1)&lt;/script&gt;">'
    '<bpmn:userTask id="t&quot; onload=&quot;alert(1)" name="&lt;script&gt;alert(1)&lt;/script&gt;"/>'
    '<bpmn:startEvent id="s" name="&quot;onload=alert(2) x=&quot;"/>'
    '<bpmn:sequenceFlow id="f" name="&lt;/text&gt;&lt;a href=&quot;javascript:x&quot;&gt;" sourceRef="s" '
    'targetRef="t&quot; onload=&quot;alert(1)"/>'
    "<bpmn:textAnnotation id=\"a\"><bpmn:text><![CDATA[<foreignObject><iframe src='x'/>]]></bpmn:text>"
    "</bpmn:textAnnotation></bpmn:process>"
    '<bpmndi:BPMNDiagram><bpmndi:BPMNPlane bpmnElement="p" onload="alert(3)">'
    '<bpmndi:BPMNShape bpmnElement="t&quot; onload=&quot;alert(1)" style="fill:url(javascript:x)">'
    '<dc:Bounds x="100" y="0" width="100" height="80"/></bpmndi:BPMNShape>'
    '<bpmndi:BPMNShape bpmnElement="s"><dc:Bounds x="0" y="22" width="36" height="36"/></bpmndi:BPMNShape>'
    '<bpmndi:BPMNShape bpmnElement="a"><dc:Bounds x="250" y="0" width="120" height="60"/></bpmndi:BPMNShape>'
    '<bpmndi:BPMNShape bpmnElement="nan"><dc:Bounds x="NaN" y="inf" width="1e400" height="-5"/>'
    "</bpmndi:BPMNShape>"
    '<bpmndi:BPMNEdge bpmnElement="f"><di:waypoint x="36" y="40"/><di:waypoint x="100" y="40"/>'
    '<di:waypoint x="abc" y="1"/></bpmndi:BPMNEdge>'
    "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>"
)


def test_untrusted_names_and_ids_are_escaped() -> None:
    svg = render_diagram(HOSTILE.encode(), DiagramMarks(problems={"s": "<b>bad</b>"}))
    assert "<script" not in svg and "<foreignObject" not in svg and "<iframe" not in svg and "<a " not in svg
    assert '"onload=' not in svg and '" onload=' not in svg and "javascript" not in svg.split("<title>")[0]
    assert re.findall(r'style="([^"]*)"', svg) == [re.search(r'style="(max-width:[\d.]+px)"', svg).group(1)]
    root = parse_svg(svg)
    assert_safe(root)
    found = groups(root)
    task = found['t" onload="alert(1)'][0]  # the id survives as data, intact
    assert "".join(task.find("s:text", NS).itertext()).replace(" ", "") == "<script>alert(1)</script>"
    start = found["s"][0]
    assert start.find("s:title", NS).text.endswith("<b>bad</b>")
    assert "".join(start.find("s:text", NS).itertext()).startswith('"onload=alert(2)')
    assert "<foreignObject>" in "".join(found["a"][0].find("s:text", NS).itertext()).replace(" ", "")
    assert "nan" not in found  # unparseable bounds are skipped, not drawn at infinity
    assert len(found["f"][0].find("s:polyline", NS).get("points").split()) == 2
    x, y, w, h = (float(v) for v in root.get("viewBox").split())
    assert w < 1000 and h < 1000


def test_doctype_and_entities_are_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol2;</bpmn:definitions>'
    )
    with pytest.raises(InvalidDiagram):
        render_diagram(bomb.encode())
    xxe = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
    with pytest.raises(InvalidDiagram):
        render_diagram(xxe.encode())
    with pytest.raises(InvalidDiagram):
        render_diagram(b"<not xml")


# --- plane choice, prefixes ---------------------------------------------------------------


def _two_planes() -> bytes:
    return (
        HEAD.replace("bpmn:", "semantic:").replace("xmlns:bpmn=", "xmlns:semantic=")
        + '<semantic:collaboration id="c"><semantic:participant id="pp" processRef="p2" name="Two"/>'
        "</semantic:collaboration>"
        '<semantic:process id="p1"><semantic:task id="t1" name="one"/></semantic:process>'
        '<semantic:process id="p2"><semantic:task id="t2" name="two"/></semantic:process>'
        '<bpmndi:BPMNDiagram><bpmndi:BPMNPlane bpmnElement="p1">'
        '<bpmndi:BPMNShape bpmnElement="t1"><dc:Bounds x="0" y="0" width="100" height="80"/></bpmndi:BPMNShape>'
        "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"
        '<bpmndi:BPMNDiagram><bpmndi:BPMNPlane bpmnElement="c">'
        '<bpmndi:BPMNShape bpmnElement="pp" isHorizontal="true"><dc:Bounds x="0" y="0" width="400" height="200"/>'
        "</bpmndi:BPMNShape>"
        '<bpmndi:BPMNShape bpmnElement="t2"><dc:Bounds x="100" y="50" width="100" height="80"/></bpmndi:BPMNShape>'
        "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></semantic:definitions>"
    ).encode()


def test_plane_is_chosen_by_process() -> None:
    xml = _two_planes()
    assert set(groups(parse_svg(render_diagram(xml)))) == {"t1"}
    assert set(groups(parse_svg(render_diagram(xml, process_id="p1")))) == {"t1"}
    assert set(groups(parse_svg(render_diagram(xml, process_id="p2")))) == {"pp", "t2"}
    assert set(groups(parse_svg(render_diagram(xml, process_id="unknown")))) == {"t1"}


def test_marks_accept_plain_sets_and_are_frozen() -> None:
    marks = DiagramMarks(done={"a"}, current=["b"], problems={"c": "m"})
    assert marks.done == frozenset({"a"}) and marks.current == frozenset({"b"})
    with pytest.raises(AttributeError):
        marks.done = frozenset()  # type: ignore[misc]
    with pytest.raises(TypeError):
        marks.problems["d"] = "x"  # type: ignore[index]


# --- speed --------------------------------------------------------------------------------


def _big_diagram(n: int = 150) -> bytes:
    kinds = ["userTask", "scriptTask", "exclusiveGateway", "intermediateCatchEvent", "serviceTask"]
    sem, di = [], []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        body = "<bpmn:timerEventDefinition/>" if kind == "intermediateCatchEvent" else ""
        sem.append(
            f'<bpmn:{kind} id="n{i}" name="Periksa dan paraf surat masuk nomor {i}">{body}</bpmn:{kind}>'
        )
        x, y = (i % 15) * 160, (i // 15) * 140
        w, h = (100, 80) if "Task" in kind else (50, 50) if "Gateway" in kind else (36, 36)
        di.append(
            f'<bpmndi:BPMNShape bpmnElement="n{i}"><dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}"/>'
            "</bpmndi:BPMNShape>"
        )
        if i:
            sem.append(f'<bpmn:sequenceFlow id="f{i}" name="lanjut" sourceRef="n{i - 1}" targetRef="n{i}"/>')
            di.append(
                f'<bpmndi:BPMNEdge bpmnElement="f{i}"><di:waypoint x="{x - 60}" y="{y + 40}"/>'
                f'<di:waypoint x="{x - 30}" y="{y + 40}"/><di:waypoint x="{x}" y="{y + 40}"/></bpmndi:BPMNEdge>'
            )
    return (
        HEAD + '<bpmn:process id="p">' + "".join(sem) + "</bpmn:process>"
        '<bpmndi:BPMNDiagram><bpmndi:BPMNPlane bpmnElement="p">' + "".join(di) + "</bpmndi:BPMNPlane>"
        "</bpmndi:BPMNDiagram></bpmn:definitions>"
    ).encode()


def test_three_hundred_elements_render_fast() -> None:
    xml = _big_diagram()
    marks = DiagramMarks(done={f"n{i}" for i in range(100)}, current={"n100"}, problems={"n7": "x"})
    svg = render_diagram(xml, marks)
    assert len(groups(parse_svg(svg))) == 299
    timings = []
    for _ in range(7):
        start = time.perf_counter()
        render_diagram(xml, marks)
        timings.append(time.perf_counter() - start)
    assert statistics.median(timings) < 0.05
