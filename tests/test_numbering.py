"""The outgoing-letter number register (engine.numbering, engine.number_format): formats, series,
the Pemda-local year, voiding, sisipan numbers, and the row lock under concurrency."""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from engine import audit, counters, numbering
from engine.clock import zone
from engine.db import Database
from engine.errors import NotFound
from engine.models import AuditEvent, Counter, Klasifikasi, Letter, LetterNumber, Setting, Unit
from engine.number_format import (
    DEFAULT_FORMAT,
    FORMAT_KEY,
    NumberingInvalid,
    check_format,
    configure,
    number_format,
    render,
    set_format,
)

WIB = zone("WIB")
AT = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)  # Monday 4 May 2026, 10:00 WIB
ADMIN = audit.Actor(None, "Admin Pemda")


def unit_id(session, code: str = "DISKOMINFO") -> int:  # type: ignore[no-untyped-def]
    return session.scalars(select(Unit.id).where(Unit.code == code)).one()


def new_letter(session, unit: int, *, jenis: str = "nota_dinas", klasifikasi: str | None = None) -> Letter:  # type: ignore[no-untyped-def]
    if klasifikasi and session.get(Klasifikasi, klasifikasi) is None:
        session.add(Klasifikasi(code=klasifikasi, name=klasifikasi, parent_code=klasifikasi.rsplit(".", 1)[0],
                                level=klasifikasi.count(".") + 1))
    letter = Letter(unit_id=unit, jenis=jenis, direction="keluar", hal="Undangan rapat", status="tanda_tangan",
                    klasifikasi_code=klasifikasi)
    session.add(letter)
    session.flush()
    return letter


def allocate(session, unit: int, at: datetime = AT, **letter_args) -> LetterNumber:  # type: ignore[no-untyped-def]
    letter = new_letter(session, unit, **letter_args)
    return numbering.allocate(session, letter=letter, unit_id=unit, user=None, at=at, tz=WIB)


def refused(action) -> NumberingInvalid:  # type: ignore[no-untyped-def]
    with pytest.raises(NumberingInvalid) as caught:
        action()
    return caught.value


# --- the format ---------------------------------------------------------------------------------------


def test_every_token_is_rendered():
    template = "{klasifikasi}/{urut:3}/{kode_unit}/{kode_wilayah}/{bulan_romawi}/{tahun}/{jenis}"
    number = render(template, klasifikasi="005.1", urut=7, suffix="", kode_unit="DINKES", kode_wilayah="35.24",
                    tanggal=date(2026, 5, 4), jenis="surat_undangan")
    assert number == "005.1/007/DINKES/35.24/V/2026/SU"


@pytest.mark.parametrize(
    ("template", "values", "expected"),
    [
        # Permendagri 83/2022 practice
        ("{klasifikasi}/{urut}/{kode_unit}", {"klasifikasi": "000.8.3.3", "urut": 15, "kode_unit": "OR"},
         "000.8.3.3/15/OR"),
        # a local variant: zero-padded urut, Roman month and year
        ("{klasifikasi}/{urut:3}/{kode_unit}/{bulan_romawi}/{tahun}",
         {"klasifikasi": "005.1", "urut": 1, "kode_unit": "DINKES"}, "005.1/001/DINKES/V/2026"),
        # a Kemendagri region code as the unit
        ("{klasifikasi}/{urut}/{kode_unit}/{tahun}", {"klasifikasi": "800", "urut": 123, "kode_unit": "35.24.01"},
         "800/123/35.24.01/2026"),
        # padding never cuts a longer number; a sisipan suffix follows the digits
        ("{urut:3}/{kode_unit}", {"urut": 1234, "kode_unit": "X"}, "1234/X"),
        ("{klasifikasi}/{urut:3}/{kode_unit}", {"klasifikasi": "800", "urut": 15, "suffix": "a", "kode_unit": "X"},
         "800/015a/X"),
        # no klasifikasi: 000; the month of December; jenis without an abbreviation: its code
        ("{klasifikasi}/{urut}/{kode_unit}/{bulan_romawi}/{jenis}",
         {"klasifikasi": None, "urut": 2, "kode_unit": "X", "tanggal": date(2026, 12, 1), "jenis": "memo"},
         "000/2/X/XII/MEMO"),
    ],
)
def test_the_examples_of_the_domain_notes(template, values, expected):
    given = {"klasifikasi": None, "suffix": "", "kode_wilayah": "", "tanggal": date(2026, 5, 4), "jenis": "nota_dinas"}
    assert render(template, **(given | values)) == expected


