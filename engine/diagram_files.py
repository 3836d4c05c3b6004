"""Names shared by the parser and the linter: namespaces, element kinds, file kinds.

They live apart from both so that the linter can walk raw XML without importing SpiffWorkflow's
parser machinery, and the parser can reuse the same notion of "flow node" the linter checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lxml import etree

from engine import messages

messages.register(
    {
        "bpmn.call_cycle": (
            "Call activity ini memanggil '{called}', yang akhirnya memanggil proses ini lagi (rekursi tanpa akhir).",
            "This call activity calls '{called}', which ends up calling this process again (endless recursion).",
        ),
    }
)

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NSMAP = {"bpmn": BPMN_NS, "camunda": CAMUNDA_NS, "spiffworkflow": SPIFF_NS}

# DMN versions SpiffWorkflow 3.2.0 reads (its BpmnDmnParser.SCHEMAS): 1.1, 1.2, 1.3.
DMN_NAMESPACES = {
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd": "1.1",
    "http://www.omg.org/spec/DMN/20180521/MODEL/": "1.2",
    "https://www.omg.org/spec/DMN/20191111/MODEL/": "1.3",
}
# Namespaces of DMN versions we recognise but SpiffWorkflow cannot read, for a precise refusal.
UNSUPPORTED_DMN_NAMESPACES = {
    "https://www.omg.org/spec/DMN/20211108/MODEL/": "1.4",
    "https://www.omg.org/spec/DMN/20230324/MODEL/": "1.5",
    "https://www.omg.org/spec/DMN/20240513/MODEL/": "1.6",
}

EVENT_TAGS = frozenset(
    {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"}
)
ACTIVITY_TAGS = frozenset(
    {
        "task",
        "userTask",
        "manualTask",
        "scriptTask",
        "serviceTask",
        "sendTask",
        "receiveTask",
        "businessRuleTask",
        "callActivity",
        "subProcess",
        "transaction",
        "adHocSubProcess",
    }
)
GATEWAY_TAGS = frozenset(
    {"exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway", "complexGateway"}
)
FLOW_NODE_TAGS = EVENT_TAGS | ACTIVITY_TAGS | GATEWAY_TAGS
SCOPE_TAGS = frozenset({"process", "subProcess", "transaction", "adHocSubProcess"})
# Flow nodes SpiffWorkflow 3.2.0 has no parser for.
UNSUPPORTED_FLOW_NODES = frozenset({"complexGateway"})


def bpmn(tag: str) -> str:
    return f"{{{BPMN_NS}}}{tag}"


def camunda(name: str) -> str:
    return f"{{{CAMUNDA_NS}}}{name}"


def namespace_of(tag: object) -> str | None:
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].split("}", 1)[0]
    return None


def local(tag: object) -> str:
    """Local name of an element tag; comments and processing instructions give ''."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def is_bpmn(element: etree._Element, *tags: str) -> bool:
    tag = element.tag
    if not isinstance(tag, str) or namespace_of(tag) != BPMN_NS:
        return False
    return not tags or local(tag) in tags


def kind_of(root: etree._Element) -> str:
    """'bpmn', 'dmn', 'dmn-unsupported' or 'unknown', from the root element's namespace."""
    ns = namespace_of(root.tag)
    if local(root.tag) != "definitions":
        return "unknown"
    if ns == BPMN_NS:
        return "bpmn"
    if ns in DMN_NAMESPACES:
        return "dmn"
    if ns in UNSUPPORTED_DMN_NAMESPACES or (ns and "omg.org/spec/DMN" in ns):
        return "dmn-unsupported"
    return "unknown"


def owner_id(element: etree._Element) -> str | None:
    """Id of the flow node or sequence flow an expression element belongs to."""
    node: etree._Element | None = element
    while node is not None:
        if is_bpmn(node) and (local(node.tag) in FLOW_NODE_TAGS or local(node.tag) == "sequenceFlow"):
            return node.get("id")
        node = node.getparent()
    return None


def call_cycles(calls: Mapping[str, Sequence[tuple[str, str]]]) -> list[tuple[str, str]]:
    """(call activity id, called process) for every call that can lead back to its own process.

    `calls` maps a process id to its (call activity id, called process id) pairs; processes
    not in the mapping are leaves.  Iterative, O(processes x calls): fine for one library.
    """
    cycles = []
    for process, activities in calls.items():
        for activity, called in activities:
            seen = {called}
            pending = [called]
            while pending:
                current = pending.pop()
                if current == process:
                    cycles.append((activity, called))
                    break
                for _, target in calls.get(current, ()):
                    if target not in seen:
                        seen.add(target)
                        pending.append(target)
    return cycles


def called_elements(root: etree._Element) -> frozenset[str]:
    """Process ids named by call activities and not defined in this file."""
    called = {c.get("calledElement") for c in root.iter(bpmn("callActivity")) if c.get("calledElement")}
    defined = {p.get("id") for p in root.iter(bpmn("process"))}
    return frozenset(called - defined)  # type: ignore[arg-type]
