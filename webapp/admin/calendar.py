"""Admin: the Pemda's working-day calendar (weekend days and holidays), for Pemda-wide admins.

Due dates of letters and dispositions count working days (engine.workdays), so the calendar is
one for the whole Pemda: an admin of one unit gets 404 here like everyone else who is no
Pemda admin.  The page also shows the default due dates of a letter registered now, so the
admin sees what a change does.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response
from wtforms import DateField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from engine.models import URGENSI
from engine.org_records import admin_actor
from engine.workdays import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    WEEKDAY_NAMES,
    WorkCalendar,
    add_holiday,
    holidays,
    remove_holiday,
    set_weekend,
    weekend_days,
)
from webapp.admin import bp
from webapp.admin.common import attempt, optional_int, scope
from webapp.context import engine, today
from webapp.dbsession import session
from webapp.formats import MONTHS
from webapp.i18n import current_lang, gettext
from webapp.localized import LocalizedForm


class HolidayForm(LocalizedForm):
    day = DateField("Tanggal", validators=[DataRequired()])
    name = StringField("Nama hari libur", validators=[DataRequired(), Length(max=200)])


class HolidayDeleteForm(LocalizedForm):
    """The delete button: the day travels in a hidden input beside the CSRF token."""

    day = DateField("Tanggal", validators=[DataRequired()])


class WeekendForm(LocalizedForm):
    weekend = SelectMultipleField(
        "Hari libur akhir pekan", choices=[], coerce=int, widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


def pemda_admin() -> None:
    """The calendar is Pemda-wide: only an admin of the whole Pemda may see or change it."""
    if not scope().is_global:
        abort(404)


def day_text(d: date) -> str:
    lang = current_lang()
    weekday = WEEKDAY_NAMES[d.isoweekday()][1 if lang == "en" else 0]
    month = MONTHS.get(lang, MONTHS["id"])[d.month - 1]
    return f"{weekday}, {d.day} {month} {d.year}"


def _weekend_form() -> WeekendForm:
    form = WeekendForm()
    index = 1 if current_lang() == "en" else 0
    form.weekend.choices = [(n, names[index]) for n, names in WEEKDAY_NAMES.items()]
    return form


def _page(year: int, forms: dict[str, object], status: int = 200) -> tuple[str, int]:
    forms.setdefault("holiday_form", HolidayForm())
    if "weekend_form" not in forms:
        weekend = _weekend_form()
        weekend.weekend.data = weekend_days(session())
        forms["weekend_form"] = weekend
    clock = engine().clock
    calendar = WorkCalendar.load(session(), clock.tz)
    now = clock.now()
    rows = holidays(session(), year)
    urgensi = {"biasa": gettext("Biasa"), "segera": gettext("Segera"), "sangat_segera": gettext("Sangat segera")}
    return render_template(
        "admin/calendar.html",
        year=year,
        years=(max(EARLIEST_YEAR, year - 1), min(LATEST_YEAR, year + 1)),
        holidays=[(h, day_text(h.day), h.day.isoweekday() in calendar.weekend) for h in rows],
        delete_form=HolidayDeleteForm(),
        weekend_names=[WEEKDAY_NAMES[d][1 if current_lang() == "en" else 0] for d in sorted(calendar.weekend)],
        dues=[(urgensi[u], calendar.default_due(u, now)) for u in URGENSI],
        now=now,
        **forms,
    ), status


@bp.route("/calendar", methods=["GET", "POST"])
def calendar() -> str | Response | tuple[str, int]:
    pemda_admin()
    year = optional_int(request.args.get("year")) or today().year
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        year = today().year
    if request.method == "GET":
        return _page(year, {})
    form = HolidayForm()
    actor = admin_actor(session(), scope())
    if form.validate_on_submit():
        added = attempt(form, lambda: add_holiday(session(), actor, form.day.data, form.name.data or ""))
        if added is not None:
            flash(gettext("Hari libur {day} ditambahkan.", day=day_text(added.day)), "success")
            return redirect(url_for("admin.calendar", year=added.day.year))
        year = form.day.data.year if EARLIEST_YEAR <= form.day.data.year <= LATEST_YEAR else year
    return _page(year, {"holiday_form": form}, 422)


@bp.route("/calendar/delete", methods=["POST"])
def calendar_delete() -> Response:
    pemda_admin()
    form = HolidayDeleteForm()
    if not form.validate_on_submit():
        abort(400)
    remove_holiday(session(), admin_actor(session(), scope()), form.day.data)
    flash(gettext("Hari libur {day} dihapus.", day=day_text(form.day.data)), "success")
    return redirect(url_for("admin.calendar", year=form.day.data.year))


@bp.route("/calendar/weekend", methods=["POST"])
def calendar_weekend() -> Response | tuple[str, int]:
    pemda_admin()
    form = _weekend_form()
    if form.validate_on_submit():
        actor = admin_actor(session(), scope())
        if attempt(form, lambda: set_weekend(session(), actor, form.weekend.data or [])) is not None:
            flash(gettext("Hari libur akhir pekan disimpan."), "success")
            return redirect(url_for("admin.calendar"))
    return _page(today().year, {"weekend_form": form}, 422)
