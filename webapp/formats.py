"""How times and dates read on a page: in the Pemda's zone, in the reader's language."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app

from webapp.i18n import current_lang

MONTHS = {
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}


def local_time(moment: datetime | None, with_time: bool = True) -> str:
    if moment is None:
        return "—"
    engine = current_app.extensions["lontar.engine"]
    local = engine.clock.local(moment)
    month = MONTHS.get(current_lang(), MONTHS["id"])[local.month - 1]
    text = f"{local.day} {month} {local.year}"
    if with_time:
        text += f", {local:%H.%M} {engine.clock.zone_name}"
    return text


def init_app(app: Flask) -> None:
    app.jinja_env.filters["localtime"] = local_time
    app.jinja_env.filters["localdate"] = lambda m: local_time(m, with_time=False)
