"""The demo organisation: a small Pemkab with a few SKPD and one user per role.

Loaded by `lontar demo load`; idempotent (existing rows are left as they are), so the README's
start command can run it every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import Position, PositionHolder, Unit, User, UserRole
from engine.passwords import hash_password

DEMO_PASSWORD = "lontar-demo"  # noqa: S105 - printed on purpose: demo logins

UNITS = [
    # code, name, kind, parent code
    ("PEMKAB", "Pemerintah Kabupaten Lontar", "pemda", None),
    ("SETDA", "Sekretariat Daerah", "setda", "PEMKAB"),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas", "PEMKAB"),
    ("DISKOMINFO.APTIKA", "Bidang Aplikasi Informatika", "bidang", "DISKOMINFO"),
    ("DISKOMINFO.SEKRE", "Sekretariat Dinas Kominfo", "bagian", "DISKOMINFO"),
    ("DINKES", "Dinas Kesehatan", "dinas", "PEMKAB"),
    ("DINKES.YANKES", "Bidang Pelayanan Kesehatan", "bidang", "DINKES"),
    ("KEC.SUKAMAJU", "Kecamatan Sukamaju", "kecamatan", "PEMKAB"),
]

POSITIONS = [
    # key, unit code, name, reports_to key, head of unit, eselon
    ("bupati", "PEMKAB", "Bupati", None, True, None),
    ("sekda", "SETDA", "Sekretaris Daerah", "bupati", True, "II.a"),
    ("kadis_kominfo", "DISKOMINFO", "Kepala Dinas Komunikasi dan Informatika", "sekda", True, "II.b"),
    ("sekdis_kominfo", "DISKOMINFO.SEKRE", "Sekretaris Dinas Kominfo", "kadis_kominfo", True, "III.a"),
    ("kabid_aptika", "DISKOMINFO.APTIKA", "Kepala Bidang Aplikasi Informatika", "kadis_kominfo", True, "III.b"),
    ("pranata_aptika", "DISKOMINFO.APTIKA", "Pranata Komputer Ahli Muda", "kabid_aptika", False, None),
    ("pengadministrasi_kominfo", "DISKOMINFO.SEKRE", "Pengadministrasi Umum", "sekdis_kominfo", False, None),
    ("kadis_dinkes", "DINKES", "Kepala Dinas Kesehatan", "sekda", True, "II.b"),
    ("kabid_yankes", "DINKES.YANKES", "Kepala Bidang Pelayanan Kesehatan", "kadis_dinkes", True, "III.b"),
    ("staf_yankes", "DINKES.YANKES", "Analis Pelayanan Kesehatan", "kabid_yankes", False, None),
    ("camat_sukamaju", "KEC.SUKAMAJU", "Camat Sukamaju", "sekda", True, "III.a"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    nip: str
    pangkat: str
    position: str | None
    roles: tuple[tuple[str, str | None], ...] = ()
    what: str = ""


USERS = [
    DemoUser("budi", "Budi Santoso, S.Kom.", "199001012015031001", "Penata (III/c)", "pranata_aptika",
             what="konseptor, Diskominfo"),
    DemoUser("sari", "Sari Wulandari, S.T., M.T.", "198505052010012002", "Pembina (IV/a)", "kabid_aptika",
             what="atasan (Kabid Aptika)"),
    DemoUser("agus", "Drs. Agus Prasetyo, M.Si.", "197203031998031003", "Pembina Utama Muda (IV/c)", "kadis_kominfo",
             what="kepala unit (Kadis Kominfo)"),
    DemoUser("dewi", "Dewi Lestari", "199207072019032004", "Pengatur (II/c)", "pengadministrasi_kominfo",
             roles=(("pencatat", "DISKOMINFO"),), what="TU / pencatat Diskominfo"),
    DemoUser("rina", "Rina Marlina, S.KM.", "199303032020122005", "Penata Muda (III/a)", "staf_yankes",
             what="konseptor, Dinkes"),
    DemoUser("hadi", "dr. Hadi Kusuma", "198008082006041006", "Pembina (IV/a)", "kabid_yankes",
             what="atasan (Kabid Yankes)"),
    DemoUser("wati", "dr. Wati Handayani, M.Kes.", "197409092000032007", "Pembina Utama Muda (IV/c)", "kadis_dinkes",
             what="kepala unit (Kadis Dinkes)"),
    DemoUser("admin", "Admin Lontar", "199512122022031008", "Penata Muda (III/a)", None,
             roles=(("admin", None), ("designer", None)), what="admin dan perancang proses"),
    DemoUser("auditor", "Inspektur Pembantu", "198111112008011009", "Pembina (IV/a)", None,
             roles=(("auditor", None),), what="auditor (Inspektorat)"),
]


def load_demo(session: Session, *, today: date | None = None, password: str = DEMO_PASSWORD) -> list[DemoUser]:
    """Create what is missing; return the demo users so the caller can print the logins."""
    today = today or date(2026, 1, 1)
    units: dict[str, Unit] = {u.code: u for u in session.scalars(select(Unit))}
    for code, name, kind, parent in UNITS:
        if code not in units:
            unit = Unit(code=code, name=name, kind=kind, parent_id=units[parent].id if parent else None)
            session.add(unit)
            session.flush()
            units[code] = unit
    positions: dict[str, Position] = {}
    for key, unit_code, name, reports_to, head, eselon in POSITIONS:
        unit = units[unit_code]
        found = session.scalars(select(Position).where(Position.unit_id == unit.id, Position.name == name)).first()
        if found is None:
            found = Position(unit_id=unit.id, name=name, is_head_of_unit=head, eselon=eselon,
                             reports_to_id=positions[reports_to].id if reports_to else None)
            session.add(found)
            session.flush()
        positions[key] = found
    password_hash = None
    for demo in USERS:
        user = session.scalars(select(User).where(User.username == demo.username)).first()
        if user is None:
            password_hash = password_hash or hash_password(password)
            user = User(username=demo.username, name=demo.name, nip=demo.nip, pangkat=demo.pangkat,
                        email=f"{demo.username}@lontar.invalid", password_hash=password_hash)
            session.add(user)
            session.flush()
            if demo.position:
                session.add(PositionHolder(position_id=positions[demo.position].id, user_id=user.id,
                                           kind="definitif", valid_from=today, sk_ref="SK demo"))
            for role, unit_code in demo.roles:
                session.add(UserRole(user_id=user.id, role=role, unit_id=units[unit_code].id if unit_code else None))
    session.flush()
    return USERS
