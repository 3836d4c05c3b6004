"""Lint before deploy: every problem of a BPMN or DMN file, each naming its element.

`lint_diagram` never raises for bad input — a designer uploading a broken file gets a list,
not a traceback — and runs in bounded time: the XML is size- and depth-capped by
`engine.xml_intake`, the graph checks are linear, and SpiffWorkflow's recursive parser is
guarded (RecursionError becomes a Problem).  The checks run on the same dialect-normalised
XML that `parse_diagram` stores, so lint and deploy can never disagree about an expression.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from lxml import etree

from engine import messages
from engine.bpmn_parser import (
    LontarParser,
    bpmn_root,
    executable_process_ids,
    load_dmn,
    spiff_parse,
)
from engine.camunda import normalise_dialect
from engine.diagram_files import kind_of
from engine.errors import InvalidDiagram, Problem
from engine.lint_expressions import expression_problems, script_task_problems
from engine.lint_references import form_problems, reference_problems
from engine.lint_structure import graph_problems
from engine.xml_intake import MAX_XML_BYTES, parse_xml

messages.register(
    {
        "lint.internal": (
            "Pemeriksaan berhenti karena kesalahan internal ({error}); laporkan ke admin.",
            "Checking stopped on an internal error ({error}); please report it to the admin.",
        ),
        "lint.unreadable": ("Berkas tidak dapat dibaca: {detail}", "The file cannot be read: {detail}"),
    }
)

_STUB_DMN_NS = "https://www.omg.org/spec/DMN/20191111/MODEL/"


def _stub_dmn(decision_id: str) -> bytes:
    """A one-decision, no-rule table, so a diagram whose DMN lives elsewhere can still be parsed."""
    root = etree.Element(
        f"{{{_STUB_DMN_NS}}}definitions", nsmap={None: _STUB_DMN_NS}, id="lontar_stub", name="stub"
    )
    decision = etree.SubElement(root, f"{{{_STUB_DMN_NS}}}decision", id=decision_id, name=decision_id)
    etree.SubElement(decision, f"{{{_STUB_DMN_NS}}}decisionTable", id="lontar_stub_table")
    return etree.tostring(root)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str, str, str]] = set()
    result = []
    for problem in problems:
        key = (problem.element_id, problem.key, problem.severity, repr(sorted(problem.params.items())))
        if key not in seen:
            seen.add(key)
            result.append(problem)
    return result


def _lint(
    data: bytes,
    filename: str,
    form_exists: Callable[[str], bool] | None,
    known_processes: Collection[str],
    extra_dmn: Sequence[bytes],
    missing_references: str,
) -> list[Problem]:
    root = bpmn_root(data, filename)
    problems = normalise_dialect(root)
    process_ids = executable_process_ids(root)
    if not process_ids:
        problems.append(Problem(filename, "bpmn.no_executable"))
    problems += graph_problems(root)
    problems += expression_problems(root)
    problems += script_task_problems(root)
    if form_exists is not None:
        problems += form_problems(root, form_exists)
    parser = LontarParser()
    for index, dmn in enumerate(extra_dmn):
        problems += load_dmn(parser, dmn, f"dmn[{index}]")
    references = reference_problems(
        root, known_processes=known_processes, decisions=set(parser.dmn_parsers), severity=missing_references
    )
    problems += references
    for problem in references:
        if problem.key == "lint.decision_missing" and problem.severity != "error":
            load_dmn(parser, _stub_dmn(str(problem.params["decision"])), "stub.dmn")
    if process_ids:
        with_errors = {p.element_id for p in problems if p.severity == "error"}
        problems += [
            p for p in spiff_parse(parser, root, filename, process_ids) if p.element_id not in with_errors
        ]
    return problems


def lint_diagram(
    data: bytes,
    *,
    filename: str = "diagram.bpmn",
    form_exists: Callable[[str], bool] | None = None,
    known_processes: Collection[str] = (),
    extra_dmn: Sequence[bytes] = (),
    missing_references: str = "error",
) -> list[Problem]:
    """Every problem of one BPMN file; severity "error" refuses deploy, "warning" may be accepted.

    `missing_references` is the severity of a called process or DMN decision that is neither in
    the file, nor in `known_processes` / `extra_dmn`: "error" for deploy, "warning" when a single
    file of a larger set is checked on its own.
    """
    try:
        problems = _lint(data, filename, form_exists, known_processes, extra_dmn, missing_references)
    except InvalidDiagram as exc:
        problems = list(exc.problems)
    except Exception as exc:  # a bug here must still give the designer an answer, not a 500
        problems = [Problem(filename, "lint.internal", {"error": f"{type(exc).__name__}: {exc}"[:300]})]
    return _dedupe(problems)


def lint_dmn(data: bytes, *, filename: str = "decision.dmn") -> list[Problem]:
    """Problems of one DMN file: version, shape (one decision table) and SpiffWorkflow's parse."""
    try:
        return _dedupe(load_dmn(LontarParser(), data, filename))
    except Exception as exc:
        return [Problem(filename, "lint.internal", {"error": f"{type(exc).__name__}: {exc}"[:300]})]


def validate_path(
    path: Path,
    *,
    form_exists: Callable[[str], bool] | None = None,
    known_processes: Collection[str] = (),
    extra_dmn: Sequence[bytes] = (),
    missing_references: str = "warning",
) -> list[Problem]:
    """Lint one .bpmn or .dmn file on disk (BPMN vs DMN is decided by the content, not the name).

    Missing called processes / decisions are warnings by default: one file of a process
    library is often checked without the files it calls.
    """
    name = Path(path).name
    try:
        size = Path(path).stat().st_size
        if size > MAX_XML_BYTES:
            return [Problem(name, "xml.too_large", {"size": size, "limit": MAX_XML_BYTES})]
        data = Path(path).read_bytes()
    except OSError as exc:
        return [Problem(name, "lint.unreadable", {"detail": exc.strerror or str(exc)})]
    try:
        kind = kind_of(parse_xml(data, element_id=name).getroot())
    except InvalidDiagram as exc:
        return list(exc.problems)
    if kind in ("dmn", "dmn-unsupported"):
        return lint_dmn(data, filename=name)
    if kind == "unknown" and Path(path).suffix.lower() == ".dmn":
        return lint_dmn(data, filename=name)
    return lint_diagram(
        data,
        filename=name,
        form_exists=form_exists,
        known_processes=known_processes,
        extra_dmn=extra_dmn,
        missing_references=missing_references,
    )
