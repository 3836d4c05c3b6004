"""Read BPMN DI into drawable `Node` and `Edge` records, matching elements by namespace URI.

Exporters disagree on prefixes (bpmn:, bpmn2:, semantic:, none), on how a shape names its
element (Bonita writes ids relative to the pool), and on isExpanded, so this module absorbs
those differences and hands the drawing code clean numbers and kinds.
"""

from __future__ import annotations

import math

from lxml import etree

from webapp.diagram_model import DATA_OBJECTS, EVENTS, GATEWAYS, SUBPROCESSES, TASKS, Bounds, Edge, Node

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"

_SHAPE = f"{{{BPMNDI}}}BPMNShape"
_EDGE = f"{{{BPMNDI}}}BPMNEdge"
_LABEL = f"{{{BPMNDI}}}BPMNLabel"
_BOUNDS = f"{{{DC}}}Bounds"
_WAYPOINT = f"{{{DI}}}waypoint"
_MAX_COORD = 1e6  # beyond this a file is broken or hostile, not a diagram

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


def kind_of(el: etree._Element) -> str:
    return el.tag.rpartition("}")[2] if el.tag.startswith(f"{{{BPMN}}}") else ""


def build_index(root: etree._Element) -> dict[str, etree._Element]:
    index: dict[str, etree._Element] = {}
    for el in root.iter(f"{{{BPMN}}}*"):
        ident = el.get("id")
        if ident and ident not in index:
            index[ident] = el
    return index


def _has_content(plane: etree._Element) -> bool:
    return next(plane.iterchildren(_SHAPE, _EDGE), None) is not None


def pick_plane(
    planes: list[etree._Element],
    root: etree._Element,
    index: dict[str, etree._Element],
    process_id: str | None,
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
        if target is None or kind_of(target) in ("process", "collaboration"):
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
        local = kind_of(child)
        if local == "eventDefinitionRef":
            target = index.get((child.text or "").strip())
            local = kind_of(target) if target is not None else ""
        if local.endswith("EventDefinition"):
            found.append(_TRIGGERS.get(local, "multiple"))
    return tuple(found)


def _markers(
    el: etree._Element, kind: str, expanded: bool, index: dict[str, etree._Element]
) -> tuple[str, ...]:
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
    if prefix and not (is_pool and bare is not None and kind_of(bare) in ("process", "participant")):
        # Bonita writes bpmnElement relative to its pool: "Start1" for "Approvals.Start1", and
        # the bare name may be another process's id, so the pool-relative id is tried first.
        el = index.get(f"{prefix}.{ref}")
        if el is not None:
            return f"{prefix}.{ref}", el
    return ref, bare


def read_plane(plane: etree._Element, index: dict[str, etree._Element]) -> tuple[list[Node], list[Edge]]:
    raw: list[tuple[etree._Element, str, etree._Element | None, str, Bounds | None]] = []
    prefix = ""
    for di_el in plane.iterchildren(_SHAPE, _EDGE):
        ref, el = _resolve(di_el.get("bpmnElement", ""), prefix, index, di_el.get("isHorizontal") is not None)
        kind = kind_of(el) if el is not None else ""
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
        source_kind = kind_of(source) if source is not None else ""
        activity = source_kind in TASKS or source_kind in SUBPROCESSES
        if source is not None and source.get("default") == ref and (activity or source_kind in GATEWAYS):
            edge.start = "default"
        elif activity and el.find(f"{{{BPMN}}}conditionExpression") is not None:
            edge.start = "conditional"
    elif kind == "association":
        edge.directed = el.get("associationDirection") in ("One", "Both")
    return edge


def layer(node: Node) -> tuple[int, int]:
    """Paint order: pools, lanes, expanded subprocesses (outer first), nodes, boundary events."""
    kind = node.kind
    if kind in ("participant", "process"):
        return (0, 0)
    if kind == "lane":
        return (1, 0)
    if kind in SUBPROCESSES and node.expanded and node.el is not None:
        depth = sum(1 for a in node.el.iterancestors(f"{{{BPMN}}}*") if kind_of(a) in SUBPROCESSES)
        return (2, depth)
    if kind == "boundaryEvent":
        return (4, 0)
    if kind == "group":
        return (6, 0)
    return (3, 0)
