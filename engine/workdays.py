"""The Pemda's working-day calendar, and the default due date of a letter from its urgensi.

A due date is a promise in local working time: "Sangat Segera" means today in Mataram (WITA)
even when the server runs in UTC, and "5 hari kerja" skips the weekend and the libur nasional
and cuti bersama the Pemda enters.  Weekend days are a setting (`kalender.akhir_pekan`, ISO
weekday numbers, default Saturday and Sunday: a Pemda with a six-day week keeps only 7);
holidays are rows of `holiday`.  Everything returned is an aware UTC datetime.

`WorkCalendar` is a snapshot loaded once per computation (the settings change rarely, a due
date is computed often); the functions below it are the admin page's changes, each validated
and written to the system audit chain.  Callers flush/commit as usual.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit, messages
from engine.errors import NotFound
from engine.models import URGENSI, Holiday, Setting
from engine.org_rules import OrgInvalid

WEEKEND_KEY = "kalender.akhir_pekan"
DEFAULT_WEEKEND: tuple[int, ...] = (6, 7)  # ISO: Saturday, Sunday
END_OF_DAY = time(23, 59, 59)
SEGERA_HOURS = 48
BIASA_WORKING_DAYS = 5
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
MAX_SCAN_DAYS = 3 * 366  # no calendar has a year without a working day; a bug must not hang
HOLIDAY_NAME_MAX = 200

messages.register(
    {
        "calendar.bad_weekday": (
            "Hari {value} tidak dikenal (1 = Senin ... 7 = Minggu).",
            "Day {value} is unknown (1 = Monday ... 7 = Sunday).",
        ),
        "calendar.no_working_day": (
            "Paling sedikit satu hari dalam sepekan harus hari kerja.",
            "At least one day of the week must be a working day.",
        ),
        "calendar.bad_year": (
            "Tanggal harus antara tahun {first} dan {last}.",
            "The date must be between the years {first} and {last}.",
        ),
        "calendar.name_required": ("Nama hari libur wajib diisi.", "The holiday's name is required."),
        "calendar.name_too_long": (
            "Nama hari libur paling panjang {n} karakter.",
            "The holiday's name is at most {n} characters.",
        ),
        "calendar.holiday_taken": (
            "Tanggal {day} sudah tercatat sebagai hari libur: {name}.",
            "{day} is already a holiday: {name}.",
        ),
        "calendar.unknown_urgensi": (
            "Urgensi '{value}' tidak dikenal (biasa, segera, sangat_segera).",
            "Unknown urgensi '{value}' (biasa, segera, sangat_segera).",
        ),
    }
)

WEEKDAY_NAMES: dict[int, tuple[str, str]] = {
    1: ("Senin", "Monday"),
    2: ("Selasa", "Tuesday"),
    3: ("Rabu", "Wednesday"),
    4: ("Kamis", "Thursday"),
    5: ("Jumat", "Friday"),
    6: ("Sabtu", "Saturday"),
    7: ("Minggu", "Sunday"),
}


class CalendarInvalid(OrgInvalid):
    """A calendar change refused by a rule; `field` names the form field it is about."""


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a due date is computed from an aware datetime")
    return moment


@dataclass(frozen=True)
class WorkCalendar:
    """Which local days are working days, and the due dates that follow from that."""

    tz: tzinfo
    weekend: frozenset[int]
    holidays: frozenset[date]

    @classmethod
    def load(cls, session: Session, tz: tzinfo) -> WorkCalendar:
        return cls(tz, frozenset(weekend_days(session)), frozenset(session.scalars(select(Holiday.day))))

    def is_working_day(self, d: date) -> bool:
        return d.isoweekday() not in self.weekend and d not in self.holidays

    def next_working_day(self, d: date) -> date:
        """`d` itself when it is a working day, else the first working day after it."""
        for offset in range(MAX_SCAN_DAYS):
            candidate = d + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"no working day within {MAX_SCAN_DAYS} days of {d}")

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after `d` (before it for a negative n; `d` itself for 0).
        `d` need not be a working day: from a Saturday, 1 working day on is the Monday."""
        step = 1 if n >= 0 else -1
        remaining, current, scanned = abs(n), d, 0
        while remaining:
            current += timedelta(days=step)
            scanned += 1
            if scanned > MAX_SCAN_DAYS + abs(n) * 7:
                raise ValueError(f"no working day within reach of {d}")
            if self.is_working_day(current):
                remaining -= 1
        return current

    def end_of_day(self, d: date) -> datetime:
        """23:59:59 local time on `d`, in UTC."""
        return datetime.combine(d, END_OF_DAY, tzinfo=self.tz).astimezone(UTC)

    def local_date(self, moment: datetime) -> date:
        return _aware(moment).astimezone(self.tz).date()

    def default_due(self, urgensi: str, start: datetime) -> datetime:
        """When a letter registered (or a disposition given) at `start` is due.

        sangat_segera: the end of the same local day (the next working day's end when `start`
        falls on a day off); segera: 2 x 24 hours, moved to the end of the next working day
        when that lands on a day off; biasa: the end of the 5th working day after the start's
        local date."""
        if urgensi not in URGENSI:
            raise CalendarInvalid("calendar.unknown_urgensi", "urgensi", value=urgensi)
        start = _aware(start).astimezone(UTC)
        today = self.local_date(start)
        if urgensi == "sangat_segera":
            return self.end_of_day(self.next_working_day(today))
        if urgensi == "segera":
            due = start + timedelta(hours=SEGERA_HOURS)
            landing = self.local_date(due)
            return due if self.is_working_day(landing) else self.end_of_day(self.next_working_day(landing))
        return self.end_of_day(self.add_working_days(today, BIASA_WORKING_DAYS))  # biasa

    @staticmethod
    def reminder_at(start: datetime, due: datetime) -> datetime:
        return reminder_at(start, due)


