"""Draw a BPMN diagram from its own layout (BPMN DI) as inline SVG, on the server.

The instance page shows where a letter is in its route, and the designer shows lint problems
on the elements; both must work on a phone, without a JavaScript modeler, and from untrusted
uploads.  So the layout the modeler saved (dc:Bounds, di:waypoint, label bounds) is turned into
SVG here, with every number parsed and every text escaped, and marks become classes.

Files differ in prefixes (bpmn:, bpmn2:, semantic:, default namespace) and in how exporters
reference elements, so everything is matched by namespace URI, and a few known exporter quirks
(Bonita's pool-relative ids, subprocesses without isExpanded) are tolerated.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from lxml import etree

from engine import messages
from engine.xml_intake import parse_xml
from webapp.diagram_shapes import (
    DATA_OBJECTS,
    EVENTS,
    GATEWAYS,
    SUBPROCESSES,
    TASKS,
    Bounds,
    Ctx,
    Edge,
    Node,
    draw_edge,
    draw_node,
    marker_defs,
    type_name,
)
from webapp.diagram_text import esc, num

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"

_SHAPE = f"{{{BPMNDI}}}BPMNShape"
_EDGE = f"{{{BPMNDI}}}BPMNEdge"
_LABEL = f"{{{BPMNDI}}}BPMNLabel"
_BOUNDS = f"{{{DC}}}Bounds"
_WAYPOINT = f"{{{DI}}}waypoint"
_MARGIN = 14.0
_MAX_COORD = 1e6  # beyond this a file is broken or hostile, not a diagram

_TYPE_NAMES: dict[str, tuple[str, str]] = {
    "task": ("Tugas", "Task"),
    "userTask": ("Tugas pengguna", "User task"),
    "scriptTask": ("Tugas skrip", "Script task"),
    "serviceTask": ("Tugas layanan", "Service task"),
    "sendTask": ("Tugas kirim", "Send task"),
    "receiveTask": ("Tugas terima", "Receive task"),
    "businessRuleTask": ("Tugas aturan bisnis", "Business rule task"),
    "manualTask": ("Tugas manual", "Manual task"),
    "callActivity": ("Panggilan proses", "Call activity"),
    "subProcess": ("Subproses", "Sub-process"),
    "transaction": ("Transaksi", "Transaction"),
    "adHocSubProcess": ("Subproses ad-hoc", "Ad-hoc sub-process"),
    "startEvent": ("Peristiwa awal", "Start event"),
    "endEvent": ("Peristiwa akhir", "End event"),
    "intermediateCatchEvent": ("Peristiwa antara (menunggu)", "Intermediate catch event"),
    "intermediateThrowEvent": ("Peristiwa antara (memicu)", "Intermediate throw event"),
    "implicitThrowEvent": ("Peristiwa antara (memicu)", "Intermediate throw event"),
    "boundaryEvent": ("Peristiwa tepi", "Boundary event"),
    "exclusiveGateway": ("Gerbang eksklusif", "Exclusive gateway"),
    "parallelGateway": ("Gerbang paralel", "Parallel gateway"),
    "inclusiveGateway": ("Gerbang inklusif", "Inclusive gateway"),
    "eventBasedGateway": ("Gerbang berbasis peristiwa", "Event-based gateway"),
    "complexGateway": ("Gerbang kompleks", "Complex gateway"),
    "gateway": ("Gerbang", "Gateway"),
    "sequenceFlow": ("Alur", "Sequence flow"),
    "messageFlow": ("Alur pesan", "Message flow"),
    "association": ("Asosiasi", "Association"),
    "dataInputAssociation": ("Asosiasi data", "Data association"),
    "dataOutputAssociation": ("Asosiasi data", "Data association"),
    "conversationLink": ("Tautan percakapan", "Conversation link"),
    "dataObjectReference": ("Objek data", "Data object"),
    "dataObject": ("Objek data", "Data object"),
    "dataInput": ("Masukan data", "Data input"),
    "dataOutput": ("Keluaran data", "Data output"),
    "dataStoreReference": ("Penyimpanan data", "Data store"),
    "dataStore": ("Penyimpanan data", "Data store"),
    "participant": ("Kolam (peserta)", "Pool"),
    "process": ("Kolam (proses)", "Pool"),
    "lane": ("Lajur", "Lane"),
    "textAnnotation": ("Catatan", "Text annotation"),
    "group": ("Grup", "Group"),
    "other": ("Elemen", "Element"),
}
messages.register({f"diagram.type.{k}": v for k, v in _TYPE_NAMES.items()})
messages.register(
    {
        "diagram.state.done": ("Selesai", "Done"),
        "diagram.state.current": ("Sedang menunggu", "Waiting now"),
        "diagram.state.failed": ("Gagal", "Failed"),
        "diagram.aria": ("Diagram proses {name}", "Process diagram {name}"),
        "diagram.aria_unnamed": ("Diagram proses", "Process diagram"),
        "diagram.aria_current": ("Sedang menunggu: {names}", "Waiting now: {names}"),
        "diagram.inner_problem": ("{name}: {message}", "{name}: {message}"),
    }
)

_TRIGGERS = {
    "messageEventDefinition": "message",
    "timerEventDefinition": "timer",
    "errorEventDefinition": "error",
    "signalEventDefinition": "signal",
    "escalationEventDefinition": "escalation",
    "conditionalEventDefinition": "conditional",
    "compensateEventDefinition": "compensate",
    "cancelEventDefinition": "cancel",
    "terminateEventDefinition": "terminate",
    "linkEventDefinition": "link",
}


@dataclass(frozen=True)
class DiagramMarks:
    """What to highlight: element ids from the engine's task states and from the linter."""

    done: frozenset[str] = frozenset()
    current: frozenset[str] = frozenset()
    problems: Mapping[str, str] = field(default_factory=dict)
    failed: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Callers naturally hold sets and dicts; freeze them so a render cannot see them change.
        for name in ("done", "current", "failed"):
            value = getattr(self, name)
            if not isinstance(value, frozenset):
                object.__setattr__(self, name, frozenset(value))
        object.__setattr__(self, "problems", MappingProxyType(dict(self.problems)))


