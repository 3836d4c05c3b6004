"""Small additions to the demo organisation that the task-action tests need.

- `staff_under_kabid`: Joko, a new position "Analis Sistem Informasi" reporting to the Kabid
  Aptika (Sari), so Sari has a subordinate to delegate to besides Budi, the konseptor (or,
  with `superior`, someone new under another position).
- `acting_kabid`: someone holding the Kabid position as Plh (or Plt) for a period.
- `deputy_of`: a Delegation row: the deputy works the principal's inbox for a period.
- `unit_admin`: a user with the admin role for one unit's subtree.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from engine.db import Database
from engine.models import Delegation, Position, PositionHolder, Unit, User, UserRole
from engine.passwords import hash_password

KABID = "Kepala Bidang Aplikasi Informatika"
SARI = "Sari Wulandari, S.T., M.T."
PASSWORD = "pw-test"
SINCE = date(2026, 1, 1)


def _person(session, username: str, name: str) -> User:  # type: ignore[no-untyped-def]
    person = User(username=username, name=name, password_hash=hash_password(PASSWORD), email=f"{username}@test.invalid")
    session.add(person)
    session.flush()
    return person


def _position(session, name: str) -> Position:  # type: ignore[no-untyped-def]
    return session.scalars(select(Position).where(Position.name == name)).one()


def staff_under_kabid(
    db: Database,
    username: str = "joko",
    name: str = "Joko Susilo, S.Kom.",
    *,
    superior: str = KABID,
    position: str = "Analis Sistem Informasi",
) -> int:
    with db.transaction() as session:
        boss = _position(session, superior)
        analis = Position(unit_id=boss.unit_id, name=position, reports_to_id=boss.id)
        session.add(analis)
        person = _person(session, username, name)
        session.flush()
        session.add(PositionHolder(position_id=analis.id, user_id=person.id, kind="definitif", valid_from=SINCE))
        return person.id


def acting_kabid(
    db: Database,
    username: str = "tono",
    name: str = "Tono Plh",
    *,
    kind: str = "plh",
    valid_from: date = SINCE,
    valid_to: date | None = None,
) -> int:
    with db.transaction() as session:
        person = _person(session, username, name)
        session.add(PositionHolder(position_id=_position(session, KABID).id, user_id=person.id, kind=kind,
                                   valid_from=valid_from, valid_to=valid_to))
        return person.id


def deputy_of(db: Database, principal: str, username: str, name: str, valid_from: date, valid_to: date) -> int:
    with db.transaction() as session:
        person = _person(session, username, name)
        boss = session.scalars(select(User).where(User.username == principal)).one()
        session.add(Delegation(principal_id=boss.id, deputy_id=person.id, valid_from=valid_from, valid_to=valid_to,
                               reason="cuti"))
        return person.id


def unit_admin(db: Database, username: str, unit_code: str) -> int:
    with db.transaction() as session:
        person = _person(session, username, f"Admin {unit_code}")
        unit = session.scalars(select(Unit).where(Unit.code == unit_code)).one()
        session.add(UserRole(user_id=person.id, role="admin", unit_id=unit.id))
        return person.id
