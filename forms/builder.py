"""Turn a FormSchema into a WTForms class at run time, and move values between it and task data.

A fresh class is made for every call with `type(name, (base,), attrs)`, never by setattr on a
shared class, because choices can come from one task's data and the language from one request.
The base class is a parameter so that forms/ stays free of Flask: the web layer passes
FlaskForm (for CSRF), tests pass plain wtforms.Form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import wtforms

from forms.field_types import FIELD_TYPES, BuildContext
from forms.schema import DEFAULT_LANG, FormSchema, FormSchemaError
from forms.translations import translations_for


def build_form_class(
    schema: FormSchema,
    base: type[wtforms.Form] = wtforms.Form,
    *,
    lang: str = DEFAULT_LANG,
    task_data: Mapping[str, Any] | None = None,
) -> type[wtforms.Form]:
    """A form class for `schema`, with labels and messages in `lang`.

    `task_data` supplies the options of fields that use `options_from`.
    """
    ctx = BuildContext(schema=schema, lang=lang, task_data=task_data or {})
    attrs: dict[str, Any] = {
        "Meta": _meta(lang),
        "_lontar_schema": schema,
        "_lontar_lang": lang,
    }
    for fs in schema.fields:
        # The schema refuses known clashes; this catches whatever a custom base adds.
        if hasattr(base, fs.name) or hasattr(base, f"validate_{fs.name}"):
            raise FormSchemaError(
                f"the name clashes with an attribute of {base.__name__}", form=schema.key, field=fs.name
            )
        attrs[fs.name] = FIELD_TYPES[fs.type].make(fs, ctx)
    return type(_class_name(schema.key), (base,), attrs)


def _meta(lang: str) -> type:
    translations = translations_for(lang)

    class Meta:
        # Listed first in the MRO, so it wins over FlaskForm.Meta's translations (and only those).
        def get_translations(self, form: Any) -> Any:
            return translations

    return Meta


def _class_name(key: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", key) if part) + "Form"


def form_data(form: wtforms.Form, schema: FormSchema) -> dict[str, Any]:
    """The submitted values as JSON-able task data.

    Files are left out (see `form_files`), and so are readonly fields: their value was shown
    from task data and is never taken back from the request.
    """
    return {
        fs.name: FIELD_TYPES[fs.type].to_json(form[fs.name].data)
        for fs in schema.fields
        if fs.type != "file" and not fs.readonly
    }


def form_files(form: wtforms.Form, schema: FormSchema) -> dict[str, Any]:
    """The uploaded files (FileStorage-like objects, streams at 0) by field name; empty inputs are left out."""
    return {
        fs.name: form[fs.name].data
        for fs in schema.fields
        if fs.type == "file" and form[fs.name].data is not None
    }


def initial_data(schema: FormSchema, task_data: Mapping[str, Any] | None) -> dict[str, Any]:
    """What to pre-fill from task data, e.g. a draft sent back for changes: `Form(data=...)`.

    A value that cannot be shown in its field (a date that is not ISO text, say) is left out
    rather than failing the page; the field then falls back to its schema default.
    """
    result: dict[str, Any] = {}
    for fs in schema.fields:
        if fs.type == "file" or not task_data or task_data.get(fs.name) is None:
            continue
        try:
            result[fs.name] = FIELD_TYPES[fs.type].from_json(task_data[fs.name])
        except (ValueError, TypeError):
            continue
    return result
