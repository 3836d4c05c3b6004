"""What the letter page tells: the disposition tree as nested branches, and one timeline of
the letter read from the audit rows of all its processes (registration, each branch) and its
comments.

Nothing is computed from SpiffWorkflow here: the branches are `disposition` rows, the story is
the audit trail, which every step writes in its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from engine import disposition, messages
from engine.letters import agenda_label, comments
from engine.models import AuditEvent, Disposition, Letter, LetterAttachment, Position, ProcessInstance, User
from webapp.i18n import current_lang, gettext
from webapp.letterforms import label
from webapp.views.letters import holders

OPEN = ("belum_dibaca", "dibaca", "diteruskan")
QUIET = frozenset({"instance.started", "instance.completed", "timer.fired", "step.completed", "comment.added"})


@dataclass
class Branch:
    row: Disposition
    from_name: str
    to_name: str
    to_holders: str
    overdue: bool
    may_cancel: bool
    read_by: str = ""
    reported_by: str = ""
    files: list[LetterAttachment] = field(default_factory=list)
    children: list[Branch] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return label("branch_status", self.row.status)


def branches(session: Any, letter: Letter, user_id: int, now: datetime, today: date) -> list[Branch]:
    """The tree, roots first, each branch with its children (any depth)."""
    rows = disposition.tree(session, letter.id)
    if not rows:
        return []
    names = holders([r.to_position_id for r in rows], today)
    people = {u.id: u.name for u in session.scalars(select(User).where(User.id.in_(
        {r.from_user_id for r in rows} | {r.read_by_id for r in rows if r.read_by_id}
        | {r.reported_by_id for r in rows if r.reported_by_id})))}
    files: dict[int, list[LetterAttachment]] = {}
    for row in session.scalars(select(LetterAttachment).where(
            LetterAttachment.letter_id == letter.id, LetterAttachment.disposition_id.is_not(None))
            .order_by(LetterAttachment.id)):
        files.setdefault(row.disposition_id, []).append(row)
    nodes = {
        r.id: Branch(
            row=r,
            from_name=people.get(r.from_user_id, ""),
            to_name=r.to_position.name,
            to_holders=names.get(r.to_position_id, ""),
            overdue=bool(r.due_at and r.due_at < now and r.status in OPEN),
            may_cancel=r.status == "belum_dibaca" and disposition.may_cancel(session, user_id, r, today),
            read_by=people.get(r.read_by_id, "") if r.read_by_id else "",
            reported_by=people.get(r.reported_by_id, "") if r.reported_by_id else "",
            files=files.get(r.id, []),
        )
        for r in rows
    }
    roots = []
    for row in rows:
        node = nodes[row.id]
        parent = nodes.get(row.parent_id) if row.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


@dataclass(frozen=True)
class Event:
    at: datetime
    who: str
    position: str
    text: str
    kind: str
    detail: str = ""


def _names(session: Any, recipients: Any) -> str:
    ids = [r.get("jabatan_id") for r in recipients or [] if isinstance(r, dict)]
    found = {p.id: p.name for p in session.scalars(select(Position).where(Position.id.in_([i for i in ids if i])))}
    return ", ".join(found.get(i, "?") for i in ids)


def _completed(session: Any, event: AuditEvent, branch: Disposition | None) -> tuple[str, str, str]:
    """A completed step of a letter's process, said as what the person did."""
    done: dict[str, Any] = dict(event.after or {})
    whose = branch.to_position.name if branch else ""
    if done.get("aksi") == "teruskan":
        detail = "; ".join(str(i) for i in done.get("instruksi") or [])
        if done.get("catatan"):
            detail = f"{detail} — {done['catatan']}" if detail else str(done["catatan"])
        return gettext("Mendisposisikan kepada {names}", names=_names(session, done.get("penerima"))), "disposed", detail
    if done.get("aksi") == "arsipkan":
        return gettext("Mengarsipkan surat"), "archived", str(done.get("catatan") or "")
    if done.get("aksi") == "laporkan":
        return gettext("Melaporkan tindak lanjut"), "reported", str(done.get("laporan") or "")
    if done.get("keputusan") == "terima":
        return gettext("Menerima laporan tindak lanjut dari {name}", name=whose), "accepted", ""
    if done.get("keputusan") == "minta_perbaikan":
        return (gettext("Meminta laporan dari {name} dilengkapi", name=whose), "sent-back",
                str(done.get("catatan_laporan") or ""))
    return messages.text("history.task.completed", current_lang(), summary=event.summary), "step", ""


def timeline(session: Any, letter: Letter) -> list[Event]:
    """Registration, dispositions, reads, reports, acceptances, reminders, escalations and
    comments, oldest first."""
    by_instance = {b.instance_id: b for b in disposition.tree(session, letter.id) if b.instance_id}
    events: list[Event] = []
    rows = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.instance_id.in_(select(ProcessInstance.id).where(ProcessInstance.letter_id == letter.id)))
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    for row in rows:
        if row.action in QUIET:
            continue
        branch = by_instance.get(row.instance_id)
        detail = ""
        if row.action == "letter.registered":
            text, kind = gettext("Meregistrasi surat masuk, agenda {agenda}", agenda=agenda_label(letter)), "registered"
        elif row.action == "task.completed":
            text, kind, detail = _completed(session, row, branch)
        elif row.action == "instance.cancelled" and branch is not None:
            text, kind = gettext("Disposisi kepada {name} dibatalkan", name=branch.to_position.name), "cancelled"
        else:
            text = messages.text(f"history.{row.action}", current_lang(), summary=row.summary)
            kind = row.action.replace(".", "-")
        events.append(Event(row.at, row.actor_name, row.actor_position, text, kind, detail))
    for comment in comments(session, letter.id):
        events.append(Event(comment.created_at, comment.author.name, "", gettext("Komentar"), "comment", comment.text))
    return sorted(events, key=lambda e: e.at)
