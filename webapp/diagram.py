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
from webapp.diagram_edges import draw_edge, marker_defs
from webapp.diagram_model import (
    SUBPROCESSES,
    Ctx,
    Node,
    type_name,
)
from webapp.diagram_read import BPMN, BPMNDI, build_index, kind_of, layer, pick_plane, read_plane
from webapp.diagram_shapes import draw_node
from webapp.diagram_text import esc, num

_MARGIN = 14.0

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


def _lift(
    marks: DiagramMarks, nodes: list[Node], drawn: set[str], index: dict[str, etree._Element], lang: str
) -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    """Marks on elements not drawn here go to what stands for them: the collapsed subprocess
    they sit in, or the pool of a process (lint problems are often about the process)."""
    pools = {n.el.get("processRef"): n.ref for n in nodes if n.kind == "participant" and n.el is not None}

    def parent_of(ident: str) -> str | None:
        el = index.get(ident)
        if el is None or ident in drawn:
            return None
        if kind_of(el) == "process":
            return pools.get(ident)
        for anc in el.iterancestors(f"{{{BPMN}}}*"):
            aid = anc.get("id")
            if aid in drawn and kind_of(anc) in SUBPROCESSES:
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
            if kind_of(el) == "process":
                line = message
            else:
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
    index = build_index(root)
    plane = pick_plane(planes, root, index, process_id)
    nodes, edges = read_plane(plane, index)
    if not nodes and not any(len(e.points) >= 2 for e in edges):
        return None

    drawn = {n.ref for n in nodes} | {e.ref for e in edges}
    current, failed, problems = _lift(marks, nodes, drawn, index, lang)
    digest = hashlib.blake2b(xml + (process_id or "").encode(), digest_size=4).hexdigest()
    ctx = Ctx(marks.done, current, failed, problems, lang, f"bpmn{digest}")

    ordered = sorted(nodes, key=layer)
    body = [draw_node(n, ctx) for n in ordered if layer(n)[0] < 6]
    body.extend(draw_edge(e, ctx) for e in edges)
    body.extend(draw_node(n, ctx) for n in ordered if layer(n)[0] >= 6)

    x0, y0, x1, y1 = ctx.extent
    if not math.isfinite(x0):
        return None
    width, height = x1 - x0 + 2 * _MARGIN, y1 - y0 + 2 * _MARGIN
    view = f"{num(x0 - _MARGIN)} {num(y0 - _MARGIN)} {num(width)} {num(height)}"
    label = _aria_label(plane, index, process_id, nodes, current, lang)
    # width=100% shrinks a wide diagram to a phone; max-width keeps a three-step one from
    # being blown up to giant shapes on a desktop (natural size = 1 SVG unit per CSS px).
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bpmn-diagram" viewBox="{view}" width="100%" '
        f'style="max-width:{num(width)}px" '
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
    if not name:
        name = ", ".join(
            n.name.strip() for n in nodes if n.kind in ("participant", "process") and n.name.strip()
        )
    text = (
        messages.text("diagram.aria", lang, name=name)
        if name
        else messages.text("diagram.aria_unnamed", lang)
    )
    waiting = [n.name.strip() or type_name(n.kind, lang) for n in nodes if n.ref in current]
    if waiting:
        text += ". " + messages.text("diagram.aria_current", lang, names=", ".join(waiting))
    return text
