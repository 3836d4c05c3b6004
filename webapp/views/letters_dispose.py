"""The two disposition tasks, shown as a lembar disposisi instead of a schema form.

webapp/views/tasks.py hands a task whose form key is in engine.disposition.SPECIAL_FORMS to
`page` (GET) and `submit` (POST) once it has checked who may see and complete it, so the task
page's rules (404 for strangers, "already done by X" for a second click) hold here too.

  * the head's task (lontar.disposisi): recipients, instructions, note, a due date for each
    recipient; "Kirim disposisi" or "Arsipkan".  Prefilled from the TU's pre-draft.
  * a recipient's task (lontar.tindak_lanjut): the same to forward further down, or
    "Laporkan tindak lanjut" with a report and an optional file.

A refused choice comes back beside its field with everything kept (the call runs in a
SAVEPOINT, so nothing of it is saved).
"""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from engine import disposition
from engine.disposition import DISPOSE_FORM, FOLLOW_UP_FORM, DispositionChoice, Recipient
from engine.errors import InvalidInput, NotFound
from engine.letters import StoredFile, add_attachment, agenda_label, attachments
from engine.models import Disposition, HumanTask, Letter, Position
from engine.runtime import StepResult
from engine.task_rules import Standing
from engine.workdays import WorkCalendar
from forms.filetypes import sniff
from webapp.context import engine, me
from webapp.dbsession import session
from webapp.i18n import current_lang, gettext
from webapp.letterforms import DispositionForm, label, parse_local, to_local_input
from webapp.uploads import store
from webapp.views.letters import grouped, mark_read_on_open
from webapp.views.task_actions import panel


def _letter(task: HumanTask) -> Letter:
    letter_id = (task.context or {}).get("letter_id")
    letter = session().get(Letter, letter_id) if isinstance(letter_id, int) else None
    if letter is None:
        raise NotFound()
    return letter


def _branch(task: HumanTask) -> Disposition | None:
    branch_id = (task.context or {}).get("disposisi_id")
    return session().get(Disposition, branch_id) if isinstance(branch_id, int) else None


def _dues() -> dict[str, str]:
    """The due date typed for each recipient (`due-<position id>`), as typed."""
    return {key[4:]: value for key, value in request.form.items() if key.startswith("due-")}


def _render(task: HumanTask, rights: Standing, form: DispositionForm | None, dues: dict[str, str]) -> tuple[str, int]:
    letter, branch = _letter(task), _branch(task)
    clock = engine().clock
    now = clock.now()
    position = disposition.acting_position(session(), engine(), me(), task.id) if form is not None else None
    recipients = disposition.allowed_recipients(session(), position.id if position else None)
    default_due = WorkCalendar.load(session(), clock.tz).default_due(letter.urgensi, now)
    if branch is not None and branch.due_at and now < branch.due_at < default_due:
        default_due = branch.due_at  # not later than what was asked of the recipient
    chosen = list(form.instructions.data or []) if form is not None else []
    vocabulary = disposition.active_instructions(session())
    context = dict(task.context or {})
    actions = {**panel(rights), "delegate_form": None}  # forwarding is how a disposition is handed down
    return render_template(
        "letters/dispose.html", task=task, instance=task.instance, letter=letter, agenda=agenda_label(letter),
        label=label, branch=branch, form=form, is_head=task.form_key == DISPOSE_FORM, position=position,
        groups=grouped(recipients), due_values={p.id: dues.get(str(p.id)) or to_local_input(default_due, clock.tz)
                                               for p in recipients},
        instructions=vocabulary + [c for c in chosen if c not in vocabulary],
        chosen_recipients=set(form.recipients.data or []) if form is not None else set(),
        chosen_instructions=set(chosen), files=attachments(session(), letter.id), now=now,
        sent_back=context.get("catatan_laporan") if context.get("keputusan") == "minta_perbaikan" else "",
        **actions,
    ), 200