def reminder_at(start: datetime, due: datetime) -> datetime:
    """When to remind: 24 hours before the due date, or halfway when the whole span is shorter
    than 48 hours (a same-day letter must not be reminded before it arrives).  A due date
    already past: at `start`, i.e. at once."""
    span = _aware(due) - _aware(start)
    if span <= timedelta(0):
        return start.astimezone(UTC)
    if span >= timedelta(hours=48):
        return (due - timedelta(hours=24)).astimezone(UTC)
    return (start + span / 2).astimezone(UTC)


# -- settings and holidays (the admin page) ----------------------------------------------------


def weekend_days(session: Session) -> list[int]:
    """The configured weekend; the default when unset or unreadable (a broken setting must not
    stop every due date from being computed)."""
    row = session.get(Setting, WEEKEND_KEY)
    if row is None:
        return list(DEFAULT_WEEKEND)
    try:
        return _clean_weekend(row.value)
    except (CalendarInvalid, TypeError):
        return list(DEFAULT_WEEKEND)


def _clean_weekend(days: Iterable[object]) -> list[int]:
    result: set[int] = set()
    for value in days:
        try:
            day = int(str(value))
        except ValueError:
            raise CalendarInvalid("calendar.bad_weekday", "weekend", value=value) from None
        if not 1 <= day <= 7:
            raise CalendarInvalid("calendar.bad_weekday", "weekend", value=value)
        result.add(day)
    if len(result) == 7:
        raise CalendarInvalid("calendar.no_working_day", "weekend")
    return sorted(result)


def set_weekend(session: Session, actor: audit.Actor, days: Iterable[object]) -> list[int]:
    """Replace the weekend days (ISO numbers, 1 = Monday); at least one day must stay a working day."""
    clean = _clean_weekend(days)
    before = weekend_days(session)
    row = session.get(Setting, WEEKEND_KEY)
    if row is None:
        session.add(Setting(key=WEEKEND_KEY, value=clean))
    else:
        row.value = clean
    session.flush()
    if clean != before:
        names = ", ".join(WEEKDAY_NAMES[d][0] for d in clean) or "-"
        audit.record(
            session,
            action="calendar.weekend.set",
            actor=actor,
            summary=f"Hari libur akhir pekan: {names}",
            before={"weekend": before},
            after={"weekend": clean},
        )
    return clean


def holidays(session: Session, year: int) -> list[Holiday]:
    query = select(Holiday).where(Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
    return list(session.scalars(query.order_by(Holiday.day)))


def _clean_day(day: date) -> date:
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise CalendarInvalid("calendar.bad_year", "day", first=EARLIEST_YEAR, last=LATEST_YEAR)
    return day


def _clean_name(name: str) -> str:
    clean = " ".join((name or "").split())
    if not clean:
        raise CalendarInvalid("calendar.name_required", "name")
    if len(clean) > HOLIDAY_NAME_MAX:
        raise CalendarInvalid("calendar.name_too_long", "name", n=HOLIDAY_NAME_MAX)
    return clean


def add_holiday(session: Session, actor: audit.Actor, day: date, name: str) -> Holiday:
    """Mark `day` as a day off (libur nasional, cuti bersama, a local holiday)."""
    day, clean = _clean_day(day), _clean_name(name)
    taken = session.get(Holiday, day)
    if taken is not None:
        raise CalendarInvalid("calendar.holiday_taken", "day", day=day.isoformat(), name=taken.name)
    holiday = Holiday(day=day, name=clean)
    session.add(holiday)
    session.flush()
    audit.record(
        session,
        action="calendar.holiday.added",
        actor=actor,
        summary=f"Hari libur {day.isoformat()} ditambahkan: {clean}",
        after={"day": day.isoformat(), "name": clean},
    )
    return holiday


def remove_holiday(session: Session, actor: audit.Actor, day: date) -> None:
    """Make `day` a working day again (a cuti bersama that was cancelled).  Due dates already
    computed stay as they are: they were promised."""
    holiday = session.get(Holiday, day)
    if holiday is None:
        raise NotFound()
    before = {"day": day.isoformat(), "name": holiday.name}
    session.delete(holiday)
    session.flush()
    audit.record(
        session,
        action="calendar.holiday.removed",
        actor=actor,
        summary=f"Hari libur {day.isoformat()} dihapus: {before['name']}",
        before=before,
    )
