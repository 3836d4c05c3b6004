"""The working-day calendar and the default due dates of letters: weekends, holidays, each
urgensi in local time (WIB, WITA), reminders, and the validated changes an admin makes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from engine import audit
from engine.clock import zone
from engine.db import Database
from engine.errors import NotFound
from engine.models import AuditEvent, Holiday
from engine.workdays import (
    CalendarInvalid,
    WorkCalendar,
    add_holiday,
    holidays,
    reminder_at,
    remove_holiday,
    set_weekend,
    weekend_days,
)

WIB, WITA = zone("WIB"), zone("WITA")
ADMIN = audit.Actor(None, "Admin Pemda", None, "Admin Pemda")
NYEPI, IDUL_FITRI = date(2026, 3, 19), date(2026, 3, 20)  # a Thursday and a Friday


def at(text: str, tz=WIB) -> datetime:  # type: ignore[no-untyped-def]
    """A local wall-clock time in `tz`, as the aware moment it is."""
    return datetime.fromisoformat(text).replace(tzinfo=tz)


def local(moment: datetime, tz=WIB) -> str:  # type: ignore[no-untyped-def]
    assert moment.tzinfo is UTC
    return moment.astimezone(tz).strftime("%a %Y-%m-%d %H:%M:%S")


def calendar(tz=WIB, weekend=(6, 7), days=(NYEPI, IDUL_FITRI)) -> WorkCalendar:  # type: ignore[no-untyped-def]
    return WorkCalendar(tz, frozenset(weekend), frozenset(days))


# --- working days ------------------------------------------------------------------------------------


def test_weekends_and_holidays_are_not_working_days():
    cal = calendar()
    week = [date(2026, 3, 16) + timedelta(days=i) for i in range(7)]
    assert [cal.is_working_day(d) for d in week] == [True, True, True, False, False, False, False]
    six_day_week = calendar(weekend=(7,), days=())
    assert six_day_week.is_working_day(date(2026, 3, 21)) and not six_day_week.is_working_day(date(2026, 3, 22))


def test_adding_working_days_skips_weekends_and_holidays():
    cal = calendar()
    assert cal.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday -> Monday
    assert cal.add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)  # from a Saturday
    assert cal.add_working_days(date(2026, 3, 18), 1) == date(2026, 3, 23)  # over Nyepi, Idul Fitri, weekend
    assert cal.add_working_days(date(2026, 3, 2), 5) == date(2026, 3, 9)
    assert cal.add_working_days(date(2026, 3, 23), -1) == date(2026, 3, 18)
    assert cal.add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 7)


# --- default due dates ---------------------------------------------------------------------------------


def test_sangat_segera_is_due_at_the_end_of_the_local_working_day():
    cal = calendar()
    assert local(cal.default_due("sangat_segera", at("2026-03-02 08:15"))) == "Mon 2026-03-02 23:59:59"
    assert local(cal.default_due("sangat_segera", at("2026-03-07 10:00"))) == "Mon 2026-03-09 23:59:59"
    assert local(cal.default_due("sangat_segera", at("2026-03-19 09:00"))) == "Mon 2026-03-23 23:59:59"


def test_segera_is_two_days_later_unless_that_is_a_day_off():
    cal = calendar()
    assert local(cal.default_due("segera", at("2026-03-02 10:30"))) == "Wed 2026-03-04 10:30:00"
    assert local(cal.default_due("segera", at("2026-03-17 14:00"))) == "Mon 2026-03-23 23:59:59"  # lands on Nyepi


def test_segera_registered_on_a_friday_evening_is_due_at_the_end_of_monday():
    due = calendar().default_due("segera", at("2026-03-06 19:00"))
    assert local(due) == "Mon 2026-03-09 23:59:59"
    assert due == datetime(2026, 3, 9, 16, 59, 59, tzinfo=UTC)


def test_biasa_is_due_at_the_end_of_the_fifth_working_day():
    cal = calendar()
    assert local(cal.default_due("biasa", at("2026-03-02 09:00"))) == "Mon 2026-03-09 23:59:59"
    assert local(cal.default_due("biasa", at("2026-03-16 09:00"))) == "Wed 2026-03-25 23:59:59"  # 2 holidays
    assert local(cal.default_due("biasa", at("2026-03-07 09:00"))) == "Fri 2026-03-13 23:59:59"  # from a Saturday


def test_the_pemdas_zone_decides_which_day_it_is():
    moment = datetime(2026, 3, 6, 16, 30, tzinfo=UTC)  # Friday 23:30 in Jakarta, Saturday 00:30 in Makassar
    wib, wita = calendar(WIB), calendar(WITA)
    assert local(wib.default_due("sangat_segera", moment), WIB) == "Fri 2026-03-06 23:59:59"
    assert local(wita.default_due("sangat_segera", moment), WITA) == "Mon 2026-03-09 23:59:59"
    assert wita.default_due("sangat_segera", moment) == datetime(2026, 3, 9, 15, 59, 59, tzinfo=UTC)
    assert local(wib.default_due("biasa", moment), WIB) == "Fri 2026-03-13 23:59:59"
    assert local(wita.default_due("biasa", moment), WITA) == "Fri 2026-03-13 23:59:59"


def test_an_unknown_urgensi_or_a_naive_time_is_refused():
    cal = calendar()
    with pytest.raises(CalendarInvalid) as refused:
        cal.default_due("kilat", at("2026-03-02 09:00"))
    assert refused.value.message("en") == "Unknown urgensi 'kilat' (biasa, segera, sangat_segera)."
    with pytest.raises(ValueError):
        cal.default_due("biasa", datetime(2026, 3, 2, 9))  # naive: the point of the test


def test_the_reminder_comes_a_day_before_or_halfway_through_a_short_span():
    start = at("2026-03-02 09:00")
    assert reminder_at(start, at("2026-03-09 23:59:59")) == at("2026-03-08 23:59:59").astimezone(UTC)
    assert reminder_at(start, at("2026-03-04 09:00")) == at("2026-03-03 09:00").astimezone(UTC)  # exactly 48 h
    assert reminder_at(start, at("2026-03-02 23:59:59")) == at("2026-03-02 16:29:59.500000").astimezone(UTC)
    assert reminder_at(start, at("2026-03-01 12:00")) == start.astimezone(UTC)  # already overdue: at once
    assert WorkCalendar.reminder_at(start, at("2026-03-04 09:00")) == reminder_at(start, at("2026-03-04 09:00"))


# --- what the admin changes (both databases) --------------------------------------------------------------


def audit_rows(db: Database) -> list[tuple[str, dict | None, dict | None]]:
    with db.transaction(write=False) as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        return [(r.action, r.before, r.after) for r in rows]


def test_the_calendar_loads_weekend_and_holidays_from_the_database(database: Database):
    with database.transaction() as session:
        assert weekend_days(session) == [6, 7]
        add_holiday(session, ADMIN, NYEPI, "Hari Suci Nyepi")
        set_weekend(session, ADMIN, ["7"])
    with database.transaction(write=False) as session:
        cal = WorkCalendar.load(session, WITA)
    assert cal.weekend == {7} and cal.holidays == {NYEPI}
    assert cal.is_working_day(date(2026, 3, 21)) and not cal.is_working_day(NYEPI)
    assert local(cal.default_due("segera", at("2026-03-17 14:00", WITA)), WITA) == "Fri 2026-03-20 23:59:59"


def test_weekend_days_are_validated_and_the_change_is_audited(database: Database):
    for bad, message in [
        ([8], "Hari 8 tidak dikenal (1 = Senin ... 7 = Minggu)."),
        (["sabtu"], "Hari sabtu tidak dikenal (1 = Senin ... 7 = Minggu)."),
        ([1, 2, 3, 4, 5, 6, 7], "Paling sedikit satu hari dalam sepekan harus hari kerja."),
    ]:
        with pytest.raises(CalendarInvalid) as refused, database.transaction() as session:
            set_weekend(session, ADMIN, bad)
        assert (refused.value.message(), refused.value.field) == (message, "weekend")
    with database.transaction() as session:
        assert set_weekend(session, ADMIN, [7, 5, 7]) == [5, 7]  # Aceh-style Friday and Sunday
        assert set_weekend(session, ADMIN, [5, 7]) == [5, 7]  # no change, no second audit row
    with database.transaction(write=False) as session:
        assert weekend_days(session) == [5, 7]
    assert audit_rows(database) == [("calendar.weekend.set", {"weekend": [6, 7]}, {"weekend": [5, 7]})]


def test_holidays_are_added_and_removed_with_checks_and_audit(database: Database):
    with database.transaction() as session:
        add_holiday(session, ADMIN, IDUL_FITRI, "  Idul   Fitri 1447 H ")
        add_holiday(session, ADMIN, NYEPI, "Hari Suci Nyepi")
        add_holiday(session, ADMIN, date(2027, 1, 1), "Tahun Baru 2027 Masehi")
    refusals = [
        (IDUL_FITRI, "Lebaran", "day", "Tanggal 2026-03-20 sudah tercatat sebagai hari libur: Idul Fitri 1447 H."),
        (date(2026, 8, 17), "   ", "name", "Nama hari libur wajib diisi."),
        (date(2026, 8, 17), "x" * 201, "name", "Nama hari libur paling panjang 200 karakter."),
        (date(1926, 8, 17), "Salah ketik", "day", "Tanggal harus antara tahun 1990 dan 2100."),
    ]
    for day, name, field, message in refusals:
        with pytest.raises(CalendarInvalid) as refused, database.transaction() as session:
            add_holiday(session, ADMIN, day, name)
        assert (refused.value.field, refused.value.message()) == (field, message)
    with database.transaction() as session:
        assert [(h.day, h.name) for h in holidays(session, 2026)] == [
            (NYEPI, "Hari Suci Nyepi"), (IDUL_FITRI, "Idul Fitri 1447 H")]
        remove_holiday(session, ADMIN, NYEPI)
    with pytest.raises(NotFound), database.transaction() as session:
        remove_holiday(session, ADMIN, NYEPI)
    with database.transaction(write=False) as session:
        assert sorted(session.scalars(select(Holiday.day))) == [IDUL_FITRI, date(2027, 1, 1)]
    assert [row[0] for row in audit_rows(database)] == ["calendar.holiday.added"] * 3 + ["calendar.holiday.removed"]
    assert audit_rows(database)[-1][1] == {"day": "2026-03-19", "name": "Hari Suci Nyepi"}