@pytest.mark.parametrize(
    ("template", "mode", "message"),
    [
        ("{klasifikasi}/{nomor}/{kode_unit}", "unit",
         "Unsur {nomor} tidak dikenal. Yang dapat dipakai: {klasifikasi} {urut} {kode_unit} {kode_wilayah} "
         "{bulan_romawi} {tahun} {jenis}."),
        ("{klasifikasi}/{kode_unit}/{tahun}", "unit", "Format nomor harus memuat {urut} (nomor urut)."),
        ("{klasifikasi}/{urut/{kode_unit}", "unit",
         "Kurung kurawal tidak seimbang: setiap { harus ditutup dengan }, mis. {urut}."),
        ("{klasifikasi}/urut}/{kode_unit}", "unit",
         "Kurung kurawal tidak seimbang: setiap { harus ditutup dengan }, mis. {urut}."),
        ("{{klasifikasi}}/{urut}/{kode_unit}", "unit",
         "Kurung kurawal tidak seimbang: setiap { harus ditutup dengan }, mis. {urut}."),
        ("{klasifikasi}/{urut}/{kode_unit}/{tahun:2}", "unit",
         "{tahun:2} tidak dapat dipakai: hanya {urut} yang boleh diberi lebar 1 sampai 6, mis. {urut:3}."),
        ("{klasifikasi}/{urut:9}/{kode_unit}", "unit",
         "{urut:9} tidak dapat dipakai: hanya {urut} yang boleh diberi lebar 1 sampai 6, mis. {urut:3}."),
        ("{klasifikasi}/{urut}", "unit",
         "Format nomor harus memuat {kode_unit}: tanpa itu nomor dari unit yang berbeda sama."),
        ("{klasifikasi}/{urut}/{kode_unit}", "jenis",
         "Penomoran per jenis memerlukan {jenis} dalam format, agar nomor tiap seri berbeda."),
        ("   ", "unit", "Format nomor wajib diisi."),
    ],
)
def test_a_bad_format_is_refused_with_a_clear_message(template, mode, message):
    problem = refused(lambda: check_format(template, mode))
    assert (problem.field, problem.message()) == ("template", message)
    assert problem.message("en") != message


def test_the_settings_are_changed_together_checked_and_audited(org: Database):
    with org.transaction() as session:
        assert number_format(session) == DEFAULT_FORMAT
        assert set_format(session, " {klasifikasi}/{urut:3}/{kode_unit}/{tahun} ", user=ADMIN, at=AT) == (
            "{klasifikasi}/{urut:3}/{kode_unit}/{tahun}")
        configure(session, user=ADMIN, at=AT, tz=WIB, wilayah="35.24", quota=3,
                  template="{klasifikasi}/{urut}/{kode_wilayah}.{kode_unit}/{tahun}")
        configure(session, user=ADMIN, at=AT, tz=WIB, quota=3)  # no change: no audit row
    for change, field, message in [
        (dict(wilayah=""), "wilayah", "Format memakai {kode_wilayah}: isi kode wilayah lebih dulu."),
        (dict(wilayah="35-24"), "wilayah", "Kode wilayah hanya angka dan titik, paling panjang 20 karakter (mis. 35.24)."),
        (dict(quota=21), "quota", "Kuota sisipan harus bilangan bulat 0 sampai 20."),
        (dict(mode="bulan"), "mode", "Seri penomoran 'bulan' tidak dikenal (unit, jenis, klasifikasi)."),
        (dict(mode="klasifikasi", template="{urut}/{kode_unit}"), "template",
         "Penomoran per klasifikasi memerlukan {klasifikasi} dalam format, agar nomor tiap seri berbeda."),
    ]:
        with org.transaction() as session:
            problem = refused(lambda c=change: configure(session, user=ADMIN, at=AT, tz=WIB, **c))
        assert (problem.field, problem.message()) == (field, message)
    with org.transaction(write=False) as session:
        assert numbering.number_format(session) == "{klasifikasi}/{urut}/{kode_wilayah}.{kode_unit}/{tahun}"
        assert numbering.kode_wilayah(session) == "35.24"
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action == "penomoran.diubah")
                               .order_by(AuditEvent.seq)).all()
    assert [sorted(r.after) for r in rows] == [["format"], ["format", "kode_wilayah", "kuota_sisipan"]]
    assert rows[1].before["kuota_sisipan"] == 2 and rows[1].after["kuota_sisipan"] == 3


