"""Lacak surat (/surat/<id>/lacak): where a letter is now, for someone who may read it in full.

Every process instance of the letter (its registration or drafting, each disposition branch),
each with its diagram marking the current step, its status, who holds it today and its
history; for an outgoing letter the paraf chain round by round, the copies received by the
recipient units and the ekspedisi.  The queries are engine.letter_tracking's; anyone without
full access to the letter gets 404 (webapp.views.letters.letter_or_404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, render_template
from flask_login import login_required
from sqlalchemy import select

from engine import letter_tracking
from engine.letters import agenda_label
from engine.models import Position
from webapp.context import engine, instance_diagram, me, today
from webapp.dbsession import session
from webapp.i18n import gettext
from webapp.letterforms import label
from webapp.views.letter_lists import labels
from webapp.views.letters import holders, letter_or_404

bp = Blueprint("tracking", __name__)
MAX_DIAGRAMS = 60  # the running instances first; a tree wider than this lists the rest without a diagram


@dataclass(frozen=True)
class HeldBy:
    task_id: int
    name: str
    due_at: datetime | None
    who: list[str]  # "Kepala Bidang ... (Sari Wulandari)", a user, a role


def _title(item: letter_tracking.Tracked) -> str:
    if item.kind == letter_tracking.BRANCH and item.branch is not None:
        return gettext("Disposisi kepada {name}", name=item.branch.to_position.name)
    if item.kind == letter_tracking.REGISTRATION:
        return gettext("Registrasi dan disposisi pimpinan")
    if item.kind == letter_tracking.DRAFTING:
        return gettext("Konsep, paraf, tanda tangan dan pengiriman")
    return item.instance.title or item.instance.version.name


def _held_by(items: list[letter_tracking.Tracked]) -> dict[int, list[HeldBy]]:
    ids = {p for item in items for w in item.waiting for p in w.position_ids}
    names = holders(list(ids), today())
    positions = dict(session().execute(select(Position.id, Position.name).where(Position.id.in_(ids))).all())
    result: dict[int, list[HeldBy]] = {}
    for item in items:
        for w in item.waiting:
            who = [f"{positions.get(p, '#' + str(p))} ({names[p]})" if names.get(p)
                   else f"{positions.get(p, '#' + str(p))} \u2014 {gettext('belum ada pejabat')}" for p in w.position_ids]
            result.setdefault(item.instance.id, []).append(HeldBy(w.task_id, w.name, w.due_at, who + w.others))
    return result


@bp.route("/surat/<int:letter_id>/lacak")
@login_required
def track(letter_id: int) -> tuple[str, int]:
    letter, _level = letter_or_404(letter_id, full=True)
    db = session()
    items = letter_tracking.instances(db, letter)
    running = [i for i in items if i.instance.status in ("running", "error")]
    outgoing = letter.direction == "keluar"
    context = {
        "letter": letter, "agenda": agenda_label(letter), "label": label, "labels": labels(),
        "items": items, "titles": {i.instance.id: _title(i) for i in items}, "held": _held_by(items),
        "diagrams": {i.instance.id: instance_diagram(i.instance) for i in (running + items)[:MAX_DIAGRAMS]},
        "running": len(running), "now": engine().clock.now(),
        "rounds": letter_tracking.paraf_rounds(db, letter.id) if outgoing else [],
        "copies": letter_tracking.copies(db, letter.id, me().id, today()),
        "sent": letter_tracking.dispatches(db, letter.id) if outgoing else [],
        "decisions": {"menunggu": gettext("Menunggu"), "paraf": gettext("Diparaf"),
                      "kembalikan": gettext("Dikembalikan"), "revisi": gettext("Direvisi dan diparaf"),
                      "dilewati": gettext("Dilewati")},
        "paraf_kinds": {"koordinasi": gettext("paraf koordinasi"), "tetap": gettext("paraf tetap")},
    }
    return render_template("letters/tracking.html", **context), 200
