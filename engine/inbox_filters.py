"""The inbox, narrowed: filters a person sets on their task list, read from the query string.

`filtered_inbox` is engine.inbox's `actionable` predicate (the page and every permission check
keep one rule) with the task's letter joined on typed columns: HumanTask -> ProcessInstance
-> Letter by `ProcessInstance.letter_id`, and the disposition branch a task belongs to by
`Disposition.instance_id`.  No task data (JSON) is read and no workflow is deserialized.

Filter values come from people and URLs, so `parse_filter` never raises: an unknown choice is
ignored with a notice, an unreadable date is dropped with a message, and what remains still
filters.  Notices are engine.messages keys, shown in the reader's language by the web layer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, and_, case, literal, or_, select
from sqlalchemy.orm import Session, aliased

from engine import messages
from engine.disposition import FOLLOW_UP_FORM
from engine.inbox import actionable
from engine.letter_access import full_access
from engine.models import JENIS, URGENSI, Disposition, HumanTask, Letter, Position, ProcessInstance, User

SORTS = ("due", "newest")
MAX_TEXT = 100

# Query-string names, as the filter bar sends them.
PARAM_URGENSI, PARAM_OVERDUE, PARAM_JENIS, PARAM_SENDER = "urgensi", "terlambat", "jenis", "dari"
PARAM_DATE_FROM, PARAM_DATE_TO, PARAM_SORT = "tgl_dari", "tgl_sampai", "urutan"

messages.register(
    {
        "filter.bad_urgensi": ("Urgensi \u201c{value}\u201d tidak dikenal dan diabaikan.",
                               "Unknown urgency \u201c{value}\u201d; it was ignored."),
        "filter.bad_jenis": ("Jenis naskah \u201c{value}\u201d tidak dikenal dan diabaikan.",
                             "Unknown document type \u201c{value}\u201d; it was ignored."),
        "filter.bad_sort": ("Urutan \u201c{value}\u201d tidak dikenal; daftar diurutkan menurut batas waktu.",
                            "Unknown order \u201c{value}\u201d; the list is sorted by due date."),
        "filter.bad_date_from": (
            "Tanggal awal \u201c{value}\u201d tidak dapat dibaca (contoh: 2026-11-23 atau 23-11-2026) dan diabaikan.",
            "The start date \u201c{value}\u201d could not be read (e.g. 2026-11-23 or 23-11-2026); it was ignored.",
        ),
        "filter.bad_date_to": (
            "Tanggal akhir \u201c{value}\u201d tidak dapat dibaca (contoh: 2026-11-23 atau 23-11-2026) dan diabaikan.",
            "The end date \u201c{value}\u201d could not be read (e.g. 2026-11-23 or 23-11-2026); it was ignored.",
        ),
        "filter.date_order": (
            "Tanggal awal sesudah tanggal akhir; filter tanggal diabaikan.",
            "The start date is after the end date; the date filter was ignored.",
        ),
        "filter.text_too_long": (
            "Teks pencarian dipotong menjadi {limit} karakter.",
            "The search text was cut to {limit} characters.",
        ),
    }
)


@dataclass(frozen=True)
class Notice:
    """Something the reader should know about the filter they sent (an engine.messages key)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = messages.DEFAULT_LANG) -> str:
        return messages.text(self.key, lang, **self.params)


@dataclass(frozen=True)
class InboxFilter:
    urgensi: str | None = None
    overdue: bool = False
    jenis: str | None = None
    sender: str | None = None  # Letter.sender_name, or the disposer's title or name (ILIKE)
    date_from: date | None = None  # task created on or after, in the Pemda's local dates
    date_to: date | None = None  # task created on or before, in the Pemda's local dates
    sort: str = "due"  # due (nulls last) | newest

    @property
    def active(self) -> bool:
        return any((self.urgensi, self.overdue, self.jenis, self.sender, self.date_from, self.date_to))


# -- reading values from a query string ---------------------------------------------------------

_DAY_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


