"""Delegasi: "Delegasi saya" (/delegations) for everyone, and the admin setting one for a person.

During the period the deputy also works the principal's inbox (engine.inbox); the audit trail
keeps both names.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.models import Delegation, User
from engine.org_assign import DelegationInput, delegate, delegations_of, revoke_delegation
from engine.org_rules import OrgInvalid
from engine.org_scope import require_user
from webapp.admin import bp
from webapp.admin.common import attempt, find_user, scope
from webapp.admin.forms import ActionForm, DelegationForm
from webapp.context import engine, me, today
from webapp.dbsession import session
from webapp.i18n import gettext

mine = Blueprint("delegations", __name__, url_prefix="/delegations")


def _create(form: DelegationForm, principal: User, *, as_admin: bool) -> Delegation | None:
    deputy = find_user(form.deputy.data)

    def run() -> Delegation:
        if deputy is None:
            raise OrgInvalid("org.unknown_user", "deputy", username=form.deputy.data)
        data = DelegationInput(
            principal.id, deputy.id, form.valid_from.data, form.valid_to.data, form.reason.data or ""
        )
        return delegate(session(), me(), data, today=today(), scope=scope() if as_admin else None)

    return attempt(form, run)


@mine.route("", methods=["GET", "POST"])
@login_required
def page() -> str | Response | tuple[str, int]:
    user = me()
    form = DelegationForm()
    if request.method == "GET":
        form.valid_from.data = today()
    elif form.validate_on_submit() and _create(form, user, as_admin=False) is not None:
        flash(gettext("Delegasi disimpan."), "success")
        return redirect(url_for("delegations.page"))
    given, received = delegations_of(session(), user.id, today())
    return render_template(
        "admin/delegations_mine.html",
        form=form,
        given=given,
        received=received,
        action=ActionForm(),
        now=today(),
    ), 422 if request.method == "POST" else 200


@mine.route("/<int:delegation_id>/revoke", methods=["POST"])
@login_required
def revoke(delegation_id: int) -> Response:
    form = ActionForm()
    if form.validate_on_submit():
        revoke_delegation(session(), me(), delegation_id, now=engine().clock.now(), today=today())
        flash(gettext("Delegasi dicabut."), "success")
    return redirect(url_for("delegations.page"))


@bp.route("/users/<int:user_id>/delegations", methods=["POST"])
def user_delegation(user_id: int) -> Response | tuple[str, int]:
    from webapp.admin.users import _page

    person = require_user(session(), scope(), user_id, today())
    form = DelegationForm(prefix="dlg")
    if form.validate_on_submit() and _create(form, person, as_admin=True) is not None:
        flash(gettext("Delegasi disimpan."), "success")
        return redirect(url_for("admin.user", user_id=person.id))
    return _page(person, {"delegation_form": form}, 422)


@bp.route("/delegations/<int:delegation_id>/revoke", methods=["POST"])
def delegation_revoke(delegation_id: int) -> Response:
    row = session().get(Delegation, delegation_id)
    principal = row.principal_id if row is not None else None
    form = ActionForm()
    if form.validate_on_submit():
        revoke_delegation(
            session(), me(), delegation_id, now=engine().clock.now(), today=today(), scope=scope()
        )
        flash(gettext("Delegasi dicabut."), "success")
    return redirect(url_for("admin.user", user_id=principal) if principal else url_for("admin.users"))
