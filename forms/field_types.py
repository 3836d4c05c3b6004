"""The registry of field types: for each schema type, its WTForms field, validators and data shape.

Keeping all three together (Indico's `BaseField._make_wtforms_field` idea) means a new type is
one function here plus one entry in schema.FIELD_TYPES, and `form_data` / `initial_data` never
grow an if-chain over types.  Choice lists are given to WTForms as dicts, because WTForms 3.3
warns about tuples and the test suite turns warnings into errors.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Disabled,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)
from wtforms.widgets import CheckboxInput, ListWidget

from forms import translations
from forms.numbers import NumberField, to_decimal
from forms.schema import FieldSchema, FormSchema, localize
from forms.uploads import AllowedTypes, FileOptional, FileRequired, MaxBytes, UploadField


class TaskOptionsError(ValueError):
    """Task data meant to hold a field's options holds something else (a process bug)."""


@dataclass(frozen=True)
class BuildContext:
    schema: FormSchema
    lang: str
    task_data: Mapping[str, Any] = field(default_factory=dict)

    def text(self, value: Any) -> str:
        return localize(value, self.lang)

    def gettext(self, message_id: str) -> str:
        return translations.gettext(self.lang, message_id)


@dataclass(frozen=True)
class FieldType:
    make: Callable[[FieldSchema, BuildContext], UnboundField]
    to_json: Callable[[Any], Any]  # field.data -> a JSON-able value for task data
    from_json: Callable[[Any], Any]  # task data -> field data; ValueError/TypeError if unusable


FIELD_TYPES: dict[str, FieldType] = {}


def field_type(
    name: str, *, to_json: Callable[[Any], Any], from_json: Callable[[Any], Any]
) -> Callable[[Callable[[FieldSchema, BuildContext], UnboundField]], Any]:
    def register(make: Callable[[FieldSchema, BuildContext], UnboundField]) -> Any:
        FIELD_TYPES[name] = FieldType(make=make, to_json=to_json, from_json=from_json)
        return make

    return register


# --- the parts every field shares ------------------------------------------------------------


class RequiredIf:
    """Required while another field holds one of `values` (e.g. catatan when kembalikan)."""

    def __init__(self, other: str, values: tuple[Any, ...], message: str) -> None:
        self.other = other
        self.values = values
        self.message = message

    def __call__(self, form: Any, field: Field) -> None:
        try:
            current = form[self.other].data
        except KeyError:
            return
        if isinstance(current, list):
            hit = any(v in self.values for v in current)
        else:
            hit = current is not None and current in self.values
        if hit and _left_empty(field):
            field.errors[:] = []
            raise StopValidation(self.message)


class ShownOnly(Disabled):
    """A readonly field: shown from task data, never taken from the request.

    A value sent anyway is refused, and no further check runs, since the shown value came
    from the process, not from this person.
    """

    def __call__(self, form: Any, field: Field) -> None:
        super().__call__(form, field)
        raise StopValidation()


def _left_empty(field: Field) -> bool:
    # The same test as wtforms' Optional: what was sent, not what it parsed to (0 is an answer).
    if isinstance(field, UploadField):
        return field.data is None
    raw = field.raw_data
    return not raw or (isinstance(raw[0], str) and not raw[0].strip())


def _required_if_message(fs: FieldSchema, ctx: BuildContext) -> str:
    rule = fs.required_if
    assert rule is not None
    if rule.message is not None:
        return ctx.text(rule.message)
    other = ctx.schema.field(rule.field)
    labels = {o.value: ctx.text(o.label) for o in other.options or ()}
    shown = []
    for v in rule.values:
        if isinstance(v, bool):
            shown.append(ctx.gettext("yes") if v else ctx.gettext("no"))
        else:
            shown.append(labels.get(v, str(v)))
    message = ctx.gettext("This field is required when %(field)s is %(value)s.")
    return message % {"field": ctx.text(other.label), "value": " / ".join(shown)}


def _presence(fs: FieldSchema, ctx: BuildContext, required: Any, optional: Any | None = None) -> list[Any]:
    """The validators that decide whether the field may be left empty; they run first."""
    if fs.readonly:
        return [ShownOnly()]
    if fs.required:
        return [required]
    chain: list[Any] = []
    if fs.required_if is not None:
        chain.append(RequiredIf(fs.required_if.field, fs.required_if.values, _required_if_message(fs, ctx)))
    chain.append(optional if optional is not None else Optional())
    return chain


def _common(fs: FieldSchema, ctx: BuildContext) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"label": ctx.text(fs.label), "description": ctx.text(fs.help)}
    if fs.default is not None:
        kwargs["default"] = fs.default
    if fs.placeholder is not None:
        kwargs["render_kw"] = {"placeholder": ctx.text(fs.placeholder)}
    return kwargs


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


# --- text -------------------------------------------------------------------------------------


def _text_validators(fs: FieldSchema, ctx: BuildContext) -> list[Any]:
    chain = _presence(fs, ctx, DataRequired())
    if fs.min_length is not None or fs.max_length is not None:
        lo = fs.min_length if fs.min_length is not None else -1
        hi = fs.max_length if fs.max_length is not None else -1
        chain.append(Length(min=lo, max=hi))
    return chain


def _text_from_json(value: Any) -> str:
    if isinstance(value, dict | list):
        raise TypeError("not text")
    return str(value)


@field_type("text", to_json=lambda d: d or "", from_json=_text_from_json)
def _text(fs: FieldSchema, ctx: BuildContext) -> UnboundField:
    return StringField(validators=_text_validators(fs, ctx), filters=[_strip], **_common(fs, ctx))