def test_a_broken_format_setting_falls_back_to_the_default(org: Database):
    """Signing must not stop because someone wrote a bad template into the table by hand."""
    with org.transaction() as session:
        session.add(Setting(key=FORMAT_KEY, value="{nomor}"))
        session.flush()
        assert number_format(session) == DEFAULT_FORMAT
        assert allocate(session, unit_id(session)).nomor == "000/1/DISKOMINFO/2026"


# --- allocation ---------------------------------------------------------------------------------------


def test_a_number_is_allocated_to_the_letter_and_audited(org: Database):
    with org.transaction() as session:
        unit = unit_id(session)
        first = allocate(session, unit, klasifikasi="000.8.3.3")
        second = allocate(session, unit, jenis="surat_dinas", klasifikasi="800")
        letter = session.get(Letter, second.letter_id)
        assert (first.nomor, second.nomor) == ("000.8.3.3/1/DISKOMINFO/2026", "800/2/DISKOMINFO/2026")
        assert (letter.nomor, letter.tanggal, second.status, second.series) == (
            "800/2/DISKOMINFO/2026", date(2026, 5, 4), "terpakai", "keluar")
        twice = refused(lambda: numbering.allocate(session, letter=letter, unit_id=unit, user=None, at=AT, tz=WIB))
        assert twice.message() == "Surat ini sudah bernomor 800/2/DISKOMINFO/2026."
        with pytest.raises(NotFound):
            numbering.allocate(session, letter=new_letter(session, unit), unit_id=987_654, user=None, at=AT, tz=WIB)
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "nomor.dialokasikan")).all()
    assert [e.summary for e in events] == [f"Nomor 000.8.3.3/1/DISKOMINFO/2026 untuk surat #{first.letter_id}",
                                           f"Nomor 800/2/DISKOMINFO/2026 untuk surat #{second.letter_id}"]


