"""Notifications: the bell in the header, the list, opening one, and the e-mail settings.

Everything is the signed-in person's own: another person's notification answers 404, exactly
as a missing one does.  Opening one (a GET, so that it works from a link and from an e-mail)
marks it read in a short write transaction of its own: a GET's request session is a read
session (webapp.dbsession), and on SQLite a read transaction that later writes can fail when
someone else wrote in between.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from engine import notifications
from engine.models import NOTIFICATION_KINDS
from webapp.context import engine, me, today
from webapp.dbsession import db, session
from webapp.i18n import current_lang, gettext
from webapp.localized import LocalizedForm

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
LIST_LIMIT = 100


class ActionForm(LocalizedForm):
    """A button that changes something: only the CSRF token."""


def kind_label(kind: str) -> str:
    return notifications.kind_label(kind, current_lang())


@bp.route("")
@login_required
def index() -> str:
    user = me()
    items = notifications.recent(session(), user.id, LIST_LIMIT, today=today())
    return render_template("notifications.html", items=items, action=ActionForm(), kind_label=kind_label)


@bp.route("/<int:notification_id>/open")
@login_required
def open_one(notification_id: int) -> Response:
    user = me()
    target = notifications.open_target(session(), user.id, notification_id, today())  # 404 if not theirs
    with db().transaction() as write:
        notifications.mark_read(write, user.id, notification_id, at=engine().clock.now())
    return redirect(target or url_for("notifications.index"))


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def mark_read(notification_id: int) -> Response:
    if ActionForm().validate_on_submit():
        notifications.mark_read(session(), me().id, notification_id, at=engine().clock.now())
    return redirect(url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@login_required
def mark_all_read() -> Response:
    if ActionForm().validate_on_submit():
        notifications.mark_all_read(session(), me().id, at=engine().clock.now())
        flash(gettext("Semua pemberitahuan ditandai sudah dibaca."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> str | Response:
    user = me()
    form = ActionForm()
    if form.validate_on_submit():
        chosen = set(request.form.getlist("email"))
        notifications.set_preferences(session(), user.id, {kind: kind in chosen for kind in NOTIFICATION_KINDS})
        flash(gettext("Pengaturan pemberitahuan disimpan."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template(
        "notifications_settings.html",
        form=form,
        prefs=notifications.preferences(session(), user.id),
        kind_label=kind_label,
        email_on=notifications.email_enabled(engine()),
        address=(user.email or "").strip(),
    )


def _unread() -> int | None:
    """The header's count: one COUNT, only when a signed-in page's header asks for it."""
    if "lontar_unread" not in g:
        count: int | None = None
        if getattr(current_user, "is_authenticated", False):
            try:
                count = notifications.unread_count(session(), int(current_user.get_id()))
            except SQLAlchemyError:
                count = None  # an error page after a failed query: show the page, not the count
        g.lontar_unread = count
    return g.lontar_unread


def badge() -> dict[str, Any]:
    """Context processor: `lontar_unread()` for base.html (evaluated only if the header calls it)."""
    return {"lontar_unread": _unread}
