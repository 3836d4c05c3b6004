"""Camunda Modeler files, run unchanged.

Regional admins draw in Camunda Modeler; SpiffWorkflow speaks Python and ignores camunda:
attributes.  Two things bridge the gap, both applied to the XML before SpiffWorkflow sees it:

* `camunda_extensions(node)` reads the camunda: attributes and elements Lontar needs for task
  assignment and forms into plain JSON-able data (the parser puts it in the task spec's
  `extensions["camunda"]`, so it is serialized with every stored instance).
* `normalise_dialect(root)` rewrites JUEL (`${...}`) conditions, loop expressions and timers
  into the Python SpiffWorkflow evaluates, quotes bare ISO-8601 timer literals in Camunda files
  and turns `camunda:collection` multi-instance into the standard loopDataInputRef form.  The
  rewrite is idempotent, so stored (already rewritten) XML can go through it again.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from engine import juel, messages
from engine.diagram_files import BPMN_NS, CAMUNDA_NS, bpmn, camunda, local, owner_id
from engine.errors import Problem, SandboxViolation

messages.register(
    {
        "camunda.collection": (
            "camunda:collection '{value}' harus berupa nama variabel (misalnya ${{daftar}}).",
            "camunda:collection '{value}' must be a variable name (e.g. ${{items}}).",
        ),
    }
)

# Where Camunda writes JUEL and SpiffWorkflow evaluates Python, as (parent tag, child tag).
EXPRESSION_ELEMENTS = (
    ("sequenceFlow", "conditionExpression"),
    ("conditionalEventDefinition", "condition"),
    ("multiInstanceLoopCharacteristics", "completionCondition"),
    ("multiInstanceLoopCharacteristics", "loopCardinality"),
    ("standardLoopCharacteristics", "loopCondition"),
    ("adHocSubProcess", "completionCondition"),
)
TIMER_ELEMENTS = ("timeDuration", "timeDate", "timeCycle")
USER_TASK_ATTRIBUTES = ("assignee", "formKey", "dueDate", "followUpDate", "priority")
LIST_ATTRIBUTES = ("candidateGroups", "candidateUsers")
# A bare ISO-8601 duration, date-time or repeating interval (what Camunda Modeler writes).
ISO_LITERAL = re.compile(r"^(?:P|R\d*/|\d{4}-)[0-9A-Za-z:.,/+\-]*$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def uses_camunda(root: etree._Element) -> bool:
    """True when the file declares the Camunda namespace: its bare timer texts are ISO literals."""
    return CAMUNDA_NS in root.nsmap.values() or any(
        CAMUNDA_NS in (el.nsmap or {}).values() for el in root.iterchildren()
    )


def _form_field(field: etree._Element) -> dict[str, Any]:
    options = [
        {"id": value.get("id"), "name": value.get("name")} for value in field.iterchildren(camunda("value"))
    ]
    validation = [
        {"name": constraint.get("name"), "config": constraint.get("config")}
        for group in field.iterchildren(camunda("validation"))
        for constraint in group.iterchildren(camunda("constraint"))
    ]
    properties = {
        prop.get("id"): prop.get("value")
        for group in field.iterchildren(camunda("properties"))
        for prop in group.iterchildren(camunda("property"))
        if prop.get("id")
    }
    result: dict[str, Any] = {
        "id": field.get("id"),
        "label": field.get("label"),
        "type": field.get("type"),
        "default": field.get("defaultValue"),
        "options": options,
        "validation": validation,
    }
    if properties:
        result["properties"] = properties
    return result


def camunda_extensions(node: etree._Element) -> dict[str, Any]:
    """The camunda: data of one BPMN element, as plain JSON-able values ({} when there is none)."""
    data: dict[str, Any] = {}
    if not isinstance(node.tag, str):
        return data
    extension_elements = node.find(bpmn("extensionElements"))
    if local(node.tag) == "userTask":
        for name in USER_TASK_ATTRIBUTES:
            value = node.get(camunda(name))
            if value is not None:
                data[name] = value
        for name in LIST_ATTRIBUTES:
            value = node.get(camunda(name))
            if value is not None:
                data[name] = [item.strip() for item in value.split(",") if item.strip()]
        if extension_elements is not None:
            form = extension_elements.find(camunda("formData"))
            if form is not None:
                data["formData"] = [_form_field(f) for f in form.iterchildren(camunda("formField"))]
    if extension_elements is not None:
        props = extension_elements.find(camunda("properties"))
        if props is not None:
            data["properties"] = {
                p.get("name"): p.get("value")
                for p in props.iterchildren(camunda("property"))
                if p.get("name")
            }
    return data


def _text(element: etree._Element) -> str:
    return (element.text or "").strip()


def _rewrite_juel(element: etree._Element, problems: list[Problem]) -> None:
    text = _text(element)
    if not text or not juel.is_juel(text):
        return
    try:
        element.text = juel.juel_to_python(text)
    except SandboxViolation as exc:
        # The sandbox's own key keeps the reason bilingual; the element id says where.
        problems.append(
            Problem(owner_id(element) or "file", exc.key, {**exc.params, "expression": text[:200]})
        )


def _rewrite_timer(element: etree._Element, camunda_dialect: bool, problems: list[Problem]) -> None:
    text = _text(element)
    if not text:
        return
    if juel.is_juel(text):
        _rewrite_juel(element, problems)
    elif camunda_dialect and ISO_LITERAL.match(text):
        element.text = f'"{text}"'


def _rewrite_collection(mi: etree._Element, problems: list[Problem]) -> None:
    collection = mi.get(camunda("collection"))
    if collection is None or mi.find(bpmn("loopCardinality")) is not None:
        return
    if mi.find(bpmn("loopDataInputRef")) is not None:
        return
    name = collection.strip()
    if juel.is_juel(name):
        name = name[2:-1].strip()
    if not _IDENTIFIER.match(name):
        problems.append(Problem(owner_id(mi) or "file", "camunda.collection", {"value": collection}))
        return
    ref = etree.Element(bpmn("loopDataInputRef"))
    ref.text = name
    mi.insert(0, ref)
    element_variable = (mi.get(camunda("elementVariable")) or "").strip()
    if element_variable and mi.find(bpmn("inputDataItem")) is None:
        item = etree.Element(bpmn("inputDataItem"), id=element_variable, name=element_variable)
        output_ref = mi.find(bpmn("loopDataOutputRef"))
        mi.insert(mi.index(output_ref) + 1 if output_ref is not None else 1, item)


def normalise_dialect(root: etree._Element) -> list[Problem]:
    """Rewrite `root` in place into the Python dialect; JUEL that cannot be translated is a Problem."""
    problems: list[Problem] = []
    camunda_dialect = uses_camunda(root)
    wanted = {
        bpmn(child): {bpmn(parent) for parent, c in EXPRESSION_ELEMENTS if c == child}
        for _, child in EXPRESSION_ELEMENTS
    }
    timers = {bpmn(t) for t in TIMER_ELEMENTS}
    for element in list(root.iter(*wanted, *timers, bpmn("multiInstanceLoopCharacteristics"))):
        tag = element.tag
        if tag in timers:
            _rewrite_timer(element, camunda_dialect, problems)
        elif tag == bpmn("multiInstanceLoopCharacteristics"):
            _rewrite_collection(element, problems)
        else:
            parent = element.getparent()
            if parent is not None and parent.tag in wanted[tag]:
                _rewrite_juel(element, problems)
    return problems


__all__ = ["BPMN_NS", "CAMUNDA_NS", "camunda_extensions", "normalise_dialect", "uses_camunda"]
