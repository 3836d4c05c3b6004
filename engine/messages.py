"""Bilingual message catalogue for what the engine tells people.

The engine raises errors and lint problems with a message key and parameters instead of a
sentence, so that the web layer can show them in the reader's language (Bahasa Indonesia
first, English available) and the CLI can print them in either.  Keys are added by the module
that raises them; a missing key is a bug that `text()` makes visible instead of hiding.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULT_LANG = "id"
LANGS = ("id", "en")

# key -> (Bahasa Indonesia, English).  Parameters use str.format names.
CATALOGUE: dict[str, tuple[str, str]] = {}


def register(messages: Mapping[str, tuple[str, str]]) -> None:
    """Add messages; each module that raises keeps its own sentences next to its code."""
    for key, pair in messages.items():
        if key in CATALOGUE and CATALOGUE[key] != pair:
            raise ValueError(f"message key {key!r} registered twice with different text")
        CATALOGUE[key] = pair


def text(key: str, lang: str = DEFAULT_LANG, /, **params: Any) -> str:
    """The sentence for `key` in `lang`, with parameters filled in."""
    pair = CATALOGUE.get(key)
    if pair is None:
        return f"{key} {params}" if params else key
    template = pair[1] if lang == "en" else pair[0]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
