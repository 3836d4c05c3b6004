"""Form schemas: what a task form asks for, as plain data that can be checked before use.

A schema is read from a YAML file written by a process designer (or converted from a Camunda
form) and checked by `load_schema` (the rules live in schema_loader.py), so the builder can
trust it and stay simple.  Nothing here imports WTForms: a schema is data, and can be checked
and listed without building a form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms import filetypes

# A text shown to people: one string, or one per language ({"id": ..., "en": ...}).
LocalText = str | Mapping[str, str]

DEFAULT_LANG = "id"

FIELD_TYPES = (
    "text",
    "textarea",
    "number",
    "date",
    "select",
    "radio",
    "checkbox",
    "multiselect",
    "file",
)
CHOICE_TYPES = frozenset({"select", "radio", "multiselect"})

DEFAULT_ACCEPT = (filetypes.PDF, filetypes.PNG, filetypes.JPEG)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class FormSchemaError(ValueError):
    """A form schema that cannot be used; says where (file, form, field) and what is wrong."""

    def __init__(
        self,
        problem: str,
        *,
        source: str | None = None,
        form: str | None = None,
        field: str | None = None,
    ) -> None:
        self.problem = problem
        self.source = source
        self.form = form
        self.field = field
        where = []
        if source:
            where.append(str(source))
        if form:
            where.append(f"form {form!r}")
        if field:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {problem}" if where else problem)


@dataclass(frozen=True)
class Option:
    value: str
    label: LocalText


@dataclass(frozen=True)
class RequiredIf:
    """This field must be filled when another field holds one of `values`."""

    field: str
    values: tuple[Any, ...]
    message: LocalText | None = None


@dataclass(frozen=True)
class FieldSchema:
    name: str
    type: str
    label: LocalText
    required: bool = False
    help: LocalText | None = None
    options: tuple[Option, ...] | None = None
    options_from: str | None = None
    default: Any = None
    min: int | float | None = None
    max: int | float | None = None
    integer: bool = False
    min_length: int | None = None
    max_length: int | None = None
    accept: tuple[str, ...] | None = None
    max_bytes: int | None = None
    placeholder: LocalText | None = None
    readonly: bool = False
    required_if: RequiredIf | None = None


@dataclass(frozen=True)
class FormSchema:
    key: str
    title: LocalText
    description: LocalText | None = None
    fields: tuple[FieldSchema, ...] = ()
    # True: the form opens with what the process already holds under its field names (a
    # draft sent back for changes).  False: it opens empty (a decision each reviewer takes
    # afresh, never pre-chosen by the previous reviewer's answer).
    prefill: bool = True

    def field(self, name: str) -> FieldSchema:
        for f in self.fields:
            if f.name == name:
                return f
        raise LookupError(f"form {self.key!r} has no field {name!r}")


def localize(text: LocalText | None, lang: str = DEFAULT_LANG) -> str:
    """Pick `lang`, else Bahasa Indonesia, else whatever is there: a label is never blank."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get(DEFAULT_LANG) or next(iter(text.values()), "")


def load_schema(data: Mapping[str, Any], key: str, *, source: str | None = None) -> FormSchema:
    """Check one form's mapping (as read from YAML) and turn it into a FormSchema.

    `source` (usually the file path) only goes into error messages.
    """
    # Imported here because the checks build the classes defined above.
    from forms.schema_loader import SchemaLoader

    return SchemaLoader(key, source).form(data)
