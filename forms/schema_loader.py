"""The rules a form schema must follow, applied to the mapping read from YAML.

Everything a process designer can get wrong is caught here, at load time, with a message that
names the file, the form, the field and the problem, instead of surfacing later as a form
that silently ignores a key or a 500 when someone opens the task.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from forms import filetypes
from forms.schema import (
    CHOICE_TYPES,
    DEFAULT_ACCEPT,
    DEFAULT_LANG,
    DEFAULT_MAX_BYTES,
    FIELD_TYPES,
    FieldSchema,
    FormSchema,
    FormSchemaError,
    LocalText,
    Option,
    RequiredIf,
)

# Keys every field may have, then the keys that only make sense for some types.  A key given
# to a type that ignores it is refused, because it is almost always a mistake (max_length on a
# number, accept on a text field) that would otherwise pass silently.
_COMMON_KEYS = frozenset({"name", "type", "label", "required", "help", "default", "readonly", "required_if"})
_TYPE_KEYS: dict[str, frozenset[str]] = {
    "text": frozenset({"min_length", "max_length", "placeholder"}),
    "textarea": frozenset({"min_length", "max_length", "placeholder"}),
    "number": frozenset({"min", "max", "integer", "placeholder"}),
    "date": frozenset(),
    "select": frozenset({"options", "options_from", "placeholder"}),
    "radio": frozenset({"options", "options_from"}),
    "checkbox": frozenset(),
    "multiselect": frozenset({"options", "options_from"}),
    "file": frozenset({"accept", "max_bytes"}),
}
_FORM_KEYS = frozenset({"title", "description", "fields", "prefill"})

# Field names become attributes of a WTForms class and keys of task data.  These would shadow
# methods of wtforms.Form or FlaskForm (or, for "on_submit", turn FlaskForm.validate_on_submit
# into an inline validator), so they are refused here; the builder checks its real base too.
RESERVED_NAMES = frozenset(
    {
        "data",
        "errors",
        "form_errors",
        "meta",
        "populate_obj",
        "process",
        "validate",
        "csrf_token",
        "hidden_tag",
        "is_submitted",
        "validate_on_submit",
        "on_submit",
        "Meta",
    }
)
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}\Z")
# Form keys come from BPMN formKey attributes, which Camunda users write with dots and colons.
_FORM_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/-]{0,199}\Z")


class SchemaLoader:
    """Carries where we are (file, form, field) so every error can say it."""

    def __init__(self, key: str, source: str | None) -> None:
        self.key = key
        self.source = source
        self.field_name: str | None = None

    def error(self, problem: str) -> FormSchemaError:
        return FormSchemaError(problem, source=self.source, form=self.key, field=self.field_name)

    def form(self, data: Any) -> FormSchema:
        if not isinstance(self.key, str) or not _FORM_KEY.match(self.key):
            raise self.error("a form key must be 1-200 letters, digits or _ . : / -")
        if not isinstance(data, Mapping):
            raise self.error(f"a form must be a mapping, not {_kind(data)}")
        self.unknown_keys(data, _FORM_KEYS, "form")
        if "title" not in data:
            raise self.error("'title' is missing")
        title = self.text(data["title"], "title")
        description = self.text(data["description"], "description") if "description" in data else None
        prefill = data.get("prefill", True)
        if not isinstance(prefill, bool):
            raise self.error(f"'prefill' must be true or false, not {_kind(prefill)}")
        raw_fields = data.get("fields")
        if not isinstance(raw_fields, list):
            raise self.error(f"'fields' must be a list, not {_kind(raw_fields)}")

        fields: list[FieldSchema] = []
        seen: set[str] = set()
        for index, raw in enumerate(raw_fields, start=1):
            self.field_name = f"#{index}"
            field = self.field(raw)
            if field.name in seen:
                raise self.error("the name is used twice in this form")
            seen.add(field.name)
            fields.append(field)
        self.field_name = None
        by_name = {f.name: f for f in fields}
        for i, field in enumerate(fields):
            if field.required_if is not None:
                self.field_name = field.name
                fields[i] = replace(field, required_if=self.resolve_required_if(field, by_name))
        self.field_name = None
        return FormSchema(
            key=self.key, title=title, description=description, fields=tuple(fields), prefill=prefill
        )

    def field(self, raw: Any) -> FieldSchema:
        if not isinstance(raw, Mapping):
            raise self.error(f"a field must be a mapping, not {_kind(raw)}")
        name = raw.get("name")
        if name is None:
            raise self.error("'name' is missing")
        if not isinstance(name, str) or not _NAME.match(name):
            raise self.error(
                f"name {name!r} must start with a letter and hold only letters, digits and _ (at most 64)"
            )
        self.field_name = name
        if name in RESERVED_NAMES:
            raise self.error(f"{name!r} is reserved (it would hide a method of the form)")

        ftype = raw.get("type")
        if ftype is None:
            raise self.error("'type' is missing")
        if ftype not in FIELD_TYPES:
            raise self.error(f"unknown type {ftype!r}; known types: {', '.join(FIELD_TYPES)}")
        allowed = _COMMON_KEYS | _TYPE_KEYS[ftype]
        for k in raw:
            if k not in allowed:
                if k == "show_if":
                    raise self.error("'show_if' is not supported: every field is always shown")
                if any(k in keys for keys in _TYPE_KEYS.values()):
                    raise self.error(f"{k!r} does not apply to a {ftype} field")
                raise self.error(f"unknown key {k!r}")
        if "label" not in raw:
            raise self.error("'label' is missing")

        required = self.boolean(raw, "required")
        readonly = self.boolean(raw, "readonly")
        if required and readonly:
            raise self.error("a field cannot be both required and readonly")
        if ftype == "file" and readonly:
            raise self.error("a file field cannot be readonly")

        values: dict[str, Any] = {
            "name": name,
            "type": ftype,
            "label": self.text(raw["label"], "label"),
            "required": required,
            "readonly": readonly,
            "help": self.text(raw["help"], "help") if "help" in raw else None,
            "placeholder": self.text(raw["placeholder"], "placeholder") if "placeholder" in raw else None,
        }
        if ftype in ("text", "textarea"):
            values["min_length"] = self.count(raw, "min_length")
            values["max_length"] = self.count(raw, "max_length")
            self.ordered(values["min_length"], values["max_length"], "min_length", "max_length")
        elif ftype == "number":
            values["min"] = self.number(raw, "min")
            values["max"] = self.number(raw, "max")
            values["integer"] = self.boolean(raw, "integer")
            self.ordered(values["min"], values["max"], "min", "max")
        elif ftype in CHOICE_TYPES:
            values["options"], values["options_from"] = self.choices(raw)
        elif ftype == "file":
            values["accept"] = self.accept(raw.get("accept"))
            max_bytes = self.count(raw, "max_bytes")
            if max_bytes == 0:
                raise self.error("'max_bytes' must be more than 0")
            values["max_bytes"] = max_bytes if max_bytes is not None else DEFAULT_MAX_BYTES

        if "default" in raw:
            values["default"] = self.default(raw["default"], values)
        if "required_if" in raw:
            if required or readonly:
                raise self.error("'required_if' makes no sense on a field that is required or readonly")
            values["required_if"] = self.required_if(raw["required_if"])
        return FieldSchema(**values)

    # --- pieces -------------------------------------------------------------------------------

    def unknown_keys(self, data: Mapping[str, Any], allowed: frozenset[str], what: str) -> None:
        for k in data:
            if k not in allowed:
                raise self.error(f"unknown {what} key {k!r}; allowed: {', '.join(sorted(allowed))}")

    def text(self, value: Any, what: str) -> LocalText:
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, Mapping) and value:
            if DEFAULT_LANG not in value:
                raise self.error(f"{what!r} needs an {DEFAULT_LANG!r} (Bahasa Indonesia) text")
            for lang, text in value.items():
                if not isinstance(lang, str) or not isinstance(text, str) or not text.strip():
                    raise self.error(f"{what!r} in {lang!r} must be non-empty text")
            return dict(value)
        raise self.error(f"{what!r} must be non-empty text or a mapping of language to text")

    def boolean(self, raw: Mapping[str, Any], k: str) -> bool:
        value = raw.get(k, False)
        if not isinstance(value, bool):
            raise self.error(f"{k!r} must be true or false, not {value!r}")
        return value

    def count(self, raw: Mapping[str, Any], k: str) -> int | None:
        value = raw.get(k)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.error(f"{k!r} must be a whole number of 0 or more, not {value!r}")
        return value

    def number(self, raw: Mapping[str, Any], k: str) -> int | float | None:
        value = raw.get(k)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.error(f"{k!r} must be a number, not {value!r}")
        return value

    def ordered(self, low: Any, high: Any, low_name: str, high_name: str) -> None:
        if low is not None and high is not None and low > high:
            raise self.error(f"{low_name!r} ({low}) is more than {high_name!r} ({high})")

    def choices(self, raw: Mapping[str, Any]) -> tuple[tuple[Option, ...] | None, str | None]:
        has_options = raw.get("options") is not None
        source = raw.get("options_from")
        if has_options and source is not None:
            raise self.error("give either 'options' or 'options_from', not both")
        if source is not None:
            if not isinstance(source, str) or not _NAME.match(source):
                raise self.error(f"'options_from' must name a task-data key, not {source!r}")
            return None, source
        if not has_options:
            raise self.error(f"a {raw['type']} field needs 'options' or 'options_from'")
        options = raw["options"]
        if not isinstance(options, list) or not options:
            raise self.error("'options' must be a non-empty list")
        result: list[Option] = []
        seen: set[str] = set()
        for item in options:
            if isinstance(item, Mapping):
                for k in item:
                    if k not in ("value", "label"):
                        raise self.error(f"unknown option key {k!r}; allowed: label, value")
                value = item.get("value")
                label = item.get("label")
            else:
                value, label = item, None
            if isinstance(value, bool) or not isinstance(value, str | int) or str(value) == "":
                raise self.error(f"an option value must be non-empty text or a whole number, not {value!r}")
            value = str(value)
            if value in seen:
                raise self.error(f"option {value!r} is listed twice")
            seen.add(value)
            result.append(Option(value, self.text(label, "option label") if label is not None else value))
        return tuple(result), None

    def accept(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return DEFAULT_ACCEPT
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            raise self.error("'accept' must be a MIME type or a non-empty list of them")
        for item in items:
            if item not in filetypes.KNOWN_TYPES:
                raise self.error(
                    f"cannot recognise {item!r} from a file's content; "
                    f"known: {', '.join(sorted(filetypes.KNOWN_TYPES))}"
                )
        return tuple(items)

    def default(self, value: Any, field: Mapping[str, Any]) -> Any:
        ftype = field["type"]
        if value is None:
            return None
        if ftype in ("text", "textarea") and isinstance(value, str):
            return value
        if ftype == "number" and isinstance(value, int | float) and not isinstance(value, bool):
            return value
        if ftype == "checkbox" and isinstance(value, bool):
            return value
        if ftype == "date":
            if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                return value
            if isinstance(value, str):
                try:
                    return datetime.date.fromisoformat(value)
                except ValueError:
                    pass
            raise self.error(f"'default' must be a date written YYYY-MM-DD, not {value!r}")
        if ftype in ("select", "radio") and isinstance(value, str | int) and not isinstance(value, bool):
            return self.known_option(str(value), field)
        if ftype == "multiselect" and isinstance(value, list):
            return [self.known_option(str(v), field) for v in value]
        raise self.error(f"'default' {value!r} does not suit a {ftype} field")

    def known_option(self, value: str, field: Mapping[str, Any]) -> str:
        options = field.get("options")
        if options is not None and value not in {o.value for o in options}:
            raise self.error(f"'default' {value!r} is not one of the options")
        return value

    def required_if(self, value: Any) -> RequiredIf:
        if not isinstance(value, Mapping):
            raise self.error("'required_if' must be a mapping with 'field' and 'value'")
        for k in value:
            if k not in ("field", "value", "message"):
                raise self.error(f"unknown required_if key {k!r}; allowed: field, message, value")
        other = value.get("field")
        if not isinstance(other, str) or "value" not in value:
            raise self.error("'required_if' needs 'field' (a field name) and 'value'")
        wanted = value["value"]
        values = tuple(wanted) if isinstance(wanted, list) else (wanted,)
        if not values:
            raise self.error("'required_if' value list is empty")
        message = self.text(value["message"], "required_if message") if "message" in value else None
        return RequiredIf(field=other, values=values, message=message)

    def resolve_required_if(self, field: FieldSchema, by_name: Mapping[str, FieldSchema]) -> RequiredIf:
        """Check the rule against the field it names, now that every field is known."""
        rule = field.required_if
        assert rule is not None
        if rule.field == field.name:
            raise self.error("'required_if' cannot refer to the field itself")
        other = by_name.get(rule.field)
        if other is None:
            raise self.error(f"'required_if' refers to {rule.field!r}, which is not in this form")
        if other.type == "file":
            raise self.error("'required_if' cannot depend on a file field")
        expected = {
            "checkbox": (bool, "true or false"),
            "number": (int | float, "numbers"),
            "text": (str, "text"),
            "textarea": (str, "text"),
            "date": (datetime.date, "dates (YYYY-MM-DD)"),
        }.get(other.type)
        if expected is not None:
            kind, words = expected
            for v in rule.values:
                if not isinstance(v, kind) or (other.type == "number" and isinstance(v, bool)):
                    raise self.error(
                        f"'required_if' on {other.type} field {rule.field!r} needs {words}, not {v!r}"
                    )
            return rule
        if other.type in CHOICE_TYPES:
            values = tuple(str(v) for v in rule.values)
            if other.options is not None:
                known = {o.value for o in other.options}
                for v in values:
                    if v not in known:
                        raise self.error(f"'required_if' value {v!r} is not an option of {rule.field!r}")
            return replace(rule, values=values)
        return rule


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text"}.get(type(value), type(value).__name__)
