"""The agenda books of a unit, on screen and as plain rows for a spreadsheet.

  * the buku agenda surat masuk is engine.letter_lists' `agenda_masuk` (one query, one rule);
  * the buku agenda surat keluar is the register of outgoing numbers (`letter_number`): every
    number handed out, voided ones included with their reason, joined to its letter.

Who keeps which book is the agenda masuk's rule (`covers`: a pencatat, admin or auditor over
the unit).  What a row tells of its letter is engine.letter_access's: the hal only with full
access and never of a Rahasia or Sangat Rahasia letter ("(rahasia)"), the letter's other data
(jenis, klasifikasi, sifat, status, recipients) only with some access.  A number always shows:
a register with holes is worthless as evidence.  A filter on the letter's data matches only
letters the reader may see, so a filter never tells what a withheld row is about.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from engine import messages
from engine.inbox_filters import Notice, choice, contains, date_range, shown, text_value
from engine.letter_access import any_access, full_access
from engine.letter_lists import AgendaFilter, agenda_masuk, covers, in_klasifikasi, parse_klasifikasi
from engine.models import JENIS, SECRET_SIFAT, Letter, LetterNumber, LetterParty, Position, Unit
from engine.models.drafting import NUMBER_STATUSES

BOOKS = ("masuk", "keluar")
# A number exists once a letter is signed: these are the statuses a numbered letter can have.
NUMBERED_STATUSES = ("ditandatangani", "terkirim", "ditarik", "dibatalkan")
KELUAR_STATUSES = NUMBER_STATUSES + NUMBERED_STATUSES
EXPORT_LIMIT = 50_000  # rows in one file: a year of a large SKPD, many times over

messages.register(
    {
        "filter.bad_unit": ("Unit \u201c{value}\u201d tidak dikenal dan diabaikan.",
                            "Unknown unit \u201c{value}\u201d; it was ignored."),
        "agenda.col.agenda": ("No. agenda", "Agenda no."),
        "agenda.col.unit": ("Unit", "Unit"),
        "agenda.col.received": ("Diterima", "Received"),
        "agenda.col.nomor": ("Nomor surat", "Letter number"),
        "agenda.col.tanggal": ("Tanggal surat", "Letter date"),
        "agenda.col.sender": ("Pengirim", "Sender"),
        "agenda.col.hal": ("Perihal", "Subject"),
        "agenda.col.sifat": ("Sifat", "Classification level"),
        "agenda.col.urgensi": ("Urgensi", "Urgency"),
        "agenda.col.klasifikasi": ("Klasifikasi", "Classification"),
        "agenda.col.due": ("Batas waktu", "Due"),
        "agenda.col.status": ("Status", "Status"),
        "agenda.col.urut": ("No. urut", "Serial no."),
        "agenda.col.jenis": ("Jenis naskah", "Document type"),
        "agenda.col.kepada": ("Kepada", "To"),
        "agenda.col.number_status": ("Status nomor", "Number status"),
        "agenda.col.sisipan": ("Sisipan", "Inserted"),
        "agenda.col.note": ("Keterangan", "Remarks"),
        "agenda.secret": ("(rahasia)", "(secret)"),
        "agenda.yes": ("Ya", "Yes"),
    }
)


@dataclass(frozen=True)
class KeluarFilter:
    unit_id: int | None = None
    jenis: str | None = None
    klasifikasi: str | None = None  # the code or any code below it
    status: str | None = None  # of the number (terpakai, batal) or of its letter (terkirim ...)
    date_from: date | None = None  # the number's date, on or after
    date_to: date | None = None  # the number's date, on or before
    text: str | None = None  # number, or hal (never of a secret letter)

    @property
    def active(self) -> bool:
        return any((self.unit_id, self.jenis, self.klasifikasi, self.status, self.date_from, self.date_to, self.text))


def parse_keluar_filter(args: Mapping[str, str]) -> tuple[KeluarFilter, list[Notice]]:
    """The filter a query string asks for (unit, jenis, klasifikasi, status, tgl_dari,
    tgl_sampai, q), and what was wrong with it.  Never raises."""
    notices: list[Notice] = []
    raw_unit = (args.get("unit") or "").strip()
    unit_id = int(raw_unit) if raw_unit.isdigit() and len(raw_unit) < 10 else None
    if raw_unit and unit_id is None:
        notices.append(Notice("filter.bad_unit", {"value": shown(raw_unit)}))
    jenis = choice(args.get("jenis"), JENIS, "filter.bad_jenis", notices)
    code = parse_klasifikasi(args.get("klasifikasi"), notices)
    status = choice(args.get("status"), KELUAR_STATUSES, "filter.bad_status", notices)
    start, end = date_range(args.get("tgl_dari"), args.get("tgl_sampai"), notices)
    return KeluarFilter(unit_id, jenis, code, status, start, end, text_value(args.get("q"), notices)), notices


@dataclass(frozen=True)
class KeluarRow:
    number_id: int
    unit_name: str
    urut: str  # "15", "15a" for a sisipan
    nomor: str
    tanggal: date
    number_status: str  # terpakai | batal
    sisipan: bool
    note: str  # why it was voided, or why a sisipan was given
    letter_id: int | None  # None: no letter, or the reader may not open it
    jenis: str | None
    hal: str | None  # None: withheld (see `secret`) or no letter
    secret: bool  # the letter is Rahasia / Sangat Rahasia, or withheld from this reader
    sifat: str | None
    klasifikasi_code: str | None
    letter_status: str | None
    kepada: str = ""


def covered_units(session: Session, user_id: int) -> list[tuple[int, str]]:
    """(id, name) of the units whose agenda books the user keeps, for a unit filter."""
    unit = aliased(Unit)
    return [(r[0], r[1]) for r in session.execute(
        select(unit.id, unit.name).where(covers(user_id, unit.id)).order_by(unit.name).limit(1000))]


def agenda_keluar(session: Session, user_id: int, today: date, year: int, filters: KeluarFilter, *,
                  limit: int = 200, offset: int = 0) -> list[KeluarRow]:
    """The numbers of the year in the units the user covers, newest first (by date, then number)."""
    unit = aliased(Unit)  # letter_access's predicates read the unit table themselves
    seen = and_(Letter.id.is_not(None), any_access(user_id, today))
    read = and_(Letter.id.is_not(None), Letter.sifat.not_in(SECRET_SIFAT), full_access(user_id, today))
    query = (
        select(LetterNumber.id, unit.name, LetterNumber.urut, LetterNumber.suffix, LetterNumber.nomor,
               LetterNumber.tanggal, LetterNumber.status, LetterNumber.sisipan, LetterNumber.reason,
               LetterNumber.void_reason, Letter.id, Letter.jenis, Letter.hal, Letter.sifat, Letter.klasifikasi_code,
               Letter.status, case((seen, 1), else_=0), case((read, 1), else_=0))
        .join(unit, unit.id == LetterNumber.unit_id)
        .outerjoin(Letter, Letter.id == LetterNumber.letter_id)
        .where(LetterNumber.year == year, covers(user_id, LetterNumber.unit_id))
    )
    if filters.unit_id:
        query = query.where(LetterNumber.unit_id == filters.unit_id)
    if filters.jenis:
        query = query.where(seen, Letter.jenis == filters.jenis)
    if filters.klasifikasi:
        query = query.where(seen, in_klasifikasi(Letter.klasifikasi_code, filters.klasifikasi))
    if filters.status in NUMBER_STATUSES:
        query = query.where(LetterNumber.status == filters.status)
    elif filters.status:
        query = query.where(seen, Letter.status == filters.status)
    if filters.date_from:
        query = query.where(LetterNumber.tanggal >= filters.date_from)
    if filters.date_to:
        query = query.where(LetterNumber.tanggal <= filters.date_to)
    if filters.text:
        query = query.where(or_(contains(LetterNumber.nomor, filters.text), and_(read, contains(Letter.hal, filters.text))))
    rows = session.execute(
        query.order_by(LetterNumber.tanggal.desc(), LetterNumber.urut.desc(), LetterNumber.suffix.desc(),
                       LetterNumber.id.desc()).offset(max(offset, 0)).limit(limit)
    ).all()
    recipients = _kepada(session, [r[10] for r in rows if r[17]])
    result = []
    for r in rows:
        seen_row, read_row = bool(r[16]), bool(r[17])
        result.append(KeluarRow(
            number_id=r[0], unit_name=r[1], urut=f"{r[2]}{r[3] or ''}", nomor=r[4], tanggal=r[5], number_status=r[6],
            sisipan=bool(r[7]), note=(r[9] if r[6] == "batal" else r[8]) or "",
            letter_id=r[10] if seen_row else None, jenis=r[11] if seen_row else None,
            hal=r[12] if read_row else None, secret=r[10] is not None and not read_row,
            sifat=r[13] if seen_row else None, klasifikasi_code=r[14] if seen_row else None,
            letter_status=r[15] if seen_row else None, kepada=recipients.get(r[10], "") if read_row else "",
        ))
    return result


def _kepada(session: Session, letter_ids: list[int]) -> dict[int, str]:
    """The kepada of each letter, in order, as one line ("Kepala Dinas Kesehatan; PT Maju")."""
    if not letter_ids:
        return {}
    position, unit = aliased(Position), aliased(Unit)
    name = func.coalesce(func.nullif(LetterParty.name, ""), position.name, unit.name, literal(""))
    found: dict[int, list[str]] = {}
    for letter_id, text in session.execute(
        select(LetterParty.letter_id, name)
        .outerjoin(position, position.id == LetterParty.position_id)
        .outerjoin(unit, unit.id == LetterParty.unit_id)
        .where(LetterParty.letter_id.in_(set(letter_ids)), LetterParty.role == "kepada")
        .order_by(LetterParty.letter_id, LetterParty.id)
    ):
        if text:
            found.setdefault(letter_id, []).append(text)
    return {letter_id: "; ".join(names) for letter_id, names in found.items()}


# -- export: plain rows, a header first ------------------------------------------------------------

Label = Callable[[str, str | None], str]  # (vocabulary, stored value) -> what the reader reads


def _plain(_vocabulary: str, value: str | None) -> str:
    return value or ""


def _local(moment: datetime | None, tz: tzinfo) -> datetime | None:
    """A stored UTC time as the Pemda's wall clock, without zone (what a spreadsheet keeps)."""
    return moment.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0) if moment else None


