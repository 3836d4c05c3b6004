"""Outgoing letters through the engine: computed paraf chains, returns and restarts, the
Diskominfo variant's fixed paraf, signing with the number, Plt refused for strategic letters,
recall, and distribution to two units' TU with ekspedisi for the outside recipient."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine import distribution, drafting
from engine.errors import InvalidInput, NotAllowed
from engine.inbox import inbox
from engine.models import Dispatch, DraftVersion, Letter, LetterNumber, Notification, Paraf
from engine.signing_rules import compute_chain, signature_lines
from tests.flow import get_user
from tests.outgoing_world import (
    act_paraf,
    act_sign,
    deploy_outgoing,
    draft,
    letter_row,
    pid,
    prepare,
    ready_task,
    uid,
)


@pytest.fixture
def world(org, engine):  # type: ignore[no-untyped-def]
    clock = prepare(org, engine)
    deploy_outgoing(org, engine)
    return org, engine, clock


def codes(session, chain):  # type: ignore[no-untyped-def]
    from engine.models import Position

    return [session.get(Position, p).code for p, _ in chain]


def test_chains_follow_the_org_chart(org) -> None:  # type: ignore[no-untyped-def]
    with org.transaction(write=False) as s:
        def chain(konseptor: str, signer: str, koordinasi: tuple[str, ...] = ()) -> list[str]:
            return codes(s, compute_chain(s, konseptor_position_id=pid(s, konseptor), signer_position_id=pid(s, signer),
                                          koordinasi_unit_ids=[uid(s, u) for u in koordinasi]))

        # staff under a Kabid, signed by the Kepala Dinas: the Kabid between
        assert chain("DISKOMINFO.APTIKA.PRANATA", "DISKOMINFO.KADIS") == ["DISKOMINFO.APTIKA.KABID"]
        # the Kabid drafting for the Kepala: nobody between
        assert chain("DISKOMINFO.APTIKA.KABID", "DISKOMINFO.KADIS") == []
        # the Sekretaris signing a.n. the Kepala: the Kepala (above the signer) does not initial
        assert chain("DISKOMINFO.APTIKA.PRANATA", "DISKOMINFO.SEKRE.SEKRETARIS") == ["DISKOMINFO.APTIKA.KABID"]
        # staff of the Sekretariat: their Sekretaris initials
        assert chain("DISKOMINFO.SEKRE.PENGADM", "DISKOMINFO.KADIS") == ["DISKOMINFO.SEKRE.SEKRETARIS"]
        # coordination with another bidang: its head after the hierarchical chain
        assert chain("DISKOMINFO.APTIKA.PRANATA", "DISKOMINFO.KADIS", ("DISKOMINFO.IKP",)) == [
            "DISKOMINFO.APTIKA.KABID", "DISKOMINFO.IKP.KABID"]
        # up to the Sekda: Kabid and Kepala Dinas between staff and the Sekda
        assert chain("DINKES.YANKES.ANALIS", "SETDA.SEKDA" if False else "DINKES.KADIS") == ["DINKES.YANKES.KABID"]


def test_signature_block_with_an_and_acting_prefix(org) -> None:  # type: ignore[no-untyped-def]
    from engine.models import Position

    with org.transaction(write=False) as s:
        sekretaris, kadis = s.get(Position, pid(s, "DISKOMINFO.SEKRE.SEKRETARIS")), s.get(Position, pid(s, "DISKOMINFO.KADIS"))
        assert signature_lines(s, sekretaris, kadis, False) == [
            "a.n. KEPALA DINAS KOMUNIKASI DAN INFORMATIKA", "SEKRETARIS DINAS KOMINFO"]
        assert signature_lines(s, kadis, None, False, "plh") == ["Plh. KEPALA DINAS KOMUNIKASI DAN INFORMATIKA"]


def test_variant_chain_return_restart_sign_and_number(world) -> None:  # type: ignore[no-untyped-def]
    db, engine, _clock = world
    letter_id = draft(db, engine, by="budi", signer="DISKOMINFO.KADIS", kepada=("DISKOMINFO.IKP",))
    with db.transaction(write=False) as s:
        sari, yusuf, agus = pid(s, "DISKOMINFO.APTIKA.KABID"), pid(s, "DISKOMINFO.SEKRE.SEKRETARIS"), pid(s, "DISKOMINFO.KADIS")
    assert ready_task(db, letter_id, "lontar.paraf")[1] == [sari]
    act_paraf(db, engine, letter_id, "sari")
    # the Diskominfo variant's fixed step: the Sekretaris after the computed chain
    assert ready_task(db, letter_id, "lontar.paraf")[1] == [yusuf]
    with pytest.raises(InvalidInput):  # a return needs a note: nothing changes
        act_paraf(db, engine, letter_id, "yusuf", "kembalikan", "")
    act_paraf(db, engine, letter_id, "yusuf", "kembalikan", "Lengkapi dasar hukumnya")
    assert letter_row(db, letter_id).status == "konsep"
    task_id, _ = ready_task(db, letter_id, "lontar.perbaiki")
    with db.transaction() as s:
        budi = get_user(s, "budi")
        letter = s.get(Letter, letter_id)
        data = drafting.DraftInput(
            jenis="nota_dinas", hal=letter.hal, body="Dengan hormat, berdasarkan Perbup 12/2025 ...",
            klasifikasi_code="000", signer_position_id=agus,
            parties=[drafting.PartyInput("kepada", "internal", unit_id=uid(s, "DISKOMINFO.IKP"))])
        from engine import paraf

        paraf.revise(s, engine, task_id, user=budi, data=data, note="Dasar hukum ditambahkan")
    # the chain starts again from its first pemeriksa
    assert ready_task(db, letter_id, "lontar.paraf")[1] == [sari]
    act_paraf(db, engine, letter_id, "sari")
    act_paraf(db, engine, letter_id, "yusuf", "revisi", "Salam penutup", hal="Permohonan data layanan publik",
              body="Dengan hormat, berdasarkan Perbup 12/2025 ... Terima kasih.")
    assert ready_task(db, letter_id, "lontar.tandatangan")[1] == [agus]
    with pytest.raises(NotAllowed):  # signing is personal: the Kabid cannot sign for the Kepala
        act_sign(db, engine, letter_id, "sari")
    signed = act_sign(db, engine, letter_id, "agus")
    year = engine.clock.today().year
    assert signed.number is not None and signed.number.nomor == f"000/1/DISKOMINFO/{year}"
    with db.transaction(write=False) as s:
        letter = s.get(Letter, letter_id)
        assert letter.nomor == f"000/1/DISKOMINFO/{year}" and letter.status == "terkirim"
        assert letter.signature_block == "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA"
        versions = list(s.scalars(select(DraftVersion).where(DraftVersion.letter_id == letter_id)
                                  .order_by(DraftVersion.number)))
        assert [v.reason for v in versions] == ["konsep", "revisi", "revisi_pemeriksa"]
        rows = list(s.scalars(select(Paraf).where(Paraf.letter_id == letter_id).order_by(Paraf.round, Paraf.ordinal)))
        summary = [(r.round, r.position_id, r.decision) for r in rows]
        assert summary == [(1, sari, "paraf"), (1, yusuf, "kembalikan"), (2, sari, "paraf"), (2, yusuf, "revisi")]
        # each paraf names the version it approved: sari round 2 the konseptor's revision, yusuf his own
        assert rows[2].version_sha256 == versions[1].sha256 and rows[3].version_sha256 == versions[2].sha256
        assert rows[0].version_sha256 == versions[0].sha256
        # the recipient (Bidang IKP of the same SKPD) receives it through Diskominfo's TU
        copy = s.scalars(select(Letter).where(Letter.source_letter_id == letter_id)).one()
        assert copy.direction == "masuk" and copy.nomor == letter.nomor and copy.agenda_number == 1
        dewi = get_user(s, "dewi")
        assert any(i.name == "Terima naskah internal" for i in inbox(s, dewi.id, engine.clock.today()))


def test_distribution_to_two_skpd_tembusan_and_ekspedisi(world) -> None:  # type: ignore[no-untyped-def]
    db, engine, clock = world
    letter_id = draft(db, engine, by="rina", signer="DINKES.KADIS", kepada=("DISKOMINFO", "BAPPERIDA"),
                      tembusan=("DINKES.P2P",), luar=("Kementerian Kesehatan",), koordinasi=("DINKES.P2P",),
                      jenis="surat_dinas")
    with db.transaction(write=False) as s:
        hadi, p2p = pid(s, "DINKES.YANKES.KABID"), pid(s, "DINKES.P2P.KABID")
    assert ready_task(db, letter_id, "lontar.paraf")[1] == [hadi]
    act_paraf(db, engine, letter_id, "hadi")
    assert ready_task(db, letter_id, "lontar.paraf")[1] == [p2p]  # coordination paraf, worked by its Plt
    act_paraf(db, engine, letter_id, "lestari")
    act_sign(db, engine, letter_id, "wati")
    with db.transaction(write=False) as s:
        letter = s.get(Letter, letter_id)
        assert letter.status == "ditandatangani"  # the outside recipient is still to be sent
        copies = {s.get(type(letter.unit), c.unit_id).code: c for c in
                  s.scalars(select(Letter).where(Letter.source_letter_id == letter_id))}
        assert set(copies) == {"DISKOMINFO", "BAPPERIDA"}
        assert all(c.agenda_number == 1 and c.sender_unit_id == letter.unit_id for c in copies.values())
        for tu in ("dewi", "sinta"):
            names = [i.name for i in inbox(s, get_user(s, tu).id, engine.clock.today())]
            assert "Terima naskah internal" in names, tu
        lestari = get_user(s, "lestari")
        assert s.scalar(select(Notification.id).where(Notification.user_id == lestari.id,
                                                      Notification.kind == "tembusan"))
        assert s.scalar(select(Dispatch.id).where(Dispatch.letter_id == letter_id)) is not None
    task_id, _ = ready_task(db, letter_id, "lontar.ekspedisi")
    with db.transaction(write=False) as s:
        rows = distribution.dispatch_rows(s, letter_id)
    today = clock.today()
    with db.transaction() as s, pytest.raises(InvalidInput):  # a date in the future: refused
        distribution.mark_sent(s, engine, task_id, user=get_user(s, "bayu"),
                               sent=[distribution.SentInput(rows[0][1].id, today + timedelta(days=1), "pos")])
    with db.transaction() as s:
        distribution.mark_sent(s, engine, task_id, user=get_user(s, "bayu"),
                               sent=[distribution.SentInput(rows[0][1].id, today, "pos", "resi 123")])
    assert letter_row(db, letter_id).status == "terkirim"
    # the TU of Diskominfo passes it on: the head disposes it like any incoming letter
    copy_task, _ = ready_task(db, copies["DISKOMINFO"].id, "terima_naskah")
    with db.transaction() as s:
        engine.complete(s, copy_task, user=get_user(s, "dewi"), data={"catatan_tu": ""})
    assert ready_task(db, copies["DISKOMINFO"].id, "lontar.disposisi")[1]


def test_plt_may_not_sign_a_strategic_letter(world) -> None:  # type: ignore[no-untyped-def]
    """Lestari is Plt. Kabid P2P: she signs a nota dinas (as 'Plt.') but not a keputusan."""
    db, engine, _ = world
    plain = draft(db, engine, by="fitri", signer="DINKES.P2P.KABID", kepada=("DINKES.YANKES",))
    act_sign(db, engine, plain, "lestari")
    assert letter_row(db, plain).signature_block.startswith("Plt. KEPALA BIDANG PENCEGAHAN")
    strategic = draft(db, engine, by="fitri", signer="DINKES.P2P.KABID", kepada=("DINKES.YANKES",),
                      jenis="surat_keputusan", hal="Penetapan tim")
    with pytest.raises(InvalidInput) as refused:
        act_sign(db, engine, strategic, "lestari")
    assert refused.value.key == "ttd.plt_strategis"
    with db.transaction(write=False) as s:
        assert s.get(Letter, strategic).nomor is None
        assert s.scalar(select(LetterNumber.id).where(LetterNumber.letter_id == strategic)) is None


def test_recall_only_before_anyone_initials(world) -> None:  # type: ignore[no-untyped-def]
    db, engine, _ = world
    fresh = draft(db, engine, by="rina", signer="DINKES.KADIS", kepada=("DINKES.P2P",))
    with db.transaction() as s:
        drafting.recall(s, engine, fresh, user=get_user(s, "rina"), reason="Salah tujuan")
    assert letter_row(db, fresh).status == "ditarik"
    with db.transaction(write=False) as s:
        assert not [t for t in s.scalars(select(Paraf).where(Paraf.letter_id == fresh, Paraf.decision == "menunggu"))]
    with db.transaction() as s:  # withdrawn, it can be submitted again: a new round
        drafting.submit(s, engine, fresh, user=get_user(s, "rina"))
    act_paraf(db, engine, fresh, "hadi")
    with db.transaction() as s, pytest.raises(InvalidInput):
        drafting.recall(s, engine, fresh, user=get_user(s, "rina"))
    with db.transaction() as s, pytest.raises(NotAllowed):  # only the konseptor
        drafting.recall(s, engine, fresh, user=get_user(s, "hadi"))
    assert letter_row(db, fresh).status == "tanda_tangan"


def test_who_reads_a_draft(world) -> None:  # type: ignore[no-untyped-def]
    """The konseptor, the chain and the signer read it; another SKPD does not; a saved but
    unsubmitted konsep stays the konseptor's own."""
    from engine.letter_access import access_level

    db, engine, _ = world
    saved = draft(db, engine, by="budi", signer="DISKOMINFO.KADIS", kepada=("DISKOMINFO.IKP",), submit=False)
    sent = draft(db, engine, by="budi", signer="DISKOMINFO.KADIS", kepada=("DISKOMINFO.IKP",))
    today = engine.clock.today()
    with db.transaction(write=False) as s:
        level = {(u, letter): access_level(s, get_user(s, u).id, letter, today)
                 for u in ("budi", "sari", "agus", "wati") for letter in (saved, sent)}
    assert level[("budi", saved)] == level[("budi", sent)] == "full"
    assert level[("sari", sent)] == level[("agus", sent)] == "full"
    assert level[("agus", saved)] is None and level[("sari", saved)] is None
    assert level[("wati", sent)] is None


