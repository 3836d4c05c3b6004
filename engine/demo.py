"""Loading the demo organisation (engine.demo_data): `lontar demo load`, and the test fixtures.

Idempotent: what exists is left as it is (an admin may have changed it while trying the demo),
what is missing is created, so the README's start command can run it every time.  Seed data is
not an administrative act: it writes no audit rows.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import instructions, klasifikasi
from engine.demo_data import PLT, POSITIONS, ROLE_MAPPINGS, SIGNING_RULES, SKPD_ORDER, UNITS, USERS, DemoUser
from engine.models import Position, PositionHolder, RoleMapping, SigningRule, Unit, User, UserRole
from engine.passwords import hash_password

DEMO_PASSWORD = "lontar-demo"  # noqa: S105 - printed on purpose: demo logins
DEMO_START = date(2026, 1, 1)

__all__ = ["DEMO_PASSWORD", "DemoUser", "grouped", "load_demo"]


def _units(session: Session) -> dict[str, Unit]:
    units: dict[str, Unit] = {u.code: u for u in session.scalars(select(Unit))}
    for code, name, kind, parent in UNITS:
        if code not in units:
            unit = Unit(code=code, name=name, kind=kind, parent_id=units[parent].id if parent else None)
            session.add(unit)
            session.flush()
            units[code] = unit
    return units


def _positions(session: Session, units: dict[str, Unit]) -> dict[str, Position]:
    positions: dict[str, Position] = {}
    for code, unit_code, name, reports_to, head, eselon in POSITIONS:
        unit = units[unit_code]
        found = session.scalars(select(Position).where(Position.code == code)).first()
        if found is None:  # a database from before positions had codes
            found = session.scalars(
                select(Position).where(Position.unit_id == unit.id, Position.name == name)
            ).first()
        if found is None:
            found = Position(
                code=code,
                unit_id=unit.id,
                name=name,
                is_head_of_unit=head,
                eselon=eselon,
                reports_to_id=positions[reports_to].id if reports_to else None,
            )
            session.add(found)
            session.flush()
        positions[code] = found
    return positions


def _acting_period(start: date) -> tuple[date, date]:
    """Three months from the first of this month, so that the demo's Plt is in office today."""
    begin = max(start, date.today().replace(day=1))
    month = begin.month + 2
    end = date(begin.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return begin, end


def load_demo(
    session: Session, *, today: date | None = None, password: str = DEMO_PASSWORD
) -> list[DemoUser]:
    """Create what is missing; return the demo users so the caller can print the logins.

    `today` is the day the definitif holdings start (default 2026-01-01)."""
    start = today or DEMO_START
    units = _units(session)
    positions = _positions(session, units)
    password_hash: str | None = None
    created: set[str] = set()
    for number, demo in enumerate(USERS, start=1):
        user = session.scalars(select(User).where(User.username == demo.username)).first()
        if user is not None:
            continue
        password_hash = password_hash or hash_password(password)
        user = User(
            username=demo.username,
            name=demo.name,
            nip=demo.nip,
            pangkat=demo.pangkat,
            email=f"{demo.username}@lontar.invalid",
            password_hash=password_hash,
        )
        session.add(user)
        session.flush()
        created.add(demo.username)
        if demo.position:
            session.add(
                PositionHolder(
                    position_id=positions[demo.position].id,
                    user_id=user.id,
                    kind="definitif",
                    valid_from=start,
                    sk_ref=f"800.1.3.2/{number:03d}/BKPSDM/{start.year}",
                )
            )
        for role, unit_code in demo.roles:
            session.add(
                UserRole(user_id=user.id, role=role, unit_id=units[unit_code].id if unit_code else None)
            )
    username, position_code, sk_ref = PLT
    if username in created:
        acting = session.scalars(select(User).where(User.username == username)).one()
        begin, end = _acting_period(start)
        session.add(
            PositionHolder(
                position_id=positions[position_code].id,
                user_id=acting.id,
                kind="plt",
                valid_from=begin,
                valid_to=end,
                sk_ref=sk_ref,
            )
        )
    for unit_code, role, target, position_code in ROLE_MAPPINGS:
        unit_id = units[unit_code].id if unit_code else None
        query = select(RoleMapping).where(RoleMapping.role == role)
        query = query.where(
            RoleMapping.unit_id.is_(None) if unit_id is None else RoleMapping.unit_id == unit_id
        )
        if session.scalars(query).first() is None:
            session.add(
                RoleMapping(
                    unit_id=unit_id,
                    role=role,
                    target=target,
                    position_id=positions[position_code].id if position_code else None,
                )
            )
    session.flush()
    _signing_rules(session, units, positions)
    klasifikasi.seed(session)
    instructions.seed(session)
    return USERS


def _signing_rules(session: Session, units: dict[str, Unit], positions: dict[str, Position]) -> None:
    """Diskominfo lets its Sekretaris sign letters within the Dinas a.n. the Kepala Dinas; the
    Pemda keeps the built-in rules (head of the unit, head of the SKPD)."""
    for unit_code, jenis, scope, position_code in SIGNING_RULES:
        unit_id = units[unit_code].id
        if session.scalars(select(SigningRule.id).where(SigningRule.unit_id == unit_id)).first() is None:
            session.add(SigningRule(unit_id=unit_id, jenis=jenis, scope=scope, signer="jabatan",
                                    signer_position_id=positions[position_code].id, atas_nama="kepala_skpd",
                                    sort=10))
    session.flush()


def grouped(users: list[DemoUser]) -> list[tuple[str, list[DemoUser]]]:
    """The logins by SKPD ("DINKES — Dinas Kesehatan"), in the order of the organisation chart."""
    order = {code: i for i, code in enumerate(SKPD_ORDER)}
    names = {code: name for code, name, _kind, _parent in UNITS}
    groups: dict[str, list[DemoUser]] = {}
    for user in users:
        groups.setdefault(user.skpd, []).append(user)
    ranked = sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))
    return [(f"{code} — {names.get(code, code)}", members) for code, members in ranked]
