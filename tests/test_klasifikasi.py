"""Klasifikasi arsip: the seed, the CSV import (the community transcription of Permendagri
83/2022 as a Pemda would bring it), the picker search, and `lontar klasifikasi`, both databases."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from engine import klasifikasi
from engine.db import Database
from engine.models import AuditEvent, Klasifikasi
from engine.org_csv import ImportFailed
from tests.conftest import SHARED, require
from webapp.cli import main

TRANSCRIPTION = SHARED / "data" / "klasifikasi-permendagri-83-2022.sql"
TUPLE = re.compile(r"\(\s*'((?:[^']|'')*)'\s*,\s*'((?:[^']|'')*)'\s*,\s*'((?:[^']|'')*)'\s*\)")


def permendagri_rows() -> list[tuple[str, str, str]]:
    require(TRANSCRIPTION.is_file(), f"no transcription of Permendagri 83/2022 at {TRANSCRIPTION}")
    text = TRANSCRIPTION.read_text(encoding="utf-8")
    rows = [tuple(cell.replace("''", "'") for cell in found) for found in TUPLE.findall(text)]
    assert len(rows) > 2900, "the transcription's INSERT tuples were not read"
    return rows  # type: ignore[return-value]


def as_csv(rows: list[tuple[str, ...]], header: tuple[str, ...] = ("kode", "nama", "keterangan"), delimiter: str = ",") -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def snapshot(db: Database) -> list[tuple]:
    with db.transaction(write=False) as session:
        return [
            (k.code, k.name, k.parent_code, k.level, k.retensi_aktif, k.retensi_inaktif, k.nasib_akhir, k.active)
            for k in session.scalars(select(Klasifikasi).order_by(Klasifikasi.code))
        ]


def problems_of(db: Database, data: str | bytes, lang: str = "id") -> list[str]:
    with pytest.raises(ImportFailed) as caught, db.transaction() as session:
        klasifikasi.import_csv(session, data)
    return [p.message(lang) for p in caught.value.problems]


# --- seed ------------------------------------------------------------------------------------------


def test_the_seed_adds_the_ten_main_classes_once_and_keeps_a_pemdas_names(database: Database):
    with database.transaction() as session:
        assert klasifikasi.seed(session) == 10
    with database.transaction() as session:
        session.get(Klasifikasi, "800").name = "Kepegawaian (Kabupaten)"
        assert klasifikasi.seed(session) == 0
    rows = snapshot(database)
    assert [r[0] for r in rows] == ["000", "100", "200", "300", "400", "500", "600", "700", "800", "900"]
    assert ("800", "Kepegawaian (Kabupaten)", None, 1, None, None, None, True) in rows
    assert ("600", "Pekerjaan Umum dan Ketenagaan", None, 1, None, None, None, True) in rows


def test_the_demo_loads_the_seed(org: Database):
    with org.transaction(write=False) as session:
        assert klasifikasi.get(session, "000").name == "Umum"
        assert klasifikasi.exists(session, "900") and not klasifikasi.exists(session, "000.8.3.3")


# --- import: the whole Permendagri list ----------------------------------------------------------------


def test_the_permendagri_list_imports_with_parents_and_levels(database: Database):
    rows = permendagri_rows()
    with database.transaction() as session:
        klasifikasi.seed(session)
        report = klasifikasi.import_csv(session, as_csv(rows).encode("utf-8-sig"))
    assert (report.created, report.updated) == (len(rows) - 10, 0)  # the ten seeded names are the same
    assert report.unchanged == 10
    assert report.orphans == ["270.04.05"]  # the transcription lacks 270 and 270.04: kept, and named
    with database.transaction(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Klasifikasi)) == len(rows)
        levels = dict(session.execute(select(Klasifikasi.level, func.count()).group_by(Klasifikasi.level)).all())
        assert levels == {1: 10, 2: 56, 3: 675, 4: 2240}
        tugas = klasifikasi.get(session, "800.1.11.1")
        assert (tugas.parent_code, tugas.level) == ("800.1.11", 4)
        assert klasifikasi.get(session, "000.8.3").parent_code == "000.8"
        assert klasifikasi.get(session, "000").parent_code is None
        assert klasifikasi.get(session, "000.1.2.1").name == "Perjalanan Dinas Kepala Daerah"
        assert klasifikasi.exists(session, "000.8.3.3")
        # every parent named by a code is in the list, but for the transcription's one gap
        codes = set(session.scalars(select(Klasifikasi.code)))
        parents = set(session.scalars(select(Klasifikasi.parent_code).where(Klasifikasi.parent_code.is_not(None))))
        assert parents - codes == {"270.04"}


def test_the_picker_finds_by_code_prefix_and_by_name(database: Database):
    rows = [("000", "Umum"), ("000.1", "Ketatausahaan"), ("000.2", "Dua"), ("000.10", "Sepuluh"),
            ("800", "Kepegawaian"), ("800.1", "Sumber Daya Manusia"), ("800.1.11", "Surat Perintah"),
            ("800.1.11.1", "Surat Tugas"), ("100", "Pemerintahan")]
    with database.transaction() as session:
        klasifikasi.import_csv(session, as_csv(rows, ("kode", "nama")))
        session.get(Klasifikasi, "000.2").active = False
    with database.transaction(write=False) as session:
        assert [k.code for k in klasifikasi.search(session, "000.")] == ["000.1", "000.10"]
        assert [k.code for k in klasifikasi.search(session, "surat")] == ["800.1.11", "800.1.11.1"]
        assert [k.code for k in klasifikasi.search(session, "SURAT TUGAS")] == ["800.1.11.1"]
        assert [k.code for k in klasifikasi.search(session, "")] == ["000", "100", "800"]
        assert [k.code for k in klasifikasi.search(session, "8", limit=2)] == ["800", "800.1"]
        assert klasifikasi.search(session, "100%") == []
        assert not klasifikasi.exists(session, "000.2") and klasifikasi.get(session, "000.2") is not None


# --- import: columns, upsert and refusals ---------------------------------------------------------------


def test_a_semicolon_file_with_retention_and_aliases_imports(database: Database):
    text = as_csv(
        [("800.1.11.1", "Surat Tugas", "2 tahun", "3", "Musnah", "x"),
         ("000.8.3.3", "SOP", "5", "10", "Dinilai Kembali", ""),
         ("000.8.3", "Standar Pelayanan", "", "", "PERMANEN", "")],
        header=("Code", "Name", "Retensi Aktif", "retensi_inaktif", "Nasib Akhir", "Keterangan"),
        delimiter=";",
    )
    with database.transaction() as session:
        report = klasifikasi.import_csv(session, text)
    assert (report.created, report.updated, report.orphans) == (3, 0, ["000.8.3", "800.1.11.1"])
    assert snapshot(database) == [
        ("000.8.3", "Standar Pelayanan", "000.8", 3, None, None, "permanen", True),
        ("000.8.3.3", "SOP", "000.8.3", 4, 5, 10, "dinilai_kembali", True),
        ("800.1.11.1", "Surat Tugas", "800.1.11", 4, 2, 3, "musnah", True),
    ]


def test_an_import_updates_existing_codes_and_leaves_absent_columns_alone(database: Database):
    with database.transaction() as session:
        klasifikasi.import_csv(
            session,
            as_csv([("000.8", "Organisasi", "2", "5", "musnah")],
                   ("kode", "nama", "retensi_aktif", "retensi_inaktif", "nasib_akhir")),
        )
    with database.transaction() as session:
        report = klasifikasi.import_csv(session, as_csv([("000.8", "Organisasi dan Tata Laksana"), ("000.9", "Baru")],
                                                        ("kode", "nama")))
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    with database.transaction() as session:
        again = klasifikasi.import_csv(session, as_csv([("000.8", "Organisasi dan Tata Laksana", "")],
                                                       ("kode", "nama", "nasib_akhir")))
    assert (again.created, again.updated) == (0, 1)
    assert snapshot(database) == [
        ("000.8", "Organisasi dan Tata Laksana", "000", 2, 2, 5, None, True),  # an empty cell clears
        ("000.9", "Baru", "000", 2, None, None, None, True),
    ]


def test_a_bad_file_is_refused_whole_with_each_row_and_column_named(database: Database):
    with database.transaction() as session:
        klasifikasi.seed(session)
    before = snapshot(database)
    bad = as_csv(
        [("000", "Umum Diubah", "", ""),
         ("0.1", "Excel memakan nol", "", ""),
         ("000.1.2.3.4", "Terlalu dalam", "", ""),
         ("000.1", "", "", ""),
         ("000", "Dua kali", "", ""),
         ("800.1", "Retensi aneh", "lima", "Dibakar")],
        header=("kode", "nama", "retensi_aktif", "nasib_akhir"),
    )
    problems = problems_of(database, bad)
    assert problems == [
        "klasifikasi.csv, baris 3, kolom kode: kode '0.1' tidak sah; tulis seperti 000, 000.8 atau 800.1.11.1 "
        "(paling banyak empat tingkat)",
        "klasifikasi.csv, baris 4, kolom kode: kode '000.1.2.3.4' tidak sah; tulis seperti 000, 000.8 atau "
        "800.1.11.1 (paling banyak empat tingkat)",
        "klasifikasi.csv, baris 5, kolom nama: wajib diisi",
        "klasifikasi.csv, baris 6, kolom kode: 000 sudah ada di baris 2",
        "klasifikasi.csv, baris 7, kolom retensi_aktif: 'lima' bukan jumlah tahun (mis. 2 atau 5 tahun)",
        "klasifikasi.csv, baris 7, kolom nasib_akhir: 'Dibakar' bukan nasib akhir; isi Musnah, Permanen atau "
        "Dinilai Kembali",
    ]
    assert problems_of(database, bad, "en")[2] == "klasifikasi.csv, row 5, column nama: required"
    assert snapshot(database) == before  # "Umum Diubah" on a good row was not applied either


def test_a_file_without_the_columns_or_not_utf8_or_too_big_is_refused(database: Database, monkeypatch):
    assert problems_of(database, "kode;uraian\n000;Umum\n") == [
        "klasifikasi.csv, baris 1, kolom uraian: kolom 'uraian' tidak dikenal; kolom yang dipakai: kode, nama, "
        "retensi_aktif, retensi_inaktif, nasib_akhir",
        "klasifikasi.csv, baris 1, kolom nama: kolom wajib 'nama' tidak ada",
    ]
    assert problems_of(database, "kode,nama\n000,Umum\n100,Pem\xe9rintahan\n".encode("latin-1")) == [
        'klasifikasi.csv: bukan teks UTF-8 (baris 3); simpan sebagai "CSV UTF-8"'
    ]
    assert problems_of(database, "  \n") == ["klasifikasi.csv: berkas kosong"]
    monkeypatch.setattr(klasifikasi, "MAX_BYTES", 100)
    (too_big,) = problems_of(database, as_csv([("000", "Umum")] * 20))
    assert too_big.startswith("klasifikasi.csv: berkas lebih dari")
    assert snapshot(database) == []


# --- the command line -------------------------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("LONTAR_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("LONTAR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    return runner


def test_lontar_klasifikasi_seed_and_import(cli: CliRunner, tmp_path: Path):
    seeded = cli.invoke(main, ["klasifikasi", "seed"])
    assert (seeded.exit_code, seeded.output.strip()) == (0, "10 kode ditambahkan")
    assert cli.invoke(main, ["klasifikasi", "seed"]).output.strip() == "0 kode ditambahkan"
    good = tmp_path / "jra.csv"
    good.write_text(
        as_csv([("000", "Umum"), ("100", "Pemerintahan Daerah"), ("000.8", "Organisasi"), ("000.8.3.3", "SOP")],
               ("kode", "nama"))
    )
    imported = cli.invoke(main, ["klasifikasi", "import", str(good)])
    assert imported.exit_code == 0, imported.output
    assert imported.output.splitlines() == ["2 baru, 1 diubah, 1 tetap", "1 kode tanpa kode induk: 000.8.3.3"]
    bad = tmp_path / "rusak.csv"
    bad.write_text(as_csv([("000.8", "Organisasi Baru"), ("0008", "Salah")], ("kode", "nama")))
    refused = cli.invoke(main, ["klasifikasi", "import", str(bad)])
    assert refused.exit_code == 1
    assert refused.output.splitlines()[0].startswith("klasifikasi.csv, baris 3, kolom kode: kode '0008' tidak sah")
    assert refused.output.splitlines()[-1] == "impor dibatalkan, tidak ada yang diubah"
    database = Database(f"sqlite:///{tmp_path / 'cli.db'}")
    with database.transaction(write=False) as session:
        assert session.get(Klasifikasi, "000.8").name == "Organisasi"
        assert session.scalars(select(AuditEvent.action)).all() == ["klasifikasi.imported"]
    database.dispose()
