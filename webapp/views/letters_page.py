"""The letter page, its files, comments, cancelling an unread branch, and the lembar disposisi.

Every route asks engine.letter_access first: no access is 404 (as for a letter that does not
exist); "meta" shows the register data of a secret letter and nothing of its content; files,
comments, the tree and the lembar need full access.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, send_file, url_for
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from engine import disposition
from engine.errors import InvalidInput, NotFound
from engine.letter_access import FULL
from engine.letters import add_comment, agenda_label, attachments, comments
from engine.models import Disposition, Letter, LetterAttachment, Unit
from engine.org_scope import ancestors
from webapp.context import engine, me, today
from webapp.dbsession import session
from webapp.i18n import current_lang, gettext
from webapp.letterforms import ButtonForm, LetterCommentForm, label
from webapp.uploads import path_of
from webapp.views.letters import acting_position, bp, letter_or_404, mark_read_on_open, my_open_tasks
from webapp.views.letters_timeline import branches, timeline
from webapp.views.outgoing_panel import panel_context


def _render(letter: Letter, level: str, comment_form: LetterCommentForm | None = None) -> tuple[str, int]:
    user = me()
    context: dict[str, Any] = {
        "letter": letter, "level": level, "agenda": agenda_label(letter), "label": label,
        "tasks": my_open_tasks(letter.id, user.id), "now": engine().clock.now(),
    }
    if level == FULL:
        context.update(
            files=attachments(session(), letter.id),
            comments=comments(session(), letter.id),
            tree=branches(session(), letter, user.id, engine().clock.now(), today()),
            events=timeline(session(), letter),
            comment_form=comment_form or LetterCommentForm(prefix="comment"),
            button_form=ButtonForm(),
        )
    context.update(panel_context(letter, level == FULL))  # an outgoing letter's number, paraf, versions
    return render_template("letters/letter.html", **context), 200


@bp.route("/surat/<int:letter_id>")
@login_required
def view(letter_id: int) -> tuple[str, int]:
    letter, level = letter_or_404(letter_id)
    if level == FULL:
        mark_read_on_open(letter_id)  # a recipient opening the letter has read the disposition
    return _render(letter, level)


@bp.route("/surat/<int:letter_id>/berkas/<int:attachment_id>")
@login_required
def download(letter_id: int, attachment_id: int) -> Response:
    letter_or_404(letter_id, full=True)
    row = session().get(LetterAttachment, attachment_id)
    path = path_of(row.sha256) if row is not None and row.letter_id == letter_id else None
    if row is None or path is None:
        raise NotFound()
    response = send_file(path, mimetype=row.mime or "application/octet-stream", as_attachment=True,
                         download_name=row.filename or "berkas", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"  # a secret letter's scan stays out of shared caches
    return response


@bp.route("/surat/<int:letter_id>/komentar", methods=["POST"])
@login_required
def comment(letter_id: int) -> Response | tuple[str, int]:
    letter, level = letter_or_404(letter_id, full=True)
    form = LetterCommentForm(prefix="comment")
    if not form.validate_on_submit():
        return _render(letter, level, comment_form=form)
    user = me()
    position = acting_position(user)
    try:
        with session().begin_nested():
            add_comment(session(), letter, user=user, position_id=position.id if position else None,
                        text=form.text.data or "", at=engine().clock.now())
    except InvalidInput as exc:
        form.text.errors = [exc.message(current_lang())]
        return _render(letter, level, comment_form=form)
    flash(gettext("Komentar ditambahkan."), "success")
    return redirect(url_for("letters.view", letter_id=letter_id) + "#komentar")


@bp.route("/surat/<int:letter_id>/disposisi/<int:disposition_id>/batal", methods=["POST"])
@login_required
def cancel(letter_id: int, disposition_id: int) -> Response:
    letter_or_404(letter_id, full=True)
    row = session().get(Disposition, disposition_id)
    if row is None or row.letter_id != letter_id:
        raise NotFound()
    name = row.to_position.name
    try:
        with session().begin_nested():
            disposition.cancel(session(), engine(), user=me(), disposition_id=disposition_id)
    except InvalidInput as exc:  # read in the meantime: said on the page, nothing changed
        flash(exc.message(current_lang()), "error")
        return redirect(url_for("letters.view", letter_id=letter_id) + "#disposisi")
    flash(gettext("Disposisi kepada {name} dibatalkan", name=name), "success")
    return redirect(url_for("letters.view", letter_id=letter_id) + "#disposisi")


@bp.route("/surat/<int:letter_id>/lembar-disposisi")
@login_required
def sheet(letter_id: int) -> tuple[str, int]:
    """The printable Lembar Disposisi (ANRI layout) of what the head decided, and below it
    the further levels."""
    letter, _level = letter_or_404(letter_id, full=True)
    rows = [r for r in disposition.tree(session(), letter_id) if r.status != "dibatalkan"]
    first = [r for r in rows if r.parent_id is None]
    chosen = list(dict.fromkeys(label for r in first for label in r.instructions or []))
    vocabulary = disposition.active_instructions(session())
    vocabulary += [c for c in chosen if c not in vocabulary]  # renamed or retired since: still shown ticked
    units = [letter.unit_id, *ancestors(session(), letter.unit_id)]
    names = dict(session().execute(select(Unit.id, Unit.name).where(Unit.id.in_(units))).all())
    return render_template(
        "letters/sheet.html", letter=letter, agenda=agenda_label(letter), label=label,
        kop=[names.get(units[-1], ""), *([names.get(letter.unit_id, "")] if len(units) > 1 else [])], first=first,
        further=[r for r in rows if r.parent_id is not None], vocabulary=vocabulary, chosen=set(chosen),
        disposer=first[0] if first else None,
    ), 200
