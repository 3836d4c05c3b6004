"""Every piece of Python a diagram carries, checked by the sandbox before anything runs it.

SpiffWorkflow evaluates far more than gateway conditions: scripts, pre/post scripts, timer
expressions, multi-instance and loop conditions, message payloads and correlations, service
task parameters.  Each is found here by where it sits in the XML and handed to the sandbox's
static check, so a refused construct is reported at deploy with the element that holds it.
Timer texts that are plain literals are also checked as ISO 8601, which SpiffWorkflow only
does when the timer starts waiting — far too late for the designer.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from datetime import datetime

from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine import juel, messages, sandbox
from engine.camunda import ISO_LITERAL
from engine.diagram_files import BPMN_NS, SPIFF_NS, bpmn, local, owner_id
from engine.errors import Problem, SandboxViolation

messages.register(
    {
        "expr.timer_invalid": (
            "Nilai timer {kind} '{value}' bukan format ISO 8601 yang sah (contoh: {example}).",
            "Timer {kind} value '{value}' is not valid ISO 8601 (for example: {example}).",
        ),
        "expr.timer_unquoted": (
            "Timer '{value}' ditulis tanpa tanda kutip dan akan dibaca sebagai nama variabel; "
            'tulis "{value}" (dengan tanda kutip).',
            "Timer '{value}' is unquoted and would be read as a variable name; "
            'write "{value}" (with quotes).',
        ),
        "expr.timer_empty": ("Timer tidak punya nilai.", "The timer has no value."),
        "expr.script_format": (
            "Bahasa skrip '{format}' tidak didukung; hanya Python.",
            "Script language '{format}' is not supported; only Python is.",
        ),
        "expr.script_format_unknown": (
            "Bahasa skrip '{format}' tidak dikenal; skrip dijalankan sebagai Python.",
            "Unknown script language '{format}'; the script is run as Python.",
        ),
        "expr.check_failed": (
            "Ekspresi tidak dapat diperiksa ({error}); anggap ditolak.",
            "The expression could not be checked ({error}); treat it as refused.",
        ),
        "expr.script_empty": ("Script task tidak berisi skrip.", "The script task contains no script."),
    }
)

_EXAMPLES = {"timeDuration": "PT48H, P3D", "timeDate": "2025-01-31T17:00:00+07:00", "timeCycle": "R3/PT24H"}
_PYTHON_FORMATS = {"", "python", "python3", "py", "text/x-python", "text/python"}
# Languages Camunda runs that would reach Lontar's Python sandbox as garbage.
_OTHER_LANGUAGES = {
    "groovy", "javascript", "js", "ecmascript", "nashorn", "graal.js", "ruby", "jruby",
    "juel", "feel", "kotlin", "jython", "text/javascript", "application/javascript",
}  # fmt: skip
_SPIFF_SCRIPTS = ("preScript", "postScript")
# Elements normalise_dialect rewrites from JUEL (a JUEL text left there was refused already).
_NORMALISED = {
    "conditionExpression",
    "condition",
    "completionCondition",
    "loopCardinality",
    "loopCondition",
    *_EXAMPLES,
}
# DMNEngine replaces a '?' outside quotes with the input value (same regex as SpiffWorkflow 3.2.0).
_QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")
# Elements whose names are also used for non-Python content elsewhere in a BPMN file.
_ONLY_UNDER = {
    "formalExpression": {"correlationPropertyRetrievalExpression"},
    "expression": {"processVariableCorrelation"},
    "parameter": {"serviceTaskOperator"},
    "condition": {"conditionalEventDefinition"},
}


def _spiff(tag: str) -> str:
    return f"{{{SPIFF_NS}}}{tag}"


def _sites(root: etree._Element) -> Iterator[tuple[str, str, str, etree._Element]]:
    """(kind, element id, text, element): 'expression', 'script' or a timer tag name."""
    for element in root.iter(
        bpmn("conditionExpression"),
        bpmn("condition"),
        bpmn("completionCondition"),
        bpmn("loopCardinality"),
        bpmn("loopCondition"),
        bpmn("formalExpression"),
        bpmn("messagePath"),
        bpmn("timeDuration"),
        bpmn("timeDate"),
        bpmn("timeCycle"),
        bpmn("script"),
        _spiff("preScript"),
        _spiff("postScript"),
        _spiff("messagePayload"),
        _spiff("payloadExpression"),
        _spiff("expression"),
        _spiff("parameter"),
    ):
        name = local(element.tag)
        parent = element.getparent()
        parent_name = local(parent.tag) if parent is not None else ""
        if name in _ONLY_UNDER and parent_name not in _ONLY_UNDER[name]:
            continue
        where = owner_id(element) or _nearest_id(element)
        if name == "parameter":
            if element.get("value"):
                yield "expression", where, element.get("value") or "", element
            continue
        text = (element.text or "").strip()
        if name in ("script", *_SPIFF_SCRIPTS):
            yield "script", where, text, element
        elif name in _EXAMPLES:
            yield name, where, text, element
        elif text:
            yield "expression", where, text, element


def _nearest_id(element: etree._Element) -> str:
    node: etree._Element | None = element
    while node is not None:
        if node.get("id"):
            return node.get("id") or "file"
        node = node.getparent()
    return "file"


def _sandbox_problem(element_id: str, exc: SandboxViolation, kind: str) -> Problem:
    return Problem(element_id, exc.key, {**exc.params, "kind": kind})


def _valid_iso(kind: str, value: str) -> bool:
    try:
        if kind == "timeDuration":
            parsed = TimerEventDefinition.parse_iso_duration(value)
            return bool(parsed) and value.upper().startswith("P")
        if kind == "timeDate":
            return isinstance(TimerEventDefinition.parse_time_or_duration(value), datetime)
        cycles, _start, duration = TimerEventDefinition.parse_iso_recurring_interval(value)
        return value.upper().startswith("R") and duration.total_seconds() > 0
    except Exception:  # SpiffWorkflow raises bare Exception, ValueError, AttributeError here
        return False


def _timer_problems(kind: str, element_id: str, text: str) -> list[Problem]:
    if not text:
        return [Problem(element_id, "expr.timer_empty")]
    try:
        literal = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        literal = None
    if isinstance(literal, str):
        if _valid_iso(kind, literal.strip()):
            return []
        return [
            Problem(
                element_id,
                "expr.timer_invalid",
                {"kind": kind, "value": literal[:100], "example": _EXAMPLES[kind]},
            )
        ]
    if ISO_LITERAL.match(text) and _valid_iso(kind, text):
        return [Problem(element_id, "expr.timer_unquoted", {"value": text[:100]})]
    return _checked(sandbox.check_expression, element_id, text, kind)


def expression_problems(root: etree._Element) -> list[Problem]:
    """Sandbox and timer findings for every expression and script in the (normalised) diagram."""
    problems: list[Problem] = []
    for kind, element_id, text, element in _sites(root):
        if juel.is_juel(text) and kind != "script":
            if local(element.tag) not in _NORMALISED:
                problems += _checked(juel.juel_to_python, element_id, text, kind)
            continue  # still JUEL after normalise_dialect: it already reported why
        if kind in _EXAMPLES:
            problems.extend(_timer_problems(kind, element_id, text))
            continue
        if kind == "script":
            problems.extend(_script_problems(element_id, text, element))
            continue
        problems += _checked(sandbox.check_expression, element_id, text, kind)
    return problems


def _script_problems(element_id: str, text: str, element: etree._Element) -> list[Problem]:
    problems: list[Problem] = []
    parent = element.getparent()
    is_script_task = (
        local(element.tag) == "script" and parent is not None and parent.tag == f"{{{BPMN_NS}}}scriptTask"
    )
    if is_script_task:
        script_format = (parent.get("scriptFormat") or "").strip().lower()
        if script_format in _OTHER_LANGUAGES:
            return [Problem(element_id, "expr.script_format", {"format": parent.get("scriptFormat")})]
        if script_format not in _PYTHON_FORMATS:
            problems.append(
                Problem(
                    element_id,
                    "expr.script_format_unknown",
                    {"format": parent.get("scriptFormat")},
                    "warning",
                )
            )
    if not text:
        return [*problems, Problem(element_id, "expr.script_empty")] if is_script_task else problems
    return problems + _checked(sandbox.check_script, element_id, text, "script")


def _checked(check: Callable[[str], None], element_id: str, text: str, kind: str) -> list[Problem]:
    """Run one sandbox check; a crash of the checker itself is a refusal, never a traceback."""
    try:
        check(text)
    except SandboxViolation as exc:
        return [_sandbox_problem(element_id, exc, kind)]
    except Exception as exc:
        return [Problem(element_id, "expr.check_failed", {"error": f"{type(exc).__name__}: {exc}"[:200]})]
    return []


def script_task_problems(root: etree._Element) -> list[Problem]:
    """Script tasks with no bpmn:script child at all (SpiffWorkflow would run `None`)."""
    return [
        Problem(task.get("id") or "file", "expr.script_empty")
        for task in root.iter(bpmn("scriptTask"))
        if task.find(bpmn("script")) is None
    ]


def _dmn_match(input_expr: str, entry: str) -> str:
    """The Python SpiffWorkflow's DMNEngine.evaluate builds for one input cell (mirrored, not run)."""
    if _QUESTION_MARK.search(entry):
        return _QUESTION_MARK.sub("dmninputexpr", entry)
    try:
        ast.parse(entry)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return input_expr + entry
    return f"({input_expr}) == ({entry})"


