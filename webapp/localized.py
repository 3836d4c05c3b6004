"""FlaskForm whose built-in messages ("This field is required.") follow the reader's language."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm

from forms.translations import translations_for
from webapp.i18n import current_lang


class LocalizedForm(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> Any:
            return translations_for(current_lang())