def parse_day(raw: str | None) -> tuple[date | None, bool]:
    """(the date, whether it was readable): ISO as a date input sends it, or dd-mm-yyyy / dd/mm/yyyy."""
    value = (raw or "").strip()
    if not value:
        return None, True
    if len(value) <= 10:
        for fmt in _DAY_FORMATS:
            try:
                return datetime.strptime(value, fmt).date(), True
            except ValueError:
                continue
    return None, False


def shown(raw: str) -> str:
    """A value echoed in a notice: short, on one line."""
    text = " ".join(raw.split())
    return text if len(text) <= 40 else text[:39] + "\u2026"


def choice(raw: str | None, allowed: tuple[str, ...], key: str, notices: list[Notice]) -> str | None:
    value = (raw or "").strip()
    if not value:
        return None
    if value not in allowed:
        notices.append(Notice(key, {"value": shown(value)}))
        return None
    return value


def text_value(raw: str | None, notices: list[Notice]) -> str | None:
    value = " ".join((raw or "").split())
    if len(value) > MAX_TEXT:
        notices.append(Notice("filter.text_too_long", {"limit": MAX_TEXT}))
        value = value[:MAX_TEXT]
    return value or None


def date_range(raw_from: str | None, raw_to: str | None,
               notices: list[Notice]) -> tuple[date | None, date | None]:
    start, ok_start = parse_day(raw_from)
    if not ok_start:
        notices.append(Notice("filter.bad_date_from", {"value": shown(raw_from or "")}))
    end, ok_end = parse_day(raw_to)
    if not ok_end:
        notices.append(Notice("filter.bad_date_to", {"value": shown(raw_to or "")}))
    if start and end and start > end:
        notices.append(Notice("filter.date_order"))
        return None, None
    return start, end


def truthy(raw: str | None) -> bool:
    return (raw or "").strip().lower() in ("1", "on", "true", "ya", "yes")


def parse_filter(args: Mapping[str, str]) -> tuple[InboxFilter, list[Notice]]:
    """The filter a query string asks for, and what was wrong with it.  Never raises."""
    notices: list[Notice] = []
    urgensi = choice(args.get(PARAM_URGENSI), URGENSI, "filter.bad_urgensi", notices)
    jenis = choice(args.get(PARAM_JENIS), JENIS, "filter.bad_jenis", notices)
    sender = text_value(args.get(PARAM_SENDER), notices)
    start, end = date_range(args.get(PARAM_DATE_FROM), args.get(PARAM_DATE_TO), notices)
    sort = choice(args.get(PARAM_SORT), SORTS, "filter.bad_sort", notices) or "due"
    flt = InboxFilter(urgensi=urgensi, overdue=truthy(args.get(PARAM_OVERDUE)), jenis=jenis, sender=sender,
                      date_from=start, date_to=end, sort=sort)
    return flt, notices


# -- the query --------------------------------------------------------------------------------


def like_pattern(text: str) -> str:
    """`%text%` with LIKE's own wildcards taken literally (escape character: backslash)."""
    escaped = re.sub(r"([\\%_])", r"\\\1", text)
    return f"%{escaped}%"


def contains(column: Any, text: str) -> ColumnElement[bool]:
    return column.ilike(like_pattern(text), escape="\\")


