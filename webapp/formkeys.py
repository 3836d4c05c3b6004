"""Which form keys a diagram may name: the YAML library plus the pages the web layer renders
itself (the disposition sheet, the follow-up page, and the paraf, signature, revision and
ekspedisi pages of outgoing letters)."""

from __future__ import annotations

from collections.abc import Callable

from engine.disposition import SPECIAL_FORMS
from engine.outgoing_forms import OUTGOING_FORMS
from forms.library import FormLibrary


def form_exists(library: FormLibrary) -> Callable[[str], bool]:
    return lambda key: key in library or key in SPECIAL_FORMS or key in OUTGOING_FORMS
