"""Inbox filters and the letter lists, through the engine, on SQLite and PostgreSQL.

Each filter is checked the way a person would: two letters that differ in one respect, the
filter set, and only the right one left.  The lists are checked for what each person expects
(the Kabid's "for me", the Kepala's "disposed by me", the TU's "registered by me") and for what
they must never show (a secret letter's hal, another SKPD's agenda).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

from engine import disposition
from engine.inbox_filters import InboxFilter, filtered_inbox, parse_filter
from engine.letter_lists import (
    AgendaFilter,
    agenda_masuk,
    disposed_by_me,
    disposed_to_me,
    is_registrar,
    keeps_agenda,
    parse_agenda_filter,
    parse_year,
    sent_by_me,
)
from engine.letters import IncomingLetter, register_incoming
from engine.models import HumanTask, Unit
from engine.organisation import positions_of
from tests.flow import act, get_user, start
from tests.letters_world import choice, open_task, position_id, prepare

SARI = "DISKOMINFO.APTIKA.KABID"
ANDI = "DISKOMINFO.IKP.KABID"
KADIS = "DISKOMINFO.KADIS"


def incoming(db, engine, hal: str, *, urgensi: str = "biasa", sifat: str = "biasa",  # type: ignore[no-untyped-def]
             jenis: str = "surat_dinas", sender: str = "Kementerian Kominfo", klasifikasi: str = "000",
             by: str = "dewi", unit: str = "DISKOMINFO") -> int:
    with db.transaction() as session:
        tu = get_user(session, by)
        unit_id = session.scalars(select(Unit.id).where(Unit.code == unit)).one()
        position = (positions_of(session, tu.id, engine.clock.today()) or [None])[0]
        done = register_incoming(session, engine, user=tu, position=position, unit_id=unit_id,
                                 data=IncomingLetter(hal=hal, sender_name=sender, nomor=f"B-{hal[:10]}", jenis=jenis,
                                                     sifat=sifat, urgensi=urgensi, klasifikasi_code=klasifikasi))
        return done.letter.id


def narrowed(db, engine, username: str, flt: InboxFilter | None = None, **args: str):  # type: ignore[no-untyped-def]
    """The inbox rows `username` sees with the filter (or the query string `args`)."""
    if flt is None:
        flt, _notices = parse_filter(args)
    clock = engine.clock
    with db.transaction(write=False) as session:
        uid = get_user(session, username).id
        return filtered_inbox(session, uid, clock.today(), clock.local(clock.now()), flt)


def titles(rows) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.instance_title for r in rows]


def dispose(db, engine, username, task_id, chosen):  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        return disposition.dispose(session, engine, task_id, user=get_user(session, username), choice=chosen)


# -- inbox filters ------------------------------------------------------------------------------


def test_urgensi_filter_keeps_only_the_letters_of_that_urgency(org, engine) -> None:
    prepare(org, engine)
    incoming(org, engine, "Surat segera", urgensi="segera")
    incoming(org, engine, "Surat biasa", urgensi="biasa")
    assert sorted(titles(narrowed(org, engine, "agus"))) == ["Surat biasa", "Surat segera"]
    rows = narrowed(org, engine, "agus", urgensi="segera")
    assert titles(rows) == ["Surat segera"]
    assert rows[0].urgensi == "segera" and rows[0].hal == "Surat segera" and rows[0].agenda == "1/2026"
    assert rows[0].from_title == "Kementerian Kominfo"  # the head's task comes from the letter's sender
    assert titles(narrowed(org, engine, "agus", urgensi="biasa")) == ["Surat biasa"]
    assert narrowed(org, engine, "agus", urgensi="sangat_segera") == []
    assert narrowed(org, engine, "sari", urgensi="segera") == []  # nobody else's tasks, filtered or not


def test_overdue_filter_follows_the_clock(org, engine) -> None:
    clock = prepare(org, engine)
    incoming(org, engine, "Surat segera", urgensi="segera")  # due in 48 hours (Wednesday 09.00)
    incoming(org, engine, "Surat biasa", urgensi="biasa")  # due at the end of the 5th working day
    assert narrowed(org, engine, "agus", terlambat="1") == []
    assert not any(r.overdue for r in narrowed(org, engine, "agus"))
    clock.advance(days=2, hours=1)
    rows = narrowed(org, engine, "agus", terlambat="1")
    assert titles(rows) == ["Surat segera"] and rows[0].overdue
    assert {r.instance_title: r.overdue for r in narrowed(org, engine, "agus")} == {"Surat segera": True,
                                                                                    "Surat biasa": False}
    clock.advance(days=8)
    assert sorted(titles(narrowed(org, engine, "agus", terlambat="ya"))) == ["Surat biasa", "Surat segera"]


def test_jenis_filter(org, engine) -> None:
    prepare(org, engine)
    incoming(org, engine, "Undangan rapat", jenis="surat_undangan")
    incoming(org, engine, "Permohonan data", jenis="surat_dinas")
    assert titles(narrowed(org, engine, "agus", jenis="surat_undangan")) == ["Undangan rapat"]
    assert titles(narrowed(org, engine, "agus", jenis="surat_dinas")) == ["Permohonan data"]
    assert narrowed(org, engine, "agus", jenis="nota_dinas") == []


def test_sender_filter_matches_the_letters_sender_or_the_disposer(org, engine) -> None:
    prepare(org, engine)
    first = incoming(org, engine, "Dari kementerian", sender="Kementerian Kominfo")
    incoming(org, engine, "Dari provinsi", sender="Bappeda Provinsi Jawa Barat")
    assert titles(narrowed(org, engine, "agus", dari="bappeda")) == ["Dari provinsi"]
    assert titles(narrowed(org, engine, "agus", dari="  KEMENTERIAN  ")) == ["Dari kementerian"]
    assert narrowed(org, engine, "agus", dari="%") == []  # LIKE wildcards are taken literally
    assert narrowed(org, engine, "agus", dari="_") == []

    dispose(org, engine, "agus", open_task(org, first, "lontar.disposisi"), choice(position_id(org, SARI)))
    (row,) = narrowed(org, engine, "sari")
    assert row.name == "Tindak lanjuti disposisi" and row.disposition_id is not None
    assert row.from_title == "Kepala Dinas Komunikasi dan Informatika" and row.from_name.startswith("Drs. Agus")
    assert titles(narrowed(org, engine, "sari", dari="agus")) == ["Dari kementerian"]  # the disposer's name
    assert titles(narrowed(org, engine, "sari", dari="kepala dinas")) == ["Dari kementerian"]  # their title
    assert titles(narrowed(org, engine, "sari", dari="kominfo")) == ["Dari kementerian"]  # the letter's sender
    assert narrowed(org, engine, "sari", dari="bappeda") == []


def test_date_range_uses_the_pemdas_local_dates(org, engine) -> None:
    clock = prepare(org, engine)  # Monday 23 November 2026, 09.00 WIB
    incoming(org, engine, "Senin pagi")
    clock.set(datetime(2026, 11, 23, 17, 30, tzinfo=UTC))  # Tuesday 00.30 WIB, still Monday in UTC
    incoming(org, engine, "Selasa dini hari")
    clock.advance(days=1)  # Wednesday 00.30 WIB
    incoming(org, engine, "Rabu dini hari")
    assert titles(narrowed(org, engine, "agus", tgl_dari="2026-11-24", tgl_sampai="2026-11-24")) == ["Selasa dini hari"]
    assert titles(narrowed(org, engine, "agus", tgl_sampai="23-11-2026")) == ["Senin pagi"]
    assert sorted(titles(narrowed(org, engine, "agus", tgl_dari="24/11/2026"))) == ["Rabu dini hari",
                                                                                     "Selasa dini hari"]
    assert narrowed(org, engine, "agus", tgl_dari="2026-11-26") == []


def test_sort_by_due_date_puts_tasks_without_one_last_and_newest_sorts_by_arrival(deployed, engine) -> None:
    clock = prepare(deployed, engine)
    segera = incoming(deployed, engine, "Segera", urgensi="segera")  # due Wednesday
    clock.advance(minutes=5)
    incoming(deployed, engine, "Sangat segera", urgensi="sangat_segera")  # due tonight
    clock.advance(minutes=5)
    biasa = incoming(deployed, engine, "Biasa", urgensi="biasa")  # due next Monday
    assert titles(narrowed(deployed, engine, "agus")) == ["Sangat segera", "Segera", "Biasa"]
    assert titles(narrowed(deployed, engine, "agus", urutan="newest")) == ["Biasa", "Sangat segera", "Segera"]
    clock.advance(minutes=5)
    late = incoming(deployed, engine, "Masuk kemudian", urgensi="biasa")
    assert titles(narrowed(deployed, engine, "agus", urutan="newest"))[0] == "Masuk kemudian"
    assert titles(narrowed(deployed, engine, "agus"))[:2] == ["Sangat segera", "Segera"]

    # Sari: follow-ups with due dates and a nota dinas review without one.
    for letter_id in (segera, biasa, late):
        dispose(deployed, engine, "agus", open_task(deployed, letter_id, "lontar.disposisi"),
                choice(position_id(deployed, SARI)))
    clock.advance(minutes=5)
    instance = start(deployed, engine, "budi")
    act(deployed, engine, "budi", instance, {"tujuan": "Kepala Dinas", "perihal": "Nota tanpa batas",
                                             "isi": "Mohon diperiksa."})
    with deployed.transaction() as session:  # a diagram may give a step no due date
        session.execute(update(HumanTask).where(HumanTask.instance_id == instance, HumanTask.status == "ready")
                        .values(due_at=None))
    rows = narrowed(deployed, engine, "sari")
    assert titles(rows)[-1] == "Nota tanpa batas" and rows[-1].due_at is None and rows[-1].letter_id is None
    assert rows[-1].from_title == "Budi Santoso, S.Kom."  # who started it
    assert [r.due_at for r in rows[:-1]] == sorted(r.due_at for r in rows[:-1])
    assert titles(narrowed(deployed, engine, "sari", urutan="newest"))[0] == "Nota tanpa batas"
    assert narrowed(deployed, engine, "sari", urgensi="segera")[0].instance_title == "Segera"
    assert "Nota tanpa batas" not in titles(narrowed(deployed, engine, "sari", jenis="surat_dinas"))


def test_bad_values_give_a_message_and_the_rest_of_the_filter_still_works(org, engine) -> None:
    prepare(org, engine)
    incoming(org, engine, "Surat segera", urgensi="segera")
    incoming(org, engine, "Surat biasa", urgensi="biasa")
    flt, notices = parse_filter({"tgl_dari": "31-02-2026"})
    assert flt == InboxFilter() and [n.key for n in notices] == ["filter.bad_date_from"]
    assert "31-02-2026" in notices[0].text() and "tidak dapat dibaca" in notices[0].text()
    assert "could not be read" in notices[0].text("en")
    assert len(narrowed(org, engine, "agus", flt)) == 2  # the unfiltered list

    flt, notices = parse_filter({"tgl_sampai": "kemarin<script>", "urgensi": "kilat", "urutan": "abjad",
                                 "jenis": "surat_cinta"})
    assert flt == InboxFilter()
    assert [n.key for n in notices] == ["filter.bad_urgensi", "filter.bad_jenis", "filter.bad_date_to",
                                        "filter.bad_sort"]
    assert len(narrowed(org, engine, "agus", flt)) == 2

    flt, notices = parse_filter({"urgensi": "segera", "tgl_dari": "2026-12-01", "tgl_sampai": "2026-11-01"})
    assert (flt.urgensi, flt.date_from, flt.date_to) == ("segera", None, None)
    assert [n.key for n in notices] == ["filter.date_order"]
    assert titles(narrowed(org, engine, "agus", flt)) == ["Surat segera"]

    flt, notices = parse_filter({"dari": "x" * 500, "tgl_dari": "2026-11-23", "terlambat": "1"})
    assert len(flt.sender or "") == 100 and flt.date_from == date(2026, 11, 23) and flt.overdue
    assert [n.key for n in notices] == ["filter.text_too_long"]
    assert parse_filter({"tgl_dari": "9" * 5000})[1][0].params["value"].endswith("\u2026")


# -- the letter lists ---------------------------------------------------------------------------


def disposed_world(db, engine):  # type: ignore[no-untyped-def]
    """One letter disposed by the Kepala to Sari (read) and Andi (withdrawn unread); another waiting."""
    clock = prepare(db, engine)
    letter_id = incoming(db, engine, "Undangan rapat SPBE", urgensi="segera")
    waiting = incoming(db, engine, "Permohonan narasumber")
    dispose(db, engine, "agus", open_task(db, letter_id, "lontar.disposisi"),
            choice(position_id(db, SARI), position_id(db, ANDI), instructions=("Tindak lanjuti", "Hadiri/wakili")))
    with db.transaction() as session:
        disposition.mark_read(session, engine, user=get_user(session, "sari"), letter_id=letter_id)
    andi = [b for b in mine(db, engine, "agus", disposed_by_me) if b.to_position.startswith("Kepala Bidang Informasi")]
    with db.transaction() as session:
        disposition.cancel(session, engine, user=get_user(session, "agus"), disposition_id=andi[0].disposition_id)
    return clock, letter_id, waiting


def mine(db, engine, username: str, query):  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        uid = get_user(session, username).id
        return query(session, uid, engine.clock.today(), now=engine.clock.now())


def test_a_kabid_sees_the_branches_disposed_to_them_with_their_status(org, engine) -> None:
    clock, letter_id, _ = disposed_world(org, engine)
    (row,) = mine(org, engine, "sari", disposed_to_me)
    assert (row.letter_id, row.hal, row.status, row.agenda) == (letter_id, "Undangan rapat SPBE", "dibaca", "1/2026")
    assert row.from_title == "Kepala Dinas Komunikasi dan Informatika" and row.from_name.startswith("Drs. Agus")
    assert row.instructions == ["Tindak lanjuti", "Hadiri/wakili"] and not row.overdue
    assert mine(org, engine, "andi", disposed_to_me) == []  # withdrawn before it was read
    assert mine(org, engine, "budi", disposed_to_me) == []
    assert mine(org, engine, "sari", disposed_by_me) == []
    clock.advance(days=3)
    assert mine(org, engine, "sari", disposed_to_me)[0].overdue


def test_the_kepala_sees_each_branch_they_disposed_with_its_status(org, engine) -> None:
    clock, letter_id, _ = disposed_world(org, engine)
    rows = mine(org, engine, "agus", disposed_by_me)
    assert sorted((r.to_position, r.status) for r in rows) == [
        ("Kepala Bidang Aplikasi Informatika", "dibaca"),
        ("Kepala Bidang Informasi dan Komunikasi Publik", "dibatalkan"),
    ]
    assert {r.letter_id for r in rows} == {letter_id} and all(r.hal == "Undangan rapat SPBE" for r in rows)
    clock.advance(days=3)
    overdue = {r.status: r.overdue for r in mine(org, engine, "agus", disposed_by_me)}
    assert overdue == {"dibaca": True, "dibatalkan": False}  # a withdrawn branch is never late
    assert mine(org, engine, "agus", disposed_to_me) == []
    assert mine(org, engine, "dewi", disposed_by_me) == []


def test_the_tu_sees_the_letters_they_registered_with_branches_counted(org, engine) -> None:
    clock, letter_id, waiting = disposed_world(org, engine)
    rows = mine(org, engine, "dewi", sent_by_me)
    assert [(r.letter_id, r.status) for r in rows] == [(waiting, "menunggu_disposisi"), (letter_id, "didisposisikan")]
    assert rows[1].branches == {"dibaca": 1, "dibatalkan": 1} and rows[1].branch_total == 2
    assert rows[0].branches == {} and rows[0].hal == "Permohonan narasumber" and rows[0].agenda == "2/2026"
    assert mine(org, engine, "sari", sent_by_me) == [] and mine(org, engine, "bayu", sent_by_me) == []
    clock.advance(days=3)
    assert [r.overdue for r in mine(org, engine, "dewi", sent_by_me)] == [False, True]
    with org.transaction(write=False) as session:
        assert is_registrar(session, get_user(session, "dewi").id)
        assert not is_registrar(session, get_user(session, "agus").id)
        assert keeps_agenda(session, get_user(session, "admin").id)
        assert keeps_agenda(session, get_user(session, "auditor").id)
        assert not keeps_agenda(session, get_user(session, "sari").id)


def agenda(db, engine, username: str, year: int = 2026, **args: str):  # type: ignore[no-untyped-def]
    filters, notices = parse_agenda_filter(args)
    assert notices == []
    clock = engine.clock
    with db.transaction(write=False) as session:
        uid = get_user(session, username).id
        return agenda_masuk(session, uid, clock.today(), year, filters, now=clock.now(), tz=clock.tz)


def test_the_agenda_hides_a_secret_letters_hal_and_other_skpd_see_none(org, engine) -> None:
    prepare(org, engine)
    incoming(org, engine, "Pengadaan server pusat data", urgensi="segera", klasifikasi="000")
    incoming(org, engine, "Hasil pemeriksaan khusus", sifat="rahasia", sender="Inspektorat Provinsi",
             klasifikasi="700")
    incoming(org, engine, "Wabah di kecamatan", by="bayu", unit="DINKES", sender="Puskesmas Sukamaju")

    for username in ("admin", "auditor", "admin.kominfo"):
        rows = agenda(org, engine, username)
        kominfo = [r for r in rows if r.unit_name.startswith("Dinas Komunikasi")]
        assert [(r.agenda, r.hal, r.secret) for r in kominfo] == [
            ("2/2026", None, True), ("1/2026", "Pengadaan server pusat data", False)], username
        assert kominfo[0].sender_name == "Inspektorat Provinsi" and kominfo[0].sifat == "rahasia"
        # the hal of a secret letter is never searched; its sender and number are
        assert agenda(org, engine, username, q="pemeriksaan") == []
        assert [r.agenda for r in agenda(org, engine, username, q="inspektorat prov")] == ["2/2026"]
    assert len(agenda(org, engine, "admin")) == 3  # Pemda-wide: Dinkes too
    assert [r.hal for r in agenda(org, engine, "admin.kominfo")] == [None, "Pengadaan server pusat data"]

    # the pencatat who registered the secret letter still sees "(rahasia)" in the agenda book
    assert [(r.agenda, r.hal) for r in agenda(org, engine, "dewi")] == [
        ("2/2026", None), ("1/2026", "Pengadaan server pusat data")]
    # another SKPD: none of Diskominfo's letters, only their own
    for username in ("admin.dinkes", "bayu"):
        assert [r.hal for r in agenda(org, engine, username)] == ["Wabah di kecamatan"], username
    for username in ("sari", "budi", "agus", "admin.setda"):
        assert agenda(org, engine, username) == [], username
    assert agenda(org, engine, "admin", year=2025) == []


def test_the_agenda_filters(org, engine) -> None:
    clock = prepare(org, engine)
    incoming(org, engine, "Undangan rapat", urgensi="segera", klasifikasi="000")
    clock.advance(days=1)
    incoming(org, engine, "Laporan kepegawaian", klasifikasi="800", sender="BKN Regional")
    clock.advance(days=1)
    incoming(org, engine, "Surat rahasia", sifat="rahasia", klasifikasi="700")

    def hals(**args: str) -> list[str | None]:
        return [r.hal for r in agenda(org, engine, "admin.kominfo", **args)]

    assert hals(urgensi="segera") == ["Undangan rapat"]
    assert hals(sifat="rahasia") == [None]
    assert hals(sifat="biasa") == ["Laporan kepegawaian", "Undangan rapat"]
    assert hals(klasifikasi="800") == ["Laporan kepegawaian"]
    assert hals(klasifikasi="80") == []  # a code, not a text prefix
    assert hals(status="menunggu_disposisi") == [None, "Laporan kepegawaian", "Undangan rapat"]
    assert hals(status="selesai") == []
    assert hals(tgl_dari="2026-11-24", tgl_sampai="2026-11-24") == ["Laporan kepegawaian"]
    assert hals(tgl_sampai="2026-11-23") == ["Undangan rapat"]
    assert hals(q="bkn") == ["Laporan kepegawaian"]
    assert hals(q="UNDANGAN") == ["Undangan rapat"]

    filters, notices = parse_agenda_filter({"sifat": "super", "status": "x", "klasifikasi": "abc';--",
                                            "tgl_dari": "2026-99-01", "urgensi": "segera"})
    assert filters == AgendaFilter(urgensi="segera")
    assert [n.key for n in notices] == ["filter.bad_sifat", "filter.bad_status", "filter.bad_klasifikasi",
                                        "filter.bad_date_from"]
    notices = []
    assert parse_year("20x6", 2026, notices) == 2026 and notices[0].key == "filter.bad_year"
    assert parse_year("2025", 2026, []) == 2025 and parse_year("", 2026, []) == 2026
    assert parse_year("99999", 2026, []) == 2026


def test_a_deputy_sees_their_principals_branches(org, engine) -> None:
    """During a delegation the deputy works the principal's positions: their lists follow."""
    from engine.models import Delegation

    _clock, letter_id, _ = disposed_world(org, engine)
    today = engine.clock.today()
    with org.transaction() as session:
        session.add(Delegation(principal_id=get_user(session, "sari").id, deputy_id=get_user(session, "budi").id,
                               valid_from=today, valid_to=today + timedelta(days=3)))
    assert [r.letter_id for r in mine(org, engine, "budi", disposed_to_me)] == [letter_id]
