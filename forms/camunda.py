"""Read forms drawn in Camunda Modeler (camunda:formData) as Lontar form schemas.

Diagrams made for Camunda carry their forms inside the BPMN.  Rather than a second builder,
each Camunda field is rewritten as the YAML shape and handed to `load_schema`, so a Camunda
form is checked by exactly the same rules, and fails with the same kind of message, as one
from the library.  The input is the list of field dicts SpiffWorkflow's Camunda serializer
writes (`default_value`) or Modeler-like dicts (`default`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from forms.schema import FormSchema, FormSchemaError, LocalText, load_schema

_TYPES = {"string": "text", "long": "number", "boolean": "checkbox", "date": "date", "enum": "select"}
# Camunda's date fields write dd/MM/yyyy by default; ISO is accepted too.
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def schema_from_camunda(
    key: str,
    fields: Sequence[Mapping[str, Any]],
    *,
    title: LocalText | None = None,
    source: str | None = None,
) -> FormSchema:
    """A FormSchema for a Camunda form.  Camunda forms have no title; the key stands in."""
    where = source or "Camunda form"
    converted = [_field(raw, key, where) for raw in fields]
    return load_schema({"title": title or key, "fields": converted}, key, source=where)


def _field(raw: Mapping[str, Any], key: str, source: str) -> dict[str, Any]:
    name = raw.get("id")

    def error(problem: str) -> FormSchemaError:
        return FormSchemaError(problem, source=source, form=key, field=str(name) if name else None)

    if not name:
        raise error("a Camunda field has no 'id'")
    camunda_type = raw.get("type")
    if camunda_type not in _TYPES:
        raise error(f"unknown Camunda type {camunda_type!r}; known: {', '.join(_TYPES)}")
    ftype = _TYPES[camunda_type]
    out: dict[str, Any] = {"name": name, "type": ftype, "label": raw.get("label") or name}
    if camunda_type == "long":
        out["integer"] = True
    if camunda_type == "enum":
        out["options"] = [
            {"value": o.get("id"), "label": o.get("name") or o.get("id")} for o in raw.get("options") or []
        ]

    for rule in raw.get("validation") or []:
        rule_name, config = rule.get("name"), rule.get("config")
        if rule_name == "required":
            out["required"] = True
        elif rule_name == "readonly":
            out["readonly"] = True
        elif rule_name in ("min", "max"):
            out[rule_name] = _number(config, rule_name, error)
        elif rule_name in ("minlength", "maxlength"):
            value = _number(config, rule_name, error)
            if not isinstance(value, int):
                raise error(f"{rule_name} must be a whole number, not {config!r}")
            out[rule_name.replace("length", "_length")] = value
        else:
            raise error(f"Camunda validation {rule_name!r} is not supported")

    default = raw.get("default", raw.get("default_value"))
    if default not in (None, ""):
        out["default"] = _default(default, camunda_type, error)
    return out


def _number(config: Any, rule_name: str, error: Any) -> int | float:
    try:
        text = str(config).strip()
        return int(text) if text.lstrip("+-").isdigit() else float(text)
    except (TypeError, ValueError):
        raise error(f"{rule_name} needs a number, not {config!r}") from None


def _default(value: Any, camunda_type: str, error: Any) -> Any:
    if camunda_type == "long":
        try:
            return int(str(value).strip())
        except ValueError:
            raise error(f"default {value!r} is not a whole number") from None
    if camunda_type == "boolean":
        if isinstance(value, bool):
            return value
        if str(value).strip().lower() in ("true", "false"):
            return str(value).strip().lower() == "true"
        raise error(f"default {value!r} is not true or false")
    if camunda_type == "date":
        if isinstance(value, datetime.date):
            return value
        for fmt in _DATE_FORMATS:
            try:
                return datetime.datetime.strptime(str(value).strip(), fmt).date()
            except ValueError:
                continue
        raise error(f"default {value!r} is not a date (dd/MM/yyyy or yyyy-MM-dd)")
    return str(value)