def test_the_year_is_the_pemda_local_year_on_new_years_eve(org: Database):
    """23:30 UTC on 31 December is 06:30 WIB on 1 January: the first number of the new year."""
    with org.transaction() as session:
        unit = unit_id(session)
        late = allocate(session, unit, at=datetime(2026, 12, 31, 16, 30, tzinfo=UTC))  # 23:30 WIB
        new_year = allocate(session, unit, at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert (late.year, late.urut, late.tanggal, late.nomor) == (2026, 1, date(2026, 12, 31), "000/1/DISKOMINFO/2026")
    assert (new_year.year, new_year.urut, new_year.tanggal, new_year.nomor) == (
        2027, 1, date(2027, 1, 1), "000/1/DISKOMINFO/2027")


def test_a_rolled_back_signing_gives_its_number_back(org: Database):
    with pytest.raises(RuntimeError), org.transaction() as session:
        allocate(session, unit_id(session))
        raise RuntimeError("the signature failed after the number was taken")
    with org.transaction() as session:
        assert allocate(session, unit_id(session)).urut == 1


def test_series_per_jenis_and_per_klasifikasi_count_on_their_own(org: Database):
    with org.transaction() as session:
        unit, other = unit_id(session), unit_id(session, "DINKES")
        configure(session, user=ADMIN, at=AT, tz=WIB, mode="jenis",
                  template="{klasifikasi}/{urut}/{kode_unit}/{jenis}/{tahun}")
        taken = [allocate(session, unit, jenis=j) for j in ("nota_dinas", "surat_dinas", "nota_dinas")]
        taken.append(allocate(session, other, jenis="nota_dinas"))
        assert [(n.series, n.urut, n.nomor) for n in taken] == [
            ("keluar:nota_dinas", 1, "000/1/DISKOMINFO/ND/2026"),
            ("keluar:surat_dinas", 1, "000/1/DISKOMINFO/SD/2026"),
            ("keluar:nota_dinas", 2, "000/2/DISKOMINFO/ND/2026"),
            ("keluar:nota_dinas", 1, "000/1/DINKES/ND/2026"),
        ]
        mid_year = refused(lambda: configure(session, user=ADMIN, at=AT, tz=WIB, mode="unit"))
        assert (mid_year.field, mid_year.message()) == ("mode", "Seri penomoran tidak dapat diubah di tengah "
                                                        "tahun: sudah ada nomor tahun 2026. Ubah pada awal tahun berikutnya.")
        next_year = datetime(2027, 1, 1, 1, 0, tzinfo=UTC)
        configure(session, user=ADMIN, at=next_year, tz=WIB, mode="klasifikasi",
                  template="{klasifikasi}/{urut}/{kode_unit}/{tahun}")
        codes = ("800.1.2", "800", "000.8.3.3", None, "800.2")
        taken = [allocate(session, unit, at=next_year, klasifikasi=code) for code in codes]
        assert [(n.series, n.urut) for n in taken] == [
            ("keluar:800", 1), ("keluar:800", 2), ("keluar:000", 1), ("keluar:000", 2), ("keluar:800", 3)]
        assert [n.series for n in numbering.register(session, unit, 2027)] == ["keluar:000"] * 2 + ["keluar:800"] * 3


# --- voiding ------------------------------------------------------------------------------------------


def test_a_voided_number_stays_in_the_register_and_is_never_reused(org: Database):
    later = AT + timedelta(hours=2)
    with org.transaction() as session:
        unit = unit_id(session)
        first, second = allocate(session, unit), allocate(session, unit)
        voided = numbering.void(session, number_id=second.id, user=ADMIN, reason="  salah alamat  ", at=later)
        third = allocate(session, unit)
        assert (voided.status, voided.void_reason, voided.voided_at) == ("batal", "salah alamat", later)
        assert session.get(Letter, second.letter_id).status == "dibatalkan"
        assert session.get(Letter, first.letter_id).status == "tanda_tangan"
        assert third.urut == 3
        assert [(n.urut, n.status) for n in numbering.register(session, unit, 2026)] == [
            (1, "terpakai"), (2, "batal"), (3, "terpakai")]
        assert [n.urut for n in numbering.register(session, unit, 2026, status="batal")] == [2]
        again = refused(lambda: numbering.void(session, number_id=second.id, user=ADMIN, reason="lagi", at=later))
        assert again.message() == "Nomor 000/2/DISKOMINFO/2026 sudah dibatalkan."
        blank = refused(lambda: numbering.void(session, number_id=third.id, user=ADMIN, reason="  ", at=later))
        assert (blank.field, blank.message()) == ("reason", "Alasan wajib diisi.")
        with pytest.raises(NotFound):
            numbering.void(session, number_id=987_654, user=ADMIN, reason="x", at=later)
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "nomor.dibatalkan")).one()
    assert event.summary == "Nomor 000/2/DISKOMINFO/2026 batal: salah alamat"
    assert event.after == {"status": "batal", "nomor": "000/2/DISKOMINFO/2026", "alasan": "salah alamat"}


# --- sisipan ------------------------------------------------------------------------------------------


def _sixteen_numbers(session) -> int:  # type: ignore[no-untyped-def]
    """Numbers 1..16 of Diskominfo: 1..14 on 1 May, 15 on 4 May, 16 on 8 May 2026."""
    unit = unit_id(session)
    for n in range(1, 17):
        day = 1 if n < 15 else (4 if n == 15 else 8)
        allocate(session, unit, at=datetime(2026, 5, day, 3, 0, tzinfo=UTC))
    return unit


