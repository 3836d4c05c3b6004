"""Bahasa Indonesia first, English available.

Templates are written in Indonesian and wrap their sentences in `_()`; the English catalogue
maps each Indonesian sentence to its English one.  Engine messages come with both languages
already (engine.messages).  The reader's language is their choice (stored in the session),
else their profile's, else the installation default.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, session
from flask_login import current_user

from webapp.translations_en import EN

LANGS = {"id": "Bahasa Indonesia", "en": "English"}


def current_lang() -> str:
    chosen = session.get("lang")
    if chosen in LANGS:
        return chosen
    if getattr(current_user, "is_authenticated", False) and getattr(current_user, "lang", None) in LANGS:
        return current_user.lang
    return current_app.config.get("LONTAR_DEFAULT_LANG", "id")


def gettext(text: str, **params: Any) -> str:
    if current_lang() == "en":
        text = EN.get(text, text)
    return text.format(**params) if params else text


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(_=gettext, current_lang=current_lang, LANGS=LANGS)
