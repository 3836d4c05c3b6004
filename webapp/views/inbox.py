"""The inbox: tasks waiting for me, and the processes I started or acted in."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.access import my_instances
from engine.inbox import inbox as inbox_query
from webapp.context import me, today
from webapp.dbsession import session

bp = Blueprint("views", __name__)


@bp.route("/")
def index() -> Response:
    return redirect(url_for("views.inbox"))


@bp.route("/inbox")
@login_required
def inbox() -> str:
    user = me()
    items = inbox_query(session(), user.id, today())
    mine = my_instances(session(), user.id, limit=20)
    return render_template("inbox.html", items=items, mine=mine, now=today())
