"""The four task pages of an outgoing letter, shown instead of a schema form.

webapp/views/tasks.py hands a task whose form key is in engine.outgoing_forms.OUTGOING_FORMS
to `page` (GET) and `submit` (POST) once it has checked who may see and complete it, so the
task page's rules (404 for strangers, "already done by X" for a second click) hold here too.

  * paraf (lontar.paraf): Paraf, Kembalikan (with a note), or Revisi (edit hal / body, then
    initial) on the current version, with the versions and the paraf table beside it;
  * tanda tangan (lontar.tandatangan): the signature block as it will be printed, "Tandatangani
    dan beri nomor" or "Kembalikan";
  * perbaiki (lontar.perbaiki): the konseptor's draft form with the pemeriksa's notes, "Ajukan lagi";
  * ekspedisi (lontar.ekspedisi): each outside recipient with date, channel and note.

A refusal comes back beside its field with everything typed kept; the engine call runs in a
SAVEPOINT, so nothing of it is saved.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response

from engine import distribution, drafting, paraf, signing
from engine.distribution import SentInput
from engine.documents.sealing import DocumentConfig, active_certificate, record_wrong_passphrase
from engine.documents.signer import WrongPassphrase
from engine.errors import InvalidInput, NotFound
from engine.letters import add_attachment, attachments
from engine.models import HumanTask, Letter, Position
from engine.outgoing_forms import DISPATCH_FORM, PARAF_FORM, REVISE_FORM, SIGN_FORM
from engine.signing_rules import holding_kind, signature_lines
from engine.task_rules import Standing
from webapp.context import engine, me, today
from webapp.dbsession import session
from webapp.i18n import current_lang, gettext
from webapp.letterforms import label
from webapp.outgoingforms import (
    CHANNELS,
    DispatchForm,
    DraftForm,
    ParafForm,
    ReviseParafForm,
    SignForm,
    field_of,
)
from webapp.uploads import store_bytes
from webapp.views.letter_pdf import template_dirs
from webapp.views.outgoing_compose import posted_form, prefill, render_draft, show_refusal, stored_attachments
from webapp.views.outgoing_panel import history, party_namer, returns
from webapp.views.task_actions import panel

TEMPLATES = {PARAF_FORM: "letters/paraf.html", SIGN_FORM: "letters/sign.html", DISPATCH_FORM: "letters/dispatch.html"}


def _letter(task: HumanTask) -> Letter:
    letter_id = (task.context or {}).get("letter_id")
    letter = session().get(Letter, letter_id) if isinstance(letter_id, int) else None
    if letter is None:
        raise NotFound()
    return letter


def _common(task: HumanTask, rights: Standing, letter: Letter) -> dict[str, Any]:
    return {"task": task, "instance": task.instance, "letter": letter, "label": label,
            "version": drafting.current_version(session(), letter.id), "files": attachments(session(), letter.id),
            "party_name": party_namer(letter), "now": engine().clock.now(), **history(letter.id),
            **{**panel(rights), "delegate_form": None}}  # a paraf or a signature is personal


def _signature_preview(letter: Letter) -> list[str]:
    signer = session().get(Position, letter.signer_position_id) if letter.signer_position_id else None
    if signer is None:
        return []
    options = letter.draft_options or {}
    principal_id = options.get("atas_nama")
    principal = session().get(Position, principal_id) if isinstance(principal_id, int) else None
    kind = holding_kind(session(), me().id, signer.id, today()) or ""
    return signature_lines(session(), signer, principal, bool(options.get("ub")), kind)


def _render(task: HumanTask, rights: Standing, **forms: Any) -> tuple[str, int]:
    letter = _letter(task)
    context = _common(task, rights, letter)
    if task.form_key == PARAF_FORM and rights.may_submit:
        version = context["version"]
        context["form"] = forms.get("form") or ParafForm()
        revise_form = forms.get("revise_form")
        if revise_form is None:
            revise_form = ReviseParafForm(prefix="revisi")
            revise_form.hal.data, revise_form.body.data = version.hal, version.body
        context["revise_form"] = revise_form
    elif task.form_key == SIGN_FORM:
        context["form"] = (forms.get("form") or SignForm()) if rights.may_submit else None
        context["block"] = _signature_preview(letter)
        context["has_certificate"] = active_certificate(session(), me().id, engine().clock.now()) is not None
        if context["form"] is not None:
            context["form"].passphrase.data = ""  # never sent back to the browser
    elif task.form_key == DISPATCH_FORM:
        context["form"] = DispatchForm() if rights.may_submit else None
        context["rows"] = distribution.dispatch_rows(session(), letter.id)
        context["channels"] = [(k, gettext(v)) for k, v in CHANNELS.items()]
        context["typed"] = forms.get("typed") or {}
        context["today_iso"] = today().isoformat()
    return render_template(TEMPLATES[task.form_key], **context), 200


def _render_revise(task: HumanTask, rights: Standing, form: DraftForm | None) -> tuple[str, int]:
    letter = _letter(task)
    if form is None:
        form = DraftForm()
        prefill(form, letter)
    return render_draft("letters/revise.html", form, letter.konseptor_position_id, letter=letter, mode="perbaiki",
                        notes=returns(letter.id), may_submit=rights.may_submit,
                        **{k: v for k, v in _common(task, rights, letter).items() if k not in ("letter", "files")})


def page(task: HumanTask, rights: Standing) -> tuple[str, int]:
    if task.form_key == REVISE_FORM:
        return _render_revise(task, rights, None)
    return _render(task, rights)


def submit(task: HumanTask, rights: Standing) -> Response | tuple[str, int]:
    handler = {PARAF_FORM: _submit_paraf, SIGN_FORM: _submit_sign, REVISE_FORM: _submit_revise,
               DISPATCH_FORM: _submit_dispatch}[task.form_key or ""]
    return handler(task, rights)


def _done(task: HumanTask, result: Any, message: str) -> Response:
    if result is not None and getattr(result, "error", None):
        flash(gettext("Tugas tersimpan, tetapi langkah berikutnya gagal. Admin perlu memeriksanya."), "error")
    else:
        flash(message, "success")
    return redirect(url_for("letters.view", letter_id=_letter(task).id))


def _refused(exc: InvalidInput, *forms: Any) -> None:
    """Beside the first form's field of that name, else as a message at the top."""
    message = exc.message(current_lang())
    for form in forms:
        target = field_of(form, exc.field)
        if target is not None:
            target.errors = [*list(target.errors or []), message]
            return
    flash(message, "error")


