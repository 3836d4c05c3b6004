"""The admin services (engine.org_admin, engine.org_assign): scope, rules, audit; both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engine import audit
from engine.errors import NotFound
from engine.models import AuditEvent, Delegation, Position, PositionHolder, RoleMapping, Unit, User, UserRole
from engine.org_admin import PositionInput, UnitInput, count_rows, create_unit, update_position, update_unit
from engine.org_assign import (
    DelegationInput,
    HoldingInput,
    MappingInput,
    appoint,
    delegate,
    delete_mapping,
    end_holding,
    set_mapping,
)
from engine.org_people import UserInput, create_user, grant_role, revoke_role, set_active
from engine.org_rules import OrgInvalid
from engine.org_scope import admin_scope, unit_tree
from engine.passwords import verify_password
from tests.flow import DRAFT, act, inbox_of, start


def _scope(session, username: str):  # type: ignore[no-untyped-def]
    return admin_scope(session, _user(session, username).id)


def _user(session, username: str) -> User:  # type: ignore[no-untyped-def]
    return session.scalars(select(User).where(User.username == username)).one()


def _position(session, code: str) -> Position:  # type: ignore[no-untyped-def]
    return session.scalars(select(Position).where(Position.code == code)).one()


def _unit(session, code: str) -> Unit:  # type: ignore[no-untyped-def]
    return session.scalars(select(Unit).where(Unit.code == code)).one()


def _edit(position: Position, **changes) -> PositionInput:  # type: ignore[no-untyped-def]
    values = {
        "code": position.code,
        "unit_id": position.unit_id,
        "name": position.name,
        "reports_to_id": position.reports_to_id,
        "is_head_of_unit": position.is_head_of_unit,
        "eselon": position.eselon,
    }
    values.update(changes)
    return PositionInput(**values)


def _counts(db):  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        return count_rows(session), session.scalar(select(func.count()).select_from(AuditEvent))


def test_an_admin_of_dinkes_edits_a_dinkes_position_but_not_a_diskominfo_one(org):
    with org.transaction() as session:
        scope = _scope(session, "admin.dinkes")
        mine = _position(session, "DINKES.YANKES.ANALIS")
        update_position(session, scope, mine.id, _edit(mine, name="Analis Pelayanan Kesehatan Ahli Muda"))
        theirs = _position(session, "DISKOMINFO.APTIKA.PRANATA")
        with pytest.raises(NotFound):
            update_position(session, scope, theirs.id, _edit(theirs, name="Diubah dari Dinkes"))
    with org.transaction(write=False) as session:
        assert _position(session, "DINKES.YANKES.ANALIS").name == "Analis Pelayanan Kesehatan Ahli Muda"
        assert _position(session, "DISKOMINFO.APTIKA.PRANATA").name == "Pranata Komputer Ahli Muda"
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "org.position.updated")).one()
        assert event.chain == "system" and event.instance_id is None
        assert event.actor_name == "Agung Setiawan, S.Kom." and event.actor_position == "Admin DINKES"
        assert event.before == {"name": "Analis Pelayanan Kesehatan"}
        assert event.after == {"name": "Analis Pelayanan Kesehatan Ahli Muda"}
        assert audit.verify(session) == []


def test_the_scope_is_the_subtree_and_a_global_admin_sees_everything(org):
    with org.transaction(write=False) as session:
        dinkes = {n.code for n in unit_tree(session, _scope(session, "admin.dinkes"))}
        assert dinkes == {"DINKES", "DINKES.SEKRE", "DINKES.YANKES", "DINKES.P2P"}
        camat = {n.code for n in unit_tree(session, _scope(session, "admin.sukamaju"))}
        assert "KEC.SUKAMAJU.MEKARSARI" in camat and "DINKES" not in camat
        assert len(unit_tree(session, _scope(session, "admin"))) == session.scalar(
            select(func.count()).select_from(Unit)
        )
        assert _scope(session, "budi") is None and _scope(session, "auditor") is None


def test_a_unit_admin_cannot_reach_outside_or_move_their_root(org):
    before = _counts(org)
    with org.transaction() as session:
        scope = _scope(session, "admin.dinkes")
        setda = _unit(session, "SETDA")
        with pytest.raises(OrgInvalid) as refused:
            create_unit(session, scope, UnitInput("SETDA.BARU", "Bagian Baru", "bagian", setda.id))
        assert (refused.value.key, refused.value.field) == ("org.out_of_scope", "parent_id")
        with pytest.raises(NotFound):
            update_unit(session, scope, setda.id, UnitInput("SETDA", "Setda", "setda", None))
        root = _unit(session, "DINKES")
        with pytest.raises(OrgInvalid) as refused:
            update_unit(session, scope, root.id, UnitInput("DINKES", "Dinas Kesehatan", "dinas", setda.id))
        assert refused.value.key == "org.root_parent"
    assert _counts(org) == before


def test_cycles_and_two_heads_are_refused(org):
    with org.transaction() as session:
        scope = _scope(session, "admin")
        dinkes, yankes = _unit(session, "DINKES"), _unit(session, "DINKES.YANKES")
        with pytest.raises(OrgInvalid) as refused:
            update_unit(session, scope, dinkes.id, UnitInput("DINKES", dinkes.name, "dinas", yankes.id))
        assert refused.value.key == "org.unit_cycle"
        kadis, kabid = _position(session, "DINKES.KADIS"), _position(session, "DINKES.YANKES.KABID")
        with pytest.raises(OrgInvalid) as refused:
            update_position(session, scope, kadis.id, _edit(kadis, reports_to_id=kabid.id))
        assert (refused.value.key, refused.value.field) == ("org.position_cycle", "reports_to_id")
        analis = _position(session, "DINKES.YANKES.ANALIS")
        with pytest.raises(OrgInvalid) as refused:
            update_position(session, scope, analis.id, _edit(analis, is_head_of_unit=True))
        assert refused.value.key == "org.head_taken"


@pytest.mark.parametrize(
    ("code", "kind", "days", "key"),
    [
        ("DINKES.YANKES.KABID", "plt", 30, "org.plt_not_vacant"),  # hadi holds it: a Plt is for a vacancy
        ("DINKES.YANKES.KABID", "definitif", None, "org.position_taken"),
        ("DINKES.P2P.KABID", "plt", 30, "org.acting_taken"),  # lestari is Plt already
        ("DINKES.YANKES.KABID", "plh", None, "org.acting_needs_end"),
        ("DINKES.YANKES.KABID", "plh", 200, "org.acting_too_long"),
    ],
)
def test_the_holding_rules(org, engine, code, kind, days, key):
    today = engine.clock.today()
    with org.transaction() as session:
        data = HoldingInput(
            _position(session, code).id,
            _user(session, "bayu").id,
            kind,
            today,
            today + timedelta(days=days) if days else None,
            "SK",
        )
        with pytest.raises(OrgInvalid) as refused:
            appoint(session, _scope(session, "admin.dinkes"), data, today=today)
        assert refused.value.key == key


def test_a_plh_beside_the_definitif_holder_and_any_number_of_functional_holders(org, engine):
    today = engine.clock.today()
    with org.transaction() as session:
        scope = _scope(session, "admin.dinkes")
        bayu = _user(session, "bayu")
        appoint(
            session,
            scope,
            HoldingInput(
                _position(session, "DINKES.YANKES.KABID").id,
                bayu.id,
                "plh",
                today,
                today + timedelta(days=14),
                "ST 1",
            ),
            today=today,
        )
        appoint(
            session,
            scope,
            HoldingInput(
                _position(session, "DINKES.YANKES.ANALIS").id, bayu.id, "definitif", today, None, None
            ),
            today=today,
        )
    with org.transaction(write=False) as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(PositionHolder)
                .where(PositionHolder.user_id == _user(session, "bayu").id)
            )
            == 3
        )


def test_an_ended_holding_takes_the_open_task_away_the_next_day_and_the_plt_gets_it(deployed, engine):
    today = engine.clock.today()
    instance_id = start(deployed, engine, "budi")
    act(deployed, engine, "budi", instance_id, DRAFT)
    assert [n for _, n, _ in inbox_of(deployed, engine, "sari")] == ["Periksa (atasan langsung)"]
    with deployed.transaction() as session:
        scope = _scope(session, "admin.kominfo")
        kabid = _position(session, "DISKOMINFO.APTIKA.KABID")
        sari = session.scalars(select(PositionHolder).where(PositionHolder.position_id == kabid.id)).one()
        end_holding(session, scope, sari.id, today - timedelta(days=1))
        appoint(
            session,
            scope,
            HoldingInput(
                kabid.id,
                _user(session, "andi").id,
                "plt",
                today,
                today + timedelta(days=60),
                "800.1.3.3/1/2026",
            ),
            today=today,
        )
    assert inbox_of(deployed, engine, "sari") == []
    assert [n for _, n, iid in inbox_of(deployed, engine, "andi") if iid == instance_id] == [
        "Periksa (atasan langsung)"
    ]


def test_ending_before_the_start_removes_a_holding_that_never_took_effect(org, engine):
    today = engine.clock.today()
    with org.transaction() as session:
        scope = _scope(session, "admin")
        holding = appoint(
            session,
            scope,
            HoldingInput(
                _position(session, "BAPPERIDA.PPM.PERENCANA").id,
                _user(session, "putri").id,
                "definitif",
                today,
                None,
                None,
            ),
            today=today,
        )
        assert end_holding(session, scope, holding.id, today - timedelta(days=1)) is None
        assert session.get(PositionHolder, holding.id) is None
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.chain == "system").order_by(AuditEvent.seq)
        ).all()
        assert actions[-2:] == ["org.holding.created", "org.holding.cancelled"]


def test_a_unit_admin_creates_a_person_in_a_position_of_the_subtree(org, engine):
    today = engine.clock.today()
    data = UserInput(
        "Gita", "Gita Permata, S.KM.", "19900101 201503 2 099", "Penata (III/c)", "gita@dinkes.invalid"
    )
    with org.transaction() as session:
        scope = _scope(session, "admin.dinkes")
        with pytest.raises(OrgInvalid) as refused:
            create_user(session, scope, data, password="rahasia-panjang", position_id=None, today=today)
        assert refused.value.field == "position_id"
        with pytest.raises(OrgInvalid) as refused:
            create_user(
                session,
                scope,
                data,
                password="pendek",
                position_id=_position(session, "DINKES.P2P.EPIDEMIOLOG").id,
                today=today,
            )
        assert refused.value.field == "password"
    with org.transaction() as session:
        person = create_user(
            session,
            _scope(session, "admin.dinkes"),
            data,
            password="rahasia-panjang",
            position_id=_position(session, "DINKES.P2P.EPIDEMIOLOG").id,
            today=today,
        )
        assert (person.username, person.nip) == ("gita", "199001012015032099")
        assert verify_password(person.password_hash, "rahasia-panjang")
        created = session.scalars(select(AuditEvent).where(AuditEvent.action == "org.user.created")).one()
        assert "password_hash" not in created.after and created.after["username"] == "gita"


def test_roles_accounts_and_the_admins_own_safety(org, engine):
    today = engine.clock.today()
    with org.transaction() as session:
        scope = _scope(session, "admin.dinkes")
        rina = _user(session, "rina")
        with pytest.raises(OrgInvalid) as refused:
            grant_role(session, scope, rina.id, "auditor", None, today=today)
        assert refused.value.key == "org.global_only"
        row = grant_role(session, scope, rina.id, "pencatat", _unit(session, "DINKES.YANKES").id, today=today)
        revoke_role(session, scope, row.id, today=today)
        own = session.scalars(select(UserRole).where(UserRole.user_id == scope.user_id)).one()
        with pytest.raises(OrgInvalid):
            revoke_role(session, scope, own.id, today=today)
        with pytest.raises(OrgInvalid):
            set_active(session, scope, scope.user_id, False, today=today)
        set_active(session, scope, rina.id, False, today=today)
        with pytest.raises(NotFound):
            set_active(session, scope, _user(session, "budi").id, False, today=today)


def test_delegation_by_oneself_or_by_an_admin_of_the_principal(org, engine):
    today = engine.clock.today()
    with org.transaction() as session:
        wati, hadi, budi = _user(session, "wati"), _user(session, "hadi"), _user(session, "budi")
        period = (today, today + timedelta(days=5))
        delegate(session, wati, DelegationInput(wati.id, hadi.id, *period, "cuti"), today=today)
        with pytest.raises(NotFound):  # not one's own inbox
            delegate(session, budi, DelegationInput(wati.id, budi.id, *period, ""), today=today)
        with pytest.raises(OrgInvalid) as refused:
            delegate(session, wati, DelegationInput(wati.id, hadi.id, *period, ""), today=today)
        assert refused.value.key == "org.delegation_exists"
        with pytest.raises(OrgInvalid):
            delegate(session, wati, DelegationInput(wati.id, wati.id, *period, ""), today=today)
        admin = _user(session, "admin.dinkes")
        delegate(
            session,
            admin,
            DelegationInput(hadi.id, _user(session, "rina").id, *period, "dinas luar"),
            today=today,
            scope=_scope(session, "admin.dinkes"),
        )
        with pytest.raises(NotFound):
            delegate(
                session,
                admin,
                DelegationInput(budi.id, hadi.id, *period, ""),
                today=today,
                scope=_scope(session, "admin.dinkes"),
            )
    with org.transaction(write=False) as session:
        rina = _user(session, "rina")
        assert [
            d.principal.username
            for d in session.scalars(select(Delegation).where(Delegation.deputy_id == rina.id))
        ] == ["hadi"]


def test_role_mappings_per_unit_and_the_pemda_default_for_global_admins_only(org, engine):
    now = engine.clock.now()
    with org.transaction() as session:
        scope = _scope(session, "admin.dinkes")
        with pytest.raises(NotFound):
            set_mapping(session, scope, MappingInput(None, "sekretaris", "head", None, None), now=now)
        with pytest.raises(NotFound):
            set_mapping(
                session,
                scope,
                MappingInput(_unit(session, "DISKOMINFO").id, "x", "head", None, None),
                now=now,
            )
        dinkes = _unit(session, "DINKES").id
        with pytest.raises(OrgInvalid) as refused:
            set_mapping(session, scope, MappingInput(dinkes, "sekretaris", "position", None, None), now=now)
        assert refused.value.field == "position_id"
        sekretaris = _position(session, "DINKES.SEKRE.SEKRETARIS").id
        row = set_mapping(
            session, scope, MappingInput(dinkes, "Sekretaris", "position", sekretaris, None), now=now
        )
        assert row.role == "sekretaris"
        again = set_mapping(
            session, scope, MappingInput(dinkes, "sekretaris", "user_role", None, "pencatat"), now=now
        )
        assert again.id == row.id and again.position_id is None
        delete_mapping(session, scope, row.id)
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("org.mapping.%"))
        ).all()
        assert actions == ["org.mapping.set", "org.mapping.set", "org.mapping.deleted"]
        assert session.scalars(select(RoleMapping).where(RoleMapping.unit_id == dinkes)).all() == []
