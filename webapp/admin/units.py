"""Admin: the overview, and the unit tree (list, create, view and edit a unit)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from engine.models import Position, PositionHolder, Unit
from engine.org_admin import UnitInput, create_unit, update_unit
from engine.org_assign import is_current, mappings_of
from engine.org_rules import MAPPING_TARGETS, UNIT_KINDS, label
from engine.org_scope import require_unit, unit_tree, users_in_scope
from webapp.admin import bp
from webapp.admin.common import attempt, kind_choices, optional_int, scope, unit_choices
from webapp.admin.forms import UnitForm
from webapp.context import today
from webapp.dbsession import session
from webapp.i18n import current_lang, gettext


@bp.route("/")
def index() -> str:
    mine = scope()
    tree = unit_tree(session(), mine)
    ids = [n.id for n in tree]
    positions = (
        session().scalar(select(func.count()).select_from(Position).where(Position.unit_id.in_(ids))) or 0
    )
    people = session().scalar(select(func.count()).select_from(users_in_scope(mine, today()).subquery())) or 0
    roots = [session().get(Unit, r) for r in mine.roots]
    return render_template(
        "admin/index.html", scope=mine, roots=roots, units=len(tree), positions=positions, people=people
    )


@bp.route("/units")
def units() -> str:
    tree = unit_tree(session(), scope())
    counts = dict(
        session()
        .execute(
            select(Position.unit_id, func.count())
            .where(Position.unit_id.in_([n.id for n in tree]))
            .group_by(Position.unit_id)
        )
        .all()
    )
    kinds = {kind: label(UNIT_KINDS, kind, current_lang()) for kind in UNIT_KINDS}
    return render_template("admin/units.html", tree=tree, counts=counts, kinds=kinds)


def _unit_form(form: UnitForm, unit: Unit | None) -> UnitForm:
    form.kind.choices = kind_choices()
    mine = scope()
    if unit is not None and not mine.is_global and mine.is_root(unit.id):
        parent = unit.parent
        form.parent_id.choices = [(str(parent.id) if parent else "", parent.name if parent else "—")]
    else:
        choices = unit_choices(blank=gettext("— tanpa induk —") if mine.is_global else None)
        if unit is not None:  # not under itself
            below = _descendants(unit.id)
            choices = [c for c in choices if optional_int(c[0]) not in below]
        form.parent_id.choices = choices
    return form


def _mappings(unit_id: int) -> list[tuple[object, str, Position | None]]:
    lang = current_lang()
    return [
        (
            m,
            label(MAPPING_TARGETS, m.target, lang),
            session().get(Position, m.position_id) if m.position_id else None,
        )
        for m in mappings_of(session(), unit_id)
    ]


def _descendants(unit_id: int) -> set[int]:
    from engine.org_scope import subtree_ids

    return set(subtree_ids(session(), [unit_id]))


def _input(form: UnitForm) -> UnitInput:
    return UnitInput(
        form.code.data or "", form.name.data or "", form.kind.data or "", optional_int(form.parent_id.data)
    )


@bp.route("/units/new", methods=["GET", "POST"])
def unit_new() -> str | Response | tuple[str, int]:
    form = _unit_form(UnitForm(), None)
    if request.method == "GET":
        parent = optional_int(request.args.get("parent"))
        if parent is not None and scope().has_unit(parent):
            form.parent_id.data = str(parent)
        form.kind.data = form.kind.data or "bidang"
    if form.validate_on_submit():
        unit = attempt(form, lambda: create_unit(session(), scope(), _input(form)))
        if unit is not None:
            flash(gettext("Unit {code} dibuat.", code=unit.code), "success")
            return redirect(url_for("admin.unit", unit_id=unit.id))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/unit_new.html", form=form), status


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def unit(unit_id: int) -> str | Response | tuple[str, int]:
    found = require_unit(session(), scope(), unit_id)
    form = _unit_form(UnitForm(obj=None if request.method == "POST" else found), found)
    if request.method == "GET":
        form.parent_id.data = str(found.parent_id) if found.parent_id else ""
    if (
        form.validate_on_submit()
        and attempt(form, lambda: update_unit(session(), scope(), found.id, _input(form))) is not None
    ):
        flash(gettext("Perubahan disimpan."), "success")
        return redirect(url_for("admin.unit", unit_id=found.id))
    positions = (
        session()
        .scalars(
            select(Position)
            .where(Position.unit_id == found.id)
            .order_by(Position.is_head_of_unit.desc(), Position.name)
        )
        .all()
    )
    holders = {
        p.id: [
            h
            for h in session().scalars(select(PositionHolder).where(PositionHolder.position_id == p.id))
            if is_current(h, today())
        ]
        for p in positions
    }
    children = session().scalars(select(Unit).where(Unit.parent_id == found.id).order_by(Unit.code)).all()
    status = 422 if request.method == "POST" else 200
    return render_template(
        "admin/unit.html",
        unit=found,
        form=form,
        positions=positions,
        holders=holders,
        children=children,
        mappings=_mappings(found.id),
        kind=label(UNIT_KINDS, found.kind, current_lang()),
    ), status