def _header(keys: tuple[str, ...], lang: str) -> tuple[str, ...]:
    return tuple(messages.text(f"agenda.col.{key}", lang) for key in keys)


MASUK_COLUMNS = ("agenda", "unit", "received", "nomor", "tanggal", "sender", "hal", "sifat", "urgensi",
                 "klasifikasi", "due", "status")
KELUAR_COLUMNS = ("urut", "unit", "nomor", "tanggal", "jenis", "hal", "kepada", "klasifikasi", "sifat",
                  "number_status", "status", "sisipan", "note")


def rows_for_export(session: Session, user_id: int, today: date, book: str, year: int,
                    filters: AgendaFilter | KeluarFilter, *, tz: tzinfo = UTC, now: datetime | None = None,
                    lang: str = messages.DEFAULT_LANG, label: Label = _plain) -> list[tuple[Any, ...]]:
    """The book as a header row and one tuple per entry: text, dates (`date`) and the Pemda's
    wall-clock times (naive `datetime`), the same rows and rules as the screen."""
    secret = messages.text("agenda.secret", lang)
    if book == "masuk":
        if not isinstance(filters, AgendaFilter):
            raise TypeError("the agenda masuk takes an AgendaFilter")
        masuk = agenda_masuk(session, user_id, today, year, filters, now=now, tz=tz, limit=EXPORT_LIMIT)
        return [_header(MASUK_COLUMNS, lang)] + [
            (r.agenda, r.unit_name, _local(r.received_at, tz), r.nomor, r.tanggal, r.sender_name,
             r.hal if r.hal is not None else (secret if r.secret else ""), label("sifat", r.sifat),
             label("urgensi", r.urgensi), r.klasifikasi_code or "", _local(r.due_at, tz), label("letter", r.status))
            for r in masuk
        ]
    if book != "keluar":
        raise ValueError(f"unknown agenda book {book!r}")
    if not isinstance(filters, KeluarFilter):
        raise TypeError("the agenda keluar takes a KeluarFilter")
    keluar = agenda_keluar(session, user_id, today, year, filters, limit=EXPORT_LIMIT)
    yes = messages.text("agenda.yes", lang)
    return [_header(KELUAR_COLUMNS, lang)] + [
        (r.urut, r.unit_name, r.nomor, r.tanggal, label("jenis", r.jenis) if r.jenis else "",
         r.hal if r.hal is not None else (secret if r.secret else ""), r.kepada, r.klasifikasi_code or "",
         label("sifat", r.sifat) if r.sifat else "", label("number", r.number_status),
         label("letter", r.letter_status) if r.letter_status else "", yes if r.sisipan else "", r.note)
        for r in keluar
    ]