def test_sisipan_numbers_15a_and_15b_then_the_daily_quota(org: Database):
    monday = datetime(2026, 5, 11, 2, 0, tzinfo=UTC)
    with org.transaction() as session:
        unit = _sixteen_numbers(session)

        def insert(tanggal: date, at: datetime = monday, after: int = 15, **more) -> LetterNumber:  # type: ignore[no-untyped-def]
            return numbering.sisipan(session, unit_id=unit, year=2026, after_urut=after, tanggal=tanggal, user=ADMIN,
                                     reason="surat Kadis terlewat dicatat", at=at, tz=WIB, **more)

        a = insert(date(2026, 5, 4))
        letter = new_letter(session, unit, klasifikasi="800")
        b = insert(date(2026, 5, 6), letter_id=letter.id)
        assert (a.nomor, a.suffix, a.sisipan, a.tanggal, a.reason) == (
            "000/15a/DISKOMINFO/2026", "a", True, date(2026, 5, 4), "surat Kadis terlewat dicatat")
        assert (b.nomor, letter.nomor, letter.tanggal) == ("800/15b/DISKOMINFO/2026", b.nomor, date(2026, 5, 6))

        quota = refused(lambda: insert(date(2026, 5, 7)))  # the third today: over the default quota of 2
        assert (quota.field, quota.message()) == (None, "Kuota nomor sisipan unit ini hari ini (2) sudah habis.")
        tomorrow = insert(date(2026, 5, 7), at=monday + timedelta(days=1))  # accepted the next day
        assert tomorrow.nomor == "000/15c/DISKOMINFO/2026"

        wednesday = monday + timedelta(days=2)
        for tanggal, after, field, message in [
            (date(2026, 5, 14), 15, "tanggal", "Tanggal nomor sisipan tidak boleh di masa depan."),
            (date(2026, 5, 5), 15, "tanggal",
             "Tanggal tidak boleh sebelum tanggal nomor 000/15c/DISKOMINFO/2026 (2026-05-07)."),
            (date(2026, 5, 9), 15, "tanggal", "Tanggal tidak boleh sesudah tanggal nomor 000/16/DISKOMINFO/2026 "
                                              "(2026-05-08)."),
            (date(2026, 5, 9), 99, "after_urut", "Nomor urut 99 belum ada dalam register unit ini tahun 2026."),
        ]:
            problem = refused(lambda t=tanggal, u=after: insert(t, at=wednesday, after=u))
            assert (problem.field, problem.message()) == (field, message)
        no_reason = refused(lambda: numbering.sisipan(session, unit_id=unit, year=2026, after_urut=15,
                                                      tanggal=date(2026, 5, 7), user=ADMIN, reason="", at=wednesday,
                                                      tz=WIB))
        assert no_reason.field == "reason"
        assert [n.nomor.split("/")[1] for n in numbering.register(session, unit, 2026)][13:] == [
            "14", "15", "15a", "15b", "15c", "16"]
        assert session.scalar(select(Counter.last_value).where(Counter.unit_id == unit)) == 16  # untouched
        events = session.scalars(select(AuditEvent.summary).where(AuditEvent.action == "nomor.sisipan")).all()
    assert events == ["Nomor sisipan 000/15a/DISKOMINFO/2026: surat Kadis terlewat dicatat",
                      "Nomor sisipan 800/15b/DISKOMINFO/2026: surat Kadis terlewat dicatat",
                      "Nomor sisipan 000/15c/DISKOMINFO/2026: surat Kadis terlewat dicatat"]


