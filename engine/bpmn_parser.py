"""The one BPMN parser of Lontar, and the two ways in: deploy (`parse_diagram`) and run (`build_specs`).

Every stored instance is serialized with SpiffWorkflow's SPIFF_CONFIG, so every spec must come
from the same task-spec classes: that is why there is exactly one parser class, a
`SpiffBpmnParser` whose task parsers also keep the Camunda data Lontar needs (assignment, forms)
in `extensions["camunda"]`.  The spec classes are SpiffWorkflow's own, so nothing custom has to
be taught to the serializer.  Camunda's `decisionRef` is honoured next to spiff's
`calledDecisionId`, so Camunda Modeler business rule tasks find their DMN table.

SpiffWorkflow's XSD validator (`VALIDATOR`) is deliberately not used: it refuses harmless
hand edits (child element order, ids starting with a digit — even one of the research probe
files fails it), stops at the first finding, and rewrites the tree it checks, while
`engine.lint` reports what matters (unknown elements, duplicate ids, dangling references) with
the element id.

Input is untrusted: it goes through `engine.xml_intake`, and whatever SpiffWorkflow raises —
its ValidationException, internal errors, RecursionError on very long chains — comes out as
`InvalidDiagram` with a Problem naming the element.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import CallActivity, SubWorkflowTask
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.parser.task_spec import BusinessRuleTaskParser
from SpiffWorkflow.spiff.specs.defaults import BusinessRuleTask

from engine import messages
from engine.camunda import camunda_extensions, normalise_dialect
from engine.diagram_files import (
    DMN_NAMESPACES,
    UNSUPPORTED_DMN_NAMESPACES,
    bpmn,
    call_cycles,
    camunda,
    kind_of,
)
from engine.errors import InvalidDiagram, Problem
from engine.lint_expressions import dmn_cell_problems, expression_problems
from engine.lint_references import cycle_problems
from engine.lint_spiff import problem_from_exception
from engine.timers import clocked
from engine.xml_intake import parse_xml

messages.register(
    {
        "bpmn.not_bpmn": (
            "Berkas ini bukan diagram BPMN 2.0 (elemen akarnya {root}).",
            "This file is not a BPMN 2.0 diagram (its root element is {root}).",
        ),
        "bpmn.no_executable": (
            'Berkas tidak memuat proses yang dapat dijalankan (isExecutable="true").',
            'The file has no executable process (isExecutable="true").',
        ),
        "bpmn.called_element_missing": (
            "Call activity memanggil proses '{called}', yang tidak ada di berkas ini maupun di proses terpasang.",
            "The call activity calls process '{called}', which is neither in this file nor deployed.",
        ),
        "dmn.not_dmn": (
            "Berkas ini bukan tabel keputusan DMN (elemen akarnya {root}).",
            "This file is not a DMN decision table (its root element is {root}).",
        ),
        "dmn.unsupported_version": (
            "Versi DMN {version} ({namespace}) tidak didukung; gunakan DMN 1.1, 1.2 atau 1.3.",
            "DMN version {version} ({namespace}) is not supported; use DMN 1.1, 1.2 or 1.3.",
        ),
        "dmn.prefix": (
            "Elemen DMN harus memakai namespace bawaan atau awalan 'dmn:'.",
            "DMN elements must use the default namespace or the 'dmn:' prefix.",
        ),
        "dmn.no_decision": ("Berkas DMN tidak memuat keputusan (decision).", "The DMN file has no decision."),
        "dmn.multiple_decisions": (
            "Berkas DMN memuat {count} keputusan; hanya satu keputusan per berkas yang didukung.",
            "The DMN file has {count} decisions; only one decision per file is supported.",
        ),
        "dmn.no_table": (
            "Keputusan ini bukan tabel keputusan (decisionTable); bentuk lain belum didukung.",
            "This decision is not a decision table (decisionTable); other forms are not supported.",
        ),
        "dmn.hit_policy": (
            "Hit policy '{policy}' tidak didukung penuh: aturan pertama yang cocok yang dipakai.",
            "Hit policy '{policy}' is not fully supported: the first matching rule is used.",
        ),
    }
)


class _CamundaAware:
    """Mixin for every task parser: add the element's camunda: data to the spec's extensions."""

    node: etree._Element

    def parse_extensions(self, node: etree._Element | None = None) -> dict[str, Any]:
        extensions = super().parse_extensions(node)
        data = camunda_extensions(self.node if node is None else node)
        if data:
            extensions = {**extensions, "camunda": data}
        return extensions

    def parse_timer_event(self, event: etree._Element) -> Any:
        """Timers read the engine's injectable clock instead of the wall clock (engine.timers)."""
        return clocked(super().parse_timer_event(event))  # type: ignore[misc]