def _submit_paraf(task: HumanTask, rights: Standing) -> Response | tuple[str, int]:
    action = request.form.get("aksi", "")
    if action == "revisi":
        revise_form, form = ReviseParafForm(prefix="revisi"), None
        if not revise_form.validate_on_submit():
            return _render(task, rights, revise_form=revise_form)
        note, hal, body = revise_form.note.data or "", revise_form.hal.data, revise_form.body.data or ""
    else:
        form, revise_form = ParafForm(), None
        if not form.validate_on_submit():
            return _render(task, rights, form=form)
        note, hal, body = form.note.data or "", None, None
    if action not in ("paraf", "kembalikan", "revisi"):
        flash(gettext("Pilih salah satu tombol tindakan."), "error")
        return _render(task, rights, form=form, revise_form=revise_form)
    try:
        with session().begin_nested():
            result = paraf.paraf(session(), engine(), task.id, user=me(), decision=action, note=note, hal=hal, body=body)
    except InvalidInput as exc:
        _refused(exc, *(f for f in (form, revise_form) if f is not None))
        return _render(task, rights, form=form, revise_form=revise_form)
    messages = {"paraf": gettext("Naskah diparaf."), "kembalikan": gettext("Naskah dikembalikan kepada konseptor."),
                "revisi": gettext("Naskah direvisi dan diparaf.")}
    return _done(task, result, messages[action])


def _verify_url(letter_id: int) -> str:
    """The letter's public verification page (webapp/views/verify.py), for the QR code."""
    try:
        return url_for("verify.letter", letter_id=letter_id, _external=True)
    except BuildError:  # the verification blueprint not registered (yet)
        return f"{request.host_url.rstrip('/')}/verifikasi/surat/{letter_id}"


