"""The graph checks SpiffWorkflow does not do: ids, references, reachability, ways out, gateways.

SpiffWorkflow's parser follows sequence flows from the start event and silently ignores
whatever it does not reach: a dangling `bpmn:outgoing`, a mistyped targetRef or a forgotten
flow makes an end event vanish and the process "complete" early (research §1.1).  These checks
walk the raw XML once, iteratively (no recursion, linear in the number of elements), so they
also answer for diagrams SpiffWorkflow itself would choke on.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Collection, Iterator

from lxml import etree

from engine import messages
from engine.diagram_files import (
    BPMN_NS,
    BPMNDI_NS,
    DC_NS,
    DI_NS,
    FLOW_NODE_TAGS,
    SCOPE_TAGS,
    UNSUPPORTED_FLOW_NODES,
    bpmn,
    is_bpmn,
    local,
    namespace_of,
)
from engine.errors import Problem

messages.register(
    {
        "lint.duplicate_id": ("Id '{id}' dipakai {count} kali.", "Id '{id}' is used {count} times."),
        "lint.missing_id": (
            "Elemen {tag} di baris {line} tidak punya id.",
            "The {tag} element on line {line} has no id.",
        ),
        "lint.unknown_element": (
            "Elemen bpmn:{tag} tidak dikenal (salah ketik?).",
            "Unknown element bpmn:{tag} (a typo?).",
        ),
        "lint.unsupported_element": (
            "Elemen bpmn:{tag} belum didukung oleh mesin proses.",
            "Element bpmn:{tag} is not supported by the process engine.",
        ),
        "lint.flow_no_ref": (
            "Alur tidak menyebut {which}.",
            "The flow names no {which}.",
        ),
        "lint.flow_unresolved": (
            "Alur menunjuk {which} '{ref}', yang tidak ada.",
            "The flow's {which} '{ref}' does not exist.",
        ),
        "lint.flow_scope": (
            "Alur menghubungkan '{ref}', yang berada di (sub)proses lain.",
            "The flow connects '{ref}', which is in another (sub)process.",
        ),
        "lint.dangling_reference": (
            "bpmn:{which} '{ref}' tidak menunjuk ke alur (sequence flow) mana pun.",
            "bpmn:{which} '{ref}' refers to no sequence flow.",
        ),
        "lint.reference_mismatch": (
            "bpmn:{which} '{ref}' adalah alur yang tidak {direction} elemen ini.",
            "bpmn:{which} '{ref}' is a flow that does not {direction} this element.",
        ),
        "lint.no_start": (
            "(Sub)proses ini tidak punya start event.",
            "This (sub)process has no start event.",
        ),
        "lint.unreachable": (
            "Elemen ini tidak dapat dicapai dari start event mana pun.",
            "This element cannot be reached from any start event.",
        ),
        "lint.no_way_out": (
            "Elemen ini tidak punya alur keluar; akhiri jalur dengan end event.",
            "This element has no outgoing flow; end the path with an end event.",
        ),
        "lint.boundary_attached": (
            "Boundary event menempel pada '{ref}', yang tidak ada di (sub)proses ini.",
            "The boundary event is attached to '{ref}', which is not in this (sub)process.",
        ),
        "lint.gateway_default_unknown": (
            "Alur default '{ref}' bukan alur keluar gateway ini.",
            "Default flow '{ref}' is not an outgoing flow of this gateway.",
        ),
        "lint.gateway_no_conditions": (
            "Gateway bercabang tanpa kondisi dan tanpa alur default.",
            "The gateway branches with no conditions and no default flow.",
        ),
        "lint.flow_needs_condition": (
            "Alur keluar gateway ini perlu kondisi (atau jadikan alur default).",
            "This gateway flow needs a condition (or make it the default flow).",
        ),
        "lint.gateway_no_default": (
            "Tidak ada alur default: gateway akan gagal bila tidak ada kondisi yang terpenuhi.",
            "No default: the gateway errors if no condition matches.",
        ),
        "lint.condition_ignored": (
            "Kondisi pada alur ini diabaikan; hanya gateway eksklusif/inklusif yang memeriksa kondisi.",
            "The condition on this flow is ignored; only exclusive/inclusive gateways check conditions.",
        ),
    }
)

_ID_NAMESPACES = (BPMN_NS, BPMNDI_NS, DC_NS, DI_NS)
# Children a process or subprocess may have besides flow nodes and sequence flows.
_OTHER_SCOPE_CHILDREN = frozenset({
    "sequenceFlow", "laneSet", "dataObject", "dataObjectReference", "dataStoreReference", "textAnnotation",
    "association", "group", "documentation", "extensionElements", "ioSpecification", "ioBinding", "property",
    "auditing", "monitoring", "correlationSubscription", "supports", "resourceRole", "performer",
    "humanPerformer", "potentialOwner", "multiInstanceLoopCharacteristics", "standardLoopCharacteristics",
    "dataInputAssociation", "dataOutputAssociation", "incoming", "outgoing", "completionCondition",
})  # fmt: skip
_CONDITIONAL_GATEWAYS = ("exclusiveGateway", "inclusiveGateway")


def _id_problems(root: etree._Element) -> list[Problem]:
    counts: Counter[str] = Counter()
    problems = []
    for element in root.iter():
        ns = namespace_of(element.tag)
        if ns not in _ID_NAMESPACES:
            continue
        element_id = element.get("id")
        if element_id:
            counts[element_id] += 1
        elif ns == BPMN_NS and (local(element.tag) in FLOW_NODE_TAGS or local(element.tag) == "sequenceFlow"):
            problems.append(
                Problem("file", "lint.missing_id", {"tag": local(element.tag), "line": element.sourceline})
            )
    problems += [Problem(i, "lint.duplicate_id", {"id": i, "count": n}) for i, n in counts.items() if n > 1]
    return problems


def _scopes(root: etree._Element) -> Iterator[etree._Element]:
    yield from root.iter(*(bpmn(t) for t in SCOPE_TAGS))


def _has_condition(flow: etree._Element) -> bool:
    condition = flow.find(bpmn("conditionExpression"))
    return condition is not None and bool((condition.text or "").strip())


def _has_definition(node: etree._Element, definition: str) -> bool:
    return node.find(bpmn(definition)) is not None


def _is_root(node: etree._Element, tag: str, ad_hoc: bool) -> bool:
    """Where a token can appear without an incoming sequence flow."""
    if tag in ("startEvent", "boundaryEvent"):
        return True
    if tag == "subProcess" and node.get("triggeredByEvent") == "true":
        return True
    if node.get("isForCompensation") == "true":
        return True
    if tag == "intermediateCatchEvent" and _has_definition(node, "linkEventDefinition"):
        return True
    return ad_hoc and node.find(bpmn("incoming")) is None


def _needs_way_out(node: etree._Element, tag: str, ad_hoc: bool) -> bool:
    if ad_hoc or tag == "endEvent" or node.get("isForCompensation") == "true":
        return False
    if tag == "subProcess" and node.get("triggeredByEvent") == "true":
        return False
    if tag == "boundaryEvent" and _has_definition(node, "compensateEventDefinition"):
        return False
    return not (tag == "intermediateThrowEvent" and _has_definition(node, "linkEventDefinition"))


def _scope_problems(scope: etree._Element, all_ids: Collection[str]) -> list[Problem]:
    problems: list[Problem] = []
    ad_hoc = local(scope.tag) == "adHocSubProcess"
    nodes: dict[str, etree._Element] = {}
    flows: dict[str, etree._Element] = {}
    for child in scope:
        if not is_bpmn(child):
            continue
        tag = local(child.tag)
        if tag in FLOW_NODE_TAGS:
            if child.get("id"):
                nodes[child.get("id") or ""] = child
            if tag in UNSUPPORTED_FLOW_NODES:
                problems.append(Problem(child.get("id") or "file", "lint.unsupported_element", {"tag": tag}))
        elif tag == "sequenceFlow":
            if child.get("id"):
                flows[child.get("id") or ""] = child
        elif tag not in _OTHER_SCOPE_CHILDREN:
            problems.append(
                Problem(child.get("id") or scope.get("id") or "file", "lint.unknown_element", {"tag": tag})
            )
    outgoing: dict[str, list[etree._Element]] = {node_id: [] for node_id in nodes}
    for flow_id, flow in flows.items():
        ok = True
        for which in ("sourceRef", "targetRef"):
            ref = flow.get(which)
            if not ref:
                problems.append(Problem(flow_id, "lint.flow_no_ref", {"which": which}))
                ok = False
            elif ref not in nodes:
                key = "lint.flow_scope" if ref in all_ids else "lint.flow_unresolved"
                problems.append(Problem(flow_id, key, {"which": which, "ref": ref}))
                ok = False
        if ok:
            outgoing[flow.get("sourceRef") or ""].append(flow)
    problems += _reference_problems(nodes, flows)
    problems += _graph_problems(scope, nodes, outgoing, ad_hoc)
    problems += _gateway_problems(nodes, outgoing)
    return problems


def _reference_problems(nodes: dict[str, etree._Element], flows: dict[str, etree._Element]) -> list[Problem]:
    problems = []
    for node_id, node in nodes.items():
        for which, attribute, direction in (
            ("incoming", "targetRef", "enter"),
            ("outgoing", "sourceRef", "leave"),
        ):
            for ref_element in node.iterchildren(bpmn(which)):
                ref = (ref_element.text or "").strip()
                flow = flows.get(ref)
                if flow is None:
                    problems.append(Problem(node_id, "lint.dangling_reference", {"which": which, "ref": ref}))
                elif flow.get(attribute) != node_id:
                    problems.append(
                        Problem(
                            node_id,
                            "lint.reference_mismatch",
                            {"which": which, "ref": ref, "direction": direction},
                        )
                    )
    return problems


def _graph_problems(
    scope: etree._Element,
    nodes: dict[str, etree._Element],
    outgoing: dict[str, list[etree._Element]],
    ad_hoc: bool,
) -> list[Problem]:
    problems = []
    queue = deque(node_id for node_id, node in nodes.items() if _is_root(node, local(node.tag), ad_hoc))
    has_start = ad_hoc or any(local(node.tag) == "startEvent" for node in nodes.values())
    if nodes and not has_start:
        # One clear finding instead of "unreachable" on every element of the (sub)process.
        return [Problem(scope.get("id") or "file", "lint.no_start")]
    reached = set(queue)
    for node_id, node in nodes.items():
        if local(node.tag) == "boundaryEvent" and node.get("attachedToRef") not in nodes:
            problems.append(Problem(node_id, "lint.boundary_attached", {"ref": node.get("attachedToRef")}))
    while queue:
        for flow in outgoing.get(queue.popleft(), ()):
            target = flow.get("targetRef") or ""
            if target not in reached:
                reached.add(target)
                queue.append(target)
    for node_id, node in nodes.items():
        tag = local(node.tag)
        if node_id not in reached:
            problems.append(Problem(node_id, "lint.unreachable"))
        if not outgoing.get(node_id) and _needs_way_out(node, tag, ad_hoc):
            # BPMN allows an implicit end and SpiffWorkflow runs it, but in a letter route it is
            # nearly always a forgotten flow: worth a look, not a refusal.
            problems.append(Problem(node_id, "lint.no_way_out", severity="warning"))
    return problems


def _gateway_problems(
    nodes: dict[str, etree._Element], outgoing: dict[str, list[etree._Element]]
) -> list[Problem]:
    problems = []
    for node_id, node in nodes.items():
        tag = local(node.tag)
        flows = outgoing.get(node_id, [])
        if tag not in _CONDITIONAL_GATEWAYS:
            problems += [
                Problem(f.get("id") or node_id, "lint.condition_ignored", severity="warning")
                for f in flows
                if _has_condition(f)
            ]
            continue
        default = node.get("default")
        flow_ids = {f.get("id") for f in flows}
        if default and default not in flow_ids:
            problems.append(Problem(node_id, "lint.gateway_default_unknown", {"ref": default}))
        if len(flows) < 2:
            continue
        lacking = [f for f in flows if f.get("id") != default and not _has_condition(f)]
        if not default and len(lacking) == len(flows):
            problems.append(Problem(node_id, "lint.gateway_no_conditions"))
        elif lacking:
            problems += [Problem(f.get("id") or node_id, "lint.flow_needs_condition") for f in lacking]
        elif not default:
            problems.append(Problem(node_id, "lint.gateway_no_default", severity="warning"))
    return problems


def graph_problems(root: etree._Element) -> list[Problem]:
    """Ids, flow references, reachability, ways out and gateway conditions, for every scope."""
    problems = _id_problems(root)
    all_ids = {element.get("id") for element in root.iter() if element.get("id")}
    for scope in _scopes(root):
        problems += _scope_problems(scope, all_ids)
    return problems
