"""The letter lists of the "Surat" page: for me, disposed by me, registered by me, the agenda.

Every query goes through engine.letter_access, so a list can never show a letter its single
page would refuse:

  * the three personal lists keep rows where the user has full access (they registered the
    letter, disposed it or received a branch of it: participants, who see the hal);
  * the agenda book (buku agenda surat masuk) of a pencatat, admin or auditor keeps rows of
    the units they cover where they have any access; a Rahasia or Sangat Rahasia letter shows
    as "(rahasia)" there for everyone, is never matched by a text search on its hal, and the
    hal of any letter shows only with full access.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from engine import messages
from engine.disposition import held_position_ids
from engine.inbox_filters import (
    Notice,
    agenda_text,
    choice,
    contains,
    created_between,
    date_range,
    shown,
    text_value,
)
from engine.letter_access import any_access, full_access, units_with_role
from engine.models import (
    SECRET_SIFAT,
    SIFAT,
    URGENSI,
    Disposition,
    Letter,
    Position,
    Unit,
    User,
    UserRole,
)
from engine.models.letters import LETTER_STATUSES

OPEN_BRANCH = ("belum_dibaca", "dibaca", "diteruskan")  # still waiting for a follow-up
OPEN_LETTER = ("menunggu_disposisi", "didisposisikan")
AGENDA_ROLES = ("pencatat", "admin", "auditor")
MIN_YEAR, MAX_YEAR = 2000, 2100

messages.register(
    {
        "filter.bad_sifat": ("Sifat \u201c{value}\u201d tidak dikenal dan diabaikan.",
                             "Unknown classification level \u201c{value}\u201d; it was ignored."),
        "filter.bad_status": ("Status \u201c{value}\u201d tidak dikenal dan diabaikan.",
                              "Unknown status \u201c{value}\u201d; it was ignored."),
        "filter.bad_klasifikasi": ("Kode klasifikasi \u201c{value}\u201d tidak valid dan diabaikan.",
                                   "The classification code \u201c{value}\u201d is not valid; it was ignored."),
        "filter.bad_year": ("Tahun \u201c{value}\u201d tidak valid; ditampilkan tahun {year}.",
                            "The year \u201c{value}\u201d is not valid; showing {year}."),
    }
)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


# -- who sees which tab -----------------------------------------------------------------------


def is_registrar(session: Session, user_id: int) -> bool:
    """A pencatat somewhere: the "Registrasi saya" tab."""
    return bool(session.scalar(select(exists().where(UserRole.user_id == user_id, UserRole.role == "pencatat"))))


def keeps_agenda(session: Session, user_id: int) -> bool:
    """A pencatat, admin or auditor somewhere: the "Agenda masuk" and "Agenda keluar" tabs and their export."""
    return bool(session.scalar(select(exists().where(UserRole.user_id == user_id, UserRole.role.in_(AGENDA_ROLES)))))


# -- "Registrasi saya": letters I registered ----------------------------------------------------


@dataclass(frozen=True)
class RegisteredRow:
    letter_id: int
    agenda: str
    hal: str
    sifat: str
    urgensi: str
    sender_name: str
    received_at: datetime | None
    due_at: datetime | None
    status: str
    overdue: bool
    branches: dict[str, int] = field(default_factory=dict)  # branch status -> count

    @property
    def branch_total(self) -> int:
        return sum(self.branches.values())


def sent_by_me(session: Session, user_id: int, today: date, *, now: datetime | None = None,
               limit: int = 200) -> list[RegisteredRow]:
    """Letters the user registered (the TU's own list), newest first, with their branches counted."""
    moment = _now(now)
    rows = session.execute(
        select(Letter.id, Letter.agenda_number, Letter.agenda_year, Letter.hal, Letter.sifat, Letter.urgensi,
               Letter.sender_name, Letter.received_at, Letter.due_at, Letter.status)
        .where(Letter.registered_by_id == user_id, full_access(user_id, today))
        .order_by(Letter.created_at.desc(), Letter.id.desc())
        .limit(limit)
    ).all()
    counts: dict[int, dict[str, int]] = {}
    if rows:
        for letter_id, status, count in session.execute(
            select(Disposition.letter_id, Disposition.status, func.count())
            .where(Disposition.letter_id.in_([r[0] for r in rows]))
            .group_by(Disposition.letter_id, Disposition.status)
        ):
            counts.setdefault(letter_id, {})[status] = count
    return [
        RegisteredRow(
            letter_id=r[0], agenda=agenda_text(r[1], r[2]), hal=r[3], sifat=r[4], urgensi=r[5], sender_name=r[6],
            received_at=r[7], due_at=r[8], status=r[9],
            overdue=r[9] in OPEN_LETTER and r[8] is not None and r[8] < moment,
            branches=counts.get(r[0], {}),
        )
        for r in rows
    ]


# -- "Disposisi saya" and "Untuk saya": branches from and to me --------------------------------


@dataclass(frozen=True)
class BranchRow:
    disposition_id: int
    letter_id: int
    agenda: str
    hal: str
    sifat: str
    urgensi: str
    from_title: str
    from_name: str
    to_position: str
    instructions: list[str]
    status: str
    due_at: datetime | None
    created_at: datetime
    read_at: datetime | None
    overdue: bool


def _branches(session: Session, user_id: int, today: date, branch: Any, condition: ColumnElement[bool],
              moment: datetime, limit: int) -> list[BranchRow]:
    """`branch` is an alias of Disposition: letter_access's predicates read the disposition table
    themselves, and an unaliased outer Disposition would be correlated into them."""
    disposer = aliased(User)
    recipient = aliased(Position)
    rows = session.execute(
        select(branch.id, Letter.id, Letter.agenda_number, Letter.agenda_year, Letter.hal, Letter.sifat,
               Letter.urgensi, branch.from_title, disposer.name, recipient.name, branch.instructions,
               branch.status, branch.due_at, branch.created_at, branch.read_at)
        .join(Letter, Letter.id == branch.letter_id)
        .join(disposer, disposer.id == branch.from_user_id)
        .join(recipient, recipient.id == branch.to_position_id)
        .where(condition, full_access(user_id, today))
        .order_by(branch.created_at.desc(), branch.id.desc())
        .limit(limit)
    ).all()
    return [
        BranchRow(
            disposition_id=r[0], letter_id=r[1], agenda=agenda_text(r[2], r[3]), hal=r[4], sifat=r[5], urgensi=r[6],
            from_title=r[7] or "", from_name=r[8] or "", to_position=r[9], instructions=list(r[10] or []),
            status=r[11], due_at=r[12], created_at=r[13], read_at=r[14],
            overdue=r[11] in OPEN_BRANCH and r[12] is not None and r[12] < moment,
        )
        for r in rows
    ]


def disposed_by_me(session: Session, user_id: int, today: date, *, now: datetime | None = None,
                   limit: int = 200) -> list[BranchRow]:
    """Branches the user sent, or a position they hold (themselves or as deputy) sent; newest first."""
    mine = held_position_ids(session, user_id, today)
    branch = aliased(Disposition)
    condition = or_(branch.from_user_id == user_id, branch.from_position_id.in_(mine or {0}))
    return _branches(session, user_id, today, branch, condition, _now(now), limit)


def disposed_to_me(session: Session, user_id: int, today: date, *, now: datetime | None = None,
                   limit: int = 200) -> list[BranchRow]:
    """Branches to a position the user holds (themselves or as deputy), not withdrawn; newest first."""
    mine = held_position_ids(session, user_id, today)
    branch = aliased(Disposition)
    condition = and_(branch.to_position_id.in_(mine or {0}), branch.status != "dibatalkan")
    return _branches(session, user_id, today, branch, condition, _now(now), limit)


# -- "Agenda masuk": the agenda book of incoming letters ----------------------------------------


@dataclass(frozen=True)
class AgendaFilter:
    urgensi: str | None = None
    sifat: str | None = None
    status: str | None = None
    klasifikasi: str | None = None  # the code or any code below it (000 matches 000.1.2)
    date_from: date | None = None  # received on or after (local date)
    date_to: date | None = None  # received on or before (local date)
    text: str | None = None  # hal (never of a secret letter), sender or number

    @property
    def active(self) -> bool:
        return any((self.urgensi, self.sifat, self.status, self.klasifikasi, self.date_from, self.date_to, self.text))


KLASIFIKASI_CODE = frozenset("0123456789.")


def parse_agenda_filter(args: Mapping[str, str]) -> tuple[AgendaFilter, list[Notice]]:
    """The agenda filter a query string asks for (urgensi, sifat, status, klasifikasi, tgl_dari,
    tgl_sampai, q), and what was wrong with it.  Never raises."""
    notices: list[Notice] = []
    urgensi = choice(args.get("urgensi"), URGENSI, "filter.bad_urgensi", notices)
    sifat = choice(args.get("sifat"), SIFAT, "filter.bad_sifat", notices)
    status = choice(args.get("status"), LETTER_STATUSES, "filter.bad_status", notices)
    code = parse_klasifikasi(args.get("klasifikasi"), notices)
    start, end = date_range(args.get("tgl_dari"), args.get("tgl_sampai"), notices)
    text = text_value(args.get("q"), notices)
    return AgendaFilter(urgensi, sifat, status, code, start, end, text), notices


def parse_klasifikasi(raw: str | None, notices: list[Notice]) -> str | None:
    """A classification code to filter on (000, 000.1.2), or None with a notice when it is none."""
    code = (raw or "").strip().rstrip(".")
    if code and (len(code) > 40 or not set(code) <= KLASIFIKASI_CODE or code.startswith(".")):
        notices.append(Notice("filter.bad_klasifikasi", {"value": shown(code)}))
        code = ""
    return code or None


def in_klasifikasi(column: Any, code: str) -> ColumnElement[bool]:
    """The code itself or any code below it (000 matches 000.1.2)."""
    return or_(column == code, column.like(code + ".%"))


def parse_year(raw: str | None, default: int, notices: list[Notice]) -> int:
    value = (raw or "").strip()
    if not value:
        return default
    if value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR:
        return int(value)
    notices.append(Notice("filter.bad_year", {"value": shown(value), "year": default}))
    return default


@dataclass(frozen=True)
class AgendaRow:
    letter_id: int
    unit_name: str
    agenda: str
    nomor: str
    tanggal: date | None
    received_at: datetime | None
    sender_name: str
    hal: str | None  # None: not shown (secret letter, or no full access)
    secret: bool
    sifat: str
    urgensi: str
    klasifikasi_code: str | None
    status: str
    due_at: datetime | None
    overdue: bool


def covers(user_id: int, unit_column: Any = Letter.unit_id) -> ColumnElement[bool]:
    """The letter's unit (or `unit_column`: a number's) lies under a unit where the user is
    pencatat, admin or auditor: whose agenda books they keep."""
    pemda_wide = exists().where(UserRole.user_id == user_id, UserRole.role.in_(AGENDA_ROLES),
                                UserRole.unit_id.is_(None))
    return or_(pemda_wide, unit_column.in_(units_with_role(user_id, AGENDA_ROLES)))


def agenda_masuk(session: Session, user_id: int, today: date, year: int, filters: AgendaFilter, *,
                 now: datetime | None = None, tz: tzinfo = UTC, limit: int = 200,
                 offset: int = 0) -> list[AgendaRow]:
    """Incoming letters of the agenda year in the units the user covers, highest agenda number
    first.  `tz` is the Pemda's zone (what "received on" a date means)."""
    moment = _now(now)
    unit = aliased(Unit)  # letter_access's predicates read the unit table themselves
    secret = Letter.sifat.in_(SECRET_SIFAT)
    hal = case((and_(~secret, full_access(user_id, today)), Letter.hal), else_=literal(None))
    query = (
        select(Letter.id, unit.name, Letter.agenda_number, Letter.agenda_year, Letter.nomor, Letter.tanggal,
               Letter.received_at, Letter.sender_name, hal, Letter.sifat, Letter.urgensi, Letter.klasifikasi_code,
               Letter.status, Letter.due_at)
        .join(unit, unit.id == Letter.unit_id)
        .where(Letter.direction == "masuk", Letter.agenda_year == year, covers(user_id), any_access(user_id, today))
    )
    if filters.urgensi:
        query = query.where(Letter.urgensi == filters.urgensi)
    if filters.sifat:
        query = query.where(Letter.sifat == filters.sifat)
    if filters.status:
        query = query.where(Letter.status == filters.status)
    if filters.klasifikasi:
        query = query.where(in_klasifikasi(Letter.klasifikasi_code, filters.klasifikasi))
    query = query.where(*created_between(Letter.received_at, filters.date_from, filters.date_to, tz))
    if filters.text:
        # The hal of a secret letter is never searched: a match would tell what it is about.
        query = query.where(or_(contains(Letter.sender_name, filters.text), contains(Letter.nomor, filters.text),
                                and_(~secret, contains(Letter.hal, filters.text))))
    rows = session.execute(
        query.order_by(Letter.agenda_number.desc(), unit.name, Letter.id).offset(max(offset, 0)).limit(limit)
    ).all()
    return [
        AgendaRow(
            letter_id=r[0], unit_name=r[1], agenda=agenda_text(r[2], r[3]), nomor=r[4] or "", tanggal=r[5],
            received_at=r[6], sender_name=r[7], hal=r[8], secret=r[9] in SECRET_SIFAT, sifat=r[9], urgensi=r[10],
            klasifikasi_code=r[11], status=r[12], due_at=r[13],
            overdue=r[12] in OPEN_LETTER and r[13] is not None and r[13] < moment,
        )
        for r in rows
    ]
