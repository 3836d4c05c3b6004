"""Admin: positions (jabatan) and who holds them (definitif, Plt, Plh, Pj, Pjs)."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from engine.assignment import head_position
from engine.errors import NotFound
from engine.models import Position, PositionHolder, Unit
from engine.org_admin import PositionInput, create_position, update_position
from engine.org_assign import HoldingInput, appoint, end_holding, holdings_of_position
from engine.org_rules import ESELON_RE, HOLDING_LABELS, OrgInvalid, label
from engine.org_scope import require_position, superior_choices, users_in_scope
from webapp.admin import bp
from webapp.admin.common import (
    attempt,
    find_user,
    holding_choices,
    optional_int,
    position_choices,
    scope,
    unit_choices,
)
from webapp.admin.forms import ESELON, AppointForm, EndHoldingForm, PositionForm
from webapp.context import today
from webapp.dbsession import session
from webapp.i18n import current_lang, gettext


def _position_form(form: PositionForm, position: Position | None) -> PositionForm:
    form.unit_id.choices = unit_choices()
    superiors = [p for p in superior_choices(session(), scope()) if position is None or p.id != position.id]
    if position is not None and position.reports_to is not None and position.reports_to not in superiors:
        superiors.insert(0, position.reports_to)  # keep what is there, even from outside the scope
    form.reports_to_id.choices = position_choices(superiors, blank=gettext("— tanpa atasan —"))
    eselon = (
        ESELON
        if position is None or not position.eselon or position.eselon in ESELON
        else [*ESELON, position.eselon]
    )
    form.eselon.choices = [("", gettext("— tanpa eselon (fungsional/pelaksana) —"))] + [
        (e, e) for e in eselon
    ]
    return form


def _input(form: PositionForm) -> PositionInput:
    eselon = form.eselon.data or None
    return PositionInput(
        form.code.data or "",
        optional_int(form.unit_id.data) or 0,
        form.name.data or "",
        optional_int(form.reports_to_id.data),
        bool(form.is_head_of_unit.data),
        eselon if eselon and ESELON_RE.match(eselon) else None,
    )


@bp.route("/positions/new", methods=["GET", "POST"])
def position_new() -> str | Response | tuple[str, int]:
    form = _position_form(PositionForm(), None)
    if request.method == "GET":
        unit_id = optional_int(request.args.get("unit"))
        if unit_id is not None and scope().has_unit(unit_id):
            form.unit_id.data = str(unit_id)
            head = head_position(session(), unit_id)  # a new post usually reports to the head
            form.reports_to_id.data = str(head.id) if head else ""
            form.code.data = f"{session().get(Unit, unit_id).code}."
    if form.validate_on_submit():
        position = attempt(form, lambda: create_position(session(), scope(), _input(form)))
        if position is not None:
            flash(gettext("Jabatan {code} dibuat.", code=position.code), "success")
            return redirect(url_for("admin.position", position_id=position.id))
    return render_template("admin/position_new.html", form=form), 422 if request.method == "POST" else 200


def _page(
    position: Position, form: PositionForm, appoint_form: AppointForm, status: int = 200
) -> tuple[str, int]:
    holdings = holdings_of_position(session(), position.id)
    now = today()
    ends = {
        h.id: EndHoldingForm(prefix=f"end{h.id}", data={"last_day": now - timedelta(days=1)})
        for h in holdings
    }
    people = session().scalars(users_in_scope(scope(), now).limit(500)).all()
    kinds = {kind: label(HOLDING_LABELS, kind, current_lang()) for kind in HOLDING_LABELS}
    return render_template(
        "admin/position.html",
        position=position,
        form=form,
        appoint_form=appoint_form,
        holdings=holdings,
        ends=ends,
        now=now,
        people=people,
        kinds=kinds,
    ), status


def _appoint_form() -> AppointForm:
    form = AppointForm(prefix="appoint")
    form.kind.choices = holding_choices()
    form.user.render_kw = {"list": "people", "autocomplete": "off"}
    if request.method == "GET":
        form.valid_from.data = today()
    return form


@bp.route("/positions/<int:position_id>", methods=["GET", "POST"])
def position(position_id: int) -> str | Response | tuple[str, int]:
    found = require_position(session(), scope(), position_id)
    form = _position_form(PositionForm(obj=None if request.method == "POST" else found), found)
    if request.method == "GET":
        form.unit_id.data = str(found.unit_id)
        form.reports_to_id.data = str(found.reports_to_id) if found.reports_to_id else ""
        form.eselon.data = found.eselon or ""
    if (
        form.validate_on_submit()
        and attempt(form, lambda: update_position(session(), scope(), found.id, _input(form))) is not None
    ):
        flash(gettext("Perubahan disimpan."), "success")
        return redirect(url_for("admin.position", position_id=found.id))
    return _page(found, form, _appoint_form(), 422 if request.method == "POST" else 200)


@bp.route("/positions/<int:position_id>/appoint", methods=["POST"])
def position_appoint(position_id: int) -> Response | tuple[str, int]:
    found = require_position(session(), scope(), position_id)
    form = _appoint_form()
    if form.validate_on_submit():
        person = find_user(form.user.data)

        def run() -> PositionHolder:
            if person is None:
                raise OrgInvalid("org.unknown_user", "user", username=form.user.data)
            return appoint(
                session(),
                scope(),
                HoldingInput(
                    found.id,
                    person.id,
                    form.kind.data,
                    form.valid_from.data,
                    form.valid_to.data,
                    form.sk_ref.data,
                ),
                today=today(),
            )

        if attempt(form, run) is not None:
            flash(
                gettext(
                    "{name} ditugaskan sebagai {kind}.",
                    name=person.name if person else "",
                    kind=label(HOLDING_LABELS, form.kind.data, current_lang()),
                ),
                "success",
            )
            return redirect(url_for("admin.position", position_id=found.id))
    edit = _position_form(PositionForm(formdata=None, obj=found), found)
    edit.unit_id.data, edit.eselon.data = str(found.unit_id), found.eselon or ""
    edit.reports_to_id.data = str(found.reports_to_id) if found.reports_to_id else ""
    return _page(found, edit, form, 422)


@bp.route("/holdings/<int:holding_id>/end", methods=["POST"])
def holding_end(holding_id: int) -> Response:
    holding = session().get(PositionHolder, holding_id)
    if holding is None:
        raise NotFound()
    require_position(session(), scope(), holding.position_id)
    form = EndHoldingForm(prefix=f"end{holding_id}")
    position_id = holding.position_id
    if form.validate_on_submit():
        outcome = attempt(
            form,
            lambda: (
                "ended" if end_holding(session(), scope(), holding_id, form.last_day.data) else "cancelled"
            ),
        )
        if outcome == "ended":
            flash(gettext("Penugasan diakhiri."), "success")
        elif outcome == "cancelled":
            flash(gettext("Penugasan dibatalkan karena belum pernah berlaku."), "success")
        for error in form.last_day.errors:
            flash(error, "error")
    else:
        for error in form.last_day.errors:
            flash(error, "error")
    return redirect(url_for("admin.position", position_id=position_id))
