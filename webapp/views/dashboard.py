"""Dasbor (/dasbor): how the work of a head's team stands (engine.dashboard).

Offered in the menu to whoever works a position today that heads a unit or has positions
reporting to it; anyone else asking for the page gets 404.
"""

from __future__ import annotations

from flask import Blueprint, Flask, g, render_template
from flask.blueprints import BlueprintSetupState
from flask_login import current_user, login_required

from engine.dashboard import dashboard, leads
from engine.errors import NotFound
from webapp.context import engine, me, today
from webapp.dbsession import session
from webapp.views.letter_lists import labels
from webapp.views.letters import holders

bp = Blueprint("dashboard", __name__)


def leads_team() -> bool:
    """For the navigation: whether the signed-in person has a team today (asked once a request)."""
    if not getattr(current_user, "is_authenticated", False):
        return False
    if "lontar_leads_team" not in g:
        g.lontar_leads_team = leads(session(), int(current_user.get_id()), today())
    return bool(g.lontar_leads_team)


@bp.record_once
def _globals(state: BlueprintSetupState) -> None:
    app: Flask = state.app
    app.jinja_env.globals["lontar_leads_team"] = leads_team


@bp.route("/dasbor")
@login_required
def index() -> tuple[str, int]:
    user = me()
    if not leads(session(), user.id, today()):
        raise NotFound()
    data = dashboard(session(), user.id, today(), engine().clock.now())
    names = holders([row.position_id for row in data.subordinates], today())
    return render_template("dashboard.html", data=data, names=names, labels=labels()), 200
