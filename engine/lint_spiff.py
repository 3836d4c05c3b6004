"""SpiffWorkflow's own parse errors, turned into Problems a designer can act on.

SpiffWorkflow raises `ValidationException` with an English sentence and (usually) the offending
element's id; internal errors of its recursive parser arrive wrapped in the same class as a
`repr`, and a very long chain of flow nodes ends in RecursionError.  Each known sentence gets a
bilingual message of its own; anything else keeps SpiffWorkflow's text as the detail.
"""

from __future__ import annotations

import re

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from engine import messages
from engine.errors import Problem

messages.register(
    {
        "spiff.rejected": (
            "SpiffWorkflow menolak elemen ini: {detail}",
            "SpiffWorkflow rejects this element: {detail}",
        ),
        "spiff.internal": (
            "Diagram tidak dapat dibaca oleh mesin proses ({error}): {detail}",
            "The process engine cannot read the diagram ({error}): {detail}",
        ),
        "spiff.too_long": (
            "Rantai langkah terlalu panjang atau bersarang terlalu dalam untuk dibaca mesin proses; "
            "pecah diagram menjadi beberapa call activity.",
            "The chain of steps is too long or nested too deeply for the process engine; "
            "split the diagram into call activities.",
        ),
        "spiff.multiple_outgoing": (
            "Elemen ini punya lebih dari satu alur keluar; gunakan gateway untuk bercabang.",
            "This element has more than one outgoing flow; use a gateway to branch.",
        ),
        "spiff.no_start": ("Proses tidak punya start event.", "The process has no start event."),
        "spiff.unsupported_element": (
            "Jenis elemen {tag} belum didukung (atau id-nya dipakai dua kali).",
            "Element type {tag} is not supported (or its id is used twice).",
        ),
        "spiff.missing_decision": (
            "Tabel keputusan DMN '{decision}' tidak tersedia.",
            "DMN decision '{decision}' is not available.",
        ),
        "spiff.decision_no_table": (
            "Keputusan DMN '{decision}' bukan tabel keputusan, jadi tidak dapat dipakai di sini.",
            "DMN decision '{decision}' is not a decision table, so it cannot be used here.",
        ),
        "spiff.service_operator": (
            "Service task tidak menyebut operator (spiffworkflow:serviceTaskOperator).",
            "The service task names no operator (spiffworkflow:serviceTaskOperator).",
        ),
        "spiff.subprocess_start": (
            "Subproses harus punya tepat satu start event.",
            "A subprocess must have exactly one start event.",
        ),
        "spiff.subprocess_end": (
            "Subproses harus punya setidaknya satu end event.",
            "A subprocess must have at least one end event.",
        ),
        "spiff.cancel_event": (
            "Cancel event hanya boleh dipakai pada transaksi.",
            "Cancel events may only be used with transactions.",
        ),
        "spiff.loop": (
            "Tugas berulang harus punya loopMaximum atau loopCondition.",
            "A loop task needs a loopMaximum or a loopCondition.",
        ),
        "spiff.multiinstance": (
            "Tugas multi-instance harus punya tepat satu dari loopCardinality atau loopDataInputRef.",
            "A multi-instance task needs exactly one of loopCardinality or loopDataInputRef.",
        ),
        "spiff.flow_condition": (
            "Alur keluar gateway ini bukan default dan tidak punya kondisi.",
            "This gateway flow is not the default and has no condition.",
        ),
        "spiff.duplicate_process": (
            "Id proses '{process}' dipakai lebih dari sekali.",
            "Process id '{process}' is used more than once.",
        ),
        "spiff.data_store": (
            "Data store '{store}' tidak tersedia di Lontar.",
            "Data store '{store}' is not available in Lontar.",
        ),
        "spiff.process_not_found": (
            "Proses '{process}' tidak ditemukan.",
            "Process '{process}' was not found.",
        ),
        "spiff.data_reference": (
            "Asosiasi data menunjuk ke data object yang tidak ada.",
            "A data association points to a data object that does not exist.",
        ),
        "spiff.dangling_target": (
            "Alur menuju '{target}', yang tidak ada di proses ini.",
            "A flow leads to '{target}', which is not in this process.",
        ),
        "spiff.timer": ("Timer tidak sah: {detail}", "Invalid timer: {detail}"),
        "spiff.not_executable": (
            "Proses '{process}' tidak executable (isExecutable=\"false\").",
            "Process '{process}' is not executable (isExecutable=\"false\").",
        ),
    }
)