class _LontarBusinessRuleTaskParser(_CamundaAware, BusinessRuleTaskParser):
    @staticmethod
    def get_decision_ref(node: etree._Element) -> str | None:
        return BusinessRuleTaskParser.get_decision_ref(node) or node.get(camunda("decisionRef"))


@cache
def _camunda_aware(parser_class: type) -> type:
    return type(f"Lontar{parser_class.__name__}", (_CamundaAware, parser_class), {})


def _override_classes() -> dict[str, tuple[type, type]]:
    merged = {**BpmnParser.PARSER_CLASSES, **SpiffBpmnParser.OVERRIDE_PARSER_CLASSES}
    classes = {tag: (_camunda_aware(p), spec) for tag, (p, spec) in merged.items()}
    classes[full_tag("businessRuleTask")] = (_LontarBusinessRuleTaskParser, BusinessRuleTask)
    return classes


class LontarParser(SpiffBpmnParser):
    """SpiffBpmnParser + Camunda data in extensions["camunda"] + camunda:decisionRef."""

    OVERRIDE_PARSER_CLASSES = _override_classes()

    def get_engine(self, decision_ref: str, node: etree._Element) -> Any:
        """Say which decision has no table, instead of SpiffWorkflow's bare IndexError."""
        dmn_parser = self.dmn_parsers.get(decision_ref)
        if dmn_parser is not None:
            dmn_parser.parse()
            if not dmn_parser.decision.decisionTables:
                raise ValidationException(f'DMN decision "{decision_ref}" has no decision table', node=node)
        return super().get_engine(decision_ref, node)


@dataclass(frozen=True)
class ParsedDiagram:
    xml: bytes  # the XML actually parsed (after the JUEL rewrite): what the registry stores
    process_ids: tuple[str, ...]  # executable processes in the file
    main_process_id: str
    names: Mapping[str, str]  # process id -> name
    called_elements: frozenset[str]  # calledElement ids not defined in this file
    dmn_ids: frozenset[str]  # decision ids the business rule tasks refer to


def _shown(root: etree._Element) -> str:
    """A root element as a designer reads it: `definitions (urn:x)`, not Clark notation."""
    name = etree.QName(root)
    return f"{name.localname} ({name.namespace})" if name.namespace else name.localname


def bpmn_root(data: bytes, filename: str) -> etree._Element:
    """Safe intake + "is this BPMN at all"; raises InvalidDiagram."""
    root = parse_xml(data, element_id=filename).getroot()
    if kind_of(root) != "bpmn":
        raise InvalidDiagram([Problem(filename, "bpmn.not_bpmn", {"root": _shown(root)})])
    return root


def executable_process_ids(root: etree._Element) -> list[str]:
    """Top-level processes SpiffWorkflow would run (its rule: isExecutable absent or "true")."""
    return [
        p.get("id") or ""
        for p in root.iterchildren(bpmn("process"))
        if p.get("id") and p.get("isExecutable", "true") == "true"
    ]