def page(task: HumanTask, rights: Standing) -> tuple[str, int]:
    """GET: the lembar, prefilled from the TU's pre-draft for the head."""
    if task.form_key == FOLLOW_UP_FORM and rights.may_submit:
        letter_id = (task.context or {}).get("letter_id")
        if isinstance(letter_id, int) and mark_read_on_open(letter_id):
            task = session().get(HumanTask, task.id) or task  # the read snapshot was renewed
    form = DispositionForm() if rights.may_submit else None
    if form is not None and task.form_key == DISPOSE_FORM:
        draft = (task.context or {}).get("draf_disposisi") or _letter(task).draft_disposition or {}
        form.recipients.data = [r for r in draft.get("penerima") or [] if isinstance(r, int)]
        form.instructions.data = [str(i) for i in draft.get("instruksi") or []]
        form.note.data = str(draft.get("catatan") or "")
    return _render(task, rights, form, {})


FIELDS = ("recipients", "instructions", "note", "report")


def submit(task: HumanTask, rights: Standing) -> Response | tuple[str, int]:
    """POST: send the disposition, archive, or report, as the pressed button says."""
    form = DispositionForm()
    dues = _dues()
    if not form.validate_on_submit():
        return _render(task, rights, form, dues)
    action = request.form.get("aksi", "")
    if action not in (("kirim", "arsipkan") if task.form_key == DISPOSE_FORM else ("kirim", "laporkan")):
        flash(gettext("Pilih salah satu tombol tindakan."), "error")
        return _render(task, rights, form, dues)
    due_at: dict[int, datetime | None] = {}
    if action == "kirim":
        tz = engine().clock.tz
        for position_id in dict.fromkeys(form.recipients.data or []):
            try:
                due_at[position_id] = parse_local(dues.get(str(position_id)), tz)
            except ValueError:
                position = session().get(Position, position_id)
                form.recipients.errors = [gettext("Batas waktu untuk {name} tidak valid.",
                                                  name=position.name if position else "?")]
                return _render(task, rights, form, dues)
    try:
        with session().begin_nested():
            result, done = _act(task, form, action, due_at)
    except InvalidInput as exc:
        message = exc.message(current_lang())
        if exc.field in FIELDS:
            target = getattr(form, exc.field)
            target.errors = [*list(target.errors or []), message]
        else:
            flash(message, "error")
        return _render(task, rights, form, dues)
    if result.error:
        flash(gettext("Tugas tersimpan, tetapi langkah berikutnya gagal. Admin perlu memeriksanya."), "error")
    else:
        flash(done, "success")
    return redirect(url_for("letters.view", letter_id=_letter(task).id))


def _act(task: HumanTask, form: DispositionForm, action: str,
         due_at: dict[int, datetime | None]) -> tuple[StepResult, str]:
    user = me()
    if action == "kirim":
        choice = DispositionChoice([Recipient(pid, due) for pid, due in due_at.items()],
                                   list(form.instructions.data or []), form.note.data or "")
        result = disposition.dispose(session(), engine(), task.id, user=user, choice=choice)
        return result, gettext("Disposisi dikirim kepada {count} penerima.", count=len(due_at))
    if action == "arsipkan":
        result = disposition.archive(session(), engine(), task.id, user=user, note=form.note.data or "")
        return result, gettext("Surat diarsipkan.")
    ids: list[int] = []
    if form.report_file.data is not None and (form.report.data or "").strip():  # no file kept for a refused report
        upload = form.report_file.data
        saved = store(upload, sniff(upload.stream))
        branch = _branch(task)
        row = add_attachment(session(), _letter(task),
                             StoredFile(saved["name"], saved["sha256"], saved["mime"], saved["size"]),
                             user=user, kind="tindak_lanjut", disposition_id=branch.id if branch else None,
                             at=engine().clock.now())
        ids.append(row.id)
    result = disposition.report(session(), engine(), task.id, user=user, text=form.report.data or "",
                                attachment_ids=ids)
    return result, gettext("Laporan tindak lanjut dikirim.")
