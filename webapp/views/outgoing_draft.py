"""Drafting an outgoing letter (the konseptor): a new draft, editing a konsep, submitting it to
the paraf chain, withdrawing it; and the two look-ups the draft page's script uses.

  * /surat/keluar/baru — "Buat naskah" for anyone who holds a position: "Simpan konsep" saves
    (engine.drafting.new_draft), "Ajukan" saves and submits in one go.
  * /surat/keluar/<id>/ubah — the konseptor edits a konsep or a withdrawn draft, then submits.
  * /surat/keluar/<id>/tarik — the konseptor withdraws it while nobody has initialled the round.

Each engine call runs in a SAVEPOINT: a refusal comes back beside its field with everything
typed kept, and nothing of it is saved ("Ajukan" saves nothing when the submission is refused).
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import login_required
from werkzeug.wrappers import Response

from engine import drafting
from engine.drafting import EDITABLE
from engine.errors import InvalidInput, NotFound
from engine.letter_access import FULL
from engine.models import JENIS, Letter
from webapp.context import engine, me
from webapp.dbsession import session
from webapp.i18n import current_lang, gettext
from webapp.outgoingforms import DraftForm, RecallForm, out_label
from webapp.views.letters import acting_position, bp, letter_or_404
from webapp.views.outgoing_compose import (
    new_form,
    posted_form,
    prefill,
    render_draft,
    show_refusal,
    signer_context,
    stored_attachments,
)
from webapp.views.outgoing_panel import may_draft, open_revision

ACTIONS = ("simpan", "ajukan", "periksa", "tambah")


@bp.record_once
def _globals(state: BlueprintSetupState) -> None:
    state.app.jinja_env.globals.update(out_label=out_label, lontar_may_draft=may_draft)


def _konseptor_position() -> int:
    position = acting_position(me())
    if position is None:
        raise NotFound()  # a letter is drafted in a position's name
    return position.id


def _my_draft(letter_id: int) -> Letter:
    """The konseptor's own editable draft; 404 for anyone else (whether it exists is not theirs)."""
    letter, level = letter_or_404(letter_id, full=True)
    if level != FULL or letter.direction != "keluar" or letter.registered_by_id != me().id:
        raise NotFound()
    return letter


def _action() -> str:
    action = request.form.get("aksi", "simpan")
    return action if action in ACTIONS else "simpan"


@bp.route("/surat/keluar/baru", methods=["GET", "POST"])
@login_required
def draft_new() -> Response | tuple[str, int]:
    position_id = _konseptor_position()
    if request.method == "GET":
        jenis = request.args.get("jenis")
        return render_draft("letters/draft.html", new_form(jenis if jenis in JENIS else None), position_id, mode="baru")
    form = posted_form()
    action = _action()
    if action in ("periksa", "tambah") or not form.validate_on_submit():
        if action == "tambah":
            form.parties.append_entry()
        return render_draft("letters/draft.html", form, position_id, mode="baru")
    user = me()
    result = None
    try:
        with session().begin_nested():
            letter = drafting.new_draft(session(), engine(), user=user, position=acting_position(user),
                                        data=form.draft_input(), attachments=stored_attachments(form))
            if action == "ajukan":
                result = drafting.submit(session(), engine(), letter.id, user=user)
    except InvalidInput as exc:
        message = show_refusal(form, exc)
        if message:
            flash(message, "error")
        return render_draft("letters/draft.html", form, position_id, mode="baru")
    return _saved(letter, action, result.error if result is not None else None)


def _saved(letter: Letter, action: str, error: object) -> Response:
    if action != "ajukan":
        flash(gettext("Konsep naskah disimpan."), "success")
    elif error:
        flash(gettext("Tugas tersimpan, tetapi langkah berikutnya gagal. Admin perlu memeriksanya."), "error")
    else:
        flash(gettext("Naskah diajukan untuk diparaf."), "success")
    return redirect(url_for("letters.view", letter_id=letter.id))


@bp.route("/surat/keluar/<int:letter_id>/ubah", methods=["GET", "POST"])
@login_required
def draft_edit(letter_id: int) -> Response | tuple[str, int]:
    letter = _my_draft(letter_id)
    if letter.status not in EDITABLE:
        flash(drafting_message("naskah.not_editable"), "info")
        return redirect(url_for("letters.view", letter_id=letter.id))
    revision = open_revision(letter.id)
    if revision is not None:  # returned: the revision task is the one way back into the chain
        flash(gettext("Naskah dikembalikan kepada Anda: perbaiki melalui tugas ini."), "info")
        return redirect(url_for("tasks.view", task_id=revision.id))
    position_id = letter.konseptor_position_id
    if request.method == "GET":
        form = DraftForm()
        prefill(form, letter)
        return render_draft("letters/draft.html", form, position_id, mode="ubah", letter=letter)
    form = posted_form()
    action = _action()
    if action in ("periksa", "tambah") or not form.validate_on_submit():
        if action == "tambah":
            form.parties.append_entry()
        return render_draft("letters/draft.html", form, position_id, mode="ubah", letter=letter)
    user = me()
    result = None
    try:
        with session().begin_nested():
            drafting.update_draft(session(), engine(), letter.id, user=user, data=form.draft_input(),
                                  attachments=stored_attachments(form))
            if action == "ajukan":
                result = drafting.submit(session(), engine(), letter.id, user=user)
    except InvalidInput as exc:
        message = show_refusal(form, exc)
        if message:
            flash(message, "error")
        return render_draft("letters/draft.html", form, position_id, mode="ubah", letter=letter)
    return _saved(letter, action, result.error if result is not None else None)


def drafting_message(key: str) -> str:
    return InvalidInput(key).message(current_lang())


@bp.route("/surat/keluar/<int:letter_id>/tarik", methods=["POST"])
@login_required
def draft_recall(letter_id: int) -> Response:
    letter = _my_draft(letter_id)
    form = RecallForm(prefix="tarik")
    if not form.validate_on_submit():
        abort(400)
    try:
        with session().begin_nested():
            drafting.recall(session(), engine(), letter.id, user=me(), reason=form.reason.data or "")
    except InvalidInput as exc:  # initialled in the meantime: said on the page, nothing changed
        flash(exc.message(current_lang()), "error")
        return redirect(url_for("letters.view", letter_id=letter.id))
    flash(gettext("Naskah ditarik kembali dan dapat diubah lagi."), "success")
    return redirect(url_for("letters.draft_edit", letter_id=letter.id))


@bp.route("/surat/keluar/penandatangan")
@login_required
def draft_signers() -> tuple[str, int]:
    """The signer section of the draft page for what is typed so far (an HTML fragment)."""
    form = DraftForm(formdata=request.args, meta={"csrf": False})
    letter_id = request.args.get("letter", type=int)
    position_id = _my_draft(letter_id).konseptor_position_id if letter_id else _konseptor_position()
    return render_template("letters/draft_signer.html", form=form, **signer_context(form, position_id)), 200


@bp.route("/surat/keluar/templat")
@login_required
def draft_template() -> Response:
    """{jenis, body}: the body skeleton of a jenis, for the draft page's script."""
    jenis = request.args.get("jenis", "")
    if jenis not in JENIS:
        raise NotFound()
    return jsonify({"jenis": jenis, "body": drafting.template_for(session(), jenis)})
