"""The file field and its checks: presence, size and type, measured on the bytes themselves.

Flask-WTF has a FileField, but forms/ must not import Flask; this one accepts any object
shaped like werkzeug's FileStorage (a `filename` and a `stream`), which is what Flask puts in
`request.files` and what tests build by hand.  Every check leaves the stream at position 0 so
the web layer can store the file after validation without seeking first.
"""

from __future__ import annotations

from typing import IO, Any

from wtforms import Field
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import FileInput

from forms import filetypes


def is_upload(value: Any) -> bool:
    """A file the person actually chose: browsers send an empty part for an empty input."""
    return bool(getattr(value, "filename", None)) and hasattr(value, "stream")


def stream_of(upload: Any) -> IO[bytes]:
    return upload.stream


class UploadField(Field):
    """Holds the uploaded file object, or None; text posted in its place is ignored."""

    widget = FileInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = next((v for v in valuelist if is_upload(v)), None)

    def process_data(self, value: Any) -> None:
        # A file cannot be pre-filled: browsers ignore a file input's value.
        self.data = None

    def _value(self) -> bool:
        return False


class FileRequired:
    def __init__(self) -> None:
        self.field_flags = {"required": True}

    def __call__(self, form: Any, field: Field) -> None:
        if field.data is None:
            field.errors[:] = []
            raise StopValidation(field.gettext("This field is required."))


class FileOptional:
    """Ends the chain when no file was chosen, so the size and type checks only see files."""

    def __call__(self, form: Any, field: Field) -> None:
        if field.data is None:
            field.errors[:] = []
            raise StopValidation()


class MaxBytes:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes

    def __call__(self, form: Any, field: Field) -> None:
        if field.data is None:
            return
        if filetypes.size_of(stream_of(field.data)) > self.max_bytes:
            message = field.gettext("The file is too large (at most %(max)s).")
            # Stop here: there is no point reading an oversized file to tell its type.
            raise StopValidation(message % {"max": filetypes.human_size(self.max_bytes)})


class AllowedTypes:
    """Refuses a file whose content is not one of `accept`; also sets the HTML accept hint."""

    def __init__(self, accept: tuple[str, ...]) -> None:
        self.accept = accept
        self.field_flags = {"accept": ",".join(accept)}

    def __call__(self, form: Any, field: Field) -> None:
        if field.data is None:
            return
        if not filetypes.accepts(self.accept, filetypes.sniff(stream_of(field.data))):
            message = field.gettext("This file type is not allowed. Accepted: %(types)s.")
            raise ValidationError(message % {"types": filetypes.describe(self.accept)})
