"""The demo organisation: what the issue asks for, idempotent, and valid by the holding rules."""

from __future__ import annotations

from sqlalchemy import func, select

from engine.demo import load_demo
from engine.models import AuditEvent, Position, PositionHolder, RoleMapping, Unit, User, UserRole
from engine.org_admin import count_rows
from engine.org_csv import export_tables
from engine.org_rules import HoldingSpec, check_holding
from engine.org_scope import whole_pemda
from tests.flow import DRAFT, act, inbox_of, start


def _units(session) -> dict[str, Unit]:  # type: ignore[no-untyped-def]
    return {u.code: u for u in session.scalars(select(Unit))}


def _holders(session, code: str, today) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    rows = session.execute(
        select(User.username, PositionHolder.kind)
        .join(PositionHolder, PositionHolder.user_id == User.id)
        .join(Position, Position.id == PositionHolder.position_id)
        .where(Position.code == code)
        .where(PositionHolder.valid_from <= today)
        .where((PositionHolder.valid_to.is_(None)) | (PositionHolder.valid_to >= today))
    ).all()
    return sorted((u, k) for u, k in rows)


def test_loading_the_demo_twice_changes_nothing(org, engine):
    today = engine.clock.today()
    with org.transaction(write=False) as session:
        before = count_rows(session), export_tables(session, whole_pemda(session), today=today)
    with org.transaction() as session:
        load_demo(session, password="pw-test")
    with org.transaction(write=False) as session:
        after = count_rows(session), export_tables(session, whole_pemda(session), today=today)
        assert (
            session.scalar(select(func.count()).select_from(AuditEvent)) == 0
        )  # seed data is not an admin act
    assert after == before


def test_the_people_the_tests_and_the_readme_name_are_where_they_were(org, engine):
    today = engine.clock.today()
    with org.transaction(write=False) as session:
        assert _holders(session, "DISKOMINFO.APTIKA.PRANATA", today) == [("budi", "definitif")]
        assert _holders(session, "DISKOMINFO.APTIKA.KABID", today) == [("sari", "definitif")]
        assert _holders(session, "DISKOMINFO.KADIS", today) == [("agus", "definitif")]
        assert _holders(session, "DINKES.YANKES.ANALIS", today) == [("rina", "definitif")]
        assert _holders(session, "DINKES.YANKES.KABID", today) == [("hadi", "definitif")]
        assert _holders(session, "DINKES.KADIS", today) == [("wati", "definitif")]
        pranata = session.scalars(select(Position).where(Position.code == "DISKOMINFO.APTIKA.PRANATA")).one()
        assert (
            pranata.name == "Pranata Komputer Ahli Muda"
            and pranata.reports_to.code == "DISKOMINFO.APTIKA.KABID"
        )
        assert pranata.reports_to.reports_to.name == "Kepala Dinas Komunikasi dan Informatika"
        roles = {
            (u, r, c)
            for u, r, c in session.execute(
                select(User.username, UserRole.role, Unit.code)
                .join(UserRole, UserRole.user_id == User.id)
                .outerjoin(Unit, Unit.id == UserRole.unit_id)
                .where(User.username.in_(["admin", "dewi", "auditor"]))
            )
        }
        assert roles == {
            ("admin", "admin", None),
            ("admin", "designer", None),
            ("dewi", "pencatat", "DISKOMINFO"),
            ("auditor", "auditor", None),
        }
        names = dict(session.execute(select(User.username, User.name)).all())
        assert names["budi"] == "Budi Santoso, S.Kom." and names["sari"] == "Sari Wulandari, S.T., M.T."