def dmn_problems(root: etree._Element, name: str) -> list[Problem]:
    """What keeps SpiffWorkflow's DMN reader from using this file (it reads one decision table)."""
    kind = kind_of(root)
    ns = etree.QName(root).namespace or ""
    if kind == "dmn-unsupported":
        version = UNSUPPORTED_DMN_NAMESPACES.get(ns, "?")
        return [Problem(name, "dmn.unsupported_version", {"version": version, "namespace": ns})]
    if kind != "dmn":
        return [Problem(name, "dmn.not_dmn", {"root": _shown(root)})]
    decisions = list(root.iter(f"{{{ns}}}decision"))
    if not decisions:
        return [Problem(name, "dmn.no_decision")]
    if len(decisions) > 1:
        return [Problem(name, "dmn.multiple_decisions", {"count": len(decisions)})]
    if root.nsmap.get(None, root.nsmap.get("dmn")) != ns:
        return [Problem(name, "dmn.prefix")]
    decision = decisions[0]
    decision_id = decision.get("id") or name
    table = decision.find(f"{{{ns}}}decisionTable")
    if table is None:
        # SpiffWorkflow reads such a file; only a business rule task using it fails (LontarParser.get_engine).
        return [Problem(decision_id, "dmn.no_table", severity="warning")]
    policy = (table.get("hitPolicy") or "UNIQUE").upper()
    if policy not in ("UNIQUE", "COLLECT", "FIRST", "ANY") or table.get("aggregation"):
        shown = f"{policy} {table.get('aggregation')}" if table.get("aggregation") else policy
        return [Problem(decision_id, "dmn.hit_policy", {"policy": shown}, severity="warning")]
    return []


def load_dmn(parser: LontarParser, data: bytes, name: str) -> list[Problem]:
    """Add one DMN file to `parser` and parse its table now (SpiffWorkflow would wait until used)."""
    try:
        root = parse_xml(data, element_id=name).getroot()
    except InvalidDiagram as exc:
        return list(exc.problems)
    problems = dmn_problems(root, name)
    if any(p.severity == "error" for p in problems):
        return problems
    problems += dmn_cell_problems(root)
    try:
        parser.add_dmn_xml(root, filename=name)
        decision = next(root.iter(f"{{{etree.QName(root).namespace}}}decision"))
        parser.dmn_parsers[decision.get("id")].parse()
    except Exception as exc:  # SpiffWorkflow's DMN reader raises IndexError, KeyError, ...
        problems.append(problem_from_exception(exc, name, root))
    return problems


def spiff_parse(
    parser: LontarParser, root: etree._Element, filename: str, process_ids: Sequence[str]
) -> list[Problem]:
    """Let SpiffWorkflow build every executable process; its complaints become Problems."""
    try:
        parser.add_bpmn_xml(root, filename=filename)
    except Exception as exc:  # ValidationException, or an internal error on odd input
        return [problem_from_exception(exc, filename, root)]
    problems = []
    for process_id in process_ids:
        try:
            parser.get_spec(process_id)
        except Exception as exc:  # includes RecursionError on very long chains
            problems.append(problem_from_exception(exc, process_id, root))
    return problems


