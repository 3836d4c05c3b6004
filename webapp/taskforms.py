"""The form of a user task: from the form library by formKey, from a Camunda generated form,
or — for a task that asks nothing — just a confirmation with its CSRF token."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm

from engine.models import HumanTask
from forms.builder import build_form_class, form_data, form_files, initial_data
from forms.camunda import schema_from_camunda
from forms.library import FormNotFound
from forms.schema import FormSchema
from webapp.context import form_library
from webapp.i18n import current_lang
from webapp.localized import LocalizedForm


class ConfirmForm(LocalizedForm):
    """A task with no form: completing it is the whole answer."""


def schema_for(task: HumanTask) -> FormSchema | None:
    if task.form_key:
        try:
            return form_library().get(task.form_key)
        except FormNotFound:
            pass
    if task.form_fields:
        return schema_from_camunda(task.form_key or f"task_{task.bpmn_id}", task.form_fields)
    return None


def form_for(
    task: HumanTask, schema: FormSchema | None, *, prefill: bool, values: dict[str, Any] | None = None
) -> FlaskForm:
    """`values`: an answer waiting for confirmation (delegate with return); it pre-fills the form
    even where the schema opens empty."""
    if schema is None:
        return ConfirmForm()
    form_class = build_form_class(schema, FlaskForm, lang=current_lang(), task_data=task.context)
    if prefill and values:
        return form_class(data=initial_data(schema, {**(task.context if schema.prefill else {}), **values}))
    if prefill and schema.prefill:
        return form_class(data=initial_data(schema, task.context))
    return form_class()


def submitted_values(form: FlaskForm, schema: FormSchema | None) -> tuple[dict[str, Any], dict[str, Any]]:
    if schema is None:
        return {}, {}
    return form_data(form, schema), form_files(form, schema)