def day_start(day: date, tz: tzinfo) -> datetime:
    """Local midnight of `day` in the Pemda's zone, as UTC."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def created_between(column: Any, start: date | None, end: date | None, tz: tzinfo) -> list[ColumnElement[bool]]:
    """`column` (UTC) within the local days start..end, both included."""
    conditions = []
    if start is not None:
        conditions.append(column >= day_start(start, tz))
    if end is not None:
        conditions.append(column < day_start(end + timedelta(days=1), tz))
    return conditions


def agenda_text(number: int | None, year: int | None) -> str:
    return f"{number}/{year}" if number else ""


@dataclass(frozen=True)
class InboxRow:
    """A task of the inbox with what the filter bar and the card show about its letter."""

    task_id: int
    instance_id: int
    name: str
    instance_title: str
    process_key: str
    created_at: datetime
    due_at: datetime | None
    assignee_id: int | None
    delegation_state: str | None
    overdue: bool
    letter_id: int | None = None
    agenda: str = ""
    hal: str = ""
    urgensi: str | None = None
    sifat: str | None = None
    jenis: str | None = None
    disposition_id: int | None = None
    from_title: str = ""  # from whom: the disposer's title, the letter's sender, or who started it
    from_name: str = ""  # the disposer's name, beside their title


def filtered_inbox(session: Session, user_id: int, today: date, now: datetime, flt: InboxFilter, *,
                   tz: tzinfo | None = None, limit: int = 200) -> list[InboxRow]:
    """The user's inbox narrowed by `flt`.  Dates are the Pemda's local dates: pass `tz`, or a
    `now` that carries the Pemda's zone (clock.local(clock.now()))."""
    zone = tz or now.tzinfo or UTC
    disposer = aliased(User)
    starter = aliased(User)
    recipient = aliased(Position)
    in_branch = Disposition.id.is_not(None)
    # From whom the task comes: the disposer for a follow-up, the recipient reporting back for
    # the disposer's own "accept the report" step, the sender for the head's disposition, and
    # the person who started any other process.
    from_title = case(
        (and_(in_branch, HumanTask.form_key == FOLLOW_UP_FORM), Disposition.from_title),
        (in_branch, recipient.name),
        (Letter.id.is_not(None), Letter.sender_name),
        else_=starter.name,
    )
    from_name = case((and_(in_branch, HumanTask.form_key == FOLLOW_UP_FORM), disposer.name), else_=literal(""))
    query = (
        select(
            HumanTask.id, HumanTask.instance_id, HumanTask.name, ProcessInstance.title, ProcessInstance.key,
            HumanTask.created_at, HumanTask.due_at, HumanTask.assignee_id, HumanTask.delegation_state,
            Letter.id, Letter.agenda_number, Letter.agenda_year, Letter.hal, Letter.urgensi, Letter.sifat, Letter.jenis,
            Disposition.id, from_title, from_name,
        )
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .outerjoin(Letter, Letter.id == ProcessInstance.letter_id)
        .outerjoin(Disposition, Disposition.instance_id == ProcessInstance.id)
        .outerjoin(disposer, disposer.id == Disposition.from_user_id)
        .outerjoin(recipient, recipient.id == Disposition.to_position_id)
        .outerjoin(starter, starter.id == ProcessInstance.started_by_id)
        .where(actionable(user_id, today))
    )
    if flt.urgensi:
        query = query.where(Letter.urgensi == flt.urgensi)
    if flt.jenis:
        query = query.where(Letter.jenis == flt.jenis)
    if flt.overdue:
        query = query.where(HumanTask.due_at.is_not(None), HumanTask.due_at < now)
    if flt.sender:
        query = query.where(or_(contains(Letter.sender_name, flt.sender), contains(from_title, flt.sender),
                                and_(in_branch, contains(disposer.name, flt.sender))))
    query = query.where(*created_between(HumanTask.created_at, flt.date_from, flt.date_to, zone))
    if flt.sort == "newest":
        query = query.order_by(HumanTask.created_at.desc(), HumanTask.id.desc())
    else:
        query = query.order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at.desc(),
                               HumanTask.id.desc())
    rows = session.execute(query.limit(limit)).all()
    # The addressee of a task has full access to its letter; the check stays (a query of its
    # own, over Letter alone, as engine.letter_access's predicates expect), so that a change of
    # that rule can never put a secret hal on an inbox card.
    letter_ids = {r[9] for r in rows if r[9] is not None}
    readable = set(session.scalars(select(Letter.id).where(Letter.id.in_(letter_ids), full_access(user_id, today)))
                   ) if letter_ids else set()
    return [
        InboxRow(
            task_id=r[0], instance_id=r[1], name=r[2], instance_title=r[3], process_key=r[4], created_at=r[5],
            due_at=r[6], assignee_id=r[7], delegation_state=r[8],
            overdue=r[6] is not None and r[6] < now,
            letter_id=r[9], agenda=agenda_text(r[10], r[11]), hal=(r[12] or "") if r[9] in readable else "", urgensi=r[13], sifat=r[14],
            jenis=r[15], disposition_id=r[16], from_title=r[17] or "", from_name=r[18] or "",
        )
        for r in rows
    ]