@field_type("textarea", to_json=lambda d: d or "", from_json=_text_from_json)
def _textarea(fs: FieldSchema, ctx: BuildContext) -> UnboundField:
    return TextAreaField(validators=_text_validators(fs, ctx), filters=[_strip], **_common(fs, ctx))


# --- number -----------------------------------------------------------------------------------


def _number_to_json(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@field_type("number", to_json=_number_to_json, from_json=to_decimal)
def _number(fs: FieldSchema, ctx: BuildContext) -> UnboundField:
    chain = _presence(fs, ctx, InputRequired())
    if fs.min is not None or fs.max is not None:
        chain.append(NumberRange(min=fs.min, max=fs.max))
    kwargs = _common(fs, ctx)
    if fs.integer:
        kwargs["render_kw"] = {**kwargs.get("render_kw", {}), "step": "1"}
    return NumberField(validators=chain, integer=fs.integer, **kwargs)


# --- date -------------------------------------------------------------------------------------


def _date_from_json(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    raise TypeError("not a date")


@field_type("date", to_json=lambda d: d.isoformat() if d else None, from_json=_date_from_json)
def _date(fs: FieldSchema, ctx: BuildContext) -> UnboundField:
    return DateField(validators=_presence(fs, ctx, InputRequired()), format="%Y-%m-%d", **_common(fs, ctx))


# --- checkbox ---------------------------------------------------------------------------------


def _bool_from_json(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("not true or false")
    return value


@field_type("checkbox", to_json=bool, from_json=_bool_from_json)
def _checkbox(fs: FieldSchema, ctx: BuildContext) -> UnboundField:
    # Required means "must be ticked" (e.g. "I have read the attachment").
    return BooleanField(validators=_presence(fs, ctx, DataRequired()), **_common(fs, ctx))


# --- choices ----------------------------------------------------------------------------------


def choices_of(fs: FieldSchema, ctx: BuildContext) -> dict[str, str]:
    """value -> label in the build language, from the schema or from task data."""
    if fs.options is not None:
        return {o.value: ctx.text(o.label) for o in fs.options}
    assert fs.options_from is not None
    raw = ctx.task_data.get(fs.options_from)
    if raw is None:
        return {}  # nothing to choose yet; a required field will say so
    if not isinstance(raw, list | tuple):
        raise TaskOptionsError(
            f"task data {fs.options_from!r} (options of field {fs.name!r}) must be a list, "
            f"not {type(raw).__name__}"
        )
    result: dict[str, str] = {}
    for item in raw:
        if isinstance(item, Mapping) and "value" in item:
            value, label = item["value"], item.get("label", item["value"])
        else:
            value, label = item, item
        if isinstance(value, bool) or not isinstance(value, str | int) or str(value) == "":
            raise TaskOptionsError(
                f"task data {fs.options_from!r} (options of field {fs.name!r}) holds {item!r}; "
                "each option must be a value or a mapping with 'value' and 'label'"
            )
        result[str(value)] = localize(label, ctx.lang) if isinstance(label, str | Mapping) else str(label)
    return result


def _any_of(choices: dict[str, str]) -> AnyOf:
    # Name the allowed options by their labels: people never see the stored values.
    return AnyOf(list(choices), values_formatter=lambda values: ", ".join(choices[v] for v in values))


def _choice_from_json(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError("not an option value")
    return str(value)


@field_type("select", to_json=lambda d: d or None, from_json=_choice_from_json)
def _select(fs: FieldSchema, ctx: BuildContext) -> UnboundField:
    choices = choices_of(fs, ctx)
    blank = ctx.text(fs.placeholder) if fs.placeholder is not None else ctx.gettext("— Choose —")
    chain = [*_presence(fs, ctx, InputRequired()), _any_of(choices)]
    kwargs = _common(fs, ctx)
    kwargs.pop("render_kw", None)  # the placeholder is the blank option, not an attribute
    return SelectField(choices={"": blank, **choices}, validate_choice=False, validators=chain, **kwargs)


@field_type("radio", to_json=lambda d: d or None, from_json=_choice_from_json)
def _radio(fs: FieldSchema, ctx: BuildContext) -> UnboundField:
    choices = choices_of(fs, ctx)
    chain = [*_presence(fs, ctx, InputRequired()), _any_of(choices)]
    return RadioField(choices=choices, validate_choice=False, validators=chain, **_common(fs, ctx))


def _list_from_json(value: Any) -> list[str]:
    if not isinstance(value, list | tuple):
        raise TypeError("not a list")
    return [_choice_from_json(v) for v in value]


@field_type("multiselect", to_json=lambda d: [str(v) for v in d or ()], from_json=_list_from_json)
def _multiselect(fs: FieldSchema, ctx: BuildContext) -> UnboundField:
    # A list of checkboxes: easier on a phone than a <select multiple>.  WTForms' own
    # choice check (pre_validate) refuses values that are not offered.
    return SelectMultipleField(
        choices=choices_of(fs, ctx),
        validators=_presence(fs, ctx, DataRequired()),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        **_common(fs, ctx),
    )


# --- file -------------------------------------------------------------------------------------


def _no_json(value: Any) -> Any:
    raise TypeError("files are stored by the web layer, not in task data")


@field_type("file", to_json=_no_json, from_json=_no_json)
def _file(fs: FieldSchema, ctx: BuildContext) -> UnboundField:
    chain = _presence(fs, ctx, FileRequired(), FileOptional())
    assert fs.accept is not None and fs.max_bytes is not None
    chain += [MaxBytes(fs.max_bytes), AllowedTypes(fs.accept)]
    kwargs = _common(fs, ctx)
    kwargs.pop("default", None)
    return UploadField(validators=chain, **kwargs)
