"""CSV import and export of the organisation (engine.org_csv, engine.org_import), on both databases.

Every bad file is refused as a whole: the error names file, row and column, and the table
counts and the audit trail are exactly what they were before.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, select, update

from engine import audit
from engine.db import Database
from engine.models import (
    AuditEvent,
    Delegation,
    Position,
    PositionHolder,
    RoleMapping,
    SigningRule,
    Unit,
    User,
    UserRole,
)
from engine.org_admin import count_rows
from engine.org_csv import MAX_BYTES, export_tables
from engine.org_import import ImportFailed, import_org
from engine.org_rules import has_password
from engine.org_scope import admin_scope, whole_pemda
from engine.passwords import verify_password

TODAY = date(2026, 11, 23)
ACTOR = audit.Actor(None, "test import")


def export(db: Database) -> dict[str, bytes]:
    with db.transaction(write=False) as session:
        return {
            name[:-4]: text.encode()
            for name, text in export_tables(session, whole_pemda(session), today=TODAY).items()
        }


def run(db: Database, files: dict[str, bytes], *, scope_user: str | None = None, dry_run: bool = False):  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        if scope_user is None:
            scope = whole_pemda(session)
        else:
            uid = session.scalar(select(User.id).where(User.username == scope_user))
            scope = admin_scope(session, uid)
        return import_org(session, files, scope=scope, actor=ACTOR, today=TODAY, dry_run=dry_run)


def state(db: Database) -> tuple[dict[str, int], int]:
    with db.transaction(write=False) as session:
        return count_rows(session), session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def write(table: list[dict[str, str]], columns: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or list(table[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return out.getvalue().encode()


def wipe(db: Database) -> None:
    with db.transaction() as session:
        for model in (SigningRule, RoleMapping, Delegation, UserRole, PositionHolder):
            session.execute(delete(model))
        session.execute(update(Position).values(reports_to_id=None))
        session.execute(delete(Position))
        session.execute(update(Unit).values(parent_id=None))
        session.execute(delete(Unit))
        session.execute(delete(User))


# --- round trip and idempotence ----------------------------------------------------------------


def test_export_import_into_an_empty_database_and_export_again_gives_the_same_files(org):
    first = export(org)
    assert {"units", "positions", "users"} == set(first)
    wipe(org)
    assert state(org)[0]["unit"] == 0
    report = run(org, first)
    assert report.counts()["unit"]["created"] == len(rows(first["units"]))
    assert report.counts()["holding"]["created"] > 40
    assert export(org) == first


def test_the_same_files_twice_change_nothing_and_the_report_says_so(org):
    files = export(org)
    before = state(org)
    report = run(org, files)
    assert report.changed == 0 and report.lines() == []
    counts = report.counts()
    assert counts["unit"] == {
        "created": 0,
        "updated": 0,
        "unchanged": len(rows(files["units"])),
        "removed": 0,
    }
    assert counts["user"]["unchanged"] == len({r["username"] for r in rows(files["users"])})
    assert state(org) == before  # not even an audit row


def test_the_report_names_each_change_with_its_row_and_the_audit_keeps_before_and_after(org):
    files = export(org)
    units = rows(files["units"])
    yankes = next(i for i, r in enumerate(units) if r["code"] == "DINKES.YANKES")
    units[yankes]["name"] = "Bidang Pelayanan dan Sumber Daya Kesehatan"
    units.append(
        {
            "code": "DINKES.SDK",
            "name": "Bidang Sumber Daya Kesehatan",
            "kind": "bidang",
            "parent_code": "DINKES",
        }
    )
    positions = [
        {
            "code": "DINKES.SDK.KABID",
            "unit_code": "DINKES.SDK",
            "name": "Kepala Bidang SDK",
            "reports_to": "DINKES.KADIS",
            "is_head_of_unit": "1",
            "eselon": "III.b",
        }
    ]
    users = [
        {
            "username": "gita",
            "nip": "199001012015032099",
            "name": "Gita Permata",
            "pangkat": "Penata (III/c)",
            "email": "",
            "active": "1",
            "position_code": "DINKES.SDK.KABID",
            "holder_kind": "definitif",
            "valid_from": "2026-02-01",
            "valid_to": "",
            "sk_ref": "SK 1",
            "roles": "pencatat@DINKES.SDK",
        }
    ]
    report = run(org, {"units": write(units), "positions": write(positions), "users": write(users)})
    lines = report.lines()
    assert f"units.csv:{yankes + 2} unit DINKES.YANKES: updated (name)" in lines
    assert f"units.csv:{len(units) + 1} unit DINKES.SDK: created" in lines
    assert "positions.csv:2 position DINKES.SDK.KABID: created" in lines
    assert (
        "users.csv:2 user gita: created" in lines
        and "users.csv:2 holding gita@DINKES.SDK.KABID: created" in lines
    )
    assert report.counts()["role"]["created"] == 1 and report.changed == 6
    with org.transaction(write=False) as session:
        renamed = session.scalars(select(AuditEvent).where(AuditEvent.action == "org.unit.updated")).one()
        assert renamed.chain == "system" and renamed.actor_name == "test import"
        assert renamed.before == {"name": "Bidang Pelayanan Kesehatan"}
        assert renamed.after == {"name": "Bidang Pelayanan dan Sumber Daya Kesehatan"}
        assert session.scalars(select(AuditEvent.action).where(AuditEvent.action == "org.imported")).one()
        assert audit.verify(session) == []


def test_new_people_get_no_usable_password(org):
    users = [{"username": "baru", "name": "Pegawai Baru"}]
    run(org, {"users": write(users)})
    with org.transaction(write=False) as session:
        person = session.scalars(select(User).where(User.username == "baru")).one()
        assert not has_password(person) and person.password_hash.startswith("!")
        assert not verify_password(person.password_hash, "") and not verify_password(
            person.password_hash, "!"
        )


def test_an_absent_column_leaves_the_value_and_an_empty_cell_clears_it(org):
    run(org, {"users": write([{"username": "budi", "name": "Budi Santoso, S.Kom."}])})  # no roles column
    run(org, {"users": write([{"username": "dewi", "name": "Dewi Lestari", "roles": ""}])})
    with org.transaction(write=False) as session:

        def roles(name: str) -> list[str]:
            uid = session.scalar(select(User.id).where(User.username == name))
            return session.scalars(select(UserRole.role).where(UserRole.user_id == uid)).all()

        assert roles("dewi") == []
        assert session.scalar(select(User.nip).where(User.username == "budi")) == "199001012015031001"


def test_bom_and_semicolons_from_an_indonesian_spreadsheet_are_read(org):
    data = "\ufeffcode;name;kind;parent_code\nDINKES.GIZI;Seksi Gizi;seksi;DINKES.YANKES\n".encode()
    report = run(org, {"units": data})
    assert report.counts()["unit"]["created"] == 1


def test_dry_run_reports_and_keeps_nothing(org):
    before = state(org)
    data = b"code,name,kind,parent_code\nDINKES.GIZI,Seksi Gizi,seksi,DINKES.YANKES\n"
    report = run(org, {"units": data}, dry_run=True)
    assert report.changed == 1 and state(org) == before


# --- a bad row: one clear message, nothing imported --------------------------------------------


UNITS = "code,name,kind,parent_code\n"


def _holding_row(**cells: str) -> bytes:
    row = {
        "username": "gita",
        "name": "Gita",
        "position_code": "DINKES.P2P.KABID",
        "holder_kind": "plt",
        "valid_from": TODAY.isoformat(),
        "valid_to": (TODAY + timedelta(days=30)).isoformat(),
        "sk_ref": "SK",
    }
    row.update(cells)
    return write([row])


BAD = {
    "unknown parent": (
        {"units": (UNITS + "A.BARU,Unit Baru,bidang,TIDAK.ADA\n").encode()},
        ("units", 2, "parent_code", "org.unknown_unit"),
    ),
    "cycle in the tree": (
        {"units": (UNITS + "DINKES,Dinas Kesehatan,dinas,DINKES.YANKES\n").encode()},
        ("units", 2, "parent_code", "org.unit_cycle"),
    ),
    "cycle of new units": (
        {"units": (UNITS + "X.A,A,bidang,X.B\nX.B,B,bidang,X.A\n").encode()},
        ("units", 2, "parent_code", "org.unit_cycle"),
    ),
    "cycle of superiors": (
        {
            "positions": b"code,unit_code,name,reports_to\nDINKES.KADIS,DINKES,Kepala Dinas Kesehatan,"
            b"DINKES.YANKES.KABID\n"
        },
        ("positions", 2, "reports_to", "org.position_cycle"),
    ),
    "duplicate code": (
        {"units": (UNITS + "A.X,Satu,bidang,DINKES\nA.X,Dua,bidang,DINKES\n").encode()},
        ("units", 3, "code", "csv.duplicate"),
    ),
    "unknown kind": (
        {"units": (UNITS + "A.X,Satu,kementerian,DINKES\n").encode()},
        ("units", 2, "kind", "org.unknown_kind"),
    ),
    "bad date": (
        {"users": _holding_row(valid_from="31-02-2026")},
        ("users", 2, "valid_from", "org.bad_date"),
    ),
    "unknown holding kind": (
        {"users": _holding_row(holder_kind="pejabat")},
        ("users", 2, "holder_kind", "org.unknown_holding_kind"),
    ),
    "unknown position": (
        {"users": _holding_row(position_code="TIDAK.ADA")},
        ("users", 2, "position_code", "org.unknown_position"),
    ),
    "unknown role": (
        {"users": write([{"username": "gita", "name": "Gita", "roles": "raja@DINKES"}])},
        ("users", 2, "roles", "org.unknown_role"),
    ),
    "bad boolean": (
        {"positions": b"code,unit_code,name,is_head_of_unit\nDINKES.X,DINKES,Staf,mungkin\n"},
        ("positions", 2, "is_head_of_unit", "org.bad_bool"),
    ),
    "two heads": (
        {"positions": b"code,unit_code,name,is_head_of_unit\nDINKES.X,DINKES,Kepala Kedua,1\n"},
        ("positions", 2, "is_head_of_unit", "org.head_taken"),
    ),
    "nip used twice": (
        {"users": write([{"username": "gita", "name": "Gita", "nip": "199001012015031001"}])},
        ("users", 2, "nip", "org.nip_taken"),
    ),
    "unknown column": ({"units": b"code,name,jenis\nA,B,C\n"}, ("units", 1, "jenis", "csv.unknown_column")),
    "missing column": ({"units": b"code,name\nA,B\n"}, ("units", 1, "kind", "csv.missing_column")),
    "not utf-8": (
        {"units": (UNITS + "A.X,Bidang Pengendalian,bidang,DINKES\n").encode("utf-16")},
        ("units", None, None, "csv.not_utf8"),
    ),
    "too big": ({"units": UNITS.encode() + b"x" * (MAX_BYTES + 1)}, ("units", None, None, "csv.too_big")),
    # found only while applying (after earlier rows were written in the savepoint)
    "plt on an occupied post": (
        {
            "units": (UNITS + "DINKES.BARU,Bidang Baru,bidang,DINKES\n").encode(),
            "users": _holding_row(position_code="DINKES.YANKES.KABID"),
        },
        ("users", 2, "holder_kind", "org.plt_not_vacant"),
    ),
    "plt without end": (
        {"users": _holding_row(valid_to="")},
        ("users", 2, "valid_to", "org.acting_needs_end"),
    ),
    "plt too long": (
        {"users": _holding_row(valid_to=(TODAY + timedelta(days=200)).isoformat())},
        ("users", 2, "valid_to", "org.acting_too_long"),
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_row_is_named_and_nothing_is_imported(org, case):
    files, (file, row, column, key) = BAD[case]
    before = state(org)
    with pytest.raises(ImportFailed) as failed:
        run(org, files)
    found = [(p.file, p.row, p.column, p.key) for p in failed.value.problems]
    assert (file, row, column, key) in found, found
    assert state(org) == before
    message = failed.value.problems[found.index((file, row, column, key))].message()
    assert message.startswith(f"{file}.csv")
    if row is not None:
        assert f"baris {row}" in message and (column is None or f"kolom {column}" in message)
    assert "tidak ada yang diubah" in failed.value.message()
    assert "nothing was changed" in failed.value.message("en")


def test_every_problem_of_a_file_is_listed_at_once(org):
    data = (UNITS + "A.X,Satu,kementerian,DINKES\nA.Y,,bidang,DINKES\n").encode()
    with pytest.raises(ImportFailed) as failed:
        run(org, {"units": data})
    assert [(p.row, p.column) for p in failed.value.problems] == [(2, "kind"), (3, "name")]


# --- the scope of a unit admin -----------------------------------------------------------------


def test_a_unit_admin_imports_inside_the_subtree_only(org):
    before = state(org)
    outside = (
        UNITS + "DINKES.GIZI,Seksi Gizi,seksi,DINKES.YANKES\nDISKOMINFO.X,Bidang X,bidang,DISKOMINFO\n"
    ).encode()
    with pytest.raises(ImportFailed) as failed:
        run(org, {"units": outside}, scope_user="admin.dinkes")
    assert [(p.row, p.column, p.key) for p in failed.value.problems] == [(3, "code", "org.out_of_scope")]
    moved = (UNITS + "DINKES,Dinas Kesehatan,dinas,SETDA\n").encode()
    with pytest.raises(ImportFailed) as failed:
        run(org, {"units": moved}, scope_user="admin.dinkes")
    assert failed.value.problems[0].key == "org.root_parent"
    stranger = write([{"username": "budi", "name": "Budi", "roles": ""}])
    with pytest.raises(ImportFailed) as failed:
        run(org, {"users": stranger}, scope_user="admin.dinkes")
    assert failed.value.problems[0].key == "org.out_of_scope"
    assert state(org) == before
    report = run(
        org,
        {"units": (UNITS + "DINKES.GIZI,Seksi Gizi,seksi,DINKES.YANKES\n").encode()},
        scope_user="admin.dinkes",
    )
    assert report.changed == 1


def test_a_unit_admin_exports_and_imports_back_their_own_part(org):
    with org.transaction(write=False) as session:
        uid = session.scalar(select(User.id).where(User.username == "admin.dinkes"))
        tables = export_tables(session, admin_scope(session, uid), today=TODAY)
    codes = [r["code"] for r in rows(tables["units.csv"].encode())]
    assert codes[0] == "DINKES" and all(c.startswith("DINKES") for c in codes)
    people = {r["username"] for r in rows(tables["users.csv"].encode())}
    assert {"rina", "hadi", "wati", "lestari", "bayu", "admin.dinkes"} <= people and "budi" not in people
    files = {name[:-4]: text.encode() for name, text in tables.items()}
    assert run(org, files, scope_user="admin.dinkes").changed == 0


# --- the command line --------------------------------------------------------------------------


def test_lontar_org_export_and_import_on_the_command_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from webapp.cli import main

    monkeypatch.setenv("LONTAR_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("LONTAR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    cli = CliRunner()
    assert cli.invoke(main, ["db", "upgrade"]).exit_code == 0
    assert cli.invoke(main, ["demo", "load"]).exit_code == 0
    out = tmp_path / "out"
    exported = cli.invoke(main, ["org", "export", str(out)])
    assert exported.exit_code == 0 and sorted(p.name for p in out.iterdir()) == [
        "positions.csv",
        "units.csv",
        "users.csv",
    ]
    again = cli.invoke(main, ["org", "import", *sorted(str(p) for p in out.iterdir())])
    assert again.exit_code == 0 and again.output.strip().endswith("0 perubahan"), again.output
    bad = tmp_path / "units.csv"
    bad.write_text("code,name,kind,parent_code\nX.BARU,Baru,kementerian,PEMKAB\n")
    refused = cli.invoke(main, ["org", "import", str(bad)])
    assert refused.exit_code == 1
    assert "units.csv, baris 2, kolom kind" in refused.output and "tidak ada yang diubah" in refused.output
    wrong_name = tmp_path / "orang.csv"
    wrong_name.write_text("username,name\nx,y\n")
    assert cli.invoke(main, ["org", "import", str(wrong_name)]).exit_code == 1
