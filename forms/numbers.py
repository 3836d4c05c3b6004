"""A number field that takes plain decimal numbers and nothing else.

WTForms' numeric fields accept whatever Python's int()/Decimal() accept, which includes
"1_000", "NaN" and "Infinity"; none of those belong in a letter's task data.  Values are kept
as Decimal so that "0.1" stays exact until `form_data` decides between int and float.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import StopValidation
from wtforms.widgets import NumberInput

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)\Z")


class NumberField(Field):
    widget = NumberInput(step="any")

    def __init__(self, label: Any = None, validators: Any = None, *, integer: bool = False, **kwargs: Any):
        super().__init__(label, validators, **kwargs)
        self.integer = integer

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def process_data(self, value: Any) -> None:
        if value is None or value is unset_value:
            self.data = None
            return
        try:
            self.data = to_decimal(value)
        except (ValueError, TypeError):
            self.data = None

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        text = valuelist[0].strip() if isinstance(valuelist[0], str) else ""
        self.data = None
        if not text:
            return  # empty: the presence validators decide whether that is allowed
        if len(text) > 40 or not _NUMBER.match(text):
            raise ValueError(self.gettext("Not a valid number."))
        value = Decimal(text)
        if self.integer and value != value.to_integral_value():
            raise ValueError(self.gettext("Not a valid integer value."))
        self.data = value

    def pre_validate(self, form: Any) -> None:
        # Text that is not a number has been reported; a range check on nothing would only add noise.
        if self.process_errors:
            raise StopValidation()


def to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise TypeError("not a number")
    text = str(value).strip()
    if not _NUMBER.match(text):
        raise ValueError("not a plain number")
    return Decimal(text)