def _errors(problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def _main_process(parser: LontarParser, process_ids: Sequence[str]) -> str:
    for participants in parser.collaborations.values():
        for ref in participants:
            if ref in process_ids:
                return ref
    return process_ids[0]


def parse_diagram(
    data: bytes, *, filename: str = "diagram.bpmn", extra_dmn: Sequence[bytes] = ()
) -> ParsedDiagram:
    """Check, rewrite (JUEL → Python) and parse one BPMN file; raises InvalidDiagram."""
    root = bpmn_root(data, filename)
    problems = _errors(normalise_dialect(root))
    problems += _errors(expression_problems(root))
    problems += cycle_problems(root)
    if problems:
        raise InvalidDiagram(problems)
    process_ids = executable_process_ids(root)
    if not process_ids:
        raise InvalidDiagram([Problem(filename, "bpmn.no_executable")])
    parser = LontarParser()
    for index, dmn in enumerate(extra_dmn):
        problems += _errors(load_dmn(parser, dmn, f"dmn[{index}]"))
    problems += spiff_parse(parser, root, filename, process_ids)
    if problems:
        raise InvalidDiagram(problems)
    defined = {p.get("id") for p in root.iter(bpmn("process"))}
    return ParsedDiagram(
        xml=etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8"),
        process_ids=tuple(process_ids),
        main_process_id=_main_process(parser, process_ids),
        names={pid: parser.get_process_parser(pid).get_name() for pid in process_ids},
        called_elements=frozenset(c for c in parser.get_process_dependencies() if c and c not in defined),
        dmn_ids=frozenset(d for d in parser.get_dmn_dependencies() if d),
    )


def build_specs(
    parsed_xml: bytes,
    process_id: str,
    *,
    dependencies: Sequence[bytes] = (),
    require_called: bool = True,
) -> tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]:
    """(spec, subprocess_specs) for BpmnWorkflow; `dependencies` are BPMN/DMN files with the
    called processes and decisions.  A call activity whose process is nowhere raises
    InvalidDiagram naming it, unless `require_called=False` (then it is left out)."""
    root = bpmn_root(parsed_xml, "diagram.bpmn")
    problems = _errors(normalise_dialect(root))
    parser = LontarParser()
    bpmn_roots = [(root, "diagram.bpmn")]
    for index, data in enumerate(dependencies):
        name = f"dependency[{index}]"
        dep = parse_xml(data, element_id=name).getroot()
        if kind_of(dep) == "bpmn":
            problems += _errors(normalise_dialect(dep))
            bpmn_roots.append((dep, name))
        else:
            problems += _errors(load_dmn(parser, data, name))
    if problems:
        raise InvalidDiagram(problems)
    for tree, name in bpmn_roots:
        try:
            parser.add_bpmn_xml(tree, filename=name)
        except Exception as exc:
            raise InvalidDiagram([problem_from_exception(exc, name, tree)]) from None
    try:
        spec = parser.get_spec(process_id)
        subspecs, missing = _subprocess_specs(parser, spec)
    except Exception as exc:
        raise InvalidDiagram([problem_from_exception(exc, process_id, root)]) from None
    cycles = [p for p in missing if p.key == "bpmn.call_cycle"]
    if cycles or (missing and require_called):
        raise InvalidDiagram(cycles or missing)
    return spec, subspecs


def _subprocess_specs(
    parser: LontarParser, spec: BpmnProcessSpec
) -> tuple[dict[str, BpmnProcessSpec], list[Problem]]:
    """Like SpiffWorkflow's get_subprocess_specs, but iterative, naming what is missing, and
    refusing call cycles (SpiffWorkflow would create subprocesses until the worker dies)."""
    found: dict[str, BpmnProcessSpec] = {}
    missing: list[Problem] = []
    calls: dict[str, list[tuple[str, str]]] = {}
    call_activities: set[str] = set()
    pending = [spec]
    while pending:
        current = pending.pop()
        edges = calls.setdefault(current.name, [])
        for task_spec in current.task_specs.values():
            if not isinstance(task_spec, SubWorkflowTask):
                continue
            activity = task_spec.bpmn_id or task_spec.name
            edges.append((activity, task_spec.spec))
            if isinstance(task_spec, CallActivity):
                call_activities.add(activity)
            if task_spec.spec in found:
                continue
            sub = parser.get_spec(task_spec.spec, required=False)
            if sub is None:
                missing.append(Problem(activity, "bpmn.called_element_missing", {"called": task_spec.spec}))
                continue
            found[task_spec.spec] = sub
            pending.append(sub)
    cycles = [
        Problem(activity, "bpmn.call_cycle", {"called": called})
        for activity, called in call_cycles(calls)
        if activity in call_activities
    ]
    return found, missing + cycles


__all__ = [
    "DMN_NAMESPACES",
    "LontarParser",
    "ParsedDiagram",
    "build_specs",
    "dmn_problems",
    "executable_process_ids",
    "load_dmn",
    "parse_diagram",
    "spiff_parse",
]
