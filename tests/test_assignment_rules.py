"""Resolution rules: one BPMN serves every SKPD, through per-unit variants and role mappings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from engine.audit import Actor
from engine.models import Position, PositionHolder, RoleMapping, Unit, User
from engine.passwords import hash_password
from tests.conftest import NOTA_DINAS
from tests.flow import APPROVE, DRAFT, act, inbox_of, instance_row, start, tasks_of

VARIANT = Path(__file__).resolve().parents[1] / "processes" / "DISKOMINFO" / "nota_dinas.bpmn"


def _unit(session, code: str) -> Unit:  # type: ignore[no-untyped-def]
    return session.scalars(select(Unit).where(Unit.code == code)).one()


def _position(session, name: str) -> Position:  # type: ignore[no-untyped-def]
    return session.scalars(select(Position).where(Position.name == name)).one()


def _person(session, username: str, position: Position, kind: str = "definitif") -> User:  # type: ignore[no-untyped-def]
    person = User(username=username, name=username.title(), password_hash=hash_password("x"))
    session.add(person)
    session.flush()
    session.add(PositionHolder(position_id=position.id, user_id=person.id, kind=kind, valid_from=date(2026, 1, 1)))
    return person


def _deploy(db, engine, data: bytes, unit_code: str | None = None) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        unit_id = _unit(session, unit_code).id if unit_code else None
        engine.registry.deploy(session, data, actor=Actor(None, "test"), filename="nota_dinas.bpmn", unit_id=unit_id)


def _map_sekretaris(db, unit_code: str, position_name: str) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        unit_id = _unit(session, unit_code).id
        position_id = _position(session, position_name).id
        mapping = session.scalars(select(RoleMapping).where(RoleMapping.unit_id == unit_id,
                                                            RoleMapping.role == "sekretaris")).first()
        if mapping is None:
            mapping = RoleMapping(unit_id=unit_id, role="sekretaris", target="position")
            session.add(mapping)
        mapping.target, mapping.position_id = "position", position_id


def _no_sekretaris_mappings(db) -> None:  # type: ignore[no-untyped-def]
    """Start from no mapping at all, whatever the demo organisation ships."""
    with db.transaction() as session:
        for mapping in session.scalars(select(RoleMapping).where(RoleMapping.role == "sekretaris")):
            session.delete(mapping)


def test_start_uses_the_units_variant_and_other_units_the_default(deployed, engine):
    _deploy(deployed, engine, VARIANT.read_bytes(), "DISKOMINFO")
    _map_sekretaris(deployed, "DISKOMINFO", "Sekretaris Dinas Kominfo")
    with deployed.transaction() as session:
        _person(session, "sekdis", _position(session, "Sekretaris Dinas Kominfo"))
    kominfo = start(deployed, engine, "budi")
    dinkes = start(deployed, engine, "rina")
    assert instance_row(deployed, kominfo).version.unit_id is not None
    assert instance_row(deployed, dinkes).version.unit_id is None

    act(deployed, engine, "budi", kominfo, DRAFT)
    act(deployed, engine, "sari", kominfo, APPROVE)
    assert [n for _, n, iid in inbox_of(deployed, engine, "sekdis") if iid == kominfo] == ["Paraf Sekretaris Dinas"]
    assert inbox_of(deployed, engine, "agus") == []  # the Kepala waits for the Sekretaris's paraf
    act(deployed, engine, "sekdis", kominfo, APPROVE)
    act(deployed, engine, "agus", kominfo, APPROVE)
    assert instance_row(deployed, kominfo).status == "completed"

    act(deployed, engine, "rina", dinkes, DRAFT)
    act(deployed, engine, "hadi", dinkes, APPROVE)
    assert [n for _, n, iid in inbox_of(deployed, engine, "wati") if iid == dinkes] == ["Persetujuan kepala unit"]


def test_a_sub_unit_uses_the_nearest_variant_up_the_tree(deployed, engine):
    _deploy(deployed, engine, VARIANT.read_bytes(), "DISKOMINFO")
    with deployed.transaction() as session:
        aptika = _unit(session, "DISKOMINFO.APTIKA")
        found = engine.registry.version_for_start(session, "nota_dinas", aptika.id)
        assert found.unit_id == _unit(session, "DISKOMINFO").id
        assert engine.registry.version_for_start(session, "nota_dinas", _unit(session, "DINKES").id).unit_id is None


def test_retired_variant_falls_back_to_the_default(deployed, engine):
    _deploy(deployed, engine, VARIANT.read_bytes(), "DISKOMINFO")
    with deployed.transaction() as session:
        kominfo = _unit(session, "DISKOMINFO").id
        variant = engine.registry.version_for_start(session, "nota_dinas", kominfo)
        variant.retired_at = engine.clock.now()
    with deployed.transaction() as session:
        assert engine.registry.version_for_start(session, "nota_dinas", kominfo).unit_id is None


def test_role_mapping_is_inherited_from_the_parent_and_overridden_below(org, engine):
    _deploy(org, engine, VARIANT.read_bytes(), "DISKOMINFO")  # only to have a 'sekretaris' lane
    _no_sekretaris_mappings(org)
    with org.transaction() as session:
        pemkab = _unit(session, "PEMKAB")
        session.add(RoleMapping(unit_id=pemkab.id, role="sekretaris", target="head"))  # Pemda-wide
        _person(session, "sekdis", _position(session, "Sekretaris Dinas Kominfo"))
    instance_id = start(org, engine, "budi")
    act(org, engine, "budi", instance_id, DRAFT)
    act(org, engine, "sari", instance_id, APPROVE)
    ready = [t for t in tasks_of(org, instance_id) if t.status == "ready"][0]
    assert ready.rule == "sekretaris: pemetaan PEMKAB -> kepala_unit: kepala unit"
    assert [n for _, n, iid in inbox_of(org, engine, "agus") if iid == instance_id] == ["Paraf Sekretaris Dinas"]

    _map_sekretaris(org, "DISKOMINFO", "Sekretaris Dinas Kominfo")  # the unit's own mapping wins
    second = start(org, engine, "budi")
    act(org, engine, "budi", second, DRAFT)
    act(org, engine, "sari", second, APPROVE)
    ready = [t for t in tasks_of(org, second) if t.status == "ready"][0]
    assert ready.rule == "sekretaris: pemetaan DISKOMINFO"
    assert [n for _, n, iid in inbox_of(org, engine, "sekdis") if iid == second] == ["Paraf Sekretaris Dinas"]


def test_atasan_is_the_superior_of_the_position_the_actor_acted_in(deployed, engine):
    """Budi also holds a Dinkes post as Plt; his draft was written as Pranata Komputer, so the
    review goes to Sari (his superior there), not to the Kabid Yankes."""
    with deployed.transaction() as session:
        budi = session.scalars(select(User).where(User.username == "budi")).one()
        session.add(PositionHolder(position_id=_position(session, "Analis Pelayanan Kesehatan").id, user_id=budi.id,
                                   kind="plt", valid_from=date(2026, 1, 1)))
    instance_id = start(deployed, engine, "budi")
    act(deployed, engine, "budi", instance_id, DRAFT)
    assert [n for _, n, iid in inbox_of(deployed, engine, "sari") if iid == instance_id] == ["Periksa (atasan langsung)"]
    assert [iid for _, _, iid in inbox_of(deployed, engine, "hadi")] == []


def test_appointment_made_later_reaches_tasks_already_open(deployed, engine):
    instance_id = start(deployed, engine, "budi")
    act(deployed, engine, "budi", instance_id, DRAFT)
    with deployed.transaction() as session:
        _person(session, "plh_kabid", _position(session, "Kepala Bidang Aplikasi Informatika"), kind="plh")
    assert [n for _, n, iid in inbox_of(deployed, engine, "plh_kabid") if iid == instance_id] == [
        "Periksa (atasan langsung)"
    ]
    act(deployed, engine, "plh_kabid", instance_id, APPROVE)
    with deployed.transaction(write=False) as session:
        from engine.models import AuditEvent

        last = session.scalars(select(AuditEvent).where(AuditEvent.instance_id == instance_id,
                                                        AuditEvent.action == "task.completed")
                               .order_by(AuditEvent.seq.desc())).first()
    assert last.actor_position == "Plh. Kepala Bidang Aplikasi Informatika"


def test_default_flow_file_is_unchanged_by_the_variant():
    assert b"paraf_sekretaris" not in NOTA_DINAS.read_bytes()
