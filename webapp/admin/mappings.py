"""Admin: role mappings, what a role named in a diagram (a lane, candidateGroups) becomes per unit.

A unit without its own mapping inherits the nearest one up the tree, then the Pemda-wide
default (only a Pemda-wide admin edits that one), then the built-in rules (engine.assignment).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from engine.models import Position, RoleMapping, Unit
from engine.org_assign import MappingInput, delete_mapping, positions_for_mapping, set_mapping
from engine.org_rules import MAPPING_TARGETS, ROLE_LABELS, label
from webapp.admin import bp
from webapp.admin.common import (
    attempt,
    optional_int,
    pemda_choice,
    position_choices,
    role_choices,
    scope,
    target_choices,
    unit_choices,
)
from webapp.admin.forms import ActionForm, MappingForm
from webapp.context import engine
from webapp.dbsession import session
from webapp.i18n import current_lang, gettext


def _form() -> MappingForm:
    form = MappingForm()
    form.unit_id.choices = pemda_choice() + unit_choices()
    form.target.choices = target_choices()
    form.position_id.choices = position_choices(positions_for_mapping(session(), scope()), blank="—")
    form.user_role.choices = [("", "—"), *role_choices()]
    return form


@bp.route("/mappings", methods=["GET", "POST"])
def mappings() -> str | Response | tuple[str, int]:
    mine = scope()
    form = _form()
    if request.method == "GET":
        unit_id = optional_int(request.args.get("unit"))
        if unit_id is not None and mine.has_unit(unit_id):
            form.unit_id.data = str(unit_id)
        form.role.data = request.args.get("role", "")
    elif form.validate_on_submit():
        data = MappingInput(
            optional_int(form.unit_id.data),
            form.role.data or "",
            form.target.data or "",
            optional_int(form.position_id.data),
            form.user_role.data or None,
        )
        if attempt(form, lambda: set_mapping(session(), mine, data, now=engine().clock.now())) is not None:
            flash(gettext("Pemetaan peran disimpan."), "success")
            return redirect(url_for("admin.mappings"))
    rows = session().scalars(select(RoleMapping).order_by(RoleMapping.role, RoleMapping.id)).all()
    rows = [r for r in rows if mine.has_unit(r.unit_id)]
    units = {
        u.id: u
        for u in session().scalars(select(Unit).where(Unit.id.in_({r.unit_id for r in rows if r.unit_id})))
    }
    positions = {
        p.id: p
        for p in session().scalars(
            select(Position).where(Position.id.in_({r.position_id for r in rows if r.position_id}))
        )
    }
    lang = current_lang()
    return render_template(
        "admin/mappings.html",
        form=form,
        rows=rows,
        units=units,
        positions=positions,
        action=ActionForm(),
        targets={t: label(MAPPING_TARGETS, t, lang) for t in MAPPING_TARGETS},
        roles={r: label(ROLE_LABELS, r, lang) for r in ROLE_LABELS},
    ), 422 if request.method == "POST" else 200


@bp.route("/mappings/<int:mapping_id>/delete", methods=["POST"])
def mapping_delete(mapping_id: int) -> Response:
    form = ActionForm()
    if form.validate_on_submit():
        delete_mapping(session(), scope(), mapping_id)
        flash(gettext("Pemetaan peran dihapus."), "success")
    return redirect(url_for("admin.mappings"))
