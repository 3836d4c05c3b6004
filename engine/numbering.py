"""The outgoing-letter number register: numbers taken at signing, voided but never reused.

A number is one value of a counter row (engine.counters) rendered by the Pemda's template
(engine.number_format), taken in the signing transaction under the row lock: a rolled-back
signing gives its value back (no gap), two signings at once queue on the row (no duplicate).
The register row stays for ever; a voided number is marked "batal" and never handed out again.
A back-dated "sisipan" number (15a, 15b after 15) is the exception for a letter that missed the
register; it is quota'd per unit per day because an unlimited back door would make the register
worthless as evidence.  Services flush; the caller commits.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import audit, counters, messages
from engine.errors import NotFound
from engine.models import Counter, Letter, LetterNumber, Unit, User
from engine.number_format import (
    DEFAULT_FORMAT,
    MAX_NOMOR,
    NO_KLASIFIKASI,
    SERIES_PREFIX,
    NumberingInvalid,
    actor_of,
    kode_wilayah,
    number_format,
    render,
    series_mode,
    set_format,
    sisipan_quota,
)

__all__ = [
    "DEFAULT_FORMAT", "NumberingInvalid", "allocate", "kode_wilayah", "number_format", "register", "render",
    "series_for", "series_mode", "set_format", "sisipan", "void",
]

messages.register(
    {
        "numbering.too_long": (
            "Nomor {nomor} lebih dari {n} karakter: persingkat format nomor.",
            "Number {nomor} is longer than {n} characters: shorten the number format."),
        "numbering.already_numbered": ("Surat ini sudah bernomor {nomor}.", "This letter already has number {nomor}."),
        "numbering.reason_required": ("Alasan wajib diisi.", "A reason is required."),
        "numbering.already_void": ("Nomor {nomor} sudah dibatalkan.", "Number {nomor} is already void."),
        "numbering.base_missing": (
            "Nomor urut {urut} belum ada dalam register unit ini tahun {year}.",
            "Number {urut} is not in this unit's register of {year}."),
        "numbering.base_ambiguous": (
            "Nomor urut {urut} ada di beberapa seri ({series}): pilih serinya.",
            "Number {urut} exists in several series ({series}): choose one."),
        "numbering.future_date": (
            "Tanggal nomor sisipan tidak boleh di masa depan.", "A sisipan number cannot be dated in the future."),
        "numbering.wrong_year": ("Tanggal harus dalam tahun {year}.", "The date must lie in {year}."),
        "numbering.before_previous": (
            "Tanggal tidak boleh sebelum tanggal nomor {nomor} ({tanggal}).",
            "The date cannot be before that of number {nomor} ({tanggal})."),
        "numbering.after_next": (
            "Tanggal tidak boleh sesudah tanggal nomor {nomor} ({tanggal}).",
            "The date cannot be after that of number {nomor} ({tanggal})."),
        "numbering.quota": (
            "Kuota nomor sisipan unit ini hari ini ({n}) sudah habis.",
            "This unit's sisipan quota for today ({n}) is used up."),
        "numbering.suffixes_used": (
            "Akhiran a sampai z untuk nomor {urut} sudah terpakai semua.",
            "Suffixes a to z of number {urut} are all taken."),
    }
)

# -- numbers -----------------------------------------------------------------------------------


def _top(code: str | None) -> str:
    return (code or NO_KLASIFIKASI).split(".")[0]


def series_for(session: Session, letter: Letter) -> str:
    mode = series_mode(session)
    if mode == "jenis":
        return f"{SERIES_PREFIX}:{letter.jenis}"
    if mode == "klasifikasi":
        return f"{SERIES_PREFIX}:{_top(letter.klasifikasi_code)}"
    return SERIES_PREFIX


def _nomor(session: Session, unit: Unit, urut: int, suffix: str, tanggal: date,
           klasifikasi: str | None, jenis: str | None) -> str:
    nomor = render(number_format(session), klasifikasi=klasifikasi, urut=urut, suffix=suffix, kode_unit=unit.code,
                   kode_wilayah=kode_wilayah(session), tanggal=tanggal, jenis=jenis)
    if len(nomor) > MAX_NOMOR:
        raise NumberingInvalid("numbering.too_long", "template", nomor=nomor, n=MAX_NOMOR)
    return nomor


def _in_use(session: Session, letter_id: int) -> None:
    nomor = session.scalar(select(LetterNumber.nomor).where(LetterNumber.letter_id == letter_id,
                                                            LetterNumber.status == "terpakai"))
    if nomor is not None:
        raise NumberingInvalid("numbering.already_numbered", "letter_id", nomor=nomor)


def allocate(session: Session, *, letter: Letter, unit_id: int, user: User | audit.Actor | None, at: datetime,
             tz: tzinfo, lock: bool = True) -> LetterNumber:
    """The next number of the letter's series, dated the Pemda-local day of `at`; sets the
    letter's nomor and tanggal.  `lock=False` exists only to show the race in a test."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound()
    if letter.id is None:
        session.flush()
    _in_use(session, letter.id)
    local = at.astimezone(tz)
    series = series_for(session, letter)
    urut = counters.next_value(session, unit_id, local.year, series, lock=lock)
    nomor = _nomor(session, unit, urut, "", local.date(), letter.klasifikasi_code, letter.jenis)
    actor = actor_of(user)
    row = LetterNumber(unit_id=unit_id, year=local.year, series=series, urut=urut, suffix="", nomor=nomor,
                       tanggal=local.date(), letter_id=letter.id, status="terpakai", sisipan=False,
                       allocated_by_id=actor.user_id, allocated_at=at)
    session.add(row)
    session.flush()  # the unique register row is the last guard against a duplicate
    letter.nomor, letter.tanggal = nomor, local.date()
    # the signing step holds the instance lock, so its chain is safe to append to
    audit.record(session, action="nomor.dialokasikan", actor=actor, instance_id=letter.instance_id, at=at,
                 summary=f"Nomor {nomor} untuk surat #{letter.id}",
                 after={"nomor": nomor, "letter_id": letter.id, "unit_id": unit_id, "series": series, "urut": urut})
    return row