_NO_MARKS = DiagramMarks()


def _local(el: etree._Element) -> str:
    return el.tag.rpartition("}")[2] if el.tag.startswith(f"{{{BPMN}}}") else ""


def _index(root: etree._Element) -> dict[str, etree._Element]:
    index: dict[str, etree._Element] = {}
    for el in root.iter(f"{{{BPMN}}}*"):
        ident = el.get("id")
        if ident and ident not in index:
            index[ident] = el
    return index


def _has_content(plane: etree._Element) -> bool:
    return next(plane.iterchildren(_SHAPE, _EDGE), None) is not None


def _pick_plane(
    planes: list[etree._Element], root: etree._Element, index: dict[str, etree._Element], process_id: str | None
) -> etree._Element:
    """The plane that shows `process_id`: its collaboration's, its own, else the main one."""
    filled = [p for p in planes if _has_content(p)] or planes
    if process_id:
        wanted: list[str] = []
        for part in root.iter(f"{{{BPMN}}}participant"):
            parent = part.getparent()
            if part.get("processRef") == process_id and parent is not None and parent.get("id"):
                wanted.append(parent.get("id", ""))
        wanted.append(process_id)
        for ident in wanted:
            for plane in filled:
                if plane.get("bpmnElement") == ident:
                    return plane
    for plane in filled:
        target = index.get(plane.get("bpmnElement", ""))
        # Drill-down planes of collapsed subprocesses come after the main one; skip them.
        if target is None or _local(target) in ("process", "collaboration"):
            return plane
    return filled[0]


def _bounds(el: etree._Element | None) -> Bounds | None:
    if el is None:
        return None
    try:
        values = tuple(float(el.get(a, "")) for a in ("x", "y", "width", "height"))
    except ValueError:
        return None
    if not all(math.isfinite(v) and abs(v) < _MAX_COORD for v in values) or values[2] < 0 or values[3] < 0:
        return None
    return values  # type: ignore[return-value]


def _label_bounds(di_el: etree._Element) -> Bounds | None:
    label = di_el.find(_LABEL)
    return _bounds(label.find(_BOUNDS)) if label is not None else None


def _name(el: etree._Element | None, kind: str, index: dict[str, etree._Element]) -> str:
    if el is None:
        return ""
    if kind == "textAnnotation":
        text = el.find(f"{{{BPMN}}}text")
        return "".join(text.itertext()) if text is not None else ""
    if kind == "group":
        value = index.get(el.get("categoryValueRef", ""))
        return (value.get("value") or "") if value is not None else (el.get("name") or "")
    name = el.get("name") or ""
    if not name:
        ref = el.get("processRef") or el.get("dataObjectRef") or el.get("dataStoreRef")
        target = index.get(ref) if ref else None
        name = (target.get("name") or "") if target is not None else ""
    state = el.find(f"{{{BPMN}}}dataState")
    if state is not None and state.get("name"):
        name = f"{name} [{state.get('name')}]".strip()
    return name


def _triggers(el: etree._Element, index: dict[str, etree._Element]) -> tuple[str, ...]:
    found = []
    for child in el.iterchildren(f"{{{BPMN}}}*"):
        local = _local(child)
        if local == "eventDefinitionRef":
            target = index.get((child.text or "").strip())
            local = _local(target) if target is not None else ""
        if local.endswith("EventDefinition"):
            found.append(_TRIGGERS.get(local, "multiple"))
    return tuple(found)