_ELEMENT_REPR = re.compile(r"<Element \{[^}]*\}(\w+) at 0x[0-9a-fA-F]+>")

# (sentence prefix or regex, message key, name of the parameter the first group fills)
_KNOWN: tuple[tuple[re.Pattern[str], str, str | None], ...] = tuple(
    (re.compile(pattern), key, param)
    for pattern, key, param in (
        (r"^Multiple outgoing flows are not supported", "spiff.multiple_outgoing", None),
        (r"^No start event found", "spiff.no_start", None),
        (r"^There is no support implemented for this task type", "spiff.unsupported_element", None),
        (r'^No DMN Diagram available with id "([^"]*)"', "spiff.missing_decision", "decision"),
        (r'^DMN decision "([^"]*)" has no decision table', "spiff.decision_no_table", "decision"),
        (r"^A Service Task must have an operator", "spiff.service_operator", None),
        (r"^Exactly one start event is required in a SubWorkflow", "spiff.subprocess_start", None),
        (r"^A SubWorkflow Must contain an End event", "spiff.subprocess_end", None),
        (r"^Cancel Events may only be used with transactions", "spiff.cancel_event", None),
        (r"^A loopMaximum or loopCondition must be specified", "spiff.loop", None),
        (r"^A multiinstance task must specify", "spiff.multiinstance", None),
        (r"^Non-default exclusive outgoing sequence flow without condition", "spiff.flow_condition", None),
        (r"^Duplicate process ID: (\S+)", "spiff.duplicate_process", "process"),
        (r"^Data Store with name (.+?) has no implementation", "spiff.data_store", "store"),
        (r"^The process '([^']*)' was not found", "spiff.process_not_found", "process"),
        (r"^Cannot resolve data(?:In|Out)putAssociation", "spiff.data_reference", None),
        (r"^When looking for a task spec, we found two items.*\((.*)\)", "spiff.dangling_target", "target"),
        (r"^Time Specification Error\. (.*)", "spiff.timer", "detail"),
        (r"^Process (\S+) is not executable", "spiff.not_executable", "process"),
    )
)


def _clean(text: str) -> str:
    text = _ELEMENT_REPR.sub(lambda m: f"bpmn:{m.group(1)}", text)
    text = text.strip().rstrip(".").strip()
    return text[:300]


def _line_of(root: etree._Element | None, element_id: str) -> int | None:
    if root is None or not element_id:
        return None
    for element in root.iter():
        if element.get("id") == element_id:
            return element.sourceline
    return None


def is_recursion(exc: BaseException) -> bool:
    if isinstance(exc, RecursionError):
        return True
    return isinstance(exc, ValidationException) and "RecursionError" in str(exc.args[0] if exc.args else "")


def problem_from_exception(
    exc: BaseException, fallback_id: str, root: etree._Element | None = None
) -> Problem:
    """One Problem for anything SpiffWorkflow raised while parsing; never raises itself."""
    if is_recursion(exc):
        return Problem(fallback_id, "spiff.too_long")
    if not isinstance(exc, ValidationException):
        return Problem(
            fallback_id, "spiff.internal", {"error": type(exc).__name__, "detail": _clean(str(exc))}
        )
    raw = str(exc.args[0]) if exc.args else str(exc)
    element_id = getattr(exc, "id", "") or fallback_id
    params: dict[str, object] = {
        "detail": _clean(raw),
        "tag": getattr(exc, "tag", "") or "",
        "spiff": _clean(raw),
    }
    line = _line_of(root, getattr(exc, "id", "") or "")
    if line is not None:
        params["line"] = line
    for pattern, key, param in _KNOWN:
        match = pattern.search(raw)
        if match:
            if param is not None:
                params[param] = _clean(match.group(1)) if param == "detail" else match.group(1)
            return Problem(element_id, key, params)
    return Problem(element_id, "spiff.rejected", params)