def _reason(reason: str) -> str:
    clean = " ".join((reason or "").split())
    if not clean:
        raise NumberingInvalid("numbering.reason_required", "reason")
    return clean


def void(session: Session, *, number_id: int, user: User | audit.Actor | None, reason: str,
         at: datetime) -> LetterNumber:
    """Mark a number batal (the row stays, the counter never goes back) and cancel its letter."""
    row = session.get(LetterNumber, number_id, with_for_update=True, populate_existing=True)
    if row is None:
        raise NotFound()
    if row.status == "batal":
        raise NumberingInvalid("numbering.already_void", None, nomor=row.nomor)
    clean = _reason(reason)
    actor = actor_of(user)
    row.status, row.voided_by_id, row.voided_at, row.void_reason = "batal", actor.user_id, at, clean
    letter = session.get(Letter, row.letter_id) if row.letter_id is not None else None
    if letter is not None:
        letter.status = "dibatalkan"
    session.flush()
    audit.record(session, action="nomor.dibatalkan", actor=actor, at=at, summary=f"Nomor {row.nomor} batal: {clean}",
                 before={"status": "terpakai"}, after={"status": "batal", "nomor": row.nomor, "alasan": clean})
    return row


def _base_series(session: Session, unit_id: int, year: int, urut: int, series: str | None) -> str:
    query = select(LetterNumber.series).where(LetterNumber.unit_id == unit_id, LetterNumber.year == year,
                                              LetterNumber.urut == urut, LetterNumber.suffix == "")
    found = sorted(session.scalars(query if series is None else query.where(LetterNumber.series == series)))
    if not found:
        raise NumberingInvalid("numbering.base_missing", "after_urut", urut=urut, year=year)
    if len(found) > 1:
        raise NumberingInvalid("numbering.base_ambiguous", "series", urut=urut, series=", ".join(found))
    return found[0]