def test_the_demo_has_what_the_issue_lists(org, engine):
    today = engine.clock.today()
    with org.transaction(write=False) as session:
        units = _units(session)
        for code in (
            "PEMKAB.BUPATI",
            "PEMKAB.WABUP",
            "SETDA.SEKDA",
            "INSPEKTORAT.INSPEKTUR",
            "KEC.SUKAMAJU.CAMAT",
            "KEC.SUKAMAJU.SEKRE.SEKCAM",
        ):
            assert len(_holders(session, code, today)) == 1, code
        asisten = [u for u in units.values() if u.kind == "asisten" and u.parent.code == "SETDA"]
        assert len(asisten) == 3
        skpd = [u for u in units.values() if u.kind in ("dinas", "badan")]
        assert len(skpd) >= 4
        for unit in skpd:
            below = [u for u in units.values() if u.parent_id == unit.id]
            assert [u.kind for u in below].count("sekretariat_opd") == 1, unit.code
            bidang = [u for u in below if u.kind == "bidang"]
            assert len(bidang) >= 2, unit.code
            for sub in [unit, *below]:
                head = session.scalars(
                    select(Position).where(Position.unit_id == sub.id, Position.is_head_of_unit.is_(True))
                ).one()
                assert head.reports_to is not None, head.code
            for sub in bidang:
                staff = session.scalars(
                    select(Position).where(Position.unit_id == sub.id, Position.is_head_of_unit.is_(False))
                ).all()
                assert staff and all(p.reports_to.unit_id == sub.id for p in staff), sub.code
        desa = [u for u in units.values() if u.kind == "desa"]
        assert len(desa) == 2 and all(u.parent.code == "KEC.SUKAMAJU" for u in desa)
        for village in desa:
            assert len(_holders(session, f"{village.code}.KADES", today)) == 1
            assert len(_holders(session, f"{village.code}.SEKDES", today)) == 1
        for code in ("SETDA", "INSPEKTORAT", "DISKOMINFO", "DINKES", "BAPPERIDA", "BKPSDM", "KEC.SUKAMAJU"):
            kinds = set(session.scalars(select(UserRole.role).where(UserRole.unit_id == units[code].id)))
            assert {"pencatat", "admin"} <= kinds, code
        kadis = session.scalars(
            select(User).join(PositionHolder).join(Position).where(Position.code == "DINKES.KADIS")
        ).one()
        assert kadis.nip and len(kadis.nip) == 18 and kadis.pangkat == "Pembina Utama Muda (IV/c)"


def test_the_plt_fills_a_vacant_kabid_with_dates_and_sk(org, engine):
    today = engine.clock.today()
    with org.transaction(write=False) as session:
        assert _holders(session, "DINKES.P2P.KABID", today) == [("lestari", "plt")]
        plt = session.scalars(select(PositionHolder).where(PositionHolder.kind == "plt")).one()
        assert plt.valid_to is not None and plt.sk_ref and plt.valid_from <= today <= plt.valid_to
        assert _holders(session, "DINKES.SEKRE.SEKRETARIS", today) == [
            ("lestari", "definitif")
        ]  # keeps her own post


def test_every_demo_holding_obeys_the_holding_rules(org):
    with org.transaction(write=False) as session:
        for holding in session.scalars(select(PositionHolder)):
            spec = HoldingSpec(
                holding.position, holding.user, holding.kind, holding.valid_from, holding.valid_to
            )
            check_holding(session, spec, ignore_id=holding.id)


def test_the_sekretaris_role_is_mapped_for_diskominfo_and_by_default(org):
    with org.transaction(write=False) as session:
        mappings = {
            (
                m.unit_id and session.get(Unit, m.unit_id).code,
                m.role,
                m.target,
                m.position_id and session.get(Position, m.position_id).code,
            )
            for m in session.scalars(select(RoleMapping))
        }
    assert mappings == {
        ("DISKOMINFO", "sekretaris", "position", "DISKOMINFO.SEKRE.SEKRETARIS"),
        (None, "sekretaris", "head", None),
    }


def test_the_epidemiologs_draft_reaches_the_plt_kabid(deployed, engine):
    instance_id = start(deployed, engine, "fitri")
    act(deployed, engine, "fitri", instance_id, DRAFT)
    assert [n for _, n, iid in inbox_of(deployed, engine, "lestari") if iid == instance_id] == [
        "Periksa (atasan langsung)"
    ]
