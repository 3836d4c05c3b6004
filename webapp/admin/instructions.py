"""Admin: the disposition instructions ("Dengan hormat harap ..."), for Pemda-wide admins.

The vocabulary is one for the whole Pemda (engine.instructions).  Every action is a POST form
whose instruction id travels in a form field, so these routes take no URL parameter.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from engine.instructions import add, all_instructions, move, rename, set_active
from engine.models import Instruction
from engine.org_records import admin_actor
from webapp.admin import bp
from webapp.admin.calendar import pemda_admin
from webapp.admin.common import attempt, optional_int, scope
from webapp.dbsession import session
from webapp.i18n import gettext
from webapp.localized import LocalizedForm


class InstructionForm(LocalizedForm):
    label = StringField("Teks instruksi", validators=[DataRequired(), Length(max=200)])
    label_en = StringField("Teks dalam bahasa Inggris", validators=[Optional(), Length(max=200)])


class RenameForm(InstructionForm):
    instruction_id = HiddenField(validators=[DataRequired()])


class MoveForm(LocalizedForm):
    """Up/down buttons: id and direction in hidden inputs beside the CSRF token."""

    instruction_id = IntegerField(validators=[DataRequired()])
    direction = StringField(validators=[AnyOf(["up", "down"])])


class ActiveForm(LocalizedForm):
    instruction_id = IntegerField(validators=[DataRequired()])
    active = StringField(validators=[AnyOf(["0", "1"])])


def _page(forms: dict[str, object], status: int = 200) -> tuple[str, int]:
    forms.setdefault("add_form", InstructionForm())
    rows = all_instructions(session())
    return render_template(
        "admin/instructions.html",
        rows=rows,
        first=rows[0].id if rows else None,
        last=rows[-1].id if rows else None,
        move_form=MoveForm(),
        active_form=ActiveForm(),
        **forms,
    ), status


@bp.route("/instructions", methods=["GET", "POST"])
def instructions() -> str | Response | tuple[str, int]:
    pemda_admin()
    if request.method == "GET":
        editing = session().get(Instruction, optional_int(request.args.get("edit")) or 0)
        if editing is None:
            return _page({})
        form = RenameForm(formdata=None, obj=editing, instruction_id=str(editing.id))
        return _page({"rename_form": form, "editing": editing})
    form = InstructionForm()
    if form.validate_on_submit():
        actor = admin_actor(session(), scope())
        row = attempt(form, lambda: add(session(), actor, form.label.data or "", form.label_en.data or ""))
        if row is not None:
            flash(gettext("Instruksi ditambahkan."), "success")
            return redirect(url_for("admin.instructions"))
    return _page({"add_form": form}, 422)


@bp.route("/instructions/rename", methods=["POST"])
def instruction_rename() -> Response | tuple[str, int]:
    pemda_admin()
    form = RenameForm()
    instruction_id = optional_int(form.instruction_id.data)
    editing = session().get(Instruction, instruction_id) if instruction_id is not None else None
    if editing is None:
        abort(404)
    if form.validate_on_submit():
        actor = admin_actor(session(), scope())
        done = attempt(
            form, lambda: rename(session(), actor, editing.id, form.label.data or "", form.label_en.data or "")
        )
        if done is not None:
            flash(gettext("Instruksi diubah."), "success")
            return redirect(url_for("admin.instructions"))
    return _page({"rename_form": form, "editing": editing}, 422)


@bp.route("/instructions/move", methods=["POST"])
def instruction_move() -> Response:
    pemda_admin()
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    actor = admin_actor(session(), scope())
    offset = -1 if form.direction.data == "up" else 1
    attempt(form, lambda: move(session(), actor, form.instruction_id.data, offset))
    return redirect(url_for("admin.instructions"))


@bp.route("/instructions/active", methods=["POST"])
def instruction_active() -> Response:
    pemda_admin()
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    actor = admin_actor(session(), scope())
    on = form.active.data == "1"
    if attempt(form, lambda: set_active(session(), actor, form.instruction_id.data, on)) is not None:
        flash(gettext("Instruksi diaktifkan kembali.") if on else gettext("Instruksi dinonaktifkan."), "success")
    return redirect(url_for("admin.instructions"))
