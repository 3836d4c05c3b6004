"""The inbox: tasks waiting for me (narrowed by the filter bar), and the processes I started or acted in."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.access import my_instances
from engine.inbox_filters import filtered_inbox, parse_filter
from webapp.context import engine, me, today
from webapp.dbsession import session
from webapp.views.letter_lists import choices, labels, notice_texts

bp = Blueprint("views", __name__)


@bp.route("/")
def index() -> Response:
    return redirect(url_for("views.inbox"))


@bp.route("/inbox")
@login_required
def inbox() -> str:
    user = me()
    clock = engine().clock
    flt, notices = parse_filter(request.args)
    items = filtered_inbox(session(), user.id, today(), clock.local(clock.now()), flt)
    mine = my_instances(session(), user.id, limit=20)
    return render_template("inbox.html", items=items, mine=mine, now=today(), flt=flt, notices=notice_texts(notices),
                           labels=labels(), choices=choices())
