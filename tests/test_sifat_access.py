"""Sifat (SKKAAD) decides who sees a letter: content, metadata only, or nothing (404)."""

from __future__ import annotations

from engine import disposition
from engine.access import can_view_instance
from engine.letter_access import FULL, META, access_level
from tests.flow import get_user
from tests.letters_world import branches, choice, letter, open_task, position_id, prepare, register

SARI = "DISKOMINFO.APTIKA.KABID"
ANDI = "DISKOMINFO.IKP.KABID"


def levels(db, engine, letter_id: int, *usernames: str) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        return {u: access_level(session, get_user(session, u).id, letter_id, engine.clock.today()) for u in usernames}


def disposed(db, engine, letter_id: int, *codes: str) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        disposition.dispose(session, engine, open_task(db, letter_id, "lontar.disposisi"),
                            user=get_user(session, "agus"), choice=choice(*(position_id(db, c) for c in codes)))


def test_a_secret_letter_is_seen_by_those_it_reaches_and_as_metadata_by_overseers(org, engine) -> None:
    prepare(org, engine)
    letter_id = register(org, engine, hal="Hasil audit investigasi", sifat="rahasia")
    disposed(org, engine, letter_id, SARI, ANDI)
    assert levels(org, engine, letter_id, "dewi", "agus", "sari", "andi", "admin.kominfo", "auditor", "budi",
                  "rina", "bayu") == {
        "dewi": FULL, "agus": FULL, "sari": FULL, "andi": FULL,  # registrar, head, recipients
        "admin.kominfo": META, "auditor": META,  # the unit's admin and the auditor: metadata only
        "budi": None, "rina": None, "bayu": None,  # same SKPD but not involved; other SKPD
    }
    # A forward reaches budi; a cancelled branch no longer reaches andi.
    with org.transaction() as session:
        disposition.dispose(session, engine, open_task(org, letter_id, "lontar.tindak_lanjut", SARI),
                            user=get_user(session, "sari"), choice=choice(position_id(org, "DISKOMINFO.APTIKA.PRANATA")))
        andi_branch = [b for b in branches(org, letter_id) if b.to_position.code == ANDI][0]
    with org.transaction() as session:
        disposition.cancel(session, engine, user=get_user(session, "agus"), disposition_id=andi_branch.id)
    assert levels(org, engine, letter_id, "budi", "andi") == {"budi": FULL, "andi": None}
    # The processes of a secret letter hold its hal: overseers do not open them either.
    with org.transaction(write=False) as session:
        admin = get_user(session, "admin.kominfo")
        sari_branch = branches(org, letter_id)[0]
        today = engine.clock.today()
        assert not can_view_instance(session, admin.id, sari_branch.instance_id, today)
        assert not can_view_instance(session, admin.id, letter(org, letter_id).instance_id, today)
        assert can_view_instance(session, get_user(session, "sari").id, sari_branch.instance_id, today)


def test_an_ordinary_letter_is_open_to_the_units_registrar_and_overseers(org, engine) -> None:
    prepare(org, engine)
    letter_id = register(org, engine, hal="Undangan sosialisasi", sifat="biasa")
    disposed(org, engine, letter_id, SARI)
    assert levels(org, engine, letter_id, "admin.kominfo", "auditor", "dewi", "sari", "budi", "rina") == {
        "admin.kominfo": FULL, "auditor": FULL, "dewi": FULL, "sari": FULL,
        "budi": None, "rina": None,
    }
    with org.transaction(write=False) as session:
        admin = get_user(session, "admin.kominfo")
        assert can_view_instance(session, admin.id, branches(org, letter_id)[0].instance_id, engine.clock.today())
