"""Admin: "Kewenangan tanda tangan", who may sign which jenis naskah for which recipients, with
a.n. / u.b. (engine.signing_rules_admin), and the strategic letters a Plt/Plh may not sign.

A Pemda admin sees every row and adds rules for the whole Pemda or for any SKPD.  An SKPD admin
sees the Pemda-wide rows read-only and adds or deletes the rules of their own SKPD: any other
unit or row is 404.  The strategic list is the Pemda admin's.  A rule's id travels in a form
field, so these routes take no URL parameter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from engine.errors import InvalidInput
from engine.models import JENIS, Position, SigningRule, Unit
from engine.models.drafting import SCOPES, SIGNER_SELECTORS
from engine.org_records import admin_actor
from engine.organisation import SKPD_KINDS
from engine.signing_rules import BUILT_IN
from engine.signing_rules_admin import (
    SORT_MAX,
    add_rule,
    allowed_positions,
    delete_rule,
    example_konseptor,
    preview,
    rules_for,
    set_strategic,
    strategic,
)
from webapp.admin import bp
from webapp.admin.calendar import pemda_admin
from webapp.admin.common import attempt, optional_int, position_choices, scope
from webapp.dbsession import session
from webapp.i18n import gettext
from webapp.letterforms import label
from webapp.localized import LocalizedForm

T = TypeVar("T")
SELECTOR_LABELS = {
    "kepala_unit": "Kepala unit konseptor",
    "kepala_skpd": "Kepala perangkat daerah",
    "kepala_daerah": "Kepala daerah",
    "jabatan": "Jabatan tertentu",
}
SCOPE_LABELS = {
    "*": "Semua tujuan",
    "internal": "Di dalam perangkat daerah",
    "antar_skpd": "Antar perangkat daerah",
    "eksternal": "Ke luar Pemda",
}
BUILT_IN_TEXT = {
    "kepala_unit": "Kepala unit konseptor, untuk naskah di dalam perangkat daerah",
    "kepala_skpd": "Kepala perangkat daerah, untuk semua naskah",
}


class RuleForm(LocalizedForm):
    unit_id = SelectField("Berlaku untuk", choices=[])
    jenis = SelectField("Jenis naskah", choices=[])
    scope = SelectField("Tujuan", choices=[])
    signer = SelectField("Penandatangan", choices=[])
    # the engine checks the positions (in the SKPD or above it) and says why one is refused
    signer_position_id = SelectField("Jabatan penandatangan", choices=[], validate_choice=False)
    atas_nama = SelectField("Atas nama (a.n.)", choices=[])
    atas_nama_position_id = SelectField("Jabatan a.n.", choices=[], validate_choice=False)
    ub = BooleanField("u.b. (untuk beliau)")
    sort = IntegerField("Urutan", default=0, validators=[Optional(), NumberRange(min=0, max=SORT_MAX)])


class DeleteForm(LocalizedForm):
    """The delete button of a row: the id in a hidden input beside the CSRF token."""

    rule_id = IntegerField(validators=[DataRequired()])


class StrategicForm(LocalizedForm):
    strategic_jenis = SelectMultipleField(
        "Jenis naskah strategis", choices=[], widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )
    strategic_klasifikasi = StringField("Kode klasifikasi strategis", validators=[Length(max=500)])


def _skpds() -> list[Unit]:
    """The SKPDs whose rules the admin keeps."""
    mine = scope()
    units = session().scalars(select(Unit).where(Unit.kind.in_(SKPD_KINDS)).order_by(Unit.code))
    return [u for u in units if mine.has_unit(u.id)]


def _positions() -> list[Position]:
    if scope().is_global:
        return list(session().scalars(select(Position).join(Unit, Unit.id == Position.unit_id)
                                      .order_by(Unit.code, Position.name)))
    found = {p.id: p for skpd in _skpds() for p in allowed_positions(session(), skpd.id)}
    return sorted(found.values(), key=lambda p: (p.unit.code, p.name))


def _rule_form(**data: Any) -> RuleForm:
    form = RuleForm(**data)
    pemda = [("", gettext("Seluruh Pemda"))] if scope().is_global else []
    form.unit_id.choices = pemda + [(str(u.id), f"{u.code} — {u.name}") for u in _skpds()]
    form.jenis.choices = [("*", gettext("Semua jenis")), *((j, label("jenis", j)) for j in JENIS)]
    form.scope.choices = [(s, gettext(SCOPE_LABELS[s])) for s in ("*", *SCOPES)]
    selectors = [(s, gettext(SELECTOR_LABELS[s])) for s in SIGNER_SELECTORS]
    form.signer.choices = selectors
    form.atas_nama.choices = [("", gettext("Tidak (menandatangani sendiri)")), *selectors]
    positions = position_choices(_positions(), blank="—")
    form.signer_position_id.choices = positions
    form.atas_nama_position_id.choices = positions
    return form


def _strategic_form(**data: Any) -> StrategicForm:
    form = StrategicForm(**data)
    form.strategic_jenis.choices = [(j, label("jenis", j)) for j in JENIS]
    return form


def _attempt(form: Any, action: Callable[[], T], aliases: dict[str, str] | None = None) -> T | None:
    return attempt(form, action, refused=(InvalidInput,), aliases=aliases)


def _who(selector: str | None, position: Position | None) -> str:
    if selector is None:
        return "—"
    if selector == "jabatan" and position is not None:
        return position.name
    return gettext(SELECTOR_LABELS.get(selector, selector))


def _page(forms: dict[str, Any], status: int = 200) -> tuple[str, int]:
    mine = scope()
    own = _skpds()
    example = example_konseptor(session(), None if mine.is_global or not own else own[0].id)
    rows = []
    for rule in rules_for(session(), None if mine.is_global else mine.unit_ids):
        rows.append({
            "rule": rule,
            "unit": session().get(Unit, rule.unit_id) if rule.unit_id else None,
            "jenis": gettext("Semua jenis") if rule.jenis == "*" else label("jenis", rule.jenis),
            "scope": gettext(SCOPE_LABELS.get(rule.scope, rule.scope)),
            "signer": _who(rule.signer, session().get(Position, rule.signer_position_id or 0)),
            "atas_nama": _who(rule.atas_nama, session().get(Position, rule.atas_nama_position_id or 0)),
            "preview": preview(session(), rule, example.id if example and rule.unit_id is None else None),
            "editable": mine.has_unit(rule.unit_id),
        })
    built_in = [] if any(r["unit"] is None for r in rows) else [
        (gettext(BUILT_IN_TEXT[r.signer]), preview(session(), r, example.id if example else None)) for r in BUILT_IN
    ]
    current = strategic(session())
    if mine.is_global:
        forms.setdefault("strategic_form", _strategic_form(
            formdata=None, strategic_jenis=current["jenis"], strategic_klasifikasi=", ".join(current["klasifikasi"])))
    forms.setdefault("add_form", _rule_form(formdata=None))
    return render_template(
        "admin/signing_rules.html", rows=rows, built_in=built_in, example=example, delete_form=DeleteForm(),
        strategic_jenis=[label("jenis", j) for j in current["jenis"]], strategic_codes=current["klasifikasi"],
        **forms,
    ), status


@bp.route("/signing-rules", methods=["GET", "POST"])
def signing_rules() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return _page({})
    form = _rule_form()
    unit_id = optional_int(form.unit_id.data)
    scope().require_unit(unit_id)  # Pemda-wide for an SKPD admin, or another SKPD: 404
    if form.validate_on_submit():
        actor = admin_actor(session(), scope())
        row = _attempt(form, lambda: add_rule(
            session(), actor, unit_id=unit_id, jenis=form.jenis.data or "", scope=form.scope.data or "",
            signer=form.signer.data or "", signer_position_id=optional_int(form.signer_position_id.data),
            atas_nama=form.atas_nama.data or None, atas_nama_position_id=optional_int(form.atas_nama_position_id.data),
            ub=bool(form.ub.data), sort=form.sort.data or 0))
        if row is not None:
            flash(gettext("Aturan tanda tangan ditambahkan."), "success")
            return redirect(url_for("admin.signing_rules"))
    return _page({"add_form": form}, 422)


@bp.route("/signing-rules/delete", methods=["POST"])
def signing_rule_delete() -> Response:
    form = DeleteForm()
    rule = session().get(SigningRule, optional_int(form.rule_id.data) or 0)
    if rule is None:
        abort(404)
    scope().require_unit(rule.unit_id)  # a Pemda-wide row for an SKPD admin, another SKPD's: 404
    if not form.validate_on_submit():
        abort(400)
    delete_rule(session(), admin_actor(session(), scope()), rule.id)
    flash(gettext("Aturan tanda tangan dihapus."), "success")
    return redirect(url_for("admin.signing_rules"))


@bp.route("/signing-rules/strategic", methods=["POST"])
def signing_rule_strategic() -> Response | tuple[str, int]:
    pemda_admin()
    form = _strategic_form()
    if form.validate_on_submit():
        codes = re.split(r"[,;\s]+", form.strategic_klasifikasi.data or "")
        done = _attempt(form, lambda: set_strategic(
            session(), admin_actor(session(), scope()), form.strategic_jenis.data or [], codes),
            {"jenis": "strategic_jenis", "klasifikasi": "strategic_klasifikasi"})
        if done is not None:
            flash(gettext("Daftar naskah strategis disimpan."), "success")
            return redirect(url_for("admin.signing_rules"))
    return _page({"strategic_form": form}, 422)