def test_sisipan_in_a_series_per_jenis_asks_for_the_series_when_the_number_is_in_several(org: Database):
    with org.transaction() as session:
        unit = unit_id(session)
        configure(session, user=ADMIN, at=AT, tz=WIB, mode="jenis", template="{urut}/{kode_unit}/{jenis}/{tahun}")
        allocate(session, unit, jenis="nota_dinas")
        allocate(session, unit, jenis="surat_dinas")
        later = AT + timedelta(days=1)
        ask = refused(lambda: numbering.sisipan(session, unit_id=unit, year=2026, after_urut=1, tanggal=AT.date(),
                                                user=ADMIN, reason="terlewat", at=later, tz=WIB))
        assert (ask.field, ask.message()) == (
            "series", "Nomor urut 1 ada di beberapa seri (keluar:nota_dinas, keluar:surat_dinas): pilih serinya.")
        row = numbering.sisipan(session, unit_id=unit, year=2026, after_urut=1, tanggal=AT.date(), user=ADMIN,
                                reason="terlewat", at=later, tz=WIB, series="keluar:surat_dinas")
    assert (row.series, row.nomor) == ("keluar:surat_dinas", "1a/DISKOMINFO/SD/2026")


# --- concurrency (PostgreSQL) -------------------------------------------------------------------------

SIGNERS = 8


def _sign_at_once(db: Database, *, lock: bool) -> tuple[list[int], dict[int, object]]:
    """Eight signings of eight letters, each in its own transaction, held at a barrier after reading
    the counter row and before writing it.  Returns the counter values handed out and, per letter,
    its urut or the exception that stopped it."""
    with db.transaction() as session:
        unit = unit_id(session)
        letters = [new_letter(session, unit).id for _ in range(SIGNERS)]
        session.add(Counter(unit_id=unit, year=2026, series="keluar", last_value=0))  # all queue on one row
    barrier = threading.Barrier(SIGNERS, timeout=3)

    def hold() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()

    handed_out: list[int] = []
    take = counters.next_value

    def counted(*args, **kwargs) -> int:  # type: ignore[no-untyped-def]
        value = take(*args, **kwargs)
        handed_out.append(value)
        return value

    outcome: dict[int, object] = {}

    def sign(letter_id: int) -> None:
        try:
            with db.transaction() as session:
                letter = session.get(Letter, letter_id)
                row = numbering.allocate(session, letter=letter, unit_id=unit, user=None, at=AT, tz=WIB, lock=lock)
                outcome[letter_id] = row.urut
        except Exception as exc:  # noqa: BLE001 - the outcome is what we assert
            outcome[letter_id] = exc

    counters.after_read, counters.next_value = hold, counted
    try:
        threads = [threading.Thread(target=sign, args=(letter_id,)) for letter_id in letters]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        counters.after_read, counters.next_value = None, take
    return sorted(handed_out), outcome


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_eight_signings_at_once_get_consecutive_numbers(org: Database):
    """With the row lock the first signing holds the counter row at the barrier; the other seven
    wait on FOR UPDATE and never reach it, so the barrier times out and they follow one by one:
    1..8, no duplicate, no gap.  Without the lock they all read 0 (the next test)."""
    handed_out, outcome = _sign_at_once(org, lock=True)
    assert handed_out == list(range(1, SIGNERS + 1))
    assert sorted(outcome.values()) == list(range(1, SIGNERS + 1))  # type: ignore[type-var]
    with org.transaction(write=False) as session:
        rows = numbering.register(session, unit_id(session), 2026)
        assert [n.urut for n in rows] == list(range(1, SIGNERS + 1))
        assert len({n.nomor for n in rows}) == SIGNERS


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_without_the_row_lock_the_counter_hands_out_duplicates(org: Database):
    """Shows that the test above can fail: without FOR UPDATE all eight read 0 at the barrier and
    all take 1.  Only the register's unique key (unit, year, series, urut, suffix) stops seven
    duplicate numbers, so seven signings fail instead of getting 2..8."""
    handed_out, outcome = _sign_at_once(org, lock=False)
    assert handed_out == [1] * SIGNERS
    succeeded = [v for v in outcome.values() if isinstance(v, int)]
    failed = [v for v in outcome.values() if not isinstance(v, int)]
    assert succeeded == [1] and len(failed) == SIGNERS - 1
    assert all(isinstance(e, IntegrityError) and "uq_letter_number" in str(e) for e in failed)