def _markers(el: etree._Element, kind: str, expanded: bool, index: dict[str, etree._Element]) -> tuple[str, ...]:
    found = []
    if kind == "callActivity" or (kind in SUBPROCESSES and not expanded):
        found.append("subprocess")
    mi = el.find(f"{{{BPMN}}}multiInstanceLoopCharacteristics")
    if mi is not None:
        found.append("sequential" if mi.get("isSequential") == "true" else "parallel")
    elif el.find(f"{{{BPMN}}}standardLoopCharacteristics") is not None:
        found.append("loop")
    if kind == "adHocSubProcess":
        found.append("adhoc")
    if el.get("isForCompensation") == "true":
        found.append("compensation")
    if kind in DATA_OBJECTS:
        target = index.get(el.get("dataObjectRef", ""))
        if el.get("isCollection") == "true" or (target is not None and target.get("isCollection") == "true"):
            found.append("parallel")
    return tuple(found)


def _resolve(
    ref: str, prefix: str, index: dict[str, etree._Element], is_pool: bool
) -> tuple[str, etree._Element | None]:
    bare = index.get(ref)
    if prefix and not (is_pool and bare is not None and _local(bare) in ("process", "participant")):
        # Bonita writes bpmnElement relative to its pool: "Start1" for "Approvals.Start1", and
        # the bare name may be another process's id, so the pool-relative id is tried first.
        el = index.get(f"{prefix}.{ref}")
        if el is not None:
            return f"{prefix}.{ref}", el
    return ref, bare


def _read_plane(plane: etree._Element, index: dict[str, etree._Element]) -> tuple[list[Node], list[Edge]]:
    raw: list[tuple[etree._Element, str, etree._Element | None, str, Bounds | None]] = []
    prefix = ""
    for di_el in plane.iterchildren(_SHAPE, _EDGE):
        ref, el = _resolve(di_el.get("bpmnElement", ""), prefix, index, di_el.get("isHorizontal") is not None)
        kind = _local(el) if el is not None else ""
        if kind == "process":
            prefix = ref
        elif kind == "participant":
            prefix = el.get("processRef", "") if el is not None else ""
        bounds = _bounds(di_el.find(_BOUNDS)) if di_el.tag == _SHAPE else None
        raw.append((di_el, ref, el, kind, bounds))
    shown = {ref for _, ref, _, _, _ in raw}

    nodes: list[Node] = []
    edges: list[Edge] = []
    for di_el, ref, el, kind, bounds in raw:
        if di_el.tag == _EDGE:
            edges.append(_read_edge(di_el, ref, el, kind, index))
            continue
        if bounds is None:
            continue
        node = Node(ref, kind, el, *bounds, label=_label_bounds(di_el), name=_name(el, kind, index))
        node.horizontal = di_el.get("isHorizontal") != "false"
        if el is not None:
            if kind in SUBPROCESSES:
                flag = di_el.get("isExpanded")
                node.expanded = flag == "true" or (
                    flag is None and any(c.get("id") in shown for c in el.iterchildren(f"{{{BPMN}}}*"))
                )
                node.event_sub = el.get("triggeredByEvent") == "true"
            if kind in EVENTS:
                node.triggers = _triggers(el, index)
            node.markers = _markers(el, kind, node.expanded, index)
        nodes.append(node)
    return nodes, edges


def _read_edge(
    di_el: etree._Element, ref: str, el: etree._Element | None, kind: str, index: dict[str, etree._Element]
) -> Edge:
    points = []
    for wp in di_el.iterchildren(_WAYPOINT):
        try:
            x, y = float(wp.get("x", "")), float(wp.get("y", ""))
        except ValueError:
            continue
        if math.isfinite(x) and math.isfinite(y) and abs(x) < _MAX_COORD and abs(y) < _MAX_COORD:
            points.append((x, y))
    edge = Edge(ref, kind, el, points, label=_label_bounds(di_el), name=_name(el, kind, index))
    if el is None:
        return edge
    if kind == "sequenceFlow":
        source = index.get(el.get("sourceRef", ""))
        source_kind = _local(source) if source is not None else ""
        activity = source_kind in TASKS or source_kind in SUBPROCESSES
        if source is not None and source.get("default") == ref and (activity or source_kind in GATEWAYS):
            edge.start = "default"
        elif activity and el.find(f"{{{BPMN}}}conditionExpression") is not None:
            edge.start = "conditional"
    elif kind == "association":
        edge.directed = el.get("associationDirection") in ("One", "Both")
    return edge


