"""Incoming letters and the disposition tree, through the engine, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine import disposition
from engine.errors import InvalidInput, NotAllowed
from engine.models import Disposition, HumanTask, Letter, ProcessInstance
from tests.flow import get_user, inbox_of
from tests.letters_world import branches, choice, letter, open_task, position_id, prepare, register

SARI = "DISKOMINFO.APTIKA.KABID"
ANDI = "DISKOMINFO.IKP.KABID"
BUDI = "DISKOMINFO.APTIKA.PRANATA"


def dispose(db, engine, username, task_id, chosen):  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        return disposition.dispose(session, engine, task_id, user=get_user(session, username), choice=chosen)


def test_registration_gives_agenda_numbers_per_unit_per_year_and_reaches_the_head(org, engine) -> None:
    prepare(org, engine)
    first = register(org, engine, hal="Surat satu")
    second = register(org, engine, hal="Surat dua")
    other_unit = register(org, engine, hal="Surat Dinkes", by="bayu", unit="DINKES")
    numbers = [(letter(org, i).agenda_number, letter(org, i).agenda_year) for i in (first, second, other_unit)]
    assert numbers == [(1, 2026), (2, 2026), (1, 2026)]
    row = letter(org, first)
    assert row.direction == "masuk" and row.status == "menunggu_disposisi" and row.urgensi == "segera"
    assert row.due_at is not None and row.due_at > row.received_at
    assert [name for _, name, _ in inbox_of(org, engine, "agus")] == ["Disposisi pimpinan", "Disposisi pimpinan"]
    assert inbox_of(org, engine, "sari") == []


def test_only_the_units_registrar_registers_and_a_refusal_takes_no_number(org, engine) -> None:
    prepare(org, engine)
    with pytest.raises(NotAllowed):
        register(org, engine, by="budi")
    with pytest.raises(InvalidInput):
        register(org, engine, hal="   ")
    with pytest.raises(InvalidInput):
        register(org, engine, sifat="super_rahasia")
    accepted = register(org, engine)
    assert letter(org, accepted).agenda_number == 1  # the refusals took no number
    with org.transaction(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Letter)) == 1


def test_multi_level_disposition_with_follow_up_flowing_up(org, engine) -> None:
    prepare(org, engine)
    letter_id = register(org, engine)
    head_task = open_task(org, letter_id, "lontar.disposisi")
    dispose(org, engine, "agus", head_task,
            choice(position_id(org, SARI), position_id(org, ANDI), instructions=("Tindak lanjuti", "Hadiri/wakili"),
                   note="Koordinasikan dengan Bappeda"))
    tree = branches(org, letter_id)
    assert [(b.to_position.code, b.status, b.parent_id) for b in tree] == [(SARI, "belum_dibaca", None),
                                                                            (ANDI, "belum_dibaca", None)]
    assert tree[0].instructions == ["Tindak lanjuti", "Hadiri/wakili"] and tree[0].instance_id != tree[1].instance_id
    assert letter(org, letter_id).status == "didisposisikan"
    assert "Tindak lanjuti disposisi" in [name for _, name, _ in inbox_of(org, engine, "sari")]

    with org.transaction() as session:
        read = disposition.mark_read(session, engine, user=get_user(session, "sari"), letter_id=letter_id)
    assert [b.to_position.code for b in read] == [SARI]

    sari_task = open_task(org, letter_id, "lontar.tindak_lanjut", SARI)
    dispose(org, engine, "sari", sari_task, choice(position_id(org, BUDI), instructions=("Siapkan bahan/konsep jawaban",)))
    tree = branches(org, letter_id)
    assert [(b.to_position.code, b.status, b.depth) for b in tree] == [
        (SARI, "diteruskan", 1), (ANDI, "belum_dibaca", 1), (BUDI, "belum_dibaca", 2)]
    assert tree[2].parent_id == tree[0].id

    budi_task = open_task(org, letter_id, "lontar.tindak_lanjut", BUDI)
    with org.transaction() as session:
        disposition.report(session, engine, budi_task, user=get_user(session, "budi"), text="Bahan sudah disiapkan")
    assert branches(org, letter_id)[2].status == "ditindaklanjuti"
    accept = open_task(org, letter_id, "terima_laporan", SARI)
    with org.transaction() as session:
        engine.complete(session, accept, user=get_user(session, "sari"), data={"keputusan": "terima"})
    assert branches(org, letter_id)[2].status == "selesai"

    # Sari reports up to the Kepala; the Kepala cancels the branch Andi never read.
    sari_again = open_task(org, letter_id, "lontar.tindak_lanjut", SARI)
    with org.transaction() as session:
        disposition.report(session, engine, sari_again, user=get_user(session, "sari"), text="Sudah ditindaklanjuti staf")
    with org.transaction() as session:
        disposition.cancel(session, engine, user=get_user(session, "agus"), disposition_id=tree[1].id)
    head_accept = open_task(org, letter_id, "terima_laporan", "DISKOMINFO.KADIS")
    with org.transaction() as session:
        engine.complete(session, head_accept, user=get_user(session, "agus"), data={"keputusan": "terima"})
    final = branches(org, letter_id)
    assert [(b.to_position.code, b.status) for b in final] == [(SARI, "selesai"), (ANDI, "dibatalkan"), (BUDI, "selesai")]
    assert final[0].report == "Sudah ditindaklanjuti staf"
    assert letter(org, letter_id).status == "selesai"
    with org.transaction(write=False) as session:
        statuses = {r.status for r in session.scalars(select(ProcessInstance).where(
            ProcessInstance.id.in_([b.instance_id for b in final])))}
        assert statuses == {"completed", "cancelled"}
        assert not session.scalars(select(HumanTask).where(HumanTask.status == "ready")).all()


def test_a_report_can_be_sent_back_for_more(org, engine) -> None:
    prepare(org, engine)
    letter_id = register(org, engine)
    dispose(org, engine, "agus", open_task(org, letter_id, "lontar.disposisi"), choice(position_id(org, SARI)))
    with org.transaction() as session:
        disposition.report(session, engine, open_task(org, letter_id, "lontar.tindak_lanjut", SARI),
                           user=get_user(session, "sari"), text="Sudah")
    with org.transaction() as session:
        engine.complete(session, open_task(org, letter_id, "terima_laporan"), user=get_user(session, "agus"),
                        data={"keputusan": "minta_perbaikan", "catatan_laporan": "Lampirkan notulen"})
    assert branches(org, letter_id)[0].status == "dibaca"
    assert open_task(org, letter_id, "lontar.tindak_lanjut", SARI)


def test_recipients_must_be_below_or_beside_and_a_refusal_changes_nothing(org, engine) -> None:
    prepare(org, engine)
    letter_id = register(org, engine)
    head_task = open_task(org, letter_id, "lontar.disposisi")
    wati = position_id(org, "DINKES.KADIS")
    for bad in (choice(wati), choice(), choice(position_id(org, SARI), instructions=("Bakar suratnya",)),
                choice(position_id(org, SARI), position_id(org, SARI))):
        with pytest.raises(InvalidInput):
            dispose(org, engine, "agus", head_task, bad)
    assert branches(org, letter_id) == []
    # Levels may be skipped: the Kepala disposes straight to a staff member.
    dispose(org, engine, "agus", head_task, choice(position_id(org, BUDI)))
    assert [b.to_position.code for b in branches(org, letter_id)] == [BUDI]


def test_cancel_only_while_unread_and_only_by_the_disposer(org, engine) -> None:
    prepare(org, engine)
    letter_id = register(org, engine)
    dispose(org, engine, "agus", open_task(org, letter_id, "lontar.disposisi"),
            choice(position_id(org, SARI), position_id(org, ANDI)))
    sari_branch, andi_branch = branches(org, letter_id)
    with org.transaction() as session, pytest.raises(NotAllowed):
        disposition.cancel(session, engine, user=get_user(session, "budi"), disposition_id=andi_branch.id)
    with org.transaction() as session:
        disposition.mark_read(session, engine, user=get_user(session, "sari"), letter_id=letter_id)
    with org.transaction() as session, pytest.raises(InvalidInput):
        disposition.cancel(session, engine, user=get_user(session, "agus"), disposition_id=sari_branch.id)
    with org.transaction() as session:
        disposition.cancel(session, engine, user=get_user(session, "agus"), disposition_id=andi_branch.id)
    assert [b.status for b in branches(org, letter_id)] == ["dibaca", "dibatalkan"]
    assert "Tindak lanjuti disposisi" not in [name for _, name, _ in inbox_of(org, engine, "andi")]
    with org.transaction(write=False) as session:
        assert session.get(Disposition, sari_branch.id).status == "dibaca"


def test_forwarding_again_and_again_keeps_the_branch_instance_small(org, engine) -> None:
    """Each forward loops the recipient's task (with its timers) back: the loop is folded, so
    the branch's stored tree does not grow with the number of forwards."""
    import json

    prepare(org, engine)
    letter_id = register(org, engine)
    dispose(org, engine, "agus", open_task(org, letter_id, "lontar.disposisi"), choice(position_id(org, SARI)))
    sizes = []
    for _ in range(6):
        dispose(org, engine, "sari", open_task(org, letter_id, "lontar.tindak_lanjut", SARI),
                choice(position_id(org, BUDI)))
        with org.transaction(write=False) as session:
            sari_branch = session.get(Disposition, branches(org, letter_id)[0].id)
            state = session.get(ProcessInstance, sari_branch.instance_id).state
            sizes.append(len(json.loads(state)["tasks"]))
    assert len(branches(org, letter_id)) == 7
    assert sizes[-1] == sizes[1], sizes


def test_a_recipient_is_told_once_and_the_disposer_once_per_report(org, engine) -> None:
    from engine.models import Notification

    prepare(org, engine)
    letter_id = register(org, engine)
    dispose(org, engine, "agus", open_task(org, letter_id, "lontar.disposisi"), choice(position_id(org, SARI)))
    with org.transaction() as session:
        disposition.report(session, engine, open_task(org, letter_id, "lontar.tindak_lanjut", SARI),
                           user=get_user(session, "sari"), text="Sudah")
    with org.transaction(write=False) as session:
        def kinds(username: str) -> list[str]:
            uid = get_user(session, username).id
            return sorted(session.scalars(select(Notification.kind).where(Notification.user_id == uid)))

        assert kinds("sari") == ["disposisi"]  # not also a "new task" beside it
        # agus: his "Disposisi pimpinan" task, then the report, which is also his task to accept
        assert kinds("agus") == ["tindak_lanjut", "tugas_baru"]