def document_config() -> DocumentConfig:
    instance = Path(current_app.instance_path)
    return DocumentConfig(template_dirs=template_dirs(), ca_folder=instance / "ca", store=store_bytes,
                          verify_url=_verify_url)


def _wrong_passphrase(task: HumanTask, rights: Standing, form: SignForm) -> tuple[str, int]:
    """Nothing was signed (the savepoint rolled back); the attempt is audited in a transaction of
    its own, committed now, since the 422 answer rolls the request's transaction back."""
    task_id = task.id
    current = session()
    current.rollback()
    record_wrong_passphrase(current, task_id, user=me(), at=engine().clock.now())
    current.commit()
    task = current.get(HumanTask, task_id) or task
    form.passphrase.errors = [gettext("Frasa sandi salah. Naskah tidak ditandatangani.")]
    page, _status = _render(task, rights, form=form)
    return page, 422


def _submit_sign(task: HumanTask, rights: Standing) -> Response | tuple[str, int]:
    form = SignForm()
    if not form.validate_on_submit():
        return _render(task, rights, form=form)
    action = request.form.get("aksi", "")
    if action not in ("tandatangani", "kembalikan"):
        flash(gettext("Pilih salah satu tombol tindakan."), "error")
        return _render(task, rights, form=form)
    try:
        with session().begin_nested():
            signed = signing.sign(session(), engine(), task.id, user=me(), decision=action, note=form.note.data or "",
                                  passphrase=form.passphrase.data or None, documents=document_config())
    except WrongPassphrase:
        return _wrong_passphrase(task, rights, form)
    except InvalidInput as exc:
        _refused(exc, form)
        return _render(task, rights, form=form)
    if signed.returned:
        return _done(task, signed.step, gettext("Naskah dikembalikan kepada konseptor."))
    nomor = signed.number.nomor if signed.number is not None else (_letter(task).nomor or "—")
    return _done(task, signed.step, gettext("Naskah ditandatangani. Nomor naskah: {nomor}", nomor=nomor))


def _submit_revise(task: HumanTask, rights: Standing) -> Response | tuple[str, int]:
    form = posted_form()
    action = request.form.get("aksi", "ajukan")
    if action in ("periksa", "tambah") or not form.validate_on_submit():
        if action == "tambah":
            form.parties.append_entry()
        return _render_revise(task, rights, form)
    letter = _letter(task)
    try:
        with session().begin_nested():
            result = paraf.revise(session(), engine(), task.id, user=me(), data=form.draft_input(),
                                  note=form.note.data or "")
            for stored in stored_attachments(form):
                add_attachment(session(), letter, stored, user=me(), kind="lampiran", at=engine().clock.now())
    except InvalidInput as exc:
        message = show_refusal(form, exc)
        if message:
            flash(message, "error")
        return _render_revise(task, rights, form)
    return _done(task, result, gettext("Perbaikan diajukan; paraf dimulai lagi dari pemeriksa pertama."))


def _typed() -> dict[str, dict[str, str]]:
    """What was typed per recipient: {party id: {date, channel, note}}."""
    found: dict[str, dict[str, str]] = {}
    for key, value in request.form.items():
        name, _, party = key.partition("-")
        if name in ("date", "channel", "note") and party.isdigit():
            found.setdefault(party, {})[name] = value
    return found


def _submit_dispatch(task: HumanTask, rights: Standing) -> Response | tuple[str, int]:
    form = DispatchForm()
    typed = _typed()
    if not form.validate_on_submit():
        return _render(task, rights, typed=typed)
    sent: list[SentInput] = []
    for party, values in typed.items():
        try:
            sent_on = date.fromisoformat(values["date"]) if values.get("date") else None
        except ValueError:
            flash(gettext("Tanggal kirim tidak valid."), "error")
            return _render(task, rights, typed=typed)
        sent.append(SentInput(int(party), sent_on, values.get("channel", ""), values.get("note", "")[:300]))
    try:
        with session().begin_nested():
            result = distribution.mark_sent(session(), engine(), task.id, user=me(), sent=sent)
    except InvalidInput as exc:
        flash(exc.message(current_lang()), "error")
        return _render(task, rights, typed=typed)
    return _done(task, result, gettext("Ekspedisi dicatat: {count} penerima.", count=len(sent)))
