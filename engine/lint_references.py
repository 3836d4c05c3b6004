"""References out of a diagram: forms, called processes, DMN decisions — and call cycles.

What a diagram points at lives elsewhere (the form library, other deployed processes, DMN
files), so these checks take what is available as arguments.  A missing target is an error at
deploy but only a warning when one file of a library is checked alone.  A process that calls
itself, directly or through others, is always refused: SpiffWorkflow would create
subprocesses until the worker is killed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from lxml import etree

from engine import messages
from engine.diagram_files import SPIFF_NS, bpmn, call_cycles, camunda
from engine.errors import Problem

messages.register(
    {
        "lint.form_missing": ("Formulir '{form}' tidak ditemukan.", "Form '{form}' was not found."),
        "lint.form_none": (
            "Tugas pengguna ini tidak menyebut formulir (formKey).",
            "This user task names no form (formKey).",
        ),
        "lint.form_check_failed": (
            "Formulir '{form}' tidak dapat diperiksa: {detail}",
            "Form '{form}' could not be checked: {detail}",
        ),
        "lint.call_no_element": (
            "Call activity tidak menyebut proses yang dipanggil (calledElement).",
            "The call activity names no called process (calledElement).",
        ),
        "lint.called_missing": (
            "Proses '{called}' yang dipanggil tidak ada di berkas ini maupun di proses terpasang.",
            "Called process '{called}' is neither in this file nor deployed.",
        ),
        "lint.called_not_executable": (
            "Proses '{called}' yang dipanggil tidak executable.",
            "Called process '{called}' is not executable.",
        ),
        "lint.decision_none": (
            "Business rule task tidak menyebut tabel keputusan DMN.",
            "The business rule task names no DMN decision.",
        ),
        "lint.decision_missing": (
            "Tabel keputusan DMN '{decision}' tidak tersedia.",
            "DMN decision '{decision}' is not available.",
        ),
    }
)


def _form_ref(task: etree._Element) -> str | None:
    ref = task.get(camunda("formKey"))
    if ref:
        return ref
    for prop in task.iter(f"{{{SPIFF_NS}}}property"):
        if prop.get("name") in ("formKey", "formJsonSchemaFilename") and prop.get("value"):
            return prop.get("value")
    return None


def form_problems(root: etree._Element, form_exists: Callable[[str], bool]) -> list[Problem]:
    """User tasks whose form is neither embedded (camunda:formData) nor known to `form_exists`."""
    problems = []
    for task in root.iter(bpmn("userTask")):
        task_id = task.get("id") or "file"
        embedded = task.find(f"{bpmn('extensionElements')}/{camunda('formData')}") is not None
        ref = _form_ref(task)
        if embedded:
            continue
        if ref is None:
            problems.append(Problem(task_id, "lint.form_none", severity="warning"))
            continue
        try:
            exists = bool(form_exists(ref))
        except Exception as exc:  # a broken form library must not hide the diagram's own problems
            problems.append(
                Problem(task_id, "lint.form_check_failed", {"form": ref, "detail": str(exc)[:200]})
            )
            continue
        if not exists:
            problems.append(Problem(task_id, "lint.form_missing", {"form": ref}))
    return problems


def reference_problems(
    root: etree._Element,
    *,
    known_processes: Collection[str],
    decisions: Collection[str],
    severity: str,
) -> list[Problem]:
    """Call activities and business rule tasks whose process / decision is not available."""
    processes = {p.get("id"): p for p in root.iterchildren(bpmn("process"))}
    problems = []
    for call in root.iter(bpmn("callActivity")):
        call_id = call.get("id") or "file"
        called = (call.get("calledElement") or "").strip()
        if not called:
            problems.append(Problem(call_id, "lint.call_no_element"))
        elif called in processes:
            if processes[called].get("isExecutable", "true") != "true":
                problems.append(Problem(call_id, "lint.called_not_executable", {"called": called}))
        elif called not in known_processes:
            problems.append(Problem(call_id, "lint.called_missing", {"called": called}, severity=severity))
    spiff_decision = f"{{{SPIFF_NS}}}calledDecisionId"
    for task in root.iter(bpmn("businessRuleTask")):
        task_id = task.get("id") or "file"
        ref_element = next(task.iter(spiff_decision), None)
        ref = (ref_element.text or "").strip() if ref_element is not None else ""
        ref = ref or (task.get(camunda("decisionRef")) or "").strip()
        if not ref:
            problems.append(Problem(task_id, "lint.decision_none"))
        elif ref not in decisions:
            problems.append(Problem(task_id, "lint.decision_missing", {"decision": ref}, severity=severity))
    return problems + cycle_problems(root)


def _calls_by_process(root: etree._Element) -> dict[str, list[tuple[str, str]]]:
    """process id -> [(call activity id, called process id)], nested subprocesses included."""
    calls: dict[str, list[tuple[str, str]]] = {}
    for process in root.iterchildren(bpmn("process")):
        calls[process.get("id") or ""] = [
            (call.get("id") or "file", (call.get("calledElement") or "").strip())
            for call in process.iter(bpmn("callActivity"))
        ]
    return calls


def cycle_problems(root: etree._Element) -> list[Problem]:
    """Call activities through which a process of this file ends up calling itself."""
    return [Problem(a, "bpmn.call_cycle", {"called": c}) for a, c in call_cycles(_calls_by_process(root))]