def sisipan(session: Session, *, unit_id: int, year: int, after_urut: int, tanggal: date,
            user: User | audit.Actor | None, reason: str, at: datetime, tz: tzinfo, letter_id: int | None = None,
            series: str | None = None, klasifikasi: str | None = None, jenis: str | None = None) -> LetterNumber:
    """A back-dated number after `after_urut` (15a, then 15b), dated between that number and the
    next one.  Without a letter, klasifikasi and jenis are given (or read off the series)."""
    clean = _reason(reason)
    unit = session.get(Unit, unit_id)
    letter = session.get(Letter, letter_id) if letter_id is not None else None
    if unit is None or (letter_id is not None and letter is None):
        raise NotFound()
    series = _base_series(session, unit_id, year, after_urut, series)
    # the counter row's lock queues two admins asking for the same suffix (SQLite: BEGIN IMMEDIATE)
    session.execute(select(Counter.id).where(Counter.unit_id == unit_id, Counter.year == year,
                                             Counter.series == series).with_for_update())
    same = select(LetterNumber).where(LetterNumber.unit_id == unit_id, LetterNumber.year == year,
                                      LetterNumber.series == series)
    taken = list(session.scalars(same.where(LetterNumber.urut == after_urut).order_by(LetterNumber.suffix)))
    following = session.scalars(same.where(LetterNumber.urut > after_urut, LetterNumber.suffix == "")
                                .order_by(LetterNumber.urut).limit(1)).first()
    local = at.astimezone(tz)
    if tanggal > local.date():
        raise NumberingInvalid("numbering.future_date", "tanggal")
    if tanggal.year != year:
        raise NumberingInvalid("numbering.wrong_year", "tanggal", year=year)
    previous = max(taken, key=lambda n: (len(n.suffix), n.suffix))
    if tanggal < previous.tanggal:
        raise NumberingInvalid("numbering.before_previous", "tanggal", nomor=previous.nomor,
                               tanggal=previous.tanggal.isoformat())
    if following is not None and tanggal > following.tanggal:
        raise NumberingInvalid("numbering.after_next", "tanggal", nomor=following.nomor,
                               tanggal=following.tanggal.isoformat())
    quota = sisipan_quota(session)
    day = datetime.combine(local.date(), time(0), tzinfo=tz)
    used = session.scalar(select(func.count()).select_from(LetterNumber).where(
        LetterNumber.unit_id == unit_id, LetterNumber.sisipan.is_(True),
        LetterNumber.allocated_at >= day, LetterNumber.allocated_at < day + timedelta(days=1)))
    if (used or 0) >= quota:
        raise NumberingInvalid("numbering.quota", None, n=quota)
    suffixes = {n.suffix for n in taken}
    suffix = next((c for c in "abcdefghijklmnopqrstuvwxyz" if c not in suffixes), None)
    if suffix is None:
        raise NumberingInvalid("numbering.suffixes_used", "after_urut", urut=after_urut)
    if letter is not None:
        _in_use(session, letter.id)
        klasifikasi, jenis = letter.klasifikasi_code, letter.jenis
    _prefix, _sep, key = series.partition(":")  # "keluar:800" (klasifikasi) or "keluar:nota_dinas"
    if key.isdigit():
        klasifikasi = klasifikasi or key
    elif key:
        jenis = jenis or key
    nomor = _nomor(session, unit, after_urut, suffix, tanggal, klasifikasi, jenis)
    actor = actor_of(user)
    row = LetterNumber(unit_id=unit_id, year=year, series=series, urut=after_urut, suffix=suffix, nomor=nomor,
                       tanggal=tanggal, letter_id=letter_id, status="terpakai", sisipan=True, reason=clean,
                       allocated_by_id=actor.user_id, allocated_at=at)
    session.add(row)
    session.flush()
    if letter is not None:
        letter.nomor, letter.tanggal = nomor, tanggal
    audit.record(session, action="nomor.sisipan", actor=actor, at=at, summary=f"Nomor sisipan {nomor}: {clean}",
                 after={"nomor": nomor, "unit_id": unit_id, "series": series, "urut": after_urut, "suffix": suffix,
                        "tanggal": tanggal.isoformat(), "letter_id": letter_id, "alasan": clean})
    return row


def register(session: Session, unit_id: int, year: int, *, status: str | None = None,
             series: str | None = None) -> list[LetterNumber]:
    query = select(LetterNumber).where(LetterNumber.unit_id == unit_id, LetterNumber.year == year)
    if status is not None:
        query = query.where(LetterNumber.status == status)
    if series is not None:
        query = query.where(LetterNumber.series == series)
    return list(session.scalars(query.order_by(LetterNumber.series, LetterNumber.urut, LetterNumber.suffix)))