def _layer(node: Node) -> tuple[int, int]:
    """Paint order: pools, lanes, expanded subprocesses (outer first), nodes, boundary events."""
    kind = node.kind
    if kind in ("participant", "process"):
        return (0, 0)
    if kind == "lane":
        return (1, 0)
    if kind in SUBPROCESSES and node.expanded and node.el is not None:
        depth = sum(1 for a in node.el.iterancestors(f"{{{BPMN}}}*") if _local(a) in SUBPROCESSES)
        return (2, depth)
    if kind == "boundaryEvent":
        return (4, 0)
    if kind == "group":
        return (6, 0)
    return (3, 0)


def _lift(
    marks: DiagramMarks, drawn: set[str], index: dict[str, etree._Element], lang: str
) -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    """Marks on elements not drawn here (inside a collapsed subprocess) go to the drawn parent."""

    def parent_of(ident: str) -> str | None:
        el = index.get(ident)
        if el is None or ident in drawn:
            return None
        for anc in el.iterancestors(f"{{{BPMN}}}*"):
            aid = anc.get("id")
            if aid in drawn and _local(anc) in SUBPROCESSES:
                return aid
        return None

    def lift(ids: Iterable[str]) -> frozenset[str]:
        extra = {p for p in map(parent_of, ids) if p}
        return frozenset(ids) | extra

    problems = dict(marks.problems)
    for ident, message in marks.problems.items():
        parent = parent_of(ident)
        if parent:
            el = index[ident]
            name = el.get("name") or ident
            line = messages.text("diagram.inner_problem", lang, name=name, message=message)
            problems[parent] = f"{problems[parent]}\n{line}" if parent in problems else line
    return lift(marks.current), lift(marks.failed), problems


def render_diagram(
    xml: bytes, marks: DiagramMarks = _NO_MARKS, *, process_id: str | None = None, lang: str = "id"
) -> str | None:
    """Inline SVG of the diagram's own layout with marks as classes; None when it has no layout.

    Raises engine.errors.InvalidDiagram (from xml_intake) for XML that is malformed, too large
    or carries a DOCTYPE.
    """
    root = parse_xml(xml).getroot()
    planes = list(root.iter(f"{{{BPMNDI}}}BPMNPlane"))
    if not planes:
        return None
    index = _index(root)
    plane = _pick_plane(planes, root, index, process_id)
    nodes, edges = _read_plane(plane, index)
    if not nodes and not any(len(e.points) >= 2 for e in edges):
        return None

    drawn = {n.ref for n in nodes} | {e.ref for e in edges}
    current, failed, problems = _lift(marks, drawn, index, lang)
    digest = hashlib.blake2b(xml + (process_id or "").encode(), digest_size=4).hexdigest()
    ctx = Ctx(marks.done, current, failed, problems, lang, f"bpmn{digest}")

    ordered = sorted(nodes, key=_layer)
    body = [draw_node(n, ctx) for n in ordered if _layer(n)[0] < 6]
    body.extend(draw_edge(e, ctx) for e in edges)
    body.extend(draw_node(n, ctx) for n in ordered if _layer(n)[0] >= 6)

    x0, y0, x1, y1 = ctx.extent
    if not math.isfinite(x0):
        return None
    view = f"{num(x0 - _MARGIN)} {num(y0 - _MARGIN)} {num(x1 - x0 + 2 * _MARGIN)} {num(y1 - y0 + 2 * _MARGIN)}"
    label = _aria_label(plane, index, process_id, nodes, current, lang)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bpmn-diagram" viewBox="{view}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" aria-label="{esc(label)}" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif" font-size="12">'
        + marker_defs(ctx.prefix)
        + "".join(body)
        + "</svg>"
    )


def _aria_label(
    plane: etree._Element,
    index: dict[str, etree._Element],
    process_id: str | None,
    nodes: list[Node],
    current: frozenset[str],
    lang: str,
) -> str:
    """The diagram's name and where the letter waits now: role=img hides the inner titles."""
    target = index.get(process_id or "") if process_id else None
    if target is None:
        target = index.get(plane.get("bpmnElement", ""))
    name = (target.get("name") or "").strip() if target is not None else ""
    if not name and target is not None and _local(target) == "collaboration":
        name = ", ".join(n.name.strip() for n in nodes if n.kind in ("participant", "process") and n.name.strip())
    text = messages.text("diagram.aria", lang, name=name) if name else messages.text("diagram.aria_unnamed", lang)
    waiting = [n.name.strip() or type_name(n.kind, lang) for n in nodes if n.ref in current]
    if waiting:
        text += ". " + messages.text("diagram.aria_current", lang, names=", ".join(waiting))
    return text
