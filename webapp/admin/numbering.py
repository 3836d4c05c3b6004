"""Admin: the outgoing-letter number register ("Penomoran").

The format, the series, the region code and the sisipan quota are one for the whole Pemda, so
only a Pemda admin changes them (404 for anyone else, like the calendar).  The register of a
unit, voiding a number and a back-dated sisipan number belong to a unit: an admin of an SKPD
works in their own subtree only, and a unit or number outside it is 404 (engine.org_scope).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from engine.distribution import stop_after_void
from engine.errors import InvalidInput
from engine.models import LetterNumber, Unit
from engine.number_format import (
    MAX_FORMAT,
    MAX_QUOTA,
    MAX_WILAYAH,
    SERIES_MODES,
    TOKENS,
    NumberingInvalid,
    check_format,
    configure,
    example,
    settings,
)
from engine.numbering import register, sisipan, void
from engine.org_records import admin_actor
from engine.org_scope import unit_tree
from webapp.admin import bp
from webapp.admin.calendar import pemda_admin
from webapp.admin.common import attempt, optional_int, scope, unit_choices
from webapp.context import engine, me, today
from webapp.dbsession import session
from webapp.formats import MONTHS
from webapp.i18n import current_lang, gettext
from webapp.localized import LocalizedForm

T = TypeVar("T")
EARLIEST_YEAR = 2000
MODE_LABELS = {
    "unit": "Satu nomor urut per unit per tahun",
    "jenis": "Nomor urut sendiri untuk tiap jenis naskah",
    "klasifikasi": "Nomor urut sendiri untuk tiap kode klasifikasi pokok (mis. 800)",
}


class SettingsForm(LocalizedForm):
    template = StringField("Format nomor", validators=[DataRequired(), Length(max=MAX_FORMAT)])
    mode = SelectField("Seri nomor urut", choices=[])
    wilayah = StringField("Kode wilayah (Kemendagri)", validators=[Optional(), Length(max=MAX_WILAYAH)])
    quota = IntegerField("Kuota nomor sisipan per unit per hari",
                         validators=[InputRequired(), NumberRange(min=0, max=MAX_QUOTA)])


class VoidForm(LocalizedForm):
    number_id = HiddenField(validators=[DataRequired()])
    void_reason = StringField("Alasan pembatalan", validators=[DataRequired(), Length(max=500)])


class SisipanForm(LocalizedForm):
    unit_id = SelectField("Unit", choices=[], validators=[DataRequired()])
    after_urut = IntegerField("Sesudah nomor urut", validators=[InputRequired(), NumberRange(min=1)])
    series = SelectField("Seri", choices=[])
    tanggal = DateField("Tanggal surat", validators=[DataRequired()])
    reason = StringField("Alasan nomor sisipan", validators=[DataRequired(), Length(max=500)])


def _settings_form(**data: Any) -> SettingsForm:
    form = SettingsForm(**data)
    form.mode.choices = [(mode, gettext(MODE_LABELS[mode])) for mode in SERIES_MODES]
    return form


def _sisipan_form(**data: Any) -> SisipanForm:
    form = SisipanForm(**data)
    form.unit_id.choices = unit_choices()
    known = session().scalars(select(LetterNumber.series).distinct().order_by(LetterNumber.series))
    form.series.choices = [("", gettext("Otomatis")), *((s, s) for s in known)]
    return form


def _attempt(form: Any, action: Callable[[], T], aliases: dict[str, str] | None = None) -> T | None:
    return attempt(form, action, refused=(InvalidInput,), aliases=aliases, hidden_on_top=True)


def _year(value: Any) -> int:
    year = optional_int(value) or today().year
    return year if EARLIEST_YEAR <= year <= today().year + 1 else today().year


def _unit(value: Any) -> int:
    """The chosen unit, in the admin's scope (404 outside); the admin's first unit by default."""
    unit_id = optional_int(value)
    if unit_id is None:
        tree = unit_tree(session(), scope())
        unit_id = scope().roots[0] if scope().roots else tree[0].id
    scope().require_unit(unit_id)
    return unit_id


def _page(unit_id: int, year: int, forms: dict[str, Any], status: int = 200) -> tuple[str, int]:
    mine = scope()
    unit = session().get(Unit, unit_id)
    current = settings(session())
    rows = register(session(), unit_id, year)
    voiding = forms.pop("voiding", None)
    if voiding is None:
        wanted = optional_int(request.args.get("void"))
        voiding = next((n for n in rows if n.id == wanted and n.status == "terpakai"), None)
    if voiding is not None:
        forms.setdefault("void_form", VoidForm(formdata=None, number_id=str(voiding.id)))
    if mine.is_global:
        forms.setdefault("settings_form", _settings_form(
            formdata=None, template=current["format"], mode=current["seri"], wilayah=current["kode_wilayah"],
            quota=current["kuota_sisipan"]))
    forms.setdefault("sisipan_form", _sisipan_form(formdata=None, unit_id=str(unit_id)))
    return render_template(
        "admin/numbering.html",
        unit=unit,
        year=year,
        rows=rows,
        current=current,
        mode_label=gettext(MODE_LABELS[current["seri"]]),
        sample=example(current["format"], kode_unit=unit.code if unit else "", kode_wilayah=current["kode_wilayah"],
                       tanggal=today()),
        tokens=["{" + token + "}" for token in TOKENS],
        unit_options=unit_choices(),
        months=MONTHS.get(current_lang(), MONTHS["id"]),
        voiding=voiding,
        **forms,
    ), status


@bp.route("/numbering", methods=["GET", "POST"])
def numbering() -> str | Response | tuple[str, int]:
    unit_id, year = _unit(request.args.get("unit")), _year(request.args.get("year"))
    if request.method == "GET":
        return _page(unit_id, year, {})
    pemda_admin()
    form = _settings_form()
    if form.validate_on_submit():
        if "preview" in request.form:  # show the number the typed settings would print, save nothing
            unit = session().get(Unit, unit_id)
            try:
                check_format(form.template.data or "", form.mode.data or "unit")
                preview = example(form.template.data or "", kode_unit=unit.code if unit else "",
                                  kode_wilayah=(form.wilayah.data or "").strip(), tanggal=today())
                return _page(unit_id, year, {"settings_form": form, "preview": preview})
            except NumberingInvalid as exc:
                form.template.errors = [*list(form.template.errors or []), exc.message(current_lang())]
                return _page(unit_id, year, {"settings_form": form}, 422)
        clock = engine().clock
        done = _attempt(form, lambda: configure(
            session(), user=admin_actor(session(), scope()), at=clock.now(), tz=clock.tz,
            template=form.template.data or "", mode=form.mode.data, wilayah=form.wilayah.data or "",
            quota=form.quota.data))
        if done is not None:
            flash(gettext("Pengaturan penomoran disimpan."), "success")
            return redirect(url_for("admin.numbering", unit=unit_id, year=year))
    return _page(unit_id, year, {"settings_form": form}, 422)


@bp.route("/numbering/void", methods=["POST"])
def numbering_void() -> Response | tuple[str, int]:
    form = VoidForm()
    number = session().get(LetterNumber, optional_int(form.number_id.data) or 0)
    if number is None:
        abort(404)
    scope().require_unit(number.unit_id)  # another SKPD's number: 404
    if form.validate_on_submit():
        actor = admin_actor(session(), scope())
        done = _attempt(form, lambda: void(session(), number_id=number.id, user=actor,
                                           reason=form.void_reason.data or "", at=engine().clock.now()),
                        {"reason": "void_reason"})
        if done is not None:
            stop_after_void(session(), engine(), done.letter_id, user=me(), reason=done.void_reason)
            flash(gettext("Nomor {nomor} dibatalkan.", nomor=done.nomor), "success")
            return redirect(url_for("admin.numbering", unit=number.unit_id, year=number.year))
    return _page(number.unit_id, number.year, {"void_form": form, "voiding": number}, 422)


@bp.route("/numbering/sisipan", methods=["POST"])
def numbering_sisipan() -> Response | tuple[str, int]:
    form = _sisipan_form()
    unit_id = _unit(form.unit_id.data)
    year = _year(request.args.get("year"))
    if form.validate_on_submit():
        clock, tanggal = engine().clock, form.tanggal.data
        done = _attempt(form, lambda: sisipan(
            session(), unit_id=unit_id, year=tanggal.year, after_urut=form.after_urut.data, tanggal=tanggal,
            user=admin_actor(session(), scope()), reason=form.reason.data or "", at=clock.now(), tz=clock.tz,
            series=form.series.data or None))
        if done is not None:
            flash(gettext("Nomor sisipan {nomor} dibuat.", nomor=done.nomor), "success")
            return redirect(url_for("admin.numbering", unit=unit_id, year=done.year))
        year = _year(tanggal.year)
    return _page(unit_id, year, {"sisipan_form": form}, 422)