def _sign_at_once(db, engine, letters: list[int]) -> dict[int, object]:  # type: ignore[no-untyped-def]
    """Each letter's signature in its own thread, all held at a barrier between reading the
    number counter and writing it."""
    import contextlib
    import threading

    from engine import counters, signing

    tasks = [ready_task(db, letter, "lontar.tandatangan")[0] for letter in letters]
    barrier = threading.Barrier(len(tasks), timeout=3)

    def hold() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()

    outcome: dict[int, object] = {}

    def work(task_id: int) -> None:
        try:
            with db.transaction() as session:
                outcome[task_id] = signing.sign(session, engine, task_id, user=get_user(session, "wati")).number.urut
        except Exception as exc:  # noqa: BLE001 - the outcome is what we assert
            outcome[task_id] = exc

    counters.after_read = hold
    try:
        threads = [threading.Thread(target=work, args=(t,)) for t in tasks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        counters.after_read = None
    return outcome


def _waiting_for_wati(db, engine, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    # outside recipients only: the signature takes no agenda number at a recipient unit
    return [draft(db, engine, by="hadi", signer="DINKES.KADIS", luar=("Kementerian Kesehatan",), hal=f"Serentak {n}",
                  jenis="surat_dinas") for n in range(count)]


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_six_signatures_at_once_get_consecutive_numbers(world) -> None:  # type: ignore[no-untyped-def]
    """Six signing transactions race for Dinkes's register.  With the counter row lock each
    waits for the one before (the barrier times out) and the numbers are 1..6.  Without it all
    six read 0 and write 1: the next test shows that the register then refuses the duplicates
    (the signatures fail instead of six letters sharing a number)."""
    db, engine, _ = world
    outcome = _sign_at_once(db, engine, _waiting_for_wati(db, engine, 6))
    assert sorted(outcome.values()) == [1, 2, 3, 4, 5, 6]
    with db.transaction(write=False) as s:
        assert sorted(s.scalars(select(LetterNumber.urut))) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_without_the_counter_lock_concurrent_signatures_collide(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Shows the test above can fail: the same race with the lock removed takes number 1 more
    than once; the register's unique row refuses every duplicate, so some signatures fail."""
    from engine import counters

    db, engine, _ = world
    letters = _waiting_for_wati(db, engine, 6)
    unlocked = counters.next_value
    monkeypatch.setattr(counters, "next_value", lambda *args, **kwargs: unlocked(*args, **{**kwargs, "lock": False}))
    outcome = _sign_at_once(db, engine, letters)
    refused = [v for v in outcome.values() if isinstance(v, Exception)]
    assert refused and [v for v in outcome.values() if v == 1] == [1]
    with db.transaction(write=False) as s:
        taken = list(s.scalars(select(LetterNumber.urut)))
        assert len(taken) == 6 - len(refused) and len(set(taken)) == len(taken)


def test_a_variant_may_skip_a_position_of_the_chain(world) -> None:  # type: ignore[no-untyped-def]
    """Dinkes adapts the flow: its Kabid Yankes does not initial (property lewatiJabatan on the
    paraf task); the Dinkes draft goes straight to the signer, Diskominfo's still has its Kabid."""
    from engine.audit import Actor
    from tests.letters_world import PROCESSES

    db, engine, _ = world
    xml = (PROCESSES / "naskah_keluar.bpmn").read_text(encoding="utf-8").replace(
        '<camunda:property name="jabatan" value="pemeriksa" />',
        '<camunda:property name="jabatan" value="pemeriksa" />'
        '<camunda:property name="lewatiJabatan" value="DINKES.YANKES.KABID" />', 1)
    assert "lewatiJabatan" in xml
    with db.transaction() as s:
        engine.registry.deploy(s, xml.encode(), actor=Actor(None, "test"), filename="naskah_keluar.bpmn",
                               unit_id=uid(s, "DINKES"))
    skipped = draft(db, engine, by="rina", signer="DINKES.KADIS", kepada=("DINKES.P2P",))
    assert letter_row(db, skipped).status == "tanda_tangan"
    assert ready_task(db, skipped, "lontar.tandatangan")
    kept = draft(db, engine, by="budi", signer="DISKOMINFO.KADIS", kepada=("DISKOMINFO.IKP",))
    assert letter_row(db, kept).status == "paraf"


def test_a_voided_number_stays_in_the_register_and_stops_the_letter(world) -> None:  # type: ignore[no-untyped-def]
    from engine import numbering
    from engine.models import ProcessInstance

    db, engine, _ = world
    first = draft(db, engine, by="hadi", signer="DINKES.KADIS", luar=("Kementerian Kesehatan",), jenis="surat_dinas")
    act_sign(db, engine, first, "wati")
    with db.transaction() as s:
        number = s.scalars(select(LetterNumber).where(LetterNumber.letter_id == first)).one()
        numbering.void(s, number_id=number.id, user=get_user(s, "admin"), reason="Salah alamat",
                       at=engine.clock.now())
        distribution.stop_after_void(s, engine, first, user=get_user(s, "admin"), reason="Salah alamat")
    second = draft(db, engine, by="hadi", signer="DINKES.KADIS", luar=("Kementerian Kesehatan",), jenis="surat_dinas")
    act_sign(db, engine, second, "wati")
    with db.transaction(write=False) as s:
        rows = list(s.scalars(select(LetterNumber).order_by(LetterNumber.urut)))
        assert [(r.urut, r.status, r.letter_id) for r in rows] == [(1, "batal", first), (2, "terpakai", second)]
        letter = s.get(Letter, first)
        assert letter.status == "dibatalkan"
        assert s.get(ProcessInstance, letter.instance_id).status == "cancelled"