def dmn_cell_problems(root: etree._Element) -> list[Problem]:
    """Sandbox findings for a DMN table's input expressions and cells (they are Python too)."""
    ns = etree.QName(root).namespace
    problems: list[Problem] = []
    for table in root.iter(f"{{{ns}}}decisionTable"):
        inputs = []
        for column in table.iterchildren(f"{{{ns}}}input"):
            text = (column.findtext(f"{{{ns}}}inputExpression/{{{ns}}}text") or "").strip()
            # No input expression: SpiffWorkflow puts repr(data[label]) there, a literal.
            inputs.append(text or "dmninputexpr")
            if text:
                problems += _checked(sandbox.check_expression, column.get("id") or "file", text, "dmn")
        for rule in table.iterchildren(f"{{{ns}}}rule"):
            entries = list(rule.iterchildren(f"{{{ns}}}inputEntry"))
            for column_text, entry in zip(inputs, entries, strict=False):
                text = (entry.findtext(f"{{{ns}}}text") or "").strip()
                if text and text != "-":
                    expr = _dmn_match(column_text, text)
                    problems += _checked(
                        sandbox.check_expression, entry.get("id") or rule.get("id") or "file", expr, "dmn"
                    )
            for entry in rule.iterchildren(f"{{{ns}}}outputEntry"):
                text = (entry.findtext(f"{{{ns}}}text") or "").strip()
                if text:
                    problems += _checked(
                        sandbox.check_expression, entry.get("id") or rule.get("id") or "file", text, "dmn"
                    )
    return problems
