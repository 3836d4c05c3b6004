"""What the diagram renderer knows about BPMN element kinds, marks and one drawing pass.

Class names and colours live in fixed tables here: nothing from the source file becomes a
class name, so a hostile element cannot add attributes or reach the page's stylesheet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from engine import messages
from webapp.diagram_icons import INK, PAPER
from webapp.diagram_text import esc, num

Bounds = tuple[float, float, float, float]

TASKS = frozenset(
    [
        "task",
        "userTask",
        "scriptTask",
        "serviceTask",
        "sendTask",
        "receiveTask",
        "businessRuleTask",
        "manualTask",
        "callActivity",
    ]
)
SUBPROCESSES = frozenset({"subProcess", "transaction", "adHocSubProcess"})
EVENTS = frozenset(
    [
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "implicitThrowEvent",
    ]
)
GATEWAYS = frozenset(
    [
        "exclusiveGateway",
        "parallelGateway",
        "inclusiveGateway",
        "eventBasedGateway",
        "complexGateway",
        "gateway",
    ]
)
DATA_OBJECTS = frozenset({"dataObjectReference", "dataObject", "dataInput", "dataOutput"})
DATA_STORES = frozenset({"dataStoreReference", "dataStore"})
FLOWS = frozenset(
    [
        "sequenceFlow",
        "messageFlow",
        "association",
        "dataInputAssociation",
        "dataOutputAssociation",
        "conversationLink",
    ]
)
OTHERS = frozenset({"participant", "process", "lane", "textAnnotation", "group"})
KNOWN = TASKS | SUBPROCESSES | EVENTS | GATEWAYS | DATA_OBJECTS | DATA_STORES | FLOWS | OTHERS
# Class names come from this table only, never from the file.
KIND_CLASS = {k: "bpmn-" + re.sub("([A-Z])", r"-\1", k).lower() for k in KNOWN}

TRIGGER_CLASS = {
    t: "bpmn-trigger-" + re.sub("([A-Z])", r"-\1", t).lower()
    for t in [
        "message",
        "timer",
        "error",
        "signal",
        "escalation",
        "conditional",
        "compensate",
        "cancel",
        "terminate",
        "link",
        "multiple",
        "parallelMultiple",
    ]
}

_CATEGORY = (
    {k: "bpmn-task" for k in TASKS}
    | {k: "bpmn-subprocess" for k in SUBPROCESSES}
    | {k: "bpmn-event" for k in EVENTS}
    | {k: "bpmn-gateway" for k in GATEWAYS}
    | {k: "bpmn-data" for k in DATA_OBJECTS | DATA_STORES}
    | {k: "bpmn-flow" for k in FLOWS}
    | {"participant": "bpmn-pool", "process": "bpmn-pool", "lane": "bpmn-lane"}
    | {"textAnnotation": "bpmn-annotation", "group": "bpmn-group"}
)

# state -> (fill, stroke, minimum stroke width); "" is the unmarked look.
STATE_PAINT: dict[str, tuple[str, str, float]] = {
    "": (PAPER, INK, 1.5),
    "done": ("#dff3e6", "#1d7a3a", 2.0),
    "current": ("#fff0d6", "#c26a00", 3.0),
    "failed": ("#fdecea", "#b42318", 2.5),
}
PROBLEM = "#b42318"


@dataclass(slots=True)
class Node:
    ref: str
    kind: str  # local name of the semantic element, "" when bpmnElement does not resolve
    el: etree._Element | None
    x: float
    y: float
    w: float
    h: float
    label: Bounds | None = None
    horizontal: bool = True
    expanded: bool = False
    name: str = ""
    triggers: tuple[str, ...] = ()  # event definitions, e.g. ("timer",)
    markers: tuple[str, ...] = ()  # activity markers, e.g. ("subprocess", "parallel")
    event_sub: bool = False  # triggeredByEvent: drawn with a dotted border


@dataclass(slots=True)
class Edge:
    ref: str
    kind: str
    el: etree._Element | None
    points: list[tuple[float, float]]
    label: Bounds | None = None
    name: str = ""
    start: str = ""  # "default" | "conditional" | ""
    directed: bool = True


@dataclass
class Ctx:
    """What every drawing function needs: marks, language, marker-id prefix, and the extent."""

    done: frozenset[str]
    current: frozenset[str]
    failed: frozenset[str]
    problems: Mapping[str, str]
    lang: str
    prefix: str
    extent: list[float] = field(
        default_factory=lambda: [float("inf"), float("inf"), -float("inf"), -float("inf")]
    )

    def grow(self, x: float, y: float, w: float = 0.0, h: float = 0.0) -> None:
        e = self.extent
        e[0] = min(e[0], x)
        e[1] = min(e[1], y)
        e[2] = max(e[2], x + w)
        e[3] = max(e[3], y + h)

    def state(self, ref: str) -> str:
        if ref in self.failed:
            return "failed"
        if ref in self.current:
            return "current"
        if ref in self.done:
            return "done"
        return ""

    def open(self, ref: str, kind: str, name: str, extra: str = "") -> str:
        classes = ["bpmn-el", _CATEGORY.get(kind, "bpmn-other"), KIND_CLASS.get(kind, "bpmn-unknown")]
        words = [name.strip() or type_name(kind, self.lang)]
        for mark, ids in (("done", self.done), ("current", self.current), ("failed", self.failed)):
            if ref in ids:
                classes.append(f"is-{mark}")
                words.append(messages.text(f"diagram.state.{mark}", self.lang))
        problem = self.problems.get(ref)
        if problem is not None:
            classes.append("has-problem")
            words.append(problem)
        if extra:
            classes.append(extra)
        title = esc("\n".join(words))
        return f'<g class="{" ".join(classes)}" data-element-id="{esc(ref)}"><title>{title}</title>'


def type_name(kind: str, lang: str) -> str:
    return messages.text(f"diagram.type.{kind if kind in KNOWN else 'other'}", lang)


def paint(state: str, base_width: float = 1.5, fill: str | None = None) -> str:
    f, s, w = STATE_PAINT[state]
    if fill is not None and not state:
        f = fill
    return f'fill="{f}" stroke="{s}" stroke-width="{num(max(w, base_width))}"'


def rect(x: float, y: float, w: float, h: float, rx: float = 0.0) -> str:
    r = f' rx="{num(rx)}"' if rx else ""
    return f'x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}"{r}'
