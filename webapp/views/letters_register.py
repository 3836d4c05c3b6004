"""Registering an incoming letter (the pencatat / TU), and the klasifikasi picker's look-up.

One POST: the values, the scan and the TU's optional pre-draft of the disposition go to
engine.letters.register_incoming, which numbers the letter and sends it to the head.  A
refused value comes back beside its field with everything typed kept, and nothing is saved
(the call runs in a SAVEPOINT; the agenda number is only taken when all is well).
"""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from engine import klasifikasi
from engine.assignment import head_position
from engine.disposition import active_instructions, allowed_recipients
from engine.errors import InvalidInput, NotFound
from engine.letters import IncomingLetter, StoredFile, register_incoming, registrar_units
from engine.models import Unit
from forms.filetypes import sniff
from webapp.context import engine, me
from webapp.dbsession import session
from webapp.i18n import current_lang, gettext
from webapp.letterforms import RegisterForm, from_local
from webapp.uploads import store
from webapp.views.letters import acting_position, bp, grouped

MAX_SEARCH = 20


def _unit(units: list[Unit]) -> Unit:
    wanted = request.form.get("unit_id", type=int) if request.method == "POST" else request.args.get("unit", type=int)
    return next((u for u in units if u.id == wanted), units[0])


def _page(form: RegisterForm, units: list[Unit], unit: Unit, status: int = 200) -> tuple[str, int]:
    head = head_position(session(), unit.id)
    recipients = allowed_recipients(session(), head.id) if head else []
    return render_template(
        "letters/register.html", form=form, units=units, unit=unit, head=head, groups=grouped(recipients),
        instructions=active_instructions(session()), zone=engine().clock.zone_name,
        klasifikasi_top=klasifikasi.search(session(), form.klasifikasi_code.data or "", limit=MAX_SEARCH),
        chosen_recipients=set(form.draft_recipients.data or []),
        chosen_instructions=set(form.draft_instructions.data or []),
    ), status


def _draft(form: RegisterForm, unit: Unit) -> dict[str, Any] | None:
    """The pre-draft as the head's page reads it, or None; a refused part is said beside it."""
    recipients = list(dict.fromkeys(form.draft_recipients.data or []))
    labels = list(dict.fromkeys(i.strip() for i in form.draft_instructions.data or [] if i.strip()))
    note = (form.draft_note.data or "").strip()
    if not (recipients or labels or note):
        return None
    head = head_position(session(), unit.id)
    allowed = {p.id for p in allowed_recipients(session(), head.id)} if head else set()
    if any(r not in allowed for r in recipients):
        form.draft_recipients.errors = [gettext("Pilih penerima dari daftar: pejabat di bawah pimpinan unit ini.")]
        return None
    vocabulary = set(active_instructions(session()))
    unknown = [label for label in labels if label not in vocabulary]
    if unknown:
        form.draft_instructions.errors = [gettext("Instruksi tidak dikenal: {label}.", label=unknown[0])]
        return None
    return {"penerima": recipients, "instruksi": labels, "catatan": note}


@bp.route("/surat/masuk/baru", methods=["GET", "POST"])
@login_required
def register() -> Response | tuple[str, int]:
    user = me()
    units = registrar_units(session(), user.id)
    if not units:
        raise NotFound()  # only the pencatat of a unit registers its letters
    unit = _unit(units)
    form = RegisterForm()
    form.fill_choices()
    form.unit_id.choices = [(u.id, u.name) for u in units]
    if request.method == "POST" and "unit_id" not in request.form and len(units) == 1:
        form.unit_id.data = unit.id  # a registrar of one unit need not say which
    if request.method == "GET":
        form.unit_id.data = unit.id
        form.received_at.data = engine().clock.local(engine().clock.now()).replace(tzinfo=None, second=0,
                                                                                    microsecond=0)
        return _page(form, units, unit)
    if not form.validate_on_submit():
        return _page(form, units, unit)
    draft = _draft(form, unit)
    tz = engine().clock.tz
    received = from_local(form.received_at.data, tz)
    if form.tanggal.data and form.tanggal.data > engine().clock.today():
        form.tanggal.errors = [gettext("Tanggal surat tidak boleh di masa depan.")]
    if received and received > engine().clock.now():
        form.received_at.errors = [gettext("Tanggal diterima tidak boleh di masa depan.")]
    if form.draft_recipients.errors or form.draft_instructions.errors or form.tanggal.errors or form.received_at.errors:
        return _page(form, units, unit)
    data = IncomingLetter(
        hal=form.hal.data or "",
        sender_name=form.sender_name.data or "",
        nomor=form.nomor.data or "",
        tanggal=form.tanggal.data,
        received_at=received,
        jenis=form.jenis.data or "",
        sifat=form.sifat.data or "",
        urgensi=form.urgensi.data or "",
        klasifikasi_code=(form.klasifikasi_code.data or "").strip() or None,
        sender_kind=form.sender_kind.data or "",
        body=form.body.data or "",
        draft_disposition=draft,
    )
    scan = None
    if form.scan.data is not None:
        upload = form.scan.data
        saved = store(upload, sniff(upload.stream))
        scan = StoredFile(saved["name"], saved["sha256"], saved["mime"], saved["size"])
    try:
        with session().begin_nested():
            done = register_incoming(session(), engine(), user=user, position=acting_position(user),
                                     unit_id=unit.id, data=data, scan=scan)
    except InvalidInput as exc:
        target = getattr(form, exc.field or "", None)
        if target is not None and hasattr(target, "errors"):
            target.errors = [*list(target.errors or []), exc.message(current_lang())]
        else:
            flash(exc.message(current_lang()), "error")
        return _page(form, units, unit)
    flash(gettext("Surat diregistrasi dengan nomor agenda {agenda}", agenda=done.agenda_label), "success")
    return redirect(url_for("letters.view", letter_id=done.letter.id))


@bp.route("/klasifikasi/cari")
@login_required
def klasifikasi_search() -> Response:
    """[{code, name}] for the klasifikasi field's suggestions (by code prefix or by name)."""
    query = (request.args.get("q") or "")[:80]
    rows = klasifikasi.search(session(), query, limit=MAX_SEARCH)
    return jsonify([{"code": row.code, "name": row.name} for row in rows])
