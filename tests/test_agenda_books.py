"""The agenda books (masuk and keluar), their filters and their CSV / XLSX export, on both
databases.  Outgoing letters and their numbers are rows built here directly (the drafting and
signing engine is not needed to keep a register)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from sqlalchemy import select

from engine.agenda_books import KeluarFilter, agenda_keluar, parse_keluar_filter, rows_for_export
from engine.db import Database
from engine.letter_lists import AgendaFilter
from engine.models import Letter, LetterNumber, LetterParty, Position, Unit
from tests.flow import get_user
from tests.letters_world import prepare, register
from tests.test_web import Person, page, text_of
from webapp import create_app
from webapp.config import Settings

FORMULA = '=HYPERLINK("http://contoh.invalid","klik")'
SECRET_HAL = "Evaluasi kinerja pejabat"


@dataclass(frozen=True)
class Outgoing:
    sent: int  # Diskominfo, Biasa, numbered 1, sent; its kepada is named like a formula
    voided: int  # Diskominfo, number 2 voided
    secret: int  # Diskominfo, Rahasia, number 3
    dinkes: int  # Dinkes's own letter, its number 1


def id_of(session, model, code: str) -> int:  # type: ignore[no-untyped-def]
    return session.scalars(select(model.id).where(model.code == code)).one()


def outgoing_letter(session, *, unit: str, hal: str, status: str, konseptor: str, by: str,  # type: ignore[no-untyped-def]
                    sifat: str = "biasa", jenis: str = "surat_dinas", klasifikasi: str = "000",
                    signer: str | None = "DISKOMINFO.KADIS") -> Letter:
    row = Letter(unit_id=id_of(session, Unit, unit), jenis=jenis, direction="keluar", hal=hal, sifat=sifat,
                 urgensi="biasa", klasifikasi_code=klasifikasi, status=status, registered_by_id=get_user(session, by).id,
                 konseptor_position_id=id_of(session, Position, konseptor),
                 signer_position_id=id_of(session, Position, signer) if signer else None,
                 sender_kind="internal", sender_name="")
    session.add(row)
    session.flush()
    return row


def number(session, letter: Letter | None, *, unit: str, urut: int, nomor: str, on: date,  # type: ignore[no-untyped-def]
           status: str = "terpakai", void_reason: str = "", suffix: str = "", sisipan: bool = False) -> LetterNumber:
    row = LetterNumber(unit_id=id_of(session, Unit, unit), year=on.year, series="keluar", urut=urut, suffix=suffix,
                       nomor=nomor, tanggal=on, letter_id=letter.id if letter else None, status=status,
                       sisipan=sisipan, void_reason=void_reason,
                       voided_at=datetime(2026, 11, 20, 3, tzinfo=UTC) if status == "batal" else None)
    session.add(row)
    session.flush()
    return row


def outgoing_world(db: Database) -> Outgoing:
    with db.transaction() as session:
        sent = outgoing_letter(session, unit="DISKOMINFO", hal="Undangan rapat koordinasi SPBE", status="terkirim",
                               konseptor="DISKOMINFO.APTIKA.PRANATA", by="budi")
        session.add_all([
            LetterParty(letter_id=sent.id, role="kepada", kind="internal", unit_id=id_of(session, Unit, "DINKES")),
            LetterParty(letter_id=sent.id, role="kepada", kind="eksternal", name=FORMULA),
        ])
        voided = outgoing_letter(session, unit="DISKOMINFO", hal="Permohonan data statistik", status="dibatalkan",
                                 konseptor="DISKOMINFO.IKP.HUMAS", by="putri", jenis="nota_dinas")
        secret = outgoing_letter(session, unit="DISKOMINFO", hal=SECRET_HAL, status="ditandatangani",
                                 konseptor="DISKOMINFO.APTIKA.PRANATA", by="budi", sifat="rahasia", klasifikasi="800")
        dinkes = outgoing_letter(session, unit="DINKES", hal="Laporan kasus DBD", status="terkirim",
                                 konseptor="DINKES.YANKES.ANALIS", by="rina", signer="DINKES.KADIS")
        number(session, sent, unit="DISKOMINFO", urut=1, nomor="000/1/DISKOMINFO/2026", on=date(2026, 11, 10))
        number(session, voided, unit="DISKOMINFO", urut=2, nomor="000/2/DISKOMINFO/2026", on=date(2026, 11, 12),
               status="batal", void_reason="Salah klasifikasi, diganti nomor 3")
        number(session, secret, unit="DISKOMINFO", urut=3, nomor="800/3/DISKOMINFO/2026", on=date(2026, 11, 16))
        number(session, dinkes, unit="DINKES", urut=1, nomor="000/1/DINKES/2026", on=date(2026, 11, 11))
        return Outgoing(sent.id, voided.id, secret.id, dinkes.id)


def keluar(db: Database, engine, username: str, filters: KeluarFilter | None = None, year: int = 2026):  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        return agenda_keluar(session, get_user(session, username).id, engine.clock.today(), year,
                             filters or KeluarFilter())


# -- the engine --------------------------------------------------------------------------------------


def test_agenda_keluar_lists_every_number_with_the_voided_one_marked_batal(org, engine) -> None:
    prepare(org, engine)
    ids = outgoing_world(org)
    rows = keluar(org, engine, "dewi")
    assert [(r.urut, r.nomor, r.number_status) for r in rows] == [
        ("3", "800/3/DISKOMINFO/2026", "terpakai"), ("2", "000/2/DISKOMINFO/2026", "batal"),
        ("1", "000/1/DISKOMINFO/2026", "terpakai")]
    secret, voided, sent = rows
    assert voided.note == "Salah klasifikasi, diganti nomor 3" and voided.letter_id == ids.voided
    assert voided.jenis == "nota_dinas" and voided.letter_status == "dibatalkan"
    assert sent.hal == "Undangan rapat koordinasi SPBE" and sent.kepada == f"Dinas Kesehatan; {FORMULA}"
    # the TU may not open the secret letter: its number stays, nothing of the letter shows
    assert (secret.hal, secret.secret, secret.letter_id, secret.jenis, secret.kepada) == (None, True, None, None, "")
    # an admin of the SKPD sees its metadata, still never the hal
    (admin_secret, *_rest) = keluar(org, engine, "admin.kominfo")
    assert (admin_secret.letter_id, admin_secret.sifat, admin_secret.hal) == (ids.secret, "rahasia", None)
    assert [r.nomor for r in keluar(org, engine, "bayu")] == ["000/1/DINKES/2026"]  # another SKPD's TU
    assert keluar(org, engine, "budi") == [] and keluar(org, engine, "dewi", year=2025) == []
    assert len(keluar(org, engine, "admin")) == 4  # the Pemda's admin covers every unit


def test_agenda_keluar_filters_never_tell_what_a_withheld_letter_is_about(org, engine) -> None:
    prepare(org, engine)
    outgoing_world(org)

    def nomor(username: str, **args: str) -> list[str]:
        filters, notices = parse_keluar_filter(args)
        assert notices == []
        return [r.nomor for r in keluar(org, engine, username, filters)]

    assert nomor("dewi", status="batal") == ["000/2/DISKOMINFO/2026"]
    assert nomor("dewi", status="terkirim") == ["000/1/DISKOMINFO/2026"]
    assert nomor("dewi", jenis="nota_dinas") == ["000/2/DISKOMINFO/2026"]
    assert nomor("dewi", klasifikasi="000") == ["000/2/DISKOMINFO/2026", "000/1/DISKOMINFO/2026"]
    assert nomor("dewi", tgl_dari="2026-11-11", tgl_sampai="12-11-2026") == ["000/2/DISKOMINFO/2026"]
    assert nomor("dewi", q="koordinasi") == ["000/1/DISKOMINFO/2026"]
    assert nomor("dewi", q="/3/") == ["800/3/DISKOMINFO/2026"]
    # the secret letter is matched neither by its hal nor, for the TU who may not see it, by its klasifikasi
    assert nomor("dewi", q="kinerja") == [] and nomor("admin.kominfo", q="kinerja") == []
    assert nomor("dewi", klasifikasi="800") == [] and nomor("admin.kominfo", klasifikasi="800") == ["800/3/DISKOMINFO/2026"]
    with org.transaction(write=False) as session:
        dinkes = id_of(session, Unit, "DINKES")
    assert nomor("admin", unit=str(dinkes)) == ["000/1/DINKES/2026"]
    filters, notices = parse_keluar_filter({"status": "hilang", "jenis": "surat_cinta", "unit": "x1", "klasifikasi": "a"})
    assert filters == KeluarFilter() and len(notices) == 4


def test_rows_for_export_give_a_header_and_plain_values_for_both_books(org, engine) -> None:
    clock = prepare(org, engine)
    outgoing_world(org)
    register(org, engine, hal="Undangan rapat SPBE")
    register(org, engine, hal="Nota pemeriksaan", sifat="rahasia")
    with org.transaction(write=False) as session:
        dewi = get_user(session, "dewi").id
        masuk = rows_for_export(session, dewi, clock.today(), "masuk", 2026, AgendaFilter(), tz=clock.tz,
                                now=clock.now())
        keluar_en = rows_for_export(session, dewi, clock.today(), "keluar", 2026, KeluarFilter(), tz=clock.tz,
                                    lang="en")
    assert masuk[0][:3] == ("No. agenda", "Unit", "Diterima") and len(masuk) == 3
    assert [r[6] for r in masuk[1:]] == ["(rahasia)", "Undangan rapat SPBE"]  # the agenda hides a secret hal
    assert masuk[2][2] == datetime(2026, 11, 23, 9, 0)  # the Pemda's wall clock (WIB), no zone
    assert keluar_en[0][0] == "Serial no." and [r[0] for r in keluar_en[1:]] == ["3", "2", "1"]
    assert keluar_en[1][5] == "(secret)" and keluar_en[2][9] == "batal" and keluar_en[3][3] == date(2026, 11, 10)


# -- the web: the tab and the files --------------------------------------------------------------------


@pytest.fixture
def app(org: Database, engine, tmp_path: Path) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    prepare(org, engine)
    outgoing_world(org)
    register(org, engine, hal="Undangan rapat SPBE")
    register(org, engine, hal="Wabah di kecamatan", by="bayu", unit="DINKES")
    settings = Settings(instance_path=tmp_path / "instance", database_url=org.url, secret_key="test")
    settings.instance_path.mkdir()
    flask_app = create_app(settings, engine=engine)
    flask_app.config.update(TESTING=True)
    yield flask_app
    flask_app.extensions["lontar.db"].dispose()


def test_the_agenda_keluar_tab_shows_the_register_with_export_buttons(app) -> None:
    dewi = Person(app, "dewi")
    doc = page(dewi.get("/surat?tab=agenda-keluar").text)
    assert doc.xpath('//nav[@class="tabs"]/a/@data-tab')[-2:] == ["agenda", "agenda-keluar"]
    rows = doc.xpath('//table[@id="letters"]/tbody/tr')
    assert [tr.xpath('.//*[@data-number-status]/@data-number-status')[0] for tr in rows] == ["terpakai", "batal",
                                                                                               "terpakai"]
    assert "Salah klasifikasi" in text_of(rows[1]) and "(rahasia)" in text_of(rows[0])
    assert SECRET_HAL not in dewi.get("/surat?tab=agenda-keluar").text
    hrefs = doc.xpath('//p[@id="agenda-export"]/a/@href')
    assert hrefs == ["/surat/agenda/keluar.xlsx", "/surat/agenda/keluar.csv"]
    doc = page(dewi.get("/surat?tab=agenda-keluar&status=batal&tahun=2026").text)
    assert len(doc.xpath('//table[@id="letters"]/tbody/tr')) == 1
    assert doc.xpath('//p[@id="agenda-export"]/a/@href')[1] == "/surat/agenda/keluar.csv?status=batal&tahun=2026"
    masuk = page(dewi.get("/surat?tab=agenda").text)
    assert masuk.xpath('//p[@id="agenda-export"]/a/@href') == ["/surat/agenda/masuk.xlsx", "/surat/agenda/masuk.csv"]
    budi = Person(app, "budi")  # no agenda to keep: no tab, and asking for it shows his own list
    doc = page(budi.get("/surat?tab=agenda-keluar").text)
    assert doc.xpath('//nav[@class="tabs"]/a/@data-tab') == ["untuk-saya", "disposisi-saya"]
    assert doc.xpath('//p[@id="agenda-export"]') == [] and "800/3/DISKOMINFO" not in text_of(doc)


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_export_has_a_bom_a_header_and_escaped_formulas(app) -> None:
    dewi = Person(app, "dewi")
    response = dewi.get("/surat/agenda/keluar.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert 'filename="agenda-keluar-2026.csv"' in response.headers["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:4] == ["No. urut", "Unit", "Nomor surat", "Tanggal surat"] and len(rows) == 4
    sent = rows[3]
    assert sent[2] == "000/1/DISKOMINFO/2026" and sent[3] == "2026-11-10"
    assert sent[6] == f"Dinas Kesehatan; {FORMULA}"  # inside a cell, not at its start: harmless
    assert rows[2][9] == "Batal" and rows[2][12] == "Salah klasifikasi, diganti nomor 3"
    masuk = _csv(dewi.get("/surat/agenda/masuk.csv?q=spbe"))
    assert masuk[0][0] == "No. agenda" and [r[6] for r in masuk[1:]] == ["Undangan rapat SPBE"]
    assert masuk[1][2] == "2026-11-23 09:00"


def test_a_cell_that_starts_like_a_formula_is_made_text() -> None:
    from webapp.views.agenda_export import to_csv

    rows = [("Kolom",), ("=1+1",), ("+62 812",), ("-",), ("@SUM(A1)",), ("Biasa",), (None,)]
    parsed = list(csv.reader(io.StringIO(to_csv(rows).decode("utf-8-sig"))))
    assert [r[0] for r in parsed] == ["Kolom", "'=1+1", "'+62 812", "'-", "'@SUM(A1)", "Biasa", ""]


def test_xlsx_export_reads_back_with_a_bold_frozen_header_and_real_dates(app) -> None:
    dewi = Person(app, "dewi")
    response = dewi.get("/surat/agenda/keluar.xlsx")
    assert response.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["No. urut", "Unit", "Nomor surat"] and len(values) == 4
    assert [r[2] for r in values[1:]] == ["800/3/DISKOMINFO/2026", "000/2/DISKOMINFO/2026", "000/1/DISKOMINFO/2026"]
    assert values[3][3] == datetime(2026, 11, 10) and sheet.cell(row=4, column=4).number_format == "yyyy-mm-dd"
    assert sheet.cell(row=1, column=1).font.b and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width >= len("800/3/DISKOMINFO/2026")
    assert values[1][5] == "(rahasia)" and values[2][9] == "Batal"
    masuk = openpyxl.load_workbook(io.BytesIO(dewi.get("/surat/agenda/masuk.xlsx").data)).active
    rows = [list(r) for r in masuk.iter_rows(values_only=True)]
    assert rows[1][6] == "Undangan rapat SPBE" and rows[1][2] == datetime(2026, 11, 23, 9, 0)


@pytest.mark.parametrize("url", ["/surat/agenda/masuk.csv", "/surat/agenda/keluar.csv", "/surat/agenda/masuk.xlsx",
                                 "/surat/agenda/keluar.xlsx"])
def test_another_skpds_tu_gets_no_rows_and_a_staf_no_file(app, url: str) -> None:
    budi = Person(app, "budi")  # Diskominfo staf: keeps no agenda book
    budi.get(url, status=404)
    bayu, dewi = Person(app, "bayu"), Person(app, "dewi")  # the TU of Dinkes, the TU of Diskominfo
    theirs, ours = bayu.get(url).data, dewi.get(url).data
    if url.endswith(".csv"):
        text_theirs, text_ours = theirs.decode("utf-8-sig"), ours.decode("utf-8-sig")
    else:
        text_theirs, text_ours = (" ".join(str(v) for r in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(
            values_only=True) for v in r) for data in (theirs, ours))
    assert "DISKOMINFO" not in text_theirs and "Undangan rapat SPBE" not in text_theirs
    assert "Dinas Kesehatan" in text_theirs  # their own unit's book
    assert "Dinas Komunikasi dan Informatika" in text_ours and "DINKES/2026" not in text_ours
